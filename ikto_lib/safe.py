"""Rules that keep hostile input from escaping or executing: codes, output paths, terminal text.

Organisation codes become file names (``<org>.html``, ``<org>.xlsx``), so they follow a safe
pattern (:data:`ORG_CODE`): 1-64 letters, digits, ``-``, ``_`` or ``.``, not starting with ``.``,
and not a name the output folder uses itself (:data:`RESERVED`, compared case-insensitively).
Unit codes are never file names but appear in reports and workbooks, so they may hold spaces and
ordinary punctuation (:data:`UNIT_CODE`), start with a letter or digit (never ``=``, ``+``, ``-``,
``@``: text a spreadsheet reads as a formula) and hold no control characters.

:func:`output_path` is the one way to build the path of an output named after a code; it checks
the code again and that the resolved path stays inside the output folder (defence in depth: the
code was validated when the wave was loaded). :func:`terminal` makes a message safe to print
(no ANSI escape sequences or other control characters from the data).

>>> org_code_problem("MINBZK"), org_code_problem("GEM-AMS"), org_code_problem("WS.HDSR_2")
(None, None, None)
>>> org_code_problem("../../escaped")
"1 to 64 letters, digits, '-', '_' or '.' (not starting with '.')"
>>> print(org_code_problem("Index"))
not a name the output folder uses itself (index, group, prepared, logs, exports, manifest, ...)
>>> unit_code_problem("Vergunningen, Toezicht en Handhaving"), unit_code_problem("=1+2") is None
(None, False)
>>> terminal("bad \\x1b[31mred\\x1b[0m value\\x07")
'bad red value'
"""

from __future__ import annotations

import re
from pathlib import Path

#: Organisation code: becomes a file name, so ASCII letters, digits and ``-_.`` only.
ORG_CODE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}")
#: Unit code: a name shown in reports; starts with a letter or digit, no control characters.
UNIT_CODE = re.compile(r"[^\W_][\w .,&'()/+-]{0,99}")
MAX_ORG_CODE, MAX_UNIT_CODE = 64, 100
#: Names the output folder uses itself (and names Windows cannot hold): never an org code.
RESERVED = frozenset(
    {"index", "group", "prepared", "logs", "exports", "manifest", "con", "prn", "aux", "nul"}
    | {f"{dev}{i}" for dev in ("com", "lpt") for i in range(1, 10)})

ORG_RULE = "1 to 64 letters, digits, '-', '_' or '.' (not starting with '.')"
UNIT_RULE = ("1 to 100 characters: letters, digits, spaces and - _ . , & ' ( ) / +, "
             "starting with a letter or digit")
RESERVED_RULE = ("not a name the output folder uses itself (index, group, prepared, logs, "
                 "exports, manifest, ...)")

_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_VISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


class UnsafePath(ValueError):
    """An output name that is not a safe code, or a path that would leave the output folder."""


def org_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid organisation code (``None``: valid)."""
    if not ORG_CODE.fullmatch(code):
        return ORG_RULE
    if code.lower() in RESERVED:
        return RESERVED_RULE
    return None


def unit_code_problem(code: str) -> str | None:
    """Why ``code`` is not a valid unit code (``None``: valid)."""
    return None if UNIT_CODE.fullmatch(code) else UNIT_RULE


def output_path(folder: str | Path, name: str, suffix: str, *, allow: tuple[str, ...] = ()) -> Path:
    """``folder / (name + suffix)`` for an output named after a code, checked twice.

    ``name`` must be a valid organisation code, or one of ``allow`` (the batch's own names such
    as ``"group"``); the resolved path must lie directly inside the resolved ``folder``.
    Raises :class:`UnsafePath` otherwise.

    >>> output_path("/out/2015", "MINBZK", ".html").name
    'MINBZK.html'
    >>> output_path("/out/2015", "../../escaped", ".html")
    Traceback (most recent call last):
    ...
    ikto_lib.safe.UnsafePath: output name '../../escaped': 1 to 64 letters, digits, '-', '_' or '.' (not starting with '.')
    """
    name = str(name)
    if name not in allow:
        problem = org_code_problem(name)
        if problem:
            raise UnsafePath(f"output name {terminal(name)[:80]!r}: {problem}")
    root = Path(folder).resolve()
    path = (root / f"{name}{suffix}").resolve()
    if path.parent != root:
        raise UnsafePath(f"output {terminal(str(path))!r} would lie outside {root}")
    return path


def visible(text: object) -> str:
    r"""``text`` with every control character written as an escape (``\x1b``, ``\n``), so a
    cell's value is shown exactly, on one line, and never acts on the terminal.

    >>> print(visible("Unit\x1b[31m\nrow 2"))
    Unit\x1b[31m\nrow 2
    """
    return _VISIBLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def terminal(text: object) -> str:
    """``text`` without ANSI escape sequences and control characters (line breaks and tabs kept),
    safe to print to a terminal or a log."""
    return _CONTROL.sub("", _ANSI.sub("", str(text)))
