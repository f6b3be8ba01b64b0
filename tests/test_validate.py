"""Validation and loading of a wave folder (ikto_lib.validate, ikto_lib.io, ikto_lib.wave).

Each broken wave is the small valid wave of ``smallwave.py`` with one thing broken. Row numbers
are spreadsheet rows: DataFrame index ``i`` of ``read_table`` is row ``i + 2``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ikto_lib.config import load_instrument, parameters_dir
from ikto_lib.validate import MAX_PER_CHECK, Problem, WaveInvalid, load_wave, validate_wave
from tests.smallwave import SMALL_ORGS, read_table, write_small_wave, write_table

INST = load_instrument()


@pytest.fixture
def wave(tmp_path) -> Path:
    return write_small_wave(tmp_path / "2015")


def edit(folder: Path, name: str, change, **write) -> None:
    """Read a table as text, let ``change(df)`` modify (or return) it, write it back."""
    df = read_table(folder, name)
    out = change(df)
    write_table(folder, name, df if out is None else out, **write)


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def located(problem: Problem, file, row, column, value=None) -> None:
    assert (problem.file, problem.row, problem.column) == (file, row, column), str(problem)
    if value is not None:
        assert problem.value == value, str(problem)


# -- valid waves --------------------------------------------------------------------------------

def test_small_wave_is_valid_and_loads_with_compact_dtypes(wave):
    assert validate_wave(wave) == []
    w = load_wave(wave)
    r = w.responses
    assert w.name == "2015" and len(r) == 3 * (12 + 15 + 4)
    assert w.item_columns == INST.item_ids
    assert all(r[i].dtype == "Int8" for i in INST.item_ids)
    assert r["grade"].dtype == "Int8"
    for col in ["org", "unit", "age_group", "gender", "tenure"]:
        assert isinstance(r[col].dtype, pd.CategoricalDtype), col
    for col in ["respondent_id", "pluim_target", "pluim_text"]:
        assert r[col].dtype == "string", col
    assert list(r["age_group"].cat.categories) == ["<35", "35-44", "45-54", "55+"]
    assert w.headcount["headcount"].dtype == np.int64
    assert w.headcount["org"].dtype == r["org"].dtype  # same categories: merges keep category
    assert w.headcount["unit"].dtype == r["unit"].dtype
    assert isinstance(w.organisations["type"].dtype, pd.CategoricalDtype)
    assert w.organisations["name"].dtype == "string"
    assert w.orgs == sorted(code for code, _n, _t in SMALL_ORGS)
    assert w.org_type("PRVUT") == "provincie"
    assert len(w.fingerprint) == 64 and set(w.files) == {"responses", "headcount", "organisations"}


def test_nvt_stays_distinguishable_from_skipped(wave):
    raw = read_table(wave, "responses")
    w = load_wave(wave)
    for item in ["ict_speed", "hr_overall", "servicedesk_chat"]:
        col = w.responses[item]
        assert (col == INST.nvt.code).sum() == (raw[item] == "9").sum() > 0
        assert col.isna().sum() == (raw[item] == "").sum() > 0
        assert set(col.dropna().unique()) <= {1, 2, 3, 4, 5, 9}
    assert w.responses["grade"].isna().sum() == (raw["grade"] == "").sum()
    assert w.responses["pluim_text"].isna().sum() == (raw["pluim_text"] == "").sum()


def assert_same_wave(a, b) -> None:
    for frame in ("responses", "headcount", "organisations"):
        pd.testing.assert_frame_equal(getattr(a, frame), getattr(b, frame))


def test_semicolon_bom_and_decimal_comma_load_like_comma_variant(tmp_path):
    plain = load_wave(write_small_wave(tmp_path / "a"))
    excel = write_small_wave(tmp_path / "b", sep=";", bom=True, decimal_comma=True)
    head = (excel / "headcount.csv").read_bytes()
    assert head.startswith(b"\xef\xbb\xbforg;unit;headcount") and b",0\n" in head
    dutch = load_wave(excel)
    assert_same_wave(plain, dutch)
    assert plain.fingerprint != dutch.fingerprint  # other bytes, other fingerprint


def test_crlf_and_tab_separated_load_like_comma_variant(tmp_path):
    plain = load_wave(write_small_wave(tmp_path / "a"))
    folder = write_small_wave(tmp_path / "b")
    for name in ("responses", "headcount"):
        path = folder / f"{name}.csv"
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    write_table(folder, "organisations", read_table(folder, "organisations"), sep="\t")
    assert_same_wave(plain, load_wave(folder))


def test_parquet_responses_load_like_csv(tmp_path):
    plain = load_wave(write_small_wave(tmp_path / "a"))
    folder = write_small_wave(tmp_path / "b", parquet=True)
    assert (folder / "responses.parquet").is_file() and not (folder / "responses.csv").exists()
    assert_same_wave(plain, load_wave(folder))


def test_headcount_per_background_cell_is_valid(tmp_path):
    folder = write_small_wave(tmp_path / "w", headcount_background="age_group")
    w = load_wave(folder)
    assert list(w.headcount.columns) == ["org", "unit", "age_group", "headcount"]
    assert w.headcount["age_group"].dtype == w.responses["age_group"].dtype


def test_wave_own_instrument_is_used(wave):
    data = yaml.safe_load((parameters_dir() / "instrument.yml").read_text(encoding="utf-8"))
    data["items"] = [i for i in data["items"] if i["id"] != "servicedesk_chat"]
    (wave / "instrument.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    p = only(validate_wave(wave))
    located(p, "responses.csv", 1, "servicedesk_chat")
    assert validate_wave(wave, instrument=INST) == []  # an explicit instrument wins


def test_invalid_wave_instrument_is_a_problem(wave):
    (wave / "instrument.yml").write_text("name: {nl: x, en: x}\nscale: 5\n", encoding="utf-8")
    problems = validate_wave(wave)
    assert problems and all(p.file == "instrument.yml" for p in problems)
    assert any("scale" in p.expected for p in problems)
    with pytest.raises(WaveInvalid):
        load_wave(wave)


def test_fingerprint_follows_bytes_and_instrument(tmp_path):
    a, b = write_small_wave(tmp_path / "a"), write_small_wave(tmp_path / "b")
    assert load_wave(a).fingerprint == load_wave(b).fingerprint  # same bytes, any folder
    edit(b, "organisations", lambda df: df.__setitem__("name", df["name"] + " "))
    assert load_wave(a).fingerprint != load_wave(b).fingerprint
    other = INST.model_copy(update={"name": {"nl": "Een andere peiling", "en": "Another survey"}})
    assert load_wave(a, instrument=other).fingerprint != load_wave(a).fingerprint


def test_blank_rows_and_quoted_line_breaks_keep_spreadsheet_rows(wave):
    def change(df):
        df.loc[2, "pluim_text"] = "regel 1\nregel 2; met, tekens"
        df.loc[10, "ict_speed"] = "6"
    edit(wave, "responses", change)
    path = wave / "responses.csv"
    lines = path.read_text().split("\n")
    lines.insert(5, ",,,,")  # an empty row Excel leaves behind, after data row 4
    path.write_text("\n".join(lines) + "\n\n")
    p = only(validate_wave(wave))
    # data index 10 is row 12; the ignored empty row pushes it to 13; the line break does not
    located(p, "responses.csv", 13, "ict_speed", "6")


def test_values_named_NA_are_not_eaten(wave):
    edit(wave, "responses", lambda df: df.__setitem__("pluim_text", "NA"))
    assert (load_wave(wave).responses["pluim_text"] == "NA").all()
    edit(wave, "responses", lambda df: df.loc.__setitem__((3, "ict_helpful"), "NA"))
    located(only(validate_wave(wave)), "responses.csv", 5, "ict_helpful", "NA")


def test_surrounding_spaces_are_ignored(wave):
    edit(wave, "responses", lambda df: df.loc.__setitem__((0, "org"), " MINBZK "))
    edit(wave, "headcount", lambda df: df.__setitem__("headcount", " " + df["headcount"]))
    assert validate_wave(wave) == []
    assert load_wave(wave).responses["org"].iloc[0] == "MINBZK"


# -- one broken thing each -------------------------------------------------------------------

@pytest.mark.parametrize("name", ["responses", "headcount", "organisations"])
def test_missing_file(wave, name):
    (wave / f"{name}.csv").unlink()
    p = only(validate_wave(wave))
    assert p.file == f"{name}.csv" and p.row is None
    assert "not found" in str(p) and f"{name}.parquet" in str(p)


def test_missing_folder(tmp_path):
    p = only(validate_wave(tmp_path / "nope"))
    assert "nope" in p.file and "folder" in p.expected


def test_table_without_data_rows(wave):
    edit(wave, "organisations", lambda df: df.iloc[:0])
    problems = validate_wave(wave)
    located(problems[0], "organisations.csv", 2, None)
    assert "at least one data row" in problems[0].expected
    assert {p.value for p in problems[1:]} == {code for code, _n, _t in SMALL_ORGS}


def test_headcount_without_data_rows_is_one_problem(wave):
    edit(wave, "headcount", lambda df: df.iloc[:0])
    p = only(validate_wave(wave))  # not one more per org x unit of the responses
    located(p, "headcount.csv", 2, None)


def test_unknown_org_in_responses_is_one_problem_not_one_per_unit(wave):
    org = SMALL_ORGS[0][0]

    def rename(df):
        df.loc[df["org"] == org, "org"] = org + "X"
    edit(wave, "responses", rename)
    p = only(validate_wave(wave))
    assert p.column == "org" and p.value == org + "X" and f"did you mean '{org}'" in p.expected


def test_both_csv_and_parquet(tmp_path):
    folder = write_small_wave(tmp_path / "w")
    write_small_wave(folder, parquet=True)
    assert "not both" in only(validate_wave(folder)).expected


@pytest.mark.parametrize("name,column", [("responses", "unit"), ("responses", "respondent_id"),
                                         ("headcount", "headcount"), ("organisations", "type")])
def test_missing_required_column(wave, name, column):
    edit(wave, name, lambda df: df.drop(columns=column))
    problems = validate_wave(wave)
    located(problems[0], f"{name}.csv", 1, column)
    assert "required" in problems[0].expected


def test_unknown_column_hints_at_the_item(wave):
    edit(wave, "responses", lambda df: df.rename(columns={"ict_speed": "ict_sped"}))
    p = only(validate_wave(wave))  # the absent item itself is not a problem
    located(p, "responses.csv", 1, "ict_sped")
    assert "did you mean 'ict_speed'?" in str(p)
    edit(wave, "responses", lambda df: df.rename(columns={"ict_sped": "opmerking"}))
    assert "did you mean" not in only(validate_wave(wave)).expected


def test_unknown_column_in_headcount(wave):
    edit(wave, "headcount", lambda df: df.assign(fte="1"))
    located(only(validate_wave(wave)), "headcount.csv", 1, "fte")


def test_repeated_column(wave):
    path = wave / "organisations.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0] + ",name"] + [l + ",x" for l in lines[1:]]) + "\n")
    p = only(validate_wave(wave))
    located(p, "organisations.csv", 1, "name")
    assert "column 4" in p.expected


def test_item_code_out_of_range(wave):
    edit(wave, "responses", lambda df: df.loc.__setitem__((12, "ict_speed"), "7"))
    p = only(validate_wave(wave))
    assert str(p) == ("responses.csv, row 14, column 'ict_speed': value '7' - expected a code "
                      "1..5 or 9 (n.v.t.), or empty")


@pytest.mark.parametrize("value", ["x", "3,5", "0", "-1", "4 5"])
def test_item_code_not_a_code(wave, value):
    edit(wave, "responses", lambda df: df.loc.__setitem__((40, "hr_speed"), value))
    located(only(validate_wave(wave)), "responses.csv", 42, "hr_speed", value)


@pytest.mark.parametrize("value", ["11", "0", "acht", "7,5"])
def test_grade_out_of_range_or_not_numeric(wave, value):
    edit(wave, "responses", lambda df: df.loc.__setitem__((5, "grade"), value))
    p = only(validate_wave(wave))
    located(p, "responses.csv", 7, "grade", value)
    assert "1..10" in p.expected


def test_empty_respondent_id(wave):
    edit(wave, "responses", lambda df: df.loc.__setitem__((8, "respondent_id"), ""))
    located(only(validate_wave(wave)), "responses.csv", 10, "respondent_id", "")


def test_duplicate_respondent_id_names_both_rows(wave):
    edit(wave, "responses", lambda df: df.loc.__setitem__((30, "respondent_id"), "R00004"))
    p = only(validate_wave(wave))
    located(p, "responses.csv", 32, "respondent_id", "R00004")
    assert "row 5" in p.expected  # R00004 is data index 3


def test_org_missing_from_organisations(wave):
    edit(wave, "organisations", lambda df: df[df["org"] != "PRVUT"])
    in_responses, in_headcount = validate_wave(wave)
    located(in_responses, "responses.csv", 2 + 31, "org", "PRVUT")
    assert "organisations.csv" in in_responses.expected and "31 rows" in in_responses.expected
    located(in_headcount, "headcount.csv", 5, "org", "PRVUT")


def test_headcount_org_missing_from_organisations(wave):
    edit(wave, "headcount", lambda df: df.assign(org=df["org"].where(df.index != 2, "MINXX")))
    problems = validate_wave(wave)
    assert any(p.file == "headcount.csv" and p.row == 4 and p.value == "MINXX" for p in problems)


def test_org_unit_missing_from_headcount(wave):
    edit(wave, "headcount", lambda df: df.drop(index=4))  # PRVUT / Beleid
    p = only(validate_wave(wave))
    located(p, "responses.csv", 2 + 31 + 12, "unit", "Beleid")
    assert "PRVUT" in p.expected and "15 respondents" in p.expected


def test_typo_in_org_and_unit_gets_a_hint(wave):
    def change(df):
        df.loc[0, "org"] = "MINBZ"
        df.loc[50, "unit"] = "Uitvoerng"  # PRVUT
    edit(wave, "responses", change)
    problems = validate_wave(wave)
    located(problems[0], "responses.csv", 2, "org", "MINBZ")
    assert "did you mean 'MINBZK'?" in problems[0].expected
    unit = next(p for p in problems if p.row == 52)
    located(unit, "responses.csv", 52, "unit", "Uitvoerng")
    assert "did you mean 'Uitvoering'?" in unit.expected


def test_unknown_org_type(wave):
    edit(wave, "organisations", lambda df: df.loc.__setitem__((2, "type"), "Waterschap"))
    p = only(validate_wave(wave))
    located(p, "organisations.csv", 4, "type", "Waterschap")
    assert "did you mean 'waterschap'?" in p.expected


def test_duplicate_org_names_both_rows(wave):
    edit(wave, "organisations", lambda df: pd.concat([df, df.iloc[[0]]], ignore_index=True))
    p = only(validate_wave(wave))
    located(p, "organisations.csv", 5, "org", "MINBZK")
    assert "row 2" in p.expected


def test_duplicate_headcount_key_names_both_rows(wave):
    edit(wave, "headcount", lambda df: pd.concat([df, df.iloc[[7]]], ignore_index=True))
    p = only(validate_wave(wave))
    located(p, "headcount.csv", 11, "org, unit", "WSHDN / Beleid")
    assert "row 9" in p.expected


def test_background_value_not_a_category(wave):
    edit(wave, "responses", lambda df: df.loc.__setitem__((20, "gender"), "Vrouw"))
    p = only(validate_wave(wave))
    located(p, "responses.csv", 22, "gender", "Vrouw")
    assert "did you mean 'vrouw'?" in p.expected


def test_background_value_in_headcount(tmp_path):
    folder = write_small_wave(tmp_path / "w", headcount_background="tenure")
    edit(folder, "headcount", lambda df: df.loc.__setitem__((0, "tenure"), ""))
    problems = validate_wave(folder)
    located(problems[0], "headcount.csv", 2, "tenure", "")


def test_respondents_above_headcount(wave):
    edit(wave, "headcount", lambda df: df.loc.__setitem__((1, "headcount"), "14"))
    p = only(validate_wave(wave))
    located(p, "headcount.csv", 3, "headcount", "14")
    assert "15 respondents" in p.expected and "'MINBZK'" in p.expected


def test_respondents_above_headcount_per_background_cell(tmp_path):
    folder = write_small_wave(tmp_path / "w", headcount_background="age_group")
    resp = read_table(folder, "responses")
    first = resp[(resp["org"] == "MINBZK") & (resp["unit"] == "Beleid")]
    n = (first["age_group"] == "45-54").sum()
    head = read_table(folder, "headcount")
    row = head.index[(head["org"] == "MINBZK") & (head["unit"] == "Beleid")
                     & (head["age_group"] == "45-54")][0]
    head.loc[row, "headcount"] = str(n - 1)
    write_table(folder, "headcount", head)
    p = only(validate_wave(folder))
    located(p, "headcount.csv", row + 2, "headcount", str(n - 1))
    assert f"{n} respondents" in p.expected and "age_group '45-54'" in p.expected


def test_background_cell_missing_from_headcount(tmp_path):
    folder = write_small_wave(tmp_path / "w", headcount_background="age_group")
    edit(folder, "headcount", lambda df: df.drop(index=3))  # MINBZK / Bestuursondersteuning / 55+
    resp = read_table(folder, "responses")
    first = resp.index[(resp["org"] == "MINBZK") & (resp["unit"] == "Bestuursondersteuning")
                       & (resp["age_group"] == "55+")][0]
    p = only(validate_wave(folder))
    located(p, "responses.csv", first + 2, "age_group", "55+")


@pytest.mark.parametrize("value", ["12,5", "-3", "", "twaalf", "NA", "1e30", "5000000", "5.000", "5,000",
                                   "1.234.567"])
def test_headcount_not_a_whole_number(wave, value):
    edit(wave, "headcount", lambda df: df.loc.__setitem__((5, "headcount"), value))
    p = only(validate_wave(wave))
    located(p, "headcount.csv", 7, "headcount", value)
    assert "whole number" in p.expected


def test_not_utf8_names_file_and_first_bad_row(wave):
    df = read_table(wave, "organisations")
    df.loc[1, "name"] = "Provincie Utrecht (café)"
    (wave / "organisations.csv").write_bytes(df.to_csv(index=False).encode("cp1252"))
    p = only(validate_wave(wave))
    located(p, "organisations.csv", 3, None)
    assert "UTF-8" in p.expected and "0xe9" in p.expected and "caf\\xe9" in p.value


def test_row_with_too_many_fields(wave):
    edit(wave, "responses", lambda df: df.loc.__setitem__((20, "ict_speed"), "8"))
    path = wave / "responses.csv"
    lines = path.read_text().split("\n")
    lines[6] += ",extra"  # spreadsheet row 7
    path.write_text("\n".join(lines))
    problems = validate_wave(wave)
    assert len(problems) == 2, problems
    located(problems[0], "responses.csv", 7, None)
    assert "fields" in problems[0].expected
    located(problems[1], "responses.csv", 22, "ict_speed", "8")  # later rows keep their number


def test_value_after_the_last_column_on_the_first_row_shifts_nothing(wave):
    """pandas would take the first column as the index when the first data row has one field
    more than the header, and report every other cell as wrong; here that one row is named."""
    path = wave / "organisations.csv"
    lines = path.read_text().split("\n")
    lines[1] += ",oops"  # spreadsheet row 2
    path.write_text("\n".join(lines))
    p = only(validate_wave(wave))
    located(p, "organisations.csv", 2, None, "oops")
    assert "after the last column" in p.expected


def test_trailing_separator_on_every_row_is_harmless(wave):
    path = wave / "headcount.csv"
    lines = [line + "," if line else line for line in path.read_text().split("\n")[1:]]
    path.write_text("\n".join([path.read_text().split("\n")[0]] + lines))
    assert validate_wave(wave) == []


def test_parquet_rows_are_data_row_plus_one(tmp_path):
    folder = write_small_wave(tmp_path / "w", parquet=True)
    df = pd.read_parquet(folder / "responses.parquet")
    df.loc[5, "ict_speed"] = 6
    df.loc[7, "respondent_id"] = "R00001"
    df.to_parquet(folder / "responses.parquet", index=False)
    problems = validate_wave(folder)
    assert [(p.row, p.column) for p in problems] == [(9, "respondent_id"), (7, "ict_speed")]


# -- all at once, caps, load_wave ------------------------------------------------------------

def test_all_problems_are_reported_at_once(wave):
    edit(wave, "responses", lambda df: df.loc.__setitem__((12, "ict_speed"), "7"))
    edit(wave, "headcount", lambda df: df.loc.__setitem__((0, "headcount"), "12,5"))
    edit(wave, "organisations", lambda df: df.loc.__setitem__((0, "type"), "agentschap"))
    problems = validate_wave(wave)
    assert {(p.file, p.row, p.column) for p in problems} == {
        ("responses.csv", 14, "ict_speed"), ("headcount.csv", 2, "headcount"),
        ("organisations.csv", 2, "type")}
    with pytest.raises(WaveInvalid) as info:
        load_wave(wave)
    assert isinstance(info.value, ValueError) and info.value.problems == problems
    message = str(info.value)
    assert "3 problems" in message and all(str(p) in message for p in problems)


def test_many_bad_cells_in_one_column_are_summarised(wave):
    edit(wave, "responses", lambda df: df.loc.__setitem__((slice(0, 29), "ict_reach"), "0"))
    problems = validate_wave(wave)
    assert len(problems) == MAX_PER_CHECK + 1
    assert [p.row for p in problems[:MAX_PER_CHECK]] == list(range(2, 2 + MAX_PER_CHECK))
    assert problems[-1].more == 30 - MAX_PER_CHECK
    assert str(problems[-1]) == "responses.csv: ... and 10 more in column 'ict_reach'"
    with pytest.raises(WaveInvalid, match="30 problems"):
        load_wave(wave)


def test_nothing_is_written(wave):
    load_wave(wave)
    assert sorted(p.name for p in wave.iterdir()) == ["headcount.csv", "organisations.csv",
                                                      "responses.csv"]
    edit(wave, "responses", lambda df: df.loc.__setitem__((0, "grade"), "99"))
    before = sorted((p.name, p.stat().st_mtime_ns) for p in wave.iterdir())
    with pytest.raises(WaveInvalid):
        load_wave(wave)
    assert sorted((p.name, p.stat().st_mtime_ns) for p in wave.iterdir()) == before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    index=st.integers(0, 92),
    item=st.sampled_from(INST.item_ids),
    value=st.text(alphabet="0123456789abc,.- ", min_size=1, max_size=4),
)
def test_any_bad_item_cell_is_found_at_its_row(index, item, value):
    parsed = pd.to_numeric(pd.Series([value.strip().replace(",", ".")]), errors="coerce")[0]
    valid = value.strip() == "" or parsed in {1, 2, 3, 4, 5, 9}
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_small_wave(Path(tmp) / "w")
        edit(folder, "responses", lambda df: df.loc.__setitem__((index, item), value))
        problems = validate_wave(folder)
    if valid:
        assert problems == []
    else:
        located(only(problems), "responses.csv", index + 2, item, value)


def test_larger_wave_loads_completely(tmp_path):
    # speed is measured in benchmarks/, not here; this checks a 30,000-row wave loads whole
    orgs = tuple((f"ORG{i:02d}", f"Organisatie {i}", "zbo") for i in range(20))
    folder = write_small_wave(tmp_path / "w", orgs=orgs, n_per_unit=(600, 400, 300, 180, 20))
    w = load_wave(folder)
    assert len(w.responses) == 30_000
    assert w.responses["org"].nunique() == 20


def test_demo_waves_validate(demo_dir):
    assert validate_wave(demo_dir / "2015") == []
    assert validate_wave(demo_dir / "2013") == []
