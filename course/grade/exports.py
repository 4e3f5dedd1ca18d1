"""Exports: nbgrader's grades CSV, and a learner x module table for an LMS gradebook upload."""
from __future__ import annotations

import csv
from pathlib import Path

from nbgrader.api import Gradebook

from course.grade.gradebook import COURSE_ID, default_db_url
from course.nbgrader_tools import run_nbgrader
from course.paths import REPO


def export_grades_csv(target: Path, course_root: Path = REPO, db_url: str | None = None) -> Path:
    """nbgrader's own `nbgrader export` CSV (one row per learner and assignment)."""
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    run_nbgrader("export", f"--to={target}", root=Path(course_root).resolve(),
                 db_url=db_url or default_db_url(Path(course_root)))
    return target


def lms_table(db_url: str, percent: bool = False, policy=None) -> tuple[list[str], list[dict]]:
    """(columns, rows): one row per learner, one column per module, blank where nothing was handed in.

    Scores are nbgrader's: autograded plus manual grades, minus any late penalty. `late` lists the
    modules handed in after their due date (nbgrader's `duedate`) and the course late policy's grace
    (`course.grade.late_policy`; `policy` defaults to the course's).
    """
    from course.grade.late_policy import policy as course_policy

    policy = policy or course_policy()
    with Gradebook(db_url, COURSE_ID) as gb:
        assignments = sorted(a.name for a in gb.assignments)
        maxima = {a.name: a.max_score for a in gb.assignments}
        duedates = {a.name: a.duedate for a in gb.assignments}
        rows = []
        for student in sorted(gb.students, key=lambda s: s.id):
            row = {"student_id": student.id, "last_name": student.last_name or "",
                   "first_name": student.first_name or "", "email": student.email or "",
                   "lms_user_id": student.lms_user_id or ""}
            total, late = 0.0, []
            for name in assignments:
                try:
                    submission = gb.find_submission(name, student.id)
                except Exception:
                    row[name] = ""
                    continue
                if duedates[name] and submission.timestamp and policy.is_late(submission.total_seconds_late):
                    late.append(name)
                score = max(0.0, submission.score - (submission.late_submission_penalty or 0.0))
                total += score
                value = 100 * score / maxima[name] if percent and maxima[name] else score
                row[name] = round(value, 2)
            row["total"] = round(100 * total / sum(maxima.values()), 2) if percent and sum(maxima.values()) \
                else round(total, 2)
            row["late"] = " ".join(late)
            rows.append(row)
    columns = ["student_id", "last_name", "first_name", "email", "lms_user_id", *assignments, "total", "late"]
    return columns, rows


def export_lms_csv(target: Path, db_url: str, percent: bool = False, policy=None) -> Path:
    columns, rows = lms_table(db_url, percent, policy)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return target


class PendingManualGrades(RuntimeError):
    """Releasing or exporting now would show an unread answer as zero."""


def pending_manual_grades(db_url: str, modules: list[str] | None = None) -> dict[str, dict[str, list[str]]]:
    """{module: {learner: [question ids]}} of answers that still wait for a trainer's grade."""
    pending: dict[str, dict[str, list[str]]] = {}
    with Gradebook(db_url, COURSE_ID) as gb:
        for assignment in gb.assignments:
            if modules is not None and assignment.name not in modules:
                continue
            for submission in assignment.submissions:
                waiting = sorted(grade.name for nb in submission.notebooks for grade in nb.grades
                                 if grade.needs_manual_grade)
                if waiting:
                    pending.setdefault(assignment.name, {})[submission.student_id] = waiting
    return pending


def refuse_pending(db_url: str, modules: list[str] | None, action: str) -> None:
    """Raise PendingManualGrades naming each learner and question that still needs a human grade."""
    pending = pending_manual_grades(db_url, modules)
    if not pending:
        return
    lines = [f"  {module} / {learner}: {', '.join(questions)}"
             for module, learners in sorted(pending.items()) for learner, questions in sorted(learners.items())]
    count = sum(len(learners) for learners in pending.values())
    raise PendingManualGrades(
        f"not {action}: {count} submission(s) still wait for manual grading (they would show 0 for an "
        f"answer nobody has read):\n" + "\n".join(lines) +
        "\nGrade them in formgrader (Manual Grading), or add --allow-pending to go ahead anyway.")
