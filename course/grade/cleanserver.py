"""The clean run without a kernel start: a pre-warmed, sandboxed fork server runs trusted cells.

The clean run (`course.grade.cleanroom`) executes only trusted code: the source notebook's own
given cells and test cells, with the learner's answers injected as plain data. It needs a fresh
*process* per submission, not a fresh interpreter: a new Jupyter kernel per submission paid the
kernel start and the imports (pandas, matplotlib, seaborn, course) every time, about half of a
submission's grading time.

So each grading worker starts one `CleanServer`: `python -P -m course.grade.cleanserver`, in the
same sandbox as a learner's kernel (bubblewrap, limits, a sandbox uid, no network, a private /tmp),
which imports IPython and those libraries once and waits. For each clean run it forks a child;
the child moves into the run's folder, executes the cells in an IPython shell, records each
cell's outputs as a kernel would (stream, display data, result, error; a cell that runs past
the time limit ends in an error), sends them back and exits. No learner code ever runs in the
server, so every child starts from the same untouched state, as a new kernel would, and
whatever a child changes dies with it.
"""
from __future__ import annotations

import builtins
import io
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

PRELOAD = ("numpy", "pandas", "matplotlib.pyplot", "seaborn", "ipywidgets", "course", "course.checks",
           "course.widgets", "course.answers", "course.scaffold")


# --------------------------------------------------------------------------- the grader's side
class CleanServerError(RuntimeError):
    """The clean-run server could not run the cells (it died, or a child did)."""


class CleanServer:
    """One worker's fork server; started on first use, restarted if it dies."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.key: tuple | None = None
        self.jobs: Path | None = None
        self.uid: int | None = None
        self.ready = False

    def run(self, cells: list[str], folder: Path, base: Path, timeout: float) -> list[list[dict]]:
        """Each cell's outputs (nbformat dicts), the cells executed in a fresh child in `folder`.

        `folder` is moved under the server's own jobs folder (`base`/jobs) for the run."""
        from course.grade import sandbox

        self.launch(base)
        if not self.ready:
            ready = self._reply(deadline=time.monotonic() + 300)
            if not ready.get("ready"):
                raise CleanServerError(f"the clean-run server did not start: {ready.get('error', '')} "
                                       f"(see {base / 'server.log'})")
            self.ready = True
        job = self.jobs / folder.name
        shutil.rmtree(job, ignore_errors=True)
        shutil.move(folder, job)
        if self.uid is not None:
            for path in (job, *job.rglob("*")):
                os.chown(path, self.uid, self.uid, follow_symlinks=False)
        (job / "cells.json").write_text(json.dumps(cells))
        output_bytes = int(sandbox.SETTINGS.limits.output_mb * 1024 * 1024)
        self.proc.stdin.write(json.dumps({"folder": str(job), "timeout": timeout, "output_bytes": output_bytes}) + "\n")
        self.proc.stdin.flush()
        reply = self._reply(deadline=time.monotonic() + timeout * (len(cells) + 1) + 30)
        shutil.rmtree(job, ignore_errors=True)
        if "outputs" not in reply:
            raise CleanServerError(reply.get("error", "no outputs"))
        return reply["outputs"]

    def launch(self, base: Path) -> None:
        """Start the server unless it runs with these settings: its imports then overlap the
        learner's run (the worker calls this before it, `run` waits until the server is ready)."""
        from course.grade import sandbox

        key = (base, sandbox.SETTINGS.enabled, sandbox.SETTINGS.limits)
        if self.proc is None or self.proc.poll() is not None or self.key != key:
            self.start(base)
            self.key = key

    def start(self, base: Path) -> None:
        from course.grade import sandbox

        self.stop()
        self.ready = False
        shutil.rmtree(base, ignore_errors=True)
        self.jobs = base / "jobs"
        run = base / "run"
        for path in (self.jobs, run):
            path.mkdir(parents=True)
        command = [sys.executable, "-P", "-m", "course.grade.cleanserver"]
        env = {**os.environ, "NBGRADER_EXECUTION": "autograde", "MPLBACKEND": "agg"}
        self.uid = None
        if sandbox.SETTINGS.enabled:
            self.uid = sandbox.sandbox_uid() if os.geteuid() == 0 else None
            owned, writable = [self.jobs, run], None
            if sandbox.SETTINGS.font_cache and sandbox.SETTINGS.font_cache.is_dir():
                shutil.copytree(sandbox.SETTINGS.font_cache, base / "mpl")
                writable = {base / "mpl": Path(sandbox.MPL_DIR)}
                owned += [base / "mpl", *(base / "mpl").iterdir()]
            if self.uid is not None:
                for path in owned:
                    os.chown(path, self.uid, self.uid)
            command = sandbox.sandbox_command(command, self.jobs, self.jobs, run, env, sandbox.SETTINGS,
                                              self.uid, writable=writable)
        log = open(base / "server.log", "ab")
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                     cwd=self.jobs, env=env, text=True, bufsize=1)
        log.close()

    def _reply(self, deadline: float) -> dict:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
            if ready:
                line = self.proc.stdout.readline()
                if not line:
                    self.stop()
                    return {"error": "the clean-run server ended"}
                return json.loads(line)
        self.stop()
        return {"error": "the clean run did not finish in time"}

    def stop(self) -> None:
        from course.grade import sandbox

        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None
        if self.uid is not None:
            sandbox.sweep(self.uid)


SERVER = CleanServer()


# --------------------------------------------------------------------------- the server's side
class CellTimeoutError(Exception):
    """A cell ran past the time limit."""


class Capture:
    """The outputs of the cell running now, in nbformat's shape, capped at `limit` bytes."""

    def __init__(self) -> None:
        self.outputs: list[dict] = []
        self.size = 0
        self.limit = 0

    def add(self, output: dict) -> None:
        self.size += len(json.dumps(output))
        if self.size > self.limit:
            output = {"output_type": "stream", "name": "stdout", "text": "[output cut off: too long]\n"}
            if self.outputs and self.outputs[-1] == output:
                return
        if output["output_type"] == "stream" and self.outputs and self.outputs[-1]["output_type"] == "stream" \
                and self.outputs[-1]["name"] == output["name"] and self.size <= self.limit:
            self.outputs[-1]["text"] += output["text"]
        else:
            self.outputs.append(output)


CAPTURE = Capture()


class Stream(io.TextIOBase):
    def __init__(self, name: str) -> None:
        self.name = name

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            CAPTURE.add({"output_type": "stream", "name": self.name, "text": str(text)})
        return len(text)


def _shell():
    """An IPython shell whose results, displays and errors become outputs, as ipykernel's do."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    class Results(DisplayHook):
        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            CAPTURE.add({"output_type": "execute_result", "data": format_dict, "metadata": md_dict or {},
                         "execution_count": self.shell.execution_count})

        def finish_displayhook(self):
            self._is_active = False

    class Displays(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            CAPTURE.add({"output_type": "display_data", "data": data, "metadata": metadata or {}})

        def clear_output(self, wait=False):
            CAPTURE.outputs.clear()

    class CleanShell(InteractiveShell):
        displayhook_class = Results
        display_pub_class = Displays

        def _showtraceback(self, etype, evalue, stb):
            CAPTURE.add({"output_type": "error", "ename": etype.__name__, "evalue": str(evalue), "traceback": stb})

    return CleanShell.instance(config=Config({"HistoryManager": {"enabled": False}}))


def run_cells(shell, cells: list[str], timeout: float, output_bytes: int) -> list[list[dict]]:
    def stop(signum, frame):
        raise CellTimeoutError(f"Cell execution timed out ({timeout:g} s)")

    signal.signal(signal.SIGALRM, stop)
    sys.stdout, sys.stderr = Stream("stdout"), Stream("stderr")
    CAPTURE.limit = output_bytes
    results = []
    for source in cells:
        CAPTURE.outputs = []
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            shell.run_cell(source, store_history=True)
        except CellTimeoutError as error:  # raised outside the cell's own code
            CAPTURE.add({"output_type": "error", "ename": "CellTimeoutError", "evalue": str(error), "traceback": []})
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        results.append(CAPTURE.outputs)
    return results


def _child(shell, request: dict, send: int) -> None:
    """Run the cells, send their outputs, and end: never return into the server's loop."""
    try:
        try:
            os.chdir(request["folder"])
            cells = json.loads(Path("cells.json").read_text())
            saved = dict(vars(builtins))
            outputs = run_cells(shell, cells, request["timeout"], request["output_bytes"])
            vars(builtins).update(saved)  # whatever the cells did to builtins, reporting needs them
            data = json.dumps({"outputs": outputs}, default=str)
        except BaseException as error:  # noqa: BLE001  (reported, never raised past the fork)
            data = json.dumps({"error": f"{type(error).__name__}: {error}"[:2000]})
        with os.fdopen(send, "wb") as pipe:
            pipe.write(data.encode())
    finally:
        os._exit(0)


def serve() -> int:
    """Import once, then fork a child per request line on stdin; one reply line each."""
    import importlib

    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # whatever a library prints goes to the log, never into the replies
    for name in PRELOAD:
        importlib.import_module(name)
    shell = _shell()
    replies.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        receive, send = os.pipe()
        pid = os.fork()
        if pid == 0:
            replies.close()
            os.close(receive)
            _child(shell, request, send)
        os.close(send)
        with os.fdopen(receive, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            reply = {"error": f"the clean run was ended by signal {os.WTERMSIG(status)} (a limit)"}
        else:
            try:
                reply = json.loads(data)
            except ValueError:
                reply = {"error": "the clean run sent no outputs"}
        replies.write(json.dumps(reply) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(serve())
