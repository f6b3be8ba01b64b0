"""Reliability table: wave and organisation rows from one computation, checked against pingouin."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

from ikto_lib.config import load_settings
from ikto_lib.prepare.extras import reliability


def test_wave_and_organisation_alpha_match_pingouin():
    rng = np.random.default_rng(3)
    n = 300
    latent = rng.normal(size=n)
    values = pd.DataFrame({f"q{i}": np.clip(np.round(3 + latent + rng.normal(0, 0.8, n)), 1, 5) for i in range(4)})
    values = values.mask(rng.random(values.shape) < 0.1)
    org = pd.Series(np.where(np.arange(n) < 200, "A", "B"))
    settings = load_settings().replace(reliability_min_n=30)
    rel = reliability(values, org, {"d": ["q0", "q1", "q2", "q3"], "tiny": ["q0"]}, settings).set_index(["org", "domain"])
    for who, rows in (("", slice(None)), ("A", slice(0, 200)), ("B", slice(200, n))):
        alpha, _ = pg.cronbach_alpha(data=values.iloc[rows], nan_policy="listwise", ci=settings.confidence)
        got = rel.loc[(who, "d")]
        assert got["alpha"] == pytest.approx(alpha, rel=1e-10)
        # Feldt's interval on the complete rows (pingouin's own uses n before its listwise deletion)
        m = int(values.iloc[rows].notna().all(axis=1).sum())
        assert got["n"] == m
        q = (1 - settings.confidence) / 2
        low = 1 - (1 - alpha) * stats.f.isf(q, m - 1, (m - 1) * 3)
        high = 1 - (1 - alpha) * stats.f.isf(1 - q, m - 1, (m - 1) * 3)
        assert (got["ci_low"], got["ci_high"]) == pytest.approx((low, high), rel=1e-10)
    # the wave keeps every domain (a one-item domain has no alpha); organisations only where computable
    assert np.isnan(rel.loc[("", "tiny"), "alpha"]) and ("A", "tiny") not in rel.index
