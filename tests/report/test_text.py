"""Generated summary sentences, both languages, and the cases "no previous wave", "peer group too
small" and "nothing flagged". Only flagged differences may be called differences; no p-values."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from ikto_lib.config import load_instrument
from ikto_lib.report import text
from ikto_lib.report.i18n import use_instrument


@pytest.fixture(autouse=True)
def ikto_words():
    """The iKTO instrument's words ('(zeer) tevreden'), as a report of an iKTO wave has them."""
    use_instrument(load_instrument())
    yield
    use_instrument(None)

FORBIDDEN = re.compile(r"\bp\s*[<=>]|p-?waarde|p-?value|significan", re.IGNORECASE)


def overall_frame(grade_flags=("no difference",) * 3, top2_flags=("no difference",) * 3, comps=("benchmark", "peers", "previous")):
    rows = []
    for measure, value, refs, flags in (
        ("grade_mean", 7.36, (7.1, 7.0, 6.9), grade_flags),
        ("grade_pass", 0.884, (0.86, 0.85, 0.84), grade_flags),
        ("top2", 0.6612, (0.61, 0.62, 0.6), top2_flags),
    ):
        r = {"measure": measure, "n": 500.0, "value": value, "ci_low": value * 0.97, "ci_high": value * 1.03,
             "suppressed": False}
        for c, ref, f in zip(comps, refs, flags):
            r[c], r[f"{c}_diff"], r[f"{c}_flag"] = ref, value - ref, f
        rows.append(r)
    return pd.DataFrame(rows)


def domains_frame(bench_flags, prev_flags=None):
    labels = ["ICT en werkplek", "Catering", "P&O-advies"]
    d = pd.DataFrame({
        "domain": ["ict", "catering", "hr"], "label": labels, "n": [300.0, 200.0, 100.0],
        "value": [0.72, 0.31, 0.6], "suppressed": [False, False, False],
        "benchmark": [0.64, 0.59, 0.6], "benchmark_diff": [0.08, -0.28, 0.0], "benchmark_flag": list(bench_flags),
    })
    if prev_flags is not None:
        d["previous"] = [0.62, 0.54, 0.6]
        d["previous_diff"] = d["value"] - d["previous"]
        d["previous_flag"] = list(prev_flags)
    return d


def overall(language, frame=None, *, peers=True, previous="2013"):
    return text.overall_sentences(frame if frame is not None else overall_frame(), org_name="Ministerie X",
                                  language=language, peers_available=peers,
                                  peers=text.peers_label("ministerie", language), peer_min_orgs=3,
                                  previous_wave=previous)


def test_grade_sentence_in_both_languages():
    nl, en = overall("nl"), overall("en")
    assert nl[0] == "De respondenten van Ministerie X geven gemiddeld een 7,4; 88,4% geeft een voldoende."
    assert en[0] == "The respondents of Ministerie X give an average grade of 7.4; 88.4% give a pass mark."
    assert "66,1%" in nl[1] and "66.1%" in en[1]
    assert len(nl) == len(en) == 5  # grade, top-2, benchmark, peers, previous


def test_flagged_difference_is_called_higher_or_lower():
    f = overall_frame(grade_flags=("higher", "lower", "no difference"), top2_flags=("lower", "no difference", "higher"))
    nl = overall("nl", f)
    assert nl[2] == ("Vergeleken met de benchmark (alle andere organisaties) is het rapportcijfer hoger "
                     "(7,4 tegenover 7,1) en het aandeel (zeer) tevreden lager (66,1% tegenover 61,0%).")
    assert "andere ministeries" in nl[3] and "lager (7,4 tegenover 7,0)" in nl[3]
    en = overall("en", f)
    assert en[4].startswith("Compared with the previous wave (2013), the grade is not notably different")
    assert "higher (66.1% versus 60.0%)" in en[4]


def test_nothing_flagged_never_says_higher_or_lower():
    for lang, words in (("nl", ("hoger", "lager", "gestegen", "gedaald")),
                        ("en", ("higher", "lower", "gone up", "gone down"))):
        sentences = overall(lang) + text.difference_sentences(domains_frame(["no difference"] * 3), language=lang) \
            + text.change_sentences(domains_frame(["no difference"] * 3, ["no difference"] * 3), language=lang,
                                    previous_wave="2013")
        joined = " ".join(sentences)
        assert not any(w in joined for w in words), joined
    assert text.difference_sentences(domains_frame(["no difference"] * 3), language="nl") == [
        "Op geen enkel domein wijkt het aandeel (zeer) tevreden wezenlijk af van de benchmark."]
    assert text.change_sentences(domains_frame(["no difference"] * 3, ["no difference"] * 3), language="en",
                                 previous_wave="2013") == ["Since 2013, the share (very) satisfied per domain has not changed notably."]


def test_not_tested_is_not_a_difference():
    f = overall_frame(grade_flags=("not tested",) * 3, top2_flags=("not tested",) * 3)
    nl = overall("nl", f)
    assert "niet te vergelijken (te weinig antwoorden)" in nl[2]
    assert "hoger" not in " ".join(nl) and "lager" not in " ".join(nl)


def test_no_previous_wave():
    f = overall_frame(comps=("benchmark", "peers"))
    nl = overall("nl", f, previous=None)
    en = overall("en", f, previous=None)
    assert nl[-1] == "Er is geen vorige meting om mee te vergelijken."
    assert en[-1] == "There is no previous wave to compare with."
    assert text.change_sentences(domains_frame(["higher", "lower", "no difference"]), language="nl",
                                 previous_wave=None) == []


def test_peer_group_too_small():
    f = overall_frame(comps=("benchmark", "previous"), grade_flags=("higher", "lower"), top2_flags=("higher", "lower"))
    nl = overall("nl", f, peers=False)
    en = overall("en", f, peers=False)
    assert "Een vergelijking met andere ministeries is niet mogelijk: die groep telt minder dan 3 organisaties." in nl
    assert "No comparison with other ministries is possible: that group has fewer than 3 organisations." in en


def test_peer_label_of_an_unknown_type():
    assert text.peers_label("agentschap", "nl", "Agentschap") == "andere organisaties van het type Agentschap"


def test_differences_and_changes_name_only_flagged_domains():
    d = domains_frame(["higher", "lower", "no difference"], ["higher", "lower", "no difference"])
    assert text.difference_sentences(d, language="nl") == ["Hoger dan de benchmark: ICT en werkplek.",
                                                            "Lager dan de benchmark: Catering."]
    ch = text.change_sentences(d, language="nl", previous_wave="2013")
    assert ch == ["Sinds 2013 is het aandeel (zeer) tevreden gestegen bij ICT en werkplek (62,0% → 72,0%).",
                  "Sinds 2013 is het aandeel (zeer) tevreden gedaald bij Catering (54,0% → 31,0%)."]
    assert "P&O" not in " ".join(ch)
    en = text.change_sentences(d, language="en", previous_wave="2013")
    assert en[0] == "Since 2013, the share (very) satisfied has gone up for ICT en werkplek (62.0% → 72.0%)."


def test_priorities_top_three_by_importance_and_empty_quadrants():
    p = pd.DataFrame({
        "label": list("ABCDE") + ["F"], "quadrant": ["behouden"] * 4 + ["verbeteren", "bewaken"],
        "importance": [0.1, 0.3, 0.2, 0.05, 0.2, 0.4],
    })
    nl = text.priority_sentences(p, language="nl")
    assert nl[0] == ("Sterke punten (hoger dan de benchmark of de vorige meting en belangrijk voor het "
                     "rapportcijfer): B, C en A.")
    assert nl[1].endswith(": E.") and len(nl) == 2  # 'bewaken' (F) is no advice
    empty = text.priority_sentences(p.iloc[:0], language="en")
    assert empty == ["No strength: no domain important for the grade scores notably better.",
                     "No priority: no domain scores notably worse than the benchmark or the previous wave."]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_p_values_in_any_sentence(lang):
    f = overall_frame(grade_flags=("higher", "lower", "not tested"), top2_flags=("lower", "higher", "no difference"))
    d = domains_frame(["higher", "lower", "no difference"], ["higher", "lower", "not tested"])
    sentences = overall(lang, f) + text.difference_sentences(d, language=lang) + \
        text.change_sentences(d, language=lang, previous_wave="2013")
    for s in sentences:
        assert not FORBIDDEN.search(s), s
        assert "nan" not in s.lower().split() and "None" not in s


def test_organisation_new_in_this_wave():
    f = overall_frame(comps=("benchmark", "peers"))
    nl = text.overall_sentences(f, org_name="X", language="nl", peers_available=True, peers="andere ministeries",
                                peer_min_orgs=3, previous_wave="2013", in_previous=False)
    assert nl[-1] == "Deze organisatie deed niet mee aan de vorige meting (2013)."


def test_measure_name_and_peers_come_from_the_instrument():
    """An agree/disagree survey of one kind of organisation: its measure name in every sentence, and
    no sentence about a peer group (it would repeat the benchmark)."""
    use_instrument(load_instrument("parameters/instruments/employee.yml"))
    f = overall_frame()[lambda d: d["measure"] == "top2"]
    nl = text.overall_sentences(f, org_name="Departement X", language="nl", peers_available=False,
                                peers="", peer_min_orgs=3, previous_wave=None, peers_distinct=False)
    assert nl[0] == "Over alle vragen samen is 66,1% van de antwoorden (helemaal) eens."
    assert "(helemaal) eens" in nl[1] and not any("vergelijkbare" in x or "tevreden" in x for x in nl)
