"""One suppression pattern per sibling family (methods, "Anonymity").

Checked against the micro data: in every family (the units of an organisation, the categories of
a background variable) the hidden siblings are the same in every row (item, domain, measure and
the respondent count) whose total is shown; every row's hidden non-empty siblings are none, or
at least two holding at least ``min_n``; a sibling whose count is hidden shows no figure
anywhere (results, response table, the report's unit data); empty siblings hide nothing.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from ikto_lib.config import load_settings
from ikto_lib.prepare import compute, eligible_orgs, headcount_weights, respondent_frame, sibling_patterns
from ikto_lib.prepare.figures import SEP, group_counts, respondent_measures
from ikto_lib.validate import load_wave
from tests.smallwave import write_small_wave

from .handwave import hand_wave

MIN_N = 10


def true_counts(wave, settings, member: str) -> pd.DataFrame:
    """Counts per org x member x row from the micro data (``member``: unit or a background id)."""
    resp = respondent_frame(wave.responses, eligible_orgs(wave.responses, settings.min_n))
    m = respondent_measures(resp, wave.instrument, settings)
    c = group_counts(m, [resp["org"].astype(str), resp[member].astype(str).rename("member")])
    parts = c["column"].str.split(SEP, expand=True, regex=False)
    return c.assign(measure=parts[0], domain=parts[1], item=parts[2]).drop(columns="column")


def family_problems(wave, tables, settings, member: str) -> list[str]:
    """Every way the published tables break the one-pattern rule for ``member`` families."""
    min_n = settings.min_n
    res = tables["results"]
    if member == "unit":
        rows = res[(res["unit"] != "") & (res["comparison"] == "")].assign(member=lambda d: d["unit"])
    else:
        rows = res[(res["breakdown"] == member) & (res["comparison"] == "")].assign(member=lambda d: d["category"])
    keys = ["org", "member", "measure", "domain", "item"]
    got = rows[keys + ["n", "value", "flag"]].merge(true_counts(wave, settings, member), on=keys, how="outer",
                                                      suffixes=("", "_true"), indicator=True)
    problems = [f"row missing: {r}" for r in got.loc[got["_merge"] != "both", keys].to_dict("records")][:5]
    got = got[got["_merge"] == "both"].copy()
    got["hidden"] = got["flag"] == "suppressed"
    total = got.groupby(["org", "measure", "domain", "item"])["n_true"].transform("sum")
    got["live"] = total >= min_n
    count_hidden = got[(got["measure"] == "respondents")].set_index(["org", "member"])["hidden"]
    got["family_hidden"] = pd.MultiIndex.from_frame(got[["org", "member"]]).map(count_hidden).to_numpy(dtype=bool)
    expected = np.where(got["live"], got["family_hidden"] | (got["n_true"] == 0), got["n_true"] < min_n)
    bad = got[got["hidden"] != expected]
    problems += [f"pattern differs: {r}" for r in bad[keys + ["n_true", "hidden"]].head(5).to_dict("records")]
    shown_small = got[~got["hidden"] & (got["n_true"] < min_n)]
    problems += [f"small figure shown: {r}" for r in shown_small[keys].head(5).to_dict("records")]
    leaked = got[got["hidden"] & (got["value"].notna() | got["n"].notna())]
    problems += [f"hidden but has a figure: {r}" for r in leaked[keys].head(5).to_dict("records")]
    live = got[got["live"]]
    h = live["hidden"] & (live["n_true"] > 0)
    per = live.assign(k=h, s=live["n_true"].where(h, 0)).groupby(["org", "measure", "domain", "item"])[["k", "s"]].sum()
    fail = per[(per["k"] == 1) | ((per["k"] >= 2) & (per["s"] < min_n))]
    problems += [f"derivable: {i} {r}" for i, r in fail.head(5).iterrows()]
    return problems


def response_problems(tables, member: str) -> list[str]:
    """The response table hides exactly the family's hidden members (and those nobody answered from)."""
    res = tables["results"]
    if member == "unit":
        counts = res[(res["unit"] != "") & (res["measure"] == "respondents")].assign(member=lambda d: d["unit"])
    else:
        counts = res[(res["breakdown"] == member) & (res["measure"] == "respondents")].assign(
            member=lambda d: d["category"])
    hidden = set(map(tuple, counts.loc[counts["flag"] == "suppressed", ["org", "member"]].to_numpy()))
    answered = set(map(tuple, counts[["org", "member"]].to_numpy()))
    r = tables["response"]
    r = r[r["breakdown"] == member]
    out = []
    for org, cat, flag, n in r[["org", "category", "flag", "respondents"]].itertuples(index=False):
        should = (org, cat) in hidden or (org, cat) not in answered
        if should != (flag == "suppressed") or (should and not np.isnan(n)):
            out.append(f"response of {org}/{cat}: flag {flag!r}, respondents {n}")
    return out


@pytest.fixture(scope="module")
def demo_tables(demo_waves, settings):
    wave, previous = demo_waves
    return compute(wave, previous, settings)


@pytest.mark.parametrize("member", ["unit", "age_group", "gender", "tenure"])
def test_demo_one_pattern_per_family(demo_waves, demo_tables, settings, member):
    """The UWV case (two items hiding different pairs, intersected to 7-9 respondents) cannot
    happen: the hidden set is the same in every row of every family of the demo."""
    assert family_problems(demo_waves[0], demo_tables, settings, member) == []


def test_demo_response_table_follows_the_pattern(demo_tables):
    assert response_problems(demo_tables, "unit") == []
    assert response_problems(demo_tables, "age_group") == []


def test_demo_hidden_unit_has_no_figure_in_the_report_data(demo_prepared):
    """A unit whose count is hidden shows no domain value in the heatmap data, and a unit with a
    domain value shows its count (the KADASTER case: a value beside a hidden count)."""
    from ikto_lib.prepared import Prepared
    from ikto_lib.report import data
    from ikto_lib.report.config import report_config

    orgs = Prepared(demo_prepared).organisations
    checked = 0
    for org in orgs.loc[orgs["eligible"] & (orgs["n_units"] > 1), "org"]:
        u = data.units(report_config(org, prepared=demo_prepared))
        count_hidden = u[u["domain"] == ""].set_index("unit")["suppressed"]
        cells = u[(u["domain"] != "") & (u["unit"] != "")]
        with_value = cells.loc[cells["value"].notna(), "unit"].unique()
        assert not count_hidden.reindex(with_value).any(), org
        hidden_units = count_hidden[count_hidden].index.drop("", errors="ignore")
        assert cells[cells["unit"].isin(hidden_units)]["value"].isna().all(), org
        checked += len(hidden_units)
    assert checked > 0


SIDE_BY_SIDE = {
    "3 and 2": (3, 2, 40, 50),
    "one of 7": (7, 30, 40),
    "9 beside 10": (9, 10, 30),
}


@pytest.fixture(scope="module", params=list(SIDE_BY_SIDE))
def tiny(request, tmp_path_factory):
    folder = write_small_wave(tmp_path_factory.mktemp("tiny") / "w", n_per_unit=SIDE_BY_SIDE[request.param])
    wave = load_wave(folder)
    settings = load_settings().replace(min_n=MIN_N)
    return request.param, wave, settings, compute(wave, None, settings)


def test_tiny_units_side_by_side(tiny):
    case, wave, settings, tables = tiny
    for member in ["unit", "age_group"]:
        assert family_problems(wave, tables, settings, member) == [], (case, member)
    assert response_problems(tables, "unit") == [], case
    res = tables["results"]
    counts = res[(res["unit"] != "") & (res["measure"] == "respondents")]
    hidden = counts[counts["flag"] == "suppressed"].groupby("org")["unit"].apply(set)
    # at least the small ones and the next-smallest; more where some item's hidden answers would
    # otherwise be one unit's alone or fewer than min_n (e.g. 3 and 2 both skipped a domain:
    # the 40 alone would follow from the total minus the 50, so the 50 is hidden too)
    least = {"3 and 2": {"Bestuursondersteuning", "Beleid", "Uitvoering"},
             "one of 7": {"Bestuursondersteuning", "Beleid"},
             "9 beside 10": {"Bestuursondersteuning", "Beleid"}}[case]
    assert len(hidden) == 3 and all(h >= least for h in hidden)
    if case == "one of 7":  # 7 and 30: every item holds >= 10 answers of them together
        assert all(h == least for h in hidden)


def test_an_empty_unit_hides_nothing():
    """Y has units Y1 and Y2 (12 each) and Y3 in the headcount that nobody answered from; Y2's
    respondents all answer b2 with n.v.t. Neither the empty unit nor the empty answers hide the
    next-smallest real unit (the per-item rule hid Y1 twice for nothing)."""
    wave = hand_wave()
    r = wave.responses
    r.loc[(r["org"] == "Y") & (r["unit"] == "Y2"), "b2"] = 9
    wave = dataclasses.replace(wave, headcount=pd.concat(
        [wave.headcount, pd.DataFrame({"org": ["Y"], "unit": ["Y3"], "headcount": [8]})], ignore_index=True))
    settings = load_settings().replace(min_n=MIN_N, weighting=True)
    tables = compute(wave, None, settings)
    res = tables["results"]
    y = res[(res["org"] == "Y") & (res["unit"] != "") & (res["comparison"] == "")]
    y1 = y[y["unit"] == "Y1"]
    assert (y1["flag"] != "suppressed").all() and y1["value"].notna().all()
    b2 = y[(y["item"] == "b2") & (y["measure"] == "top2")].set_index("unit")
    assert b2.loc["Y1", "n"] >= 10 and np.isnan(b2.loc["Y2", "value"])
    resp = tables["response"]
    y_resp = resp[(resp["org"] == "Y") & (resp["breakdown"] == "unit")].set_index("category")
    assert y_resp.loc["Y1", "respondents"] == 12 and y_resp.loc["Y2", "respondents"] == 12
    assert y_resp.loc["Y3", "flag"] == "suppressed" and np.isnan(y_resp.loc["Y3", "respondents"])
    assert family_problems(wave, tables, settings, "unit") == []


def test_every_hidden_unit_goes_into_the_other_weighting_cell(tmp_path):
    """Units of 3 and 2 beside 40 and 50: the units hidden to protect them (the 40, and in
    MINBZK the 50 as well, see test_tiny_units_side_by_side) are weighted with them in one
    "other" cell; a cell of their own would follow from what is not published."""
    wave = load_wave(write_small_wave(tmp_path / "w", n_per_unit=(3, 2, 40, 50)))
    hc = wave.headcount.copy()
    hc.loc[hc["unit"] == "Toezicht", "headcount"] *= 3  # cells with different weights
    wave = dataclasses.replace(wave, headcount=hc)
    settings = load_settings().replace(min_n=MIN_N)
    resp = respondent_frame(wave.responses, eligible_orgs(wave.responses, MIN_N))
    m = respondent_measures(resp, wave.instrument, settings)
    patterns = sibling_patterns(resp, m, [], MIN_N)
    w = headcount_weights(resp, wave.headcount, settings, hidden=patterns["unit"])
    per_unit = w.groupby([resp["org"], resp["unit"]]).agg(["min", "max"])
    for org in resp["org"].unique():
        hidden = patterns["unit"].loc[org]
        other = per_unit.loc[org].loc[hidden[hidden].index]
        assert len(other) >= 3 and other["min"].min() == pytest.approx(other["max"].max())  # one cell
        for unit in hidden[~hidden].index:
            assert per_unit.loc[(org, unit), "min"] != pytest.approx(other["min"].min())
    assert patterns["unit"].loc["MINBZK"].all()
    # before: 3 and 2 merged into the 40, the 50 a cell of its own
    w_old = headcount_weights(resp, wave.headcount, settings)
    mine = (resp["org"] == "MINBZK").to_numpy()
    assert not np.allclose(w_old.to_numpy()[mine], w.to_numpy()[mine])


def test_demo_no_pluim_count_under_min_n(demo_tables, settings):
    """The demo published 236 pluim counts of 1-9 (share x respondents gave them back in Excel);
    now no count under min_n is shown, nor the share of a hidden count."""
    s = demo_tables["pluim_shares"]
    n = s["n"].astype(float)
    assert not ((n >= 1) & (n < settings.min_n)).any()
    hidden = (s["flag"] == "suppressed") & (s["org"] != "")
    assert hidden.sum() > 0 and s.loc[hidden, "share"].isna().all()
