"""Where a self-paced learner stands in each module, read from their own files.

A module's graded self-checks are its code exercises (the `Exercise` objects of
`course.exercises.moduleNN`) and its widget questions (the ids in the trainers' widget answer
key; only the ids are read here). Their state comes from what the learner saved:

- a code exercise: the last output of the cell that runs its check (`q1.check()`) in the saved
  notebook: "✅" passing, "❌" tried and not right yet, "⏳" or nothing not attempted;
- a widget question: its entry in `<notebook>.answers.json` beside the notebook.

So the status follows the learner as they work: JupyterLab saves the notebook every two minutes
(and on Ctrl+S), and a widget writes its answers file at every click.
"""
from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from course.answers import SUFFIX
from course.paths import GRADING

NOT_STARTED, IN_PROGRESS, ALL_PASSING = "not started", "in progress", "all self-checks passing"
PASSING, TRIED, NOT_TRIED = "passing", "not right yet", "not answered yet"


@dataclass
class ModuleProgress:
    """One module as this learner has it: its title and where each self-check stands."""

    name: str
    title: str
    notebook: Path
    checks: dict[str, str] = field(default_factory=dict)  # notebook variable -> PASSING | TRIED | NOT_TRIED
    ran_cells: bool = False

    @property
    def passing(self) -> int:
        return sum(state == PASSING for state in self.checks.values())

    @property
    def status(self) -> str:
        if self.checks and self.passing == len(self.checks):
            return ALL_PASSING
        if self.ran_cells or any(state != NOT_TRIED for state in self.checks.values()):
            return IN_PROGRESS
        return NOT_STARTED


def exercises_module(module: str) -> str:
    """`00-orientation` -> `course.exercises.module00`; `00a-…` -> `…module00a`."""
    return f"course.exercises.module{module.split('-', 1)[0]}"


def code_exercises(module: str) -> dict[str, str]:
    """{name in the notebook (`q1`): variable it checks} for the module's code self-checks."""
    from course.checks import Exercise

    try:
        exercises = importlib.import_module(exercises_module(module))
    except ImportError:
        return {}
    return {name: value.variable for name, value in vars(exercises).items() if isinstance(value, Exercise)}


def widget_questions(module: str, key_folder: Path = GRADING / "answer_key" / "widgets") -> list[str]:
    """The ids of the module's graded widget questions (their order in the answer key)."""
    path = key_folder / f"{module}.json"
    return list(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else []


def _title(cells: list[dict], fallback: str) -> str:
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            first = "".join(cell.get("source", "")).strip().splitlines()
            if first and first[0].startswith("#"):
                return first[0].lstrip("#").strip()
    return fallback


def _check_state(cells: list[dict], name: str) -> str:
    """The verdict the saved notebook shows for `name.check()` (the last such cell that has output)."""
    call = re.compile(rf"^\s*{re.escape(name)}\.check\(\)", re.MULTILINE)
    state = NOT_TRIED
    for cell in cells:
        if cell.get("cell_type") != "code" or not call.search("".join(cell.get("source", ""))):
            continue
        text = "".join("".join(out.get("text", "")) for out in cell.get("outputs", []))
        if "✅" in text:
            state = PASSING
        elif "❌" in text or "⚠️" in text:
            state = TRIED
    return state


def module_progress(module: str, notebook: Path) -> ModuleProgress:
    """Read `notebook` (the learner's copy of `module`) and its answers file."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        cells = []
    progress = ModuleProgress(module, _title(cells, module), notebook)
    progress.ran_cells = any(c.get("execution_count") for c in cells if c.get("cell_type") == "code")
    for name, variable in code_exercises(module).items():
        progress.checks[variable] = _check_state(cells, name)
    try:
        saved = json.loads(notebook.with_name(notebook.stem + SUFFIX).read_text(encoding="utf-8"))["questions"]
    except (OSError, ValueError, KeyError, TypeError):
        saved = {}
    for question in widget_questions(module):
        entry = saved.get(question) if isinstance(saved, dict) else None
        if not isinstance(entry, dict) or entry.get("answer") in (None, {}, []):
            state = NOT_TRIED
        else:
            state = PASSING if entry.get("correct") is True else TRIED
        progress.checks[question.split("_", 1)[-1]] = state  # m00_how_grading_works: how_grading_works
    return progress


def workspace_progress(workspace: Path, modules: list[str]) -> list[ModuleProgress]:
    """Each module's progress, from `workspace/<module>/<module>.ipynb` (missing: not started)."""
    return [module_progress(name, workspace / name / f"{name}.ipynb") for name in modules]
