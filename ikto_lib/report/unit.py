"""The report of one unit (``notebooks/unit_report.ipynb``, made by ``ikto batch --units``).

A unit gets a report when its figures are shown in its organisation's report (not hidden by the
anonymity pattern of the organisation's units) and it has at least ``unit_report_min_n``
respondents (:func:`unit_reports`). The report shows the unit against its organisation and the
benchmark (all organisations): the overall results, the domains and the items. Its figures are
read from the same prepared rows as the organisation report's units section
(:func:`ikto_lib.report.data.units`), so a unit's domain figures are exactly the ones published
for it there; a figure hidden there is hidden here.

Left out, because a unit cannot support them: significance tests against the organisation or the
benchmark (the prepared results test organisations only: the differences shown are descriptive),
priorities (the driver analysis is per organisation), trend (units are not matched across waves),
the units heatmap, the ranking, pluimen, and background breakdowns within a unit (the prepared
results have no unit x category rows; see docs/unit-reports.md).

File names: ``<org>/<slug>.html`` (:func:`unit_slugs`): unit codes may hold spaces and
punctuation, so the slug is ASCII letters, digits and ``-``, made unique within the organisation
with a short hash of the code, and the path is checked by :func:`ikto_lib.safe.output_path`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd

from . import data, fmt
from .config import ReportConfig, ReportError
from .sections import Section, _n, _p, _val, section_of
from .tables import heatmap_table, html_table, key_value_table

SLUG_MAX = 48

TEXT = {
    "kind": {"nl": "Rapport van een onderdeel", "en": "Unit report"},
    "of": {"nl": "Onderdeel van {org}", "en": "Unit of {org}"},
    "respondents": {"nl": "Respondenten", "en": "Respondents"},
    "org_respondents": {"nl": "Respondenten organisatie", "en": "Respondents of the organisation"},
    "back": {"nl": "Rapport van de organisatie", "en": "Report of the organisation"},
    "s.overall": {"nl": "Algemeen oordeel", "en": "Overall"},
    "s.domains": {"nl": "Domeinen", "en": "Domains"},
    "s.items": {"nl": "Vragen", "en": "Questions"},
    "s.methods": {"nl": "Methode", "en": "Method"},
    "unit": {"nl": "Dit onderdeel", "en": "This unit"},
    "org": {"nl": "Organisatie", "en": "Organisation"},
    "bench": {"nl": "Benchmark (alle organisaties)", "en": "Benchmark (all organisations)"},
    "diff_org": {"nl": "Verschil met organisatie", "en": "Difference with organisation"},
    "diff_bench": {"nl": "Verschil met benchmark", "en": "Difference with benchmark"},
    "bench_col": {"nl": "Benchmark", "en": "Benchmark"},
    "diff_note": {"nl": "Verschillen van aandelen in procentpunten.", "en": "Differences of shares in percentage points."},
    "measure": {"nl": "Maat", "en": "Measure"},
    "domain": {"nl": "Domein", "en": "Domain"},
    "question": {"nl": "Vraag", "en": "Question"},
    "heat": {"nl": "Aandeel tevreden per domein", "en": "Share satisfied per domain"},
    "heat_scale": {"nl": "Aandeel tevreden", "en": "Share satisfied"},
    "grade_mean": {"nl": "Rapportcijfer (gemiddeld)", "en": "Grade (mean)"},
    "grade_pass": {"nl": "Voldoende (6 of hoger)", "en": "Pass (6 or higher)"},
    "top2": {"nl": "Tevreden (alle vragen)", "en": "Satisfied (all questions)"},
    "method": {
        "nl": ("Dit rapport toont de uitkomsten van één onderdeel naast die van de hele organisatie en "
               "de benchmark. Het onderdeel heeft een eigen rapport omdat het ten minste {min_unit} "
               "respondenten heeft en zijn uitkomsten in het rapport van de organisatie getoond worden; "
               "een uitkomst van minder dan {min_n} antwoorden is niet getoond (–). De verschillen zijn "
               "beschrijvend: voor onderdelen worden geen significantietoetsen gedaan. Prioriteiten, "
               "trend, positie, pluimen en uitsplitsingen naar achtergrond staan alleen in het rapport "
               "van de organisatie."),
        "en": ("This report shows the results of one unit beside those of its whole organisation and "
               "the benchmark. The unit has its own report because it has at least {min_unit} "
               "respondents and its results are shown in its organisation's report; a result of fewer "
               "than {min_n} answers is not shown (–). The differences are descriptive: units are not "
               "tested for significance. Priorities, trend, position, pluimen and background "
               "breakdowns are only in the organisation's report."),
    },
}


def _t(key: str, language: str, **kw) -> str:
    return TEXT[key][language].format(**kw)


# -- which units, which files ------------------------------------------------------------------
def slug(text: str) -> str:
    """ASCII letters, digits and ``-`` of ``text`` (accents dropped), at most :data:`SLUG_MAX`.

    >>> slug("Vergunningen, Toezicht & Handhaving"), slug("Économie (Noord)"), slug("../..")
    ('vergunningen-toezicht-handhaving', 'economie-noord', '')
    """
    ascii_ = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:SLUG_MAX].strip("-")


def unit_slugs(units) -> dict[str, str]:
    """A file-name stem per unit code, unique among ``units`` (one organisation's) and the same
    whatever the order: a slug shared by two codes, empty, or not a valid output name gets a
    short hash of its code.

    >>> unit_slugs(["A b", "a-b", "Staf", "..."])
    {'A b': 'a-b-a760b0e1', 'a-b': 'a-b-d44362d6', 'Staf': 'staf', '...': 'unit-ab5df625'}
    """
    from ..safe import org_code_problem

    codes = [str(u) for u in units]
    base = {u: slug(u) for u in codes}
    counts = pd.Series(list(base.values()), dtype=object).value_counts()
    out = {}
    for u in codes:
        b = base[u]
        if not b or counts.get(b, 0) > 1 or org_code_problem(b):
            h = hashlib.sha256(u.encode("utf-8")).hexdigest()[:8]
            b = f"{b or 'unit'}-{h}"
        out[u] = b
    return out


def unit_reports(prepared, min_respondents: int, orgs=None) -> pd.DataFrame:
    """Every unit that gets a report: ``org, unit, respondents, slug, file`` (``<org>/<slug>.html``).

    A unit qualifies when its respondent count is published in the prepared results (not hidden
    by its organisation's units pattern, so its figures are in the organisation report) and is at
    least ``min_respondents``. ``prepared``: a :class:`~ikto_lib.prepared.Prepared` or its folder.
    """
    from ..prepared import Prepared

    prep = prepared if hasattr(prepared, "results") else Prepared(prepared)
    r = prep.results
    sel = ((r["unit"] != "") & (r["breakdown"] == "") & (r["comparison"] == "") & (r["domain"] == "")
           & (r["item"] == "") & (r["measure"] == "respondents") & (r["flag"] != data.SUPPRESSED))
    u = r.loc[sel, ["org", "unit", "value"]].rename(columns={"value": "respondents"})
    u = u[u["respondents"].astype(float) >= max(int(min_respondents), int(prep.manifest.get(
        "settings", {}).get("min_n", 1)))]
    eligible = prep.organisations.loc[prep.organisations["eligible"].astype(bool), "org"].astype(str)
    u = u[u["org"].astype(str).isin(set(eligible))]
    if orgs is not None:
        u = u[u["org"].isin(set(orgs))]
    u = u.astype({"org": str, "unit": str}).sort_values(["org", "unit"]).reset_index(drop=True)
    slugs = {org: unit_slugs(g["unit"]) for org, g in u.groupby("org", sort=False)}
    u["slug"] = pd.Series([slugs[o][x] for o, x in zip(u["org"], u["unit"])], index=u.index, dtype=object)
    u["file"] = pd.Series([f"{o}/{x}.html" for o, x in zip(u["org"], u["slug"])], index=u.index, dtype=object)
    return u


def unit_output_path(out_dir, org: str, unit_slug: str, suffix: str = ".html") -> Path:
    """``out_dir/<org>/<slug><suffix>``, both parts checked by :func:`ikto_lib.safe.output_path`."""
    from ..safe import output_path

    folder = output_path(out_dir, org, "")
    return output_path(folder, unit_slug, suffix)


# -- the report --------------------------------------------------------------------------------
def unit_config(cfg: ReportConfig, unit: str, min_respondents: int) -> pd.Series:
    """The unit's row of :func:`unit_reports`; :class:`ReportError` when it gets no report."""
    rows = unit_reports(cfg.data, min_respondents, orgs=[cfg.org])
    row = rows[rows["unit"] == unit]
    if row.empty:
        raise ReportError(
            f"unit {unit!r} of {cfg.org} gets no report: unknown, hidden in the organisation's report "
            f"(anonymity) or fewer than {min_respondents} respondents")
    return row.iloc[0]


def _plain(cfg: ReportConfig, unit: str) -> pd.DataFrame:
    """The unit's plain rows (index ``domain, item, measure``) and the organisation's beside them."""
    t = data._org_spread(cfg)
    units = t.index.get_level_values("unit")
    own = t[units == unit].droplevel("unit")
    org = t[units == ""].droplevel("unit")
    hidden = own["flag|"] == data.SUPPRESSED
    out = pd.DataFrame({
        "n": own["n|"].astype(float).where(~hidden), "value": own["value|"].astype(float).where(~hidden),
        "ci_low": own["ci_low|"].astype(float).where(~hidden),
        "ci_high": own["ci_high|"].astype(float).where(~hidden), "suppressed": hidden.to_numpy(bool)})
    org_hidden = org["flag|"] == data.SUPPRESSED
    out["org"] = org["value|"].astype(float).where(~org_hidden).reindex(out.index)
    bench = org["ref_value|benchmark"] if "ref_value|benchmark" in org.columns else pd.Series(np.nan, org.index)
    out["benchmark"] = bench.astype(float).reindex(out.index) if cfg.has_benchmark else np.nan
    out["org_diff"] = out["value"] - out["org"]
    out["benchmark_diff"] = out["value"] - out["benchmark"]
    return out


def unit_domains(cfg: ReportConfig, unit: str) -> pd.DataFrame:
    """Per scored domain: ``domain, label, n, value, suppressed`` (= the unit's rows of
    :func:`ikto_lib.report.data.units`), ``org``, ``benchmark`` and the differences."""
    u = data.units(cfg)
    u = u[(u["unit"] == unit) & (u["domain"] != "")].set_index("domain")
    p = _plain(cfg, unit).xs(("", "top2"), level=("item", "measure"))
    ids = cfg.instrument.scored_domain_ids
    out = u.reindex(ids)[["label", "n", "value", "suppressed"]]
    out["label"] = [cfg.domain_name(d) for d in ids]
    out["suppressed"] = out["suppressed"].astype("boolean").fillna(True).astype(bool)
    for c in ("org", "benchmark"):
        out[c] = p[c].reindex(ids)
    out["org_diff"] = out["value"] - out["org"]
    out["benchmark_diff"] = out["value"] - out["benchmark"]
    out.index.name = "domain"
    return out.reset_index()


def unit_overall(cfg: ReportConfig, unit: str) -> pd.DataFrame:
    p = _plain(cfg, unit).xs(("", ""), level=("domain", "item"))
    keep = [m for m in ("grade_mean", "grade_pass", "top2") if m in p.index]
    return p.reindex(keep).rename_axis("measure").reset_index()


def unit_items(cfg: ReportConfig, unit: str) -> pd.DataFrame:
    p = _plain(cfg, unit).xs("top2", level="measure")
    idx = pd.MultiIndex.from_tuples([(i.domain, i.id) for i in cfg.instrument.items], names=["domain", "item"])
    out = p.reindex(idx)
    out["suppressed"] = out["suppressed"].astype("boolean").fillna(True).astype(bool)
    out.insert(0, "label", [i.text[cfg.language] for i in cfg.instrument.items])
    return out.reset_index()


def _comparison_table(cfg: ReportConfig, frame: pd.DataFrame, first: str, first_col: str,
                      kinds: list[str], caption: str) -> str:
    lang = cfg.language
    kinds = kinds or ["pct"] * len(frame)
    cols = {first_col: frame[first].astype(str).tolist(),
            "n": [_n(n, cfg, s) for n, s in zip(frame["n"], frame["suppressed"])],
            _t("unit", lang): [_val(v, kd, lang, s) for v, s, kd in zip(frame["value"], frame["suppressed"], kinds)]}
    cols[_t("org", lang)] = [_val(v, kd, lang, pd.isna(v)) for v, kd in zip(frame["org"], kinds)]
    def diff(d, s, kd):
        if s or pd.isna(d):
            return fmt.DASH
        return fmt.pp(d, lang) if kd == "pct" else fmt.signed(d, lang)

    cols[_t("diff_org", lang)] = [diff(*x) for x in zip(frame["org_diff"], frame["suppressed"], kinds)]
    if cfg.has_benchmark:
        cols[_t("bench_col", lang)] = [_val(v, kd, lang, pd.isna(v)) for v, kd in zip(frame["benchmark"], kinds)]
        cols[_t("diff_bench", lang)] = [diff(*x) for x in zip(frame["benchmark_diff"], frame["suppressed"], kinds)]
    return html_table(pd.DataFrame(cols), caption=caption, language=lang, min_n=cfg.min_n,
                      notes=[_t("diff_note", lang)])


def cover(cfg: ReportConfig, unit: str, min_respondents: int, org_report: str = "") -> Section:
    """Unit, organisation, wave, respondents, a link back to the organisation's report, contents."""
    lang = cfg.language
    row = unit_config(cfg, unit, min_respondents)
    pairs = [(_t("respondents", lang), _n(row["respondents"], cfg)),
             (_t("org_respondents", lang), _n(cfg.organisation.get("respondents"), cfg))]
    back = (f'<p class="subtitle"><a href="{escape(org_report)}">{escape(_t("back", lang))}: '
            f'{escape(cfg.org_name)}</a></p>') if org_report else ""
    toc = "".join(f'<li><a href="#{s}">{escape(_t("s." + s, lang))}</a></li>'
                  for s in ("overall", "domains", "items", "methods"))
    html = ('<section class="ikto-section ikto-cover" data-section="cover">'
            f'<p class="kind">{escape(_t("kind", lang))}</p>'
            f'<h1 id="cover">{escape(unit)}</h1>'
            f'<p class="subtitle">{escape(_t("of", lang, org=cfg.org_name))} · {escape(cfg.instrument.name[lang])}'
            f' {escape(str(cfg.wave))}</p>{back}{key_value_table(pairs)}'
            f'<nav class="toc"><ol>{toc}</ol></nav></section>')
    return Section("cover", html)


def overall(cfg: ReportConfig, unit: str) -> Section:
    lang = cfg.language
    ov = unit_overall(cfg, unit)
    ov["name"] = [_t(m, lang) for m in ov["measure"]]
    kinds = ["num" if m == "grade_mean" else "pct" for m in ov["measure"]]
    table = _comparison_table(cfg, ov, "name", _t("measure", lang), kinds, _t("s.overall", lang))
    return section_of("overall", _t("s.overall", lang), [table])


def domains(cfg: ReportConfig, unit: str) -> Section:
    lang = cfg.language
    d = unit_domains(cfg, unit)
    rows = {_t("unit", lang): d["value"].where(~d["suppressed"]), _t("org", lang): d["org"]}
    if cfg.has_benchmark:
        rows[_t("bench", lang)] = d["benchmark"]
    vals = pd.DataFrame(rows).T.set_axis(d["label"].tolist(), axis=1)
    body = [heatmap_table(vals, vals.isna(), caption=_t("heat", lang), corner="",
                          scale_label=_t("heat_scale", lang), language=lang, min_n=cfg.min_n),
            _comparison_table(cfg, d, "label", _t("domain", lang), [], _t("s.domains", lang))]
    return section_of("domains", _t("s.domains", lang), body)


def items(cfg: ReportConfig, unit: str) -> Section:
    lang = cfg.language
    it = unit_items(cfg, unit)
    return section_of("items", _t("s.items", lang),
                      [_comparison_table(cfg, it, "label", _t("question", lang), [], _t("s.items", lang))])


def methods(cfg: ReportConfig, unit: str, min_respondents: int) -> Section:
    lang = cfg.language
    return section_of("methods", _t("s.methods", lang),
                      [_p(_t("method", lang, min_unit=min_respondents, min_n=cfg.min_n), "note")])


def links(cfg: ReportConfig, min_respondents: int) -> Section | None:
    """The list of the organisation's unit reports (``<org>/<slug>.html``, relative to the
    organisation report); ``None`` when none of its units has one or ``min_respondents`` is 0
    (the batch runs without ``--units``)."""
    lang = cfg.language
    if not min_respondents:
        return None
    u = unit_reports(cfg.data, min_respondents, orgs=[cfg.org])
    if u.empty:
        return None
    title = "Rapporten van onderdelen" if lang == "nl" else "Unit reports"
    items_ = "".join(f'<li><a href="{escape(f)}">{escape(x)}</a></li>' for x, f in zip(u["unit"], u["file"]))
    return section_of("unit-reports", title, [f'<ul class="unit-reports">{items_}</ul>'])
