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
def explorer(demo_waves, settings, tmp_path_factory):
    wave, previous = demo_waves
    return Explorer(wave, previous, settings, outputs=tmp_path_factory.mktemp("outputs"))


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


def test_export_under_outputs_with_metadata_and_number_formats(explorer):
    from openpyxl import load_workbook

    explorer.select(explorer.orgs[0], domain_or_item="ict", breakdown="gender", comparison="benchmark")
    xlsx = explorer.export("t.xlsx")
    assert xlsx == (explorer.outputs / "2015" / "exports" / "t.xlsx").resolve()
    book = load_workbook(xlsx)
    meta = dict(book["metadata"].iter_rows(min_row=2, values_only=True))
    assert meta["wave"] == "2015" and meta["data fingerprint"] == explorer.wave.fingerprint
    assert meta["anonymity threshold (min_n)"] == str(explorer.settings.min_n)
    assert meta["weighting"].startswith("headcount") and meta["small groups shown"] == "no"
    assert explorer.org_names[explorer.orgs[0]] in meta["selection"] and meta["exported at (UTC)"]
    sheet = book["figures"]
    header = [c.value for c in sheet[1]]
    assert not {"ci_low", "ref_n", "p_adj", "code", "top2"} & set(header)
    value_col = header.index("Aandeel (zeer) tevreden") + 1
    cell = sheet.cell(row=2, column=value_col)
    assert isinstance(cell.value, float) and 0 <= cell.value <= 1 and cell.number_format == "0.0%"
    assert sheet.cell(row=2, column=header.index("Aantal antwoorden") + 1).number_format == "#,##0"
    csv = explorer.export("t.csv")
    assert len(pd.read_csv(csv)) == len(explorer.table)
    assert '"wave": "2015"' in csv.with_suffix(".metadata.json").read_text(encoding="utf-8")
    for bad in ("t.json", "sub/t.xlsx", "../t.xlsx", ""):
        with pytest.raises(ValueError):
            explorer.export(bad)


def test_export_never_inside_notebooks(demo_waves, settings):
    from ikto_lib.paths import CHECKOUT

    ex = Explorer(demo_waves[0], None, settings, outputs=CHECKOUT / "notebooks" / "x")
    ex.select(ex.orgs[0])
    with pytest.raises(ValueError, match="notebooks"):
        ex.export("t.xlsx")
    assert not (CHECKOUT / "notebooks" / "x").exists()


def test_small_groups_switch_appends_a_log_line_and_marks_exports(explorer, monkeypatch):
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "analyst7")
    org = explorer.orgs[1]
    units = explorer.units(org)[:1]
    explorer.select(org, units=units, domain_or_item="ict")
    log_file = explorer.outputs / "2015" / "small_groups.log"
    before = log_file.read_text(encoding="utf-8").splitlines() if log_file.exists() else []
    try:
        explorer.allow_small_groups = True
        explorer.allow_small_groups = True  # already on: no second line
        meta = explorer.export("small.csv").with_suffix(".metadata.json").read_text(encoding="utf-8")
        assert '"small groups shown": "YES' in meta
    finally:
        explorer.allow_small_groups = False
    explorer.allow_small_groups = True
    explorer.allow_small_groups = False
    lines = log_file.read_text(encoding="utf-8").splitlines()[len(before):]
    assert len(lines) == 2  # one line per time it was turned on
    when, user, wave, selection = lines[0].split("\t")
    assert when.startswith("20") and user == "analyst7" and wave == "2015"
    assert org in selection and units[0] in selection and "ICT" in selection
    assert explorer.small_groups_line == lines[1]


def test_display_table_reads_as_the_reports(demo_waves, settings, tmp_path):
    wave, previous = demo_waves
    for language, share, heading, total in (("nl", "%", "Aandeel (zeer) tevreden", "Totaal"),
                                             ("en", "%", "Share (very) satisfied", "Total")):
        ex = Explorer(wave, previous, settings.replace(language=language), outputs=tmp_path)
        org = ex.orgs[0]
        t = ex.select(org, domain_or_item="ict", breakdown="age_group", comparison="benchmark")
        d = ex.display()
        assert not {"ci_low", "ci_high", "ref_n", "p_adj", "code", "ref_value", "flag"} & set(d.columns)
        assert heading in d.columns and "top2" not in d.to_string()
        groups = d.iloc[:, 0].tolist()
        assert groups[0] == total and [g for g in groups[1:]] == [c for c in ["<35", "35-44", "45-54", "55+"]
                                                                  if c in groups]
        assert t["category"].tolist()[1:] == groups[1:]  # the tidy table in the same order
        assert all(v.endswith(share) or v == "–" for v in d[heading])
        if language == "nl":
            assert "," in d[heading].iat[0]  # 62,0% as in the Dutch reports
        dist = ex.display(ex.select(org, units=ex.units(org)[:2], domain_or_item="ict_speed", measure="distribution"))
        answers = dist.iloc[:, 1].tolist()
        assert answers[:5] == wave.instrument.scale.labels[language]
        title = ex.selection_text()
        assert ex.units(org)[0] in title and ex.units(org)[1] in title
        assert wave.instrument.item("ict_speed").text[language] in title
        assert (" ict_speed" not in " ".join(lbl for lbl, _ in ex.targets))  # items by their text


def test_selection_cache_returns_the_same_table(explorer):
    org = explorer.orgs[0]
    a = explorer.select(org, domain_or_item="hr", comparison="peers")
    b = explorer.select(org, domain_or_item="hr", comparison="peers")
    assert a is b
    explorer.allow_small_groups = True
    try:
        assert explorer.select(org, domain_or_item="hr", comparison="peers") is not a
    finally:
        explorer.allow_small_groups = False


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


def test_explorer_uses_the_prepared_results_rules(explorer, monkeypatch):
    """One engine: when a reference is shown/tested and how a row is flagged come from
    ikto_lib.prepare.compare (reference_rule, flag_rule), and who enters a pooled figure from
    ikto_lib.prepare.poolable, not from copies in the explorer."""
    import ikto_lib.workbench.explorer as module

    calls = []
    for name in ("reference_rule", "flag_rule", "poolable"):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _n=name, _f=real, **k: (calls.append(_n), _f(*a, **k))[1])
    explorer._cache.clear()
    explorer._sums.clear()
    explorer.select(explorer.orgs[5], domain_or_item="catering", comparison="peers")
    assert {"reference_rule", "flag_rule", "poolable"} <= set(calls)


def test_export_neutralises_formulas_from_the_data(tmp_path):
    """A unit or organisation name that a spreadsheet would read as a formula stays text."""
    import openpyxl

    from ikto_lib.workbench.records import export_table

    table = pd.DataFrame({"unit": ['=HYPERLINK("http://evil.example","x")', "+1", "Regio Zuid"],
                          "value": [0.5, 0.6, 0.7]})
    meta = {"selection": "@SUM(A1)"}
    xlsx = export_table(tmp_path / "t.xlsx", table, {"value": "0.0%"}, meta)
    wb = openpyxl.load_workbook(xlsx)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert wb["figures"]["A2"].value.startswith("=") and wb["figures"]["A2"].quotePrefix
    csv = export_table(tmp_path / "t.csv", table, {}, meta).read_text(encoding="utf-8")
    assert "'=HYPERLINK" in csv and "\n'+1," in csv and "\nRegio Zuid," in csv
