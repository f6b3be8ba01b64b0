"""The attack in the privacy audit (ikto_lib.attack): leaky published tables of every family kind
are caught with the right bounds; union-suppressed tables with tiny units side by side are not."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from ikto_lib.attack import attack_outputs, attack_prepared, attack_tables
from ikto_lib.attack.families import invert_t, invert_wilson
from ikto_lib.attack.solve import bound_family, share_bounds
from ikto_lib.audit import audit_frame, audit_outputs
from ikto_lib.cli import main

MIN_N = 10
ITEMS = ("ict_helpful", "ict_speed")


def row(org="", unit="", *, item="", measure="top2", n=None, value=None, n_eff=None, ci=None,
        breakdown="", category="", comparison="", ref_n=None, ref_value=None, sd=None):
    shown = n is not None or value is not None
    if shown and value is None:
        value = float(n) if measure == "respondents" else 0.5
    return {"org": org, "unit": unit, "breakdown": breakdown, "category": category, "domain": "ict",
            "item": item, "measure": measure, "n": np.nan if n is None else float(n),
            "n_eff": np.nan if n is None else float(n_eff if n_eff is not None else n),
            "value": np.nan if value is None else float(value),
            "ci_low": np.nan if ci is None else ci[0], "ci_high": np.nan if ci is None else ci[1],
            "comparison": comparison, "ref_value": ref_value, "ref_n": ref_n, "sd": sd,
            "flag": "" if shown else "suppressed"}


def unit_rows(org, counts: dict, total: dict, *, weighted=True):
    """counts: unit -> {"R": respondents, item: valid answers} (None = hidden); total: the org's."""
    rows = [row(org, item=i, n=n, n_eff=n * 0.9 if weighted else n) for i, n in total.items() if i != "R"]
    rows.append(row(org, measure="respondents", n=total["R"]))
    for unit, c in counts.items():
        rows += [row(org, unit, item=i, n=n) for i, n in c.items() if i != "R"]
        rows.append(row(org, unit, measure="respondents", n=c["R"]))
    return rows


def organisations(*rows):
    return pd.DataFrame(rows, columns=["org", "type", "eligible", "respondents", "headcount", "weighted"])


def found(result, family_part, group, quantity="respondents"):
    g = result.groups
    sel = g[g["family"].str.contains(family_part) & g["group"].eq(group) & g["quantity"].eq(quantity)]
    assert len(sel) == 1, f"{group} / {quantity} not bounded in {family_part}:\n{g}"
    return sel.iloc[0]


# ---- the solver --------------------------------------------------------------------------------

def test_bound_family_intersects_rows():
    nan = np.nan
    # members: big, Midden (R shown 12), Zuid, Staf; row 1 hides Zuid+Staf, row 2 Midden+Zuid
    n = np.array([[1100, 12, nan, nan], [1120, nan, nan, 11]])
    b = bound_family(n, np.array([1132, 1150]), np.array([1328, 12, nan, nan]),
                     np.full(4, np.inf), 1360)
    assert b.consistent
    assert (b.r_lo[2], b.r_hi[2]) == (7, 9) and (b.r_lo[3], b.r_hi[3]) == (11, 13)
    assert (b.lo[1, 2], b.hi[1, 2]) == (7, 9) and (b.lo[1, 1], b.hi[1, 1]) == (10, 12)


def test_share_bounds():
    p_lo, p_hi, s_lo, s_hi = share_bounds([15, 15, 15], [15, 0, 7], [15, 0, 7], [6, 6, 6], [9, 9, 9])
    assert list(s_lo[:2]) == [1, 0] and list(s_hi[:2]) == [1, 0]
    assert s_lo[2] == 0 and s_hi[2] == 1 and p_lo[2] == 0 and p_hi[2] == 7


@pytest.mark.parametrize("n,k", [(8, 4), (12, 11), (57, 3), (200, 100), (9, 0)])
def test_invert_wilson_and_t_match_the_intervals(n, k):
    lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert invert_wilson(k / n, lo, hi, 1.959963984540054) == pytest.approx(n, abs=1e-6)
    from scipy import stats
    sd, w = 1.1, stats.t.ppf(0.975, n - 1) * 1.1 / np.sqrt(n)
    assert invert_t(3.0 - w, 3.0 + w, sd) == pytest.approx(n, abs=1e-6)


# ---- leaky tables, one per family kind ---------------------------------------------------------

def uwv_like():
    """Different items hide different pairs: every item alone hides >= min_n answers."""
    counts = {"Big": {"R": 1328, "ict_helpful": 1120, "ict_speed": 1100},
              "Midden": {"R": 12, "ict_helpful": None, "ict_speed": 12},
              "Zuid": {"R": None, "ict_helpful": None, "ict_speed": None},
              "Staf": {"R": None, "ict_helpful": 11, "ict_speed": None}}
    total = {"R": 1360, "ict_helpful": 1150, "ict_speed": 1132}
    return pd.DataFrame(unit_rows("UWV", counts, total))


def test_intersection_over_items_pins_a_unit_each_item_alone_protects():
    results = uwv_like()
    assert not [f for f in audit_frame(results, min_n=MIN_N) if f.kind == "derivable"]  # per table: fine
    res = attack_tables({"results": results}, min_n=MIN_N)
    zuid = found(res, "units of UWV", "Zuid")
    assert (zuid["lo"], zuid["hi"], zuid["kind"]) == (7, 9, "pinned")
    cell = found(res, "units of UWV", "Zuid", "ict_helpful (answers)")
    assert (cell["lo"], cell["hi"], cell["kind"]) == (7, 9, "pinned")
    staf = found(res, "units of UWV", "Staf")
    assert (staf["lo"], staf["hi"], staf["kind"]) == (11, 13, "")
    assert res.summary["pinned"] == 1 and res.summary["checked"] == 3 and res.summary["figures"] == 6


def test_respondent_count_from_the_response_table_joins_the_family():
    results = uwv_like()
    results = results[~(results["unit"].ne("") & results["measure"].eq("respondents"))]  # units' counts
    response = pd.DataFrame({"org": "UWV", "breakdown": "unit", "category": ["Big", "Midden", "Zuid", "Staf"],
                             "respondents": [1328, 12, np.nan, np.nan], "headcount": [3000, 31, 31, 46],
                             "flag": ["", "", "suppressed", "suppressed"]})
    without = attack_tables({"results": results}, min_n=MIN_N)
    assert found(without, "UWV", "Zuid")["kind"] == ""
    res = attack_tables({"results": results, "response": response}, min_n=MIN_N)
    assert (found(res, "UWV", "Zuid")["lo"], found(res, "UWV", "Zuid")["hi"]) == (7, 9)


def test_single_hidden_unit_follows_by_subtraction():
    counts = {"A": {"R": 30, "ict_helpful": 28}, "B": {"R": 15, "ict_helpful": 15},
              "C": {"R": None, "ict_helpful": None}}
    res = attack_tables({"results": pd.DataFrame(unit_rows("ORG", counts, {"R": 50, "ict_helpful": 47}))},
                        min_n=MIN_N)
    c = found(res, "units of ORG", "C")
    assert (c["lo"], c["hi"], c["kind"]) == (5, 5, "pinned")
    assert found(res, "units of ORG", "C", "ict_helpful (answers)")["hi"] == 4


def test_headcount_caps_narrow_a_hidden_unit():
    counts = {"A": {"R": 40, "ict_helpful": 40}, "B": {"R": None, "ict_helpful": None},
              "C": {"R": None, "ict_helpful": None}}
    response = pd.DataFrame({"org": "ORG", "breakdown": "unit", "category": ["A", "B", "C"],
                             "respondents": [40, np.nan, np.nan], "headcount": [80, 4, 30],
                             "flag": ["", "suppressed", "suppressed"]})
    res = attack_tables({"results": pd.DataFrame(unit_rows("ORG", counts, {"R": 55, "ict_helpful": 55})),
                         "response": response}, min_n=MIN_N)
    c = found(res, "units of ORG", "C")
    assert (c["lo"], c["hi"]) == (11, 15) and c["kind"] == ""
    b = found(res, "units of ORG", "B")
    assert (b["lo"], b["hi"], b["kind"]) == (0, 4, "")


def test_categories_of_a_background_variable():
    rows = [row("ORG", measure="respondents", n=60), row("ORG", item="ict_helpful", n=58, n_eff=50)]
    for cat, r, n in (("<35", 30, 29), ("35-44", 24, 24), ("55+", None, None)):
        rows += [row("ORG", breakdown="age_group", category=cat, measure="respondents", n=r),
                 row("ORG", breakdown="age_group", category=cat, item="ict_helpful", n=n)]
    res = attack_tables({"results": pd.DataFrame(rows)}, min_n=MIN_N)
    g = found(res, "age_group categories of ORG", "55+")
    # respondents who left the question empty may hold part of the 6: 0..6, not pinned
    assert (g["lo"], g["hi"], g["kind"]) == (0, 6, "")
    # with the empty answers shown (as a category of their own, 0) the count is pinned
    rows += [row("ORG", breakdown="age_group", category="(no category)", measure="respondents", n=0)]
    res = attack_tables({"results": pd.DataFrame(rows)}, min_n=MIN_N)
    g = found(res, "age_group categories of ORG", "55+")
    assert (g["lo"], g["hi"], g["kind"]) == (6, 6, "pinned")


def orgs_tables():
    orgs = organisations(("X", "zbo", True, 100, 200, True), ("Y", "zbo", True, 200, 400, True),
                         ("Z", "zbo", True, 40, 90, True), ("Q", "zbo", False, np.nan, 12, True))
    rows = []
    for org, r, n in (("X", 100, 95), ("Y", 200, 190), ("Z", 40, None)):
        rows += [row(org, measure="respondents", n=r), row(org, item="ict_helpful", n=n, n_eff=n)]
    return orgs, rows


def test_type_total_minus_the_published_organisations():
    orgs, rows = orgs_tables()
    # the type total counts the too-small organisation Q (7 respondents) that nobody lists
    rows += [row(breakdown="type", category="zbo", measure="respondents", n=347),
             row(breakdown="type", category="zbo", item="ict_helpful", n=291)]
    res = attack_tables({"results": pd.DataFrame(rows), "organisations": orgs}, min_n=MIN_N)
    g = found(res, "organisations of type zbo", "(not listed)")
    assert (g["lo"], g["hi"], g["kind"]) == (7, 7, "pinned")
    z = found(res, "organisations of type zbo", "Z", "ict_helpful (answers)")
    assert (z["lo"], z["hi"], z["kind"]) == (6, 6, "pinned")  # 291 - 95 - 190


def test_benchmark_ref_n_minus_the_other_organisations():
    orgs, rows = orgs_tables()  # Z's item row is hidden (6 answers), the pools still count them
    rows += [row("X", item="ict_helpful", n=95, comparison="benchmark", ref_n=196, ref_value=0.6),
             row("Y", item="ict_helpful", n=190, comparison="benchmark", ref_n=101, ref_value=0.6),
             row("X", item="ict_helpful", n=95, comparison="peers", ref_n=196, ref_value=0.6)]
    res = attack_tables({"results": pd.DataFrame(rows), "organisations": orgs}, min_n=MIN_N)
    z = found(res, "benchmark pool \\(ref_n\\) of X", "Z", "ict_helpful (answers)")
    assert (z["lo"], z["hi"], z["kind"]) == (6, 6, "pinned")
    assert found(res, "peers pool \\(ref_n\\) of X", "Z", "ict_helpful (answers)")["hi"] == 6


def test_pluim_count_from_the_share_of_an_unweighted_organisation():
    orgs = organisations(("P", "zbo", True, 120, 300, False), ("W", "zbo", True, 120, 300, True))
    ps = pd.DataFrame({"org": ["P"] * 4 + ["W"] * 4,
                       "target": ["", "ict", "hr", "catering"] * 2,
                       "n": [54, 30, np.nan, np.nan] * 2,
                       "share": [0.45, 0.25, 4 / 120, np.nan, 0.45, 0.25, 4 / 120, np.nan],
                       "flag": ["", "", "suppressed", "suppressed"] * 2})
    res = attack_tables({"pluim_shares": ps, "organisations": orgs}, min_n=MIN_N)
    g = res.groups[res.groups["family"].eq("pluim targets of P")].set_index("group")
    assert (g.loc["hr", "lo"], g.loc["hr", "hi"], g.loc["hr", "kind"]) == (4, 4, "pinned")  # 4/120 x 120
    assert (g.loc["catering", "lo"], g.loc["catering", "hi"], g.loc["catering", "kind"]) == (20, 20, "")
    # a weighted organisation's share is not a plain count: hr and catering stay a pair of 24
    w = res.groups[res.groups["family"].eq("pluim targets of W")].set_index("group")
    assert (w.loc["hr", "lo"], w.loc["hr", "hi"], w.loc["hr", "kind"]) == (0, 24, "")
    assert set(res.findings["family"]) == {"pluim targets of P"}


def test_hidden_count_recovered_from_a_published_interval():
    lo, hi = proportion_confint(4, 8, alpha=0.05, method="wilson")
    counts = {"A": {"R": 45, "ict_helpful": 40}, "B": {"R": None, "ict_helpful": None},
              "C": {"R": None, "ict_helpful": None}}
    rows = unit_rows("ORG", counts, {"R": 60, "ict_helpful": 54})
    res = attack_tables({"results": pd.DataFrame(rows)}, min_n=MIN_N)
    assert found(res, "ORG", "C", "ict_helpful (answers)")["kind"] == ""
    # B's row blanks n but still shows its value and interval: n = 8 follows, so C holds 6
    rows.append(row("ORG", "B", item="ict_helpful", value=0.5, ci=(lo, hi)))
    rows = [r for r in rows if not (r["unit"] == "B" and r["item"] == "ict_helpful" and np.isnan(r["value"]))]
    res = attack_tables({"results": pd.DataFrame(rows)}, min_n=MIN_N)
    b = found(res, "ORG", "B", "ict_helpful (answers)")
    assert (b["lo"], b["hi"], b["kind"]) == (8, 8, "pinned")  # recovered from its interval
    c = found(res, "ORG", "C", "ict_helpful (answers)")
    assert (c["lo"], c["hi"], c["kind"]) == (6, 6, "pinned")
    c = found(res, "ORG", "C")
    assert (c["lo"], c["hi"], c["kind"]) == (6, 7, "pinned")


def test_positive_share_of_hidden_units_pinned_when_all_hidden_answers_are_positive():
    counts = {"A": {"R": 40, "ict_helpful": 40}, "B": {"R": None, "ict_helpful": None},
              "C": {"R": None, "ict_helpful": None}}
    rows = unit_rows("ORG", counts, {"R": 55, "ict_helpful": 55}, weighted=False)
    for r in rows:
        if r["unit"] == "" and r["item"] == "ict_helpful":
            r["value"] = 35 / 55  # A: 20 of 40 positive, so all 15 hidden answers are
    res = attack_tables({"results": pd.DataFrame(rows)}, min_n=MIN_N)
    b = found(res, "ORG", "B", "ict_helpful (answers)")
    assert (b["share_lo"], b["share_hi"], b["kind"]) == (1.0, 1.0, "share_pinned")
    # the same with a weighted organisation value: no plain count, nothing follows
    rows[0]["n_eff"] = 50.0
    res = attack_tables({"results": pd.DataFrame(rows)}, min_n=MIN_N)
    assert np.isnan(found(res, "ORG", "B", "ict_helpful (answers)")["share_lo"])


def test_published_rounding_widens_the_positive_counts():
    counts = {"A": {"R": 40, "ict_helpful": 40}, "B": {"R": None, "ict_helpful": None},
              "C": {"R": None, "ict_helpful": None}}
    rows = unit_rows("ORG", counts, {"R": 55, "ict_helpful": 55}, weighted=False)
    for r in rows:
        if r["unit"] == "" and r["item"] == "ict_helpful":
            r["value"] = round(34 / 55, 1)  # published to 0.1: 0.6 = 30.25..35.75 positive of 55
        elif not np.isnan(r["value"]) and r["measure"] == "top2":
            r["value"] = 0.5
    res = attack_tables({"results": pd.DataFrame(rows)}, min_n=MIN_N)
    b = found(res, "ORG", "B", "ict_helpful (answers)")
    assert b["share_lo"] == 0 and b["share_hi"] == 1 and b["kind"] == ""


# ---- clean tables --------------------------------------------------------------------------------

def union_suppressed():
    """Tiny units side by side (3 and 2; 7; 9 beside 10): one hidden set for every row."""
    counts = {"A": {"R": 40, "ict_helpful": 38, "ict_speed": 35},
              "F": {"R": 10, "ict_helpful": 10, "ict_speed": 10},
              **{u: {"R": None, "ict_helpful": None, "ict_speed": None} for u in ("B", "C", "D", "E")}}
    rows = unit_rows("ORG", counts, {"R": 71, "ict_helpful": 66, "ict_speed": 62})
    response = pd.DataFrame({"org": "ORG", "breakdown": "unit", "category": list("AFBCDE"),
                             "respondents": [40, 10] + [np.nan] * 4, "headcount": [90, 20, 5, 2, 12, 15],
                             "flag": ["", ""] + ["suppressed"] * 4})
    rows += [row("ORG", breakdown="age_group", category=c, measure="respondents", n=r)
             for c, r in (("<35", 35), ("35+", 36))]
    orgs = organisations(("ORG", "gemeente", True, 71, 146, True))
    return {"results": pd.DataFrame(rows), "response": response, "organisations": orgs}


def test_union_suppressed_tables_are_clean():
    res = attack_tables(union_suppressed(), min_n=MIN_N)
    assert res.findings.empty, res.findings
    c = found(res, "units of ORG", "C")  # headcount 2: 0..2 is what the headcount says anyway
    assert (c["lo"], c["hi"], c["kind"]) == (0, 2, "")
    assert res.summary["checked"] == 7 and res.summary["pinned"] == 0 and res.summary["figures"] >= 12


def write_prepared(folder, tables):
    folder.mkdir(parents=True)
    for name, frame in tables.items():
        frame.to_parquet(folder / f"{name}.parquet")
    return folder


def test_audit_outputs_and_the_cli(tmp_path, capsys):
    leaky = write_prepared(tmp_path / "leaky" / "prepared", {"results": uwv_like()})
    clean = write_prepared(tmp_path / "clean" / "prepared", union_suppressed())
    found_ = audit_outputs(leaky.parent, MIN_N)
    assert [f.kind for f in found_] == ["derivable"] and "Zuid" in found_[0].location
    assert audit_outputs(leaky.parent, MIN_N, attack=False) == []
    assert audit_outputs(clean.parent, MIN_N) == []
    one, every = attack_prepared(leaky, min_n=MIN_N), attack_outputs(leaky.parent, MIN_N)
    assert one.groups.equals(every.groups) and one.summary["pinned"] == every.summary["pinned"]
    assert main(["audit", str(leaky.parent)]) == 1
    out = capsys.readouterr().out
    assert "hidden groups checked" in out and "Zuid" in out
    assert main(["audit", str(clean.parent)]) == 0
    assert main(["audit", str(tmp_path / "nothing")]) == 2
    (tmp_path / "empty").mkdir()
    assert main(["audit", str(tmp_path / "empty")]) == 2
    (tmp_path / "broken" / "prepared").mkdir(parents=True)
    (tmp_path / "broken" / "prepared" / "results.parquet").write_text("not parquet")
    assert main(["audit", str(tmp_path / "broken")]) == 2
    assert "results.parquet" in capsys.readouterr().err


def test_the_batch_audit_fails_on_an_attack_finding(tmp_path, settings):
    from ikto_lib.batch.run import _audit

    write_prepared(tmp_path / "prepared", {"results": uwv_like()})
    problems = _audit(tmp_path, settings)
    assert len(problems) == 1 and problems[0].kind == "derivable"


def test_on_the_demo_every_bound_is_sound_and_fast(demo_prepared):
    res = attack_prepared(demo_prepared, min_n=MIN_N)
    g = res.groups
    assert res.summary["checked"] > 1000 and res.summary["inconsistent"] == 0
    assert (g["lo"] >= 0).all() and (g["lo"] <= g["hi"]).all()
    assert set(g["kind"]) <= {"", "pinned", "share_pinned", "narrowed"}
    assert res.summary["seconds"] < 30  # a few seconds on an idle machine; shared CI is slower


def weighted_org(n_eff_shift=0.0):
    """A weighted organisation: A and B own cells, the hidden C and D one "other" cell."""
    head = {"A": 80, "B": 45, "C": 20, "D": 10}
    resp = {"A": 40, "B": 30, "C": None, "D": None}
    w = {"A": 2.0, "B": 1.5, "O": 30 / 11}
    big_w = w["A"] * 40 + w["B"] * 30 + w["O"] * 11
    value = (w["A"] * 20 + w["B"] * 15 + w["O"] * 11) / big_w  # every hidden answer positive
    n_eff = big_w**2 / (w["A"] ** 2 * 40 + w["B"] ** 2 * 30 + w["O"] ** 2 * 11) + n_eff_shift
    rows = [row("ORG", measure="respondents", n=81),
            row("ORG", item="ict_helpful", n=81, value=value, n_eff=n_eff)]
    for u in "ABCD":
        rows += [row("ORG", u, measure="respondents", n=resp[u]),
                 row("ORG", u, item="ict_helpful", n=resp[u])]
    response = pd.DataFrame({"org": "ORG", "breakdown": "unit", "category": list("ABCD"),
                             "respondents": [40, 30, np.nan, np.nan], "headcount": list(head.values()),
                             "flag": ["", "", "suppressed", "suppressed"]})
    return {"results": pd.DataFrame(rows), "response": response}


def test_weighted_value_gives_the_other_cell_away_when_n_eff_confirms_it():
    res = attack_tables(weighted_org(), min_n=MIN_N)
    for u in "CD":
        g = found(res, "units of ORG", u, "ict_helpful (answers)")
        assert (g["share_lo"], g["share_hi"], g["kind"]) == (1.0, 1.0, "share_pinned")
    # an effective n that another cell structure made: the attacker cannot use the value
    res = attack_tables(weighted_org(n_eff_shift=0.7), min_n=MIN_N)
    assert np.isnan(found(res, "units of ORG", "C", "ict_helpful (answers)")["share_lo"])
    assert res.findings.empty


def test_a_parent_that_is_all_positive_says_nothing_new_of_its_hidden_members():
    counts = {"A": {"R": 40, "ict_helpful": 40}, "B": {"R": None, "ict_helpful": None},
              "C": {"R": None, "ict_helpful": None}}
    rows = unit_rows("ORG", counts, {"R": 55, "ict_helpful": 55}, weighted=False)
    for r in rows:
        if r["item"] == "ict_helpful" and not np.isnan(r["value"]):
            r["value"] = 1.0  # the organisation's own (published) share is 100%
    res = attack_tables({"results": pd.DataFrame(rows)}, min_n=MIN_N)
    assert np.isnan(found(res, "ORG", "B", "ict_helpful (answers)")["share_lo"])
    assert res.findings.empty


def test_the_other_cell_must_explain_every_row_of_the_organisation():
    tables = weighted_org()
    extra = [row("ORG", item="ict_speed", n=81, value=0.5, n_eff=60.0)]  # no structure gives 60
    extra += [row("ORG", u, item="ict_speed", n={"A": 40, "B": 30}.get(u)) for u in "ABCD"]
    tables["results"] = pd.concat([tables["results"], pd.DataFrame(extra)], ignore_index=True)
    res = attack_tables(tables, min_n=MIN_N)
    assert np.isnan(found(res, "units of ORG", "C", "ict_helpful (answers)")["share_lo"])
    assert res.findings.empty
