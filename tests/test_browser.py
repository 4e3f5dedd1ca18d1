"""A learner in JupyterLab: run all cells, click one right and one wrong answer, save, get graded.

Opens the student release of module 01 in a real JupyterLab server in headless Chromium
(Debian's /usr/bin/chromium through Python Playwright), answers its multiple-choice question
right and its sorter wrong, restarts the kernel (every widget comes back answered), saves,
then collects the folder into a course and runs real `nbgrader autograde`.
Screenshots of the widgets land in test-output/screenshots/.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from course.nbgrader_tools import autograded_scores, nbgrader_env, run_nbgrader
from course.paths import GRADING, MODULES
from notebooks import free_port, stop_and_list_survivors
from wrong_answers import WRONG_ANSWERS

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "test-output" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
TOKEN = "coaching-lab-browser-test"
TIMEOUT_MS = 120_000
MODULE = "01-managing-vs-coaching"
ANSWERS_FILE = f"{MODULE}.answers.json"
RIGHT_CHOICE = json.loads((GRADING / "answer_key" / "widgets" / f"{MODULE}.json").read_text())["m01_first_question"]
WRONG_SORT = next(c.widget[1] for c in WRONG_ANSWERS[MODULE] if c.widget and c.widget[0] == "m01_ask_or_tell")

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _needs():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: `make test` installs it as root (tests/ensure_debian_packages.sh chromium), or set CHROMIUM")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("Python Playwright is not installed: pip install 'playwright>=1.40'")


def _start_lab(root: Path, home: Path, port: int, log_path: Path) -> subprocess.Popen:
    settings = home / "lab-settings"
    # No "would you like Jupyter news?" toast over the notebook.
    notification = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    # Render every cell (JupyterLab 4 otherwise only draws the cells in view), so the
    # test can find each widget without scrolling for it.
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}))
    env = nbgrader_env()
    env.update(HOME=str(home), JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "lab-workspaces"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), MPLBACKEND="Agg")
    log = log_path.open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}",
         "--ServerApp.open_browser=False", "--LabApp.news_url=None",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )


def _wait_for_lab(server: subprocess.Popen, base: str, log_path: Path) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            request = urllib.request.Request(f"{base}/api/status", headers={"Authorization": f"token {TOKEN}"})
            with urllib.request.urlopen(request, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            assert server.poll() is None, f"JupyterLab exited:\n{log_path.read_text()}"
            assert time.monotonic() < deadline, f"JupyterLab did not answer in 120 s:\n{log_path.read_text()}"
            time.sleep(0.5)


def _stop(server: subprocess.Popen) -> None:
    """Stop the server as a supervisor would; nothing it started (kernels) may outlive it."""
    survivors = stop_and_list_survivors(server)
    assert not survivors, f"stopping JupyterLab left these running: {survivors}"


def _answers(folder: Path) -> dict:
    path = folder / ANSWERS_FILE
    return json.loads(path.read_text())["questions"] if path.exists() else {}


def _wait_until(predicate, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.25)


def test_learner_clicks_are_saved_and_graded(tmp_path):
    _needs()
    from playwright.sync_api import expect, sync_playwright

    course = tmp_path / "course"
    shutil.copytree(MODULES / MODULE, course / "modules" / MODULE,
                    ignore=shutil.ignore_patterns("*.answers.json", ".ipynb_checkpoints"))
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    run_nbgrader("generate_assignment", MODULE, root=course, db_url=db_url)
    lab_root = tmp_path / "lab"
    learner = lab_root / MODULE
    shutil.copytree(course / "release" / MODULE, learner)
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
                # The kernel is connected once the status bar says so (the toolbar's
                # indicator turns "idle" before that, and a Run All then does nothing).
                page.get_by_role("button", name=re.compile(r"\| Idle$")).wait_for(timeout=TIMEOUT_MS)

                # Run → Run All Cells, as a learner would (once more if the first is lost).
                first_prompt = page.locator(".jp-CodeCell .jp-InputPrompt").first
                for _ in range(3):
                    page.get_by_role("menuitem", name="Run", exact=True).click()
                    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
                    try:
                        expect(first_prompt).not_to_have_text(re.compile(r"\[\s*\]"), timeout=20_000)
                        break
                    except AssertionError:
                        continue

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
                    _wait_until(lambda n=number: len([v for v in _answers(learner).get(
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

                # Save the notebook (Ctrl+S) and wait for the file on disk to change.
                notebook = learner / f"{MODULE}.ipynb"
                before = notebook.stat().st_mtime_ns
                page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
                page.keyboard.press("Control+s")
                _wait_until(lambda: notebook.stat().st_mtime_ns != before, "the notebook to be saved")
            except Exception:
                page.screenshot(path=str(SCREENSHOTS / f"{MODULE}-FAILED.png"), full_page=True)
                raise
            finally:
                browser.close()
    finally:
        _stop(server)

    # Hand in the folder as it is, and grade it.
    shutil.copytree(learner, course / "submitted" / "learner" / MODULE,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    log = run_nbgrader("autograde", MODULE, root=course, db_url=db_url)
    scores = {cell: score for cell, (score, _) in autograded_scores(db_url, MODULE)["learner"].items()}
    assert scores["first_question_is_coaching"] == 1, log
    assert scores["ask_or_tell_sorted"] == 0, log
    assert sum(scores.values()) == 1, "the code exercises were left untouched: only the click scores"
