"""Weights: post-stratification to headcount within organisations, and organisation weights.

Within an organisation the cells are its units. Weights average to 1 within an organisation, so
the organisation's own figures and their effective sample size do not depend on its size;
:func:`org_weights` then makes each organisation count with its headcount in group figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["poststrat_weights", "org_weights", "combine"]

_OTHER = -1  # cell id of an organisation's "other" cell
_WHOLE = -2  # cell id when the whole organisation is one cell


def _need(frame: pd.DataFrame, cols: list[str], what: str) -> None:
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks the columns {missing}")


def poststrat_weights(resp: pd.DataFrame, headcount: pd.DataFrame, *, min_n: int,
                      hidden: pd.DataFrame | None = None) -> pd.Series:
    """Post-stratification weights to the headcount, cells = units within each organisation.

    Parameters
    ----------
    resp : DataFrame
        One row per respondent with columns ``org`` and ``unit`` (a missing unit is allowed:
        such respondents go to the "other" cell).
    headcount : DataFrame
        Columns ``org``, ``unit``, ``headcount`` (duplicate rows are summed). Unit labels must
        equal those in ``resp``.
    min_n : int
        Smallest number of respondents of a cell of its own (settings ``min_n``, the anonymity
        threshold).
    hidden : DataFrame, optional
        Columns ``org``, ``unit``: the units whose figures are suppressed (the anonymity pattern
        of the organisation's units, primary and complementary). Each goes into the "other"
        cell whatever its size, so the cells follow only from what is published anyway
        (a unit shown, or not).

    Returns
    -------
    Series
        ``weight`` aligned to ``resp.index``; within every organisation the weights sum to its
        number of respondents (mean 1).

    Notes
    -----
    Per organisation:

    1. A unit with fewer than ``min_n`` respondents (including 0), a unit in ``hidden``, or a
       unit without a positive headcount (unknown unit, missing unit), is merged into the
       organisation's "other" cell: headcounts and respondents are summed.
    2. If the "other" cell then has respondents but fewer than ``min_n`` (or no headcount), it
       joins the organisation's smallest regular cell (fewest respondents); an organisation
       without a regular cell becomes one cell: all its weights are 1 (not weighted). An
       organisation without any headcount is therefore not weighted either.
    3. An "other" cell without respondents (only units nobody from answered) cannot be
       represented: its headcount is left out, which spreads it over all cells in proportion.
    4. Cell weight :math:`N_c / n_c`, rescaled by :math:`n_{org} / \\sum_c N_c` (cells with
       respondents) so the weights of the organisation average 1 (sum to :math:`n_{org}`).
       Rescaling does not change any within-organisation estimate; it keeps the Kish
       :math:`n_{eff}` on the respondents' scale.

    References
    ----------
    Holt, D., & Smith, T. M. F. (1979). Post stratification. JRSS A 142(1), 33-46.
    https://doi.org/10.2307/2344652

    Examples
    --------
    >>> resp = pd.DataFrame({"org": ["A"] * 4, "unit": ["x", "x", "x", "y"]})
    >>> hc = pd.DataFrame({"org": ["A", "A"], "unit": ["x", "y"], "headcount": [30, 30]})
    >>> poststrat_weights(resp, hc, min_n=1).round(3).tolist()
    [0.667, 0.667, 0.667, 2.0]
    """
    _need(resp, ["org", "unit"], "resp")
    _need(headcount, ["org", "unit", "headcount"], "headcount")
    if min_n < 1:
        raise ValueError(f"min_n must be >= 1, got {min_n}")
    if resp["org"].isna().any():
        raise ValueError("resp has respondents without org")
    hc_num = pd.to_numeric(headcount["headcount"], errors="coerce")
    if (hc_num < 0).any():
        raise ValueError("headcount must be non-negative")
    if len(resp) == 0:
        return pd.Series(np.zeros(0), index=resp.index, name="weight")

    keys = pd.DataFrame({"org": resp["org"].to_numpy(), "unit": resp["unit"].to_numpy()})
    n_cell = keys.groupby(["org", "unit"], dropna=False, observed=True, sort=False).size().rename("n").reset_index()
    hc = pd.DataFrame({"org": headcount["org"].to_numpy(), "unit": headcount["unit"].to_numpy(), "N": hc_num.to_numpy()})
    hc = hc[hc["unit"].notna() & hc["org"].isin(n_cell["org"])]
    hc = hc.groupby(["org", "unit"], observed=True, sort=False)["N"].sum(min_count=1).reset_index()
    cells = n_cell.merge(hc, on=["org", "unit"], how="outer")
    cells["n"] = cells["n"].fillna(0.0).astype(float)
    small = (cells["n"] < min_n) | ~(cells["N"] > 0)
    if hidden is not None and len(hidden):
        _need(hidden, ["org", "unit"], "hidden")
        pairs = pd.MultiIndex.from_frame(hidden[["org", "unit"]].astype(str))
        small |= pd.MultiIndex.from_frame(cells[["org", "unit"]].astype(str)).isin(pairs)
    cells["cell"] = np.where(small, _OTHER, np.arange(len(cells)))

    other = cells[small].groupby("org", observed=True)[["n", "N"]].sum()
    bad_other = other.index[(other["n"] > 0) & ((other["n"] < min_n) | ~(other["N"] > 0))]
    # a too-small "other" cell joins the organisation's smallest regular cell (by respondents);
    # an organisation without a regular cell becomes one cell (not weighted)
    regular = cells[~small & cells["org"].isin(bad_other)]
    smallest = regular.sort_values(["n", "cell"], kind="mergesort").groupby("org", observed=True)["cell"].first()
    merge_into = cells["org"].map(smallest)
    fold = small & cells["org"].isin(bad_other)
    cells.loc[fold & merge_into.notna(), "cell"] = merge_into[fold & merge_into.notna()]
    cells.loc[fold & merge_into.isna(), "cell"] = _WHOLE

    per_cell = cells.groupby(["org", "cell"], observed=True)[["n", "N"]].sum()
    per_cell = per_cell[per_cell["n"] > 0]
    org_tot = per_cell.groupby(level="org", observed=True)[["n", "N"]].transform("sum")
    with np.errstate(all="ignore"):
        w = (per_cell["N"] / per_cell["n"]) * (org_tot["n"] / org_tot["N"])
    whole = per_cell.index.get_level_values("cell") == _WHOLE
    per_cell["weight"] = np.where(whole, 1.0, w.to_numpy())

    cells = cells.merge(per_cell[["weight"]].reset_index(), on=["org", "cell"], how="left")
    out = keys.merge(cells[["org", "unit", "weight"]], on=["org", "unit"], how="left")
    return pd.Series(out["weight"].to_numpy(dtype=float), index=resp.index, name="weight")


def org_weights(resp_org: pd.Series, headcount_by_org: pd.Series) -> pd.Series:
    """Weights that make each organisation count with its headcount in group-level figures.

    Parameters
    ----------
    resp_org : Series
        Organisation of each respondent.
    headcount_by_org : Series
        Headcount indexed by organisation; every organisation in ``resp_org`` needs a positive one.

    Returns
    -------
    Series
        ``weight`` aligned to ``resp_org.index``: :math:`N_o / n_o`, scaled to mean 1 over all
        respondents (:math:`w_o = (N_o / n_o) \\cdot n / \\sum_o N_o`).

    Examples
    --------
    >>> org_weights(pd.Series(["a", "a", "b"]), pd.Series({"a": 10, "b": 20})).round(3).tolist()
    [0.5, 0.5, 2.0]
    """
    if resp_org.isna().any():
        raise ValueError("resp_org has missing organisations")
    n_o = resp_org.value_counts(sort=False)
    N_o = pd.to_numeric(headcount_by_org.reindex(n_o.index), errors="coerce")
    bad = N_o.index[~(N_o > 0)]
    if len(bad):
        raise ValueError(f"no positive headcount for organisations {list(bad)[:10]}")
    ratio = N_o / n_o * (n_o.sum() / N_o.sum())
    w = resp_org.map(ratio).astype(float)
    return pd.Series(w.to_numpy(), index=resp_org.index, name="weight")


def combine(w_within: pd.Series, w_org: pd.Series) -> pd.Series:
    """Product of within-organisation and organisation weights (same index).

    Because ``w_org`` is constant within an organisation, an organisation's own figures are the
    same with ``w_within`` or with the product; pooled over organisations (benchmarks, group
    figures) each organisation counts with its headcount. With ``w_within`` summing to
    :math:`n_o` per organisation (as :func:`poststrat_weights` returns) the product has mean 1.

    Examples
    --------
    >>> combine(pd.Series([1.5, 0.5]), pd.Series([2.0, 2.0])).tolist()
    [3.0, 1.0]
    """
    if not w_within.index.equals(w_org.index):
        raise ValueError("w_within and w_org must have the same index")
    return (w_within.astype(float) * w_org.astype(float)).rename("weight")
