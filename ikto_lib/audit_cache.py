"""The privacy audit's memory: findings per output, keyed by what the output holds.

The audit of a batch looks at every prepared folder, report and workbook, and attacks the
prepared tables. Most of that is unchanged from one batch to the next (an unchanged rerun, or a
rerun after one organisation's report changed). :class:`AuditCache` keeps each output's findings
under a fingerprint of its bytes and of the audit's parameters (``min_n``, the respondent ids,
the attack's settings, the library's version), so :func:`ikto_lib.audit.audit_outputs` audits
only the outputs that changed; findings are cached as well as clean verdicts, so a rerun repeats
neither. The cache is a JSON file (the batch keeps it in ``logs/``, which is never published);
an unreadable cache is simply ignored.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def file_digest(path: Path) -> str:
    """sha256 of a file, or of a folder's ``*.parquet`` files (names and bytes)."""
    h = hashlib.sha256()
    path = Path(path)
    files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    for f in files:
        h.update(f.name.encode() + b"\0")
        with open(f, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def params_digest(*parts) -> str:
    """Digest of the audit's parameters (anything with a stable ``repr``/JSON form)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=repr).encode()).hexdigest()


class AuditCache:
    """Findings per output fingerprint; :meth:`save` keeps only the entries used this run."""

    def __init__(self, path: str | Path, salt: str = ""):
        self.path = Path(path)
        self.salt = salt
        self._old: dict[str, list[dict]] = {}
        self._new: dict[str, list[dict]] = {}
        self.hits = self.misses = 0
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("salt") == salt:
                self._old = dict(data.get("entries", {}))
        except (OSError, ValueError):
            pass

    def key(self, kind: str, path: Path, params: str) -> str:
        return f"{kind}:{path.name}:{file_digest(path)}:{params}"

    def get(self, key: str):
        from .audit import Finding

        found = self._old.get(key, self._new.get(key))
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self._new[key] = found
        return [Finding(**f) for f in found]

    def put(self, key: str, findings) -> None:
        self._new[key] = [{"file": f.file, "location": f.location, "kind": f.kind,
                           "detail": f.detail} for f in findings]

    def save(self) -> None:
        from .prepared import atomic_write_bytes

        atomic_write_bytes(self.path, json.dumps({"salt": self.salt, "entries": self._new})
                           .encode("utf-8"))
