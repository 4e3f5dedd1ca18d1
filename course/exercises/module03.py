"""Self-checks for Module 03 · One rep's numbers."""
import numbers
from collections.abc import Mapping

from course.checks import Exercise

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
