"""The kernel side of Validate (`course.validate`): where each self-check in a notebook stands.

Validate runs this after the learner's notebook, in the same kernel; it imports nothing heavy.
"""
from __future__ import annotations

import json
import sys


def self_check_report(namespace: dict) -> str:
    """JSON list of {variable, verdict, message} for each self-check in the notebook's namespace
    (verdict: "correct", "wrong" or "not attempted")."""
    # A notebook holds self-checks only if it imported these modules: import nothing new here.
    checks, widgets = sys.modules.get("course.checks"), sys.modules.get("course.widgets")
    kinds = tuple(kind for kind in (getattr(checks, "Exercise", None), getattr(widgets, "_Exercise", None)) if kind)
    report, seen = [], set()
    for name, value in list(namespace.items()):
        if name.startswith("_") or id(value) in seen or not isinstance(value, kinds):
            continue  # IPython's output history (_, _12) repeats objects
        seen.add(id(value))
        if widgets and isinstance(value, widgets._Exercise):
            verdict = {widgets.CORRECT: "correct", widgets.NOT_ATTEMPTED: "not attempted"}.get(value.status, "wrong")
            message = value._message().removeprefix(f"{value.question_id}: ")
            report.append({"variable": name, "verdict": verdict, "message": f"`{name}`: {message}"})
        else:
            from course.scaffold import unfilled

            answer = namespace.get(value.variable, Ellipsis)
            verdict, message = value.status(answer)
            if verdict != "correct" and unfilled(namespace, value.variable):
                verdict, message = "not attempted", f"`{value.variable}` is not attempted yet: fill in the blanks ___ first."
            report.append({"variable": value.variable, "verdict": verdict, "message": message})
    return json.dumps(report)
