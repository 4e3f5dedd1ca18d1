"""A learner in JupyterLab: run all cells, click one right and one wrong answer, save, get graded.

Opens the student release of module 01 in a real JupyterLab server in headless Chromium
(Debian's /usr/bin/chromium through Python Playwright), answers its multiple-choice question
right and its sorter wrong, restarts the kernel (every widget comes back answered), saves,
then collects the folder into a course and runs real `nbgrader autograde`.
Screenshots of the widgets land in test-output/screenshots/.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from course.nbgrader_tools import autograded_scores, run_nbgrader
from course.paths import GRADING
from lab import SCREENSHOTS, TIMEOUT_MS, chromium, jupyter_lab, needs_browser, open_notebook, run_all, save, \
    screenshot_on_failure, wait_until
from wrong_answers import WRONG_ANSWERS

MODULE = "01-managing-vs-coaching"
ANSWERS_FILE = f"{MODULE}.answers.json"
RIGHT_CHOICE = json.loads((GRADING / "answer_key" / "widgets" / f"{MODULE}.json").read_text())["m01_first_question"]
WRONG_SORT = next(c.widget[1] for c in WRONG_ANSWERS[MODULE] if c.widget and c.widget[0] == "m01_ask_or_tell")

# xdist_group: on the worker that releases module 01 anyway (tests/conftest.py `released_course`)
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group(MODULE)]


def _answers(folder: Path) -> dict:
    path = folder / ANSWERS_FILE
    return json.loads(path.read_text())["questions"] if path.exists() else {}


def test_learner_clicks_are_saved_and_graded(tmp_path, released_course):
    needs_browser()
    from playwright.sync_api import expect

    course = released_course(MODULE, tmp_path / "course")
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    learner = tmp_path / "lab" / MODULE
    shutil.copytree(course / "release" / MODULE, learner)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with jupyter_lab(tmp_path / "lab", tmp_path / "home") as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(TIMEOUT_MS)
        with screenshot_on_failure(page, SCREENSHOTS / f"{MODULE}-FAILED.png"):
            open_notebook(page, base, f"{MODULE}/{MODULE}.ipynb")
            run_all(page)

            mc = page.locator(".cl-q-m01_first_question")
            sorter = page.locator(".cl-q-m01_ask_or_tell")
            for widget in (mc, sorter):
                expect(widget).to_be_visible(timeout=TIMEOUT_MS)
            expect(mc.locator(".cl-feedback")).to_contain_text("Not attempted yet")
            mc.scroll_into_view_if_needed()
            page.screenshot(path=str(SCREENSHOTS / f"{MODULE}-0-untouched.png"))

            # One right answer: the coaching opening.
            mc.locator("label", has_text=RIGHT_CHOICE.strip('"')).click()
            expect(mc.locator(".cl-feedback")).to_contain_text("Right.", timeout=TIMEOUT_MS)  # the kernel may still be running cells
            # One wrong answer: a sort with the leading question in the wrong bin.
            for number, item in enumerate(WRONG_SORT):
                row = sorter.locator(f".cl-sorter-row-{number}")
                row.get_by_role("button", name=WRONG_SORT[item], exact=True).click()
                wait_until(lambda n=number: len([v for v in _answers(learner).get(
                    "m01_ask_or_tell", {}).get("answer", {}).values() if v]) == n + 1,
                    f"the sorter's click {number + 1} to be saved")
            expect(sorter.locator(".cl-feedback")).to_contain_text("1 item is in the wrong bin", timeout=TIMEOUT_MS)
            mc.screenshot(path=str(SCREENSHOTS / f"{MODULE}-1-multiple-choice-right.png"))
            sorter.screenshot(path=str(SCREENSHOTS / f"{MODULE}-2-sorter-wrong.png"))

            # Restart the kernel and run everything again: each widget comes back answered.
            # The old views stay on screen (disconnected) until their cell re-runs, so
            # mark them and look only at views drawn by the new kernel.
            page.evaluate("document.querySelectorAll('.cl-exercise').forEach(e => e.dataset.old = '1')")
            page.get_by_role("menuitem", name="Kernel", exact=True).click()
            page.get_by_role("menuitem", name=re.compile(r"^Restart Kernel and Run All Cells")).click()
            page.locator(".jp-Dialog .jp-mod-accept").click()  # "Restart"
            expect(page.locator(".jp-Dialog")).to_have_count(0)
            expect(page.locator(".cl-exercise[data-old]")).to_have_count(0, timeout=TIMEOUT_MS)
            mc, sorter = (page.locator(f".cl-q-{q}:not([data-old])") for q in
                          ("m01_first_question", "m01_ask_or_tell"))
            expect(sorter).to_be_visible(timeout=TIMEOUT_MS)
            expect(mc.locator(".cl-feedback")).to_contain_text("Right.", timeout=TIMEOUT_MS)
            expect(sorter.locator(".cl-feedback")).to_contain_text("1 item is in the wrong bin", timeout=TIMEOUT_MS)
            expect(mc.locator("input[type=radio]:checked")).to_have_count(1)
            sorter.scroll_into_view_if_needed()
            page.screenshot(path=str(SCREENSHOTS / f"{MODULE}-3-restored-after-restart.png"))

            saved = _answers(learner)
            assert saved["m01_first_question"]["answer"] == RIGHT_CHOICE
            assert saved["m01_first_question"]["correct"] is True
            assert saved["m01_first_question"]["attempts"] == 1
            assert saved["m01_ask_or_tell"]["answer"] == WRONG_SORT
            assert saved["m01_ask_or_tell"]["correct"] is False

            save(page, learner / f"{MODULE}.ipynb")  # Ctrl+S; the file on disk changes

    # Hand in the folder as it is, and grade it.
    shutil.copytree(learner, course / "submitted" / "learner" / MODULE,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    log = run_nbgrader("autograde", MODULE, root=course, db_url=db_url)
    scores = {cell: score for cell, (score, _) in autograded_scores(db_url, MODULE)["learner"].items()}
    assert scores["first_question_is_coaching"] == 1, log
    assert scores["ask_or_tell_sorted"] == 0, log
    assert sum(scores.values()) == 1, "the code exercises were left untouched: only the click scores"
