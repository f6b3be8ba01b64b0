"""The explorer's chart: SVG written from a Jinja2 template, with live text.

A matplotlib figure per change (seaborn's ``barplot``, ``tight_layout``, a PNG) cost a quarter to
half a second on a busy 2-core machine, and even a reused figure spends most of its time laying
out and rasterising text. The explorer's chart is simple (one bar per group with its interval and
the reference as a diamond, or one 100% stacked bar per group), so its geometry is computed with
numpy, its axis ticks with matplotlib's :class:`~matplotlib.ticker.MaxNLocator`, its colours from
matplotlib's ``RdYlGn`` colour map, and the SVG is written by a Jinja2 template (autoescaped):
about a millisecond. The browser draws the text (sharp, searchable, read by screen readers).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from jinja2 import Environment
from matplotlib import colormaps
from matplotlib.colors import to_hex
from matplotlib.ticker import MaxNLocator

from ..report import fmt
from .labels import code_label, comparison_label, value_heading, w

BAR = "#3a6ea5"
REFERENCE = "#e07b00"
WIDTH, HEIGHT = 900, 310
LEFT, RIGHT, TOP, BOTTOM = 70, 640, 44, 262  # plot area; the legend sits right of it

_TEMPLATE = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string("""\
<svg xmlns="http://www.w3.org/2000/svg" class="ikto-svg" width="{{ W }}" height="{{ H }}" viewBox="0 0 {{ W }} {{ H }}" \
font-family="DejaVu Sans, Arial, sans-serif" font-size="12" role="img" aria-label="{{ title }}">
<text x="8" y="22" font-size="13" font-weight="bold">{{ title }}</text>
{% for t in yticks %}
<line x1="{{ L }}" x2="{{ R }}" y1="{{ t.y }}" y2="{{ t.y }}" stroke="#e4e4e4"/>
<text x="{{ L - 6 }}" y="{{ t.y + 4 }}" text-anchor="end" font-size="11">{{ t.label }}</text>
{% endfor %}
<text transform="translate(16 {{ (T + B) / 2 }}) rotate(-90)" text-anchor="middle" font-size="11">{{ ylabel }}</text>
{% for r in rects %}
<rect x="{{ r.x }}" y="{{ r.y }}" width="{{ r.w }}" height="{{ r.h }}" fill="{{ r.fill }}"><title>{{ r.tip }}</title></rect>
{% endfor %}
{% for e in whiskers %}
<path d="M{{ e.x }} {{ e.lo }}V{{ e.hi }}M{{ e.x - 5 }} {{ e.lo }}h10M{{ e.x - 5 }} {{ e.hi }}h10" stroke="#000" fill="none"/>
{% endfor %}
{% for m in diamonds %}
<path d="M{{ m.x }} {{ m.y - 6 }}l6 6l-6 6l-6 -6z" fill="{{ ref_colour }}"><title>{{ m.tip }}</title></path>
{% endfor %}
<line x1="{{ L }}" x2="{{ R }}" y1="{{ B }}" y2="{{ B }}" stroke="#333"/>
<line x1="{{ L }}" x2="{{ L }}" y1="{{ T }}" y2="{{ B }}" stroke="#333"/>
{% for g in groups %}
<text x="{{ g.x }}" y="{{ B + 18 }}" text-anchor="middle" font-size="11">{{ g.label }}</text>
{% endfor %}
{% if message %}
<text x="{{ (L + R) / 2 }}" y="{{ (T + B) / 2 }}" text-anchor="middle">{{ message }}</text>
{% endif %}
{% for k in legend %}
{% if k.diamond %}
<path d="M{{ R + 22 }} {{ k.y - 6 }}l6 6l-6 6l-6 -6z" fill="{{ k.fill }}"/>
{% else %}
<rect x="{{ R + 16 }}" y="{{ k.y - 6 }}" width="12" height="12" fill="{{ k.fill }}"/>
{% endif %}
<text x="{{ R + 34 }}" y="{{ k.y + 4 }}" font-size="11">{{ k.label }}</text>
{% endfor %}
</svg>""")


def _palette(n: int) -> list[str]:
    """Red (low) to green (high), as many colours as answers."""
    cmap = colormaps["RdYlGn"]
    return [to_hex(cmap(v)) for v in np.linspace(0.08, 0.92, n)]


class Chart:
    """``Chart().svg(table, title=..., instrument=..., language=...)`` -> an inline ``<svg>``.

    ``table``: :meth:`~ikto_lib.workbench.explorer.Explorer.select` output (rows in reading
    order). ``last`` keeps the geometry drawn (for tests): bars, whiskers, diamonds, groups.
    """

    def __init__(self):
        self.last: dict = {}

    def svg(self, table: pd.DataFrame, *, title: str, instrument, language: str) -> str:
        lang = language
        measure = table["measure"].iat[0] if len(table) else "top2"
        target = table["target"].iat[0] if len(table) else "overall"
        share = measure in ("top2", "distribution")
        groups = list(dict.fromkeys(np.where(table["category"] == "", w("total", lang), table["category"])))
        values = table["value"].to_numpy(dtype=float) if len(table) else np.array([])
        if share:
            lo, hi = 0.0, 1.0
        else:
            scale = instrument.grade if target == "grade" else instrument.scale
            lo, hi = 0.0, float(scale.max)
        ticks = [t for t in MaxNLocator(nbins=5).tick_values(lo, hi) if lo - 1e-9 <= t <= hi + 1e-9]

        def y(v):
            return round(BOTTOM - (np.clip(v, lo, hi) - lo) / (hi - lo) * (BOTTOM - TOP), 1)

        def label(v):
            return fmt.pct(v, lang, decimals=0) if share else fmt.num(v, lang, decimals=1)

        band = (RIGHT - LEFT) / max(len(groups), 1)
        centre = {g: round(LEFT + band * (i + 0.5), 1) for i, g in enumerate(groups)}
        rects, whiskers, diamonds, legend = [], [], [], []
        message = "" if np.isfinite(values).any() else w("no_figures", lang)
        group_of = np.where(table["category"] == "", w("total", lang), table["category"]) if len(table) else []
        if not message and measure == "distribution":
            codes = sorted(table["code"].unique(), key=int)
            colours = dict(zip(codes, _palette(len(codes))))
            bottom = dict.fromkeys(groups, 0.0)
            width = min(band * 0.55, 90)
            for g, code, v in zip(group_of, table["code"], values):
                if not np.isfinite(v):
                    continue
                top = bottom[g] + v
                rects.append({"x": round(centre[g] - width / 2, 1), "y": y(top), "w": round(width, 1),
                              "h": round(y(bottom[g]) - y(top), 1), "fill": colours[code],
                              "tip": f"{g}: {code_label(instrument, target, code, lang)} {fmt.pct(v, lang)}"})
                bottom[g] = top
            for i, code in enumerate(reversed(codes)):
                legend.append({"y": TOP + 8 + 18 * i, "fill": colours[code], "diamond": False,
                               "label": code_label(instrument, target, code, lang)})
        elif not message:
            width = min(band * 0.45, 70)
            ci_low, ci_high = table["ci_low"].to_numpy(dtype=float), table["ci_high"].to_numpy(dtype=float)
            ref = table["ref_value"].to_numpy(dtype=float)
            for g, v, a, b, r in zip(group_of, values, ci_low, ci_high, ref):
                x = centre[g]
                if np.isfinite(v):
                    rects.append({"x": round(x - width / 2, 1), "y": y(v), "w": round(width, 1),
                                  "h": round(BOTTOM - y(v), 1), "fill": BAR, "tip": f"{g}: {label(v)}"})
                if np.isfinite(a) and np.isfinite(b):
                    whiskers.append({"x": x, "lo": y(a), "hi": y(b)})
                if np.isfinite(r):
                    diamonds.append({"x": x, "y": y(r), "tip": f"{g}: {label(r)}"})
            if diamonds:
                legend.append({"y": TOP + 8, "fill": REFERENCE, "diamond": True,
                               "label": comparison_label(table["comparison"].iat[0], lang)})
        self.last = {"bars": rects, "whiskers": whiskers, "diamonds": diamonds, "groups": groups,
                     "legend": [k["label"] for k in legend]}
        return _TEMPLATE.render(
            W=WIDTH, H=HEIGHT, L=LEFT, R=RIGHT, T=TOP, B=BOTTOM, title=title,
            ylabel=value_heading(measure, target, lang, instrument), message=message, ref_colour=REFERENCE,
            yticks=[{"y": y(t), "label": label(t)} for t in ticks], rects=rects, whiskers=whiskers,
            diamonds=diamonds, groups=[{"x": centre[g], "label": g} for g in groups], legend=legend)
