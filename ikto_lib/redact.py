"""Redaction of personal data in free text (pluim texts) before anything is published.

Pluim texts are shown in reports only after :func:`redact_series`. The privacy audit checks the
published texts again with a detector of its own (:mod:`ikto_lib.pii_scan`), built differently
on purpose, so that what this module misses is still caught there.

How a text is read
------------------
Before matching, a copy of the text is normalised: HTML character references are decoded
(``&#64;`` is ``@``), Unicode NFKC folds look-alikes (fullwidth ``＠`` and ``０６``, the small
commercial at, ...) and invisible format characters (zero-width space, word joiner, soft hyphen,
byte order mark, direction marks) are removed. Matches on that copy are mapped back, so the
original text is redacted and everything else in it stays as written.

What is recognised (replacement token in brackets)
--------------------------------------------------
E-mail addresses ``[e-mail]``
    ``name@example.nl``, also spelled out or disguised: ``name(at)example.nl``,
    ``jan [at] minbzk [dot] nl``, ``jan(at)minbzk(dot)nl``, ``jan at minbzk punt nl``.
URLs ``[url]``
    ``http(s)://...`` and ``www....`` (trailing punctuation stays outside).
IBANs ``[rekeningnummer]``
    Any country's IBAN, with or without spaces, only when its mod-97 check digits are right
    (``python-stdnum``).
Postal addresses ``[adres]``
    A Dutch postcode with a house number (``1234 AB 12``), a street with a house number and a
    postcode (``Korte Voorhout 7, 2511 CW Den Haag``) and a street whose name ends in a street
    word (``-straat``, ``-laan``, ``-weg``, ``-plein``, ``-gracht``, ...) with a house number.
Phone numbers ``[telefoonnummer]``
    Found by Google's ``phonenumbers`` library: Dutch numbers it knows to be valid (written in
    any way it understands: ``06-12345678``, ``(030) 123 45 67``, ``0 6 1 2 3 4 5 6 7 8``) and any
    number written with a country code (``+31 6 ...``, ``0032 2 ...``, ``+1 (555) 123-4567``) that
    has a possible length for its country. Short service numbers (``14 070``, ``112``) stay.
BSNs ``[bsn]``
    Nine digits (also ``1234.56.789``, ``123 456 789``) that pass the elf-proef (``python-stdnum``).
Other long numbers ``[nummer]``
    Any other run of :data:`MIN_NUMBER_DIGITS` or more digits, separated at most by single spaces,
    hyphens, dots or slashes: customer, case and ticket numbers can point to a person.

What is kept: dates (``12-03-2015``, ``2015-03-12``, with a time), times (``10:00``,
``08.30-17.00``), year ranges (``2013-2015``), scores and fractions (``12/20``), percentages
(``83,5%``), amounts of money (``€ 1.250.000``, ``1.234.567,89``, ``300 euro``), postcodes
without a house number (``2511 CV``) and short numbers.

What is not recognised: names of persons (scrubbed only when a respondent named them as the
target of a pluim, :mod:`ikto_lib.prepare.pluim`), and free text that identifies someone without
any of the forms above ("the only colleague in Maastricht who ...").

>>> redact("Mail j.jansen@example.nl of bel 06-12345678, zie www.example.nl.")
'Mail [e-mail] of bel [telefoonnummer], zie [url].'
>>> redact("jan [at] minbzk [dot] nl, 0 6 1 2 3 4 5 6 7 8, NL91 ABNA 0417 1643 00")
'[e-mail], [telefoonnummer], [rekeningnummer]'
>>> redact("In 2015 gaf ik een 8; postcode 2511 CV, kosten € 1.250 op 12-03-2015, 83% en 12/20.")
'In 2015 gaf ik een 8; postcode 2511 CV, kosten € 1.250 op 12-03-2015, 83% en 12/20.'
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

import pandas as pd

__all__ = [
    "EMAIL_RE",
    "URL_RE",
    "EMAIL_TOKEN",
    "PHONE_TOKEN",
    "URL_TOKEN",
    "IBAN_TOKEN",
    "ADDRESS_TOKEN",
    "BSN_TOKEN",
    "NUMBER_TOKEN",
    "TOKENS",
    "MIN_NUMBER_DIGITS",
    "Span",
    "normalise",
    "pii_spans",
    "redact",
    "redact_series",
    "find_pii",
]

#: Replacement tokens (Dutch; they are what a reader sees in the report).
EMAIL_TOKEN = "[e-mail]"
PHONE_TOKEN = "[telefoonnummer]"
URL_TOKEN = "[url]"
IBAN_TOKEN = "[rekeningnummer]"
ADDRESS_TOKEN = "[adres]"
BSN_TOKEN = "[bsn]"
NUMBER_TOKEN = "[nummer]"
TOKENS = (EMAIL_TOKEN, PHONE_TOKEN, URL_TOKEN, IBAN_TOKEN, ADDRESS_TOKEN, BSN_TOKEN, NUMBER_TOKEN)
#: Fewest digits of a number that is redacted as ``[nummer]`` when it is nothing else.
MIN_NUMBER_DIGITS = 8
#: Region whose national phone number formats are understood (``phonenumbers``).
REGION = "NL"
#: Shortest Dutch national significant number redacted as a phone number (``14 070`` is public).
MIN_NATIONAL_DIGITS = 7

_MASK = "\x00"  # stands in for matched or protected text: breaks every pattern below

# ---- e-mail and URLs ---------------------------------------------------------------------------
_OPEN, _CLOSE = r"[\[({<]", r"[\])}>]"
_AT = (rf"(?:[ \t]?@[ \t]?|[ \t]*{_OPEN}[ \t]*(?:at|apenstaartje)[ \t]*{_CLOSE}[ \t]*"
       r"|[ \t]+(?:at|apenstaartje)[ \t]+)")
_DOT = rf"(?:\.|[ \t]*{_OPEN}[ \t]*(?:dot|punt)[ \t]*{_CLOSE}[ \t]*|[ \t]+(?:dot|punt)[ \t]+)"
#: E-mail address, also with a spelled-out or bracketed ``at`` / ``dot`` (on normalised text).
EMAIL_RE = re.compile(
    rf"(?<![\w.+%-])[\w.+%-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[^\W\d_]{{2,}}(?![\w-])",
    re.IGNORECASE,
)
#: URL starting with a scheme (http, https) or ``www.``; trailing punctuation is not part of it.
URL_RE = re.compile(
    r"(?<![\w@/.])(?:https?://|www\.)[^\s<>\"'\[\]\x00]*[^\s<>\"'\[\].,;:!?)\x00]",
    re.IGNORECASE,
)

# ---- IBAN, addresses, BSN, long numbers ----------------------------------------------------------
_IBAN_RE = re.compile(r"(?<![^\W_])[A-Za-z]{2}\d{2}(?:[ \t]?[A-Za-z0-9]){11,30}")
_POSTCODE = r"[1-9]\d{3}[ \t]?(?!SA|SD|SS)[A-Z]{2}(?!\w)"
_HOUSE = r"\d{1,5}(?:[ \t]?[a-zA-Z](?!\w))?(?:[ \t]?[-/][ \t]?[\dA-Za-z]{1,4})?(?!\d)"
_STREET_WORDS = ("straat|laan|weg|plein|gracht|kade|singel|dijk|steeg|dreef|hof|markt|pad|park|"
                 "plantsoen|boulevard|dam|wal|baan|straatweg|kanaal|haven|erf|hoek|veld")
_CAP = r"[A-Z][\w'\u2019.-]*"
_TOWN = r"(?:'s-)?[A-Z][\w'\u2019-]*"
_CONNECT = r"(?:van|de|der|den|het|'t|te|ter|ten|op|aan|in|la|le)"
_ADDRESS_RE = re.compile(
    # street + house number + postcode (+ town)
    rf"(?:{_CAP}[ \t]+(?:{_CONNECT}[ \t]+)*){{0,3}}[^\W\d_][\w'\u2019.-]*[ \t]+{_HOUSE}"
    rf"[ \t]*,?[ \t]*{_POSTCODE}(?:[ \t]+{_TOWN}(?:[ \t]+{_TOWN})?)?"
    # postcode + house number
    rf"|{_POSTCODE}[ \t]*,?[ \t]*(?:(?:huisnummer|huisnr\.?|nummer|nr\.?)[ \t]*)?{_HOUSE}"
    # <name>straat 12
    rf"|[A-Z][\w'\u2019-]*(?:{_STREET_WORDS})[ \t]+\d{{1,5}}(?:[ \t]?[a-zA-Z](?!\w))?(?!\d)"
)
_BSN_RE = re.compile(
    r"(?<![\d.,])(?:\d{9}|\d{4}([ .-])\d{2}\1\d{3}|\d{3}([ .-])\d{3}\2\d{3})(?!\d|[.,]\d)")
_SEP = r"(?:[ \t]?[-./][ \t]?|[ \t])"
_LONG_NUMBER_RE = re.compile(rf"\d(?:{_SEP}?\d){{{MIN_NUMBER_DIGITS - 1},}}")

# ---- never redacted: dates, times, year ranges, fractions, percentages, amounts -------------
_TIME = r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:[ \t]*uur)?"
_KEEP_RE = re.compile(
    r"(?<![\d.,])(?:"
    rf"\d{{1,2}}([-/.])\d{{1,2}}\1\d{{4}}(?:,?[ \t]+(?:om[ \t]+)?(?:{_TIME}|\d{{1,2}}[ \t]*uur))?"
    rf"|\d{{4}}-\d{{1,2}}-\d{{1,2}}(?:[T \t]{_TIME})?"
    r"|(?:19|20)\d{2}[ \t]?[-\u2013/][ \t]?(?:19|20)\d{2}"
    r"|\d{1,2}[:.]\d{2}[ \t]?[-\u2013][ \t]?\d{1,2}[:.]\d{2}"  # 08.30-17.00
    r"|\d{1,2}:\d{2}(?::\d{2})?"
    r"|\d+(?:[.,]\d+)?[ \t]?%"
    r"|\d{1,3}/\d{1,3}"
    r"|\d{1,3}(?:\.\d{3})*,\d{1,2}"
    r"|\d[\d.,]*[ \t]?(?:euro\b|EUR\b|€)"
    r")(?!\d)"
    r"|(?:€|EUR\b)[ \t]?\d(?:[\d.]*\d)?(?:,\d+|,-)?",
    re.IGNORECASE,
)

# ---- normalisation -----------------------------------------------------------------------
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
_PIECE_RE = re.compile(_ENTITY_RE.pattern + r"|.", re.DOTALL)


@lru_cache(maxsize=1)
def _invisible() -> dict[int, None]:
    """``str.translate`` table removing every Unicode format character (category Cf).

    Format characters live in the planes 0 (BMP), 1 and 14 (tags) only: the others hold
    ideographs and private use characters.
    """
    planes = (*range(0x20000), *range(0xE0000, 0xE1000))
    return dict.fromkeys(c for c in planes if unicodedata.category(chr(c)) == "Cf")


def _plain(text: str) -> bool:
    return ("&" not in text and unicodedata.is_normalized("NFKC", text)
            and text.translate(_invisible()) == text)


def normalise(text: str) -> tuple[str, list[int], list[int]]:
    """The text as matched: HTML references decoded, NFKC, invisible characters removed.

    Returns ``(normalised, start, end)``: character ``i`` of ``normalised`` comes from
    ``text[start[i]:end[i]]``.

    >>> normalise("06\\u200b1&#64;x")[0]
    '061@x'
    """
    if _plain(text):
        idx = list(range(len(text)))
        return text, idx, [i + 1 for i in idx]
    out, start, end = [], [], []
    drop = _invisible()
    for m in _PIECE_RE.finditer(text):
        piece = m.group(0)
        if len(piece) > 1:
            piece = html.unescape(piece)
        piece = unicodedata.normalize("NFKC", piece).translate(drop)
        out.append(piece)
        start += [m.start()] * len(piece)
        end += [m.end()] * len(piece)
    return "".join(out), start, end


class Span(NamedTuple):
    """A piece of personal data: ``text[start:end]`` (original offsets) and its ``token``."""

    start: int
    end: int
    token: str


def _mask(work: str, a: int, b: int) -> str:
    return work[:a] + _MASK * (b - a) + work[b:]


def _iban_spans(work: str) -> list[tuple[int, int]]:
    from stdnum import iban

    out = []
    for m in _IBAN_RE.finditer(work):
        chars = [m.start() + i for i, c in enumerate(m.group(0)) if c.isalnum()]
        for k in range(len(chars), 14, -1):  # the longest prefix that is a valid IBAN
            if iban.is_valid(work[m.start():chars[k - 1] + 1]):
                out.append((m.start(), chars[k - 1] + 1))
                break
    return out


_COUNTRY_CODE_RE = re.compile(r"\+|(?<!\d)00")


def _phone_spans(work: str) -> list[tuple[int, int]]:
    import phonenumbers
    from phonenumbers import Leniency, PhoneNumberMatcher

    def international(m) -> bool:  # written with a country code: +..., 00...
        return m.raw_string.lstrip("( ").startswith(("+", "00"))

    def span(m) -> tuple[int, int]:  # "(06-12345678)": the bracket is the text's, not the number's
        unbalanced = m.raw_string.startswith("(") and ")" not in m.raw_string
        return (m.start + 1, m.end) if unbalanced else (m.start, m.end)

    found = []
    for m in PhoneNumberMatcher(work, REGION, leniency=Leniency.VALID):
        nsn = phonenumbers.national_significant_number(m.number)
        if international(m) or len(nsn) >= MIN_NATIONAL_DIGITS:
            found.append(span(m))
    if not _COUNTRY_CODE_RE.search(work):
        return found
    for m in PhoneNumberMatcher(work, REGION, leniency=Leniency.POSSIBLE):
        if international(m) and not any(a < m.end and m.start < b for a, b in found):
            found.append(span(m))
    return found


def _bsn_spans(work: str) -> list[tuple[int, int]]:
    from stdnum.nl import bsn

    return [m.span() for m in _BSN_RE.finditer(work) if bsn.is_valid(re.sub(r"\D", "", m.group(0)))]


def _regex(pattern: re.Pattern):
    return lambda work: [m.span() for m in pattern.finditer(work)]


#: Detectors in the order they run; each sees the text with the earlier matches masked.
_DETECTORS = (
    (_regex(EMAIL_RE), EMAIL_TOKEN),
    (_regex(URL_RE), URL_TOKEN),
    (_iban_spans, IBAN_TOKEN),
    (_regex(_ADDRESS_RE), ADDRESS_TOKEN),
    (_regex(_KEEP_RE), None),  # protected: masked, never redacted
    (_phone_spans, PHONE_TOKEN),
    (_bsn_spans, BSN_TOKEN),
    (_regex(_LONG_NUMBER_RE), NUMBER_TOKEN),
)


def pii_spans(text: str) -> list[Span]:
    """Every piece of personal data in a text, in the order of the text (original offsets).

    >>> t = "bel 06\\u200b12345678"
    >>> [(t[s.start:s.end], s.token) for s in pii_spans(t)]
    [('06\\u200b12345678', '[telefoonnummer]')]
    """
    if not isinstance(text, str) or not text:
        return []
    work, start, end = normalise(text)
    spans = []
    for detect, token in _DETECTORS:
        for a, b in detect(work):
            if b > a:
                work = _mask(work, a, b)
                if token is not None:
                    spans.append(Span(start[a], end[b - 1], token))
    merged: list[Span] = []
    for s in sorted(spans):
        if merged and s.start < merged[-1].end:  # two matches inside one decoded piece
            merged[-1] = merged[-1]._replace(end=max(merged[-1].end, s.end))
        else:
            merged.append(s)
    return merged


def redact(text: str) -> str:
    """Replace the personal data in one text by tokens (see the module docstring).

    Raises
    ------
    TypeError
        If ``text`` is not a string (use :func:`redact_series` for columns with missing values).

    Examples
    --------
    >>> redact("Bel +31 (0)6 12345678 of +1 (555) 123-4567, BSN 123456782")
    'Bel [telefoonnummer] of [telefoonnummer], BSN [bsn]'
    >>> redact("Kerkstraat 12, 1234 AB Utrecht; jan＠minbzk.nl")
    '[adres]; [e-mail]'
    """
    if not isinstance(text, str):
        raise TypeError(f"redact() expects a str, got {type(text).__name__}; "
                        "use redact_series() for a column with missing values")
    out, pos = [], 0
    for s in pii_spans(text):
        out += [text[pos:s.start], s.token]
        pos = s.end
    return "".join(out) + text[pos:]


#: A text that may hold personal data (on normalised text) matches one of these; only those go
#: through :func:`redact`. Plain patterns without flags, so pandas can hand them to pyarrow.
_CANDIDATES = (
    r"@|[hH][tT][tT][pP][sS]?:|[wW][wW][wW]\.",
    r"\d(?:\D?\D?\D?\d){6}",
    r"[A-Za-z]{2}\d{2}",
    r"[1-9]\d{3}[ \t]?[A-Z]{2}",
    rf"(?:{_STREET_WORDS})[ \t]+\d",
    r"(?i)(?:^|[^\w])(?:at|apenstaartje)(?:[^\w]|$)",
)


def _normalised_series(s: pd.Series) -> pd.Series:
    """Vectorised normalisation (for choosing candidates; offsets are not kept)."""
    entity = s.str.contains("&", regex=False, na=False)
    if entity.any():
        s = s.copy()
        s[entity] = s[entity].str.replace(_ENTITY_RE, lambda m: html.unescape(m.group(0)),
                                          regex=True)
    return s.str.normalize("NFKC").str.translate(_invisible())


def redact_series(s: pd.Series) -> pd.Series:
    """Vectorised :func:`redact` of a column of texts; missing values stay missing.

    The texts are normalised and screened with one regular expression over the column; only the
    texts that may hold personal data (digits, ``@``, ``at``, links, postcodes, ...) are redacted
    one by one (``phonenumbers`` and the checksums work on single texts).

    Parameters
    ----------
    s : Series
        Texts (``string``/``str``/``object`` dtype; non-string values are converted to strings).

    Returns
    -------
    Series
        Same index and name; a pandas string dtype (the input's own when it is one, else
        ``str``).

    Raises
    ------
    ValueError
        If ``s`` is not a Series.

    Examples
    --------
    >>> import pandas as pd
    >>> redact_series(pd.Series(["mail a@b.nl", None, "een 8"])).tolist()
    ['mail [e-mail]', nan, 'een 8']
    """
    if not isinstance(s, pd.Series):
        raise ValueError(f"redact_series() expects a pandas Series, got {type(s).__name__}")
    out = s if isinstance(s.dtype, pd.StringDtype) else s.astype("str").where(s.notna())
    norm = _normalised_series(out)
    candidate = pd.Series(False, index=out.index)
    for pattern in _CANDIDATES:
        candidate |= norm.str.contains(pattern, regex=True, na=False)
    if candidate.any():
        out = out.copy()
        out[candidate] = out[candidate].map(redact)
    return out


def find_pii(text: str, *, urls: bool = False) -> list[str]:
    """The personal data :func:`redact` would replace in a text (URLs only when ``urls``).

    Parameters
    ----------
    text : str
        Any text; a non-string (e.g. a number or ``None``) has no PII and gives ``[]``.
    urls : bool, default False
        Also report URLs (reports may link to public pages).

    Returns
    -------
    list of str
        The matched substrings of the original text, in the order of the text.

    Examples
    --------
    >>> find_pii("Bel 070-1234567 of mail info@example.nl; in 2015 een 8.")
    ['070-1234567', 'info@example.nl']
    >>> find_pii("[e-mail] en [telefoonnummer]")
    []
    """
    if not isinstance(text, str):
        return []
    return [text[s.start:s.end] for s in pii_spans(text) if urls or s.token != URL_TOKEN]
