"""A regrade never undoes a trainer's work: an essay graded in formgrader stays graded when the
learner's answer is unchanged, and is only flagged for a new look (score and comment kept) when
the learner handed in a different answer. Real nbgrader, through `course grade autograde`."""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell
from nbgrader.api import Gradebook

from course.grade.autograde import grade_cohort
from course.grade.exports import pending_manual_grades
from course.grade.sandbox import SandboxError, check_bwrap
from course.nbgrader_tools import run_nbgrader

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "submissions"))
import grade_demo as demo  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grade")]
ESSAY = "coaching_essay"


def _source_with_essay(modules: Path) -> None:
    folder = demo.write_source(modules)
    nb = demo.source_notebook()
    nb.cells.append(new_markdown_cell(
        "What did your best manager ask you first?\n\n=== BEGIN MARK SCHEME ===\nNames a question.\n"
        "=== END MARK SCHEME ===",
        metadata={"nbgrader": {"schema_version": 3, "grade_id": ESSAY, "grade": True, "solution": True,
                               "locked": False, "task": False, "points": 2}}))
    nbformat.write(nb, folder / f"{demo.ASSIGNMENT}.ipynb")


def _hand_in(course: Path, essay: str) -> None:
    release = nbformat.read(course / "release" / demo.ASSIGNMENT / f"{demo.ASSIGNMENT}.ipynb", as_version=4)
    folder = course / "submitted" / "ana" / demo.ASSIGNMENT
    demo.write_submission(release, "good", folder)
    nb = nbformat.read(folder / f"{demo.ASSIGNMENT}.ipynb", as_version=4)
    next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == ESSAY).source = essay
    nbformat.write(nb, folder / f"{demo.ASSIGNMENT}.ipynb")


def _grade_in_formgrader(url: str, score: float, comment: str) -> None:
    """What formgrader's grade and comment API do when a trainer saves a score and a comment."""
    with Gradebook(url, "coaching-lab") as gb:
        grade = gb.find_grade(ESSAY, demo.ASSIGNMENT, demo.ASSIGNMENT, "ana")
        grade.manual_score = score
        grade.needs_manual_grade = False
        gb.find_comment(ESSAY, demo.ASSIGNMENT, demo.ASSIGNMENT, "ana").manual_comment = comment
        gb.db.commit()


def _essay(url: str) -> tuple[float | None, bool, str | None]:
    with Gradebook(url, "coaching-lab") as gb:
        grade = gb.find_grade(ESSAY, demo.ASSIGNMENT, demo.ASSIGNMENT, "ana")
        comment = gb.find_comment(ESSAY, demo.ASSIGNMENT, demo.ASSIGNMENT, "ana")
        return grade.manual_score, grade.needs_manual_grade, comment.manual_comment


def test_a_regrade_keeps_the_trainers_grade_and_flags_only_a_changed_answer(tmp_path):
    try:
        check_bwrap()
    except SandboxError as error:
        pytest.skip(f"no usable bubblewrap: {error}")
    course = tmp_path / "course"
    url = f"sqlite:///{course / 'gradebook.db'}"
    _source_with_essay(course / "modules")
    run_nbgrader("generate_assignment", demo.ASSIGNMENT, "--force", root=course, db_url=url)
    _hand_in(course, "She asked what I thought went well.")

    def autograde() -> None:
        outcomes = grade_cohort(course, [demo.ASSIGNMENT], db_url=url, workers=1, force=True, progress=False)
        assert [o.status for o in outcomes] == ["graded"], outcomes

    autograde()
    assert pending_manual_grades(url) == {demo.ASSIGNMENT: {"ana": [ESSAY]}}
    _grade_in_formgrader(url, 2, "Good: a question, not advice.")
    assert pending_manual_grades(url) == {}

    autograde()  # the same answer regraded (--force, a new grader version, a new widget record)
    assert _essay(url) == (2, False, "Good: a question, not advice.")
    assert pending_manual_grades(url) == {}

    _hand_in(course, "She told me to call more prospects.")  # a different answer: a trainer looks again
    autograde()
    assert _essay(url) == (2, True, "Good: a question, not advice.")
    assert pending_manual_grades(url) == {demo.ASSIGNMENT: {"ana": [ESSAY]}}
