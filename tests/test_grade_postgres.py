"""The parallel grader against a real PostgreSQL gradebook (a server this test starts and stops)."""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from course.grade.autograde import grade_cohort
from course.grade.sandbox import SandboxError, check_bwrap
from course.nbgrader_tools import autograded_scores, run_nbgrader

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "submissions"))
import grade_demo as demo  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grade")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url():
    """postgresql://… of a throwaway server (Debian's `postgresql` package)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.skip("PostgreSQL is not installed (run tests/ensure_debian_packages.sh postgresql)")
    bindir = Path(found[-1]).parent
    data = Path(tempfile.mkdtemp(prefix="course-grade-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        shutil.chown(data, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()

    def run(*cmd):
        subprocess.run([*as_user, *cmd], check=True, capture_output=True, text=True, cwd=data)

    try:
        run(str(bindir / "initdb"), "-D", str(data / "db"), "-A", "trust", "-U", "postgres", "--no-sync")
        run(str(bindir / "pg_ctl"), "-D", str(data / "db"), "-w", "-l", str(data / "log"), "-o",
            f"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c fsync=off", "start")
        run(str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "gradebook")
        yield f"postgresql://postgres@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data / "db"), "-m", "immediate", "stop"],
                       capture_output=True, cwd=data)
        shutil.rmtree(data, ignore_errors=True)


def test_parallel_grading_into_postgresql(postgres_url, tmp_path):
    try:
        check_bwrap()
    except SandboxError as error:
        pytest.skip(str(error))
    course = tmp_path / "course"
    demo.write_source(course / "modules")
    run_nbgrader("generate_assignment", demo.ASSIGNMENT, "--force", root=course, db_url=postgres_url)
    release = nbformat.read(course / "release" / demo.ASSIGNMENT / f"{demo.ASSIGNMENT}.ipynb", as_version=4)
    students = ["good", "wrong", "untouched", "edited_locked_cells"]
    for name in students:
        demo.write_submission(release, name, course / "submitted" / name / demo.ASSIGNMENT)

    outcomes = grade_cohort(course, [demo.ASSIGNMENT], db_url=postgres_url, workers=2, progress=False)
    assert {o.student: o.status for o in outcomes} == dict.fromkeys(students, "graded")
    totals = {student: sum(s for s, _ in cells.values())
              for student, cells in autograded_scores(postgres_url, demo.ASSIGNMENT).items()}
    assert totals == {"good": 3.0, "wrong": 1.0, "untouched": 0.0, "edited_locked_cells": 1.0}
    assert not (course / "grading").exists() and not (course / "gradebook.db").exists()  # no sqlite on the side

    with Gradebook(postgres_url) as gb:  # a trainer's manual grade must survive a regrade
        gb.find_grade("revenue_counts_won_deals", demo.ASSIGNMENT, demo.ASSIGNMENT, "wrong").manual_score = 1.5
        gb.db.commit()
    again = grade_cohort(course, [demo.ASSIGNMENT], db_url=postgres_url, workers=2, progress=False, force=True)
    assert {o.status for o in again} == {"graded"}
    assert {student: sum(s for s, _ in cells.values())
            for student, cells in autograded_scores(postgres_url, demo.ASSIGNMENT).items()} == totals
    with Gradebook(postgres_url) as gb:
        grade = gb.find_grade("revenue_counts_won_deals", demo.ASSIGNMENT, demo.ASSIGNMENT, "wrong")
        # the answer did not change, so the trainer's grade stays as they left it (tests/test_grade_regrade.py
        # covers a changed answer, which is flagged for another look with the score kept)
        assert (grade.manual_score, grade.auto_score, grade.needs_manual_grade) == (1.5, 0.0, False)
