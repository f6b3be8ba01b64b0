"""The demo's population: units, headcount per org × unit × age group, response rates, respondents.

Everything is drawn from one ``numpy.random.Generator``; loops run over organisations, never over
respondents. Respondents per cell are binomial draws from the cell's headcount, so a cell never has
more respondents than staff.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .catalogue import NO_DIFFERENCE, SMALL_UNIT, SMALL_UNIT_ORG, TINY_ORGS, UNIT_NAMES, Org

UNIT_SD = 0.30          # unit effect on every domain (latent units)
UNIT_DOMAIN_SD = 0.12   # extra unit effect per domain
AGE_SATISFACTION = (-0.30, 0.25)   # latent effect of the youngest .. oldest age group (linear)
AGE_RESPONSE = (0.65, 1.20)        # response-rate multiplier of the youngest .. oldest group
RESPONSE_RANGE = (0.25, 0.80)      # unit response rates lie in this range (before age multipliers)
SHARE_2013 = 0.90                  # respondents of 2013 relative to the 2015 target
TINY_HEADCOUNT = (18, 26)          # headcount of the tiny organisations; <= 8 respondents each
SMALL_UNIT_HEADCOUNT = 9           # the planted small unit: 3..7 respondents
MIN_UNIT_HEADCOUNT = 4

_AGE_MIX = {  # headcount share per age group (youngest first) by organisation type
    "ministerie": (0.16, 0.24, 0.30, 0.30),
    "provincie": (0.14, 0.24, 0.32, 0.30),
    "waterschap": (0.12, 0.22, 0.33, 0.33),
    "zbo": (0.24, 0.28, 0.26, 0.22),
    "gemeente": (0.20, 0.26, 0.28, 0.26),
}


@dataclass
class Units:
    """The units of all organisations (one row per unit, fixed across waves)."""

    org: np.ndarray        # (U,) organisation index
    name: np.ndarray       # (U,) unit name
    share: np.ndarray      # (U,) unit share of its organisation's headcount
    age_mix: np.ndarray    # (U, A) headcount share per age group
    effect: np.ndarray     # (U,) latent unit effect on every domain (set by the quality model)
    rr: np.ndarray         # (U,) base response rate
    fixed: np.ndarray      # (U,) fixed headcount (tiny organisations, planted small unit) or 0


@dataclass
class Cells:
    """Headcount and respondents of one wave: arrays of shape (U, A)."""

    headcount: np.ndarray
    respondents: np.ndarray
    present: np.ndarray    # (O,) organisation takes part in this wave


def n_units(org: Org) -> int:
    """3..30 units, more for larger organisations."""
    if org.size == 0:
        return 3
    k = int(round(3 + 5 * np.log2(1 + 2 * org.size)))
    return int(np.clip(k, 3, min(30, len(UNIT_NAMES[org.type]))))


def build_units(rng: np.random.Generator, orgs: list[Org], n_age: int) -> Units:
    """Units with names, headcount shares, age mixes and base response rates."""
    org_idx, names, shares, fixed = [], [], [], []
    for i, o in enumerate(orgs):
        k = n_units(o)
        pool = UNIT_NAMES[o.type]
        chosen = sorted(rng.choice(len(pool), size=k, replace=False))
        share = rng.lognormal(0.0, 0.85, size=k)
        unit_names = [pool[c] for c in chosen]
        unit_fixed = [0] * k
        if o.code in TINY_ORGS:
            share = np.ones(k)
            total = int(rng.integers(*TINY_HEADCOUNT, endpoint=True))
            unit_fixed = list(np.diff(np.round(np.linspace(0, total, k + 1))).astype(int))
        if o.code == SMALL_UNIT_ORG and SMALL_UNIT not in unit_names:
            unit_names.append(SMALL_UNIT)
            share = np.append(share, 0.0)
            unit_fixed.append(SMALL_UNIT_HEADCOUNT)
        org_idx += [i] * len(unit_names)
        names += unit_names
        shares.append(share / share.sum())
        fixed += unit_fixed
    org_arr = np.asarray(org_idx)
    n = len(org_arr)
    org_mix = np.array([_age_base(o.type, n_age) for o in orgs])
    for i, o in enumerate(orgs):  # no age profile of its own: the size-weighted mix of the others
        if o.code == NO_DIFFERENCE:
            w = np.array([p.size if p.code != o.code else 0.0 for p in orgs])
            org_mix[i] = w @ org_mix / w.sum()
    base_mix = org_mix[org_arr]
    age_mix = np.vstack([rng.dirichlet(40 * b) for b in base_mix])
    org_shift = rng.normal(0, 0.5, size=len(orgs))[org_arr]
    unit_effect = rng.normal(0, UNIT_SD, size=n)
    z = 1.4 * unit_effect / UNIT_SD + org_shift + rng.normal(0, 0.6, size=n)
    lo, hi = RESPONSE_RANGE
    rr = lo + (hi - lo) / (1 + np.exp(-z))
    return Units(org_arr, np.asarray(names, dtype=object), np.concatenate(shares), age_mix,
                 unit_effect, rr, np.asarray(fixed))


def _age_base(org_type: str, n_age: int) -> np.ndarray:
    base = _AGE_MIX.get(org_type)
    return np.asarray(base) if base and len(base) == n_age else np.full(n_age, 1 / n_age)


def age_profile(lo_hi: tuple[float, float], n_age: int) -> np.ndarray:
    """A linear profile over the age groups, youngest first."""
    return np.linspace(*lo_hi, n_age) if n_age > 1 else np.zeros(1)


def build_cells(rng: np.random.Generator, orgs: list[Org], units: Units, respondents: int
                ) -> dict[str, Cells]:
    """Headcount and respondents per unit × age group for the waves 2015 and 2013.

    The headcount is scaled so that the expected number of 2015 respondents is ``respondents``;
    2013 has slightly larger headcounts (the civil service shrank), lacks the organisations that
    joined in 2015, and response rates scaled to give about 90% of the 2015 respondents.
    """
    n_age = units.age_mix.shape[1]
    rr15 = np.minimum(units.rr[:, None] * age_profile(AGE_RESPONSE, n_age)[None, :], 0.95)
    size = np.array([o.size for o in orgs])[units.org]
    fixed = units.fixed > 0
    fixed_heads = units.fixed[:, None] * units.age_mix
    fixed_expected = (fixed_heads * rr15)[fixed].sum()
    per_size = (size * units.share)[:, None] * units.age_mix * rr15
    target = max(respondents - fixed_expected, 1.0)
    unit_rr = (units.age_mix * rr15).sum(axis=1)
    scale = target / per_size[~fixed].sum()
    for _ in range(8):  # the minimum unit size adds respondents: rescale until on target
        heads = np.maximum(np.round(scale * size * units.share), MIN_UNIT_HEADCOUNT)
        scale *= target / (heads * unit_rr)[~fixed].sum()
    heads15 = np.where(fixed, units.fixed,
                       np.maximum(np.round(scale * size * units.share), MIN_UNIT_HEADCOUNT))
    heads15 = rng.multinomial(heads15.astype(np.int64), units.age_mix)

    present15 = np.ones(len(orgs), dtype=bool)
    present13 = np.array([o.in_2013 for o in orgs])
    growth = rng.normal(1.04, 0.03, size=len(orgs))[units.org]
    heads13 = np.where(fixed[:, None], heads15, np.round(heads15 * growth[:, None])).astype(np.int64)
    heads13[~present13[units.org]] = 0
    rr13 = rr15 * rng.lognormal(0, 0.08, size=len(units.org))[:, None]
    factor = SHARE_2013 * respondents / max((heads13 * rr13).sum(), 1.0)
    rr13 = np.minimum(rr13 * factor, 0.95)

    out = {}
    for wave, heads, rr, present in (("2015", heads15, rr15, present15),
                                     ("2013", heads13, rr13, present13)):
        resp = rng.binomial(heads, rr)
        _clamp_fixed(orgs, units, heads, resp)
        out[wave] = Cells(heads, resp, present)
    return out


def _clamp_fixed(orgs: list[Org], units: Units, heads: np.ndarray, resp: np.ndarray) -> None:
    """Tiny organisations get 3..8 respondents, the planted small unit 3..7 (in place)."""
    groups = [(units.org == i, 3, 8) for i, o in enumerate(orgs) if o.code in TINY_ORGS]
    groups += [((units.name == SMALL_UNIT) & (units.fixed > 0), 3, 7)]
    for rows, lo, hi in groups:
        block = resp[rows]
        room = heads[rows] - block
        while block.sum() > hi:
            block.flat[np.argmax(block)] -= 1
        while block.sum() < lo and room.sum() > 0:
            pos = np.argmax(room)
            block.flat[pos] += 1
            room.flat[pos] -= 1
        resp[rows] = block


def expand(cells: Cells) -> tuple[np.ndarray, np.ndarray]:
    """Unit index and age-group index of every respondent (one row per respondent)."""
    counts = cells.respondents.ravel()
    n_age = cells.respondents.shape[1]
    flat = np.repeat(np.arange(counts.size), counts)
    return flat // n_age, flat % n_age


_TENURE_BY_AGE = np.array([[0.60, 0.35, 0.05], [0.30, 0.50, 0.20],
                           [0.15, 0.35, 0.50], [0.10, 0.25, 0.65]])
_WOMEN = {"ministerie": 0.45, "provincie": 0.45, "waterschap": 0.35, "zbo": 0.55, "gemeente": 0.52}


def draw_categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One category index per row of ``probs`` (rows sum to 1), vectorised."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs))[:, None] * cum[:, -1:]
    return (u > cum).sum(axis=1)


def background(rng: np.random.Generator, orgs: list[Org], org: np.ndarray, age: np.ndarray,
               n_gender: int, n_tenure: int, n_age: int) -> tuple[np.ndarray, np.ndarray]:
    """Gender (depends on organisation type) and tenure (depends on age) category indices."""
    if n_gender == 3:
        women = np.array([_WOMEN.get(o.type, 0.5) for o in orgs])[org]
        probs = np.column_stack([0.98 - women, women, np.full(len(women), 0.02)])
    else:
        probs = np.full((len(age), n_gender), 1 / n_gender)
    gender = draw_categorical(rng, probs)
    if n_tenure == 3 and n_age == 4:
        tenure = draw_categorical(rng, _TENURE_BY_AGE[age])
    else:
        tenure = draw_categorical(rng, np.full((len(age), n_tenure), 1 / n_tenure))
    return gender, tenure
