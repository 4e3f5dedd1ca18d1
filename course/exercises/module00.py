"""Self-checks for Module 00 · Orientation."""
from course.checks import Exercise, text, whole_number


q1 = Exercise(
    "m00_team_size", "team_size", "98b8f3c7e02b746ff4dfb48f22c1ce1876da864f8c2d1263028a7530e3e4df2e",
    hint_text="`reps[\"team\"] == first_team` is True for each rep on that team; `.sum()` counts the Trues.",
    shape=whole_number,
    mistakes={
        "bfb11e98200d594fccf1d5516eb64c4b2ba8c2aded530399a1b0368839e3deaf": "that is every rep in the company. Keep only the rows of `first_team`.",
    },
)

q2 = Exercise(
    "m00_newest_rep", "newest_rep", "64ffb3b82039d10f6e031022f8c8dc5b3b624b45a3a139876c829b91276848ea",
    hint_text="Keep the rows of `first_team`, then `.idxmax()` on `hire_date` gives the row of the latest hire.",
    shape=text,
    mistakes={
        "83a358de3f38b98a2b4aad03b9c1960517fee701e5af95ffc5659794c44e3d10": "that is the rep who has been on the team longest. The newest has the latest date.",
        "e935a5314f280432b266ddf63782a9a68e27a8b514e278f06b4949227b7cb9ca": "that is the newest rep in the whole company. Look only at `first_team`.",
    },
)
