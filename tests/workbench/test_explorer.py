"""Explorer and pluim browser logic on the demo wave (no widgets)."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from ikto_lib.prepare.anonymity import SUPPRESSED
from ikto_lib.prepared import Prepared
from ikto_lib.workbench import Explorer, PluimBrowser
from ikto_lib.workbench.explorer import SMALL_GROUP, TABLE_COLUMNS


@pytest.fixture(scope="module")
def explorer(demo_waves, settings):
    wave, previous = demo_waves
    return Explorer(wave, previous, settings)


@pytest.fixture(scope="module")
def results(demo_prepared):
    return Prepared(demo_prepared).table("results")


def _org_with_small_unit(ex):
    d = ex.data
    counts = pd.Series(1, index=pd.MultiIndex.from_arrays([d.org, d.unit])).groupby(level=[0, 1]).sum()
    small = counts[counts < ex.settings.min_n]
    for (org, unit), _n in small.items():
        if org in ex.orgs:
            return org, unit
    pytest.fail("demo has no small unit in an eligible organisation")


def test_org_figure_equals_prepared(explorer, results):
    org = explorer.orgs[0]
    plain = results[(results["org"] == org) & (results["unit"] == "") & (results["breakdown"] == "")
                    & (results["comparison"] == "")]
    for target, measure, domain, item in [("overall", "top2", "", ""), ("ict", "mean", "ict", ""),
                                          ("grade", "mean", "", ""), ("hr", "top2", "hr", "")]:
        t = explorer.select(org, domain_or_item=target, measure=measure)
        m = {"grade": "grade_mean"}.get(target, measure) if measure == "mean" else measure
        row = plain[(plain["measure"] == m) & (plain["domain"] == domain) & (plain["item"] == item)]
        assert len(row) == 1, (target, measure)
        assert t["n"].iat[0] == row["n"].iat[0]
        assert t["value"].iat[0] == pytest.approx(row["value"].iat[0], rel=1e-9)
        assert t["ci_low"].iat[0] == pytest.approx(row["ci_low"].iat[0], rel=1e-9)


def test_benchmark_equals_prepared(explorer, results):
    org = explorer.orgs[1]
    t = explorer.select(org, domain_or_item="ict", measure="top2", comparison="benchmark")
    row = results[(results["org"] == org) & (results["comparison"] == "benchmark") & (results["unit"] == "")
                  & (results["measure"] == "top2") & (results["domain"] == "ict") & (results["item"] == "")]
    assert t["ref_value"].iat[0] == pytest.approx(row["ref_value"].iat[0], rel=1e-9)
    assert t["diff"].iat[0] == pytest.approx(row["diff"].iat[0], rel=1e-9)
    assert t["flag"].iat[0] in {"higher", "lower", "no difference"}
    assert list(t.columns) == TABLE_COLUMNS


def test_breakdown_rows_and_complementary(explorer, settings):
    org = explorer.orgs[0]
    t = explorer.select(org, domain_or_item="overall", breakdown="age_group", comparison="benchmark")
    cats = t[t["category"] != ""]
    assert set(cats["category"]) <= {"<35", "35-44", "45-54", "55+"} and len(cats) >= 2
    sup = cats["flag"] == SUPPRESSED
    # suppressed siblings: none, or at least two holding >= min_n together (checked on raw counts)
    explorer.allow_small_groups = True
    raw = explorer.select(org, domain_or_item="overall", breakdown="age_group", comparison="benchmark")
    explorer.allow_small_groups = False
    n = raw[raw["category"] != ""].set_index("category")["n"]
    hidden = n[cats.set_index("category")["flag"] == SUPPRESSED]
    assert hidden.empty or (len(hidden) >= 2 and hidden.sum() >= settings.min_n)
    assert t.loc[t["category"] != "", "value"][~sup.to_numpy()].notna().all()


def test_small_unit_suppressed_and_switch_logged(explorer, caplog, settings):
    org, unit = _org_with_small_unit(explorer)
    t = explorer.select(org, units=[unit], comparison="benchmark")
    assert t["flag"].iat[0] == SUPPRESSED and np.isnan(t["value"].iat[0]) and np.isnan(t["n"].iat[0])
    with caplog.at_level(logging.WARNING, logger="ikto_lib.workbench.explorer"):
        explorer.allow_small_groups = True
    assert any("anonymity threshold" in r.getMessage() for r in caplog.records)
    try:
        t = explorer.select(org, units=[unit], comparison="benchmark")
        assert t["flag"].iat[0] == SMALL_GROUP and t["n"].iat[0] < settings.min_n
        assert not np.isnan(t["value"].iat[0])
    finally:
        explorer.allow_small_groups = False
    assert explorer.select(org, units=[unit])["flag"].iat[0] == SUPPRESSED


def test_units_whose_rest_is_small_are_suppressed(explorer):
    org, unit = _org_with_small_unit(explorer)
    others = [u for u in explorer.units(org) if u != unit]
    t = explorer.select(org, units=others)  # everyone except a small unit: would reveal it
    assert t["flag"].iat[0] == SUPPRESSED


def test_comparisons(explorer):
    org = explorer.orgs[2]
    units = explorer.units(org)
    big = max(units, key=lambda u: (explorer.data.unit[explorer.data.org == org] == u).sum())
    for comp in ["peers", "previous", "rest", f"unit:{units[0]}", None]:
        t = explorer.select(org, units=[big], domain_or_item="ict", measure="mean", comparison=comp)
        assert len(t) == 1 and t["comparison"].iat[0] == (comp or "")
        if comp:  # a reference was found and compared
            assert t["ref_n"].iat[0] >= 10 and t["flag"].iat[0] in {"higher", "lower", "no difference"}, comp
    t = explorer.select(org, domain_or_item="overall", comparison="previous")
    assert t["ref_value"].notna().all() and t["flag"].iat[0] != SUPPRESSED
    d = explorer.select(org, domain_or_item="ict_speed", measure="distribution", comparison="benchmark")
    assert list(d["code"]) == ["1", "2", "3", "4", "5"]
    assert d["value"].sum() == pytest.approx(1.0)
    g = explorer.select(org, domain_or_item="grade", measure="distribution")
    assert len(g) == 10 and g["value"].sum() == pytest.approx(1.0)
    with pytest.raises(ValueError):
        explorer.select(org, measure="median")
    with pytest.raises(ValueError):
        explorer.select(org, domain_or_item="nope")


def test_export(explorer, tmp_path):
    explorer.select(explorer.orgs[0], domain_or_item="ict", breakdown="gender", comparison="benchmark")
    csv = explorer.export(tmp_path / "t.csv")
    xlsx = explorer.export(tmp_path / "t.xlsx")
    back = pd.read_csv(csv, keep_default_na=False, na_values=[""])
    assert len(back) == len(explorer.table) and list(back.columns) == TABLE_COLUMNS
    assert len(pd.read_excel(xlsx)) == len(explorer.table)
    with pytest.raises(ValueError):
        explorer.export(tmp_path / "t.json")


def test_pluim_browser(demo_waves, settings):
    wave, _ = demo_waves
    pb = PluimBrowser(wave, settings)
    counts = wave.responses["org"].astype(str).value_counts()
    assert set(pb.orgs) == set(counts[counts >= settings.min_n].index)
    org = pb.orgs[0]
    all_ = pb.search(org)
    assert len(all_) > 0
    assert not all_["text"].str.contains(r"[\w.]+@[\w.]+\.\w+", regex=True).any()
    target = pb.targets(org)[0]
    by_t = pb.search(org, target=target)
    assert (by_t["target"] == target).all() and 0 < len(by_t) <= len(all_)
    word = all_["text"].iat[0].split()[0]
    hits = pb.search(org, word)
    assert len(hits) >= 1
    small = counts[counts < settings.min_n]
    assert len(small)  # the demo's tiny organisations
    with pytest.raises(ValueError):
        pb.search(small.index[0])


def test_rest_rule_per_category(explorer, settings):
    """A unit selection with a breakdown: a category is hidden when the same category of the rest
    of the organisation holds 1 .. min_n-1 answers (else subtraction from the org figure reveals it)."""
    d = explorer.data
    for org in explorer.orgs:
        units = explorer.units(org)
        if len(units) < 2:
            continue
        sel = units[1:]
        rest = (d.org == org) & ~np.isin(d.unit, sel)
        cats = pd.Series(d.resp["age_group"].to_numpy()[rest]).value_counts()
        small = cats[(cats > 0) & (cats < settings.min_n) & (cats.index != "")]
        if len(small):
            t = explorer.select(org, units=sel, breakdown="age_group").set_index("category")
            for c in small.index:
                if c in t.index:
                    assert t.loc[c, "flag"] == SUPPRESSED
            return
    pytest.fail("no organisation with a small category in the rest of the organisation")


def test_benchmark_per_category_pools_only_organisations_with_min_n_answers_in_it(explorer, settings):
    """Otherwise the benchmarks of two organisations differ by a third one's few answers in a
    category (B = A + bench_A - bench_B): each organisation enters a category's pool only with
    >= min_n answers on the target in that category (and >= min_n on the target overall)."""
    d = explorer.data
    first = explorer.wave.instrument.items[0]
    item = first.id
    valid = d.column(f"top2|{first.domain}|{item}").notna().to_numpy()
    frame = pd.DataFrame({"org": d.org, "cat": d.resp["age_group"].to_numpy(dtype=object), "valid": valid})
    frame = frame[frame["valid"] & d.is_eligible & (frame["cat"] != "")]
    per_org = frame.groupby("org").size()
    per_cat = frame.groupby(["org", "cat"]).size()
    small = per_cat[(per_cat > 0) & (per_cat < settings.min_n)]
    assert len(small), "the demo has organisations with a few answers in an age group"
    org = explorer.orgs[0]
    t = explorer.select(org, domain_or_item=item, measure="top2", breakdown="age_group",
                        comparison="benchmark").set_index("category")
    checked = 0
    for cat in ("<35", "35-44", "45-54", "55+"):
        pooled = per_cat.xs(cat, level="cat")
        pooled = pooled[(pooled.index != org) & (pooled >= settings.min_n)
                        & (per_org.reindex(pooled.index) >= settings.min_n)]
        if cat in t.index and pooled.sum() >= settings.min_n:
            assert t.loc[cat, "ref_n"] == pooled.sum(), cat  # the few answers are not in it
            checked += 1
    assert checked >= 2


def test_category_mask_counts_uncovered_respondents_as_a_hidden_sibling():
    def mask(total, cats):
        t = pd.DataFrame({"category": [""] + [f"c{i}" for i in range(len(cats))], "code": "top2",
                          "n": [total, *cats]})
        return Explorer._category_mask(t, 10).tolist()

    assert mask(50, [20, 30]) == [False, False, False]  # categories cover the total
    assert mask(50, [20, 25]) == [False, True, False]  # 5 without a category: 20 hidden with them
    assert mask(50, [3, 47]) == [False, True, True]  # complementary: 3 alone would follow
    assert mask(50, [20, 15]) == [False, False, False]  # 15 uncovered: >= min_n, nothing to hide
    assert mask(8, [8]) == [True, True]
    assert mask(50, [0, 50]) == [False, True, False]  # an empty category shows nothing


def test_reference_categories_get_complementary_suppression(explorer, settings):
    """Comparing with a unit by age group: a small age group of that unit is not shown as a
    reference figure, and neither is a figure it would follow from by subtraction."""
    d = explorer.data
    first = explorer.wave.instrument.items[0]
    valid = d.column(f"top2|{first.domain}|{first.id}").notna().to_numpy()
    cat = d.resp["age_group"].to_numpy(dtype=object)
    for org in explorer.orgs:
        for unit in explorer.units(org):
            sel = valid & (d.org == org) & (d.unit == unit)
            raw = pd.Series(cat[sel]).value_counts()
            raw = raw[raw.index != ""]
            small = (raw > 0) & (raw < settings.min_n)
            if sel.sum() < settings.min_n or small.sum() != 1 or not (raw >= settings.min_n).any():
                continue  # wanted: exactly one small age group beside shown ones
            t = explorer.select(org, domain_or_item=first.id, breakdown="age_group",
                                comparison=f"unit:{unit}").set_index("category")
            shown = t.loc[[c for c in raw.index if c in t.index], "ref_n"]
            hidden = raw[shown.reindex(raw.index).isna()]
            assert hidden.sum() >= settings.min_n, (org, unit, raw.to_dict(), shown.to_dict())
            assert (shown.dropna() >= settings.min_n).all()
            return
    pytest.fail("no unit with a small age group in the demo")
