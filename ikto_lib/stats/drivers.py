"""Drivers: Johnson's relative weights of the domain scores for the overall grade."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["relative_weights", "driver_analysis"]

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
