"""Weights: post-stratification and organisation weights, hand computations written out."""

import numpy as np
import pandas as pd
import pytest

from ikto_lib.stats import combine, group_summary, org_weights, poststrat_weights


def _frames():
    # Org A (min_n = 10): u1 N=100 n=20, u2 N=50 n=10, u3 N=30 n=6 (small), u4 N=20 n=5 (small),
    #   u5 N=40 n=0 (small) -> "other" = u3+u4+u5: N=90, n=11 (>= 10, kept as one cell)
    # Org B: b1 N=60 n=12, b2 N=10 n=3 (small) -> "other" n=3 < 10 joins b1, the only regular
    #   cell -> one cell for the whole org: weights 1
    # Org C: no headcount at all -> not weighted: weights 1
    # Org Z: headcount only, no respondents: ignored
    units = ["u1"] * 20 + ["u2"] * 10 + ["u3"] * 6 + ["u4"] * 5 + ["b1"] * 12 + ["b2"] * 3 + ["c1"] * 4
    orgs = ["A"] * 41 + ["B"] * 15 + ["C"] * 4
    resp = pd.DataFrame({"org": orgs, "unit": units}, index=np.arange(1000, 1000 + len(orgs)))
    hc = pd.DataFrame(
        {
            "org": ["A"] * 5 + ["B"] * 2 + ["Z"],
            "unit": ["u1", "u2", "u3", "u4", "u5", "b1", "b2", "z1"],
            "headcount": [100, 50, 30, 20, 40, 60, 10, 99],
        }
    )
    return resp, hc


def test_poststrat_hand_computed():
    resp, hc = _frames()
    w = poststrat_weights(resp, hc, min_n=10)
    assert w.index.equals(resp.index) and w.name == "weight"
    # Org A: cell ratios N/n: u1 100/20 = 5, u2 50/10 = 5, other 90/11; rescale n_A / N_A = 41 / 240
    f = 41 / 240
    a = w[resp["org"] == "A"]
    np.testing.assert_allclose(a[resp["unit"] == "u1"], 5 * f)
    np.testing.assert_allclose(a[resp["unit"] == "u2"], 5 * f)
    np.testing.assert_allclose(a[resp["unit"].isin(["u3", "u4"])], 90 / 11 * f)
    assert a.sum() == pytest.approx(41)
    # weighted shares of cells equal headcount shares: u1 100/240, other 90/240
    assert a[resp["unit"] == "u1"].sum() / 41 == pytest.approx(100 / 240)
    # Org B collapses to one cell, Org C has no headcount: unweighted
    assert (w[resp["org"].isin(["B", "C"])] == 1.0).all()


def test_poststrat_empty_other_and_missing_unit():
    resp = pd.DataFrame({"org": ["D"] * 30, "unit": ["d1"] * 10 + ["d3"] * 20})
    hc = pd.DataFrame({"org": ["D"] * 3, "unit": ["d1", "d2", "d3"], "headcount": [80, 20, 40]})
    w = poststrat_weights(resp, hc, min_n=10)
    # d2 has no respondents: other cell empty, left out. Ratios 80/10 = 8 and 40/20 = 2; rescale 30/120
    np.testing.assert_allclose(w[:10], 8 * 30 / 120)
    np.testing.assert_allclose(w[10:], 2 * 30 / 120)
    # one respondent without unit -> "other" = d2 (N=20, n=0) + no unit (n=1): n=1 < min_n,
    # so it joins the smallest regular cell d1 (n=10): N=100, n=11; d3: N=40, n=20.
    # Ratios 100/11 and 40/20, rescaled by n/N = 31/140.
    resp2 = pd.concat([resp, pd.DataFrame({"org": ["D"], "unit": [None]})], ignore_index=True)
    w2 = poststrat_weights(resp2, hc, min_n=10).to_numpy()
    np.testing.assert_allclose(w2[:10], 100 / 11 * 31 / 140)
    np.testing.assert_allclose(w2[10:30], 40 / 20 * 31 / 140)
    np.testing.assert_allclose(w2[30], 100 / 11 * 31 / 140)
    # with min_n = 1: "other" = unknown unit (n=1) + d2 (N=20, n=0): N=20, n=1, a valid cell.
    # ratios d1 80/10, d3 40/20, other 20/1; rescale 31 / 140
    w1 = poststrat_weights(resp2, hc, min_n=1)
    np.testing.assert_allclose(w1, [8 * 31 / 140] * 10 + [2 * 31 / 140] * 20 + [20 * 31 / 140])


def test_poststrat_bad_input():
    resp, hc = _frames()
    with pytest.raises(ValueError, match="lacks"):
        poststrat_weights(resp.drop(columns="unit"), hc, min_n=10)
    with pytest.raises(ValueError, match="without org"):
        poststrat_weights(resp.assign(org=[None] + list(resp["org"][1:])), hc, min_n=10)
    with pytest.raises(ValueError, match="non-negative"):
        poststrat_weights(resp, hc.assign(headcount=-1), min_n=10)
    assert len(poststrat_weights(resp.iloc[:0], hc, min_n=10)) == 0


def test_org_weights_hand_and_combine():
    resp, hc = _frames()
    N = pd.Series({"A": 240, "B": 70, "C": 40})
    w_org = org_weights(resp["org"], N)
    # N_o / n_o * n / sum N: A 240/41, B 70/15, C 40/4; times 60 / 350
    f = 60 / 350
    np.testing.assert_allclose(w_org[resp["org"] == "A"], 240 / 41 * f)
    np.testing.assert_allclose(w_org[resp["org"] == "C"], 10 * f)
    assert w_org.mean() == pytest.approx(1.0)
    w = combine(poststrat_weights(resp, hc, min_n=10), w_org)
    assert w.mean() == pytest.approx(1.0)
    # each organisation's total weight is proportional to its headcount
    tot = w.groupby(resp["org"]).sum()
    np.testing.assert_allclose(tot / tot.sum(), N / N.sum())
    with pytest.raises(ValueError, match="headcount"):
        org_weights(resp["org"], N.drop("C"))
    with pytest.raises(ValueError, match="same index"):
        combine(w_org, w_org.iloc[:-1])


def test_org_weight_leaves_own_figures_unchanged():
    resp, hc = _frames()
    rng = np.random.default_rng(0)
    v = pd.DataFrame({"q": rng.integers(1, 6, len(resp)).astype(float)}, index=resp.index)
    w_in = poststrat_weights(resp, hc, min_n=10)
    w_all = combine(w_in, org_weights(resp["org"], pd.Series({"A": 240, "B": 70, "C": 40})))
    a = group_summary(v, [resp["org"]], weights=w_in, kind="mean", confidence=0.95)
    b = group_summary(v, [resp["org"]], weights=w_all, kind="mean", confidence=0.95)
    cols = ["value", "sd", "n_eff", "ci_low", "ci_high"]
    np.testing.assert_allclose(a[cols], b[cols], rtol=1e-12)
