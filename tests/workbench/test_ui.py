"""Drive the ipywidgets tools by setting widget values (no browser, no kernel)."""

from __future__ import annotations

import logging

import pytest

from ikto_lib.quality import quality_tables
from ikto_lib.workbench import Explorer, PluimBrowser
from ikto_lib.workbench.explorer import SMALL_GROUP
from ikto_lib.workbench.ui import ExplorerUI, PluimUI, quality_report


@pytest.fixture(scope="module")
def ui(demo_waves, settings, tmp_path_factory):
    wave, previous = demo_waves
    return ExplorerUI(Explorer(wave, previous, settings, outputs=tmp_path_factory.mktemp("outputs")))


def _html(ui):
    return ui.table.value


def test_initial_state(ui):
    assert ui.allow_small.value is False and ui.banner.value == ""
    assert ui.comparison.value == "benchmark"
    assert ui.last_table is not None and len(ui.last_table) == 1
    assert "<table" in _html(ui) and ui.chart.value.startswith("<svg")


def test_changes_update_table_and_chart(ui):
    first_org = ui.org.value
    before, svg = ui.last_table.copy(), ui.chart.value
    ui.org.value = ui.org.options[1][1]
    assert ui.last_table["org"].iat[0] == ui.org.value != first_org
    assert ui.chart.value != svg and len(ui.plot.last["bars"]) == 1 and len(ui.plot.last["diamonds"]) == 1
    assert not ui.last_table.equals(before)
    assert ui.org.value in ui.chart.value and ui.explorer.org_names[ui.org.value] in ui.chart.value
    ui.target.value = "ict"
    ui.measure.value = "mean"
    assert ui.last_table["target"].iat[0] == "ict" and ui.last_table["measure"].iat[0] == "mean"
    ui.breakdown.value = "age_group"
    assert (ui.last_table["category"] != "").sum() >= 2
    assert "35-44" in _html(ui) and _html(ui).index("&lt;35") < _html(ui).index("35-44")
    ui.measure.value = "distribution"
    cats = ui.last_table["category"].nunique()
    assert cats >= 3 and len(ui.last_table) == 5 * cats  # five codes for the total and each age group
    assert ui.plot.last["groups"][0] == "Totaal" and ui.plot.last["groups"][1:] == [
        c for c in ["<35", "35-44", "45-54", "55+"] if c in ui.plot.last["groups"]]
    assert ui.plot.last["legend"] == list(reversed(ui.explorer.wave.instrument.scale.labels["nl"]))
    ui.comparison.value = "previous"
    assert (ui.last_table["comparison"] == "previous").all()
    ui.units.value = (ui.units.options[0],)
    assert ui.last_table["units"].iat[0] == ui.units.options[0]
    assert ui.units.options[0] in ui.chart.value and ui.units.options[0] in _html(ui)  # title, caption
    ui.breakdown.value = ""
    ui.measure.value = "top2"
    ui.units.value = ()
    assert ui.status.value == ""


def test_org_change_resets_units_and_comparisons(ui):
    ui.org.value = ui.org.options[2][1]
    assert ui.units.value == ()
    assert f"unit:{ui.units.options[0]}" in [v for _, v in ui.comparison.options]


def test_small_groups_switch_keeps_selection_and_shows_the_log_line(ui, caplog, monkeypatch):
    calls = []
    update = ui.update
    monkeypatch.setattr(ui, "update", lambda *a, **k: (calls.append(1), update(*a, **k))[1])
    ui.org.value = ui.org.options[3][1]
    ui.units.value = tuple(ui.units.options[:2])
    ui.comparison.value = "rest"
    selection = (ui.org.value, ui.units.value, ui.comparison.value)
    calls.clear()
    with caplog.at_level(logging.WARNING):
        ui.allow_small.value = True
    assert len(calls) == 1  # one recomputation per click, not one per widget it resets
    try:
        assert (ui.org.value, ui.units.value, ui.comparison.value) == selection  # kept
        assert ui.last_table["units"].iat[0] == ", ".join(sorted(selection[1]))
        log_file = ui.explorer.outputs / "2015" / "small_groups.log"
        line = log_file.read_text(encoding="utf-8").splitlines()[-1]
        assert "Anonimiteitsdrempel UIT" in ui.banner.value and str(log_file) in ui.banner.value
        assert line.split("\t")[3] in ui.banner.value and selection[1][0] in line
        ex = ui.explorer
        small = [o for o in ex.orgs if o not in ex.data.eligible]
        assert small  # the demo's tiny organisations
        ui.org.value = small[0]
        assert ui.last_table["flag"].iat[0] == SMALL_GROUP
        assert "kleine groep" in _html(ui)
    finally:
        ui.allow_small.value = False
    assert ui.banner.value == "" and ui.org.value in ui.explorer.data.eligible


def test_export_button(ui):
    ui.export_path.value = "table.csv"
    ui.export_button.click()
    out = ui.explorer.outputs / "2015" / "exports" / "table.csv"
    assert out.exists() and "geëxporteerd" in ui.status.value and str(out) in ui.status.value
    for bad in ("table.txt", "sub/table.csv"):
        ui.export_path.value = bad
        ui.export_button.click()
        assert "Export mislukt" in ui.status.value


def test_pluim_ui(demo_waves, settings):
    p = PluimUI(PluimBrowser(demo_waves[0], settings))
    n_all = len(p.last_table)
    p.target.value = p.target.options[1][1]
    assert (p.last_table["target"] == p.target.value).all() and len(p.last_table) <= n_all
    p.target.value = ""
    p.query.value = "zzzz-no-such-text"
    assert len(p.last_table) == 0 and "0 pluimen" in p.output.value


def test_quality_report_renders(demo_waves, settings, monkeypatch):
    import ikto_lib.workbench.quality_view as view

    shown = []
    monkeypatch.setattr(view, "display", shown.append)
    tables = quality_tables(demo_waves[0], settings)
    quality_report(tables, max_rows=5)
    html = [getattr(x, "data", "") for x in shown if x.__class__.__name__ == "HTML"]
    headings = [h for h in html if h.startswith("<h3>")]
    assert len(headings) == len(tables)
    assert "Verdeling van het rapportcijfer" in " ".join(headings)
    assert sum("<table" in h for h in html) == len(tables)  # one table per heading
    assert "response_rate" not in " ".join(html) and "Respons" in " ".join(html)
    images = [x for x in shown if x.__class__.__name__ == "Image"]
    assert len(images) == 1 and images[0].data[:4] == b"\x89PNG"  # the grade chart, never a repr
    assert not any(x.__class__.__name__ == "Figure" for x in shown)
    shown.clear()
    quality_report({"grade_distribution": tables["grade_distribution"]}, language="en")
    assert "Distribution of the grade" in shown[0].data
    shown.clear()
    quality_report({"nonresponse_by_item": tables["nonresponse_by_item"]}, instrument=demo_waves[0].instrument)
    item = demo_waves[0].instrument.items[0]
    assert item.text["nl"] in shown[1].data and f">{item.id}<" not in shown[1].data


def test_wave_picker_switches_wave_and_previous(demo_dir, demo_waves, settings):
    from ikto_lib.workbench.ui import WaveExplorer, wave_folders

    wave_2015, wave_2013 = demo_waves
    loaded = {"2015": wave_2015, "2013": wave_2013}
    picker = WaveExplorer(demo_dir, settings, loader=lambda folder: loaded[folder.name])
    assert list(picker.wave.options) == ["2013", "2015"] and picker.wave.value == "2015"
    assert picker.explorer_ui.explorer.previous is not None  # 2015 is compared with 2013
    table_2015 = picker.explorer_ui.last_table.copy()
    picker.wave.value = "2013"
    assert picker.explorer_ui.explorer.wave is wave_2013
    assert picker.explorer_ui.explorer.previous is None  # nothing before 2013
    assert not picker.explorer_ui.last_table.equals(table_2015)
    assert picker.body.children[0] is picker.explorer_ui.widget
    first = picker.explorer_ui
    picker.wave.value = "2015"
    picker.wave.value = "2013"
    assert picker.explorer_ui is first  # built once per wave, not again on every switch
    with pytest.raises(ValueError, match="no wave folders"):
        wave_folders(demo_dir / "2015")
    with pytest.raises(ValueError, match="choose from"):
        WaveExplorer(demo_dir, settings, wave="2099", loader=lambda folder: loaded[folder.name])


def test_readable_formats_counts_and_shares():
    import pandas as pd

    from ikto_lib.workbench.ui import readable

    f = pd.DataFrame({"org": ["A", "B"], "respondents": [4402.0, float("nan")], "response_rate": [0.5993, 0.1],
                      "chi2": [3.14159, 2.0]})
    r = readable(f)
    assert r["respondents"].tolist() == ["4,402", "–"]
    assert r["response_rate"].tolist() == ["59.9%", "10.0%"]
    assert r["chi2"].tolist() == ["3.142", "2.000"]
    assert r["org"].tolist() == ["A", "B"]


def test_readable_in_dutch():
    import pandas as pd

    from ikto_lib.workbench.ui import readable

    r = readable(pd.DataFrame({"respondents": [4402.0], "response_rate": [0.829]}), language="nl")
    assert r.iloc[0].tolist() == ["4.402", "82,9%"]


def test_chart_svg_geometry_and_text():
    import pandas as pd

    from ikto_lib.config import load_instrument
    from ikto_lib.workbench.chart import BOTTOM, TOP, Chart

    t = pd.DataFrame({"org": "X", "units": "", "target": "ict", "measure": "top2", "code": "top2",
                      "breakdown": "age_group", "category": ["", "<35", "35-44"], "n": [50.0, 20, 30],
                      "value": [0.5, 1.0, float("nan")], "ci_low": [0.4, 0.9, float("nan")],
                      "ci_high": [0.6, 1.0, float("nan")], "comparison": "benchmark",
                      "ref_value": [0.25, float("nan"), float("nan")], "ref_n": [900.0, float("nan"), float("nan")],
                      "diff": 0.0, "p_adj": 0.5, "flag": ""})
    c = Chart()
    svg = c.svg(t, title="A & B <units>", instrument=load_instrument(), language="en")
    assert svg.startswith("<svg") and "A &amp; B &lt;units&gt;" in svg  # escaped
    bars = c.last["bars"]
    assert len(bars) == 2  # the suppressed category has no bar
    half, full = bars
    assert full["y"] == TOP and full["h"] == BOTTOM - TOP and half["h"] == (BOTTOM - TOP) / 2
    assert c.last["diamonds"][0]["y"] == BOTTOM - (BOTTOM - TOP) / 4
    assert "100%" in svg and "50%" in svg and "benchmark (all other organisations)" in svg
    empty = c.svg(t.assign(value=float("nan")), title="t", instrument=load_instrument(), language="nl")
    assert "Geen cijfers" in empty and not c.last["bars"]
