"""Tests and effect sizes vs statsmodels, scipy and pingouin (literals and live calls)."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_effectsize, proportions_ztest

from ikto_lib.stats import (
    chisquare_gof,
    cohens_h,
    compare_summaries,
    group_summary,
    hedges_g,
    holm,
    two_proportion_ztest,
    welch_ttest,
)

from . import reference as ref


@pytest.mark.parametrize("k1,n1,k2,n2,z,p", ref.ZTEST)
def test_ztest_vs_statsmodels(k1, n1, k2, n2, z, p):
    got = two_proportion_ztest(k1 / n1, n1, k2 / n2, n2)
    np.testing.assert_allclose(got, (z, p), rtol=1e-10)
    np.testing.assert_allclose(got, proportions_ztest([k1, k2], [n1, n2]), rtol=1e-10)


def test_ztest_vectorised_and_untestable():
    k1, n1, k2, n2 = (np.array(c, dtype=float) for c in zip(*[r[:4] for r in ref.ZTEST]))
    z, p = two_proportion_ztest(k1 / n1, n1, k2 / n2, n2)
    np.testing.assert_allclose(z, [r[4] for r in ref.ZTEST], rtol=1e-10)
    # empty group, both all-top (pooled p = 1), both none
    z, p = two_proportion_ztest([0.5, 1.0, 0.0], [0, 10, 10], [0.5, 1.0, 0.0], [10, 10, 10])
    assert np.isnan(z).all() and np.isnan(p).all()


def _xy():
    return np.array(ref.WELCH_X, dtype=float), np.array(ref.WELCH_Y, dtype=float)


def test_welch_vs_scipy_and_pingouin():
    x, y = _xy()
    args = (x.mean(), x.std(ddof=1), x.size, y.mean(), y.std(ddof=1), y.size)
    t, dof, p = welch_ttest(*args)
    assert t == pytest.approx(ref.WELCH_T_SCIPY, rel=1e-12)
    assert p == pytest.approx(ref.WELCH_P_SCIPY, rel=1e-10)
    assert dof == pytest.approx(ref.WELCH_DOF_PG, rel=1e-12)
    assert p == pytest.approx(ref.WELCH_P_PG, rel=1e-10)
    live = stats.ttest_ind_from_stats(*args, equal_var=False)
    assert (t, p) == pytest.approx((live.statistic, live.pvalue), rel=1e-12)
    tt = pg.ttest(x, y, correction=True)
    pcol = "p_val" if "p_val" in tt.columns else "p-val"
    assert (t, dof, p) == pytest.approx((tt["T"].iloc[0], tt["dof"].iloc[0], tt[pcol].iloc[0]), rel=1e-10)


def test_welch_from_group_summary_matches_pingouin_raw():
    x, y = _xy()
    v = pd.DataFrame({"q": np.concatenate([x, y])})
    org = pd.Series(["a"] * x.size + ["b"] * y.size, name="org")
    s = group_summary(v, [org], kind="mean", confidence=0.95)
    a, b = s.iloc[[0]], s.iloc[[1]].set_index(s.index[[0]])
    res = compare_summaries(a, b, kind="mean").iloc[0]
    assert res["statistic"] == pytest.approx(ref.WELCH_T_PG, rel=1e-10)
    assert res["p"] == pytest.approx(ref.WELCH_P_PG, rel=1e-10)
    assert res["effect"] == pytest.approx(ref.HEDGES_G_PG, rel=1e-10)
    assert res["practical"] == pytest.approx(abs(ref.HEDGES_G_PG))


def test_hedges_vs_pingouin():
    x, y = _xy()
    g = hedges_g(x.mean(), x.std(ddof=1), x.size, y.mean(), y.std(ddof=1), y.size)
    assert g == pytest.approx(ref.HEDGES_G_PG, rel=1e-12)
    assert g == pytest.approx(pg.compute_effsize(x, y, eftype="hedges"), rel=1e-12)
    rng = np.random.default_rng(5)
    a, b = rng.normal(3.2, 1, 40), rng.normal(3.6, 0.8, 25)
    got = hedges_g(a.mean(), a.std(ddof=1), a.size, b.mean(), b.std(ddof=1), b.size)
    assert got == pytest.approx(pg.compute_effsize(a, b, eftype="hedges"), rel=1e-12)


@pytest.mark.parametrize("p1,p2,h", ref.COHENS_H)
def test_cohens_h_vs_statsmodels(p1, p2, h):
    assert cohens_h(p1, p2) == pytest.approx(h, rel=1e-12)
    assert cohens_h(p1, p2) == pytest.approx(proportion_effectsize(p1, p2), rel=1e-12)


def test_holm_vs_statsmodels_and_pingouin():
    np.testing.assert_allclose(holm(ref.HOLM_P), ref.HOLM_SM, rtol=1e-12)
    np.testing.assert_allclose(holm(ref.HOLM_P), ref.HOLM_PG, rtol=1e-12)
    np.testing.assert_allclose(holm(ref.HOLM_P), multipletests(ref.HOLM_P, method="holm")[1], rtol=1e-12)
    np.testing.assert_allclose(holm(ref.HOLM_P), pg.multicomp(ref.HOLM_P, method="holm")[1], rtol=1e-12)


def test_holm_families_and_nan():
    rng = np.random.default_rng(2)
    p = rng.uniform(0, 0.2, 30)
    p[[3, 17]] = np.nan
    fam = np.repeat(["a", "b", "c"], 10)
    got = holm(pd.Series(p, index=range(100, 130)), groups=fam)
    assert list(got.index) == list(range(100, 130))
    assert np.isnan(got.iloc[[3, 17]]).all()
    for f in "abc":
        sel = (fam == f) & ~np.isnan(p)
        np.testing.assert_allclose(got[sel], multipletests(p[sel], method="holm")[1], rtol=1e-12)
    # two family keys
    k1, k2 = np.repeat([0, 1], 15), np.tile(np.repeat([0, 1, 2], 5), 2)
    got2 = holm(p, groups=[k1, k2])
    sel = (k1 == 1) & (k2 == 2) & ~np.isnan(p)
    np.testing.assert_allclose(got2[sel], pg.multicomp(p[sel], method="holm")[1], rtol=1e-12)
    with pytest.raises(ValueError):
        holm([0.1, 1.2])


@pytest.mark.parametrize("case", [ref.CHI2_A, ref.CHI2_B])
def test_chisquare_gof_vs_scipy(case):
    observed, expected, chi2, dof, p = case
    got = chisquare_gof(observed, expected)
    assert got == pytest.approx((chi2, dof, p), rel=1e-12)  # literals printed by scipy (reference.py)


def test_chisquare_gof_edges():
    # a unit with no headcount and no respondents is dropped
    assert chisquare_gof([30, 20, 50, 0], [25, 25, 50, 0]) == pytest.approx((2.0, 2, 0.36787944117144245))
    assert all(np.isnan(chisquare_gof([10], [100])))
    assert all(np.isnan(chisquare_gof([0, 0], [5, 5])))
    with pytest.raises(ValueError, match="expected count 0"):
        chisquare_gof([3, 4], [10, 0])
    with pytest.raises(ValueError):
        chisquare_gof([3, 4], [10, 5, 1])
