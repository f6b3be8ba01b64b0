"""Coding: valid codes, boxes, domain scores (hand computations written out)."""

import numpy as np
import pandas as pd
import pytest

from ikto_lib.stats import bottom2, domain_scores, grade_pass, top2, valid_codes


def _raw():
    return pd.DataFrame(
        {
            "q1": pd.array([1, 2, 9, None, 5], dtype="Int8"),
            "q2": pd.array([4, 9, 9, 3, 5], dtype="Int8"),
            "q3": pd.array([None, 9, 9, 2, 4], dtype="Int8"),
        },
        index=[10, 11, 12, 13, 14],
    )


def test_valid_codes_nvt_and_missing_to_nan():
    v = valid_codes(_raw(), nvt_code=9)
    assert v.dtypes.eq(np.float64).all()
    assert v.index.tolist() == [10, 11, 12, 13, 14]
    np.testing.assert_array_equal(v["q1"], [1.0, 2.0, np.nan, np.nan, 5.0])
    np.testing.assert_array_equal(v["q2"], [4.0, np.nan, np.nan, 3.0, 5.0])


def test_valid_codes_rejects_codes_off_the_scale():
    raw = pd.DataFrame({"q1": pd.array([1, 7, 9], dtype="Int8")})
    with pytest.raises(ValueError, match="outside the scale"):
        valid_codes(raw, nvt_code=9)
    # a different scale from the instrument makes 7 valid
    assert valid_codes(raw, nvt_code=9, scale=(1, 7))["q1"].tolist()[:2] == [1.0, 7.0]


def test_top2_bottom2():
    v = valid_codes(_raw(), nvt_code=9)
    np.testing.assert_array_equal(top2(v)["q1"], [0.0, 0.0, np.nan, np.nan, 1.0])
    np.testing.assert_array_equal(bottom2(v)["q1"], [1.0, 1.0, np.nan, np.nan, 0.0])
    np.testing.assert_array_equal(top2(v["q3"]), [np.nan, np.nan, np.nan, 0.0, 1.0])
    np.testing.assert_array_equal(top2(v, top=(5,))["q2"], [0.0, np.nan, np.nan, 0.0, 1.0])


def test_domain_scores_hand_computed():
    # respondent 10: q1=1, q2=4, q3=NA -> 2 of 3 answered (>= 0.5 * 3): mean (1+4)/2 = 2.5, top2 1/2
    # respondent 11: q1=2 only -> 1 of 3 < 1.5: missing
    # respondent 12: nothing answered: missing
    # respondent 13: q2=3, q3=2 -> mean 2.5, top2 0/2 = 0
    # respondent 14: 5, 5, 4 -> mean 14/3, top2 3/3
    v = valid_codes(_raw(), nvt_code=9)
    score, t2 = domain_scores(v, {"d": ["q1", "q2", "q3"], "e": ["q2"]}, min_items_share=0.5)
    np.testing.assert_allclose(score["d"], [2.5, np.nan, np.nan, 2.5, 14 / 3])
    np.testing.assert_allclose(t2["d"], [0.5, np.nan, np.nan, 0.0, 1.0])
    np.testing.assert_allclose(score["e"], [4.0, np.nan, np.nan, 3.0, 5.0])
    assert list(score.columns) == ["d", "e"]
    # share 1.0: all items needed
    score_all, _ = domain_scores(v, {"d": ["q1", "q2", "q3"]}, min_items_share=1.0)
    np.testing.assert_allclose(score_all["d"], [np.nan, np.nan, np.nan, np.nan, 14 / 3])


def test_domain_scores_exact_half_counts():
    # 4 items, 2 answered = exactly 0.5 of them: counts
    v = pd.DataFrame({"a": [5.0], "b": [3.0], "c": [np.nan], "d": [np.nan]})
    score, t2 = domain_scores(v, {"x": ["a", "b", "c", "d"]}, min_items_share=0.5)
    assert score.iloc[0, 0] == 4.0 and t2.iloc[0, 0] == 0.5


def test_domain_scores_bad_input():
    v = pd.DataFrame({"a": [1.0]})
    with pytest.raises(ValueError, match="not in values"):
        domain_scores(v, {"x": ["a", "zz"]}, min_items_share=0.5)
    with pytest.raises(ValueError, match="no items"):
        domain_scores(v, {"x": []}, min_items_share=0.5)
    with pytest.raises(ValueError, match="min_items_share"):
        domain_scores(v, {"x": ["a"]}, min_items_share=0)


def test_grade_pass():
    g = pd.Series([1, 5, 6, 10, None], dtype="Int8", name="grade")
    np.testing.assert_array_equal(grade_pass(g, 6), [0.0, 0.0, 1.0, 1.0, np.nan])
    np.testing.assert_array_equal(grade_pass(np.array([5.5, 6.0]), 6), [0.0, 1.0])
