"""Advice follows the tests, over every organisation of the demo (issue 14, part 1): a domain the
summary calls a priority is flagged lower (benchmark or previous wave), a strength is flagged
higher, every flagged-lower domain is named, and the planted no-difference organisation has no
priority."""

from __future__ import annotations

import pandas as pd
import pytest

from ikto_lib.demo.catalogue import NO_DIFFERENCE
from ikto_lib.prepared import Prepared
from ikto_lib.report import data, sections
from ikto_lib.report.config import report_config
from ikto_lib.report.i18n import t


def _named(sentence: str, labels: list[str]) -> set[str]:
    part = sentence.split(":", 1)[1]
    hits = {x for x in labels if x in part}
    return {x for x in hits if not any(x != y and x in y for y in hits)}


def _opening(key: str, language: str) -> str:
    return t(key, language, domains="").split("(")[0].split(":")[0]


@pytest.fixture(scope="module")
def demo_orgs(demo_prepared):
    o = Prepared(demo_prepared).organisations
    return [str(x) for x in o.loc[o["eligible"].astype(bool), "org"]]


@pytest.mark.parametrize("language", ["nl"])
def test_summary_names_follow_the_flags_in_every_demo_report(demo_prepared, demo_orgs, language):
    assert NO_DIFFERENCE in demo_orgs and len(demo_orgs) > 20
    checked_priorities = checked_lower = 0
    for org in demo_orgs:
        cfg = report_config(org, prepared=demo_prepared, language=language)
        doms = data.domains(cfg)
        doms = doms[~doms["suppressed"].astype(bool)]
        prev = doms["previous_flag"] if "previous_flag" in doms else pd.Series("", index=doms.index)
        lower = set(doms.loc[(doms["benchmark_flag"] == "lower") | (prev == "lower"), "label"])
        higher = set(doms.loc[(doms["benchmark_flag"] == "higher") | (prev == "higher"), "label"]) - lower
        labels = list(doms["label"])
        s = sections.summary_sentences(cfg)
        named_prio, named_strength = set(), set()
        for sentence in s["strengths"]:
            if sentence.startswith(_opening("s.priorities", language)) and ":" in sentence:
                named_prio |= _named(sentence, labels)
            elif sentence.startswith(_opening("s.strengths", language)) and ":" in sentence:
                named_strength |= _named(sentence, labels)
        assert named_prio <= lower, (org, named_prio - lower)
        assert named_strength <= higher, (org, named_strength - higher)
        text = " ".join(x for group in s.values() for x in group)
        assert all(d in text for d in lower), (org, [d for d in lower if d not in text])
        if org == NO_DIFFERENCE:
            assert not named_prio and not named_strength
            assert not any(x.startswith(_opening("s.priorities", language)) for x in s["strengths"])
        checked_priorities += len(named_prio)
        checked_lower += len(lower)
    assert checked_priorities > 0 and checked_lower > 0  # the demo exercises the rule


def test_prepared_priorities_follow_the_rule(demo_prepared):
    pr = Prepared(demo_prepared).priorities
    lower = (pr["flag"] == "lower") | (pr["previous_flag"] == "lower")
    higher = ((pr["flag"] == "higher") | (pr["previous_flag"] == "higher")) & ~lower
    clearly_below = pr["importance_high"] < pr["median_importance"]
    assert (pr.loc[lower & ~clearly_below, "quadrant"] == "verbeteren").all()
    assert (pr.loc[lower & clearly_below, "quadrant"] == "aandacht").all()
    assert (pr.loc[higher & (pr["importance"] >= pr["median_importance"]), "quadrant"] == "behouden").all()
    assert (pr.loc[~lower & ~higher, "quadrant"] == "geen verschil").all()
    assert pr["importance_low"].notna().all() and (pr["importance_low"] <= pr["importance_high"]).all()


def _contradictions(frame: pd.DataFrame, comps: list[str]) -> pd.DataFrame:
    """Rows whose interval excludes a reference while the verdict is 'no difference'."""
    hits = []
    for c in comps:
        if c not in frame or f"{c}_flag" not in frame:
            continue
        out = (frame["ci_low"] > frame[c]) | (frame["ci_high"] < frame[c])
        hits.append(frame[out & (frame[f"{c}_flag"] == "no difference") & ~frame["suppressed"].astype(bool)])
    return pd.concat(hits) if hits else frame.iloc[:0]


def test_no_interval_contradicts_its_verdict_unexplained(demo_prepared, demo_orgs):
    """One interval, one verdict (issue 14, part 2): wherever a page shows an interval that excludes
    the reference next to 'no difference', the page says why in one sentence."""
    seen = 0
    for org in demo_orgs:
        cfg = report_config(org, prepared=demo_prepared)
        comps = data.shown_comparisons(cfg)
        for name, frame in (("overall", data.overall(cfg)), ("domains", data.domains(cfg))):
            if _contradictions(frame, comps).empty:
                continue
            seen += 1
            html = getattr(sections, name)(cfg).html
            assert 'class="note interval-verdict"' in html, (org, name)
            assert t("note.interval_verdict", "nl", confidence="95%", min_pp="5").split(":")[0] in html
    assert seen > 0  # the demo has such rows (the case the sentence is for)
