"""Edge cases: n = 0, identical answers, all n.v.t., an unanswered domain. No crash, no warning."""

import warnings

import numpy as np
import pandas as pd
import pytest

from ikto_lib.stats import (
    alpha_by_domain,
    compare_summaries,
    domain_scores,
    driver_analysis,
    flag,
    group_summary,
    hedges_g,
    holm,
    kish_neff,
    leave_one_out,
    margin_of_error,
    pool_summaries,
    poststrat_weights,
    t_interval,
    top2,
    two_proportion_ztest,
    valid_codes,
    welch_ttest,
    wilson_interval,
)


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_empty_and_zero_n():
    assert np.isnan(wilson_interval(0, 0, confidence=0.95)).all()
    assert np.isnan(t_interval(np.nan, np.nan, 0, confidence=0.95)).all()
    assert np.isnan(margin_of_error(0, 0, confidence=0.95))
    assert np.isnan(kish_neff([]))
    assert np.isnan(two_proportion_ztest(0.5, 0, 0.5, 0)).all()
    assert np.isnan(welch_ttest(np.nan, np.nan, 0, 3.0, 1.0, 10)).all()
    assert np.isnan(hedges_g(np.nan, np.nan, 0, np.nan, np.nan, 0))
    assert holm([]).size == 0 and np.isnan(holm([np.nan, np.nan])).all()
    empty = pd.DataFrame({"q": pd.Series([], dtype=float)})
    s = group_summary(empty, [pd.Series([], dtype=object, name="org")], kind="mean", confidence=0.95)
    assert len(s) == 0
    assert len(group_summary(empty, None, kind="mean", confidence=0.95)) == 1


def test_identical_answers_not_tested():
    v = pd.DataFrame({"q": [4.0] * 30})
    org = pd.Series(["a"] * 12 + ["b"] * 18, name="org")
    kw = dict(kind="mean", confidence=0.95)
    s = group_summary(v, [org], **kw)
    assert (s["sd"] == 0).all()
    res = compare_summaries(s, leave_one_out(s, **kw), kind="mean")
    assert res["p"].isna().all() and res["effect"].isna().all()
    assert (flag(res["p"], res["diff"], alpha=0.05, min_effect=0.2, practical=res["practical"]) == "not tested").all()
    t2 = group_summary(top2(v), [org], kind="proportion", confidence=0.95)
    res = compare_summaries(t2, leave_one_out(t2, kind="proportion", confidence=0.95), kind="proportion")
    assert res["p"].isna().all()
    assert (flag(holm(res["p"]), res["diff"], alpha=0.05, min_effect=0.05) == "not tested").all()


def test_all_nvt_and_unanswered_domain():
    raw = pd.DataFrame({"q1": pd.array([9, 9, 9], dtype="Int8"), "q2": pd.array([9, None, 9], dtype="Int8"),
                        "q3": pd.array([4, 5, 2], dtype="Int8")})
    v = valid_codes(raw, nvt_code=9)
    score, t2 = domain_scores(v, {"empty": ["q1", "q2"], "ok": ["q3"]}, min_items_share=0.5)
    assert score["empty"].isna().all() and t2["empty"].isna().all()
    org = pd.Series(["a", "a", "b"], name="org")
    for kind, data in (("mean", score), ("proportion", t2), ("proportion", top2(v))):
        s = group_summary(data, [org], kind=kind, confidence=0.95)
        assert (s.loc[s["item"].isin(["empty", "q1", "q2"]), "n"] == 0).all()
        assert s.loc[s["n"] == 0, ["value", "sd", "ci_low", "ci_high"]].isna().all().all()
        loo = leave_one_out(s, kind=kind, confidence=0.95)
        pooled = pool_summaries(s, [], kind=kind, confidence=0.95)
        assert pooled.loc[pooled["n"] == 0, "value"].isna().all()
        res = compare_summaries(s, loo, kind=kind)
        flags = flag(holm(res["p"], groups=s["org"]), res["diff"], alpha=0.05, min_effect=0.05)
        assert (flags[(s["n"] == 0).to_numpy()] == "not tested").all()
    rel = alpha_by_domain(v, {"empty": ["q1", "q2"]}, confidence=0.95, min_n=3)
    assert np.isnan(rel["alpha"]).all()
    drv = driver_analysis(score, pd.Series([7.0, 8.0, 6.0]), min_n=2)
    assert drv["raw_weight"].isna().all()


def test_weighted_single_respondent_and_zero_weights():
    v = pd.DataFrame({"q": [3.0, 5.0, np.nan]})
    org = pd.Series(["a", "b", "b"], name="org")
    s = group_summary(v, [org], weights=pd.Series([2.0, 0.0, 1.0]), kind="mean", confidence=0.95)
    assert s["n_eff"].tolist() == [1.0, 0.0]
    assert np.isnan(s["sd"]).all() and np.isnan(s["value"].iloc[1])


def test_poststrat_without_any_headcount():
    resp = pd.DataFrame({"org": ["a", "a"], "unit": ["x", "y"]})
    hc = pd.DataFrame({"org": pd.Series([], dtype=object), "unit": pd.Series([], dtype=object),
                       "headcount": pd.Series([], dtype=float)})
    assert poststrat_weights(resp, hc, min_n=10).tolist() == [1.0, 1.0]


def test_ordinary_use_emits_no_warning():
    rng = np.random.default_rng(4)
    raw = pd.DataFrame(rng.integers(1, 6, size=(300, 4)), columns=list("abcd")).astype("Int8")
    raw.iloc[::7, 1] = 9
    v = valid_codes(raw, nvt_code=9)
    score, t2 = domain_scores(v, {"x": ["a", "b"], "y": ["c", "d"]}, min_items_share=0.5)
    org = pd.Series(rng.choice(list("pqr"), 300), name="org")
    w = pd.Series(rng.uniform(0.5, 2, 300))
    for kind, data in (("mean", score), ("proportion", t2)):
        s = group_summary(data, [org], weights=w, kind=kind, confidence=0.95)
        res = compare_summaries(s, leave_one_out(s, kind=kind, confidence=0.95), kind=kind)
        flag(holm(res["p"], groups=s["org"]), res["diff"], alpha=0.05, min_effect=0.05, practical=res["practical"])
    assert alpha_by_domain(v, {"x": ["a", "b", "c", "d"]}, confidence=0.95, min_n=10)["n"].iloc[0] > 0
    driver_analysis(score, pd.Series(rng.integers(1, 11, 300).astype(float)), min_n=30)
