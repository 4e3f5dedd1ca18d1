"""Fixtures shared by several test files."""
from __future__ import annotations

import pytest

from source_runs import SourceRun, run_source


@pytest.fixture(scope="session")
def source_run(tmp_path_factory):
    """source_run(module) -> the module's source executed once per session with the verdict probes
    (tests/source_runs.py). Tests using it carry `xdist_group(module)`, so one worker runs it once."""
    cache: dict[str, SourceRun] = {}

    def run(module: str) -> SourceRun:
        if module not in cache:
            cache[module] = run_source(module, tmp_path_factory.mktemp(f"source-{module}") / module)
        return cache[module]

    return run
