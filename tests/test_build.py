"""Releasing modules and keeping a learner's workspace in step without losing their work."""
import shutil

import pytest

from course.build import BuildError, build, sync_workspace
from course.paths import MODULES


def test_sync_adds_new_files_and_never_touches_the_learners(tmp_path, capsys):
    release, workspace = tmp_path / "release", tmp_path / "workspace"
    (release / "01-x").mkdir(parents=True)
    (release / "01-x" / "01-x.ipynb").write_text("released v2")
    (release / "01-x" / "data.csv").write_text("a,b\n")
    (workspace / "01-x").mkdir(parents=True)
    (workspace / "01-x" / "01-x.ipynb").write_text("my answers")

    sync_workspace([release / "01-x"], workspace)

    assert (workspace / "01-x" / "01-x.ipynb").read_text() == "my answers"
    assert (workspace / "01-x" / "data.csv").read_text() == "a,b\n"
    out = capsys.readouterr().out
    assert "kept your copy of 01-x/01-x.ipynb" in out and "new in your workspace: 01-x/data.csv" in out


def test_build_refuses_a_module_holding_learner_answers(tmp_path):
    module = "00-orientation"
    shutil.copytree(MODULES / module, tmp_path / "modules" / module)
    (tmp_path / "modules" / module / f"{module}.answers.json").write_text("{}")
    with pytest.raises(BuildError, match="answers.json"):
        build([module], root=tmp_path, use_db=False)
    assert not (tmp_path / "release").exists()


def test_build_names_an_unknown_module(tmp_path):
    (tmp_path / "modules").mkdir()
    with pytest.raises(BuildError, match="no module '99-nope'"):
        build(["99-nope"], root=tmp_path, use_db=False)
