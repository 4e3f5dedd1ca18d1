"""pyproject.toml and environment.yml must ask for the same packages at the same versions."""
import re
import tomllib

import yaml

from course.paths import REPO

CONDA_NAMES = {"psycopg[binary]": "psycopg"}  # PyPI name -> conda-forge name where they differ


def _split(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"\s*([A-Za-z0-9_.\-]+(?:\[[a-z,]+\])?)\s*(.*)", requirement).groups()
    return name.lower(), spec.replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    wanted = dict(_split(r) for r in project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted.update(_split(r) for r in extra)
    conda = yaml.safe_load((REPO / "environment.yml").read_text())["dependencies"]
    have = dict(_split(d) for d in conda if isinstance(d, str) and not d.startswith(("python", "pip")))
    expected = {CONDA_NAMES.get(name, name): spec for name, spec in wanted.items()}
    assert have == expected, (
        "environment.yml and pyproject.toml disagree; "
        f"only in pyproject: {sorted(set(expected.items()) - set(have.items()))}, "
        f"only in environment.yml: {sorted(set(have.items()) - set(expected.items()))}"
    )
