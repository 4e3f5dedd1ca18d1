"""Turn source modules into student releases, and keep a learner's workspace in step."""
from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

from course.nbgrader_tools import run_nbgrader
from course.paths import REPO, WORKSPACE, module_names


class BuildError(RuntimeError):
    """A module cannot be released as it stands; the message says what to fix."""


def build(modules: list[str] | None = None, root: Path = REPO, use_db: bool = True) -> list[Path]:
    """Generate the student release of each module with `nbgrader generate_assignment`."""
    source = root / "modules"
    names = modules or module_names(source)
    for name in names:
        if not (source / name / f"{name}.ipynb").exists():
            raise BuildError(f"no module {name!r}: expected {source / name / (name + '.ipynb')}")
        stray = sorted(p.name for p in (source / name).glob("*.answers.json"))
        if stray:
            raise BuildError(
                f"{source / name} holds learner answers ({', '.join(stray)}), left by running the "
                "source notebook in place; delete them so they are not released to learners."
            )
    for name in names:
        run_nbgrader("generate_assignment", name, "--force", *([] if use_db else ["--no-db"]), root=root)
        print(f"released {name} -> {root / 'release' / name}")
    return [root / "release" / name for name in names]


def sync_workspace(folders: list[Path], workspace: Path = WORKSPACE) -> None:
    """Copy each folder's files the learner does not have yet into workspace/<folder name>/;
    never touch a file they have."""
    for folder in folders:
        for released in sorted(p for p in folder.rglob("*") if p.is_file()):
            mine = workspace / folder.name / released.relative_to(folder)
            if not mine.exists():
                mine.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(released, mine)
                print(f"new in your workspace: {mine.relative_to(workspace)}")
            elif not filecmp.cmp(released, mine, shallow=False):
                print(f"kept your copy of {mine.relative_to(workspace)} (the release has changed; "
                      f"the new version is in {released})")
