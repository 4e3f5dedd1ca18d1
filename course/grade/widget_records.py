"""The widget answers the clean grading run reads: the learner's answers file, checked against the hub.

On a hub, a service records every widget answer as the learner gives it, in
`<course root>/widget-records/<learner>/<module>.answers.json` (the same "coaching-lab-answers/1"
format as `course.answers`). When that record exists it is the truth: for each question whose
final answer in the learner's file differs from the record's (compared in canonical form), or
that only one of them has, the record's entry is graded and the outcome says which question.
With no record (self-paced use, or no hub service) the learner's file is graded alone.

`count` is the course setting `c.CoachingLabGrading.widget_answers` in grading/nbgrader_config.py:
"final" (default) grades each widget's final answer; "first_attempt" grades the first answer
given (the first wrong answer if there was one, else the final answer).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from course.answers import FORMAT, QUESTION_ID, canonical_json

RECORDS = "widget-records"
COUNTS = ("final", "first_attempt")


def record_path(course_root: Path, learner: str, module: str) -> Path:
    return Path(course_root) / RECORDS / learner / f"{module}.answers.json"


def _questions(path: Path) -> tuple[dict[str, dict] | None, str | None]:
    """(entries with an 'answer', a problem with the file) — None, None when there is no file."""
    if not path.is_file() or path.is_symlink():
        return None, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, OSError, RecursionError) as error:
        return {}, f"{path.name} cannot be read ({type(error).__name__})"
    if not isinstance(data, dict) or not isinstance(data.get("questions"), dict):
        return {}, f"{path.name} has no \"questions\" object"
    good = {q: e for q, e in data["questions"].items()
            if isinstance(q, str) and QUESTION_ID.match(q) and isinstance(e, dict) and "answer" in e}
    return good, None


def _same(a: Any, b: Any) -> bool:
    try:
        return canonical_json(a) == canonical_json(b)
    except (TypeError, ValueError, RecursionError):
        return False


def _counted(entry: dict, count: str) -> dict:
    if count == "first_attempt":
        wrong = entry.get("wrong_answers")
        if isinstance(wrong, list) and wrong:
            return {**entry, "answer": wrong[0], "correct": False}
    return entry


def answers_to_grade(submitted: Path, record: Path, module: str, count: str = "final"
                     ) -> tuple[bytes | None, list[str]]:
    """(the answers file the clean run reads — None for none —, notes for the outcome)."""
    if count not in COUNTS:
        raise ValueError(f"widget_answers must be one of {', '.join(COUNTS)}, not {count!r}")
    usable = submitted.is_file() and not submitted.is_symlink()
    truth, problem = _questions(record)
    notes = []
    if truth is None:  # self-paced: the learner's file alone
        if not usable:
            return None, notes
        if count == "final":  # as handed in, byte for byte: the widgets report any damage
            return submitted.read_bytes(), notes
        questions = {q: _counted(e, count) for q, e in (_questions(submitted)[0] or {}).items()}
    else:
        if problem:
            notes.append(f"the hub's widget record is damaged ({problem}); every widget answer counts as not given")
        mine = (_questions(submitted)[0] if usable else None) or {}
        questions = {}
        for question in sorted(set(mine) | set(truth)):
            if question in truth:
                questions[question] = _counted(truth[question], count)
            if question not in truth:
                notes.append(f"widget {question}: the answers file has an answer the hub never recorded; "
                             "it earns nothing")
            elif question not in mine or not _same(mine[question]["answer"], truth[question]["answer"]):
                notes.append(f"widget {question}: the answers file disagrees with the hub's record; "
                             "the recorded answer is graded")
    data = {"format": FORMAT, "module": module, "questions": questions}
    return json.dumps(data, indent=1, ensure_ascii=False).encode(), notes
