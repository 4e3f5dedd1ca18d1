"""nbgrader for a trainer: the cohort's course folder and exchange (written by `course hub up`)."""
c = get_config()  # noqa: F821
load_subconfig("$course/grading/nbgrader_config.py")  # noqa: F821 (the course's own settings)
c.CourseDirectory.course_id = "$course_id"
c.CourseDirectory.root = "$course"
c.Exchange.root = "$exchange"
# Several trainers run one cohort: what nbgrader creates (release, exchange folders, feedback) is
# group-writable and setgid, for the trainer group that owns the course and exchange folders.
c.CourseDirectory.groupshared = True
