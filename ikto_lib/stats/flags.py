"""Flags for stakeholder text: higher / lower / no difference / not tested (never a bare p-value)."""

from __future__ import annotations

import numpy as np

__all__ = ["HIGHER", "LOWER", "NO_DIFFERENCE", "NOT_TESTED", "FLAGS", "flag"]

HIGHER = "higher"
LOWER = "lower"
NO_DIFFERENCE = "no difference"
NOT_TESTED = "not tested"
#: All flag values, in display order.
FLAGS = (HIGHER, LOWER, NO_DIFFERENCE, NOT_TESTED)


def flag(p_adj, diff, *, alpha: float, min_effect, practical=None) -> np.ndarray:
    """Flag differences that are both significant and practically relevant.

    Parameters
    ----------
    p_adj : array_like
        Multiplicity-adjusted p-values (see :func:`ikto_lib.stats.compare.holm`); ``NaN`` = not tested.
    diff : array_like
        Own minus reference (sign gives the direction); for top-2-box in proportion units.
    alpha : float
        Significance level (settings ``alpha``).
    min_effect : float or array_like
        Smallest practically relevant size: settings ``min_diff_top2`` (proportion units) for
        top-2-box, ``min_hedges_g`` for means; an array gives one per row (mixed tables).
    practical : array_like, optional
        The size compared with ``min_effect``: ``|g|`` (Hedges) for means. ``None``: ``|diff|``.

    Returns
    -------
    ndarray of str
        ``"higher"`` / ``"lower"`` when ``p_adj < alpha`` and ``|practical| >= min_effect``;
        ``"not tested"`` when ``p_adj``, ``diff`` or ``practical`` is missing; else ``"no difference"``.

    Notes
    -----
    Both conditions are required (significance alone flags trivial differences in large groups;
    size alone flags noise in small ones). Cohen (1988) calls d = 0.2 a small effect.

    Examples
    --------
    >>> flag([0.01, 0.01, 0.20, np.nan], [0.08, -0.03, 0.10, 0.2], alpha=0.05, min_effect=0.05).tolist()
    ['higher', 'no difference', 'no difference', 'not tested']
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    min_effect = np.asarray(min_effect, dtype=float)
    if np.any(min_effect < 0):
        raise ValueError(f"min_effect must be >= 0, got {min_effect}")
    p = np.asarray(p_adj, dtype=float)
    d = np.asarray(diff, dtype=float)
    size = np.abs(d) if practical is None else np.abs(np.asarray(practical, dtype=float))
    p, d, size = np.broadcast_arrays(p, d, size)
    tested = ~(np.isnan(p) | np.isnan(d) | np.isnan(size))
    # small tolerance so that a difference of exactly min_effect (e.g. 0.05) counts despite rounding
    relevant = tested & (p < alpha) & (size >= min_effect - 1e-12) & (d != 0)
    out = np.full(p.shape, NO_DIFFERENCE, dtype=object)
    out[relevant & (d > 0)] = HIGHER
    out[relevant & (d < 0)] = LOWER
    out[~tested] = NOT_TESTED
    return out
