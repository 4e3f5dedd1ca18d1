"""Plausible wrong answers, per module: each must lose exactly the points of the cells it names.

A wrong answer is either code put in place of a solution cell (`answer_cell` is that cell's
grade_id) or an answer given through a widget (`widget`: question id and the wrong answer,
written to the answers file a learner submits). `loses` names the autograded test cells that
must then score zero.
"""
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WrongAnswer:
    loses: tuple[str, ...]
    answer_cell: str = ""
    code: str = ""
    widget: tuple[str, Any] | None = None


WRONG_ANSWERS: dict[str, list[WrongAnswer]] = {
    "00-orientation": [
        WrongAnswer(  # counts every rep in the company, not the team
            answer_cell="team_size_answer", code="team_size = len(reps)",
            loses=("team_size_counts_reps_on_team",),
        ),
        WrongAnswer(  # the longest-serving rep instead of the newest
            answer_cell="newest_rep_answer",
            code='team = reps[reps["team"] == first_team]\nnewest_rep = team.loc[team["hire_date"].idxmin(), "name"]',
            loses=("newest_rep_is_latest_hire",),
        ),
        WrongAnswer(
            widget=("m00_how_grading_works", "It reads what is on your screen when you press Submit."),
            loses=("how_grading_works_answered",),
        ),
    ],
    "01-managing-vs-coaching": [
        WrongAnswer(  # "one-on-one means coaching": the status review A16 labelled coaching
            answer_cell="classify_remarks_answer",
            code=(
                'labels = {f"A{i:02d}": "managing" if i % 2 else "coaching" for i in range(1, 17)}\n'
                'labels["A16"] = "coaching"'
            ),
            loses=("classify_remarks_managing_or_coaching",),
        ),
        WrongAnswer(  # averages per rep instead of team totals
            answer_cell="team_review_answer",
            code='team_review = quarter[["pipeline_created", "proposals_presented", "deals_closed", "closed_value"]].mean().to_dict()',
            loses=("team_review_totals",),
        ),
        WrongAnswer(  # counts instead of rates: the rep with the fewest deals closed
            answer_cell="coach_first_answer",
            code='coach_first = year.loc[year["deals_closed"].idxmin(), "name"]',
            loses=("coach_first_lowest_close_rate",),
        ),
        WrongAnswer(
            widget=("m01_ask_or_tell", {
                "What would you try differently on the next call?": "asking",
                "Send the proposal by Friday.": "telling",
                "Don't you think you should call them today?": "asking",  # the leading-question trap
                "How did the buyer react when you mentioned price?": "asking",
                "Next time, open with the customer's goals, not our features.": "telling",
                "What's one skill you'd like to get better at this month?": "asking",
            }),
            loses=("ask_or_tell_sorted",),
        ),
    ],
}
