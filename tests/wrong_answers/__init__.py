"""Plausible wrong answers, per module (one file each, mNN.py or mNNa.py, defining MODULE and WRONG):
each must lose exactly the points of the cells it names.

A wrong answer is either code put in place of a solution cell (`answer_cell` is that cell's
grade_id) or an answer given through a widget (`widget`: question id and the wrong answer,
written to the answers file a learner submits). `loses` names the autograded test cells that
must then score zero.
"""
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class WrongAnswer:
    loses: tuple[str, ...]
    answer_cell: str = ""
    code: str = ""
    widget: tuple[str, Any] | None = None


def _load() -> dict[str, list[WrongAnswer]]:
    """{module: [WrongAnswer, ...]} from the files of this package, one per module (mNN.py)."""
    found = {}
    for path in sorted(Path(__file__).parent.glob("m[0-9][0-9]*.py")):
        module = importlib.import_module(f"wrong_answers.{path.stem}")
        found[module.MODULE] = module.WRONG
    return found


WRONG_ANSWERS: dict[str, list[WrongAnswer]] = _load()
