"""Plausible wrong answers for 03-one-reps-numbers."""
from wrong_answers import WrongAnswer

MODULE = "03-one-reps-numbers"
WRONG = [
    WrongAnswer(  # the team's mean as the yardstick instead of the median
        answer_cell="activity_index_answer",
        code=(
            'per_rep = team_weeks.groupby("name")["activities"].mean()\n'
            'activity_index = (per_rep / per_rep.mean()).to_dict()'
        ),
        loses=("activity_index_vs_team_median",),
    ),
    WrongAnswer(  # differences in each metric's own unit: dollars swamp rates
        answer_cell="largest_gap_answer",
        code=(
            'gap_index = pd.DataFrame({m: comparison[m] / comparison[f"{m}_team"] for m in GAP_METRICS})\n'
            'for m in LOWER_IS_BETTER:\n'
            '    gap_index[m] = comparison[f"{m}_team"] / comparison[m]\n'
            'difference = pd.DataFrame({m: comparison[f"{m}_vs_team"] for m in GAP_METRICS})\n'
            'largest_gap = difference.idxmin(axis=1)[gap_index.min(axis=1) < GAP_THRESHOLD].to_dict()'
        ),
        loses=("largest_gap_per_rep_below_threshold",),
    ),
    WrongAnswer(  # no threshold: a "largest gap" for every rep, noise included
        answer_cell="largest_gap_answer",
        code=(
            'gap_index = pd.DataFrame({m: comparison[m] / comparison[f"{m}_team"] for m in GAP_METRICS})\n'
            'for m in LOWER_IS_BETTER:\n'
            '    gap_index[m] = comparison[f"{m}_team"] / comparison[m]\n'
            'largest_gap = gap_index.idxmin(axis=1).to_dict()'
        ),
        loses=("largest_gap_per_rep_below_threshold",),
    ),
    WrongAnswer(  # win rate taken for something a rep does
        widget=("m03_leading_or_lagging", {
            "Calls logged per week": "leading",
            "Win rate": "leading",
            "Customer meetings held per week": "leading",
            "Closed value against quota": "lagging",
            "Discovery questions asked per first call": "leading",
            "Average deal size of won deals": "lagging",
            "Demos given per week": "leading",
        }),
        loses=("leading_or_lagging_sorted",),
    ),
    WrongAnswer(  # the threshold read as a diagnosis
        widget=("m03_new_hire_first_move",
                "Book him on a discovery-skills workshop: a gap under the threshold is a skill gap."),
        loses=("new_hire_first_move",),
    ),
]
