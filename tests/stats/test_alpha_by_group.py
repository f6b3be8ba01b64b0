"""The vectorised per-group Cronbach's alpha equals pingouin on each group's raw data."""

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from ikto_lib.stats.reliability import alpha_by_group


def test_alpha_by_group_matches_pingouin_per_group():
    rng = np.random.default_rng(7)
    n = 300
    latent = rng.normal(size=n)
    v = pd.DataFrame({f"q{i}": np.clip(np.round(3 + latent + rng.normal(scale=0.8, size=n)), 1, 5) for i in range(4)})
    v = v.mask(rng.random(v.shape) < 0.08)
    groups = pd.Series(rng.choice(["A", "B", "C"], size=n))
    got = alpha_by_group(v, groups, {"d": list(v.columns)}, confidence=0.95, min_n=5).set_index("group")
    for g in ["A", "B", "C"]:
        complete = v[groups == g].dropna()
        # pingouin: cronbach_alpha(data=complete, ci=.95) on the group's complete rows
        alpha, ci = pg.cronbach_alpha(data=complete, ci=0.95)
        assert got.loc[g, "alpha"] == pytest.approx(alpha, abs=1e-12)
        assert got.loc[g, "n"] == len(complete)
        assert got.loc[g, "ci_low"] == pytest.approx(ci[0], abs=5e-4)  # pingouin rounds to 3 decimals
        assert got.loc[g, "ci_high"] == pytest.approx(ci[1], abs=5e-4)


def test_alpha_by_group_leaves_out_small_groups_and_zero_variance():
    v = pd.DataFrame({"a": [3.0] * 6, "b": [3.0] * 6})
    res = alpha_by_group(v, pd.Series(list("xxxxxy")), {"d": ["a", "b"]}, confidence=0.95, min_n=3)
    assert res["group"].tolist() == ["x"]  # y has 1 complete row < min_n
    assert np.isnan(res["alpha"].iloc[0])  # identical answers: no variance, no alpha
