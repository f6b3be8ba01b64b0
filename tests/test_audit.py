"""The privacy audit (ikto_lib.audit): clean fixtures pass, deliberately leaky ones fail."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from ikto_lib.audit import (
    Finding,
    assert_no_leaks,
    audit_frame,
    audit_html,
    audit_outputs,
    audit_prepared,
    audit_xlsx,
)
from ikto_lib.prepared import RESULTS_COLUMNS, write_table

MIN_N = 10
IDS = [f"R{i:05d}" for i in range(1, 101)]


def results_frame(units=(("U1", 20, 0.8), ("U2", 10, 0.7), ("U3", None, None), ("U4", None, None)),
                  total=40) -> pd.DataFrame:
    """Results of org A (``total`` respondents, the given units), org B (30) and the wave."""
    rows = []

    def row(org, unit, n, value, *, breakdown="", category="", measure="top2", comparison="",
            flag="", ref_n=None, ref_value=None):
        r = dict.fromkeys(RESULTS_COLUMNS)
        r.update(org=org, unit=unit, breakdown=breakdown, category=category, domain="ict",
                 item="", measure=measure, n=n, value=value, comparison=comparison, flag=flag,
                 ref_n=ref_n, ref_value=ref_value)
        if value is not None:
            r.update(ci_low=value - 0.1, ci_high=value + 0.1)
        return r

    rows.append(row("", "", total + 30, 0.75))
    rows.append(row("A", "", total, 0.8))
    rows.append(row("A", "", total, 0.8, comparison="benchmark", ref_n=30, ref_value=0.7,
                    flag="no difference"))
    for unit, n, value in units:
        rows.append(row("A", unit, n, value, flag="" if value is not None else "suppressed"))
    rows.append(row("A", "", 22, 0.81, breakdown="gender", category="man"))
    rows.append(row("A", "", total - 22, 0.79, breakdown="gender", category="vrouw"))
    rows.append(row("B", "", 30, 0.7))
    df = pd.DataFrame(rows, columns=RESULTS_COLUMNS)
    df["n"] = df["n"].astype("Int64")
    df["ref_n"] = df["ref_n"].astype("Int64")
    for c in ("value", "ci_low", "ci_high", "ref_value"):
        df[c] = df[c].astype(float)
    return df


def response_frame(units=(("U1", 20), ("U2", 10), ("U3", None), ("U4", None))) -> pd.DataFrame:
    return pd.DataFrame({
        "org": "A",
        "breakdown": "unit",
        "category": [u for u, _ in units],
        "respondents": pd.array([n for _, n in units], dtype="Int64"),
        "headcount": [30] * len(units),
        "response_rate": [n / 40 if n else None for _, n in units],
        "low_response": False,
        "flag": ["" if n else "suppressed" for _, n in units],
    })


def organisations_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "org": ["A", "B", "C"], "name": ["Org A", "Org B", "Org C"],
        "type": ["ministerie", "provincie", "zbo"], "eligible": [True, True, False],
        "respondents": pd.array([40, 30, None], dtype="Int64"),
        "headcount": [80, 50, 12],
    })


def write_prepared(folder: Path, **replace) -> Path:
    tables = {
        "results": results_frame(),
        "response": response_frame(),
        "organisations": organisations_frame(),
        "pluim_shares": pd.DataFrame({"org": ["", "A"], "target": ["ict", "ict"],
                                      "n": pd.array([3, 3], dtype="Int64"), "share": [0.04, 0.075],
                                      "ref_share": [np.nan, 0.0], "flag": ["", ""]}),
        "pluim_texts": pd.DataFrame({"org": ["A", "A"], "target": ["ict", "named"],
                                     "text": ["Bel [telefoonnummer], top!", "Dank [naam] in 2015"]}),
        "pluim_words": pd.DataFrame({"org": ["", "A"], "word": ["hulp", "hulp"], "count": [4, 2]}),
        "reliability": pd.DataFrame({"org": ["", "A"], "domain": ["ict", "ict"], "alpha": [0.8, 0.7],
                                     "n": [60, 35]}),
    }
    tables.update(replace)
    for name, frame in tables.items():
        write_table(folder, name, frame)
    return folder


CLEAN_HTML = """<!doctype html><html><head><title>Rapport</title>
<style>td { color: #06123456; }</style>
<script>var x = "0612345678"; var y = 1234567890;</script></head>
<body><h1>Rapport Org A</h1><p>Respons: n = 1.234 (marge 2,1%).</p>
<table><thead><tr><th>Afdeling</th><th>N</th><th>Top-2</th></tr></thead>
<tbody><tr><td>Staf</td><td>1.234</td><td>82,9%</td></tr>
<tr><td>Beleid</td><td>25</td><td>75,0%</td></tr>
<tr><td>Toezicht</td><td>&ndash;</td><td>&ndash;</td></tr>
<tr><td>Uitvoering</td><td>0</td><td>&ndash;</td></tr></tbody></table>
<p>Meer op <a href="https://www.rijksoverheid.nl">https://www.rijksoverheid.nl</a>;
in 2015 gaven medewerkers een 7,4. Pluim: "Bel [telefoonnummer], top!"</p>
</body></html>"""


def write_xlsx(path: Path, rows_by_sheet: dict[str, list[list]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in rows_by_sheet.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


CLEAN_SHEETS = {
    "Respons": [["Respons per afdeling"], ["Afdeling", "n", "Top-2"], ["Staf", 20, 0.8],
                ["Beleid", 10, 0.7], ["Toezicht", "–", None], [],
                ["Geslacht", "Aantal", "Top-2"], ["man", 22, 0.81], ["vrouw", 18, 0.79]],
    "Pluimen": [["Doel", "Tekst"], ["ict", "Bel [telefoonnummer], top!"], ["hr", "Cijfer 8 in 2015"]],
}


def kinds(findings):
    return sorted(f.kind for f in findings)


# ---- clean fixtures ---------------------------------------------------------------------------


def test_clean_prepared_folder_passes(tmp_path):
    folder = write_prepared(tmp_path / "prepared")
    assert audit_prepared(folder, min_n=MIN_N, respondent_ids=IDS) == []
    assert_no_leaks(folder, min_n=MIN_N, respondent_ids=IDS)


def test_clean_html_and_xlsx_pass(tmp_path):
    assert audit_html(CLEAN_HTML, min_n=MIN_N, respondent_ids=IDS) == []
    xlsx = write_xlsx(tmp_path / "A.xlsx", CLEAN_SHEETS)
    assert audit_xlsx(xlsx, min_n=MIN_N, respondent_ids=IDS) == []


def test_clean_output_folder_passes(tmp_path):
    out = tmp_path / "outputs" / "2015"
    write_prepared(out / "prepared")
    (out / "A.html").write_text(CLEAN_HTML, encoding="utf-8")
    (out / "index.html").write_text("<html><body><p>n = 70</p></body></html>", encoding="utf-8")
    write_xlsx(out / "A.xlsx", CLEAN_SHEETS)
    assert audit_outputs(tmp_path / "outputs", {"min_n": MIN_N}, respondent_ids=IDS) == []
    assert_no_leaks(tmp_path / "outputs", min_n=MIN_N, respondent_ids=IDS)


# ---- (a) figures and counts of groups below min_n -----------------------------------------------


def test_unit_of_four_shown_in_results(tmp_path):
    leaky = results_frame(units=(("U1", 20, 0.8), ("U2", 16, 0.7), ("U3", 4, 0.5)))
    folder = write_prepared(tmp_path / "prepared", results=leaky)
    findings = audit_prepared(folder, min_n=MIN_N)
    small = [f for f in findings if f.kind == "small_group"]
    assert len(small) == 1
    assert small[0].file.endswith("results.parquet")
    assert "unit=U3" in small[0].location and "n = 4 < min_n = 10" in small[0].detail
    with pytest.raises(AssertionError, match="unit=U3"):
        assert_no_leaks(folder, min_n=MIN_N)


def test_results_other_small_figures():
    df = results_frame()
    df.loc[df["unit"] == "U3", "n"] = 6          # n shown in a suppressed row
    df.loc[df["unit"] == "U4", "value"] = 0.4    # value in a suppressed row
    df.loc[df["comparison"] == "benchmark", "ref_n"] = 7  # comparison with a small group
    found = audit_frame(df, min_n=MIN_N)
    details = " | ".join(f.detail for f in found)
    assert "suppressed row still shows n = 6" in details
    assert "flagged suppressed but carries a value" in details
    assert "ref_n = 7" in details
    df2 = results_frame()
    df2.loc[df2["unit"] == "U1", "flag"] = "not tested"
    df2.loc[df2["unit"] == "U1", ["n"]] = 9
    assert "flag is" not in " ".join(f.detail for f in audit_frame(df2, min_n=MIN_N))  # value shown
    assert any(f.kind == "small_group" and "unit=U1" in f.location for f in audit_frame(df2, min_n=MIN_N))


def test_small_counts_in_other_tables(tmp_path):
    orgs = organisations_frame()
    orgs.loc[2, "respondents"] = 7
    rel = pd.DataFrame({"org": ["A"], "domain": ["ict"], "alpha": [0.8], "n": [5]})
    folder = write_prepared(tmp_path / "p", organisations=orgs, reliability=rel)
    found = audit_prepared(folder, min_n=MIN_N)
    assert {(Path(f.file).name, f.kind) for f in found} == {
        ("organisations.parquet", "small_count"), ("reliability.parquet", "small_count")}
    assert any("respondents = 7" in f.detail and "org=C" in f.location for f in found)


def test_pluim_share_numerator_is_not_a_group_size():
    shares = pd.DataFrame({"org": ["A"], "target": ["hr"], "n": [2], "share": [0.05],
                           "ref_share": [0.04], "flag": [""]})
    assert audit_frame(shares, min_n=MIN_N) == []
    shares["flag"] = "suppressed"
    assert kinds(audit_frame(shares, min_n=MIN_N)) == ["small_group"]


def test_n_column_with_three_in_html_table():
    html = CLEAN_HTML.replace("<td>25</td>", "<td>3</td>")
    found = audit_html(html, min_n=MIN_N)
    assert kinds(found) == ["small_count"]
    assert "table 1" in found[0].location and "'N'" in found[0].location
    assert found[0].file == "<html>"


@pytest.mark.parametrize("html", [
    "<table><tr><th>Groep</th><th>respondenten</th></tr><tr><td>x</td><td>7</td></tr></table>",
    "<table><tr><th>Groep</th><th colspan='2'>Score</th><th>Aantal</th></tr>"
    "<tr><td>x</td><td>1</td><td>2</td><td>4</td></tr></table>",
    "<table><tr><td>n</td><td>120</td><td>8</td></tr></table>",
    "<p>Toezicht (n = 8) scoort hoog.</p>",
    "<table><thead><tr><th rowspan='2'>Groep</th><th>Top-2</th></tr><tr><th>n</th></tr></thead>"
    "<tbody><tr><td>x</td><td>9</td></tr></tbody></table>",
    "<table><tr><th colspan='2'>Groep</th><th>Score</th></tr><tr><th>Naam</th><th>Eenheid</th>"
    "<th>Aantal</th></tr><tr><td>x</td><td>y</td><td>5</td></tr></table>",
    "<table><tr><th>Groep</th><th>Eenheid</th><th>n</th></tr>"
    "<tr><td rowspan='2'>A</td><td>x</td><td>40</td></tr><tr><td>y</td><td>6</td></tr></table>",
])
def test_small_counts_in_html(html):
    assert kinds(audit_html(html, min_n=MIN_N)) == ["small_count"]


@pytest.mark.parametrize("html", [
    "<table><tr><th>Groep</th><th colspan='2'>Score</th><th>Aantal</th></tr>"
    "<tr><td>x</td><td>1</td><td>2</td><td>40</td></tr></table>",   # 1 and 2 are scores
    "<table><tr><th>Groep</th><th>n</th></tr><tr><td>x</td><td>1.234</td></tr></table>",
    "<table><tr><th>Groep</th><th>n</th></tr><tr><td>x</td><td>–</td></tr></table>",
    "<p>In 2015 gaven 8 van de 10 een voldoende; n = 12.</p>",
    "<table><thead><tr><th rowspan='2'>Groep</th><th>Top-2</th></tr><tr><th>n</th></tr></thead>"
    "<tbody><tr><td>9</td><td>40</td></tr></tbody></table>",   # 9 is under Groep
])
def test_not_small_counts_in_html(html):
    assert audit_html(html, min_n=MIN_N) == []


# ---- (b) derivable by subtraction ----------------------------------------------------------


def test_derivable_sibling_exactly_one_suppressed_unit(tmp_path):
    # units 20 + 12 shown, U3 (8) suppressed alone, organisation total 40 shown
    leaky = results_frame(units=(("U1", 20, 0.8), ("U2", 12, 0.7), ("U3", None, None)))
    folder = write_prepared(tmp_path / "prepared", results=leaky)
    found = [f for f in audit_prepared(folder, min_n=MIN_N) if f.kind == "derivable"]
    assert len(found) == 1
    assert found[0].file.endswith("results.parquet")
    assert "family of units" in found[0].location and "org=A" in found[0].location
    assert "leaves 8 < min_n" in found[0].detail


def test_derivable_single_suppressed_when_counts_unknown():
    df = results_frame(units=(("U1", 20, 0.8), ("U2", 12, 0.7), ("U3", None, None)))
    df.loc[df["unit"].isin(["U1", "U2"]), "n"] = pd.NA   # n not published: count rule applies
    found = [f for f in audit_frame(df, min_n=MIN_N) if f.kind == "derivable"]
    assert len(found) == 1 and "exactly one of the units is suppressed (U3)" in found[0].detail


def test_single_suppressed_sibling_of_zero_is_fine_and_of_many_is_not():
    zero = results_frame(units=(("U1", 20, 0.8), ("U2", 20, 0.7), ("U3", None, None)))
    assert audit_frame(zero, min_n=MIN_N) == []
    many = results_frame(units=(("U1", 15, 0.8), ("U2", 13, 0.7), ("U3", None, None)))
    found = [f for f in audit_frame(many, min_n=MIN_N) if f.kind == "derivable"]
    assert len(found) == 1 and "exactly one" in found[0].detail


def test_two_small_suppressed_units_still_derivable_together():
    # the example of methods.md: units of 3 and 2, both hidden, still reveal those 5 people
    df = results_frame(units=(("U1", 20, 0.8), ("U2", 15, 0.7), ("U3", None, None), ("U4", None, None)))
    found = [f for f in audit_frame(df, min_n=MIN_N) if f.kind == "derivable"]
    assert len(found) == 1 and "leaves 5 < min_n" in found[0].detail


def test_derivable_background_category_and_small_org_in_wave_total():
    df = results_frame()
    df.loc[df["category"] == "vrouw", "n"] = 15   # 22 + 15 shown of 40: 3 people without gender
    df.loc[df["org"] == "", "n"] = 76              # wave total includes a 6-respondent organisation
    found = [f for f in audit_frame(df, min_n=MIN_N) if f.kind == "derivable"]
    where = sorted(f.location.split("[")[1] for f in found)
    assert where == ["family of categories]", "family of organisations]"]


def test_derivable_in_response_table(tmp_path):
    resp = response_frame(units=(("U1", 20), ("U2", 12), ("U3", None)))
    folder = write_prepared(tmp_path / "prepared", response=resp)
    found = [f for f in audit_prepared(folder, min_n=MIN_N) if f.kind == "derivable"]
    assert len(found) == 1 and found[0].file.endswith("response.parquet")
    # without the organisations' totals the family has no known total: the count rule applies
    alone = audit_frame(resp, min_n=MIN_N, table="response")
    assert alone == []  # no total shown in the table itself: nothing to subtract from
    with_total = pd.concat([resp, pd.DataFrame({"org": ["A"], "breakdown": [""], "category": [""],
                                                "respondents": [40], "flag": [""]})])
    assert kinds(audit_frame(with_total, min_n=MIN_N, table="response")) == ["derivable"]


# ---- (c) respondent ids ----------------------------------------------------------------------


def test_respondent_id_column_and_cells():
    df = pd.DataFrame({"respondent_id": ["R00001"], "text": ["zie R00002."], "org": ["R00003"]})
    found = audit_frame(df, min_n=MIN_N, respondent_ids=IDS)
    assert kinds(found) == ["respondent_id"] * 3
    assert any(f.location == "column 'respondent_id'" for f in found)
    assert any(f.location == "row 0, column 'text'" for f in found)
    assert not any("R0000" in f.detail for f in found)  # the id itself is never repeated
    # without the ids only the column is found; similar-looking tokens are not ids
    assert kinds(audit_frame(df, min_n=MIN_N)) == ["respondent_id"]
    assert audit_frame(pd.DataFrame({"x": ["R000011", "XR00001"]}), min_n=MIN_N, respondent_ids=IDS) == []


def test_respondent_id_in_xlsx_cell(tmp_path):
    sheets = {**CLEAN_SHEETS, "Pluimen": [["Doel", "Tekst"], ["ict", "top"], ["hr", "R00042"]]}
    xlsx = write_xlsx(tmp_path / "A.xlsx", sheets)
    found = audit_xlsx(xlsx, min_n=MIN_N, respondent_ids=IDS)
    assert kinds(found) == ["respondent_id"]
    assert found[0].location == "sheet 'Pluimen', cell B3"
    assert found[0].file == str(xlsx)
    assert audit_xlsx(xlsx, min_n=MIN_N) == []  # the audit needs the ids to see them


def test_numeric_ids_only_matched_as_whole_cells_of_tables():
    ids = ["12", "345678"]
    assert kinds(audit_frame(pd.DataFrame({"x": ["12"]}), min_n=MIN_N, respondent_ids=ids)) == ["respondent_id"]
    assert audit_html("<p>12 van de 40</p>", min_n=MIN_N, respondent_ids=ids) == []
    assert kinds(audit_html("<p>id 345678</p>", min_n=MIN_N, respondent_ids=ids)) == ["respondent_id"]


def test_respondent_id_in_html_script_and_header():
    html = "<html><script>var rows = ['R00007'];</script><body><p>ok</p></body></html>"
    assert kinds(audit_html(html, min_n=MIN_N, respondent_ids=IDS)) == ["respondent_id"]
    html = "<table><tr><th>respondent_id</th><th>score</th></tr><tr><td>x</td><td>4</td></tr></table>"
    assert kinds(audit_html(html, min_n=MIN_N)) == ["respondent_id"]


# ---- (d) unredacted e-mail addresses and phone numbers ----------------------------------------


def test_email_in_pluim_text(tmp_path):
    texts = pd.DataFrame({"org": ["A", "A"], "target": ["ict", "hr"],
                          "text": ["Top!", "Mail gerust naar j.jansen@example.nl"]})
    folder = write_prepared(tmp_path / "prepared", pluim_texts=texts)
    found = audit_prepared(folder, min_n=MIN_N)
    assert kinds(found) == ["pii"]
    assert found[0].file.endswith("pluim_texts.parquet")
    assert found[0].location.startswith("row 1, column 'text'")
    assert found[0].detail == "unredacted personal data: 1 e-mail address"  # not repeated


def test_phone_number_in_html_report(tmp_path):
    path = tmp_path / "A.html"
    path.write_text(CLEAN_HTML.replace("Bel [telefoonnummer]", "Bel 070 123 4567"), encoding="utf-8")
    found = audit_html(path, min_n=MIN_N)
    assert kinds(found) == ["pii"]
    assert found[0].file == str(path) and "line " in found[0].location
    assert found[0].detail == "unredacted personal data: 1 phone or other long number"
    assert "070" not in str(found[0])
    assert kinds(audit_html(str(path), min_n=MIN_N)) == ["pii"]


def test_pii_in_html_comment_and_xlsx(tmp_path):
    assert kinds(audit_html("<p>ok</p><!-- mail a.b@c.nl -->", min_n=MIN_N)) == ["pii"]
    sheets = {"Pluimen": [["Tekst"], ["bel +31 6 1234 5678"]]}
    found = audit_xlsx(write_xlsx(tmp_path / "x.xlsx", sheets), min_n=MIN_N)
    assert kinds(found) == ["pii"] and found[0].location == "sheet 'Pluimen', cell A2"


def test_small_count_in_xlsx(tmp_path):
    sheets = {"Respons": [["Afdeling", "n", "Top-2"], ["Staf", 20, 0.8], ["Beleid", 3, 0.7]],
              "Rij": [["Groep", "A", "B"], ["N", 30, "8"]]}
    found = audit_xlsx(write_xlsx(tmp_path / "x.xlsx", sheets), min_n=MIN_N)
    assert sorted(f.location for f in found) == ["sheet 'Respons', cell B3", "sheet 'Rij', cell C2"]
    assert kinds(found) == ["small_count", "small_count"]


# ---- the whole output, the helper, the API ------------------------------------------------------


def test_audit_outputs_finds_every_leak(tmp_path):
    out = tmp_path / "2015"
    texts = pd.DataFrame({"org": ["A"], "target": ["ict"], "text": ["mail j.jansen@example.nl"]})
    write_prepared(out / "prepared", pluim_texts=texts,
                   results=results_frame(units=(("U1", 20, 0.8), ("U2", 16, 0.7), ("U3", 4, 0.5))))
    (out / "A.html").write_text(CLEAN_HTML.replace("<td>25</td>", "<td>3</td>"), encoding="utf-8")
    write_xlsx(out / "A.xlsx", {"Pluimen": [["Tekst"], ["R00009"]]})
    write_xlsx(out / "~$A.xlsx", {"x": [["R00009"]]})  # an Excel lock file: skipped
    from ikto_lib.config import load_settings

    found = audit_outputs(out, load_settings(), respondent_ids=IDS)
    got = {(Path(f.file).name, f.kind) for f in found}
    assert got == {("results.parquet", "small_group"), ("pluim_texts.parquet", "pii"),
                   ("A.html", "small_count"), ("A.xlsx", "respondent_id")}
    with pytest.raises(AssertionError) as err:
        assert_no_leaks(out, min_n=MIN_N, respondent_ids=IDS)
    message = str(err.value)
    assert "4 finding(s)" in message and "A.html" in message and "results.parquet" in message


def test_assert_no_leaks_on_single_files(tmp_path):
    folder = write_prepared(tmp_path / "p")
    assert_no_leaks(folder / "results.parquet")
    html = tmp_path / "a.html"
    html.write_text(CLEAN_HTML, encoding="utf-8")
    assert_no_leaks(html)
    html.write_text("<p>mail a@b.nl</p>", encoding="utf-8")
    with pytest.raises(AssertionError, match="pii"):
        assert_no_leaks(html)
    with pytest.raises(AssertionError, match="small_count"):
        assert_no_leaks(pd.DataFrame({"respondents": [4]}))
    with pytest.raises(ValueError, match="no such"):
        assert_no_leaks(tmp_path / "missing.html")
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(ValueError, match="unknown output type"):
        assert_no_leaks(tmp_path / "x.txt")


def test_unreadable_outputs_are_findings(tmp_path):
    folder = tmp_path / "prepared"
    folder.mkdir()
    (folder / "results.parquet").write_bytes(b"not parquet")
    assert kinds(audit_prepared(folder, min_n=MIN_N)) == ["unreadable"]
    (tmp_path / "a.xlsx").write_bytes(b"not a workbook")
    assert kinds(audit_xlsx(tmp_path / "a.xlsx", min_n=MIN_N)) == ["unreadable"]


def test_finding_str():
    f = Finding("out/A.html", "table 1, row 3, column 'n'", "small_count", "'n' = 3 < min_n = 10 is shown")
    assert str(f) == "out/A.html: table 1, row 3, column 'n': small_count: 'n' = 3 < min_n = 10 is shown"


def test_many_findings_are_capped():
    df = pd.DataFrame({"text": [f"bel 06-1234{i:04d}" for i in range(50)]})
    found = audit_frame(df, min_n=MIN_N)
    assert len(found) == 21 and "30 more" in found[-1].detail


def test_large_clean_frame_passes_and_one_leak_in_it_is_found():
    # its speed is measured in benchmarks, not here
    n = 200_000
    df = pd.DataFrame({"org": np.repeat([f"O{i}" for i in range(40)], n // 40),
                       "word": "hulp", "count": np.arange(n) % 50 + 10})
    assert audit_frame(df, min_n=MIN_N, respondent_ids=IDS) == []
    df.loc[123_456, "word"] = "mail j.jansen@example.nl"
    found = audit_frame(df, min_n=MIN_N, respondent_ids=IDS)
    assert len(found) == 1 and found[0].kind == "pii"


@pytest.mark.parametrize("call,match", [
    (lambda: audit_frame([1, 2], min_n=10), "DataFrame"),
    (lambda: audit_frame(pd.DataFrame(), min_n=0), "min_n"),
    (lambda: audit_frame(pd.DataFrame(), min_n=10, respondent_ids="R00001"), "single string"),
    (lambda: audit_html("no-such-file.html", min_n=10), "no such HTML"),
    (lambda: audit_html(42, min_n=10), "path or HTML"),
    (lambda: audit_xlsx("missing.xlsx", min_n=10), "no such Excel"),
    (lambda: audit_prepared("missing-folder", min_n=10), "not a folder"),
    (lambda: audit_outputs("missing-folder", {"min_n": 10}), "not an output folder"),
    (lambda: audit_outputs(".", {}), "min_n"),
])
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_tables_written_by_pandas(tmp_path):
    df = pd.DataFrame({"Afdeling": ["Staf", "Beleid"], "n": [25, 4], "Top-2": ["82,9%", "–"]})
    found = audit_html(df.to_html(index=False), min_n=MIN_N)
    assert kinds(found) == ["small_count"] and "row 3" in found[0].location
    found = audit_html(df.set_index("Afdeling").style.to_html(), min_n=MIN_N)
    assert kinds(found) == ["small_count"]
    path = tmp_path / "t.xlsx"
    with pd.ExcelWriter(path) as xl:
        df.to_excel(xl, sheet_name="Respons", index=False, startrow=2)
        df.assign(n=[25, 30]).to_excel(xl, sheet_name="Ok")
    found = audit_xlsx(path, min_n=MIN_N)
    assert [f.location for f in found] == ["sheet 'Respons', cell B5"]


def test_hidden_respondents_derivable_from_rate_and_headcount():
    orgs = organisations_frame().assign(response_rate=[0.5, 0.6, 0.5])  # C: 0.5 x 12 = 6
    found = audit_frame(orgs, min_n=MIN_N, table="organisations")
    assert kinds(found) == ["derivable"] and "org=C" in found[0].location
    assert audit_frame(orgs.assign(response_rate=[0.5, 0.6, None]), min_n=MIN_N) == []


def _svg_chart_html(*labels: str) -> str:
    """A page with one chart drawn by the report's own chart code (SVG with live text)."""
    from ikto_lib.report import charts

    with charts.chart_style():
        ax = charts.new_axes(height=2)
        ax.barh(range(len(labels)), [0.5] * len(labels))
        ax.set_yticks(range(len(labels)), labels)
        ax.set_title("Tevredenheid")
        return "<html><body><p>Grafiek</p>" + charts.figure_html(ax, alt="Staafdiagram") + "</body></html>"


def test_chart_texts_are_audited_like_visible_text():
    assert audit_html(_svg_chart_html("ICT (n = 846)", "HR (n = 12)"), min_n=MIN_N) == []
    found = audit_html(_svg_chart_html("ICT (n = 846)", "Staf (n = 4)", "mail a.b@c.nl"), min_n=MIN_N)
    assert sorted(kinds(found)) == ["pii", "small_count"]
    assert all(f.location.startswith("chart 1 (line ") for f in found)
    assert "a.b@c.nl" not in str(found)


def test_unreadable_chart_is_a_finding():
    html = '<img alt="x" src="data:image/svg+xml;base64,PHN2Zz4=">'  # "<svg>": not well-formed
    assert kinds(audit_html(html, min_n=MIN_N)) == ["unreadable"]
