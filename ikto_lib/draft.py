"""``ikto instrument draft responses.sav``: a starting instrument from an SPSS file's labels.

From the variable and value labels (no answers are read):

* **items**: numeric variables whose labelled codes (without the user-missing ones) are a run of 2
  to 11 whole numbers, the most common run being the scale; two labelled codes that read as
  yes/no (ja/nee) make a yes/no item;
* **scale**: that run with its labels (nl; the en labels are copies to translate); the upper half
  is proposed as the positive box, the lower half as the negative box;
* **n.v.t. codes**: the user-missing codes of the items with their labels (e.g. 8 = weet niet,
  9 = n.v.t.);
* **domains**: the variable-name prefixes (``ict_speed``, ``ict_help`` -> domain ``ict``;
  ``Q3a`` -> ``Q``);
* **background**: other labelled variables with 2 to 12 categories (their codes as categories);
* a grade when a variable is called like ``grade`` / ``cijfer`` / ``rapportcijfer``.

The draft is for the user to edit (texts, domain names, organisation types); ``ikto validate``
then tells what is still missing.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

FIXED = {"respondent_id", "org", "unit"}
YES = re.compile(r"^(ja|yes|wel)\b", re.IGNORECASE)
NO = re.compile(r"^(nee|neen|no|niet)\b", re.IGNORECASE)
GRADE = re.compile(r"(rapport)?cijfer|grade", re.IGNORECASE)


def _prefix(name: str) -> str:
    m = re.match(r"^([A-Za-z]+?)(?:_|\d|$)", name)
    return (m.group(1) if m else name).lower()


def _run(codes: list[float]) -> tuple[int, int] | None:
    whole = sorted(int(c) for c in codes if float(c).is_integer())
    if len(whole) != len(codes) or not 2 <= len(whole) <= 11:
        return None
    return (whole[0], whole[-1]) if whole == list(range(whole[0], whole[-1] + 1)) else None


def draft_instrument(path: str | Path) -> dict:
    """The draft instrument of an SPSS file as a plain mapping (see the module docstring)."""
    import pyreadstat

    _, meta = pyreadstat.read_sav(str(path), metadataonly=True, user_missing=True)
    labels = meta.variable_value_labels or {}
    var_labels = dict(zip(meta.column_names, meta.column_labels or [None] * len(meta.column_names)))
    missing: dict[str, set[float]] = {}
    for var, ranges in (meta.missing_ranges or {}).items():
        missing[var] = {float(r["lo"]) for r in ranges if r["lo"] == r["hi"]}
    runs, nvt_labels, yesno, candidates = {}, {}, [], {}
    for var, vl in labels.items():
        if var in FIXED:
            continue
        valid = {c: lab for c, lab in vl.items() if float(c) not in missing.get(var, set())}
        texts = [str(x) for x in valid.values()]
        if len(valid) == 2 and any(YES.match(x) for x in texts) and any(NO.match(x) for x in texts):
            yes = next(c for c, lab in valid.items() if YES.match(str(lab)))
            no = next(c for c, lab in valid.items() if NO.match(str(lab)))
            yesno.append((var, int(yes), int(no)))
            continue
        run = _run(list(valid))
        if run is not None:
            runs[var] = run
            candidates[var] = valid
            for c in missing.get(var, set()):
                if c in vl:
                    nvt_labels.setdefault(int(c), str(vl[c]))
    if not runs:
        raise ValueError(f"{Path(path).name}: no variable has value labels of a 2- to 11-point scale")
    scale_run, _ = Counter(runs.values()).most_common(1)[0]
    items = [v for v, r in runs.items() if r == scale_run and not GRADE.fullmatch(v)]
    lo, hi = scale_run
    example = next(v for v in items)
    scale_labels = [str(candidates[example].get(float(c), candidates[example].get(c, str(c)))) for c in range(lo, hi + 1)]
    points = hi - lo + 1
    top = list(range(hi - points // 2 + (1 if points > 3 else 0), hi + 1)) if points > 2 else [hi]
    bottom = list(range(lo, lo + len(top))) if points > 2 else [lo]
    if not nvt_labels:
        nvt_labels = {hi + 1 if hi + 1 > 9 else 9: "n.v.t."}
    nvt_codes = sorted(nvt_labels)
    text = lambda v: str(var_labels.get(v) or v)  # noqa: E731
    all_items = [(v, "scale") for v in items] + [(v, "yesno") for v, *_ in yesno]
    order = {v: k for k, v in enumerate(meta.column_names)}
    all_items.sort(key=lambda x: order[x[0]])
    domains = list(dict.fromkeys(_prefix(v) for v, _ in all_items))
    out: dict = {
        "name": {"nl": f"TODO: naam van het onderzoek ({Path(path).stem})", "en": "TODO: survey name"},
        "measure": {"name": {"nl": "Positief", "en": "Positive"}},
        "scale": {"min": lo, "max": hi, "top2": top, "bottom2": bottom,
                  "labels": {"nl": scale_labels, "en": list(scale_labels)}},
        "nvt": {"code": nvt_codes[0], "label": {"nl": nvt_labels[nvt_codes[0]], "en": nvt_labels[nvt_codes[0]]}},
    }
    if len(nvt_codes) > 1:
        out["nvt"]["other"] = [{"code": c, "label": {"nl": nvt_labels[c], "en": nvt_labels[c]}} for c in nvt_codes[1:]]
    if yesno:
        _, y, n = yesno[0]
        out["yesno"] = {"yes_code": y, "no_code": n, "labels": {"nl": ["Ja", "Nee"], "en": ["Yes", "No"]}}
    grade = next((v for v in meta.column_names if GRADE.fullmatch(v)), None)
    if grade:
        out["grade"] = {"id": grade, "min": 1, "max": 10, "pass_mark": 6,
                        "text": {"nl": text(grade), "en": text(grade)}}
        out["outcome"] = "grade"
    else:
        out["outcome"] = None
    out["org_types"] = [{"id": "organisatie", "name": {"nl": "Organisatie", "en": "Organisation"}}]
    used = set(items) | {v for v, *_ in yesno} | FIXED | ({grade} if grade else set())
    background = [v for v, vl in labels.items() if v not in used and 2 <= len(vl) <= 12]
    if background:
        out["background"] = [{"id": v, "name": {"nl": text(v), "en": text(v)},
                              "categories": [f"{c:g}" if isinstance(c, float) else str(c) for c in labels[v]]}
                             for v in background]
    out["domains"] = [{"id": d, "name": {"nl": d.capitalize(), "en": d.capitalize()}} for d in domains]
    out["items"] = [{"id": v, "domain": _prefix(v), "text": {"nl": text(v), "en": text(v)},
                     **({"kind": "yesno"} if kind == "yesno" else {})} for v, kind in all_items]
    return out


def draft_yaml(path: str | Path) -> str:
    """The draft as YAML text, headed by what to check."""
    head = (f"# Instrument drafted by `ikto instrument draft` from {Path(path).name}.\n"
            "# Check and edit: the survey name, the positive box (scale.top2) and the measure name, the\n"
            "# English texts, the domain names, the organisation types, the outcome for drivers; then\n"
            "# run `ikto validate WAVE_DIR`. Field by field: docs/instrument_schema.md\n")
    return head + yaml.safe_dump(draft_instrument(path), allow_unicode=True, sort_keys=False, width=100)
