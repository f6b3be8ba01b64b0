"""A small synthetic ``prepared/`` folder, written exactly per :mod:`ikto_lib.prepared`.

For unit tests of the report's edge cases without running a wave through ``prepare``:
``write_fake_prepared(folder)`` writes every prepared table and ``manifest.json`` for a handful
of organisations:

* ``MINBZK``  a large ministry (4 units, drivers of its own), peers available (4 ministries);
* ``MINFIN``, ``MINOCW``, ``MINVWS``  the other ministries;
* ``PRVUT``  a province: the only one, so its peer group is too small;
* ``ZBOKLN``  a small body (24 respondents): some domains and many items suppressed, the
  wave's drivers used;
* ``WSHDN``  a water board with a unit of 3 respondents (suppressed) and, by complementary
  suppression, its next-smallest unit of 12 hidden too;
* ``GEMXS``  a municipality with 6 respondents: not eligible (no report).

Options: ``previous=False`` (no previous wave: no previous rows, ``previous_wave`` null),
``flagged=False`` (every tested comparison "no difference": nothing flagged). Deterministic.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from ikto_lib import __version__
from ikto_lib.config import load_instrument, load_settings
from ikto_lib.prepare import extras
from ikto_lib.prepared import RESULTS_COLUMNS, write_manifest, write_table

# org, name, type, headcount, units {name: (respondents, headcount)}
FAKE_ORGS = (
    ("MINBZK", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", "ministerie",
     {"Bestuursondersteuning": (260, 600), "Beleid": (540, 1300), "Uitvoering": (620, 1700), "Toezicht": (180, 400)}),
    ("MINFIN", "Ministerie van Financiën", "ministerie", {"Beleid": (400, 900), "Belastingen": (500, 1500)}),
    ("MINOCW", "Ministerie van Onderwijs, Cultuur en Wetenschap", "ministerie", {"Beleid": (350, 800), "Uitvoering": (300, 900)}),
    ("MINVWS", "Ministerie van Volksgezondheid, Welzijn en Sport", "ministerie", {"Beleid": (450, 1100), "Inspectie": (200, 600)}),
    ("PRVUT", "Provincie Utrecht", "provincie", {"Bestuur": (90, 200), "Fysiek domein": (160, 420), "Bedrijfsvoering": (70, 150)}),
    ("ZBOKLN", "Stichting Kleine Uitvoerder", "zbo", {"Uitvoering": (24, 35)}),
    ("WSHDN", "Hoogheemraadschap De Stichtse Rijnlanden", "waterschap",
     {"Beheer": (80, 160), "Projecten": (55, 120), "Staf": (12, 30), "Laboratorium": (3, 9)}),
    ("GEMXS", "Gemeente Klein", "gemeente", {"Algemeen": (6, 40)}),
)
DOMAIN_USE = {"ict": 0.95, "facilitair": 0.8, "catering": 0.3, "hr": 0.55, "personeelsadministratie": 0.6,
              "financien": 0.35, "beveiliging": 0.45, "informatie": 0.5, "communicatie": 0.7, "servicedesk": 0.85}
PLUIM_SAMPLE = ("Altijd snel geholpen, top!", "Dank voor de hulp bij de verhuizing.",
                "Mail gerust naar [e-mail], zij regelt alles.", "Heel vriendelijk en behulpzaam.",
                "Bel [telefoon] als je hulp nodig hebt, super service.")


def _z_p(diff, p1, n1, p2, n2):
    p = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = math.sqrt(max(p * (1 - p), 1e-9) * (1 / n1 + 1 / n2))
    z = diff / se
    return math.erfc(abs(z) / math.sqrt(2))


def _wilson(p, n, z=1.96):
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return c - h, c + h


def _row(**kw):
    r = dict.fromkeys(RESULTS_COLUMNS, np.nan)
    r.update({k: "" for k in ("org", "unit", "breakdown", "category", "domain", "item", "measure", "comparison", "flag")})
    r.update(kw)
    return r


def write_fake_prepared(folder, *, previous: bool = True, flagged: bool = True, seed: int = 7,
                        min_n: int = 10) -> Path:
    """Write a complete fake prepared folder and return its path (see module docstring)."""
    rng = np.random.default_rng(seed)
    folder = Path(folder)
    settings = load_settings(min_n=min_n)
    inst = load_instrument()
    eligible = [o for o, _, _, units in FAKE_ORGS if sum(r for r, _ in units.values()) >= min_n]
    types = {o: t for o, _, t, _ in FAKE_ORGS}
    n_type = pd.Series([types[o] for o in eligible]).value_counts()
    peers_ok = {o: n_type[types[o]] - 1 >= settings.peer_min_orgs for o in eligible}
    base = {d: rng.uniform(0.45, 0.8) for d in inst.domain_ids}
    org_eff = {o: rng.normal(0, 0.06) for o in eligible}
    org_eff["MINBZK"] = 0.04
    rows: list[dict] = []

    def tested(n, ref_n, value, ref, kind="top2"):
        if n < min_n or ref_n < min_n:
            return np.nan, np.nan, "not tested"
        diff = value - ref
        if kind == "top2":
            p = _z_p(diff, value, n, ref, ref_n)
            big = abs(diff) >= settings.min_diff_top2
        else:
            p = math.erfc(abs(diff) / 0.9 / math.sqrt(1 / n + 1 / ref_n) / math.sqrt(2))
            big = abs(diff) / 0.9 >= settings.min_hedges_g
        p_adj = min(1.0, p * 3)
        if flagged and p_adj < settings.alpha and big:
            return p, p_adj, "higher" if diff > 0 else "lower"
        return p, p_adj, "no difference"

    def figure(org, unit, domain, item, measure, n, value, sd=None, comps=True):
        lo, hi = (_wilson(value, n) if measure in ("top2", "grade_pass")
                  else (value - 1.96 * sd / math.sqrt(n), value + 1.96 * sd / math.sqrt(n)))
        if n < min_n:
            rows.append(_row(org=org, unit=unit, domain=domain, item=item, measure=measure, flag="suppressed"))
            if comps and unit == "":
                for c in ("benchmark", "peers") + (("previous",) if previous else ()):
                    rows.append(_row(org=org, domain=domain, item=item, measure=measure, comparison=c,
                                     flag="suppressed"))
            return
        rows.append(_row(org=org, unit=unit, domain=domain, item=item, measure=measure, n=float(n),
                         n_eff=n * 0.9, value=value, ci_low=lo, ci_high=hi))
        if not comps or unit != "":
            return
        scale = 1.0 if measure in ("top2", "grade_pass") else (sd or 1.0)
        refs = {"benchmark": (value - org_eff[org] * scale + rng.normal(0, 0.01) * scale, 5000.0)}
        refs["peers"] = ((value - org_eff[org] * scale * 0.5, 1500.0) if peers_ok[org] else (np.nan, np.nan))
        if previous:
            refs["previous"] = (value - rng.normal(0.02, 0.05) * scale, n * 0.9)
        for c, (ref, ref_n) in refs.items():
            if np.isnan(ref):
                rows.append(_row(org=org, domain=domain, item=item, measure=measure, comparison=c, n=float(n),
                                 value=value, flag="not tested"))
                continue
            kind = "top2" if measure in ("top2", "grade_pass") else "mean"
            p, p_adj, fl = tested(n, ref_n, value, ref, kind)
            rows.append(_row(org=org, domain=domain, item=item, measure=measure, comparison=c, n=float(n),
                             n_eff=n * 0.9, value=value, ci_low=lo, ci_high=hi, ref_value=ref, ref_n=ref_n,
                             diff=value - ref, p=p, p_adj=p_adj, effect_size=(value - ref) * 2, flag=fl))

    org_rows, response, repr_rows = [], [], []
    for org, name, typ, units in FAKE_ORGS:
        resp = sum(r for r, _ in units.values())
        hc = sum(h for _, h in units.values())
        ok = org in eligible
        org_rows.append({"org": org, "name": name, "type": typ, "eligible": ok,
                         "respondents": float(resp) if ok else np.nan, "headcount": hc,
                         "response_rate": resp / hc if ok else np.nan,
                         "margin_of_error": 1.96 * math.sqrt(0.25 / resp) * math.sqrt((hc - resp) / (hc - 1)) if ok else np.nan,
                         "weighted": True, "peers_available": bool(ok and peers_ok[org]),
                         "previous_available": bool(ok and previous), "n_units": len(units)})
        if not ok:
            continue
        eff = org_eff[org]
        rows.append(_row(org=org, measure="respondents", n=float(resp), n_eff=float(resp), value=float(resp)))
        figure(org, "", "", "", "grade_mean", resp - 5, 7.0 + eff * 8, sd=1.2)
        figure(org, "", "", "", "grade_pass", resp - 5, min(0.97, 0.86 + eff))
        figure(org, "", "", "", "top2", resp, float(np.mean(list(base.values()))) + eff)
        figure(org, "", "", "", "mean", resp, 3.6 + eff * 3, sd=0.7)
        for d in inst.domain_ids:
            n_d = int(resp * DOMAIN_USE[d])
            v = float(np.clip(base[d] + eff + rng.normal(0, 0.05), 0.05, 0.95))
            figure(org, "", d, "", "top2", n_d, v)
            figure(org, "", d, "", "mean", n_d, 2.2 + 2.2 * v, sd=0.8)
            for item in inst.domain_items(overall=True)[d]:
                n_i = int(n_d * rng.uniform(0.7, 0.95))
                vi = float(np.clip(v + rng.normal(0, 0.05), 0.02, 0.98))
                figure(org, "", d, item, "top2", n_i, vi)
                figure(org, "", d, item, "mean", n_i, 2.2 + 2.2 * vi, sd=0.8)
                for m, val in (("nvt_share", rng.uniform(0.02, 0.2)), ("skip_share", 1 - DOMAIN_USE[d])):
                    rows.append(_row(org=org, domain=d, item=item, measure=m, n=float(resp), value=float(val)))
        # units: respondents and domain top-2, with primary + complementary suppression
        sizes = {u: r for u, (r, _) in units.items()}
        hidden = {u for u, r in sizes.items() if r < min_n}
        ordered = sorted(sizes, key=sizes.get)
        while hidden and (len(hidden) == 1 or sum(sizes[u] for u in hidden) < min_n) and len(hidden) < len(sizes):
            hidden.add(next(u for u in ordered if u not in hidden))
        for u, r in sizes.items():
            if u in hidden:
                rows.append(_row(org=org, unit=u, measure="respondents", flag="suppressed"))
            else:
                rows.append(_row(org=org, unit=u, measure="respondents", n=float(r), n_eff=float(r), value=float(r)))
            for d in inst.domain_ids:
                n_ud = int(r * DOMAIN_USE[d])
                if u in hidden or n_ud < min_n:
                    rows.append(_row(org=org, unit=u, domain=d, measure="top2", flag="suppressed"))
                else:
                    v = float(np.clip(base[d] + eff + rng.normal(0, 0.08), 0.05, 0.95))
                    figure(org, u, d, "", "top2", n_ud, v, comps=False)
            hc_u = units[u][1]
            response.append({"org": org, "breakdown": "unit", "category": u,
                             "respondents": np.nan if u in hidden else float(r), "headcount": float(hc_u),
                             "response_rate": np.nan if u in hidden else r / hc_u,
                             "low_response": pd.NA if u in hidden else (r / hc_u) < 0.5 * resp / hc,
                             "flag": "suppressed" if u in hidden else ""})
        repr_rows.append({"org": org, "breakdown": "unit", "chi2": float(rng.uniform(0.5, 20)), "dof": float(len(units) - 1),
                          "p": float(rng.uniform(0.001, 0.9)), "n_categories": len(units)})

    results = pd.DataFrame(rows, columns=RESULTS_COLUMNS)
    # wave-level domain figures (org "")
    for d in inst.domain_ids:
        results.loc[len(results)] = _row(domain=d, measure="top2", n=3000.0, value=base[d], ci_low=base[d] - 0.02,
                                         ci_high=base[d] + 0.02)

    organisations = pd.DataFrame(org_rows)
    comp = results[(results.comparison == "benchmark") & (results.measure == "top2") & (results.item == "")
                   & (results.domain != "")]
    dom = results[(results.comparison == "") & (results.measure == "top2") & (results.item == "")
                  & (results.domain != "") & (results.org != "") & (results.unit == "") & results.value.notna()]
    rank = dom[["org", "domain", "value"]].copy()
    rank["type"] = rank.org.map(types)
    rank["rank"] = rank.groupby("domain")["value"].rank(ascending=False, method="min").astype(int)
    rank["n_orgs"] = rank.groupby("domain")["value"].transform("size").astype(int)
    rank["quartile"] = np.ceil(4 * rank["rank"] / rank["n_orgs"]).astype(int)
    rank["peer_rank"] = rank.groupby(["domain", "type"])["value"].rank(ascending=False, method="min").astype(int)
    rank["peer_n_orgs"] = rank.groupby(["domain", "type"])["value"].transform("size").astype(int)
    ranking = rank[["org", "type", "domain", "value", "rank", "n_orgs", "quartile", "peer_rank", "peer_n_orgs"]]
    best = comp[comp.flag == "higher"][["domain", "org", "value", "ref_value", "diff", "p_adj"]].copy()
    best["position"] = best.groupby("domain").cumcount() + 1

    drivers, reliability, prios = [], [], []
    wave_share = rng.dirichlet(np.ones(len(inst.domain_ids)) * 3)
    for org in [""] + eligible:
        own = org != "" and org != "ZBOKLN"
        share = rng.dirichlet(np.ones(len(inst.domain_ids)) * 3) if own else wave_share
        for d, s in zip(inst.domain_ids, share):
            drivers.append({"org": org, "domain": d, "r": 0.3 + s, "raw_weight": s * 0.5, "share": float(s),
                            "share_low": float(s) * 0.7, "share_high": float(s) * 1.3,
                            "r2": 0.5, "n": 900.0, "source": "org" if own else "wave"})
            if org == "" or org != "ZBOKLN":
                a = float(rng.uniform(0.62, 0.92))
                reliability.append({"org": org, "domain": d, "n_items": 3, "n": 200.0, "alpha": a,
                                    "ci_low": a - 0.03, "ci_high": a + 0.03, "low": a < settings.min_reliability})

    shares, texts, words = [], [], []
    for org in [""] + eligible:
        resp = 3000 if org == "" else organisations.set_index("org").loc[org, "respondents"]
        total = 0.0
        for target in inst.domain_ids + ["named"]:
            s = float(rng.uniform(0.01, 0.08))
            total += s
            n = round(s * resp)
            ref = float(rng.uniform(0.01, 0.08)) if org else np.nan
            flag = "" if not org else ("not tested" if n < min_n else ("higher" if flagged and s - ref > 0.04 else "no difference"))
            shares.append({"org": org, "target": target, "n": float(n), "share": s, "ref_share": ref, "flag": flag})
        shares.append({"org": org, "target": "", "n": float(round(total * resp)), "share": total,
                       "ref_share": 0.3 if org else np.nan, "flag": "no difference" if org else ""})
        if org:
            for i, txt in enumerate(PLUIM_SAMPLE):
                texts.append({"org": org, "target": inst.domain_ids[i], "text": txt})
        for w, c in (("service", 40), ("snel", 31), ("vriendelijk", 25), ("hulp", 22), ("dank", 12)):
            words.append({"org": org, "word": w, "count": c})

    tables = {
        "results": results,
        "organisations": organisations,
        "response": pd.DataFrame(response),
        "representativeness": pd.DataFrame(repr_rows),
        "ranking": ranking.reset_index(drop=True),
        "best_practices": best.reset_index(drop=True),
        "reliability": pd.DataFrame(reliability),
        "drivers": pd.DataFrame(drivers),
        "priorities": extras.priorities(results[results.comparison != ""], pd.DataFrame(drivers)),
        "pluim_shares": pd.DataFrame(shares),
        "pluim_texts": pd.DataFrame(texts),
        "pluim_words": pd.DataFrame(words),
    }
    for name, frame in tables.items():
        write_table(folder, name, frame)
    write_manifest(folder, {
        "wave": "2015",
        "previous_wave": "2013" if previous else None,
        "settings": settings.model_dump(),
        "instrument": inst.model_dump(),
        "fingerprint": "f" * 16 + "0123456789abcdef" * 3,
        "ikto_version": __version__,
        "created": datetime(2015, 6, 1, 12, 0, tzinfo=timezone.utc).isoformat(),
    })
    return folder
