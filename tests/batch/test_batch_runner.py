"""The report runner: one kernel for many reports, a fresh namespace each time, failures contained."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from ikto_lib.batch.runner import ReportRunner, declared_parameters, notebook_imports, parameterize

from tests.batch.batchstubs import export


def notebook(*sources: str):
    cells = [new_code_cell('org = "X"  # organisation', metadata={"tags": ["parameters"]})]
    cells += [new_code_cell(s) for s in sources]
    return new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3",
                                                              "language": "python",
                                                              "display_name": "Python 3"}})


LEAKY = notebook(
    "import matplotlib.pyplot as plt\n"
    "secret = 'SECRET-' + org\n"
    "globals()['secret_' + org] = secret\n"
    "fig = plt.figure()\n"
    "plt.rcParams['lines.linewidth'] = 7\n",
    "print('names', sorted(k for k in globals() if 'secret' in k))\n"
    "print('figures', plt.get_fignums())\n"
    "print('linewidth', plt.rcParams['lines.linewidth'])\n",
)


@pytest.fixture(scope="module")
def runner():
    with ReportRunner() as r:
        yield r


def run(runner, nb, org, tmp_path, *, timeout=60):
    return runner.run(nb, {"org": org}, tmp_path / f"{org}.html", title=org, timeout=timeout,
                      log_dir=tmp_path / "logs", exporter=export)


def test_parameters_are_injected_and_unknown_ones_refused():
    nb = notebook("print(org)")
    assert declared_parameters(nb) == ["org"]
    injected = parameterize(nb, {"org": "MINBZK"})
    assert injected.cells[1].metadata.tags == ["injected-parameters"]
    assert 'org = "MINBZK"' in injected.cells[1].source
    assert nb.cells[1].source == "print(org)"  # the template is untouched
    with pytest.raises(Exception, match="unknown parameter.*colour"):
        parameterize(nb, {"org": "A", "colour": "red"})


def test_notebook_imports_are_found_for_warming():
    nb = notebook("import pandas as pd\n%matplotlib inline\nfrom ikto_lib.report import sections",
                  "from . import x\nimport os.path")
    assert notebook_imports(nb) == ["pandas", "ikto_lib.report", "os.path"]


def test_a_then_b_in_one_kernel_leaves_nothing_of_a_in_b(runner, tmp_path):
    starts = runner.kernel_starts
    a = run(runner, LEAKY, "AAA", tmp_path)
    b = run(runner, LEAKY, "BBB", tmp_path)
    assert (a.status, b.status) == ("ok", "ok")
    assert runner.kernel_starts == starts  # the same kernel ran both
    page_b = (tmp_path / "BBB.html").read_text()
    assert "AAA" not in page_b
    assert "names ['secret', 'secret_BBB']" in page_b
    assert "figures [1]" in page_b  # A's figure was closed: B's is number 1 again
    assert "linewidth 7" in page_b  # B's own setting; A's did not survive (checked below)
    c = run(runner, notebook("import matplotlib.pyplot as plt\n"
                             "print('lw', plt.rcParams['lines.linewidth'])"), "CCC", tmp_path)
    assert c.status == "ok"
    assert "lw 7" not in (tmp_path / "CCC.html").read_text()


def test_a_failing_report_is_failed_with_reason_and_kept_for_diagnosis(runner, tmp_path):
    bad = run(runner, notebook("raise ValueError('planted ' + org)"), "BAD", tmp_path)
    assert bad.status == "failed"
    assert "ValueError: planted BAD" in bad.reason
    assert not (tmp_path / "BAD.html").exists()
    kept = nbformat.read(tmp_path / "logs" / "BAD.ipynb", as_version=4)
    assert any(o.get("ename") == "ValueError" for c in kept.cells for o in c.get("outputs", []))
    assert run(runner, LEAKY, "GOOD", tmp_path).status == "ok"


def test_a_killed_kernel_fails_its_report_and_is_restarted(runner, tmp_path):
    starts = runner.kernel_starts
    dead = run(runner, notebook("import os\nos.kill(os.getpid(), 9)"), "DEAD", tmp_path)
    assert dead.status == "failed" and "kernel died" in dead.reason
    after = run(runner, LEAKY, "AFTER", tmp_path)
    assert after.status == "ok"
    assert runner.kernel_starts == starts + 1


def test_a_report_over_its_time_limit_fails(runner, tmp_path):
    slow = run(runner, notebook("import time\ntime.sleep(60)"), "SLOW", tmp_path, timeout=2)
    assert slow.status == "failed" and slow.reason.startswith("timeout")
    assert slow.seconds < 20
    assert run(runner, LEAKY, "NEXT", tmp_path).status == "ok"


def test_outputs_are_written_atomically(runner, tmp_path):
    res = run(runner, LEAKY, "ATOM", tmp_path)
    assert res.status == "ok" and res.html_bytes == (tmp_path / "ATOM.html").stat().st_size
    assert not list(tmp_path.glob(".*.part"))
    # an exporter that fails half way leaves no file with the final name
    def broken(nb, *, title):
        raise OSError("disk full")
    res = runner.run(LEAKY, {"org": "HALF"}, tmp_path / "HALF.html", title="HALF", timeout=60,
                     log_dir=tmp_path / "logs", exporter=broken)
    assert res.status == "failed" and "disk full" in res.reason
    assert not (tmp_path / "HALF.html").exists()


def test_warm_kernel_freezes_its_imports_out_of_the_garbage_collector(runner, tmp_path):
    """Imports made while warming are frozen (the reset before every report then scans only what
    reports make); a cycle a report makes is still collected."""
    nb = notebook("import gc, json, weakref\n"
                  "class Cycle:\n    pass\n"
                  "c = Cycle(); c.me = c; ref = weakref.ref(c); del c\n"
                  "gc.collect()\n"
                  "print('frozen', gc.get_freeze_count() > 1000, 'collected', ref() is None)\n")
    r = run(runner, nb, "GC", tmp_path)
    assert r.status == "ok"
    assert "frozen True collected True" in (tmp_path / "GC.html").read_text()
