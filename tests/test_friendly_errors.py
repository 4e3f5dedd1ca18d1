"""Errors a manager can read: each common mistake, typed into a real kernel after `course.setup()`,
keeps its traceback and gains one plain-words line naming the cause and the fix; a failing graded
test cell shows one short message; and nothing of this happens while nbgrader grades."""
from __future__ import annotations

import re

import nbformat
import pytest

from course.errors import PREFIX
from notebooks import execute

ANSI = re.compile(r"\x1b\[[0-9;]*m")
SETUP = """\
import course
import pandas as pd
course.setup()
opps = pd.DataFrame({
    "rep": ["Ann", "Bo", "Cy"], "outcome": ["won", "lost", "won"],
    "closed_quarter": ["2024-Q3", "2024-Q3", "2024-Q4"], "amount": [1200.0, 800.0, 500.0],
})
Q = "2024-Q3"
team_size = 3
scores = {"Ann": 4, "Bo": 3}
"""

# (the mistake a learner types, error name, words the plain line must contain)
MISTAKES = [
    ('opps[opps["outcome"] == "won" & opps["closed_quarter"] == Q]', "TypeError", "each condition in its own parentheses"),
    ('opps[opps["outcome"] == "won" & opps["amount"] > 1000]', "TypeError", "each condition in its own parentheses"),
    ('opps[(opps["outcome"] == "won") and (opps["amount"] > 1000)]', "ValueError", "Use & for and"),
    ('if opps["amount"] > 1000:\n    print("big")', "ValueError", "(condition).any()"),
    ('opps["amout"].sum()', "KeyError", 'no column "amout". Did you mean "amount"?'),
    ('opps["Outcome"]', "KeyError", 'Did you mean "outcome"?'),
    ('opps[["rep", "amonut"]]', "KeyError", 'Did you mean "amount"?'),
    ('opps["deal_value"]', "KeyError", 'Its columns are: "rep", "outcome", "closed_quarter", "amount"'),
    ('opps.groupby("rep")["amout"].sum()', "KeyError", 'Did you mean "amount"?'),
    ('opps["rep", "amount"]', "KeyError", "put their names in a list"),
    ('won = opps[opps["outcome"] == "won"]\nlost_deals.sum()', "NameError", "has not run yet"),
    ('team_sise + 1', "NameError", "Did you mean `team_size`?"),
    ('opps["amount"].summ()', "AttributeError", "Did you mean `.sum`?"),
    ('opps.sort_value("amount")', "AttributeError", "Did you mean `.sort_values`?"),
    ('opps.amout', "AttributeError", 'Did you mean the column "amount"?'),
    ('pd.read_cvs("deals.csv")', "AttributeError", "Did you mean `.read_csv`?"),
    ('opps[opps["closed_quarter"] > 3]', "TypeError", "compared or combined text with a number"),
    ('opps[opps["amount"] > "1000"]', "TypeError", "compared or combined text with a number"),
    ('opps["closed_quarter"] + 1', "TypeError", "compared or combined text with a number"),
    ('opps("amount")', "TypeError", "use square brackets"),
    ('opps[opps["amount"] > 5000].iloc[0]', "IndexError", "a filter kept nothing"),
    ('scores["Anne"]', "KeyError", "Did you mean 'Ann'?"),
    ('opps[opps["outcome"] = "won"]', "SyntaxError", "two equals signs"),
    ('opps[opps["outcome"] == "won"', "SyntaxError", "not closed"),
]


def _plain(cell) -> str:
    (error,) = [out for out in cell.outputs if out.output_type == "error"]
    return ANSI.sub("", "\n".join(error.traceback))


@pytest.fixture(scope="module")
def mistakes_run(tmp_path_factory):
    """Every mistake in one kernel, as a learner would type them, one cell each."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(SETUP)] + [nbformat.v4.new_code_cell(code) for code, _, _ in MISTAKES]
    execute(nb, tmp_path_factory.mktemp("mistakes"), allow_errors=True)
    return nb


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(MISTAKES)), ids=[m[0][:40] for m in MISTAKES])
def test_a_common_mistake_gets_one_plain_line_under_its_traceback(mistakes_run, index):
    code, ename, words = MISTAKES[index]
    assert mistakes_run.cells[0].outputs == [] or all(o.output_type != "error" for o in mistakes_run.cells[0].outputs)
    cell = mistakes_run.cells[index + 1]
    (error,) = [out for out in cell.outputs if out.output_type == "error"]
    assert error.ename == ename
    text = _plain(cell)
    assert text.count(PREFIX) == 1, text
    traceback, plain = text.split(PREFIX)
    assert ename in traceback, "the usual traceback is kept above the plain line"
    assert words in plain, f"{code!r}: {plain!r}"
    assert "\n" not in plain.strip(), "one line"


GRADED_TEST = '"""team_size counts the reps on the first team."""\nassert isinstance(team_size, int), "team_size should be a whole number (an int)"'


def _graded_notebook(answer: str, test: str = GRADED_TEST):
    nb = nbformat.v4.new_notebook()
    answer_cell = nbformat.v4.new_code_cell(answer)
    answer_cell.metadata["nbgrader"] = {"grade": False, "solution": True, "grade_id": "team_size_answer",
                                        "locked": False, "schema_version": 3, "task": False}
    test_cell = nbformat.v4.new_code_cell(test)
    test_cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": "team_size_test", "points": 1,
                                      "locked": True, "schema_version": 3, "task": False}
    nb.cells = [
        nbformat.v4.new_code_cell("import course\ncourse.setup()\nfrom course.exercises.module00 import q1"),
        answer_cell,
        nbformat.v4.new_code_cell("q1.check()"),
        test_cell,
    ]
    return nb


@pytest.mark.slow
def test_a_failing_graded_test_cell_shows_one_short_message(tmp_path):
    nb = _graded_notebook("team_size = 4.0")
    nbformat.write(nb, tmp_path / "00-orientation.ipynb")  # the learner's notebook, where the kernel runs
    execute(nb, tmp_path, allow_errors=True)
    (error,) = [out for out in nb.cells[3].outputs if out.output_type == "error"]
    assert error.ename == "AssertionError"
    lines = [ANSI.sub("", line) for line in error.traceback]
    assert len(lines) == 2, lines
    assert "team_size should be a whole number (an int)" in lines[0]
    assert "team_size counts the reps on the first team" in lines[0]
    assert "Traceback" not in "".join(lines) and "File " not in "".join(lines)


@pytest.mark.slow
def test_a_test_cell_is_known_by_its_nbgrader_metadata_even_without_a_docstring(tmp_path):
    nb = _graded_notebook("team_size = 4.0", test='assert isinstance(team_size, int), "give a whole number"')
    nbformat.write(nb, tmp_path / "00-orientation.ipynb")
    execute(nb, tmp_path, allow_errors=True)
    (error,) = [out for out in nb.cells[3].outputs if out.output_type == "error"]
    assert len(error.traceback) == 2 and "give a whole number" in ANSI.sub("", error.traceback[0])


@pytest.mark.slow
def test_check_says_the_answer_cell_stopped_rather_than_not_attempted(tmp_path):
    nb = _graded_notebook('team_size = int((reps["team"] == first_team).sum())')
    execute(nb, tmp_path, allow_errors=True)
    out = "".join(o.get("text", "") for o in nb.cells[2].outputs)
    assert "The cell above stopped with NameError: name 'reps' is not defined; fix it and run it again" in out
    assert "not attempted" not in out
    # a test cell that cannot run names the cause too, in two lines
    lines = [ANSI.sub("", line) for line in nb.cells[3].outputs[0].traceback]
    assert len(lines) == 2 and "NameError" in lines[0] and "has not run yet" in lines[1]


@pytest.mark.slow
def test_after_the_fix_check_judges_the_answer_again(tmp_path):
    nb = _graded_notebook("team_size = len(undefined_table)")
    nb.cells.insert(3, nbformat.v4.new_code_cell("team_size = 2\nq1.check()"))
    execute(nb, tmp_path, allow_errors=True)
    out = "".join(o.get("text", "") for o in nb.cells[3].outputs)
    assert "stopped" not in out and "team_size = 2" in out and "`" not in out


@pytest.mark.slow
def test_nothing_changes_while_nbgrader_executes_the_notebook(tmp_path, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")  # what nbgrader's autograde sets for the kernel
    nb = _graded_notebook("team_size = 4.0")
    nb.cells.append(nbformat.v4.new_code_cell(MISTAKES[0][0]))
    nbformat.write(nb, tmp_path / "00-orientation.ipynb")
    execute(nb, tmp_path, allow_errors=True)
    for cell in nb.cells[3:]:
        (error,) = [out for out in cell.outputs if out.output_type == "error"]
        text = ANSI.sub("", "\n".join(error.traceback))
        assert PREFIX not in text and "Traceback" in text
