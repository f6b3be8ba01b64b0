"""Every figure of organisation X in ``results`` against a plain-Python hand computation.

The reference below loops over respondents with the textbook formulas written out (Wilson score
interval, t interval, pooled two-proportion z-test, Welch's t-test, Holm), independent of the
vectorised sufficient-statistics code under test. Weighting is off here (equal weights); the
weighted path is checked separately on one figure with hand-computed post-stratification weights.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ikto_lib.config import load_settings
from ikto_lib.prepare import compute

from .handwave import ITEMS, X, hand_wave

MIN_N = 10
Z95 = 1.959963984540054  # scipy.stats.norm.ppf(0.975)
DOMAINS = {"a": ["a1", "a2"], "b": ["b1", "b2"]}
ITEM_DOMAIN = {"a1": "a", "a2": "a", "a_all": "a", "b1": "b", "b2": "b"}


def respondent_values(d: dict) -> dict[tuple[str, str, str], list]:
    """(measure, domain, item) -> list of per-respondent values (None = missing)."""
    n = len(d["unit"])
    out: dict[tuple[str, str, str], list] = {}
    valid = {i: [c if c is not None and 1 <= c <= 5 else None for c in d[i]] for i in ITEMS}
    for i in ITEMS:
        dom = ITEM_DOMAIN[i]
        out[("top2", dom, i)] = [None if c is None else float(c >= 4) for c in valid[i]]
        out[("mean", dom, i)] = [None if c is None else float(c) for c in valid[i]]
        out[("nvt_share", dom, i)] = [None if c is None else float(c == 9) for c in d[i]]
        out[("skip_share", dom, i)] = [float(c is None) for c in d[i]]
    for dom, its in DOMAINS.items():
        scores, tops = [], []
        for r in range(n):
            ans = [valid[i][r] for i in its if valid[i][r] is not None]
            ok = len(ans) >= 0.5 * len(its)
            scores.append(sum(ans) / len(ans) if ok and ans else None)
            tops.append(sum(a >= 4 for a in ans) / len(ans) if ok and ans else None)
        out[("top2", dom, "")] = tops
        out[("mean", dom, "")] = scores
    tops, means = [], []
    for r in range(n):
        ans = [valid[i][r] for i in ITEMS if valid[i][r] is not None]
        tops.append(sum(a >= 4 for a in ans) / len(ans) if ans else None)
        means.append(sum(ans) / len(ans) if ans else None)
    out[("top2", "", "")] = tops
    out[("mean", "", "")] = means
    out[("grade_mean", "", "")] = [None if g is None else float(g) for g in d["grade"]]
    out[("grade_pass", "", "")] = [None if g is None else float(g >= 6) for g in d["grade"]]
    return out


def estimate(values: list, kind: str) -> dict:
    x = [v for v in values if v is not None]
    n = len(x)
    mean = sum(x) / n if n else math.nan
    sd = math.sqrt(sum((v - mean) ** 2 for v in x) / (n - 1)) if n > 1 else math.nan
    if kind == "proportion":  # Wilson (1927): (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
        z2 = Z95 ** 2
        centre = (mean + z2 / (2 * n)) / (1 + z2 / n)
        half = Z95 * math.sqrt(mean * (1 - mean) / n + z2 / (4 * n * n)) / (1 + z2 / n)
        low, high = centre - half, centre + half
    else:  # t interval: mean ± t(0.975, n-1) sd / sqrt(n)
        t = stats.t.ppf(0.975, n - 1)
        low, high = mean - t * sd / math.sqrt(n), mean + t * sd / math.sqrt(n)
    return {"n": n, "value": mean, "sd": sd, "ci_low": low, "ci_high": high}


def kind(measure: str) -> str:
    return "mean" if measure in ("mean", "grade_mean") else "proportion"


def hand_suppressed(ns: dict[str, int]) -> set[str]:
    """The anonymity rule for one table row, step by step: hide groups with 1..MIN_N-1; while
    exactly one non-empty group is hidden or the hidden ones hold fewer than MIN_N together,
    hide the next-smallest shown non-empty one. Empty groups (0) never hide a neighbour."""
    return hand_family({"row": ns})


def hand_family(rows: dict[object, dict[str, int]]) -> set[str]:
    """One pattern for a whole family (methods: "one suppression pattern per sibling family"),
    written out: rows whose total is under MIN_N publish nothing and are left out; hide every
    group with 1..MIN_N-1 in some row; then, while some row has exactly one hidden non-empty
    group, or hidden non-empty ones holding fewer than MIN_N together, hide (per round) the
    candidate with fewest respondents among the failing rows' next-smallest shown groups."""
    live = {r: ns for r, ns in rows.items() if sum(ns.values()) >= MIN_N}
    size: dict[str, int] = {}
    for ns in rows.values():
        for g, n in ns.items():
            size[g] = max(size.get(g, 0), n)
    hidden = {g for ns in live.values() for g, n in ns.items() if 0 < n < MIN_N}
    while True:
        candidates = []
        for ns in live.values():
            h = [g for g in hidden if ns.get(g, 0) > 0]
            if len(h) == 1 or (len(h) >= 2 and sum(ns[g] for g in h) < MIN_N):
                shown = sorted((n, size[g], g) for g, n in ns.items() if g not in hidden and n > 0)
                if shown:
                    candidates.append((size[shown[0][2]], shown[0][0], shown[0][2]))
        if not candidates:
            return hidden
        hidden.add(min(candidates)[2])


@pytest.fixture(scope="module")
def results():
    settings = load_settings().replace(min_n=MIN_N, weighting=False)
    return compute(hand_wave(), None, settings)["results"]


def _subset(d: dict, rows: list[int]) -> dict:
    return {k: [v[r] for r in rows] for k, v in d.items()}


def test_organisation_figures(results):
    got = results[(results["org"] == "X") & (results["unit"] == "") & (results["breakdown"] == "")
                  & (results["comparison"] == "") & (results["measure"] != "respondents")]
    ref = respondent_values(X)
    assert len(got) == len(ref)  # one row per figure, nothing more, nothing less
    for (measure, domain, item), vals in ref.items():
        row = got[(got["measure"] == measure) & (got["domain"] == domain) & (got["item"] == item)]
        assert len(row) == 1, (measure, domain, item)
        row = row.iloc[0]
        e = estimate(vals, kind(measure))
        if e["n"] < MIN_N:
            assert row["flag"] == "suppressed" and np.isnan(row["value"]) and np.isnan(row["n"])
            continue
        assert row["n"] == e["n"], (measure, domain, item)
        for c in ("value", "sd", "ci_low", "ci_high"):
            if np.isnan(e[c]):
                assert np.isnan(row[c])
            else:
                assert row[c] == pytest.approx(e[c], abs=1e-12), (measure, domain, item, c)


def test_some_hand_values_written_out(results):
    # a1 of X: answers 5,4,4,3,2,5,4,4,1,3,4,5,(nvt),4,3,4,2,3,3,4,2,1,3,(nvt),2,3,5,5,4,4
    # 28 valid, top-2 (4 or 5): 15 -> 15/28
    row = results[(results["org"] == "X") & (results["item"] == "a1") & (results["measure"] == "top2")
                  & (results["unit"] == "") & (results["breakdown"] == "") & (results["comparison"] == "")]
    assert row["n"].iloc[0] == 28
    assert row["value"].iloc[0] == pytest.approx(15 / 28)
    # n.v.t. share of a1: 2 of 30 shown; skip share of b1: 5 of 30 (respondents 1, 2, 13, 25, 26)
    nvt = results[(results["org"] == "X") & (results["item"] == "a1") & (results["measure"] == "nvt_share")]
    assert nvt["value"].iloc[0] == pytest.approx(2 / 30)
    skip = results[(results["org"] == "X") & (results["item"] == "b1") & (results["measure"] == "skip_share")]
    assert skip["value"].iloc[0] == pytest.approx(5 / 30)
    # respondents of X: 30
    resp = results[(results["org"] == "X") & (results["measure"] == "respondents") & (results["unit"] == "")
                   & (results["breakdown"] == "")]
    assert resp["value"].iloc[0] == 30


@pytest.mark.parametrize("level", ["unit", "age_group"])
def test_sibling_figures_and_suppression(results, level):
    groups: dict[str, list[int]] = {}
    key = X["unit"] if level == "unit" else X["age_group"]
    for r, g in enumerate(key):
        groups.setdefault(g, []).append(r)
    if level == "unit":
        got = results[(results["org"] == "X") & (results["unit"] != "") & (results["comparison"] == "")]
        label = "unit"
    else:
        got = results[(results["org"] == "X") & (results["breakdown"] == "age_group")]
        label = "category"
    refs = {g: respondent_values(_subset(X, rows)) for g, rows in groups.items()}
    figs = [f for f in refs[next(iter(refs))] if f[0] not in ("nvt_share", "skip_share")]  # org only
    ests = {fig: {g: estimate(refs[g][fig], kind(fig[0])) for g in refs} for fig in figs}
    # one pattern for the family: every figure and the respondent counts
    counts = {("respondents",): {g: len(rows) for g, rows in groups.items()}}
    hidden = hand_family({**counts, **{fig: {g: e["n"] for g, e in es.items()} for fig, es in ests.items()}})
    checked_hidden = 0
    for fig in figs:
        for g, e in ests[fig].items():
            row = got[(got[label] == g) & (got["measure"] == fig[0]) & (got["domain"] == fig[1])
                      & (got["item"] == fig[2])]
            if e["n"] == 0 and len(row) == 0:
                continue
            assert len(row) == 1, (g, fig)
            row = row.iloc[0]
            if g in hidden or e["n"] < MIN_N:
                checked_hidden += 1
                assert row["flag"] == "suppressed" and np.isnan(row["value"]) and np.isnan(row["n"]), (g, fig)
            else:
                assert row["n"] == e["n"] and row["value"] == pytest.approx(e["value"], abs=1e-12), (g, fig)
    assert checked_hidden > 0
    # respondents per group, with the same pattern: U3 (4) is hidden, so U2 (10) is hidden too
    got_counts = got[got["measure"] == "respondents"].set_index(label)["value"]
    for g, rows in groups.items():
        assert np.isnan(got_counts[g]) if g in hidden else got_counts[g] == len(rows)
    if level == "unit":
        assert hidden == {"U2", "U3"}


def test_benchmark_comparisons_by_hand(results):
    """X against Y and Z pooled; z-test / Welch written out; Holm over the family by hand."""
    w = hand_wave()
    r = w.responses
    pooled = {c: [None if pd.isna(v) else int(v) for v in r.loc[r["org"].isin(["Y", "Z"]), c]]
              for c in ITEMS + ["grade"]}
    pooled["unit"] = ["?"] * len(pooled["grade"])
    ref_other = respondent_values(pooled)
    ref_own = respondent_values(X)
    rows = []
    for fig, vals in ref_own.items():
        if fig[0] in ("nvt_share", "skip_share"):
            continue
        a, b = estimate(vals, kind(fig[0])), estimate(ref_other[fig], kind(fig[0]))
        diff = a["value"] - b["value"]
        if a["n"] < MIN_N or b["n"] < MIN_N:
            p = math.nan
        elif kind(fig[0]) == "proportion":  # pooled z: (p1-p2)/sqrt(P(1-P)(1/n1+1/n2))
            P = (a["value"] * a["n"] + b["value"] * b["n"]) / (a["n"] + b["n"])
            se = math.sqrt(P * (1 - P) * (1 / a["n"] + 1 / b["n"]))
            p = 2 * stats.norm.sf(abs(diff / se)) if se > 0 else math.nan
        else:  # Welch: t = diff / sqrt(s1²/n1 + s2²/n2), Welch-Satterthwaite dof
            v1, v2 = a["sd"] ** 2 / a["n"], b["sd"] ** 2 / b["n"]
            t = diff / math.sqrt(v1 + v2)
            dof = (v1 + v2) ** 2 / (v1 ** 2 / (a["n"] - 1) + v2 ** 2 / (b["n"] - 1))
            p = 2 * stats.t.sf(abs(t), dof)
        rows.append({"fig": fig, "diff": diff, "p": p, "ref": b["value"]})
    # Holm: sort the m tested p-values, p_(i) * (m - i + 1), running maximum, capped at 1
    tested = sorted((x for x in rows if not math.isnan(x["p"])), key=lambda x: x["p"])
    m, running = len(tested), 0.0
    for i, x in enumerate(tested):
        running = max(running, min(1.0, (m - i) * x["p"]))
        x["p_adj"] = running
    got = results[(results["org"] == "X") & (results["comparison"] == "benchmark")]
    for x in rows:
        g = got[(got["measure"] == x["fig"][0]) & (got["domain"] == x["fig"][1]) & (got["item"] == x["fig"][2])]
        assert len(g) == 1
        g = g.iloc[0]
        if g["flag"] == "suppressed":
            continue
        assert g["ref_value"] == pytest.approx(x["ref"], abs=1e-12)
        if math.isnan(x["p"]):
            assert g["flag"] == "not tested"
            continue
        assert g["diff"] == pytest.approx(x["diff"], abs=1e-12)
        assert g["p"] == pytest.approx(x["p"], rel=1e-9)
        assert g["p_adj"] == pytest.approx(x["p_adj"], rel=1e-9)
        assert g["flag"] in ("higher", "lower", "no difference")
    # the peer group of X (Y and Z: 2 other ministries) is below peer_min_orgs = 3: not tested
    peers = results[(results["org"] == "X") & (results["comparison"] == "peers")]
    assert len(peers) and set(peers["flag"]) <= {"not tested", "suppressed"}
    assert peers["ref_value"].isna().all()


def test_small_organisation_left_out(results):
    # V has 5 respondents: no figure of V anywhere, and V is in no benchmark
    assert not (results["org"] == "V").any()
    wave_total = results[(results["org"] == "") & (results["breakdown"] == "") & (results["measure"] == "respondents")]
    assert wave_total["value"].iloc[0] == 30 + 24 + 14


def test_weighting_by_hand():
    """X's a1 top-2 with post-stratification: U1 N=40 n=16, U2 N=60 n=10, U3 N=10 n=4 (< 10 ->
    'other', n=4 < 10 too -> joins the smallest unit U2: N=70, n=14)."""
    settings = load_settings().replace(min_n=MIN_N, weighting=True)
    res = compute(hand_wave(), None, settings)["results"]
    w_cell = {"U1": 40 / 16, "U2": 70 / 14, "U3": 70 / 14}
    num = den = 0.0
    for u, c in zip(X["unit"], X["a1"]):
        if c is not None and 1 <= c <= 5:
            num += w_cell[u] * (c >= 4)
            den += w_cell[u]
    row = res[(res["org"] == "X") & (res["item"] == "a1") & (res["measure"] == "top2") & (res["unit"] == "")
              & (res["breakdown"] == "") & (res["comparison"] == "")]
    assert row["value"].iloc[0] == pytest.approx(num / den)
    unweighted = 15 / 28
    assert abs(num / den - unweighted) > 0.01  # the weights matter here


def test_organisation_below_threshold_on_an_item_stays_out_of_group_figures():
    """Y answers b2 only 5 times: Y's b2 figure is suppressed, and the wave total, the type total
    and X's benchmark of b2 hold X and Z only (else Y's figure = total minus X minus Z)."""
    from ikto_lib.audit import audit_frame

    wave = hand_wave()
    r = wave.responses
    y_rows = r.index[r["org"] == "Y"]
    r.loc[y_rows[5:], "b2"] = pd.NA
    res = compute(wave, None, load_settings().replace(min_n=MIN_N, weighting=False))["results"]

    def n_of(org, comparison="", breakdown=""):
        row = res[(res["org"] == org) & (res["item"] == "b2") & (res["measure"] == "top2") & (res["unit"] == "")
                  & (res["breakdown"] == breakdown) & (res["comparison"] == comparison)]
        return row

    assert n_of("Y")["flag"].iloc[0] == "suppressed"
    x_n, z_n = n_of("X")["n"].iloc[0], n_of("Z")["n"].iloc[0]
    assert n_of("")["n"].iloc[0] == x_n + z_n
    total = res[(res["org"] == "") & (res["breakdown"] == "type") & (res["category"] == "ministerie")
                & (res["item"] == "b2") & (res["measure"] == "top2")]
    assert total["n"].iloc[0] == x_n + z_n
    assert n_of("X", "benchmark")["ref_n"].iloc[0] == z_n
    assert audit_frame(res, min_n=MIN_N, table="results") == []


def test_ensure_prepared_reuses_only_unchanged_results(tmp_path):
    from ikto_lib.prepare import ensure_prepared

    settings = load_settings().replace(min_n=MIN_N, weighting=False)
    wave = hand_wave()
    out, reused = ensure_prepared(wave, None, settings, tmp_path / "prepared")
    assert not reused and (out / "manifest.json").exists()
    stamp = (out / "results.parquet").stat().st_mtime_ns
    assert ensure_prepared(wave, None, settings, out) == (out, True)
    assert (out / "results.parquet").stat().st_mtime_ns == stamp
    # run-only settings change nothing; a figure-changing setting or force makes them again
    assert ensure_prepared(wave, None, settings.replace(workers=7, language="en"), out)[1] is True
    assert ensure_prepared(wave, None, settings.replace(weighting=True), out)[1] is False
    assert ensure_prepared(wave, None, settings.replace(weighting=True), out, force=True)[1] is False


def test_prepared_files_are_readable_by_others_and_leave_no_temporary_file(tmp_path):
    from ikto_lib.prepare import prepare

    out = prepare(hand_wave(), None, load_settings().replace(min_n=MIN_N), tmp_path / "prepared")
    files = list(out.iterdir())
    assert {f.name for f in files} >= {"results.parquet", "manifest.json"}
    assert all(f.stat().st_mode & 0o044 == 0o044 for f in files)  # group and others may read
    assert not [f for f in files if f.name.startswith(".") or f.suffix == ".part"]


def test_organisation_with_few_grades_stays_out_of_the_grade_distribution():
    """Y gives only 5 grades: its grade mean is suppressed, and the wave's grade distribution holds
    X and Z only (else Y's mean = (sum of grade x share x n) minus X's and Z's, divided by 5)."""
    wave = hand_wave()
    r = wave.responses
    gid = wave.instrument.grade.id
    y_rows = r.index[r["org"] == "Y"]
    r.loc[y_rows[5:], gid] = pd.NA
    tables = compute(wave, None, load_settings().replace(min_n=MIN_N, weighting=False))
    res, dist = tables["results"], tables["grade_distribution"]
    mean = res[(res["measure"] == "grade_mean") & (res["unit"] == "") & (res["breakdown"] == "")
               & (res["comparison"] == "")].set_index("org")
    assert mean.loc["Y", "flag"] == "suppressed"
    graded = pd.to_numeric(r[gid], errors="coerce").notna().groupby(r["org"].astype(str)).sum()
    wave_dist = dist[dist["scope"] == "wave"]
    assert (wave_dist["n"] == graded["X"] + graded["Z"]).all()
    assert mean.loc["", "n"] == graded["X"] + graded["Z"]  # the same organisations as the wave figure
    assert (dist["n"] >= MIN_N).all()
    # the distribution is X's and Z's grades, by hand
    xz = pd.to_numeric(r.loc[r["org"].isin(["X", "Z"]), gid], errors="coerce").dropna().astype(int)
    expected = xz.value_counts(normalize=True).sort_index()
    got = wave_dist.set_index("grade")["share"].sort_index()
    assert np.allclose(got.to_numpy(), expected.to_numpy()) and list(got.index) == list(expected.index)
