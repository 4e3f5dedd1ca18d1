"""Feedback for each learner as HTML: their answers, scores and comments, never the hidden tests.

nbgrader's `generate_feedback` renders the autograded notebook, which holds the hidden tests
(nbgrader put them back before executing) and their tracebacks. Here the same converter runs
with one more preprocessor first, `HideHiddenTests`: it removes each `### BEGIN/END HIDDEN TESTS`
region, and in a test cell that had one it replaces the outputs with a one-line verdict (an
error message is kept only when the learner can already read it in the visible test code).
The result is nbgrader's own feedback layout in `feedback/<student>/<module>/`, so
`nbgrader release_feedback` (or `course grade feedback --release`) hands it out through the
exchange; `--to DIR` writes a flat copy for an LMS instead.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from nbformat import NotebookNode
from traitlets import List
from nbgrader.preprocessors import NbGraderPreprocessor

from course.grade.gradebook import COURSE_ID, default_db_url
from course.paths import REPO

HIDDEN = re.compile(r"[ \t]*#+[ \t]*BEGIN HIDDEN TESTS.*?END HIDDEN TESTS[^\n]*\n?", re.S)
VERDICT_FAILED = "A check in this cell did not pass. Read the question again and look at your answer above."
VERDICT_PASSED = "All checks in this cell passed."


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


class HideHiddenTests(NbGraderPreprocessor):
    """Preprocessor: no hidden test code or hidden-test output reaches the feedback."""

    display_data_priority = List([]).tag(config=True)  # GetGrades' option; shared config, unused here

    def preprocess_cell(self, cell, resources, index):
        strip_hidden(cell)
        return cell, resources


def generate_feedback(course_root: Path = REPO, modules: list[str] | None = None,
                      students: list[str] | None = None, db_url: str | None = None) -> list[Path]:
    """Write feedback/<student>/<module>/<notebook>.html for autograded submissions; return the files."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import GetGrades
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
        config.CourseDirectory.root = str(course_root)
        config.CourseDirectory.db_url = db_url
        config.CourseDirectory.course_id = COURSE_ID
        config.CourseDirectory.source_directory = "modules"
        coursedir = CourseDirectory(config=config)
        coursedir.assignment_id, coursedir.student_id = module, student
        app = GenerateFeedback(coursedir=coursedir, config=config)
        app.preprocessors = [HideHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor]
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
