"""The exporter on hand-made executed notebooks (no kernel): only rich outputs reach the HTML."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from ikto_lib.report.export import ExportError, export_html


def executed(*outputs, language="nl"):
    nb = new_notebook()
    nb.metadata["papermill"] = {"parameters": {"language": language}}
    nb.cells = [new_markdown_cell("# Notes for analysts"),
                new_code_cell("import secret_stuff", outputs=list(outputs), execution_count=3)]
    return nb


def test_only_rich_outputs_are_kept_without_code_or_prompts():
    nb = executed(
        new_output("stream", name="stderr", text="UserWarning: something\n"),
        new_output("stream", name="stdout", text="debug print\n"),
        new_output("execute_result", data={"text/plain": "<Figure size 640x480 with 1 Axes>"}, execution_count=3),
        new_output("display_data", data={"text/html": '<section data-section="x"><h2 id="x">Kop</h2></section>',
                                         "text/plain": "Section('x')"}),
    )
    html = export_html(nb, title="Rapport & co")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.title.get_text() == "Rapport & co"
    assert soup.html["lang"] == "nl"
    assert soup.find(id="x").get_text() == "Kop"
    for bad in ("secret_stuff", "UserWarning", "debug print", "<Figure", "Section(", "Out[", "In [",
                "Notes for analysts"):
        assert bad not in html, bad
    assert not soup.find_all("script")
    assert "@page" in soup.style.get_text() and "break-inside: avoid" in soup.style.get_text()
    assert len(html) < 60_000  # no lab CSS (~270 KB) in a report


def test_language_from_the_parameters():
    nb = executed(new_output("display_data", data={"text/html": "<p>x</p>"}), language="en")
    assert BeautifulSoup(export_html(nb, title="t"), "html.parser").html["lang"] == "en"


def test_a_notebook_with_an_error_is_not_exported():
    nb = executed(new_output("error", ename="ReportError", evalue="unknown organisation 'X'", traceback=["..."]))
    with pytest.raises(ExportError, match="ReportError"):
        export_html(nb, title="t")
