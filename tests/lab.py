"""JupyterLab and Chromium for the browser tests: one way to start them, open a notebook and run it.

`jupyter_lab(root, home)` serves `root` on a free port with the test's own settings (no news toast,
every cell drawn) and stops it as a supervisor would, failing if a kernel outlives it; `chromium()`
is Debian's /usr/bin/chromium through Python Playwright (it cannot download its own browser).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from course.nbgrader_tools import nbgrader_env
from notebooks import free_port, stop_and_list_survivors

REPO = Path(__file__).resolve().parent.parent
SCREENSHOTS = REPO / "test-output" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
TOKEN = "coaching-lab-browser-test"
TIMEOUT_MS = 120_000


def needs_browser() -> None:
    """Skip the test when there is no Chromium or no Playwright to drive it."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: `make test` installs it as root (tests/ensure_debian_packages.sh chromium), or set CHROMIUM")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("Python Playwright is not installed: pip install 'playwright>=1.40'")


def lab_settings(home: Path, news: bool = False) -> Path:
    """The JupyterLab settings folder under `home`: every cell drawn (JupyterLab 4 otherwise only
    draws the cells in view, and a test could not find a widget without scrolling for it) and, unless
    `news`, no "would you like Jupyter news?" toast over the notebook."""
    settings = home / "lab-settings"
    tracker = settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}))
    if not news:
        notification = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
        notification.parent.mkdir(parents=True)
        notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    return settings


def lab_command(root: Path, port: int) -> list[str]:
    """A plain `jupyter lab` on `root` (the course's own start-up is `course.cli.lab_command`)."""
    return [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}",
            "--ServerApp.open_browser=False", "--LabApp.news_url=None",
            *(["--allow-root"] if os.geteuid() == 0 else [])]


@contextmanager
def jupyter_lab(root: Path, home: Path, command=lab_command, env: dict | None = None, news: bool = False):
    """Serve `root` with JupyterLab (`command(root, port)`, in `env`, default nbgrader's); yield its
    base URL. On leaving, stop it and assert nothing it started (kernels) still runs."""
    home.mkdir(parents=True, exist_ok=True)
    settings = lab_settings(home, news)
    env = dict(env or nbgrader_env())
    env.update(HOME=str(home), JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "lab-workspaces"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), MPLBACKEND="Agg")
    port, log_path = free_port(), home / "jupyterlab.log"
    base = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        server = subprocess.Popen(command(root, port), cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        _wait_for_lab(server, base, log_path)
        yield base
    finally:
        survivors = stop_and_list_survivors(server)
        assert not survivors, f"stopping JupyterLab left these running: {survivors}"


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


@contextmanager
def chromium():
    """Headless Chromium through Playwright; yield the browser, closed on leaving."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def screenshot_on_failure(page, path: Path):
    """Save a full-page screenshot at `path` if the block fails, then let the failure through."""
    try:
        yield
    except Exception:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path), full_page=True)
        raise


def open_notebook(page, base: str, path: str, timeout: float = TIMEOUT_MS) -> None:
    """Open the notebook at `path` (under the server's root) and wait until its kernel is connected:
    the status bar says "Idle" (the toolbar's indicator turns idle before that, and a Run All then
    does nothing)."""
    page.goto(f"{base}/lab/tree/{path}?token={TOKEN}")
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first.wait_for()
    page.get_by_role("button", name=re.compile(r"\| Idle$")).wait_for(timeout=timeout)


def run_all(page) -> None:
    """Run → Run All Cells in the notebook on show, as a learner would, once more if the first is lost.
    A saved or copied notebook already shows "[1]" from the file: its outputs are cleared first, so a
    prompt number seen afterwards comes from this run and not from the last one."""
    from playwright.sync_api import expect

    first_prompt = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt").first
    page.get_by_role("menuitem", name="Edit", exact=True).click()
    page.get_by_role("menuitem", name="Clear Outputs of All Cells", exact=True).click()
    expect(first_prompt).to_have_text(re.compile(r"\[\s*\]"), timeout=TIMEOUT_MS)
    for _ in range(3):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            expect(first_prompt).not_to_have_text(re.compile(r"\[\s*\]"), timeout=20_000)
            return
        except AssertionError:
            continue


def open_and_run_all(page, base: str, path: str) -> None:
    open_notebook(page, base, path)
    run_all(page)


def save(page, notebook: Path) -> None:
    """Ctrl+S in the notebook on show; wait for the file on disk to change."""
    before = notebook.stat().st_mtime_ns
    page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    wait_until(lambda: notebook.stat().st_mtime_ns != before, "the notebook to be saved")


def wait_until(predicate, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.25)
