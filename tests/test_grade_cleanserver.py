"""The clean-run server (course/grade/cleanserver.py): each run is a fresh child of an untouched,
sandboxed process, records outputs as a kernel does, and a cell past the time limit ends in an error."""
from __future__ import annotations

import itertools
import json

import pytest

from course.grade.cleanserver import CleanServer
from course.grade.sandbox import SandboxError, check_bwrap
from course.paths import REPO

pytestmark = pytest.mark.slow
COUNTER = itertools.count()


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """run(cells, timeout) -> each cell's outputs, in a fresh child of one sandboxed server."""
    try:
        check_bwrap()
    except SandboxError as error:
        pytest.skip(f"no usable bubblewrap: {error}")
    server, base = CleanServer(), tmp_path_factory.mktemp("clean-server")

    def run(cells: list[str], timeout: float = 30) -> list[list[dict]]:
        folder = tmp_path_factory.mktemp("clean") / f"run{next(COUNTER)}"
        folder.mkdir()
        (folder / "given.txt").write_text("from the module folder")
        return server.run(cells, folder, base, timeout)

    yield run
    server.stop()


def test_outputs_are_recorded_as_a_kernel_records_them(run):
    outputs = run(["print('hello')", "import sys\nprint('careful', file=sys.stderr)", "40 + 2",
                   "from IPython.display import display\ndisplay('shown')", "raise ValueError('bad value')",
                   "open('given.txt').read()"])
    assert outputs[0] == [{"output_type": "stream", "name": "stdout", "text": "hello\n"}]
    assert outputs[1] == [{"output_type": "stream", "name": "stderr", "text": "careful\n"}]
    assert [(o["output_type"], o["data"]["text/plain"]) for o in outputs[2]] == [("execute_result", "42")]
    assert [(o["output_type"], o["data"]["text/plain"]) for o in outputs[3]] == [("display_data", "'shown'")]
    assert [(o["output_type"], o["ename"], o["evalue"]) for o in outputs[4]] == [("error", "ValueError", "bad value")]
    assert outputs[5][0]["data"]["text/plain"] == "'from the module folder'"


def test_each_run_starts_from_the_untouched_server(run):
    run(["import builtins, pandas\npandas.tampered = True\nbuiltins.isinstance = lambda *args: True\nleft_behind = 1\n"
         "get_ipython().events.register('pre_run_cell', lambda info: print('hooked'))"])
    outputs = run(["import builtins, pandas\n"
                   "print(hasattr(pandas, 'tampered'), isinstance.__name__ == 'isinstance', 'left_behind' in globals())"])
    assert outputs == [[{"output_type": "stream", "name": "stdout", "text": "False True False\n"}]]


def test_a_cell_past_the_time_limit_ends_in_an_error_and_the_next_cell_runs(run):
    outputs = run(["import time\ntime.sleep(30)", "print('next')"], timeout=1)
    assert [(o["output_type"], o.get("ename")) for o in outputs[0]] == [("error", "CellTimeoutError")]
    assert outputs[1] == [{"output_type": "stream", "name": "stdout", "text": "next\n"}]


def test_the_clean_run_is_sandboxed(run):
    outputs = run(["import os, socket\n"
                   f"print(os.path.exists({str(REPO / 'grading')!r}), os.path.exists({str(REPO / 'modules')!r}))\n"
                   "try:\n    socket.create_connection(('pypi.org', 443), timeout=3)\n    print('online')\n"
                   "except OSError:\n    print('offline')\n"
                   "print(os.getuid() != 0)"])
    assert json.dumps(outputs) and outputs[0][0]["text"].split() == ["False", "False", "offline", "True"]
