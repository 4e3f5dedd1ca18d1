"""Grades that cannot be gamed: crafted submissions to modules 00 and 01 gain nothing.

One course with modules 00 and 01 released; honest submissions (the solution, the untouched
release, a partly right one) and crafted ones (tests/fixtures/submissions/crafted.py). Plain
`nbgrader autograde` grades a copy first: the honest scores to keep, and proof that each crafted
submission does gain marks there. Then `course grade autograde` grades the course.
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

from course.grade.autograde import grade_cohort
from course.grade.sandbox import SandboxError, check_bwrap
from course.grade.widget_records import record_path
from course.nbgrader_tools import autograded_scores, run_nbgrader
from course.paths import GRADING, MODULES

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "submissions"))
import crafted  # noqa: E402
from notebooks import autograded_points, read  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grade-integrity")]
WIDGET_KEY = {m: json.loads((GRADING / "answer_key" / "widgets" / f"{m}.json").read_text())
              for m in (crafted.M00, crafted.M01)}
FORGED = "forged_answers"   # right widget answers in the file; the hub recorded a wrong one


def db_url(root: Path) -> str:
    return f"sqlite:///{root / 'gradebook.db'}"


def total(scores: dict) -> float:
    return sum(score for score, _ in scores.values())


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    try:
        check_bwrap()
    except SandboxError as error:
        pytest.skip(f"no usable bubblewrap: {error}")
    root = tmp_path_factory.mktemp("integrity")
    for module in (crafted.M00, crafted.M01):
        shutil.copytree(MODULES / module, root / "modules" / module,
                        ignore=shutil.ignore_patterns("*.answers.json", ".ipynb_checkpoints"))
        run_nbgrader("generate_assignment", module, "--force", root=root, db_url=db_url(root))
    submissions = {crafted.M00: [*crafted.HONEST, FORGED], crafted.M01: ["solution", "untouched"]}
    for name in crafted.CRAFTED:
        submissions[crafted.module_of(name)].append(name)
    for module, names in submissions.items():
        source = nbformat.read(MODULES / module / f"{module}.ipynb", as_version=4)
        for name in names:
            folder = root / "submitted" / name / module
            if name == FORGED:
                crafted.write(root / "release" / module, source, "untouched", folder, {})
                crafted.write_answers(folder / f"{module}.answers.json", module, WIDGET_KEY[module])
                crafted.write_answers(record_path(root, name, module), module, {"m00_how_grading_works": "guess"})
            else:
                crafted.write(root / "release" / module, source, name, folder, WIDGET_KEY[module])

    plain = tmp_path_factory.mktemp("plain-nbgrader") / "course"
    shutil.copytree(root, plain)
    reference = {}
    for module in submissions:
        run_nbgrader("autograde", module, "--force", root=plain, db_url=db_url(plain))
        reference[module] = autograded_scores(db_url(plain), module)

    outcomes = grade_cohort(root, [crafted.M00, crafted.M01], db_url=db_url(root), workers=2, progress=False)
    scores = {module: autograded_scores(db_url(root), module) for module in submissions}
    return root, reference, scores, {(o.module, o.student): o for o in outcomes}


def test_crafted_submissions_gain_marks_from_plain_nbgrader(graded):
    _, reference, _, _ = graded
    for name in crafted.CRAFTED:
        if name == "records_hidden_tests":  # it steals the tests instead, see below
            continue
        module = crafted.module_of(name)
        assert total(reference[module][name]) > 0, f"{name} should gain marks without the clean run"


def test_no_crafted_submission_gains_a_mark(graded):
    _, reference, scores, outcomes = graded
    for name in [*crafted.CRAFTED, FORGED]:
        module = crafted.module_of(name)
        outcome = outcomes[(module, name)]
        print(name, outcome.status, outcome.score, outcome.reason, outcome.notes)
        assert outcome.status == "graded", outcome
        assert scores[module][name] == reference[module]["untouched"], (name, scores[module][name])


def test_honest_scores_equal_plain_nbgrader(graded):
    _, reference, scores, outcomes = graded
    for module, names in ((crafted.M00, crafted.HONEST), (crafted.M01, ["solution", "untouched"])):
        for name in names:
            assert scores[module][name] == reference[module][name], (module, name)
    points = {module: autograded_points(read(MODULES / module / f"{module}.ipynb")) for module in (crafted.M00, crafted.M01)}
    assert total(scores[crafted.M00]["solution"]) == sum(points[crafted.M00].values())
    assert total(scores[crafted.M00]["untouched"]) == 0.0
    assert total(scores[crafted.M01]["solution"]) == sum(points[crafted.M01].values())
    assert total(scores[crafted.M00]["partly_right"]) == (
        sum(points[crafted.M00].values()) - points[crafted.M00]["team_size_counts_reps_on_team"])
    assert outcomes[(crafted.M00, "solution")].notes == []


def test_reasons_name_what_was_refused(graded):
    _, _, _, outcomes = graded
    always = " ".join(outcomes[(crafted.M00, "always_equal")].notes)
    assert "team_size" in always and "not plain data" in always
    forged = " ".join(outcomes[(crafted.M00, FORGED)].notes)
    assert "m00_how_grading_works" in forged and "record" in forged


def test_hidden_tests_never_reach_learner_code_or_its_output(graded):
    root, _, _, _ = graded
    nb = nbformat.read(root / "autograded" / "records_hidden_tests" / crafted.M00 / f"{crafted.M00}.ipynb",
                       as_version=4)
    printed = json.dumps([c.get("outputs", []) for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")])
    for hidden in ("assert team_size == int(", "numbers.Integral", "HIDDEN TESTS", "is_correct()"):
        assert hidden not in printed, hidden
    assert "q1.check()" in printed  # the hook did record the cells it could see


def test_no_file_handed_in_is_imported_by_the_kernel(graded):
    root, _, _, _ = graded
    for name in ("shadow_launcher", "shadow_course"):
        nb = nbformat.read(root / "autograded" / name / crafted.M00 / f"{crafted.M00}.ipynb", as_version=4)
        assert "shadowed by None" in nb.cells[-1].outputs[0].text, name


def test_the_autograded_notebook_shows_what_was_graded(graded):
    root, _, _, _ = graded
    nb = nbformat.read(root / "autograded" / "pre_run_cell_result" / crafted.M00 / f"{crafted.M00}.ipynb",
                       as_version=4)
    test = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "team_size_counts_reps_on_team")
    assert [o.output_type for o in test.outputs] == ["error"] and test.outputs[0].ename == "AssertionError"
