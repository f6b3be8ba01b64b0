"""Fingerprint of the library itself: its version plus a hash of its source and templates.

Prepared results and reports record it, so a changed library (its code, not only its version
number) makes them again.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from . import __version__

LIBRARY_ROOT = Path(__file__).resolve().parent
SOURCE_SUFFIXES = {".py", ".j2", ".css", ".json", ".yml", ".txt"}


@lru_cache(maxsize=1)
def library_fingerprint() -> str:
    """``<version>+<16 hex digits of the sha256 of every source file's path and bytes>``."""
    h = hashlib.sha256(__version__.encode())
    for path in sorted(LIBRARY_ROOT.rglob("*")):
        if path.is_file() and path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(LIBRARY_ROOT)).encode())
            h.update(path.read_bytes())
    return f"{__version__}+{h.hexdigest()[:16]}"
