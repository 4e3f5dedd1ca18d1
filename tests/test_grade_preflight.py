"""Honest mistakes are graded as the learner meant them; oversized submissions are refused before
any kernel starts; a submission nbgrader cannot grade gets nbgrader's real error in one line."""
from __future__ import annotations

import copy
import json
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from course.grade import preflight
from course.grade.autograde import grade_cohort
from course.grade.sandbox import SandboxError, check_bwrap
from course.nbgrader_tools import run_nbgrader

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "submissions"))
import grade_demo as demo  # noqa: E402

NB = f"{demo.ASSIGNMENT}.ipynb"


def _cell_index(nb, grade_id):
    return next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def pasted_twice(nb):
    """The learner copied the answer cell and a test cell and pasted each below (Jupyter gives the
    paste a new cell id and keeps the metadata); the pasted answer is the one they then edited."""
    nb = copy.deepcopy(nb)
    answer = _cell_index(nb, "revenue_answer")
    pasted = copy.deepcopy(nb.cells[answer])
    pasted.id = "pasted-answer"
    pasted.source = "revenue = 700 + 500  # checked by hand"
    nb.cells.insert(answer + 1, pasted)
    test = _cell_index(nb, "win_rate_is_a_share")
    pasted_test = copy.deepcopy(nb.cells[test])
    pasted_test.id = "pasted-test"
    nb.cells.insert(test + 1, pasted_test)
    return nb


def write_course(tmp_path: Path, names=("good", "duplicated", "bad_timestamp", "fifty_thousand_cells")) -> Path:
    root = tmp_path / "course"
    demo.write_source(root / "modules")
    run_nbgrader("generate_assignment", demo.ASSIGNMENT, "--force", root=root, db_url=f"sqlite:///{root / 'gb.db'}")
    release = nbformat.read(root / "release" / demo.ASSIGNMENT / NB, as_version=4)
    for name in names:
        demo.write_submission(release, "good", root / "submitted" / name / demo.ASSIGNMENT)
    if "duplicated" in names:
        folder = root / "submitted" / "duplicated" / demo.ASSIGNMENT
        nbformat.write(pasted_twice(nbformat.read(folder / NB, as_version=4)), folder / NB)
    if "bad_timestamp" in names:
        (root / "submitted" / "bad_timestamp" / demo.ASSIGNMENT / "timestamp.txt").write_text("last Tuesday, before lunch")
    if "fifty_thousand_cells" in names:
        path = root / "submitted" / "fifty_thousand_cells" / demo.ASSIGNMENT / NB
        raw = json.loads(path.read_text())
        raw["cells"] += [dict(new_code_cell("x = 1"), id=f"c{i}") for i in range(50_000)]
        path.write_text(json.dumps(raw))
    return root


@pytest.mark.slow
@pytest.mark.xdist_group("grade")
def test_honest_mistakes_are_graded_and_a_huge_notebook_is_refused_before_a_kernel(tmp_path):
    try:
        check_bwrap()
        sandbox = True
    except SandboxError:
        sandbox = False
    root = write_course(tmp_path)
    before = {p: p.read_bytes() for p in (root / "submitted").rglob("*") if p.is_file()}
    outcomes = {o.student: o for o in grade_cohort(root, [demo.ASSIGNMENT], db_url=f"sqlite:///{root / 'gb.db'}",
                                                  workers=2, sandbox=sandbox, progress=False)}
    assert outcomes["good"].status == "graded" and outcomes["good"].score == 3.0
    dup = outcomes["duplicated"]
    assert (dup.status, dup.score) == ("graded", 3.0), dup.reason
    assert any("revenue_answer" in n and "appears 2 times" in n for n in dup.notes), dup.notes
    assert any("win_rate_is_a_share" in n for n in dup.notes), dup.notes
    stamp = outcomes["bad_timestamp"]
    assert (stamp.status, stamp.score) == ("graded", 3.0), stamp.reason
    assert any("does not hold a date" in n and "last Tuesday" in n for n in stamp.notes), stamp.notes
    huge = outcomes["fifty_thousand_cells"]
    cells = len(json.loads((root / "submitted" / "fifty_thousand_cells" / demo.ASSIGNMENT / NB).read_text())["cells"])
    assert huge.status == "failed" and f"has {cells:,} cells" in huge.reason and "nothing was run" in huge.reason
    assert huge.seconds < 30
    after = {p: p.read_bytes() for p in (root / "submitted").rglob("*") if p.is_file()}
    assert after == before                    # mended in the grader's copy, never the learner's files


def test_plain_nbgrader_refuses_the_duplicated_cell_and_preflight_names_its_real_error(tmp_path):
    """The fixture is a real fault: nbgrader alone fails it, with a message that says nothing."""
    import subprocess

    from course.nbgrader_tools import nbgrader_env

    root = write_course(tmp_path, ["duplicated"])

    done = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", demo.ASSIGNMENT, "--force",
                           f"--CourseDirectory.root={root}", f"--CourseDirectory.db_url=sqlite:///{root / 'gb.db'}",
                           "--CourseDirectory.source_directory=modules"],
                          capture_output=True, text=True, env=nbgrader_env(), cwd=root)
    assert done.returncode != 0
    reason = preflight.nbgrader_error(done.stdout + done.stderr)
    assert reason and "Please see" not in reason and "\n" not in reason
    assert "nbgrader update" in reason or "metadata" in reason, reason


def test_timestamp_that_is_not_a_date_is_set_aside_with_a_note(tmp_path):
    (tmp_path / "timestamp.txt").write_text("sometime")
    notes = preflight._set_aside_bad_timestamp(tmp_path)
    assert not (tmp_path / "timestamp.txt").exists() and "sometime" in notes[0]
    (tmp_path / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")
    assert preflight._set_aside_bad_timestamp(tmp_path) == []


def test_caps_refuse_before_reading_more_than_needed(tmp_path):
    folder = tmp_path / "course" / "submitted" / "ana" / demo.ASSIGNMENT
    folder.mkdir(parents=True)
    for i in range(5):
        (folder / f"f{i}.csv").write_bytes(b"x" * 2048)
    (folder / NB).write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                                         "cells": [{"cell_type": "code", "source": "", "metadata": {},
                                                    "outputs": [], "execution_count": None}] * 20}))
    small = preflight.Caps(files=3, total_mb=1, notebook_mb=1, cells=10)
    assert "6 files" in preflight.check_notebook(folder / NB, {}, small)[0]
    assert "20 cells" in preflight.check_notebook(folder / NB, {}, preflight.Caps(cells=10))[0]
    started = time.monotonic()
    assert preflight.check_notebook(folder / NB, {}, preflight.Caps())[0] is None
    assert time.monotonic() - started < 5


def test_nbgrader_error_finds_the_exception_behind_the_generic_message():
    log = ("[AutogradeApp | ERROR] There was an error processing assignment: /c/submitted/ana/m\n"
           "[AutogradeApp | ERROR] Traceback (most recent call last):\n"
           '  File "x.py", line 3, in f\n'
           "nbgrader.preprocessors.base.SomethingError: cell 'q1' has no points\n"
           "[AutogradeApp | ERROR] Please see the the above traceback for details on the specific errors\n")
    assert preflight.nbgrader_error(log) == "SomethingError: cell 'q1' has no points"
    assert preflight.nbgrader_error("[AutogradeApp | ERROR] Invalid timestamp string: /x/timestamp.txt\n"
                                    "[AutogradeApp | ERROR] Please see the the above traceback") == \
        "Invalid timestamp string: /x/timestamp.txt"
