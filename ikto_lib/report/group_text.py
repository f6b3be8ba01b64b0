"""The group report's fixed texts in Dutch and English (:func:`gt` looks one up)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "kind": {"nl": "Groepsrapport", "en": "Group report"},
    "title": {"nl": "Alle deelnemende organisaties", "en": "All participating organisations"},
    "toc": {"nl": "Inhoud", "en": "Contents"},
    "section.summary": {"nl": "Samenvatting", "en": "Summary"},
    "section.response": {"nl": "Respons", "en": "Response"},
    "section.spread": {"nl": "Spreiding over organisaties", "en": "Spread over organisations"},
    "section.heatmap": {"nl": "Organisaties en domeinen", "en": "Organisations and domains"},
    "section.best": {"nl": "Best practices per domein", "en": "Best practices per domain"},
    "section.grades": {"nl": "Rapportcijfer per type organisatie", "en": "Grade per type of organisation"},
    "section.trend": {"nl": "Ontwikkeling van de groep", "en": "Trend of the group"},
    "section.pluimen": {"nl": "Pluimen", "en": "Pluimen (compliments)"},
    "section.reliability": {"nl": "Betrouwbaarheid en drijfveren", "en": "Reliability and drivers"},
    "section.methods": {"nl": "Methode", "en": "Methods"},
    "wave": {"nl": "Meting {wave}", "en": "Wave {wave}"},
    "date": {"nl": "Datum", "en": "Date"},
    "orgs": {"nl": "Organisaties met een rapport", "en": "Organisations with a report"},
    "orgs_small": {"nl": "Organisaties met te weinig respondenten", "en": "Organisations with too few respondents"},
    "respondents": {"nl": "Respondenten", "en": "Respondents"},
    "headcount": {"nl": "Personeelsomvang", "en": "Headcount"},
    "rate": {"nl": "Respons", "en": "Response rate"},
    "weighted": {"nl": "Gewogen naar personeelsomvang", "en": "Weighted to headcount"},
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
    "fine": {"nl": "Gegevens {fp} · ikto {version} · aangemaakt {created}",
             "en": "Data {fp} · ikto {version} · created {created}"},
    "col.type": {"nl": "Type organisatie", "en": "Type of organisation"},
    "col.org": {"nl": "Organisatie", "en": "Organisation"},
    "col.n_orgs": {"nl": "Organisaties", "en": "Organisations"},
    "col.domain": {"nl": "Domein", "en": "Domain"},
    "col.top2": {"nl": "Tevreden (top-2)", "en": "Satisfied (top-2)"},
    "col.benchmark": {"nl": "Benchmark", "en": "Benchmark"},
    "col.diff": {"nl": "Verschil (procentpunt)", "en": "Difference (points)"},
    "col.grade": {"nl": "Gemiddeld cijfer", "en": "Mean grade"},
    "col.pass": {"nl": "Voldoende (6 of hoger)", "en": "Pass (6 or higher)"},
    "col.previous": {"nl": "Meting {wave}", "en": "Wave {wave}"},
    "col.current": {"nl": "Meting {wave}", "en": "Wave {wave}"},
    "col.flag": {"nl": "Oordeel", "en": "Verdict"},
    "col.share": {"nl": "Aandeel respondenten met een pluim", "en": "Share of respondents giving a pluim"},
    "col.target": {"nl": "Ontvanger", "en": "Recipient"},
    "col.pluimen": {"nl": "Pluimen", "en": "Pluimen"},
    "col.word": {"nl": "Woord", "en": "Word"},
    "col.texts": {"nl": "Teksten met dit woord", "en": "Texts using the word"},
    "col.alpha": {"nl": "Cronbachs alfa", "en": "Cronbach's alpha"},
    "col.complete": {"nl": "Volledige antwoorden", "en": "Complete answers"},
    "col.r": {"nl": "Correlatie met {outcome} (r)", "en": "Correlation with {outcome} (r)"},
    "col.importance": {"nl": "Aandeel in verklaarde variantie", "en": "Share of explained variance"},
    "col.best": {"nl": "Organisaties boven de benchmark", "en": "Organisations above the benchmark"},
    "named": {"nl": "Personen en teams (samengenomen)", "en": "Persons and teams (together)"},
    "none": {"nl": "geen", "en": "none"},
    "org_label": {"nl": "Organisatie {code}", "en": "Organisation {code}"},
    "flag.higher": {"nl": "hoger", "en": "higher"},
    "flag.lower": {"nl": "lager", "en": "lower"},
    "flag.no difference": {"nl": "geen verschil", "en": "no difference"},
    "flag.not tested": {"nl": "niet getoetst", "en": "not tested"},
    "suppressed": {"nl": "te weinig antwoorden (minder dan {min_n})", "en": "too few answers (fewer than {min_n})"},
    "response.text": {
        "nl": "{orgs} organisaties leverden samen {n} respondenten; de respons is {rate} van de personeelsomvang. "
              "{small} organisaties hadden minder dan {min_n} respondenten: zij krijgen geen rapport en tellen "
              "nergens mee.",
        "en": "{orgs} organisations together gave {n} respondents, a response rate of {rate} of the headcount. "
              "{small} organisations had fewer than {min_n} respondents: they get no report and count nowhere."},
    "response.caption": {"nl": "Respons per type organisatie", "en": "Response per type of organisation"},
    "chart.response.title": {"nl": "Respons per organisatie", "en": "Response rate per organisation"},
    "chart.response.x": {"nl": "Respons (aandeel van de personeelsomvang)", "en": "Response rate (share of headcount)"},
    "chart.response.y": {"nl": "Aantal organisaties", "en": "Number of organisations"},
    "alt.response": {"nl": "Histogram van de respons van {orgs} organisaties; mediaan {median}.",
                     "en": "Histogram of the response rate of {orgs} organisations; median {median}."},
    "heatmap.title": {"nl": "{Measure} per organisatie en domein", "en": "{Measure} per organisation and domain"},
    "heatmap.bar": {"nl": "Aandeel {measure}", "en": "Share {measure}"},
    "heatmap.anon": {"nl": "Organisaties zijn geanonimiseerd (letters); per rapport zijn de letters anders.",
                     "en": "Organisations are anonymised (letters); the letters differ per report."},
    "best.text": {"nl": "Per domein de organisaties waarvan het aandeel {measure} significant en relevant boven de "
                        "benchmark ligt, hoogste eerst.",
                  "en": "Per domain the organisations whose share {measure} is significantly and relevantly above "
                        "the benchmark, highest first."},
    "grades.title": {"nl": "Verdeling van het rapportcijfer per type organisatie", "en": "Distribution of the grade per type of organisation"},
    "grades.x": {"nl": "Rapportcijfer", "en": "Grade"},
    "grades.y": {"nl": "Aandeel respondenten", "en": "Share of respondents"},
    "alt.grades": {"nl": "Lijnen met het aandeel per rapportcijfer (1 tot 10) voor {types}.",
                   "en": "Lines with the share per grade (1 to 10) for {types}."},
    "trend.none": {"nl": "Er is geen vorige meting om mee te vergelijken.", "en": "There is no previous wave to compare with."},
    "trend.title": {"nl": "{Measure} per domein: {wave} tegen {previous}",
                    "en": "{Measure} per domain: {wave} against {previous}"},
    "trend.x": {"nl": "Aandeel {measure}", "en": "Share {measure}"},
    "alt.trend": {"nl": "Staafdiagram van het aandeel {measure} per domein in {wave} en {previous}; hoger: {higher}; lager: {lower}.",
                  "en": "Bar chart of the share {measure} per domain in {wave} and {previous}; higher: {higher}; lower: {lower}."},
    "pluim.text": {"nl": "{share} van de respondenten gaf een pluim.", "en": "{share} of the respondents gave a pluim."},
    "pluim.praised": {"nl": "Meeste pluimen", "en": "Most pluimen"},
    "pluim.words": {"nl": "Woorden die het vaakst voorkomen in pluimen", "en": "Words used most in pluimen"},
    "rel.caption": {"nl": "Betrouwbaarheid per domein (hele meting)", "en": "Reliability per domain (whole wave)"},
    "rel.low": {"nl": "Alfa onder {threshold}: de items van dit domein meten minder eenduidig hetzelfde.",
                "en": "Alpha below {threshold}: the items of this domain measure less consistently the same thing."},
    "drv.caption": {"nl": "Drijfveren van {outcome} (relatieve gewichten, R² = {r2})",
                    "en": "Drivers of {outcome} (relative weights, R² = {r2})"},
    "drv.title": {"nl": "Belang van de domeinen voor {outcome}", "en": "Importance of the domains for {outcome}"},
    "drv.x": {"nl": "Aandeel in verklaarde variantie", "en": "Share of explained variance"},
    "alt.drivers": {"nl": "Staafdiagram van het belang per domein; het belangrijkst: {top}.",
                    "en": "Bar chart of the importance per domain; most important: {top}."},
    "methods.text": {
        "nl": "{Measure} is het aandeel antwoorden {codes} op een {points}-puntsschaal; n.v.t. telt niet mee. "
              "Cijfers zijn {weighted}. De benchmark van een organisatie zijn alle andere organisaties samen. Een "
              "verschil heet alleen hoger of lager als het na Holm-correctie significant is (p < {alpha}) en minstens "
              "{pp} procentpunt (of Hedges' g ≥ {g}) bedraagt. Groepen met minder dan {min_n} respondenten worden "
              "niet getoond, ook niet via aftrekken.",
        "en": "{Measure} is the share of answers {codes} on a {points}-point scale; n/a does not count. "
              "Figures are {weighted}. An organisation's benchmark is all other organisations together. A difference "
              "is called higher or lower only when it is significant after Holm correction (p < {alpha}) and at "
              "least {pp} points (or Hedges' g ≥ {g}). Groups with fewer than {min_n} respondents are not shown, "
              "not even by subtraction."},
    "methods.drivers": {"nl": "Drijfveren: relatieve gewichten van Johnson (2000).",
                        "en": "Drivers: Johnson's (2000) relative weights."},
    "methods.text_alone": {
        "nl": "{Measure} is het aandeel antwoorden {codes} op een {points}-puntsschaal; n.v.t. telt niet mee. "
              "Cijfers zijn {weighted}. Een verschil met de vorige meting heet alleen hoger of lager als het na "
              "Holm-correctie significant is (p < {alpha}) en minstens {pp} procentpunt (of Hedges' g ≥ {g}) "
              "bedraagt. Groepen met minder dan {min_n} respondenten worden niet getoond, ook niet via aftrekken.",
        "en": "{Measure} is the share of answers {codes} on a {points}-point scale; n/a does not count. Figures "
              "are {weighted}. A difference with the previous wave is called higher or lower only when it is "
              "significant after Holm correction (p < {alpha}) and at least {pp} points (or Hedges' g ≥ {g}). "
              "Groups with fewer than {min_n} respondents are not shown, not even by subtraction."},
    "weighted.yes": {"nl": "gewogen naar de personeelsomvang per organisatieonderdeel", "en": "weighted to the headcount per unit"},
    "weighted.no": {"nl": "ongewogen", "en": "unweighted"},
}


def gt(key: str, language: str, /, **values) -> str:
    """A group-report text in ``language`` with ``values`` filled in."""
    from .i18n import words

    text = STRINGS[key][language]
    return text.format(**{**words(language), **values}) if "{" in text else text
