"""A report rendered by headless Chromium (Debian ``chromium``, installed by ``make sysdeps``):
to PDF (A4, print stylesheet) and to a PNG screenshot, without error."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-extensions", "--hide-scrollbars"]


def chromium(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    assert CHROMIUM is not None, "chromium is not installed (make sysdeps installs the Debian package)"
    return subprocess.run([CHROMIUM, *FLAGS, *args], capture_output=True, text=True, timeout=timeout)


def test_report_prints_to_pdf_and_screenshots(rendered, tmp_path):
    from pypdf import PdfReader

    html = rendered[("MINBZK", "nl")]["html"]
    pdf = tmp_path / "report.pdf"
    run = chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", Path(html).resolve().as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    assert pdf.exists() and pdf.stat().st_size > 50_000
    reader = PdfReader(pdf)
    # ten sections, each from a new page; charts and tables are not cut, so a few more pages
    assert 10 <= len(reader.pages) <= 40
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595) < 3 and abs(float(box.height) - 842) < 3  # A4 in points
    first = reader.pages[0].extract_text()
    assert "Ministerie van Binnenlandse Zaken" in first and "Inhoud" in first
    text = " ".join(p.extract_text() for p in reader.pages)
    for title in ("Samenvatting", "Totaaloordeel", "Prioriteiten", "Methode en respons"):
        assert title in text
    # charts are SVG with live text: their words are text in the PDF too (sharp, searchable)
    assert "Top-2 min benchmark (procentpunt)" in text and "Rapportcijfer (1-10)" in text

    png = tmp_path / "report.png"
    run = chromium(f"--screenshot={png}", "--window-size=1280,2000", Path(html).resolve().as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    from PIL import Image

    with Image.open(png) as im:
        assert im.size == (1280, 2000)
        low, high = im.convert("L").getextrema()
        assert high - low > 100  # not a blank page
