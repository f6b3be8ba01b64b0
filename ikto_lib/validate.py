"""Validate a wave folder and load it into typed frames.

``validate_wave(path)`` checks the whole wave and returns every problem at once (an empty list:
valid); ``load_wave(path)`` validates first, raises :class:`WaveInvalid` listing all problems when
the wave is invalid, and otherwise returns a :class:`~ikto_lib.wave.Wave`. Nothing is written.

Checks (each problem names file, row, column, value and what was expected):

* files: ``responses``, ``headcount`` and ``organisations`` as ``.csv`` or ``.parquet`` (not both);
  readable; CSV in UTF-8 (with or without BOM, else the first bad row is named), ``,`` or ``;``
  separated, every row with as many fields as the header, quotes closed, no repeated column
  names; parquet columns of one number or text per cell (no lists, structs or maps);
* columns: the required ones present; no unknown column (a typo of an item id gets a hint);
* cells: item codes (scale codes, the n.v.t. code, or empty), grade (whole number in the grade
  range, or empty), respondent ids (present, unique: both rows are named), org and unit codes
  present and following the safe code rules of :mod:`ikto_lib.safe` (a bad code is named once,
  at its first row, with its number of rows), background values among the instrument's categories (or empty in ``responses``), headcounts whole
  and >= 0 (``12,0`` is 12), org types among the instrument's, organisations unique, headcount
  keys (org x unit x background cell) unique;
* links: every org in ``organisations``, every org x unit of ``responses`` in ``headcount``, and
  no more respondents than headcount per org x unit (and per background cell when ``headcount`` has
  that column; a cell missing from ``headcount`` counts as 0).

Row numbers are spreadsheet rows (header = row 1; see :mod:`ikto_lib.io`, also for parquet). A
column with very many bad cells of one kind lists the first 20 (``MAX_PER_CHECK``) and then one
problem ``... and N more in column 'X'`` (its ``more`` holds N).
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from . import io as wio
from . import safe
from .config import ConfigError, Instrument, load_instrument
from .wave import FIXED_COLUMNS, Wave, build_frames

MAX_PER_CHECK = 20
REQUIRED = {
    "responses": FIXED_COLUMNS,
    "headcount": ("org", "unit", "headcount"),
    "organisations": ("org", "name", "type"),
}


MAX_HEADCOUNT = 1_000_000  # employees in one org x unit (x background) cell: more is a typo


@dataclass(frozen=True)
class Problem:
    """One problem of a wave. ``row`` is a spreadsheet row (header = 1) or ``None`` for the whole
    file/column; ``more`` > 0 marks the summary line of a check with more than ``MAX_PER_CHECK``
    bad cells in one column.

    Examples
    --------
    >>> print(Problem("responses.csv", 14, "ict_speed", "7", "a code 1..5 or empty"))
    responses.csv, row 14, column 'ict_speed': value '7' - expected a code 1..5 or empty
    >>> print(Problem("responses.csv", None, "ict_speed", None, "", more=980))
    responses.csv: ... and 980 more in column 'ict_speed'
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    more: int = 0

    def __str__(self) -> str:
        if self.more:
            return f"{self.file}: ... and {self.more} more in column '{self.column}'"
        where = [self.file]
        if self.row is not None:
            where.append(f"{'case' if self.file.endswith('.sav') else 'row'} {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        head = ", ".join(where)
        if self.value is not None:
            return f"{head}: value '{self.value}' - expected {self.expected}"
        return f"{head} - expected {self.expected}"


class WaveInvalid(ValueError):
    """The wave has problems; ``problems`` lists them all, and so does the message."""

    def __init__(self, problems: list[Problem], path: str | Path | None = None):
        self.problems = list(problems)
        total = sum(p.more or 1 for p in self.problems)
        head = f"{path}: " if path is not None else ""
        lines = [f"{head}invalid wave, {total} problem{'s' if total != 1 else ''}:"]
        super().__init__("\n".join(lines + [f"  {p}" for p in self.problems]))


def validate_wave(
    path: str | Path, *, instrument: Instrument | str | Path | None = None
) -> list[Problem]:
    """Every problem of the wave in ``path`` (empty: valid).

    ``instrument``: an :class:`Instrument`, a path to an instrument file, or ``None`` for the
    wave's own ``instrument.yml`` if present, else the default ``parameters/instrument.yml``.
    """
    return _Check(Path(path), instrument).problems


def load_wave(path: str | Path, *, instrument: Instrument | str | Path | None = None) -> Wave:
    """Validate the wave in ``path`` and load it (raises :class:`WaveInvalid` when invalid).

    Items and grade are raw codes (the n.v.t. code kept; skipped is ``<NA>``) as nullable integers
    wide enough for the instrument's range (``Int8`` for the default; see
    :func:`~ikto_lib.wave.code_dtype`); org, unit,
    background and org type are ``category`` (org and unit with the same categories in every
    frame); respondent id, names and pluim fields are ``string`` (an empty pluim is ``<NA>``).
    A grade or pluim column absent from the file is added, all ``<NA>``.
    """
    check = _Check(Path(path), instrument)
    if check.problems:
        raise WaveInvalid(check.problems, path)
    return check.wave()


class _Check:
    """One validation pass; keeps the parsed tables so that loading needs no second read."""

    def __init__(self, folder: Path, instrument):
        self.folder = folder
        self.problems: list[Problem] = []
        self.tables: dict[str, wio.Table] = {}
        self.text: dict[tuple[str, str], np.ndarray] = {}  # (table, column) -> stripped text
        self.num: dict[tuple[str, str], np.ndarray] = {}  # (table, column) -> numbers (NaN empty)
        self.inst = self._instrument(instrument)
        if self.inst is None:
            return
        for name in wio.TABLES:
            self._read(name)
        if "responses" in self.tables:
            self._responses(self.tables["responses"])
        if "headcount" in self.tables:
            self._headcount(self.tables["headcount"])
        if "organisations" in self.tables:
            self._organisations(self.tables["organisations"])
        self._links()

    # -- reading -------------------------------------------------------------------------------
    def _instrument(self, instrument) -> Instrument | None:
        if not self.folder.is_dir():
            self.add(str(self.folder), None, None, None, "an existing wave folder")
            return None
        if isinstance(instrument, Instrument):
            return instrument
        own = self.folder / "instrument.yml"
        path = instrument if instrument is not None else (own if own.is_file() else None)
        try:
            return load_instrument(path)
        except ConfigError as exc:
            for line in str(exc).splitlines():
                self.add(Path(path).name if path else "instrument.yml", None, None, None,
                         f"a valid instrument: {line}")
            return None

    def _read(self, name: str) -> None:
        path, issues = wio.find_table(self.folder, name)
        table = wio.read_table(name, path, instrument=self.inst) if path else None
        for issue in issues + (table.issues if table else []):
            self.add(issue.file, issue.row, issue.column, issue.value, issue.expected)
        if table is not None and table.data.shape[1] > 0:
            self.tables[name] = table
            if len(table.data) == 0:
                self.add(table.file, 2, None, None, "at least one data row below the header")

    def add(self, file, row, column, value, expected, more=0) -> None:
        self.problems.append(Problem(file, None if row is None else int(row), column,
                                     None if value is None else _short(safe.visible(value)),
                                     expected, more))

    def cells(self, t: wio.Table, pos, column: str, values, expected: str | Callable) -> None:
        """One problem per position (first ``MAX_PER_CHECK``), then a summary."""
        pos = np.asarray(pos)
        for i, p in enumerate(pos[:MAX_PER_CHECK]):
            v = values[i]
            self.add(t.file, t.rows[p], column, v, expected(v) if callable(expected) else expected)
        if len(pos) > MAX_PER_CHECK:
            self.add(t.file, None, column, None, "", more=len(pos) - MAX_PER_CHECK)

    def mask(self, t, mask, column, values, expected) -> None:
        pos = np.flatnonzero(mask)
        self.cells(t, pos, column, np.asarray(values, dtype=object)[pos[:MAX_PER_CHECK]], expected)

    def get_text(self, t: wio.Table, col: str) -> np.ndarray:
        key = (t.name, col)
        if key not in self.text:
            self.text[key] = wio.text(t.data[col]).to_numpy()
        return self.text[key]

    # -- per table -----------------------------------------------------------------------------
    def _columns(self, t: wio.Table, known: list[str]) -> set[str]:
        """Report missing required and unknown columns; return the usable columns."""
        cols = list(t.data.columns)
        for req in REQUIRED[t.name]:
            if req not in cols:
                self.add(t.file, 1, req, None, f"a column '{req}' (required, not in the header)")
        for col in cols:
            if col not in known:
                self.add(t.file, 1, col, None, _unknown_column(t.name, col, known, self.inst))
        return set(cols) & set(known)

    def _responses(self, t: wio.Table) -> None:
        inst = self.inst
        extra = inst.extra_columns
        known = list(FIXED_COLUMNS) + inst.background_ids + inst.item_ids + extra
        cols = self._columns(t, known)
        if not set(inst.item_ids) & cols:
            self.add(t.file, 1, None, None, f"at least one item column (e.g. '{inst.item_ids[0]}')")
        if "respondent_id" in cols:
            ids = self.get_text(t, "respondent_id")
            self.mask(t, ids == "", "respondent_id", ids, "a respondent_id (not empty)")
            self._duplicates(t, ["respondent_id"], "a unique respondent_id")
        self._keys(t, cols)
        codes = list(range(inst.scale.min, inst.scale.max + 1))
        nvt = inst.nvt.codes
        nvt_text = " or ".join(map(str, nvt)) + " (n.v.t.)"
        item_expected = f"a code {inst.scale.min}..{inst.scale.max} or {nvt_text}, or empty"
        for col in [i for i in inst.scale_item_ids if i in cols]:
            self._codes(t, col, codes + nvt, item_expected)
        if inst.yesno is not None:
            yn = [inst.yesno.yes_code, inst.yesno.no_code]
            for col in [i for i in inst.yesno_item_ids if i in cols]:
                self._codes(t, col, yn + nvt, f"{yn[0]} (yes), {yn[1]} (no) or {nvt_text}, or empty")
        g = inst.grade
        if g is not None and g.id in cols:
            self._codes(t, g.id, list(range(g.min, g.max + 1)),
                        f"a whole number {g.min}..{g.max}, or empty")
        for bg in inst.background:
            if bg.id in cols:
                self._categories(t, bg.id, bg.categories, allow_empty=True)

    def _headcount(self, t: wio.Table) -> None:
        cols = self._columns(t, list(REQUIRED["headcount"]) + self.inst.background_ids)
        self._keys(t, cols)
        for bg in self.inst.background:
            if bg.id in cols:
                self._categories(t, bg.id, bg.categories, allow_empty=False)
        if "headcount" in cols:
            values, bad = wio.numbers(t.data["headcount"])
            with np.errstate(invalid="ignore"):
                bad |= np.isnan(values) | (values < 0) | (np.mod(values, 1) != 0) | (values > MAX_HEADCOUNT)
            raw = _raw(t.data["headcount"])
            # 5.000 or 5,000 is a thousands separator, not five: refuse rather than misread
            thousands = pd.Series(raw, dtype=object).astype(str).str.strip().str.fullmatch(
                r"\d{1,3}(?:[.,]\d{3})+").to_numpy(dtype=bool)
            self.mask(t, thousands, "headcount", raw,
                      "a whole number without thousands separator (5000, not 5.000 or 5,000)")
            bad |= thousands
            self.num[("headcount", "headcount")] = np.where(bad, np.nan, values)
            self.mask(t, bad & ~thousands, "headcount", raw,
                      f"a whole number of employees from 0 to {MAX_HEADCOUNT:,} (e.g. 12 or 12,0)")
        keys = [c for c in ["org", "unit"] + self.inst.background_ids if c in cols]
        if {"org", "unit"} <= set(keys):
            self._duplicates(t, keys, "one row per " + " x ".join(keys))

    def _organisations(self, t: wio.Table) -> None:
        cols = self._columns(t, list(REQUIRED["organisations"]))
        if "org" in cols:
            self._keys(t, cols)
            self._duplicates(t, ["org"], "one row per org")
        if "name" in cols:
            names = self.get_text(t, "name")
            self.mask(t, names == "", "name", names, "the name of the organisation (not empty)")
        if "type" in cols:
            self._categories(t, "type", self.inst.type_ids, allow_empty=False, what="an org type")

    # -- cell checks ---------------------------------------------------------------------------
    def _keys(self, t: wio.Table, cols: set[str]) -> None:
        """Org and unit codes: present, and following the safe pattern (:mod:`ikto_lib.safe`);
        a bad code is named once, at its first row, with the number of rows holding it."""
        rules = {"org": (safe.org_code_problem, "an org code"),
                 "unit": (safe.unit_code_problem, "a unit code")}
        for col in ("org", "unit"):
            if col not in cols:
                continue
            rule, what = rules[col]
            vals = self.get_text(t, col)
            self.mask(t, vals == "", col, vals, f"{what} (not empty)")
            if not (vals != "").any():
                continue
            groups = _groups(pd.DataFrame({col: vals}))
            why = {v: rule(v) for v in groups.index}  # per distinct code, not per row
            bad = groups[[why[v] is not None for v in groups.index]]
            self.cells(t, bad["first"].to_numpy(), col, bad.index.to_numpy(),
                       _Seq(f"{what} of {why[v]} ({_n(n, 'row')} with this {col})"
                            for v, n in zip(bad.index, bad["size"])))

    def _codes(self, t: wio.Table, col: str, allowed: list[int], expected: str) -> None:
        values, bad = wio.numbers(t.data[col])
        bad |= ~(np.isnan(values) | np.isin(values, allowed))
        self.num[(t.name, col)] = values
        self.mask(t, bad, col, _raw(t.data[col]), expected)

    def _categories(self, t, col, categories, *, allow_empty: bool, what: str = "") -> None:
        vals = self.get_text(t, col)
        ok = np.isin(vals, list(categories) + ([""] if allow_empty else []))
        listed = ", ".join(f"'{c}'" for c in categories)
        tail = " or empty" if allow_empty else ""

        def expected(value):
            return f"{what or 'a category of ' + col}: {listed}{tail}{_hint(value, categories)}"

        self.mask(t, ~ok, col, vals, expected)

    def _duplicates(self, t: wio.Table, keys: list[str], expected: str) -> None:
        frame = pd.DataFrame({k: self.get_text(t, k) for k in keys})
        filled = (frame != "").all(axis=1).to_numpy()
        dup = frame.duplicated(keep="first").to_numpy() & filled
        if not dup.any():
            return
        index = pd.MultiIndex.from_frame(frame)
        first = pd.Series(np.arange(len(frame)), index=index)
        first = first[~first.index.duplicated(keep="first")]
        pos = np.flatnonzero(dup)
        first_pos = first.reindex(index[pos[:MAX_PER_CHECK]]).to_numpy()
        values = [" / ".join(frame.iloc[p]) for p in pos[:MAX_PER_CHECK]]
        self.cells(t, pos, ", ".join(keys), values,
                   _Seq(f"{expected}; the same as row {r}" for r in t.rows[first_pos]))

    # -- links between the files ---------------------------------------------------------------
    def _links(self) -> None:
        resp, head, orgs = (self.tables.get(n) for n in wio.TABLES)

        def have(t, *columns):
            return t is not None and set(columns) <= set(t.data.columns)

        known = None
        if have(orgs, "org"):
            known = set(self.get_text(orgs, "org")) - {""}
            for t in (resp, head):
                if have(t, "org"):
                    groups = _groups(pd.DataFrame({"org": self.get_text(t, "org")}))
                    groups = groups[~groups.index.isin(list(known))]
                    self.cells(t, groups["first"].to_numpy(), "org", groups.index.to_numpy(),
                               _Seq(f"an org listed in {orgs.file} ({_n(n, 'row')} with this org)"
                                    f"{_hint(o, sorted(known))}"
                                    for o, n in zip(groups.index, groups["size"])))
        # a headcount without data rows is reported once (by its reader), not once per unit
        if have(resp, "org", "unit") and have(head, "org", "unit") and len(head.data):
            self._units_and_headcount(resp, head, known)

    def _units_and_headcount(self, resp: wio.Table, head: wio.Table, known: set | None) -> None:
        keys = ["org", "unit"]
        rframe = pd.DataFrame({k: self.get_text(resp, k) for k in keys})
        hframe = pd.DataFrame({k: self.get_text(head, k) for k in keys})
        rg = _groups(rframe)
        hpairs = pd.MultiIndex.from_frame(hframe)
        missing = rg[~rg.index.isin(hpairs)]
        if known is not None:  # an org unknown altogether is one problem (above), not one per unit
            missing = missing[missing.index.get_level_values("org").isin(list(known))]
        units = hframe.groupby("org")["unit"].unique().to_dict()
        self.cells(resp, missing["first"].to_numpy(), "unit",
                   [u for _o, u in missing.index],
                   _Seq(f"an org x unit listed in {head.file}: org '{o}' has no unit '{u}' there "
                        f"({_n(n, 'respondent')}){_hint(u, list(units.get(o, [])))}"
                        for (o, u), n in zip(missing.index, missing["size"])))
        if ("headcount", "headcount") not in self.num:
            return
        bgs = [b for b in self.inst.background_ids
               if b in head.data.columns and b in resp.data.columns]
        cells = [[]] + [[b] for b in bgs] + ([bgs] if len(bgs) > 1 else [])
        for extra in cells:
            self._above(resp, head, keys + extra, hpairs)

    def _above(self, resp: wio.Table, head: wio.Table, keys: list[str], pairs) -> None:
        """Respondents above headcount per ``keys`` cell (background cells with a value only)."""
        rframe = pd.DataFrame({k: self.get_text(resp, k) for k in keys})
        for bg in self.inst.background:  # bad values are named by the category check
            if bg.id in keys:
                rframe.loc[~rframe[bg.id].isin(bg.categories), bg.id] = ""
        hframe = pd.DataFrame({k: self.get_text(head, k) for k in keys})
        hframe["headcount"] = self.num[("headcount", "headcount")]
        hframe["bad"] = np.isnan(hframe["headcount"].to_numpy())
        hframe["_pos"] = np.arange(len(hframe))
        hsum = hframe.groupby(keys, sort=False).agg(
            headcount=("headcount", "sum"), bad=("bad", "any"), hfirst=("_pos", "first"),
            rows=("_pos", "size"))
        joined = _groups(rframe).join(hsum, how="left")

        def label(idx):
            return ", ".join(f"{k} '{v}'" for k, v in zip(keys, idx))

        if len(keys) > 2:  # a background cell that headcount does not list: headcount 0
            absent = joined[joined["rows"].isna()]  # org x unit without headcount: named above
            absent = absent[absent.index.droplevel(list(range(2, len(keys)))).isin(pairs)]
            self.cells(resp, absent["first"].to_numpy(), keys[-1], [i[-1] for i in absent.index],
                       _Seq(f"a cell listed in {head.file} ({label(i)} is not there; "
                            f"{_n(n, 'respondent')})"
                            for i, n in zip(absent.index, absent["size"])))
        over = joined[joined["rows"].notna() & ~joined["bad"].astype(bool)
                      & (joined["size"] > joined["headcount"])]
        self.cells(head, over["hfirst"].astype(int).to_numpy(), "headcount",
                   [_num(v) for v in over["headcount"]],
                   _Seq(f"at least the {n} respondents of {label(i)} in {resp.file}"
                        + (f" (the sum of {int(r)} rows)" if r > 1 else "")
                        for i, n, r in zip(over.index, over["size"], over["rows"])))

    # -- loading -------------------------------------------------------------------------------
    def wave(self) -> Wave:
        inst = self.inst
        frames = build_frames(inst, {n: self.tables[n] for n in wio.TABLES}, self.text, self.num)
        files = {n: self.tables[n].path for n in wio.TABLES}
        canonical = json.dumps(inst.model_dump(mode="json"), sort_keys=True, ensure_ascii=False,
                               separators=(",", ":"))
        return Wave(path=self.folder, name=self.folder.resolve().name, instrument=inst,
                    fingerprint=wio.fingerprint(list(files.values()), canonical), files=files,
                    **frames)


class _Seq:
    """Hands out one prepared message per call (messages that depend on more than the value)."""

    def __init__(self, messages):
        self._it = iter(messages)

    def __call__(self, _value):
        return next(self._it)


def _groups(frame: pd.DataFrame) -> pd.DataFrame:
    """Per distinct key of ``frame`` (rows with an empty key left out): the position of its first
    row (``first``) and its number of rows (``size``). ``frame`` has a RangeIndex."""
    keys = list(frame.columns)
    frame = frame.assign(_pos=np.arange(len(frame)))
    frame = frame[(frame[keys] != "").all(axis=1).to_numpy()]
    return frame.groupby(keys, sort=False)["_pos"].agg(["first", "size"])


def _raw(col: pd.Series) -> np.ndarray:
    return col.to_numpy(dtype=object)


def _n(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _short(value: str, width: int = 40) -> str:
    return value if len(value) <= width else value[: width - 3] + "..."


def _hint(value, options) -> str:
    lower = [o.lower() for o in options]
    close = difflib.get_close_matches(str(value).lower(), lower, n=1, cutoff=0.6)
    if not close:
        return ""
    match = next(o for o in options if o.lower() == close[0])
    return f" (did you mean '{match}'?)"


def _unknown_column(table: str, col: str, known: list[str], inst: Instrument) -> str:
    if table == "responses":
        what = "respondent_id, org, unit, an item id, a background id" + "".join(
            f", '{c}'" for c in inst.extra_columns)
    else:
        what = ", ".join(f"'{k}'" for k in known)
    return f"a known column{_hint(col, known)}: {what}"
