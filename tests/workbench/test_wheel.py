"""The built wheel stands alone: installed into a fresh virtualenv outside the checkout, it
carries its parameters, notebooks and templates, and runs ``ikto demo`` and ``ikto batch``."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(cmd, cwd, env, timeout=900):
    p = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert p.returncode == 0, f"{cmd}: exit {p.returncode}\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}"
    return p.stdout


@pytest.mark.slow
def test_wheel_installs_and_runs_demo_and_batch_outside_the_checkout(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "IKTO_PARAMETERS", "IKTO_OUTPUTS")}
    _run([sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "-w", tmp_path / "wheel", "-q"], tmp_path, env)
    wheel = next((tmp_path / "wheel").glob("ikto-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in ("ikto_lib/_data/parameters/settings.yml", "ikto_lib/_data/parameters/instrument.yml",
                    "ikto_lib/_data/parameters/stopwords_nl.txt", "ikto_lib/_data/notebooks/benchmark_report.ipynb",
                    "ikto_lib/_data/notebooks/group_report.ipynb", "ikto_lib/_data/notebooks/explore.ipynb",
                    "ikto_lib/_data/notebooks/data_quality.ipynb", "ikto_lib/templates/report/index.html.j2",
                    "ikto_lib/py.typed"):
        assert shipped in names, shipped
    venv = tmp_path / "venv"
    _run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", venv], tmp_path, env)
    py = venv / "bin" / "python"
    site = Path(_run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path, env).strip())
    # the dependencies come from this environment (a path only: its editable ikto finder is not loaded)
    (site / "ikto_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run([py, "-m", "pip", "install", "--no-deps", "-q", wheel], tmp_path, env)
    # nbconvert's templates are data files of the dependency's environment, not of ikto
    jupyter = tmp_path / "jupyter"
    jupyter.mkdir()
    (jupyter / "nbconvert").symlink_to(Path(sys.prefix) / "share" / "jupyter" / "nbconvert")
    env["JUPYTER_PATH"] = str(jupyter)
    work = tmp_path / "work"
    work.mkdir()
    where = _run([py, "-c", "import ikto_lib, ikto_lib.paths as p; print(ikto_lib.__file__); print(p.parameters_dir())"],
                 work, env).split()
    assert where[0].startswith(str(venv)) and where[1].startswith(str(venv)), where  # the wheel, not the checkout
    ikto = venv / "bin" / "ikto"
    _run([ikto, "demo", "--out", "data", "--orgs", "8", "--respondents", "2000"], work, env)
    _run([ikto, "validate", "data/2015"], work, env)
    out = _run([ikto, "batch", "data/2015", "--previous", "data/2013", "--out", "outputs", "--workers", "1"],
               work, env, timeout=1800)
    assert "0 failed" in out
    assert (work / "outputs" / "2015" / "index.html").is_file() and (work / "outputs" / "2015" / "group.html").is_file()
    assert len(list((work / "outputs" / "2015").glob("*.xlsx"))) >= 5
