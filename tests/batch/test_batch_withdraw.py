"""A report with a privacy audit finding is withdrawn: moved aside, not linked, the index says why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from ikto_lib.batch.run import _audit as AUDIT  # the real audit (the fixture stubs it)
from tests.batch import batchstubs

pytestmark = pytest.mark.slow

LEAKY = {"MINBZK": "html", "MINFIN": "xlsx"}  # which output of which organisation leaks


def export_leaky(nb, *, title: str) -> str:
    """The stub report; MINBZK's shows a disguised e-mail address (the redaction was bypassed)."""
    page = batchstubs.export(nb, title=title)
    if "Binnenlandse" in title:
        page = page.replace("<body>", "<body><p>Mail jan [at] minbzk [dot] nl</p>", 1)
    return page


def tables_leaky(prepared: str, org: str, *, language: str):
    """The stub workbook; MINFIN's has a pluim with a phone number hidden by a zero-width space."""
    import pandas as pd

    out = batchstubs.tables(prepared, org, language=language)
    if org == "MINFIN":
        out["Pluimen"] = pd.DataFrame({"tekst": ["Top! Bel 06\u200b12345678"]})
    return out


def rows(folder: Path) -> dict:
    soup = BeautifulSoup((folder / "index.html").read_text(), "html.parser")
    return {tr["data-org"]: tr for tr in soup.select("tbody tr")}


def test_report_with_a_finding_is_withdrawn(stub_batch, monkeypatch):
    import ikto_lib.batch.run as run

    monkeypatch.setattr(run, "_audit", AUDIT)
    here = "tests.batch.test_batch_withdraw"
    leak = stub_batch.run(in_process=True, exporter=f"{here}:export_leaky",
                          tables=f"{here}:tables_leaky")
    folder = stub_batch.folder
    assert leak.exit_code == 1
    st = {org: s.status for org, s in leak.statuses.items()}
    assert st["MINBZK"] == "withdrawn" and st["MINFIN"] == "withdrawn"
    assert all(s == "ok" for org, s in st.items() if org not in LEAKY and s != "skipped")
    assert "pii" in leak.statuses["MINBZK"].reason and "1 bevinding" in leak.statuses["MINBZK"].reason
    # both files of a withdrawn organisation are moved aside, the others stay
    for org in LEAKY:
        assert not (folder / f"{org}.html").exists() and not (folder / f"{org}.xlsx").exists()
        assert (folder / "withdrawn" / f"{org}.html").is_file()
        assert (folder / "withdrawn" / f"{org}.xlsx").is_file()
    assert (folder / "MINOCW.html").is_file() and (folder / "MINOCW.xlsx").is_file()
    # the index: status "ingetrokken" with the reason, no link; the others linked as ok
    index = rows(folder)
    for org in LEAKY:
        cell = index[org].select_one("[data-status]")
        assert cell["data-status"] == "withdrawn"
        assert cell.get_text().startswith("ingetrokken: privacycontrole: 1 bevinding(en) (pii)")
        assert not index[org].select("a")
    assert index["MINOCW"].select_one("[data-status]")["data-status"] == "ok"
    assert [a["href"] for a in index["MINOCW"].select("a")] == ["MINOCW.html", "MINOCW.xlsx"]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert not set(LEAKY) & set(manifest["reports"]) and "MINOCW" in manifest["reports"]
    log = leak.log_file.read_text()
    assert "MINBZK withdrawn" in log and "minbzk [dot]" not in log and "12345678" not in log
    assert "2 withdrawn" in log  # in the summary

    # the withdrawn copies are not audited again; fixed reports are made again and linked
    clean = stub_batch.run(in_process=True)
    assert all(p.kind != "pii" for p in clean.audit_problems)  # (the fake prepared tables are
    st = {org: s.status for org, s in clean.statuses.items()}  # not audit-proof: not asserted)
    assert st["MINBZK"] == "ok" and st["MINFIN"] == "ok"
    assert not any("withdrawn" in str(getattr(p, "file", p)) for p in clean.audit_problems)
    assert (folder / "MINBZK.html").is_file() and (folder / "MINFIN.xlsx").is_file()
    assert [a["href"] for a in rows(folder)["MINBZK"].select("a")] == ["MINBZK.html", "MINBZK.xlsx"]
