"""Widgets as a learner meets them in JupyterLab (headless Chromium, Playwright).

- A copy of a notebook (JupyterLab's Duplicate) keeps its own answers; grading the original
  counts the original's answers. Reopening a notebook without running it shows a one-line
  "run the notebook" prompt where each widget was; running it brings the answers back.
- At 900 px, in the light and the dark theme, with every widget answered: axe-core finds no
  serious or critical violation in the exercises, no button text is cut off, and arrow keys
  stay inside a widget. A dark-theme screenshot lands in test-output/screenshots/.

axe-core comes from npm, installed once into a cache folder (AXE_CORE_DIR or
~/.cache/coaching-lab/axe-core); the test skips when npm cannot provide it.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from course.nbgrader_tools import autograded_scores, run_nbgrader
from course.paths import GRADING
from lab import (SCREENSHOTS, TIMEOUT_MS, TOKEN, chromium, jupyter_lab, needs_browser, open_and_run_all, save,
                 screenshot_on_failure, wait_until)
from wrong_answers import WRONG_ANSWERS

pytestmark = [pytest.mark.browser, pytest.mark.slow]
AXE_VERSION = "4.14.1"


def _key(module: str) -> dict:
    return json.loads((GRADING / "answer_key" / "widgets" / f"{module}.json").read_text())


def _axe_script() -> Path:
    folder = Path(os.environ.get("AXE_CORE_DIR", Path.home() / ".cache" / "coaching-lab" / "axe-core"))
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        if not shutil.which("npm"):
            pytest.skip("axe-core is not installed and there is no npm to install it")
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["npm", "install", "--prefix", str(folder), "--no-audit", "--no-fund",
                               f"axe-core@{AXE_VERSION}"], capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or not script.exists():
            pytest.skip(f"npm could not install axe-core: {done.stderr[-500:]}")
    return script


def _release(module: str, tmp_path: Path, released_course) -> tuple[Path, str, Path]:
    """(course root, gradebook url, the learner's lab root holding the released module)."""
    course = released_course(module, tmp_path / "course")
    lab_root = tmp_path / "lab"
    shutil.copytree(course / "release" / module, lab_root / module)
    return course, f"sqlite:///{course / 'gradebook.db'}", lab_root


def _answers(path: Path) -> dict:
    return json.loads(path.read_text())["questions"] if path.exists() else {}


def _api(base: str, method: str, path: str, body: dict | None = None) -> dict | list | None:
    request = urllib.request.Request(f"{base}/api/{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read()
    return json.loads(text) if text else None


def _set_theme(base: str, theme: str) -> None:
    request = urllib.request.Request(
        f"{base}/lab/api/settings/@jupyterlab/apputils-extension:themes", method="PUT",
        data=json.dumps({"raw": json.dumps({"theme": theme})}).encode(),
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=30).close()


@pytest.mark.xdist_group("00-orientation")  # on the worker that releases module 00 anyway
def test_a_copy_cannot_spoil_the_graded_answers_and_a_reopened_notebook_says_to_run(tmp_path, released_course):
    needs_browser()
    from playwright.sync_api import expect

    module = "00-orientation"
    right = _key(module)["m00_how_grading_works"]
    wrong = next(c.widget[1] for c in WRONG_ANSWERS[module] if c.widget)
    course, db_url, lab_root = _release(module, tmp_path, released_course)
    learner = lab_root / module
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with jupyter_lab(lab_root, tmp_path / "home") as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.set_default_timeout(TIMEOUT_MS)
        with screenshot_on_failure(page, SCREENSHOTS / f"{module}-copy-FAILED.png"):
            open_and_run_all(page, base, f"{module}/{module}.ipynb")
            widget = page.locator(".cl-q-m00_how_grading_works")
            expect(widget).to_be_visible(timeout=TIMEOUT_MS)
            expect(page.locator(".cl-run-prompt").first).to_be_hidden(timeout=TIMEOUT_MS)  # a drawn widget hides it
            widget.locator("label", has_text=right).click()
            expect(widget.locator(".cl-feedback").last).to_contain_text("Right.", timeout=TIMEOUT_MS)
            save(page, learner / f"{module}.ipynb")

            # Duplicate, as File Browser → Duplicate does (the contents API's copy_from).
            copy = _api(base, "POST", f"contents/{module}", {"copy_from": f"{module}/{module}.ipynb"})
            assert copy["name"] == f"{module}-Copy1.ipynb"
            open_and_run_all(page, base, copy["path"])
            in_copy = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .cl-q-m00_how_grading_works")
            expect(in_copy.locator(".cl-copy-note")).to_contain_text("This notebook is a copy", timeout=TIMEOUT_MS)
            expect(in_copy.locator(".cl-feedback").last).to_contain_text("Not attempted yet", timeout=TIMEOUT_MS)
            in_copy.locator("label", has_text=wrong).click()
            expect(in_copy.locator(".cl-feedback").last).to_contain_text("Not quite", timeout=TIMEOUT_MS)
            in_copy.screenshot(path=str(SCREENSHOTS / f"{module}-copy-keeps-its-own-answers.png"))
            wait_until(lambda: _answers(learner / f"{module}-Copy1.answers.json"), "the copy's answer")
            assert _answers(learner / f"{module}.answers.json")["m00_how_grading_works"]["answer"] == right
            assert _answers(learner / f"{module}-Copy1.answers.json")["m00_how_grading_works"]["answer"] == wrong

            # Close everything (kernels too), then reopen the original without running it.
            for session in _api(base, "GET", "sessions"):
                _api(base, "DELETE", f"sessions/{session['id']}")
            page.goto(f"{base}/lab/tree/{module}/{module}.ipynb?token={TOKEN}&reset")
            prompt = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .cl-run-prompt")
            expect(prompt.first).to_be_visible(timeout=TIMEOUT_MS)
            expect(prompt.first).to_contain_text("run the notebook: Run → Run All Cells")
            prompt.first.scroll_into_view_if_needed()
            page.screenshot(path=str(SCREENSHOTS / f"{module}-reopened-before-running.png"))
            page.get_by_role("button", name=re.compile(r"\| Idle$")).wait_for(timeout=TIMEOUT_MS)
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            widget = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .cl-q-m00_how_grading_works")
            expect(widget.locator(".cl-feedback").last).to_contain_text("Right.", timeout=TIMEOUT_MS)
            expect(prompt.first).to_be_hidden(timeout=TIMEOUT_MS)

    # Hand in the folder as it is, copy and all, and grade it: the original's answers count.
    shutil.copytree(learner, course / "submitted" / "learner" / module,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    log = run_nbgrader("autograde", module, root=course, db_url=db_url)
    scores = {cell: score for cell, (score, _) in autograded_scores(db_url, module)["learner"].items()}
    assert scores["how_grading_works_answered"] == 1, log


AXE_RUN = """async (selectors) => {
  const result = await axe.run({include: selectors.map(s => [s])},
                               {resultTypes: ['violations']});
  return result.violations.filter(v => ['serious', 'critical'].includes(v.impact))
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.failureSummary + ' @ ' + n.html.slice(0, 160))}));
}"""
CUT_OFF = """(selector) => [...document.querySelectorAll(selector + ' .jupyter-button, ' + selector + ' label')]
  .filter(e => e.offsetParent && (e.scrollWidth > e.clientWidth + 1)).map(e => e.textContent.slice(0, 60))"""


@pytest.mark.xdist_group("01-managing-vs-coaching")  # on the worker that releases module 01 anyway
def test_widgets_are_accessible_at_900px_in_light_and_dark_themes(tmp_path, released_course):
    needs_browser()
    axe = _axe_script()
    from playwright.sync_api import expect

    module = "01-managing-vs-coaching"
    key = _key(module)
    _, _, lab_root = _release(module, tmp_path, released_course)
    selectors = [".cl-q-m01_first_question", ".cl-q-m01_ask_or_tell"]
    found: dict[str, list] = {}
    with jupyter_lab(lab_root, tmp_path / "home") as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 900, "height": 900})
        page.set_default_timeout(TIMEOUT_MS)
        with screenshot_on_failure(page, SCREENSHOTS / f"{module}-a11y-FAILED.png"):
            open_and_run_all(page, base, f"{module}/{module}.ipynb")
            mc, sorter = (page.locator(s) for s in selectors)
            expect(sorter).to_be_visible(timeout=TIMEOUT_MS)

            # Keyboard: arrows move between the options and stay in the widget.
            expect(mc).to_have_attribute("data-cl-keys", "own", timeout=TIMEOUT_MS)
            mc.locator("input[type=radio]").first.focus()
            page.keyboard.press("ArrowDown")
            inside = page.evaluate("(s) => !!document.activeElement.closest(s)", selectors[0])
            assert inside, "ArrowDown left the multiple-choice widget"
            # Every widget answered, right.
            mc.locator("label", has_text=key["m01_first_question"].strip('"')).click()
            expect(mc.locator(".cl-feedback").last).to_contain_text("Right.", timeout=TIMEOUT_MS)
            items = list(key["m01_ask_or_tell"])
            for item, bin_ in key["m01_ask_or_tell"].items():
                row = sorter.locator(f".cl-sorter-row-{items.index(item)}")
                row.get_by_role("button", name=bin_, exact=True).click()
            expect(sorter.locator(".cl-feedback").last).to_contain_text("All sorted", timeout=TIMEOUT_MS)
            chosen = sorter.locator(".cl-sorter-row-0 .mod-active")
            expect(chosen).to_have_count(1, timeout=TIMEOUT_MS)

            page.add_script_tag(path=str(axe))
            for theme in ("JupyterLab Light", "JupyterLab Dark"):
                if theme != "JupyterLab Light":
                    # What Settings → Theme saves; then reopen and run: the answers come back.
                    _set_theme(base, theme)
                    page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
                    page.keyboard.press("Control+s")  # no "leave with unsaved changes?" dialog
                    page.wait_for_timeout(2000)
                    open_and_run_all(page, base, f"{module}/{module}.ipynb")
                    page.wait_for_function(
                        "() => document.body.dataset.jpThemeLight === 'false'", timeout=TIMEOUT_MS)
                    mc, sorter = (page.locator(s) for s in selectors)
                    expect(mc.locator(".cl-feedback").last).to_contain_text("Right.", timeout=TIMEOUT_MS)
                    expect(sorter.locator(".cl-feedback").last).to_contain_text("All sorted", timeout=TIMEOUT_MS)
                    page.add_script_tag(path=str(axe))
                found[theme] = page.evaluate(AXE_RUN, selectors)
                cut = page.evaluate(CUT_OFF, ".cl-exercise")
                assert cut == [], f"{theme}: text cut off at 900 px: {cut}"
                # the chosen bin stands out: its background differs from an unchosen one's
                colours = page.evaluate("""(s) => [...document.querySelectorAll(s + ' .cl-sorter-row-0 button')]
                    .map(b => getComputedStyle(b).backgroundColor)""", selectors[1])
                assert len(set(colours)) == 2, f"{theme}: chosen and unchosen bins look alike: {colours}"
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            sorter.scroll_into_view_if_needed()
            sorter.screenshot(path=str(SCREENSHOTS / f"{module}-sorter-dark-900px.png"))
            mc.scroll_into_view_if_needed()
            mc.screenshot(path=str(SCREENSHOTS / f"{module}-multiple-choice-dark-900px.png"))
    assert found == {"JupyterLab Light": [], "JupyterLab Dark": []}, json.dumps(found, indent=1)
