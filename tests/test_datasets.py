"""The sample data: reproducible to the byte, typed, valid, small, realistic, and the planted stories show."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from importlib import resources
from pathlib import Path

import pandas as pd
import pandera.errors
import pytest

from course import data
from course.answer_key import (
    ANSWER_KEY_DIR, ANSWER_KEY_TABLES, AnswerKeyUnavailable, load_answer_key, planted_story_checks, read_plan,
    read_seed,
)
from course.schemas import SCHEMAS, validate

REPO = Path(__file__).resolve().parent.parent
DATASETS = REPO / "datasets"


@pytest.fixture(scope="module")
def tables():
    return data.load_all()


@pytest.fixture(scope="module")
def key():
    return {name: load_answer_key(name) for name in ANSWER_KEY_TABLES}


# ---------------------------------------------------------------- reproducible
def test_regenerating_writes_the_committed_bytes(tmp_path):
    """The generator, run with the instructor's seed, reproduces every committed file byte for byte."""
    out, answers = tmp_path / "datasets", tmp_path / "answer_key"
    subprocess.run([sys.executable, "-m", "course.datasets.generate", "--out", str(out),
                    "--answer-key-dir", str(answers), "--seed", str(read_seed())],
                   check=True, capture_output=True, text=True, cwd=tmp_path)
    generated = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(
        [Path("datasets") / p.relative_to(DATASETS) for p in DATASETS.rglob("*")
         if p.is_file() and p.suffix in {".csv", ".yaml"}]
        + [Path("answer_key") / p.name for p in ANSWER_KEY_DIR.iterdir() if p.name in
           {f"{t}.csv" for t in ANSWER_KEY_TABLES} | {"README.md"}]
    )
    assert generated == committed, "the generator and the committed files disagree on which files exist"
    for relative in generated:
        source = DATASETS / relative.relative_to("datasets") if relative.parts[0] == "datasets" \
            else ANSWER_KEY_DIR / relative.name
        assert (tmp_path / relative).read_bytes() == source.read_bytes(), f"{relative} differs: regenerate it"


@pytest.mark.parametrize("seed_given", [False, True])
def test_generator_refuses_without_the_instructor_files(tmp_path, monkeypatch, seed_given):
    """Without grading/answer_key/SEED and plan.yaml (a learner's copy) the answer key cannot be regenerated."""
    import course.answer_key as answer_key
    from course.datasets import generate

    monkeypatch.setattr(answer_key, "ANSWER_KEY_DIR", tmp_path / "nowhere")
    with pytest.raises(SystemExit) as exit_info:
        generate.main(["--out", str(tmp_path / "x"), "--answer-key-dir", str(tmp_path / "y")]
                      + (["--seed", "1"] if seed_given else []))
    assert exit_info.value.code == 2
    assert not (tmp_path / "y").exists()


def test_committed_data_is_small():
    """Everything learners receive stays well under 10 MB."""
    size = sum(p.stat().st_size for p in DATASETS.rglob("*") if p.is_file() and p.suffix in {".csv", ".yaml", ".md"})
    assert size < 4_000_000, f"{size:,} bytes"


# ---------------------------------------------------------------- loading
def test_every_table_loads_from_another_folder_with_its_types(tmp_path):
    """A fresh Python in an unrelated folder (a learner's assignment folder) loads and validates every table."""
    script = textwrap.dedent("""
        import course
        from course.data import TABLES, load
        for name in TABLES:
            frame = load(name, validate=True)
            print(name, len(frame), ";".join(f"{c}={t}" for c, t in frame.dtypes.astype(str).items()))
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True)
    lines = {line.split(" ")[0]: line for line in result.stdout.splitlines()}
    assert set(lines) == set(data.TABLES)
    assert "created_date=datetime64[ns]" in lines["opportunities"]
    assert "furthest_stage=category" in lines["opportunities"]
    assert "hire_date=datetime64[ns]" in lines["reps"] and "team=category" in lines["reps"]
    assert "session_type=category" in lines["coaching_sessions"]
    assert result.stderr == ""


def test_dtypes_in_detail(tables):
    """Dates are dates, stages are ordered categories, money and counts are whole numbers."""
    opps = tables["opportunities"]
    assert opps["furthest_stage"].cat.ordered
    assert list(opps["furthest_stage"].cat.categories) == list(data.STAGES)
    assert (opps["furthest_stage"] >= "proposal").sum() > 0
    assert pd.api.types.is_integer_dtype(opps["amount"])
    assert pd.api.types.is_datetime64_any_dtype(opps["closed_date"])
    reps = tables["reps"]
    assert reps["team"].cat.categories[0] == "Atlas", "modules take the first team; it must be a course team"
    assert set(reps.loc[reps["cohort"] == "capstone", "team"]) == {"Summit"}
    results = tables["quarterly_results"]
    assert results["quarter"].map(type).eq(str).all()
    for skill in data.SKILLS:
        assert pd.api.types.is_integer_dtype(tables["call_scorecards"][skill])


def test_load_returns_a_fresh_copy():
    """Changing a loaded table does not change the next load."""
    first = data.load("reps")
    first.loc[:, "name"] = "changed"
    assert (data.load("reps")["name"] != "changed").all()


def test_unknown_table_names_every_table():
    with pytest.raises(KeyError) as error:
        data.load("opportunity")
    for name in data.TABLES:
        assert name in str(error.value)


def test_importing_the_package_reads_no_file():
    """`import course` (and its data modules) opens no data file; a function call does."""
    script = textwrap.dedent("""
        import sys
        opened = []
        sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
        import course, course.data, course.metrics, course.schemas, course.crm, course.answer_key
        reads = [p for p in opened if p.endswith((".csv", ".yaml", "SEED")) or "grading" in p]
        print("IMPORT", reads)
        course.load("reps")
        print("LOAD", any(p.endswith("reps.csv") for p in opened))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "IMPORT []" in result.stdout
    assert "LOAD True" in result.stdout


# ---------------------------------------------------------------- schemas
@pytest.mark.parametrize("name", data.TABLES)
def test_every_table_passes_its_schema(tables, name):
    validate(name, tables[name], others=tables)


@pytest.mark.parametrize("name, break_it", [
    ("opportunities", lambda f: f.assign(amount=f["amount"].where(f.index != 3, -5))),
    ("opportunities", lambda f: f.assign(opportunity_id=f["opportunity_id"].where(f.index != 3, f["opportunity_id"][0]))),
    ("call_scorecards", lambda f: f.assign(discovery_questions=f["discovery_questions"].where(f.index != 0, 7))),
    ("quarterly_results", lambda f: f.assign(quota_attainment_pct=f["quota_attainment_pct"] + 5)),
    ("coaching_sessions", lambda f: f.assign(session_type="coaching")),
])
def test_schemas_catch_broken_tables(tables, name, break_it):
    with pytest.raises(pandera.errors.SchemaErrors):
        validate(name, break_it(tables[name].copy()), others=tables)


def test_foreign_keys_are_checked(tables):
    broken = tables["opportunities"].copy()
    broken.loc[0, "rep_id"] = "R999"
    with pytest.raises(pandera.errors.SchemaError, match="R999"):
        validate("opportunities", broken, others=tables)


def test_schema_for_every_table():
    assert set(SCHEMAS) == set(data.TABLES)


# ---------------------------------------------------------------- the organisation
def test_organisation_shape(tables):
    """4 course teams and 1 capstone team of 6-10 reps, 2+ regions, 3 segments, 8+ quarters."""
    reps = tables["reps"]
    sizes = reps.groupby("team", observed=True).size()
    assert len(sizes) == 5 and sizes.between(6, 10).all()
    assert reps.groupby("team", observed=True)["manager"].nunique().eq(1).all()
    assert reps["region"].nunique() >= 2 and reps["segment"].nunique() == 3
    assert tables["quarterly_results"]["quarter"].nunique() >= 8
    assert set(tables["coaching_sessions"]["session_type"]) == {"coaching", "status_review"}


def test_every_rep_has_a_status_review_every_two_weeks_on_a_weekday(tables):
    """No rep loses their reviews to a two-weekly slot that falls on a weekend."""
    sessions = tables["coaching_sessions"]
    reviews = sessions[sessions["session_type"] == "status_review"].sort_values("date")
    assert set(reviews["rep_id"]) == set(tables["reps"]["rep_id"])
    assert (reviews["date"].dt.weekday < 5).all()
    assert reviews.groupby("rep_id")["date"].diff().dropna().eq(pd.Timedelta(days=14)).all()
    assert sessions["session_id"].is_unique and sessions["date"].is_monotonic_increasing


def test_reps_picked_after_a_bad_quarter_follow_module_08s_rule(tables, key):
    """Each round picks, of the reps on its teams in no planned coaching and hired before the data, the ones
    whose bad quarter came in at the smallest share of their usual (median) quarter; the sessions change nothing."""
    attainment = tables["quarterly_results"].pivot(index="rep_id", columns="quarter", values="quota_attainment_pct")
    share_of_usual = attainment.div(attainment.median(axis=1), axis=0)
    effects = key["coaching_effects"]
    picked = effects[effects["picked_after_bad_quarter"]]
    reps = tables["reps"].set_index("rep_id")
    for item in read_plan()["picked_after_bad_quarter"]:
        eligible = reps[reps["team"].isin(item["teams"]) & (reps["hire_date"] < tables["quarterly_results"]["quarter"]
                        .pipe(lambda q: pd.Period(q.min(), "Q").start_time))].index
        eligible = eligible.difference(effects.loc[effects["selection"] == "planned", "rep_id"])
        eligible = eligible.difference(picked.loc[picked["selection_quarter"] < item["quarter"], "rep_id"])
        expected = share_of_usual.loc[eligible, item["quarter"]].sort_index().sort_values(kind="stable")
        chosen = picked.loc[picked["selection_quarter"] == item["quarter"], "rep_id"]
        assert sorted(chosen) == sorted(expected.index[:item["reps"]]), item["quarter"]
        assert share_of_usual.loc[chosen, item["quarter"]].max() < 0.75, "the picks are visibly bad quarters"
    assert picked["true_effect"].eq(0).all()


# ---------------------------------------------------------------- the planted stories
STORIES = [
    "weak_discovery_lowest_proposal_rate_in_team", "weak_closing_lowest_close_rate_in_team",
    "heavy_discounter_highest_discount_in_team", "slow_follow_up_longest_cycle_in_team",
    "low_activity_lowest_activity_in_team", "star_highest_win_rate_in_team",
    "economy_blamer_activity_stays_down", "economy_blamer_drop_exceeds_peers",
    "market_hit_drops_with_market_and_recovers", "market_hit_tracks_index_best",
    "coached_reps_improve_more_than_uncoached", "picked_reps_had_unusually_bad_quarter", "picked_reps_bounce_back",
    "low_will_lowest_energy_in_team", "flight_risk_star_stay_intent_falls_most",
]


@pytest.fixture(scope="module")
def stories(tables, key):
    return planted_story_checks(tables, key)


@pytest.mark.parametrize("story", STORIES)
def test_planted_story_is_discoverable(stories, story):
    assert stories[story], f"the planted story {story!r} does not show in the data"


def test_every_profile_is_planted_in_course_and_capstone(key):
    profiles = key["rep_profiles"]
    course_profiles = set(profiles.loc[profiles["cohort"] == "course", "true_profile"])
    assert course_profiles == {"star", "solid_core", "low_activity", "weak_discovery", "weak_closing",
                               "heavy_discounter", "slow_follow_up", "ramping_new_hire", "economy_blamer",
                               "market_hit"}
    assert len(set(profiles.loc[profiles["cohort"] == "capstone", "true_profile"])) >= 7
    groups = set(profiles["coaching_group"])
    assert groups == {"planned", "picked_after_bad_quarter", "uncoached"}


def test_realism_figures_are_within_their_ranges():
    from course.datasets.realism import BENCHMARKS, realism_figures

    figures = realism_figures()
    outside = {k: round(figures[k], 1) for k, b in BENCHMARKS.items() if not b.low <= figures[k] <= b.high}
    assert not outside


# ---------------------------------------------------------------- transcripts and the answer key
def test_transcript_labels_are_the_authors_tags_and_agree_with_the_text(tables, key):
    """Every turn has its tags; a manager turn ending in '?' is an ask; rep turns carry no tags."""
    turns = tables["transcripts"].merge(key["transcript_labels"], on=["transcript_id", "turn", "speaker"])
    assert len(turns) == len(tables["transcripts"])
    manager, rep = turns[turns["speaker"] == "manager"], turns[turns["speaker"] == "rep"]
    assert manager["act"].isin(["ask", "tell"]).all()
    assert (manager.loc[manager["text"].str.rstrip().str.endswith("?"), "act"] == "ask").all()
    asks = manager["act"] == "ask"
    assert manager.loc[asks, "question_type"].isin(["open", "closed", "leading", "why"]).all()
    assert manager.loc[~asks, "question_type"].isna().all()
    assert rep[["act", "question_type", "grow_stage"]].isna().all().all()
    assert not {"act", "question_type", "grow_stage"} & set(tables["transcripts"].columns)


def test_transcripts_size_and_talk_ratio(tables):
    turns = tables["transcripts"]
    counts = turns.groupby("transcript_id").size()
    assert 20 <= len(counts) <= 60 and counts.between(8, 20).all()
    words = turns.assign(words=turns["text"].str.split().str.len()).merge(
        tables["coaching_sessions"][["session_id", "session_type"]], on="session_id")
    share = words.pivot_table(index=["transcript_id", "session_type"], columns="speaker", values="words",
                              aggfunc="sum", observed=True)
    share = (share["manager"] / share.sum(axis=1)).groupby(level="session_type", observed=True).mean()
    assert share["status_review"] > share["coaching"] + 0.2


def test_answer_key_is_not_learner_data():
    """The answer key is outside the package data; no learner table carries its columns."""
    package = Path(str(resources.files("course.datasets")))
    assert not str(ANSWER_KEY_DIR.resolve()).startswith(str(package.resolve()))
    shipped = [p for p in package.rglob("*") if p.is_file()]
    assert not [p for p in shipped if p.name in {f"{t}.csv" for t in ANSWER_KEY_TABLES} | {"SEED", "plan.yaml"}]
    for path in shipped:
        if path.suffix == ".csv":
            header = path.read_text(encoding="utf-8").split("\n", 1)[0]
            assert "true_profile" not in header and "true_effect" not in header and "question_type" not in header


def test_answer_key_loader_explains_when_missing(tmp_path):
    with pytest.raises(AnswerKeyUnavailable, match="instructor material"):
        load_answer_key("rep_profiles", folder=tmp_path)
    with pytest.raises(KeyError):
        load_answer_key("profiles")


def test_data_dictionary_explains_every_column(tables):
    """datasets/README.md has a section for every table and a line for every column."""
    readme = data.describe()
    for name, frame in tables.items():
        assert f"### `{name}`" in readme, name
        for column in frame.columns:
            assert f"| `{column}` |" in readme, f"{name}.{column}"
    for source in ("CSO Insights", "Salesforce, *State of Sales*", "Gong Labs"):
        assert source in readme
