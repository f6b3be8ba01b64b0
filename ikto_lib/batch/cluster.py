"""Run report jobs in parallel on dask.distributed, locally or on an existing cluster.

By default a ``LocalCluster`` of ``workers`` processes with one thread each (one report kernel per
worker); with ``scheduler`` the client connects to a cluster started with ``dask scheduler`` and
``dask worker`` (the workers must import ``ikto_lib`` and see the same file system as the batch,
since they read ``prepared/`` and write the reports).

Each job is one task. Whatever happens to it, its organisation gets an outcome: the report's own
failure (exception, kernel death, timeout) comes back from the worker; a worker process that died
(killed, out of memory) shows up as ``KilledWorker`` and any other error of the cluster as an
exception: both become ``failed`` with the reason, and the other jobs go on.
"""

from __future__ import annotations

import logging
import uuid
from collections import deque
from contextlib import contextmanager
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
             on_outcome: Callable[[ReportJob, ReportOutcome], None]) -> list[ReportOutcome]:
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
            fut = client.submit(run_job, job, key=f"ikto-report-{job.name}-{batch}", pure=False)
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
