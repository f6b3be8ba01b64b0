"""The report's tables for analysts: one table per section (for the Excel workbook).

Same content, language and anonymity as the HTML report. Every table says how the workbook shows
its columns (``frame.attrs``, read by :func:`ikto_lib.batch.excel.workbook_bytes`):

* ``number_formats`` heading -> Excel number format: shares ``0.0%`` (stored as 0.829),
  percentage points and means ``0.0`` (stored as 5.1 and 3.91), counts ``0``;
* ``percent_columns`` the share columns (for :func:`ikto_lib.publish.for_publication`);
* ``suppressed`` ``[row, heading]`` pairs of figures not shown for anonymity: the workbook writes
  the report's dash there, and the note of ``notes`` below the table;
* ``notes`` lines written below the table.

Headings are the report's (no raw keys), verdicts translated, columns without any value dropped.
A suppressed figure is NaN in the frame, never a number; counts below the threshold are never
written. The first sheet, "Lees mij" / "Read me", holds the definitions and the settings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import data
from .config import ReportConfig, report_config
from .fmt import DASH
from .i18n import SECTION_IDS, t

#: Excel number format per kind of column.
FORMATS = {"pct": "0.0%", "pp": "0.0", "num": "0.0", "num2": "0.00", "int": "0"}
#: Kinds holding figures (a suppressed row shows the dash in these).
FIGURES = frozenset(FORMATS)


def _conf(cfg: ReportConfig) -> str:
    from .sections import _conf as conf

    return conf(cfg)


def build(frame: pd.DataFrame, specs: list[tuple[str, str, str]], cfg: ReportConfig, *,
          suppressed=None, notes=()) -> pd.DataFrame:
    """The sheet of ``frame``: ``specs`` ``(key, heading, kind)`` in order; kinds ``text``, ``pct``
    (share 0-1), ``pp`` (difference of shares, written in points), ``num`` / ``num2`` (means),
    ``int``, ``flag`` (translated verdict), ``bool`` (ja/nee). ``suppressed``: a boolean per row.
    Columns without any value are left out (except the first)."""
    lang = cfg.language
    frame = frame.reset_index(drop=True)
    out, formats = {}, {}
    for k, (key, head, kind) in enumerate(specs):
        if key not in frame.columns:
            continue
        s = frame[key]
        if kind == "pp":
            s = (pd.to_numeric(s, errors="coerce") * 100).round(max(int(cfg.settings.get("share_decimals", 3)) - 2, 0))
        elif kind in FIGURES:
            s = pd.to_numeric(s, errors="coerce").astype(float)
        elif kind == "flag":
            s = s.map(lambda v: t(f"flag.{v}", lang) if isinstance(v, str) and v and v != data.SUPPRESSED
                      else None)
        elif kind == "bool":
            s = s.map(lambda v: None if pd.isna(v) else t("yes" if bool(v) else "no", lang))
        empty = s.isna() | s.astype(str).str.strip().eq("")
        if k and empty.all():
            continue  # no empty columns (e.g. a verdict nobody tested)
        out[head] = s.to_numpy()
        if kind in FORMATS:
            formats[head] = FORMATS[kind]
    result = pd.DataFrame(out)
    sup = np.zeros(len(result), bool) if suppressed is None else np.asarray(suppressed, bool)
    cells = [[int(i), h] for h, f in formats.items() for i in np.flatnonzero(sup & result[h].isna().to_numpy())]
    result.attrs.update(
        number_formats=formats, suppressed=cells,
        percent_columns=[h for h, f in formats.items() if f == FORMATS["pct"]],
        notes=([t("note.suppressed", lang, min_n=cfg.min_n)] if cells else []) + list(notes))
    return result


def _hide_small(frame: pd.DataFrame, cols, min_n: int) -> pd.DataFrame:
    out = frame.copy()
    for c in cols:
        if c in out.columns:
            v = pd.to_numeric(out[c], errors="coerce")
            out[c] = v.where(v >= min_n)
    return out


def _estimate(cfg: ReportConfig, kind: str = "pct") -> list[tuple[str, str, str]]:
    lang, conf = cfg.language, _conf(cfg)
    return [("n", t("col.n", lang), "int"), ("value", t("col.value", lang), kind),
            ("ci_low", t("xl.ci_low", lang, confidence=conf), kind),
            ("ci_high", t("xl.ci_high", lang, confidence=conf), kind)]


def _comparisons(cfg: ReportConfig, value_kind: str = "pct", diff_key: str = "xl.diff_pp"):
    lang, out = cfg.language, []
    for c in data.shown_comparisons(cfg):
        head = t(f"col.{c}", lang, wave=cfg.previous_wave)
        out += [(c, head, value_kind), (f"{c}_diff", t(diff_key, lang, head=head), "pp" if value_kind == "pct"
                                        else "num2"),
                (f"{c}_flag", t("xl.flag", lang, head=head), "flag")]
    return out


def readme(cfg: ReportConfig) -> pd.DataFrame:
    """The "Lees mij" sheet: what the workbook is, its settings and its definitions."""
    lang, s, m = cfg.language, cfg.settings, cfg.manifest
    conf = _conf(cfg)
    rows = [
        (t("xl.org", lang), cfg.org_name), (t("xl.code", lang), cfg.org),
        (t("xl.wave", lang), cfg.wave), (t("xl.previous_wave", lang), cfg.previous_wave or DASH),
        (t("xl.language", lang), t("xl.language_value", lang)),
        (t("xl.weighting", lang), t("xl.weighted" if s.get("weighting") else "xl.unweighted", lang)),
        (t("xl.threshold", lang), t("xl.threshold_value", lang, min_n=cfg.min_n)),
        (t("xl.confidence", lang), conf),
        (t("xl.fingerprint", lang), str(m.get("fingerprint", ""))),
        (t("xl.version", lang), str(m.get("ikto_version", ""))),
        (t("xl.created", lang), str(m.get("created", ""))[:16]),
        ("", ""), (t("xl.definitions", lang), t("xl.sheets", lang)),
    ]
    if cfg.instrument.measure is not None:
        from . import fmt

        sc = cfg.instrument.scale  # the report's own wording of the positive answers
        box = [f"‘{sc.labels[lang][c - sc.min].lower()}’" for c in sorted(sc.top2)]
        rows.append((t("col.top2", lang), t("note.top2", lang, codes=fmt.listing(box, lang, style="or"))))
    defs = [("col.benchmark", "xl.def.benchmark"), ("col.peers", "xl.def.peers"), ("col.diff_pp", "xl.def.pp"),
            ("col.flag", "note.flags"), ("col.interval", "xl.def.interval"), ("col.rank", "xl.def.rank")]
    for head, key in defs:
        rows.append((t(head, lang, confidence=conf),
                     t(key, lang, confidence=conf, min_pp=int(round(100 * s.get("min_diff_top2", 0.05))))))
    rows.append((DASH, t("note.suppressed", lang, min_n=cfg.min_n)))
    frame = pd.DataFrame(rows, columns=[t("xl.topic", lang), t("xl.explanation", lang)])
    frame.attrs.update(number_formats={}, percent_columns=[], suppressed=[], notes=[])
    return frame


def section_tables(cfg: ReportConfig) -> dict[str, pd.DataFrame]:
    """One table per section id (see :data:`~ikto_lib.report.i18n.SECTION_IDS`) plus ``readme``."""
    from .sections import shown_sections, summary_sentences, unit_matrix

    lang = cfg.language
    o = cfg.organisation
    out: dict[str, pd.DataFrame] = {"readme": readme(cfg)}
    cover = pd.DataFrame([{
        "name": cfg.org_name, "org": cfg.org, "respondents": o.get("respondents"),
        "headcount": o.get("headcount"), "response_rate": o.get("response_rate"),
        "margin": o.get("margin_of_error")}])
    out["cover"] = build(cover, [
        ("name", t("xl.org", lang), "text"), ("org", t("xl.code", lang), "text"),
        ("respondents", t("col.respondents", lang), "int"), ("headcount", t("col.headcount", lang), "int"),
        ("response_rate", t("col.response_rate", lang), "pct"),
        ("margin", t("cover.margin", lang, confidence=_conf(cfg)) + t("xl.pp_suffix", lang), "pp")], cfg)
    sent = summary_sentences(cfg)
    out["summary"] = pd.DataFrame({t("col.sentence", lang): [s for group in sent.values() for s in group]})
    out["summary"].attrs.update(number_formats={}, percent_columns=[], suppressed=[], notes=[])
    ov = _hide_small(data.overall(cfg), ["n"], cfg.min_n)
    is_mean = ov["measure"].eq("grade_mean").to_numpy()
    ov["measure"] = ov["measure"].map(lambda m: t(f"measure.{m}", lang))
    # one sheet row per measure: the grade mean in its own columns (0.0), shares in % columns
    for c in ["value", "ci_low", "ci_high"] + [x for c in data.shown_comparisons(cfg) for x in (c, f"{c}_diff")]:
        if c in ov.columns:
            ov[f"{c}__mean"] = ov[c].where(is_mean)
            ov[c] = ov[c].where(~is_mean)
    specs = [("measure", t("col.measure", lang), "text"), *_estimate(cfg)]
    specs += [(f"{k}__mean", f"{h} ({t('xl.grade', lang)})", "num")
              for k, h, _ in _estimate(cfg)[1:]]
    for c in data.shown_comparisons(cfg):
        head = t(f"col.{c}", lang, wave=cfg.previous_wave)
        specs += [(c, head, "pct"), (f"{c}__mean", f"{head} ({t('xl.grade', lang)})", "num"),
                  (f"{c}_diff", t("xl.diff_pp", lang, head=head), "pp"),
                  (f"{c}_diff__mean", f"{head}: {t('col.diff', lang).lower()} "
                                      f"({t('xl.grade', lang)})", "num2"),
                  (f"{c}_flag", t("xl.flag", lang, head=head), "flag")]
    out["overall"] = build(ov, specs, cfg, suppressed=ov["suppressed"])
    doms = data.domains(cfg).assign(item="", label_item=t("row.domain_total", lang))
    its = data.items(cfg).rename(columns={"label": "label_item"})
    its["label"] = its["domain"].map(cfg.domain_name)
    both = pd.concat([doms, its], ignore_index=True)
    order = {d: k for k, d in enumerate(cfg.instrument.domain_ids)}
    both = both.assign(_d=both["domain"].map(order), _i=(both["item"] != "").astype(int)).sort_values(
        ["_d", "_i"], kind="mergesort")
    both = _hide_small(both, ["n"], cfg.min_n)
    out["domains"] = build(both, [("label", t("col.domain", lang), "text"),
                                  ("label_item", t("col.question", lang), "text"), *_estimate(cfg),
                                  ("mean", t("col.mean", lang), "num2"), *_comparisons(cfg)],
                           cfg, suppressed=both["suppressed"])
    pr = data.priorities(cfg)
    pr["quadrant"] = pr["quadrant"].map(lambda q: t(f"quadrant.{q}", lang) if isinstance(q, str) and q else None)
    out["priorities"] = build(pr, [("label", t("col.domain", lang), "text"),
                                   ("quadrant", t("col.quadrant", lang), "text"),
                                   ("performance", t("col.performance", lang), "pp"),
                                   ("importance", t("col.importance", lang), "pct"),
                                   ("r", t("col.r", lang), "num2"), ("flag", t("col.flag", lang), "flag")], cfg)
    if cfg.previous_available:
        d = data.domains(cfg)
        out["trend"] = build(d, [("label", t("col.domain", lang), "text"),
                                 ("previous", t("col.previous", lang, wave=cfg.previous_wave), "pct"),
                                 ("value", t("col.current", lang, wave=cfg.wave), "pct"),
                                 ("previous_diff", t("col.change_pp", lang), "pp"),
                                 ("previous_flag", t("col.flag", lang), "flag")], cfg, suppressed=d["suppressed"])
    else:
        out["trend"] = pd.DataFrame({t("col.sentence", lang): [t("note.no_previous", lang)]})
    vals, sup = unit_matrix(cfg)
    units = vals.where(~sup).rename_axis(t("col.unit", lang)).reset_index()
    units.columns = [str(c) for c in units.columns]
    units.attrs.update(number_formats={str(c): FORMATS["pct"] for c in vals.columns},
                       percent_columns=[str(c) for c in vals.columns],
                       suppressed=[[int(i), str(c)] for j, c in enumerate(vals.columns)
                                   for i in np.flatnonzero(sup.to_numpy()[:, j])],
                       notes=[t("note.suppressed", lang, min_n=cfg.min_n)] if sup.to_numpy().any() else [])
    out["units"] = units
    rk = data.ranking(cfg)
    rk["quartile"] = rk["quartile"].map(lambda q: t(f"quartile.{int(q)}", lang) if pd.notna(q) else None)
    out["ranking"] = build(rk, [("label", t("col.domain", lang), "text"), ("value", t("col.top2", lang), "pct"),
                                ("rank", t("col.rank", lang), "int"), ("n_orgs", t("xl.n_orgs", lang), "int"),
                                ("quartile", t("col.quartile", lang), "text"),
                                ("peer_rank", t("col.peer_rank", lang), "int"),
                                ("peer_n_orgs", t("xl.peer_n_orgs", lang), "int")], cfg,
                           notes=[t("xl.def.rank", lang)])
    sh = _hide_small(data.pluim_shares(cfg), ["n"], cfg.min_n)
    out["pluimen"] = build(sh, [("label", t("col.target", lang), "text"), ("n", t("col.n", lang), "int"),
                                ("share", t("col.share", lang), "pct"),
                                ("ref_share", t("col.benchmark", lang), "pct"), ("flag", t("col.flag", lang), "flag")],
                           cfg, suppressed=sh["suppressed"])
    rs = _hide_small(data.response(cfg), ["respondents"], cfg.min_n)
    rs.loc[rs["respondents"].isna(), "response_rate"] = np.nan
    rs["breakdown"] = rs["breakdown"].map(lambda b: t(f"breakdown.{b}", lang) if f"breakdown.{b}" in _keys()
                                          else b)
    out["methods"] = build(rs, [("breakdown", t("col.breakdown", lang), "text"),
                                ("category", t("col.unit", lang), "text"),
                                ("headcount", t("col.headcount", lang), "int"),
                                ("respondents", t("col.respondents", lang), "int"),
                                ("response_rate", t("col.response_rate", lang), "pct"),
                                ("low_response", t("col.low_response", lang), "bool")],
                           cfg, suppressed=rs["suppressed"])
    shown = shown_sections(cfg)  # no sheet for a part the survey did not ask
    return {k: out[k] for k in ("readme", *SECTION_IDS) if k == "readme" or k in shown}


def _keys():
    from .i18n import STRINGS

    return STRINGS


def sheet_title(section: str, language: str) -> str:
    """The sheet's title: its short name (``sheet.<id>``) where the section title is too long."""
    key = f"sheet.{section}" if f"sheet.{section}" in _keys() else f"section.{section}"
    return t(key, language)


def excel_tables(prepared_dir, org: str, *, language: str = "nl") -> dict[str, pd.DataFrame]:
    """The report's tables of ``org`` as ``{sheet title: DataFrame}``: "Lees mij" first, then one
    per section in report order, titles in ``language`` (the workbook writer keeps them within
    Excel's 31 characters, :func:`ikto_lib.batch.excel.sheet_names`).

    Same anonymity rules as the report: suppressed figures are empty cells (the writer shows the
    dash and a note).
    """
    cfg = report_config(org, prepared=prepared_dir, language=language)
    tables = section_tables(cfg)
    return {sheet_title(k, language): v for k, v in tables.items()}
