"""Fixtures of the batch tests: a small wave, fake prepared results and stub notebooks.

``stub_batch`` gives everything ``run_batch`` needs without the real report: the small wave (for
loading and validation), the prepare step replaced by ``tests/fakeprepared.py`` (8 organisations,
one below the threshold), stub notebooks that obey a faults file, and the stub exporter/tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).parent


@dataclass
class StubBatch:
    wave: Path
    out: Path
    notebook: Path
    group_notebook: Path
    faults: Path

    def run(self, **kw):
        from ikto_lib.batch import run_batch

        kw.setdefault("exporter", "tests.batch.batchstubs:export")
        kw.setdefault("tables", "tests.batch.batchstubs:tables")
        kw.setdefault("progress", False)
        return run_batch(self.wave, out=self.out, notebook=self.notebook,
                         group_notebook=self.group_notebook, **kw)

    @property
    def folder(self) -> Path:
        return self.out / "2015"


def fake_prepare(wave, prev, settings, prepared_dir, *, force):
    """Stands in for the prepare step: the fake prepared tables, written once."""
    from tests.fakeprepared import write_fake_prepared

    if force or not (Path(prepared_dir) / "manifest.json").exists():
        write_fake_prepared(prepared_dir, min_n=settings.min_n)
        return Path(prepared_dir), False
    return Path(prepared_dir), True


def fixed_library_fingerprint() -> str:
    """Other people may edit the library while a test runs; the tests' library does not change."""
    return "0.0.0+tests"


@pytest.fixture
def stub_batch(tmp_path, monkeypatch) -> StubBatch:
    from tests.batch.batchstubs import stub_notebook, write_faults
    from tests.smallwave import write_small_wave

    import ikto_lib.batch.run as run

    monkeypatch.setattr(run, "_prepare", fake_prepare)
    monkeypatch.setattr(run, "library_fingerprint", fixed_library_fingerprint)
    # the fake prepared tables are not audit-proof; the real audit runs in the end-to-end test
    monkeypatch.setattr(run, "_audit", lambda out_dir, settings, wave=None, **kw: [])
    from tests.fakeprepared import FAKE_ORGS

    # the wave lists the fake prepared results' organisations (--orgs is checked against it)
    wave = write_small_wave(tmp_path / "2015", orgs=tuple((o, n, t) for o, n, t, _ in FAKE_ORGS))
    faults = write_faults(tmp_path / "faults.json", {})
    return StubBatch(wave, tmp_path / "out", stub_notebook(tmp_path / "report.ipynb", faults=faults),
                     stub_notebook(tmp_path / "group.ipynb", faults=faults, group=True), faults)
