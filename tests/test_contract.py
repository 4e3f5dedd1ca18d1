"""The grading contract every module keeps, checked with real nbgrader.

For each module: the source runs clean, the release leaks nothing, the solutions get full
autograded marks, the untouched release gets none, and each plausible wrong answer
(tests/wrong_answers.py) loses exactly the points of the question it gets wrong.
Widget answers come from the instructor's key (grading/answer_key/widgets/<module>.json),
written to the answers file a learner hands in with the notebook.
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from course.answers import AnswerStore
from course.nbgrader_tools import autograded_scores, run_nbgrader
from course.paths import GRADING, MODULES, module_names
from notebooks import (
    HIDDEN_REGION, SOLUTION_REGION, autograded_points, cell_by_grade_id, execute, nbgrader_meta,
    problems_in_outputs, read, text_outputs,
)
from wrong_answers import WRONG_ANSWERS

# Each module's tests share one nbgrader run, so they stay on one pytest-xdist worker.
ALL_MODULES = [pytest.param(m, marks=pytest.mark.xdist_group(m)) for m in module_names()]
SOLUTION, UNTOUCHED = "solution", "untouched"
WIDGET_KEY = {  # module -> {question id: right answer}, the instructor's key for widget exercises
    path.stem: json.loads(path.read_text()) for path in (GRADING / "answer_key" / "widgets").glob("*.json")
}


def _answer_widgets(folder: Path, module: str, answers: dict) -> None:
    """Give widget answers as a learner's clicks would: recorded in <module>.answers.json."""
    store = AnswerStore(folder / f"{module}.answers.json", module)
    for question_id, answer in answers.items():
        store.record(question_id, answer)


@dataclass
class GradedModule:
    name: str
    root: Path
    source: nbformat.NotebookNode
    release_dir: Path
    points: dict[str, float]
    scores: dict[str, dict[str, float]]  # student -> autograded test cell -> score


def _submit(course: Path, student: str, module: str, release_dir: Path, nb, widgets: dict) -> None:
    """Place a submission as nbgrader's collect would: submitted/<student>/<module>/."""
    folder = course / "submitted" / student / module
    shutil.copytree(release_dir, folder)
    nbformat.write(nb, folder / f"{module}.ipynb")
    _answer_widgets(folder, module, widgets)


def _wrong_submission(source, module: str, case) -> tuple[nbformat.NotebookNode, dict]:
    nb = nbformat.from_dict(source)
    widgets = dict(WIDGET_KEY.get(module, {}))
    if case.answer_cell:
        cell_by_grade_id(nb, case.answer_cell).source = case.code
    if case.widget:
        question_id, answer = case.widget
        widgets[question_id] = answer
    return nb, widgets


@pytest.fixture(scope="session")
def graded(tmp_path_factory, released_course):
    """Each module released (the run shared with tests/test_widget_secrets.py) and autograded once
    (solution, untouched release, wrong answers)."""
    cache: dict[str, GradedModule] = {}

    def grade(module: str) -> GradedModule:
        if module in cache:
            return cache[module]
        root = released_course(module, tmp_path_factory.mktemp(f"course-{module}"))
        db_url = f"sqlite:///{root / 'gradebook.db'}"
        release_dir = root / "release" / module
        source = read(MODULES / module / f"{module}.ipynb")
        _submit(root, SOLUTION, module, release_dir, source, WIDGET_KEY.get(module, {}))
        _submit(root, UNTOUCHED, module, release_dir, read(release_dir / f"{module}.ipynb"), {})
        for index, case in enumerate(WRONG_ANSWERS.get(module, [])):
            _submit(root, f"wrong{index}", module, release_dir, *_wrong_submission(source, module, case))
        run_nbgrader("autograde", module, "--force", root=root, db_url=db_url)
        points = autograded_points(source)
        scores = {
            student: {cell: score for cell, (score, _) in cells.items() if cell in points}
            for student, cells in autograded_scores(db_url, module).items()
        }
        cache[module] = GradedModule(module, root, source, release_dir, points, scores)
        return cache[module]

    return grade


@pytest.mark.parametrize("module", ALL_MODULES)
def test_source_notebook_is_stored_without_outputs(module):
    nb = read(MODULES / module / f"{module}.ipynb")
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"{module}: clear the outputs of cells {dirty} before committing"


@pytest.mark.slow
@pytest.mark.parametrize("module", ALL_MODULES)
def test_source_runs_clean_and_every_self_check_passes(module, source_run, record_property):
    """The source, widget answers given, runs without an error or stderr, its last cell asserting
    every self-check passed (one run shared with tests/test_verdicts.py, see tests/source_runs.py)."""
    run = source_run(module)
    record_property("execute_seconds", round(run.seconds, 1))
    print(f"{module}: source notebook executed in {run.seconds:.1f} s")
    assert problems_in_outputs(run.nb) == []


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
    assert not list(course.release_dir.glob("*.answers.json")), "running the release answered nothing"


@pytest.mark.slow
@pytest.mark.parametrize("module", ALL_MODULES)
def test_solution_gets_full_autograded_marks(module, graded):
    course = graded(module)
    assert course.points, f"{module} has no autograded test cell"
    assert course.scores[SOLUTION] == course.points


@pytest.mark.slow
@pytest.mark.parametrize("module", ALL_MODULES)
def test_untouched_release_gets_no_autograded_marks(module, graded):
    course = graded(module)
    assert course.scores[UNTOUCHED] == {cell: 0.0 for cell in course.points}


@pytest.mark.slow
@pytest.mark.parametrize("module", ALL_MODULES)
def test_each_wrong_answer_loses_exactly_its_questions_points(module, graded):
    cases = WRONG_ANSWERS.get(module, [])
    assert cases, f"write at least one plausible wrong answer for {module} in tests/wrong_answers.py"
    course = graded(module)
    for index, case in enumerate(cases):
        scores = course.scores[f"wrong{index}"]
        expected = {cell: 0.0 if cell in case.loses else points for cell, points in course.points.items()}
        assert scores == expected, f"{module}: wrong answer to {case.answer_cell or case.widget[0]!r}"
