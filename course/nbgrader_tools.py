"""Run nbgrader on the course (or on a copy of it) and read its gradebook."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from course.paths import GRADING, REPO


class NbgraderError(RuntimeError):
    """nbgrader exited with an error; the message carries its log."""


def nbgrader_env() -> dict[str, str]:
    """The environment nbgrader needs: this Python's bin/ on PATH (nbgrader calls `alembic`)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def run_nbgrader(*args: str, root: Path = REPO, db_url: str | None = None) -> str:
    """Run `nbgrader ARGS` with the course config on the course at `root`; return its log."""
    command = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={root}"]
    if db_url:
        command.append(f"--CourseDirectory.db_url={db_url}")
    config_folder = Path(root) / "grading"  # the course's own nbgrader_config.py
    result = subprocess.run(
        command, cwd=config_folder if config_folder.is_dir() else GRADING, env=nbgrader_env(),
        capture_output=True, text=True,
    )
    log = result.stdout + result.stderr
    if result.returncode != 0:
        raise NbgraderError(f"`nbgrader {' '.join(args)}` failed (exit {result.returncode}):\n{log}")
    return log


def autograded_scores(db_url: str, assignment: str) -> dict[str, dict[str, tuple[float, float]]]:
    """{student: {grade_id: (score, max score)}} for every autograded test cell of an assignment."""
    from nbgrader.api import Gradebook

    scores: dict[str, dict[str, tuple[float, float]]] = {}
    with Gradebook(db_url) as gradebook:
        for submission in gradebook.assignment_submissions(assignment):
            cells = scores.setdefault(submission.student_id, {})
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.auto_score is not None:
                        cells[grade.name] = (grade.auto_score, grade.max_score)
    return scores
