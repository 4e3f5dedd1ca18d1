"""A self-check is a promise about the grade: `qN.check()` says correct exactly when the hidden
test passes, for the solution, every plausible wrong answer (tests/wrong_answers/) and the type
variants a learner produces naturally (numpy scalars, int vs float, list vs Series, another
index order, float noise from another order of adding up).

Each module's source runs once in one kernel; just before the test cells of each self-checked
exercise, a probe puts each variant in place of the answer, asks the check for its verdict and
runs the test cells (hidden tests included, as nbgrader's autograde does), then restores the
notebook's variables.
"""
from __future__ import annotations

import importlib
import json
import re
import shutil
from dataclasses import dataclass, field

import nbformat
import pytest
from nbclient import NotebookClient

from course.answers import AnswerStore
from course.paths import GRADING, MODULES, module_names
from notebooks import nbgrader_meta, read
from wrong_answers import WRONG_ANSWERS

CHECK_CALL = re.compile(r"^\s*(q\d+)\.check\(\)", re.M)
WIDGET_KEY = {path.stem: json.loads(path.read_text()) for path in (GRADING / "answer_key" / "widgets").glob("*.json")}
MARK = "@@verdicts@@"

# Variants of the model answer a learner produces naturally, by the answer's type (kernel-side code:
# `v` is the model answer; each entry is a label and an expression).
PROBE = r'''
def _verdicts(question, answer_cell, wrong_cells, tests):
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


def run_with_probes(module: str, folder) -> tuple[list[Exercise], dict[str, list[dict]]]:
    nb = read(folder / f"{module}.ipynb")
    exercises = self_checked_exercises(module, nb)
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
                client.execute_cell(cell, index)
    return exercises, verdicts


@pytest.mark.slow
@pytest.mark.parametrize("module", [pytest.param(m, marks=pytest.mark.xdist_group(m)) for m in module_names()])
def test_self_check_says_correct_exactly_when_the_hidden_test_passes(module, tmp_path):
    shutil.copytree(MODULES / module, tmp_path / module, ignore=shutil.ignore_patterns("*.answers.json"))
    store = AnswerStore(tmp_path / module / f"{module}.answers.json", module)
    for question_id, answer in WIDGET_KEY.get(module, {}).items():
        store.record(question_id, answer)
    exercises, verdicts = run_with_probes(module, tmp_path / module)
    assert exercises, f"{module} has no self-checked exercise"
    disagreements, judged = [], 0
    for exercise in exercises:
        results = verdicts[exercise.question]
        solution = results[0]
        assert solution["label"] == "solution" and solution.get("check") and solution.get("test"), (module, solution)
        for result in results:
            if "skipped" in result:
                continue
            judged += 1
            if result["check"] != result["test"]:
                disagreements.append(
                    f"{exercise.question} ({exercise.answer_grade_id}) {result['label']}: check says "
                    f"{'correct' if result['check'] else 'wrong'}, hidden test {'passes' if result['test'] else 'fails'} "
                    f"{result['why']} | {result['type']} {result['value']}"
                )
    print(f"{module}: {len(exercises)} self-checked exercises, {judged} answers judged by check and test")
    assert not disagreements, f"{module}:\n" + "\n".join(disagreements)
