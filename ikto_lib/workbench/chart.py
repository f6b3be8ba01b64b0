"""The explorer's chart: one matplotlib figure kept for the session, its artists replaced per change.

Creating a figure, seaborn's ``barplot``, ``tight_layout`` and a PNG (glyph rasterisation and
compression) cost a quarter to half a second per change on a busy 2-core machine; this chart
builds its figure and axes once (fixed margins, no layout pass, no pyplot state), replaces only
the bars, markers, ticks and texts, and writes SVG with live text (``svg.fonttype: none``: the
browser draws the letters; about a third of the PNG's time, and searchable).

Top-2 and mean: one bar per group (total, then the breakdown's categories) with its interval,
the reference as a diamond. Distribution: one 100% stacked bar per group, a colour per answer.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter, ScalarFormatter

from .labels import code_label, comparison_label, value_heading, w

BAR = "#3a6ea5"
REFERENCE = "#e07b00"
DPI = 90


class Chart:
    """``Chart().svg(table, title=..., instrument=..., language=...)`` -> SVG text (``png`` -> bytes).

    ``table`` is :func:`ikto_lib.workbench.labels.ordered` output of :meth:`Explorer.select`;
    ``figure`` is the (reused) matplotlib figure.
    """

    def __init__(self, width: float = 8.5, height: float = 3.4):
        self.figure = Figure(figsize=(width, height), dpi=DPI)
        FigureCanvasAgg(self.figure)
        self.ax = ax = self.figure.add_axes((0.09, 0.17, 0.66, 0.72))
        # fixed once: margins, title (a figure text: no automatic title placement per draw),
        # spines, tick style; each change replaces only bars, markers, ticks and texts
        self.title = self.figure.text(0.01, 0.95, "", fontsize=10, ha="left", va="bottom")
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=9)
        self.percent = PercentFormatter(1.0, decimals=0)
        self.plain = ScalarFormatter()

    def _reset(self) -> None:
        ax = self.ax
        for artist in [*ax.patches, *ax.collections, *ax.lines, *ax.texts, *ax.containers]:
            if hasattr(artist, "remove"):
                try:
                    artist.remove()
                except (ValueError, NotImplementedError):
                    pass
        ax.containers.clear()
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        ax.set_xticks([])

    def svg(self, table: pd.DataFrame, *, title: str, instrument, language: str) -> str:
        """The chart of ``table`` as an inline SVG element (no XML prolog)."""
        self.draw(table, title=title, instrument=instrument, language=language)
        buf = io.StringIO()
        with rc_context({"svg.fonttype": "none", "svg.hashsalt": "ikto-explorer"}):
            self.figure.savefig(buf, format="svg", dpi=DPI)
        text = buf.getvalue()
        return text[text.index("<svg"):]

    def png(self, table: pd.DataFrame, *, title: str, instrument, language: str) -> bytes:
        """The chart of ``table`` as PNG bytes (screenshots, other front ends)."""
        self.draw(table, title=title, instrument=instrument, language=language)
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=DPI)
        return buf.getvalue()

    def draw(self, table: pd.DataFrame, *, title: str, instrument, language: str) -> None:
        """Replace the artists of the figure with those of ``table``."""
        ax = self.ax
        self._reset()
        lang = language
        if len(table):
            measure, target = table["measure"].iat[0], table["target"].iat[0]
        else:
            measure, target = "top2", "overall"
        groups = list(dict.fromkeys(np.where(table["category"] == "", w("total", lang), table["category"])))
        values = table["value"].astype(float)
        if not values.notna().any():
            ax.text(0.5, 0.5, w("no_figures", lang), ha="center", va="center", transform=ax.transAxes)
            ax.set_xticks([])
        elif measure == "distribution":
            self._stacked(table, groups, instrument, target, lang)
        else:
            self._bars(table, groups, lang)
        self.title.set_text(title)
        ax.set_ylabel(value_heading(measure, target, lang), fontsize=9)
        if measure in ("top2", "distribution"):
            ax.set_ylim(0, 1)
            ax.yaxis.set_major_formatter(self.percent)
        else:
            ax.relim()
            ax.autoscale_view()
            ax.set_ylim(0, max(ax.get_ylim()[1], 1.0))
            ax.yaxis.set_major_formatter(self.plain)

    def _bars(self, table: pd.DataFrame, groups: list[str], lang: str) -> None:
        ax = self.ax
        x = np.arange(len(table))
        v = table["value"].to_numpy(dtype=float)
        err = np.vstack([v - table["ci_low"].to_numpy(dtype=float), table["ci_high"].to_numpy(dtype=float) - v])
        ax.bar(x, np.nan_to_num(v), width=0.5, color=BAR)
        ax.errorbar(x, v, yerr=np.nan_to_num(err), fmt="none", ecolor="black", capsize=3, lw=1)
        ref = table["ref_value"].to_numpy(dtype=float)
        if np.isfinite(ref).any():
            ax.scatter(x, ref, marker="D", color=REFERENCE, zorder=3,
                       label=comparison_label(table["comparison"].iat[0], lang))
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        ax.set_xticks(x, groups)

    def _stacked(self, table: pd.DataFrame, groups: list[str], instrument, target: str, lang: str) -> None:
        ax = self.ax
        t = table.assign(group=np.where(table["category"] == "", w("total", lang), table["category"]))
        wide = t.pivot_table(index="group", columns="code", values="value", aggfunc="first", sort=False)
        wide = wide.reindex(index=groups)
        codes = sorted(wide.columns, key=lambda c: int(c))
        colours = _palette(len(codes))
        bottom = np.zeros(len(wide))
        x = np.arange(len(wide))
        for code, colour in zip(codes, colours):
            h = np.nan_to_num(wide[code].to_numpy(dtype=float))
            ax.bar(x, h, bottom=bottom, width=0.55, color=colour, label=code_label(instrument, target, code, lang))
            bottom += h
        ax.set_xticks(x, groups)
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
                  frameon=False)


def _palette(n: int) -> list:
    """Red (low) to green (high), as many colours as answers."""
    from matplotlib import colormaps

    return [colormaps["RdYlGn"](v) for v in np.linspace(0.08, 0.92, n)]
