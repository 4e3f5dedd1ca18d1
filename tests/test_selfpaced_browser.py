"""A self-paced learner in Chromium: the start page opens first, the menus hold no instructor tools,
the module's status changes once a self-check passes, and Validate names an unanswered question.

JupyterLab runs as `course lab` starts it (`lab_command`, `lab_env`: deploy/jupyter/self-paced/) on a
workspace holding the student release of module 00. Screenshots land in test-output/screenshots/
(selfpaced-*.png).
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from course.cli import lab_command, lab_env
from course.paths import GRADING
from lab import SCREENSHOTS, TOKEN, chromium, jupyter_lab, needs_browser, screenshot_on_failure, wait_until

MODULE = "00-orientation"
QUESTION = "m00_how_grading_works"
RIGHT = json.loads((GRADING / "answer_key" / "widgets" / f"{MODULE}.json").read_text())[QUESTION]
SLOW_MS = 300_000  # a validate or a kernel start on a busy shared machine

# xdist_group: on the worker that releases module 00 anyway (tests/conftest.py `released_course`)
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group(MODULE)]


def _course_lab(root: Path, port: int) -> list[str]:
    """`course lab`'s JupyterLab command on `root`, on the test's port and token."""
    return lab_command(root, ["--no-browser", f"--port={port}", f"--IdentityProvider.token={TOKEN}"])


def test_start_page_menus_status_and_validate(tmp_path, released_course):
    needs_browser()
    from playwright.sync_api import expect

    course = released_course(MODULE, tmp_path / "course")
    workspace = tmp_path / "workspace"
    shutil.copytree(course / "release" / MODULE, workspace / MODULE)
    answers = workspace / MODULE / f"{MODULE}.answers.json"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # `course lab`'s own settings (deploy/jupyter/self-paced/), with this test's home and settings folders
    with jupyter_lab(workspace, tmp_path / "home", command=_course_lab, env=lab_env(), news=True) as base, \
            chromium() as browser:
        page = browser.new_page(viewport={"width": 1300, "height": 950})
        page.set_default_timeout(120_000)
        with screenshot_on_failure(page, SCREENSHOTS / "selfpaced-FAILED.png"):
            # The link `course lab` prints (the server's root) opens the start page first.
            page.goto(f"{base}/?token={TOKEN}")
            expect(page).to_have_url(re.compile(r"/coaching-lab"))
            row = page.locator(f'tr.module[data-module="{MODULE}"]')
            expect(row.locator(".status")).to_have_text("not started")
            expect(page.get_by_role("heading", name="How Validate works")).to_be_visible()
            page.screenshot(path=str(SCREENSHOTS / "selfpaced-1-start-page.png"), full_page=True)

            # The module opens from there; the kernel is connected once the status bar says so.
            row.get_by_role("link").click()
            page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for()
            page.get_by_role("button", name=re.compile(r"\| Idle$")).wait_for(timeout=SLOW_MS)

            # Self-paced menus: no Nbgrader menu (Formgrader, Create Assignment, Assignment List);
            # Help leads back to the start page.
            menubar = page.locator("#jp-menu-panel")
            expect(menubar.get_by_role("menuitem", name="Help", exact=True)).to_be_visible()
            expect(menubar.get_by_role("menuitem", name="Nbgrader")).to_have_count(0)
            page.get_by_role("menuitem", name="Help", exact=True).click()
            expect(page.get_by_role("menuitem", name="Coaching Lab start page")).to_be_visible()
            page.screenshot(path=str(SCREENSHOTS / "selfpaced-2-help-menu.png"))
            page.keyboard.press("Escape")

            # Validate on the untouched notebook names the unanswered code exercise.
            page.locator(".jp-NotebookPanel-toolbar").get_by_role("button", name="Validate").click()
            message = page.locator("#validation-message")
            expect(message).to_be_visible(timeout=SLOW_MS)
            expect(message).to_contain_text("Self-check: `team_size` is not attempted yet")
            expect(message).to_contain_text("pick an answer in the question above")
            page.screenshot(path=str(SCREENSHOTS / "selfpaced-3-validate.png"))
            page.locator(".jp-Dialog .jp-mod-accept").click()

            # Answer the clickable question: its self-check passes, and the start page shows it.
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            question = page.locator(f".cl-q-{QUESTION}")
            expect(question).to_be_visible(timeout=SLOW_MS)
            question.locator("label", has_text=RIGHT).click()
            expect(question.locator(".cl-feedback")).to_contain_text("Right.", timeout=SLOW_MS)
            wait_until(lambda: answers.exists() and json.loads(answers.read_text())["questions"]
                        .get(QUESTION, {}).get("correct") is True, "the answer to be saved")
            start = browser.new_page(viewport={"width": 1300, "height": 950})
            start.goto(f"{base}/coaching-lab?token={TOKEN}")
            row = start.locator(f'tr.module[data-module="{MODULE}"]')
            expect(row.locator(".status")).to_have_text("in progress")
            expect(row).to_contain_text("1 of 2")
            row.locator("summary").click()
            expect(row.locator("li", has_text="how_grading_works")).to_contain_text("passing")
            expect(row.locator("li", has_text="team_size")).to_contain_text("not answered yet")
            start.screenshot(path=str(SCREENSHOTS / "selfpaced-4-start-page-in-progress.png"), full_page=True)
