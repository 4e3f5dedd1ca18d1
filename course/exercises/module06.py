"""Self-checks for Module 06 · The coaching conversation.

`leads_talk()` builds the role-play of Exercise 7; its script is in `course/exercises/roleplays.py`.
"""
import numbers

import pandas as pd

from course.checks import Exercise
from course.widgets import MultipleChoice, Sorter
from course.exercises.roleplays import leads_talk  # noqa: F401 - the notebook calls ex.leads_talk()

TRANSCRIPTS = 38  # recorded one-on-ones of the four course teams
MANAGERS = ['Dana Whitfield', 'Elena Varga', 'Marcus Oyelaran', 'Tom Brennan']
BY_TYPE_COLUMNS = {"talk_ratio", "questions_asked", "open_share"}


def _per_transcript(value, *, share):
    if isinstance(value, pd.DataFrame):
        return "give a Series (one value per transcript), not a DataFrame: pick one column with `[...]`."
    if not isinstance(value, pd.Series):
        return "give a pandas Series indexed by transcript_id, like the result of a `groupby(\"transcript_id\")`."
    if len(value) != TRANSCRIPTS:
        return f"give one value per recorded one-on-one ({TRANSCRIPTS}); yours has {len(value)}."
    if not all(isinstance(i, str) and i.startswith("T") for i in value.index):
        return "index it by transcript_id (T002, T003, ...): group by the `transcript_id` column."
    if value.isna().any():
        return "some values are missing (NaN). Check that every transcript has a value."
    if share and not value.between(0, 1).all():
        return ("some values are above 1. A share is between 0 and 1: divide by the total for the whole "
                "transcript (the rep's part too), and don't multiply by 100.")
    if not share and not all(float(v).is_integer() for v in value):
        return "give whole numbers: how many questions, not a share."
    return None


def _ratio_shape(value):
    return _per_transcript(value, share=True)


def _count_shape(value):
    return _per_transcript(value, share=False)


def _by_type_shape(value):
    if not isinstance(value, pd.DataFrame):
        return "give a DataFrame: one row per session type, one column per measure."
    if set(map(str, value.index)) != {"coaching", "status_review"}:
        return "give one row per session type (`groupby(\"session_type\")`): coaching and status_review."
    if set(value.columns) != BY_TYPE_COLUMNS:
        return f"use exactly the columns {sorted(BY_TYPE_COLUMNS)}."
    return None


def _minutes_shape(value):
    if not isinstance(value, pd.Series):
        return "give a pandas Series indexed by manager."
    if set(value.index) != set(MANAGERS):
        return f"give one value per manager of the four course teams: {', '.join(MANAGERS)}."
    if not all(isinstance(v, numbers.Real) for v in value) or not value.between(0, 1).all():
        return "give each share between 0 and 1 (0.25, not 25)."
    return None


q1 = Exercise(
    "m06_talk_ratio", "talk_ratio", "88865e0a08ccf7de1cd6718e0e60e0ae5cf35ded08f190e8d66d97b9372a3dc0",
    hint_text=("Add up `words` per transcript and speaker (`pivot_table` with `aggfunc=\"sum\"`, or "
               "`groupby([\"transcript_id\", \"speaker\"])`), then divide the manager's words by both speakers' words."),
    shape=_ratio_shape,
    mistakes={
        "71e634bec129ddebbb29404bf0823a8cfa7b5b2e5088dbc854a308ff765972e6": "you counted turns. Manager and rep take turns, so that is always about a half. Count words: a long monologue is one turn.",
        "b8b9f6407fb08d18317625c3d27216c310a02f6b9ed0f1b0842e2117c1e327d3": "that is the rep's share of the words. The talk ratio is the manager's share.",
        "bfa0411bb1e13b5a33b15795b1bf5a16898a1e8fd686046bda435f601448abce": "you counted characters. Use the `words` column.",
    },
)

q2 = Exercise(
    "m06_questions_asked", "questions_asked", "5c3ed0ad2e8d0177866c19c9ae74bfe6ceb1b0941ef1917d72cbb0f16cb2294d",
    hint_text=("A turn is a question when `turns[\"text\"].str.endswith(\"?\")`; keep the manager's turns too "
               "(`turns[\"speaker\"] == \"manager\"`), combine the two with `&`, then sum per `transcript_id`."),
    shape=_count_shape,
    mistakes={
        "0301e02d967dde1d86684a4f0f3633b88ed60737e1698cc4424f97f3941b200a": "you counted every turn the manager took. Count only those that end with a question mark.",
    },
)

q3 = Exercise(
    "m06_open_share", "open_share", "2586ddc470c0f52508e0ff8cddc9686aed58b689b48e5393f5ebf2daf56d1085",
    hint_text=("Keep the manager's questions, apply `last_sentence` to their text, lower-case it "
               "(`.str.lower()`) and test `.str.startswith(OPEN_WORDS)`. The mean of True/False per "
               "transcript is the share."),
    shape=_ratio_shape,
    mistakes={
        "655cc5171df40cc42b0e98507dad1e229a9c80b7072b3c9a239fcec19d1f85ed": "you divided by all the manager's turns. The share is of the questions only.",
        "ef890959a14ef0d88eda77ae6327081d82d14fe1194b452be6db4729751429e2": "no question counts as open: the text starts with a capital letter. Lower-case it before `startswith`.",
    },
)

q4 = Exercise(
    "m06_by_type", "by_type", "d075b790e2608f7fe5288d7298d17eb14eb9e2b89930cbecede7d83afe14ce77",
    hint_text=("Put the three Series next to `recorded` (`recorded.assign(talk_ratio=talk_ratio, ...)`), then "
               "`groupby(\"session_type\")[[...]].median()`."),
    shape=_by_type_shape,
    mistakes={
        "f267308dc5f9135969a1ba3215da4bd84ab6a66ded0decf5baeff357ac313543": "those are means. Use the median transcript, so one unusual meeting does not move the figure.",
        "7ea529c2ee9e0fa0f571c0545f00b6a8795a6627ed32e46d54ba7b4e43649b83": "your talk ratio pools every word of a session type. Take the median of the transcripts' own ratios, as for the other two columns.",
    },
)

q5 = Exercise(
    "m06_coaching_minutes_share", "coaching_minutes_share", "d1910c1748d2d662994f5c672459991042fbd172433bfa27abb8572698aed70b",
    hint_text="Add up `duration_minutes` per manager and session type (`pivot_table`), then divide the coaching minutes by the manager's minutes of both types.",
    shape=_minutes_shape,
    mistakes={
        "c9d1158b3c06f9c3305dff4f5f23c5acb04696acbb549bf43586120ef9e1219b": "you counted sessions. A coaching session usually runs longer than a status review: weigh each by its `duration_minutes`.",
        "1161af408589f13573daa3b4f84995f9de0f2d30a3ad564fd740881f20e927f9": "you divided by the status-review minutes only. Divide by all one-on-one minutes, both types.",
        "1a5911c37862ffa27ca6c4cf6fd253582cb5853ff141522888b005b4afe5185d": "you used only the recorded sessions. Use every session in `sessions`.",
    },
)


# ------------------------------------------------------------------ widget questions
# Each is built by a function named after its notebook variable. Feedback is sealed
# (course.answers.seal_feedback) for every option; the clear text is instructor material in
# grading/answer_key/widget_feedback/06-the-coaching-conversation.json.
def what_separates() -> MultipleChoice:
    """In these recordings, what tells a coaching conversation from a status review?"""
    return MultipleChoice(
        'm06_what_separates',
        'In these recordings, what tells a coaching conversation from a status review?',
        options=[
            'How many questions the manager asks.',
            'Who does most of the talking, and whether the questions are open.',
            'How long the meeting lasts.',
            'Whether the manager ends with a clear action.',
        ],
        answer_hash='b9ad800d0620216d4554658630bd25cd27d07a081c31b6b06d48f8d79fe6953e',
        hint='Look at which column of by_type is about the same for both types, and which are not.',
        feedback={
            'How many questions the manager asks.':
                'sealed:/mJG1WfQI0LQgD7sRTkRjETG7CLFV7axiEOFT25/hQ8Ar8SEwAQkMK0N4C3iJjXQZJo/bqP6WxvEiH5S8ophAlbLk2zEdzjImL0qm9/m9BcVRnvVfhv1uBK++Ndu3ljwpW8WYjSV0gmdXqYKWvm/XoQWbAfI',
            'Who does most of the talking, and whether the questions are open.':
                'sealed:t3bGUV1HYFNqpRTPRGoWTmRuHmeQNlZXkMuCeSTCtoziYr7wcKKngp8NKYW3mniHWFi80t2INwSsGbW4LVNt6uxXAsnisEkYfYXfI7qehNSQJYrcJpKO2xnZ/Fp6',
            'How long the meeting lasts.':
                'sealed:C2ROY1C1NXrztKtBGblAznnIP9t3YUqY+bzmRRq+LTgbO0lPrk/oaQEPih7eHzkVZMoHzM3Rh5CTvtUQOpPIJlwRxrHwOzJ2XtGcRV+imv++iCdq1RTropmB1EXdS9oJCiw=',
            'Whether the manager ends with a clear action.':
                'sealed:7MsHJrt3n5CDlcXVILPy5tLyOLMXNFVucXPFSR0aLmIgW2cKa7/DhRe+uuhAxOQ+hL23F7myZv/hn80e5x4=',
        },
    )


def ask_or_tell() -> Sorter:
    """Put each reply in the bin that describes what it does."""
    return Sorter(
        'm06_ask_or_tell',
        items=[
            'Walk me through the last lead you called, from the moment they picked up.',
            "Wouldn't it be better to call them back within the hour?",
            'What would a good lead look like, for you?',
            "The leads are the same for the whole team, so that can't be it.",
            'Help me understand what makes a lead bad.',
            'Have you tried sending the case study before the demo?',
            'If the leads stayed exactly as they are, what could you still change?',
            'Next time, ask them why they downloaded the white paper.',
        ],
        bins=['asking', 'telling'],
        answer_hash='7414c2bdf6a5ef746d2e198e7bd2942b863ba3e3cbe73b9bc2fa246862722228',
        hint="If Noah can answer with 'yes' and do what you had in mind, you told him. Ignore the punctuation.",
        prompt='Put each reply in the bin that describes what it does.',
    )
