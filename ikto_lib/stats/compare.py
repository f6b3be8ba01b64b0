"""Statistical tests and effect sizes computed from group summaries (vectorised).

Every function takes arrays of summary statistics (one element per comparison) so that all
comparisons of a wave are tested at once; ``NaN`` marks "not testable" (too few answers,
zero variance) and is returned silently.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "two_proportion_ztest",
    "welch_ttest",
    "cohens_h",
    "hedges_g",
    "holm",
    "chisquare_gof",
    "compare_summaries",
]


def _arrays(*args):
    return [np.asarray(a, dtype=float) for a in args]


def _out(x):
    x = np.asarray(x, dtype=float)
    return float(x) if x.ndim == 0 else x


def two_proportion_ztest(p1, n1, p2, n2):
    """Two-proportion z-test with pooled variance (two-sided).

    Parameters
    ----------
    p1, p2 : array_like
        Proportions of the two groups.
    n1, n2 : array_like
        Sample sizes (effective sizes allowed, non-integer).

    Returns
    -------
    z, p : ndarray or float
        ``NaN`` when a group is empty or the pooled proportion is 0 or 1.

    Notes
    -----
    :math:`\\bar p = (p_1 n_1 + p_2 n_2)/(n_1 + n_2)`,
    :math:`z = (p_1 - p_2) / \\sqrt{\\bar p (1-\\bar p)(1/n_1 + 1/n_2)}`, :math:`p = 2(1 - \\Phi(|z|))`.
    Same as ``statsmodels.stats.proportion.proportions_ztest`` with counts ``p * n``.

    References
    ----------
    Agresti, A. (2013). Categorical Data Analysis, 3rd ed., Wiley, sec. 3.1.

    Examples
    --------
    >>> z, p = two_proportion_ztest(0.6, 100, 0.45, 120)
    >>> round(z, 4), round(p, 4)
    (2.2171, 0.0266)
    """
    p1, n1, p2, n2 = _arrays(p1, n1, p2, n2)
    with np.errstate(all="ignore"):
        pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
        var = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
        ok = (n1 > 0) & (n2 > 0) & (var > 0) & np.isfinite(var)
        z = np.where(ok, (p1 - p2) / np.sqrt(np.where(ok, var, 1.0)), np.nan)
        p = np.where(ok, 2 * stats.norm.sf(np.abs(z)), np.nan)
    return _out(z), _out(p)


def welch_ttest(m1, s1, n1, m2, s2, n2):
    """Welch's unequal-variances t-test from means, standard deviations and sizes (two-sided).

    Returns
    -------
    t, dof, p : ndarray or float
        ``NaN`` when a group has ``n <= 1`` or both variances are zero.

    Notes
    -----
    :math:`t = (m_1 - m_2)/\\sqrt{s_1^2/n_1 + s_2^2/n_2}`, Welch-Satterthwaite
    :math:`\\nu = (s_1^2/n_1 + s_2^2/n_2)^2 / \\left(\\frac{(s_1^2/n_1)^2}{n_1-1} + \\frac{(s_2^2/n_2)^2}{n_2-1}\\right)`.
    t and p from ``scipy.stats.ttest_ind_from_stats(..., equal_var=False)`` (on arrays), equal to
    ``pingouin.ttest(x, y, correction=True)`` on the raw data.

    References
    ----------
    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. Biometrika 34(1-2), 28-35. https://doi.org/10.1093/biomet/34.1-2.28

    Examples
    --------
    >>> t, dof, p = welch_ttest(3.8, 0.9, 50, 3.5, 1.1, 60)
    >>> round(t, 4), round(dof, 2), round(p, 4)
    (1.5731, 107.97, 0.1186)
    """
    m1, s1, n1, m2, s2, n2 = _arrays(m1, s1, n1, m2, s2, n2)
    with np.errstate(all="ignore"):
        ok = (n1 > 1) & (n2 > 1)
        v1 = np.where(ok, s1**2 / n1, np.nan)
        v2 = np.where(ok, s2**2 / n2, np.nan)
        se2 = v1 + v2
        ok = ok & (se2 > 0) & np.isfinite(se2) & np.isfinite(m1) & np.isfinite(m2)
        se2 = np.where(ok, se2, 1.0)
        res = stats.ttest_ind_from_stats(m1, s1, np.where(ok, n1, 2.0), m2, s2, np.where(ok, n2, 2.0),
                                         equal_var=False)
        t = np.where(ok, res.statistic, np.nan)
        p = np.where(ok, res.pvalue, np.nan)
        dof = np.where(ok, se2**2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1)), np.nan)  # Welch-Satterthwaite
    return _out(t), _out(dof), _out(p)


def cohens_h(p1, p2):
    """Cohen's h for two proportions: :math:`h = 2\\arcsin\\sqrt{p_1} - 2\\arcsin\\sqrt{p_2}`
    (``statsmodels.stats.proportion.proportion_effectsize``, on arrays).

    References
    ----------
    Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences, 2nd ed.,
    Erlbaum, ch. 6. https://doi.org/10.4324/9780203771587

    Examples
    --------
    >>> round(cohens_h(0.6, 0.45), 4)
    0.3015
    """
    from statsmodels.stats.proportion import proportion_effectsize

    p1, p2 = _arrays(p1, p2)
    with np.errstate(all="ignore"):
        h = proportion_effectsize(p1, p2)
    return _out(h)


def hedges_g(m1, s1, n1, m2, s2, n2):
    """Hedges' g: Cohen's d with pooled sd times the small-sample correction.

    Notes
    -----
    :math:`s_p = \\sqrt{((n_1-1)s_1^2 + (n_2-1)s_2^2)/(n_1+n_2-2)}`, :math:`d = (m_1-m_2)/s_p`,
    :math:`g = d\\,(1 - 3/(4(n_1+n_2) - 9))`; ``NaN`` when :math:`s_p = 0` or
    :math:`n_1 + n_2 \\le 2`. Same as ``pingouin.compute_effsize(x, y, eftype="hedges")``.

    References
    ----------
    Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and related
    estimators. J. Educational Statistics 6(2), 107-128. https://doi.org/10.3102/10769986006002107

    Examples
    --------
    >>> round(hedges_g(3.8, 0.9, 50, 3.5, 1.1, 60), 4)
    0.2938
    """
    m1, s1, n1, m2, s2, n2 = _arrays(m1, s1, n1, m2, s2, n2)
    with np.errstate(all="ignore"):
        dfp = n1 + n2 - 2
        ok = (n1 > 0) & (n2 > 0) & (dfp > 0)
        var_p = ((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / np.where(ok, dfp, 1.0)
        ok = ok & (var_p > 0) & np.isfinite(var_p)
        d = (m1 - m2) / np.sqrt(np.where(ok, var_p, 1.0))
        g = np.where(ok, d * (1 - 3 / (4 * (n1 + n2) - 9)), np.nan)
    return _out(g)


def _group_columns(groups, n: int) -> list[np.ndarray]:
    if groups is None:
        return [np.zeros(n)]
    if isinstance(groups, pd.DataFrame):
        cols = [groups[c].to_numpy() for c in groups.columns]
    elif isinstance(groups, list) and groups and not np.isscalar(groups[0]):
        cols = [np.asarray(g) for g in groups]
    else:
        cols = [np.asarray(groups)]
    if any(c.shape != (n,) for c in cols):
        raise ValueError("groups must have one key per p-value")
    return cols


def holm(pvals, groups=None):
    """Holm step-down adjusted p-values, within each family.

    Parameters
    ----------
    pvals : array_like or Series
        Raw p-values; ``NaN`` (not tested) are ignored and stay ``NaN``.
    groups : array_like, Series, DataFrame or list of arrays, optional
        Family key(s) per p-value (e.g. organisation x comparison kind); ``None`` = one family.

    Returns
    -------
    ndarray or Series
        Adjusted p-values in the input order (a Series keeps the input index).

    Notes
    -----
    Within a family of :math:`m` tested p-values sorted :math:`p_{(1)} \\le \\dots \\le p_{(m)}`:
    :math:`\\tilde p_{(i)} = \\min(1, \\max_{j \\le i} (m - j + 1) p_{(j)})`.
    Vectorised with a sort and ``groupby().cummax()``.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    Scandinavian Journal of Statistics 6(2), 65-70. https://www.jstor.org/stable/4615733

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03, np.nan]).round(4).tolist()
    [0.03, 0.06, 0.06, nan]
    """
    p = np.asarray(pvals, dtype=float).ravel()
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p-values must be in [0, 1]")
    keys = _group_columns(groups, p.size)
    valid = ~np.isnan(p)
    frame = pd.DataFrame({f"g{i}": k[valid] for i, k in enumerate(keys)})
    gcols = list(frame.columns)
    frame["p"] = p[valid]
    frame["pos"] = np.flatnonzero(valid)
    frame = frame.sort_values(gcols + ["p"], kind="mergesort")
    grouped = frame.groupby(gcols, sort=False, observed=True, dropna=False)
    m = grouped["p"].transform("size").to_numpy()
    rank = grouped.cumcount().to_numpy()
    frame["adj"] = (m - rank) * frame["p"].to_numpy()
    adj = frame.groupby(gcols, sort=False, observed=True, dropna=False)["adj"].cummax().clip(upper=1.0)
    out = np.full(p.size, np.nan)
    out[frame["pos"].to_numpy()] = adj.to_numpy()
    if isinstance(pvals, pd.Series):
        return pd.Series(out, index=pvals.index, name=pvals.name)
    return out


def chisquare_gof(observed, expected):
    """Chi-square goodness of fit of observed counts against expected counts or shares.

    Parameters
    ----------
    observed : array_like
        Observed counts per category (e.g. respondents per unit).
    expected : array_like
        Expected counts or shares per category (e.g. headcount per unit); rescaled to the
        observed total. Categories with zero expected and zero observed are dropped.

    Returns
    -------
    chi2, dof, p : float
        ``NaN`` when fewer than 2 categories remain or nothing was observed.

    Raises
    ------
    ValueError
        On negative or missing numbers, unequal lengths, or an observation in a category whose
        expected count is 0.

    Notes
    -----
    :math:`\\chi^2 = \\sum_i (O_i - E_i)^2 / E_i` with :math:`E_i = e_i \\sum O / \\sum e`,
    :math:`k - 1` degrees of freedom (``scipy.stats.chisquare``).

    References
    ----------
    Pearson, K. (1900). On the criterion that a given system of deviations ... Philosophical
    Magazine 50(302), 157-175. https://doi.org/10.1080/14786440009463897

    Examples
    --------
    >>> chi2, dof, p = chisquare_gof([30, 20, 50], [0.25, 0.25, 0.5])
    >>> round(chi2, 3), dof, round(p, 4)
    (2.0, 2, 0.3679)
    """
    obs = np.asarray(observed, dtype=float).ravel()
    exp = np.asarray(expected, dtype=float).ravel()
    if obs.shape != exp.shape:
        raise ValueError("observed and expected need the same number of categories")
    if np.isnan(obs).any() or np.isnan(exp).any() or (obs < 0).any() or (exp < 0).any():
        raise ValueError("observed and expected must be non-negative and not missing")
    if ((exp == 0) & (obs > 0)).any():
        raise ValueError("observations in a category with expected count 0")
    keep = exp > 0
    obs, exp = obs[keep], exp[keep]
    if obs.size < 2 or obs.sum() <= 0:
        return np.nan, np.nan, np.nan
    res = stats.chisquare(obs, exp / exp.sum() * obs.sum())
    return float(res.statistic), int(obs.size - 1), float(res.pvalue)


def compare_summaries(own: pd.DataFrame, other: pd.DataFrame, *, kind: str) -> pd.DataFrame:
    """Test ``own`` against ``other`` row by row (aligned summaries, e.g. org vs its benchmark).

    Parameters
    ----------
    own, other : DataFrame
        Same length, row-aligned, each with ``value``, ``sd`` and ``n_eff`` (from
        :func:`ikto_lib.stats.estimates.group_summary` / ``leave_one_out``).
    kind : {"proportion", "mean"}
        Proportion: pooled z-test and Cohen's h, ``practical = |diff|``; mean: Welch's t-test and
        Hedges' g, ``practical = |g|``.

    Returns
    -------
    DataFrame
        Index of ``own``; columns ``diff`` (own - other), ``statistic``, ``dof`` (``NaN`` for z),
        ``p``, ``effect`` (h or g), ``practical``.
    """
    if len(own) != len(other):
        raise ValueError("own and other must be row-aligned (same length)")
    a = {c: own[c].to_numpy(dtype=float) for c in ("value", "sd", "n_eff")}
    b = {c: other[c].to_numpy(dtype=float) for c in ("value", "sd", "n_eff")}
    with np.errstate(all="ignore"):
        diff = a["value"] - b["value"]
    if kind == "proportion":
        stat, p = two_proportion_ztest(a["value"], a["n_eff"], b["value"], b["n_eff"])
        dof = np.full(len(own), np.nan)
        effect = cohens_h(a["value"], b["value"])
        practical = np.where(np.isnan(p), np.nan, np.abs(diff))
    elif kind == "mean":
        stat, dof, p = welch_ttest(a["value"], a["sd"], a["n_eff"], b["value"], b["sd"], b["n_eff"])
        effect = hedges_g(a["value"], a["sd"], a["n_eff"], b["value"], b["sd"], b["n_eff"])
        practical = np.abs(effect)
    else:
        raise ValueError(f"kind must be 'proportion' or 'mean', got {kind!r}")
    return pd.DataFrame(
        {"diff": diff, "statistic": stat, "dof": dof, "p": p, "effect": effect, "practical": practical},
        index=own.index,
    )
