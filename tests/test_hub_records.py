"""The widget-records service's parts that need no hub: the client, the store, the export, who is stuck."""
from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from course import records
from course.answers import AnswerStore
from course.hub_records import BadEvent, RecordStore, export_answers, progress_table, render_dashboard


@pytest.fixture
def service(monkeypatch):
    """A stand-in record service on a free port that keeps what it is sent."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append((self.path, self.headers["Authorization"],
                             json.loads(self.rfile.read(int(self.headers["Content-Length"])))))
            self.send_response(201)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv(records.URL_VARIABLE, f"http://127.0.0.1:{server.server_port}/services/widget-records/")
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "learner-token")
    yield received
    server.shutdown()


def test_an_answer_on_a_hub_reaches_the_service_with_the_learners_token(service, tmp_path):
    store = AnswerStore(tmp_path / "01-mod.answers.json", "01-mod")
    store.record("m01_pick", "Ask first", correct=False, kind="choice")
    records.flush()
    assert service == [("/services/widget-records/api/records", "token learner-token",
                        {"event": "answer", "module": "01-mod", "question": "m01_pick", "answer": "Ask first",
                         "correct": False, "kind": "choice", "count_attempt": True})]


def test_outside_a_hub_nothing_is_sent_and_a_dead_service_never_blocks(monkeypatch, tmp_path):
    monkeypatch.delenv(records.URL_VARIABLE, raising=False)
    assert not records.enabled()
    records.send("answer", "01-mod", "q1", answer=1)  # no-op
    monkeypatch.setenv(records.URL_VARIABLE, "http://127.0.0.1:9/")  # nothing listens on port 9
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "t")
    store = AnswerStore(tmp_path / "01-mod.answers.json", "01-mod")
    store.record("q1", 3, correct=True)  # returns at once; the failure is dropped
    records.flush()
    assert json.loads((tmp_path / "01-mod.answers.json").read_text())["questions"]["q1"]["answer"] == 3


def _events(store: RecordStore) -> None:
    at = iter(f"2026-11-30T10:0{i}:00Z" for i in range(10))
    store.add("ana", {"event": "answer", "module": "01-mod", "question": "q_pick", "answer": "Tell", "correct": False,
                      "kind": "choice"}, next(at))
    store.add("ana", {"event": "answer", "module": "01-mod", "question": "q_pick", "answer": "Tell", "correct": False,
                      "kind": "choice"}, next(at))
    store.add("ana", {"event": "answer", "module": "01-mod", "question": "q_sort", "answer": {"a": "x"},
                      "correct": None, "count_attempt": False}, next(at))
    store.add("ana", {"event": "check", "module": "01-mod", "question": "q_sum", "verdict": "wrong"}, next(at))
    store.add("ben", {"event": "answer", "module": "01-mod", "question": "q_pick", "answer": "Ask", "correct": True,
                      "kind": "choice"}, next(at))


def test_export_is_the_answers_file_format_rebuilt_from_events(tmp_path):
    store = RecordStore(tmp_path / "records.sqlite")
    _events(store)
    written = export_answers(store, tmp_path / "course")
    assert sorted(p.relative_to(tmp_path / "course").as_posix() for p in written) == [
        "widget-records/ana/01-mod.answers.json", "widget-records/ben/01-mod.answers.json"]
    ana = json.loads((tmp_path / "course/widget-records/ana/01-mod.answers.json").read_text())
    assert ana["format"] == "coaching-lab-answers/1" and ana["module"] == "01-mod"
    pick = ana["questions"]["q_pick"]
    assert (pick["answer"], pick["attempts"], pick["correct"], pick["wrong_answers"]) == ("Tell", 2, False, ["Tell"])
    assert (pick["first_answered"], pick["last_answered"]) == ("2026-11-30T10:00:00Z", "2026-11-30T10:01:00Z")
    assert ana["questions"]["q_sort"] == {"answer": {"a": "x"}, "attempts": 0, "wrong_answers": [],
                                          "first_answered": "2026-11-30T10:02:00Z",
                                          "last_answered": "2026-11-30T10:02:00Z"}
    # the same document a learner's own store reads without complaint
    reread = AnswerStore(tmp_path / "course/widget-records/ana/01-mod.answers.json", "01-mod")
    assert reread.answer("q_pick") == "Tell" and reread.problem("q_pick") is None


def test_export_never_follows_a_symlink(tmp_path):
    store = RecordStore(tmp_path / "records.sqlite")
    _events(store)
    (tmp_path / "course").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "course" / "widget-records").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OSError, match="symbolic link"):
        export_answers(store, tmp_path / "course")
    assert not any((tmp_path / "elsewhere").iterdir())


@pytest.mark.parametrize("body, why", [
    ({"event": "delete", "module": "m", "question": "q"}, "'event'"),
    ({"event": "answer", "module": "../x", "question": "q"}, "'module'"),
    ({"event": "answer", "module": "m", "question": "q", "correct": "yes"}, "'correct'"),
    (["not", "an", "object"], "JSON object"),
])
def test_bad_events_are_refused_with_a_reason(tmp_path, body, why):
    with pytest.raises(BadEvent, match=why):
        RecordStore(tmp_path / "r.sqlite").add("ana", body)


def test_who_is_stuck_per_learner_and_module(tmp_path):
    store = RecordStore(tmp_path / "records.sqlite")
    _events(store)
    submissions = {("ben", "01-mod"): {"submitted_at": "2026-12-02T09:00:00Z"},
                   ("caro", "00-start"): {"submitted_at": "2026-11-01T09:00:00Z", "score": "3 / 4"}}
    duedates = {"00-start": "2026-11-02T00:00:00Z", "01-mod": "2026-12-01T00:00:00Z"}
    rows = {(r.learner, r.module): r for r in progress_table(
        store, ["ana", "ben", "caro"], ["00-start", "01-mod"], submissions, duedates, now="2026-11-30T12:00:00Z")}
    ana = rows[("ana", "01-mod")]
    assert (ana.status, ana.answered, ana.attempts, ana.checks, ana.late) == ("in progress", 3, 2, 1, False)
    assert ana.stuck == ["q_pick"]                 # two wrong answers; q_sum failed only one self-check
    assert rows[("ben", "01-mod")].status == "submitted" and rows[("ben", "01-mod")].late  # after the due date
    assert rows[("caro", "00-start")].status == "graded" and not rows[("caro", "00-start")].late
    assert rows[("ana", "00-start")].status == "not started" and rows[("ana", "00-start")].late  # overdue
    page = render_dashboard(list(rows.values()), ["ana", "ben", "caro"], ["00-start", "01-mod"], duedates)
    assert "stuck on q_pick" in page and "overdue" in page and "due 2026-12-01T00:00:00Z" in page
    assert re.search(r"2 attempts · 1 self-check(?!s)", page)     # plural only where it is
    titled = render_dashboard(list(rows.values()), ["ana", "ben", "caro"], ["00-start", "01-mod"], duedates,
                              titles={"01-mod": {"q_pick": "Exercise 2 · Pick <one>"}})
    assert "stuck on Exercise 2 · Pick &lt;one&gt;" in titled and "stuck on q_pick" not in titled


def test_the_dashboard_escapes_what_learners_named(tmp_path):
    store = RecordStore(tmp_path / "records.sqlite")
    rows = progress_table(store, ["<script>x</script>"], ["01-mod"], {}, {})
    assert "<script>x" not in render_dashboard(rows, ["<script>x</script>"], ["01-mod"], {})


def test_submissions_waiting_in_the_exchange_count_as_submitted(tmp_path):
    from course.hub_records import cohort_state

    inbound = tmp_path / "exchange" / "coaching-lab" / "inbound"
    for name in ("ana+01-mod+2026-11-30 10:00:00.000000 UTC+x1", "ana+01-mod+2026-11-30 11:30:00.000000 UTC+x2",
                 "ben+01-mod+not a time+x3", "stray-file"):
        (inbound / name).mkdir(parents=True)
    state = cohort_state(tmp_path / "course", inbound.parent, f"sqlite:///{tmp_path / 'no-gradebook.db'}")
    assert state["submissions"] == {("ana", "01-mod"): {"submitted_at": "2026-11-30T11:30:00Z"}}
    assert not (tmp_path / "no-gradebook.db").exists()


def test_the_dashboard_flags_late_by_the_course_late_policy_with_its_grace(tmp_path):
    from course.grade.late_policy import policy_read_not_run

    (tmp_path / "course" / "grading").mkdir(parents=True)
    (tmp_path / "course" / "grading" / "nbgrader_config.py").write_text(
        "import os\nc = get_config()\nos.system('touch ran')\n"
        "c.CourseLatePolicy.grace_minutes = 60\nc.CourseLatePolicy.percent_per_day = 10\n")
    rule = policy_read_not_run(tmp_path / "course")
    assert rule.grace_minutes == 60 and not (tmp_path / "ran").exists()  # read, never run (the service is root)
    due = {"01-mod": "2026-12-01T00:00:00Z"}
    submissions = {("ana", "01-mod"): {"submitted_at": "2026-12-01T00:30:00Z"},   # within the hour's grace
                   ("ben", "01-mod"): {"submitted_at": "2026-12-01T01:30:00Z"}}   # after it
    rows = {r.learner: r for r in progress_table(RecordStore(tmp_path / "r.sqlite"), ["ana", "ben", "caro", "dan"],
                                                  ["01-mod"], submissions, due, now="2026-12-01T00:45:00Z",
                                                  late_rule=rule)}
    assert (rows["ana"].late, rows["ben"].late, rows["caro"].late) == (False, True, False)  # caro: still in grace
    later = progress_table(RecordStore(tmp_path / "r.sqlite"), ["caro"], ["01-mod"], {}, due,
                           now="2026-12-01T01:01:00Z", late_rule=rule)
    assert later[0].late  # overdue once the grace is over


def test_a_late_policy_the_service_cannot_read_without_running_it_is_refused_with_its_line(tmp_path):
    from course.grade.late_policy import policy_read_not_run

    (tmp_path / "grading").mkdir()
    (tmp_path / "grading" / "nbgrader_config.py").write_text("c = get_config()\nc.CourseLatePolicy.grace_minutes = 6 * 10\n")
    with pytest.raises(ValueError, match="line 2: CourseLatePolicy.grace_minutes must be a plain number"):
        policy_read_not_run(tmp_path)
    assert policy_read_not_run(tmp_path / "nowhere").grace_minutes == 0


def test_the_courses_own_late_policy_is_what_the_service_reads():
    from course.grade.late_policy import policy, policy_read_not_run
    from course.paths import REPO

    read, run = policy_read_not_run(REPO), policy()
    assert (read.grace_minutes, read.percent_per_day, read.zero_after_days) == (
        run.grace_minutes, run.percent_per_day, run.zero_after_days)
