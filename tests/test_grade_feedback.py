"""Feedback cannot leak the hidden tests or attack whoever opens it, made by `course grade feedback`
or by nbgrader's own `nbgrader generate_feedback` (formgrader's button) alike."""
from __future__ import annotations

import base64
import json
import re
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell

from course.grade.autograde import grade_cohort
from course.grade.feedback import generate_feedback, sanitise_output
from course.grade.sandbox import SandboxError, check_bwrap
from course.nbgrader_tools import run_nbgrader

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "submissions"))
import grade_demo as demo  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grade")]
NB = f"{demo.ASSIGNMENT}.ipynb"
SECRETS = ("revenue == 1200", "win_rate - 2 / 3", "HIDDEN TESTS")

# The learner records every cell the kernel runs (hidden tests included) and shows them later,
# raw and base64-encoded; and prints live markup meant to run in the trainer's browser.
RECORDER = ("revenue = sum(int(d['amount']) for d in deals if d['stage'] == 'won')\n"
            "seen = []\n"
            "get_ipython().events.register('pre_run_cell', lambda info: seen.append(info.raw_cell))")
LEAKER = '''win_rate = 2 / 3
import base64
from IPython.display import HTML, Javascript, Markdown, display
print("\\n".join(seen))
print(base64.b64encode("\\n".join(seen).encode()).decode())
mark = "XSS" + "17"
display(HTML(f"<b>kept bold</b><script>alert('{mark}')</script><img src=x onerror=\\"alert('{mark}')\\">"))
display(Javascript(f"alert('{mark}')"))
display(Markdown(f"*kept md* <img src=y onerror=\\"alert('{mark}')\\"> [link](javascript:alert('{mark}'))"))
print("an honest line of output")'''
LEARNER_MARKDOWN = "My **own note** <img src=z onerror=\"alert('XSS'+'17')\"><script>alert(1)</script>"


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.handlers, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.handlers += [(tag, name) for name, _ in attrs if name.lower().startswith("on")]
        self.handlers += [(tag, value) for name, value in attrs
                          if name in ("href", "src") and (value or "").strip().lower().startswith("javascript:")]
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def assert_safe(page: str) -> None:
    tags = Tags()
    tags.feed(page)
    assert tags.handlers == []                                   # no onerror=, no javascript: link
    assert "widget-state" not in page and "onerror" not in "".join(tags.scripts)
    assert not any("XSS17" in script or "alert(" in script for script in tags.scripts)
    assert "XSS17" not in page
    text = unescape(re.sub(r"<[^>]+>", "", page))
    for secret in SECRETS:
        assert secret not in text, secret
    for token in re.findall(r"[A-Za-z0-9+/]{40,}={0,2}", page):  # no encoded copy either
        try:
            decoded = base64.b64decode(token + "=" * (-len(token) % 4)).decode("utf-8")
        except Exception:
            continue
        assert not any(secret in decoded for secret in SECRETS)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    try:
        check_bwrap()
        sandbox = True
    except SandboxError:
        sandbox = False
    root = tmp_path_factory.mktemp("feedback-course")
    demo.write_source(root / "modules")
    db = f"sqlite:///{root / 'gradebook.db'}"
    run_nbgrader("generate_assignment", demo.ASSIGNMENT, "--force", root=root, db_url=db)
    release = nbformat.read(root / "release" / demo.ASSIGNMENT / NB, as_version=4)
    folder = root / "submitted" / "mallory" / demo.ASSIGNMENT
    demo.write_submission(release, "good", folder)
    nb = nbformat.read(folder / NB, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        cell.source = {"revenue_answer": RECORDER, "win_rate_answer": LEAKER}.get(grade_id, cell.source)
    nb.cells.append(new_markdown_cell(LEARNER_MARKDOWN))
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {  # saved state, rendered live
        "version_major": 2, "version_minor": 0, "state": {"m1": {
            "model_name": "HTMLModel", "model_module": "@jupyter-widgets/controls", "model_module_version": "2.0.0",
            "state": {"value": "<img src=q onerror=\"alert('XSS'+'17')\">"}}}}}
    nbformat.write(nb, folder / NB)
    (folder / "notes.txt").write_text("my working")
    (folder / "big.bin").write_bytes(b"\0" * 2**20)
    # Plain nbgrader runs the test cells in the learner's kernel, so the recorder does see the hidden
    # tests (`course grade autograde` never lets it): whichever graded it, feedback must not show them.
    run_nbgrader("autograde", demo.ASSIGNMENT, "--force", root=root, db_url=db)
    autograded = (root / "autograded" / "mallory" / demo.ASSIGNMENT / NB).read_text()
    assert "revenue == 1200" in autograded and "XSS17" in autograded   # the fixture does leak and attack
    return root, db


def test_course_grade_feedback_shows_no_hidden_test_no_live_markup_and_only_the_page(graded):
    root, db = graded
    files = generate_feedback(root, db_url=db)
    assert [f.name for f in files] == [f"{demo.ASSIGNMENT}.html"]
    folder = root / "feedback" / "mallory" / demo.ASSIGNMENT
    assert sorted(p.name for p in folder.iterdir()) == [f"{demo.ASSIGNMENT}.html", "timestamp.txt"]  # release_feedback reads it
    page = files[0].read_text()
    assert_safe(page)
    text = unescape(re.sub(r"<[^>]+>", "", page))
    assert "removed from your feedback" in text and "an honest line of output" in text
    assert "kept bold" in text and "kept md" in text and "own note" in text
    assert "grade-demo (Score: 3.0 / 3.0)" in text


def test_nbgrader_generate_feedback_uses_the_same_safe_steps(graded):
    """The real CLI formgrader calls, with the course's nbgrader config."""
    root, db = graded
    run_nbgrader("generate_feedback", demo.ASSIGNMENT, "--force", root=root, db_url=db)
    folder = root / "feedback" / "mallory" / demo.ASSIGNMENT
    assert sorted(p.name for p in folder.iterdir()) == [f"{demo.ASSIGNMENT}.html", "timestamp.txt"]  # release_feedback reads it
    page = (folder / f"{demo.ASSIGNMENT}.html").read_text()
    assert_safe(page)
    assert "removed from your feedback" in page


def test_outputs_are_reduced_to_what_a_page_can_show_safely():
    out = nbformat.from_dict({"output_type": "display_data", "metadata": {
        "image/png": {"width": "1 onerror=alert(1)", "height": 40}},
        "data": {"image/png": 'AAAA" onerror="alert(1)', "image/jpeg": "QUJD",
                 "image/svg+xml": "<svg onload='alert(1)'/>", "application/javascript": "alert(1)",
                 "application/vnd.jupyter.widget-view+json": {"model_id": "x"}, "text/plain": "<Widget>",
                 "text/html": "<table class='dataframe'><tr><td onclick='x()'>1</td></tr></table>"}})
    clean = sanitise_output(out)
    assert set(clean.data) == {"image/jpeg", "text/plain", "text/html"}
    assert clean.data["text/html"] == '<table class="dataframe"><tbody><tr><td>1</td></tr></tbody></table>'
    assert clean.metadata == {}
    assert json.dumps(clean).count("alert") == 0
