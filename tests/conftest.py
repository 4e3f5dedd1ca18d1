"""Fixtures shared by several test files."""
from __future__ import annotations

import pytest

from course import answers
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


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A notebook folder as the kernel sees it: cwd, named after the module, no cached store."""
    here = tmp_path / "01-demo"
    here.mkdir()
    monkeypatch.chdir(here)
    answers.use_module(None)
    answers._stores.clear()
    yield here
    answers._stores.clear()
