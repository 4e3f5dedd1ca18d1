"""A role-play in JupyterLab at 900 px wide, light and dark: every reply shows in full (it wraps,
nothing is cut off with "…"), the conversation can be played with the keyboard alone, and the
widget's text takes its colours from the theme. Screenshots land in test-output/screenshots/."""
from __future__ import annotations

import re

import nbformat
import pytest

from course.exercises import roleplays
from lab import SCREENSHOTS, TIMEOUT_MS, TOKEN, chromium, jupyter_lab, needs_browser, screenshot_on_failure

# Both themes share one JupyterLab (see `lab`), so they run on one pytest-xdist worker.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("browser-roleplay")]
FOLDER = "01-demo"


def _contrast(fg: str, bg: str) -> float:
    def luminance(rgb: str) -> float:
        channels = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted([luminance(fg), luminance(bg)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """(root, settings folder, base URL) of one JupyterLab for both themes: the theme is a setting
    read when a page loads, and each test has its own folder under `root` (so its own answers file)."""
    needs_browser()
    root, home = tmp_path_factory.mktemp("roleplay-lab"), tmp_path_factory.mktemp("roleplay-home")
    with jupyter_lab(root, home) as base:
        yield root, home / "lab-settings", base


@pytest.mark.parametrize("theme", ["JupyterLab Light", "JupyterLab Dark"])
def test_replies_wrap_at_900px_and_the_conversation_plays_from_the_keyboard(lab, theme):
    from playwright.sync_api import expect

    root, settings, base = lab
    name = theme.split()[-1].lower()
    (root / name / FOLDER).mkdir(parents=True)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from course.exercises import roleplays\ntalk = roleplays.feedback_talk()\ntalk")])
    notebook.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nbformat.write(notebook, root / name / FOLDER / f"{FOLDER}.ipynb")
    (settings / "@jupyterlab" / "apputils-extension" / "themes.jupyterlab-settings").write_text(f'{{"theme": "{theme}"}}')
    script = roleplays.FEEDBACK
    shot = SCREENSHOTS / f"roleplay-900px-{name}"
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 900, "height": 1000})
        page.set_default_timeout(TIMEOUT_MS)
        with screenshot_on_failure(page, f"{shot}-FAILED.png"):
            # `reset`: a fresh layout, without the other theme's notebook from the saved workspace
            page.goto(f"{base}/lab/tree/{name}/{FOLDER}/{FOLDER}.ipynb?token={TOKEN}&reset")
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
