"""Synthetic, realistic demo waves (2013 and 2015) of a government-wide iKTO.

``generate(out, seed=...)`` writes ``out/2013/`` and ``out/2015/`` in the wave format of the
contract, plus ``out/README.md`` describing the data and the planted effects (``PLANTED``).
``simulate`` returns the same waves in memory together with the true latent quality.

Everything is drawn from one seeded ``numpy.random.Generator`` and vectorised over respondents:
the same seed gives byte-identical files.

Examples
--------
>>> waves = simulate(seed=1, respondents=2000)
>>> sorted(waves)
['2013', '2015']
>>> waves["2015"].responses["respondent_id"].iloc[0]
'R15-000001'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..config import Instrument, load_instrument
from . import catalogue as cat
from .build import build_waves
from .model import CATERING_DROP, GRADE_BASE, GRADE_NOISE, GRADE_WEIGHTS, ICT_GAIN
from .write import write_readme, write_wave

__all__ = ["PLANTED", "GRADE_WEIGHTS", "DemoWave", "generate", "simulate", "previous_instrument"]

WAVES = ("2013", "2015")
PARQUET_ABOVE = 60_000  # more respondents than this: responses.parquet instead of .csv
MIN_RESPONDENTS = 1000  # below this the minimum unit sizes dominate the total

PLANTED: dict = {
    "catering_low": {
        "org": cat.CATERING_LOW, "domain": "catering", "wave": "2015", "measure": "top2",
        "comparisons": ["benchmark", "previous"], "expected_diff": -CATERING_DROP,
        "description": "Large ministry whose catering is about 25 points (top-2) below the "
                       "benchmark in 2015; it was average in 2013.",
    },
    "ict_improved": {
        "org": cat.ICT_IMPROVED, "domain": "ict", "wave": "2015", "previous_wave": "2013",
        "measure": "top2", "comparisons": ["previous", "benchmark"], "expected_diff": ICT_GAIN,
        "description": "Province whose ICT was average in 2013 and is about 20 points (top-2) "
                       "higher in 2015 (so also above the 2015 benchmark).",
    },
    "no_difference": {
        "org": cat.NO_DIFFERENCE, "expected_flags": 0,
        "description": "Organisation of a few hundred respondents without real differences: its "
                       "latent quality equals the headcount-weighted mean of the other "
                       "organisations per domain in both waves (its peers of the same type "
                       "together too), no unit effects of its own. A correct analysis flags "
                       "nothing (Holm-adjusted p < 0.05 and >= 5 points / |g| >= 0.2).",
    },
    "small_unit": {
        "org": cat.SMALL_UNIT_ORG, "unit": cat.SMALL_UNIT, "respondents": [3, 7],
        "description": "Unit below the anonymity threshold (3..7 respondents, headcount 9) "
                       "inside a mid-size ministry.",
    },
    "tiny_orgs": {
        "orgs": list(cat.TINY_ORGS), "respondents": [3, 8],
        "description": "Organisations with fewer than 10 respondents in total: no report, left "
                       "out of every benchmark.",
    },
    "new_in_2015": {
        "orgs": [c for c in cat.DEFAULT_40 if not cat.by_code(c).in_2013],
        "description": "Organisations (of the default 40) that joined in 2015: no previous wave.",
    },
    "grade": {
        "base": GRADE_BASE, "noise_sd": GRADE_NOISE, "weights": dict(GRADE_WEIGHTS),
        "description": "grade = round(base + sum_d weights[d] * (latent satisfaction with d - "
                       "its mean) + noise), clipped to 1..10; weights in grade points per "
                       "latent unit, over all domains of the wave.",
    },
}


@dataclass(frozen=True)
class DemoWave:
    """One simulated wave: the tables as written, plus the truth behind them.

    ``quality`` (org × domain) is the latent organisation quality and ``benchmark_weight``
    (per org) the headcount weight used to plant the no-difference organisation; neither is
    written to the wave folder.
    """

    name: str
    instrument: Instrument
    responses: pd.DataFrame
    headcount: pd.DataFrame
    organisations: pd.DataFrame
    quality: pd.DataFrame
    benchmark_weight: pd.Series
    own_instrument: bool


def previous_instrument(instrument: Instrument) -> Instrument:
    """The 2013 instrument: items with a ``previous_id``, renamed to it; empty domains dropped."""
    data = instrument.model_dump(exclude_none=True)
    items = []
    for item in data["items"]:
        if item.get("previous_id"):
            previous = item.pop("previous_id")
            item = {**item, "id": previous}
            if not item.get("overall"):
                item.pop("overall", None)
            items.append(item)
    used = {i["domain"] for i in items}
    data["items"] = items
    data["domains"] = [d for d in data["domains"] if d["id"] in used]
    data["name"] = {lang: (text.replace("2015", "2013") if "2015" in text else f"{text} 2013")
                    for lang, text in data["name"].items()}
    return Instrument.model_validate(data)


def simulate(*, seed: int, orgs: int = 40, respondents: int = 30000,
             instrument: Instrument | None = None) -> dict[str, DemoWave]:
    """Both demo waves in memory, keyed ``"2013"`` and ``"2015"``.

    Parameters
    ----------
    seed : seed of the random generator (same seed, same data).
    orgs : number of organisations (at least ``catalogue.MIN_ORGS``); the default 40 are
        truncated or extended deterministically, always keeping the planted ones and all types.
    respondents : target number of 2015 respondents (2013 has about 90% of it).
    instrument : the 2015 instrument (default ``parameters/instrument.yml``).
    """
    if respondents < MIN_RESPONDENTS:
        raise ValueError(f"respondents must be at least {MIN_RESPONDENTS}, not {respondents}")
    inst15 = instrument or load_instrument()
    tables = build_waves(seed, orgs, respondents, inst15, previous_instrument(inst15))
    return {w: DemoWave(name=w, own_instrument=(w == "2013"), **vars(tables[w])) for w in WAVES}


def generate(out: Path, *, seed: int, orgs: int = 40, respondents: int = 30000) -> list[Path]:
    """Write the demo waves ``out/2013`` and ``out/2015`` and ``out/README.md``.

    2015 is written as plain UTF-8 CSV with ``,``; 2013 as a Dutch Excel export (``;``, UTF-8 with
    BOM, headcount with a decimal comma) with its own ``instrument.yml``. Above
    ``PARQUET_ABOVE`` respondents the responses are written as parquet. Returns the wave folders.
    """
    out = Path(out)
    waves = simulate(seed=seed, orgs=orgs, respondents=respondents)
    parquet = respondents > PARQUET_ABOVE
    folders = [write_wave(out / w, waves[w], excel=(w == "2013"), parquet=parquet) for w in WAVES]
    write_readme(out / "README.md", waves, PLANTED, seed=seed, orgs=orgs, respondents=respondents,
                 parquet=parquet)
    return folders
