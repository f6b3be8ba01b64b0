"""Anonymity: primary and complementary suppression of group figures (methods.md, "Anonymity").

Primary: a figure of a group with fewer than ``min_n`` respondents (for an item: valid answers)
is suppressed. Complementary: among siblings shown beside their total (the units of an
organisation, the categories of a background variable), the suppressed siblings together must
hold 0 or at least ``min_n`` respondents and must not be exactly one; while that fails the next-
smallest shown sibling is suppressed too. Because the primary suppressions are the smallest
siblings, the suppressed set is always a prefix of the siblings sorted by n, so the rule is
vectorised: the prefix length is the first position ``m >= max(k, 2)`` whose cumulative n reaches
``min_n`` (``k`` = primary suppressions; ``m = 0`` when ``k = 0``; all siblings when none does).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SUPPRESSED = "suppressed"
HIDDEN_COLUMNS = ("n", "n_eff", "value", "sd", "ci_low", "ci_high", "ref_value", "ref_n", "diff",
                  "p", "p_adj", "effect_size")


def suppression_mask(frame: pd.DataFrame, *, family: list[str] | None, min_n: int,
                     n_col: str = "n") -> np.ndarray:
    """Boolean mask of the rows to suppress.

    Parameters
    ----------
    frame : DataFrame
        Group figures with a count column ``n_col``.
    family : list of str or None
        Columns that identify a family of siblings (e.g. ``org, domain, item, measure`` for the
        units of an organisation). ``None``: primary suppression only.
    min_n : int
        Anonymity threshold.

    Examples
    --------
    Two units of 3 and 2 respondents beside units of 40 and 50: hiding only the two small ones
    would still reveal their combined figure (5 people), so the unit of 40 is hidden too.

    >>> f = pd.DataFrame({"org": ["A"] * 4, "n": [40, 3, 50, 2]})
    >>> suppression_mask(f, family=["org"], min_n=10).tolist()
    [True, True, False, True]
    """
    n = frame[n_col].to_numpy(dtype=float, na_value=0.0)
    primary = n < min_n
    if not family or not primary.any():
        return primary
    work = frame[family].copy()
    work["_n"] = n
    work["_p"] = primary.astype(np.int64)
    work["_pos"] = np.arange(len(frame))
    work = work.sort_values(family + ["_n"], kind="mergesort")
    groups = [work[c] for c in family]
    g = work.groupby(groups, sort=False, observed=True, dropna=False)
    rank = g.cumcount().to_numpy() + 1
    csum = g["_n"].cumsum().to_numpy()
    k = g["_p"].transform("sum").to_numpy()
    size = g["_n"].transform("size").to_numpy()
    ok = (rank >= np.maximum(k, 2)) & (csum >= min_n)
    first_ok = pd.Series(np.where(ok, rank, np.nan)).groupby(
        [c.to_numpy() for c in groups], sort=False, dropna=False).transform("min").to_numpy()
    m = np.where(k == 0, 0, np.where(np.isnan(first_ok), size, first_ok))
    out = np.zeros(len(frame), dtype=bool)
    out[work["_pos"].to_numpy()] = rank <= m
    return out


def apply_suppression(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """Blank every figure of the masked rows and set their flag to ``suppressed``."""
    out = frame.copy()
    for c in HIDDEN_COLUMNS:
        if c in out.columns:
            out[c] = out[c].astype(float)
            out.loc[mask, c] = np.nan
    out.loc[mask, "flag"] = SUPPRESSED
    return out
