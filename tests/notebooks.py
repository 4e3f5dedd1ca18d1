"""Helpers the tests share: read, execute and edit nbgrader notebooks; a free port for a server."""
from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
HIDDEN_REGION = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def cell_by_grade_id(nb, grade_id: str):
    for cell in nb.cells:
        if nbgrader_meta(cell).get("grade_id") == grade_id:
            return cell
    raise KeyError(f"no cell with grade_id {grade_id!r}")


def autograded_points(nb) -> dict[str, float]:
    """{grade_id: points} of the autograded test cells."""
    return {
        nbgrader_meta(c)["grade_id"]: float(nbgrader_meta(c)["points"])
        for c in nb.cells
        if c.cell_type == "code" and nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution")
    }


def execute(nb, cwd: Path, allow_errors: bool = False, timeout: int = 180) -> float:
    """Run every cell in a fresh kernel with `cwd` as working folder; return seconds taken."""
    start = time.perf_counter()
    NotebookClient(
        nb, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
        resources={"metadata": {"path": str(cwd)}},
    ).execute()
    return time.perf_counter() - start


def problems_in_outputs(nb, skip=lambda cell: False) -> list[str]:
    """Errors and stderr output of each cell (nbgrader scores a cell 0 for either)."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or skip(cell):
            continue
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                found.append(f"cell {index}: {out.ename}: {out.evalue}")
            elif out.output_type == "stream" and out.name == "stderr":
                found.append(f"cell {index} wrote to stderr: {out.text[:300]}")
    return found


def text_outputs(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif "data" in out and "text/plain" in out.data:
            parts.append(out.data["text/plain"])
    return "".join(parts)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_and_list_survivors(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 30) -> list[str]:
    """Stop a server the way a supervisor would (`sig` to its own pid only) and list what of its
    process tree still runs `timeout` seconds later; those are then killed, so no test leaks them."""
    try:
        tree = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        tree = []
    if process.poll() is None:
        process.send_signal(sig)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        tree.append(psutil.Process(process.pid))
    _, alive = psutil.wait_procs(tree, timeout=5)
    survivors = []
    for leftover in alive:
        try:
            survivors.append(f"pid {leftover.pid}: {' '.join(leftover.cmdline())[:200]}")
            leftover.kill()
        except psutil.NoSuchProcess:
            pass
    process.wait(10)
    return survivors


def run_in_terminal(server: str, authorization: str, command: str, timeout: float = 90) -> str:
    """Type `command` in a new JupyterLab terminal of the Jupyter server at `server` (its base URL),
    through terminado's websocket as the browser does; return what it printed. Asserts exit code 0."""
    import requests
    import websocket

    headers = {"Authorization": authorization}
    name = requests.post(f"{server}/api/terminals", headers=headers, timeout=30).json()["name"]
    socket = websocket.create_connection(f"{server.replace('http', 'ws', 1)}/terminals/websocket/{name}",
                                         timeout=timeout, header=[f"Authorization: {authorization}"])
    marker = uuid.uuid4().hex
    socket.send(json.dumps(["stdin", f"{command}; echo END-{marker}-$?\r"]))
    output, deadline = "", time.monotonic() + timeout
    while f"END-{marker}-" not in output.replace(f"echo END-{marker}", "") and time.monotonic() < deadline:
        message = json.loads(socket.recv())
        if message[0] == "stdout":
            output += message[1]
    socket.close()
    requests.delete(f"{server}/api/terminals/{name}", headers=headers, timeout=30)
    assert f"END-{marker}-0" in output, f"terminal at {server}: {command}\n{output}"
    return output
