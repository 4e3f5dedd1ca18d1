"""The answers file: what a learner does in a widget survives to grading.

Every answer given through a `course.widgets` exercise is written at once to
`<module>.answers.json` beside the notebook (the kernel's working folder). The write is
atomic and durable: a temporary file in the same folder, flushed and fsync-ed, then
`os.replace`-d over the old one, so a crash leaves either the old file or the new one.

A widget rebuilt from the same cell (re-run, kernel restart, `nbgrader autograde`)
reads its answer back from this file, and a hidden test cell grades it like any other.

The file is plain JSON that a trainer can read::

    {
      "format": "coaching-lab-answers/1",
      "module": "01-managing-vs-coaching",
      "questions": {
        "m01_sort_remarks": {
          "kind": "sorter",
          "answer": {"Let's walk through your call plan.": "coaching", ...},
          "correct": false,
          "attempts": 2,
          "first_answered": "2026-11-29T00:31:12Z",
          "last_answered": "2026-11-29T00:32:40Z",
          "wrong_answers": [{...}, {...}]
        }
      }
    }

`answer` is the learner's last answer, `wrong_answers` every distinct wrong answer in the
order first given (for the trainers' "most common wrong answers" report). `correct` is a
note for that report only: grading always re-checks `answer` against the exercise's hash.

A missing file means "nothing answered yet". A file that is not valid JSON, or whose
entries have the wrong shape, prints ONE message naming the file and the problem (on
stdout: nbgrader zeroes a cell that writes to stderr) and only the affected questions
count as unanswered. Importing this module reads no file.
"""
from __future__ import annotations

import base64
import datetime as _dt
import getpass
import hashlib
import json
import math
import os
import re
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from course import records

FORMAT = "coaching-lab-answers/1"
SUFFIX = ".answers.json"
QUESTION_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,79}$")

__all__ = [
    "FORMAT",
    "AnswerStore",
    "answer",
    "answer_hash",
    "answers_path",
    "canonical",
    "canonical_json",
    "copy_of",
    "learner",
    "module_name",
    "notebook_name",
    "seal",
    "seal_feedback",
    "store",
    "unseal",
    "use_module",
]


# --------------------------------------------------------------------------- hashing
def canonical(value: Any, digits: int = 4) -> Any:
    """A JSON-ready form of `value` that equal answers share.

    Text is lower-cased with runs of whitespace collapsed; floats are rounded to `digits`
    (a whole float becomes an int); tuples, lists and arrays become lists; sets become
    sorted lists; mapping keys become canonical text. numpy scalars, pandas Series and
    DataFrames (column by column) are accepted without importing either library.
    """
    if hasattr(value, "to_dict") and not isinstance(value, Mapping):  # pandas Series or DataFrame
        if getattr(value, "ndim", 1) == 2:  # a table compares column by column: {column: {row: value}}
            value = {column: value[column].to_dict() for column in value.columns}
        else:
            value = value.to_dict()
    if hasattr(value, "item") and hasattr(value, "dtype") and getattr(value, "ndim", None) == 0:
        value = value.item()  # numpy scalar
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        rounded = round(value, digits)
        return int(rounded) if rounded == int(rounded) else rounded
    if isinstance(value, str):
        return " ".join(value.split()).lower()
    if isinstance(value, Mapping):
        return {str(canonical(k, digits)): canonical(v, digits) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((canonical(v, digits) for v in value), key=json.dumps)
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        items = value.tolist() if hasattr(value, "tolist") else value
        return [canonical(v, digits) for v in items]
    raise TypeError(f"cannot compare an answer of type {type(value).__name__}")


def canonical_json(value: Any, digits: int = 4) -> str:
    """The canonical form of `value` as compact JSON with sorted keys."""
    return json.dumps(canonical(value, digits), sort_keys=True, separators=(",", ":"))


def answer_hash(question_id: str, value: Any, digits: int = 4) -> str:
    """Salted SHA-256 of an answer: what an exercise stores instead of the answer itself.

    ``sha256(f"{question_id}:{canonical_json(value)}")`` as 64 hex digits. Authors run it
    once in the source notebook (in a cell removed from the release) and paste the result.
    """
    return hashlib.sha256(f"{question_id}:{canonical_json(value, digits)}".encode()).hexdigest()


def _keystream(question_id: str, option: Any, length: int) -> bytes:
    seed = hashlib.sha256(f"feedback:{question_id}:{canonical_json(option)}".encode()).digest()
    blocks = (hashlib.sha256(seed + n.to_bytes(4, "big")).digest() for n in range(length // 32 + 1))
    return b"".join(blocks)[:length]


SEALED = "sealed:"


def seal(question_id: str, option: Any, text: str) -> str:
    """`text` (the feedback shown after `option` is picked), unreadable until it is picked.

    Every option of a question carries sealed feedback, the right one included, so reading
    the package cannot tell the right option from the others; `unseal` needs the option
    itself, which is what picking it gives. This hides, it does not encrypt: the secret is
    the answer's salted hash, and a learner who tries every option learns no more than the
    widget would tell them.
    """
    data = text.encode("utf-8")
    mixed = bytes(a ^ b for a, b in zip(data, _keystream(question_id, option, len(data))))
    return SEALED + base64.b64encode(mixed).decode("ascii")


def unseal(question_id: str, option: Any, sealed: str) -> str:
    """The text `seal(question_id, option, text)` hid (plain text is returned as it is)."""
    if not sealed.startswith(SEALED):
        return sealed
    mixed = base64.b64decode(sealed[len(SEALED):])
    return bytes(a ^ b for a, b in zip(mixed, _keystream(question_id, option, len(mixed)))).decode("utf-8")


def seal_feedback(question_id: str, feedback: Mapping[str, str]) -> dict[str, str]:
    """Seal a whole `{option: feedback}` dict: what an author pastes into `course/exercises/`."""
    return {option: seal(question_id, option, text) for option, text in feedback.items()}


def learner() -> str:
    """Who is answering: the hub user, else the account running the kernel.

    Seeds each learner's own (stable) order of options; never used to grade.
    """
    name = os.environ.get("JUPYTERHUB_USER")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "learner"


# --------------------------------------------------------------------------- the store
def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _is_json_value(value: Any) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


def _entry_problem(entry: Any) -> str | None:
    """What is wrong with one question's entry, or None when it has the expected shape."""
    if not isinstance(entry, dict):
        return f"expected an object, found {type(entry).__name__}"
    if "answer" not in entry:
        return "no 'answer'"
    if not _is_json_value(entry["answer"]):
        return "'answer' is not plain JSON"
    attempts = entry.get("attempts", 0)
    if not isinstance(attempts, int) or isinstance(attempts, bool) or attempts < 0:
        return f"'attempts' should be a whole number, found {attempts!r}"
    if not isinstance(entry.get("wrong_answers", []), list):
        return "'wrong_answers' should be a list"
    for key in ("kind", "first_answered", "last_answered"):
        if key in entry and not isinstance(entry[key], str):
            return f"{key!r} should be text"
    if "correct" in entry and not isinstance(entry["correct"], bool):
        return "'correct' should be true or false"
    return None


class AnswerStore:
    """The answers of one module, kept in `path` and in memory.

    Use `course.answers.store()` in notebooks; build one directly only in tests and tools.
    """

    def __init__(self, path: str | os.PathLike, module: str | None = None, *,
                 copy_of: str | None = None) -> None:
        self.path = Path(path)
        name = self.path.name
        self.module = module or (name[: -len(SUFFIX)] if name.endswith(SUFFIX) else self.path.stem)
        self.copy_of = copy_of  # the module this copy of its notebook comes from: nothing here is graded
        self._questions: dict[str, dict] = {}
        self._problems: dict[str, str] = {}  # question id -> what was wrong with its entry
        self._file_problem: str | None = None
        self._loaded_stamp: tuple | None = None
        self._reported: set = set()
        self._claimed: set[str] = set()
        self.load()

    # -- reading -----------------------------------------------------------------------
    def _stamp(self) -> tuple | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)

    def load(self) -> None:
        """(Re)read the file; report a damaged file once, as one message on stdout."""
        self._loaded_stamp = self._stamp()
        self._questions, self._problems, self._file_problem = {}, {}, None
        if self._loaded_stamp is None:
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            self._file_problem = "it is not UTF-8 text"
        except json.JSONDecodeError as error:
            self._file_problem = f"it is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        except OSError as error:
            self._file_problem = f"it cannot be read ({error.strerror})"
        else:
            if not isinstance(data, dict) or not isinstance(data.get("questions"), dict):
                self._file_problem = "it has no \"questions\" object at the top"
            else:
                for question_id, entry in data["questions"].items():
                    problem = None
                    if not QUESTION_ID.match(question_id):
                        problem = "unknown question id"
                    else:
                        problem = _entry_problem(entry)
                    if problem:
                        self._problems[question_id] = problem
                    else:
                        self._questions[question_id] = entry
        self._report()

    def _report(self) -> None:
        if not (self._file_problem or self._problems):
            return
        key = (self._loaded_stamp, self._file_problem, tuple(sorted(self._problems.items())))
        if key in self._reported:
            return
        self._reported.add(key)
        if self._file_problem:
            what = f"{self._file_problem}. Every widget answer in it counts as unanswered"
        else:
            listed = "; ".join(f"{qid!r}: {why}" for qid, why in sorted(self._problems.items()))
            what = f"some entries are damaged ({listed}). Those questions count as unanswered"
        print(
            f"Answers file {self.path.name}: {what}. "
            "Answer those questions again in their widgets and the file is rewritten. "
            "(Edit answers only through the widgets.)",
            file=sys.stdout,
        )

    def refresh(self) -> None:
        """Reload when the file changed on disk since we last read or wrote it."""
        if self._stamp() != self._loaded_stamp:
            self.load()

    def problem(self, question_id: str) -> str | None:
        """Why a question's saved answer was ignored (damaged file or entry), else None."""
        self.refresh()
        if self._file_problem:
            return self._file_problem
        return self._problems.get(question_id)

    def get(self, question_id: str) -> dict | None:
        """A copy of the saved entry for `question_id`, or None when there is none usable."""
        self.refresh()
        entry = self._questions.get(question_id)
        return json.loads(json.dumps(entry)) if entry is not None else None

    def answer(self, question_id: str, default: Any = None) -> Any:
        """The learner's last answer to `question_id`, or `default`."""
        entry = self.get(question_id)
        return default if entry is None else entry["answer"]

    def questions(self) -> dict[str, dict]:
        """Every usable entry, by question id (a copy)."""
        self.refresh()
        return json.loads(json.dumps(self._questions))

    def claim(self, question_id: str) -> None:
        """A widget for `question_id` exists in this kernel (see `unclaimed`)."""
        self._claimed.add(question_id)

    def unclaimed(self) -> list[str]:
        """Question ids saved in the file that no widget in this kernel asked for.

        A renamed or hand-added entry shows up here; call it after the last widget
        (`print(course.answers.store().unclaimed())`) when auditing a submission.
        """
        self.refresh()
        return sorted(set(self._questions) - self._claimed)

    def reject(self, question_id: str, why: str) -> None:
        """A widget found its saved answer does not fit it: report once, treat as unanswered."""
        if question_id in self._questions:
            del self._questions[question_id]
            self._problems[question_id] = why
            self._report()

    # -- writing -----------------------------------------------------------------------
    def record(self, question_id: str, answer: Any, *, correct: bool | None = None,
               kind: str | None = None, count_attempt: bool = True) -> dict:
        """Save `answer` as the learner's answer to `question_id`, at once, atomically.

        `count_attempt=False` saves work in progress (a sorter half filled in) without
        counting it as an attempt. A wrong answer joins `wrong_answers` once.
        """
        if not QUESTION_ID.match(question_id):
            raise ValueError(f"question id {question_id!r}: use letters, digits, '_', '-' or '.'")
        if not _is_json_value(answer):
            raise TypeError(f"answer to {question_id!r} must be plain JSON, got {type(answer).__name__}")
        self.refresh()
        now = _now()
        entry = self._questions.get(question_id) or {
            "answer": None, "attempts": 0, "first_answered": now, "wrong_answers": [],
        }
        if kind:
            entry["kind"] = kind
        entry["answer"] = answer
        entry["last_answered"] = now
        entry.setdefault("first_answered", now)
        entry.setdefault("wrong_answers", [])
        if count_attempt:
            entry["attempts"] = int(entry.get("attempts", 0)) + 1
            if correct is False and answer not in entry["wrong_answers"]:
                entry["wrong_answers"].append(answer)
        if correct is None:
            entry.pop("correct", None)
        else:
            entry["correct"] = correct
        self._questions[question_id] = entry
        self._problems.pop(question_id, None)
        if self.copy_of is None:  # a copy's answers are the learner's own, never a record
            records.send("answer", self.module, question_id, answer=answer, correct=correct, kind=kind,
                         count_attempt=count_attempt)  # on a cohort hub only; never blocks
        self._write()
        return json.loads(json.dumps(entry))

    def _write(self) -> None:
        if self._file_problem and self.path.exists():
            # Keep the damaged file for the trainer instead of silently replacing it.
            aside = self.path.with_name(self.path.name + ".damaged")
            try:
                os.replace(self.path, aside)
            except OSError:
                pass
            self._file_problem = None
        data = {"format": FORMAT, "module": self.module, "questions": self._questions}
        text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        try:
            os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; a normal file is wanted
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            try:
                os.unlink(temp)
            except OSError:
                pass
            raise
        try:  # make the rename itself durable
            dir_fd = os.open(folder, os.O_RDONLY)
        except OSError:
            dir_fd = None
        if dir_fd is not None:
            try:
                os.fsync(dir_fd)
            except OSError:
                pass
            finally:
                os.close(dir_fd)
        self._loaded_stamp = self._stamp()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# --------------------------------------------------------------------------- one per module
_module_override: str | None = None
_stores: dict[Path, AnswerStore] = {}


def use_module(module: str | None) -> None:
    """Name the module whose answers file this kernel uses (None: work it out again)."""
    global _module_override
    _module_override = module


def module_name(folder: Path | None = None) -> str:
    """The module of the notebook running in `folder` (default: the working folder).

    `use_module(...)` wins; otherwise the notebook's name when the folder holds exactly
    one notebook (nbgrader keeps notebook names, even if a learner renames the folder);
    otherwise the folder's name (course folders are named after their module).
    """
    if _module_override:
        return _module_override
    folder = Path.cwd() if folder is None else folder
    notebooks = [p for p in folder.glob("*.ipynb") if not p.name.startswith(".")]
    if len(notebooks) == 1:
        return notebooks[0].stem
    return folder.resolve().name


def notebook_name() -> str | None:
    """The name (without .ipynb) of the notebook this kernel was started for, or None.

    jupyter_server tells a kernel its notebook's path in JPY_SESSION_NAME; nbclient, nbconvert
    and `nbgrader autograde` do not, so grading always works out the module from the folder.
    """
    path = os.environ.get("JPY_SESSION_NAME", "")
    return Path(path).stem if path.endswith(".ipynb") else None


def copy_of(folder: Path | None = None) -> str | None:
    """The module whose notebook this kernel's notebook is a copy of (say
    `00-orientation-Copy1.ipynb` beside `00-orientation.ipynb`), or None."""
    if _module_override:
        return None
    folder = Path.cwd() if folder is None else Path(folder)
    notebook, module = notebook_name(), module_name(folder)
    return module if notebook is not None and notebook != module else None


def answers_path(module: str | None = None, folder: Path | None = None) -> Path:
    """Where the answers of `module` live: `<module>.answers.json` in `folder` (cwd).

    Without `module`, a copy of the module's notebook gets a file of its own
    (`<copy>.answers.json`): only the notebook that is handed in carries the graded answers.
    """
    folder = Path.cwd() if folder is None else Path(folder)
    if module is None and copy_of(folder):
        module = notebook_name()
    return folder / f"{module or module_name(folder)}{SUFFIX}"


def store(module: str | None = None) -> AnswerStore:
    """The answer store of `module` (default: this notebook's), one per file per kernel."""
    path = answers_path(module).resolve()
    if path not in _stores:
        original = None if module else copy_of()
        _stores[path] = AnswerStore(path, module=path.name[: -len(SUFFIX)], copy_of=original)
    return _stores[path]


def answer(question_id: str, default: Any = None, module: str | None = None) -> Any:
    """The saved answer to `question_id` in this notebook's answers file, or `default`."""
    return store(module).answer(question_id, default)
