"""Every figure quoted in module prose, model answers and widget texts, and how the data computes it.

Each `Figure` names the module, the quoted text (it must appear in the module's markdown, so a
sentence cannot change without this list changing too), the figure the text states, and a small
function that computes it from the sample tables. When the data is regenerated or a sentence is
edited, a figure that no longer holds fails here with both numbers, instead of falsifying the
course in silence. A module that quotes no figure from the data says so in NO_FIGURES, with why.
WIDGET_FIGURES does the same for the texts a learner reads in a self-check or a widget: the
options, hints and feedback of `course/exercises/moduleNN.py` and the clear-text widget feedback
in `grading/answer_key/widget_feedback/` (the package ships that feedback sealed).
"""
from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import nbformat
import numpy as np
import pandas as pd
import pytest

import course
from course.answers import answer_hash
from course.chance import link_flags, lowest_stage_index, market_gap_flags, scorecard_flags
from course.metrics import MIN_DEALS, rep_funnel_kpis
from course.paths import MODULES, module_names

SKILLS = ["discovery_questions", "active_listening", "value_articulation", "objection_handling", "next_steps"]
BASELINE = ["2023Q1", "2023Q2", "2023Q3", "2023Q4"]
DOWNTURN = ["2024Q1", "2024Q2", "2024Q3"]
RECOVERY = ["2024Q4", "2025Q1", "2025Q2"]


@dataclass(frozen=True)
class Figure:
    module: str                 # the module folder's number, "01" … "09" (or a lettered one, "07a")
    quote: str                  # text as it appears in the module's markdown (line breaks ignored)
    claimed: float              # the figure the text states
    compute: Callable[[], float]
    tolerance: float = 0.0      # how far "about" may stretch; 0 for counts


@cache
def table(name: str) -> pd.DataFrame:
    return course.load(name)


@cache
def prose(module: str) -> str:
    """The markdown of a module (model answers included) as a learner reads it: runs of whitespace made
    one space, and money written `\\$` (so it never renders as LaTeX) read as `$`."""
    folder = next(name for name in module_names() if name.split("-")[0] == module)
    nb = nbformat.read(MODULES / folder / f"{folder}.ipynb", as_version=4)
    text = " ".join(c.source for c in nb.cells if c.cell_type == "markdown").replace("\\$", "$")
    return re.sub(r"\s+", " ", text)


@cache
def widget_text(module: str) -> str:
    """Every string of `course/exercises/moduleNN.py` (options, items, hints, feedback) and the clear-text
    widget feedback of the module, whitespace made single spaces."""
    source = MODULES.parent / "course" / "exercises" / f"module{module}.py"
    strings = [node.value for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
               if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    for path in (MODULES.parent / "grading" / "answer_key" / "widget_feedback").glob(f"{module}-*.json"):
        for question in json.loads(path.read_text(encoding="utf-8")).values():
            strings += [*question, *question.values()]
    return re.sub(r"\s+", " ", " ".join(strings))


def team_reps(team: str) -> pd.DataFrame:
    reps = table("reps")
    return reps[reps["team"] == team]


def names(team: str) -> pd.Series:
    return team_reps(team).set_index("rep_id")["name"]


def team_opps(team: str) -> pd.DataFrame:
    opps = table("opportunities")
    return opps[opps["rep_id"].isin(team_reps(team)["rep_id"])]


@cache
def team_activity(team: str) -> pd.DataFrame:
    """Each rep's average week (calls, emails, meetings, demos and their sum), indexed by name."""
    weeks = table("weekly_activity").merge(team_reps(team)[["rep_id", "name"]], on="rep_id")
    weeks["activities"] = weeks[["calls", "emails", "meetings", "demos"]].sum(axis=1)
    return weeks.groupby("name")[["calls", "emails", "meetings", "demos", "activities"]].mean()


def segment_words(team: str) -> str:
    return {"SMB": "small businesses", "Mid-Market": "mid-sized companies",
            "Enterprise": "large enterprises"}[team_reps(team)["segment"].iloc[0]]


# --------------------------------------------------------------------------- 01, 02
@cache
def beacon_last_four() -> pd.DataFrame:
    """Module 01's `year`: each Beacon rep's totals over the team's last four quarters."""
    results = team_reps("Beacon")[["rep_id", "name"]].merge(table("quarterly_results"), on="rep_id")
    last_four = sorted(results["quarter"].unique())[-4:]
    return results[results["quarter"].isin(last_four)].groupby("name")[
        ["proposals_presented", "deals_closed"]].sum()


def beacon_coach_first() -> str:
    year = beacon_last_four()
    return (year["deals_closed"] / year["proposals_presented"]).idxmin()


def beacon_last_quarter() -> pd.DataFrame:
    results = team_reps("Beacon")[["rep_id", "name"]].merge(table("quarterly_results"), on="rep_id")
    return results[results["quarter"] == results["quarter"].max()].set_index("name")


@cache
def atlas_year_won() -> pd.DataFrame:
    """Module 02's dashboard: deals won and won value per Atlas rep over the last four created quarters."""
    opps = team_opps("Atlas").assign(name=lambda d: d["rep_id"].map(names("Atlas")))
    created = opps["created_date"].dt.to_period("Q").astype(str)
    last_four = sorted(created.unique())[-4:]
    won = opps[(opps["outcome"] == "won") & opps["closed_date"].dt.to_period("Q").astype(str).isin(last_four)]
    return won.groupby("name")["amount"].agg(deals_won="count", won_value="sum", avg_deal="mean")


# --------------------------------------------------------------------------- 03
@cache
def atlas_kpis() -> pd.DataFrame:
    return rep_funnel_kpis(team_opps("Atlas")).rename(index=names("Atlas"))


@cache
def atlas_activity_index() -> pd.Series:
    activities = team_activity("Atlas")["activities"]
    return activities / activities.median()


def index_vs_median(column: str, rep: str, lower_is_better: bool = False) -> float:
    values = atlas_kpis()[column]
    return values.median() / values[rep] if lower_is_better else values[rep] / values.median()


def rank_of(values: pd.Series, rep: str) -> int:
    """1 for the highest value on the team."""
    return int(values.rank(ascending=False, method="min")[rep])



@cache
def atlas_chance_flags() -> pd.DataFrame:
    """Module 03's simulation (course.chance, as the module calls it): share of 2,000 runs in which luck alone
    puts a rep's lowest stage index under a cut."""
    kpis = rep_funnel_kpis(team_opps("Atlas"))
    bases = {"qualified_rate": "opportunities", "proposal_rate": "qualified",
             "negotiation_rate": "proposals", "close_rate": "negotiations"}
    lowest = lowest_stage_index(kpis, bases, runs=2000)
    flags = pd.DataFrame({cut: (lowest < cut).mean(axis=1) for cut in (0.9, 0.7)})
    return flags.assign(negotiations=kpis["negotiations"]).rename(index=names("Atlas"))

# --------------------------------------------------------------------------- 04
@cache
def compass_opportunities() -> pd.DataFrame:
    reps = table("reps")
    peers = reps[(reps["region"] == "Central") & (reps["segment"] == "Mid-Market") & (reps["cohort"] == "course")]
    results = peers[["rep_id", "name"]].merge(table("quarterly_results"), on="rep_id")
    return results.pivot(index="name", columns="quarter", values="opportunities_created")


def compass_change(period: list[str]) -> pd.Series:
    opps = compass_opportunities()
    return opps[period].mean(axis=1) / opps[BASELINE].mean(axis=1) - 1


def central_market(period: list[str] | None = None) -> pd.Series:
    market = table("market_index")
    central = market[(market["region"] == "Central") & (market["month"] >= "2023-01-01")]
    by_quarter = central.groupby(central["month"].dt.to_period("Q").astype(str))["index_value"].mean()
    indexed = by_quarter / by_quarter[BASELINE].mean() * 100
    return indexed if period is None else indexed[period]


def compass_personal_calls_change() -> float:
    """Weekly calls in the recovery against the rep's own 2023 weeks, for the rep the rule calls personal."""
    down, rec = compass_change(DOWNTURN), compass_change(RECOVERY)
    personal = ((down - down.median() < -0.20) & (rec - rec.median() < -0.20)).idxmax()
    rep_id = table("reps").set_index("name").loc[personal, "rep_id"]
    weeks = table("weekly_activity").query("rep_id == @rep_id")
    quarter = weeks["week_start"].dt.to_period("Q").astype(str)
    return weeks.loc[quarter.isin(RECOVERY), "calls"].mean() / weeks.loc[quarter.isin(BASELINE), "calls"].mean()



@cache
def compass_chance_flags() -> tuple[float, float]:
    """Module 04's simulation: share of rep-runs flagged 'dropped', and 'personal', by luck alone."""
    opps = compass_opportunities()
    dropped, personal = market_gap_flags(opps[BASELINE].mean(axis=1), compass_change(DOWNTURN).median(),
                                         compass_change(RECOVERY).median(),
                                         quarters=(len(BASELINE), len(DOWNTURN), len(RECOVERY)), cut=-0.20, runs=2000)
    return float(np.mean(dropped)), float(np.mean(personal))

# --------------------------------------------------------------------------- 05
def beacon_names() -> pd.Series:
    return names("Beacon")


def beacon_shortfall(metric: str, rep: str, worse_when_lower: bool) -> float:
    opps = team_opps("Beacon").assign(name=lambda d: d["rep_id"].map(beacon_names()))
    values = rep_funnel_kpis(opps, by="name")[metric]
    gap = values[rep] - values.median()
    return -gap if worse_when_lower else gap


@cache
def beacon_worth() -> pd.DataFrame:
    """Module 05's table: last year's decided deals, win rate, deal size and what 5 more points are worth."""
    opps = team_opps("Beacon").assign(name=lambda d: d["rep_id"].map(beacon_names()))
    last_year = opps[opps["closed_date"] >= opps["closed_date"].max() - pd.DateOffset(years=1)]
    kpis = rep_funnel_kpis(last_year, by="name")
    worth = pd.DataFrame({
        "won_value": last_year[last_year["outcome"] == "won"].groupby("name")["amount"].sum(),
        "decided": kpis["won"] + kpis["lost"],
        "avg_deal_size": kpis["avg_deal_size"],
    })
    worth["value_of_5_points"] = worth["decided"] * 0.05 * worth["avg_deal_size"]
    return worth



@cache
def beacon_false_alarms() -> tuple[int, int, float, float]:
    """Module 05's simulation: calls per rep (min, max), share of rep-runs and of runs with a flag at -0.3."""
    cards = table("call_scorecards").merge(team_reps("Beacon")[["rep_id", "name"]], on="rep_id")
    calls = cards.groupby("name").size()
    typical = cards.groupby("name")[SKILLS].mean().median()
    spread = (cards[SKILLS] - cards.groupby("name")[SKILLS].transform("mean")).std()
    runs = scorecard_flags(calls, typical, spread, -0.3, runs=1000)
    return int(calls.min()), int(calls.max()), float(runs.mean().mean()), float(runs.any(axis=0).mean())

@cache
def beacon_link_chance() -> pd.DataFrame:
    """Module 05's link-table simulation: per rep and linked metric, the share of 2,000 runs in which luck
    alone reaches the threshold (10 points on a rate, 5 points of discount, 10 days)."""
    opps = team_opps("Beacon").assign(name=lambda d: d["rep_id"].map(beacon_names()))
    links = pd.DataFrame({"funnel_metric": ["proposal_rate", "qualified_rate", "avg_discount_pct", "close_rate",
                                            "avg_cycle_days"],
                          "worse_when": ["lower", "lower", "higher", "lower", "higher"],
                          "threshold": [0.10, 0.10, 5.0, 0.10, 10.0]})
    negotiations = rep_funnel_kpis(opps, by="name")["negotiations"]
    return link_flags(opps, links, by="name", runs=2000).assign(negotiations=negotiations)

# --------------------------------------------------------------------------- 06, 07
def transcript_teams() -> int:
    """Course teams with recorded one-on-ones (Summit's are kept for the capstone)."""
    sessions = table("coaching_sessions")
    recorded = sessions[sessions["session_id"].isin(table("transcripts")["session_id"])]
    course_teams = table("reps").query("cohort == 'course'").set_index("rep_id")["team"]
    return recorded["rep_id"].map(course_teams).nunique()


def recorded_medians() -> pd.DataFrame:
    """Module 06's by_type: the median recorded one-on-one's talk ratio and questions, per session type."""
    turns = table("transcripts").merge(table("coaching_sessions")[["session_id", "session_type"]], on="session_id")
    turns = turns.assign(words=turns["text"].str.split().str.len(), session_type=turns["session_type"].astype(str))
    words = turns.pivot_table(index="transcript_id", columns="speaker", values="words", aggfunc="sum", observed=True)
    manager = turns[turns["speaker"] == "manager"]
    per = pd.DataFrame({
        "talk_ratio": words["manager"] / words.sum(axis=1),
        "questions": manager["text"].str.endswith("?").groupby(manager["transcript_id"]).sum(),
        "session_type": turns.drop_duplicates("transcript_id").set_index("transcript_id")["session_type"],
    })
    return per.groupby("session_type")[["talk_ratio", "questions"]].median()


def median_days_between_status_reviews() -> float:
    reviews = table("coaching_sessions").query("session_type == 'status_review'").sort_values("date")
    return float(reviews.groupby("rep_id")["date"].diff().dt.days.median())


H1_2025 = (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-06-30"))


@cache
def delta_h1_scorecards() -> pd.DataFrame:
    cards = table("call_scorecards")
    cards = cards[cards["rep_id"].isin(team_reps("Delta")["rep_id"]) & cards["call_date"].between(*H1_2025)]
    return cards.groupby("rep_id")[SKILLS].mean().rename(index=names("Delta"))


@cache
def delta_h1_kpis() -> pd.DataFrame:
    opps = team_opps("Delta")
    return rep_funnel_kpis(opps[opps["created_date"].between(*H1_2025)]).rename(index=names("Delta"))


# --------------------------------------------------------------------------- 08
@cache
def program() -> pd.DataFrame:
    """Module 08's program: each coached course rep's first session, skill and selection round."""
    course_ids = set(table("reps").query("cohort == 'course'")["rep_id"])
    sessions = table("coaching_sessions")
    coached = sessions[(sessions["session_type"] == "coaching") & sessions["rep_id"].isin(course_ids)]
    firsts = coached.groupby("rep_id").agg(start=("date", "min"), focus_skill=("focus_skill", "first"))
    month = firsts["start"].dt.to_period("M")
    firsts["rule"] = np.where(month.isin([pd.Period("2024-04", "M"), pd.Period("2025-01", "M")]),
                              "after a bad quarter", "planned")
    return firsts


@cache
def comparison_reps() -> list[str]:
    reps = table("reps")
    ever = set(table("coaching_sessions").query("session_type == 'coaching'")["rep_id"])
    keep = (reps["cohort"] == "course") & ~reps["rep_id"].isin(ever) & (reps["hire_date"] < pd.Timestamp("2023-01-01"))
    return list(reps.loc[keep, "rep_id"])


def skill_change(rep_ids, skill: str, start: pd.Timestamp) -> pd.Series:
    """Each rep's average rating on `skill`, 26 weeks from `start` minus the 26 weeks before."""
    cards = table("call_scorecards")
    cards = cards[cards["rep_id"].isin(rep_ids)]
    window = pd.Timedelta(weeks=26)
    before = cards[cards["call_date"].between(start - window, start, inclusive="left")].groupby("rep_id")[skill].mean()
    after = cards[cards["call_date"].between(start, start + window, inclusive="left")].groupby("rep_id")[skill].mean()
    return (after - before).dropna()


@cache
def planned_changes() -> pd.DataFrame:
    planned = program().query("rule == 'planned'")
    rows = {}
    for rep_id, row in planned.iterrows():
        coached = skill_change([rep_id], row["focus_skill"], row["start"]).mean()
        comparison = skill_change(comparison_reps(), row["focus_skill"], row["start"]).mean()
        rows[rep_id] = {"coached": coached, "comparison": comparison}
    return pd.DataFrame(rows).T


def did_for(rep_id: str, skill: str, start: pd.Timestamp) -> float:
    """One rep's change on `skill` minus the comparison group's (without that rep) over the same weeks."""
    peers = [r for r in comparison_reps() if r != rep_id]
    return skill_change([rep_id], skill, start).mean() - skill_change(peers, skill, start).mean()


@cache
def pre_trends() -> pd.Series:
    """Module 08's pre-trend check: the planned reps' average difference with the start moved back."""
    planned = program().query("rule == 'planned'")
    return pd.Series({weeks: np.nanmean([did_for(r, p["focus_skill"], p["start"] - pd.Timedelta(weeks=weeks))
                                         for r, p in planned.iterrows()]) for weeks in (26, 32, 39)})


@cache
def placebo_effects() -> pd.Series:
    planned = program().query("rule == 'planned'")
    return pd.Series([did_for(peer, p["focus_skill"], p["start"])
                      for peer in comparison_reps() for _, p in planned.iterrows()])


@cache
def planned_baselines() -> pd.DataFrame:
    """Each planned rep's 'before' rating on the coached skill, and the comparison group's."""
    cards = table("call_scorecards")
    window = pd.Timedelta(weeks=26)
    rows = {}
    for rep_id, p in program().query("rule == 'planned'").iterrows():
        before = cards[cards["call_date"].between(p["start"] - window, p["start"], inclusive="left")]
        by_rep = before.groupby("rep_id")[p["focus_skill"]].mean()
        rows[rep_id] = {"coached": by_rep[rep_id], "comparison": by_rep.reindex(comparison_reps()).mean()}
    return pd.DataFrame(rows).T


@cache
def attainment() -> pd.DataFrame:
    return table("quarterly_results").pivot(index="rep_id", columns="quarter", values="quota_attainment_pct")


def naive_gain() -> float:
    picked = program().query("rule == 'after a bad quarter'")
    table_ = attainment()
    gains = [table_.loc[rep, str(row["start"].to_period("Q"))] - table_.loc[rep, str(row["start"].to_period("Q") - 1)]
             for rep, row in picked.iterrows()]
    return float(np.mean(gains))


def bad_quarter_rounds() -> pd.Series:
    """The slide's rule: each bad quarter (the one before the start) and how many reps it picked."""
    picked = program().query("rule == 'after a bad quarter'")
    return (picked["start"].dt.to_period("Q") - 1).astype(str).value_counts()


def course_attainment() -> pd.DataFrame:
    return attainment().loc[lambda a: a.index.isin(table("reps").query("cohort == 'course'")["rep_id"])]


def same_rule_bounce() -> float:
    """Uncoached reps picked by the slide's rule (smallest share of their median quarter) in the same quarters."""
    table_ = course_attainment()
    usual = table_.median(axis=1)
    quarters = sorted(table_.columns)
    bounces = []
    for bad, count in bad_quarter_rounds().items():
        share = (table_.loc[comparison_reps(), bad] / usual[comparison_reps()]).nsmallest(count)
        after = quarters[quarters.index(bad) + 1]
        bounces += list(table_.loc[share.index, after] - table_.loc[share.index, bad])
    return float(np.mean(bounces))


def picks_bad_and_usual() -> pd.Series:
    """The picked reps' average attainment in their bad quarter, and their average usual (median) quarter."""
    table_ = course_attainment()
    picked = program().query("rule == 'after a bad quarter'")
    bad = (picked["start"].dt.to_period("Q") - 1).astype(str)
    return pd.Series({"bad": np.mean([table_.loc[rep, quarter] for rep, quarter in bad.items()]),
                      "usual": np.mean([table_.loc[rep].median() for rep in bad.index])})


# --------------------------------------------------------------------------- 09
SUMMIT_YEAR = (pd.Timestamp("2024-07-01"), pd.Timestamp("2025-06-30"))


def summit_id(first_name: str) -> str:
    summit = team_reps("Summit")
    return summit.loc[summit["name"].str.startswith(first_name + " "), "rep_id"].item()


@cache
def summit_kpis() -> pd.DataFrame:
    """Module 09's diagnosis table: finished deals created in the last four quarters, per rep."""
    opps = team_opps("Summit")
    return rep_funnel_kpis(opps[opps["created_date"].between(*SUMMIT_YEAR)], closed_only=True)


def summit_gap_worth(first_name: str, metric: str) -> float:
    """Module 09's rough value of a gap: closing at the team's median close rate, or its median discount."""
    kpis, rep = summit_kpis(), summit_kpis().loc[summit_id(first_name)]
    if metric == "close_rate":
        return rep["negotiations"] * (kpis["close_rate"].median() - rep["close_rate"]) * rep["avg_deal_size"]
    median = kpis["avg_discount_pct"].median()
    return rep["won"] * rep["avg_deal_size"] * ((100 - median) / (100 - rep["avg_discount_pct"]) - 1)


def nina_did() -> float:
    opps = team_opps("Summit")
    quarter = opps["created_date"].dt.to_period("Q").astype(str)

    def rate(quarters):
        return rep_funnel_kpis(opps[quarter.isin(quarters)])["proposal_rate"]

    change = (rate(["2024Q3", "2024Q4"]) - rate(["2023Q4", "2024Q1"])).dropna()
    nina = summit_id("Nina")
    return change[nina] - change.drop(nina).mean()


def summit_weekly_calls(first_name: str) -> float:
    weeks = table("weekly_activity")
    weeks = weeks[(weeks["rep_id"] == summit_id(first_name)) & weeks["week_start"].between(*H1_2025)]
    return weeks["calls"].mean()


# --------------------------------------------------------------------------- the list

def atlas_pulse() -> pd.DataFrame:
    pulse = table("pulse_survey")
    return pulse[pulse["rep_id"].isin(team_reps("Atlas")["rep_id"])]


def months_sent() -> pd.Series:
    """The months the pulse survey went out (every month of the table)."""
    return pd.Series(sorted(table("pulse_survey")["month"].unique()))


def helena_stay(start: str, end: str) -> float:
    pulse = atlas_pulse()
    helena = names("Atlas").index[names("Atlas") == "Helena Abbott"][0]
    mine = pulse[(pulse["rep_id"] == helena) & pulse["month"].between(start, end)]
    return mine["stay_intent"].mean()

FIGURES: list[Figure] = [
    # 00 · the sample team really has new hires, as the orientation promises
    Figure("00", "with the same mix of stars, solid performers, new hires and people who are stuck", 1,
           lambda: float((table("reps")["hire_date"] >= pd.Timestamp("2024-07-01")).any())),
    # 01
    Figure("01", "Meet team **Beacon**: eight reps selling to small businesses", 8, lambda: len(team_reps("Beacon"))),
    Figure("01", "Meet team **Beacon**: eight reps selling to small businesses", 1,
           lambda: float(segment_words("Beacon") == "small businesses")),
    Figure("01", "That rep presents about as many proposals as the team's median rep", 1.0,
           lambda: beacon_last_four()["proposals_presented"].pipe(lambda p: p[beacon_coach_first()] / p.median()), 0.1),
    # 02
    Figure("02", "In this module you run team **Atlas**: eight reps selling to mid-sized companies", 8,
           lambda: len(team_reps("Atlas")) if segment_words("Atlas") == "mid-sized companies" else -1),
    Figure("02", "Caleb Ibrahim won 12 deals", 12, lambda: atlas_year_won().loc["Caleb Ibrahim", "deals_won"]),
    Figure("02", "to Paula Adeyemi's 10", 10, lambda: atlas_year_won().loc["Paula Adeyemi", "deals_won"]),
    Figure("02", "$455,700 against", 455_700, lambda: atlas_year_won().loc["Caleb Ibrahim", "won_value"], 50),
    Figure("02", "against $491,500", 491_500, lambda: atlas_year_won().loc["Paula Adeyemi", "won_value"], 50),
    Figure("02", "His average won deal, about $38,000", 38_000, lambda: atlas_year_won().loc["Caleb Ibrahim", "avg_deal"], 500),
    Figure("02", "(about $49,200)", 49_200, lambda: atlas_year_won().loc["Paula Adeyemi", "avg_deal"], 100),
    # 03
    Figure("03", "below 20 deals (`MIN_DEALS`), one deal", 20, lambda: MIN_DEALS),
    Figure("03", "moves it by more than five points", 5, lambda: 100 / MIN_DEALS),   # one deal of 20
    Figure("03", "An index of 0.6 means that rep logs three-fifths", 0.6, lambda: atlas_activity_index().min(), 0.05),
    Figure("03", "Paula, has the team's second-best win rate", 2, lambda: rank_of(atlas_kpis()["win_rate"], "Paula Adeyemi")),
    Figure("03", "The rep at the bottom here, Paula", 1, lambda: float(atlas_activity_index().idxmin() == "Paula Adeyemi")),
    Figure("03", "wins deals above the team's median size", 1, lambda: index_vs_median("avg_deal_size", "Paula Adeyemi") - 1 > 0),
    Figure("03", "Samir is as busy as anyone (activity above 1)", 1, lambda: float(atlas_activity_index()["Samir Quinn"] > 1)),
    Figure("03", "qualifies deals about as often as the team", 1.0, lambda: index_vs_median("qualified_rate", "Samir Quinn"), 0.1),
    Figure("03", "proposals at roughly half the team's rate", 0.5, lambda: index_vs_median("proposal_rate", "Samir Quinn"), 0.08),
    Figure("03", "a discount about three times the team median's (an index near 0.37)", 0.37,
           lambda: index_vs_median("avg_discount_pct", "Caleb Ibrahim", lower_is_better=True), 0.02),
    Figure("03", "is flagged by chance in at most 4 runs in 100", 0.04,
           lambda: atlas_chance_flags().query("negotiations >= 20")[0.7].max(), 0.005),
    Figure("03", "would flag a fifth to nearly half of the team every time", 0.2,
           lambda: atlas_chance_flags().query("negotiations >= 20")[0.9].min(), 0.02),
    Figure("03", "would flag a fifth to nearly half of the team every time", 0.45,
           lambda: atlas_chance_flags().query("negotiations >= 20")[0.9].max(), 0.03),
    Figure("03", "with 8 deals that reached negotiation", 8, lambda: atlas_chance_flags().loc["Victor Rinaldi", "negotiations"]),
    Figure("03", "luck alone puts him under 0.70 about one run in five", 0.2,
           lambda: atlas_chance_flags().loc["Victor Rinaldi", 0.7], 0.03),
    # 04
    Figure("04", "the market fell, by roughly a fifth at its worst", 80, lambda: central_market().min(), 4),
    Figure("04", "In 2024 the team's median rep created about a fifth fewer", -0.2, lambda: compass_change(DOWNTURN).median(), 0.04),
    Figure("04", "yet three of the nine reps created *more*", 3, lambda: int((compass_change(DOWNTURN) > 0).sum())),
    Figure("04", "yet three of the nine reps created *more*", 9, lambda: len(compass_opportunities())),
    Figure("04", "five of the nine created over 20% fewer opportunities", 5, lambda: int((compass_change(DOWNTURN) < -0.2).sum())),
    Figure("04", "the market index fell about a fifth in 2024", 80, lambda: central_market(DOWNTURN).min(), 4),
    Figure("04", "her weekly calls were about half of", 0.5, compass_personal_calls_change, 0.1),
    Figure("04", "turns up by chance for about 7 reps in 100", 0.07, lambda: compass_chance_flags()[0], 0.01),
    Figure("04", "luck alone produces both for fewer than 2 reps in 100", 1,
           lambda: float(compass_chance_flags()[1] < 0.02)),
    # 05
    Figure("05", "On team **Beacon** (eight reps selling to small businesses)", 8,
           lambda: len(team_reps("Beacon")) if segment_words("Beacon") == "small businesses" else -1),
    Figure("05", "Wren's close rate is about 35 points under the team's", 0.35,
           lambda: beacon_shortfall("close_rate", "Wren Petrov", worse_when_lower=True), 0.03),
    Figure("05", "Mateo's deals take about 18 days longer", 18,
           lambda: beacon_shortfall("avg_cycle_days", "Mateo Okafor", worse_when_lower=False), 1.5),
    Figure("05", "Imran gives about 15 points more discount", 15,
           lambda: beacon_shortfall("avg_discount_pct", "Imran Ortiz", worse_when_lower=False), 1.5),
    Figure("05", "she makes about 40% fewer of them", 0.6,
           lambda: team_activity("Beacon").pipe(lambda a: a.loc["Daria Ueda", "calls"] / a["calls"].median()), 0.06),
    Figure("05", "Per rep, Noor's 5 points are worth as much as anyone's", 1,
           lambda: float(beacon_worth()["value_of_5_points"].rank(ascending=False)["Noor Esposito"] <= 2)),
    Figure("05", "but only because six of the eight reps are in it", 6, lambda: len(beacon_worth()) - 2),
    Figure("05", "the middle's 5 points are worth a little less than the star's", 0.85,
           lambda: beacon_worth().sort_values("won_value")["value_of_5_points"].pipe(lambda v: v.iloc[1:-1].mean() / v.iloc[-1]),
           0.1),
    Figure("05", "Luck alone never gets a rep to 5 points of discount or 10 days of cycle in 2,000 runs", 0,
           lambda: beacon_link_chance()[["avg_discount_pct", "avg_cycle_days"]].max().max()),
    Figure("05", "reaches 10 points on `proposal_rate` for about 1 rep in 100", 0.01,
           lambda: beacon_link_chance()["proposal_rate"].mean(), 0.005),
    Figure("05", "(on `qualified_rate`, fewer still)", 1,
           lambda: float(beacon_link_chance()["qualified_rate"].mean() < beacon_link_chance()["proposal_rate"].mean())),
    Figure("05", "it rests on fewer deals (31 to 108 negotiations)", 31, lambda: beacon_link_chance()["negotiations"].min()),
    Figure("05", "it rests on fewer deals (31 to 108 negotiations)", 108, lambda: beacon_link_chance()["negotiations"].max()),
    Figure("05", "luck reaches 10 points for about 5 reps in 100", 0.05, lambda: beacon_link_chance()["close_rate"].mean(), 0.01),
    Figure("05", "for Daria, with 31 negotiations, about 1 in 8", 31, lambda: beacon_link_chance().loc["Daria Ueda", "negotiations"]),
    Figure("05", "for Daria, with 31 negotiations, about 1 in 8", 0.125,
           lambda: beacon_link_chance().loc["Daria Ueda", "close_rate"], 0.02),
    Figure("05", "Wren's 35 points are more than three times the threshold", 0.35,
           lambda: beacon_shortfall("close_rate", "Wren Petrov", worse_when_lower=True), 0.03),
    Figure("05", "Wren's 35 points are more than three times the threshold", 1,
           lambda: float(beacon_shortfall("close_rate", "Wren Petrov", worse_when_lower=True) > 3 * 0.10)),
    Figure("05", "With 24 to 34 observed calls per rep", 24, lambda: beacon_false_alarms()[0]),
    Figure("05", "With 24 to 34 observed calls per rep", 34, lambda: beacon_false_alarms()[1]),
    Figure("05", "skill about 5 times in 100", 0.05, lambda: beacon_false_alarms()[2], 0.01),
    Figure("05", "in about one review in three", 0.33, lambda: beacon_false_alarms()[3], 0.04),
    # 06
    Figure("06", "Four teams recorded some of their one-on-ones", 4, transcript_teams),
    Figure("06", "each rep gets a status review about every two weeks", 14, median_days_between_status_reviews, 1),
    Figure("06", "The number of questions is not the point: a status review asks as many.", 1,
           lambda: recorded_medians().loc["status_review", "questions"] / recorded_medians().loc["coaching", "questions"]),
    Figure("06", "In a status review the manager does most of the talking; in a coaching session the rep does.", 1,
           lambda: float(recorded_medians().loc["coaching", "talk_ratio"] < 0.5
                         < recorded_medians().loc["status_review", "talk_ratio"])),
    # 07
    Figure("07", "Your observed calls this half average 1.25 on discovery", 1.25,
           lambda: delta_h1_scorecards().loc["Ivan Moreau", "discovery_questions"], 0.005),
    Figure("07", "against about 3.3 for the team's median rep", 3.3,
           lambda: delta_h1_scorecards()["discovery_questions"].median(), 0.1),
    Figure("07", "and 2 of your 9 qualified deals reached a proposal", 2, lambda: delta_h1_kpis().loc["Ivan Moreau", "proposals"]),
    Figure("07", "and 2 of your 9 qualified deals reached a proposal", 9, lambda: delta_h1_kpis().loc["Ivan Moreau", "qualified"]),
    Figure("07", "each one moves it by more than ten points", 1,
           lambda: float(1 / delta_h1_kpis().loc["Ivan Moreau", "qualified"] > 0.10)),
    Figure("07", "A rate over four proposals swings from 0 to 1", 4, lambda: delta_h1_kpis().loc["Kenji Castillo", "proposals"]),
    # 08
    Figure("08", "The 10 reps coached from a planned skill gap", 10, lambda: len(planned_changes())),
    Figure("08", "rose by 0.67 rating points on the coached skill", 0.67, lambda: planned_changes()["coached"].mean(), 0.005),
    Figure("08", "did not move (-0.025)", -0.025, lambda: planned_changes()["comparison"].mean(), 0.0005),
    Figure("08", "So about 0.7 of a rating point is the coaching's share", 0.7,
           lambda: (planned_changes()["coached"] - planned_changes()["comparison"]).mean(), 0.05),
    Figure("08", "9 of the 10 improved", 9, lambda: int((planned_changes()["coached"] > 0).sum())),
    Figure("08", "The 5 reps picked right after a bad quarter", 5, lambda: int((program()["rule"] != "planned").sum())),
    Figure("08", "gained 70 points of attainment the next quarter", 70, naive_gain, 0.5),
    Figure("08", "reps picked by the same rule in the same quarters gained 73 points", 73, same_rule_bounce, 0.5),
    Figure("08", "bounced back by about as much as the picked reps gained (73 points against 70)", 73, same_rule_bounce, 0.5),
    Figure("08", "bounced back by about as much as the picked reps gained (73 points against 70)", 70, naive_gain, 0.5),
    Figure("08", "on average 28% of quota, against a usual quarter of 96%", 28, lambda: picks_bad_and_usual()["bad"], 0.5),
    Figure("08", "on average 28% of quota, against a usual quarter of 96%", 96, lambda: picks_bad_and_usual()["usual"], 0.5),
    Figure("08", "slipping against their peers' by about 0.1 to 0.3 of a rating point", -0.1, lambda: pre_trends().max(), 0.05),
    Figure("08", "slipping against their peers' by about 0.1 to 0.3 of a rating point", -0.3, lambda: pre_trends().min(), 0.05),
    Figure("08", "A single fake start swings by about 0.6 of a rating point either way", 0.6,
           lambda: placebo_effects().quantile(0.95), 0.1),
    Figure("08", "A single fake start swings by about 0.6 of a rating point either way", -0.6,
           lambda: placebo_effects().quantile(0.05), 0.1),
    Figure("08", "The coached reps started about 1.5 points below their comparison group", 1.5,
           lambda: planned_baselines().pipe(lambda b: (b["comparison"] - b["coached"]).mean()), 0.2),
    Figure("08", "two of them were rated 1.00, the lowest score there is", 2,
           lambda: int((planned_baselines()["coached"] == 1.0).sum())),
    # 09
    Figure("09", "team **Summit** is yours: eight reps selling to small businesses in Central", 8,
           lambda: len(team_reps("Summit")) if segment_words("Summit") == "small businesses" else -1),
    Figure("09", "we did five coaching sessions on discovery in spring 2024", 5,
           lambda: int(table("coaching_sessions").query("rep_id == 'R036' and session_type == 'coaching' "
                                                        "and date >= '2024-03-20' and date < '2024-06-21'").shape[0])),
    Figure("09", "1.67 over the first half of 2025", 1.67,
           lambda: table("call_scorecards").pipe(lambda c: c[(c["rep_id"] == summit_id("Beatriz"))
                                                             & c["call_date"].between(*H1_2025)])["objection_handling"].mean(),
           0.005),
    Figure("09", "a quarter (6 won of 24 negotiations)", 6, lambda: summit_kpis().loc[summit_id("Beatriz"), "won"]),
    Figure("09", "a quarter (6 won of 24 negotiations)", 24, lambda: summit_kpis().loc[summit_id("Beatriz"), "negotiations"]),
    Figure("09", "about $130k over a year at the team's close rate", 130_000, lambda: summit_gap_worth("Beatriz", "close_rate"),
           10_000),
    Figure("09", "cheaper in dollars (about $39k)", 39_000, lambda: summit_gap_worth("Rafael", "avg_discount_pct"), 3_000),
    Figure("09", "his discount three times the team's", 3,
           lambda: summit_kpis().pipe(lambda k: k.loc[summit_id("Rafael"), "avg_discount_pct"] / k["avg_discount_pct"].median()),
           0.4),
    Figure("09", "last year's coaching helped (about +0.26 against her peers)", 0.26, nina_did, 0.01),
    Figure("09", "calls from about 18 to 28 a week", 18, lambda: summit_weekly_calls("Bianca"), 1.5),
    # 07a
    Figure("07a", "Atlas's reps answered 86 of the 93 surveys sent to them since July 2024", 86,
           lambda: len(atlas_pulse())),
    Figure("07a", "Atlas's reps answered 86 of the 93 surveys sent to them since July 2024", 93,
           lambda: sum(int((months_sent() >= hired.to_period("M").to_timestamp()).sum())
                       for hired in team_reps("Atlas")["hire_date"])),
    Figure("07a", "averaged 4.0 in the second half of 2024 and 1.5 in the latest quarter", 4.0,
           lambda: helena_stay("2024-07-01", "2024-12-31"), 0.05),
    Figure("07a", "averaged 4.0 in the second half of 2024 and 1.5 in the latest quarter", 1.5,
           lambda: helena_stay("2025-04-01", "2025-06-30"), 0.05),
]


# --------------------------------------------------------------------------- widget texts
def mistake_key(module: str, feedback: str) -> str:
    """The hash a code exercise's `mistakes` files `feedback` under (the wrong answer it describes)."""
    source = (MODULES.parent / "course" / "exercises" / f"module{module}.py").read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(value, ast.Constant) and value.value == feedback:
                    return key.value
    raise LookupError(feedback)


def atlas_gap_index() -> pd.DataFrame:
    """Module 03's index on every gap metric (rep / team median, turned around where lower is better)."""
    kpis = atlas_kpis().assign(activities_per_week=team_activity("Atlas")["activities"])
    metrics = ["activities_per_week", "qualified_rate", "proposal_rate", "negotiation_rate", "close_rate",
               "avg_deal_size", "avg_cycle_days", "avg_discount_pct"]
    index = kpis[metrics] / kpis[metrics].median()
    index[["avg_cycle_days", "avg_discount_pct"]] = 1 / index[["avg_cycle_days", "avg_discount_pct"]]
    return index


def summit_attainment(first_name: str) -> pd.Series:
    results = table("quarterly_results")
    return results[results["rep_id"] == summit_id(first_name)].set_index("quarter")["quota_attainment_pct"]


def summit_quarterly_calls(first_name: str) -> pd.Series:
    weeks = table("weekly_activity")
    weeks = weeks[weeks["rep_id"] == summit_id(first_name)]
    return weeks.groupby(weeks["week_start"].dt.to_period("Q").astype(str))["calls"].mean()


def helena_pulse(column: str, start: str, end: str) -> float:
    pulse = atlas_pulse()
    mine = pulse[(pulse["rep_id"] == names("Atlas").index[names("Atlas") == "Helena Abbott"][0])
                 & pulse["month"].between(start, end)]
    return mine[column].mean()


def uncoached_better_after_worst() -> float:
    """Share of the uncoached comparison reps whose quarter after their worst one was better."""
    table_ = course_attainment().loc[comparison_reps()]
    quarters = sorted(table_.columns)
    better = [row[quarters[quarters.index(worst) + 1]] > row[worst]
              for worst, (_, row) in zip(table_[quarters[:-1]].idxmin(axis=1), table_.iterrows())]
    return float(np.mean(better))


def manager_turn_shares() -> pd.Series:
    turns = table("transcripts")
    return (turns["speaker"] == "manager").groupby(turns["transcript_id"]).mean()


WIDGET_FIGURES: list[Figure] = [
    # 01 · the feedback on wrong answers to "which rep do you coach first?" describes those reps truly
    Figure("01", "that rep has the highest proposal win rate", 1,
           lambda: float(mistake_key("01", "that rep has the highest proposal win rate: the one a coach might learn from, "
                                           "not start with.")
                         == answer_hash("m01_coach_first", beacon_last_four().pipe(
                             lambda y: (y["deals_closed"] / y["proposals_presented"]).idxmax())))),
    Figure("01", "that rep closed the fewest deals, but also presented few proposals", 1,
           lambda: float(mistake_key("01", "that rep closed the fewest deals, but also presented few proposals. "
                                           "Compare rates, not counts.")
                         == answer_hash("m01_coach_first", beacon_last_four()["deals_closed"].idxmin()))),
    Figure("01", "that rep closed the fewest deals, but also presented few proposals", 1,
           lambda: beacon_last_four().pipe(lambda y: float(y.loc[y["deals_closed"].idxmin(), "proposals_presented"]
                                                           < y["proposals_presented"].median()))),
    # 03
    Figure("03", "Victor's largest gap is qualified → proposal", 1,
           lambda: float(atlas_gap_index().loc["Victor Rinaldi"].idxmin() == "proposal_rate")),
    Figure("03", "Check how long he has been selling here", 1,   # he is a new hire: under a year on the team
           lambda: float(table("reps").set_index("name").loc["Victor Rinaldi", "hire_date"]
                         > table("opportunities")["created_date"].max() - pd.DateOffset(years=1))),
    # 04
    Figure("04", "Central's market index fell hard this year", 80, lambda: central_market(DOWNTURN).min(), 5),
    Figure("04", "Central's market did fall", 1, lambda: float(central_market(DOWNTURN).min() < 90)),
    Figure("04", "That flags more than half the team, most of them for a market the whole region faced", 1,
           lambda: float((compass_change(DOWNTURN) < -0.20).mean() > 0.5)),
    Figure("04", "more than half the team fell by over a fifth in the downturn", 1,
           lambda: float((compass_change(DOWNTURN) < -0.20).mean() > 0.5)),
    Figure("04", "One of them came back with the market", 1,   # of the reps the downturn gap flags, one is 'market'
           lambda: compass_change(DOWNTURN).pipe(lambda d: d - d.median() < -0.20).pipe(
               lambda dropped: int((compass_change(RECOVERY) - compass_change(RECOVERY).median() >= -0.20)[dropped].sum()))),
    # 06
    Figure("06", "The median status review asks as many questions as the median coaching session", 1,
           lambda: recorded_medians().loc["status_review", "questions"] / recorded_medians().loc["coaching", "questions"]),
    Figure("06", "a manager who talks less than half the time", 1,
           lambda: float(recorded_medians().loc["coaching", "talk_ratio"] < 0.5)),
    Figure("06", "Manager and rep take turns, so that is always about a half", 0.5, lambda: manager_turn_shares().min(), 0.05),
    Figure("06", "Manager and rep take turns, so that is always about a half", 0.5, lambda: manager_turn_shares().max(), 0.05),
    # 07a · Helena, the star whose pulse falls
    Figure("07a", "She is the best seller on the team", 1,
           lambda: float(atlas_year_won()["won_value"].idxmax() == "Helena Abbott")),
    Figure("07a", "her numbers are the best on the team", 1,
           lambda: float(atlas_year_won()["won_value"].idxmax() == "Helena Abbott")),
    Figure("07a", "Helena's energy is still high", 1, lambda: float(helena_pulse("energy", "2025-04-01", "2025-06-30") >= 4)),
    *[Figure("07a", "her answers on growth, recognition and \"I see myself here in a year\" have fallen since January", 1,
             lambda column=column: float(helena_pulse(column, "2025-01-01", "2025-06-30")
                                         < helena_pulse(column, "2024-07-01", "2024-12-31")))
      for column in ("growth", "recognition", "stay_intent")],
    # 08
    Figure("08", "it is your difference in differences, well above zero", 1,
           lambda: float((planned_changes()["coached"] - planned_changes()["comparison"]).mean() > 0.5)),
    Figure("08", "Uncoached reps picked by the same rule in the same quarters bounced back by more than the picked reps gained",
           1, lambda: float(same_rule_bounce() > naive_gain())),
    Figure("08", "Most uncoached reps also had a better quarter right after their worst one", 1,
           lambda: float(uncoached_better_after_worst() > 0.5)),
    Figure("08", "the comparison group's change over the same weeks was close to zero", 0,
           lambda: planned_changes()["comparison"].mean(), 0.05),
    # 09 · Theo's comeback
    Figure("09", "By 2025Q2 Theo was far above quota", 1, lambda: float(summit_attainment("Theo")["2025Q2"] >= 150)),
    Figure("09", "he went from under a third of quota to about double it", 1,
           lambda: float(summit_attainment("Theo").min() < 100 / 3)),
    Figure("09", "he went from under a third of quota to about double it", 200,
           lambda: summit_attainment("Theo")["2025Q2"], 20),
    Figure("09", "Nothing in his activity or his deals changed much", 1,   # calls per week within a fifth of his usual quarter
           lambda: summit_quarterly_calls("Theo").pipe(lambda c: float((c / c.median() - 1).abs().max() <= 0.2))),
]


@pytest.mark.parametrize("figure", WIDGET_FIGURES, ids=lambda f: f"{f.module}:{f.quote[:40]}")
def test_widget_figure_matches_the_data(figure):
    assert_quoted_and_true(figure, widget_text(figure.module), f"module {figure.module}'s widget texts", "WIDGET_FIGURES")


@dataclass(frozen=True)
class Cited:
    """A figure quoted from research, not from the data: the module names its source, and the data
    dictionary's "Benchmarks and sources" section lists the same source."""
    module: str
    quote: str
    source: str     # the cited work's title, as both texts write it


CITED: list[Cited] = [
    Cited("05", "the best-quality coaching can improve their performance by up to 19%",
          "The Dirty Secret of Effective Sales Coaching"),
]


@pytest.mark.parametrize("cited", CITED, ids=lambda c: f"{c.module}:{c.quote[:40]}")
def test_research_figure_names_its_source(cited):
    readme = re.sub(r"\s+", " ", (MODULES.parent / "datasets" / "README.md").read_text(encoding="utf-8"))
    assert cited.quote in prose(cited.module), f"module {cited.module} no longer says {cited.quote!r}"
    assert cited.source in prose(cited.module), f"module {cited.module} should name {cited.source!r}"
    assert cited.source in readme, f"datasets/README.md's sources should list {cited.source!r}"


#: modules that quote no figure from the data, and why
NO_FIGURES: dict[str, str] = {
    "00a": "its numbers are an exercise's threshold and the shape of an example answer, not figures from the data",
}


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f"{f.module}:{f.quote[:40]}")
def test_prose_figure_matches_the_data(figure):
    assert_quoted_and_true(figure, prose(figure.module), f"module {figure.module}", "FIGURES")


def assert_quoted_and_true(figure: Figure, text: str, where: str, listed_in: str) -> None:
    """`text` still quotes the figure, and the data still gives the number it claims."""
    assert figure.quote in text, f"{where} no longer says {figure.quote!r}: update {listed_in} with the new sentence"
    value = float(figure.compute())
    assert abs(value - figure.claimed) <= figure.tolerance, (
        f"{where} says {figure.quote!r} ({figure.claimed}), the data gives {value:.4g}")


def test_every_module_is_covered():
    covered = {figure.module for figure in FIGURES} | set(NO_FIGURES)
    assert covered == {name.split("-")[0] for name in module_names()}


def test_data_dictionary_team_table_matches_the_reps():
    """datasets/README.md's table of teams: manager, region, segment and head count as in `reps`."""
    readme = (MODULES.parent / "datasets" / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\w+) +\| ([^|]+?) +\| (\w+) +\| ([\w-]+) +\| (\d+) +\|", readme, flags=re.M)
    reps = table("reps")
    stated = {team: (manager, region, segment, int(count)) for team, manager, region, segment, count in rows}
    actual = {team: (group["manager"].iloc[0], group["region"].iloc[0], group["segment"].iloc[0], len(group))
              for team, group in reps.groupby("team", observed=True)}
    assert stated == actual


def test_data_dictionary_quota_ranges_match_the_reps():
    """The benchmark table quotes each segment's full quarterly quotas, lowest to highest."""
    readme = re.sub(r"\s+", " ", (MODULES.parent / "datasets" / "README.md").read_text(encoding="utf-8"))
    quotas = table("reps").groupby("segment", observed=True)["quarterly_quota"]
    for segment, low, high in zip(quotas.min().index, quotas.min(), quotas.max()):
        assert re.search(rf"\${low // 1000}k–{high // 1000}k (a quarter )?in {segment}\b", readme), segment
