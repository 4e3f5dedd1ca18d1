"""Which pandas/Python constructs each module *shows* and each solution *requires*, in course order.

A construct is shown by code the learner is given: a code cell of the release, outside
`### BEGIN/END SOLUTION` (a scaffold above a solution counts, so a cell can show and then ask).
Graded test cells do not count: an assert is not a worked example. A construct is required
by the code between `### BEGIN SOLUTION` and `### END SOLUTION`.

Constructs, read with `ast`: calls (`.sum()`, `int()`), attributes (`.loc`), keyword arguments
(`ascending=`), operators (`==`, `&` between conditions, `~`), slicing, and statement kinds
(`for`, `if/elif`, comprehensions, dict literals, `lambda`, f-strings, `def`).

    .venv/bin/python tests/construct_order.py          # the table: construct | first shown | first required
    .venv/bin/python tests/construct_order.py --late   # only the rows required before shown
    .venv/bin/python tests/construct_order.py .to_dict() ".pivot_table()"   # only these constructs
"""
from __future__ import annotations

import ast
import re
import sys
from dataclasses import astuple, dataclass
from pathlib import Path

import nbformat

SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION\n.*?### END SOLUTION\n?", re.S)
_SOLUTION_BODY = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
_OPERATORS = {
    ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
    ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not",
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
    ast.Pow: "**", ast.BitAnd: "& (both conditions)", ast.BitOr: "| (either condition)", ast.Invert: "~ (not)", ast.Not: "not", ast.USub: "-x",
    ast.And: "and", ast.Or: "or",
}
_NEW_COLUMNS = {"assign", "agg"}  # their keywords name new columns: the construct is the call itself
_STATEMENTS = {
    ast.For: "for loop", ast.While: "while loop", ast.FunctionDef: "def", ast.Lambda: "lambda",
    ast.ListComp: "list comprehension", ast.DictComp: "dict comprehension",
    ast.SetComp: "set comprehension", ast.GeneratorExp: "generator expression",
    ast.Dict: "dict literal {k: v}", ast.List: "list literal [a, b]", ast.JoinedStr: "f-string",
    ast.AugAssign: "augmented assignment (+=)", ast.IfExp: "x if c else y", ast.Try: "try/except",
    ast.With: "with", ast.Slice: "slice [a:b]", ast.Starred: "*unpacking",
}


def constructs(code: str) -> set[str]:
    """The constructs `code` uses (IPython magics and shell lines are skipped)."""
    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines())
    tree = ast.parse(code)
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    found: set[str] = set()
    for node in ast.walk(tree):
        kind = type(node)
        if kind in _STATEMENTS:
            found.add(_STATEMENTS[kind])
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute):
                found.add(f".{node.func.attr}()")
            elif isinstance(node.func, ast.Name):
                found.add(f"{node.func.id}()")
            if isinstance(node.func, ast.Attribute) and node.func.attr in _NEW_COLUMNS:
                found.update(f".{node.func.attr}(new_column=...)" for kw in node.keywords if kw.arg)
            else:
                found.update(f"{kw.arg}=" for kw in node.keywords if kw.arg)
            found.update("**kwargs" for kw in node.keywords if kw.arg is None)
        elif isinstance(node, ast.Attribute) and id(node) not in called:
            found.add(f".{node.attr}")
        elif isinstance(node, ast.If):
            found.add("if/elif/else" if node.orelse else "if")
        elif isinstance(node, ast.Compare):
            found.update(_OPERATORS[type(op)] for op in node.ops)
        elif isinstance(node, ast.BinOp):
            found.add(_OPERATORS[type(node.op)])
        elif isinstance(node, (ast.UnaryOp, ast.BoolOp)):
            found.add(_OPERATORS[type(node.op)])
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Tuple):
            found.add("[rows, columns]")
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Compare | ast.BinOp):
            found.add("table[condition]")
    return found


@dataclass(frozen=True)
class Place:
    """A code cell in course order: the module, the cell's index and the part (0 given, 1 solution)."""

    module: str
    cell: int
    part: int = 0

    def __str__(self) -> str:
        number = self.module.split("-", 1)[0]
        return f"M{number} c{self.cell}"


def _is_test(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


def cell_parts(module: str, nb) -> list[tuple[Place, str, str]]:
    """(place, 'shown' | 'required', code) for each code cell of a source notebook, in order."""
    parts = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or _is_test(cell):
            continue
        parts.append((Place(module, index, 0), "shown", SOLUTION_REGION.sub("", cell.source)))
        for body in _SOLUTION_BODY.findall(cell.source):
            parts.append((Place(module, index, 1), "required", body))
    return parts


@dataclass
class Row:
    construct: str
    first_shown: Place | None
    first_required: Place | None

    @property
    def in_order(self) -> bool:
        """Shown no later than required (module folders sort in course order)."""
        return self.first_shown is not None and astuple(self.first_shown) <= astuple(self.first_required)


def construct_table(modules: Path) -> list[Row]:
    """One row per construct some solution requires, with where it is first shown and first required."""
    from course.paths import module_names

    shown: dict[str, Place] = {}
    required: dict[str, Place] = {}
    for module in module_names(modules):
        nb = nbformat.read(modules / module / f"{module}.ipynb", as_version=4)
        for place, role, code in cell_parts(module, nb):
            try:
                used = constructs(code)
            except SyntaxError as error:
                raise SyntaxError(f"{place} ({role} code) does not parse: {error}") from None
            first = shown if role == "shown" else required
            for construct in used:
                first.setdefault(construct, place)
    return sorted(
        (Row(c, shown.get(c), place) for c, place in required.items()),
        key=lambda row: (row.first_required.module, row.first_required.cell, row.construct),
    )


def markdown_table(rows: list[Row]) -> str:
    lines = ["| construct | first shown | first required |", "|---|---|---|"]
    for row in rows:
        flag = "" if row.in_order else "  ← required before shown"
        shown = str(row.first_shown or "never")
        if row.first_shown and astuple(row.first_shown)[:2] == astuple(row.first_required)[:2]:
            shown += " (template)"  # the given line above the solution, in the same cell
        lines.append(f"| `{row.construct}` | {shown} | {row.first_required}{flag} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from course.paths import MODULES

    table = construct_table(MODULES)
    wanted = [arg for arg in sys.argv[1:] if arg != "--late"]
    print(markdown_table([
        row for row in table
        if not ("--late" in sys.argv and row.in_order) and (not wanted or row.construct in wanted)
    ]))
