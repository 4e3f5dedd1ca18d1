"""Where the course's folders are: the repository a learner cloned or a trainer runs from."""
from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODULES = REPO / "modules"
GRADING = REPO / "grading"
NBGRADER_CONFIG = GRADING / "nbgrader_config.py"
WORKSPACE = REPO / "workspace"
EXPLORE = REPO / "explore"  # the ungraded "explore your own team" notebook


def module_names(modules: Path = MODULES) -> list[str]:
    """Every module folder (`NN-slug`) that holds its source notebook, in course order."""
    return sorted(
        folder.name
        for folder in modules.iterdir()
        if folder.is_dir() and folder.name[:2].isdigit() and (folder / f"{folder.name}.ipynb").exists()
    )
