"""The learner's "(view feedback)" link names the feedback page (nbgrader's own exchange list)."""
from __future__ import annotations

from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from course.hub_exchange import FeedbackPageList

MODULE = "00-orientation"
STAMP = "2026-11-30 10:00:00.000000 UTC"


def _lister(tmp_path, cls):
    config = Config()
    config.CourseDirectory.course_id = "coaching-lab"
    config.CourseDirectory.root = str(tmp_path / "home")
    config.Exchange.root = str(tmp_path / "exchange")
    config.Exchange.cache = str(tmp_path / "cache")
    config.Exchange.assignment_dir = str(tmp_path / "home")
    coursedir = CourseDirectory(config=config)
    coursedir.student_id = ""  # as the learner's assignment list asks: every submission of theirs
    lister = cls(coursedir=coursedir, config=config)
    lister.cached = True
    return lister


def _submitted(tmp_path, feedback: bool) -> None:
    cached = tmp_path / "cache" / "coaching-lab" / f"ana+{MODULE}+{STAMP}"
    cached.mkdir(parents=True)
    (cached / f"{MODULE}.ipynb").write_text("{}")
    (cached / "timestamp.txt").write_text(STAMP)
    if feedback:
        page = tmp_path / "home" / MODULE / "feedback" / STAMP / f"{MODULE}.html"
        page.parent.mkdir(parents=True)
        page.write_text("<html>feedback</html>")


def _links(lister) -> list:
    lister.init_dest()
    return [s["local_feedback_path"] for info in lister.parse_assignments() for s in info["submissions"]]


def test_view_feedback_names_the_page_not_the_time_folder(tmp_path):
    from nbgrader.exchange.default.list import ExchangeList

    _submitted(tmp_path, feedback=True)
    folder = str(tmp_path / "home" / MODULE / "feedback" / STAMP)
    assert _links(_lister(tmp_path, ExchangeList)) == [folder]           # nbgrader: the folder
    assert _links(_lister(tmp_path, FeedbackPageList)) == [f"{folder}/{MODULE}.html"]


def test_no_feedback_yet_no_link(tmp_path):
    _submitted(tmp_path, feedback=False)
    assert _links(_lister(tmp_path, FeedbackPageList)) == [None]
