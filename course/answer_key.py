"""The answer key of the sample data: instructor material, for hidden tests and trainer tools.

It lives in `grading/answer_key/` of the course repository, next to the seed that generated the
data. It is not package data, is never released to learners and is not mounted in the grading
sandbox, so `load_answer_key` raises `AnswerKeyUnavailable` there.

    from course.answer_key import load_answer_key
    profiles = load_answer_key("rep_profiles")
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from course.paths import GRADING

ANSWER_KEY_DIR = GRADING / "answer_key"
ANSWER_KEY_TABLES: tuple[str, ...] = ("rep_profiles", "coaching_effects", "transcript_labels")
SEED_FILE = "SEED"
PLAN_FILE = "plan.yaml"


class AnswerKeyUnavailable(FileNotFoundError):
    """The answer key is not here: this is a learner's environment or the grading sandbox."""


def answer_key_dir(folder: Path | None = None) -> Path:
    folder = Path(folder) if folder is not None else ANSWER_KEY_DIR
    if not (folder / "rep_profiles.csv").is_file():
        raise AnswerKeyUnavailable(
            f"The answer key is not available at {folder}. It is instructor material: it exists only in the "
            "course repository (grading/answer_key/), never in a learner's release or the grading sandbox."
        )
    return folder


def load_answer_key(name: str, folder: Path | None = None) -> pd.DataFrame:
    """One answer-key table: rep_profiles, coaching_effects or transcript_labels."""
    if name not in ANSWER_KEY_TABLES:
        raise KeyError(f"No answer-key table called {name!r}. The tables are: {', '.join(ANSWER_KEY_TABLES)}.")
    frame = pd.read_csv(answer_key_dir(folder) / f"{name}.csv", keep_default_na=False, na_values=[""])
    if name == "coaching_effects":
        frame["coaching_start"] = pd.to_datetime(frame["coaching_start"], format="%Y-%m-%d")
        frame["picked_after_bad_quarter"] = frame["picked_after_bad_quarter"].astype(bool)
    return frame


def read_seed(folder: Path | None = None) -> int:
    """The secret seed of the sample data (without it the answer key cannot be regenerated)."""
    path = Path(folder or ANSWER_KEY_DIR) / SEED_FILE
    try:
        return int(path.read_text(encoding="utf-8").strip())
    except FileNotFoundError:
        raise AnswerKeyUnavailable(
            f"No seed at {path}. Regenerating the sample data needs the instructor's seed "
            "(grading/answer_key/SEED in the course repository) or --seed."
        ) from None


def read_plan(folder: Path | None = None) -> dict:
    """The secret design of the sample data (profiles per team, coaching program): plan.yaml."""
    import yaml

    path = Path(folder or ANSWER_KEY_DIR) / PLAN_FILE
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnswerKeyUnavailable(
            f"No plan at {path}. Regenerating the sample data needs the instructor's plan "
            "(grading/answer_key/plan.yaml in the course repository)."
        ) from None


# ---------------------------------------------------------------- the planted stories, checked
def _ratio(frame: pd.DataFrame, value: str, numerator: list[str], denominator: list[str]) -> pd.Series:
    wide = frame.pivot_table(index="rep_id", columns="quarter", values=value, aggfunc="sum")
    return wide[numerator].mean(axis=1) / wide[denominator].mean(axis=1)


PRE, DOWN, POST = ["2023Q2", "2023Q3", "2023Q4"], ["2024Q1", "2024Q2", "2024Q3"], ["2024Q4", "2025Q1", "2025Q2"]


def planted_story_checks(tables: dict[str, pd.DataFrame], key: dict[str, pd.DataFrame]) -> dict[str, bool]:
    """Is every planted story visible in the data? One named True/False per story.

    `tables`: the loaded sample tables (course.data.load_all()); `key`: answer-key tables by name.
    The generator's seed was chosen so that all hold; tests/test_datasets.py asserts them.
    """
    from course.metrics import rep_funnel_kpis

    reps = tables["reps"].set_index("rep_id")
    profiles = key["rep_profiles"].set_index("rep_id")["true_profile"]
    kpis = rep_funnel_kpis(tables["opportunities"])
    activity = tables["weekly_activity"]
    kpis["activity"] = activity.assign(total=activity[["calls", "emails", "meetings"]].sum(axis=1)) \
        .groupby("rep_id")["total"].mean()
    kpis["team"] = reps["team"].astype(str)
    kpis["profile"] = profiles
    comparable = kpis[kpis["profile"] != "ramping_new_hire"]
    checks: dict[str, bool] = {}

    def extreme(profile: str, column: str, highest: bool) -> bool:
        ok = True
        for _, team in comparable.groupby("team"):
            if profile in set(team["profile"]):
                value = team.loc[team["profile"] == profile, column].iloc[0]
                ok &= bool(value == (team[column].max() if highest else team[column].min()))
        return ok

    checks["weak_discovery_lowest_proposal_rate_in_team"] = extreme("weak_discovery", "proposal_rate", False)
    checks["weak_closing_lowest_close_rate_in_team"] = extreme("weak_closing", "close_rate", False)
    checks["heavy_discounter_highest_discount_in_team"] = extreme("heavy_discounter", "avg_discount_pct", True)
    checks["slow_follow_up_longest_cycle_in_team"] = extreme("slow_follow_up", "avg_cycle_days", True)
    checks["low_activity_lowest_activity_in_team"] = extreme("low_activity", "activity", False)
    checks["star_highest_win_rate_in_team"] = extreme("star", "win_rate", True)

    # the downturn region: a personal slump next to a market-driven one
    results = tables["quarterly_results"]
    region = reps["region"].astype(str)
    downturn = region[region == "Central"].index
    central = results[results["rep_id"].isin(downturn) & results["rep_id"].map(profiles).ne("ramping_new_hire")]
    created_down = _ratio(central, "opportunities_created", DOWN, PRE)
    created_post = _ratio(central, "opportunities_created", POST, PRE)
    weekly = activity[activity["rep_id"].isin(central["rep_id"].unique())].copy()
    weekly["quarter"] = weekly["week_start"].dt.to_period("Q").astype(str)
    calls_post = _ratio(weekly, "calls", POST, PRE)
    who = profiles.reindex(pd.Index(central["rep_id"].unique()))
    blamers, hit = who[who == "economy_blamer"].index, who[who == "market_hit"].index
    peers = who[~who.isin(["economy_blamer", "market_hit"])].index
    checks["economy_blamer_activity_stays_down"] = bool(
        (calls_post[blamers] < 0.75).all() and (calls_post[peers] > 0.85).all())
    checks["economy_blamer_drop_exceeds_peers"] = bool(
        (created_post[blamers] < created_post[peers].min()).all())
    checks["market_hit_drops_with_market_and_recovers"] = bool(
        (created_down[hit] < created_down[peers].min()).all()
        and (created_post[hit] > created_down[hit] + 0.25).all())
    month = tables["market_index"]
    month = month[month["region"].astype(str) == "Central"]
    index_q = month.groupby(month["month"].dt.to_period("Q").astype(str))["index_value"].mean()
    series = central.pivot_table(index="quarter", columns="rep_id", values="opportunities_created")
    corr = series.corrwith(index_q.reindex(series.index))
    checks["market_hit_tracks_index_best"] = bool(corr[hit].min() > corr[peers].max())

    # coaching: coached reps improve on the coached skill more than uncoached reps on the same skill
    cards = tables["call_scorecards"]
    effects = key["coaching_effects"]
    group = key["rep_profiles"].set_index("rep_id")["coaching_group"]
    comparison = group[(group == "uncoached") & ~profiles.isin(["ramping_new_hire", "economy_blamer"])].index
    gains = []
    for _, row in effects[effects["selection"] == "planned"].iterrows():
        start = pd.Timestamp(row["coaching_start"])
        before = (cards["call_date"] < start) & (cards["call_date"] >= start - pd.Timedelta(days=180))
        after = (cards["call_date"] >= start + pd.Timedelta(days=56)) & (cards["call_date"] < start + pd.Timedelta(days=236))
        mine, others = cards["rep_id"] == row["rep_id"], cards["rep_id"].isin(comparison)
        skill = row["focus_skill"]
        coached = cards.loc[mine & after, skill].mean() - cards.loc[mine & before, skill].mean()
        uncoached = cards.loc[others & after, skill].mean() - cards.loc[others & before, skill].mean()
        gains.append(coached - uncoached)
    checks["coached_reps_improve_more_than_uncoached"] = bool(np.mean(gains) > 0.25)

    # regression to the mean: reps picked after a bad quarter bounce back with (almost) no true effect
    attainment = results.pivot_table(index="rep_id", columns="quarter", values="quota_attainment_pct")
    picked = effects[effects["picked_after_bad_quarter"]]
    quarters = list(attainment.columns)
    below, bounce = [], []
    for _, row in picked.iterrows():
        series_ = attainment.loc[row["rep_id"]]
        i = quarters.index(row["selection_quarter"])
        usual = series_.drop(row["selection_quarter"]).mean()
        below.append(series_.iloc[i] < usual)
        bounce.append(series_.iloc[i + 1:i + 3].mean() - series_.iloc[i])
    checks["picked_reps_had_unusually_bad_quarter"] = bool(all(below))
    checks["picked_reps_bounce_back"] = bool(np.mean(bounce) > 20 and (picked["true_effect"] <= 0.15).all())

    # the pulse survey: a will problem shows as the team's lowest energy; the flight-risk star's wish to stay falls most
    who = key["rep_profiles"][["rep_id", "team", "true_profile"]]
    pulse = tables["pulse_survey"].merge(who, on="rep_id")
    energy = pulse.groupby(["team", "rep_id"])["energy"].mean()
    low_will = who[who["true_profile"].isin(["low_activity", "economy_blamer"])]
    checks["low_will_lowest_energy_in_team"] = bool(all(
        energy[team].idxmin() == rep_id for team, rep_id in zip(low_will["team"], low_will["rep_id"])))
    starts = pd.to_datetime(["2024-07-01", "2024-12-31", "2025-04-01", "2025-06-30"])
    earlier = pulse[pulse["month"].between(starts[0], starts[1])].groupby(["team", "rep_id"])["stay_intent"].mean()
    latest = pulse[pulse["month"].between(starts[2], starts[3])].groupby(["team", "rep_id"])["stay_intent"].mean()
    change = (latest - earlier).dropna()
    star = who.loc[(who["team"] == "Atlas") & (who["true_profile"] == "star"), "rep_id"].item()
    checks["flight_risk_star_stay_intent_falls_most"] = bool(change["Atlas"].idxmin() == star and change["Atlas"].min() < -1.5
                                                             and (change.drop("Atlas", level="team") > -1.5).all())
    return checks
