"""Publication precision: every number that leaves the project is rounded to what people read.

Shares (proportions 0-1) are rounded to 0.1 percentage point (``share_decimals``, 3 decimals of
a fraction), means and other statistics to 0.01 (``mean_decimals``); Kish effective sample
sizes, sums of weights and standard deviations are never distributed. Full precision would let
a reader invert an interval to the effective n and from there to the weighting cells and the
small groups behind them (methods, "Anonymity").

The prepared tables (``outputs/<wave>/prepared/``) keep full precision and are internal (not for
distribution, see :data:`NOT_FOR_DISTRIBUTION`). Everything distributed reads them through
:class:`Published` (reports, their charts and Excel files, the group report) or rounds its own
frame with :func:`for_publication` (the index, the Excel writer).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .prepared import Prepared

__all__ = ["for_publication", "publish_table", "Published", "NOT_FOR_DISTRIBUTION",
           "write_not_for_distribution", "decimals"]

#: Columns never distributed (they give the weighting away).
INTERNAL = ("n_eff", "sd", "sum_w", "sum_w2", "sum_wx", "sum_wx2")
#: Columns of ``results`` no distributed output uses (tests and effect sizes follow from n_eff).
RESULTS_INTERNAL = ("p", "p_adj", "effect_size")
#: Columns left as they are: the p of the representativeness test is compared with alpha (a
#: rounded p could cross it) and is computed from the published counts only.
KEEP = {"representativeness": ("p",)}
#: Measures of ``results`` that are means (every other measure is a share, or a count).
MEAN_MEASURES = ("mean", "grade_mean")
#: Columns of ``results`` whose unit is the row's measure (a share or a mean).
MEASURE_COLUMNS = ("value", "ci_low", "ci_high", "ref_value", "diff")

#: Per prepared table: columns holding shares; every other float column is rounded as a mean.
SHARE_COLUMNS = {
    "organisations": ("response_rate", "margin_of_error"),
    "response": ("response_rate",),
    "ranking": ("value",),
    "best_practices": ("value", "ref_value", "diff"),
    "drivers": ("raw_weight", "share", "share_low", "share_high", "r2"),
    "priorities": ("performance", "importance", "importance_low", "importance_high", "median_importance"),
    "pluim_shares": ("share", "ref_share"),
    "grade_distribution": ("share",),
    "reliability": (),
    "representativeness": (),
}
#: Column names that are shares in any frame (the report's and the index's tables).
SHARE_NAMES = frozenset({
    "value", "ci_low", "ci_high", "benchmark", "peers", "previous", "benchmark_diff", "peers_diff",
    "previous_diff", "share", "ref_share", "response_rate", "performance", "importance", "top2",
    "margin_of_error", "raw_weight", "r2", "ref_value", "diff",
    "share_low", "share_high", "importance_low", "importance_high", "median_importance",
})

NOT_FOR_DISTRIBUTION = """\
NOT FOR DISTRIBUTION - NIET VERSPREIDEN

This folder holds the prepared results at full precision, for the reports and the analysts'
workbench of this project only. Full precision (intervals, effective sample sizes) lets a
reader work back to the weighting cells and so to small groups whose figures are hidden.
Distribute the reports (<org>.html), their workbooks (<org>.xlsx), group.html and index.html:
they carry shares to 0.1 percentage point and means to 0.01, and nothing else.

Deze map bevat de voorbereide resultaten op volle precisie, alleen voor de rapporten en de
analysewerkplaats van dit project. Volle precisie (intervallen, effectieve steekproefomvang)
laat een lezer terugrekenen naar de wegingscellen en zo naar kleine groepen waarvan de cijfers
verborgen zijn. Verspreid alleen de rapporten, hun Excel-bestanden, group.html en index.html.
"""


def decimals(settings=None) -> tuple[int, int]:
    """``(share_decimals, mean_decimals)`` from ``settings`` (a Settings object or a mapping,
    e.g. a prepared manifest's settings); missing: from ``parameters/settings.yml``."""
    def get(key):
        if settings is None:
            return None
        return settings.get(key) if isinstance(settings, dict) else getattr(settings, key, None)

    share, mean = get("share_decimals"), get("mean_decimals")
    if share is None or mean is None:
        from .config import parameters_dir

        path = parameters_dir() / "settings.yml"
        base = _file_decimals(str(path), path.stat().st_mtime_ns if path.is_file() else 0)
        share = base[0] if share is None else share
        mean = base[1] if mean is None else mean
    return int(share), int(mean)


@lru_cache(maxsize=4)
def _file_decimals(path: str, mtime_ns: int) -> tuple[int, int]:
    """The decimals of a settings file, read once per file version (the index and every sheet
    of every workbook ask)."""
    from .config import load_settings

    base = load_settings(path)
    return base.share_decimals, base.mean_decimals


def _round(values: pd.Series, places: int) -> pd.Series:
    """``values`` rounded; in a column of mixed cells only the floats (not text, not flags)."""
    if pd.api.types.is_object_dtype(values):
        is_float = values.map(type).isin([float, np.float64, np.float32]).to_numpy()
        v = pd.to_numeric(values.where(is_float), errors="coerce")
        return v.round(places).astype(object).where(is_float & v.notna().to_numpy(), values)
    v = pd.to_numeric(values, errors="coerce")
    return v.round(places).where(v.notna(), values)


def for_publication(frame: pd.DataFrame, *, shares=None, row_is_mean=None, settings=None,
                    keep=()) -> pd.DataFrame:
    """A copy of ``frame`` fit for distribution.

    Parameters
    ----------
    frame : DataFrame
        Any table of numbers about to be written to a distributed file.
    shares : iterable of str, optional
        Its columns holding shares; default: ``frame.attrs["percent_columns"]`` when set, else
        the columns named like one (:data:`SHARE_NAMES`).
    row_is_mean : array of bool, optional
        For a table mixing shares and means in its share columns (e.g. the grade mean beside
        top-2 shares): True on the rows that are means.
    settings : Settings or mapping, optional
        Where ``share_decimals`` and ``mean_decimals`` come from.
    keep : iterable of str
        Columns to leave as they are.

    Returns
    -------
    DataFrame
        Columns of :data:`INTERNAL` dropped; share columns rounded to ``share_decimals`` (means
        in them, per ``row_is_mean``, to ``mean_decimals``); every other float column to
        ``mean_decimals``. Integers, text and flags are left alone; ``attrs`` are kept.

    Examples
    --------
    >>> f = pd.DataFrame({"value": [0.823456, 7.23456], "n_eff": [40.2, 41.7], "r": [0.31234, 0.5]})
    >>> for_publication(f, row_is_mean=[False, True], settings={"share_decimals": 3, "mean_decimals": 2})
       value     r
    0  0.823  0.31
    1  7.230  0.50
    """
    share_places, mean_places = decimals(settings)
    out = frame.drop(columns=[c for c in INTERNAL if c in frame.columns])
    out.attrs = dict(frame.attrs)
    if shares is None:
        shares = out.attrs.get("percent_columns") or [c for c in out.columns if str(c) in SHARE_NAMES]
    shares = [c for c in shares if c in out.columns]
    is_mean = None if row_is_mean is None else np.asarray(row_is_mean, dtype=bool)
    for c in out.columns:
        if c in keep:
            continue
        s = out[c]
        if pd.api.types.is_bool_dtype(s) or not (pd.api.types.is_float_dtype(s) or
                                                  pd.api.types.is_object_dtype(s)):
            continue
        if c in shares:
            rounded = _round(s, share_places)
            if is_mean is not None:
                rounded = rounded.where(~is_mean, _round(s, mean_places))
        else:
            rounded = _round(s, mean_places)
        out[c] = rounded if not pd.api.types.is_object_dtype(s) else rounded.astype(object)
    return out


def publish_table(name: str, frame: pd.DataFrame, settings=None) -> pd.DataFrame:
    """A prepared table (``name``) rounded for distribution: ``results`` per row by its
    measure (means to ``mean_decimals``, shares and differences of shares to
    ``share_decimals``), the others by :data:`SHARE_COLUMNS`."""
    if name == "results":
        mean_rows = frame["measure"].isin(MEAN_MEASURES).to_numpy()
        frame = frame.drop(columns=[c for c in RESULTS_INTERNAL if c in frame.columns])
        return for_publication(frame, shares=list(MEASURE_COLUMNS), row_is_mean=mean_rows, settings=settings)
    if name in SHARE_COLUMNS:
        return for_publication(frame, shares=list(SHARE_COLUMNS[name]), settings=settings,
                               keep=KEEP.get(name, ()))
    return frame


class Published(Prepared):
    """A reader of a prepared folder whose tables come rounded for distribution
    (:func:`publish_table`, decimals from the folder's manifest settings)."""

    def table(self, name: str) -> pd.DataFrame:
        key = f"published:{name}"
        if key not in self._cache:
            settings = None
            try:
                settings = self.manifest.get("settings")
            except FileNotFoundError:
                pass
            self._cache[key] = publish_table(name, super().table(name), settings)
        return self._cache[key]


def write_not_for_distribution(folder: str | Path) -> Path:
    """Write ``NOT_FOR_DISTRIBUTION.txt`` into a prepared folder."""
    from .prepared import atomic_write_bytes

    path = Path(folder) / "NOT_FOR_DISTRIBUTION.txt"
    atomic_write_bytes(path, NOT_FOR_DISTRIBUTION.encode("utf-8"))
    return path
