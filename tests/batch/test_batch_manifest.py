"""The manifest: a report's fingerprint changes with each of its inputs, and only with them."""

from __future__ import annotations

import json

import pytest

from ikto_lib.batch.manifest import Manifest, report_fingerprint
from ikto_lib.config import load_instrument, load_settings


@pytest.fixture
def inputs(tmp_path):
    nb = tmp_path / "report.ipynb"
    nb.write_text('{"cells": []}')
    return dict(data="d1", settings=load_settings(), instrument=load_instrument(), notebook=nb,
                language="nl", parameters={"org": "A", "prepared": "/x"}, library="0.1.0+abc")


def test_fingerprint_depends_on_every_input(inputs, tmp_path):
    base = report_fingerprint(**inputs)
    assert report_fingerprint(**inputs) == base
    changed = [
        {"data": "d2"},
        {"settings": inputs["settings"].replace(min_n=15)},
        {"language": "en"},
        {"parameters": {"org": "B", "prepared": "/x"}},
        {"library": "0.1.1+abc"},
    ]
    for change in changed:
        assert report_fingerprint(**{**inputs, **change}) != base, change
    inputs["notebook"].write_text('{"cells": [1]}')
    assert report_fingerprint(**inputs) != base


def test_fingerprint_ignores_how_the_batch_runs(inputs):
    base = report_fingerprint(**inputs)
    s = inputs["settings"].replace(workers=7, report_timeout=5)
    assert report_fingerprint(**{**inputs, "settings": s}) == base
    # the prepared folder's location is not content
    assert report_fingerprint(**{**inputs, "parameters": {"org": "A", "prepared": "/y"}}) == base


def test_manifest_records_only_complete_reports(tmp_path):
    path = tmp_path / "manifest.json"
    m = Manifest.load(path)  # absent: empty
    (tmp_path / "A.html").write_text("x")
    m.record("A", "fp", ["A.html", "A.xlsx"])
    assert not m.is_current("A", "fp", folder=tmp_path)  # A.xlsx missing
    (tmp_path / "A.xlsx").write_text("x")
    again = Manifest.load(path)
    assert again.is_current("A", "fp", folder=tmp_path)
    assert not again.is_current("A", "other", folder=tmp_path)
    again.forget("A")
    assert json.loads(path.read_text())["reports"] == {}
    path.write_text("{not json")  # a damaged manifest means: rebuild everything
    assert Manifest.load(path).data["reports"] == {}
