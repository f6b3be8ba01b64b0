"""What each output of a batch was made from, so a rerun redoes only what changed.

``outputs/<wave>/manifest.json`` (next to the reports) holds the following; the prepared tables
have their own ``prepared/manifest.json`` (written by :mod:`ikto_lib.prepare`), whose
``prepared_fingerprint`` decides whether the prepare step runs again and is part of every report's
fingerprint below.

``audit``
    the fingerprint of the audited files (contents) after the last clean privacy audit; an
    unchanged rerun whose files all match it does not audit them again.
``reports``
    per report (organisation code, or ``group``) its fingerprint and the outputs it wrote.

A report's fingerprint (:func:`report_fingerprint`) covers everything its content depends on: the
data fingerprint, the settings that matter for content, the instrument, the notebook file, the
library (its version and a hash of its source, so a changed library re-renders), the language and
the parameters. Saving merges with the file on disk (entries of other runs are kept; see
:meth:`Manifest.save`). An entry is recorded only after all of a report's outputs were written, and the
file itself is replaced atomically, so a batch killed at any moment never leaves an entry for a
report that is not complete.

>>> m = Manifest({})
>>> m.record("ORG", "abc", ["ORG.html"])
>>> m.is_current("ORG", "abc", folder=None)
True
>>> m.is_current("ORG", "abd", folder=None)
False
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..fingerprint import library_fingerprint  # noqa: F401  (used by the batch and its tests)
from ..prepared import atomic_write_bytes

# Settings that change how a batch runs, not what a report says.
RUN_ONLY_SETTINGS = ("report_timeout", "workers")


def digest(obj) -> str:
    """sha256 of a JSON-serialisable object (keys sorted)."""
    text = json.dumps(obj, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_hash(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def content_settings(settings) -> dict:
    data = settings.model_dump() if hasattr(settings, "model_dump") else dict(settings)
    return {k: v for k, v in data.items() if k not in RUN_ONLY_SETTINGS}


def report_fingerprint(*, data: str, settings, instrument, notebook: str | Path, language: str,
                       parameters: dict, library: str | None = None) -> str:
    """Fingerprint of one report's inputs (see the module docstring)."""
    instr = instrument.model_dump(mode="json") if hasattr(instrument, "model_dump") else instrument
    return digest({
        "data": data,
        "settings": content_settings(settings),
        "instrument": digest(instr),
        "notebook": file_hash(notebook),
        "library": library or library_fingerprint(),
        "language": language,
        "parameters": {k: v for k, v in parameters.items() if k != "prepared"},
    })


class Manifest:
    """The batch manifest of one wave's output folder."""

    def __init__(self, data: dict, path: Path | None = None):
        self.path = path
        self.data = {"audit": data.get("audit"), "reports": dict(data.get("reports", {}))}
        self._changed: dict[str, dict | None] = {}  # reports this batch recorded or forgot

    @classmethod
    def load(cls, path: str | Path) -> "Manifest":
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            data = {}  # absent or unreadable: rebuild everything
        return cls(data if isinstance(data, dict) else {}, path)

    def save(self) -> None:
        """Write the manifest, merged with the file as it is now: entries another run wrote
        since this one was loaded are kept (merge, never last-wins); this run's own records and
        removals win for the reports it touched."""
        if self.path is None:
            return
        on_disk = Manifest.load(self.path).data["reports"]
        for name, entry in self._changed.items():
            if entry is None:
                on_disk.pop(name, None)
            else:
                on_disk[name] = entry
        self.data["reports"] = on_disk
        atomic_write_bytes(self.path, json.dumps(self.data, indent=1, sort_keys=True).encode())

    # -- reports ----------------------------------------------------------------------------
    def is_current(self, name: str, fingerprint: str | None, *, folder: Path | None) -> bool:
        """Recorded with this fingerprint (``None``: any) and (when ``folder`` given) all its
        outputs exist."""
        entry = self.data["reports"].get(name)
        if not entry or (fingerprint is not None and entry.get("fingerprint") != fingerprint):
            return False
        return folder is None or all((Path(folder) / f).is_file() for f in entry["outputs"])

    def record(self, name: str, fingerprint: str, outputs: list[str]) -> None:
        entry = {"fingerprint": fingerprint, "outputs": sorted(outputs)}
        self.data["reports"][name] = self._changed[name] = entry
        self.save()

    def forget(self, name: str) -> None:
        if self.data["reports"].pop(name, None) is not None:
            self._changed[name] = None
            self.save()
