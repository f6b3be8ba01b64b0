"""The validated parameters of one benchmark report (:func:`report_config`).

The notebook's ``parameters`` cell holds literals only; its next cell calls :func:`report_config`,
which checks every value against the prepared results and fails with a clear message (an
unknown organisation names the close matches, an organisation below the anonymity threshold
gets no report, a threshold other than the one the results were prepared with is refused).
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..config import Instrument
from ..prepared import Prepared
from ..publish import Published
from .i18n import LANGUAGES, use_instrument

_CACHE: dict[tuple[str, int], Prepared] = {}


class ReportError(ValueError):
    """A report cannot be made with these parameters; the message says why and what to do."""


def open_prepared(folder: str | Path) -> Prepared:
    """The (cached) reader of a prepared folder, its numbers rounded for publication
    (:class:`ikto_lib.publish.Published`: everything a report shows, charts and Excel included).

    Cached per folder and manifest modification time: the tables are the same for every
    organisation of a batch, so a kernel reused across organisations reads them once. Nothing
    organisation-specific is cached.
    """
    folder = Path(folder).resolve()
    manifest = folder / "manifest.json"
    if not manifest.exists():
        raise ReportError(f"{folder}: no prepared results (manifest.json missing); run the prepare step first")
    key = (str(folder), manifest.stat().st_mtime_ns)
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = Published(folder)
    return _CACHE[key]


class PreparedView:
    """What every report config reads from its prepared folder (``prepared_dir``, ``language``)."""

    prepared_dir: Path
    language: str

    @property
    def data(self) -> Prepared:
        return open_prepared(self.prepared_dir)

    @cached_property
    def manifest(self) -> dict:
        return self.data.manifest

    @cached_property
    def settings(self) -> dict:
        return dict(self.manifest.get("settings", {}))

    @cached_property
    def instrument(self) -> Instrument:
        return Instrument.model_validate(self.manifest["instrument"])

    @property
    def asks_grade(self) -> bool:
        return self.instrument.grade is not None

    @property
    def asks_pluim(self) -> bool:
        return self.instrument.pluim is not None

    @property
    def has_benchmark(self) -> bool:
        """Organisations are compared: the instrument says so and more than one has a report."""
        o = self.data.organisations
        return bool(self.instrument.benchmark) and int(o["eligible"].astype(bool).sum()) > 1

    @property
    def peers_distinct(self) -> bool:
        """The peer groups differ from the benchmark: the organisations with a report are of more
        than one type (with one type, 'comparable organisations' would repeat the benchmark)."""
        o = self.data.organisations
        return o.loc[o["eligible"].astype(bool), "type"].astype(str).nunique() > 1

    @property
    def has_priorities(self) -> bool:
        """Drivers and priorities need an outcome (grade or overall item) and a benchmark."""
        return self.instrument.outcome_id is not None and self.has_benchmark

    def domain_name(self, domain: str) -> str:
        try:
            return self.instrument.domain_name(domain, self.language)
        except KeyError:
            return domain


@dataclass(frozen=True)
class ReportConfig(PreparedView):
    """Everything a section needs to know besides the prepared tables."""

    org: str
    wave: str
    previous_wave: str | None
    language: str
    prepared_dir: Path
    min_n: int
    name_peers: bool

    @cached_property
    def organisation(self) -> pd.Series:
        o = self.data.organisations
        return o[o["org"].astype(str) == self.org].iloc[0]

    @cached_property
    def memo(self) -> dict:
        """Frames computed once per report (:func:`ikto_lib.report.data.per_report`)."""
        return {}

    @property
    def org_name(self) -> str:
        return str(self.organisation["name"])

    @property
    def org_type(self) -> str:
        return str(self.organisation["type"])

    @property
    def peers_available(self) -> bool:
        return bool(self.organisation.get("peers_available", False)) and self.peers_distinct

    @property
    def previous_available(self) -> bool:
        return self.previous_wave is not None and bool(self.organisation.get("previous_available", False))


def check_parameters(prepared: str | Path, *, wave: str | None, previous_wave: str | None, language: str,
                     min_n: int | None) -> tuple[Prepared, str, str | None, int]:
    """The checks every report (organisation or group) makes against its prepared results.

    Returns ``(prepared reader, wave, previous wave or None, min_n)``; see :func:`report_config`
    for the meaning of the parameters. Raises :class:`ReportError` naming the bad value.
    """
    if language not in LANGUAGES:
        raise ReportError(f"language {language!r} is not supported; use one of: {', '.join(LANGUAGES)}")
    folder = Path(prepared).expanduser()
    data = open_prepared(folder)
    manifest = data.manifest
    settings = manifest.get("settings", {})
    use_instrument(Instrument.model_validate(manifest["instrument"]))  # the survey's own words in every text
    if wave not in (None, "") and str(wave) != str(manifest.get("wave")):
        raise ReportError(f"the prepared results in {folder} are of wave {manifest.get('wave')!r}, not {wave!r}")
    prepared_prev = manifest.get("previous_wave")
    if previous_wave is None:
        prev = prepared_prev
    elif previous_wave == "":
        prev = None
    elif prepared_prev is None or str(previous_wave) != str(prepared_prev):
        raise ReportError(
            f"previous wave {previous_wave!r} was not prepared: the results in {folder} were compared with "
            f"{prepared_prev!r}; prepare again with that previous wave, or pass previous_wave=''"
        )
    else:
        prev = str(previous_wave)
    prepared_min_n = int(settings.get("min_n", 10))
    if min_n is not None and int(min_n) != prepared_min_n:
        raise ReportError(
            f"min_n={min_n} differs from the anonymity threshold the results were prepared with "
            f"({prepared_min_n}); prepare again with --min-n {min_n}"
        )
    return data, str(manifest.get("wave", wave or "")), None if prev is None else str(prev), prepared_min_n


def report_config(
    org: str,
    *,
    prepared: str | Path,
    wave: str | None = None,
    previous_wave: str | None = None,
    language: str = "nl",
    min_n: int | None = None,
    name_peers: bool | None = None,
) -> ReportConfig:
    """Validate the report parameters against the prepared results.

    Parameters
    ----------
    org : organisation code (``organisations.org``).
    prepared : folder of the prepared results.
    wave : the wave the results must belong to (``None``: whatever they hold).
    previous_wave : the previous wave to compare with; ``""`` = do not show a comparison with a
        previous wave; ``None`` = the one the results were prepared with, if any.
    language : ``"nl"`` or ``"en"``.
    min_n : anonymity threshold; must equal the one the results were prepared with
        (``None``: take it from the results).
    name_peers : name other organisations in the ranking (``None``: the prepared setting).

    Raises
    ------
    ReportError
        With a message that names the bad value and the valid ones.
    """
    data, wave, prev, prepared_min_n = check_parameters(prepared, wave=wave, previous_wave=previous_wave,
                                                        language=language, min_n=min_n)
    folder = Path(prepared).expanduser()
    manifest = data.manifest
    settings = manifest.get("settings", {})
    orgs = data.organisations
    codes = orgs["org"].astype(str).tolist()
    if org not in codes:
        close = difflib.get_close_matches(str(org), codes, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else f"; known organisations: {', '.join(sorted(codes)[:20])}"
        raise ReportError(f"unknown organisation {org!r} in wave {manifest.get('wave')}{hint}")
    row = orgs[orgs["org"].astype(str) == org].iloc[0]
    if not bool(row.get("eligible", True)):
        raise ReportError(
            f"organisation {org!r} has fewer than {prepared_min_n} respondents: no report (anonymity threshold)"
        )
    return ReportConfig(
        org=str(org),
        wave=wave,
        previous_wave=prev,
        language=language,
        prepared_dir=folder.resolve(),
        min_n=prepared_min_n,
        name_peers=bool(settings.get("name_peers", False)) if name_peers is None else bool(name_peers),
    )


def manifest_of(folder: str | Path) -> dict:
    """The manifest of a prepared folder (a plain read, for callers that need no config)."""
    return json.loads((Path(folder) / "manifest.json").read_text())
