"""The demo generator: deterministic, in the contract's format, realistic, with planted effects.

One small generation (3,000 respondents) per module; every test reads its files with pandas.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ikto_lib import demo
from ikto_lib.config import load_instrument
from ikto_lib.demo import PLANTED, generate, simulate
from ikto_lib.demo.catalogue import MIN_ORGS, select_organisations

SEED, N = 2015, 3000
TYPES = {"ministerie", "provincie", "waterschap", "zbo", "gemeente"}


def _read(folder: Path, name: str) -> pd.DataFrame:
    """Read a wave table as written: ``;`` + BOM + decimal comma (2013) or plain CSV (2015)."""
    path = folder / f"{name}.csv"
    excel = path.read_bytes().startswith(b"\xef\xbb\xbf")
    return pd.read_csv(path, sep=";" if excel else ",", decimal="," if excel else ".",
                       encoding="utf-8-sig", keep_default_na=False, na_values=[""],
                       dtype={"org": str, "unit": str, "pluim_target": str, "pluim_text": str})


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    folders = generate(root, seed=SEED, respondents=N)
    assert folders == [root / "2013", root / "2015"]
    return root


@pytest.fixture(scope="module")
def waves(out) -> dict[str, dict[str, pd.DataFrame]]:
    return {w: {t: _read(out / w, t) for t in ("responses", "headcount", "organisations")}
            for w in ("2013", "2015")}


@pytest.fixture(scope="module")
def instruments(out):
    return {"2013": load_instrument(out / "2013" / "instrument.yml"), "2015": load_instrument()}


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _top2(frame: pd.DataFrame, items: list[str]) -> float:
    vals = frame[items].to_numpy(dtype=float)
    valid = (vals >= 1) & (vals <= 5)
    return (valid & (vals >= 4)).sum() / valid.sum()


def test_same_seed_same_bytes_other_seed_other_data(out, tmp_path):
    again = tmp_path / "again"
    generate(again, seed=SEED, respondents=N)
    first, second = _files(out), _files(again)
    assert sorted(first) == sorted(second)
    assert all(first[k] == second[k] for k in first)
    other = tmp_path / "other"
    generate(other, seed=SEED + 1, respondents=N)
    assert _files(other)["2015/responses.csv"] != first["2015/responses.csv"]


def test_files_and_formats(out):
    assert {p.name for p in out.iterdir()} == {"2013", "2015", "README.md"}
    assert {p.name for p in (out / "2015").iterdir()} == {
        "responses.csv", "headcount.csv", "organisations.csv"}
    assert (out / "2013" / "instrument.yml").is_file()
    raw13 = (out / "2013" / "responses.csv").read_bytes()
    raw15 = (out / "2015" / "responses.csv").read_bytes()
    assert raw13.startswith(b"\xef\xbb\xbfrespondent_id;org;unit;")
    assert raw15.startswith(b"respondent_id,org,unit,")
    head13 = (out / "2013" / "headcount.csv").read_text(encoding="utf-8-sig").splitlines()
    assert head13[0] == "org;unit;age_group;headcount"
    assert all(re.fullmatch(r".*;\d+,0", line) for line in head13[1:])


def test_sizes_shapes_and_ids(waves, instruments):
    r15, r13 = waves["2015"]["responses"], waves["2013"]["responses"]
    assert abs(len(r15) - N) / N < 0.05
    assert 0.8 < len(r13) / len(r15) < 1.0
    for wave, r in (("2013", r13), ("2015", r15)):
        inst = instruments[wave]
        expected = (["respondent_id", "org", "unit", "age_group", "gender", "tenure"]
                    + inst.item_ids + ["grade", "pluim_target", "pluim_text"])
        assert list(r.columns) == expected
        assert r["respondent_id"].is_unique
        assert r["respondent_id"].str.fullmatch(rf"R{wave[2:]}-\d{{6}}").all()
        for b in inst.background:
            assert set(r[b.id]) <= set(b.categories)
        codes = r[inst.item_ids].to_numpy(dtype=float)
        assert set(np.unique(codes[~np.isnan(codes)])) == {1, 2, 3, 4, 5, inst.nvt.code}
        grades = r["grade"].dropna()
        assert grades.between(1, 10).all() and (grades % 1 == 0).all()
        assert 0.01 < r["grade"].isna().mean() < 0.06


def test_all_types_and_organisations_known(waves):
    for w in waves.values():
        orgs = w["organisations"]
        assert set(orgs["type"]) == TYPES
        assert set(w["responses"]["org"]) <= set(orgs["org"])
        assert set(w["headcount"]["org"]) <= set(orgs["org"])
        assert orgs["org"].is_unique and orgs["name"].str.len().min() > 2
    types = waves["2015"]["organisations"].set_index("org")["type"]
    assert set(types[waves["2015"]["responses"]["org"].unique()]) == TYPES
    assert len(waves["2015"]["organisations"]) == 40


def test_small_organisations_and_units(waves):
    r = waves["2015"]["responses"]
    per_org = r["org"].value_counts()
    assert set(PLANTED["tiny_orgs"]["orgs"]) <= set(per_org[per_org < 10].index)
    assert per_org.max() > 5 * per_org.median()  # heavy tail
    per_unit = r.groupby(["org", "unit"]).size()
    assert (per_unit < 10).sum() >= 5
    small = PLANTED["small_unit"]
    for w in waves.values():
        n = (w["responses"]["org"].eq(small["org"]) & w["responses"]["unit"].eq(small["unit"])).sum()
        assert small["respondents"][0] <= n <= small["respondents"][1]
    units = waves["2015"]["headcount"].groupby("org")["unit"].nunique()
    assert units.min() >= 3 and units.max() <= 31


def test_respondents_never_exceed_headcount(waves):
    for w in waves.values():
        n = w["responses"].groupby(["org", "unit", "age_group"]).size().rename("n")
        heads = w["headcount"].set_index(["org", "unit", "age_group"])["headcount"]
        joined = pd.concat([n, heads], axis=1).fillna(0)
        assert len(joined) == len(heads)  # every respondent's cell is in the headcount
        assert (joined["n"] <= joined["headcount"]).all()
        assert (joined["n"] < joined["headcount"]).any()


def test_response_rates_differ_by_unit_and_age(waves):
    w = waves["2015"]
    n = w["responses"].groupby(["org", "unit"]).size()
    heads = w["headcount"].groupby(["org", "unit"])["headcount"].sum()
    rate = (n / heads)[heads >= 20].dropna()
    assert rate.quantile(0.1) < 0.4 and rate.quantile(0.9) > 0.6
    age_n = w["responses"]["age_group"].value_counts()
    age_rate = age_n / w["headcount"].groupby("age_group")["headcount"].sum()
    assert age_rate["<35"] < age_rate["55+"] - 0.1  # younger staff respond less


def test_nvt_share_and_domain_skips(waves, instruments):
    for wave, w in waves.items():
        inst = instruments[wave]
        vals = w["responses"][inst.item_ids].to_numpy(dtype=float)
        nvt = (vals == inst.nvt.code).sum()
        answered = ((vals >= 1) & (vals <= 5)).sum()
        assert 0.05 <= nvt / (nvt + answered) <= 0.15
        items = inst.domain_items(overall=True)
        shown = {d: w["responses"][its].notna().any(axis=1).mean() for d, its in items.items()}
        assert shown["ict"] > 0.85 and shown["financien"] < 0.55 and 0.6 < shown["catering"] < 0.8


def test_2013_instrument_has_only_mapped_items(instruments, waves):
    old, new = instruments["2013"], instruments["2015"]
    mapped = [i.previous_id for i in new.items if i.previous_id]
    assert old.item_ids == mapped
    assert "servicedesk" not in old.domain_ids and "servicedesk" in new.domain_ids
    assert all(i.previous_id is None for i in old.items)
    assert "2013" in old.name["nl"]
    assert not set(new.item_ids) & set(waves["2013"]["responses"].columns)


def test_planted_catering_visible_in_raw_top2(waves, instruments):
    p = PLANTED["catering_low"]
    items15 = instruments["2015"].domain_items(overall=True)[p["domain"]]
    r = waves["2015"]["responses"]
    own = r["org"] == p["org"]
    assert _top2(r[own], items15) < _top2(r[~own], items15) - 0.15
    items13 = instruments["2013"].domain_items(overall=True)[p["domain"]]
    r13 = waves["2013"]["responses"]
    own13 = r13["org"] == p["org"]
    assert abs(_top2(r13[own13], items13) - _top2(r13[~own13], items13)) < 0.10


def test_planted_ict_improvement_visible(waves, instruments):
    p = PLANTED["ict_improved"]
    top = {}
    for wave, w in waves.items():
        items = instruments[wave].domain_items(overall=True)[p["domain"]]
        top[wave] = _top2(w["responses"][w["responses"]["org"] == p["org"]], items)
    assert top["2015"] - top["2013"] > 0.10


def test_no_difference_org_has_weighted_mean_quality():
    sim = simulate(seed=SEED, respondents=N)
    org = PLANTED["no_difference"]["org"]
    for wave in sim.values():
        w = wave.benchmark_weight.drop(org)
        q = wave.quality
        expected = (q.drop(org).mul(w, axis=0).sum() / w.sum())
        assert np.allclose(q.loc[org], expected)
    shared = sim["2013"].quality.columns
    assert np.allclose(sim["2013"].quality.loc[org], sim["2015"].quality.loc[org, shared])
    assert sim["2015"].quality.loc[PLANTED["catering_low"]["org"], "catering"] < \
        sim["2015"].quality["catering"].median() - 0.5


def test_items_correlate_more_within_than_between_domains(waves, instruments):
    inst = instruments["2015"]
    vals = waves["2015"]["responses"][inst.item_ids].astype(float)
    corr = vals.where(vals <= 5).corr().to_numpy()
    dom = np.array([inst.item(i).domain for i in inst.item_ids])
    same = (dom[:, None] == dom[None, :]) & ~np.eye(len(dom), dtype=bool)
    between = dom[:, None] != dom[None, :]
    assert np.nanmean(corr[same]) > np.nanmean(corr[between]) + 0.2


def test_grade_and_top2_realistic(waves, instruments):
    r = waves["2015"]["responses"]
    g = r["grade"].dropna()
    assert 6.6 < g.mean() < 7.4
    assert 0.8 < (g >= 6).mean() < 0.95
    for d, items in instruments["2015"].domain_items(overall=True).items():
        assert 0.45 < _top2(r, items) < 0.9, d


def test_pluimen(waves, instruments):
    r = waves["2015"]["responses"]
    given = r["pluim_target"].notna()
    assert 0.12 < given.mean() < 0.24
    assert (r["pluim_text"].notna() == given).all()
    to_domain = r.loc[given, "pluim_target"].isin(instruments["2015"].domain_ids)
    assert 0.6 < to_domain.mean() < 0.95
    texts = r.loc[given, "pluim_text"]
    email = texts.str.contains(r"[\w.-]+@[\w-]+\.[\w.]+")
    phone = texts.str.contains(r"(?:\+31|\b0)[\d ()-]{8,}\d")
    assert email.sum() >= 1 and phone.sum() >= 3 and (email | phone).sum() >= 8
    assert (email | phone).mean() < 0.12
    assert texts.nunique() > 0.5 * len(texts)


def test_weighting_matters(waves):
    r, heads = waves["2015"]["responses"], waves["2015"]["headcount"]
    resp_share = r["age_group"].value_counts(normalize=True)
    head_share = heads.groupby("age_group")["headcount"].sum() / heads["headcount"].sum()
    assert head_share["<35"] - resp_share["<35"] > 0.02


def test_readme_documents_planted_effects(out):
    text = (out / "README.md").read_text(encoding="utf-8")
    for key in ("catering_low", "ict_improved", "no_difference", "small_unit"):
        assert PLANTED[key]["org"] in text
    assert PLANTED["small_unit"]["unit"] in text
    assert f"seed {SEED}" in text


def test_parquet_above_threshold(tmp_path, monkeypatch):
    (tmp_path / "2015").mkdir()
    (tmp_path / "2015" / "responses.csv").write_text("stale")
    monkeypatch.setattr(demo, "PARQUET_ABOVE", 1000)
    generate(tmp_path, seed=SEED, respondents=1500)  # above the patched threshold
    assert not (tmp_path / "2015" / "responses.csv").exists()
    frame = pd.read_parquet(tmp_path / "2015" / "responses.parquet")
    assert frame["respondent_id"].iloc[0] == "R15-000001"
    assert str(frame["ict_overall"].dtype) == "Int8"


def test_too_few_respondents_refused(tmp_path):
    with pytest.raises(ValueError, match="respondents must be at least"):
        generate(tmp_path, seed=SEED, respondents=demo.MIN_RESPONDENTS - 1)
    assert not any(tmp_path.iterdir())


def test_organisation_selection():
    assert MIN_ORGS == len(select_organisations(MIN_ORGS))
    with pytest.raises(ValueError, match="orgs must be at least"):
        select_organisations(MIN_ORGS - 1)
    planted = {PLANTED[k]["org"] for k in ("catering_low", "ict_improved", "no_difference",
                                          "small_unit")} | set(PLANTED["tiny_orgs"]["orgs"])
    for n in (MIN_ORGS, 15, 40, 75, 130):
        orgs = select_organisations(n)
        codes = [o.code for o in orgs]
        assert len(codes) == n == len(set(codes))
        assert {o.type for o in orgs} == TYPES
        assert planted <= set(codes)
