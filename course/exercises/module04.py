"""Self-checks for Module 04 · It's the economy, not me."""
from collections.abc import Mapping

import pandas as pd

from course.checks import Exercise
from course.widgets import MultipleChoice
from course.exercises.roleplays import economy_talk  # noqa: F401 - the notebook calls ex.economy_talk()

NAMES = ['Freya Zimmerman', 'Gideon Schneider', 'Laura Patel', 'Leila Johansson', 'Priyanka Brennan', 'Quentin Bauer', 'Sofia Tanaka', 'Uma Iyer', 'Valerie Hoffman']
LABELS = ("market", "personal", "no drop")


def _change_shape(value):
    if not isinstance(value, pd.Series):
        return "give a pandas Series: one value per rep, indexed by the rep's name (like `opps.mean(axis=1)`)."
    if set(value.index) != set(NAMES):
        return "index it by the names of the nine reps in `opps`, one value each."
    if value.isna().any():
        return "some values are missing (NaN). Check the quarters you averaged."
    if (value.abs() > 2).any():
        return "give changes as fractions (-0.25 for a 25% drop), not as percentages."
    return None


q1 = Exercise(
    "m04_downturn_change", "downturn_change", "f1fcd696252c74535aa06b7096b278d88553968e1527467e54efdc662d4d58e1",
    hint_text=("`opps[DOWNTURN].mean(axis=1)` is each rep's average quarter in the downturn; "
               "divide it by `baseline` and subtract 1."),
    shape=_change_shape,
    mistakes={
        "a6419aa2c6f91365671fd363ed407b18892981a9010bdf3ed92ac867fd5df2ef": "that uses closed value. Closed deals lag and a few big ones swing a quarter; use opportunities created (`opps`).",
        "8f6a276f7b4a3977c2540f6b52ad017ac3323ec8eb189b9ad6078f5cbaf5c6a0": "that uses pipeline dollars. This exercise counts opportunities created (`opps`).",
        "e7af1af8aa48c00e8f561085b1946e22149a7c3986a815e57766f32fc0161774": "that is the ratio to the baseline. A change is the ratio minus 1 (a drop is negative).",
        "e951145fb87b93683ae36c4b0bb5ce9ea43a2b3387bfa7d06e9a88a78af3944f": "that compares totals over three quarters with totals over four. Compare averages per quarter.",
    },
)

q2 = Exercise(
    "m04_recovery_change", "recovery_change", "c77e1f6114c77d554373ac7ce52b360d68a445b2180da66b825c1b8fa5d0066f",
    hint_text=("Same recipe as `downturn_change`, with the `RECOVERY` quarters: "
               "compare with the 2023 `baseline`, not with the downturn."),
    shape=_change_shape,
    mistakes={
        "3fc634e57d2986bab07221fdb240e1f9914c3270c257c1e1e3a2a82ee66000d3": "that measures the bounce from the downturn. Measure against the rep's own 2023 `baseline`.",
        "b7a6156033d2d3e57365cc29943531a050a66798cd48e73c94083fef55376b9a": "that is the ratio to the baseline. A change is the ratio minus 1.",
        "7d9e4863e8c283d0cbe9ab5470fdc509331430a810b64a00c9fc3d6bb401b7ec": "that compares totals over three quarters with totals over four. Compare averages per quarter.",
        "ebf3c5ce1f577d5fadaa87467e2273ddc409720328be18403e27b25a47d55ae4": "that uses closed value. Use opportunities created (`opps`).",
    },
)

def _verdict_shape(value):
    if not isinstance(value, Mapping):
        return "give a dict from each rep's name to a label, like {'Ann Example': 'no drop', ...}."
    missing = sorted(set(NAMES) - set(value))
    if missing:
        return f"label every rep in `opps`; missing: {', '.join(missing)}."
    extra = sorted(set(map(str, value)) - set(NAMES))
    if extra:
        return f"these are not reps in `opps`: {', '.join(extra)}."
    unknown = sorted({str(v) for v in value.values()} - set(LABELS))
    if unknown:
        return f"use only the labels {', '.join(map(repr, LABELS))}; found {', '.join(map(repr, unknown))}."
    return None


q3 = Exercise(
    "m04_verdict", "verdict", "5a746af92c5219920cb1e6c1a9cd775cbe962068a0dee76ff30d95dd3eb2e6bd",
    hint_text=("First subtract the team's median from each rep's change, for the downturn and for the recovery. "
               "A rep more than 20 points below the median in the downturn dropped; "
               "then the recovery gap decides between market and personal."),
    shape=_verdict_shape,
    mistakes={
        "15930d9e83a4385db2cab570a56b3d22fe4bd57bddb4b99687910ec163887e89": "you accepted the excuse for everyone who dropped. Check who was still down after the market recovered.",
        "691707863cb280f299ece6d3c8b6393e66e4539541b98a964e7d819d4a60f1cf": "you blamed everyone who dropped. One of them came back with the market: that drop was the market's.",
        "aee2d08870fcd9a670bd1817d765ad3e5e11178a11ab1191249cb843e8e9e0e9": "you compared reps only with their own past. That flags more than half the team, most of them for a market the whole region faced; compare each change with the team's median.",
        "49df74a64e591d18e06ee94737aa6561b821f717aadb237ba9cb766aa3f4e18f": "market and personal are the wrong way round. A market drop recovers when the market does.",
    },
)


# ------------------------------------------------------------------ widget questions
# Each is built by a function named after its notebook variable. Feedback is sealed
# (course.answers.seal_feedback) for every option; the clear text is instructor material in
# grading/answer_key/widget_feedback/04-its-the-economy.json.
def first_reply() -> MultipleChoice:
    """Which reply acknowledges, then looks together?"""
    return MultipleChoice(
        'm04_respond_to_excuse',
        'Which reply acknowledges, then looks together?',
        options=[
            '"That\'s not true. Most of the team held up fine, so it\'s not the market."',
            '"Fair enough, it\'s been a tough market. Let\'s not worry about last year."',
            '"You may be right: Central\'s market index fell hard this year. Let\'s put your numbers next to the market and the team and see what they say."',
            '"The economy is not an excuse. Your number is your number."',
        ],
        answer_hash='57696e3de3b1b76003f30b26ca1d6461e7abf63fe317de365b7d2c0e04bb2e2f',
        hint='Look for a reply that neither argues nor simply agrees, and that gives the rep something to do with you.',
        feedback={
            '"That\'s not true. Most of the team held up fine, so it\'s not the market."':
                'sealed:3VAUPbR1lc9xL7Hxd3L0v5ILfPQOrZ6YCvIdzKPQpRkl0j+kNU4KfxpVTdnT2jl14PeVclR5GqkOLduikZW/N5+wLJoGHvOWhXFatrlg1j3WW/GZFOSDYg8TxbHEYTMBXPujTjJ+GnD8eGvxPg+gck1dj7OK35lVR2aZx9wivWV4kwNavz5YATfs/NKPUt3fcTIUoOAS9c96GSn3xsySpOfmsbiu1sbhrh2cS03g6UmWDw==',
            '"Fair enough, it\'s been a tough market. Let\'s not worry about last year."':
                'sealed:kyEGadlD57X5SBcFMaVOX/hPipjU4RBSh3s7VfowKNvaB3mUael9/pM8JccuUaSADe5fQjNvKDNsYTtnmuOinvScfw8doN3CYzpyfVBHj65JLXmb',
            '"You may be right: Central\'s market index fell hard this year. Let\'s put your numbers next to the market and the team and see what they say."':
                'sealed:g26tqhY4jlW4oNuw7tnXaS5nZknjkOX0/5fA0UyB+/rm5cqvBHbAnH9IpSVzZR6fzE+Aof6XKuKS1b733jvY6nL369wAOLwuB+nekfgK8R07ZX4=',
            '"The economy is not an excuse. Your number is your number."':
                'sealed:tweF0tpZzIyos3V8mO/ZlKzUptJgwgVtFh4JGFQmXuIkUpCOChcCvXikQKrgOtXOJsVQHjo+T5+wpFHgdBJQ6iewtFgopHT0BV2aiW6xuA5RRg==',
        },
    )
