"""A grading worker: `python -m course.grade.worker`, one per CPU core, started by the coordinator.

It reads one job per line (JSON) on stdin and answers one result per line on stdout. For each
job it builds a private scratch course (the module's source files, the learner's submission, a
sqlite gradebook holding only this assignment), runs nbgrader's own `Autograde` converter on it
with the kernel in the sandbox, and reports what happened. It never touches the course folder
or the course gradebook: the coordinator merges the scratch results, one at a time.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time
import traceback
from pathlib import Path

from course.grade import preflight

SKIP_NAMES = (".ipynb_checkpoints", "__pycache__")


def copy_submission(src: Path, dst: Path) -> list[str]:
    """Copy regular files only (no symlink can pull a trainer's file in); return what was left out."""
    notes = []
    for folder, dirs, files in os.walk(src):
        rel = Path(folder).relative_to(src)
        dirs[:] = [d for d in dirs if d not in SKIP_NAMES and not os.path.islink(os.path.join(folder, d))]
        (dst / rel).mkdir(parents=True, exist_ok=True)
        for name in files:
            path = Path(folder) / name
            shown = str(rel / name).encode("utf-8", "replace").decode("utf-8", "replace")
            if not _is_utf8(name):
                notes.append(f"left out {shown!r}: its file name is not valid UTF-8")
            elif path.is_symlink() or not path.is_file():
                notes.append(f"left out {shown!r}: not a regular file (a link or device)")
            else:
                shutil.copy2(path, dst / rel / name)
    return notes


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def check_notebook(path: Path, expected: dict[str, float]) -> tuple[str | None, list[str]]:
    """(a reason nbgrader cannot grade it, notes about what the learner changed)."""
    import nbformat

    if not path.exists():
        return f"no {path.name} in the submission (the notebook is missing)", []
    try:
        raw = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as error:
        return f"{path.name} is not UTF-8 text ({error.reason} at byte {error.start})", []
    except json.JSONDecodeError as error:
        return (f"{path.name} is not valid notebook JSON (line {error.lineno}, column {error.colno}: "
                f"{error.msg}); the file is damaged, ask the learner to download it again"), []
    notes = []
    if not isinstance(raw, dict) or "nbformat" not in raw:
        return f"{path.name} is JSON but not a notebook (no 'nbformat' field)", []
    if raw.get("nbformat", 0) < 4:
        notes.append(f"{path.name} is in the old notebook format v{raw.get('nbformat')}; graded after upgrading it")
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as error:  # nbformat raises many kinds
        return f"{path.name} cannot be read as a notebook: {error}", notes
    ids = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.cells]
    present = [i for i in ids if i in expected]
    missing = [g for g in expected if g not in present]
    if missing:
        notes.append(f"graded cells deleted from the notebook: {', '.join(missing)} (they score 0)")
    order = [g for g in expected if g in present]
    if present != order:
        notes.append("graded cells were moved out of their original order")
    return None, notes


def outcome_notes(notebook: Path, limits) -> list[str]:
    """Faults visible in the executed notebook: time-outs, limits hit, output cut off."""
    import nbformat

    notes = []
    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception:
        return notes
    for cell in nb.cells:
        cell_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or cell.get("id", "?")
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                ename = out.get("ename", "")
                if ename == "CellTimeoutError" or ename == "KeyboardInterrupt":
                    notes.append(f"cell {cell_id}: stopped by the time limit")
                elif ename == "MemoryError":
                    notes.append(f"cell {cell_id}: stopped by the memory limit ({limits.memory_mb} MB)")
                elif ename == "BlockingIOError" or "Resource temporarily unavailable" in out.get("evalue", ""):
                    notes.append(f"cell {cell_id}: refused new processes (limit {limits.processes})")
                elif ename == "SystemExit":
                    notes.append(f"cell {cell_id}: called sys.exit()")
                elif ename in ("PermissionError", "FileNotFoundError", "OSError") and cell_id != "?":
                    notes.append(f"cell {cell_id}: {ename}: {out.get('evalue', '')[:160]}")
    return sorted(set(notes), key=notes.index)


def explain_failure(log: str, error: str) -> str:
    text = f"{log}\n{error}"
    if "DeadKernelError" in text or "Kernel died" in text or "kernel died" in text:
        return ("the learner's code ended the Python kernel (os._exit(), a crash, or a hard limit), "
                "so nbgrader could not finish this notebook")
    if "No notebooks found" in text:
        return "no notebook of this module in the submission"
    if "CellTimeoutError" in text or "TimeoutError" in text:
        return "the kernel stopped answering before the time limit"
    return f"nbgrader could not grade it: {preflight.nbgrader_error(text) or 'no error message'}"


def grade(job: dict) -> dict:
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import Execute
    from nbgrader.utils import capture_log
    from traitlets.config.loader import PyFileConfigLoader

    from course.grade import cleanroom, sandbox

    started = time.monotonic()
    module, student = job["module"], job["student"]
    scratch = Path(job["scratch"])
    shutil.rmtree(scratch, ignore_errors=True)
    course = scratch / "course"
    shutil.copytree(job["source_dir"], course / "modules" / module,
                    ignore=shutil.ignore_patterns("*.answers.json", *SKIP_NAMES))
    submitted = course / "submitted" / student / module
    notes = copy_submission(Path(job["submission_dir"]), submitted)
    result = {"id": job["id"], "module": module, "student": student, "scratch": str(scratch),
              "status": "failed", "reason": "", "notes": notes}
    for notebook, cells in job["notebooks"].items():
        reason, more = preflight.check_notebook(submitted / f"{notebook}.ipynb", cells)
        notes.extend(more)
        if reason:
            result["reason"] = reason
            result["seconds"] = time.monotonic() - started
            return result
    db = scratch / "gradebook.db"
    shutil.copy(job["template_db"], db)

    config_file = Path(job["config_file"])
    config = PyFileConfigLoader(config_file.name, path=str(config_file.parent)).load_config()
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.db_url = f"sqlite:///{db}"
    keep = dict(config.Autograde.get("exclude_overwriting", {}))
    config.Autograde.exclude_overwriting = {**keep, module: sorted({*keep.get(module, []), *job["keep_files"]})}
    if job.get("cell_timeout"):
        config.Execute.timeout = job["cell_timeout"]
    config.ShowWidgetAnswers.course_root = job.get("course_root") or ""  # widget records, answer key

    limits = sandbox.Limits(**job["limits"])
    sandbox.SETTINGS.enabled = job["sandbox"]
    sandbox.SETTINGS.limits = limits
    sandbox.SETTINGS.slot = job["slot"]
    sandbox.SETTINGS.runtime_dir = scratch / "kernels"
    if sandbox.SETTINGS.font_cache is None:
        sandbox.SETTINGS.font_cache = sandbox.prepare_font_cache(scratch.parent / "font-cache") or Path("/nonexistent")
    (scratch / "kernels").mkdir(parents=True, exist_ok=True)
    cleanroom.cleanserver.SERVER.launch(scratch.parent / "clean-server")  # imports while the learner's run goes

    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = module
    coursedir.student_id = student
    app = Autograde(coursedir=coursedir, config=config)
    app.force = True
    app.create_student = True
    app.autograde_preprocessors = [
        cleanroom.ExtractingExecute if p is Execute else p for p in app.autograde_preprocessors
    ]
    sandbox.EVENTS.clear()
    start_extraction(course / "modules" / module, job["notebooks"])
    outcome = capture_log(app)
    notes.extend(dict.fromkeys(sandbox.EVENTS))
    autograded = course / "autograded" / student / module
    result["seconds"] = time.monotonic() - started
    if not outcome["success"] or not autograded.exists():
        result["reason"] = explain_failure(outcome.get("log", ""), outcome.get("error", ""))
        result["log"] = (outcome.get("log", "") + outcome.get("error", ""))[-4000:]
        return result
    for notebook in job["notebooks"]:
        notes.extend(outcome_notes(autograded / f"{notebook}.ipynb", limits))
    clean_started = time.monotonic()
    try:
        notes.extend(grade_clean_run(job, config, course, autograded, db))
    except Exception as error:  # no learner code runs there: a failure is the grader's, never a score
        result["reason"] = f"the clean grading run failed: {type(error).__name__}: {str(error)[:300]}"
        result["log"] = traceback.format_exc()[-4000:]
        result["seconds"] = time.monotonic() - started
        return result
    result["seconds"] = time.monotonic() - started
    result["clean_seconds"] = time.monotonic() - clean_started
    from course.grade import late_policy
    from course.grade.gradebook import read_submission

    late_policy.reassess(config, f"sqlite:///{db}", module, student)  # from the clean run's scores

    result.update(status="graded", autograded=str(autograded),
                  graded=read_submission(f"sqlite:///{db}", module, student))
    return result


def start_extraction(module_dir: Path, notebooks) -> None:
    """Tell the learner's run which answers to take out of each notebook (see course.grade.cleanroom)."""
    import nbformat

    from course.grade import cleanroom

    cleanroom.EXTRACTION.plans = {
        name: cleanroom.answer_plan(nbformat.read(module_dir / f"{name}.ipynb", as_version=4))
        for name in notebooks if (module_dir / f"{name}.ipynb").exists()
    }
    cleanroom.EXTRACTION.found = {}


def grade_clean_run(job: dict, config, course: Path, autograded: Path, db: Path) -> list[str]:
    """Re-grade each notebook in a clean kernel from the learner's answers as data; notes."""
    from course.grade import cleanroom, widget_records

    module, student = job["module"], job["student"]
    record = widget_records.record_path(Path(job.get("course_root") or "/nonexistent"), student, module)
    notes: list[str] = []
    for notebook in job["notebooks"]:
        notes.extend(cleanroom.grade_clean(
            module=module, student=student, notebook=notebook, source_dir=course / "modules" / module,
            submitted_dir=course / "submitted" / student / module, autograded_dir=autograded,
            work=Path(job["scratch"]) / "clean", server_dir=Path(job["scratch"]).parent / "clean-server",
            db_url=f"sqlite:///{db}", config=config, record=record,
            widget_answers=config.CoachingLabGrading.get("widget_answers", "final")))
    return notes


def main() -> int:
    import nbgrader.converters  # noqa: F401  (import the heavy parts before the first job arrives)
    import nbgrader.preprocessors  # noqa: F401

    import course.grade.sandbox  # noqa: F401

    results = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything nbgrader or a library prints goes to the log, not to the results
    sys.stdout = sys.stderr
    for line in sys.stdin:
        job = json.loads(line)
        try:
            result = grade(job)
        except Exception as error:  # one submission's failure must not end the worker
            result = {"id": job["id"], "module": job["module"], "student": job["student"],
                      "status": "failed", "reason": f"grader error: {error}", "notes": [],
                      "log": traceback.format_exc()[-4000:], "scratch": job["scratch"]}
        results.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
