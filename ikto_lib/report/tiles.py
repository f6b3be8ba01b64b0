"""Key figures of the first page as tiles (issue 14, part 3): computed as a frame
(:func:`key_figures`, tested without HTML), then rendered (:func:`tiles_html`)."""

from __future__ import annotations

from html import escape

import pandas as pd

from . import data, fmt
from .config import ReportConfig
from .i18n import t

TOP_K = 3


def _row(frame: pd.DataFrame, measure: str):
    r = frame[frame["measure"] == measure]
    if r.empty or bool(r["suppressed"].iloc[0]) or pd.isna(r["value"].iloc[0]):
        return None
    return r.iloc[0]


def key_figures(cfg: ReportConfig) -> pd.DataFrame:
    """One row per tile: ``key, label, value, detail`` (texts in the report's language)."""
    lang, o = cfg.language, cfg.organisation
    ov = data.overall(cfg)
    rows = []
    grade = _row(ov, "grade_mean") if cfg.asks_grade else None
    if grade is not None:
        ref = f" · {t('comparison.benchmark', lang)} {fmt.num(grade['benchmark'], lang)}" \
            if cfg.has_benchmark and "benchmark" in ov and pd.notna(grade.get("benchmark")) else ""
        rows.append(("grade", t("tile.grade", lang), fmt.num(grade["value"], lang), ref.lstrip(" ·")))
    top2 = _row(ov, "top2")
    if top2 is not None:
        ref = f"{t('comparison.benchmark', lang)} {fmt.pct(top2['benchmark'], lang)}" \
            if cfg.has_benchmark and "benchmark" in ov and pd.notna(top2.get("benchmark")) else ""
        rows.append(("top2", t("tile.top2", lang), fmt.pct(top2["value"], lang), ref))
    moe = o.get("margin_of_error")
    rows.append(("response", t("tile.response", lang), fmt.pct(o.get("response_rate"), lang),
                 t("tile.margin", lang, value=fmt.num(float(moe) * 100, lang)) if pd.notna(moe) else ""))
    doms = data.domains(cfg)
    doms = doms[~doms["suppressed"].astype(bool)]
    for comp, ok in (("benchmark", cfg.has_benchmark), ("previous", cfg.previous_available)):
        col = f"{comp}_flag"
        if not ok or col not in doms:
            continue
        hi, lo = int((doms[col] == "higher").sum()), int((doms[col] == "lower").sum())
        label = t(f"tile.{comp}", lang, wave=cfg.previous_wave)
        rows.append((comp, label, t("tile.counts", lang, higher=hi, lower=lo),
                     t("tile.of_domains", lang, n=len(doms))))
    return pd.DataFrame(rows, columns=["key", "label", "value", "detail"])


def advice(cfg: ReportConfig) -> dict[str, list[str]]:
    """The (at most three) strengths and priorities by importance, as the summary names them."""
    if not cfg.has_priorities:
        return {}
    pr = data.priorities(cfg)
    out = {}
    for key, quadrant in (("strengths", "behouden"), ("priorities", "verbeteren")):
        q = pr[pr["quadrant"] == quadrant].sort_values("importance", ascending=False).head(TOP_K)
        out[key] = list(q["label"])
    return out


def tiles_html(cfg: ReportConfig) -> str:
    """The tiles and the strengths/priorities lists as HTML."""
    lang = cfg.language
    k = key_figures(cfg)
    tiles = "".join(
        f'<div class="tile tile-{escape(r.key)}"><div class="tile-label">{escape(r.label)}</div>'
        f'<div class="tile-value">{escape(r.value)}</div><div class="tile-detail">{escape(r.detail)}</div></div>'
        for r in k.itertuples())
    lists = ""
    for key, names in advice(cfg).items():
        items = "".join(f"<li>{escape(n)}</li>" for n in names) or f'<li class="none">{escape(t("none", lang))}</li>'
        lists += f'<div class="advice advice-{key}"><h3>{escape(t(f"tile.{key}", lang))}</h3><ol>{items}</ol></div>'
    return f'<div class="key-figures">{tiles}</div>' + (f'<div class="advice-lists">{lists}</div>' if lists else "")
