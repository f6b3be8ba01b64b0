"""Fieldwork exports in: a labelled SPSS file (user-missing codes, value labels checked against the
instrument, case numbers in messages), an Excel workbook, and an instrument drafted from the SPSS
labels that validates and prepares."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

pyreadstat = pytest.importorskip("pyreadstat")

from ikto_lib.cli import main  # noqa: E402
from ikto_lib.config import load_instrument  # noqa: E402
from ikto_lib.draft import draft_instrument  # noqa: E402
from ikto_lib.validate import load_wave, validate_wave  # noqa: E402

AGREE = {1.0: "Helemaal oneens", 2.0: "Oneens", 3.0: "Neutraal", 4.0: "Eens", 5.0: "Helemaal eens",
         8.0: "Weet niet", 9.0: "N.v.t."}
ITEMS = ["werk_inhoud", "werk_druk", "leid_steun", "leid_feedback"]


def write_sav(folder, n=60, *, bad_label=False, seed=1):
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    df = pd.DataFrame({"respondent_id": [f"R{i:03d}" for i in range(n)], "org": ["A"] * (n // 2) + ["B"] * (n - n // 2),
                       "unit": ["u1", "u2"] * (n // 2)})
    for item in ITEMS:
        df[item] = rng.choice([1.0, 2.0, 3.0, 4.0, 5.0, 8.0, 9.0], size=n, p=[.1, .1, .2, .3, .2, .05, .05])
    df["terug"] = rng.choice([1.0, 2.0], size=n)
    df["geslacht"] = rng.choice([1.0, 2.0], size=n)
    labels = {i: dict(AGREE) for i in ITEMS}
    if bad_label:
        labels["werk_inhoud"][7.0] = "Geen antwoord"
    labels["terug"] = {1.0: "Ja", 2.0: "Nee"}
    labels["geslacht"] = {1.0: "Man", 2.0: "Vrouw"}
    pyreadstat.write_sav(df, str(folder / "responses.sav"),
                         column_labels=["Respondent", "Organisatie", "Afdeling", "Mijn werk is uitdagend",
                                        "Ik ervaar te veel werkdruk", "Mijn leidinggevende steunt mij",
                                        "Ik krijg feedback", "Ik kom terug", "Geslacht"],
                         variable_value_labels=labels,
                         missing_ranges={i: [{"lo": 8.0, "hi": 8.0}, {"lo": 9.0, "hi": 9.0}] for i in ITEMS})
    pd.DataFrame({"org": ["A", "A", "B", "B"], "unit": ["u1", "u2", "u1", "u2"], "headcount": [40, 40, 40, 40]}
                 ).to_csv(folder / "headcount.csv", index=False)
    pd.DataFrame({"org": ["A", "B"], "name": ["Org A", "Org B"], "type": ["organisatie"] * 2}
                 ).to_csv(folder / "organisations.csv", index=False)
    return df


def test_draft_from_spss_labels_validates_and_prepares(tmp_path, capsys):
    wave = tmp_path / "2024"
    df = write_sav(wave)
    draft = draft_instrument(wave / "responses.sav")
    assert draft["scale"]["min"] == 1 and draft["scale"]["max"] == 5
    assert draft["scale"]["labels"]["nl"][0] == "Helemaal oneens"
    assert draft["nvt"]["code"] == 8 and draft["nvt"]["other"][0]["code"] == 9
    assert [d["id"] for d in draft["domains"]] == ["werk", "leid", "terug"]
    assert {i["id"]: i.get("kind", "scale") for i in draft["items"]}["terug"] == "yesno"
    assert draft["background"][0]["id"] == "geslacht" and "grade" not in draft
    # the CLI prints the same draft as YAML; it loads as an instrument
    assert main(["instrument", "draft", str(wave / "responses.sav")]) == 0
    (wave / "instrument.yml").write_text(capsys.readouterr().out, encoding="utf-8")
    inst = load_instrument(wave / "instrument.yml")
    assert inst.yesno.yes_code == 1 and inst.nvt.codes == [8, 9]
    assert validate_wave(wave) == []
    w = load_wave(wave)
    codes = w.responses["werk_inhoud"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    assert ((codes == 8) | (codes == 9)).sum() == df["werk_inhoud"].isin([8, 9]).sum()  # user-missing kept as n.v.t.
    from ikto_lib.config import load_settings
    from ikto_lib.prepare import compute

    tables = compute(w, settings=load_settings(min_n=5))
    res = tables["results"]
    assert (res["measure"] == "top2").any() and tables["drivers"].empty and tables["pluim_texts"].empty


def test_a_label_off_the_scale_is_reported_with_file_and_column(tmp_path):
    wave = tmp_path / "w"
    write_sav(wave)
    (wave / "instrument.yml").write_text(
        __import__("yaml").safe_dump(draft_instrument(wave / "responses.sav")), encoding="utf-8")
    write_sav(wave, bad_label=True)  # the next export labels a code the instrument does not know
    problems = [str(p) for p in validate_wave(wave)]
    assert any(p.startswith("responses.sav, column 'werk_inhoud'") and "7 = Geen antwoord" in p for p in problems), problems


def test_user_missing_codes_become_nvt_and_rows_are_case_numbers(tmp_path):
    wave = tmp_path / "w"
    df = write_sav(wave)
    inst = draft_instrument(wave / "responses.sav")
    inst["nvt"].pop("other")  # only 8 is n.v.t. now: SPSS's user-missing 9 must become 8
    import yaml
    (wave / "instrument.yml").write_text(yaml.safe_dump(inst), encoding="utf-8")
    w = load_wave(wave)
    codes = w.responses["werk_druk"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    assert (codes == 9).sum() == 0 and (codes == 8).sum() == df["werk_druk"].isin([8, 9]).sum()
    # a bad org code is named by its SPSS case number
    df.loc[4, "org"] = ""
    pyreadstat.write_sav(df, str(wave / "responses.sav"))
    problems = [str(p) for p in validate_wave(wave)]
    assert any(p.startswith("responses.sav, case 5, column 'org'") for p in problems), problems


def test_xlsx_responses(tmp_path):
    wave = tmp_path / "w"
    write_sav(wave)
    df, _ = pyreadstat.read_sav(str(wave / "responses.sav"))
    import yaml
    (wave / "instrument.yml").write_text(yaml.safe_dump(draft_instrument(wave / "responses.sav")), encoding="utf-8")
    (wave / "responses.sav").unlink()
    df.loc[2, "werk_inhoud"] = 6
    df.to_excel(wave / "responses.xlsx", index=False)
    problems = [str(p) for p in validate_wave(wave)]
    assert problems and problems[0].startswith("responses.xlsx, row 4, column 'werk_inhoud': value '6'")
