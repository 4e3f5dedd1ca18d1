"""Nothing required before it is shown: every construct a solution needs appears first in code
the learner is given, in this module or an earlier one (course order), or in a template above it.

`.venv/bin/python tests/construct_order.py` prints the whole table.
"""
from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from construct_order import construct_table, constructs, markdown_table
from course.paths import MODULES


def test_every_construct_a_solution_needs_is_shown_first():
    late = [row for row in construct_table(MODULES) if not row.in_order]
    assert not late, "solutions need constructs no earlier given cell shows:\n" + markdown_table(late)


@pytest.mark.parametrize("code, expected", [
    ('won = opps[(opps["outcome"] == "won") & (opps["amount"] > 0)]', {"& (both conditions)", "table[condition]", "=="}),
    ('team.loc[team["hire_date"].idxmax(), "name"]', {".loc", ".idxmax()", "[rows, columns]"}),
    ("labels = {name: 'x' for name in names}", {"dict comprehension"}),
    ("for k, v in d.items():\n    if v:\n        x = 1\n    elif w:\n        x = 2", {"for loop", "if/elif/else", ".items()"}),
    ('t.assign(rate=r).sort_values("rate", ascending=False)', {".assign(new_column=...)", ".sort_values()", "ascending="}),
    ('s.between(*PERIOD)', {".between()", "*unpacking"}),
    ('f"{x:.0%}"', {"f-string"}),
])
def test_constructs_are_read_from_code(code, expected):
    assert expected <= constructs(code)


def _module(root, name, *cells):
    (root / name).mkdir(parents=True)
    nbformat.write(new_notebook(cells=list(cells)), root / name / f"{name}.ipynb")


def _solution(code):
    cell = new_code_cell(code)
    cell.metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": "x", "locked": False}
    return cell


def test_a_construct_shown_only_later_is_flagged(tmp_path):
    _module(tmp_path, "00-first", _solution('x = ...\n### BEGIN SOLUTION\nx = t[(t["a"] == 1) & (t["b"] == 2)]\n### END SOLUTION'))
    _module(tmp_path, "01-second", new_code_cell('y = t[(t["a"] == 1) & (t["b"] == 2)]'))
    rows = {row.construct: row for row in construct_table(tmp_path)}
    late = rows["& (both conditions)"]
    assert not late.in_order and str(late.first_shown) == "M01 c0" and str(late.first_required) == "M00 c0"


def test_a_template_above_the_solution_shows_the_construct(tmp_path):
    _module(tmp_path, "00-first", new_code_cell("import course"), _solution(
        'won = t[t["outcome"] == ___]\n### BEGIN SOLUTION\nwon = t[t["outcome"] == "won"]\n### END SOLUTION'))
    assert all(row.in_order for row in construct_table(tmp_path))


def test_graded_test_cells_and_solutions_do_not_count_as_shown(tmp_path):
    test_cell = new_code_cell('assert x.idxmax() == 1')
    test_cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "t", "points": 1}
    _module(tmp_path, "00-first", test_cell, _solution("x = ...\n### BEGIN SOLUTION\nx = s.idxmax()\n### END SOLUTION"),
            _solution("y = ...\n### BEGIN SOLUTION\ny = s.idxmax()\n### END SOLUTION"))
    row = next(row for row in construct_table(tmp_path) if row.construct == ".idxmax()")
    assert row.first_shown is None and not row.in_order
