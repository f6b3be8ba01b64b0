"""Pluimen (compliments) of the demo: who gives one, to whom, and a Dutch text.

About ``PLUIM_RATE`` of respondents (more of the lenient ones) give a pluim. Most target a domain
they used and liked (drawn with weights ``exp(2 * eta)``), the rest a named person or team. Texts
are assembled from templates with slots, vectorised per template; about ``CONTACT_RATE`` of the
texts carry an e-mail address, a Dutch phone number (varied formats) or a URL.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

PLUIM_RATE, NAMED_RATE, CONTACT_RATE = 0.17, 0.20, 0.05

FIRST = ("Ria", "Kees", "Anouk", "Mohammed", "Sanne", "Jeroen", "Fatima", "Henk", "Marieke",
         "Bas", "Ingrid", "Youssef", "Linda", "Peter", "Esther", "Wim", "Annemarie", "Dennis",
         "Sevda", "Rob", "Joke", "Ahmed", "Femke", "Gerrit")
SURNAMES = ("van Dijk", "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
            "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
            "Brouwer", "de Wit", "Dijkstra", "Yilmaz", "El Amrani", "Kok", "van der Berg")
CITIES = ("Utrecht", "Den Haag", "Zwolle", "Groningen", "Apeldoorn", "Heerlen", "Rotterdam",
          "Amsterdam", "Leeuwarden", "Arnhem")

# Per domain: role (after a person's name), team name, "who" phrases, "what" phrases, mailbox.
DOMAIN_TEXT = {
    "ict": ("ICT", "Team Werkplekondersteuning",
            ("de ICT-afdeling", "de werkplekondersteuning", "de collega's van ICT"),
            ("mijn nieuwe laptop", "het thuiswerken", "de overstap naar de nieuwe werkplek",
             "mijn telefoon", "een wachtwoordprobleem"), "ict-helpdesk"),
    "facilitair": ("receptie", "Team Facilitair",
                   ("de facilitaire dienst", "de receptie", "de bodes", "de huismeester"),
                   ("de verhuizing naar de nieuwe vleugel", "mijn bureaustoel",
                    "de vergaderruimte", "de reparatie van de zonwering"), "facilitair"),
    "catering": ("bedrijfsrestaurant", "Team Bedrijfsrestaurant",
                 ("het bedrijfsrestaurant", "de cateraar", "de medewerkers van de koffiecorner"),
                 ("de lunch", "het vergaderbuffet", "de verse soep", "de borrel voor ons team"),
                 "bedrijfsrestaurant"),
    "hr": ("P&O", "Team P&O-advies",
           ("de P&O-adviseur", "P&O", "het team P&O-advies"),
           ("mijn loopbaanvraag", "de reorganisatie", "mijn re-integratie",
            "een lastig personeelsdossier"), "po-advies"),
    "personeelsadministratie": ("salarisadministratie", "Team Salarisadministratie",
                                ("de personeelsadministratie", "de salarisadministratie"),
                                ("mijn declaratie", "de salariswijziging", "mijn verlofaanvraag",
                                 "het ouderschapsverlof"), "salarisadministratie"),
    "financien": ("financiën", "Team Crediteuren",
                  ("de financiële administratie", "de collega's van Financiën"),
                  ("een spoedbetaling", "de facturen van onze leverancier", "de begroting"),
                  "financien"),
    "beveiliging": ("beveiliging", "de beveiligers bij de ingang",
                    ("de beveiliging", "de beveiligers"),
                    ("mijn nieuwe toegangspas", "een vervelend incident bij de ingang",
                     "bezoekers na sluitingstijd"), "beveiliging"),
    "informatie": ("DIV", "Team DIV",
                   ("de DIV-afdeling", "het archief", "de postkamer"),
                   ("een oud dossier terugvinden", "de archivering van ons project", "de post"),
                   "div"),
    "communicatie": ("communicatie", "Team Interne Communicatie",
                     ("de afdeling Communicatie", "de intranetredactie"),
                     ("het nieuwe intranet", "onze nieuwsbrief", "de personeelsbijeenkomst"),
                     "communicatie"),
    "servicedesk": ("servicedesk", "Team Servicedesk",
                    ("de servicedesk", "de collega's van de servicedesk"),
                    ("mijn storing", "een vastgelopen account", "de nieuwe printer",
                     "mijn melding"), "servicedesk"),
}
ADVERBS = ("snel", "vriendelijk", "snel en vriendelijk", "geduldig", "deskundig",
           "altijd correct", "zonder gedoe")
ADJECTIVES = ("behulpzaam", "klantvriendelijk", "flexibel", "betrokken", "deskundig",
              "goed bereikbaar")
TEMPLATES = (
    "Altijd {adv} geholpen door {who}. Top!",
    "Compliment voor {who}: {what} was binnen een dag geregeld.",
    "Dank aan {who} voor de hulp bij {what}.",
    "Ik wil {who} bedanken, {adv} geholpen met {what}.",
    "Bij {who} wordt echt meegedacht en worden problemen {adv} opgelost.",
    "Heel fijn: {who}, altijd {adj}.",
    "Pluim voor {who}! Alles rond {what} ging perfect.",
    "Super geholpen door {who} bij {what}, echt een aanrader.",
    "{Who}: ga zo door!",
    "Altijd een vriendelijk gezicht en een luisterend oor bij {who}. Dank daarvoor!",
    "Na jaren eindelijk goed geregeld: {what}. Complimenten aan {who}.",
    "Zeer tevreden over {who}, {adv} en {adj}.",
)
_SLOT = re.compile(r"\{(\w+)\}")


def _pick(rng: np.random.Generator, options, n: int) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.integers(0, len(options), n)]


def _cap(s: np.ndarray) -> np.ndarray:
    return np.asarray(pd.Series(s, dtype=object).str.slice(0, 1).str.upper()
                      + pd.Series(s, dtype=object).str.slice(1), dtype=object)


def _phones(rng: np.random.Generator, n: int) -> np.ndarray:
    mobile = pd.Series(rng.integers(10_000_000, 100_000_000, n)).astype(str)
    land = pd.Series(rng.integers(1_000_000, 10_000_000, n)).astype(str)
    area = pd.Series(_pick(rng, ("070", "030", "020", "010", "050", "026", "038"), n))
    formats = [
        "06-" + mobile,
        "+31 6 " + mobile.str[:4] + " " + mobile.str[4:],
        area + " " + land.str[:3] + " " + land.str[3:],
        "(" + area + ") " + land.str[:3] + " " + land.str[3:5] + " " + land.str[5:],
        "06 " + mobile.str[:2] + " " + mobile.str[2:5] + " " + mobile.str[5:],
        "+31 (0)" + area.str[1:] + " " + land.str[:3] + " " + land.str[3:],
    ]
    which = rng.integers(0, len(formats), n)
    return np.choose(which, [f.to_numpy(dtype=object) for f in formats])


def pluimen(rng: np.random.Generator, eta: np.ndarray, used: np.ndarray, leniency: np.ndarray,
            domains: list[str], domain_names: list[str], mail: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray]:
    """``(target, text)`` per respondent as object arrays (``None`` when no pluim)."""
    n = len(eta)
    p = 1 / (1 + np.exp(-(np.log(PLUIM_RATE / (1 - PLUIM_RATE)) - 0.1 + 0.6 * leniency)))
    givers = np.flatnonzero(rng.random(n) < p)
    m = len(givers)
    score = 2 * eta[givers] + rng.gumbel(size=(m, len(domains)))
    score[~used[givers]] = -np.inf
    dom = np.argmax(score, axis=1)
    texts = [DOMAIN_TEXT.get(d) or (name, f"Team {name}", (f"de collega's van {name}",),
                                   ("mijn vraag",), "info")
             for d, name in zip(domains, domain_names)]
    named = rng.random(m) < NAMED_RATE
    person = named & (rng.random(m) < 0.6)
    first, surname = rng.integers(0, len(FIRST), m), rng.integers(0, len(SURNAMES), m)
    first_s = np.asarray(FIRST, dtype=object)[first]
    full = first_s + " " + np.asarray(SURNAMES, dtype=object)[surname]
    role = np.array([t[0] for t in texts], dtype=object)[dom]
    team = np.array([t[1] for t in texts], dtype=object)[dom]
    team = np.where(rng.random(m) < 0.5, team + " " + _pick(rng, CITIES, m), team)

    target = np.asarray(domains, dtype=object)[dom]
    target = np.where(person, full + " (" + role + ")", np.where(named, team, target))
    who = np.empty(m, dtype=object)
    what = np.empty(m, dtype=object)
    for k, t in enumerate(texts):
        rows = dom == k
        who[rows] = _pick(rng, t[2], rows.sum())
        what[rows] = _pick(rng, t[3], rows.sum())
    who = np.where(person, first_s, np.where(named, team, who))
    slots = {"who": who, "Who": _cap(who), "what": what, "adv": _pick(rng, ADVERBS, m),
             "adj": _pick(rng, ADJECTIVES, m)}
    tpl = rng.integers(0, len(TEMPLATES), m)
    text = np.empty(m, dtype=object)
    for k, template in enumerate(TEMPLATES):
        rows = tpl == k
        parts = _SLOT.split(template)  # literal, slot, literal, slot, ...
        out = np.full(rows.sum(), "", dtype=object)
        for j, part in enumerate(parts):
            out = out + (slots[part][rows] if j % 2 else part)
        text[rows] = out
    text = text + _contacts(rng, m, person, first_s, surname, dom, texts, mail[givers])

    full_target = np.full(n, None, dtype=object)
    full_text = np.full(n, None, dtype=object)
    full_target[givers], full_text[givers] = target, text
    return full_target, full_text


def _contacts(rng, m, person, first_s, surname, dom, texts, mail) -> np.ndarray:
    """A contact snippet (e-mail, phone or URL) for about ``CONTACT_RATE`` of the texts, else ''."""
    local_person = (pd.Series(first_s).str[0].str.lower() + "."
                    + pd.Series(np.asarray(SURNAMES, dtype=object)[surname])
                    .str.replace(" ", "", regex=False).str.lower()).to_numpy(dtype=object)
    mailbox = np.array([t[4] for t in texts], dtype=object)[dom]
    email = np.where(person, local_person, mailbox) + "@" + mail
    url = np.where(rng.random(m) < 0.5, "https://intranet." + mail + "/" + mailbox,
                   "www." + mail + "/pluim")
    snippets = [" Mail gerust: " + email, " (" + email + ")",
                " Bel gerust: " + _phones(rng, m) + ".", " Tel. " + _phones(rng, m),
                " Zie ook " + url]
    kind = rng.integers(0, len(snippets), m)
    chosen = np.choose(kind, snippets)
    return np.where(rng.random(m) < CONTACT_RATE, chosen, "")
