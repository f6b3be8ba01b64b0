"""Johnson's relative weights: published example, closed form, properties, degenerate cases."""

import numpy as np
import pandas as pd
import pytest

from ikto_lib.stats import driver_analysis, relative_weights

from . import reference as ref

PRED = ["cyl", "disp", "hp", "gear"]


def test_mtcars_reproduces_rwa_package_output():
    data = pd.DataFrame(ref.MTCARS, dtype=float)
    # sanity of the typed data against the documented column sums and R's cor(mtcars)
    assert data.sum().to_dict() == pytest.approx({"mpg": 642.9, "cyl": 198, "disp": 7383.1, "hp": 4694, "gear": 118})
    corr = data[PRED + ["mpg"]].corr()
    assert corr.loc["mpg", "cyl"] == pytest.approx(-0.8522, abs=5e-5)
    res = relative_weights(corr, "mpg")
    # rwa README printed 7 decimals
    assert res.attrs["r2"] == pytest.approx(ref.RWA_MTCARS_R2, abs=5e-8)
    for p in PRED:
        assert res.loc[p, "raw_weight"] == pytest.approx(ref.RWA_MTCARS_RAW[p], abs=5e-8)
        assert 100 * res.loc[p, "share"] == pytest.approx(ref.RWA_MTCARS_PCT[p], abs=5e-6)
    np.testing.assert_allclose(res["r"], corr.loc[PRED, "mpg"])
    # the same through driver_analysis on the raw data
    drv = driver_analysis(data[PRED], data["mpg"], min_n=10)
    for p in PRED:  # against R's printed values, not against relative_weights
        assert drv.loc[p, "raw_weight"] == pytest.approx(ref.RWA_MTCARS_RAW[p], abs=5e-8)
    assert drv["n"].tolist() == [32] * 4


def test_two_predictors_closed_form():
    # For R_xx = [[1, r], [r, 1]]: Lambda* = V diag(sqrt(1 + r), sqrt(1 - r)) V' = [[a, b], [b, a]] with
    # a = (sqrt(1+r) + sqrt(1-r)) / 2, b = (sqrt(1+r) - sqrt(1-r)) / 2, det = a^2 - b^2 = sqrt(1 - r^2);
    # beta = Lambda*^-1 r_xy = [a r1 - b r2, a r2 - b r1] / det; eps_1 = a^2 b1^2 + b^2 b2^2, eps_2 = b^2 b1^2 + a^2 b2^2
    r, r1, r2 = 0.5, 0.4, 0.6
    a = (np.sqrt(1 + r) + np.sqrt(1 - r)) / 2
    b = (np.sqrt(1 + r) - np.sqrt(1 - r)) / 2
    det = a * a - b * b
    b1, b2 = (a * r1 - b * r2) / det, (a * r2 - b * r1) / det
    eps = [a * a * b1 * b1 + b * b * b2 * b2, b * b * b1 * b1 + a * a * b2 * b2]
    corr = pd.DataFrame([[1, r, r1], [r, 1, r2], [r1, r2, 1]], index=["x1", "x2", "y"], columns=["x1", "x2", "y"])
    res = relative_weights(corr, "y")
    np.testing.assert_allclose(res["raw_weight"], eps, rtol=1e-12)
    # R^2 = (r1^2 + r2^2 - 2 r r1 r2) / (1 - r^2)
    assert res.attrs["r2"] == pytest.approx((r1**2 + r2**2 - 2 * r * r1 * r2) / (1 - r * r))


def test_weights_sum_to_lstsq_r2_on_standardised_data():
    rng = np.random.default_rng(11)
    n, p = 500, 5
    x = rng.normal(size=(n, p)) @ rng.normal(size=(p, p))  # correlated predictors
    y = x @ rng.normal(size=p) + rng.normal(scale=2.0, size=n)
    zx = (x - x.mean(0)) / x.std(0)
    zy = (y - y.mean()) / y.std()
    beta, *_ = np.linalg.lstsq(zx, zy, rcond=None)
    r2 = 1 - np.sum((zy - zx @ beta) ** 2) / np.sum(zy**2)
    frame = pd.DataFrame(x, columns=[f"d{i}" for i in range(p)])
    res = driver_analysis(frame, pd.Series(y), min_n=30)
    assert res.attrs["r2"] == pytest.approx(r2, rel=1e-10)
    assert res["raw_weight"].sum() == pytest.approx(r2, rel=1e-10)
    assert res["share"].sum() == pytest.approx(1.0)
    assert (res["raw_weight"] >= 0).all()


def test_orthogonal_predictors_give_squared_correlations():
    corr = pd.DataFrame(np.eye(4), index=list("abcy"), columns=list("abcy"))
    corr.loc["y", ["a", "b", "c"]] = corr.loc[["a", "b", "c"], "y"] = [0.5, -0.3, 0.1]
    res = relative_weights(corr, "y")
    np.testing.assert_allclose(res["raw_weight"], [0.25, 0.09, 0.01], atol=1e-14)
    assert res.attrs["r2"] == pytest.approx(0.35)


def test_degenerate_inputs_give_nan_frame():
    sing = pd.DataFrame([[1, 1, 0.5], [1, 1, 0.5], [0.5, 0.5, 1]], index=list("aby"), columns=list("aby"))
    res = relative_weights(sing, "y")
    assert res["raw_weight"].isna().all() and np.isnan(res.attrs["r2"])
    assert res["r"].tolist() == [0.5, 0.5]
    nan = sing.copy()
    nan.loc["a", "b"] = nan.loc["b", "a"] = np.nan
    assert relative_weights(nan, "y")["raw_weight"].isna().all()
    # valid predictor matrix, impossible joint matrix (R^2 > 1)
    bad = pd.DataFrame([[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]], index=list("aby"), columns=list("aby"))
    assert relative_weights(bad, "y")["raw_weight"].isna().all()
    with pytest.raises(ValueError, match="target"):
        relative_weights(sing, "zz")


def test_driver_analysis_min_n_and_constant_predictor():
    rng = np.random.default_rng(3)
    s = pd.DataFrame(rng.normal(size=(50, 2)), columns=["a", "b"])
    y = pd.Series(s["a"] + rng.normal(size=50))
    assert driver_analysis(s, y, min_n=51)["raw_weight"].isna().all()
    s["b"] = 3.0
    res = driver_analysis(s, y, min_n=10)
    assert res["raw_weight"].isna().all() and list(res.index) == ["a", "b"]
    with pytest.raises(ValueError, match="same index"):
        driver_analysis(s, y.iloc[:-1], min_n=10)
