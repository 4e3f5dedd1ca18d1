"""Run a command (the test suite) and fail if any process it started outlives it.

    python tests/run_without_leftovers.py [--grace=SECONDS] python -m pytest ...

Every process the command starts stays in a cgroup made for this run, however it detaches (its own
session, another user, a cleared environment). When the command ends, whatever is still in the
cgroup some seconds later (15 by default) is listed, killed, and turns a passing run into a failing one. Needs root and
a writable cgroup hierarchy (v1 `pids` or v2); elsewhere the command runs unwatched, with a note.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HIERARCHIES = [Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup/unified"), Path("/sys/fs/cgroup")]


def make_cgroup() -> Path | None:
    """A new, empty cgroup to run the command in, or None where this machine cannot make one."""
    if os.geteuid() != 0:
        return None
    for hierarchy in HIERARCHIES:
        if (hierarchy / "cgroup.procs").exists():
            group = hierarchy / f"coaching-lab-tests-{os.getpid()}"
            try:
                group.mkdir()
                return group
            except OSError:
                continue
    return None


def members(group: Path) -> list[int]:
    return [int(pid) for pid in (group / "cgroup.procs").read_text().split()]


def describe(pid: int) -> str:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        command = "?"
    return f"pid {pid}: {command.strip()[:300]}"


def main(command: list[str], grace: float = 15) -> int:
    group = make_cgroup()
    if group is None:
        print("run_without_leftovers: no cgroup to watch the tests with (needs root); "
              "processes the tests leave behind are not checked", file=sys.stderr)
        return subprocess.call(command)

    def join_group() -> None:
        (group / "cgroup.procs").write_text(str(os.getpid()))

    try:
        returncode = subprocess.Popen(command, preexec_fn=join_group).wait()
    except KeyboardInterrupt:
        returncode = 130
    deadline = time.monotonic() + grace
    while members(group) and time.monotonic() < deadline:
        time.sleep(0.5)
    leftovers = [describe(pid) for pid in members(group)]
    while members(group):  # kill until empty: a leftover may still be starting children
        for pid in members(group):
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        time.sleep(0.2)
    group.rmdir()
    if leftovers:
        print(f"\nrun_without_leftovers: {len(leftovers)} process(es) started by the tests were still "
              f"running {grace:g} s after they ended (now killed):", file=sys.stderr)
        print("\n".join(f"  {line}" for line in leftovers), file=sys.stderr)
        return returncode or 1
    print("run_without_leftovers: no process started by the tests outlived them")
    return returncode


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments and arguments[0].startswith("--grace="):
        sys.exit(main(arguments[1:], grace=float(arguments[0].removeprefix("--grace="))))
    sys.exit(main(arguments))
