"""Widget exercises: answers are saved at once, restored by a rebuilt widget, and graded by nbgrader."""
from __future__ import annotations

import importlib.util
import io
import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from course import answers
from course.answers import answer_hash
from course.widgets import (INCOMPLETE, INCORRECT, NOT_ATTEMPTED, MultipleChoice,
                            RepExplorer, RolePlay, Sorter, TrueFalse)

_spec = importlib.util.spec_from_file_location(
    "democourse", Path(__file__).parent / "fixtures" / "widget_demo" / "democourse.py")
democourse = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(democourse)
demo = democourse.fixture_module()

OPTIONS = ["Tell her what to do.", "Ask what she noticed.", "Ask why she failed."]
ITEMS = ["Update the CRM by Friday.", "What would you try next?", "Your territory grows."]
BINS = ["managing", "coaching"]
SORT_KEY = dict(zip(ITEMS, ["managing", "coaching", "managing"]))
SCRIPT = demo.SCRIPT


def restart_kernel():
    """What a kernel restart does to the toolkit: forget every store held in memory."""
    answers._stores.clear()


FEEDBACK = dict(zip(OPTIONS, ["That is telling.", "She does the thinking.", "That is blame."]))


def mc(**options):
    return MultipleChoice("t_mc", "Which coaches?", OPTIONS, answer_hash("t_mc", OPTIONS[1]),
                          hint="Who does the thinking?", feedback=answers.seal_feedback("t_mc", FEEDBACK),
                          **options)


def sorter():
    return Sorter("t_sort", ITEMS, BINS, answer_hash("t_sort", SORT_KEY), hint="Who thinks?")


def read(folder: Path) -> dict:
    return json.loads((folder / "01-demo.answers.json").read_text())


# ------------------------------------------------------------------ hashes
def test_answer_hash_is_salted_canonical_sha256():
    assert answer_hash("q", "  Ask  What she NOTICED. ") == answer_hash("q", "ask what she noticed.")
    assert answer_hash("q", {"b": 1, "a": 2.0}) == answer_hash("q", {"a": 2, "b": 1.00001})
    assert answer_hash("q", "x") != answer_hash("r", "x")
    import hashlib
    assert answer_hash("q", ["A", 1]) == hashlib.sha256(b'q:["a",1]').hexdigest()


# ------------------------------------------------------------------ the answers file
def test_every_answer_is_saved_at_once_with_attempts_and_distinct_wrong_answers(folder):
    q = mc()
    assert not (folder / "01-demo.answers.json").exists()
    q.choose(OPTIONS[0])
    q.choose(OPTIONS[2])
    q.choose(OPTIONS[0])
    entry = read(folder)["questions"]["t_mc"]
    assert entry["answer"] == OPTIONS[0] and entry["attempts"] == 3 and entry["correct"] is False
    assert entry["wrong_answers"] == [OPTIONS[0], OPTIONS[2]]
    assert entry["kind"] == "multiple_choice" and entry["last_answered"].endswith("Z")
    q.choose(OPTIONS[1])
    entry = read(folder)["questions"]["t_mc"]
    assert entry["answer"] == OPTIONS[1] and entry["correct"] is True and entry["attempts"] == 4
    assert read(folder)["module"] == "01-demo"


def test_write_is_atomic_and_durable(folder, monkeypatch):
    store = answers.store()
    store.record("t_a", "first")
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        store.record("t_a", "second")
    assert json.loads((folder / "01-demo.answers.json").read_text())["questions"]["t_a"]["answer"] == "first"
    assert synced, "the temporary file was not fsync-ed before the rename"
    assert [p.name for p in folder.iterdir()] == ["01-demo.answers.json"], "a temporary file was left behind"


def test_a_failed_save_is_shown_to_the_learner_not_raised(folder, monkeypatch):
    import errno

    def full(*_):
        raise OSError(errno.ENOSPC, "No space left on device")

    q = mc()
    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", full)
        q.choose(OPTIONS[1])
    assert "could not be saved to 01-demo.answers.json (No space left on device)" in q.feedback.value
    q.choose(OPTIONS[0])
    assert "could not be saved" not in q.feedback.value


def test_file_permissions_follow_umask(folder):
    answers.store().record("t_a", 1)
    mask = os.umask(0o022)
    os.umask(mask)
    assert (folder / "01-demo.answers.json").stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.parametrize("make", [mc, sorter, lambda: RolePlay("t_talk", SCRIPT)])
def test_untouched_widget_is_not_attempted_not_wrong(folder, make, capsys):
    widget = make()
    assert widget.status == NOT_ATTEMPTED and not widget.attempted and not widget.is_correct()
    widget.check()
    assert "not attempted yet" in capsys.readouterr().out
    assert not (folder / "01-demo.answers.json").exists()


def test_rebuilt_widgets_restore_answers_after_a_restart(folder):
    q, s, talk = mc(), sorter(), RolePlay("t_talk", SCRIPT)
    q.choose(OPTIONS[1])
    for item, bin_ in SORT_KEY.items():
        s.assign(item, bin_)
    talk.say(1)
    talk.say(1)  # tell, blame: finished, not coaching
    restart_kernel()
    q2, s2, talk2 = mc(), sorter(), RolePlay("t_talk", SCRIPT)
    assert q2.value == OPTIONS[1] and q2.is_correct()
    assert s2.value == SORT_KEY and s2.is_correct()
    assert talk2.value == [1, 1] and talk2.status == INCORRECT and talk2.score() == 0
    assert "Coaching score 0%" in talk2.feedback.value
    # Restoring is not answering: no attempt is counted.
    assert read(folder)["questions"]["t_mc"]["attempts"] == 1


def test_multiple_choice_feedback_names_the_pick_never_the_answer(folder, capsys):
    q = mc()
    q.choose(OPTIONS[0])
    q.check()
    out = capsys.readouterr().out
    assert "That is telling." in out and OPTIONS[0] in out and OPTIONS[1] not in out
    assert OPTIONS[1] not in q.feedback.value and q.status == INCORRECT
    assert "She does the thinking" not in out + q.feedback.value, "the right option's feedback stays sealed"
    assert ".." not in out and ".." not in q.feedback.value, "options end with a full stop already"
    assert not any(text in str(q.option_feedback) for text in FEEDBACK.values())
    q.choose(OPTIONS[1])
    assert "Right. She does the thinking." in q.feedback.value
    q.hint()
    assert "Who does the thinking?" in capsys.readouterr().out
    q.hint_button.click()
    assert "Who does the thinking?" in q.feedback.value


def test_true_false(folder):
    tf = TrueFalse("t_tf", "Coaching is telling reps what to do.", answer_hash("t_tf", "False"),
                   feedback={"True": "Telling is managing.", "False": "Coaching grows how the rep thinks."})
    tf.choose("True")
    assert tf.status == INCORRECT
    tf.choose("False")
    assert tf.is_correct()


def test_sorter_saves_partial_work_and_counts_misplaced_but_never_names_them_in_two_bins(folder):
    s = sorter()
    s.assign(ITEMS[0], "coaching")
    assert s.status == INCOMPLETE and read(folder)["questions"]["t_sort"]["attempts"] == 0
    s.assign(ITEMS[1], "coaching")
    s.assign(ITEMS[2], "managing")
    assert s.status == INCORRECT and "1 item is in the wrong bin" in s.feedback.value
    assert ITEMS[0] not in s.feedback.value  # first miss: how many, not which
    s.assign(ITEMS[2], "coaching")
    assert "2 items are in the wrong bin" in s.feedback.value
    assert ITEMS[0] not in s.feedback.value  # with two bins, naming an item gives its bin away
    s.assign(ITEMS[0], "managing")
    s.assign(ITEMS[2], "managing")
    assert s.is_correct()
    assert len(read(folder)["questions"]["t_sort"]["wrong_answers"]) == 3


def test_sorter_names_misplaced_items_from_the_second_miss_when_there_are_three_bins(folder):
    key = {"Calls per week": "activity", "Discovery rating": "skill", "Closed value": "result"}
    s = Sorter("t_three", list(key), ["activity", "skill", "result"], answer_hash("t_three", key))
    s.assign("Calls per week", "skill")
    s.assign("Discovery rating", "skill")
    s.assign("Closed value", "result")
    assert "1 item is in the wrong bin" in s.feedback.value and "Calls per week" not in s.feedback.value
    s.assign("Closed value", "activity")
    assert "2 items are in the wrong bin" in s.feedback.value
    named = s.feedback.value.split("Look again at")[1]
    assert "Calls per week" in named and "Closed value" in named and "activity" not in named


def test_roleplay_scores_coaching_behaviours(folder):
    talk = RolePlay("t_talk", SCRIPT, pass_score=0.75)
    talk.say(0)
    assert talk.status == INCOMPLETE and not (folder / "01-demo.answers.json").exists()
    talk.say(0)
    assert talk.is_correct() and talk.tags() == ["ask", "explore"] and talk.score() == 1
    talk.start_over()
    talk.say(0)
    talk.say(1)  # ask then blame: 50 %
    assert talk.status == INCORRECT and "Blame" in talk.feedback.value
    assert read(folder)["questions"]["t_talk"]["wrong_answers"] == [[0, 1]]
    with pytest.raises(ValueError):
        RolePlay("t_bad", {"start": {"rep": "hi", "choices": [{"say": "x", "tag": "shout", "next": None}]}})


# ------------------------------------------------------------------ damaged files
def test_corrupt_file_gives_one_stdout_message_and_counts_as_unanswered(folder, capsys):
    (folder / "01-demo.answers.json").write_text('{"questions": {"t_mc": {"answer": "Ask what')
    q, s = mc(), sorter()
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.count("Answers file 01-demo.answers.json") == 1
    assert "not valid JSON" in captured.out
    assert q.status == NOT_ATTEMPTED and s.status == NOT_ATTEMPTED
    q.choose(OPTIONS[1])  # answering again rewrites the file and keeps the damaged one aside
    assert read(folder)["questions"]["t_mc"]["answer"] == OPTIONS[1]
    assert (folder / "01-demo.answers.json.damaged").exists()


def test_hand_edited_entries_affect_only_their_questions(folder, capsys):
    good = answers.store()
    good.record("t_sort", SORT_KEY, kind="sorter", correct=True)
    restart_kernel()
    data = read(folder)
    data["questions"]["t_mc"] = {"answer": OPTIONS[1], "attempts": "lots"}
    data["questions"]["t_talk"] = {"answer": [7, 7], "attempts": 1, "kind": "role_play"}
    data["questions"]["not a question id!"] = {"answer": 1}
    (folder / "01-demo.answers.json").write_text(json.dumps(data))
    q, s, talk = mc(), sorter(), RolePlay("t_talk", SCRIPT)
    out, err = capsys.readouterr()
    assert err == ""
    assert "'attempts' should be a whole number" in out and "unknown question id" in out
    assert "does not follow this script" in out
    assert q.status == NOT_ATTEMPTED and talk.status == NOT_ATTEMPTED
    assert s.is_correct()
    data["questions"]["t_renamed"] = {"answer": "x"}
    (folder / "01-demo.answers.json").write_text(json.dumps(data))
    assert answers.store().unclaimed() == ["t_renamed"]


def test_saved_answer_that_does_not_fit_the_widget_is_rejected(folder, capsys):
    answers.store().record("t_mc", "I am the answer", kind="multiple_choice")
    restart_kernel()
    q = mc()
    assert q.status == NOT_ATTEMPTED
    assert "not one of this question's options" in capsys.readouterr().out


def test_module_is_named_after_the_single_notebook_in_the_folder(folder):
    (folder / "03-one-reps-numbers.ipynb").write_text("{}")
    assert answers.answers_path().name == "03-one-reps-numbers.answers.json"
    answers.use_module("07-x")
    try:
        assert answers.answers_path().name == "07-x.answers.json"
    finally:
        answers.use_module(None)


def test_importing_the_widgets_pulls_in_no_plotting():
    import subprocess
    import sys
    code = "import course.answers, course.widgets"
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True)
    assert result.returncode == 0
    assert "matplotlib" not in result.stderr and "seaborn" not in result.stderr, \
        "importing the widgets must not pull in plotting"


# ------------------------------------------------------------------ rep explorer
def _team():
    import pandas as pd
    rows = []
    for rep, base in [("Ana", 10), ("Ben", 20), ("Cy", 30)]:
        for period in ["2026-Q1", "2026-Q2"]:
            rows.append({"rep": rep, "period": period, "leads": base * 4, "meetings": base * 2,
                         "proposals": base, "won": base // 2, "calls": base * 5, "emails": base * 3,
                         "quota_attainment": base / 25})
    return pd.DataFrame(rows)


def test_rep_explorer_draws_nothing_until_a_rep_is_picked():
    import matplotlib.pyplot as plt

    figures_before = plt.get_fignums()  # other tests in this worker may have left theirs open
    explorer = RepExplorer(_team())
    assert explorer.draws == 0 and explorer.image.value == b""
    assert explorer.image.layout.display == "none", "an empty image shows as a broken-image icon"
    assert explorer.rep_picker.options == ("Ana", "Ben", "Cy")
    explorer.rep_picker.value = "Ben"  # what a pick in the frontend does
    assert explorer.draws == 1 and explorer.image.value[:4] == b"\x89PNG"
    assert explorer.image.layout.display is None
    assert "Team (median)" in explorer.table.value
    assert "<td>100</td>" in explorer.table.value and "100.00" not in explorer.table.value, "counts as counts"
    assert "<td>0.80</td>" in explorer.table.value, "attainment keeps its decimals"
    from PIL import Image
    assert Image.open(io.BytesIO(explorer.image.value)).width <= 900, "the chart fits a 900-pixel window unscaled"
    assert plt.get_fignums() == figures_before, "no pyplot figure may leak into the cell output"
    table = explorer.numbers("Ana", "2026-Q1")
    assert table.loc["won", "Ana"] == 5 and table.loc["won", "Team (median)"] == 10


def test_rep_explorer_takes_a_callable():
    team = _team()
    explorer = RepExplorer(lambda rep, period: team[team.period == period],
                           reps=["Ana", "Cy"], periods=["2026-Q2"])
    explorer.rep_picker.value = "Cy"
    assert explorer.draws == 1
    explorer.show("Nobody", "2026-Q2")
    assert "No numbers for Nobody in 2026-Q2" in explorer.note.value


# ------------------------------------------------------------------ nbgrader, end to end
def _learner(release: Path, target: Path, monkeypatch, act) -> None:
    """Copy the release to `target` and answer there through the notebook's own cells."""
    shutil.copytree(release, target)
    monkeypatch.chdir(target)
    answers._stores.clear()
    namespace: dict = {}
    notebook = nbformat.read(target / f"{democourse.ASSIGNMENT}.ipynb", as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, "<cell>", "exec"), namespace)  # noqa: S102 - the learner's notebook
    act(namespace)
    answers._stores.clear()


@pytest.mark.slow
def test_nbgrader_grades_widget_answers(tmp_path, monkeypatch):
    root = tmp_path / "course"
    release = democourse.make_course(root)
    text = (release / f"{democourse.ASSIGNMENT}.ipynb").read_text()
    assert "is_correct" not in text, "hidden tests leaked into the release"
    assert demo.KEY["demo_coach_reply"] not in text.split("options=")[0]
    assert json.dumps(demo.KEY["demo_sort_remarks"]) not in text

    def right_and_wrong(ns):  # right multiple choice, wrong sort, coaching conversation
        ns["q_coach"].choose(demo.KEY["demo_coach_reply"])
        for item, bin_ in demo.WRONG["demo_sort_remarks"].items():
            ns["sorter"].assign(item, bin_)
        ns["talk"].say(0)
        ns["talk"].say(0)

    def wrong_then_right(ns):  # wrong choice, right sort, telling conversation
        ns["q_coach"].choose(demo.WRONG["demo_coach_reply"])
        for item, bin_ in demo.KEY["demo_sort_remarks"].items():
            ns["sorter"].assign(item, bin_)
        ns["talk"].say(1)
        ns["talk"].say(1)

    _learner(release, democourse.submission_folder(root, "alice"), monkeypatch, right_and_wrong)
    _learner(release, democourse.submission_folder(root, "bob"), monkeypatch, wrong_then_right)
    _learner(release, democourse.submission_folder(root, "carol"), monkeypatch, lambda ns: None)
    # dave answered everything right, then hand-edited the file into invalid JSON
    dave = democourse.submission_folder(root, "dave")
    _learner(release, dave, monkeypatch, lambda ns: (right_and_wrong(ns), ns["sorter"].assign(
        demo.ITEMS[2], "managing")))
    (dave / democourse.ANSWERS_FILE).write_text((dave / democourse.ANSWERS_FILE).read_text()[:-20])
    # erin's file is valid JSON but one entry was tampered with
    erin = democourse.submission_folder(root, "erin")
    _learner(release, erin, monkeypatch, right_and_wrong)
    data = json.loads((erin / democourse.ANSWERS_FILE).read_text())
    data["questions"]["demo_coach_reply"]["answer"] = ["not", "an", "option"]
    (erin / democourse.ANSWERS_FILE).write_text(json.dumps(data))
    # An author's answers file left in the source folder must not replace a learner's.
    author = root / "source" / democourse.ASSIGNMENT / democourse.ANSWERS_FILE
    shutil.copy(democourse.submission_folder(root, "bob") / democourse.ANSWERS_FILE, author)

    monkeypatch.chdir(root)
    log = democourse.nbgrader(root, "autograde", democourse.ASSIGNMENT, "--create")
    graded = democourse.scores(root)
    a, s, c = "coach_reply_picked", "remarks_sorted", "conversation_coached"
    assert graded["alice"] == {a: 1, s: 0, c: 1}, log
    assert graded["bob"] == {a: 0, s: 1, c: 0}, log
    assert graded["carol"] == {a: 0, s: 0, c: 0}, log
    assert graded["dave"] == {a: 0, s: 0, c: 0}, log
    assert graded["erin"] == {a: 0, s: 0, c: 1}, log
    autograded = root / "autograded" / "dave" / democourse.ASSIGNMENT
    notebook = nbformat.read(autograded / f"{democourse.ASSIGNMENT}.ipynb", as_version=4)
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    messages = [o["text"] for o in outputs if o.get("name") == "stdout" and "Answers file" in o["text"]]
    assert len(messages) == 1 and "not valid JSON" in messages[0]
    assert not [o for o in outputs if o.get("name") == "stderr"]
    assert json.loads((root / "autograded" / "alice" / democourse.ASSIGNMENT / democourse.ANSWERS_FILE)
                      .read_text())["questions"]["demo_coach_reply"]["correct"] is True


@pytest.mark.slow
def test_headless_execution_neither_hangs_nor_draws(tmp_path):
    """nbclient (what nbgrader and nbconvert use) runs a notebook of widgets to the end, drawing nothing."""
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    cells = [
        "import pandas as pd\nfrom course.widgets import RepExplorer, TrueFalse",
        "team = pd.DataFrame({'rep': ['Ana', 'Ben'], 'period': ['Q1', 'Q1'], 'leads': [40, 80],"
        " 'won': [4, 9], 'calls': [50, 90], 'quota_attainment': [0.7, 1.1]})\n"
        "explorer = RepExplorer(team, funnel=['leads', 'won'], activity=['calls'])\nexplorer",
        "tf = TrueFalse('h_tf', 'Coaching is telling.', answer_hash='0' * 64,"
        " feedback={'True': 'Telling.', 'False': 'Asking.'})\ntf",
        "import matplotlib.pyplot as plt\n"
        "print(explorer.draws, len(explorer.image.value), plt.get_fignums(), tf.status)",
    ]
    notebook = new_notebook(cells=[new_code_cell(c) for c in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (tmp_path / "nb.ipynb").write_text(nbformat.writes(notebook))
    client = NotebookClient(notebook, timeout=60, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for cell in notebook.cells for o in cell.outputs]
    assert not [o for o in outputs if o.get("name") == "stderr" or o.output_type == "error"], outputs
    assert notebook.cells[-1].outputs[0]["text"].strip() == "0 0 [] not attempted yet"
    assert not list(tmp_path.glob("*.answers.json")), "running a notebook must not write answers"


def test_rep_explorer_for_a_sample_team_compares_a_rep_with_the_team_median():
    explorer = RepExplorer.for_team("Beacon")
    assert explorer.draws == 0, "nothing is drawn until a live frontend picks a rep"
    rep, period = explorer.rep_picker.options[0], explorer.period_picker.value
    table = explorer.numbers(rep, period)
    assert list(table.columns) == [rep, "Team (median)"]
    assert {"opportunities", "proposals", "deals", "calls", "quota_attainment"} <= set(table.index)
    assert 0 <= table.loc["quota_attainment", "Team (median)"] < 5, "attainment is a fraction of quota"
    explorer.show(rep, period)
    assert explorer.draws == 1 and bytes(explorer.image.value).startswith(b"\x89PNG")
    with pytest.raises(ValueError, match="No team called 'Nope'"):
        RepExplorer.for_team("Nope")


def test_committed_fixture_notebook_is_what_its_generator_writes():
    """widget-demo.ipynb is generated by make_notebook.py, never edited by hand."""
    import nbformat

    committed = nbformat.read(democourse.HERE / f"{democourse.ASSIGNMENT}.ipynb", as_version=4)
    assert committed == demo.build(), "run `python tests/fixtures/widget_demo/make_notebook.py`"


def test_a_copy_of_the_notebook_keeps_its_own_answers_and_never_touches_the_graded_ones(folder, monkeypatch):
    """JupyterLab's Duplicate makes `01-demo-Copy1.ipynb`; its kernel knows its notebook (JPY_SESSION_NAME)."""
    for name in ("01-demo.ipynb", "01-demo-Copy1.ipynb"):
        (folder / name).write_text("{}")
    monkeypatch.setenv("JPY_SESSION_NAME", str(folder / "01-demo.ipynb"))
    mc().choose(OPTIONS[1])
    restart_kernel()
    monkeypatch.setenv("JPY_SESSION_NAME", str(folder / "01-demo-Copy1.ipynb"))
    copy = mc()
    assert copy.status == NOT_ATTEMPTED, "a copy does not start from the original's answers"
    (note,) = [c for c in copy.widget.children if "cl-copy-note" in c._dom_classes]
    assert "This notebook is a copy" in note.value and "01-demo.ipynb" in note.value
    copy.choose(OPTIONS[0])
    assert read(folder)["questions"]["t_mc"]["answer"] == OPTIONS[1], "the graded answer is untouched"
    saved = json.loads((folder / "01-demo-Copy1.answers.json").read_text())
    assert saved["questions"]["t_mc"]["answer"] == OPTIONS[0]
    restart_kernel()
    monkeypatch.delenv("JPY_SESSION_NAME")  # nbgrader autograde: no session, the module's file
    graded = mc()
    assert graded.value == OPTIONS[1] and graded.is_correct()
    assert not [c for c in graded.widget.children if "cl-copy-note" in c._dom_classes]


def test_each_widget_shows_under_a_line_saying_to_run_the_notebook(folder):
    """Reopened without running, a widget cannot be drawn: the line above it says what to do."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    InteractiveShell.instance()
    with capture_output() as shown:
        mc()._ipython_display_()
    first, second = shown.outputs
    assert "Run → Run All Cells" in first.data["text/html"] and "cl-run-prompt" in first.data["text/html"]
    assert "application/vnd.jupyter.widget-view+json" in second.data


def test_colours_come_from_the_jupyterlab_theme_and_every_exercise_carries_the_style_sheet(folder):
    """Light or dark, the theme decides: no colour is fixed except as a fallback outside JupyterLab."""
    import re

    from course.widgets import STYLE

    declarations = re.findall(r"(?:color|background|border[-a-z]*)\s*:\s*([^;]+);", STYLE)
    assert declarations and all(d.strip().startswith(("var(--jp-", "4px solid var(--jp-", "2px solid var(--jp-",
                                                      "1px solid var(--jp-", "inset 0 0 0 2px var(--jp-"))
                                for d in declarations), declarations
    for exercise in (mc(), sorter(), RolePlay("t_talk", SCRIPT)):
        sheets = [c for c in exercise.widget.children if "cl-style" in c._dom_classes]
        assert len(sheets) == 1 and "<style>" in sheets[0].value
        assert "style=" not in exercise.feedback.value, "feedback is styled by the sheet, not inline colours"
