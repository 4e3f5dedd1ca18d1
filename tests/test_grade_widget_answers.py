"""Widget answers reach formgrader and feedback as text: what the learner chose, as graded.

Module 00 graded for real by `course grade autograde` (sandboxed worker, clean run) and by plain
`nbgrader autograde` with the course's config: the widget cell of the autograded notebook (what
formgrader shows) holds the graded answer and, from the answer key, whether it was right; with a
hub record the recorded answer is shown, not the file's; the feedback page shows the same text.
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

from course.grade.autograde import grade_cohort
from course.grade.feedback import generate_feedback
from course.grade.sandbox import SandboxError, check_bwrap
from course.grade.widget_answers import MARK
from course.grade.widget_records import record_path
from course.nbgrader_tools import run_nbgrader
from course.paths import GRADING, MODULES

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "submissions"))
import crafted  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grade-widget-answers")]
MODULE = crafted.M00
KEY = json.loads((GRADING / "answer_key" / "widgets" / f"{MODULE}.json").read_text())
QUESTION = "m00_how_grading_works"
WRONG = "It checks only the cells you ran most recently."


def _course(root: Path) -> Path:
    shutil.copytree(MODULES / MODULE, root / "modules" / MODULE,
                    ignore=shutil.ignore_patterns("*.answers.json", ".ipynb_checkpoints"))
    (root / "grading" / "answer_key" / "widgets").mkdir(parents=True)
    shutil.copy(GRADING / "nbgrader_config.py", root / "grading")
    shutil.copy(GRADING / "answer_key" / "widgets" / f"{MODULE}.json", root / "grading" / "answer_key" / "widgets")
    url = f"sqlite:///{root / 'gradebook.db'}"
    run_nbgrader("generate_assignment", MODULE, "--force", root=root, db_url=url)
    source = nbformat.read(MODULES / MODULE / f"{MODULE}.ipynb", as_version=4)
    release = root / "release" / MODULE
    crafted.write(release, source, "solution", root / "submitted" / "right" / MODULE, KEY)
    crafted.write(release, source, "untouched", root / "submitted" / "none" / MODULE, {})
    crafted.write(release, source, "solution", root / "submitted" / "forged" / MODULE, KEY)
    crafted.write_answers(record_path(root, "forged", MODULE), MODULE, {QUESTION: WRONG})
    return root


def _shown(root: Path, learner: str) -> str:
    nb = nbformat.read(root / "autograded" / learner / MODULE / f"{MODULE}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "how_grading_works_widget")
    assert not any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in cell.outputs)
    assert "run the notebook" not in json.dumps(cell.outputs), "the learner's 'run the notebook' line stays out"
    return "\n".join(o["data"]["text/plain"] for o in cell.outputs if MARK in o.get("data", {}).get("text/html", ""))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    try:
        check_bwrap()
    except SandboxError as error:
        pytest.skip(f"no usable bubblewrap: {error}")
    root = _course(tmp_path_factory.mktemp("widget-answers") / "course")
    plain = tmp_path_factory.mktemp("widget-answers-plain") / "course"
    shutil.copytree(root, plain)
    outcomes = grade_cohort(root, [MODULE], db_url=f"sqlite:///{root / 'gradebook.db'}", workers=2, progress=False)
    assert {o.student: o.status for o in outcomes} == dict.fromkeys(["right", "none", "forged"], "graded"), outcomes
    run_nbgrader("autograde", MODULE, "--force", root=plain, db_url=f"sqlite:///{plain / 'gradebook.db'}")
    return root, plain


def test_the_autograded_widget_cell_shows_the_graded_answer_and_whether_it_was_right(graded):
    for root in graded:  # the course's parallel grader, and plain nbgrader with the course config
        right, none, forged = (_shown(root, name) for name in ("right", "none", "forged"))
        assert KEY[QUESTION] in right and "Graded as: right" in right, right
        assert "none was recorded" in none, none
        # the file says right, the hub recorded a wrong pick: the recorded (graded) one is shown
        assert WRONG in forged and "Graded as: not right" in forged and "hub's record" in forged, forged
        assert KEY[QUESTION] not in forged


def test_the_learners_feedback_shows_the_answer_that_was_graded(graded):
    root = graded[0]
    pages = {p.parent.parent.name: p.read_text() for p in
             generate_feedback(root, [MODULE], db_url=f"sqlite:///{root / 'gradebook.db'}")}
    assert KEY[QUESTION] in pages["right"] and "Graded as: right" in pages["right"]
    assert WRONG in pages["forged"] and "Graded as: not right" in pages["forged"]
    assert "none was recorded" in pages["none"]


@pytest.mark.parametrize("metadata", [{"widgets": 3}, {"widgets": {"application/vnd.jupyter.widget-state+json":
                                                                   {"state": {"m": 5}}}}, {}])
def test_a_widget_state_of_any_shape_shows_nothing_and_never_fails(metadata):
    """The learner's kernel writes the widget state: a shape no widget makes is left alone."""
    from course.grade.widget_answers import show_answers

    view = {"output_type": "display_data", "metadata": {},
            "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "m"}}}
    nb = nbformat.from_dict({"metadata": metadata, "nbformat": 4, "nbformat_minor": 5, "cells": [
        {"cell_type": "code", "source": "", "metadata": {}, "execution_count": 1,
         "outputs": [view, {"output_type": "display_data", "metadata": {}, "data": 7}]}]})
    assert show_answers(nb, b'{"questions": {}}', {}, False) == []
    assert nb.cells[0].outputs[0] == view
