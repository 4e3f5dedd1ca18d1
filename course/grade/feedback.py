"""Feedback for each learner as HTML: their answers, scores and comments, never the hidden tests.

nbgrader's `generate_feedback` renders the autograded notebook, which holds the hidden tests
(nbgrader put them back before executing), their tracebacks, and whatever the learner's code
printed while they ran. `configure(c)` gives nbgrader's converter three more steps; the course's
`grading/nbgrader_config.py` calls it, so `course grade feedback`, `nbgrader generate_feedback` and
formgrader's "Generate Feedback" button all render feedback the same way:

- `HideHiddenTests` removes each `### BEGIN/END HIDDEN TESTS` region; a test cell that had one
  shows a one-line verdict instead of its outputs (an error message is kept only when the learner
  can already read it in the visible test code); and any output of any cell that shows a hidden
  test line (printed, in HTML, in a traceback, base64-encoded) is replaced by a note: learner code
  runs in the same kernel as the tests and can record them and print them later.
- `SanitiseForFeedback` cleans learner HTML with nh3 (outputs, markdown and raw cells): no script,
  no event handler, no javascript: link; output kinds a page cannot show safely (JavaScript, SVG,
  widget views) are dropped, keeping their plain-text form.
- `FeedbackHoldsOnlyTheHtml` leaves only the HTML page in the learner's feedback folder (nbgrader
  copies every file of the autograded submission there; images are inside the page).

The result is nbgrader's own feedback layout in `feedback/<student>/<module>/`, so
`nbgrader release_feedback` (or `course grade feedback --release`) hands it out through the
exchange; `--to DIR` writes a flat copy for an LMS instead.
"""
from __future__ import annotations

import base64
import binascii
import html
import re
import shutil
from pathlib import Path

import nh3
from nbformat import NotebookNode
from traitlets import List
from nbgrader.preprocessors import NbGraderPreprocessor

from course.grade.gradebook import COURSE_ID, default_db_url
from course.paths import REPO

HIDDEN = re.compile(r"[ \t]*#+[ \t]*BEGIN HIDDEN TESTS.*?END HIDDEN TESTS[^\n]*\n?", re.S)
HIDDEN_BODY = re.compile(r"BEGIN HIDDEN TESTS[^\n]*\n(.*?)\n[ \t]*#+[ \t]*END HIDDEN TESTS", re.S)
VERDICT_FAILED = "A check in this cell did not pass. Read the question again and look at your answer above."
VERDICT_PASSED = "All checks in this cell passed."
REMOVED = ("[This output was removed from your feedback: it showed the grader's hidden checks. "
           "Your trainer can see it.]")
MIN_SNIPPET = 12          # letters and digits in a hidden line worth looking for in outputs
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
BASE64 = re.compile(r"[A-Za-z0-9+/]{24,}={0,2}")


def strip_hidden(cell: NotebookNode) -> bool:
    """Remove hidden test regions and any output they could leak; True if the cell had one."""
    if "BEGIN HIDDEN TESTS" not in cell.source:
        return False
    cell.source = HIDDEN.sub("", cell.source).rstrip()
    if cell.cell_type != "code":
        return True
    errors = [out for out in cell.get("outputs", []) if out.get("output_type") == "error"]
    if errors:
        ename, evalue = errors[0].get("ename", "Error"), str(errors[0].get("evalue", ""))
        visible = evalue and evalue in cell.source
        text = f"{VERDICT_FAILED}\n{ename}: {evalue}" if visible else VERDICT_FAILED
        cell.outputs = [NotebookNode(output_type="stream", name="stdout", text=text + "\n")]
    else:
        cell.outputs = [NotebookNode(output_type="stream", name="stdout", text=VERDICT_PASSED + "\n")]
    return True


def skeleton(text: str) -> str:
    """Letters and digits only, lower case: the same for code printed raw, escaped, in HTML or a repr."""
    text = html.unescape(ANSI.sub("", text))
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def hidden_snippets(sources: list[str]) -> set[str]:
    """The skeleton of each hidden test line long enough to recognize in an output."""
    snippets = set()
    for source in sources:
        for body in HIDDEN_BODY.findall(source):
            for line in body.splitlines():
                key = skeleton(line)
                if len(key) >= MIN_SNIPPET:
                    snippets.add(key)
    return snippets


def _output_texts(out: NotebookNode) -> list[str]:
    texts = [str(out.get("text", "")), str(out.get("ename", "")), str(out.get("evalue", "")),
             "\n".join(map(str, out.get("traceback", [])))]
    for mime, value in out.get("data", {}).items():
        if not mime.startswith("image/") or mime == "image/svg+xml":
            texts.append(value if isinstance(value, str) else str(value))
    decoded = []
    for text in texts:
        for token in BASE64.findall(text):
            try:
                decoded.append(base64.b64decode(token + "=" * (-len(token) % 4)).decode("utf-8"))
            except (binascii.Error, UnicodeDecodeError, ValueError):
                continue
    return texts + decoded


def shows_hidden(out: NotebookNode, snippets: set[str]) -> bool:
    if not snippets:
        return False
    seen = [skeleton(text) for text in _output_texts(out)]
    return any(snippet in text for text in seen for snippet in snippets)


def _gradebook_sources(resources: dict) -> list[str]:
    """The source notebook's cells as nbgrader saved them (with the hidden tests), if it can tell."""
    info = resources.get("nbgrader", {})
    if not info.get("db_url"):
        return []
    from nbgrader.api import Gradebook, MissingEntry

    try:
        with Gradebook(info["db_url"], COURSE_ID) as gb:
            notebook = gb.find_notebook(info["notebook"], info["assignment"])
            return [cell.source or "" for cell in notebook.source_cells]
    except MissingEntry:
        return []


class HideHiddenTests(NbGraderPreprocessor):
    """Preprocessor: no hidden test code, and no output showing it, reaches the feedback."""

    display_data_priority = List([]).tag(config=True)  # GetGrades' option; shared config, unused here

    def preprocess(self, nb, resources):
        sources = [cell.source for cell in nb.cells] + _gradebook_sources(resources)
        snippets = hidden_snippets(sources)
        for index, cell in enumerate(nb.cells):
            if strip_hidden(cell) or cell.cell_type != "code":
                continue
            outputs = []
            for out in cell.get("outputs", []):
                if shows_hidden(out, snippets):
                    self.log.warning("feedback for %s: removed an output of cell %d that showed hidden test code",
                                     resources.get("nbgrader", {}).get("student", "?"), index + 1)
                    out = NotebookNode(output_type="stream", name="stdout", text=REMOVED + "\n")
                outputs.append(out)
            cell.outputs = outputs
        return nb, resources


SAFE_MIMES = {"text/plain", "image/png", "image/jpeg"}
BASE64_ONLY = re.compile(r"^[A-Za-z0-9+/=\s]*$")


def clean_html(markup: str) -> str:
    """Learner HTML made safe to show: nh3 (ammonia) keeps formatting tags, drops scripts and handlers."""
    attributes = {tag: set(allowed) for tag, allowed in nh3.ALLOWED_ATTRIBUTES.items()}
    attributes["*"] = attributes.get("*", set()) | {"class"}
    return nh3.clean(markup, attributes=attributes)


def _markdown_html(source: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(source)


def _as_text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def sanitise_output(out: NotebookNode) -> NotebookNode:
    """Only what a page can show safely: plain text, checked images, cleaned HTML."""
    if "execution_count" in out and not isinstance(out.get("execution_count"), int):
        out.execution_count = None
    if out.get("output_type") == "stream":
        out.name = "stderr" if out.get("name") == "stderr" else "stdout"
        out.text = _as_text(out.get("text", ""))
        return out
    if out.get("output_type") == "error":
        out.ename, out.evalue = str(out.get("ename", "")), str(out.get("evalue", ""))
        out.traceback = [str(line) for line in out.get("traceback", [])]
        return out
    data, clean = out.get("data", {}), {}
    for mime, value in data.items():
        text = _as_text(value)
        if mime in ("image/png", "image/jpeg") and BASE64_ONLY.match(text):
            clean[mime] = text
        elif mime == "text/plain":
            clean[mime] = text
        elif mime == "text/html":
            clean[mime] = clean_html(text)
    if "text/html" not in clean and "text/markdown" in data:
        clean["text/html"] = clean_html(_markdown_html(_as_text(data["text/markdown"])))
    if not clean:
        clean["text/plain"] = ""
    out.data = clean
    sizes = {}
    for mime, meta in (out.get("metadata") or {}).items():  # image width/height go into attributes
        if mime in clean and isinstance(meta, dict):
            kept = {k: v for k, v in meta.items() if k in ("width", "height") and isinstance(v, (int, float))}
            if kept:
                sizes[mime] = kept
    out.metadata = sizes
    return out


class SanitiseForFeedback(NbGraderPreprocessor):
    """Preprocessor: learner HTML in outputs, markdown and raw cells is cleaned with nh3."""

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)   # saved widget state: the page would render it with live HTML
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            cell.outputs = [sanitise_output(out) for out in cell.get("outputs", [])]
            if not isinstance(cell.get("execution_count"), (int, type(None))):
                cell.execution_count = None
        elif cell.cell_type == "markdown":
            # Rendered and cleaned here; one line, so the page's markdown step passes it through as is.
            markup = clean_html(_markdown_html(cell.source)).replace("\r", "").replace("\n", "&#10;")
            cell.source = f'<div class="learner-markdown">{markup}</div>'
            cell.pop("attachments", None)
        else:
            cell.source = clean_html(cell.source)
        return cell, resources


class FeedbackHoldsOnlyTheHtml(NbGraderPreprocessor):
    """Preprocessor: nbgrader copied every file of the submission into the feedback folder; remove
    them, so only the page (its images are inside it) reaches the learner."""

    def preprocess(self, nb, resources):
        converter = getattr(self.parent, "parent", None)
        coursedir = getattr(converter, "coursedir", None)
        info = resources.get("nbgrader", {})
        if coursedir is None or not info:
            return nb, resources
        folder = Path(coursedir.format_path(coursedir.feedback_directory, info["student"], info["assignment"]))
        pages = {f"{Path(name).stem}.html" for name in getattr(converter, "notebooks", [])}
        if folder.is_dir():
            for path in list(folder.iterdir()):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                elif path.name not in {*pages, *NBGRADER_FILES} or path.is_symlink():
                    path.unlink()
        return nb, resources


NBGRADER_FILES = ("timestamp.txt", "submission_secret.txt")  # nbgrader's release_feedback reads both


def configure(c) -> None:
    """The feedback steps for nbgrader's GenerateFeedback; `grading/nbgrader_config.py` calls this."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    c.GenerateFeedback.preprocessors = [FeedbackHoldsOnlyTheHtml, HideHiddenTests, SanitiseForFeedback,
                                        GetGrades, CSSHTMLHeaderPreprocessor]


def generate_feedback(course_root: Path = REPO, modules: list[str] | None = None,
                      students: list[str] | None = None, db_url: str | None = None) -> list[Path]:
    """Write feedback/<student>/<module>/<notebook>.html for autograded submissions; return the files."""
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import capture_log
    from traitlets.config import Config

    course_root = Path(course_root).resolve()
    db_url = db_url or default_db_url(course_root)
    autograded = course_root / "autograded"
    pairs = sorted(
        (folder.parent.name, folder.name)
        for folder in autograded.glob("*/*") if folder.is_dir()
        and (not modules or folder.name in modules) and (not students or folder.parent.name in students)
    )
    written: list[Path] = []
    for student, module in pairs:
        config = Config()
        configure(config)
        config.CourseDirectory.root = str(course_root)
        config.CourseDirectory.db_url = db_url
        config.CourseDirectory.course_id = COURSE_ID
        config.CourseDirectory.source_directory = "modules"
        coursedir = CourseDirectory(config=config)
        coursedir.assignment_id, coursedir.student_id = module, student
        app = GenerateFeedback(coursedir=coursedir, config=config)
        app.force = True
        result = capture_log(app)
        if not result["success"]:
            raise RuntimeError(f"feedback for {student}/{module} failed:\n{result.get('log', '')}"
                               f"{result.get('error', '')}")
        written += sorted((course_root / "feedback" / student / module).glob("*.html"))
    return written


def copy_for_lms(files: list[Path], course_root: Path, target: Path) -> list[Path]:
    """feedback/<student>/<module>/<nb>.html -> target/<module>/<student>--<nb>.html."""
    copied = []
    for path in files:
        student, module = path.parent.parent.name, path.parent.name
        dest = Path(target) / module / f"{student}--{path.name}"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, dest)
        copied.append(dest)
    return copied
