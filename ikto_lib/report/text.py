"""Generated sentences of the summary, from the templates in :mod:`ikto_lib.report.i18n`.

Rules (methods.md): only a *flagged* difference (``higher``/``lower``) is called a difference;
``no difference`` reads "not notably different"; no p-values. Each function takes the tidy frames
of :mod:`ikto_lib.report.data` and plain values, so the cases "no previous wave", "peer group too
small" and "nothing flagged" are tested without a prepared folder.

>>> import pandas as pd
>>> from ikto_lib.report.i18n import use_instrument
>>> use_instrument(None)  # the generic words (a report takes its instrument's)
>>> d = pd.DataFrame({"label": ["ICT", "HR"], "benchmark_flag": ["higher", "no difference"],
...                   "benchmark_diff": [0.08, 0.01], "suppressed": [False, False]})
>>> difference_sentences(d, language="nl")
['Hoger dan de benchmark: ICT.']
>>> difference_sentences(d.assign(benchmark_flag="no difference"), language="en")
['On no domain does the share positive differ notably from the benchmark.']
"""

from __future__ import annotations

import pandas as pd

from . import fmt
from .i18n import STRINGS, t

TOP_K = 3


def peers_label(org_type: str, language: str, type_name: str | None = None) -> str:
    """'andere ministeries' / 'other ministries' for an organisation type."""
    key = f"org_types.{org_type}"
    if key in STRINGS:
        return t(key, language)
    return t("org_types.other", language, type=type_name or org_type)


def format_value(measure: str, x, language: str) -> str:
    """A figure in its measure's unit: grade with one decimal, shares as percentages."""
    if measure in ("grade_mean", "mean"):
        return fmt.num(x, language)
    return fmt.pct(x, language)


def compare_phrase(flag: str, value: str, ref: str, language: str) -> str:
    """'hoger (7,4 tegenover 7,1)'; 'niet wezenlijk anders (…)' for no difference."""
    if flag not in ("higher", "lower", "no difference", "not tested", "suppressed"):
        flag = "not tested"
    if flag in ("higher", "lower", "no difference") and (not value or not ref):
        flag = "not tested"
    return t(f"s.cmp.{flag}", language, value=value, ref=ref)


def _row(frame: pd.DataFrame, measure: str):
    r = frame[frame["measure"] == measure]
    if r.empty or bool(r["suppressed"].iloc[0]) or pd.isna(r["value"].iloc[0]):
        return None
    return r.iloc[0]


def overall_sentences(
    overall: pd.DataFrame,
    *,
    org_name: str,
    language: str,
    peers_available: bool,
    peers: str,
    peer_min_orgs: int,
    previous_wave: str | None,
    in_previous: bool = True,
    peers_distinct: bool = True,
    benchmark: bool = True,
) -> list[str]:
    """Grade and overall top-2, then one sentence per comparison (benchmark, peers, previous).

    ``peers`` is the peer group in words (:func:`peers_label`); ``previous_wave`` ``None`` when
    there is no previous wave to compare with; ``in_previous`` False when there is one but the
    organisation did not take part in it; ``peers_distinct`` False when every organisation is
    of one type (nothing is said about peers).
    """
    out = []
    grade, passed, top2 = _row(overall, "grade_mean"), _row(overall, "grade_pass"), _row(overall, "top2")
    if grade is not None and passed is not None:
        out.append(t("s.grade", language, org=org_name, grade=fmt.num(grade["value"], language),
                     pass_share=fmt.pct(passed["value"], language)))
    elif grade is not None:
        out.append(t("s.grade_only", language, org=org_name, grade=fmt.num(grade["value"], language)))
    if top2 is not None:
        out.append(t("s.top2", language, top2=fmt.pct(top2["value"], language)))
    if grade is None and top2 is None:
        return out
    for comp in ("benchmark", "peers", "previous"):
        if comp == "benchmark" and not benchmark:
            continue  # a survey of one organisation
        if comp == "peers" and not peers_distinct:
            continue  # one kind of organisation: the peers are the benchmark
        if comp == "peers" and not peers_available:
            out.append(t("note.no_peers", language, peers=peers, k=peer_min_orgs))
            continue
        if comp == "previous" and previous_wave is None:
            out.append(t("note.no_previous", language))
            continue
        if comp == "previous" and not in_previous:
            out.append(t("note.not_in_previous", language, wave=previous_wave))
            continue
        if f"{comp}_flag" not in overall.columns:
            continue
        ref_label = {"benchmark": t("s.ref.benchmark", language),
                     "peers": t("s.ref.peers", language, peers=peers),
                     "previous": t("s.ref.previous", language, wave=previous_wave)}[comp]
        phrases = {}
        for name, row in (("grade", grade), ("top2", top2)):
            if row is None:
                continue
            measure = row["measure"]
            phrases[name] = compare_phrase(str(row[f"{comp}_flag"]), format_value(measure, row["value"], language),
                                           format_value(measure, row[comp], language), language)
        if "grade" in phrases and "top2" in phrases:
            out.append(t("s.compare", language, ref=ref_label, grade_cmp=phrases["grade"], top2_cmp=phrases["top2"]))
        elif "grade" in phrases:
            out.append(t("s.compare_grade", language, ref=ref_label, grade_cmp=phrases["grade"]))
        elif "top2" in phrases:  # a survey without a grade
            out.append(t("s.compare_top2", language, ref=ref_label, top2_cmp=phrases["top2"]))
    return out


def priority_sentences(priorities: pd.DataFrame, *, language: str, k: int = TOP_K) -> list[str]:
    """Strengths (at most ``k``, by importance), all priorities (most important first) and the
    other flagged-lower domains: together every flagged-lower domain is named, whatever its
    importance; an unflagged domain never (``quadrant`` of
    :func:`ikto_lib.prepare.extras.priorities`).

    >>> from ikto_lib.report.i18n import use_instrument
    >>> use_instrument(None)
    >>> p = pd.DataFrame({"label": ["ICT", "HR", "Catering", "Post"], "importance": [.4, .3, .1, .2],
    ...                   "quadrant": ["verbeteren", "geen verschil", "aandacht", "verbeteren"]})
    >>> priority_sentences(p, language="en")[1:]
    ['Priorities (lower than the benchmark or the previous wave and not clearly less important for the outcome): ICT and Post.', 'Also lower, but clearly less decisive for the outcome: Catering.']
    """
    def named(quadrant, limit=None):
        q = priorities[priorities["quadrant"] == quadrant].sort_values("importance", ascending=False)
        return q.head(limit) if limit else q

    strengths, prios = named("behouden", k), named("verbeteren")
    out = [t("s.strengths", language, domains=fmt.listing(strengths["label"], language)) if len(strengths)
           else t("s.no_strengths", language)]
    attention = named("aandacht")
    if len(prios):
        out.append(t("s.priorities", language, domains=fmt.listing(prios["label"], language)))
    elif not len(attention):
        out.append(t("s.no_priorities", language))
    if len(attention):
        out.append(t("s.attention", language, domains=fmt.listing(attention["label"], language)))
    return out


def difference_sentences(domains: pd.DataFrame, *, language: str) -> list[str]:
    """Domains flagged higher / lower than the benchmark, largest difference first."""
    shown = domains[~domains["suppressed"].astype(bool)]
    out = []
    for flag, key in (("higher", "s.bench_higher"), ("lower", "s.bench_lower")):
        d = shown[shown["benchmark_flag"] == flag]
        d = d.reindex(d["benchmark_diff"].abs().sort_values(ascending=False).index)
        if len(d):
            out.append(t(key, language, domains=fmt.listing(d["label"], language)))
    return out or [t("s.bench_none", language)]


def change_sentences(domains: pd.DataFrame, *, language: str, previous_wave: str | None) -> list[str]:
    """Domains whose top-2 changed (flagged) since the previous wave; nothing without one."""
    if previous_wave is None or "previous_flag" not in domains.columns:
        return []
    shown = domains[~domains["suppressed"].astype(bool)]
    out = []
    for flag, key in (("higher", "s.change_up"), ("lower", "s.change_down")):
        d = shown[shown["previous_flag"] == flag]
        d = d.reindex(d["previous_diff"].abs().sort_values(ascending=False).index)
        if len(d):
            parts = [t("s.change_item", language, domain=r["label"], old=fmt.pct(r["previous"], language),
                       new=fmt.pct(r["value"], language)) for _, r in d.iterrows()]
            out.append(t(key, language, wave=previous_wave, domains=fmt.listing(parts, language)))
    return out or [t("s.change_none", language, wave=previous_wave)]
