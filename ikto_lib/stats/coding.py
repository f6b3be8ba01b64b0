"""Coding of raw answers: valid codes, top-2/bottom-2 boxes, domain scores, grade pass.

All functions are pure and vectorised; missing answers are ``NaN`` in float frames.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["valid_codes", "reverse", "yes_share", "top2", "bottom2", "domain_scores", "grade_pass"]


def _as_float_array(values: pd.DataFrame | pd.Series) -> np.ndarray:
    """Float numpy view of a frame or series, pandas ``<NA>`` as ``NaN``."""
    try:
        return values.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"values must be numeric, got dtypes {set(map(str, np.atleast_1d(values.dtypes)))}") from exc


def _wrap(arr: np.ndarray, like: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    """A new frame/series around ``arr`` (which the caller created), without another copy."""
    if isinstance(like, pd.Series):
        return pd.Series(arr, index=like.index, name=like.name, copy=False)
    # column-major data is pandas' own block layout: no transposed copy
    return pd.DataFrame(np.asfortranarray(arr), index=like.index, columns=like.columns, copy=False)


def _in_codes(arr: np.ndarray, codes: Sequence[float]) -> np.ndarray:
    """``np.isin`` for a handful of codes (equalities are much faster than isin's sort)."""
    hit = np.zeros(arr.shape, dtype=bool)
    for code in codes:
        hit |= arr == code
    return hit


def valid_codes(
    codes: pd.DataFrame | pd.Series, nvt_code: int | Sequence[int], *, scale: tuple[int, int] = (1, 5)
) -> pd.DataFrame | pd.Series:
    """Raw answer codes to float values, "not applicable" and missing as ``NaN``.

    Parameters
    ----------
    codes : DataFrame or Series
        Raw integer codes (e.g. nullable ``Int8``), respondents x items.
    nvt_code : int or sequence of int
        The code(s) meaning "not applicable / no opinion" (n.v.t., weet niet); they become ``NaN``.
    scale : (int, int)
        Smallest and largest valid code of the answer scale, from the instrument.

    Returns
    -------
    DataFrame or Series
        Same shape, index and columns, ``float64``: valid codes as floats, n.v.t. and missing
        as ``NaN``.

    Raises
    ------
    ValueError
        When a code is neither on the scale, nor ``nvt_code``, nor missing.

    Examples
    --------
    >>> raw = pd.DataFrame({"q1": pd.array([1, 9, None, 5], dtype="Int8")})
    >>> valid_codes(raw, nvt_code=9)["q1"].tolist()
    [1.0, nan, nan, 5.0]
    """
    lo, hi = scale
    arr = _as_float_array(codes)
    nvt_codes = [nvt_code] if np.isscalar(nvt_code) else list(nvt_code)
    nvt = _in_codes(arr, nvt_codes)
    with np.errstate(invalid="ignore"):
        bad = ~((arr >= lo) & (arr <= hi)) & ~nvt & ~np.isnan(arr)
        kinds = {np.dtype(getattr(t, "numpy_dtype", t)).kind for t in np.atleast_1d(codes.dtypes)}
        if kinds - {"i", "u", "b"}:  # float codes: must be whole numbers too
            bad |= ~np.isnan(arr) & (np.mod(arr, 1) != 0)
    if bad.any():
        found = sorted(set(np.unique(arr[bad]).tolist()))[:10]
        raise ValueError(f"codes outside the scale {lo}..{hi} and not an n.v.t. code {nvt_codes}: {found}")
    out = np.where(nvt, np.nan, arr)
    return _wrap(out, codes)


def reverse(values: pd.DataFrame, columns: Sequence[str], scale: tuple[int, int]) -> pd.DataFrame:
    """Recode the ``columns`` whose positive end is the scale's lowest code: ``min + max - x``.

    Examples
    --------
    >>> v = pd.DataFrame({"a": [1.0, 5.0, np.nan], "b": [2.0, 4.0, 3.0]})
    >>> reverse(v, ["a"], (1, 5))["a"].tolist()
    [5.0, 1.0, nan]
    """
    cols = [c for c in columns if c in values.columns]
    if not cols:
        return values
    out = values.copy()
    out[cols] = (scale[0] + scale[1]) - out[cols]
    return out


def yes_share(codes: pd.DataFrame | pd.Series, yes: int, no: int,
              nvt_codes: Sequence[int]) -> pd.DataFrame | pd.Series:
    """Yes/no answers to an indicator: 1.0 yes, 0.0 no, ``NaN`` n.v.t. or missing; its (weighted)
    mean is the share yes.

    Raises
    ------
    ValueError
        When a code is neither yes, no, n.v.t. nor missing.

    Examples
    --------
    >>> yes_share(pd.Series([1, 2, 9, None], dtype="Int8"), 1, 2, [9]).tolist()
    [1.0, 0.0, nan, nan]
    """
    arr = _as_float_array(codes)
    is_yes, is_no, nvt = arr == yes, arr == no, _in_codes(arr, list(nvt_codes))
    bad = ~(is_yes | is_no | nvt | np.isnan(arr))
    if bad.any():
        raise ValueError(f"yes/no codes other than {yes}, {no} or n.v.t. {list(nvt_codes)}: "
                         f"{sorted(set(np.unique(arr[bad]).tolist()))[:10]}")
    return _wrap(np.where(is_yes, 1.0, np.where(is_no, 0.0, np.nan)), codes)


def _box(values: pd.DataFrame | pd.Series, codes: Sequence[float]) -> pd.DataFrame | pd.Series:
    arr = _as_float_array(values)
    return _wrap(np.where(np.isnan(arr), np.nan, _in_codes(arr, codes)), values)


def top2(values: pd.DataFrame | pd.Series, top: Sequence[int] = (4, 5)) -> pd.DataFrame | pd.Series:
    """Top-2-box indicator: 1.0 when the answer is in ``top``, 0.0 otherwise, ``NaN`` when missing.

    Parameters
    ----------
    values : DataFrame or Series
        Valid answers as floats, ``NaN`` for missing (see :func:`valid_codes`).
    top : sequence of int
        The codes of the top box (instrument ``scale.top2``).

    Returns
    -------
    DataFrame or Series
        Float indicator of the same shape; its (weighted) mean is the top-2-box share.

    Examples
    --------
    >>> top2(pd.Series([1.0, 4.0, np.nan, 5.0])).tolist()
    [0.0, 1.0, nan, 1.0]
    """
    return _box(values, top)


def bottom2(values: pd.DataFrame | pd.Series, bottom: Sequence[int] = (1, 2)) -> pd.DataFrame | pd.Series:
    """Bottom-2-box indicator: 1.0 when the answer is in ``bottom``, 0.0 otherwise, ``NaN`` when missing.

    Parameters
    ----------
    values : DataFrame or Series
        Valid answers as floats, ``NaN`` for missing.
    bottom : sequence of int
        The codes of the bottom box (instrument ``scale.bottom2``).

    Returns
    -------
    DataFrame or Series
        Float indicator of the same shape.

    Examples
    --------
    >>> bottom2(pd.Series([1.0, 4.0, np.nan, 2.0])).tolist()
    [1.0, 0.0, nan, 1.0]
    """
    return _box(values, bottom)


def domain_scores(
    values: pd.DataFrame,
    domain_items: Mapping[str, Sequence[str]],
    *,
    min_items_share: float,
    top: Sequence[int] = (4, 5),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per respondent: domain mean score and domain top-2 share.

    Parameters
    ----------
    values : DataFrame
        Valid answers as floats (respondents x items), ``NaN`` for missing / n.v.t.
    domain_items : mapping of str to list of str
        Domain id -> the item columns of that domain.
    min_items_share : float
        A respondent's domain figure counts only when they answered at least this share of the
        domain's items (settings ``min_items_share``), in (0, 1].
    top : sequence of int
        Codes of the top box.

    Returns
    -------
    score : DataFrame
        Respondents x domains: mean of the answered items, ``NaN`` below the rule.
    top2 : DataFrame
        Respondents x domains: share of the answered items in ``top``, ``NaN`` below the rule.

    Notes
    -----
    With :math:`a_{rd}` the number of items of domain :math:`d` (of :math:`k_d` items) answered by
    respondent :math:`r`, the score is :math:`\\bar x_{rd} = \\frac{1}{a_{rd}}\\sum_{j \\in d} x_{rj}`
    when :math:`a_{rd} \\ge \\lceil s \\cdot k_d \\rceil` (and :math:`a_{rd} \\ge 1`), else missing; the
    top-2 share replaces :math:`x_{rj}` by the indicator :math:`[x_{rj} \\in \\text{top}]`.

    Examples
    --------
    >>> v = pd.DataFrame({"a": [4.0, 2.0, np.nan], "b": [5.0, np.nan, np.nan]})
    >>> score, t2 = domain_scores(v, {"d": ["a", "b"]}, min_items_share=0.5)
    >>> score["d"].tolist(), t2["d"].tolist()
    ([4.5, 2.0, nan], [1.0, 0.0, nan])
    """
    if not 0 < min_items_share <= 1:
        raise ValueError(f"min_items_share must be in (0, 1], got {min_items_share}")
    scores: dict[str, np.ndarray] = {}
    tops: dict[str, np.ndarray] = {}
    for domain, items in domain_items.items():  # loop over domains (few), not over respondents
        items = list(items)
        if not items:
            raise ValueError(f"domain {domain!r} has no items")
        missing = [i for i in items if i not in values.columns]
        if missing:
            raise ValueError(f"domain {domain!r}: items not in values: {missing}")
        x = _as_float_array(values[items])
        answered = ~np.isnan(x)
        n_ans = answered.sum(axis=1)
        ok = (n_ans >= min_items_share * len(items) - 1e-9) & (n_ans > 0)
        denom = np.where(ok, n_ans, 1)
        scores[domain] = np.where(ok, np.where(answered, x, 0.0).sum(axis=1) / denom, np.nan)
        tops[domain] = np.where(ok, _in_codes(x, top).sum(axis=1) / denom, np.nan)
    cols = pd.Index(list(domain_items), name="domain")
    return (
        pd.DataFrame(scores, index=values.index, columns=cols),
        pd.DataFrame(tops, index=values.index, columns=cols),
    )


def grade_pass(grade: pd.Series | np.ndarray, pass_mark: float) -> pd.Series | np.ndarray:
    """Pass indicator of the overall grade: 1.0 when ``grade >= pass_mark``, 0.0 below, ``NaN`` missing.

    Parameters
    ----------
    grade : Series or array
        Grades (e.g. 1..10), missing as ``NaN`` / ``<NA>``.
    pass_mark : float
        The lowest passing grade (instrument ``grade.pass_mark``, 6 = *voldoende*).

    Examples
    --------
    >>> grade_pass(pd.Series([5, 6, None, 9], dtype="Int8"), 6).tolist()
    [0.0, 1.0, nan, 1.0]
    """
    if isinstance(grade, pd.Series):
        arr = _as_float_array(grade)
    else:
        arr = np.asarray(grade, dtype=float)
    out = np.where(np.isnan(arr), np.nan, (arr >= pass_mark).astype(float))
    if isinstance(grade, pd.Series):
        return pd.Series(out, index=grade.index, name=grade.name)
    return out
