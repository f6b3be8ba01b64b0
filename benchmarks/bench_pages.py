"""Page count of every organisation's report in Chromium's PDF (A4), as a distribution.

    python benchmarks/bench_pages.py outputs/2015 [--jobs 2]

Renders each ``<org>.html`` of an output folder (``ikto batch`` writes them) with
``chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
--print-to-pdf=...`` into a temporary folder, reads the page count with poppler's ``pdfinfo`` and
prints one line per report and the distribution (min, quartiles, max, how many over 10 pages).
Needs Debian's ``chromium`` and ``poppler-utils``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

CHROMIUM = ("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking")
SKIP = {"index.html", "group.html"}


def pages(html: Path, out: Path) -> int:
    pdf = out / (html.stem + ".pdf")
    subprocess.run([*CHROMIUM, f"--print-to-pdf={pdf}", html.resolve().as_uri()], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="an output folder of one wave, e.g. outputs/2015")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--limit", type=int, default=10, help="the page budget of a typical report")
    a = ap.parse_args(argv)
    for tool in ("chromium", "pdfinfo"):
        if shutil.which(tool) is None:
            print(f"bench_pages: {tool} not found (apt-get install chromium poppler-utils)", file=sys.stderr)
            return 2
    reports = sorted(p for p in a.folder.glob("*.html") if p.name not in SKIP)
    if not reports:
        print(f"bench_pages: no reports in {a.folder}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(a.jobs) as pool:
        counts = list(pool.map(lambda p: pages(p, Path(tmp)), reports))
    for p, n in zip(reports, counts):
        print(f"{p.stem:<14} {n:>3} pages")
    c = np.array(counts)
    q = np.percentile(c, [0, 25, 50, 75, 100])
    print(f"\n{len(c)} reports: min {q[0]:.0f}, p25 {q[1]:.0f}, median {q[2]:.0f}, p75 {q[3]:.0f}, max {q[4]:.0f}; "
          f"over {a.limit} pages: {(c > a.limit).sum()}")
    print("distribution: " + ", ".join(f"{k} pages: {v}" for k, v in zip(*np.unique(c, return_counts=True))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
