"""Help that never leaves a self-paced learner stuck: model answers, after a real try.

A self-paced learner cloned the course, so the source notebooks (with the model answers) are
on their machine anyway, under `course.paths.MODULES`. There, `q1.solution()` shows the model
answer once the learner has checked an answer a few times (or says they want it now), and
`course.self_assess()` turns each question graded by a trainer into a checklist from its
rubric plus the model answer, once the learner has written (and saved) an answer.

In a cohort the course package is installed without its sources: nothing here can read a
model answer, and the learner is told that the trainer holds them.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from course import paths
from course.errors import grading

TRIES_BEFORE_SOLUTION = 2
COHORT = ("Model answers are with your trainer in this course: they are shared after grading. "
          "Try the hint (`.hint()`), or ask your trainer or a fellow learner.")
SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
MODEL_ANSWER_NOTE = re.compile(r"^\s*\*Model answer \(.*?\)\.?\*\s*", re.S)
NBGRADER_PLACEHOLDER = "YOUR ANSWER HERE"


def source_notebook(module: str, modules: Path | None = None) -> Path | None:
    """The source notebook of `module` (`NN-slug`, or its number `NN` / `NNa`) when it is on this machine."""
    folder = Path(modules or paths.MODULES)
    try:
        candidates = sorted(folder.glob(f"{module}-*/")) if "-" not in module else [folder / module]
    except OSError:
        return None
    for candidate in candidates:
        notebook = candidate / f"{candidate.name}.ipynb"
        try:
            with notebook.open("rb"):
                return notebook
        except OSError:
            continue
    return None


def _read(path: Path):
    import nbformat

    return nbformat.read(path, as_version=4)


def _grade_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def model_answer_code(module: str, variable: str, modules: Path | None = None) -> str | None:
    """The solution code that sets `variable` in the module's source notebook, or None."""
    path = source_notebook(module, modules)
    if path is None:
        return None
    assigns = re.compile(rf"^\s*{re.escape(variable)}\s*=", re.M)
    for cell in _read(path).cells:
        if cell.cell_type == "code" and _grade_meta(cell).get("solution"):
            if SOLUTION_REGION.search(cell.source) and assigns.search(cell.source):
                return _model_answer(cell.source)
    return None


PLACEHOLDER = re.compile(r"^\s*[\w, ]+=\s*\.\.\.\s*$")  # `answer = ...`, kept in the release


def _model_answer(source: str) -> str:
    """The answer cell as the model answer: the solution in place of the placeholder or the template
    with blanks, and the lines after it (a template's cell often finishes the answer itself)."""
    return "\n".join(
        line for line in source.splitlines()
        if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line
        and "___" not in line and not PLACEHOLDER.match(line)
    ).strip()


def show_solution(exercise: Any, confirm: bool = False) -> None:
    """Print an exercise's model answer if the learner has tried (or confirms), in a self-paced course."""
    if grading():
        return
    module = module_of(exercise.question_id)
    if not module or source_notebook(module) is None:
        print(f"🔒 {COHORT}")
        return
    if exercise.attempts < TRIES_BEFORE_SOLUTION and not exercise.solved and not confirm:
        tried = {0: "not checked an answer yet", 1: "checked one answer"}.get(exercise.attempts, "")
        print(f"🙂 You have {tried}. Give it a real try first: write your answer, run it, run the check, "
              f"and try `.hint()`. After {TRIES_BEFORE_SOLUTION} checks the model answer is here; to see it "
              "now, run `.solution(confirm=True)`.")
        return
    code = model_answer_code(module, exercise.variable)
    if code is None:
        print(f"No model answer for `{exercise.variable}` was found in the course's source notebook.")
        return
    print(f"📖 One model answer for `{exercise.variable}` (other ways can be right too). Type it in "
          "yourself rather than pasting it, run it, then run the check:\n")
    print(code)


# --------------------------------------------------------------------------- hand-graded questions
def _rubric(markdown: str) -> list[str]:
    """The rubric's points from a question's text: numbered or bulleted lines after "Rubric", or its
    sentence in brackets ("(Rubric: ...)")."""
    inline = re.search(r"\(Rubric: (.*?)\)\s*$", markdown, re.S)
    if inline:
        return [" ".join(inline.group(1).split())]
    parts = re.split(r"\*\*Rubric\*\*[^\n]*\n", markdown, maxsplit=1)
    if len(parts) < 2:
        return []
    items: list[str] = []
    for line in parts[1].splitlines():
        start = re.match(r"^\s*(?:\d+\.|[-*])\s+(.*)$", line)
        if start:
            items.append(start.group(1).strip())
        elif items and line.strip():
            items[-1] += " " + line.strip()
    return [item.replace("*", "") for item in items]


def hand_graded_questions(nb) -> list[tuple[str, str, str]]:
    """(grade_id, question text, answer text) of each question a trainer grades by hand."""
    found = []
    for index, cell in enumerate(nb.cells):
        meta = _grade_meta(cell)
        if cell.cell_type == "markdown" and meta.get("grade") and meta.get("solution"):
            question = next((c.source for c in reversed(nb.cells[:index]) if c.cell_type == "markdown"
                             and not _grade_meta(c).get("solution")), "")
            found.append((meta["grade_id"], question, cell.source))
    return found


def _written(text: str) -> bool:
    words = text.replace(NBGRADER_PLACEHOLDER, "").strip()
    return len(words.split()) >= 5


def module_of(question_id: str) -> str:
    """The module number (`"00"`, `"00a"`) in a question id such as `m00_team_size`, or ""."""
    number = re.match(r"^m(\d\d[a-z]?)_", question_id)
    return number.group(1) if number else ""


def self_paced(module: str) -> bool:
    """True when the source notebook of `module` is on this machine (a self-paced clone)."""
    return bool(module) and not grading() and source_notebook(module) is not None


def self_assess(grade_id: str | None = None, notebook: Path | None = None, modules: Path | None = None) -> None:
    """For each question graded by your trainer in this notebook (or just `grade_id`): once you have
    written an answer and saved the notebook, the rubric as a checklist and the model answer."""
    from course.answers import module_name

    if grading():  # a graded notebook (and the feedback made from it) shows no model answer
        return
    mine = Path(notebook) if notebook else Path.cwd() / f"{module_name()}.ipynb"
    source = source_notebook(mine.stem, modules)
    if source is None:
        print("🔒 Your trainer grades these answers with the rubric in each question and shares the model "
              "answers after grading.")
        return
    try:
        written = {gid: text for gid, _, text in hand_graded_questions(_read(mine))}
    except (OSError, ValueError) as error:
        print(f"Could not read your notebook {mine.name} ({error}). Save it (Ctrl+S) and run this again.")
        return
    questions = [q for q in hand_graded_questions(_read(source)) if grade_id in (None, q[0])]
    if not questions:
        print(f"No question graded by a trainer{f' called {grade_id!r}' if grade_id else ''} in {mine.stem}.")
    for gid, question, model in questions:
        title = next((line.lstrip("# ").strip() for line in question.splitlines() if line.startswith("#")), gid)
        if not _written(written.get(gid, "")):
            print(f"✍️ {title}: write your answer in its cell and save the notebook (Ctrl+S), then run this "
                  "again to compare it with the rubric and a model answer.\n")
            continue
        print(f"📝 {title}: check your answer against the rubric your trainer would use.")
        for item in _rubric(question) or ["(this question states no rubric: compare with the model answer)"]:
            print(f"   ☐ {item}")
        print("\n   One model answer:\n")
        for line in MODEL_ANSWER_NOTE.sub("", model).strip().splitlines():
            print(f"   {line}")
        print()
