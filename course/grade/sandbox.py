"""Run a learner's kernel inside bubblewrap, with limits on time, memory, processes and output.

nbgrader's `Execute` starts one kernel per notebook through a jupyter_client kernel manager.
`SandboxedKernelManager` swaps the kernel's command line for

    prlimit (memory, processes, file size, CPU, open files) -- bwrap (namespaces, binds) --
        [setpriv (a per-worker uid, when the grader runs as root)] -- python -m ipykernel_launcher

so the kernel sees: the system and Python installation read-only, the course package and
`datasets/` read-only, a *copy* of the learner's own folder without any notebook (the notebook
being graded already holds the hidden tests, so it stays outside), a private /tmp, and nothing
else: no source notebooks, no gradebook, no other learner, no network (own network namespace,
loopback only), no other process (own pid namespace). The kernel talks to the grader over
Unix sockets in a per-kernel folder bound into the sandbox (`transport = ipc`).

As root (a container, a grading VM) each kernel runs as a uid of its worker's own, so the process
limit (RLIMIT_NPROC counts per uid) holds a fork bomb to its own kernel. The uids come from one
fixed block, `SANDBOX_UIDS` (2000000000-2000065535: far above login accounts (UID_MAX 60000),
nobody (65534), systemd's dynamic users (61184-65519), subordinate uids for user namespaces
(100000-600100000) and systemd-nspawn containers (524288-1879048191)). A worker claims a slot of
16 uids in the block with a lock file (`/run/lock/coaching-lab-sandbox/`), so two grading runs on
one machine never share a uid; before each use a uid is checked against the machine's accounts and
groups (getpwuid/getgrgid) and its running processes, and is skipped if anything has it. Only a uid
verified unused this way is swept (every process of it killed) when its kernel ends: whatever runs
under it then was started by that kernel. The sandbox's /tmp is a private tmpfs, writable by the
kernel (mode 1777) and gone when it ends. As an ordinary user, bwrap makes a user namespace and the
process limit counts all the trainer's processes, so it is set above what the trainer already runs.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbgrader.preprocessors import Execute

from course.paths import REPO

SANDBOX_UIDS = range(2_000_000_000, 2_000_000_000 + 65536)   # see the module docstring
UIDS_PER_WORKER = 16
UID_LOCK_DIR = Path("/run/lock/coaching-lab-sandbox")
MPL_DIR = "/tmp/.matplotlib"
# Environment a kernel keeps; everything else (a database URL with a password...) is dropped.
KEEP_ENV_PREFIXES = ("JPY_", "PYDEVD_", "NBGRADER_EXECUTION", "LANG", "LC_", "TZ")


@dataclass(frozen=True)
class Limits:
    """What one learner's kernel may use."""

    memory_mb: int = 2048        # address space (RLIMIT_AS)
    processes: int = 64          # processes + threads (RLIMIT_NPROC)
    file_mb: int = 64            # largest file it may write (RLIMIT_FSIZE)
    cpu_seconds: int = 900       # CPU time of the kernel (RLIMIT_CPU)
    open_files: int = 256        # RLIMIT_NOFILE
    output_mb: float = 4.0       # printed output kept per notebook; the rest is cut off

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class SandboxSettings:
    """Set by the worker before each submission (one submission at a time per worker)."""

    enabled: bool = True
    limits: Limits = Limits()
    slot: int = 0
    runtime_dir: Path | None = None
    readonly: tuple[Path, ...] = ()
    font_cache: Path | None = None   # matplotlib's font list, so no kernel rebuilds it (~0.6 s each)


SETTINGS = SandboxSettings()
# What the sandbox had to stop in the current submission, read by the worker after each run.
EVENTS: list[str] = []


class SandboxError(RuntimeError):
    """bubblewrap is missing or cannot create a sandbox here."""


def readonly_paths() -> list[Path]:
    """Folders a kernel needs read-only: Python, its packages, the course code and data."""
    paths = [Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent.parent,
             REPO / "course", REPO / "datasets"]
    unique: list[Path] = []
    for path in paths:
        path = path.resolve()
        if path.exists() and path not in unique and not str(path).startswith("/usr/"):
            unique.append(path)
    return unique


def prepare_font_cache(target: Path) -> Path | None:
    """Copy this machine's matplotlib font list into `target` (built once if missing)."""
    try:
        import matplotlib
        import matplotlib.font_manager  # noqa: F401  (builds the font list if there is none)
    except ImportError:
        return None
    files = list(Path(matplotlib.get_cachedir()).glob("fontlist-*.json"))
    if not files:
        return None
    target.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.copy(path, target / path.name)
    return target


def check_bwrap() -> str:
    """The bwrap path, after proving it can build a sandbox here; raises SandboxError if not."""
    bwrap = shutil.which("bwrap")
    if not bwrap:
        raise SandboxError(
            "bubblewrap (`bwrap`) is not installed, so learner code cannot be isolated. Install it "
            "(Debian/Ubuntu: `apt-get install bubblewrap`), or pass --no-sandbox to run learner "
            "code with your own permissions (it can then read the hidden tests and the gradebook)."
        )
    probe = subprocess.run(
        [*_bwrap_base(bwrap), "--", sys.executable, "-c", "print('ok')"],
        capture_output=True, text=True, timeout=60,
    )
    if probe.returncode != 0 or "ok" not in probe.stdout:
        raise SandboxError(
            f"bubblewrap is installed but cannot create a sandbox here: {probe.stderr.strip()}. "
            "Allow user namespaces (or run the grader as root), or pass --no-sandbox."
        )
    return bwrap


def _parents(path: Path) -> list[Path]:
    return [p for p in reversed(path.parents) if str(p) != "/"]


def _bwrap_base(bwrap: str, readonly: list[Path] | None = None) -> list[str]:
    """bwrap with namespaces, the read-only system and Python, /proc, /dev and a private /tmp."""
    as_root = os.geteuid() == 0
    cmd = [bwrap, "--die-with-parent"]
    if as_root:  # no user namespace: setpriv drops to the worker's uid inside
        cmd += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
                "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        cmd += ["--unshare-all"]
    cmd += ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64"):
        top = Path("/") / name
        if top.is_symlink():
            cmd += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            cmd += ["--ro-bind", str(top), str(top)]
    for name in ("ld.so.cache", "localtime", "fonts", "alternatives", "mime.types"):
        etc = Path("/etc") / name
        if etc.exists():
            cmd += ["--ro-bind", str(etc), str(etc)]
    cmd += ["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/tmp"]
    made: set[Path] = {Path("/tmp"), Path("/usr")}
    for path in readonly or readonly_paths():
        for parent in _parents(path):
            if parent not in made:
                made.add(parent)
                cmd += ["--perms", "0755", "--dir", str(parent)]
        cmd += ["--ro-bind", str(path), str(path)]
        made.add(path)
    return cmd


def sandbox_command(kernel_cmd: list[str], cwd: Path, workdir: Path, runtime_dir: Path,
                    env: dict[str, str], settings: SandboxSettings, uid: int | None = None,
                    writable: dict[Path, Path] | None = None) -> list[str]:
    """The full command that runs `kernel_cmd` in a sandbox where `workdir` appears at `cwd`.

    `uid`: as root, the uid the kernel runs as (dropped to with setpriv inside the sandbox).
    """
    limits = settings.limits
    bwrap = shutil.which("bwrap") or "bwrap"
    readonly = list(settings.readonly) or readonly_paths()
    cmd = [
        shutil.which("prlimit") or "prlimit",
        f"--as={limits.memory_mb * 1024 * 1024}",
        f"--nproc={_nproc_limit(limits.processes)}",
        f"--fsize={limits.file_mb * 1024 * 1024}",
        f"--cpu={limits.cpu_seconds}",
        f"--nofile={limits.open_files}",
        "--core=0",
        "--",
        *_bwrap_base(bwrap, readonly),
    ]
    made = {Path("/tmp")} | {p for r in readonly for p in [r, *_parents(r)]}
    for path in (cwd, runtime_dir):
        for parent in _parents(path):
            if parent not in made:
                made.add(parent)
                cmd += ["--perms", "0755", "--dir", str(parent)]
    cmd += ["--bind", str(workdir), str(cwd), "--bind", str(runtime_dir), str(runtime_dir)]
    for source, target in (writable or {}).items():  # extra private folders, e.g. under /tmp
        cmd += ["--bind", str(source), str(target)]
    cmd += ["--clearenv", "--chdir", str(cwd)]
    kept = {k: v for k, v in env.items() if k.startswith(KEEP_ENV_PREFIXES)}
    kept.update({
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp", "USER": "learner", "LOGNAME": "learner",
        "MPLBACKEND": "agg", "MPLCONFIGDIR": MPL_DIR,
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    for key, value in sorted(kept.items()):
        cmd += ["--setenv", key, value]
    cmd += ["--"]
    if os.geteuid() == 0:
        uid = sandbox_uid() if uid is None else uid
        cmd += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
    return cmd + kernel_cmd


class _UidSlot:
    """This worker's 16 uids of `SANDBOX_UIDS`, held with a lock file for the worker's lifetime."""

    def __init__(self) -> None:
        self.first: int | None = None
        self.handle = None
        self.turn = 0
        self.verified: set[int] = set()

    def claim(self) -> int:
        import fcntl

        if self.first is not None:
            return self.first
        UID_LOCK_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
        for slot in range(len(SANDBOX_UIDS) // UIDS_PER_WORKER):
            handle = open(UID_LOCK_DIR / f"slot-{slot}.lock", "a")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            self.handle, self.first = handle, SANDBOX_UIDS[0] + slot * UIDS_PER_WORKER
            return self.first
        raise SandboxError(f"every sandbox uid slot under {UID_LOCK_DIR} is taken by another grading run")


_SLOT = _UidSlot()


def uid_in_use(uid: int) -> str | None:
    """Why `uid` cannot be a sandbox uid here (an account, a group, a running process), or None."""
    import grp
    import pwd

    try:
        return f"it is the account {pwd.getpwuid(uid).pw_name!r}"
    except KeyError:
        pass
    try:
        return f"it is the group {grp.getgrgid(uid).gr_name!r}"
    except KeyError:
        pass
    if _processes_of(uid):
        return "processes of it are running"
    return None


def sandbox_uid() -> int:
    """A fresh uid for each kernel this worker starts (its 16 in turn), verified unused right now,
    so nothing a previous learner's code left behind counts against the next learner's limits."""
    first = _SLOT.claim()
    for _ in range(UIDS_PER_WORKER):
        uid = first + _SLOT.turn % UIDS_PER_WORKER
        _SLOT.turn += 1
        if uid_in_use(uid) is None:
            _SLOT.verified.add(uid)
            return uid
        _SLOT.verified.discard(uid)
    raise SandboxError(f"no free sandbox uid in {first}-{first + UIDS_PER_WORKER - 1}: each is an "
                       "account or group on this machine or has processes running")


def _processes_of(uid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def sweep(uid: int, wait: float = 5.0) -> None:
    """Kill what still runs under a sandbox uid this worker verified unused, and wait until it is gone.

    Any other uid is left alone: its processes were not started by this worker's kernels."""
    import signal
    import time

    if uid not in _SLOT.verified:
        return
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        found = _processes_of(uid)
        if not found:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                continue
        time.sleep(0.05)


def _nproc_limit(processes: int) -> int:
    if os.geteuid() == 0:
        return processes  # counted for the worker's own uid only
    # As an ordinary user RLIMIT_NPROC counts every process of the trainer's uid.
    try:
        running = sum(1 for p in Path("/proc").iterdir()
                      if p.name.isdigit() and p.stat().st_uid == os.getuid())
    except OSError:
        running = 0
    return running * 4 + processes


def _copy_without_notebooks(src: Path, dst: Path, uid: int | None) -> None:
    """The learner's folder as the kernel sees it: every file but the notebooks."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints"),
                    symlinks=True, dirs_exist_ok=True)  # a link stays a link, pointing nowhere inside
    if uid is not None:
        for folder, dirs, files in os.walk(dst):
            os.chown(folder, uid, uid)
            for name in files:
                os.chown(os.path.join(folder, name), uid, uid, follow_symlinks=False)


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel runs in bubblewrap and talks over Unix sockets."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        base = SETTINGS.runtime_dir or Path(os.environ.get("TMPDIR", "/tmp"))
        self._sandbox_dir = base / f"k{uuid.uuid4().hex[:8]}"
        (self._sandbox_dir / "run").mkdir(parents=True)
        self.transport = "ipc"
        self.connection_file = str(self._sandbox_dir / "run" / "kernel.json")
        self.ip = str(self._sandbox_dir / "run" / "k")

    async def _async_pre_start_kernel(self, **kw):
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        if not SETTINGS.enabled:
            return kernel_cmd, kw
        cwd = Path(kw.get("cwd") or os.getcwd()).resolve()
        workdir = self._sandbox_dir / "work"
        uid = None
        if os.geteuid() == 0:
            uid = self._uid = sandbox_uid()
        _copy_without_notebooks(cwd, workdir, uid)
        run = self._sandbox_dir / "run"
        mpl = None
        if SETTINGS.font_cache and SETTINGS.font_cache.is_dir():
            mpl = self._sandbox_dir / "mpl"
            shutil.copytree(SETTINGS.font_cache, mpl)
            if uid is not None:
                for path in (mpl, *mpl.iterdir()):
                    os.chown(path, uid, uid)
        if uid is not None:
            os.chown(run, uid, uid)
            os.chown(self.connection_file, uid, uid)
        if not Path(kernel_cmd[0]).resolve().is_relative_to(Path(sys.prefix).resolve()) and \
                not Path(kernel_cmd[0]).resolve().is_relative_to(Path(sys.base_prefix).resolve()):
            kernel_cmd = [sys.executable, *kernel_cmd[1:]]
        cmd = sandbox_command(kernel_cmd, cwd, workdir, run, kw.get("env") or dict(os.environ), SETTINGS, uid,
                              writable={mpl: Path(MPL_DIR)} if mpl else None)
        return cmd, kw

    async def interrupt_kernel(self) -> None:
        """Interrupt by message: a signal to bwrap would not reach the kernel, it would end it."""
        if self.has_kernel:
            self._connect_control_socket()
            self.session.send(self._control_socket, self.session.msg("interrupt_request", content={}))

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if getattr(self, "_uid", None) is not None:
            sweep(self._uid)
        if not restart:
            shutil.rmtree(self._sandbox_dir, ignore_errors=True)


class SandboxedExecute(Execute):
    """nbgrader's Execute with the sandboxed kernel and a cap on printed output per notebook."""

    def __init__(self, *args, **kwargs):
        kwargs["kernel_manager_class"] = SandboxedKernelManager
        kwargs["kernel_name"] = "python3"  # never a kernel named by the learner's notebook
        super().__init__(*args, **kwargs)
        self._output_bytes = 0
        self._output_cut = False

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        size = len(str(content.get("text", ""))) + sum(len(str(v)) for v in content.get("data", {}).values())
        self._output_bytes += size
        if self._output_bytes > SETTINGS.limits.output_mb * 1024 * 1024:
            if not self._output_cut:
                self._output_cut = True
                EVENTS.append(f"printed more than {SETTINGS.limits.output_mb:g} MB; the rest of the output was cut off")
                note = {"output_type": "stream", "name": "stdout",
                        "text": f"\n[The grader cut the output off here: more than "
                                f"{SETTINGS.limits.output_mb:g} MB printed.]\n"}
                from nbformat import from_dict
                outs.append(from_dict(note))
            return None
        return super().output(outs, msg, display_id, cell_index)
