"""Every notebook is committed thin and without outputs, declares the project's kernel ``ikto``,
and runs with its default parameters from ``notebooks/`` (as "Run all" in JupyterLab does), its
relative paths resolved from the project root."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
ALL = ["explore.ipynb", "data_quality.ipynb", "benchmark_report.ipynb", "group_report.ipynb"]


@pytest.mark.parametrize("name", ALL)
def test_committed_without_outputs_thin_on_the_ikto_kernel(name):
    nb = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "ikto"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert "parameters" in code[0]["metadata"].get("tags", [])
    params = "".join(code[0]["source"])
    assert "../" not in params  # relative to the project root, not to the working folder
    if name == "explore.ipynb":
        assert 'waves_dir: str = "data/demo"' in params and "wave: str" in params and "language: str" in params
    elif name == "data_quality.ipynb":
        assert 'wave_dir: str = "data/demo/2015"' in params and "previous_dir" in params
        assert "show_respondent_ids: bool = False" in params
    else:
        assert 'prepared: str = "outputs/2015/prepared"' in params
    for c in code:
        assert c["outputs"] == [] and c["execution_count"] is None
        assert "def " not in "".join(c["source"])


@pytest.fixture(scope="module")
def ikto_kernel(tmp_path_factory):
    """The registered ``ikto`` kernel (``make demo`` / ``make test`` register it); when absent, a
    spec of that name for this interpreter, so the notebooks' own metadata is what is tested."""
    from jupyter_client.kernelspec import KernelSpecManager

    if "ikto" in KernelSpecManager().find_kernel_specs():
        yield None
        return
    root = tmp_path_factory.mktemp("jupyter")
    spec = root / "kernels" / "ikto"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python (ikto)", "language": "python"}), encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("JUPYTER_PATH", str(root))
    yield root
    mp.undo()


@pytest.fixture(scope="module")
def project(tmp_path_factory, demo_dir, demo_prepared):
    """A project folder as after ``make demo``: notebooks/, data/demo, outputs/2015/prepared."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(NOTEBOOKS, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (root / "data").mkdir()
    (root / "data" / "demo").symlink_to(demo_dir, target_is_directory=True)
    (root / "outputs" / "2015").mkdir(parents=True)
    (root / "outputs" / "2015" / "prepared").symlink_to(demo_prepared, target_is_directory=True)
    return root


@pytest.mark.slow
@pytest.mark.parametrize("name", ALL)
def test_run_all_from_the_notebooks_folder_on_the_ikto_kernel(name, project, ikto_kernel, monkeypatch):
    import papermill as pm

    monkeypatch.chdir(project / "notebooks")
    out = project / f"executed-{name}"
    # no kernel_name and no parameters: the notebook's kernelspec and defaults, cwd notebooks/
    pm.execute_notebook(str(project / "notebooks" / name), str(out), cwd=str(project / "notebooks"),
                        progress_bar=False, execution_timeout=600)
    nb = json.loads(out.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "ikto"
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    texts = " ".join("".join(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "<Figure size" not in texts  # figures are shown, never their repr
    if name == "explore.ipynb":
        assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    elif name == "data_quality.ipynb":
        html = " ".join("".join(o.get("data", {}).get("text/html", "")) for o in outputs)
        assert "Straight-lining" in html and "Respondent</th>" not in html  # no ids by default
        assert any("image/png" in o.get("data", {}) for o in outputs)
    else:
        assert sum("text/html" in o.get("data", {}) for o in outputs) >= 3
