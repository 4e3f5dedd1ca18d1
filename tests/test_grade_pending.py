"""Nothing is released or exported half-graded: pending manual grades stop feedback --release and export."""
from __future__ import annotations

import shutil

import pytest
from nbgrader.api import Gradebook

from course.grade.cli import main as grade_main
from course.grade.exports import pending_manual_grades
from course.nbgrader_tools import nbgrader_env




@pytest.fixture(scope="module")
def empty_gradebook(tmp_path_factory):
    """One module with an autograded cell and an essay (made once: a new gradebook runs alembic)."""
    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", nbgrader_env()["PATH"])
        with Gradebook(f"sqlite:///{path}", "coaching-lab") as gb:
            gb.add_assignment("01-mod")
            gb.add_notebook("01-mod", "01-mod")
            gb.add_grade_cell("sum_is_right", "01-mod", "01-mod", max_score=1, cell_type="code")
            gb.add_grade_cell("coaching_essay", "01-mod", "01-mod", max_score=3, cell_type="markdown")
    return path


@pytest.fixture
def gradebook(empty_gradebook, tmp_path):
    def make(waiting: dict[str, bool]) -> str:
        shutil.copy(empty_gradebook, tmp_path / "gradebook.db")
        return _gradebook(tmp_path, waiting)
    return make


def _gradebook(tmp_path, waiting: dict[str, bool]) -> str:
    """Each learner's essay graded or still waiting for a trainer."""
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url, "coaching-lab") as gb:
        for learner, pending in waiting.items():
            gb.add_student(learner)
            gb.add_submission("01-mod", learner)
            done = gb.find_grade("sum_is_right", "01-mod", "01-mod", learner)
            done.auto_score, done.needs_manual_grade = 1, False
            essay = gb.find_grade("coaching_essay", "01-mod", "01-mod", learner)
            essay.needs_manual_grade = pending
            essay.manual_score = None if pending else 2
        gb.db.commit()
    return url


def test_pending_grades_name_learners_and_questions(gradebook):
    url = gradebook({"ana": True, "ben": False, "caro": True})
    assert pending_manual_grades(url) == {"01-mod": {"ana": ["coaching_essay"], "caro": ["coaching_essay"]}}
    assert pending_manual_grades(url, ["02-other"]) == {}


def test_export_refuses_while_grades_are_pending(gradebook, tmp_path, capsys):
    url = gradebook({"ana": True, "ben": False})
    out = tmp_path / "out"
    code = grade_main(["grade", "export", "--course-root", str(tmp_path), "--db-url", url,
                       "--grades-csv", str(out / "g.csv"), "--lms-csv", str(out / "lms.csv")])
    message = capsys.readouterr().err
    assert code == 1 and not out.exists()
    assert "01-mod / ana: coaching_essay" in message and "ben" not in message
    assert "--allow-pending" in message


def test_export_goes_ahead_once_graded_or_when_allowed(gradebook, tmp_path, capsys):
    url = gradebook({"ana": True})
    out = tmp_path / "out"
    code = grade_main(["grade", "export", "--course-root", str(tmp_path), "--db-url", url, "--allow-pending",
                       "--grades-csv", str(out / "g.csv"), "--lms-csv", str(out / "lms.csv")])
    assert code == 0 and (out / "lms.csv").exists()
    assert "ana" in capsys.readouterr().err  # still warned


def test_the_lms_table_flags_late_submissions(gradebook):
    import datetime as dt

    from course.grade.exports import lms_table

    url = gradebook({"ana": False, "ben": False})
    with Gradebook(url, "coaching-lab") as gb:
        gb.find_assignment("01-mod").duedate = dt.datetime(2026, 11, 30, 12, 0)
        gb.find_submission("01-mod", "ana").timestamp = dt.datetime(2026, 11, 30, 11, 0)
        gb.find_submission("01-mod", "ben").timestamp = dt.datetime(2026, 11, 30, 13, 0)
        gb.db.commit()
    columns, rows = lms_table(url)
    assert columns[-1] == "late"
    assert {r["student_id"]: r["late"] for r in rows} == {"ana": "", "ben": "01-mod"}


def test_feedback_release_refuses_while_grades_are_pending(gradebook, tmp_path, capsys, monkeypatch):
    url = gradebook({"ana": True})
    released = []
    monkeypatch.setattr("course.grade.feedback.generate_feedback",
                        lambda *a, **k: [tmp_path / "feedback" / "ana" / "01-mod" / "01-mod.html"])
    monkeypatch.setattr("course.grade.cli.run_nbgrader", lambda *a, **k: released.append(a))
    code = grade_main(["grade", "feedback", "01-mod", "--release", "--course-root", str(tmp_path), "--db-url", url])
    assert code == 1 and released == []
    assert "01-mod / ana: coaching_essay" in capsys.readouterr().err
    assert grade_main(["grade", "feedback", "01-mod", "--release", "--allow-pending",
                       "--course-root", str(tmp_path), "--db-url", url]) == 0
    assert released and released[0][0] == "release_feedback"
