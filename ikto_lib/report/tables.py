"""DataFrames of display strings -> accessible HTML tables.

Real tables: a ``<caption>``, ``<thead>`` with ``<th scope="col">``, the first column as row headers
(``<th scope="row">``), numeric columns right-aligned. A suppressed cell holds :data:`DASH`;
whenever one does, a footnote row in ``<tfoot>`` explains it. All text is HTML-escaped.

>>> df = pd.DataFrame({"Domein": ["ICT", "HR"], "Top-2": ["71,2%", DASH]})
>>> html = html_table(df, caption="Voorbeeld", language="nl", min_n=10)
>>> "<th scope=\\"col\\" class=\\"num\\">Top-2</th>" in html, "<th scope=\\"row\\">ICT</th>" in html, "<tfoot>" in html
(True, True, True)
"""

from __future__ import annotations

import re
from html import escape

import numpy as np
import pandas as pd

from .fmt import DASH
from .i18n import t


def html_table(
    frame: pd.DataFrame,
    *,
    caption: str | None = None,
    language: str,
    min_n: int,
    numeric: list[str] | None = None,
    classes: pd.DataFrame | None = None,
    styles: pd.DataFrame | None = None,
    notes: list[str] | tuple[str, ...] = (),
    row_headers: bool = True,
    css_class: str = "ikto-table",
) -> str:
    """One HTML table.

    Parameters
    ----------
    frame : display strings (already formatted); :data:`DASH` marks a suppressed cell.
    caption : the table's caption (its title).
    language, min_n : for the suppression footnote.
    numeric : columns to right-align (default: the columns whose cells are all numbers, percentages,
        intervals or ranks).
    classes : optional frame of the same shape with extra CSS classes per cell, matched by position
        (e.g. flag colours).
    styles : optional frame of the same shape with an inline CSS declaration per cell (e.g. the
        colours of a heatmap), matched by position.
    notes : further footnotes, each one line of ``<tfoot>``.
    row_headers : render the first column as ``<th scope="row">``.
    """
    cols = list(frame.columns)
    if numeric is None:
        numeric = [c for j, c in enumerate(cols) if j > 0 and _numeric_column(frame.iloc[:, j])]
    numeric = set(numeric)
    out = [f'<table class="{escape(css_class)}">']
    if caption:
        out.append(f"<caption>{escape(caption)}</caption>")
    out.append("<thead><tr>")
    for c in cols:
        cls = ' class="num"' if c in numeric else ""
        out.append(f'<th scope="col"{cls}>{escape(str(c))}</th>')
    out.append("</tr></thead><tbody>")
    any_dash = False
    for i in range(len(frame)):
        out.append("<tr>")
        for j, c in enumerate(cols):
            raw = frame.iat[i, j]
            text = "" if raw is None or (isinstance(raw, float) and pd.isna(raw)) else str(raw)
            cls = []
            if c in numeric:
                cls.append("num")
            if classes is not None and j < classes.shape[1]:
                extra = classes.iat[i, j]
                if isinstance(extra, str) and extra:
                    cls.append(extra)
            if text == DASH:
                any_dash = True
                cls.append("suppressed")
            attr = f' class="{" ".join(cls)}"' if cls else ""
            if styles is not None and j < styles.shape[1]:
                css = styles.iat[i, j]
                if isinstance(css, str) and css:
                    attr += f' style="{escape(css, quote=True)}"'
            if j == 0 and row_headers:
                out.append(f'<th scope="row"{attr}>{escape(text)}</th>')
            else:
                title = f' title="{escape(t("flag.suppressed", language))}"' if text == DASH else ""
                out.append(f"<td{attr}{title}>{escape(text)}</td>")
        out.append("</tr>")
    out.append("</tbody>")
    foot = ([t("note.suppressed", language, min_n=min_n)] if any_dash else []) + list(notes)
    if foot:
        out.append("<tfoot>")
        for note in foot:
            out.append(f'<tr><td colspan="{len(cols)}">{escape(note)}</td></tr>')
        out.append("</tfoot>")
    out.append("</table>")
    return "".join(out)


_NUMBER = re.compile(r"^[−+-]?\d[\d.,]*%?( (tot|to) [−+-]?\d[\d.,]*%?)?$|^\d+ (van|of) \d+$")


def _numeric_column(values: pd.Series) -> bool:
    """True when every shown cell is a number, percentage, interval or rank (right-aligned)."""
    cells = [str(v) for v in values if isinstance(v, str) and v not in ("", DASH)]
    return bool(cells) and all(_NUMBER.match(c) for c in cells)


def key_value_table(pairs: list[tuple[str, str]], *, caption: str | None = None, css_class: str = "ikto-keys") -> str:
    """A two-column table of labelled figures (row header + value), e.g. the cover's key figures.

    >>> "<th scope=\\"row\\">Respons</th><td>38,1%</td>" in key_value_table([("Respons", "38,1%")])
    True
    """
    out = [f'<table class="{escape(css_class)}">']
    if caption:
        out.append(f"<caption>{escape(caption)}</caption>")
    out.append("<tbody>")
    for k, v in pairs:
        out.append(f'<tr><th scope="row">{escape(k)}</th><td>{escape(v)}</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


def flag_class(flag) -> str:
    """CSS class of a flag value (``"lower"`` -> ``flag-lower``), empty for none."""
    return f"flag-{flag.replace(' ', '-')}" if isinstance(flag, str) and flag else ""


#: Text colours of the report's stylesheet (ikto_report.css) and the backgrounds they sit on;
#: every pair has a WCAG 2.1 contrast of at least 4.5:1 (tests/report/test_contrast.py).
TEXT_COLOURS = {"ink": "#1d1d1f", "muted": "#5a5a5f", "link": "#0b5cad", "accent": "#1f3a5f",
                "higher": "#00629a", "lower": "#a84a00"}
BACKGROUNDS = {"page": "#ffffff", "band": "#f4f5f7", "suppressed": "#e4e4e4", "suppressed-light": "#f2f2f2"}
#: Heatmap text on light and on dark cells (charts.heat_colours picks the one with more contrast).
HEAT_INK = ("#000000", "#ffffff")


def heatmap_table(
    values: pd.DataFrame,
    hidden: pd.DataFrame,
    *,
    caption: str,
    corner: str,
    scale_label: str,
    language: str,
    min_n: int,
    total_first: bool = False,
) -> str:
    """A heatmap as a table: one row per group, one column per domain, each cell its share with a
    background colour from :data:`~ikto_lib.report.charts.HEATMAP_CMAP` (darker = more satisfied).

    ``values`` holds proportions (rows labelled, columns named); ``hidden`` is True where a cell is
    not shown: such a cell holds :data:`DASH` (hatched, explained in the footnote) and no colour.
    ``total_first``: the first row is the total of the others (shown in bold).
    Followed by a colour scale from 0% to 100%. Being a table, it is read out by screen readers,
    its text is selectable and sharp in print, and long tables break across pages with their
    header repeated.

    >>> v = pd.DataFrame({"ICT": [0.8, 0.5]}, index=["Totaal", "Staf"])
    >>> html = heatmap_table(v, v.isna() | (v < 0.6), caption="Top-2", corner="Onderdeel",
    ...                      scale_label="Aandeel tevreden", language="nl", min_n=10)
    >>> "80%</td>" in html, ">–</td>" in html, "background-color:#" in html
    (True, True, True)
    """
    from . import charts
    from .fmt import pct

    hid = hidden.reindex(index=values.index, columns=values.columns).fillna(True).astype(bool) | values.isna()
    shown = values.astype(float).where(~hid)
    text = shown.apply(lambda col: col.map(lambda x: DASH if pd.isna(x) else pct(x, language, decimals=0)))
    background, dark = charts.heat_colours(shown)
    ink = pd.DataFrame(np.where(dark, HEAT_INK[1], HEAT_INK[0]), index=dark.index, columns=dark.columns)
    css = ("background-color:" + background + ";color:" + ink).where(~hid, "")
    frame = text.reset_index(drop=True)
    frame.insert(0, corner, [str(x) for x in values.index])
    styles = css.reset_index(drop=True)
    styles.insert(0, corner, "")
    stops = ", ".join(charts.heat_colours(pd.DataFrame({"x": [0, 0.25, 0.5, 0.75, 1.0]}))[0]["x"])
    scale = (f'<p class="heat-scale note">{escape(scale_label)}: {escape(pct(0, language, decimals=0))} '
             f'<span class="heat-bar" style="background:linear-gradient(to right, {stops})"></span> '
             f'{escape(pct(1, language, decimals=0))}</p>')
    classes = pd.DataFrame("", index=frame.index, columns=frame.columns)
    if total_first and len(classes):
        classes.iloc[0] = "total"
    return html_table(frame, caption=caption, language=language, min_n=min_n, numeric=list(values.columns),
                      classes=classes, styles=styles, css_class="ikto-table ikto-heatmap") + scale
