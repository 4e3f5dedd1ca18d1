"""The cohort report: one HTML page a trainer reads before the next session.

Completion and scores per module, the questions most often missed (with the most common wrong
answers where a widget exercise recorded them in `<module>.answers.json`), learners who are
behind, time to submit, and submissions the grader could not grade. Figures are seaborn PNGs
embedded in the page, so it is one file to e-mail or attach.
"""
from __future__ import annotations

import ast
import base64
import datetime as dt
import io
import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd
from nbgrader.api import Gradebook

from course.grade.autograde import load_outcomes
from course.grade.gradebook import COURSE_ID, default_db_url
from course.paths import REPO



def collect_data(course_root: Path, db_url: str) -> dict[str, pd.DataFrame]:
    """Tables behind the report: learners, submissions, questions (one row per learner x cell)."""
    subs, cells = [], []
    with Gradebook(db_url, COURSE_ID) as gb:
        learners = pd.DataFrame([{"student": s.id, "name": " ".join(filter(None, [s.first_name, s.last_name]))}
                                 for s in gb.students], columns=["student", "name"])
        modules = pd.DataFrame([{"module": a.name, "max_score": a.max_score, "duedate": a.duedate}
                                for a in gb.assignments], columns=["module", "max_score", "duedate"])
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                subs.append({"module": assignment.name, "student": sub.student_id, "score": sub.score,
                             "max_score": sub.max_score, "timestamp": sub.timestamp,
                             "needs_manual_grade": sub.needs_manual_grade,
                             "seconds_late": sub.total_seconds_late,
                             "late_penalty": sum(nb.late_submission_penalty or 0.0 for nb in sub.notebooks)})
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        if grade.cell.cell_type != "code" or grade.auto_score is None:
                            continue
                        cells.append({"module": assignment.name, "student": sub.student_id,
                                      "question": grade.name, "score": grade.score, "max_score": grade.max_score})
    return {"learners": learners, "modules": modules.sort_values("module"),
            "submissions": pd.DataFrame(subs, columns=["module", "student", "score", "max_score", "timestamp",
                                                       "needs_manual_grade", "seconds_late", "late_penalty"]),
            "cells": pd.DataFrame(cells, columns=["module", "student", "question", "score", "max_score"])}


def wrong_answers(course_root: Path) -> dict[tuple[str, str], Counter]:
    """(module, question) -> Counter of wrong answers recorded by widget exercises.

    Answers files come from learners: any part that is not the expected shape (a file that is not
    JSON, too deeply nested, "questions" not an object, "wrong_answers" not a list) is skipped, so
    one bad file costs only its own questions, never the report."""
    found: dict[tuple[str, str], Counter] = {}
    for path in Path(course_root, "submitted").glob("*/*/*.answers.json"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            continue
        questions = data.get("questions") if isinstance(data, dict) else None
        for qid, entry in (questions.items() if isinstance(questions, dict) else ()):
            answers = entry.get("wrong_answers") if isinstance(entry, dict) else None
            for answer in (answers if isinstance(answers, list) else ()):
                found.setdefault((path.parent.name, str(qid)[:80]), Counter())[_answer_text(answer)] += 1
    return found


def _answer_text(answer, limit: int = 120) -> str:
    """A learner's answer as a trainer reads it: text as is, a choice per line, never raw JSON."""
    if isinstance(answer, dict):
        text = "; ".join(f"{key} → {_answer_text(value, 40)}" for key, value in list(answer.items())[:8])
    elif isinstance(answer, list):
        text = ", ".join(_answer_text(value, 40) for value in answer[:8])
    elif answer is None:
        text = "(no answer)"
    else:
        text = str(answer)
    return text if len(text) <= limit else text[: limit - 1] + "…"


HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)
POINTS = re.compile(r"\s*\([^()]*\bpoints?\b[^()]*\)\s*$", re.IGNORECASE)   # "(1 point)", "(core, 2 points)"


def exercise_ids(module: str) -> dict[str, str]:
    """Names a module's notebook uses -> question ids, read (not run) from `course/exercises/`:
    `q1 = Exercise("m00_team_size", ...)` gives q1; a widget factory `def name(): return Widget("id", ...)`
    gives name; a role-play factory `return play(SCRIPT)` gives SCRIPT's "id"."""
    folder = REPO / "course" / "exercises"
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in
             (folder / f"module{module.split('-')[0]}.py", folder / "roleplays.py") if path.is_file()]
    scripts, ids = {}, {}

    def first_text(call: ast.expr) -> str | None:
        if isinstance(call, ast.Call) and call.args:
            arg = call.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                return arg.value
            if isinstance(arg, ast.Name):
                return scripts.get(arg.id)
        return None

    for tree in trees:
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                value = node.value
                if isinstance(value, ast.Dict):
                    for key, item in zip(value.keys, value.values):
                        if isinstance(key, ast.Constant) and key.value == "id" and isinstance(item, ast.Constant):
                            scripts[node.targets[0].id] = item.value
                elif first_text(value):
                    ids[node.targets[0].id] = first_text(value)
    for tree in trees:
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.args.args:
                returned = [n.value for n in ast.walk(node) if isinstance(n, ast.Return) and n.value is not None]
                if returned and first_text(returned[0]):
                    ids[node.name] = first_text(returned[0])
    return ids


def question_titles(course_root: Path, module: str) -> dict[str, str]:
    """Grade ids and widget question ids of a module -> the heading a learner sees above them."""
    path = Path(course_root, "modules", module, f"{module}.ipynb")
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    titles, heading = {}, None
    uses = {qid: re.compile(rf"\b{re.escape(name)}\s*\.\s*check\s*\(|\bex\s*\.\s*{re.escape(name)}\s*\(")
            for name, qid in exercise_ids(module).items()}
    for cell in cells:
        source = "".join(cell.get("source", []))
        if cell.get("cell_type") == "markdown":
            found = HEADING.findall(source)
            if found:
                heading = POINTS.sub("", found[-1]).strip("* ")
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if heading and grade_id:
            titles.setdefault(grade_id, heading)
        if heading and cell.get("cell_type") == "code":
            for qid in re.findall(r"[\"']([A-Za-z][A-Za-z0-9_.-]{2,79})[\"']", source):
                titles.setdefault(qid, heading)
            for qid, use in uses.items():
                if use.search(source):
                    titles.setdefault(qid, heading)
    return titles


def _days_text(days: float) -> str:
    """A duration in the unit a trainer thinks in: minutes, hours, then days."""
    if days < 1 / 24:
        return f"{max(days * 24 * 60, 0):.0f} min"
    if days < 2:
        return f"{days * 24:.1f} h"
    return f"{days:.1f} days"


def _figure(draw, height: float = 3.6) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook")
    fig, ax = plt.subplots(figsize=(8, height))
    draw(ax, sns)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def build_context(course_root: Path, db_url: str, behind_below: float = 60.0) -> dict:
    from course.grade.late_policy import policy

    late_policy = policy(course_root=course_root)
    data = collect_data(course_root, db_url)
    learners, modules, subs, cells = data["learners"], data["modules"], data["submissions"], data["cells"]
    n_learners = max(len(learners), 1)
    subs = subs.assign(percent=lambda d: 100 * d.score / d["max_score"].where(d["max_score"] > 0))
    per_module = []
    for row in modules.itertuples():
        these = subs[subs.module == row.module]
        per_module.append({"module": row.module, "submitted": len(these), "learners": len(learners),
                           "completion": round(100 * len(these) / n_learners),
                           "median": round(these.percent.median(), 0) if len(these) else None,
                           "max_score": row.max_score,
                           "manual": int(these.needs_manual_grade.sum()),
                           "duedate": row.duedate.strftime("%Y-%m-%d %H:%M UTC") if pd.notna(row.duedate) else None,
                           "late": int(sum(late_policy.is_late(s) for s in these.seconds_late)),
                           "penalty": round(float(these.late_penalty.sum()), 2)})
    figures = {}
    if per_module:
        table = pd.DataFrame(per_module)
        figures["completion"] = _figure(lambda ax, sns: (
            sns.barplot(data=table, x="module", y="completion", color="#4C72B0", ax=ax),
            ax.set(ylabel="learners who submitted (%)", xlabel="module", ylim=(0, 100)),
            ax.tick_params(axis="x", rotation=20)))
    if len(subs):
        figures["scores"] = _figure(lambda ax, sns: (
            sns.boxplot(data=subs, x="module", y="percent", color="#DDDDDD", fliersize=0, width=.5, ax=ax),
            sns.stripplot(data=subs, x="module", y="percent", color="#4C72B0", alpha=.6, size=4, ax=ax),
            ax.set(ylabel="score (% of the module's points)", xlabel="module", ylim=(-5, 105)),
            ax.tick_params(axis="x", rotation=20)))

    wrong = wrong_answers(course_root)
    titles = {m: question_titles(course_root, m) for m in set(modules.module) | {m for m, _ in wrong}}

    def title(module: str, question: str) -> str:
        return titles.get(module, {}).get(question) or question

    missed = []
    if len(cells):
        cells = cells.assign(missed=cells.score < cells.max_score)
        rates = cells.groupby(["module", "question"]).agg(missed=("missed", "mean"), n=("missed", "size"))
        for (module, question), row in rates.sort_values("missed", ascending=False).head(10).iterrows():
            if row.missed == 0:
                continue
            common = wrong.get((module, question), Counter()).most_common(3)
            missed.append({"module": module, "question": question, "title": title(module, question),
                           "rate": round(100 * row.missed), "lost": int(round(row.missed * row.n)),
                           "n": int(row.n), "wrong": common})
        if missed:
            top = pd.DataFrame(missed).assign(label=lambda d: d.module.str[:2] + " · " + d.title.str[:45])
            figures["missed"] = _figure(lambda ax, sns: (
                sns.barplot(data=top, y="label", x="rate", color="#C44E52", ax=ax),
                ax.set(xlabel="submissions that lost these points (%)", ylabel="question", xlim=(0, 100))),
                height=1.2 + 0.45 * len(top))
    for (module, question), counter in sorted(wrong.items()):   # widget questions not autograded per cell
        if not any(m["module"] == module and m["question"] == question for m in missed):
            missed.append({"module": module, "question": question, "title": title(module, question), "rate": None,
                           "n": sum(counter.values()), "wrong": counter.most_common(3)})

    behind = []
    released = list(modules.module)
    for learner in learners.itertuples():
        mine = subs[subs.student == learner.student]
        missing = [m for m in released if m not in set(mine.module)]
        average = mine.percent.mean() if len(mine) else 0.0
        if missing or average < behind_below:
            behind.append({"student": learner.student, "name": learner.name, "missing": missing,
                           "average": round(average, 0) if len(mine) else None, "submitted": len(mine)})
    behind.sort(key=lambda b: (-len(b["missing"]), b["average"] or 0))

    timing = _time_to_submit(course_root, subs)
    unit = "days" if len(timing) and timing.days.max() >= 2 else "hours"
    timing = timing.assign(hours=timing.days * 24)
    if len(timing):
        figures["timing"] = _figure(lambda ax, sns: (
            sns.boxplot(data=timing, x="module", y=unit, color="#DDDDDD", fliersize=0, width=.5, ax=ax),
            sns.stripplot(data=timing, x="module", y=unit, color="#55A868", alpha=.6, size=4, ax=ax),
            ax.set(ylabel=f"{unit} from release to submission", xlabel="module"),
            ax.tick_params(axis="x", rotation=20)))
    problems = [o for by_student in load_outcomes(course_root).values() for o in by_student.values()
                if o["status"] in ("failed", "skipped")]
    return {"title": "Coaching Lab: cohort report", "generated": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "n_learners": len(learners), "n_submissions": len(subs), "per_module": per_module,
            "figures": figures, "missed": missed, "behind": behind, "behind_below": behind_below,
            "problems": sorted(problems, key=lambda o: (o["module"], o["student"])),
            "timing": _timing_summary(timing), "late_policy": late_policy.describe()}


def _time_to_submit(course_root: Path, subs: pd.DataFrame) -> pd.DataFrame:
    """Days from a module's release (release/<module> folder time, else its first submission)."""
    rows = []
    for module, these in subs.dropna(subset=["timestamp"]).groupby("module"):
        release = Path(course_root, "release", module)
        start = (pd.Timestamp(release.stat().st_mtime, unit="s") if release.exists()
                 else pd.Timestamp(these.timestamp.min()))
        start = min(start, pd.Timestamp(these.timestamp.min()))
        for stamp in these.timestamp:
            rows.append({"module": module, "days": (pd.Timestamp(stamp) - start).total_seconds() / 86400})
    return pd.DataFrame(rows, columns=["module", "days"])


def _timing_summary(timing: pd.DataFrame) -> list[dict]:
    return [{"module": m, "median": _days_text(t.days.median()), "slowest": _days_text(t.days.max()), "n": len(t)}
            for m, t in timing.groupby("module")]


def cohort_report(course_root: Path = REPO, out: Path = Path("cohort-report.html"), db_url: str | None = None,
                  behind_below: float = 60.0) -> Path:
    import jinja2

    course_root = Path(course_root).resolve()
    context = build_context(course_root, db_url or default_db_url(course_root), behind_below)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True)
    html = env.get_template("cohort_report.html.j2").render(**context)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out
