"""course.plans: indicator figures match the tables, and plan_problems catches each kind of bad plan."""
from __future__ import annotations

import math

import pandas as pd
import pytest

import course
from course.plans import (
    LAGGING_INDICATORS, LEADING_INDICATORS, LOWER_IS_BETTER, PLAN_FIELDS, RESULT_INDICATORS, SKILL_INDICATORS,
    SKILL_RESULTS, baseline_period, indicator_value, indicator_values, plan_problems,
)

AS_OF = "2025-06-30"
START, END = pd.Timestamp("2025-01-01"), pd.Timestamp("2025-06-30")


def test_baseline_period_is_this_quarter_and_the_one_before():
    assert baseline_period(AS_OF) == (START, END)
    assert baseline_period("2024-11-15") == (pd.Timestamp("2024-07-01"), pd.Timestamp("2024-11-15"))


def test_leading_result_and_lagging_indicators_do_not_overlap():
    assert not set(LEADING_INDICATORS) & set(LAGGING_INDICATORS)
    assert not set(LEADING_INDICATORS) & set(RESULT_INDICATORS)
    assert LOWER_IS_BETTER <= set(LEADING_INDICATORS) | set(RESULT_INDICATORS)
    assert {name for names in SKILL_INDICATORS.values() for name in names} <= set(LEADING_INDICATORS)
    assert {name for names in SKILL_RESULTS.values() for name in names} <= set(RESULT_INDICATORS)
    assert set(SKILL_INDICATORS) == set(course.load("call_scorecards").columns[5:])
    assert all(isinstance(text, str) and text for text in {**LEADING_INDICATORS, **RESULT_INDICATORS}.values())


def test_leading_indicators_are_only_what_a_rep_could_change_tomorrow():
    """Module 03's definition: activity and observed behavior; no stage rate, discount or outcome."""
    assert all(name.startswith(("weekly_", "scorecard_")) for name in LEADING_INDICATORS)


@pytest.mark.parametrize("indicator", sorted({**LEADING_INDICATORS, **RESULT_INDICATORS}))
def test_every_leading_indicator_is_measured_for_every_course_rep(indicator):
    values = indicator_values(indicator, START, END)
    course_reps = course.load("reps").query("cohort == 'course'")["rep_id"]
    assert values.notna().all()
    assert len(values.reindex(course_reps).dropna()) >= len(course_reps) - 1  # a rep may have no win to discount


def test_indicator_values_match_the_tables_by_hand():
    weeks = course.load("weekly_activity")
    weeks = weeks[(weeks["rep_id"] == "R001") & (weeks["week_start"] >= START) & (weeks["week_start"] <= END)]
    assert indicator_value("weekly_meetings", "R001", START, END) == pytest.approx(weeks["meetings"].mean())

    cards = course.load("call_scorecards")
    cards = cards[(cards["rep_id"] == "R029") & cards["call_date"].between(START, END)]
    assert indicator_value("scorecard_discovery_questions", "R029", START, END) == pytest.approx(
        cards["discovery_questions"].mean())

    opps = course.load("opportunities")
    mine = opps[(opps["rep_id"] == "R029") & opps["created_date"].between(START, END)]
    rank = mine["furthest_stage"].cat.codes
    assert indicator_value("qualified_to_proposal_rate", "R029", START, END) == pytest.approx(
        (rank >= 2).sum() / (rank >= 1).sum())
    won = opps[(opps["rep_id"] == "R004") & (opps["outcome"] == "won") & opps["closed_date"].between(START, END)]
    assert indicator_value("median_discount_pct", "R004", START, END) == pytest.approx(won["discount_pct"].median())


def test_unknown_indicator_or_rep():
    with pytest.raises(KeyError, match="not a leading indicator"):
        indicator_values("closed_value", START, END)
    assert math.isnan(indicator_value("weekly_calls", "R999", START, END))


@pytest.fixture()
def good_plan():
    return {
        "rep_id": "R029",
        "rep_goal": "Earn enough commission this year to put a deposit on a house",
        "focus_skill": "discovery_questions",
        "behaviour": "Ask three questions about the cost of the problem before showing anything",
        "habit_cue": "When a buyer names a problem",
        "routine": "Every Monday at 8:30, fifteen minutes writing cost questions for the week's first calls",
        "leading_indicator": "scorecard_discovery_questions",
        "baseline": round(indicator_value("scorecard_discovery_questions", "R029", START, END), 2),
        "target": 2.5,
        "target_date": "2025-09-30",
        "check_in_cadence_days": 7,
    }


def test_a_sound_plan_has_no_problems(good_plan):
    assert list(good_plan) == list(PLAN_FIELDS)
    assert plan_problems(good_plan, as_of=AS_OF) == []
    assert plan_problems(dict(good_plan, target_date=pd.Timestamp("2025-08-29"), check_in_cadence_days=14),
                         as_of=AS_OF) == []


HABIT = {"rep_goal": "Get promoted to the enterprise team within two years",
         "habit_cue": "After every first meeting",
         "routine": "Tuesday and Thursday mornings, 9 to 10, booking first meetings"}


def test_a_result_is_refused_as_the_tracked_indicator():
    baseline = indicator_value("median_discount_pct", "R004", START, END)
    plan = {"rep_id": "R004", "focus_skill": "value_articulation",
            "behaviour": "Restate the customer's numbers before talking price",
            "leading_indicator": "median_discount_pct", "baseline": baseline, "target": baseline - 4,
            "target_date": "2025-09-30", "check_in_cadence_days": 14, **HABIT}
    problems = plan_problems(plan, as_of=AS_OF)
    assert _fields(problems) == ["leading_indicator"]
    assert "read at the review" in problems[0]
    scorecard = indicator_value("scorecard_value_articulation", "R004", START, END)
    assert plan_problems(dict(plan, leading_indicator="scorecard_value_articulation", baseline=scorecard,
                              target=scorecard + 0.3), as_of=AS_OF) == []


def test_a_habit_focus_may_use_an_activity_indicator():
    baseline = indicator_value("weekly_meetings", "R001", START, END)
    plan = {"rep_id": "R001", "focus_skill": "prospecting routine",
            "behaviour": "Block Tuesday and Thursday mornings for booking first meetings",
            "leading_indicator": "weekly_meetings", "baseline": round(baseline, 2), "target": 6.5,
            "target_date": "2025-09-30", "check_in_cadence_days": 7, **HABIT}
    assert plan_problems(plan, as_of=AS_OF) == []
    skill_plan = dict(plan, focus_skill="discovery_questions")
    assert _fields(plan_problems(skill_plan, as_of=AS_OF)) == ["leading_indicator"]


def _fields(problems):
    return [message.split(":")[0] for message in problems]


@pytest.mark.parametrize("change, field", [
    ({"baseline": 3.2}, "baseline"),                                  # the team's figure, not the rep's
    ({"baseline": "1.25"}, "baseline"),
    ({"target": 1.0}, "target"),                                      # worse than the baseline
    ({"target": 4.9}, "target"),                                      # beyond anyone on the team
    ({"leading_indicator": "quota_attainment_pct"}, "leading_indicator"),
    ({"leading_indicator": "talk_more"}, "leading_indicator"),
    ({"leading_indicator": "scorecard_next_steps"}, "leading_indicator"),  # another skill's scorecard
    ({"rep_id": "R999"}, "rep_id"),
    ({"focus_skill": ""}, "focus_skill"),
    ({"focus_skill": ["discovery_questions"]}, "focus_skill"),
    ({"behaviour": "be better"}, "behaviour"),
    ({"target_date": "2025-07-07"}, "target_date"),                   # too soon
    ({"target_date": "2025-12-31"}, "target_date"),                   # too far
    ({"target_date": "next quarter"}, "target_date"),
    ({"check_in_cadence_days": 30}, "check_in_cadence_days"),
    ({"check_in_cadence_days": 7.5}, "check_in_cadence_days"),
    ({"behavior": "typo"}, "behavior"),
    ({"rep_goal": "quota"}, "rep_goal"),                              # a word, not the rep's own goal
    ({"rep_goal": None}, "rep_goal"),
    ({"habit_cue": "ask about cost"}, "habit_cue"),                   # a behaviour, not the moment that triggers it
    ({"habit_cue": "when"}, "habit_cue"),
    ({"routine": "practice discovery questions more often"}, "routine"),  # no slot in the week
    ({"routine": "Mondays"}, "routine"),
])
def test_each_problem_is_reported_on_its_field(good_plan, change, field):
    problems = plan_problems(dict(good_plan, **change), as_of=AS_OF)
    assert field in _fields(problems), problems
    assert "1.25" not in " ".join(problems), "messages never give the expected value"


def test_a_wrong_baseline_does_not_hide_a_bad_target(good_plan):
    problems = plan_problems(dict(good_plan, baseline=3.2, target=4.9), as_of=AS_OF)
    assert _fields(problems) == ["baseline", "target"]


def test_missing_fields_and_non_dicts():
    plan = {"rep_id": "R029"}
    assert sorted(_fields(plan_problems(plan, as_of=AS_OF))) == sorted(set(PLAN_FIELDS) - {"rep_id"})
    assert "dict" in plan_problems(["R029"], as_of=AS_OF)[0]


@pytest.mark.parametrize("cue", ["When a buyer names a problem", "after each demo, before I leave the room",
                                 "Before every first call", "As soon as the buyer mentions price"])
def test_a_cue_names_the_moment_that_triggers_the_habit(good_plan, cue):
    assert plan_problems(dict(good_plan, habit_cue=cue), as_of=AS_OF) == []


@pytest.mark.parametrize("routine", ["Each Friday afternoon, twenty minutes listening to one of my calls",
                                     "Daily, 15 minutes after lunch, reviewing tomorrow's first calls",
                                     "Tuesdays at 4pm: role-play one objection with Ana"])
def test_a_routine_names_a_slot_in_the_week(good_plan, routine):
    assert plan_problems(dict(good_plan, routine=routine), as_of=AS_OF) == []


def test_a_period_can_be_given(good_plan):
    period = (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-06-30"))
    assert "baseline" in _fields(plan_problems(good_plan, as_of=AS_OF, period=period))
