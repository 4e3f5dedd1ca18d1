"""`course grade autograde`: parallel, sandboxed, idempotent, and the same scores as nbgrader.

Built on the tiny `grade-demo` assignment (tests/fixtures/submissions/grade_demo.py) so the whole
file runs in about a minute: one serial `nbgrader autograde` for reference, two parallel runs, and
one parallel run of every fault submission together.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from course.grade.autograde import OUTCOMES_FILE, grade_cohort
from course.grade.cli import main as grade_main
from course.grade.sandbox import SandboxError, check_bwrap
from course.nbgrader_tools import autograded_scores, nbgrader_env, run_nbgrader
from course.paths import REPO

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "submissions"))
import grade_demo as demo  # noqa: E402
from notebooks import stop_and_list_survivors  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grade")]
BENIGN = ["good", "wrong", "untouched", "old_nbformat", "deleted_cells", "reordered_cells", "edited_locked_cells"]


def _bwrap_or_skip():
    try:
        check_bwrap()
    except SandboxError as error:
        pytest.skip(f"no usable bubblewrap: {error} (run tests/ensure_debian_packages.sh bubblewrap)")


@pytest.fixture(scope="session")
def demo_course(tmp_path_factory):
    """A course holding grade-demo, released; returns (root, release notebook)."""
    root = tmp_path_factory.mktemp("grade-course")
    demo.write_source(root / "modules")
    run_nbgrader("generate_assignment", demo.ASSIGNMENT, "--force", root=root, db_url=db_url(root))
    release = nbformat.read(root / "release" / demo.ASSIGNMENT / f"{demo.ASSIGNMENT}.ipynb", as_version=4)
    return root, release


def db_url(root: Path) -> str:
    return f"sqlite:///{root / 'gradebook.db'}"


def fresh_course(demo_course, tmp_path, names, probes=()) -> Path:
    root, release = demo_course
    course = tmp_path / "course"
    shutil.copytree(root, course)
    for name in names:
        demo.write_submission(release, name, course / "submitted" / name / demo.ASSIGNMENT, list(probes))
    return course


def tree_hashes(root: Path, skip=lambda rel: False) -> dict[str, str]:
    hashes = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix() if path.name.isascii() else repr(path.relative_to(root))
        if path.is_file() and not skip(rel):
            hashes[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def test_parallel_sandboxed_scores_equal_serial_nbgrader_and_rerun_changes_nothing(demo_course, tmp_path):
    _bwrap_or_skip()
    course = fresh_course(demo_course, tmp_path, BENIGN)
    # a widget answers file: the learner's must survive grading, the trainer's must never reach them
    (course / "modules" / demo.ASSIGNMENT / f"{demo.ASSIGNMENT}.answers.json").write_text('{"trainer": 1}')
    (course / "submitted" / "good" / demo.ASSIGNMENT / f"{demo.ASSIGNMENT}.answers.json").write_text('{"mine": 1}')
    serial = tmp_path / "serial"
    shutil.copytree(course, serial)
    run_nbgrader("autograde", demo.ASSIGNMENT, "--force", root=serial, db_url=db_url(serial))
    expected = autograded_scores(db_url(serial), demo.ASSIGNMENT)
    assert expected["good"] == {"revenue_counts_won_deals": (2.0, 2.0), "win_rate_is_a_share": (1.0, 1.0)}

    outcomes = grade_cohort(course, [demo.ASSIGNMENT], db_url=db_url(course), workers=2, progress=False)
    assert {o.student: o.status for o in outcomes} == {name: "graded" for name in BENIGN}
    assert autograded_scores(db_url(course), demo.ASSIGNMENT) == expected
    for name in BENIGN:  # the autograded notebooks nbgrader keeps for the formgrader are there
        assert (course / "autograded" / name / demo.ASSIGNMENT / f"{demo.ASSIGNMENT}.ipynb").exists()
    kept = course / "autograded" / "good" / demo.ASSIGNMENT / f"{demo.ASSIGNMENT}.answers.json"
    assert kept.read_text() == '{"mine": 1}'
    assert not (course / "autograded" / "wrong" / demo.ASSIGNMENT / f"{demo.ASSIGNMENT}.answers.json").exists()

    before = tree_hashes(course)
    again = grade_cohort(course, [demo.ASSIGNMENT], db_url=db_url(course), workers=2, progress=False)
    assert {o.status for o in again} == {"unchanged"}
    assert tree_hashes(course) == before  # not even the gradebook file was rewritten


def test_every_fault_gets_an_outcome_and_touches_nothing_else(demo_course, tmp_path):
    _bwrap_or_skip()
    root = tmp_path / "course"
    probes = [  # what the snooping submission tries to read or write into
        str(root / "modules" / demo.ASSIGNMENT / f"{demo.ASSIGNMENT}.ipynb"),
        str(root / "gradebook.db"),
        str(root / "submitted" / "good" / demo.ASSIGNMENT / f"{demo.ASSIGNMENT}.ipynb"),
        str(root / "submitted" / "good" / demo.ASSIGNMENT),
        str(root / "modules" / demo.ASSIGNMENT),
        str(REPO / "grading" / "nbgrader_config.py"),
    ]
    course = fresh_course(demo_course, tmp_path, demo.SUBMISSIONS, probes)
    os.makedirs(os.fsencode(course / "submitted") + b"/caf\xe9/" + demo.ASSIGNMENT.encode())
    config_before = hashlib.sha256((REPO / "grading" / "nbgrader_config.py").read_bytes()).hexdigest()
    outside = lambda rel: rel.startswith("autograded/") or rel == "gradebook.db"
    before = tree_hashes(course, skip=outside)

    outcomes = grade_cohort(course, [demo.ASSIGNMENT], db_url=db_url(course), workers=2,
                            cell_timeout=8, progress=False)

    by_name = {o.student: o for o in outcomes}
    for o in outcomes:  # shown when an assertion fails
        print(o.student, o.status, o.score, o.reason, o.notes, o.seconds)
    assert set(by_name) == set(demo.SUBMISSIONS) | {"caf\ufffd"}
    for o in outcomes:  # a score, or a clear reason
        assert (o.status == "graded" and o.score is not None) or len(o.reason) > 20, o
    score = {name: o.score for name, o in by_name.items()}
    assert score["good"] == 3.0 and score["wrong"] == 1.0 and score["untouched"] == 0.0
    assert "not valid notebook JSON" in by_name["corrupt_json"].reason
    assert "missing" in by_name["missing_notebook"].reason
    assert "not valid UTF-8" in by_name["caf\ufffd"].reason
    assert "old notebook format" in " ".join(by_name["old_nbformat"].notes) and score["old_nbformat"] == 3.0
    assert "deleted" in " ".join(by_name["deleted_cells"].notes) and score["deleted_cells"] == 2.0
    assert score["reordered_cells"] == 3.0
    assert score["edited_locked_cells"] == 1.0  # nbgrader restored the locked cells and the tests
    assert "time limit" in " ".join(by_name["infinite_loop"].notes)
    assert "memory limit" in " ".join(by_name["memory_bomb"].notes) and score["memory_bomb"] == 1.0
    # the process limit stops the bomb (or, on a busy machine, the time limit comes first; or a
    # forked copy takes the kernel down): contained either way, and said so
    fork = " ".join(by_name["fork_bomb"].notes) + by_name["fork_bomb"].reason
    assert any(w in fork for w in ("new processes", "time limit", "kernel")), fork
    assert any(w in " ".join(by_name["huge_output"].notes) for w in ("cut off", "time limit"))
    assert "sys.exit" in " ".join(by_name["sys_exit"].notes) and score["sys_exit"] == 3.0
    assert "ended the Python kernel" in by_name["os_exit"].reason
    # the snooping submission saw no secret and wrote nowhere, so its answer stayed right
    assert score["snoop_and_write"] == 3.0

    assert tree_hashes(course, skip=outside) == before
    assert hashlib.sha256((REPO / "grading" / "nbgrader_config.py").read_bytes()).hexdigest() == config_before
    recorded = json.loads((course / "autograded" / OUTCOMES_FILE).read_text())[demo.ASSIGNMENT]
    assert set(recorded) == set(demo.SUBMISSIONS)
    autograded = course / "autograded"
    assert not list(autograded.rglob("written-by-learner.txt"))


def test_refuses_without_bubblewrap_unless_opted_out(demo_course, tmp_path, monkeypatch, capsys):
    course = fresh_course(demo_course, tmp_path, ["good"])
    monkeypatch.setenv("PATH", str(tmp_path))  # no bwrap on PATH
    with pytest.raises(SandboxError, match="--no-sandbox"):
        grade_cohort(course, [demo.ASSIGNMENT], db_url=db_url(course), progress=False)
    assert grade_main(["grade", "autograde", "--course-root", str(course), "--db-url", db_url(course)]) == 2
    assert "bubblewrap" in capsys.readouterr().err
    assert not (course / "autograded").exists()


def test_a_submission_past_the_wall_clock_limit_is_stopped_and_the_next_one_still_graded(demo_course, tmp_path):
    _bwrap_or_skip()
    course = fresh_course(demo_course, tmp_path, ["good", "infinite_loop", "wrong"])
    outcomes = grade_cohort(course, [demo.ASSIGNMENT], db_url=db_url(course), workers=1, cell_timeout=60,
                            wall_limit=25, progress=False)  # two kernels per submission (clean run)
    by_name = {o.student: o for o in outcomes}
    assert by_name["infinite_loop"].status == "failed" and "stopped after 25 s" in by_name["infinite_loop"].reason
    assert (by_name["good"].score, by_name["wrong"].score) == (3.0, 1.0)  # "wrong" ran on a fresh worker
    assert not (course / "autograded" / "infinite_loop").exists()


def test_stopping_autograde_stops_its_workers_and_their_kernels(demo_course, tmp_path):
    """SIGTERM to `course grade autograde` (a supervisor, `kill`) leaves no worker or kernel running."""
    _bwrap_or_skip()
    course = fresh_course(demo_course, tmp_path, ["infinite_loop"])
    run = subprocess.Popen(
        [sys.executable, "-m", "course", "grade", "autograde", demo.ASSIGNMENT, "--course-root", str(course),
         "--db-url", db_url(course), "--workers", "1", "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=nbgrader_env())
    deadline = time.monotonic() + 300
    while not any("ipykernel" in " ".join(p.cmdline()) for p in _tree(run.pid)):
        assert run.poll() is None and time.monotonic() < deadline, "the learner's kernel never started"
        time.sleep(0.5)
    survivors = stop_and_list_survivors(run)
    assert not survivors, f"stopping autograde left these running: {survivors}"


def _tree(pid: int) -> list:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
