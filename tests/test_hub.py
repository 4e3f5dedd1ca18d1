"""End to end: a cohort on a real JupyterHub on this machine (loopback only).

`course hub up` builds the course environment, installs configurable-http-proxy from npm, creates
three learner accounts and a trainer from a roster, and starts the hub. Each learner logs in through
the hub's HTTP API, starts a server, fetches module 00 through nbgrader's assignment list, answers it
(all right, partly, not at all) and submits. The trainer releases, collects, autogrades, releases
feedback and exports. Then the grades, the feedback and the file permissions are checked, and
`course hub down --remove-accounts` removes everything it made. Needs root (it creates accounts).
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

from course.answers import AnswerStore
from course.hub import Layout, as_trainer
from course.paths import GRADING, MODULES
from notebooks import SOLUTION_REGION, autograded_points, cell_by_grade_id, free_port, nbgrader_meta, read

pytestmark = [
    pytest.mark.hub,
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0,
                       reason="creates Unix accounts: run as root on Linux"),
]

MODULE = "00-orientation"
COURSE_ID = "coaching-lab"


def course(*args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "course", *args], capture_output=True, text=True)
    assert result.returncode == 0, f"course {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
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

    def start_server(self, timeout: float = 120) -> None:
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


def answer(nb, source, grade_ids: list[str]):
    """The learner's notebook with the source's solution typed into the given answer cells."""
    for grade_id in grade_ids:
        solution = SOLUTION_REGION.search(cell_by_grade_id(source, grade_id).source).group(1)
        cell_by_grade_id(nb, grade_id).source = solution
    return nb


def widget_answers_file(tmp_path: Path, answers: dict) -> str:
    """The <module>.answers.json a learner's clicks on the widgets would write."""
    path = tmp_path / f"{MODULE}.answers.json"
    store = AnswerStore(path, MODULE)
    for question_id, value in answers.items():
        store.record(question_id, value)
    return path.read_text()


def runs_as(user: str, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", user, "--", *command], capture_output=True, text=True)


@pytest.fixture(scope="module")
def cohort():
    tag = uuid.uuid4().hex[:6]
    names = {"right": f"cl{tag}-ana", "partly": f"cl{tag}-ben", "none": f"cl{tag}-caro"}
    trainer = f"cl{tag}-trainer"
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
                     "--ip", "127.0.0.1", "--port", str(port))
        print(f"\nhub up took {time.perf_counter() - started:.0f} s")
        yield {"layout": layout, "hub": f"http://127.0.0.1:{port}", "names": names, "trainer": trainer,
               "up_output": out, "tmp": base}
    finally:
        course("hub", "down", "--prefix", str(layout.prefix), "--remove-accounts")
        archived = sorted(p.name.removesuffix(".tar.gz").rsplit("-", 2)[0] for p in layout.archive.glob("*.tar.gz"))
        left = [name for name in [*names.values(), trainer] if subprocess.run(["id", name], capture_output=True).returncode == 0]
        shutil.rmtree(base)
        assert not left, f"accounts left behind: {left}"
        assert archived == sorted([*names.values(), trainer]), archived
        print(f"hub test took {time.perf_counter() - started:.0f} s in all")


def test_a_cohort_round_trip_through_the_hub(cohort, tmp_path):
    layout, hub, names, trainer = cohort["layout"], cohort["hub"], cohort["names"], cohort["trainer"]
    with layout.passwords.open() as handle:
        passwords = {row["account"]: row["first_login_password"] for row in csv.DictReader(handle)}
    assert oct(layout.passwords.stat().st_mode & 0o777) == "0o600"
    assert not any(p in cohort["up_output"] for p in passwords.values()), "a password was printed"

    course("hub", "release", "--prefix", str(layout.prefix), MODULE)
    source = read(MODULES / MODULE / f"{MODULE}.ipynb")
    widget_key = json.loads((GRADING / "answer_key" / "widgets" / f"{MODULE}.json").read_text())
    answer_cells = [nbgrader_meta(c)["grade_id"] for c in source.cells
                    if nbgrader_meta(c).get("solution") and c.cell_type == "code"]
    plans = {"right": (answer_cells, widget_key), "partly": (answer_cells[:1], {}), "none": ([], {})}

    learners = {kind: Learner(hub, name, passwords[name]) for kind, name in names.items()}
    for kind, learner in learners.items():
        learner.start_server()
        fetched = learner.assignments("fetch")
        assert [a["status"] for a in fetched if a["assignment_id"] == MODULE] == ["fetched"]
        path = f"{MODULE}/{MODULE}.ipynb"
        cells, widgets = plans[kind]
        if cells:
            nb = answer(nbformat.from_dict(learner.read_file(path)), source, cells)
            learner.write_file(path, nb, "json")
        if widgets:
            learner.write_file(f"{MODULE}/{MODULE}.answers.json", widget_answers_file(tmp_path, widgets), "text")
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
    assert runs_as(trainer, "ls", str(layout.course / "grading" / "answer_key")).returncode == 0
    # Formgrader is the trainer's only.
    assert learners["right"].api("GET", "formgrader").status_code == 404
    coach = Learner(hub, trainer, passwords[trainer])
    coach.start_server()
    assert coach.api("GET", "formgrader").status_code == 200
    coach.write_file("trainer-note.md", "for the other trainers", "text")  # the course folder is the server's root
    assert oct((layout.course / "trainer-note.md").stat().st_mode & 0o777) == "0o660"
    assert MODULE in coach.api("GET", "formgrader/api/assignments").text

    # The trainer's loop, as the trainer account.
    python = str(layout.python)
    for step in (["collect", MODULE], ["autograde", MODULE, "--quiet"], ["feedback", MODULE, "--release"],
                 ["export", "--grades-csv", str(layout.course / "grades.csv"),
                  "--lms-csv", str(layout.course / "lms.csv")]):
        as_trainer(layout, python, "-m", "course", "grade", *step, trainer=trainer)  # raises with the output

    points = autograded_points(source)
    expected = {names["right"]: sum(points.values()),
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
        page = learner.read_file(f"{feedback[0]['path']}/{MODULE}.html")
        score = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", page)
        assert score and float(score.group(1)) == expected[names[kind]], f"{names[kind]}'s feedback: {score}"
        assert "BEGIN HIDDEN TESTS" not in page


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
    """Test cells that follow each answer cell, up to the next answer cell."""
    found, current = set(), None
    for cell in source.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution") and cell.cell_type == "code":
            current = meta["grade_id"]
        elif meta.get("grade") and not meta.get("solution") and current in answer_cells:
            found.add(meta["grade_id"])
    return found
