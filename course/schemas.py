"""One pandera schema per sample table: types, allowed values, ranges, unique ids, links between tables.

`validate(name, frame)` checks a loaded table (lazily, so one error lists every failed check);
`course.data.load(name, validate=True)` calls it. Foreign keys (every `rep_id` is a known rep, every
transcript belongs to a session) are checked against the other tables when `others` is given or,
for the sample data, loaded on demand.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError

from course.data import OUTCOMES, PULSE_ITEMS, SEGMENTS, SESSION_TYPES, SKILLS, STAGES

Check = pa.Check
ID = r"^{}\d+$"


def _id(prefix: str, unique: bool = True) -> pa.Column:
    return pa.Column(str, Check.str_matches(ID.format(prefix)), unique=unique, nullable=False)


def _count(high: int | None = None) -> pa.Column:
    checks = [Check.ge(0)] + ([Check.le(high)] if high is not None else [])
    return pa.Column("int64", checks)


def _category(values=None) -> pa.Column:
    checks = [Check.isin(list(values))] if values is not None else []
    return pa.Column("category", checks, nullable=False)


DATE = pa.Column("datetime64[ns]", nullable=False)
QUARTER = pa.Column(str, Check.str_matches(r"^\d{4}Q[1-4]$"))
RATING = pa.Column("int64", Check.in_range(1, 5))

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "reps": pa.DataFrameSchema({
        "rep_id": _id("R"),
        "name": pa.Column(str, unique=True),
        "team": _category(),
        "manager": _category(),
        "region": _category(),
        "segment": _category(SEGMENTS),
        "hire_date": DATE,
        "quarterly_quota": pa.Column("int64", Check.gt(0)),
        "cohort": _category(("course", "capstone")),
    }, strict=True),
    "opportunities": pa.DataFrameSchema({
        "opportunity_id": _id("O"),
        "rep_id": _id("R", unique=False),
        "account": pa.Column(str),
        "created_date": DATE,
        "closed_date": pa.Column("datetime64[ns]", nullable=True),
        "furthest_stage": _category(STAGES),
        "outcome": _category(OUTCOMES),
        "amount": pa.Column("int64", Check.ge(0)),
        "discount_pct": pa.Column(float, Check.in_range(0, 100)),
    }, strict=True, checks=[
        Check(lambda d: d["closed_date"].isna() == (d["outcome"] == "open"),
              error="closed_date is empty exactly when the outcome is open"),
        Check(lambda d: d["closed_date"].isna() | (d["closed_date"] >= d["created_date"]),
              error="closed_date is on or after created_date"),
        Check(lambda d: (d["outcome"] == "won") == (d["furthest_stage"] == "won"),
              error="furthest_stage is won exactly when the outcome is won"),
    ]),
    "weekly_activity": pa.DataFrameSchema({
        "rep_id": _id("R", unique=False),
        "week_start": pa.Column("datetime64[ns]", Check(lambda s: s.dt.dayofweek == 0, error="weeks start on Monday")),
        "calls": _count(500), "emails": _count(1000), "meetings": _count(100), "demos": _count(50),
    }, strict=True, unique=["rep_id", "week_start"]),
    "quarterly_results": pa.DataFrameSchema({
        "rep_id": _id("R", unique=False),
        "quarter": QUARTER,
        "quota": pa.Column("int64", Check.gt(0)),
        "opportunities_created": _count(),
        "pipeline_created": _count(),
        "proposals_presented": _count(),
        "deals_closed": _count(),
        "closed_value": _count(),
        "quota_attainment_pct": pa.Column(float, Check.ge(0)),
    }, strict=True, unique=["rep_id", "quarter"], checks=[
        Check(lambda d: (100 * d["closed_value"] / d["quota"] - d["quota_attainment_pct"]).abs() < 0.06,
              error="quota_attainment_pct is closed_value / quota in percent"),
    ]),
    "call_scorecards": pa.DataFrameSchema({
        "scorecard_id": _id("C"),
        "rep_id": _id("R", unique=False),
        "call_date": DATE,
        "observer": _category(),
        "observer_role": _category(("manager", "enablement")),
        **{skill: RATING for skill in SKILLS},
    }, strict=True),
    "coaching_sessions": pa.DataFrameSchema({
        "session_id": _id("S"),
        "date": DATE,
        "manager": _category(),
        "rep_id": _id("R", unique=False),
        "session_type": _category(SESSION_TYPES),
        "focus_skill": pa.Column("category", Check.isin(list(SKILLS)), nullable=True),
        "duration_minutes": pa.Column("int64", Check.in_range(5, 180)),
    }, strict=True, checks=[
        Check(lambda d: d["focus_skill"].isna() == (d["session_type"] == "status_review"),
              error="coaching sessions have a focus skill, status reviews do not"),
    ]),
    "transcripts": pa.DataFrameSchema({
        "transcript_id": pa.Column(str, Check.str_matches(ID.format("T"))),
        "session_id": _id("S", unique=False),
        "turn": pa.Column("int64", Check.ge(1)),
        "speaker": _category(("manager", "rep")),
        "text": pa.Column(str, Check.str_length(min_value=1)),
    }, strict=True, unique=["transcript_id", "turn"]),
    "market_index": pa.DataFrameSchema({
        "region": _category(),
        "month": pa.Column("datetime64[ns]", Check(lambda s: s.dt.day == 1, error="months are dated on the 1st")),
        "index_value": pa.Column(float, Check.in_range(20, 300)),
    }, strict=True, unique=["region", "month"]),
    "pulse_survey": pa.DataFrameSchema({
        "rep_id": _id("R", unique=False),
        "month": pa.Column("datetime64[ns]", Check(lambda s: s.dt.day == 1, error="months are dated on the 1st")),
        **{item: RATING for item in PULSE_ITEMS},
    }, strict=True, unique=["rep_id", "month"]),
}

# table -> (column, table it refers to, column there)
FOREIGN_KEYS: dict[str, list[tuple[str, str, str]]] = {
    "opportunities": [("rep_id", "reps", "rep_id")],
    "weekly_activity": [("rep_id", "reps", "rep_id")],
    "quarterly_results": [("rep_id", "reps", "rep_id")],
    "call_scorecards": [("rep_id", "reps", "rep_id")],
    "coaching_sessions": [("rep_id", "reps", "rep_id")],
    "transcripts": [("session_id", "coaching_sessions", "session_id")],
    "market_index": [("region", "reps", "region")],
    "pulse_survey": [("rep_id", "reps", "rep_id")],
}


def validate(name: str, frame: pd.DataFrame, others: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Check one table against its schema and its links to other tables; return it unchanged.

    Raises `pandera.errors.SchemaErrors` (every failed check at once) or `SchemaError` for a broken link.
    """
    SCHEMAS[name].validate(frame, lazy=True)
    for column, table, target in FOREIGN_KEYS.get(name, []):
        if others is not None and table in others:
            reference = others[table]
        else:
            from course.data import load

            reference = load(table)
        unknown = ~frame[column].astype(str).isin(set(reference[target].astype(str)))
        if unknown.any():
            examples = frame.loc[unknown, column].astype(str).unique()[:5].tolist()
            raise SchemaError(
                SCHEMAS[name], frame,
                f"{name}.{column}: {int(unknown.sum())} rows refer to a {target} not in {table}, e.g. {examples}",
            )
    return frame
