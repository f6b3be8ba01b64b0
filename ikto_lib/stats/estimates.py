"""Estimates and intervals: Wilson and t intervals, Kish n_eff, margin of error, group summaries.

Group summaries are computed from sufficient statistics (sums of weights, squared weights,
weighted values and weighted squared values) so that groups can be pooled afterwards
(e.g. the benchmark "all other organisations" = total minus own) without touching respondents again.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse, stats

__all__ = [
    "SUMS",
    "wilson_interval",
    "t_interval",
    "kish_neff",
    "margin_of_error",
    "group_summary",
    "from_sums",
    "pool_summaries",
    "leave_one_out",
]

#: The additive columns of a summary: pooling groups = adding these.
SUMS = ["n", "sum_w", "sum_w2", "sum_wx", "sum_wx2"]
_KINDS = ("proportion", "mean")
_CHUNK = 16  # item columns per block in group_summary (bounds memory, not a per-group loop)


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    return float(stats.norm.isf((1 - confidence) / 2))


def _out(x: np.ndarray) -> np.ndarray | float:
    x = np.asarray(x, dtype=float)
    return float(x) if x.ndim == 0 else x


def wilson_interval(k, n, *, confidence: float):
    """Wilson score interval of a proportion.

    Parameters
    ----------
    k : array_like
        Successes; may be non-integer (weighted: ``p * n_eff``).
    n : array_like
        Trials; may be an effective (Kish) sample size. ``n <= 0`` gives ``NaN``.
    confidence : float
        Confidence level, e.g. 0.95 (settings ``confidence``).

    Returns
    -------
    low, high : ndarray or float

    Notes
    -----
    With :math:`\\hat p = k/n` and :math:`z = \\Phi^{-1}(1 - (1-c)/2)`:

    .. math:: \\frac{\\hat p + z^2/(2n) \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/(4n^2)}}{1 + z^2/n}

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
    JASA 22(158), 209-212. https://doi.org/10.1080/01621459.1927.10502953

    Examples
    --------
    >>> low, high = wilson_interval(45, 80, confidence=0.95)
    >>> round(low, 4), round(high, 4)
    (0.4534, 0.6659)
    """
    from statsmodels.stats.proportion import proportion_confint

    _z(confidence)
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(all="ignore"):
        if np.any((k < -1e-9) | (k > n * (1 + 1e-9) + 1e-9)):
            raise ValueError("wilson_interval needs 0 <= k <= n")
        valid = n > 0
        nn = np.where(valid, n, 1.0)
        kk = np.clip(np.where(valid, k, 0.0), 0.0, nn)
        low, high = proportion_confint(kk, nn, alpha=1 - confidence, method="wilson")
        low = np.where(valid, np.clip(low, 0.0, 1.0), np.nan)
        high = np.where(valid, np.clip(high, 0.0, 1.0), np.nan)
    return _out(low), _out(high)


def t_interval(mean, sd, n, *, confidence: float):
    """Student t interval of a mean: ``mean +/- t_{(1+c)/2, n-1} * sd / sqrt(n)``.

    ``n`` may be an effective sample size (non-integer degrees of freedom ``n - 1``);
    ``n <= 1`` or a missing ``sd`` gives ``NaN``.

    References
    ----------
    Student (1908). The probable error of a mean. Biometrika 6(1), 1-25.
    https://doi.org/10.1093/biomet/6.1.1

    Examples
    --------
    >>> low, high = t_interval(3.5, 1.0, 25, confidence=0.95)
    >>> round(low, 4), round(high, 4)
    (3.0872, 3.9128)
    """
    _z(confidence)
    mean, sd, n = (np.asarray(a, dtype=float) for a in (mean, sd, n))
    with np.errstate(all="ignore"):
        valid = (n > 1) & np.isfinite(sd) & np.isfinite(mean)
        nn = np.where(valid, n, 2.0)
        tq = stats.t.ppf(0.5 + confidence / 2, nn - 1)
        half = tq * sd / np.sqrt(nn)
        low = np.where(valid, mean - half, np.nan)
        high = np.where(valid, mean + half, np.nan)
    return _out(low), _out(high)


def kish_neff(weights, *, by=None):
    """Kish effective sample size :math:`n_{eff} = (\\sum w)^2 / \\sum w^2`.

    Parameters
    ----------
    weights : array_like or Series
        Non-negative weights (no ``NaN``).
    by : array_like, Series or list of them, optional
        Group keys; then a Series of ``n_eff`` per group is returned.

    Returns
    -------
    float or Series
        ``NaN`` when the weights sum to zero (e.g. no respondents).

    References
    ----------
    Kish, L. (1965). Survey Sampling. Wiley. (n_eff = n / (1 + CV^2 of the weights).)

    Examples
    --------
    >>> kish_neff([1, 1, 2, 2])
    3.6
    """
    w = pd.Series(weights, dtype=float) if not isinstance(weights, pd.Series) else weights.astype(float)
    if w.isna().any() or (w < 0).any():
        raise ValueError("weights must be non-negative and not missing")
    if by is None:
        s, s2 = float(w.sum()), float((w * w).sum())
        return s * s / s2 if s2 > 0 else np.nan
    sums = pd.DataFrame({"w": w.to_numpy(), "w2": (w * w).to_numpy()}, index=w.index)
    many = isinstance(by, list) and len(by) > 0 and not np.isscalar(by[0])
    keys = [k if isinstance(k, pd.Series) else pd.Series(np.asarray(k), index=w.index) for k in (by if many else [by])]
    g = sums.groupby(keys, sort=True, observed=True).sum()
    with np.errstate(all="ignore"):
        out = np.where(g["w2"] > 0, g["w"] ** 2 / g["w2"], np.nan)
    return pd.Series(out, index=g.index, name="n_eff")


def margin_of_error(n, N, *, confidence: float, p: float = 0.5):
    """Margin of error with finite population correction.

    .. math:: z \\sqrt{p(1-p)/n} \\sqrt{(N - n)/(N - 1)}

    Parameters
    ----------
    n : array_like
        Respondents; ``n <= 0`` gives ``NaN``.
    N : array_like
        Population (headcount); ``np.inf`` means no correction; ``n == N`` (census) gives 0.
    confidence : float
        Confidence level (settings ``confidence``).
    p : float
        Assumed proportion; 0.5 is the conservative (largest) case used on cover pages.

    Raises
    ------
    ValueError
        When ``n > N``.

    References
    ----------
    Cochran, W. G. (1977). Sampling Techniques, 3rd ed., Wiley, sec. 2.6 (finite population correction).

    Examples
    --------
    >>> round(margin_of_error(100, 1000, confidence=0.95), 5)
    0.09302
    """
    z = _z(confidence)
    n = np.asarray(n, dtype=float)
    N = np.asarray(N, dtype=float)
    with np.errstate(all="ignore"):
        if np.any(n > N):
            raise ValueError("margin_of_error needs n <= N (respondents <= headcount)")
        fpc = np.where(np.isinf(N), 1.0, np.where(N > 1, (N - n) / (N - 1), 0.0))
        valid = (n > 0) & ~np.isnan(N)
        moe = z * np.sqrt(p * (1 - p) / np.where(valid, n, 1.0)) * np.sqrt(np.clip(fpc, 0, None))
    return _out(np.where(valid, moe, np.nan))


def _from_sums_arrays(n, sum_w, sum_w2, sum_wx, sum_wx2, *, kind: str, confidence: float) -> dict:
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS}, got {kind!r}")
    n, sum_w, sum_w2, sum_wx, sum_wx2 = (np.asarray(a, dtype=float) for a in (n, sum_w, sum_w2, sum_wx, sum_wx2))
    with np.errstate(all="ignore"):
        ok = (n > 0) & (sum_w > 0)
        sw = np.where(ok, sum_w, 1.0)
        n_eff = np.where(ok & (sum_w2 > 0), sum_w**2 / np.where(sum_w2 > 0, sum_w2, 1.0), 0.0)
        n_eff = np.where(n > 0, n_eff, 0.0)
        value = np.where(ok, sum_wx / sw, np.nan)
        if kind == "proportion":
            value = np.clip(value, 0.0, 1.0)
        ex2 = sum_wx2 / sw
        ss = sum_wx2 - sum_wx**2 / sw  # weighted sum of squared deviations
        ss = np.where(ss <= 1e-10 * np.abs(ex2) * sw, 0.0, ss)  # exact zero for identical answers
        dof = sum_w - sum_w2 / sw  # V1 - V2/V1 (reliability weights); n - 1 when unweighted
        sd = np.where(ok & (dof > 0), np.sqrt(ss / np.where(dof > 0, dof, 1.0)), np.nan)
    if kind == "proportion":
        low, high = wilson_interval(np.where(ok, value, 0.0) * n_eff, n_eff, confidence=confidence)
        low, high = np.where(ok, low, np.nan), np.where(ok, high, np.nan)
    else:
        low, high = t_interval(value, sd, n_eff, confidence=confidence)
    return {"n_eff": n_eff, "value": value, "sd": sd, "ci_low": np.asarray(low), "ci_high": np.asarray(high)}


def from_sums(sums: pd.DataFrame, *, kind: str, confidence: float) -> pd.DataFrame:
    """Estimates from summed sufficient statistics.

    Parameters
    ----------
    sums : DataFrame
        Has the columns ``n, sum_w, sum_w2, sum_wx, sum_wx2`` (see :data:`SUMS`), e.g. a
        :func:`group_summary` result whose sums were added or subtracted.
    kind : {"proportion", "mean"}
        Interval: Wilson (proportion) or t (mean), both with ``n_eff``.
    confidence : float
        Confidence level.

    Returns
    -------
    DataFrame
        A copy of ``sums`` with ``n_eff, value, sd, ci_low, ci_high`` (re)computed.

    Notes
    -----
    :math:`\\hat\\mu = \\sum wx / \\sum w`; :math:`n_{eff} = (\\sum w)^2/\\sum w^2` (Kish);
    :math:`s^2 = (\\sum w x^2 - (\\sum w x)^2/\\sum w) / (V_1 - V_2/V_1)` with
    :math:`V_1 = \\sum w, V_2 = \\sum w^2`: the unbiased variance for reliability weights, equal to
    the usual ``ddof=1`` sample variance when all weights are 1 (and to the population variance
    times :math:`n_{eff}/(n_{eff}-1)` in general). A sum of squares below :math:`10^{-10}` relative
    is set to exactly 0, so identical answers give ``sd == 0`` despite rounding.
    Proportion intervals: :func:`wilson_interval` with :math:`(\\hat p n_{eff}, n_{eff})`;
    means: :func:`t_interval` with :math:`n_{eff}`.

    References
    ----------
    Kish, L. (1965). Survey Sampling. Wiley.
    GNU Scientific Library, "Weighted Samples" (unbiased weighted variance V1 - V2/V1).
    """
    missing = [c for c in SUMS if c not in sums.columns]
    if missing:
        raise ValueError(f"sums lacks the columns {missing}")
    est = _from_sums_arrays(*(sums[c].to_numpy() for c in SUMS), kind=kind, confidence=confidence)
    out = sums.copy()
    for name, arr in est.items():
        out[name] = arr
    return out


def _key_frame(keys, index: pd.Index) -> pd.DataFrame:
    if keys is None:
        return pd.DataFrame(index=index)
    if isinstance(keys, pd.Series):
        keys = [keys]
    if isinstance(keys, pd.DataFrame):
        frame = keys
    else:
        cols = {}
        for i, k in enumerate(keys):
            if not isinstance(k, pd.Series):
                raise ValueError("keys must be a DataFrame, a Series or a list of Series")
            name = k.name if k.name is not None else f"key{i}"
            if name in cols:
                raise ValueError(f"duplicate key name {name!r}")
            cols[name] = k
        frame = pd.DataFrame(cols) if cols else pd.DataFrame(index=index)
    if not frame.index.equals(index):
        raise ValueError("keys must have the same index as values")
    return frame


def group_summary(
    values: pd.DataFrame,
    keys: pd.DataFrame | Sequence[pd.Series] | pd.Series | None,
    *,
    weights: pd.Series | None = None,
    kind: str,
    confidence: float,
) -> pd.DataFrame:
    """Weighted estimate, interval and sufficient statistics per group and item.

    Parameters
    ----------
    values : DataFrame
        Respondents x items (or measures), float, ``NaN`` = missing. For ``kind="proportion"``
        values must lie in [0, 1] (top-2 indicators or respondent domain top-2 shares).
    keys : DataFrame, Series, list of Series or None
        Group keys with the same index as ``values``; rows with a missing key are left out.
        ``None`` or ``[]``: one group of all respondents (no key columns).
    weights : Series, optional
        Non-negative respondent weights on the same index; ``None`` = unweighted.
    kind : {"proportion", "mean"}
    confidence : float

    Returns
    -------
    DataFrame
        One row per group x item (groups sorted, items in column order), columns: the key
        columns, ``item``, ``n`` (valid answers, unweighted), ``n_eff`` (Kish; ``n`` when
        unweighted), ``value`` (weighted mean), ``sd`` (weighted sd, see :func:`from_sums`),
        ``ci_low``, ``ci_high``, ``sum_w``, ``sum_w2``, ``sum_wx``, ``sum_wx2``.

    Notes
    -----
    Computed without melting: with the sparse group-indicator matrix :math:`G` (groups x
    respondents, entries 1, :math:`w` or :math:`w^2`), the missing mask :math:`M` and the values
    :math:`X_0` (missing as 0): :math:`n = G M`, :math:`\\sum w = G_w M`, :math:`\\sum w^2 = G_{w^2} M`,
    :math:`\\sum wx = G_w X_0`, :math:`\\sum wx^2 = G_w X_0^2`; then :func:`from_sums`.

    Examples
    --------
    >>> v = pd.DataFrame({"q1": [1.0, 0.0, 1.0, np.nan]})
    >>> org = pd.Series(["a", "a", "b", "b"], name="org")
    >>> s = group_summary(v, [org], kind="proportion", confidence=0.95)
    >>> s[["org", "item", "n", "value"]].to_dict("records")
    [{'org': 'a', 'item': 'q1', 'n': 2, 'value': 0.5}, {'org': 'b', 'item': 'q1', 'n': 1, 'value': 1.0}]
    """
    if not isinstance(values, pd.DataFrame):
        raise ValueError("values must be a DataFrame")
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS}, got {kind!r}")
    _z(confidence)
    kf = _key_frame(keys, values.index)
    n_rows = len(values)
    if kf.shape[1]:
        grouped = kf.groupby(list(kf.columns), sort=True, observed=True, dropna=True)
        codes = grouped.ngroup().to_numpy(dtype=float)
        group_index = grouped.size().index
        group_keys = group_index.to_frame(index=False)
    else:
        codes = np.zeros(n_rows)
        group_keys = pd.DataFrame(index=range(1))
    n_groups = len(group_keys)
    inrow = ~np.isnan(codes)
    rows = np.flatnonzero(inrow)
    gcodes = codes[inrow].astype(np.int64)

    if weights is None:
        w = np.ones(n_rows)
    else:
        if not isinstance(weights, pd.Series) or not weights.index.equals(values.index):
            raise ValueError("weights must be a Series with the same index as values")
        w = weights.to_numpy(dtype=float, na_value=np.nan)
        if np.isnan(w).any() or (w < 0).any():
            raise ValueError("weights must be non-negative and not missing")

    def indicator(data):
        return sparse.csr_matrix((data, (gcodes, rows)), shape=(n_groups, n_rows))

    G1 = indicator(np.ones(rows.size))
    Gw = G1 if weights is None else indicator(w[rows])
    Gw2 = G1 if weights is None else indicator(w[rows] ** 2)

    n_items = values.shape[1]
    res = {c: np.zeros((n_groups, n_items)) for c in SUMS}
    for start in range(0, n_items, _CHUNK):  # blocks of item columns, bounded memory
        block = values.iloc[:, start : start + _CHUNK]
        # C order: the sparse product wants row-major operands (pandas blocks are column-major)
        x = np.ascontiguousarray(block.to_numpy(dtype=float, na_value=np.nan))
        m = ~np.isnan(x)
        x0 = np.where(m, x, 0.0)
        if kind == "proportion" and x0.size and (x0.min() < 0 or x0.max() > 1):
            raise ValueError("kind='proportion' needs values in [0, 1]")
        mf = m.astype(float)
        sl = slice(start, start + x.shape[1])
        res["n"][:, sl] = G1 @ mf
        res["sum_w"][:, sl] = res["n"][:, sl] if weights is None else Gw @ mf
        res["sum_w2"][:, sl] = res["n"][:, sl] if weights is None else Gw2 @ mf
        res["sum_wx"][:, sl] = Gw @ x0
        res["sum_wx2"][:, sl] = Gw @ (x0 * x0)

    flat = {c: a.ravel() for c, a in res.items()}
    est = _from_sums_arrays(*(flat[c] for c in SUMS), kind=kind, confidence=confidence)
    out = group_keys.take(np.repeat(np.arange(n_groups), n_items)).reset_index(drop=True)
    out["item"] = np.tile(np.asarray(values.columns, dtype=object), n_groups)
    out["n"] = np.rint(flat["n"]).astype(np.int64)
    for c in ("n_eff", "value", "sd", "ci_low", "ci_high"):
        out[c] = est[c]
    for c in SUMS[1:]:
        out[c] = flat[c]
    return out


def pool_summaries(summary: pd.DataFrame, by: Sequence[str], *, kind: str, confidence: float) -> pd.DataFrame:
    """Pool group summaries into larger groups (e.g. units -> organisation, orgs -> peer group).

    Parameters
    ----------
    summary : DataFrame
        A :func:`group_summary` result (or any frame with ``item`` and the :data:`SUMS` columns).
    by : list of str
        Columns of the pooled groups; ``item`` is always added. ``[]`` pools everything per item.

    Returns
    -------
    DataFrame
        Columns ``by``, ``item``, ``n_groups`` (pooled groups with ``n > 0``), the sums and the
        estimates of :func:`from_sums`.

    Examples
    --------
    >>> v = pd.DataFrame({"q1": [1.0, 0.0, 1.0, 1.0]})
    >>> s = group_summary(v, pd.Series(list("aabb"), name="org"), kind="proportion", confidence=0.95)
    >>> pool_summaries(s, [], kind="proportion", confidence=0.95)[["item", "n", "value"]].to_dict("records")
    [{'item': 'q1', 'n': 4, 'value': 0.75}]
    """
    by = list(by) + ["item"]
    data = summary[by + SUMS].assign(n_groups=(summary["n"] > 0).astype(np.int64))
    pooled = data.groupby(by, sort=True, observed=True).sum().reset_index()
    return from_sums(pooled, kind=kind, confidence=confidence)


def leave_one_out(
    summary: pd.DataFrame, *, within: Sequence[str] = (), kind: str, confidence: float
) -> pd.DataFrame:
    """For every row (group x item), the pooled figures of all *other* groups.

    The benchmark of an organisation (all other organisations pooled) is
    ``leave_one_out(by_org, kind=..., confidence=...)``; its peer group (other organisations of
    the same type) is ``leave_one_out(by_org, within=["org_type"], ...)``.

    Parameters
    ----------
    summary : DataFrame
        A :func:`group_summary` result, one row per group x item.
    within : list of str
        Columns defining the pools (the complement is taken inside each); ``item`` is always added.

    Returns
    -------
    DataFrame
        Same rows and key columns as ``summary``; sums, ``n`` and estimates are those of the
        complement; ``n_groups`` counts the other groups with ``n > 0``.

    Notes
    -----
    Complement sums are pool total minus own (vectorised ``groupby().transform("sum")``);
    where the complement has no valid answer all its sums are set to exactly 0.
    """
    by = list(within) + ["item"]
    data = summary[SUMS].astype(float).assign(n_groups=(summary["n"] > 0).astype(float))
    totals = data.groupby([summary[c] for c in by], sort=False, observed=True, dropna=False).transform("sum")
    rest = totals - data
    empty = rest["n"].to_numpy() < 0.5
    rest.loc[empty, SUMS] = 0.0
    out = summary.copy()
    for c in SUMS:
        out[c] = rest[c].to_numpy()
    out["n"] = np.rint(out["n"]).astype(np.int64)
    out["n_groups"] = np.rint(rest["n_groups"]).astype(np.int64)
    return from_sums(out, kind=kind, confidence=confidence)
