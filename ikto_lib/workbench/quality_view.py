"""The data-quality notebook's display: headings and column names in words, numbers as in the
reports (babel), the grade chart as an image (never a ``<Figure ...>`` repr, whatever the
matplotlib backend)."""

from __future__ import annotations

import html
import io

import pandas as pd
from IPython.display import HTML, Image, display
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

SHARE_WORDS = ("rate", "share", "pct")

TITLES = {
    "response_by_org": {"nl": "Respons per organisatie tegen de personeelsomvang",
                        "en": "Response per organisation vs headcount"},
    "response_by_unit": {"nl": "Respons per eenheid (onderdrukt onder de anonimiteitsdrempel)",
                         "en": "Response per unit vs headcount (suppressed below the anonymity threshold)"},
    "nonresponse_by_item": {"nl": "N.v.t. en overgeslagen per vraag", "en": "n.v.t. and skipped per item"},
    "nonresponse_by_domain": {"nl": "N.v.t. en overgeslagen per domein", "en": "n.v.t. and skipped per domain"},
    "flag_summary": {"nl": "Straight-lining, (bijna) lege en dubbele antwoorden in de hele meting",
                     "en": "Straight-lining, (almost) empty and duplicate answers in the whole wave"},
    "quality_by_org": {"nl": "Straight-lining, (bijna) lege en dubbele antwoorden per organisatie",
                       "en": "Straight-lining, (almost) empty and duplicate answers per organisation"},
    "suspicious_rows": {"nl": "Respondenten met een kwaliteitsvlag (geen groepen onder de drempel)",
                        "en": "Respondents with a data-quality flag (no groups below the threshold)"},
    "grade_distribution": {"nl": "Verdeling van het rapportcijfer", "en": "Distribution of the grade"},
    "representativeness": {"nl": "Representativiteit (chi-kwadraat van respondenten tegen personeelsomvang)",
                           "en": "Representativeness (chi-square of respondents against headcount)"},
}
COLUMNS = {
    "org": ("Organisatie", "Organisation"), "name": ("Naam", "Name"), "type": ("Type", "Type"),
    "unit": ("Eenheid", "Unit"), "respondents": ("Respondenten", "Respondents"),
    "headcount": ("Personeelsomvang", "Headcount"), "response_rate": ("Respons", "Response rate"),
    "flag": ("Opmerking", "Note"), "item": ("Vraag", "Item"), "domain": ("Domein", "Domain"),
    "answered": ("Beantwoord", "Answered"), "nvt": ("N.v.t.", "n.v.t."), "skipped": ("Overgeslagen", "Skipped"),
    "nvt_share": ("Aandeel n.v.t.", "n.v.t. share"), "skip_share": ("Aandeel overgeslagen", "Skipped share"),
    "skipped_domain_share": ("Hele domein overgeslagen", "Whole domain skipped"),
    "almost_empty": ("(Bijna) leeg", "(Almost) empty"), "straight_lining": ("Straight-lining", "Straight-lining"),
    "duplicate": ("Dubbel", "Duplicate"), "almost_empty_share": ("Aandeel (bijna) leeg", "(Almost) empty share"),
    "straight_lining_share": ("Aandeel straight-lining", "Straight-lining share"),
    "duplicate_share": ("Aandeel dubbel", "Duplicate share"), "any": ("Een of meer", "Any"),
    "grade": ("Cijfer", "Grade"), "n": ("Aantal", "Count"), "share": ("Aandeel", "Share"),
    "breakdown": ("Uitsplitsing", "Breakdown"), "chi2": ("Chi-kwadraat", "Chi-square"),
    "dof": ("Vrijheidsgraden", "Degrees of freedom"), "p": ("p", "p"),
    "n_categories": ("Categorieën", "Categories"), "respondent_id": ("Respondent", "Respondent"),
    "valid": ("Op de schaal", "On the scale"), "answered_share": ("Aandeel beantwoord", "Answered share"),
    "straight_domains": ("Domeinen gelijk beantwoord", "Domains answered alike"),
}
ROWS = {"n": {"nl": "rijen", "en": "rows"}, "first": {"nl": "eerste {k} getoond", "en": "first {k} shown"}}


def readable(frame: pd.DataFrame, language: str = "en") -> pd.DataFrame:
    """Display strings (babel, through :mod:`ikto_lib.report.fmt`): shares and rates as
    percentages, columns of whole numbers as counts, other numbers with three decimals; missing as
    a dash."""
    from ..report import fmt

    out = frame.copy()
    for col in out.columns:
        v = out[col]
        if pd.api.types.is_bool_dtype(v):
            out[col] = v.map({True: "✓", False: ""})
            continue
        if not pd.api.types.is_numeric_dtype(v):
            continue
        x = pd.to_numeric(v, errors="coerce").astype(float)
        if any(word in str(col).lower() for word in SHARE_WORDS):
            out[col] = [fmt.DASH if pd.isna(a) else fmt.pct(a, language) for a in x]
        elif x.dropna().mod(1).eq(0).all():
            out[col] = [fmt.DASH if pd.isna(a) else fmt.integer(a, language) for a in x]
        else:
            out[col] = [fmt.DASH if pd.isna(a) else fmt.num(a, language, decimals=3) for a in x]
    return out


NOTES = {"suppressed": {"nl": "onderdrukt (minder dan de drempel)", "en": "suppressed (below the threshold)"}}


def _names(frame: pd.DataFrame, instrument, language: str) -> pd.DataFrame:
    """Item and domain ids as their texts (the ids stay in the data, not on screen)."""
    if instrument is None:
        return frame
    out = frame.copy()
    if "item" in out.columns:
        texts = {i.id: i.text[language] for i in instrument.items}
        out["item"] = out["item"].map(lambda i: texts.get(i, i))
    if "domain" in out.columns:
        names = {d.id: d.name[language] for d in instrument.domains}
        out["domain"] = out["domain"].map(lambda d: names.get(d, d))
    return out


def _words(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    k = 0 if language == "nl" else 1
    if "flag" in frame.columns:
        frame = frame.assign(flag=frame["flag"].map(lambda f: NOTES[f][language] if f in NOTES else f))
    if "flag" in frame.columns:  # flag names (flag_summary) in words; "suppressed" notes stay
        frame = frame.assign(flag=frame["flag"].map(lambda f: COLUMNS[f][k] if f in COLUMNS else f))
    return frame.rename(columns={c: COLUMNS[c][k] for c in frame.columns if c in COLUMNS})


def grade_chart(frame: pd.DataFrame, language: str) -> bytes:
    """PNG of the grade distribution (a bar per grade; ``missing`` left out)."""
    fig = Figure(figsize=(6, 2.5), dpi=90)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.12, 0.2, 0.85, 0.7))
    g = frame[frame["grade"] != "missing"]
    ax.bar(g["grade"].astype(str), g["n"].astype(float), color="#3a6ea5")
    k = 0 if language == "nl" else 1
    ax.set_xlabel(COLUMNS["grade"][k])
    ax.set_ylabel(COLUMNS["respondents"][k])
    ax.spines[["top", "right"]].set_visible(False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def quality_report(tables: dict[str, pd.DataFrame], *, max_rows: int = 40, language: str = "nl",
                   instrument=None) -> None:
    """Display the data-quality tables (:func:`ikto_lib.quality.quality_tables`) with headings and
    a grade chart (for ``notebooks/data_quality.ipynb``); with ``instrument``, items and domains
    by their texts."""
    for name, frame in tables.items():
        title = TITLES.get(name, {}).get(language, name)
        rows = f"{len(frame)} {ROWS['n'][language]}"
        if len(frame) > max_rows:
            rows += "; " + ROWS["first"][language].format(k=max_rows)
        display(HTML(f"<h3>{html.escape(title)}</h3><p>{rows}</p>"))
        shown = _words(readable(_names(frame.head(max_rows), instrument, language), language), language)
        display(HTML(shown.to_html(index=False, na_rep="–", border=0, classes="ikto-table")))
        if name == "grade_distribution":
            display(Image(data=grade_chart(frame, language), format="png"))
