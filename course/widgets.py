"""Interactive exercises for the course notebooks, graded by nbgrader like any other cell.

Each question is declared in the package, in `course/exercises/moduleNN.py`, by a
zero-argument function named after the notebook variable; the notebook shows one line::

    # course/exercises/module01.py
    def q_tell() -> MultipleChoice:
        return MultipleChoice("m01_tell_or_ask", "Which remark coaches?", options=[...],
                              answer_hash="…", hint="Who does the thinking?",
                              feedback=seal_feedback("m01_tell_or_ask", {...}))  # pasted, sealed

    # the notebook
    q_tell = ex.q_tell()
    q_tell

Each answer is saved at once to `<module>.answers.json` beside the notebook
(`course.answers`), and the same cell restores it when it runs again: after a kernel
restart, and during `nbgrader autograde`, where a locked hidden test cell grades it::

    \"\"\"The learner picked the coaching remark.\"\"\"
    assert q_tell.is_correct(), q_tell.status

Every graded exercise has `.value`, `.attempted`, `.status`, `.is_correct()`,
`.check()` (prints feedback) and `.hint()`. A right answer is given as a hash
(`course.answers.answer_hash(question_id, answer)`), never in clear text.

Nothing here draws or reads a file when the module is imported. `RepExplorer` draws only
when a learner picks a rep in a live frontend (see its docstring for why this is safe
during headless execution).
"""
from __future__ import annotations

import hashlib
import html
import io
import itertools
import random
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as w

from course import answers as _answers
from course import records as _records
from course.answers import answer_hash

NOT_ATTEMPTED = "not attempted yet"
CORRECT = "correct"
INCORRECT = "incorrect"
INCOMPLETE = "incomplete"

__all__ = [
    "CORRECT", "INCOMPLETE", "INCORRECT", "NOT_ATTEMPTED",
    "MultipleChoice", "RepExplorer", "RolePlay", "Sorter", "TrueFalse", "answer_hash",
]


# One style sheet for every exercise (role-plays too), in JupyterLab's theme variables so it
# follows the light and dark themes. Text keeps the theme's own font color (>= 4.5:1 in both);
# right / wrong / hint show as a colored bar and a leading word, never by color alone.
STYLE = """
.cl-exercise { max-width: 100%; }
.cl-exercise .cl-feedback { color: var(--jp-content-font-color1, inherit); margin: 4px 0;
  padding: 2px 8px; line-height: 1.4; border-left: 4px solid var(--jp-border-color1, #999); }
.cl-exercise .cl-ok { border-left-color: var(--jp-success-color1, #388e3c); }
.cl-exercise .cl-no { border-left-color: var(--jp-warn-color1, #f57c00); }
.cl-exercise .cl-info { border-left-color: var(--jp-info-color1, #0097a7); }
.cl-exercise .jupyter-button { white-space: normal; height: auto; min-height: var(--jp-widgets-inline-height, 28px);
  overflow: visible; text-overflow: clip; text-align: left; line-height: 1.3; padding: 4px 10px; }
.cl-exercise .jupyter-button:focus-visible, .cl-exercise input:focus-visible {
  outline: 2px solid var(--jp-brand-color1, #1976d2); outline-offset: 1px; }
.cl-exercise .widget-toggle-buttons .jupyter-button.mod-active {
  background: var(--jp-brand-color1, #1976d2); color: var(--jp-ui-inverse-font-color0, #fff);
  font-weight: bold; box-shadow: inset 0 0 0 2px var(--jp-brand-color0, #0d47a1); }
.cl-exercise .widget-toggle-buttons .jupyter-button.mod-active::before { content: "✓ "; }
.cl-exercise .cl-sorter-row { flex-wrap: wrap; align-items: center; gap: 4px 12px;
  border-bottom: 1px solid var(--jp-border-color2, #e0e0e0); padding: 4px 0; }
.cl-exercise .cl-sorter-row .widget-html { flex: 1 1 18em; min-width: 12em; }
.cl-exercise .widget-toggle-buttons { flex-wrap: wrap; }
.cl-exercise .widget-radio-box label { white-space: normal; height: auto; display: flex;
  align-items: flex-start; gap: 6px; line-height: 1.35; margin: 2px 0 6px; }
.cl-exercise .widget-radio-box input { flex: none; order: -1; margin-top: 2px; }
.cl-rep-explorer .cl-numbers td, .cl-rep-explorer .cl-numbers th { padding: 2px 8px; text-align: right; }
"""
# Keyboard: in JupyterLab the arrow keys move between a notebook's cells, and the focused
# radio button or bin matches that shortcut itself. The exercise keeps arrow keys to itself
# (they bubble no further than it), so arrows move between its own options as in any form.
_KEYBOARD = ("<img alt='' hidden src='data:,' onerror=\"var i=this,n=0;(function f(){"
             "var e=i.closest('.cl-exercise, .cl-rep-explorer');"
             "if(e&&!e.dataset.clKeys){e.dataset.clKeys='own';e.addEventListener('keydown',function(v){"
             "if(v.key.indexOf('Arrow')===0){v.stopPropagation()}})}"
             "else if(!e&&n++<100){setTimeout(f,100)}})()\">")


# Shown above each widget. A notebook reopened without running has no widget to draw
# ("model not found"): this line then says what to do. While the widget is drawn, the line
# hides itself (the next output holds a drawn exercise).
RUN_PROMPT = (
    "<style>.jp-OutputArea-child:has(+ .jp-OutputArea-child :is(.cl-exercise, .cl-rep-explorer)) "
    ".cl-run-prompt {display: none}</style>"
    "<div class='cl-run-prompt'>▶ To use this exercise, run the notebook: Run → Run All Cells "
    "(answers you already gave come back).</div>"
)


def _display(widget: w.Widget) -> None:
    """Show the run-the-notebook line, then the widget."""
    from IPython.display import HTML, display

    display(HTML(RUN_PROMPT))
    display(widget)


def _style() -> w.HTML:
    """The exercises' style sheet and keyboard behavior, as a widget to mount with them."""
    sheet = w.HTML(f"<style>{STYLE}</style>{_KEYBOARD}", layout=w.Layout(margin="0", height="0"))
    sheet.add_class("cl-style")
    return sheet


def _box(kind: str, text: str) -> str:
    """A line of feedback: kind is ok, no, info or muted (see STYLE)."""
    return f'<div class="cl-feedback cl-{kind}">{text}</div>'


def _stop(text: str) -> str:
    """The full stop a sentence quoting `text` still needs (none after one it ends with)."""
    return "" if text.rstrip().endswith((".", "!", "?", '"', "”")) else "."


def _esc(value: Any) -> str:
    return html.escape(str(value))


class _Exercise:
    """What every graded widget shares: its answers store, feedback area and hint."""

    kind = "exercise"

    def __init__(self, question_id: str, answer_hash: str | None, hint: str,
                 module: str | None) -> None:
        if not _answers.QUESTION_ID.match(question_id):
            raise ValueError(f"question id {question_id!r}: use letters, digits, '_', '-' or '.'")
        self.question_id = question_id
        self.answer_hash = answer_hash
        self.hint_text = hint
        self._store = _answers.store(module)
        self._store.claim(question_id)
        self._restoring = False
        self._warning = ""
        self.feedback = w.HTML(_box("muted", "Not attempted yet: your answer is saved as soon as you give it."))
        self.feedback.add_class("cl-feedback-area")
        self.hint_button = w.Button(description="Hint", tooltip="Show a hint",
                                    layout=w.Layout(width="auto"))
        self.hint_button.add_class("cl-hint")
        self.hint_button.on_click(lambda _: self._show_hint())
        self.widget: w.Widget | None = None

    def _shuffled(self, items: Sequence[Any]) -> list[Any]:
        """`items` in this learner's own order: stable across re-runs and restarts, different
        from one learner to the next, so no position (first, last) gives an answer away."""
        seed = hashlib.sha256(f"order:{_answers.learner()}:{self.question_id}".encode()).hexdigest()
        order = list(items)
        random.Random(seed).shuffle(order)
        return order

    def _copy_note(self) -> list[w.Widget]:
        """One line on a copy of a module's notebook: its answers are kept apart and not graded."""
        original = self._store.copy_of
        if not original:
            return []
        note = w.HTML(_box("info", (
            f"This notebook is a copy: answers here are saved to {_esc(self._store.path.name)} and are "
            f"not graded. Your graded answers are the ones you give in {_esc(original)}.ipynb.")))
        note.add_class("cl-copy-note")
        return [note]

    def _mount(self, *children: w.Widget) -> None:
        """Lay out the exercise: its parts, then the feedback area; CSS classes for tests and styling."""
        self.widget = w.VBox([_style(), *self._copy_note(), *children, self.feedback])
        self.widget.add_class("cl-exercise")
        self.widget.add_class(f"cl-q-{self.question_id}")

    # -- display: the exercise shows as its widget -----------------------------------
    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _ipython_display_(self) -> None:
        _display(self.widget)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.question_id}: {self.status}>"

    # -- shared answer plumbing ------------------------------------------------------
    def _saved(self) -> Any:
        """The saved answer, or None (a damaged entry is reported by the store)."""
        entry = self._store.get(self.question_id)
        if entry is None:
            return None
        if entry.get("kind", self.kind) != self.kind:
            self._store.reject(self.question_id, f"saved for a {entry['kind']}, not a {self.kind}")
            return None
        return entry["answer"]

    def _save(self, value: Any, *, correct: bool | None, count_attempt: bool = True) -> None:
        """Record `value` in the answers file; on a disk error, say so in the feedback."""
        try:
            self._store.record(self.question_id, value, kind=self.kind, correct=correct,
                               count_attempt=count_attempt)
            self._warning = ""
        except OSError as error:
            self._warning = _box("no", (
                f"Your answer could not be saved to {_esc(self._store.path.name)} "
                f"({_esc(error.strerror or error)}), so it cannot be graded yet. "
                "Check the folder can be written to, then answer again."))

    def _show(self) -> None:
        self.feedback.value = _box(*self._verdict()) + self._warning

    def _reject(self, why: str) -> None:
        self._store.reject(self.question_id, why)

    def _matches(self, value: Any) -> bool:
        return self.answer_hash is not None and answer_hash(self.question_id, value) == self.answer_hash

    def _show_hint(self) -> None:
        text = self.hint_text or "No hint for this one: trust your first reading."
        self.feedback.value = self.feedback.value + _box("info", f"Hint: {_esc(text)}")

    # -- the public face -------------------------------------------------------------
    @property
    def attempted(self) -> bool:
        return self.status != NOT_ATTEMPTED

    def is_correct(self) -> bool:
        return self.status == CORRECT

    @property
    def status(self) -> str:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def _message(self) -> str:  # pragma: no cover
        raise NotImplementedError

    def check(self) -> None:
        """Print where you stand on this exercise."""
        verdict = {CORRECT: "correct", NOT_ATTEMPTED: "not attempted"}.get(self.status, "wrong")
        if self._store.copy_of is None:
            _records.send("check", self._store.module, self.question_id, verdict=verdict)
        print(self._message())

    def hint(self) -> None:
        """Print a hint."""
        print(f"Hint: {self.hint_text or 'No hint for this one: trust your first reading.'}")


# ============================================================================ multiple choice
class MultipleChoice(_Exercise):
    """Pick one option; right or wrong shows at once, and the choice is saved.

    `feedback` maps EVERY option, the right one included, to what is shown once it is
    picked (why it misses, or why it fits), ideally sealed with
    `course.answers.seal_feedback` so that reading the package cannot single out the right
    option. `explain` (optional) is added once the answer is right. Options are shown in
    each learner's own order. `answer_hash` is `answer_hash(question_id, right_option_text)`.
    """

    kind = "multiple_choice"

    def __init__(self, question_id: str, question: str, options: Sequence[str], answer_hash: str,
                 hint: str = "", *, feedback: Mapping[str, str] | None = None,
                 explain: str = "", module: str | None = None) -> None:
        super().__init__(question_id, answer_hash, hint, module)
        self.question, self.options = question, [str(o) for o in options]
        if len(set(self.options)) != len(self.options) or len(self.options) < 2:
            raise ValueError(f"{question_id}: give at least two different options")
        self.option_feedback = dict(feedback or {})
        missing = [o for o in self.options if not self.option_feedback.get(o)]
        if missing:
            raise ValueError(f"{question_id}: give feedback for every option, the right one too "
                             f"(otherwise the one left out is the answer); missing: {missing}")
        self.explain = explain
        self.radio = w.RadioButtons(options=self._shuffled(self.options), value=None,
                                    layout=w.Layout(width="auto"))
        self.radio.add_class("cl-choices")
        self.radio.observe(self._on_pick, names="value")
        self._mount(w.HTML(f"<b>{_esc(question)}</b>"), self.radio, w.HBox([self.hint_button]))
        self._restore()

    def _said(self, option: str) -> str:
        """The feedback of `option`, unsealed."""
        return _answers.unseal(self.question_id, option, self.option_feedback[option])

    def _restore(self) -> None:
        saved = self._saved()
        if saved is None:
            return
        if saved not in self.options:
            self._reject("the saved answer is not one of this question's options")
            return
        self._restoring = True
        try:
            self.radio.value = saved
        finally:
            self._restoring = False
        self.feedback.value = _box(*self._verdict())

    def _on_pick(self, change) -> None:
        if self._restoring or change["new"] is None:
            return
        self._save(change["new"], correct=self._matches(change["new"]))
        self._show()

    def choose(self, option: str) -> None:
        """Answer from code, exactly as a click on `option` would."""
        if option not in self.options:
            raise ValueError(f"{option!r} is not one of the options")
        self.radio.value = option

    @property
    def value(self) -> str | None:
        return self.radio.value

    @property
    def status(self) -> str:
        if self.radio.value is None:
            return NOT_ATTEMPTED
        return CORRECT if self._matches(self.radio.value) else INCORRECT

    def _verdict(self) -> tuple[str, str]:
        status, picked = self.status, self.radio.value
        if status == NOT_ATTEMPTED:
            return "muted", "Not attempted yet: pick the option you think fits."
        if status == CORRECT:
            return "ok", "Right. " + _esc(" ".join(filter(None, [self._said(picked), self.explain])))
        return "no", (f"Not quite: you picked <i>{_esc(picked)}</i>{_stop(picked)} {_esc(self._said(picked))} "
                      "Try another option, or click Hint.")

    def _message(self) -> str:
        status, picked = self.status, self.radio.value
        if status == NOT_ATTEMPTED:
            return f"{self.question_id}: not attempted yet. Pick an option in the widget."
        if status == CORRECT:
            return f"{self.question_id}: correct. " + " ".join(filter(None, [self._said(picked), self.explain]))
        return (f"{self.question_id}: not quite. You picked “{picked}”{_stop(picked)} {self._said(picked)} "
                "Try another option, or ask for a hint with .hint().")


class TrueFalse(MultipleChoice):
    """A statement to mark True or False (`answer_hash(question_id, "True")` or `"False"`)."""

    def __init__(self, question_id: str, statement: str, answer_hash: str, hint: str = "",
                 **options: Any) -> None:
        super().__init__(question_id, statement, ["True", "False"], answer_hash, hint, **options)


# ============================================================================ sorter
class Sorter(_Exercise):
    """Put each item (say, a manager's remark) into one of the bins, one click per item.

    Each click is saved; once every item has a bin the sort is checked.
    `answer_hash` is `answer_hash(question_id, {item: bin, ...})` over every item.
    When the sort is wrong, the widget says how many items are misplaced, and from the
    second wrong try on, which ones (never where they belong) when there are three bins or
    more: with two bins, naming an item would give its bin away.
    """

    kind = "sorter"
    _MAX_SEARCH = 50_000  # bins ** items up to this: misplaced items can be counted

    def __init__(self, question_id: str, items: Sequence[str], bins: Sequence[str],
                 answer_hash: str, hint: str = "", *, prompt: str = "",
                 explain: str = "", module: str | None = None) -> None:
        super().__init__(question_id, answer_hash, hint, module)
        self.items, self.bins = [str(i) for i in items], [str(b) for b in bins]
        if len(set(self.items)) != len(self.items) or len(set(self.bins)) != len(self.bins):
            raise ValueError(f"{question_id}: items and bins must each be different from one another")
        self.explain = explain
        self._key: dict[str, str] | None | bool = False  # False: not searched yet
        self.pickers: dict[str, w.ToggleButtons] = {}
        for item in self.items:
            picker = w.ToggleButtons(options=self.bins, value=None,
                                     style={"button_width": "auto"})
            picker.observe(self._on_pick, names="value")
            self.pickers[item] = picker
        rows = []
        for item in self._shuffled(self.items):  # shown in this learner's order
            number, picker = self.items.index(item), self.pickers[item]
            label = w.HTML(_esc(item))
            row = w.HBox([label, picker])
            row.add_class("cl-sorter-row")
            row.add_class(f"cl-sorter-row-{number}")
            rows.append(row)
        header = w.HTML(f"<b>{_esc(prompt or 'Put each item in the bin where it belongs.')}</b>")
        self._mount(header, *rows, w.HBox([self.hint_button]))
        self._restore()

    def _restore(self) -> None:
        saved = self._saved()
        if saved is None:
            return
        if (not isinstance(saved, dict) or not set(saved) <= set(self.items)
                or any(v is not None and v not in self.bins for v in saved.values())):
            self._reject("the saved sort does not match this exercise's items and bins")
            return
        self._restoring = True
        try:
            for item, chosen in saved.items():
                self.pickers[item].value = chosen
        finally:
            self._restoring = False
        self.feedback.value = _box(*self._verdict())

    def _on_pick(self, change) -> None:
        if self._restoring:
            return
        value = self.value
        complete = all(v is not None for v in value.values())
        self._save(value, correct=self._matches(value) if complete else None, count_attempt=complete)
        self._show()

    def assign(self, item: str, bin: str | None) -> None:
        """Put `item` in `bin` from code, exactly as a click would."""
        if item not in self.pickers:
            raise ValueError(f"{item!r} is not one of the items")
        self.pickers[item].value = bin

    @property
    def value(self) -> dict[str, str | None]:
        return {item: picker.value for item, picker in self.pickers.items()}

    @property
    def status(self) -> str:
        value = self.value
        if all(v is None for v in value.values()):
            return NOT_ATTEMPTED
        if any(v is None for v in value.values()):
            return INCOMPLETE
        return CORRECT if self._matches(value) else INCORRECT

    def _misplaced(self) -> list[str] | None:
        """Items in the wrong bin, when the key can be recovered from its hash (small sorts)."""
        if self._key is False:
            self._key = None
            if len(self.bins) ** len(self.items) <= self._MAX_SEARCH:
                for combo in itertools.product(self.bins, repeat=len(self.items)):
                    candidate = dict(zip(self.items, combo))
                    if self._matches(candidate):
                        self._key = candidate
                        break
        if not self._key:
            return None
        return [i for i, b in self.value.items() if b is not None and b != self._key[i]]

    def _attempts(self) -> int:
        entry = self._store.get(self.question_id)
        return entry.get("attempts", 0) if entry else 0

    def _wrong_text(self) -> str:
        misplaced = self._misplaced()
        if not misplaced:
            return "At least one item is in the wrong bin."
        count = len(misplaced)
        noun = "item is" if count == 1 else "items are"
        text = f"{count} {noun} in the wrong bin."
        if self._attempts() >= 2 and len(self.bins) > 2:
            text += " Look again at: " + "; ".join(f"“{m}”" for m in misplaced) + "."
        return text

    def _verdict(self) -> tuple[str, str]:
        status = self.status
        if status == NOT_ATTEMPTED:
            return "muted", "Not attempted yet: click a bin for each item."
        if status == INCOMPLETE:
            left = sum(v is None for v in self.value.values())
            return "muted", f"Saved. {left} item{'s' if left > 1 else ''} still to place."
        if status == CORRECT:
            return "ok", "All sorted. " + _esc(self.explain or "Nicely done.")
        return "no", f"Not yet. {_esc(self._wrong_text())} Change a bin to try again, or click Hint."

    def _message(self) -> str:
        status = self.status
        if status == NOT_ATTEMPTED:
            return f"{self.question_id}: not attempted yet. Click a bin for each item."
        if status == INCOMPLETE:
            left = [i for i, v in self.value.items() if v is None]
            items = "1 item" if len(left) == 1 else f"{len(left)} items"
            return f"{self.question_id}: {items} still to place, for example “{left[0]}”."
        if status == CORRECT:
            return f"{self.question_id}: correct. {self.explain or 'Nicely done.'}"
        return f"{self.question_id}: not yet. {self._wrong_text()}"


# ============================================================================ role-play
def __getattr__(name: str):
    """`RolePlay` lives in `course.roleplay`; it is loaded on first use (it builds on `_Exercise`)."""
    if name == "RolePlay":
        from course.roleplay import RolePlay
        return RolePlay
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ============================================================================ rep explorer
def _number(value: float) -> str:
    """A count as a count (11, not 11.00); anything else to two decimals."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


class RepExplorer:
    """Pick a rep and a period; see their funnel, activity and quota attainment next to the team.

    `data` is a DataFrame with one row per rep and period, or a callable
    ``data(rep, period) -> DataFrame`` returning that same shape for the team in that
    period (rows for every rep). Columns are named by `rep`, `period`, `funnel` (stages in
    order, counts), `activity` (counts) and `attainment` (a fraction of quota). The team
    benchmark is the median rep of the period.

    Why this never hangs headless execution: nothing is drawn when the explorer is built
    (the rep picker starts empty), only in answer to a pick, which is a message from a live
    frontend; `nbgrader autograde`, nbconvert and nbclient send none. And a chart is a
    PNG drawn with a bare `matplotlib.figure.Figure` (no pyplot, no backend, no display
    hook, no Output-widget capture) into an `Image` widget, so even a pick from code
    (`.show(rep, period)`) cannot block or leak a figure into the cell's output.
    """

    def __init__(self, data: Any, *, reps: Sequence[str] | None = None,
                 periods: Sequence[str] | None = None, rep: str = "rep", period: str = "period",
                 funnel: Sequence[str] = ("leads", "meetings", "proposals", "won"),
                 activity: Sequence[str] = ("calls", "emails", "meetings"),
                 attainment: str = "quota_attainment") -> None:
        self.data, self.rep_col, self.period_col = data, rep, period
        self.funnel, self.activity, self.attainment = list(funnel), list(activity), attainment
        if reps is None or periods is None:
            if callable(data):
                raise ValueError("with a callable, give `reps` and `periods` to choose from")
            reps = reps if reps is not None else sorted(data[rep].astype(str).unique())
            periods = periods if periods is not None else sorted(data[period].astype(str).unique())
        self.rep_picker = w.Dropdown(options=list(reps), value=None, description="Rep")
        self.period_picker = w.Dropdown(options=list(periods), value=list(periods)[-1] if periods else None,
                                        description="Period")
        # hidden until a rep is picked: an empty image shows as a broken-image icon
        self.image = w.Image(format="png", layout=w.Layout(max_width="100%", display="none"))
        self.note = w.HTML("<i>Pick a rep to see their numbers next to the team's.</i>")
        self.table = w.HTML()
        self.table.add_class("cl-numbers")
        for picker in (self.rep_picker, self.period_picker):
            picker.observe(self._on_pick, names="value")
        pickers = w.HBox([self.rep_picker, self.period_picker], layout=w.Layout(flex_flow="row wrap"))
        self.widget = w.VBox([_style(), pickers, self.note, self.image, self.table])
        self.widget.add_class("cl-rep-explorer")
        self.draws = 0

    @classmethod
    def for_team(cls, team: str) -> "RepExplorer":
        """An explorer over one team of the sample data, quarter by quarter: the funnel
        (opportunities, proposals, deals), average weekly activity and quota attainment."""
        import course

        reps = course.load("reps")
        names = reps.loc[reps["team"] == team, ["rep_id", "name"]]
        if names.empty:
            raise ValueError(f"No team called {team!r}; the teams are {', '.join(reps['team'].cat.categories)}.")
        results = names.merge(course.load("quarterly_results"), on="rep_id")
        activity = course.load("weekly_activity")
        activity["quarter"] = activity["week_start"].dt.to_period("Q").astype(str)
        weekly = activity.groupby(["rep_id", "quarter"], as_index=False)[["calls", "emails", "meetings", "demos"]].mean()
        table = results.merge(weekly, on=["rep_id", "quarter"], how="left").rename(columns={
            "opportunities_created": "opportunities", "proposals_presented": "proposals", "deals_closed": "deals"})
        table["quota_attainment"] = table["quota_attainment_pct"] / 100
        return cls(table, rep="name", period="quarter", funnel=("opportunities", "proposals", "deals"),
                   activity=("calls", "emails", "meetings", "demos"), attainment="quota_attainment")

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _ipython_display_(self) -> None:
        _display(self.widget)

    def _on_pick(self, _change) -> None:
        if self.rep_picker.value is not None and self.period_picker.value is not None:
            self.show(self.rep_picker.value, self.period_picker.value)

    def _team(self, rep: str, period: str):
        if callable(self.data):
            return self.data(rep, period)
        frame = self.data
        return frame[frame[self.period_col].astype(str) == str(period)]

    def numbers(self, rep: str, period: str):
        """A table: each metric for `rep` and for the team's median rep in `period`."""
        import pandas as pd

        team = self._team(rep, period)
        mine = team[team[self.rep_col].astype(str) == str(rep)]
        if mine.empty:
            raise ValueError(f"No numbers for {rep} in {period}.")
        metrics = [c for c in [*self.funnel, *self.activity, self.attainment] if c in team.columns]
        metrics = list(dict.fromkeys(metrics))
        return pd.DataFrame({rep: mine[metrics].iloc[0], "Team (median)": team[metrics].median(numeric_only=True)})

    def figure(self, rep: str, period: str):
        """The comparison chart as a matplotlib Figure (no pyplot: nothing is displayed)."""
        import seaborn as sns
        from matplotlib.figure import Figure

        table = self.numbers(rep, period)
        long = table.reset_index(names="metric").melt(id_vars="metric", var_name="who", value_name="value")
        groups = [("Funnel", self.funnel), ("Activity", self.activity), ("Quota attainment", [self.attainment])]
        groups = [(name, [m for m in cols if m in table.index]) for name, cols in groups]
        groups = [(name, cols) for name, cols in groups if cols]
        # Two charts a row, 7 inches wide: at 100 dpi it fits a 900-pixel window unscaled,
        # so its text stays the size it was drawn at.
        columns = min(2, len(groups))
        rows = -(-len(groups) // columns)
        fig = Figure(figsize=(7, 3.0 * rows), layout="constrained")
        grid = fig.subplots(rows, columns, squeeze=False)
        axes = list(grid.flat)
        for spare in axes[len(groups):]:
            spare.set_visible(False)
        for ax, (name, cols) in zip(axes, groups):
            part = long[long["metric"].isin(cols)]
            sns.barplot(data=part, x="metric", y="value", hue="who", ax=ax, order=cols,
                        palette=["#2c5d8f", "#b5b5b5"])
            ax.set_title(name)
            ax.set_xlabel("")
            ax.set_ylabel("")
            if name == "Quota attainment":
                ax.axhline(1.0, color="#a5530a", linewidth=1, linestyle="--")
            legend = ax.get_legend()
            if legend is not None and ax is not axes[0]:
                legend.remove()
        fig.suptitle(f"{rep}, {period}: rep vs team median")
        return fig

    def show(self, rep: str, period: str) -> None:
        """Draw `rep` in `period` into the widget (what picking them does)."""
        try:
            fig = self.figure(rep, period)
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=100)
            self.image.value = buffer.getvalue()
            self.image.layout.display = None
            self.table.value = self.numbers(rep, period).to_html(float_format=_number)
            self.note.value = ""
            self.draws += 1
        except (ValueError, KeyError) as error:
            self.note.value = f"<i>{_esc(error)}</i>"
