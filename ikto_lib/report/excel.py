"""The report's tables for analysts: one raw table per section (for the Excel workbook).

Same content and the same anonymity as the HTML report: a suppressed figure is an empty cell
(NaN), never a number; counts below the threshold are never written. Values are raw numbers
(proportions 0-1), column headers in the report's language.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import data
from .config import ReportConfig, report_config
from .i18n import SECTION_IDS, t


#: Columns holding proportions (0-1): the workbook shows them with a percent format.
PERCENT_KEYS = frozenset({
    "value", "ci_low", "ci_high", "benchmark", "peers", "previous", "benchmark_diff", "peers_diff",
    "previous_diff", "share", "ref_share", "response_rate", "performance", "importance",
})


def _localise(frame: pd.DataFrame, names: dict[str, str], *, percent: bool = True) -> pd.DataFrame:
    """Keep and rename ``names``; record which columns are proportions in
    ``attrs["percent_columns"]`` (the batch's Excel writer formats them as percentages)."""
    keep = [c for c in names if c in frame.columns]
    out = frame[keep].rename(columns=names).reset_index(drop=True)
    out.attrs["percent_columns"] = [names[c] for c in keep if c in PERCENT_KEYS] if percent else []
    return out


def _hide_small(frame: pd.DataFrame, cols, min_n: int) -> pd.DataFrame:
    out = frame.copy()
    for c in cols:
        if c in out.columns:
            v = pd.to_numeric(out[c], errors="coerce")
            out[c] = v.where(v >= min_n)
    return out


def _comparison_names(cfg: ReportConfig) -> dict[str, str]:
    lang = cfg.language
    names = {}
    for c in data.shown_comparisons(cfg):
        head = t(f"col.{c}", lang, wave=cfg.previous_wave)
        names[c] = head
        names[f"{c}_diff"] = f"{head}: {t('col.diff', lang).lower()}"
        names[f"{c}_flag"] = f"{head}: {t('col.flag', lang).lower()}"
    return names


def section_tables(cfg: ReportConfig) -> dict[str, pd.DataFrame]:
    """One raw table per section id (see :data:`~ikto_lib.report.i18n.SECTION_IDS`)."""
    from .sections import summary_sentences, unit_matrix

    lang = cfg.language
    o = cfg.organisation
    est = {"n": t("col.n", lang), "value": t("col.value", lang), "ci_low": "ci_low", "ci_high": "ci_high"}
    comp = _comparison_names(cfg)
    out: dict[str, pd.DataFrame] = {}
    out["cover"] = pd.DataFrame({
        t("col.key", lang): ["org", "name", "wave", "previous_wave", "respondents", "headcount", "response_rate",
                             "margin_of_error", "weighted", "fingerprint", "ikto_version"],
        t("col.value", lang): [cfg.org, cfg.org_name, cfg.wave, cfg.previous_wave or "",
                               o.get("respondents"), o.get("headcount"), o.get("response_rate"),
                               o.get("margin_of_error"), bool(o.get("weighted", False)),
                               str(cfg.manifest.get("fingerprint", "")), str(cfg.manifest.get("ikto_version", ""))],
    })
    sent = summary_sentences(cfg)
    out["summary"] = pd.DataFrame({t("col.sentence", lang): [s for group in sent.values() for s in group]})
    ov = data.overall(cfg)
    ov["measure"] = ov["measure"].map(lambda m: t(f"measure.{m}", lang))
    # overall mixes grade means and proportions in one column: no percent format there
    out["overall"] = _localise(_hide_small(ov, ["n"], cfg.min_n), {"measure": t("col.measure", lang), **est, **comp},
                               percent=False)
    doms = data.domains(cfg).assign(item="", label_item=t("row.domain_total", lang))
    its = data.items(cfg).rename(columns={"label": "label_item"})
    its["label"] = its["domain"].map(cfg.domain_name)
    both = pd.concat([doms, its], ignore_index=True)
    order = {d: k for k, d in enumerate(cfg.instrument.domain_ids)}
    both = both.assign(_d=both["domain"].map(order), _i=(both["item"] != "").astype(int)).sort_values(
        ["_d", "_i"], kind="mergesort")
    out["domains"] = _localise(_hide_small(both, ["n"], cfg.min_n), {
        "label": t("col.domain", lang), "label_item": t("col.question", lang), **est,
        "mean": t("col.mean", lang), **comp})
    pr = data.priorities(cfg)
    out["priorities"] = _localise(pr, {"label": t("col.domain", lang), "quadrant": t("col.quadrant", lang),
                                       "performance": t("col.performance", lang),
                                       "importance": t("col.importance", lang), "r": t("col.r", lang)})
    if cfg.previous_available:
        d = data.domains(cfg)
        out["trend"] = _localise(d, {"label": t("col.domain", lang), "previous": t("col.previous", lang, wave=cfg.previous_wave),
                                     "value": t("col.current", lang, wave=cfg.wave),
                                     "previous_diff": t("col.change", lang), "previous_flag": t("col.flag", lang)})
    else:
        out["trend"] = pd.DataFrame({t("col.sentence", lang): [t("note.no_previous", lang)]})
    vals, sup = unit_matrix(cfg)
    out["units"] = vals.where(~sup).rename_axis(t("col.unit", lang)).reset_index()
    out["units"].attrs["percent_columns"] = [str(c) for c in vals.columns]
    rk = data.ranking(cfg)
    out["ranking"] = _localise(rk, {"label": t("col.domain", lang), "value": t("col.top2", lang), "rank": "rank",
                                    "n_orgs": "n_orgs", "quartile": t("col.quartile", lang),
                                    "peer_rank": "peer_rank", "peer_n_orgs": "peer_n_orgs"})
    sh = _hide_small(data.pluim_shares(cfg), ["n"], cfg.min_n)
    out["pluimen"] = _localise(sh, {"label": t("col.target", lang), "n": t("col.n", lang),
                                    "share": t("col.share", lang), "ref_share": t("col.benchmark", lang),
                                    "flag": t("col.flag", lang)})
    rs = _hide_small(data.response(cfg), ["respondents"], cfg.min_n)
    rs.loc[rs["respondents"].isna(), "response_rate"] = np.nan
    out["methods"] = _localise(rs, {"breakdown": t("col.breakdown", lang), "category": t("col.unit", lang),
                                    "headcount": t("col.headcount", lang), "respondents": t("col.respondents", lang),
                                    "response_rate": t("col.response_rate", lang),
                                    "low_response": t("col.low_response", lang)})
    from .sections import shown_sections

    shown = shown_sections(cfg)  # no sheet for a part the survey did not ask
    return {k: out[k] for k in SECTION_IDS if k in shown}


def excel_tables(prepared_dir, org: str, *, language: str = "nl") -> dict[str, pd.DataFrame]:
    """The report's tables of ``org`` as ``{section title: DataFrame}``, one per section, in report
    order, titles in ``language`` (the workbook writer makes valid sheet names of them,
    :func:`ikto_lib.batch.excel.sheet_names`).

    Same anonymity rules as the report: suppressed figures are empty cells.
    """
    cfg = report_config(org, prepared=prepared_dir, language=language)
    tables = section_tables(cfg)
    return {t(f"section.{k}", language): v for k, v in tables.items()}
