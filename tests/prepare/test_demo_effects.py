"""The prepared results of the demo waves find the planted effects (ikto_lib.demo.PLANTED)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ikto_lib.demo import PLANTED
from ikto_lib.prepare import compute
from ikto_lib.prepared import TABLES, Prepared


@pytest.fixture(scope="module")
def prepared(demo_prepared):
    return Prepared(demo_prepared)


def _domain_row(results, org, domain, comparison):
    r = results[(results["org"] == org) & (results["domain"] == domain) & (results["item"] == "")
                & (results["measure"] == "top2") & (results["comparison"] == comparison)]
    assert len(r) == 1
    return r.iloc[0]


def test_planted_low_catering_is_flagged_lower(prepared):
    p = PLANTED["catering_low"]
    row = _domain_row(prepared.results, p["org"], p["domain"], "benchmark")
    assert row["flag"] == "lower"
    assert row["diff"] < -0.15


def test_planted_ict_improvement_is_flagged_higher_vs_previous(prepared):
    p = PLANTED["ict_improved"]
    row = _domain_row(prepared.results, p["org"], p["domain"], "previous")
    assert row["flag"] == "higher"
    assert row["diff"] > 0.10


def test_no_effect_organisation_has_no_flags(prepared):
    org = PLANTED["no_difference"]["org"]
    flags = prepared.results.loc[(prepared.results["org"] == org) & (prepared.results["comparison"] != ""), "flag"]
    assert len(flags) > 100  # it was compared, on every item and domain
    assert not flags.isin(["higher", "lower"]).any()


def test_small_organisations_have_no_figures(prepared):
    tiny = PLANTED["tiny_orgs"]["orgs"]
    res = prepared.results
    assert not res["org"].isin(tiny).any()
    orgs = prepared.organisations.set_index("org")
    assert not orgs.loc[tiny, "eligible"].any()
    assert orgs.loc[tiny, "respondents"].isna().all()
    for name in ("ranking", "drivers", "priorities", "pluim_shares", "pluim_texts", "response"):
        assert not prepared.table(name)["org"].isin(tiny).any(), name


def test_small_unit_is_suppressed_with_a_complement(prepared, demo_waves):
    p = PLANTED["small_unit"]
    res = prepared.results
    units = res[(res["org"] == p["org"]) & (res["unit"] != "") & (res["measure"] == "respondents")]
    small = units[units["unit"] == p["unit"]]
    assert small["flag"].iloc[0] == "suppressed" and small["value"].isna().all()
    # at least one other unit is suppressed beside it, and together they hold >= min_n (raw counts)
    hidden = units.loc[units["flag"] == "suppressed", "unit"]
    r = demo_waves[0].responses
    raw = r.loc[r["org"].astype(str) == p["org"], "unit"].astype(str).value_counts()
    assert len(hidden) >= 2 and raw[hidden].sum() >= 10 and raw[p["unit"]] < 10


def test_weighting_changes_a_group_figure(demo_waves, settings):
    wave, previous = demo_waves
    on = compute(wave, None, settings.replace(weighting=True))
    off = compute(wave, None, settings.replace(weighting=False))["results"]

    def wave_ict(res):
        r = res[(res["org"] == "") & (res["breakdown"] == "") & (res["domain"] == "ict") & (res["item"] == "")
                & (res["measure"] == "top2")]
        return r["value"].iloc[0], r["n_eff"].iloc[0], r["n"].iloc[0]

    (v_on, neff_on, n_on), (v_off, neff_off, n_off) = wave_ict(on["results"]), wave_ict(off)
    assert n_on == n_off  # the same respondents
    assert abs(v_on - v_off) > 0.005  # response differs by unit and age, so weights move the figure
    assert neff_on < neff_off == n_off  # weighting costs effective sample size
    assert on["organisations"]["weighted"].all()


def test_every_table_and_manifest_written(demo_prepared):
    for name in TABLES:
        frame = pd.read_parquet(demo_prepared / f"{name}.parquet")
        assert len(frame) > 0, name
    manifest = json.loads((demo_prepared / "manifest.json").read_text())
    assert manifest["wave"] == "2015" and manifest["previous_wave"] == "2013"
    assert manifest["settings"]["min_n"] == 10
    assert sorted(manifest["tables"]) == sorted(TABLES)


def test_no_respondent_level_data_in_prepared(demo_prepared, demo_waves):
    ids = set(demo_waves[0].responses["respondent_id"].astype(str))
    for name in TABLES:
        frame = pd.read_parquet(demo_prepared / f"{name}.parquet")
        assert "respondent_id" not in frame.columns
        for col in frame.select_dtypes(include=["object", "string"]).columns:
            assert not frame[col].astype(str).isin(ids).any(), (name, col)


def test_ranking_and_priorities(prepared):
    rk = prepared.ranking
    one = rk[rk["domain"] == "catering"]
    assert one["rank"].min() == 1 and one["rank"].max() <= one["n_orgs"].iloc[0]
    assert set(one["quartile"]) <= {1, 2, 3, 4}
    low = PLANTED["catering_low"]["org"]
    assert one.loc[one["org"] == low, "quartile"].iloc[0] == 4
    pr = prepared.priorities
    assert set(pr["quadrant"]) <= {"verbeteren", "aandacht", "behouden", "bewaken", "geen verschil"}
    cat = pr[(pr["org"] == low) & (pr["domain"] == "catering")]
    assert cat["quadrant"].iloc[0] in ("verbeteren", "aandacht")
    # the rule: flags decide, importance only separates priority from attention
    lower = (pr["flag"] == "lower") | (pr["previous_flag"] == "lower")
    higher = ((pr["flag"] == "higher") | (pr["previous_flag"] == "higher")) & ~lower
    assert pr.loc[lower, "quadrant"].isin(["verbeteren", "aandacht"]).all()
    assert pr.loc[higher, "quadrant"].isin(["behouden", "bewaken"]).all()
    assert (pr.loc[~lower & ~higher, "quadrant"] == "geen verschil").all()
    assert (pr["importance_low"] <= pr["importance_high"]).all()
    best = prepared.best_practices
    # best practices: significantly (Holm) and relevantly (>= 5 points) above the benchmark
    assert len(best) and (best["diff"] >= 0.05 - 1e-12).all() and (best["p_adj"] < 0.05).all()
    assert (best.groupby("domain")["value"].apply(lambda v: v.is_monotonic_decreasing)).all()
    assert not ((best["org"] == low) & (best["domain"] == "catering")).any()


def test_drivers_sum_to_r2_and_reliability_realistic(prepared):
    d = prepared.drivers
    wave = d[d["org"] == ""]
    assert wave["raw_weight"].sum() == pytest.approx(wave["r2"].iloc[0])
    assert wave.set_index("domain")["share"].idxmax() == "ict"  # planted: ICT weighs most for the grade
    rel = prepared.reliability
    alphas = rel.loc[rel["org"] == "", "alpha"]
    assert alphas.between(0.6, 0.97).all()


def test_privacy_audit_passes_on_every_prepared_table(demo_prepared, demo_waves, settings):
    from ikto_lib.audit import assert_no_leaks

    ids = demo_waves[0].responses["respondent_id"].astype(str).tolist()
    assert_no_leaks(demo_prepared, min_n=settings.min_n, respondent_ids=ids)


def test_wave_trend_and_grade_distribution(demo_waves, settings):
    wave, previous = demo_waves
    tabs = compute(wave, previous, settings.replace(weighting=False))
    res = tabs["results"]
    trend = res[(res["org"] == "") & (res["comparison"] == "previous")]
    assert len(trend) > 50
    assert set(trend["flag"]) <= {"higher", "lower", "no difference", "not tested"}
    g = trend[trend["measure"] == "grade_mean"].iloc[0]
    # hand: unweighted mean grade of the previous wave's eligible organisations (>= min_n respondents)
    pr = previous.responses
    counts = pr["org"].value_counts()
    elig = pr[pr["org"].isin(counts[counts >= settings.min_n].index)]
    assert g["ref_value"] == pytest.approx(elig["grade"].astype(float).mean())
    cur = wave.responses
    counts = cur["org"].value_counts()
    elig = cur[cur["org"].isin(counts[counts >= settings.min_n].index)]
    assert g["value"] == pytest.approx(elig["grade"].astype(float).mean())
    dist = tabs["grade_distribution"]
    sums = dist.groupby(["scope", "category"])["share"].sum()
    assert np.allclose(sums.to_numpy(), 1.0)
    wave_dist = dist[dist["scope"] == "wave"].set_index("grade")["share"]
    hand = elig["grade"].dropna().astype(int).value_counts(normalize=True)
    assert np.allclose(wave_dist.sort_index().to_numpy(), hand.sort_index().to_numpy())
