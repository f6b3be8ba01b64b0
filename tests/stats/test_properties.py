"""Property tests (hypothesis): intervals, Holm, weights of 1, flags."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ikto_lib.stats import flag, group_summary, holm, t_interval, wilson_interval

CONF = st.sampled_from([0.8, 0.9, 0.95, 0.99])
fast = settings(max_examples=60, deadline=None)


@fast
@given(n=st.floats(0.5, 1e5), frac=st.floats(0, 1), conf=CONF)
def test_wilson_contains_estimate_within_unit_interval(n, frac, conf):
    k = frac * n
    low, high = wilson_interval(k, n, confidence=conf)
    assert 0.0 <= low <= k / n + 1e-12
    assert k / n - 1e-12 <= high <= 1.0


@fast
@given(mean=st.floats(-10, 10), sd=st.floats(0, 5), n=st.floats(1.01, 1e4), conf=CONF)
def test_t_interval_contains_mean(mean, sd, n, conf):
    low, high = t_interval(mean, sd, n, confidence=conf)
    assert low <= mean <= high


@fast
@given(
    data=hnp.arrays(np.float64, st.tuples(st.integers(1, 40), st.integers(1, 3)), elements=st.sampled_from([0.0, 1.0, np.nan])),
    groups=st.integers(1, 4),
    conf=CONF,
)
def test_group_proportion_interval_in_unit_and_contains_value(data, groups, conf):
    frame = pd.DataFrame(data)
    key = pd.Series(np.arange(len(frame)) % groups, name="g")
    s = group_summary(frame, [key], kind="proportion", confidence=conf)
    ok = s["n"] > 0
    assert ((s.loc[ok, "ci_low"] >= 0) & (s.loc[ok, "ci_high"] <= 1)).all()
    assert ((s.loc[ok, "ci_low"] <= s.loc[ok, "value"] + 1e-12) & (s.loc[ok, "value"] <= s.loc[ok, "ci_high"] + 1e-12)).all()
    assert s.loc[~ok, "value"].isna().all()


@fast
@given(
    p=hnp.arrays(np.float64, st.integers(1, 30), elements=st.one_of(st.floats(0, 1), st.just(np.nan))),
    n_fam=st.integers(1, 3),
)
def test_holm_monotone_and_not_below_raw(p, n_fam):
    fam = np.arange(p.size) % n_fam
    adj = holm(p, groups=fam)
    assert np.array_equal(np.isnan(adj), np.isnan(p))
    ok = ~np.isnan(p)
    assert (adj[ok] >= p[ok] - 1e-15).all() and (adj[ok] <= 1).all()
    for f in range(n_fam):
        sel = ok & (fam == f)
        order = np.argsort(p[sel], kind="mergesort")
        assert (np.diff(adj[sel][order]) >= -1e-15).all()


@fast
@given(
    data=hnp.arrays(np.float64, st.tuples(st.integers(1, 30), st.integers(1, 3)), elements=st.one_of(st.integers(1, 5).map(float), st.just(np.nan))),
    groups=st.integers(1, 3),
    kind=st.sampled_from(["mean", "proportion"]),
)
def test_weights_of_one_equal_unweighted(data, groups, kind):
    frame = pd.DataFrame(data)
    if kind == "proportion":
        frame = (frame >= 4).astype(float).where(frame.notna())
    key = pd.Series(np.arange(len(frame)) % groups, name="g")
    a = group_summary(frame, [key], kind=kind, confidence=0.95)
    b = group_summary(frame, [key], weights=pd.Series(np.ones(len(frame))), kind=kind, confidence=0.95)
    pd.testing.assert_frame_equal(a, b, rtol=1e-12)


@fast
@given(
    p=hnp.arrays(np.float64, 10, elements=st.one_of(st.floats(0, 1), st.just(np.nan))),
    d=hnp.arrays(np.float64, 10, elements=st.floats(-1, 1)),
)
def test_flags_consistent(p, d):
    out = flag(p, d, alpha=0.05, min_effect=0.05)
    assert ((out == "higher") <= ((d >= 0.05 - 1e-12) & (p < 0.05))).all()
    assert ((out == "lower") <= ((d <= -0.05 + 1e-12) & (p < 0.05))).all()
    assert ((out == "not tested") == np.isnan(p)).all()
