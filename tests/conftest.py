"""Fixtures shared by several test files."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course import answers
from course.nbgrader_tools import run_nbgrader
from course.paths import MODULES
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


@pytest.fixture(scope="session")
def released_course(tmp_path_factory):
    """released_course(module, into) -> `into`, a course holding the module's source (modules/), its
    student release (release/) and a gradebook that knows it (gradebook.db), copied from one
    `nbgrader generate_assignment` per module per session (per worker). Each caller gets its own
    copy to change; tests that must share the run on one worker carry `xdist_group(module)`."""
    pristine: dict[str, Path] = {}

    def copy(module: str, into: Path) -> Path:
        if module not in pristine:
            root = tmp_path_factory.mktemp(f"released-{module}")
            shutil.copytree(MODULES / module, root / "modules" / module,
                            ignore=shutil.ignore_patterns("*.answers.json", ".ipynb_checkpoints"))
            run_nbgrader("generate_assignment", module, "--force", root=root,
                         db_url=f"sqlite:///{root / 'gradebook.db'}")
            pristine[module] = root
        shutil.copytree(pristine[module], into, dirs_exist_ok=True)
        return into

    return copy


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
