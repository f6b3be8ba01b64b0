"""The audit's own detector of personal data (ikto_lib.pii_scan), checked against the redaction."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ikto_lib.redact as redact_module
from ikto_lib.audit import audit_frame, audit_html
from ikto_lib.pii_scan import describe, scan, scan_series
from ikto_lib.redact import redact, redact_series
from tests.test_redact import HOSTILE, KEEP, PHONES

RAW = [text for text, _ in HOSTILE] + [f"bel {p} nu" for p in PHONES]


@pytest.mark.parametrize("text", RAW)
def test_every_unredacted_form_is_found(text):
    assert scan(text), text
    assert "unredacted personal data" in describe(text)


@pytest.mark.parametrize("text", [
    *KEEP, "Top! een 8", "n = 1.340 (2015)", "Gemaakt op 2026-11-29 13:14",
    "Satisfaction at MINBZK. The units", "koffie @ 10.30", "@rijksoverheid", "at the office.",
])
def test_figures_are_not_personal_data(text):
    assert scan(text) == {}


@pytest.mark.parametrize("text", RAW + KEEP)
def test_nothing_left_after_redaction(text):
    # the redaction removes everything the audit would flag, so a clean batch is not withdrawn
    assert scan(redact(text)) == {}


def test_audit_catches_what_a_weakened_redaction_misses(monkeypatch):
    # a redaction that only knows plain e-mail addresses and links (as a bug or an old version
    # might): the audit, which does not use the redaction's patterns, still finds the rest
    weak = tuple(d for d in redact_module._DETECTORS
                 if d[1] in (redact_module.EMAIL_TOKEN, redact_module.URL_TOKEN, None))
    monkeypatch.setattr(redact_module, "_DETECTORS", weak)
    texts = pd.Series([t for t, _ in HOSTILE if "mail" not in t or "at" in t])
    weakly = redact_series(texts)
    missed = weakly[weakly == texts]
    assert len(missed) >= 10  # the weakened redaction really misses these
    found = audit_frame(pd.DataFrame({"org": "A", "text": missed}), min_n=10)
    assert [f.kind for f in found] == ["pii"] * len(missed)
    html = "".join(f"<p>{t}</p>" for t in missed)
    assert [f.kind for f in audit_html(html, min_n=10)] == ["pii"] * len(missed)


def test_scan_series_screens_then_scans():
    s = pd.Series(["Top!", None, "bel 06-12345678", 7, "mail a@b.nl", "een 8 in 2015"])
    assert scan_series(s).tolist() == [False, False, True, False, True, False]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(RAW + KEEP + ["Top!", "een 8", "in 2015", "Bel gerust:"]),
                min_size=1, max_size=4))
def test_redacted_mixtures_never_flagged(parts):
    text = " ".join(parts)
    assert scan(redact(text)) == {}


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=16, max_size=32), st.uuids())
def test_fingerprints_and_uuids_are_not_personal_data(data, uuid):
    import hashlib

    # a workbook's cover shows the report's fingerprint (a sha256 hex digest)
    assert scan(hashlib.sha256(data).hexdigest()) == {}
    assert scan(hashlib.md5(data).hexdigest().upper()) == {}
    assert scan(f"id {uuid}") == {}


@pytest.mark.parametrize("title", [
    "Benchmarkrapport Klanttevredenheid (iKTO) 2015 2015", "Groepsrapport iKTO 2013 2015",
    "iKTO 2015-2016", "iKTO 2013 2015 2017", "Vergelijking 2013 – 2015",
])
def test_years_in_a_title_are_not_a_phone_number(title):
    # the group report's <title> '... (iKTO) 2015 2015' was withdrawn as a phone number
    assert scan(title) == {}


@pytest.mark.parametrize("text", [
    "0 6 1 2 3 4 5 6 7 8", "bel 06 2019 2020", "2 0 1 3 2 0 1 5", "+31 2013 2015", "1 2013 2015",
    "2013 2015 12", "Rapport 2015 bel 06 1234 5678",
])
def test_spaced_out_digits_beside_years_are_still_found(text):
    assert scan(text).get("number") == 1, text


def test_a_short_fingerprint_is_not_a_phone_number():
    # the report's footer: a 16-hex data fingerprint held the digit run 295588027
    assert scan("Gegevens e8289a295588027c · ikto 0.1.0 · aangemaakt 29 november 2026") == {}
    assert scan("bel 0612345678 of e8289a295588027c").get("number") == 1
