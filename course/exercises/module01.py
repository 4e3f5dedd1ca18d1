"""Self-checks for Module 01 · Managing vs. coaching."""
from collections.abc import Mapping

from course.checks import Classification, Exercise, text
from course.widgets import MultipleChoice, Sorter

REVIEW_KEYS = {"pipeline_created", "proposals_presented", "deals_closed", "closed_value"}


def _review_shape(value):
    if not isinstance(value, Mapping):
        return "give a dict, for example {'pipeline_created': ..., 'proposals_presented': ..., ...}."
    if set(value) != REVIEW_KEYS:
        return f"use exactly the keys {sorted(REVIEW_KEYS)}."
    return None


q1 = Classification(
    "m01_classify_remarks", "labels", "27c7738d0b205430127f6a94bfafc52542365adc444bd2f1beed724ab79867da",
    hint_text=("Ask of each remark: is it about one rep's skills and behaviors, or about results and rules? "
               "Does it help the rep think, or tell them what to do? Being one-on-one, or being a question, "
               "is not enough on its own."),
    labels=("managing", "coaching"),
    item_hashes={
        "A01": "b3cc52bd5a0074c4485fb4c81e330c19b1eaae7fe68a080306d3ae3512110bc2",
        "A02": "586e7cc84b21fd34e03d8102bc9c96d6576e3ffc5fa1f4655f06df20ba4cb091",
        "A03": "1787390ad89f4cb6586e746b0815f4cdbba92ded0bb00c406a493c9fe04e9025",
        "A04": "aee3da540dc5e5d784c030861b35ccc93f4882e67e04c5492ea45e57d30a48e3",
        "A05": "67c1ce83bba1f4f49c2e7a4a68e80cfcafb4dd2ddc096ff1d2f9a6241e15709d",
        "A06": "5007a2e566b392de7095e204856d1429a730e3e1958ff7dc4d0f23a4e3b80518",
        "A07": "5008c891373f8f29a8d5493a3eac96e296ab41a0e001f2077110efbcf0caa898",
        "A08": "ff78c6b7c596156ce5b24fdb67153aee19c76b8ae7597afa8984e978872affa2",
        "A09": "abe8580435ffb24157e8bd36824aab495b301a1df539dd6b6b4d8fdfa0ae5cd5",
        "A10": "ba3ab4cafdcc88c06bf60481962f221292172180641ca695a97e397e74dbe86e",
        "A11": "6d3c01e1eb89a2d849b4dc498036d058b45023f2e12661e80f15d7a3c1e8a29e",
        "A12": "77936629ce461fd2b382126fd19c9d3537988d7618dd2e63a8b1474953d8b34a",
        "A13": "d9b4ed82f7ab73d9a931d12eb34956988fdfa4ebf4b4ae7a22cb913f16912d79",
        "A14": "3b9695a3c959228c834a44133717e1280b2a233f4df593ca20a7ad78e544b5e6",
        "A15": "54e1ac08faa9faa2324ac167e846148d087dde50e1251513dec9dc634fb05f50",
        "A16": "a24df87117daa9fa7c89cec95d79c9d7bdb9584fd2928c606d2065aa0ceddd62",
    },
)

q2 = Exercise(
    "m01_team_review", "team_review", "01e91209073924bcde57b620513a1432897553433381cac2ba791e44cf7bd5aa",
    hint_text="`quarter[[...four columns...]].sum()` adds up each column; `.to_dict()` turns the result into a dict.",
    shape=_review_shape,
    mistakes={
        "8ccd88de0fab0af0653daaee2ccd7b32d8757e8d1dce4d82915a6318f66294cc": "these are averages per rep. Your director wants the team's totals.",
    },
)

q3 = Exercise(
    "m01_coach_first", "coach_first", "bca7438b0ddc234419f6e60271e6ef0a72fdcd82a8374cb2c62975d90cf535b5",
    hint_text=("Divide the `deals_closed` column of `year` by its `proposals_presented` column, "
               "then `.idxmin()` gives the row with the lowest rate."),
    shape=text,
    mistakes={
        "aef030a7e9aefd414e833da9c706eb75f9303104564490d139d1e55f67a56894": "that rep has the highest proposal win rate: the one a coach might learn from, not start with.",
        "4f9d043db1b92017bd4f65d38e791f846709886cf987920961536cdee254bdeb": "that rep closed the fewest deals, but also presented few proposals. Compare rates, not counts.",
    },
)


# ------------------------------------------------------------------ widget questions
# Each is built by a function named after its notebook variable. Feedback is sealed
# (course.answers.seal_feedback) for every option; the clear text is instructor material in
# grading/answer_key/widget_feedback/01-managing-vs-coaching.json.
def first_question() -> MultipleChoice:
    """Which opening is coaching?"""
    return MultipleChoice(
        'm01_first_question',
        'Which opening is coaching?',
        options=[
            '"Your proposal win rate is the lowest on the team. We need it up by next quarter."',
            '"Which of your open proposals will close this month?"',
            '"Walk me through the last proposal that didn\'t close. What happened after you sent it?"',
            '"Use the new proposal template. It\'s working for the others."',
        ],
        answer_hash='912bc55603a21376be6a94852398458a57221b46da7c1e8d6d96b982e452db5e',
        hint='Which opening makes the rep do the thinking, about their own work rather than the forecast?',
        feedback={
            '"Your proposal win rate is the lowest on the team. We need it up by next quarter."':
                'sealed:OXuYEIfdialLpVNC3v867Xuv87fgtHXZqyx+s2VHY9vvwLNrmZiXzqrrXS6C9lgGXvHs6dYqQAN+pw==',
            '"Which of your open proposals will close this month?"':
                'sealed:Yxnf5GgfBztAkIUx7KsvJmO+xipMCBS7xlvB4MC4NFsI6IpyA+tRNXh9gBcPfYW9bH1+7rH+vadd7TNmxJGpgnPdZoqkGwJz9GI=',
            '"Walk me through the last proposal that didn\'t close. What happened after you sent it?"':
                'sealed:Cgd3WDsGfgDFaNjbzehUApXrqAO3PWmoWV8TsDXHMUCCogmiUSvHtGQihduE3FqZ/xlH9/iekA6NZqf10O/LeY5zIzIGGhUFILj1gDZjvjf66cPNQYc5QpK47++ubyUM0YP2uL94ERCJYCtAJkvwGS7wZCRCeTw4',
            '"Use the new proposal template. It\'s working for the others."':
                'sealed:VMaXOAtaSIXM+VnNmRAer5Az6XaSSrqmKfrz1F50qVCjrDh1Uv/wGXef7CTLZoBdZdUwAbk=',
        },
    )


def ask_or_tell() -> Sorter:
    """Put each remark in the bin that describes what it does."""
    return Sorter(
        'm01_ask_or_tell',
        items=[
            'What would you try differently on the next call?',
            'Send the proposal by Friday.',
            "Don't you think you should call them today?",
            'How did the buyer react when you mentioned price?',
            "Next time, open with the customer's goals, not our features.",
            "What's one skill you'd like to get better at this month?",
        ],
        bins=['asking', 'telling'],
        answer_hash='e6c514a5000b27cb106aadfb85f705ca2a798411eeb0ac65966a0c440046e93a',
        hint="A leading question ('Don't you think…?') already contains your answer.",
        prompt='Put each remark in the bin that describes what it does.',
    )


def five_roles() -> Sorter:
    """Exercise 6: which role is the coach playing in each remark?"""
    return Sorter(
        "m01_five_roles",
        items=[
            "Before you send it, let me walk you through how I build a pricing page, line by line.",
            "You've sounded flat since the Acme loss. What's weighing on you?",
            "At hospitals the IT security review adds a month. Start it at the first meeting, not the last.",
            "What would a good outcome of Thursday's meeting look like for you?",
            "Your last three demos all ended with a date for the next meeting. That's new. What changed?",
            "Watch me run the first ten minutes of this call; you take the next ten.",
            "Here the regional VP signs every deal over the threshold, so her chief of staff is worth knowing early.",
            "You've listed three ways to reach the CFO. Which would you try first?",
            "You said you're worried this quarter makes you look like a bad hire. Tell me more about that.",
            "Two months ago price questions threw you; today you handled three in a row. Keep that going.",
        ],
        bins=["counselor", "teacher", "guide", "facilitator", "cheerleader"],
        answer_hash="eb5df09261895e16744c76b00ed4cf34ee55d4533bf60ed90acbdc536232bcf3",
        hint=("Ask what the remark does for the rep. Works through a feeling or a worry? Shows a skill they "
              "lack? Shares how things work here? Helps them find their own answer? Notices progress so it sticks?"),
        prompt="Which role is the coach playing in each remark?",
        explain=("Each role has its moment. Notice that two remarks end with a question and are still not the "
                 "facilitator: a question can also counsel or cheer."),
    )


def role_for_situation() -> MultipleChoice:
    """Exercise 6: the role a situation calls for first."""
    return MultipleChoice(
        'm01_role_for_situation',
        'Dana has sold here for eight years and has never missed her number, until this quarter. In your one-on-one she says quietly: "Maybe I\'ve lost it." Which role does this moment call for first?',
        options=[
            'Teacher: show her the closing sequence you used when you carried a quota.',
            "Cheerleader: remind her she has been the team's steadiest closer for eight years.",
            'Counselor: ask what this quarter has been like for her, and listen before anything else.',
            'Guide: explain how the new pricing approvals slow big deals, so she can plan around them.',
        ],
        answer_hash='52c05e2d54cdc743bbad2a6bb342f8868c0622a6a30ecd0aebe4db03687eef5f',
        hint='Before any skill, map or praise: what is in the way for Dana right now, and who has to name it?',
        feedback={
            'Teacher: show her the closing sequence you used when you carried a quota.':
                'sealed:G7oVpPAxWAZYHkTAaxhJBihhjwTSJDzuYe2pNALhFVv23DKqnGNJWifONn4XdU2vChXIStVe/t84jAiVJfFKehNr6wHdzWHuie8FkxlSPpPCz3eerGYQ8OSt1eKdilA+JA==',
            "Cheerleader: remind her she has been the team's steadiest closer for eight years.":
                'sealed:2hcBcL29L613cN1NLEXkce3yWArneap55BlJCpRovgtLw8bAo3aKbwd+Fj1YQkH+huA0zfBJelYoMx7V8ARUvqb3Hp06SyUjQ3P9D5IlUVLws7Tg3QBaRUinncBAV70X649thfqpOL/fLt5Dzl/mda8=',
            'Counselor: ask what this quarter has been like for her, and listen before anything else.':
                'sealed:A2/Eq/1eb61Zawq9/bNDzE8Jt9n5Aq9tIY+qUkWehIsZMcHv+E7b5uqy9etImm6HwjmXDO00p3ShRRZNoVPKDflNnXelMbYzJICtzYRwPFU3zWkATob/EIEjZh/25/DDH7rliGPuDdwyayzxOKucUC8WQIKUc/pshWK/WtIIBfjT25Om2IrDLQBx7pB1FhR8gw==',
            'Guide: explain how the new pricing approvals slow big deals, so she can plan around them.':
                'sealed:wNHfL8w9gEB/BiMtS3vE/XcTmpDnqh8ayJMKWEeXZnDJ7BhIXX5QkDGpw2ktbdjPaOgh/4Nid1L4OdGvCugFlHdV9gRIY8Hz6qJuri3qS428q46s3YZvFgSJpiWD5ZqWNd7i1gjJWtZSAxwYcjdOgK6KcbJWhw==',
        },
    )
