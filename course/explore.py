"""The "explore your own team" notebook: its helpers and `course explore`, which runs it on your files.

    course explore EXPORT --mapping M [--reps R --reps-mapping RM] [--activity A] [--team T] [--out NB]

fills in the notebook's inputs cell, executes it with nbclient and writes the executed copy (by
default `explore-<export name>.ipynb` in the current folder). If the import refuses the files, the
copy shows the report, the report is printed, and the exit code is 1.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from course.crm import add_export_arguments
from course.paths import EXPLORE

NOTEBOOK = EXPLORE / "explore-your-own-team.ipynb"
INPUTS_TAG = "inputs"
INPUTS = ("EXPORT", "MAPPING", "REPS", "REPS_MAPPING", "ACTIVITY", "TEAM")

# each rate and the deals behind it (its denominator)
RATE_BASES = {
    "qualified_rate": "opportunities",
    "proposal_rate": "qualified",
    "negotiation_rate": "proposals",
    "close_rate": "negotiations",
    "win_rate": "closed",
}


class StopHere(Exception):
    """Stops a notebook quietly after the import report is shown: IPython prints only this message."""

    def _render_traceback_(self) -> list[str]:
        return ["The notebook stopped here: fix the problems listed above, then run it again from the top."]


def group_column(reps: pd.DataFrame) -> str | None:
    """The column that says which team a rep is in: 'team', else 'manager', else None."""
    return next((column for column in ("team", "manager") if column in reps), None)


def pick_team(reps: pd.DataFrame, team: str | None) -> tuple[str | None, list[str]]:
    """(the team or manager to look at, its reps). None picks the largest; an unknown name raises ValueError."""
    column = group_column(reps)
    if column is None:
        return None, reps["rep_id"].astype(str).tolist()
    sizes = reps[column].astype(str).value_counts()
    if team is None:
        team = str(sizes.index[0])
    elif team not in sizes.index:
        raise ValueError(f"There is no {column} {team!r}. The {column}s are: {', '.join(map(repr, sizes.index))}")
    return team, reps.loc[reps[column].astype(str) == team, "rep_id"].astype(str).tolist()


def rates_with_deals(kpis: pd.DataFrame) -> pd.DataFrame:
    """Each rate next to the number of deals it is computed from (`<rate>_deals`), plus deal size and cycle."""
    counts = kpis.assign(closed=kpis["won"] + kpis["lost"])
    out = pd.DataFrame(index=kpis.index)
    out["opportunities"] = kpis["opportunities"]
    for rate, base in RATE_BASES.items():
        out[rate] = kpis[rate]
        out[f"{rate}_deals"] = counts[base]
    out["avg_deal_size"] = kpis["avg_deal_size"]
    out["avg_deal_size_deals"] = kpis["won"]
    out["avg_cycle_days"] = kpis["avg_cycle_days"]
    out["avg_cycle_days_deals"] = counts["closed"]
    out["avg_discount_pct"] = kpis["avg_discount_pct"]
    return out


def plot_team(kpis: pd.DataFrame, reps: list[str], rate: str = "win_rate", most: int = 40):
    """One team's reps as bars of `rate`, each labelled with its deals; the team median as a line."""
    import matplotlib.pyplot as plt

    table = rates_with_deals(kpis).reindex(reps)
    table = table[table[f"{rate}_deals"].fillna(0) > 0]
    if len(table) > most:  # a very large "team": the reps with the most deals, said in the title
        table = table.nlargest(most, f"{rate}_deals")
    table = table.sort_values(rate)
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(table) + 1.2))
    ax.barh(table.index.astype(str), table[rate], color="#4C72B0")
    for y, (value, deals) in enumerate(zip(table[rate], table[f"{rate}_deals"])):
        ax.text(value + 0.01, y, f"{value:.0%} of {int(deals)}", va="center", fontsize=8)
    ax.axvline(table[rate].median(), color="black", linestyle="--", label="team median")
    ax.set_xlim(0, 1.15)
    ax.set_xlabel(f"{rate.replace('_', ' ')} (label: rate of how many deals)")
    ax.set_title(f"{len(table)} reps" + (f" (the {most} with the most deals)" if len(reps) > most else ""))
    ax.legend(loc="lower right")
    return fig


def plot_distribution(kpis: pd.DataFrame, reps: list[str], rate: str = "win_rate", min_deals: int = 10):
    """Every rep with at least `min_deals` deals behind `rate` as one histogram; the chosen team's reps as ticks."""
    import matplotlib.pyplot as plt

    table = rates_with_deals(kpis)
    enough = table[table[f"{rate}_deals"] >= min_deals]
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.hist(enough[rate].dropna(), bins=np.linspace(0, 1, 21), color="#BBBBBB", label="all reps")
    ours = enough[enough.index.astype(str).isin(reps)][rate].dropna()
    ax.plot(ours, np.zeros(len(ours)), "|", color="#C44E52", markersize=25, markeredgewidth=2, label="your team")
    ax.set_xlabel(f"{rate.replace('_', ' ')}, reps with at least {min_deals} deals behind it "
                  f"({len(enough):,} of {len(table):,})")
    ax.set_ylabel("reps")
    ax.legend()
    return fig


# ---------------------------------------------------------------- course explore
def _inputs_source(values: dict[str, str | None]) -> str:
    lines = ["# Your inputs (written by `course explore`). Paths can be relative to this notebook's folder."]
    lines += [f"{name} = {values.get(name)!r}" for name in INPUTS]
    return "\n".join(lines) + "\n"


def main_explore(argv: list[str] | None = None) -> int:
    """`course explore`: run the explore notebook on your export; write the executed copy. Exit 1 if refused."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    parser = argparse.ArgumentParser(
        prog="course explore",
        description="Run the 'explore your own team' notebook on your CRM export and save the executed copy.")
    add_export_arguments(parser, "export")
    parser.add_argument("--team", help="the team (or manager) to look at; default: the largest")
    parser.add_argument("--out", type=Path, help="the executed notebook (default: explore-<export>.ipynb here)")
    args = parser.parse_args(argv)
    out = (args.out or Path(f"explore-{args.export.stem}.ipynb")).resolve()
    path = lambda p: str(p.resolve()) if p else None  # noqa: E731
    values = {"EXPORT": path(args.export), "MAPPING": path(args.mapping), "REPS": path(args.reps),
              "REPS_MAPPING": path(args.reps_mapping), "ACTIVITY": path(args.activity), "TEAM": args.team}
    nb = nbformat.read(NOTEBOOK, as_version=4)
    (cell,) = [c for c in nb.cells if INPUTS_TAG in c.get("metadata", {}).get("tags", [])]
    cell.source = _inputs_source(values)
    out.parent.mkdir(parents=True, exist_ok=True)
    client = NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(out.parent)}})
    try:
        client.execute()
        code = 0
    except CellExecutionError:
        code = 1
    nbformat.write(nb, out)
    if code:
        shown = [o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                 if o.get("output_type") == "stream"]
        errors = [f"{o.ename}: {o.evalue}" for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                  if o.get("output_type") == "error" and o.ename != "StopHere"]
        print("".join(shown[-1:]) + "\n".join(errors), file=sys.stderr)
        print(f"The notebook stopped; what it showed is in {out}", file=sys.stderr)
    else:
        print(f"Wrote the executed notebook to {out}")
    return code
