"""Respondent measures, keys and weights of one wave for the explorer (computed once per wave)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import Settings
from ..prepare import eligible_orgs, respondent_frame, wave_weights
from ..prepare.figures import col, respondent_measures
from ..wave import Wave


class WaveData:
    """Respondent measures, keys and weights of one wave (all organisations, computed once)."""

    def __init__(self, wave: Wave, settings: Settings):
        self.wave = wave
        inst = wave.instrument
        self.eligible = eligible_orgs(wave.responses, settings.min_n)
        orgs = sorted(wave.responses["org"].astype(str).unique())
        self.resp = respondent_frame(wave.responses, orgs)
        self.org = self.resp["org"].to_numpy(dtype=object)
        self.unit = self.resp["unit"].to_numpy(dtype=object)
        self.is_eligible = np.isin(self.org, self.eligible)
        w = np.ones(len(self.resp))
        if settings.weighting and self.is_eligible.any():
            sub = self.resp[self.is_eligible].reset_index(drop=True)
            w[self.is_eligible] = wave_weights(sub, wave, settings).to_numpy()
        self.weights = pd.Series(w, index=self.resp.index)
        self.weighted = bool(settings.weighting)
        self.measures = respondent_measures(self.resp, inst, settings)
        types = wave.organisations.assign(org=wave.organisations["org"].astype(str)).set_index("org")["type"]
        self.org_type = types.astype(str)
        self.type = self.resp["org"].map(self.org_type).to_numpy(dtype=object)
        self.item_domain = {i.id: i.domain for i in inst.items}
        self.columns = {}
        for frame in (self.measures.proportion, self.measures.mean):
            for c in frame.columns:
                self.columns[c] = frame
        self._dist: dict[str, pd.DataFrame] = {}
        self._categories: dict[str, np.ndarray] = {}
        self._coded: dict[str, pd.Categorical] = {}
        self._org_set = set(self.org)
        # organisations as integer codes: one integer group key is several times faster to group
        # by than strings or categoricals (150,000 respondents, every change)
        self.org_codes, self.org_labels = pd.factorize(self.org)

    def category_coded(self, breakdown: str) -> pd.Categorical | None:
        """:meth:`category` as a categorical (group key), converted once per column."""
        if breakdown not in self._coded:
            c = self.category(breakdown)
            if c is None:
                return None
            self._coded[breakdown] = pd.Categorical(c)
        return self._coded[breakdown]

    def has_org(self, org: str) -> bool:
        return org in self._org_set

    def category(self, breakdown: str) -> np.ndarray | None:
        """The respondents' category of a background column (object array; ``None`` = missing),
        converted once per column."""
        if breakdown not in self._categories:
            if breakdown not in self.resp:
                return None
            c = self.resp[breakdown].to_numpy(dtype=object)
            self._categories[breakdown] = np.where(c == "", None, c)
        return self._categories[breakdown]

    def column(self, name: str) -> pd.Series | None:
        frame = self.columns.get(name)
        return None if frame is None else frame[name]

    def distribution(self, target: str) -> pd.DataFrame | None:
        """Respondents x code: the share of the respondent's valid answers with that code
        (an item: 0/1; a domain or ``overall``: share over its answered aspect items)."""
        if target in self._dist:
            return self._dist[target]
        inst = self.wave.instrument
        values = self.measures.values
        if target == "grade":
            g = self.measures.mean[col("grade_mean")]
            codes = range(inst.grade.min, inst.grade.max + 1)
            out = pd.DataFrame({str(k): (g == k).astype(float).where(g.notna()) for k in codes})
        else:
            if target in values.columns:
                its = [target]
            elif target == "overall":
                its = list(values.columns)
            else:
                its = [i for i in inst.domain_items(overall=False).get(target, []) if i in values.columns]
            if not its:
                return None
            v = values[its].to_numpy(dtype=float, na_value=np.nan)
            answered = (~np.isnan(v)).sum(axis=1)
            codes = range(inst.scale.min, inst.scale.max + 1)
            with np.errstate(all="ignore"):
                out = pd.DataFrame({str(k): np.where(answered > 0, (v == k).sum(axis=1) / answered, np.nan)
                                    for k in codes}, index=values.index)
        self._dist[target] = out
        return out
