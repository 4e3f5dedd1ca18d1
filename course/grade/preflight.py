"""Pre-flight: what is checked and mended in a submission before any kernel starts.

The worker calls `check_notebook(path, expected)` on its scratch copy of a submission (never the
learner's own folder) for each notebook of the module. It

- refuses, with a reason, a submission past the caps (`CAPS`: files, bytes, cells), so a
  50,000-cell notebook or a folder of huge files never holds a worker;
- grades honest mistakes as the learner meant them, with a note: a cell pasted twice keeps
  nbgrader's metadata on both copies (nbgrader then refuses the whole notebook), so the metadata
  is cleared on the copies and the original (the cell whose id is the source's, else the first)
  keeps it; a `timestamp.txt` that is not a date is set aside as if there were none;
- then runs the worker's own notebook checks (readable JSON, deleted or moved graded cells).

`nbgrader_error(text)` turns nbgrader's log and traceback into its real error, in one line.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat


@dataclass(frozen=True)
class Caps:
    """The most one submission may hold; the course's largest module has fewer than 100 cells."""

    files: int = 100
    total_mb: int = 200
    notebook_mb: int = 50
    cells: int = 1000


CAPS = Caps()


def check_notebook(path: Path, expected: dict[str, float], caps: Caps | None = None) -> tuple[str | None, list[str]]:
    """(a reason the submission holding `path` cannot be graded, notes on what was mended)."""
    from course.grade import worker

    caps = caps or CAPS
    folder = path.parent
    reason = _over_caps(folder, path, caps)
    if reason:
        return reason, []
    notes = _set_aside_bad_timestamp(folder)
    if path.is_file():
        try:
            raw = json.loads(path.read_bytes())
        except (ValueError, UnicodeDecodeError):
            raw = None   # the worker's own check says what is wrong with it
        cells = raw.get("cells") if isinstance(raw, dict) else None
        if isinstance(cells, list) and len(cells) > caps.cells:
            return (f"{path.name} has {len(cells):,} cells, more than the {caps.cells:,} a submission may "
                    "have; nothing was run. Ask the learner to delete the extra cells and hand it in again"), notes
        if isinstance(cells, list):
            notes += _clear_duplicated_metadata(path, _source_notebook(path))
    reason, more = worker.check_notebook(path, expected)
    return reason, notes + more


def _over_caps(folder: Path, notebook: Path, caps: Caps) -> str | None:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    if len(files) > caps.files:
        return (f"the submission holds {len(files):,} files, more than the {caps.files} allowed; nothing was run. "
                "Ask the learner to hand in the notebook and the files it needs only")
    total = sum(p.stat().st_size for p in files)
    if total > caps.total_mb * 2**20:
        biggest = max(files, key=lambda p: p.stat().st_size)
        return (f"the submission holds {total / 2**20:,.0f} MB, more than the {caps.total_mb} MB allowed "
                f"(largest file: {biggest.relative_to(folder)}, {biggest.stat().st_size / 2**20:,.0f} MB); "
                "nothing was run")
    if notebook.is_file() and notebook.stat().st_size > caps.notebook_mb * 2**20:
        return (f"{notebook.name} is {notebook.stat().st_size / 2**20:,.0f} MB, more than the {caps.notebook_mb} MB "
                "a notebook may be; nothing was run. Ask the learner to clear the outputs "
                "(Edit > Clear Outputs of All Cells), save and hand it in again")
    return None


def _set_aside_bad_timestamp(folder: Path) -> list[str]:
    """A timestamp.txt nbgrader cannot read is renamed, so the submission counts as not dated."""
    from nbgrader.utils import parse_utc

    stamp = folder / "timestamp.txt"
    if not stamp.is_file():
        return []
    text = stamp.read_bytes()[:200].decode("utf-8", "replace").strip()
    if not text:
        return []
    try:
        parse_utc(text)
        return []
    except (ValueError, OverflowError, TypeError):
        stamp.rename(folder / "timestamp.txt.not-a-date")
        return [f"timestamp.txt does not hold a date ({text[:60]!r}); graded as handed in without a time "
                "(it cannot be late)"]


def _source_notebook(path: Path) -> nbformat.NotebookNode | None:
    """The module's source notebook in the scratch course (course/submitted/<student>/<module>/<nb>)."""
    module = path.parent.name
    source = path.parents[3] / "modules" / module / path.name if len(path.parents) > 3 else None
    try:
        return nbformat.read(source, as_version=4) if source and source.is_file() else None
    except Exception:
        return None


def _grade_id(cell) -> str | None:
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta.get("grade_id") if isinstance(meta, dict) else None


def _clear_duplicated_metadata(path: Path, source: nbformat.NotebookNode | None) -> list[str]:
    """Clear nbgrader metadata on pasted copies of a cell; keep it on the original."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return []  # the worker's own check reports an unreadable notebook
    by_id: dict[str, list[int]] = {}
    for index, cell in enumerate(nb.cells):
        grade_id = _grade_id(cell)
        if grade_id:
            by_id.setdefault(grade_id, []).append(index)
    source_ids = {_grade_id(c): c.get("id") for c in (source.cells if source else [])}
    notes = []
    for grade_id, indexes in by_id.items():
        if len(indexes) < 2:
            continue
        same_id = [i for i in indexes if nb.cells[i].get("id") and nb.cells[i].get("id") == source_ids.get(grade_id)]
        original = same_id[0] if same_id else indexes[0]
        copies = [i for i in indexes if i != original]
        for index in copies:
            del nb.cells[index].metadata["nbgrader"]
        where = ", ".join(str(i + 1) for i in copies)
        notes.append(f"cell {grade_id!r} appears {len(indexes)} times (copied and pasted); graded the original "
                     f"(cell {original + 1}) and treated the copy at cell {where} as the learner's own cell")
    if notes:
        nbformat.write(nb, path)
    return notes


GENERIC = ("There was an error processing assignment", "Please see the", "Removing failed",
           "error log", "errors on the above failures")
EXCEPTION_LINE = re.compile(r"^(?:[A-Za-z_][\w.]*\.)?([A-Z]\w*(?:Error|Exception|Exit|Interrupt))(?::\s*(.*))?$")


def _continued(lines: list[str], index: int, first: str) -> str:
    """`first` and the lines nbgrader wrapped it over, up to a blank line or the next log line."""
    message = [first]
    for more in lines[index + 1:index + 12]:
        text = more.strip()
        if more.startswith("[") or text.startswith(("Traceback", "File ")) or EXCEPTION_LINE.match(text):
            break
        message.append(text)
    return " ".join(m for m in message if m)


def nbgrader_error(text: str) -> str | None:
    """nbgrader's real error in one line (the exception behind "Please see the above traceback")."""
    lines = text.splitlines()
    found = None
    for index, line in enumerate(lines):
        match = EXCEPTION_LINE.match(line.strip())
        if match and not any(g in (match.group(2) or "") for g in GENERIC):
            found = f"{match.group(1)}: {_continued(lines, index, match.group(2) or '')}".rstrip(": ")
    if not found:
        for index, line in enumerate(lines):
            message = re.sub(r"^\[[^\]]*\]\s*", "", line.strip()) if "ERROR" in line else ""
            if message and not any(g in message for g in GENERIC):
                found = _continued(lines, index, message)
                break
    return found[:300] if found else None
