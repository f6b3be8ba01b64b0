"""Fieldwork exports as wave tables: SPSS ``.sav`` (pyreadstat) and Excel ``.xlsx`` (openpyxl).

Both give a :class:`ikto_lib.io.Table` like a CSV does, so validation names file, row and column
the same way. An ``.xlsx`` row is its spreadsheet row (header = row 1). A ``.sav`` row is its SPSS
case number (first case = 1), which is what the user sees in SPSS.

SPSS specifics:

* user-missing codes (``MISSING VALUES``) of an item column become the instrument's n.v.t. code
  (a code declared missing in SPSS is not an answer); codes that already are n.v.t. codes stay;
* value labels of item columns are checked against the instrument: a labelled code that is
  neither on the scale (or yes/no) nor an n.v.t. code nor user-missing is reported, naming the
  file, the column and the label, because the instrument then does not describe this export.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .io import Issue, Table, _drop_bad_columns, _drop_empty_rows, text

__all__ = ["read_sav", "read_xlsx", "SUFFIXES"]

SUFFIXES = (".sav", ".xlsx")


def _empty(name: str, path: Path) -> Table:
    return Table(name, path, pd.DataFrame(), np.zeros(0, dtype=np.int64))


def read_xlsx(name: str, path: Path) -> Table:
    """The first sheet of an Excel workbook, every cell as text (formula cells: their cached value)."""
    try:
        data = pd.read_excel(path, sheet_name=0, dtype=object, keep_default_na=False, engine="openpyxl")
    except Exception as exc:  # noqa: BLE001 - any reader error is reported, not raised
        t = _empty(name, path)
        t.issues.append(Issue(path.name, None, None, None, f"a readable Excel .xlsx file ({exc})"))
        return t
    data.columns = [str(c).strip() for c in data.columns]
    data = data.apply(lambda c: text(pd.Series(c.to_numpy(), name=c.name).map(
        lambda v: v if not isinstance(v, float) or not v.is_integer() else int(v))))
    table = Table(name, path, data.reset_index(drop=True), np.arange(2, len(data) + 2, dtype=np.int64))
    _drop_bad_columns(table)
    _drop_empty_rows(table)
    return table


def _user_missing(meta) -> dict[str, set[float]]:
    """Codes declared user-missing per variable (discrete values and ranges' end points)."""
    out: dict[str, set[float]] = {}
    for var, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        codes = set()
        for r in ranges:
            lo, hi = r.get("lo"), r.get("hi")
            if isinstance(lo, (int, float)) and isinstance(hi, (int, float)):
                codes |= {float(x) for x in range(int(np.ceil(lo)), int(np.floor(hi)) + 1)} if hi - lo < 100 \
                    else {float(lo), float(hi)}
        out[var] = codes
    for var, values in (getattr(meta, "missing_user_values", None) or {}).items():
        out.setdefault(var, set()).update(float(v) for v in values if isinstance(v, (int, float)))
    return out


def read_sav(name: str, path: Path, instrument=None) -> Table:
    """An SPSS file as a table; see the module docstring for user-missing codes and value labels."""
    import pyreadstat

    try:
        data, meta = pyreadstat.read_sav(str(path), user_missing=True)
    except Exception as exc:  # noqa: BLE001 - any reader error is reported, not raised
        t = _empty(name, path)
        t.issues.append(Issue(path.name, None, None, None, f"a readable SPSS .sav file ({exc})"))
        return t
    issues: list[Issue] = []
    if instrument is not None and name == "responses":
        missing = _user_missing(meta)
        nvt = instrument.nvt.codes
        scale = set(range(instrument.scale.min, instrument.scale.max + 1))
        yes_no = {instrument.yesno.yes_code, instrument.yesno.no_code} if instrument.yesno else set()
        kinds = {i.id: i.kind for i in instrument.items}
        labels = getattr(meta, "variable_value_labels", {}) or {}
        for col in [c for c in data.columns if c in kinds]:
            valid = (yes_no if kinds[col] == "yesno" else scale) | set(nvt)
            user = missing.get(col, set()) - set(nvt)
            if user:  # a code SPSS calls missing is n.v.t. here
                data[col] = data[col].where(~data[col].isin(list(user)), float(nvt[0]))
            for code, label in labels.get(col, {}).items():
                if isinstance(code, (int, float)) and float(code) not in {float(v) for v in valid} \
                        and float(code) not in missing.get(col, set()):
                    issues.append(Issue(path.name, None, col, f"{code:g} = {label}",
                                        "value labels on the instrument's scale "
                                        f"{instrument.scale.min}..{instrument.scale.max} or an n.v.t. code "
                                        f"{nvt} (declare this code missing in SPSS, or add it to nvt.other)"))
    data = data.reset_index(drop=True)
    data = data.apply(lambda c: text(c) if c.dtype == object else c)
    table = Table(name, path, data, np.arange(1, len(data) + 1, dtype=np.int64), issues)
    _drop_bad_columns(table)
    return table
