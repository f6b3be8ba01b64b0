"""The attack in the privacy audit: bound every hidden group from the published tables alone.

The table-by-table audit (:mod:`ikto_lib.audit`) checks that no small figure is *shown*. This
module plays the attacker who holds every published table at once (the prepared tables are the
union of what any report, Excel file or index shows, at full precision) and asks what follows
about the groups that are *hidden*:

1. :mod:`.families` turns the tables into sibling families: an organisation's units (every item,
   domain, measure and the respondents row), a background variable's categories, the
   organisations of a type and of the wave, the types of the wave, the benchmark and peer pools of
   every organisation (``ref_n`` = the other organisations' counts), pluim targets of an
   organisation and organisations per pluim target. Counts hidden in a table but recoverable from
   a published interval (Wilson for shares, t for means) or from a pluim share of an unweighted
   organisation are used as shown.
2. :mod:`.solve` bounds, per family, every hidden member's respondents and every hidden cell by
   integer programming (scipy ``milp``, HiGHS) over all rows of the family at once, and the
   positive count / share of hidden cells where the parent's and the shown members' positive
   counts are known: with uniform weights, or (:mod:`.weighted`) from an organisation's
   weighted value when its published effective n confirms that all hidden units form one
   post-stratification cell.
3. A hidden group is **pinned** when its count lies in ``lo..hi`` with ``1 <= hi < min_n`` and
   ``hi - lo <= attack_pin_width`` (settings; 2 = one value or +-1), **share pinned** when its
   positive share lies in an interval no wider than ``attack_share_width`` while it may hold
   fewer than ``min_n`` answers, and **narrowed** when it is known to hold ``1..min_n - 1``.
   Respondents that no listed member accounts for (a total minus all its shown members) are a
   group of their own, ``(not listed)``. Pinned and share-pinned groups are audit findings
   (kind ``derivable``); narrowed ones are counted.

What it does not cover is listed in the project's docs (``docs/privacy_audit.md``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .families import HAS_RESPONDENTS, RESP, build
from .solve import bound_family, share_bounds
from .weighted import other_cell_positives

__all__ = ["AttackResult", "attack_tables", "attack_prepared", "attack_outputs", "TABLES"]

#: The prepared tables the attacker reads.
TABLES = ("results", "response", "organisations", "pluim_shares")
_SEP = "\x1f"
_COLUMNS = ["file", "family", "group", "quantity", "lo", "hi", "share_lo", "share_hi", "kind"]


@dataclass
class AttackResult:
    """Bounds the attacker reached.

    ``groups``: one row per hidden figure, a hidden group's count in one row (``file, family,
    group, quantity, lo, hi, share_lo, share_hi, kind``; kind ``pinned`` / ``share_pinned`` /
    ``narrowed`` / ``""``).
    ``summary``: ``checked`` (hidden groups bounded: members of a family), ``pinned``,
    ``share_pinned``, ``narrowed`` (groups with such a figure), the same per figure
    (``figures``, ``figures_pinned``, ...), ``families`` (with a hidden member), ``inconsistent``
    (families whose figures contradict each other: not bounded), ``seconds``.
    """

    groups: pd.DataFrame
    summary: dict = field(default_factory=dict)

    @property
    def findings(self) -> pd.DataFrame:
        """Pinned and share-pinned groups (the audit findings)."""
        return self.groups[self.groups["kind"].isin(["pinned", "share_pinned"])]

    def audit_findings(self) -> list:
        """The findings as :class:`ikto_lib.audit.Finding` (kind ``derivable``), one per hidden
        group (its tightest quantity, and how many of its quantities are pinned)."""
        from ..audit import Finding

        f = self.findings
        if f.empty:
            return []
        f = f.assign(width=f["hi"] - f["lo"], is_count=f["kind"].eq("pinned")).sort_values(
            ["is_count", "width"], ascending=[False, True], kind="mergesort")
        out = []
        for (file, family, group), sub in f.groupby(["file", "family", "group"], sort=False):
            top = sub.iloc[0]
            what = (f"{top['quantity']} = {_fmt(top['lo'])}..{_fmt(top['hi'])}" if top["kind"] == "pinned"
                    else f"positive share of {top['quantity']} = {top['share_lo']:.3f}..{top['share_hi']:.3f}")
            more = f" (and {len(sub) - 1} more of its figures)" if len(sub) > 1 else ""
            out.append(Finding(file, f"{family}: {group}", "derivable",
                               f"hidden group pinned from all published tables together: {what}{more}"))
        return out

    def describe(self) -> str:
        s = self.summary
        return (f"hidden groups checked: {s.get('checked', 0)} ({s.get('figures', 0)} hidden figures), "
                f"pinned: {s.get('pinned', 0)} ({s.get('figures_pinned', 0)} figures), share pinned: "
                f"{s.get('share_pinned', 0)} ({s.get('figures_share_pinned', 0)}), narrowed to "
                f"1..min_n-1: {s.get('narrowed', 0)} ({s.get('figures_narrowed', 0)}); "
                f"{s.get('families', 0)} families with hidden members, {s.get('inconsistent', 0)} "
                f"inconsistent; {s.get('seconds', 0):.1f} s")


def _fmt(x) -> str:
    return "inf" if not np.isfinite(x) else str(int(round(x)))


def _describe_family(fam: str) -> str:
    parts = fam.split(_SEP)
    kind = parts[0]
    if kind == "units":
        return f"units of {parts[1]}"
    if kind == "categories":
        where = parts[1] or "the wave"
        return f"{parts[3]} categories of {where}" + (f" / {parts[2]}" if parts[2] else "")
    if kind == "type":
        return f"organisations of type {parts[1]}"
    if kind == "wave":
        return "organisations of the wave"
    if kind == "wave-types":
        return "organisation types of the wave"
    if kind in ("benchmark", "peers"):
        return f"{kind} pool (ref_n) of {parts[1]}"
    if kind == "pluim":
        return f"pluim targets of {parts[1]}"
    if kind == "pluim-wave":
        return f"organisations' pluimen to {parts[1] or 'any target'}"
    return fam


def _describe_row(row: str) -> str:
    if row in (RESP, "pluim"):
        return "respondents" if row == RESP else "pluim count"
    domain, item, kind = row.split("|")
    return f"{item or domain or 'overall'} ({kind})"


def _summary(groups: pd.DataFrame) -> dict:
    """Counts of hidden groups (a member of a family) and of hidden figures (a group's count in
    one row); a group is pinned when any of its figures is, narrowed when any is and none pinned."""
    kind = groups["kind"]
    per_group = groups.assign(p=kind.eq("pinned"), s=kind.eq("share_pinned"), n=kind.eq("narrowed")).groupby(
        ["file", "family", "group"], sort=False)[["p", "s", "n"]].any()
    return {"checked": len(per_group), "pinned": int(per_group["p"].sum()),
            "share_pinned": int((per_group["s"] & ~per_group["p"]).sum()),
            "narrowed": int((per_group["n"] & ~per_group["p"] & ~per_group["s"]).sum()),
            "figures": len(groups), "figures_pinned": int(kind.eq("pinned").sum()),
            "figures_share_pinned": int(kind.eq("share_pinned").sum()),
            "figures_narrowed": int(kind.eq("narrowed").sum())}


def _remainders(cells: pd.DataFrame, parents: pd.DataFrame) -> pd.DataFrame:
    """Rows of a family in which every member is shown: the parent minus all members (vectorised)."""
    n_members = cells.groupby("fam", sort=False)["member"].nunique()
    g = cells.groupby(["fam", "row"], sort=False)["n"].agg(["count", "sum"]).reset_index()
    g = g[g["count"].to_numpy() == g["fam"].map(n_members).to_numpy()]
    g = g.merge(parents[["fam", "row", "total"]], on=["fam", "row"])
    g["d"] = g["total"] - g["sum"]
    whole = (g["d"] - g["d"].round()).abs() < 1e-6  # n_eff-based totals are no counts
    return g[g["d"].notna() & whole]


def attack_tables(tables: dict[str, pd.DataFrame], *, min_n: int, pin_width: int = 2,
                  share_width: float = 0.1, file: str = "<tables>") -> AttackResult:
    """Attack a set of prepared tables (``results``, ``response``, ``organisations``,
    ``pluim_shares``; any may be missing).

    Parameters
    ----------
    tables : dict of DataFrame
        The published tables by name.
    min_n : int
        Anonymity threshold.
    pin_width : int
        A count known to ``pin_width`` or less (max - min) is pinned (settings ``attack_pin_width``).
    share_width : float
        A positive share known to this width or less is pinned (``attack_share_width``).
    file : str
        Named in the results.

    Returns
    -------
    AttackResult
    """
    t0 = time.perf_counter()
    cells, parents, caps = build(tables)
    out: list[tuple] = []
    pos_rows: list[tuple] = []
    inconsistent = families = 0

    # rows without hidden members: a remainder of 1..min_n-1 is a group nobody listed
    rem = _remainders(cells, parents)
    for r in rem[(rem["d"] > 0.5)].itertuples(index=False):
        out.append((r.fam, "(not listed)", r.row, r.d, r.d, np.inf))
    # counts hidden in their own row but recovered from a published interval or share
    cap_of_cell = caps.set_index(["fam", "member"])["cap"]
    rec = cells[cells["rec"] > 0]
    rec_cap = pd.Series(list(zip(rec["fam"], rec["member"])), dtype=object).map(
        lambda k: cap_of_cell.get(k, np.inf)).to_numpy(dtype=float) if len(rec) else []
    out += zip(rec["fam"], rec["member"], rec["row"], rec["n"], rec["n"], rec_cap)

    # integer codes for everything, so a family is a slice of numpy arrays
    fam_codes, fam_names = pd.factorize(pd.concat([cells["fam"], parents["fam"]], ignore_index=True))
    row_codes, row_names = pd.factorize(pd.concat([cells["row"], parents["row"]], ignore_index=True))
    mem_codes, mem_names = pd.factorize(cells["member"])
    nc = len(cells)
    cf, pf = fam_codes[:nc], fam_codes[nc:]
    cr, pr_ = row_codes[:nc], row_codes[nc:]
    names = np.asarray(row_names, dtype=object)
    resp_code = int(np.flatnonzero(names == RESP)[0]) if (names == RESP).any() else -1
    cn = cells["n"].to_numpy(dtype=float)
    c_plo, c_phi = cells["pos_lo"].to_numpy(dtype=float), cells["pos_hi"].to_numpy(dtype=float)
    pt = parents["total"].to_numpy(dtype=float)
    p_plo, p_phi = parents["pos_lo"].to_numpy(dtype=float), parents["pos_hi"].to_numpy(dtype=float)
    p_val, p_neff = parents["value"].to_numpy(dtype=float), parents["n_eff"].to_numpy(dtype=float)
    rounding = {"value_step": parents.attrs.get("value_step", 0.0),
                "neff_tol": parents.attrs.get("neff_tol", 1e-6)}
    cap_key = pd.MultiIndex.from_frame(caps[["fam", "member"]]) if len(caps) else None
    cap_of = dict(zip(cap_key, caps["cap"].to_numpy(dtype=float))) if cap_key is not None else {}
    c_order = np.argsort(cf, kind="stable")
    c_bounds = np.searchsorted(cf[c_order], np.arange(len(fam_names) + 1))
    p_order = np.argsort(pf, kind="stable")
    p_bounds = np.searchsorted(pf[p_order], np.arange(len(fam_names) + 1))
    for f, fam in enumerate(fam_names):
        ci = c_order[c_bounds[f]:c_bounds[f + 1]]
        pi = p_order[p_bounds[f]:p_bounds[f + 1]]
        if not len(ci) or not len(pi):
            continue
        has_r = fam.split(_SEP)[0] in HAS_RESPONDENTS
        members, m_loc = np.unique(mem_codes[ci], return_inverse=True)
        m_loc = m_loc.ravel()
        p_rows = pr_[pi]
        rows = np.unique(p_rows[p_rows != resp_code])
        k, nr = len(members), len(rows)
        n = np.full((nr, k), np.nan)
        plo, phi = np.full((nr, k), np.nan), np.full((nr, k), np.nan)
        r_loc = np.searchsorted(rows, cr[ci])
        ok = ((r_loc < nr) & (rows[np.minimum(r_loc, max(nr - 1, 0))] == cr[ci]) if nr
              else np.zeros(len(ci), bool))
        n[r_loc[ok], m_loc[ok]] = cn[ci][ok]
        plo[r_loc[ok], m_loc[ok]] = c_plo[ci][ok]
        phi[r_loc[ok], m_loc[ok]] = c_phi[ci][ok]
        r_row = np.full(k, np.nan)
        is_r = cr[ci] == resp_code
        if has_r:
            r_row[m_loc[is_r]] = cn[ci][is_r]
        if not (np.isnan(n).any() or (has_r and np.isnan(r_row).any())):
            continue
        pr_loc = np.searchsorted(rows, p_rows)
        p_ok = (pr_loc < nr) & (p_rows != resp_code)
        totals = np.full(nr, np.nan)
        par_lo, par_hi = np.full(nr, np.nan), np.full(nr, np.nan)
        totals[pr_loc[p_ok]] = pt[pi][p_ok]
        par_lo[pr_loc[p_ok]], par_hi[pr_loc[p_ok]] = p_plo[pi][p_ok], p_phi[pi][p_ok]
        par_v, par_e = np.full(nr, np.nan), np.full(nr, np.nan)
        par_v[pr_loc[p_ok]], par_e[pr_loc[p_ok]] = p_val[pi][p_ok], p_neff[pi][p_ok]
        r_total = pt[pi][p_rows == resp_code]
        r_total = float(r_total[0]) if has_r and len(r_total) else np.nan
        labels = np.asarray(mem_names, dtype=object)[members]
        cap = np.array([cap_of.get((fam, m), np.inf) for m in labels], dtype=float)
        families += 1
        b = bound_family(n, totals, r_row, cap, r_total)
        if not b.consistent:
            inconsistent += 1
            continue
        if has_r:
            for i in np.flatnonzero(np.isnan(r_row)):
                out.append((fam, labels[i], RESP, b.r_lo[i], b.r_hi[i], cap[i]))
        jj, ii = np.nonzero(~np.isnan(b.lo))
        out += zip([fam] * len(jj), labels[ii], np.asarray(row_names, dtype=object)[rows[jj]],
                   b.lo[jj, ii], b.hi[jj, ii], cap[ii])
        # positives: the parent's and every shown member's positive count known
        shown = ~np.isnan(n)
        known = (~np.isnan(plo) | ~shown).all(axis=1) & ~np.isnan(par_lo)
        q_lo = par_lo - np.where(shown, phi, 0.0).sum(axis=1)
        q_hi = par_hi - np.where(shown, plo, 0.0).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            ps_lo, ps_hi = par_lo / totals, par_hi / totals  # the parent's own share
        if fam.startswith("units" + _SEP) and not known.all():  # weighted: the "other" cell
            w_lo, w_hi = other_cell_positives(n, plo, phi, r_row, cap, r_total, b.d, par_v, par_e,
                                              min_n=min_n, **rounding)
            use_w = ~known & ~np.isnan(w_lo)
            q_lo, q_hi = np.where(use_w, w_lo, q_lo), np.where(use_w, w_hi, q_hi)
            step = rounding["value_step"]
            ps_lo, ps_hi = np.where(use_w, par_v - step, ps_lo), np.where(use_w, par_v + step, ps_hi)
            known = known | use_w
        # a parent whose own published share may be 0 or 1 already says it of every member
        known &= (ps_lo > 1e-9) & (ps_hi < 1 - 1e-9)
        sel = known[jj]
        if sel.any():
            j2, i2 = jj[sel], ii[sel]
            pos_rows += zip([fam] * len(j2), labels[i2], np.asarray(row_names, dtype=object)[rows[j2]],
                            b.d[j2], q_lo[j2], q_hi[j2], b.lo[j2, i2], b.hi[j2, i2])

    groups = pd.DataFrame(out, columns=["fam", "group", "row", "lo", "hi", "cap"])
    groups["share_lo"], groups["share_hi"] = np.nan, np.nan
    if pos_rows:
        pr = pd.DataFrame(pos_rows, columns=["fam", "group", "row", "d", "q_lo", "q_hi", "lo", "hi"])
        _, _, s_lo, s_hi = share_bounds(pr["d"], pr["q_lo"], pr["q_hi"], pr["lo"], pr["hi"])
        pr["share_lo"], pr["share_hi"] = s_lo, s_hi
        groups = groups.drop(columns=["share_lo", "share_hi"]).merge(
            pr[["fam", "group", "row", "share_lo", "share_hi"]], on=["fam", "group", "row"], how="left")
    lo, hi = groups["lo"], groups["hi"]
    # a count the headcount alone bounds (a unit of 2 employees holds 0..2) is not derived
    pinned = (hi >= 1) & (hi < min_n) & (hi - lo <= pin_width) & ((lo >= 1) | (hi < groups["cap"]))
    share = ((groups["share_hi"] - groups["share_lo"]) <= share_width) & (lo < min_n) & (hi >= 1)
    narrowed = ~pinned & (lo >= 1) & (hi <= min_n - 1)
    groups["kind"] = np.select([pinned, share & ~pinned, narrowed],
                               ["pinned", "share_pinned", "narrowed"], "")
    groups.insert(0, "file", file)
    for col, new, how in (("fam", "family", _describe_family), ("row", "quantity", _describe_row)):
        codes, uniques = pd.factorize(groups.pop(col))
        groups[new] = np.asarray([how(u) for u in uniques], dtype=object)[codes] if len(uniques) else ""
    groups = groups.drop(columns="cap")
    groups = groups[_COLUMNS]
    summary = _summary(groups)
    summary.update(families=families, inconsistent=inconsistent, seconds=time.perf_counter() - t0)
    return AttackResult(groups, summary)


def attack_prepared(folder, *, min_n: int, pin_width: int = 2, share_width: float = 0.1) -> AttackResult:
    """Attack the tables of a ``prepared/`` folder (:data:`TABLES`).

    Raises
    ------
    ValueError
        If ``folder`` is not a folder, or a table cannot be read (named).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"{folder}: not a folder of prepared tables")
    tables = {}
    for name in TABLES:
        path = folder / f"{name}.parquet"
        if path.is_file():
            try:
                tables[name] = pd.read_parquet(path)
            except Exception as exc:  # noqa: BLE001 - named as bad input
                raise ValueError(f"{path}: cannot be read: {exc}") from None
    return attack_tables(tables, min_n=min_n, pin_width=pin_width, share_width=share_width,
                         file=str(folder))


def attack_outputs(out_dir, settings) -> AttackResult:
    """Attack every prepared folder under an output folder (e.g. ``outputs/2015``).

    ``settings``: Settings (or a mapping) with ``min_n`` and optionally ``attack_pin_width`` /
    ``attack_share_width`` (else those of ``parameters/settings.yml``), or a plain ``min_n``.

    Raises
    ------
    ValueError
        If ``out_dir`` is not a folder, a table cannot be read, or ``min_n`` is invalid.
    """
    from ..audit import _settings_min_n
    from ..config import load_settings

    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise ValueError(f"{out_dir}: not an output folder")
    min_n = _settings_min_n(settings)
    defaults = load_settings()

    def param(key):
        value = settings.get(key) if isinstance(settings, dict) else getattr(settings, key, None)
        return getattr(defaults, key) if value is None else value

    pin_width, share_width = param("attack_pin_width"), param("attack_share_width")
    folders = sorted({p.parent for p in out_dir.rglob("results.parquet")})
    results = [attack_prepared(f, min_n=min_n, pin_width=pin_width, share_width=share_width)
               for f in folders]
    groups = (pd.concat([r.groups for r in results], ignore_index=True) if results
              else pd.DataFrame(columns=_COLUMNS))
    summary = _summary(groups)
    summary.update({k: sum(r.summary[k] for r in results) for k in ("families", "inconsistent", "seconds")})
    return AttackResult(groups, summary)
