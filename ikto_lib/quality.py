"""Data quality of one wave, as tables (the validation report in readable form).

Everything is vectorised over respondents. Per-respondent flags (:func:`respondent_flags`):

* ``answered``: items with any answer (a scale code or n.v.t.); ``valid``: scale codes only;
* ``almost_empty``: fewer than ``almost_empty_share`` (settings: 20%) of the items answered;
* ``straight_lining``: the same scale code for every item of the whole questionnaire (zero
  variance), over at least ``straightline_min_items`` (settings: 10) answered items. One domain
  answered alike is no sign of careless answering (a respondent content with ICT may well tick
  "satisfied" five times): on the demo that would flag three respondents in four;
* ``straight_domains``: how many domains (of at least ``STRAIGHT_MIN_ITEMS`` answered items) were
  answered alike: shown for context, not a flag;
* ``duplicate``: the respondent's whole answer vector (items and grade) occurs more than once
  within its organisation (respondents that are ``almost_empty`` are left out: empty rows are
  trivially identical).

Speeding needs the time a respondent took; the data contract has no timing columns, so it is not
computed.

Tables of groups follow methods.md "Anonymity": organisations with fewer than ``min_n``
respondents show no figures (flag ``suppressed``); units are siblings beside their organisation,
so their counts get complementary suppression (:mod:`ikto_lib.prepare.anonymity`). Respondent
ids are listed (:func:`suspicious_rows`) only when asked for explicitly, and never of a unit or
organisation with fewer than ``min_n`` respondents.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .config import Settings
from .prepare.anonymity import SUPPRESSED, suppression_mask
from .stats.compare import chisquare_gof
from .wave import Wave

STRAIGHT_MIN_ITEMS = 3  # a domain counts as answered alike from three items on (context only)
FLAGS = ("almost_empty", "straight_lining", "duplicate")

__all__ = ["respondent_flags", "response_by_org", "response_by_unit", "nonresponse_by_item",
           "nonresponse_by_domain", "quality_by_org", "suspicious_rows", "grade_distribution",
           "representativeness", "quality_tables", "flag_summary", "STRAIGHT_MIN_ITEMS", "FLAGS"]


def _raw(wave: Wave) -> np.ndarray:
    return wave.responses[wave.item_columns].to_numpy(dtype=float, na_value=np.nan)


def _valid(raw: np.ndarray, wave: Wave) -> np.ndarray:
    lo, hi = wave.instrument.scale.min, wave.instrument.scale.max
    return np.where((raw >= lo) & (raw <= hi), raw, np.nan)


def _same(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: number of valid values and whether they are all equal."""
    n = (~np.isnan(values)).sum(axis=1)
    with np.errstate(all="ignore"):
        lo = np.where(n > 0, np.nanmin(np.where(np.isnan(values), np.inf, values), axis=1), np.nan)
        hi = np.where(n > 0, np.nanmax(np.where(np.isnan(values), -np.inf, values), axis=1), np.nan)
    return n, (n > 0) & (lo == hi)


def respondent_flags(wave: Wave, settings: Settings, raw: np.ndarray | None = None) -> pd.DataFrame:
    """One row per respondent: ``respondent_id, org, unit, answered, valid, answered_share,
    almost_empty, straight_lining, straight_domains, duplicate`` (see module docstring).
    ``raw``: the item codes as floats, when the caller already has them."""
    raw = _raw(wave) if raw is None else raw
    valid = _valid(raw, wave)
    items = wave.item_columns
    answered = (~np.isnan(raw)).sum(axis=1)
    share = answered / max(len(items), 1)
    n_valid, same_all = _same(valid)
    pos = {c: i for i, c in enumerate(items)}
    straight = np.zeros(len(raw), dtype=np.int64)
    for _d, its in wave.instrument.domain_items(overall=True).items():
        idx = [pos[i] for i in its if i in pos]
        if len(idx) >= STRAIGHT_MIN_ITEMS:
            n, same = _same(valid[:, idx])
            straight += (same & (n >= STRAIGHT_MIN_ITEMS)).astype(np.int64)
    r = wave.responses
    almost = share < settings.almost_empty_share
    key = pd.DataFrame(np.nan_to_num(raw, nan=-1).astype(np.int16), columns=items)
    if wave.instrument.grade is not None:
        key["_grade"] = r[wave.instrument.grade.id].astype("Float64").to_numpy(dtype=float, na_value=-1)
    key["_org"] = r["org"].cat.codes.to_numpy() if isinstance(r["org"].dtype, pd.CategoricalDtype) \
        else pd.factorize(r["org"])[0]
    dup = np.zeros(len(raw), dtype=bool)
    dup[~almost] = key[~almost].duplicated(keep=False).to_numpy()
    return pd.DataFrame({
        "respondent_id": r["respondent_id"].astype(str).to_numpy(),
        "org": r["org"].astype(str).to_numpy(),
        "unit": r["unit"].astype(str).where(r["unit"].notna(), "").to_numpy(),
        "answered": answered,
        "valid": n_valid,
        "answered_share": share,
        "almost_empty": almost,
        "straight_lining": same_all & (n_valid >= settings.straightline_min_items),
        "straight_domains": straight,
        "duplicate": dup,
    })


def _suppress_orgs(frame: pd.DataFrame, n: pd.Series, min_n: int, cols: list[str]) -> pd.DataFrame:
    """Blank ``cols`` of rows whose organisation has fewer than ``min_n`` respondents."""
    out = frame.copy()
    mask = (n.to_numpy(dtype=float) < min_n)
    for c in cols:
        out[c] = out[c].astype(float)
        out.loc[mask, c] = np.nan
    out["flag"] = np.where(mask, SUPPRESSED, "")
    return out


def response_by_org(wave: Wave, settings: Settings) -> pd.DataFrame:
    """``org, name, type, respondents, headcount, response_rate, flag`` (all organisations)."""
    n = wave.responses["org"].astype(str).value_counts()
    hc = wave.headcount.assign(org=wave.headcount["org"].astype(str)).groupby("org")["headcount"].sum()
    o = wave.organisations.assign(org=wave.organisations["org"].astype(str),
                                  type=wave.organisations["type"].astype(str),
                                  name=wave.organisations["name"].astype(str))[["org", "name", "type"]]
    o["respondents"] = o["org"].map(n).fillna(0).astype(float)
    o["headcount"] = o["org"].map(hc).fillna(0).astype(float)
    with np.errstate(all="ignore"):
        o["response_rate"] = o["respondents"] / o["headcount"].where(o["headcount"] > 0)
    o = _suppress_orgs(o, o["respondents"], settings.min_n, ["respondents", "response_rate"])
    return o.reset_index(drop=True)


def response_by_unit(wave: Wave, settings: Settings) -> pd.DataFrame:
    """``org, unit, respondents, headcount, response_rate, flag``; respondents below ``min_n``
    suppressed with complementary suppression among the units of an organisation."""
    r = wave.responses
    obs = pd.DataFrame({"org": r["org"].astype(str), "unit": r["unit"].astype(str)}) \
        .groupby(["org", "unit"]).size().rename("respondents")
    hc = wave.headcount.assign(org=wave.headcount["org"].astype(str), unit=wave.headcount["unit"].astype(str)) \
        .groupby(["org", "unit"])["headcount"].sum()
    t = pd.concat([hc, obs], axis=1).fillna(0).reset_index()
    t.columns = ["org", "unit", "headcount", "respondents"]
    t = t[(t["headcount"] > 0) | (t["respondents"] > 0)].reset_index(drop=True)
    with np.errstate(all="ignore"):
        t["response_rate"] = t["respondents"] / t["headcount"].where(t["headcount"] > 0)
    # units with 0 respondents are shown as 0 (nobody to protect)
    mask = suppression_mask(t.assign(_n=t["respondents"].where(t["respondents"] > 0, np.inf)),
                            family=["org"], min_n=settings.min_n, n_col="_n")
    org_n = t.groupby("org")["respondents"].transform("sum")
    mask |= (org_n < settings.min_n).to_numpy()
    t["respondents"] = t["respondents"].astype(float)
    t.loc[mask, ["respondents", "response_rate"]] = np.nan
    t["flag"] = np.where(mask, SUPPRESSED, "")
    return t[["org", "unit", "respondents", "headcount", "response_rate", "flag"]]


def nonresponse_by_item(wave: Wave, raw: np.ndarray | None = None) -> pd.DataFrame:
    """Whole wave, per item: ``item, domain, shown (answered), nvt, skipped, nvt_share, skip_share``.

    ``nvt_share``: n.v.t. among the answers; ``skip_share``: empty among all respondents."""
    raw = _raw(wave) if raw is None else raw
    nvt = np.isin(raw, wave.instrument.nvt.codes).sum(axis=0)
    skipped = np.isnan(raw).sum(axis=0)
    answered = len(raw) - skipped
    dom = {i.id: i.domain for i in wave.instrument.items}
    with np.errstate(all="ignore"):
        return pd.DataFrame({
            "item": wave.item_columns,
            "domain": [dom[i] for i in wave.item_columns],
            "answered": answered,
            "nvt": nvt,
            "skipped": skipped,
            "nvt_share": np.where(answered > 0, nvt / np.maximum(answered, 1), np.nan),
            "skip_share": skipped / max(len(raw), 1),
        })


def nonresponse_by_domain(wave: Wave, raw: np.ndarray | None = None,
                          items: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per domain: summed item counts and shares, plus ``skipped_domain_share`` (respondents
    who left the whole domain empty)."""
    raw = _raw(wave) if raw is None else raw
    items = nonresponse_by_item(wave, raw) if items is None else items
    d = items.groupby("domain", sort=False)[["answered", "nvt", "skipped"]].sum().reset_index()
    pos = {c: i for i, c in enumerate(wave.item_columns)}
    whole = {dom: float(np.isnan(raw[:, [pos[i] for i in its if i in pos]]).all(axis=1).mean())
             for dom, its in wave.instrument.domain_items(overall=True).items()
             if any(i in pos for i in its)}
    d["nvt_share"] = d["nvt"] / d["answered"].where(d["answered"] > 0)
    d["skip_share"] = d["skipped"] / (d["answered"] + d["skipped"]).where(d["answered"] + d["skipped"] > 0)
    d["skipped_domain_share"] = d["domain"].map(whole)
    return d


def quality_by_org(wave: Wave, settings: Settings, flags: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per organisation: ``respondents`` and the counts and shares of ``almost_empty``,
    ``straight_lining`` and ``duplicate``; organisations below ``min_n`` suppressed."""
    f = respondent_flags(wave, settings) if flags is None else flags
    t = f.groupby("org").agg(respondents=("respondent_id", "size"),
                             **{c: (c, "sum") for c in FLAGS}).reset_index()
    for c in FLAGS:
        t[f"{c}_share"] = t[c] / t["respondents"]
    cols = ["respondents", *FLAGS, *(f"{c}_share" for c in FLAGS)]
    return _suppress_orgs(t, t["respondents"], settings.min_n, cols)


def flag_summary(flags: pd.DataFrame) -> pd.DataFrame:
    """Whole wave: respondents with each flag, and with any (``flag, respondents, share``)."""
    any_flag = flags[list(FLAGS)].any(axis=1)
    counts = [int(flags[c].sum()) for c in FLAGS] + [int(any_flag.sum())]
    return pd.DataFrame({"flag": [*FLAGS, "any"], "respondents": counts,
                         "share": np.asarray(counts, dtype=float) / max(len(flags), 1)})


def suspicious_rows(wave: Wave, settings: Settings, flags: pd.DataFrame | None = None, *,
                    show_ids: bool = False) -> pd.DataFrame:
    """The respondents with a flag, for the data manager: only with ``show_ids=True`` (else an
    empty table), and never respondents of a unit or organisation with fewer than ``min_n``
    respondents (their ids would point at a handful of colleagues)."""
    f = respondent_flags(wave, settings) if flags is None else flags
    if not show_ids:
        return f.iloc[:0].reset_index(drop=True)
    unit_n = f.groupby(["org", "unit"])["respondent_id"].transform("size")
    org_n = f.groupby("org")["respondent_id"].transform("size")
    keep = f[list(FLAGS)].any(axis=1) & (unit_n >= settings.min_n) & (org_n >= settings.min_n)
    return f[keep].reset_index(drop=True)


def grade_distribution(wave: Wave) -> pd.DataFrame:
    """Whole wave: ``grade, n, share`` for every grade on the scale, plus a row ``missing``."""
    g = wave.instrument.grade
    values = wave.responses[g.id].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    grades = np.arange(g.min, g.max + 1)
    n = np.array([(values == v).sum() for v in grades] + [np.isnan(values).sum()])
    return pd.DataFrame({"grade": [str(v) for v in grades] + ["missing"], "n": n,
                         "share": n / max(len(values), 1)})


def representativeness(wave: Wave, settings: Settings) -> pd.DataFrame:
    """Chi-square goodness of fit of respondents against headcount per organisation and
    breakdown (``unit`` and every background column the headcount has); eligible
    organisations only. Columns ``org, breakdown, chi2, dof, p, n_categories``."""
    r = wave.responses.assign(org=wave.responses["org"].astype(str))
    hc = wave.headcount.assign(org=wave.headcount["org"].astype(str))
    n = r["org"].value_counts()
    eligible = set(n[n >= settings.min_n].index)
    rows = []
    for b in ["unit"] + wave.background_columns:
        if b not in hc.columns:
            continue
        obs = r[r["org"].isin(eligible)].groupby(["org", b], observed=True).size()
        exp = hc[hc["org"].isin(eligible)].groupby(["org", b], observed=True)["headcount"].sum()
        t = pd.concat([exp.rename("e"), obs.rename("o")], axis=1).fillna(0).reset_index()
        for org, g in t.groupby("org", sort=True):
            if ((g["e"] == 0) & (g["o"] > 0)).any():
                chi2, dof, p = np.nan, np.nan, np.nan
            else:
                chi2, dof, p = chisquare_gof(g["o"].to_numpy(), g["e"].to_numpy())
            rows.append({"org": org, "breakdown": b, "chi2": chi2, "dof": dof, "p": p,
                         "n_categories": int((g["e"] > 0).sum())})
    return pd.DataFrame(rows, columns=["org", "breakdown", "chi2", "dof", "p", "n_categories"])


def quality_tables(wave: Wave, settings: Settings, *, show_ids: bool = False) -> dict[str, pd.DataFrame]:
    """Every table of this module, by name (the data-quality notebook shows them in order);
    ``suspicious_rows`` only with ``show_ids`` (see :func:`suspicious_rows`)."""
    raw = _raw(wave)  # the item codes, converted once for every table
    flags = respondent_flags(wave, settings, raw)
    by_item = nonresponse_by_item(wave, raw)
    tables = {
        "response_by_org": response_by_org(wave, settings),
        "response_by_unit": response_by_unit(wave, settings),
        "nonresponse_by_item": by_item,
        "nonresponse_by_domain": nonresponse_by_domain(wave, raw, by_item),
        "flag_summary": flag_summary(flags),
        "quality_by_org": quality_by_org(wave, settings, flags),
        **({"grade_distribution": grade_distribution(wave)} if wave.instrument.grade is not None else {}),
        "representativeness": representativeness(wave, settings),
    }
    if show_ids:
        tables["suspicious_rows"] = suspicious_rows(wave, settings, flags, show_ids=True)
    return tables
