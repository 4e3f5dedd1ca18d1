"""Fill-in-the-blank templates: `___` marks the part of a given line the learner completes.

    open_deals = team_opps[team_opps["outcome"] == ___]    # the release keeps this line

`___` is a value that equals nothing, so a template still runs (*Run All* on the release works;
a filter with a blank keeps no rows), and a self-check on an answer computed from a cell that
still holds a blank says "fill in the blanks ___ first" instead of judging it.
"""
from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

BLANK_NAME = "___"


class Blank:
    """The blank in a template: compares unequal (and not less, not greater) to everything."""

    def __repr__(self) -> str:
        return BLANK_NAME

    def __eq__(self, other: Any) -> bool:
        return other is self

    def __ne__(self, other: Any) -> bool:
        return other is not self

    def __lt__(self, other: Any) -> bool:
        return False

    __le__ = __gt__ = __ge__ = __lt__

    def __hash__(self) -> int:
        return hash(BLANK_NAME)


___ = Blank()


def unfilled(notebook: Mapping[str, Any], variable: str) -> bool:
    """True when the last cell run that sets `variable` still has a blank `___` in its code.

    Reads IPython's input history (`In`) from the notebook's globals; outside IPython, False.
    An authoring notebook's cell, whose solution region fills the template, never counts.
    """
    for source in reversed(list(notebook.get("In", []))):
        assigned, blanks = _assigned_and_blanks(source)
        if variable in assigned:
            return blanks and "### BEGIN SOLUTION" not in source
    return False


def _assigned_and_blanks(source: str) -> tuple[set[str], bool]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(), False
    assigned = {
        target.id
        for node in ast.walk(tree) if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign)
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }
    blanks = any(isinstance(node, ast.Name) and node.id == BLANK_NAME for node in ast.walk(tree))
    return assigned, blanks
