"""``index.html``: the overview of one batch.

Every organisation of the wave with its key figures (respondents, response rate, grade, top-2,
read from the prepared tables; a suppressed or missing figure is shown as "–"), a link to its
report and workbook when they exist, and the status of its run: ok, failed with the reason,
skipped because of too few respondents, or withdrawn after the privacy audit (with the number and
kinds of its findings; the files are in ``withdrawn/`` and not linked). Plus the group report and,
when the privacy audit found problems, a notice at the top. One self-contained file (no external
CSS, scripts or images), printable, in Dutch or English.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import pandas as pd
from markupsafe import Markup

from ..publish import for_publication
from ..report import fmt
from ..report.fmt import DASH

TEXT = {
    "nl": {
        "title": "{survey} {wave}: overzicht van de rapporten",
        "intro": "Elke organisatie met haar kerncijfers, de link naar haar rapport en de status "
                 "van de aanmaak. Cijfers onder de anonimiteitsdrempel (n < {min_n}) worden niet "
                 "getoond ({dash}).",
        "caption": "Organisaties, kerncijfers en status",
        "org": "Organisatie", "code": "Code", "type": "Type", "respondents": "Respondenten",
        "response_rate": "Respons", "grade": "Rapportcijfer", "top2": "{Measure}",
        "report": "Rapport", "status": "Status", "excel": "Excel",
        "open": "rapport", "unit_one": "onderdeel", "unit_many": "onderdelen", "ok": "gemaakt", "failed": "mislukt",
        "earlier": "ok (eerdere batch, met andere invoer)",
        "skipped": "overgeslagen", "not_run": "niet in deze batch", "withdrawn": "ingetrokken", "group": "Groepsrapport (alle organisaties)",
        "group_missing": "niet gemaakt", "generated": "Gemaakt op {when}.",
        "audit": "Privacycontrole: {n} probleem/problemen gevonden. De batch is mislukt; "
                 "verspreid deze uitvoer niet voordat de problemen zijn opgelost.",
        "audit_file": "bestand", "counts": "{ok} ok, {failed} mislukt, {skipped} overgeslagen",
        "made": "gemaakt", "unchanged": "ongewijzigd (invoer niet veranderd; rapport van een eerdere run)",
        "notice": "Niet voor verspreiding: deze pagina noemt de cijfers van alle organisaties bij naam. "
                  "Alleen voor de beheerder van de batch.",
        "audit_ok": "Privacycontrole geslaagd: geen bevindingen in {files} bestanden.",
        "audit_pending": "Privacycontrole: nog niet uitgevoerd.",
        "run": "Instellingen en duur", "threshold": "Anonimiteitsdrempel", "threshold_value": "n ≥ {min_n}",
        "weighting": "Weging", "weighted": "gewogen naar personeelsomvang", "unweighted": "ongewogen",
        "language": "Taal", "language_value": "Nederlands", "duration": "Duur van de batch",
        "duration_value": "{seconds} s (rapporten samen {reports} s)", "log": "Logboek", "log_open": "logboek van deze batch",
        "seconds": "Duur (s)", "sort_hint": "klik op een kop om te sorteren",
        "attack": "Aanvalstest", "updated": "Pagina bijgewerkt op {when}.",
    },
    "en": {
        "title": "{survey} {wave}: overview of the reports",
        "intro": "Every organisation with its key figures, the link to its report and the status "
                 "of its run. Figures below the anonymity threshold (n < {min_n}) are not shown "
                 "({dash}).",
        "caption": "Organisations, key figures and status",
        "org": "Organisation", "code": "Code", "type": "Type", "respondents": "Respondents",
        "response_rate": "Response rate", "grade": "Grade", "top2": "{Measure}",
        "report": "Report", "status": "Status", "excel": "Excel",
        "open": "report", "unit_one": "unit", "unit_many": "units", "ok": "made", "failed": "failed",
        "earlier": "ok (earlier batch, other inputs)",
        "skipped": "skipped", "not_run": "not in this batch", "withdrawn": "withdrawn", "group": "Group report (all organisations)",
        "group_missing": "not made", "generated": "Generated {when}.",
        "audit": "Privacy audit: {n} problem(s) found. The batch failed; do not distribute "
                 "these outputs before the problems are solved.",
        "audit_file": "file", "counts": "{ok} ok, {failed} failed, {skipped} skipped",
        "made": "made", "unchanged": "unchanged (inputs did not change, not rebuilt)",
        "notice": "Not for distribution: this page names every organisation's figures. "
                  "For the batch operator only.",
        "audit_ok": "Privacy audit passed: no findings in {files} files.",
        "audit_pending": "Privacy audit: not run yet.",
        "run": "Settings and duration", "threshold": "Anonymity threshold", "threshold_value": "n ≥ {min_n}",
        "weighting": "Weighting", "weighted": "weighted to headcount", "unweighted": "unweighted",
        "language": "Language", "language_value": "English", "duration": "Duration of the batch",
        "duration_value": "{seconds} s (reports together {reports} s)", "log": "Log", "log_open": "log of this batch",
        "seconds": "Duration (s)", "sort_hint": "click a heading to sort",
        "attack": "Attack test", "updated": "Page updated {when}.",
    },
}

CSS = """
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;margin:2rem auto;max-width:72rem;
color:#1a1a1a;line-height:1.4;padding:0 1rem}
h1{font-size:1.5rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
caption{text-align:left;font-weight:bold;padding:.4rem 0}
th,td{border-bottom:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid #333;background:#f2f2f2}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.status-failed,.status-withdrawn{color:#a6001a;font-weight:bold}.status-skipped{color:#555}
.audit{border:2px solid #a6001a;padding:.6rem 1rem;margin:1rem 0}
.audit-ok{border-left:4px solid #1a7f37;padding:.3rem .8rem}
.notice{border:2px solid #8a5a00;background:#fff8e5;padding:.5rem 1rem}
dl.settings{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dl.settings dt{font-weight:bold}dl.settings dd{margin:0}
thead th button{font:inherit;font-weight:bold;background:none;border:0;padding:0;cursor:pointer;text-align:left}
thead th[aria-sort=ascending] button::after{content:" \\25B2"}thead th[aria-sort=descending] button::after{content:" \\25BC"}
.small{font-size:.8rem;color:#555}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}
thead{display:table-header-group}tr{break-inside:avoid;page-break-inside:avoid}
.audit{break-inside:avoid}thead th button::after{content:""}}
"""


#: Statuses whose outputs exist and are linked (``earlier``: made by an earlier batch into the
#: same folder, e.g. with ``--orgs`` or another language, and kept).
GOOD = ("ok", "unchanged", "earlier")


@dataclass
class RowStatus:
    status: str  # ok | unchanged | earlier | failed | skipped | not_run | withdrawn
    reason: str = ""
    seconds: float | None = None  # how long its run took (None: not run in this batch)


def key_figures(organisations: pd.DataFrame, results: pd.DataFrame | None) -> pd.DataFrame:
    """One row per organisation: ``org, name, type, respondents, response_rate, grade, top2``.

    Grade and top-2 are the organisation's overall plain estimates (no unit, breakdown, domain,
    item or comparison); a suppressed estimate has no value and so becomes missing. Rounded for
    publication (:func:`ikto_lib.publish.for_publication`).
    """
    out = organisations.copy()
    for col in ("name", "type"):
        if col not in out.columns:
            out[col] = out["org"]
    for col in ("respondents", "response_rate"):
        if col not in out.columns:
            out[col] = pd.NA
    out["grade"] = pd.NA
    out["top2"] = pd.NA
    if results is not None and len(results):
        r = results
        mask = pd.Series(True, index=r.index)
        for col in ("unit", "breakdown", "category", "domain", "item", "comparison"):
            if col in r.columns:
                mask &= r[col].fillna("").astype(str).eq("")
        if "flag" in r.columns:
            mask &= r["flag"].fillna("").astype(str).ne("suppressed")
        r = r[mask & r["org"].isin(out["org"])]
        for measure, col in (("grade_mean", "grade"), ("top2", "top2")):
            values = r[r["measure"] == measure].drop_duplicates("org").set_index("org")["value"]
            out[col] = out["org"].map(values)
    out = out[["org", "name", "type", "respondents", "response_rate", "grade", "top2"]]
    for c in ("respondents", "response_rate", "grade", "top2"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    return for_publication(out, shares=["response_rate", "top2"])


def status_text(status: RowStatus | None, language: str) -> str:
    t = TEXT[language]
    if status is None:
        return DASH
    label = t.get(status.status, status.status)
    return f"{label}: {status.reason}" if status.reason else label


def _template():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("ikto_lib", "templates/batch"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    return env.get_template("index.html.j2")


def _sortable(x) -> str:
    return "" if x is None or pd.isna(x) else repr(float(x))


def index_html(figures: pd.DataFrame, statuses: dict[str, RowStatus], *, wave: str,
               language: str, min_n: int, folder: Path | None = None,
               group: RowStatus | None = None, audit_problems: list | None = None,
               generated: datetime | None = None, instrument=None, audited: int | None = None,
               weighting: bool | None = None, seconds: float | None = None, log_file: Path | None = None,
               attack: str | None = None,
               unit_reports: dict[str, list[tuple[str, str]]] | None = None) -> str:
    """The page (see the module docstring), rendered from ``templates/batch/index.html.j2``.
    Links only to files that exist in ``folder``.

    With the wave's ``instrument``: its survey name in the title, its type names, its measure name,
    and no grade column when it asks no grade. ``audited``: the number of files the privacy audit
    checked (None: not run yet), with ``audit_problems`` its findings and ``attack`` a line about
    the attack test; ``weighting``, ``seconds`` (the whole batch) and ``log_file`` go in the
    settings table. The page always carries the "not for distribution" notice: it names every
    organisation's figures. ``unit_reports``: per organisation its unit reports as ``(unit, file
    relative to folder)``, listed under its report link (files that exist)."""
    from ..report.i18n import use_instrument, words

    use_instrument(instrument)
    t = {k: v.format(**words(language)) if "{Measure}" in v else v for k, v in TEXT[language].items()}
    survey = instrument.name[language] if instrument is not None else "ikto"
    type_names = {x.id: x.name[language] for x in instrument.org_types} if instrument is not None else {}
    grade = instrument is None or instrument.grade is not None

    def exists(name: str) -> bool:
        return folder is None or (Path(folder) / name).is_file()

    title = t["title"].format(wave=wave, survey=survey).replace(f"{wave} {wave}", wave)
    rows = []
    figures = figures.sort_values(["name", "org"], key=lambda s: s.astype(str).str.lower())
    for rec in figures.itertuples(index=False):
        st = statuses.get(rec.org)
        good = st is not None and st.status in GOOD
        rows.append({
            "org": rec.org, "name": str(rec.name), "type": type_names.get(str(rec.type), str(rec.type)),
            "respondents": fmt.integer(rec.respondents, language) or DASH, "respondents_sort": _sortable(rec.respondents),
            "rate": fmt.pct(rec.response_rate, language) or DASH, "rate_sort": _sortable(rec.response_rate),
            "grade": fmt.num(rec.grade, language) or DASH, "grade_sort": _sortable(rec.grade),
            "top2": fmt.pct(rec.top2, language) or DASH, "top2_sort": _sortable(rec.top2),
            "report": href(rec.org, ".html") if good and exists(f"{rec.org}.html") else "",
            "excel": href(rec.org, ".xlsx") if good and exists(f"{rec.org}.xlsx") else "",
            "cls": f"status-{st.status}" if st else "", "status": st.status if st else "",
            "status_text": status_text(st, language),
            "seconds": fmt.num(st.seconds, language) if st is not None and st.seconds else DASH,
            "seconds_sort": _sortable(st.seconds if st is not None and st.seconds else None),
            "units": [{"name": u, "href": quote(f)} for u, f in (unit_reports or {}).get(rec.org, []) if exists(f)]})
    counts = {k: sum(1 for s in statuses.values() if s.status in v)
              for k, v in (("ok", GOOD), ("failed", ("failed", "withdrawn")),
                           ("skipped", ("skipped",)))}
    group_row = None
    if group is not None:
        good = group.status in GOOD and exists("group.html")
        group_row = {"status": group.status, "href": href("group", ".html") if good else "",
                     "text": status_text(group, language)}
    problems = [_problem_text(p, folder) for p in (audit_problems or [])[:50]]
    if audit_problems:
        audit_state, audit_line = "findings", t["audit"].format(n=len(audit_problems))
    elif audited is not None:
        audit_state, audit_line = "passed", t["audit_ok"].format(files=audited)
    else:
        audit_state, audit_line = "pending", t["audit_pending"]
    settings = [(t["threshold"], t["threshold_value"].format(min_n=min_n)), (t["language"], t["language_value"])]
    if weighting is not None:
        settings.append((t["weighting"], t["weighted"] if weighting else t["unweighted"]))
    if seconds is not None:
        reports = sum(s.seconds or 0 for s in statuses.values()) + ((group.seconds or 0) if group else 0)
        settings.append((t["duration"], t["duration_value"].format(seconds=fmt.num(seconds, language),
                                                                   reports=fmt.num(reports, language))))
    if attack:
        settings.append((t["attack"], attack))
    if log_file is not None:
        settings.append((t["log"], Markup(f'<a href="{_relative_href(log_file, folder)}">{html.escape(t["log_open"])}</a>')))
    when = (generated or datetime.now()).strftime("%Y-%m-%d %H:%M")
    keys = ["org", "code", "type", "respondents", "response_rate", "grade", "top2", "report", "excel", "status",
            "seconds"]
    num = {"respondents", "response_rate", "grade", "top2", "seconds"}
    heads = [{"label": t[k], "type": "num" if k in num else "text"} for k in keys if grade or k != "grade"]
    return _template().render(
        lang=language, title=title, css=Markup(CSS), t=t, audit_problems=problems, audit_state=audit_state,
        audit_line=audit_line, intro=t["intro"].format(min_n=min_n, dash=DASH), counts=t["counts"].format(**counts),
        group=group_row, settings=settings, heads=heads, rows=rows, grade=grade, dash=DASH,
        generated=t["generated"].format(when=when)) + "\n"


def _relative_href(path: Path, folder: Path | None) -> str:
    path = Path(path)
    try:
        rel = path.relative_to(folder) if folder is not None else Path(path.name)
    except ValueError:
        rel = Path(path.name)
    return html.escape("/".join(quote(part, safe="") for part in rel.parts), quote=True)


def href(name: str, suffix: str) -> str:
    """A relative link to an output in the same folder, safe in an HTML attribute: the name is
    URL-encoded (``/``, ``:`` and ``?`` included, so it can be neither a path elsewhere nor a
    ``javascript:`` URL), then HTML-escaped.

    >>> href("GEM-AMS", ".html"), href("javascript:alert(1)", ".html")
    ('GEM-AMS.html', 'javascript%3Aalert%281%29.html')
    """
    return html.escape(quote(f"{name}{suffix}", safe=""), quote=True)


def _problem_text(problem, folder: Path | None = None) -> str:
    """A short description of an audit problem (file and kind; never more than 200 chars)."""
    if isinstance(problem, dict):
        text = ", ".join(f"{k}: {v}" for k, v in problem.items())
    else:
        text = str(problem)
    if folder is not None:
        text = text.replace(str(folder).rstrip("/") + "/", "")  # paths relative to the page
    return text if len(text) <= 200 else text[:199] + "…"
