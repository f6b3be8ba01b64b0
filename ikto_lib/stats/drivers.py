"""Drivers: Johnson's relative weights of the domain scores for the overall grade."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["relative_weights", "driver_analysis", "bootstrap_shares"]

_TARGET = "__target__"


def _nan_result(predictors, r) -> pd.DataFrame:
    out = pd.DataFrame(
        {"r": np.asarray(r, dtype=float), "raw_weight": np.nan, "share": np.nan},
        index=pd.Index(predictors, name="predictor"),
    )
    out.attrs["r2"] = np.nan
    return out


def relative_weights(corr: pd.DataFrame, target: str) -> pd.DataFrame:
    """Johnson's (2000) relative weights from a correlation matrix.

    Parameters
    ----------
    corr : DataFrame
        Square correlation matrix of the predictors and the target (labels on both axes).
    target : str
        Label of the target (criterion) in ``corr``.

    Returns
    -------
    DataFrame
        Index ``predictor``; columns ``r`` (Pearson r with the target), ``raw_weight`` (share of
        target variance; they sum to :math:`R^2`) and ``share`` (``raw_weight / R^2``).
        ``result.attrs["r2"]`` holds the model :math:`R^2`. When the predictor matrix is singular
        or not positive definite, has missing correlations, or the full matrix is not a valid
        correlation matrix (:math:`R^2 > 1`), ``raw_weight``, ``share`` and ``r2`` are ``NaN``.

    Notes
    -----
    With :math:`R_{xx} = V \\Lambda V^\\top`, let :math:`\\Lambda^* = V \\Lambda^{1/2} V^\\top`
    (correlations of the predictors with their closest orthogonal counterparts :math:`Z`),
    :math:`\\beta = \\Lambda^{*-1} r_{xy}` (regression of the target on :math:`Z`). Then
    :math:`\\varepsilon_j = \\sum_k \\Lambda^{*2}_{jk} \\beta_k^2` and
    :math:`\\sum_j \\varepsilon_j = \\sum_k \\beta_k^2 = r_{xy}^\\top R_{xx}^{-1} r_{xy} = R^2`.

    References
    ----------
    Johnson, J. W. (2000). A heuristic method for estimating the relative weight of predictor
    variables in multiple regression. Multivariate Behavioral Research 35(1), 1-19.
    https://doi.org/10.1207/S15327906MBR3501_1
    Tonidandel, S., & LeBreton, J. M. (2011). Relative importance analysis: a useful supplement
    to regression analysis. J. Business and Psychology 26(1), 1-9.
    https://doi.org/10.1007/s10869-010-9204-3

    Examples
    --------
    >>> c = pd.DataFrame([[1, 0, .3], [0, 1, .4], [.3, .4, 1]], index=list("aby"), columns=list("aby"))
    >>> relative_weights(c, "y")["raw_weight"].round(4).tolist()
    [0.09, 0.16]
    """
    if not isinstance(corr, pd.DataFrame) or list(corr.index) != list(corr.columns):
        raise ValueError("corr must be a square DataFrame with the same labels on both axes")
    if target not in corr.columns:
        raise ValueError(f"target {target!r} not in corr")
    predictors = [c for c in corr.columns if c != target]
    rxx = corr.loc[predictors, predictors].to_numpy(dtype=float)
    rxy = corr.loc[predictors, target].to_numpy(dtype=float)
    if not predictors or np.isnan(rxx).any() or np.isnan(rxy).any():
        return _nan_result(predictors, rxy)
    rxx = (rxx + rxx.T) / 2
    evals, evecs = np.linalg.eigh(rxx)
    if evals.min() <= 1e-8 * max(1.0, evals.max()):
        return _nan_result(predictors, rxy)
    lam = evecs @ np.diag(np.sqrt(evals)) @ evecs.T
    beta = np.linalg.solve(lam, rxy)
    raw = (lam**2) @ (beta**2)
    r2 = float(np.sum(beta**2))
    if r2 > 1 + 1e-9:
        return _nan_result(predictors, rxy)
    out = pd.DataFrame(
        {"r": rxy, "raw_weight": raw, "share": raw / r2 if r2 > 0 else np.full(len(raw), np.nan)},
        index=pd.Index(predictors, name="predictor"),
    )
    out.attrs["r2"] = r2
    return out


def driver_analysis(scores: pd.DataFrame, target: pd.Series, *, min_n: int) -> pd.DataFrame:
    """Relative weights of ``scores`` (e.g. domain scores) for ``target`` (e.g. the overall grade).

    Parameters
    ----------
    scores : DataFrame
        Respondents x predictors, float, ``NaN`` = missing.
    target : Series
        The target on the same index.
    min_n : int
        Minimum number of pairwise-complete respondents for every correlation (pandas
        ``corr(min_periods=min_n)``; settings ``driver_min_n``); fewer gives ``NaN`` weights.

    Returns
    -------
    DataFrame
        As :func:`relative_weights`, plus column ``n`` (respondents with both the predictor and
        the target); ``attrs["r2"]``.

    Notes
    -----
    Pearson correlations on pairwise-complete observations, then Johnson's relative weights.
    A pairwise matrix need not be positive definite; then the weights are ``NaN``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> s = pd.DataFrame(rng.normal(size=(200, 2)), columns=["a", "b"])
    >>> res = driver_analysis(s, s["a"] + rng.normal(size=200), min_n=30)
    >>> bool(abs(res["raw_weight"].sum() - res.attrs["r2"]) < 1e-12)
    True
    """
    if not isinstance(target, pd.Series) or not target.index.equals(scores.index):
        raise ValueError("target must be a Series with the same index as scores")
    if min_n < 2:
        raise ValueError(f"min_n must be >= 2, got {min_n}")
    data = pd.DataFrame(scores.to_numpy(dtype=float, na_value=np.nan), columns=list(scores.columns))
    data[_TARGET] = target.to_numpy(dtype=float, na_value=np.nan)
    corr = data.corr(min_periods=min_n)
    out = relative_weights(corr, _TARGET)
    valid = data.notna().to_numpy()
    out["n"] = (valid[:, :-1] & valid[:, -1:]).sum(axis=0)
    out.index = pd.Index(scores.columns, name="predictor")
    return out


def _pairwise_corr(x: np.ndarray, weights: np.ndarray, min_n: int) -> np.ndarray:
    """Pairwise-complete Pearson correlations of ``x`` (n x q, NaN = missing) for each row of
    ``weights`` (b x n frequency weights, e.g. bootstrap counts) at once: (b x q x q); NaN where
    the weighted number of pairs is below ``min_n``. With unit weights this is
    ``pandas.DataFrame.corr(min_periods=min_n)``; with bootstrap counts it is that of the
    resampled rows. One matrix product: weights (b x n) @ per-respondent pair terms (n x 4q^2)."""
    b, (n, q) = weights.shape[0], x.shape
    m = (~np.isnan(x)).astype(float)
    x0 = np.nan_to_num(x)
    terms = np.concatenate([(f[:, :, None] * g[:, None, :]).reshape(n, q * q)
                            for f, g in ((m, m), (x0, m), (x0 * x0, m), (x0, x0))], axis=1)
    sums = (weights @ terms).reshape(b, 4, q, q)
    cnt, sx, sxx, sxy = sums[:, 0], sums[:, 1], sums[:, 2], sums[:, 3]
    with np.errstate(invalid="ignore", divide="ignore"):
        mj, mk = sx / cnt, np.swapaxes(sx, 1, 2) / cnt
        cov = sxy / cnt - mj * mk
        vj = sxx / cnt - mj**2
        vk = np.swapaxes(sxx, 1, 2) / cnt - mk**2
        r = cov / np.sqrt(vj * vk)
    r[cnt < min_n] = np.nan
    return r


def _batched_shares(r: np.ndarray) -> np.ndarray:
    """Johnson's relative weight shares for a stack of correlation matrices (b x q x q, target
    last), as :func:`relative_weights` does for one; NaN rows for invalid matrices."""
    p = r.shape[1] - 1
    rxx, rxy = r[:, :p, :p], r[:, :p, p]
    ok = ~(np.isnan(rxx).any(axis=(1, 2)) | np.isnan(rxy).any(axis=1))
    out = np.full((r.shape[0], p), np.nan)
    if not ok.any():
        return out
    rxx, rxy = (rxx[ok] + np.swapaxes(rxx[ok], 1, 2)) / 2, rxy[ok]
    evals, evecs = np.linalg.eigh(rxx)
    pd_ok = evals.min(axis=1) > 1e-8 * np.maximum(1.0, evals.max(axis=1))
    lam = (evecs * np.sqrt(np.clip(evals, 0, None))[:, None, :]) @ np.swapaxes(evecs, 1, 2)
    lam[~pd_ok] = np.eye(p)
    beta = np.linalg.solve(lam, rxy[..., None])[..., 0]
    raw = (lam**2) @ (beta**2)[..., None]
    r2 = (beta**2).sum(axis=1)
    valid = pd_ok & (r2 <= 1 + 1e-9) & (r2 > 0)
    shares = np.where(valid[:, None], raw[..., 0] / np.where(r2 > 0, r2, 1)[:, None], np.nan)
    out[ok] = shares
    return out


def bootstrap_shares(scores: pd.DataFrame, target: pd.Series, *, min_n: int, n_boot: int, seed: int,
                     confidence: float) -> pd.DataFrame:
    """Percentile bootstrap interval of each predictor's relative-weight ``share``.

    Respondents are resampled with replacement ``n_boot`` times (seeded); every resample's
    pairwise correlations and relative weights are computed at once with array operations
    (resamples as frequency weights: one matrix product, one batched eigendecomposition). Resamples with an invalid correlation matrix are left out; with
    fewer than half of them valid the interval is NaN.

    Returns
    -------
    DataFrame
        Index ``predictor``; columns ``share_low``, ``share_high`` and ``n_boot_valid``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> s = pd.DataFrame(rng.normal(size=(300, 2)), columns=["a", "b"])
    >>> y = 2 * s["a"] + s["b"] + rng.normal(size=300)
    >>> ci = bootstrap_shares(s, y, min_n=30, n_boot=200, seed=1, confidence=0.95)
    >>> point = driver_analysis(s, y, min_n=30)["share"]
    >>> bool(((ci["share_low"] <= point) & (point <= ci["share_high"])).all())
    True
    """
    x = np.column_stack([scores.to_numpy(dtype=float, na_value=np.nan),
                         target.to_numpy(dtype=float, na_value=np.nan)])
    n, q = x.shape
    index = pd.Index(scores.columns, name="predictor")
    if n < min_n or n_boot < 1:
        return pd.DataFrame({"share_low": np.nan, "share_high": np.nan, "n_boot_valid": 0}, index=index)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n, size=(n_boot, n))
    counts = np.bincount((draws + n * np.arange(n_boot)[:, None]).ravel(), minlength=n_boot * n)
    counts = counts.reshape(n_boot, n).astype(float)
    shares = _batched_shares(_pairwise_corr(x, counts, min_n))
    valid = ~np.isnan(shares).any(axis=1)
    a = (1 - confidence) / 2
    if valid.sum() < max(1, n_boot // 2):
        lo = hi = np.full(q - 1, np.nan)
    else:
        lo, hi = np.quantile(shares[valid], [a, 1 - a], axis=0)
    return pd.DataFrame({"share_low": lo, "share_high": hi, "n_boot_valid": int(valid.sum())}, index=index)
