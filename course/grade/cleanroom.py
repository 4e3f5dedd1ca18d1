"""Grade values, not a tampered process: hidden tests run where no learner code has ever run.

nbgrader runs the learner's notebook and its hidden tests in one kernel, so learner code that
runs first (an IPython hook, a monkeypatched `int` or `is_correct`, an edited setup cell, a
shadowing `course/` folder) can change what the tests see. Here grading is two runs:

1. The learner's run (nbgrader's own autograde, sandboxed, `ExtractingExecute`): the notebook
   the trainer and the learner see. Test cells do not run there (their hidden code never meets
   learner code); where each would run, the learner's answers it checks — the names each answer
   cell of the RELEASE assigns — are sent out as plain data (`course.grade.plain`); anything
   that is not plain data is refused with a reason.
2. The clean run (`grade_clean`): a fresh sandboxed process (a child of the pre-warmed clean-run
   server, `course.grade.cleanserver`, where no learner code ever runs) runs the SOURCE notebook's given
   cells and test cells (trusted copies, hidden tests included), with each answer cell replaced
   by the learner's answers injected as data, in a folder holding only the module's own files and
   the learner's widget answers file (`<module>.answers.json`, checked against the hub's widget
   record when there is one, see `course.grade.widget_records`). Its test-cell results are what
   nbgrader's `SaveAutoGrades` writes into the gradebook and what the autograded notebook shows.

The learner's kernel and the clean-run server start with `python -P` (`IsolatedKernelManager`):
no file in the working folder is importable, so a learner's `course/__init__.py` or
`ipykernel_launcher.py` is never used.
A test cell that shows an error or writes to stderr scores 0, whatever it displayed before.
"""
from __future__ import annotations

import ast
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

from course.grade import cleanserver, plain
from course.grade.sandbox import SandboxedExecute, SandboxedKernelManager

SOLUTION_REGION = re.compile(r"^[ \t]*### BEGIN SOLUTION.*?^[ \t]*### END SOLUTION[^\n]*\n?", re.S | re.M)
DATA_FILE = ".learner-answers.json"
END = "(end of notebook)"


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_test_cell(cell) -> bool:
    """An autograded test cell: a code grade cell that is not an answer cell."""
    meta = _nbgrader(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_answer_cell(cell) -> bool:
    return cell.cell_type == "code" and bool(_nbgrader(cell).get("solution"))


# --------------------------------------------------------------------------- what to take out
def assigned_names(code: str) -> list[str]:
    """Names a cell assigns at its top level (`x = …`, `a, b = …`, `x += …`, `x: int = …`)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return re.findall(r"^([A-Za-z_]\w*)\s*=(?!=)", code, re.M)
    names: list[str] = []

    def add(target):
        if isinstance(target, ast.Name):
            names.append(target.id)
        elif isinstance(target, ast.Tuple | ast.List):
            for item in target.elts:
                add(item)
        elif isinstance(target, ast.Starred):
            add(target.value)

    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                add(target)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            add(node.target)
    return list(dict.fromkeys(names))


@dataclass
class Answer:
    grade_id: str              # the answer cell
    names: list[str]           # what it assigns in the release
    checkpoint: str            # the first test cell after it (END when none)


@dataclass
class Plan:
    """Which names to take out of the learner's kernel, and where."""

    answers: list[Answer] = field(default_factory=list)

    def names_at(self, checkpoint: str) -> list[str]:
        return list(dict.fromkeys(n for a in self.answers if a.checkpoint == checkpoint for n in a.names))

    def all_names(self) -> list[str]:
        return list(dict.fromkeys(n for a in self.answers for n in a.names))


def answer_plan(source: nbformat.NotebookNode) -> Plan:
    """The answers of a source notebook: each answer cell's release-form assignment targets."""
    plan = Plan()
    pending: list[Answer] = []
    for cell in source.cells:
        if is_answer_cell(cell):
            released = SOLUTION_REGION.sub("", cell.source)  # what ClearSolutions leaves of it
            names = assigned_names(released) or assigned_names(cell.source)
            answer = Answer(_nbgrader(cell)["grade_id"], [n for n in names if n.isidentifier()], END)
            plan.answers.append(answer)
            pending.append(answer)
        elif is_test_cell(cell):
            for answer in pending:
                answer.checkpoint = _nbgrader(cell)["grade_id"]
            pending = []
    return plan


# --------------------------------------------------------------------------- the learner's run
@dataclass
class Extraction:
    """Set by the worker before nbgrader's autograde; filled in by `ExtractingExecute`."""

    plans: dict[str, Plan] = field(default_factory=dict)          # notebook -> plan
    found: dict[str, dict[str, object]] = field(default_factory=dict)  # notebook -> checkpoint -> raw


EXTRACTION = Extraction()


class IsolatedKernelManager(SandboxedKernelManager):
    """The sandboxed kernel, started with `python -P`: its working folder is not importable."""

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        if cmd[1:3] == ["-m", "ipykernel_launcher"]:
            cmd = [cmd[0], "-P", *cmd[1:]]
        return cmd


class IsolatedExecute(SandboxedExecute):
    """Sandboxed execution in an isolated kernel (`python -P`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kernel_manager_class = IsolatedKernelManager


class ExtractingExecute(IsolatedExecute):
    """The learner's run: before each test cell, take the learner's answers out as plain data."""

    _extracting = False

    def preprocess_cell(self, cell, resources, index):
        """Test cells never run here (their results come from the clean run, and their hidden
        code never reaches learner code); just before each, the answers it checks are taken out."""
        notebook = resources.get("nbgrader", {}).get("notebook", "")
        plan = EXTRACTION.plans.get(notebook)
        if plan and is_test_cell(cell):
            names = plan.names_at(_nbgrader(cell).get("grade_id"))
            if names:
                self._extract(notebook, _nbgrader(cell)["grade_id"], names, index)
            cell.outputs = []
        else:
            cell, resources = super().preprocess_cell(cell, resources, index)
        if plan and index == len(self.nb.cells) - 1:
            self._extract(notebook, END, plan.all_names(), index)
        return cell, resources

    def _extract(self, notebook: str, checkpoint: str, names: list[str], index: int) -> None:
        probe = new_code_cell(plain.extraction_code(names))
        cell = self.nb.cells[index]  # nbclient stores the cell it ran at `index`: put it back after
        self._extracting = True
        try:
            self.execute_cell(probe, index, store_history=False)
        except Exception as error:  # the learner's kernel is theirs to break
            found = f"the learner's kernel did not answer ({type(error).__name__})"
        else:
            sent = [o for o in probe.outputs if plain.MIME in o.get("data", {})]
            found = sent[-1]["data"][plain.MIME] if sent else "the learner's kernel sent no answers"
        finally:
            self._extracting = False
            self.nb.cells[index] = cell
        EXTRACTION.found.setdefault(notebook, {})[checkpoint] = found

    def output(self, outs, msg, display_id, cell_index):
        if self._extracting:  # not the learner's printed output: not counted against its cap
            return super(SandboxedExecute, self).output(outs, msg, display_id, cell_index)
        return super().output(outs, msg, display_id, cell_index)


def learner_answers(notebook: str, plan: Plan) -> tuple[dict[str, dict], list[str]]:
    """({answer grade_id: {name: tagged value}}, notes) from what the learner's run sent.

    Each answer's value is the one its first test cell would have seen; when that test cell
    is not in the learner's notebook, the value at the end of the notebook.
    """
    found = EXTRACTION.found.get(notebook, {})
    answers: dict[str, dict] = {}
    notes: list[str] = []
    for answer in plan.answers:
        raw = found.get(answer.checkpoint, found.get(END))
        if raw is not None and not isinstance(raw, str):
            try:
                raw = plain.load_json(json.dumps(raw))  # plain JSON types only, and size-capped
            except (plain.NotPlainData, TypeError, ValueError):
                raw = "the answers sent by the learner's kernel are too large"
        answers[answer.grade_id] = {}
        if raw is None:
            continue
        if isinstance(raw, str):
            notes.append(f"{notebook}: {answer.grade_id}: {raw}; its answers count as missing")
            continue
        values, reasons = plain.decode_answers({n: raw.get(n) for n in answer.names if n in raw}
                                               if isinstance(raw, dict) else raw)
        for name in answer.names:
            if name in values:
                answers[answer.grade_id][name] = plain.encode(values[name])
            elif name in reasons and reasons[name] != "not defined":
                notes.append(f"{notebook}: {name} (cell {answer.grade_id}) scores as wrong: {reasons[name]}")
    return answers, notes


# --------------------------------------------------------------------------- the clean run
def clean_notebook(source: nbformat.NotebookNode, plan: Plan, answers: dict[str, dict],
                   kept_tests: set[str]) -> nbformat.NotebookNode:
    """The source notebook with each answer cell replaced by the learner's answers as data.

    Given cells and test cells are the source's own; test cells the learner deleted are left
    out (they score as nbgrader scores a deleted cell). Only test cells keep nbgrader metadata.
    """
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": source.metadata.get("kernelspec", {})})
    nb.cells.append(new_code_cell(  # nobody reads the given cells' outputs here: plain text is enough
        f"get_ipython().display_formatter.active_types = ['text/plain']\n"
        f"from course.grade.plain import load_injected as _load_injected\n"
        f"__learner_answers__ = _load_injected({DATA_FILE!r})\ndel _load_injected"))
    by_id = {a.grade_id: a for a in plan.answers}
    for cell in source.cells:
        if cell.cell_type != "code":
            continue
        meta = _nbgrader(cell)
        if is_answer_cell(cell):
            grade_id = meta["grade_id"]
            given = answers.get(grade_id, {})
            lines = [f"# the learner's answer in cell {grade_id}, as data"]
            lines += [f"{name} = __learner_answers__[{grade_id!r}][{name!r}]"
                      for name in by_id[grade_id].names if name in given]
            nb.cells.append(new_code_cell("\n".join(lines)))
        elif is_test_cell(cell):
            if meta["grade_id"] in kept_tests:
                nb.cells.append(new_code_cell(cell.source, metadata={"nbgrader": dict(meta)}))
        else:
            nb.cells.append(new_code_cell(cell.source))
    return nb


def clean_folder(target: Path, module_dir: Path, answers_file: bytes | None, module: str,
                 answers: dict[str, dict[str, dict]]) -> Path:
    """The clean kernel's working folder: the module's own files, the widget answers, the data."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(module_dir, target, symlinks=False,
                    ignore=shutil.ignore_patterns("*.ipynb", "*.answers.json", ".ipynb_checkpoints", "__pycache__"))
    if answers_file is not None:
        (target / f"{module}.answers.json").write_bytes(answers_file)
    (target / DATA_FILE).write_text(json.dumps(answers))
    return target


def errors_score_zero(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy to score from: a test cell showing an error (or stderr) keeps only that error,
    so nbgrader's `determine_grade` cannot read a result displayed before it as the score."""
    copy = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in copy.cells:
        if is_test_cell(cell):
            bad = [o for o in cell.outputs if o.output_type == "error"
                   or (o.output_type == "stream" and o.get("name") == "stderr")]
            if bad:
                cell.outputs = bad[:1]
    return copy


def run_clean(nb: nbformat.NotebookNode, folder: Path, config, server_dir: Path) -> nbformat.NotebookNode:
    """Execute the clean notebook in `folder`, in a fresh child of the sandboxed clean-run server
    (`course.grade.cleanserver`: no learner code has ever run in it)."""
    timeout = config.Execute.get("timeout") or 120
    outputs = cleanserver.SERVER.run([cell.source for cell in nb.cells], folder, server_dir, timeout)
    for cell, outs in zip(nb.cells, outputs, strict=True):
        cell.outputs = [nbformat.from_dict(out) for out in outs]
    return nb


def save_scores(nb: nbformat.NotebookNode, db_url: str, notebook: str, assignment: str, student: str) -> None:
    """Write the clean run's test-cell scores with nbgrader's own `SaveAutoGrades`."""
    from nbgrader.preprocessors import SaveAutoGrades

    resources = {"nbgrader": {"notebook": notebook, "assignment": assignment, "student": student, "db_url": db_url}}
    SaveAutoGrades().preprocess(errors_score_zero(nb), resources)


def show_clean_results(autograded: Path, clean: nbformat.NotebookNode) -> None:
    """The autograded notebook's test cells show the clean run's outputs: what was graded."""
    nb = nbformat.read(autograded, as_version=4)
    results = {_nbgrader(c)["grade_id"]: c.outputs for c in clean.cells if is_test_cell(c)}
    for cell in nb.cells:
        grade_id = _nbgrader(cell).get("grade_id")
        if cell.cell_type == "code" and grade_id in results and not _nbgrader(cell).get("solution"):
            cell.outputs = results[grade_id]
    mode = autograded.stat().st_mode  # nbgrader leaves it read-only
    autograded.chmod(mode | 0o200)
    nbformat.write(nb, autograded)
    autograded.chmod(mode)


def grade_clean(*, module: str, student: str, notebook: str, source_dir: Path, submitted_dir: Path,
                autograded_dir: Path, work: Path, server_dir: Path, db_url: str, config, record: Path,
                widget_answers: str = "final") -> list[str]:
    """The clean run of one notebook after nbgrader's autograde: scores into `db_url`; notes."""
    from course.grade import widget_records

    source = nbformat.read(source_dir / f"{notebook}.ipynb", as_version=4)
    plan = EXTRACTION.plans.get(notebook) or answer_plan(source)
    answers, notes = learner_answers(notebook, plan)
    autograded = autograded_dir / f"{notebook}.ipynb"
    kept = {_nbgrader(c)["grade_id"] for c in nbformat.read(autograded, as_version=4).cells if is_test_cell(c)}
    widget_file, more = widget_records.answers_to_grade(
        submitted_dir / f"{module}.answers.json", record, module, widget_answers)
    folder = clean_folder(work / module, source_dir, widget_file, module, answers)
    nb = run_clean(clean_notebook(source, plan, answers, kept), folder, config, server_dir)
    save_scores(nb, db_url, notebook, module, student)
    show_clean_results(autograded, nb)
    return notes + more
