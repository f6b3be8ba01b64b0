"""Pluim browser: the pluim texts of one organisation, redacted, searchable, by target.

Only organisations with at least ``min_n`` respondents are browsable (methods.md, "Anonymity");
texts pass through :func:`ikto_lib.redact.redact_series` (e-mail addresses, phone numbers, ...)
before anything is returned.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import Settings, load_settings
from ..redact import redact_series
from ..wave import Wave


class PluimBrowser:
    """Search the redacted pluimen of an organisation.

    Parameters
    ----------
    wave : the wave.
    settings : for ``min_n`` (default: the project's settings).
    """

    def __init__(self, wave: Wave, settings: Settings | None = None):
        self.settings = settings or load_settings()
        inst = wave.instrument
        r = wave.responses
        org = r["org"].astype(str)
        counts = org.value_counts()
        self.orgs = sorted(counts[counts >= self.settings.min_n].index)
        if inst.pluim is None:  # the survey asked no pluim question: nothing to browse
            self._frame = pd.DataFrame({"org": [], "target": [], "text": []}, dtype="string")
        else:
            self._read(r, org, inst)
        self._lower = self._frame["text"].str.lower()
        self._target_lower = self._frame["target"].str.lower()

    def _read(self, r: pd.DataFrame, org: pd.Series, inst) -> None:
        has = r[inst.pluim.text].notna() & org.isin(self.orgs)
        texts = r.loc[has, inst.pluim.text].astype("string")
        self._frame = pd.DataFrame({
            "org": org[has].to_numpy(),
            "target": r.loc[has, inst.pluim.target].astype("string").fillna("").to_numpy(),
            "text": redact_series(texts).to_numpy(),
        })

    def targets(self, org: str) -> list[str]:
        """Targets of ``org``'s pluimen, most frequent first (empty for a small organisation)."""
        t = self._frame.loc[self._frame["org"] == org, "target"]
        return t[t != ""].value_counts().index.tolist()

    def search(self, org: str, text: str = "", target: str | None = None) -> pd.DataFrame:
        """Pluimen of ``org`` (``target``, redacted ``text``) containing ``text`` (case-insensitive,
        also matched against the target) and, if given, with exactly that ``target``.

        Raises ``ValueError`` for an organisation below the anonymity threshold."""
        if org not in self.orgs:
            raise ValueError(f"{org!r} has fewer than {self.settings.min_n} respondents (or none): "
                             "its pluimen are not shown")
        keep = (self._frame["org"] == org).to_numpy(copy=True)
        if text:
            q = text.lower()
            keep &= (self._lower.str.contains(q, regex=False).fillna(False)
                     | self._target_lower.str.contains(q, regex=False).fillna(False)).to_numpy(dtype=bool)
        if target:
            keep &= (self._frame["target"] == target).to_numpy(dtype=bool)
        return self._frame.loc[np.flatnonzero(keep), ["target", "text"]].reset_index(drop=True)
