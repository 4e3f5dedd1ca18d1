"""Plausible wrong answers for 07-feedback-and-the-coaching-plan."""
from wrong_answers import WrongAnswer

MODULE = "07-feedback-and-the-coaching-plan"
WRONG = [
    WrongAnswer(  # 'lately' taken for a situation
        widget=('m07_sbi_missing', {
            'On Tuesday’s call with Orion Logistics, after the buyer mentioned missed delivery windows, you asked how many a month and what each one costs. She worked the number out loud and asked you for a proposal.': 'complete SBI',
            'In this morning’s call with Lakeside Dental, you let the office manager finish every answer and played it back in one sentence. She then told you about the board meeting that moves our timeline.': 'complete SBI',
            'You always jump to the demo before you know what the problem costs, so buyers end up comparing prices.': 'no situation',
            'Lately you’ve been ending calls without a date for the next meeting, and your deals sit for weeks.': 'complete SBI',
            'In Wednesday’s demo for Harbor Packaging you came across as arrogant, and their CFO left after ten minutes.': 'no behaviour (a judgement)',
            'When Cedar Labs pushed back on price in Friday’s call, you folded like a beginner, and we gave away eight points of discount.': 'no behaviour (a judgement)',
            'In Monday’s call with Silverline Freight, you asked four questions about their current process before showing anything.': 'no impact',
        }),
        loses=('sbi_statements_sorted',),
    ),
    WrongAnswer(  # daily check-ins
        widget=('m07_check_in', 'A 9 am call every day: Ivan reads you the questions he plans to ask on that day’s calls.'),
        loses=('check_in_without_micromanaging',),
    ),
    WrongAnswer(  # the bottom of the scoreboard, not the largest skill gap
        answer_cell='plan_rep_answer',
        code='results = course.load("quarterly_results")\nh1 = results[results["rep_id"].isin(team_reps["rep_id"]) & results["quarter"].isin(["2025Q1", "2025Q2"])]\nplan_rep = h1.groupby("rep_id")["quota_attainment_pct"].mean().idxmin()',
        loses=('plan_rep_has_largest_skill_gap',),
    ),
    WrongAnswer(  # the lowest average over all skills hides the one weak skill
        answer_cell='plan_rep_answer',
        code='scores = cards[cards["call_date"].between(*BASELINE)].groupby("rep_id")[SKILLS].mean()\nplan_rep = scores.mean(axis=1).idxmin()',
        loses=('plan_rep_has_largest_skill_gap',),
    ),
    WrongAnswer(  # all his deals since 2023, not the baseline period
        answer_cell='baseline_rate_answer',
        code='ivan_deals = opps[opps["rep_id"] == ivan_id]\nbaseline_rate = float((ivan_deals["furthest_stage"] >= "proposal").sum() / (ivan_deals["furthest_stage"] >= "qualified").sum())',
        loses=('baseline_rate_is_ivans_last_two_quarters',),
    ),
    WrongAnswer(  # won deals forgotten: == instead of >=
        answer_cell='baseline_rate_answer',
        code='ivan_deals = opps[(opps["rep_id"] == ivan_id) & opps["created_date"].between(*BASELINE)]\nbaseline_rate = float((ivan_deals["furthest_stage"] == "proposal").sum() / (ivan_deals["furthest_stage"] >= "qualified").sum())',
        loses=('baseline_rate_is_ivans_last_two_quarters',),
    ),
    WrongAnswer(  # the team's median as the baseline
        answer_cell='plan_answer',
        code='plan = {\n    "rep_id": ivan_id,\n    "rep_goal": "Earn a place on the enterprise team within two years",\n    "focus_skill": "discovery_questions",\n    "behaviour": "When a buyer names a problem, ask what it costs them before showing the product",\n    "habit_cue": "When a buyer names a problem or raises a concern",\n    "routine": "Every Monday at 8:30, fifteen minutes preparing the first calls of the week",\n    "leading_indicator": "scorecard_discovery_questions",\n    "baseline": float(plans.indicator_values("scorecard_discovery_questions", *BASELINE).reindex(team_reps["rep_id"]).median()),\n    "target": 2.5,\n    "target_date": "2025-09-30",\n    "check_in_cadence_days": 14,\n}',
        loses=('baseline_is_reps_real_figure',),
    ),
    WrongAnswer(  # a lagging indicator
        answer_cell='plan_answer',
        code='plan = {\n    "rep_id": ivan_id,\n    "rep_goal": "Earn a place on the enterprise team within two years",\n    "focus_skill": "discovery_questions",\n    "behaviour": "When a buyer names a problem, ask what it costs them before showing the product",\n    "habit_cue": "When a buyer names a problem or raises a concern",\n    "routine": "Every Monday at 8:30, fifteen minutes preparing the first calls of the week",\n    "leading_indicator": "quota_attainment_pct",\n    "baseline": 23.7,\n    "target": 60.0,\n    "target_date": "2025-09-30",\n    "check_in_cadence_days": 14,\n}',
        loses=('indicator_is_one_the_rep_controls', 'baseline_is_reps_real_figure', 'target_and_date_are_reachable'),
    ),
    WrongAnswer(  # six months away
        answer_cell='plan_answer',
        code='plan = {\n    "rep_id": ivan_id,\n    "rep_goal": "Earn a place on the enterprise team within two years",\n    "focus_skill": "discovery_questions",\n    "behaviour": "When a buyer names a problem, ask what it costs them before showing the product",\n    "habit_cue": "When a buyer names a problem or raises a concern",\n    "routine": "Every Monday at 8:30, fifteen minutes preparing the first calls of the week",\n    "leading_indicator": "scorecard_discovery_questions",\n    "baseline": plans.indicator_value("scorecard_discovery_questions", ivan_id, *BASELINE),\n    "target": 2.5,\n    "target_date": "2025-12-31",\n    "check_in_cadence_days": 14,\n}',
        loses=('target_and_date_are_reachable',),
    ),
    WrongAnswer(  # beyond anyone on the team
        answer_cell='plan_answer',
        code='plan = {\n    "rep_id": ivan_id,\n    "rep_goal": "Earn a place on the enterprise team within two years",\n    "focus_skill": "discovery_questions",\n    "behaviour": "When a buyer names a problem, ask what it costs them before showing the product",\n    "habit_cue": "When a buyer names a problem or raises a concern",\n    "routine": "Every Monday at 8:30, fifteen minutes preparing the first calls of the week",\n    "leading_indicator": "scorecard_discovery_questions",\n    "baseline": plans.indicator_value("scorecard_discovery_questions", ivan_id, *BASELINE),\n    "target": 4.5,\n    "target_date": "2025-09-30",\n    "check_in_cadence_days": 14,\n}',
        loses=('target_and_date_are_reachable',),
    ),
    WrongAnswer(  # daily check-ins
        answer_cell='plan_answer',
        code='plan = {\n    "rep_id": ivan_id,\n    "rep_goal": "Earn a place on the enterprise team within two years",\n    "focus_skill": "discovery_questions",\n    "behaviour": "When a buyer names a problem, ask what it costs them before showing the product",\n    "habit_cue": "When a buyer names a problem or raises a concern",\n    "routine": "Every Monday at 8:30, fifteen minutes preparing the first calls of the week",\n    "leading_indicator": "scorecard_discovery_questions",\n    "baseline": plans.indicator_value("scorecard_discovery_questions", ivan_id, *BASELINE),\n    "target": 2.5,\n    "target_date": "2025-09-30",\n    "check_in_cadence_days": 1,\n}',
        loses=('check_ins_every_one_to_two_weeks',),
    ),
    WrongAnswer(  # monthly check-ins
        answer_cell='plan_answer',
        code='plan = {\n    "rep_id": ivan_id,\n    "rep_goal": "Earn a place on the enterprise team within two years",\n    "focus_skill": "discovery_questions",\n    "behaviour": "When a buyer names a problem, ask what it costs them before showing the product",\n    "habit_cue": "When a buyer names a problem or raises a concern",\n    "routine": "Every Monday at 8:30, fifteen minutes preparing the first calls of the week",\n    "leading_indicator": "scorecard_discovery_questions",\n    "baseline": plans.indicator_value("scorecard_discovery_questions", ivan_id, *BASELINE),\n    "target": 2.5,\n    "target_date": "2025-09-30",\n    "check_in_cadence_days": 30,\n}',
        loses=('check_ins_every_one_to_two_weeks',),
    ),
    WrongAnswer(  # the behaviour left out
        answer_cell='plan_answer',
        code='plan = {\n    "rep_id": ivan_id,\n    "rep_goal": "Earn a place on the enterprise team within two years",\n    "focus_skill": "discovery_questions",\n    "habit_cue": "When a buyer names a problem or raises a concern",\n    "routine": "Every Monday at 8:30, fifteen minutes preparing the first calls of the week",\n    "leading_indicator": "scorecard_discovery_questions",\n    "baseline": plans.indicator_value("scorecard_discovery_questions", ivan_id, *BASELINE),\n    "target": 2.5,\n    "target_date": "2025-09-30",\n    "check_in_cadence_days": 14,\n}',
        loses=('plan_is_complete',),
    ),
    WrongAnswer(  # a consistent plan for Kenji, the rep with no wins
        answer_cell='plan_answer',
        code='plan = {\n    "rep_id": "R030",\n    "rep_goal": "Earn a place on the enterprise team within two years",\n    "focus_skill": "objection_handling",\n    "behaviour": "When a buyer names a problem, ask what it costs them before showing the product",\n    "habit_cue": "When a buyer names a problem or raises a concern",\n    "routine": "Every Monday at 8:30, fifteen minutes preparing the first calls of the week",\n    "leading_indicator": "scorecard_objection_handling",\n    "baseline": plans.indicator_value("scorecard_objection_handling", "R030", *BASELINE),\n    "target": 3.5,\n    "target_date": "2025-09-30",\n    "check_in_cadence_days": 14,\n}',
        loses=('plan_targets_the_gap_in_the_data',),
    ),
    WrongAnswer(  # vague praise, judgment, a leading question, advice, no next step
        widget=("m07_feedback_conversation", [0, 0, 0, 1, 1]),
        loses=("feedback_conversation_coached",),
    ),
    WrongAnswer(  # good SBI conversation, but the manager writes the plan: no commitment of Ivan's own
        widget=("m07_feedback_conversation", [3, 1, 2, 0, 2]),
        loses=("feedback_conversation_coached",),
    ),
    WrongAnswer(  # a habit taken for a skill: the cue ('When a buyer names...') missed
        widget=('m07_skill_habit_routine', {
            'Asking what a problem costs, then following the answer with a sharper question.': 'skill',
            'Handling a price objection without reaching for a discount.': 'skill',
            'When a buyer names a problem, asking what it costs before showing anything.': 'skill',
            "After every demo, sending the recap before leaving the customer's parking lot.": 'habit',
            "Every Monday at 8:30, fifteen minutes writing the questions for the week's first calls.": 'routine',
            'A twenty-minute call review with you every other Tuesday.': 'routine',
        }),
        loses=('skill_habit_routine_sorted',),
    ),
    WrongAnswer(  # a behaviour in place of the habit's cue, and no slot in the week for the routine
        answer_cell='plan_answer',
        code='plan = {\n    "rep_id": ivan_id,\n    "rep_goal": "Be the one the team sends to the big insurance accounts",\n    "focus_skill": "discovery_questions",\n    "behaviour": "When a buyer names a problem, ask what it costs them before showing the product",\n    "habit_cue": "Ask about cost",\n    "routine": "Practice discovery questions more",\n    "leading_indicator": "scorecard_discovery_questions",\n    "baseline": plans.indicator_value("scorecard_discovery_questions", ivan_id, *BASELINE),\n    "target": 2.5,\n    "target_date": "2025-09-30",\n    "check_in_cadence_days": 14,\n}',
        loses=('plan_names_goal_habit_and_routine',),
    ),
]
