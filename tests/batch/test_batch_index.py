"""index.html: every organisation, its key figures, its link and the status of its run."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from ikto_lib.batch.index import RowStatus, index_html, key_figures
from ikto_lib.prepared import Prepared


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    from tests.fakeprepared import write_fake_prepared

    return Prepared(write_fake_prepared(tmp_path_factory.mktemp("prep") / "prepared"))


def page(prepared, tmp_path, language="nl", **kw):
    figures = key_figures(prepared.organisations, prepared.results)
    (tmp_path / "MINBZK.html").write_text("x")
    (tmp_path / "MINBZK.xlsx").write_text("x")
    (tmp_path / "group.html").write_text("x")
    (tmp_path / "MINFIN.html").write_text("stale")  # failed: must not be linked
    statuses = {
        "MINBZK": RowStatus("ok"), "MINFIN": RowStatus("failed", "ValueError: boom"),
        "GEMXS": RowStatus("skipped", "te weinig respondenten (minder dan 10)"),
        "PRVUT": RowStatus("unchanged"),
    }
    html = index_html(figures, statuses, wave="2015", language=language, min_n=10,
                      folder=tmp_path, group=RowStatus("ok"), **kw)
    return BeautifulSoup(html, "html.parser")


def row(soup, org):
    return soup.select_one(f'tr[data-org="{org}"]')


def test_every_organisation_with_status_and_link(prepared, tmp_path):
    soup = page(prepared, tmp_path)
    orgs = [tr["data-org"] for tr in soup.select("tbody tr")]
    assert sorted(orgs) == sorted(prepared.organisations["org"].astype(str))
    ok = row(soup, "MINBZK")
    assert ok.find("a", href="MINBZK.html") and ok.find("a", href="MINBZK.xlsx")
    assert ok.select_one("td[data-status]").get_text() == "gemaakt"
    failed = row(soup, "MINFIN")
    assert failed.find("a") is None
    assert failed.select_one("td[data-status]").get_text() == "mislukt: ValueError: boom"
    skipped = row(soup, "GEMXS")
    assert "overgeslagen: te weinig respondenten" in skipped.get_text()
    assert row(soup, "PRVUT").find("a") is None  # unchanged but its file is not there
    assert soup.select_one("#group a")["href"] == "group.html"
    assert soup.find("th", scope="col") and soup.find("th", scope="row")
    assert not soup.select("script[src], link, img[src^=http]")  # self-contained: inline script only
    assert "@media print" in soup.style.string


def test_key_figures_in_the_locale_and_suppressed_as_dash(prepared, tmp_path):
    soup = page(prepared, tmp_path)
    orgs = prepared.organisations.set_index("org")
    cells = [td.get_text() for td in row(soup, "MINBZK").find_all("td")]
    n = int(orgs.loc["MINBZK", "respondents"])
    assert cells[2] == f"{n:,}".replace(",", ".")
    assert cells[3].endswith("%") and "," in cells[3]  # e.g. 40,0%
    figures = key_figures(prepared.organisations, prepared.results).set_index("org")
    assert cells[4] == f"{figures.loc['MINBZK', 'grade']:.1f}".replace(".", ",")
    gemxs = [td.get_text() for td in row(soup, "GEMXS").find_all("td")]
    assert gemxs[2:7] == ["–"] * 5  # below the threshold: nothing shown


def test_english_page_and_audit_notice(prepared, tmp_path):
    soup = page(prepared, tmp_path, language="en",
                audit_problems=["MINBZK.html: e-mail address in pluim text"])
    assert soup.html["lang"] == "en"
    assert "failed: ValueError: boom" in row(soup, "MINFIN").get_text()
    assert "Privacy audit: 1 problem(s)" in soup.select_one("#audit").get_text()
    cells = [td.get_text() for td in row(soup, "MINBZK").find_all("td")]
    assert re.fullmatch(r"\d+\.\d%", cells[3]), cells[3]  # e.g. 40.0%


def test_suppressed_estimates_are_not_shown(prepared):
    res = prepared.results.copy()
    mask = (res["org"] == "MINBZK") & (res["measure"] == "grade_mean")
    res.loc[mask, "flag"] = "suppressed"
    res.loc[mask, "value"] = float("nan")
    figures = key_figures(prepared.organisations, res).set_index("org")
    assert pd.isna(figures.loc["MINBZK", "grade"])


@pytest.mark.parametrize("language,label", [("nl", "ingetrokken"), ("en", "withdrawn")])
def test_withdrawn_report_is_not_linked_and_says_why(prepared, tmp_path, language, label):
    figures = key_figures(prepared.organisations, prepared.results)
    (tmp_path / "MINBZK.html").write_text("x")  # even a file left in place is not linked
    statuses = {"MINBZK": RowStatus("withdrawn", "privacy audit: 2 finding(s) (pii)"),
                "MINFIN": RowStatus("ok")}
    soup = BeautifulSoup(index_html(figures, statuses, wave="2015", language=language, min_n=10,
                                    folder=tmp_path), "html.parser")
    tr = row(soup, "MINBZK")
    assert tr.find("a") is None
    cell = tr.select_one("td[data-status]")
    assert cell["data-status"] == "withdrawn" and "status-withdrawn" in cell["class"]
    assert cell.get_text() == f"{label}: privacy audit: 2 finding(s) (pii)"
    assert re.search(r"\d+ ok, 1 (mislukt|failed)", soup.get_text())  # counted with the failed


def test_operator_page_notice_audit_settings_log_and_sorting(prepared, tmp_path):
    (tmp_path / "logs").mkdir()
    log = tmp_path / "logs" / "batch-1.log"
    log.write_text("x")
    soup = page(prepared, tmp_path, audited=42, weighting=True, seconds=61.5, log_file=log)
    assert "Niet voor verspreiding" in soup.select_one("#not-for-distribution").get_text()
    audit = soup.select_one("#audit")
    assert audit["data-audit"] == "passed" and "geslaagd" in audit.get_text() and "42" in audit.get_text()
    settings = soup.select_one("#settings").get_text(" ")
    assert "n ≥ 10" in settings and "gewogen naar personeelsomvang" in settings and "Nederlands" in settings
    assert "61,5" in settings
    assert soup.select_one("#settings a")["href"] == "logs/batch-1.log"
    # the link's text is a word: a log's time-stamped name reads as a long number to the audit
    from ikto_lib.audit import audit_html

    log2 = tmp_path / "logs" / "batch-20261129-143446-232015.log"
    log2.write_text("x")
    named = page(prepared, tmp_path, audited=42, log_file=log2)
    assert not [f for f in audit_html(str(named), min_n=10) if f.kind == "pii"]
    # sortable offline: every header a button, numeric cells carry a sort key, the script inline
    assert len(soup.select("table#orgs thead th button")) == len(soup.select("table#orgs thead th"))
    script = soup.find("script")
    assert script and not script.get("src") and "sort" in script.string
    minbzk = row(soup, "MINBZK")
    assert all(td.get("data-sort") is not None for td in minbzk.select("td.num"))


def test_unchanged_rerun_says_unchanged(prepared, tmp_path):
    soup = page(prepared, tmp_path, language="en")
    cell = row(soup, "PRVUT").select_one("td[data-status]")
    assert cell["data-status"] == "unchanged" and cell.get_text().startswith("unchanged")
    assert "made" not in cell.get_text()
    assert soup.select_one("#audit")["data-audit"] == "pending"
    assert "Not for distribution" in soup.get_text()
