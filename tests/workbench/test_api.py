"""The README's "Python API": a wave folder to a tidy frame of results and one chart."""

from __future__ import annotations

import shutil

import pytest

from ikto_lib.api import ChartFigure, domain_chart, results
from ikto_lib.prepared import RESULTS_COLUMNS


def test_three_lines_from_a_wave_folder(demo_dir, demo_prepared, tmp_path, monkeypatch):
    outputs = tmp_path / "outputs"
    (outputs / "2015").mkdir(parents=True)
    shutil.copytree(demo_prepared, outputs / "2015" / "prepared")  # current: reused, not recomputed
    monkeypatch.setenv("IKTO_OUTPUTS", str(outputs))
    res = results(demo_dir / "2015", previous=demo_dir / "2013")
    assert set(RESULTS_COLUMNS) <= set(res.columns) and len(res) > 1000
    fig = domain_chart(res, "MINBZK")
    assert isinstance(fig, ChartFigure) and fig._repr_png_()[:4] == b"\x89PNG"
    ax = fig.axes[0]
    assert len(ax.patches) == res.loc[res["domain"] != "", "domain"].nunique()
    assert ax.collections  # the benchmark diamonds
    with pytest.raises(ValueError, match="NOPE"):
        domain_chart(res, "NOPE")


def test_public_functions_have_docstrings_and_hints():
    import inspect

    from ikto_lib import api, paths
    from ikto_lib.workbench import Explorer

    for fn in (api.results, api.domain_chart, paths.resolve, paths.parameters_dir, Explorer.select, Explorer.export):
        assert fn.__doc__ and len(fn.__doc__) > 40, fn
        sig = inspect.signature(fn)
        assert sig.return_annotation is not inspect.Signature.empty, fn
        assert all(p.annotation is not inspect.Parameter.empty for n, p in sig.parameters.items() if n != "self"), fn
