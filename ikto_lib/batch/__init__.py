"""The batch: every organisation's report, the group report, Excel workbooks and ``index.html``.

``run_batch`` (in :mod:`ikto_lib.batch.run`) is the entry point of ``ikto batch``. The modules:
``runner`` (one long-lived kernel executing report after report), ``jobs`` (one report as a task),
``cluster`` (dask.distributed), ``manifest`` (what is current), ``excel`` and ``index``.
Importing this package is cheap: ``run_batch`` and ``BatchResult`` are loaded on first use.
"""

from .. import lean  # noqa: F401  (before nbformat: see ikto_lib.lean)

__all__ = ["run_batch", "BatchResult", "ReportStatus"]


def __getattr__(name):
    if name in __all__:
        from . import run

        return getattr(run, name)
    raise AttributeError(name)
