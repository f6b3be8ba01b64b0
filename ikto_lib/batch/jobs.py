"""One report as a unit of work, and the function a worker runs for it.

A :class:`ReportJob` is plain data (picklable, sent to a dask worker). :func:`run_job` executes it
with the worker's :class:`~ikto_lib.batch.runner.ReportRunner`, which lives in a process-local
cache for the worker's whole life (one per worker thread), so the kernel, its warmed imports and
the HTML exporter are reused across organisations. Nothing about an organisation is kept there.

The exporter and the Excel tables function are given as ``"module:function"`` strings (or
callables importable on the worker); by default the report package's, with a plain nbconvert
fallback while that package does not exist.
"""

from __future__ import annotations

import atexit
import importlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..safe import output_path
from .runner import ReportRunner

GROUP = "group"  # the group report's name; never an organisation code (see ikto_lib.safe)

DEFAULT_EXPORTER = "ikto_lib.report.export:export_html"
DEFAULT_TABLES = "ikto_lib.report.excel:excel_tables"

_RUNNERS: dict[tuple, ReportRunner] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class ReportJob:
    """Everything a worker needs for one report (paths absolute, outputs in ``folder``)."""

    name: str                 # organisation code, or "group"
    notebook: str
    parameters: dict
    folder: str               # outputs/<wave>
    title: str
    timeout: float
    fingerprint: str
    exporter: str | Callable | None = None
    tables: str | Callable | None = None   # None: no workbook (the group report)
    language: str = "nl"
    prepared: str = ""
    file: str = ""            # a unit report: "<org>/<slug>.html" (its name is that too)

    @property
    def html(self) -> Path:
        if self.file:
            from ..report.unit import unit_output_path

            org, _, stem = self.file.partition("/")
            return unit_output_path(self.folder, org, stem.removesuffix(".html"))
        return output_path(self.folder, self.name, ".html", allow=(GROUP,))

    @property
    def xlsx(self) -> Path:
        return output_path(self.folder, self.name, ".xlsx", allow=(GROUP,))

    @property
    def outputs(self) -> list[str]:
        if self.file:
            return [self.file]
        return [f"{self.name}.html"] + ([f"{self.name}.xlsx"] if self.tables else [])


@dataclass
class ReportOutcome:
    name: str
    status: str               # ok | failed
    reason: str = ""
    seconds: float = 0.0
    sizes: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    diagnostics: str | None = None
    worker: str = ""


def resolve(ref: str | Callable | None, default: str | None = None) -> Callable | None:
    """A callable from a ``"module:attr"`` reference (or the callable itself)."""
    if callable(ref):
        return ref
    ref = ref or default
    if ref is None:
        return None
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


def get_runner(kernel_name: str = "python3", cwd: str | None = None) -> ReportRunner:
    """This process's (and thread's) long-lived runner; started on first use."""
    key = (kernel_name, cwd, threading.get_ident())
    with _LOCK:
        runner = _RUNNERS.get(key)
        if runner is None:
            runner = _RUNNERS[key] = ReportRunner(kernel_name=kernel_name, cwd=cwd)
            if len(_RUNNERS) == 1:
                atexit.register(shutdown_runners)
    return runner


def shutdown_runners() -> int:
    """Stop every kernel of this process; return how many were stopped."""
    with _LOCK:
        runners = list(_RUNNERS.values())
        _RUNNERS.clear()
    for runner in runners:
        try:
            runner.close()
        except Exception:
            pass
    return len(runners)


def run_job(job: ReportJob) -> ReportOutcome:
    """Execute one report and write its outputs; a failure is returned, never raised."""
    t0 = time.perf_counter()
    worker = _worker_name()
    try:
        exporter = resolve(job.exporter, DEFAULT_EXPORTER)
        runner = get_runner(cwd=str(Path(job.notebook).parent))
    except Exception as exc:
        return ReportOutcome(job.name, "failed", f"setup: {type(exc).__name__}: {exc}",
                             time.perf_counter() - t0, worker=worker)
    res = runner.run(job.notebook, job.parameters, job.html, title=job.title,
                     timeout=job.timeout, log_dir=Path(job.folder) / "logs", exporter=exporter,
                     name=_log_name(job))
    out = ReportOutcome(job.name, res.status, res.reason, res.seconds, timings=res.timings,
                        diagnostics=res.diagnostics, worker=worker)
    if res.status != "ok":
        return out
    out.sizes[job.html.name] = res.html_bytes
    if job.tables:
        t1 = time.perf_counter()
        try:
            from .excel import write_workbook

            tables = resolve(job.tables, DEFAULT_TABLES)(job.prepared, job.name,
                                                         language=job.language)
            out.sizes[job.xlsx.name] = write_workbook(tables, job.xlsx)
        except Exception as exc:
            out.status, out.reason = "failed", f"Excel workbook: {type(exc).__name__}: {exc}"
        out.timings["excel"] = time.perf_counter() - t1
    out.seconds = time.perf_counter() - t0
    return out


def _log_name(job: ReportJob) -> str:
    """The name of a failed report's kept notebook in ``logs/`` (a unit report: a hash)."""
    if not job.file:
        return job.name
    import hashlib

    return "unit-" + hashlib.sha256(job.file.encode("utf-8")).hexdigest()[:16]


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return get_worker().name
    except Exception:
        return "local"
