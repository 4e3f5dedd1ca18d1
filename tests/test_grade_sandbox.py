"""Sandbox uids come from a fixed block, are checked against the machine before use, and only what
a kernel started is swept; each kernel has a private writable /tmp."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from course.grade import sandbox
from course.grade.sandbox import SandboxError, check_bwrap

root_only = pytest.mark.skipif(os.geteuid() != 0, reason="sandbox uids are used only when grading as root")


@pytest.fixture
def fresh_slot(monkeypatch):
    """This test process claims its own slot of sandbox uids, released when the test ends."""
    slot = sandbox._UidSlot()
    monkeypatch.setattr(sandbox, "_SLOT", slot)
    yield slot
    if slot.handle:
        slot.handle.close()


@pytest.fixture
def temp_user():
    """useradd a `cltest17_` account with a chosen uid; removed afterwards."""
    made = []

    def add(uid: int) -> str:
        name = f"cltest17_{uuid.uuid4().hex[:6]}"
        subprocess.run(["useradd", "--no-create-home", "--uid", str(uid), "--shell", "/usr/sbin/nologin", name],
                       check=True, capture_output=True)
        made.append(name)
        return name

    yield add
    for name in made:
        subprocess.run(["userdel", name], capture_output=True)


@root_only
def test_a_uid_that_is_an_account_or_runs_a_foreign_process_is_skipped_and_never_swept(fresh_slot, temp_user):
    first = fresh_slot.claim()
    assert first in sandbox.SANDBOX_UIDS and first + sandbox.UIDS_PER_WORKER - 1 in sandbox.SANDBOX_UIDS
    account = temp_user(first)
    assert "account" in sandbox.uid_in_use(first) and account in sandbox.uid_in_use(first)
    foreign = subprocess.Popen(["setpriv", f"--reuid={first + 1}", f"--regid={first + 1}", "--clear-groups",
                                "sleep", "60"])
    try:
        _wait_until_running_as(first + 1)
        assert sandbox.sandbox_uid() == first + 2     # the account and the busy uid are skipped
        sandbox.sweep(first + 1, wait=0.5)            # not verified by this worker: left alone
        assert foreign.poll() is None
        mine = subprocess.Popen(["setpriv", f"--reuid={first + 2}", f"--regid={first + 2}", "--clear-groups",
                                 "sleep", "60"])
        _wait_until_running_as(first + 2)
        sandbox.sweep(first + 2)                       # verified unused before its kernel: swept
        assert mine.wait(timeout=5) == -9
    finally:
        foreign.kill()
        foreign.wait()


def _wait_until_running_as(uid: int, timeout: float = 60) -> None:
    """setpriv takes a moment to switch to `uid` (longer on a busy machine)."""
    deadline = time.monotonic() + timeout
    while not sandbox.uid_in_use(uid):
        assert time.monotonic() < deadline, f"no process of uid {uid} after {timeout} s"
        time.sleep(0.05)


@root_only
def test_two_grading_runs_on_one_machine_never_share_sandbox_uids(fresh_slot):
    """Another worker (here a second process) holds a different slot of the block while it runs."""
    probe = ("from course.grade import sandbox; import sys; print(sandbox.sandbox_uid(), flush=True); "
             "sys.stdin.read()")
    other = subprocess.Popen([sys.executable, "-c", probe], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        theirs = int(other.stdout.readline())
        mine = sandbox.sandbox_uid()
    finally:
        other.communicate("")
    assert theirs in sandbox.SANDBOX_UIDS and mine in sandbox.SANDBOX_UIDS
    assert (mine - sandbox.SANDBOX_UIDS[0]) // sandbox.UIDS_PER_WORKER != \
        (theirs - sandbox.SANDBOX_UIDS[0]) // sandbox.UIDS_PER_WORKER


def test_each_kernel_gets_a_private_writable_tmp(tmp_path, fresh_slot):
    try:
        check_bwrap()
    except SandboxError as error:
        pytest.skip(f"no usable bubblewrap: {error}")
    (Path("/tmp") / f"outside-{uuid.uuid4().hex}").write_text("trainer's")
    code = ("import os, glob; open('/tmp/scratch.txt', 'w').write('ok'); "
            "print(open('/tmp/scratch.txt').read(), sorted(glob.glob('/tmp/outside-*')), os.getuid())")
    cwd, work, run = tmp_path / "cwd", tmp_path / "work", tmp_path / "run"
    for folder in (cwd, work, run):
        folder.mkdir()
    outputs = []
    for _ in range(2):   # two kernels in turn: the second sees nothing of the first
        cmd = sandbox.sandbox_command([sys.executable, "-c", code.replace("'w').write", "'x').write")],
                                      cwd, work, run, {}, sandbox.SETTINGS)
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout.split())
    for text, seen, *uid in outputs:
        assert text == "ok" and seen == "[]"
        if os.geteuid() == 0:
            assert int(uid[0]) in sandbox.SANDBOX_UIDS
