"""The recorded one-on-ones, read from the conversations the author wrote by hand.

The source is a markdown file in the instructor's folder (grading/answer_key/conversations.md),
because every manager line carries the author's tags (its GROW stage and kind of question), and
those tags are the answer key. Each conversation starts with a heading that names the rep and
which of their one-on-ones it records; each turn is one line:

    ## Jasmine Gomez · coaching 2 · discovery_questions
    Manager [goal, open]: What would you like to get out of today?
    Rep: I want to stop rushing into the demo.

`read_conversations` parses and checks the file; `transcript_tables` matches each conversation to
its session and returns the learner table (transcripts.csv) and the author's labels
(transcript_labels.csv). Malformed text is refused with the file and line named.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

STAGES = ("goal", "reality", "options", "way_forward", "none")
KINDS = {"open": "ask", "closed": "ask", "leading": "ask", "why": "ask", "tell": "tell"}
SESSION_TYPES = ("coaching", "status_review")
FILE_NAME = "conversations.md"

HEADING = re.compile(r"^##\s+(?P<rep>[^·]+?)\s+·\s+(?P<type>\w+)\s+(?P<number>\d+)(?:\s+·\s+(?P<skill>\w+))?\s*$")
MANAGER = re.compile(r"^Manager\s+\[(?P<stage>[\w ]+),\s*(?P<kind>[\w ]+)\]:\s*(?P<text>\S.*)$")
REP = re.compile(r"^Rep:\s*(?P<text>\S.*)$")


class ConversationError(ValueError):
    """The conversations file breaks its format: the message names the file and line."""


@dataclass
class Turn:
    speaker: str          # manager / rep
    text: str
    stage: str = ""       # manager turns: goal, reality, options, way_forward or none
    kind: str = ""        # manager turns: open, closed, leading, why (questions) or tell
    line: int = 0


@dataclass
class Conversation:
    rep: str
    session_type: str
    number: int           # the rep's n-th session of that type, in date order
    focus_skill: str | None
    line: int
    turns: list[Turn] = field(default_factory=list)


def read_conversations(path: Path) -> list[Conversation]:
    """Every conversation in the file, in file order; a malformed line raises ConversationError."""
    path = Path(path)
    conversations: list[Conversation] = []

    def refuse(number: int, problem: str) -> ConversationError:
        return ConversationError(f"{path}, line {number}: {problem}")

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line.startswith("## "):
            match = HEADING.match(line)
            if not match:
                raise refuse(number, "a conversation heading reads '## Rep Name · coaching 2 · skill' or "
                                     f"'## Rep Name · status_review 3', not {line!r}")
            kind = match["type"]
            if kind not in SESSION_TYPES:
                raise refuse(number, f"the session type is coaching or status_review, not {kind!r}")
            if (kind == "coaching") != bool(match["skill"]):
                raise refuse(number, "a coaching conversation names its focus skill after the number; "
                                     "a status review names none")
            conversations.append(Conversation(match["rep"].strip(), kind, int(match["number"]),
                                              match["skill"], number))
            continue
        if not conversations or not line or line.startswith((">", "#")):
            continue                                    # the preamble, blank lines, author's notes
        turns = conversations[-1].turns
        if manager := MANAGER.match(line):
            stage, kind = manager["stage"].strip(), manager["kind"].strip()
            if stage not in STAGES:
                raise refuse(number, f"the GROW stage is one of {', '.join(STAGES)}, not {stage!r}")
            if kind not in KINDS:
                raise refuse(number, f"the kind of turn is one of {', '.join(KINDS)}, not {kind!r}")
            turns.append(Turn("manager", manager["text"].strip(), stage, kind, number))
        elif rep := REP.match(line):
            turns.append(Turn("rep", rep["text"].strip(), line=number))
        else:
            raise refuse(number, "a turn starts with 'Manager [stage, kind]: ' or 'Rep: ', "
                                 f"but this line reads {line[:60]!r}")
        if len(turns) > 1 and turns[-1].speaker == turns[-2].speaker:
            raise refuse(number, f"two {turns[-1].speaker} turns in a row: join them into one turn")
    if not conversations:
        raise ConversationError(f"{path}: no conversation found (each starts with a '## ' heading)")
    for conversation in conversations:
        if len(conversation.turns) < 2:
            raise refuse(conversation.line, "this conversation has fewer than two turns")
    return conversations


def transcript_tables(conversations: list[Conversation], sessions: pd.DataFrame, reps: pd.DataFrame,
                      source: Path | str = FILE_NAME) -> tuple[pd.DataFrame, pd.DataFrame]:
    """transcripts.csv and transcript_labels.csv: each conversation matched to its session, numbered by date."""
    named = sessions.merge(reps[["rep_id", "name"]], on="rep_id").sort_values(["date", "session_id"])
    matched = []
    for c in conversations:
        own = named[(named["name"] == c.rep) & (named["session_type"] == c.session_type)]
        if own.empty:
            raise ConversationError(f"{source}, line {c.line}: {c.rep} has no {c.session_type} session in "
                                    "coaching_sessions (check the name, or the coaching plan)")
        if c.number > len(own):
            raise ConversationError(f"{source}, line {c.line}: {c.rep} has {len(own)} {c.session_type} "
                                    f"sessions, so there is no number {c.number}")
        session = own.iloc[c.number - 1]
        if c.focus_skill and session["focus_skill"] != c.focus_skill:
            raise ConversationError(f"{source}, line {c.line}: {c.rep}'s coaching is on "
                                    f"{session['focus_skill']}, not {c.focus_skill}")
        matched.append((session["session_id"], c))
    ids = [sid for sid, _ in matched]
    if len(set(ids)) < len(ids):
        raise ConversationError(f"{source}: two conversations record the same session")
    rows, labels = [], []
    for index, (session_id, c) in enumerate(sorted(matched, key=lambda m: m[0]), start=1):
        transcript_id = f"T{index:03d}"
        for turn_number, t in enumerate(c.turns, start=1):
            rows.append(dict(transcript_id=transcript_id, session_id=session_id, turn=turn_number,
                             speaker=t.speaker, text=t.text))
            labels.append(dict(transcript_id=transcript_id, turn=turn_number, speaker=t.speaker,
                               act=KINDS[t.kind] if t.kind else "",
                               question_type=t.kind if KINDS.get(t.kind) == "ask" else "",
                               grow_stage=t.stage if t.stage != "none" else ""))
    return pd.DataFrame(rows), pd.DataFrame(labels)
