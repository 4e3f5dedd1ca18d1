"""Funnel KPIs on a table small enough to check by hand."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from course.metrics import (
    KPI_COLUMNS, MIN_DEALS, RATE_COLUMNS, compare_to_team, deals_behind_rates, rep_funnel_kpis, team_benchmark,
    thin_rates,
)

STAGES = ["prospecting", "qualified", "proposal", "negotiation", "won"]


def opportunities(rows):
    frame = pd.DataFrame(rows, columns=["rep_id", "furthest_stage", "outcome", "amount", "discount_pct",
                                        "created_date", "closed_date"])
    frame["furthest_stage"] = pd.Categorical(frame["furthest_stage"], categories=STAGES, ordered=True)
    frame["created_date"] = pd.to_datetime(frame["created_date"])
    frame["closed_date"] = pd.to_datetime(frame["closed_date"])
    return frame


# rep A: one of each kind of deal; rep B: a win and a deal still in negotiation; rep C: one new deal
TABLE = opportunities([
    ("A", "won", "won", 1000, 10.0, "2024-01-01", "2024-01-31"),         # 30 days
    ("A", "proposal", "lost", 500, 5.0, "2024-01-01", "2024-01-11"),     # lost after the proposal, 10 days
    ("A", "qualified", "open", 700, 0.0, "2024-01-01", None),            # still open: not a loss
    ("A", "prospecting", "lost", 300, 0.0, "2024-01-01", "2024-01-21"),  # 20 days
    ("B", "won", "won", 2000, 0.0, "2024-02-01", "2024-03-02"),          # 30 days
    ("B", "negotiation", "open", 900, 8.0, "2024-02-01", None),
    ("C", "prospecting", "open", 400, 0.0, "2024-03-01", None),
])


@pytest.fixture()
def kpis():
    return rep_funnel_kpis(TABLE)


def test_counts_follow_the_furthest_stage(kpis):
    a = kpis.loc["A"]
    # reached qualified: the won, proposal and qualified deals; proposal: won + proposal; negotiation: won
    assert (a["opportunities"], a["qualified"], a["proposals"], a["negotiations"]) == (4, 3, 2, 1)
    assert (a["won"], a["lost"], a["open"]) == (1, 2, 1)
    b = kpis.loc["B"]
    assert (b["qualified"], b["proposals"], b["negotiations"], b["won"], b["open"]) == (2, 2, 2, 1, 1)


def test_rates_divide_by_the_previous_stage(kpis):
    a = kpis.loc["A"]
    assert a["qualified_rate"] == pytest.approx(3 / 4)
    assert a["proposal_rate"] == pytest.approx(2 / 3)
    assert a["negotiation_rate"] == pytest.approx(1 / 2)
    assert a["close_rate"] == pytest.approx(1 / 1)
    assert kpis.loc["B", "close_rate"] == pytest.approx(1 / 2)


def test_win_rate_leaves_open_deals_out(kpis):
    assert kpis.loc["A", "win_rate"] == pytest.approx(1 / (1 + 2))  # not 1/4: the open deal is not lost
    assert kpis.loc["B", "win_rate"] == pytest.approx(1.0)


def test_size_cycle_and_discount(kpis):
    a = kpis.loc["A"]
    assert a["avg_deal_size"] == pytest.approx(1000)              # won deals only
    assert a["avg_cycle_days"] == pytest.approx((30 + 10 + 20) / 3)  # closed deals, won or lost
    assert a["avg_discount_pct"] == pytest.approx(10.0)           # the discount given on won deals
    assert kpis.loc["B", "avg_cycle_days"] == pytest.approx(30)


def test_nothing_to_divide_by_gives_nan_not_zero(kpis):
    c = kpis.loc["C"]
    assert c["opportunities"] == 1 and c["qualified_rate"] == 0
    for column in ("proposal_rate", "win_rate", "avg_deal_size", "avg_cycle_days"):
        assert math.isnan(c[column]), column


def test_closed_only_drops_open_deals():
    a = rep_funnel_kpis(TABLE, closed_only=True).loc["A"]
    assert (a["opportunities"], a["qualified"], a["proposals"], a["open"]) == (3, 2, 2, 0)
    assert a["proposal_rate"] == pytest.approx(1.0)


def test_unknown_furthest_stage_counts_as_opportunity_only():
    table = TABLE.copy()
    table.loc[1, "furthest_stage"] = None  # an imported lost deal whose last stage is unknown
    a = rep_funnel_kpis(table).loc["A"]
    assert (a["opportunities"], a["qualified"], a["lost"]) == (4, 2, 2)


def test_group_by_any_column(kpis):
    by_all = rep_funnel_kpis(TABLE.assign(org="all"), by="org").loc["all"]
    assert by_all["opportunities"] == len(TABLE)
    assert by_all["won"] == kpis["won"].sum()
    assert list(kpis.columns) == KPI_COLUMNS


def test_team_benchmark_and_comparison(kpis):
    teams = pd.Series({"A": "North", "B": "North", "C": "South"})
    bench = team_benchmark(kpis, teams)
    assert bench.loc["North", "win_rate"] == pytest.approx((1 / 3 + 1.0) / 2)  # median of two reps
    compared = compare_to_team(kpis, teams, columns=["win_rate"])
    assert compared.loc["A", "win_rate_vs_team"] == pytest.approx(1 / 3 - (1 / 3 + 1.0) / 2)
    assert compared.loc["B", "win_rate_team"] == pytest.approx(bench.loc["North", "win_rate"])


def test_sample_data_totals_agree():
    """On the sample data, the per-rep counts add up to the table's own counts."""
    import course

    opps = course.load("opportunities")
    kpis = rep_funnel_kpis(opps)
    assert kpis["opportunities"].sum() == len(opps)
    assert kpis["won"].sum() == (opps["outcome"] == "won").sum()
    assert kpis["proposals"].sum() == (opps["furthest_stage"] >= "proposal").sum()


def test_each_rate_shows_the_deals_behind_it_and_thin_rates_are_flagged(kpis):
    behind = deals_behind_rates(kpis)
    assert list(behind.columns) == RATE_COLUMNS
    assert behind.loc["A"].to_dict() == {"qualified_rate": 4, "proposal_rate": 3, "negotiation_rate": 2,
                                         "close_rate": 1, "win_rate": 3}
    assert thin_rates(kpis).all().all()  # a handful of deals: every rate is noise
    many = rep_funnel_kpis(pd.concat([TABLE[TABLE["rep_id"] == "A"]] * MIN_DEALS, ignore_index=True))
    flags = thin_rates(many).loc["A"]
    assert not flags["qualified_rate"] and not flags["win_rate"]  # 80 opportunities, 60 decided
    assert flags["close_rate"] == (many.loc["A", "negotiations"] < MIN_DEALS)
    assert not thin_rates(kpis, min_deals=1).loc["A"].any()
