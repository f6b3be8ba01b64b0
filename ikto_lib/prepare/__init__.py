"""One pass over a wave: every figure, comparison, flag, rank, driver and pluim statistic.

:func:`prepare` writes the tables of :mod:`ikto_lib.prepared` (anonymity applied before
anything is written) and a manifest. Everything downstream only reads them.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from ..config import Settings, load_settings
from ..prepared import RESULTS_COLUMNS, write_manifest, write_table
from ..publish import write_not_for_distribution
from ..stats.estimates import SUMS, margin_of_error
from ..stats.weighting import combine, org_weights, poststrat_weights
from ..wave import Wave
from . import extras
from .anonymity import apply_suppression, family_pattern, hidden_rows
from .compare import comparisons, wave_trend
from .figures import col, group_counts, outcome, pool, respondent_measures, summarise
from .pluim import pluim_tables

log = logging.getLogger(__name__)

__all__ = ["prepare", "ensure_prepared", "compute", "prepared_fingerprint", "eligible_orgs", "respondent_frame",
           "headcount_weights", "sibling_patterns", "wave_weights", "mixed_answers"]


# the fingerprint and the freshness check live in ikto_lib.prepared (cheap to import: an unchanged
# rerun decides without importing scipy and the statistics)
from ..prepared import PRESENTATION_SETTINGS, prepared_current, prepared_fingerprint  # noqa: E402,F401


def eligible_orgs(responses: pd.DataFrame, min_n: int) -> list[str]:
    counts = responses["org"].astype(str).value_counts()
    return sorted(counts[counts >= min_n].index)


def respondent_frame(responses: pd.DataFrame, eligible: list[str]) -> pd.DataFrame:
    """Respondents of eligible organisations, key columns as plain strings, fresh index."""
    r = responses[responses["org"].astype(str).isin(eligible)].reset_index(drop=True)
    for c in r.columns:
        if isinstance(r[c].dtype, pd.CategoricalDtype):
            r[c] = r[c].astype(str).where(r[c].notna(), "")
    return r


def mixed_answers(min_n: int, share_width: float) -> float:
    """The fewest positive (and non-positive) answers the hidden answers of a share row must hold
    (rule 3 of :func:`.anonymity.family_pattern`): one whole answer, and more than the audit's
    share width (``attack_share_width``) of a group just under ``min_n``, so that the total minus
    the shown siblings never puts a hidden group's share within that width."""
    return max(1.0, float(share_width) * (min_n - 1))


def sibling_patterns(resp: pd.DataFrame, measures, backgrounds: list[str], min_n: int,
                     share_width: float | None = None) -> dict[str, pd.Series]:
    """The anonymity pattern of every sibling family (:func:`.anonymity.family_pattern`):
    ``"unit"`` indexed by ``org, unit`` and ``"category"`` indexed by ``org, breakdown,
    category`` (True = hidden in every row: all items, domains, measures and counts).

    The hidden answers of every share row hold positive and non-positive answers
    (:func:`mixed_answers`; ``share_width``: settings ``attack_share_width`` when not given)."""
    if share_width is None:
        share_width = load_settings().attack_share_width
    rule = {"min_n": min_n, "row": ["column"], "pos_col": "pos", "min_mixed": mixed_answers(min_n, share_width)}
    org = resp["org"]
    units = family_pattern(group_counts(measures, [org, resp["unit"]]), family=["org"], member="unit", **rule)
    parts = [group_counts(measures, [org, resp[b].rename("category")]).assign(breakdown=b) for b in backgrounds]
    if parts:
        cats = family_pattern(pd.concat(parts, ignore_index=True), family=["org", "breakdown"],
                              member="category", **rule)
    else:
        cats = pd.Series([], dtype=bool, index=pd.MultiIndex.from_arrays([[], [], []],
                                                                         names=["org", "breakdown", "category"]))
    return {"unit": units, "category": cats}


def headcount_weights(resp: pd.DataFrame, headcount: pd.DataFrame, settings: Settings,
                      hidden: pd.Series | pd.DataFrame | None = None) -> pd.Series | None:
    """Combined weights (post-stratification within organisations x organisation weights).

    ``hidden``: the unit pattern of :func:`sibling_patterns` (or a frame ``org, unit`` of the
    hidden units); every hidden unit goes into its organisation's "other" cell. Without it
    only units under ``min_n`` respondents do.
    """
    if not settings.weighting:
        return None
    if isinstance(hidden, pd.Series):
        hidden = hidden[hidden].reset_index()[["org", "unit"]]
    hc = headcount.assign(org=headcount["org"].astype(str), unit=headcount["unit"].astype(str))
    cells = hc.groupby(["org", "unit"], observed=True)["headcount"].sum().reset_index()
    w_in = poststrat_weights(resp[["org", "unit"]], cells, min_n=settings.min_n, hidden=hidden)
    w_org = org_weights(resp["org"], hc.groupby("org", observed=True)["headcount"].sum())
    return combine(w_in, w_org)


def wave_weights(resp: pd.DataFrame, wave: Wave, settings: Settings, measures=None) -> pd.Series | None:
    """The weights of ``resp`` (respondents of eligible organisations, :func:`respondent_frame`)
    exactly as the prepared results use them: post-stratification cells after the units'
    anonymity pattern (every hidden unit in the "other" cell), times organisation weights."""
    if not settings.weighting:
        return None
    m = measures if measures is not None else respondent_measures(resp, wave.instrument, settings)
    hidden = sibling_patterns(resp, m, [], settings.min_n, settings.attack_share_width)["unit"]
    return headcount_weights(resp, wave.headcount, settings, hidden=hidden)


def _counts(keys: list[pd.Series], total: int = 0, **fixed) -> pd.DataFrame:
    """Respondents per group of ``keys`` (no keys: one row holding ``total``)."""
    if keys:
        frame = pd.concat(keys, axis=1)
        c = frame.groupby(list(frame.columns), observed=True).size().rename("n").reset_index()
    else:
        c = pd.DataFrame({"n": [total]})
    c["value"] = c["n"].astype(float)
    c["n_eff"] = c["n"].astype(float)
    c["measure"], c["domain"], c["item"] = "respondents", "", ""
    return c.assign(**fixed)


def _org_summary(wave: Wave, settings: Settings, eligible: list[str] | None = None, *, nonresponse: bool = True):
    """Respondent measures, sibling patterns, weights and organisation-level sums of a wave."""
    eligible = eligible if eligible is not None else eligible_orgs(wave.responses, settings.min_n)
    resp = respondent_frame(wave.responses, eligible)
    m = respondent_measures(resp, wave.instrument, settings)
    bgs = [b for b in wave.instrument.background_ids if b in resp.columns]
    patterns = sibling_patterns(resp, m, bgs, settings.min_n, settings.attack_share_width)
    w = headcount_weights(resp, wave.headcount, settings, hidden=patterns["unit"])
    return resp, w, m, summarise(m, [resp["org"]], w, settings.confidence, nonresponse=nonresponse), patterns


def poolable(summary: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """Organisation sums that may enter a group figure: an organisation contributes to a wave,
    type, benchmark or peer figure of an item only with at least ``min_n`` answers on it.

    Otherwise its suppressed figure would follow by subtraction (the wave total minus the
    organisations shown in their own reports). Rows below ``min_n`` keep their place with all
    sums set to 0.
    """
    out = summary.copy()
    small = out["n"].to_numpy() < min_n
    out.loc[small, SUMS] = 0
    return out


def _previous_sum(previous: Wave, wave: Wave, settings: Settings) -> pd.DataFrame:
    """Previous wave's organisation figures with item ids mapped to this wave's ids."""
    s = _org_summary(previous, settings, nonresponse=False)[3]
    s = poolable(s, settings.min_n)
    mapping = {i.previous_id: i.id for i in wave.instrument.items if i.previous_id}
    s = s[(s["item"] == "") | s["item"].isin(list(mapping))].copy()
    s["item"] = s["item"].replace(mapping)
    return s


def compute(wave: Wave, previous: Wave | None = None, settings: Settings | None = None) -> dict[str, pd.DataFrame]:
    """All prepared tables of ``wave`` (compared with ``previous``), anonymity applied."""
    settings = settings or load_settings()
    inst = wave.instrument
    eligible = eligible_orgs(wave.responses, settings.min_n)
    resp, w, m, by_org, patterns = _org_summary(wave, settings, eligible)
    conf = settings.confidence
    orgs = wave.organisations.assign(org=wave.organisations["org"].astype(str))
    org_types = orgs.set_index("org")["type"].astype(str)
    org = resp["org"]
    unit = resp["unit"]
    typ = org.map(org_types).rename("category")
    bgs = [b for b in inst.background_ids if b in resp.columns]

    plain = [by_org.assign(unit="", breakdown="", category="")]
    plain.append(summarise(m, [org, unit], w, conf).assign(breakdown="", category=""))
    for b in bgs:
        plain.append(summarise(m, [org, resp[b].rename("category")], w, conf).assign(unit="", breakdown=b))
    tested = poolable(by_org[~by_org["measure"].isin(["nvt_share", "skip_share"])], settings.min_n)
    by_type = pool(tested.assign(category=tested["org"].map(org_types)), ["category"], conf)
    plain.append(by_type.assign(org="", unit="", breakdown="type"))
    wave_total = pool(tested, [], conf)
    plain.append(wave_total.assign(org="", unit="", breakdown="", category=""))
    plain.append(_counts([org], unit="", breakdown="", category=""))
    plain.append(_counts([org, unit], breakdown="", category=""))
    for b in bgs:
        plain.append(_counts([org, resp[b].rename("category")], unit="", breakdown=b))
    plain.append(_counts([typ], org="", unit="", breakdown="type"))
    plain.append(_counts([], len(resp), org="", unit="", breakdown="", category=""))
    res = pd.concat(plain, ignore_index=True)
    res["comparison"] = ""
    res["flag"] = ""
    for c in ("org", "unit", "breakdown", "category"):
        res[c] = res[c].astype(str)

    # anonymity: units and background categories are siblings beside their organisation total;
    # one pattern per family, the same in every item, domain, measure and count
    is_unit = (res["unit"] != "").to_numpy()
    is_bg = ((res["breakdown"] != "") & (res["breakdown"] != "type")).to_numpy()
    mask = res["n"].to_numpy(dtype=float, na_value=0.0) < settings.min_n
    mask[is_unit] |= hidden_rows(res[is_unit], patterns["unit"], min_n=settings.min_n)
    mask[is_bg] |= hidden_rows(res[is_bg], patterns["category"], min_n=settings.min_n)
    res = apply_suppression(res, mask)

    prev_sum = _previous_sum(previous, wave, settings) if previous is not None else None
    comp = comparisons(tested, org_types=org_types, previous_sum=prev_sum, settings=settings)
    if prev_sum is not None:
        comp = pd.concat([comp, wave_trend(wave_total, prev_sum, settings)], ignore_index=True)
    comp = comp.assign(unit="", breakdown="", category="")
    comp = apply_suppression(comp, comp["n"].to_numpy() < settings.min_n)
    results = pd.concat([res, comp], ignore_index=True).reindex(columns=RESULTS_COLUMNS + ["sd"])

    # organisations
    hc_org = wave.headcount.assign(org=wave.headcount["org"].astype(str)).groupby("org")["headcount"].sum()
    n_org = org.value_counts()
    prev_eligible = set(eligible_orgs(previous.responses, settings.min_n)) if previous is not None else set()
    n_type = org_types[org_types.index.isin(eligible)].value_counts()
    o = orgs[["org", "name", "type"]].copy()
    o["eligible"] = o["org"].isin(eligible)
    o["respondents"] = o["org"].map(n_org).where(o["eligible"])
    o["headcount"] = o["org"].map(hc_org)
    o["response_rate"] = o["respondents"] / o["headcount"]
    o["margin_of_error"] = margin_of_error(o["respondents"].fillna(0).to_numpy(),
                                           o["headcount"].to_numpy(dtype=float), confidence=conf)
    o.loc[~o["eligible"], "margin_of_error"] = np.nan
    o["weighted"] = bool(settings.weighting)
    o["peers_available"] = o["eligible"] & (o["type"].astype(str).map(n_type).fillna(0) - 1 >= settings.peer_min_orgs)
    o["previous_available"] = o["eligible"] & o["org"].isin(prev_eligible)
    # units known from the headcount or the answers (not: units with respondents, which would
    # tell how many units have none)
    known_units = pd.concat([wave.headcount[["org", "unit"]].astype(str), resp[["org", "unit"]].astype(str)])
    o["n_units"] = o["org"].map(known_units.drop_duplicates().groupby("org")["unit"].size()).fillna(0).astype(int)

    response, representativeness = extras.response_tables(
        resp, wave.headcount.assign(org=wave.headcount["org"].astype(str),
                                    unit=wave.headcount["unit"].astype(str)),
        eligible, ["unit"] + bgs, settings, patterns)
    org_rows = results[(results["comparison"] == "") & (results["unit"] == "") & (results["breakdown"] == "")
                       & (results["org"] != "")]
    comp_rows = results[results["comparison"] != ""]
    domain_items = {d: its for d, its in inst.domain_items(overall=True).items()
                    if its and all(i in m.values.columns for i in its)}
    y = outcome(resp, m, inst)
    drivers = (extras.drivers(m.domain_score, y, org, settings) if y is not None
               else pd.DataFrame(columns=extras.DRIVER_COLUMNS))
    tables = {
        "results": results,
        "organisations": o.reset_index(drop=True),
        "response": response,
        "representativeness": representativeness,
        "ranking": extras.ranking(org_rows, org_types),
        "best_practices": extras.best_practices(comp_rows),
        "reliability": extras.reliability(m.values, org, domain_items, settings),
        "drivers": drivers,
        "priorities": extras.priorities(comp_rows, drivers),
    }
    # parts the survey did not ask: their tables are written without rows
    grade = resp[inst.grade.id] if inst.grade is not None else pd.Series(np.nan, index=resp.index)
    tables["grade_distribution"] = grade_distribution(grade, org, typ, w, min_n=settings.min_n)
    if inst.pluim is not None:
        tables.update(pluim_tables(resp, eligible_orgs=eligible, domain_ids=inst.domain_ids,
                                   target_col=inst.pluim.target, text_col=inst.pluim.text,
                                   weights=w, settings=settings))
    else:
        none = pd.array([pd.NA] * len(resp), dtype="string")
        tables.update({k: v.iloc[:0] for k, v in pluim_tables(
            resp[["org"]].assign(_target=none, _text=none), eligible_orgs=eligible, domain_ids=inst.domain_ids,
            target_col="_target", text_col="_text", weights=w, settings=settings).items()})
    return tables


def grade_distribution(grade: pd.Series, org: pd.Series, org_type: pd.Series, weights: pd.Series | None, *,
                       min_n: int) -> pd.DataFrame:
    """Weighted share of each grade per organisation type (``scope = "type"``) and for the whole
    wave (``scope = "wave"``, category empty); ``n`` = respondents with a grade in the scope.

    As in every group figure (:func:`poolable`), an organisation counts only with at least
    ``min_n`` grades (else its hidden grade figures would follow by subtraction), and a scope of
    fewer than ``min_n`` graded respondents is left out.
    """
    g = pd.to_numeric(grade, errors="coerce").astype(float)
    g = g.where(g.notna().groupby(org.to_numpy()).transform("sum").to_numpy() >= min_n)
    w = pd.Series(1.0, index=g.index) if weights is None else weights.astype(float)
    frame = pd.DataFrame({"category": org_type.astype(str), "grade": g, "w": w})[g.notna()]
    parts = []
    for scope, keys in (("type", ["category", "grade"]), ("wave", ["grade"])):
        s = frame.groupby(keys, observed=True).agg(w=("w", "sum"), cnt=("w", "size")).reset_index()
        if scope == "wave":
            s["category"] = ""
        tot = s.groupby("category")["w"].transform("sum")
        s["share"] = s["w"] / tot
        s["n"] = s.groupby("category")["cnt"].transform("sum")
        parts.append(s.assign(scope=scope))
    out = pd.concat(parts, ignore_index=True)
    out = out[out["n"] >= min_n]
    out["grade"] = out["grade"].astype(int)
    return out[["scope", "category", "grade", "share", "n"]].reset_index(drop=True)


def prepare(wave: Wave, previous: Wave | None = None, settings: Settings | None = None,
            out_dir: str | Path = "prepared") -> Path:
    """Compute every prepared table and write them (atomically, one by one) plus ``manifest.json``.

    The manifest is written last: a folder whose manifest matches the inputs is complete.
    """
    settings = settings or load_settings()
    out = Path(out_dir)
    t0 = time.perf_counter()
    tables = compute(wave, previous, settings)
    seconds = time.perf_counter() - t0
    (out / "manifest.json").unlink(missing_ok=True)
    for name, frame in tables.items():
        write_table(out, name, frame)
    write_not_for_distribution(out)
    write_manifest(out, {
        "wave": wave.name,
        "previous_wave": previous.name if previous is not None else None,
        "fingerprint": wave.fingerprint,
        "previous_fingerprint": previous.fingerprint if previous is not None else None,
        "prepared_fingerprint": prepared_fingerprint(wave, previous, settings),
        "settings": settings.model_dump(),
        "instrument": wave.instrument.model_dump(),
        "ikto_version": __version__,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(seconds, 3),
        "tables": sorted(tables),
    })
    return out


def ensure_prepared(wave: Wave, previous: Wave | None, settings: Settings, out_dir: str | Path, *,
                    force: bool = False) -> tuple[Path, bool]:
    """The prepared results in ``out_dir``: reused when their manifest's fingerprint matches the
    inputs (and not ``force``), else computed and written. Returns ``(folder, reused)``."""
    out = Path(out_dir)
    if not force and prepared_current(wave, previous, settings, out):
        log.info("prepared results unchanged, reused: %s", out)
        return out, True
    t0 = time.perf_counter()
    path = prepare(wave, previous, settings, out)
    log.info("prepared results written in %.1f s: %s", time.perf_counter() - t0, path)
    return path, False
