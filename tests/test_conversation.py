"""course.conversation: a learner's own one-on-one, read back (talk share, questions, GROW, commitment)."""
from __future__ import annotations

import pandas as pd
import pytest

from course import data
from course.answer_key import load_answer_key
from course.conversation import (
    ConversationFormatError, analyze_conversation, grow_stage, parse_conversation, question_kind,
    structure_problems,
)

PLANNED = """\
Manager: What would you like to get out of our half hour today?
Rep: I want more of my first calls to turn into a second meeting. Right now it's about one in five.

Manager: Take the last first call that went nowhere. What happened?
Rep: She said she was just looking, so I sent the deck and one email. Nothing since.
Manager: What could you try on the next one, before the deck goes out?
Rep: Ask what made her download the white paper, and what she hoped to fix. And call twice, not email once.
Manager: What else?
Rep: Book the second call before I hang up, even a short one.
Manager: Which of those will you try this week?
Rep: The download question, on every new lead. I'll bring the count of second meetings on Friday.
"""


def test_a_planned_coaching_conversation_reads_back_fully():
    report = analyze_conversation(PLANNED)
    assert len(report.lines) == 10
    assert [line.number for line in report.lines][:3] == [1, 2, 4]       # line numbers of the text, blanks skipped
    assert report.talk_share < 0.4
    assert report.question_counts == {"open": 5, "closed": 0, "leading": 0, "why": 0}
    assert report.stages_reached == ["goal", "reality", "options", "way_forward"]
    assert report.ends_with_dated_commitment and report.commitment.speaker == "rep"
    assert structure_problems(report) == []


def test_talk_share_counts_words_not_turns():
    report = analyze_conversation("Manager: One two three four five six.\nRep: Seven eight.")
    assert (report.manager_words, report.rep_words) == (6, 2)
    assert report.talk_share == pytest.approx(0.75)


def test_a_telling_conversation_lists_what_it_lacks():
    told = ("Manager: Your discovery is weak. Ask about the cost of doing nothing before you demo.\n"
            "Rep: Okay.\nManager: Wouldn't it be better to book the next call before you hang up?\nRep: Yes.\n"
            "Manager: Why did you send the proposal without a meeting?\nRep: They asked for it.")
    report = analyze_conversation(told)
    assert report.question_counts == {"open": 0, "closed": 0, "leading": 1, "why": 1}
    assert report.talk_share > 0.8
    problems = " ".join(structure_problems(report))
    for words in ("at least 8 turns", "let the rep talk", "3 open questions", "missing: ", "commitment that has a date"):
        assert words in problems
    text = str(report)
    assert "Leading questions on line(s) 3" in text and "Why questions on line(s) 5" in text


@pytest.mark.parametrize("text, kind", [
    ("What happened after the proposal went out?", "open"),
    ("Okay. How did you decide which questions to ask?", "open"),
    ("Walk me through the first ten minutes.", "open"),
    ("Is Redwood still closing this month?", "closed"),
    ("Did you send it?", "closed"),
    ("Wouldn't it be better to call them back within the hour?", "leading"),
    ("Have you tried sending the case study first?", "leading"),
    ("You'll send it by Friday, right?", "leading"),
    ("Why did you go straight to the discount?", "why"),
    ("Push them for a decision this week.", None),
    ("That sounds frustrating.", None),
])
def test_question_kinds(text, kind):
    assert question_kind(text) == kind


@pytest.mark.parametrize("text, stage", [
    ("What would you like to be better at by March?", "goal"),
    ("Take Granite. What did you know about their problem?", "reality"),
    ("What could you do in those first ten minutes instead?", "options"),
    ("Which of those will you try first, and when?", "way_forward"),
    ("How will we both know it worked?", "way_forward"),
    ("Okay.", None),
])
def test_grow_stages(text, stage):
    assert grow_stage(text) == stage


@pytest.mark.parametrize("ending, dated", [
    ("Rep: I'll book the review meeting with them on Thursday.", True),
    ("Rep: I'll send it by the 14th.", True),
    ("Rep: I'll try to do better.", False),
    ("Manager: Let's look at the recording together tomorrow.", True),
    ("Manager: Send me the notes on Friday.", False),   # the manager's order is not a commitment
])
def test_a_dated_commitment_needs_a_date_near_the_end(ending, dated):
    text = "Manager: What will you do?\nRep: Something.\nManager: And?\nRep: More.\n" + ending
    if ending.startswith("Rep"):
        text = "Manager: Hello?\nRep: Hi.\nManager: What will you do?\n" + ending
    assert analyze_conversation(text).ends_with_dated_commitment is dated


def test_a_date_early_in_the_conversation_is_not_a_closing_commitment():
    text = "Manager: How was Monday?\nRep: I'll call them on Monday.\n" + "Manager: What else?\nRep: Nothing.\n" * 3
    assert not analyze_conversation(text).ends_with_dated_commitment


@pytest.mark.parametrize("text, words", [
    ("Manager: Hi?\nRep: Hi.\nSo then I said no.", "line 3 does not start with 'Manager:' or 'Rep:'"),
    ("Manager: Hi?\n\nCoach: Hello.", "line 3 does not start with"),
    ("Manager: Hi?\nRep:   \n", "line 2 says who speaks but nothing they said"),
    ("", "the conversation is empty"),
    ("Manager: Hi?\nManager: Anyone?", "both voices"),
    (None, "give the conversation as text"),
])
def test_unreadable_text_is_refused_in_plain_words(text, words):
    with pytest.raises(ConversationFormatError, match=words.replace("(", r"\(").replace("?", r"\?")):
        parse_conversation(text)


def test_speakers_are_read_whatever_their_case_and_me_means_the_manager():
    lines = parse_conversation("MANAGER: What now?\nrep : This.\nMe: And then?")
    assert [line.speaker for line in lines] == ["manager", "rep", "manager"]


@pytest.fixture(scope="module")
def recorded():
    labels = load_answer_key("transcript_labels")
    turns = data.load("transcripts").merge(labels, on=["transcript_id", "turn", "speaker"])
    return turns.merge(data.load("coaching_sessions")[["session_id", "session_type"]], on="session_id")


def test_question_kinds_agree_with_the_authors_tags_on_the_recordings(recorded):
    manager = recorded[recorded["speaker"] == "manager"]
    found = manager["text"].map(question_kind).fillna("tell")
    agreement = (found == manager["question_type"].fillna("tell")).mean()
    print(f"question kinds agree with the author's tags on {agreement:.0%} of {len(manager)} manager turns")
    assert agreement >= 0.9


def test_grow_stages_agree_with_the_authors_tags_on_the_coaching_recordings(recorded):
    coaching = recorded[(recorded["speaker"] == "manager") & (recorded["session_type"] == "coaching")]
    agreement = (coaching["text"].map(grow_stage) == coaching["grow_stage"]).mean()
    print(f"GROW stages agree with the author's tags on {agreement:.0%} of {len(coaching)} coaching turns")
    assert agreement >= 0.75


def test_the_recorded_coaching_reads_as_coaching_and_the_status_reviews_do_not(recorded):
    def report(group: pd.DataFrame):
        text = "\n".join(f"{speaker.capitalize()}: {said}" for speaker, said in zip(group["speaker"], group["text"]))
        return analyze_conversation(text)
    shares = {tid: (group["session_type"].iloc[0], report(group).talk_share)
              for tid, group in recorded.groupby("transcript_id")}
    status = [share for kind, share in shares.values() if kind == "status_review"]
    assert min(status) > 0.6
    passing = [tid for tid, group in recorded.groupby("transcript_id") if not structure_problems(report(group))]
    assert passing and all(shares[tid][0] == "coaching" for tid in passing)


# ---------------------------------------------------------------- module 06's self-check on the learner's own conversation
def test_the_self_check_passes_a_planned_conversation_and_explains_a_failing_one():
    from course.exercises.module06 import q6

    assert q6.status(...)[0] == "not attempted"
    verdict, message = q6.status(PLANNED)
    assert verdict == "correct" and "talk share" in message
    verdict, message = q6.status("Manager: What now?\nRep: Nothing.")
    assert verdict == "wrong" and "at least 8 turns" in message
    verdict, message = q6.status("Manager: Hi?\nI think the rep would say no.")
    assert verdict == "wrong" and "line 2 does not start with 'Manager:' or 'Rep:'" in message


def test_the_self_check_refuses_a_recorded_conversation_passed_off_as_ones_own(recorded):
    from course.exercises.module06 import q6

    one = recorded[recorded["transcript_id"] == "T003"]
    pasted = "\n".join(f"{speaker.capitalize()}: {said}" for speaker, said in zip(one["speaker"], one["text"]))
    verdict, message = q6.status(pasted)
    assert verdict == "wrong" and "copied from the recorded one-on-ones" in message
