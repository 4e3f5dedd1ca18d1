"""The course's late policy: a grace period, a share off per started day, a cut-off; written by
nbgrader's AssignLatePenalties through the course's plugin, from the clean run's scores, and seen
in the LMS table and the learner's feedback. Real nbgrader, through `course grade autograde`."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from traitlets.config import Config

from course.grade.autograde import grade_cohort
from course.grade.exports import lms_table
from course.grade.feedback import generate_feedback
from course.grade.late_policy import CourseLatePolicy, policy
from course.grade.report import cohort_report
from course.grade.sandbox import SandboxError, check_bwrap
from course.nbgrader_tools import run_nbgrader
from course.paths import GRADING

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "submissions"))
import grade_demo as demo  # noqa: E402

HOUR, DAY = 3600, 86400


def _policy(**settings) -> CourseLatePolicy:
    config = Config()
    for name, value in settings.items():
        setattr(config.CourseLatePolicy, name, value)
    return CourseLatePolicy(config=config)


def test_the_penalty_counts_started_days_after_the_grace_and_stops_at_the_cut_off():
    rule = _policy(grace_minutes=60, percent_per_day=10, zero_after_days=7)
    assert rule.late_submission_penalty("ana", 10.0, 59 * 60) is None           # within the grace
    assert rule.late_submission_penalty("ana", 10.0, 2 * HOUR) == pytest.approx(1.0)  # first started day
    assert rule.late_submission_penalty("ana", 10.0, DAY + 1) == pytest.approx(2.0)
    assert rule.late_submission_penalty("ana", 10.0, 8 * DAY) == 10.0           # past the cut-off
    assert _policy(percent_per_day=60).late_submission_penalty("ana", 10.0, 3 * DAY) == 10.0  # never below 0
    assert "no points are taken off" in policy().describe()                    # the course default
    assert "10% of the autograded score" in rule.describe() and "60 minutes" in rule.describe()


@pytest.mark.slow
@pytest.mark.xdist_group("grade")
def test_course_grade_autograde_applies_the_policy_to_the_clean_scores(tmp_path):
    try:
        check_bwrap()
    except SandboxError as error:
        pytest.skip(f"no usable bubblewrap: {error}")
    course = tmp_path / "course"
    url = f"sqlite:///{course / 'gradebook.db'}"
    demo.write_source(course / "modules")
    (course / "grading").mkdir()  # the course's own config: the repository's, with a late policy
    (course / "grading" / "nbgrader_config.py").write_text(
        f"load_subconfig({str(GRADING / 'nbgrader_config.py')!r})\n"
        "c.CourseLatePolicy.grace_minutes = 60\nc.CourseLatePolicy.percent_per_day = 10\n")
    run_nbgrader("generate_assignment", demo.ASSIGNMENT, "--force", root=course, db_url=url)
    with Gradebook(url, "coaching-lab") as gb:  # handed in 2026-11-20 10:00 UTC: 1 day 21 hours late
        gb.find_assignment(demo.ASSIGNMENT).duedate = dt.datetime(2026, 11, 18, 13, 0)
        gb.db.commit()
    release = course / "release" / demo.ASSIGNMENT / f"{demo.ASSIGNMENT}.ipynb"
    for name in ("good", "wrong"):
        demo.write_submission(nbformat.read(release, as_version=4), name, course / "submitted" / name / demo.ASSIGNMENT)
    outcomes = grade_cohort(course, [demo.ASSIGNMENT], db_url=url, workers=2, progress=False)
    assert {o.student: o.score for o in outcomes} == {"good": 3.0, "wrong": 1.0}
    with Gradebook(url, "coaching-lab") as gb:
        penalties = {name: gb.find_submission(demo.ASSIGNMENT, name).late_submission_penalty
                     for name in ("good", "wrong")}
    # two started days at 10 % of each learner's own (clean run) score
    assert penalties == pytest.approx({"good": 0.6, "wrong": 0.2})
    columns, rows = lms_table(url, policy=policy(course_root=course))
    assert {r["student_id"]: (r[demo.ASSIGNMENT], r["late"]) for r in rows} == {
        "good": (2.4, demo.ASSIGNMENT), "wrong": (0.8, demo.ASSIGNMENT)}
    page = next(p for p in generate_feedback(course, [demo.ASSIGNMENT], ["wrong"], db_url=url)).read_text()
    assert "Late submission penalty" in page
    report = cohort_report(course, tmp_path / "report.html", db_url=url).read_text()
    assert "2 of 2" in report and "0.8 points taken off" in report and "10% of the autograded score" in report
