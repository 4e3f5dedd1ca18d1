"""Self-checks for exercises: `q1.check()` tells a learner where they stand, `q1.hint()` helps.

An exercise knows the name of the variable the learner fills in and a salted hash of the
right answer, never the answer itself, so the student release gives nothing away.
Known wrong answers can be hashed too, each with the feedback it deserves.
"""
from __future__ import annotations

import inspect
import numbers
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from course import errors
from course.answers import answer_hash
from course.scaffold import unfilled

NOT_ATTEMPTED = "not attempted yet"
_FROM_NOTEBOOK = object()

_registry: dict[str, Exercise] = {}


def _record_check(question_id: str, verdict: str) -> None:
    """Tell the cohort's record service about a self-check (on a hub only; never in the learner's way)."""
    from course import answers, records

    if records.enabled():
        try:
            records.send("check", answers.module_name(), question_id, verdict=verdict)
        except OSError:
            pass


@dataclass
class Exercise:
    """One self-checked exercise bound to a variable in the learner's notebook.

    `shape` checks the answer's form before its value and returns a message when
    the form is wrong (a percentage given as 45 instead of 0.45, a list of the wrong
    length); `same` puts equivalent answers in one form before hashing (`sorted` when the
    order of a list does not matter); `mistakes` maps hashes of common wrong answers to
    targeted feedback.
    """

    question_id: str
    variable: str
    answer_hash: str
    hint_text: str
    digits: int = 4
    shape: Callable[[Any], str | None] | None = None
    mistakes: dict[str, str] = field(default_factory=dict)
    same: Callable[[Any], Any] | None = None
    solved: bool = field(default=False, init=False)
    attempts: int = field(default=0, init=False)  # checks of an answer (not of the untouched `...`)
    notebook: Mapping[str, Any] = field(default_factory=dict, init=False, repr=False)  # set by check()

    def __post_init__(self) -> None:
        _registry[self.question_id] = self

    def status(self, value: Any) -> tuple[str, str]:
        """('not attempted' | 'wrong' | 'correct', message) for a learner's value."""
        if value is Ellipsis:
            return "not attempted", f"`{self.variable}` is {NOT_ATTEMPTED}: replace the `...` with your answer."
        problem = self.shape(value) if self.shape else None
        if problem:
            return "wrong", f"`{self.variable}` = {_show(value)}: {problem}"
        try:
            digest = answer_hash(self.question_id, self.same(value) if self.same else value, self.digits)
        except TypeError as error:
            return "wrong", f"`{self.variable}`: {error}."
        if digest == self.answer_hash:
            return "correct", f"Correct: `{self.variable}` = {_show(value)}."
        advice = self.mistakes.get(digest, "that is not it yet. Try `.hint()` if you are stuck.")
        return "wrong", f"`{self.variable}` = {_show(value)}: {advice}"

    def is_correct(self, value: Any) -> bool:
        return self.status(value)[0] == "correct"

    def check(self, value: Any = _FROM_NOTEBOOK) -> None:
        """Print feedback on the learner's answer (read from the notebook unless given).

        Returns nothing, so the cell shows the feedback alone; use `is_correct` in code."""
        self.notebook = _caller_globals()
        from_notebook = value is _FROM_NOTEBOOK
        if from_notebook:
            stopped = errors.failed_assignment(self.variable)
            if stopped is not None:
                print(_plain(f"⚠️ The cell above stopped with {type(stopped).__name__}: {stopped}; "
                             "fix it and run it again, then run this check."))
                self.attempts += 1
                return
            value = self.notebook.get(self.variable, Ellipsis)
        verdict, message = self.status(value)
        if verdict != "correct" and from_notebook and unfilled(self.notebook, self.variable):
            verdict, message = "not attempted", (
                f"`{self.variable}` is {NOT_ATTEMPTED}: fill in the blanks ___ first, then run that cell again.")
        _record_check(self.question_id, verdict)
        mark = {"correct": "✅", "wrong": "❌", "not attempted": "⏳"}[verdict]
        print(_plain(f"{mark} {message}"))
        self.solved = self.solved or verdict == "correct"
        self.attempts += verdict != "not attempted"

    def hint(self) -> None:
        print(_plain(f"💡 Hint: {self.hint_text}"))
        from course.solutions import module_of, self_paced

        if self_paced(module_of(self.question_id)):
            print(_plain("   Still stuck after a try or two? `.solution()` shows a model answer."))

    def solution(self, confirm: bool = False) -> None:
        """The model answer, once you have tried (self-paced courses; a cohort's trainer holds them)."""
        from course.solutions import show_solution

        show_solution(self, confirm=confirm)


@dataclass
class Classification(Exercise):
    """Sort items into labels: `{item_id: label}`; feedback counts misplaced items, never names them."""

    labels: tuple[str, ...] = ()
    item_hashes: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.shape = self._shape
        super().__post_init__()

    def _shape(self, value: Any) -> str | None:
        if not isinstance(value, Mapping):
            return "give a dict that maps each id to a label, like {'A01': 'managing', ...}."
        missing = sorted(set(self.item_hashes) - set(value))
        extra = sorted(set(value) - set(self.item_hashes))
        unknown = sorted({str(v) for v in value.values()} - set(self.labels))
        if missing:
            return f"label every item; missing: {', '.join(missing)}."
        if extra:
            return f"unknown ids: {', '.join(map(str, extra))}."
        if unknown:
            return f"use only the labels {', '.join(map(repr, self.labels))}; found {', '.join(map(repr, unknown))}."
        return None

    def status(self, value: Any) -> tuple[str, str]:
        verdict, message = super().status(value)
        if verdict != "wrong" or self._shape(value):
            return verdict, message
        if answer_hash(self.question_id, value, self.digits) in self.mistakes:
            return verdict, message  # a known mistake has its own feedback
        misplaced = sum(
            answer_hash(f"{self.question_id}:{item}", label) != self.item_hashes[item]
            for item, label in value.items()
        )
        return "wrong", (
            f"`{self.variable}`: {misplaced} of {len(self.item_hashes)} items are not right yet. "
            "Look again at those you were least sure of; `.hint()` helps."
        )


@dataclass
class PlanCheck(Exercise):
    """A coaching plan (`course.plans`): complete and consistent with the data first, then the
    module's own rules in `fits` (the right rep and skill, checked against hashes)."""

    as_of: str = ""

    def __post_init__(self) -> None:
        self.shape = self.shape or plan_shape
        super().__post_init__()

    def status(self, value: Any) -> tuple[str, str]:
        if value is Ellipsis or not isinstance(value, Mapping):
            return super().status(value)
        from course import plans

        problems = plans.plan_problems(value, as_of=self.as_of)
        if problems:
            count = "1 thing" if len(problems) == 1 else f"{len(problems)} things"
            return "wrong", f"`{self.variable}` has {count} to fix:\n   - " + "\n   - ".join(problems)
        return self.fits(value)

    def fits(self, plan: Mapping[str, Any]) -> tuple[str, str]:
        """('correct' | 'wrong', message) for a plan that holds up in the data."""
        raise NotImplementedError


def plan_shape(value: Any) -> str | None:
    """Shape check for a coaching plan: a dict with the fields of `course.plans.PLAN_FIELDS`."""
    from course.plans import PLAN_FIELDS

    return None if isinstance(value, Mapping) else f"give a dict with the keys {', '.join(PLAN_FIELDS)}."


def whole_number(value: Any) -> str | None:
    """Shape check for a count: an int (a numpy int works too), not a float or a bool."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        return "give a whole number (an int), for example the result of `.sum()` wrapped in `int(...)`."
    return None


def text(value: Any) -> str | None:
    """Shape check for a name or a label: a string."""
    return None if isinstance(value, str) else "give the answer as text (a string), for example a rep's name."


def dollars(value: Any) -> str | None:
    """Shape check for a sum of money: a real number, not NaN, not negative."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return "give a number of dollars, for example the result of `.sum()` on the `amount` column."
    if value != value:
        return "that is NaN (not a number): your filter kept no rows. Check each condition on its own."
    if value < 0:
        return "a sum of deal amounts cannot be negative."
    return None


def share(value: Any) -> str | None:
    """Shape check for a rate: a number between 0 and 1, not a percentage."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return "give a number: a share between 0 and 1."
    if not 0 <= value <= 1:
        return "give the rate as a share between 0 and 1 (0.25, not 25)."
    return None


def unsolved() -> list[str]:
    """Question ids defined in this session whose check has not passed yet."""
    return [qid for qid, exercise in _registry.items() if not exercise.solved]


def _caller_globals() -> Mapping[str, Any]:
    """The notebook's variables: the globals of whoever called the caller (`check()`)."""
    frame = inspect.currentframe()
    try:
        return frame.f_back.f_back.f_globals
    finally:
        del frame


def _plain(message: str) -> str:
    """A message as the learner reads it in a cell's plain-text output: `code` marks (written for
    Markdown) dropped, and no doubled full stop where a sentence ends in a quoted one."""
    message = re.sub(r"`([^`]*)`", r"\1", message)
    return re.sub(r"(?<!\.)\.\.(?!\.)", ".", message)


def _show(value: Any, limit: int = 120) -> str:
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()  # numpy scalar: 11, not np.int64(11)
    text = repr(value.to_dict() if isinstance(value, pd.Series) else value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
