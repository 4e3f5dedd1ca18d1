"""The cohort report reads learners' answers files defensively and speaks a trainer's language."""
from __future__ import annotations

import json

from course.grade.report import _answer_text, _days_text, question_titles, wrong_answers
from course.paths import REPO


def _answers(root, learner: str, text: str) -> None:
    folder = root / "submitted" / learner / "01-mod"
    folder.mkdir(parents=True)
    (folder / "01-mod.answers.json").write_text(text)


def test_malformed_answers_files_cost_only_their_own_questions(tmp_path):
    good = {"questions": {"q_pick": {"wrong_answers": ["Tell them", {"deal A": "coach", "deal B": "manage"}]}}}
    _answers(tmp_path, "good", json.dumps(good))
    _answers(tmp_path, "count", json.dumps({"questions": {"q_pick": {"wrong_answers": 7}}}))
    _answers(tmp_path, "listed", json.dumps({"questions": [1, 2]}))
    _answers(tmp_path, "deep", "[" * 100_000 + "]" * 100_000)
    _answers(tmp_path, "scalar", "42")
    _answers(tmp_path, "entry", json.dumps({"questions": {"q_pick": "Tell them"}}))
    _answers(tmp_path, "broken", "{not json")
    found = wrong_answers(tmp_path)
    assert found == {("01-mod", "q_pick"): {"Tell them": 1, "deal A → coach; deal B → manage": 1}}


def test_answers_read_as_text_not_json():
    assert _answer_text(["a", 2, None]) == "a, 2, (no answer)"
    assert _answer_text("x" * 500).endswith("…") and len(_answer_text("x" * 500)) == 120


def test_durations_in_minutes_hours_or_days():
    assert (_days_text(0.01), _days_text(0.25), _days_text(3.44)) == ("14 min", "6.0 h", "3.4 days")


def test_question_titles_come_from_the_heading_above(tmp_path):
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["## Part A: your team's size (1 point)\n", "How many?"]},
        {"cell_type": "code", "metadata": {"nbgrader": {"grade_id": "team_size_answer"}}, "source": ["team_size = ..."]},
        {"cell_type": "markdown", "metadata": {}, "source": ["### How grading works"]},
        {"cell_type": "code", "metadata": {}, "source": ["MultipleChoice('m01_how_grading', 'Which?', [...])"]},
    ]
    folder = tmp_path / "modules" / "01-mod"
    folder.mkdir(parents=True)
    (folder / "01-mod.ipynb").write_text(json.dumps({"cells": cells}))
    titles = question_titles(tmp_path, "01-mod")
    assert titles["team_size_answer"] == "Part A: your team's size"
    assert titles["m01_how_grading"] == "How grading works"
    assert question_titles(tmp_path, "no-such-module") == {}


def test_question_titles_name_the_exercises_defined_in_the_package():
    """Self-checks (`q1.check()`), widget factories (`ex.name()`) and role-plays are declared in
    course/exercises/: their ids still get the heading the learner sees, without the points."""
    titles = question_titles(REPO, "04-its-the-economy")
    assert titles["m04_respond_to_excuse"] == "Exercise 4 · The first reply"
    assert titles["m04_economy_conversation"] == "Exercise 6 · Play the conversation"
    assert titles["m04_downturn_change"] == "Exercise 1 · The drop against the rep's own baseline"
    assert question_titles(REPO, "00-orientation")["m00_team_size"] == "Exercise 1 · Your first question"
