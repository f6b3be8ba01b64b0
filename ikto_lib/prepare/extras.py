"""Tables beside the figures: response and representativeness, ranking, best practices,
reliability, drivers and the priority matrix (methods.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import Settings
from ..stats.compare import chisquare_gof
from ..stats.drivers import bootstrap_shares, driver_analysis
from ..stats.reliability import alpha_by_group
from .anonymity import SUPPRESSED, family_pattern, hidden_rows

QUADRANTS = {(True, True): "behouden", (True, False): "verbeteren",
             (False, True): "bewaken", (False, False): "lage prioriteit"}


def response_tables(responses: pd.DataFrame, headcount: pd.DataFrame, eligible: list[str],
                    breakdowns: list[str], settings: Settings,
                    patterns: dict[str, pd.Series] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Response per organisation x breakdown x category, and the chi-square per breakdown.

    A category's respondents (and response rate) are suppressed when its family's pattern hides
    it (``patterns`` of :func:`ikto_lib.prepare.sibling_patterns`: the same units and categories
    as in every figure of the results) or when it has fewer than ``min_n`` respondents (a
    category of the headcount nobody answered from is listed with a dash like the others).
    Without ``patterns`` the pattern is made from the respondent counts alone.
    Representativeness tests the categories as shown: suppressed ones together as one group.
    """
    resp = responses[responses["org"].isin(eligible)]
    org_rate = (resp.groupby("org", observed=True).size()
                / headcount.groupby("org", observed=True)["headcount"].sum()).rename("org_rate")
    rows, tests = [], []
    for b in breakdowns:
        if b not in headcount.columns or b not in resp.columns:
            continue
        obs = resp.groupby(["org", b], observed=True).size().rename("respondents")
        hc = headcount[headcount["org"].isin(eligible)].groupby(["org", b], observed=True)["headcount"].sum()
        t = pd.concat([hc, obs], axis=1).fillna({"respondents": 0}).reset_index()
        t.columns = ["org", "category", "headcount", "respondents"]
        t = t[(t["headcount"].fillna(0) > 0) | (t["respondents"] > 0)]
        t["breakdown"] = b
        rows.append(t)
    if not rows:
        return (pd.DataFrame(columns=["org", "breakdown", "category", "respondents", "headcount",
                                      "response_rate", "low_response", "flag"]),
                pd.DataFrame(columns=["org", "breakdown", "chi2", "dof", "p", "n_categories"]))
    t = pd.concat(rows, ignore_index=True)
    t["org"] = t["org"].astype(str)
    t["category"] = t["category"].astype(str)
    t["response_rate"] = t["respondents"] / t["headcount"]
    t["low_response"] = t["response_rate"] < 0.5 * t["org"].map(org_rate)
    if patterns is None:
        pattern = family_pattern(t, family=["org", "breakdown"], member="category", row=[],
                                 min_n=settings.min_n, n_col="respondents")
        mask = hidden_rows(t, pattern, n_col="respondents", min_n=settings.min_n)
    else:
        is_unit = (t["breakdown"] == "unit").to_numpy()
        mask = np.zeros(len(t), dtype=bool)
        mask[is_unit] = hidden_rows(t[is_unit].rename(columns={"category": "unit"}), patterns["unit"],
                                    n_col="respondents", min_n=settings.min_n)
        mask[~is_unit] = hidden_rows(t[~is_unit], patterns["category"], n_col="respondents",
                                     min_n=settings.min_n)
    t["respondents"] = t["respondents"].astype(float)
    counts = t["respondents"].to_numpy(copy=True)
    t.loc[mask, ["respondents", "response_rate"]] = np.nan
    t["low_response"] = t["low_response"].astype("boolean")
    t.loc[mask, "low_response"] = pd.NA
    t["flag"] = np.where(mask, SUPPRESSED, "")
    # the test sees what the table shows: hidden categories count as one group (their total follows
    # from the shown ones anyway); with each of them apart, the statistic would give their counts away
    shown = t.assign(category=t["category"].where(~mask, "\x00hidden"), respondents=counts)
    merged = shown.groupby(["org", "breakdown", "category"], sort=True, observed=True)[
        ["respondents", "headcount"]].sum(min_count=1).reset_index()
    for (org, b), g in merged.groupby(["org", "breakdown"], sort=False):
        hc = g["headcount"].fillna(0).to_numpy()
        chi2, dof, p = chisquare_gof(g["respondents"].to_numpy(), hc) if (hc > 0).all() else (np.nan, np.nan, np.nan)
        tests.append({"org": org, "breakdown": b, "chi2": chi2, "dof": dof, "p": p, "n_categories": len(g)})
    cols = ["org", "breakdown", "category", "respondents", "headcount", "response_rate", "low_response", "flag"]
    return t[cols], pd.DataFrame(tests)


def ranking(org_rows: pd.DataFrame, org_types: pd.Series) -> pd.DataFrame:
    """Rank of each organisation per domain on its (shown) domain top-2; 1 = highest.

    Quartile 1 is the best quarter: ``ceil(4 * rank / n_orgs)``.
    """
    d = org_rows[(org_rows["measure"] == "top2") & (org_rows["item"] == "") & (org_rows["domain"] != "")
                 & org_rows["value"].notna()][["org", "domain", "value"]].copy()
    d["type"] = d["org"].map(org_types).astype(str)
    d["rank"] = d.groupby("domain")["value"].rank(ascending=False, method="min").astype(int)
    d["n_orgs"] = d.groupby("domain")["value"].transform("size").astype(int)
    d["quartile"] = np.ceil(4 * d["rank"] / d["n_orgs"]).astype(int)
    d["peer_rank"] = d.groupby(["domain", "type"])["value"].rank(ascending=False, method="min").astype(int)
    d["peer_n_orgs"] = d.groupby(["domain", "type"])["value"].transform("size").astype(int)
    return d[["org", "type", "domain", "value", "rank", "n_orgs", "quartile", "peer_rank",
              "peer_n_orgs"]].sort_values(["domain", "rank", "org"]).reset_index(drop=True)


def best_practices(comparison_rows: pd.DataFrame) -> pd.DataFrame:
    """Per domain the organisations whose domain top-2 is flagged higher than their benchmark."""
    b = comparison_rows[(comparison_rows["comparison"] == "benchmark") & (comparison_rows["measure"] == "top2")
                        & (comparison_rows["item"] == "") & (comparison_rows["domain"] != "")
                        & (comparison_rows["flag"] == "higher")]
    b = b[["domain", "org", "value", "ref_value", "diff", "p_adj"]].sort_values(["domain", "value"],
                                                                               ascending=[True, False])
    b["position"] = b.groupby("domain").cumcount() + 1
    return b.reset_index(drop=True)


def reliability(values: pd.DataFrame, org: pd.Series, domain_items: dict[str, list[str]],
                settings: Settings) -> pd.DataFrame:
    """Cronbach's alpha per domain for the wave (org ``""``, every domain, NaN where n is too
    small) and per organisation where n allows; both with the same (vectorised) computation."""
    kw = dict(confidence=settings.confidence, min_n=settings.reliability_min_n)
    wave = alpha_by_group(values, pd.Series("", index=values.index), domain_items, **kw)
    wave = wave.drop(columns="group").set_index("domain").reindex(list(domain_items)).rename_axis("domain")
    wave["n_items"] = [len(domain_items[d]) for d in wave.index]
    per_org = alpha_by_group(values, org, domain_items, **kw).rename(columns={"group": "org"})
    parts = [wave.reset_index().assign(org=""), per_org.assign(org=per_org["org"].astype(str))]
    out = pd.concat(parts, ignore_index=True)
    out = out[out["alpha"].notna() | (out["org"] == "")]
    out["low"] = out["alpha"] < settings.min_reliability
    return out[["org", "domain", "n_items", "n", "alpha", "ci_low", "ci_high", "low"]].reset_index(drop=True)


DRIVER_COLUMNS = ["org", "domain", "r", "raw_weight", "share", "share_low", "share_high", "r2", "n", "source"]


def drivers(scores: pd.DataFrame, grade: pd.Series, org: pd.Series, settings: Settings) -> pd.DataFrame:
    """Relative weights of the domain scores for the outcome (``grade``: the grade, or the
    instrument's overall item): the wave's (org ``""``) and per
    organisation with at least ``driver_min_n`` graded respondents and a valid solution;
    otherwise the organisation uses the wave's (``source = "wave"``). Each share has a seeded
    percentile bootstrap interval (``share_low``, ``share_high``; ``importance_bootstrap``
    resamples of the respondents the weights came from)."""
    boot = dict(min_n=settings.driver_min_n, n_boot=settings.importance_bootstrap, seed=settings.seed,
                confidence=settings.confidence)

    def run(idx):
        res = driver_analysis(scores.loc[idx], grade.loc[idx], min_n=settings.driver_min_n)
        return res.rename_axis("domain").reset_index().assign(r2=res.attrs.get("r2", np.nan))

    def interval(res, idx):
        ci = bootstrap_shares(scores.loc[idx], grade.loc[idx], **boot)
        return res.assign(share_low=ci["share_low"].to_numpy(), share_high=ci["share_high"].to_numpy())

    wave = run(scores.index).assign(org="", source="wave", share_low=np.nan, share_high=np.nan)
    parts = []
    graded = grade.notna()
    for o, idx in org.groupby(org, observed=True).groups.items():  # per organisation, not respondent
        res = None
        if graded.loc[idx].sum() >= settings.driver_min_n:
            res = run(idx)
            if res["raw_weight"].isna().any():
                res = None
        parts.append(interval(res, idx).assign(org=str(o), source="org") if res is not None
                     else wave.assign(org=str(o), source="wave"))
    if any((p["source"] == "wave").any() for p in parts) or not parts:  # the wave's interval when it is used
        wave = interval(wave, scores.index)
        parts = [wave.assign(org=p["org"].iloc[0]) if (p["source"] == "wave").all() else p for p in parts]
    out = pd.concat([wave] + parts, ignore_index=True)
    return out[DRIVER_COLUMNS]


def priorities(comparison_rows: pd.DataFrame, driver_rows: pd.DataFrame) -> pd.DataFrame:
    """Priorities that follow the tests (methods: "Priorities").

    Per organisation and domain: ``performance`` = domain top-2 minus benchmark, ``flag`` its
    benchmark flag, ``previous_flag`` the flag of the change since the previous wave,
    ``importance`` = share of R^2 with its bootstrap interval, ``median_importance`` the median
    over the organisation's domains. ``quadrant``:

    - ``verbeteren`` (priority): flagged lower (benchmark or previous wave) and its importance
      not clearly below the median (the interval's upper bound reaches the median);
    - ``aandacht``: flagged lower but clearly less important (still named in the summary);
    - ``behouden`` (strength): flagged higher (and lower nowhere) and importance at least the median;
    - ``bewaken``: flagged higher, less important;
    - ``geen verschil``: not flagged; never a strength or a priority.
    """
    dom = ((comparison_rows["measure"] == "top2") & (comparison_rows["item"] == "")
           & (comparison_rows["domain"] != "") & (comparison_rows.get("unit", "") == "")
           & (comparison_rows.get("breakdown", "") == ""))
    perf = comparison_rows[dom & (comparison_rows["comparison"] == "benchmark")]
    perf = perf[["org", "domain", "diff", "flag"]].rename(columns={"diff": "performance"})
    prev = comparison_rows[dom & (comparison_rows["comparison"] == "previous")]
    prev = prev[["org", "domain", "flag"]].rename(columns={"flag": "previous_flag"})
    imp = driver_rows[driver_rows["org"] != ""][["org", "domain", "share", "share_low", "share_high"]].rename(
        columns={"share": "importance", "share_low": "importance_low", "share_high": "importance_high"})
    p = perf.merge(imp, on=["org", "domain"], how="inner").dropna(subset=["performance", "importance"])
    p = p.merge(prev.drop_duplicates(["org", "domain"]), on=["org", "domain"], how="left")
    p["previous_flag"] = p["previous_flag"].fillna("")
    p["median_importance"] = p.groupby("org")["importance"].transform("median")
    lower = ((p["flag"] == "lower") | (p["previous_flag"] == "lower")).to_numpy()
    higher = ((p["flag"] == "higher") | (p["previous_flag"] == "higher")).to_numpy() & ~lower
    clearly_below = (p["importance_high"].fillna(p["importance"]) < p["median_importance"]).to_numpy()
    important = (p["importance"] >= p["median_importance"]).to_numpy()
    p["quadrant"] = np.select([lower & ~clearly_below, lower, higher & important, higher],
                              ["verbeteren", "aandacht", "behouden", "bewaken"], default="geen verschil")
    return p[["org", "domain", "performance", "importance", "importance_low", "importance_high",
              "median_importance", "quadrant", "flag", "previous_flag"]].reset_index(drop=True)
