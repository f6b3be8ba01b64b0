"""Tables beside the figures (representativeness, grade distribution) reveal no hidden group."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ikto_lib.config import load_settings
from ikto_lib.prepare.extras import response_tables


def _tables(sizes: dict[str, int]):
    units = [u for u, k in sizes.items() for _ in range(k)]
    responses = pd.DataFrame({"org": "A", "unit": units})
    headcount = pd.DataFrame({"org": "A", "unit": list(sizes), "headcount": [60, 40, 20, 20]})
    return response_tables(responses, headcount, ["A"], ["unit"], load_settings())


def test_representativeness_does_not_give_away_hidden_counts():
    """Units of 4 and 7 are hidden (11 together); how those 11 split may not change the test."""
    resp, rep = _tables({"U1": 30, "U2": 20, "U3": 4, "U4": 7})
    assert resp.loc[resp["category"].isin(["U3", "U4"]), "respondents"].isna().all()
    _, rep2 = _tables({"U1": 30, "U2": 20, "U3": 6, "U4": 5})
    assert rep["chi2"].iat[0] == rep2["chi2"].iat[0]
    # by hand: shown units apart, the hidden ones together (observed 30, 20, 11 vs headcount 60, 40, 40)
    expected = np.array([60, 40, 40]) / 140 * 61
    chi2, p = stats.chisquare([30, 20, 11], expected)
    assert abs(rep["chi2"].iat[0] - chi2) < 1e-9
    assert rep["dof"].iat[0] == 2 and abs(rep["p"].iat[0] - p) < 1e-12
    assert rep["n_categories"].iat[0] == 3
    # nothing hidden: every unit is its own group
    _, rep3 = _tables({"U1": 30, "U2": 20, "U3": 12, "U4": 11})
    assert rep3["dof"].iat[0] == 3
