"""Both workbench notebooks execute with papermill on the demo wave; committed without outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.mark.parametrize("name", ["explore.ipynb", "data_quality.ipynb"])
def test_committed_without_outputs_and_thin(name):
    nb = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert "parameters" in code[0]["metadata"].get("tags", [])
    params = "".join(code[0]["source"])
    if name == "explore.ipynb":
        assert 'waves_dir: str = "../data/demo"' in params and "wave: str" in params
    else:
        assert 'wave_dir: str = "../data/demo/2015"' in params and "previous_dir" in params
    for c in code:
        assert c["outputs"] == [] and c["execution_count"] is None
        assert "def " not in "".join(c["source"])


@pytest.mark.slow
@pytest.mark.parametrize("name", ["explore.ipynb", "data_quality.ipynb"])
def test_notebook_executes(name, demo_dir, tmp_path):
    import papermill as pm

    out = tmp_path / name
    pm.execute_notebook(
        str(NOTEBOOKS / name), str(out),
        parameters=({"waves_dir": str(demo_dir), "wave": "2015"} if name == "explore.ipynb" else
                    {"wave_dir": str(demo_dir / "2015"), "previous_dir": str(demo_dir / "2013")}),
        kernel_name="python3", cwd=str(NOTEBOOKS), progress_bar=False, execution_timeout=600,
    )
    nb = json.loads(out.read_text(encoding="utf-8"))
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    if name == "explore.ipynb":
        assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    else:
        assert any("Straight-lining" in "".join(o.get("data", {}).get("text/html", "")) for o in outputs)
