"""A learner in JupyterLab: run all cells, click one right and one wrong answer, save, get graded.

The learner also plays the role-play and restarts the kernel: every widget comes back answered.

Drives a real JupyterLab server in headless Chromium (Debian's /usr/bin/chromium through
Python Playwright), then collects the learner's folder into a course and runs real
`nbgrader autograde`. Screenshots of the widgets land in test-output/screenshots/.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "test-output" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
TOKEN = "coaching-lab-browser-test"
TIMEOUT_MS = 120_000

_spec = importlib.util.spec_from_file_location(
    "democourse", Path(__file__).parent / "fixtures" / "widget_demo" / "democourse.py")
democourse = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(democourse)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _needs():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: `make test` installs it as root (tests/ensure_debian_packages.sh chromium), or set CHROMIUM")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("Python Playwright is not installed: pip install 'playwright>=1.40'")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_lab(root: Path, home: Path, port: int, log_path: Path) -> subprocess.Popen:
    settings = home / "lab-settings"
    # No "would you like Jupyter news?" toast over the notebook.
    notification = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    env = democourse.nbgrader_env()
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
    """Stop the server we started and its kernels (its own process group)."""
    if server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    except (subprocess.TimeoutExpired, ProcessLookupError):
        try:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        server.wait(timeout=10)


def _answers(folder: Path) -> dict:
    path = folder / democourse.ANSWERS_FILE
    return json.loads(path.read_text())["questions"] if path.exists() else {}


def _wait_until(predicate, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.25)


def test_learner_clicks_are_saved_and_graded(tmp_path):
    _needs()
    from playwright.sync_api import expect, sync_playwright

    demo = democourse.fixture_module()
    course = tmp_path / "course"
    release = democourse.make_course(course)
    lab_root = tmp_path / "lab"
    learner = lab_root / democourse.ASSIGNMENT
    shutil.copytree(release, learner)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    home = tmp_path / "home"
    home.mkdir()
    port, log_path = _free_port(), tmp_path / "jupyterlab.log"
    base = f"http://127.0.0.1:{port}"
    server = _start_lab(lab_root, home, port, log_path)
    try:
        _wait_for_lab(server, base, log_path)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            try:
                page.goto(f"{base}/lab/tree/{democourse.ASSIGNMENT}/{democourse.ASSIGNMENT}.ipynb?token={TOKEN}")
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

                mc = page.locator(".cl-q-demo_coach_reply")
                sorter = page.locator(".cl-q-demo_sort_remarks")
                talk = page.locator(".cl-q-demo_slipped_deal")
                for widget in (mc, sorter, talk):
                    expect(widget).to_be_visible(timeout=TIMEOUT_MS)
                expect(mc.locator(".cl-feedback")).to_contain_text("Not attempted yet")
                page.screenshot(path=str(SCREENSHOTS / "widget-demo-0-untouched.png"), full_page=True)

                # One right answer: the coaching reply.
                mc.locator("label", has_text=demo.KEY["demo_coach_reply"]).click()
                expect(mc.locator(".cl-feedback")).to_contain_text("Right.")
                # One wrong answer: a sort with one remark in the wrong bin.
                for number, item in enumerate(demo.ITEMS):
                    row = sorter.locator(f".cl-sorter-row-{number}")
                    row.get_by_role("button", name=demo.WRONG["demo_sort_remarks"][item], exact=True).click()
                    _wait_until(lambda n=number: len([v for v in _answers(learner).get(
                        "demo_sort_remarks", {}).get("answer", {}).values() if v]) == n + 1,
                        f"the sorter's click {number + 1} to be saved")
                expect(sorter.locator(".cl-feedback")).to_contain_text("1 item is in the wrong bin")
                mc.screenshot(path=str(SCREENSHOTS / "widget-demo-1-multiple-choice-right.png"))
                sorter.screenshot(path=str(SCREENSHOTS / "widget-demo-2-sorter-wrong.png"))

                # The role-play: ask, then explore; each click brings the rep's next line.
                talk.get_by_role("button", name=demo.SCRIPT["start"]["choices"][0]["say"]).click()
                expect(talk.locator(".cl-transcript")).to_contain_text(demo.SCRIPT["mid"]["rep"])
                talk.get_by_role("button", name=demo.SCRIPT["mid"]["choices"][0]["say"]).click()
                expect(talk.locator(".cl-feedback")).to_contain_text("Good coaching")
                talk.screenshot(path=str(SCREENSHOTS / "widget-demo-3-roleplay-coached.png"))

                # Restart the kernel and run everything again: each widget comes back answered.
                # The old views stay on screen (disconnected) until their cell re-runs, so
                # mark them and look only at views drawn by the new kernel.
                page.evaluate("document.querySelectorAll('.cl-exercise').forEach(e => e.dataset.old = '1')")
                page.get_by_role("menuitem", name="Kernel", exact=True).click()
                page.get_by_role("menuitem", name=re.compile(r"^Restart Kernel and Run All Cells")).click()
                page.locator(".jp-Dialog .jp-mod-accept").click()  # "Restart"
                expect(page.locator(".jp-Dialog")).to_have_count(0)
                expect(page.locator(".cl-exercise[data-old]")).to_have_count(0, timeout=TIMEOUT_MS)
                mc, sorter, talk = (page.locator(f".cl-q-{q}:not([data-old])") for q in
                                    ("demo_coach_reply", "demo_sort_remarks", "demo_slipped_deal"))
                expect(talk).to_be_visible(timeout=TIMEOUT_MS)
                expect(mc.locator(".cl-feedback")).to_contain_text("Right.", timeout=TIMEOUT_MS)
                expect(sorter.locator(".cl-feedback")).to_contain_text("1 item is in the wrong bin")
                expect(talk.locator(".cl-feedback")).to_contain_text("Good coaching")
                checked = mc.locator("input[type=radio]:checked")
                expect(checked).to_have_count(1)
                page.screenshot(path=str(SCREENSHOTS / "widget-demo-5-restored-after-restart.png"), full_page=True)

                saved = _answers(learner)
                assert saved["demo_coach_reply"]["answer"] == demo.KEY["demo_coach_reply"]
                assert saved["demo_coach_reply"]["correct"] is True
                assert saved["demo_sort_remarks"]["answer"] == demo.WRONG["demo_sort_remarks"]
                assert saved["demo_sort_remarks"]["correct"] is False
                assert saved["demo_slipped_deal"]["answer"] == [0, 0] and saved["demo_coach_reply"]["attempts"] == 1

                # Save the notebook (Ctrl+S) and wait for the file on disk to change.
                notebook = learner / f"{democourse.ASSIGNMENT}.ipynb"
                before = notebook.stat().st_mtime_ns
                page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
                page.keyboard.press("Control+s")
                _wait_until(lambda: notebook.stat().st_mtime_ns != before, "the notebook to be saved")
                page.screenshot(path=str(SCREENSHOTS / "widget-demo-4-answered.png"), full_page=True)
            except Exception:
                page.screenshot(path=str(SCREENSHOTS / "widget-demo-FAILED.png"), full_page=True)
                raise
            finally:
                browser.close()
    finally:
        _stop(server)

    # Hand in the folder as it is, and grade it.
    shutil.copytree(learner, democourse.submission_folder(course, "learner"),
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    log = democourse.nbgrader(course, "autograde", democourse.ASSIGNMENT, "--create")
    assert democourse.scores(course)["learner"] == {
        "coach_reply_picked": 1, "remarks_sorted": 0, "conversation_coached": 1}, log
