"""Self-checks: right answers pass, wrong ones get specific feedback, nothing gives the answer away."""
import csv

import numpy as np
import pandas as pd
import pytest

from course.answers import answer_hash, canonical
from course.checks import Classification, Exercise
from course.paths import GRADING, MODULES


def test_equal_answers_share_a_hash_whatever_their_type():
    assert answer_hash("q", 3) == answer_hash("q", np.int64(3)) == answer_hash("q", 3.0)
    assert answer_hash("q", 0.123449999) == answer_hash("q", 0.1234)
    assert answer_hash("q", "  Priya  Shah ") == answer_hash("q", "priya shah")
    assert answer_hash("q", pd.Series({"a": 1.0})) == answer_hash("q", {"a": 1})
    assert answer_hash("q", 3) != answer_hash("other question", 3), "hashes are salted per question"
    table = pd.DataFrame({"gap": [0.5, -1.25]}, index=["Ann", "Bo"])
    assert canonical(table) == {"gap": {"ann": 0.5, "bo": -1.25}}
    with pytest.raises(TypeError):
        canonical(object())


def _exercise(**extra):
    return Exercise("t_total", "total", answer_hash("t_total", 42), hint_text="add them up", **extra)


def test_check_says_not_attempted_wrong_or_correct_and_never_shows_the_answer(capsys):
    exercise = _exercise(mistakes={answer_hash("t_total", 41): "you left out the last deal."})
    exercise.check(...)
    assert "not attempted yet" in capsys.readouterr().out
    exercise.check(41)
    out = capsys.readouterr().out
    assert "you left out the last deal" in out and "42" not in out
    exercise.check(40)
    assert "not it yet" in capsys.readouterr().out and not exercise.solved
    exercise.check(42)
    assert "Correct" in capsys.readouterr().out and exercise.solved


def test_check_prints_plain_text_no_markdown_ticks_no_double_stop_counts_as_counts(capsys):
    """A cell's printed output is plain text: `code` marks and ".." would show as they are."""
    exercise = _exercise(mistakes={answer_hash("t_total", 41): "you left out the `last` deal."})
    exercise.check(np.int64(41))
    exercise.check(np.float64(40.5))
    exercise.hint()
    out = capsys.readouterr().out
    assert "`" not in out and ".." not in out.replace("...", "")
    assert "total = 41: you left out the last deal." in out and "np.int64" not in out
    assert "total = 40.5" in out


def test_check_reads_the_variable_from_the_notebook_namespace():
    exercise = _exercise()
    namespace = {"exercise": exercise, "total": 42}
    exec("exercise.check()", namespace)
    assert exercise.solved


def test_shape_problems_are_reported_before_values(capsys):
    exercise = _exercise(shape=lambda v: None if isinstance(v, int) else "give a whole number.")
    exercise.check("42")
    assert "give a whole number" in capsys.readouterr().out


def test_classification_counts_misplaced_items_without_naming_them(capsys):
    truth = {"A": "ask", "B": "tell", "C": "ask"}
    exercise = Classification(
        "t_sort", "labels", answer_hash("t_sort", truth), hint_text="who thinks?", labels=("ask", "tell"),
        item_hashes={k: answer_hash(f"t_sort:{k}", v) for k, v in truth.items()},
    )
    exercise.check({"A": "tell", "B": "ask", "C": "ask"})
    out = capsys.readouterr().out
    assert "2 of 3 items are not right yet" in out and "'A'" not in out
    all_ask = {"A": "ask", "B": "ask", "C": "ask"}
    exercise.mistakes[answer_hash("t_sort", all_ask)] = "a question mark does not make it asking."
    exercise.check(all_ask)
    assert "a question mark does not make it asking" in capsys.readouterr().out
    exercise.check({"A": "ask", "B": "tell"})
    assert "missing: C" in capsys.readouterr().out
    exercise.check({"A": "ask", "B": "tell", "C": "maybe"})
    assert "use only the labels" in capsys.readouterr().out
    assert exercise.is_correct(truth)


def test_module01_classification_matches_the_answer_key():
    from course.exercises.module01 import q1

    with open(GRADING / "answer_key" / "manager_remarks.csv", newline="") as f:
        key = {row["remark_id"]: row["label"] for row in csv.DictReader(f)}
    with open(MODULES / "01-managing-vs-coaching" / "manager_remarks.csv", newline="") as f:
        shipped = [row["remark_id"] for row in csv.DictReader(f)]
    assert sorted(shipped) == sorted(key), "every remark a learner sees has exactly one label"
    assert q1.is_correct(key)
    flipped = dict(key, A01="coaching" if key["A01"] == "managing" else "managing")
    assert not q1.is_correct(flipped)


def test_shape_helpers_accept_the_right_kind_and_explain_the_wrong_one():
    from course.checks import text, whole_number

    assert whole_number(3) is None and whole_number(np.int64(3)) is None
    assert "whole number" in whole_number(3.0) and "whole number" in whole_number(True)
    assert text("Priya") is None and "text" in text(3)


def test_money_and_rate_shapes_catch_the_usual_slips():
    from course.checks import dollars, share

    assert dollars(1200.0) is None and "NaN" in dollars(float("nan")) and "negative" in dollars(-5)
    assert share(0.25) is None and "0.25, not 25" in share(25) and "a number" in share("25%")
