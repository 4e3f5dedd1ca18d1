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
from course.nbgrader_tools import run_nbgrader
from course.paths import MODULES
from notebooks import free_port
from test_browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, TIMEOUT_MS, TOKEN, _needs, _start_lab, _stop, _wait_for_lab

MODULE = "02-managers-dashboard"
MISTAKE = ('won_in_quarter = team_opps[team_opps["outcome"] == "won" & team_opps["closed_quarter"] == QUARTER]\n'
           'closed_value = won_in_quarter["amount"].sum()')

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_and_mistake_gets_a_plain_line_under_its_traceback_in_jupyterlab(tmp_path):
    _needs()
    from playwright.sync_api import expect, sync_playwright

    course = tmp_path / "course"
    shutil.copytree(MODULES / MODULE, course / "modules" / MODULE,
                    ignore=shutil.ignore_patterns("*.answers.json", ".ipynb_checkpoints"))
    run_nbgrader("generate_assignment", MODULE, "--no-db", root=course)
    lab_root = tmp_path / "lab"
    shutil.copytree(course / "release" / MODULE, lab_root / MODULE)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    home = tmp_path / "home"
    home.mkdir()
    port, log_path = free_port(), tmp_path / "jupyterlab.log"
    base = f"http://127.0.0.1:{port}"
    server = _start_lab(lab_root, home, port, log_path)
    try:
        _wait_for_lab(server, base, log_path)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            try:
                page.goto(f"{base}/lab/tree/{MODULE}/{MODULE}.ipynb?token={TOKEN}")
                page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for()
                page.get_by_role("button", name=re.compile(r"\| Idle$")).wait_for(timeout=TIMEOUT_MS)

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
            except Exception:
                page.screenshot(path=str(SCREENSHOTS / f"{MODULE}-and-mistake-FAILED.png"), full_page=True)
                raise
            finally:
                browser.close()
    finally:
        _stop(server)
