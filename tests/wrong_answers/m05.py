"""Plausible wrong answers for 05-observe-before-you-coach."""
from wrong_answers import WrongAnswer

MODULE = "05-observe-before-you-coach"
WRONG = [
    WrongAnswer(  # compared with the average of all the team's calls, not the median rep
        answer_cell="skill_gaps_answer",
        code='skill_gaps = cards.groupby("name")[SKILLS].mean() - cards[SKILLS].mean()',
        loses=("skill_gaps_vs_median_rep",),
    ),
    WrongAnswer(  # "weak at closing, so coach next steps": Wren gets her second-weakest skill
        answer_cell="focus_answer",
        code=(
            'focus = {name: {"skill": skill_gaps.loc[name].idxmin(), "scorecard_evidence": skill_gaps.loc[name].idxmin(),\n'
            '                "funnel_evidence": LINKS.loc[skill_gaps.loc[name].idxmin(), "funnel_metric"]} for name in FLAGGED}\n'
            'focus["Wren Petrov"] = {"skill": "next_steps", "funnel_evidence": "avg_cycle_days", "scorecard_evidence": "next_steps"}'
        ),
        loses=("focus_skill_is_weakest_vs_team", "focus_funnel_evidence_is_linked_metric"),
    ),
    WrongAnswer(  # the right skills, but the win rate cited as funnel evidence for everyone
        answer_cell="focus_answer",
        code=(
            'focus = {name: {"skill": skill_gaps.loc[name].idxmin(), "scorecard_evidence": skill_gaps.loc[name].idxmin(),\n'
            '                "funnel_evidence": "win_rate"} for name in FLAGGED}'
        ),
        loses=("focus_funnel_evidence_is_linked_metric",),
    ),
    WrongAnswer(  # scorecards alone: every rep whose weakest gap passes the cut-off
        answer_cell="false_alarms_answer",
        code='false_alarms = sorted(name for name, row in skill_gaps.iterrows() if row.min() <= GAP_CUTOFF)',
        loses=("false_alarms_fail_funnel_check",),
    ),
    WrongAnswer(
        widget=("m05_skill_or_will", {
            "Handled pricing objections well in last week's role-play, but avoids booking the calls where they will come up.": "skill",
            "Asks for a next step on every call, but the steps are vague: \"let's touch base next week\".": "skill",
            "Activity fell by half after missing the team-lead promotion; scorecards are unchanged.": "will",
            "Tries to quantify the customer's problem but never gets past \"it's slow\": the questions stay on the surface.": "skill",
            "Knows how to log calls in the CRM and has been reminded twice, but still doesn't.": "will",
            "Prepares for hours for the big account, yet when procurement pushes on price, offers a discount before asking what is behind the push.": "skill",
        }),
        loses=("skill_or_will_sorted",),
    ),
]
WRONG += [
    WrongAnswer(  # the pull to the middle: a 3 whenever unsure
        answer_cell="my_scores_answer",
        code='my_scores = {"E1": 3, "E2": 3, "E3": 3, "E4": 3, "E5": 3}',
        loses=("scores_agree_with_coach_within_one",),
    ),
    WrongAnswer(  # leniency: every rep gets a 4 or a 5
        answer_cell="my_scores_answer",
        code='my_scores = {"E1": 4, "E2": 5, "E3": 4, "E4": 3, "E5": 5}',
        loses=("scores_agree_with_coach_within_one",),
    ),
]
