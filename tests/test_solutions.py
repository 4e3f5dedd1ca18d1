"""Help that never leaves a self-paced learner stuck, and never gives a cohort learner the answers:
`qN.solution()` after a real try when the source notebooks are on this machine, the trainer's
word otherwise; `course.self_assess()` for questions graded by hand."""
from __future__ import annotations

import dataclasses
import importlib
import re

import nbformat
import pytest

from course import paths
from course.checks import Exercise
from course.paths import MODULES, module_names
from course.solutions import COHORT, SOLUTION_REGION, _rubric, hand_graded_questions, model_answer_code, self_assess
from notebooks import cell_by_grade_id, read


def _fresh(module: str, name: str) -> Exercise:
    exercise = getattr(importlib.import_module(f"course.exercises.module{module}"), name)
    return dataclasses.replace(exercise)  # attempts and solved start again


def _model_team_size() -> str:
    source = cell_by_grade_id(read(MODULES / "00-orientation" / "00-orientation.ipynb"), "team_size_answer").source
    return SOLUTION_REGION.search(source).group(1).strip()


@pytest.fixture
def cohort(tmp_path, monkeypatch):
    """A cohort's kernel: the package is installed without the course's source notebooks."""
    monkeypatch.setattr(paths, "MODULES", tmp_path / "site-packages-has-no-modules")


def test_self_paced_solution_waits_for_a_real_try_then_shows_the_model_answer(capsys):
    q1 = _fresh("00", "q1")
    q1.solution()
    out = capsys.readouterr().out
    assert "Give it a real try first" in out and _model_team_size() not in out
    q1.check(99)
    q1.solution()
    assert _model_team_size() not in capsys.readouterr().out, "one try is not enough"
    q1.check(98)
    capsys.readouterr()
    q1.solution()
    assert _model_team_size() in capsys.readouterr().out


def test_self_paced_learner_can_ask_for_the_solution_at_once(capsys):
    q1 = _fresh("00", "q1")
    q1.solution(confirm=True)
    assert _model_team_size() in capsys.readouterr().out


def test_untouched_answer_does_not_count_as_a_try(capsys):
    q1 = _fresh("00", "q1")
    for _ in range(3):
        q1.check(...)
    q1.solution()
    assert _model_team_size() not in capsys.readouterr().out


def test_cohort_learner_is_told_the_trainer_holds_the_model_answers(cohort, capsys):
    q1 = _fresh("00", "q1")
    q1.check(99)
    q1.check(98)
    q1.solution(confirm=True)
    out = capsys.readouterr().out
    assert COHORT in out and _model_team_size() not in out and "int(" not in out.split(COHORT)[-1]


def _self_checks():
    for module in module_names():
        checks = importlib.import_module(f"course.exercises.module{module.split('-')[0]}")
        for name in sorted(vars(checks)):
            value = getattr(checks, name)
            if re.fullmatch(r"q\d+", name) and isinstance(value, Exercise):
                yield pytest.param(module, name, id=f"{module.split('-')[0]}-{name}")


@pytest.mark.parametrize("module, name", list(_self_checks()))
def test_every_self_checked_exercise_has_a_model_answer_in_its_source(module, name):
    exercise = getattr(importlib.import_module(f"course.exercises.module{module.split('-')[0]}"), name)
    code = model_answer_code(module.split('-')[0], exercise.variable)
    assert code and re.search(rf"\b{exercise.variable}\s*=", code), f"{module} {name}: {code!r}"


@pytest.mark.parametrize("module", module_names())
def test_every_hand_graded_question_has_a_rubric_checklist(module):
    questions = hand_graded_questions(read(MODULES / module / f"{module}.ipynb"))
    for grade_id, question, model in questions:
        items = _rubric(question)
        assert items and all(len(item) > 20 for item in items), f"{module} {grade_id}: {items}"


def _learner_copy(tmp_path, answer: str | None):
    """The learner's saved notebook: the source with each hand-graded answer as nbgrader releases it
    ("YOUR ANSWER HERE"), or with `answer` written in."""
    module = "01-managing-vs-coaching"
    nb = read(MODULES / module / f"{module}.ipynb")
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and meta.get("grade") and meta.get("solution"):
            cell.source = answer or "YOUR ANSWER HERE"
    path = tmp_path / f"{module}.ipynb"
    nbformat.write(nb, path)
    return path, read(MODULES / module / f"{module}.ipynb")


def test_self_assessment_waits_until_the_learner_has_written_something(tmp_path, capsys):
    path, source = _learner_copy(tmp_path, None)
    self_assess(notebook=path)
    out = capsys.readouterr().out
    assert "write your answer in its cell and save the notebook" in out
    ((_, _, model),) = hand_graded_questions(source)
    assert model.splitlines()[-1].strip() not in out and "☐" not in out


def test_self_assessment_shows_the_rubric_as_a_checklist_and_the_model_answer(tmp_path, capsys):
    path, source = _learner_copy(tmp_path, "I will sit with the rep who closes least and ask how they follow up.")
    self_assess(notebook=path)
    out = capsys.readouterr().out
    ((grade_id, question, model),) = hand_graded_questions(source)
    assert out.count("☐") == len(_rubric(question)) == 3
    assert "☐ Behind the number: names a specific behavior" in out
    assert model.splitlines()[-1].strip() in out
    assert "trainers see this" not in out


def test_cohort_learner_never_sees_rubric_checklist_or_model_answer(tmp_path, cohort, capsys):
    path, source = _learner_copy(tmp_path, "I will sit with the rep who closes least and ask how they follow up.")
    self_assess(notebook=path)
    out = capsys.readouterr().out
    ((_, _, model),) = hand_graded_questions(source)
    assert "🔒" in out and "☐" not in out and model.splitlines()[-1].strip() not in out


def test_hint_points_a_self_paced_learner_to_the_solution_and_a_cohort_learner_not(capsys, tmp_path, monkeypatch):
    q1 = _fresh("00", "q1")
    q1.hint()
    assert ".solution() shows a model answer" in capsys.readouterr().out
    monkeypatch.setattr(paths, "MODULES", tmp_path / "none")
    q1.hint()
    assert "solution" not in capsys.readouterr().out


def test_nothing_is_shown_while_nbgrader_grades(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    q1 = _fresh("00", "q1")
    q1.solution(confirm=True)
    path, _ = _learner_copy(tmp_path, "I will sit with the rep who closes least and ask how they follow up.")
    self_assess(notebook=path)
    assert capsys.readouterr().out == ""
