"""Honest time estimates: each module's intro states the time the README's rule gives its
notebook; every exercise is marked core or stretch with its points; nothing uses a stretch answer."""
from __future__ import annotations

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from course.paths import MODULES
from module_time import STATED, module_time, module_times, stretch_dependents

MODULE_TIMES = module_times(MODULES)
IDS = [time.name for time, _ in MODULE_TIMES]


@pytest.mark.parametrize("time, nb", MODULE_TIMES, ids=IDS)
def test_intro_states_the_time_the_rule_gives(time, nb):
    stated = STATED.search(nb.cells[0].source)
    assert stated, f"{time.name}: the intro should say {time.statement()!r}"
    assert stated.group(0) == time.statement(), f"{time.name}: the rule gives {time.statement()!r}"


@pytest.mark.parametrize("time, nb", MODULE_TIMES, ids=IDS)
def test_every_exercise_is_core_or_stretch_with_its_graded_points(time, nb):
    assert not time.unlabelled, f"{time.name}: say '(core, N points)' or '(stretch, N points)' in {time.unlabelled}"
    assert time.exercises
    for exercise in time.exercises:
        assert exercise.graded_points == exercise.points, f"{time.name}: {exercise.heading} grades {exercise.graded_points}"


@pytest.mark.parametrize("time, nb", MODULE_TIMES, ids=IDS)
def test_nothing_later_uses_a_stretch_answer(time, nb):
    assert stretch_dependents(nb, time) == {}, f"{time.name}: later cells (by index) read a stretch answer"


def _solution(code, grade_id):
    cell = new_code_cell(code)
    cell.metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": grade_id}
    return cell


def _test(points):
    cell = new_code_cell("assert True")
    cell.metadata["nbgrader"] = {"solution": False, "grade": True, "grade_id": f"t{points}", "points": points}
    return cell


def test_the_rule_on_a_small_module():
    written = new_markdown_cell("answer")
    written.metadata["nbgrader"] = {"solution": True, "grade": True, "grade_id": "w", "points": 2}
    nb = new_notebook(cells=[
        new_markdown_cell("# Module\n\nAbout 0 minutes: 0 core, 0 stretch.\n\n## Reading one\n\n### A subsection"),
        new_markdown_cell("## Exercise 1 · Count (core, 3 points)"), _solution("x = 1", "x"), _test(3),
        new_markdown_cell("## Exercise 2 · Click (core, 1 point)"), _test(1),
        new_markdown_cell("## Exercise 3 · Write (core, 2 points, graded by your trainer)"), written,
        new_markdown_cell("## Exercise 4 · Extra (stretch, 1 point)"), _solution("y = x", "y"), _test(1),
        new_markdown_cell("## Takeaways"), new_code_cell("print(y)"),
    ])
    time = module_time("99-small", nb)
    # reading 3 × 4 = 12; code 3 points → 18; widget → 5; written 2 × 5 = 10; stretch code → 10
    assert (time.core, time.stretch) == (45, 10)
    assert time.statement() == "About 55 minutes: 45 core, 10 stretch."
    assert [e.kind for e in time.exercises] == ["code", "widget", "written", "code"]
    assert stretch_dependents(nb, time) == {"y": [12]}
