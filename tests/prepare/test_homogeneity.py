"""Rule 3 of the suppression (docs/anonymity.md): the hidden answers of a share row are never all
positive or all non-positive, else the total minus the shown siblings pins every hidden group's
share at 100% (or 0%). Checked with the audit's attack (ikto_lib.attack) on the prepared tables,
end to end on waves with tiny units side by side."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ikto_lib.attack import attack_outputs, attack_tables
from ikto_lib.config import load_settings
from ikto_lib.prepare import compute, prepare
from ikto_lib.prepare.anonymity import family_pattern
from ikto_lib.validate import load_wave
from tests.smallwave import read_table, write_small_wave, write_table

from .handwave import X, hand_wave

MIN_N = 10


def test_a_homogeneous_hidden_set_grows():
    # q1: the hidden b and c (3 + 12 answers) are all positive, the shown a and d are mixed
    f = pd.DataFrame({"org": "A", "unit": list("abcd"), "q": "q1", "n": [40, 12, 3, 30],
                      "pos": [20.0, 12.0, 3.0, 10.0]})
    plain = family_pattern(f, family=["org"], member="unit", row=["q"], min_n=MIN_N)
    assert plain.tolist() == [False, True, True, False]
    grown = family_pattern(f, family=["org"], member="unit", row=["q"], min_n=MIN_N, pos_col="pos")
    assert grown.tolist() == [False, True, True, True]  # d (30) joins: 25 of 45 positive
    # none positive is the same; one positive among them is enough
    assert family_pattern(f.assign(pos=[20.0, 0, 0, 10]), family=["org"], member="unit", row=["q"],
                          min_n=MIN_N, pos_col="pos").tolist() == [False, True, True, True]
    assert family_pattern(f.assign(pos=[20.0, 1, 0, 10]), family=["org"], member="unit", row=["q"],
                          min_n=MIN_N, pos_col="pos").tolist() == [False, True, True, False]
    # a total that is itself 100% positive tells nothing new: nothing grows
    assert family_pattern(f.assign(pos=f["n"]), family=["org"], member="unit", row=["q"], min_n=MIN_N,
                          pos_col="pos").tolist() == [False, True, True, False]
    # rows that are no share (NaN) and an empty hidden row never grow the set
    assert family_pattern(f.assign(pos=np.nan), family=["org"], member="unit", row=["q"], min_n=MIN_N,
                          pos_col="pos").tolist() == [False, True, True, False]


@pytest.mark.parametrize("weighting", [False, True])
def test_hand_wave_hidden_units_all_positive(weighting):
    """Org X: U3 (4) is hidden and U2 (10) beside it; every U2 and U3 answer on a1 is a 5. Before,
    X's a1 value minus U1's gave 100% for U2 and U3 (with weights: from the one "other" cell)."""
    x = dict(X)
    x["a1"] = X["a1"][:16] + [5] * 14
    wave = hand_wave(x=x)
    settings = load_settings().replace(min_n=MIN_N, weighting=weighting)
    tables = compute(wave, None, settings)
    res = attack_tables(tables, min_n=MIN_N)
    assert res.findings.empty, res.findings.to_string()
    units = tables["results"]
    units = units[(units["org"] == "X") & (units["unit"] != "") & (units["measure"] == "respondents")]
    assert (units["flag"] == "suppressed").all()  # U1 joined the hidden units


def test_hidden_categories_all_positive(tmp_path):
    """The same within a background variable: the respondents who left their age empty and the
    smallest age group (hidden together) all answered ict_helpful positively."""
    folder = write_small_wave(tmp_path / "w", n_per_unit=(100, 100))
    df = read_table(folder, "responses")
    first = df.groupby("org").cumcount().to_numpy() < 6  # 6 respondents per organisation gave no age
    df["age_group"] = np.where(first, "", df["age_group"].replace("", "<35"))
    sizes = df[df["age_group"] != ""].groupby(["org", "age_group"]).size()
    smallest = sizes.groupby(level="org").idxmin().map(lambda k: k[1])
    chosen = (df["age_group"] == "") | (df["age_group"] == df["org"].map(smallest))
    df.loc[chosen.to_numpy(), "ict_helpful"] = "5"
    write_table(folder, "responses", df)
    settings = load_settings().replace(min_n=MIN_N, weighting=False)
    tables = compute(load_wave(folder), None, settings)
    assert attack_tables(tables, min_n=MIN_N).findings.empty
    res = tables["results"]
    counts = res[(res["breakdown"] == "age_group") & (res["measure"] == "respondents")]
    hidden = counts[counts["flag"] == "suppressed"].groupby("org").size()
    assert (hidden >= 3).all()  # a third (mixed) group joined the empty one and the smallest


SIDE_BY_SIDE = {"3 and 2": (3, 2, 40, 50), "one of 7": (7, 30, 40), "9 beside 10": (9, 10, 30)}


@pytest.mark.parametrize("case", list(SIDE_BY_SIDE))
def test_tiny_units_side_by_side_audited_clean_end_to_end(case, tmp_path):
    """Prepared tables written to disk, attacked from the files: nothing pinned. The hidden small
    units answer every item of one domain positively (a unit of a few people often agrees)."""
    folder = write_small_wave(tmp_path / "w", n_per_unit=SIDE_BY_SIDE[case])
    df = read_table(folder, "responses")
    small = df["unit"].isin(["Bestuursondersteuning", "Beleid"]).to_numpy()
    wave0 = load_wave(folder)
    items = [i.id for i in wave0.instrument.items if i.domain == wave0.instrument.domain_ids[0]]
    for item in items:
        df.loc[small, item] = "5"
    write_table(folder, "responses", df)
    settings = load_settings().replace(min_n=MIN_N)
    prepare(load_wave(folder), None, settings, tmp_path / "out" / "w" / "prepared")
    res = attack_outputs(tmp_path / "out", settings)
    assert res.summary["checked"] > 0
    assert res.findings.empty, res.findings.to_string()
