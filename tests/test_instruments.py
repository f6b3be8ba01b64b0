"""The instrument schema: optional parts, several n.v.t. codes, reversed and yes/no items, scales
of 2 to 11 points; the shipped instruments; the generated schema page; no survey-specific wording
in the library outside the instrument files and the demo."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from ikto_lib.config import PROJECT_ROOT, ConfigError, Instrument, load_instrument
from ikto_lib.instrument_doc import schema_markdown
from ikto_lib.prepare.figures import col, outcome, respondent_measures
from ikto_lib.config import load_settings

INSTRUMENTS = PROJECT_ROOT / "parameters" / "instruments"


def minimal(**extra) -> dict:
    data = {
        "name": {"nl": "Onderzoek", "en": "Survey"},
        "scale": {"min": 1, "max": 5, "top2": [4, 5], "bottom2": [1, 2],
                  "labels": {"nl": list("abcde"), "en": list("abcde")}},
        "nvt": {"code": 9, "label": {"nl": "n.v.t.", "en": "n/a"}},
        "org_types": [{"id": "x", "name": {"nl": "X", "en": "X"}}],
        "domains": [{"id": "d", "name": {"nl": "D", "en": "D"}}],
        "items": [{"id": "a", "domain": "d", "text": {"nl": "A", "en": "A"}},
                  {"id": "b", "domain": "d", "text": {"nl": "B", "en": "B"}, "reversed": True}],
    }
    data.update(extra)
    return data


def test_grade_pluim_background_are_optional():
    inst = Instrument.model_validate(minimal())
    assert inst.grade is None and inst.pluim is None and inst.outcome_id is None
    assert inst.not_asked() == ["grade", "pluim", "background"]
    assert inst.extra_columns == []


@pytest.mark.parametrize("points, ok", [(1, False), (2, True), (11, True), (12, False)])
def test_scale_has_2_to_11_points(points, ok):
    data = minimal()
    data["scale"] = {"min": 0, "max": points - 1, "top2": [points - 1], "bottom2": [0],
                     "labels": {"nl": ["x"] * points, "en": ["x"] * points}}
    data["nvt"]["code"] = 99
    if ok:
        Instrument.model_validate(data)
    else:
        with pytest.raises(ValueError, match="2 to 11 points"):
            Instrument.model_validate(data)


def test_yesno_items_need_codes_and_outcome_must_exist(tmp_path):
    data = minimal()
    data["items"].append({"id": "c", "domain": "d", "kind": "yesno", "text": {"nl": "C", "en": "C"}})
    with pytest.raises(ValueError, match="yesno codes"):
        Instrument.model_validate(data)
    with pytest.raises(ValueError, match="neither 'grade' nor an item"):
        Instrument.model_validate(minimal(outcome="nope"))
    # a YAML 'yes:' key is the boolean true: the keys are yes_code / no_code, and a typo names the key
    p = tmp_path / "i.yml"
    p.write_text("yesno: {yes: 1, no: 2}\n")
    with pytest.raises(ConfigError, match="yesno.yes_code"):
        load_instrument(p)


def test_measures_reverse_items_score_yes_no_and_skip_every_nvt_code():
    data = minimal(yesno={"yes_code": 1, "no_code": 2, "labels": {"nl": ["Ja", "Nee"], "en": ["Yes", "No"]}},
                   outcome="a")
    data["nvt"]["other"] = [{"code": 8, "label": {"nl": "weet niet", "en": "don't know"}}]
    data["items"].append({"id": "c", "domain": "d", "kind": "yesno", "text": {"nl": "C", "en": "C"}})
    inst = Instrument.model_validate(data)
    resp = pd.DataFrame({"a": pd.array([5, 8, 9, 2], dtype="Int8"), "b": pd.array([1, 5, 8, None], dtype="Int8"),
                         "c": pd.array([1, 2, 8, 1], dtype="Int8")})
    m = respondent_measures(resp, inst, load_settings())
    assert m.values["b"].tolist()[:3] == [5.0, 1.0, None] or np.isnan(m.values["b"].iloc[2])
    assert m.proportion[col("top2", "d", "b")].tolist()[:2] == [1.0, 0.0]  # reversed: code 1 is positive
    yes = m.proportion[col("top2", "d", "c")].tolist()
    assert yes[:2] == [1.0, 0.0] and np.isnan(yes[2]) and yes[3] == 1.0
    assert col("mean", "d", "c") not in m.mean.columns  # a yes/no item has no mean
    assert list(m.domain_score.columns) == ["d"]  # the domain score uses scale items only
    nvt = m.nonresponse[col("nvt_share", "d", "a")].tolist()
    assert nvt == [0.0, 1.0, 1.0, 0.0]  # both 8 (weet niet) and 9 (n.v.t.)
    assert col("grade_mean") not in m.mean.columns
    assert outcome(resp, m, inst).tolist()[0] == 5.0


@pytest.mark.parametrize("name", ["ikto", "employee", "childcare"])
def test_shipped_instruments_load(name):
    inst = load_instrument(INSTRUMENTS / f"{name}.yml")
    assert inst.measure is not None and inst.report is not None


def test_ikto_file_is_the_default():
    assert load_instrument(INSTRUMENTS / "ikto.yml") == load_instrument()


def test_schema_page_is_generated_from_the_model():
    page = (PROJECT_ROOT / "docs" / "instrument_schema.md").read_text(encoding="utf-8")
    assert page == schema_markdown(), "run: python -m ikto_lib.instrument_doc > docs/instrument_schema.md"
    for field in Instrument.model_fields:
        assert f"| `{field}` |" in page


#: Wording of one survey (the iKTO) that a report of another survey must never show.
SURVEY_WORDS = re.compile(r"interne dienstverlening|internal services|(?-i:\biKTO\b)|\(zeer\) tevreden|"
                          r"\(very\) satisfied|Top-2 \(tevreden\)|Overall satisfaction", re.IGNORECASE)
#: The files where such wording belongs: the iKTO demo and its synthetic texts, and the modules whose
#: docstrings describe the project's origin (not output).
ALLOWED = {"demo", "__init__.py", "cli.py", "config.py", "pluim.py", "instrument_doc.py"}


def test_no_survey_specific_wording_in_output_strings():
    """Strings that reach a report, workbook, index or group report live in the string tables; none
    of them may carry one survey's words (those come from the instrument)."""
    from ikto_lib.batch.index import TEXT
    from ikto_lib.report.group import STRINGS as GROUP
    from ikto_lib.report.i18n import STRINGS

    texts = [v for d in STRINGS.values() for v in d.values()] + [v for d in GROUP.values() for v in d.values()]
    texts += [v for d in TEXT.values() for v in d.values()]
    hits = [x for x in texts if SURVEY_WORDS.search(x)]
    assert hits == []


def test_no_survey_specific_wording_in_library_code():
    hits = []
    for path in sorted((PROJECT_ROOT / "ikto_lib").rglob("*.py")) + sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb")):
        rel = path.relative_to(PROJECT_ROOT)
        if rel.parts[1] in ALLOWED or path.name in ALLOWED:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SURVEY_WORDS.search(line) and not line.lstrip().startswith(("#", '"""')):
                hits.append(f"{rel}:{n}: {line.strip()[:100]}")
    assert hits == [], "\n".join(hits)
