"""Flags: significance AND practical relevance; not tested when p is missing."""

import numpy as np
import pytest

from ikto_lib.stats import HIGHER, LOWER, NO_DIFFERENCE, NOT_TESTED, flag


def test_flag_top2_rules():
    p = [0.001, 0.001, 0.001, 0.2, np.nan, 0.049, 0.05]
    diff = [0.08, -0.06, 0.04, 0.30, 0.10, 0.05, 0.10]
    got = flag(p, diff, alpha=0.05, min_effect=0.05)
    assert got.tolist() == [HIGHER, LOWER, NO_DIFFERENCE, NO_DIFFERENCE, NOT_TESTED, HIGHER, NO_DIFFERENCE]


def test_flag_means_use_practical_g():
    # diff on the 1..5 scale, practical = |Hedges g|
    p = [0.001, 0.001, 0.001]
    diff = [0.05, -0.4, 0.3]
    g = [0.25, -0.5, 0.1]
    got = flag(p, diff, alpha=0.05, min_effect=0.2, practical=g)
    assert got.tolist() == [HIGHER, LOWER, NO_DIFFERENCE]
    # zero variance: Welch and g are NaN -> not tested
    assert flag([np.nan], [0.0], alpha=0.05, min_effect=0.2, practical=[np.nan]).tolist() == [NOT_TESTED]
    assert flag([0.01], [0.5], alpha=0.05, min_effect=0.2, practical=[np.nan]).tolist() == [NOT_TESTED]


def test_flag_validation():
    with pytest.raises(ValueError, match="alpha"):
        flag([0.1], [0.1], alpha=5, min_effect=0.05)
    with pytest.raises(ValueError, match="min_effect"):
        flag([0.1], [0.1], alpha=0.05, min_effect=-1)
