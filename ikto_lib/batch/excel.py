"""``<org>.xlsx``: a report's tables for analysts, one formatted sheet per section.

The tables come from :func:`ikto_lib.report.excel.excel_tables` (anonymity already applied);
this module only lays them out: bold header row, frozen below the header, column widths from the
content, and percentages stored as numbers (0.829) shown with a percent format (82.9%).

Which columns are percentages: those listed in ``frame.attrs["percent_columns"]`` when the table
says so, otherwise columns whose name says so (``top2``, ``share``, ``rate``, ``pct``, ``%`` ...)
and that hold proportions between 0 and 1, and any column of text such as ``"82,9%"``, which is
converted back to the number.

Text from the data (organisation and unit names, category labels, pluim texts) is never a
formula: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written as
a string cell with Excel's quote prefix (:func:`neutralise_formulas`).

>>> import pandas as pd, io, openpyxl
>>> buf = workbook_bytes({"Domeinen": pd.DataFrame({"domein": ["ICT"], "top2": [0.829]})})
>>> ws = openpyxl.load_workbook(io.BytesIO(buf))["Domeinen"]
>>> ws["B2"].value, ws["B2"].number_format, ws["A1"].font.bold
(0.829, '0.0%', True)
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from ..prepared import atomic_write_bytes
from ..publish import for_publication

PERCENT_FORMAT = "0.0%"
PERCENT_NAME = re.compile(r"top.?2|share|rate|pct|percent|procent|aandeel|respons|%", re.I)
PERCENT_TEXT = re.compile(r"^\s*([+\-\u2212]?\d+(?:[.,]\d+)?)\s*%\s*$")
MAX_WIDTH = 60
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
#: Leading characters that make a spreadsheet read text as a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


#: Words left out first when a sheet name is too long (never the first word).
FILLER_WORDS = frozenset({"de", "het", "een", "van", "der", "den", "en", "the", "of", "a", "an", "and"})
SHEET_MAX = 31  # Excel's limit


def short_sheet_name(name: str, limit: int = SHEET_MAX) -> str:
    """``name`` within ``limit`` characters by a rule that never cuts a word: characters Excel
    refuses become spaces; then filler words (articles, "van", "of") are left out; then whole
    words from the end. Only a single word longer than the limit is cut.

    >>> short_sheet_name("Ontwikkeling sinds de vorige meting")
    'Ontwikkeling sinds vorige'
    >>> short_sheet_name("Positie tussen organisaties")
    'Positie tussen organisaties'
    """
    words = _BAD_SHEET_CHARS.sub(" ", str(name)).split()
    if len(" ".join(words)) > limit:
        words = [w for i, w in enumerate(words) if i == 0 or w.lower() not in FILLER_WORDS]
    while len(" ".join(words)) > limit and len(words) > 1:
        words.pop()
    return " ".join(words)[:limit]


def sheet_names(names: list[str]) -> list[str]:
    """Valid, unique Excel sheet names (max 31 characters, no ``[]:*?/\\``, no cut words: see
    :func:`short_sheet_name`)."""
    out: list[str] = []
    for name in names:
        base = short_sheet_name(name) or "Sheet"
        candidate, i = base, 2
        while candidate.lower() in {o.lower() for o in out}:
            suffix = f" ({i})"
            candidate, i = short_sheet_name(base, SHEET_MAX - len(suffix)) + suffix, i + 1
        out.append(candidate)
    return out


def percent_columns(frame: pd.DataFrame) -> list[str]:
    """Columns of ``frame`` to store as numbers with a percent format."""
    if "percent_columns" in frame.attrs:
        return [c for c in frame.attrs["percent_columns"] if c in frame.columns]
    cols = []
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            v = pd.to_numeric(s, errors="coerce").dropna()
            if PERCENT_NAME.search(str(col)) and len(v) and v.between(0, 1).all():
                cols.append(col)
        elif _is_percent_text(s):
            cols.append(col)
    return cols


def _is_percent_text(s: pd.Series) -> bool:
    if not (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)):
        return False
    v = s.dropna().astype(str)
    v = v[~v.str.strip().isin(["", "–", "-"])]
    return bool(len(v)) and v.str.match(PERCENT_TEXT).all()


def _as_proportion(s: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(s):
        return s.astype("float64")

    def conv(x):
        m = PERCENT_TEXT.match(str(x)) if x is not None and not pd.isna(x) else None
        if not m:
            return x
        return round(float(m.group(1).replace(",", ".").replace("\u2212", "-")) / 100, 12)
    return s.astype(object).map(conv)


def number_formats(frame: pd.DataFrame) -> dict[str, str]:
    """Column -> Excel number format: ``frame.attrs["number_formats"]`` when the table says so
    (:mod:`ikto_lib.report.excel`), plus :data:`PERCENT_FORMAT` for :func:`percent_columns`."""
    formats = {c: f for c, f in frame.attrs.get("number_formats", {}).items() if c in frame.columns}
    for c in percent_columns(frame):
        formats.setdefault(c, PERCENT_FORMAT)
    return formats


def workbook_bytes(tables: dict[str, pd.DataFrame]) -> bytes:
    """The workbook of ``tables`` (sheet title -> table) as ``.xlsx`` bytes.

    Per table (``frame.attrs``): number formats (:func:`number_formats`), the cells
    ``suppressed`` for anonymity (``[row, column]``: written as :data:`~ikto_lib.report.fmt.DASH`)
    and ``notes`` (lines below the table, after an empty row)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from ..report.fmt import DASH

    buf = io.BytesIO()
    if not tables:
        tables = {"—": pd.DataFrame()}
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for title, (_, frame) in zip(sheet_names(list(tables)), tables.items()):
            frame = frame.reset_index(drop=True) if not isinstance(frame.index, pd.RangeIndex) \
                else frame
            formats = number_formats(frame)
            pct = [c for c, f in formats.items() if f == PERCENT_FORMAT]
            out = frame.copy()
            for col in pct:
                out[col] = _as_proportion(out[col])
            # a safety net: the tables come rounded (shares 0.001, means 0.01); nothing finer
            # and no effective n leaves in a workbook
            out = for_publication(out, shares=list(out.columns))
            out.to_excel(writer, sheet_name=title, index=False)
            ws = writer.sheets[title]
            columns = list(out.columns)
            for row, col in frame.attrs.get("suppressed", []):
                if col in columns and row < len(out):
                    cell = ws.cell(row=row + 2, column=columns.index(col) + 1)
                    if cell.value in (None, ""):
                        cell.value = DASH
                        cell.alignment = Alignment(horizontal="right")
            for k, note in enumerate(frame.attrs.get("notes", [])):
                ws.cell(row=len(out) + 3 + k, column=1, value=str(note)).font = Font(italic=True)
            neutralise_formulas(ws)
            ws.freeze_panes = "A2"
            for j, col in enumerate(columns, start=1):
                head = ws.cell(row=1, column=j)
                head.font = Font(bold=True)
                head.alignment = Alignment(wrap_text=False, vertical="top")
                form = formats.get(col)
                width = len(str(col))
                for i, value in enumerate(out[col].tolist(), start=2):
                    cell = ws.cell(row=i, column=j)
                    if form and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                        cell.number_format = form
                        width = max(width, 6)
                    elif value is not None and not (isinstance(value, float) and pd.isna(value)):
                        width = max(width, len(str(value)))
                ws.column_dimensions[get_column_letter(j)].width = min(MAX_WIDTH, width + 2)
    return buf.getvalue()


def neutralise_formulas(ws) -> int:
    """Make every cell of ``ws`` whose text a spreadsheet would read as a formula (starting with
    one of :data:`FORMULA_START`, as the OWASP CSV-injection guidance lists them) a plain string
    cell with Excel's quote prefix, so neither opening nor editing it evaluates anything. The
    workbook has no formulas of its own. Returns the number of cells changed.

    >>> import openpyxl
    >>> ws = openpyxl.Workbook().active
    >>> ws["A1"] = '=HYPERLINK("http://evil.example","Klik")'
    >>> ws["A1"].data_type, neutralise_formulas(ws), ws["A1"].data_type, ws["A1"].quotePrefix
    ('f', 1, 's', True)
    """
    changed = 0
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if cell.data_type == "f" or (isinstance(value, str) and value.startswith(FORMULA_START)):
                cell.data_type = "s"
                cell.quotePrefix = True
                changed += 1
    return changed


def write_workbook(tables: dict[str, pd.DataFrame], path: str | Path) -> int:
    """Write ``tables`` to ``path`` atomically; return the file size in bytes."""
    data = workbook_bytes(tables)
    atomic_write_bytes(Path(path), data)
    return len(data)
