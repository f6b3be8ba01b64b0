"""Benchmark of the workbench explorer: time per interaction on a 150,000-respondent demo wave.

Run: ``python benchmarks/bench_widgets.py [--respondents 150000] [--repeat 3]``. Generates the
demo (``ikto_lib.demo.generate(tmp, seed=2015, respondents=...)``) in a temporary folder, loads
2015 and 2013, builds an :class:`~ikto_lib.workbench.Explorer` once (the per-wave cache) and
times a sequence of selections like the widget callbacks make (organisation, units, domain or
item, measure, breakdown, comparison). Prints setup time and median / max seconds per
interaction; no asserts (target: well under 0.5 s).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from ikto_lib.config import load_settings
from ikto_lib.demo import generate
from ikto_lib.validate import load_wave
from ikto_lib.workbench import Explorer


def interactions(ex: Explorer) -> list[dict]:
    orgs = ex.orgs
    out = []
    for k, org in enumerate(orgs[:6]):
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--respondents", type=int, default=150_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--verbose", action="store_true", help="print the time of every widget change")
    args = ap.parse_args()
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        generate(Path(tmp), seed=2015, respondents=args.respondents)
        wave, previous = load_wave(Path(tmp) / "2015"), load_wave(Path(tmp) / "2013")
        t1 = time.perf_counter()
        ex = Explorer(wave, previous, settings)
        t2 = time.perf_counter()
        times = []
        for _ in range(args.repeat):
            for kw in interactions(ex):
                s = time.perf_counter()
                ex.select(**kw)
                times.append(time.perf_counter() - s)
        # the same through the widgets: select + seaborn chart (PNG) + HTML table
        import matplotlib
        matplotlib.use("Agg")
        from ikto_lib.workbench.ui import ExplorerUI
        ui = ExplorerUI(ex)
        ui_times = []
        changes = [("org", o) for o in ex.orgs[1:7]] + [("target", "ict"), ("measure", "mean"),
                   ("breakdown", "age_group"), ("measure", "distribution"), ("comparison", "previous"),
                   ("breakdown", ""), ("measure", "top2"), ("target", "grade"), ("comparison", "peers")]
        for name, value in changes:
            s = time.perf_counter()
            getattr(ui, name).value = value
            ui_times.append(time.perf_counter() - s)
            if args.verbose:
                print(f"  {name}={value!r}: {ui_times[-1] * 1000:.0f} ms")
    print(f"respondents: {len(wave.responses):,}; generate+load {t1 - t0:.1f} s; "
          f"Explorer setup (cache of respondent measures, both waves) {t2 - t1:.2f} s")
    print(f"interactions: {len(times)}; median {statistics.median(times) * 1000:.0f} ms; "
          f"max {max(times) * 1000:.0f} ms  (Explorer.select)")
    print(f"widget changes: {len(ui_times)}; median {statistics.median(ui_times) * 1000:.0f} ms; "
          f"max {max(ui_times) * 1000:.0f} ms  (ExplorerUI: select + chart + table)")


if __name__ == "__main__":
    main()
