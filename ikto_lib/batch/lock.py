"""One batch at a time per output folder: ``outputs/<wave>/.ikto.lock``.

The lock file holds the process id, the host and the time of the batch that writes the folder;
it is created atomically (``O_CREAT | O_EXCL``) and removed when the batch ends. A second batch
on the same folder is refused (:class:`FolderLocked`, exit 2) while the first runs. A lock left
by a batch that died (its process no longer exists on this host) is stale and taken over with a
notice; a lock of another host cannot be checked and is never taken over (remove it by hand when
that batch is known to be gone).
"""

from __future__ import annotations

import json
import os
import socket
import time
from datetime import datetime
from pathlib import Path

LOCK_NAME = ".ikto.lock"


class FolderLocked(Exception):
    """Another batch writes this output folder."""


class OutputLock:
    """Context manager holding ``folder/.ikto.lock``; ``notice`` says whether a stale lock was
    taken over (and whose)."""

    def __init__(self, folder: str | Path):
        self.path = Path(folder) / LOCK_NAME
        self.notice = ""
        self._held = False

    def acquire(self) -> "OutputLock":
        me = {"pid": os.getpid(), "host": socket.gethostname(),
              "time": datetime.now().isoformat(timespec="seconds")}
        for _attempt in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                owner = _read(self.path)
                if not _stale(owner, self.path):
                    raise FolderLocked(
                        f"another batch is writing {self.path.parent} ({_who(owner)}); wait "
                        f"until it ends, or remove {self.path} if that batch no longer runs")
                self.notice = f"took over the stale lock of a batch that no longer runs ({_who(owner)})"
                self.path.unlink(missing_ok=True)
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(me, fh)
            self._held = True
            return self
        raise FolderLocked(f"could not take the lock {self.path}; another batch took it first")

    def release(self) -> None:
        if self._held:
            owner = _read(self.path)
            if owner.get("pid") == os.getpid() and owner.get("host") == socket.gethostname():
                self.path.unlink(missing_ok=True)
            self._held = False

    def __enter__(self) -> "OutputLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _stale(owner: dict, path: Path) -> bool:
    """A lock whose batch is known to be gone: its process does not exist on this host (an
    empty or unreadable lock file older than 10 seconds counts as stale)."""
    if not owner:  # being written this very moment, or left by a batch killed while writing it
        try:
            return time.time() - path.stat().st_mtime > 10
        except OSError:
            return True
    if owner.get("host") != socket.gethostname():
        return False
    try:
        pid = int(owner.get("pid"))
    except (TypeError, ValueError):
        return True
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # exists, owned by someone else
        return False
    return False


def _who(owner: dict) -> str:
    if not owner:
        return "unknown process"
    return f"pid {owner.get('pid')} on {owner.get('host')} since {owner.get('time')}"
