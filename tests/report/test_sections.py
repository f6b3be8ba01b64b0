"""Sections, configuration and Excel tables on synthetic prepared folders (tests/fakeprepared.py):
the edge cases the demo does not reliably hold (no previous wave, peer group too small, nothing
flagged, whole units suppressed, name_peers)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from ikto_lib.report import ReportError, report_config, sections
from ikto_lib.report.excel import excel_tables
from ikto_lib.report.fmt import DASH
from ikto_lib.report.i18n import SECTION_IDS


def soup_of(section) -> BeautifulSoup:
    return BeautifulSoup(section._repr_html_(), "html.parser")


def text_of(section) -> str:
    return soup_of(section).get_text(" ")


# ---- configuration ---------------------------------------------------------------------------
def test_report_config_validates(fake_prepared):
    cfg = report_config("MINBZK", prepared=fake_prepared, wave="2015", previous_wave="2013", language="en", min_n=10)
    assert (cfg.org, cfg.wave, cfg.previous_wave, cfg.language, cfg.min_n, cfg.name_peers) == \
        ("MINBZK", "2015", "2013", "en", 10, False)
    assert cfg.org_name.startswith("Ministerie van Binnenlandse Zaken")
    with pytest.raises(ReportError, match=r"unknown organisation 'MINBZX'.*did you mean MINBZK"):
        report_config("MINBZX", prepared=fake_prepared)
    with pytest.raises(ReportError, match="fewer than 10 respondents: no report"):
        report_config("GEMXS", prepared=fake_prepared)
    with pytest.raises(ReportError, match="min_n=15 differs"):
        report_config("MINBZK", prepared=fake_prepared, min_n=15)
    with pytest.raises(ReportError, match="of wave '2015', not '2013'"):
        report_config("MINBZK", prepared=fake_prepared, wave="2013")
    with pytest.raises(ReportError, match="previous wave '2011' was not prepared"):
        report_config("MINBZK", prepared=fake_prepared, previous_wave="2011")
    with pytest.raises(ReportError, match="use one of: nl, en"):
        report_config("MINBZK", prepared=fake_prepared, language="fr")
    with pytest.raises(ReportError, match="manifest.json missing"):
        report_config("MINBZK", prepared=fake_prepared.parent / "nowhere")
    assert report_config("MINBZK", prepared=fake_prepared, previous_wave="").previous_wave is None


# ---- every section ---------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_section_has_its_heading_id(fake_prepared, lang):
    cfg = report_config("WSHDN", prepared=fake_prepared, language=lang)
    for sid in SECTION_IDS:
        s = sections.SECTIONS[sid](cfg)
        assert s.id == sid
        soup = soup_of(s)
        assert soup.find(id=sid) is not None and soup.find(id=sid).name in ("h1", "h2")
        for img in soup.find_all("img"):
            assert img.get("alt", "").strip()
        for table in soup.find_all("table"):
            assert table.find("th") is not None
    cover = soup_of(sections.cover(cfg))
    assert [a["href"] for a in cover.select("nav.toc a")] == [f"#{s}" for s in SECTION_IDS]


def test_cover_key_figures(fake_prepared):
    cfg = report_config("MINBZK", prepared=fake_prepared)
    txt = text_of(sections.cover(cfg))
    assert "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties" in txt
    assert "Meting 2015" in txt
    assert "1.600" in txt and "4.000" in txt and "40,0%" in txt  # respondents, headcount, response rate
    assert "procentpunt" in txt and "ja" in txt
    assert "ffffffffffffffff" in txt and "ikto 0.1.0" in txt


# ---- edge cases ------------------------------------------------------------------------------
def test_no_previous_wave(fake_prepared_noprev):
    for lang, note in (("nl", "Er is geen vorige meting om mee te vergelijken."),
                       ("en", "There is no previous wave to compare with.")):
        cfg = report_config("MINBZK", prepared=fake_prepared_noprev, language=lang)
        assert cfg.previous_wave is None
        assert note in text_of(sections.summary(cfg))
        trend = sections.trend(cfg)
        assert note in text_of(trend) and soup_of(trend).find("img") is None
        assert "Vorige" not in text_of(sections.domains(cfg)) and "Previous" not in text_of(sections.domains(cfg))


def test_previous_wave_switched_off(fake_prepared):
    cfg = report_config("MINBZK", prepared=fake_prepared, previous_wave="")
    assert "Er is geen vorige meting" in text_of(sections.trend(cfg))


def test_peer_group_too_small(fake_prepared):
    cfg = report_config("PRVUT", prepared=fake_prepared)  # the only province
    assert not cfg.peers_available
    msg = "Een vergelijking met andere provincies is niet mogelijk: die groep telt minder dan 3 organisaties."
    assert msg in text_of(sections.summary(cfg))
    assert msg in text_of(sections.overall(cfg))
    assert "Vergelijkbaar" not in [th.get_text() for th in soup_of(sections.overall(cfg)).find_all("th")]
    en = report_config("PRVUT", prepared=fake_prepared, language="en")
    assert "No comparison with other provinces is possible" in text_of(sections.summary(en))


def test_nothing_flagged(fake_prepared_flat):
    cfg = report_config("MINBZK", prepared=fake_prepared_flat)
    txt = text_of(sections.summary(cfg))
    assert "Op geen enkel domein wijkt het aandeel (zeer) tevreden wezenlijk af van de benchmark." in txt
    assert "Sinds 2013 is het aandeel (zeer) tevreden per domein niet wezenlijk veranderd." in txt
    assert " hoger " not in f" {txt} " and " lager " not in f" {txt} "


def test_suppressed_cells_show_a_dash_and_no_small_n(fake_prepared):
    cfg = report_config("ZBOKLN", prepared=fake_prepared)  # 24 respondents: many items suppressed
    soup = soup_of(sections.domains(cfg))
    dashed = soup.find_all("td", class_="suppressed")
    assert dashed and all(td.get_text() == DASH for td in dashed)
    assert "minder dan 10 antwoorden" in soup.get_text()
    for table in soup.find_all("table"):
        heads = [th.get_text() for th in table.thead.find_all("th")]
        col = heads.index("n")
        for row in table.tbody.find_all("tr"):
            cell = row.find_all(["th", "td"])[col].get_text()
            assert cell == DASH or int(cell.replace(".", "")) >= 10


def test_units_with_a_unit_under_the_threshold(fake_prepared):
    cfg = report_config("WSHDN", prepared=fake_prepared)
    vals, sup = sections.unit_matrix(cfg)
    # Laboratorium (3 respondents) and, complementary, Staf (12) are suppressed entirely
    assert sup.loc["Laboratorium"].all() and sup.loc["Staf"].all()
    assert vals.loc["Laboratorium"].isna().all()
    assert "Beheer (n = 80)" in vals.index and "Staf" in vals.index  # no n for hidden units
    txt = text_of(sections.units(cfg))
    assert "Laboratorium en Staf" in txt  # named, not silently dropped
    html = sections.units(cfg).html
    assert "(n = 3)" not in html and "(n = 12)" not in html


def test_ranking_is_anonymous_unless_name_peers(fake_prepared):
    others = ["Ministerie van Financiën", "Ministerie van Onderwijs", "MINFIN", "MINOCW", "MINVWS"]
    cfg = report_config("MINBZK", prepared=fake_prepared)
    txt = " ".join(text_of(sections.SECTIONS[s](cfg)) for s in SECTION_IDS)
    assert not any(o in txt for o in others)
    named = report_config("MINBZK", prepared=fake_prepared, name_peers=True)
    rk = text_of(sections.ranking(named))
    assert "Ministerie van Financiën" in rk and "Volgorde binnen vergelijkbare organisaties" in rk


def test_excel_tables_one_sheet_per_section_same_anonymity(fake_prepared):
    tables = excel_tables(fake_prepared, "WSHDN", language="nl")
    from ikto_lib.batch.excel import sheet_names

    assert list(tables) == ["Lees mij", "Kerngegevens", "Samenvatting", "Totaaloordeel", "Domeinen", "Prioriteiten",
                            "Trend sinds vorige meting", "Organisatieonderdelen",
                            "Positie tussen organisaties", "Pluimen", "Methode en respons"]
    assert sheet_names(list(tables)) == list(tables)  # all within Excel's 31 characters
    units = tables["Organisatieonderdelen"].set_index("Onderdeel")
    assert units.loc["Laboratorium"].isna().all() and units.loc["Staf"].isna().all()
    resp = tables["Methode en respons"]
    assert resp["Respondenten"].dropna().min() >= 10
    assert resp.loc[resp["Onderdeel"] == "Laboratorium", "Respons"].isna().all()
    for frame in tables.values():
        if "n" in frame.columns:
            n = frame["n"].dropna()
            assert (n >= 10).all()
    en = excel_tables(fake_prepared, "WSHDN", language="en")
    assert list(en)[0] == "Read me" and "Methods and response" in en


def test_sections_hold_no_python_reprs(fake_prepared):
    cfg = report_config("ZBOKLN", prepared=fake_prepared, language="en")
    html = "".join(sections.SECTIONS[s](cfg).html for s in SECTION_IDS)
    for bad in ("nan%", ">nan<", "None", "<NA>", "NaT", "<Figure", "<Axes", "dtype", "Traceback"):
        assert bad not in html, bad
    assert repr(sections.cover(cfg)) == "Section('cover')"


def test_manifest_of_the_fake_follows_the_schema(fake_prepared):
    m = json.loads((fake_prepared / "manifest.json").read_text())
    assert {"wave", "previous_wave", "settings", "instrument", "fingerprint", "ikto_version", "created"} <= set(m)
    from ikto_lib.prepared import RESULTS_COLUMNS, Prepared

    r = Prepared(fake_prepared).results
    assert list(r.columns) == RESULTS_COLUMNS
    sup = r[r["flag"] == "suppressed"]
    assert sup[["n", "value", "ci_low", "ci_high"]].isna().all().all()
    assert np.isin(r["flag"].unique(), ["", "higher", "lower", "no difference", "not tested", "suppressed"]).all()


def test_excel_tables_mark_percent_columns(fake_prepared):
    tables = excel_tables(fake_prepared, "WSHDN", language="nl")
    domains = next(v for k, v in tables.items() if k.startswith("Domeinen"))
    pct = domains.attrs["percent_columns"]
    assert pct and set(pct) <= set(domains.columns)
    for col in pct:  # proportions: within [-1, 1]
        v = pd.to_numeric(domains[col], errors="coerce").dropna()
        assert ((v >= -1) & (v <= 1)).all(), col
    assert "Gemiddelde" not in pct and not any("gemiddeld" in c.lower() for c in pct)
