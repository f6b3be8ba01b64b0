"""A cluster that shares no folder with the client (``ikto batch --scheduler``).

A real ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1 run from a venv that
holds the built wheel (its dependencies through a path file to the test's own environment, not
its ``.pth`` files, so not the editable checkout), in empty temporary working folders, with
``PYTHONPATH`` unset. Where the machine allows it (root, ``unshare``), each worker also runs in a
mount namespace in which the checkout and the batch's output folder are empty tmpfs mounts: the
reports can only reach the output folder as bytes sent back to the client.
"""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

from tests.batch.test_batch_dask_cluster import free_port
from tests.smallwave import write_small_wave

ROOT = Path(__file__).resolve().parents[2]


def _can_unshare() -> bool:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                            "mount -t tmpfs tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory) -> Path:
    """A venv with the built wheel of this checkout (python of the venv returned)."""
    base = tmp_path_factory.mktemp("wheel")
    build = base / "src"  # build from a copy: the checkout stays untouched
    shutil.copytree(ROOT, build, ignore=shutil.ignore_patterns(
        ".git", "data", "outputs", "build", "*.egg-info", "__pycache__", ".venv", "tests"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(build), "--no-deps", "-q",
                    "-w", str(base / "dist")], check=True, cwd=base, capture_output=True)
    wheel = next((base / "dist").glob("ikto-*.whl"))
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")  # a path, no .pth run
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
                    str(wheel)], check=True, capture_output=True)
    return py


@pytest.fixture
def remote_cluster(wheel_venv, tmp_path):
    """Scheduler + two single-thread workers from the wheel venv; stopped afterwards."""
    from distributed import Client

    out = tmp_path / "client" / "out"
    out.mkdir(parents=True)
    # hide every folder of the checkout (its library, parameters and notebooks) except the one
    # holding this interpreter's venv, whose packages the wheel venv borrows (CI's venv lives in
    # the checkout), and the client's output folder
    prefix = Path(sys.prefix).resolve()
    checkout = [p for p in sorted(ROOT.iterdir())
                if p.is_dir() and not p.is_symlink() and not prefix.is_relative_to(p.resolve())]
    hide = [*map(str, checkout), str(out.parent)] if _can_unshare() else []
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES"] = "0"
    # the dependencies' data files (nbconvert's templates) as if installed into the venv
    env["JUPYTER_PATH"] = str(Path(sysconfig.get_path("data")) / "share" / "jupyter")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs, logs = [], []

    def start(args, cwd: Path, name: str, isolate: bool):
        cwd.mkdir(parents=True, exist_ok=True)
        cmd = [str(wheel_venv), "-m", "dask", *args]
        if isolate and hide:
            mounts = " && ".join(f"mount -t tmpfs tmpfs '{p}'" for p in hide)
            cmd = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
                   f"{mounts} && exec \"$@\"", "sh", *cmd]
        log = open(tmp_path / f"{name}.log", "wb")
        logs.append(log)
        procs.append(subprocess.Popen(cmd, cwd=cwd, env={**env, "TMPDIR": str(cwd)}, stdout=log,
                                      stderr=subprocess.STDOUT, start_new_session=True))

    try:
        start(["scheduler", "--host", "127.0.0.1", "--port", str(port), "--dashboard-address",
               f"127.0.0.1:{free_port()}"], tmp_path / "scheduler", "scheduler", False)
        for i in (1, 2):
            start(["worker", address, "--nworkers", "1", "--nthreads", "1", "--host", "127.0.0.1",
                   "--no-dashboard", "--death-timeout", "60"], tmp_path / f"worker{i}", f"worker{i}", True)
        deadline = time.monotonic() + 120
        while True:
            try:
                with Client(address, timeout=5) as client:
                    client.wait_for_workers(2, timeout=max(1, deadline - time.monotonic()))
                    break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                    pytest.fail("dask cluster did not start: "
                                + (tmp_path / "worker1.log").read_text()[-2000:])
                time.sleep(0.5)
        yield address, out, bool(hide)
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


def test_remote_jobs_carry_no_client_path(tmp_path):
    from ikto_lib.batch.cluster import pack_inputs, remote_job
    from ikto_lib.batch.jobs import ReportJob

    prepared = tmp_path / "OUTSECRET" / "prepared"
    prepared.mkdir(parents=True)
    (prepared / "results.parquet").write_bytes(b"x")
    nb = tmp_path / "OUTSECRET" / "r.ipynb"
    nb.write_text("{}")
    job = ReportJob("ORG/a.html", str(nb), {"org": "ORG", "prepared": str(prepared)},
                    str(tmp_path / "OUTSECRET"), "t", 60, "fp", prepared=str(prepared), file="ORG/a.html")
    inputs = pack_inputs([job])
    r = remote_job(job, inputs)
    assert b"OUTSECRET" not in pickle.dumps(r) and b"OUTSECRET" not in pickle.dumps(
        {k: v for k, v in inputs.items() if k in ("prepared", "notebooks")})


@pytest.mark.slow
def test_batch_on_workers_without_a_shared_folder(remote_cluster, wheel_venv, tmp_path):
    from distributed import Client

    from ikto_lib.batch import run_batch

    address, out, isolated = remote_cluster
    with Client(address, timeout=10) as client:  # the workers run the wheel, not this checkout
        where = client.run(lambda: (__import__("ikto_lib").__file__, os.getcwd(),
                                    os.environ.get("PYTHONPATH")))
        for lib, cwd, pythonpath in where.values():
            assert lib.startswith(str(wheel_venv.parents[1])), lib  # the wheel in the venv
            assert pythonpath is None and not list(Path(cwd).glob("*.html"))
        if isolated:  # in the workers' mount namespace the output folder is an empty tmpfs
            seen = client.run(lambda: sorted(os.listdir(str(out.parent))))
            assert all(v == [] for v in seen.values())
    wave = write_small_wave(tmp_path / "wave" / "2015", n_per_unit=(40, 35, 12, 4))
    result = run_batch(wave, out=out, scheduler=address, progress=False, units=True,
                       orgs=["MINBZK", "PRVUT"])
    folder = out / "2015"
    ok = {o: st.status for o, st in result.statuses.items()}
    assert ok["MINBZK"] == ok["PRVUT"] == "ok", result.statuses
    for org in ("MINBZK", "PRVUT"):
        assert (folder / f"{org}.html").read_text().rstrip().endswith("</html>")
        assert (folder / f"{org}.xlsx").stat().st_size > 0
    assert result.group.status == "ok" and (folder / "group.html").is_file()
    assert result.units and all(st.status == "ok" for st in result.units.values()), result.units
    for f in result.units:
        assert (folder / f).is_file()
    assert result.exit_code == 0, (result.audit_problems, result.message)
