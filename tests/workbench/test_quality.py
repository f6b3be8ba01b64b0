"""Data-quality tables on a small wave with planted straight-liners, duplicates and empties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ikto_lib import quality
from ikto_lib.config import load_instrument
from ikto_lib.prepare.anonymity import SUPPRESSED
from ikto_lib.validate import load_wave
from tests.smallwave import small_wave_frames, write_table


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    inst = load_instrument()
    frames = small_wave_frames(n_per_unit=(12, 15, 4))
    r = frames["responses"]
    items = inst.item_ids
    ict = inst.domain_items(overall=True)["ict"]
    # R00001: straight 4 across the ict domain only (other domains left as they are)
    r.loc[0, ict] = "4"
    r.loc[0, [i for i in items if i not in ict]] = ""
    r.loc[0, [i for i in items if i not in ict][:6]] = ["1", "2", "3", "5", "1", "2"]
    # R00002: straight 3 across everything
    r.loc[1, items] = "3"
    # R00003 and R00004 (same org): identical answer vectors
    r.loc[3, items + [inst.grade.id]] = r.loc[2, items + [inst.grade.id]].to_numpy()
    # R00006: almost nothing answered (2 items)
    r.loc[5, items] = ""
    r.loc[5, items[:2]] = ["4", "9"]
    folder = tmp_path_factory.mktemp("quality") / "w"
    folder.mkdir()
    for name, df in frames.items():
        write_table(folder, name, df)
    return load_wave(folder)


def test_respondent_flags(planted, settings):
    f = quality.respondent_flags(planted, settings).set_index("respondent_id")
    assert f.loc["R00001", "straight_domains"] >= 1
    assert not f.loc["R00001", "straight_lining"]  # one domain alike is no straight-lining
    assert f.loc["R00002", "straight_lining"]
    assert f.loc["R00002", "straight_domains"] == len(planted.instrument.domain_ids)
    assert f.loc["R00003", "duplicate"] and f.loc["R00004", "duplicate"]
    assert f["duplicate"].sum() == 2
    assert f.loc["R00006", "almost_empty"] and f.loc["R00006", "answered"] == 2
    assert not f.loc["R00006", "duplicate"]
    assert f.loc["R00006", "straight_domains"] == 0  # fewer than 3 answered


def test_straight_lining_needs_the_minimum_of_answered_items(tmp_path, settings):
    inst = load_instrument()
    frames = small_wave_frames()
    r = frames["responses"]
    n = settings.straightline_min_items
    r.loc[0, inst.item_ids] = ""
    r.loc[0, inst.item_ids[:n - 1]] = "5"  # one item short of the minimum: not flagged
    r.loc[1, inst.item_ids] = ""
    r.loc[1, inst.item_ids[:n]] = "5"  # exactly the minimum, all alike: flagged
    r.loc[1, inst.item_ids[n]] = "9"  # n.v.t. does not break the line
    for name, df in frames.items():
        write_table(tmp_path, name, df)
    wave = load_wave(tmp_path)
    f = quality.respondent_flags(wave, settings).set_index("respondent_id")
    assert not f.loc["R00001", "straight_lining"] and f.loc["R00002", "straight_lining"]
    stricter = quality.respondent_flags(wave, settings.replace(straightline_min_items=n + 5))
    assert not stricter["straight_lining"].any()


def test_straight_lining_share_on_the_demo_is_plausible(demo_waves, settings):
    f = quality.respondent_flags(demo_waves[0], settings)
    assert f["straight_lining"].mean() < 0.05  # was 76% when one domain answered alike sufficed
    assert (f["straight_domains"] > 0).mean() > 0.5  # ... which is common and no flag


def test_quality_by_org_counts(planted, settings):
    q = quality.quality_by_org(planted, settings).set_index("org")
    assert q.loc["MINBZK", "respondents"] == 31
    assert q.loc["MINBZK", "duplicate"] == 2
    assert q.loc["MINBZK", "straight_lining"] >= 1
    assert q.loc["MINBZK", "almost_empty"] == 1
    assert quality.suspicious_rows(planted, settings).empty  # ids only on request
    sus = quality.suspicious_rows(planted, settings, show_ids=True)
    assert {"R00002", "R00003", "R00004", "R00006"} <= set(sus["respondent_id"])
    assert "R00001" not in set(sus["respondent_id"])


def test_ids_never_listed_for_groups_under_the_threshold(planted, settings, tmp_path):
    frames = small_wave_frames(n_per_unit=(12, 15, 4))
    r = frames["responses"]
    sizes = r.groupby(["org", "unit"])["respondent_id"].transform("size")
    r.loc[(sizes < settings.min_n).to_numpy(), load_instrument().item_ids] = "3"  # straight-liners in small units
    r.loc[0, load_instrument().item_ids] = "3"  # and one in a unit of 12
    for name, df in frames.items():
        write_table(tmp_path, name, df)
    wave = load_wave(tmp_path)
    f = quality.respondent_flags(wave, settings)
    sus = quality.suspicious_rows(wave, settings, f, show_ids=True)
    assert f["respondent_id"].iat[0] in set(sus["respondent_id"])
    unit_n = f.groupby(["org", "unit"]).size()
    small_units = set(unit_n[unit_n < settings.min_n].index)
    in_small = np.array([k in small_units for k in zip(f["org"], f["unit"])], dtype=bool)
    flagged_small = f[f[list(quality.FLAGS)].any(axis=1).to_numpy() & in_small]
    assert len(flagged_small)  # the planted wave has flagged respondents in a unit of 4
    assert not set(flagged_small["respondent_id"]) & set(sus["respondent_id"])
    tables = quality.quality_tables(planted, settings)
    assert "suspicious_rows" not in tables
    assert "suspicious_rows" in quality.quality_tables(planted, settings, show_ids=True)


def test_small_org_suppressed(tmp_path, settings):
    frames = small_wave_frames(n_per_unit=(3, 2))
    for name, df in frames.items():
        write_table(tmp_path, name, df)
    wave = load_wave(tmp_path)
    q = quality.quality_by_org(wave, settings)
    assert (q["flag"] == SUPPRESSED).all() and q["respondents"].isna().all()
    o = quality.response_by_org(wave, settings)
    assert o["respondents"].isna().all() and o["headcount"].notna().all()
    u = quality.response_by_unit(wave, settings)
    assert u["respondents"].isna().all()


def test_response_by_unit_complementary(planted, settings):
    u = quality.response_by_unit(planted, settings)
    m = u[u["org"] == "MINBZK"].set_index("unit")
    # units of 12, 15 and 4: the 4 is suppressed, and the next smallest (12) with it
    assert m.loc["Uitvoering", "flag"] == SUPPRESSED
    assert m.loc["Bestuursondersteuning", "flag"] == SUPPRESSED
    assert m.loc["Beleid", "respondents"] == 15
    assert (u["headcount"] > 0).all()


def test_nonresponse_tables(planted):
    it = quality.nonresponse_by_item(planted)
    raw = planted.responses[planted.item_columns].to_numpy(dtype=float, na_value=np.nan)
    assert (it["skipped"].to_numpy() == np.isnan(raw).sum(axis=0)).all()
    assert (it["nvt"].to_numpy() == (raw == planted.nvt_code).sum(axis=0)).all()
    assert it["nvt_share"].between(0, 1).all() and it["skip_share"].between(0, 1).all()
    d = quality.nonresponse_by_domain(planted)
    assert set(d["domain"]) == set(planted.instrument.domain_ids)
    assert d["skipped_domain_share"].between(0, 1).all()


def test_grade_and_representativeness(planted, settings):
    g = quality.grade_distribution(planted)
    assert g["n"].sum() == len(planted.responses)
    assert g["share"].sum() == pytest.approx(1.0)
    rep = quality.representativeness(planted, settings)
    assert set(rep["org"]) == {"MINBZK", "PRVUT", "WSHDN"}
    assert rep["p"].between(0, 1).all()
    tables = quality.quality_tables(planted, settings)
    assert all(isinstance(t, pd.DataFrame) for t in tables.values())


def test_quality_on_demo(demo_waves, settings):
    wave, _ = demo_waves
    tables = quality.quality_tables(wave, settings)
    u = tables["response_by_unit"]
    shown = u[u["flag"] == ""]
    assert ((shown["respondents"] >= settings.min_n) | (shown["respondents"] == 0)).all()
    assert len(tables["representativeness"]) > 0
