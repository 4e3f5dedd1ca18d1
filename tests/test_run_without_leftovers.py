"""The test suite's own guard: a process that outlives the command it watches fails the run."""
import subprocess
import sys
from pathlib import Path

import pytest

GUARD = Path(__file__).with_name("run_without_leftovers.py")
sys.path.insert(0, str(GUARD.parent))
from run_without_leftovers import make_cgroup  # noqa: E402


def _guard(shell: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(GUARD), "--grace=1", "sh", "-c", shell],
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module", autouse=True)
def _needs_cgroups():
    group = make_cgroup()
    if group is None:
        pytest.skip("needs root and a writable cgroup hierarchy")
    group.rmdir()


def test_a_detached_leftover_fails_the_run_and_is_killed():
    result = _guard("setsid sleep 1234 >/dev/null 2>&1 < /dev/null & exit 0")
    assert result.returncode == 1, result
    assert "sleep 1234" in result.stderr
    assert subprocess.run(["pgrep", "-f", "sleep 1234"]).returncode == 1, "the leftover was not killed"


def test_a_clean_run_keeps_the_commands_exit_code():
    assert _guard("exit 0").returncode == 0
    assert _guard("exit 3").returncode == 3
