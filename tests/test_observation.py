"""Module 05's observation exercise: the learner's rubric scores against the enablement coach's."""
import numpy as np
import pytest

from course.exercises.module05 import COACH_HEARD, EXCERPTS, q4

MODEL = {"E1": 2, "E2": 4, "E3": 3, "E4": 1, "E5": 5}


def test_each_excerpt_has_a_hashed_coach_score_and_a_note():
    assert set(q4.item_hashes) == set(EXCERPTS) == set(COACH_HEARD)
    assert {excerpt: q4.coach_score(excerpt) for excerpt in EXCERPTS} == MODEL


@pytest.mark.parametrize("scores, verdict, words", [
    (MODEL, "correct", "within one point on 5 of 5 excerpts (exactly on 5)"),
    ({**MODEL, "E1": 3, "E3": 4, "E5": 4}, "correct", "within one point on 5 of 5 excerpts (exactly on 2)"),
    ({**MODEL, "E4": 3}, "correct", "E4: 2 points above the coach"),
    ({"E1": 3, "E2": 3, "E3": 3, "E4": 3, "E5": 3}, "wrong", "within one point on 3 of 5"),
    ({**MODEL, "E1": 5, "E4": 4}, "wrong", "E1: 3 points above the coach"),
    ({**MODEL, "E5": np.int64(5)}, "correct", "exactly on 5"),
])
def test_agreement_is_shown_excerpt_by_excerpt(scores, verdict, words):
    found, message = q4.status(scores)
    assert found == verdict and words in message
    assert all(note in message for note in COACH_HEARD.values())


@pytest.mark.parametrize("scores, words", [
    ({"E1": 2}, "one score per excerpt"),
    ({**MODEL, "E2": 6}, "from 1 to 5; E2 has 6"),
    ({**MODEL, "E2": 3.5}, "whole number"),
    ([2, 4, 3, 1, 5], "give a dict"),
])
def test_malformed_scores_are_refused_without_showing_the_coach(scores, words):
    found, message = q4.status(scores)
    assert found == "wrong" and words in message
    assert not any(note in message for note in COACH_HEARD.values())


def test_untouched_is_not_attempted():
    assert q4.status(...)[0] == "not attempted"
