"""Excel workbooks: one sheet per section, bold header, widths, percentages as numbers."""

from __future__ import annotations

import openpyxl
import pandas as pd

from ikto_lib.batch.excel import percent_columns, sheet_names, write_workbook


def test_workbook_formatting(tmp_path):
    domains = pd.DataFrame({"domein": ["ICT", "Facilitaire dienstverlening"], "n": [120, 8],
                            "top2": [0.829, None], "gemiddelde": [3.91, None],
                            "verschil": ["+5,1%", "–"]})
    response = pd.DataFrame({"eenheid": ["Beleid"], "respons": ["47,5%"]})
    size = write_workbook({"Domeinen": domains, "Respons en representativiteit": response},
                          tmp_path / "A.xlsx")
    assert size == (tmp_path / "A.xlsx").stat().st_size
    wb = openpyxl.load_workbook(tmp_path / "A.xlsx")
    assert wb.sheetnames == ["Domeinen", "Respons en representativiteit"]
    ws = wb["Domeinen"]
    assert [c.value for c in ws[1]] == ["domein", "n", "top2", "gemiddelde", "verschil"]
    assert all(c.font.bold for c in ws[1])
    assert ws["C2"].value == 0.829 and ws["C2"].number_format == "0.0%"
    assert ws["C3"].value is None  # suppressed stays empty, not 0
    assert ws["D2"].number_format == "General"  # a mean is not a percentage
    assert ws["E2"].value == 0.051 and ws["E2"].number_format == "0.0%"  # text "+5,1%" -> number
    assert ws["E3"].value == "–"
    assert ws.column_dimensions["A"].width >= len("Facilitaire dienstverlening")
    assert ws.freeze_panes == "A2"
    r = wb["Respons en representativiteit"]
    assert r["B2"].value == 0.475 and r["B2"].number_format == "0.0%"


def test_percent_columns_can_be_declared_by_the_table():
    t = pd.DataFrame({"waarde": [0.5, 0.7], "n": [10, 20]})
    assert percent_columns(t) == []
    t.attrs["percent_columns"] = ["waarde"]
    assert percent_columns(t) == ["waarde"]


def test_sheet_names_are_valid_and_unique():
    names = sheet_names(["A/B: [x]", "A/B: [x]", "x" * 40, ""])
    assert names[0] == "A B x" and names[1].endswith("(2)")
    assert all(len(n) <= 31 for n in names) and len(set(names)) == 4


def test_long_sheet_names_are_abbreviated_by_rule_without_cut_words():
    from ikto_lib.batch.excel import short_sheet_name

    long = ["Ontwikkeling sinds de vorige meting", "Ranking among organisations of the same type and size",
            "Respons en representativiteit van de organisatieonderdelen"]
    for name, short in zip(long, sheet_names(long)):
        assert len(short) <= 31
        assert set(short.split()) <= set(name.split())  # whole words of the title only
    assert short_sheet_name("Ontwikkeling sinds de vorige meting") == "Ontwikkeling sinds vorige"
    assert sheet_names(["Domeinen"]) == ["Domeinen"]  # short titles untouched


def test_declared_formats_dash_and_notes(tmp_path):
    t = pd.DataFrame({"Domein": ["ICT", "Catering"], "Aandeel": [0.829, None], "Verschil (%-punt)": [5.1, None],
                      "Gem.": [3.914, None]})
    t.attrs.update(number_formats={"Aandeel": "0.0%", "Verschil (%-punt)": "0.0", "Gem.": "0.00"},
                   suppressed=[[1, "Aandeel"], [1, "Verschil (%-punt)"], [1, "Gem."]],
                   notes=["– = niet getoond"])
    write_workbook({"Domeinen": t}, tmp_path / "B.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "B.xlsx")["Domeinen"]
    assert ws["B2"].number_format == "0.0%" and ws["C2"].number_format == "0.0" and ws["C2"].value == 5.1
    assert ws["D2"].number_format == "0.00"
    assert [ws.cell(row=3, column=j).value for j in (2, 3, 4)] == ["–"] * 3
    assert ws["A5"].value == "– = niet getoond"
