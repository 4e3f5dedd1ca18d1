"""`course grade …`: the trainer's commands for a cohort. Wire in with `add_commands(subparsers)`."""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from course.nbgrader_tools import run_nbgrader
from course.paths import REPO

COURSE_ROOT_VARIABLE = "COACHING_LAB_COURSE_ROOT"  # set for trainers on a cohort hub (course hub up)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--course-root", type=Path, default=Path(os.environ.get(COURSE_ROOT_VARIABLE, REPO)),
                        help=f"nbgrader course folder (default: ${COURSE_ROOT_VARIABLE}, else this repository)")
    parser.add_argument("--db-url", default=None,
                        help="gradebook URL (default: $NBGRADER_DB_URL or sqlite grading/gradebook.db)")


def _autograde(args) -> int:
    from course.grade.autograde import GradingError, grade_cohort
    from course.grade.sandbox import Limits, SandboxError

    if args.no_sandbox:
        print("WARNING: --no-sandbox: learner code runs with your permissions and can read the hidden "
              "tests and the gradebook.", file=sys.stderr)
    limits = Limits(memory_mb=args.memory_mb, processes=args.processes, output_mb=args.output_mb)
    try:
        outcomes = grade_cohort(
            args.course_root, args.modules or None, args.student or None, db_url=args.db_url,
            workers=args.workers, sandbox=not args.no_sandbox, limits=limits,
            cell_timeout=args.cell_timeout, wall_limit=args.submission_timeout, force=args.force,
            progress=not args.quiet,
        )
    except (GradingError, SandboxError) as error:
        print(f"course grade autograde: {error}", file=sys.stderr)
        return 2
    counts = Counter(o.status for o in outcomes)
    print(", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing to grade")
    _print_scores(outcomes)
    for o in sorted(outcomes, key=lambda o: (o.module, o.student)):
        if o.status in ("failed", "skipped"):
            print(f"  NOT GRADED {o.module}/{o.student}: {o.reason}")
        for note in o.notes:
            print(f"  note {o.module}/{o.student}: {note}")
    print(f"outcomes: {Path(args.course_root) / 'autograded' / 'grading-outcomes.json'}")
    return 1 if counts.get("failed") or counts.get("skipped") else 0


def _print_scores(outcomes) -> None:
    """Each learner's autograded score, module by module (manual grades come later, in formgrader)."""
    for o in sorted(outcomes, key=lambda o: (o.module, o.student)):
        if o.score is not None and o.max_score:
            print(f"  {o.module}  {o.student:<20} {o.score:g} / {o.max_score:g} "
                  f"({100 * o.score / o.max_score:.0f}%){'  (unchanged)' if o.status == 'unchanged' else ''}")


def _collect(args) -> int:
    from course.grade.intake import collect
    from course.paths import module_names

    report = collect(args.modules or module_names(args.course_root / "modules"), args.course_root,
                     args.exchange_root, args.db_url)
    print("\n".join(report.lines()))
    return 1 if report.unplaced else 0


def _release(args) -> int:
    from course.build import build

    for module in args.modules:
        build([module], root=args.course_root.resolve())
        run_nbgrader("release_assignment", module, "--force", root=args.course_root.resolve(), db_url=args.db_url)
        print(f"released {module} to the cohort through the nbgrader exchange")
    return 0


def _import(args) -> int:
    from course.grade.intake import import_lms

    try:
        report = import_lms(args.source, args.module, args.course_root, args.pattern, args.roster, args.replace)
    except (OSError, ValueError) as error:  # no such folder or zip, a bad --pattern or roster
        print(f"course grade import: {error}", file=sys.stderr)
        return 2
    print("\n".join(report.lines()))
    return 1 if report.unplaced else 0


def _feedback(args) -> int:
    from course.grade.feedback import copy_for_lms, generate_feedback

    if args.release and _pending_refused(args, args.modules or None, "released"):
        return 1  # nothing generated, nothing released
    files = generate_feedback(args.course_root, args.modules or None, args.student or None, args.db_url)
    print(f"wrote {len(files)} feedback page(s) under {args.course_root / 'feedback'} (no hidden tests)")
    if args.to:
        copied = copy_for_lms(files, args.course_root, args.to)
        print(f"copied {len(copied)} page(s) to {args.to} for the LMS")
    if args.release:
        for module in sorted({f.parent.name for f in files}):
            run_nbgrader("release_feedback", module, root=args.course_root.resolve(), db_url=args.db_url)
        print("released the feedback through the nbgrader exchange")
    return 0


def _export(args) -> int:
    from course.grade.exports import export_grades_csv, export_lms_csv
    from course.grade.gradebook import default_db_url

    db_url = args.db_url or default_db_url(args.course_root)
    if _pending_refused(args, None, "exported", db_url):
        return 1
    print(f"nbgrader grades CSV: {export_grades_csv(args.grades_csv, args.course_root, db_url)}")
    from course.grade.late_policy import policy

    late = policy(course_root=args.course_root)
    print(f"LMS gradebook table: {export_lms_csv(args.lms_csv, db_url, args.percent, late)}")
    return 0


def _pending_refused(args, modules: list[str] | None, action: str, db_url: str | None = None) -> bool:
    """True (after saying why) when manual grades are pending and --allow-pending was not given."""
    from course.grade.exports import PendingManualGrades, refuse_pending
    from course.grade.gradebook import default_db_url

    try:
        refuse_pending(db_url or args.db_url or default_db_url(args.course_root), modules, action)
    except PendingManualGrades as error:
        if not args.allow_pending:
            print(f"course grade {args.grade_command}: {error}", file=sys.stderr)
            return True
        print(f"WARNING (--allow-pending): {error}".split("\nGrade them")[0], file=sys.stderr)
    return False


def _report(args) -> int:
    from course.grade.report import cohort_report

    path = cohort_report(args.course_root, args.out, db_url=args.db_url, behind_below=args.behind_below)
    print(f"cohort report: {path}")
    return 0


def add_commands(subparsers) -> argparse.ArgumentParser:
    """Register `grade` and its subcommands; each parser sets `run=<callable(args) -> int>`."""
    grade = subparsers.add_parser("grade", help="grade a cohort: intake, autograde, feedback, exports, report")
    commands = grade.add_subparsers(dest="grade_command", required=True)

    cmd = commands.add_parser("autograde", help="autograde submissions in parallel, sandboxed, with progress")
    cmd.add_argument("modules", nargs="*", help="modules to grade (default: every module with submissions)")
    cmd.add_argument("--student", action="append", help="only this learner (repeatable)")
    cmd.add_argument("--workers", type=int, default=None, help="parallel workers (default: CPU cores)")
    cmd.add_argument("--force", action="store_true", help="regrade submissions that did not change")
    cmd.add_argument("--no-sandbox", action="store_true",
                     help="run learner code without bubblewrap (unsafe; only for trusted notebooks)")
    cmd.add_argument("--cell-timeout", type=int, default=None, help="seconds per cell (default: course config)")
    cmd.add_argument("--submission-timeout", type=float, default=None,
                     help="seconds for a whole submission before it is stopped (default: 10 x cell timeout)")
    cmd.add_argument("--memory-mb", type=int, default=2048, help="memory per learner kernel")
    cmd.add_argument("--processes", type=int, default=64, help="processes and threads per learner kernel")
    cmd.add_argument("--output-mb", type=float, default=4.0, help="printed output kept per notebook")
    cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    _common(cmd)
    cmd.set_defaults(run=_autograde)

    cmd = commands.add_parser("release", help="generate modules and release them through the nbgrader exchange")
    cmd.add_argument("modules", nargs="+")
    _common(cmd)
    cmd.set_defaults(run=_release)

    cmd = commands.add_parser("collect", help="collect submissions from the nbgrader exchange")
    cmd.add_argument("modules", nargs="*")
    cmd.add_argument("--exchange-root", default=None, help="nbgrader exchange folder (default: nbgrader's)")
    _common(cmd)
    cmd.set_defaults(run=_collect)

    cmd = commands.add_parser("import", help="import an LMS download (folder or zip of notebooks)")
    cmd.add_argument("source", type=Path, help="folder or .zip from the LMS")
    cmd.add_argument("--module", required=True, help="the module these notebooks answer")
    cmd.add_argument("--pattern", help="regex with a (?P<student>…) group, matched on each file's path")
    cmd.add_argument("--roster", type=Path,
                     help="CSV: student_id plus lms_name / lms_user_id / email, to map LMS names to ids")
    cmd.add_argument("--replace", action="store_true", help="replace submissions already in submitted/")
    _common(cmd)
    cmd.set_defaults(run=_import)

    cmd = commands.add_parser("feedback", help="HTML feedback per learner, without hidden tests")
    cmd.add_argument("modules", nargs="*")
    cmd.add_argument("--student", action="append")
    cmd.add_argument("--release", action="store_true", help="release it through the nbgrader exchange")
    cmd.add_argument("--to", type=Path, help="also copy it to this folder for an LMS")
    cmd.add_argument("--allow-pending", action="store_true",
                     help="release even while answers wait for manual grading (they show as 0)")
    _common(cmd)
    cmd.set_defaults(run=_feedback)

    cmd = commands.add_parser("export", help="nbgrader grades CSV and a learner x module LMS table")
    cmd.add_argument("--grades-csv", type=Path, default=Path("grades.csv"))
    cmd.add_argument("--lms-csv", type=Path, default=Path("lms-gradebook.csv"))
    cmd.add_argument("--percent", action="store_true", help="LMS table in percent instead of points")
    cmd.add_argument("--allow-pending", action="store_true",
                     help="export even while answers wait for manual grading (they count as 0)")
    _common(cmd)
    cmd.set_defaults(run=_export)

    cmd = commands.add_parser("report", help="one HTML page on the cohort: completion, scores, misses")
    cmd.add_argument("--out", type=Path, default=Path("cohort-report.html"))
    cmd.add_argument("--behind-below", type=float, default=60.0,
                     help="a learner averaging under this percent is listed as behind")
    _common(cmd)
    cmd.set_defaults(run=_report)
    return grade


def main(argv: list[str] | None = None) -> int:
    """`python -m course.grade.cli grade …` until course/cli.py wires the commands in."""
    parser = argparse.ArgumentParser(prog="course")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
