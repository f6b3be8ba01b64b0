"""A realistic demo of any instrument: two waves with the instrument's scale, items, n.v.t.
codes, reversed and yes/no items, and only the optional parts it asks (grade, pluim, background).

The iKTO demo (:func:`ikto_lib.demo.generate`) plants known effects in the iKTO's own domains;
this one draws the same kind of data for any instrument: organisations of the instrument's types
(one organisation when ``benchmark`` is false), units of varying size including one below the
anonymity threshold, a latent satisfaction per respondent and domain made of organisation, unit
and person effects, answers cut from it on the instrument's scale. Vectorised over respondents;
the same seed gives the same files.

Examples
--------
>>> from ikto_lib.config import load_instrument
>>> waves = simulate_instrument(load_instrument(), seed=1, orgs=5, respondents=1500)
>>> sorted(waves)
['2022', '2024']
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import norm

from ..config import Instrument, load_instrument

__all__ = ["simulate_instrument", "generate_for_instrument", "WAVES"]

WAVES = ("2022", "2024")
PLACES = ["Noord", "Zuid", "Oost", "West", "Midden", "Centraal", "Kust", "Delta", "Rivierenland", "Heuvelland",
          "Veluwe", "Kempen", "Polder", "Haven", "Stad", "Duin", "Meer", "Dal", "Berg", "Vallei"]
LOCATIONS = ["Antwerpen", "Brugge", "Brussel", "Gent", "Hasselt", "Leuven", "Mechelen", "Namen", "Luik", "Aalst",
             "Kortrijk", "Genk"]
PLUIM_TEXTS = [
    "Altijd snel en vriendelijk geholpen door {d}.",
    "Compliment voor {d}: denken mee en lossen het op.",
    "Heel fijn contact met de mensen van {d}.",
    "{d} staat altijd klaar, ook als het druk is.",
]
SMALL_UNIT = (3, 7)  # respondents of the one unit under the anonymity threshold


@dataclass(frozen=True)
class Tables:
    responses: pd.DataFrame
    headcount: pd.DataFrame
    organisations: pd.DataFrame


def _organisations(inst: Instrument, orgs: int, rng) -> pd.DataFrame:
    n = 1 if not inst.benchmark else max(int(orgs), 2)
    types = [inst.org_types[i % len(inst.org_types)] for i in range(n)]
    rows = []
    for i, t in enumerate(types):
        place = PLACES[i % len(PLACES)] + ("" if i < len(PLACES) else f" {i // len(PLACES) + 1}")
        rows.append({"org": f"{t.id[:3].upper()}{i + 1:02d}", "name": f"{t.name['nl']} {place}", "type": t.id})
    return pd.DataFrame(rows)


def _units(inst: Instrument, organisations: pd.DataFrame, respondents: int, rng) -> pd.DataFrame:
    """Units per organisation with their expected share of the respondents (one small unit)."""
    size = rng.lognormal(0, 0.7, len(organisations))
    size = size / size.sum()
    rows = []
    for (org, share) in zip(organisations["org"], size):
        expected = share * respondents
        k = int(np.clip(round(expected / 60), 2, 12)) if inst.units else 1
        names = LOCATIONS[:k] if not inst.benchmark else [f"Afdeling {j + 1}" for j in range(k)]
        w = rng.dirichlet(np.full(k, 3.0))
        rows += [{"org": org, "unit": u, "share": share * x} for u, x in zip(names, w)]
    return pd.DataFrame(rows)


def _cut(z: np.ndarray, points: int) -> np.ndarray:
    """Latent values to codes 0..points-1 with cut points leaning to the positive end."""
    probs = np.linspace(0, 1, points + 1)[1:-1] ** 1.6  # more answers in the upper half
    return np.searchsorted(norm.ppf(probs), z)


def _wave(inst: Instrument, orgs: pd.DataFrame, units: pd.DataFrame, n: int, prefix: str, shift: float,
          org_effect: np.ndarray, unit_effect: np.ndarray, rng) -> Tables:
    doms = inst.domain_ids
    p = units["share"].to_numpy()
    unit_idx = rng.choice(len(units), size=n, p=p / p.sum())
    small = int(np.argmin(p)) if len(units) > 2 else None
    if small is not None:  # one unit just under the anonymity threshold
        keep = rng.integers(*SMALL_UNIT)
        at = np.flatnonzero(unit_idx == small)
        others = np.setdiff1d(np.arange(len(units)), [small])
        unit_idx[at[keep:]] = rng.choice(others, size=max(len(at) - keep, 0))
    org_codes = orgs["org"].tolist()
    org_of_unit = units["org"].map({o: i for i, o in enumerate(org_codes)}).to_numpy()
    org_idx = org_of_unit[unit_idx]
    person = rng.normal(0, 0.6, n)[:, None]
    latent = (org_effect[org_idx] + unit_effect[unit_idx] + person + rng.normal(0, 0.45, (n, len(doms))) + shift)
    cols: dict[str, object] = {
        "respondent_id": [f"{prefix}-{i + 1:06d}" for i in range(n)],
        "org": np.array(org_codes)[org_idx],
        "unit": units["unit"].to_numpy()[unit_idx],
    }
    for bg in inst.background:
        cols[bg.id] = rng.choice(bg.categories, size=n)
    lo, hi = inst.scale.min, inst.scale.max
    nvt = inst.nvt.codes
    dom_col = {d: j for j, d in enumerate(doms)}
    for item in inst.items:
        z = latent[:, dom_col[item.domain]] + rng.normal(0.2, 0.25) + rng.normal(0, 0.7, n)
        if item.kind == "yesno":
            code = np.where(z > -0.6, inst.yesno.yes_code, inst.yesno.no_code).astype(float)
        else:
            code = (lo + _cut(z, hi - lo + 1)).astype(float)
            if item.reversed:
                code = lo + hi - code
        u = rng.random(n)
        rate = rng.uniform(0.02, 0.10)
        code = np.where(u < rate, np.where(rng.random(n) < 0.6, nvt[0], rng.choice(nvt, n)), code)
        code[(u > 0.98)] = np.nan  # skipped
        cols[item.id] = pd.array(np.where(np.isnan(code), None, code), dtype="Int64")
    if inst.grade is not None:
        g = inst.grade
        mid = (g.min + g.max) / 2 + 0.25 * (g.max - g.min)
        grade = np.clip(np.round(mid + 1.2 * latent.mean(axis=1) + rng.normal(0, 0.8, n)), g.min, g.max)
        grade[rng.random(n) < 0.04] = np.nan
        cols[g.id] = pd.array(np.where(np.isnan(grade), None, grade), dtype="Int64")
    if inst.pluim is not None:
        gives = rng.random(n) < 0.25
        target = rng.choice(doms, size=n)
        names = {d: inst.domain_name(d, "nl").lower() for d in doms}
        text = np.array([t.format(d=names[d]) for t in PLUIM_TEXTS for d in doms], dtype=object)
        pick = rng.integers(0, len(PLUIM_TEXTS), n) * len(doms) + pd.Index(doms).get_indexer(target)
        cols[inst.pluim.target] = np.where(gives, target, None)
        cols[inst.pluim.text] = np.where(gives, text[pick], None)
    responses = pd.DataFrame(cols)
    got = responses.groupby(["org", "unit"]).size()
    hc = units[["org", "unit"]].copy()
    n_unit = hc.set_index(["org", "unit"]).index.map(got).fillna(0).to_numpy()
    rate = rng.uniform(0.35, 0.75, len(hc))
    hc["headcount"] = np.maximum(np.ceil(n_unit / rate), n_unit + 2).astype(int)
    if small is not None:
        hc.loc[small, "headcount"] = max(int(n_unit[small]) + 2, 9)
    return Tables(responses, hc, orgs.copy())


def simulate_instrument(instrument: Instrument, *, seed: int, orgs: int = 20,
                        respondents: int = 5000) -> dict[str, Tables]:
    """Two waves (:data:`WAVES`) of ``instrument`` in memory; the earlier one has about 90% of the
    respondents and slightly lower satisfaction."""
    rng = np.random.default_rng(seed)
    inst = instrument
    o = _organisations(inst, orgs, rng)
    u = _units(inst, o, respondents, rng)
    k = len(inst.domain_ids)
    org_effect = rng.normal(0, 0.3, (len(o), k))
    unit_effect = rng.normal(0, 0.2, (len(u), k))
    out = {}
    for wave, share, shift in ((WAVES[0], 0.9, -0.1), (WAVES[1], 1.0, 0.0)):
        out[wave] = _wave(inst, o, u, int(respondents * share), f"R{wave[-2:]}", shift,
                          org_effect + rng.normal(0, 0.05, org_effect.shape), unit_effect, rng)
    return out


def generate_for_instrument(out: Path, instrument_file: str | Path, *, seed: int, orgs: int = 20,
                            respondents: int = 5000) -> list[Path]:
    """Write ``out/<wave>/`` for both :data:`WAVES`: responses, headcount, organisations and a copy
    of the instrument file (so every command reads the wave with its own instrument)."""
    inst = load_instrument(instrument_file)
    waves = simulate_instrument(inst, seed=seed, orgs=orgs, respondents=respondents)
    folders = []
    for name, tables in waves.items():
        folder = Path(out) / name
        folder.mkdir(parents=True, exist_ok=True)
        for stale in ("responses.csv", "responses.parquet"):
            (folder / stale).unlink(missing_ok=True)
        tables.responses.to_csv(folder / "responses.csv", index=False)
        tables.headcount.to_csv(folder / "headcount.csv", index=False)
        tables.organisations.to_csv(folder / "organisations.csv", index=False)
        shutil.copyfile(instrument_file, folder / "instrument.yml")
        folders.append(folder)
    return folders
