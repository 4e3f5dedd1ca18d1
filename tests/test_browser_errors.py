"""A learner in JupyterLab makes the classic `&` mistake in module 02 and reads, under the
traceback, one plain-words line that names the cause and the fix.

Opens the student release of module 02 in a real JupyterLab server in headless Chromium, runs
the cells above the first exercise, types the natural first attempt at Exercise 2 into its answer
cell and runs it. A screenshot lands in test-output/screenshots/.
"""
from __future__ import annotations

import re
import shutil

import pytest

from course.errors import PREFIX
from lab import SCREENSHOTS, TIMEOUT_MS, chromium, jupyter_lab, needs_browser, open_notebook, screenshot_on_failure

MODULE = "02-managers-dashboard"
MISTAKE = ('won_in_quarter = team_opps[team_opps["outcome"] == "won" & team_opps["closed_quarter"] == QUARTER]\n'
           'closed_value = won_in_quarter["amount"].sum()')

# xdist_group: on the worker that releases module 02 anyway (tests/conftest.py `released_course`)
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group(MODULE)]


def test_the_and_mistake_gets_a_plain_line_under_its_traceback_in_jupyterlab(tmp_path, released_course):
    needs_browser()
    from playwright.sync_api import expect

    course = released_course(MODULE, tmp_path / "course")
    shutil.copytree(course / "release" / MODULE, tmp_path / "lab" / MODULE)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with jupyter_lab(tmp_path / "lab", tmp_path / "home") as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(TIMEOUT_MS)
        with screenshot_on_failure(page, SCREENSHOTS / f"{MODULE}-and-mistake-FAILED.png"):
            open_notebook(page, base, f"{MODULE}/{MODULE}.ipynb")

            # Run the worked examples above Exercise 1, as a learner would.
            first_answer = page.locator(".jp-CodeCell", has_text="pipeline_value = ...").first
            first_answer.locator(".jp-InputPrompt").click()
            data_prompt = page.locator(".jp-CodeCell", has_text='course.load("opportunities")').locator(".jp-InputPrompt")
            for _ in range(3):
                page.get_by_role("menuitem", name="Run", exact=True).click()
                page.get_by_role("menuitem", name="Run All Above Selected Cell", exact=True).click()
                try:
                    expect(data_prompt).to_have_text(re.compile(r"\[\d+\]"), timeout=60_000)
                    break
                except AssertionError:
                    continue

            # Exercise 2: the natural first attempt, typed into the answer cell and run.
            answer = page.locator(".jp-CodeCell", has_text="closed_value = ...").first
            answer.locator(".cm-content").click()
            page.keyboard.press("Control+a")
            page.keyboard.insert_text(MISTAKE)
            page.keyboard.press("Shift+Enter")
            answer = page.locator(".jp-CodeCell", has_text='== "won" & team_opps[').first
            error = answer.locator(".jp-OutputArea-output")
            expect(error).to_contain_text("TypeError", timeout=TIMEOUT_MS)
            expect(error).to_contain_text("Cannot perform 'rand_'")
            expect(error).to_contain_text(PREFIX.strip())
            expect(error).to_contain_text("put each condition in its own parentheses")
            text = error.inner_text()
            assert text.index("Cannot perform") < text.index(PREFIX.strip()), "the plain line is under the traceback"
            answer.scroll_into_view_if_needed()
            answer.screenshot(path=str(SCREENSHOTS / f"{MODULE}-and-mistake-explained.png"))
