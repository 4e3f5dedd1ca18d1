"""course.chance draws what a plain loop over runs draws, number for number (the modules used to run the loops)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from course.chance import link_flags, lowest_stage_index, market_gap_flags, scorecard_flags
from course.metrics import rep_funnel_kpis

BASES = {"qualified_rate": "opportunities", "proposal_rate": "qualified"}


def test_lowest_stage_index_is_the_loop_over_runs():
    kpis = pd.DataFrame({"opportunities": [40, 25, 60, 33], "qualified": [20, 9, 41, 18],
                         "qualified_rate": [0.5, 0.36, 0.68, 0.55], "proposal_rate": [0.6, 0.4, 0.7, 0.5]},
                        index=["a", "b", "c", "d"])
    rng, runs = np.random.default_rng(7), []
    typical = kpis[list(BASES)].median()
    for _ in range(50):
        luck = pd.DataFrame({rate: rng.binomial(kpis[base], typical[rate]) / kpis[base] for rate, base in BASES.items()},
                            index=kpis.index)
        runs.append((luck / luck.median()).min(axis=1))
    expected = pd.concat(runs, axis=1)
    expected.columns = range(50)
    pd.testing.assert_frame_equal(lowest_stage_index(kpis, BASES, runs=50, seed=7), expected)


def test_market_gap_flags_is_the_loop_over_runs():
    usual = np.array([10.0, 14.5, 7.25, 12.0, 9.0])
    rng, dropped, personal = np.random.default_rng(3), [], []

    def luck(quarters, change):
        return rng.poisson(usual[:, None] * (1 + change), size=(len(usual), quarters)).mean(axis=1)

    for _ in range(40):
        before = luck(4, 0.0)
        down = luck(3, -0.2) / before - 1
        back = luck(3, -0.05) / before - 1
        dropped.append(down - np.median(down) < -0.2)
        personal.append(dropped[-1] & (back - np.median(back) < -0.2))
    got = market_gap_flags(usual, -0.2, -0.05, quarters=(4, 3, 3), cut=-0.2, runs=40, seed=3)
    assert (got[0] == np.array(dropped)).all() and (got[1] == np.array(personal)).all()
    assert got[0].any() and not got[0].all()  # the comparison is not trivially all False


def test_scorecard_flags_is_the_loop_over_runs():
    skills = ["s1", "s2", "s3"]
    calls = pd.Series({"a": 5, "b": 9, "c": 7})
    typical, spread = pd.Series([3.2, 2.9, 3.5], index=skills), pd.Series([0.6, 0.7, 0.5], index=skills)
    rng, flagged = np.random.default_rng(11), []
    for _ in range(60):
        fake = pd.DataFrame({name: np.clip(np.round(rng.normal(typical, spread, size=(n, 3))), 1, 5).mean(axis=0)
                             for name, n in calls.items()}, index=skills).T
        flagged.append((fake - fake.median()).min(axis=1) <= -0.3)
    expected = pd.concat(flagged, axis=1)
    expected.columns = range(60)
    got = scorecard_flags(calls, typical, spread, -0.3, runs=60, seed=11)
    pd.testing.assert_frame_equal(got, expected)
    assert got.to_numpy().any()


def _small_team(seed: int = 5) -> pd.DataFrame:
    """Five reps' deals, every stage and outcome, with discounts and cycle lengths that differ by rep."""
    rng, rows = np.random.default_rng(seed), []
    for rep, deals in {"a": 60, "b": 35, "c": 80, "d": 22, "e": 50}.items():
        stage = rng.choice(["prospecting", "qualified", "proposal", "negotiation", "won"], size=deals,
                           p=[0.3, 0.2, 0.2, 0.15, 0.15])
        outcome = np.where(stage == "won", "won", rng.choice(["lost", "open"], size=deals, p=[0.9, 0.1]))
        created = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 300, deals), unit="D")
        rows.append(pd.DataFrame({
            "name": rep, "furthest_stage": stage, "outcome": outcome, "amount": 1000.0,
            "discount_pct": rng.gamma(2.0, 3.0, deals).round(1), "created_date": created,
            "closed_date": created + pd.to_timedelta(rng.integers(1, 60, deals), unit="D"),
        }))
    team = pd.concat(rows, ignore_index=True)
    team.loc[team["outcome"] == "open", "closed_date"] = pd.NaT
    return team


def test_link_flags_is_the_loop_over_runs():
    opps = _small_team()
    links = pd.DataFrame({"funnel_metric": ["proposal_rate", "avg_discount_pct", "close_rate", "avg_cycle_days"],
                          "worse_when": ["lower", "higher", "lower", "higher"],
                          "threshold": [0.10, 1.5, 0.10, 4.0]})
    kpis = rep_funnel_kpis(opps, by="name")
    won, closed = opps[opps["outcome"] == "won"], opps[opps["outcome"] != "open"]
    per_deal = {"avg_discount_pct": (won["discount_pct"], won["name"]),
                "avg_cycle_days": ((closed["closed_date"] - closed["created_date"]).dt.days.astype(float), closed["name"])}
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(13).spawn(len(links))]
    flagged = {metric: [] for metric in links["funnel_metric"]}
    for _ in range(80):
        for rng, link in zip(rngs, links.itertuples()):
            metric = link.funnel_metric
            if metric in per_deal:
                values, rep = per_deal[metric]
                usual = (values - values.groupby(rep).transform("mean")).to_numpy()
                typical = values.groupby(rep).mean().median()
                luck = pd.Series({name: typical + usual[rng.integers(0, usual.size, size=(rep == name).sum())].mean()
                                  for name in kpis.index})
            else:
                base = kpis[{"proposal_rate": "qualified", "close_rate": "negotiations"}[metric]]
                luck = rng.binomial(base, kpis[metric].median()) / base
            worse = 1 if link.worse_when == "higher" else -1
            flagged[metric].append((luck - luck.median()) * worse >= link.threshold)
    expected = pd.DataFrame({metric: pd.concat(runs, axis=1).mean(axis=1) for metric, runs in flagged.items()})
    got = link_flags(opps, links, by="name", runs=80, seed=13)
    pd.testing.assert_frame_equal(got, expected, check_names=False)
    assert ((got > 0) & (got < 1)).any().all()  # every metric flags someone sometimes, not always
