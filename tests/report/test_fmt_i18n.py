"""Locale formatting (babel) and the nl/en string table."""

from __future__ import annotations

import math
import string

import pytest

from ikto_lib.report import fmt
from ikto_lib.report.i18n import LANGUAGES, SECTION_IDS, STRINGS, t


@pytest.mark.parametrize(
    ("func", "value", "nl", "en"),
    [
        (fmt.pct, 0.829, "82,9%", "82.9%"),  # the AgO example of domain.md
        (fmt.pct, 0.5578, "55,8%", "55.8%"),
        (fmt.pct, 1.0, "100,0%", "100.0%"),
        (fmt.num, 7.44, "7,4", "7.4"),
        (fmt.num, 10, "10,0", "10.0"),
        (fmt.integer, 1124, "1.124", "1,124"),
        (fmt.integer, 150000, "150.000", "150,000"),
        (fmt.pp, 0.053, "+5,3", "+5.3"),
        (fmt.pp, -0.25, "−25,0", "−25.0"),
        (fmt.pp, 0.0001, "0,0", "0.0"),  # no sign on a rounded zero
    ],
)
def test_numbers_in_locale(func, value, nl, en):
    assert func(value, "nl") == nl
    assert func(value, "en") == en


@pytest.mark.parametrize("missing", [None, float("nan"), math.nan])
def test_missing_formats_empty(missing):
    for func in (fmt.pct, fmt.num, fmt.integer, fmt.pp):
        assert func(missing, "nl") == ""


def test_decimals_and_lists_and_dates():
    assert fmt.pct(0.8293, "nl", decimals=0) == "83%"
    assert fmt.num(0.7123, "en", decimals=2) == "0.71"
    assert fmt.listing(["A"], "nl") == "A"
    assert fmt.listing(["A", "B"], "nl") == "A en B"
    assert fmt.listing(["A", "B", "C"], "en") == "A, B, and C"
    assert fmt.listing([], "en") == ""
    assert fmt.date("2015-06-01T12:00:00+00:00", "nl") == "1 juni 2015"
    assert fmt.date("2015-06-01", "en") == "June 1, 2015"


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_string_in_both_languages_with_the_same_placeholders():
    for key, texts in STRINGS.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(texts[lang].strip() for lang in LANGUAGES), key
        assert _fields(texts["nl"]) == _fields(texts["en"]), key


def test_every_section_has_a_title():
    assert len(SECTION_IDS) == 10
    for s in SECTION_IDS:
        assert t(f"section.{s}", "nl") and t(f"section.{s}", "en")


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="nl, en"):
        t("toc.title", "de")


def test_every_group_report_string_in_both_languages_with_the_same_placeholders():
    from ikto_lib.report.group import STRINGS as GROUP_STRINGS

    assert len(GROUP_STRINGS) > 30
    for key, texts in GROUP_STRINGS.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(texts[lang].strip() for lang in LANGUAGES), key
        assert _fields(texts["nl"]) == _fields(texts["en"]), key
