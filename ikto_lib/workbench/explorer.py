"""Ad-hoc figures of a wave for the interactive explorer (no widgets here: plain methods).

:class:`Explorer` answers one question at a time: an organisation (optionally some of its
units), a target (an item, a domain, ``overall`` or ``grade``), a measure (``top2``, ``mean`` or
``distribution``), an optional breakdown by a background variable and an optional comparison.
The figures are computed with exactly the code of the prepared results
(:func:`ikto_lib.prepare.figures.respondent_measures`, :func:`ikto_lib.stats.group_summary`,
:func:`~ikto_lib.stats.compare_summaries`, :func:`~ikto_lib.stats.holm`,
:func:`~ikto_lib.stats.flag`, the same weights and the same eligible organisations), so an
organisation's own figure equals its row in the prepared ``results``.

Respondent measures are computed once per wave (in ``__init__``); an interaction only sums one
measure column over a boolean selection (sparse products, milliseconds on 150,000 respondents).

Anonymity (methods.md): a figure with fewer than ``min_n`` valid answers is suppressed; the
categories of a breakdown are siblings beside the selection's total (complementary
suppression); a selection of units is a sibling of the rest of its organisation, so it is
suppressed when the rest holds 1 to ``min_n - 1`` answers (per breakdown category as well);
respondents without a category count as one more, never shown, sibling. Reference figures below
``min_n`` are not shown, and the reference's categories get the same complementary suppression. Benchmark and peers pool eligible organisations only, each only where it has at least
``min_n`` answers on the target (as the prepared results do), and per breakdown category only
where it has at least ``min_n`` answers in that category. ``allow_small_groups = True``
(for authorised analysts) switches suppression off; it is logged as a warning and marked in the
table (flag ``small group`` instead of ``suppressed``).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import Settings, load_settings
from ..paths import outputs_dir
from ..prepare.anonymity import apply_suppression, suppression_mask
from ..prepare.compare import flag_rule, reference_rule
from ..prepare.figures import col
from ..stats.compare import compare_summaries, holm
from ..prepare import poolable
from ..stats.estimates import SUMS, from_sums, group_summary
from ..stats.flags import NOT_TESTED
from ..wave import Wave
from . import labels, records
from .wavedata import WaveData

log = logging.getLogger(__name__)

MEASURES = ("top2", "mean", "distribution")
SMALL_GROUP = "small group"
CACHE_SIZE = 64  # selections kept per explorer (switching back and forth is instant)
TABLE_COLUMNS = ["org", "units", "target", "measure", "code", "breakdown", "category", "n", "value",
                 "ci_low", "ci_high", "comparison", "ref_value", "ref_n", "diff", "p_adj", "flag"]


class Explorer:
    """Ad-hoc selections of one wave (see module docstring).

    Parameters
    ----------
    wave : the wave (:func:`ikto_lib.validate.load_wave`).
    previous : the previous wave (for the ``previous`` comparison), optional.
    settings : :func:`ikto_lib.config.load_settings` (default: the project's settings).

    Usage (the widget callbacks do the same)::

        ex = Explorer(wave, previous, settings)
        ex.select("MINBZK", domain_or_item="ict", breakdown="age_group", comparison="benchmark")
        ex.export("ict_by_age.xlsx")
    """

    def __init__(self, wave: Wave, previous: Wave | None = None, settings: Settings | None = None, *,
                 outputs: str | Path | None = None):
        self.settings = settings or load_settings()
        self.language = self.settings.language
        self.wave = wave
        self.outputs = Path(outputs) if outputs is not None else outputs_dir()
        self.data = WaveData(wave, self.settings)
        self.previous = WaveData(previous, self.settings) if previous is not None else None
        self._allow_small = False
        self._cache: dict[tuple, pd.DataFrame] = {}
        self._sums: dict[tuple, pd.DataFrame] = {}
        self.table: pd.DataFrame = pd.DataFrame(columns=TABLE_COLUMNS)
        self.small_groups_line: str | None = None
        names = wave.organisations.assign(org=wave.organisations["org"].astype(str)).set_index("org")["name"]
        self.org_names: dict[str, str] = names.astype(str).to_dict()
        prev_ids = {i.id: i.previous_id for i in wave.instrument.items if i.previous_id}
        self._previous_id = prev_ids

    # -- switches and choices -------------------------------------------------------------
    @property
    def allow_small_groups(self) -> bool:
        return self._allow_small

    @allow_small_groups.setter
    def allow_small_groups(self, value: bool) -> None:
        value = bool(value)
        if value and not self._allow_small:
            path, self.small_groups_line = records.log_small_groups(self.outputs, self.wave.name,
                                                                    self.selection_text())
            log.warning("ikto explorer: anonymity threshold (min_n=%d) switched OFF for wave %s; "
                        "logged to %s", self.settings.min_n, self.wave.name, path)
        elif not value and self._allow_small:
            log.warning("ikto explorer: anonymity threshold (min_n=%d) switched back on", self.settings.min_n)
        self._allow_small = value

    @property
    def orgs(self) -> list[str]:
        """Selectable organisations: the eligible ones (all, while small groups are allowed)."""
        return sorted(set(self.data.org)) if self._allow_small else list(self.data.eligible)

    def units(self, org: str) -> list[str]:
        return sorted(u for u in set(self.data.unit[self.data.org == org]) if u)

    @property
    def targets(self) -> list[tuple[str, str]]:
        """(label, id) of the choices for ``domain_or_item``: overall, grade, domains, items."""
        inst = self.wave.instrument
        lang = self.language
        out = [(labels.target_label(inst, t, lang), t) for t in ("overall",) + (("grade",) if inst.grade is not None else ())]
        for d in inst.domain_ids:
            out.append((labels.target_label(inst, d, lang), d))
            for i in inst.items:
                if i.domain == d and i.id in self.data.measures.values.columns:
                    out.append((f"\u2003{i.text[lang]}", i.id))
        return out

    @property
    def breakdowns(self) -> list[str]:
        return list(self.wave.background_columns)

    def comparisons(self, org: str | None = None) -> list[str]:
        out = ["benchmark", "peers"]
        if self.previous is not None:
            out.append("previous")
        if org:
            out += [f"unit:{u}" for u in self.units(org)]
        return out

    # -- figures ----------------------------------------------------------------------------
    def _values(self, data: WaveData, target: str, measure: str, item_map: bool = False) -> pd.DataFrame | None:
        """Respondents x value columns (one column; ``distribution``: one per code)."""
        if item_map and target in self._previous_id:
            target_here = self._previous_id[target]
        else:
            target_here = target
        if measure == "distribution":
            return data.distribution(target_here)
        if target_here == "grade":
            name = col("grade_pass") if measure == "top2" else col("grade_mean")
        elif target_here == "overall":
            name = col(measure)
        elif target_here in data.item_domain:
            name = col(measure, data.item_domain[target_here], target_here)
        else:
            name = col(measure, target_here)
        s = data.column(name)
        return None if s is None else s.rename(measure).to_frame()

    @staticmethod
    def _summary(data: WaveData, values: pd.DataFrame, mask: np.ndarray, category, kind: str,
                 confidence: float) -> pd.DataFrame:
        idx = np.flatnonzero(mask)
        v = values.iloc[idx].reset_index(drop=True)
        keys = [] if category is None else [pd.Series(category[idx], name="category")]
        w = data.weights.iloc[idx].reset_index(drop=True) if data.weighted else None
        s = group_summary(v, keys, weights=w, kind=kind, confidence=confidence)
        if category is None:
            s.insert(0, "category", "")
        s["category"] = s["category"].astype(str)
        return s.rename(columns={"item": "code"})

    def _reference(self, org: str, units: list[str], comparison: str, own_mask: np.ndarray):
        """(data, mask) of the previous wave's, the rest's or a unit's respondents, or (None, None)
        when not available (benchmark and peers: :meth:`_pooled_reference`)."""
        d = self.data
        if comparison == "previous":
            p = self.previous
            if p is None or org not in p.eligible:
                return None, None
            mask = p.org == org
            if units:
                mask = mask & np.isin(p.unit, units)
            return p, mask
        if comparison == "rest":
            return d, (d.org == org) & ~own_mask
        if comparison.startswith("unit:"):
            return d, (d.org == org) & (d.unit == comparison[5:])
        raise ValueError(f"unknown comparison {comparison!r}")

    def select(self, org: str, units: list[str] | tuple[str, ...] | None = None,
               domain_or_item: str = "overall", measure: str = "top2",
               breakdown: str | None = None, comparison: str | None = None) -> pd.DataFrame:
        """The figures of one selection as a tidy table (also kept in ``self.table``).

        Parameters
        ----------
        org : organisation code.
        units : units of ``org`` to pool (``None`` / empty: the whole organisation).
        domain_or_item : ``"overall"``, ``"grade"``, a domain id or an item id.
        measure : ``"top2"`` (grade: pass share), ``"mean"`` or ``"distribution"`` (share per code).
        breakdown : a background column, or ``None``.
        comparison : ``"benchmark"``, ``"peers"``, ``"previous"``, ``"rest"`` (the other units of
            ``org``), ``"unit:<name>"`` or ``None``.

        Returns
        -------
        DataFrame
            Columns :data:`TABLE_COLUMNS`: one row per category (``""`` = the selection's total)
            and code (``distribution``; else the measure name); ``n`` valid answers, ``value``
            and its interval, the reference figures, ``diff`` (own - reference), Holm-adjusted
            ``p_adj`` within the table, and ``flag`` (higher / lower / no difference / not
            tested / suppressed / small group).
        """
        key = (org, tuple(sorted(units or [])), domain_or_item, measure, breakdown or None, comparison or None,
               self._allow_small)
        if key in self._cache:
            self.table = self._cache[key]
            return self.table
        table = self._select(org, list(key[1]), domain_or_item, measure, breakdown, comparison)
        if len(self._cache) >= CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))
        self._cache[key] = self.table = table
        return table

    def _select(self, org, units, domain_or_item, measure, breakdown, comparison) -> pd.DataFrame:
        st = self.settings
        if measure not in MEASURES:
            raise ValueError(f"measure must be one of {MEASURES}, got {measure!r}")
        units = sorted(units or [])
        d = self.data
        if not d.has_org(org):
            raise ValueError(f"no respondents of organisation {org!r} in wave {self.wave.name}")
        if breakdown and breakdown not in self.breakdowns:
            raise ValueError(f"unknown breakdown {breakdown!r}; choose from {self.breakdowns}")
        values = self._values(d, domain_or_item, measure)
        if values is None:
            raise ValueError(f"unknown domain or item {domain_or_item!r}")
        kind = "mean" if measure == "mean" else "proportion"
        in_org = d.org == org
        own_mask = in_org & (np.isin(d.unit, units) if units else True)
        cat = d.category(breakdown) if breakdown else None

        parts = [self._summary(d, values, own_mask, None, kind, st.confidence)]
        if breakdown:
            parts.append(self._summary(d, values, own_mask, cat, kind, st.confidence))
        own = pd.concat(parts, ignore_index=True)

        # reference
        ref = None
        if comparison in ("benchmark", "peers"):
            ref = self._pooled_reference(org, comparison, domain_or_item, measure, breakdown, kind)
        elif comparison:
            rdata, rmask = self._reference(org, units, comparison, own_mask)
            if rdata is not None and rmask.any():
                rvalues = self._values(rdata, domain_or_item, measure, item_map=rdata is self.previous)
                if rvalues is not None:
                    rcat = rdata.category(breakdown) if breakdown else None
                    rparts = [self._summary(rdata, rvalues, rmask, None, kind, st.confidence)]
                    if breakdown and rcat is not None:
                        rparts.append(self._summary(rdata, rvalues, rmask, rcat, kind, st.confidence))
                    ref = pd.concat(rparts, ignore_index=True)
        if ref is not None:
            ref = own[["category", "code"]].merge(ref, on=["category", "code"], how="left")
            cmp = compare_summaries(own, ref.fillna({"n": 0}), kind=kind)
            ref_n = ref["n"].to_numpy(dtype=float)
            # the reference's categories are siblings beside its total too (else one follows by
            # subtraction); with small groups allowed only the primary rule applies
            available = np.ones(len(ref), dtype=bool)
            if not self._allow_small:
                available = ~self._category_mask(ref.fillna({"n": 0}), st.min_n)
            # the rule of the prepared results: shown with >= min_n, tested when both sides have it
            shown, testable = reference_rule(own["n"].to_numpy(dtype=float), ref_n, available, st.min_n)
            own["ref_value"] = np.where(shown, ref["value"].to_numpy(dtype=float), np.nan)
            own["ref_n"] = np.where(shown, ref_n, np.nan)
            own["diff"] = np.where(shown, cmp["diff"].to_numpy(), np.nan)
            p = np.where(testable, cmp["p"].to_numpy(), np.nan)
            practical = np.where(testable, cmp["practical"].to_numpy(), np.nan)
            own["p_adj"] = holm(p)
            f = flag_rule(own["p_adj"], own["diff"], practical, kind == "proportion", st)
            own["flag"] = np.where(own["p_adj"].isna(), NOT_TESTED, f)
        else:
            for c in ("ref_value", "ref_n", "diff", "p_adj"):
                own[c] = np.nan
            own["flag"] = NOT_TESTED if comparison else ""

        own["org"] = org
        own["units"] = ", ".join(units)
        own["target"] = domain_or_item
        own["measure"] = measure
        own["breakdown"] = breakdown or ""
        own["comparison"] = comparison or ""
        own = own[TABLE_COLUMNS].copy()
        mask = self._suppression(own, values, in_org, own_mask, org, cat)
        if self._allow_small:
            own["flag"] = np.where(mask, SMALL_GROUP, own["flag"])
        else:
            own = apply_suppression(own, mask)
        return labels.ordered(own.reset_index(drop=True), self.wave.instrument)

    def _org_sums(self, target: str, measure: str, breakdown: str | None, kind: str) -> pd.DataFrame:
        """Sums of every eligible organisation (and organisation x category) on a target, with
        the rule of the prepared results applied (:func:`ikto_lib.prepare.poolable`: an
        organisation enters a pooled figure only with >= ``min_n`` answers on it, per category
        as well); computed once per target, measure and breakdown."""
        key = (target, measure, breakdown or "")
        if key not in self._sums:
            d, st = self.data, self.settings
            values = self._values(d, target, measure)
            idx = np.flatnonzero(d.is_eligible)
            v = values.iloc[idx].reset_index(drop=True)
            w = d.weights.iloc[idx].reset_index(drop=True) if d.weighted else None
            org = d.org_codes[idx]
            labels_ = np.asarray(d.org_labels, dtype=object)
            cat = d.category_coded(breakdown) if breakdown else None
            if cat is None:
                total = group_summary(v, [pd.Series(org, name="key")], weights=w, kind=kind,
                                      confidence=st.confidence)
                total["org"] = labels_[total.pop("key").to_numpy()]
                parts = [total.assign(category="")]
            else:
                # one pass with one integer key org x category (missing category as one more):
                # the organisation totals are the sums over its categories (sums add up)
                ncat = len(cat.categories) + 1
                codes = np.where(cat.codes[idx] >= 0, cat.codes[idx], ncat - 1)
                by = group_summary(v, [pd.Series(org * ncat + codes, name="key")], weights=w, kind=kind,
                                   confidence=st.confidence)
                k = by.pop("key").to_numpy().astype(np.int64)
                by["org"] = labels_[k // ncat]
                names = np.append(np.asarray(cat.categories, dtype=object).astype(str), "")
                by["category"] = names[k % ncat]
                total = by.groupby(["org", "item"], sort=False)[SUMS].sum().reset_index().assign(category="")
                parts = [total, by[(k % ncat) < ncat - 1]]
            sums = poolable(pd.concat(parts, ignore_index=True), st.min_n)
            sums["type"] = sums["org"].map(d.org_type).astype(str)
            if len(self._sums) >= CACHE_SIZE:
                self._sums.pop(next(iter(self._sums)))
            self._sums[key] = sums.rename(columns={"item": "code"})
        return self._sums[key]

    def _pooled_reference(self, org: str, comparison: str, target: str, measure: str,
                          breakdown: str | None, kind: str) -> pd.DataFrame | None:
        """Benchmark (all other eligible organisations) or peers (the other eligible ones of the
        same type, when at least ``peer_min_orgs``), pooled from :meth:`_org_sums`."""
        d = self.data
        sums = self._org_sums(target, measure, breakdown, kind)
        keep = (sums["org"] != org).to_numpy().copy()
        if comparison == "peers":
            typ = d.org_type.get(org)
            others = sum(1 for o in d.eligible if o != org and d.org_type.get(o) == typ)
            if others < self.settings.peer_min_orgs:
                return None
            keep &= (sums["type"] == str(typ)).to_numpy()
        pooled = sums[keep].groupby(["category", "code"], sort=False)[SUMS].sum().reset_index()
        return from_sums(pooled, kind=kind, confidence=self.settings.confidence)

    @staticmethod
    def _category_mask(table: pd.DataFrame, min_n: int) -> np.ndarray:
        """Suppression of a table's total (``category == ""``) and its categories, siblings beside
        it (primary and complementary). Respondents the categories do not cover (no value of the
        background variable, or categories not in the table) count as one more sibling that is
        never shown: when they are 1 to ``min_n - 1``, one more category is hidden."""
        n = table["n"].to_numpy(dtype=float, na_value=0.0)
        total = (table["category"] == "").to_numpy()
        mask = np.zeros(len(table), dtype=bool)
        mask[total] = n[total] < min_n
        cats = np.flatnonzero(~total & (n > 0))
        mask[~total & ~(n > 0)] = True  # nothing to show
        if len(cats):
            sub = pd.DataFrame({"code": table["code"].to_numpy()[cats].astype(str), "n": n[cats]})
            totals = pd.Series(n[total], index=table["code"].to_numpy()[total].astype(str))
            rest = totals.sub(sub.groupby("code")["n"].sum(), fill_value=0.0)
            rest = rest[rest > 0]
            frame = pd.concat([sub, pd.DataFrame({"code": rest.index, "n": rest.to_numpy()})], ignore_index=True)
            mask[cats] = suppression_mask(frame, family=["code"], min_n=min_n)[:len(sub)]
        return mask

    def _suppression(self, table: pd.DataFrame, values: pd.DataFrame, in_org: np.ndarray,
                     own_mask: np.ndarray, org: str, cat: np.ndarray | None) -> np.ndarray:
        min_n = self.settings.min_n
        mask = self._category_mask(table, min_n)
        if org not in self.data.eligible:
            mask[:] = True
        # units of an organisation are siblings beside its total: the rest must be 0 or >= min_n
        # (per category too: the same category of the rest of the organisation)
        if own_mask.sum() < in_org.sum():
            rest_rows = np.flatnonzero(in_org & ~own_mask)
            valid = values.iloc[rest_rows].notna()
            valid.columns = valid.columns.astype(str)
            counts = valid.sum(axis=0).to_frame().T.assign(category="")
            if cat is not None:
                by_cat = valid.groupby(pd.Series(cat[rest_rows], index=valid.index).astype("object"),
                                       dropna=True).sum()
                counts = pd.concat([counts, by_cat.rename_axis("category").reset_index()], ignore_index=True)
            long = counts.melt(id_vars="category", var_name="code", value_name="rest")
            rest = table[["category", "code"]].astype(str).merge(long, on=["category", "code"], how="left")
            r = rest["rest"].fillna(0).to_numpy(dtype=float)
            mask |= (r > 0) & (r < min_n)
        return mask

    # -- words and export -------------------------------------------------------------------
    def selection_text(self, table: pd.DataFrame | None = None) -> str:
        """The current selection in words (chart title, small-groups log, export metadata)."""
        t = self.table if table is None else table
        if not len(t):
            return f"wave {self.wave.name} (no selection yet)"
        row = t.iloc[0]
        text = labels.selection_title(t, self.wave.instrument, self.org_names.get(row["org"], ""), self.language)
        if row["breakdown"]:
            names = {b.id: b.name[self.language] for b in self.wave.instrument.background}
            text += f" – {names.get(row['breakdown'], row['breakdown'])}"
        if row["comparison"]:
            text += f" – {labels.comparison_label(row['comparison'], self.language)}"
        return text

    def display(self, table: pd.DataFrame | None = None) -> pd.DataFrame:
        """The table as the analyst reads it (:func:`ikto_lib.workbench.labels.display_table`)."""
        t = self.table if table is None else table
        return labels.display_table(t, self.wave.instrument, self.language,
                                    confidence=self.settings.confidence)

    def export(self, name: str = "ikto_explorer.xlsx") -> Path:
        """Write the current table to ``outputs/<wave>/exports/<name>`` (``.xlsx`` or ``.csv``)
        with its metadata (wave, weighting, threshold, fingerprint, selection, time, whether
        small groups were shown); numbers stay numbers, with number formats. Returns the path."""
        path = records.export_path(self.outputs, self.wave.name, name)
        frame, formats = labels.export_frame(self.table, self.wave.instrument, self.language,
                                             confidence=self.settings.confidence)
        meta = records.metadata(wave=self.wave, settings=self.settings, selection=self.selection_text(),
                                small_groups=self._allow_small, language=self.language)
        records.export_table(path, frame, formats, meta)
        log.info("ikto explorer: exported %d rows to %s", len(frame), path)
        return path
