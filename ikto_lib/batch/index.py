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
        "open": "rapport", "ok": "ok", "unchanged": "ok (ongewijzigd)", "failed": "mislukt",
        "earlier": "ok (eerdere batch, met andere invoer)",
        "skipped": "overgeslagen", "not_run": "niet in deze batch", "withdrawn": "ingetrokken", "group": "Groepsrapport (alle organisaties)",
        "group_missing": "niet gemaakt", "generated": "Gemaakt op {when}.",
        "audit": "Privacycontrole: {n} probleem/problemen gevonden. De batch is mislukt; "
                 "verspreid deze uitvoer niet voordat de problemen zijn opgelost.",
        "audit_file": "bestand", "counts": "{ok} ok, {failed} mislukt, {skipped} overgeslagen",
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
        "open": "report", "ok": "ok", "unchanged": "ok (unchanged)", "failed": "failed",
        "earlier": "ok (earlier batch, other inputs)",
        "skipped": "skipped", "not_run": "not in this batch", "withdrawn": "withdrawn", "group": "Group report (all organisations)",
        "group_missing": "not made", "generated": "Generated {when}.",
        "audit": "Privacy audit: {n} problem(s) found. The batch failed; do not distribute "
                 "these outputs before the problems are solved.",
        "audit_file": "file", "counts": "{ok} ok, {failed} failed, {skipped} skipped",
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
.small{font-size:.8rem;color:#555}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}
thead{display:table-header-group}tr{break-inside:avoid;page-break-inside:avoid}
.audit{break-inside:avoid}}
"""


#: Statuses whose outputs exist and are linked (``earlier``: made by an earlier batch into the
#: same folder, e.g. with ``--orgs`` or another language, and kept).
GOOD = ("ok", "unchanged", "earlier")


@dataclass
class RowStatus:
    status: str  # ok | unchanged | earlier | failed | skipped | not_run | withdrawn
    reason: str = ""


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


def index_html(figures: pd.DataFrame, statuses: dict[str, RowStatus], *, wave: str,
               language: str, min_n: int, folder: Path | None = None,
               group: RowStatus | None = None, audit_problems: list | None = None,
               generated: datetime | None = None, instrument=None,
               unit_reports: dict[str, list[tuple[str, str]]] | None = None) -> str:
    """The page (see the module docstring). Links only to files that exist in ``folder``.

    With the wave's ``instrument``: its survey name in the title, its type names, its measure name,
    and no grade column when it asks no grade. ``unit_reports``: per organisation its unit reports
    as ``(unit, file relative to folder)``, listed under its report link (files that exist)."""
    from ..report.i18n import use_instrument, words

    use_instrument(instrument)
    t = {k: v.format(**words(language)) if "{Measure}" in v else v for k, v in TEXT[language].items()}
    survey = instrument.name[language] if instrument is not None else "ikto"
    type_names = {x.id: x.name[language] for x in instrument.org_types} if instrument is not None else {}
    grade = instrument is None or instrument.grade is not None
    esc = html.escape

    def exists(name: str) -> bool:
        return folder is None or (Path(folder) / name).is_file()

    title = t["title"].format(wave=wave, survey=survey).replace(f"{wave} {wave}", wave)
    rows = []
    figures = figures.sort_values(["name", "org"], key=lambda s: s.astype(str).str.lower())
    for rec in figures.itertuples(index=False):
        st = statuses.get(rec.org)
        good = st is not None and st.status in GOOD
        report = (f'<a href="{href(rec.org, ".html")}">{t["open"]}</a>'
                  if good and exists(f"{rec.org}.html") else DASH)
        units = [(u, f) for u, f in (unit_reports or {}).get(rec.org, []) if exists(f)]
        if units:
            word = {"nl": ("onderdeel", "onderdelen"), "en": ("unit", "units")}[language][len(units) > 1]
            links = "".join(f'<li><a href="{esc(quote(f))}">{esc(u)}</a></li>' for u, f in units)
            report += (f'<details class="unit-reports"><summary>{len(units)} '
                       f'{word}</summary><ul>{links}</ul></details>')
        excel = (f'<a href="{href(rec.org, ".xlsx")}">xlsx</a>'
                 if good and exists(f"{rec.org}.xlsx") else DASH)
        cls = f"status-{st.status}" if st else ""
        resp = fmt.integer(rec.respondents, language) or DASH
        rows.append(
            f'<tr data-org="{esc(rec.org)}"><th scope="row">{esc(str(rec.name))}</th>'
            f"<td>{esc(rec.org)}</td><td>{esc(type_names.get(str(rec.type), str(rec.type)))}</td>"
            f'<td class="num">{resp}</td>'
            f'<td class="num">{fmt.pct(rec.response_rate, language) or DASH}</td>'
            + (f'<td class="num">{fmt.num(rec.grade, language) or DASH}</td>' if grade else "") +
            f'<td class="num">{fmt.pct(rec.top2, language) or DASH}</td>'
            f"<td>{report}</td><td>{excel}</td>"
            f'<td class="{cls}" data-status="{esc(st.status if st else "")}">'
            f"{esc(status_text(st, language))}</td></tr>")
    counts = {k: sum(1 for s in statuses.values() if s.status in v)
              for k, v in (("ok", GOOD), ("failed", ("failed", "withdrawn")),
                           ("skipped", ("skipped",)))}
    if group is not None:
        good = group.status in GOOD and exists("group.html")
        link = (f'<a href="{href("group", ".html")}">{esc(t["group"])}</a>' if good
                else esc(t["group"]))
        group_html = (f'<p id="group" data-status="{esc(group.status)}">{link}: '
                      f"{esc(status_text(group, language))}</p>")
    else:
        group_html = ""
    audit_html = ""
    if audit_problems:
        items = "".join(f"<li>{esc(_problem_text(p, folder))}</li>" for p in audit_problems[:50])
        audit_html = (f'<div class="audit" id="audit" role="alert"><p><strong>'
                      f'{esc(t["audit"].format(n=len(audit_problems)))}</strong></p>'
                      f"<ul>{items}</ul></div>")
    when = (generated or datetime.now()).strftime("%Y-%m-%d %H:%M")
    head = "".join(f'<th scope="col">{esc(t[k])}</th>' for k in (
        "org", "code", "type", "respondents", "response_rate", "grade", "top2", "report", "excel",
        "status") if grade or k != "grade")
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head>\n<body>\n"
        f"<h1>{esc(title)}</h1>\n{audit_html}"
        f"<p>{esc(t['intro'].format(min_n=min_n, dash=DASH))}</p>\n"
        f"<p>{esc(t['counts'].format(**counts))}</p>\n{group_html}\n"
        f"<table><caption>{esc(t['caption'])}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>\n" + "\n".join(rows) + "\n</tbody></table>\n"
        f'<p class="small">{esc(t["generated"].format(when=when))}</p>\n</body>\n</html>\n')


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
