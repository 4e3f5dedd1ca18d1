"""Each module's stated time, computed from its notebook by one rule (README, "Writing a module").

- every section you read (a `##` or `###` heading that is not an exercise): 4 minutes;
- an exercise you answer in code: 6 minutes a point, at least 10;
- an exercise you answer by clicking (a widget): 3 minutes a point, at least 5;
- an answer you write for your trainer: 5 minutes a point.

Each exercise heading says whether it is core or stretch, and its points:
`## Exercise 3 · Win rate (core, 2 points)`. Core minutes are reading plus core exercises; a
learner may skip stretch exercises, and nothing later uses a stretch answer.
The module's intro says `About 95 minutes: 80 core, 15 stretch.` (totals rounded up to 5).

    .venv/bin/python tests/module_time.py      # each module's time and its core/stretch split
"""
from __future__ import annotations

import ast
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

READING_MINUTES = 4
CODE_MINUTES_PER_POINT, CODE_MINIMUM = 6, 10
WIDGET_MINUTES_PER_POINT, WIDGET_MINIMUM = 3, 5
WRITTEN_MINUTES_PER_POINT = 5

EXERCISE = re.compile(
    r"^## Exercise \d+ · .*\((?P<level>core|stretch), (?P<points>\d+) points?(?P<written>, graded by your trainer)?\)\s*$",
    re.M,
)
ANY_EXERCISE = re.compile(r"^## Exercise \d+\b.*$", re.M)
HEADING = re.compile(r"^#{2,3} .*$", re.M)
STATED = re.compile(r"About (?P<total>\d+) minutes: (?P<core>\d+) core, (?P<stretch>\d+) stretch\.")


@dataclass
class Exercise:
    heading: str
    level: str
    points: int
    kind: str = "widget"  # code | widget | written
    graded_points: float = 0.0
    cells: list[int] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        if self.kind == "code":
            return max(CODE_MINIMUM, CODE_MINUTES_PER_POINT * self.points)
        if self.kind == "written":
            return WRITTEN_MINUTES_PER_POINT * self.points
        return max(WIDGET_MINIMUM, WIDGET_MINUTES_PER_POINT * self.points)


@dataclass
class ModuleTime:
    name: str
    reading_sections: int
    exercises: list[Exercise]
    unlabelled: list[str]  # exercise headings that do not say core/stretch and points

    @property
    def core(self) -> int:
        return _round5(READING_MINUTES * self.reading_sections
                       + sum(e.minutes for e in self.exercises if e.level == "core"))

    @property
    def stretch(self) -> int:
        return _round5(sum(e.minutes for e in self.exercises if e.level == "stretch"))

    @property
    def total(self) -> int:
        return self.core + self.stretch

    def statement(self) -> str:
        return f"About {self.total} minutes: {self.core} core, {self.stretch} stretch."


def _round5(minutes: int) -> int:
    return 5 * math.ceil(minutes / 5)


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def module_time(name: str, nb) -> ModuleTime:
    """Reading sections and exercises (with their kind, level and graded points) of a notebook."""
    reading, exercises, unlabelled = 0, [], []
    current: Exercise | None = None
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for heading in HEADING.findall(cell.source):
                if ANY_EXERCISE.match(heading):
                    match = EXERCISE.match(heading)
                    if not match:
                        unlabelled.append(heading)
                        current = None
                        continue
                    current = Exercise(heading, match["level"], int(match["points"]))
                    exercises.append(current)
                elif heading.startswith("## "):
                    current = None
                    reading += 1
                else:
                    reading += 1
        if current is None:
            continue
        current.cells.append(index)
        meta = _nbgrader(cell)
        if meta.get("solution"):
            current.kind = "written" if cell.cell_type == "markdown" else "code"
        if meta.get("grade"):
            current.graded_points += float(meta.get("points", 0))
    return ModuleTime(name, reading, exercises, unlabelled)


def assigned_names(code: str) -> set[str]:
    """Names a piece of code sets (assignments, loop variables, parameters)."""
    names = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.arg):  # a function's own parameter
            names.add(node.arg)
    return names


def used_names(code: str) -> set[str]:
    return {node.id for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def stretch_dependents(nb, time: ModuleTime) -> dict[str, list[int]]:
    """{name a stretch exercise sets: later code cells (outside that exercise) that read it}."""
    found = {}
    for exercise in (e for e in time.exercises if e.level == "stretch"):
        names = set()
        for index in exercise.cells:
            cell = nb.cells[index]
            if cell.cell_type == "code" and _nbgrader(cell).get("solution"):
                names |= assigned_names(_strip_magics(cell.source))
        later = [i for i in range(max(exercise.cells) + 1, len(nb.cells)) if nb.cells[i].cell_type == "code"]
        for name in sorted(names):
            readers = [i for i in later if _reads_before_setting(name, _strip_magics(nb.cells[i].source))]
            if readers:
                found[name] = readers
    return found


def _reads_before_setting(name: str, code: str) -> bool:
    """The cell reads `name` and does not set it itself (a loop variable of its own is not a dependency)."""
    return name in used_names(code) and name not in assigned_names(code)


def _strip_magics(code: str) -> str:
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines())


def module_times(modules: Path) -> list[tuple[ModuleTime, nbformat.NotebookNode]]:
    from course.paths import module_names

    result = []
    for name in module_names(modules):
        nb = nbformat.read(modules / name / f"{name}.ipynb", as_version=4)
        result.append((module_time(name, nb), nb))
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from course.paths import MODULES

    print("| module | stated time | core exercises | stretch exercises |\n|---|---|---|---|")
    all_core = all_stretch = 0
    for time, _ in module_times(MODULES):
        core = [e for e in time.exercises if e.level == "core"]
        stretch = [e for e in time.exercises if e.level == "stretch"]
        all_core, all_stretch = all_core + time.core, all_stretch + time.stretch
        print(f"| {time.name} | {time.statement()} | {len(core)} | {len(stretch)} |")
    print(f"\ncourse: {all_core + all_stretch} minutes ({(all_core + all_stretch) / 60:.1f} h): "
          f"{all_core} core ({all_core / 60:.1f} h), {all_stretch} stretch")
