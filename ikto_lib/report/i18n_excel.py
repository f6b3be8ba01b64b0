"""Texts of the Excel workbook, the group report's extra sections and the batch index.

A block of its own (merged into :data:`ikto_lib.report.i18n.STRINGS`, so :func:`~ikto_lib.report.i18n.t`
finds them): ``xl.*`` workbook headings and the "Lees mij" sheet, ``sheet.*`` short sheet names
(Excel allows 31 characters).
"""

from __future__ import annotations

EXTRA_STRINGS: dict[str, dict[str, str]] = {
    # ---- sheet names (<= 31 characters; only where the section title is longer or unclear) ----
    "sheet.readme": {"nl": "Lees mij", "en": "Read me"},
    "sheet.trend": {"nl": "Trend sinds vorige meting", "en": "Trend since previous wave"},
    "sheet.cover": {"nl": "Kerngegevens", "en": "Key facts"},
    # ---- headings -------------------------------------------------------------------------------
    "xl.ci_low": {"nl": "Ondergrens {confidence}-interval", "en": "Lower bound {confidence} interval"},
    "xl.ci_high": {"nl": "Bovengrens {confidence}-interval", "en": "Upper bound {confidence} interval"},
    "xl.diff_pp": {"nl": "{head}: verschil (%-punt)", "en": "{head}: difference (pp)"},
    "xl.diff_mixed": {"nl": "{head}: verschil (%-punt; cijfer: punten)",
                      "en": "{head}: difference (pp; grade: points)"},
    "xl.flag": {"nl": "{head}: oordeel", "en": "{head}: verdict"},
    "xl.grade": {"nl": "cijfer", "en": "grade"},
    "xl.pp_suffix": {"nl": " (%-punt)", "en": " (pp)"},
    "xl.n_orgs": {"nl": "Aantal organisaties", "en": "Number of organisations"},
    "xl.peer_n_orgs": {"nl": "Aantal vergelijkbare organisaties", "en": "Number of similar organisations"},
    "xl.topic": {"nl": "Onderwerp", "en": "Topic"},
    "xl.explanation": {"nl": "Toelichting", "en": "Explanation"},
    "xl.org": {"nl": "Organisatie", "en": "Organisation"},
    "xl.code": {"nl": "Code", "en": "Code"},
    "xl.wave": {"nl": "Meting", "en": "Wave"},
    "xl.previous_wave": {"nl": "Vorige meting", "en": "Previous wave"},
    "xl.language": {"nl": "Taal", "en": "Language"},
    "xl.language_value": {"nl": "Nederlands", "en": "English"},
    "xl.weighting": {"nl": "Weging", "en": "Weighting"},
    "xl.weighted": {"nl": "gewogen naar de personeelsomvang per organisatieonderdeel",
                    "en": "weighted to the headcount per unit"},
    "xl.unweighted": {"nl": "ongewogen", "en": "unweighted"},
    "xl.threshold": {"nl": "Anonimiteitsdrempel", "en": "Anonymity threshold"},
    "xl.threshold_value": {"nl": "groepen met minder dan {min_n} antwoorden worden niet getoond",
                           "en": "groups with fewer than {min_n} answers are not shown"},
    "xl.confidence": {"nl": "Betrouwbaarheid van de intervallen", "en": "Confidence of the intervals"},
    "xl.fingerprint": {"nl": "Vingerafdruk van de gegevens", "en": "Data fingerprint"},
    "xl.version": {"nl": "ikto-versie", "en": "ikto version"},
    "xl.created": {"nl": "Resultaten berekend", "en": "Results computed"},
    "xl.def.benchmark": {"nl": "Benchmark: alle andere organisaties van de meting samen.",
                         "en": "Benchmark: all other organisations of the wave together."},
    "xl.def.peers": {"nl": "Vergelijkbaar: de andere organisaties van hetzelfde type.",
                     "en": "Peers: the other organisations of the same type."},
    "xl.def.pp": {"nl": "%-punt: verschil tussen twee percentages in procentpunten (82,0% tegen 77,0% = 5,0).",
                  "en": "pp: difference between two percentages in percentage points (82.0% against 77.0% = 5.0)."},
    "xl.def.interval": {"nl": "Interval: de waarde ligt met {confidence} zekerheid tussen onder- en bovengrens.",
                        "en": "Interval: the value lies between the lower and upper bound with {confidence} confidence."},
    "xl.def.rank": {"nl": "Positie 1 is het hoogste aandeel {measure}; andere organisaties worden niet genoemd.",
                    "en": "Position 1 is the highest share {measure}; other organisations are not named."},
    # ---- group report: summary and spread over organisations ----------------------------------
    "grp.p25": {"nl": "25e percentiel", "en": "25th percentile"},
    "grp.median": {"nl": "Mediaan", "en": "Median"},
    "grp.p75": {"nl": "75e percentiel (drempel hoogste kwart)", "en": "75th percentile (top-quartile threshold)"},
    "grp.spread.caption": {"nl": "Spreiding van het aandeel {measure} over de organisaties",
                           "en": "Spread of the share {measure} over the organisations"},
    "grp.spread.text": {
        "nl": "Per domein en vraag de spreiding over de organisaties met minstens {min_n} respondenten. Een "
              "organisatie op of boven het 75e percentiel hoort bij het hoogste kwart.",
        "en": "Per domain and question the spread over the organisations with at least {min_n} respondents. "
              "An organisation at or above the 75th percentile belongs to the top quarter."},
    "grp.summary.domains": {
        "nl": "Het hoogst scoort {high} (mediaan {high_v}), het laagst {low} (mediaan {low_v}).",
        "en": "Highest is {high} (median {high_v}), lowest {low} (median {low_v})."},
    "grp.summary.spread": {
        "nl": "De organisaties verschillen het meest bij {domain}: de middelste helft ligt tussen {p25} en {p75}.",
        "en": "Organisations differ most on {domain}: the middle half lies between {p25} and {p75}."},
    "grp.size": {"nl": "Grootte", "en": "Size"},
    "grp.size.small": {"nl": "klein", "en": "small"},
    "grp.size.medium": {"nl": "middel", "en": "medium"},
    "grp.size.large": {"nl": "groot", "en": "large"},
    "grp.size.text": {"nl": "Grootte: het kleinste, middelste en grootste derde van de organisaties naar personeelsomvang.",
                      "en": "Size: the smallest, middle and largest third of the organisations by headcount."},
    "grp.letters": {
        "nl": "Organisaties zijn letters: A, B, C ... in een vaste volgorde die volgt uit een hash van code en meting, "
              "niet uit naam, grootte of uitkomst; binnen dit rapport houdt elke organisatie haar letter.",
        "en": "Organisations are letters: A, B, C ... in a fixed order that follows from a hash of code and wave, "
              "not from name, size or result; within this report every organisation keeps its letter."},
    "xl.definitions": {"nl": "Begrippen", "en": "Definitions"},
    "xl.sheets": {"nl": "Elk tabblad is een hoofdstuk van het rapport, in dezelfde volgorde.",
                  "en": "Every sheet is a chapter of the report, in the same order."},
}
