"""Load the course's sample tables with the right types, from any working directory.

    import course
    reps = course.load("reps")                     # or course.data.load("reps")
    opportunities = course.load("opportunities", validate=True)

The CSV files ship inside the package (`course.datasets`), so the same call works in a clone, in a
learner's assignment folder on a hub and in the read-only grading sandbox. Nothing is read until a
function is called. What each column means: datasets/README.md (`course.data.describe()`).
"""
from __future__ import annotations

import functools
from importlib import resources

import pandas as pd

TABLES: tuple[str, ...] = (
    "reps",
    "opportunities",
    "weekly_activity",
    "quarterly_results",
    "call_scorecards",
    "coaching_sessions",
    "transcripts",
    "market_index",
    "pulse_survey",
)

#: Stages in funnel order; `furthest_stage` is an ordered category, so `>= "proposal"` works.
STAGES: tuple[str, ...] = ("prospecting", "qualified", "proposal", "negotiation", "won")
OUTCOMES: tuple[str, ...] = ("open", "won", "lost")
SKILLS: tuple[str, ...] = (
    "discovery_questions", "active_listening", "value_articulation", "objection_handling", "next_steps",
)
SEGMENTS: tuple[str, ...] = ("SMB", "Mid-Market", "Enterprise")
SESSION_TYPES: tuple[str, ...] = ("coaching", "status_review")
#: The monthly pulse survey's four questions, each answered 1 (strongly disagree) to 5 (strongly agree).
PULSE_ITEMS: tuple[str, ...] = ("energy", "growth", "recognition", "stay_intent")

# column -> fixed categories (ordered=True where the order means something)
_FIXED_CATEGORIES: dict[str, tuple[tuple[str, ...], bool]] = {
    "furthest_stage": (STAGES, True),
    "outcome": (OUTCOMES, False),
    "segment": (SEGMENTS, True),
    "session_type": (SESSION_TYPES, False),
    "focus_skill": (SKILLS, False),
    "speaker": (("manager", "rep"), False),
    "observer_role": (("manager", "enablement"), False),
    "cohort": (("course", "capstone"), False),
}
# columns whose categories come from the data (sorted)
_DATA_CATEGORIES = {"team", "manager", "region", "observer"}

_DATES = {
    "reps": ["hire_date"],
    "opportunities": ["created_date", "closed_date"],
    "weekly_activity": ["week_start"],
    "call_scorecards": ["call_date"],
    "coaching_sessions": ["date"],
    "market_index": ["month"],
    "pulse_survey": ["month"],
}
_INTEGERS = {
    "reps": ["quarterly_quota"],
    "opportunities": ["amount"],
    "weekly_activity": ["calls", "emails", "meetings", "demos"],
    "quarterly_results": ["quota", "opportunities_created", "pipeline_created", "proposals_presented",
                          "deals_closed", "closed_value"],
    "call_scorecards": list(SKILLS),
    "coaching_sessions": ["duration_minutes"],
    "transcripts": ["turn"],
    "pulse_survey": list(PULSE_ITEMS),
}


def data_path(name: str):
    """The packaged CSV file of a table (a `Traversable`; `str()` of it is a path in a normal install)."""
    _check_name(name)
    return resources.files("course.datasets").joinpath(f"{name}.csv")


def _check_name(name: str) -> None:
    if name not in TABLES:
        raise KeyError(f"No sample table called {name!r}. The tables are: {', '.join(TABLES)}.")


def apply_types(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Give a table of raw values the course's types: dates, categories, whole numbers. Returns a new frame."""
    frame = frame.copy()
    for column in _DATES.get(name, []):
        frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
    for column in _INTEGERS.get(name, []):
        frame[column] = frame[column].astype("int64")
    for column in frame.columns:
        if column in _FIXED_CATEGORIES:
            categories, ordered = _FIXED_CATEGORIES[column]
            frame[column] = pd.Categorical(frame[column], categories=list(categories), ordered=ordered)
        elif column in _DATA_CATEGORIES:
            frame[column] = pd.Categorical(frame[column], categories=sorted(frame[column].dropna().unique()))
    if name == "quarterly_results":
        frame["quarter"] = frame["quarter"].astype(str)
    return frame


def read_table(source, name: str) -> pd.DataFrame:
    """Read one table's CSV (a path or an open text file) and give it the course's types."""
    raw = pd.read_csv(source, dtype=str, keep_default_na=False, na_values=[""])
    typed = apply_types(raw, name)
    numeric = {"discount_pct", "quota_attainment_pct", "index_value"} & set(typed.columns)
    for column in numeric:
        typed[column] = typed[column].astype("float64")
    return typed


@functools.lru_cache(maxsize=None)
def _read(name: str) -> pd.DataFrame:
    with data_path(name).open("r", encoding="utf-8") as handle:
        return read_table(handle, name)


def load(name: str, validate: bool = False) -> pd.DataFrame:
    """One sample table as a DataFrame (a fresh copy each call, so changing it is safe).

    `validate=True` also checks it against its schema (`course.schemas`) and raises
    `pandera.errors.SchemaError` listing what is wrong.
    """
    _check_name(name)
    frame = _read(name).copy()
    if validate:
        from course.schemas import validate as validate_table

        validate_table(name, frame)
    return frame


def load_all(validate: bool = False) -> dict[str, pd.DataFrame]:
    """Every sample table by name."""
    return {name: load(name, validate=validate) for name in TABLES}


def describe() -> str:
    """The data dictionary (datasets/README.md) as text."""
    return resources.files("course.datasets").joinpath("README.md").read_text(encoding="utf-8")
