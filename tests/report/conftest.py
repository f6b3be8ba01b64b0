"""Fixtures of the report tests.

* ``fake_prepared*``: synthetic prepared folders (``tests/fakeprepared.py``) for the edge cases
  (no previous wave, peer group too small, nothing flagged, suppressed cells);
* ``small_prepared``: real prepared results of a small demo wave (3,000 respondents, seed 2015)
  compared with its 2013 wave, for the end-to-end tests;
* ``rendered``: the notebook executed by papermill for three organisations in Dutch and one in
  English (four executions in the whole session; each costs a few seconds).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakeprepared import write_fake_prepared

SMALL_SEED = 2015
SMALL_RESPONDENTS = 3000

#: (org, language): a large ministry (planted: catering far below the benchmark), a small body
#: without real differences, the organisation with a unit below the threshold; one in English.
REPORTS = (("MINVENJ", "nl"), ("KADASTER", "nl"), ("MINBZK", "nl"), ("PV-GLD", "en"))


@pytest.fixture(scope="session")
def fake_prepared(tmp_path_factory) -> Path:
    return write_fake_prepared(tmp_path_factory.mktemp("fake") / "prepared")


@pytest.fixture(scope="session")
def fake_prepared_noprev(tmp_path_factory) -> Path:
    return write_fake_prepared(tmp_path_factory.mktemp("fake_noprev") / "prepared", previous=False)


@pytest.fixture(scope="session")
def fake_prepared_flat(tmp_path_factory) -> Path:
    return write_fake_prepared(tmp_path_factory.mktemp("fake_flat") / "prepared", flagged=False)


@pytest.fixture(scope="session")
def small_prepared(tmp_path_factory) -> Path:
    """Prepared results of a small demo wave 2015 compared with 2013."""
    from ikto_lib.config import load_settings
    from ikto_lib.demo import generate
    from ikto_lib.prepare import prepare
    from ikto_lib.validate import load_wave

    root = tmp_path_factory.mktemp("small_demo")
    generate(root, seed=SMALL_SEED, respondents=SMALL_RESPONDENTS)
    return prepare(load_wave(root / "2015"), load_wave(root / "2013"), load_settings(), root / "prepared")


@pytest.fixture(scope="session")
def rendered(small_prepared, tmp_path_factory) -> dict[tuple[str, str], dict]:
    """{(org, language): {"html": path, "notebook": path, "seconds": float}} for :data:`REPORTS`."""
    import time

    from ikto_lib.report.run import render_report

    out = tmp_path_factory.mktemp("reports")
    result = {}
    for org, lang in REPORTS:
        t0 = time.perf_counter()
        html = render_report(org, small_prepared, out / f"{org}-{lang}.html", language=lang,
                             keep_notebook=out / f"{org}-{lang}.ipynb")
        result[(org, lang)] = {"html": html, "notebook": out / f"{org}-{lang}.ipynb",
                               "seconds": time.perf_counter() - t0}
    return result
