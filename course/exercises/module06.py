"""Self-checks for Module 06 · The coaching conversation.

`leads_talk()` builds the role-play of Exercise 7; its script is in `course/exercises/roleplays.py`.
"""
import numbers
from dataclasses import dataclass

import pandas as pd

from course.checks import Exercise
from course.widgets import MultipleChoice, Sorter
from course.exercises.roleplays import leads_talk  # noqa: F401 - the notebook calls ex.leads_talk()

TRANSCRIPTS = 24  # recorded one-on-ones of the four course teams
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
        return "index it by transcript_id (T001, T002, ...): group by the `transcript_id` column."
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
    "m06_talk_ratio", "talk_ratio", "ad71b6a93ff0c5b0bb65db4af62ab335b861cd76763e23309ed429f0d76d5a61",
    hint_text=("Add up `words` per transcript and speaker (`pivot_table` with `aggfunc=\"sum\"`, or "
               "`groupby([\"transcript_id\", \"speaker\"])`), then divide the manager's words by both speakers' words."),
    shape=_ratio_shape,
    mistakes={
        "e68af7ca2acc764ac43a20969906eae84dae844082330316e90537f112f60ff3": "you counted turns. Manager and rep take turns, so that is always about a half. Count words: a long monologue is one turn.",
        "d0b9dfba2aa877f5fb1a1f74be003907610150a522061565bdeac217f8855668": "that is the rep's share of the words. The talk ratio is the manager's share.",
        "8fa880523dcebed5f081b7d4d5a7d20d031f1252472981b0def1ff4f96332422": "you counted characters. Use the `words` column.",
    },
)

q2 = Exercise(
    "m06_questions_asked", "questions_asked", "8858651bab7afc8559aa62b85fc12750fac735e2b28cbabf9ef697fcd2e5e7d9",
    hint_text=("A turn is a question when `turns[\"text\"].str.endswith(\"?\")`; keep the manager's turns too "
               "(`turns[\"speaker\"] == \"manager\"`), combine the two with `&`, then sum per `transcript_id`."),
    shape=_count_shape,
    mistakes={
        "f5b698f6497306077629700b1fc269f9e579bffa001c5f8d07dd14e78fa82be3": "you counted every turn the manager took. Count only those that end with a question mark.",
    },
)

q3 = Exercise(
    "m06_open_share", "open_share", "107972891f25ecbcceb64c66af1cc8e7240449b6e359d514fa2aa2719360a944",
    hint_text=("Keep the manager's questions, apply `last_sentence` to their text, lower-case it "
               "(`.str.lower()`) and test `.str.startswith(OPEN_WORDS)`. The mean of True/False per "
               "transcript is the share."),
    shape=_ratio_shape,
    mistakes={
        "24a6dcc37013538b8c551f20f1e65408c9b14ba761f4ba12176f3f56715f28a0": "you divided by all the manager's turns. The share is of the questions only.",
        "4254842a2773c997677d533661fbc1ca1ae5ee38b7f2b9068adbdc9d905a0aa4": "no question counts as open: the text starts with a capital letter. Lower-case it before `startswith`.",
    },
)

q4 = Exercise(
    "m06_by_type", "by_type", "192255510475570bb7279e5c0bcdc521ca6773448f0a7baced788f461d72fd0e",
    hint_text=("Put the three Series next to `recorded` (`recorded.assign(talk_ratio=talk_ratio, ...)`), then "
               "`groupby(\"session_type\")[[...]].median()`."),
    shape=_by_type_shape,
    mistakes={
        "2266825daeae8ff4d157b3b0d0103502de6debd2e8e132e0583efa6c6b37e7e1": "those are means. Use the median transcript, so one unusual meeting does not move the figure.",
        "f9248bd705c7f86169d02d8f3e77c676863e196ff99a2390c0093b19635fb1e7": "your talk ratio pools every word of a session type. Take the median of the transcripts' own ratios, as for the other two columns.",
    },
)

q5 = Exercise(
    "m06_coaching_minutes_share", "coaching_minutes_share", "0d81c495573b684a928a350c7c503a36638bae2c3c474b88082a45204f076b2d",
    hint_text="Add up `duration_minutes` per manager and session type (`pivot_table`), then divide the coaching minutes by the manager's minutes of both types.",
    shape=_minutes_shape,
    mistakes={
        "028a79296fc8c2c13730865b46092c8956e3325cce3ff9e52ae88a2668319830": "you counted sessions. A coaching session usually runs longer than a status review: weigh each by its `duration_minutes`.",
        "2a541d7bfe52df6e845c7b2ba02d02477227ff4a8300dbd8358bf8d57d8c6321": "you divided by the status-review minutes only. Divide by all one-on-one minutes, both types.",
        "f5c293c189ac4d2d25ccd643f5a617e596231d9b8ac740ff983576a6385fa647": "you used only the recorded sessions. Use every session in `sessions`.",
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


# ---------------------------------------------------------------- Exercise 9: your own one-on-one
@dataclass
class ConversationCheck(Exercise):
    """A one-on-one the learner wrote: correct when it has a coaching conversation's structure
    (`course.conversation.structure_problems`) and is their own (not the recordings' lines)."""

    def status(self, value):
        if value is Ellipsis:
            return super().status(value)
        from course.conversation import ConversationFormatError, analyze_conversation, structure_problems

        try:
            report = analyze_conversation(value)
        except ConversationFormatError as error:
            return "wrong", f"`{self.variable}` cannot be read yet: {error}"
        problems = structure_problems(report) + borrowed_lines(report)
        if problems:
            return "wrong", (f"{report}\n\n`{self.variable}` still needs work:\n   - " + "\n   - ".join(problems))
        return "correct", f"{report}\n\nCorrect: your conversation has the structure of a coaching conversation."


def borrowed_lines(report) -> list[str]:
    """A problem when half or more of the manager's lines are copied from the recorded one-on-ones."""
    from course import load

    recorded = set(load("transcripts")["text"].str.strip().str.lower())
    mine = [line for line in report.lines if line.speaker == "manager"]
    copied = [line.number for line in mine if line.text.strip().lower() in recorded]
    if mine and len(copied) * 2 >= len(mine):
        return [f"lines {', '.join(map(str, copied))} are copied from the recorded one-on-ones: write your own."]
    return []


q6 = ConversationCheck(
    "m06_my_conversation", "my_conversation", "",
    hint_text=("Start from a rep you know. Ask for their goal first (\"What would you like to...?\"), then the "
               "facts of one real call (\"Take the last... What happened?\"), their ideas (\"What could you "
               "try?\", \"What else?\"), and end with the rep saying what they will do and on which day."),
)
