"""Where the parallel grader's time goes, per submission: one worker, in this process, instrumented.

    python benchmarks/profile_grading.py -n 3 --modules 00-orientation 01-managing-vs-coaching

Builds the benchmark's submissions (benchmarks/bench_grading.py), grades each with the worker's
own `grade()` and prints, per stage, the mean wall time and the CPU time of the kernels' process
trees: preparing the scratch course, nbgrader's autograde (its bookkeeping, the learner's kernel
start until ready, the learner's cells, the answers taken out), the clean run (its kernel start
until ready, its cells) and the rest. Figures only; a shared machine makes them noisy.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

import bench_grading  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.util import run_sync  # noqa: E402

from course.grade import cleanroom, cleanserver, gradebook, worker  # noqa: E402
from course.grade.sandbox import Limits  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
WALL: dict[str, float] = defaultdict(float)
CPU: dict[str, float] = defaultdict(float)
STAGE = {"name": ""}
SERVER_CPU: dict[str, float] = defaultdict(float)


def tree_cpu(root: int) -> float:
    """CPU seconds of `root` and its descendants, with the children they have waited for."""
    parents, ticks = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            parents[int(entry)] = int(fields[1])
            ticks[int(entry)] = sum(int(f) for f in fields[11:15])
    return sum(ticks.get(pid, 0) for pid in bench_grading.process_tree(root, parents)) / TICK


def kernel_pid(client) -> int | None:
    process = getattr(getattr(client.km, "provisioner", None), "process", None)
    return getattr(process, "pid", None)


def instrument() -> None:
    """Wrap nbclient's kernel start, cell execution and cleanup to record wall and kernel CPU."""
    start_client = NotebookClient.async_start_new_kernel_client
    execute_cell = NotebookClient.async_execute_cell
    cleanup = NotebookClient._async_cleanup_kernel

    async def timed_start(self, *args, **kwargs):
        started = time.perf_counter()
        result = await start_client(self, *args, **kwargs)
        WALL[f"{STAGE['name']}: kernel start until ready"] += time.perf_counter() - started
        pid = kernel_pid(self)
        self._profile_cpu = tree_cpu(pid) if pid else 0.0
        CPU[f"{STAGE['name']}: kernel start until ready"] += self._profile_cpu
        return result

    async def timed_cell(self, cell, cell_index, *args, **kwargs):
        started = time.perf_counter()
        try:
            return await execute_cell(self, cell, cell_index, *args, **kwargs)
        finally:
            kind = "setup cell (imports)" if cell_index <= 2 and "import" in cell.source else "other cells"
            WALL[f"{STAGE['name']}: {kind}"] += time.perf_counter() - started

    async def timed_cleanup(self):
        pid = kernel_pid(self) if getattr(self, "km", None) else None
        if pid:
            CPU[f"{STAGE['name']}: cells (kernel CPU)"] += tree_cpu(pid) - getattr(self, "_profile_cpu", 0.0)
        started = time.perf_counter()
        try:
            return await cleanup(self)
        finally:
            WALL[f"{STAGE['name']}: kernel shutdown"] += time.perf_counter() - started

    NotebookClient.async_start_new_kernel_client = timed_start
    NotebookClient.async_execute_cell = timed_cell
    NotebookClient._async_cleanup_kernel = timed_cleanup
    NotebookClient.start_new_kernel_client = run_sync(timed_start)  # nbconvert calls the sync names
    NotebookClient.execute_cell = run_sync(timed_cell)
    NotebookClient._cleanup_kernel = run_sync(timed_cleanup)

    grade_clean = worker.grade_clean_run
    extract = cleanroom.ExtractingExecute._extract

    def timed_clean(*args, **kwargs):
        STAGE["name"] = "clean run"
        started = time.perf_counter()
        try:
            return grade_clean(*args, **kwargs)
        finally:
            WALL["clean run (total)"] += time.perf_counter() - started
            STAGE["name"] = "learner run"

    def timed_extract(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return extract(self, *args, **kwargs)
        finally:
            WALL["learner run: answers taken out"] += time.perf_counter() - started

    worker.grade_clean_run = timed_clean
    cleanroom.ExtractingExecute._extract = timed_extract


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=3, help="submissions per module")
    parser.add_argument("--modules", nargs="*", default=["00-orientation", "01-managing-vs-coaching"])
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="profile-grading-"))
    try:
        root = work / "course"
        db_url = bench_grading.build_course(root, args.modules, args.n)
        instrument()
        config_file = REPO / "grading" / "nbgrader_config.py"
        totals, cpu_self = [], 0.0
        for module in args.modules:
            template = work / f"template-{module}.db"
            gradebook.copy_assignment(db_url, f"sqlite:///{template}", module, new=True)
            notebooks = gradebook.assignment_notebooks(db_url, module)
            for index, folder in enumerate(sorted((root / "submitted").glob(f"*/{module}"))):
                job = {"id": index, "module": module, "student": folder.parent.name,
                       "submission_dir": str(folder), "source_dir": str(root / "modules" / module),
                       "scratch": str(work / "scratch" / f"{module}-{index}"), "template_db": str(template),
                       "notebooks": notebooks, "config_file": str(config_file), "cell_timeout": None,
                       "keep_files": [f"{module}.answers.json"], "course_root": str(root),
                       "limits": Limits().as_dict(), "sandbox": True, "slot": 0}
                STAGE["name"] = "learner run"
                before = os.times()
                started = time.perf_counter()
                result = worker.grade(job)
                totals.append(time.perf_counter() - started)
                after = os.times()
                cpu_self += (after.user - before.user) + (after.system - before.system)
                assert result["status"] == "graded", result
                shutil.rmtree(job["scratch"], ignore_errors=True)
        n = len(totals)
        if cleanserver.SERVER.proc:
            SERVER_CPU["total"] = tree_cpu(cleanserver.SERVER.proc.pid)
        print(f"{n} submissions ({args.n} per module x {', '.join(args.modules)}); mean per submission:")
        print(f"  {'total (wall)':48s} {sum(totals) / n:6.2f} s")
        print(f"  {'grader process CPU (nbgrader, nbclient, files)':48s} {cpu_self / n:6.2f} s")
        for name in sorted(WALL):
            cpu = f"   kernel CPU {CPU[name] / n:5.2f} s" if name in CPU else ""
            print(f"  {name:48s} {WALL[name] / n:6.2f} s{cpu}")
        for name in sorted(set(CPU) - set(WALL)):
            print(f"  {name:48s}           kernel CPU {CPU[name] / n:5.2f} s")
        if SERVER_CPU:
            print(f"  clean-run server CPU (its imports once, then one child per clean run): "
                  f"{SERVER_CPU['total']:.2f} s in all, {SERVER_CPU['total'] / n:.2f} s per submission")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
