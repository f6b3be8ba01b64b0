"""Run report jobs in parallel on dask.distributed, locally or on an existing cluster.

By default a ``LocalCluster`` of ``workers`` processes with one thread each (one report kernel per
worker); with ``scheduler`` the client connects to a cluster started with ``dask scheduler`` and
``dask worker`` (the workers must import ``ikto_lib``, from the installed wheel, nothing more: they share no
folder with the client, see :func:`run_jobs_remote`). The dashboard link of a local cluster is
printed when it starts.

Each job is one task. Whatever happens to it, its organisation gets an outcome: the report's own
failure (exception, kernel death, timeout) comes back from the worker; a worker process that died
(killed, out of memory) shows up as ``KilledWorker`` and any other error of the cluster as an
exception: both become ``failed`` with the reason, and the other jobs go on.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import tempfile
import uuid
from collections import deque
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable

from .jobs import ReportJob, ReportOutcome, run_job, shutdown_runners

log = logging.getLogger("ikto.batch")

# A report whose worker died is not retried on a local cluster (allowed failures 0): with one
# report in flight per worker thread (run_jobs) the report that died is the one that killed it.
# An external scheduler uses its own setting (dask's default retries such a task 3 times; start it
# with DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=0 for the same behaviour).
LOCAL_CONFIG = {
    "distributed.scheduler.allowed-failures": 0,
    "distributed.worker.daemon": False,
}


@contextmanager
def open_client(*, workers: int = 2, scheduler: str | None = None, connect_timeout: float = 30):
    """A dask client: to ``scheduler`` if given, else to a new local cluster of ``workers``."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        _check_reachable(scheduler, connect_timeout)
        client = Client(scheduler, timeout=connect_timeout, set_as_default=False)
        cluster = None
    else:
        with dask.config.set(LOCAL_CONFIG):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=":0", silence_logs=logging.ERROR)
        client = Client(cluster, set_as_default=False)
        log.info("dask dashboard: %s", client.dashboard_link)
        print(f"ikto batch: dask dashboard at {client.dashboard_link}", file=sys.stderr)
    try:
        yield client
    finally:
        try:
            client.run(shutdown_runners)  # stop the report kernels of every worker
        except Exception as exc:
            log.debug("could not stop worker kernels: %s", exc)
        client.close()
        if cluster is not None:
            cluster.close()


def _check_reachable(address: str, timeout: float) -> None:
    """Fail fast (OSError) when nothing listens at a ``tcp://host:port`` scheduler address."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme in ("tcp", "tls") and parts.hostname and parts.port:
        with socket.create_connection((parts.hostname, parts.port), timeout=timeout):
            pass


def run_jobs(client, jobs: Iterable[ReportJob],
             on_outcome: Callable[[ReportJob, ReportOutcome], None], *, func=run_job,
             args: tuple = ()) -> list[ReportOutcome]:
    """Run every job (in the given order) and report outcomes as they finish.

    At most as many jobs are in flight as the cluster has worker threads, so a job only ever
    waits on the scheduler, never in a worker's queue: a worker that dies takes no innocent
    bystander with it, and every job starts on an idle worker with a warm kernel.
    """
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    pending = deque(jobs)
    running: dict = {}
    batch = uuid.uuid4().hex[:8]
    done = as_completed(loop=client.loop)

    def fill() -> None:
        limit = max(1, sum(client.nthreads().values()))
        while pending and len(running) < limit:
            job = pending.popleft()
            fut = client.submit(func, job, *args, key=f"ikto-report-{job.name}-{batch}", pure=False)
            running[fut] = job
            done.add(fut)

    fill()
    outcomes = []
    for fut in done:
        job = running.pop(fut)
        try:
            outcome = fut.result()
        except KilledWorker:
            outcome = ReportOutcome(job.name, "failed", "worker process died while running this "
                                    "report (killed or out of memory)")
        except Exception as exc:
            outcome = ReportOutcome(job.name, "failed", f"{type(exc).__name__}: {exc}")
        fut.release()
        outcomes.append(outcome)
        on_outcome(job, outcome)
        fill()
    return outcomes


def cluster_map(client) -> Callable:
    """A ``map_files`` for :func:`ikto_lib.audit.audit_outputs` that audits on the cluster's
    workers, one task per file, results in order (the respondent ids go to every worker once).

    An error of a task (or of the cluster) is raised here; the batch then reports that the audit
    failed, which fails the batch.
    """
    def map_files(func, items, *, respondent_ids=None, **kwargs):
        import pandas as pd

        ids = None
        if respondent_ids is not None:  # one object (an Index), not scattered element by element
            ids = client.scatter(pd.Index(list(respondent_ids), dtype=object), broadcast=True)
        futures = client.map(func, list(items), respondent_ids=ids, pure=False, **kwargs)
        try:
            return client.gather(futures)
        finally:
            client.cancel(futures)

    return map_files


def run_jobs_in_process(jobs: Iterable[ReportJob],
                        on_outcome: Callable[[ReportJob, ReportOutcome], None]) -> list[ReportOutcome]:
    """The same, one after the other in this process (one report: no cluster to start)."""
    outcomes = []
    try:
        for job in jobs:
            outcome = run_job(job)
            outcomes.append(outcome)
            on_outcome(job, outcome)
    finally:
        shutdown_runners()
    return outcomes


# -- a cluster without a shared folder --------------------------------------------------------
# With --scheduler the workers may run on other machines: they get the prepared results and the
# notebooks as bytes from the client (scattered once to every worker), run each report in a
# temporary folder of their own, and send the report's bytes back; the client writes them
# atomically into the output folder. No path of the client's is sent to a worker.

def pack_inputs(jobs: list[ReportJob]) -> dict:
    """The bytes every worker needs: the prepared folders' files and the notebooks of ``jobs``."""
    prepared: dict[str, dict[str, bytes]] = {}
    notebooks: dict[str, bytes] = {}
    for job in jobs:
        if job.prepared and job.prepared not in prepared:
            folder = Path(job.prepared)
            prepared[job.prepared] = {p.name: p.read_bytes() for p in sorted(folder.iterdir())
                                      if p.is_file()}
        notebooks.setdefault(job.notebook, Path(job.notebook).read_bytes())
    keys = {k: hashlib.sha256(repr(sorted((n, hashlib.sha256(b).hexdigest())
                                          for n, b in files.items())).encode()).hexdigest()[:16]
            for k, files in prepared.items()}
    return {"prepared": {keys[k]: files for k, files in prepared.items()}, "prepared_keys": keys,
            "notebooks": {hashlib.sha256(b).hexdigest()[:16]: b for b in notebooks.values()},
            "notebook_keys": {k: hashlib.sha256(b).hexdigest()[:16] for k, b in notebooks.items()}}


def remote_job(job: ReportJob, inputs: dict) -> ReportJob:
    """``job`` without any path of the client: its prepared folder and notebook as keys of the
    scattered inputs, no output folder (the worker picks its own)."""
    pkey = inputs["prepared_keys"].get(job.prepared, "")
    params = dict(job.parameters)
    if "prepared" in params:
        params["prepared"] = pkey
    return replace(job, notebook=inputs["notebook_keys"][job.notebook], parameters=params,
                   folder="", prepared=pkey)


_MATERIALISED: dict[str, Path] = {}


def _materialise(inputs: dict, kind: str, key: str) -> Path:
    """A worker-local copy of a prepared folder or notebook (once per worker process)."""
    cache_key = f"{kind}:{key}"
    path = _MATERIALISED.get(cache_key)
    if path is None or not path.exists():
        root = Path(tempfile.mkdtemp(prefix="ikto-worker-"))
        if kind == "prepared":
            path = root / "prepared"
            path.mkdir()
            for name, data in inputs["prepared"][key].items():
                (path / name).write_bytes(data)
        else:
            path = root / "report.ipynb"
            path.write_bytes(inputs["notebooks"][key])
        _MATERIALISED[cache_key] = path
    return path


def run_job_remote(job: ReportJob, inputs: dict) -> tuple[ReportOutcome, dict[str, bytes]]:
    """Run ``job`` (from :func:`remote_job`) in a temporary folder of this worker; return its
    outcome and its outputs as bytes (``html``, ``xlsx``, ``notebook`` of a failed report)."""
    prepared = str(_materialise(inputs, "prepared", job.prepared)) if job.prepared else ""
    nb = str(_materialise(inputs, "notebook", job.notebook))
    params = dict(job.parameters)
    if "prepared" in params:
        params["prepared"] = prepared
    with tempfile.TemporaryDirectory(prefix="ikto-report-") as tmp:
        local = replace(job, notebook=nb, parameters=params, folder=tmp, prepared=prepared)
        if local.file:
            local.html.parent.mkdir(parents=True, exist_ok=True)
        outcome = run_job(local)
        files = {}
        if outcome.status == "ok":
            files["html"] = local.html.read_bytes()
            if local.tables and local.xlsx.is_file():
                files["xlsx"] = local.xlsx.read_bytes()
        elif outcome.diagnostics and Path(outcome.diagnostics).is_file():
            files["notebook"] = Path(outcome.diagnostics).read_bytes()
            outcome.diagnostics = None
    return outcome, files


def run_jobs_remote(client, jobs: Iterable[ReportJob],
                    on_outcome: Callable[[ReportJob, ReportOutcome], None]) -> list[ReportOutcome]:
    """:func:`run_jobs` for workers that share no folder with the client (see above)."""
    from ..prepared import atomic_write_bytes

    jobs = list(jobs)
    if not jobs:
        return []
    inputs = pack_inputs(jobs)
    [shared] = client.scatter([inputs], broadcast=True, hash=False)
    log.info("sent %.1f MB of prepared results and notebooks to every worker",
             sum(len(b) for f in inputs["prepared"].values() for b in f.values()) / 1e6)
    by_remote = {}

    def wrapped(job: ReportJob, outcome) -> None:
        original = by_remote[id(job)]
        outcome, files = outcome if isinstance(outcome, tuple) else (outcome, {})
        try:
            if "html" in files:
                if original.file:
                    original.html.parent.mkdir(parents=True, exist_ok=True)
                atomic_write_bytes(original.html, files["html"])
                outcome.sizes = {original.html.name: len(files["html"])}
            if "xlsx" in files:
                atomic_write_bytes(original.xlsx, files["xlsx"])
                outcome.sizes[original.xlsx.name] = len(files["xlsx"])
            if "notebook" in files:
                from .jobs import _log_name
                from ..safe import output_path

                diag = output_path(Path(original.folder) / "logs", _log_name(original), ".ipynb",
                                   allow=(original.name,))
                atomic_write_bytes(diag, files["notebook"])
                outcome.diagnostics = str(diag)
        except OSError as exc:
            outcome = ReportOutcome(original.name, "failed", f"cannot write: {exc}",
                                    outcome.seconds, worker=outcome.worker)
        on_outcome(original, outcome)

    remote = []
    for job in jobs:
        r = remote_job(job, inputs)
        by_remote[id(r)] = job
        remote.append(r)
    return run_jobs(client, remote, wrapped, func=run_job_remote, args=(shared,))
