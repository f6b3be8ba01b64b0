"""Cronbach's alpha: hand computation, pingouin's documented examples (= R psych), edge cases."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

from ikto_lib.stats import alpha_by_domain, cronbach_alpha

from . import reference as ref


def test_cronbach_alpha_hand_computed():
    # alpha = k / (k - 1) * (1 - sum(item variances) / variance(total))
    # a = 1,2,3,4 (var 5/3), b = 2,2,4,4 (var 4/3), c = 1,3,3,5 (var 8/3); total 4,7,10,13 (var 15)
    # alpha = 3/2 * (1 - (17/3) / 15) = 3/2 * 28/45 = 14/15
    x = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 2, 4, 4], "c": [1.0, 3, 3, 5]})
    res = cronbach_alpha(x, confidence=0.95)
    assert res["alpha"] == pytest.approx(14 / 15, rel=1e-12)
    assert res["n"] == 4 and res["n_items"] == 3
    assert res["ci_low"] < res["alpha"] < res["ci_high"]


def test_cronbach_alpha_pingouin_docs_listwise():
    # alpha: pingouin docs, = R psych::alpha(data, use="complete.obs")
    data = pg.read_dataset("cronbach_wide_missing")  # 12 rows, 9 complete, 11 items
    res = cronbach_alpha(data, confidence=0.95)
    assert res["alpha"] == pytest.approx(ref.CRONBACH_WIDE_MISSING[0], rel=1e-12)
    assert res["n"] == 9 and res["n_items"] == 11
    # The documented interval (0.581, 0.933) uses n = 12 (pingouin takes n before its listwise
    # deletion); ours uses the 9 complete rows it is computed on. Feldt by hand with scipy:
    # 1 - (1 - alpha) * f.isf(0.025, 8, 80) and 1 - (1 - alpha) * f.isf(0.975, 8, 80)
    low = 1 - (1 - res["alpha"]) * stats.f.isf(0.025, 8, 80)
    high = 1 - (1 - res["alpha"]) * stats.f.isf(0.975, 8, 80)
    assert (res["ci_low"], res["ci_high"]) == pytest.approx((low, high), abs=5e-4)  # pingouin rounds to 3
    # with n = 12 the documented interval is reproduced (checks the reading above)
    low12 = 1 - (1 - res["alpha"]) * stats.f.isf(0.025, 11, 110)
    high12 = 1 - (1 - res["alpha"]) * stats.f.isf(0.975, 11, 110)
    assert (low12, high12) == pytest.approx(ref.CRONBACH_WIDE_MISSING[1:], abs=5e-4)


def test_cronbach_alpha_pingouin_docs_long():
    # pingouin docs: long data pivoted to respondents x items
    long = pg.read_dataset("cronbach_alpha")
    wide = long.pivot(index="Subj", columns="Items", values="Scores")
    res = cronbach_alpha(wide, confidence=0.95)
    assert res["alpha"] == pytest.approx(ref.CRONBACH_LONG[0], rel=1e-12)
    assert (res["ci_low"], res["ci_high"]) == pytest.approx(ref.CRONBACH_LONG[1:], abs=5e-4)
    # another confidence: Feldt's interval by hand, n rows and k items
    res90 = cronbach_alpha(wide, confidence=0.90)
    n, k = wide.shape
    low90 = 1 - (1 - res90["alpha"]) * stats.f.isf(0.05, n - 1, (n - 1) * (k - 1))
    assert res90["ci_low"] == pytest.approx(low90, abs=5e-4) and res90["ci_low"] > res["ci_low"]


def test_cronbach_alpha_not_computable():
    one_item = pd.DataFrame({"a": [1.0, 2, 3, 4]})
    two_rows = pd.DataFrame({"a": [1.0, 2, np.nan], "b": [2.0, 3, 4]})
    constant = pd.DataFrame({"a": [3.0] * 5, "b": [3.0] * 5})
    for data in (one_item, two_rows, constant):
        res = cronbach_alpha(data, confidence=0.95)
        assert np.isnan(res[["alpha", "ci_low", "ci_high"]]).all()
    assert cronbach_alpha(two_rows, confidence=0.95)["n"] == 2


def test_alpha_by_domain():
    x = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 2, 4, 4], "c": [1.0, 3, 3, 5], "d": [np.nan] * 4})
    res = alpha_by_domain(x, {"D1": ["a", "b", "c"], "D2": ["c", "d"]}, confidence=0.95, min_n=3)
    assert list(res.columns) == ["domain", "n_items", "n", "alpha", "ci_low", "ci_high"]
    assert res["alpha"].iloc[0] == pytest.approx(14 / 15)
    assert res["n"].tolist() == [4, 0] and np.isnan(res["alpha"].iloc[1])
    # fewer complete rows than min_n: not computed
    assert np.isnan(alpha_by_domain(x, {"D1": ["a", "b"]}, confidence=0.95, min_n=5)["alpha"]).all()
    with pytest.raises(ValueError, match="not in values"):
        alpha_by_domain(x, {"D1": ["zz"]}, confidence=0.95, min_n=3)
