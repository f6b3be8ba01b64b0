"""ipywidgets front ends of the workbench tools: thin, every callback calls one plain method.

``ExplorerUI(explorer).widget`` and ``PluimUI(browser).widget`` are what the notebooks display;
:func:`quality_report` renders the data-quality tables. Charts are drawn with seaborn and shown
as a PNG ``Image`` widget, the table as an ``HTML`` widget (so both render, and are testable,
without an output-capturing kernel).
"""

from __future__ import annotations

import html
import io
import logging
from pathlib import Path

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from IPython.display import HTML, display

from .explorer import Explorer
from .pluim import PluimBrowser

log = logging.getLogger(__name__)

BANNER = ("<div style='background:#b00020;color:white;padding:6px;font-weight:bold'>"
          "Anonymity threshold OFF (min_n = {min_n}): small groups are shown. Authorised analysts "
          "only; this was logged. Do not share these figures.</div>")
MEASURE_LABELS = [("Top-2 share", "top2"), ("Mean", "mean"), ("Distribution", "distribution")]


Y_LABELS = {"top2": "share positive (top-2)", "mean": "mean score",
            "distribution": "share of answers"}
NONE = ""  # the "(none)" choice of a dropdown (``None`` would show an empty dropdown)
STYLE = {"description_width": "110px"}


def _table_html(table: pd.DataFrame) -> str:
    shown = table.drop(columns=[c for c in ("org", "units", "target", "measure", "breakdown", "comparison")
                                if c in table.columns])
    counts = {c: (lambda x: "–" if pd.isna(x) else f"{x:,.0f}") for c in ("n", "ref_n") if c in shown}
    return shown.to_html(index=False, na_rep="–", float_format=lambda x: f"{x:.3f}",
                         formatters=counts, classes="ikto-table", border=0)


class ExplorerUI:
    """Widgets around an :class:`~ikto_lib.workbench.explorer.Explorer`.

    Attributes: ``org``, ``units``, ``target``, ``measure``, ``breakdown``, ``comparison``
    (selection widgets), ``allow_small`` (checkbox), ``export_path`` / ``export_button``,
    ``banner``, ``status``, ``chart`` (PNG ``Image``) and ``table`` (``HTML``), ``widget`` (the whole tool),
    ``last_table`` (the DataFrame shown), ``last_figure`` (the matplotlib figure shown).
    """

    def __init__(self, explorer: Explorer, *, export_dir: str | Path = "."):
        self.explorer = explorer
        self.export_dir = Path(export_dir)
        ex = explorer
        orgs = ex.orgs
        self.org = w.Dropdown(options=orgs, value=orgs[0] if orgs else None, description="Organisation",
                                style=STYLE)
        self.units = w.SelectMultiple(options=[], description="Units", rows=5, style=STYLE)
        self.target = w.Dropdown(options=ex.targets, value="overall", description="Domain/item", style=STYLE)
        self.measure = w.ToggleButtons(options=MEASURE_LABELS, value="top2", description="Measure", style=STYLE)
        self.breakdown = w.Dropdown(options=[("(none)", NONE)] + [(b, b) for b in ex.breakdowns],
                                    value=NONE, description="Breakdown", style=STYLE)
        self.comparison = w.Dropdown(description="Compare with", style=STYLE)
        self.allow_small = w.Checkbox(value=False, description="Show groups below the anonymity threshold (authorised)",
                                      indent=False, layout=w.Layout(width="auto"))
        self.export_path = w.Text(value="ikto_explorer.xlsx", description="Export to", style=STYLE)
        self.export_button = w.Button(description="Export table", icon="download")
        self.banner = w.HTML("")
        self.status = w.HTML("")
        self.chart = w.Image(format="png", layout=w.Layout(max_width="900px"))
        self.table = w.HTML()
        self.last_table: pd.DataFrame | None = None
        self.last_figure = None
        self._busy = False
        self._started = False
        self._refresh_org_choices()
        self._started = True
        for widget in (self.units, self.target, self.measure, self.breakdown, self.comparison):
            widget.observe(self._on_change, names="value")
        self.org.observe(self._on_org, names="value")
        self.allow_small.observe(self._on_allow_small, names="value")
        self.export_button.on_click(self._on_export)
        controls = w.VBox([
            w.HBox([self.org, self.target]),
            w.HBox([self.units, w.VBox([self.breakdown, self.comparison])]),
            self.measure,
            self.allow_small,
            w.HBox([self.export_path, self.export_button]),
        ])
        self.widget = w.VBox([self.banner, controls, self.status, self.chart, self.table])
        self.update()

    # -- callbacks ------------------------------------------------------------------------
    def _refresh_org_choices(self) -> None:
        self._busy = True
        try:
            org = self.org.value
            self.units.options = self.explorer.units(org) if org else []
            self.units.value = ()
            comps = [("(none)", NONE)] + [(c, c) for c in self.explorer.comparisons(org)] + [("rest of organisation", "rest")]
            values = [v for _, v in comps]
            keep = self.comparison.value if self._started and self.comparison.value in values else "benchmark"
            self.comparison.options = comps
            self.comparison.value = keep
        finally:
            self._busy = False

    def _on_org(self, _change) -> None:
        if self._busy:  # set by another callback, which updates once itself
            return
        self._refresh_org_choices()
        self.update()

    def _on_change(self, _change) -> None:
        if not self._busy:
            self.update()

    def _on_allow_small(self, change) -> None:
        self.explorer.allow_small_groups = change["new"]
        self.banner.value = BANNER.format(min_n=self.explorer.settings.min_n) if change["new"] else ""
        self._busy = True
        try:
            current = self.org.value
            self.org.options = self.explorer.orgs
            self.org.value = current if current in self.explorer.orgs else (self.explorer.orgs or [None])[0]
        finally:
            self._busy = False
        self._started = False
        self._refresh_org_choices()
        self._started = True
        self.update()

    def _on_export(self, _button) -> None:
        path = Path(self.export_path.value)
        if not path.is_absolute():
            path = self.export_dir / path
        try:
            out = self.explorer.export(path)
            self.status.value = f"Exported {len(self.explorer.table)} rows to <code>{html.escape(str(out))}</code>"
        except Exception as exc:  # shown to the analyst, not swallowed
            self.status.value = f"<span style='color:#b00020'>Export failed: {html.escape(str(exc))}</span>"

    # -- drawing --------------------------------------------------------------------------
    def update(self) -> pd.DataFrame | None:
        """Recompute the selection and redraw chart and table."""
        if self.org.value is None:
            return None
        try:
            table = self.explorer.select(self.org.value, list(self.units.value), self.target.value,
                                         self.measure.value, self.breakdown.value or None,
                                         self.comparison.value or None)
        except Exception as exc:
            self.status.value = f"<span style='color:#b00020'>{html.escape(str(exc))}</span>"
            log.exception("ikto explorer: selection failed")
            return None
        self.last_table = table
        self.status.value = ""
        fig = self._figure(table)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=90)
        plt.close(fig)
        # chart and table change together (no half-updated view while the chart renders)
        with self.table.hold_sync(), self.chart.hold_sync():
            self.chart.value = buf.getvalue()
            self.table.value = _table_html(table)
        self.last_figure = fig
        return table

    def _figure(self, table: pd.DataFrame):
        fig, ax = plt.subplots(figsize=(8, 3.2))
        t = table.copy()
        t["group"] = np.where(t["category"] == "", "total", t["category"])
        t["value"] = t["value"].astype(float)
        title = f"{table['org'].iat[0]} – {table['target'].iat[0]} ({table['measure'].iat[0]})" if len(table) else ""
        if t["value"].notna().any():
            measure = table["measure"].iat[0]
            hue = "code" if measure == "distribution" else None
            sns.barplot(data=t, x="group", y="value", hue=hue, ax=ax, errorbar=None,
                        color=None if hue else "#3a6ea5", width=0.6 if hue else 0.4)
            if hue is None:
                err = np.vstack([t["value"] - t["ci_low"], t["ci_high"] - t["value"]]).astype(float)
                ax.errorbar(np.arange(len(t)), t["value"], yerr=np.nan_to_num(err), fmt="none", color="black", capsize=3)
                if t["ref_value"].notna().any():
                    ax.scatter(np.arange(len(t)), t["ref_value"].astype(float), marker="D", color="#e07b00",
                               zorder=3, label=f"{table['comparison'].iat[0]}")
                    ax.legend(loc="lower right")
        else:
            ax.text(0.5, 0.5, "No figures to show (suppressed: fewer than the anonymity threshold)",
                    ha="center", va="center", transform=ax.transAxes)
        ax.set_title(title)
        ax.set_xlabel("")
        measure = table["measure"].iat[0] if len(table) else ""
        ax.set_ylabel(Y_LABELS.get(measure, "value"))
        if measure in ("top2", "distribution"):
            from matplotlib.ticker import PercentFormatter

            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        fig.tight_layout()
        return fig


class PluimUI:
    """Widgets around a :class:`~ikto_lib.workbench.pluim.PluimBrowser`: organisation, search
    text, target; shows the matching redacted pluimen as an HTML table."""

    def __init__(self, browser: PluimBrowser, *, max_rows: int = 200):
        self.browser = browser
        self.max_rows = max_rows
        orgs = browser.orgs
        self.org = w.Dropdown(options=orgs, value=orgs[0] if orgs else None, description="Organisation",
                              style=STYLE)
        self.query = w.Text(value="", description="Search", continuous_update=False, style=STYLE)
        self.target = w.Dropdown(description="Target", style=STYLE)
        self.output = w.HTML()
        self.last_table: pd.DataFrame | None = None
        self._set_targets()
        self.org.observe(lambda _c: (self._set_targets(), self.update()), names="value")
        self.query.observe(lambda _c: self.update(), names="value")
        self.target.observe(lambda _c: self.update(), names="value")
        self.widget = w.VBox([w.HBox([self.org, self.query, self.target]), self.output])
        self.update()

    def _set_targets(self) -> None:
        targets = self.browser.targets(self.org.value) if self.org.value else []
        self.target.options = [("(all)", NONE)] + [(t, t) for t in targets]
        self.target.value = NONE

    def update(self) -> pd.DataFrame | None:
        if self.org.value is None:
            self.output.value = "No organisation with enough respondents."
            return None
        t = self.browser.search(self.org.value, self.query.value, self.target.value or None)
        self.last_table = t
        more = f"<p>{len(t)} pluimen; first {self.max_rows} shown.</p>" if len(t) > self.max_rows else f"<p>{len(t)} pluimen</p>"
        self.output.value = more + t.head(self.max_rows).to_html(index=False, escape=True, border=0)
        return t


SHARE_WORDS = ("rate", "share", "pct")


def readable(frame: pd.DataFrame, language: str = "en") -> pd.DataFrame:
    """Display strings (babel, through :mod:`ikto_lib.report.fmt`): shares and rates as
    percentages, columns of whole numbers as counts, other numbers with three decimals; missing as
    a dash."""
    from ..report import fmt

    out = frame.copy()
    for col in out.columns:
        v = out[col]
        if not pd.api.types.is_numeric_dtype(v) or pd.api.types.is_bool_dtype(v):
            continue
        x = pd.to_numeric(v, errors="coerce").astype(float)
        if any(word in str(col).lower() for word in SHARE_WORDS):
            out[col] = [fmt.DASH if pd.isna(a) else fmt.pct(a, language) for a in x]
        elif x.dropna().mod(1).eq(0).all():
            out[col] = [fmt.DASH if pd.isna(a) else fmt.integer(a, language) for a in x]
        else:
            out[col] = [fmt.DASH if pd.isna(a) else fmt.num(a, language, decimals=3) for a in x]
    return out


def quality_report(tables: dict[str, pd.DataFrame], *, max_rows: int = 40) -> None:
    """Display the data-quality tables (:func:`ikto_lib.quality.quality_tables`) with headings and
    a grade chart (for ``notebooks/data_quality.ipynb``)."""
    titles = {
        "response_by_org": "Response per organisation vs headcount",
        "response_by_unit": "Response per unit vs headcount (suppressed below the anonymity threshold)",
        "nonresponse_by_item": "n.v.t. and skipped per item",
        "nonresponse_by_domain": "n.v.t. and skipped per domain",
        "quality_by_org": "Straight-lining, (almost) empty and duplicate answers per organisation",
        "suspicious_rows": "Respondents with a data-quality flag",
        "grade_distribution": "Distribution of the grade",
        "representativeness": "Representativeness (chi-square of respondents against headcount)",
    }
    for name, frame in tables.items():
        display(HTML(f"<h3>{html.escape(titles.get(name, name))}</h3>"
                     f"<p>{len(frame)} rows{'; first %d shown' % max_rows if len(frame) > max_rows else ''}</p>"))
        display(HTML(readable(frame.head(max_rows)).to_html(index=False, na_rep="–", border=0)))
        if name == "grade_distribution":
            fig, ax = plt.subplots(figsize=(6, 2.5))
            sns.barplot(data=frame, x="grade", y="n", ax=ax, color="#3a6ea5")
            fig.tight_layout()
            display(fig)
            plt.close(fig)


def wave_folders(waves_dir: str | Path) -> dict[str, Path]:
    """The wave folders under ``waves_dir`` (those holding a responses file), oldest first."""
    root = Path(waves_dir)
    if not root.is_dir():
        raise ValueError(f"{root}: no such folder of waves")
    found = {p.name: p for p in sorted(root.iterdir()) if p.is_dir()
             and any((p / f"responses.{ext}").is_file() for ext in ("csv", "parquet"))}
    if not found:
        raise ValueError(f"{root}: no wave folders (a wave folder holds responses.csv or responses.parquet)")
    return found


class WaveExplorer:
    """Pick a wave among the folders of ``waves_dir``; shows the explorer and the pluim browser of
    that wave, compared with the wave before it (folders sorted by name, e.g. 2013 < 2015).

    Waves are loaded (validated) once and cached. Attributes: ``wave`` (the dropdown),
    ``explorer_ui``, ``pluim_ui``, ``widget``.
    """

    def __init__(self, waves_dir: str | Path, settings, *, wave: str | None = None, loader=None):
        from ..validate import load_wave

        self.settings = settings
        self.folders = wave_folders(waves_dir)
        names = list(self.folders)
        if wave is not None and wave not in self.folders:
            raise ValueError(f"wave {wave!r} not in {waves_dir}; choose from {names}")
        self._load_wave = loader or load_wave
        self._cache: dict[str, object] = {}
        self._views: dict[str, tuple] = {}  # wave name -> (ExplorerUI, PluimUI)
        self.wave = w.Dropdown(options=names, value=wave or names[-1], description="Wave", style=STYLE)
        self.body = w.VBox([])
        self.widget = w.VBox([self.wave, self.body])
        self.wave.observe(lambda _change: self.show(), names="value")
        self.show()

    def load(self, name: str):
        if name not in self._cache:
            self._cache[name] = self._load_wave(self.folders[name])
        return self._cache[name]

    def show(self) -> None:
        names = list(self.folders)
        i = names.index(self.wave.value)
        if names[i] not in self._views:  # built once per wave: switching back is instant
            wave = self.load(names[i])
            previous = self.load(names[i - 1]) if i > 0 else None
            self._views[names[i]] = (ExplorerUI(Explorer(wave, previous, self.settings)),
                                     PluimUI(PluimBrowser(wave, self.settings)))
        self.explorer_ui, self.pluim_ui = self._views[names[i]]
        title = w.HTML("<h3>Pluimen (redacted; organisations with enough respondents only)</h3>")
        self.body.children = [self.explorer_ui.widget, title, self.pluim_ui.widget]
