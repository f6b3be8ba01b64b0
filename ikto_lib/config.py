"""Settings (``parameters/settings.yml``) and instrument (``parameters/instrument.yml``).

Both are validated when loaded: an unknown key, a missing key or a wrong type raises
:class:`ConfigError` naming the file and the key, so a typo never silently falls back to a default.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def parameters_dir() -> Path:
    """Folder holding ``settings.yml`` and ``instrument.yml``: ``$IKTO_PARAMETERS``, else the
    project's ``parameters/`` (found from the working folder upwards, or the checkout), else the
    defaults shipped in the wheel (:func:`ikto_lib.paths.parameters_dir`)."""
    from .paths import parameters_dir as _find

    return _find()


class ConfigError(ValueError):
    """A configuration file is invalid; the message names the file and the key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)  # "12" is not 12, "off" not False


class Settings(_Strict):
    """Every default of methods.md. Field docs are in ``parameters/settings.yml``."""

    min_n: int = Field(ge=1)
    attack_pin_width: int = Field(ge=0)
    attack_share_width: float = Field(ge=0, le=1)
    alpha: float = Field(gt=0, lt=1)
    min_diff_top2: float = Field(ge=0, le=1)
    min_hedges_g: float = Field(ge=0)
    min_items_share: float = Field(gt=0, le=1)
    confidence: float = Field(gt=0, lt=1)
    weighting: bool
    name_peers: bool
    peer_min_orgs: int = Field(ge=1)
    language: Literal["nl", "en"]
    pluim_sample: int = Field(ge=0)
    seed: int
    min_reliability: float = Field(ge=0, le=1)
    reliability_min_n: int = Field(ge=3)
    driver_min_n: int = Field(ge=3)
    importance_bootstrap: int = Field(ge=0)
    pluim_top_words: int = Field(ge=0)
    report_timeout: int = Field(ge=1)
    workers: int = Field(ge=1)
    unit_report_min_n: int = Field(ge=1)
    share_decimals: int = Field(ge=1, le=6)
    mean_decimals: int = Field(ge=0, le=6)
    straightline_min_items: int = Field(ge=2)
    almost_empty_share: float = Field(ge=0, le=1)

    def replace(self, **changes) -> "Settings":
        """A copy with ``changes`` applied and validated (``None`` values are ignored)."""
        data = self.model_dump()
        data.update({k: v for k, v in changes.items() if v is not None})
        return _validate(Settings, data, "the options given (--min-n, --language, --no-weighting, or the same arguments in Python)")


Text = dict[Literal["nl", "en"], str]


class Scale(_Strict):
    """The answer scale of the items: codes ``min``..``max`` (2 to 11 points), their labels, and
    which codes form the positive box (``top2``, e.g. 4 and 5 of 5, or "zeer tevreden" and
    "uiterst tevreden") and the negative box (``bottom2``)."""

    min: int = Field(description="Smallest code of the scale (e.g. 1).")
    max: int = Field(description="Largest code of the scale (e.g. 5); 2 to 11 points in all.")
    top2: list[int] = Field(description="Codes of the positive box (any number of codes, e.g. [4, 5]).")
    bottom2: list[int] = Field(description="Codes of the negative box (e.g. [1, 2]).")
    labels: dict[Literal["nl", "en"], list[str]] = Field(
        description="One label per code, from min to max, per language (nl, en).")

    @model_validator(mode="after")
    def _check(self):
        codes = set(range(self.min, self.max + 1))
        if not 2 <= len(codes) <= 11:
            raise ValueError(f"a scale has 2 to 11 points, this one {len(codes)} (min {self.min}, max {self.max})")
        if not set(self.top2) <= codes or not set(self.bottom2) <= codes:
            raise ValueError("top2 and bottom2 must be codes of the scale")
        if not self.top2:
            raise ValueError("top2 (the positive box) needs at least one code")
        if set(self.top2) & set(self.bottom2):
            raise ValueError("a code cannot be in both top2 and bottom2")
        for lang, labels in self.labels.items():
            if len(labels) != len(codes):
                raise ValueError(f"labels.{lang} needs {len(codes)} labels, one per code")
        return self


class NvtCode(_Strict):
    code: int = Field(description="A further code meaning no answer on the scale (e.g. 8 = weet niet).")
    label: Text = Field(description="Its label per language.")


class Nvt(_Strict):
    """The code(s) outside the scale meaning "not applicable / no opinion": missing for every
    statistic, their share reported per item."""

    code: int = Field(description="The n.v.t. code (e.g. 9); outside the scale.")
    label: Text = Field(description="Its label per language.")
    other: list[NvtCode] = Field(default=[], description="Further such codes, e.g. 'weet niet' beside 'n.v.t.'.")

    @property
    def codes(self) -> list[int]:
        """Every n.v.t. code, the main one first."""
        return [self.code] + [o.code for o in self.other]


class Grade(_Strict):
    """An overall grade question (e.g. 1..10); leave ``grade`` out when the survey did not ask one."""

    id: str = Field(description="Column of the grade in the responses.")
    min: int = Field(description="Lowest grade.")
    max: int = Field(description="Highest grade.")
    pass_mark: int = Field(description="Lowest passing grade (its share is reported).")
    text: Text = Field(description="The question, per language.")


class Pluim(_Strict):
    """An open compliment question (who, and why); leave ``pluim`` out when not asked."""

    target: str = Field(description="Column naming the domain the compliment is for.")
    text: str = Field(description="Column of the free text.")
    question: Text = Field(description="The question, per language.")


class Named(_Strict):
    id: str = Field(description="Identifier as it appears in the data.")
    name: Text = Field(description="Name per language, as the reports show it.")


class Background(Named):
    categories: list[str] = Field(description="The categories, in report order.")


class Item(_Strict):
    id: str = Field(description="Column of the item in the responses.")
    domain: str = Field(description="Id of its domain (theme).")
    text: Text = Field(description="Question text per language.")
    overall: bool = Field(default=False, description="The domain's overall item (not part of the domain score).")
    previous_id: str | None = Field(default=None, description="Its id in the previous wave, when it differed.")
    reversed: bool = Field(default=False, description="Its positive end is the scale's lowest code: recoded "
                                                      "max+min-code before anything is computed.")
    kind: Literal["scale", "yesno"] = Field(default="scale", description="scale: answered on the scale; "
                                            "yesno: a yes/no question, reported as the share yes.")


class YesNo(_Strict):
    """Codes of yes/no items (needed when an item has ``kind: yesno``)."""

    yes_code: int = Field(description="Code of yes (named yes_code: YAML reads a bare yes as true).")
    no_code: int = Field(description="Code of no.")
    labels: dict[Literal["nl", "en"], list[str]] = Field(description="Labels [yes, no] per language.")


class Measure(_Strict):
    """Name of the positive-box share in reports, Excel, index and workbench."""

    name: Text = Field(description="e.g. {nl: '(Zeer) tevreden', en: '(Very) satisfied'}, "
                                   "{nl: 'Positief', en: 'Positive'}, {nl: '(Helemaal) eens', en: '(Strongly) agree'}.")


class ReportText(_Strict):
    """Titles the reports show."""

    title: Text = Field(description="Title of an organisation's report, e.g. 'Benchmarkrapport medewerkersonderzoek'.")
    subtitle: Text | None = Field(default=None, description="Optional line below the title.")
    group_title: Text | None = Field(default=None, description="Title of the group report (default: a generic one).")


class Instrument(_Strict):
    """The survey instrument: scale, n.v.t. code(s), domains, items and the optional parts (grade,
    pluim, background variables, units)."""

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    name: Text = Field(description="Name of the survey per language (cover, index, group report).")
    report: ReportText | None = Field(default=None, description="Report titles; default a generic title.")
    measure: Measure | None = Field(default=None, description="Name of the positive-box share; default "
                                                              "'Positief' / 'Positive'.")
    scale: Scale = Field(description="The answer scale of the items.")
    nvt: Nvt = Field(description="The n.v.t. / weet niet code(s).")
    yesno: YesNo | None = Field(default=None, description="Codes of yes/no items; required when one is declared.")
    grade: Grade | None = Field(default=None, description="The overall grade; leave out when not asked.")
    pluim: Pluim | None = Field(default=None, description="The open compliment question; leave out when not asked.")
    outcome: str | None = Field(default="grade", description="What drivers and priorities explain: 'grade' (when "
                                "asked), an item id (an overall item), or null for no driver analysis.")
    benchmark: bool = Field(default=True, description="false: a survey of one organisation; reports compare "
                            "its units and waves, not organisations.")
    units: bool = Field(default=True, description="false: no units section (the responses still carry a unit "
                        "column; one value per organisation will do).")
    org_types: list[Named] = Field(description="Kinds of organisation (peer groups); one entry when all are alike.")
    background: list[Background] = Field(default=[], description="Background variables (may be empty).")
    domains: list[Named] = Field(description="Domains (themes) in report order.")
    items: list[Item] = Field(description="The items, grouped by domain.")

    @model_validator(mode="after")
    def _check(self):
        domain_ids = [d.id for d in self.domains]
        item_ids = [i.id for i in self.items]
        for kind, ids in (("domain", domain_ids), ("item", item_ids)):
            dup = sorted({i for i in ids if ids.count(i) > 1})
            if dup:
                raise ValueError(f"duplicate {kind} ids: {', '.join(dup)}")
        unknown = sorted({i.domain for i in self.items} - set(domain_ids))
        if unknown:
            raise ValueError(f"items refer to unknown domains: {', '.join(unknown)}")
        for c in self.nvt.codes:
            if c in range(self.scale.min, self.scale.max + 1):
                raise ValueError(f"n.v.t. code {c} must lie outside the scale")
        if len(set(self.nvt.codes)) != len(self.nvt.codes):
            raise ValueError("n.v.t. codes must differ")
        if any(i.kind == "yesno" for i in self.items):
            if self.yesno is None:
                raise ValueError("items of kind yesno need the yesno codes (yesno: {yes_code: 1, no_code: 2, labels: ...})")
            if self.yesno.yes_code == self.yesno.no_code or \
                    {self.yesno.yes_code, self.yesno.no_code} & set(self.nvt.codes):
                raise ValueError("yesno.yes_code and yesno.no_code must differ from each other and from the n.v.t. codes")
        if self.outcome not in (None, "grade") and self.outcome not in item_ids:
            raise ValueError(f"outcome {self.outcome!r} is neither 'grade' nor an item id")
        if self.outcome not in (None, "grade") and self.item(self.outcome).kind != "scale":
            raise ValueError(f"outcome {self.outcome!r} must be an item on the scale")
        return self

    @property
    def outcome_id(self) -> str | None:
        """Column drivers and priorities explain: the grade's column, an item, or ``None``."""
        if self.outcome == "grade":
            return self.grade.id if self.grade is not None else None
        return self.outcome

    @property
    def outcome_is_grade(self) -> bool:
        return self.outcome == "grade" and self.grade is not None

    @property
    def scored_domain_ids(self) -> list[str]:
        """Domains with a domain score: at least one aspect item on the scale."""
        return [d for d, its in self.domain_items().items() if its]

    @property
    def scale_item_ids(self) -> list[str]:
        return [i.id for i in self.items if i.kind == "scale"]

    @property
    def yesno_item_ids(self) -> list[str]:
        return [i.id for i in self.items if i.kind == "yesno"]

    @property
    def reversed_item_ids(self) -> list[str]:
        return [i.id for i in self.items if i.reversed]

    @property
    def extra_columns(self) -> list[str]:
        """Response columns besides the fixed ones, background and items: grade and pluim, when asked."""
        out = [self.grade.id] if self.grade is not None else []
        return out + ([self.pluim.target, self.pluim.text] if self.pluim is not None else [])

    def not_asked(self) -> list[str]:
        """The optional parts this survey did not ask: ``grade``, ``pluim``, ``background``, ``units``."""
        out = [k for k in ("grade", "pluim") if getattr(self, k) is None]
        if not self.background:
            out.append("background")
        if not self.units:
            out.append("units")
        return out

    def measure_name(self, language: str) -> str | None:
        """The positive measure's name, or ``None`` (then the generic name)."""
        return self.measure.name[language] if self.measure is not None else None

    @property
    def item_ids(self) -> list[str]:
        return [i.id for i in self.items]

    @property
    def domain_ids(self) -> list[str]:
        return [d.id for d in self.domains]

    def domain_items(self, *, overall: bool = False) -> dict[str, list[str]]:
        """Scale item ids per domain (yes/no items are items of their own, never part of a domain
        score); the domain overall item only when ``overall``."""
        out: dict[str, list[str]] = {d: [] for d in self.domain_ids}
        for i in self.items:
            if i.kind == "scale" and (overall or not i.overall):
                out[i.domain].append(i.id)
        return out

    def item(self, item_id: str) -> Item:
        for i in self.items:
            if i.id == item_id:
                return i
        raise KeyError(item_id)

    def domain_name(self, domain_id: str, language: str) -> str:
        for d in self.domains:
            if d.id == domain_id:
                return d.name[language]
        raise KeyError(domain_id)

    @property
    def background_ids(self) -> list[str]:
        return [b.id for b in self.background]

    @property
    def type_ids(self) -> list[str]:
        return [t.id for t in self.org_types]


def _validate(model, data, path) -> BaseModel:
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of keys to values at the top level")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"]) or "(top level)"
            msg = "unknown key (typo?)" if err["type"] == "extra_forbidden" else err["msg"]
            lines.append(f"{path}: key '{key}': {msg}")
        raise ConfigError("\n".join(lines)) from None


MAX_YAML_BYTES = 5_000_000  # a settings or instrument file is a few KB; more is not one


def _read_yaml(path: Path):
    """The parsed YAML of ``path``; every way it can fail is a :class:`ConfigError` naming the
    file (missing, unreadable, not UTF-8, too large, nested too deeply, not YAML)."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except OSError as exc:  # no permission, a folder, an I/O error
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or type(exc).__name__})") from None
    if len(raw) > MAX_YAML_BYTES:
        raise ConfigError(f"{path}: {len(raw):,} bytes; a configuration file has at most "
                          f"{MAX_YAML_BYTES:,}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{path}: line {line}: byte 0x{raw[exc.start]:02x} is not UTF-8 (save the "
                          "file as UTF-8)") from None
    try:
        return yaml.safe_load(text)
    except RecursionError:
        raise ConfigError(f"{path}: not valid YAML: nested too deeply") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None


def load_settings(path: str | Path | None = None, **overrides) -> Settings:
    """Load and validate the settings; ``overrides`` (not None) replace file values."""
    path = Path(path) if path else parameters_dir() / "settings.yml"
    settings = _validate(Settings, _read_yaml(path), path)
    return settings.replace(**overrides) if overrides else settings


def load_instrument(path: str | Path | None = None) -> Instrument:
    """Load and validate an instrument file (default ``parameters/instrument.yml``)."""
    path = Path(path) if path else parameters_dir() / "instrument.yml"
    return _validate(Instrument, _read_yaml(path), path)
