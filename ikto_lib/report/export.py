"""Executed report notebook -> one self-contained HTML file (nbconvert, in-process).

The template (``ikto_lib/templates/report``) extends nbconvert's ``basic`` template: cells only,
no lab CSS (~270 KB) and no JavaScript, inside a small document with an inline stylesheet for
screen and A4 print. Input cells, prompts and markdown cells are left out; only rich (HTML/image)
outputs are kept, so a stray ``print``, warning or repr never reaches a stakeholder. A notebook
with an error output is refused: a failed report must not look like a report.
"""

from __future__ import annotations

import copy
import threading
from pathlib import Path

from .. import lean  # noqa: F401  (before nbformat: see ikto_lib.lean)

import nbformat

from .. import __version__

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE_NAME = "report"
_RICH = ("text/html", "image/png", "image/svg+xml")
_local = threading.local()


class ExportError(ValueError):
    """The notebook cannot be exported as a report (it holds an error)."""


def exporter():
    """The HTML exporter for reports (one per thread, reused: ~0.05 s per export)."""
    ex = getattr(_local, "exporter", None)
    if ex is None:
        from nbconvert import HTMLExporter

        ex = HTMLExporter(
            template_name=TEMPLATE_NAME,
            extra_template_basedirs=[str(TEMPLATES)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            exclude_markdown=True,
            exclude_raw=True,
        )
        _local.exporter = ex
    return ex


def clean_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy keeping only code cells' rich outputs (HTML, PNG, SVG); raises on an error output."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                raise ExportError(f"the notebook holds an error ({out.get('ename')}: {out.get('evalue')}); "
                                  "not exported as a report")
            if kind in ("display_data", "execute_result") and any(m in out.get("data", {}) for m in _RICH):
                out = copy.deepcopy(out)
                out["data"] = {m: v for m, v in out["data"].items() if m in _RICH}
                kept.append(out)
        cell["outputs"] = kept
    return nb


def _language(nb) -> str:
    params = nb.get("metadata", {}).get("papermill", {}).get("parameters", {}) or {}
    lang = params.get("language", "nl")
    return lang if lang in ("nl", "en") else "nl"


def export_html(notebook_node, *, title: str) -> str:
    """The executed report notebook as one HTML document (a string).

    Parameters
    ----------
    notebook_node : an executed notebook (``nbformat.NotebookNode``), e.g. from papermill.
    title : the document title (``<title>``).
    """
    nb = clean_notebook(notebook_node)
    resources = {"metadata": {"name": title}, "ikto": {"language": _language(notebook_node), "version": __version__}}
    body, _ = exporter().from_notebook_node(nb, resources=resources)
    return body
