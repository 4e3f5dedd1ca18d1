"""The trainer's side of the course: intake, parallel sandboxed autograde, feedback, exports, report.

`course grade --help` lists the commands; `course.grade.cli.add_commands` registers them.
"""
