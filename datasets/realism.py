"""Is the sample data realistic? Print its headline figures next to published B2B ranges.

    python -m course.datasets.realism

The ranges and their sources are the benchmark table of datasets/README.md; where no single
public source gives a figure, the range is marked as a course assumption.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Benchmark:
    figure: str
    low: float
    high: float
    unit: str  # "%", "days", "USD", "per week", "deals"
    source: str


CSO_QUOTA = ("CSO Insights (Miller Heiman Group), 'Running Up the Down Escalator' (2018): 53% of reps made quota "
             "in 2017; CSO Insights, 2019 World-Class Sales Practices Study: 57%")
CSO_FORECAST = "CSO Insights' 2018 research: 47.3% of forecast deals won, unchanged from 2017"
SALESFORCE = "Salesforce, State of Sales (3rd edition, 2018): 57% of reps expected to miss quota that year"
GONG = "Gong Labs, 'The talk-to-listen ratio' (2016, updated 2025)"
ASSUMPTION = "course assumption (no single public source; consistent with the rows above)"

BENCHMARKS: dict[str, Benchmark] = {
    "share_at_quota": Benchmark("Reps at or above annual quota", 40, 60, "%", f"{CSO_QUOTA}; {SALESFORCE}"),
    "win_rate": Benchmark("Win rate, won / (won + lost), all opportunities", 15, 30, "%", ASSUMPTION),
    "proposal_win_rate": Benchmark("Win rate of deals that reached proposal", 35, 55, "%", CSO_FORECAST),
    "qualified_rate": Benchmark("Opportunities that get qualified", 45, 75, "%", ASSUMPTION),
    "proposal_rate": Benchmark("Qualified -> proposal", 50, 80, "%", ASSUMPTION),
    "negotiation_rate": Benchmark("Proposal -> negotiation", 60, 85, "%", ASSUMPTION),
    "close_rate": Benchmark("Negotiation -> won", 45, 75, "%", ASSUMPTION),
    "cycle_SMB": Benchmark("Cycle of won deals, SMB (median)", 14, 60, "days", ASSUMPTION),
    "cycle_Mid-Market": Benchmark("Cycle of won deals, Mid-Market (median)", 45, 120, "days", ASSUMPTION),
    "cycle_Enterprise": Benchmark("Cycle of won deals, Enterprise (median)", 90, 270, "days", ASSUMPTION),
    "deal_SMB": Benchmark("Won deal size, SMB (median)", 5_000, 25_000, "USD", ASSUMPTION),
    "deal_Mid-Market": Benchmark("Won deal size, Mid-Market (median)", 20_000, 100_000, "USD", ASSUMPTION),
    "deal_Enterprise": Benchmark("Won deal size, Enterprise (median)", 75_000, 500_000, "USD", ASSUMPTION),
    "quota_in_deals": Benchmark("Quarterly quota, in median won deals (median rep)", 1.5, 6, "deals",
                                ASSUMPTION),
    "calls": Benchmark("Calls per rep per week (median)", 20, 60, "per week", ASSUMPTION),
    "emails": Benchmark("Emails per rep per week (median)", 40, 100, "per week", ASSUMPTION),
    "meetings": Benchmark("Meetings per rep per week (median)", 4, 15, "per week", ASSUMPTION),
    "demos": Benchmark("Demos per rep per week (median)", 1, 6, "per week", ASSUMPTION),
    "attainment_p25": Benchmark("Quarterly attainment, 25th percentile rep-quarter", 30, 80, "%", ASSUMPTION),
    "attainment_p75": Benchmark("Quarterly attainment, 75th percentile rep-quarter", 100, 160, "%", ASSUMPTION),
    "talk_coaching": Benchmark("Manager's share of words, coaching conversations", 25, 50, "%",
                               f"{GONG}: top sellers talk about 43% of a call"),
    "talk_status": Benchmark("Manager's share of words, status reviews", 55, 85, "%",
                             f"{GONG}: average sellers talk 65-75% of a call"),
}


def realism_figures(tables: dict[str, pd.DataFrame] | None = None) -> dict[str, float]:
    """The sample data's figure for every benchmark key (percentages as 0-100)."""
    from course.data import load
    from course.metrics import rep_funnel_kpis

    tables = tables or {}
    get = lambda name: tables[name] if name in tables else load(name)  # noqa: E731
    reps, opps = get("reps"), get("opportunities")
    results, activity, transcripts = get("quarterly_results"), get("weekly_activity"), get("transcripts")
    sessions = get("coaching_sessions")
    figures: dict[str, float] = {}

    settled = reps.loc[reps["hire_date"] < "2023-01-01", "rep_id"]
    yearly = results[results["rep_id"].isin(settled) & results["quarter"].str[:4].isin(["2023", "2024"])]
    yearly = yearly.groupby(["rep_id", yearly["quarter"].str[:4]])[["closed_value", "quota"]].sum()
    figures["share_at_quota"] = 100 * (yearly["closed_value"] >= yearly["quota"]).mean()

    everyone = rep_funnel_kpis(opps.assign(all="all"), by="all", closed_only=True).iloc[0]
    figures["win_rate"] = 100 * everyone["win_rate"]
    for rate in ("qualified_rate", "proposal_rate", "negotiation_rate", "close_rate"):
        figures[rate] = 100 * everyone[rate]
    closed = opps[opps["outcome"] != "open"]
    late = closed[closed["furthest_stage"] >= "proposal"]
    figures["proposal_win_rate"] = 100 * (late["outcome"] == "won").mean()

    won = opps[opps["outcome"] == "won"].merge(reps[["rep_id", "segment"]], on="rep_id")
    won["cycle"] = (won["closed_date"] - won["created_date"]).dt.days
    for segment, group in won.groupby("segment", observed=True):
        figures[f"cycle_{segment}"] = float(group["cycle"].median())
        figures[f"deal_{segment}"] = float(group["amount"].median())
    median_deal = reps["segment"].astype(str).map(won.groupby(won["segment"].astype(str))["amount"].median())
    figures["quota_in_deals"] = float((reps["quarterly_quota"] / median_deal).median())

    for column in ("calls", "emails", "meetings", "demos"):
        figures[column] = float(activity[column].median())
    figures["attainment_p25"] = float(results["quota_attainment_pct"].quantile(0.25))
    figures["attainment_p75"] = float(results["quota_attainment_pct"].quantile(0.75))

    words = transcripts.assign(words=transcripts["text"].str.split().str.len())
    words = words.merge(sessions[["session_id", "session_type"]], on="session_id")
    per = words.pivot_table(index=["transcript_id", "session_type"], columns="speaker", values="words",
                            aggfunc="sum", observed=True).reset_index()
    per["share"] = 100 * per["manager"] / (per["manager"] + per["rep"])
    by_type = per.groupby("session_type", observed=True)["share"].mean()
    figures["talk_coaching"] = float(by_type.get("coaching", float("nan")))
    figures["talk_status"] = float(by_type.get("status_review", float("nan")))
    return figures


def _fmt(value: float, unit: str) -> str:
    if unit == "USD":
        return f"${value:,.0f}"
    if unit == "%":
        return f"{value:.0f}%"
    if unit == "deals":
        return f"{value:.1f}"
    return f"{value:.0f}"


def report(tables: dict[str, pd.DataFrame] | None = None) -> str:
    """The figures next to the ranges, one line each, with a verdict column."""
    figures = realism_figures(tables)
    lines = [f"{'Figure':<52} {'Sample data':>12}   {'Published or assumed range':<26} In range", "-" * 102]
    for key, bench in BENCHMARKS.items():
        value = figures[key]
        verdict = "yes" if bench.low <= value <= bench.high else "NO"
        span = f"{_fmt(bench.low, bench.unit)} - {_fmt(bench.high, bench.unit)}"
        if bench.unit in ("days", "per week", "deals"):
            span += f" {bench.unit}"
        lines.append(f"{bench.figure:<52} {_fmt(value, bench.unit):>12}   {span:<26} {verdict}")
    lines.append("")
    lines.append("These are the ranges the generator was tuned to: 'yes' shows it hit its targets, not that the")
    lines.append("data was checked against a real company.")
    lines.append("")
    lines.append("Sources:")
    for source in dict.fromkeys(b.source for b in BENCHMARKS.values()):
        lines.append(f"  - {source}")
    return "\n".join(lines)


def main() -> int:
    print(report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
