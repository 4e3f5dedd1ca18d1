"""Importing a CRM export: the shipped example works; a broken one gets one report listing every problem."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

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


def test_example_owners_table_gives_team_manager_region_and_hire_date():
    data = import_crm(EXAMPLE["opportunities"], EXAMPLE["mapping"], reps_file=EXAMPLE["reps"])
    owners = read_export(EXAMPLE["reps"]).set_index("Full Name")
    reps = data.reps.set_index("rep_id")
    assert sorted(reps.index) == sorted(owners.index)
    for column, theirs in (("team", "Role"), ("manager", "Manager"), ("region", "Region")):
        assert reps[column].astype(str).to_dict() == owners[theirs].to_dict()
    hired = pd.to_datetime(owners["Hire Date"], format="%m/%d/%Y")
    assert (reps["hire_date"] == hired.reindex(reps.index)).all()


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


def test_did_you_mean_points_at_an_unmapped_column_with_the_same_words(tmp_path):
    export = read_export().rename(columns={"Created Date": "Date Created"})
    path = tmp_path / "renamed.csv"
    export.to_csv(path, index=False)
    with pytest.raises(CRMImportError) as error:
        import_crm(path, EXAMPLE["mapping"])
    (problem,) = [p for p in error.value.problems if p.column == "Created Date"]
    assert problem.fix.startswith("did you mean 'Date Created'?")  # not 'Close Date', which is mapped already


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


# ---------------------------------------------------------------- real exports, as CRMs and Excel write them
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "crm"
FOUR = FIXTURES / "four_stage"  # Prospecting / Engaging / Won / Lost, with a separate owners table
SF = FIXTURES / "salesforce"    # Salesforce-style reports, one way in per file


def refused(path, mapping=SF / "mapping.yaml", cli=False, **kwargs):
    """The import refuses with exactly one problem, which has a fix (with `cli`: `course import-crm` exits 1
    and prints the report, no traceback)."""
    with pytest.raises(CRMImportError) as error:
        import_crm(path, mapping, **kwargs)
    assert len(error.value.problems) == 1, str(error.value)
    (problem,) = error.value.problems
    assert problem.fix and "Fix: " in str(error.value)
    if cli:
        result = subprocess.run([sys.executable, "-m", "course", "import-crm", str(path), "--mapping", str(mapping)],
                                capture_output=True, text=True)
        assert result.returncode == 1 and "Traceback" not in result.stderr and "Fix: " in result.stderr
    return problem


def with_mapping(tmp_path, base, extra_lines: str = "", drop: str | None = None):
    """A copy of a mapping file with lines added under 'opportunities:' (and one line left out)."""
    text = Path(base).read_text(encoding="utf-8")
    if drop:
        text = "\n".join(line for line in text.splitlines() if drop not in line) + "\n"
    text = text.replace("opportunities:\n", "opportunities:\n" + extra_lines, 1)
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def expected_four_stage(raw: pd.DataFrame) -> pd.DataFrame:
    """Per-rep figures of the four-stage export, computed with plain pandas from the raw columns."""
    stage, agent = raw["deal_stage"], raw["sales_agent"]
    won, lost = stage == "Won", stage == "Lost"
    value = pd.to_numeric(raw["close_value"])
    cycle = (pd.to_datetime(raw["close_date"]) - pd.to_datetime(raw["engage_date"])).dt.days
    return pd.DataFrame({
        "opportunities": agent.value_counts(),
        "won": won.groupby(agent).sum(),
        "lost": lost.groupby(agent).sum(),
        "open": (~won & ~lost).groupby(agent).sum(),
        "win_rate": won.groupby(agent).sum() / (won | lost).groupby(agent).sum(),
        "avg_deal_size": value[won].groupby(agent[won]).mean(),
        "avg_cycle_days": cycle[won | lost].groupby(agent[won | lost]).mean(),
    }).sort_index()


def assert_four_stage_figures(data, raw):
    kpis = data.kpis()
    expected = expected_four_stage(raw)
    got = kpis[expected.columns].astype("float64")
    got.index = got.index.astype(str)
    pd.testing.assert_frame_equal(got, expected.astype("float64"), check_names=False)


def test_four_stage_crm_with_owners_table_imports_as_it_is():
    raw = pd.read_csv(FOUR / "sales_pipeline.csv", dtype=str, keep_default_na=False)
    data = import_crm(FOUR / "sales_pipeline.csv", FOUR / "mapping.yaml", reps_file=FOUR / "sales_teams.csv")
    opps = data.opportunities
    assert len(opps) == len(raw)
    # open deals have no amount and prospecting deals no created date: allowed by default, left unknown (NaN)
    assert opps["amount"].isna().sum() == (raw["close_value"] == "").sum() > 0
    assert opps["created_date"].isna().sum() == (raw["engage_date"] == "").sum() > 0
    assert set(opps.loc[opps["amount"].isna(), "outcome"]) == {"open"}
    assert_four_stage_figures(data, raw)
    # the owners table: rep -> manager -> regional office
    teams = pd.read_csv(FOUR / "sales_teams.csv")
    reps = data.reps.set_index("rep_id")
    assert reps["manager"].astype(str).to_dict() == dict(zip(teams["sales_agent"], teams["manager"]))
    assert reps["region"].astype(str).to_dict() == dict(zip(teams["sales_agent"], teams["regional_office"]))
    assert any("1 rep in sales_teams.csv own" in note for note in data.notes)
    # stages the CRM does not have give empty KPIs, never 1.00 or 0.00, with one note per reason
    kpis = data.kpis()
    for column in ("qualified_rate", "proposal_rate", "negotiation_rate", "close_rate", "avg_discount_pct"):
        assert kpis[column].isna().all(), column
    notes = data.kpi_notes()
    assert len(notes) == 3
    assert sum("no proposal or negotiation stage" in note for note in notes) == 1
    assert sum("lost deals have no furthest stage" in note for note in notes) == 1
    assert sum("avg_discount_pct is empty" in note and "unknown (not 0%)" in note for note in notes) == 1


def test_blank_amount_on_a_won_deal_is_refused_with_the_stage_and_a_fix(tmp_path):
    raw = pd.read_csv(FOUR / "sales_pipeline.csv", dtype=str, keep_default_na=False)
    won = raw.index[raw["deal_stage"] == "Won"][[3, 7]]
    raw.loc[won, "close_value"] = ""
    path = tmp_path / "sales_pipeline.csv"
    raw.to_csv(path, index=False)
    problem = refused(path, FOUR / "mapping.yaml")
    assert problem.column == "close_value" and "2 rows have no amount (2 'Won')" in problem.message
    assert problem.lines == [int(i) + 2 for i in won]
    assert "may_be_blank: {amount: [open, won]}" in problem.fix
    # the mapping can say so: those amounts are then unknown, never 0
    data = import_crm(path, with_mapping(tmp_path, FOUR / "mapping.yaml", "  may_be_blank: {amount: [open, won]}\n"))
    kpis = data.kpis()
    reps_with_blank = set(raw.loc[won, "sales_agent"])
    assert kpis.loc[list(reps_with_blank), "avg_deal_size"].isna().all()
    assert kpis.drop(index=list(reps_with_blank))["avg_deal_size"].notna().all()


def test_created_date_blanks_are_reported_by_stage_when_the_mapping_allows_none(tmp_path):
    raw = pd.read_csv(FOUR / "sales_pipeline.csv", dtype=str, keep_default_na=False)
    mapping = with_mapping(tmp_path, FOUR / "mapping.yaml", "  may_be_blank: {created_date: []}\n")
    problem = refused(FOUR / "sales_pipeline.csv", mapping)
    blank = raw.index[raw["engage_date"] == ""]
    assert f"{len(blank)} rows have no created date ({len(blank)} 'Prospecting')" in problem.message
    assert problem.lines == [int(i) + 2 for i in blank[:5]] and problem.count == len(blank)


def four_stage_variant(tmp_path, encoding: str, sep: str, copies: int = 8):
    """The four-stage export made long (over 64 KB), its last deals owned by a rep with an accented name."""
    raw = pd.read_csv(FOUR / "sales_pipeline.csv", dtype=str, keep_default_na=False)
    long = pd.concat([raw.assign(opportunity_id=raw["opportunity_id"] + f"-{k}") for k in range(copies)],
                     ignore_index=True)
    long.loc[long.index[-3:], "sales_agent"] = "Renée Müller"
    path = tmp_path / "sales_pipeline.txt"
    long.to_csv(path, index=False, sep=sep, encoding=encoding)
    teams = pd.read_csv(FOUR / "sales_teams.csv")
    teams.loc[len(teams)] = ["Renée Müller", "Cara Losch", "East"]
    teams_path = tmp_path / "sales_teams.csv"
    teams.to_csv(teams_path, index=False, sep=sep, encoding=encoding)
    assert path.stat().st_size > 70_000
    return path, teams_path, long


@pytest.mark.parametrize("encoding, sep, read_as", [
    ("cp1252", ",", "Windows-1252 (detected), comma-separated"),
    ("utf-16", "\t", "UTF-16 (Excel \"Unicode text\"), tab-separated"),
    ("utf-8-sig", ",", "UTF-8 with a byte-order mark, comma-separated"),
    ("utf-8", ";", "UTF-8, semicolon-separated"),
])
def test_encodings_and_delimiters_are_detected_and_stated(tmp_path, encoding, sep, read_as):
    path, teams, raw = four_stage_variant(tmp_path, encoding, sep)
    data = import_crm(path, FOUR / "mapping.yaml", reps_file=teams)
    assert f"sales_pipeline.txt was read as {read_as}" in data.notes[0]
    assert "Renée Müller" in set(data.reps["rep_id"])
    assert_four_stage_figures(data, raw)
    if encoding == "cp1252":
        line = len(raw) - 1  # the first of the last three deals: header on line 1
        assert any(f"line {line} reads 'Renée'" in note for note in data.notes), data.notes


def test_a_file_in_an_undetectable_encoding_is_refused_with_the_line(tmp_path):
    path = tmp_path / "export.csv"
    text = (SF / "day_first.csv").read_bytes().replace(b"Amelia Clarke", b"Am\xffl\x81a Clarke")
    path.write_bytes(text)
    problem = refused(path, with_mapping(tmp_path, SF / "mapping.yaml", "  encoding: utf-8\n"))
    assert problem.lines == [4] and "encoding" in problem.fix


def test_xlsx_is_read_directly(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    raw = pd.read_csv(FOUR / "sales_pipeline.csv", dtype=str, keep_default_na=False)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Pipeline"
    sheet.append(list(raw.columns))
    for k, row in enumerate(raw.itertuples(index=False)):
        cells = list(row)
        for column in ("engage_date", "close_date"):  # real date cells, as Excel stores them
            i = raw.columns.get_loc(column)
            cells[i] = dt.datetime.fromisoformat(cells[i]) if cells[i] else None
        i = raw.columns.get_loc("close_value")
        cells[i] = float(cells[i]) if cells[i] else None
        sheet.append(cells)
        if k == 9:
            sheet.append([None] * len(raw.columns))  # a blank row, line 12 of the sheet
    path = tmp_path / "pipeline.xlsx"
    book.save(path)
    data = import_crm(path, FOUR / "mapping.yaml", reps_file=FOUR / "sales_teams.csv")
    assert "Excel workbook, worksheet 'Pipeline'" in data.notes[0]
    assert any("line 12" in note and "blank" in note for note in data.notes)
    assert_four_stage_figures(data, raw)


def test_old_xls_workbook_is_refused_with_save_as_csv(tmp_path):
    path = tmp_path / "export.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert "CSV UTF-8" in refused(path).fix


def test_european_amounts_are_read_by_their_convention():
    data = import_crm(SF / "european.csv", SF / "mapping.yaml")
    raw = pd.read_csv(SF / "european.csv", dtype=str, keep_default_na=False)
    expected = pd.to_numeric(raw["Amount"].str.replace("€", "").str.replace(" ", "").str.replace(".", "")
                             .str.replace(",", "."))
    np.testing.assert_allclose(data.opportunities["amount"], expected)
    assert any("decimal comma" in note and "'1.054,00' on line 2 reads 1054.00" in note for note in data.notes)
    assert any("EUR" in note and "'€1.054' on line 4" in note for note in data.notes)


def test_amounts_that_could_be_thousands_or_decimals_are_refused(tmp_path):
    path = tmp_path / "export.csv"
    text = (SF / "european.csv").read_text(encoding="utf-8")
    for old, new in (('"1.054,00"', "2.500"), ('"1054,50"', "1.054"), ('"23.100,00"', "€3.100"),
                     ('"€ 12.500,75"', "7.250")):
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    problem = refused(path)
    assert "can be read two ways" in problem.message and "2500 if '.' separates thousands" in problem.message
    assert "or 2.500 if it is the decimal mark" in problem.message
    assert problem.lines == [2, 3, 4, 5, 6] and 'decimal: ","' in problem.fix
    data = import_crm(path, with_mapping(tmp_path, SF / "mapping.yaml", '  decimal: ","\n'))
    assert data.opportunities["amount"].iloc[:2].tolist() == [2500.0, 1054.0]


def test_amounts_in_two_currencies_are_refused(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text((SF / "european.csv").read_text(encoding="utf-8").replace('"23.100,00"', '"USD 23.100,00"'),
                    encoding="utf-8")
    problem = refused(path)
    assert "another currency" in problem.message and problem.lines == [5]


def test_semicolon_export_with_decimal_commas_and_dotted_dates():
    data = import_crm(SF / "semicolons.csv", SF / "mapping.yaml")
    raw = pd.read_csv(SF / "semicolons.csv", sep=";", decimal=",", thousands=".", dtype={"Created Date": str})
    assert "semicolon-separated (8 columns in the header line)" in data.notes[0]
    np.testing.assert_allclose(data.opportunities["amount"], raw["Amount"])
    pd.testing.assert_series_equal(data.opportunities["created_date"],
                                   pd.to_datetime(raw["Created Date"], format="%d.%m.%Y"), check_names=False)


def test_day_first_dates_are_read_day_first_and_said():
    data = import_crm(SF / "day_first.csv", SF / "mapping.yaml")
    raw = pd.read_csv(SF / "day_first.csv", dtype=str)
    pd.testing.assert_series_equal(data.opportunities["created_date"],
                                   pd.to_datetime(raw["Created Date"], format="%d/%m/%Y"), check_names=False)
    assert any("day first" in note and "'25/03/2017' on line 3" in note for note in data.notes)


def test_ambiguous_day_month_is_refused_with_both_readings(tmp_path):
    problem = refused(SF / "ambiguous_dates.csv", cli=True)
    assert "'01/11/2016' is 1 November 2016 if the day comes first, or 11 January 2016" in problem.message
    assert problem.lines == [2, 3, 4]
    assert '"%d/%m/%Y" (day first)' in problem.fix and '"%m/%d/%Y" (month first)' in problem.fix
    data = import_crm(SF / "ambiguous_dates.csv", with_mapping(tmp_path, SF / "mapping.yaml", '  date_format: "%d/%m/%Y"\n'))
    assert data.opportunities["created_date"].iloc[0] == pd.Timestamp(2016, 11, 1)


def test_misspelled_mapping_key_is_an_error_with_did_you_mean(tmp_path):
    problem = refused(SF / "ambiguous_dates.csv", with_mapping(tmp_path, SF / "mapping.yaml", '  dateformat: "%d/%m/%Y"\n'))
    assert "unknown key 'dateformat'" in problem.message and "did you mean 'date_format'?" in problem.fix
    mapping = tmp_path / "typo.yaml"
    mapping.write_text((SF / "mapping.yaml").read_text().replace("    amount: Amount", "    ammount: Amount"))
    with pytest.raises(CRMImportError) as error:
        import_crm(SF / "day_first.csv", mapping)
    unknown = [p for p in error.value.problems if "unknown key 'ammount'" in p.message]
    assert len(unknown) == 1 and "did you mean 'amount'?" in unknown[0].fix


def test_salesforce_footer_and_blank_lines_keep_exact_line_numbers(tmp_path):
    data = import_crm(SF / "footer.csv", SF / "mapping.yaml")
    assert len(data.opportunities) == 7
    assert any(note.startswith("Lines 11-19 are a report footer ('Grand Totals (7 records)'") for note in data.notes)
    assert any("2 blank lines (lines 5, 6) were skipped" in note for note in data.notes)
    path = tmp_path / "footer.csv"
    path.write_text((SF / "footer.csv").read_text().replace('"31250.50"', '"-31250.50"'))
    problem = refused(path)
    assert "negative" in problem.message and problem.lines == [8]


def test_a_value_over_two_lines_in_an_unmapped_column_keeps_line_numbers_exact(tmp_path):
    """Salesforce puts multi-line descriptions in quotes: legal, and every later line number still right."""
    header = (SF / "extra_fields.csv").read_text().splitlines()[0] + ",Description\n"
    path = tmp_path / "notes.csv"
    path.write_text(header
                    + '0065g00000A1AAB,Jordan Ellis,AE - North,Cedar Freight,1/23/2025,2/10/2025,Closed Won,23100.00,'
                    + '"Two lines\nof notes"\n'
                    + "0065g00000A2AAB,Jordan Ellis,AE - North,Orchard Freight,7/2/2024,7/16/2024,Closed Lost,"
                    + "-45400.00,plain\n")
    problem = refused(path)
    assert "negative" in problem.message and problem.lines == [4]


def test_unclosed_quote_is_one_problem_with_its_line():
    problem = refused(SF / "unclosed_quote.csv", cli=True)
    assert "line 3 opens a quoted value" in problem.message and problem.lines == [3]


def test_row_with_extra_fields_is_one_problem_with_its_line():
    problem = refused(SF / "extra_fields.csv")  # a blank line 4 before it is counted
    assert "more fields than the header" in problem.message and problem.lines == [5]
    assert "(9 fields)" in problem.message and "in quotes" in problem.fix


def test_header_only_and_empty_files_are_refused(tmp_path):
    problem = refused(SF / "header_only.csv", cli=True)
    assert "no rows below it" in problem.message and problem.lines == [1]
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n")
    assert "is empty" in refused(empty).message


def test_rep_names_differing_in_case_or_spaces_are_reported_not_merged(tmp_path):
    problem = refused(SF / "name_variants.csv")
    assert problem.lines == [2, 4, 6]
    assert "'Jordan Ellis' (2 deals, first on line 2)" in problem.message and "'jordan ellis'" in problem.message
    assert "merge_name_variants: true" in problem.fix
    data = import_crm(SF / "name_variants.csv", with_mapping(tmp_path, SF / "mapping.yaml", "  merge_name_variants: true\n"))
    assert data.kpis()["opportunities"].to_dict() == {"Jordan Ellis": 4, "Maya Brooks": 1}
    assert any("Counted as one rep 'Jordan Ellis'" in note for note in data.notes)


def test_a_rep_who_changes_team_is_reported_with_dates():
    data = import_crm(SF / "team_change.csv", SF / "mapping.yaml")
    (note,) = [note for note in data.notes if "changes team" in note]
    assert "'AE - Mid-Market North' on 2 deals created 15 Jan 2024 to 28 Jun 2024" in note
    assert "'AE - Enterprise' on 2 deals created 22 Jul 2024 to 17 Dec 2024" in note
    assert data.opportunities["team"].astype(str).tolist() == pd.read_csv(SF / "team_change.csv")["Owner Role"].tolist()
    assert data.reps.set_index("rep_id").loc["Maya Brooks", "team"] == "AE - Enterprise"


def test_reps_table_problems_are_reported(tmp_path):
    teams = pd.read_csv(FOUR / "sales_teams.csv")
    teams = teams[teams["sales_agent"] != "Moses Frase"].reset_index(drop=True)
    teams.loc[len(teams)] = ["violet mclelland", "Anna Snelling", "Central"]
    violet = int(teams.index[teams["sales_agent"] == "Violet Mclelland"][0])
    path = tmp_path / "sales_teams.csv"
    teams.to_csv(path, index=False)
    with pytest.raises(CRMImportError) as error:
        import_crm(FOUR / "sales_pipeline.csv", FOUR / "mapping.yaml", reps_file=path)
    report = str(error.value)
    assert len(error.value.problems) == 2, report
    assert "'Moses Frase'" in report and "not in the reps table sales_teams.csv" in report
    duplicate = [p for p in error.value.problems if "already in the table" in p.message][0]
    assert duplicate.lines == [violet + 2, len(teams) + 1]


# ---------------------------------------------------------------- the explore notebook
def test_rates_come_with_the_deals_behind_them():
    from course.explore import rates_with_deals

    data = import_crm(FOUR / "sales_pipeline.csv", FOUR / "mapping.yaml", reps_file=FOUR / "sales_teams.csv")
    table = rates_with_deals(data.kpis())
    raw = pd.read_csv(FOUR / "sales_pipeline.csv")
    closed = raw["deal_stage"].isin(["Won", "Lost"]).groupby(raw["sales_agent"]).sum()
    assert table["win_rate_deals"].to_dict() == closed.to_dict()
    assert table["qualified_rate_deals"].to_dict() == raw["sales_agent"].value_counts().to_dict()


def test_team_is_picked_by_team_or_manager():
    from course.explore import pick_team

    data = import_crm(FOUR / "sales_pipeline.csv", FOUR / "mapping.yaml", reps_file=FOUR / "sales_teams.csv")
    teams = pd.read_csv(FOUR / "sales_teams.csv")
    team, reps = pick_team(data.reps, "Cara Losch")  # no team column: the manager
    assert team == "Cara Losch" and sorted(reps) == sorted(teams.loc[teams["manager"] == "Cara Losch", "sales_agent"])
    with pytest.raises(ValueError, match="There is no manager 'Nobody'"):
        pick_team(data.reps, "Nobody")


def test_charts_stay_readable_with_5000_reps():
    """One team's chart has a bar per rep of that team only (at most 40); the distribution is one histogram."""
    import matplotlib

    matplotlib.use("Agg")
    from course.explore import plot_distribution, plot_team

    rng = np.random.default_rng(5)
    reps = [f"Rep {i:04d}" for i in range(5000)]
    won, lost = rng.integers(0, 30, 5000), rng.integers(0, 30, 5000)
    kpis = pd.DataFrame({"opportunities": won + lost + 3, "qualified": won + lost, "proposals": won + lost,
                         "negotiations": won + lost, "won": won, "lost": lost, "open": 3,
                         "qualified_rate": 0.5, "proposal_rate": 0.5, "negotiation_rate": 0.5, "close_rate": 0.5,
                         "win_rate": np.where(won + lost > 0, won / np.maximum(won + lost, 1), np.nan),
                         "avg_deal_size": 1.0, "avg_cycle_days": 1.0, "avg_discount_pct": np.nan}, index=reps)
    team = reps[:12]
    fig = plot_team(kpis, team)
    bars = fig.axes[0].patches
    assert len(bars) == sum(kpis.loc[team, "won"] + kpis.loc[team, "lost"] > 0) <= 12
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert all(" of " in label for label in labels)  # every bar says how many deals it stands on
    assert len(plot_team(kpis, reps).axes[0].patches) == 40
    fig = plot_distribution(kpis, team)
    assert len(fig.axes[0].patches) == 20  # 20 bins, whatever the number of reps


@pytest.mark.slow
def test_course_explore_writes_an_executed_copy(tmp_path):
    """`course explore` on the example export with its owners table: an executed notebook, no error."""
    from notebooks import problems_in_outputs, read, text_outputs

    out = tmp_path / "mine.ipynb"
    result = subprocess.run(
        [sys.executable, "-m", "course", "explore", str(EXAMPLE["opportunities"]), "--mapping", str(EXAMPLE["mapping"]),
         "--reps", str(EXAMPLE["reps"]), "--team", "AE - Mid-Market North", "--out", str(out)],
        capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    nb = read(out)
    assert problems_in_outputs(nb) == []
    text = "".join(text_outputs(cell) for cell in nb.cells if cell.cell_type == "code")
    assert "Looking at team 'AE - Mid-Market North': 6 reps." in text
    assert "win_rate_deals" in text
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) == 2
    inputs = [c for c in nb.cells if "inputs" in c.metadata.get("tags", [])][0]
    assert str(EXAMPLE["reps"]) in inputs.source


@pytest.mark.slow
def test_course_explore_shows_the_report_when_the_import_refuses(tmp_path):
    out = tmp_path / "refused.ipynb"
    result = subprocess.run(
        [sys.executable, "-m", "course", "explore", str(SF / "header_only.csv"), "--mapping", str(SF / "mapping.yaml"),
         "--out", str(out)], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1
    assert "no rows below it" in result.stderr and "Fix: " in result.stderr
    assert "CRMImportError" not in result.stderr  # the report, not a traceback of the import
    from notebooks import read, text_outputs

    nb = read(out)
    assert any("no rows below it" in text_outputs(cell) for cell in nb.cells if cell.cell_type == "code")


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
    inputs = [cell for cell in nb.cells if "inputs" in cell.metadata.get("tags", [])]
    assert len(inputs) == 1 and "EXPORT = None" in inputs[0].source


@pytest.mark.slow
def test_benchmark_smoke(tmp_path):
    """The benchmark script runs end to end on a small export and reports its figures."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_crm_import.py"
    result = subprocess.run([sys.executable, str(script), "--rows", "3000", "--reps", "40"],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr  # 1: target not met, which a tiny export may well miss
    for words in ("plain pandas read_csv", "course.crm import + checks", "peak memory", "x CPU time",
                  "target (within 2x of plain pandas, time and memory)"):
        assert words in result.stdout
