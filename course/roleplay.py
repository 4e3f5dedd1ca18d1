"""A coaching conversation to play: the `RolePlay` widget (re-exported by `course.widgets`).

The learner picks what to say at each step; the rep answers in character to that line; at the
end the whole conversation is scored on coaching behaviors, with the better reply shown for
each step the learner missed. A script is data (see `course/exercises/roleplays.py`), in one
of two shapes:

- **steps** (what the course's role-plays use): ``{"opening": "the rep's first line",
  "steps": [{"stage": "goal", "replies": [{"say": ..., "kind": ..., "rep": "the rep's answer
  to this line", "does": ["support"]}, ...]}, ...]}``. Every reply has its own answer, and
  the conversation moves on to the next step whatever was said.
- **nodes** (free branching): ``{node_id: {"rep": ..., "stage": ..., "choices": [{"say": ...,
  "kind": ..., "next": node_id or None, "rep": optional answer}, ...]}}``; a node without
  choices ends the conversation.

A reply's `kind` says what it does: `coach` (hands the thinking to the rep; `ask` and
`explore` mean the same) or one of the ways a manager misses (see `MISSES`). `does` marks
the behaviors a line carries: `challenge`, `support`, and `commitment` (the rep commits, in
their own words, to something with a date). The last finished conversation is saved as the
list of reply numbers and graded: it passes when the share of lines that coach is at least
`pass_score` (default: all but one) and, if the script offers one, a dated commitment was made.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as w

from course.widgets import CORRECT, INCOMPLETE, INCORRECT, NOT_ATTEMPTED, _Exercise, _esc

COACHING = {"coach", "ask", "explore"}
# What each way of missing is called in the review, and what to do instead.
MISSES = {
    "tell": ("telling", "Telling solves today's deal; asking builds a rep who solves the next one."),
    "blame": ("blame", "Blame makes a rep defend; curiosity makes them think."),
    "argue": ("arguing with the excuse", "An argued excuse gets defended. Acknowledge the feeling, then get specific."),
    "advice": ("premature advice", "A fix offered before the rep has looked at what happened is your answer, not theirs."),
    "leading": ("a leading question", "The answer was inside the question: the rep only had to agree."),
    "why": ("a 'why' interrogation", "'Why did you…?' asks for a defense. 'What happened…?' asks for the facts."),
    "rescue": ("rescuing the rep", "You took the problem back. Next week it is still yours, not theirs."),
    "praise": ("vague praise", "Praise with no behavior in it gives the rep nothing to repeat."),
    "let_off": ("letting it slide", "Support without challenge tells the rep the commitment did not matter."),
    "pressure": ("pressure without support", "Challenge without support gets compliance for a week, not a change."),
}
KINDS = COACHING | set(MISSES)
BEHAVIOURS = {"challenge", "support", "commitment"}
STAGES = {"goal": "Goal", "reality": "Reality", "options": "Options", "way_forward": "Way forward"}
_END = "__end__"

# Themed with JupyterLab's own variables so it reads in the light and the dark theme; replies wrap.
_STYLE = """<style>
.cl-roleplay .cl-say.jupyter-button { white-space: normal !important; height: auto !important;
  min-height: var(--jp-widgets-inline-height, 28px); width: 100%; max-width: 100%; overflow: visible !important;
  text-overflow: clip !important; text-align: left; line-height: 1.4; padding: 6px 10px; margin: 2px 0; }
.cl-roleplay .cl-say.jupyter-button:focus-visible { outline: 2px solid var(--jp-brand-color1); outline-offset: 1px; }
.cl-roleplay .cl-line { margin: 4px 0; padding: 6px 10px; border-radius: 6px; line-height: 1.45;
  color: var(--jp-ui-font-color1); overflow-wrap: anywhere; }
.cl-roleplay .cl-line-rep { background: var(--jp-layout-color2); margin-right: 15%; }
.cl-roleplay .cl-line-you { border: 1px solid var(--jp-border-color1); margin-left: 15%; }
.cl-roleplay .cl-review { color: var(--jp-ui-font-color1); border-top: 1px solid var(--jp-border-color2);
  margin-top: 8px; padding-top: 4px; line-height: 1.45; overflow-wrap: anywhere; }
.cl-roleplay .cl-review li { margin: 4px 0; }
.cl-roleplay .cl-review .cl-better { border-left: 3px solid var(--jp-brand-color1); padding-left: 8px; }
</style>"""


@dataclass
class Line:
    """One of the learner's lines in a finished (or partial) conversation."""
    step: int
    node: str
    say: str
    kind: str
    does: frozenset[str]
    better: str | None  # the coaching reply at that step, when this line missed

    @property
    def coached(self) -> bool:
        return self.kind in COACHING


@dataclass
class Assessment:
    """A conversation scored on coaching behaviors."""
    lines: list[Line]
    stages: list[str] = field(default_factory=list)         # the script's GROW stages, in order
    reached: list[str] = field(default_factory=list)        # those where the learner coached
    challenge: bool = False
    support: bool = False
    commitment: bool = False
    checks_behaviours: bool = False                          # the script marks challenge/support
    checks_commitment: bool = False                          # the script offers a commitment

    @property
    def score(self) -> float:
        return sum(line.coached for line in self.lines) / len(self.lines) if self.lines else 0.0

    @property
    def missed(self) -> list[Line]:
        return [line for line in self.lines if not line.coached]


def steps_to_nodes(script: Mapping[str, Any], question_id: str = "role-play") -> dict[str, dict]:
    """A steps script as nodes: step N's replies lead to step N+1; the last step's end the talk."""
    steps = script.get("steps")
    if not isinstance(steps, list) or not steps or not script.get("opening"):
        raise ValueError(f"{question_id}: a steps script needs an 'opening' line and a list of 'steps'")
    nodes: dict[str, dict] = {}
    for number, step in enumerate(steps, start=1):
        replies = step.get("replies") or []
        for reply in replies:
            if not reply.get("rep"):
                raise ValueError(f"{question_id}: step {number}: every reply needs the rep's answer ('rep')")
        following = f"step{number + 1}" if number < len(steps) else None
        nodes[f"step{number}"] = {
            "rep": script["opening"] if number == 1 else "",
            "stage": step.get("stage"),
            "choices": [{**reply, "next": following} for reply in replies],
        }
    return nodes


class RolePlay(_Exercise):
    """A coaching conversation: pick what you say; the rep answers; the whole talk is scored.

    See the module docstring for the script format. `rep_name` labels the rep's lines,
    `title` heads the widget, `hint` is what the Hint button shows.
    """

    kind = "role_play"

    def __init__(self, question_id: str, script: Mapping[str, Any], *, start: str = "start",
                 pass_score: float | None = None, rep_name: str = "Rep", title: str = "",
                 hint: str = "", module: str | None = None) -> None:
        super().__init__(question_id, None, hint, module)
        if isinstance(script.get("steps"), list):
            script, start = steps_to_nodes(script, question_id), "step1"
        self.script, self.start, self.rep_name = dict(script), start, rep_name
        self._validate()
        self.pass_score = pass_score
        self.path: list[int] = []  # reply numbers of the conversation on screen
        self._finished_path: list[int] | None = None  # last finished (saved) conversation
        self.transcript = w.HTML()
        self.transcript.add_class("cl-transcript")
        self.choices = w.VBox(layout=w.Layout(width="100%"))
        self.choices.add_class("cl-roleplay-choices")
        self.review = w.HTML()
        self.review.add_class("cl-review-area")
        self.restart = w.Button(description="Start over", tooltip="Start the conversation again",
                                layout=w.Layout(width="auto"))
        self.restart.add_class("cl-restart")
        self.restart.on_click(lambda _: self._click(None))
        header = w.HTML(_STYLE + f"<b>{_esc(title or 'Coach the rep: pick what you say next.')}</b>")
        self._mount(header, self.transcript, self.choices, w.HBox([self.restart, self.hint_button]))
        self.widget.children = (*self.widget.children, self.review)  # the verdict first, then the review
        self.widget.add_class("cl-roleplay")
        saved = self._saved()
        if saved is not None:
            if not (isinstance(saved, list) and self._is_end(self._walk(saved))):
                self._reject("the saved conversation does not follow this script")
            else:
                self._finished_path = list(saved)
                self.path = list(saved)
        self._render()

    # -- the script ------------------------------------------------------------------
    def _validate(self) -> None:
        name = self.question_id
        if self.start not in self.script:
            raise ValueError(f"{name}: start node {self.start!r} is not in the script")
        for node_id, node in self.script.items():
            if "rep" not in node:
                raise ValueError(f"{name}: node {node_id!r} needs a 'rep' line")
            if node.get("stage") not in (None, *STAGES):
                raise ValueError(f"{name}: node {node_id!r}: stage must be one of {sorted(STAGES)}")
            choices = node.get("choices", [])
            if choices and sum(self._kind(c) in COACHING for c in choices) != 1:
                raise ValueError(f"{name}: node {node_id!r}: give exactly one reply that coaches")
            for choice in choices:
                if self._kind(choice) not in KINDS:
                    raise ValueError(f"{name}: node {node_id!r}: kind must be one of {sorted(KINDS)}")
                if not set(choice.get("does", ())) <= BEHAVIOURS:
                    raise ValueError(f"{name}: node {node_id!r}: 'does' takes {sorted(BEHAVIOURS)}")
                if choice.get("next") is not None and choice["next"] not in self.script:
                    raise ValueError(f"{name}: node {node_id!r} leads to unknown {choice['next']!r}")

    @staticmethod
    def _kind(choice: Mapping[str, Any]) -> str:
        return choice.get("kind", choice.get("tag"))

    def _walk(self, path: Sequence[int]) -> str | None:
        """The node reached by `path` from the start, `_END`, or None when `path` is not valid."""
        node_id = self.start
        for number in path:
            if node_id == _END:
                return None
            choices = self.script[node_id].get("choices", [])
            if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number < len(choices):
                return None
            node_id = choices[number].get("next") or _END
        return node_id

    def _is_end(self, node_id: str | None) -> bool:
        return node_id == _END or (node_id in self.script and not self.script[node_id].get("choices"))

    def coaching_path(self) -> list[int]:
        """The reply numbers of the conversation that coaches at every step."""
        path, node_id = [], self.start
        while not self._is_end(node_id):
            choices = self.script[node_id]["choices"]
            number = next(i for i, c in enumerate(choices) if self._kind(c) in COACHING)
            path.append(number)
            node_id = choices[number].get("next") or _END
        return path

    def _conversation(self, path: Sequence[int]) -> list[tuple[str, str]]:
        """(speaker, text) for each line along `path`: the rep answers what was just said."""
        node_id = self.start
        lines = [(self.rep_name, self.script[node_id]["rep"])]
        for number in path:
            choice = self.script[node_id]["choices"][number]
            lines.append(("You", choice["say"]))
            node_id = choice.get("next") or _END
            answer = choice.get("rep") or (self.script[node_id]["rep"] if node_id != _END else "")
            if answer:
                lines.append((self.rep_name, answer))
        return lines

    def assess(self, path: Sequence[int] | None = None) -> Assessment:
        """The conversation along `path` (default: the saved one) scored on coaching behaviors."""
        path = self._answer_path() if path is None else list(path)
        every_choice = [c for node in self.script.values() for c in node.get("choices", [])]
        stages = [s for s in STAGES if any(node.get("stage") == s for node in self.script.values())]
        found = Assessment(lines=[], stages=stages,
                           checks_behaviours=any({"challenge", "support"} & set(c.get("does", ())) for c in every_choice),
                           checks_commitment=any("commitment" in c.get("does", ()) for c in every_choice))
        node_id, reached = self.start, set()
        for step, number in enumerate(path, start=1):
            node = self.script[node_id]
            choice = node["choices"][number]
            kind, does = self._kind(choice), frozenset(choice.get("does", ()))
            better = None if kind in COACHING else next(c["say"] for c in node["choices"] if self._kind(c) in COACHING)
            found.lines.append(Line(step, node_id, choice["say"], kind, does, better))
            if kind in COACHING and node.get("stage"):
                reached.add(node["stage"])
            found.challenge |= "challenge" in does
            found.support |= "support" in does
            found.commitment |= "commitment" in does
            node_id = choice.get("next") or _END
        found.reached = [s for s in stages if s in reached]
        return found

    def passed(self, path: Sequence[int] | None = None) -> bool:
        """Whether the conversation along `path` (default: the saved one) passes."""
        found = self.assess(path)
        return bool(found.lines) and self._thought_enough(found) and (found.commitment or not found.checks_commitment)

    def _thought_enough(self, found: Assessment) -> bool:
        """Enough of the learner's lines coached: `pass_score` of them, or all but one."""
        lines, coached = len(found.lines), sum(line.coached for line in found.lines)
        return coached >= (lines - 1 if self.pass_score is None else self.pass_score * lines - 1e-9)

    def tags(self, path: Sequence[int] | None = None) -> list[str]:
        """Your lines' kinds (coach, leading, advice, …), in order."""
        return [line.kind for line in self.assess(path).lines]

    def score(self, path: Sequence[int] | None = None) -> float:
        """Share of your lines that coach, 0 to 1."""
        return self.assess(path).score

    # -- playing -----------------------------------------------------------------------
    def _go(self, path: list[int]) -> None:
        self.path = path
        if path and self._is_end(self._walk(path)):
            self._finished_path = list(path)
            self._save(list(path), correct=self.passed(path))
        self._render()

    def say(self, number: int) -> None:
        """Pick reply `number` (0 = first) at the current point, as a click would."""
        node_id = self._walk(self.path)
        if node_id is None or self._is_end(node_id):
            raise ValueError("the conversation is over: call `.start_over()` first")
        if not 0 <= number < len(self.script[node_id]["choices"]):
            raise ValueError(f"there is no reply {number} here")
        self._go([*self.path, number])

    def start_over(self) -> None:
        self._go([])

    def _click(self, number: int | None) -> None:
        """A click (or Enter) on a reply, or on Start over (None); the keyboard stays in the widget."""
        self.say(number) if number is not None else self.start_over()
        (self.choices.children[0] if self.choices.children else self.restart).focus()

    def _render(self) -> None:
        rows = []
        for speaker, text in self._conversation(self.path):
            who = "you" if speaker == "You" else "rep"
            rows.append(f"<div class='cl-line cl-line-{who}'><b>{_esc(speaker)}:</b> {_esc(text)}</div>")
        self.transcript.value = f"<div role='log' aria-live='polite' aria-label='The conversation'>{''.join(rows)}</div>"
        node_id = self._walk(self.path)
        buttons = []
        if not self._is_end(node_id):
            for number, choice in enumerate(self.script[node_id]["choices"]):
                button = w.Button(description=choice["say"], layout=w.Layout(width="100%", height="auto"))
                button.add_class("cl-say")
                button.on_click(lambda _, n=number: self._click(n))
                buttons.append(button)
        self.choices.children = buttons
        finished = self._finished_path is not None and self.path == self._finished_path
        self.review.value = self._review_html() if finished else ""
        self._show()

    def _answer_path(self) -> list[int]:
        return list(self._finished_path or [])

    # -- the review ------------------------------------------------------------------------
    def _behaviour_rows(self, found: Assessment) -> list[tuple[str, bool, str]]:
        """(behavior, met, what the learner did) for the score card."""
        coached, rep = sum(line.coached for line in found.lines), self.rep_name
        rows = [("Who did the thinking", self._thought_enough(found),
                 f"{rep}, after {coached} of your {len(found.lines)} lines")]
        if found.stages:
            missing = [STAGES[s] for s in found.stages if s not in found.reached]
            reached = ", ".join(STAGES[s] for s in found.reached) or "none"
            rows.append(("GROW stages reached", not missing,
                         reached + (f"; not reached: {', '.join(missing)}" if missing else "")))
        if found.checks_behaviours:
            text = ("you held to the facts and backed the rep" if found.challenge and found.support
                    else "challenge without support" if found.challenge
                    else "support without challenge" if found.support else "no line challenged or supported")
            rows.append(("Challenge with support", found.challenge and found.support, text))
        if found.checks_commitment:
            rows.append(("A dated commitment", found.commitment,
                         f"{rep} committed, in their own words and with a date" if found.commitment
                         else f"nothing agreed with a date in {rep}'s own words"))
        return rows

    def _review_html(self) -> str:
        found = self.assess()
        rows = "".join(f"<li><b>{_esc(name)}</b> ({'yes' if met else 'not yet'}): {_esc(text)}.</li>"
                       for name, met, text in self._behaviour_rows(found))
        steps = []
        for line in found.lines:
            if line.coached:
                steps.append(f"<li>Step {line.step}: you coached. <i>“{_esc(line.say)}”</i></li>")
            else:
                label, tip = MISSES[line.kind]
                steps.append(
                    f"<li>Step {line.step}: <i>“{_esc(line.say)}”</i> is {_esc(label)}. {_esc(tip)}"
                    f"<div class='cl-better'>Better: <i>“{_esc(line.better)}”</i></div></li>")
        return (f"<div class='cl-review'><b>How the conversation went</b><ul>{rows}</ul>"
                f"<b>Step by step</b><ol>{''.join(steps)}</ol></div>")

    # -- grading ---------------------------------------------------------------------------
    @property
    def value(self) -> list[int] | None:
        return None if self._finished_path is None else list(self._finished_path)

    @property
    def status(self) -> str:
        if self._finished_path is None:
            return INCOMPLETE if self.path else NOT_ATTEMPTED
        return CORRECT if self.passed() else INCORRECT

    def _summary(self) -> str:
        found = self.assess()
        misses = [MISSES[line.kind][0] for line in found.missed]
        said = f"missed: {', '.join(misses)}" if misses else "every line coached"
        text = f"Coaching score {found.score:.0%} ({said})."
        if found.checks_commitment and not found.commitment:
            text += " No dated commitment yet."
        return text

    def _tip(self) -> str:
        missed = self.assess().missed
        return MISSES[missed[0].kind][1] if missed else ""

    def _verdict(self) -> tuple[str, str]:
        if self._finished_path is None or self.path != self._finished_path:
            if self.path:
                return "muted", "Keep going: the conversation is saved when it ends."
            if self._finished_path is None:
                return "muted", "Not attempted yet: pick what you say first."
            return "muted", "Starting over: your last finished conversation stays saved until this one ends."
        if self.is_correct():
            return "ok", f"Good coaching. {_esc(self._summary())} {_esc(self.rep_name)} did the thinking."
        return "no", (f"{_esc(self._summary())} {_esc(self._tip())} The review below shows a better line "
                      "for each step you missed; click Start over and try again.")

    def _message(self) -> str:
        if self.status == NOT_ATTEMPTED:
            return f"{self.question_id}: not attempted yet. Play the conversation in the widget."
        if self._finished_path is None:
            return f"{self.question_id}: the conversation isn't finished yet."
        verdict = "correct" if self.is_correct() else "not yet"
        return f"{self.question_id}: {verdict}. {self._summary()} {self._tip()}".strip()
