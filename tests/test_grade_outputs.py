"""Intake, feedback without hidden tests, exports and the cohort report, on the grade-demo course."""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sys
import zipfile
from html import unescape
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from course.grade.autograde import grade_cohort
from course.grade.cli import main as grade_main
from course.grade.exports import export_grades_csv, lms_table
from course.grade.feedback import copy_for_lms, generate_feedback
from course.grade.intake import import_lms
from course.grade.report import cohort_report
from course.grade.sandbox import SandboxError, check_bwrap
from course.nbgrader_tools import run_nbgrader

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "submissions"))
import grade_demo as demo  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grade")]
NB = f"{demo.ASSIGNMENT}.ipynb"


def db_url(root: Path) -> str:
    return f"sqlite:///{root / 'gradebook.db'}"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """grade-demo released, three learners graded in the sandbox, one enrolled learner with nothing."""
    try:
        check_bwrap()
        sandbox = True
    except SandboxError:
        sandbox = False
    root = tmp_path_factory.mktemp("graded-course")
    demo.write_source(root / "modules")
    run_nbgrader("generate_assignment", demo.ASSIGNMENT, "--force", root=root, db_url=db_url(root))
    release = nbformat.read(root / "release" / demo.ASSIGNMENT / NB, as_version=4)
    for name in ("good", "wrong", "untouched"):
        demo.write_submission(release, name, root / "submitted" / name / demo.ASSIGNMENT)
    answers = {"format": "coaching-lab-answers/1", "module": demo.ASSIGNMENT, "questions": {
        "demo_coach_reply": {"kind": "choice", "answer": "Why?", "correct": False, "attempts": 2,
                             "wrong_answers": ["Send them the ROI deck today.", "Why?"]}}}
    (root / "submitted" / "wrong" / demo.ASSIGNMENT / f"{demo.ASSIGNMENT}.answers.json").write_text(json.dumps(answers))
    with Gradebook(db_url(root)) as gb:
        gb.add_student("absent", first_name="Dana", last_name="Absent")
    outcomes = grade_cohort(root, [demo.ASSIGNMENT], db_url=db_url(root), workers=2, sandbox=sandbox, progress=False)
    assert {o.status for o in outcomes} == {"graded"}
    return root


def test_feedback_shows_answers_and_scores_but_no_hidden_test(graded, tmp_path):
    files = generate_feedback(graded, db_url=db_url(graded))
    assert {f.parent.parent.name for f in files} == {"good", "wrong", "untouched"}
    page = (graded / "feedback" / "wrong" / demo.ASSIGNMENT / f"{demo.ASSIGNMENT}.html").read_text()
    html = unescape(re.sub(r"<[^>]+>", "", page))         # the text a learner reads
    assert "for d in deals)" in html                     # the learner's own answer
    assert "grade-demo (Score: 1.0 / 3.0)" in html
    assert "did not pass" in html                        # a kind verdict for the failed hidden check
    for secret in ("HIDDEN TESTS", "revenue == 1200", "win_rate - 2 / 3", "AssertionError"):
        assert secret not in html, secret
    autograded = (graded / "autograded" / "wrong" / demo.ASSIGNMENT / NB).read_text()
    assert "revenue == 1200" in autograded               # the trainer's copy still has them
    copied = copy_for_lms(files, graded, tmp_path / "lms")
    assert sorted(p.name for p in copied) == [f"{s}--{demo.ASSIGNMENT}.html" for s in ("good", "untouched", "wrong")]


def test_exports_nbgrader_csv_and_lms_table(graded, tmp_path):
    path = export_grades_csv(tmp_path / "grades.csv", graded, db_url(graded))
    rows = list(csv.DictReader(path.open()))
    assert {r["student_id"] for r in rows} >= {"good", "wrong", "untouched"}
    columns, table = lms_table(db_url(graded))
    assert columns[-3:] == [demo.ASSIGNMENT, "total", "late"]
    scores = {r["student_id"]: r[demo.ASSIGNMENT] for r in table}
    assert scores == {"good": 3.0, "wrong": 1.0, "untouched": 0.0, "absent": ""}
    _, percent = lms_table(db_url(graded), percent=True)
    assert {r["student_id"]: r["total"] for r in percent}["wrong"] == pytest.approx(33.33, abs=0.01)
    # the same through the command line
    assert grade_main(["grade", "export", "--course-root", str(graded), "--db-url", db_url(graded),
                       "--grades-csv", str(tmp_path / "g2.csv"), "--lms-csv", str(tmp_path / "lms.csv")]) == 0
    assert (tmp_path / "lms.csv").read_text().splitlines()[0].endswith(f"{demo.ASSIGNMENT},total,late")


def test_cohort_report_is_one_readable_page(graded, tmp_path):
    out = cohort_report(graded, tmp_path / "report.html", db_url=db_url(graded))
    html = out.read_text()
    for heading in ("Completion and scores per module", "Questions most often missed",
                    "Learners who are behind", "Time to submit"):
        assert heading in html
    assert html.count("data:image/png;base64,") >= 3
    assert "revenue_counts_won_deals" in html            # missed by wrong and untouched
    assert "Send them the ROI deck today." in html       # a recorded wrong answer
    behind = html.split("Learners who are behind")[1].split("Time to submit")[0]
    assert "absent" in behind and "untouched" in behind and ">good<" not in behind


def test_import_lms_zip_and_folder_places_each_notebook_and_reports_the_rest(graded, tmp_path):
    course = tmp_path / "course"
    (course / "submitted").mkdir(parents=True)
    nb = (graded / "submitted" / "good" / demo.ASSIGNMENT / NB).read_bytes()
    archive = tmp_path / "lms.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Ana Lima_1234_assignsubmission_file_/my work.ipynb", nb)
        z.writestr("Ana Lima_1234_assignsubmission_file_/grade-demo.answers.json", "{}")
        z.writestr("limabo_77_88_grade-demo.ipynb", nb)
        z.writestr("limabo_77_99_grade-demo (1).ipynb", nb)
        z.writestr("cy/notes.docx", b"word")
        z.writestr("__MACOSX/._x.ipynb", b"")
    report = import_lms(archive, demo.ASSIGNMENT, course)
    assert sorted(s for s, _ in report.placed) == ["ana-lima", "limabo"]
    target = course / "submitted" / "ana-lima" / demo.ASSIGNMENT
    assert sorted(p.name for p in target.iterdir()) == [f"{demo.ASSIGNMENT}.answers.json", NB, "timestamp.txt"]
    reasons = dict(report.unplaced)
    assert "not a notebook" in reasons["cy/notes.docx"]
    assert any("duplicate" in why for why in reasons.values())
    assert "system file" in reasons["__MACOSX/._x.ipynb"]

    again = import_lms(archive, demo.ASSIGNMENT, course)
    assert not again.placed and any("already has a submission" in why for _, why in again.unplaced)

    folder = tmp_path / "download"
    folder.mkdir()
    (folder / "dana.ipynb").write_bytes(nb)
    (folder / "stranger.ipynb").write_bytes(nb)
    with open(os.fsencode(folder) + b"/caf\xe9.ipynb", "wb") as handle:
        handle.write(nb)
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,lms_name\nd.absent,dana\n")
    report = import_lms(folder, demo.ASSIGNMENT, course, roster=roster)
    assert report.placed == [("d.absent", "dana.ipynb")]
    reasons = dict(report.unplaced)
    assert "not in the roster" in reasons["stranger.ipynb"]
    assert any("not valid UTF-8" in why for why in reasons.values())
