"""ipywidgets front ends of the workbench tools: thin, every callback calls one plain method.

``ExplorerUI(explorer).widget`` and ``PluimUI(browser).widget`` are what the notebooks display;
:func:`quality_report` renders the data-quality tables. The chart
(:class:`~ikto_lib.workbench.chart.Chart`) is inline SVG in an ``HTML`` widget, the table an ``HTML``
widget (so both render, and are testable, without an output-capturing kernel). Texts follow the
explorer's language (``settings.language``: Dutch by default).
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

import ipywidgets as w
import pandas as pd

from .chart import Chart
from .explorer import Explorer
from .pluim import PluimBrowser
from .quality_view import quality_report, readable  # noqa: F401  (the notebooks' entry points)

log = logging.getLogger(__name__)

UI_WORDS = {
    "org": {"nl": "Organisatie", "en": "Organisation"},
    "units": {"nl": "Eenheden", "en": "Units"},
    "target": {"nl": "Domein/vraag", "en": "Domain/item"},
    "measure": {"nl": "Maat", "en": "Measure"},
    "breakdown": {"nl": "Uitsplitsing", "en": "Breakdown"},
    "comparison": {"nl": "Vergelijk met", "en": "Compare with"},
    "allow_small": {"nl": "Toon groepen onder de anonimiteitsdrempel (alleen bevoegde analisten; wordt gelogd)",
                    "en": "Show groups below the anonymity threshold (authorised analysts only; logged)"},
    "export_to": {"nl": "Exporteer als", "en": "Export as"},
    "export": {"nl": "Exporteer tabel", "en": "Export table"},
    "exported": {"nl": "{rows} rijen geëxporteerd naar", "en": "Exported {rows} rows to"},
    "export_failed": {"nl": "Export mislukt", "en": "Export failed"},
    "top2": {"nl": "Top-2", "en": "Top-2"},
    "mean": {"nl": "Gemiddelde", "en": "Mean"},
    "distribution": {"nl": "Verdeling", "en": "Distribution"},
    "none": {"nl": "(geen)", "en": "(none)"},
    "banner": {"nl": "Anonimiteitsdrempel UIT (min_n = {min_n}): kleine groepen worden getoond. Alleen voor "
                     "bevoegde analisten; deel deze cijfers niet. Gelogd in <code>{path}</code>: {line}",
               "en": "Anonymity threshold OFF (min_n = {min_n}): small groups are shown. Authorised analysts "
                     "only; do not share these figures. Logged to <code>{path}</code>: {line}"},
}
BANNER_STYLE = "background:#b00020;color:white;padding:6px;font-weight:bold"
NONE = ""  # the "(none)" choice of a dropdown (``None`` would show an empty dropdown)
STYLE = {"description_width": "110px"}


def _u(key: str, language: str, **fill) -> str:
    return UI_WORDS[key][language].format(**fill)


def table_html(explorer: Explorer, table: pd.DataFrame) -> str:
    """The display table (:meth:`Explorer.display`) as HTML with the selection as caption."""
    caption = f"<caption style='text-align:left;font-weight:bold'>{html.escape(explorer.selection_text(table))}</caption>"
    body = explorer.display(table).to_html(index=False, classes="ikto-table", border=0, escape=True)
    return body.replace(">\n  <thead>", ">" + caption + "\n  <thead>", 1)


class ExplorerUI:
    """Widgets around an :class:`~ikto_lib.workbench.explorer.Explorer`.

    Attributes: ``org``, ``units``, ``target``, ``measure``, ``breakdown``, ``comparison``
    (selection widgets), ``allow_small`` (checkbox), ``export_path`` (a file name; saved under
    ``outputs/<wave>/exports/``) / ``export_button``, ``banner``, ``status``, ``chart`` (SVG
    in an ``HTML`` widget) and ``table`` (``HTML``), ``widget`` (the whole tool), ``last_table`` (the
    DataFrame shown), ``plot`` (the :class:`~ikto_lib.workbench.chart.Chart`; ``plot.last`` its geometry).
    """

    def __init__(self, explorer: Explorer):
        self.explorer = explorer
        ex = explorer
        lang = self.language = ex.language
        inst = ex.wave.instrument
        orgs = ex.orgs
        self.org = w.Dropdown(options=self._org_options(), value=orgs[0] if orgs else None,
                              description=_u("org", lang), style=STYLE)
        self.units = w.SelectMultiple(options=[], description=_u("units", lang), rows=5, style=STYLE)
        self.target = w.Dropdown(options=ex.targets, value="overall", description=_u("target", lang), style=STYLE,
                                 layout=w.Layout(width="520px"))
        self.measure = w.ToggleButtons(options=[(_u(m, lang), m) for m in ("top2", "mean", "distribution")],
                                       value="top2", description=_u("measure", lang), style=STYLE)
        names = {b.id: b.name[lang] for b in inst.background}
        self.breakdown = w.Dropdown(options=[(_u("none", lang), NONE)] + [(names.get(b, b), b) for b in ex.breakdowns],
                                    value=NONE, description=_u("breakdown", lang), style=STYLE)
        self.comparison = w.Dropdown(description=_u("comparison", lang), style=STYLE, layout=w.Layout(width="420px"))
        self.allow_small = w.Checkbox(value=False, description=_u("allow_small", lang), indent=False,
                                      layout=w.Layout(width="auto"))
        self.export_path = w.Text(value="ikto_explorer.xlsx", description=_u("export_to", lang), style=STYLE)
        self.export_button = w.Button(description=_u("export", lang), icon="download", layout=w.Layout(width="auto"))
        for widget, name in ((self.org, "org"), (self.units, "units"), (self.target, "target"),
                             (self.measure, "measure"), (self.breakdown, "breakdown"),
                             (self.comparison, "comparison"), (self.allow_small, "allow-small")):
            widget.add_class(f"ikto-{name}")  # stable hooks for the browser test, whatever the language
        self.banner = w.HTML("")
        self.status = w.HTML("")
        self.chart = w.HTML(layout=w.Layout(max_width="920px"))
        self.chart.add_class("ikto-chart")
        self.table = w.HTML()
        self.table.add_class("ikto-table-view")
        self.plot = Chart()
        self.last_table: pd.DataFrame | None = None
        self._busy = False
        self._refresh_org_choices(keep=False)
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
    def _org_options(self) -> list[tuple[str, str]]:
        names = self.explorer.org_names
        return [(f"{names.get(o, o)} ({o})", o) for o in self.explorer.orgs]

    def _refresh_org_choices(self, keep: bool = True) -> None:
        """Units and comparisons of the organisation; ``keep``: keep the chosen ones that remain."""
        lang = self.language
        self._busy = True
        try:
            org = self.org.value
            units = self.explorer.units(org) if org else []
            chosen = tuple(u for u in self.units.value if u in units) if keep else ()
            self.units.options = units
            self.units.value = chosen
            comps = ([(_u("none", lang), NONE)]
                     + [(labels_comparison(c, lang), c) for c in self.explorer.comparisons(org)]
                     + [(labels_comparison("rest", lang), "rest")])
            values = [v for _, v in comps]
            current = self.comparison.value
            self.comparison.options = comps
            self.comparison.value = current if keep and current in values else "benchmark"
        finally:
            self._busy = False

    def _on_org(self, _change) -> None:
        if self._busy:  # set by another callback, which updates once itself
            return
        self._refresh_org_choices(keep=False)
        self.update()

    def _on_change(self, _change) -> None:
        if not self._busy:
            self.update()

    def _on_allow_small(self, change) -> None:
        """Switch the threshold; the selection stays. Turning it on appends a line to
        ``outputs/<wave>/small_groups.log``, shown in the banner."""
        ex = self.explorer
        ex.allow_small_groups = change["new"]
        if change["new"]:
            path = ex.outputs / ex.wave.name / "small_groups.log"
            self.banner.value = (f"<div style='{BANNER_STYLE}'>" + _u("banner", self.language, min_n=ex.settings.min_n,
                                 path=html.escape(str(path)), line=html.escape(ex.small_groups_line or "")) + "</div>")
        else:
            self.banner.value = ""
        self._busy = True
        try:
            current = self.org.value
            self.org.options = self._org_options()
            self.org.value = current if current in ex.orgs else (ex.orgs or [None])[0]
        finally:
            self._busy = False
        self._refresh_org_choices(keep=True)
        self.update()

    def _on_export(self, _button) -> None:
        lang = self.language
        try:
            out = self.explorer.export(self.export_path.value)
            self.status.value = (f"{_u('exported', lang, rows=len(self.explorer.table))} "
                                 f"<code>{html.escape(str(out))}</code>")
        except Exception as exc:  # shown to the analyst, not swallowed
            self.status.value = f"<span style='color:#b00020'>{_u('export_failed', lang)}: {html.escape(str(exc))}</span>"

    # -- drawing --------------------------------------------------------------------------
    def update(self) -> pd.DataFrame | None:
        """Recompute the selection (cached per selection) and redraw chart and table."""
        if self.org.value is None:
            return None
        ex = self.explorer
        try:
            table = ex.select(self.org.value, list(self.units.value), self.target.value, self.measure.value,
                              self.breakdown.value or None, self.comparison.value or None)
        except Exception as exc:
            self.status.value = f"<span style='color:#b00020'>{html.escape(str(exc))}</span>"
            log.exception("ikto explorer: selection failed")
            return None
        self.last_table = table
        self.status.value = ""
        title = labels_title(ex, table)
        svg = self.plot.svg(table, title=title, instrument=ex.wave.instrument,
                            language=self.language)
        # chart and table change together (no half-updated view while the chart renders)
        with self.table.hold_sync(), self.chart.hold_sync():
            self.chart.value = svg
            self.table.value = table_html(ex, table)
        return table


def labels_title(explorer: Explorer, table: pd.DataFrame) -> str:
    """The chart title: organisation, units, target and measure (the caption adds the rest)."""
    from .labels import selection_title

    if not len(table):
        return ""
    org = table["org"].iat[0]
    return selection_title(table, explorer.wave.instrument, explorer.org_names.get(org, ""), explorer.language)


def labels_comparison(comparison: str, language: str) -> str:
    from .labels import comparison_label

    return comparison_label(comparison, language)


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
    ``explorer_ui``, ``pluim_ui``, ``widget``. ``waves_dir`` may be relative to the project root
    (:func:`ikto_lib.paths.resolve`); ``outputs`` (default ``outputs/`` of the project) receives
    the small-groups log and the exports.
    """

    def __init__(self, waves_dir: str | Path, settings, *, wave: str | None = None, loader=None,
                 outputs: str | Path | None = None):
        from ..paths import outputs_dir, resolve
        from ..validate import load_wave

        self.settings = settings
        self.outputs = Path(outputs) if outputs is not None else outputs_dir()
        self.folders = wave_folders(resolve(waves_dir))
        names = list(self.folders)
        if wave is not None and wave not in self.folders:
            raise ValueError(f"wave {wave!r} not in {waves_dir}; choose from {names}")
        self._load_wave = loader or load_wave
        self._cache: dict[str, object] = {}
        self._views: dict[str, tuple] = {}  # wave name -> (ExplorerUI, PluimUI)
        self.wave = w.Dropdown(options=names, value=wave or names[-1], style=STYLE,
                               description={"nl": "Meting", "en": "Wave"}[settings.language])
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
            self._views[names[i]] = (ExplorerUI(Explorer(wave, previous, self.settings, outputs=self.outputs)),
                                     PluimUI(PluimBrowser(wave, self.settings)))
        self.explorer_ui, self.pluim_ui = self._views[names[i]]
        title = w.HTML({"nl": "<h3>Pluimen (geredigeerd; alleen organisaties met genoeg respondenten)</h3>",
                        "en": "<h3>Pluimen (redacted; organisations with enough respondents only)</h3>"}[self.settings.language])
        self.body.children = [self.explorer_ui.widget, title, self.pluim_ui.widget]
