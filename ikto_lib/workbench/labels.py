"""What the analyst reads: the explorer's table and chart title in words, in the chosen language.

:func:`display_table` turns the tidy table of :meth:`Explorer.select` (code names such as
``ci_low``, ``ref_n``, ``p_adj``, measure ``top2``) into a table with headings in Dutch or English,
item and domain texts, categories in the instrument's order and numbers formatted as in the
reports (babel, :mod:`ikto_lib.report.fmt`); :func:`selection_title` names the selection
(organisation, units, target, measure) for the chart and the export.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import Instrument
from ..report import fmt
from ..report.i18n import t

WORDS: dict[str, dict[str, str]] = {
    "total": {"nl": "Totaal", "en": "Total"},
    "answer": {"nl": "Antwoord", "en": "Answer"},
    "group": {"nl": "Groep", "en": "Group"},
    "n": {"nl": "Aantal antwoorden", "en": "Answers"},
    "value.top2": {"nl": "Aandeel {measure}", "en": "Share {measure}"},
    "value.grade_top2": {"nl": "Aandeel voldoende (6 of hoger)", "en": "Share pass (6 or higher)"},
    "value.mean": {"nl": "Gemiddelde", "en": "Mean"},
    "value.distribution": {"nl": "Aandeel van de antwoorden", "en": "Share of answers"},
    "interval": {"nl": "{level}-betrouwbaarheidsinterval", "en": "{level} confidence interval"},
    "reference": {"nl": "Referentie: {name}", "en": "Reference: {name}"},
    "reference_n": {"nl": "Aantal antwoorden referentie", "en": "Answers in reference"},
    "diff.pp": {"nl": "Verschil (procentpunt)", "en": "Difference (percentage points)"},
    "diff": {"nl": "Verschil", "en": "Difference"},
    "p": {"nl": "p (Holm-gecorrigeerd)", "en": "p (Holm-adjusted)"},
    "result": {"nl": "Uitkomst", "en": "Result"},
    "small group": {"nl": "kleine groep (onder de drempel)", "en": "small group (below the threshold)"},
    "overall": {"nl": "Alle vragen", "en": "All questions"},
    "grade": {"nl": "Rapportcijfer", "en": "Grade"},
    "domain": {"nl": "Domein", "en": "Domain"},
    "units": {"nl": "eenheden", "en": "units"},
    "measure.top2": {"nl": "top-2 {measure}", "en": "top-2 {measure}"},
    "measure.mean": {"nl": "gemiddelde", "en": "mean"},
    "measure.distribution": {"nl": "verdeling", "en": "distribution"},
    "cmp.benchmark": {"nl": "benchmark (alle andere organisaties)", "en": "benchmark (all other organisations)"},
    "cmp.peers": {"nl": "vergelijkbare organisaties", "en": "similar organisations"},
    "cmp.previous": {"nl": "vorige meting", "en": "previous wave"},
    "cmp.rest": {"nl": "rest van de organisatie", "en": "rest of the organisation"},
    "cmp.unit": {"nl": "eenheid {unit}", "en": "unit {unit}"},
    "none": {"nl": "(geen)", "en": "(none)"},
    "no_figures": {"nl": "Geen cijfers: minder antwoorden dan de anonimiteitsdrempel",
                   "en": "No figures: fewer answers than the anonymity threshold"},
}


GENERIC_MEASURE = {"nl": "positief", "en": "positive"}


def measure_word(instrument: Instrument | None, language: str) -> str:
    """The instrument's name of its positive measure ('(zeer) tevreden', 'positief', ...), lower case."""
    name = instrument.measure_name(language) if instrument is not None else None
    return (name or GENERIC_MEASURE[language]).lower()


def w(key: str, language: str, **fill) -> str:
    """A workbench word in ``language`` (``nl`` / ``en``); ``{measure}`` is the generic measure
    name unless ``measure=`` (see :func:`measure_word`) is given."""
    fill.setdefault("measure", GENERIC_MEASURE[language])
    return WORDS[key][language].format(**fill)


def target_label(instrument: Instrument, target: str, language: str) -> str:
    """``overall``, ``grade``, a domain id or an item id in words."""
    if target in ("overall", "grade"):
        return w(target, language)
    if target in instrument.domain_ids:
        return f"{w('domain', language)} {instrument.domain_name(target, language)}"
    try:
        return instrument.item(target).text[language]
    except KeyError:
        return target


def comparison_label(comparison: str, language: str) -> str:
    if not comparison:
        return ""
    if comparison.startswith("unit:"):
        return w("cmp.unit", language, unit=comparison[5:])
    return w(f"cmp.{comparison}", language)


def selection_title(table: pd.DataFrame, instrument: Instrument, org_name: str, language: str) -> str:
    """'Ministerie X (MINX), units A, B – ICT – top-2 (very) satisfied' for the table's selection."""
    if not len(table):
        return ""
    row = table.iloc[0]
    who = f"{org_name} ({row['org']})" if org_name and org_name != row["org"] else str(row["org"])
    if row["units"]:
        who += f", {w('units', language)} {row['units']}"
    return f"{who} – {target_label(instrument, row['target'], language)} – {w('measure.' + row['measure'], language, measure=measure_word(instrument, language))}"


def _category_order(instrument: Instrument, breakdown: str, categories: pd.Series) -> pd.Series:
    """Sort key: total first, then the instrument's order of the breakdown's categories."""
    order = next((b.categories for b in instrument.background if b.id == breakdown), [])
    rank = {c: i + 1 for i, c in enumerate(order)}
    return categories.map(lambda c: 0 if c == "" else rank.get(c, len(rank) + 1))


def ordered(table: pd.DataFrame, instrument: Instrument) -> pd.DataFrame:
    """Rows in reading order: total first, categories as the instrument lists them, codes in
    numeric order (the tidy table sorts categories as text: ``35-44, 45-54, 55+, <35``)."""
    if not len(table):
        return table
    breakdown = table["breakdown"].iat[0]
    key = pd.DataFrame({"cat": _category_order(instrument, breakdown, table["category"]).to_numpy(),
                        "code": pd.to_numeric(table["code"], errors="coerce").fillna(0).to_numpy()})
    return table.iloc[np.lexsort((key["code"].to_numpy(), key["cat"].to_numpy()))].reset_index(drop=True)


def code_label(instrument: Instrument, target: str, code: str, language: str) -> str:
    """A distribution code in words: the scale label (``4`` -> 'Satisfied'); grades stay numbers."""
    if target == "grade":
        return str(code)
    labels = instrument.scale.labels[language]
    k = int(code) - instrument.scale.min
    return labels[k] if 0 <= k < len(labels) else str(code)


def value_heading(measure: str, target: str, language: str, instrument: Instrument | None = None) -> str:
    """Heading of the value column (and the chart's axis), in the instrument's words."""
    if measure == "top2" and target == "grade":
        return w("value.grade_top2", language)
    return w(f"value.{measure}", language, measure=measure_word(instrument, language))


def display_table(table: pd.DataFrame, instrument: Instrument, language: str, *,
                  confidence: float) -> pd.DataFrame:
    """The tidy table as the analyst reads it (strings, headings in ``language``).

    Columns: the breakdown's name (or 'Group'), 'Answer' (distribution only), answers, the
    value, its interval, the reference and its answers, the difference, p and the result.
    Suppressed figures show a dash; shares are percentages ('62,0%'), means two decimals,
    differences of shares in percentage points, counts with thousands separators.
    """
    if not len(table):
        return pd.DataFrame()
    t_ = ordered(table, instrument)
    lang = language
    row = t_.iloc[0]
    measure, target, breakdown = row["measure"], row["target"], row["breakdown"]
    share = measure in ("top2", "distribution")

    def number(x):
        if pd.isna(x):
            return fmt.DASH
        return fmt.pct(x, lang) if share else fmt.num(x, lang, decimals=2)

    bname = next((b.name[lang] for b in instrument.background if b.id == breakdown), w("group", lang))
    out = pd.DataFrame({bname: np.where(t_["category"] == "", w("total", lang), t_["category"])})
    if measure == "distribution":
        out[w("answer", lang)] = [code_label(instrument, target, c, lang) for c in t_["code"]]
    out[w("n", lang)] = [fmt.DASH if pd.isna(x) else fmt.integer(x, lang) for x in t_["n"]]
    out[value_heading(measure, target, lang, instrument)] = [number(x) for x in t_["value"]]
    level = fmt.pct(confidence, lang, decimals=0)
    out[w("interval", lang, level=level)] = [
        fmt.DASH if pd.isna(lo) or pd.isna(hi) else f"{number(lo)} – {number(hi)}"
        for lo, hi in zip(t_["ci_low"], t_["ci_high"])]
    if row["comparison"]:
        name = comparison_label(row["comparison"], lang)
        out[w("reference", lang, name=name)] = [number(x) for x in t_["ref_value"]]
        out[w("reference_n", lang)] = [fmt.DASH if pd.isna(x) else fmt.integer(x, lang) for x in t_["ref_n"]]
        if share:
            out[w("diff.pp", lang)] = [fmt.DASH if pd.isna(x) else fmt.pp(x, lang) for x in t_["diff"]]
        else:
            out[w("diff", lang)] = [fmt.DASH if pd.isna(x) else fmt.signed(x, lang, decimals=2) for x in t_["diff"]]
        out[w("p", lang)] = [fmt.DASH if pd.isna(x) else fmt.num(x, lang, decimals=3) for x in t_["p_adj"]]
    out[w("result", lang)] = [flag_label(f, lang) for f in t_["flag"]]
    return out


def flag_label(value: str, language: str) -> str:
    """A flag in words, as in the reports ('hoger', 'te weinig antwoorden')."""
    if not value:
        return ""
    if value == "small group":
        return w("small group", language)
    return t(f"flag.{value}", language)


def export_frame(table: pd.DataFrame, instrument: Instrument, language: str, *,
                 confidence: float) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table for Excel / CSV: headings as :func:`display_table`, numbers kept as numbers
    (shares as fractions with a percentage format), and the Excel number format per column."""
    if not len(table):
        return pd.DataFrame(), {}
    t_ = ordered(table, instrument)
    lang = language
    row = t_.iloc[0]
    measure, target, breakdown = row["measure"], row["target"], row["breakdown"]
    share = measure in ("top2", "distribution")
    value_fmt = "0.0%" if share else "0.00"
    bname = next((b.name[lang] for b in instrument.background if b.id == breakdown), w("group", lang))
    out = pd.DataFrame({bname: np.where(t_["category"] == "", w("total", lang), t_["category"])})
    if measure == "distribution":
        out[w("answer", lang)] = [code_label(instrument, target, c, lang) for c in t_["code"]]
    formats = {w("n", lang): "#,##0"}
    out[w("n", lang)] = t_["n"].astype(float)
    value = value_heading(measure, target, lang, instrument)
    out[value] = t_["value"].astype(float)
    level = fmt.pct(confidence, lang, decimals=0)
    low, high = f"{w('interval', lang, level=level)}: {_LOW[lang]}", f"{w('interval', lang, level=level)}: {_HIGH[lang]}"
    out[low], out[high] = t_["ci_low"].astype(float), t_["ci_high"].astype(float)
    formats.update({value: value_fmt, low: value_fmt, high: value_fmt})
    if row["comparison"]:
        ref = w("reference", lang, name=comparison_label(row["comparison"], lang))
        diff = w("diff", lang)
        out[ref] = t_["ref_value"].astype(float)
        out[w("reference_n", lang)] = t_["ref_n"].astype(float)
        out[diff] = t_["diff"].astype(float)
        out[w("p", lang)] = t_["p_adj"].astype(float)
        formats.update({ref: value_fmt, w("reference_n", lang): "#,##0", w("p", lang): "0.000",
                        diff: "+0.0%;-0.0%;0.0%" if share else "+0.00;-0.00;0.00"})
    out[w("result", lang)] = [flag_label(f, lang) for f in t_["flag"]]
    return out, formats


_LOW = {"nl": "ondergrens", "en": "lower bound"}
_HIGH = {"nl": "bovengrens", "en": "upper bound"}
