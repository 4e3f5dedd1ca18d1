"""Self-checks for Module 00 · Orientation."""
from course.checks import Exercise, whole_number
from course.widgets import MultipleChoice


q1 = Exercise(
    "m00_team_size", "team_size", "98b8f3c7e02b746ff4dfb48f22c1ce1876da864f8c2d1263028a7530e3e4df2e",
    hint_text="`reps[\"team\"] == first_team` is True for each rep on that team; `.sum()` counts the Trues.",
    shape=whole_number,
    mistakes={
        "bfb11e98200d594fccf1d5516eb64c4b2ba8c2aded530399a1b0368839e3deaf": "that is every rep in the company. Keep only the rows of `first_team`.",
    },
)


# ------------------------------------------------------------------ widget questions
# Each is built by a function named after its notebook variable. Feedback is sealed
# (course.answers.seal_feedback) for every option; the clear text is instructor material in
# grading/answer_key/widget_feedback/00-orientation.json.
def how_grading_works() -> MultipleChoice:
    """When your notebook is graded, what does the grader do?"""
    return MultipleChoice(
        'm00_how_grading_works',
        'When your notebook is graded, what does the grader do?',
        options=[
            'It reads what is on your screen when you press Submit.',
            'It runs your saved notebook from top to bottom in a fresh kernel.',
            'It checks only the cells you ran most recently.',
        ],
        answer_hash='98029092f8fc80011cbc0c5601ddd3b5f96fce634064b5de7d2ddee0a1109a89',
        hint="Think about why 'Restart Kernel and Run All Cells' is worth doing before you submit.",
        feedback={
            'It reads what is on your screen when you press Submit.':
                'sealed:etr7YZSG9wwWW2SoldllMTNYgAL9E8gmo8vu5DvkIwolB1hIxMgLbrFRpgWZtI8G5H7LqkZRoA==',
            'It runs your saved notebook from top to bottom in a fresh kernel.':
                'sealed:cJyXPbIsvY38KyrZt/UbNqKRVsNUDR16bAc8bnTpeoo9VVxkRVs0IYoxxs6Q7f26OXezrxN1bbnJTnHhUvxuTGPSp9JdezZLIsMlPkvgtUnzHOoh7DRiRYv/F7OeNfUsYU2LA0PKm9SkXitaTAsLZLaw',
            'It checks only the cells you ran most recently.':
                'sealed:Bx4hdes4AAZAMej0N/0bSjxhBTpgFN+nbn5vYKbzovyXGVPdc8KiuStvuED/24ti3uYLPw==',
        },
    )
