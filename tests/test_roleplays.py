"""The course's role-plays: scripts a new manager cannot game by position, replies that miss in
realistic ways, a rep who answers what was said, a score card on coaching behaviours, and answer
keys and wrong answers that agree with the widget's verdict."""
from __future__ import annotations

import html
import json
import re
from collections import Counter

import pytest

from course.exercises import roleplays
from course.paths import GRADING, MODULES
from course.roleplay import COACHING, MISSES, STAGES, RolePlay
from course.widgets import CORRECT, INCORRECT
from notebooks import nbgrader_meta, read
from wrong_answers import WRONG_ANSWERS

pytestmark = pytest.mark.usefixtures("folder")  # widgets save into a throwaway notebook folder

SCRIPTS = roleplays.SCRIPTS
GRADED = {sid: s for sid, s in SCRIPTS.items() if s["module"]}
FACTORIES = {"m04_economy_conversation": "economy_talk", "m06_leads_are_bad": "leads_talk",
             "m07_feedback_conversation": "feedback_talk", "m07a_will_conversation": "will_talk",
             "m09_missed_commitment": "missed_commitment_talk"}


def coaching_positions(script) -> list[int]:
    return [next(i for i, r in enumerate(step["replies"]) if r["kind"] in COACHING) for step in script["steps"]]


def test_five_role_plays_each_with_its_factory():
    assert len(SCRIPTS) >= 5
    for sid, name in FACTORIES.items():
        talk = getattr(roleplays, name)()
        assert isinstance(talk, RolePlay) and talk.question_id == sid


@pytest.mark.parametrize("sid", SCRIPTS)
def test_four_to_six_steps_of_three_or_four_replies_one_of_which_coaches(sid):
    steps = SCRIPTS[sid]["steps"]
    assert 4 <= len(steps) <= 6
    for step in steps:
        assert 3 <= len(step["replies"]) <= 4
        assert sum(r["kind"] in COACHING for r in step["replies"]) == 1
        assert step["stage"] in STAGES
    assert {step["stage"] for step in steps} == set(STAGES), f"{sid} does not reach every GROW stage"


def test_the_coaching_reply_moves_from_step_to_step_and_is_not_usually_first():
    everywhere = Counter()
    for sid, script in SCRIPTS.items():
        positions = coaching_positions(script)
        everywhere.update(positions)
        assert len(set(positions)) >= 3, f"{sid}: the coaching reply sits in only {set(positions)}"
        repeats = [i for i in range(1, len(positions)) if positions[i] == positions[i - 1]]
        assert not repeats, f"{sid}: steps {repeats} put the coaching reply where the step before did"
    steps = sum(everywhere.values())
    assert set(everywhere) == {0, 1, 2, 3}
    assert max(everywhere.values()) <= steps / 3, f"one position is favoured: {dict(everywhere)}"


def test_wrong_replies_miss_in_quiet_ways_not_only_by_telling():
    every = Counter(r["kind"] for s in SCRIPTS.values() for step in s["steps"] for r in step["replies"]
                    if r["kind"] not in COACHING)
    assert {"leading", "advice", "why", "rescue", "praise"} <= set(every)
    assert every["tell"] + every["blame"] <= sum(every.values()) / 4, every
    for sid, script in SCRIPTS.items():
        kinds = {r["kind"] for step in script["steps"] for r in step["replies"] if r["kind"] not in COACHING}
        assert len(kinds) >= 5, f"{sid} misses in only {sorted(kinds)}"
        assert kinds <= set(MISSES)


@pytest.mark.parametrize("sid", SCRIPTS)
def test_the_rep_answers_what_was_said(sid):
    script = SCRIPTS[sid]
    for number, step in enumerate(script["steps"], start=1):
        answers_here = [r["rep"] for r in step["replies"]]
        assert len(set(answers_here)) == len(answers_here), f"{sid} step {number}: two replies get the same answer"
    talk = roleplays.play(script)
    for number, step in enumerate(script["steps"]):
        pick = (coaching_positions(script)[number] + 1) % len(step["replies"])  # a miss
        talk.say(pick)
        assert html.escape(step["replies"][pick]["rep"]) in talk.transcript.value
    assert talk.status == INCORRECT


@pytest.mark.parametrize("sid", SCRIPTS)
def test_coaching_throughout_reaches_every_behaviour(sid):
    talk = roleplays.play(SCRIPTS[sid])
    found = talk.assess(talk.coaching_path())
    assert found.score == 1 and found.reached == list(STAGES)
    assert found.challenge and found.support and found.commitment
    assert talk.passed(talk.coaching_path())


def test_one_miss_passes_but_no_dated_commitment_does_not():
    talk = roleplays.leads_talk()
    best = talk.coaching_path()
    one_miss = [best[0], best[1], (best[2] + 1) % 4, best[3], best[4]]
    for n in one_miss:
        talk.say(n)
    assert talk.status == CORRECT
    talk.start_over()
    no_date = best[:-1] + [(best[-1] + 1) % 4]
    for n in no_date:
        talk.say(n)
    found = talk.assess()
    assert found.score == 0.8 and not found.commitment and talk.status == INCORRECT
    assert "No dated commitment yet" in talk.feedback.value


def test_the_review_scores_the_whole_conversation_and_shows_the_better_reply_for_each_miss():
    script = roleplays.FEEDBACK
    talk = roleplays.feedback_talk()
    best = talk.coaching_path()
    path = [(best[0] + 1) % 4, best[1], best[2], (best[3] + 1) % 4, best[4]]
    assert talk.review.value == ""
    for n in path:
        talk.say(n)
    review = talk.review.value
    for name in ("Who did the thinking", "GROW stages reached", "Challenge with support", "A dated commitment"):
        assert name in review
    assert "not reached: Goal, Options" in review
    better = re.findall(r"Better: <i>“(.*?)”</i>", review)
    assert better == [html.escape(script["steps"][0]["replies"][best[0]]["say"]),
                      html.escape(script["steps"][3]["replies"][best[3]]["say"])]
    assert review.count("you coached") == 3
    talk.start_over()
    assert talk.review.value == "", "a new attempt hides the last review until it ends"


def test_replies_wrap_and_every_colour_comes_from_the_theme():
    talk = roleplays.will_talk()
    for number in talk.coaching_path()[:-1]:
        talk.say(number)
    talk.say(1)  # a miss at the end: the review shows
    assert talk.review.value
    html = talk.widget.children[0].value + talk.transcript.value + talk.review.value  # ours, not the feedback box
    assert "white-space: normal" in html and "text-overflow: clip" in html
    without_fallbacks = re.sub(r"var\(--jp-[a-z0-9-]+, #[0-9a-fA-F]{3,6}\)", "", html.split("</style>")[0])
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b", without_fallbacks), "a colour that ignores the theme"
    assert all(re.findall(r"var\(--jp-[a-z0-9-]+", line) for line in html.split("\n") if "color" in line)
    assert "role='log'" in talk.transcript.value and "aria-live='polite'" in talk.transcript.value
    for button in talk.choices.children:
        assert button.layout.width == "100%" and "cl-say" in button._dom_classes


@pytest.mark.parametrize("sid", GRADED)
def test_answer_key_plays_the_coaching_path_and_every_wrong_answer_fails(sid):
    script = GRADED[sid]
    key = json.loads((GRADING / "answer_key" / "widgets" / f"{script['module']}.json").read_text())
    talk = roleplays.play(script)
    assert key[sid] == talk.coaching_path() and talk.passed(key[sid])
    wrong = [case.widget[1] for case in WRONG_ANSWERS[script["module"]] if case.widget and case.widget[0] == sid]
    assert len(wrong) >= 2
    for path in wrong:
        assert talk._is_end(talk._walk(path)), f"{sid}: wrong answer {path} does not finish the conversation"
        assert not talk.passed(path)


@pytest.mark.parametrize("sid", GRADED)
def test_the_module_shows_one_line_and_grades_it_with_a_hidden_test(sid):
    module, name = GRADED[sid]["module"], FACTORIES[sid]
    nb = read(MODULES / module / f"{module}.ipynb")
    widget = [c for c in nb.cells if c.cell_type == "code" and f"ex.{name}()" in c.source]
    assert len(widget) == 1 and len(widget[0].source.splitlines()) == 2
    assert nbgrader_meta(widget[0]).get("locked")
    variable = widget[0].source.split(" = ")[0]
    tests = [c for c in nb.cells if nbgrader_meta(c).get("grade") and f"{variable}.is_correct()" in c.source]
    assert len(tests) == 1 and "### BEGIN HIDDEN TESTS" in tests[0].source
    assert nb.cells.index(tests[0]) == nb.cells.index(widget[0]) + 1
