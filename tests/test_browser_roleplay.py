"""A role-play in JupyterLab at 900 px wide, light and dark: every reply shows in full (it wraps,
nothing is cut off with "…"), the conversation can be played with the keyboard alone, and the
widget's text takes its colours from the theme. Screenshots land in test-output/screenshots/."""
from __future__ import annotations

import re

import nbformat
import pytest

from course.exercises import roleplays
from notebooks import free_port
from test_browser import (CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, TIMEOUT_MS, TOKEN, _needs, _start_lab, _stop,
                          _wait_for_lab)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
FOLDER = "01-demo"


def _contrast(fg: str, bg: str) -> float:
    def luminance(rgb: str) -> float:
        channels = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted([luminance(fg), luminance(bg)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_replies_wrap_at_900px_and_the_conversation_plays_from_the_keyboard(tmp_path, theme):
    _needs()
    from playwright.sync_api import expect, sync_playwright

    lab_root = tmp_path / "lab"
    (lab_root / FOLDER).mkdir(parents=True)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from course.exercises import roleplays\ntalk = roleplays.feedback_talk()\ntalk")])
    notebook.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nbformat.write(notebook, lab_root / FOLDER / f"{FOLDER}.ipynb")
    home = tmp_path / "home"
    home.mkdir()
    port, log_path = free_port(), tmp_path / "jupyterlab.log"
    base = f"http://127.0.0.1:{port}"
    server = _start_lab(lab_root, home, port, log_path)
    settings = home / "lab-settings" / "@jupyterlab" / "apputils-extension" / "themes.jupyterlab-settings"
    settings.write_text(f'{{"theme": "{theme}"}}')
    script = roleplays.FEEDBACK
    shot = SCREENSHOTS / f"roleplay-900px-{theme.split()[-1].lower()}"
    try:
        _wait_for_lab(server, base, log_path)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 900, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            try:
                page.goto(f"{base}/lab/tree/{FOLDER}/{FOLDER}.ipynb?token={TOKEN}")
                page.get_by_role("button", name=re.compile(r"\| Idle$")).wait_for(timeout=TIMEOUT_MS)
                replies = page.locator(".cl-roleplay .cl-say")
                for _ in range(3):
                    page.get_by_role("menuitem", name="Run", exact=True).click()
                    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
                    try:
                        expect(replies.first).to_be_visible(timeout=30_000)
                        break
                    except AssertionError:
                        continue
                expect(replies).to_have_count(len(script["steps"][0]["replies"]))
                best = roleplays.feedback_talk().coaching_path()
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                for step, number in enumerate(best):
                    said = [r["say"] for r in script["steps"][step]["replies"]]
                    expect(replies).to_have_count(len(said))
                    expect(replies.first).to_have_text(said[0])
                    clipped = replies.evaluate_all(
                        "els => els.map(e => [e.innerText, e.scrollWidth > e.clientWidth + 1 || "
                        "e.scrollHeight > e.clientHeight + 1, e.getBoundingClientRect().right])")
                    assert [text for text, *_ in clipped] == said
                    assert not [text for text, cut, _ in clipped if cut], f"cut off at 900 px: {clipped}"
                    assert all(right <= 900 for *_, right in clipped), clipped
                    if step == 1:
                        page.locator(".cl-roleplay").screenshot(path=f"{shot}-step2.png")
                    # Keyboard only: the first reply has focus after each pick; Tab to the coaching one.
                    if step == 0:
                        replies.first.focus()
                    expect(replies.first).to_be_focused()
                    for _ in range(number):
                        page.keyboard.press("Tab")
                    expect(replies.nth(number)).to_be_focused()
                    page.keyboard.press("Enter")
                    reply = script["steps"][step]["replies"][number]["rep"]
                    expect(page.locator(".cl-roleplay .cl-transcript")).to_contain_text(reply[:40])
                review = page.locator(".cl-roleplay .cl-review")
                expect(review).to_contain_text("A dated commitment (yes)")
                expect(page.locator(".cl-roleplay .cl-feedback")).to_contain_text("Good coaching")
                colours = page.locator(".cl-roleplay .cl-line-rep").first.evaluate(
                    "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
                assert _contrast(*colours) >= 4.5, colours
                page.locator(".cl-roleplay").screenshot(path=f"{shot}-review.png")
            except Exception:
                page.screenshot(path=f"{shot}-FAILED.png", full_page=True)
                raise
            finally:
                browser.close()
    finally:
        _stop(server)
