"""Benchmark: the full prepare on the 150,000-respondent demo wave against the pandas floor.

Prints the time of generating, validating+loading, and preparing (all figures, comparisons,
tests, flags, ranks, drivers, pluimen) the wave, the floor (pandas group-and-count of the same
respondents per organisation and per unit), their ratio and the peak memory of the process.

    .venv/bin/python benchmarks/bench_prepare.py [--respondents 150000] [--orgs 100]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from ikto_lib.config import load_settings
from ikto_lib.demo import generate
from ikto_lib.prepare import prepare
from ikto_lib.validate import load_wave


def timed(fn, repeat=1):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--respondents", type=int, default=150_000)
    ap.add_argument("--orgs", type=int, default=100)
    args = ap.parse_args()
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        t_gen, _ = timed(lambda: generate(tmp / "demo", seed=settings.seed, orgs=args.orgs,
                                          respondents=args.respondents))
        t_load, (wave, prev) = timed(lambda: (load_wave(tmp / "demo" / "2015"), load_wave(tmp / "demo" / "2013")))
        r = wave.responses
        items = wave.item_columns
        t_floor, _ = timed(lambda: (r.groupby("org", observed=True)[items].count(),
                                    r.groupby(["org", "unit"], observed=True)[items].count()), repeat=5)
        t_prep, out = timed(lambda: prepare(wave, prev, settings, tmp / "prepared"))
        n_units = r.groupby(["org", "unit"], observed=True).ngroups
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"wave: {len(r):,} respondents (previous {len(prev.responses):,}), "
              f"{r['org'].nunique()} organisations, {n_units} units, {len(items)} items")
        print(f"generate both waves      {t_gen:7.2f} s")
        print(f"validate + load both     {t_load:7.2f} s")
        print(f"floor: group and count   {t_floor:7.3f} s  (pandas, per org and per unit, median of 5)")
        print(f"prepare (everything)     {t_prep:7.2f} s  ratio to floor {t_prep / t_floor:6.0f}x  (target <= 30 s)")
        print(f"peak memory (process)    {peak_mb:7.0f} MB")


if __name__ == "__main__":
    main()
