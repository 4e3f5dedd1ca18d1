"""Widget answers shown as text: the trainer (formgrader) and the learner (feedback) see what was graded.

A widget cell's output is a live widget view: with no kernel behind it, formgrader and the
feedback page show an empty `Out[n]:`. `ShowWidgetAnswers` runs in nbgrader's autograde right
after the notebook is executed. For each cell showing a course exercise (its view's saved state
carries the class `cl-q-<question id>`), it puts in place of the view the answer that grading
counts — the same answers file the hidden tests read: the learner's `<module>.answers.json`,
checked against the hub's widget record when there is one (`course.grade.widget_records`), with
the course's `widget_answers` setting — and whether it matches the answer key
(`grading/answer_key/widgets/<module>.json`, never shown). Text is escaped; the feedback's own
cleaning runs on it again.

`configure(c)` puts it in `c.Autograde.autograde_preprocessors`; `grading/nbgrader_config.py`
calls it. `c.ShowWidgetAnswers.course_root` names the course folder holding `widget-records/`
and the answer key when nbgrader runs in another folder (the parallel grader's scratch course).
"""
from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from course.answers import canonical_json
from course.grade import widget_records

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
CLASS_PREFIX = "cl-q-"
MARK = "cl-graded-answer"  # the class of the shown answer, for tests and styling


def _dig(value: Any, *keys: str) -> Any:
    """value[k1][k2]…, or {} where a level is missing or not a dict."""
    for key in keys:
        value = value.get(key, {}) if isinstance(value, dict) else {}
    return value


def question_of(out: dict, states: dict) -> str | None:
    """The question id of the course exercise a widget-view output shows, if it is one."""
    model = _dig(out, "data", WIDGET_VIEW, "model_id")
    classes = _dig(states, model, "state", "_dom_classes") if isinstance(model, str) else []
    classes = classes if isinstance(classes, list) else []
    found = [c[len(CLASS_PREFIX):] for c in classes if isinstance(c, str) and c.startswith(CLASS_PREFIX)]
    return found[0] if len(found) == 1 else None


def as_text(answer: Any) -> str:
    """An answer as a person reads it: options as written, a sorting one line per item."""
    if isinstance(answer, dict):
        return "\n".join(f"{key} → {value}" for key, value in answer.items())
    if isinstance(answer, list):
        return "\n".join(f"- {item}" for item in answer)
    if isinstance(answer, bool):
        return "True" if answer else "False"
    return str(answer)


def _same(a: Any, b: Any) -> bool:
    try:
        return canonical_json(a) == canonical_json(b)
    except (TypeError, ValueError, RecursionError):
        return False


def answer_output(question: str, entry: dict | None, key: dict, from_record: bool) -> NotebookNode:
    """The output that stands in for the widget: the graded answer, and whether it is right."""
    where = "the hub's record of your answers" if from_record else "your answers file"
    if entry is None:
        lines = [f"Your answer to {question}: none was recorded, so it was graded as not answered."]
    else:
        verdict = ""
        if question in key:
            verdict = "right" if _same(entry.get("answer"), key[question]) else "not right"
        lines = [f"Your answer to {question}, as graded (from {where}):", as_text(entry.get("answer"))]
        if verdict:
            lines.append(f"Graded as: {verdict}")
    text = "\n".join(lines)
    markup = (f'<div class="{MARK}" data-question="{html.escape(question)}">'
              f'<pre style="white-space:pre-wrap">{html.escape(text)}</pre></div>')
    return NotebookNode(output_type="display_data", metadata={},
                        data={"text/plain": text, "text/html": markup})


def show_answers(nb: NotebookNode, graded: bytes | None, key: dict, from_record: bool) -> list[str]:
    """Replace each exercise view in `nb` by the graded answer; return the questions shown."""
    states = _dig(nb.get("metadata"), "widgets", WIDGET_STATE, "state")  # the learner's kernel made it: any shape
    try:
        questions = json.loads(graded)["questions"] if graded else {}
    except (ValueError, KeyError, TypeError):
        questions = {}
    shown = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs, answered_here = [], False
        for out in cell.get("outputs", []):
            question = question_of(out, states) if isinstance(states, dict) else None
            if question is None:
                outputs.append(out)
                continue
            entry = questions.get(question) if isinstance(questions, dict) else None
            outputs.append(answer_output(question, entry if isinstance(entry, dict) else None, key, from_record))
            shown.append(question)
            answered_here = True
        if answered_here:  # "run the notebook to use this exercise" means nothing in a graded copy
            outputs = [out for out in outputs if not _is_run_prompt(out)]
        cell.outputs = outputs
    return shown


def _is_run_prompt(out: dict) -> bool:
    """The line a widget shows above itself until it is drawn (course.widgets.RUN_PROMPT)."""
    html = _dig(out, "data", "text/html")
    return isinstance(html, (str, list)) and "cl-run-prompt" in "".join(html)


def _answer_key(course_root: Path, module: str) -> dict:
    path = course_root / "grading" / "answer_key" / "widgets" / f"{module}.json"
    try:
        key = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return key if isinstance(key, dict) else {}


class ShowWidgetAnswers(NbGraderPreprocessor):
    """Preprocessor (autograde, after Execute): each exercise's view becomes the graded answer as text."""

    course_root = Unicode("", help="The course folder with widget-records/ and the answer key "
                                   "(default: nbgrader's course root)").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader", {})
        folder = resources.get("metadata", {}).get("path")
        module, student = info.get("assignment"), info.get("student")
        if not (folder and module and student):
            return nb, resources
        root = Path(self.course_root or self._nbgrader_root() or ".")
        record = widget_records.record_path(root, student, module)
        count = self.config.CoachingLabGrading.get("widget_answers", "final")
        graded, _ = widget_records.answers_to_grade(Path(folder) / f"{module}.answers.json", record, module, count)
        from_record = record.is_file() and not record.is_symlink()
        show_answers(nb, graded, _answer_key(root, module), from_record)
        return nb, resources

    def _nbgrader_root(self) -> str:
        converter = getattr(self.parent, "parent", None)
        coursedir = getattr(converter, "coursedir", None)
        return getattr(coursedir, "root", "") or ""


def configure(c) -> None:
    """Put `ShowWidgetAnswers` right after Execute in nbgrader's autograde steps."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute

    default = Autograde.class_traits()["autograde_preprocessors"].default()
    steps = list(c.Autograde.autograde_preprocessors if "autograde_preprocessors" in c.Autograde else default)
    steps = [step for step in steps if step is not ShowWidgetAnswers]
    steps.insert(steps.index(Execute) + 1 if Execute in steps else 0, ShowWidgetAnswers)
    c.Autograde.autograde_preprocessors = steps
