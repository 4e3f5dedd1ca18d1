"""Funnel numbers per rep and per team, shared by the modules and the "your own CRM data" path.

Every function takes course-shaped tables (see datasets/README.md) and is vectorized: one
`groupby`, no loop over rows, so it runs on a million opportunities in about a second.

Definitions used throughout the course
--------------------------------------
* A deal *reached* a stage when its `furthest_stage` is that stage or later (a won deal reached
  every stage). Deals whose furthest stage is unknown (possible in an imported export) count as
  opportunities but reach no stage.
* Stage conversion = deals that reached a stage / deals that reached the stage before it. Deals
  still open count in the denominator, so recent, unfinished deals pull rates down a little;
  pass `closed_only=True` to look at finished deals only.
* Win rate = won / (won + lost). Open deals are not lost deals: they are left out.
* One name per metric across the course: `close_rate` is always negotiation -> won (the last
  stage); the *proposal win rate* of Module 01 is deals won / proposals presented, which spans
  two stages (`negotiation_rate` then `close_rate`).
* A rate over a handful of deals swings with a single deal: `deals_behind_rates` gives the count
  behind each rate and `thin_rates` flags those resting on fewer than MIN_DEALS (20).
* Average deal size and average discount are over won deals; average cycle is over closed
  (won or lost) deals, in days from created to closed.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

STAGES = ("prospecting", "qualified", "proposal", "negotiation", "won")

KPI_COLUMNS = [
    "opportunities", "qualified", "proposals", "negotiations", "won", "lost", "open",
    "qualified_rate", "proposal_rate", "negotiation_rate", "close_rate", "win_rate",
    "avg_deal_size", "avg_cycle_days", "avg_discount_pct",
]
RATE_COLUMNS = ["qualified_rate", "proposal_rate", "negotiation_rate", "close_rate", "win_rate"]

#: fewer deals than this behind a rate and one deal moves it by more than five points: read it as noise
MIN_DEALS = 20
#: the count of deals each rate divides by (for win_rate: the decided deals, won + lost)
RATE_BASES = {"qualified_rate": "opportunities", "proposal_rate": "qualified", "negotiation_rate": "proposals",
              "close_rate": "negotiations", "win_rate": "decided"}


def _stage_rank(furthest_stage: pd.Series) -> np.ndarray:
    """0 for prospecting … 4 for won, -1 when unknown."""
    stage = pd.Categorical(furthest_stage, categories=list(STAGES), ordered=True)
    return np.asarray(stage.codes)


def rep_funnel_kpis(opportunities: pd.DataFrame, by: str | list[str] = "rep_id", closed_only: bool = False) -> pd.DataFrame:
    """Per rep (or per any column in `by`): counts at each stage, conversion rates, win rate, size, cycle, discount.

    Columns: opportunities, qualified, proposals, negotiations, won, lost, open (counts);
    qualified_rate (qualified / opportunities), proposal_rate (proposals / qualified),
    negotiation_rate (negotiations / proposals), close_rate (won / negotiations),
    win_rate (won / (won + lost)); avg_deal_size (won deals, USD), avg_cycle_days (closed deals),
    avg_discount_pct (won deals). A rate with nothing to divide by is NaN, not 0.

        >>> kpis = rep_funnel_kpis(course.load("opportunities"))
        >>> kpis.loc["R001", "win_rate"]
    """
    keys = [by] if isinstance(by, str) else list(by)
    opps = opportunities
    if closed_only:
        opps = opps[opps["outcome"].astype(str) != "open"]
    rank = _stage_rank(opps["furthest_stage"])
    outcome = opps["outcome"].astype(str).to_numpy()
    won = outcome == "won"
    closed = won | (outcome == "lost")
    amount = opps["amount"].to_numpy(dtype="float64")
    cycle = (opps["closed_date"] - opps["created_date"]).dt.days.to_numpy(dtype="float64")
    work = pd.DataFrame({
        "opportunities": 1,
        "qualified": rank >= 1,
        "proposals": rank >= 2,
        "negotiations": rank >= 3,
        "won": won,
        "lost": outcome == "lost",
        "open": outcome == "open",
        "_won_amount": np.where(won, amount, 0.0),
        "_won_discount": np.where(won, opps["discount_pct"].to_numpy(dtype="float64"), 0.0),
        "_cycle": np.where(closed, cycle, 0.0),
        "_closed": closed,
    }, index=opps.index)
    for key in keys:
        work[key] = opps[key].to_numpy()
    sums = work.groupby(keys, observed=True, sort=True).sum()
    counts = sums[["opportunities", "qualified", "proposals", "negotiations", "won", "lost", "open"]].astype("int64")

    def ratio(top, bottom):
        bottom = bottom.astype("float64")
        return (top / bottom.where(bottom > 0)).astype("float64")

    out = counts.copy()
    out["qualified_rate"] = ratio(counts["qualified"], counts["opportunities"])
    out["proposal_rate"] = ratio(counts["proposals"], counts["qualified"])
    out["negotiation_rate"] = ratio(counts["negotiations"], counts["proposals"])
    out["close_rate"] = ratio(counts["won"], counts["negotiations"])
    out["win_rate"] = ratio(counts["won"], counts["won"] + counts["lost"])
    out["avg_deal_size"] = ratio(sums["_won_amount"], counts["won"])
    out["avg_cycle_days"] = ratio(sums["_cycle"], sums["_closed"])
    out["avg_discount_pct"] = ratio(sums["_won_discount"], counts["won"])
    return out[KPI_COLUMNS]


def deals_behind_rates(kpis: pd.DataFrame) -> pd.DataFrame:
    """For every rate column of `rep_funnel_kpis`, the number of deals it divides by (`RATE_BASES`)."""
    bases = kpis.assign(decided=kpis["won"] + kpis["lost"])
    return pd.DataFrame({rate: bases[base] for rate, base in RATE_BASES.items()}, index=kpis.index)


def thin_rates(kpis: pd.DataFrame, min_deals: int = MIN_DEALS) -> pd.DataFrame:
    """True where a rate rests on fewer than `min_deals` deals: too few to compare reps on.

        >>> kpis = rep_funnel_kpis(opps)
        >>> kpis[RATE_COLUMNS].mask(thin_rates(kpis))     # thin rates shown as NaN
    """
    return deals_behind_rates(kpis) < min_deals


def team_benchmark(kpis: pd.DataFrame, teams: pd.Series) -> pd.DataFrame:
    """Each team's median rep on every KPI.

    `kpis` comes from `rep_funnel_kpis` (indexed by rep_id); `teams` maps rep_id -> team, for
    example `reps.set_index("rep_id")["team"]`. The median, not the mean, so one star or one
    struggling rep does not move the team's yardstick.
    """
    team = teams.reindex(kpis.index)
    return kpis.groupby(team.rename("team"), observed=True).median()


def compare_to_team(kpis: pd.DataFrame, teams: pd.Series, columns: list[str] | None = None) -> pd.DataFrame:
    """Each rep's KPIs next to the team median: for every column `x`, `x`, `x_team` and `x_vs_team` (rep minus team)."""
    columns = columns or RATE_COLUMNS + ["avg_deal_size", "avg_cycle_days", "avg_discount_pct"]
    team = teams.reindex(kpis.index)
    medians = kpis[columns].groupby(team, observed=True).transform("median")
    out = pd.DataFrame({"team": team}, index=kpis.index)
    for column in columns:
        out[column] = kpis[column]
        out[f"{column}_team"] = medians[column]
        out[f"{column}_vs_team"] = kpis[column] - medians[column]
    return out
