"""A hand-checkable wave: 4 organisations, 2 domains of 2 items (+1 overall item), ~75 respondents.

Built as a :class:`~ikto_lib.wave.Wave` directly (no files), from explicit answer lists, so the
tests can recompute every figure with plain Python.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ikto_lib.config import Instrument
from ikto_lib.wave import Wave

INSTRUMENT = {
    "name": {"nl": "Handgolf", "en": "Hand wave"},
    "scale": {"min": 1, "max": 5, "top2": [4, 5], "bottom2": [1, 2],
              "labels": {"nl": ["1", "2", "3", "4", "5"], "en": ["1", "2", "3", "4", "5"]}},
    "nvt": {"code": 9, "label": {"nl": "n.v.t.", "en": "n/a"}},
    "grade": {"id": "grade", "min": 1, "max": 10, "pass_mark": 6, "text": {"nl": "Cijfer", "en": "Grade"}},
    "pluim": {"target": "pluim_target", "text": "pluim_text", "question": {"nl": "Pluim", "en": "Pluim"}},
    "org_types": [{"id": "ministerie", "name": {"nl": "Ministerie", "en": "Ministry"}},
                  {"id": "provincie", "name": {"nl": "Provincie", "en": "Province"}}],
    "background": [{"id": "age_group", "name": {"nl": "Leeftijd", "en": "Age"}, "categories": ["jong", "oud"]}],
    "domains": [{"id": "a", "name": {"nl": "A", "en": "A"}}, {"id": "b", "name": {"nl": "B", "en": "B"}}],
    "items": [
        {"id": "a1", "domain": "a", "text": {"nl": "a1", "en": "a1"}},
        {"id": "a2", "domain": "a", "text": {"nl": "a2", "en": "a2"}},
        {"id": "a_all", "domain": "a", "overall": True, "text": {"nl": "a", "en": "a"}},
        {"id": "b1", "domain": "b", "text": {"nl": "b1", "en": "b1"}},
        {"id": "b2", "domain": "b", "text": {"nl": "b2", "en": "b2"}},
    ],
}
ITEMS = ["a1", "a2", "a_all", "b1", "b2"]
N = None  # skipped
V = 9  # n.v.t.

# Organisation X (ministerie): 30 respondents; units U1 (16), U2 (10), U3 (4)
X = {
    "unit": ["U1"] * 16 + ["U2"] * 10 + ["U3"] * 4,
    "age_group": (["jong", "oud"] * 8) + (["jong"] * 3 + ["oud"] * 7) + ["oud"] * 4,
    "a1": [5, 4, 4, 3, 2, 5, 4, 4, 1, 3, 4, 5, V, 4, 3, 4, 2, 3, 3, 4, 2, 1, 3, V, 2, 3, 5, 5, 4, 4],
    "a2": [4, 4, 5, 3, 3, 4, N, 4, 2, 3, 4, 4, 4, 5, 3, 3, 3, 2, 2, 4, 3, 1, V, 2, 2, 3, 4, 5, 4, N],
    "a_all": [5, 4, 4, 3, 3, 4, 4, 4, 2, 3, 4, 5, 4, 4, 3, 4, 2, 3, 3, 4, 3, 1, 3, 2, 2, 3, 5, 5, 4, 4],
    "b1": [N, N, 3, 3, 4, 4, 2, 5, V, 4, 4, 3, N, 2, 4, 4, 3, 3, V, 4, 5, 4, 4, 4, N, N, 3, 4, 4, 5],
    "b2": [N, N, 4, 2, 4, V, 3, 5, 3, 4, 4, 3, N, 3, 4, 5, 3, 4, 4, 4, 5, 4, 4, 3, N, N, 3, 4, 5, 5],
    "grade": [8, 7, 7, 6, 5, 8, 7, 8, 4, 6, 7, 8, N, 7, 6, 7, 5, 6, 6, 7, 6, 3, 6, 5, 5, 6, 8, 9, 8, 7],
    "pluim_target": ["a", N, N, "b", N, N, N, N, N, "Jan Jansen", N, N, N, N, N, "a",
                     N, N, N, N, N, N, "b", N, N, N, N, N, N, N],
    "pluim_text": ["Top geholpen", N, N, "Mail k.v@org.nl", N, N, N, N, N, "Bel 06-12345678", N, N, N, N, N,
                   "Snel en goed", N, N, N, N, N, N, "Prima", N, N, N, N, N, N, N],
}


def _org(prefix: str, n: int, base: int, seed: int) -> dict:
    """A generic organisation of ``n`` respondents in two units, answers from a fixed pattern."""
    rng = np.random.default_rng(seed)
    codes = rng.choice([1, 2, 3, 4, 5, 9], size=(n, 5), p=[0.05, 0.1, 0.2, 0.35, 0.25, 0.05])
    codes = np.where(codes == 9, 9, np.clip(codes + base, 1, 5))
    d = {"unit": [f"{prefix}1"] * (n - n // 2) + [f"{prefix}2"] * (n // 2),
         "age_group": ["jong", "oud"] * (n // 2) + ["oud"] * (n % 2)}
    for j, item in enumerate(ITEMS):
        d[item] = [int(c) for c in codes[:, j]]
    d["grade"] = [int(g) for g in rng.integers(4, 10, size=n)]
    d["pluim_target"] = ["a" if k % 5 == 0 else None for k in range(n)]
    d["pluim_text"] = ["Heel fijn" if k % 5 == 0 else None for k in range(n)]
    return d


def _frame(org: str, d: dict) -> pd.DataFrame:
    f = pd.DataFrame(d)
    f.insert(0, "org", org)
    return f


def hand_wave(name: str = "2015", *, x: dict | None = None) -> Wave:
    inst = Instrument.model_validate(INSTRUMENT)
    parts = [_frame("X", x or X), _frame("Y", _org("Y", 24, 0, 1)), _frame("Z", _org("Z", 14, -1, 2)),
             _frame("V", _org("V", 5, 0, 3))]
    r = pd.concat(parts, ignore_index=True)
    r.insert(0, "respondent_id", [f"R-{i:04d}" for i in range(len(r))])
    for c in ITEMS + ["grade"]:
        r[c] = pd.array(r[c].tolist(), dtype="Int8")
    for c in ("org", "unit", "age_group"):
        r[c] = r[c].astype("category")
    for c in ("respondent_id", "pluim_target", "pluim_text"):
        r[c] = r[c].astype("string")
    hc = pd.DataFrame({
        "org": ["X", "X", "X", "Y", "Y", "Z", "Z", "V", "V"],
        "unit": ["U1", "U2", "U3", "Y1", "Y2", "Z1", "Z2", "V1", "V2"],
        "headcount": [40, 60, 10, 50, 30, 20, 20, 10, 10],
    })
    orgs = pd.DataFrame({"org": ["X", "Y", "Z", "V"], "name": ["Org X", "Org Y", "Org Z", "Org V"],
                         "type": ["ministerie", "ministerie", "ministerie", "provincie"]})
    return Wave(path=None, name=name, instrument=inst, responses=r, headcount=hc, organisations=orgs,
                fingerprint=f"hand-{name}")
