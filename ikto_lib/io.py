"""Reading the tables of a wave folder as text, with spreadsheet row numbers.

A table (``responses``, ``headcount``, ``organisations``) is ``<name>.csv`` or
``<name>.parquet``. Every cell is read as it stands (text; nothing becomes NaN, ``"NA"`` stays
``"NA"``) so that validation can name each bad cell; :mod:`ikto_lib.validate` converts afterwards.

CSV: UTF-8 with or without BOM; the separator (``,`` or ``;`` as Dutch Excel writes it, or a
tab) is sniffed from the header line; line ends ``\n``, ``\r\n`` or ``\r`` alone; quoted fields may hold separators and line breaks;
surrounding spaces of column names and cells are dropped; completely empty rows (blank lines, or
``;;;`` lines that Excel leaves behind) are ignored.

Row numbers are spreadsheet rows: the header is row 1, the first data row row 2, and a record
spanning several lines (a quoted line break) counts as one row. A parquet file has no header line;
its 1-based data row ``k`` is reported as row ``k + 1``, as if it were opened in a spreadsheet.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

TABLES = ("responses", "headcount", "organisations")
BOM = b"\xef\xbb\xbf"
_SKIPPED = re.compile(r"Skipping line (\d+): expected (\d+) fields, saw (\d+)")


@dataclass(frozen=True)
class Issue:
    """A reading problem (turned into a ``validate.Problem`` by the caller)."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str


@dataclass
class Table:
    """One table as read: ``data`` (cells as text, or typed columns from parquet), the spreadsheet
    row of each data row in ``rows``, and the file it came from."""

    name: str
    path: Path
    data: pd.DataFrame
    rows: np.ndarray
    issues: list[Issue] = field(default_factory=list)

    @property
    def file(self) -> str:
        return self.path.name


def find_table(folder: Path, name: str) -> tuple[Path | None, list[Issue]]:
    """The file of table ``name`` in ``folder``, or ``None`` with an issue saying why."""
    suffixes = (".csv", ".parquet", ".sav", ".xlsx")  # .sav and .xlsx: ikto_lib.readers
    found = [p for p in (folder / f"{name}{s}" for s in suffixes) if p.is_file()]
    if len(found) == 1:
        return found[0], []
    if not found:
        return None, [Issue(f"{name}.csv", None, None, None,
                            f"a file {name}.csv, {name}.parquet, {name}.sav or {name}.xlsx in {folder} (not found)")]
    return None, [Issue(f"{name}.csv", None, None, None,
                        f"one file for the {name}, not both {' and '.join(p.name for p in found)}")]


def sniff_separator(header: str) -> str:
    """The separator of a header line: the most frequent of ``,``, ``;`` and tab (ties: ``,``).

    >>> sniff_separator("respondent_id;org;unit;grade"), sniff_separator("org,name,type")
    (';', ',')
    """
    return max([",", ";", "\t"], key=header.count)


def read_table(name: str, path: Path, instrument=None) -> Table | None:
    """Read a table; ``None`` when it cannot be read at all (then ``issues`` says why).
    ``.sav`` and ``.xlsx`` are read by :mod:`ikto_lib.readers` (``instrument``: for SPSS
    user-missing codes and value labels)."""
    if path.suffix in (".sav", ".xlsx"):
        from . import readers

        return readers.read_sav(name, path, instrument) if path.suffix == ".sav" else readers.read_xlsx(name, path)
    reader = _read_parquet if path.suffix == ".parquet" else _read_csv
    return reader(name, path)


MAX_HEADER = 100_000  # characters of the header line (the csv module refuses fields over 128 KB)
_MAX_BEYOND = 20  # rows with a value after the last column listed one by one; the rest counted


def _unreadable(name: str, path: Path, exc: OSError) -> Table:
    t = Table(name, path, pd.DataFrame(), np.zeros(0, dtype=np.int64))
    t.issues.append(Issue(path.name, None, None, None,
                          f"a readable file ({exc.strerror or type(exc).__name__})"))
    return t


def _read_csv(name: str, path: Path) -> Table:
    try:
        raw = path.read_bytes()
    except OSError as exc:  # no permission, a folder named like the file, an I/O error
        return _unreadable(name, path, exc)
    body = raw[len(BOM):] if raw.startswith(BOM) else raw
    if b"\r" in body and b"\n" not in body:  # classic Mac line ends (CR only), e.g. "CSV (Mac)"
        body = body.replace(b"\r", b"\n")
    empty = Table(name, path, pd.DataFrame(), np.zeros(0, dtype=np.int64))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_no = body.count(b"\n", 0, exc.start) + 1
        start = body.rfind(b"\n", 0, exc.start) + 1
        end = body.find(b"\n", exc.start)
        line = body[start:end if end >= 0 else len(body)].rstrip(b"\r")
        shown = line.decode("utf-8", errors="backslashreplace")
        empty.issues.append(Issue(
            path.name, line_no, None, _short(shown, 60),
            f"UTF-8 text (with or without BOM); byte 0x{body[exc.start]:02x} is not UTF-8 "
            "(in Excel: save as 'CSV UTF-8')"))
        return empty
    header_line = text.split("\n", 1)[0].rstrip("\r")
    if not header_line.strip():
        empty.issues.append(Issue(path.name, 1, None, None, "a header line with the column names"))
        return empty
    sep = sniff_separator(header_line)
    if len(header_line) > MAX_HEADER:
        empty.issues.append(Issue(path.name, 1, None, _short(header_line, 40),
                                  f"a header line of column names (at most {MAX_HEADER:,} "
                                  f"characters, not {len(header_line):,})"))
        return empty
    try:
        header = [h.strip() for h in next(csv.reader([header_line], delimiter=sep))]
    except csv.Error as exc:
        empty.issues.append(Issue(path.name, 1, None, _short(header_line, 40),
                                  f"a header line of column names ({exc})"))
        return empty
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        # one column more than the header: a value beyond the last column is reported (pandas
        # would otherwise take the first column as the index and shift every value silently);
        # an empty one (a trailing separator, as some spreadsheets write) is harmless
        width = len(header)
        try:
            data = pd.read_csv(
                io.BytesIO(body), sep=sep, header=None, skiprows=1, names=range(width + 1),
                dtype=object, na_filter=False, keep_default_na=False, skip_blank_lines=False,
                on_bad_lines="warn", encoding="utf-8",
            )
        except pd.errors.ParserError as exc:
            empty.issues.append(_parser_issue(path.name, str(exc)))
            return empty
    extra = data.pop(width)
    table = Table(name, path, data, np.arange(2, len(data) + 2, dtype=np.int64))
    skipped = []
    for w in caught:
        for m in _SKIPPED.finditer(str(w.message)):
            row, _want, saw = (int(g) for g in m.groups())
            skipped.append(row)
            table.issues.append(Issue(path.name, row, None, None,
                                      f"{width} fields like the header, not {saw} (row ignored)"))
    for row in sorted(skipped):  # rows after a skipped record move one down
        table.rows[table.rows >= row] += 1
    beyond = np.flatnonzero(extra.astype(str).str.strip().ne("").to_numpy())
    for pos in beyond[:_MAX_BEYOND]:
        table.issues.append(Issue(path.name, int(table.rows[pos]), None, _short(str(extra.iat[pos]), 40),
                                  f"{width} fields like the header, not more (a value after the last column)"))
    if len(beyond) > _MAX_BEYOND:
        table.issues.append(Issue(path.name, None, None, None,
                                  f"{len(beyond) - _MAX_BEYOND} more rows with a value after the last column"))
    data.columns = header
    _drop_bad_columns(table)
    _drop_empty_rows(table)
    return table


_EOF_IN_QUOTE = re.compile(r"EOF inside string starting at row (\d+)")


def _parser_issue(file: str, message: str) -> Issue:
    """A CSV the parser gave up on; an unterminated quote names the row where the quote opens
    (pandas counts records from 0 with the header as record 0: spreadsheet row = that + 1)."""
    m = _EOF_IN_QUOTE.search(message)
    if m:
        return Issue(file, int(m.group(1)) + 1, None, None,
                     'a closing quote (") for the quoted value opened in this row; the file ends '
                     "inside it")
    return Issue(file, None, None, None, f"a readable CSV file ({' '.join(message.split())})")


def _read_parquet(name: str, path: Path) -> Table | None:
    t = Table(name, path, pd.DataFrame(), np.zeros(0, dtype=np.int64))
    try:
        import pyarrow.parquet as pq

        schema = pq.read_schema(path)
        nested = [f for f in schema if _not_flat(f.type)]
        flat = [f.name for f in schema if not _not_flat(f.type)]
        data = pd.read_parquet(path, columns=flat) if nested else pd.read_parquet(path)
    except OSError as exc:
        if exc.strerror:  # no permission and the like (pyarrow's own errors have no strerror)
            return _unreadable(name, path, exc)
        t.issues.append(Issue(path.name, None, None, None, f"a readable parquet file ({exc})"))
        return t
    except Exception as exc:  # noqa: BLE001 - any reader error is reported, not raised
        t.issues.append(Issue(path.name, None, None, None, f"a readable parquet file ({exc})"))
        return t
    for f in nested:  # lists, structs, maps: no cell of a wave holds those
        t.issues.append(Issue(path.name, 1, str(f.name).strip(), None,
                              f"a column of numbers or text (this column holds {f.type})"))
    data = data.reset_index(drop=True)
    data.columns = [str(c).strip() for c in data.columns]
    table = Table(name, path, data, np.arange(2, len(data) + 2, dtype=np.int64), t.issues)
    _drop_bad_columns(table)
    return table


def _not_flat(kind) -> bool:
    """A parquet type that is not one value per cell (list, struct, map, binary, ...)."""
    import pyarrow as pa

    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return (pa.types.is_nested(kind) or pa.types.is_binary(kind)
            or pa.types.is_large_binary(kind) or pa.types.is_fixed_size_binary(kind))


def _drop_bad_columns(table: Table) -> None:
    """Report and drop duplicate column names; silently drop nameless empty columns."""
    cols = list(table.data.columns)
    keep, seen = [], set()
    for pos, col in enumerate(cols):
        nameless = col == "" or col.startswith("Unnamed: ")
        if nameless:
            if (text(table.data.iloc[:, pos]) != "").any():
                table.issues.append(Issue(table.file, 1, f"(column {pos + 1})", None,
                                          "a column name in the header (this column has values)"))
            continue
        if col in seen:
            table.issues.append(Issue(table.file, 1, col, None,
                                      f"each column once (column {pos + 1} repeats '{col}')"))
            continue
        seen.add(col)
        keep.append(pos)
    if len(keep) < len(cols):
        table.data = table.data.iloc[:, keep]


def _drop_empty_rows(table: Table) -> None:
    data = table.data
    if data.shape[1] == 0 or len(data) == 0:
        return
    empty = np.ones(len(data), dtype=bool)
    for col in data.columns:  # loop over columns, each vectorised
        empty &= (data[col] == "").to_numpy()
        if not empty.any():
            return
    table.data = data.loc[~empty].reset_index(drop=True)
    table.rows = table.rows[~empty]


def text(col: pd.Series) -> pd.Series:
    """A column as stripped text, missing values as ``""`` (parquet numbers: ``3``, not ``3.0``)."""
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        num = col.to_numpy(dtype=float, na_value=np.nan)
        whole = np.isfinite(num) & (np.mod(num, 1) == 0)
        if whole.all() or (whole | np.isnan(num)).all():
            col = pd.Series(pd.array(num, dtype="Float64").astype("Int64"), index=col.index)
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    labels = np.array([str(u).strip() for u in uniques] + [""], dtype=object)
    return pd.Series(labels[codes], index=col.index, dtype=object)


def numbers(col: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Parse a column as numbers: ``(values, bad)``; empty cells are NaN and not bad.

    Text is parsed per distinct value (vectorised): surrounding spaces are ignored and a Dutch
    decimal comma is read as a point (``12,0`` is 12). ``bad`` marks cells that are not empty
    and not a number.
    """
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        return col.to_numpy(dtype=float, na_value=np.nan), np.zeros(len(col), dtype=bool)
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    labels = pd.Series([str(u).strip() for u in uniques], dtype=object)
    values = pd.to_numeric(labels.str.replace(",", ".", regex=False), errors="coerce")
    values = values.to_numpy(dtype=float, na_value=np.nan)
    blank = (labels == "").to_numpy()
    values = np.append(values, np.nan)  # code -1: a missing cell (parquet null)
    bad_u = np.append(~blank & np.isnan(values[:-1]), False)
    return values[codes], bad_u[codes]


def fingerprint(files: list[Path], instrument_json: str) -> str:
    """sha256 over each file's name and bytes (files sorted by name), then the instrument JSON."""
    h = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.name):
        h.update(path.name.encode() + b"\0")
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\0")
    h.update(instrument_json.encode("utf-8"))
    return h.hexdigest()


def _short(value: str, width: int = 40) -> str:
    return value if len(value) <= width else value[: width - 3] + "..."
