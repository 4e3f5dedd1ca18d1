"""Every funnel rate a module shows is shown with the number of deals behind it (issue #15, "noise
and thresholds"): a rate over a handful of deals swings with a single deal, so a learner who
compares rates between reps, periods or groups must see the count that each one rests on.

Read from the executed source (the run shared with tests/test_contract.py, tests/source_runs.py):
every text output of a cell the learner is given (not an answer cell or a self-check: a learner's
own value is theirs to print) that names a funnel rate must also show a count of deals: a column or label
with `deals` or `decided`, or `n=<count>`. Team-median yardsticks (`proposal_rate_team`) are not
matched: they compare no rep with another; nor is a link table's row naming the rate a skill shows in
and which way it is worse (`proposal_rate  lower`, module 05's `LINKS`): it shows no rate. Charts are
images, so a chart's counts are checked where its notebook prints them beside it.
"""
from __future__ import annotations

import re

import pytest

from notebooks import nbgrader_meta, text_outputs

#: the modules checked
MODULES = ["02-managers-dashboard", "03-one-reps-numbers", "04-its-the-economy", "05-observe-before-you-coach",
           "07-feedback-and-the-coaching-plan", "08-did-the-coaching-work", "09-capstone-your-first-90-days"]
RATE = re.compile(r"\b(?:win|qualified|proposal|negotiation|close)[_ ]rates?\b|\b\w+_to_\w+_rate\b", re.I)
COUNT = re.compile(r"\bdecided|\b\w*deals\b|\bn=\d", re.I)
LINK_ROW = re.compile(rf"(?:{RATE.pattern})\s+(?:lower|higher)\b", re.I)
SELF_CHECK = re.compile(r"^\s*q\d+\.check\(\)", re.M)


def _uncounted(nb):
    """(cell index, first line naming a rate) for each learner-facing output naming a rate without a count."""
    found = []
    for index, cell in enumerate(nb.cells):
        meta = nbgrader_meta(cell)
        if cell.cell_type != "code" or meta.get("solution") or meta.get("grade") or SELF_CHECK.search(cell.source):
            continue
        text = LINK_ROW.sub("", text_outputs(cell))
        if RATE.search(text) and not COUNT.search(RATE.sub("", text)):
            found.append((index, next(line for line in text.splitlines() if RATE.search(line)).strip()))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("module", [pytest.param(m, marks=pytest.mark.xdist_group(m)) for m in MODULES])
def test_every_rate_shown_comes_with_the_deals_behind_it(module, source_run):
    uncounted = _uncounted(source_run(module).nb)
    assert not uncounted, f"{module}: cells show a rate without the deals behind it: {uncounted}"


def test_a_rate_without_its_count_is_caught():
    """The check itself: a table of win rates fails alone and passes with its decided deals."""
    import nbformat

    def notebook(text):
        cell = nbformat.v4.new_code_cell("kpis")
        cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": text}, execution_count=1)]
        return nbformat.v4.new_notebook(cells=[cell])

    assert _uncounted(notebook("      win_rate\nAna       0.50\nBo        0.25")) == [(0, "win_rate")]
    assert _uncounted(notebook("      win_rate  decided\nAna       0.50       12")) == []
    assert _uncounted(notebook("qualified_rate_team   0.81")) == []   # a team median, compared with nobody
    assert _uncounted(notebook("                 funnel_metric worse_when  threshold\nhabit  close_rate  lower  0.10")) == []
    assert _uncounted(notebook("habit  close_rate  lower\nAna  close_rate  0.40")) == [(0, "Ana  close_rate  0.40")]
    assert _uncounted(notebook("proposal_to_negotiation_rate  0.0")) == [(0, "proposal_to_negotiation_rate  0.0")]
