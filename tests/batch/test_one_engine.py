"""One engine: ``ikto report ORG`` and ``ikto batch`` run a report through the same runner and
write the same bytes; the notebook still obeys papermill's parameters convention."""

from __future__ import annotations

import pandas as pd
import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from ikto_lib.demo import generate

    out = tmp_path_factory.mktemp("demo_engine")
    generate(out, seed=7, respondents=3000)
    return out


def _org(demo) -> str:
    orgs = pd.read_csv(demo / "2015" / "organisations.csv")["org"].astype(str)
    return orgs.iloc[0]


def test_report_command_and_batch_write_the_same_report(demo, tmp_path, monkeypatch):
    import ikto_lib.batch.jobs as jobs
    from ikto_lib.batch import run_batch
    from ikto_lib.cli import main

    org = _org(demo)
    batch = run_batch(demo / "2015", previous=demo / "2013", out=tmp_path / "b", orgs=[org],
                      in_process=True, progress=False)
    assert batch.statuses[org].status == "ok", batch.statuses[org]
    used = []
    real = jobs.ReportRunner.run

    def spy(self, *args, **kwargs):  # the report command must go through the batch's runner
        used.append(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(jobs.ReportRunner, "run", spy)
    assert main(["report", org, str(demo / "2015"), "--previous", str(demo / "2013"),
                 "--out", str(tmp_path / "r")]) == 0
    assert len(used) == 1 and isinstance(used[0], jobs.ReportRunner)
    single = (tmp_path / "r" / "2015" / f"{org}.html").read_bytes()
    batched = (tmp_path / "b" / "2015" / f"{org}.html").read_bytes()
    assert single == batched


def test_notebook_still_runs_with_plain_papermill(demo, tmp_path):
    """The parameters convention (a cell tagged ``parameters``, papermill's injected cell) kept."""
    import nbformat
    import papermill as pm

    from ikto_lib.config import load_settings
    from ikto_lib.prepare import ensure_prepared
    from ikto_lib.report.run import NOTEBOOK, PROJECT_ROOT
    from ikto_lib.validate import load_wave

    prepared, _ = ensure_prepared(load_wave(demo / "2015"), load_wave(demo / "2013"), load_settings(),
                                  tmp_path / "prepared")
    org = _org(demo)
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), parameters={"org": org, "prepared": str(prepared)},
                        cwd=str(PROJECT_ROOT), progress_bar=False, kernel_name="python3")
    nb = nbformat.read(out, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and f'org = "{org}"' in injected[0].source
    assert not any(o.get("output_type") == "error" for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs)
