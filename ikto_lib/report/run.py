"""One benchmark report, the simple way: papermill executes the notebook, nbconvert exports it.

:func:`render_report` is what ``ikto report`` uses. The batch (:mod:`ikto_lib.batch`) runs many
reports with kernels it keeps alive, and calls :func:`~ikto_lib.report.export.export_html` itself.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from .. import __version__
from ..paths import notebook
from ..prepared import atomic_write_bytes
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


def report_title(cfg) -> str:
    from .i18n import t

    rt = cfg.instrument.report
    kind = rt.title[cfg.language] if rt is not None else t("cover.kind", cfg.language)
    return f"{kind}: {cfg.org_name} ({t('cover.wave', cfg.language, wave=cfg.wave)})"


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
    organisation code fails in milliseconds with a clear :class:`ReportError`. If the notebook
    fails, the executed notebook is kept next to the output as ``<name>.failed.ipynb`` (the error
    marked in it) and :class:`ReportError` is raised; no HTML is written then.

    ``keep_notebook``: also write the executed notebook there (for diagnosis and tests).

    Returns the path of the HTML file.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    cfg = report_config(org, prepared=prepared_dir, wave=wave, previous_wave=previous_wave, language=language,
                        min_n=min_n, name_peers=name_peers)
    out_html = Path(out_html)
    out_html.parent.mkdir(parents=True, exist_ok=True)
    work = out_html.with_name(f".{out_html.name}.{os.getpid()}.ipynb")
    failed = out_html.with_name(f"{out_html.stem}.failed.ipynb")
    t0 = time.perf_counter()
    try:
        nb = pm.execute_notebook(
            str(notebook), str(work), parameters=parameters(cfg), kernel_name=kernel or kernel_name(),
            cwd=str(PROJECT_ROOT), progress_bar=False, log_output=False, request_save_on_cell_execute=False,
            execution_timeout=timeout,
        )
    except PapermillExecutionError as exc:
        if work.exists():
            os.replace(work, failed)
        raise ReportError(f"{org}: the report failed in cell {exc.exec_count} ({exc.ename}: {exc.evalue}); "
                          f"executed notebook kept at {failed}") from None
    finally:
        work.unlink(missing_ok=True)
    if keep_notebook is not None:
        import nbformat

        nbformat.write(nb, str(keep_notebook))
    html = export_html(nb, title=report_title(cfg))
    atomic_write_bytes(out_html, html.encode("utf-8"))
    failed.unlink(missing_ok=True)
    log.info("%s: report written to %s in %.1f s (ikto %s, %s)", org, out_html, time.perf_counter() - t0,
             __version__, sys.executable)
    return out_html
