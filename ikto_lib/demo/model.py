"""The demo's answer model: latent quality per organisation × domain, answers, grade.

A respondent's latent satisfaction with domain ``d`` is

    eta = q[org, d] + unit[unit, d] + age[age_group] + leniency + e[d]

with ``q`` the organisation's quality (domain mean + type effect + organisation effect), a unit
effect (general + per domain, centred within the organisation by headcount), a global age effect
(younger staff are less satisfied), the respondent's leniency (shared by all domains: this is what
makes domains correlate) and a respondent × domain term. An item answer is ``eta + item offset +
noise`` cut at ``THRESHOLDS`` into the codes 1..5, so items of one domain correlate more than items
of different domains. The grade is ``GRADE_BASE + sum_d GRADE_WEIGHTS[d] * (eta_d - mean_d) + noise``.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

from .catalogue import CATERING_LOW, ICT_IMPROVED, NO_DIFFERENCE, TINY_ORGS, Org
from .population import AGE_SATISFACTION, UNIT_DOMAIN_SD, UNIT_SD, Cells, Units, age_profile

THRESHOLDS = np.array([-2.2, -1.3, -0.4, 1.4])  # latent cut points 1|2, 2|3, 3|4, 4|5
ORG_SD, TYPE_SD, DRIFT_SD = 0.25, 0.12, 0.12
LENIENCY_SD, RESP_DOMAIN_SD = 0.60, 0.70
ITEM_SD, OVERALL_SD, ITEM_OFFSET_SD = 0.68, 0.55, 0.15
NVT_RANGE, OVERALL_NVT = (0.05, 0.14), 0.05   # n.v.t. share per item among users of the domain
ITEM_SKIP = 0.02                              # a user leaves a single item empty
GRADE_BASE, GRADE_NOISE, GRADE_MISSING = 7.0, 0.9, 0.03
CATERING_DROP, ICT_GAIN = 0.25, 0.20          # planted top-2 differences (proportions)

# Expected top-2 share per domain (group-wide) and share of respondents using the domain.
DOMAIN_TOP2 = {"ict": 0.62, "facilitair": 0.70, "catering": 0.56, "hr": 0.63,
               "personeelsadministratie": 0.72, "financien": 0.68, "beveiliging": 0.80,
               "informatie": 0.58, "communicatie": 0.64, "servicedesk": 0.66}
DOMAIN_USAGE = {"ict": 0.95, "facilitair": 0.80, "catering": 0.70, "hr": 0.45,
                "personeelsadministratie": 0.60, "financien": 0.40, "beveiliging": 0.55,
                "informatie": 0.50, "communicatie": 0.65, "servicedesk": 0.75}
# Grade points per latent unit of each domain's satisfaction (the "known weights").
GRADE_WEIGHTS = {"ict": 0.30, "facilitair": 0.15, "hr": 0.15, "servicedesk": 0.15,
                 "personeelsadministratie": 0.10, "catering": 0.10, "communicatie": 0.10,
                 "informatie": 0.10, "financien": 0.08, "beveiliging": 0.05}

_NORMAL = NormalDist()


def within_sd() -> float:
    """SD of an item's latent response within one organisation (before cutting)."""
    age = np.ptp(AGE_SATISFACTION) / np.sqrt(12)
    return float(np.sqrt(UNIT_SD**2 + UNIT_DOMAIN_SD**2 + age**2 + LENIENCY_SD**2
                         + RESP_DOMAIN_SD**2 + ITEM_SD**2))


def total_sd() -> float:
    return float(np.sqrt(within_sd() ** 2 + ORG_SD**2 + TYPE_SD**2))


def domain_mean(domain: str) -> float:
    """Latent domain mean that gives the domain's expected group-wide top-2."""
    return float(THRESHOLDS[2] + total_sd() * _NORMAL.inv_cdf(DOMAIN_TOP2.get(domain, 0.65)))


def shift_for(level: float, diff: float) -> float:
    """Latent shift that moves the top-2 of an organisation at latent ``level`` by ``diff``."""
    p0 = _NORMAL.cdf((level - THRESHOLDS[2]) / within_sd())
    p1 = min(max(p0 + diff, 0.02), 0.97)
    return within_sd() * (_NORMAL.inv_cdf(p1) - _NORMAL.inv_cdf(p0))


def _wmean(q: np.ndarray, w: np.ndarray, mask: np.ndarray) -> np.ndarray:
    return (w[mask, None] * q[mask]).sum(axis=0) / w[mask].sum()


def build_quality(rng: np.random.Generator, orgs: list[Org], units: Units,
                  cells: dict[str, Cells], domains: list[str]
                  ) -> tuple[dict[str, np.ndarray], np.ndarray, dict[str, np.ndarray]]:
    """Latent quality per wave ``(O, D)``, unit effects ``(U, D)``, benchmark weights per wave.

    Planted: ``CATERING_LOW`` has average catering in 2013 and ``CATERING_DROP`` less top-2 in
    2015; ``ICT_IMPROVED`` has average ICT in 2013 and ``ICT_GAIN`` more in 2015;
    ``NO_DIFFERENCE`` equals the headcount-weighted mean of the other organisations in both waves
    (and so do its peers of the same type, together), with no unit effects. The group mean per
    domain is the same in both waves (no general trend), so only the planted changes and the
    organisations' own drift show up as differences with 2013.
    """
    n_org, n_dom = len(orgs), len(domains)
    codes = [o.code for o in orgs]
    types = sorted({o.type for o in orgs})
    type_of = np.array([types.index(o.type) for o in orgs])
    mu = np.array([domain_mean(d) for d in domains])
    base = (mu[None, :] + rng.normal(0, TYPE_SD, (len(types), n_dom))[type_of]
            + rng.normal(0, ORG_SD, (n_org, n_dom)))
    weights = {w: np.bincount(units.org, c.headcount.sum(axis=1), minlength=n_org) * c.present
               for w, c in cells.items()}
    base += mu - _wmean(base, weights["2015"], weights["2015"] > 0)  # group mean = mu exactly
    q = {"2015": base.copy(), "2013": base - rng.normal(0, DRIFT_SD, (n_org, n_dom))}
    idx = {c: i for i, c in enumerate(codes)}
    z = idx.get(NO_DIFFERENCE)
    others = np.array([c not in TINY_ORGS for c in codes])
    if z is not None:
        others[z] = False
    alive = {w: others & cells[w].present for w in q}

    def mean_without(wave, i):
        mask = alive[wave].copy()
        mask[i] = False
        return _wmean(q[wave], weights[wave], mask)

    if ICT_IMPROVED in idx and "ict" in domains:
        p, d = idx[ICT_IMPROVED], domains.index("ict")
        q["2013"][p, d] = mean_without("2013", p)[d]
        q["2015"][p, d] = q["2013"][p, d] + shift_for(q["2013"][p, d], ICT_GAIN)
    if CATERING_LOW in idx and "catering" in domains:
        v, d = idx[CATERING_LOW], domains.index("catering")
        q["2013"][v, d] = mean_without("2013", v)[d]
        level = mean_without("2015", v)[d]
        q["2015"][v, d] = level + shift_for(level, -CATERING_DROP)
    if z is not None:
        peers = others & (type_of == type_of[z])
        for wave in q:
            rest, mine = alive[wave] & ~peers, alive[wave] & peers
            if rest.any() and mine.any():
                w = weights[wave]
                q[wave][mine] += _wmean(q[wave], w, rest) - _wmean(q[wave], w, mine)
    q["2013"] += (_wmean(q["2015"], weights["2015"], alive["2015"])
                  - _wmean(q["2013"], weights["2013"], alive["2013"]))[None, :]  # no general trend
    if z is not None:
        for wave in q:
            q[wave][z] = _wmean(q[wave], weights[wave], alive[wave])

    unit_heads = cells["2015"].headcount.sum(axis=1).astype(float)
    unit = units.effect[:, None] + rng.normal(0, UNIT_DOMAIN_SD, (len(units.org), n_dom))
    sums = np.zeros((n_org, n_dom))
    np.add.at(sums, units.org, unit * unit_heads[:, None])
    org_heads = np.bincount(units.org, unit_heads, minlength=n_org)
    unit -= sums[units.org] / np.maximum(org_heads[units.org], 1)[:, None]
    if z is not None:
        unit[units.org == z] = 0.0
    bench = {w: np.where(alive[w], weights[w], 0.0) for w in weights}
    return q, unit, bench


def answers(rng: np.random.Generator, q: np.ndarray, unit_eff: np.ndarray, usage: np.ndarray,
            org: np.ndarray, unit: np.ndarray, age: np.ndarray, n_age: int,
            item_domain: np.ndarray, item_overall: np.ndarray, item_offset: np.ndarray,
            item_nvt: np.ndarray, nvt_code: int):
    """Item codes ``(n, I)`` int8 (0 = empty), latent ``eta (n, D)``, ``used (n, D)``, leniency."""
    n, n_dom = len(org), q.shape[1]
    leniency = rng.normal(0, LENIENCY_SD, n)
    age_eff = age_profile(AGE_SATISFACTION, n_age)[age]
    eta = q[org] + unit_eff[unit] + (age_eff + leniency)[:, None]
    eta += rng.normal(0, RESP_DOMAIN_SD, (n, n_dom))
    used = rng.random((n, n_dom)) < usage[org]
    nobody = ~used.any(axis=1)
    used[nobody, np.argmax(usage[org[nobody]], axis=1)] = True
    noise_sd = np.where(item_overall, OVERALL_SD, ITEM_SD)
    x = eta[:, item_domain] + item_offset + rng.standard_normal((n, len(item_domain))) * noise_sd
    codes = (np.searchsorted(THRESHOLDS, x) + 1).astype(np.int8)
    u = rng.random(x.shape)
    codes[u < item_nvt] = nvt_code
    codes[(u >= item_nvt) & (u < item_nvt + ITEM_SKIP)] = 0
    codes[~used[:, item_domain]] = 0
    return codes, eta, used, leniency


def grade(rng: np.random.Generator, eta: np.ndarray, domains: list[str]) -> np.ndarray:
    """The rapportcijfer 1..10 (0 = empty, about ``GRADE_MISSING``)."""
    w = np.array([GRADE_WEIGHTS.get(d, 0.1) for d in domains])
    mu = np.array([domain_mean(d) for d in domains])
    g = GRADE_BASE + (eta - mu) @ w + rng.normal(0, GRADE_NOISE, len(eta))
    g = np.clip(np.rint(g), 1, 10).astype(np.int8)
    g[rng.random(len(g)) < GRADE_MISSING] = 0
    return g
