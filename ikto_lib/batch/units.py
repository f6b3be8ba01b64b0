"""The unit reports of a batch (``ikto batch --units``): which to make, which are current.

Every unit with a report (:func:`ikto_lib.report.unit.unit_reports`: its figures shown in its
organisation's report, at least ``unit_report_min_n`` respondents) of the selected organisations
becomes one job of ``notebooks/unit_report.ipynb``, written to ``<out>/<org>/<slug>.html``. The
manifest key of a unit report is that relative file, with a fingerprint like every report's; an
unchanged unit report is not made again. A unit report of a selected organisation that no longer
qualifies (now hidden, or below the setting) is removed, so nothing stale stays published.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..paths import notebook
from .jobs import ReportJob
from .manifest import Manifest, report_fingerprint

log = logging.getLogger("ikto.batch")

UNIT_NOTEBOOK = notebook("unit_report.ipynb")


def _is_unit(name: str) -> bool:
    return "/" in name and name.endswith(".html")


def unit_jobs(prep, wave, settings, out_dir: Path, manifest: Manifest, *, orgs, data_key: str,
              library: str, common: dict, force: bool, exporter=None, prepared=None,
              unit_notebook=None):
    """``(jobs, statuses, links)``: the unit reports to make, the ``unchanged`` ones (by file),
    and per organisation its ``(unit, file)`` reports (for the index)."""
    from ..report.unit import unit_output_path, unit_reports
    from .run import ReportStatus

    nb = Path(unit_notebook or UNIT_NOTEBOOK).resolve()
    min_unit = settings.unit_report_min_n
    todo = unit_reports(prep, min_unit, orgs=orgs)
    names = dict(zip(prep.organisations["org"].astype(str), prep.organisations["name"].astype(str)))
    jobs, statuses, links = [], {}, {}
    wanted = set(todo["file"])
    chosen = set(orgs)
    for key in [k for k in manifest.data["reports"] if _is_unit(k)]:
        org, _, stem = key.partition("/")
        if org in chosen and key not in wanted:  # no longer qualifies: not left published
            try:
                unit_output_path(out_dir, org, stem.removesuffix(".html")).unlink(missing_ok=True)
            except ValueError:
                pass
            manifest.forget(key)
    for rec in todo.itertuples(index=False):
        params = {"org": rec.org, "unit": rec.unit, "wave": common["wave"], "previous_wave": "",
                  "language": settings.language, "prepared": str(prepared or common["prepared"]),
                  "min_n": settings.min_n, "unit_report_min_n": min_unit,
                  "org_report": f"../{rec.org}.html"}
        fp = report_fingerprint(data=data_key, settings=settings, instrument=wave.instrument,
                                notebook=nb, language=settings.language, parameters=params,
                                library=library)
        links.setdefault(rec.org, []).append((rec.unit, rec.file))
        if not force and manifest.is_current(rec.file, fp, folder=out_dir):
            statuses[rec.file] = ReportStatus("unchanged")
            continue
        title = f"{rec.unit} · {names.get(rec.org, rec.org)}"
        jobs.append(ReportJob(rec.file, str(nb), params, str(out_dir), title=title,
                              timeout=settings.report_timeout, fingerprint=fp, exporter=exporter,
                              tables=None, language=settings.language,
                              prepared=str(prepared or common["prepared"]), file=rec.file))
    if todo.empty:
        log.warning("--units: no unit reports (%s)", "the survey has no units"
                    if not wave.instrument.units else
                    f"no unit has its figures shown and at least {min_unit} respondents")
    log.info("--units: %d unit report(s), %d to make", len(todo), len(jobs))
    return jobs, statuses, links


def earlier_links(manifest: Manifest, out_dir: Path) -> dict[str, list[tuple[str, str]]]:
    """Unit reports of an earlier ``--units`` batch still on disk (linked from the index)."""
    links: dict[str, list[tuple[str, str]]] = {}
    for key in sorted(k for k in manifest.data["reports"] if _is_unit(k)):
        if (out_dir / key).is_file():
            links.setdefault(key.partition("/")[0], []).append((Path(key).stem, key))
    return links


def unit_summary(statuses: dict, *, units_asked: bool) -> str:
    """One line for the batch summary, saying so when there is nothing to make."""
    if not statuses:
        return ("units: none made (the survey has no units)" if not units_asked else
                "units: none made (no unit has its figures shown and enough respondents)")
    counts: dict[str, int] = {}
    for st in statuses.values():
        counts[st.status] = counts.get(st.status, 0) + 1
    return "units: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
