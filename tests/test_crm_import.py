"""Importing a CRM export: the shipped example works; a broken one gets one report listing every problem."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from course.crm import CRMImportError, example_files, import_crm, main_import
from course.metrics import rep_funnel_kpis

EXAMPLE = example_files()


def read_export(path=EXAMPLE["opportunities"]) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_example_imports_every_row():
    data = import_crm(EXAMPLE["opportunities"], EXAMPLE["mapping"], activity_csv=EXAMPLE["activity"])
    export = read_export()
    opps = data.opportunities
    assert len(opps) == len(export)
    assert opps["opportunity_id"].tolist() == export["Opportunity ID"].tolist()
    assert pd.api.types.is_datetime64_any_dtype(opps["created_date"])
    assert opps["furthest_stage"].cat.ordered
    assert set(data.reps["rep_id"]) == set(export["Opportunity Owner"])
    # the stage mapping: Closed Won -> won, Closed Lost -> lost, everything else still open
    assert (opps["outcome"] == "won").sum() == (export["Stage"] == "Closed Won").sum()
    assert (opps["outcome"] == "lost").sum() == (export["Stage"] == "Closed Lost").sum()
    # open deals: Salesforce's "Close Date" is only an expectation, so no closed date
    assert opps.loc[opps["outcome"] == "open", "closed_date"].isna().all()
    kpis = rep_funnel_kpis(opps)
    assert kpis["opportunities"].sum() == len(export)


def test_example_activity_becomes_weekly_counts():
    data = import_crm(EXAMPLE["opportunities"], EXAMPLE["mapping"], activity_csv=EXAMPLE["activity"])
    raw = read_export(EXAMPLE["activity"])
    weekly = data.weekly_activity
    assert (pd.to_datetime(weekly["week_start"]).dt.dayofweek == 0).all()
    assert weekly["calls"].sum() == (raw["Activity Type"] == "Call").sum()
    assert weekly[["calls", "emails", "meetings", "demos"]].to_numpy().sum() == (raw["Activity Type"] != "Task").sum()


def break_export(tmp_path):
    """The example with one of every problem, at known rows (spreadsheet numbering: row = index + 2)."""
    export = read_export()
    export.loc[2, "Amount"] = "-500.00"
    export.loc[3, "Amount"] = "twelve thousand"
    export.loc[4, "Created Date"] = "31/12/2024"
    export.loc[5, "Stage"] = "Closed Maybe"
    export.loc[7, "Opportunity ID"] = export.loc[6, "Opportunity ID"]
    export = export.rename(columns={"Account Name": "Account"})
    path = tmp_path / "broken_export.csv"
    export.to_csv(path, index=False)
    return path, len(export)


def test_broken_export_lists_every_problem_once(tmp_path):
    path, _ = break_export(tmp_path)
    with pytest.raises(CRMImportError) as error:
        import_crm(path, EXAMPLE["mapping"])
    problems = error.value.problems
    report = str(error.value)

    def find(column, words):
        found = [p for p in problems if p.column == column and words in p.message]
        assert len(found) == 1, f"expected one problem about {column!r} containing {words!r}:\n{report}"
        return found[0]

    missing = find("Account Name", "missing")
    assert "'Account'" in missing.fix  # the columns the export does have, and a guess
    assert find("Amount", "negative").lines == [4]
    assert find("Amount", "not numeric").lines == [5]
    assert find("Created Date", "could not be read").lines == [6]
    unknown = find("Stage", "does not know")
    assert unknown.lines == [7] and "'Closed Maybe'" in unknown.message
    assert find("Opportunity ID", "share an id").lines == [8, 9]
    # one report, every problem, each with the file name and example rows
    assert report.count(". broken_export.csv, ") == len(problems) == 6
    assert "broken_export.csv was read as UTF-8, comma-separated" in report
    assert "line 4 ('-500.00')" in report and "Nothing was imported" in report


def test_problem_lists_are_capped_at_five_examples_with_a_count(tmp_path):
    export = read_export()
    export.loc[:11, "Amount"] = "-1"
    path = tmp_path / "negative.csv"
    export.to_csv(path, index=False)
    with pytest.raises(CRMImportError) as error:
        import_crm(path, EXAMPLE["mapping"])
    (problem,) = error.value.problems
    assert problem.lines == [2, 3, 4, 5, 6] and problem.count == 12
    assert "and 7 more" in str(error.value)


def test_mapping_mistakes_are_reported(tmp_path):
    mapping = tmp_path / "mapping.yaml"
    text = EXAMPLE["mapping"].read_text(encoding="utf-8")
    mapping.write_text(text.replace("    Closed Lost: lost", "    Closed Lost: gone")
                       .replace("    amount: Amount\n", ""), encoding="utf-8")
    with pytest.raises(CRMImportError) as error:
        import_crm(EXAMPLE["opportunities"], mapping)
    report = str(error.value)
    assert "no entry for 'amount'" in report and "'gone'" in report


def test_lost_deals_without_furthest_stage_leave_stage_rates_empty(tmp_path):
    """Without the furthest stage of lost deals, every stage conversion rate is unknown: NaN with one note."""
    mapping = tmp_path / "mapping.yaml"
    text = EXAMPLE["mapping"].read_text(encoding="utf-8")
    mapping.write_text("\n".join(l for l in text.splitlines() if "furthest_stage:" not in l), encoding="utf-8")
    data = import_crm(EXAMPLE["opportunities"], mapping)
    assert len(data.opportunities) == len(read_export())
    lost = data.opportunities["outcome"] == "lost"
    assert data.opportunities.loc[lost, "furthest_stage"].isna().all()
    notes = [note for note in data.kpi_notes() if "no furthest stage" in note]
    assert len(notes) == 1 and f"{lost.sum():,} lost deals" in notes[0]
    kpis = data.kpis()
    for column in ("qualified_rate", "proposal_rate", "negotiation_rate", "close_rate"):
        assert kpis[column].isna().all(), column
    export = read_export()
    won = export["Stage"] == "Closed Won"
    closed = won | (export["Stage"] == "Closed Lost")
    expected = won.groupby(export["Opportunity Owner"]).sum() / closed.groupby(export["Opportunity Owner"]).sum()
    pd.testing.assert_series_equal(kpis["win_rate"], expected, check_names=False, check_index_type=False)


def test_command_line(tmp_path, capsys):
    code = main_import([str(EXAMPLE["opportunities"]), "--mapping", str(EXAMPLE["mapping"]),
                        "--activity", str(EXAMPLE["activity"]), "--out", str(tmp_path / "out")])
    output = capsys.readouterr()
    assert code == 0 and "Imported" in output.out and output.err == ""
    assert len(pd.read_csv(tmp_path / "out" / "opportunities.csv")) == len(read_export())

    path, _ = break_export(tmp_path)
    code = main_import([str(path), "--mapping", str(EXAMPLE["mapping"])])
    output = capsys.readouterr()
    assert code == 1 and "6 problems" in output.err


def test_works_from_a_copy_in_any_folder(tmp_path, monkeypatch):
    for name in ("opportunities", "mapping"):
        shutil.copy(EXAMPLE[name], tmp_path / EXAMPLE[name].name)
    monkeypatch.chdir(tmp_path)
    data = import_crm("opportunities_export.csv", "mapping.yaml")
    assert len(data.opportunities) == len(read_export(tmp_path / "opportunities_export.csv"))


@pytest.mark.slow
def test_explore_your_own_team_notebook_runs_clean():
    """The "explore your own team" notebook runs top to bottom on the example with no error and no stderr."""
    from pathlib import Path

    from notebooks import execute, problems_in_outputs, read

    path = Path(__file__).resolve().parent.parent / "explore" / "explore-your-own-team.ipynb"
    nb = read(path)
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), "commit it cleared"
    execute(nb, cwd=path.parent)
    assert problems_in_outputs(nb) == []
    tables = [out for cell in nb.cells for out in cell.get("outputs", []) if "text/html" in out.get("data", {})]
    assert tables, "the notebook should show the reps' funnel tables"


@pytest.mark.slow
def test_benchmark_smoke(tmp_path):
    """The benchmark script runs end to end on a small export and reports its figures."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_crm_import.py"
    result = subprocess.run([sys.executable, str(script), "--rows", "3000", "--reps", "40", "--sample", "500"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for words in ("peak memory", "naive row-by-row baseline", "speed-up", "target (< 20 s, < 2 GB)    : met"):
        assert words in result.stdout
