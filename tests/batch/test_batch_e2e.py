"""End to end on a small demo wave with the real report notebook, exporter, tables and audit."""

from __future__ import annotations


import openpyxl
import pandas as pd
import pytest
from bs4 import BeautifulSoup


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory):
    from ikto_lib.demo import generate

    out = tmp_path_factory.mktemp("demo3000")
    generate(out, seed=11, respondents=3000)
    return out


def test_batch_on_demo_waves(small_demo, tmp_path):
    from ikto_lib.batch import run_batch

    orgs = pd.read_csv(small_demo / "2015" / "organisations.csv")["org"].astype(str).tolist()
    first = run_batch(small_demo / "2015", previous=small_demo / "2013", out=tmp_path,
                      orgs=orgs[:3], workers=2, progress=False)
    folder = tmp_path / "2015"
    chosen = {o: first.statuses[o] for o in orgs[:3]}
    for org, st in chosen.items():
        assert st.status in ("ok", "skipped"), (org, st)
        if st.status == "ok":
            html = (folder / f"{org}.html").read_text()
            assert html.rstrip().endswith("</html>") and "Traceback" not in html
            assert (folder / f"{org}.html").stat().st_size < 3_000_000
            wb = openpyxl.load_workbook(folder / f"{org}.xlsx")
            assert all(c.font.bold for c in wb.worksheets[0][1] if c.value is not None)
        else:
            assert not (folder / f"{org}.html").exists()
    assert any(st.status == "ok" for st in chosen.values())
    soup = BeautifulSoup((folder / "index.html").read_text(), "html.parser")
    rows = {tr["data-org"]: tr for tr in soup.select("tbody tr")}
    assert set(rows) == set(orgs)
    for org, st in chosen.items():
        link = rows[org].find("a", href=f"{org}.html")
        assert (link is not None) == (st.status == "ok")
    # the privacy audit ran on every output; its verdict decides the exit status
    assert first.audit_problems == [] and first.exit_code == 0
    assert soup.select_one("#audit")["data-audit"] == ("findings" if first.audit_problems else "passed")
    # an unchanged rerun redoes nothing
    again = run_batch(small_demo / "2015", previous=small_demo / "2013", out=tmp_path,
                      orgs=orgs[:3], workers=2, progress=False)
    assert again.prepared_reused
    assert all(again.statuses[o].status in ("unchanged", "skipped") for o in orgs[:3])
    # ... and its index says so (not "made" at the time of the first run)
    soup = BeautifulSoup((folder / "index.html").read_text(), "html.parser")
    for org in orgs[:3]:
        cell = soup.select_one(f'tr[data-org="{org}"] td[data-status]')
        assert cell["data-status"] == again.statuses[org].status
        if cell["data-status"] == "unchanged":
            assert cell.get_text().startswith("ongewijzigd") and "gemaakt" not in cell.get_text()
