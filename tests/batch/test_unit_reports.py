"""Unit reports (``ikto batch --units``): which units get one, their figures, their file names,
and an unchanged rerun."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from tests.smallwave import read_table, write_small_wave, write_table

HOSTILE = "Staf/../../../escaped"  # a valid unit code (letters, '/', '.') that is a path


@pytest.fixture(scope="module")
def unit_wave(tmp_path_factory):
    """Units of 40, 35, 12 and 4 respondents per organisation; the first unit renamed to a code
    that is a path, the second to one that slugs like the third would (collision test)."""
    folder = write_small_wave(tmp_path_factory.mktemp("units") / "2015", n_per_unit=(40, 35, 12, 4))
    rename = {"Bestuursondersteuning": HOSTILE}
    for name in ("responses", "headcount"):
        df = read_table(folder, name)
        df["unit"] = df["unit"].replace(rename)
        write_table(folder, name, df)
    return folder


@pytest.fixture(scope="module")
def unit_prepared(unit_wave, tmp_path_factory):
    from ikto_lib.config import load_settings
    from ikto_lib.prepare import prepare
    from ikto_lib.validate import load_wave

    return prepare(load_wave(unit_wave), None, load_settings(),
                   tmp_path_factory.mktemp("prep") / "prepared")


def _respondents(prepared):
    from ikto_lib.prepared import Prepared

    r = Prepared(prepared).results
    return r[(r["unit"] != "") & (r["breakdown"] == "") & (r["comparison"] == "")
             & (r["domain"] == "") & (r["item"] == "") & (r["measure"] == "respondents")]


def test_threshold_and_hidden_units_get_no_report(unit_prepared):
    from ikto_lib.report.unit import unit_reports

    rows = _respondents(unit_prepared)
    got = unit_reports(unit_prepared, 30)
    # Beleid has 35 respondents but is hidden in its organisation's report (the units' family
    # pattern hides it beside the small units): no report; the unit of 40 is shown: a report
    assert "Beleid" in set(rows.loc[rows["flag"] == "suppressed", "unit"])
    assert set(got["unit"]) == {HOSTILE} and len(got) == 3
    assert got["respondents"].tolist() == [40.0] * 3
    # under unit_report_min_n: none, though its figures are shown
    assert unit_reports(unit_prepared, 41).empty
    got10 = unit_reports(unit_prepared, 10)
    hidden = rows[rows["flag"] == "suppressed"][["org", "unit"]]
    assert not hidden.empty  # the unit of 4 (and its complement)
    assert not set(map(tuple, hidden.to_numpy())) & set(zip(got10["org"], got10["unit"]))
    shown = rows[rows["flag"] != "suppressed"]
    assert set(zip(got10["org"], got10["unit"])) == set(zip(shown["org"], shown["unit"]))


def test_unit_figures_are_its_row_in_the_organisation_report(unit_prepared):
    from ikto_lib.report import report_config, sections
    from ikto_lib.report.unit import unit_domains, unit_reports

    for rec in unit_reports(unit_prepared, 30).itertuples():
        cfg = report_config(rec.org, prepared=unit_prepared)
        mine = unit_domains(cfg, rec.unit).set_index("label")
        vals, sup = sections.unit_matrix(cfg)  # what the organisation report shows per unit
        label = next(x for x in vals.index if x == rec.unit or x.startswith(f"{rec.unit} (n = "))
        theirs = vals.loc[label].where(~sup.loc[label])
        np.testing.assert_array_equal(mine["value"].where(~mine["suppressed"]).to_numpy(float),
                                      theirs.reindex(mine.index).to_numpy(float))
        assert not mine["suppressed"].all()


def test_hostile_unit_names_stay_inside_the_output_folder(tmp_path):
    from ikto_lib.report.unit import unit_output_path, unit_slugs
    from ikto_lib.safe import UnsafePath

    names = [HOSTILE, "..", "CON", "A b", "a-b", "Économie (Noord)", "x" * 100, "/etc/passwd"]
    slugs = unit_slugs(names)
    assert len(set(slugs.values())) == len(names)  # collision-free
    assert slugs == unit_slugs(list(reversed(names)))  # whatever the order
    for s in slugs.values():
        path = unit_output_path(tmp_path, "ORG", s)
        assert path.parent == (tmp_path / "ORG").resolve() and path.suffix == ".html"
    with pytest.raises(UnsafePath):
        unit_output_path(tmp_path, "ORG", "../escaped")
    with pytest.raises(UnsafePath):
        unit_output_path(tmp_path, "../x", "ok")


def test_batch_units_linked_and_rerun_unchanged(unit_wave, tmp_path):
    from ikto_lib.batch import run_batch

    first = run_batch(unit_wave, out=tmp_path, in_process=True, progress=False, units=True)
    folder = tmp_path / "2015"
    assert first.units and all(st.status == "ok" for st in first.units.values()), first.units
    files = sorted(first.units)
    assert len(files) == 3
    for f in files:
        path = (folder / f).resolve()
        assert path.is_file() and folder.resolve() in path.parents
        assert len(path.relative_to(folder.resolve()).parts) == 2 and ".." not in f
    assert not list(tmp_path.rglob("escaped*"))
    # linked from the organisation report and the index
    org, _, _ = files[0].partition("/")
    org_html = BeautifulSoup((folder / f"{org}.html").read_text(), "html.parser")
    linked = {a["href"] for a in org_html.select("ul.unit-reports a")}
    assert linked == {f for f in files if f.startswith(f"{org}/")}
    index = BeautifulSoup((folder / "index.html").read_text(), "html.parser")
    assert {a["href"] for a in index.select("details.unit-reports a")} == set(files)
    unit_html = (folder / files[0]).read_text()
    assert f'href="../{org}.html"' in unit_html and "Traceback" not in unit_html
    # an unchanged rerun makes nothing again
    stamps = {f: (folder / f).stat().st_mtime_ns for f in files}
    again = run_batch(unit_wave, out=tmp_path, in_process=True, progress=False, units=True)
    assert {f: st.status for f, st in again.units.items()} == {f: "unchanged" for f in files}
    assert {f: (folder / f).stat().st_mtime_ns for f in files} == stamps


def test_units_without_units_in_the_survey_say_so(capsys):
    from ikto_lib.batch.units import unit_summary

    assert "no units" in unit_summary({}, units_asked=False)
    assert "none made" in unit_summary({}, units_asked=True)


def test_a_unit_report_with_an_audit_finding_is_withdrawn(tmp_path):
    from ikto_lib.batch.manifest import Manifest
    from ikto_lib.batch.run import BatchResult, ReportStatus, _withdraw

    (tmp_path / "ORG").mkdir()
    (tmp_path / "ORG" / "staf.html").write_text("<html>1 person</html>")
    manifest = Manifest({"reports": {"ORG/staf.html": {"fingerprint": "x", "outputs": ["ORG/staf.html"]}}},
                        tmp_path / "manifest.json")
    result = BatchResult(1, units={"ORG/staf.html": ReportStatus("ok")},
                         audit_problems=[f"{tmp_path / 'ORG' / 'staf.html'}: finding"])
    _withdraw(tmp_path, result, manifest, "en")
    assert not (tmp_path / "ORG" / "staf.html").exists()
    assert (tmp_path / "withdrawn" / "ORG" / "staf.html").is_file()
    assert result.units["ORG/staf.html"].status == "withdrawn"
    assert "ORG/staf.html" not in manifest.data["reports"]
