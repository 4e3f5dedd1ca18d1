"""Errors a sales manager can read: one plain-English line under the traceback.

`course.setup()` calls `install()` in the learner's kernel. From then on, when a cell fails
with a common mistake (two conditions joined with `&` without parentheses, a misspelled
column, a name from a cell that was not run, ...) the usual traceback is kept and one line
under it names the cause and the fix. A failing graded test cell shows its one-line message
instead of a wall of red.

Nothing here runs while nbgrader executes a notebook (it sets NBGRADER_EXECUTION in the
kernel's environment for `autograde` and `validate`), so grading output is unchanged.

The kernel also remembers, for each variable, whether the last cell that assigned it
stopped with an error: `failed_assignment(name)` is how `q1.check()` says "the cell above
stopped with …" rather than "not attempted".
"""
from __future__ import annotations

import ast
import builtins
import difflib
import linecache
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

PREFIX = "In plain words: "
RUN_ABOVE = "Run the cells above, top to bottom (Run ▸ Run All Above Selected Cell), then this one again."

_last_error: dict[str, BaseException | None] = {}  # variable -> how the last cell assigning it ended


# --------------------------------------------------------------------------- installing
def grading() -> bool:
    """True while nbgrader autogrades or validates the notebook running in this process."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def install(shell: Any = None) -> bool:
    """Add the plain-words line to this IPython kernel's errors; False when there is nothing to do."""
    if grading():
        return False
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # plain Python, no notebook
            return False
        shell = get_ipython()
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    shell.set_custom_exc((Exception,), _show_error)
    for event, callback in (("pre_run_cell", _cell_starts), ("post_run_cell", _cell_ended)):
        if callback not in shell.events.callbacks.get(event, []):
            shell.events.register(event, callback)
    return True


def _show_error(shell, etype, value, tb, tb_offset=None):
    """IPython's custom exception handler: the usual traceback plus one plain line."""
    sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb
    sys.last_exc = value
    try:
        source = _cell_source(shell, tb)
        if _is_test_cell(source):
            stb = _test_cell_report(value, source, shell)
        else:
            stb = _traceback(shell, etype, value, tb, tb_offset)
            advice = explain(value, tb, source, shell.user_ns)
            if advice:
                stb = [*stb, f"\n\x1b[1;34m{PREFIX}\x1b[0m\x1b[34m{advice}\x1b[0m"]
    except Exception:  # never let our help hide the learner's error
        stb = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
    shell._showtraceback(etype, value, stb)
    return stb


def _traceback(shell, etype, value, tb, tb_offset) -> list[str]:
    if issubclass(etype, SyntaxError):
        return shell.SyntaxTB.structured_traceback(etype, value, tb)
    return shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)


def _cell_source(shell, tb: TracebackType | None) -> str:
    """The source of the cell that failed: its frame's lines, else the last input."""
    while tb is not None:
        if tb.tb_frame.f_globals is shell.user_ns:
            lines = linecache.getlines(tb.tb_frame.f_code.co_filename)
            if lines:
                return "".join(lines)
        tb = tb.tb_next
    history = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None) or [""]
    return history[-1]


# --------------------------------------------------------------------------- graded test cells
_DOCSTRING = re.compile(r'^\s*(?:"""|\'\'\')(?P<text>[^\n]*?)(?:"""|\'\'\')\s*$', re.M)


def _is_test_cell(source: str) -> bool:
    """A graded test cell: one in this folder's notebook marked so by nbgrader, or a cell that
    opens with a one-line docstring and asserts (the shape every test cell of the course has)."""
    if source.strip() in _test_cells_here():
        return True
    first = source.lstrip().split("\n", 1)[0]
    return bool(_DOCSTRING.match(first)) and re.search(r"^\s*assert\b", source, re.M) is not None


_test_cache: dict[Path, tuple[float, frozenset[str]]] = {}


def _test_cells_here() -> frozenset[str]:
    """Sources of the autograded test cells of the notebooks in the working folder."""
    found: set[str] = set()
    for path in Path.cwd().glob("*.ipynb"):
        try:
            stamp = path.stat().st_mtime
            if _test_cache.get(path, (None,))[0] != stamp:
                import json  # plain JSON: nbformat's schema validation takes seconds on a module

                cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
                tests = frozenset(
                    "".join(cell.get("source", "")).strip() for cell in cells
                    if cell.get("metadata", {}).get("nbgrader", {}).get("grade")
                    and not cell.get("metadata", {}).get("nbgrader", {}).get("solution")
                )
                _test_cache[path] = (stamp, tests)
            found |= _test_cache[path][1]
        except Exception:  # an unreadable or half-saved notebook: fall back on the cell's shape
            continue
    return frozenset(found)


def _test_cell_report(value: BaseException, source: str, shell) -> list[str]:
    """One short message for a failing test cell: what it checks, why it failed, what to do."""
    match = _DOCSTRING.match(source.lstrip().split("\n", 1)[0])
    checks = match.group("text").strip() if match else "this graded test"
    if isinstance(value, AssertionError):
        why = str(value).strip() or "your answer does not pass this test yet"
        line = f"❌ Not yet: {why}. (This test checks: {checks})"
        tail = "Fix your answer in the cell above, run it, run its self-check, then run this test again."
    else:
        advice = explain(value, value.__traceback__, source, shell.user_ns)
        line = f"❌ This test could not run: {type(value).__name__}: {value}"
        tail = advice or RUN_ABOVE
    return [f"\x1b[1;31m{line}\x1b[0m", f"\x1b[34m{PREFIX}{tail}\x1b[0m"]


# --------------------------------------------------------------------------- the explanations
Rule = Callable[[BaseException, list, str, dict], "str | None"]
RULES: list[Rule] = []


def rule(function: Rule) -> Rule:
    RULES.append(function)
    return function


def explain(value: BaseException, tb: TracebackType | None, source: str = "", names: dict | None = None) -> str | None:
    """The plain-words line for an error, or None when it is not a mistake we know."""
    frames = _frame_locals(tb)
    for check in RULES:
        try:
            advice = check(value, frames, source, names or {})
        except Exception:
            advice = None
        if advice:
            return advice
    return None


def _frame_locals(tb: TracebackType | None) -> list[dict]:
    found = []
    while tb is not None:
        found.append(tb.tb_frame.f_locals)
        tb = tb.tb_next
    return found


_UNPARENTHESISED = re.compile(r"(==|!=|<=|>=|<|>)[^()&|\n]*[&|]|[&|][^()&|\n]*(==|!=|<=|>=|<|>)")


@rule
def _and_without_parentheses(value, frames, source, names):
    text = str(value)
    operator_error = isinstance(value, TypeError) and (
        re.search(r"Cannot perform '(r?and_|r?or_|rand_|ror_)'", text)
        or re.search(r"unsupported operand type\(s\) for [&|]", text)
    )
    chained = isinstance(value, ValueError) and "truth value of a" in text and _UNPARENTHESISED.search(source)
    if operator_error or chained:
        return ("when you join two conditions with & (and) or | (or), put each condition in its own "
                "parentheses: df[(df[\"outcome\"] == \"won\") & (df[\"closed_quarter\"] == Q)]. "
                "Without them Python does the & first.")
    return None


@rule
def _truth_value_ambiguous(value, frames, source, names):
    if not (isinstance(value, ValueError) and "truth value of a" in str(value) and "ambiguous" in str(value)):
        return None
    if re.search(r"\b(and|or|not)\b", source):
        return ("`and`, `or` and `not` work on one True/False, but a column holds one per row. Use & for and, "
                "| for or, ~ for not, with each condition in parentheses: (a == 1) & (b == 2).")
    return ("`if` needs one True or False, but a comparison on a column gives one per row. To filter rows, use "
            "df[condition]; to ask \"any row?\" or \"every row?\", use (condition).any() or (condition).all().")


def _tables(frames: list[dict]):
    import pandas as pd

    for scope in frames:
        for name in ("self", "obj", "frame"):
            candidate = scope.get(name)
            if isinstance(candidate, pd.DataFrame):
                yield candidate
            elif hasattr(candidate, "obj") and isinstance(getattr(candidate, "obj", None), pd.DataFrame):
                yield candidate.obj


def _close(word: str, choices, n: int = 3) -> list[str]:
    choices = [str(c) for c in choices]
    lowered = {c.lower(): c for c in choices}
    if word.lower() in lowered:
        return [lowered[word.lower()]]
    return difflib.get_close_matches(word, choices, n=n, cutoff=0.6)


def _missing_keys(value: KeyError) -> list[str]:
    key = value.args[0] if value.args else ""
    if isinstance(key, str):
        listed = re.match(r"^\"?(\[.*\]) not in index\"?$", key)
        if listed:
            try:
                return [str(k) for k in ast.literal_eval(listed.group(1))]
            except (ValueError, SyntaxError):
                return []
        found = re.match(r"^Column not found: (.*)$", key)
        return [found.group(1) if found else key]
    return [key] if isinstance(key, (int, float)) else []


@rule
def _several_columns_without_a_list(value, frames, source, names):
    if isinstance(value, KeyError) and value.args and isinstance(value.args[0], tuple) and any(True for _ in _tables(frames)):
        columns = ", ".join(repr(c) for c in value.args[0])
        return f"to pick several columns, put their names in a list, inside the brackets: df[[{columns}]]."
    return None


@rule
def _misspelled_column(value, frames, source, names):
    if not isinstance(value, KeyError):
        return None
    tables = list(_tables(frames))
    if not tables:
        return None
    columns = list(dict.fromkeys(str(c) for c in tables[0].columns))
    for key in _missing_keys(value):
        if not isinstance(key, str) or key in columns:
            continue
        close = _close(key, columns)
        if close:
            return (f"this table has no column \"{key}\". Did you mean \"{close[0]}\"? "
                    "Column names must match exactly, capitals and underscores included.")
        shown = ", ".join(f'"{c}"' for c in columns[:15]) + (", …" if len(columns) > 15 else "")
        return f"this table has no column \"{key}\". Its columns are: {shown}."
    return None


@rule
def _missing_row_label(value, frames, source, names):
    if isinstance(value, KeyError) and ".loc[" in source and value.args:
        return (f"no row is labeled {value.args[0]!r}. .loc[...] looks rows up by their label (the bold "
                "index on the left when you show the table); .iloc[...] counts positions from 0.")
    return None


@rule
def _missing_dict_key(value, frames, source, names):
    if not isinstance(value, KeyError) or not value.args:
        return None
    used = [names.get(name) for name in re.findall(r"\b([A-Za-z_]\w*)\s*\[", source)]
    for mapping in [scope.get("self") for scope in frames] + used:
        if isinstance(mapping, dict):
            close = _close(str(value.args[0]), mapping)
            if close:
                return f"there is no key {value.args[0]!r}. Did you mean {close[0]!r}? Keys must match exactly."
    return None


@rule
def _name_not_defined(value, frames, source, names):
    if not isinstance(value, NameError) or not getattr(value, "name", None):
        return None
    name = value.name
    known = [n for n in names if not n.startswith("_")] + dir(builtins)
    close = [n for n in _close(name, known) if n != name]
    if close:
        return (f"Python knows no `{name}`. Did you mean `{close[0]}`? Names must match exactly, capitals "
                f"included. If `{name}` is made in a cell above, that cell has not run yet: {RUN_ABOVE}")
    return f"`{name}` is made in a cell that has not run yet (in this session). {RUN_ABOVE}"


@rule
def _missing_attribute(value, frames, source, names):
    if not isinstance(value, AttributeError) or getattr(value, "name", None) is None:
        return None
    target, name = getattr(value, "obj", None), value.name
    if target is None and "'NoneType'" in str(value):
        return (f"you asked for `.{name}` of None (nothing). The variable holds None, usually because it was "
                "set from something that only prints or changes a table in place (print(...), inplace=True). "
                "Keep the result instead: df = df.sort_values(...).")
    import pandas as pd

    choices = [a for a in dir(target) if not a.startswith("_")]
    if isinstance(target, pd.DataFrame):
        columns = [str(c) for c in target.columns]
        close = _close(name, columns + choices)
        if close and close[0] in columns:
            return f"this table has no `.{name}`. Did you mean the column \"{close[0]}\"? Write df[\"{close[0]}\"]."
    else:
        close = _close(name, choices)
    kind = "a table" if isinstance(target, pd.DataFrame) else "a column" if isinstance(target, pd.Series) else type(target).__name__
    if close:
        return f"{kind} has no `.{name}`. Did you mean `.{close[0]}`? Names must match exactly."
    return f"{kind} has no `.{name}`. Check the spelling against the example cells above."


_TEXT_VS_NUMBER = re.compile(
    r"not supported between instances of '(str|int|float)' and '(str|int|float)'"
    r"|Invalid comparison between dtype=\S+ and (str|int|float)"
    r"|can only concatenate str \(not \"(int|float)\"\) to str"
    r"|unsupported operand type\(s\) for [-+*/]: '(str|int|float)' and '(str|int|float)'"
)


@rule
def _text_with_number(value, frames, source, names):
    if isinstance(value, TypeError) and _TEXT_VS_NUMBER.search(str(value)) and "str" in str(value):
        return ("you compared or combined text with a number. Text goes in quotes (\"2024-Q3\"), numbers do "
                "not (5000); `df.dtypes` shows which columns hold numbers (int64, float64) and which hold text (object).")
    return None


@rule
def _round_brackets_on_a_table(value, frames, source, names):
    found = isinstance(value, TypeError) and re.search(r"'(DataFrame|Series)' object is not callable", str(value))
    if found:
        return ("round brackets after a table or column call it like a function. To pick a column or rows, use "
                "square brackets: df[\"amount\"], df[df[\"outcome\"] == \"won\"].")
    shadowed = isinstance(value, TypeError) and re.search(r"'(\w+)' object is not callable", str(value))
    if shadowed:
        hidden = [n for n in ("sum", "len", "max", "min", "round", "list", "dict", "str", "int", "float", "print", "sorted")
                  if n in names and not callable(names[n])]
        if hidden:
            return (f"a variable is named `{hidden[0]}`, which hides Python's own {hidden[0]}(). "
                    f"Rename it (for example `total_{hidden[0]}`), then restart the kernel and run all cells.")
    return None


@rule
def _no_rows_left(value, frames, source, names):
    if isinstance(value, IndexError) and "out-of-bounds" in str(value):
        return ("there is no row at that position: the table has fewer rows than you asked for, often none "
                "because a filter kept nothing. Show the table before .iloc[...] to see what is left.")
    if isinstance(value, ZeroDivisionError):
        return ("you divided by zero: the number you divide by is 0, often because a filter kept no rows. "
                "Show each part on its own to see which one.")
    return None


@rule
def _syntax(value, frames, source, names):
    if not isinstance(value, SyntaxError):
        return None
    text = (value.msg or "").lower()
    if "invalid syntax. maybe you meant '==' or ':=' instead of '='" in text or "cannot assign to" in text and "==" not in (value.text or ""):
        return "to compare, use two equals signs: df[\"outcome\"] == \"won\". One = stores a value in a name."
    if "was never closed" in text or "unexpected eof" in text or "incomplete input" in text:
        return "a bracket or quote is opened and not closed: count the ( [ { and \" on the line Python points to."
    if "unmatched" in text or "does not match" in text:
        return "a closing bracket has no opening partner: check the ( ) [ ] { } on the line Python points to."
    if isinstance(value, IndentationError):
        return "a line starts with spaces Python did not expect: line up each line with the one above it."
    return "Python cannot read this line: look just before the ^ for a missing comma, quote, bracket or colon."


# --------------------------------------------------------------------------- cells that stopped
def _assigned_names(source: str) -> set[str]:
    """Names a cell assigns at its top level (by regex when the cell does not parse)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(re.findall(r"^\s*([A-Za-z_]\w*)\s*(?:[-+*/]?=)(?!=)", source, re.M))
    names = set()
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    return names


def _cell_starts(info) -> None:
    """pre_run_cell: a cell that assigns a name is the latest word on it, even before it ends."""
    for name in _assigned_names(info.raw_cell or ""):
        _last_error[name] = None


def _cell_ended(result) -> None:
    """post_run_cell: for each name the cell assigns, whether this run of it stopped with an error."""
    error = result.error_before_exec or result.error_in_exec
    for name in _assigned_names(result.info.raw_cell or ""):
        _last_error[name] = error


def failed_assignment(variable: str) -> BaseException | None:
    """The error the last cell that assigns `variable` stopped with, if it did."""
    return _last_error.get(variable)
