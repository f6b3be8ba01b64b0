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
    pluim_top_words: int = Field(ge=0)
    report_timeout: int = Field(ge=1)
    workers: int = Field(ge=1)
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
    min: int
    max: int
    top2: list[int]
    bottom2: list[int]
    labels: dict[Literal["nl", "en"], list[str]]

    @model_validator(mode="after")
    def _check(self):
        codes = set(range(self.min, self.max + 1))
        if not set(self.top2) <= codes or not set(self.bottom2) <= codes:
            raise ValueError("top2 and bottom2 must be codes of the scale")
        for lang, labels in self.labels.items():
            if len(labels) != len(codes):
                raise ValueError(f"labels.{lang} needs {len(codes)} labels, one per code")
        return self


class Nvt(_Strict):
    code: int
    label: Text


class Grade(_Strict):
    id: str
    min: int
    max: int
    pass_mark: int
    text: Text


class Pluim(_Strict):
    target: str
    text: str
    question: Text


class Named(_Strict):
    id: str
    name: Text


class Background(Named):
    categories: list[str]


class Item(_Strict):
    id: str
    domain: str
    text: Text
    overall: bool = False
    previous_id: str | None = None


class Instrument(_Strict):
    """The survey instrument: scale, n.v.t. code, domains, items, grade, pluim, background."""

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    name: Text
    scale: Scale
    nvt: Nvt
    grade: Grade
    pluim: Pluim
    org_types: list[Named]
    background: list[Background] = []
    domains: list[Named]
    items: list[Item]

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
        if self.nvt.code in range(self.scale.min, self.scale.max + 1):
            raise ValueError("nvt.code must lie outside the scale")
        return self

    @property
    def item_ids(self) -> list[str]:
        return [i.id for i in self.items]

    @property
    def domain_ids(self) -> list[str]:
        return [d.id for d in self.domains]

    def domain_items(self, *, overall: bool = False) -> dict[str, list[str]]:
        """Item ids per domain; the domain overall item only when ``overall``."""
        out: dict[str, list[str]] = {d: [] for d in self.domain_ids}
        for i in self.items:
            if overall or not i.overall:
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
