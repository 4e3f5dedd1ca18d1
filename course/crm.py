"""Bring your own team's CRM export into the course's tables.

An enablement team exports opportunities (and, if it likes, activities) from its CRM as CSV — a
Salesforce report, a HubSpot export, any column names — and writes a small YAML mapping that says
which of its columns is which course column and what its stage names mean:

    data = import_crm("opportunities_export.csv", "mapping.yaml", activity_csv="activities_export.csv")
    data.opportunities            # course-shaped: opportunity_id, rep_id, account, created_date, ...
    rep_funnel_kpis(data.opportunities)

If anything is wrong, `CRMImportError` is raised with one report that lists every problem — the
file, the column, what was expected and up to five example rows (numbered as in a spreadsheet,
the header being row 1). Nothing is dropped or guessed silently: either every row is imported, or
nothing is. The mapping format is documented in datasets/README.md ("Your own data").
From a terminal: `course import-crm EXPORT.csv --mapping mapping.yaml [--activity ACT.csv] [--out DIR]`.
"""
from __future__ import annotations

import argparse
import difflib
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

COURSE_STAGES = ("prospecting", "qualified", "proposal", "negotiation", "won", "lost")
FUNNEL = ("prospecting", "qualified", "proposal", "negotiation", "won")
REQUIRED = ("opportunity_id", "rep", "account", "created_date", "closed_date", "stage", "amount")
OPTIONAL = ("furthest_stage", "discount_pct", "team")
ACTIVITY_REQUIRED = ("rep", "date", "type")
ACTIVITY_KINDS = ("calls", "emails", "meetings", "demos", "ignore")
EXAMPLES = 5


@dataclass
class Problem:
    """One thing wrong with an export or a mapping, with example rows."""

    file: str
    column: str | None
    message: str
    rows: list[int] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    count: int = 0
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.file}" + (f', column "{self.column}"' if self.column else "")
        text = f"{where}: {self.message}"
        if self.rows:
            shown = ", ".join(
                f"{row} ({value!r})" if value is not None else str(row)
                for row, value in zip(self.rows, self.values or [None] * len(self.rows))
            )
            more = f" and {self.count - len(self.rows):,} more" if self.count > len(self.rows) else ""
            text += f"\n     rows {shown}{more}"
        if self.fix:
            text += f"\n     Fix: {self.fix}"
        return text


class CRMImportError(ValueError):
    """The export or the mapping has problems; `problems` lists them all, `str()` is the report."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(format_report(problems))


@dataclass
class CRMData:
    """A CRM export in the course's shape."""

    opportunities: pd.DataFrame
    reps: pd.DataFrame
    weekly_activity: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)


def format_report(problems: list[Problem]) -> str:
    lines = [f"Could not import the CRM export: {len(problems)} problem{'s' if len(problems) != 1 else ''} found.", ""]
    for number, problem in enumerate(problems, 1):
        lines.append(f"{number:>2}. {problem}")
    lines += ["", "Nothing was imported. Fix the export or the mapping file and run the import again."]
    return "\n".join(lines)


def example_files() -> dict[str, Path]:
    """The shipped example: a Salesforce-style opportunity and activity export with its mapping."""
    folder = Path(str(resources.files("course.datasets").joinpath("crm_example")))
    return {
        "opportunities": folder / "opportunities_export.csv",
        "activity": folder / "activities_export.csv",
        "mapping": folder / "mapping.yaml",
    }


# ---------------------------------------------------------------- the mapping file
def load_mapping(mapping_file: str | Path) -> dict:
    """Read and check the YAML mapping; raise CRMImportError listing every problem in it."""
    import yaml

    path = Path(mapping_file)
    name = path.name
    try:
        mapping = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CRMImportError([Problem(name, None, f"the mapping file {path} does not exist.")]) from None
    except yaml.YAMLError as error:
        raise CRMImportError([Problem(name, None, f"is not valid YAML: {error}",
                                      fix="compare it with the shipped example mapping.yaml")]) from None
    problems: list[Problem] = []
    if not isinstance(mapping, dict) or not isinstance(mapping.get("opportunities"), dict):
        raise CRMImportError([Problem(name, None, "needs an 'opportunities:' section with 'columns:' and 'stages:'.",
                                      fix="start from the shipped example mapping.yaml")])
    opp = mapping["opportunities"]
    columns = opp.get("columns") or {}
    if not isinstance(columns, dict):
        problems.append(Problem(name, None, "'opportunities: columns:' must map course columns to your column names."))
        columns = {}
    for key in REQUIRED:
        if not columns.get(key):
            problems.append(Problem(name, None, f"'opportunities: columns:' has no entry for {key!r}.",
                                    fix=f"add a line '{key}: <the column in your export>'"))
    for key in columns:
        if key not in REQUIRED + OPTIONAL:
            problems.append(Problem(name, None, f"'opportunities: columns:' has an unknown course column {key!r}.",
                                    fix=f"use only: {', '.join(REQUIRED + OPTIONAL)}"))
    stages = opp.get("stages") or {}
    if not isinstance(stages, dict) or not stages:
        problems.append(Problem(name, None, "'opportunities: stages:' must map each of your stage names to a course stage."))
        stages = {}
    for raw, course in stages.items():
        if course not in COURSE_STAGES:
            problems.append(Problem(name, None, f"stage {raw!r} maps to {course!r}, which is not a course stage.",
                                    fix=f"use one of: {', '.join(COURSE_STAGES)}"))
    activity = mapping.get("activity")
    if activity is not None:
        a_columns = (activity or {}).get("columns") or {}
        for key in ACTIVITY_REQUIRED:
            if not a_columns.get(key):
                problems.append(Problem(name, None, f"'activity: columns:' has no entry for {key!r}."))
        for raw, kind in ((activity or {}).get("types") or {}).items():
            if kind not in ACTIVITY_KINDS:
                problems.append(Problem(name, None, f"activity type {raw!r} maps to {kind!r}.",
                                        fix=f"use one of: {', '.join(ACTIVITY_KINDS)}"))
    if problems:
        raise CRMImportError(problems)
    return mapping


# ---------------------------------------------------------------- helpers on whole columns
def _rows(mask: np.ndarray) -> np.ndarray:
    return np.flatnonzero(mask)[:EXAMPLES]


def _braces(text: str) -> str:
    """Values from an export, safe inside a message template."""
    return text.replace("{", "{{").replace("}", "}}")


def _problem(file, column, message, mask, raw: pd.Series | None = None, fix="") -> Problem | None:
    mask = np.asarray(mask, dtype=bool)
    count = int(mask.sum())
    if not count:
        return None
    index = _rows(mask)
    values = [str(raw.iloc[i]) for i in index] if raw is not None else []
    many = count != 1
    text = message.format(n=f"{count:,}", s="s" if many else "", have="have" if many else "has",
                          are="are" if many else "is")
    return Problem(file, column, text,
                   rows=[int(i) + 2 for i in index], values=values, count=count, fix=fix)


def _parse_dates(raw: pd.Series, date_format: str | None) -> pd.Series:
    """Parse a categorical column of date text once per distinct value; blanks and bad values become NaT."""
    codes = raw.cat.codes.to_numpy()
    categories = raw.cat.categories.astype(str)
    parsed = pd.to_datetime(pd.Series(categories), format=date_format or "mixed", errors="coerce")
    values = parsed.to_numpy()[np.where(codes >= 0, codes, 0)]
    values = np.where(codes >= 0, values, np.datetime64("NaT"))
    return pd.Series(values.astype("datetime64[ns]"), index=raw.index)


def _text(raw: pd.Series) -> np.ndarray:
    """A column as stripped text (an object array), computed once per distinct value for categories."""
    if isinstance(raw.dtype, pd.CategoricalDtype):
        codes = raw.cat.codes.to_numpy()
        categories = np.append(raw.cat.categories.astype(str).str.strip().to_numpy(dtype=object), "")
        return categories[np.where(codes >= 0, codes, len(categories) - 1)]
    return raw.astype(str).str.strip().to_numpy(dtype=object)


def _blank(raw: pd.Series) -> np.ndarray:
    """True where a cell is empty or only spaces (computed per distinct value for categories)."""
    if isinstance(raw.dtype, pd.CategoricalDtype):
        empty = np.append(raw.cat.categories.astype(str).str.strip().to_numpy() == "", True)
        codes = raw.cat.codes.to_numpy()
        return empty[np.where(codes >= 0, codes, len(empty) - 1)]
    return (raw.astype(str).str.strip() == "").to_numpy()


def _stripped_categorical(raw: pd.Series) -> pd.Categorical:
    """A categorical column with surrounding spaces removed from its values."""
    stripped = raw.cat.categories.astype(str).str.strip().to_numpy(dtype=object)
    categories, inverse = np.unique(stripped, return_inverse=True)
    codes = raw.cat.codes.to_numpy()
    return pd.Categorical.from_codes(np.where(codes >= 0, inverse[np.maximum(codes, 0)], -1), categories=categories)


def _map(raw: pd.Series, mapping: dict) -> pd.Series:
    """Translate a column's values through `mapping` (after stripping); unknown values become NaN."""
    if isinstance(raw.dtype, pd.CategoricalDtype):
        codes = raw.cat.codes.to_numpy()
        categories = pd.Series(raw.cat.categories.astype(str).str.strip()).map(mapping).to_numpy(dtype=object)
        categories = np.append(categories, mapping.get("", np.nan))
        return pd.Series(categories[np.where(codes >= 0, codes, len(categories) - 1)], index=raw.index)
    return raw.astype(str).str.strip().map(mapping)


def _parse_numbers(raw: pd.Series) -> pd.Series:
    """Numbers as exported: '12,500.00', '$12500', '15%', ' 7 ' all work; anything else becomes NaN."""
    numbers = pd.to_numeric(raw.where(raw != ""), errors="coerce")  # the fast path: plain numbers
    retry = numbers.isna() & (raw != "")
    if retry.any():
        cleaned = raw[retry].str.replace(r"[,$€£%\s]|USD|EUR|GBP", "", regex=True)
        numbers[retry] = pd.to_numeric(cleaned.where(cleaned != ""), errors="coerce")
    return numbers


def _read(path: Path, wanted: dict[str, str], categorical: set[str], problems: list[Problem]) -> pd.DataFrame | None:
    """Read only the mapped columns; report the mapped columns the file does not have."""
    name = path.name
    try:
        header = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns.tolist()
    except FileNotFoundError:
        problems.append(Problem(name, None, f"the file {path} does not exist."))
        return None
    except (pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        problems.append(Problem(name, None, f"cannot be read as CSV: {error}"))
        return None
    present = {}
    for course_column, theirs in wanted.items():
        if theirs in header:
            present[course_column] = theirs
            continue
        guess = difflib.get_close_matches(str(theirs), header, n=1, cutoff=0.6)
        hint = f"did you mean {guess[0]!r}? " if guess else ""
        problems.append(Problem(
            name, str(theirs), f"this column is missing from the export (it is mapped to the course's {course_column!r}).",
            fix=f"{hint}Correct the mapping or the export. The export's columns are: {', '.join(map(repr, header))}",
        ))
    dtypes = {theirs: ("category" if course in categorical else str) for course, theirs in present.items()}
    frame = pd.read_csv(path, usecols=list(dict.fromkeys(present.values())), dtype=dtypes,
                        keep_default_na=False, encoding="utf-8-sig")
    return pd.DataFrame({course: frame[theirs] for course, theirs in present.items()})


# ---------------------------------------------------------------- the import
def import_crm(opportunities_csv: str | Path, mapping_file: str | Path,
               activity_csv: str | Path | None = None) -> CRMData:
    """Read a CRM opportunity export (and optionally an activity export) into course-shaped tables.

    Returns `CRMData(opportunities, reps, weekly_activity, notes)`, with exactly one opportunity row
    per export row. Raises `CRMImportError` listing every problem found in the mapping and the files.
    """
    mapping = load_mapping(mapping_file)
    problems: list[Problem] = []
    notes: list[str] = []
    path = Path(opportunities_csv)
    name = path.name
    spec = mapping["opportunities"]
    wanted = {k: v for k, v in spec["columns"].items() if v}
    stage_map = {str(k).strip(): v for k, v in spec["stages"].items()}
    date_format = spec.get("date_format")
    frame = _read(path, wanted, {"rep", "account", "created_date", "closed_date", "stage", "furthest_stage", "team"},
                  problems)
    if frame is None:
        raise CRMImportError(problems)
    n = len(frame)
    col = lambda key: wanted.get(key, key)  # noqa: E731
    out = pd.DataFrame(index=frame.index)

    def add(problem):
        if problem is not None:
            problems.append(problem)

    if "opportunity_id" in frame:
        ids = frame["opportunity_id"]
        add(_problem(name, col("opportunity_id"), "{n} row{s} {have} no id.", (ids == "").to_numpy()))
        duplicated = ids.duplicated(keep=False).to_numpy() & (ids != "").to_numpy()
        add(_problem(name, col("opportunity_id"), "{n} rows share an id with another row (ids must be unique).",
                     duplicated, ids, fix="remove the duplicate rows or export without repeated lines"))
        out["opportunity_id"] = ids
    if "rep" in frame:
        add(_problem(name, col("rep"), "{n} row{s} {have} no owner (rep).", _blank(frame["rep"])))
        out["rep_id"] = _stripped_categorical(frame["rep"])
    if "account" in frame:
        out["account"] = frame["account"]
    fmt_hint = f"dates should look like {pd.Timestamp('2025-03-31').strftime(date_format)}" if date_format else \
        "set 'date_format' in the mapping (e.g. \"%m/%d/%Y\")"
    if "created_date" in frame:
        created = _parse_dates(frame["created_date"], date_format)
        blank = _blank(frame["created_date"])
        add(_problem(name, col("created_date"), "{n} row{s} {have} no created date.", blank))
        add(_problem(name, col("created_date"), "{n} date{s} could not be read.",
                     created.isna().to_numpy() & ~blank, frame["created_date"], fix=fmt_hint))
        out["created_date"] = created
    outcome = None
    if "stage" in frame:
        stage_text = pd.Series(_text(frame["stage"]), index=frame.index)
        course_stage = _map(frame["stage"], stage_map)
        unknown = course_stage.isna().to_numpy()
        unknown_values = sorted(pd.unique(stage_text[unknown]).tolist())[:10]
        add(_problem(name, col("stage"), "{n} row{s} {have} a stage the mapping does not know: "
                     + _braces(", ".join(map(repr, unknown_values))) + ".", unknown, stage_text,
                     fix="add each of these stage names under 'stages:' in the mapping"))
        outcome = np.select([course_stage == "won", course_stage == "lost"], ["won", "lost"], "open")
        outcome = np.where(unknown, "open", outcome)
        out["outcome"] = pd.Categorical(outcome, categories=["open", "won", "lost"])
        furthest = course_stage.where(~course_stage.isin(["lost"]))
        if "furthest_stage" in frame:
            given_text = pd.Series(_text(frame["furthest_stage"]), index=frame.index)
            given = _map(frame["furthest_stage"], stage_map)
            bad = ((given_text != "") & (given.isna() | (given == "lost"))).to_numpy()
            add(_problem(name, col("furthest_stage"), "{n} row{s} {have} a furthest stage that is not an open stage or "
                         "won in the mapping.", bad, given_text, fix="map these values to prospecting, qualified, "
                         "proposal, negotiation or won under 'stages:'"))
            furthest = furthest.where(furthest.notna(), given.where(given != "lost"))
        lost_unknown = (course_stage == "lost") & furthest.isna()
        if lost_unknown.any():
            notes.append(f"{int(lost_unknown.sum()):,} lost deals have no furthest stage (map a 'furthest_stage' "
                         "column to fix this): they count as opportunities and losses but reach no stage, so "
                         "stage conversion rates after prospecting undercount them.")
        out["furthest_stage"] = pd.Categorical(furthest, categories=list(FUNNEL), ordered=True)
    if "closed_date" in frame:
        closed = _parse_dates(frame["closed_date"], date_format)
        blank = _blank(frame["closed_date"])
        add(_problem(name, col("closed_date"), "{n} date{s} could not be read.",
                     closed.isna().to_numpy() & ~blank, frame["closed_date"], fix=fmt_hint))
        if outcome is not None:
            is_closed = outcome != "open"
            add(_problem(name, col("closed_date"), "{n} won or lost deal{s} {have} no close date.", blank & is_closed))
            closed = closed.where(is_closed)
            if "created_date" in out:
                add(_problem(name, col("closed_date"), "{n} deal{s} {have} a close date before the created date.",
                             (closed < out["created_date"]).to_numpy(), frame["closed_date"]))
        out["closed_date"] = closed
    if "amount" in frame:
        text = frame["amount"]
        amount = _parse_numbers(text)
        blank_amount = (text == "").to_numpy()
        add(_problem(name, col("amount"), "{n} row{s} {have} no amount.", blank_amount))
        add(_problem(name, col("amount"), "{n} value{s} {are} not numeric.", amount.isna().to_numpy() & ~blank_amount,
                     text, fix="amounts should be plain numbers such as 12500 or 12,500.00"))
        add(_problem(name, col("amount"), "{n} amount{s} {are} negative.", (amount < 0).to_numpy(), text,
                     fix="credit notes and refunds do not belong in an opportunity export"))
        out["amount"] = amount.astype("float64")
    if "discount_pct" in frame:
        text = frame["discount_pct"]
        discount = _parse_numbers(text)
        add(_problem(name, col("discount_pct"), "{n} value{s} {are} not numeric.",
                     (discount.isna() & (text != "")).to_numpy(), text, fix="use a percentage such as 12.5"))
        add(_problem(name, col("discount_pct"), "{n} discount{s} {are} outside 0-100%.",
                     ((discount < 0) | (discount > 100)).to_numpy(), text))
        if (text == "").any():
            notes.append(f"{int((text == '').sum()):,} deals have no discount: counted as 0%.")
        out["discount_pct"] = discount.fillna(0.0).where(text != "", 0.0).astype("float64")
    else:
        out["discount_pct"] = 0.0

    weekly = None
    if activity_csv is not None:
        weekly = _import_activity(Path(activity_csv), mapping, problems)
    if problems:
        raise CRMImportError(problems)

    assert len(out) == n  # every row of the export, in its order
    columns = ["opportunity_id", "rep_id", "account", "created_date", "closed_date", "furthest_stage", "outcome",
               "amount", "discount_pct"]
    opportunities = out[columns]
    reps = pd.DataFrame({"rep_id": opportunities["rep_id"].cat.categories.astype(str)})
    reps["name"] = reps["rep_id"]
    if "team" in frame:
        team_of = pd.DataFrame({"rep_id": out["rep_id"], "team": frame["team"]}).drop_duplicates("rep_id")
        team_of = team_of.astype({"rep_id": str, "team": str})
        reps = reps.merge(team_of, on="rep_id", how="left")
        reps["team"] = reps["team"].astype("category")
    return CRMData(opportunities=opportunities, reps=reps, weekly_activity=weekly, notes=notes)


def _import_activity(path: Path, mapping: dict, problems: list[Problem]) -> pd.DataFrame | None:
    spec = mapping.get("activity")
    if not spec:
        problems.append(Problem(path.name, None, "an activity export was given but the mapping has no 'activity:' "
                                "section.", fix="add 'activity: columns: {rep, date, type}' and 'types:'"))
        return None
    wanted = {k: v for k, v in spec["columns"].items() if v}
    frame = _read(path, wanted, {"rep", "date", "type"}, problems)
    if frame is None or not set(ACTIVITY_REQUIRED) <= set(frame):
        return None
    name = path.name
    types = {str(k).strip(): v for k, v in (spec.get("types") or {}).items()}
    kind = frame["type"].astype(str).str.strip().map(types)
    unknown = kind.isna().to_numpy()
    values = sorted(frame["type"].astype(str)[unknown].unique().tolist())[:10]
    add = [p for p in (
        _problem(path.name, wanted["type"], "{n} row{s} {have} an activity type the mapping does not know: "
                 + _braces(", ".join(map(repr, values))) + ".", unknown, frame["type"].astype(str),
                 fix="map each under 'activity: types:' to calls, emails, meetings, demos or ignore"),
    ) if p]
    dates = _parse_dates(frame["date"], spec.get("date_format"))
    blank = frame["date"].astype(str).str.strip() == ""
    bad = _problem(name, wanted["date"], "{n} date{s} could not be read.", (dates.isna() & ~blank).to_numpy(),
                   frame["date"])
    missing = _problem(name, wanted["date"], "{n} row{s} {have} no date.", blank.to_numpy())
    no_rep = _problem(name, wanted["rep"], "{n} row{s} {have} no rep.", (frame["rep"].astype(str).str.strip() == "").to_numpy())
    problems.extend(add + [p for p in (bad, missing, no_rep) if p])
    if add or bad or missing or no_rep:
        return None
    keep = (kind != "ignore").to_numpy()
    week = (dates - pd.to_timedelta(dates.dt.dayofweek, unit="D")).dt.normalize()
    counted = pd.DataFrame({"rep_id": frame["rep"].astype(str).str.strip(), "week_start": week, "kind": kind})[keep]
    weekly = counted.groupby(["rep_id", "week_start", "kind"]).size().unstack("kind", fill_value=0)
    weekly = weekly.reindex(columns=["calls", "emails", "meetings", "demos"], fill_value=0).astype("int64")
    return weekly.reset_index().rename_axis(columns=None)


# ---------------------------------------------------------------- command line
def main_import(argv: list[str] | None = None) -> int:
    """`course import-crm`: import an export, print the per-rep funnel or the problem report. Exit 1 on problems."""
    from course.metrics import rep_funnel_kpis

    parser = argparse.ArgumentParser(
        prog="course import-crm",
        description="Check a CRM opportunity export against a mapping file and show each rep's funnel.")
    parser.add_argument("opportunities", type=Path, help="the opportunity export (CSV)")
    parser.add_argument("--mapping", type=Path, required=True, help="the YAML mapping file")
    parser.add_argument("--activity", type=Path, help="an activity export (CSV), optional")
    parser.add_argument("--out", type=Path, help="write the course-shaped tables as CSV into this folder")
    args = parser.parse_args(argv)
    try:
        data = import_crm(args.opportunities, args.mapping, args.activity)
    except CRMImportError as error:
        print(error, file=sys.stderr)
        return 1
    opps = data.opportunities
    print(f"Imported {len(opps):,} opportunities for {len(data.reps):,} reps from {args.opportunities.name}"
          + (f" and {len(data.weekly_activity):,} rep-weeks of activity" if data.weekly_activity is not None else "")
          + ".")
    for note in data.notes:
        print(f"Note: {note}")
    kpis = rep_funnel_kpis(opps)
    with pd.option_context("display.width", 140, "display.max_columns", 20, "display.float_format", "{:,.2f}".format):
        print()
        print(kpis[["opportunities", "won", "lost", "open", "proposal_rate", "close_rate", "win_rate",
                    "avg_deal_size", "avg_cycle_days", "avg_discount_pct"]].head(50).to_string())
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for table, frame in (("opportunities", opps), ("reps", data.reps), ("weekly_activity", data.weekly_activity)):
            if frame is not None:
                frame.to_csv(args.out / f"{table}.csv", index=False, date_format="%Y-%m-%d", lineterminator="\n")
        print(f"\nWrote the course-shaped tables to {args.out}")
    return 0
