"""One benchmark report through the batch's engine (``ikto report``).

:func:`render_report` runs the report notebook with the very runner a batch worker uses
(:class:`ikto_lib.batch.runner.ReportRunner`: one long-lived kernel per process, a fresh namespace
per report, papermill's parameter injection, in-process HTML export with
:func:`~ikto_lib.report.export.export_html`). So ``ikto report ORG`` and ``ikto batch`` cannot drift
apart: same kernel set-up, same parameters, same title, same exporter. Several reports in one
process (tests, the workbench) reuse one warm kernel.

The notebook still follows papermill's convention (a cell tagged ``parameters``), so plain
``papermill notebooks/benchmark_report.ipynb out.ipynb -p org X -p prepared DIR`` works too.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from .. import __version__
from ..paths import notebook
from .config import ReportError, report_config
from .export import export_html

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
NOTEBOOK = notebook("benchmark_report.ipynb")

log = logging.getLogger(__name__)


def kernel_name() -> str:
    """The Jupyter kernel of the running environment: ``ikto`` when registered, else ``python3``
    (jupyter_client starts the ``python3`` spec with this interpreter, ``sys.executable``)."""
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    if "ikto" in specs:
        return "ikto"
    return "python3"


def title_for(instrument, org_name: str, wave: str, language: str) -> str:
    """A report's document title (``<title>``), the same for ``ikto report`` and the batch."""
    from .i18n import t

    rt = getattr(instrument, "report", None)
    kind = rt.title[language] if rt is not None else t("cover.kind", language)
    return f"{kind}: {org_name} ({t('cover.wave', language, wave=wave)})"


def report_title(cfg) -> str:
    return title_for(cfg.instrument, cfg.org_name, cfg.wave, cfg.language)


def parameters(cfg) -> dict:
    """The notebook's parameters for a validated config (absolute prepared path)."""
    return {
        "org": cfg.org,
        "wave": cfg.wave,
        "previous_wave": cfg.previous_wave or "",
        "language": cfg.language,
        "prepared": str(cfg.prepared_dir),
        "min_n": int(cfg.min_n),
        "name_peers": bool(cfg.name_peers),
    }


def render_report(
    org: str,
    prepared_dir: str | Path,
    out_html: str | Path,
    *,
    language: str = "nl",
    previous_wave: str | None = None,
    wave: str | None = None,
    min_n: int | None = None,
    name_peers: bool | None = None,
    notebook: str | Path = NOTEBOOK,
    kernel: str | None = None,
    timeout: int | None = None,
    keep_notebook: str | Path | None = None,
) -> Path:
    """Execute the report notebook for ``org`` and write its HTML atomically to ``out_html``.

    The parameters are validated in this process first (:func:`report_config`), so a bad
    organisation code fails in milliseconds with a clear :class:`ReportError`. The report runs on
    this process's long-lived :class:`~ikto_lib.batch.runner.ReportRunner` (the batch's engine).
    If the notebook fails, the executed notebook is kept next to the output as
    ``<name>.failed.ipynb`` and :class:`ReportError` is raised; no HTML is written then.

    ``keep_notebook``: also write the executed notebook there (for diagnosis and tests).
    ``kernel``: a Jupyter kernel name (default ``python3``, the batch's: this interpreter).

    Returns the path of the HTML file.
    """
    from ..batch.jobs import get_runner

    cfg = report_config(org, prepared=prepared_dir, wave=wave, previous_wave=previous_wave, language=language,
                        min_n=min_n, name_peers=name_peers)
    out_html = Path(out_html)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    failed = out_html.with_name(f"{out_html.stem}.failed.ipynb")
    t0 = time.perf_counter()
    runner = get_runner(kernel or "python3", cwd=str(Path(notebook).resolve().parent))
    kept: dict = {}
    res = runner.run(Path(notebook), parameters(cfg), out_html, title=report_title(cfg),
                     timeout=timeout or _default_timeout(), log_dir=out_html.parent,
                     exporter=_keeping(export_html, kept), name=f"{out_html.stem}.failed")
    if res.status != "ok":
        where = f"; executed notebook kept at {res.diagnostics}" if res.diagnostics else ""
        raise ReportError(f"{org}: the report failed: {res.reason}{where}")
    if keep_notebook is not None and "nb" in kept:
        import nbformat

        nbformat.write(kept["nb"], str(keep_notebook))
    failed.unlink(missing_ok=True)
    log.info("%s: report written to %s in %.1f s (ikto %s, %s)", org, out_html, time.perf_counter() - t0,
             __version__, sys.executable)
    return out_html


def _keeping(exporter, store: dict):
    """``exporter`` that also remembers the executed notebook it exported."""

    def export(nb, **kwargs):
        store["nb"] = nb
        return exporter(nb, **kwargs)

    return export


def _default_timeout() -> int:
    from ..config import load_settings

    return int(load_settings().report_timeout)
