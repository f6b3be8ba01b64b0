"""Analyst workbench: the logic of the JupyterLab tools (explorer, pluim browser) and their
ipywidgets front ends (:mod:`ikto_lib.workbench.ui`, imported lazily so the logic needs no
widgets)."""

from .explorer import Explorer
from .pluim import PluimBrowser

__all__ = ["Explorer", "PluimBrowser"]
