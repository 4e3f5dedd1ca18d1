"""End to end: a cohort on a real JupyterHub on this machine (loopback only).

`course hub up` builds the course environment, installs configurable-http-proxy from npm, creates
three learner accounts and two trainers from a roster, and starts the hub. Each learner logs in
through the hub's HTTP API, starts a server, fetches module 00 through nbgrader's assignment list,
answers it (all right, partly, not at all; widget answers and self-checks in a real terminal, so
they reach the widget-records service with the learner's own token) and submits (one essay tries to
run a script in the trainers' browsers). The two trainers take turns: one releases, the other
collects; in Chromium, each in their own session, they calibrate on the essay (a blind round, then
the agreement page, screenshots); one autogrades, the other grades one essay in formgrader, the
first grades the other on the calibration page of the essay's answers in a row (saved into nbgrader's
gradebook as that trainer: formgrader shows it, no gradebook file is root's); feedback is released,
and released again. A trainer's terminal runs `course --help` in the
course folder; in Chromium, the Nbgrader menu opens formgrader in its own tab, which lists the
module, and the "who is stuck" dashboard shows a learner who answered two questions but has not
submitted; after autograde, formgrader's page of a submission shows the learner's widget answer as
text, with whether it was right (screenshots in test-output/hub/). Then the grades, the feedback
(reached through the link "(view feedback)" follows, with each widget answer as graded) and the file
permissions are checked, and `course hub down --purge` archives and removes everything it made.
Needs root.
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import nbformat
import pytest
import requests

from course.hub import Layout, as_trainer
from course.paths import GRADING, MODULES, REPO
from notebooks import (SOLUTION_REGION, autograded_points, cell_by_grade_id, free_port, nbgrader_meta, read,
                       run_in_terminal)

pytestmark = [
    pytest.mark.hub,
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0,
                       reason="creates Unix accounts: run as root on Linux"),
]

MODULE = "00-orientation"
COURSE_ID = "coaching-lab"
ESSAY = "reflection_coach_you_remember"
HOSTILE_ESSAY = ('<script>document.title = "pwned"</script><img src=x onerror="document.title = \'pwned\'"> '
                 "My coach was supportive.")
SCREENSHOTS = REPO / "test-output" / "hub"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage", "--no-first-run"]


def course(*args: str, ok: bool = True, env: dict | None = None) -> str:
    result = subprocess.run([sys.executable, "-m", "course", *args], capture_output=True, text=True, env=env)
    assert (result.returncode == 0) == ok, f"course {' '.join(args)}: exit {result.returncode}\n{result.stdout}{result.stderr}"
    return result.stdout + result.stderr


class Learner:
    """A learner's browser-less session: the hub's login form, then a token for their server."""

    def __init__(self, hub: str, name: str, password: str) -> None:
        self.hub, self.name = hub, name
        self.http = requests.Session()
        page = self.http.get(f"{hub}/hub/login")
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)
        login = self.http.post(f"{hub}/hub/login", data={"username": name, "password": password, "_xsrf": xsrf},
                               allow_redirects=False)
        assert login.status_code == 302, f"{name} could not log in: {login.status_code}"
        reply = self.http.post(f"{hub}/hub/api/users/{name}/tokens", json={"note": "hub test", "expires_in": 3600},
                               headers={"X-XSRFToken": self.http.cookies["_xsrf"]})
        reply.raise_for_status()
        self.http.headers["Authorization"] = f"token {reply.json()['token']}"

    def start_server(self, timeout: float = 300) -> None:  # 120 s was too short on a busy 2-core machine
        reply = self.http.post(f"{self.hub}/hub/api/users/{self.name}/server")
        assert reply.status_code in (201, 202), reply.text
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.http.get(f"{self.hub}/hub/api/users/{self.name}").json()["servers"].get("", {})
            if server.get("ready"):
                return
            time.sleep(0.5)
        raise AssertionError(f"{self.name}'s server did not start in {timeout} s")

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.http.request(method, f"{self.hub}/user/{self.name}/{path}", **kwargs)

    def assignments(self, action: str = "") -> list[dict]:
        path = f"assignments/{action}" if action else "assignments"
        reply = self.api("POST" if action else "GET", path,
                         **({"data": {"course_id": COURSE_ID, "assignment_id": MODULE}} if action else
                            {"params": {"course_id": COURSE_ID}}))
        reply.raise_for_status()
        body = reply.json()
        assert body["success"], body
        return body["value"]

    def read_file(self, path: str) -> dict:
        reply = self.api("GET", f"api/contents/{path}")
        reply.raise_for_status()
        return reply.json()["content"]

    def write_file(self, path: str, content, format: str) -> None:
        model = {"type": "notebook" if format == "json" else "file", "format": format, "content": content}
        self.api("PUT", f"api/contents/{path}", json=model).raise_for_status()

    def terminal(self, command: str, timeout: float = 90) -> str:
        """Type `command` in a new JupyterLab terminal (terminado's websocket); return what it printed."""
        return run_in_terminal(f"{self.hub}/user/{self.name}", self.http.headers["Authorization"], command, timeout)


def answer(nb, source, grade_ids: list[str]):
    """The learner's notebook with the source's solution typed into the given answer cells."""
    for grade_id in grade_ids:
        solution = SOLUTION_REGION.search(cell_by_grade_id(source, grade_id).source).group(1)
        cell_by_grade_id(nb, grade_id).source = solution
    return nb


def widget_clicks(answers: list[tuple[str, object, bool]], checks: list[tuple[str, object]] = ()) -> str:
    """Python a learner's kernel runs when they click widget answers and run self-checks: the
    answers file beside the notebook, and the same events to the record service (course.records)."""
    lines = ["from course import answers, records", "from course.exercises import module00",
             "store = answers.store()"]
    lines += [f"store.record({q!r}, {v!r}, correct={c!r}, kind='multiple_choice')" for q, v, c in answers]
    lines += [f"module00.{q}.check({v!r})" for q, v in checks]
    lines += ["records.flush()"]
    return f"cd ~/{MODULE} && python -c \"{'; '.join(lines)}\""


def runs_as(user: str, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", user, "--", *command], capture_output=True, text=True)


@pytest.fixture(scope="module")
def cohort():
    tag = uuid.uuid4().hex[:6]
    names = {"right": f"cl{tag}-ana", "partly": f"cl{tag}-ben", "none": f"cl{tag}-caro"}
    trainer, trainer2 = f"cl{tag}-trainer", f"cl{tag}-second"
    base = Path(tempfile.mkdtemp(prefix="coaching-lab-hub-"))  # not under pytest's root-only folder
    base.chmod(0o755)
    roster = base / "roster.csv"
    roster.write_text("learner_id,name,email\n" + "".join(
        f"{name},Learner {kind.title()},{name}@example.com\n" for kind, name in names.items()))
    layout = Layout(base / "srv")
    port = free_port()
    started = time.perf_counter()
    try:
        out = course("hub", "up", "--prefix", str(layout.prefix), "--roster", str(roster), "--trainer", trainer,
                     "--trainer", trainer2, "--port", str(port))  # loopback by default
        print(f"\nhub up took {time.perf_counter() - started:.0f} s")
        yield {"layout": layout, "hub": f"http://127.0.0.1:{port}", "names": names, "trainer": trainer,
               "trainer2": trainer2, "up_output": out, "tmp": base}
    finally:
        course("hub", "down", "--prefix", str(layout.prefix), "--purge", "--archive-dir", str(base / "backups"))
        kept = list((base / "backups").glob("*/*"))
        archived = sorted(p.name.removesuffix(".tar.gz").rsplit("-", 2)[0] for p in kept
                          if p.name.startswith("cl"))
        everyone = [*names.values(), trainer, trainer2]
        left = [name for name in everyone if subprocess.run(["id", name], capture_output=True).returncode == 0]
        prefix_left = layout.prefix.exists()
        has_course = any(p.name == "course.tar.gz" for p in kept)
        shutil.rmtree(base)
        assert not left, f"accounts left behind: {left}"
        assert not prefix_left, "down --purge left the prefix"
        assert archived == sorted(everyone) and has_course, kept
        print(f"hub test took {time.perf_counter() - started:.0f} s in all")


def test_a_cohort_round_trip_through_the_hub(cohort, tmp_path):
    layout, hub, names = cohort["layout"], cohort["hub"], cohort["names"]
    trainer, trainer2 = cohort["trainer"], cohort["trainer2"]
    with layout.passwords.open() as handle:
        passwords = {row["account"]: row["first_login_password"] for row in csv.DictReader(handle)}
    assert oct(layout.passwords.stat().st_mode & 0o777) == "0o600"
    assert not any(p in cohort["up_output"] for p in passwords.values()), "a password was printed"

    # `course hub release` acts as a named trainer, never a guess among several
    root_env = {k: v for k, v in os.environ.items() if k != "SUDO_USER"}
    assert "--as NAME" in course("hub", "release", "--prefix", str(layout.prefix), MODULE, ok=False, env=root_env)
    assert f"as {trainer}" in course("hub", "release", "--prefix", str(layout.prefix), "--as", trainer, MODULE)
    source = read(MODULES / MODULE / f"{MODULE}.ipynb")
    widget_key = json.loads((GRADING / "answer_key" / "widgets" / f"{MODULE}.json").read_text())
    answer_cells = [nbgrader_meta(c)["grade_id"] for c in source.cells
                    if nbgrader_meta(c).get("solution") and c.cell_type == "code"]
    plans = {"right": answer_cells, "partly": answer_cells[:1], "none": []}

    learners = {kind: Learner(hub, name, passwords[name]) for kind, name in names.items()}
    for kind, learner in learners.items():
        learner.start_server()
        fetched = learner.assignments("fetch")
        assert [a["status"] for a in fetched if a["assignment_id"] == MODULE] == ["fetched"]
        path = f"{MODULE}/{MODULE}.ipynb"
        if plans[kind]:
            nb = answer(nbformat.from_dict(learner.read_file(path)), source, plans[kind])
            if kind == "right":
                cell_by_grade_id(nb, ESSAY).source = "My first manager asked what I thought before saying anything."
            if kind == "partly":  # an answer that tries to run in the trainers' browsers
                cell_by_grade_id(nb, ESSAY).source = HOSTILE_ESSAY
            learner.write_file(path, nb, "json")
    # A learner's terminal has the course environment (module 00 asks for `python -m course validate`).
    assert "usage: course" in learners["none"].terminal("course --help")
    # Widget answers and self-checks, as the learners' kernels send them (their own token).
    learners["right"].terminal(widget_clicks([(q, v, True) for q, v in widget_key.items()]))
    question = next(iter(widget_key))
    learners["partly"].terminal(widget_clicks([(question, "It checks my spelling.", False)],
                                              checks=[("q1", -1), ("q1", -2)]))

    coach, coach2 = Learner(hub, trainer, passwords[trainer]), Learner(hub, trainer2, passwords[trainer2])
    for session in (coach, coach2):
        session.start_server()
    # A trainer's terminal: `course` on PATH, in the course folder.
    shown = coach2.terminal("course --help && pwd")
    assert "usage: course" in shown and str(layout.course) in shown
    _browse_as_trainer(hub, trainer2, passwords[trainer2], names["partly"], question)

    for kind, learner in learners.items():
        submitted = learner.assignments("submit")
        assert any(a["status"] == "submitted" for a in submitted if a["assignment_id"] == MODULE)

    _print_memory_per_learner(learners["right"], names)

    # The learners' sandbox: their own home only; the course folder and the exchange inbox are closed.
    ana, ben = names["right"], names["partly"]
    assert runs_as(ana, "cat", f"/home/{ben}/{MODULE}/{MODULE}.ipynb").returncode != 0
    assert runs_as(ana, "ls", f"/home/{ben}").returncode != 0
    assert runs_as(ana, "ls", str(layout.course)).returncode != 0
    assert runs_as(ana, "cat", str(layout.course / "grading" / "answer_key" / "SEED")).returncode != 0
    assert runs_as(ana, "ls", str(layout.exchange / COURSE_ID / "inbound")).returncode != 0
    assert runs_as(ana, "ls", str(layout.course / "widget-records")).returncode != 0
    assert runs_as(trainer, "ls", str(layout.course / "grading" / "answer_key")).returncode == 0
    # Formgrader is the trainers' only.
    assert learners["right"].api("GET", "formgrader").status_code == 404
    assert coach.api("GET", "formgrader").status_code == 200
    coach.write_file("trainer-note.md", "for the other trainers", "text")  # the course folder is the server's root
    assert oct((layout.course / "trainer-note.md").stat().st_mode & 0o777) == "0o660"
    assert MODULE in coach.api("GET", "formgrader/api/assignments").text
    # The record service's copy of each learner's widget answers, for grading.
    recorded = json.loads((layout.course / "widget-records" / ana / f"{MODULE}.answers.json").read_text())
    assert {q: e["answer"] for q, e in recorded["questions"].items()} == widget_key

    # The trainers' loop, taking turns, each as their own account.
    python = str(layout.python)

    def grade(who: str, *step: str) -> str:
        return as_trainer(layout, python, "-m", "course", "grade", *step, trainer=who)  # raises with the output

    grade(trainer2, "collect", MODULE)
    # Before the cohort is graded, the two trainers calibrate on the essay, blind, in Chromium.
    _calibrate(hub, {t: passwords[t] for t in (trainer, trainer2)}, [ana, ben])
    print(grade(trainer, "autograde", MODULE, "--quiet"))
    with pytest.raises(Exception, match=f"{MODULE} / {ana}: .*{ESSAY}"):  # the essay waits for a trainer
        grade(trainer, "feedback", MODULE, "--release")
    _grade_essay_in_formgrader(coach2, ana, score=1, comment="Good: you named what they asked first.")
    _grade_essay_in_a_row(hub, trainer, passwords[trainer], coach2, ben, score=0,
                          comment="Name one thing your coach did.")
    assert not [f.name for f in (layout.course / "grading").glob("gradebook.db*") if f.stat().st_uid == 0]
    _see_widget_answer_in_formgrader(hub, trainer, passwords[trainer], coach, ana, widget_key[question])
    grade(trainer2, "feedback", MODULE, "--release")
    grade(trainer, "export", "--grades-csv", str(layout.course / "grades.csv"),
          "--lms-csv", str(layout.course / "lms.csv"))
    assert f"as {trainer2}" in course("hub", "release", "--prefix", str(layout.prefix), "--as", trainer2, MODULE)

    points = autograded_points(source)
    expected = {names["right"]: sum(points.values()) + 1,
                names["partly"]: sum(points[g] for g in points if g in _tests_of(source, answer_cells[:1])),
                names["none"]: 0.0}
    with (layout.course / "grades.csv").open() as handle:
        grades = {row["student_id"]: float(row["score"]) for row in csv.DictReader(handle)
                  if row["assignment"] == MODULE}
    assert grades == expected

    for kind, learner in learners.items():
        learner.assignments("fetch_feedback")
        feedback = learner.api("GET", f"api/contents/{MODULE}/feedback").json()["content"]
        assert len(feedback) == 1, f"{names[kind]} got {len(feedback)} feedback folders"
        # "(view feedback)" in the Assignments tab goes to what the list names: the page itself
        links = [s["local_feedback_path"] for a in learner.assignments() if a["assignment_id"] == MODULE
                 for s in a.get("submissions", []) if s.get("local_feedback_path")]
        assert links == [f"{feedback[0]['path']}/{MODULE}.html"], links
        page = learner.read_file(links[0])
        score = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", page)
        assert score and float(score.group(1)) == expected[names[kind]], f"{names[kind]}'s feedback: {score}"
        assert "BEGIN HIDDEN TESTS" not in page
        # the widget answer that was graded, as text (from the hub's record)
        shown = {"right": [widget_key[question], "Graded as: right"],
                 "partly": ["It checks my spelling.", "Graded as: not right"], "none": ["none was recorded"]}
        assert all(text in page for text in shown[kind]), f"{names[kind]}'s feedback lacks {shown[kind]}"
        if kind == "right":
            assert "you named what they asked first" in page


def _browse_as_trainer(hub: str, trainer: str, password: str, stuck_learner: str, question: str) -> None:
    """In Chromium: Nbgrader → Formgrader opens formgrader in its own tab and it lists the module;
    the who-is-stuck dashboard shows a learner with two questions answered and nothing submitted."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM} (tests/ensure_debian_packages.sh chromium)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{hub}/hub/login")
        page.fill("#username_input", trainer)
        page.fill("#password_input", password)
        page.click("#login_submit")
        page.wait_for_url(f"**/user/{trainer}/lab**", timeout=120_000)
        page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click(timeout=120_000)
        with page.context.expect_page(timeout=60_000) as opened:
            page.get_by_text("Formgrader (opens in a new tab)").click()
        formgrader = opened.value
        formgrader.wait_for_load_state()
        # the assignment list rendered (the page also holds the text in hidden config)
        formgrader.get_by_text(MODULE, exact=True).filter(visible=True).first.wait_for(timeout=60_000)
        assert f"/user/{trainer}/formgrader" in formgrader.url
        formgrader.screenshot(path=str(SCREENSHOTS / "formgrader-from-menu.png"), full_page=True)

        page.goto(f"{hub}/services/widget-records/")
        row = page.locator(f'tr[data-learner="{stuck_learner}"] td[data-module="{MODULE}"]')
        row.wait_for(timeout=60_000)
        text = row.inner_text()
        assert "in progress" in text and "2 answered" in text and "stuck on" in text, text
        page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)
        browser.close()
    print(f"\nscreenshots: {SCREENSHOTS / 'formgrader-from-menu.png'}, {SCREENSHOTS / 'dashboard.png'}")


def _log_in(browser, hub: str, trainer: str, password: str):
    page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    page.goto(f"{hub}/hub/login")
    page.fill("#username_input", trainer)
    page.fill("#password_input", password)
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{trainer}/**", timeout=120_000)
    return page


def _calibrate(hub: str, passwords: dict[str, str], answered: list[str]) -> None:
    """In Chromium, two trainers, each in their own session: one starts a calibration round on the
    essay with the other; each scores every answer of the sample, blind (no learner name, not the
    other's scores); the agreement page appears once both have finished. A learner's hostile answer
    is shown as text and runs nothing."""
    from playwright.sync_api import sync_playwright

    (first, first_password), (second, second_password) = passwords.items()
    service = f"{hub}/services/widget-records"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        one, two = _log_in(browser, hub, first, first_password), _log_in(browser, hub, second, second_password)
        one.goto(f"{service}/")
        one.get_by_role("link", name=re.compile("^Calibration: agree")).click()
        one.select_option("select[name=question]", f"{MODULE}/{ESSAY}")
        one.select_option("select[name=partner]", second)
        one.click("#start button[type=submit]")
        one.wait_for_url(re.compile(r".*/calibration/\d+$"))
        round_url = one.url
        answers = one.locator("section.pair")
        assert answers.count() == len(answered), answers.count()  # every written essay, fewer than 5
        page_text = one.locator("body").inner_text()
        assert not any(name in page_text for name in answered), "a learner's name shows while calibrating"
        assert "document.title" in page_text and one.title() != "pwned"  # shown as text, never run
        for radio in one.get_by_role("radio", name=re.compile(r"^met")).all():  # the first trainer: all met
            radio.check()
        one.click("#finish")
        one.locator("#status").wait_for()
        assert "Waiting for " + second in one.locator("#status").inner_text()
        one.goto(round_url + "/agreement")
        assert "waiting for " + second in one.locator("body").inner_text()  # nothing to compare yet

        two.goto(f"{service}/calibration/")
        two.locator("#rounds a").first.click()
        two.wait_for_url(round_url)
        assert two.locator("input[type=radio]:checked").count() == 0  # the first trainer's scores stay hidden
        mine = two.locator("section.pair")
        for index in range(mine.count()):  # the second trainer: the first answer only partly, the others met
            mine.nth(index).get_by_role("radio", name=re.compile(r"^partly" if index == 0 else r"^met")).check()
        two.screenshot(path=str(SCREENSHOTS / "calibration-scoring.png"), full_page=True)
        two.click("#finish")
        two.locator("#agreement-link").click()
        overall = two.locator("#overall")
        overall.wait_for()
        assert f"{len(answered) - 1} of {len(answered)}" in overall.inner_text(), overall.inner_text()
        assert two.locator("#per-point td.differ").count() == 1 and two.title() != "pwned"
        two.screenshot(path=str(SCREENSHOTS / "calibration-agreement.png"), full_page=True)
        browser.close()
    print(f"\nscreenshots: {SCREENSHOTS / 'calibration-scoring.png'}, {SCREENSHOTS / 'calibration-agreement.png'}")


def _see_widget_answer_in_formgrader(hub: str, trainer: str, password: str, session: Learner, learner: str,
                                     answer: str) -> None:
    """In Chromium: formgrader's page of a learner's submission shows their widget answer as graded."""
    from playwright.sync_api import sync_playwright

    submissions = session.api("GET", f"formgrader/api/submitted_notebooks/{MODULE}/{MODULE}").json()
    submission = next(s for s in submissions if s["student"] == learner)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(f"{hub}/hub/login")
        page.fill("#username_input", trainer)
        page.fill("#password_input", password)
        page.click("#login_submit")
        page.wait_for_url(f"**/user/{trainer}/**", timeout=120_000)
        page.goto(f"{hub}/user/{trainer}/formgrader/submissions/{submission['id']}/?index=0")
        shown = page.locator(".cl-graded-answer").first
        shown.wait_for(timeout=60_000)
        text = shown.inner_text()
        assert answer in text and "Graded as: right" in text, text
        shown.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "formgrader-widget-answer.png"), full_page=False)
        browser.close()


def _grade_essay_in_formgrader(trainer: Learner, learner: str, score: float, comment: str) -> None:
    """What a trainer does in formgrader's manual grading: a score and a comment for one answer."""
    submissions = trainer.api("GET", f"formgrader/api/submitted_notebooks/{MODULE}/{MODULE}").json()
    submission = next(s for s in submissions if s["student"] == learner)
    grades = trainer.api("GET", "formgrader/api/grades", params={"submission_id": submission["id"]}).json()
    essay = next(g for g in grades if g["name"] == ESSAY)
    assert essay["needs_manual_grade"]
    trainer.api("PUT", f"formgrader/api/grade/{essay['id']}", json={"manual_score": score}).raise_for_status()
    comments = trainer.api("GET", "formgrader/api/comments", params={"submission_id": submission["id"]}).json()
    remark = next(c for c in comments if c["name"] == ESSAY)
    trainer.api("PUT", f"formgrader/api/comment/{remark['id']}", json={"manual_comment": comment}).raise_for_status()


def _grade_essay_in_a_row(hub: str, trainer: str, password: str, other: Learner, learner: str, score: float,
                          comment: str) -> None:
    """In Chromium: one question's answers in a row (the calibration service), a score and a comment
    saved for one learner; the other trainer's formgrader then shows them (the service wrote them into
    nbgrader's gradebook, as `trainer`, through runuser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = _log_in(browser, hub, trainer, password)
        page.goto(f"{hub}/services/widget-records/calibration/question/{MODULE}/{ESSAY}")
        section = page.locator(f'section[data-learner="{learner}"]')
        section.locator("input[name=score]").fill(f"{score:g}")
        section.locator("textarea[name=comment]").fill(comment)
        section.locator("button[type=submit]").click()
        page.locator("#saved").wait_for(timeout=60_000)
        assert section.locator("input[name=score]").input_value() == f"{score:g}"
        page.screenshot(path=str(SCREENSHOTS / "calibration-grading.png"), full_page=True)
        browser.close()
    submissions = other.api("GET", f"formgrader/api/submitted_notebooks/{MODULE}/{MODULE}").json()
    submission = next(s for s in submissions if s["student"] == learner)
    grades = other.api("GET", "formgrader/api/grades", params={"submission_id": submission["id"]}).json()
    essay = next(g for g in grades if g["name"] == ESSAY)
    assert (essay["manual_score"], essay["needs_manual_grade"]) == (score, False), essay
    comments = other.api("GET", "formgrader/api/comments", params={"submission_id": submission["id"]}).json()
    assert next(c for c in comments if c["name"] == ESSAY)["manual_comment"] == comment


def _print_memory_per_learner(learner: Learner, names: dict) -> None:
    """Sizing figures for the README: memory of a learner's server, idle and with a kernel."""
    import psutil

    def megabytes(name: str) -> float:
        return sum(p.info["memory_info"].rss for p in psutil.process_iter(["username", "memory_info"])
                   if p.info["username"] == name) / 2**20

    idle = {name: megabytes(name) for name in names.values()}
    kernel = learner.api("POST", "api/kernels", json={"name": "python3"}).json()["id"]
    time.sleep(3)
    with_kernel = megabytes(learner.name)
    learner.api("DELETE", f"api/kernels/{kernel}")
    print(f"\nmemory per learner: server alone {min(idle.values()):.0f}-{max(idle.values()):.0f} MB; "
          f"with an idle kernel {with_kernel:.0f} MB")


def _tests_of(source, answer_cells: list[str]) -> set[str]:
    """Test cells that check a variable that one of these answer cells sets for the learner."""
    from course.grade.cleanroom import answer_plan

    names = {name for answer in answer_plan(source).answers if answer.grade_id in answer_cells for name in answer.names}
    return {nbgrader_meta(cell)["grade_id"] for cell in source.cells
            if nbgrader_meta(cell).get("grade") and not nbgrader_meta(cell).get("solution")
            and any(re.search(rf"\b{re.escape(name)}\b", cell.source) for name in names)}
