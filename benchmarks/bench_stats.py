"""Benchmark of the statistics core on a wave of 150,000 respondents x 60 items.

Run: ``python benchmarks/bench_stats.py`` (add ``--synthetic`` for a synthetic 60-item frame).
By default it generates the 150,000-respondent demo wave (``ikto demo --respondents 150000 --orgs
100``) in a temporary folder and loads it (Int8 item columns, ``org``, ``unit``). Prints times; no
asserts.

(a) floor: ``groupby([org, unit]).count()`` on the same data;
(b) group summaries (top-2 and mean, with intervals) per organisation and per unit, the
    benchmark (leave-one-out) per organisation, all z-tests and Welch tests from the summaries,
    Holm per organisation and the flags.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from ikto_lib.config import load_instrument, load_settings
from ikto_lib.stats import compare_summaries, flag, group_summary, holm, leave_one_out, top2, valid_codes

SETTINGS = load_settings().model_dump()  # parameters/settings.yml
NVT = load_instrument().nvt.code


def synthetic(n: int = 150_000, items: int = 60, orgs: int = 100, units: int = 1_000, seed: int = 2015) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    unit = rng.integers(0, units, n)
    codes = rng.choice(np.array([1, 2, 3, 4, 5, 9], dtype=np.int8), size=(n, items), p=[0.05, 0.1, 0.2, 0.35, 0.2, 0.1])
    frame = pd.DataFrame(codes, columns=[f"q{i:02d}" for i in range(items)]).astype("Int8")
    frame = frame.mask(rng.random((n, items)) < 0.03)  # item non-response
    frame.insert(0, "unit", pd.Categorical([f"u{u:04d}" for u in unit]))
    frame.insert(0, "org", pd.Categorical([f"o{u // (units // orgs):03d}" for u in unit]))
    return frame


def load(force_synthetic: bool) -> tuple[pd.DataFrame, str]:
    if force_synthetic:
        return synthetic(), "synthetic (100 orgs, 1,000 units)"
    from ikto_lib.demo import generate
    from ikto_lib.validate import load_wave

    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), seed=SETTINGS["seed"], orgs=100, respondents=150_000)
        wave = load_wave(Path(tmp) / "2015")
    frame = wave.responses[["org", "unit"] + wave.item_columns]
    return frame, f"demo wave 2015 ({len(frame):,} respondents, {len(wave.item_columns)} items)"


def timed(label: str, fn, times: dict):
    t0 = time.perf_counter()
    out = fn()
    times[label] = time.perf_counter() - t0
    print(f"  {label:<48s} {times[label]:7.3f} s")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", action="store_true", help="ignore the demo data")
    args = parser.parse_args()
    data, source = load(args.synthetic)
    items = [c for c in data.columns if str(data[c].dtype) == "Int8" and c not in ("org", "unit")]
    print(f"data: {source}: {len(data):,} respondents x {len(items)} items, "
          f"{data['org'].nunique()} orgs, {data.groupby(['org', 'unit'], observed=True).ngroups:,} units")
    conf = SETTINGS["confidence"]
    times: dict[str, float] = {}

    print("(a) floor")
    timed("groupby([org, unit]).count()", lambda: data.groupby(["org", "unit"], observed=True)[items].count(), times)

    print("(b) statistics")
    v, t2 = timed("valid_codes + top2", lambda: (lambda v: (v, top2(v)))(valid_codes(data[items], nvt_code=NVT)), times)
    org, unit = data["org"], data["unit"]
    w = pd.Series(np.random.default_rng(1).uniform(0.5, 2.0, len(data)), index=data.index)
    s = {}
    s["t2_org"] = timed("group_summary top2 per org (weighted)", lambda: group_summary(t2, [org], weights=w, kind="proportion", confidence=conf), times)
    s["mean_org"] = timed("group_summary mean per org (weighted)", lambda: group_summary(v, [org], weights=w, kind="mean", confidence=conf), times)
    s["t2_unit"] = timed("group_summary top2 per org x unit (weighted)", lambda: group_summary(t2, [org, unit], weights=w, kind="proportion", confidence=conf), times)
    s["mean_unit"] = timed("group_summary mean per org x unit (weighted)", lambda: group_summary(v, [org, unit], weights=w, kind="mean", confidence=conf), times)

    def tests():
        out = []
        for kind, key, minimum in (("proportion", "t2_org", SETTINGS["min_diff_top2"]), ("mean", "mean_org", SETTINGS["min_hedges_g"])):
            own = s[key]
            bench = leave_one_out(own, kind=kind, confidence=conf)
            res = compare_summaries(own, bench, kind=kind)
            res["p_adj"] = holm(res["p"].to_numpy(), groups=own["org"].to_numpy())
            res["flag"] = flag(res["p_adj"], res["diff"], alpha=SETTINGS["alpha"], min_effect=minimum, practical=res["practical"])
            out.append(res)
        return out

    res = timed("benchmark: leave-one-out, z + Welch, Holm, flags", tests, times)
    n_tests = sum(len(r) for r in res)
    print(f"  ({n_tests:,} comparisons; flags: "
          + ", ".join(f"{k} {v:,}" for k, v in pd.concat(res)["flag"].value_counts().items()) + ")")
    stats_total = sum(t for k, t in times.items() if not k.startswith("groupby"))
    floor = times["groupby([org, unit]).count()"]
    print(f"total statistics {stats_total:.3f} s; floor {floor:.3f} s; ratio {stats_total / floor:.1f}x")


if __name__ == "__main__":
    main()
