"""Numbers, dates and lists in the report's locale (babel).

Missing values format as ``""`` (not applicable); suppressed figures are never formatted here:
the callers put :data:`DASH` in their place.

>>> pct(0.8293, "nl"), pct(0.8293, "en")
('82,9%', '82.9%')
>>> num(7.4, "nl"), num(7.4, "en")
('7,4', '7.4')
>>> integer(12345, "nl"), integer(12345, "en")
('12.345', '12,345')
>>> pp(0.053, "nl"), pp(-0.053, "en")
('+5,3', '−5.3')
>>> listing(["ICT", "HR", "Catering"], "nl")
'ICT, HR en Catering'
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Sequence

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

#: What a suppressed cell shows (an en dash), everywhere in the report.
DASH = "–"
_MINUS = "−"  # U+2212, typographic minus for signed differences


def _missing(x) -> bool:
    if x is None:
        return True
    try:
        return bool(math.isnan(float(x)))
    except (TypeError, ValueError):
        return True


def pct(x, language: str, *, decimals: int = 1) -> str:
    """A proportion (0.829) as a percentage ('82,9%')."""
    if _missing(x):
        return ""
    pattern = "#,##0%" if decimals == 0 else "#,##0." + "0" * decimals + "%"
    return format_percent(float(x), pattern, locale=language)


def num(x, language: str, *, decimals: int = 1) -> str:
    """A number with a fixed number of decimals ('7,4')."""
    if _missing(x):
        return ""
    pattern = "#,##0" if decimals == 0 else "#,##0." + "0" * decimals
    return format_decimal(float(x), pattern, locale=language)


def integer(x, language: str) -> str:
    """A count with thousands separators ('12.345')."""
    if _missing(x):
        return ""
    return format_decimal(int(round(float(x))), "#,##0", locale=language)


def signed(x, language: str, *, decimals: int = 1, scale: float = 1.0) -> str:
    """A difference with its sign (+0,4 / −0,4); ``scale`` multiplies first (100 for pp)."""
    if _missing(x):
        return ""
    v = float(x) * scale
    text = num(abs(v), language, decimals=decimals)
    if round(abs(v), decimals) == 0:
        return text
    return ("+" if v > 0 else _MINUS) + text


def pp(x, language: str, *, decimals: int = 1) -> str:
    """A difference of proportions in percentage points, signed ('+5,3')."""
    return signed(x, language, decimals=decimals, scale=100.0)


def date(d: _dt.date | str | None, language: str) -> str:
    """A date in words ('23 november 2026'); ISO strings are accepted."""
    if d is None or d == "":
        return ""
    if isinstance(d, str):
        d = _dt.datetime.fromisoformat(d)
    if isinstance(d, _dt.datetime):
        d = d.date()
    return format_date(d, "long", locale=language)


def listing(items: Sequence[str], language: str, *, style: str = "standard") -> str:
    """'A, B en C' / 'A, B and C' (``style="or"``: 'A, B of C')."""
    items = [str(i) for i in items]
    if not items:
        return ""
    return format_list(items, style=style, locale=language)
