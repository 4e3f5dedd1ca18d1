"""How often luck alone trips a rule: the seeded simulations of modules 03, 04 and 05, in one place.

Each function draws the same random numbers, in the same order, as a loop over runs would (one run
after another, reps in table order; `link_flags` keeps one stream per funnel metric), but all runs at
once with numpy, so a module runs in a fraction
of a second. The modules and tests/test_prose_figures.py call these functions, so the figures the
prose quotes are the figures the learner's notebook shows.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from course.metrics import RATE_BASES, rep_funnel_kpis

SEED = 2025


def lowest_stage_index(kpis: pd.DataFrame, bases: dict[str, str], runs: int = 2000, seed: int = SEED) -> pd.DataFrame:
    """Module 03: each rep's lowest stage index (their rate over the team's median rate) in each run,
    when every rep converts at the team's median rates and only luck decides which of their real
    deals move on. `bases` maps each rate column of `kpis` to the count it is a share of.
    Rows: the reps of `kpis`; columns: runs."""
    counts = kpis[list(bases.values())].to_numpy(dtype=np.int64).T  # (stages, reps)
    typical = kpis[list(bases)].median().to_numpy()[:, None]
    rng = np.random.default_rng(seed)
    with np.errstate(divide="ignore", invalid="ignore"):
        luck = rng.binomial(counts, typical, size=(runs, *counts.shape)) / counts  # (runs, stages, reps)
        index = luck / np.nanmedian(luck, axis=2, keepdims=True)
    return pd.DataFrame(np.nanmin(index, axis=1).T, index=kpis.index)


def market_gap_flags(usual_quarter, downturn_change: float, recovery_change: float, quarters: tuple[int, int, int],
                     cut: float = -0.20, runs: int = 2000, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Module 04: every rep moves exactly like the team's median rep and luck (Poisson) alone decides how
    many opportunities each quarter brings. `quarters` counts the baseline, downturn and recovery
    quarters. Returns two boolean arrays (runs × reps): the downturn gap against the team's median
    is below `cut` ("dropped"), and both the downturn and the recovery gaps are ("personal")."""
    usual = np.asarray(usual_quarter, dtype=float).ravel()
    n_before, n_down, n_back = quarters
    means = np.concatenate([np.repeat(usual, n_before), np.repeat(usual * (1 + downturn_change), n_down),
                            np.repeat(usual * (1 + recovery_change), n_back)])
    draws = np.random.default_rng(seed).poisson(means, size=(runs, means.size))
    reps = usual.size
    before, down, back = (block.reshape(runs, reps, -1).mean(axis=2)
                          for block in np.split(draws, [reps * n_before, reps * (n_before + n_down)], axis=1))
    down, back = down / before - 1, back / before - 1
    dropped = down - np.median(down, axis=1, keepdims=True) < cut
    personal = dropped & (back - np.median(back, axis=1, keepdims=True) < cut)
    return dropped, personal


def scorecard_flags(calls_per_rep: pd.Series, typical: pd.Series, spread: pd.Series, cutoff: float,
                    runs: int = 1000, seed: int = SEED) -> pd.DataFrame:
    """Module 05: every rep has the median rep's skills (`typical`, one value per skill) and only the
    call-to-call `spread` of ratings moves their scorecards; each rep keeps their number of observed
    calls. True where a rep's weakest skill, against the team's median rep, is at or below `cutoff`.
    Rows: the reps of `calls_per_rep`; columns: runs."""
    calls = calls_per_rep.to_numpy()
    rng = np.random.default_rng(seed)
    ratings = np.clip(np.round(rng.normal(typical.to_numpy(), spread.to_numpy(),
                                          size=(runs, calls.sum(), len(typical)))), 1, 5)
    firsts = np.concatenate([[0], np.cumsum(calls)[:-1]])
    means = np.add.reduceat(ratings, firsts, axis=1) / calls[None, :, None]  # (runs, reps, skills)
    gaps = means - np.median(means, axis=1, keepdims=True)
    return pd.DataFrame((gaps.min(axis=2) <= cutoff).T, index=calls_per_rep.index)


def link_flags(opps: pd.DataFrame, links: pd.DataFrame, by: str = "rep_id", runs: int = 2000,
               seed: int = SEED) -> pd.DataFrame:
    """Module 05: how often luck alone makes a linked funnel metric reach the link table's threshold.

    Every rep works like the team's median rep and keeps their real number of deals: a rate is the
    median rep's rate, and luck (binomial) decides how many of the rep's deals move on; each won
    deal's discount and each closed deal's length is the median rep's average plus how far a random
    deal of the team's sat from its own rep's average. `links` has a row per skill with
    `funnel_metric`, `worse_when` ("lower" or "higher") and `threshold`, as in the module.
    Returns the share of runs in which a rep's shortfall against the run's median rep reaches the
    threshold. Rows: reps (`by`); columns: the funnel metrics."""
    kpis = rep_funnel_kpis(opps, by=by)
    streams = np.random.SeedSequence(seed).spawn(len(links))
    shares = {}
    for stream, (_, link) in zip(streams, links.iterrows()):
        rng, metric = np.random.default_rng(stream), link["funnel_metric"]
        with np.errstate(divide="ignore", invalid="ignore"):
            if metric in RATE_BASES:
                counts = kpis[RATE_BASES[metric]].to_numpy(dtype=np.int64)
                luck = rng.binomial(counts, kpis[metric].median(), size=(runs, counts.size)) / counts
            else:
                values, rep = _deal_values(opps, metric, by)
                counts = rep.value_counts().reindex(kpis.index, fill_value=0).to_numpy()
                usual = values - values.groupby(rep).transform("mean")
                draws = rng.integers(0, usual.size, size=(runs, counts.sum()))
                owner = np.repeat(np.eye(counts.size), counts, axis=0)  # (deals, reps): which rep each draw is for
                typical = values.groupby(rep).mean().median()
                luck = typical + (usual.to_numpy()[draws] @ owner) / counts
            worse = 1 if link["worse_when"] == "higher" else -1
            shortfall = (luck - np.nanmedian(luck, axis=1, keepdims=True)) * worse
        shares[metric] = (shortfall >= link["threshold"]).mean(axis=0)
    return pd.DataFrame(shares, index=kpis.index)


def _deal_values(opps: pd.DataFrame, metric: str, by: str) -> tuple[pd.Series, pd.Series]:
    """The deal-level numbers an average metric of `rep_funnel_kpis` averages, and whose deal each is."""
    outcome = opps["outcome"].astype(str)
    if metric == "avg_discount_pct":
        won = opps[outcome == "won"]
        return won["discount_pct"].astype(float), won[by]
    if metric == "avg_cycle_days":
        closed = opps[outcome.isin(["won", "lost"])]
        return (closed["closed_date"] - closed["created_date"]).dt.days.astype(float), closed[by]
    raise ValueError(f"link_flags cannot simulate {metric!r}: use a rate, avg_discount_pct or avg_cycle_days")
