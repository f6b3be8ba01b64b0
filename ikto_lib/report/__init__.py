"""The benchmark report of one organisation: a thin notebook over this package.

``notebooks/benchmark_report.ipynb`` holds a ``parameters`` cell, one call to
:func:`report_config` (validation) and one call per section into :mod:`.sections`. Everything a
report shows is made here and unit-tested:

* :mod:`.fmt` numbers, dates and lists in the report's locale (babel);
* :mod:`.i18n` every fixed text and sentence template, Dutch and English;
* :mod:`.data` tidy frames of one organisation read from the prepared tables;
* :mod:`.text` generated summary sentences; :mod:`.charts` charts; :mod:`.tables` HTML tables;
* :mod:`.sections` the ten sections (and ``excel_tables`` for the workbook);
* :mod:`.export` executed notebook -> self-contained HTML; :mod:`.run` papermill + export of one
  report (``ikto report``).

Importing this package imports neither matplotlib nor nbconvert.
"""

from .config import ReportConfig, ReportError, report_config

__all__ = ["ReportConfig", "ReportError", "report_config"]
