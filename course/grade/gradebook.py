"""Move assignments and autograde results between nbgrader gradebooks.

Each submission is autograded by nbgrader against a private sqlite gradebook holding only its
assignment (`copy_assignment`); the coordinator then copies the results into the course
gradebook (`merge_submission`), one submission at a time from one process: a single writer,
so sqlite never sees two writers and PostgreSQL sees short transactions.
"""
from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from course.paths import GRADING

COURSE_ID = "coaching-lab"


def default_db_url(course_root=None) -> str:
    """The course gradebook: NBGRADER_DB_URL, else sqlite grading/gradebook.db under the course."""
    root_grading = GRADING if course_root is None else course_root / "grading"
    return os.environ.get("NBGRADER_DB_URL") or f"sqlite:///{root_grading / 'gradebook.db'}"


def has_assignment(db_url: str, name: str) -> bool:
    with Gradebook(db_url, COURSE_ID) as gb:
        try:
            gb.find_assignment(name)
            return True
        except MissingEntry:
            return False


def assignment_notebooks(db_url: str, name: str) -> dict[str, dict[str, float]]:
    """{notebook: {grade_id: max score}} of an assignment's autograded (code) grade cells."""
    with Gradebook(db_url, COURSE_ID) as gb:
        return {
            nb.name: {c.name: c.max_score for c in nb.grade_cells if c.cell_type == "code"}
            for nb in gb.find_assignment(name).notebooks
        }


def _create_like(src_url: str, dst_url: str) -> None:
    """An empty gradebook at dst_url with src_url's schema version, without nbgrader's slow
    `alembic heads` subprocess (nbgrader runs it for every new gradebook)."""
    from nbgrader.api import Base
    from sqlalchemy import create_engine, text

    source = create_engine(src_url)
    with source.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    source.dispose()
    target = create_engine(dst_url)
    Base.metadata.create_all(bind=target)
    with target.begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        connection.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": version})
    target.dispose()


def copy_assignment(src_url: str, dst_url: str, name: str, new: bool = False) -> None:
    """Copy an assignment's definition (notebooks, cells, checksums, due date) between gradebooks.

    `new`: dst_url does not exist yet; create it quickly with the source's schema version.
    """
    if new:
        _create_like(src_url, dst_url)
    with Gradebook(src_url, COURSE_ID) as src, Gradebook(dst_url, COURSE_ID) as dst:
        assignment = src.find_assignment(name)
        dst.update_or_create_assignment(name, duedate=assignment.duedate)
        for nb in assignment.notebooks:
            dst.update_or_create_notebook(nb.name, name, kernelspec=nb.kernelspec)
            for c in nb.grade_cells:
                dst.update_or_create_grade_cell(c.name, nb.name, name, max_score=c.max_score, cell_type=c.cell_type)
            for c in nb.solution_cells:
                dst.update_or_create_solution_cell(c.name, nb.name, name)
            for c in nb.task_cells:
                dst.update_or_create_task_cell(c.name, nb.name, name, max_score=c.max_score, cell_type=c.cell_type)
            for c in nb.source_cells:
                dst.update_or_create_source_cell(c.name, nb.name, name, cell_type=c.cell_type,
                                                 locked=c.locked, source=c.source, checksum=c.checksum)


def read_submission(db_url: str, assignment: str, student: str) -> dict:
    """What nbgrader's autograde wrote for one submission, as plain JSON-able data."""
    with Gradebook(db_url, COURSE_ID) as gb:
        graded = gb.find_submission(assignment, student)
        return {
            "timestamp": graded.timestamp.isoformat() if graded.timestamp else None,
            "notebooks": {
                nb.name: {
                    "late_submission_penalty": nb.late_submission_penalty,
                    "grades": {g.name: {"auto_score": g.auto_score, "needs_manual_grade": g.needs_manual_grade,
                                        "max_score": g.max_score, "code": g.cell.cell_type == "code"}
                               for g in nb.grades},
                    "comments": {c.name: c.auto_comment for c in nb.comments},
                }
                for nb in graded.notebooks
            },
        }


def _answer_cells(path: Path) -> dict[str, dict]:
    """{grade_id: cell} of a notebook's nbgrader cells, read as plain JSON; {} if unreadable."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        return {c["metadata"]["nbgrader"]["grade_id"]: c for c in cells
                if isinstance(c.get("metadata", {}).get("nbgrader", {}).get("grade_id"), str)}
    except (OSError, ValueError, AttributeError, TypeError, KeyError):
        return {}


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def unchanged_answers(before: Path, after: Path) -> dict[str, set[str]]:
    """{notebook: grade ids} whose learner answer is the same in two autograded folders.

    A graded answer cell (an essay) is unchanged when its own text is; a test cell when every
    answer cell of the notebook is. A trainer's manual grade of an unchanged answer still stands.
    """
    same: dict[str, set[str]] = {}
    for path in Path(after).glob("*.ipynb"):
        old, new = _answer_cells(Path(before) / path.name), _answer_cells(path)
        answers = [g for g, c in new.items() if c["metadata"]["nbgrader"].get("solution")]
        all_same = all(g in old and _source(old[g]) == _source(new[g]) for g in answers)
        same[path.stem] = {
            g for g, c in new.items() if c["metadata"]["nbgrader"].get("grade") and g in old
            and (_source(old[g]) == _source(c) if c["metadata"]["nbgrader"].get("solution") else all_same)
        }
    return same


def merge_submission(dst: Gradebook, assignment: str, student: str, graded: dict,
                     unchanged: dict[str, set[str]] | None = None) -> tuple[float, float]:
    """Record `read_submission`'s data in the course gradebook; keep the trainer's manual grades.

    `unchanged` ({notebook: grade ids}, see `unchanged_answers`): answers the learner did not change
    since the last autograde; a manual grade of one stays as the trainer left it (graded, or waiting).
    A manual grade of a changed answer is kept and flagged for a new look, as nbgrader does.
    Returns (autograded score, autograded max score).
    """
    unchanged = unchanged or {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbgrader's own add_submission trips SQLAlchemy warnings
        try:
            dst.find_student(student)
        except MissingEntry:
            dst.add_student(student)
        if graded["timestamp"]:
            dst.update_or_create_submission(assignment, student, timestamp=graded["timestamp"])
        else:
            dst.update_or_create_submission(assignment, student)
        score = max_score = 0.0
        for name, nb in graded["notebooks"].items():
            target = dst.find_submission_notebook(name, assignment, student)
            target.late_submission_penalty = nb["late_submission_penalty"]
            for cell, grade in nb["grades"].items():
                into = dst.find_grade(cell, name, assignment, student)
                into.auto_score = grade["auto_score"]
                trainer_graded = into.manual_score is not None
                if not (trainer_graded and cell in unchanged.get(name, ())):
                    # as nbgrader's SaveAutoGrades: a manual grade, or no auto score, needs a human look
                    into.needs_manual_grade = grade["needs_manual_grade"] or trainer_graded
                if grade["code"]:
                    score += grade["auto_score"] or 0.0
                    max_score += grade["max_score"]
            for cell, comment in nb["comments"].items():
                dst.find_comment(cell, name, assignment, student).auto_comment = comment
        dst.db.commit()
    return score, max_score
