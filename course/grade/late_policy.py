"""The course's late policy, on top of nbgrader's due dates.

A module's due date is nbgrader's `duedate` (`nbgrader db assignment add MODULE --duedate=…`, or
formgrader's "Manage Assignments"). What happens to work handed in after it is the trainer's call,
set in `grading/nbgrader_config.py`:

    c.CourseLatePolicy.grace_minutes = 60     # up to an hour after the due date still counts as on time
    c.CourseLatePolicy.percent_per_day = 10   # then 10 % of the notebook's autograded score off per started day
    c.CourseLatePolicy.zero_after_days = 7    # more than 7 days late: no marks (None: never)

The defaults flag late work and take nothing off. `CourseLatePolicy` is nbgrader's late-submission
plugin (`c.AssignLatePenalties.plugin_class`, set by `configure(c)`), so `nbgrader autograde` and
`course grade autograde` both write the penalty into the gradebook: formgrader and the learner's
feedback show "Late submission penalty", the grades CSV and the LMS table subtract it, and the
LMS table's `late` column and the hub's dashboard (`course.hub_records`, through
`policy_read_not_run`) use the same rule. `reassess` recomputes the penalty
from the clean run's scores (the course grader's learner run has no test results).
"""
from __future__ import annotations

import math
from pathlib import Path

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float

DAY = 86400.0


class CourseLatePolicy(LateSubmissionPlugin):
    """nbgrader late-submission plugin: a grace period, a share off per started day late, a cut-off."""

    grace_minutes = Float(0.0, min=0.0, help="Minutes after the due date that still count as on time").tag(config=True)
    percent_per_day = Float(0.0, min=0.0, max=100.0,
                            help="Percent of the notebook's score taken off per started day late").tag(config=True)
    zero_after_days = Float(None, allow_none=True, min=0.0,
                            help="Days late after which the work earns nothing (None: never)").tag(config=True)

    def is_late(self, seconds_late: float) -> bool:
        return seconds_late > self.grace_minutes * 60

    def days_late(self, seconds_late: float) -> int:
        """Started days after the due date (0 when within the grace period)."""
        return math.ceil(seconds_late / DAY) if self.is_late(seconds_late) else 0

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> float | None:
        if not self.is_late(total_seconds_late):
            return None
        if self.zero_after_days is not None and total_seconds_late > self.zero_after_days * DAY:
            return score
        return min(score, score * self.percent_per_day / 100 * self.days_late(total_seconds_late))

    def describe(self) -> str:
        """The policy in one sentence, for the learner and the trainer."""
        grace = (f" (up to {self.grace_minutes:g} minutes after it still counts as on time)"
                 if self.grace_minutes else "")
        if not self.percent_per_day and self.zero_after_days is None:
            return f"Work handed in after the due date{grace} is marked late; no points are taken off."
        parts = []
        if self.percent_per_day:
            parts.append(f"{self.percent_per_day:g}% of the autograded score is taken off per started day late")
        if self.zero_after_days is not None:
            parts.append(f"work more than {self.zero_after_days:g} days late earns no autograded points")
        return f"After the due date{grace}, " + "; ".join(parts) + "."


def policy(config=None, course_root=None) -> CourseLatePolicy:
    """The course's policy as `config` sets it; else as the course's grading/nbgrader_config.py does
    (`course_root`'s own when it has one, as on a hub, else this repository's)."""
    if config is None:
        from traitlets.config.loader import PyFileConfigLoader

        from course.paths import GRADING

        folder = Path(course_root or "/nonexistent") / "grading"
        folder = folder if (folder / "nbgrader_config.py").is_file() else GRADING
        config = PyFileConfigLoader("nbgrader_config.py", path=str(folder)).load_config()
    return CourseLatePolicy(config=config)


def policy_read_not_run(course_root) -> CourseLatePolicy:
    """The course's policy from `<course_root>/grading/nbgrader_config.py` (else the defaults), read
    without running the file: for the hub's record service, which runs as root and must never execute
    a file the trainers can edit. Only plain values count (`c.CourseLatePolicy.grace_minutes = 60`);
    anything else raises ValueError naming the line."""
    import ast

    from traitlets.config import Config

    path = Path(course_root) / "grading" / "nbgrader_config.py"
    config = Config()
    if not path.is_file():
        return CourseLatePolicy(config=config)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Attribute)
                    and target.value.attr == "CourseLatePolicy"):
                try:
                    value = ast.literal_eval(node.value)
                except ValueError:
                    raise ValueError(f"{path}, line {node.lineno}: CourseLatePolicy.{target.attr} must be a plain "
                                     "number (or None) for the hub's dashboard to read it") from None
                setattr(config.CourseLatePolicy, target.attr, value)
    return CourseLatePolicy(config=config)


def reassess(config, db_url: str, assignment: str, student: str) -> None:
    """Recompute each notebook's late penalty from the scores now in the gradebook (nbgrader's rule:
    the penalty never exceeds the notebook's score)."""
    from nbgrader.api import Gradebook

    plugin = policy(config)
    with Gradebook(db_url) as gb:
        submission = gb.find_submission(assignment, student)
        seconds = submission.total_seconds_late
        for notebook in submission.notebooks:
            penalty = plugin.late_submission_penalty(student, notebook.score, seconds) if seconds > 0 else None
            notebook.late_submission_penalty = None if penalty is None else max(0.0, min(penalty, notebook.score))
        gb.db.commit()


def configure(c) -> None:
    """Make `CourseLatePolicy` nbgrader's late-submission plugin; `grading/nbgrader_config.py` calls this."""
    c.AssignLatePenalties.plugin_class = CourseLatePolicy
