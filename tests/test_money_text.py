"""Money in module prose never renders as LaTeX: JupyterLab pairs two `$` into a formula."""
from __future__ import annotations

import re

import nbformat
import pytest

from course.paths import MODULES

UNESCAPED_MONEY = re.compile(r"(?<!\\)\$(?=\d)")


@pytest.mark.parametrize("path", sorted(MODULES.glob("*/*.ipynb")), ids=lambda p: p.name)
def test_dollar_amounts_in_markdown_are_escaped(path):
    nb = nbformat.read(path, as_version=4)
    bad = [f"cell {i}: …{m.string[max(0, m.start() - 20):m.end() + 12]}…"
           for i, cell in enumerate(nb.cells) if cell.cell_type == "markdown"
           for m in UNESCAPED_MONEY.finditer(cell.source)]
    assert not bad, f"{path.name}: write money as \\$ in markdown:\n" + "\n".join(bad)


def test_the_check_finds_unescaped_money():
    assert UNESCAPED_MONEY.search("raised $1.4M, spent $300K")
    assert not UNESCAPED_MONEY.search(r"raised \$1.4M; $x^2$ stays a formula")
