"""The learner's "(view feedback)" link lands on the feedback page, not on a folder named by a time.

nbgrader's assignment list links each submission's fetched feedback to its folder,
`<module>/feedback/<submission time>/`, a name no learner recognises. `FeedbackPageList` is
nbgrader's own exchange list with one change: when a submission's feedback is one page (a module
is one notebook), the link names that page, so JupyterLab's file browser opens the folder with the
page selected. `deploy/jupyter/learner/nbgrader_config.py` sets `c.ExchangeFactory.list` to it.
"""
from __future__ import annotations

import os

from nbgrader.exchange.default.list import ExchangeList


def _submissions(assignments: list[dict]) -> list[dict]:
    return [s for info in assignments for s in info.get("submissions", [info])]


class FeedbackPageList(ExchangeList):
    """nbgrader's exchange list; a fetched feedback link names the page itself."""

    def parse_assignments(self):
        assignments = super().parse_assignments()
        for info in _submissions(assignments):
            folder = info.get("local_feedback_path")
            pages = [nb.get("local_feedback_path") for nb in info.get("notebooks", []) if nb.get("has_local_feedback")]
            if folder and len(pages) == 1 and pages[0] and os.path.isfile(pages[0]):
                info["local_feedback_path"] = os.path.join(folder, os.path.basename(pages[0]))
        return assignments
