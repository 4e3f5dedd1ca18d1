"""No widget gives its answer away: not in the package, not in the release, not on screen.

The right answer of a widget question is only ever a salted hash in anything a learner can
read. Each question is built by a factory in `course/exercises/moduleNN.py`; its feedback is
sealed for every option (so no option stands out by having none); options and items are
shown in each learner's own, stable order. The scans below look for the answer in clear and
for option text *adjacent* to what marks it right: an option that occurs a different number
of times than the others, an item followed by its own bin and not by the others.
"""
from __future__ import annotations

import ast
import importlib
import io
import json
import re
import tokenize
from pathlib import Path

import nbformat
import pytest

from course import answers
from course.answers import canonical_json
from course.paths import GRADING, MODULES, REPO, module_names
from course.widgets import MultipleChoice, Sorter
from notebooks import HIDDEN_REGION, read

KEY_DIR = GRADING / "answer_key" / "widgets"
WIDGET_MODULES = sorted(p.stem for p in KEY_DIR.glob("*.json"))
FACTORY_CELL = re.compile(r"^(\w+) = ex\.(\w+)\(\)\n\1$")


def key(module: str) -> dict:
    """The right answers of the module's choice and sort questions (role-plays are R's: not here)."""
    every = json.loads((KEY_DIR / f"{module}.json").read_text())
    return {q: a for q, a in every.items() if isinstance(a, (str, dict))}


def clear_feedback(module: str) -> dict:
    path = GRADING / "answer_key" / "widget_feedback" / f"{module}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def exercises_module(module: str):
    return importlib.import_module(f"course.exercises.module{module.split('-')[0]}")


def factories(module: str) -> dict[str, str]:
    """{notebook variable: factory name} of every one-line widget cell of the module."""
    found = {}
    for cell in read(MODULES / module / f"{module}.ipynb").cells:
        match = FACTORY_CELL.match(cell.source) if cell.cell_type == "code" else None
        if match:
            found[match.group(1)] = match.group(2)
    return found


@pytest.fixture
def kernel_folder(tmp_path, monkeypatch):
    """An empty notebook folder as the kernel's working folder, no store cached."""
    monkeypatch.chdir(tmp_path)
    answers._stores.clear()
    yield tmp_path
    answers._stores.clear()


def build(module: str, name: str):
    return getattr(exercises_module(module), name)()


def test_every_widget_question_is_a_factory_in_the_package_and_in_the_key(kernel_folder):
    for module in module_names():
        built = {name: build(module, factory) for name, factory in factories(module).items()}
        graded = {e.question_id for e in built.values() if isinstance(e, (MultipleChoice, Sorter))}
        assert graded == set(key(module)) if graded else module not in WIDGET_MODULES, module
        for name, factory in factories(module).items():
            assert name == factory, f"{module}: the factory is named after the notebook variable"


@pytest.mark.parametrize("module", WIDGET_MODULES)
def test_every_option_has_sealed_feedback_that_opens_to_the_authors_text(module, kernel_folder):
    clear = clear_feedback(module)
    for name in factories(module):
        exercise = build(module, name)
        if not isinstance(exercise, MultipleChoice):
            continue
        assert set(exercise.option_feedback) == set(exercise.options), exercise.question_id
        assert all(v.startswith(answers.SEALED) for v in exercise.option_feedback.values())
        opened = {o: exercise._said(o) for o in exercise.options}
        assert opened == clear[exercise.question_id], (
            f"{module}: re-seal with course.answers.seal_feedback({exercise.question_id!r}, clear_text)")


def test_a_question_with_an_option_left_without_feedback_is_refused(kernel_folder):
    with pytest.raises(ValueError, match="feedback for every option"):
        MultipleChoice("t_q", "Which?", ["a", "b", "c"], answer_hash="0" * 64, feedback={"a": "x", "c": "y"})


def test_options_and_items_are_in_each_learners_own_stable_order(kernel_folder, monkeypatch):
    right_positions, item_orders = set(), set()
    for person in [f"learner{n}" for n in range(12)]:
        monkeypatch.setenv("JUPYTERHUB_USER", person)
        first = build("01-managing-vs-coaching", "first_question")
        again = build("01-managing-vs-coaching", "first_question")
        assert first.radio.options == again.radio.options, "stable for one learner"
        assert sorted(first.radio.options) == sorted(first.options)
        right_positions.add(first.radio.options.index(key("01-managing-vs-coaching")["m01_first_question"]))
        sorter = build("01-managing-vs-coaching", "ask_or_tell")
        rows = [c for c in sorter.widget.children if "cl-sorter-row" in c._dom_classes]
        item_orders.add(tuple(row.children[0].value for row in rows))
    assert len(right_positions) >= 3, "the right option moves from learner to learner"
    assert len(item_orders) >= 6


SEP = r"""[\s"'`:,=>|\[\]-]{0,12}"""


def _flat(text: str) -> str:
    return " ".join(text.split()).lower()


def _strings(source: str) -> str:
    """What a reader of a Python file sees: each string (escapes resolved) and comment, in order."""
    def text(token) -> str:
        try:
            return ast.literal_eval(token.string)
        except ValueError:  # an f-string: as written
            return token.string

    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return "\n".join(text(t) if t.type == tokenize.STRING else t.string
                     for t in tokens if t.type in (tokenize.STRING, tokenize.COMMENT))


def _leaks(module: str, text: str, where: str, picked: frozenset = frozenset()) -> list[str]:
    """What in `text` singles out an answer of `module`'s widgets (`picked`: options a learner
    chose, which the feedback names once more)."""
    found = []
    lowered = _flat(text)
    for question_id, answer in key(module).items():
        if isinstance(answer, str):
            for option, exercise_text in clear_feedback(module).get(question_id, {}).items():
                if option not in picked and _flat(exercise_text) in lowered:
                    found.append(f"{where}: {question_id}: feedback in clear: {exercise_text[:60]!r}")
            options = list(clear_feedback(module).get(question_id, {}))
            counts = {o: lowered.count(_flat(o)) for o in options if o not in picked}
            if len(set(counts.values())) > 1:
                found.append(f"{where}: {question_id}: options occur unevenly {sorted(counts.values())}: "
                             "the odd one out is readable")
        else:
            if canonical_json(answer) in lowered or json.dumps(answer, ensure_ascii=False).lower() in lowered:
                found.append(f"{where}: {question_id}: the whole sort in clear")
            bins = "|".join(re.escape(_flat(b)) for b in set(answer.values()))
            for item, right_bin in answer.items():  # `"item": "bin"`, `item -> bin`, `item | bin`...
                # ...but not the item list running into the list of every bin
                pair = (re.escape(_flat(item)) + SEP + re.escape(_flat(right_bin))
                        + f"(?!{SEP}(?:{bins}))")
                if re.search(pair, lowered):
                    found.append(f"{where}: {question_id}: {item[:40]!r} is next to its bin")
    return found


@pytest.mark.parametrize("module", WIDGET_MODULES)
def test_package_holds_no_answer_in_clear(module):
    source = Path(exercises_module(module).__file__).read_text(encoding="utf-8")
    assert _leaks(module, _strings(source), "package") == []


def test_the_scan_finds_an_answer_left_readable():
    """The scan is real: the old way (feedback for every option but the right one) is caught."""
    module = "00-orientation"
    (right,) = key(module).values()
    others = [o for o in clear_feedback(module)["m00_how_grading_works"] if o != right]
    old_cell = f"options={[right, *others]!r},\nfeedback={ {o: 'no' for o in others}!r}"
    assert any("unevenly" in leak for leak in _leaks(module, old_cell, "old"))
    sorter_module = "01-managing-vs-coaching"
    item, right_bin = next(iter(key(sorter_module)["m01_ask_or_tell"].items()))
    assert _leaks(sorter_module, f"{item!r}: {right_bin!r},", "old")


@pytest.mark.slow
@pytest.mark.parametrize("module", [pytest.param(m, marks=pytest.mark.xdist_group(m)) for m in WIDGET_MODULES])
def test_release_and_its_rendered_outputs_hold_no_answer(module, tmp_path, released_course):
    """Release the module with nbgrader (the run shared with tests/test_contract.py, in its xdist
    group), run it with a wrong answer given to every widget, and scan the notebook, its outputs
    and its saved widget state."""
    from nbclient import NotebookClient

    course = released_course(module, tmp_path / "course")
    release = course / "release" / module
    notebook = read(release / f"{module}.ipynb")
    text = "\n".join(c.source for c in notebook.cells)
    assert not HIDDEN_REGION.search(text)
    leaks = _leaks(module, text, "release")
    store, picked = answers.AnswerStore(release / f"{module}.answers.json", module), set()
    for question_id, answer in key(module).items():  # a wrong answer everywhere
        if isinstance(answer, str):
            picked.add(next(o for o in clear_feedback(module)[question_id] if o != answer))
            store.record(question_id, next(o for o in clear_feedback(module)[question_id] if o != answer))
        else:
            store.record(question_id, {item: next(b for b in sorted(set(answer.values())) if b != right)
                                       for item, right in answer.items()})
    NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=True, store_widget_state=True,
                   resources={"metadata": {"path": str(release)}}).execute()
    rendered = json.dumps([c.get("outputs", []) for c in notebook.cells], ensure_ascii=False)
    state = json.dumps(notebook.metadata.get("widgets", {}), ensure_ascii=False)
    assert "Not quite" in state or "Not yet" in state, "the widgets were drawn with the wrong answers"
    leaks += _leaks(module, rendered, "outputs", frozenset(picked))
    leaks += _leaks(module, state, "widget state", frozenset(picked))
    assert leaks == []
    assert not (REPO / "modules" / module / f"{module}.answers.json").exists()
