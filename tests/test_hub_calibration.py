"""Calibration for several trainers, without a hub: a fake cohort folder (source notebook with a
rubric, collected answers), two trainers scoring the same sample blind, the agreement, who is refused."""
from __future__ import annotations

import sqlite3

import nbformat
import pytest

from course.hub_calibration import (NO_RUBRIC, Calibration, Refused, collected_answers, course_questions,
                                    scores_from_form)
from course.paths import MODULES
from course.solutions import _rubric, hand_graded_questions

MODULE = "01-mod"
QUESTION = "reflection_first_talk"
RUBRIC = ["Behind the number: names a behavior, not a result.", "Asks: the first question is open.",
          "Private: the plan is one-on-one."]
HOSTILE = '<script>alert("marks")</script><img src=x onerror="steal()"> I would ask first.'
ANSWERS = {"ana": "I would ask what she tried last week, one-on-one.", "ben": HOSTILE,
           "caro": "Tell him to close more.", "dan": "Ask about the proposal follow-up, privately.",
           "eve": "Open question about her pipeline.", "fay": "Review calls together.",
           "gus": "YOUR ANSWER HERE"}  # gus handed in the untouched placeholder
TRAINERS = ["tara", "tom", "tess"]


def _source() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Module 01"),
        nbformat.v4.new_markdown_cell("### Your first coaching talk (3 points)\n\nWrite the plan.\n\n"
                                      "**Rubric** (1 point each):\n" + "".join(f"{i}. {r}\n" for i, r in enumerate(RUBRIC, 1))),
        nbformat.v4.new_markdown_cell("*Model answer (one of many).* I would ask Ana, one-on-one, what she noticed.",
                                      metadata={"nbgrader": {"grade": True, "solution": True, "grade_id": QUESTION,
                                                             "points": 3, "locked": False, "schema_version": 3}}),
        nbformat.v4.new_markdown_cell("### A note without rubric (1 point)"),
        nbformat.v4.new_markdown_cell("Any note.", metadata={"nbgrader": {
            "grade": True, "solution": True, "grade_id": "note", "points": 1, "locked": False, "schema_version": 3}}),
    ]
    return nb


def _submitted(answer: str) -> nbformat.NotebookNode:
    nb = _source()
    nb.cells[2].source = answer
    return nb


@pytest.fixture
def course_root(tmp_path):
    root = tmp_path / "course"
    (root / "modules" / MODULE).mkdir(parents=True)
    nbformat.write(_source(), root / "modules" / MODULE / f"{MODULE}.ipynb")
    for learner, answer in ANSWERS.items():
        folder = root / "submitted" / learner / MODULE
        folder.mkdir(parents=True)
        nbformat.write(_submitted(answer), folder / f"{MODULE}.ipynb")
    return root


@pytest.fixture
def calibration(course_root, tmp_path):
    return Calibration(sqlite3.connect(tmp_path / "records.sqlite"), course_root, lambda: list(TRAINERS))


def test_questions_come_with_their_rubric_points_and_model_answer(course_root):
    first, note = course_questions(course_root)
    assert (first.module, first.grade_id, first.title, first.points) == (MODULE, QUESTION, "Your first coaching talk (3 points)", 3)
    assert list(first.rubric) == RUBRIC and first.worth == 1
    assert first.model == "I would ask Ana, one-on-one, what she noticed."  # the "Model answer" note dropped
    assert note.rubric == (NO_RUBRIC,) and note.worth == 1


def test_every_hand_graded_question_of_the_course_has_its_rubric(tmp_path):
    (tmp_path / "modules").symlink_to(MODULES)
    found = {(q.module, q.grade_id): q for q in course_questions(tmp_path)}
    for notebook in sorted(MODULES.glob("*/*.ipynb")):
        for grade_id, prompt, _ in hand_graded_questions(nbformat.read(notebook, as_version=4)):
            question = found[(notebook.stem, grade_id)]
            assert list(question.rubric) == _rubric(prompt) and question.model and question.points > 0


def test_collected_answers_leave_out_placeholders_and_never_follow_a_link(course_root, tmp_path):
    outside = tmp_path / "outside" / MODULE
    outside.mkdir(parents=True)
    nbformat.write(_submitted("planted"), outside / f"{MODULE}.ipynb")
    (course_root / "submitted" / "zed").symlink_to(tmp_path / "outside")
    odd = _submitted("odd")
    odd.cells[1].metadata["nbgrader"] = ["not", "a", "mapping"]  # a learner's edit: no crash, no answer
    odd.cells[2].cell_type, odd.cells[2].outputs, odd.cells[2].execution_count = "code", [], None  # not an essay
    (course_root / "submitted" / "hal" / MODULE).mkdir(parents=True)
    nbformat.write(odd, course_root / "submitted" / "hal" / MODULE / f"{MODULE}.ipynb")
    answers = collected_answers(course_root, MODULE, QUESTION)
    assert answers == {k: v for k, v in ANSWERS.items() if k != "gus"}  # verbatim, hostile text included
    with pytest.raises(Refused):
        collected_answers(course_root, "../etc", QUESTION)


def test_a_round_draws_a_seeded_sample_and_keeps_its_own_copy(calibration, course_root):
    first = calibration.start("tara", MODULE, QUESTION, "tom", size=5, seed=7)
    again = calibration.start("tom", MODULE, QUESTION, "tara", size=5, seed=7)
    one, two = calibration.round("tara", first), calibration.round("tom", again)
    assert one.items == two.items and len(one.items) == 5          # same seed, same sample, same order
    assert {who for who, _ in one.items} < set(ANSWERS) - {"gus"}
    assert all(answer == ANSWERS[who] for who, answer in one.items)
    everyone = calibration.round("tara", calibration.start("tara", MODULE, QUESTION, "tom", size=50, seed=1))
    assert len(everyone.items) == 6                                   # all, when fewer than asked
    nbformat.write(_submitted("changed after the draw"), course_root / "submitted" / one.items[0][0] / MODULE / f"{MODULE}.ipynb")
    assert calibration.round("tara", first).items == one.items


@pytest.mark.parametrize("call", [
    lambda c, n: c.start("ana", MODULE, QUESTION, "tom"),
    lambda c, n: c.rounds("ana"),
    lambda c, n: c.page_index("ana"),
    lambda c, n: c.page_round("ana", n),
    lambda c, n: c.my_scores("ana", n),
    lambda c, n: c.save("ana", n, {(0, 0): 1.0}),
    lambda c, n: c.page_agreement("ana", n),
    lambda c, n: c.page_question("ana", MODULE, QUESTION),
], ids=["start", "rounds", "index", "round", "scores", "save", "agreement", "question"])
def test_a_user_who_is_not_a_trainer_is_refused_everywhere(calibration, call):
    number = calibration.start("tara", MODULE, QUESTION, "tom", seed=3)
    with pytest.raises(Refused) as refused:
        call(calibration, number)
    assert refused.value.status == 403


def test_a_round_needs_a_second_trainer_and_only_its_two_trainers_score(calibration):
    for partner in ("tara", "ana", "nobody"):
        with pytest.raises(Refused, match="another trainer"):
            calibration.start("tara", MODULE, QUESTION, partner)
    number = calibration.start("tara", MODULE, QUESTION, "tom", seed=3)
    with pytest.raises(Refused, match="tara and tom's") as refused:
        calibration.save("tess", number, {(0, 0): 1.0})
    assert refused.value.status == 403


def _score(calibration, trainer, number, rule) -> dict:
    round_ = calibration.round(trainer, number)
    scores = {(i, p): rule(i, p) for i in range(len(round_.items)) for p in range(len(round_.question.rubric))}
    calibration.save(trainer, number, scores, finish=True)
    return scores


def test_scores_stay_blind_until_both_trainers_have_finished(calibration):
    number = calibration.start("tara", MODULE, QUESTION, "tom", seed=3)
    calibration.save("tom", number, {(0, 0): 0.5, (0, 1): 0.5})
    assert calibration.my_scores("tara", number) == {}
    page = calibration.page_round("tara", number)
    assert 'value="0.5" checked' not in page                      # tom's scores are not on tara's page
    assert not any(f">{who}<" in page or who in page.split("signed in as")[0] for who in ANSWERS)  # blind to learner
    _score(calibration, "tara", number, lambda i, p: 1.0)
    for who in ("tara", "tom", "tess"):
        with pytest.raises(Refused, match="waiting for tom") as refused:
            calibration.agreement(who, number)
        assert refused.value.status == 409
    assert "Waiting for tom" in calibration.page_round("tara", number)
    with pytest.raises(Refused, match="locked"):
        calibration.save("tara", number, {(0, 0): 0.0})            # no changing one's mind after finishing
    _score(calibration, "tom", number, lambda i, p: 1.0)
    assert calibration.agreement("tess", number)["overall"]["percent"] == 100


def test_finishing_needs_every_point_scored_and_scores_on_the_rubric_scale(calibration):
    number = calibration.start("tara", MODULE, QUESTION, "tom", size=2, seed=3)
    with pytest.raises(Refused, match="one of 0, 0.5, 1"):
        calibration.save("tara", number, {(0, 0): 3.0})
    with pytest.raises(Refused, match="not in this round"):
        calibration.save("tara", number, {(2, 0): 1.0})
    with pytest.raises(Refused, match="missing: answer 1 point 3, answer 2 point 1"):
        calibration.save("tara", number, {(0, 0): 1.0, (0, 1): 0.5, (1, 1): 0.0, (1, 2): 0.0}, finish=True)
    assert calibration.my_scores("tara", number)[0, 1] == 0.5       # what was scored is kept
    assert scores_from_form({"score-1-2": ["0.5"], "action": ["save"], "_xsrf": ["x"]}) == {(1, 2): 0.5}


def test_agreement_per_rubric_point_overall_and_where_they_differ_most(calibration):
    number = calibration.start("tara", MODULE, QUESTION, "tom", size=4, seed=11)
    tara = _score(calibration, "tara", number, lambda i, p: 1.0)
    # tom: agrees on point 1 everywhere; on point 2 halves answer 0 and zeroes answer 1; point 3 zero on answer 1
    tom = _score(calibration, "tom", number, lambda i, p: {(0, 1): 0.5, (1, 1): 0.0, (1, 2): 0.0}.get((i, p), 1.0))
    report = calibration.agreement("tara", number)
    first, second, third = report["per_point"]
    assert (first["same"], first["n"], first["percent"], first["mad"]) == (4, 4, 100, 0)
    assert (second["same"], second["percent"], second["mad"]) == (2, 50, pytest.approx(1.5 / 4))
    assert (third["same"], third["mad"]) == (3, pytest.approx(0.25))
    assert report["overall"]["same"] == 9 and report["overall"]["n"] == 12
    assert report["totals"][1] == (3, 1) and report["totals_mad"] == pytest.approx((0.5 + 2) / 4)
    round_ = calibration.round("tara", number)
    assert [(d["item"], d["difference"], d["learner"]) for d in report["most_apart"]] == [
        (1, 2, round_.items[1][0]), (0, 0.5, round_.items[0][0])]  # only answers they scored differently
    assert tara != tom
    page = calibration.page_agreement("tom", number)
    assert "9 of 12" in page and "2 of 4 (50%)" in page and "0.38" in page


def test_a_learners_hostile_answer_is_shown_as_text_on_every_page(calibration):
    number = calibration.start("tara", MODULE, QUESTION, "tom", size=50, seed=5)
    for trainer in ("tara", "tom"):
        _score(calibration, trainer, number, lambda i, p, t=trainer: 1.0 if t == "tara" else 0.0)
    pages = [calibration.page_round("tara", number), calibration.page_agreement("tara", number),
             calibration.page_question("tess", MODULE, QUESTION), calibration.page_index("tara")]
    for page in pages[:3]:
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(&#34;marks&#34;)&lt;/script&gt;" in page
    assert "<script" not in pages[3]


def test_one_question_every_answer_in_a_row_with_rubric_and_model_answer(calibration):
    page = calibration.page_question("tess", MODULE, QUESTION)
    sections = page.split('<section class="pair"')[1:]
    assert len(sections) == 6
    assert all("Asks: the first question is open." in s and "I would ask Ana, one-on-one" in s for s in sections)
    assert 'data-learner="gus"' not in page
    assert "3 points; 6 collected answers" in calibration.page_index("tess")
    with pytest.raises(Refused) as missing:
        calibration.page_question("tess", MODULE, "no_such_question")
    assert missing.value.status == 404
