"""Sibling families of the prepared tables, in the form the attacker uses them.

From ``results``, ``response``, ``organisations`` and ``pluim_shares`` (whatever is present) this
builds four long frames:

``cells``   fam, member, row, n, pos_lo, pos_hi   a member's count in one row (NaN: hidden) and,
            where its weights are uniform, its positive count (value x n, widened by the
            published rounding)
``parents`` fam, row, total, pos_lo, pos_hi,      the parent's count (and positives) per row;
            value, n_eff                          for an organisation its (weighted) top-2 value
                                                  and Kish n_eff (:mod:`.weighted`)
``caps``    fam, member, cap                      upper bounds (headcount, respondents)

Rows of one count: ``top2`` and ``mean`` of an item share their ``n`` (valid answers), so do
``grade_mean``/``grade_pass``; ``respondents`` and ``skip_share`` are the respondents. Members of
a family without any row for a member/row pair count as hidden there (the attacker does not know
them). A category family gets an extra member ``(no category)`` for respondents who left the
background question empty (the data contract allows it).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

#: measure -> the count it is published with
COUNT_OF = {"top2": "answers", "mean": "answers", "grade_mean": "grade", "grade_pass": "grade",
            "nvt_share": "answered", "skip_share": "respondents", "respondents": "respondents"}
#: measures whose value x n is a sum of per-respondent values in 0..1 (a "positive count")
POSITIVE = ("top2", "grade_pass")
RESP = "respondents"
NO_CATEGORY = "(no category)"
_SEP = "\x1f"


def _s(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    return pd.Series(frame[col].to_numpy(dtype=object, na_value=""), index=frame.index, dtype=object)


def _f(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    return pd.to_numeric(frame[col], errors="coerce").astype(float)


def half_step(values: pd.Series) -> float:
    """Half the rounding step of published values (0 for full precision): 0.0005 for values
    published to 3 decimals, ..."""
    v = values.dropna().to_numpy(dtype=float)
    if not len(v):
        return 0.0
    for dec in range(0, 7):
        if np.all(np.abs(v * 10**dec - np.round(v * 10**dec)) < 1e-7):
            return 0.5 / 10**dec
    return 0.0


def invert_wilson(p, lo, hi, z: float) -> np.ndarray:
    """The (effective) n of a Wilson interval ``lo..hi`` around ``p`` (vectorised).

    The centre ``c = (p + z^2/2n) / (1 + z^2/n)`` gives ``n = z^2 (1/2 - c) / (c - p)``; where
    ``c`` is too close to ``p`` (p near 1/2) the half width gives a quadratic in ``1/n``.
    """
    p, lo, hi = (np.asarray(x, float) for x in (p, lo, hi))
    c, w = (lo + hi) / 2, (hi - lo) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        by_centre = z**2 * (0.5 - c) / (c - p)
        a = w**2 * z**4 - z**4 / 4
        b = 2 * w**2 * z**2 - z**2 * p * (1 - p)
        u = (-b - np.sqrt(np.maximum(b**2 - 4 * a * w**2, 0))) / (2 * a)
        by_width = 1 / u
    return np.where(np.abs(c - p) > 1e-4, by_centre, by_width)


def invert_t(lo, hi, sd) -> np.ndarray:
    """The n of a t interval ``lo..hi`` of a mean with standard deviation ``sd`` (vectorised,
    fixed-point on ``n = (t_{n-1} sd / half width)^2``)."""
    w = (np.asarray(hi, float) - np.asarray(lo, float)) / 2
    sd = np.asarray(sd, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        n = (1.96 * sd / w) ** 2
        for _ in range(30):
            n = (stats.t.ppf(0.975, np.maximum(n - 1, 1)) * sd / w) ** 2
    return n


def _fill_from_intervals(r: pd.DataFrame, uniform: np.ndarray, z: float) -> pd.Series:
    """``n`` of ``results``, with hidden counts recovered from published intervals where the
    row's weights are uniform (n_eff = n)."""
    n = _f(r, "n")
    value, lo, hi, sd = _f(r, "value"), _f(r, "ci_low"), _f(r, "ci_high"), _f(r, "sd")
    measure = _s(r, "measure")
    gap = (n.isna() & value.notna() & lo.notna() & hi.notna() & (hi > lo)).to_numpy() & uniform
    if not gap.any():
        return n
    est = np.full(len(r), np.nan)
    top = gap & measure.isin(["top2", "grade_pass"]).to_numpy()
    est[top] = invert_wilson(value[top], lo[top], hi[top], z)
    mean = gap & measure.isin(["mean", "grade_mean"]).to_numpy() & sd.notna().to_numpy()
    est[mean] = invert_t(lo[mean], hi[mean], sd[mean])
    ok = np.isfinite(est) & (np.abs(est - np.round(est)) < 0.05) & (est > 0)
    return n.where(~pd.Series(ok, index=r.index), np.round(est))


def results_cells(r: pd.DataFrame, unweighted_orgs: set, z: float) -> pd.DataFrame:
    """Count cells of the plain (not comparison) rows of ``results``:
    org, unit, breakdown, category, row, n, pos_lo, pos_hi."""
    r = r[_s(r, "comparison").eq("").to_numpy()].reset_index(drop=True)
    org, unit, bd = _s(r, "org"), _s(r, "unit"), _s(r, "breakdown")
    n, n_eff, value = _f(r, "n"), _f(r, "n_eff"), _f(r, "value")
    integral_neff = half_step(n_eff) >= 0.5
    tol = np.where(integral_neff, 0.5, 1e-6 * np.maximum(n.fillna(1.0), 1.0))
    # weights known to be equal: a published n_eff equal to n (to its rounding) or, where no n_eff
    # is published, a unit (one weighting cell) or an unweighted organisation
    uniform_pub = ((unit.ne("") & bd.eq("")) | org.isin(unweighted_orgs)).to_numpy()
    uniform = np.where(n_eff.isna(), uniform_pub, ((n_eff - n).abs() < tol).to_numpy())
    hidden_n = _f(r, "n").isna()
    n = _fill_from_intervals(r, uniform_pub, z)
    rec = (hidden_n & n.notna()).astype(float)
    measure = _s(r, "measure")
    kind = measure.map(COUNT_OF).fillna(measure)
    row = (_s(r, "domain") + "|" + _s(r, "item") + "|" + kind).where(kind.ne(RESP), RESP)
    pos_ok = measure.isin(POSITIVE).to_numpy() & uniform & value.notna().to_numpy()
    step = half_step(value[measure.isin(POSITIVE)])
    pos_lo = np.where(pos_ok, (value - step) * n, np.nan)
    pos_hi = np.where(pos_ok, (value + step) * n, np.nan)
    c = pd.DataFrame({"org": org, "unit": unit, "breakdown": bd, "category": _s(r, "category"),
                      "row": row, "n": n, "pos_lo": pos_lo, "pos_hi": pos_hi, "rec": rec,
                      "hid": hidden_n.astype(float),
                      "pv": value.where(measure.isin(POSITIVE)), "pe": n_eff.where(measure.isin(POSITIVE))})
    keys = ["org", "unit", "breakdown", "category", "row"]
    g = c.groupby(_key(c, keys), sort=False)
    # recovered: hidden in every row of that count, yet known from an interval
    rec = g["rec"].max().to_numpy() * g["hid"].min().to_numpy()
    out = g.first().drop(columns="hid").assign(rec=rec).reset_index(drop=True)
    out.attrs = {"value_step": step, "neff_tol": 0.5 if integral_neff else 1e-6}
    return out


def _key(frame: pd.DataFrame, cols: list[str]) -> np.ndarray:
    """One integer per distinct combination of ``cols`` (grouping on it is much faster than on
    several string columns)."""
    codes = [pd.factorize(frame[c].to_numpy(dtype=object))[0] for c in cols]
    return np.ravel_multi_index(codes, [max(int(x.max()) + 1, 1) if len(x) else 1 for x in codes])


def _frame(fam, member, row, n, pos_lo=np.nan, pos_hi=np.nan, rec=0.0) -> pd.DataFrame:
    return pd.DataFrame({"fam": fam, "member": member, "row": row, "n": n,
                         "pos_lo": pos_lo, "pos_hi": pos_hi, "rec": rec})


def build(tables: dict[str, pd.DataFrame], *, z: float = 1.959963984540054):
    """The families of a set of prepared tables: (cells, parents, caps) (module doc); the
    parents' ``attrs`` hold the published rounding (``value_step``, ``neff_tol``)."""
    cells, parents, caps, meta = [], [], [], {}
    orgs = tables.get("organisations")
    eligible, org_type, org_resp, org_head, unweighted = set(), {}, {}, {}, set()
    if orgs is not None and "org" in orgs.columns:
        o = orgs.assign(org=_s(orgs, "org"))
        elig = (o["eligible"].fillna(False).astype(bool) if "eligible" in o.columns
                else pd.Series(True, index=o.index))
        eligible = set(o.loc[elig, "org"])
        org_type = dict(zip(o["org"], _s(o, "type")))
        org_resp = dict(zip(o["org"], _f(o, "respondents")))
        org_head = dict(zip(o["org"], _f(o, "headcount")))
        if "weighted" in o.columns:
            unweighted = set(o.loc[~o["weighted"].fillna(True).astype(bool), "org"])

    r = tables.get("results")
    if r is not None and {"org", "unit", "measure", "n"} <= set(r.columns):
        c = results_cells(r, unweighted, z)
        plain = c["breakdown"].eq("")
        is_org, is_unit = c["org"].ne(""), c["unit"].ne("")
        # units of an organisation
        m = c[plain & is_org & is_unit]
        cells.append(_frame("units" + _SEP + m["org"], m["unit"], m["row"], m["n"], m["pos_lo"],
                            m["pos_hi"], m["rec"]))
        p = c[plain & is_org & ~is_unit]
        parents.append(_frame("units" + _SEP + p["org"], "", p["row"], p["n"], p["pos_lo"], p["pos_hi"])
                       .assign(value=p["pv"].to_numpy(), n_eff=p["pe"].to_numpy()))
        meta = dict(c.attrs)
        # categories of a background variable (within an organisation, unit, or the wave)
        bg = ~plain & c["breakdown"].ne("type")
        m = c[bg]
        fam_of = "categories" + _SEP + m["org"] + _SEP + m["unit"] + _SEP + m["breakdown"]
        cells.append(_frame(fam_of, m["category"], m["row"], m["n"], m["pos_lo"], m["pos_hi"], m["rec"]))
        keys = m[["org", "unit", "breakdown"]].drop_duplicates()
        p = keys.merge(c[plain], on=["org", "unit"], suffixes=("", "_p"))
        parents.append(_frame("categories" + _SEP + p["org"] + _SEP + p["unit"] + _SEP + p["breakdown"], "",
                              p["row"], p["n"], p["pos_lo"], p["pos_hi"]))
        # organisations of a type and of the wave; types of the wave
        m = c[plain & is_org & ~is_unit & c["org"].isin(eligible)]
        type_fam = "type" + _SEP + m["org"].map(org_type).astype(object).fillna("")
        cells.append(_frame(type_fam, m["org"], m["row"], m["n"], m["pos_lo"], m["pos_hi"], m["rec"]))
        cells.append(_frame("wave", m["org"], m["row"], m["n"], m["pos_lo"], m["pos_hi"], m["rec"]))
        p = c[c["breakdown"].eq("type") & ~is_org & ~is_unit]
        parents.append(_frame("type" + _SEP + p["category"], "", p["row"], p["n"], p["pos_lo"], p["pos_hi"]))
        cells.append(_frame("wave-types", p["category"], p["row"], p["n"], p["pos_lo"], p["pos_hi"]))
        p = c[plain & ~is_org & ~is_unit]
        for fam in ("wave", "wave-types"):
            parents.append(_frame(fam, "", p["row"], p["n"], p["pos_lo"], p["pos_hi"]))
        pool_cells, pool_parents = _pools(r, c[plain & is_org & ~is_unit & c["org"].isin(eligible)], org_type)
        cells += pool_cells
        parents += pool_parents

    resp = tables.get("response")
    if resp is not None and {"org", "breakdown", "category", "respondents"} <= set(resp.columns):
        o_, bd, cat = _s(resp, "org"), _s(resp, "breakdown"), _s(resp, "category")
        shown = ~_s(resp, "flag").eq("suppressed")
        x = _f(resp, "respondents").where(shown)
        fam = np.where(bd.eq("unit"), "units" + _SEP + o_,
                       "categories" + _SEP + o_ + _SEP + "" + _SEP + bd)
        sel = bd.ne("").to_numpy()
        cells.append(_frame(fam[sel], cat[sel], RESP, x[sel]))
        caps.append(pd.DataFrame({"fam": fam[sel], "member": cat[sel], "cap": _f(resp, "headcount")[sel]}))
        tot = pd.Series(org_resp, dtype=float)
        fams = pd.Series(fam[sel]).drop_duplicates()
        own = fams.str.split(_SEP).str[1]
        parents.append(_frame(fams.to_numpy(), "", RESP, own.map(tot).to_numpy()))
    if orgs is not None and org_type:
        el = [o for o in org_resp if o in eligible]
        for fam_of in (lambda o: "type" + _SEP + org_type[o], lambda o: "wave"):
            fams = [fam_of(o) for o in el]
            cells.append(_frame(fams, el, RESP, [org_resp[o] for o in el]))
            caps.append(pd.DataFrame({"fam": fams, "member": el, "cap": [org_head[o] for o in el]}))
        caps += [pd.DataFrame({"fam": f"{k}{_SEP}{o}", "member": el, "cap": [org_resp[e] for e in el]})
                 for k in ("benchmark", "peers") for o in org_resp]

    ps = tables.get("pluim_shares")
    if ps is not None and {"org", "target", "n"} <= set(ps.columns):
        cells_p, parents_p, caps_p = _pluim(ps, eligible, org_resp, unweighted)
        cells += cells_p
        parents += parents_p
        caps += caps_p

    cells = pd.concat(cells, ignore_index=True) if cells else _frame([], [], [], [])
    fams = pd.unique(cells["fam"].to_numpy(dtype=object))
    cat_fams = [f for f in fams if f.startswith("categories" + _SEP)]
    cells = pd.concat([cells, _frame(cat_fams, NO_CATEGORY, RESP, np.nan)], ignore_index=True)
    parents = pd.concat(parents, ignore_index=True) if parents else _frame([], [], [], [])
    caps = pd.concat(caps, ignore_index=True) if caps else pd.DataFrame(columns=["fam", "member", "cap"])
    g = cells.groupby(_key(cells, ["fam", "member", "row"]), sort=False)
    cells = g.first().assign(rec=g["rec"].max().to_numpy()).reset_index(drop=True)
    parents = (parents.groupby(_key(parents, ["fam", "row"]), sort=False).first().reset_index(drop=True)
               .drop(columns="member").rename(columns={"n": "total"}))
    caps = caps.dropna(subset=["cap"]).groupby(["fam", "member"], sort=False, as_index=False)["cap"].min()
    for col in ("value", "n_eff"):
        if col not in parents.columns:
            parents[col] = np.nan
    parents.attrs = meta
    return cells, parents, caps


def _pools(r: pd.DataFrame, org_cells: pd.DataFrame, org_type: dict):
    """Benchmark and peer pools: ``ref_n`` of organisation o's comparison rows is the sum of the
    other (same-type) eligible organisations' counts."""
    cmp = _s(r, "comparison")
    sel = (cmp.isin(["benchmark", "peers"]) & _s(r, "unit").eq("") & _s(r, "breakdown").eq("")).to_numpy()
    if not sel.any():
        return [], []
    q = r[sel]
    measure = _s(q, "measure")
    kind = measure.map(COUNT_OF).fillna(measure)
    rows = pd.DataFrame({"org": _s(q, "org"), "comparison": cmp[sel],
                         "row": _s(q, "domain") + "|" + _s(q, "item") + "|" + kind,
                         "total": _f(q, "ref_n")}).groupby(["org", "comparison", "row"], as_index=False).first()
    rows["fam"] = rows["comparison"] + _SEP + rows["org"]
    parents = [_frame(rows["fam"], "", rows["row"], rows["total"])]
    members = org_cells[["org", "row", "n"]].rename(columns={"org": "member"})
    fams = rows[["fam", "org", "comparison"]].drop_duplicates()
    pairs = fams.merge(members[["member"]].drop_duplicates(), how="cross")
    pairs = pairs[pairs["member"].ne(pairs["org"]) & (pairs["comparison"].eq("benchmark") | (
        pairs["member"].map(org_type) == pairs["org"].map(org_type)))]
    m = pairs.merge(rows[["fam", "row"]], on="fam").merge(members, on=["member", "row"], how="left")
    return [_frame(m["fam"], m["member"], m["row"], m["n"])], parents


def _pluim(ps: pd.DataFrame, eligible: set, org_resp: dict, unweighted: set):
    """Pluim targets of an organisation (parent: target ``""``, any pluim) and organisations of
    the wave per target; a hidden count of an unweighted organisation follows from its share."""
    org, target = _s(ps, "org"), _s(ps, "target")
    n = _f(ps, "n")
    if "flag" in ps.columns:
        n = n.where(~_s(ps, "flag").eq("suppressed") | n.notna())
    share = _f(ps, "share")
    resp = org.map(org_resp).astype(float)
    from_share = n.isna() & share.notna() & org.isin(unweighted) & resp.notna()
    est = share * resp
    got = from_share & ((est - est.round()).abs() < 1e-6 * resp)
    n = n.where(~got, est.round())
    rec = got.astype(float)
    is_org = org.ne("")
    m = is_org & target.ne("")
    cells = [_frame("pluim" + _SEP + org[m], target[m], "pluim", n[m], rec=rec[m]),
             _frame("pluim-wave" + _SEP + target[is_org & org.isin(eligible)],
                    org[is_org & org.isin(eligible)], "pluim", n[is_org & org.isin(eligible)])]
    p = is_org & target.eq("")
    parents = [_frame("pluim" + _SEP + org[p], "", "pluim", n[p]),
               _frame("pluim-wave" + _SEP + target[~is_org], "", "pluim", n[~is_org])]
    caps = [pd.DataFrame({"fam": "pluim" + _SEP + org[m], "member": target[m], "cap": resp[m]}),
            pd.DataFrame({"fam": "pluim-wave" + _SEP + target[is_org], "member": org[is_org],
                          "cap": resp[is_org]})]
    return cells, parents, caps


#: family kinds whose members' respondents are one of their rows
HAS_RESPONDENTS = ("units", "categories", "type", "wave", "wave-types")
