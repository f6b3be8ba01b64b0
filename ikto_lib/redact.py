"""Redaction of contact details in free text: e-mail addresses, phone numbers and URLs.

Pluim texts are shown in reports only after :func:`redact_series`; the privacy audit
(:mod:`ikto_lib.audit`) uses :func:`find_pii` to prove that nothing slipped through.

What is recognised
------------------
E-mail addresses
    ``name@example.nl`` and the spelled-out ``name(at)example.nl`` / ``name [at] example.nl``.
URLs
    ``http://...``, ``https://...`` and ``www....`` (trailing punctuation is kept outside).
Phone numbers
    Dutch numbers of ten digits (a trunk ``0`` and a nine-digit national number) written with any
    mix of spaces, hyphens and dots between the digits, an optional area code in parentheses,
    or with the country code ``+31`` / ``0031`` (optionally followed by ``(0)``)::

        06-12345678   0612345678   06 1234 5678   070 123 4567   070-1234567
        (030) 123 45 67   020 - 123 45 67   +31 6 1234 5678   +31 (0)6 12345678   0031 6 12345678

    and international numbers starting with ``+`` or ``00`` and a country code followed by 7 to 15
    digits in all (``+32 2 123 45 67``).

What is deliberately left alone: years (``2015``), grades (``een 8``), small numbers, dates
(``12-03-2015``, also ``06-03-2015 10:00``), postcodes (``2511 CV``), amounts of money
(``€ 1.250``, ``1.234.567,89``). A Dutch number with too few digits (a typo, or a short service
number such as ``14 070``) is not recognised: the rules favour no false alarms on figures over
catching every malformed number.

>>> redact("Mail j.jansen@example.nl of bel 06-12345678, zie www.example.nl.")
'Mail [e-mail] of bel [telefoonnummer], zie [url].'
>>> redact("In 2015 gaf ik een 8; postcode 2511 CV, kosten € 1.250 op 12-03-2015.")
'In 2015 gaf ik een 8; postcode 2511 CV, kosten € 1.250 op 12-03-2015.'
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = [
    "EMAIL_RE",
    "PHONE_RE",
    "URL_RE",
    "EMAIL_TOKEN",
    "PHONE_TOKEN",
    "URL_TOKEN",
    "TOKENS",
    "redact",
    "redact_series",
    "find_pii",
]

#: Replacement tokens (Dutch; they are what a reader sees in the report).
EMAIL_TOKEN = "[e-mail]"
PHONE_TOKEN = "[telefoonnummer]"
URL_TOKEN = "[url]"
TOKENS = (EMAIL_TOKEN, PHONE_TOKEN, URL_TOKEN)

#: E-mail address, also with the spelled-out ``(at)`` / ``[at]`` / `` at `` between brackets.
EMAIL_RE = re.compile(
    r"(?<![\w.+%-])"
    r"[\w.+%-]+"
    r"(?:[ \t]?@[ \t]?|[ \t]?[\[(][ \t]?(?:at|apenstaartje)[ \t]?[\])][ \t]?)"
    r"[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}"
    r"(?![\w-])",
    re.IGNORECASE,
)

#: URL starting with a scheme (http, https) or ``www.``; trailing punctuation is not part of it.
URL_RE = re.compile(
    r"(?<![\w@/.])(?:https?://|www\.)[^\s<>\"'\[\]]*[^\s<>\"'\[\].,;:!?)]",
    re.IGNORECASE,
)

_SP = r"[ \t\u00a0]"
# separator between digits: a hyphen (also non-breaking) / dot / slash / en dash with up to two
# spaces around, or 1-2 spaces
_SEP = rf"(?:{_SP}{{0,2}}[-./\u2011\u2013]{_SP}{{0,2}}|{_SP}{{1,2}})"
_D = rf"(?:{_SEP}?\d)"  # one more digit, optionally after a separator
# a date dd-mm-yyyy (also / or .) directly at the start: never a phone number
_DATE = r"\d{1,2}(?:-\d{1,2}-|/\d{1,2}/|\.\d{1,2}\.)\d{4}(?!\d)"
_NSN = rf"[1-9]{_D}{{8}}"  # Dutch national significant number: nine digits, not starting with 0
_NL_DOMESTIC = rf"(?!{_DATE})0{_NSN}"
_NL_PAREN = (
    rf"\(0[1-9]\){_SEP}?\d{_D}{{7}}"
    rf"|\(0[1-9]\d\){_SEP}?\d{_D}{{6}}"
    rf"|\(0[1-9]\d{{2}}\){_SEP}?\d{_D}{{5}}"
)
_NL_INTL = rf"(?:\+|00){_SP}?31{_SEP}?(?:\(0\){_SEP}?|0{_SEP}?)?{_NSN}"
_INTL = rf"(?:\+|00){_SP}?[1-9]\d{{0,2}}{_SEP}?(?:\(0\){_SEP}?)?\d{_D}{{5,11}}"

#: Phone number (Dutch formats and international ``+``/``00`` numbers); see the module docstring.
PHONE_RE = re.compile(
    r"(?<![\w+])(?<!\d[.,])"
    rf"(?:{_NL_INTL}|{_INTL}|{_NL_PAREN}|{_NL_DOMESTIC})"
    r"(?!\d)(?![.,]\d)"
)

_PATTERNS = ((EMAIL_RE, EMAIL_TOKEN), (URL_RE, URL_TOKEN), (PHONE_RE, PHONE_TOKEN))


def redact(text: str) -> str:
    """Replace e-mail addresses, URLs and phone numbers in one text.

    Parameters
    ----------
    text : str
        Free text (e.g. a pluim text).

    Returns
    -------
    str
        The text with every e-mail address replaced by ``[e-mail]``, every URL by ``[url]`` and
        every phone number by ``[telefoonnummer]`` (in that order, so a URL or phone number inside
        an e-mail address is not split).

    Raises
    ------
    TypeError
        If ``text`` is not a string (use :func:`redact_series` for columns with missing values).

    Examples
    --------
    >>> redact("Bel +31 (0)6 12345678 of (030) 123 45 67")
    'Bel [telefoonnummer] of [telefoonnummer]'
    """
    if not isinstance(text, str):
        raise TypeError(f"redact() expects a str, got {type(text).__name__}; "
                        "use redact_series() for a column with missing values")
    for pattern, token in _PATTERNS:
        text = pattern.sub(token, text)
    return text


def redact_series(s: pd.Series) -> pd.Series:
    """Vectorised :func:`redact` of a column of texts; missing values stay missing.

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
    >>> redact_series(pd.Series(["mail a@b.nl", None])).tolist()
    ['mail [e-mail]', nan]
    """
    if not isinstance(s, pd.Series):
        raise ValueError(f"redact_series() expects a pandas Series, got {type(s).__name__}")
    out = s if isinstance(s.dtype, pd.StringDtype) else s.astype("str").where(s.notna())
    for pattern, token in _PATTERNS:
        out = out.str.replace(pattern, token, regex=True)
    return out


def find_pii(text: str, *, urls: bool = False) -> list[str]:
    """The e-mail addresses and phone numbers (and, when ``urls``, URLs) found in a text.

    Used by the privacy audit. Phone numbers are searched after e-mail addresses and URLs are
    blanked, so digits inside an address or a link are not reported twice or as a phone number.

    Parameters
    ----------
    text : str
        Any text; a non-string (e.g. a number or ``None``) has no PII and gives ``[]``.
    urls : bool, default False
        Also report URLs (reports may link to public pages, so the audit does not by default).

    Returns
    -------
    list of str
        The matched substrings, e-mail addresses first, then URLs, then phone numbers.

    Examples
    --------
    >>> find_pii("Bel 070-1234567 of mail info@example.nl; in 2015 een 8.")
    ['info@example.nl', '070-1234567']
    >>> find_pii("[e-mail] en [telefoonnummer]")
    []
    """
    if not isinstance(text, str):
        return []
    found = [m.group(0) for m in EMAIL_RE.finditer(text)]
    rest = EMAIL_RE.sub(" ", text)
    if urls:
        found += [m.group(0) for m in URL_RE.finditer(rest)]
    rest = URL_RE.sub(" ", rest)
    found += [m.group(0) for m in PHONE_RE.finditer(rest)]
    return found
