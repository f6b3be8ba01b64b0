"""Anonymity: primary and complementary suppression of group figures (docs/anonymity.md).

Primary: a figure of a group with fewer than ``min_n`` respondents (for an item: valid answers)
is suppressed. Complementary: among siblings shown beside their total (the units of an
organisation, the categories of a background variable, the pluim targets of an organisation),
the suppressed non-empty siblings together must be none, or at least two holding at least
``min_n``.

:func:`family_pattern` makes one pattern per family, the same in every row (item, domain,
measure, count): the union of the rows' primary suppressions, then complementary siblings added
until every row passes; :func:`hidden_rows` applies it to a table. Empty siblings (0
respondents, 0 answers) never hide a neighbour.

:func:`suppression_mask` is the rule for a single table on its own (one row per family): the
suppressed set is a prefix of the siblings sorted by n, vectorised as the first position
``m >= max(k, 2)`` whose cumulative n reaches ``min_n`` (``k`` = primary suppressions; ``m = 0``
when ``k = 0``; all siblings when none does). The workbench and the data-quality tables use it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SUPPRESSED = "suppressed"
_EPS = 1e-9
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


def family_pattern(frame: pd.DataFrame, *, family: list[str], member: str, row: list[str], min_n: int,
                   n_col: str = "n", pos_col: str | None = None, min_mixed: float = 1.0) -> pd.Series:
    """One suppression pattern per sibling family, the same for every row (item, measure) of it.

    Parameters
    ----------
    frame : DataFrame
        Long counts: one row per family x member x row with the count ``n_col`` (respondents,
        valid answers, pluimen). A member missing from a row counts as 0 there.
    family : list of str
        Columns naming a family (e.g. ``["org"]`` for the units of an organisation).
    member : str
        Column naming a sibling within its family (``unit``, ``category``, ``target``).
    row : list of str
        Columns naming one table row of the family (e.g. the measure column ``"top2|ict|"``).
    min_n : int
        Anonymity threshold.
    pos_col : str, optional
        Column with the positive count of a share row (top-2, grade pass: the sum of the
        respondents' 0..1 values), NaN in rows that are no share. Given, a third rule applies.
    min_mixed : float
        The fewest positive and the fewest non-positive answers the hidden answers of a share row
        must hold together (rule 3).

    Returns
    -------
    Series of bool
        Indexed by ``family + [member]``: True for a member hidden in every row of its family.

    Notes
    -----
    A row whose siblings together hold fewer than ``min_n`` (its total is hidden too) publishes
    nothing and does not count. In every other row:

    1. primary: a member with ``0 < n < min_n`` is hidden (in every row);
    2. complementary: with the hidden set fixed, every row must have its hidden non-empty
       members number 0, or at least 2 holding at least ``min_n`` together; per family, the
       smallest shown non-empty member of a failing row (the member with fewest respondents
       among the failing rows' candidates) is hidden too, and all rows are checked again, until
       none fails (or a failing row has no shown non-empty member left);
    3. homogeneity (with ``pos_col``): in a share row the hidden answers together must hold at
       least ``min_mixed`` positive and ``min_mixed`` non-positive answers; else the total minus
       the shown members says that every hidden answer is positive (or none is), i.e. the answer
       of every hidden member. A failing row adds its smallest shown non-empty member as in 2.
       A row whose total is itself 0% or 100% positive tells that of everyone anyway and passes.

    Members with ``n == 0`` (an empty unit, no answers on an item) are never a reason to hide a
    neighbour. Vectorised over all families (groupby); the loop runs over fixpoint rounds, each
    adding at most one member per family.

    Examples
    --------
    Two items of one organisation: on ``q1`` unit c is small, on ``q2`` unit b is. Per item the
    old rule hid {b, c} once and {b, c} again; here the units b (3 and 12 answers) and c hide
    together in both, and d (0 respondents) hides nothing:

    >>> f = pd.DataFrame({"org": ["A"] * 8, "unit": list("abcd") * 2, "q": ["q1"] * 4 + ["q2"] * 4,
    ...                   "n": [40, 12, 3, 0, 40, 3, 12, 0]})
    >>> family_pattern(f, family=["org"], member="unit", row=["q"], min_n=10).tolist()
    [False, True, True, False]
    """
    keys = list(family) + [member]
    fam_id = frame.groupby(list(family), sort=False, observed=True, dropna=False).ngroup().to_numpy()
    mem_codes = frame.groupby(keys, sort=True, observed=True, dropna=False).ngroup()
    members = frame.groupby(keys, sort=True, observed=True, dropna=False).size().index
    mem = mem_codes.to_numpy()
    row_id = frame.groupby(list(family) + list(row), sort=False, observed=True, dropna=False).ngroup().to_numpy()
    n = frame[n_col].to_numpy(dtype=float, na_value=0.0)
    n_members, n_rows = len(members), int(row_id.max()) + 1 if len(frame) else 0
    size = np.zeros(n_members)
    np.maximum.at(size, mem, n)  # a member's size: its largest count (respondents)
    total = np.bincount(row_id, weights=n, minlength=n_rows)
    active = total[row_id] >= min_n
    nonempty = n > 0
    hidden = np.zeros(n_members, dtype=bool)
    hidden[mem[active & nonempty & (n < min_n)]] = True
    fam_of_mem = np.zeros(n_members, dtype=np.int64)
    fam_of_mem[mem] = fam_id
    if pos_col is not None:
        pos = frame[pos_col].to_numpy(dtype=float, na_value=np.nan)
        share_row = np.bincount(row_id, weights=(~np.isnan(pos)).astype(float), minlength=n_rows) > 0
        pos = np.nan_to_num(pos)
        total_pos = np.bincount(row_id, weights=pos, minlength=n_rows)
        # a total that is itself 0% or 100% positive says it of every member already
        share_row &= np.minimum(total_pos, total - total_pos) > _EPS
    while True:
        h = hidden[mem] & nonempty
        k = np.bincount(row_id, weights=h.astype(float), minlength=n_rows)
        s = np.bincount(row_id, weights=np.where(h, n, 0.0), minlength=n_rows)
        fails = (total >= min_n) & ((k == 1) | ((k >= 2) & (s < min_n)))
        if pos_col is not None:
            q = np.bincount(row_id, weights=np.where(h, pos, 0.0), minlength=n_rows)
            fails |= (total >= min_n) & share_row & (s > 0) & (np.minimum(q, s - q) < min_mixed - _EPS)
        cand = fails[row_id] & ~hidden[mem] & nonempty
        if not cand.any():
            break
        c = pd.DataFrame({"row": row_id[cand], "n": n[cand], "size": size[mem[cand]], "mem": mem[cand]})
        c = c.sort_values(["row", "n", "size", "mem"], kind="mergesort").drop_duplicates("row")
        c["fam"] = fam_of_mem[c["mem"].to_numpy()]
        c = c.sort_values(["fam", "size", "n", "mem"], kind="mergesort").drop_duplicates("fam")
        hidden[c["mem"].to_numpy()] = True
    return pd.Series(hidden, index=members, name="hidden")


def hidden_rows(frame: pd.DataFrame, pattern: pd.Series, *, n_col: str = "n", min_n: int) -> np.ndarray:
    """Rows of ``frame`` to suppress: their member is hidden in its family's ``pattern``
    (:func:`family_pattern`), or the row's own count is below ``min_n``."""
    on = list(pattern.index.names)
    hid = pattern[pattern].reset_index()[on].astype(str).assign(_hidden=True)
    keys = frame[on].astype(str).reset_index(drop=True)
    member_hidden = keys.merge(hid, on=on, how="left")["_hidden"].notna().to_numpy()
    n = frame[n_col].to_numpy(dtype=float, na_value=0.0)
    return np.asarray(member_hidden, dtype=bool) | (n < min_n)
