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
from ..stats.flags import NOT_TESTED, flag
from .figures import kind_of

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

    kinds = kind_of(own["measure"])
    out = []
    for comparison, (ref, available) in refs.items():
        ref = ref.reset_index(drop=True)
        rows = own[KEYS + ["n", "n_eff", "value", "ci_low", "ci_high", "sd"]].copy()
        rows["comparison"] = comparison
        rows["ref_value"] = ref["value"].to_numpy(dtype=float)
        rows["ref_n"] = ref["n"].to_numpy(dtype=float)
        res = pd.DataFrame(index=rows.index, columns=["diff", "p", "effect", "practical"], dtype=float)
        for kind in ("proportion", "mean"):
            sel = kinds == kind
            if sel.any():
                r = compare_summaries(own[sel], ref[sel], kind=kind)
                res.loc[sel, ["diff", "p", "effect", "practical"]] = r[["diff", "p", "effect", "practical"]].to_numpy()
        testable = (available & (rows["n"].to_numpy() >= settings.min_n)
                    & (np.nan_to_num(rows["ref_n"].to_numpy()) >= settings.min_n))
        rows["diff"] = np.where(available & (rows["ref_n"].to_numpy() >= settings.min_n),
                                res["diff"].to_numpy(), np.nan)
        rows["p"] = np.where(testable, res["p"].to_numpy(), np.nan)
        rows["effect_size"] = np.where(testable, res["effect"].to_numpy(), np.nan)
        rows["_practical"] = np.where(testable, res["practical"].to_numpy(), np.nan)
        rows.loc[~(available & (rows["ref_n"].to_numpy() >= settings.min_n)), "ref_value"] = np.nan
        rows.loc[~(available & (np.nan_to_num(rows["ref_n"].to_numpy()) >= settings.min_n)), "ref_n"] = np.nan
        out.append(rows)
    res = pd.concat(out, ignore_index=True)
    res["p_adj"] = holm(res["p"].to_numpy(), [res["org"].to_numpy(), res["comparison"].to_numpy()])
    is_prop = kind_of(res["measure"]) == "proportion"
    flags = np.where(
        is_prop,
        flag(res["p_adj"], res["diff"], alpha=settings.alpha, min_effect=settings.min_diff_top2),
        flag(res["p_adj"], res["diff"], alpha=settings.alpha, min_effect=settings.min_hedges_g,
             practical=res["_practical"]),
    )
    res["flag"] = np.where(res["p_adj"].isna(), NOT_TESTED, flags)
    return res.drop(columns="_practical")


def wave_trend(current: pd.DataFrame, previous_sum: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The whole wave (``org = ""``) against the whole previous wave, same tests and flags.

    ``current`` is the wave-total summary (no key columns), ``previous_sum`` the previous wave's
    organisation sums with mapped item ids; they are pooled over the previous wave's eligible
    organisations (each counts with its headcount when weighting is on).
    """
    from ..stats.estimates import pool_summaries

    cur = current[current["measure"].isin(TESTED_MEASURES)].reset_index(drop=True)
    parts = []
    for kind in ("proportion", "mean"):
        rows = previous_sum[kind_of(previous_sum["measure"]) == kind]
        if len(rows):
            parts.append(pool_summaries(rows, ["measure", "domain"], kind=kind, confidence=settings.confidence))
    prev = cur[["measure", "domain", "item"]].merge(pd.concat(parts), on=["measure", "domain", "item"], how="left")
    rows = cur[["measure", "domain", "item", "n", "n_eff", "value", "ci_low", "ci_high", "sd"]].copy()
    rows["org"] = ""
    rows["comparison"] = "previous"
    ok = prev["n"].fillna(0).to_numpy() >= settings.min_n
    rows["ref_value"] = np.where(ok, prev["value"].to_numpy(dtype=float), np.nan)
    rows["ref_n"] = np.where(ok, prev["n"].to_numpy(dtype=float), np.nan)
    kinds = kind_of(rows["measure"])
    res = pd.DataFrame(index=rows.index, columns=["diff", "p", "effect", "practical"], dtype=float)
    for kind in ("proportion", "mean"):
        sel = kinds == kind
        if sel.any():
            r = compare_summaries(cur[sel], prev[sel], kind=kind)
            res.loc[sel, ["diff", "p", "effect", "practical"]] = r[["diff", "p", "effect", "practical"]].to_numpy()
    testable = ok & (rows["n"].to_numpy() >= settings.min_n)
    rows["diff"] = np.where(ok, res["diff"].to_numpy(), np.nan)
    rows["p"] = np.where(testable, res["p"].to_numpy(), np.nan)
    rows["effect_size"] = np.where(testable, res["effect"].to_numpy(), np.nan)
    rows["p_adj"] = holm(rows["p"].to_numpy())
    practical = np.where(testable, res["practical"].to_numpy(), np.nan)
    rows["flag"] = np.where(
        kinds == "proportion",
        flag(rows["p_adj"], rows["diff"], alpha=settings.alpha, min_effect=settings.min_diff_top2),
        flag(rows["p_adj"], rows["diff"], alpha=settings.alpha, min_effect=settings.min_hedges_g, practical=practical),
    )
    rows.loc[rows["p_adj"].isna(), "flag"] = NOT_TESTED
    return rows
