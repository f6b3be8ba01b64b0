"""A wave in memory: the typed frames of one wave folder plus its instrument.

``load_wave`` (in :mod:`ikto_lib.validate`) is the only way to build one; it validates first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .config import Instrument

FIXED_COLUMNS = ("respondent_id", "org", "unit")


@dataclass(frozen=True, eq=False)
class Wave:
    """One validated wave.

    Attributes
    ----------
    path : folder of the wave.
    name : the wave's name (the folder name, e.g. ``"2015"``).
    instrument : the instrument in force (the wave's own ``instrument.yml`` or the default).
    responses : one row per respondent. ``respondent_id`` (string), ``org`` and ``unit`` and every
        background column (category), one column per item id (raw codes: scale codes, the
        n.v.t. code(s), or ``<NA>`` for skipped / not shown), the grade, and the pluim target
        and text (``string``) when the instrument asks them. Codes are nullable integers of the
        smallest type that holds the instrument's declared range (:func:`code_dtype`: ``Int8``
        for 1..5 and 9, ``Int16`` for a grade 1..200 or an n.v.t. code 300).
    headcount : ``org``, ``unit``, optional background columns, ``headcount`` (int64).
    organisations : ``org``, ``name``, ``type``.
    fingerprint : sha256 of the wave's files and the instrument (hex).
    files : the data files read, by table name (``responses``, ``headcount``, ``organisations``).

    ``org`` and ``unit`` have the same categories in all three frames (every org of
    ``organisations``; every unit of ``headcount``), so merges keep them categorical. A grade or
    pluim column the instrument asks but absent from the file is present, all ``<NA>``.
    """

    path: Path
    name: str
    instrument: Instrument
    responses: pd.DataFrame
    headcount: pd.DataFrame
    organisations: pd.DataFrame
    fingerprint: str
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def background_columns(self) -> list[str]:
        return [b for b in self.instrument.background_ids if b in self.responses.columns]

    @property
    def item_columns(self) -> list[str]:
        return [i for i in self.instrument.item_ids if i in self.responses.columns]

    @property
    def orgs(self) -> list[str]:
        """Org codes with at least one respondent, sorted."""
        return sorted(self.responses["org"].unique().dropna().astype(str))

    @property
    def nvt_code(self) -> int:
        return self.instrument.nvt.code

    def org_name(self, org: str) -> str:
        names = self.organisations.set_index("org")["name"]
        return str(names.loc[org])

    def org_type(self, org: str) -> str:
        types = self.organisations.set_index("org")["type"]
        return str(types.loc[org])

    def __repr__(self) -> str:
        return (f"Wave(name={self.name!r}, path={str(self.path)!r}, "
                f"respondents={len(self.responses)}, orgs={self.responses['org'].nunique()}, "
                f"items={len(self.item_columns)}, fingerprint={self.fingerprint[:12]!r})")


def code_dtype(*codes: int) -> np.dtype:
    """The smallest signed integer type that holds every one of ``codes`` (the instrument's
    declared range), so a code is never wrapped around (150 as ``int8`` would read as -106).

    >>> code_dtype(1, 5, 9), code_dtype(1, 200), code_dtype(1, 5, 300), code_dtype(-40000, 1)
    (dtype('int8'), dtype('int16'), dtype('int16'), dtype('int32'))
    """
    lo, hi = min(codes), max(codes)
    for kind in (np.int8, np.int16, np.int32, np.int64):
        info = np.iinfo(kind)
        if info.min <= lo and hi <= info.max:
            return np.dtype(kind)
    raise ValueError(f"codes {lo}..{hi} do not fit a 64-bit integer")


def _codes(values: np.ndarray, dtype: np.dtype) -> pd.arrays.IntegerArray:
    """Whole numbers with NaN for empty as a nullable integer array of ``dtype`` (NaN -> ``<NA>``).
    ``values`` were validated to lie in the range that ``dtype`` was chosen for."""
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(dtype), missing)


def _strings(values: np.ndarray, *, empty_is_na: bool = False) -> pd.arrays.StringArray:
    values = np.asarray(values, dtype=object)
    if empty_is_na:
        values = np.where(values == "", None, values)
    return pd.array(values, dtype="string")


def build_frames(instrument: Instrument, tables: dict, text: dict, num: dict) -> dict:
    """The typed ``responses``, ``headcount`` and ``organisations`` of a checked wave.

    ``tables`` maps table name to the table as read (``.data``: its cells); ``text[(table,
    column)]`` holds a column's stripped text and ``num[(table, column)]`` its numbers (NaN for
    empty), both computed during validation. Called by :func:`ikto_lib.validate.load_wave` only
    after the wave passed every check.
    """
    from .io import text as as_text

    def txt(table: str, col: str) -> np.ndarray:
        if (table, col) not in text:
            text[(table, col)] = as_text(tables[table].data[col]).to_numpy()
        return text[(table, col)]

    inst = instrument
    org_cats = sorted(set(txt("organisations", "org")))
    unit_cats = sorted(set(txt("headcount", "unit")) | set(txt("responses", "unit")))
    org_type = pd.CategoricalDtype(org_cats)
    unit_type = pd.CategoricalDtype(unit_cats)

    def keyed(table: str) -> dict[str, object]:
        out = {"org": pd.Categorical(txt(table, "org"), dtype=org_type)}
        if table != "organisations":
            out["unit"] = pd.Categorical(txt(table, "unit"), dtype=unit_type)
        for bg in inst.background:
            if bg.id in tables[table].data.columns:
                values = np.where(txt(table, bg.id) == "", None, txt(table, bg.id))
                out[bg.id] = pd.Categorical(values, dtype=pd.CategoricalDtype(bg.categories))
        return out

    resp_cols = tables["responses"].data.columns
    n = len(tables["responses"].data)
    responses = {"respondent_id": _strings(txt("responses", "respondent_id"))}
    responses.update(keyed("responses"))
    item_type = code_dtype(inst.scale.min, inst.scale.max, *inst.nvt.codes)
    for item in inst.item_ids:
        if item in resp_cols:
            responses[item] = _codes(num[("responses", item)], item_type)
    if inst.grade is not None:
        grade = num.get(("responses", inst.grade.id), np.full(n, np.nan))
        responses[inst.grade.id] = _codes(grade, code_dtype(inst.grade.min, inst.grade.max))
    for col in ([inst.pluim.target, inst.pluim.text] if inst.pluim is not None else []):
        values = txt("responses", col) if col in resp_cols else np.full(n, "", dtype=object)
        responses[col] = _strings(values, empty_is_na=True)

    headcount = keyed("headcount")
    headcount["headcount"] = num[("headcount", "headcount")].astype(np.int64)
    organisations = keyed("organisations")
    organisations["name"] = _strings(txt("organisations", "name"))
    organisations["type"] = pd.Categorical(txt("organisations", "type"),
                                           dtype=pd.CategoricalDtype(inst.type_ids))
    return {
        "responses": pd.DataFrame(responses),
        "headcount": pd.DataFrame(headcount),
        "organisations": pd.DataFrame(organisations),
    }
