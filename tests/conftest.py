"""Shared fixtures: one demo wave pair and its prepared results per test session.

The demo is generated at its default size (30,000 respondents, 40 organisations) once, so the
planted effects are found with realistic power; tests that need something small build their own
with ``tests/smallwave.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")

DEMO_SEED = 2015
DEMO_RESPONDENTS = 30000


@pytest.fixture(scope="session")
def settings():
    from ikto_lib.config import load_settings

    return load_settings()


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    from ikto_lib.demo import generate

    out = tmp_path_factory.mktemp("demo")
    generate(out, seed=DEMO_SEED, respondents=DEMO_RESPONDENTS)
    return out


@pytest.fixture(scope="session")
def demo_waves(demo_dir):
    """(wave 2015, wave 2013), loaded and validated."""
    from ikto_lib.validate import load_wave

    return load_wave(demo_dir / "2015"), load_wave(demo_dir / "2013")


@pytest.fixture(scope="session")
def demo_prepared(demo_waves, settings, tmp_path_factory) -> Path:
    """Prepared results of the 2015 demo wave compared with 2013."""
    from ikto_lib.prepare import prepare

    wave, previous = demo_waves
    return prepare(wave, previous, settings, tmp_path_factory.mktemp("prepared") / "prepared")
