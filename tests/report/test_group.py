"""The group report: papermill executes notebooks/group_report.ipynb on real prepared results, the
HTML is parsed (BeautifulSoup) for its sections, alt texts, header cells, locale and forbidden
strings, and audited for privacy; organisation names appear only with name_peers."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import papermill as pm
import pytest
from bs4 import BeautifulSoup

from ikto_lib.audit import audit_html, chart_texts
from ikto_lib.report.export import export_html
from ikto_lib.report.group import GROUP_SECTION_IDS, heatmap_matrix, group_config
from ikto_lib.prepared import Prepared

from tests.report.test_notebook import FORBIDDEN, MAX_BYTES

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "group_report.ipynb"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def group_html(small_prepared, tmp_path_factory):
    out = tmp_path_factory.mktemp("group")
    result = {}
    for lang, names in (("nl", False), ("en", True)):
        nb = pm.execute_notebook(str(NOTEBOOK), str(out / f"group-{lang}.ipynb"), kernel_name="python3",
                                 parameters={"prepared": str(small_prepared), "language": lang, "name_peers": names},
                                 progress_bar=False, request_save_on_cell_execute=False)
        html = export_html(nb, title="group")
        (out / f"group-{lang}.html").write_text(html, encoding="utf-8")
        result[lang] = out / f"group-{lang}.html"
    return result


def test_notebook_committed_thin_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    assert not any("def " in c.source for c in code)
    assert all(len(c.source.splitlines()) <= 6 for c in code)


def test_sections_in_order_linked_from_toc(group_html):
    for path in group_html.values():
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        ids = [h["id"] for h in soup.select("section > h2[id]")]
        assert ids == list(GROUP_SECTION_IDS)
        toc = [a["href"] for a in soup.select("nav.toc a")]
        assert toc == [f"#{s}" for s in GROUP_SECTION_IDS]


def test_images_alt_tables_th_no_forbidden(group_html):
    for path in group_html.values():
        text = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(text, "html.parser")
        imgs = soup.find_all("img")  # response, grades, trend, drivers (the heatmap is a table)
        assert len(imgs) >= 4 and all(i.get("alt", "").strip() for i in imgs)
        tables = soup.find_all("table")
        assert len(tables) >= 7 and all(t.find("th") for t in tables)
        heat = soup.find("table", class_="ikto-heatmap")
        assert heat is not None and len(heat.tbody.find_all("tr")) >= 30  # the demo's organisations
        visible = soup.body.get_text(" ") + " ".join(x for _, x in chart_texts(soup))
        for bad in FORBIDDEN:
            assert bad not in visible, bad
        assert path.stat().st_size < MAX_BYTES


def test_locale_and_language(group_html):
    nl = BeautifulSoup(group_html["nl"].read_text(encoding="utf-8"), "html.parser").body.get_text(" ")
    en = BeautifulSoup(group_html["en"].read_text(encoding="utf-8"), "html.parser").body.get_text(" ")
    assert re.search(r"\d+,\d%", nl) and not re.search(r"\d+\.\d%", nl)
    assert re.search(r"\d+\.\d%", en) and not re.search(r"\d+,\d%", en)
    assert "Respons" in nl and "Response" in en


def test_organisations_named_only_with_name_peers(group_html, small_prepared):
    orgs = Prepared(small_prepared).organisations
    names = orgs.loc[orgs["eligible"], "name"].tolist()
    nl = group_html["nl"].read_text(encoding="utf-8")
    en = group_html["en"].read_text(encoding="utf-8")
    assert not any(n in nl for n in names)
    assert sum(n in en for n in names) >= len(names) // 2  # response table names them with name_peers


def test_heatmap_matrix_marks_suppressed(small_prepared):
    cfg = group_config(prepared=small_prepared)
    values, hidden = heatmap_matrix(cfg)
    assert values.shape == hidden.shape and values.shape[1] == len(cfg.instrument.domain_ids)
    assert hidden.to_numpy().any()  # the small demo has hidden cells: the check below is not empty
    assert values[hidden].isna().all().all()  # a hidden cell carries no value


def test_group_config_checks_parameters_like_an_organisation_report(small_prepared):
    from ikto_lib.report.config import ReportError

    cfg = group_config(prepared=small_prepared)
    assert cfg.previous_wave == "2013" and cfg.min_n == 10
    assert group_config(prepared=small_prepared, previous_wave="").previous_wave is None  # no trend
    with pytest.raises(ReportError, match="min_n=50 differs"):
        group_config(prepared=small_prepared, min_n=50)  # its suppression would not be applied
    with pytest.raises(ReportError, match="previous wave '1999' was not prepared"):
        group_config(prepared=small_prepared, previous_wave="1999")
    with pytest.raises(ReportError, match="language"):
        group_config(prepared=small_prepared, language="de")


def test_heatmap_rows_in_label_order(small_prepared):
    anon, _ = heatmap_matrix(group_config(prepared=small_prepared))
    letters = [x.rsplit(" ", 1)[-1] for x in anon.index]
    assert letters == sorted(letters, key=lambda x: (len(x), x)) and letters[0] == "A"
    named, _ = heatmap_matrix(group_config(prepared=small_prepared, name_peers=True))
    assert list(named.index) == sorted(named.index) and len(named) == len(anon)


def test_privacy_audit_passes(group_html):
    for path in group_html.values():
        assert audit_html(path, min_n=10) == []


def test_types_of_too_few_organisations_are_not_shown(small_prepared, tmp_path):
    """With anonymous organisations, a type of fewer than peer_min_orgs organisations would show
    an organisation's own figures under the type's name: such types are left out."""
    import shutil

    import pandas as pd

    from ikto_lib.report.group import grades, response

    folder = tmp_path / "prepared"
    shutil.copytree(small_prepared, folder)
    orgs = pd.read_parquet(folder / "organisations.parquet").copy()
    orgs["type"] = orgs["type"].astype(str)
    solo_type = "waterschap"
    same = orgs.index[(orgs["type"] == solo_type) & orgs["eligible"]]
    orgs.loc[same[1:], "type"] = "provincie"  # one water board left
    orgs.to_parquet(folder / "organisations.parquet")
    cfg = group_config(prepared=folder, language="en")
    assert solo_type not in cfg.shown_types
    name = cfg.type_name(solo_type)
    assert name not in response(cfg).html.split("<figure")[0] + response(cfg).html.split("</figure>")[-1]
    assert f"<td>{name}</td>" not in grades(cfg).html and f">{name}<" not in grades(cfg).html
    named = group_config(prepared=folder, language="en", name_peers=True)
    assert solo_type in named.shown_types
