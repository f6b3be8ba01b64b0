"""The ten sections of the benchmark report; the notebook calls one function per section.

Each function takes a :class:`~ikto_lib.report.config.ReportConfig` and returns a
:class:`Section`, which a notebook displays as HTML (``_repr_html_``). Section ids are fixed
(:data:`~ikto_lib.report.i18n.SECTION_IDS`): they are the anchors of the table of contents on
the cover. :func:`ikto_lib.report.excel.excel_tables` gives the same content as raw tables for the Excel workbook.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from html import escape

import numpy as np
import pandas as pd

from . import charts, data, fmt, tiles
from . import text as gen
from .config import ReportConfig
from .i18n import SECTION_IDS, t
from .tables import flag_class, heatmap_table, html_table, key_value_table

__all__ = ["Section", "cover", "summary", "overall", "domains", "priorities", "trend", "units", "ranking",
           "pluimen", "methods", "SECTIONS"]


@dataclass(frozen=True)
class Section:
    """One section's HTML; displayed by Jupyter through ``_repr_html_``."""

    id: str
    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"Section({self.id!r})"


def shown_sections(cfg: ReportConfig) -> list[str]:
    """The section ids this report has: a section about a part the survey did not ask (pluim,
    drivers without an outcome, units) or a comparison it cannot make (ranking of one organisation)
    is left out, also from the table of contents."""
    skip = set()
    if not cfg.asks_pluim:
        skip.add("pluimen")
    if not cfg.has_priorities:
        skip.add("priorities")
    if not cfg.has_benchmark:
        skip.add("ranking")
    if not cfg.instrument.units:
        skip.add("units")
    return [s for s in SECTION_IDS if s not in skip]


def section_of(section_id: str, title: str, body: list[str]) -> Section:
    """A section's HTML: its title as ``<h2 id=section_id>`` (the table of contents links to
    it), then ``body``; the same for the organisation and the group report."""
    html = (f'<section class="ikto-section" data-section="{section_id}">'
            f'<h2 id="{section_id}">{escape(title)}</h2>{"".join(body)}</section>')
    return Section(section_id, html)


def _wrap(cfg: ReportConfig, section_id: str, body: list[str]) -> Section:
    return section_of(section_id, t(f"section.{section_id}", cfg.language), body)


def _p(text: str, cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return f"<p{c}>{escape(text)}</p>"


def _h3(text: str) -> str:
    return f"<h3>{escape(text)}</h3>"


def _flag(flag, language: str) -> str:
    if not isinstance(flag, str) or not flag:
        return ""
    return fmt.DASH if flag == "suppressed" else t(f"flag.{flag}", language)


def _flag_labels(language: str) -> dict[str, str]:
    return {f: t(f"flag.{f}", language) for f in charts.FLAGS}


def _conf(cfg: ReportConfig) -> str:
    return fmt.pct(cfg.settings.get("confidence", 0.95), cfg.language, decimals=0)


def _val(x, kind: str, language: str, suppressed: bool = False) -> str:
    if suppressed:
        return fmt.DASH
    if kind == "pct":
        return fmt.pct(x, language)
    if kind == "num":
        return fmt.num(x, language)
    if kind == "num2":
        return fmt.num(x, language, decimals=2)
    if kind == "int":
        return fmt.integer(x, language)
    if kind == "pp":
        return fmt.pp(x, language)
    return "" if x is None else str(x)


def _interval(lo, hi, kind: str, language: str, suppressed: bool = False) -> str:
    if suppressed:
        return fmt.DASH
    a, b = _val(lo, kind, language), _val(hi, kind, language)
    return f"{a} {'tot' if language == 'nl' else 'to'} {b}" if a and b else ""


def _n(x, cfg: ReportConfig, suppressed: bool = False) -> str:
    """A count, never below the anonymity threshold (then a dash)."""
    if suppressed or (pd.notna(x) and float(x) < cfg.min_n):
        return fmt.DASH
    return fmt.integer(x, cfg.language)


# ---------------------------------------------------------------------------------------------
def cover(cfg: ReportConfig) -> Section:
    """Organisation, wave, date, key figures, fine print, and the table of contents."""
    lang, o = cfg.language, cfg.organisation
    m = cfg.manifest
    type_names = {x.id: x.name[lang] for x in cfg.instrument.org_types}
    moe = o.get("margin_of_error", np.nan)
    weighted = bool(o.get("weighted", cfg.settings.get("weighting", False)))
    pairs = [
        (t("cover.date", lang), fmt.date(_dt.date.today(), lang)),
        (t("cover.type", lang), type_names.get(cfg.org_type, cfg.org_type)),
        (t("cover.respondents", lang), _n(o.get("respondents"), cfg)),
        (t("cover.headcount", lang), fmt.integer(o.get("headcount"), lang)),
        (t("cover.response_rate", lang), fmt.pct(o.get("response_rate"), lang)),
        (t("cover.margin", lang, confidence=_conf(cfg)),
         t("cover.margin_value", lang, value=fmt.num(float(moe) * 100, lang)) if pd.notna(moe) else ""),
        (t("cover.weighted", lang), t("yes" if weighted else "no", lang)),
    ]
    if cfg.previous_wave:
        pairs.append((t("comparison.previous", lang), str(cfg.previous_wave)))
    fine = t("cover.fineprint", lang, fingerprint=str(m.get("fingerprint", ""))[:16],
             version=str(m.get("ikto_version", "")), created=fmt.date(m.get("created"), lang))
    toc = "".join(f'<li><a href="#{s}">{escape(t(f"section.{s}", lang))}</a></li>' for s in shown_sections(cfg))
    rt = cfg.instrument.report
    kind = rt.title[lang] if rt is not None else t("cover.kind", lang)
    sub = f'<p class="subtitle">{escape(rt.subtitle[lang])}</p>' if rt is not None and rt.subtitle else ""
    html = (
        '<section class="ikto-section ikto-cover" data-section="cover">'
        f'<p class="kind">{escape(kind)}</p>'
        f'<h1 id="cover">{escape(cfg.org_name)}</h1>{sub}'
        f'<p class="subtitle">{escape(t("cover.wave", lang, wave=cfg.wave))} · '
        f'{escape(cfg.instrument.name[lang])}</p>'
        f'{tiles.tiles_html(cfg)}'
        f'{key_value_table(pairs)}'
        f'<p class="fineprint">{escape(fine)}</p>'
        f'<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">{escape(t("toc.title", lang))}</h2>'
        f'<ol>{toc}</ol></nav></section>'
    )
    return Section("cover", html)


def summary_sentences(cfg: ReportConfig) -> dict[str, list[str]]:
    """The summary's sentences in three groups: ``overall``, ``strengths``, ``changes``."""
    lang = cfg.language
    peers = gen.peers_label(cfg.org_type, lang)
    doms = data.domains(cfg)
    return {
        "overall": gen.overall_sentences(
            data.overall(cfg), org_name=cfg.org_name, language=lang, peers_available=cfg.peers_available,
            peers=peers, peer_min_orgs=int(cfg.settings.get("peer_min_orgs", 3)),
            previous_wave=cfg.previous_wave, in_previous=cfg.previous_available, peers_distinct=cfg.peers_distinct,
            benchmark=cfg.has_benchmark),
        "strengths": gen.priority_sentences(data.priorities(cfg), language=lang) if cfg.has_priorities else [],
        "changes": (gen.difference_sentences(doms, language=lang) if cfg.has_benchmark else [])
        + gen.change_sentences(doms, language=lang, previous_wave=cfg.previous_wave if cfg.previous_available else None),
    }


def summary(cfg: ReportConfig) -> Section:
    """Generated sentences: grade and top-2 against the references; strengths and priorities;
    flagged differences and changes."""
    s = summary_sentences(cfg)
    body = []
    for key, head in (("overall", "h.overall_summary"), ("strengths", "h.strengths"), ("changes", "h.changes")):
        if s[key]:
            body.append(_h3(t(head, cfg.language)))
            body.append('<ul class="sentences">' + "".join(f"<li>{escape(x)}</li>" for x in s[key]) + "</ul>")
    return _wrap(cfg, "summary", body)


# ---------------------------------------------------------------------------------------------
def overall(cfg: ReportConfig) -> Section:
    """Grade (mean, pass share) and overall top-2 with intervals, against the references."""
    lang = cfg.language
    ov = data.overall(cfg)
    comps = data.shown_comparisons(cfg)
    kinds = {"grade_mean": "num", "grade_pass": "pct", "top2": "pct"}
    head = [t("col.measure", lang), t("col.value", lang), t("col.interval", lang, confidence=_conf(cfg))]
    for c in comps:
        head += [t(f"col.{c}", lang, wave=cfg.previous_wave), t("col.flag", lang)]
    rows, classes = [], []
    for _, r in ov.iterrows():
        k, sup = kinds[r["measure"]], bool(r["suppressed"])
        row = [t(f"measure.{r['measure']}", lang), _val(r["value"], k, lang, sup),
               _interval(r["ci_low"], r["ci_high"], k, lang, sup)]
        cls = ["", "", ""]
        for c in comps:
            row += [_val(r[c], k, lang), _flag(r[f"{c}_flag"], lang)]
            cls += ["", flag_class(r[f"{c}_flag"])]
        rows.append(row)
        classes.append(cls)
    table = html_table(pd.DataFrame(rows, columns=head), language=lang, min_n=cfg.min_n,
                       classes=pd.DataFrame(classes), caption=t("section.overall", lang),
                       notes=[t("note.flags", lang, min_pp=_min_pp(cfg))])
    body = [table, _interval_note(cfg)]
    if not cfg.peers_available and cfg.peers_distinct:
        body.append(_p(t("note.no_peers", lang, peers=gen.peers_label(cfg.org_type, lang),
                         k=int(cfg.settings.get("peer_min_orgs", 3))), "note"))
    chart = _overall_chart(cfg, ov, comps)
    if chart:
        body.insert(0, chart)
    return _wrap(cfg, "overall", body)


def _interval_note(cfg: ReportConfig) -> str:
    """The one sentence beside every interval shown with a verdict: why an interval can exclude the
    reference while the (Holm-adjusted, relevance-thresholded) verdict is 'no difference'."""
    if not data.shown_comparisons(cfg):
        return ""
    return _p(t("note.interval_verdict", cfg.language, confidence=_conf(cfg), min_pp=_min_pp(cfg)),
              "note interval-verdict")


def _min_pp(cfg: ReportConfig) -> str:
    return fmt.num(float(cfg.settings.get("min_diff_top2", 0.05)) * 100, cfg.language, decimals=0)


def _overall_chart(cfg: ReportConfig, ov: pd.DataFrame, comps: list[str]) -> str:
    """Grade (1-10 scale) above the shares (0-100%), one legend for both."""
    lang = cfg.language
    if ov[~ov["suppressed"]].empty:
        return ""
    refs = {c: (t("comparison.previous", lang) + f" ({cfg.previous_wave})" if c == "previous"
                else t(f"comparison.{c}", lang)) for c in comps}
    labels = {"grade_mean": t("measure.grade_mean", lang), "grade_pass": t("measure.grade_pass", lang),
              "top2": t("measure.top2", lang)}
    d = ov.assign(label=ov["measure"].map(labels))
    g, p = d[d["measure"] == "grade_mean"], d[d["measure"] != "grade_mean"]
    with charts.chart_style():
        common = dict(language=lang, min_n=cfg.min_n, refs=refs, flag_labels=_flag_labels(lang), n=None,
                      suppressed_label=t("chart.suppressed", lang), legend=False)
        if cfg.asks_grade:
            ax1, ax2 = charts.new_axes(height=1.1 + 0.55 * len(d) + 0.9, nrows=2,
                                       height_ratios=[max(len(g), 1), max(len(p), 1)])
            gr = cfg.instrument.grade
            charts.plot_comparison(g, percent=False, xlim=(0, gr.max), xlabel=t("chart.grade.axis", lang), ax=ax1,
                                   title=t("chart.overall.title", lang, org=cfg.org_name), **common)
        else:
            ax1 = ax2 = charts.new_axes(height=1.1 + 0.55 * len(d) + 0.9)
            common["title"] = t("chart.overall.title_measure", lang, org=cfg.org_name)
        charts.plot_comparison(p, percent=True, xlim=(0, 1), xlabel=t("chart.top2.axis", lang), ax=ax2, **common)
        handles = charts.comparison_handles(d, refs=refs, flag_labels=_flag_labels(lang),
                                            suppressed_label=t("chart.suppressed", lang))
        fig = ax1.figure
        fig.legend(handles=handles, title=t("col.flag", lang) + " (" + t("comparison.benchmark", lang).lower() + ")",
                   loc="outside lower center", ncols=min(4, len(handles)), frameon=False)
        top2 = p.loc[p["measure"] == "top2", "value"]
        top2 = fmt.pct(top2.iloc[0] if len(top2) else np.nan, lang)
        alt = (t("alt.overall", lang, grade=fmt.num(g["value"].iloc[0] if len(g) else np.nan, lang),
                 org=cfg.org_name, top2=top2) if cfg.asks_grade
               else t("alt.overall_measure", lang, org=cfg.org_name, top2=top2))
        return charts.figure_html(fig, alt=alt)


# ---------------------------------------------------------------------------------------------
def domains(cfg: ReportConfig) -> Section:
    """Chart of all domains against the benchmark, then per domain a table of its items."""
    lang = cfg.language
    doms = data.domains(cfg)
    dmean = data.domains(cfg, "mean").set_index("domain")
    its = data.items(cfg)
    bench = cfg.has_benchmark
    with charts.chart_style():
        ax = charts.plot_comparison(
            doms, language=lang, min_n=cfg.min_n, refs={"benchmark": t("comparison.benchmark", lang)} if bench else {},
            title=t("chart.domains.title" if bench else "chart.domains.title_alone", lang, org=cfg.org_name),
            flag="benchmark_flag" if bench or not cfg.previous_available else "previous_flag",
            xlabel=t("chart.top2.axis", lang),
            flag_labels=_flag_labels(lang), flag_title=t("col.flag", lang),
            suppressed_label=t("chart.suppressed", lang))
        higher = doms.loc[doms["benchmark_flag"] == "higher", "label"].tolist()
        lower = doms.loc[doms["benchmark_flag"] == "lower", "label"].tolist()
        alt = t("alt.domains", lang, org=cfg.org_name, confidence=_conf(cfg),
                higher=fmt.listing(higher, lang) or t("none", lang), lower=fmt.listing(lower, lang) or t("none", lang))
        body = [charts.figure_html(ax, alt=alt)]
    scale = cfg.instrument.scale.labels[lang]
    box = [f"‘{scale[c - cfg.instrument.scale.min].lower()}’" for c in sorted(cfg.instrument.scale.top2)]
    body.append(_p(t("note.top2", lang, codes=fmt.listing(box, lang, style="or")) + " "
                   + t("note.flags", lang, min_pp=_min_pp(cfg)), "note"))
    body.append(_interval_note(cfg))
    body.append(_h3(t("h.items", lang)))
    prev = "previous" in data.shown_comparisons(cfg)
    head = [t("col.question", lang), t("col.n", lang), t("col.top2", lang), t("col.mean", lang),
            t("col.benchmark", lang), t("col.diff_pp", lang), t("col.flag", lang)]
    keep = list(range(len(head))) if bench else [0, 1, 2, 3]
    head = [head[k] for k in keep]
    if prev:
        head.append(t("col.previous", lang, wave=cfg.previous_wave))
    scored = doms.set_index("domain")
    for dom in cfg.instrument.domain_ids:  # a domain of only an overall or yes/no item has no total row
        rows, classes = [], []
        d = pd.Series({"domain": dom, "label": cfg.domain_name(dom)})
        dm = dmean.loc[dom] if dom in dmean.index else None
        entries = [(t("row.domain_total", lang), scored.loc[dom], None if dm is None else dm["value"])] \
            if dom in scored.index else []
        for _, it in its[its["domain"] == dom].iterrows():
            entries.append((it["label"], it, it["mean"]))
        for label, r, mean in entries:
            sup = bool(r["suppressed"])
            row = [label, _n(r["n"], cfg, sup), _val(r["value"], "pct", lang, sup), _val(mean, "num", lang, sup),
                   _val(r["benchmark"], "pct", lang), _val(r["benchmark_diff"], "pp", lang, sup),
                   _flag(r["benchmark_flag"], lang)]
            cls = [""] * 6 + [flag_class(r["benchmark_flag"])]
            row, cls = [row[k] for k in keep], [cls[k] for k in keep]
            if prev:
                row.append(_val(r["previous"], "pct", lang))
                cls.append("")
            rows.append(row)
            classes.append(cls)
        body.append(html_table(pd.DataFrame(rows, columns=head), caption=d["label"], language=lang,
                               min_n=cfg.min_n, classes=pd.DataFrame(classes)))
    return _wrap(cfg, "domains", body)


# ---------------------------------------------------------------------------------------------
def priorities(cfg: ReportConfig) -> Section:
    """The priority matrix chart (importance intervals, flag colours) and the domains per group
    of the rule (methods: priorities follow the tests)."""
    lang = cfg.language
    if "priorities" not in shown_sections(cfg):
        return None
    pr = data.priorities(cfg)
    if pr.empty:
        return _wrap(cfg, "priorities", [_p(t("note.no_priorities", lang), "note")])
    groups = ("verbeteren", "aandacht", "behouden", "bewaken", "geen verschil")
    q_labels = {q: t(f"quadrant.{q}", lang).capitalize() for q in groups}
    with charts.chart_style():
        ax = charts.plot_priority_matrix(
            pr, language=lang, flag="test_flag", title=t("chart.priorities.title", lang, org=cfg.org_name),
            xlabel=t("chart.priorities.x", lang), ylabel=t("chart.priorities.y", lang),
            median_label=t("chart.priorities.median", lang),
            flag_labels=_flag_labels(lang), flag_title=t("col.flag", lang))
        alt = t("alt.priorities", lang,
                behouden=fmt.listing(pr.loc[pr["quadrant"] == "behouden", "label"], lang) or t("none", lang),
                verbeteren=fmt.listing(pr.loc[pr["quadrant"] == "verbeteren", "label"], lang) or t("none", lang))
        body = [charts.figure_html(ax, alt=alt)]
    body.append(_p(t("note.priorities", lang, confidence=_conf(cfg)), "note"))
    body.append(_p(t("note.priority_rule", lang), "note"))
    src = pr.get("source")
    body.append(_p(t("note.drivers_wave" if src is not None and (src == "wave").any() else "note.drivers_org", lang),
                   "note"))
    body.append(_h3(t("h.quadrants", lang)))
    items = []
    for q in groups:
        sub = pr[pr["quadrant"] == q].sort_values("importance", ascending=False)
        if sub.empty and q in ("aandacht", "bewaken"):
            continue
        names = fmt.listing(sub["label"], lang) or t("none", lang)
        items.append(f"<li><strong>{escape(q_labels[q])}</strong> ({escape(t(f'quadrant.{q}.help', lang))}): "
                     f"{escape(names)}</li>")
    body.append('<ul class="quadrants">' + "".join(items) + "</ul>")
    prev = "previous_flag" in pr.columns and (pr["previous_flag"].fillna("") != "").any()
    head = [t("col.domain", lang), t("col.quadrant", lang), t("col.performance", lang), t("col.flag", lang)]
    head += [t("col.previous_flag", lang)] if prev else []
    head += [t("col.importance", lang), t("col.importance_interval", lang)]
    rows, classes = [], []
    for _, r in pr.sort_values("importance", ascending=False).iterrows():
        row = [r["label"], q_labels[r["quadrant"]], fmt.pp(r["performance"], lang), _flag(r["flag"], lang)]
        cls = ["", "", "", flag_class(r["flag"])]
        if prev:
            row.append(_flag(r["previous_flag"], lang))
            cls.append(flag_class(r["previous_flag"]))
        row += [fmt.pct(r["importance"], lang),
                _interval(r.get("importance_low"), r.get("importance_high"), "pct", lang)]
        rows.append(row)
        classes.append(cls + ["", ""])
    body.append(html_table(pd.DataFrame(rows, columns=head), language=lang, min_n=cfg.min_n,
                           numeric=[head[2], head[-2], head[-1]], classes=pd.DataFrame(classes),
                           caption=t("chart.priorities.title", lang, org=cfg.org_name)))
    return _wrap(cfg, "priorities", body)


# ---------------------------------------------------------------------------------------------
def trend(cfg: ReportConfig) -> Section:
    """Domain top-2 in this and the previous wave, with flagged changes."""
    lang = cfg.language
    if cfg.previous_wave is None:
        return _wrap(cfg, "trend", [_p(t("note.no_previous", lang), "note")])
    if not cfg.previous_available:
        return _wrap(cfg, "trend", [_p(t("note.not_in_previous", lang, wave=cfg.previous_wave), "note")])
    doms = data.domains(cfg)
    trend_labels = {f: t(f"trend.{f}", lang) for f in charts.FLAGS}
    with charts.chart_style():
        ax = charts.plot_trend(
            doms, language=lang, wave=cfg.wave, previous_wave=cfg.previous_wave,
            title=t("chart.trend.title", lang, wave=cfg.wave, previous=cfg.previous_wave),
            xlabel=t("chart.top2.axis", lang), flag_labels=trend_labels,
            suppressed_label=t("chart.suppressed", lang))
        alt = t("alt.trend", lang, wave=cfg.wave, previous=cfg.previous_wave,
                higher=fmt.listing(doms.loc[doms["previous_flag"] == "higher", "label"], lang) or t("none", lang),
                lower=fmt.listing(doms.loc[doms["previous_flag"] == "lower", "label"], lang) or t("none", lang))
        body = [charts.figure_html(ax, alt=alt)]
    body += ["<ul class=\"sentences\">" + "".join(
        f"<li>{escape(s)}</li>" for s in gen.change_sentences(doms, language=lang, previous_wave=cfg.previous_wave))
        + "</ul>"]
    head = [t("col.domain", lang), t("col.previous", lang, wave=cfg.previous_wave),
            t("col.current", lang, wave=cfg.wave), t("col.change_pp", lang), t("col.flag", lang)]
    rows, classes = [], []
    for _, r in doms.iterrows():
        sup = bool(r["suppressed"])
        rows.append([r["label"], _val(r["previous"], "pct", lang, sup), _val(r["value"], "pct", lang, sup),
                     _val(r["previous_diff"], "pp", lang, sup), trend_labels.get(r["previous_flag"], fmt.DASH if sup else "")])
        classes.append(["", "", "", "", flag_class(r["previous_flag"])])
    body.append(html_table(pd.DataFrame(rows, columns=head), language=lang, min_n=cfg.min_n,
                           classes=pd.DataFrame(classes), caption=t("section.trend", lang)))
    return _wrap(cfg, "trend", body)


# ---------------------------------------------------------------------------------------------
def unit_matrix(cfg: ReportConfig) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(values, suppressed): rows = organisation total then units, columns = domain names."""
    lang = cfg.language
    u = data.units(cfg)
    cells = u[u["domain"] != ""]
    resp = u[u["domain"] == ""].set_index("unit")
    names = [cfg.domain_name(d) for d in cfg.instrument.scored_domain_ids]
    vals = cells.pivot_table(index="unit", columns="label", values="value", aggfunc="first", dropna=False)
    sup = cells.pivot_table(index="unit", columns="label", values="suppressed", aggfunc="first", dropna=False)
    order = [""] + sorted(x for x in cells["unit"].unique() if x != "")
    vals = vals.reindex(index=order, columns=names)
    sup = sup.reindex(index=order, columns=names).fillna(True).astype(bool)

    def row_label(unit):
        name = t("row.org_total", lang) if unit == "" else unit
        if unit in resp.index and not bool(resp.loc[unit, "suppressed"]) and pd.notna(resp.loc[unit, "value"]) \
                and float(resp.loc[unit, "value"]) >= cfg.min_n:
            name += f" (n = {fmt.integer(resp.loc[unit, 'value'], lang)})"
        return name

    labels = [row_label(x) for x in order]
    return vals.set_axis(labels, axis=0), sup.set_axis(labels, axis=0)


def units(cfg: ReportConfig) -> Section:
    """Heatmap (a colour-coded table) of domain top-2 per unit; suppressed cells hatched with a
    dash. Units without any figure shown are named below the table instead of filling it with
    empty rows."""
    lang = cfg.language
    if "units" not in shown_sections(cfg):
        return None
    vals, sup = unit_matrix(cfg)
    n_units = len(vals) - 1
    if n_units < 1:
        return _wrap(cfg, "units", [_p(t("note.no_units", lang), "note")])
    hidden_cells = sup | vals.isna()
    empty = hidden_cells.all(axis=1)
    empty.iloc[0] = False  # the organisation total stays
    shown_units = [i for i in range(1, len(vals)) if not empty.iloc[i]]
    # units without figures: hidden ones and those nobody answered from (known from the
    # headcount), listed alike, so the list does not tell which have at least one respondent
    answered = set(data.units(cfg)["unit"])
    rs = data.response(cfg)
    nobody = rs.loc[(rs["breakdown"] == "unit") & ~rs["category"].astype(str).isin(answered), "category"]
    names = sorted([str(x) for x in vals.index[empty.to_numpy()]] + [str(x) for x in nobody])
    if not shown_units:
        body = [_p(t("note.no_units", lang), "note")]
        if names:
            body.append(_p(t("note.units_empty", lang, min_n=cfg.min_n, units=fmt.listing(names, lang)), "note"))
        return _wrap(cfg, "units", body)
    rows = [0] + shown_units
    body = [heatmap_table(vals.iloc[rows], sup.iloc[rows], caption=t("chart.units.title", lang),
                          corner=t("col.unit", lang), scale_label=t("chart.units.colorbar", lang),
                          language=lang, min_n=cfg.min_n, total_first=True)]
    body.append(_p(t("note.units", lang, min_n=cfg.min_n), "note"))
    if names:
        body.append(_p(t("note.units_empty", lang, min_n=cfg.min_n, units=fmt.listing(names, lang)), "note"))
    return _wrap(cfg, "units", body)


# ---------------------------------------------------------------------------------------------
def ranking(cfg: ReportConfig) -> Section:
    """Position per domain among all organisations and among peers; anonymous unless name_peers."""
    lang = cfg.language
    if "ranking" not in shown_sections(cfg):
        return None
    rk = data.ranking(cfg)
    head = [t("col.domain", lang), t("col.top2", lang), t("col.rank", lang), t("col.quartile", lang),
            t("col.peer_rank", lang)]
    rows = []
    for _, r in rk.iterrows():
        peer = (t("rank.of", lang, rank=int(r["peer_rank"]), n=int(r["peer_n_orgs"]))
                if pd.notna(r["peer_rank"]) and pd.notna(r["peer_n_orgs"]) else "")
        rows.append([r["label"], fmt.pct(r["value"], lang), t("rank.of", lang, rank=int(r["rank"]), n=int(r["n_orgs"])),
                     t(f"quartile.{int(r['quartile'])}", lang), peer])
    shown = set(rk["domain"])
    for d in cfg.instrument.scored_domain_ids:
        if d not in shown:
            rows.append([cfg.domain_name(d), fmt.DASH, fmt.DASH, "", ""])
    body = [html_table(pd.DataFrame(rows, columns=head), language=lang, min_n=cfg.min_n,
                       caption=t("section.ranking", lang))]
    body.append(_p(t("note.ranking_named" if cfg.name_peers and cfg.peers_available else "note.ranking_anonymous", lang),
                   "note"))
    if not cfg.peers_available and cfg.peers_distinct:
        body.append(_p(t("note.no_peers", lang, peers=gen.peers_label(cfg.org_type, lang),
                         k=int(cfg.settings.get("peer_min_orgs", 3))), "note"))
    po = data.peer_order(cfg)
    if not po.empty:
        rows = []
        for d in [c for c in po.columns if c not in ("org", "name")]:
            order = po[["name", d]].dropna().sort_values(d)
            rows.append([cfg.domain_name(d), "; ".join(f"{int(k)}. {n}" for n, k in zip(order["name"], order[d]))])
        body.append(_h3(t("h.peers_order", lang)))
        body.append(html_table(pd.DataFrame(rows, columns=[t("col.domain", lang), t("col.rank", lang)]),
                               language=lang, min_n=cfg.min_n, numeric=[]))
    return _wrap(cfg, "ranking", body)


# ---------------------------------------------------------------------------------------------
def pluimen(cfg: ReportConfig) -> Section:
    """Share of respondents giving a pluim per domain against the benchmark, texts, frequent words."""
    lang = cfg.language
    if "pluimen" not in shown_sections(cfg):
        return None
    sh = data.pluim_shares(cfg)
    body = []
    total = sh[sh["target"] == ""]
    if len(total) and pd.notna(total["share"].iloc[0]):
        body.append(_p(t("pluim.total", lang, share=fmt.pct(total["share"].iloc[0], lang),
                         ref=fmt.pct(total["ref_share"].iloc[0], lang))))
    per = sh[sh["target"] != ""].rename(columns={"share": "value", "ref_share": "benchmark", "flag": "benchmark_flag"})
    if len(per):
        with charts.chart_style():
            ax = charts.plot_comparison(
                per, language=lang, min_n=cfg.min_n, ci_low=None, ci_high=None,
                refs={"benchmark": t("comparison.benchmark", lang)}, title=t("chart.pluim.title", lang),
                xlabel=t("chart.pluim.axis", lang), flag_labels=_flag_labels(lang), flag_title=t("col.flag", lang),
                suppressed_label=t("chart.suppressed", lang))
            body.append(charts.figure_html(ax, alt=t("alt.pluim", lang)))
    texts = data.pluim_texts(cfg)
    body.append(_h3(t("h.texts", lang)))
    if len(texts):
        body.append(_p(t("note.pluim_texts", lang), "note"))
        body.append('<ul class="pluim-texts">' + "".join(
            f"<li><blockquote>{escape(str(r['text']))}</blockquote>"
            + (f'<span class="target">{escape(str(r["label"]))}</span>' if r["label"] else "") + "</li>"
            for _, r in texts.iterrows()) + "</ul>")
    else:
        body.append(_p(t("note.no_pluim_texts", lang), "note"))
    words = data.pluim_words(cfg).head(int(cfg.settings.get("pluim_top_words", 15)))
    if len(words):
        body.append(_h3(t("h.words", lang)))
        body.append(_p(t("note.words", lang), "note"))
        body.append('<p class="words">' + " · ".join(
            f"{escape(str(w))} ({fmt.integer(c, lang)})" for w, c in zip(words["word"], words["count"])) + "</p>")
    return _wrap(cfg, "pluimen", body)


# ---------------------------------------------------------------------------------------------
def methods(cfg: ReportConfig) -> Section:
    """Response per unit and background group, representativeness, weighting, reliability, flags,
    anonymity and item non-response."""
    lang = cfg.language
    s = cfg.settings
    body = [_p(x, "note") for x in scope_sentences(cfg)]
    body.append(_h3(t("h.response", lang)))
    resp = data.response(cfg)
    bg_names = {b.id: b.name[lang] for b in cfg.instrument.background}
    for b, g in resp.groupby("breakdown", sort=False):
        head = [t("breakdown.unit", lang) if b == "unit" else bg_names.get(b, b), t("col.headcount", lang),
                t("col.respondents", lang), t("col.response_rate", lang), t("col.low_response", lang)]
        rows = [[str(r["category"]), fmt.integer(r["headcount"], lang), _n(r["respondents"], cfg, bool(r["suppressed"])),
                 _val(r["response_rate"], "pct", lang, bool(r["suppressed"])),
                 fmt.DASH if r["suppressed"] else (t("yes", lang) if bool(r["low_response"]) else "")]
                for _, r in g.iterrows()]
        body.append(html_table(pd.DataFrame(rows, columns=head), language=lang, min_n=cfg.min_n,
                               caption=t("h.response", lang) + ": " + head[0].lower()))
    body.append(_h3(t("h.representativeness", lang)))
    body.append(_p(t("methods.representativeness", lang)))
    rep = data.representativeness(cfg)
    if len(rep):
        alpha = float(s.get("alpha", 0.05))
        rows = [[t("breakdown.unit", lang) if r["breakdown"] == "unit" else bg_names.get(r["breakdown"], r["breakdown"]),
                 fmt.num(r["chi2"], lang), fmt.integer(r["dof"], lang),
                 "" if pd.isna(r["p"]) else t("methods.representative_yes" if r["p"] >= alpha else "methods.representative_no", lang)]
                for _, r in rep.iterrows()]
        body.append(html_table(pd.DataFrame(rows, columns=[t("col.breakdown", lang), t("col.chi2", lang),
                                                           t("col.dof", lang), t("col.verdict", lang)]),
                               language=lang, min_n=cfg.min_n, caption=t("h.representativeness", lang)))
    body.append(_h3(t("h.weighting", lang)))
    weighted = bool(cfg.organisation.get("weighted", s.get("weighting", False)))
    body.append(_p(t("methods.weighting_on" if weighted else "methods.weighting_off", lang, min_n=cfg.min_n)))
    body.append(_h3(t("h.reliability", lang)))
    body.append(_p(t("methods.reliability", lang, confidence=_conf(cfg),
                     min_alpha=fmt.num(s.get("min_reliability", 0.7), lang))))
    rel = data.reliability(cfg)
    if (rel["source"] == "wave").any():
        body.append(_p(t("methods.reliability_wave", lang), "note"))
    rows = [[r["label"], fmt.integer(r.get("n_items"), lang), _n(r["n"], cfg) if r["source"] == "org" else "",
             fmt.num(r["alpha"], lang, decimals=2),
             _interval(r["ci_low"], r["ci_high"], "num2", lang), t("methods.low", lang) if bool(r["low"]) else ""]
            for _, r in rel.iterrows()]
    body.append(html_table(pd.DataFrame(rows, columns=[t("col.domain", lang), t("col.items", lang), t("col.n", lang),
                                                       t("col.alpha", lang), t("col.interval", lang, confidence=_conf(cfg)),
                                                       ""]),
                           language=lang, min_n=cfg.min_n, caption=t("h.reliability", lang)))
    body.append(_h3(t("h.flags", lang)))
    body.append(_p(t("methods.flags" if cfg.has_benchmark else "methods.flags_alone", lang,
                     peers=t("methods.flags_peers", lang) if cfg.peers_distinct else "", alpha=fmt.num(s.get("alpha", 0.05), lang, decimals=2),
                     min_pp=_min_pp(cfg), min_g=fmt.num(s.get("min_hedges_g", 0.2), lang))))
    body.append(_h3(t("h.anonymity", lang)))
    body.append(_p(t("methods.anonymity", lang, min_n=cfg.min_n)))
    body.append(_h3(t("h.nvt", lang)))
    body.append(_p(t("methods.nvt", lang)))
    nr = data.nonresponse(cfg)
    rows, last = [], None
    for _, r in nr.iterrows():
        dom = cfg.domain_name(r["domain"])
        rows.append([dom if dom != last else "", r["label"], fmt.pct(r["nvt_share"], lang), fmt.pct(r["skip_share"], lang)])
        last = dom
    body.append(html_table(pd.DataFrame(rows, columns=[t("col.domain", lang), t("col.question", lang),
                                                       t("col.nvt", lang), t("col.skip", lang)]),
                           language=lang, min_n=cfg.min_n, numeric=[t("col.nvt", lang), t("col.skip", lang)],
                           caption=t("h.nvt", lang), css_class="ikto-table compact"))
    return _wrap(cfg, "methods", body)


def scope_sentences(cfg: ReportConfig) -> list[str]:
    """What the survey did not ask (one sentence), why there is no priority matrix, and that a
    single organisation is compared with itself only."""
    lang = cfg.language
    missing = [p for p in cfg.instrument.not_asked()]
    out = []
    if missing:
        out.append(t("methods.not_asked", lang, parts=fmt.listing([t(f"part.{p}", lang) for p in missing], lang)))
    if cfg.instrument.outcome_id is None:
        out.append(t("methods.no_outcome", lang))
    if not cfg.has_benchmark:
        out.append(t("methods.single_org", lang))
    return out


#: The sections in report order (id -> function); the notebook calls them one by one.
SECTIONS = {
    "cover": cover, "summary": summary, "overall": overall, "domains": domains, "priorities": priorities,
    "trend": trend, "units": units, "ranking": ranking, "pluimen": pluimen, "methods": methods,
}
