"""Assembling the demo waves: population, quality, answers, planted checks, tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import Instrument
from . import catalogue as cat
from . import settle
from .model import (CATERING_DROP, DOMAIN_USAGE, ICT_GAIN, ITEM_OFFSET_SD, NVT_RANGE, OVERALL_NVT,
                    answers, build_quality, grade)
from .pluim import pluimen
from .population import background, build_cells, build_units, expand


@dataclass
class Tables:
    """One wave as built: its instrument, tables and the truth behind them."""

    instrument: Instrument
    responses: pd.DataFrame
    headcount: pd.DataFrame
    organisations: pd.DataFrame
    quality: pd.DataFrame
    benchmark_weight: pd.Series


def build_waves(seed: int, orgs: int, respondents: int, inst15: Instrument,
                inst13: Instrument) -> dict[str, Tables]:
    rng = np.random.default_rng(seed)
    org_list = cat.select_organisations(orgs)
    codes = [o.code for o in org_list]
    bg = {b.id: b.categories for b in inst15.background}
    ages = bg.get("age_group", ["alle"])
    units = build_units(rng, org_list, len(ages))
    cells = build_cells(rng, org_list, units, respondents)
    domains = inst15.domain_ids
    quality, unit_eff, bench = build_quality(rng, org_list, units, cells, domains)
    usage = np.clip(np.array([DOMAIN_USAGE.get(d, 0.6) for d in domains])[None, :]
                    + rng.normal(0, 0.08, (len(org_list), len(domains))), 0.1, 0.98)
    if "catering" in domains:  # small bodies often have no staff restaurant
        usage[np.array([o.size < 0.6 for o in org_list]), domains.index("catering")] *= 0.5
    items = inst15.items
    raw = rng.normal(0, ITEM_OFFSET_SD, len(items))
    item_dom = np.array([domains.index(i.domain) for i in items])
    raw -= (np.bincount(item_dom, raw) / np.bincount(item_dom))[item_dom]  # centred per domain
    offset = dict(zip(inst15.item_ids, raw))
    nvt = {i.id: (OVERALL_NVT if i.overall else v)
           for i, v in zip(items, rng.uniform(*NVT_RANGE, len(items)))}
    back = {i.previous_id: i.id for i in items if i.previous_id}

    out: dict[str, Tables] = {}
    summaries: dict[str, settle.Summary] = {}
    for wave, inst in (("2013", inst13), ("2015", inst15)):
        keys = [back.get(i, i) if wave == "2013" else i for i in inst.item_ids]  # 2015 ids
        doms = [domains.index(d) for d in inst.domain_ids]
        item_domain = np.array([inst.domain_ids.index(i.domain) for i in inst.items])
        item_overall = np.array([i.overall for i in inst.items])
        unit, age = expand(cells[wave])
        org = units.org[unit]

        def draw(rows: np.ndarray):
            c, eta, used, len_ = answers(
                rng, quality[wave][:, doms], unit_eff[:, doms], usage[:, doms], org[rows],
                unit[rows], age[rows], len(ages), item_domain, item_overall,
                np.array([offset[k] for k in keys]), np.array([nvt[k] for k in keys]),
                inst.nvt.code)
            return c, eta, used, len_, grade(rng, eta, inst.domain_ids)

        drawn = list(draw(np.arange(len(org))))
        w = settle.unit_weights(unit, cells[wave].headcount.sum(axis=1).astype(float))

        def own_sums(rows: np.ndarray) -> tuple[list[str], np.ndarray]:
            c = settle.columns(drawn[0][rows], drawn[4][rows], w[rows], keys, item_domain,
                               item_overall, inst.domain_ids)
            return c.keys, c.sums(np.zeros(len(rows), dtype=np.int64), 1)[0]

        cols = settle.columns(drawn[0], drawn[4], w, keys, item_domain, item_overall,
                              inst.domain_ids)
        sums = cols.sums(org, len(org_list))  # (O, 5, K), updated when an org is redrawn
        del cols
        big = np.bincount(org, minlength=len(org_list)) >= 10
        types = np.array([o.type for o in org_list])
        for check in _checks(wave, codes):
            i = check["org"]
            rows = np.flatnonzero(org == i)
            if len(rows) == 0:
                continue
            ref = big.copy()
            ref[i] = False
            col_keys = own_sums(rows)[0]
            refs = {"benchmark": settle.Summary.from_sums(col_keys, sums[ref].sum(axis=0)),
                    "peers": settle.Summary.from_sums(
                        col_keys, sums[ref & (types == types[i])].sum(axis=0))}
            if (i, "2013") in summaries:
                refs["previous"] = summaries[(i, "2013")]
            for _ in range(settle.MAX_TRIES):
                own = settle.Summary.from_sums(*own_sums(rows))
                if check["ok"](own, refs):
                    break
                for arr, new in zip(drawn, draw(rows)):
                    arr[rows] = new
            sums[i] = own_sums(rows)[1]
            summaries[(i, wave)] = own

        codes_arr, eta, used, leniency, grades = drawn
        mail = np.array([o.mail for o in org_list], dtype=object)[org]
        target, text = pluimen(rng, eta, used, leniency, inst.domain_ids,
                               [d.name["nl"] for d in inst.domains], mail)
        gender, tenure = background(rng, org_list, org, age, len(bg.get("gender", [1])),
                                    len(bg.get("tenure", [1])), len(ages))
        columns = {"org": np.array(codes, dtype=object)[org], "unit": units.name[unit]}
        for bid, values in (("age_group", age), ("gender", gender), ("tenure", tenure)):
            if bid in bg:
                columns[bid] = np.asarray(bg[bid], dtype=object)[values]
        for k, iid in enumerate(inst.item_ids):
            col = np.ascontiguousarray(codes_arr[:, k])
            columns[iid] = pd.arrays.IntegerArray(col, col == 0)
        columns[inst.grade.id] = pd.arrays.IntegerArray(grades, grades == 0)
        columns[inst.pluim.target] = pd.array(target, dtype="string")
        columns[inst.pluim.text] = pd.array(text, dtype="string")
        order = rng.permutation(len(org))  # exports are in order of response, not of unit
        resp = pd.DataFrame({k: v[order] for k, v in columns.items()})
        ids = pd.Series(np.arange(1, len(resp) + 1)).astype(str).str.zfill(6)
        resp.insert(0, "respondent_id", (f"R{wave[2:]}-" + ids).astype("string"))
        present = cells[wave].present
        out[wave] = Tables(
            instrument=inst, responses=resp,
            headcount=_headcount(codes, units, cells[wave].headcount, ages),
            organisations=pd.DataFrame(
                [(o.code, o.name, o.type) for o, p in zip(org_list, present) if p],
                columns=["org", "name", "type"]),
            quality=pd.DataFrame(quality[wave][:, doms], index=codes, columns=inst.domain_ids),
            benchmark_weight=pd.Series(bench[wave], index=codes),
        )
    return out


def _checks(wave: str, codes: list[str]) -> list[dict]:
    """The planted organisations whose rows are redrawn until their check passes."""
    idx = {c: i for i, c in enumerate(codes)}
    checks = []
    if wave == "2015" and cat.CATERING_LOW in idx:
        checks.append({"org": idx[cat.CATERING_LOW], "ok": lambda own, refs: settle.near(
            own, refs["benchmark"], "catering", -CATERING_DROP)})
    if cat.ICT_IMPROVED in idx:
        gain = 0.0 if wave == "2013" else ICT_GAIN
        checks.append({"org": idx[cat.ICT_IMPROVED], "ok": lambda own, refs: settle.near(
            own, refs.get("previous", refs["benchmark"]), "ict", gain)})
    if cat.NO_DIFFERENCE in idx:  # last: the others' rows are final by now
        checks.append({"org": idx[cat.NO_DIFFERENCE],
                       "ok": lambda own, refs: settle.quiet(own, list(refs.values()))})
    return checks


def _headcount(codes: list[str], units, heads: np.ndarray, ages) -> pd.DataFrame:
    n_units, n_age = heads.shape
    frame = pd.DataFrame({
        "org": np.repeat(np.array(codes, dtype=object)[units.org], n_age),
        "unit": np.repeat(units.name, n_age),
        "age_group": np.tile(np.asarray(ages, dtype=object), n_units),
        "headcount": heads.ravel().astype(np.int64),
    })
    return frame[frame["headcount"] > 0].reset_index(drop=True)
