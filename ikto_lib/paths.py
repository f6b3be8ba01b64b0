"""Where things are: parameters, notebooks, the project root and its ``outputs/``, from any
working folder and in a checkout as well as in an installed wheel.

* **parameters** (``settings.yml``, ``instrument.yml``, stop words): ``$IKTO_PARAMETERS``; else
  the ``parameters/`` folder of a project found by walking up from the working folder; else the
  checkout the library runs from; else the defaults shipped in the wheel (package data).
* **project root**: the first folder, from the working folder upwards, holding ``parameters/``
  or ``outputs/`` (so a notebook started in ``notebooks/`` finds ``../outputs``); else the
  checkout; else the working folder.
* **outputs**: ``$IKTO_OUTPUTS``, else ``<project root>/outputs``.
* :func:`resolve` turns a relative path of a notebook parameter (``outputs/2015/prepared``,
  ``data/demo/2015``) into the existing one: relative to the working folder or to any folder
  above it; when none exists, relative to the project root (so the error names that path).

>>> resolve("/tmp").as_posix()
'/tmp'
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: The repository the library runs from, if it is a checkout (``None`` when installed).
CHECKOUT: Path | None = PACKAGE_DIR.parent if (PACKAGE_DIR.parent / "parameters" / "settings.yml").is_file() else None

__all__ = ["parameters_dir", "packaged", "project_root", "outputs_dir", "resolve", "notebook", "CHECKOUT"]


def packaged(*parts: str) -> Path:
    """A file or folder of the package data (``ikto_lib/_data/...``, written into the wheel by
    the build from ``parameters/`` and ``notebooks/``)."""
    return Path(str(resources.files("ikto_lib").joinpath("_data", *parts)))


def _upwards(start: Path | None = None):
    here = Path(start or os.getcwd()).resolve()
    yield here
    yield from here.parents


def parameters_dir() -> Path:
    """Folder holding ``settings.yml`` and ``instrument.yml`` (see the module docstring)."""
    env = os.environ.get("IKTO_PARAMETERS")
    if env:
        return Path(env)
    for folder in _upwards():
        if (folder / "parameters" / "settings.yml").is_file():
            return folder / "parameters"
    if CHECKOUT is not None:
        return CHECKOUT / "parameters"
    return packaged("parameters")


def project_root(start: str | Path | None = None) -> Path:
    """The project folder: the first folder from ``start`` (default: the working folder) upwards
    holding ``parameters/`` or ``outputs/``; else the checkout; else ``start``."""
    for folder in _upwards(Path(start) if start else None):
        if (folder / "parameters").is_dir() or (folder / "outputs").is_dir():
            return folder
    return CHECKOUT or Path(start or os.getcwd()).resolve()


def outputs_dir(start: str | Path | None = None) -> Path:
    """``$IKTO_OUTPUTS`` or ``<project root>/outputs``."""
    env = os.environ.get("IKTO_OUTPUTS")
    return Path(env) if env else project_root(start) / "outputs"


def resolve(path: str | Path, start: str | Path | None = None) -> Path:
    """An existing path for ``path``: itself when absolute; else relative to ``start`` (the
    working folder) or the first folder above it where it exists; else relative to the project
    root."""
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    for folder in _upwards(Path(start) if start else None):
        if (folder / p).exists():
            return folder / p
    return project_root(start) / p


def notebook(name: str) -> Path:
    """A notebook of the project (``benchmark_report.ipynb`` ...): the checkout's ``notebooks/``,
    else the copy shipped in the wheel."""
    if CHECKOUT is not None and (CHECKOUT / "notebooks" / name).is_file():
        return CHECKOUT / "notebooks" / name
    return packaged("notebooks", name)
