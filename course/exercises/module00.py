"""Self-checks for Module 00 · Orientation."""
from course.checks import Exercise, whole_number


q1 = Exercise(
    "m00_team_size", "team_size", "98b8f3c7e02b746ff4dfb48f22c1ce1876da864f8c2d1263028a7530e3e4df2e",
    hint_text="`reps[\"team\"] == first_team` is True for each rep on that team; `.sum()` counts the Trues.",
    shape=whole_number,
    mistakes={
        "bfb11e98200d594fccf1d5516eb64c4b2ba8c2aded530399a1b0368839e3deaf": "that is every rep in the company. Keep only the rows of `first_team`.",
    },
)
