"""The prepared results: the one reader and writer of ``prepared/``.

``prepared/`` holds full precision and is internal, not for distribution (a
``NOT_FOR_DISTRIBUTION.txt`` says so); distributed outputs read it rounded through
:class:`ikto_lib.publish.Published`.

A batch computes these tables once (:mod:`ikto_lib.prepare`); reports, Excel workbooks, the index
and the analysts' widgets only read them. Anonymity is applied before anything is written: a
suppressed cell has ``flag == "suppressed"`` and no value, no interval and no n.

Tables (tidy parquet files in ``prepared/``; empty string = "not applicable" in key columns):

results
    One row per group x domain x item x measure (x comparison). Columns :data:`RESULTS_COLUMNS`.
    ``org`` empty = the whole wave (eligible organisations); ``unit`` empty = the whole
    organisation; ``breakdown``/``category`` name a background variable and its category (or
    ``"type"`` and an organisation type for wave-level type totals), empty for none; ``domain`` and
    ``item`` empty for overall figures; ``measure`` one of :data:`MEASURES`; ``comparison`` empty
    for a plain estimate, else ``benchmark``, ``peers`` or ``previous``; ``flag`` one of
    :data:`FLAGS` (empty for a plain estimate that is shown).
organisations
    One row per organisation of the wave: ``org, name, type, eligible, respondents, headcount,
    response_rate, margin_of_error, weighted, peers_available, previous_available, n_units``
    (``n_units``: units known from the headcount or the answers).
    ``respondents``/``response_rate`` are missing where the organisation is below ``min_n``.
response
    Response per organisation x breakdown (``unit`` or a background variable) x category:
    ``org, breakdown, category, respondents, headcount, response_rate, low_response, flag``;
    hidden by the same pattern as the family's figures in ``results`` (units and categories
    nobody answered from are listed, hidden).
representativeness
    Chi-square goodness of fit per organisation x breakdown: ``org, breakdown, chi2, dof, p,
    n_categories``.
ranking
    Per eligible organisation x domain: ``org, type, domain, value, rank, n_orgs, quartile,
    peer_rank, peer_n_orgs``.
best_practices
    Per domain the organisations significantly above their benchmark: ``domain, org, value,
    ref_value, diff, p_adj, position``.
reliability
    Cronbach's alpha: ``org`` (empty = wave), ``domain, alpha, ci_low, ci_high, n, low``.
drivers
    Johnson's relative weights: ``org`` (empty = wave), ``domain, r, raw_weight, share,
    share_low, share_high`` (seeded bootstrap interval of the share), ``r2, n, source`` (``org``
    or ``wave``: whose analysis a report uses).
priorities
    ``org, domain, performance, importance, importance_low, importance_high, median_importance,
    quadrant, flag, previous_flag``; quadrant one of :data:`QUADRANTS` (rule:
    :func:`ikto_lib.prepare.extras.priorities`).
pluim_shares
    ``org`` (empty = wave), ``target`` (a domain id, ``named`` for persons/teams, empty = any),
    ``n, share, ref_share, flag``; a count of 1..min_n-1 is hidden with its share, with
    complementary suppression among an organisation's targets; the wave rows and ``ref_share``
    pool shown counts only.
pluim_texts
    ``org, target, text``: a seeded sample, redacted, only for organisations at/above ``min_n``.
pluim_words
    ``org`` (empty = wave), ``word, count``.
grade_distribution
    Share of each grade: ``scope`` (``type`` or ``wave``), ``category`` (the type; empty for the
    wave), ``grade``, ``share`` (weighted), ``n`` (respondents with a grade in the scope).

The whole wave is compared with the previous wave too: ``results`` rows with ``org = ""`` and
``comparison = "previous"``.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path

import pandas as pd

RESULTS_COLUMNS = [
    "org", "unit", "breakdown", "category", "domain", "item", "measure", "n", "n_eff", "value",
    "ci_low", "ci_high", "comparison", "ref_value", "ref_n", "diff", "p", "p_adj", "effect_size",
    "flag",
]
MEASURES = (
    "respondents", "top2", "mean", "grade_mean", "grade_pass", "nvt_share", "skip_share",
)
COMPARISONS = ("benchmark", "peers", "previous")
FLAGS = ("higher", "lower", "no difference", "not tested", "suppressed")
QUADRANTS = ("verbeteren", "aandacht", "behouden", "bewaken", "geen verschil")
TABLES = (
    "results", "organisations", "response", "representativeness", "ranking", "best_practices",
    "reliability", "drivers", "priorities", "pluim_shares", "pluim_texts", "pluim_words",
    "grade_distribution",
)


#: Settings that change how a batch runs or presents, not what the prepared tables hold.
PRESENTATION_SETTINGS = {"workers", "report_timeout", "language", "name_peers", "share_decimals",
                         "mean_decimals"}


def prepared_fingerprint(wave, previous, settings) -> str:
    """Hash of everything the prepared tables depend on: the data of both waves, the settings
    that change figures, and the library (version and source)."""
    import hashlib

    from .fingerprint import library_fingerprint

    payload = {
        "wave": wave.fingerprint,
        "previous": previous.fingerprint if previous is not None else None,
        "settings": settings.model_dump(exclude=PRESENTATION_SETTINGS),
        "ikto": library_fingerprint(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def prepared_current(wave, previous, settings, folder) -> bool:
    """Whether ``folder`` holds prepared results of exactly these inputs (its manifest's
    fingerprint matches); cheap: imports no statistics."""
    try:
        manifest = json.loads((Path(folder) / "manifest.json").read_text())
    except (OSError, ValueError):
        return False
    return manifest.get("prepared_fingerprint") == prepared_fingerprint(wave, previous, settings)


#: Tables written sorted by organisation in row groups of :data:`ROW_GROUP_ROWS` rows, so that a
#: reader of one organisation (:meth:`Prepared.rows`) skips the other organisations' row groups.
SORTED_BY_ORG = ("results", "response")
ROW_GROUP_ROWS = 20_000


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes 0600; outputs are for readers too
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_table(folder: Path, name: str, frame: pd.DataFrame) -> Path:
    """Write one prepared table atomically as ``folder/name.parquet``."""
    if name not in TABLES:
        raise ValueError(f"unknown prepared table {name!r}; expected one of {', '.join(TABLES)}")
    path = Path(folder) / f"{name}.parquet"
    buf = io.BytesIO()
    frame = frame.reset_index(drop=True)
    if "org" in frame.columns and name in SORTED_BY_ORG:  # stable: the order within an org kept
        frame = frame.sort_values("org", kind="stable", ignore_index=True)
    frame.to_parquet(buf, index=False, row_group_size=ROW_GROUP_ROWS)
    atomic_write_bytes(path, buf.getvalue())
    return path


def write_manifest(folder: Path, manifest: dict) -> Path:
    path = Path(folder) / "manifest.json"
    atomic_write_bytes(path, json.dumps(manifest, indent=2, sort_keys=True).encode())
    return path


class Prepared:
    """Read access to a ``prepared/`` folder; tables are read lazily and cached.

    >>> import tempfile, pandas as pd
    >>> d = tempfile.mkdtemp()
    >>> _ = write_table(d, "reliability", pd.DataFrame({"org": [""], "alpha": [0.8]}))
    >>> float(Prepared(d).reliability["alpha"].iloc[0])
    0.8
    """

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self._cache: dict[str, pd.DataFrame] = {}

    def table(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise ValueError(f"unknown prepared table {name!r}; expected one of {', '.join(TABLES)}")
        if name not in self._cache:
            path = self.folder / f"{name}.parquet"
            if not path.exists():
                raise FileNotFoundError(f"{path}: prepared table missing; run the prepare step")
            self._cache[name] = pd.read_parquet(path)
        return self._cache[name]

    def rows(self, name: str, org: str, *, wave: bool = True) -> pd.DataFrame:
        """The rows of table ``name`` for organisation ``org`` (and, with ``wave``, the wave's
        own rows, ``org == ""``), read with a parquet filter: only the row groups that can hold
        them are read, so the cost follows the organisation's size, not the wave's. From the
        cache when the whole table was read already."""
        if name not in TABLES:
            raise ValueError(f"unknown prepared table {name!r}; expected one of {', '.join(TABLES)}")
        wanted = [str(org)] + ([""] if wave else [])
        if name in self._cache:
            frame = self._cache[name]
            return frame[frame["org"].astype(str).isin(wanted)].reset_index(drop=True)
        path = self.folder / f"{name}.parquet"
        if not path.exists():
            raise FileNotFoundError(f"{path}: prepared table missing; run the prepare step")
        return pd.read_parquet(path, filters=[("org", "in", wanted)])

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name in TABLES:
            return self.table(name)
        raise AttributeError(name)

    @property
    def manifest(self) -> dict:
        return json.loads((self.folder / "manifest.json").read_text())
