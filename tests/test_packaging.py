"""A regular (non-editable) install carries everything a learner's kernel needs: a hub installs it so."""
import subprocess
import sys

import pytest

from course.paths import REPO


@pytest.mark.slow
def test_installed_package_loads_every_table_and_exercise_from_anywhere(tmp_path):
    target, elsewhere = tmp_path / "site", tmp_path / "learner"
    elsewhere.mkdir()
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(REPO)],
        capture_output=True, text=True,
    )
    assert install.returncode == 0, install.stderr
    probe = (
        "import importlib, pkgutil, course, course.data, course.crm, course.exercises\n"
        "assert course.__file__.startswith(%r), course.__file__\n"
        "for name in course.data.TABLES: course.load(name, validate=True)\n"
        "for m in pkgutil.iter_modules(course.exercises.__path__): importlib.import_module('course.exercises.' + m.name)\n"
        "assert all(p.exists() for p in course.crm.example_files().values())\n"
        "import course.grade.report as report, pathlib\n"
        "assert (pathlib.Path(report.__file__).parent / 'templates' / 'cohort_report.html.j2').exists()\n"
        "assert (pathlib.Path(course.__file__).parent / 'templates' / 'start.html.j2').exists()\n"
        "print('ok')\n"
    ) % str(target)
    result = subprocess.run([sys.executable, "-c", probe], cwd=elsewhere, capture_output=True, text=True,
                            env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"})
    assert result.stdout.strip() == "ok", result.stderr
