"""The privacy audit's own detector of personal data in published text.

:mod:`ikto_lib.redact` removes personal data from pluim texts; the audit must not trust it. This
module looks for the same kinds of data with a different, broader method, so that a number or
address the redaction misses (a gap in its patterns, a text that never went through it) is still
found in the outputs:

``number`` (phone numbers and other long numbers)
    any run of :data:`MIN_DIGITS` or more digits once spaces, hyphens and dashes, dots, slashes
    and invisible characters between them are removed (phone numbers however written, BSNs,
    account and customer numbers); and, independently, what ``phonenumbers`` finds at its most
    lenient level (``Leniency.POSSIBLE``) that is written with a country code (``+``/``00``) or
    has at least :data:`MIN_DIGITS` digits. Dates, times, year ranges and lists of years
    (``2013 2015``, not part of a longer run of digits), fractions, percentages,
    amounts of money, links, hex digests (32+ hex digits, or 12+ lower-case hex digits with a letter:
    fingerprints such as a report's ``Gegevens e8289a295588027c``) and UUIDs are blanked
    first; they are what reports are made of.
``e-mail``
    an ``@`` followed by a domain (``x@y.z``, no top-level domain list), ``at``/``apenstaartje``
    in brackets after a word, or bare between two words followed by ``.``/``dot``/``punt`` and a
    word (``jan at minbzk.nl``, ``jan at minbzk punt nl``).
``iban``
    anything shaped like an IBAN: two capitals, two digits, 11 to 30 letters/digits in groups
    (no checksum).
``address``
    a Dutch postcode next to a house number (either side), or a ``...straat``/``-laan``/``-weg``
    ... followed by a number.

Every text is normalised on its own first (HTML references decoded, NFKC, format characters
such as zero-width spaces removed). The detector only says what kinds it found and how many: a
finding never repeats the data (findings are logged and listed on the index page).

>>> scan("bel 0 6 - 1 2 3 4 5 6 7 8 of jan (at) minbzk (punt) nl")
{'number': 1, 'e-mail': 1}
>>> scan("Op 12-03-2015 om 10:00 gaf 83,5% een 8; € 1.250.000; score 12/20; 2013-2015; 2013 2015")
{}
"""

from __future__ import annotations

import html
import re
import unicodedata

import numpy as np
import pandas as pd

__all__ = ["MIN_DIGITS", "KINDS", "scan", "scan_series", "describe"]

#: Fewest digits (after removing separators) that make a number personal data to the audit.
MIN_DIGITS = 8
KINDS = ("number", "e-mail", "iban", "address")
REGION = "NL"

_FORMAT_CHARS = None  # str.translate table of the Unicode format characters (category Cf)


def _drop_format() -> dict[int, None]:
    global _FORMAT_CHARS
    if _FORMAT_CHARS is None:
        # format characters are in planes 0, 1 and 14 only (2-13 ideographs, 15-16 private use)
        _FORMAT_CHARS = {c: None for c in (*range(0x20000), *range(0xE0000, 0xE1000))
                         if unicodedata.category(chr(c)) == "Cf"}
    return _FORMAT_CHARS


# blanked before counting digits: links, hashes (hex digests such as a report's fingerprint, also
# shortened to 12+ hex digits with a letter among them) and
# UUIDs, dates (+ time), times, year ranges, fractions, percentages, amounts of money
_BLANK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[0-9a-fA-F]{32,}\b"
    r"|\b(?=[0-9a-f]*[a-f])(?=[a-f]*[0-9])[0-9a-f]{12,31}\b"
    r"|\b[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\b"
    r"|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{4}"
    r"(?:,?\s+(?:om\s+)?\d{1,2}(?:[:.]\d{2}(?:\s*uur)?|\s*uur))?(?!\d)"
    r"|\b\d{4}-\d{2}-\d{2}(?:[T\s]\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|\b\d{1,2}[:.]\d{2}\s?[-\u2013]\s?\d{1,2}[:.]\d{2}\b"
    r"|\b\d{1,2}:\d{2}(?::\d{2})?"
    r"|\b(?:19|20)\d\d\s?[-\u2013/]\s?(?:19|20)\d\d\b"
    r"|(?<!\d)(?<!\d[\s./-])(?:19|20)\d\d(?:\s+(?:19|20)\d\d)+(?![\s./-]?\d)"
    r"|\b\d{1,3}/\d{1,3}\b"
    r"|\d+(?:[.,]\d+)?\s?%"
    r"|(?:€|\beur\b)\s?\d[\d.]*(?:,\d+|,-)?"
    r"|\d[\d.]*(?:,\d+)?\s?(?:euro|eur|€)\b"
    r"|\b\d{1,3}(?:\.\d{3})*,\d\d?\b",
    re.IGNORECASE,
)
# one separator between two digits: white space, a hyphen or dash, a dot or a slash
_JOIN = re.compile(r"(?<=\d)(?:\s*[-\u2010-\u2015\u2212./]\s*|\s+)(?=\d)")
_DIGITS = re.compile(rf"\d{{{MIN_DIGITS},}}")
_EMAIL = re.compile(
    r"@\s?[^\W\d_][\w-]*(?:\.[\w-]+)+"
    r"|\w\s*[\[({<]\s*(?:at|apenstaartje)\s*[\])}>]\s*[\w-]+"
    r"|\w\s+(?:at|apenstaartje)\s+[\w-]+"
    r"(?:\.|\s+(?:dot|punt)\s+|\s*[\[({<]\s*(?:dot|punt)\s*[\])}>]\s*)[a-z]{2,}",
    re.IGNORECASE,
)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b")
_ADDRESS = re.compile(
    r"\b[1-9]\d{3}\s?[A-Z]{2}\b\s*,?\s*(?:nr\.?\s*)?\d"
    r"|\d[a-zA-Z]?\s*,?\s+[1-9]\d{3}\s?[A-Z]{2}\b"
    r"|[a-z](?:straat|laan|weg|plein|gracht|kade|singel|dijk|steeg|dreef|hof|markt)\s+\d",
)
# worth a closer look (before normalising): digits (any script), an at sign (any width), a
# character reference, "at"
_MAYBE = re.compile(r"[\d@&\uff20\ufe6b]|\bat\b|apenstaartje", re.IGNORECASE)


def _normalise(text: str) -> str:
    if "&" in text:
        text = html.unescape(text)
    return unicodedata.normalize("NFKC", text).translate(_drop_format())


def _phones(text: str) -> int:
    if sum(c.isdigit() for c in text) < 7:
        return 0
    from phonenumbers import Leniency, PhoneNumberMatcher

    n = 0
    for m in PhoneNumberMatcher(text, REGION, leniency=Leniency.POSSIBLE):
        raw = m.raw_string.lstrip("( ")
        if raw.startswith(("+", "00")) or sum(c.isdigit() for c in raw) >= MIN_DIGITS:
            n += 1
    return n


def scan(text) -> dict[str, int]:
    """Kinds of personal data in one text and how many of each (``{}`` when none).

    A non-string has none. ``number`` is the larger of the two counts of numbers (digit runs,
    ``phonenumbers``), which mostly find the same numbers.
    """
    if not isinstance(text, str) or not _MAYBE.search(text):
        return {}
    text = _normalise(text)
    blanked = _BLANK.sub(" ; ", text)
    found = {
        "number": max(len(_DIGITS.findall(_JOIN.sub("", blanked))), _phones(blanked)),
        "e-mail": len(_EMAIL.findall(blanked)),
        "iban": len(_IBAN.findall(blanked)),
        "address": len(_ADDRESS.findall(blanked)),
    }
    return {k: v for k, v in found.items() if v}


def scan_series(values: pd.Series) -> np.ndarray:
    """Which texts of a column hold personal data (boolean array, in order).

    The column is screened with one vectorised search for digits, ``@`` or ``at``; only those
    texts are scanned one by one.
    """
    s = values.astype("object").where(values.notna(), "").astype("str")
    maybe = s.str.contains(_MAYBE, regex=True).to_numpy(dtype=bool)
    hit = np.zeros(len(s), dtype=bool)
    for i in np.flatnonzero(maybe):
        hit[i] = bool(scan(s.iloc[i]))
    return hit


_WORDS = {"number": ("phone or other long number", "phone or other long numbers"),
          "e-mail": ("e-mail address", "e-mail addresses"), "iban": ("IBAN", "IBANs"),
          "address": ("postal address", "postal addresses")}


def describe(text: str) -> str:
    """What :func:`scan` found, in words, without repeating it.

    >>> describe("mail a.b@c.nl of bel 06-12345678")
    'unredacted personal data: 1 phone or other long number, 1 e-mail address'
    """
    found = scan(text)
    parts = [f"{n} {_WORDS[k][n > 1]}" for k, n in found.items()]
    return "unredacted personal data: " + (", ".join(parts) if parts else "none")
