"""``run_batch``: one wave in, ``outputs/<wave>/`` out (``ikto batch``).

Steps: load and validate the wave (and the previous wave) -> prepare the results once (skipped when
``prepared/manifest.json`` matches the inputs) -> one report per eligible organisation plus the
group report, in parallel on dask (skipping reports whose inputs did not change) -> Excel
workbooks (with each report, on the workers) -> ``index.html`` -> the privacy audit of every output
(one file per task on the same workers).

Statuses per organisation: ``ok``, ``unchanged`` (current output kept), ``failed`` (with the
reason; its outputs are removed, its executed notebook kept in ``logs/``), ``skipped`` (fewer
respondents than ``min_n``: no outputs at all), ``earlier`` (not selected with ``orgs``; its
outputs of an earlier batch into this folder, with other inputs, are kept and linked),
``not_run`` (not selected with ``orgs``, no outputs) and ``withdrawn`` (the privacy audit found a
problem in its report or workbook: both moved to ``withdrawn/``, not linked from the index).
Exit code: 0 all ok, 1 something failed (a report, the group report or the privacy audit), 2 bad
input (invalid wave, unknown organisation, invalid settings).
"""

from __future__ import annotations

import json

import logging
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from ..config import ConfigError, Settings, load_settings
from ..paths import notebook
from ..prepared import Prepared, atomic_write_bytes
from ..report.run import title_for
from ..safe import org_code_problem, output_path, terminal
from .cluster import cluster_map, open_client, run_jobs, run_jobs_in_process, run_jobs_remote
from .index import RowStatus, index_html, key_figures
from .jobs import DEFAULT_TABLES, ReportJob, ReportOutcome
from .lock import FolderLocked, OutputLock
from .manifest import Manifest, digest, library_fingerprint, report_fingerprint

log = logging.getLogger("ikto.batch")

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REPORT_NOTEBOOK = notebook("benchmark_report.ipynb")
GROUP_NOTEBOOK = notebook("group_report.ipynb")
GROUP = "group"
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


@dataclass
class ReportStatus:
    """The status of one report in a batch."""

    status: str            # ok | unchanged | earlier | failed | skipped | not_run
    reason: str = ""
    seconds: float = 0.0
    sizes: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class BatchResult:
    """What a batch did. ``statuses``: per organisation code; ``group``: the group report."""

    exit_code: int
    statuses: dict[str, ReportStatus] = field(default_factory=dict)
    group: ReportStatus | None = None
    out_dir: Path | None = None
    index: Path | None = None
    log_file: Path | None = None
    audit_problems: list = field(default_factory=list)
    message: str = ""
    seconds: float = 0.0
    prepared_reused: bool = False
    started: float = 0.0  # time.perf_counter() at the start (the index shows the duration)
    units: dict[str, ReportStatus] = field(default_factory=dict)  # unit reports, by file

    def count(self, *statuses: str) -> int:
        return sum(1 for s in self.statuses.values() if s.status in statuses)


def run_batch(wave_dir, *, previous=None, out="outputs", language=None, orgs=None, min_n=None,
              weighting=None, workers=None, scheduler=None, force=False, settings=None,
              notebook=None, group_notebook=None, exporter=None, tables=None,
              in_process=False, progress=True, units=False) -> BatchResult:
    """Run the whole batch of one wave; see the module docstring.

    ``settings``: a :class:`Settings`, a settings file, or ``None`` for ``parameters/settings.yml``;
    ``language``, ``min_n`` and ``weighting`` override it. ``workers`` local processes (default
    from the settings) unless ``scheduler`` (a dask scheduler address) is given. ``in_process``
    runs the reports one by one in this process instead (one report: no cluster to start).
    ``notebook``, ``group_notebook``, ``exporter`` and ``tables`` replace the defaults (the report
    notebooks, ``ikto_lib.report.export.export_html``, ``ikto_lib.report.excel.excel_tables``).
    ``units``: also a report per unit (:mod:`ikto_lib.batch.units`).
    """
    t_start = time.perf_counter()
    try:
        base = settings if isinstance(settings, Settings) else load_settings(settings)
        settings = base.replace(language=language, min_n=min_n, weighting=weighting)
    except ConfigError as exc:
        return _bad_input(str(exc))
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or workers < 1):
        return _bad_input(f"--workers {workers}: expected a whole number of worker processes >= 1")
    workers = int(workers or settings.workers)

    from ..validate import WaveInvalid, load_wave

    try:
        wave = load_wave(wave_dir)
        prev = load_wave(previous) if previous else None
    except WaveInvalid as exc:
        return _bad_input(str(exc))
    except (FileNotFoundError, NotADirectoryError) as exc:
        return _bad_input(f"{exc}")
    if orgs:  # before anything is computed or written
        codes = set(wave.organisations["org"].astype(str))
        unknown = sorted(set(orgs) - codes)
        if unknown:
            return _bad_input(f"unknown organisation(s): {', '.join(unknown)}; the wave has "
                              f"{', '.join(sorted(codes))}")

    out_dir = Path(out).resolve() / wave.name
    logs = out_dir / "logs"
    try:
        logs.mkdir(parents=True, exist_ok=True)
        lock = OutputLock(out_dir).acquire()
    except FolderLocked as exc:
        return _bad_input(str(exc))
    except OSError as exc:
        return _bad_input(_os_error(exc))
    handler = log_file = None
    try:
        if lock.notice:
            print(f"ikto batch: {lock.notice}", file=sys.stderr)
        _remove_partial_files(out_dir)
        log_file = logs / f"batch-{datetime.now():%Y%m%d-%H%M%S-%f}.log"
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setFormatter(TerminalSafeFormatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        if lock.notice:
            log.warning("%s", lock.notice)
        result = _run(wave, prev, settings, out_dir, orgs=orgs, workers=workers,
                      scheduler=scheduler, force=force, notebook=notebook,
                      group_notebook=group_notebook, exporter=exporter, tables=tables,
                      in_process=in_process, progress=progress, log_file=log_file, started=t_start,
                      units=units)
    except _BadInput as exc:
        log.error("bad input: %s", exc)
        result = _bad_input(str(exc))
    except OSError as exc:  # disk full, no permission, read-only: named, exit 2
        log.error("cannot write: %s", exc)
        result = _bad_input(_os_error(exc))
    except Exception:
        log.exception("batch aborted")
        raise
    finally:
        if handler is not None:
            log.removeHandler(handler)
            handler.close()
        lock.release()
    result.log_file = log_file
    result.seconds = time.perf_counter() - t_start
    return result


class _BadInput(Exception):
    pass


def _bad_input(message: str) -> BatchResult:
    print(f"ikto batch: {terminal(message)}", file=sys.stderr)
    return BatchResult(EXIT_BAD_INPUT, message=message)


def _os_error(exc: OSError) -> str:
    where = f" {exc.filename}" if exc.filename else ""
    return (f"cannot write{where}: {exc.strerror or exc}; nothing was published under a final "
            "name by the step that failed (free space or fix permissions, then run again)")


class TerminalSafeFormatter(logging.Formatter):
    """Log lines without ANSI escapes or control characters from the data."""

    def format(self, record: logging.LogRecord) -> str:
        return terminal(super().format(record))


def _run(wave, prev, settings, out_dir, *, orgs, workers, scheduler, force, notebook,
         group_notebook, exporter, tables, in_process, progress, log_file=None,
         started: float = 0.0, units=False) -> BatchResult:
    log.info("batch of wave %s (%s), previous %s, out %s, settings %s", wave.name, wave.path,
             prev.name if prev else None, out_dir, settings.model_dump())
    manifest = Manifest.load(out_dir / "manifest.json")
    library = library_fingerprint()
    prepared_dir, reused = _prepare(wave, prev, settings, out_dir / "prepared", force=force)
    prep = Prepared(prepared_dir)
    organisations = prep.organisations.copy()
    organisations["org"] = organisations["org"].astype(str)
    codes = organisations["org"].tolist()
    selected = set(orgs) if orgs else set(codes)

    notebook = Path(notebook or REPORT_NOTEBOOK).resolve()
    group_notebook = Path(group_notebook or GROUP_NOTEBOOK).resolve()
    tables = DEFAULT_TABLES if tables is None else tables
    data_key = prep.manifest.get("prepared_fingerprint") or prep.manifest.get("fingerprint", "")
    common = {"wave": wave.name, "previous_wave": prev.name if prev else "",
              "language": settings.language, "prepared": str(prepared_dir),
              "min_n": settings.min_n, "name_peers": settings.name_peers}

    statuses: dict[str, ReportStatus] = {}
    jobs: list[ReportJob] = []
    order = organisations.sort_values("respondents", ascending=False, na_position="last")
    for rec in order.itertuples(index=False):
        org = rec.org
        unsafe = org_code_problem(org)
        if unsafe:  # validation refuses such codes; prepared tables from elsewhere might not
            statuses[org] = ReportStatus("failed", f"unsafe organisation code: {unsafe}")
            log.error("%r: unsafe organisation code, no output written or removed", org)
            continue
        if not bool(getattr(rec, "eligible", True)):
            statuses[org] = ReportStatus(
                "skipped", f"too few respondents (fewer than {settings.min_n})"
                if settings.language == "en" else
                f"te weinig respondenten (minder dan {settings.min_n})")
            _remove_outputs(out_dir, org, manifest)
            continue
        params = {"org": org, **common}
        if units:
            params["unit_reports"] = settings.unit_report_min_n
        if not notebook.is_file():
            statuses[org] = ReportStatus("failed", f"report notebook {notebook} does not exist")
            continue
        fp = report_fingerprint(data=data_key, settings=settings, instrument=wave.instrument,
                                notebook=notebook, language=settings.language,
                                parameters={**params, "tables": bool(tables)}, library=library)
        current = manifest.is_current(org, fp, folder=out_dir)
        if org not in selected or (current and not force):
            statuses[org] = ReportStatus("unchanged" if current else "earlier" if
                                         manifest.is_current(org, None, folder=out_dir)
                                         else "not_run")
            continue
        title = title_for(wave.instrument, str(rec.name), wave.name, settings.language)
        jobs.append(ReportJob(org, str(notebook), params, str(out_dir), title=title,
                              timeout=settings.report_timeout, fingerprint=fp,
                              exporter=exporter, tables=tables, language=settings.language,
                              prepared=str(prepared_dir)))

    group_status: ReportStatus | None
    if group_notebook.is_file():
        gparams = dict(common)
        gfp = report_fingerprint(data=data_key, settings=settings, instrument=wave.instrument,
                                 notebook=group_notebook, language=settings.language,
                                 parameters=gparams, library=library)
        if not force and manifest.is_current(GROUP, gfp, folder=out_dir):
            group_status = ReportStatus("unchanged")
        else:
            group_status = None
            title = f"{wave.instrument.name[settings.language]} {wave.name}: " + (
                "groepsrapport" if settings.language == "nl" else "group report")
            jobs.insert(0, ReportJob(GROUP, str(group_notebook), gparams, str(out_dir), title,
                                     settings.report_timeout, gfp, exporter=exporter,
                                     language=settings.language, prepared=str(prepared_dir)))
    else:
        group_status = ReportStatus("skipped", f"notebook {group_notebook.name} does not exist "
                                    "yet" if settings.language == "en" else
                                    f"notebook {group_notebook.name} bestaat nog niet")
        log.warning("group report not made: %s does not exist", group_notebook)

    unit_statuses: dict[str, ReportStatus] = {}
    unit_links: dict[str, list[tuple[str, str]]] = {}
    if units:
        from .units import unit_jobs

        ok_orgs = [o for o in codes if o in selected and statuses.get(o, ReportStatus("ok")).status
                   not in ("failed", "skipped")]
        ujobs, unit_statuses, unit_links = unit_jobs(
            prep, wave, settings, out_dir, manifest, orgs=ok_orgs, data_key=data_key,
            library=library, common=common, force=force, exporter=exporter, prepared=prepared_dir)
        jobs += ujobs
    else:
        from .units import earlier_links

        unit_links = earlier_links(manifest, out_dir)

    shown = {o: st for o, st in statuses.items() if st.status not in ("not_run", "earlier")}
    bar = _Progress(len(shown) + len(jobs) + (group_status is not None)
                    + sum(st.status == "unchanged" for st in unit_statuses.values()), progress)
    for st in unit_statuses.values():
        bar.update(st.status)
    for org, st in shown.items():
        bar.update(st.status)
        log.info("%s: %s %s", org, st.status, st.reason)
    if group_status is not None:
        bar.update(group_status.status)

    def on_outcome(job: ReportJob, outcome: ReportOutcome) -> None:
        st = ReportStatus(outcome.status, outcome.reason, outcome.seconds, outcome.sizes,
                          outcome.timings)
        if outcome.status == "ok":
            manifest.record(job.name, job.fingerprint, job.outputs)
        elif job.file:
            job.html.unlink(missing_ok=True)
            manifest.forget(job.name)
        else:
            _remove_outputs(out_dir, job.name, manifest)
        if job.file:
            unit_statuses[job.name] = st
            if outcome.status != "ok":
                org = job.name.partition("/")[0]
                unit_links[org] = [x for x in unit_links.get(org, []) if x[1] != job.file]
        elif job.name == GROUP:
            nonlocal group_status
            group_status = st
        else:
            statuses[job.name] = st
        bar.update(st.status)
        parts = " ".join(f"{k} {outcome.timings[k]:.2f}" for k in ("execute", "export", "excel")
                         if k in outcome.timings)
        log.info("%s: %s in %.1f s on %s %s%s%s", job.name, outcome.status, outcome.seconds,
                 outcome.worker, outcome.reason,
                 f" (notebook kept: {outcome.diagnostics})" if outcome.diagnostics else "",
                 f" [{parts}]" if parts else "")

    def finish(map_files=None) -> BatchResult:
        """Index, then the privacy audit of every output (on the cluster when there is one)."""
        bar.close()
        result = BatchResult(EXIT_OK, statuses, group_status, out_dir, prepared_reused=reused,
                             log_file=log_file, started=started,
                             units=unit_statuses)
        figures = key_figures(organisations, _results(prep))
        result.index = _write_index(result, figures, wave.name, settings, unit_links=unit_links)
        t0 = time.perf_counter()
        audit_key = _audit_key(out_dir, settings, wave, library)
        if audit_key == manifest.data.get("audit"):
            log.info("privacy audit: no output changed since the last clean audit; not repeated")
        else:
            result.audit_problems = _audit(out_dir, settings, wave, map_files=map_files)
            manifest.data["audit"] = None if result.audit_problems else audit_key
            manifest.save()
            log.info("privacy audit took %.1f s", time.perf_counter() - t0)
        if result.audit_problems:
            _withdraw(out_dir, result, manifest, settings.language)
        # the index again, now with the audit's result (the audit key leaves the index out: it
        # changes with every run's timings; its figures come from the audited prepared tables)
        _write_index(result, figures, wave.name, settings, audited=_audited_count(out_dir),
                     unit_links=unit_links)
        return result

    if jobs:
        log.info("%d report(s) to run on %s", len(jobs), scheduler or
                 ("this process" if in_process else f"{workers} local worker(s)"))
    if jobs and not in_process:
        with ExitStack() as stack:
            try:
                client = stack.enter_context(open_client(workers=workers, scheduler=scheduler))
            except OSError as exc:  # no scheduler at that address
                if scheduler:
                    bar.close()
                    raise _BadInput(f"cannot connect to dask scheduler {scheduler}: {exc}")
                raise
            if scheduler:  # workers elsewhere: inputs sent, reports sent back, audit here
                run_jobs_remote(client, jobs, on_outcome)
                result = finish()
            else:
                run_jobs(client, jobs, on_outcome)
                result = finish(cluster_map(client))
    else:
        if jobs:
            run_jobs_in_process(jobs, on_outcome)
        result = finish()
    failed = result.count("failed") + (group_status is not None and
                                       group_status.status == "failed") + sum(
        st.status == "failed" for st in unit_statuses.values())
    if failed or result.audit_problems:
        result.exit_code = EXIT_FAILED
    summary = (f"{result.count('ok')} ok, {result.count('unchanged')} unchanged, "
               f"{result.count('failed')} failed, {result.count('withdrawn')} withdrawn, "
               f"{result.count('skipped')} skipped; group: "
               f"{group_status.status if group_status else '-'}; audit: "
               f"{len(result.audit_problems)} problem(s); index: {result.index}")
    if units:
        from .units import unit_summary

        summary += "; " + unit_summary(unit_statuses, units_asked=bool(wave.instrument.units))
    log.info("done: %s", summary)
    if progress:
        print(terminal(f"ikto batch {wave.name}: {summary}"), file=sys.stderr)
    return result


def _prepare(wave, prev, settings, prepared_dir: Path, *, force: bool) -> tuple[Path, bool]:
    """The prepare step (a module attribute, so tests can put a stand-in here)."""
    from ..prepared import prepared_current

    if not force and prepared_current(wave, prev, settings, prepared_dir):
        log.info("prepared results unchanged, reused: %s", prepared_dir)
        return prepared_dir, True  # without importing the statistics (scipy: seconds)
    from ..prepare import ensure_prepared

    return ensure_prepared(wave, prev, settings, prepared_dir, force=force)


def _results(prep: Prepared) -> pd.DataFrame | None:
    try:
        return prep.results
    except FileNotFoundError:
        return None


def _write_index(result: BatchResult, figures, wave: str, settings, *, audited: int | None = None,
                 unit_links=None) -> Path:
    """The index; ``audited``: the number of files the privacy audit checked (None: not yet).
    An unchanged report says unchanged (not 'made'); an unchanged rerun writes the same figures."""
    def row(st):
        return RowStatus(st.status, st.reason, st.seconds if st.status not in ("unchanged", "earlier") else None)

    rows = {org: row(st) for org, st in result.statuses.items()}
    group = row(result.group) if result.group else None
    # the time the results were computed: an unchanged rerun writes the very same figures
    stamps = [p.stat().st_mtime for p in (result.out_dir / "prepared" / "manifest.json",)
              if p.exists()]
    manifest = result.out_dir / "prepared" / "manifest.json"
    instrument = None
    if manifest.exists():
        from ..config import Instrument

        instrument = Instrument.model_validate(json.loads(manifest.read_text())["instrument"])
    page = index_html(figures, rows, wave=wave, language=settings.language, instrument=instrument,
                      min_n=settings.min_n, folder=result.out_dir, group=group,
                      audit_problems=result.audit_problems, audited=audited,
                      weighting=bool(settings.weighting), log_file=result.log_file,
                      seconds=time.perf_counter() - result.started if result.started else None,
                      generated=datetime.fromtimestamp(max(stamps)) if stamps else None,
                      unit_reports=unit_links)
    path = result.out_dir / "index.html"
    atomic_write_bytes(path, page.encode("utf-8"))
    return path


AUDITED = ("*.html", "*.htm", "*.xlsx", "*/*.html", "prepared/*.parquet")


def _audited_count(out_dir: Path) -> int:
    return sum(1 for pattern in AUDITED for _ in out_dir.glob(pattern))


def _audit_key(out_dir: Path, settings, wave, library: str) -> str:
    """Fingerprint of everything the audit looks at: the files' contents and its parameters."""
    import hashlib

    files = {}
    for pattern in AUDITED:
        for path in sorted(out_dir.glob(pattern)):
            if path.name == "index.html":
                continue
            files[str(path.relative_to(out_dir))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest({"files": files, "min_n": settings.min_n, "wave": wave.fingerprint,
                   "library": library})


def _audit(out_dir: Path, settings, wave=None, *, map_files=None) -> list:
    """Problems the privacy audit finds in ``out_dir``."""
    from ..audit import audit_outputs
    from ..audit_cache import AuditCache

    try:
        ids = wave.responses["respondent_id"].astype(str).tolist() if wave is not None else None
        cache = AuditCache(out_dir / "logs" / "audit-cache.json", salt=library_fingerprint())
        problems = list(audit_outputs(out_dir, settings, respondent_ids=ids, map_files=map_files,
                                      cache=cache) or [])
        cache.save()
        log.info("privacy audit: %d output(s) audited, %d unchanged since an earlier audit",
                 cache.misses, cache.hits)
    except Exception as exc:
        log.exception("privacy audit failed")
        return [f"the privacy audit itself failed: {type(exc).__name__}: {exc}"]
    for p in problems:
        log.error("privacy audit: %s", str(p)[:300])
    return problems


WITHDRAWN = "withdrawn"  # reports withdrawn after the privacy audit (= audit.WITHDRAWN_DIR)


def _withdraw(out_dir: Path, result: BatchResult, manifest: Manifest, language: str) -> None:
    """Move every report with a privacy audit finding aside, to ``withdrawn/``; its status says why.

    A finding names a file (:class:`ikto_lib.audit.Finding` ``file``, or a text starting with
    ``<file>: ``). A finding in an organisation's (or the group's) ``.html`` or ``.xlsx`` moves
    both of its files to ``out_dir/withdrawn/``, forgets them in the manifest (the next batch
    makes them again) and sets its status to ``withdrawn`` with the number and kinds of findings.
    Findings elsewhere (prepared tables, the index) withdraw nothing; they still fail the batch.
    """
    found: dict[str, list] = {}
    for problem in result.audit_problems:
        file = Path(getattr(problem, "file", None) or str(problem).split(": ", 1)[0])
        path = (file if file.is_absolute() else out_dir / file).resolve()
        if (path.parent == out_dir.resolve() and path.suffix.lower() in (".html", ".xlsx")
                and path.name != "index.html"):
            found.setdefault(path.stem, []).append(problem)
        elif (path.parent.parent == out_dir.resolve() and path.suffix.lower() == ".html"
              and path.parent.name != WITHDRAWN):  # a unit report: <org>/<slug>.html
            key = f"{path.parent.name}/{path.name}"
            target = out_dir / WITHDRAWN / path.parent.name
            target.mkdir(parents=True, exist_ok=True)
            if path.is_file():
                path.replace(target / path.name)
            manifest.forget(key)
            if key in result.units:
                result.units[key].status = "withdrawn"
                result.units[key].reason = "privacy audit" if language == "en" else "privacycontrole"
            log.error("%s withdrawn to %s", key, target)
    if not found:
        return
    folder = out_dir / WITHDRAWN
    folder.mkdir(exist_ok=True)
    for name, problems in found.items():
        for suffix in (".html", ".xlsx"):
            if (out_dir / f"{name}{suffix}").is_file():
                (out_dir / f"{name}{suffix}").replace(folder / f"{name}{suffix}")
        manifest.forget(name)
        kinds = ", ".join(sorted({str(getattr(p, "kind", "")) for p in problems} - {""}))
        reason = (f"privacy audit: {len(problems)} finding(s)" if language == "en" else
                  f"privacycontrole: {len(problems)} bevinding(en)")
        reason += f" ({kinds})" if kinds else ""
        status = result.group if name == GROUP else result.statuses.get(name)
        if status is not None:
            status.status, status.reason = "withdrawn", reason
        log.error("%s withdrawn to %s: %s", name, folder, reason)
    manifest.save()


def _remove_outputs(out_dir: Path, name: str, manifest: Manifest) -> None:
    """No stale report for an organisation that failed or is now below the threshold."""
    for suffix in (".html", ".xlsx"):
        output_path(out_dir, name, suffix, allow=(GROUP,)).unlink(missing_ok=True)
    manifest.forget(name)


def _remove_partial_files(out_dir: Path) -> None:
    """Temporary files of an interrupted batch (``.<name>.<random>.part``; never final names)."""
    for folder in (out_dir, out_dir / "logs"):
        for path in folder.glob(".*.part"):
            path.unlink(missing_ok=True)


class _Progress:
    """tqdm bar of reports with done / failed / skipped counts."""

    def __init__(self, total: int, enabled: bool):
        self.counts = {"done": 0, "failed": 0, "skipped": 0}
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="report", desc="ikto batch", leave=True)

    def update(self, status: str) -> None:
        key = {"ok": "done", "unchanged": "done", "failed": "failed"}.get(status, "skipped")
        self.counts[key] += 1
        if self.bar is not None:
            self.bar.set_postfix(self.counts, refresh=False)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
