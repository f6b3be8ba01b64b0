"""What the explorer leaves behind: the log of the small-groups switch and exported tables.

* :func:`log_small_groups` appends one tab-separated line (UTC time, user from
  :func:`getpass.getuser`, wave, selection) to ``outputs/<wave>/small_groups.log`` every time an
  analyst turns the anonymity threshold off, and returns the line (the notebook shows it).
* :func:`export_table` writes a table under ``outputs/<wave>/exports/`` (git-ignored; never
  inside ``notebooks/``): Excel with the figures (headings in words, number formats: percentages,
  counts, means) and a ``metadata`` sheet (wave, weighting, threshold, data fingerprint,
  selection, time, small groups shown); CSV with the same metadata as ``<name>.metadata.json``.
"""

from __future__ import annotations

import getpass
import json
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from .. import __version__
from ..paths import CHECKOUT

LOG_NAME = "small_groups.log"
EXPORTS = "exports"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still log the event
        return "unknown"


def log_small_groups(outputs: str | Path, wave: str, selection: str) -> tuple[Path, str]:
    """Append ``time, user, wave, selection`` to ``<outputs>/<wave>/small_groups.log``;
    returns ``(path, line)``."""
    path = Path(outputs) / wave / LOG_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    clean = " ".join(str(selection).split())
    line = "\t".join([_now(), _user(), wave, clean])
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    return path, line


def export_path(outputs: str | Path, wave: str, name: str) -> Path:
    """Where an export named ``name`` goes: ``<outputs>/<wave>/exports/<name>``. A bare file name
    only (no folders), ``.xlsx`` or ``.csv``; refused inside the project's ``notebooks/``."""
    name = str(name).strip()
    if not name or Path(name).name != name:
        raise ValueError(f"export name {name!r}: give a file name only (it is saved under "
                         f"{Path(outputs) / wave / EXPORTS})")
    if Path(name).suffix.lower() not in (".xlsx", ".csv"):
        raise ValueError(f"export to .xlsx or .csv, not {Path(name).suffix or 'no extension'!r}")
    path = (Path(outputs) / wave / EXPORTS / name).resolve()
    if CHECKOUT is not None and (CHECKOUT / "notebooks").resolve() in path.parents:
        raise ValueError(f"{path}: exports never go inside notebooks/ (survey data next to committed files)")
    return path


def metadata(*, wave, settings, selection: str, small_groups: bool, language: str) -> dict[str, str]:
    """The metadata of an export (also the ``metadata`` sheet)."""
    return {
        "wave": wave.name,
        "wave folder": str(wave.path),
        "data fingerprint": wave.fingerprint,
        "weighting": "headcount (post-stratified)" if settings.weighting else "none",
        "anonymity threshold (min_n)": str(settings.min_n),
        "small groups shown": "YES: figures below the anonymity threshold, do not share" if small_groups else "no",
        "selection": selection,
        "language": language,
        "exported at (UTC)": _now(),
        "exported by": _user(),
        "ikto version": __version__,
    }


def export_table(path: Path, table: pd.DataFrame, formats: dict[str, str], meta: dict[str, str]) -> Path:
    """Write ``table`` (numbers as numbers; ``formats`` maps a column to an Excel number format)
    with ``meta``; ``.xlsx`` (two sheets) or ``.csv`` plus ``<stem>.metadata.json``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    from ..batch.excel import FORMULA_START, neutralise_formulas

    if path.suffix.lower() == ".csv":
        # OWASP CSV injection: text a spreadsheet would read as a formula gets a leading quote
        safe = table.apply(lambda c: c.mask(c.astype(str).str.startswith(FORMULA_START), "'" + c.astype(str))
                           if c.dtype == object or pd.api.types.is_string_dtype(c) else c)
        safe.to_csv(path, index=False, encoding="utf-8")
        path.with_suffix(".metadata.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")
        return path
    from openpyxl.utils import get_column_letter

    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        table.to_excel(xw, index=False, sheet_name="figures")
        pd.DataFrame({"field": list(meta), "value": list(meta.values())}).to_excel(
            xw, index=False, sheet_name="metadata")
        ws = xw.sheets["figures"]
        for j, name in enumerate(table.columns, start=1):
            letter = get_column_letter(j)
            ws.column_dimensions[letter].width = max(12, min(45, len(str(name)) + 2))
            if name in formats:
                for cell in ws[letter][1:]:
                    cell.number_format = formats[name]
        ws.freeze_panes = "A2"
        neutralise_formulas(ws)
        neutralise_formulas(xw.sheets["metadata"])
        xw.sheets["metadata"].column_dimensions["A"].width = 28
        xw.sheets["metadata"].column_dimensions["B"].width = 80
    return path
