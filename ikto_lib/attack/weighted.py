"""Positive counts of an organisation's hidden units from its *weighted* figures.

An organisation's figures are post-stratified to the headcount with its units as cells; units
under ``min_n`` go to one "other" cell (``ikto_lib.stats.weighting``). An attacker who assumes
that every unit not shown with at least ``min_n`` respondents is in that one cell knows every cell
weight up to a common factor: ``N_u / R_u`` for a shown unit (headcount and respondents from the
response table), ``N_other / R_other`` for the rest (``R_other`` = the organisation's respondents
minus the shown units'). The assumption is checked against the published Kish effective n of
each row, ``(sum w n)^2 / sum w^2 n`` (every row that can be checked must agree; one
rounded n_eff could match by chance); where it holds, the hidden answers' positive count is
``P_other = (v (sum_u w_u n_u + w_o D) - sum_u w_u P_u) / w_o`` (``v`` the organisation's value,
``D`` its hidden answers), widened by the published rounding of ``v``.
"""

from __future__ import annotations

import numpy as np


def other_cell_positives(n, plo, phi, r_known, cap, r_total, d, value, n_eff, *, min_n: int,
                         value_step: float, neff_tol: float):
    """``(q_lo, q_hi)`` per row: bounds of the hidden answers' positive count, NaN where the
    one-"other"-cell structure is not confirmed by ``n_eff`` (or anything needed is unknown).

    Parameters
    ----------
    n, plo, phi : arrays (rows x members)
        Shown counts and positive counts (NaN: hidden / unknown).
    r_known, cap : arrays (members)
        Shown respondents (NaN: hidden) and headcounts (``inf``: unknown).
    r_total : float
        The organisation's respondents.
    d : array (rows)
        Hidden answers per row (parent minus shown members).
    value, n_eff : arrays (rows)
        The organisation's published (weighted) top-2 value and effective n per row.
    """
    rows = len(d)
    nan = np.full(rows, np.nan)
    if not np.isfinite(r_total) or not np.all(np.isfinite(cap)):
        return nan, nan
    own = np.nan_to_num(r_known, nan=-1.0) >= min_n
    r_other = r_total - np.nansum(np.where(own, r_known, 0.0))
    n_other_head = cap[~own].sum()
    if not own.any() or r_other < min_n or n_other_head <= 0:
        return nan, nan  # no "other" cell of its own: it joins another cell (not modelled)
    w = np.where(own, cap / np.where(own, r_known, 1.0), 0.0)
    w_o = n_other_head / r_other
    n_own = np.where(own, n, 0.0)
    ok = ~np.isnan(n_own).any(axis=1) & ~np.isnan(np.where(own, plo, 0.0)).any(axis=1)
    ok &= np.isfinite(d) & np.isfinite(value) & np.isfinite(n_eff) & (d > 0)
    n_own = np.nan_to_num(n_own)
    big_w = n_own @ w + w_o * np.nan_to_num(d)
    pred = big_w**2 / (n_own @ w**2 + w_o**2 * np.nan_to_num(d))
    match = np.abs(pred - n_eff) <= np.maximum(neff_tol * np.where(neff_tol < 0.5, n_eff, 1.0), 1e-9) + 1e-6
    if (ok & ~match).any():  # one structure holds for every row of the organisation, or none
        return nan, nan
    s_lo = np.nan_to_num(np.where(own, plo, 0.0)) @ w
    s_hi = np.nan_to_num(np.where(own, phi, 0.0)) @ w
    q_lo = ((value - value_step) * big_w - s_hi) / w_o
    q_hi = ((value + value_step) * big_w - s_lo) / w_o
    return np.where(ok, q_lo - 1e-6, np.nan), np.where(ok, q_hi + 1e-6, np.nan)
