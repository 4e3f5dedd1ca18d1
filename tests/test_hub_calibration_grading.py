"""Grading one question in a row on the calibration page, into nbgrader's own gradebook: a real
module (00-orientation, its hand-graded reflection) released by nbgrader into a sqlite gradebook in
tmp, one learner's submission in it (what autograde records first), another collected but not yet
autograded. Scores and comments saved through `Calibration.grade` (what the page's form handler
calls) are read back with nbgrader's `Gradebook`; a regrade of the unchanged answer keeps them.
The tornado handler and the `runuser` hop (`gradebook_as`) are reached only by the hub test."""
from __future__ import annotations

import os
import shutil
import sqlite3
import warnings

import nbformat
import pytest
from markupsafe import Markup
from nbgrader.api import Gradebook

from course.grade import gradebook
from course.hub_calibration import Calibration, Refused, gradebook_as, gradebook_request
from course.nbgrader_tools import run_nbgrader
from course.paths import MODULES

pytestmark = pytest.mark.slow
MODULE = "00-orientation"
QUESTION = "reflection_coach_you_remember"
HOSTILE = '<script>alert("marks")</script><img src=x onerror="steal()"> My first manager asked.'
ANSWERS = {"ana": HOSTILE, "ben": "She asked what I wanted to learn."}  # only ana's is autograded
TRAINERS = ["tara", "tom"]


def _collected(release: nbformat.NotebookNode, answer: str) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(release)
    next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == QUESTION).source = answer
    return nb


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A course folder with the real module released by nbgrader, ana's submission in the gradebook."""
    course = tmp_path_factory.mktemp("calibration-grading") / "course"
    shutil.copytree(MODULES / MODULE, course / "modules" / MODULE)
    url = f"sqlite:///{course / 'gradebook.db'}"
    run_nbgrader("generate_assignment", MODULE, "--force", root=course, db_url=url)
    release = nbformat.read(course / "release" / MODULE / f"{MODULE}.ipynb", as_version=4)
    for learner, answer in ANSWERS.items():
        (course / "submitted" / learner / MODULE).mkdir(parents=True)
        nbformat.write(_collected(release, answer), course / "submitted" / learner / MODULE / f"{MODULE}.ipynb")
    with warnings.catch_warnings(), Gradebook(url, "coaching-lab") as gb:
        warnings.simplefilter("ignore")  # nbgrader's add_submission trips SQLAlchemy warnings
        gb.add_student("ana")
        gb.add_student("ben")
        gb.add_submission(MODULE, "ana")  # as autograde does first; a hand-graded answer waits for a trainer
    return course


@pytest.fixture
def course(released, tmp_path):
    """A copy per test (tests save grades): the module's files, the collected answers, the gradebook."""
    copy = tmp_path / "course"
    shutil.copytree(released, copy)
    return copy


def _calibration(course, tmp_path) -> Calibration:
    return Calibration(sqlite3.connect(tmp_path / "records.sqlite"), course, lambda: list(TRAINERS),
                       db_url=f"sqlite:///{course / 'gradebook.db'}")


def _in_gradebook(course, learner="ana") -> tuple:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "coaching-lab") as gb:
        grade = gb.find_grade(QUESTION, MODULE, MODULE, learner)
        comment = gb.find_comment(QUESTION, MODULE, MODULE, learner)
        return grade.manual_score, grade.needs_manual_grade, comment.manual_comment


def _section(page: str, learner: str) -> str:
    return page.split(f'data-learner="{learner}"')[1].split("</section>")[0]


def test_a_score_and_comment_saved_on_the_page_are_nbgraders_manual_grade(course, tmp_path):
    calibration = _calibration(course, tmp_path)
    assert _in_gradebook(course) == (None, True, None)  # waiting for a trainer
    page = calibration.page_question("tara", MODULE, QUESTION, csrf=Markup("<input name=_xsrf>"))
    ana, ben = _section(page, "ana"), _section(page, "ben")
    assert '<form method="post"' in ana and "<input name=_xsrf>" in ana and 'name="score"' in ana
    assert 'max="1"' in ana and "not graded yet" in ana
    assert "<form" not in ben and "Not autograded yet" in ben

    saved = calibration.grade("tara", MODULE, QUESTION, "ana", "0.5", "Names a question; say <why> it helped.")
    assert saved["manual_score"] == 0.5 and not saved["needs_manual_grade"]
    assert _in_gradebook(course) == (0.5, False, "Names a question; say <why> it helped.")
    assert gradebook.read_submission(f"sqlite:///{course / 'gradebook.db'}", MODULE, "ana")

    ana = _section(calibration.page_question("tom", MODULE, QUESTION, saved="ana"), "ana")
    assert 'value="0.5"' in ana and "graded by hand" in ana
    assert "Names a question; say &lt;why&gt; it helped.</textarea>" in ana

    calibration.grade("tom", MODULE, QUESTION, "ana", "", "")  # an emptied box: no manual grade, as formgrader
    assert _in_gradebook(course) == (None, True, None)


def test_scores_out_of_range_or_not_numbers_are_refused_naming_the_learner(course, tmp_path):
    calibration = _calibration(course, tmp_path)
    for score in ("1.5", "-0.5", "two", "nan", "inf", "1e9"):
        with pytest.raises(Refused) as refused:
            calibration.grade("tara", MODULE, QUESTION, "ana", score, "")
        assert refused.value.status == 400 and str(refused.value).startswith("ana: the score must be")
        assert "0 to 1" in str(refused.value)
    with pytest.raises(Refused) as refused:
        calibration.grade("tara", MODULE, QUESTION, "ben", "1", "")
    assert refused.value.status == 409 and "ben's answer has not been autograded yet" in str(refused.value)
    assert _in_gradebook(course) == (None, True, None)
    # the gradebook side checks the range again, against nbgrader's own maximum
    refused = gradebook_request({"op": "save", "db_url": f"sqlite:///{course / 'gradebook.db'}", "module": MODULE,
                                 "grade_id": QUESTION, "learner": "ana", "score": 3, "comment": ""})
    assert refused["status"] == 400 and "from 0 to 1" in refused["error"]


def test_only_trainers_grade_and_the_learners_answer_stays_text(course, tmp_path):
    calibration = _calibration(course, tmp_path)
    for call in (lambda: calibration.grade("ana", MODULE, QUESTION, "ana", "1", "mine"),
                 lambda: calibration.page_question("ana", MODULE, QUESTION)):
        with pytest.raises(Refused) as refused:
            call()
        assert refused.value.status == 403
    assert _in_gradebook(course) == (None, True, None)
    page = calibration.page_question("tara", MODULE, QUESTION)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;marks&#34;)&lt;/script&gt;" in page


def test_a_regrade_of_the_unchanged_answer_keeps_the_grade_saved_on_the_page(course, tmp_path):
    url = f"sqlite:///{course / 'gradebook.db'}"
    _calibration(course, tmp_path).grade("tara", MODULE, QUESTION, "ana", "1", "Good question.")
    before, after = tmp_path / "before", tmp_path / "after"
    for folder in (before, after):  # the same answer autograded twice
        shutil.copytree(course / "submitted" / "ana" / MODULE, folder)
    unchanged = gradebook.unchanged_answers(before, after)
    assert QUESTION in unchanged[MODULE]
    graded = gradebook.read_submission(url, MODULE, "ana")
    graded["notebooks"][MODULE]["grades"][QUESTION].update(auto_score=None, needs_manual_grade=True)  # fresh autograde
    with Gradebook(url, "coaching-lab") as gb:
        gradebook.merge_submission(gb, MODULE, "ana", graded, unchanged)
    assert _in_gradebook(course) == (1, False, "Good question.")
    with Gradebook(url, "coaching-lab") as gb:  # a changed answer: kept, flagged for a new look
        gradebook.merge_submission(gb, MODULE, "ana", graded, {})
    assert _in_gradebook(course) == (1, True, "Good question.")


def test_without_a_gradebook_the_page_reads_as_before_and_never_creates_one(course, tmp_path):
    (course / "gradebook.db").unlink()
    calibration = _calibration(course, tmp_path)
    page = calibration.page_question("tara", MODULE, QUESTION)
    assert "Gradebook unavailable: no gradebook yet" in page and "<form" not in page
    assert not (course / "gradebook.db").exists()
    with pytest.raises(Refused) as refused:
        calibration.grade("tara", MODULE, QUESTION, "ana", "1", "")
    assert refused.value.status == 409 and not (course / "gradebook.db").exists()


def test_the_gradebook_command_the_service_runs_as_the_trainer_saves_and_reads(course):
    """`gradebook_as` runs this command under `runuser -u TRAINER` (umask 007); here as the test's own user."""
    import json
    import subprocess
    import sys

    url = f"sqlite:///{course / 'gradebook.db'}"
    save = {"op": "save", "db_url": url, "module": MODULE, "grade_id": QUESTION, "learner": "ana", "score": 1,
            "comment": "Asked, then listened."}
    for request in (save, {**save, "op": "read"}):
        result = subprocess.run([sys.executable, "-m", "course.hub_calibration", "gradebook"],
                                input=json.dumps(request), capture_output=True, text=True, check=True)
        answer = json.loads(result.stdout)
    ana = answer["result"]["ana"]
    assert (ana["manual_score"], ana["manual_comment"]) == (1, "Asked, then listened.")
    assert _in_gradebook(course) == (1, False, "Asked, then listened.")


@pytest.mark.skipif(os.geteuid() != 0, reason="runuser needs root (the hub service's case)")
def test_as_root_the_service_reaches_the_gradebook_only_through_runuser_as_the_trainer(course):
    """`gradebook_as` hops with runuser: as root itself it saves; as `nobody` (no access to this course,
    nor to this venv) it cannot, and the gradebook is left as it was: the trainer's permissions apply."""
    request = {"op": "save", "db_url": f"sqlite:///{course / 'gradebook.db'}", "module": MODULE,
               "grade_id": QUESTION, "learner": "ana", "score": 0.5, "comment": "Via runuser."}
    refused = gradebook_as("nobody", request)
    assert "error" in refused and refused["status"] in (409, 502), refused
    assert _in_gradebook(course) == (None, True, None)
    assert gradebook_as("root", request)["result"]["manual_score"] == 0.5
    assert _in_gradebook(course) == (0.5, False, "Via runuser.")
