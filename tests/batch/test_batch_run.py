"""run_batch end to end with stub reports: faults contained, atomic outputs, incremental reruns."""

from __future__ import annotations

import importlib.machinery
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import types
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup

from tests.batch.batchstubs import END, write_faults
from ikto_lib.config import load_settings

HERE = Path(__file__).parent
ELIGIBLE = ["MINBZK", "MINFIN", "MINOCW", "MINVWS", "PRVUT", "WSHDN", "ZBOKLN"]


def statuses(result):
    return {org: s.status for org, s in result.statuses.items()}


def index_rows(folder: Path) -> dict[str, BeautifulSoup]:
    soup = BeautifulSoup((folder / "index.html").read_text(), "html.parser")
    return {tr["data-org"]: tr for tr in soup.select("tbody tr")}


def assert_no_partial_outputs(folder: Path) -> None:
    assert not list(folder.glob(".*.part")) and not list(folder.glob("logs/.*.part"))
    for html in folder.glob("*.html"):
        if html.name != "index.html":
            assert html.read_text().endswith(END), html
    for xlsx in folder.glob("*.xlsx"):
        openpyxl.load_workbook(xlsx)
    if (folder / "manifest.json").exists():
        json.loads((folder / "manifest.json").read_text())
    if (folder / "index.html").exists():
        assert (folder / "index.html").read_text().rstrip().endswith("</html>")


@pytest.mark.slow
def test_faults_are_contained_and_a_rerun_finishes_only_what_is_missing(stub_batch):
    write_faults(stub_batch.faults, {"MINFIN": "raise", "PRVUT": "kill_kernel",
                                     "MINOCW": "kill_worker", "ZBOKLN": "sleep:60"})
    settings = load_settings().replace(report_timeout=8)
    first = stub_batch.run(settings=settings, workers=2)
    folder = stub_batch.folder
    assert first.exit_code == 1
    assert statuses(first) == {"MINBZK": "ok", "MINVWS": "ok", "WSHDN": "ok", "MINFIN": "failed",
                               "PRVUT": "failed", "MINOCW": "failed", "ZBOKLN": "failed",
                               "GEMXS": "skipped"}
    reasons = {org: s.reason for org, s in first.statuses.items()}
    assert "ValueError: planted failure for MINFIN" in reasons["MINFIN"]
    assert "kernel died" in reasons["PRVUT"]
    assert "worker process died" in reasons["MINOCW"]
    assert reasons["ZBOKLN"].startswith("timeout")
    assert first.group.status == "ok"
    for org in ("MINBZK", "MINVWS", "WSHDN"):
        assert (folder / f"{org}.html").is_file() and (folder / f"{org}.xlsx").is_file()
    for org in ("MINFIN", "PRVUT", "MINOCW", "ZBOKLN", "GEMXS"):
        assert not (folder / f"{org}.html").exists() and not (folder / f"{org}.xlsx").exists()
    assert (folder / "logs" / "MINFIN.ipynb").is_file()  # kept for diagnosis
    assert_no_partial_outputs(folder)
    rows = index_rows(folder)
    assert "mislukt: ValueError: planted failure for MINFIN" in rows["MINFIN"].get_text()
    assert "mislukt: worker process died" in rows["MINOCW"].get_text()
    assert rows["MINBZK"].find("a", href="MINBZK.html")
    assert rows["MINFIN"].find("a") is None
    assert "overgeslagen: te weinig respondenten" in rows["GEMXS"].get_text()
    log = first.log_file.read_text()
    assert "MINFIN: failed" in log and "MINBZK: ok" in log

    # the faults are repaired: the rerun makes only the four missing reports
    write_faults(stub_batch.faults, {})
    kept = {org: (folder / f"{org}.html").stat().st_mtime_ns for org in ("MINBZK", "MINVWS")}
    second = stub_batch.run(settings=settings, workers=2)
    assert second.exit_code == 0
    assert statuses(second) == {"MINBZK": "unchanged", "MINVWS": "unchanged", "WSHDN": "unchanged",
                                "MINFIN": "ok", "PRVUT": "ok", "MINOCW": "ok", "ZBOKLN": "ok",
                                "GEMXS": "skipped"}
    assert second.group.status == "unchanged"
    assert all((folder / f"{o}.html").stat().st_mtime_ns == t for o, t in kept.items())
    assert not (folder / "logs" / "MINFIN.ipynb").exists()
    assert all(r.find("a", href=f"{o}.html") for o, r in index_rows(folder).items() if o != "GEMXS")

    # --force rebuilds everything; a changed setting rebuilds what depends on it
    third = stub_batch.run(settings=settings, workers=1, force=True, orgs=["MINBZK", "WSHDN"])
    assert statuses(third)["MINBZK"] == "ok" and statuses(third)["WSHDN"] == "ok"
    assert statuses(third)["MINFIN"] == "unchanged"
    assert third.group.status == "ok"


from ikto_lib.batch.run import _audit as AUDIT  # noqa: E402  (the real hook, before patching)


def _fake_audit(problems):
    module = types.ModuleType("ikto_lib.audit")
    module.__spec__ = importlib.machinery.ModuleSpec("ikto_lib.audit", None)
    module.audit_outputs = lambda out_dir, settings, respondent_ids=None, map_files=None, cache=None: list(problems)
    return module


@pytest.mark.slow
def test_privacy_audit_problems_fail_the_batch(stub_batch, monkeypatch):
    import ikto_lib.batch.run as run

    monkeypatch.setattr(run, "_audit", AUDIT)
    monkeypatch.setitem(sys.modules, "ikto_lib.audit", _fake_audit([]))
    clean = stub_batch.run(orgs=["MINBZK"], in_process=True)
    assert clean.exit_code == 0 and clean.audit_problems == []
    assert statuses(clean)["MINVWS"] == "not_run"
    monkeypatch.setitem(sys.modules, "ikto_lib.audit",
                        _fake_audit(["MINBZK.html: e-mail address in a pluim"]))
    skipped = stub_batch.run(orgs=["MINBZK"], in_process=True)  # nothing changed since: no audit
    assert skipped.exit_code == 0 and "not repeated" in skipped.log_file.read_text()
    leak = stub_batch.run(orgs=["MINBZK"], in_process=True, force=True)
    assert leak.exit_code == 1
    assert statuses(leak)["MINBZK"] == "withdrawn"  # moved aside, not left linked as ok
    assert (stub_batch.folder / "withdrawn" / "MINBZK.html").is_file()
    soup = BeautifulSoup((stub_batch.folder / "index.html").read_text(), "html.parser")
    assert "Privacycontrole: 1 probleem" in soup.select_one("#audit").get_text()
    assert "privacy audit: MINBZK.html" in leak.log_file.read_text()


def test_bad_input_exits_2(stub_batch, tmp_path):
    assert stub_batch.run(orgs=["NOPE"], in_process=True).exit_code == 2
    (tmp_path / "empty").mkdir()
    from ikto_lib.batch import run_batch

    assert run_batch(tmp_path / "empty", out=tmp_path / "o", progress=False).exit_code == 2
    assert run_batch(stub_batch.wave, out=tmp_path / "o", min_n=0, progress=False).exit_code == 2


KILL_SCRIPT = """
import sys
sys.path[:0] = {paths!r}
import conftest, ikto_lib.batch.run as run
run._prepare = conftest.fake_prepare
run.library_fingerprint = conftest.fixed_library_fingerprint
from ikto_lib.batch import run_batch
if __name__ == "__main__":
    run_batch({wave!r}, out={out!r}, notebook={nb!r}, group_notebook={gnb!r}, workers=2,
              exporter="tests.batch.batchstubs:export", tables="tests.batch.batchstubs:tables", progress=False)
"""


def _recorded(manifest) -> bool:
    """The batch's manifest exists and lists at least one finished organisation report (the
    group report runs first and is not among the statuses the rerun is checked on)."""
    try:
        return bool(set(json.loads(manifest.read_text(encoding="utf-8")).get("reports", {})) - {"group"})
    except (OSError, ValueError):
        return False


@pytest.mark.slow
def test_killing_the_batch_leaves_no_incomplete_file_and_a_rerun_completes(stub_batch, tmp_path):
    write_faults(stub_batch.faults, {org: "sleep:1" for org in ELIGIBLE + ["group"]})
    script = tmp_path / "batch.py"
    script.write_text(textwrap.dedent(KILL_SCRIPT.format(
        paths=[str(HERE), str(HERE.parent), str(HERE.parents[1])], wave=str(stub_batch.wave),
        out=str(stub_batch.out), nb=str(stub_batch.notebook), gnb=str(stub_batch.group_notebook))))
    proc = subprocess.Popen([sys.executable, str(script)], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    folder = stub_batch.folder
    try:
        deadline = time.monotonic() + 120
        # kill once two reports are written and the manifest records an organisation's report (on a
        # loaded machine the manifest can lag the files by more than a fixed sleep)
        while time.monotonic() < deadline and not (
                len(list(folder.glob("*.html"))) >= 2 and _recorded(folder / "manifest.json")):
            assert proc.poll() is None, "the batch ended before it could be killed"
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    done_before = {p.stem for p in folder.glob("*.html")}
    assert 2 <= len(done_before) and not (folder / "index.html").exists()
    assert_no_partial_outputs(folder)

    write_faults(stub_batch.faults, {})
    result = stub_batch.run(in_process=True)
    assert result.exit_code == 0
    assert_no_partial_outputs(folder)
    assert {o for o, s in result.statuses.items() if s.status == "ok"} | \
        {o for o, s in result.statuses.items() if s.status == "unchanged"} == set(ELIGIBLE)
    assert any(s.status == "unchanged" for s in result.statuses.values())
