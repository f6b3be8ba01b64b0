"""A real dask cluster: `dask scheduler` and one `dask worker` on 127.0.0.1, batch via --scheduler."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).parent
DASK = Path(sys.executable).with_name("dask")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_cluster(tmp_path):
    """Scheduler + one worker (1 process, 1 thread) as subprocesses; stopped afterwards."""
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ)
    paths = [str(HERE), str(HERE.parent), str(HERE.parents[1]), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    env["DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES"] = "0"
    procs = []
    logs = [open(tmp_path / "scheduler.log", "wb"), open(tmp_path / "worker.log", "wb")]
    try:
        procs.append(subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
             "--dashboard-address", f"127.0.0.1:{free_port()}"],
            env=env, cwd=tmp_path, stdout=logs[0], stderr=subprocess.STDOUT, start_new_session=True))
        procs.append(subprocess.Popen(
            [str(DASK), "worker", address, "--nworkers", "1", "--nthreads", "1", "--host", "127.0.0.1",
             "--no-dashboard", "--death-timeout", "60"],
            env=env, cwd=tmp_path, stdout=logs[1], stderr=subprocess.STDOUT, start_new_session=True))
        deadline = time.monotonic() + 90
        while True:
            try:
                with Client(address, timeout=5) as client:
                    client.wait_for_workers(1, timeout=max(1, deadline - time.monotonic()))
                    break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                    pytest.fail("dask cluster did not start: "
                                + (tmp_path / "worker.log").read_text()[-2000:])
                time.sleep(0.5)
        yield address
    finally:
        for p in reversed(procs):
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in reversed(procs):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=10)
        for f in logs:
            f.close()


@pytest.mark.slow
def test_batch_through_an_existing_dask_cluster(stub_batch, dask_cluster):
    from tests.batch.batchstubs import write_faults

    write_faults(stub_batch.faults, {"MINFIN": "raise"})
    result = stub_batch.run(scheduler=dask_cluster, orgs=["MINBZK", "MINFIN", "WSHDN"])
    assert result.exit_code == 1
    st = {o: s.status for o, s in result.statuses.items()}
    assert (st["MINBZK"], st["WSHDN"], st["MINFIN"], st["GEMXS"]) == ("ok", "ok", "failed", "skipped")
    assert st["MINVWS"] == "not_run"
    assert result.group.status == "ok"
    assert (stub_batch.folder / "MINBZK.html").is_file() and (stub_batch.folder / "MINBZK.xlsx").is_file()
    assert "MINBZK: ok" in result.log_file.read_text()


def test_an_unreachable_scheduler_is_bad_input(stub_batch):
    result = stub_batch.run(scheduler=f"tcp://127.0.0.1:{free_port()}", orgs=["MINBZK"])
    assert result.exit_code == 2 and "cannot connect" in result.message
