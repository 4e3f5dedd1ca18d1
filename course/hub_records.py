"""The widget-records service: the cohort's own record of widget answers and self-checks.

A JupyterHub service (started by the hub, as root, see deploy/jupyterhub_config.py) with its own
sqlite file under the prefix (`<prefix>/records/records.sqlite`, root only). Learners' kernels post
each widget answer and self-check to it with the learner's own token (`course.records`); the
service takes the learner's name from the hub, never from the event, and keeps the hub's time.

What it gives the trainers:

- `<course>/widget-records/<learner>/<module>.answers.json`, rewritten after every answer, in the
  "coaching-lab-answers/1" format of `course.answers`: grading trusts this copy over the file a
  learner hands in (a forged or edited file disagrees with it).
- A dashboard (the service's page on the hub, trainers only): per learner and module, not started /
  in progress / submitted / graded, answers given, self-check attempts, questions they are stuck on,
  due dates and late submissions (the course's late policy), live, before anything is collected.
- `GET api/progress` (the dashboard's data) and `POST api/export` (rewrite every file), for trainers.
- Calibration pages (`calibration/`, see `course.hub_calibration`): two trainers score the same
  sample of answers blind, then see their agreement per rubric point; one question's answers in a row,
  each scored and commented there into nbgrader's gradebook (written as the trainer who asks).

The storage, the export and the progress table are plain functions, tested without a hub; only
`main` needs JupyterHub and tornado.
"""
from __future__ import annotations

import datetime as dt
import grp
import json
import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import re

from course.answers import FORMAT, QUESTION_ID

MODULE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")

SERVICE_NAME = "widget-records"
EVENTS = ("answer", "check")
STUCK_AFTER = 2  # wrong answers or failed self-checks on a question not yet right
MAX_EVENT_BYTES = 64_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    learner TEXT NOT NULL, module TEXT NOT NULL, question TEXT NOT NULL, event TEXT NOT NULL,
    kind TEXT, answer TEXT, correct INTEGER, count_attempt INTEGER NOT NULL DEFAULT 1, verdict TEXT,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_learner ON events (learner, module);
"""


class BadEvent(ValueError):
    """An event the service refuses; the message says why (sent back as HTTP 400)."""


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class RecordStore:
    """The service's sqlite file: one row per event, appended, never changed."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path)
        self.db.executescript(SCHEMA)
        self.path.chmod(0o600)

    def add(self, learner: str, body: dict, at: str | None = None) -> dict:
        """Validate and store one event from `learner`; return the stored row."""
        if not isinstance(body, dict):
            raise BadEvent("the event must be a JSON object")
        event, module, question = body.get("event"), body.get("module"), body.get("question")
        if event not in EVENTS:
            raise BadEvent(f"'event' must be one of {', '.join(EVENTS)}")
        for name, value, pattern in (("module", module, MODULE_ID), ("question", question, QUESTION_ID)):
            if not isinstance(value, str) or not pattern.match(value):
                raise BadEvent(f"{name!r} must be an id of letters, digits, '_', '-' or '.'")
        correct = body.get("correct")
        if correct is not None and not isinstance(correct, bool):
            raise BadEvent("'correct' must be true, false or absent")
        answer = json.dumps(body.get("answer"), sort_keys=True, ensure_ascii=False) if event == "answer" else None
        if answer is not None and len(answer) > MAX_EVENT_BYTES:
            raise BadEvent("the answer is too large to record")
        kind, verdict = body.get("kind"), body.get("verdict")
        row = {"learner": learner, "module": module, "question": question, "event": event,
               "kind": kind if isinstance(kind, str) else None, "answer": answer,
               "correct": None if correct is None else int(correct),
               "count_attempt": int(body.get("count_attempt", True) is not False),
               "verdict": verdict if isinstance(verdict, str) else None, "at": at or _now()}
        with self.db:
            self.db.execute(f"INSERT INTO events ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                            tuple(row.values()))
        return row

    def events(self, learner: str | None = None, module: str | None = None) -> list[dict]:
        query, args = "SELECT * FROM events WHERE 1=1", []
        for column, value in (("learner", learner), ("module", module)):
            if value is not None:
                query += f" AND {column} = ?"
                args.append(value)
        cursor = self.db.execute(query + " ORDER BY id", args)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    def pairs(self) -> list[tuple[str, str]]:
        return list(self.db.execute("SELECT DISTINCT learner, module FROM events ORDER BY learner, module"))


def answers_document(module: str, events: list[dict]) -> dict:
    """The "coaching-lab-answers/1" document the learner's widgets would have written, from events."""
    questions: dict[str, dict] = {}
    for e in events:
        if e["event"] != "answer":
            continue
        answer = json.loads(e["answer"])
        entry = questions.setdefault(e["question"], {"answer": None, "attempts": 0, "first_answered": e["at"],
                                                     "wrong_answers": []})
        if e["kind"]:
            entry["kind"] = e["kind"]
        entry["answer"], entry["last_answered"] = answer, e["at"]
        if e["count_attempt"]:
            entry["attempts"] += 1
            if e["correct"] == 0 and answer not in entry["wrong_answers"]:
                entry["wrong_answers"].append(answer)
        if e["correct"] is None:
            entry.pop("correct", None)
        else:
            entry["correct"] = bool(e["correct"])
    return {"format": FORMAT, "module": module, "questions": questions, "recorded_by": SERVICE_NAME}


def export_answers(store: RecordStore, course_root: Path, learner: str | None = None,
                   module: str | None = None, group: str | None = None) -> list[Path]:
    """Write `<course>/widget-records/<learner>/<module>.answers.json` for each (learner, module) with
    answers; atomically, never through a symlink, readable and writable by `group` (the trainers)."""
    gid = grp.getgrnam(group).gr_gid if group else -1
    root = Path(course_root) / "widget-records"
    written = []
    for who, which in store.pairs():
        if (learner and who != learner) or (module and which != module):
            continue
        document = answers_document(which, store.events(who, which))
        folder = root / who
        for path in (root, folder):
            if path.is_symlink():
                raise OSError(f"{path} is a symbolic link: the record export refuses to follow it")
            if not path.is_dir():
                path.mkdir(mode=0o2770, parents=True)
                os.chown(path, -1, gid)
        target = folder / f"{which}.answers.json"
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=2, ensure_ascii=False, sort_keys=True)
            handle.write("\n")
        os.chown(temp, -1, gid)
        os.chmod(temp, 0o660)
        os.replace(temp, target)
        written.append(target)
    return written


# ---------------------------------------------------------------------------------------------
# Who is stuck: the dashboard's table

@dataclass
class Progress:
    learner: str
    module: str
    status: str = "not started"  # not started / in progress / submitted / graded
    answered: int = 0            # questions answered in a widget or self-checked with an answer
    correct: int = 0
    attempts: int = 0            # answers counted as attempts
    checks: int = 0              # self-check runs
    stuck: list[str] = field(default_factory=list)
    last_activity: str | None = None
    submitted_at: str | None = None
    duedate: str | None = None
    late: bool = False           # submitted after the due date, or past it with nothing submitted
    score: str | None = None


def question_progress(events: list[dict]) -> dict[str, dict]:
    """Per question: answered, right now, wrong tries (answers and failed self-checks)."""
    questions: dict[str, dict] = {}
    for e in events:
        q = questions.setdefault(e["question"], {"answered": False, "correct": None, "wrong": 0, "checks": 0,
                                                 "attempts": 0})
        if e["event"] == "answer":
            q["answered"] = True
            q["attempts"] += e["count_attempt"]
            if e["correct"] is not None:
                q["correct"] = bool(e["correct"])
                q["wrong"] += e["correct"] == 0 and e["count_attempt"]
        else:
            q["checks"] += 1
            q["answered"] = q["answered"] or e["verdict"] in ("correct", "wrong")
            if e["verdict"] == "correct":
                q["correct"] = True
            elif e["verdict"] == "wrong":
                q["correct"] = False
                q["wrong"] += 1
    return questions


def _seconds_between(start: str, end: str) -> float:
    parse = lambda text: dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    return (parse(end) - parse(start)).total_seconds()


def progress_table(store: RecordStore, learners: list[str], modules: list[str],
                   submissions: dict[tuple[str, str], dict], duedates: dict[str, str | None],
                   now: str | None = None, late_rule=None) -> list[Progress]:
    """One row per learner and module. `submissions[(learner, module)]` holds "submitted_at" (UTC
    ISO text) and, once autograded, "score"; `duedates[module]` is nbgrader's due date (UTC ISO).
    Late is the course's late policy (`late_rule`, a `CourseLatePolicy`: its grace period), the
    same rule as grading and the exports."""
    from course.grade.late_policy import CourseLatePolicy

    now, late_rule = now or _now(), late_rule or CourseLatePolicy()
    rows = []
    for learner in learners:
        for module in modules:
            events = store.events(learner, module)
            row = Progress(learner, module, duedate=duedates.get(module))
            questions = question_progress(events)
            row.answered = sum(q["answered"] for q in questions.values())
            row.correct = sum(q["correct"] is True for q in questions.values())
            row.attempts = sum(q["attempts"] for q in questions.values())
            row.checks = sum(q["checks"] for q in questions.values())
            row.stuck = sorted(name for name, q in questions.items()
                               if q["correct"] is not True and q["wrong"] >= STUCK_AFTER)
            row.last_activity = events[-1]["at"] if events else None
            if events:
                row.status = "in progress"
            submission = submissions.get((learner, module))
            if submission:
                row.status = "graded" if submission.get("score") is not None else "submitted"
                row.submitted_at, row.score = submission.get("submitted_at"), submission.get("score")
            if row.duedate:
                row.late = late_rule.is_late(_seconds_between(row.duedate, row.submitted_at or now))
            rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------
# The cohort's state, as the service (root, on the hub's machine) sees it

def _iso(value) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def cohort_state(course_root: Path, exchange_course: Path, db_url: str) -> dict:
    """Released modules, due dates, and each (learner, module)'s submission: from the gradebook
    (graded, with its score) and the exchange's inbound folder (submitted, not yet collected)."""
    from nbgrader.api import Gradebook
    from nbgrader.utils import parse_utc

    modules, duedates, submissions = [], {}, {}
    inbound = Path(exchange_course) / "inbound"
    if inbound.is_dir():
        for entry in inbound.iterdir():
            parts = entry.name.split("+")
            if len(parts) < 3:
                continue
            try:
                stamp = _iso(parse_utc(parts[2]))
            except (ValueError, OverflowError, TypeError):
                continue
            mine = submissions.setdefault((parts[0], parts[1]), {"submitted_at": stamp})
            mine["submitted_at"] = max(mine["submitted_at"], stamp)
    state = {"modules": modules, "duedates": duedates, "submissions": submissions, "gradebook": None}
    if db_url.startswith("sqlite:///") and not Path(db_url.removeprefix("sqlite:///")).exists():
        return state  # nothing released yet (and never create a gradebook as root)
    try:
        with Gradebook(db_url, "coaching-lab") as gb:
            for assignment in sorted(gb.assignments, key=lambda a: a.name):
                modules.append(assignment.name)
                duedates[assignment.name] = _iso(assignment.duedate)
                for sub in assignment.submissions:
                    mine = submissions.setdefault((sub.student_id, assignment.name), {})
                    mine["submitted_at"] = mine.get("submitted_at") or _iso(sub.timestamp)
                    mine["score"] = f"{sub.score:g} / {sub.max_score:g}"
    except Exception as error:  # noqa: BLE001 - a busy or broken gradebook must not hide the live record
        state["gradebook"] = f"gradebook unavailable ({type(error).__name__}): grades and due dates not shown"
    return state


def group_members(name: str) -> list[str]:
    """Accounts in a Unix group, as a member or by their primary group."""
    import pwd

    try:
        group = grp.getgrnam(name)
    except KeyError:
        return []
    return sorted(set(group.gr_mem) | {u.pw_name for u in pwd.getpwall() if u.pw_gid == group.gr_gid})


DASHBOARD = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="60">
<title>Coaching Lab: who is stuck</title>
<style>
 body { font-family: system-ui, sans-serif; color: #222; margin: 1.5rem; }
 table { border-collapse: collapse; } th, td { border: 1px solid #ddd; padding: .35rem .5rem; vertical-align: top; }
 th { background: #f4f4f4; text-align: left; } .muted { color: #777; } .late { color: #a30; font-weight: 600; }
 .status { font-weight: 600; } .s-not-started { color: #777; } .s-in-progress { color: #8a5a00; }
 .s-submitted { color: #1f5fa8; } .s-graded { color: #2a7a2a; } .stuck { color: #a30; }
</style></head><body>
<h1>Who is stuck</h1>
<p><a href="{{ base }}calibration/">Calibration: agree on a rubric with another trainer, or read one question's answers in a row</a></p>
<p class="muted">Live from the learners' widget answers and self-checks (refreshes every minute; updated {{ now }} UTC).
A question counts as <span class="stuck">stuck</span> after {{ stuck_after }} wrong answers or failed self-checks
without a right one.</p>
{% if problem %}<p class="late">{{ problem }}</p>{% endif %}
<table id="progress">
<tr><th>Learner</th>{% for m in modules %}<th>{{ m }}<br><span class="muted">{% if duedates[m] %}due {{ duedates[m] }}{% else %}no due date{% endif %}</span></th>{% endfor %}</tr>
{% for learner in learners %}<tr data-learner="{{ learner }}"><td>{{ learner }}</td>
{% for m in modules %}{% set p = cells[(learner, m)] %}
<td data-module="{{ m }}"><span class="status s-{{ p.status|replace(' ', '-') }}">{{ p.status }}</span>
{% if p.late %} <span class="late">{% if p.submitted_at %}late{% else %}overdue{% endif %}</span>{% endif %}
{% if p.answered or p.checks %}<br>{{ p.answered }} answered, {{ p.correct }} right · {{ p.attempts }} attempt{{ "" if p.attempts == 1 else "s" }} · {{ p.checks }} self-check{{ "" if p.checks == 1 else "s" }}{% endif %}
{% if p.stuck %}<br><span class="stuck">stuck on {% for q in p.stuck %}{{ titles.get(m, {}).get(q) or q }}{% if not loop.last %}; {% endif %}{% endfor %}</span>{% endif %}
{% if p.score %}<br>score {{ p.score }}{% endif %}
{% if p.last_activity %}<br><span class="muted">last {{ p.last_activity }}</span>{% endif %}</td>{% endfor %}</tr>
{% else %}<tr><td class="muted">No learners yet.</td></tr>{% endfor %}
</table></body></html>
"""


def render_dashboard(rows: list[Progress], learners: list[str], modules: list[str], duedates: dict,
                     problem: str | None = None, base: str = f"/services/{SERVICE_NAME}/",
                     titles: dict[str, dict[str, str]] | None = None) -> str:
    """The who-is-stuck page; `titles[module][question id]` is the heading a learner sees (else the id)."""
    import jinja2

    template = jinja2.Environment(autoescape=True).from_string(DASHBOARD)
    return template.render(learners=learners, modules=modules, duedates=duedates, now=_now(), problem=problem, base=base,
                           cells={(r.learner, r.module): r for r in rows}, stuck_after=STUCK_AFTER,
                           titles=titles or {})


# ---------------------------------------------------------------------------------------------
# The service

def main(argv: list[str] | None = None) -> None:
    """Run the service (JupyterHub starts it; see deploy/jupyterhub_config.py)."""
    import argparse
    import asyncio
    from urllib.parse import quote, urlparse

    from jupyterhub.services.auth import HubAuth, HubOAuthCallbackHandler, HubOAuthenticated
    from jupyterhub.utils import url_path_join
    from tornado import web

    parser = argparse.ArgumentParser(prog="python -m course.hub_records")
    parser.add_argument("--store", type=Path, required=True, help="sqlite file (root only)")
    parser.add_argument("--course", type=Path, required=True, help="the trainers' course folder")
    parser.add_argument("--exchange-course", type=Path, required=True, help="<exchange>/<course id>")
    parser.add_argument("--db-url", default=None, help="the course gradebook (default: sqlite in the course)")
    parser.add_argument("--learners-group", required=True)
    parser.add_argument("--trainers-group", required=True)
    args = parser.parse_args(argv)
    store = RecordStore(args.store)
    db_url = args.db_url or f"sqlite:///{args.course / 'grading' / 'gradebook.db'}"
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", f"/services/{SERVICE_NAME}/")
    token_auth = HubAuth(cache_max_age=60)

    def is_trainer(name: str) -> bool:
        return name in group_members(args.trainers_group)

    class TokenHandler(web.RequestHandler):
        """API calls from kernels and trainers' commands: the hub names the token's owner."""

        async def owner(self) -> str:
            match = token_auth.auth_header_pat.match(self.request.headers.get("Authorization", ""))
            model = match and await token_auth.user_for_token(match.group(1), sync=False)
            if not model or model.get("kind", "user") != "user":
                raise web.HTTPError(403, "a learner's or trainer's token is needed")
            return model["name"]

        def check_xsrf_cookie(self) -> None:  # token-authenticated API: no cookies involved
            return

    class Records(TokenHandler):
        async def post(self) -> None:
            learner = await self.owner()
            if learner not in group_members(args.learners_group):
                self.set_status(204)  # a trainer trying a module: nothing to record
                return
            if len(self.request.body) > MAX_EVENT_BYTES:
                raise web.HTTPError(413, "event too large")
            try:
                row = store.add(learner, json.loads(self.request.body))
            except (BadEvent, ValueError) as error:
                raise web.HTTPError(400, str(error)) from None
            export_answers(store, args.course, learner, row["module"], args.trainers_group)
            self.set_status(201)

    def progress() -> tuple[list[Progress], list[str], list[str], dict, str | None]:
        from course.grade.late_policy import CourseLatePolicy, policy_read_not_run

        state = cohort_state(args.course, args.exchange_course, db_url)
        problems = [state["gradebook"]] if state["gradebook"] else []
        try:
            late_rule = policy_read_not_run(args.course)
        except (ValueError, SyntaxError, OSError) as error:
            late_rule = CourseLatePolicy()
            problems.append(f"late policy unreadable, no grace period applied: {error}")
        learners = group_members(args.learners_group)
        modules = sorted(set(state["modules"]) | {m for _, m in store.pairs()})
        rows = progress_table(store, learners, modules, state["submissions"], state["duedates"], late_rule=late_rule)
        return rows, learners, modules, state["duedates"], "; ".join(problems) or None

    class TrainerApi(TokenHandler):
        async def trainer(self) -> None:
            if not is_trainer(await self.owner()):
                raise web.HTTPError(403, "trainers only")

    class ProgressApi(TrainerApi):
        async def get(self) -> None:
            await self.trainer()
            rows, *_ = progress()
            self.write({"progress": [r.__dict__ for r in rows]})

    class ExportApi(TrainerApi):
        async def post(self) -> None:
            await self.trainer()
            written = export_answers(store, args.course, group=args.trainers_group)
            self.write({"written": [str(p) for p in written]})

    class Dashboard(HubOAuthenticated, web.RequestHandler):
        @web.authenticated
        def get(self) -> None:
            if not is_trainer(self.get_current_user()["name"]):
                raise web.HTTPError(403, "The dashboard is for the cohort's trainers.")
            from course.grade.report import question_titles

            rows, learners, modules, duedates, problem = progress()
            titles = {module: question_titles(args.course, module) for module in modules}
            self.write(render_dashboard(rows, learners, modules, duedates, problem, base=prefix, titles=titles))

    from html import escape

    from markupsafe import Markup

    from course.hub_calibration import Calibration, Refused, gradebook_as, scores_from_form

    # the gradebook is read and written as the trainer who asks, never as root (see gradebook_as)
    calibration = Calibration(store.db, args.course, lambda: group_members(args.trainers_group), base=prefix,
                              db_url=db_url, gradebook=gradebook_as)

    class CalibrationPage(HubOAuthenticated, web.RequestHandler):
        """The calibration pages (course.hub_calibration): the hub signs the trainer in, the
        `Calibration` object decides what they may see; forms carry tornado's XSRF token."""

        def user(self) -> str:
            return self.get_current_user()["name"]

        def csrf(self) -> Markup:
            return Markup(self.xsrf_form_html())

        def show(self, page) -> None:
            try:
                self.write(page())
            except Refused as refused:
                raise web.HTTPError(refused.status, str(refused)) from None

        def write_error(self, status_code: int, **kwargs) -> None:
            error = kwargs.get("exc_info", (None, None))[1]
            self.finish(f"<!doctype html><meta charset='utf-8'><title>Coaching Lab</title><p>{status_code}: "
                        + escape(getattr(error, "log_message", None) or self._reason) + "</p>")

    class CalibrationIndex(CalibrationPage):
        @web.authenticated
        def get(self) -> None:
            self.show(lambda: calibration.page_index(self.user(), self.csrf()))

        @web.authenticated
        def post(self) -> None:
            module, _, grade_id = self.get_body_argument("question", "").partition("/")
            try:
                size = int(self.get_body_argument("size", "") or 5)
                seed = self.get_body_argument("seed", "")
                number = calibration.start(self.user(), module, grade_id, self.get_body_argument("partner", ""),
                                           size=size, seed=int(seed) if seed else None)
            except ValueError:
                raise web.HTTPError(400, "The sample size and the seed must be whole numbers.") from None
            except Refused as refused:
                raise web.HTTPError(refused.status, str(refused)) from None
            self.redirect(url_path_join(prefix, f"calibration/{number}"))

    class CalibrationRound(CalibrationPage):
        @web.authenticated
        def get(self, number: str) -> None:
            self.show(lambda: calibration.page_round(self.user(), int(number), self.csrf()))

        @web.authenticated
        def post(self, number: str) -> None:
            finish = self.get_body_argument("action", "save") == "finish"
            try:
                form = {name: [v.decode("utf-8", "replace") for v in values]
                        for name, values in self.request.body_arguments.items()}
                calibration.save(self.user(), int(number), scores_from_form(form), finish=finish)
            except Refused as refused:
                if refused.status != 400:
                    raise web.HTTPError(refused.status, str(refused)) from None
                self.set_status(400)
                self.show(lambda: calibration.page_round(self.user(), int(number), self.csrf(), message=str(refused)))
                return
            self.redirect(url_path_join(prefix, f"calibration/{number}"))

    class CalibrationAgreement(CalibrationPage):
        @web.authenticated
        def get(self, number: str) -> None:
            self.show(lambda: calibration.page_agreement(self.user(), int(number)))

    class CalibrationQuestion(CalibrationPage):
        @web.authenticated
        def get(self, module: str, grade_id: str) -> None:
            saved = self.get_query_argument("saved", "")
            self.show(lambda: calibration.page_question(self.user(), module, grade_id, self.csrf(), saved=saved))

        @web.authenticated
        def post(self, module: str, grade_id: str) -> None:
            learner = self.get_body_argument("learner", "")
            try:
                calibration.grade(self.user(), module, grade_id, learner, self.get_body_argument("score", ""),
                                  self.get_body_argument("comment", ""))
            except Refused as refused:
                if refused.status not in (400, 409):
                    raise web.HTTPError(refused.status, str(refused)) from None
                self.set_status(refused.status)
                self.show(lambda: calibration.page_question(self.user(), module, grade_id, self.csrf(),
                                                            message=str(refused)))
                return
            self.redirect(url_path_join(prefix, f"calibration/question/{module}/{grade_id}")
                          + f"?saved={quote(learner)}#learner-{quote(learner)}")

    app = web.Application([
        (url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler),
        (url_path_join(prefix, "api/records"), Records),
        (url_path_join(prefix, "api/progress"), ProgressApi),
        (url_path_join(prefix, "api/export"), ExportApi),
        (url_path_join(prefix, "calibration/?"), CalibrationIndex),
        (url_path_join(prefix, r"calibration/(\d{1,9})/?"), CalibrationRound),
        (url_path_join(prefix, r"calibration/(\d{1,9})/agreement/?"), CalibrationAgreement),
        (url_path_join(prefix, r"calibration/question/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)/?"), CalibrationQuestion),
        (prefix.rstrip("/") + "/?", Dashboard),
    ], cookie_secret=os.urandom(32), xsrf_cookies=True)
    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])

    async def serve() -> None:
        app.listen(url.port, url.hostname)
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
