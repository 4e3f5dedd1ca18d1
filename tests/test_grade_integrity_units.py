"""Grade integrity, the parts that need no kernel: answers as plain data, what to take out of a
notebook, widget records against the answers file, and an error that always scores 0."""
from __future__ import annotations

import json
import math

import nbformat
import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from course.answers import FORMAT
from course.grade import plain
from course.grade.cleanroom import answer_plan, assigned_names, clean_notebook, errors_score_zero
from course.grade.widget_records import answers_to_grade
from course.paths import MODULES


def roundtrip(value):
    return plain.decode(plain.load_json(json.dumps(plain.encode(value))))


@pytest.mark.parametrize("value", [
    None, True, 7, -2**70, 1.5, "Ana", [1, "a", None], (1, 2), {3: "x", "y": [1.0]}, {1, 2}, frozenset({"a"}),
    np.int64(12), np.float64(0.25), np.bool_(True), np.array([[1, 2], [3, 4]]), pd.Timestamp("2026-01-31"), ...,
])
def test_plain_values_come_back_equal_and_of_the_same_type(value):
    back = roundtrip(value)
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and (back == value).all()
    else:
        assert back == value


def test_nan_and_infinity_come_back():
    back = roundtrip([float("nan"), float("inf")])
    assert math.isnan(back[0]) and back[1] == float("inf")


def test_tables_come_back_with_index_columns_and_dtypes():
    frame = pd.DataFrame({"name": ["Ana", "Bo"], "deals": np.array([3, 5], dtype="int64"),
                          "rate": [0.5, 0.25], "hired": pd.to_datetime(["2024-01-02", "2025-03-04"])},
                         index=pd.Index(["r1", "r2"], name="rep_id"))
    back = roundtrip(frame)
    pd.testing.assert_frame_equal(back, frame)
    series = frame["deals"]
    pd.testing.assert_series_equal(roundtrip(series), series)
    totals = frame[["deals", "rate"]].sum()
    pd.testing.assert_series_equal(roundtrip(totals), totals)
    grouped = frame.groupby(["name", "rep_id"])["deals"].sum()  # a MultiIndex
    pd.testing.assert_series_equal(roundtrip(grouped), grouped)


class AlwaysEqual:
    def __eq__(self, other):
        return True


class SneakyInt(int):
    def __eq__(self, other):
        return True


class SneakyStr(str):
    def __eq__(self, other):
        return True


@pytest.mark.parametrize("value", [AlwaysEqual(), SneakyInt(3), SneakyStr("x"), [SneakyInt(1)], {"a": AlwaysEqual()},
                                   len, math, np.array([AlwaysEqual()], dtype=object), pd.Series([AlwaysEqual()])])
def test_what_is_not_plain_data_is_refused_with_its_type(value):
    found = plain.encode_answers({"answer": value}, ["answer", "absent"])
    assert found["answer"]["$"] == "refused" and "not plain data" in found["answer"]["why"]
    assert found["absent"] == {"$": "missing"}
    values, reasons = plain.decode_answers(found)
    assert values == {} and set(reasons) == {"answer", "absent"}


@pytest.mark.parametrize("sent", [
    {"$": "dict", "items": [[{"$": "list"}, 1]]},        # an unhashable key
    {"$": "numpy", "dtype": "object", "v": 1},            # not a plain dtype
    {"$": "pickle", "v": "gASV"},                         # no such tag, never unpickled
    {"$": "series", "dtype": "int64", "items": [1]},      # no index
    {"not": "tagged"},
    {"$": "float", "v": "1e999999"},
])
def test_malformed_or_forged_data_from_the_learners_kernel_is_refused(sent):
    values, reasons = plain.decode_answers({"x": sent})
    assert values == {} and "not plain data" in reasons["x"]


def test_deep_or_huge_data_is_refused_without_crashing():
    deep = json.dumps({"x": json.loads("[" * 45 + "1" + "]" * 45)})
    values, reasons = plain.decode_answers(plain.load_json(deep))
    assert "x" in reasons
    with pytest.raises(plain.NotPlainData):
        plain.load_json("[" * 100_000 + "]" * 100_000)
    with pytest.raises(plain.NotPlainData):
        plain.encode(json.loads("[" * 45 + "1" + "]" * 45))


def test_the_names_taken_out_are_what_each_release_answer_cell_assigns():
    assert assigned_names("won = opps[opps['outcome'] == ___]\nwon") == ["won"]   # a blank is a name
    assert assigned_names("a, (b, *c) = 1, (2, 3)\nd += 1\ne: int = 2\nf == 3") == ["a", "b", "c", "d", "e"]
    source = nbformat.read(MODULES / "00-orientation" / "00-orientation.ipynb", as_version=4)
    plan = answer_plan(source)
    # the template's answer is taken, not the solution's own lines: only what the release asks for
    assert [(a.grade_id, a.names, a.checkpoint) for a in plan.answers] == [
        ("team_size_answer", ["team_size"], "team_size_counts_reps_on_team"),
    ]


def test_the_clean_notebook_holds_given_cells_from_the_source_answers_as_data_and_the_tests():
    module = "00a-just-enough-pandas"
    source = nbformat.read(MODULES / module / f"{module}.ipynb", as_version=4)
    plan = answer_plan(source)
    answers = {answer.grade_id: {} for answer in plan.answers}
    answers["company_quota_answer"] = {"company_quota": 4}
    nb = clean_notebook(source, plan, answers, kept_tests={"company_quota_adds_up_every_rep"})
    text = "\n".join(c.source for c in nb.cells)
    assert 'top_row = reps["quarterly_quota"].idxmax()' in text            # a trusted worked example
    assert "company_quota = __learner_answers__['company_quota_answer']['company_quota']" in text
    assert "newest_rep =" not in text                                      # not given: not defined
    assert "### BEGIN HIDDEN TESTS" in text and "newest_rep_is_latest_hire" not in json.dumps(
        [c.metadata for c in nb.cells])                                    # a deleted test stays out
    assert 'beacon.loc[beacon["hire_date"].idxmax(), "name"]' not in text  # no solution code


def test_a_test_cell_showing_an_error_scores_zero_whatever_it_showed_first():
    from nbgrader.utils import determine_grade

    cell = new_code_cell("assert False", metadata={"nbgrader": {"grade": True, "solution": False,
                                                                "grade_id": "t", "points": 2}})
    cell.outputs = [nbformat.from_dict({"output_type": "execute_result", "data": {"text/plain": "'ok'"},
                                        "metadata": {}, "execution_count": 1}),
                    nbformat.from_dict({"output_type": "error", "ename": "AssertionError", "evalue": "",
                                        "traceback": []})]
    nb = new_notebook(cells=[cell])
    assert determine_grade(cell)[0] == 2.0                 # nbgrader alone reads the first result
    assert determine_grade(errors_score_zero(nb).cells[0])[0] == 0


def _answers(path, questions):
    path.write_text(json.dumps({"format": FORMAT, "module": "m", "questions": questions}))
    return path


def test_the_hub_record_wins_over_an_answers_file_that_disagrees(tmp_path):
    mine = _answers(tmp_path / "mine.json", {
        "same": {"answer": "Why?", "attempts": 1},
        "forged": {"answer": "right", "attempts": 1},
        "changed": {"answer": {"a": "asking"}, "attempts": 1},
    })
    record = _answers(tmp_path / "record.json", {
        "same": {"answer": " why? ", "attempts": 1},                       # canonical form agrees
        "changed": {"answer": {"a": "telling"}, "attempts": 3, "wrong_answers": [{"a": "telling"}]},
        "only_on_hub": {"answer": 2, "attempts": 1},
    })
    data, notes = answers_to_grade(mine, record, "m")
    questions = json.loads(data)["questions"]
    assert questions["changed"]["answer"] == {"a": "telling"} and questions["only_on_hub"]["answer"] == 2
    assert "forged" not in questions and questions["same"]["answer"] == " why? "
    assert len(notes) == 3 and any("forged" in n and "never recorded" in n for n in notes)
    assert any("changed" in n and "disagrees" in n for n in notes) and not any("same" in n for n in notes)


def test_without_a_record_the_answers_file_is_graded_as_handed_in(tmp_path):
    mine = tmp_path / "mine.json"
    mine.write_text('{"questions": {"q": {"answer": 1}}, "damaged": ')  # even damaged: the widget says so
    assert answers_to_grade(mine, tmp_path / "none.json", "m") == (mine.read_bytes(), [])
    assert answers_to_grade(tmp_path / "absent.json", tmp_path / "none.json", "m") == (None, [])


def test_the_course_can_count_first_attempts(tmp_path):
    mine = _answers(tmp_path / "mine.json", {"q": {"answer": "right", "attempts": 2, "wrong_answers": ["wrong"]},
                                             "r": {"answer": "right", "attempts": 1, "wrong_answers": []}})
    data, _ = answers_to_grade(mine, tmp_path / "none.json", "m", count="first_attempt")
    questions = json.loads(data)["questions"]
    assert questions["q"]["answer"] == "wrong" and questions["r"]["answer"] == "right"
    with pytest.raises(ValueError, match="widget_answers"):
        answers_to_grade(mine, tmp_path / "none.json", "m", count="best")


def test_kernels_start_isolated_so_no_file_in_their_folder_is_importable(tmp_path, monkeypatch):
    from course.grade import sandbox
    from course.grade.cleanroom import IsolatedKernelManager

    monkeypatch.setattr(sandbox.SETTINGS, "runtime_dir", tmp_path)
    cmd = IsolatedKernelManager(kernel_name="python3").format_kernel_cmd()
    assert cmd[1:4] == ["-P", "-m", "ipykernel_launcher"]
