"""Benchmark: serial `nbgrader autograde` against the parallel sandboxed grader, same submissions.

    python benchmarks/bench_grading.py            # 30 submissions per module
    python benchmarks/bench_grading.py -n 50 --modules grade-demo

Generates N realistic submissions per module (a third right, a third with one plausible wrong
answer from tests/wrong_answers.py, a third untouched), grades them once with plain serial
`nbgrader autograde` and once with `course grade autograde` (sandbox on), and prints notebooks
per minute, the ratio measured in this run, peak memory of each run's process tree, whether
every score is identical, and what the clean second run (course.grade.cleanroom) costs. It prints figures; it asserts nothing (the machine may be shared).

Modules: every module in modules/ whose solutions run (falls back to the tiny `grade-demo`
fixture assignment when none does yet).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "tests"), str(REPO / "tests" / "fixtures" / "submissions")]

from course.grade.autograde import grade_cohort  # noqa: E402
from course.nbgrader_tools import NbgraderError, autograded_scores, run_nbgrader  # noqa: E402
from course.paths import MODULES, module_names  # noqa: E402


def process_tree(root: int, parents: dict[int, int]) -> set[int]:
    """`root` and every process below it, from a {pid: parent pid} map read off /proc."""
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return tree


class PeakMemory:
    """Peak resident memory of this process and all its descendants, sampled every 0.2 s, and
    their CPU time (each process's last sample, so up to 0.2 s of each is missed on both sides)."""

    def __init__(self):
        self.peak = 0
        self._cpu: dict[tuple[int, str], int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def cpu_seconds(self) -> float:
        return sum(self._cpu.values()) / os.sysconf("SC_CLK_TCK")

    def _run(self):
        page = os.sysconf("SC_PAGE_SIZE")
        root = os.getpid()
        while not self._stop.is_set():
            parents, rss, ticks = {}, {}, {}
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                    fields = stat[stat.rindex(")") + 2:].split()
                    parents[int(entry)] = int(fields[1])
                    rss[int(entry)] = int(fields[21]) * page
                    ticks[int(entry)] = ((int(entry), fields[19]), int(fields[11]) + int(fields[12]))
                except (OSError, ValueError, IndexError):
                    continue
            tree = process_tree(root, parents)
            self.peak = max(self.peak, sum(rss.get(pid, 0) for pid in tree))
            for pid in tree - {root}:
                if pid in ticks:
                    key, used = ticks[pid]
                    self._cpu[key] = max(self._cpu.get(key, 0), used)
            self._stop.wait(0.2)


def _cell(nb, grade_id):
    return next(c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id)


def make_submissions(course: Path, module: str, n: int) -> None:
    """n learners' submissions of a real module: right, one wrong answer, or untouched, in turn.

    Widget answers go in `<module>.answers.json` as a learner's clicks would put them, from the
    instructor's key (grading/answer_key/widgets/<module>.json), as tests/test_contract.py does.
    """
    from course.answers import AnswerStore
    from course.paths import GRADING
    from wrong_answers import WRONG_ANSWERS

    key_file = GRADING / "answer_key" / "widgets" / f"{module}.json"
    widget_key = json.loads(key_file.read_text()) if key_file.exists() else {}
    release = nbformat.read(course / "release" / module / f"{module}.ipynb", as_version=4)
    source = nbformat.read(MODULES / module / f"{module}.ipynb", as_version=4)
    right = nbformat.from_dict(json.loads(json.dumps(release)))
    for cell in right.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution"):
            cell.source = _cell(source, meta["grade_id"]).source
    ids = {c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in release.cells}
    cases = [case for case in WRONG_ANSWERS.get(module, [])
             if not getattr(case, "answer_cell", "") or case.answer_cell in ids]
    for i in range(n):
        folder = course / "submitted" / f"learner{i:03d}" / module
        shutil.copytree(course / "release" / module, folder)
        nb, widgets = nbformat.from_dict(json.loads(json.dumps(right))), dict(widget_key)
        if i % 3 == 1 and cases:
            case = cases[(i // 3) % len(cases)]
            if getattr(case, "answer_cell", ""):
                _cell(nb, case.answer_cell).source = case.code
            if getattr(case, "widget", None):
                widgets[case.widget[0]] = case.widget[1]
        elif i % 3 == 2:
            nb, widgets = release, {}
        nbformat.write(nb, folder / f"{module}.ipynb")
        if widgets:
            store = AnswerStore(folder / f"{module}.answers.json", module)
            for question_id, answer in widgets.items():
                store.record(question_id, answer)


def make_demo_submissions(course: Path, n: int) -> None:
    import grade_demo

    release = nbformat.read(course / "release" / grade_demo.ASSIGNMENT / f"{grade_demo.ASSIGNMENT}.ipynb",
                            as_version=4)
    for i in range(n):
        grade_demo.write_submission(release, ["good", "wrong", "untouched"][i % 3],
                                    course / "submitted" / f"learner{i:03d}" / grade_demo.ASSIGNMENT)


def build_course(root: Path, modules: list[str], n: int) -> str:
    db_url = f"sqlite:///{root / 'gradebook.db'}"
    for module in modules:
        if module == "grade-demo":
            import grade_demo

            grade_demo.write_source(root / "modules")
        else:
            shutil.copytree(MODULES / module, root / "modules" / module,
                            ignore=shutil.ignore_patterns("*.answers.json", ".ipynb_checkpoints"))
        run_nbgrader("generate_assignment", module, "--force", root=root, db_url=db_url)
        if module == "grade-demo":
            make_demo_submissions(root, n)
        else:
            make_submissions(root, module, n)
    return db_url


def runnable_modules() -> list[str]:
    """Real modules whose solutions autograde (one quick check each)."""
    ok = []
    for module in module_names():
        with tempfile.TemporaryDirectory() as tmp:
            try:
                db_url = build_course(Path(tmp), [module], 1)
                run_nbgrader("autograde", module, "--force", root=Path(tmp), db_url=db_url)
                if sum(s for s, _ in autograded_scores(db_url, module)["learner000"].values()) > 0:
                    ok.append(module)
            except (NbgraderError, KeyError, OSError) as error:
                print(f"  skipping {module}: {str(error).splitlines()[0][:120]}", file=sys.stderr)
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=30, help="submissions per module")
    parser.add_argument("--modules", nargs="*", help="modules (default: real modules that run, else grade-demo)")
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    args = parser.parse_args()

    modules = args.modules or runnable_modules() or ["grade-demo"]
    work = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        parallel_root = work / "parallel"
        db_parallel = build_course(parallel_root, modules, args.n)
        serial_root = work / "serial"
        shutil.copytree(parallel_root, serial_root)
        db_serial = f"sqlite:///{serial_root / 'gradebook.db'}"
        notebooks = args.n * len(modules)
        print(f"{notebooks} notebooks: {args.n} per module x {', '.join(modules)}; "
              f"{os.cpu_count()} CPU cores, {args.workers} workers")

        load_before = os.getloadavg()[0]
        with PeakMemory() as serial_mem:
            start = time.perf_counter()
            for module in modules:
                try:
                    run_nbgrader("autograde", module, "--force", root=serial_root, db_url=db_serial)
                except NbgraderError as error:
                    print(f"  serial nbgrader reported errors for {module}: {str(error)[:200]}")
            serial = time.perf_counter() - start

        with PeakMemory() as parallel_mem:
            start = time.perf_counter()
            outcomes = grade_cohort(parallel_root, modules, db_url=db_parallel, workers=args.workers,
                                    sandbox=True, force=True, progress=True)
            parallel = time.perf_counter() - start
        serial_cpu, parallel_cpu = serial_mem.cpu_seconds, parallel_mem.cpu_seconds

        same = all(autograded_scores(db_serial, m) == autograded_scores(db_parallel, m) for m in modules)
        failed = [o for o in outcomes if o.status != "graded"]
        rate = lambda seconds: 60 * notebooks / seconds
        print(f"serial nbgrader autograde : {serial:7.1f} s  {rate(serial):6.1f} notebooks/min  "
              f"peak memory {serial_mem.peak / 2**20:6.0f} MB  CPU {serial_cpu / notebooks:4.2f} s/notebook (child processes)")
        print(f"parallel sandboxed grader : {parallel:7.1f} s  {rate(parallel):6.1f} notebooks/min  "
              f"peak memory {parallel_mem.peak / 2**20:6.0f} MB  CPU {parallel_cpu / notebooks:4.2f} s/notebook (child processes)")
        print(f"throughput ratio          : {serial / parallel:.2f}x (target >= 1.7x on 2 cores)")
        graded = [o for o in outcomes if o.status == "graded"]
        worker_seconds = sum(o.seconds for o in graded)
        clean_seconds = sum(o.clean_seconds for o in graded)
        if worker_seconds:  # the clean run is the second, learner-free kernel of each submission
            share = clean_seconds / worker_seconds
            without = parallel * (1 - share)
            print(f"clean second run          : {clean_seconds / max(len(graded), 1):5.2f} s per notebook, "
                  f"{100 * share:.0f}% of grading time; without it about {without:.1f} s, "
                  f"ratio about {serial / without:.2f}x (estimated from the measured share)")
        print(f"identical scores          : {'yes' if same else 'NO'}; not graded: {len(failed)}")
        print(f"machine load average      : {load_before:.1f} before, {os.getloadavg()[0]:.1f} after "
              f"(other work on these {os.cpu_count()} cores lowers the ratio)")
        for o in failed:
            print(f"  {o.module}/{o.student}: {o.reason}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
