"""Read back a one-on-one you wrote or recorded: who talked, what you asked, where it went.

Write the conversation one turn per line, each starting with who speaks::

    Manager: What would you like to get out of today?
    Rep: I want to stop losing deals at the pricing step.
    Manager: Take the last one. What happened?

`analyze_conversation(text)` returns a `ConversationReport`: the manager's share of the words
(talk share), the manager's questions by kind (open, closed, leading, why), the GROW stages the
manager's lines reach, and whether the conversation ends with a commitment that has a date. The
rules are simple word patterns, written down here so you can argue with them: they are a mirror
for your own practice, not a verdict on it. Text it cannot read raises `ConversationFormatError`
naming the line and what to change.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

SPEAKERS = {"manager": "manager", "me": "manager", "rep": "rep"}
KINDS = ("open", "closed", "leading", "why")
STAGES = ("goal", "reality", "options", "way_forward")
MIN_TURNS = 8

_SPEAKER = re.compile(r"^\s*(?P<who>[A-Za-z]+)\s*:\s*(?P<text>.*)$")
_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_WORDS = re.compile(r"[A-Za-z0-9'’-]+")

# A question that carries the manager's answer: the rep only has to agree.
_LEADING_START = re.compile(
    r"^(wouldn't|won't|don't|doesn't|didn't|isn't|aren't|shouldn't|couldn't|can't|haven't|hasn't|"
    r"have you (tried|thought about|considered)|did you (try|think about|consider)|"
    r"do you (not )?think (you|it|that|we) (should|could|need|might)|"
    r"would it (not )?(be|help)|wouldn't it|should(n't)? you|why not|what about|how about|surely)\b")
_LEADING_TAG = re.compile(r"(,\s*(right|yes|no|correct|surely|ok|okay)|\b(isn't|wasn't|don't|didn't|won't|wouldn't) (it|you|they|we))\?$")
_OPEN_START = re.compile(r"^(what|how|when|where|who|which|tell me|walk me through|talk me through|"
                         r"take me through|help me understand|describe|say more)\b")
_INVITATION = re.compile(r"^(tell me|walk me through|talk me through|take me through|help me understand|"
                         r"describe|say more)\b")

# Phrases that place a manager's line in a GROW stage (checked in this order; the first that matches wins).
_STAGE_PHRASES = {
    "way_forward": r"\b(when will you|by when|which (one |of those )?will you|what will you (do|try|bring)|what exactly will you|"
                   r"how will (we|you)( both)? know|what('s| is) your (first|next) step|commit|and if|"
                   r"(tell|show|send|bring) me .*(on|by) (the \d+|monday|tuesday|wednesday|thursday|friday)|next session)\b",
    "options": r"\b(what could|how could|what else|what might|what would (you try|make that hard)|options?|ideas?|"
               r"instead|try (that|next|it)|what if|better to|would it help|which of those|get in the way|"
               r"how do you think (they|she|he)('d| would))\b",
    "reality": r"\b(what happened|what has happened|walk me through|talk me through|take me through|tell me about|"
               r"what did|how did|what do you know|what('s| is) in|where is|who is|which call|how much|how often|"
               r"last (call|week|one)|right now|so far|what stopped|what made|why (did|would|do) you|"
               r"what do you think (she|he|they)|would have happened|in common|did you)\b",
    "goal": r"\b(want|would like|like to|goal|get out of|hope|aim|achieve|better at|by the end of|look like|"
            r"where would you like|work on|talk about|what do you say)\b",
}
_STAGE = {stage: re.compile(pattern, re.IGNORECASE) for stage, pattern in _STAGE_PHRASES.items()}

_COMMIT = re.compile(r"\b(i'll|i will|i won't|i'm going to|i am going to|we'll|we will|let's|i can)\b", re.IGNORECASE)
_DATE = re.compile(
    r"\b(today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"(this|next) (morning|afternoon|week|month)|end of (the )?(day|week|month)|"
    r"(january|february|march|april|may|june|july|august|september|october|november|december) \d{1,2}|"
    r"\d{1,2}(st|nd|rd|th)|\d{1,2}/\d{1,2}|\d{4}-\d{2}-\d{2})\b",
    re.IGNORECASE)


class ConversationFormatError(ValueError):
    """The text is not a conversation in the `Manager:` / `Rep:` format; the message says where and why."""


@dataclass(frozen=True)
class Line:
    number: int          # the line number in the text you gave (1 = the first line)
    speaker: str         # manager or rep
    text: str

    @property
    def words(self) -> int:
        return len(_WORDS.findall(self.text))


@dataclass
class ConversationReport:
    lines: list[Line]
    questions: dict[str, list[int]] = field(default_factory=dict)   # kind -> line numbers
    stages: dict[str, list[int]] = field(default_factory=dict)      # GROW stage -> line numbers
    commitment: Line | None = None                                  # the dated commitment near the end

    @property
    def manager_words(self) -> int:
        return sum(line.words for line in self.lines if line.speaker == "manager")

    @property
    def rep_words(self) -> int:
        return sum(line.words for line in self.lines if line.speaker == "rep")

    @property
    def talk_share(self) -> float:
        """The manager's share of the words spoken, between 0 and 1."""
        total = self.manager_words + self.rep_words
        return self.manager_words / total if total else 0.0

    @property
    def question_counts(self) -> dict[str, int]:
        return {kind: len(self.questions.get(kind, [])) for kind in KINDS}

    @property
    def stages_reached(self) -> list[str]:
        return [stage for stage in STAGES if self.stages.get(stage)]

    @property
    def ends_with_dated_commitment(self) -> bool:
        return self.commitment is not None

    def as_dict(self) -> dict:
        """The figures as plain data (for a test or a table)."""
        return {
            "turns": len(self.lines), "talk_share": round(self.talk_share, 3),
            "questions": self.question_counts, "stages_reached": self.stages_reached,
            "ends_with_dated_commitment": self.ends_with_dated_commitment,
        }

    def __str__(self) -> str:
        counts = self.question_counts
        asked = sum(counts.values())
        missing = [s for s in STAGES if s not in self.stages_reached]
        out = [
            f"{len(self.lines)} turns. You spoke {self.manager_words} words, the rep {self.rep_words}: "
            f"your talk share is {self.talk_share:.0%} ({'under' if self.talk_share < 0.5 else 'not under'} half).",
            f"Your questions: {asked} in all; " + ", ".join(f"{counts[k]} {k}" for k in KINDS) + ".",
        ]
        for kind in ("leading", "why"):
            if self.questions.get(kind):
                out.append(f"  {kind.capitalize()} questions on line(s) {_numbers(self.questions[kind])}: "
                           + ("they carry your answer; ask what the rep thinks instead." if kind == "leading"
                              else "'why did you...' asks the rep to defend themselves; try 'what made...'."))
        out.append("GROW stages your lines reach: " + (", ".join(
            f"{s} (line {_numbers(self.stages[s])})" for s in self.stages_reached) or "none") + ".")
        if missing:
            out.append(f"  Not reached: {', '.join(missing)}.")
        if self.commitment:
            who = "the rep's" if self.commitment.speaker == "rep" else "your"
            out.append(f"Ends with {who} dated commitment (line {self.commitment.number}).")
        else:
            out.append("It does not end with a dated commitment: in the last four turns, nobody says what will be "
                       "done by when.")
        return "\n".join(out)

    def _repr_pretty_(self, printer, cycle) -> None:  # IPython shows the report as text
        printer.text(str(self))


def _numbers(lines: list[int]) -> str:
    return ", ".join(map(str, lines))


def parse_conversation(text: str) -> list[Line]:
    """The turns of a `Manager:` / `Rep:` conversation; blank lines are skipped."""
    if not isinstance(text, str):
        raise ConversationFormatError(
            f"give the conversation as text (a string between triple quotes), not a {type(text).__name__}.")
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        match = _SPEAKER.match(raw)
        who = SPEAKERS.get(match["who"].lower()) if match else None
        if who is None:
            raise ConversationFormatError(
                f"line {number} does not start with 'Manager:' or 'Rep:' ({raw.strip()[:50]!r}). Start every "
                "turn with who speaks and a colon; if the line continues the turn above, join it to that line.")
        said = match["text"].strip()
        if not said:
            raise ConversationFormatError(f"line {number} says who speaks but nothing they said: add the words "
                                          "after the colon, or delete the line.")
        lines.append(Line(number, who, said))
    if not lines:
        raise ConversationFormatError("the conversation is empty: write one turn per line, starting with "
                                      "'Manager:' or 'Rep:'.")
    if {line.speaker for line in lines} != {"manager", "rep"}:
        raise ConversationFormatError("a one-on-one needs both voices: at least one 'Manager:' line and one 'Rep:' line.")
    return lines


def question_kind(text: str) -> str | None:
    """open, closed, leading or why for a question (judged on its last sentence); None for a statement."""
    last = _SENTENCES.split(text.strip())[-1].strip().strip("\"'“”‘’").lower()
    if not last.endswith("?") and not _INVITATION.match(last):
        return None
    if _LEADING_START.match(last) or _LEADING_TAG.search(last):
        return "leading"
    if last.startswith("why"):
        return "why"
    return "open" if _OPEN_START.match(last) else "closed"


def grow_stage(text: str) -> str | None:
    """The GROW stage a manager's line points to, by its phrases (its last sentence first); None when none does."""
    for part in (_SENTENCES.split(text.strip())[-1], text):
        stage = next((stage for stage, pattern in _STAGE.items() if pattern.search(part)), None)
        if stage:
            return stage
    return None


def dated_commitment(lines: list[Line], last: int = 4) -> Line | None:
    """The last line among the final `last` turns that says what will be done and when: a rep's line
    with a date, or the manager's with a date and "I'll", "we'll", "let's"..."""
    for line in reversed(lines[-last:]):
        if _DATE.search(line.text) and (line.speaker == "rep" or _COMMIT.search(line.text)):
            return line
    return None


def analyze_conversation(text: str) -> ConversationReport:
    """Talk share, questions by kind, GROW stages and the closing commitment of a written one-on-one."""
    lines = parse_conversation(text)
    report = ConversationReport(lines)
    for line in lines:
        if line.speaker != "manager":
            continue
        kind = question_kind(line.text)
        if kind:
            report.questions.setdefault(kind, []).append(line.number)
        stage = grow_stage(line.text)
        if stage:
            report.stages.setdefault(stage, []).append(line.number)
    report.commitment = dated_commitment(lines)
    return report


def structure_problems(report: ConversationReport) -> list[str]:
    """What a planned coaching conversation still lacks, in plain words (empty when it has the structure)."""
    problems = []
    if len(report.lines) < MIN_TURNS:
        problems.append(f"write at least {MIN_TURNS} turns (you have {len(report.lines)}).")
    if report.talk_share >= 0.5:
        problems.append(f"you speak {report.talk_share:.0%} of the words: let the rep talk more than half.")
    if report.question_counts["open"] < 3:
        problems.append(f"ask at least 3 open questions (you have {report.question_counts['open']}).")
    missing = [s for s in STAGES if s not in report.stages_reached]
    if missing:
        problems.append(f"reach every GROW stage; missing: {', '.join(missing)}.")
    if not report.ends_with_dated_commitment:
        problems.append("end with a commitment that has a date (what the rep will do, by when).")
    return problems
