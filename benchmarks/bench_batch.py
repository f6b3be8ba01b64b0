"""Benchmark of the batch (issue 7): floor, time per report, parallel efficiency, rerun, sizes.

Prints, from one run on a demo wave (generated into a temporary folder):

* the floor: papermill executing an empty notebook with the same kernel, plus nbconvert's HTML
  export of it (in-process, median of 5, with their range: these machines are noisy);
* the median time per organisation report in the batch (on its worker: execute + export + Excel),
  and its ratio to the floor (target <= 2);
* where a report's time goes (kernel start once per worker, execution, export, Excel);
* the total for all organisations with 1 and with 2 workers, and the parallel efficiency
  ``T1 / (2 * T2)`` (target >= 0.8);
* the time of an unchanged rerun and its share of the first run (target < 5%);
* report sizes (HTML and Excel; target <= 3 MB a report).

Uses the real report notebook (``notebooks/benchmark_report.ipynb``) when it exists, else says so
and stops. ``--respondents`` / ``--orgs`` make the wave smaller for a quick look.

    python benchmarks/bench_batch.py [--respondents 30000] [--orgs 40] [--seed 2015]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def floor_seconds(runs: int = 5) -> tuple[float, float, float, list[float]]:
    """(total, papermill, export) medians for an empty notebook with the batch's kernel."""
    import nbformat
    import papermill as pm
    from nbconvert import HTMLExporter
    from nbformat.v4 import new_code_cell, new_notebook

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "empty.ipynb"
        nbformat.write(new_notebook(cells=[
            new_code_cell("org = 'X'", metadata={"tags": ["parameters"]}), new_code_cell("")],
            metadata={"kernelspec": {"name": "python3", "language": "python",
                                     "display_name": "Python 3"}}), str(src))
        exporter = HTMLExporter(template_name="basic", exclude_input=True)
        pms, exps = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            nb = pm.execute_notebook(str(src), str(Path(tmp) / "out.ipynb"),
                                     parameters={"org": "Y"}, kernel_name="python3",
                                     progress_bar=False)
            t1 = time.perf_counter()
            exporter.from_notebook_node(nbformat.from_dict(nb))
            t2 = time.perf_counter()
            pms.append(t1 - t0)
            exps.append(t2 - t1)
    pm_s, ex_s = statistics.median(pms), statistics.median(exps)
    return pm_s + ex_s, pm_s, ex_s, [a + b for a, b in zip(pms, exps)]


def pd_read_orgs(wave: Path) -> list[str]:
    import pandas as pd

    return pd.read_csv(wave / "organisations.csv")["org"].astype(str).tolist()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--respondents", type=int, default=30000)
    ap.add_argument("--orgs", type=int, default=40, help="organisations in the demo wave")
    ap.add_argument("--seed", type=int, default=2015)
    args = ap.parse_args(argv)

    from ikto_lib.batch import run_batch
    from ikto_lib.batch.run import REPORT_NOTEBOOK
    from ikto_lib.demo import generate

    if not REPORT_NOTEBOOK.is_file():
        print(f"{REPORT_NOTEBOOK} does not exist yet: no report to benchmark")
        return 0

    floor, floor_pm, floor_export, floors = floor_seconds()
    print(f"floor: papermill on an empty notebook {floor_pm:.2f} s + nbconvert export "
          f"{floor_export:.3f} s = {floor:.2f} s (median of {len(floors)} runs, "
          f"{min(floors):.2f} to {max(floors):.2f} s)")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        generate(tmp / "demo", seed=args.seed, orgs=args.orgs, respondents=args.respondents)
        wave, prev = tmp / "demo" / "2015", tmp / "demo" / "2013"
        kw = dict(previous=prev, out=tmp / "out", progress=False)

        import json

        orgs = sorted(pd_read_orgs(wave))
        t0 = time.perf_counter()
        first = run_batch(wave, orgs=orgs[:1], in_process=True, **kw)  # validate + prepare once
        print(f"load, validate, prepare and one report: {time.perf_counter() - t0:.1f} s "
              f"(prepared once; not in the times below; exit {first.exit_code})")
        manifest = tmp / "out" / "2015" / "manifest.json"

        runs = {}
        for workers in (1, 2):
            data = json.loads(manifest.read_text())
            data["reports"] = {}  # every report is made again; the prepared tables are kept
            manifest.write_text(json.dumps(data))
            t0 = time.perf_counter()
            res = run_batch(wave, workers=workers, **kw)
            runs[workers] = (time.perf_counter() - t0, res)
            print(f"batch with {workers} worker(s): {runs[workers][0]:.1f} s "
                  f"({res.count('ok')} ok, {res.count('failed')} failed, "
                  f"{res.count('skipped')} skipped; prepared "
                  f"{'reused' if res.prepared_reused else 'computed'}; exit {res.exit_code})")
            for org, st in res.statuses.items():
                if st.status == "failed":
                    print(f"  failed {org}: {st.reason[:200]}")

        t0 = time.perf_counter()
        rerun = run_batch(wave, workers=2, **kw)
        t_rerun = time.perf_counter() - t0

        t2, res2 = runs[2]
        t1, res1 = runs[1]
        ok = [s for s in res2.statuses.values() if s.status == "ok"]
        if not ok:
            print("no report succeeded; nothing to measure")
            return 1
        per = statistics.median(s.seconds for s in ok)
        print(f"\nmedian time per organisation report (2 workers): {per:.2f} s "
              f"= {per / floor:.2f} x the floor (target <= 2)")
        for part in ("prepare", "execute", "export", "excel"):
            vals = [s.timings.get(part) for s in ok if s.timings.get(part) is not None]
            if vals:
                print(f"  {part:8s} median {statistics.median(vals):.3f} s, max {max(vals):.3f} s")
        print("  (the first report on each worker also pays the kernel start and warm imports, "
              "inside 'execute')")
        import nbformat

        cells = {}
        for s in ok:
            for k, v in s.timings.items():
                if k.startswith("cell "):
                    cells.setdefault(k, []).append(v)
        if cells:
            later = [s for s in ok if s.timings.get("execute", 99) < 2 * per]  # warm kernels
            own = [s.timings["execute"] - sum(v for k, v in s.timings.items()
                                              if k.startswith("cell ")) for s in later]
            if own:
                print(f"  runner's own share of 'execute' on a warm kernel (reset, injection, "
                      f"messaging): median {statistics.median(own):.3f} s; the rest is the "
                      f"report's cells")
            src = nbformat.read(str(REPORT_NOTEBOOK), as_version=4)
            print("  slowest cells of the report (median s; cell numbers after the injected "
                  "parameters cell):")
            for k, v in sorted(cells.items(), key=lambda kv: -statistics.median(kv[1]))[:6]:
                i = int(k.split()[1]) - 2  # the injected cell shifts the template by one
                text = src.cells[i].source.strip().splitlines()[0][:60] if 0 <= i < len(
                    src.cells) else ""
                print(f"    {k:8s} {statistics.median(v):.3f}  {text}")
        # the batch's fixed costs: everything but the reports
        n_reports = len(ok) + (res2.group is not None and res2.group.status == "ok")
        print(f"\nall {n_reports} reports: 1 worker {t1:.1f} s, 2 workers {t2:.1f} s; "
              f"parallel efficiency T1/(2*T2) = {t1 / (2 * t2):.2f} (target >= 0.8)")
        print(f"unchanged rerun: {t_rerun:.2f} s = {100 * t_rerun / t2:.1f}% of the 2-worker run "
              f"(target < 5%); {rerun.count('unchanged')} unchanged, {rerun.count('ok')} rebuilt")
        html = [v for s in ok for k, v in s.sizes.items() if k.endswith(".html")]
        xlsx = [v for s in ok for k, v in s.sizes.items() if k.endswith(".xlsx")]
        if html:
            print(f"report sizes: HTML median {statistics.median(html) / 1e6:.2f} MB, max "
                  f"{max(html) / 1e6:.2f} MB (target <= 3 MB)")
        if xlsx:
            print(f"              Excel median {statistics.median(xlsx) / 1e3:.0f} KB, max "
                  f"{max(xlsx) / 1e3:.0f} KB")
        if res2.group is not None:
            print(f"group report: {res2.group.status} {res2.group.reason}")
        print(f"audit problems: {len(res2.audit_problems)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
