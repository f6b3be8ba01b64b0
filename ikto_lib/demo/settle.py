"""Making the planted effects hold for every seed.

After a wave's answers are drawn, the rows of a planted organisation are redrawn (from the same
generator, so still deterministic) until a check on its figures passes, the way a careful analyst
would see them: headcount-weighted per unit (``weights``), with Kish's effective n.

- the no-difference organisation: no difference on any item, domain or the grade against the
  benchmark, its peers or its own previous wave that has both ``|z| >= Z_QUIET`` (top-2 by pooled
  z, means by Welch z) and a size near the flag thresholds, so a Holm-corrected analysis at
  alpha 0.05 with the default thresholds cannot flag it;
- a planted difference: the domain top-2 difference lies within ``TOLERANCE`` of its planted size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Z_QUIET = 2.5
MIN_TOP2, MIN_G = 0.04, 0.16
TOLERANCE = 0.05
MAX_TRIES = 200


@dataclass
class Summary:
    """Weighted top-2, mean, variance and effective n per column: items, then domains, grade."""

    keys: list[str]
    top2: np.ndarray
    mean: np.ndarray
    var: np.ndarray
    n_eff: np.ndarray

    @classmethod
    def from_sums(cls, keys: list[str], sums: np.ndarray) -> "Summary":
        """From ``sums`` (5, K): sum w, sum w x, sum w x^2, sum w^2, sum w top (see ``Columns``)."""
        s0, s1, s2, q, t = sums
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = s1 / s0
            var = np.maximum(s2 / s0 - mean**2, 0.0)
            top2 = t / s0
            n_eff = np.nan_to_num(s0**2 / q)
        top2[[k.endswith(":mean") for k in keys]] = np.nan
        return cls(keys, top2, mean, var, n_eff)


@dataclass
class Columns:
    """Respondent values of every tested column, and weighted sums of them per group.

    Columns: the items (codes 1..5), per domain the respondent's mean and top-2 share of its items
    (when at least half answered), the grade. "Top" is code >= 4 for items, the share itself for a
    domain top-2, grade >= 6 (pass) for the grade.
    """

    keys: list[str]
    values: np.ndarray   # (n, K), NaN = missing
    top: np.ndarray      # (n, K)
    w: np.ndarray        # (n,)

    def sums(self, groups: np.ndarray, n_groups: int) -> np.ndarray:
        """Weighted sums per group: array (n_groups, 5, K); loops over columns, not rows."""
        out = np.zeros((n_groups, 5, len(self.keys)))
        for k in range(len(self.keys)):
            x = self.values[:, k]
            valid = ~np.isnan(x)
            wv = np.where(valid, self.w, 0.0)
            x0 = np.where(valid, x, 0.0)
            for j, vals in enumerate((wv, wv * x0, wv * x0**2, wv * self.w, wv * self.top[:, k])):
                out[:, j, k] = np.bincount(groups, weights=vals, minlength=n_groups)
        return out

    def summary(self, rows: np.ndarray) -> Summary:
        one = np.zeros(len(self.w), dtype=np.int64)
        one[rows] = 1
        return Summary.from_sums(self.keys, self.sums(one, 2)[1])


def unit_weights(unit: np.ndarray, unit_heads: np.ndarray) -> np.ndarray:
    """Post-stratification weight per respondent: unit headcount / unit respondents."""
    counts = np.bincount(unit, minlength=len(unit_heads))
    return unit_heads[unit] / np.maximum(counts[unit], 1)


def columns(codes: np.ndarray, grades: np.ndarray, w: np.ndarray, item_keys: list[str],
            item_domain: np.ndarray, item_overall: np.ndarray, domains: list[str]) -> Columns:
    """The tested columns of respondents (see ``Columns``)."""
    vals = codes.astype(float)
    vals[(codes < 1) | (codes > 5)] = np.nan
    cols, tops, keys = [vals], [vals >= 4], list(item_keys)
    for d, dom in enumerate(domains):
        block = vals[:, (item_domain == d) & ~item_overall]
        if block.shape[1] == 0:
            continue
        answered = (~np.isnan(block)).sum(axis=1)
        ok = answered >= 0.5 * block.shape[1]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(ok, np.nansum(block, axis=1) / answered, np.nan)
            top = np.where(ok, (block >= 4).sum(axis=1) / answered, np.nan)
        cols += [mean[:, None], top[:, None]]
        tops += [np.zeros((len(mean), 1)), np.nan_to_num(top)[:, None]]
        keys += [f"domain:{dom}:mean", f"domain:{dom}:top2"]
    g = grades.astype(float)
    g[grades == 0] = np.nan
    cols.append(g[:, None])
    tops.append((g >= 6)[:, None])
    keys.append("grade")
    return Columns(keys, np.hstack(cols), np.hstack(tops).astype(float), w)


def zscores(a: Summary, b: Summary) -> tuple[np.ndarray, ...]:
    """For the columns both have (>= 10 each): |z| and size of the top-2 and mean differences.

    Returns ``(z_top2, diff_top2, z_mean, g)``: pooled two-proportion z, absolute top-2 difference,
    Welch z and absolute standardised mean difference (pooled SD).
    """
    idx = {k: i for i, k in enumerate(b.keys)}
    pairs = [(i, idx[k]) for i, k in enumerate(a.keys) if k in idx]
    ia, ib = (np.array(p, dtype=int) for p in zip(*pairs)) if pairs else (np.zeros(0, int),) * 2
    na, nb = a.n_eff[ia], b.n_eff[ib]
    ok = (na >= 10) & (nb >= 10)
    pa, pb = a.top2[ia], b.top2[ib]
    pool = (pa * na + pb * nb) / np.maximum(na + nb, 1)
    diff_mean = np.abs(a.mean[ia] - b.mean[ib])
    with np.errstate(invalid="ignore", divide="ignore"):
        z_top = np.abs(pa - pb) / np.sqrt(pool * (1 - pool) * (1 / na + 1 / nb))
        z_mean = diff_mean / np.sqrt(a.var[ia] / na + b.var[ib] / nb)
        g = diff_mean / np.sqrt((a.var[ia] + b.var[ib]) / 2)
    return tuple(np.nan_to_num(np.where(ok, x, 0.0))
                 for x in (z_top, np.abs(pa - pb), z_mean, g))


def quiet(a: Summary, refs: list[Summary]) -> bool:
    """No difference of ``a`` with any reference is both significant-ish and relevant-ish.

    Loud: ``|z| >= Z_QUIET`` and a top-2 difference ``>= MIN_TOP2`` or ``|g| >= MIN_G`` (80% of the
    flag thresholds of the settings: 5 points, 0.2). A Holm-corrected test needs a far larger
    ``|z|``, so a correct analysis flags nothing.
    """
    for ref in refs:
        z_top, d_top, z_mean, g = zscores(a, ref)
        if ((z_top >= Z_QUIET) & (d_top >= MIN_TOP2)).any() or ((z_mean >= Z_QUIET) & (g >= MIN_G)).any():
            return False
    return True


def near(a: Summary, ref: Summary, domain: str, diff: float) -> bool:
    """The domain top-2 of ``a`` minus that of ``ref`` lies within ``TOLERANCE`` of ``diff``."""
    key = f"domain:{domain}:top2"
    if key not in a.keys or key not in ref.keys:
        return True
    got = a.top2[a.keys.index(key)] - ref.top2[ref.keys.index(key)]
    return bool(abs(got - diff) <= TOLERANCE)
