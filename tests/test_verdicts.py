"""A self-check is a promise about the grade: `qN.check()` says correct exactly when the hidden
test passes, for the solution, every plausible wrong answer (tests/wrong_answers/) and the type
variants a learner produces naturally (numpy scalars, int vs float, list vs Series, another
index order, float noise from another order of adding up).

Each module's source runs once in one kernel (tests/source_runs.py, shared with
tests/test_contract.py); just before the test cells of each self-checked exercise, a probe puts
each variant in place of the answer, asks the check for its verdict and runs the test cells
(hidden tests included, as nbgrader's autograde does), then restores the notebook's variables.
"""
from __future__ import annotations

import pytest

from course.paths import module_names


@pytest.mark.slow
@pytest.mark.parametrize("module", [pytest.param(m, marks=pytest.mark.xdist_group(m)) for m in module_names()])
def test_self_check_says_correct_exactly_when_the_hidden_test_passes(module, source_run):
    run = source_run(module)
    exercises, verdicts = run.exercises, run.verdicts
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
