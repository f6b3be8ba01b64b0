"""Benchmark of the workbench explorer on a 150,000-respondent demo wave (100 organisations).

Run: ``python benchmarks/bench_widgets.py [--waves data/demo150] [--no-browser]``. Without
``--waves`` the demo is generated in a temporary folder (``ikto demo --respondents 150000 --orgs
100``). Prints

1. the explorer's setup (respondent measures of both waves) and ``Explorer.select`` per
   selection, cold (nothing cached) and repeated (the per-selection cache);
2. the same widget changes through :class:`~ikto_lib.workbench.ui.ExplorerUI` in this process
   (select + SVG chart + HTML table);
3. unless ``--no-browser``: the analyst's view, "Run all" of ``notebooks/explore.ipynb`` in a real
   JupyterLab in headless Chromium and 16 widget changes, each timed from the browser event to
   chart and table redrawn in the page (the same driver as ``tests/workbench/test_browser.py``,
   which asserts median <= 0.5 s and worst <= 1 s).

The floor for comparison: the time of one ``pandas`` group-and-count of the wave by organisation.
Figures depend on the machine's load: the script prints the load average beside them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.workbench.labdriver

from ikto_lib.config import load_settings  # noqa: E402
from ikto_lib.demo import generate  # noqa: E402
from ikto_lib.validate import load_wave  # noqa: E402
from ikto_lib.workbench import Explorer  # noqa: E402


def selections(ex: Explorer) -> list[dict]:
    out = []
    for org in ex.orgs[:4]:
        units = ex.units(org)
        out += [
            dict(org=org),
            dict(org=org, domain_or_item="ict", comparison="benchmark"),
            dict(org=org, domain_or_item="ict", measure="mean", comparison="peers"),
            dict(org=org, domain_or_item="hr", breakdown="age_group", comparison="benchmark"),
            dict(org=org, domain_or_item="overall", measure="distribution", comparison="previous"),
            dict(org=org, units=units[:1], domain_or_item="grade", measure="mean", comparison="rest"),
            dict(org=org, units=units[:2], domain_or_item=ex.targets[3][1], measure="distribution",
                 breakdown="gender", comparison=f"unit:{units[-1]}" if units else None),
        ]
    return out


def ms(xs: list[float]) -> str:
    return f"median {statistics.median(xs) * 1000:.0f} ms, max {max(xs) * 1000:.0f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--waves", help="folder with 2013/ and 2015/ (default: generate 150,000 respondents)")
    ap.add_argument("--no-browser", action="store_true", help="skip the JupyterLab/Chromium measurement")
    args = ap.parse_args()
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        waves = Path(args.waves).resolve() if args.waves else Path(tmp) / "demo"
        if not args.waves:
            generate(waves, seed=2015, orgs=100, respondents=150_000)
        t0 = time.perf_counter()
        wave, previous = load_wave(waves / "2015"), load_wave(waves / "2013")
        t1 = time.perf_counter()
        ex = Explorer(wave, previous, settings, outputs=Path(tmp) / "outputs")
        t2 = time.perf_counter()
        floor = time.perf_counter()
        wave.responses.groupby("org", observed=True).size()
        floor = time.perf_counter() - floor
        cold, warm = [], []
        for kw in selections(ex):
            s = time.perf_counter()
            ex.select(**kw)
            cold.append(time.perf_counter() - s)
            s = time.perf_counter()
            ex.select(**kw)
            warm.append(time.perf_counter() - s)

        from ikto_lib.workbench.ui import ExplorerUI

        ui = ExplorerUI(ex)
        changes = [("org", o) for o in ex.orgs[5:9]] + [
            ("target", "ict"), ("measure", "mean"), ("breakdown", "age_group"), ("measure", "distribution"),
            ("comparison", "previous"), ("breakdown", ""), ("measure", "top2"), ("target", "grade"),
            ("comparison", "peers")]
        ui_times = []
        for name, value in changes:
            s = time.perf_counter()
            getattr(ui, name).value = value
            ui_times.append(time.perf_counter() - s)

        load = os.getloadavg()
        print(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
        print(f"respondents: {len(wave.responses):,}, organisations: {wave.responses['org'].nunique()}; "
              f"load both waves {t1 - t0:.1f} s; Explorer setup {t2 - t1:.1f} s; "
              f"floor (pandas count by org) {floor * 1000:.0f} ms")
        print(f"Explorer.select, {len(cold)} selections: cold {ms(cold)}; repeated (cache) {ms(warm)}")
        print(f"ExplorerUI in process, {len(ui_times)} widget changes (select + chart + table): {ms(ui_times)}")

        if not args.no_browser:
            from tests.workbench import labdriver

            scratch = Path(tmp) / "lab"
            scratch.mkdir()
            folder = labdriver.project(scratch / "project", waves)
            with labdriver.lab(folder, scratch) as (base, token, page):
                first = labdriver.open_and_run(page, base, token, "notebooks/explore.ipynb", ready="table.ikto-table")
                labdriver.wait_idle(page)
                times = labdriver.run_changes(page)
            print(f"JupyterLab + Chromium: Run all to the first table {first:.1f} s; " + labdriver.summary(times))


if __name__ == "__main__":
    main()
