"""Respondent-level measures and group figures (estimates with intervals) of one wave.

A respondent row becomes, vectorised over all respondents at once:

* proportions: per item the top-2 indicator, per domain the respondent's top-2 share
  (:func:`ikto_lib.stats.coding.domain_scores`), ``overall`` (share of all answered items in the
  top-2) and the grade pass indicator (grade >= pass mark);
* means: per item the valid code, per domain the respondent's domain score, ``overall`` (mean of
  all answered items) and the grade;
* item non-response: per item the n.v.t. share (n.v.t. among shown answers) and the skip share
  (empty among all respondents).

Domain scores use the domain's aspect items, not its overall item (that is an item of its own).
Group figures come from :func:`ikto_lib.stats.estimates.group_summary`; each measure column is
named ``"<measure>|<domain>|<item>"`` so the tidy result splits into the contract's columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import Instrument, Settings
from ..stats import coding
from ..stats.estimates import group_summary

SEP = "|"


def col(measure: str, domain: str = "", item: str = "") -> str:
    return f"{measure}{SEP}{domain}{SEP}{item}"


@dataclass
class Measures:
    """Respondent x measure frames of one wave (float, NaN = missing)."""

    proportion: pd.DataFrame
    mean: pd.DataFrame
    nonresponse: pd.DataFrame
    domain_score: pd.DataFrame  # respondents x domain (for drivers, reliability)
    values: pd.DataFrame  # respondents x item, valid codes (for reliability)


def respondent_measures(responses: pd.DataFrame, instrument: Instrument, settings: Settings) -> Measures:
    """Build the respondent-level measure frames (see module docstring).

    Items declared ``reversed`` are recoded (``min + max - code``) first; yes/no items give only the
    share yes (``top2``), no mean, and are part of neither a domain score nor ``overall``. Without a
    grade in the instrument there are no grade measures.
    """
    inst = instrument
    scale_items = [i for i in inst.scale_item_ids if i in responses.columns]
    yesno_items = [i for i in inst.yesno_item_ids if i in responses.columns]
    items = scale_items + yesno_items
    item_domain = {i.id: i.domain for i in inst.items}
    lo, hi = inst.scale.min, inst.scale.max
    nvt_codes = inst.nvt.codes
    values = coding.valid_codes(responses[scale_items], nvt_codes, scale=(lo, hi))
    values = coding.reverse(values, inst.reversed_item_ids, (lo, hi))
    top = coding.top2(values, inst.scale.top2)
    domain_items = {
        d: [i for i in its if i in values.columns]
        for d, its in inst.domain_items(overall=False).items()
    }
    domain_items = {d: its for d, its in domain_items.items() if its}
    score, dtop = coding.domain_scores(
        values, domain_items, min_items_share=settings.min_items_share, top=inst.scale.top2
    )
    overall_top = top.mean(axis=1)  # share / mean over the items a respondent answered (NaN: none)
    overall_mean = values.mean(axis=1)
    prop_parts = [top.set_axis([col("top2", item_domain[i], i) for i in scale_items], axis=1)]
    if yesno_items:
        yes = coding.yes_share(responses[yesno_items], inst.yesno.yes_code, inst.yesno.no_code, nvt_codes)
        prop_parts.append(yes.set_axis([col("top2", item_domain[i], i) for i in yesno_items], axis=1))
    prop_parts += [dtop.set_axis([col("top2", d) for d in dtop.columns], axis=1),
                   overall_top.rename(col("top2")).to_frame()]
    mean_parts = [values.set_axis([col("mean", item_domain[i], i) for i in scale_items], axis=1),
                  score.set_axis([col("mean", d) for d in score.columns], axis=1),
                  overall_mean.rename(col("mean")).to_frame()]
    if inst.grade is not None:
        grade = responses[inst.grade.id].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        grade = pd.Series(grade, index=responses.index)
        prop_parts.append(coding.grade_pass(grade, inst.grade.pass_mark).rename(col("grade_pass")).to_frame())
        mean_parts.append(grade.rename(col("grade_mean")).to_frame())
    prop = pd.concat(prop_parts, axis=1)
    mean = pd.concat(mean_parts, axis=1)
    raw = responses[items].to_numpy(dtype=float, na_value=np.nan)
    skipped = np.isnan(raw)
    nvt = np.isin(raw, nvt_codes)
    nonresp = pd.concat(
        [
            pd.DataFrame(
                np.where(skipped, np.nan, nvt.astype(float)), index=responses.index,
                columns=[col("nvt_share", item_domain[i], i) for i in items],
            ),
            pd.DataFrame(
                skipped.astype(float), index=responses.index,
                columns=[col("skip_share", item_domain[i], i) for i in items],
            ),
        ],
        axis=1,
    )
    return Measures(prop, mean, nonresp, score, values)


def outcome(responses: pd.DataFrame, measures: Measures, instrument: Instrument) -> pd.Series | None:
    """The respondent values drivers and priorities explain: the grade (when the instrument's
    ``outcome`` is the grade and it was asked), an overall item's valid code, or ``None``."""
    oid = instrument.outcome_id
    if oid is None:
        return None
    if instrument.outcome_is_grade:
        return measures.mean[col("grade_mean")]
    if oid not in measures.values.columns:
        return None
    return measures.values[oid]


def split_column(frame: pd.DataFrame) -> pd.DataFrame:
    """Replace the ``item`` column ``measure|domain|item`` by the three contract columns.

    Split once per distinct column name (a few hundred), then mapped: not once per row.
    """
    codes, uniques = pd.factorize(frame["item"])
    parts = pd.Series(uniques).str.split(SEP, expand=True, regex=False)
    out = frame.drop(columns="item")
    out["measure"] = parts[0].to_numpy()[codes]
    out["domain"] = parts[1].to_numpy()[codes]
    out["item"] = parts[2].to_numpy()[codes]
    return out


def pool(summary: pd.DataFrame, by: list[str], confidence: float) -> pd.DataFrame:
    """Pool a tidy :func:`summarise` result into larger groups (``by``; ``[]`` = everything),
    per measure, domain and item, from its sufficient statistics."""
    from ..stats.estimates import pool_summaries

    parts = []
    kinds = kind_of(summary["measure"])
    for kind in ("proportion", "mean"):
        rows = summary[kinds == kind]
        if len(rows):
            pooled = pool_summaries(rows, list(by) + ["measure", "domain"], kind=kind, confidence=confidence)
            parts.append(pooled.drop(columns="n_groups"))
    return pd.concat(parts, ignore_index=True)


def summarise(measures: Measures, keys: list[pd.Series], weights, confidence: float,
              *, nonresponse: bool = False) -> pd.DataFrame:
    """Group figures of every measure for the groups defined by ``keys`` (tidy, with sums)."""
    parts = [
        group_summary(measures.proportion, keys, weights=weights, kind="proportion", confidence=confidence),
        group_summary(measures.mean, keys, weights=weights, kind="mean", confidence=confidence),
    ]
    if nonresponse:
        parts.append(group_summary(measures.nonresponse, keys, weights=weights, kind="proportion",
                                   confidence=confidence))
    out = pd.concat(parts, ignore_index=True)
    return split_column(out)


def kind_of(measure: pd.Series) -> np.ndarray:
    """``proportion`` or ``mean`` per measure name."""
    return np.where(measure.isin(["mean", "grade_mean"]), "mean", "proportion")


def group_counts(measures: Measures, keys: list[pd.Series]) -> pd.DataFrame:
    """Unweighted counts per group of ``keys`` and measure column (``n`` as in :func:`summarise`:
    respondents with a value), plus ``respondents`` per group; long, one row per group x column.
    ``pos``: for the proportion columns (top-2 and grade pass shares) the unweighted sum of the
    respondents' values, i.e. the group's positive count (NaN for the other columns).

    These are the counts the anonymity pattern is computed from: they do not depend on weights,
    so the pattern can be fixed before the weights (whose cells follow it) are made.
    """
    frame = pd.concat(keys, axis=1)
    names = list(frame.columns)
    valid = pd.concat([measures.proportion.notna(), measures.mean.notna()], axis=1)
    valid[col("respondents")] = True
    by = [frame[c] for c in names]
    counts = valid.groupby(by, observed=True, sort=True).sum()
    counts.columns.name = "column"
    out = counts.stack().rename("n").reset_index()
    positives = measures.proportion.groupby(by, observed=True, sort=True).sum()
    positives.columns.name = "column"
    pos = positives.stack().rename("pos").reset_index()
    out = out.merge(pos, on=names + ["column"], how="left", validate="one_to_one")
    return out.astype({"n": float, "pos": float})
