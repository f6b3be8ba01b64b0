"""The organisation's workbook read back with openpyxl: the report's language, human headings,
numbers with number formats, translated verdicts, the dash for suppressed figures, readable sheet
names, a "Lees mij" sheet, no empty columns."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from ikto_lib.batch.excel import workbook_bytes
from ikto_lib.report.excel import excel_tables

RAW_KEYS = {"org", "name", "response_rate", "ci_low", "ci_high", "peer_n_orgs", "n_orgs", "peer_rank", "rank",
            "margin_of_error", "fingerprint", "value", "flag", "benchmark_diff", "quadrant"}
ENGLISH_VERDICTS = {"higher", "lower", "no difference", "not tested"}


@pytest.fixture(scope="module", params=["nl", "en"])
def book(request, fake_prepared):
    data = workbook_bytes(excel_tables(fake_prepared, "WSHDN", language=request.param))
    return request.param, openpyxl.load_workbook(io.BytesIO(data))


def _cells(ws, min_row=1):
    return [c for row in ws.iter_rows(min_row=min_row) for c in row]


def test_readme_first_with_settings_and_definitions(book):
    lang, wb = book
    first = wb.worksheets[0]
    assert first.title == {"nl": "Lees mij", "en": "Read me"}[lang]
    text = {str(c.value) for c in _cells(first) if c.value is not None}
    topics = [first.cell(row=i, column=1).value for i in range(2, first.max_row + 1)]
    want = {"nl": ["Meting", "Weging", "Anonimiteitsdrempel", "Vingerafdruk van de gegevens", "Oordeel"],
            "en": ["Wave", "Weighting", "Anonymity threshold", "Data fingerprint", "Verdict"]}[lang]
    assert set(want) <= set(topics)
    assert any("10" in s for s in text)  # the threshold's value


def test_sheet_names_readable_and_whole_words(book):
    lang, wb = book
    for name in wb.sheetnames:
        assert len(name) <= 31
    if lang == "nl":
        assert "Trend sinds vorige meting" in wb.sheetnames
        assert not any(n.endswith(" me") for n in wb.sheetnames)


def test_no_raw_keys_no_empty_columns_translated_verdicts(book):
    lang, wb = book
    for ws in wb.worksheets:
        heads = [c.value for c in ws[1]]
        assert not RAW_KEYS & {str(h) for h in heads}, (ws.title, heads)
        for j, h in enumerate(heads, start=1):
            values = [ws.cell(row=i, column=j).value for i in range(2, ws.max_row + 1)]
            assert any(v not in (None, "") for v in values), (ws.title, h)
        if lang == "nl":
            texts = {str(c.value).strip().lower() for c in _cells(ws, 2) if isinstance(c.value, str)}
            assert not ENGLISH_VERDICTS & texts, ws.title


def test_number_formats_and_dash(book):
    lang, wb = book
    dom = wb[{"nl": "Domeinen", "en": "Domains"}[lang]]
    heads = [c.value for c in dom[1]]
    share = heads.index({"nl": "Uitkomst", "en": "Result"}[lang]) + 1
    pp = [j + 1 for j, h in enumerate(heads) if re.search(r"%-punt|\(pp\)", str(h))]
    assert pp
    values = [dom.cell(row=i, column=share) for i in range(2, dom.max_row + 1)]
    numbers = [c for c in values if isinstance(c.value, float)]
    assert numbers and all(c.number_format == "0.0%" and 0 <= c.value <= 1 for c in numbers)
    for j in pp:  # points: a number with one decimal, never formatted as a percentage
        cells = [dom.cell(row=i, column=j) for i in range(2, dom.max_row + 1)]
        nums = [c for c in cells if isinstance(c.value, (int, float))]
        assert nums and all(c.number_format == "0.0" for c in nums)
        assert any(abs(c.value) > 1 for c in nums)
    units = wb[{"nl": "Organisatieonderdelen", "en": "Units"}[lang]]
    dash = [c for c in _cells(units, 2) if c.value == "–"]
    assert dash  # the fake's small units: the report's dash, and the note below the table
    notes = [c.value for c in _cells(units, 2) if isinstance(c.value, str) and c.value.startswith("– =")]
    assert notes


def test_no_cell_is_a_formula(book):
    _, wb = book
    assert not [c for ws in wb.worksheets for c in _cells(ws) if c.data_type == "f"]
