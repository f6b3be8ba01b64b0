"""Reliability: Cronbach's alpha per domain (pingouin), on complete cases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["cronbach_alpha", "alpha_by_domain"]


def cronbach_alpha(items: pd.DataFrame, *, confidence: float) -> pd.Series:
    """Cronbach's alpha with its confidence interval, on respondents who answered every item.

    Parameters
    ----------
    items : DataFrame
        Respondents x items, float, ``NaN`` = missing (rows with any missing are dropped).
    confidence : float
        Confidence level of the interval (settings ``confidence``).

    Returns
    -------
    Series
        ``alpha``, ``ci_low``, ``ci_high``, ``n`` (complete rows), ``n_items``. ``NaN`` figures when
        there are fewer than 2 items, fewer than 3 complete rows, or the total score has zero
        variance.

    Notes
    -----
    :math:`\\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\sum_i s_i^2}{s_T^2}\\right)`, computed by
    ``pingouin.cronbach_alpha(nan_policy="listwise")``; the interval is Feldt's F-based one
    (:math:`1 - (1-\\alpha) F_{1-a/2;\\,n-1,(n-1)(k-1)}` and the mirror), which pingouin rounds to
    3 decimals. Incomplete rows are dropped *before* calling pingouin, so :math:`n` in the interval
    is the number of complete rows (pingouin's own ``nan_policy="listwise"`` takes :math:`n` before
    dropping, which gives a too-narrow interval).

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    Psychometrika 16(3), 297-334. https://doi.org/10.1007/BF02310555
    Feldt, L. S. (1965). The approximate sampling distribution of Kuder-Richardson reliability
    coefficient twenty. Psychometrika 30(3), 357-370. https://doi.org/10.1007/BF02289499

    Examples
    --------
    >>> x = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 2, 4, 4], "c": [1.0, 3, 3, 5]})
    >>> round(float(cronbach_alpha(x, confidence=0.95)["alpha"]), 4)
    0.9333
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    if not isinstance(items, pd.DataFrame):
        raise ValueError("items must be a DataFrame")
    data = pd.DataFrame(items.to_numpy(dtype=float, na_value=np.nan), columns=items.columns).dropna()
    n, k = data.shape
    out = pd.Series({"alpha": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n": n, "n_items": k}, dtype=float)
    if k < 2 or n < 3:
        return out
    total_var = data.sum(axis=1).var(ddof=1)
    if not total_var > 1e-12:
        return out
    import pingouin as pg  # heavy import, only when needed

    alpha, ci = pg.cronbach_alpha(data=data, nan_policy="listwise", ci=confidence)
    out[["alpha", "ci_low", "ci_high"]] = [float(alpha), float(ci[0]), float(ci[1])]
    return out


def alpha_by_domain(
    values: pd.DataFrame,
    domain_items: Mapping[str, Sequence[str]],
    *,
    confidence: float,
    min_n: int,
) -> pd.DataFrame:
    """Cronbach's alpha per domain.

    Parameters
    ----------
    values : DataFrame
        Respondents x items, float, ``NaN`` = missing.
    domain_items : mapping of str to list of str
        Domain -> its item columns.
    confidence : float
    min_n : int
        Fewer complete rows than this: alpha is not computed (``NaN``).

    Returns
    -------
    DataFrame
        Columns ``domain``, ``n_items``, ``n`` (complete rows), ``alpha``, ``ci_low``, ``ci_high``.

    Examples
    --------
    >>> v = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 2, 4, 4], "c": [1.0, 3, 3, 5]})
    >>> alpha_by_domain(v, {"d": ["a", "b", "c"]}, confidence=0.95, min_n=3)["alpha"].round(4).tolist()
    [0.9333]
    """
    rows = []
    for domain, items in domain_items.items():  # a handful of domains
        missing = [i for i in items if i not in values.columns]
        if missing:
            raise ValueError(f"domain {domain!r}: items not in values: {missing}")
        res = cronbach_alpha(values[list(items)], confidence=confidence)
        if res["n"] < min_n:
            res[["alpha", "ci_low", "ci_high"]] = np.nan
        rows.append({"domain": domain, "n_items": int(res["n_items"]), "n": int(res["n"]),
                     "alpha": res["alpha"], "ci_low": res["ci_low"], "ci_high": res["ci_high"]})
    cols = ["domain", "n_items", "n", "alpha", "ci_low", "ci_high"]
    return pd.DataFrame(rows, columns=cols)


def alpha_by_group(
    values: pd.DataFrame,
    groups: pd.Series,
    domain_items: Mapping[str, Sequence[str]],
    *,
    confidence: float,
    min_n: int,
) -> pd.DataFrame:
    """Cronbach's alpha per group x domain, vectorised (the product path; :func:`cronbach_alpha`
    with pingouin is the reference it is tested against).

    Parameters
    ----------
    values : DataFrame
        Respondents x items, float, ``NaN`` = missing.
    groups : Series
        Group (e.g. organisation) of each respondent, same index.
    domain_items : mapping of str to list of str
    confidence : float
    min_n : int
        Groups with fewer complete rows get no row.

    Returns
    -------
    DataFrame
        Columns ``group, domain, n_items, n, alpha, ci_low, ci_high`` (interval unrounded).

    Notes
    -----
    Per group on complete rows: item variances :math:`s_i^2` and total-score variance
    :math:`s_T^2` (``ddof=1``) from grouped sums, :math:`\\alpha = \\frac{k}{k-1}(1 - \\sum s_i^2 / s_T^2)`;
    Feldt interval :math:`1 - (1-\\alpha) F^{-1}`, :math:`F(n-1, (n-1)(k-1))`.

    Examples
    --------
    >>> v = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 2, 4, 4], "c": [1.0, 3, 3, 5]})
    >>> alpha_by_group(v, pd.Series(["g"] * 4), {"d": ["a", "b", "c"]}, confidence=0.95, min_n=3)["alpha"].round(4).tolist()
    [0.9333]
    """
    from scipy.stats import f as f_dist

    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    parts = []
    for domain, items in domain_items.items():  # a handful of domains; groups are vectorised
        items = list(items)
        k = len(items)
        if k < 2:
            continue
        data = values[items].astype(float)
        complete = data.notna().all(axis=1)
        data = data[complete]
        g = groups[complete].to_numpy()
        frame = data.assign(_total=data.sum(axis=1))
        var = frame.groupby(g, observed=True).var(ddof=1)
        n = frame.groupby(g, observed=True).size()
        with np.errstate(all="ignore"):
            alpha = k / (k - 1) * (1 - var[items].sum(axis=1) / var["_total"])
        alpha = alpha.where(var["_total"] > 0)
        df1 = n - 1
        df2 = df1 * (k - 1)
        a = 1 - confidence
        with np.errstate(all="ignore"):
            low = 1 - (1 - alpha) * f_dist.isf(a / 2, df1, df2)
            high = 1 - (1 - alpha) * f_dist.isf(1 - a / 2, df1, df2)
        res = pd.DataFrame({"group": n.index, "domain": domain, "n_items": k, "n": n.to_numpy(),
                            "alpha": alpha.to_numpy(), "ci_low": np.asarray(low), "ci_high": np.asarray(high)})
        parts.append(res[res["n"] >= min_n])
    cols = ["group", "domain", "n_items", "n", "alpha", "ci_low", "ci_high"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)
