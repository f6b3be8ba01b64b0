"""Estimates: intervals vs statsmodels/scipy, Kish, FPC and group summaries by hand / pandas."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from ikto_lib.stats import (
    from_sums,
    group_summary,
    kish_neff,
    leave_one_out,
    margin_of_error,
    pool_summaries,
    t_interval,
    wilson_interval,
)

from . import reference as ref

Z95 = 1.959963984540054  # scipy: stats.norm.isf(0.025)


@pytest.mark.parametrize("k,n,conf,low,high", ref.WILSON)
def test_wilson_vs_statsmodels_literals(k, n, conf, low, high):
    got = wilson_interval(k, n, confidence=conf)
    np.testing.assert_allclose(got, (low, high), rtol=1e-12, atol=1e-15)
    # and live
    np.testing.assert_allclose(got, proportion_confint(k, n, alpha=1 - conf, method="wilson"), atol=1e-15)


def test_wilson_vectorised_noninteger_and_empty():
    k = np.array([4.5, 0.0, 3.0])
    n = np.array([10.3, 0.0, 3.0])
    low, high = wilson_interval(k, n, confidence=0.95)
    sm_low, sm_high = proportion_confint(4.5, 10.3, alpha=0.05, method="wilson")
    assert low[0] == pytest.approx(sm_low, abs=1e-14) and high[0] == pytest.approx(sm_high, abs=1e-14)
    assert np.isnan(low[1]) and np.isnan(high[1])
    assert high[2] == 1.0
    with pytest.raises(ValueError):
        wilson_interval(5, 4, confidence=0.95)
    with pytest.raises(ValueError, match="confidence"):
        wilson_interval(1, 4, confidence=95)


def test_t_interval_vs_scipy():
    # scipy: stats.t.interval(0.95, df=24, loc=3.5, scale=1.0 / np.sqrt(25))
    expected = stats.t.interval(0.95, df=24, loc=3.5, scale=1.0 / 5)
    np.testing.assert_allclose(t_interval(3.5, 1.0, 25, confidence=0.95), expected, rtol=1e-13)
    low, high = t_interval([3.5, 2.0], [1.0, 0.5], [1, 0], confidence=0.95)
    assert np.isnan(low).all() and np.isnan(high).all()


def test_kish_neff_hand():
    # (1 + 1 + 2 + 2)^2 / (1 + 1 + 4 + 4) = 36 / 10
    assert kish_neff([1, 1, 2, 2]) == pytest.approx(3.6)
    assert kish_neff(np.ones(7)) == pytest.approx(7.0)
    assert np.isnan(kish_neff([0.0, 0.0]))
    by = kish_neff(pd.Series([1.0, 1, 2, 2, 3]), by=pd.Series(list("aaaab")))
    assert by.to_dict() == pytest.approx({"a": 3.6, "b": 1.0})
    with pytest.raises(ValueError):
        kish_neff([1.0, -1.0])


def test_margin_of_error_fpc_hand():
    # z * sqrt(0.25 / 100) * sqrt((1000 - 100) / (1000 - 1)), z = norm.isf(0.025)
    expected = Z95 * np.sqrt(0.25 / 100) * np.sqrt(900 / 999)
    assert margin_of_error(100, 1000, confidence=0.95) == pytest.approx(expected, rel=1e-12)
    # census: no sampling error; infinite population: no correction; n = 0: not defined
    got = margin_of_error([50, 100, 0], [50, np.inf, 10], confidence=0.95)
    np.testing.assert_allclose(got, [0.0, Z95 * 0.05, np.nan])
    assert margin_of_error(100, 1000, confidence=0.95, p=0.2) == pytest.approx(
        Z95 * np.sqrt(0.16 / 100) * np.sqrt(900 / 999)
    )
    with pytest.raises(ValueError, match="n <= N"):
        margin_of_error(11, 10, confidence=0.95)


def _data(seed=1, n=400, items=3, groups=5):
    rng = np.random.default_rng(seed)
    vals = rng.integers(1, 6, size=(n, items)).astype(float)
    vals[rng.random((n, items)) < 0.2] = np.nan
    frame = pd.DataFrame(vals, columns=[f"q{i}" for i in range(items)])
    org = pd.Series(rng.choice([f"o{i}" for i in range(groups)], size=n), name="org")
    unit = pd.Series(rng.choice(["u1", "u2"], size=n), name="unit")
    w = pd.Series(rng.uniform(0.3, 3.0, size=n), name="w")
    return frame, org, unit, w


def test_group_summary_unweighted_mean_vs_pandas():
    frame, org, _, _ = _data()
    s = group_summary(frame, [org], kind="mean", confidence=0.95).set_index(["org", "item"])
    g = frame.groupby(org)
    for stat, col in [("count", "n"), ("mean", "value"), ("std", "sd")]:
        expected = getattr(g, stat)().stack()
        expected.index.names = ["org", "item"]
        np.testing.assert_allclose(s[col], expected.reindex(s.index), rtol=1e-12)
    assert (s["n_eff"] == s["n"]).all()
    # t interval: statsmodels DescrStatsW(x).tconfint_mean(alpha=0.05) for one cell
    x = frame.loc[org == "o2", "q1"].dropna().to_numpy()
    np.testing.assert_allclose(s.loc[("o2", "q1"), ["ci_low", "ci_high"]], DescrStatsW(x).tconfint_mean(0.05))


def test_group_summary_proportion_wilson_unweighted():
    frame, org, _, _ = _data()
    t2 = (frame >= 4).astype(float).where(frame.notna())
    s = group_summary(t2, org, kind="proportion", confidence=0.95)
    row = s[(s["org"] == "o0") & (s["item"] == "q2")].iloc[0]
    x = t2.loc[org == "o0", "q2"].dropna()
    # statsmodels: proportion_confint(x.sum(), len(x), alpha=0.05, method="wilson")
    np.testing.assert_allclose([row["ci_low"], row["ci_high"]], proportion_confint(x.sum(), len(x), method="wilson"))
    assert row["value"] == pytest.approx(x.mean())


def test_group_summary_weighted_hand():
    # one group, x = 1, 2, 3, 4 with w = 1, 1, 2, 2 (and a missing answer with weight 5)
    v = pd.DataFrame({"q": [1.0, 2.0, 3.0, 4.0, np.nan]})
    w = pd.Series([1.0, 1.0, 2.0, 2.0, 5.0])
    s = group_summary(v, None, weights=w, kind="mean", confidence=0.95).iloc[0]
    mean = (1 + 2 + 6 + 8) / 6
    ss = 1 * (1 - mean) ** 2 + 1 * (2 - mean) ** 2 + 2 * (3 - mean) ** 2 + 2 * (4 - mean) ** 2
    var = ss / (6 - 10 / 6)  # V1 - V2 / V1
    assert s["n"] == 4 and s["sum_w"] == 6 and s["sum_w2"] == 10 and s["sum_wx"] == 17
    assert s["sum_wx2"] == 1 + 4 + 18 + 32
    assert s["n_eff"] == pytest.approx(3.6)
    assert s["value"] == pytest.approx(mean)
    assert s["sd"] ** 2 == pytest.approx(var)
    # statsmodels: DescrStatsW(x, weights=w, ddof=0).var is sum w (x - m)^2 / sum w
    d = DescrStatsW(np.array([1.0, 2, 3, 4]), weights=np.array([1.0, 1, 2, 2]), ddof=0)
    assert s["sd"] ** 2 == pytest.approx(d.var * 6 / (6 - 10 / 6))
    # t interval with n_eff: df = 2.6
    half = stats.t.ppf(0.975, 2.6) * np.sqrt(var) / np.sqrt(3.6)
    assert (s["ci_low"], s["ci_high"]) == pytest.approx((mean - half, mean + half))


def test_group_summary_two_keys_drops_missing_key_and_keeps_order():
    frame, org, unit, w = _data()
    org = org.copy()
    org.iloc[:5] = None
    s = group_summary(frame, pd.concat([org, unit], axis=1), weights=w, kind="mean", confidence=0.95)
    assert list(s.columns[:3]) == ["org", "unit", "item"]
    assert s["n"].sum() == frame.iloc[5:].notna().sum().sum()
    assert s[["org", "unit"]].drop_duplicates().apply(tuple, axis=1).is_monotonic_increasing
    assert list(s["item"][:3]) == ["q0", "q1", "q2"]


def test_pool_and_leave_one_out_equal_direct_computation():
    frame, org, unit, w = _data(seed=3)
    kw = dict(kind="mean", confidence=0.95)
    by_unit = group_summary(frame, [org, unit], weights=w, **kw)
    by_org = group_summary(frame, [org], weights=w, **kw)
    pooled = pool_summaries(by_unit, ["org"], **kw)
    cols = ["n", "n_eff", "value", "sd", "ci_low", "ci_high"]
    np.testing.assert_allclose(pooled[cols], by_org[cols], rtol=1e-10)
    # benchmark of o1 = all other organisations, computed directly
    loo = leave_one_out(by_org, **kw).set_index(["org", "item"])
    mask = org != "o1"
    direct = group_summary(frame[mask], None, weights=w[mask], **kw).set_index("item")
    np.testing.assert_allclose(loo.loc["o1", cols], direct[cols], rtol=1e-10)
    assert (loo["n_groups"] == 4).all()
    # peers within a pool: o0, o1 type "a"; others type "b"
    by_org["type"] = np.where(by_org["org"].isin(["o0", "o1"]), "a", "b")
    peers = leave_one_out(by_org, within=["type"], **kw).set_index(["org", "item"])
    only_o0 = group_summary(frame[org == "o0"], None, weights=w[org == "o0"], **kw).set_index("item")
    np.testing.assert_allclose(peers.loc["o1", cols], only_o0[cols], rtol=1e-10)
    assert (peers.loc["o1", "n_groups"] == 1).all()


def test_from_sums_roundtrip_and_validation():
    frame, org, _, w = _data()
    s = group_summary(frame, [org], weights=w, kind="mean", confidence=0.95)
    again = from_sums(s.drop(columns=["value", "sd"]), kind="mean", confidence=0.95)
    # by hand for one group and item: weighted mean; sd with reliability weights,
    # sum w (x - mean)^2 / (V1 - V2 / V1); t interval with Kish's n_eff
    m = (org == "o2") & frame["q1"].notna()
    x, ww = frame.loc[m, "q1"].to_numpy(), w[m].to_numpy()
    mean = np.average(x, weights=ww)
    v1, v2 = ww.sum(), (ww**2).sum()
    sd = np.sqrt((ww * (x - mean) ** 2).sum() / (v1 - v2 / v1))
    n_eff = v1**2 / v2
    half = stats.t.ppf(0.975, n_eff - 1) * sd / np.sqrt(n_eff)
    row = again[(s["org"] == "o2").to_numpy() & (s["item"] == "q1").to_numpy()].iloc[0]
    assert (row["value"], row["sd"], row["ci_low"]) == pytest.approx((mean, sd, mean - half), rel=1e-10)
    with pytest.raises(ValueError, match="lacks"):
        from_sums(s.drop(columns=["sum_w2"]), kind="mean", confidence=0.95)
    with pytest.raises(ValueError, match="kind"):
        group_summary(frame, [org], kind="median", confidence=0.95)
    with pytest.raises(ValueError, match="0, 1"):
        group_summary(frame, [org], kind="proportion", confidence=0.95)
    with pytest.raises(ValueError, match="weights"):
        group_summary(frame, [org], weights=w.iloc[:-1], kind="mean", confidence=0.95)
    with pytest.raises(ValueError, match="same index"):
        group_summary(frame, [org.iloc[:-1]], kind="mean", confidence=0.95)


def test_identical_answers_give_exact_zero_sd_when_weighted():
    v = pd.DataFrame({"q": [4.0] * 7})
    w = pd.Series([0.3, 1.7, 2.9, 0.11, 1.0, 5.5, 0.01])
    s = group_summary(v, None, weights=w, kind="mean", confidence=0.95).iloc[0]
    assert s["sd"] == 0.0 and s["value"] == pytest.approx(4.0)
