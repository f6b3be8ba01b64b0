"""The group report's summary and the spread over organisations (the benchmark table).

Frames first (pure DataFrames, tested without HTML), then their sections:

* :func:`key_figures` group-wide: organisations, respondents, response, the positive share and the
  outcome (the grade) where the survey asked one;
* :func:`spread_frame` per domain and per item the spread of the organisations' positive share:
  25th percentile, median, 75th percentile; the 75th percentile is the *top-quartile threshold*
  (an organisation at or above it belongs to the best quarter), as public-sector benchmark
  programmes publish it. Only organisations with at least ``min_n`` respondents, and only their
  figures that are shown (suppressed figures count nowhere).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import fmt
from .i18n import t
from .sections import Section
from .tables import key_value_table

QUANTILES = (0.25, 0.5, 0.75)


def _org_rows(cfg, measure: str = "top2") -> pd.DataFrame:
    r = cfg.data.results
    o = cfg.data.organisations
    shown = o.loc[o["eligible"], "org"].astype(str)
    return r[(r["org"].isin(shown)) & (r["unit"] == "") & (r["breakdown"] == "") & (r["comparison"] == "")
             & (r["measure"] == measure) & (r["flag"] != "suppressed") & r["value"].notna()]


def spread_frame(cfg) -> pd.DataFrame:
    """``domain, item, label, n_orgs, p25, median, p75`` per domain (``item == ""``) and item, in
    the instrument's order; ``p75`` is the top-quartile threshold."""
    d = _org_rows(cfg)
    d = d[d["domain"] != ""]
    g = d.groupby(["domain", "item"])["value"]
    q = g.quantile(list(QUANTILES)).unstack()
    q.columns = ["p25", "median", "p75"]
    q["n_orgs"] = g.size()
    order = []
    for dom in cfg.instrument.scored_domain_ids:
        order += [(dom, "")] + [(i.domain, i.id) for i in cfg.instrument.items if i.domain == dom]
    q = q.reindex([k for k in order if k in q.index])
    texts = {i.id: i.text[cfg.language] for i in cfg.instrument.items}
    q = q.reset_index()
    q.insert(2, "label", [cfg.domain_name(dm) if not it else texts.get(it, it) for dm, it in zip(q["domain"], q["item"])])
    return q[["domain", "item", "label", "n_orgs", "p25", "median", "p75"]]


def key_figures(cfg) -> dict[str, float]:
    """Group-wide: ``orgs``, ``respondents``, ``response_rate``, ``top2`` (where the survey has a
    positive measure) and ``grade`` (where it asks one), from the wave's own rows."""
    o = cfg.data.organisations
    elig = o[o["eligible"]]
    n, hc = float(elig["respondents"].sum()), float(elig["headcount"].sum())
    out = {"orgs": float(len(elig)), "respondents": n, "response_rate": n / hc if hc else np.nan}
    r = cfg.data.results
    wave = r[(r["org"] == "") & (r["unit"] == "") & (r["breakdown"] == "") & (r["comparison"] == "")
             & (r["domain"] == "") & (r["item"] == "")]
    for measure, key in (("top2", "top2"), ("grade_mean", "grade")):
        v = wave.loc[wave["measure"] == measure, "value"]
        if len(v) and pd.notna(v.iloc[0]):
            out[key] = float(v.iloc[0])
    return out


def summary(cfg) -> Section:
    """Key figures of the group and three sentences: where the group stands, the widest spread."""
    from .group import _section, gt

    lang = cfg.language
    k = key_figures(cfg)
    pairs = [(gt("orgs", lang), fmt.integer(k["orgs"], lang)), (gt("respondents", lang), fmt.integer(k["respondents"], lang)),
             (gt("rate", lang), fmt.pct(k["response_rate"], lang))]
    if "top2" in k:
        pairs.append((t("col.top2", lang), fmt.pct(k["top2"], lang)))
    if "grade" in k and cfg.asks_grade:
        pairs.append((gt("col.grade", lang), fmt.num(k["grade"], lang)))
    body = [key_value_table(pairs)]
    s = spread_frame(cfg)
    doms = s[s["item"] == ""].dropna(subset=["median"])
    if len(doms) and cfg.has_benchmark:  # a spread needs more than one organisation
        hi, lo = doms.loc[doms["median"].idxmax()], doms.loc[doms["median"].idxmin()]
        wide = doms.assign(w=doms["p75"] - doms["p25"]).sort_values("w", ascending=False).iloc[0]
        body.append(f"<p>{fmt_escape(t('grp.summary.domains', lang, high=hi['label'], high_v=fmt.pct(hi['median'], lang), low=lo['label'], low_v=fmt.pct(lo['median'], lang)))}</p>")
        body.append(f"<p>{fmt_escape(t('grp.summary.spread', lang, domain=wide['label'], p25=fmt.pct(wide['p25'], lang), p75=fmt.pct(wide['p75'], lang)))}</p>")
    return _section(cfg, "summary", body)


def fmt_escape(text: str) -> str:
    from html import escape

    return escape(text)


def spread(cfg) -> Section | None:
    """The benchmark table: per domain (bold) and item the spread over organisations."""
    from .group import _section, _table, shown_group_sections

    if "spread" not in shown_group_sections(cfg):
        return None
    lang = cfg.language
    s = spread_frame(cfg)
    frame = pd.DataFrame({
        t("col.domain", lang) + " / " + t("col.question", lang).lower():
            s["label"].to_numpy(),
        t("xl.n_orgs", lang): [fmt.integer(x, lang) for x in s["n_orgs"]],
        t("grp.p25", lang): [fmt.pct(x, lang) for x in s["p25"]],
        t("grp.median", lang): [fmt.pct(x, lang) for x in s["median"]],
        t("grp.p75", lang): [fmt.pct(x, lang) for x in s["p75"]],
    })
    # domain rows bold, item rows indented under them
    styles = pd.DataFrame("", index=frame.index, columns=frame.columns)
    styles.iloc[:, 0] = np.where(s["item"].eq("").to_numpy(), "font-weight:bold",
                                 "font-weight:normal;padding-left:1.5em")
    body = [f"<p>{fmt_escape(t('grp.spread.text', lang, min_n=cfg.min_n))}</p>",
            _table(cfg, frame, t("grp.spread.caption", lang), styles=styles)]
    return _section(cfg, "spread", body)


SIZE_CLASSES = ("small", "medium", "large")


def size_classes(cfg) -> pd.Series:
    """Organisation -> size class by headcount: the smallest, middle and largest third of the
    organisations with a report (``pd.qcut`` on the rank, so ties never leave a class empty)."""
    o = cfg.data.organisations
    elig = o[o["eligible"]]
    if elig.empty:
        return pd.Series(dtype=object)
    k = min(len(SIZE_CLASSES), len(elig))
    cls = pd.qcut(elig["headcount"].rank(method="first"), k, labels=SIZE_CLASSES[:k] if k == 3 else None)
    return pd.Series(np.asarray(cls, dtype=object), index=elig["org"].astype(str).to_numpy())


def best_frame(cfg) -> pd.DataFrame:
    """Best practices, one row per organisation and domain significantly and relevantly above the
    benchmark: ``domain, org, label, type, size, value, diff``; per domain highest first. The type
    is shown only for types with enough organisations (:attr:`GroupConfig.shown_types`)."""
    b = cfg.data.best_practices
    b = b[b["domain"].isin(cfg.instrument.scored_domain_ids)].copy()
    o = cfg.data.organisations.set_index(cfg.data.organisations["org"].astype(str))
    order = {d: i for i, d in enumerate(cfg.instrument.scored_domain_ids)}
    b["_o"] = b["domain"].map(order)
    b = b.sort_values(["_o", "value"], ascending=[True, False], kind="mergesort")
    types = b["org"].map(o["type"]).astype(str)
    return pd.DataFrame({
        "domain": b["domain"].to_numpy(), "org": b["org"].to_numpy(),
        "label": b["org"].map(cfg.labels).to_numpy(),
        "type": types.where(types.isin(cfg.shown_types)).to_numpy(),
        "size": b["org"].map(size_classes(cfg)).to_numpy(),
        "value": b["value"].to_numpy(), "diff": b["diff"].to_numpy()})


def best(cfg) -> Section | None:
    """Best practices per domain, with type and size class so the research unit can follow one
    up; named with ``name_peers``, else the report's letters (:attr:`GroupConfig.labels`)."""
    from .group import _section, _table, gt, shown_group_sections

    lang = cfg.language
    if "best" not in shown_group_sections(cfg):
        return None
    b = best_frame(cfg)
    frame = pd.DataFrame({
        gt("col.domain", lang): [cfg.domain_name(d) for d in b["domain"]],
        gt("col.org", lang): b["label"],
        gt("col.type", lang): [cfg.type_name(x) if isinstance(x, str) else fmt.DASH for x in b["type"]],
        t("grp.size", lang): [t(f"grp.size.{x}", lang) if isinstance(x, str) else fmt.DASH for x in b["size"]],
        t("col.top2", lang): [fmt.pct(x, lang) for x in b["value"]],
        t("col.diff_pp", lang): [fmt.pp(x, lang) for x in b["diff"]],
    })
    text = gt("best.text", lang) + " " + t("grp.size.text", lang)
    if not cfg.name_peers:
        text += " " + t("grp.letters", lang)
    body = [f"<p>{fmt_escape(text)}</p>"]
    body.append(_table(cfg, frame, gt("section.best", lang)) if len(frame) else f"<p>{fmt_escape(gt('none', lang))}</p>")
    return _section(cfg, "best", body)
