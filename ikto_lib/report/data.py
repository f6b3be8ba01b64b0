"""Tidy frames of one organisation's report, read from the prepared tables.

Every function takes a :class:`~ikto_lib.report.config.ReportConfig` and returns a
``pandas.DataFrame`` with raw numbers (proportions 0-1, not formatted). A suppressed figure has
``suppressed == True`` and no value, n or interval. Sections format these for HTML; the Excel
workbook writes them as they are.

Comparison columns, where present, are ``<comparison>`` (the reference value),
``<comparison>_diff`` and ``<comparison>_flag`` for ``benchmark``, ``peers`` and ``previous``;
``peers``/``previous`` only when the organisation has them (:func:`comparisons`).
"""

from __future__ import annotations

import functools
import weakref

import numpy as np
import pandas as pd

from .config import ReportConfig

SUPPRESSED = "suppressed"
ESTIMATE = ["n", "value", "ci_low", "ci_high"]


def comparisons(cfg: ReportConfig) -> list[str]:
    """The comparisons this report shows: benchmark, and peers / previous when available."""
    out = ["benchmark"]
    if cfg.peers_available:
        out.append("peers")
    if cfg.previous_available:
        out.append("previous")
    return out


def shown_comparisons(cfg: ReportConfig) -> list[str]:
    """The comparisons a table or chart shows: :func:`comparisons` without the benchmark in a
    survey of one organisation (its columns stay in the frames, empty)."""
    return [c for c in comparisons(cfg) if c != "benchmark" or cfg.has_benchmark]


def per_report(func):
    """Compute ``func(cfg, *args)`` once per report config; every call gets its own copy.

    Several sections (and the Excel workbook) read the same frames; the cache lives on the
    config object, so nothing outlives the report (no state shared between organisations).
    """
    @functools.wraps(func)
    def wrapper(cfg: ReportConfig, *args):
        key = (func.__name__, *args)
        if key not in cfg.memo:
            cfg.memo[key] = func(cfg, *args)
        return cfg.memo[key].copy()

    return wrapper


_FIELDS = [*ESTIMATE, "ref_value", "diff", "flag"]
KEYS = ["org", "unit", "domain", "item", "measure"]  # of a plain (no breakdown) row of results


def spread(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``rows`` of results with their comparisons as columns: one row per ``keys`` (sorted),
    columns ``"<field>|<comparison>"`` for the estimate fields, ``ref_value``, ``diff``, ``flag``
    and ``_present`` (the row exists), comparison ``""`` being the plain estimate."""
    r = rows.drop_duplicates([*keys, "comparison"]).assign(_present=True)
    t = r.set_index([*keys, "comparison"])[[*_FIELDS, "_present"]].unstack("comparison").sort_index()
    t.columns = [f"{field}|{comp}" for field, comp in t.columns]
    return t


def combine(t: pd.DataFrame, comps: list[str]) -> pd.DataFrame:
    """The columns of :func:`wide` from a :func:`spread` (rows only of the plain estimate or
    of ``comps`` count; a figure only present in a comparison's rows counts as the estimate)."""
    cols = set(t.columns)
    keep = np.zeros(len(t), dtype=bool)
    for c in ["", *comps]:
        if f"_present|{c}" in cols:
            keep |= t[f"_present|{c}"].notna().to_numpy()
    t = t[keep]

    def num(name: str, comp: str) -> np.ndarray:
        key = f"{name}|{comp}"
        return t[key].to_numpy(dtype=float, na_value=np.nan) if key in cols else np.full(len(t), np.nan)

    def flag(comp: str) -> np.ndarray:
        key = f"flag|{comp}"
        return t[key].to_numpy(dtype=object, na_value=None) if key in cols else np.full(len(t), None, dtype=object)

    est = {c: num(c, "") for c in ESTIMATE}
    sup = flag("") == SUPPRESSED
    refs = {}
    for c in comps:
        f = flag(c)
        refs[c] = num("ref_value", c)
        refs[f"{c}_diff"] = num("diff", c)
        refs[f"{c}_flag"] = np.where(pd.isna(f), "not tested", f)
        value, n = num("value", c), num("n", c)
        missing = np.isnan(est["value"]) & ~np.isnan(value)
        est["value"] = np.where(missing, value, est["value"])
        est["n"] = np.where(missing, n, est["n"])
        sup = sup | (f == SUPPRESSED)
    for name in [*ESTIMATE]:
        est[name] = np.where(sup, np.nan, est[name])
    for c in comps:
        refs[f"{c}_diff"] = np.where(sup, np.nan, refs[f"{c}_diff"])
    return pd.DataFrame({**est, "suppressed": sup.astype(bool), **refs}, index=t.index).reset_index()


def wide(rows: pd.DataFrame, keys: list[str], comps: list[str]) -> pd.DataFrame:
    """Plain estimates and their comparisons side by side, one row per ``keys``.

    >>> rows = pd.DataFrame({"domain": ["ict", "ict"], "measure": ["top2", "top2"],
    ...     "comparison": ["", "benchmark"], "n": [50.0, 50.0], "value": [0.7, 0.7],
    ...     "ci_low": [0.6, 0.6], "ci_high": [0.8, 0.8], "ref_value": [np.nan, 0.6],
    ...     "diff": [np.nan, 0.1], "flag": ["", "higher"]})
    >>> w = wide(rows, ["domain", "measure"], ["benchmark"])
    >>> r = w.iloc[0]
    >>> float(r["value"]), float(r["benchmark"]), r["benchmark_flag"], bool(r["suppressed"])
    (0.7, 0.6, 'higher', False)
    """
    return combine(spread(rows[rows["comparison"].isin(["", *comps])], keys), comps)


_SPREAD: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _org_spread(cfg: ReportConfig) -> pd.DataFrame:
    """The organisation's plain rows (:func:`spread`, index ``unit, domain, item, measure``).

    Spread once for all organisations of a prepared folder and kept as long as its (cached)
    reader: a kernel or worker that makes many reports reshapes the results once. It holds
    nothing the prepared results do not hold.
    """
    prep = cfg.data
    per_org = _SPREAD.get(prep)
    if per_org is None:
        r = prep.results
        t = spread(r[r["breakdown"] == ""], KEYS)
        per_org = {org: sub.droplevel("org") for org, sub in t.groupby(level="org", sort=False)}
        per_org[None] = t.iloc[:0].droplevel("org")  # an organisation without rows
        _SPREAD[prep] = per_org
    return per_org.get(cfg.org, per_org[None])


def _select(cfg: ReportConfig, keys: list[str], **where) -> pd.DataFrame:
    """Rows of :func:`_org_spread` with ``level == value`` (a callable value: a test on the level),
    indexed by ``keys`` only."""
    t = _org_spread(cfg)
    mask = np.ones(len(t), dtype=bool)
    for level, value in where.items():
        v = t.index.get_level_values(level)
        mask &= np.asarray(value(v) if callable(value) else v == value, dtype=bool)
    t = t[mask]
    return t.droplevel([lv for lv in t.index.names if lv not in keys])


@per_report
def overall(cfg: ReportConfig) -> pd.DataFrame:
    """Grade (mean, pass share) and overall top-2 with intervals and comparisons."""
    rows = _select(cfg, ["measure"], unit="", domain="", item="",
                   measure=lambda m: m.isin(["grade_mean", "grade_pass", "top2"]))
    w = combine(rows, comparisons(cfg))
    order = {"grade_mean": 0, "grade_pass": 1, "top2": 2}
    return w.sort_values("measure", key=lambda s: s.map(order)).reset_index(drop=True)


@per_report
def domains(cfg: ReportConfig, measure: str = "top2") -> pd.DataFrame:
    """One row per domain of the instrument (in its order): estimate, comparisons, ``label``."""
    rows = _select(cfg, ["domain"], unit="", domain=lambda d: d != "", item="", measure=measure)
    w = combine(rows, comparisons(cfg)).set_index("domain")
    # domains with a domain score: at least one aspect item on the scale (not only an overall or yes/no item)
    ids = cfg.instrument.scored_domain_ids
    w = w.reindex(ids)
    w["suppressed"] = w["suppressed"].astype("boolean").fillna(True).astype(bool)
    w.index.name = "domain"
    w = w.reset_index()
    w.insert(1, "label", [cfg.domain_name(d) for d in w["domain"]])
    return w


def _item_index(cfg: ReportConfig) -> pd.MultiIndex:
    """``(domain, item)`` of every item of the instrument, in its order."""
    return pd.MultiIndex.from_tuples([(i.domain, i.id) for i in cfg.instrument.items], names=["domain", "item"])


@per_report
def items(cfg: ReportConfig) -> pd.DataFrame:
    """One row per item: ``domain, item, label, overall`` + top-2 (estimate and comparisons) and
    ``mean`` / ``mean_ci_low`` / ``mean_ci_high``."""
    item = lambda i: i != ""  # noqa: E731
    top = combine(_select(cfg, ["domain", "item"], unit="", item=item, measure="top2"), comparisons(cfg))
    mean = combine(_select(cfg, ["domain", "item"], unit="", item=item, measure="mean"), [])
    mean = mean.set_index(["domain", "item"])[["value", "ci_low", "ci_high"]].rename(
        columns={"value": "mean", "ci_low": "mean_ci_low", "ci_high": "mean_ci_high"})
    idx = _item_index(cfg)
    out = top.set_index(["domain", "item"]).reindex(idx).join(mean.reindex(idx))
    out.insert(0, "label", [i.text[cfg.language] for i in cfg.instrument.items])
    out.insert(1, "overall", [i.overall for i in cfg.instrument.items])
    out["suppressed"] = out["suppressed"].astype("boolean").fillna(True).astype(bool)
    out.loc[out["suppressed"], ["mean", "mean_ci_low", "mean_ci_high"]] = np.nan
    return out.reset_index()


def nonresponse(cfg: ReportConfig) -> pd.DataFrame:
    """Per item the n.v.t. share and the skip share: ``domain, item, label, nvt_share, skip_share``."""
    shares = ["nvt_share", "skip_share"]
    t = _select(cfg, ["domain", "item", "measure"], unit="", item=lambda i: i != "", measure=lambda m: m.isin(shares))
    p = t["value|"].unstack("measure").reindex(columns=shares).reindex(_item_index(cfg))
    p.columns.name = None
    p.insert(0, "label", [i.text[cfg.language] for i in cfg.instrument.items])
    return p.reset_index()


def priorities(cfg: ReportConfig) -> pd.DataFrame:
    """Priority matrix rows of the organisation: ``domain, label, performance, importance`` (with
    ``importance_low/high``), ``quadrant``, ``flag`` (benchmark flag of the domain top-2),
    ``previous_flag``, ``test_flag`` (lower when either test says lower, else higher when either
    says higher, else the benchmark's), ``r`` and ``source`` of the driver analysis."""
    p = cfg.data.priorities
    p = p[p["org"] == cfg.org].copy()
    if "flag" not in p.columns:
        d = domains(cfg)[["domain", "benchmark_flag"]].rename(columns={"benchmark_flag": "flag"})
        p = p.merge(d, on="domain", how="left")
    dr = cfg.data.drivers
    dr = dr[dr["org"] == cfg.org][["domain", "r", "source"]]
    p = p.merge(dr, on="domain", how="left")
    p.insert(1, "label", [cfg.domain_name(d) for d in p["domain"]])
    prev = p["previous_flag"].fillna("") if "previous_flag" in p.columns else pd.Series("", index=p.index)
    lower, higher = (p["flag"] == "lower") | (prev == "lower"), (p["flag"] == "higher") | (prev == "higher")
    p["test_flag"] = np.where(lower, "lower", np.where(higher, "higher", p["flag"].fillna("not tested")))
    order = {d: k for k, d in enumerate(cfg.instrument.domain_ids)}
    p["_o"] = p["domain"].map(order)
    return p.sort_values("_o").drop(columns=["org", "_o"]).reset_index(drop=True)


def units(cfg: ReportConfig) -> pd.DataFrame:
    """Domain top-2 per unit, long: ``unit, domain, label, n, value, suppressed``, plus a row per unit
    with ``domain == ""`` holding its respondents (``value``); the organisation total as unit ``""``."""
    t = _select(cfg, ["unit", "domain", "measure"], item="", measure=lambda m: m.isin(["top2", "respondents"]))
    dom, meas = t.index.get_level_values("domain"), t.index.get_level_values("measure")
    t = t[((meas == "top2") & (dom != "")) | ((meas == "respondents") & (dom == ""))]
    t = t[t["_present|"].notna()].droplevel("measure").reset_index()  # plain rows only
    out = pd.DataFrame({"unit": t["unit"], "domain": t["domain"], "n": t["n|"].astype(float),
                        "value": t["value|"].astype(float), "suppressed": (t["flag|"] == SUPPRESSED).to_numpy(bool)})
    out.loc[out["suppressed"], ["n", "value"]] = np.nan
    out.insert(2, "label", [cfg.domain_name(d) if d else "" for d in out["domain"]])
    return out


def ranking(cfg: ReportConfig) -> pd.DataFrame:
    """Position of the organisation per domain (1 = highest top-2): ``domain, label, value, rank,
    n_orgs, quartile, peer_rank, peer_n_orgs`` (peer columns empty without a peer group)."""
    k = cfg.data.ranking
    own = k[k["org"] == cfg.org].copy()
    if not cfg.peers_available:
        own["peer_rank"] = np.nan
        own["peer_n_orgs"] = np.nan
    order = {d: i for i, d in enumerate(cfg.instrument.domain_ids)}
    own = own[own["domain"].isin(order)]
    own["_o"] = own["domain"].map(order)
    own.insert(1, "label", [cfg.domain_name(d) for d in own["domain"]])
    return own.sort_values("_o").drop(columns=["org", "type", "_o"]).reset_index(drop=True)


def peer_order(cfg: ReportConfig) -> pd.DataFrame:
    """Only with ``name_peers``: peer organisations (incl. this one) x domain rank within the peer
    group: ``org, name`` + one column per domain id. Empty otherwise."""
    if not (cfg.name_peers and cfg.peers_available):
        return pd.DataFrame()
    k = cfg.data.ranking
    peers = k[k["type"] == cfg.org_type]
    wide_ = peers.pivot_table(index="org", columns="domain", values="peer_rank", aggfunc="first")
    wide_ = wide_.reindex(columns=[d for d in cfg.instrument.domain_ids if d in wide_.columns])
    names = cfg.data.organisations.set_index("org")["name"]
    wide_.insert(0, "name", [str(names.get(o, o)) for o in wide_.index])
    return wide_.reset_index()


def pluim_shares(cfg: ReportConfig) -> pd.DataFrame:
    """Share of respondents giving a pluim per target: ``target, label, n, share, ref_share, flag``;
    target ``""`` = any pluim, ``named`` = persons/teams."""
    from .i18n import t

    s = cfg.data.pluim_shares
    s = s[s["org"] == cfg.org].copy()
    order = {d: i for i, d in enumerate(cfg.instrument.domain_ids + ["named", ""])}
    s = s[s["target"].isin(order)]
    s["_o"] = s["target"].map(order)
    s["suppressed"] = s["flag"] == SUPPRESSED
    s.loc[s["suppressed"], ["n", "share"]] = np.nan
    s.insert(1, "label", [t("target.any", cfg.language) if x == "" else
                          t("target.named", cfg.language) if x == "named" else cfg.domain_name(x)
                          for x in s["target"]])
    return s.sort_values("_o").drop(columns=["org", "_o"]).reset_index(drop=True)


def pluim_texts(cfg: ReportConfig) -> pd.DataFrame:
    """The prepared (seeded, redacted) sample of pluim texts: ``target, label, text``."""
    x = cfg.data.pluim_texts
    x = x[x["org"] == cfg.org].copy()
    labels = []
    for target in x["target"].astype(str):
        if target in cfg.instrument.domain_ids:
            labels.append(cfg.domain_name(target))
        elif target in ("", "named"):
            from .i18n import t
            labels.append(t("target.named", cfg.language) if target == "named" else "")
        else:
            labels.append(target)
    x.insert(1, "label", labels)
    return x.drop(columns="org").reset_index(drop=True)


def pluim_words(cfg: ReportConfig) -> pd.DataFrame:
    """Frequent words in the organisation's pluimen: ``word, count``, most frequent first."""
    w = cfg.data.pluim_words
    w = w[w["org"] == cfg.org]
    return w.sort_values("count", ascending=False).drop(columns="org").reset_index(drop=True)


def response(cfg: ReportConfig) -> pd.DataFrame:
    """Response per breakdown and category: ``breakdown, category, headcount, respondents,
    response_rate, low_response, suppressed`` (units first)."""
    x = cfg.data.response
    x = x[x["org"] == cfg.org].copy()
    x["suppressed"] = x["flag"] == SUPPRESSED
    x.loc[x["suppressed"], ["respondents", "response_rate"]] = np.nan
    x["_o"] = (x["breakdown"] != "unit").astype(int)
    return x.sort_values(["_o", "breakdown"], kind="mergesort").drop(columns=["org", "flag", "_o"]).reset_index(drop=True)


def representativeness(cfg: ReportConfig) -> pd.DataFrame:
    """Chi-square goodness of fit per breakdown: ``breakdown, chi2, dof, p, n_categories``."""
    x = cfg.data.representativeness
    return x[x["org"] == cfg.org].drop(columns="org").reset_index(drop=True)


def reliability(cfg: ReportConfig) -> pd.DataFrame:
    """Cronbach's alpha per domain: the organisation's where estimated, else the wave's
    (``source`` = ``org`` / ``wave``)."""
    x = cfg.data.reliability
    own = x[x["org"] == cfg.org].assign(source="org")
    wave = x[(x["org"] == "") & ~x["domain"].isin(own["domain"])].assign(source="wave")
    out = pd.concat([own, wave], ignore_index=True)
    order = {d: i for i, d in enumerate(cfg.instrument.domain_ids)}
    out = out[out["domain"].isin(order)]
    out["_o"] = out["domain"].map(order)
    out.insert(1, "label", [cfg.domain_name(d) for d in out["domain"]])
    return out.sort_values("_o").drop(columns=["org", "_o"]).reset_index(drop=True)
