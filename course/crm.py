"""Bring your own team's CRM export into the course's tables.

An enablement team exports opportunities (and, if it likes, its reps/owners table and activities)
from its CRM as CSV or .xlsx — a Salesforce report, a HubSpot export, any column names — and writes
a small YAML mapping that says which of its columns is which course column and what its stage
names mean:

    data = import_crm("opportunities_export.csv", "mapping.yaml", reps_file="owners.csv")
    data.opportunities            # course-shaped: opportunity_id, rep_id, account, created_date, ...
    data.kpis()                   # each rep's funnel; a rate the export cannot support is NaN

If anything is wrong, `CRMImportError` is raised with one report that lists every problem — the
file, the column, what was expected, up to five example file lines (blank lines counted, the
header being line 1) and a "Fix:" line. Nothing is dropped or guessed silently: either every row
is imported, or nothing is; what the import decided (encoding, delimiter, number and date
conventions, footers, skipped blank lines) is stated in `data.notes`. The mapping format is
documented in datasets/README.md ("Your own data"). Reading files is in `course.crm_files`.
From a terminal: `course import-crm EXPORT --mapping mapping.yaml [--reps OWNERS --reps-mapping M]`.
"""
from __future__ import annotations

import argparse
import difflib
import re
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from course.crm_files import Unreadable, read_table

COURSE_STAGES = ("prospecting", "qualified", "proposal", "negotiation", "won", "lost")
OPEN_STAGES = ("prospecting", "qualified", "proposal", "negotiation")
FUNNEL = ("prospecting", "qualified", "proposal", "negotiation", "won")
REQUIRED = ("opportunity_id", "rep", "account", "created_date", "closed_date", "stage", "amount")
OPTIONAL = ("furthest_stage", "discount_pct", "team")
MAY_BE_BLANK = {"amount": ["open"], "created_date": ["open"]}  # what CRMs leave empty on open deals
FILE_KEYS = ("encoding", "delimiter")
OPPORTUNITY_KEYS = ("columns", "stages", "date_format", "decimal", "thousands", "currency", "may_be_blank",
                    "merge_name_variants", *FILE_KEYS)
ACTIVITY_REQUIRED = ("rep", "date", "type")
ACTIVITY_KEYS = ("columns", "types", "date_format", *FILE_KEYS)
ACTIVITY_KINDS = ("calls", "emails", "meetings", "demos", "ignore")
REP_COLUMNS = ("rep", "team", "manager", "region", "segment", "hire_date")
REP_KEYS = ("columns", "date_format", *FILE_KEYS)
TOP_KEYS = ("opportunities", "activity", "reps")
CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
EXAMPLES = 5


@dataclass
class Problem:
    """One thing wrong with an export or a mapping: file lines with example values, and how to fix it."""

    file: str
    column: str | None
    message: str
    lines: list[int] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    count: int = 0
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.file}" + (f', column "{self.column}"' if self.column else "")
        text = f"{where}: {self.message}"
        if self.lines:
            shown = ", ".join(
                f"{line} ({value!r})" if value is not None else str(line)
                for line, value in zip(self.lines, self.values or [None] * len(self.lines))
            )
            more = f" and {self.count - len(self.lines):,} more" if self.count > len(self.lines) else ""
            text += f"\n     line{'s' if len(self.lines) > 1 else ''} {shown}{more}"
        if self.fix:
            text += f"\n     Fix: {self.fix}"
        return text


class CRMImportError(ValueError):
    """The export or the mapping has problems; `problems` lists them all, `str()` is the report."""

    def __init__(self, problems: list[Problem], read_as: list[str] | None = None):
        self.problems = problems
        self.read_as = read_as or []
        super().__init__(format_report(problems, self.read_as))


@dataclass
class CRMData:
    """A CRM export in the course's shape, with what the import noticed and what the stages can support."""

    opportunities: pd.DataFrame
    reps: pd.DataFrame
    weekly_activity: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    unsupported: dict[str, str] = field(default_factory=dict)  # KPI column -> why the export cannot give it

    def kpis(self, by: str | list[str] = "rep_id") -> pd.DataFrame:
        """`course.metrics.rep_funnel_kpis`, with every KPI the export cannot support set to NaN (see `kpi_notes`)."""
        from course.metrics import rep_funnel_kpis

        opps = self.opportunities
        kpis = rep_funnel_kpis(opps, by=by)
        keys = [by] if isinstance(by, str) else list(by)
        outcome = opps["outcome"].astype(str)
        unknown_size = (outcome == "won") & opps["amount"].isna()
        unknown_cycle = (outcome != "open") & (opps["closed_date"] - opps["created_date"]).isna()
        for column, unknown in (("avg_deal_size", unknown_size), ("avg_cycle_days", unknown_cycle)):
            if unknown.any():  # a blank the mapping allowed: that group's average is unknown, not lowered
                groups = unknown.groupby([opps[k] for k in keys], observed=True).any()
                kpis.loc[groups[groups].index, column] = np.nan
        for column in self.unsupported:
            kpis[column] = pd.array([pd.NA] * len(kpis), dtype="Int64") if column in COUNTS else np.nan
        return kpis

    def kpi_notes(self) -> list[str]:
        """One sentence per reason a group of KPIs is empty."""
        by_reason: dict[str, list[str]] = {}
        for column, reason in self.unsupported.items():
            by_reason.setdefault(reason, []).append(column)
        notes = [f"{_join(columns)} {'are' if len(columns) > 1 else 'is'} empty (NaN): {reason}"
                 for reason, columns in by_reason.items()]
        opps, outcome = self.opportunities, self.opportunities["outcome"].astype(str)
        if ((outcome == "won") & opps["amount"].isna()).any():
            notes.append("avg_deal_size is empty (NaN) for reps with a won deal that has no amount.")
        if ((outcome != "open") & opps["created_date"].isna()).any():
            notes.append("avg_cycle_days is empty (NaN) for reps with a closed deal that has no created date.")
        return notes


COUNTS = ("qualified", "proposals", "negotiations")


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def format_report(problems: list[Problem], read_as: list[str] | None = None) -> str:
    lines = [f"Could not import the CRM export: {len(problems)} problem{'s' if len(problems) != 1 else ''} found."]
    lines += [f"({sentence})" for sentence in read_as or []]
    lines.append("")
    for number, problem in enumerate(problems, 1):
        lines.append(f"{number:>2}. {problem}")
    lines += ["", "Nothing was imported. Fix the export or the mapping file and run the import again."]
    return "\n".join(lines)


def example_files() -> dict[str, Path]:
    """The shipped example: a Salesforce-style opportunity and activity export, an owners table, their mapping."""
    folder = Path(str(resources.files("course.datasets").joinpath("crm_example")))
    return {
        "opportunities": folder / "opportunities_export.csv",
        "activity": folder / "activities_export.csv",
        "reps": folder / "owners_export.csv",
        "mapping": folder / "mapping.yaml",
    }


# ---------------------------------------------------------------- the mapping file
def _unknown_keys(name: str, where: str, given: dict, known: tuple[str, ...], problems: list[Problem]) -> None:
    for key in given:
        if key in known:
            continue
        guess = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        hint = f"did you mean {guess[0]!r}? " if guess else ""
        problems.append(Problem(name, None, f"'{where}' has an unknown key {key!r}; it would be ignored.",
                                fix=f"{hint}The keys '{where}' can have are: {', '.join(known)}"))


def _read_yaml(path: Path) -> dict:
    import yaml

    try:
        mapping = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CRMImportError([Problem(path.name, None, f"the mapping file {path} does not exist.",
                                      fix="check the path given with --mapping")]) from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise CRMImportError([Problem(path.name, None, f"is not valid YAML: {error}",
                                      fix="compare it with the shipped example mapping.yaml")]) from None
    if not isinstance(mapping, dict):
        raise CRMImportError([Problem(path.name, None, "is not a YAML mapping of sections.",
                                      fix="start from the shipped example mapping.yaml")])
    return mapping


def load_mapping(mapping_file: str | Path) -> dict:
    """Read and check the YAML mapping; raise CRMImportError listing every problem in it."""
    path = Path(mapping_file)
    name = path.name
    mapping = _read_yaml(path)
    problems: list[Problem] = []
    _unknown_keys(name, "the mapping", mapping, TOP_KEYS, problems)
    if not isinstance(mapping.get("opportunities"), dict):
        raise CRMImportError(problems + [Problem(name, None, "needs an 'opportunities:' section with 'columns:' and "
                                                 "'stages:'.", fix="start from the shipped example mapping.yaml")])
    opp = mapping["opportunities"]
    _unknown_keys(name, "opportunities:", opp, OPPORTUNITY_KEYS, problems)
    columns = opp.get("columns") or {}
    if not isinstance(columns, dict):
        problems.append(Problem(name, None, "'opportunities: columns:' must map course columns to your column names.",
                                fix="write one line per column, e.g. 'rep: Opportunity Owner'"))
        columns = {}
    for key in REQUIRED:
        if not columns.get(key):
            problems.append(Problem(name, None, f"'opportunities: columns:' has no entry for {key!r}.",
                                    fix=f"add a line '{key}: <the column in your export>'"))
    _unknown_keys(name, "opportunities: columns:", columns, REQUIRED + OPTIONAL, problems)
    stages = opp.get("stages") or {}
    if not isinstance(stages, dict) or not stages:
        problems.append(Problem(name, None, "'opportunities: stages:' must map each of your stage names to a course "
                                "stage.", fix=f"add lines like 'Closed Won: won'; course stages: {', '.join(COURSE_STAGES)}"))
        stages = {}
    for raw, course in stages.items():
        if course not in COURSE_STAGES:
            problems.append(Problem(name, None, f"stage {raw!r} maps to {course!r}, which is not a course stage.",
                                    fix=f"use one of: {', '.join(COURSE_STAGES)}"))
    decimal, thousands = opp.get("decimal"), opp.get("thousands")
    if decimal is not None and decimal not in (".", ","):
        problems.append(Problem(name, None, f"'decimal: {decimal}' must be \".\" or \",\".",
                                fix='write decimal: "," for 1.054,50 or decimal: "." for 1,054.50'))
    if thousands is not None and (thousands not in (",", ".", " ", "'", "") or thousands == decimal):
        problems.append(Problem(name, None, f"'thousands: {thousands!r}' must be \",\", \".\", \" \", \"'\" or \"\" and "
                                "differ from 'decimal'.", fix='for 1.054,50 write thousands: "." and decimal: ","'))
    blank_rules = opp.get("may_be_blank", {})
    if not isinstance(blank_rules, dict):
        problems.append(Problem(name, None, "'may_be_blank:' must map a course column to a list of stages.",
                                fix="e.g. 'amount: [open]' or 'created_date: [prospecting]'"))
        blank_rules = {}
    _unknown_keys(name, "opportunities: may_be_blank:", blank_rules, tuple(MAY_BE_BLANK), problems)
    for key, allowed in blank_rules.items():
        allowed = allowed if isinstance(allowed, list) else [allowed]
        wrong = [s for s in allowed if s not in (*COURSE_STAGES, "open", "closed", "any")]
        if wrong:
            problems.append(Problem(name, None, f"'may_be_blank: {key}:' lists {', '.join(map(repr, wrong))}, which "
                                    "is not a course stage.", fix=f"use open, closed, any or: {', '.join(COURSE_STAGES)}"))
    activity = mapping.get("activity")
    if activity is not None:
        activity = activity if isinstance(activity, dict) else {}
        _unknown_keys(name, "activity:", activity, ACTIVITY_KEYS, problems)
        a_columns = activity.get("columns") or {}
        for key in ACTIVITY_REQUIRED:
            if not a_columns.get(key):
                problems.append(Problem(name, None, f"'activity: columns:' has no entry for {key!r}.",
                                        fix=f"add a line '{key}: <the column in your activity export>'"))
        _unknown_keys(name, "activity: columns:", a_columns, ACTIVITY_REQUIRED, problems)
        for raw, kind in (activity.get("types") or {}).items():
            if kind not in ACTIVITY_KINDS:
                problems.append(Problem(name, None, f"activity type {raw!r} maps to {kind!r}.",
                                        fix=f"use one of: {', '.join(ACTIVITY_KINDS)}"))
    if mapping.get("reps") is not None:
        problems += _check_reps_section(name, mapping["reps"])
    if problems:
        raise CRMImportError(problems)
    return mapping


def _check_reps_section(name: str, section) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(section, dict) or not isinstance(section.get("columns"), dict):
        return [Problem(name, None, "'reps:' needs 'columns:' naming at least the rep column.",
                        fix="e.g. reps: columns: {rep: Sales Agent, manager: Manager, region: Regional Office}")]
    _unknown_keys(name, "reps:", section, REP_KEYS, problems)
    _unknown_keys(name, "reps: columns:", section["columns"], REP_COLUMNS, problems)
    if not section["columns"].get("rep"):
        problems.append(Problem(name, None, "'reps: columns:' has no entry for 'rep'.",
                                fix="add 'rep: <the column with the rep's name, as in the opportunity export>'"))
    return problems


def load_reps_mapping(mapping_file: str | Path) -> dict:
    """The 'reps:' section of a mapping file (the opportunities mapping or a file of its own)."""
    path = Path(mapping_file)
    mapping = _read_yaml(path)
    problems: list[Problem] = []
    _unknown_keys(path.name, "the mapping", mapping, TOP_KEYS, problems)
    if mapping.get("reps") is None:
        problems.append(Problem(path.name, None, "has no 'reps:' section for the reps table.",
                                fix="add reps: columns: {rep: ..., team: ..., manager: ..., region: ...}"))
    else:
        problems += _check_reps_section(path.name, mapping["reps"])
    if problems:
        raise CRMImportError(problems)
    return mapping["reps"]


# ---------------------------------------------------------------- helpers on whole columns
class Checker:
    """Collects the problems of one file, with the file line of every row."""

    def __init__(self, name: str, lines: np.ndarray, problems: list[Problem], table=None):
        self.name, self.lines, self.problems, self.table = name, lines, problems, table

    def check(self, column, message, mask, raw=None, fix="") -> bool:
        """Report the rows where `mask` is true; `message` may use {n} {s} {have} {are}. True if any."""
        mask = np.asarray(mask, dtype=bool)
        count = int(mask.sum())
        if not count:
            return False
        index = np.flatnonzero(mask)[:EXAMPLES]
        picked = raw.iloc[index] if isinstance(raw, pd.Series) else np.asarray(raw)[index] if raw is not None else []
        values = [str(value) for value in picked]
        many = count != 1
        text = message.format(n=f"{count:,}", s="s" if many else "", have="have" if many else "has",
                              are="are" if many else "is")
        self.problems.append(Problem(self.name, column, text, lines=[int(self.lines[i]) for i in index],
                                     values=values, count=count, fix=fix))
        return True

    def line(self, mask) -> int:
        return int(self.lines[np.flatnonzero(mask)[0]])


def _braces(text: str) -> str:
    """Values from an export, safe inside a message template."""
    return text.replace("{", "{{").replace("}", "}}")


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


def _stripped(raw: pd.Series) -> pd.Categorical:
    """A categorical column with spaces around its values removed (per distinct value); missing is ''."""
    values, codes, _ = _distinct(raw)
    names, inverse = np.unique(values.astype(str), return_inverse=True)
    return pd.Categorical.from_codes(inverse[codes], categories=names)


def _map(raw: pd.Series, mapping: dict) -> pd.Series:
    """Translate a column's values through `mapping` (after stripping); unknown values become NaN.

    A categorical column is translated once per distinct value and stays categorical."""
    if isinstance(raw.dtype, pd.CategoricalDtype):
        mapped = pd.Series(raw.cat.categories.astype(str).str.strip()).map(mapping)
        targets = pd.Index(sorted(set(mapped.dropna())), dtype=object)
        lookup = np.append(targets.get_indexer(mapped), -1)
        codes = raw.cat.codes.to_numpy()
        return pd.Series(pd.Categorical.from_codes(lookup[np.where(codes >= 0, codes, -1)], categories=targets),
                         index=raw.index)
    return raw.astype(str).str.strip().map(mapping)


def _funnel(stage: pd.Series) -> pd.Series:
    """Course stages as the ordered funnel (prospecting … won); lost and unknown become NaN."""
    return pd.Series(pd.Categorical(stage, categories=list(FUNNEL), ordered=True), index=stage.index)


def _distinct(raw: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(distinct values as stripped text, code of each row into them, first row of each distinct value)."""
    if isinstance(raw.dtype, pd.CategoricalDtype):
        values = np.append(raw.cat.categories.astype(str).str.strip().to_numpy(dtype=object), "")
        codes = raw.cat.codes.to_numpy().astype(np.int64)
        codes = np.where(codes >= 0, codes, len(values) - 1)
    else:
        codes, uniques = pd.factorize(raw.astype(str).str.strip())
        values = np.asarray(uniques, dtype=object)
    first = np.full(len(values), -1, dtype=np.int64)
    firsts = pd.Series(codes).drop_duplicates()
    first[firsts.to_numpy()] = firsts.index.to_numpy()
    return values, codes, first


# ---------------------------------------------------------------- dates
DAY_MONTH = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T].*)?")


def _date_order(texts: list[tuple[str, int]], date_format: str | None, file: str, column: str,
                problems: list[Problem], notes: list[str]) -> bool | None:
    """Day first (True), month first (False) or not needed (None), from (distinct value, file line) pairs.

    Refuses (a problem) when no value settles the order or values disagree, unless `date_format` is given.
    """
    if date_format:
        return None
    day_first = [(t, line) for t, line in texts if (m := DAY_MONTH.fullmatch(t)) and int(m[1]) > 12]
    month_first = [(t, line) for t, line in texts if (m := DAY_MONTH.fullmatch(t)) and int(m[3]) > 12]
    either = [(t, line, m) for t, line in texts if (m := DAY_MONTH.fullmatch(t)) and int(m[1]) <= 12
              and int(m[3]) <= 12 and m[1].lstrip("0") != m[3].lstrip("0")]
    if day_first and month_first:
        problems.append(Problem(file, column, f"dates are written both day first ({day_first[0][0]!r} on line "
                                f"{day_first[0][1]}) and month first ({month_first[0][0]!r} on line "
                                f"{month_first[0][1]}).", lines=[day_first[0][1], month_first[0][1]],
                                fix="export the dates in one format, then set date_format in the mapping"))
        return None
    if not either:
        return bool(day_first) if (day_first or month_first) else None
    if day_first or month_first:
        settled_by = (day_first or month_first)[0]
        order = "day first (dd/mm)" if day_first else "month first (mm/dd)"
        notes.append(f"{column}: dates are read {order}, as {settled_by[0]!r} on line {settled_by[1]} shows "
                     f"(so {either[0][0]!r} is {_reading(either[0][2], bool(day_first))}). Set date_format in "
                     "the mapping to say otherwise.")
        return bool(day_first)
    either.sort(key=lambda item: item[1])
    shown = list({ln: (t, ln, m) for t, ln, m in reversed(either)}.values())[::-1][:EXAMPLES]
    text, line, m = either[0]
    sep, year = m[2], "%Y" if len(m[4]) == 4 else "%y"
    problems.append(Problem(
        file, column, f"{len(either):,} date{'s' if len(either) > 1 else ''} could be read two ways and no date in "
        f"the file settles which: {text!r} is {_reading(m, True)} if the day comes first, or {_reading(m, False)} if "
        "the month comes first.", lines=[ln for _, ln, _ in shown], values=[t for t, _, _ in shown], count=len(either),
        fix=f"add date_format: \"%d{sep}%m{sep}{year}\" (day first) or date_format: \"%m{sep}%d{sep}{year}\" "
            "(month first) under 'opportunities:' in the mapping"))
    return None


def _reading(match: re.Match, day_first: bool) -> str:
    day, month = (match[1], match[3]) if day_first else (match[3], match[1])
    year = match[4] if len(match[4]) == 4 else f"20{match[4]}"
    return pd.Timestamp(int(year), int(month), int(day)).strftime("%-d %B %Y")


def _parse_distinct_dates(values: np.ndarray, date_format: str | None, day_first: bool | None) -> np.ndarray:
    """Parse distinct date texts; blanks and unreadable values become NaT."""
    series = pd.Series(values, dtype=object).where(pd.Series(values, dtype=object) != "")
    if date_format:
        return pd.to_datetime(series, format=date_format, errors="coerce").to_numpy("datetime64[ns]")
    parsed = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
    plain = series.str.fullmatch(r"\d{1,2}([/.-])\d{1,2}\1\d{4}", na=False)
    for sep in series[plain].str.extract(r"\d([/.-])", expand=False).unique():  # whole column at C speed
        fmt = f"%d{sep}%m{sep}%Y" if day_first else f"%m{sep}%d{sep}%Y"
        rows = plain & series.str.contains(sep, regex=False, na=False)
        parsed[rows] = pd.to_datetime(series[rows], format=fmt, errors="coerce")
    iso = ~plain & series.str.fullmatch(r"\d{4}-\d{2}-\d{2}", na=False)
    parsed[iso] = pd.to_datetime(series[iso], format="%Y-%m-%d", errors="coerce")
    rest = series.notna() & ~plain & ~iso
    if rest.any():
        parsed[rest] = pd.to_datetime(series[rest], format="mixed", dayfirst=bool(day_first), errors="coerce")
    return parsed.to_numpy("datetime64[ns]")


def _dates(columns: dict[str, pd.Series], date_format, check: Checker, names: dict[str, str],
           notes: list[str]) -> dict[str, pd.Series]:
    """Parse the date columns together (one day/month decision for the file); unreadable ones are reported."""
    distinct = {key: _distinct(raw) for key, raw in columns.items()}
    texts = {}
    for key, (values, _, first) in distinct.items():
        for value, row in zip(values, first):
            if value and row >= 0 and value not in texts:
                texts[value] = int(check.lines[row])
    found = len(check.problems)
    column_names = ", ".join(names[key] for key in columns)
    day_first = _date_order(list(texts.items()), date_format, check.name, column_names, check.problems, notes)
    if len(check.problems) > found:
        return {}
    out = {}
    hint = (f"dates should look like {pd.Timestamp('2025-03-31').strftime(date_format)} (date_format "
            f"{date_format!r})" if date_format else "set 'date_format' in the mapping (e.g. \"%m/%d/%Y\")")
    for key, (values, codes, _) in distinct.items():
        parsed = _parse_distinct_dates(values, date_format, day_first)
        dates = pd.Series(parsed[codes], index=columns[key].index)
        check.check(names[key], "{n} date{s} could not be read.", (pd.isna(parsed) & (values != ""))[codes],
                    values[codes], fix=hint)
        out[key] = dates
    return out


# ---------------------------------------------------------------- numbers and currencies
NUMBER = re.compile(r"(?P<neg>[-(])?\s*(?P<before>[$€£¥]|[A-Z]{3})?\s*(?P<neg2>-)?\s*"
                    r"(?P<num>\d(?:[\d.,' \u00a0\u202f]*\d)?)\s*(?P<after>[$€£¥%]|[A-Z]{3})?\s*\)?")
SPACES = " \u00a0\u202f'"


def _evidence(num: str) -> str | None:
    """Which character is the decimal mark in this number: '.', ',', 'ambiguous' (1.054) or None (no mark)."""
    dots, commas = num.count("."), num.count(",")
    if dots and commas:
        return "." if num.rfind(".") > num.rfind(",") else ","
    for mark, count, other in ((".", dots, ","), (",", commas, ".")):
        if count > 1:
            return other
        if count == 1:
            whole, _, decimals = num.rpartition(mark)
            if len(decimals) == 3 and len(whole.lstrip("-").replace(" ", "")) <= 3 and whole.strip("-"):
                return "ambiguous"
            return mark
    return None


def _to_float(num: str, decimal: str, thousands: str | None) -> float:
    seps = re.escape("".join(sorted(set((thousands or "") + SPACES) - {decimal})))
    mark = re.escape(decimal)
    if not re.fullmatch(rf"\d{{1,3}}(?:[{seps}]\d{{3}})+(?:{mark}\d+)?|\d+(?:{mark}\d+)?", num):
        return np.nan
    return float(re.sub(f"[{seps}]", "", num).replace(decimal, "."))


def _could_be_thousands(values: np.ndarray) -> bool:
    """Could some of these numbers have been written like 1.054 or 12.000 (a point between thousands)?

    Only values under 1,000 can; and not when any value shows the point is a decimal mark (a fraction
    on a value of 1,000 or more, or more than three decimals)."""
    if not (np.abs(values) < 1000).any():
        return False
    fraction = values % 1 != 0
    decimal_point = (fraction & (np.abs(values) >= 1000)) | (np.round(values * 1000) != values * 1000)
    return not decimal_point.any()


def _numbers(raw: pd.Series, check: Checker, column: str, spec: dict, what: str, notes: list[str],
             percent: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(values, blank) of a number column. Plain numbers take a fast path; anything else is read per
    distinct value with the decimal convention found in the values (or given by `decimal:`), so
    '1.054,00', '1054,50' and '€1.054' are read right or reported, never misread."""
    decimal, thousands = spec.get("decimal"), spec.get("thousands")
    if raw.dtype.kind == "f":  # the file's reader took every value as a plain number (point as decimal mark)
        values = raw.to_numpy(dtype="float64")
        blank = np.isnan(values)
        if decimal == "." or (decimal is None and (percent or not _could_be_thousands(values[~blank]))):
            return values, blank
        raw = check.table.column_text(column)  # read as text: the decimal convention decides
    text = raw.astype(str)
    blank = _blank(text)
    if decimal in (None, "."):
        fast = pd.to_numeric(text.where(~blank), errors="coerce").to_numpy(dtype="float64")
        failed = np.isnan(fast) & ~blank
        small = ~np.isnan(fast) & (np.abs(fast) < 1000)
        if not failed.any() and np.isfinite(fast[~blank]).all():
            if decimal == "." or not small.any():
                return fast, blank
            three = text[small].str.fullmatch(r"[-+]?\d{1,3}\.\d{3}").to_numpy()
            if not three.any():
                return fast, blank
    values, codes, first = _distinct(text)
    parts = [NUMBER.fullmatch(v) if v else None for v in values]
    if decimal is None:
        marks = {}
        for value, part, row in zip(values, parts, first):
            if part is not None:
                marks.setdefault(_evidence(part["num"]), (value, int(check.lines[row])))
        if "." in marks and "," in marks:
            (v1, l1), (v2, l2) = marks["."], marks[","]
            check.problems.append(Problem(check.name, column, f"{what} mix two number formats: {v1!r} (line {l1}) has "
                                          f"a decimal point and {v2!r} (line {l2}) a decimal comma.", lines=[l1, l2],
                                          fix='export one number format, or set decimal: "." or decimal: "," in the '
                                              "mapping (values that do not fit it are then listed)"))
            return np.full(len(text), np.nan), blank
        if "ambiguous" in marks and "." not in marks and "," not in marks:
            value, line = marks["ambiguous"]
            num = NUMBER.fullmatch(value)["num"]
            mark = "." if "." in num else ","
            ambiguous = np.array([p is not None and _evidence(p["num"]) == "ambiguous" for p in parts])[codes]
            check.check(column, "{n} " + what + " such as " + _braces(repr(value)) + " can be read two ways and no "
                        f"value in the file settles which: {num.replace(mark, '')} if {mark!r} separates thousands, "
                        f"or {num.replace(',', '.')} if it is the decimal mark.", ambiguous, text,
                        fix=f"add decimal: \"{'.' if mark == ',' else ','}\" (then {mark!r} separates thousands) or "
                            f"decimal: \"{mark}\" under 'opportunities:' in the mapping")
            return np.full(len(text), np.nan), blank
        decimal = "," if "," in marks else "."
    thousands = thousands if thousands is not None else ("," if decimal == "." else ".")
    if decimal == "," and spec.get("decimal") is None:
        example, line = marks[","]
        notes.append(f"{what.capitalize()} use a decimal comma and {thousands!r} between thousands ({example!r} on "
                     f"line {line} reads {_to_float(NUMBER.fullmatch(example)['num'], ',', thousands):.2f}), "
                     "detected from the values; set decimal: in the mapping to say otherwise.")
    parsed = np.array([_to_float(p["num"], decimal, thousands) if p is not None else np.nan for p in parts])
    sign = np.array([-1.0 if p is not None and (p["neg"] or p["neg2"]) else 1.0 for p in parts])
    marks_found = [(p["before"] or p["after"]) if p is not None else None for p in parts]
    currency = np.array([CURRENCIES.get(m, m) if m and m != "%" else "" for m in marks_found], dtype=object)
    pct = np.array([m == "%" for m in marks_found])
    values_out = (parsed * sign)[codes]
    bad = np.isnan(values_out) & ~blank
    convention = f"decimal {decimal!r}, thousands {thousands!r}"
    check.check(column, "{n} value{s} {are} not numeric (read with " + _braces(convention) + ").", bad,
                text, fix=f"write {what} like 12500 or 12{thousands}500{decimal}00" + (" or 12.5%" if percent else ""))
    if not percent:
        check.check(column, "{n} value{s} {are} percentages, not " + what + ".", pct[codes], text,
                    fix="map a column of amounts, not percentages")
    row_currency = currency[codes]
    found = sorted(set(currency[currency != ""]))
    expected = spec.get("currency")
    if len(found) > 1 or (expected and found and found != [expected]):
        counts = ", ".join(f"{c} ({(row_currency == c).sum():,} rows)" for c in found)
        reference = expected or max(found, key=lambda c: (row_currency == c).sum())
        odd = (row_currency != "") & (row_currency != reference)
        check.check(column, "{n} " + what + f" are in another currency than the rest: {_braces(counts)}"
                    + (f"; the mapping says currency: {expected}" if expected else "") + ".", odd, text,
                    fix="export every amount in one currency (in Salesforce, use the converted amount column)")
    elif found:
        cur = found[0]
        notes.append(f"{what.capitalize()} carry a currency sign or code ({cur}, e.g. "
                     f"{text.iloc[int(np.flatnonzero(row_currency != '')[0])]!r} on line "
                     f"{check.line(row_currency != '')}); read as plain numbers in {cur}.")
    return values_out, blank


# ---------------------------------------------------------------- names and people
def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _name_variants(raw: pd.Series, check: Checker, column: str, merge: bool, notes: list[str]) -> pd.Categorical:
    """Rep names as categories. Spellings differing only in capitals or spaces are reported, or merged if asked."""
    raw = raw if isinstance(raw.dtype, pd.CategoricalDtype) else raw.astype("category")
    categories = raw.cat.categories.astype(str)
    codes = raw.cat.codes.to_numpy()
    counts = np.bincount(codes[codes >= 0], minlength=len(categories))
    spellings_of: dict[str, list[int]] = {}
    for i, category in enumerate(categories):
        spellings_of.setdefault(_name_key(category), []).append(i)
    groups = {k: index for k, index in spellings_of.items() if len(index) > 1 and k}
    target = np.array([c.strip() for c in categories], dtype=object)
    for key, index in groups.items():
        index = sorted(index, key=lambda i: check.line(codes == i))
        spellings = [f"{categories[i]!r} ({counts[i]:,} deal{'s' if counts[i] != 1 else ''}, first on line "
                     f"{check.line(codes == i)})" for i in index]
        if merge:
            main = max(index, key=lambda i: counts[i])
            target[index] = categories[main].strip()
            notes.append(f"Counted as one rep {categories[main].strip()!r}: {_join(spellings)} (merge_name_variants).")
        else:
            check.problems.append(Problem(
                check.name, column, f"these rep names differ only in capitals or spaces: {_join(spellings)}. "
                "They would be counted as different reps.", lines=[check.line(codes == i) for i in index][:EXAMPLES],
                fix="make the spelling identical in the CRM or the export, or add 'merge_name_variants: true' under "
                "'opportunities:' in the mapping to count them as one rep"))
    names, inverse = np.unique(target.astype(str), return_inverse=True)
    return pd.Categorical.from_codes(np.where(codes >= 0, inverse[np.maximum(codes, 0)], -1), categories=names)


def _team_changes(opps: pd.DataFrame, team: pd.Series, notes: list[str]) -> pd.Series:
    """Each rep's latest team; a rep whose deals carry several teams is noted with the dates of each."""
    team_codes = opps["team"].cat.codes.to_numpy().astype(np.int64)
    pairs = pd.unique(opps["rep_id"].cat.codes.to_numpy().astype(np.int64) * (team_codes.max() + 2) + team_codes)
    if len(pairs) == len(opps["rep_id"].cat.categories):  # every rep in one team: nothing to report
        return opps.groupby("rep_id", observed=True)["team"].last().astype(str)
    frame = pd.DataFrame({"rep_id": opps["rep_id"], "team": pd.Series(_text(team), index=opps.index),
                          "date": opps["created_date"].fillna(opps["closed_date"])})
    frame = frame[frame["team"] != ""]
    spans = frame.groupby(["rep_id", "team"], observed=True)["date"].agg(["min", "max", "size"]).reset_index()
    spans = spans.sort_values(["rep_id", "min"])
    movers = spans.groupby("rep_id", observed=True)["team"].transform("size") > 1
    changed = spans[movers]
    reps = list(dict.fromkeys(changed["rep_id"]))
    for rep in reps[:EXAMPLES]:
        parts = [f"{row.team!r} on {row.size:,} deal{'s' if row.size != 1 else ''} created "
                 f"{_day(row.min)} to {_day(row.max)}" for row in changed[changed["rep_id"] == rep].itertuples()]
        notes.append(f"{rep} changes team: {'; then '.join(parts)}. Each deal keeps the team it was made in "
                     "(column 'team'); the reps table shows the latest.")
    if len(reps) > EXAMPLES:
        notes.append(f"{len(reps) - EXAMPLES} more reps change team: {', '.join(map(str, reps[EXAMPLES:EXAMPLES + 10]))}"
                     f"{' …' if len(reps) > EXAMPLES + 10 else ''}.")
    latest = frame.sort_values("date", na_position="first").groupby("rep_id", observed=True)["team"].last()
    return latest


def _day(value) -> str:
    return "an unknown date" if pd.isna(value) else pd.Timestamp(value).strftime("%-d %b %Y")


# ---------------------------------------------------------------- reading a file
def _read(path: Path, wanted: dict[str, str], categorical: set[str], spec: dict, problems: list[Problem],
          read_as: list[str], key_columns: tuple[str, ...] = (), numeric: tuple[str, ...] = ()
          ) -> tuple[pd.DataFrame, Checker, list[str]] | None:
    """Read only the mapped columns; report the mapped columns the file does not have."""
    name = path.name
    try:
        table = read_table(path, list(wanted.values()), {wanted[k] for k in categorical if k in wanted},
                           numeric={wanted[k] for k in numeric if k in wanted},
                           encoding=spec.get("encoding"), delimiter=spec.get("delimiter"),
                           date_format=spec.get("date_format"), decimal=spec.get("decimal"),
                           key_columns=tuple(wanted[k] for k in key_columns if k in wanted))
    except Unreadable as error:
        problems.append(Problem(name, None, error.message, lines=error.lines,
                                fix=error.fix or "export the file again as CSV UTF-8"))
        return None
    read_as.append(f"{name} was read as {table.how}")
    used = set(wanted.values())
    spare = [h for h in table.header if h not in used]
    for course_column, theirs in wanted.items():
        if theirs in table.header:
            continue
        guess = _column_guess(str(theirs), spare)
        hint = f"did you mean {guess!r}? " if guess else ""
        problems.append(Problem(
            name, str(theirs), f"this column is missing from the export (it is mapped to the course's {course_column!r}).",
            fix=f"{hint}Correct the mapping or the export. The export's columns ({table.how}) are: "
                f"{', '.join(map(repr, table.header[:40]))}",
        ))
    if not len(table.frame):
        problems.append(Problem(name, None, f"has a header line but no rows below it ({table.how}).",
                                lines=[int(table.lines[0]) - 1] if len(table.lines) else [1],
                                fix="export the report again with its rows (in Salesforce: a tabular report with "
                                    "'Show details' on, then Export > Details only)"))
        return None
    present = {course: theirs for course, theirs in wanted.items() if theirs in table.frame}
    if len(set(present.values())) == len(present) == len(table.frame.columns):  # rename in place: no copy
        frame = table.frame
        frame.columns = [next(c for c, t in present.items() if t == name) for name in frame.columns]
    else:
        frame = pd.DataFrame({course: table.frame[theirs] for course, theirs in present.items()})
    return frame, Checker(name, table.lines, problems, table), table.notes


def _column_guess(wanted: str, spare: list[str]) -> str | None:
    """The export column a mistyped mapping entry most likely meant, among columns nothing else is mapped to."""
    simple = lambda text: re.sub(r"\W|_", "", text).casefold()  # noqa: E731
    words = lambda text: set(re.findall(r"[^\W_]+", text.casefold()))  # noqa: E731
    for candidate in spare:
        if simple(candidate) == simple(wanted) or words(candidate) == words(wanted):
            return candidate
    contained = [c for c in spare if simple(c) and (simple(c) in simple(wanted) or simple(wanted) in simple(c))]
    if len(contained) == 1:
        return contained[0]
    guess = difflib.get_close_matches(wanted, spare, n=1, cutoff=0.6)
    return guess[0] if guess else None


# ---------------------------------------------------------------- the import
def import_crm(opportunities_csv: str | Path, mapping_file: str | Path, activity_csv: str | Path | None = None,
               reps_file: str | Path | None = None, reps_mapping: str | Path | None = None) -> CRMData:
    """Read a CRM opportunity export (CSV or .xlsx), optionally a reps table and an activity export.

    Returns `CRMData(opportunities, reps, weekly_activity, notes, unsupported)`, with exactly one
    opportunity row per deal in the export. Raises `CRMImportError` listing every problem found in
    the mapping and the files. The reps table's mapping is the 'reps:' section of `reps_mapping`
    (default: the opportunities mapping file).
    """
    mapping = load_mapping(mapping_file)
    reps_spec = load_reps_mapping(reps_mapping or mapping_file) if reps_file is not None else None
    problems: list[Problem] = []
    notes: list[str] = []
    read_as: list[str] = []
    spec = mapping["opportunities"]
    wanted = {k: v for k, v in spec["columns"].items() if v}
    stage_map = {str(k).strip(): v for k, v in spec["stages"].items()}
    read = _read(Path(opportunities_csv), wanted, {"rep", "created_date", "closed_date", "stage",
                                                  "furthest_stage", "team"}, spec, problems, read_as,
                 key_columns=("rep", "stage"), numeric=("amount", "discount_pct"))
    if read is None:
        raise CRMImportError(problems, read_as)
    frame, check, file_notes = read
    notes += file_notes
    col = wanted.get
    out = pd.DataFrame(index=frame.index)

    if "opportunity_id" in frame:
        ids = frame["opportunity_id"]
        no_id = (ids == "").to_numpy()
        check.check(col("opportunity_id"), "{n} row{s} {have} no id.", no_id,
                    fix="every deal needs its CRM id; export the id column")
        if ids.duplicated().any():
            check.check(col("opportunity_id"), "{n} rows share an id with another row (ids must be unique).",
                        ids.duplicated(keep=False).to_numpy() & ~no_id, ids,
                        fix="remove the duplicate rows or export without repeated lines")
        out["opportunity_id"] = ids
    if "rep" in frame:
        check.check(col("rep"), "{n} row{s} {have} no owner (rep).", _blank(frame["rep"]),
                    fix="assign an owner in the CRM, or leave these deals out of the export")
        out["rep_id"] = _name_variants(frame["rep"], check, col("rep"), bool(spec.get("merge_name_variants")), notes)
    if "account" in frame:
        out["account"] = frame["account"]

    # stages first: which fields may be blank depends on the stage
    stage_text = pd.Series(_text(frame["stage"]) if "stage" in frame else "", index=frame.index)
    course_stage = _map(frame["stage"], stage_map) if "stage" in frame else pd.Series(np.nan, index=frame.index)
    unknown = course_stage.isna().to_numpy()
    if "stage" in frame:
        no_stage = (stage_text == "").to_numpy()
        check.check(col("stage"), "{n} row{s} {have} no stage.", no_stage,
                    fix="every deal needs its stage; fill it in or leave these deals out of the export")
        unknown_values = sorted(pd.unique(stage_text[unknown & ~no_stage]).tolist())[:10]
        check.check(col("stage"), "{n} row{s} {have} a stage the mapping does not know: "
                    + _braces(", ".join(map(repr, unknown_values))) + ".", unknown & ~no_stage, stage_text,
                    fix="add each of these stage names under 'stages:' in the mapping")
    won, lost = (course_stage == "won").to_numpy(), (course_stage == "lost").to_numpy()
    outcome_codes = np.select([won, lost], [1, 2], 0).astype(np.int8)
    outcome = np.array(["open", "won", "lost"])[outcome_codes]
    out["outcome"] = pd.Categorical.from_codes(outcome_codes, categories=["open", "won", "lost"])
    rules = {**MAY_BE_BLANK, **(spec.get("may_be_blank") or {})}

    def may_be_blank(key: str) -> np.ndarray:
        allowed = rules.get(key) or []
        allowed = set(allowed if isinstance(allowed, list) else [allowed])
        ok = course_stage.isin(allowed).to_numpy() | ("any" in allowed)
        ok |= ("open" in allowed) & (outcome == "open")
        return ok | (("closed" in allowed) & (outcome != "open"))

    def blank_problem(key: str, blank: np.ndarray, what: str) -> None:
        wrong = blank & ~may_be_blank(key) & ~unknown
        if wrong.any():
            kinds = pd.Series(stage_text[wrong]).value_counts()
            spread = ", ".join(f"{count:,} {stage!r}" for stage, count in kinds.items())
            allowed = rules.get(key) or []
            allowed = sorted(set(allowed if isinstance(allowed, list) else [allowed])
                             | set(pd.Series(course_stage[wrong]).dropna()))
            check.check(col(key), "{n} row{s} {have} no " + what + f" ({_braces(spread)}).", wrong,
                        fix=f"fill in the {what} in the CRM, or, if your CRM leaves it empty for these deals, add "
                            f"'may_be_blank: {{{key}: [{', '.join(allowed)}]}}' under 'opportunities:' in the mapping "
                            "(they then count as unknown, never as 0)")

    date_keys = [k for k in ("created_date", "closed_date") if k in frame]
    dates = _dates({k: frame[k] for k in date_keys}, spec.get("date_format"), check, {k: col(k) for k in date_keys},
                   notes)
    if "created_date" in dates:
        blank_problem("created_date", _blank(frame["created_date"]), "created date")
        out["created_date"] = dates["created_date"]
    if "closed_date" in dates:
        closed = dates["closed_date"]
        is_closed = outcome != "open"
        check.check(col("closed_date"), "{n} won or lost deal{s} {have} no close date.",
                    _blank(frame["closed_date"]) & is_closed,
                    fix="a closed deal needs the date it was won or lost; fill it in or export the 'Close Date' column")
        closed = closed.where(is_closed)
        if "created_date" in out:
            check.check(col("closed_date"), "{n} deal{s} {have} a close date before the created date.",
                        (closed < out["created_date"]).to_numpy(), _text(frame["closed_date"]),
                        fix="correct the dates in the CRM; a deal cannot close before it is created")
        out["closed_date"] = closed

    furthest = _funnel(course_stage)
    if "furthest_stage" in frame:
        given_text = pd.Series(_text(frame["furthest_stage"]), index=frame.index)
        given = _funnel(_map(frame["furthest_stage"], stage_map))
        bad = ((given_text != "") & given.isna()).to_numpy()
        check.check(col("furthest_stage"), "{n} row{s} {have} a furthest stage that is not an open stage or won in "
                    "the mapping.", bad, given_text, fix="map these values to prospecting, qualified, proposal, "
                    "negotiation or won under 'stages:'")
        furthest = furthest.where(furthest.notna(), given)
    out["furthest_stage"] = furthest.array

    if "amount" in frame:
        amount, blank_amount = _numbers(frame["amount"], check, col("amount"), spec, "amounts", notes)
        blank_problem("amount", blank_amount, "amount")
        check.check(col("amount"), "{n} amount{s} {are} negative.", amount < 0, frame["amount"],
                    fix="credit notes and refunds do not belong in an opportunity export")
        out["amount"] = amount
    if "discount_pct" in frame:
        discount, blank_discount = _numbers(frame["discount_pct"], check, col("discount_pct"), spec, "discounts",
                                            notes, percent=True)
        check.check(col("discount_pct"), "{n} discount{s} {are} outside 0-100%.", (discount < 0) | (discount > 100),
                    frame["discount_pct"], fix="use a percentage such as 12.5")
        if blank_discount.any():
            notes.append(f"{int(blank_discount.sum()):,} deals have no discount: counted as 0%.")
        out["discount_pct"] = np.where(blank_discount, 0.0, discount)
    else:
        out["discount_pct"] = np.nan
    if "team" in frame:
        out["team"] = _stripped(frame["team"])

    reps = None
    if reps_file is not None and "rep_id" in out:
        reps = _import_reps(Path(reps_file), reps_spec, out["rep_id"], col("rep"), check, problems, notes, read_as)
    weekly = None
    if activity_csv is not None:
        weekly = _import_activity(Path(activity_csv), mapping, problems, read_as)
    if problems:
        raise CRMImportError(problems, read_as)

    columns = ["opportunity_id", "rep_id", "account", "created_date", "closed_date", "furthest_stage", "outcome",
               "amount", "discount_pct"] + (["team"] if "team" in out else [])
    opportunities = out[columns]
    if reps is None:
        reps = pd.DataFrame({"rep_id": opportunities["rep_id"].cat.categories.astype(str)})
        reps["name"] = reps["rep_id"]
    if "team" in out:
        latest = _team_changes(opportunities, frame["team"], notes)
        if "team" not in reps:
            reps["team"] = pd.Categorical(reps["rep_id"].map(latest.astype(str)))
    notes.insert(0, "; ".join(read_as) + ".")
    data = CRMData(opportunities=opportunities, reps=reps, weekly_activity=weekly, notes=notes)
    data.unsupported = _unsupported(set(stage_map.values()), opportunities, "discount_pct" in frame)
    return data


def _unsupported(stages: set[str], opps: pd.DataFrame, has_discount: bool) -> dict[str, str]:
    """KPI columns the export cannot give, with the reason (see `CRMData.kpis`)."""
    out: dict[str, str] = {}
    named = ", ".join(s for s in COURSE_STAGES if s in stages)
    needs = {"qualified": ("qualified_rate",), "proposal": ("proposal_rate", "proposals"),
             "negotiation": ("negotiation_rate", "close_rate", "negotiations")}
    needs_before = {"qualified": ("proposal_rate", "qualified"), "proposal": ("negotiation_rate",)}
    for stage, columns in needs.items():
        if stage not in stages:
            for column in columns + needs_before.get(stage, ()):
                absent = [s for s in OPEN_STAGES if s not in stages]
                out.setdefault(column, f"the stage mapping has no {' or '.join(absent)} stage (your stages map to: "
                               f"{named}), so the export cannot show which deals reached {'them' if len(absent) > 1 else 'it'}.")
    lost_unknown = int(((opps["outcome"] == "lost") & opps["furthest_stage"].isna()).sum())
    if lost_unknown:
        for column in ("qualified_rate", "proposal_rate", "negotiation_rate", "close_rate", *COUNTS):
            out.setdefault(column, f"{lost_unknown:,} lost deal{'s' if lost_unknown != 1 else ''} "
                           f"{'have' if lost_unknown != 1 else 'has'} no furthest stage, so how far they got is "
                           "unknown (map a 'furthest_stage' column to fix this).")
    if "lost" not in stages or "won" not in stages:
        out["win_rate"] = "the stage mapping has no won or no lost stage, so finished deals cannot be told apart."
    if not has_discount:
        out["avg_discount_pct"] = "no discount column is mapped, so discounts are unknown (not 0%)."
    return out


def _import_reps(path: Path, spec: dict, deal_reps: pd.Series, rep_column: str, opp_check: Checker,
                 problems: list[Problem], notes: list[str], read_as: list[str]) -> pd.DataFrame | None:
    """The reps/owners table: one row per rep, joined to the deals by the rep's name."""
    wanted = {k: v for k, v in spec["columns"].items() if v}
    read = _read(path, wanted, {"team", "manager", "region", "segment"}, spec, problems, read_as,
                 key_columns=("rep",))
    if read is None:
        return None
    frame, check, file_notes = read
    notes += file_notes
    names = pd.Series(_text(frame["rep"]))
    check.check(wanted["rep"], "{n} row{s} {have} no rep name.", (names == "").to_numpy(),
                fix="fill in the rep's name or delete the row")
    keyed = names.map(_name_key)
    check.check(wanted["rep"], "{n} rows list a rep who is already in the table (names compared ignoring capitals "
                "and spaces).", (keyed.duplicated(keep=False) & (names != "")).to_numpy(), names,
                fix="keep one row per rep: the rep's current team, manager and region")
    reps = pd.DataFrame({"rep_id": names, "name": names})
    for key in ("team", "manager", "region", "segment"):
        if key in frame:
            reps[key] = pd.Categorical(_text(frame[key]))
    if "hire_date" in frame:
        hired = _dates({"hire_date": frame["hire_date"]}, spec.get("date_format"), check,
                       {"hire_date": wanted["hire_date"]}, notes)
        if hired:
            reps["hire_date"] = hired["hire_date"].to_numpy()
    listed = set(names)
    deal_names = deal_reps.cat.categories.astype(str)
    missing = [n for n in deal_names if n not in listed]
    if missing:
        by_key = {_name_key(n): n for n in listed}
        shown = [f"{n!r}" + (f" (the reps table has {by_key[_name_key(n)]!r})" if _name_key(n) in by_key else "")
                 for n in missing[:10]]
        mask = deal_reps.isin(missing).to_numpy()
        opp_check.check(rep_column, f"{len(missing):,} rep{'s' if len(missing) > 1 else ''} "
                        f"{'own' if len(missing) > 1 else 'owns'} deals but {'are' if len(missing) > 1 else 'is'} "
                        f"not in the reps table {path.name}: {_braces(', '.join(shown))}"
                        f"{' …' if len(missing) > 10 else ''} ({{n}} deals).", mask, deal_reps.astype(str),
                        fix=f"add these reps to {path.name}, or correct the spelling so both files agree")
    idle = len(listed - set(deal_names) - {""})
    if idle:
        notes.append(f"{idle} rep{'s' if idle > 1 else ''} in {path.name} own no deals in the export.")
    return reps.sort_values("rep_id").reset_index(drop=True)


def _import_activity(path: Path, mapping: dict, problems: list[Problem], read_as: list[str]) -> pd.DataFrame | None:
    spec = mapping.get("activity")
    if not spec:
        problems.append(Problem(path.name, None, "an activity export was given but the mapping has no 'activity:' "
                                "section.", fix="add 'activity: columns: {rep, date, type}' and 'types:'"))
        return None
    wanted = {k: v for k, v in spec["columns"].items() if v}
    read = _read(path, wanted, {"rep", "date", "type"}, spec, problems, read_as, key_columns=("rep", "type"))
    if read is None:
        return None
    frame, check, _ = read
    before = len(problems)
    types = {str(k).strip(): v for k, v in (spec.get("types") or {}).items()}
    kind = _map(frame["type"], types)
    unknown = kind.isna().to_numpy()
    type_text = _text(frame["type"])
    values = sorted(pd.unique(type_text[unknown]).tolist())[:10]
    check.check(wanted["type"], "{n} row{s} {have} an activity type the mapping does not know: "
                + _braces(", ".join(map(repr, values))) + ".", unknown, type_text,
                fix="map each under 'activity: types:' to calls, emails, meetings, demos or ignore")
    notes: list[str] = []
    dates = _dates({"date": frame["date"]}, spec.get("date_format"), check, {"date": wanted["date"]}, notes)
    check.check(wanted["date"], "{n} row{s} {have} no date.", _blank(frame["date"]),
                fix="every activity needs its date")
    check.check(wanted["rep"], "{n} row{s} {have} no rep.", _blank(frame["rep"]), fix="every activity needs its rep")
    if len(problems) > before or not dates:
        return None
    dates = dates["date"]
    keep = (kind != "ignore").to_numpy()
    week = (dates - pd.to_timedelta(dates.dt.dayofweek, unit="D")).dt.normalize()
    counted = pd.DataFrame({"rep_id": _text(frame["rep"]), "week_start": week, "kind": kind})[keep]
    weekly = counted.groupby(["rep_id", "week_start", "kind"], observed=True).size().unstack("kind", fill_value=0)
    weekly = weekly.reindex(columns=["calls", "emails", "meetings", "demos"], fill_value=0).astype("int64")
    return weekly.reset_index().rename_axis(columns=None)


# ---------------------------------------------------------------- command line
def add_export_arguments(parser: argparse.ArgumentParser, export: str) -> None:
    """The files of one import, shared by `course import-crm` and `course explore`."""
    parser.add_argument(export, type=Path, help="the opportunity export (CSV or .xlsx)")
    parser.add_argument("--mapping", type=Path, required=True, help="the YAML mapping file")
    parser.add_argument("--reps", type=Path, help="the reps/owners table (CSV or .xlsx), optional")
    parser.add_argument("--reps-mapping", type=Path, help="mapping with a 'reps:' section (default: --mapping)")
    parser.add_argument("--activity", type=Path, help="an activity export (CSV), optional")


def main_import(argv: list[str] | None = None) -> int:
    """`course import-crm`: import an export, print the per-rep funnel or the problem report. Exit 1 on problems."""
    parser = argparse.ArgumentParser(
        prog="course import-crm",
        description="Check a CRM opportunity export against a mapping file and show each rep's funnel.")
    add_export_arguments(parser, "opportunities")
    parser.add_argument("--out", type=Path, help="write the course-shaped tables as CSV into this folder")
    args = parser.parse_args(argv)
    try:
        data = import_crm(args.opportunities, args.mapping, args.activity, args.reps, args.reps_mapping)
    except CRMImportError as error:
        print(error, file=sys.stderr)
        return 1
    opps = data.opportunities
    print(f"Imported {len(opps):,} opportunities for {len(data.reps):,} reps from {args.opportunities.name}"
          + (f" and {len(data.weekly_activity):,} rep-weeks of activity" if data.weekly_activity is not None else "")
          + ".")
    for note in data.notes + data.kpi_notes():
        print(f"Note: {note}")
    kpis = data.kpis()
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
