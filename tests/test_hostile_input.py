"""Hostile and broken input is a named problem with exit 2, never a traceback or a silent misread.

Each case is the small valid wave of ``smallwave.py`` with one thing made hostile: org and unit
codes that would escape the output folder, overwrite the index or the group report, or run as a
formula; files that cannot be read or parsed (CR-only line ends, a huge header, an unterminated
quote, nested parquet columns, deep or non-UTF-8 YAML); codes beyond 8 bits; escape sequences
meant for the terminal; bad ``--workers``; a full disk during prepare.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from ikto_lib import safe
from ikto_lib.cli import main
from ikto_lib.config import ConfigError, load_instrument, load_settings, parameters_dir
from ikto_lib.validate import WaveInvalid, load_wave, validate_wave
from tests.smallwave import read_table, write_small_wave, write_table


@pytest.fixture
def wave(tmp_path) -> Path:
    return write_small_wave(tmp_path / "2015")


def rename(folder: Path, column: str, old: str, new: str, tables=("responses", "headcount",
                                                                   "organisations")) -> None:
    """Rename an org or unit code in every table that has the column (as an attacker would)."""
    for name in tables:
        df = read_table(folder, name)
        if column in df.columns:
            df[column] = df[column].where(df[column] != old, new)
            write_table(folder, name, df)


def first_row(folder: Path, name: str, column: str, value: str) -> int:
    df = read_table(folder, name)
    return int(np.flatnonzero(df[column].to_numpy() == value)[0]) + 2


# -- org and unit codes ---------------------------------------------------------------------------

HOSTILE_ORGS = [
    "../../escaped", "/tmp/ikto-absolute", "javascript:alert(document.domain)", "x" * 300,
    "group", "index", "INDEX", "Prepared", "logs", "exports", ".hidden", "a b", "=1+2", "nul",
]


@pytest.mark.parametrize("code", HOSTILE_ORGS)
def test_unsafe_org_code_is_named_in_every_file_at_its_first_row(wave, code):
    first = {n: first_row(wave, n, "org", "PRVUT") for n in ("responses", "headcount",
                                                           "organisations")}
    rename(wave, "org", "PRVUT", code)
    problems = validate_wave(wave)
    bad = [p for p in problems if p.column == "org"]
    assert {(p.file, p.row) for p in bad} == {(f"{n}.csv", r) for n, r in first.items()}, problems
    assert all(p.value == safe.terminal(code)[:37] + "..." if len(code) > 40 else p.value == code
               for p in bad)
    why = safe.RESERVED_RULE if code.lower() in safe.RESERVED else safe.ORG_RULE
    assert all(why in p.expected for p in bad)
    with pytest.raises(WaveInvalid):
        load_wave(wave)


def test_org_code_problem_counts_rows_and_validate_exits_2(wave, capsys):
    rename(wave, "org", "PRVUT", "../../escaped")
    assert main(["validate", str(wave)]) == 2
    err = capsys.readouterr().err
    assert "responses.csv, row" in err and "(31 rows with this org)" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("code", ["GEM-AMS", "WS.HDSR_2", "minbzk", "A" * 64])
def test_safe_org_codes_are_valid(wave, code):
    rename(wave, "org", "PRVUT", code)
    assert validate_wave(wave) == []


@pytest.mark.parametrize("unit", ["=1+2", "+31 6 12345678", "-1", "@SUM(A1)", "x" * 101,
                                  "Unit\x1b[31m", "Bel\x07l", "<script>"])
def test_unsafe_unit_code_is_named(wave, unit):
    rename(wave, "unit", "Beleid", unit)
    problems = [p for p in validate_wave(wave) if p.column == "unit"]
    assert {p.file for p in problems} == {"responses.csv", "headcount.csv"}
    assert all(safe.UNIT_RULE in p.expected for p in problems)


def test_unit_names_with_spaces_and_punctuation_are_valid(wave):
    rename(wave, "unit", "Beleid", "Vergunningen, Toezicht & Handhaving (VTH) / Zuid")
    rename(wave, "unit", "Staf", "Directie Financiën")
    assert validate_wave(wave) == []


def test_escape_sequences_never_reach_the_terminal(wave, capsys):
    rename(wave, "org", "PRVUT", "PRV\x1b]0;pwned\x07\x1b[31mUT")
    edit = read_table(wave, "responses")
    edit.loc[3, "ict_speed"] = "\x1b[2J7"
    write_table(wave, "responses", edit)
    assert main(["validate", str(wave)]) == 2
    err = capsys.readouterr().err
    assert "responses.csv, row 5, column 'ict_speed': value '\\x1b[2J7'" in err  # shown, inert
    assert "value 'PRV\\x1b]0;pwned\\x07\\x1b[31mUT'" in err
    assert not any(c in err for c in ("\x1b", "\x07", "\x9b"))
    assert safe.terminal("a\x1b[1;31mb\x1b[0m\x00c\u202ed\ne\tf") == "abcd\ne\tf"


# -- files that cannot be read or parsed --------------------------------------------------------

def test_cr_only_line_endings_load_like_lf(tmp_path):
    lf = write_small_wave(tmp_path / "lf")
    cr = write_small_wave(tmp_path / "cr")
    for name in ("responses", "headcount", "organisations"):
        path = cr / f"{name}.csv"
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    assert validate_wave(cr) == []
    pd.testing.assert_frame_equal(load_wave(cr).responses, load_wave(lf).responses)
    df = read_table(lf, "responses")
    df.loc[12, "ict_speed"] = "7"
    write_table(cr, "responses", df)
    path = cr / "responses.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    (p,) = validate_wave(cr)
    assert (p.file, p.row, p.column, p.value) == ("responses.csv", 14, "ict_speed", "7")


def test_header_field_over_128_kb_is_a_problem(wave, capsys):
    path = wave / "organisations.csv"
    path.write_text("x" * 140_000 + "," + path.read_text())
    (p,) = validate_wave(wave)
    assert (p.file, p.row) == ("organisations.csv", 1) and "header line" in p.expected
    assert main(["validate", str(wave)]) == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("name", ["responses.csv", "organisations.csv"])
def test_unreadable_file_is_a_problem(wave, monkeypatch, name):
    """chmod 000 does not stop root (these tests may run as root): the read itself is refused."""
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == name:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    (p,) = [p for p in validate_wave(wave) if p.file == name]
    assert p.row is None and p.expected == "a readable file (Permission denied)"
    assert main(["validate", str(wave)]) == 2


def test_unreadable_instrument_and_settings_name_the_file(wave, tmp_path, monkeypatch):
    inst = wave / "instrument.yml"
    inst.write_text((parameters_dir() / "instrument.yml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    settings = tmp_path / "settings.yml"
    settings.write_text((parameters_dir() / "settings.yml").read_text(encoding="utf-8"))
    real = Path.read_bytes

    def read_bytes(self):
        if self.name in ("instrument.yml", "settings.yml") and tmp_path in self.parents:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    problems = validate_wave(wave)
    assert problems and all(p.file == "instrument.yml" for p in problems)
    assert "cannot be read (Permission denied)" in problems[0].expected
    with pytest.raises(ConfigError, match=r"settings\.yml: cannot be read \(Permission denied\)"):
        load_settings(settings)


def test_unterminated_quote_names_file_and_row(wave, capsys):
    path = wave / "organisations.csv"
    lines = path.read_text().split("\n")
    lines[1] = lines[1].replace("Ministerie van", '"Ministerie\nvan', 1).replace(",ministerie",
                                                                                  '",ministerie')
    lines[3] = lines[3].replace("Hoogheemraadschap", '"Hoogheemraadschap')  # never closed
    path.write_text("\n".join(lines))
    (p,) = validate_wave(wave)
    # row 2 spans two lines (a quoted line break): the quote opens in spreadsheet row 4
    assert (p.file, p.row) == ("organisations.csv", 4) and "closing quote" in p.expected
    assert main(["validate", str(wave)]) == 2
    assert "organisations.csv, row 4" in capsys.readouterr().err


def test_parquet_nested_columns_are_problems_in_validate(tmp_path, capsys):
    wave = write_small_wave(tmp_path / "w", parquet=True)
    df = pd.read_parquet(wave / "responses.parquet")
    df["pluim_text"] = [{"text": "x"}] * len(df)
    df["ict_speed"] = [[1, 2]] * len(df)
    df.to_parquet(wave / "responses.parquet", index=False)
    problems = validate_wave(wave)
    assert {(p.file, p.row, p.column) for p in problems} == {
        ("responses.parquet", 1, "pluim_text"), ("responses.parquet", 1, "ict_speed")}
    assert all("a column of numbers or text" in p.expected for p in problems)
    assert main(["validate", str(wave)]) == 2
    assert main(["batch", str(wave), "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()
    assert "Traceback" not in capsys.readouterr().err


def test_yaml_nested_20000_deep_is_a_config_error(wave, tmp_path, capsys):
    (wave / "instrument.yml").write_text("[" * 20_000 + "]" * 20_000)
    problems = validate_wave(wave)
    assert problems and problems[0].file == "instrument.yml"
    assert "nested too deeply" in problems[0].expected
    assert main(["validate", str(wave)]) == 2
    settings = tmp_path / "deep.yml"
    settings.write_text("min_n: " + "{a: " * 20_000 + "}" * 20_000)
    assert main(["prepare", str(wave), "--settings", str(settings), "--out",
                 str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "deep.yml: not valid YAML: nested too deeply" in err and "Traceback" not in err


def test_non_utf8_instrument_names_file_and_line(wave, capsys):
    text = (parameters_dir() / "instrument.yml").read_text(encoding="utf-8")
    (wave / "instrument.yml").write_bytes(text.encode("utf-8").replace(
        b"name:", "name: caf\u00e9".encode("cp1252"), 1))
    problems = validate_wave(wave)
    assert problems and all(p.file == "instrument.yml" for p in problems)
    assert "line" in problems[0].expected and "0xe9 is not UTF-8" in problems[0].expected
    assert main(["validate", str(wave)]) == 2
    assert "instrument.yml: line" in capsys.readouterr().err


# -- codes wider than 8 bits ----------------------------------------------------------------------

def own_instrument(folder: Path, change) -> None:
    data = yaml.safe_load((parameters_dir() / "instrument.yml").read_text(encoding="utf-8"))
    change(data)
    (folder / "instrument.yml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                           encoding="utf-8")


def test_grade_scale_1_to_200_keeps_150(wave):
    own_instrument(wave, lambda d: d["grade"].update({"max": 200}))
    df = read_table(wave, "responses")
    df.loc[df["grade"] != "", "grade"] = "150"
    df.loc[2, "grade"] = "200"
    write_table(wave, "responses", df)
    grade = load_wave(wave).responses["grade"]
    assert grade.max() == 200 and grade.min() == 150 and grade.dtype == "Int16"
    assert grade.mean() == pytest.approx(pd.to_numeric(df["grade"]).mean())


def test_nvt_code_300_is_read_as_300_and_prepares(wave, tmp_path):
    own_instrument(wave, lambda d: d["nvt"].update({"code": 300}))
    df = read_table(wave, "responses")
    items = [c for c in df.columns if c in load_instrument().item_ids]
    n_nvt = int((df[items] == "9").to_numpy().sum())
    df[items] = df[items].replace("9", "300")
    write_table(wave, "responses", df)
    w = load_wave(wave)
    assert int(w.responses[items].eq(300).sum().sum()) == n_nvt > 0
    assert w.responses[items[0]].dtype == "Int16"
    assert main(["prepare", str(wave), "--out", str(tmp_path / "out")]) == 0


# -- options and a full disk ----------------------------------------------------------------------

@pytest.mark.parametrize("workers", ["-1", "0", "two"])
def test_bad_workers_option_is_refused(wave, tmp_path, workers, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["batch", str(wave), "--workers", workers, "--out", str(tmp_path / "out")])
    assert exc.value.code == 2
    assert "--workers" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_disk_full_during_prepare_is_exit_2_and_nothing_half_written(wave, tmp_path, monkeypatch,
                                                                      capsys):
    import ikto_lib.prepared as prepared

    real, calls = os.fsync, []

    def fsync(fd):
        calls.append(fd)
        if len(calls) == 3:  # the third table written: the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd)

    monkeypatch.setattr(prepared.os, "fsync", fsync)
    out = tmp_path / "out"
    assert main(["prepare", str(wave), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Traceback" not in err
    folder = out / "2015" / "prepared"
    assert not list(out.rglob("*.part")) and not (folder / "manifest.json").exists()
    assert len(list(folder.glob("*.parquet"))) == 2
    for path in folder.glob("*.parquet"):  # what was written is complete
        pd.read_parquet(path)
    assert not (out / "2015" / ".ikto.lock").exists()
    monkeypatch.undo()
    assert main(["prepare", str(wave), "--out", str(out)]) == 0  # and a rerun completes
