"""Published precision (methods, "Anonymity"): shares to 0.1 percentage point, means to 0.01,
no effective n in anything distributed; prepared/ keeps full precision and says it is internal."""

from __future__ import annotations

import dataclasses
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from ikto_lib.publish import Published, for_publication, publish_table


def decimals_at_most(values, places: int) -> bool:
    v = pd.to_numeric(pd.Series(values), errors="coerce").dropna().to_numpy(dtype=float)
    return bool(np.allclose(v, np.round(v, places), rtol=0, atol=1e-12))


def test_for_publication_rounds_shares_means_and_drops_internal_columns():
    f = pd.DataFrame({"value": [0.823456, 7.23456], "ci_low": [0.8012, 7.0123], "n_eff": [40.2, 41.7],
                      "sd": [0.3, 1.2], "r": [0.31234, 0.5], "label": ["a", "b"], "n": [41, 42]})
    out = for_publication(f, shares=["value", "ci_low"], row_is_mean=[False, True],
                          settings={"share_decimals": 3, "mean_decimals": 2})
    assert list(out.columns) == ["value", "ci_low", "r", "label", "n"]
    assert out["value"].tolist() == [0.823, 7.23] and out["ci_low"].tolist() == [0.801, 7.01]
    assert out["r"].tolist() == [0.31, 0.5] and out["n"].tolist() == [41, 42]


def test_for_publication_leaves_text_and_flags_in_mixed_columns():
    f = pd.DataFrame({"key": ["org", "weighted", "response_rate"], "value": ["MINBZK", True, 0.7234567]})
    out = for_publication(f, shares=["value"])
    assert out["value"].tolist() == ["MINBZK", True, 0.723]


def test_results_rounded_per_measure(demo_prepared):
    full = pd.read_parquet(demo_prepared / "results.parquet")
    pub = Published(demo_prepared).results
    assert {"n_eff", "sd", "p", "p_adj", "effect_size"}.isdisjoint(pub.columns)
    means = pub["measure"].isin(["mean", "grade_mean"])
    for c in ("value", "ci_low", "ci_high", "ref_value", "diff"):
        assert decimals_at_most(pub.loc[~means, c], 3), c
        assert decimals_at_most(pub.loc[means, c], 2), c
    assert not decimals_at_most(full["ci_low"], 6)  # prepared/ itself keeps full precision
    assert (demo_prepared / "NOT_FOR_DISTRIBUTION.txt").is_file()
    for name in ("organisations", "response", "pluim_shares", "ranking", "priorities", "drivers"):
        t = publish_table(name, pd.read_parquet(demo_prepared / f"{name}.parquet"))
        for c in t.select_dtypes("float").columns:
            assert decimals_at_most(t[c], 3), (name, c)


def test_report_data_and_workbook_are_rounded(demo_prepared):
    """What a report draws (its charts' data) and writes to Excel holds rounded numbers only:
    an interval at full precision gives the effective n and so the weighting cells away."""
    from ikto_lib.batch.excel import workbook_bytes
    from ikto_lib.report import data
    from ikto_lib.report.config import report_config
    from ikto_lib.report.excel import excel_tables

    org = "MINBZK"
    cfg = report_config(org, prepared=demo_prepared)
    for frame in (data.overall(cfg), data.domains(cfg), data.items(cfg), data.units(cfg), data.pluim_shares(cfg)):
        for c in frame.select_dtypes("float").columns:
            assert decimals_at_most(frame[c], 3), c
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(excel_tables(demo_prepared, org))))
    numbers = [cell.value for ws in book for row in ws.iter_rows(min_row=2) for cell in row
               if isinstance(cell.value, float)]
    assert numbers and decimals_at_most(numbers, 3)
    heads = {str(c.value) for ws in book for c in ws[1]}
    assert not {"n_eff", "sd"} & heads


def test_index_figures_are_rounded(demo_prepared):
    from ikto_lib.batch.index import key_figures
    from ikto_lib.prepared import Prepared

    prep = Prepared(demo_prepared)
    k = key_figures(prep.organisations, prep.results)
    assert decimals_at_most(k["top2"], 3) and decimals_at_most(k["response_rate"], 3)
    assert decimals_at_most(k["grade"], 2)
    assert not decimals_at_most(prep.organisations["response_rate"], 3)


def test_units_nobody_answered_from_are_listed_like_the_hidden_ones(tmp_path):
    """The list of units without figures names hidden units and units without respondents
    alike (listing only the first would tell that they have at least one respondent)."""
    from ikto_lib.config import load_settings
    from ikto_lib.prepare import prepare
    from ikto_lib.report import sections
    from ikto_lib.report.config import report_config
    from tests.prepare.handwave import hand_wave

    wave = hand_wave()
    extra = pd.DataFrame({"org": ["X", "Y"], "unit": ["U4", "Y3"], "headcount": [8, 8]})
    wave = dataclasses.replace(wave, headcount=pd.concat([wave.headcount, extra], ignore_index=True))
    out = prepare(wave, None, load_settings().replace(min_n=10), tmp_path / "prepared")
    x = sections.units(report_config("X", prepared=out)).html
    assert "Zonder getoonde cijfers" in x and "U2, U3 en U4" in x
    y = sections.units(report_config("Y", prepared=out)).html
    assert "Y3" in y


@pytest.mark.parametrize("name", ["results", "pluim_shares"])
def test_published_reader_caches_rounded_tables(demo_prepared, name):
    p = Published(demo_prepared)
    assert p.table(name) is p.table(name)


def test_importance_intervals_are_rounded_as_shares():
    """The priority matrix's importance interval and median are shares (0.1 point), like the
    importance itself, not means (0.01)."""
    f = pd.DataFrame({"org": ["A"], "domain": ["ict"], "performance": [0.012345], "importance": [0.123456],
                      "importance_low": [0.101234], "importance_high": [0.154321], "median_importance": [0.111111],
                      "quadrant": ["geen verschil"], "flag": ["no difference"], "previous_flag": [""]})
    out = publish_table("priorities", f, settings={"share_decimals": 3, "mean_decimals": 2})
    assert out[["importance", "importance_low", "importance_high", "median_importance"]].iloc[0].tolist() == \
        [0.123, 0.101, 0.154, 0.111]
    d = pd.DataFrame({"org": ["A"], "domain": ["ict"], "share": [0.123456], "share_low": [0.101234],
                      "share_high": [0.154321]})
    out = publish_table("drivers", d, settings={"share_decimals": 3, "mean_decimals": 2})
    assert out[["share", "share_low", "share_high"]].iloc[0].tolist() == [0.123, 0.101, 0.154]
