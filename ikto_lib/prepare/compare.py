"""Comparisons of every organisation with its benchmark, peer group and previous wave.

For each eligible organisation and each top-2 / mean figure (items, domains, overall, grade):

* ``benchmark``: all other eligible organisations pooled (leave-one-out of the organisation
  sums; with weighting on, every organisation counts with its headcount);
* ``peers``: the other eligible organisations of the same type, when there are at least
  ``peer_min_orgs`` of them;
* ``previous``: the organisation in the previous wave (items mapped through ``previous_id``).

Top-2 figures: pooled two-proportion z-test with Kish effective n, Cohen's h; means: Welch's
t-test, Hedges' g. Holm correction within a family (one organisation x one comparison kind),
then :func:`ikto_lib.stats.flags.flag`. Comparisons where either side has fewer than ``min_n``
answers are ``not tested``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import Settings
from ..stats.compare import compare_summaries, holm
from ..stats.estimates import leave_one_out
from ..stats.flags import flag
from .figures import kind_of, pool

TESTED_MEASURES = ("top2", "mean", "grade_mean", "grade_pass")
KEYS = ["org", "measure", "domain", "item"]


def _reference(org_sum: pd.DataFrame, within: list[str], settings: Settings) -> pd.DataFrame:
    parts = []
    for kind in ("proportion", "mean"):
        rows = org_sum[kind_of(org_sum["measure"]) == kind]
        if len(rows):
            parts.append(leave_one_out(rows, within=within + ["measure", "domain"], kind=kind,
                                       confidence=settings.confidence))
    return pd.concat(parts).loc[org_sum.index]


def reference_rule(own_n, ref_n, available, min_n: int) -> tuple[np.ndarray, np.ndarray]:
    """When a reference is shown and when a difference is tested (the prepared results and the
    explorer both use this rule).

    A reference figure is shown only where it is ``available`` and holds at least ``min_n``
    answers; a row is tested only where the reference is shown and the own figure holds at least
    ``min_n`` answers. Returns ``(shown, testable)`` boolean arrays.

    >>> reference_rule([12, 5, 12], [30, 30, 4], [True, True, True], 10)
    (array([ True,  True, False]), array([ True, False, False]))
    """
    shown = np.asarray(available, dtype=bool) & (np.nan_to_num(np.asarray(ref_n, dtype=float)) >= min_n)
    return shown, shown & (np.asarray(own_n, dtype=float) >= min_n)


def flag_rule(p_adj, diff, practical, is_proportion, settings: Settings) -> np.ndarray:
    """The flag of each tested row (shared with the explorer): significant after Holm and at
    least ``min_diff_top2`` (top-2: ``practical`` = |diff|) or ``min_hedges_g`` (means:
    ``practical`` = |Hedges' g|), as returned by :func:`~ikto_lib.stats.compare.compare_summaries`."""
    return flag(p_adj, diff, alpha=settings.alpha, practical=practical,
                min_effect=np.where(is_proportion, settings.min_diff_top2, settings.min_hedges_g))


def _tested_rows(own: pd.DataFrame, ref: pd.DataFrame, available: np.ndarray, comparison: str,
                 settings: Settings) -> pd.DataFrame:
    """Own figures beside their reference with the test of each row (row-aligned frames).

    The reference is shown only where it is available and holds >= ``min_n`` answers; a row is
    tested only when both sides hold >= ``min_n``. ``_practical`` is kept for :func:`_flagged`.
    """
    cols = [c for c in KEYS + ["n", "n_eff", "value", "ci_low", "ci_high", "sd"] if c in own.columns]
    rows = own[cols].reset_index(drop=True).copy()
    ref = ref.reset_index(drop=True)
    rows["comparison"] = comparison
    kinds = kind_of(rows["measure"])
    res = pd.DataFrame(index=rows.index, columns=["diff", "p", "effect", "practical"], dtype=float)
    for kind in ("proportion", "mean"):
        sel = kinds == kind
        if sel.any():
            r = compare_summaries(rows[sel], ref[sel], kind=kind)
            res.loc[sel, ["diff", "p", "effect", "practical"]] = r[["diff", "p", "effect", "practical"]].to_numpy()
    ref_n = ref["n"].to_numpy(dtype=float)
    shown, testable = reference_rule(rows["n"].to_numpy(dtype=float), ref_n, available, settings.min_n)
    rows["ref_value"] = np.where(shown, ref["value"].to_numpy(dtype=float), np.nan)
    rows["ref_n"] = np.where(shown, ref_n, np.nan)
    rows["diff"] = np.where(shown, res["diff"].to_numpy(), np.nan)
    rows["p"] = np.where(testable, res["p"].to_numpy(), np.nan)
    rows["effect_size"] = np.where(testable, res["effect"].to_numpy(), np.nan)
    rows["_practical"] = np.where(testable, res["practical"].to_numpy(), np.nan)
    return rows


def _flagged(rows: pd.DataFrame, families: list[np.ndarray] | None, settings: Settings) -> pd.DataFrame:
    """Holm within each family, then the flag rule (top-2: |diff| >= min_diff_top2; means:
    |g| >= min_hedges_g)."""
    rows["p_adj"] = holm(rows["p"].to_numpy(), families)
    is_prop = np.asarray(kind_of(rows["measure"])) == "proportion"
    rows["flag"] = flag_rule(rows["p_adj"], rows["diff"], rows["_practical"], is_prop, settings)
    return rows.drop(columns="_practical")


def comparisons(org_sum: pd.DataFrame, *, org_types: pd.Series, previous_sum: pd.DataFrame | None,
                settings: Settings) -> pd.DataFrame:
    """Tidy comparison rows (contract columns) for the organisation-level figures ``org_sum``.

    ``org_sum`` is a :func:`~ikto_lib.prepare.figures.summarise` result keyed by ``org`` (eligible
    organisations only, sums included); ``org_types`` maps org -> type; ``previous_sum`` the same
    for the previous wave with item ids already mapped to this wave's ids (or ``None``).
    """
    own = org_sum[org_sum["measure"].isin(TESTED_MEASURES)].reset_index(drop=True)
    own["type"] = own["org"].map(org_types).astype(str)
    n_peers = org_types[org_types.index.isin(own["org"].unique())].value_counts()
    peer_ok = (own["type"].map(n_peers).fillna(0) - 1 >= settings.peer_min_orgs).to_numpy()
    refs = {
        "benchmark": (_reference(own, [], settings), np.ones(len(own), dtype=bool)),
        "peers": (_reference(own, ["type"], settings), peer_ok),
    }
    if previous_sum is not None and len(previous_sum):
        prev = own[KEYS].merge(previous_sum, on=KEYS, how="left")
        refs["previous"] = (prev, prev["n"].notna().to_numpy())
    res = pd.concat([_tested_rows(own, ref, available, comparison, settings)
                     for comparison, (ref, available) in refs.items()], ignore_index=True)
    return _flagged(res, [res["org"].to_numpy(), res["comparison"].to_numpy()], settings)


def wave_trend(current: pd.DataFrame, previous_sum: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The whole wave (``org = ""``) against the whole previous wave, same tests and flags.

    ``current`` is the wave-total summary (no key columns), ``previous_sum`` the previous wave's
    organisation sums with mapped item ids; they are pooled over the previous wave's eligible
    organisations (each counts with its headcount when weighting is on).
    """
    cur = current[current["measure"].isin(TESTED_MEASURES)].reset_index(drop=True)
    pooled = pool(previous_sum, [], settings.confidence)
    prev = cur[["measure", "domain", "item"]].merge(pooled, on=["measure", "domain", "item"], how="left")
    rows = _tested_rows(cur, prev, np.ones(len(cur), dtype=bool), "previous", settings)
    rows["org"] = ""
    return _flagged(rows, None, settings)
