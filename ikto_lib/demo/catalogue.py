"""The demo's organisations and unit names: realistic Dutch public bodies, chosen deterministically.

Each organisation has a code, a Dutch name, a type, a relative size (roughly thousands of staff,
compressed: the tail is heavy but not as extreme as reality), the e-mail domain used in pluim
texts, and whether it took part in the 2013 wave (the group trajectory grew: some bodies joined
in 2015). ``select_organisations`` picks ``n`` of them, always keeping the planted organisations
and every organisation type.
"""

from __future__ import annotations

from dataclasses import dataclass

# Codes of the organisations that carry the planted effects (see ``ikto_lib.demo.PLANTED``).
CATERING_LOW = "MINVENJ"      # large ministry, catering far below benchmark in 2015
ICT_IMPROVED = "PV-GLD"       # province, ICT average in 2013 and much better in 2015
NO_DIFFERENCE = "KADASTER"    # a few hundred respondents, latent quality = weighted average
SMALL_UNIT_ORG = "MINBZK"     # mid-size ministry holding a unit below the anonymity threshold
SMALL_UNIT = "Bureau Integriteit"
TINY_ORGS = ("KIESRAAD", "CRM")  # fewer than 10 respondents in total (fixed small headcount)


@dataclass(frozen=True)
class Org:
    code: str
    name: str
    type: str
    size: float          # relative headcount (about thousands of staff); 0 = fixed tiny org
    mail: str            # e-mail domain for pluim texts
    in_2013: bool = True


def _orgs(type_: str, rows: str) -> list[Org]:
    out = []
    for line in rows.strip().splitlines():
        code, name, size, mail, *flag = (p.strip() for p in line.split("|"))
        out.append(Org(code, name, type_, float(size), mail, in_2013=not flag))
    return out


MINISTRIES = _orgs("ministerie", """
MINAZ | Ministerie van Algemene Zaken | 0.4 | minaz.nl
MINBZK | Ministerie van Binnenlandse Zaken en Koninkrijksrelaties | 5 | minbzk.nl
MINBUZA | Ministerie van Buitenlandse Zaken | 3 | minbuza.nl
MINDEF | Ministerie van Defensie | 20 | mindef.nl
MINEZ | Ministerie van Economische Zaken | 6 | minez.nl
MINFIN | Ministerie van Financiën | 15 | minfin.nl
MINIENM | Ministerie van Infrastructuur en Milieu | 9 | minienm.nl
MINOCW | Ministerie van Onderwijs, Cultuur en Wetenschap | 3 | minocw.nl
MINSZW | Ministerie van Sociale Zaken en Werkgelegenheid | 2.5 | minszw.nl
MINVENJ | Ministerie van Veiligheid en Justitie | 14 | minvenj.nl
MINVWS | Ministerie van Volksgezondheid, Welzijn en Sport | 3 | minvws.nl
MINLNV | Ministerie van Landbouw, Natuur en Voedselkwaliteit | 2.5 | minlnv.nl
""")

PROVINCES = _orgs("provincie", """
PV-GLD | Provincie Gelderland | 2.0 | gelderland.nl
PV-ZHO | Provincie Zuid-Holland | 1.2 | pzh.nl
PV-NHO | Provincie Noord-Holland | 1.1 | noord-holland.nl
PV-NBR | Provincie Noord-Brabant | 1.2 | brabant.nl
PV-UTR | Provincie Utrecht | 0.9 | provincie-utrecht.nl
PV-OVE | Provincie Overijssel | 0.9 | overijssel.nl
PV-FRL | Provincie Fryslân | 0.8 | fryslan.frl | new
PV-GRO | Provincie Groningen | 0.8 | provinciegroningen.nl
PV-LIM | Provincie Limburg | 0.9 | prvlimburg.nl
PV-DRE | Provincie Drenthe | 0.6 | drenthe.nl | new
PV-FLE | Provincie Flevoland | 0.6 | flevoland.nl
PV-ZEE | Provincie Zeeland | 0.6 | zeeland.nl
""")

WATER_BOARDS = _orgs("waterschap", """
WS-RIJNLAND | Hoogheemraadschap van Rijnland | 0.6 | rijnland.net
WS-DELFLAND | Hoogheemraadschap van Delfland | 0.5 | hhdelfland.nl
WS-HDSR | Hoogheemraadschap De Stichtse Rijnlanden | 0.5 | hdsr.nl
WS-AGV | Waterschap Amstel, Gooi en Vecht | 0.6 | agv.nl
WS-VALLEI | Waterschap Vallei en Veluwe | 0.5 | vallei-veluwe.nl
WS-BRABANTSEDELTA | Waterschap Brabantse Delta | 0.4 | brabantsedelta.nl | new
WS-HHNK | Hoogheemraadschap Hollands Noorderkwartier | 0.7 | hhnk.nl
WS-SKNL | Hoogheemraadschap van Schieland en de Krimpenerwaard | 0.3 | hhsk.nl
WS-RIVIERENLAND | Waterschap Rivierenland | 0.5 | wsrl.nl
WS-HOLLANDSEDELTA | Waterschap Hollandse Delta | 0.5 | wshd.nl | new
WS-DOMMEL | Waterschap De Dommel | 0.3 | dommel.nl
WS-AAENMAAS | Waterschap Aa en Maas | 0.4 | aaenmaas.nl
WS-ROER | Waterschap Roer en Overmaas | 0.3 | wro.nl
WS-RIJNIJSSEL | Waterschap Rijn en IJssel | 0.3 | wrij.nl
WS-VECHTSTROMEN | Waterschap Vechtstromen | 0.5 | vechtstromen.nl | new
WS-WDODELTA | Waterschap Drents Overijsselse Delta | 0.4 | wdodelta.nl
WS-ZUIDERZEELAND | Waterschap Zuiderzeeland | 0.3 | zuiderzeeland.nl
WS-HUNZE | Waterschap Hunze en Aa's | 0.3 | hunzeenaas.nl
WS-NOORDERZIJLVEST | Waterschap Noorderzijlvest | 0.3 | noorderzijlvest.nl
WS-FRYSLAN | Wetterskip Fryslân | 0.4 | wetterskipfryslan.nl
WS-SCHELDESTROMEN | Waterschap Scheldestromen | 0.4 | scheldestromen.nl
""")

ZBOS = _orgs("zbo", """
UWV | Uitvoeringsinstituut Werknemersverzekeringen | 9 | uwv.nl
SVB | Sociale Verzekeringsbank | 3 | svb.nl
DUO | Dienst Uitvoering Onderwijs | 2.5 | duo.nl
RVO | Rijksdienst voor Ondernemend Nederland | 2.5 | rvo.nl
CBR | Centraal Bureau Rijvaardigheidsbewijzen | 1.2 | cbr.nl
KADASTER | Kadaster | 1.8 | kadaster.nl
RDW | Dienst Wegverkeer (RDW) | 1.4 | rdw.nl | new
KIESRAAD | Kiesraad | 0 | kiesraad.nl
CRM | College voor de Rechten van de Mens | 0 | mensenrechten.nl
COA | Centraal Orgaan opvang asielzoekers | 2 | coa.nl
CAK | CAK | 0.6 | hetcak.nl
CIZ | Centrum indicatiestelling zorg | 0.8 | ciz.nl | new
AFM | Autoriteit Financiële Markten | 0.5 | afm.nl
ACM | Autoriteit Consument en Markt | 0.5 | acm.nl
NZA | Nederlandse Zorgautoriteit | 0.4 | nza.nl
ZINL | Zorginstituut Nederland | 0.5 | zorginstituutnederland.nl
KB | Koninklijke Bibliotheek | 0.3 | kb.nl
CTGB | College voor de toelating van gewasbeschermingsmiddelen en biociden | 0.15 | ctgb.nl | new
AP | Autoriteit Persoonsgegevens | 0.1 | autoriteitpersoonsgegevens.nl
NEA | Nederlandse Emissieautoriteit | 0.1 | emissieautoriteit.nl
""")

MUNICIPALITIES = _orgs("gemeente", """
GEM-AMS | Gemeente Amsterdam | 14 | amsterdam.nl
GEM-RTD | Gemeente Rotterdam | 11 | rotterdam.nl
GEM-DHG | Gemeente Den Haag | 8 | denhaag.nl
GEM-UTR | Gemeente Utrecht | 4 | utrecht.nl
GEM-EHV | Gemeente Eindhoven | 2 | eindhoven.nl | new
GEM-GRO | Gemeente Groningen | 3 | groningen.nl
GEM-TLB | Gemeente Tilburg | 1.5 | tilburg.nl
GEM-ALM | Gemeente Almere | 1.5 | almere.nl | new
GEM-BRD | Gemeente Breda | 1.4 | breda.nl
GEM-NMG | Gemeente Nijmegen | 1.5 | nijmegen.nl
GEM-ENS | Gemeente Enschede | 1.3 | enschede.nl
GEM-HLM | Gemeente Haarlem | 1.1 | haarlem.nl
GEM-ARN | Gemeente Arnhem | 1.2 | arnhem.nl | new
GEM-ZDM | Gemeente Zaanstad | 0.9 | zaanstad.nl
GEM-AMF | Gemeente Amersfoort | 0.9 | amersfoort.nl
GEM-APD | Gemeente Apeldoorn | 1.0 | apeldoorn.nl
GEM-SHB | Gemeente 's-Hertogenbosch | 1.0 | s-hertogenbosch.nl
GEM-HMM | Gemeente Haarlemmermeer | 0.8 | haarlemmermeer.nl
GEM-ZWL | Gemeente Zwolle | 0.9 | zwolle.nl
GEM-MST | Gemeente Maastricht | 1.0 | gemeentemaastricht.nl | new
GEM-LDN | Gemeente Leiden | 0.9 | leiden.nl
GEM-DOR | Gemeente Dordrecht | 0.8 | dordrecht.nl
GEM-ZTM | Gemeente Zoetermeer | 0.7 | zoetermeer.nl
GEM-EDE | Gemeente Ede | 0.6 | ede.nl
GEM-DLF | Gemeente Delft | 0.6 | delft.nl
GEM-VNL | Gemeente Venlo | 0.6 | venlo.nl
GEM-DEV | Gemeente Deventer | 0.6 | deventer.nl
GEM-LWD | Gemeente Leeuwarden | 0.8 | leeuwarden.nl
""")

CATALOGUE: list[Org] = MINISTRIES + PROVINCES + WATER_BOARDS + ZBOS + MUNICIPALITIES
_BY_CODE = {o.code: o for o in CATALOGUE}


def by_code(code: str) -> Org:
    """The catalogue entry of an organisation code."""
    return _BY_CODE[code]

# The default selection of 40: 12 ministries, 7 provinces, 6 water boards, 9 ZBO's, 6 municipalities.
DEFAULT_40 = (
    [o.code for o in MINISTRIES]
    + ["PV-GLD", "PV-ZHO", "PV-NHO", "PV-NBR", "PV-UTR", "PV-OVE", "PV-FRL"]
    + ["WS-RIJNLAND", "WS-DELFLAND", "WS-HDSR", "WS-AGV", "WS-VALLEI", "WS-BRABANTSEDELTA"]
    + ["UWV", "SVB", "DUO", "RVO", "CBR", "KADASTER", "RDW", "KIESRAAD", "CRM"]
    + ["GEM-AMS", "GEM-RTD", "GEM-DHG", "GEM-UTR", "GEM-EHV", "GEM-GRO"]
)
# Always kept, whatever ``orgs`` is: the planted organisations, the tiny ones, and one of each
# type that has no planted organisation.
REQUIRED = (CATERING_LOW, ICT_IMPROVED, NO_DIFFERENCE, SMALL_UNIT_ORG, *TINY_ORGS,
            "WS-RIJNLAND", "GEM-AMS")
MIN_ORGS = len(REQUIRED)
TYPE_ORDER = ("ministerie", "provincie", "waterschap", "zbo", "gemeente")


def select_organisations(n: int) -> list[Org]:
    """``n`` organisations: the default 40 truncated (keeping ``REQUIRED``) or extended.

    Beyond 40 the rest of the catalogue is added round-robin over the types; beyond the whole
    catalogue, numbered copies (``UWV-2`` "Uitvoeringsinstituut Werknemersverzekeringen (2)")
    follow. The result is ordered by type, then catalogue order.
    """
    if n < MIN_ORGS:
        raise ValueError(f"orgs must be at least {MIN_ORGS} (the planted organisations and "
                         f"every organisation type), not {n}")
    if n <= len(DEFAULT_40):
        extra = _round_robin([_BY_CODE[c] for c in DEFAULT_40 if c not in REQUIRED])
        keep = set(REQUIRED) | {o.code for o in extra[: n - len(REQUIRED)]}
        chosen = [_BY_CODE[c] for c in DEFAULT_40 if c in keep]
    else:
        rest = _round_robin([o for o in CATALOGUE if o.code not in DEFAULT_40])
        chosen = [_BY_CODE[c] for c in DEFAULT_40] + rest[: n - len(DEFAULT_40)]
        copy = 2
        while len(chosen) < n:
            for o in [o for o in CATALOGUE if o.size > 0][: n - len(chosen)]:
                chosen.append(Org(f"{o.code}-{copy}", f"{o.name} ({copy})", o.type, o.size,
                                  o.mail, o.in_2013))
            copy += 1
    return sorted(chosen, key=lambda o: TYPE_ORDER.index(o.type))  # stable within a type


def _round_robin(orgs: list[Org]) -> list[Org]:
    """Interleave the types (ministry, province, water board, ZBO, municipality, ministry, ...)."""
    per_type = [[o for o in orgs if o.type == t] for t in TYPE_ORDER]
    return [g[k] for k in range(max(map(len, per_type))) for g in per_type if k < len(g)]


def _names(text: str) -> list[str]:
    return [s.strip() for s in text.strip().split(";") if s.strip()]


UNIT_NAMES: dict[str, list[str]] = {
    "ministerie": _names("""
        Bestuursdepartement; DG Bestuur; DG Beleid; DG Uitvoering; DG Internationaal; DG Ruimte;
        DG Werk; DG Zorg; Directie Financiën; Directie Communicatie; Directie Bedrijfsvoering;
        Directie Juridische Zaken; Directie Strategie; Directie Internationale Zaken;
        Directie Personeel en Organisatie; Directie Informatievoorziening; Secretariaat-Generaal;
        Inspectie; Auditdienst; Agentschap Uitvoering; Shared Service Center;
        Bureau Bestuursondersteuning; Kabinet; Regio Noord; Regio Oost; Regio Zuid; Regio West;
        Regio Midden; Programmadirectie; Kenniscentrum; Directie Wetgeving; Directie Europa"""),
    "provincie": _names("""
        Concernstaf; Afdeling Ruimte; Afdeling Mobiliteit; Afdeling Economie;
        Afdeling Natuur en Landschap; Afdeling Milieu; Afdeling Cultuur en Samenleving;
        Afdeling Financiën; Afdeling Communicatie; Afdeling Wegen en Kanalen;
        Afdeling Vergunningverlening; Afdeling Handhaving; Statengriffie; Bureau Kabinet;
        Afdeling Bedrijfsvoering; Afdeling Informatievoorziening; Afdeling P&O;
        Steunpunt Wegbeheer; Regio Noord; Regio Oost; Regio Zuid; Regio West; Projectbureau;
        Afdeling Water en Bodem"""),
    "waterschap": _names("""
        Zuivering; Waterketen; Watersysteem; Keringen; Belastingen; Vergunningverlening;
        Handhaving; Bestuursondersteuning; Communicatie; Financiën; ICT en Informatie;
        Regio Noord; Regio Zuid; Regio Oost; Regio West; Laboratorium; Projecten;
        Planvorming; Gebiedsbeheer; Personeel en Organisatie"""),
    "zbo": _names("""
        Klantcontactcentrum; Regio Noord; Regio Oost; Regio Zuid; Regio West; Regio Midden;
        Divisie Uitvoering; Divisie Klant en Service; Directie Bedrijfsvoering;
        Directie Financiën; Juridische Zaken; Toezicht; ICT-bedrijf; Staf Raad van Bestuur;
        Innovatie; Kenniscentrum; Inning; Handhaving; Districtskantoor Amsterdam;
        Districtskantoor Rotterdam; Districtskantoor Utrecht; Districtskantoor Eindhoven;
        Districtskantoor Zwolle; Districtskantoor Groningen; Registratie; Beleid en Advies;
        Communicatie; Personeel en Organisatie; Informatiemanagement; Facilitair Bedrijf"""),
    "gemeente": _names("""
        Stadsdeel Noord; Stadsdeel Oost; Stadsdeel Zuid; Stadsdeel West; Stadsdeel Centrum;
        Stadsdeel Nieuw-West; Stadsdeel Zuidoost; Dienst Stedelijke Ontwikkeling;
        Sociaal Domein; Dienst Werk en Inkomen; Publiekszaken; Stadsbeheer; Belastingen;
        Bestuursdienst; Concernstaf; Directie Financiën; Directie Communicatie; ICT-bedrijf;
        Onderwijs en Jeugd; Sport en Recreatie; Cultuur; Vergunningen, Toezicht en Handhaving;
        Griffie; Ombudsman; Afvalbeheer; Parkeren; Wonen; Economische Zaken; Milieudienst;
        Facilitair Bureau"""),
}
