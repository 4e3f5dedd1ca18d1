"""A written coaching plan as one small dict, and the checks that hold it to the data.

Modules 07 (feedback and the coaching plan) and 09 (capstone) write plans like this one::

    plan = {
        "rep_id": "R029",                                   # a rep in course.load("reps")
        "rep_goal": "Make President's Club next year",      # GROW's Goal: what the REP wants, in their words
        "focus_skill": "discovery_questions",               # the ONE skill (or habit) to work on
        "behaviour": "Ask three questions about the cost of the problem before any demo",
        "habit_cue": "When a buyer names a problem",        # the moment that triggers the behavior
        "routine": "Every Monday at 8:30, 15 minutes writing cost questions for the week's first calls",
        "leading_indicator": "scorecard_discovery_questions",   # a key of LEADING_INDICATORS
        "baseline": 1.25,                                   # the rep's real figure, baseline period
        "target": 2.5,                                      # better than the baseline, in reach
        "target_date": "2025-09-30",                        # 4 to 13 weeks after the plan's date
        "check_in_cadence_days": 7,                         # a check-in every 7 to 14 days
    }
    problems = plan_problems(plan, as_of="2025-06-30")      # [] when the plan holds up

A plan names a skill, a habit and a routine (Module 07): the skill is `focus_skill`, practiced
as `behaviour`; `habit_cue` is the moment that triggers it ("When…", "After…", "Before…"); `routine`
is a fixed slot in the week that protects the practice. `rep_goal` is the rep's own goal (GROW's
Goal stage): what they want, which the plan serves.

A focus that is one of the five scorecard skills must be tracked by one of its
SKILL_INDICATORS; another focus (a habit such as "prospecting") may use any leading indicator,
for example weekly_meetings.

The baseline period is the quarter holding `as_of` and the quarter before it, up to `as_of`
(`baseline_period`): for a plan written on 2025-06-30 that is 2025-01-01 to 2025-06-30.

A leading indicator is what the rep could change tomorrow by deciding to (Module 03's
definition): the activity they log and the behavior an observer rates on their calls.
Stage conversion rates and the discount on won deals respond to practice too, but only as deals
run their course, and a rate over a handful of deals swings with a single deal: they are
RESULT_INDICATORS, read at the plan's review to see whether the practice paid off, never the
number a plan tracks week to week. `indicator_values` computes both kinds per rep from the sample
tables. Outcomes such as closed value, quota attainment or win rate are lagging.
"""
from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

__all__ = [
    "LEADING_INDICATORS", "RESULT_INDICATORS", "SKILL_INDICATORS", "SKILL_RESULTS", "LOWER_IS_BETTER",
    "LAGGING_INDICATORS", "PLAN_FIELDS", "CUE_WORDS", "habit_problems",
    "baseline_period", "indicator_values", "indicator_value", "plan_problems",
]

_SKILLS = ("discovery_questions", "active_listening", "value_articulation", "objection_handling", "next_steps")
_ACTIVITIES = ("calls", "emails", "meetings", "demos")

#: indicator name -> what it measures and why the rep can change it tomorrow
LEADING_INDICATORS: dict[str, str] = {
    **{f"weekly_{a}": f"Average {a} logged per week (weekly_activity): the rep decides how many to make."
       for a in _ACTIVITIES},
    **{f"scorecard_{s}": f"Average {s.replace('_', ' ')} rating (1-5) on the rep's calls observed in the period "
                         f"(call_scorecards): behavior the rep shows on every call."
       for s in _SKILLS},
}

#: results of the rep's own deals that practice should move, read at the plan's review (not tracked weekly)
RESULT_INDICATORS: dict[str, str] = {
    "qualified_to_proposal_rate": "Share of the rep's qualified deals, created in the period, that reached a "
                                  "proposal: where better discovery should show, once deals have run their course.",
    "proposal_to_negotiation_rate": "Share of the rep's proposals, on deals created in the period, that reached "
                                    "negotiation: where clearer value should show, once deals have run their course.",
    "median_discount_pct": "Median discount (%) on the rep's deals won in the period: where clearer value should "
                           "show as less given away. Lower is better.",
}

#: focus skill -> the leading indicators that measure it
SKILL_INDICATORS: dict[str, tuple[str, ...]] = {s: (f"scorecard_{s}",) for s in _SKILLS}

#: focus skill -> the results its practice should move (the working-hypothesis link table of Module 05)
SKILL_RESULTS: dict[str, tuple[str, ...]] = {
    "discovery_questions": ("qualified_to_proposal_rate",),
    "value_articulation": ("proposal_to_negotiation_rate", "median_discount_pct"),
}

#: indicators where a smaller number is the improvement
LOWER_IS_BETTER = frozenset({"median_discount_pct"})

#: outcomes a plan should not target: the rep does not control them directly
LAGGING_INDICATORS = ("closed_value", "quota_attainment_pct", "deals_closed", "win_rate", "avg_deal_size",
                      "revenue", "pipeline_created")

#: the plan dict's keys, in the order a plan is written
PLAN_FIELDS = ("rep_id", "rep_goal", "focus_skill", "behaviour", "habit_cue", "routine", "leading_indicator",
               "baseline", "target", "target_date", "check_in_cadence_days")

#: how a habit's cue starts: the moment that triggers the behavior
CUE_WORDS = ("when", "whenever", "after", "before", "as soon as", "each time", "every time", "if")
#: words that put a routine in the calendar: a day, a time of day, a rhythm
_ROUTINE_WHEN = re.compile(
    r"\b(every|each|daily|weekly|fortnightly|(mon|tues|wednes|thurs|fri|satur|sun)days?|"
    r"mornings?|afternoons?|evenings?|\d{1,2}(:\d\d)?\s*(am|pm)|\d{1,2}:\d\d)\b", re.I)

_MIN_DAYS, _MAX_DAYS = 28, 92          # target date: at least four weeks, at most one quarter ahead
_MIN_CADENCE, _MAX_CADENCE = 7, 14     # check-ins: weekly to every two weeks


def baseline_period(as_of) -> tuple[pd.Timestamp, pd.Timestamp]:
    """(start, end) of the baseline: the quarter holding `as_of` and the one before it, up to `as_of`."""
    end = pd.Timestamp(as_of).normalize()
    start = (end.to_period("Q") - 1).start_time
    return start, end


def indicator_values(indicator: str, start, end) -> pd.Series:
    """Every rep's figure for `indicator` over [start, end] (dates included), indexed by rep_id.

    Weekly activity averages the weeks whose Monday falls in the period; scorecards average the
    calls observed in it; stage rates take the deals created in it (open deals count, as in
    `course.metrics.rep_funnel_kpis`); the discount takes the deals won (closed) in it.
    A rep with nothing to measure in the period is left out.
    """
    import course
    from course.metrics import rep_funnel_kpis

    if indicator not in LEADING_INDICATORS and indicator not in RESULT_INDICATORS:
        raise KeyError(f"{indicator!r} is not a leading indicator; choose one of: {', '.join(LEADING_INDICATORS)} "
                       f"(or a result read at the review: {', '.join(RESULT_INDICATORS)})")
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if indicator.startswith("weekly_"):
        table = course.load("weekly_activity")
        table = table[table["week_start"].between(start, end)]
        values = table.groupby("rep_id")[indicator.removeprefix("weekly_")].mean()
    elif indicator.startswith("scorecard_"):
        table = course.load("call_scorecards")
        table = table[table["call_date"].between(start, end)]
        values = table.groupby("rep_id")[indicator.removeprefix("scorecard_")].mean()
    elif indicator == "median_discount_pct":
        table = course.load("opportunities")
        won = table[(table["outcome"] == "won") & table["closed_date"].between(start, end)]
        values = won.groupby("rep_id")["discount_pct"].median()
    else:
        table = course.load("opportunities")
        kpis = rep_funnel_kpis(table[table["created_date"].between(start, end)])
        values = kpis["proposal_rate" if indicator == "qualified_to_proposal_rate" else "negotiation_rate"]
    return values.astype("float64").dropna().rename(indicator)


def indicator_value(indicator: str, rep_id: str, start, end) -> float:
    """One rep's real figure for `indicator` over [start, end]; NaN when there is nothing to measure."""
    return float(indicator_values(indicator, start, end).get(rep_id, math.nan))


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def _is_text(value: Any, min_words: int = 1) -> bool:
    return isinstance(value, str) and len(value.split()) >= min_words


def habit_problems(plan: Mapping) -> list[str]:
    """The rep's goal, the habit's cue and the routine: each present field written as the plan needs it."""
    problems = []
    if "rep_goal" in plan and not _is_text(plan["rep_goal"], 4):
        problems.append("rep_goal: write, in a sentence, what the rep wants for themselves (an income, a promotion, "
                        "a skill they care about): the goal this plan serves, in their words.")
    cue = plan.get("habit_cue")
    if "habit_cue" in plan and not (_is_text(cue, 3) and cue.strip().lower().startswith(CUE_WORDS)):
        problems.append("habit_cue: name the moment that triggers the behavior, starting with 'When', 'After' or "
                        "'Before' (for example 'When a buyer names a problem').")
    routine = plan.get("routine")
    if "routine" in plan and not (_is_text(routine, 4) and _ROUTINE_WHEN.search(routine)):
        problems.append("routine: name a fixed slot in the rep's week that protects the practice: when (a day or "
                        "a time, 'every…') and what happens in it.")
    return problems


def plan_problems(plan: Mapping, *, as_of, period: tuple | None = None) -> list[str]:
    """What is missing or inconsistent with the data in a coaching plan; [] when it holds up.

    Checks that every field of PLAN_FIELDS is present and of the right type; that the rep exists;
    that the rep's goal is a sentence, the habit's cue names a triggering moment and the routine a
    slot in the calendar;
    that the leading indicator is one the rep could change tomorrow (LEADING_INDICATORS) and, when
    the focus is one of the five scorecard skills, one that measures it (SKILL_INDICATORS); that
    the baseline is the rep's
    real figure over `period` (default: `baseline_period(as_of)`) within 2% (or 0.01); that the
    target beats that real figure in the right direction without passing the best figure on the
    rep's team over the same period; that the target date is 4 to 13 weeks after `as_of`; that
    check-ins come every 7 to 14 days.
    Each message names the field and what to fix, never the expected value.
    """
    if not isinstance(plan, Mapping):
        return [f"the plan should be a dict with the fields {', '.join(PLAN_FIELDS)}, not a {type(plan).__name__}."]
    problems = [f"{name}: missing; add it to the plan." for name in PLAN_FIELDS if name not in plan]
    problems += [f"{name}: not a plan field (check the spelling; the fields are {', '.join(PLAN_FIELDS)})."
                 for name in plan if name not in PLAN_FIELDS]
    get = plan.get

    import course

    reps = course.load("reps").set_index("rep_id")
    rep_id = get("rep_id")
    rep_ok = isinstance(rep_id, str) and rep_id in reps.index
    if "rep_id" in plan and not rep_ok:
        problems.append("rep_id: not a rep in the reps table; give an id such as 'R001'.")
    if "focus_skill" in plan and not _is_text(get("focus_skill")):
        problems.append("focus_skill: give the one skill or habit to work on, as text.")
    if "behaviour" in plan and not _is_text(get("behaviour"), 4):
        problems.append("behaviour: describe, in a sentence, what the rep will do differently on their calls "
                        "or in their week.")

    problems += habit_problems(plan)

    indicator = get("leading_indicator")
    indicator_ok = indicator in LEADING_INDICATORS
    if "leading_indicator" in plan and not indicator_ok:
        if indicator in LAGGING_INDICATORS:
            problems.append(f"leading_indicator: {indicator!r} is an outcome (lagging); pick something the rep "
                            "controls from LEADING_INDICATORS.")
        elif indicator in RESULT_INDICATORS:
            problems.append(f"leading_indicator: {indicator!r} is a result of the rep's deals, read at the review; "
                            "the rep cannot change it tomorrow. Track one of LEADING_INDICATORS instead.")
        else:
            problems.append("leading_indicator: not one of LEADING_INDICATORS; pick the name of one the rep controls.")
    elif indicator_ok and indicator not in SKILL_INDICATORS.get(str(get("focus_skill")), LEADING_INDICATORS):
        problems.append("leading_indicator: does not measure focus_skill; pick one of SKILL_INDICATORS[focus_skill].")

    baseline, target = get("baseline"), get("target")
    for name, value in (("baseline", baseline), ("target", target)):
        if name in plan and not _is_number(value):
            problems.append(f"{name}: give a number (a rate as a fraction such as 0.45, not '45%').")
    if rep_ok and indicator_ok and (_is_number(baseline) or _is_number(target)):
        start, end = period or baseline_period(as_of)
        values = indicator_values(indicator, start, end)
        real = values.get(rep_id, math.nan)
        if math.isnan(real):
            problems.append(f"leading_indicator: the data has no figure for this rep between {start:%Y-%m-%d} "
                            f"and {end:%Y-%m-%d}; pick an indicator you can measure.")
        else:
            if _is_number(baseline) and abs(baseline - real) > max(0.01, 0.02 * abs(real)):
                problems.append(f"baseline: not the rep's real figure for {indicator} between {start:%Y-%m-%d} "
                                f"and {end:%Y-%m-%d}; compute it from the data (at least two decimals).")
            if _is_number(target):
                lower = indicator in LOWER_IS_BETTER
                team = reps.index[reps["team"] == reps.loc[rep_id, "team"]]
                team_values = values.reindex(team).dropna()
                best = team_values.min() if lower else team_values.max()
                if (target >= real) if lower else (target <= real):
                    direction = "below" if lower else "above"
                    problems.append(f"target: should be {direction} the rep's real baseline for {indicator}.")
                elif (target < best) if lower else (target > best):
                    problems.append("target: better than anyone on the rep's team managed over the baseline "
                                    "period; set a target within reach by the target date.")

    if "target_date" in plan:
        try:
            date = pd.Timestamp(get("target_date"))
            if pd.isna(date):
                raise ValueError
        except (ValueError, TypeError):
            problems.append("target_date: give a date such as '2025-09-30'.")
        else:
            days = (date.normalize() - pd.Timestamp(as_of).normalize()).days
            if not _MIN_DAYS <= days <= _MAX_DAYS:
                problems.append(f"target_date: should fall {_MIN_DAYS} to {_MAX_DAYS} days after the plan's "
                                "date: long enough to build a habit, short enough to keep it urgent.")
    cadence = get("check_in_cadence_days")
    if "check_in_cadence_days" in plan:
        if not (isinstance(cadence, numbers.Integral) and not isinstance(cadence, bool)):
            problems.append("check_in_cadence_days: give a whole number of days between check-ins.")
        elif not _MIN_CADENCE <= cadence <= _MAX_CADENCE:
            problems.append(f"check_in_cadence_days: check in every {_MIN_CADENCE} to {_MAX_CADENCE} days, "
                            "often enough to catch a slip, not so often that it becomes micromanaging.")
    return problems
