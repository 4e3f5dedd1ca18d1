"""Self-checks for Module 03 · One rep's numbers."""
import numbers
from collections.abc import Mapping

from course.checks import Exercise
from course.widgets import MultipleChoice, Sorter

TEAM_NAMES = ['Caleb Ibrahim', 'Emeka Kaur', 'Gavin Lindqvist', 'Helena Abbott', 'Paula Adeyemi', 'Samir Quinn', 'Victor Rinaldi', 'Yusuf Chen']
GAP_METRICS = ['activities_per_week', 'qualified_rate', 'proposal_rate', 'negotiation_rate', 'close_rate', 'avg_deal_size', 'avg_cycle_days', 'avg_discount_pct']


def _activity_shape(value):
    if not isinstance(value, Mapping):
        return "give a dict from each rep's name to a number, for example `(...).to_dict()`."
    if set(value) != set(TEAM_NAMES):
        return "use each Atlas rep's `name` as a key, once; no rep_ids, no other teams."
    if any(isinstance(v, bool) or not isinstance(v, numbers.Real) for v in value.values()):
        return "every value should be a number."
    if any(v > 5 for v in value.values()):
        return "give each index as a ratio around 1 (0.9, not 90)."
    return None


def _gap_shape(value):
    if not isinstance(value, Mapping):
        return "give a dict from a rep's name to the name of a metric."
    if not set(value) <= set(TEAM_NAMES):
        return "use Atlas reps' names (the index of `comparison`) as keys."
    if not set(value.values()) <= set(GAP_METRICS):
        return "each value should be one of the names in GAP_METRICS."
    return None


q1 = Exercise(
    "m03_activity_index", "activity_index", "f6e044abec708a5c98cfcb29ee5bfcea155653f782bdf9edc9ce155e1d4497c9",
    hint_text=("Group `team_weeks` by `name` and take the mean of `activities`: one number per rep. "
               "Divide that Series by its own `.median()`, then `.to_dict()`."),
    shape=_activity_shape,
    mistakes={
        "cf371ae180dbb713419031f697b9b364b033bdc618a9f0f8af696af0a4911a3f": "you divided by the team's mean. Use the median, so one unusual rep does not move the yardstick.",
        "202293c7635b1eac72634e524ed5a627178454fef5d5b3b917db59ed0efaa6cc": "you added up every week. A rep who joined recently has fewer weeks: compare the average week.",
        "752ad9396d9e90ed622284a2246815ea9ad604e1140d4cb06cf917a7119dd9d4": "that looks at calls only. Activity here is calls + emails + meetings + demos, the `activities` column.",
    },
)

q2 = Exercise(
    "m03_largest_gap", "largest_gap", "42f4de6b5d39fb3c4d3c3990631df4d36e97afb80d9af318675449912046051e",
    hint_text=("Build a table with one column per metric in GAP_METRICS: rep / team, except team / rep for the "
               "metrics in LOWER_IS_BETTER. `.min(axis=1)` is each rep's worst index and `.idxmin(axis=1)` its metric; "
               "keep the reps whose worst index is below GAP_THRESHOLD."),
    shape=_gap_shape,
    mistakes={
        "11524858713b11be27aad18b023c75c5520b5a6bd016dcedcb4d7ae8bbe7496d": "that names a metric for every rep. Keep only the reps whose worst index is below GAP_THRESHOLD: the rest are within noise.",
        "8c21255cf0bc5a301a2bc71c459d0f6e34150c30723132b5e567b3cc740eebf1": "for cycle days and discount, lower is better. Turn those ratios round (team / rep) so that below 1 always means worse.",
        "e349ee872c5a0981973abdfee8785d869e097d17952c823eb2b99e0834ea0256": "those are differences (rep minus team) in each metric's own unit: dollars dwarf rates. Use the ratio to the team median.",
        "ec4b6d7fecec8d4820dde352301e7368f92a89f303381f84e683c2661785eb32": "that finds where a rep is furthest ABOVE the team. The coaching gap is where they are furthest below.",
    },
)


# ------------------------------------------------------------------ widget questions
# Each is built by a function named after its notebook variable. Feedback is sealed
# (course.answers.seal_feedback) for every option; the clear text is instructor material in
# grading/answer_key/widget_feedback/03-one-reps-numbers.json.
def leading_or_lagging() -> Sorter:
    """Put each number in the bin that describes it."""
    return Sorter(
        'm03_leading_or_lagging',
        items=[
            'Calls logged per week',
            'Win rate',
            'Customer meetings held per week',
            'Closed value against quota',
            'Discovery questions asked per first call',
            'Average deal size of won deals',
            'Demos given per week',
        ],
        bins=['leading', 'lagging'],
        answer_hash='8ab0585ed5bd51bf5c27b340dcfc84a8d141a1e0075d0a407a165dea79da6924',
        hint='Could the rep change it tomorrow morning by deciding to? Then it leads. Does it only appear once a deal is decided? Then it lags.',
        prompt='Put each number in the bin that describes it.',
    )


def first_move() -> MultipleChoice:
    """Victor's largest gap is qualified → proposal. What do you do first?"""
    return MultipleChoice(
        'm03_new_hire_first_move',
        "Victor's largest gap is qualified → proposal. What do you do first?",
        options=[
            'Check how long he has been selling here, and compare his numbers with his own first months, before calling it a skill gap.',
            'Book him on a discovery-skills workshop: a gap under the threshold is a skill gap.',
            "Compare his win rate with the team's: if it is low too, the diagnosis is confirmed.",
            'Tell him the gap in your next team meeting, so he knows where he stands.',
        ],
        answer_hash='66b2d9443e6e2049e29ef5dd54d14d0f549726002a6a23531018d4460414aed3',
        hint='Whom are you comparing him with, and for how long have they been selling here?',
        feedback={
            'Check how long he has been selling here, and compare his numbers with his own first months, before calling it a skill gap.':
                'sealed:20wpOTj62vs2+I32M2sZGTMu4v4cAoHQDX1ZZtkITt8L75gDlZDBzZa8k4sEkBUHmRvL/7PUzIokOnPnWzV8EOpcKlXkA8bQIADorRz5Qu2cjTOcxKn+u7Ma0rX3ILMJoeD54G7DH9kxJe4aB7EOpxQnNfqipdjiCnIxUA==',
            'Book him on a discovery-skills workshop: a gap under the threshold is a skill gap.':
                'sealed:Qt8HHfitgmB91zZDS2P/XpnmYZmdcZtbjYDEGA/tGSw2Lz7JSZ9ws8GiA1qnviTq04u+Feu6a/ur1/RvjBYoUQ==',
            "Compare his win rate with the team's: if it is low too, the diagnosis is confirmed.":
                'sealed:UNqfvEOJNqyO7fA1BsA55MPoTSKB+LonVpaUNLHLAPoRXbud3urnGpuHEyxfnhdgh0gFtPZ73Jity+JRmhOnbwfo1xyUBg==',
            'Tell him the gap in your next team meeting, so he knows where he stands.':
                'sealed:NNyXFe0s8E+8NfKMvBvJ2QTaDecwFANusQXmA2cW4FxpyguCgsRfRwlkIhUgr0XBE64LuWsiQn/C7axj0m7W7SIKSMYZZ5MoO5U=',
        },
    )
