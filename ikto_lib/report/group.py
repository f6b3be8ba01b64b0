"""The group report (``notebooks/group_report.ipynb``): the whole wave, for the coordinating body.

Sections: cover, response, organisations x domains heatmap, best practices, grade per
organisation type, trend of the group, pluimen, reliability and drivers, methods. Same rules as
the organisation report: only prepared (anonymity-safe) figures, organisations anonymous unless
``name_peers``, locale numbers, titled charts with alt text, real tables.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass
from functools import cached_property
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd

from openpyxl.utils import get_column_letter

from ..prepare.pluim import most_praised
from . import charts, fmt
from .config import PreparedView, check_parameters
from .i18n import t
from .sections import Section, _conf, _interval, _p, section_of
from .tables import heatmap_table, html_table, key_value_table

GROUP_SECTION_IDS = ("summary", "response", "heatmap", "spread", "best", "grades", "trend", "pluimen", "reliability", "methods")

from .group_text import STRINGS, gt  # noqa: E402,F401  (the group report's texts)


@dataclass(frozen=True)
class GroupConfig(PreparedView):
    """What the group report sections need besides the prepared tables."""

    wave: str
    previous_wave: str | None
    language: str
    prepared_dir: Path
    min_n: int
    name_peers: bool

    @cached_property
    def labels(self) -> dict[str, str]:
        """Organisation -> display label: its name with ``name_peers``, else a letter in an order
        that follows from a hash of code and wave (not alphabetical, not by size)."""
        o = self.data.organisations
        o = o[o["eligible"]]
        if self.name_peers:
            return dict(zip(o["org"].astype(str), o["name"].astype(str)))
        key = {c: hashlib.sha256(f"{self.wave}:{c}".encode()).hexdigest() for c in o["org"].astype(str)}
        order = sorted(key, key=key.get)
        return {c: gt("org_label", self.language, code=get_column_letter(i + 1)) for i, c in enumerate(order)}

    @property
    def shown_types(self) -> list[str]:
        """Organisation types whose totals the report shows: with anonymous organisations, only
        types of at least ``peer_min_orgs`` organisations (a type of one or two would show an
        organisation's own figures under a type name)."""
        o = self.data.organisations
        counts = o.loc[o["eligible"], "type"].astype(str).value_counts()
        least = 1 if self.name_peers else int(self.settings.get("peer_min_orgs", 3))
        return [t for t in self.instrument.type_ids if counts.get(t, 0) >= least]

    def type_name(self, type_id: str) -> str:
        names = {t.id: t.name[self.language] for t in self.instrument.org_types}
        return names.get(type_id, type_id)


def group_config(*, prepared: str | Path, wave: str | None = None, previous_wave: str | None = None,
                 language: str = "nl", min_n: int | None = None, name_peers: bool | None = None) -> GroupConfig:
    """Validate the parameters of the group report against the prepared results, with the same
    checks as an organisation's report (:func:`~ikto_lib.report.config.check_parameters`):
    ``previous_wave=""`` means no trend section, ``min_n`` must be the prepared threshold."""
    data, wave, prev, prepared_min_n = check_parameters(prepared, wave=wave, previous_wave=previous_wave,
                                                        language=language, min_n=min_n)
    settings = data.manifest.get("settings", {})
    return GroupConfig(wave, prev, language, Path(prepared), prepared_min_n,
                       bool(settings.get("name_peers", False) if name_peers is None else name_peers))


def _section(cfg: GroupConfig, sid: str, body: list[str]) -> Section:
    return section_of(sid, gt(f"section.{sid}", cfg.language), body)


def _table(cfg: GroupConfig, frame: pd.DataFrame, caption: str, **kw) -> str:
    return html_table(frame, caption=caption, language=cfg.language, min_n=cfg.min_n, **kw)


def _wave_rows(cfg: GroupConfig, measure: str = "top2", comparison: str = "") -> pd.DataFrame:
    r = cfg.data.results
    return r[(r["org"] == "") & (r["breakdown"] == "") & (r["measure"] == measure) & (r["comparison"] == comparison)]


def shown_group_sections(cfg: GroupConfig) -> list[str]:
    """The group report's sections: none about a part the survey did not ask (grade, pluim), no
    comparison of organisations in a survey of one organisation."""
    skip = set()
    if not cfg.asks_grade:
        skip.add("grades")
    if not cfg.asks_pluim:
        skip.add("pluimen")
    if not cfg.has_benchmark:
        skip |= {"heatmap", "best", "spread"}
    return [s for s in GROUP_SECTION_IDS if s not in skip]


def cover(cfg: GroupConfig) -> Section:
    lang = cfg.language
    o = cfg.data.organisations
    elig = o[o["eligible"]]
    n = elig["respondents"].sum()
    hc = elig["headcount"].sum()
    m = cfg.manifest
    pairs = [
        (gt("date", lang), fmt.date(_dt.date.today(), lang)),
        (gt("orgs", lang), fmt.integer(len(elig), lang)),
        (gt("orgs_small", lang), fmt.integer(int((~o["eligible"]).sum()), lang)),
        (gt("respondents", lang), fmt.integer(n, lang)),
        (gt("headcount", lang), fmt.integer(hc, lang)),
        (gt("rate", lang), fmt.pct(n / hc if hc else np.nan, lang)),
        (gt("weighted", lang), gt("yes" if m.get("settings", {}).get("weighting") else "no", lang)),
    ]
    fine = gt("fine", lang, fp=str(m.get("fingerprint", ""))[:16], version=str(m.get("ikto_version", "")),
              created=fmt.date(m.get("created"), lang))
    toc = "".join(f'<li><a href="#{s}">{escape(gt(f"section.{s}", lang))}</a></li>' for s in shown_group_sections(cfg))
    rt = cfg.instrument.report
    kind = rt.group_title[lang] if rt is not None and rt.group_title is not None else gt("kind", lang)
    title = gt("title", lang) if cfg.has_benchmark else str(elig["name"].iloc[0]) if len(elig) else gt("title", lang)
    html = ('<section class="ikto-section ikto-cover" data-section="cover">'
            f'<p class="kind">{escape(kind)}</p><h1 id="cover">{escape(title)}</h1>'
            f'<p class="subtitle">{escape(gt("wave", lang, wave=cfg.wave))} · {escape(cfg.instrument.name[lang])}</p>'
            f'{key_value_table(pairs)}<p class="fineprint">{escape(fine)}</p>'
            f'<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">{escape(gt("toc", lang))}</h2>'
            f'<ol>{toc}</ol></nav></section>')
    return Section("cover", html)


def response(cfg: GroupConfig) -> Section:
    lang = cfg.language
    o = cfg.data.organisations
    elig = o[o["eligible"]].copy()
    n, hc = elig["respondents"].sum(), elig["headcount"].sum()
    body = [_p(gt("response.text", lang, orgs=fmt.integer(len(elig), lang), n=fmt.integer(n, lang),
                  rate=fmt.pct(n / hc, lang), small=fmt.integer(int((~o["eligible"]).sum()), lang),
                  min_n=cfg.min_n))]
    if not cfg.has_benchmark:  # one organisation: its response is the sentence above
        return _section(cfg, "response", body)
    with charts.chart_style():
        ax = charts.new_axes(height=3.0)
        ax.hist(elig["response_rate"].to_numpy(), bins=np.arange(0, 1.05, 0.05), color=charts.PALETTE["higher"],
                edgecolor="white")
        ax.set_title(gt("chart.response.title", lang))
        ax.set_xlabel(gt("chart.response.x", lang))
        ax.set_ylabel(gt("chart.response.y", lang))
        charts.percent_axis(ax.xaxis, lang)
        body.append(charts.figure_html(ax, alt=gt("alt.response", lang, orgs=len(elig),
                                                   median=fmt.pct(elig["response_rate"].median(), lang))))
    by_type = elig.groupby("type", observed=True).agg(orgs=("org", "size"), n=("respondents", "sum"),
                                                      hc=("headcount", "sum")).reset_index()
    by_type = by_type[by_type["type"].astype(str).isin(cfg.shown_types)]
    rows = pd.DataFrame({
        gt("col.type", lang): [cfg.type_name(t) for t in by_type["type"]],
        gt("col.n_orgs", lang): [fmt.integer(x, lang) for x in by_type["orgs"]],
        gt("respondents", lang): [fmt.integer(x, lang) for x in by_type["n"]],
        gt("headcount", lang): [fmt.integer(x, lang) for x in by_type["hc"]],
        gt("rate", lang): [fmt.pct(a / b, lang) for a, b in zip(by_type["n"], by_type["hc"])],
    })
    if cfg.name_peers:
        rows = pd.DataFrame({
            gt("col.org", lang): [cfg.labels[c] for c in elig["org"]],
            gt("col.type", lang): [cfg.type_name(t) for t in elig["type"]],
            gt("respondents", lang): [fmt.integer(x, lang) for x in elig["respondents"]],
            gt("headcount", lang): [fmt.integer(x, lang) for x in elig["headcount"]],
            gt("rate", lang): [fmt.pct(x, lang) for x in elig["response_rate"]],
        })
    if len(rows):
        body.append(_table(cfg, rows, gt("response.caption", lang)))
    return _section(cfg, "response", body)


def heatmap_matrix(cfg: GroupConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Organisation (label) x domain (name) top-2 values and the suppressed mask."""
    r = cfg.data.results
    d = r[(r["org"] != "") & (r["unit"] == "") & (r["breakdown"] == "") & (r["comparison"] == "")
          & (r["measure"] == "top2") & (r["item"] == "") & (r["domain"] != "")]
    d = d.assign(label=d["org"].map(cfg.labels), dname=d["domain"].map(cfg.domain_name))
    values = d.pivot(index="label", columns="dname", values="value")
    hidden = d.assign(s=d["flag"] == "suppressed").pivot(index="label", columns="dname", values="s")
    cols = [cfg.domain_name(x) for x in cfg.instrument.scored_domain_ids if cfg.domain_name(x) in values.columns]
    # named: alphabetical; anonymous: A, B, ..., Z, AA (the letters' own order, not by string)
    order = sorted(values.index) if cfg.name_peers else [x for x in cfg.labels.values() if x in values.index]
    return values.loc[order, cols], hidden.loc[order, cols].fillna(True).astype(bool)


def heatmap(cfg: GroupConfig) -> Section | None:
    lang = cfg.language
    if "heatmap" not in shown_group_sections(cfg):
        return None
    values, hidden = heatmap_matrix(cfg)
    body = [] if cfg.name_peers else [_p(gt("heatmap.anon", lang))]
    body.append(heatmap_table(values, hidden, caption=gt("heatmap.title", lang), corner=gt("col.org", lang),
                              scale_label=gt("heatmap.bar", lang), language=lang, min_n=cfg.min_n))
    return _section(cfg, "heatmap", body)


def plot_grade_distribution(data: pd.DataFrame, *, language: str, title: str, xlabel: str, ylabel: str,
                            label: str = "label", ax=None):
    """One line per group (``label``) of the share per grade; returns the Axes."""
    ax = ax if ax is not None else charts.new_axes(height=3.4)
    for i, (name, g) in enumerate(data.groupby(label, sort=False)):
        g = g.sort_values("grade")
        ax.plot(g["grade"], g["share"], marker="o", label=name, color=CB_CYCLE[i % len(CB_CYCLE)])
    ax.set_xticks(range(1, 11))
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    charts.percent_axis(ax.yaxis, language)
    ax.legend(frameon=False, loc="upper left")
    return ax


CB_CYCLE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")  # Okabe-Ito


def grades(cfg: GroupConfig) -> Section | None:
    lang = cfg.language
    if "grades" not in shown_group_sections(cfg):
        return None
    dist = cfg.data.grade_distribution
    shown = cfg.shown_types
    dist = dist[(dist["scope"] == "type") & dist["category"].isin(shown)]
    dist = dist.assign(label=dist["category"].map(cfg.type_name))
    with charts.chart_style():
        ax = plot_grade_distribution(dist, language=lang, title=gt("grades.title", lang), xlabel=gt("grades.x", lang),
                                     ylabel=gt("grades.y", lang))
        body = [charts.figure_html(ax, alt=gt("alt.grades", lang, types=fmt.listing(list(dist["label"].unique()), lang)))]
    r = cfg.data.results
    by_type = r[(r["org"] == "") & (r["breakdown"] == "type") & (r["comparison"] == "")]
    rows = []
    for typ in cfg.instrument.type_ids:
        g = by_type[by_type["category"] == typ] if typ in shown else by_type.iloc[:0]
        if g.empty:
            continue
        mean = g[g["measure"] == "grade_mean"]
        pas = g.loc[g["measure"] == "grade_pass", "value"]
        rows.append([cfg.type_name(typ), fmt.num(mean["value"].iloc[0], lang) if len(mean) else fmt.DASH,
                     _interval(mean["ci_low"].iloc[0], mean["ci_high"].iloc[0], "num2", lang) if len(mean) else fmt.DASH,
                     fmt.pct(pas.iloc[0], lang) if len(pas) else fmt.DASH])
    frame = pd.DataFrame(rows, columns=[gt("col.type", lang), gt("col.grade", lang),
                                        t("col.interval", lang, confidence=_conf(cfg)), gt("col.pass", lang)])
    body.append(_table(cfg, frame, gt("section.grades", lang)))
    return _section(cfg, "grades", body)


def trend(cfg: GroupConfig) -> Section:
    lang = cfg.language
    rows = _wave_rows(cfg, "top2", "previous")
    rows = rows[(rows["item"] == "") & (rows["domain"] != "")]
    if not cfg.previous_wave or rows.empty:
        return _section(cfg, "trend", [_p(gt("trend.none", lang))])
    data = pd.DataFrame({
        "label": rows["domain"].map(cfg.domain_name).to_numpy(), "value": rows["value"].to_numpy(),
        "previous": rows["ref_value"].to_numpy(), "previous_flag": rows["flag"].to_numpy(),
        "suppressed": (rows["flag"] == "suppressed").to_numpy(), "diff": rows["diff"].to_numpy()})
    flags = {f: gt(f"flag.{f}", lang) for f in charts.FLAGS}
    with charts.chart_style():
        ax = charts.plot_trend(data, language=lang, wave=cfg.wave, previous_wave=cfg.previous_wave,
                               title=gt("trend.title", lang, wave=cfg.wave, previous=cfg.previous_wave),
                               xlabel=gt("trend.x", lang), flag_labels=flags,
                               suppressed_label=gt("suppressed", lang, min_n=cfg.min_n))
        hi = fmt.listing(list(data.loc[data["previous_flag"] == "higher", "label"]), lang) or gt("none", lang)
        lo = fmt.listing(list(data.loc[data["previous_flag"] == "lower", "label"]), lang) or gt("none", lang)
        body = [charts.figure_html(ax, alt=gt("alt.trend", lang, wave=cfg.wave, previous=cfg.previous_wave,
                                                  higher=hi, lower=lo))]
    frame = pd.DataFrame({
        gt("col.domain", lang): data["label"],
        gt("col.previous", lang, wave=cfg.previous_wave): [fmt.pct(x, lang) for x in data["previous"]],
        gt("col.current", lang, wave=cfg.wave): [fmt.pct(x, lang) for x in data["value"]],
        gt("col.diff", lang): [fmt.pp(x, lang) for x in data["diff"]],
        gt("col.flag", lang): [flags.get(f, fmt.DASH) for f in data["previous_flag"]],
    })
    body.append(_table(cfg, frame, gt("section.trend", lang)))
    return _section(cfg, "trend", body)


def pluimen(cfg: GroupConfig) -> Section | None:
    lang = cfg.language
    if "pluimen" not in shown_group_sections(cfg):
        return None
    shares = cfg.data.pluim_shares
    wave = shares[shares["org"] == ""]
    anyone = wave.loc[wave["target"] == "", "share"]
    body = [_p(gt("pluim.text", lang, share=fmt.pct(anyone.iloc[0] if len(anyone) else np.nan, lang)))]
    praised = most_praised(shares, include_named=True)
    frame = pd.DataFrame({
        gt("col.target", lang): [gt("named", lang) if t == "named" else cfg.domain_name(t) for t in praised["target"]],
        gt("col.pluimen", lang): [fmt.integer(x, lang) for x in praised["n"]],
        gt("col.share", lang): [fmt.pct(x, lang) for x in praised["share"]],
    })
    body.append(_table(cfg, frame, gt("pluim.praised", lang)))
    words = cfg.data.pluim_words
    words = words[words["org"] == ""].sort_values("count", ascending=False)
    wf = pd.DataFrame({gt("col.word", lang): words["word"], gt("col.texts", lang): [fmt.integer(x, lang) for x in words["count"]]})
    body.append(_table(cfg, wf, gt("pluim.words", lang)))
    return _section(cfg, "pluimen", body)


def reliability(cfg: GroupConfig) -> Section:
    lang = cfg.language
    settings = cfg.settings
    rel = cfg.data.reliability
    rel = rel[rel["org"] == ""]
    frame = pd.DataFrame({
        gt("col.domain", lang): rel["domain"].map(cfg.domain_name),
        gt("col.alpha", lang): [fmt.num(x, lang, decimals=2) for x in rel["alpha"]],
        t("col.interval", lang, confidence=_conf(cfg)): [_interval(a, b, "num2", lang)
                                                          for a, b in zip(rel["ci_low"], rel["ci_high"])],
        gt("col.complete", lang): [fmt.integer(x, lang) for x in rel["n"]],
    })
    notes = [gt("rel.low", lang, threshold=fmt.num(settings.get("min_reliability", 0.7), lang))] if rel["low"].any() else []
    body = [_table(cfg, frame, gt("rel.caption", lang), notes=notes)]
    drv = cfg.data.drivers
    drv = drv[drv["org"] == ""].sort_values("share", ascending=False)
    if len(drv) and drv["share"].notna().any():
        names = drv["domain"].map(cfg.domain_name)
        with charts.chart_style():
            ax = charts.new_axes(height=0.3 * len(drv) + 1.4)
            ax.barh(list(names)[::-1], drv["share"].to_numpy()[::-1], color=charts.PALETTE["higher"])
            ax.set_title(gt("drv.title", lang))
            ax.set_xlabel(gt("drv.x", lang))
            charts.percent_axis(ax.xaxis, lang)
            body.append(charts.figure_html(ax, alt=gt("alt.drivers", lang, top=fmt.listing(list(names[:3]), lang))))
        dframe = pd.DataFrame({
            gt("col.domain", lang): names,
            gt("col.r", lang): [fmt.num(x, lang, decimals=2) for x in drv["r"]],
            gt("col.importance", lang): [fmt.pct(x, lang) for x in drv["share"]],
        })
        body.append(_table(cfg, dframe, gt("drv.caption", lang, r2=fmt.num(drv["r2"].iloc[0], lang, decimals=2))))
    return _section(cfg, "reliability", body)


def methods(cfg: GroupConfig) -> Section:
    lang = cfg.language
    s = cfg.settings
    text = gt("methods.text" if cfg.has_benchmark else "methods.text_alone", lang, weighted=gt("weighted.yes" if s.get("weighting") else "weighted.no", lang),
              alpha=fmt.num(s.get("alpha", 0.05), lang, decimals=2),
              pp=fmt.num(100 * s.get("min_diff_top2", 0.05), lang, decimals=0),
              g=fmt.num(s.get("min_hedges_g", 0.2), lang), min_n=cfg.min_n, codes=_box_codes(cfg),
              points=cfg.instrument.scale.max - cfg.instrument.scale.min + 1)
    if cfg.instrument.outcome_id is not None:
        text += " " + gt("methods.drivers", lang)
    body = [_p(text)]
    missing = cfg.instrument.not_asked()
    if missing:
        body.append(_p(t("methods.not_asked", lang, parts=fmt.listing([t(f"part.{p}", lang) for p in missing], lang))))
    if cfg.instrument.outcome_id is None:
        body.append(_p(t("methods.no_outcome", lang)))
    return _section(cfg, "methods", body)


def _box_codes(cfg: GroupConfig) -> str:
    sc = cfg.instrument.scale
    return fmt.listing([f"‘{sc.labels[cfg.language][c - sc.min].lower()}’" for c in sorted(sc.top2)],
                       cfg.language, style="or")


from .group_spread import best, spread, summary  # noqa: E402  (they use the helpers above)

SECTIONS = (cover, summary, response, heatmap, spread, best, grades, trend, pluimen, reliability, methods)
