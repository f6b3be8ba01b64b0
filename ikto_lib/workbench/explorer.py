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
from ..prepare import eligible_orgs, respondent_frame, headcount_weights
from ..prepare.anonymity import apply_suppression, suppression_mask
from ..prepare.figures import col, respondent_measures
from ..stats.compare import compare_summaries, holm
from ..stats.estimates import group_summary
from ..stats.flags import NOT_TESTED, flag
from ..wave import Wave

log = logging.getLogger(__name__)

MEASURES = ("top2", "mean", "distribution")
SMALL_GROUP = "small group"
TABLE_COLUMNS = ["org", "units", "target", "measure", "code", "breakdown", "category", "n", "value",
                 "ci_low", "ci_high", "comparison", "ref_value", "ref_n", "diff", "p_adj", "flag"]


class _WaveData:
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
            w[self.is_eligible] = headcount_weights(sub, wave.headcount, settings).to_numpy()
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

    def __init__(self, wave: Wave, previous: Wave | None = None, settings: Settings | None = None):
        self.settings = settings or load_settings()
        self.wave = wave
        self.data = _WaveData(wave, self.settings)
        self.previous = _WaveData(previous, self.settings) if previous is not None else None
        self._allow_small = False
        self.table: pd.DataFrame = pd.DataFrame(columns=TABLE_COLUMNS)
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
            log.warning("ikto explorer: anonymity threshold (min_n=%d) switched OFF for wave %s; "
                        "figures of small groups are shown (authorised analysts only)",
                        self.settings.min_n, self.wave.name)
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
        lang = self.settings.language
        out = [("Overall (all items)", "overall")] + ([("Grade", "grade")] if inst.grade is not None else [])
        for d in inst.domain_ids:
            out.append((f"Domain: {inst.domain_name(d, lang)}", d))
            for i in inst.items:
                if i.domain == d and i.id in self.data.measures.values.columns:
                    out.append((f"    {i.id}", i.id))
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
    def _values(self, data: _WaveData, target: str, measure: str, item_map: bool = False) -> pd.DataFrame | None:
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
    def _summary(data: _WaveData, values: pd.DataFrame, mask: np.ndarray, category, kind: str,
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
        """(data, mask) of the reference group, or (None, None) when not available."""
        d = self.data
        elig = d.is_eligible
        if comparison == "benchmark":
            return d, elig & (d.org != org)
        if comparison == "peers":
            typ = d.org_type.get(org)
            mask = elig & (d.org != org) & (d.type == typ)
            n_peers = len(set(d.org[mask]))
            return (d, mask) if n_peers >= self.settings.peer_min_orgs else (None, None)
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
        st = self.settings
        if measure not in MEASURES:
            raise ValueError(f"measure must be one of {MEASURES}, got {measure!r}")
        units = sorted(units or [])
        d = self.data
        if org not in set(d.org):
            raise ValueError(f"no respondents of organisation {org!r} in wave {self.wave.name}")
        if breakdown and breakdown not in self.breakdowns:
            raise ValueError(f"unknown breakdown {breakdown!r}; choose from {self.breakdowns}")
        values = self._values(d, domain_or_item, measure)
        if values is None:
            raise ValueError(f"unknown domain or item {domain_or_item!r}")
        kind = "mean" if measure == "mean" else "proportion"
        in_org = d.org == org
        own_mask = in_org & (np.isin(d.unit, units) if units else True)
        cat = d.resp[breakdown].to_numpy(dtype=object) if breakdown else None
        cat = np.where(cat == "", None, cat) if cat is not None else None

        parts = [self._summary(d, values, own_mask, None, kind, st.confidence)]
        if breakdown:
            parts.append(self._summary(d, values, own_mask, cat, kind, st.confidence))
        own = pd.concat(parts, ignore_index=True)

        # reference
        ref = None
        if comparison:
            rdata, rmask = self._reference(org, units, comparison, own_mask)
            if rdata is not None and rmask.any():
                rvalues = self._values(rdata, domain_or_item, measure, item_map=rdata is self.previous)
                if rvalues is not None and comparison in ("benchmark", "peers"):
                    # as in the prepared results: an organisation enters a pooled figure of this
                    # target only with >= min_n answers on it (else it follows by subtraction)
                    valid = rvalues.notna().any(axis=1).to_numpy() & rmask
                    per_org = pd.Series(valid).groupby(np.asarray(rdata.org)).transform("sum").to_numpy()
                    rmask = rmask & (per_org >= st.min_n)
                if rvalues is not None:
                    rcat = None
                    if breakdown:
                        rcat = rdata.resp[breakdown].to_numpy(dtype=object) if breakdown in rdata.resp else None
                        rcat = np.where(rcat == "", None, rcat) if rcat is not None else None
                    rparts = [self._summary(rdata, rvalues, rmask, None, kind, st.confidence)]
                    if breakdown and rcat is not None:
                        cmask = rmask
                        if comparison in ("benchmark", "peers"):
                            # the same rule per category: an organisation enters a category's pooled
                            # figure only with >= min_n answers in it; else comparing the benchmarks
                            # of two organisations would reveal its few answers by subtraction
                            valid = rvalues.notna().any(axis=1).to_numpy() & rmask
                            per_cat = pd.Series(valid.astype(int)).groupby(
                                [np.asarray(rdata.org), pd.Series(rcat, dtype=object)], dropna=False
                            ).transform("sum").to_numpy()
                            cmask = rmask & (per_cat >= st.min_n)
                        rparts.append(self._summary(rdata, rvalues, cmask, rcat, kind, st.confidence))
                    ref = pd.concat(rparts, ignore_index=True)
        if ref is not None:
            ref = own[["category", "code"]].merge(ref, on=["category", "code"], how="left")
            cmp = compare_summaries(own, ref.fillna({"n": 0}), kind=kind)
            ref_n = ref["n"].to_numpy(dtype=float)
            # the reference's categories are siblings beside its total too (else one follows by
            # subtraction); with small groups allowed only the primary rule applies
            shown = np.nan_to_num(ref_n) >= st.min_n
            if not self._allow_small:
                shown &= ~self._category_mask(ref.fillna({"n": 0}), st.min_n)
            testable = shown & (own["n"].to_numpy() >= st.min_n)
            own["ref_value"] = np.where(shown, ref["value"].to_numpy(dtype=float), np.nan)
            own["ref_n"] = np.where(shown, ref_n, np.nan)
            own["diff"] = np.where(shown, cmp["diff"].to_numpy(), np.nan)
            p = np.where(testable, cmp["p"].to_numpy(), np.nan)
            practical = np.where(testable, cmp["practical"].to_numpy(), np.nan)
            own["p_adj"] = holm(p)
            if kind == "proportion":
                f = flag(own["p_adj"], own["diff"], alpha=st.alpha, min_effect=st.min_diff_top2)
            else:
                f = flag(own["p_adj"], own["diff"], alpha=st.alpha, min_effect=st.min_hedges_g,
                         practical=practical)
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
        self.table = own.reset_index(drop=True)
        return self.table

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

    # -- export -----------------------------------------------------------------------------
    def export(self, path: str | Path) -> Path:
        """Write the current table to ``.xlsx`` or ``.csv`` (UTF-8); returns the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix.lower() == ".xlsx":
            self.table.to_excel(path, index=False, sheet_name="ikto")
        elif path.suffix.lower() == ".csv":
            self.table.to_csv(path, index=False, encoding="utf-8")
        else:
            raise ValueError(f"export to .xlsx or .csv, not {path.suffix!r}")
        log.info("ikto explorer: exported %d rows to %s", len(self.table), path)
        return path
