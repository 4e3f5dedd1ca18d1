"""Calibration: trainers agree on a rubric before they grade a cohort.

Pages of the hub's record service (`course.hub_records`), for trainers only:

- **One question in a row** (`calibration/question/<module>/<grade_id>`): every collected answer to
  one question graded by hand, each with the question's rubric and its model answer beside it, and
  for each autograded answer a score and a comment, prefilled from nbgrader's gradebook and saved
  into it as formgrader saves them (`save_manual_grade`). The service runs as root, so it never
  opens the gradebook itself: it runs `python -m course.hub_calibration gradebook` as the trainer
  who asks (`runuser`, umask 007, see `gradebook_as`), so the gradebook sees that trainer's
  permissions and any file sqlite makes belongs to that trainer, as with formgrader.
- **A calibration round** (`calibration/`): a trainer picks a question and a second trainer; the
  service draws a seeded sample of the collected answers (5 by default, all if fewer) and keeps a
  copy of them, so both score the same text. Each trainer scores each answer per rubric point
  (not met / partly / met), blind: they see neither the learner's name nor the other's scores.
  A trainer's scores are locked once they finish.
- **Agreement** (`calibration/<id>/agreement`), once both have finished: per rubric point and
  overall, the two trainers' scores side by side, exact agreement and the mean absolute
  difference, and the answers where they differ most (with the learner's name, to talk it over).

Rubric and model answer come from the course's source notebook (`modules/<m>/<m>.ipynb`), as
`course.self_assess` reads them; answers from nbgrader's collected copies (`submitted/`). A
learner's answer is shown as text (jinja2 autoescape), never as markup. Everything but the tornado
handlers (in `course.hub_records.main`) is a plain function or the `Calibration` class, tested
without a hub.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import random
import re
import sqlite3
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from course.solutions import NBGRADER_PLACEHOLDER, _rubric, hand_graded_questions

SAMPLE_SIZE = 5
LEVELS = ((0.0, "not met"), (0.5, "partly"), (1.0, "met"))  # share of a rubric point's worth
NO_RUBRIC = "Overall (this question states no rubric: compare with the model answer)"
MODULE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
MOST_APART = 3
TEMPLATES = Path(__file__).parent / "templates"

SCHEMA = """
CREATE TABLE IF NOT EXISTS calibration_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT, module TEXT NOT NULL, question TEXT NOT NULL,
    title TEXT NOT NULL, prompt TEXT NOT NULL, points REAL NOT NULL, rubric TEXT NOT NULL, model TEXT NOT NULL,
    trainers TEXT NOT NULL, seed INTEGER NOT NULL, started_by TEXT NOT NULL, started_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS calibration_answers (
    round INTEGER NOT NULL, item INTEGER NOT NULL, learner TEXT NOT NULL, answer TEXT NOT NULL,
    PRIMARY KEY (round, item)
);
CREATE TABLE IF NOT EXISTS calibration_scores (
    round INTEGER NOT NULL, trainer TEXT NOT NULL, item INTEGER NOT NULL, point INTEGER NOT NULL,
    score REAL NOT NULL, at TEXT NOT NULL, PRIMARY KEY (round, trainer, item, point)
);
CREATE TABLE IF NOT EXISTS calibration_finished (
    round INTEGER NOT NULL, trainer TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (round, trainer)
);
"""


class Refused(Exception):
    """A request the calibration pages refuse: `status` (HTTP) and a message saying why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------
# Questions and answers, from the course folder

@dataclass(frozen=True)
class Question:
    module: str
    grade_id: str
    title: str
    prompt: str
    points: float
    rubric: tuple[str, ...]
    model: str

    @property
    def worth(self) -> float:
        """Points per rubric point (the question's points shared equally)."""
        return self.points / len(self.rubric)


def _read_notebook(path: Path):
    """A notebook read as data, never through a symbolic link (the service runs as root)."""
    import nbformat

    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, encoding="utf-8") as handle:
        return nbformat.read(handle, as_version=4)


def course_questions(course_root: Path) -> list[Question]:
    """Each question graded by hand in the course's source notebooks, with its rubric and model answer."""
    found = []
    for notebook in sorted(Path(course_root, "modules").glob("*/*.ipynb")):
        if notebook.stem != notebook.parent.name:
            continue
        nb = _read_notebook(notebook)
        points = {c.metadata.get("nbgrader", {}).get("grade_id"): c.metadata["nbgrader"].get("points", 0)
                  for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}
        for grade_id, prompt, model in hand_graded_questions(nb):
            title = next((line.lstrip("# ").strip() for line in prompt.splitlines() if line.startswith("#")), grade_id)
            rubric = tuple(_rubric(prompt)) or (NO_RUBRIC,)
            found.append(Question(notebook.stem, grade_id, title, prompt.strip(), float(points.get(grade_id) or 0),
                                  rubric, _without_model_note(model)))
    return found


def _without_model_note(model: str) -> str:
    from course.solutions import MODEL_ANSWER_NOTE

    return MODEL_ANSWER_NOTE.sub("", model).strip()


def collected_answers(course_root: Path, module: str, grade_id: str) -> dict[str, str]:
    """{learner: answer text} for one question, from nbgrader's collected notebooks
    (`submitted/<learner>/<module>/<module>.ipynb`); unanswered (placeholder only) left out."""
    return {learner: answers[grade_id] for learner, answers in collected_module(course_root, module).items()
            if grade_id in answers}


def collected_module(course_root: Path, module: str) -> dict[str, dict[str, str]]:
    """{learner: {grade_id: answer text}} of the hand-graded answers in one module's collected notebooks,
    each notebook read once; never through a symbolic link."""
    if not MODULE_NAME.match(module):
        raise Refused(404, "no such module")
    submitted = Path(course_root, "submitted")
    found: dict[str, dict[str, str]] = {}
    if not submitted.is_dir() or submitted.is_symlink():
        return found
    for folder in sorted(submitted.iterdir()):
        if folder.is_symlink() or (folder / module).is_symlink():
            continue
        try:
            nb = _read_notebook(folder / module / f"{module}.ipynb")
        except (OSError, ValueError):
            continue  # not submitted, or not a notebook: nothing to calibrate on
        answers = {}
        for cell in nb.cells:
            meta = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
            meta = meta.get("nbgrader") if isinstance(meta.get("nbgrader"), dict) else {}
            grade_id, source = meta.get("grade_id"), cell.get("source")
            if meta.get("solution") and cell.get("cell_type") == "markdown" and isinstance(grade_id, str) \
                    and isinstance(source, str) and grade_id not in answers:
                answers[grade_id] = source.replace(NBGRADER_PLACEHOLDER, "").strip()
        found[folder.name] = {gid: text for gid, text in answers.items() if text}
    return found


# ---------------------------------------------------------------------------------------------
# Rounds, scores, agreement

@dataclass
class Round:
    id: int
    question: Question
    trainers: tuple[str, str]
    seed: int
    started_by: str
    started_at: str
    items: list[tuple[str, str]]      # (learner, answer) in the order shown, "Answer 1" first
    finished: dict[str, str]          # trainer -> when

    @property
    def complete(self) -> bool:
        return all(t in self.finished for t in self.trainers)


class Calibration:
    """Calibration rounds in the service's sqlite file; every method checks who is asking."""

    def __init__(self, db: sqlite3.Connection, course_root: Path, trainers: Callable[[], list[str]],
                 base: str = "/services/widget-records/", db_url: str | None = None,
                 gradebook: Callable[[str, dict], dict] | None = None) -> None:
        """`trainers()` names the cohort's trainers (asked afresh each time); `base` is the service's URL path;
        `db_url` nbgrader's gradebook (None: no grading on the question page); `gradebook(trainer, request)`
        answers a `gradebook_request` as that trainer (default: in this process; the hub service passes
        `gradebook_as`)."""
        self.db, self.course_root, self.trainers, self.base = db, Path(course_root), trainers, base
        self.db_url, self.gradebook = db_url, gradebook or (lambda trainer, request: gradebook_request(request))
        self.db.executescript(SCHEMA)

    def _render(self, template: str, **context) -> str:
        return render(template, base=self.base, hub_prefix=self.base.split("services/")[0], **context)

    # who may do what
    def _trainer(self, user: str) -> None:
        if user not in self.trainers():
            raise Refused(403, "Calibration is for the cohort's trainers.")

    def question(self, module: str, grade_id: str) -> Question:
        question = next((q for q in course_questions(self.course_root)
                         if (q.module, q.grade_id) == (module, grade_id)), None)
        if question is None:
            raise Refused(404, f"{module} has no question graded by hand called {grade_id!r}")
        return question

    # rounds
    def start(self, user: str, module: str, grade_id: str, partner: str, size: int = SAMPLE_SIZE,
              seed: int | None = None) -> int:
        """A new round for `user` and `partner` on a seeded sample of the collected answers."""
        self._trainer(user)
        if partner == user or partner not in self.trainers():
            raise Refused(400, "Pick another trainer of the cohort to calibrate with.")
        if not 1 <= size <= 50:
            raise Refused(400, "The sample size must be between 1 and 50 answers.")
        question = self.question(module, grade_id)
        answers = collected_answers(self.course_root, module, grade_id)
        if not answers:
            raise Refused(400, f"No collected answer to {question.title} yet: collect {module} first "
                               "(`course grade collect`).")
        seed = random.SystemRandom().randrange(1, 10**6) if seed is None else int(seed)
        sample = random.Random(seed).sample(sorted(answers), min(size, len(answers)))
        with self.db:
            cursor = self.db.execute(
                "INSERT INTO calibration_rounds (module, question, title, prompt, points, rubric, model, trainers, "
                "seed, started_by, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (module, grade_id, question.title, question.prompt, question.points, json.dumps(question.rubric),
                 question.model, json.dumps([user, partner]), seed, user, _now()))
            number = cursor.lastrowid
            self.db.executemany("INSERT INTO calibration_answers VALUES (?, ?, ?, ?)",
                                [(number, item, who, answers[who]) for item, who in enumerate(sample)])
        return number

    def rounds(self, user: str) -> list[Round]:
        self._trainer(user)
        return [self._round(number) for (number,) in self.db.execute("SELECT id FROM calibration_rounds ORDER BY id DESC")]

    def _round(self, number: int) -> Round:
        row = self.db.execute("SELECT module, question, title, prompt, points, rubric, model, trainers, seed, "
                              "started_by, started_at FROM calibration_rounds WHERE id = ?", (number,)).fetchone()
        if row is None:
            raise Refused(404, f"No calibration round {number}.")
        module, grade_id, title, prompt, points, rubric, model, trainers, seed, started_by, started_at = row
        items = list(self.db.execute("SELECT learner, answer FROM calibration_answers WHERE round = ? ORDER BY item",
                                     (number,)))
        finished = dict(self.db.execute("SELECT trainer, at FROM calibration_finished WHERE round = ?", (number,)))
        question = Question(module, grade_id, title, prompt, points, tuple(json.loads(rubric)), model)
        return Round(number, question, tuple(json.loads(trainers)), seed, started_by, started_at, items, finished)

    def round(self, user: str, number: int) -> Round:
        self._trainer(user)
        return self._round(number)

    # scores
    def _scores(self, number: int, trainer: str) -> dict[tuple[int, int], float]:
        return {(item, point): score for item, point, score in self.db.execute(
            "SELECT item, point, score FROM calibration_scores WHERE round = ? AND trainer = ?", (number, trainer))}

    def my_scores(self, user: str, number: int) -> dict[tuple[int, int], float]:
        """The asking trainer's own scores: never the other trainer's (the round is blind)."""
        self.round(user, number)
        return self._scores(number, user)

    def save(self, user: str, number: int, scores: dict[tuple[int, int], float], finish: bool = False) -> None:
        """Store `user`'s scores (each a level of the rubric point's worth); `finish` locks them,
        once every rubric point of every answer has a score."""
        round_ = self.round(user, number)
        if user not in round_.trainers:
            raise Refused(403, f"This round is {' and '.join(round_.trainers)}'s; start your own to calibrate.")
        if user in round_.finished:
            raise Refused(409, "You have finished this round: your scores are locked.")
        allowed = {share * round_.question.worth for share, _ in LEVELS}
        for (item, point), score in scores.items():
            if not (0 <= item < len(round_.items) and 0 <= point < len(round_.question.rubric)):
                raise Refused(400, f"Answer {item + 1}, rubric point {point + 1} is not in this round.")
            if score not in allowed:
                raise Refused(400, f"Answer {item + 1}, rubric point {point + 1}: a score must be one of "
                                   f"{', '.join(f'{a:g}' for a in sorted(allowed))}.")
        with self.db:
            self.db.executemany(
                "INSERT INTO calibration_scores VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (round, trainer, item, point) "
                "DO UPDATE SET score = excluded.score, at = excluded.at",
                [(number, user, item, point, score, _now()) for (item, point), score in scores.items()])
        if finish:  # the scores above are kept either way
            mine = self._scores(number, user)
            missing = [f"answer {i + 1} point {p + 1}" for i in range(len(round_.items))
                       for p in range(len(round_.question.rubric)) if (i, p) not in mine]
            if missing:
                raise Refused(400, "Score every rubric point of every answer before you finish; missing: "
                                   + ", ".join(missing) + ".")
            with self.db:
                self.db.execute("INSERT INTO calibration_finished VALUES (?, ?, ?)", (number, user, _now()))

    def agreement(self, user: str, number: int) -> dict:
        """Both trainers' scores side by side, per rubric point and overall; only once both have finished."""
        round_ = self.round(user, number)
        if not round_.complete:
            waiting = [t for t in round_.trainers if t not in round_.finished]
            raise Refused(409, f"Agreement is shown once both trainers have finished; waiting for {', '.join(waiting)}.")
        first, second = (self._scores(number, t) for t in round_.trainers)
        items, points = range(len(round_.items)), range(len(round_.question.rubric))

        def compare(pairs: list[tuple[float, float]]) -> dict:
            same = sum(a == b for a, b in pairs)
            return {"n": len(pairs), "same": same, "percent": 100 * same / len(pairs),
                    "mad": statistics.fmean(abs(a - b) for a, b in pairs)}

        per_point = [{"text": text, "scores": [(first[i, p], second[i, p]) for i in items],
                      **compare([(first[i, p], second[i, p]) for i in items])}
                     for p, text in enumerate(round_.question.rubric)]
        totals = [(sum(first[i, p] for p in points), sum(second[i, p] for p in points)) for i in items]
        apart = sorted(((sum(abs(first[i, p] - second[i, p]) for p in points), i) for i in items), reverse=True)
        return {"round": round_, "per_point": per_point, "totals": totals,
                "overall": compare([(first[i, p], second[i, p]) for i in items for p in points]),
                "totals_mad": statistics.fmean(abs(a - b) for a, b in totals),
                "most_apart": [{"item": i, "learner": round_.items[i][0], "answer": round_.items[i][1],
                                "difference": gap, "scores": [(first[i, p], second[i, p]) for p in points]}
                               for gap, i in apart[:MOST_APART] if gap > 0]}

    # pages
    def page_index(self, user: str, csrf: str = "") -> str:
        rounds = self.rounds(user)
        collected: dict[str, dict] = {}
        questions = []
        for q in course_questions(self.course_root):
            if q.module not in collected:
                collected[q.module] = collected_module(self.course_root, q.module)
            questions.append((q, sum(q.grade_id in answers for answers in collected[q.module].values())))
        return self._render("calibration_index.html.j2", user=user, rounds=rounds, questions=questions,
                      partners=[t for t in self.trainers() if t != user], sample_size=SAMPLE_SIZE, csrf=csrf)

    def page_round(self, user: str, number: int, csrf: str = "", message: str = "") -> str:
        round_ = self.round(user, number)
        return self._render("calibration_round.html.j2", user=user, round=round_, levels=LEVELS,
                      scores=self._scores(number, user) if user in round_.trainers else {},
                      csrf=csrf, message=message)

    def page_agreement(self, user: str, number: int) -> str:
        return self._render("calibration_agreement.html.j2", user=user, **self.agreement(user, number))

    def grades(self, user: str, module: str, grade_id: str) -> dict[str, dict]:
        """{learner: gradebook entry} of every autograded submission's grade of this question (see
        `gradebook_grades`), read as `user`; {} without a gradebook."""
        self._trainer(user)
        if not self.db_url:
            return {}
        return self._ask(user, {"op": "read", "db_url": self.db_url, "module": module, "grade_id": grade_id})

    def _ask(self, user: str, request: dict):
        answer = self.gradebook(user, request)
        if "error" in answer:
            raise Refused(answer.get("status", 502), answer["error"])
        return answer["result"]

    def grade(self, user: str, module: str, grade_id: str, learner: str, score: str, comment: str) -> dict:
        """Save `user`'s manual score (text from the form; empty: no manual score, as formgrader) and
        comment for `learner`'s answer into nbgrader's gradebook; returns the entry as saved."""
        self._trainer(user)
        question = self.question(module, grade_id)
        if not MODULE_NAME.match(learner or ""):
            raise Refused(400, "Which learner? The form names none.")
        if not self.db_url:
            raise Refused(409, "This hub's service has no gradebook to save into.")
        value = parse_score(learner, score, question.points)
        if len(comment) > MAX_COMMENT:
            raise Refused(400, f"{learner}: the comment is longer than {MAX_COMMENT} characters.")
        return self._ask(user, {"op": "save", "db_url": self.db_url, "module": module, "grade_id": grade_id,
                                "learner": learner, "score": value, "comment": comment})

    def page_question(self, user: str, module: str, grade_id: str, csrf: str = "", message: str = "",
                      saved: str = "") -> str:
        """One question, every collected answer in a row, each with the rubric and model answer beside it,
        and a score and comment form for each autograded answer."""
        self._trainer(user)
        question = self.question(module, grade_id)
        answers = collected_answers(self.course_root, module, grade_id)
        try:
            grades, unavailable = self.grades(user, module, grade_id), ""
        except Refused as refused:
            grades, unavailable = {}, f"Gradebook unavailable: {refused}"
        return self._render("calibration_question.html.j2", user=user, question=question, answers=answers,
                            grades=grades, grading=bool(self.db_url) and not unavailable, unavailable=unavailable,
                            csrf=csrf, message=message, saved=saved if saved in grades else "")


MAX_COMMENT = 10_000


def parse_score(learner: str, text: str, points: float) -> float | None:
    """A score typed in the form, checked against the question's points; None for an empty box."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise Refused(400, f"{learner}: the score must be a number from 0 to {points:g}, not {text[:40]!r}.")
    if not 0 <= value <= points:
        raise Refused(400, f"{learner}: the score must be from 0 to {points:g} points; {value:g} is out of range.")
    return value


# ---------------------------------------------------------------------------------------------
# nbgrader's gradebook: read and write one question's manual grades, as formgrader does

def _entry(grade, comment) -> dict:
    shown = grade.manual_score if grade.manual_score is not None else grade.auto_score
    return {"auto_score": grade.auto_score, "manual_score": grade.manual_score, "score": shown,
            "max_score": grade.max_score, "needs_manual_grade": bool(grade.needs_manual_grade),
            "auto_comment": comment.auto_comment, "manual_comment": comment.manual_comment}


def _open_gradebook(db_url: str):
    from nbgrader.api import Gradebook

    if db_url.startswith("sqlite:///") and not Path(db_url.removeprefix("sqlite:///")).is_file():
        raise LookupError("no gradebook yet: release and autograde the module first")  # never create one here
    return Gradebook(db_url, "coaching-lab")


def gradebook_grades(db_url: str, module: str, grade_id: str) -> dict[str, dict]:
    """{learner: score, comment and flags} of `grade_id` in every submission of `module` the gradebook
    holds (what autograde wrote, and any manual grade); the notebook is named after the module."""
    from nbgrader.api import MissingEntry

    with _open_gradebook(db_url) as gb:
        found = {}
        try:
            submissions = gb.find_assignment(module).submissions
        except MissingEntry:
            return found  # not released through this gradebook: nothing autograded
        for sub in submissions:
            notebook = next((nb for nb in sub.notebooks if nb.name == module), None)
            grade = next((g for g in notebook.grades if g.name == grade_id), None) if notebook else None
            comment = next((c for c in notebook.comments if c.name == grade_id), None) if notebook else None
            if grade is not None and comment is not None:
                found[sub.student_id] = _entry(grade, comment)
        return found


def save_manual_grade(db_url: str, module: str, grade_id: str, learner: str, score: float | None,
                      comment: str) -> dict:
    """What formgrader's grade and comment API do when a trainer saves: `manual_score` (needs a manual
    grade again only when neither a manual nor an auto score is left) and `manual_comment`."""
    from nbgrader.api import MissingEntry

    with _open_gradebook(db_url) as gb:
        try:
            grade = gb.find_grade(grade_id, module, module, learner)
            note = gb.find_comment(grade_id, module, module, learner)
        except MissingEntry:
            raise LookupError(f"{learner}'s answer has not been autograded yet: nothing to grade") from None
        if score is not None and not 0 <= score <= grade.max_score:
            raise ValueError(f"{learner}: the score must be from 0 to {grade.max_score:g} points")
        grade.manual_score = score
        grade.needs_manual_grade = grade.manual_score is None and grade.auto_score is None
        note.manual_comment = comment or None
        gb.db.commit()
        return _entry(grade, note)


def gradebook_request(request: dict) -> dict:
    """Answer one request ({"op": "read" | "save", ...}) as {"result": ...} or {"error": ..., "status": ...}."""
    try:
        if request.get("op") == "read":
            return {"result": gradebook_grades(request["db_url"], request["module"], request["grade_id"])}
        if request.get("op") == "save":
            return {"result": save_manual_grade(request["db_url"], request["module"], request["grade_id"],
                                                request["learner"], request["score"], request["comment"])}
        return {"error": "unknown gradebook request", "status": 400}
    except LookupError as missing:
        return {"error": str(missing).strip("'\""), "status": 409}
    except ValueError as wrong:
        return {"error": str(wrong), "status": 400}
    except Exception as error:  # noqa: BLE001 - a busy or broken gradebook is said, not a traceback
        return {"error": f"the gradebook could not be used ({type(error).__name__}: {error})", "status": 502}


def gradebook_as(trainer: str, request: dict) -> dict:
    """`gradebook_request` run as `trainer`: `runuser -u TRAINER -- python -m course.hub_calibration gradebook`
    with the request on stdin, umask 007 (the course folder is the trainers' group's). Without root, only
    as the service's own user."""
    import pwd
    import shutil
    import subprocess
    import sys

    if os.geteuid() != 0:
        if pwd.getpwuid(os.geteuid()).pw_name != trainer:
            return {"error": f"the service cannot act as {trainer} (it does not run as root)", "status": 503}
        return gradebook_request(request)
    try:
        home = pwd.getpwnam(trainer).pw_dir
    except KeyError:
        return {"error": f"{trainer} has no account on this machine", "status": 503}
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": home, "USER": trainer,
           "LOGNAME": trainer, "LANG": "C.UTF-8"}
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    result = None
    try:
        result = subprocess.run([runuser, "-u", trainer, "--", sys.executable, "-m", "course.hub_calibration",
                                 "gradebook"], input=json.dumps(request), env=env, cwd="/", umask=0o007,
                                capture_output=True, text=True, timeout=120)
        return json.loads(result.stdout)
    except (OSError, ValueError, subprocess.SubprocessError) as error:
        said = result.stderr.strip().splitlines()[-1:] if result is not None else []
        return {"error": f"the gradebook could not be reached as {trainer} ({type(error).__name__}"
                         + (f": {said[0][:200]}" if said else "") + ")", "status": 502}


def scores_from_form(form: dict[str, list[str]]) -> dict[tuple[int, int], float]:
    """{(item, point): score} from the scoring form's fields `score-<item>-<point>`."""
    scores = {}
    for name, values in form.items():
        found = re.fullmatch(r"score-(\d{1,3})-(\d{1,3})", name)
        if found and values:
            try:
                scores[int(found.group(1)), int(found.group(2))] = float(values[-1])
            except ValueError:
                raise Refused(400, f"{name}: a score must be a number") from None
    return scores


def render(template: str, **context) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    env.filters["points"] = lambda value: f"{value:g}"
    return env.get_template(template).render(**context)



if __name__ == "__main__":  # `python -m course.hub_calibration gradebook`: one request on stdin (see gradebook_as)
    import sys

    if sys.argv[1:] != ["gradebook"]:
        sys.exit("usage: python -m course.hub_calibration gradebook < request.json")
    print(json.dumps(gradebook_request(json.load(sys.stdin))))
