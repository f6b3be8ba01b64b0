"""Every fixed text of the benchmark report, in Dutch (default) and English.

``STRINGS`` maps a key to ``{"nl": ..., "en": ...}``; :func:`t` looks one up and fills its
``{placeholders}``. Templates of generated sentences live here too, so a translation never touches
code. A key missing in one language is an error (tested), not a silent fallback.

>>> t("flag.higher", "nl"), t("flag.higher", "en")
('hoger', 'higher')
>>> t("toc.title", "en")
'Contents'
"""

from __future__ import annotations

import contextvars

LANGUAGES = ("nl", "en")

#: Section ids (stable, language independent: the anchors of the table of contents), in order.
SECTION_IDS = (
    "cover", "summary", "overall", "domains", "priorities", "trend", "units", "ranking", "pluimen",
    "methods",
)

STRINGS: dict[str, dict[str, str]] = {
    # ---- sections -------------------------------------------------------------------------
    "section.cover": {"nl": "Voorblad", "en": "Cover"},
    "section.summary": {"nl": "Samenvatting", "en": "Summary"},
    "section.overall": {"nl": "Totaaloordeel", "en": "Overall result"},
    "section.domains": {"nl": "Domeinen", "en": "Domains"},
    "section.priorities": {"nl": "Prioriteiten", "en": "Priorities"},
    "section.trend": {"nl": "Ontwikkeling sinds de vorige meting", "en": "Trend since the previous wave"},
    "section.units": {"nl": "Organisatieonderdelen", "en": "Units"},
    "section.ranking": {"nl": "Positie tussen organisaties", "en": "Ranking among organisations"},
    "section.pluimen": {"nl": "Pluimen", "en": "Pluimen (compliments)"},
    "section.methods": {"nl": "Methode en respons", "en": "Methods and response"},
    "toc.title": {"nl": "Inhoud", "en": "Contents"},
    # ---- cover ----------------------------------------------------------------------------
    "cover.kind": {"nl": "Benchmarkrapport", "en": "Benchmark report"},
    "methods.not_asked": {"nl": "Niet gevraagd in dit onderzoek, en dus niet in dit rapport: {parts}.",
                          "en": "Not asked in this survey, and so not in this report: {parts}."},
    "methods.no_outcome": {
        "nl": "Een prioriteitenmatrix ontbreekt: het instrument noemt geen uitkomstvraag om het belang van de "
              "domeinen aan te meten.",
        "en": "There is no priority matrix: the instrument names no outcome question to measure the "
              "importance of the domains against."},
    "methods.single_org": {
        "nl": "Dit onderzoek gaat over één organisatie: het rapport vergelijkt onderdelen en metingen, geen "
              "organisaties.",
        "en": "This survey covers one organisation: the report compares units and waves, not organisations."},
    "part.grade": {"nl": "een rapportcijfer", "en": "an overall grade"},
    "part.pluim": {"nl": "een open vraag naar complimenten (pluimen)", "en": "an open question for compliments"},
    "part.background": {"nl": "achtergrondkenmerken", "en": "background characteristics"},
    "part.units": {"nl": "onderdelen", "en": "units"},
    "cover.wave": {"nl": "Meting {wave}", "en": "Wave {wave}"},
    "cover.date": {"nl": "Datum", "en": "Date"},
    "cover.respondents": {"nl": "Respondenten", "en": "Respondents"},
    "cover.headcount": {"nl": "Medewerkers (personeelsbestand)", "en": "Staff (headcount)"},
    "cover.response_rate": {"nl": "Respons", "en": "Response rate"},
    "cover.margin": {"nl": "Foutmarge ({confidence} betrouwbaarheid)", "en": "Margin of error ({confidence} confidence)"},
    "cover.margin_value": {"nl": "± {value} procentpunt", "en": "± {value} percentage points"},
    "cover.weighted": {"nl": "Gewogen naar personeelsbestand", "en": "Weighted to headcount"},
    "cover.type": {"nl": "Type organisatie", "en": "Type of organisation"},
    "cover.fineprint": {
        "nl": "Gegevens-vingerafdruk {fingerprint} · ikto {version} · resultaten berekend {created}",
        "en": "Data fingerprint {fingerprint} · ikto {version} · results computed {created}",
    },
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
    # ---- measures, comparisons, flags ------------------------------------------------------
    "measure.grade_mean": {"nl": "Rapportcijfer (gemiddeld)", "en": "Grade (mean)"},
    "measure.grade_pass": {"nl": "Voldoende (6 of hoger)", "en": "Pass (6 or higher)"},
    "measure.top2": {"nl": "{Measure}, alle vragen", "en": "{Measure}, all questions"},
    "measure.top2_short": {"nl": "{Measure}", "en": "{Measure}"},
    "measure.mean": {"nl": "Gemiddelde (1-5)", "en": "Mean (1-5)"},
    "comparison.benchmark": {"nl": "Benchmark", "en": "Benchmark"},
    "comparison.peers": {"nl": "Vergelijkbare organisaties", "en": "Similar organisations"},
    "comparison.previous": {"nl": "Vorige meting", "en": "Previous wave"},
    "flag.higher": {"nl": "hoger", "en": "higher"},
    "flag.lower": {"nl": "lager", "en": "lower"},
    "flag.no difference": {"nl": "geen verschil", "en": "no difference"},
    "flag.not tested": {"nl": "niet getoetst", "en": "not tested"},
    "flag.suppressed": {"nl": "te weinig antwoorden", "en": "too few answers"},
    "trend.higher": {"nl": "gestegen", "en": "up"},
    "trend.lower": {"nl": "gedaald", "en": "down"},
    "trend.no difference": {"nl": "geen verschil", "en": "no difference"},
    "trend.not tested": {"nl": "niet getoetst", "en": "not tested"},
    "quadrant.behouden": {"nl": "behouden", "en": "maintain"},
    "quadrant.verbeteren": {"nl": "verbeteren", "en": "improve"},
    "quadrant.bewaken": {"nl": "bewaken", "en": "monitor"},
    "quadrant.lage prioriteit": {"nl": "lage prioriteit", "en": "low priority"},
    "quadrant.behouden.help": {"nl": "belangrijk en boven de benchmark", "en": "important and above the benchmark"},
    "quadrant.verbeteren.help": {"nl": "belangrijk en onder de benchmark", "en": "important and below the benchmark"},
    "quadrant.bewaken.help": {"nl": "minder belangrijk en boven de benchmark", "en": "less important and above the benchmark"},
    "quadrant.lage prioriteit.help": {"nl": "minder belangrijk en onder de benchmark", "en": "less important and below the benchmark"},
    "org_types.ministerie": {"nl": "andere ministeries", "en": "other ministries"},
    "org_types.provincie": {"nl": "andere provincies", "en": "other provinces"},
    "org_types.waterschap": {"nl": "andere waterschappen", "en": "other water boards"},
    "org_types.zbo": {"nl": "andere zbo's", "en": "other independent administrative bodies"},
    "org_types.gemeente": {"nl": "andere gemeenten", "en": "other municipalities"},
    "org_types.other": {"nl": "andere organisaties van het type {type}", "en": "other organisations of type {type}"},
    # ---- table headers ---------------------------------------------------------------------
    "col.measure": {"nl": "Maat", "en": "Measure"},
    "col.value": {"nl": "Uitkomst", "en": "Result"},
    "col.interval": {"nl": "{confidence}-interval", "en": "{confidence} interval"},
    "col.diff": {"nl": "Verschil", "en": "Difference"},
    "col.flag": {"nl": "Oordeel", "en": "Verdict"},
    "col.diff_pp": {"nl": "Verschil (%-punt)", "en": "Difference (pp)"},
    "col.change_pp": {"nl": "Verandering (%-punt)", "en": "Change (pp)"},
    "col.question": {"nl": "Vraag", "en": "Question"},
    "col.n": {"nl": "n", "en": "n"},
    "col.domain": {"nl": "Domein", "en": "Domain"},
    "col.unit": {"nl": "Onderdeel", "en": "Unit"},
    "col.top2": {"nl": "{Measure}", "en": "{Measure}"},
    "col.mean": {"nl": "Gem.", "en": "Mean"},
    "col.benchmark": {"nl": "Benchmark", "en": "Benchmark"},
    "col.peers": {"nl": "Vergelijkbaar", "en": "Peers"},
    "col.previous": {"nl": "Vorige ({wave})", "en": "Previous ({wave})"},
    "col.current": {"nl": "Nu ({wave})", "en": "Now ({wave})"},
    "col.change": {"nl": "Verandering", "en": "Change"},
    "col.performance": {"nl": "Prestatie t.o.v. benchmark (%-punt)", "en": "Performance vs benchmark (pp)"},
    "col.importance": {"nl": "Belang (aandeel R²)", "en": "Importance (share of R²)"},
    "col.r": {"nl": "Correlatie met {outcome}", "en": "Correlation with {outcome}"},
    "outcome.grade": {"nl": "het rapportcijfer", "en": "the grade"},
    "outcome.item": {"nl": "het totaaloordeel", "en": "the overall rating"},
    "col.quadrant": {"nl": "Kwadrant", "en": "Quadrant"},
    "col.rank": {"nl": "Positie (alle)", "en": "Position (all)"},
    "col.quartile": {"nl": "Kwart", "en": "Quartile"},
    "col.peer_rank": {"nl": "Positie (vergelijkbaar)", "en": "Position (peers)"},
    "col.organisation": {"nl": "Organisatie", "en": "Organisation"},
    "col.headcount": {"nl": "Medewerkers", "en": "Headcount"},
    "col.respondents": {"nl": "Respondenten", "en": "Respondents"},
    "col.response_rate": {"nl": "Respons", "en": "Response rate"},
    "col.low_response": {"nl": "Lage respons", "en": "Low response"},
    "col.breakdown": {"nl": "Indeling", "en": "Breakdown"},
    "col.chi2": {"nl": "Chi²", "en": "Chi²"},
    "col.dof": {"nl": "Vrijheidsgraden", "en": "Degrees of freedom"},
    "col.verdict": {"nl": "Representatief", "en": "Representative"},
    "col.alpha": {"nl": "Cronbachs alfa", "en": "Cronbach's alpha"},
    "col.items": {"nl": "Vragen", "en": "Items"},
    "col.nvt": {"nl": "n.v.t. / geen mening", "en": "n/a / no opinion"},
    "col.skip": {"nl": "Overgeslagen", "en": "Skipped"},
    "col.share": {"nl": "Aandeel met pluim", "en": "Share with a pluim"},
    "col.target": {"nl": "Pluim voor", "en": "Pluim for"},
    "col.word": {"nl": "Woord", "en": "Word"},
    "col.count": {"nl": "Aantal", "en": "Count"},
    "col.text": {"nl": "Tekst", "en": "Text"},
    "col.sentence": {"nl": "Zin", "en": "Sentence"},
    "col.key": {"nl": "Gegeven", "en": "Item"},
    "row.domain_total": {"nl": "Domein als geheel", "en": "Domain as a whole"},
    "row.org_total": {"nl": "Organisatie totaal", "en": "Organisation total"},
    "target.named": {"nl": "Personen en teams", "en": "Persons and teams"},
    "target.any": {"nl": "Alle pluimen", "en": "All pluimen"},
    "rank.of": {"nl": "{rank} van {n}", "en": "{rank} of {n}"},
    "quartile.1": {"nl": "hoogste kwart", "en": "top quarter"},
    "quartile.2": {"nl": "tweede kwart", "en": "second quarter"},
    "quartile.3": {"nl": "derde kwart", "en": "third quarter"},
    "quartile.4": {"nl": "laagste kwart", "en": "bottom quarter"},
    "breakdown.unit": {"nl": "Organisatieonderdeel", "en": "Unit"},
    # ---- footnotes and notes ---------------------------------------------------------------
    "note.suppressed": {
        "nl": "– = niet getoond: minder dan {min_n} antwoorden, of verborgen zodat een kleine groep niet "
              "uit de andere cijfers is af te leiden (anonimiteit).",
        "en": "– = not shown: fewer than {min_n} answers, or hidden so that a small group cannot be derived "
              "from the other figures (anonymity).",
    },
    "note.flags": {
        "nl": "Oordeel: ‘hoger’ of ‘lager’ alleen bij een verschil dat statistisch betrouwbaar is (na correctie "
              "voor het aantal toetsen) én groot genoeg om ertoe te doen (minstens {min_pp} procentpunt bij "
              "top-2). Anders ‘geen verschil’; ‘niet getoetst’ als er te weinig antwoorden zijn.",
        "en": "Verdict: ‘higher’ or ‘lower’ only for a difference that is statistically reliable (corrected for "
              "the number of tests) and large enough to matter (at least {min_pp} percentage points for top-2). "
              "Otherwise ‘no difference’; ‘not tested’ when there are too few answers.",
    },
    "note.top2": {
        "nl": "{Measure}: aandeel van de geldige antwoorden dat {codes} is (n.v.t. telt niet mee).",
        "en": "{Measure}: share of the valid answers that are {codes} (n/a does not count).",
    },
    "note.no_previous": {"nl": "Er is geen vorige meting om mee te vergelijken.",
                         "en": "There is no previous wave to compare with."},
    "note.not_in_previous": {"nl": "Deze organisatie deed niet mee aan de vorige meting ({wave}).",
                             "en": "This organisation did not take part in the previous wave ({wave})."},
    "note.no_units": {"nl": "Deze organisatie heeft geen onderdelen met genoeg respondenten om apart te tonen.",
                      "en": "This organisation has no units with enough respondents to show separately."},
    "note.units": {
        "nl": "Aandeel {measure} per domein en onderdeel. Gearceerde vakjes met ‘–’ zijn niet getoond "
              "(minder dan {min_n} antwoorden, of verborgen om afleiden te voorkomen).",
        "en": "Share {measure} per domain and unit. Hatched cells marked ‘–’ are not shown (fewer than "
              "{min_n} answers, or hidden to prevent derivation).",
    },
    "note.units_empty": {
        "nl": "Zonder getoonde cijfers (minder dan {min_n} respondenten, of verborgen om afleiden te voorkomen): {units}.",
        "en": "Without figures shown (fewer than {min_n} respondents, or hidden to prevent derivation): {units}.",
    },
    "note.ranking_anonymous": {
        "nl": "Positie 1 is het hoogste aandeel {measure}. Andere organisaties worden niet bij naam genoemd.",
        "en": "Position 1 is the highest share {measure}. Other organisations are not named.",
    },
    "note.ranking_named": {
        "nl": "Positie 1 is het hoogste aandeel {measure}. Hieronder de volgorde binnen de groep vergelijkbare organisaties.",
        "en": "Position 1 is the highest share {measure}. Below, the order within the group of similar organisations.",
    },
    "note.no_peers": {
        "nl": "Een vergelijking met {peers} is niet mogelijk: die groep telt minder dan {k} organisaties.",
        "en": "No comparison with {peers} is possible: that group has fewer than {k} organisations.",
    },
    "note.priorities": {
        "nl": "Horizontaal: de top-2 van het domein min de benchmark, in procentpunten. Verticaal: het belang van het "
              "domein voor {outcome} (relatief gewicht, aandeel van de verklaarde variantie). De lijnen "
              "liggen bij 0 en bij het gemiddelde belang.",
        "en": "Horizontal: the domain's top-2 minus the benchmark, in percentage points. Vertical: the domain's "
              "importance for {outcome} (relative weight, share of the explained variance). The lines lie at 0 "
              "and at the mean importance.",
    },
    "note.drivers_wave": {
        "nl": "Het belang is geschat op alle respondenten van de meting: voor deze organisatie alleen was geen "
              "betrouwbare schatting mogelijk (te weinig respondenten met {outcome} en domeinscores).",
        "en": "Importance is estimated on all respondents of the wave: no reliable estimate was possible for this "
              "organisation alone (too few respondents with {outcome} and domain scores).",
    },
    "note.no_priorities": {"nl": "Voor deze organisatie is geen prioriteitenmatrix beschikbaar.",
                           "en": "No priority matrix is available for this organisation."},
    "note.pluim_texts": {
        "nl": "Een willekeurige greep uit de pluimen (e-mailadressen en telefoonnummers zijn verwijderd).",
        "en": "A random sample of the pluimen (e-mail addresses and phone numbers removed).",
    },
    "note.no_pluim_texts": {"nl": "Er zijn geen pluimteksten om te tonen.", "en": "There are no pluim texts to show."},
    "note.words": {"nl": "Woorden die het vaakst in de pluimen voorkomen (zonder stopwoorden).",
                   "en": "Words used most often in the pluimen (stop words removed)."},
    "pluim.total": {
        "nl": "{share} van de respondenten gaf een pluim (benchmark: {ref}).",
        "en": "{share} of the respondents gave a pluim (benchmark: {ref}).",
    },
    "methods.weighting_on": {
        "nl": "De cijfers zijn gewogen naar het personeelsbestand (poststratificatie per onderdeel; onderdelen met "
              "minder dan {min_n} respondenten zijn samengevoegd). Intervallen gebruiken de effectieve steekproefomvang.",
        "en": "Figures are weighted to the headcount (post-stratification by unit; units with fewer than {min_n} "
              "respondents are merged). Intervals use the effective sample size.",
    },
    "methods.weighting_off": {"nl": "De cijfers zijn niet gewogen.", "en": "Figures are not weighted."},
    "methods.anonymity": {
        "nl": "Anonimiteit: van groepen met minder dan {min_n} respondenten (bij een vraag: geldige antwoorden) "
              "wordt geen cijfer getoond. Staan onderdelen naast hun totaal, dan wordt zo nodig nog een onderdeel "
              "verborgen, zodat een kleine groep niet door aftrekken te achterhalen is.",
        "en": "Anonymity: no figure is shown for groups with fewer than {min_n} respondents (for a question: valid "
              "answers). Where units are shown beside their total, a further unit is hidden when needed, so that a "
              "small group cannot be found by subtraction.",
    },
    "methods.flags_peers": {"nl": ", met vergelijkbare organisaties", "en": ", similar organisations"},
    "methods.flags_alone": {
        "nl": "Verschillen met de vorige meting zijn getoetst (top-2: z-toets voor twee proporties; gemiddelden: "
              "Welch-toets), met Holm-correctie. Een verschil heet alleen ‘hoger’ of ‘lager’ als het statistisch "
              "betrouwbaar is (α = {alpha}) én minstens {min_pp} procentpunt (top-2) of een effectgrootte van {min_g} "
              "(gemiddelden) bedraagt.",
        "en": "Differences with the previous wave are tested (top-2: two-proportion z-test; means: Welch's test), "
              "with Holm correction. A difference is called ‘higher’ or ‘lower’ only when it is statistically "
              "reliable (α = {alpha}) and at least {min_pp} percentage points (top-2) or an effect size of {min_g} "
              "(means).",
    },
    "methods.flags": {
        "nl": "Verschillen met de benchmark (alle andere organisaties samen){peers} en met de "
              "vorige meting zijn getoetst (top-2: z-toets voor twee proporties; gemiddelden: Welch-toets), met "
              "Holm-correctie per organisatie en soort vergelijking. Een verschil heet alleen ‘hoger’ of ‘lager’ "
              "als het statistisch betrouwbaar is (α = {alpha}) én minstens {min_pp} procentpunt (top-2) of een "
              "effectgrootte van {min_g} (gemiddelden) bedraagt.",
        "en": "Differences with the benchmark (all other organisations pooled){peers} and the "
              "previous wave are tested (top-2: two-proportion z-test; means: Welch's test), with Holm correction "
              "per organisation and kind of comparison. A difference is called ‘higher’ or ‘lower’ only when it is "
              "statistically reliable (α = {alpha}) and at least {min_pp} percentage points (top-2) or an effect "
              "size of {min_g} (means).",
    },
    "methods.representative_yes": {"nl": "ja", "en": "yes"},
    "methods.representative_no": {"nl": "nee, wijkt af", "en": "no, deviates"},
    "methods.representativeness": {
        "nl": "Representativiteit: de verdeling van de respondenten over de groepen is vergeleken met het "
              "personeelsbestand (chi-kwadraattoets). ‘Lage respons’: minder dan de helft van de respons van de "
              "hele organisatie.",
        "en": "Representativeness: the distribution of respondents over the groups is compared with the headcount "
              "(chi-square test). ‘Low response’: less than half of the organisation's response rate.",
    },
    "methods.reliability": {
        "nl": "Betrouwbaarheid van de domeinen (Cronbachs alfa, met {confidence}-interval); onder {min_alpha} "
              "is gemarkeerd als laag.",
        "en": "Reliability of the domains (Cronbach's alpha, with {confidence} interval); below {min_alpha} is "
              "marked as low.",
    },
    "methods.reliability_wave": {
        "nl": "Te weinig volledige antwoorden voor een eigen schatting; getoond zijn de waarden van de hele meting.",
        "en": "Too few complete answers for an own estimate; the values of the whole wave are shown.",
    },
    "methods.nvt": {
        "nl": "Ontbrekende antwoorden per vraag: ‘n.v.t. / geen mening’ (van wie de vraag zag) en overgeslagen "
              "(van alle respondenten; hele domeinen worden overgeslagen door wie de dienst niet gebruikte).",
        "en": "Missing answers per question: ‘n/a / no opinion’ (of those shown the question) and skipped (of all "
              "respondents; whole domains are skipped by those who did not use the service).",
    },
    "methods.low": {"nl": "laag", "en": "low"},
    "h.response": {"nl": "Respons", "en": "Response"},
    "h.weighting": {"nl": "Weging", "en": "Weighting"},
    "h.representativeness": {"nl": "Representativiteit", "en": "Representativeness"},
    "h.reliability": {"nl": "Betrouwbaarheid", "en": "Reliability"},
    "h.flags": {"nl": "Hoe verschillen worden beoordeeld", "en": "How differences are judged"},
    "h.anonymity": {"nl": "Anonimiteit", "en": "Anonymity"},
    "h.nvt": {"nl": "Ontbrekende antwoorden", "en": "Missing answers"},
    "h.quadrants": {"nl": "Domeinen per kwadrant", "en": "Domains per quadrant"},
    "h.items": {"nl": "Vragen per domein", "en": "Questions per domain"},
    "h.texts": {"nl": "Wat medewerkers schreven", "en": "What staff wrote"},
    "h.words": {"nl": "Veelgebruikte woorden", "en": "Frequent words"},
    "h.peers_order": {"nl": "Volgorde binnen vergelijkbare organisaties", "en": "Order among similar organisations"},
    "h.overall_summary": {"nl": "Totaaloordeel", "en": "Overall"},
    "h.strengths": {"nl": "Sterke punten en prioriteiten", "en": "Strengths and priorities"},
    "h.changes": {"nl": "Verschillen en veranderingen", "en": "Differences and changes"},
    "none": {"nl": "geen", "en": "none"},
    # ---- charts ----------------------------------------------------------------------------
    "chart.domains.title": {"nl": "{Measure} per domein, {org} tegenover de benchmark",
                            "en": "{Measure} per domain, {org} against the benchmark"},
    "chart.domains.title_alone": {"nl": "{Measure} per domein, {org}", "en": "{Measure} per domain, {org}"},
    "chart.top2.axis": {"nl": "Aandeel {measure}", "en": "Share {measure}"},
    "chart.ci": {"nl": "{confidence}-interval", "en": "{confidence} interval"},
    "chart.overall.title": {"nl": "Rapportcijfer en top-2, {org} tegenover referenties",
                            "en": "Grade and top-2, {org} against references"},
    "chart.overall.title_measure": {"nl": "{Measure}, {org} tegenover referenties",
                                    "en": "{Measure}, {org} against references"},
    "alt.overall_measure": {"nl": "Grafiek van het aandeel {measure} ({top2}) van {org}, met interval, tegenover de "
                                  "referenties waar beschikbaar.",
                            "en": "Chart of the share {measure} ({top2}) of {org}, with interval, against the "
                                  "references where available."},
    "chart.grade.axis": {"nl": "Rapportcijfer (1-10)", "en": "Grade (1-10)"},
    "chart.priorities.title": {"nl": "Prioriteitenmatrix {org}", "en": "Priority matrix {org}"},
    "chart.priorities.x": {"nl": "Top-2 min benchmark (procentpunt)", "en": "Top-2 minus benchmark (percentage points)"},
    "chart.priorities.y": {"nl": "Belang voor {outcome} (aandeel R²)", "en": "Importance for {outcome} (share of R²)"},
    "chart.trend.title": {"nl": "{Measure} per domein: {wave} tegenover {previous}",
                          "en": "{Measure} per domain: {wave} against {previous}"},
    "chart.units.title": {"nl": "{Measure} per onderdeel en domein",
                          "en": "{Measure} per unit and domain"},
    "chart.units.colorbar": {"nl": "Aandeel {measure}", "en": "Share {measure}"},
    "chart.pluim.title": {"nl": "Aandeel respondenten met een pluim, per domein",
                          "en": "Share of respondents giving a pluim, per domain"},
    "chart.pluim.axis": {"nl": "Aandeel respondenten met een pluim", "en": "Share of respondents with a pluim"},
    "chart.suppressed": {"nl": "te weinig antwoorden (–)", "en": "too few answers (–)"},
    "chart.n": {"nl": "n = {n}", "en": "n = {n}"},
    "chart.this_wave": {"nl": "{wave}", "en": "{wave}"},
    "alt.domains": {
        "nl": "Staafdiagram van het aandeel {measure} per domein voor {org}, met {confidence}-intervallen en de "
              "benchmark als ruit. Hoger dan de benchmark: {higher}. Lager: {lower}.",
        "en": "Bar chart of the share {measure} per domain for {org}, with {confidence} intervals and the "
              "benchmark as a diamond. Higher than the benchmark: {higher}. Lower: {lower}.",
    },
    "alt.overall": {
        "nl": "Grafiek van het rapportcijfer ({grade}) en de top-2 ({top2}) van {org}, met intervallen, tegenover "
              "benchmark, vergelijkbare organisaties en vorige meting waar beschikbaar.",
        "en": "Chart of the grade ({grade}) and top-2 ({top2}) of {org}, with intervals, against the benchmark, "
              "similar organisations and the previous wave where available.",
    },
    "alt.priorities": {
        "nl": "Prioriteitenmatrix: elk domein als punt, horizontaal de prestatie tegenover de benchmark, verticaal het "
              "belang. Behouden: {behouden}. Verbeteren: {verbeteren}.",
        "en": "Priority matrix: each domain as a point, horizontally performance against the benchmark, vertically "
              "importance. Maintain: {behouden}. Improve: {verbeteren}.",
    },
    "alt.trend": {
        "nl": "Staafdiagram van de top-2 per domein in {previous} en {wave}. Gestegen: {higher}. Gedaald: {lower}.",
        "en": "Bar chart of the top-2 per domain in {previous} and {wave}. Up: {higher}. Down: {lower}.",
    },
    "alt.pluim": {
        "nl": "Staafdiagram van het aandeel respondenten dat een pluim gaf per domein, met de benchmark als ruit.",
        "en": "Bar chart of the share of respondents giving a pluim per domain, with the benchmark as a diamond.",
    },
    # ---- generated sentences (text.py) -----------------------------------------------------
    "s.grade": {
        "nl": "De respondenten van {org} geven gemiddeld een {grade}; {pass_share} geeft een voldoende.",
        "en": "The respondents of {org} give an average grade of {grade}; {pass_share} give a pass mark.",
    },
    "s.grade_only": {"nl": "De respondenten van {org} geven gemiddeld een {grade}.",
                     "en": "The respondents of {org} give an average grade of {grade}."},
    "s.top2": {"nl": "Over alle vragen samen is {top2} van de antwoorden {measure}.",
               "en": "Across all questions, {top2} of the answers are {measure}."},
    "s.compare": {
        "nl": "Vergeleken met {ref} is het rapportcijfer {grade_cmp} en het aandeel {measure} {top2_cmp}.",
        "en": "Compared with {ref}, the grade is {grade_cmp} and the share {measure} is {top2_cmp}.",
    },
    "s.compare_top2": {"nl": "Vergeleken met {ref} is het aandeel {measure} {top2_cmp}.",
                       "en": "Compared with {ref}, the share {measure} is {top2_cmp}."},
    "s.compare_grade": {"nl": "Vergeleken met {ref} is het rapportcijfer {grade_cmp}.",
                        "en": "Compared with {ref}, the grade is {grade_cmp}."},
    "s.ref.benchmark": {"nl": "de benchmark (alle andere organisaties)", "en": "the benchmark (all other organisations)"},
    "s.ref.peers": {"nl": "{peers}", "en": "{peers}"},
    "s.ref.previous": {"nl": "de vorige meting ({wave})", "en": "the previous wave ({wave})"},
    "s.cmp.higher": {"nl": "hoger ({value} tegenover {ref})", "en": "higher ({value} versus {ref})"},
    "s.cmp.lower": {"nl": "lager ({value} tegenover {ref})", "en": "lower ({value} versus {ref})"},
    "s.cmp.no difference": {"nl": "niet wezenlijk anders ({value} tegenover {ref})",
                            "en": "not notably different ({value} versus {ref})"},
    "s.cmp.not tested": {"nl": "niet te vergelijken (te weinig antwoorden)",
                         "en": "not comparable (too few answers)"},
    "s.cmp.suppressed": {"nl": "niet te vergelijken (te weinig antwoorden)",
                         "en": "not comparable (too few answers)"},
    "s.strengths": {
        "nl": "Sterke punten om te behouden (belangrijk voor {outcome} en boven de benchmark): {domains}.",
        "en": "Strengths to maintain (important for {outcome} and above the benchmark): {domains}.",
    },
    "s.no_strengths": {
        "nl": "Geen domein is tegelijk belangrijk voor {outcome} en boven de benchmark.",
        "en": "No domain is both important for {outcome} and above the benchmark.",
    },
    "s.priorities": {
        "nl": "Prioriteiten om te verbeteren (belangrijk voor {outcome} en onder de benchmark): {domains}.",
        "en": "Priorities for improvement (important for {outcome} and below the benchmark): {domains}.",
    },
    "s.no_priorities": {
        "nl": "Geen domein is tegelijk belangrijk voor {outcome} en onder de benchmark.",
        "en": "No domain is both important for {outcome} and below the benchmark.",
    },
    "s.bench_higher": {"nl": "Hoger dan de benchmark: {domains}.", "en": "Higher than the benchmark: {domains}."},
    "s.bench_lower": {"nl": "Lager dan de benchmark: {domains}.", "en": "Lower than the benchmark: {domains}."},
    "s.bench_none": {
        "nl": "Op geen enkel domein wijkt het aandeel {measure} wezenlijk af van de benchmark.",
        "en": "On no domain does the share {measure} differ notably from the benchmark.",
    },
    "s.change_up": {"nl": "Sinds {wave} is het aandeel {measure} gestegen bij {domains}.",
                    "en": "Since {wave}, the share {measure} has gone up for {domains}."},
    "s.change_down": {"nl": "Sinds {wave} is het aandeel {measure} gedaald bij {domains}.",
                      "en": "Since {wave}, the share {measure} has gone down for {domains}."},
    "s.change_none": {
        "nl": "Sinds {wave} is het aandeel {measure} per domein niet wezenlijk veranderd.",
        "en": "Since {wave}, the share {measure} per domain has not changed notably.",
    },
    "s.change_item": {"nl": "{domain} ({old} → {new})", "en": "{domain} ({old} → {new})"},
    "s.units_hidden": {
        "nl": "{hidden} van de {total} vakjes zijn niet getoond wegens anonimiteit.",
        "en": "{hidden} of the {total} cells are not shown for anonymity.",
    },
}

# ---- priorities that follow the tests, one interval one verdict (issue 14, parts 1-2) --------
STRINGS.update({
    "quadrant.verbeteren.help": {
        "nl": "lager dan de benchmark of de vorige meting en niet duidelijk minder belangrijk",
        "en": "lower than the benchmark or the previous wave and not clearly less important"},
    "quadrant.aandacht": {"nl": "aandacht", "en": "attention"},
    "quadrant.aandacht.help": {
        "nl": "lager, maar duidelijk minder belangrijk dan de andere domeinen",
        "en": "lower, but clearly less important than the other domains"},
    "quadrant.behouden.help": {
        "nl": "hoger dan de benchmark of de vorige meting en belangrijk",
        "en": "higher than the benchmark or the previous wave and important"},
    "quadrant.bewaken.help": {"nl": "hoger, maar minder belangrijk", "en": "higher, but less important"},
    "quadrant.geen verschil": {"nl": "geen verschil", "en": "no difference"},
    "quadrant.geen verschil.help": {
        "nl": "niet wezenlijk anders: geen sterk punt en geen prioriteit",
        "en": "not notably different: neither a strength nor a priority"},
    "s.strengths": {
        "nl": "Sterke punten (hoger dan de benchmark of de vorige meting en belangrijk voor {outcome}): {domains}.",
        "en": "Strengths (higher than the benchmark or the previous wave and important for {outcome}): {domains}."},
    "s.no_strengths": {
        "nl": "Geen sterk punt: geen domein dat belangrijk is voor {outcome} scoort wezenlijk beter.",
        "en": "No strength: no domain important for {outcome} scores notably better."},
    "s.priorities": {
        "nl": "Prioriteiten (lager dan de benchmark of de vorige meting en niet duidelijk minder belangrijk "
              "voor {outcome}): {domains}.",
        "en": "Priorities (lower than the benchmark or the previous wave and not clearly less important for "
              "{outcome}): {domains}."},
    "s.no_priorities": {
        "nl": "Geen prioriteit: geen domein scoort wezenlijk slechter dan de benchmark of de vorige meting.",
        "en": "No priority: no domain scores notably worse than the benchmark or the previous wave."},
    "s.attention": {
        "nl": "Ook lager, maar duidelijk minder bepalend voor {outcome}: {domains}.",
        "en": "Also lower, but clearly less decisive for {outcome}: {domains}."},
    "note.priorities": {
        "nl": "Horizontaal: de top-2 van het domein min de benchmark, in procentpunten. Verticaal: het belang van het "
              "domein voor {outcome} (relatief gewicht, aandeel van de verklaarde variantie) met het "
              "{confidence}-bootstrapinterval; de stippellijn is het mediane belang. De kleur is de toets: alleen "
              "een wezenlijk lager domein kan een prioriteit zijn, alleen een wezenlijk hoger domein een sterk punt.",
        "en": "Horizontal: the domain's top-2 minus the benchmark, in percentage points. Vertical: the domain's "
              "importance for {outcome} (relative weight, share of the explained variance) with its {confidence} "
              "bootstrap interval; the dashed line is the median importance. The colour is the test: only a notably "
              "lower domain can be a priority, only a notably higher one a strength."},
    "note.priority_rule": {
        "nl": "Regel: een domein is een prioriteit als het wezenlijk lager is dan de benchmark of de vorige meting en "
              "de bovengrens van het interval van zijn belang de mediaan haalt; een sterk punt als het wezenlijk "
              "hoger is en zijn belang minstens de mediaan is. Elk wezenlijk lager domein wordt genoemd.",
        "en": "Rule: a domain is a priority when it is notably lower than the benchmark or the previous wave and the "
              "upper bound of its importance interval reaches the median; a strength when it is notably higher and "
              "its importance is at least the median. Every notably lower domain is named."},
    "note.drivers_org": {
        "nl": "Het belang is geschat op de respondenten van deze organisatie.",
        "en": "Importance is estimated on this organisation's respondents."},
    "note.interval_verdict": {
        "nl": "Waarom een interval de vergelijkingswaarde kan uitsluiten bij ‘geen verschil’: het interval is het "
              "{confidence}-interval van de organisatie zelf, zonder correctie voor het aantal toetsen en zonder de "
              "onzekerheid van de vergelijkingswaarde; het oordeel toetst het verschil na die correctie en vraagt "
              "bovendien minstens {min_pp} procentpunt.",
        "en": "Why an interval can exclude the reference with ‘no difference’: the interval is the organisation's "
              "own {confidence} interval, without correction for the number of tests and without the reference's "
              "uncertainty; the verdict tests the difference after that correction and also asks for at least "
              "{min_pp} percentage points."},
    "tile.grade": {"nl": "Rapportcijfer", "en": "Grade"},
    "tile.top2": {"nl": "{Measure}", "en": "{Measure}"},
    "tile.response": {"nl": "Respons", "en": "Response"},
    "tile.margin": {"nl": "foutmarge ± {value} procentpunt", "en": "margin ± {value} percentage points"},
    "tile.benchmark": {"nl": "Domeinen tegenover de benchmark", "en": "Domains against the benchmark"},
    "tile.previous": {"nl": "Domeinen tegenover {wave}", "en": "Domains against {wave}"},
    "tile.counts": {"nl": "{higher} hoger · {lower} lager", "en": "{higher} higher · {lower} lower"},
    "tile.of_domains": {"nl": "van {n} domeinen", "en": "of {n} domains"},
    "tile.strengths": {"nl": "Sterke punten", "en": "Strengths"},
    "tile.priorities": {"nl": "Prioriteiten", "en": "Priorities"},
    "chart.priorities.median": {"nl": "mediaan belang", "en": "median importance"},
    "col.importance_interval": {"nl": "Interval belang", "en": "Importance interval"},
    "col.previous_flag": {"nl": "Toets vorige meting", "en": "Test previous wave"},
    "alt.priorities": {
        "nl": "Prioriteitenmatrix: elk domein als punt met het interval van zijn belang, horizontaal de prestatie "
              "tegenover de benchmark, verticaal het belang, gekleurd naar de toets. Prioriteiten: {verbeteren}. "
              "Sterke punten: {behouden}.",
        "en": "Priority matrix: each domain as a point with its importance interval, horizontally performance "
              "against the benchmark, vertically importance, coloured by the test. Priorities: {verbeteren}. "
              "Strengths: {behouden}."},
})



#: Words that come from the instrument (:func:`use_instrument`): the positive measure's name.
GENERIC_WORDS = {"nl": {"measure": "positief", "outcome": "de uitkomst"},
                 "en": {"measure": "positive", "outcome": "the outcome"}}
_WORDS: contextvars.ContextVar[dict] = contextvars.ContextVar("ikto_words", default=GENERIC_WORDS)


def use_instrument(instrument) -> None:
    """Take the survey's own words (the positive measure's name) from ``instrument`` for every
    following :func:`t` in this context; without a name the generic 'positief' / 'positive'."""
    words = {lang: dict(GENERIC_WORDS[lang]) for lang in LANGUAGES}
    if instrument is not None and instrument.measure is not None:
        for lang in LANGUAGES:
            words[lang]["measure"] = instrument.measure.name[lang].lower()
    if instrument is not None and instrument.outcome_id is not None:
        key = "outcome.grade" if instrument.outcome_is_grade else "outcome.item"
        for lang in LANGUAGES:
            words[lang]["outcome"] = STRINGS[key][lang]
    _WORDS.set(words)


def words(language: str) -> dict[str, str]:
    """The instrument's words in ``language``: ``measure``, ``Measure`` (capitalised) and ``outcome``."""
    w = _WORDS.get()[language]
    m = w["measure"]
    return {**w, "Measure": m[:1].upper() + m[1:] if not m.startswith("(") else m[:2].upper() + m[2:]}


def t(key: str, language: str, /, **values) -> str:
    """The text ``key`` in ``language`` with ``values`` (and the instrument's :func:`words`) filled in.

    Raises ``KeyError`` for an unknown key and ``ValueError`` for an unknown language.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
    text = STRINGS[key][language]
    return text.format(**{**words(language), **values}) if "{" in text else text


# the workbook's, the group report's and the index's texts: a block of their own
from .i18n_excel import EXTRA_STRINGS as _EXTRA  # noqa: E402

STRINGS.update(_EXTRA)
