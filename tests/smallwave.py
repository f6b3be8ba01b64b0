"""Tiny, valid, realistic waves for tests (deterministic).

``write_small_wave(folder)`` writes ``responses``, ``headcount`` and ``organisations`` of a small
wave: three organisations of different types, a few units each (sizes from ``n_per_unit``, one
below the anonymity threshold by default), every item of the instrument with domain skips and
n.v.t. answers, a grade with some blanks, pluimen (some with an e-mail address or phone number)
and the background columns. Same arguments, same bytes.

``read_table`` / ``write_table`` read a table of a wave as text (every cell a string, nothing
interpreted) and write it back, so a test can break exactly one cell::

    folder = write_small_wave(tmp_path / "w")
    df = read_table(folder, "responses")
    df.loc[12, "ict_speed"] = "7"          # spreadsheet row 14
    write_table(folder, "responses", df)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ikto_lib.config import Instrument, load_instrument

SMALL_ORGS: tuple[tuple[str, str, str], ...] = (
    ("MINBZK", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", "ministerie"),
    ("PRVUT", "Provincie Utrecht", "provincie"),
    ("WSHDN", "Hoogheemraadschap De Stichtse Rijnlanden", "waterschap"),
)

UNIT_NAMES = ("Bestuursondersteuning", "Beleid", "Uitvoering", "Toezicht", "Staf")

PLUIM_TEXTS = (
    "Altijd snel geholpen, top!",
    "Dank voor de hulp bij de verhuizing.",
    "Mail gerust naar j.jansen@example.nl, zij regelt alles.",
    "Bel 06-12345678 als je hulp nodig hebt, super service.",
    "Heel vriendelijk en behulpzaam.",
)
PLUIM_PEOPLE = ("team Servicedesk", "Jan de Vries", "de receptie")

TABLES = ("responses", "headcount", "organisations")


def small_wave_frames(
    *,
    orgs: tuple[tuple[str, str, str], ...] = SMALL_ORGS,
    n_per_unit: tuple[int, ...] = (12, 15, 4),
    headcount_background: str | None = None,
    instrument: Instrument | None = None,
    seed: int = 2015,
) -> dict[str, pd.DataFrame]:
    """The three tables of a small valid wave as DataFrames of strings (CSV cells).

    ``headcount_background`` (e.g. ``"age_group"``): give the headcount per org x unit x that
    background cell instead of per org x unit.
    """
    inst = instrument or load_instrument()
    rng = np.random.default_rng(seed)
    units = [UNIT_NAMES[i] if i < len(UNIT_NAMES) else f"Afdeling {i + 1}"
             for i in range(len(n_per_unit))]
    org_col, unit_col = [], []
    for code, _name, _type in orgs:
        for unit, n in zip(units, n_per_unit):
            org_col += [code] * n
            unit_col += [unit] * n
    n = len(org_col)
    resp: dict[str, object] = {
        "respondent_id": [f"R{i + 1:05d}" for i in range(n)],
        "org": org_col,
        "unit": unit_col,
    }
    for bg in inst.background:
        cats = np.array(list(bg.categories) + [""], dtype=object)
        p = np.full(len(cats), 0.96 / len(bg.categories))
        p[-1] = 0.04  # a few did not say
        resp[bg.id] = cats[rng.choice(len(cats), size=n, p=p)]
    codes = np.array(["1", "2", "3", "4", "5"], dtype=object)
    for domain, items in inst.domain_items(overall=True).items():
        used = rng.random(n) > 0.3  # whole domains skipped by non-users
        for item in items:
            cells = codes[rng.choice(5, size=n, p=[0.05, 0.1, 0.2, 0.4, 0.25])]
            cells = np.where(rng.random(n) < 0.08, str(inst.nvt.code), cells)
            cells = np.where(rng.random(n) < 0.05, "", cells)  # single item skipped
            resp[item] = np.where(used, cells, "")
    grade = rng.choice(np.arange(3, 11), size=n, p=[0.02, 0.05, 0.13, 0.3, 0.3, 0.12, 0.05, 0.03])
    resp[inst.grade.id] = np.where(rng.random(n) < 0.06, "", grade.astype(str))
    has_pluim = rng.random(n) < 0.25
    targets = np.array(inst.domain_ids[:4] + list(PLUIM_PEOPLE), dtype=object)
    resp[inst.pluim.target] = np.where(has_pluim, targets[rng.integers(0, len(targets), n)], "")
    texts = np.array(PLUIM_TEXTS, dtype=object)
    resp[inst.pluim.text] = np.where(has_pluim, texts[rng.integers(0, len(texts), n)], "")
    responses = pd.DataFrame(resp, dtype=object)

    if headcount_background:
        cats = inst.background[inst.background_ids.index(headcount_background)].categories
        counts = (
            responses.groupby(["org", "unit", headcount_background], sort=False).size().to_dict()
        )
        rows = []
        for code, _name, _type in orgs:
            for unit in units:
                for i, cat in enumerate(cats):
                    # respondents without a background value still need room in some cell
                    extra = counts.get((code, unit, ""), 0) if i == 0 else 0
                    k = counts.get((code, unit, cat), 0) + extra
                    rows.append((code, unit, cat, str(2 * k + 1 + i)))
        headcount = pd.DataFrame(rows, columns=["org", "unit", headcount_background, "headcount"])
    else:
        counts = responses.groupby(["org", "unit"], sort=False).size()
        headcount = pd.DataFrame(
            [(o, u, str(2 * k + 3)) for (o, u), k in counts.items()],
            columns=["org", "unit", "headcount"],
        )
    organisations = pd.DataFrame(list(orgs), columns=["org", "name", "type"])
    return {"responses": responses, "headcount": headcount, "organisations": organisations}


def write_small_wave(
    folder: str | Path,
    *,
    sep: str = ",",
    bom: bool = False,
    decimal_comma: bool = False,
    parquet: bool = False,
    orgs: tuple[tuple[str, str, str], ...] = SMALL_ORGS,
    n_per_unit: tuple[int, ...] = (12, 15, 4),
    headcount_background: str | None = None,
    instrument: Instrument | None = None,
    seed: int = 2015,
) -> Path:
    """Write a small valid wave into ``folder`` (created) and return the folder.

    Parameters
    ----------
    sep, bom : CSV separator and whether to start each CSV with a UTF-8 BOM (Dutch Excel: ``;``
        and a BOM).
    decimal_comma : write headcounts as ``12,0`` (Dutch Excel) instead of ``12``.
    parquet : write ``responses.parquet`` (items and grade as ``Int8``) instead of CSV; the
        headcount and organisations stay CSV.
    orgs : (code, name, type) per organisation.
    n_per_unit : respondents per unit; every organisation gets ``len(n_per_unit)`` units.
    headcount_background : a background id: headcount per org x unit x that background cell.
    instrument : the instrument whose columns are written (default ``parameters/instrument.yml``);
        it is *not* written into the folder.
    seed : seed of the random answers.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    inst = instrument or load_instrument()
    frames = small_wave_frames(
        orgs=orgs, n_per_unit=n_per_unit, headcount_background=headcount_background,
        instrument=inst, seed=seed,
    )
    if decimal_comma:
        frames["headcount"]["headcount"] = frames["headcount"]["headcount"] + ",0"
    for name, df in frames.items():
        if parquet and name == "responses":
            out = df.replace("", None)
            for col in inst.item_ids + [inst.grade.id]:
                out[col] = pd.to_numeric(out[col]).astype("Int8")
            out.to_parquet(folder / "responses.parquet", index=False)
        else:
            write_table(folder, name, df, sep=sep, bom=bom)
    return folder


def read_table(folder: str | Path, name: str, *, sep: str | None = None) -> pd.DataFrame:
    """Read ``<folder>/<name>.csv`` with every cell as a string (empty cells as ``""``)."""
    path = Path(folder) / f"{name}.csv"
    text = path.read_text(encoding="utf-8-sig")
    if sep is None:
        header = text.split("\n", 1)[0]
        sep = ";" if header.count(";") > header.count(",") else ","
    return pd.read_csv(path, sep=sep, dtype=object, keep_default_na=False, encoding="utf-8-sig")


def write_table(
    folder: str | Path, name: str, df: pd.DataFrame, *, sep: str = ",", bom: bool = False
) -> Path:
    """Write ``df`` as ``<folder>/<name>.csv`` (UTF-8, optional BOM, ``\\n`` line ends)."""
    path = Path(folder) / f"{name}.csv"
    df.to_csv(path, sep=sep, index=False, encoding="utf-8-sig" if bom else "utf-8",
              lineterminator="\n")
    return path
