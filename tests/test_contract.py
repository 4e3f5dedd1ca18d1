"""The grading contract every module keeps, checked with real nbgrader.

For each module: the source runs clean, the release leaks nothing, the solutions get full
autograded marks, the untouched release gets none, and each plausible wrong answer
(tests/wrong_answers.py) loses exactly the points of the question it gets wrong.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from course.nbgrader_tools import autograded_scores, run_nbgrader
from course.paths import MODULES, module_names
from notebooks import (
    HIDDEN_REGION, SOLUTION_REGION, autograded_points, cell_by_grade_id, execute, nbgrader_meta,
    problems_in_outputs, read, text_outputs,
)
from wrong_answers import WRONG_ANSWERS

# Each module's tests share one nbgrader run, so they stay on one pytest-xdist worker.
ALL_MODULES = [pytest.param(m, marks=pytest.mark.xdist_group(m)) for m in module_names()]
SOLUTION, UNTOUCHED = "solution", "untouched"


@dataclass
class GradedModule:
    name: str
    root: Path
    source: nbformat.NotebookNode
    release_dir: Path
    points: dict[str, float]
    scores: dict[str, dict[str, tuple[float, float]]]


def _submit(course: Path, student: str, module: str, release_dir: Path, nb) -> None:
    """Place a submission as nbgrader's collect would: submitted/<student>/<module>/."""
    folder = course / "submitted" / student / module
    shutil.copytree(release_dir, folder)
    nbformat.write(nb, folder / f"{module}.ipynb")


def _wrong_notebook(source, case) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(source)
    cell_by_grade_id(nb, case.answer_cell).source = case.code
    return nb


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """Each module released and autograded once (solution, untouched release, wrong answers)."""
    cache: dict[str, GradedModule] = {}

    def grade(module: str) -> GradedModule:
        if module in cache:
            return cache[module]
        root = tmp_path_factory.mktemp(f"course-{module}")
        shutil.copytree(MODULES / module, root / "modules" / module,
                        ignore=shutil.ignore_patterns("*.answers.json", ".ipynb_checkpoints"))
        db_url = f"sqlite:///{root / 'gradebook.db'}"
        run_nbgrader("generate_assignment", module, "--force", root=root, db_url=db_url)
        release_dir = root / "release" / module
        source = read(MODULES / module / f"{module}.ipynb")
        _submit(root, SOLUTION, module, release_dir, source)
        _submit(root, UNTOUCHED, module, release_dir, read(release_dir / f"{module}.ipynb"))
        for index, case in enumerate(WRONG_ANSWERS.get(module, [])):
            _submit(root, f"wrong{index}", module, release_dir, _wrong_notebook(source, case))
        run_nbgrader("autograde", module, "--force", root=root, db_url=db_url)
        cache[module] = GradedModule(module, root, source, release_dir, autograded_points(source),
                                     autograded_scores(db_url, module))
        return cache[module]

    return grade


@pytest.mark.parametrize("module", ALL_MODULES)
def test_source_notebook_is_stored_without_outputs(module):
    nb = read(MODULES / module / f"{module}.ipynb")
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"{module}: clear the outputs of cells {dirty} before committing"


@pytest.mark.slow
@pytest.mark.parametrize("module", ALL_MODULES)
def test_source_runs_clean_and_every_self_check_passes(module, tmp_path, record_property):
    shutil.copytree(MODULES / module, tmp_path / module, ignore=shutil.ignore_patterns("*.answers.json"))
    nb = read(tmp_path / module / f"{module}.ipynb")
    nb.cells.append(nbformat.v4.new_code_cell(
        "from course.checks import unsolved\nassert not unsolved(), f'self-checks not passed: {unsolved()}'"
    ))
    seconds = execute(nb, tmp_path / module)
    record_property("execute_seconds", round(seconds, 1))
    print(f"{module}: source notebook executed in {seconds:.1f} s")
    assert problems_in_outputs(nb) == []


@pytest.mark.slow
@pytest.mark.parametrize("module", ALL_MODULES)
def test_release_holds_no_solution_and_no_hidden_test(module, graded):
    course = graded(module)
    release = read(course.release_dir / f"{module}.ipynb")
    text = "\n".join(cell.source for cell in release.cells)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text
    secret_lines = {
        line.strip()
        for cell in course.source.cells
        for region in (SOLUTION_REGION, HIDDEN_REGION)
        for block in region.findall(cell.source)
        for line in block.splitlines()
        if len(line.strip()) > 12
    }
    leaked = sorted(line for line in secret_lines if line in text)
    assert not leaked, f"{module}: solution or hidden-test lines in the release: {leaked}"
    assert not list(course.release_dir.rglob("*.answers.json"))


@pytest.mark.slow
@pytest.mark.parametrize("module", ALL_MODULES)
def test_untouched_release_runs_and_says_not_attempted(module, graded):
    """A learner can Run All on the release: only test cells fail, and self-checks say so kindly."""
    course = graded(module)
    nb = read(course.release_dir / f"{module}.ipynb")
    execute(nb, course.release_dir, allow_errors=True)
    is_test = lambda cell: nbgrader_meta(cell).get("grade") and not nbgrader_meta(cell).get("solution")
    assert problems_in_outputs(nb, skip=is_test) == []
    checks = [c for c in nb.cells if c.cell_type == "code" and ".check()" in c.source]
    assert checks, f"{module} has no self-check"
    for cell in checks:
        assert "not attempted yet" in text_outputs(cell), cell.source


@pytest.mark.slow
@pytest.mark.parametrize("module", ALL_MODULES)
def test_solution_gets_full_autograded_marks(module, graded):
    course = graded(module)
    scores = course.scores[SOLUTION]
    assert set(scores) == set(course.points) and course.points
    assert {cell: score for cell, (score, _) in scores.items()} == course.points


@pytest.mark.slow
@pytest.mark.parametrize("module", ALL_MODULES)
def test_untouched_release_gets_no_autograded_marks(module, graded):
    course = graded(module)
    scores = course.scores[UNTOUCHED]
    assert set(scores) == set(course.points)
    assert sum(score for score, _ in scores.values()) == 0


@pytest.mark.slow
@pytest.mark.parametrize("module", ALL_MODULES)
def test_each_wrong_answer_loses_exactly_its_questions_points(module, graded):
    cases = WRONG_ANSWERS.get(module, [])
    assert cases, f"write at least one plausible wrong answer for {module} in tests/wrong_answers.py"
    course = graded(module)
    for index, case in enumerate(cases):
        scores = {cell: score for cell, (score, _) in course.scores[f"wrong{index}"].items()}
        expected = {cell: 0.0 if cell in case.loses else points for cell, points in course.points.items()}
        assert scores == expected, f"{module}: wrong answer to {case.answer_cell!r}"
