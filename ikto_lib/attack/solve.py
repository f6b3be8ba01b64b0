"""Bounds of the hidden members of one sibling family, by integer programming (scipy's HiGHS).

A *family* is a parent group (an organisation, a type, the wave, a benchmark pool, ...) and its
members (units, categories, organisations, pluim targets), published over several *rows* (items,
domains, measures: one count per row). What the attacker knows of a family:

* per row ``j`` the parent's count ``T_j`` and the count ``n_mj`` of every member shown in that row;
* per member its respondent count ``R_m`` when any table shows it, and its headcount (a cap);
* the parent's respondent count ``T_R`` (when the family has a respondents row).

Unknowns are the hidden members' respondent counts ``R_h`` and hidden cells ``n_hj``, with

* ``sum_m R_m = T_R``; per row ``sum_m n_mj = T_j``; ``0 <= n_mj <= R_m <= cap_m``.

Given ``R``, the rows are independent and row ``j`` is feasible iff
``D_j <= sum_{h hidden in j} R_h`` (``D_j`` = ``T_j`` minus the shown members), so the exact
projection onto ``R`` is a small integer programme: one variable per member whose ``R`` is
unknown, one equality and one ``>=`` constraint per distinct hidden set. From its minima and
maxima follow exact bounds of every hidden cell:
``max(0, D_j - max sum_{o in H_j, o != h} R_o) <= n_hj <= min(D_j, max R_h)``.
This intersects all rows of a family at once: items hiding different pairs of units pin a unit
that each item alone protects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

#: Upper bound standing for "unbounded" in the programmes (counts of people are far below it).
_BIG = 1e9
_TOL = 1e-6


@dataclass
class FamilyBounds:
    """Bounds of one family's hidden quantities (NaN where shown / not applicable).

    ``r_lo``/``r_hi`` per member (its respondents), ``lo``/``hi`` per row x member (hidden cells),
    ``d`` the rows' deficits (parent minus shown members; NaN when the row cannot be used),
    ``remainder`` per row the deficit of rows without any hidden member (should be 0),
    ``consistent`` False when the published figures contradict each other (not bounded).
    """

    r_lo: np.ndarray
    r_hi: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    d: np.ndarray
    remainder: np.ndarray
    consistent: bool


def _integral(x: np.ndarray) -> np.ndarray:
    return np.isfinite(x) & (np.abs(x - np.round(x)) <= _TOL * np.maximum(1.0, np.abs(x)))


def _solve(c, lb, ub, A, a_lo, a_hi) -> float | None:
    """Optimum of ``min c.x`` over the integer programme, None when infeasible."""
    cons = [LinearConstraint(A, a_lo, a_hi)] if A is not None and len(A) else []
    res = milp(c, integrality=np.ones(len(c)), bounds=Bounds(lb, ub), constraints=cons)
    if res.status != 0 or res.x is None:
        return None
    return float(c @ np.round(res.x))


class _Programme:
    """``lb <= x <= ub`` (integers), optionally ``sum x = eq``, and ``sum_{S_i} x >= q_i``.

    Sums over a subset are bounded in closed form when no ``>=`` constraint binds (the usual
    case); otherwise by ``milp``.
    """

    def __init__(self, lb, ub, eq, cons):
        self.lb, self.ub, self.eq = np.asarray(lb, float), np.asarray(ub, float), eq
        self.m = len(self.lb)
        if eq is not None and not (self.lb.sum() - 0.5 <= eq <= self.ub.sum() + 0.5):
            self.feasible, self.cons = False, cons
            return
        self.cons = [(mask.astype(bool), q) for mask, q in cons if self._box_min(mask.astype(bool)) < q - 0.5]
        self.feasible = True
        if self.cons:
            A = [np.asarray(mk, float) for mk, _ in self.cons]
            lo = [q for _, q in self.cons]
            hi = [np.inf] * len(self.cons)
            if eq is not None:
                A.append(np.ones(self.m))
                lo.append(eq)
                hi.append(eq)
            self.A, self.a_lo, self.a_hi = np.vstack(A), np.array(lo), np.array(hi)
            self.feasible = _solve(np.zeros(self.m), self.lb, self.ub, self.A, self.a_lo, self.a_hi) is not None

    def _box_min(self, mask) -> float:
        low = self.lb[mask].sum()
        return low if self.eq is None else max(low, self.eq - self.ub[~mask].sum())

    def _box_max(self, mask) -> float:
        high = self.ub[mask].sum()
        return high if self.eq is None else min(high, self.eq - self.lb[~mask].sum())

    def min_sum(self, mask) -> float:
        if not self.cons:
            return self._box_min(mask)
        return _solve(mask.astype(float), self.lb, self.ub, self.A, self.a_lo, self.a_hi)

    def max_sum(self, mask) -> float:
        if not self.cons:
            return self._box_max(mask)
        return -_solve(-mask.astype(float), self.lb, self.ub, self.A, self.a_lo, self.a_hi)


def bound_family(n: np.ndarray, totals: np.ndarray, r_known: np.ndarray, cap: np.ndarray,
                 r_total: float) -> FamilyBounds:
    """Bound the hidden quantities of one family.

    Parameters
    ----------
    n : array (rows x members)
        Shown counts; NaN = hidden (or not published) in that row.
    totals : array (rows)
        The parent's count per row (NaN: the row is not used).
    r_known : array (members)
        Shown respondent counts, NaN where hidden.
    cap : array (members)
        Upper bounds (headcount), ``inf`` where unknown.
    r_total : float
        The parent's respondents (NaN: the family has no respondents row).

    Returns
    -------
    FamilyBounds
    """
    rows, k = n.shape
    hidden = np.isnan(n)
    d = totals - np.where(hidden, 0.0, n).sum(axis=1)
    usable = _integral(totals) & _integral(d) & (d > -0.5)
    d = np.where(usable, np.round(d), np.nan)
    no_hidden = ~hidden.any(axis=1)
    remainder = np.where(no_hidden, d, np.nan)
    unknown = np.isnan(r_known)
    shown_max = np.max(np.where(hidden, -np.inf, n), axis=0, initial=-np.inf)
    lower = np.fmax(np.nan_to_num(r_known, nan=0.0), shown_max)
    lower = np.maximum(lower, 0.0)
    r_lo, r_hi = np.where(unknown, np.nan, r_known), np.where(unknown, np.nan, r_known)
    lo, hi = np.full(n.shape, np.nan), np.full(n.shape, np.nan)
    consistent = True

    # rows with hidden members: constraints sum_{H_j, unknown} R >= D_j - sum_{H_j, known} R
    use = usable & ~no_hidden
    hid_u = hidden[use] & unknown
    known_part = np.where(hidden[use] & ~unknown, np.nan_to_num(r_known), 0.0).sum(axis=1)
    need = d[use] - known_part
    if np.any((~hid_u.any(axis=1)) & (need > 0.5)):
        consistent = False  # hidden members with known counts cannot hold the deficit
    keep = hid_u.any(axis=1) & (need > 0.5)
    pats, inv = (np.unique(hid_u[keep], axis=0, return_inverse=True) if keep.any()
                 else (np.zeros((0, k), bool), np.zeros(0, int)))
    need_p = np.full(len(pats), -np.inf)
    np.maximum.at(need_p, inv.ravel(), need[keep])

    var = np.flatnonzero(unknown)
    m = len(var)
    col = {int(v): i for i, v in enumerate(var)}
    cons = [(pat[var], req) for pat, req in zip(pats, need_p)]
    ub = np.where(np.isfinite(cap[var]), cap[var], _BIG)
    lb = lower[var]
    rest = r_total - np.nansum(r_known) if np.isfinite(r_total) else np.nan
    if np.isfinite(rest) and m:
        if rest < -0.5 or not _integral(np.array([rest]))[0]:
            consistent = False
        else:
            ub = np.minimum(ub, rest)
    if m:
        eq = float(np.round(rest)) if (np.isfinite(rest) and consistent) else None
        ub = np.maximum(ub, lb)
        prog = _Programme(lb, ub, eq, cons)
        if not prog.feasible and np.isfinite(ub).any():  # headcounts that contradict the counts
            ub = np.full(m, _BIG) if eq is None else np.full(m, max(eq, 0.0))
            prog = _Programme(np.minimum(lb, ub), ub, eq, cons)
        if not prog.feasible:
            return FamilyBounds(r_lo, r_hi, lo, hi, d, remainder, False)
        one = np.eye(m, dtype=bool)
        x_lo = np.array([prog.min_sum(one[i]) for i in range(m)])
        x_hi = np.array([prog.max_sum(one[i]) for i in range(m)])
        r_lo[var], r_hi[var] = x_lo, np.where(x_hi >= _BIG / 2, np.inf, x_hi)
    else:
        prog = None

    # hidden cells: max n_hj = min(D_j, max R_h); min n_hj = max(0, D_j - max sum_{H_j \ h} R),
    # per distinct hidden pattern (few) rather than per cell
    cache: dict[tuple, float] = {}
    r_max = np.where(np.isfinite(r_hi), r_hi, np.inf)
    known_r = np.where(unknown, 0.0, np.nan_to_num(r_known))
    rows_h = np.flatnonzero(use)
    if len(rows_h):
        pat_all, inv_all = np.unique(hidden[rows_h], axis=0, return_inverse=True)
        inv_all = inv_all.ravel()
        for q, pat in enumerate(pat_all):
            jj = rows_h[inv_all == q]
            hid = np.flatnonzero(pat)
            dj = d[jj]
            for h in hid:
                others = hid[hid != h]
                unk_o = tuple(int(o) for o in others if unknown[o])
                if unk_o not in cache:
                    if not unk_o:
                        cache[unk_o] = 0.0
                    else:
                        mask = np.zeros(m, dtype=bool)
                        mask[[col[o] for o in unk_o]] = True
                        best = prog.max_sum(mask)
                        cache[unk_o] = np.inf if best >= _BIG / 2 else best
                lo[jj, h] = np.maximum(0.0, dj - known_r[others].sum() - cache[unk_o])
                hi[jj, h] = np.minimum(dj, r_max[h])
    return FamilyBounds(r_lo, r_hi, lo, hi, d, remainder, consistent)


def share_bounds(d, q_lo, q_hi, n_lo, n_hi):
    """Bounds of a hidden member's positive count and share in one row (vectorised).

    The hidden members of the row hold ``d`` answers together, of which ``q_lo..q_hi`` positive
    (parent minus shown members); the member itself holds ``n_lo..n_hi`` answers. Positive
    count ``p`` of the member: ``max(0, q_lo - (d - n)) <= p <= min(n, q_hi)``; share ``p / n``
    is smallest / largest at the smallest ``n``.

    Returns
    -------
    p_lo, p_hi, s_lo, s_hi : arrays
    """
    d, q_lo, q_hi = (np.asarray(x, float) for x in (d, q_lo, q_hi))
    n_lo, n_hi = np.asarray(n_lo, float), np.asarray(n_hi, float)
    q_lo, q_hi = np.clip(q_lo, 0, d), np.clip(q_hi, 0, d)
    p_lo = np.maximum(0.0, q_lo - (d - n_lo))
    p_hi = np.minimum(n_hi, q_hi)
    with np.errstate(divide="ignore", invalid="ignore"):
        s_lo = np.where(n_lo > 0, np.maximum(0.0, 1.0 - (d - q_lo) / n_lo), 0.0)
        s_hi = np.where(n_lo > 0, np.minimum(1.0, q_hi / n_lo), 1.0)
    s_lo = np.where(d - q_lo <= _TOL, 1.0, s_lo)  # every hidden answer positive
    s_hi = np.where(q_hi <= _TOL, 0.0, s_hi)  # none positive
    return p_lo, p_hi, s_lo, s_hi
