"""Plausible wrong answers for 01-managing-vs-coaching."""
from wrong_answers import WrongAnswer

MODULE = "01-managing-vs-coaching"
WRONG = [
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
]
