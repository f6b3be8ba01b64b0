"""Accessibility (issue 14, part 9): every text/background colour pair of the report reaches the
WCAG 2.1 AA contrast of 4.5:1, the heatmap's whole colour scale included."""

from __future__ import annotations

import re
from importlib.resources import files

import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb

from ikto_lib.report import charts
from ikto_lib.report.tables import BACKGROUNDS, TEXT_COLOURS, heatmap_table


def _luminance(colour: str) -> float:
    c = np.array(to_rgb(colour))
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2])


def contrast(a: str, b: str) -> float:
    lo, hi = sorted([_luminance(a), _luminance(b)])
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_matches_wcag_examples():
    assert round(contrast("#000000", "#ffffff"), 2) == 21.0
    assert round(contrast("#D55E00", "#ffffff"), 2) == 3.87  # the old 'lager' text colour failed AA


def test_every_text_colour_on_every_background():
    for name, fg in TEXT_COLOURS.items():
        for where, bg in BACKGROUNDS.items():
            assert contrast(fg, bg) >= 4.5, (name, where, round(contrast(fg, bg), 2))


def test_the_stylesheet_uses_only_tested_text_colours():
    css = files("ikto_lib").joinpath("templates/report/ikto_report.css").read_text(encoding="utf-8")
    variables = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})", css))
    used = re.findall(r"(?<![-\w])color:\s*([^;}\s]+)", css)
    tested = {c.lower() for c in TEXT_COLOURS.values()}
    for value in used:
        if value == "inherit":
            continue
        m = re.fullmatch(r"var\(--([\w-]+)\)", value)
        colour = variables[m.group(1)] if m else value
        assert colour.lower() in tested, value


def test_heatmap_text_reaches_aa_over_the_whole_scale():
    values = pd.DataFrame({"x": np.linspace(0, 1, 1001)})
    html = heatmap_table(values, values.isna(), caption="c", corner="u", scale_label="s", language="nl", min_n=10)
    pairs = re.findall(r"background-color:(#[0-9a-f]{6});color:(#[0-9a-f]{6})", html)
    assert len(pairs) == 1001
    worst = min(contrast(bg, fg) for bg, fg in pairs)
    assert worst >= 4.5, worst
    bg, dark = charts.heat_colours(values)
    assert dark["x"].iloc[-1] and not dark["x"].iloc[0]
