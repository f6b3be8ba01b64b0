"""HTML tables and charts, tested by what they contain and what was drawn (not by image diffs)."""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from matplotlib.colors import to_hex

from ikto_lib.report import charts
from ikto_lib.report.fmt import DASH
from ikto_lib.report.tables import heatmap_table, html_table, key_value_table


# ---- tables ---------------------------------------------------------------------------------
def test_table_has_header_cells_row_headers_and_escapes():
    df = pd.DataFrame({"Domein": ["P&O-advies", "<script>"], "Top-2": ["71,2%", "55,0%"], "Oordeel": ["hoger", "lager"]})
    soup = BeautifulSoup(html_table(df, caption="Cap & co", language="nl", min_n=10), "html.parser")
    assert [th.get_text() for th in soup.thead.find_all("th")] == ["Domein", "Top-2", "Oordeel"]
    assert all(th["scope"] == "col" for th in soup.thead.find_all("th"))
    assert [th.get_text() for th in soup.tbody.find_all("th")] == ["P&O-advies", "<script>"]
    assert soup.find("script") is None
    assert soup.caption.get_text() == "Cap & co"
    assert soup.tfoot is None  # nothing suppressed, no footnote
    # numbers right-aligned, words not
    assert "num" in soup.thead.find_all("th")[1].get("class", [])
    assert "num" not in soup.thead.find_all("th")[2].get("class", [])


def test_suppressed_cell_shows_a_dash_and_a_footnote():
    df = pd.DataFrame({"Onderdeel": ["A", "B"], "n": ["120", DASH], "Top-2": ["61,0%", DASH]})
    soup = BeautifulSoup(html_table(df, language="nl", min_n=10), "html.parser")
    dashed = soup.find_all("td", class_="suppressed")
    assert [td.get_text() for td in dashed] == [DASH, DASH]
    assert "minder dan 10 antwoorden" in soup.tfoot.get_text()
    en = BeautifulSoup(html_table(df, language="en", min_n=15), "html.parser")
    assert "fewer than 15 answers" in en.tfoot.get_text()


def test_classes_by_position_and_key_value_table():
    df = pd.DataFrame([["x", "hoger"]], columns=["Maat", "Oordeel"])
    soup = BeautifulSoup(html_table(df, language="nl", min_n=10, classes=pd.DataFrame([["", "flag-higher"]])),
                         "html.parser")
    assert "flag-higher" in soup.tbody.td["class"]
    kv = BeautifulSoup(key_value_table([("Respons", "38,1%")]), "html.parser")
    assert kv.th["scope"] == "row" and kv.td.get_text() == "38,1%"


# ---- charts ---------------------------------------------------------------------------------
FLAG_LABELS = {"higher": "hoger", "lower": "lager", "no difference": "geen verschil", "not tested": "niet getoetst"}


def comparison_data():
    return pd.DataFrame({
        "label": ["ICT", "Catering", "HR", "Beveiliging"],
        "n": [812.0, 240.0, np.nan, 12.0],
        "value": [0.72, 0.31, np.nan, 0.55],
        "ci_low": [0.69, 0.25, np.nan, 0.3],
        "ci_high": [0.75, 0.37, np.nan, 0.77],
        "benchmark": [0.64, 0.59, 0.6, 0.58],
        "benchmark_flag": ["higher", "lower", "suppressed", "not tested"],
        "suppressed": [False, False, True, False],
    })


def test_plot_comparison_draws_bars_colours_intervals_and_references():
    with charts.chart_style():
        ax = charts.plot_comparison(comparison_data(), language="nl", min_n=10,
                                    refs={"benchmark": "Benchmark"}, title="Domeinen", xlabel="Top-2",
                                    flag_labels=FLAG_LABELS, suppressed_label="te weinig antwoorden")
    bars = ax.containers[0]
    # rows top to bottom: ICT, Catering, HR (suppressed: no bar), Beveiliging
    widths = [round(b.get_width(), 3) for b in bars]
    assert widths == [0.72, 0.31, 0.0, 0.55]
    colours = [to_hex(b.get_facecolor()) for b in bars]
    assert colours[0] == charts.PALETTE["higher"].lower()
    assert colours[1] == charts.PALETTE["lower"].lower()
    assert colours[3] == charts.PALETTE["not tested"].lower()
    # the benchmark marks: one per row with a value, at the benchmark
    marks = ax.collections[-1].get_offsets()
    assert sorted(np.round(marks[:, 0], 2).tolist()) == [0.58, 0.59, 0.6, 0.64]
    # suppressed row: a hatched band and a dash, never a bar value or an n
    band = [p for p in ax.patches if p.get_gid() == "suppressed"]
    assert len(band) == 1 and band[0].get_hatch() == charts.HATCH
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "ICT (n = 812)"
    assert labels[2] == "HR" and labels[3] == "Beveiliging (n = 12)"  # no n when suppressed; 12 >= 10 shown
    values = [t.get_text() for t in ax.texts if t.get_gid() == "value"]
    assert values == ["72,0%", "31,0%", "55,0%"]
    assert DASH in [t.get_text() for t in ax.texts]
    assert ax.get_title(loc="left") == "Domeinen" and ax.get_xlabel() == "Top-2"
    legend = [t.get_text() for t in charts.legend_of(ax).get_texts()]
    assert legend == ["hoger", "lager", "niet getoetst", "Benchmark", "te weinig antwoorden"]


def test_plot_comparison_never_prints_an_n_below_the_threshold():
    d = comparison_data()
    d.loc[3, "n"] = 8.0  # not suppressed in the data, but below min_n
    ax = charts.plot_comparison(d, language="en", min_n=10)
    assert [t.get_text() for t in ax.get_yticklabels()][3] == "Beveiliging"
    assert "(n = 8)" not in " ".join(t.get_text() for t in ax.texts)


def test_one_colour_per_meaning():
    assert len(set(charts.PALETTE.values())) == len(charts.PALETTE)
    d = comparison_data()
    ax1 = charts.plot_comparison(d, language="nl", min_n=10)
    t = pd.DataFrame({"label": ["ICT", "Catering"], "value": [0.72, 0.31], "previous": [0.6, 0.5],
                      "previous_flag": ["higher", "lower"], "suppressed": [False, False]})
    ax2 = charts.plot_trend(t, language="nl", wave="2015", previous_wave="2013")
    assert to_hex(ax1.containers[0][0].get_facecolor()) == to_hex(ax2.containers[1][0].get_facecolor())
    assert to_hex(ax1.containers[0][1].get_facecolor()) == to_hex(ax2.containers[1][1].get_facecolor())
    assert to_hex(ax2.containers[0][0].get_facecolor()) == charts.PALETTE["previous"].lower()
    assert [round(b.get_width(), 2) for b in ax2.containers[0]] == [0.6, 0.5]


def test_priority_matrix_points_intervals_median_and_labels_inside():
    p = pd.DataFrame({"label": ["ICT en werkplek", "Catering", "HR", "Financiën"],
                      "performance": [0.08, -0.2, -0.05, 0.02], "importance": [0.3, 0.1, 0.35, 0.05],
                      "importance_low": [0.25, 0.05, 0.3, 0.01], "importance_high": [0.36, 0.16, 0.41, 0.09],
                      "flag": ["higher", "lower", "no difference", "no difference"]})
    with charts.chart_style():
        ax = charts.plot_priority_matrix(p, language="nl", title="Matrix", xlabel="x", ylabel="y",
                                         median_label="mediaan belang")
    pts = ax.collections[0].get_offsets()
    assert np.allclose(pts[:, 0], [8, -20, -5, 2]) and np.allclose(pts[:, 1], [0.3, 0.1, 0.35, 0.05])
    assert [to_hex(c) for c in ax.collections[0].get_facecolors()][:2] == [charts.PALETTE["higher"].lower(),
                                                                           charts.PALETTE["lower"].lower()]
    assert not [t for t in ax.texts if t.get_gid() == "quadrant"]  # the flags decide, not the position
    whiskers = [c for c in ax.collections if c.get_gid() == "importance-interval"]
    assert len(whiskers) == 1
    segs = whiskers[0].get_segments()
    assert [tuple(np.round(s_[:, 1], 2)) for s_ in segs] == [(0.25, 0.36), (0.05, 0.16), (0.3, 0.41), (0.01, 0.09)]
    xmin, xmax = ax.get_xlim()
    assert xmin < 0 < xmax  # the split at 0 is always visible
    assert any(line.get_ydata()[0] == pytest.approx(0.2) for line in ax.get_lines())  # median importance
    assert [t.get_text() for t in ax.texts if t.get_gid() == "median-label"] == ["mediaan belang"]
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_gid() == "point-label"]
    assert len(boxes) == 4
    for b in boxes:
        assert frame.x0 - 1 <= b.x0 and b.x1 <= frame.x1 + 1 and frame.y0 - 1 <= b.y0 and b.y1 <= frame.y1 + 1
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)


def test_heatmap_table_marks_suppressed_cells_and_colours_the_rest():
    import matplotlib as mpl

    vals = pd.DataFrame([[0.7, 0.5], [np.nan, 0.4], [0.9, 0.2]], index=["Totaal (n = 40)", "A", "B"],
                        columns=["ICT", "HR"])
    hidden = pd.DataFrame([[False, False], [False, False], [True, False]], index=vals.index, columns=vals.columns)
    html = heatmap_table(vals, hidden, caption="Top-2 per onderdeel", corner="Onderdeel",
                         scale_label="Aandeel tevreden", language="nl", min_n=10, total_first=True)
    soup = BeautifulSoup(html, "html.parser")
    rows = soup.find("tbody").find_all("tr")
    assert all("total" in c["class"] for c in rows[0].find_all(["th", "td"]))  # the total row stands out
    assert not any("total" in c.get("class", []) for r in rows[1:] for c in r.find_all(["th", "td"]))
    plain = heatmap_table(vals, hidden, caption="x", corner="x", scale_label="x", language="nl", min_n=10)
    assert 'class="total' not in plain and "total\"" not in plain
    table = soup.find("table")
    assert "ikto-heatmap" in table["class"] and table.caption.get_text() == "Top-2 per onderdeel"
    assert [th.get_text() for th in table.thead.find_all("th")] == ["Onderdeel", "ICT", "HR"]
    assert [th.get_text() for th in table.tbody.find_all("th")] == ["Totaal (n = 40)", "A", "B"]
    cells = [[td for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")]
    assert [[td.get_text() for td in row] for row in cells] == [["70%", "50%"], [DASH, "40%"], [DASH, "20%"]]
    # hidden (and missing) cells: the dash, hatched (class), no colour, and the footnote says why
    for td in (cells[1][0], cells[2][0]):
        assert "suppressed" in td["class"] and "style" not in td.attrs
    assert "niet getoond" in table.tfoot.get_text()
    # shown cells: the colour map's colour of their value, white text on dark cells only
    cmap = mpl.colormaps[charts.HEATMAP_CMAP]
    assert f"background-color:{to_hex(cmap(0.7))}" in cells[0][0]["style"]
    assert f"background-color:{to_hex(cmap(0.2))}" in cells[2][1]["style"]
    assert "color:#ffffff" in cells[0][0]["style"]  # 70%: dark blue
    assert "color:#000000" in cells[2][1]["style"]  # 20%: pale yellow, black text (WCAG)
    scale = soup.find("p", class_="heat-scale")
    assert scale.get_text(" ", strip=True).startswith("Aandeel tevreden: 0%") and "100%" in scale.get_text()
    assert to_hex(cmap(0.0)) in scale.span["style"] and to_hex(cmap(1.0)) in scale.span["style"]


def test_heat_colours_take_the_text_colour_of_higher_wcag_contrast():
    """White text exactly where it contrasts more than black (WCAG 2.1 contrast ratio, computed
    here from seaborn's relative luminance), so every cell reaches 4.5:1."""
    from seaborn.utils import relative_luminance

    def ratio(a, b):
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)

    v = pd.DataFrame({"a": np.linspace(0, 1, 21)})
    bg, dark = charts.heat_colours(v)
    for x, colour, is_dark in zip(v["a"], bg["a"], dark["a"]):
        lum = relative_luminance(colour)
        assert is_dark == (ratio(1.0, lum) > ratio(lum, 0.0)), x
        assert max(ratio(1.0, lum), ratio(lum, 0.0)) >= 4.5, x
    assert not dark["a"].iloc[0] and dark["a"].iloc[-1]


def test_figure_html_embeds_an_svg_with_live_text_and_alt_text():
    from xml.etree import ElementTree

    def chart():
        with charts.chart_style():
            ax = charts.plot_comparison(comparison_data(), language="nl", min_n=10, title="Domeinen 2015")
            return charts.figure_html(ax, alt='Staafdiagram "domeinen" & benchmark')

    html = chart()
    assert chart() == html  # no creation date, stable ids: the same chart is the same bytes
    img = BeautifulSoup(html, "html.parser").img
    assert img["alt"] == 'Staafdiagram "domeinen" & benchmark'
    assert img["src"].startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(img["src"].split(",", 1)[1])
    root = ElementTree.fromstring(svg)
    texts = [(el.text or "", el.get("style", "")) for el in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Domeinen 2015" in [x for x, _ in texts]  # text stays text (not glyph paths)
    assert texts and all("font-family: 'DejaVu Sans', 'Arial', 'Helvetica', 'Liberation Sans', sans-serif"
                         in style for _, style in texts)
    assert b"<dc:date>" not in svg
    assert "width:672px" in img["style"]  # 7 inches at 96 px/inch


def test_percent_axis_ticks_are_whole_percentages():
    for top in (0.2, 0.17, 0.35, 1.0):
        ax = charts.new_axes(height=2)
        ax.set_ylim(0, top)
        charts.percent_axis(ax.yaxis, "nl")
        ticks = [v for v in ax.get_yticks() if 0 <= v <= top]
        assert len(ticks) >= 3
        assert all(abs(v * 100 - round(v * 100)) < 1e-9 for v in ticks), (top, ticks)
        labels = [charts.pct_formatter("nl")(v, 0) for v in ticks]
        assert labels == [f"{round(v * 100)}%" for v in ticks]


def test_charts_do_not_use_pyplot():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    charts.plot_comparison(comparison_data(), language="nl", min_n=10)
    assert plt.get_fignums() == before  # nothing for an inline backend to display by itself


@pytest.mark.parametrize("name", ["Afdeling $x^2$", "Kosten in $ en € ($5 per $\\frac{1}{$)"])
def test_names_with_dollars_are_drawn_literally_not_as_mathtext(name):
    """Organisation, unit and item names come from the data: ``$...$`` is text, never mathtext
    (a valid formula would be typeset, an invalid one would make the report fail)."""
    from xml.etree import ElementTree

    data = comparison_data()
    data.loc[0, "label"] = name
    with charts.chart_style():
        ax = charts.plot_comparison(data, language="nl", min_n=10, title=f"Organisatie {name}")
        html = charts.figure_html(ax, alt=name)
    svg = base64.b64decode(BeautifulSoup(html, "html.parser").img["src"].split(",", 1)[1])
    texts = [el.text or "" for el in ElementTree.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert f"Organisatie {name}" in texts
    assert any(name in t for t in texts)
