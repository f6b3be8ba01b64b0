"""End to end: papermill executes notebooks/benchmark_report.ipynb on real prepared results of a
small demo wave (three organisations in Dutch, one in English) and nbconvert exports it; the HTML
is parsed (BeautifulSoup) and audited for privacy."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup, Comment

from ikto_lib.audit import chart_texts
from ikto_lib.report.i18n import SECTION_IDS

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "benchmark_report.ipynb"
MAX_BYTES = 3 * 1024 * 1024
FORBIDDEN = ("Traceback", "Error", "Warning", "warn(", "<Figure", "<Axes", "AxesSubplot", "matplotlib.", "Out[",
             "In [", "In&nbsp;[", "dtype", "DataFrame", "Section(", "NaN", "nan%", "None", "<NA>", "import ",
             "report_config", "sections.", "ipykernel", "stderr")

pytestmark = pytest.mark.slow


def soup_of(path) -> BeautifulSoup:
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")


def visible_text(soup: BeautifulSoup) -> str:
    return soup.body.get_text(" ")


# ---- the notebook itself ---------------------------------------------------------------------
def test_notebook_is_committed_thin_and_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and params[0] is code[0]
    for name, typ in (("org", "str"), ("wave", "str"), ("previous_wave", "str"), ("language", "str"),
                      ("prepared", "str"), ("min_n", "int"), ("name_peers", "bool")):
        assert re.search(rf"^{name}: {typ} = .+  # \w", params[0].source, re.MULTILINE), name
    assert "report_config(" in code[1].source
    calls = [c.source.strip() for c in code[2:]]
    expected = [f"sections.{s}(cfg)" for s in SECTION_IDS]
    expected.insert(expected.index("sections.units(cfg)") + 1, "unit.links(cfg, unit_reports)")
    assert calls == expected  # the unit reports' links (ikto batch --units) after the units
    assert not any("def " in c.source or "sys.path" in c.source or "warnings" in c.source for c in code)


# ---- executed reports ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def reports(rendered):
    return rendered


def test_executed_notebooks_have_no_errors_or_stderr(reports):
    for key, r in reports.items():
        nb = nbformat.read(r["notebook"], as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                assert out["output_type"] != "error", key
                assert not (out["output_type"] == "stream" and out.get("name") == "stderr"), (key, out.get("text"))


def test_ten_sections_in_order_linked_from_the_toc(reports):
    for key, r in reports.items():
        soup = soup_of(r["html"])
        order = [s["data-section"] for s in soup.find_all("section", attrs={"data-section": True})]
        assert order == list(SECTION_IDS), key
        for sid in SECTION_IDS:
            target = soup.find(id=sid)
            assert target is not None and target.name in ("h1", "h2"), (key, sid)
        toc = [a["href"] for a in soup.select("nav.toc a")]
        assert toc == [f"#{s}" for s in SECTION_IDS], key
        assert soup.find("nav", class_="toc").find_previous("h1", id="cover") is not None  # TOC at the top


def test_images_have_alt_text_and_tables_header_cells(reports):
    for key, r in reports.items():
        soup = soup_of(r["html"])
        imgs = soup.find_all("img")
        assert len(imgs) >= 5, key  # overall, domains, priorities, trend, units, pluimen
        for img in imgs:
            assert (img.get("alt") or img.get("title") or "").strip(), key
            assert img["src"].startswith("data:image/svg+xml;base64,"), key  # embedded: one file
        for svg in soup.find_all("svg"):
            assert svg.find("title") is not None or svg.get("aria-label"), key
        tables = soup.find_all("table")
        assert tables, key
        for table in tables:
            assert table.find("th") is not None, key


def test_no_code_tracebacks_warnings_or_reprs(reports):
    for key, r in reports.items():
        soup = soup_of(r["html"])
        assert not soup.find_all("script")
        assert not soup.select(".input, .input_area, .prompt")
        assert not any(isinstance(c, Comment) for c in soup.find_all(string=True) if "Traceback" in c)
        text = visible_text(soup)
        charts_text = " ".join(x for _, x in chart_texts(soup))
        assert "%" in charts_text and "(n = " in charts_text  # the charts' own texts are read too
        for bad in FORBIDDEN:
            assert bad not in text, (key, bad)
            assert bad not in charts_text, (key, "chart", bad)
        raw = Path(r["html"]).read_text(encoding="utf-8")
        for bad in ("<Figure", "Out[", "<AxesSubplot", "matplotlib.", "Traceback", "output_stderr"):
            assert bad not in raw, (key, bad)


PCT_NL, PCT_EN = re.compile(r"\d+,\d%"), re.compile(r"\d+\.\d%")


def test_numbers_in_the_report_locale(reports):
    for (org, lang), r in reports.items():
        soup = soup_of(r["html"])
        text = visible_text(soup)
        right, wrong = (PCT_NL, PCT_EN) if lang == "nl" else (PCT_EN, PCT_NL)
        assert len(right.findall(text)) > 20, org
        assert not wrong.findall(text), (org, wrong.findall(text)[:5])
        assert soup.html["lang"] == lang
        summary = soup.find("section", attrs={"data-section": "summary"}).get_text(" ")
        grade = re.search(r"(gemiddeld een|average grade of) (\d+[.,]\d)", summary)
        assert grade and ("," in grade.group(2)) == (lang == "nl"), summary[:200]


def test_language(reports):
    nl = visible_text(soup_of(reports[("MINVENJ", "nl")]["html"]))
    en = visible_text(soup_of(reports[("PV-GLD", "en")]["html"]))
    assert "Samenvatting" in nl and "Methode en respons" in nl and "Summary" not in nl
    assert "Summary" in en and "Methods and response" in en and "Samenvatting" not in en


def test_summary_names_exactly_the_flagged_domains(reports, small_prepared):
    """Checked against the prepared results themselves: every domain flagged against the benchmark
    is named in the summary, and no unflagged one is called higher or lower."""
    import pandas as pd

    from ikto_lib.config import Instrument
    from ikto_lib.prepared import Prepared

    p = Prepared(small_prepared)
    inst = Instrument.model_validate(p.manifest["instrument"])
    r = p.results
    for (org, lang), rep in reports.items():
        d = r[(r["org"] == org) & (r["unit"] == "") & (r["breakdown"] == "") & (r["item"] == "")
              & (r["domain"] != "") & (r["measure"] == "top2") & (r["comparison"] == "benchmark")]
        summary = soup_of(rep["html"]).find("section", attrs={"data-section": "summary"})
        items = [li.get_text(" ") for li in summary.find_all("li")]
        for flag, head in (("higher", ("Hoger dan de benchmark:", "Higher than the benchmark:")),
                           ("lower", ("Lager dan de benchmark:", "Lower than the benchmark:"))):
            line = next((x for x in items if x.startswith(head)), "")
            for _, row in d.iterrows():
                name = inst.domain_name(row["domain"], lang)
                assert (name in line) == (row["flag"] == flag), (org, flag, name, line)
        if not d["flag"].isin(["higher", "lower"]).any():
            assert any("geen enkel domein" in x or "On no domain" in x for x in items), org
        assert not pd.isna(d["value"]).all()


def test_planted_catering_effect_is_found(reports):
    # demo README: MINVENJ's catering is about 25 points below the benchmark (large enough to be
    # flagged even in the small demo wave)
    s = soup_of(reports[("MINVENJ", "nl")]["html"]).find("section", attrs={"data-section": "summary"}).get_text(" ")
    assert re.search(r"Lager dan de benchmark: [^.]*Catering", s)


def test_privacy_audit_passes(reports, small_prepared):
    from ikto_lib.audit import audit_html

    for (org, lang), r in reports.items():
        findings = audit_html(r["html"], min_n=10)
        assert findings == [], (org, lang, findings[:5])


def test_unit_below_threshold_is_marked_not_shown(reports):
    soup = soup_of(reports[("MINBZK", "nl")]["html"])
    units = soup.find("section", attrs={"data-section": "units"})
    assert "Bureau Integriteit" in units.get_text(" ")  # planted: 4 respondents, named as not shown
    assert "(n = 4)" not in units.get_text(" ")
    methods = soup.find("section", attrs={"data-section": "methods"})
    row = [tr for tr in methods.find_all("tr") if tr.th and tr.th.get_text() == "Bureau Integriteit"]
    assert row and row[0].find_all("td")[1].get_text() == "–"  # respondents: a dash


def test_size_below_three_megabytes(reports):
    for key, r in reports.items():
        assert Path(r["html"]).stat().st_size < MAX_BYTES, key


def test_render_report_refuses_an_unknown_organisation_fast(small_prepared, tmp_path):
    from ikto_lib.report import ReportError
    from ikto_lib.report.run import render_report

    with pytest.raises(ReportError, match="unknown organisation"):
        render_report("NOPE", small_prepared, tmp_path / "x.html")
    assert not list(tmp_path.iterdir())  # nothing written
