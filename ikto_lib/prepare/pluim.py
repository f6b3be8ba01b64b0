"""Pluimen (compliments): shares per target against the benchmark, a sample of texts, frequent words.

Every respondent may hand a *pluim* to a service domain or to a named person/team, with a free
text. :func:`pluim_tables` turns the respondent rows of a wave into the three prepared tables
``pluim_shares``, ``pluim_texts`` and ``pluim_words`` (schemas in :mod:`ikto_lib.prepared`);
:func:`most_praised` ranks the services with most pluimen group-wide.

Decisions (privacy first, see ``shared/spec/domain.md``)
--------------------------------------------------------
* Only **eligible organisations** (at least ``min_n`` respondents) get rows, texts and words, and
  only they are pooled into the benchmark (``ref_share``) and the wave rows (``org == ""``). An
  organisation passed as eligible that has fewer than ``min_n`` respondents in ``responses`` gets
  ``flag = "suppressed"`` rows without ``n``/``share``/``ref_share`` and no texts or words, and is
  left out of every pool (a safety net; the prepare step should not pass one).
* ``n`` is the number of respondents of the organisation who gave a pluim (to that target).
  The same anonymity rule as every other count holds (methods, "Anonymity"): a count of 1 to
  ``min_n - 1`` is hidden together with its share, and the targets of one organisation (with
  those who gave only a text, never shown but the rest of the total) are siblings with one
  complementary pattern, so no hidden count follows from the total minus the shown ones. A count
  of 0 is shown. The wave rows and ``ref_share`` pool only the counts that are shown, and in the
  sampled texts a hidden count's target is not named (target ``""``).
* Named targets (anything that is not a domain id) are aggregated into ``target = "named"``
  and never leave this module by name: not as a target, not in the sampled texts, not among
  the frequent words. In the sampled texts, wave-wide (a name given as a target anywhere in the
  wave is scrubbed from every sampled text):

  - every named target as a whole phrase (case-insensitive) becomes ``[naam]``, unless it is
    only generic words ("de receptie", "alle collega's");
  - a target without a team word (:data:`TEAM_WORDS`: ``team``, ``afdeling``, ``beveiligers``,
    ...) is taken to name persons, and its name words become ``[naam]`` wherever they occur:
    every word of a short target (at most :data:`NAME_MAX_WORDS` words), only the capitalised
    words of a longer one (a sentence such as "de dames van de kantine die altijd vriendelijk
    zijn" must not remove ``vriendelijk`` everywhere); never stop words, domain ids or
    :data:`NON_NAME_WORDS`. Words of team targets (``Werkplekondersteuning``, ``Den Haag``)
    are not names and are scrubbed only as part of the whole phrase.

  Name words are also left out of the frequent words. Pluimen are never broken down by unit or
  background variable.
* A pluim was given when the target or the text holds an answer. Empty strings, whitespace,
  texts without any letter and "no answer" phrases (``n.v.t.``, ``geen``, ``nee``, ``-``, ...,
  see :data:`NO_ANSWER`) are not a pluim.
* Texts are redacted (:func:`ikto_lib.redact.redact_series`: e-mail addresses, also disguised,
  URLs, phone numbers, IBANs, BSNs, postal addresses and other long numbers) before sampling and
  before counting words. The sample of an organisation is the
  ``pluim_sample`` texts with the smallest keyed hash of (organisation, respondent id), the key
  derived from ``seed``: the same seed gives the same sample, independent of row order and of
  the other organisations. Respondent ids are used for that key only and never written.
* Frequent words: lower-cased words of at least 3 letters, stop words (``parameters/
  stopwords_nl.txt`` and ``stopwords_en.txt``), redaction tokens and name tokens removed;
  ``count`` is the number of texts using the word (a word repeated in one text counts once), and
  a word must be used in at least :data:`MIN_WORD_TEXTS` texts to be listed, so no word is
  traceable to a single answer.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import PROJECT_ROOT, parameters_dir
from ..redact import TOKENS, redact_series
from .anonymity import family_pattern, hidden_rows

__all__ = [
    "NAMED",
    "NAME_TOKEN",
    "NAME_MAX_WORDS",
    "TEAM_WORDS",
    "NON_NAME_WORDS",
    "NO_ANSWER",
    "MIN_WORD_TEXTS",
    "SHARES_COLUMNS",
    "TEXTS_COLUMNS",
    "WORDS_COLUMNS",
    "load_stopwords",
    "pluim_tables",
    "most_praised",
]

#: Target of every pluim to a person or team (anything that is not a domain id).
NAMED = "named"
#: Replacement of a name of a pluim target inside a text.
NAME_TOKEN = "[naam]"
#: Answers that mean "no pluim" (compared lower-cased, without surrounding punctuation/space).
NO_ANSWER = frozenset({
    "", "nvt", "n.v.t", "n v t", "nvt.", "geen", "geen pluim", "geen pluimen", "nee", "neen",
    "niemand", "niets", "nihil", "geen idee", "weet niet", "weet ik niet", "geen opmerkingen",
    "geen opmerking", "x", "xx", "xxx", "n/a", "na", "none", "no", "nothing", "nobody", "-",
})
#: A frequent word must occur in at least this many texts (of that organisation / of the wave).
MIN_WORD_TEXTS = 2
#: A named target of at most this many words is taken as a name as a whole.
NAME_MAX_WORDS = 4
#: Words that make a named target a team or a group of colleagues rather than persons
#: (plural and group words only: "mijn collega Kees" names a person).
TEAM_WORDS = frozenset({
    "team", "teams", "afdeling", "afdelingen", "collega's", "collegas", "dienst", "diensten",
    "medewerkers", "medewerksters", "iedereen", "mensen", "personeel", "receptie", "balie",
    "baliemedewerkers", "helpdesk", "servicepunt", "loket", "bureau", "sector", "directie",
    "cluster", "unit", "groep", "dames", "heren", "staf", "secretariaat", "bedrijfsrestaurant",
    "kantine", "restaurant", "bodes", "beveiligers", "portiers", "schoonmakers", "schoonmaak",
    "huismeesters", "receptionistes", "postkamer", "archief", "redactie",
})
#: Words of named targets that are never name words (kept in texts and word counts).
NON_NAME_WORDS = TEAM_WORDS | frozenset({
    "collega", "medewerker", "medewerkster", "bode", "beveiliger", "portier", "huismeester",
    "receptioniste", "conciërge", "secretaresse", "mevrouw", "meneer", "dhr", "mw", "mevr",
    "alle", "allemaal", "hele", "beste", "lieve",
})

SHARES_COLUMNS = ["org", "target", "n", "share", "ref_share", "flag"]
TEXTS_COLUMNS = ["org", "target", "text"]
WORDS_COLUMNS = ["org", "word", "count"]

_WORD_RE = r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*"
_TOKEN_RE = "|".join(re.escape(tok) for tok in (*TOKENS, NAME_TOKEN))
_PARTICLES = r"(?:van|de|der|den|het|ter|ten|te|in|'t|op|v\.d\.|vd)"
_NAME_RUN_RE = rf"\[naam\](?:\s+(?:{_PARTICLES}\s+)*\[naam\])+"


def _stopword_path(language: str) -> Path:
    name = f"stopwords_{language}.txt"
    for folder in (parameters_dir(), PROJECT_ROOT / "parameters"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(
        f"stop word list {name} not found in {parameters_dir()} or {PROJECT_ROOT / 'parameters'}"
    )


@lru_cache(maxsize=8)
def load_stopwords(languages: Sequence[str] = ("nl", "en")) -> frozenset[str]:
    """The stop words of ``parameters/stopwords_<language>.txt`` for the given languages.

    Parameters
    ----------
    languages : sequence of str, default ("nl", "en")
        Language codes; each needs a file ``stopwords_<code>.txt`` (one word per line, ``#``
        comments) in the parameters folder (``$IKTO_PARAMETERS`` or the project's
        ``parameters/``).

    Returns
    -------
    frozenset of str
        Lower-cased stop words.

    Examples
    --------
    >>> sw = load_stopwords(("nl",))
    >>> "het" in sw and "pluim" not in sw
    True
    """
    words: set[str] = set()
    for lang in tuple(languages):
        if not isinstance(lang, str) or not lang.isidentifier():
            raise ValueError(f"invalid stop word language {lang!r}")
        for line in _stopword_path(lang).read_text(encoding="utf-8").splitlines():
            line = line.strip().lower()
            if line and not line.startswith("#"):
                words.add(line)
    return frozenset(words)


def _setting(settings, key: str, *, minimum: int) -> int:
    value = settings.get(key) if isinstance(settings, dict) else getattr(settings, key, None)
    if value is None:
        raise ValueError(f"settings lack '{key}' (needed for the pluim tables)")
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"settings '{key}' must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _clean_answers(s: pd.Series) -> pd.Series:
    """Stripped strings; empty / letterless / "no answer" values become missing."""
    s = s.astype("str").str.strip()
    key = s.str.lower().str.strip(" \t\r\n.,;:!?-_*'\"()[]")
    has_letter = s.str.contains(r"[^\W\d_]", regex=True, na=False)
    return s.mask(s.isna() | key.isin(NO_ANSWER) | s.str.lower().isin(NO_ANSWER) | ~has_letter)


def _sample_key(org: pd.Series, ids: pd.Series, seed: int) -> pd.Series:
    hash_key = hashlib.blake2b(str(seed).encode(), digest_size=8).hexdigest()  # 16 characters
    frame = pd.DataFrame({"org": org.astype("str").to_numpy(), "id": ids.astype("str").to_numpy()},
                         index=org.index)
    return pd.util.hash_pandas_object(frame, index=False, hash_key=hash_key)


def _words(texts: pd.Series) -> pd.Series:
    """One row per (text, word) for the lower-cased words of ``texts`` (index = text index)."""
    if texts.empty:
        return pd.Series([], dtype="str")
    words = (
        texts.str.replace(_TOKEN_RE, " ", regex=True)
        .str.lower()
        .str.findall(_WORD_RE)
        .explode()
        .dropna()
        .astype("str")
    )
    return words


def pluim_tables(
    responses: pd.DataFrame,
    *,
    eligible_orgs: Sequence[str],
    domain_ids: Sequence[str],
    target_col: str,
    text_col: str,
    weights: pd.Series | None = None,
    settings,
) -> dict[str, pd.DataFrame]:
    """The prepared pluim tables of one wave.

    Parameters
    ----------
    responses : DataFrame
        One row per respondent with ``org``, ``target_col`` and ``text_col``; ``respondent_id``
        (optional, else the index) only seeds the sample.
    eligible_orgs : sequence of str
        Organisations with at least ``min_n`` respondents (report, benchmark and group figures).
    domain_ids : sequence of str
        The instrument's domain ids; a target equal to one of them (ignoring case and surrounding
        space) is a pluim to that domain, any other non-empty target one to a person/team.
    target_col, text_col : str
        The pluim columns (``instrument.pluim.target`` / ``instrument.pluim.text``).
    weights : Series, optional
        Respondent weights aligned with ``responses`` (same index); shares and ``ref_share`` are
        weighted sums. Within an organisation only relative weights matter; the wave rows and
        ``ref_share`` use the weights as given, so pass the combined weights (within x
        organisation) used for every other group figure. ``None``: unweighted.
    settings : Settings or mapping
        Uses ``min_n``, ``pluim_sample``, ``seed`` and ``pluim_top_words``.

    Returns
    -------
    dict of str to DataFrame
        ``pluim_shares`` (``org, target, n, share, ref_share, flag``): one row per eligible
        organisation and the wave (``org == ""``) x target (every domain id, ``"named"``, and
        ``""`` = any pluim); ``ref_share`` is the share among all *other* eligible
        organisations pooled (missing for the wave rows). ``pluim_texts`` (``org, target,
        text``): at most ``pluim_sample`` redacted texts per eligible organisation, target ``""``
        where the respondent chose none. ``pluim_words`` (``org, word, count``): the
        ``pluim_top_words`` most frequent words per eligible organisation and for the wave.

    Raises
    ------
    ValueError
        On missing columns, duplicate or reserved ids, misaligned or invalid weights and
        invalid settings.

    Notes
    -----
    All counting is vectorised (groupby over respondents, ``str`` methods and ``explode`` for the
    words); Python loops run only over organisations' sampled texts' words (name scrubbing) and
    not over respondents. See the module docstring for the privacy decisions.

    Examples
    --------
    >>> import pandas as pd
    >>> resp = pd.DataFrame({"org": ["A"] * 4 + ["B"] * 4,
    ...                      "t": ["ict", "Jan", None, None, "ict", None, None, None],
    ...                      "x": ["Top!", "Dank Jan", None, None, "Snel", None, None, None]})
    >>> out = pluim_tables(resp, eligible_orgs=["A", "B"], domain_ids=["ict", "hr"],
    ...                    target_col="t", text_col="x", settings={"min_n": 1,
    ...                    "pluim_sample": 10, "seed": 1, "pluim_top_words": 5})
    >>> out["pluim_shares"].query("org == 'A'")[["target", "n", "share", "ref_share"]]
      target  n  share  ref_share
    4    ict  1   0.25       0.25
    5     hr  0   0.00       0.00
    6  named  1   0.25       0.00
    7         2   0.50       0.25
    >>> sorted(out["pluim_texts"].query("org == 'A'")["text"])
    ['Dank [naam]', 'Top!']
    """
    # ---- validation -------------------------------------------------------------------------
    if not isinstance(responses, pd.DataFrame):
        raise ValueError(f"responses must be a DataFrame, got {type(responses).__name__}")
    missing = [c for c in ("org", target_col, text_col) if c not in responses.columns]
    if missing:
        raise ValueError(f"responses lack the column(s) {missing} needed for the pluim tables")
    if isinstance(eligible_orgs, str) or isinstance(domain_ids, str):
        raise ValueError("eligible_orgs and domain_ids must be lists of ids, not a single string")
    eligible = list(dict.fromkeys(str(o) for o in eligible_orgs))
    if "" in eligible:
        raise ValueError("eligible_orgs may not contain '' (reserved for the wave rows)")
    domains = [str(d) for d in domain_ids]
    if len(set(d.lower() for d in domains)) != len(domains):
        raise ValueError(f"domain_ids must be unique (ignoring case): {domains}")
    if NAMED in domains or "" in domains:
        raise ValueError(f"domain_ids may not contain {NAMED!r} or '' (reserved targets)")
    min_n = _setting(settings, "min_n", minimum=1)
    k_sample = _setting(settings, "pluim_sample", minimum=0)
    k_words = _setting(settings, "pluim_top_words", minimum=0)
    seed = _setting(settings, "seed", minimum=-(2**63))
    if weights is not None:
        if not isinstance(weights, pd.Series):
            raise ValueError(f"weights must be a pandas Series or None, got {type(weights).__name__}")
        if not weights.index.equals(responses.index):
            raise ValueError("weights must have the same index as responses (one per respondent)")
        w_all = pd.to_numeric(weights, errors="coerce").astype(float)
        bad = ~np.isfinite(w_all.to_numpy()) | (w_all.to_numpy() < 0)
        if bad.any():
            raise ValueError(f"weights must be finite and >= 0; {int(bad.sum())} are not "
                             f"(first at index {weights.index[bad][0]!r})")
    else:
        w_all = pd.Series(1.0, index=responses.index)

    targets = domains + [NAMED, ""]
    org_all = responses["org"].astype("str")
    in_scope = org_all.isin(eligible)
    resp = responses.loc[in_scope]
    org = org_all[in_scope]
    w = w_all[in_scope]

    # ---- who gave a pluim to what -----------------------------------------------------------
    target_all = _clean_answers(responses[target_col])
    target = target_all[in_scope]
    text = _clean_answers(responses.loc[in_scope, text_col])
    lower = {d.lower(): d for d in domains}
    category_all = _categorise(target_all, lower)
    category = category_all[in_scope]
    gave = target.notna() | text.notna()

    respondents = org.value_counts().reindex(eligible, fill_value=0)
    shown_orgs = respondents.index[respondents >= min_n]
    w_org = w.groupby(org, sort=False).sum().reindex(eligible, fill_value=0.0)

    givers = pd.DataFrame({"org": org[gave], "target": category[gave], "w": w[gave]})
    specific = givers[givers["target"] != ""]
    grid = pd.MultiIndex.from_product([eligible, targets], names=["org", "target"])
    by_target = specific.groupby(["org", "target"], sort=False)["w"].agg(["size", "sum"])
    by_any = givers.groupby("org", sort=False)["w"].agg(["size", "sum"])
    by_any.index = pd.MultiIndex.from_arrays([by_any.index, [""] * len(by_any)], names=["org", "target"])
    counts = pd.concat([by_target, by_any]).reindex(grid, fill_value=0)
    counts.columns = ["n", "w"]

    tab = counts.reset_index()
    tab["org_w"] = tab["org"].map(w_org).astype(float)
    tab["shown"] = tab["org"].isin(shown_orgs) & ~_hidden_counts(tab, targets, min_n)
    # a group figure pools only the counts that are shown: a hidden count never follows from
    # the wave's count minus the organisations'
    pool = tab[tab["shown"]].groupby("target", sort=False)[["n", "w", "org_w"]].sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        share = tab["w"] / tab["org_w"]
        own = tab["shown"].astype(float)
        rest_num = (tab["target"].map(pool["w"]).fillna(0.0) - own * tab["w"]).clip(lower=0.0)
        rest_den = tab["target"].map(pool["org_w"]).fillna(0.0) - own * tab["org_w"]
        ref = rest_num / rest_den.where(rest_den > 1e-12)
    shares = pd.DataFrame({
        "org": tab["org"].astype("str"),
        "target": tab["target"].astype("str"),
        "n": tab["n"].astype("Int64").where(tab["shown"]),
        "share": share.where(tab["shown"] & (tab["org_w"] > 0)).astype(float),
        "ref_share": ref.where(tab["org"].isin(shown_orgs)).astype(float),
        "flag": np.where(tab["shown"], "", "suppressed"),
    })
    pooled = pool["org_w"].reindex(targets, fill_value=0.0) > 0  # some organisation shows it
    with np.errstate(invalid="ignore", divide="ignore"):
        wave_share = (pool["w"] / pool["org_w"]).reindex(targets)
    wave = pd.DataFrame({
        "org": "",
        "target": targets,
        "n": pd.array(pool["n"].reindex(targets).to_numpy(), dtype="Int64"),
        "share": wave_share.to_numpy(dtype=float),
        "ref_share": np.nan,
        "flag": np.where(pooled.to_numpy(), "", "suppressed"),
    })
    wave.loc[~pooled.to_numpy(), ["n", "share"]] = pd.NA
    shares = pd.concat([wave, shares], ignore_index=True)[SHARES_COLUMNS]
    shares["flag"] = shares["flag"].astype("str")

    # ---- texts: redacted, names scrubbed, seeded sample ---------------------------------------
    name_words, name_phrases = _named(target_all, category_all=category_all, domains=domains)
    has_text = text.notna() & org.isin(shown_orgs)
    hidden_pairs = set(zip(shares.loc[shares["flag"] == "suppressed", "org"],
                           shares.loc[shares["flag"] == "suppressed", "target"]))
    tx_target = category[has_text]
    tx_hidden = pd.Series(list(zip(org[has_text], tx_target)), index=tx_target.index).isin(hidden_pairs)
    tx = pd.DataFrame({
        "org": org[has_text],
        "target": tx_target.where(~tx_hidden, ""),  # a hidden count's target is not named
        "text": redact_series(text[has_text]),
    })
    ids = resp["respondent_id"] if "respondent_id" in resp.columns else resp.index.to_series()
    tx["key"] = _sample_key(tx["org"], ids[has_text], seed)
    tx["org_pos"] = tx["org"].map({o: i for i, o in enumerate(eligible)})
    tx = tx.sort_values(["org_pos", "key"], kind="stable")
    sample = tx[tx.groupby("org", sort=False).cumcount() < k_sample].copy()
    sample["text"] = _scrub_names(sample["text"], name_words, name_phrases)
    sample["target_pos"] = sample["target"].map({t: i for i, t in enumerate(targets)})
    sample = sample.sort_values(["org_pos", "target_pos", "key"], kind="stable")
    texts = sample[TEXTS_COLUMNS].reset_index(drop=True).astype("str")

    # ---- frequent words ---------------------------------------------------------------------
    stop = load_stopwords(("nl", "en"))
    words = _words(tx["text"])
    keep = (words.str.len() >= 3) & ~words.isin(stop) & ~words.isin(name_words)
    words = words[keep]
    doc_words = pd.DataFrame({"row": words.index, "org": tx["org"].reindex(words.index).to_numpy(),
                              "word": words.to_numpy()}).drop_duplicates(["row", "word"])
    per_org = doc_words.groupby(["org", "word"], sort=False).size().rename("count").reset_index()
    per_wave = doc_words.groupby("word", sort=False).size().rename("count").reset_index().assign(org="")
    top = pd.concat([per_wave, per_org], ignore_index=True)
    top = top[top["count"] >= MIN_WORD_TEXTS]
    top["org_pos"] = top["org"].map({o: i for i, o in enumerate([""] + eligible)})
    top = top.sort_values(["org_pos", "count", "word"], ascending=[True, False, True], kind="stable")
    top = top.groupby("org_pos", sort=False).head(k_words)
    words_out = top[WORDS_COLUMNS].reset_index(drop=True)
    words_out = words_out.astype({"org": "str", "word": "str", "count": "int64"})

    return {"pluim_shares": shares, "pluim_texts": texts, "pluim_words": words_out}


def _hidden_counts(tab: pd.DataFrame, targets: list[str], min_n: int) -> pd.Series:
    """Counts of pluimen to hide per organisation x target: the targets (and those who gave
    only a text, a group never shown but following from the total) are siblings beside the
    organisation's count of any pluim; one pattern per organisation (:func:`family_pattern`).
    A count of 0 hides nothing and is shown; with fewer than ``min_n`` pluimen in all, every
    non-zero count of the organisation is hidden."""
    specific = tab[tab["target"] != ""]
    anyone = tab[tab["target"] == ""].set_index("org")["n"].astype(float)
    rest = (anyone - specific.groupby("org", sort=False)["n"].sum().reindex(anyone.index, fill_value=0))
    members = pd.concat([specific[["org", "target", "n"]],
                         pd.DataFrame({"org": rest.index, "target": "\x00text only", "n": rest.to_numpy()})],
                        ignore_index=True)
    pattern = family_pattern(members, family=["org"], member="target", row=[], min_n=min_n)
    hidden = hidden_rows(tab, pattern, min_n=min_n) & (tab["n"].to_numpy() > 0)
    return pd.Series(hidden, index=tab.index)


def _categorise(target: pd.Series, lower: dict[str, str]) -> pd.Series:
    low = target.str.lower()
    return low.map(lower).where(low.isin(list(lower)), NAMED).where(target.notna(), "")


def _named(target: pd.Series, *, category_all: pd.Series,
           domains: Sequence[str]) -> tuple[frozenset[str], pd.Series]:
    """Name words (lower case) and the whole named-target phrases of the wave.

    The phrases come as a Series of phrases indexed by their first word (lower case), longest
    first, so that only the phrases that can occur in a text need to go into a pattern.

    See the module docstring for the rules. Works on the unique named targets, vectorised.
    """
    named = pd.Series(target[category_all == NAMED].dropna().unique(), dtype="str")
    named = named.str.replace(r"\s+", " ", regex=True).str.strip().drop_duplicates()
    named = named[named != ""].reset_index(drop=True)
    if named.empty:
        return frozenset(), pd.Series([], dtype="str")
    tok = named.str.findall(_WORD_RE).explode().dropna().astype("str")
    low = tok.str.lower()
    stop = load_stopwords(("nl", "en"))
    never = stop | NON_NAME_WORDS | {d.lower() for d in domains}
    is_team = low.isin(TEAM_WORDS).groupby(level=0).any().reindex(named.index, fill_value=False)
    content = ~low.isin(stop | NON_NAME_WORDS) & (low.str.len() >= 2)
    has_content = content.groupby(level=0).any().reindex(named.index, fill_value=False)
    # name words of person targets
    n_words = tok.groupby(level=0).size()
    short = pd.Series(tok.index.map(n_words) <= NAME_MAX_WORDS, index=tok.index)
    capital = tok.str.slice(0, 1).str.isupper()
    person = pd.Series(~tok.index.map(is_team).to_numpy(dtype=bool), index=tok.index)
    name_words = low[person & ~low.isin(never) & (low.str.len() >= 2) & (short | capital)]
    # whole phrases (longest first, so a longer name wins over its prefix)
    keep = has_content.to_numpy(dtype=bool)
    phrases = pd.Series(named[keep].to_numpy(), index=low.groupby(level=0).first().reindex(
        named.index).to_numpy()[keep], dtype="str")
    phrases = phrases.iloc[np.argsort(-phrases.str.len().to_numpy(), kind="stable")]
    return frozenset(name_words.unique().tolist()), phrases


def _scrub_names(texts: pd.Series, names: frozenset[str], phrases: pd.Series) -> pd.Series:
    """Replace named-target phrases and name words (case-insensitive) by ``[naam]``."""
    if texts.empty:
        return texts
    out = texts
    words = set(texts.str.lower().str.findall(_WORD_RE).explode().dropna().tolist())
    phrases = phrases[phrases.index.isin(words)]  # only those that can occur in these texts
    if len(phrases):
        alternatives = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        out = out.str.replace(pattern, NAME_TOKEN, regex=True)
    if names:
        def repl(m):
            return NAME_TOKEN if m.group(0).lower() in names else m.group(0)

        out = out.str.replace(_WORD_RE, repl, regex=True)
    return out.str.replace(_NAME_RUN_RE, NAME_TOKEN, regex=True, case=False)


def most_praised(pluim_shares: pd.DataFrame, *, include_named: bool = False) -> pd.DataFrame:
    """The services with most pluimen group-wide, most first.

    Parameters
    ----------
    pluim_shares : DataFrame
        The ``pluim_shares`` table (uses its wave rows, ``org == ""``).
    include_named : bool, default False
        Also list ``"named"`` (pluimen to persons and teams, aggregated).

    Returns
    -------
    DataFrame
        ``target, n, share, rank`` (rank 1 = most pluimen; ties share the lowest rank), sorted
        by ``n`` descending then target. Targets with no pluim are listed with ``n == 0``.

    Raises
    ------
    ValueError
        If columns are missing.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"org": ["", "", "", "", "A"], "target": ["ict", "hr", "named", "", "ict"],
    ...                   "n": [5, 9, 20, 34, 1], "share": [.05, .09, .2, .34, .1],
    ...                   "ref_share": [None] * 5, "flag": [""] * 5})
    >>> most_praised(s)
      target  n  share  rank
    0     hr  9   0.09     1
    1    ict  5   0.05     2
    """
    need = {"org", "target", "n", "share"}
    if not isinstance(pluim_shares, pd.DataFrame) or not need <= set(pluim_shares.columns):
        raise ValueError(f"most_praised() needs a pluim_shares table with columns {sorted(need)}")
    wave = pluim_shares[(pluim_shares["org"].fillna("") == "") & (pluim_shares["target"].fillna("") != "")]
    if "flag" in wave.columns:
        wave = wave[wave["flag"].fillna("") != "suppressed"]
    if not include_named:
        wave = wave[wave["target"] != NAMED]
    out = wave[["target", "n", "share"]].sort_values(["n", "target"], ascending=[False, True], kind="stable")
    out = out.reset_index(drop=True)
    out["rank"] = out["n"].rank(method="min", ascending=False).astype("int64")
    return out
