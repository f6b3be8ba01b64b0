"""The library in three lines: from a wave folder to a tidy frame of results and a chart.

>>> from ikto_lib.api import results, domain_chart            # doctest: +SKIP
>>> res = results("data/demo/2015", previous="data/demo/2013")  # doctest: +SKIP
>>> fig = domain_chart(res, "MINBZK")                          # doctest: +SKIP

:func:`results` validates the wave (and the previous one), computes the prepared results once
(reused from ``outputs/<wave>/prepared`` while data, settings and library are unchanged) and
returns the tidy ``results`` table, anonymity already applied. :func:`domain_chart` draws one
organisation's domains against a comparison. Everything else (explorer, reports, quality) is in
:mod:`ikto_lib.workbench`, :mod:`ikto_lib.report` and :mod:`ikto_lib.quality`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from .config import Instrument, Settings, load_instrument, load_settings
from .paths import outputs_dir, resolve
from .workbench.labels import value_heading

__all__ = ["results", "domain_chart", "ChartFigure"]


class ChartFigure(Figure):
    """A matplotlib figure that Jupyter shows as a PNG with any backend (``MPLBACKEND=Agg``
    included), never as its ``<Figure size ...>`` repr."""

    def _repr_png_(self) -> bytes:
        import io

        buf = io.BytesIO()
        self.savefig(buf, format="png")
        return buf.getvalue()


def results(wave_dir: str | Path, previous: str | Path | None = None, *, settings: Settings | None = None,
            outputs: str | Path | None = None, force: bool = False) -> pd.DataFrame:
    """The tidy results of a wave (one row per org x unit x breakdown x category x domain x
    item x measure x comparison; columns as in ``results.parquet`` of the data contract).

    Parameters
    ----------
    wave_dir : folder of the wave (relative paths are found from the project root).
    previous : folder of the previous wave, for the trend comparison; optional.
    settings : default :func:`ikto_lib.config.load_settings` (``parameters/settings.yml``).
    outputs : where ``<wave>/prepared`` is kept (default: the project's ``outputs/``).
    force : recompute even when the prepared results are current.

    Raises
    ------
    ikto_lib.validate.ValidationError
        When a wave is invalid (every problem with file, row and column).
    """
    from .prepare import ensure_prepared
    from .prepared import Prepared
    from .validate import load_wave

    settings = settings or load_settings()
    wave = load_wave(resolve(wave_dir))
    prev = load_wave(resolve(previous)) if previous else None
    out = Path(outputs) if outputs is not None else outputs_dir()
    folder, _reused = ensure_prepared(wave, prev, settings, out / wave.name / "prepared", force=force)
    return Prepared(folder).table("results")


def domain_chart(results: pd.DataFrame, org: str, *, measure: str = "top2", comparison: str = "benchmark",
                 language: str = "nl", instrument: Instrument | None = None) -> ChartFigure:
    """A bar per domain of ``org`` (whole organisation) with its interval, and the ``comparison``
    (``benchmark``, ``peers`` or ``previous``) as a diamond; suppressed domains are left empty.

    Parameters
    ----------
    results : the frame :func:`results` returns.
    org : organisation code.
    measure : ``"top2"`` (share, %) or ``"mean"``.
    comparison : the reference shown beside each domain.
    language : ``"nl"`` or ``"en"`` for the axis label.
    instrument : the survey's instrument, for the name of its positive measure on the axis
        (default: the instrument in ``parameters/``).

    Returns
    -------
    ChartFigure
        A matplotlib figure; Jupyter displays it as an image; ``fig.savefig("x.png")`` to keep it.
    """
    r = results
    sel = r[(r["org"] == org) & (r["unit"] == "") & (r["breakdown"] == "") & (r["item"] == "")
            & (r["domain"] != "") & (r["measure"] == measure)]
    if sel.empty:
        raise ValueError(f"no {measure!r} figures of organisation {org!r} in these results")
    own = sel[sel["comparison"] == ""].drop_duplicates("domain").set_index("domain")
    ref = sel[sel["comparison"] == comparison].drop_duplicates("domain").set_index("domain")["ref_value"]
    fig = ChartFigure(figsize=(8, 3.4), dpi=90)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.09, 0.3, 0.88, 0.6))
    x = np.arange(len(own))
    v = own["value"].to_numpy(dtype=float)
    err = np.vstack([v - own["ci_low"].to_numpy(dtype=float), own["ci_high"].to_numpy(dtype=float) - v])
    ax.bar(x, np.nan_to_num(v), color="#3a6ea5", width=0.55)
    ax.errorbar(x, v, yerr=np.nan_to_num(err), fmt="none", ecolor="black", capsize=3, lw=1)
    ax.scatter(x, ref.reindex(own.index).to_numpy(dtype=float), marker="D", color="#e07b00", zorder=3,
               label=comparison)
    ax.set_xticks(x, own.index, rotation=30, ha="right", fontsize=8)
    if measure == "top2":
        ax.set_ylim(0, 1)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    inst = instrument if instrument is not None else load_instrument()
    ax.set_ylabel(value_heading("top2" if measure == "top2" else "mean", "", language, inst))
    ax.set_title(org, loc="left", fontsize=10)
    ax.legend(loc="lower right", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return fig
