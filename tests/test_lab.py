"""`make lab` serves JupyterLab on 127.0.0.1 with every student notebook open-able, in self-paced mode:
the start page first, no instructor tools or exchange, module 00's terminal command works."""
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from course.nbgrader_tools import nbgrader_env
from course.paths import MODULES, module_names
from notebooks import free_port, read, run_in_terminal, stop_and_list_survivors


def _get(url: str, token: str, method: str = "GET"):
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"}, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


@pytest.mark.slow
def test_course_lab_serves_every_student_notebook(tmp_path):
    port, token = free_port(), "coaching-lab-test"
    workspace = tmp_path / "workspace"
    mine = workspace / "00-orientation" / "00-orientation.ipynb"
    mine.parent.mkdir(parents=True)
    my_cells = [{"cell_type": "markdown", "id": "mine", "metadata": {}, "source": "my own notes"}]
    mine.write_text(json.dumps({"cells": my_cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    server = subprocess.Popen(
        [sys.executable, "-m", "course", "lab", "--workspace", str(workspace), "--no-browser",
         f"--port={port}", f"--IdentityProvider.token={token}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=nbgrader_env(),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 1200  # it first releases every module (many minutes on a busy machine)
        while True:
            try:
                status, _ = _get(f"{base}/api/status", token)
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, f"`course lab` exited:\n{server.stdout.read()}"
                assert time.monotonic() < deadline, "JupyterLab did not answer within 1200 s"
                time.sleep(0.5)
        status, lab_page = _get(f"{base}/lab", token)
        assert status == 200
        # Self-paced mode: no nbgrader menu, Formgrader, Create Assignment or Assignments tab in the page,
        # no formgrader or exchange on the server, the course's start page instead.
        disabled = json.loads(re.search(rb'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                                        lab_page, re.S).group(1))["disabledExtensions"]
        assert {f"@jupyter/nbgrader:{name}" for name in
                ("menu", "formgrader", "create-assignment", "assignment-list", "course-list")} <= set(disabled)
        for instructor_or_exchange in ("formgrader", "assignments", "courses"):
            with pytest.raises(urllib.error.HTTPError, match="404"):
                _get(f"{base}/{instructor_or_exchange}", token)
        status, start = _get(f"{base}/coaching-lab", token)
        assert status == 200 and b'data-module="01-managing-vs-coaching"' in start
        served = {}
        for module in module_names():
            status, body = _get(f"{base}/api/contents/{module}/{module}.ipynb?content=1", token)
            assert status == 200, module
            served[module] = json.loads(body)["content"]["cells"]
        assert set(served) >= {"00-orientation", "01-managing-vs-coaching"}
        assert _get(f"{base}/api/contents/explore/explore-your-own-team.ipynb", token)[0] == 200
        assert served["00-orientation"] == my_cells, "a learner's own notebook must never be replaced"
        assert any("YOUR CODE HERE" in cell["source"] for cell in served["01-managing-vs-coaching"])
        # A terminal is a login shell (Debian's /etc/profile resets PATH): module 00's command still works,
        # as module 00 writes it (here on the learner's own notes, which hold no graded question), also
        # from the module's folder (where a terminal opened next to the notebook starts).
        command = re.search(r"`(python -m course validate [^`]+)`", "".join(
            c["source"] for c in read(MODULES / "00-orientation" / "00-orientation.ipynb").cells)).group(1)
        assert "Success! Your notebook passes all the tests." in run_in_terminal(
            base, f"token {token}", f"cd 00-orientation && {command}", timeout=600)
        assert _get(f"{base}/api/kernels", token, method="POST")[0] == 201  # a learner's running kernel
    finally:
        survivors = stop_and_list_survivors(server)
    assert not survivors, f"stopping `course lab` left these running: {survivors}"
