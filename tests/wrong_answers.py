"""Plausible wrong answers, per module: each must lose exactly the points of the cells it names.

`answer_cell` is the grade_id of the learner's solution cell, `code` the wrong answer put
there, `loses` the grade_ids of the autograded test cells that must then score zero.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class WrongAnswer:
    answer_cell: str
    code: str
    loses: tuple[str, ...]


WRONG_ANSWERS: dict[str, list[WrongAnswer]] = {}
