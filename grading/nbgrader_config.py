"""nbgrader configuration for the Coaching Lab course.

Run nbgrader from the repository root through `course` (`python -m course build`,
`python -m course grade …`), or from this folder: the course root is always the
repository, wherever the command starts.
"""
import os
from pathlib import Path

from course.grade.feedback import configure as configure_feedback
from course.grade.late_policy import configure as configure_late_policy
from course.grade.widget_answers import configure as configure_widget_answers

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

COURSE_ROOT = Path(__file__).resolve().parent.parent

c.CourseDirectory.course_id = "coaching-lab"
c.CourseDirectory.root = str(COURSE_ROOT)
# Source notebooks (solutions and hidden tests inside) live in modules/.
c.CourseDirectory.source_directory = "modules"
# Generated folders; all of them are git-ignored.
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
# sqlite by default; set NBGRADER_DB_URL (e.g. postgresql://…) for a large cohort.
c.CourseDirectory.db_url = os.environ.get(
    "NBGRADER_DB_URL", f"sqlite:///{COURSE_ROOT / 'grading' / 'gradebook.db'}"
)

# A learner's starter code: the variable stays, set to `...`, so "Run All" works and
# the self-checks can say "not attempted yet" instead of crashing on NotImplementedError.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# No single cell of this course needs more than a few seconds; a stuck cell is cut off.
c.Execute.timeout = 120

# A learner's widget answers (`<module>.answers.json`) are handed in beside the notebook:
# autograde must never replace them with a file from the source folder.
c.Autograde.exclude_overwriting = {
    module.name: [f"{module.name}.answers.json"]
    for module in (COURSE_ROOT / "modules").iterdir()
    if module.is_dir()
}

# Feedback, however it is made (`course grade feedback`, `nbgrader generate_feedback`, formgrader's
# "Generate Feedback"): no hidden test and no output showing one, learner HTML cleaned with nh3,
# and only the HTML page in feedback/ (see course/grade/feedback.py).
configure_feedback(c)
# Autograde shows each widget's graded answer as text in place of its live view, for formgrader and
# feedback, and tells the trainer whether it was right (see course/grade/widget_answers.py).
configure_widget_answers(c)

# Graded widget items (course.widgets) count the learner's final answer ("final"), or the first
# answer they gave ("first_attempt": a first wrong answer earns nothing, however it ends).
# On a hub with the widget-record service, answers come from its record, not the learner's file.
c.CoachingLabGrading.widget_answers = "final"

# The late policy, on top of each module's due date (nbgrader's `duedate`; see course/grade/late_policy.py).
# The defaults flag late work and take nothing off. For example, an hour's grace, then 10% off per
# started day, nothing after a week: grace_minutes = 60, percent_per_day = 10, zero_after_days = 7.
configure_late_policy(c)
c.CourseLatePolicy.grace_minutes = 0
c.CourseLatePolicy.percent_per_day = 0
c.CourseLatePolicy.zero_after_days = None
