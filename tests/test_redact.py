"""Redaction of personal data in free text (ikto_lib.redact)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ikto_lib.redact import (
    EMAIL_RE,
    URL_RE,
    find_pii,
    redact,
    redact_series,
)

PHONES = [
    "06-12345678",
    "0612345678",
    "06 1234 5678",
    "06 12 34 56 78",
    "06-1234 5678",
    "+31 6 1234 5678",
    "+31 (0)6 12345678",
    "+31(0)612345678",
    "+31612345678",
    "+31 06 12345678",
    "0031 6 12345678",
    "0031612345678",
    "070 123 4567",
    "070-1234567",
    "070.123.45.67",
    "010-1234567",
    "(030) 123 45 67",
    "(030)1234567",
    "(06) 12345678",
    "(0297) 12 34 56",
    "0297-123456",
    "020 - 123 45 67",
    "+31 (0) 70 123 45 67",
    "+32 2 123 45 67",
    "0032 2 123 45 67",
    "+49 30 1234567",
    "+44 20 7946 0958",
    "06/12345678",
    "070/1234567",
    "06\u201112345678",  # non-breaking hyphen
]

NOT_PHONES = [
    "2015",
    "een 8",
    "een 7,5",
    "12-03-2015",
    "01-03-2015",
    "06-03-2015",
    "06-03-2015 10:00",
    "06-03-2015 10 uur",
    "31/12/2014",
    "2013-2015",
    "2511 CV",
    "€ 1.250",
    "€ 1.250.000",
    "€ 12.345.678",
    "1.234.567,89",
    "€ 0,50",
    "tussen 9 en 17 uur",
    "12:30-13:30",
    "versie 2.0.1",
    "kamer 0.12",
    "score 0 tot 10",
    "telefoon 14 070",
    "score 12/20",
    "kamer 3/4",
    "3 keer",
    "100%",
]

EMAILS = [
    "j.jansen@example.nl",
    "P.de.Vries@minbzk.nl",
    "j_jansen+ikto@sub.example.co.uk",
    "servicedesk@rijksoverheid.nl",
    "j.jansen(at)minbzk.nl",
    "j.jansen [at] rijksoverheid.nl",
    "0612345678@example.nl",
    "j.jansen @ example.nl",
    "j.jansen@ example.nl",
]

NOT_EMAILS = [
    "de e-mail was snel",
    "jan@ is geen adres",
    "@jan op twitter",
    "per mail geholpen",
    "a @ b",
]

URLS = [
    "https://www.rijksoverheid.nl/ikto?x=1",
    "http://x.nl/a",
    "www.intranet.nl/pagina",
    "https://x.nl/0612345678",
    "HTTPS://Example.org",
]


@pytest.mark.parametrize("phone", PHONES)
def test_phone_numbers_are_redacted(phone):
    assert redact(f"Bel {phone} gerust.") == "Bel [telefoonnummer] gerust."
    assert redact(phone) == "[telefoonnummer]"
    assert find_pii(f"x {phone} y") == [phone]


@pytest.mark.parametrize("phone", ["06-12345678", "070 123 4567", "+31 6 1234 5678"])
@pytest.mark.parametrize("before,after", [("(", ")"), ("tel:", "."), ("", ","), ("Tel. ", "!")])
def test_phone_numbers_in_punctuation(phone, before, after):
    assert redact(f"{before}{phone}{after}") == f"{before}[telefoonnummer]{after}"


@pytest.mark.parametrize("text", NOT_PHONES)
def test_numbers_that_are_not_phone_numbers_stay(text):
    sentence = f"Ik gaf {text} als antwoord."
    assert redact(sentence) == sentence
    assert find_pii(sentence) == []


@pytest.mark.parametrize("email", EMAILS)
def test_email_addresses_are_redacted(email):
    assert redact(f"Mail {email}, zij regelt alles.") == "Mail [e-mail], zij regelt alles."
    assert EMAIL_RE.fullmatch(email)
    assert find_pii(f"mail {email}.") == [email]


@pytest.mark.parametrize("text", NOT_EMAILS)
def test_text_that_is_not_an_email_stays(text):
    assert redact(text) == text
    assert find_pii(text) == []


@pytest.mark.parametrize("url", URLS)
def test_urls_are_redacted(url):
    assert redact(f"Zie {url}. Top!") == "Zie [url]. Top!"
    assert URL_RE.fullmatch(url)
    assert find_pii(f"zie {url}") == []  # links are not reported by default
    assert find_pii(f"zie {url}", urls=True) == [url]


def test_several_items_in_one_text():
    text = ("Mail j.jansen@example.nl of bel 06-12345678 / 070 123 4567, zie www.example.nl. "
            "Cijfer: een 8 in 2015.")
    assert redact(text) == ("Mail [e-mail] of bel [telefoonnummer] / [telefoonnummer], zie [url]. "
                            "Cijfer: een 8 in 2015.")
    assert find_pii(text) == ["j.jansen@example.nl", "06-12345678", "070 123 4567"]


def test_two_numbers_joined_by_a_slash():
    assert redact("06-12345678/06-87654321") == "[telefoonnummer]/[telefoonnummer]"


def test_redaction_is_idempotent_and_tokens_are_not_pii():
    once = redact("bel 06-12345678 of mail a.b@c.nl of www.x.nl")
    assert redact(once) == once
    assert find_pii(once, urls=True) == []


def test_redact_rejects_non_strings():
    with pytest.raises(TypeError, match="redact_series"):
        redact(None)  # type: ignore[arg-type]


def test_redact_series_vectorised_keeps_missing_and_index():
    s = pd.Series(["bel 06-12345678", None, "mail x@y.nl", "een 8"], index=[10, 11, 12, 13],
                  name="pluim_text", dtype="string")
    out = redact_series(s)
    assert out.index.equals(s.index) and out.name == "pluim_text"
    assert out.isna().tolist() == [False, True, False, False]
    assert out.dropna().tolist() == ["bel [telefoonnummer]", "mail [e-mail]", "een 8"]
    assert redact_series(pd.Series(["a@b.nl", None], dtype=object)).tolist()[0] == "[e-mail]"
    with pytest.raises(ValueError, match="Series"):
        redact_series(["a@b.nl"])  # type: ignore[arg-type]


def test_find_pii_of_non_string_is_empty():
    assert find_pii(None) == []  # type: ignore[arg-type]
    assert find_pii(612345678) == []  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=10**7 - 1))
def test_plain_numbers_below_eight_digits_never_redacted(x):
    for text in (f"nummer {x}", f"€ {x:,}".replace(",", "."), f"{x} keer"):
        assert redact(text) == text


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=date(1000, 1, 1)))
def test_dates_never_redacted(d):
    for text in (d.strftime("%d-%m-%Y"), d.strftime("%d/%m/%Y"), d.strftime("%Y-%m-%d"),
                 d.strftime("%d-%m-%Y") + " 10:00", d.strftime("%d-%m-%Y") + " 10 uur"):
        assert redact(f"op {text} gebeld") == f"op {text} gebeld"


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=10**7, max_value=10**8 - 1),
       st.sampled_from(["06-{}", "06 {}", "+31 6 {}", "0031 6 {}", "+31 (0)6 {}"]))
def test_any_mobile_number_redacted(digits, fmt):
    number = fmt.format(digits)
    # numbers phonenumbers knows as Dutch mobile numbers (or written with a country code) are
    # phone numbers; the rest of the 06 range (06-9..., unassigned) is still redacted
    assert redact(f"bel {number} nu") in ("bel [telefoonnummer] nu", "bel [nummer] nu")
    if fmt.startswith(("+", "00")) or str(digits).startswith(("1", "2", "3", "4", "5")):
        assert redact(f"bel {number} nu") == "bel [telefoonnummer] nu"


# ---- disguised and other personal data (issue 12, hostile item 5) -------------------------------

HOSTILE = [
    ("mail jan [at] minbzk [dot] nl gerust", "mail [e-mail] gerust"),
    ("mail jan(at)minbzk(dot)nl gerust", "mail [e-mail] gerust"),
    ("mail jan at minbzk punt nl gerust", "mail [e-mail] gerust"),
    ("mail jan\uff20minbzk.nl gerust", "mail [e-mail] gerust"),  # fullwidth @
    ("mail jan&#64;minbzk.nl gerust", "mail [e-mail] gerust"),  # HTML reference
    ("mail jan&commat;minbzk&period;nl gerust", "mail [e-mail] gerust"),
    ("bel 0 6 1 2 3 4 5 6 7 8 gerust", "bel [telefoonnummer] gerust"),
    ("bel +1 (555) 123-4567 gerust", "bel [telefoonnummer] gerust"),
    ("bel 06\u200b12345678 gerust", "bel [telefoonnummer] gerust"),  # zero-width space
    ("bel 06\u2060123\u00ad45678 gerust", "bel [telefoonnummer] gerust"),  # word joiner, soft hyphen
    ("bel \uff10\uff16\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18 gerust", "bel [telefoonnummer] gerust"),
    ("rekening NL91 ABNA 0417 1643 00 graag", "rekening [rekeningnummer] graag"),
    ("rekening NL91ABNA0417164300.", "rekening [rekeningnummer]."),
    ("rekening GB82 WEST 1234 5698 7654 32 graag", "rekening [rekeningnummer] graag"),
    ("mijn bsn is 123456782.", "mijn bsn is [bsn]."),
    ("mijn bsn is 1234.56.782.", "mijn bsn is [bsn]."),
    ("adres: 2511 CW 7, Den Haag", "adres: [adres], Den Haag"),
    ("adres: Korte Voorhout 7, 2511 CW Den Haag.", "adres: [adres]."),
    ("kom langs op de Kerkstraat 12a!", "kom langs op de [adres]!"),
    ("ticket 2015031234567 is opgelost", "ticket [nummer] is opgelost"),
    ("klantnummer 1234 5678 9", "klantnummer [nummer]"),
]


@pytest.mark.parametrize("text,expected", HOSTILE)
def test_disguised_personal_data_is_redacted(text, expected):
    assert redact(text) == expected
    assert redact_series(pd.Series([text, "een 8"])).tolist() == [expected, "een 8"]


KEEP = [
    "Op 12-03-2015 om 10:00 uur gebeld",
    "op 2015-03-12T10:00 en 31/12/2014, 06-03-2015 10 uur",
    "van 12:30-13:30 en 9:00",
    "bereikbaar van 08.30-17.00 uur, op 1-2-2015 van 08.30 \u2013 17.00 en 8:30 - 17:00",
    "2013-2015 en 2013 \u2013 2015",
    "score 12/20, kamer 3/4, 7/10",
    "83,5% en 100 % en 12.5%",
    "€ 1.250.000 en € 12.345.678,- en 1.234.567,89 en 300 euro en EUR 45000000",
    "postcode 2511 CV",
    "een 8 in 2015, versie 2.0.1, kamer 0.12",
    "telefoon 14 070 of 112",
    "1234567 keer",
]


@pytest.mark.parametrize("text", KEEP)
def test_dates_times_fractions_percentages_amounts_stay(text):
    assert redact(text) == text
    assert find_pii(text) == []


def test_wrong_checksums_are_not_iban_or_bsn():
    assert "[rekeningnummer]" not in redact("NL92 ABNA 0417 1643 00")  # mod 97 fails
    assert redact("bsn 123456789") == "bsn [nummer]"  # elf-proef fails: a number, not a BSN


def test_redacted_in_the_original_text():
    # the match is made on normalised text; everything outside it stays exactly as written
    text = "\uff34\uff4f\uff50! bel 06\u200b12345678 &amp; mail jan&#64;x.nl \u200bdank"
    assert redact(text) == "\uff34\uff4f\uff50! bel [telefoonnummer] &amp; mail [e-mail] \u200bdank"


def test_only_candidate_texts_reach_phonenumbers(monkeypatch):
    import ikto_lib.redact as r

    seen = []
    phone = r._phone_spans
    detectors = tuple((lambda w, f=phone: seen.append(w) or f(w)) if f is phone else f
                      for f, _ in r._DETECTORS)
    monkeypatch.setattr(r, "_DETECTORS", tuple(zip(detectors, (t for _, t in r._DETECTORS))))
    texts = pd.Series(["Top service, een 8!"] * 500 + ["bel 06-12345678", None, "2511 CV 7"])
    out = redact_series(texts)
    assert len(seen) == 2  # not 503
    assert out.iloc[500] == "bel [telefoonnummer]" and out.iloc[-1] == "[adres]"
    assert out.iloc[:500].eq("Top service, een 8!").all() and pd.isna(out.iloc[501])


def test_every_format_character_is_removed_before_matching():
    import unicodedata

    from ikto_lib.pii_scan import _drop_format
    from ikto_lib.redact import _invisible

    every = {c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"}
    assert set(_invisible()) == every == set(_drop_format())  # (they search planes 0, 1, 14 only)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(
    [t for t, _ in HOSTILE] + KEEP + PHONES + EMAILS + URLS + NOT_PHONES + NOT_EMAILS
    + ["Top!", "een 8", "Bel gerust:", "Kerkstraat", "at", "(at)"]), min_size=1, max_size=3),
    min_size=1, max_size=8))
def test_the_vectorised_screen_never_skips_a_text_that_redact_changes(texts):
    s = pd.Series([" ".join(parts) for parts in texts])
    assert redact_series(s).tolist() == [redact(t) for t in s]
