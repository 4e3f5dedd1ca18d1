"""Self-paced mode: each module's status on the start page comes from the learner's own files,
and Validate names the graded questions that are unanswered or not passing their self-checks."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from course import progress
from course.answers import AnswerStore
from course.nbgrader_tools import nbgrader_env
from course.paths import GRADING, MODULES
from course.selfpaced import start_page
from course.validate import CourseValidator, course_config
from notebooks import cell_by_grade_id, read
from wrong_answers import WRONG_ANSWERS

MODULE = "00-orientation"
KEY = json.loads((GRADING / "answer_key" / "widgets" / f"{MODULE}.json").read_text())
WRONG_WIDGET = next(case.widget for case in WRONG_ANSWERS[MODULE] if case.widget)


def _notebook(folder: Path, check_output: str | None = None, ran: bool = False) -> Path:
    """A learner's saved copy of module 00: the q1 check cell shows `check_output` (None: never run)."""
    nb = {"cells": [
        {"cell_type": "markdown", "id": "t", "metadata": {}, "source": "# Module 00 · Orientation\n\nWelcome."},
        {"cell_type": "code", "id": "c", "metadata": {}, "source": "q1.check()\n# q1.hint()",
         "execution_count": 3 if ran else None,
         "outputs": [] if check_output is None else [{"output_type": "stream", "name": "stdout", "text": check_output}]},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = folder / MODULE / f"{MODULE}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb))
    return path


def _answer(notebook: Path, question: str, value, correct: bool) -> None:
    AnswerStore(notebook.with_name(notebook.stem + ".answers.json"), MODULE).record(question, value, correct=correct)


def test_status_follows_the_learners_files(tmp_path):
    widget, = KEY
    notebook = _notebook(tmp_path)
    assert progress.module_progress(MODULE, notebook).status == progress.NOT_STARTED
    assert set(progress.module_progress(MODULE, notebook).checks) == {"team_size", "how_grading_works"}

    _notebook(tmp_path, "❌ `team_size` = 40: that is every rep in the company.", ran=True)
    mine = progress.module_progress(MODULE, notebook)
    assert (mine.status, mine.checks["team_size"], mine.passing) == (progress.IN_PROGRESS, progress.TRIED, 0)

    _notebook(tmp_path, "✅ Correct: `team_size` = 7.", ran=True)
    _answer(notebook, widget, WRONG_WIDGET[1], correct=False)
    mine = progress.module_progress(MODULE, notebook)
    assert mine.checks == {"team_size": progress.PASSING, "how_grading_works": progress.TRIED}
    assert mine.status == progress.IN_PROGRESS

    _answer(notebook, widget, KEY[widget], correct=True)
    assert progress.module_progress(MODULE, notebook).status == progress.ALL_PASSING


def test_a_damaged_answers_file_or_notebook_reads_as_not_answered(tmp_path):
    notebook = _notebook(tmp_path, "✅ Correct: `team_size` = 7.", ran=True)
    notebook.with_name(f"{MODULE}.answers.json").write_text("{not json")
    assert progress.module_progress(MODULE, notebook).checks["how_grading_works"] == progress.NOT_TRIED
    notebook.write_text("half a notebook {")
    assert progress.module_progress(MODULE, notebook).status == progress.NOT_STARTED


def test_start_page_lists_each_module_with_its_status(tmp_path):
    notebook = _notebook(tmp_path, "✅ Correct: `team_size` = 7.", ran=True)
    (tmp_path / "01-managing-vs-coaching").mkdir()
    shutil.copy(MODULES / "01-managing-vs-coaching" / "01-managing-vs-coaching.ipynb", tmp_path / "01-managing-vs-coaching")
    page = start_page(tmp_path, "/user/x/")
    assert 'href="/user/x/lab/tree/00-orientation/00-orientation.ipynb">Module 00 · Orientation</a>' in page
    assert 'data-module="01-managing-vs-coaching"' in page
    assert page.count('class="status in-progress"') == 1 and page.count('class="status not-started"') == 1
    assert "1 of 2" in page
    assert "How Validate works" in page and "How self-checks work" in page
    _answer(notebook, next(iter(KEY)), KEY[next(iter(KEY))], correct=True)
    assert 'class="status all-passing">all self-checks passing' in start_page(tmp_path)


def test_start_page_escapes_what_the_learner_wrote(tmp_path):
    nb = tmp_path / MODULE / f"{MODULE}.ipynb"
    nb.parent.mkdir()
    nb.write_text(json.dumps({"cells": [{"cell_type": "markdown", "id": "t", "metadata": {},
                                          "source": "# <script>alert(1)</script>"}], "metadata": {},
                              "nbformat": 4, "nbformat_minor": 5}))
    page = start_page(tmp_path)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


# ---------------------------------------------------------------------------------------- Validate
@pytest.fixture(scope="module")
def release(tmp_path_factory, released_course) -> Path:
    return released_course(MODULE, tmp_path_factory.mktemp("course")) / "release" / MODULE


def _learner(release: Path, folder: Path, *, code: bool, widget=None, reflection: bool = False) -> Path:
    """A learner's folder: the release with the model code answer (`code`), a widget answer, a text answer."""
    shutil.copytree(release, folder)
    path = folder / f"{MODULE}.ipynb"
    nb = read(path)
    source = read(MODULES / MODULE / f"{MODULE}.ipynb")
    if code:
        cell_by_grade_id(nb, "team_size_answer").source = cell_by_grade_id(source, "team_size_answer").source
    if reflection:
        cell_by_grade_id(nb, "reflection_coach_you_remember").source = "She asked what I would try next."
    nbformat.write(nb, path)
    if widget:
        _answer(path, *widget, correct=None)
    return path


@pytest.mark.slow
@pytest.mark.xdist_group(MODULE)  # the release of module 00, made once per worker (tests/conftest.py)
def test_validate_names_a_wrong_widget_answer_without_giving_the_right_one(release, tmp_path):
    notebook = _learner(release, tmp_path / MODULE, code=True, widget=WRONG_WIDGET, reflection=True)
    result = subprocess.run([sys.executable, "-m", "course", "validate", str(notebook)], cwd=tmp_path,
                            capture_output=True, text=True, env=nbgrader_env(), timeout=600)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "VALIDATION FAILED ON 1 CELL(S)" in result.stdout
    assert "Self-check: `how_grading_works`: not quite" in result.stdout
    assert "✅ Correct: `team_size`" in result.stdout
    assert "Success!" not in result.stdout
    assert KEY[WRONG_WIDGET[0]] not in result.stdout, "Validate must not show the right option"


@pytest.mark.slow
@pytest.mark.xdist_group(MODULE)
def test_validate_names_unanswered_questions_and_passes_a_complete_notebook(release, tmp_path):
    untouched = CourseValidator(config=course_config()).validate(str(_learner(release, tmp_path / "a", code=False)))
    errors = "\n".join(cell["raw_error"] for cell in untouched["failed"])
    assert "`team_size` is not attempted yet" in errors
    assert "pick an answer in the question above" in errors  # the widget's own public test

    done = _learner(release, tmp_path / "b", code=True, widget=(WRONG_WIDGET[0], KEY[WRONG_WIDGET[0]]), reflection=True)
    validator = CourseValidator(config=course_config())
    assert validator.validate(str(done)) == {}
    assert {check["verdict"] for check in validator.self_checks} == {"correct"}
    assert len(validator.self_checks) == 2


def test_validate_says_where_it_looked_for_a_missing_notebook(tmp_path):
    env = dict(nbgrader_env(), COACHING_LAB_WORKSPACE=str(tmp_path / "workspace"))
    result = subprocess.run([sys.executable, "-m", "course", "validate", f"{MODULE}/{MODULE}.ipynb"],
                            cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 1
    assert f"no notebook {MODULE}/{MODULE}.ipynb in {tmp_path} or in your workspace {tmp_path / 'workspace'}" \
        in result.stderr
