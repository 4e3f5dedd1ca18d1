"""Autograde a cohort in parallel, sandboxed, with progress, the same scores as `nbgrader autograde`.

Shape: one coordinator (this module) and N long-lived workers (`course.grade.worker`, one per
core). A worker grades one submission at a time with nbgrader's own `Autograde` in a private
scratch course and gradebook, so workers share nothing. The coordinator hands out jobs, kills
and replaces a worker that runs past the wall-clock limit or dies, and merges each finished
submission into the course gradebook and `autograded/` itself, one at a time (one writer).

Re-running is idempotent: `autograded/grading-outcomes.json` keeps, per submission, a fingerprint
of its files, the source notebook and the grading settings; an unchanged submission is skipped
(`--force` regrades it). Every submission gets an outcome there: a score, or a reason.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook

from course.grade import gradebook
from course.grade.sandbox import Limits, check_bwrap
from course.paths import REPO, module_names
from course.nbgrader_tools import nbgrader_env

OUTCOMES_FILE = "grading-outcomes.json"
GRADER_VERSION = "clean-run/1"   # a new way of grading regrades every submission once


class GradingError(RuntimeError):
    """The run cannot start (no sandbox, an assignment not in the gradebook...)."""


@dataclass
class Outcome:
    module: str
    student: str
    status: str                 # graded | unchanged | failed | skipped
    score: float | None = None
    max_score: float | None = None
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    fingerprint: str = ""
    clean_seconds: float = 0.0   # of `seconds`, the clean run (course.grade.cleanroom)


@dataclass
class Job:
    module: str
    student: str
    folder: Path
    fingerprint: str = ""


def safe_name(name: str) -> str:
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def find_submissions(course_root: Path, modules: list[str], students: list[str] | None
                     ) -> tuple[list[Job], list[Outcome]]:
    """submitted/<student>/<module>/ folders to grade, and outcomes for folders that cannot be."""
    jobs, refused = [], []
    submitted = course_root / "submitted"
    if not submitted.is_dir():
        return jobs, refused
    for folder in sorted(submitted.iterdir(), key=lambda p: safe_name(p.name)):
        if not folder.is_dir() or folder.name.startswith("."):
            continue
        student = folder.name
        if students and student not in students:
            continue
        try:
            student.encode("utf-8")
        except UnicodeEncodeError:
            refused.append(Outcome("*", safe_name(student), "skipped",
                                   reason=f"folder submitted/{safe_name(student)} has a name that is not valid "
                                          "UTF-8; rename it to the learner's id and grade again"))
            continue
        for module in modules:
            if (folder / module).is_dir():
                jobs.append(Job(module, student, folder / module))
    return jobs, refused


def fingerprint(folder: Path, source: Path, settings: dict) -> str:
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    for base in (folder, source):
        for path in sorted(p for p in base.rglob("*") if p.is_file() and not p.is_symlink()):
            digest.update(os.fsencode(path.relative_to(base)))
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def load_outcomes(course_root: Path) -> dict[str, dict[str, dict]]:
    path = course_root / "autograded" / OUTCOMES_FILE
    return json.loads(path.read_text()) if path.exists() else {}


def _save_outcomes(course_root: Path, outcomes: dict) -> None:
    path = course_root / "autograded" / OUTCOMES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(outcomes, indent=1, sort_keys=True))
    tmp.replace(path)


class Worker:
    """One `python -m course.grade.worker` process; replaced when it dies or overruns."""

    def __init__(self, slot: int, log_dir: Path):
        self.slot = slot
        self.log_path = log_dir / f"worker-{slot}.log"
        self.proc: subprocess.Popen | None = None
        self.replies: queue.Queue = queue.Queue()

    def start(self) -> None:
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "course.grade.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=log, env=nbgrader_env(), start_new_session=True, text=True, bufsize=1,
        )
        log.close()
        self.replies = queue.Queue()
        threading.Thread(target=self._read, args=(self.proc, self.replies), daemon=True).start()

    @staticmethod
    def _read(proc, replies) -> None:
        for line in proc.stdout:
            replies.put(line)
        replies.put(None)

    def run(self, job: dict, wall_limit: float) -> dict:
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        try:
            line = self.replies.get(timeout=wall_limit)
        except queue.Empty:
            self.stop()
            return {"status": "failed", "notes": [],
                    "reason": f"stopped after {wall_limit:.0f} s, the limit for one submission"}
        if line is None:
            self.stop()
            return {"status": "failed", "notes": [], "reason": "the grading worker crashed on this submission"}
        return json.loads(line)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 9)
            except ProcessLookupError:
                pass
            self.proc.wait()
        self.proc = None


def grade_cohort(
    course_root: Path = REPO,
    modules: list[str] | None = None,
    students: list[str] | None = None,
    db_url: str | None = None,
    workers: int | None = None,
    sandbox: bool = True,
    limits: Limits = Limits(),
    cell_timeout: int | None = None,
    wall_limit: float | None = None,
    force: bool = False,
    progress: bool = True,
    config_file: Path | None = None,
) -> list[Outcome]:
    """Autograde every submission in `course_root/submitted/`; return one outcome per submission."""
    course_root = Path(course_root).resolve()
    db_url = db_url or gradebook.default_db_url(course_root)
    if not modules:  # every module someone handed in
        modules = [m for m in module_names(course_root / "modules")
                   if any((course_root / "submitted").glob(f"*/{m}"))]
    workers = max(1, workers or os.cpu_count() or 1)
    config_file = config_file or (course_root / "grading" / "nbgrader_config.py")
    if not config_file.exists():
        config_file = REPO / "grading" / "nbgrader_config.py"
    if sandbox:
        check_bwrap()
    missing = [m for m in modules if not gradebook.has_assignment(db_url, m)]
    if missing:
        raise GradingError(f"not in the gradebook yet: {', '.join(missing)}; run `course build "
                           f"{' '.join(missing)}` (nbgrader generate_assignment) first")

    (course_root / "autograded").mkdir(exist_ok=True)
    with open(course_root / "autograded" / ".grading.lock", "w") as lock, _stopped_by_sigterm():
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise GradingError("another `course grade autograde` is running on this course; wait for it") from None
        return _grade_locked(course_root, modules, students, db_url, workers, sandbox, limits,
                             cell_timeout, wall_limit, force, progress, config_file)


@contextlib.contextmanager
def _stopped_by_sigterm():
    """SIGTERM (a supervisor, `kill`) ends the run like Ctrl+C: cleanup runs and stops every worker."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise KeyboardInterrupt(f"stopped by signal {signum}")

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _grade_locked(course_root, modules, students, db_url, workers, sandbox, limits, cell_timeout,
                  wall_limit, force, progress, config_file) -> list[Outcome]:
    settings = {"grader": GRADER_VERSION, "sandbox": sandbox, "limits": limits.as_dict(), "cell_timeout": cell_timeout,
                "config": hashlib.sha256(config_file.read_bytes()).hexdigest()}
    jobs, refused = find_submissions(course_root, modules, students)
    ledger = load_outcomes(course_root)
    results: list[Outcome] = list(refused)
    todo = []
    for job in jobs:
        job.fingerprint = fingerprint(job.folder, course_root / "modules" / job.module,
                                      {**settings, "widget_record": _record_digest(course_root, job)})
        before = ledger.get(job.module, {}).get(job.student)
        if (not force and before and before.get("fingerprint") == job.fingerprint
                and (before["status"] != "graded" or (course_root / "autograded" / job.student / job.module).exists())):
            results.append(Outcome(**{**before, "status": "unchanged" if before["status"] == "graded" else before["status"]}))
        else:
            todo.append(job)
    if not todo:
        return results

    scratch = Path(tempfile.mkdtemp(prefix="course-grade-"))
    main_gradebook = None
    try:
        jobs_queue: queue.Queue = queue.Queue()
        for index, job in enumerate(todo):
            jobs_queue.put((index, job))
        done: queue.Queue = queue.Queue()
        templates: dict = {}
        templates_ready = threading.Event()
        workers_started: list[Worker] = []  # stopped here too: a stopped run leaves no worker behind
        per_job_limit = wall_limit or max(300.0, 10.0 * (cell_timeout or 120))

        def serve(slot: int) -> None:
            worker = Worker(slot, scratch)
            workers_started.append(worker)
            worker.start()  # workers import nbgrader while the templates are built
            templates_ready.wait()
            try:
                while True:
                    try:
                        index, job = jobs_queue.get_nowait()
                    except queue.Empty:
                        return
                    template, notebooks = templates[job.module]
                    message = {
                        "id": index, "module": job.module, "student": job.student,
                        "submission_dir": str(job.folder),
                        "source_dir": str(course_root / "modules" / job.module),
                        "scratch": str(scratch / f"w{slot}" / f"j{index}"),
                        "template_db": str(template), "notebooks": notebooks,
                        "config_file": str(config_file), "cell_timeout": cell_timeout,
                        "keep_files": [f"{job.module}.answers.json"], "course_root": str(course_root),
                        "limits": limits.as_dict(), "sandbox": sandbox, "slot": slot,
                    }
                    started = time.monotonic()
                    try:
                        reply = worker.run(message, per_job_limit)
                    except Exception as error:  # never leave the coordinator waiting
                        worker.stop()
                        reply = {"status": "failed", "notes": [], "reason": f"grader error: {error}"}
                    reply.setdefault("seconds", time.monotonic() - started)
                    reply["scratch"] = message["scratch"]
                    done.put((job, reply))
            finally:
                worker.stop()

        threads = [threading.Thread(target=serve, args=(slot,), daemon=True)
                   for slot in range(min(workers, len(todo)))]
        for thread in threads:
            thread.start()
        for module in {job.module for job in todo}:
            template = scratch / f"template-{module}.db"
            gradebook.copy_assignment(db_url, f"sqlite:///{template}", module, new=True)
            templates[module] = (template, gradebook.assignment_notebooks(db_url, module))
        templates_ready.set()
        main_gradebook = Gradebook(db_url, gradebook.COURSE_ID)  # the one writer of this run

        bar = _progress(len(todo), progress)
        failed, saved = 0, time.monotonic()
        for _ in range(len(todo)):
            job, reply = done.get()
            outcome = _merge(course_root, main_gradebook, job, reply)
            shutil.rmtree(reply["scratch"], ignore_errors=True)
            results.append(outcome)
            ledger.setdefault(job.module, {})[job.student] = asdict(outcome)
            if time.monotonic() - saved > 2:  # an interrupted run keeps what it merged
                _save_outcomes(course_root, ledger)
                saved = time.monotonic()
            failed += outcome.status != "graded"
            bar.set_postfix_str(f"{failed} not graded" if failed else "", refresh=False)
            bar.update(1)
        bar.close()
        _save_outcomes(course_root, ledger)
        for thread in threads:
            thread.join()
    finally:
        templates_ready.set()
        for worker in workers_started:
            worker.stop()
        if main_gradebook is not None:
            main_gradebook.close()
        shutil.rmtree(scratch, ignore_errors=True)
    return results


def _record_digest(course_root: Path, job: Job) -> str | None:
    """The hub's widget record for this submission (course.grade.widget_records), as a digest:
    a new record regrades the submission."""
    from course.grade.widget_records import record_path

    path = record_path(course_root, job.student, job.module)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() and not path.is_symlink() else None


def _merge(course_root: Path, main_gradebook, job: Job, reply: dict) -> Outcome:
    outcome = Outcome(job.module, job.student, reply.get("status", "failed"), reason=reply.get("reason", ""),
                      notes=reply.get("notes", []), seconds=round(reply.get("seconds", 0.0), 2),
                      clean_seconds=round(reply.get("clean_seconds", 0.0), 2),
                      fingerprint=job.fingerprint)
    if outcome.status == "graded":
        try:
            target = course_root / "autograded" / job.student / job.module
            outcome.score, outcome.max_score = gradebook.merge_submission(
                main_gradebook, job.module, job.student, reply["graded"],
                unchanged=gradebook.unchanged_answers(target, Path(reply["autograded"])))
            if target.exists():
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(reply["autograded"], target, symlinks=True)
        except Exception as error:  # a merge problem is this submission's outcome, not the run's
            main_gradebook.db.rollback()
            outcome.status, outcome.reason = "failed", f"could not record the grades: {error}"
    return outcome


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="nb", desc="autograde", file=sys.stderr, disable=not enabled,
                smoothing=0.1, dynamic_ncols=True)
