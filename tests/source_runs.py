"""One run of each module's source notebook, shared by tests/test_contract.py (the source runs
clean and every self-check passes) and tests/test_verdicts.py (a self-check says correct exactly
when the hidden test passes): executing a module is the costly part of both.

The source runs once in one kernel, with the instructor's widget answers in the answers file;
just before the test cells of each self-checked exercise, a probe puts each answer variant in
place of the answer, asks the check for its verdict and runs the test cells (hidden tests
included, as nbgrader's autograde does), then restores the notebook's variables; a last cell
asserts every self-check passed.
"""
from __future__ import annotations

import importlib
import json
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from course.answers import AnswerStore
from course.paths import GRADING, MODULES
from notebooks import nbgrader_meta, read
from wrong_answers import WRONG_ANSWERS

CHECK_CALL = re.compile(r"^\s*(q\d+)\.check\(\)", re.M)
WIDGET_KEY = {path.stem: json.loads(path.read_text()) for path in (GRADING / "answer_key" / "widgets").glob("*.json")}
UNSOLVED_CHECK = "from course.checks import unsolved\nassert not unsolved(), f'self-checks not passed: {unsolved()}'"
MARK = "@@verdicts@@"

# Variants of the model answer a learner produces naturally, by the answer's type (kernel-side code:
# `v` is the model answer; each entry is a label and an expression).
PROBE = r'''
def _verdicts(question, answer_cell, wrong_cells, tests):
    import warnings
    with warnings.catch_warnings():  # on leaving, warnings seen here show again in the notebook's cells
        _judge_all(question, answer_cell, wrong_cells, tests)


def _judge_all(question, answer_cell, wrong_cells, tests):
    import json, numbers
    import numpy as np
    import pandas as pd
    ns = globals()
    base = dict(ns)
    q = ns[question]
    results = []

    def variants(v):
        if isinstance(v, bool):
            return []
        if isinstance(v, numbers.Integral):
            return [("numpy int", np.int64(v)), ("float", float(v)), ("numpy float", np.float64(v))]
        if isinstance(v, numbers.Real):
            found = [("numpy float", np.float64(v)), ("python float", float(v)),
                     ("float noise", float(v) * (1 + 1e-12))]
            if float(v).is_integer():
                found.append(("int", int(v)))
            return found
        if isinstance(v, str):
            return [("surrounding spaces", f" {v} "), ("lower case", v.lower())]
        if isinstance(v, pd.Series):
            found = [("reversed order", v.iloc[::-1]), ("list", v.tolist()), ("dict", v.to_dict())]
            if pd.api.types.is_integer_dtype(v):
                found.append(("float values", v.astype(float)))
            return found
        if isinstance(v, pd.DataFrame):
            return [("reversed rows", v.iloc[::-1]), ("reversed columns", v[v.columns[::-1]])]
        if isinstance(v, dict):
            return [("Series", pd.Series(v)), ("reversed keys", dict(reversed(list(v.items()))))]
        if isinstance(v, (list, tuple)):
            return [("Series", pd.Series(list(v))), ("reversed order", type(v)(reversed(v))),
                    ("tuple" if isinstance(v, list) else "list", tuple(v) if isinstance(v, list) else list(v))]
        return []

    def judge(label, code=None, value=None):
        ns.clear()
        ns.update(base)
        try:
            if code is not None:
                exec(code, ns)
            else:
                ns[q.variable] = value
            answer = ns.get(q.variable, Ellipsis)
            says_correct = q.status(answer)[0] == "correct"
        except Exception as error:
            results.append({"label": label, "skipped": f"{type(error).__name__}: {error}"})
            return
        passed, why = True, ""
        for test in tests:
            try:
                exec(test, ns)
            except Exception as error:
                passed, why = False, f"{type(error).__name__}: {error}"
                break
        results.append({"label": label, "check": says_correct, "test": passed, "why": why,
                        "value": repr(answer)[:160], "type": type(answer).__name__})

    try:
        judge("solution", code=answer_cell)
        model = ns.get(q.variable)
        for index, code in wrong_cells:
            judge(f"wrong answer {index}", code=code)
        for label, value in variants(model):
            judge(label, value=value)
    finally:
        ns.clear()
        ns.update(base)
    print("@@verdicts@@" + json.dumps(results))
'''


@dataclass
class Exercise:
    question: str
    answer_index: int
    answer_grade_id: str
    tests: list[int] = field(default_factory=list)


def self_checked_exercises(module: str, nb) -> list[Exercise]:
    """Each `qN.check()` with its answer cell (the solution cell above) and its autograded test cells
    (those after the check, up to the next solution cell or check, that use the checked variable)."""
    checks = importlib.import_module(f"course.exercises.module{module.split('-')[0]}")
    uses = lambda question, source: re.search(rf"\b{getattr(checks, question).variable}\b", source)
    found: list[Exercise] = []
    current: Exercise | None = None
    last_answer = None
    for index, cell in enumerate(nb.cells):
        meta = nbgrader_meta(cell)
        if cell.cell_type != "code":
            continue
        if meta.get("solution"):
            last_answer, current = index, None
            continue
        call = CHECK_CALL.search(cell.source)
        if call and last_answer is not None:
            current = Exercise(call.group(1), last_answer, nbgrader_meta(nb.cells[last_answer])["grade_id"])
            found.append(current)
        elif meta.get("grade") and current is not None and uses(current.question, cell.source):
            current.tests.append(index)
    return [exercise for exercise in found if exercise.tests]


@dataclass
class SourceRun:
    nb: nbformat.NotebookNode          # the executed source, the last cell asserting every self-check passed
    exercises: list[Exercise]
    verdicts: dict[str, list[dict]]    # question -> each answer judged by its check and its hidden tests
    seconds: float


def run_source(module: str, folder: Path) -> SourceRun:
    """Copy the module into `folder`, answer its widgets from the instructor's key and run it with probes."""
    shutil.copytree(MODULES / module, folder, ignore=shutil.ignore_patterns("*.answers.json", ".ipynb_checkpoints"))
    store = AnswerStore(folder / f"{module}.answers.json", module)
    for question_id, answer in WIDGET_KEY.get(module, {}).items():
        store.record(question_id, answer)
    nb = read(folder / f"{module}.ipynb")
    exercises = self_checked_exercises(module, nb)
    nb.cells.append(nbformat.v4.new_code_cell(UNSOLVED_CHECK))
    start = time.perf_counter()
    verdicts = run_with_probes(module, nb, exercises, folder)
    return SourceRun(nb, exercises, verdicts, time.perf_counter() - start)


def run_with_probes(module: str, nb, exercises: list[Exercise], folder: Path) -> dict[str, list[dict]]:
    """Execute `nb` in place; each exercise's verdicts, probed just before its first test cell."""
    probes = {exercise.tests[0]: exercise for exercise in exercises}
    wrong = WRONG_ANSWERS.get(module, [])
    verdicts: dict[str, list[dict]] = {}
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}})
    with client.setup_kernel():
        client.execute_cell(nbformat.v4.new_code_cell(PROBE), 0)
        for index, cell in enumerate(nb.cells):
            if index in probes:
                exercise = probes[index]
                call = "_verdicts({!r}, {!r}, {!r}, {!r})".format(
                    exercise.question, nb.cells[exercise.answer_index].source,
                    [(i, case.code) for i, case in enumerate(wrong) if case.answer_cell == exercise.answer_grade_id],
                    [nb.cells[i].source for i in exercise.tests],
                )
                probe = nbformat.v4.new_code_cell(call)
                client.execute_cell(probe, index)
                printed = "".join(o.get("text", "") for o in probe.outputs if o.output_type == "stream")
                assert MARK in printed, f"{module}: probe for {exercise.question} printed {printed[-2000:]!r} {probe.outputs}"
                verdicts[exercise.question] = json.loads(printed.split(MARK, 1)[1])
            if cell.cell_type == "code":
                client.allow_errors = cell.source == UNSOLVED_CHECK  # tests/test_contract.py reports it
                client.execute_cell(cell, index)
    return verdicts
