"""Generate the sample data of Northwind Analytics, the fictional B2B sales organisation of the course.

Learners never run this: its output is committed. Trainers regenerate with

    python -m course.datasets.generate                      # writes datasets/*.csv and grading/answer_key/*
    python -m course.datasets.generate --out DIR --answer-key-dir DIR2

The seed and the plan (which profiles each team has, the coaching program) are instructor
material, kept in grading/answer_key/ (SEED, plan.yaml): with them anyone could regenerate the
answer key, so learners, who have this code, do not get them. Everything comes from one
`numpy.random.default_rng(seed)` consumed in a fixed order, and the CSV
formatting is fixed (ISO dates, rounded floats, "\\n" line ends), so the same code writes the same
bytes. `tests/test_datasets.py` regenerates into a temporary folder and compares every byte.

How the organisation works (the answer key keeps the truth; learners find it in the data):

* Five teams, each with a manager, a region and a segment. Four teams are the "course" cohort the
  modules use; the fifth ("Summit", cohort "capstone") is kept for the capstone module.
* Each rep has a planted profile (star, solid_core, low_activity, weak_discovery, weak_closing,
  heavy_discounter, slow_follow_up, ramping_new_hire, economy_blamer, market_hit) expressed only
  through latent parameters: activity level, five skills on the 1-5 scorecard scale, discounting
  habit, follow-up speed and sensitivity to the regional market.
* Every week a rep's activity produces new opportunities. Each opportunity's path through the
  funnel is drawn from stage probabilities that depend on the rep's skills *on the day it was
  created* (discovery -> qualified-to-proposal, value articulation -> proposal-to-negotiation,
  objection handling and next steps -> negotiation-to-won, next steps -> speed).
* The Central region's market index falls by about a fifth for three quarters (2024Q1-2024Q3).
* Coaching raises the coached skill gradually over eight weeks by a true effect drawn per rep.
  Some reps are picked for coaching by module 08's rule, because their last quarter came in at the smallest
  share of their usual one; their sessions have no true effect (the regression-to-the-mean trap). The rest
  form an uncoached comparison group.
"""
from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

START = dt.date(2023, 1, 2)  # a Monday
END = dt.date(2025, 6, 30)  # data cut-off: the last day of 2025Q2
QUARTERS = [f"{y}Q{q}" for y in (2023, 2024, 2025) for q in (1, 2, 3, 4)][:10]
# The simulation starts six months early so that the first quarter has deals closing in it.
SIM_START = dt.date(2022, 7, 4)
SIM_QUARTERS = ["2022Q3", "2022Q4"] + QUARTERS

SKILLS = ["discovery_questions", "active_listening", "value_articulation", "objection_handling", "next_steps"]
STAGES = ["prospecting", "qualified", "proposal", "negotiation", "won"]

DATASETS_DIR = Path(__file__).resolve().parent
ANSWER_KEY_DIR = DATASETS_DIR.parent / "grading" / "answer_key"

# name, manager, region, segment, cohort. Which profiles each team's reps have is secret: it is in
# grading/answer_key/plan.yaml, with the coaching program, next to the seed.
TEAMS = [
    ("Atlas", "Dana Whitfield", "East", "Mid-Market", "course"),
    ("Beacon", "Marcus Oyelaran", "East", "SMB", "course"),
    ("Compass", "Elena Varga", "Central", "Mid-Market", "course"),
    ("Delta", "Tom Brennan", "West", "Enterprise", "course"),
    ("Summit", "Aisha Karimi", "Central", "SMB", "capstone"),
]
ENABLEMENT_OBSERVER = "Priya Nair"

# Segment economics: new opportunities per week at full activity, median list price, price spread,
# and how many times slower than SMB each stage moves.
SEGMENTS = {
    "SMB": dict(rate=1.9, median_price=14_000, sigma=0.45, pace=1.0),
    "Mid-Market": dict(rate=1.5, median_price=42_000, sigma=0.50, pace=2.4),
    "Enterprise": dict(rate=0.7, median_price=130_000, sigma=0.55, pace=4.6),
}
# Mean days between stages for SMB at average follow-up: created->qualified->proposal->negotiation->close
STAGE_DAYS = np.array([6.0, 9.0, 8.0, 8.0])

COACHING_RAMP_DAYS = 56

# Central's market index relative to trend, by month (1.0 elsewhere and outside these months).
DOWNTURN = {
    (2023, 12): 0.96, (2024, 1): 0.89, (2024, 2): 0.84, (2024, 3): 0.80, (2024, 4): 0.78, (2024, 5): 0.77,
    (2024, 6): 0.78, (2024, 7): 0.80, (2024, 8): 0.84, (2024, 9): 0.89, (2024, 10): 0.94, (2024, 11): 0.97,
    (2024, 12): 0.99,
}
DOWNTURN_REGION = "Central"
# The economy blamer's personal slump starts here (activity falls by half over eight weeks and stays down).
BLAMER_DROP = dt.date(2024, 2, 5)

FIRST_NAMES = [
    "Alex", "Bianca", "Carlos", "Deepa", "Ethan", "Fatima", "Gavin", "Hana", "Ivan", "Jasmine", "Kofi", "Laura",
    "Mateo", "Nina", "Owen", "Paula", "Quentin", "Rosa", "Samir", "Tara", "Umar", "Valerie", "Wei", "Ximena",
    "Yusuf", "Zoe", "Andre", "Beatriz", "Caleb", "Daria", "Emeka", "Freya", "Gideon", "Helena", "Imran", "Julia",
    "Kenji", "Leila", "Marco", "Noor", "Oscar", "Priyanka", "Rafael", "Sofia", "Theo", "Uma", "Victor", "Wren",
]
LAST_NAMES = [
    "Abbott", "Bauer", "Castillo", "Duarte", "Eriksen", "Fontaine", "Gallagher", "Hoffman", "Iyer", "Jensen",
    "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinn", "Rinaldi", "Schneider", "Tanaka",
    "Ueda", "Vasquez", "Whitaker", "Xu", "Yilmaz", "Zimmerman", "Adeyemi", "Brennan", "Chen", "Dubois", "Esposito",
    "Farouk", "Gomez", "Haddad", "Ibrahim", "Johansson", "Kaur", "Lopez", "Mensah", "Novak", "Ortiz", "Patel",
]
ACCOUNT_WORDS = [
    "Northwind", "Bluepeak", "Cedar", "Ironbridge", "Lakeshore", "Summitview", "Redwood", "Harbor", "Granite",
    "Silverline", "Oakridge", "Brightwater", "Foxhill", "Kestrel", "Meridian", "Pinecrest", "Riverbend", "Stonegate",
    "Westfield", "Amberly", "Copperleaf", "Driftwood", "Evergreen", "Falcon", "Goldcrest", "Highland", "Juniper",
    "Larkspur", "Maple", "Nimbus", "Orchard", "Prairie", "Quarry", "Sable", "Thistle", "Upland", "Vantage",
]
ACCOUNT_KINDS = [
    "Logistics", "Manufacturing", "Health", "Foods", "Engineering", "Retail", "Freight", "Energy", "Labs",
    "Insurance", "Dental Group", "Construction", "Packaging", "Hospitality", "Software", "Plastics", "Tooling",
    "Clinics", "Distribution", "Credit Union",
]


@dataclass
class Rep:
    rep_id: str
    name: str
    team: str
    manager: str
    region: str
    segment: str
    cohort: str
    profile: str
    hire_date: dt.date
    quota: int  # full quarterly quota, set once the year's typical results are known
    quota_factor: float
    activity: float
    skills: dict[str, float]
    discount_mean: float
    follow_up: float  # multiplies days between stages
    price_factor: float
    elasticity: float  # sensitivity of opportunity creation and wins to the regional market
    accounts: list[str] = field(default_factory=list)
    coaching: dict | None = None  # focus skill, start, true effect, selection


def _clip(x, lo, hi):
    return float(min(max(x, lo), hi))


def quarter_of(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(quarter: str) -> tuple[dt.date, dt.date]:
    year, q = int(quarter[:4]), int(quarter[-1])
    first = dt.date(year, 3 * q - 2, 1)
    last = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
    return first, last


def market_multiplier(region: str, day: dt.date) -> float:
    if region != DOWNTURN_REGION:
        return 1.0
    return DOWNTURN.get((day.year, day.month), 1.0)


# ---------------------------------------------------------------- the organisation
def make_reps(rng: np.random.Generator, plan: dict) -> list[Rep]:
    names = rng.permutation(len(FIRST_NAMES))
    surnames = rng.permutation(len(LAST_NAMES))
    words = [f"{w} {k}" for w in ACCOUNT_WORDS for k in ACCOUNT_KINDS]
    accounts = [words[i] for i in rng.permutation(len(words))]
    reps: list[Rep] = []
    for team, manager, region, segment, cohort in TEAMS:
        for profile in rng.permutation(plan["profiles"][team]):
            profile = str(profile)
            i = len(reps)
            base = {s: _clip(rng.normal(3.35, 0.25), 2.6, 4.0) for s in SKILLS}
            activity = _clip(rng.normal(1.0, 0.07), 0.85, 1.15)
            discount_mean, follow_up, price_factor, elasticity = rng.normal(8.0, 1.2), 1.0, 1.0, 0.35
            if profile == "star":
                base = {s: _clip(rng.normal(4.05, 0.15), 3.8, 4.5) for s in SKILLS}
                activity, discount_mean, price_factor = 1.08, 6.0, 1.0
            elif profile == "low_activity":
                activity = 0.58
            elif profile == "weak_discovery":
                base["discovery_questions"] = 1.4
                base["active_listening"] = 2.5
            elif profile == "weak_closing":
                base["objection_handling"] = 1.4
                base["next_steps"] = 2.7
            elif profile == "heavy_discounter":
                base["value_articulation"] = 2.9
                discount_mean = 24.0
            elif profile == "slow_follow_up":
                base["next_steps"] = 2.0
                follow_up = 1.75
            elif profile == "market_hit":
                elasticity = 3.5
            if profile == "ramping_new_hire":
                hire = plan["new_hire_dates"][team]
            else:
                hire = START - dt.timedelta(days=int(rng.integers(200, 2200)))
            quota_factor = (1.1 if profile == "star" else 1.0) * rng.uniform(0.95, 1.05)
            reps.append(Rep(
                rep_id=f"R{i + 1:03d}",
                name=f"{FIRST_NAMES[names[i]]} {LAST_NAMES[surnames[i]]}",
                team=team, manager=manager, region=region, segment=segment, cohort=cohort, profile=profile,
                hire_date=hire, quota=0, quota_factor=quota_factor, activity=activity, skills=base,
                discount_mean=float(discount_mean), follow_up=follow_up, price_factor=price_factor,
                elasticity=elasticity, accounts=accounts[i * 18:(i + 1) * 18],
            ))
    return reps


def skill_on(rep: Rep, skill: str, day: dt.date) -> float:
    """The rep's true skill level on a day: baseline, plus ramp-up for a new hire, plus coaching."""
    level = rep.skills[skill]
    if rep.profile == "ramping_new_hire":
        weeks = (day - rep.hire_date).days / 7
        level = 2.4 + (level - 2.4) * min(max(weeks / 26, 0.0), 1.0)
    if rep.profile == "economy_blamer" and day >= BLAMER_DROP + dt.timedelta(days=28) and skill == "discovery_questions":
        level -= 0.5  # distracted and rushing calls, alongside the drop in activity
    c = rep.coaching
    if c and c["focus_skill"] == skill and day > c["start"]:
        level += c["true_effect"] * min((day - c["start"]).days / COACHING_RAMP_DAYS, 1.0)
    return level


def activity_on(rep: Rep, week: dt.date, pto: set[dt.date]) -> float:
    """How active the rep was in the week starting `week` (1.0 = a typical full week)."""
    level = rep.activity
    if rep.profile == "ramping_new_hire":
        level *= 0.35 + 0.65 * min((week - rep.hire_date).days / 91, 1.0)
    if rep.profile == "economy_blamer" and week >= BLAMER_DROP:
        level *= 1.0 - 0.5 * min((week - BLAMER_DROP).days / 56, 1.0)
    if (week.month == 12 and week.day >= 22) or (week.month == 1 and week.day <= 1):
        level *= 0.3
    elif week.month == 8:
        level *= 0.85
    if week in pto:
        level *= 0.1
    return level


# ---------------------------------------------------------------- opportunities
def simulate_opportunity(rng, rep: Rep, created: dt.date, number: int) -> dict:
    """One opportunity's whole life, decided on the day it is created; the CRM view at the cut-off."""
    s = {k: skill_on(rep, k, created) for k in SKILLS}
    market = market_multiplier(rep.region, created) ** rep.elasticity
    seg = SEGMENTS[rep.segment]
    # the discount the rep would give if the deal gets to a proposal: a habit, larger when value is poorly argued
    habit = rng.gamma(4.0, rep.discount_mean / 4.0) - 0.8 * (s["value_articulation"] - 3.3)
    discount = round(_clip(habit, 0, 45) * 2) / 2
    p = [
        _clip(0.60 + 0.05 * (s["active_listening"] - 3.3), 0.2, 0.9),
        _clip(0.66 + 0.18 * (s["discovery_questions"] - 3.3) + 0.03 * (s["active_listening"] - 3.3), 0.1, 0.95),
        _clip(0.72 + 0.08 * (s["value_articulation"] - 3.3), 0.2, 0.95),
        _clip((0.60 + 0.16 * (s["objection_handling"] - 3.3) + 0.04 * (s["next_steps"] - 3.3)
               + 0.006 * (discount - 8)) * market, 0.1, 0.95),
    ]
    speed = seg["pace"] * rep.follow_up * (1 + 0.12 * (3.3 - s["next_steps"]))
    dates = [created]
    reached = 0  # index into STAGES of the furthest stage
    lost = False
    for k in range(4):
        gap = max(1, int(round(rng.gamma(2.5, STAGE_DAYS[k] * speed / 2.5))))
        if rng.random() < p[k]:
            dates.append(dates[-1] + dt.timedelta(days=gap))
            reached = k + 1
        else:
            lost_gap = max(1, int(round(rng.gamma(2.0, 1.3 * STAGE_DAYS[k] * speed / 2.0))))
            dates.append(dates[-1] + dt.timedelta(days=lost_gap))
            lost = True
            break
    close_date = dates[-1]
    list_price = rng.lognormal(np.log(seg["median_price"] * rep.price_factor), seg["sigma"])
    if reached < 2:
        discount = 0.0
    amount = int(round(list_price * (1 - discount / 100), -2))
    # what the CRM shows at the cut-off
    if close_date > END:
        outcome, closed = "open", None
        stage_dates = dates[1:reached + 1]  # the days each stage was reached
        reached_now = sum(1 for d in stage_dates if d <= END)
        reached = min(reached, reached_now)
        if reached < 2:
            discount = 0.0
            amount = int(round(list_price, -2))
    else:
        outcome, closed = ("lost" if lost else "won"), close_date
    proposal_date = dates[2] if reached >= 2 and len(dates) > 2 else None
    return dict(
        opportunity_id=f"O{number:06d}", rep_id=rep.rep_id, account=str(rng.choice(rep.accounts)),
        created_date=created, closed_date=closed, furthest_stage=STAGES[reached], outcome=outcome,
        amount=amount, discount_pct=discount, _proposal_date=proposal_date,
    )


# ---------------------------------------------------------------- transcripts
# The recorded one-on-ones are written by hand (grading/answer_key/conversations.md, read by
# datasets/conversations.py). The templated transcripts they replace drew this many steps from the
# simulation's random stream; skipping them keeps every table generated after them (the market
# index) byte-identical for the instructor's seed.
RETIRED_TRANSCRIPT_DRAWS = 495


def recorded_one_on_ones(coaching_sessions: pd.DataFrame, reps: pd.DataFrame,
                         source: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """transcripts.csv and its answer key (transcript_labels.csv), from the author's conversations."""
    from course.answer_key import ANSWER_KEY_DIR as instructor_dir  # read here: tests point it elsewhere
    from course.datasets.conversations import FILE_NAME, read_conversations, transcript_tables

    source = source or instructor_dir / FILE_NAME
    return transcript_tables(read_conversations(source), coaching_sessions, reps, source)


# Coaching sessions of the reps picked after a bad quarter, and the status reviews the first version dropped
# (a fortnightly slot on a weekend), draw from their own stream: the simulation's stream stays as it was.
SESSIONS_STREAM = 8
# The first version of this generator picked these reps (instructor's seed) after a bad quarter, by a rule that
# module 08 does not state, and drew their five session lengths from the simulation's stream. Drawing them still,
# unused, keeps every table after them byte-identical.
RETIRED_PICKS = frozenset({"R007", "R010", "R021", "R025", "R030"})


# ---------------------------------------------------------------- the whole simulation
def generate(seed: int, plan: dict) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame]]:
    """Every table and the answer key, from the secret seed and plan (grading/answer_key/)."""
    rng = np.random.default_rng(seed)
    reps = make_reps(rng, plan)
    by_id = {r.rep_id: r for r in reps}
    weeks = [SIM_START + dt.timedelta(weeks=i) for i in range(((END - SIM_START).days // 7) + 1)]
    pto = {r.rep_id: {weeks[int(i)] for i in rng.choice(len(weeks), size=7, replace=False)} for r in reps}

    # planned coaching is decided up front
    for item in plan["planned_coaching"]:
        team, profile, skill = item["team"], item["profile"], item.get("focus_skill")
        rep = next(r for r in reps if r.team == team and r.profile == profile and r.coaching is None)
        focus = skill or min(SKILLS, key=lambda s: rep.skills[s])
        effect = _clip(rng.normal(0.7, 0.2), 0.3, 1.1) if skill else _clip(rng.normal(0.4, 0.15), 0.1, 0.7)
        if item.get("true_effect") is not None:
            effect = float(item["true_effect"])
        rep.coaching = dict(focus_skill=focus, start=item["start"], true_effect=round(effect, 2),
                            selection="planned", selection_quarter="")
    bad_quarter_rounds = {p["quarter"]: int(p["reps"]) for p in plan["picked_after_bad_quarter"]}

    opps: list[dict] = []
    activity_rows: list[dict] = []
    for q_index, quarter in enumerate(SIM_QUARTERS):
        first, last = quarter_bounds(quarter)
        for week in (w for w in weeks if first <= w <= last):
            for rep in reps:
                if week < rep.hire_date - dt.timedelta(days=6):
                    continue
                a = activity_on(rep, week, pto[rep.rep_id]) * rng.lognormal(0, 0.12)
                market = market_multiplier(rep.region, week) ** rep.elasticity
                activity_rows.append(dict(
                    rep_id=rep.rep_id, week_start=week,
                    calls=int(rng.poisson(38 * a)), emails=int(rng.poisson(62 * a)),
                    meetings=int(rng.poisson(9 * a * market)), demos=int(rng.poisson(3.2 * a * market)),
                ))
                n_new = int(rng.poisson(SEGMENTS[rep.segment]["rate"] * a * market))
                for _ in range(n_new):
                    created = week + dt.timedelta(days=int(rng.integers(0, 5)))
                    if created > END:
                        continue
                    opps.append(simulate_opportunity(rng, rep, created, len(opps) + 1))
        if quarter in bad_quarter_rounds:
            # Where the first version of this generator drew its picked reps' effects: drawn and unused, so the
            # random stream, and every table it feeds, stays as it was when the picks changed.
            for _ in range(bad_quarter_rounds[quarter]):
                rng.normal(0.05, 0.04)

    # The export: every opportunity created in the window, plus older ones still open when it began.
    opps = [o for o in opps if o["created_date"] >= START or o["closed_date"] is None or o["closed_date"] >= START]
    for i, o in enumerate(opps):
        o["opportunity_id"] = f"O{i + 1:06d}"
    opportunities = pd.DataFrame(opps)
    set_quotas(reps, opportunities)
    activity_rows = [row for row in activity_rows if row["week_start"] >= START]
    quarterly_results = quarterly_table(reps, opportunities)
    pick_after_bad_quarters(reps, quarterly_results, plan["picked_after_bad_quarter"])

    # ------------------------------------------------------------ sessions and scorecards
    sessions: list[dict] = []
    own_stream = np.random.default_rng([SESSIONS_STREAM, seed])  # the draws the first version did not make
    for rep in reps:
        offset = int(rng.integers(0, 14))
        day = max(START, rep.hire_date) + dt.timedelta(days=offset)
        draw, recovered = rng, False
        if day.weekday() >= 5:  # the first version dropped every review of a fortnightly slot on a weekend
            day += dt.timedelta(days=7 - day.weekday())  # the Monday after
            draw, recovered = own_stream, True
        while day <= END:
            sessions.append(dict(date=day, manager=rep.manager, rep_id=rep.rep_id, session_type="status_review",
                                 focus_skill=None, duration_minutes=int(draw.choice([20, 25, 30, 30, 45])),
                                 recovered=recovered))
            day += dt.timedelta(days=14)
        if rep.rep_id in RETIRED_PICKS:
            for _ in range(5):
                rng.choice([30, 40, 45, 45, 60])
        if rep.coaching:
            draw = rng if rep.coaching["selection"] == "planned" else own_stream
            for k in range(5):
                day = rep.coaching["start"] + dt.timedelta(days=14 * k + 2)
                sessions.append(dict(date=day, manager=rep.manager, rep_id=rep.rep_id, session_type="coaching",
                                     focus_skill=rep.coaching["focus_skill"],
                                     duration_minutes=int(draw.choice([30, 40, 45, 45, 60])), recovered=False))
    # numbered by date; the recovered reviews after all the others, so every other session keeps its id
    sessions.sort(key=lambda s: (s["recovered"], s["date"], s["rep_id"], s["session_type"]))
    for i, s in enumerate(sessions):
        s["session_id"] = f"S{i + 1:05d}"
    sessions.sort(key=lambda s: (s["date"], s["rep_id"], s["session_type"]))
    coaching_sessions = pd.DataFrame(sessions)[
        ["session_id", "date", "manager", "rep_id", "session_type", "focus_skill", "duration_minutes"]]

    cards: list[dict] = []
    for rep in reps:
        day = max(START, rep.hire_date) + dt.timedelta(days=int(rng.integers(3, 20)))
        while day <= END:
            if day.weekday() < 5:
                enablement = rng.random() < 0.15
                row = dict(rep_id=rep.rep_id, call_date=day,
                           observer=ENABLEMENT_OBSERVER if enablement else rep.manager,
                           observer_role="enablement" if enablement else "manager")
                for s in SKILLS:
                    row[s] = int(np.clip(np.rint(skill_on(rep, s, day) + rng.normal(0, 0.55)), 1, 5))
                cards.append(row)
            day += dt.timedelta(days=int(rng.integers(14, 29)))
    cards.sort(key=lambda c: (c["call_date"], c["rep_id"]))
    call_scorecards = pd.DataFrame(cards)
    call_scorecards.insert(0, "scorecard_id", [f"C{i + 1:05d}" for i in range(len(cards))])

    # ------------------------------------------------------------ market index
    rng.bit_generator.advance(RETIRED_TRANSCRIPT_DRAWS)
    m_rows = []
    months = pd.date_range(dt.date(2022, 1, 1), END, freq="MS").date
    for region in ("Central", "East", "West"):
        level = 0.0
        for month in months:
            level = 0.6 * level + rng.normal(0, 0.8)
            trend = 100 * (1.0025 ** ((month.year - 2023) * 12 + month.month - 1))
            m_rows.append(dict(region=region, month=month,
                               index_value=round(trend * market_multiplier(region, month) + level, 1)))
    market_index = pd.DataFrame(m_rows)

    # ------------------------------------------------------------ tables derived from the opportunities
    weekly_activity = pd.DataFrame(activity_rows).sort_values(["rep_id", "week_start"], kind="stable")
    reps_table = pd.DataFrame([dict(
        rep_id=r.rep_id, name=r.name, team=r.team, manager=r.manager, region=r.region, segment=r.segment,
        hire_date=r.hire_date, quarterly_quota=r.quota, cohort=r.cohort) for r in reps])
    transcripts, transcript_labels = recorded_one_on_ones(coaching_sessions, reps_table)

    opportunities_public = opportunities.drop(columns="_proposal_date")
    tables = {
        "reps": reps_table,
        "opportunities": opportunities_public,
        "weekly_activity": weekly_activity,
        "quarterly_results": quarterly_results,
        "call_scorecards": call_scorecards,
        "coaching_sessions": coaching_sessions,
        "transcripts": transcripts,
        "market_index": market_index,
        "pulse_survey": make_pulse(seed, reps, plan),
    }
    answer_key = answer_key_tables(reps)
    answer_key["transcript_labels"] = transcript_labels
    return tables, answer_key


# Monthly engagement pulse: its own random stream (PULSE_STREAM), so adding it leaves every other table as it was.
PULSE_STREAM = 7
PULSE_MONTHS = pd.date_range("2024-07-01", END, freq="MS").date
PULSE_ITEMS = ["energy", "growth", "recognition", "stay_intent"]
# profile -> typical answer (1-5) to each item: will shows in energy; a star left alone loses growth and recognition
PULSE_LEVELS = {
    "star": (4.3, 4.1, 4.0, 4.3), "solid_core": (3.8, 3.6, 3.5, 3.9), "ramping_new_hire": (4.5, 4.4, 3.7, 4.3),
    "weak_discovery": (3.6, 3.5, 3.3, 3.7), "weak_closing": (3.5, 3.4, 3.2, 3.6),
    "heavy_discounter": (3.7, 3.3, 3.5, 3.8), "slow_follow_up": (3.4, 3.3, 3.2, 3.6),
    "low_activity": (2.3, 2.9, 2.8, 3.1), "economy_blamer": (2.6, 2.7, 2.7, 3.0), "market_hit": (3.3, 3.4, 3.2, 3.6),
}


def make_pulse(seed: int, reps: list[Rep], plan: dict) -> pd.DataFrame:
    """A monthly four-question pulse survey (1-5), one row per rep and month answered.

    The planted flight risk (plan.yaml `flight_risk`: a team's star) keeps their energy but loses
    growth, recognition and the wish to stay, month after month, from its `from` month on.
    """
    rng = np.random.default_rng([PULSE_STREAM, seed])
    risk = plan.get("flight_risk", {})
    rows = []
    for rep in reps:
        levels = np.array(PULSE_LEVELS[rep.profile])
        flight_risk = rep.team == risk.get("team") and rep.profile == risk.get("profile")
        for month in PULSE_MONTHS:
            noise = rng.normal(0, 0.45, size=len(PULSE_ITEMS))
            answered = rng.random() < 0.92
            if month < rep.hire_date.replace(day=1) or not answered:
                continue
            drift = np.zeros(len(PULSE_ITEMS))
            if flight_risk and month >= risk["from"]:
                months_in = (month.year - risk["from"].year) * 12 + month.month - risk["from"].month + 1
                drift[1:] = -0.45 * months_in
            values = np.clip(np.rint(levels + drift + noise), 1, 5).astype(int)
            rows.append(dict(rep_id=rep.rep_id, month=month, **dict(zip(PULSE_ITEMS, values.tolist()))))
    return pd.DataFrame(rows)


def pick_after_bad_quarters(reps: list[Rep], quarterly: pd.DataFrame, rounds: list[dict]) -> None:
    """Module 08's rule, on the attainment learners see: in each round, of the reps on the round's teams who are
    in no other coaching and were hired before the data begins, the ones whose bad quarter reached the smallest
    share of their usual quarter (median attainment over the ten quarters) get five sessions.

    The sessions are not aimed at a lasting gap and change nothing (true effect 0): whatever follows is the
    bounce of regression to the mean. Because they change nothing, picking on the whole ten quarters is safe.
    """
    attainment = quarterly.pivot(index="rep_id", columns="quarter", values="quota_attainment_pct")
    usual = attainment.median(axis=1)
    for item in rounds:
        quarter = item["quarter"]
        eligible = [r for r in reps if r.team in item["teams"] and r.coaching is None and r.hire_date < START]
        share = {r.rep_id: attainment.loc[r.rep_id, quarter] / usual[r.rep_id] if usual[r.rep_id] else np.inf
                 for r in eligible}  # a usual of 0 has nothing to fall below
        for chosen in sorted(eligible, key=lambda r: (share[r.rep_id], r.rep_id))[:int(item["reps"])]:
            chosen.coaching = dict(focus_skill=min(SKILLS, key=lambda s: chosen.skills[s]), start=item["start"],
                                   true_effect=0.0, selection="picked_after_bad_quarter", selection_quarter=quarter)


def set_quotas(reps: list[Rep], opps: pd.DataFrame) -> None:
    """Quotas as sales operations would set them: a little under the average solid rep's quarter, per segment."""
    won = opps[opps["outcome"] == "won"]
    won = won.assign(quarter=won["closed_date"].map(quarter_of))
    won = won[won["quarter"].isin(QUARTERS)]
    by_rep = won.groupby("rep_id")["amount"].sum() / len(QUARTERS)
    for segment in SEGMENTS:
        solid = [r.rep_id for r in reps if r.segment == segment and r.profile == "solid_core"]
        typical = 5_000 * round(0.9 * by_rep.reindex(solid).fillna(0).mean() / 5_000)
        for r in reps:
            if r.segment == segment:
                r.quota = int(round(typical * r.quota_factor, -3))


def ramp_share(rep: Rep, quarter: str) -> float:
    """Share of the full quota in a quarter: 25/50/75% in a new hire's first three quarters."""
    hire_quarter = QUARTERS.index(quarter_of(rep.hire_date)) if quarter_of(rep.hire_date) in QUARTERS else -99
    k = QUARTERS.index(quarter) - hire_quarter
    return 1.0 if k >= 3 else (0.25, 0.5, 0.75)[k]


def quarterly_table(reps: list[Rep], opps: pd.DataFrame) -> pd.DataFrame:
    created_q = opps["created_date"].map(quarter_of)
    closed_q = opps["closed_date"].map(lambda d: quarter_of(d) if d is not None else None)
    proposal_q = opps["_proposal_date"].map(lambda d: quarter_of(d) if d is not None and d <= END else None)
    won = opps["outcome"] == "won"
    rows = []
    for rep in reps:
        mine = opps["rep_id"] == rep.rep_id
        for quarter in QUARTERS:
            first, last = quarter_bounds(quarter)
            if rep.hire_date > last:
                continue
            quota = int(round(rep.quota * ramp_share(rep, quarter), -3))
            closed = mine & won & (closed_q == quarter)
            value = int(opps.loc[closed, "amount"].sum())
            rows.append(dict(
                rep_id=rep.rep_id, quarter=quarter, quota=quota,
                opportunities_created=int((mine & (created_q == quarter)).sum()),
                pipeline_created=int(opps.loc[mine & (created_q == quarter), "amount"].sum()),
                proposals_presented=int((mine & (proposal_q == quarter)).sum()),
                deals_closed=int(closed.sum()), closed_value=value,
                quota_attainment_pct=round(100 * value / quota, 1),
            ))
    return pd.DataFrame(rows)


def answer_key_tables(reps: list[Rep]) -> dict[str, pd.DataFrame]:
    notes = {
        "star": "High activity, strong skills at every stage, bigger deals, little discounting.",
        "solid_core": "Reliable: close to the team on every number. Differences between solid reps are noise.",
        "low_activity": "Skills are fine but activity (calls, emails, meetings) is about 40% below peers, so "
                        "fewer opportunities are created.",
        "weak_discovery": "Opportunities leak between qualified and proposal: weak discovery questions.",
        "weak_closing": "Reaches negotiation as often as peers but loses there: weak objection handling.",
        "heavy_discounter": "Wins with large discounts (about three times the team's), weak value articulation.",
        "slow_follow_up": "Long gaps between stages and long cycles: weak at agreeing next steps.",
        "ramping_new_hire": "Hired recently; activity and skills still ramping; quota ramps 25/50/75/100%.",
        "economy_blamer": "Downturn region, but the drop is personal: activity fell by about half from February 2024 "
                          "and stayed down after the market recovered; discovery slipped too.",
        "market_hit": "Downturn region and a very market-sensitive territory: numbers fall and recover with "
                      "the regional market index.",
    }
    profiles, effects = [], []
    for r in reps:
        c = r.coaching
        group = c["selection"] if c else "uncoached"
        profiles.append(dict(
            rep_id=r.rep_id, name=r.name, team=r.team, cohort=r.cohort, true_profile=r.profile,
            coaching_group=group, activity_level=round(r.activity, 2),
            **{f"skill_{s}": round(r.skills[s], 2) for s in SKILLS},
            discount_habit_pct=round(r.discount_mean, 1), follow_up_factor=r.follow_up,
            market_elasticity=r.elasticity, what_a_coach_should_find=notes[r.profile],
        ))
        if c:
            linked = {"discovery_questions": "qualified -> proposal", "active_listening": "prospecting -> qualified",
                      "value_articulation": "proposal -> negotiation (and smaller discounts)",
                      "objection_handling": "negotiation -> won", "next_steps": "cycle length"}[c["focus_skill"]]
            effects.append(dict(
                rep_id=r.rep_id, team=r.team, true_profile=r.profile, focus_skill=c["focus_skill"],
                coaching_start=c["start"], selection=c["selection"],
                picked_after_bad_quarter=c["selection"] == "picked_after_bad_quarter",
                selection_quarter=c["selection_quarter"], true_effect=c["true_effect"], linked_funnel_stage=linked,
            ))
    return {"rep_profiles": pd.DataFrame(profiles), "coaching_effects": pd.DataFrame(effects)}


ANSWER_KEY_README = """\
# Answer key: instructor material

These files are written by `python -m course.datasets.generate` together with the sample data.
They hold the truth that learners must discover from the data:

- `rep_profiles.csv`: each rep's planted profile (`true_profile`), coaching group and latent
  parameters (skills on the 1-5 scale, activity level, discount habit, follow-up factor, market
  elasticity), with a sentence saying what a coach should find.
- `coaching_effects.csv`: every coached rep, the focus skill, the first session, the true effect in
  skill points (the coached skill rises by this much over eight weeks), whether the rep was picked
  right after an unusually bad quarter by module 08's rule (the regression-to-the-mean trap: their
  true effect is 0, so any gain after it is the bounce), and the funnel stage the skill drives.
- `transcript_labels.csv`: the author's tags for each transcript turn, from `conversations.md`:
  `act` (ask / tell, manager turns only), `question_type` (open / closed / leading / why, for asks)
  and `grow_stage` (goal / reality / options / way_forward; blank in status reviews). The module's
  counting rule (a question ends with '?', an open one starts with what, how or why) is rougher
  than these tags on purpose: an invitation such as "Walk me through it." is an open question here.

Three files here are inputs, not outputs: `SEED` (the random seed), `plan.yaml` (which profiles
each team has and the coaching program) and `conversations.md` (the recorded one-on-ones, written
by hand and tagged turn by turn; `datasets/conversations.py` describes its format). The generator that ships with the course package needs
both, so a learner cannot regenerate this answer key.

Keep this folder out of learners' reach: it is not package data, never part of a release, and not
mounted in the grading sandbox. Hidden tests and instructor tools read it with
`course.answer_key.load_answer_key(name)`. Do not edit these files by hand: regenerate them.
"""


# ---------------------------------------------------------------- the example CRM export
CRM_EXAMPLE_SEED = 7  # the example is public: it has no answer key
SF_STAGES = ["Prospecting", "Qualification", "Proposal/Price Quote", "Negotiation/Review", "Closed Won"]
MAPPING_YAML = """\
# How a Salesforce opportunity report, a users (owners) report and an activity report map onto the
# course's tables. Left: the course's name. Right: the column (or value) exactly as in your export.
opportunities:
  columns:
    opportunity_id: Opportunity ID
    rep: Opportunity Owner
    team: Owner Role            # optional
    account: Account Name
    created_date: Created Date
    closed_date: Close Date     # for open deals Salesforce shows the expected close date: it is ignored
    stage: Stage
    furthest_stage: Furthest Stage   # optional: the last open stage a lost deal had reached
    amount: Amount
    discount_pct: Discount (%)  # optional
  date_format: "%m/%d/%Y"       # 3/14/2025; see https://strftime.org for the codes
  stages:                       # every stage name in your export -> a course stage
    Prospecting: prospecting
    Qualification: qualified
    Needs Analysis: qualified
    Proposal/Price Quote: proposal
    Negotiation/Review: negotiation
    Closed Won: won
    Closed Lost: lost
  # may_be_blank:               # which fields may be empty at which stages (default: amount and
  #   amount: [open]            # created_date on open deals); blanks count as unknown, never as 0
  #   created_date: [open]

reps:                           # the owners table given with --reps (optional)
  columns:
    rep: Full Name              # the same names as 'Opportunity Owner'
    team: Role
    manager: Manager
    region: Region
    hire_date: Hire Date
  date_format: "%m/%d/%Y"

activity:
  columns:
    rep: Assigned
    date: Date
    type: Activity Type
  date_format: "%m/%d/%Y"
  types:                        # calls, emails, meetings, demos, or ignore
    Call: calls
    Email: emails
    Meeting: meetings
    Demo: demos
    Task: ignore
"""


def crm_example() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A small Salesforce-style export of a fictional team (not the course's company)."""
    rng = np.random.default_rng(CRM_EXAMPLE_SEED)
    owners = ["Jordan Ellis", "Maya Brooks", "Sam Adeyemi", "Lena Fischer", "Ravi Menon", "Chloe Martin"]
    # chance of moving on from each stage, per rep: the third rep leaks after qualification
    advance = {o: [0.6, 0.68, 0.72, 0.6] for o in owners}
    advance["Sam Adeyemi"] = [0.6, 0.35, 0.72, 0.6]
    advance["Lena Fischer"] = [0.65, 0.75, 0.8, 0.72]
    cutoff = dt.date(2025, 6, 30)
    rows, activities = [], []
    for owner in owners:
        for k in range(int(rng.integers(16, 26))):
            created = dt.date(2024, 7, 1) + dt.timedelta(days=int(rng.integers(0, 330)))
            reached, day, lost = 0, created, False
            for step in range(4):
                day += dt.timedelta(days=int(rng.integers(5, 25)))
                if rng.random() < advance[owner][step]:
                    reached = step + 1
                else:
                    lost = True
                    break
            closed = day <= cutoff
            if not closed:
                stage = SF_STAGES[min(reached, 3)]
                furthest = ""
            elif lost:
                stage, furthest = "Closed Lost", SF_STAGES[reached]
            else:
                stage, furthest = "Closed Won", "Closed Won"
            if stage == "Qualification" and rng.random() < 0.3:
                stage = "Needs Analysis"
            discount = float(np.clip(rng.gamma(3.0, 3.0), 0, 40)) if reached >= 2 else 0.0
            rows.append({
                "Opportunity ID": f"0065g00000{owners.index(owner):02d}{k:04d}AAB",
                "Opportunity Name": f"{ACCOUNT_WORDS[int(rng.integers(len(ACCOUNT_WORDS)))]} renewal"
                if rng.random() < 0.2 else f"{ACCOUNT_WORDS[int(rng.integers(len(ACCOUNT_WORDS)))]} platform",
                "Opportunity Owner": owner,
                "Owner Role": "AE - Mid-Market North",
                "Account Name": f"{ACCOUNT_WORDS[int(rng.integers(len(ACCOUNT_WORDS)))]} "
                                f"{ACCOUNT_KINDS[int(rng.integers(len(ACCOUNT_KINDS)))]}",
                "Created Date": f"{created.month}/{created.day}/{created.year}",
                "Close Date": f"{day.month}/{day.day}/{day.year}",
                "Stage": stage,
                "Furthest Stage": furthest,
                "Amount": f"{round(float(rng.lognormal(np.log(38_000), 0.5)) * (1 - discount / 100), -2):.2f}",
                "Discount (%)": f"{discount:.1f}",
                "Type": "New Business",
                "Lead Source": str(rng.choice(["Outbound", "Inbound", "Partner", "Event"])),
            })
        week = dt.date(2025, 1, 6)
        while week <= dt.date(2025, 6, 23):
            for kind, mean in (("Call", 6), ("Email", 5), ("Meeting", 2), ("Demo", 1), ("Task", 2)):
                for _ in range(int(rng.poisson(mean * (0.5 if owner == "Ravi Menon" else 1.0)))):
                    day = week + dt.timedelta(days=int(rng.integers(0, 5)))
                    activities.append({"Assigned": owner, "Date": f"{day.month}/{day.day}/{day.year}",
                                       "Activity Type": kind, "Subject": f"{kind} with customer"})
            week += dt.timedelta(weeks=1)
    return pd.DataFrame(rows), pd.DataFrame(activities)


def crm_example_owners() -> pd.DataFrame:
    """The example team's owners table, as a Salesforce users report exports it."""
    owners = ["Jordan Ellis", "Maya Brooks", "Sam Adeyemi", "Lena Fischer", "Ravi Menon", "Chloe Martin"]
    hired = ["3/4/2021", "9/12/2022", "1/9/2023", "6/1/2020", "11/14/2022", "2/27/2024"]
    return pd.DataFrame({"Full Name": owners, "Role": "AE - Mid-Market North", "Manager": "Priya Shah",
                         "Region": "North America", "Hire Date": hired, "Active": "true"})


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", date_format="%Y-%m-%d", float_format="%.2f")


def write_all(seed: int, plan: dict, out: Path = DATASETS_DIR, answer_key_dir: Path = ANSWER_KEY_DIR) -> list[Path]:
    tables, answer_key = generate(seed, plan)
    out.mkdir(parents=True, exist_ok=True)
    answer_key_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        write_csv(frame, out / f"{name}.csv")
        written.append(out / f"{name}.csv")
    for name, frame in answer_key.items():
        write_csv(frame, answer_key_dir / f"{name}.csv")
        written.append(answer_key_dir / f"{name}.csv")
    (answer_key_dir / "README.md").write_text(ANSWER_KEY_README, encoding="utf-8", newline="\n")
    written.append(answer_key_dir / "README.md")
    example_dir = out / "crm_example"
    example_dir.mkdir(exist_ok=True)
    export, activities = crm_example()
    write_csv(export, example_dir / "opportunities_export.csv")
    write_csv(activities, example_dir / "activities_export.csv")
    write_csv(crm_example_owners(), example_dir / "owners_export.csv")
    (example_dir / "mapping.yaml").write_text(MAPPING_YAML, encoding="utf-8", newline="\n")
    written += [example_dir / "opportunities_export.csv", example_dir / "activities_export.csv",
                example_dir / "owners_export.csv", example_dir / "mapping.yaml"]
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATASETS_DIR, help="folder for the learner tables")
    parser.add_argument("--answer-key-dir", type=Path, default=ANSWER_KEY_DIR, help="folder for the answer key")
    parser.add_argument("--seed", type=int, default=None, help="default: the instructor's grading/answer_key/SEED")
    args = parser.parse_args(argv)
    from course.answer_key import AnswerKeyUnavailable, read_plan, read_seed

    try:
        seed = args.seed if args.seed is not None else read_seed()
        plan = read_plan()
    except AnswerKeyUnavailable as error:
        parser.exit(2, f"{error}\n")
    for path in write_all(seed, plan, args.out, args.answer_key_dir):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
