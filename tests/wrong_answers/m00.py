"""Plausible wrong answers for 00-orientation."""
from wrong_answers import WrongAnswer

MODULE = "00-orientation"
WRONG = [
    WrongAnswer(  # counts every rep in the company, not the team
        answer_cell="team_size_answer", code="team_size = len(reps)",
        loses=("team_size_counts_reps_on_team",),
    ),
    WrongAnswer(
        widget=("m00_how_grading_works", "It reads what is on your screen when you press Submit."),
        loses=("how_grading_works_answered",),
    ),
]
