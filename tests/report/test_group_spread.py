"""The group report's frames (no HTML): spread over organisations per domain and item,
group-wide key figures, best practices with type and size class; and their sections."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from ikto_lib.report import group
from ikto_lib.report.group_spread import best_frame, key_figures, size_classes, spread_frame


@pytest.fixture(scope="module")
def cfg(small_prepared):
    return group.group_config(prepared=small_prepared)


def test_spread_is_the_quantiles_of_the_shown_organisations(cfg):
    s = spread_frame(cfg)
    r = cfg.data.results
    o = cfg.data.organisations
    dom = cfg.instrument.scored_domain_ids[0]
    rows = r[(r["org"].isin(o.loc[o["eligible"], "org"])) & (r["unit"] == "") & (r["breakdown"] == "")
             & (r["comparison"] == "") & (r["measure"] == "top2") & (r["domain"] == dom) & (r["item"] == "")
             & (r["flag"] != "suppressed")]
    want = np.percentile(rows["value"].dropna(), [25, 50, 75])
    got = s[(s["domain"] == dom) & (s["item"] == "")][["p25", "median", "p75"]].to_numpy()[0]
    assert np.allclose(got, want)
    assert (s["p25"] <= s["median"]).all() and (s["median"] <= s["p75"]).all()
    assert s["item"].iloc[0] == "" and s["domain"].iloc[0] == dom  # domain first, then its items
    assert set(s.loc[s["item"] != "", "item"]) <= {i.id for i in cfg.instrument.items}
    assert (s["n_orgs"] <= o["eligible"].sum()).all()


def test_key_figures_group_wide(cfg):
    k = key_figures(cfg)
    o = cfg.data.organisations
    assert k["orgs"] == o["eligible"].sum()
    assert 0 < k["response_rate"] <= 1 and 0 < k["top2"] < 1
    assert 1 <= k["grade"] <= 10


def test_best_practices_with_type_and_size_in_a_stable_order(cfg):
    b = best_frame(cfg)
    assert len(b) and set(b["size"].dropna()) <= {"small", "medium", "large"}
    assert b["type"].dropna().isin(cfg.shown_types).all()
    assert (b["label"] == b["org"].map(cfg.labels)).all()
    for _, g in b.groupby("domain", sort=False):
        assert g["value"].is_monotonic_decreasing
    assert best_frame(cfg).equals(b)  # stable
    sizes = size_classes(cfg)
    hc = cfg.data.organisations.set_index("org")["headcount"]
    small, large = hc[sizes[sizes == "small"].index], hc[sizes[sizes == "large"].index]
    assert small.max() <= large.min()


def test_sections_render_summary_spread_best(cfg):
    for sec in (group.summary, group.spread, group.best):
        html = sec(cfg).html
        soup = BeautifulSoup(html, "html.parser")
        assert soup.find("h2") and not re.search(r"\bnan\b|None", soup.get_text())
    soup = BeautifulSoup(group.spread(cfg).html, "html.parser")
    heads = [th.get_text() for th in soup.select("thead th")]
    assert "Mediaan" in heads and any("hoogste kwart" in h for h in heads)
    grades = BeautifulSoup(group.grades(cfg).html, "html.parser")
    assert any("interval" in th.get_text() for th in grades.select("thead th"))
    assert " tot " in grades.select_one("tbody").get_text()
