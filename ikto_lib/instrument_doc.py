"""The instrument schema documented field by field, generated from the pydantic model.

``python -m ikto_lib.instrument_doc > docs/instrument_schema.md`` writes the page; a test checks the
committed page equals :func:`schema_markdown`, so the documentation cannot drift from the code.
"""

from __future__ import annotations

import sys
import typing

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from .config import Instrument

HEADER = """# The instrument file, field by field

Generated from `ikto_lib.config.Instrument` by `python -m ikto_lib.instrument_doc`; do not edit by
hand. An instrument is a YAML file (`parameters/instrument.yml`, a file in `parameters/instruments/`,
or a wave folder's own `instrument.yml`). Unknown keys are refused, naming the file and the key.
Parts marked *optional* may be left out: the reports then leave out everything that depends on them.
"""


def _type_name(annotation) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Literal:
        return " / ".join(repr(a) for a in args)
    if origin in (list, tuple):
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"mapping {_type_name(args[0])} → {_type_name(args[1])}"
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return " or ".join("null" if a is type(None) else _type_name(a) for a in args)
    if isinstance(annotation, type):
        return {"str": "text", "int": "whole number", "bool": "true/false", "float": "number"}.get(
            annotation.__name__, annotation.__name__)
    return str(annotation)


def _models(model: type[BaseModel], seen: list) -> None:
    if model in seen:
        return
    seen.append(model)
    for field in model.model_fields.values():
        for arg in [field.annotation, *typing.get_args(field.annotation)]:
            for inner in [arg, *typing.get_args(arg)]:
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    _models(inner, seen)


def schema_markdown() -> str:
    """The page: one table per model (the instrument first, then its parts)."""
    models: list[type[BaseModel]] = []
    _models(Instrument, models)
    out = [HEADER]
    for model in models:
        doc = " ".join((model.__doc__ or "").split())
        out.append(f"\n## `{model.__name__}`\n")
        if doc:
            out.append(f"{doc}\n")
        out.append("\n| key | type | required | meaning |\n|---|---|---|---|")
        for name, field in model.model_fields.items():
            required = "yes" if field.is_required() else (
                "no (default: " + ("none" if field.default is None else repr(field.default)) + ")"
                if field.default is not PydanticUndefined else "no")
            desc = (field.description or "").replace("|", "\\|")
            kind = _type_name(field.annotation).replace("|", "or")
            out.append(f"| `{name}` | {kind} | {required} | {desc} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(schema_markdown())
