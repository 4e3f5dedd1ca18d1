"""The recorded one-on-ones: hand-written conversations, read and checked by datasets/conversations.py."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from course import data
from course.answer_key import ANSWER_KEY_DIR, load_answer_key
from course.paths import REPO
from course.datasets.conversations import (
    FILE_NAME, ConversationError, read_conversations, transcript_tables,
)

SOURCE = ANSWER_KEY_DIR / FILE_NAME
GROW = {"goal", "reality", "options", "way_forward"}


@pytest.fixture(scope="module")
def turns() -> pd.DataFrame:
    transcripts = data.load("transcripts")
    labels = load_answer_key("transcript_labels")
    sessions = data.load("coaching_sessions")[["session_id", "session_type"]]
    return transcripts.merge(labels, on=["transcript_id", "turn", "speaker"]).merge(sessions, on="session_id")


def test_no_manager_line_appears_in_more_than_two_transcripts(turns):
    manager = turns[turns["speaker"] == "manager"]
    spread = manager.groupby(manager["text"].str.strip().str.lower())["transcript_id"].nunique()
    assert spread.max() <= 2, spread[spread > 2].to_dict()


def test_every_coaching_transcript_reaches_all_four_grow_stages(turns):
    coaching = turns[(turns["session_type"] == "coaching") & (turns["speaker"] == "manager")]
    stages = coaching.groupby("transcript_id")["grow_stage"].agg(lambda s: set(s.dropna()))
    missing = {tid: sorted(GROW - reached) for tid, reached in stages.items() if GROW - reached}
    assert len(stages) >= 10 and not missing, missing


def test_status_reviews_are_not_tagged_as_coaching(turns):
    status = turns[turns["session_type"] == "status_review"]
    assert status["grow_stage"].isna().all()


def test_the_recordings_include_poor_and_better_versions_of_one_conversation(turns):
    """Some reps have two recorded coaching sessions: one leans on leading and why questions, the other does not."""
    coaching = turns[(turns["session_type"] == "coaching") & (turns["speaker"] == "manager")]
    poor_kinds = coaching["question_type"].isin(["leading", "why"]) | (coaching["act"] == "tell")
    poor_share = poor_kinds.groupby(coaching["transcript_id"]).mean()
    rep_of = data.load("transcripts").merge(data.load("coaching_sessions"), on="session_id") \
        .drop_duplicates("transcript_id").set_index("transcript_id")["rep_id"]
    pairs = [group for _, group in poor_share.groupby(rep_of.reindex(poor_share.index)) if len(group) == 2]
    assert len(pairs) >= 3
    assert all(group.max() - group.min() >= 0.4 for group in pairs)


def test_every_turn_of_the_source_reaches_the_table():
    conversations = read_conversations(SOURCE)
    assert len(data.load("transcripts")) == sum(len(c.turns) for c in conversations)
    assert 20 <= len(conversations) <= 40


def test_the_data_dictionary_counts_the_recordings():
    readme = (REPO / "datasets" / "README.md").read_text(encoding="utf-8")
    conversations = read_conversations(SOURCE)
    spelled = {10: "ten", 14: "fourteen", 24: "Twenty-four"}.get   # the numbers as the README spells them
    coaching = sum(c.session_type == "coaching" for c in conversations)
    status = len(conversations) - coaching
    expected = (f"{spelled(len(conversations), len(conversations))} one-on-ones of the four course teams were "
                f"recorded and transcribed: {spelled(coaching, coaching)} coaching sessions and "
                f"{spelled(status, status)} status reviews")
    assert expected in re.sub(r"\s+", " ", readme)


# ---------------------------------------------------------------- the loader refuses malformed text
GOOD = """# notes before the first conversation are ignored

## Jasmine Gomez · coaching 1 · discovery_questions
> an author's note
Manager [goal, open]: What would you like from today?
Rep: To stop rushing the demo.
"""


@pytest.mark.parametrize("text, line, words", [
    (GOOD + "Manager [goal, opn]: And?\n", 7, "kind of turn"),
    (GOOD + "Manager [gaol, open]: And?\n", 7, "GROW stage"),
    (GOOD + "Manger [goal, open]: And?\n", 7, "starts with 'Manager [stage, kind]: ' or 'Rep: '"),
    (GOOD + "Rep: And another thing.\n", 7, "two rep turns in a row"),
    (GOOD + "Manager: What else?\n", 7, "starts with 'Manager [stage, kind]"),
    (GOOD + "\n## Jasmine Gomez · coaching 2\nManager [goal, open]: Hi?\nRep: Hi.\n", 8, "focus skill"),
    (GOOD + "\n## Jasmine Gomez - status_review 3\n", 8, "heading reads"),
    (GOOD + "\n## Jasmine Gomez · review 3\n", 8, "coaching or status_review"),
    (GOOD + "\n## Jasmine Gomez · status_review 3\nManager [none, tell]: Numbers.\n", 8, "fewer than two turns"),
])
def test_the_loader_names_the_file_and_line_of_a_mistake(tmp_path, text, line, words):
    path = tmp_path / "conversations.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConversationError) as error:
        read_conversations(path)
    assert f"{path}, line {line}:" in str(error.value)
    assert words in str(error.value)


def test_the_loader_reads_a_well_formed_file(tmp_path):
    path = tmp_path / "conversations.md"
    path.write_text(GOOD, encoding="utf-8")
    [conversation] = read_conversations(path)
    assert (conversation.rep, conversation.session_type, conversation.number) == ("Jasmine Gomez", "coaching", 1)
    assert [(t.speaker, t.stage, t.kind) for t in conversation.turns] == [("manager", "goal", "open"), ("rep", "", "")]


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "conversations.md"
    path.write_text("# nothing here yet\n", encoding="utf-8")
    with pytest.raises(ConversationError, match="no conversation found"):
        read_conversations(path)


@pytest.mark.parametrize("heading, words", [
    ("## Nobody Here · coaching 1 · discovery_questions", "Nobody Here has no coaching session"),
    ("## Jasmine Gomez · coaching 9 · discovery_questions", "there is no number 9"),
    ("## Jasmine Gomez · coaching 1 · next_steps", "coaching is on discovery_questions, not next_steps"),
])
def test_a_conversation_that_matches_no_session_is_refused_with_its_line(tmp_path, heading, words):
    path = tmp_path / "conversations.md"
    path.write_text(f"{heading}\nManager [goal, open]: What?\nRep: This.\n", encoding="utf-8")
    sessions = data.load("coaching_sessions")
    with pytest.raises(ConversationError, match=re.escape(words)) as error:
        transcript_tables(read_conversations(path), sessions, data.load("reps"), path)
    assert f"{path}, line 1:" in str(error.value)


def test_the_lines_module_06_quotes_from_the_pipeline_reviews_are_in_them(turns):
    """Exercise 8 of module 06 rewrites three lines 'from the recorded pipeline reviews'."""
    import nbformat

    from course.paths import MODULES

    folder = MODULES / "06-the-coaching-conversation"
    prose = " ".join(c.source for c in nbformat.read(folder / f"{folder.name}.ipynb", as_version=4).cells
                     if c.cell_type == "markdown" and "## Exercise 8" in c.source)
    quoted = re.findall(r'^\d\. \*"(.+?)"\*$', prose, re.M)
    said = " ".join(turns.loc[(turns["session_type"] == "status_review") & (turns["speaker"] == "manager"), "text"])
    assert len(quoted) == 3 and all(line in said for line in quoted), quoted
