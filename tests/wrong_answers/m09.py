"""Plausible wrong answers for 09-capstone-your-first-90-days."""
from wrong_answers import WrongAnswer

MODULE = "09-capstone-your-first-90-days"
_DASHBOARD = (
    'won_in_quarter = team_opps[(team_opps["outcome"] == "won") & (team_opps["closed_quarter"] == QUARTER)]\n'
    'decided = team_opps[team_opps["created_quarter"].isin(LAST_FOUR) & team_opps["outcome"].isin(["won", "lost"])]\n'
    'cohort = team_opps[team_opps["created_quarter"].isin(LAST_FOUR)]\n'
)
_BEATRIZ = (
    'plan_first = {\n'
    '    "rep_id": ids["Beatriz Duarte"],\n'
    '    "rep_goal": "Earn a place on the enterprise team within two years",\n'
    '    "focus_skill": "objection_handling",\n'
    '    "behaviour": "Ask what is behind a concern and play it back before answering it",\n'
    '    "habit_cue": "When a buyer names a problem or raises a concern",\n'
    '    "routine": "Every Monday at 8:30, fifteen minutes preparing the first calls of the week",\n'
    '    "leading_indicator": "scorecard_objection_handling",\n'
    '    "baseline": BASELINE_VALUE,\n'
    '    "target": 2.5,\n'
    '    "target_date": "2025-09-30",\n'
    '    "check_in_cadence_days": 14,\n'
    '}'
)
WRONG = [
    WrongAnswer(  # pipeline as every deal's amount, won and lost included
        answer_cell="dashboard_answer",
        code=_DASHBOARD + (
            'dashboard = {"pipeline_value": int(team_opps["amount"].sum()),\n'
            '             "closed_value": int(won_in_quarter["amount"].sum()),\n'
            '             "win_rate": float((decided["outcome"] == "won").mean())}'
        ),
        loses=("summit_pipeline_counts_open_only",),
    ),
    WrongAnswer(  # open deals counted as lost in the win rate
        answer_cell="dashboard_answer",
        code=_DASHBOARD + (
            'dashboard = {"pipeline_value": int(team_opps.loc[team_opps["outcome"] == "open", "amount"].sum()),\n'
            '             "closed_value": int(won_in_quarter["amount"].sum()),\n'
            '             "win_rate": float((cohort["outcome"] == "won").mean())}'
        ),
        loses=("summit_win_rate_leaves_out_open_deals",),
    ),
    WrongAnswer(  # the team's mean as the yardstick (the diagnosis happens to survive it)
        answer_cell="gap_index_answer",
        code=(
            'gap_index = pd.DataFrame({m: comparison[m] / comparison[m].mean() for m in GAP_METRICS})\n'
            'for m in LOWER_IS_BETTER:\n'
            '    gap_index[m] = comparison[m].mean() / comparison[m]'
        ),
        loses=("summit_gap_index_vs_team_median",),
    ),
    WrongAnswer(  # the new hire diagnosed against veterans: she then also gets a skill focus
        answer_cell="diagnosis_answer",
        code=(
            'largest_gap = gap_index.idxmin(axis=1)\n'
            'diagnosis = {name: LINKS.loc[largest_gap[name], "diagnosis"] if gap_index.loc[name].min() < GAP_THRESHOLD\n'
            '             else "no gap" for name in gap_index.index}'
        ),
        loses=("diagnosis_from_largest_gap_and_tenure", "focus_confirmed_by_scorecards"),
    ),
    WrongAnswer(  # the downturn alone: a big drop taken for the market's doing
        answer_cell="verdict_answer",
        code=(
            'down_change = created[DOWNTURN].mean(axis=1) / created[BASELINE].mean(axis=1) - 1\n'
            'verdict = {name: "no drop" if down_change[name] - down_change.median() >= -0.20 else "market"\n'
            '           for name in created.index}'
        ),
        loses=("excuse_verdict_against_peers",),
    ),
    WrongAnswer(  # a skill focus for the activity gap too
        answer_cell="focus_answer",
        code=(
            'rep_ratings = period_cards.groupby("name")[SKILLS].mean()\n'
            'skill_gaps = rep_ratings - rep_ratings.median()\n'
            'focus = {name: skill_gaps.loc[name].idxmin() for name, label in diagnosis.items()\n'
            '         if label not in ("no gap", "ramping")}'
        ),
        loses=("focus_confirmed_by_scorecards",),
    ),
    WrongAnswer(  # before/after with no comparison group
        answer_cell="nina_did_answer",
        code='nina_did = float(proposal_rate(AFTER)[COACHED] - proposal_rate(BEFORE)[COACHED])',
        loses=("nina_did_vs_uncoached_peers",),
    ),
    WrongAnswer(  # the comeback credited to coaching
        widget=("m09_theo_comeback",
                "That the coaching worked: he went from under a third of quota to about double it."),
        loses=("comeback_is_regression_to_the_mean",),
    ),
    WrongAnswer(  # a sound plan for the ramping new hire, who needs a ramp plan instead
        answer_cell="plan_first_answer",
        code=_BEATRIZ.replace('ids["Beatriz Duarte"]', 'ids["Fatima Nakamura"]').replace(
            "BASELINE_VALUE", 'plans.indicator_value("scorecard_objection_handling", ids["Fatima Nakamura"], *PLAN_PERIOD)'
        ).replace('"target": 2.5', '"target": 3.0'),
        loses=("plan_first_fits_a_controllable_gap",),
    ),
    WrongAnswer(  # the team's median as the rep's baseline
        answer_cell="plan_first_answer",
        code=_BEATRIZ.replace("BASELINE_VALUE", 'float(leading["scorecard_objection_handling"].median())'),
        loses=("plan_first_holds_up_in_the_data",),
    ),
    WrongAnswer(  # the second plan for the same rep as the first
        answer_cell="plan_second_answer",
        code=_BEATRIZ.replace("plan_first", "plan_second").replace(
            "BASELINE_VALUE", 'plans.indicator_value("scorecard_objection_handling", ids["Beatriz Duarte"], *PLAN_PERIOD)'),
        loses=("plan_second_fits_another_controllable_gap",),
    ),
    WrongAnswer(  # a review date a year away: no urgency, no check on the plan this quarter
        answer_cell="plan_second_answer",
        code=(
            'plan_second = {\n'
            '    "rep_id": ids["Bianca Yilmaz"],\n'
            '    "rep_goal": "Earn a place on the enterprise team within two years",\n'
            '    "focus_skill": "prospecting activity",\n'
            '    "behaviour": "Block two mornings a week for calls to new prospects",\n'
            '    "habit_cue": "When a buyer names a problem or raises a concern",\n'
            '    "routine": "Every Monday at 8:30, fifteen minutes preparing the first calls of the week",\n'
            '    "leading_indicator": "weekly_calls",\n'
            '    "baseline": plans.indicator_value("weekly_calls", ids["Bianca Yilmaz"], *PLAN_PERIOD),\n'
            '    "target": 28.0,\n'
            '    "target_date": "2026-06-30",\n'
            '    "check_in_cadence_days": 7,\n'
            '}'
        ),
        loses=("plan_second_holds_up_in_the_data",),
    ),
    WrongAnswer(  # let it slide, interrogated, rescued
        widget=("m09_missed_commitment", [0, 0, 1, 0, 1]),
        loses=("missed_commitment_followed_up",),
    ),
    WrongAnswer(  # asked well, then advised and ended on pressure without a commitment of hers
        widget=("m09_missed_commitment", [1, 1, 0, 2, 0]),
        loses=("missed_commitment_followed_up",),
    ),
]
