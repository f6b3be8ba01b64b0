"""The command line (exit codes and messages), configuration validation, and packaging files."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ikto_lib.cli import main
from ikto_lib.config import ConfigError, load_instrument, load_settings
from tests.smallwave import read_table, write_small_wave, write_table

ROOT = Path(__file__).resolve().parents[1]


def test_validate_exit_codes_and_messages(tmp_path, capsys):
    good = write_small_wave(tmp_path / "good")
    assert main(["validate", str(good)]) == 0
    assert "valid" in capsys.readouterr().out
    bad = write_small_wave(tmp_path / "bad")
    df = read_table(bad, "responses")
    df.loc[12, "ict_speed"] = "7"
    write_table(bad, "responses", df)
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "responses.csv, row 14, column 'ict_speed': value '7'" in err
    assert "nothing was computed or written" in err


def test_ikto_console_script_runs(tmp_path):
    exe = Path(sys.executable).parent / "ikto"
    res = subprocess.run([str(exe), "validate", str(tmp_path / "missing")], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 2
    assert "missing" in res.stderr
    assert "Traceback" not in res.stderr


def test_prepare_command_writes_prepared_tables(tmp_path, capsys):
    wave = write_small_wave(tmp_path / "2015")
    assert main(["prepare", str(wave), "--out", str(tmp_path / "out")]) == 0
    prepared = tmp_path / "out" / "2015" / "prepared"
    assert (prepared / "results.parquet").exists() and (prepared / "manifest.json").exists()


def test_settings_typo_and_wrong_type_name_file_and_key(tmp_path):
    data = yaml.safe_load((ROOT / "parameters" / "settings.yml").read_text())
    data["min_nn"] = data.pop("min_n")
    bad = tmp_path / "settings.yml"
    bad.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError, match=re.escape(f"{bad}: key 'min_nn': unknown key")):
        load_settings(bad)
    data = yaml.safe_load((ROOT / "parameters" / "settings.yml").read_text())
    data["alpha"] = "five percent"
    bad.write_text(yaml.safe_dump(data))
    with pytest.raises(ConfigError, match=re.escape(f"{bad}: key 'alpha'")):
        load_settings(bad)
    for key, value in (("min_n", "12"), ("weighting", "off")):  # quoted: not converted silently
        data = yaml.safe_load((ROOT / "parameters" / "settings.yml").read_text())
        data[key] = value
        bad.write_text(yaml.safe_dump(data))
        with pytest.raises(ConfigError, match=re.escape(f"{bad}: key '{key}'")):
            load_settings(bad)


def test_instrument_errors_name_the_key(tmp_path):
    data = yaml.safe_load((ROOT / "parameters" / "instrument.yml").read_text())
    data["items"][0]["domian"] = "ict"
    bad = tmp_path / "instrument.yml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(ConfigError, match=r"key 'items\.0\.domian': unknown key"):
        load_instrument(bad)
    data = yaml.safe_load((ROOT / "parameters" / "instrument.yml").read_text())
    data["items"][0]["domain"] = "kantine"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(ConfigError, match="unknown domains: kantine"):
        load_instrument(bad)


def test_default_instrument_is_a_realistic_ikto():
    inst = load_instrument()
    assert 9 <= len(inst.domains) <= 12
    per_domain = inst.domain_items(overall=True)
    assert all(3 <= len(items) <= 7 for items in per_domain.values())
    assert all(sum(inst.item(i).overall for i in items) == 1 for items in per_domain.values())
    assert all(i.text["nl"] and i.text["en"] for i in inst.items)
    assert sum(i.previous_id is not None for i in inst.items) >= 30
    assert inst.nvt.code == 9 and inst.grade.max == 10


def test_settings_hold_every_default_of_the_methods():
    s = load_settings()
    assert (s.min_n, s.alpha, s.min_diff_top2, s.min_hedges_g, s.min_items_share, s.confidence) == \
        (10, 0.05, 0.05, 0.2, 0.5, 0.95)
    assert s.weighting and not s.name_peers and s.peer_min_orgs == 3 and s.language == "nl"
    assert s.pluim_sample == 10


def _requirement_names(reqs):
    return {re.split(r"[<>=\[ ]", r.strip())[0].lower() for r in reqs if r.strip() and not r.startswith("-")}


def test_environment_yml_pip_section_mirrors_pyproject():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = set(project["dependencies"]) | set(project["optional-dependencies"]["test"]) | \
        set(project["optional-dependencies"]["lab"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert _requirement_names(pip) == _requirement_names(wanted)
    assert {r.replace(" ", "") for r in pip if not r.startswith("-")} == {r.replace(" ", "") for r in wanted}


def test_notebooks_committed_without_outputs():
    import nbformat

    for path in (ROOT / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, path.name


@pytest.mark.slow
def test_report_command_writes_one_report_atomically(tmp_path, capsys):
    wave = write_small_wave(tmp_path / "2015")
    out = tmp_path / "out"
    assert main(["report", "MINBZK", str(wave), "--out", str(out), "--language", "en"]) == 0
    html = out / "2015" / "MINBZK.html"
    assert html.is_file() and "wrote" in capsys.readouterr().out
    text = html.read_text(encoding="utf-8")
    assert '<html lang="en">' in text and "Traceback" not in text
    assert not list((out / "2015").glob("*.part")) and not list((out / "2015").glob(".*MINBZK*"))
    assert main(["report", "NOPE", str(wave), "--out", str(out)]) == 2
    assert "NOPE" in capsys.readouterr().err


def test_batch_reads_the_settings_file_it_is_given(tmp_path, capsys):
    good = write_small_wave(tmp_path / "wave")
    bad = tmp_path / "bad.yml"
    bad.write_text("min_n: ten\n")
    assert main(["batch", str(good), "--settings", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "bad.yml" in err and "min_n" in err
    assert not (tmp_path / "out").exists()  # nothing computed or written


def test_bad_option_is_named_as_an_option(tmp_path, capsys):
    good = write_small_wave(tmp_path / "wave")
    assert main(["batch", str(good), "--min-n", "0", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "--min-n" in err and "key 'min_n'" in err
