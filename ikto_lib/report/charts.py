"""Charts of the benchmark report (matplotlib/seaborn), and their embedding as ``<img>``.

Every ``plot_*`` function takes the data first and everything else keyword-only, draws on ``ax=``
(or a new figure) and returns the Axes; it never shows or saves. Style is applied in
:func:`chart_style` (a context manager), never at import. Figures are created without pyplot, so a
kernel's inline backend never displays a chart by itself: :func:`figure_html` embeds it, with alt
text, as SVG with live text (:func:`figure_svg`).

One colour per meaning across all charts (:data:`PALETTE`, Okabe-Ito, colour-blind safe):
higher = blue, lower = vermillion, no difference = grey, not tested = light grey, suppressed =
hatched pale grey with a dash; benchmark = black diamond, peers = purple square, previous wave =
bluish green.
"""

from __future__ import annotations

import base64
import io
import re
import textwrap
from contextlib import contextmanager
from html import escape

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from seaborn.utils import relative_luminance

from . import fmt

PALETTE = {
    "higher": "#0072B2",
    "lower": "#D55E00",
    "no difference": "#8F8F8F",
    "not tested": "#D0D0D0",
    "suppressed": "#F2F2F2",
    "benchmark": "#000000",
    "peers": "#CC79A7",
    "previous": "#009E73",
}
FLAGS = ("higher", "lower", "no difference", "not tested")
MARKERS = {"benchmark": "D", "peers": "s", "previous": "o"}
HATCH = "///"
SUPPRESSED_EDGE = "#A0A0A0"
HEAT_WHITE_MAX_LUMINANCE = 0.179  # (1 + 0.05) / (L + 0.05) = (L + 0.05) / 0.05 at L = 0.179
HEATMAP_CMAP = "YlGnBu"  # ColorBrewer sequential, colour-blind safe: darker = more satisfied
PREVIOUS_ALPHA = 0.55  # the previous wave's bars: same hue, lighter, so this wave stands out
WIDTH = 7.0  # inches: fits an A4 page between 15 mm margins at 1:1


#: Names come from the data: ``$x^2$`` in an organisation or unit name is shown as typed, never
#: read as mathtext or TeX (also for tick labels made while the figure is saved).
LITERAL_TEXT = {"text.parse_math": False, "text.usetex": False}


@contextmanager
def chart_style():
    """Seaborn ``whitegrid`` plus the report's fonts and sizes, for the duration of a block."""
    rc = {
        # DejaVu Sans (matplotlib's own font, so the layout is the same on every machine); the rest
        # of the stack is what an SVG chart's live text falls back to in a browser without it
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans"],
        "font.size": 8.5,
        "axes.titlesize": 10,
        "axes.titleweight": "bold",
        "axes.labelsize": 8.5,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "legend.fontsize": 8,
        "legend.title_fontsize": 8,
        "hatch.color": SUPPRESSED_EDGE,
        "hatch.linewidth": 0.8,
        "axes.edgecolor": "#606060",
        "grid.color": "#E3E3E3",
        **LITERAL_TEXT,
    }
    with sns.axes_style("whitegrid"), mpl.rc_context(rc):
        yield


def new_axes(*, width: float = WIDTH, height: float = 4.0, nrows: int = 1, ncols: int = 1, **kw):
    """A new figure (not registered with pyplot) and its Axes; several rows/columns give an array."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, **kw)
    return axes


def _ax(ax, height: float):
    return new_axes(height=height) if ax is None else ax


_N_SUFFIX = re.compile(r" (\(n = [\d.,\s]+\))$")


def wrap(label: str, width: int = 30) -> str:
    """Wrap a long label over lines of at most ``width`` characters (words are not broken).

    >>> wrap("Facilitaire dienstverlening en huisvesting", 20)
    'Facilitaire\\ndienstverlening en\\nhuisvesting'
    """
    m = _N_SUFFIX.search(str(label))
    if m:  # keep "(n = 1.234)" on one line
        return label_with_n(str(label)[:m.start()], m.group(1), width)
    return "\n".join(textwrap.wrap(str(label), width, break_long_words=False)) or str(label)


def label_with_n(label: str, n_text: str, width: int = 32) -> str:
    """A wrapped label with its n on the last line if it fits, else on a line of its own."""
    lines = textwrap.wrap(str(label), width, break_long_words=False) or [str(label)]
    if n_text:
        if len(lines[-1]) + 1 + len(n_text) <= width + 4:
            lines[-1] += " " + n_text
        else:
            lines.append(n_text)
    return "\n".join(lines)


def _title(ax, title: str, **kw) -> None:
    if title:
        ax.set_title(wrap(title, 52), loc="left", **kw)


def _legend(ax, handles, title: str = "", ncols: int = 4) -> None:
    """The legend below the chart: a figure legend (outside, below everything) when ``ax`` is the
    figure's only plot, else an axes legend below ``ax``."""
    if not handles:
        return
    fig = ax.figure
    plots = [a for a in fig.axes if a.get_label() != "<colorbar>"]
    kw = dict(handles=handles, title=title or None, ncols=min(ncols, len(handles)), frameon=False)
    if len(plots) == 1:
        fig.legend(loc="outside lower center", **kw)
    else:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), **kw)


def legend_of(ax):
    """The legend drawn for ``ax`` (its own, or the figure legend of a single-plot figure)."""
    if ax.get_legend() is not None:
        return ax.get_legend()
    return ax.figure.legends[0] if ax.figure.legends else None


def pct_formatter(language: str, decimals: int = 0):
    """Axis tick labels as percentages in the report locale (nl: 80%, with babel)."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: fmt.pct(v, language, decimals=decimals))


def percent_axis(axis, language: str) -> None:
    """Percent ticks on ``axis`` (``ax.xaxis``/``ax.yaxis``) at whole 1, 2 or 5 steps (5%, 10%, ...),
    so whole-percent labels are exact (never 2.5% shown as "2%")."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(steps=[1, 2, 5, 10]))
    axis.set_major_formatter(pct_formatter(language))


def num_formatter(language: str, decimals: int = 0):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: fmt.num(v, language, decimals=decimals))


def _flag_handles(flags, labels: dict[str, str]):
    from matplotlib.patches import Patch

    return [Patch(facecolor=PALETTE[f], label=labels.get(f, f)) for f in FLAGS if f in set(flags)]


def _suppressed_handle(label: str):
    from matplotlib.patches import Patch

    return Patch(facecolor=PALETTE["suppressed"], edgecolor=SUPPRESSED_EDGE, hatch=HATCH, label=label)


def plot_comparison(
    data: pd.DataFrame,
    *,
    language: str,
    min_n: int,
    label: str = "label",
    value: str = "value",
    ci_low: str | None = "ci_low",
    ci_high: str | None = "ci_high",
    flag: str = "benchmark_flag",
    refs: dict[str, str] | None = None,
    n: str | None = "n",
    suppressed: str = "suppressed",
    percent: bool = True,
    xlim: tuple[float, float] | None = None,
    title: str = "",
    xlabel: str = "",
    flag_labels: dict[str, str] | None = None,
    flag_title: str = "",
    suppressed_label: str = "",
    decimals: int = 1,
    legend: bool = True,
    ax=None,
):
    """Horizontal bars of an estimate per row, coloured by flag, with interval and reference marks.

    Parameters
    ----------
    data : one row per bar, top to bottom: ``label``, ``value`` (proportion when ``percent``),
        ``ci_low``/``ci_high``, ``flag``, one column per key of ``refs`` (reference values), ``n``
        and ``suppressed`` (bool).
    refs : reference columns to mark and their legend labels, e.g. ``{"benchmark": "Benchmark"}``;
        each drawn with its own marker and colour (:data:`MARKERS`, :data:`PALETTE`).
    min_n : an ``n`` below it is never printed (a suppressed row shows a dash instead).

    Returns
    -------
    Axes. The bars are ``ax.containers[0]`` (one bar per row; suppressed rows have width 0 and a
    hatched band across the axis, gid ``"suppressed"``).
    """
    from matplotlib.patches import Rectangle

    refs = refs or {}
    flag_labels = flag_labels or {}
    k = len(data)
    ax = _ax(ax, height=0.42 * k + 1.6)
    pos = np.arange(k)[::-1].astype(float)
    sup = data[suppressed].fillna(False).astype(bool).to_numpy() if suppressed in data else np.zeros(k, bool)
    vals = pd.to_numeric(data[value], errors="coerce").to_numpy(dtype=float)
    vals = np.where(sup, np.nan, vals)
    flags = data[flag].fillna("not tested").astype(str).to_numpy() if flag in data else np.array(["not tested"] * k)
    colors = [PALETTE.get(f, PALETTE["not tested"]) for f in flags]
    ax.barh(pos, np.nan_to_num(vals), color=colors, height=0.62, zorder=2, label="_bars")
    if ci_low and ci_high and ci_low in data and ci_high in data:
        lo = pd.to_numeric(data[ci_low], errors="coerce").to_numpy(dtype=float)
        hi = pd.to_numeric(data[ci_high], errors="coerce").to_numpy(dtype=float)
        ok = ~np.isnan(lo) & ~np.isnan(hi) & ~np.isnan(vals)
        if ok.any():
            err = np.vstack([vals[ok] - lo[ok], hi[ok] - vals[ok]])
            ax.errorbar(vals[ok], pos[ok], xerr=np.clip(err, 0, None), fmt="none", ecolor="#333333",
                        elinewidth=1, capsize=2.5, zorder=3)
    ref_vals = {}
    for r in refs:
        rv = pd.to_numeric(data[r], errors="coerce").to_numpy(dtype=float) if r in data else np.full(k, np.nan)
        ref_vals[r] = rv
        ok = ~np.isnan(rv)
        if ok.any():
            ax.scatter(rv[ok], pos[ok], marker=MARKERS.get(r, "D"), s=30, color=PALETTE.get(r, "#000000"),
                       edgecolor="white", linewidth=0.6, zorder=4, label=refs[r])
    top = np.nanmax(np.concatenate([vals, *(ref_vals.values()), [0.0]]))
    if xlim is None:
        hi_all = [top]
        if ci_high and ci_high in data:
            hi_all.append(np.nanmax(pd.to_numeric(data[ci_high], errors="coerce").to_numpy(dtype=float), initial=0))
        xmax = max(hi_all) * 1.18 if percent else max(hi_all) * 1.15
        xlim = (0, min(1.0, xmax) if percent and xmax > 0.5 else max(xmax, 1e-3))
    ax.set_xlim(*xlim)
    span = xlim[1] - xlim[0]
    his = (pd.to_numeric(data[ci_high], errors="coerce").to_numpy(dtype=float) if ci_high and ci_high in data
           else np.full(k, np.nan))
    los = (pd.to_numeric(data[ci_low], errors="coerce").to_numpy(dtype=float) if ci_low and ci_low in data
           else np.full(k, np.nan))
    pad, width_text = span * 0.015, span * 0.085
    for i in range(k):
        if sup[i]:
            ax.add_patch(Rectangle((xlim[0], pos[i] - 0.31), span, 0.62, facecolor=PALETTE["suppressed"],
                                   edgecolor=SUPPRESSED_EDGE, hatch=HATCH, linewidth=0.6, zorder=1, gid="suppressed"))
            ax.text(xlim[0] + span * 0.01, pos[i], fmt.DASH, va="center", ha="left", fontsize=9, zorder=5)
            continue
        if np.isnan(vals[i]):
            continue
        # the value right of its bar (and interval); past a reference mark only when that mark is in the way
        x_text = np.nanmax([vals[i], his[i]]) + pad
        for rv in ref_vals.values():
            if not np.isnan(rv[i]) and x_text - pad <= rv[i] <= x_text + width_text:
                x_text = rv[i] + pad * 1.6
        text = fmt.pct(vals[i], language, decimals=decimals) if percent else fmt.num(vals[i], language, decimals=decimals)
        if x_text + width_text < xlim[1]:
            ax.text(x_text, pos[i], text, va="center", ha="left", fontsize=7.5, zorder=5, color="#222222", gid="value")
        else:  # no room on the right: inside the bar, left of its interval and of reference marks near its end
            x_end = vals[i] if np.isnan(los[i]) else min(vals[i], los[i])
            for rv in sorted((r[i] for r in ref_vals.values() if not np.isnan(r[i])), reverse=True):
                if x_end - width_text - pad <= rv <= x_end + pad:
                    x_end = rv - pad
            light = flags[i] == "not tested"
            ax.text(x_end - pad, pos[i], text, va="center", ha="right", fontsize=7.5, zorder=5, gid="value",
                    color="#222222" if light else "white", fontweight="bold")
    labels = []
    for i in range(k):
        nn = data[n].iloc[i] if n and n in data else np.nan
        n_text = (t_n(nn, language) if not sup[i] and pd.notna(nn) and float(nn) >= min_n else "")
        labels.append(label_with_n(str(data[label].iloc[i]), n_text))
    ax.set_yticks(pos, labels)
    ax.set_ylim(-0.6, k - 0.4)
    ax.grid(axis="y", visible=False)
    if percent:
        percent_axis(ax.xaxis, language)
    else:
        ax.xaxis.set_major_formatter(num_formatter(language))
    _title(ax, title)
    ax.set_xlabel(xlabel)
    handles = comparison_handles(data, refs=refs, flag=flag, suppressed=suppressed, flag_labels=flag_labels,
                                 suppressed_label=suppressed_label)
    _inside(ax)
    if legend:
        _legend(ax, handles, flag_title)
    return ax


def comparison_handles(data: pd.DataFrame, *, refs: dict[str, str], flag: str = "benchmark_flag",
                       suppressed: str = "suppressed", flag_labels: dict[str, str] | None = None,
                       suppressed_label: str = ""):
    """Legend entries of :func:`plot_comparison` for ``data``: the flags present, the reference
    marks present, and the suppressed band if any."""
    from matplotlib.lines import Line2D

    sup = data[suppressed].fillna(False).astype(bool).to_numpy() if suppressed in data else np.zeros(len(data), bool)
    flags = data[flag].fillna("not tested").astype(str).to_numpy() if flag in data else np.array([], dtype=str)
    handles = _flag_handles([f for f, s in zip(flags, sup) if not s], flag_labels or {})
    for r, rlabel in refs.items():
        if r in data and pd.to_numeric(data[r], errors="coerce").notna().any():
            handles.append(Line2D([], [], marker=MARKERS.get(r, "D"), linestyle="none", markersize=6,
                                  color=PALETTE.get(r, "#000000"), label=rlabel))
    if sup.any():
        handles.append(_suppressed_handle(suppressed_label))
    return handles


def t_n(n, language: str) -> str:
    """'(n = 1.234)'."""
    return f"(n = {fmt.integer(n, language)})"


def plot_priority_matrix(
    data: pd.DataFrame,
    *,
    language: str,
    quadrant_labels: dict[str, str] | None = None,
    x: str = "performance",
    y: str = "importance",
    label: str = "label",
    flag: str = "flag",
    low: str = "importance_low",
    high: str = "importance_high",
    median_label: str = "",
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    flag_labels: dict[str, str] | None = None,
    flag_title: str = "",
    ax=None,
):
    """Priority matrix: performance (proportion difference, drawn in percentage points) against
    importance with its interval (columns ``low``/``high``, vertical whiskers when present);
    a vertical line at 0 and a dashed one at the median importance (labelled ``median_label``
    at the axis edge, away from the points' labels); points coloured by their test's flag and
    labelled. Which domain is a priority follows the flags (methods), not the position, so no
    quadrant names are drawn (``quadrant_labels`` is accepted for callers and ignored).
    Returns the Axes (points: ``ax.collections[0]``)."""
    ax = _ax(ax, height=5.2)
    d = data.dropna(subset=[x, y]).reset_index(drop=True)
    xs = d[x].to_numpy(dtype=float) * 100
    ys = d[y].to_numpy(dtype=float)
    flags = d[flag].fillna("not tested").astype(str) if flag in d else pd.Series(["no difference"] * len(d))
    colors = [PALETTE.get(f, PALETTE["not tested"]) for f in flags]
    ax.scatter(xs, ys, c=colors, s=46, edgecolor="white", linewidth=0.8, zorder=3)
    tops = ys
    if low in d and high in d:
        lo, hi = d[low].to_numpy(dtype=float), d[high].to_numpy(dtype=float)
        ok = ~(np.isnan(lo) | np.isnan(hi))
        if ok.any():
            ax.vlines(xs[ok], lo[ok], hi[ok], colors=[c for c, k in zip(colors, ok) if k], linewidth=1.6,
                      alpha=0.8, zorder=2, gid="importance-interval")
            tops = np.concatenate([ys, hi[ok]])
    med_y = float(np.median(ys)) if len(ys) else 0.0
    r = max(4.0, float(np.max(np.abs(xs)))) if len(xs) else 10.0
    left = min(float(np.min(xs)) - 0.3 * r, -0.4 * r) if len(xs) else -r
    right = max(float(np.max(xs)) + 0.3 * r, 0.4 * r) if len(xs) else r
    ytop = max(float(np.max(tops)) * 1.12, med_y * 2) if len(ys) else 1.0
    ax.set_xlim(left, right)
    ax.set_ylim(0, ytop)
    ax.axvline(0, color="#555555", linewidth=0.9, zorder=1)
    ax.axhline(med_y, color="#555555", linewidth=0.9, linestyle="--", zorder=1)
    if median_label:
        ax.annotate(median_label, (1.0, med_y), xycoords=("axes fraction", "data"), xytext=(-2, 2),
                    textcoords="offset points", ha="right", va="bottom", fontsize=7, color="#444444",
                    gid="median-label")
    from matplotlib.patheffects import withStroke

    halo = [withStroke(linewidth=2.5, foreground="white")]
    texts = [ax.annotate(wrap(lab, 24), (px, py), xytext=(6, 0), textcoords="offset points", fontsize=7.5,
                         va="center", ha="left", zorder=4, gid="point-label", path_effects=halo)
             for lab, px, py in zip(d[label], xs, ys)]
    _inside(ax)
    ax.xaxis.set_major_formatter(num_formatter(language))
    percent_axis(ax.yaxis, language)
    _title(ax, title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    _legend(ax, _flag_handles(flags, flag_labels or {}), flag_title)
    place_labels(ax, texts)  # last: in the final layout
    return ax


_CANDIDATES = [  # (dx, dy) in points, ha, va: right, left, above, below, diagonals, then farther out
    ((6, 0), "left", "center"), ((-6, 0), "right", "center"), ((0, 7), "center", "bottom"),
    ((0, -7), "center", "top"), ((6, 6), "left", "bottom"), ((-6, 6), "right", "bottom"),
    ((6, -6), "left", "top"), ((-6, -6), "right", "top"),
    ((14, 12), "left", "bottom"), ((-14, 12), "right", "bottom"), ((14, -12), "left", "top"),
    ((-14, -12), "right", "top"), ((0, 18), "center", "bottom"), ((0, -18), "center", "top"),
    ((24, 0), "left", "center"), ((-24, 0), "right", "center"),
]


def place_labels(ax, texts, *, marker_pt: float = 4.0) -> None:
    """Greedy label placement: each annotation takes the first of a fixed list of positions around
    its point that overlaps no label placed before, no point and stays inside the axes (else the
    least-overlapping one); labels set far from their point get a thin leader line.

    Call it when everything else of the figure is drawn on: it runs the figure's layout once and
    then fixes it (layout engine ``"none"``), so the saved chart has exactly the geometry the
    labels were placed in (and saving does not lay the figure out again)."""
    fig = ax.figure
    if not texts or not hasattr(fig.canvas, "get_renderer"):
        return
    engine = fig.get_layout_engine()
    if engine is not None:  # the final layout, without drawing anything
        engine.execute(fig)
        fig.set_layout_engine("none")
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    px_pt = fig.dpi / 72.0
    points = [ax.transData.transform(tx.xy) for tx in texts]
    r = marker_pt * px_pt
    point_boxes = [(x - r, y - r, x + r, y + r) for x, y in points]

    def overlap(a, b):
        w = min(a[2], b[2]) - max(a[0], b[0])
        h = min(a[3], b[3]) - max(a[1], b[1])
        return w * h if w > 0 and h > 0 else 0.0

    placed = []
    order = sorted(range(len(texts)), key=lambda i: -points[i][1])
    for i in order:
        tx = texts[i]
        best, best_cost = None, None
        for (dx, dy), ha, va in _CANDIDATES:
            tx.set_position((dx, dy))
            tx.set_ha(ha)
            tx.set_va(va)
            bb = tx.get_window_extent(renderer)
            box = (bb.x0 - 1, bb.y0 - 1, bb.x1 + 1, bb.y1 + 1)
            cost = sum(overlap(box, o) for o in placed)
            cost += sum(overlap(box, p) for j, p in enumerate(point_boxes) if j != i)
            outside = (max(0, frame.x0 - box[0]) + max(0, box[2] - frame.x1)
                       + max(0, frame.y0 - box[1]) + max(0, box[3] - frame.y1))
            cost += outside * (bb.height + bb.width)
            if best_cost is None or cost < best_cost - 1e-9:
                best, best_cost = ((dx, dy), ha, va, box), cost
            if cost == 0:
                break
        (dx, dy), ha, va, box = best
        tx.set_position((dx, dy))
        tx.set_ha(ha)
        tx.set_va(va)
        placed.append(box)
        if abs(dx) > 10 or abs(dy) > 10:
            tx.arrow_patch = None
            ax.annotate("", xy=tx.xy, xytext=(dx * 0.7, dy * 0.7), textcoords="offset points",
                        arrowprops=dict(arrowstyle="-", color="#9a9a9a", linewidth=0.6, shrinkA=0, shrinkB=3))


def plot_trend(
    data: pd.DataFrame,
    *,
    language: str,
    wave: str,
    previous_wave: str,
    label: str = "label",
    value: str = "value",
    previous: str = "previous",
    flag: str = "previous_flag",
    suppressed: str = "suppressed",
    title: str = "",
    xlabel: str = "",
    flag_labels: dict[str, str] | None = None,
    flag_title: str = "",
    suppressed_label: str = "",
    ax=None,
):
    """Paired horizontal bars per row: the previous wave (bluish green) and this wave (coloured by
    its flag against the previous wave). Returns the Axes; ``ax.containers[0]`` holds the previous
    wave's bars, ``ax.containers[1]`` this wave's."""
    from matplotlib.patches import Patch, Rectangle

    k = len(data)
    ax = _ax(ax, height=0.5 * k + 1.6)
    pos = np.arange(k)[::-1].astype(float)
    sup = data[suppressed].fillna(False).astype(bool).to_numpy() if suppressed in data else np.zeros(k, bool)
    cur = np.where(sup, np.nan, pd.to_numeric(data[value], errors="coerce").to_numpy(dtype=float))
    prev = np.where(sup, np.nan, pd.to_numeric(data[previous], errors="coerce").to_numpy(dtype=float))
    flags = data[flag].fillna("not tested").astype(str).to_numpy()
    h = 0.36
    ax.barh(pos + h / 2, np.nan_to_num(prev), height=h, color=PALETTE["previous"], alpha=PREVIOUS_ALPHA, zorder=2)
    ax.barh(pos - h / 2, np.nan_to_num(cur), height=h, color=[PALETTE.get(f, PALETTE["not tested"]) for f in flags],
            zorder=2)
    ax.set_xlim(0, 1)
    for i in range(k):
        if sup[i]:
            ax.add_patch(Rectangle((0, pos[i] - 0.4), 1, 0.8, facecolor=PALETTE["suppressed"], edgecolor=SUPPRESSED_EDGE,
                                   hatch=HATCH, linewidth=0.6, zorder=1, gid="suppressed"))
            ax.text(0.01, pos[i], fmt.DASH, va="center", fontsize=9, zorder=5)
            continue
        for v, off in ((prev[i], h / 2), (cur[i], -h / 2)):
            if not np.isnan(v):
                ax.text(v + 0.01, pos[i] + off, fmt.pct(v, language), va="center", fontsize=7, color="#222222")
    ax.set_yticks(pos, [wrap(v, 32) for v in data[label]])
    ax.set_ylim(-0.6, k - 0.4)
    ax.grid(axis="y", visible=False)
    percent_axis(ax.xaxis, language)
    _title(ax, title)
    ax.set_xlabel(xlabel)
    handles = [Patch(facecolor=PALETTE["previous"], alpha=PREVIOUS_ALPHA, label=str(previous_wave))]
    handles += [Patch(facecolor=PALETTE[f], label=f"{wave}: {(flag_labels or {}).get(f, f)}")
                for f in FLAGS if f in set(flags[~sup])]
    if sup.any():
        handles.append(_suppressed_handle(suppressed_label))
    _inside(ax)
    _legend(ax, handles, flag_title)
    return ax


def heat_colours(values: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(background, dark) per cell of a heatmap of proportions: the hex colour of
    :data:`HEATMAP_CMAP` (0 to 1) and whether white text has more contrast on it than black
    (relative luminance <= 0.179, where both give 4.58:1): the text colour with the higher WCAG
    contrast, so every cell reaches 4.5:1 (AA). Missing values get ``""``/False.

    >>> bg, dark = heat_colours(pd.DataFrame({"a": [0.0, 1.0]}))
    >>> bg["a"].tolist(), dark["a"].tolist()
    (['#ffffd9', '#081d58'], [False, True])
    """
    cmap = mpl.colormaps[HEATMAP_CMAP]
    v = values.astype(float).to_numpy()
    rgba = cmap(np.nan_to_num(v).clip(0, 1))
    hexes = np.array([mpl.colors.to_hex(c) for c in rgba.reshape(-1, 4)]).reshape(v.shape)
    dark = (relative_luminance(rgba.reshape(-1, 4)) <= HEAT_WHITE_MAX_LUMINANCE).reshape(v.shape)
    missing = np.isnan(v)
    return (pd.DataFrame(np.where(missing, "", hexes), index=values.index, columns=values.columns),
            pd.DataFrame(dark & ~missing, index=values.index, columns=values.columns))


def _inside(ax) -> None:
    """Texts drawn inside the axes (cell values, dashes, bar values, point labels) take no part in
    the layout: constrained layout then need not measure them (much faster for heatmaps)."""
    for txt in ax.texts:
        txt.set_in_layout(False)


#: SVG with live text: text is not turned into glyph paths (a third of a chart's drawing time, and
#: text stays sharp in print and selectable); ids are stable from run to run
SVG_RC = {"svg.fonttype": "none", "svg.hashsalt": "ikto", **LITERAL_TEXT}


def figure_svg(fig) -> bytes:
    """The figure as SVG bytes with live text and no creation date (a chart drawn again gives the
    same bytes).

    Texts name the font stack of :func:`chart_style` (DejaVu Sans, then Arial, Helvetica,
    Liberation Sans, sans-serif); the layout is measured with DejaVu Sans, wider than these, so a
    reader without it sees narrower text that still fits.
    """
    buf = io.BytesIO()
    with mpl.rc_context(SVG_RC):
        fig.savefig(buf, format="svg", facecolor="white", metadata={"Date": None})
    return buf.getvalue()


def figure_html(fig_or_ax, *, alt: str, caption: str | None = None) -> str:
    """An embeddable ``<figure>`` with the chart as a base64 SVG ``<img>`` carrying ``alt`` text.

    The image's CSS width equals the figure's width in inches at 96 px per inch, so text keeps its
    point size on screen and on paper. An ``<img>`` (not inline ``<svg>``) keeps every chart's
    styles and ids to itself.
    """
    fig = getattr(fig_or_ax, "figure", fig_or_ax)
    fig = fig.get_figure() if hasattr(fig, "get_figure") and fig.get_figure() is not None else fig
    data = base64.b64encode(figure_svg(fig)).decode("ascii")
    w_in, h_in = fig.get_size_inches()
    style = f"width:{round(w_in * 96)}px;max-width:100%;height:auto"
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return (f'<figure class="chart"><img src="data:image/svg+xml;base64,{data}" alt="{escape(alt, quote=True)}" '
            f'style="{style}">{cap}</figure>')
