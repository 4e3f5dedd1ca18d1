"""Fill-in-the-blank templates: a template runs, and a self-check on it asks for the blanks."""
from __future__ import annotations

import contextlib
import io

import pandas as pd
import pytest

from course.answers import answer_hash
from course.checks import Exercise, whole_number
from course.scaffold import ___, unfilled

DEALS = pd.DataFrame({
    "outcome": pd.Categorical(["won", "lost", "open"]),
    "rep_id": ["R001", "R002", "R001"],
    "amount": [100, 200, 300],
})


@pytest.mark.parametrize("template", [
    'DEALS[DEALS["outcome"] == ___]',
    'DEALS[DEALS["rep_id"] == ___]',
    'DEALS[(DEALS["rep_id"] == "R001") & (DEALS["outcome"] == ___)]',
    'DEALS[DEALS["amount"] >= ___]',
])
def test_a_template_with_a_blank_runs_and_keeps_no_rows(template):
    kept = eval(template, {"DEALS": DEALS, "___": ___})
    assert len(kept) == 0


def test_a_blank_equals_only_itself():
    assert ___ == ___ and ___ != "won" and not (___ == 0) and repr(___) == "___"


TEMPLATE = 'won = DEALS[DEALS["outcome"] == ___]\nwon_count = len(won)'
FILLED = 'won = DEALS[DEALS["outcome"] == "won"]\nwon_count = len(won)'
AUTHORING = TEMPLATE.replace("\nwon_count", "\n### BEGIN SOLUTION\nwon = 1\n### END SOLUTION\nwon_count")


@pytest.mark.parametrize("history, expected", [
    ([TEMPLATE, "q.check()"], True),
    ([TEMPLATE, FILLED, "q.check()"], False),              # filled in and run again
    ([FILLED, "other = ___ == 1", "q.check()"], False),    # a blank elsewhere is not this answer's
    ([AUTHORING, "q.check()"], False),                     # the source notebook fills it in its solution
    ([], False),                                           # outside IPython: no history
])
def test_unfilled_reads_the_last_cell_that_set_the_answer(history, expected):
    assert unfilled({"In": ["", *history]}, "won_count") is expected


def _check_output(exercise, history):
    namespace = {"q": exercise, "DEALS": DEALS, "___": ___, "In": ["", *history, "q.check()"]}
    for cell in history:
        exec(cell, namespace)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec("q.check()", namespace)
    return out.getvalue()


def test_the_self_check_asks_for_the_blanks_and_never_hides_a_right_answer():
    exercise = Exercise("test_won_count", "won_count", answer_hash("test_won_count", 1), "hint", shape=whole_number)
    assert "fill in the blanks ___ first" in _check_output(exercise, [TEMPLATE])
    assert "not attempted yet" in _check_output(exercise, [TEMPLATE])
    assert "Correct" in _check_output(exercise, [FILLED])
    # the template left in place, the answer computed right below it: the grade passes, so does the check
    assert "Correct" in _check_output(exercise, [TEMPLATE + '\nwon_count = int((DEALS["outcome"] == "won").sum())'])
