"""Validate that also says which graded questions are unanswered or fail their self-checks.

nbgrader's Validate runs the notebook and reports graded test cells that fail. The public part
of a test cell checks only the form of an answer (a number, an option picked): a wrong widget
answer passes it, and Validate said "Success! Your notebook passes all the tests.".

`CourseValidator` runs one extra cell after the learner's notebook, in the same kernel, that asks
every self-check in the notebook where it stands (what the learner sees when they run `.check()`
or click; never the right answer). Each graded test cell whose question is not passing its
self-check is then reported as failed, with the self-check's message. Validate cannot tell the
points of the answers a trainer grades by hand.
"""
from __future__ import annotations

import json
import re
import sys
import traceback
from pathlib import Path

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell
from nbgrader import utils
from nbgrader.server_extensions.validate_assignment.handlers import NbGraderVersionHandler
from nbgrader.validator import Validator
from tornado import web

REPORT_MARKER = "coaching-lab-validate-report"
# What the extra cell prints on one line after the marker: [{variable, verdict, message}, ...].
REPORT_SOURCE = f"""\
from course.validate_report import self_check_report as _cl_report
print({REPORT_MARKER!r}, _cl_report(globals()))
del _cl_report
"""


def _names(source: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", source))


class CourseValidator(Validator):
    """nbgrader's Validator, plus each graded question's self-check (see the module docstring)."""

    def _preprocess(self, nb: NotebookNode) -> NotebookNode:
        report_cell = new_code_cell(REPORT_SOURCE, metadata={"tags": [REPORT_MARKER]})
        nb.cells.append(report_cell)
        nb = super()._preprocess(nb)
        ran = nb.cells.pop()
        self.self_checks = []
        for output in ran.get("outputs", []):
            text = "".join(output.get("text", ""))
            for line in text.splitlines():
                if line.startswith(REPORT_MARKER + " "):
                    self.self_checks = json.loads(line[len(REPORT_MARKER) + 1:])
        self._not_passing = [check for check in self.self_checks if check["verdict"] != "correct"]
        return nb

    def _get_failed_cells(self, nb: NotebookNode) -> list[NotebookNode]:
        failed = super()._get_failed_cells(nb)
        for check in getattr(self, "_not_passing", []):
            cell = next((c for c in nb.cells if c.cell_type == "code" and utils.is_grade(c)
                         and check["variable"] in _names(c.source)), None)
            if cell is None or cell in failed:
                continue  # not graded by a test cell, or its failure is already reported
            failed.append(NotebookNode(cell, _self_check=f"Self-check: {check['message']}"))
        order = {cell.get("id") or cell.source: number for number, cell in enumerate(nb.cells)}
        return sorted(failed, key=lambda cell: order.get(cell.get("id") or cell.source, len(order)))

    def validate(self, filename: str) -> dict:
        self.results = super().validate(filename)
        return self.results

    def _extract_error(self, cell: NotebookNode) -> str:
        message = cell.get("_self_check")
        return message if message else super()._extract_error(cell)


def course_config():
    """The course's nbgrader configuration (grading/nbgrader_config.py: cell timeout, stubs)."""
    from traitlets.config.loader import PyFileConfigLoader

    from course.paths import NBGRADER_CONFIG

    return PyFileConfigLoader(NBGRADER_CONFIG.name, path=str(NBGRADER_CONFIG.parent)).load_config()


def summary(self_checks: list[dict]) -> str:
    """Plain text after the Validate output: each graded self-check's verdict, one line each."""
    if not self_checks:
        return ""
    lines = ["", "Self-checks of the graded questions (what Validate can tell before grading):"]
    mark = {"correct": "✅", "wrong": "❌", "not attempted": "⏳"}
    for check in self_checks:
        lines.append(f"  {mark[check['verdict']]} {check['message']}")
    lines.append("Validate does not grade the answers your trainer reads (text answers).")
    return "\n".join(lines)


def validate_and_print(paths: list[str]) -> int:
    """`course validate`: nbgrader's report per notebook, then its self-checks. Exit status 1 when
    a cell fails (an error, or a graded question unanswered or not passing its self-check)."""
    worst = 0
    for path in paths:
        validator = CourseValidator(config=course_config())
        validator.stream = sys.stdout
        print(f"== {path}")
        validator.validate_and_print(path)
        if getattr(validator, "self_checks", None):
            print(summary(validator.self_checks))
        if validator.results:  # failed, changed or type_changed cells
            worst = 1
    return worst


# --------------------------------------------------------------------------- the Validate button
# A Jupyter server extension (`course.validate`) that answers nbgrader's Validate button with
# CourseValidator: the same request and answer as nbgrader's validate_assignment extension,
# which must be switched off where this one is on (deploy/jupyter/self-paced/).
class ValidateHandler(JupyterHandler):
    """Same request and answer as nbgrader's validate handler, with the course's validator."""

    @web.authenticated
    def post(self) -> None:
        try:
            path = self.get_argument("path")
        except web.MissingArgumentError:
            path = self.get_json_body()["path"]
        root = Path(self.settings["server_root_dir"]).expanduser().resolve()
        target = (root / path).resolve()
        if not target.is_relative_to(root):
            raise web.HTTPError(403, "Access denied: path outside allowed directory")
        try:
            answer = {"success": True, "value": CourseValidator(config=course_config()).validate(str(target))}
        except Exception:
            self.log.error(traceback.format_exc())
            answer = {"success": False, "value": traceback.format_exc()}
        self.finish(json.dumps(answer))


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "course.validate"}]


def _load_jupyter_server_extension(serverapp) -> None:
    base_url = serverapp.web_app.settings["base_url"]
    serverapp.web_app.add_handlers(".*$", [
        (url_path_join(base_url, "assignments/validate"), ValidateHandler),
        (url_path_join(base_url, "nbgrader_version"), NbGraderVersionHandler),
    ])
