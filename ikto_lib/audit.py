"""The privacy audit: scan any output (prepared parquet, HTML report, Excel workbook) for leaks.

Every output of a batch must pass it (``shared/spec/domain.md``, "Privacy is the first
requirement"). The audit is independent of how the outputs were made: it reads the files back
and looks for

``small_group``
    a figure of a group with fewer than ``min_n`` respondents (valid answers): in ``results`` a
    row with ``0 < n < min_n`` that carries a value, interval or a flag other than ``suppressed``;
    a comparison against a group with ``0 < ref_n < min_n``; a ``suppressed`` row that still
    carries a value.
``small_count``
    a count of respondents below ``min_n`` shown: ``0 < x < min_n`` in a count column (``n``,
    ``respondents``, ``ref_n``) of a prepared table, in an HTML table column or an Excel column
    headed ``n``/``N``/``respondenten``/``respondents``/``aantal`` (or in a row headed so), or in
    a text such as ``(n = 8)``. Exception: ``n`` of ``pluim_shares`` is the numerator of a share of
    an organisation of at least ``min_n`` respondents, not a group size
    (:mod:`ikto_lib.prepare.pluim`).
``derivable``
    a suppressed figure that follows by subtraction: among sibling groups shown beside their
    shown total (the units of an organisation, the categories of a background variable, the
    organisations of the wave) the respondents not covered by the shown siblings (total ``n``
    minus the shown siblings' ``n``) number 1 to ``min_n - 1``; or exactly one sibling is
    suppressed while others are shown (unless the shown siblings provably cover the whole total).
    Checked on ``results`` and on ``response`` (organisation x breakdown x category). Also: a
    hidden ``respondents`` count whose ``response_rate`` (a fraction) x ``headcount`` is shown
    and below ``min_n``.
``respondent_id``
    a column named like ``respondent_id``, or a cell / text holding a respondent id of the wave
    (exact value, or an exact token inside a text). Findings never repeat the id or the e-mail
    address / phone number they found (they end up in logs and on the index page); the location
    leads to it. Ids that are plain numbers of fewer than 6
    digits are only matched as a whole cell of a prepared table: in reports they cannot be told
    apart from figures.
``pii``
    unredacted personal data in any string cell, visible HTML text, HTML comment or Excel cell:
    a long number, phone number, e-mail address (also disguised), IBAN or postal address. Found
    by the audit's own detector (:mod:`ikto_lib.pii_scan`), not by the patterns that redacted the
    texts (:mod:`ikto_lib.redact`), so that what the redaction misses is still caught.
``unreadable``
    an output file that could not be read (it cannot be shown to be safe).

What the audit cannot see: semantic sibling structure in HTML/Excel (it checks their counts, and
the prepared tables they are made from) and names of persons in free text. Findings are capped at :data:`MAX_LISTED` per check and file;
one further finding then says how many more there are.

>>> import pandas as pd
>>> bad = pd.DataFrame({"org": ["A"], "unit": ["X"], "measure": ["top2"], "n": [4],
...                     "value": [0.5], "flag": [""]})
>>> [f.kind for f in audit_frame(bad, min_n=10)]
['small_group']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .pii_scan import describe as _pii_detail
from .pii_scan import scan_series as _pii_hits

__all__ = [
    "Finding",
    "KINDS",
    "COUNT_COLUMNS",
    "COUNT_HEADERS",
    "ID_COLUMNS",
    "MAX_LISTED",
    "audit_frame",
    "audit_prepared",
    "audit_html",
    "audit_xlsx",
    "audit_outputs",
    "assert_no_leaks",
]

KINDS = ("small_group", "small_count", "derivable", "respondent_id", "pii", "unreadable")
#: Columns of prepared tables holding counts of respondents (group sizes).
COUNT_COLUMNS = ("n", "respondents", "ref_n")
#: Count columns that are numerators of a share of a group of at least ``min_n`` (not checked).
NUMERATOR_COLUMNS = {"pluim_shares": ("n",)}
#: Headers of HTML / Excel columns (or rows) holding counts of respondents (compared normalised:
#: lower case, footnote marks and surrounding punctuation removed).
COUNT_HEADERS = frozenset({
    "n", "respondenten", "respondents", "aantal", "aantal respondenten", "number of respondents",
    "n respondenten", "aantal waarnemingen",
})
#: Column names that hold respondent ids (compared lower case).
ID_COLUMNS = frozenset({
    "respondent_id", "respondentid", "respondent id", "respondent", "resp_id", "respondentnummer",
    "respondent_nr",
})
#: Findings listed per check and file; the rest is summarised in one finding.
MAX_LISTED = 20

_KEY_COLUMNS = ("org", "unit", "breakdown", "category", "domain", "item", "measure", "comparison",
                "target")
_FIGURE_COLUMNS = ("value", "ci_low", "ci_high", "diff", "p", "p_adj", "effect_size")
_SEP = "\x1f"
_ID_TOKEN_RE = re.compile(r"[\w-]+(?:[./:][\w-]+)*")
_N_EQUALS_RE = re.compile(r"(?<!\w)[nN]\s*=\s*(\d{1,3}(?:\.\d{3})+|\d+)(?!\d)(?![.,]\d)")
_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+$")  # counts are whole: 3,023 and 3.023 both mean 3023


@dataclass(frozen=True)
class Finding:
    """One privacy problem in one output.

    Attributes
    ----------
    file : str
        The output file (or ``"<frame>"`` / ``"<html>"`` for in-memory input).
    location : str
        Where in the file: row and key columns, table/row/column, sheet and cell, text line.
    kind : str
        One of :data:`KINDS`.
    detail : str
        What is wrong, in words.
    """

    file: str
    location: str
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.file}: {self.location}: {self.kind}: {self.detail}"


# ---------------------------------------------------------------------------------------------
# helpers


def _min_n(min_n) -> int:
    if isinstance(min_n, bool) or not isinstance(min_n, (int, np.integer)) or min_n < 1:
        raise ValueError(f"min_n must be an integer >= 1, got {min_n!r}")
    return int(min_n)


def _ids(respondent_ids) -> tuple[pd.Index, pd.Index]:
    """(all ids, ids safe to look for inside texts), as object indexes (fast ``isin``)."""
    if respondent_ids is None:
        return pd.Index([], dtype=object), pd.Index([], dtype=object)
    if isinstance(respondent_ids, (str, bytes)):
        raise ValueError("respondent_ids must be a collection of ids, not a single string")
    if not isinstance(respondent_ids, Iterable):
        raise ValueError(f"respondent_ids must be a collection of ids, got {type(respondent_ids).__name__}")
    s = pd.Series(list(respondent_ids), dtype="object").dropna().astype("str").str.strip()
    s = s[s != ""]
    short_number = s.str.fullmatch(r"\d{1,5}").to_numpy(dtype=bool)
    every = pd.Index(s.to_numpy(dtype=object), dtype=object).unique()
    return every, pd.Index(s.to_numpy(dtype=object)[~short_number], dtype=object).unique()


def _capped(findings: list[Finding], file: str, kind: str, what: str) -> list[Finding]:
    if len(findings) <= MAX_LISTED:
        return findings
    more = len(findings) - MAX_LISTED
    return findings[:MAX_LISTED] + [Finding(file, "(more)", kind, f"{more} more {what} not listed")]


def _str(col: pd.Series) -> pd.Series:
    return col.astype("str").fillna("")


def _key_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {c: (_str(frame[c]) if c in frame.columns else pd.Series("", index=frame.index))
         for c in _KEY_COLUMNS if c != "target"},
        index=frame.index,
    )


def _row_label(frame: pd.DataFrame, pos: int) -> str:
    keys = [f"{c}={frame[c].iloc[pos]}" for c in _KEY_COLUMNS
            if c in frame.columns and pd.notna(frame[c].iloc[pos]) and str(frame[c].iloc[pos]) != ""]
    return f"row {pos}" + (f" ({', '.join(keys)})" if keys else "")


def _fmt(x) -> str:
    x = float(x)
    return str(int(x)) if x.is_integer() else f"{x:g}"


def _string_findings(values: pd.Series, locate, ids: tuple[pd.Index, pd.Index], file: str, *,
                     pii: bool = True, whole_ids: bool = True) -> list[Finding]:
    """Respondent ids and PII in string ``values``; ``locate(index label)`` names a cell.

    Works on the unique values (factorize), so a long column of repeated codes costs little;
    only the cells with a finding are located.
    """
    values = values.dropna().astype("str")
    if values.empty:
        return []
    codes, uniques = pd.factorize(values)
    u = pd.Series(np.asarray(uniques, dtype=object), dtype="str")
    hit_id = np.zeros(len(u), dtype=bool)
    every, in_text = ids
    if len(every):
        stripped = pd.Series(u.str.strip().to_numpy(dtype=object), dtype=object)
        whole = stripped.isin(every if whole_ids else in_text).to_numpy(dtype=bool)
        hit_id |= whole
        if len(in_text):
            tokens = u.str.findall(_ID_TOKEN_RE).explode().dropna().astype(object)
            tok_hit = tokens[tokens.isin(in_text).to_numpy(dtype=bool)]
            hit_id[tok_hit.index.unique().to_numpy(dtype=int)] = True
    hit_pii = np.zeros(len(u), dtype=bool)
    if pii:
        hit_pii = _pii_hits(u)
    out_id, out_pii = [], []
    labels = values.index
    for i in np.flatnonzero(hit_id | hit_pii):
        where = np.flatnonzero(codes == i)
        first = locate(labels[where[0]]) + (f" (and {len(where) - 1} more)" if len(where) > 1 else "")
        if hit_id[i]:
            out_id.append(Finding(file, first, "respondent_id", "holds a respondent id of the wave"))
        if hit_pii[i]:
            out_pii.append(Finding(file, first, "pii", _pii_detail(u.iloc[i])))
    return (_capped(out_id, file, "respondent_id", "cells with respondent ids")
            + _capped(out_pii, file, "pii", "cells with personal data"))


def _sibling_findings(fam: pd.Series, label: pd.Series, sup: pd.Series, shown: pd.Series,
                      n: pd.Series, parent_n: pd.Series, parent_shown: pd.Series, min_n: int,
                      file: str, describe, what: str) -> list[Finding]:
    """Complementary suppression of sibling groups (vectorised per family)."""
    if fam.empty:
        return []
    d = pd.DataFrame({
        "fam": fam.to_numpy(),
        "sup": sup.to_numpy(dtype=bool),
        "shown": shown.to_numpy(dtype=bool),
        "n_shown": np.where(shown.to_numpy(dtype=bool), n.to_numpy(dtype=float, na_value=np.nan), 0.0),
        "unknown": (shown & n.isna()).to_numpy(dtype=bool),
        "sup_label": label.where(sup).to_numpy(dtype=object),
        "parent_n": parent_n.to_numpy(dtype=float, na_value=np.nan),
        "parent_shown": parent_shown.to_numpy(dtype=bool),
        "pos": np.arange(len(fam)),
    })
    g = d.groupby("fam", sort=False).agg(
        n_sup=("sup", "sum"), n_shown_rows=("shown", "sum"), sum_n=("n_shown", "sum"),
        unknown=("unknown", "sum"), sup_label=("sup_label", "first"),
        parent_n=("parent_n", "first"), parent_shown=("parent_shown", "first"), pos=("pos", "first"),
    )
    g = g[g["parent_shown"] & (g["n_shown_rows"] >= 1)]
    known = g["parent_n"].notna() & (g["unknown"] == 0)
    rem = g["parent_n"] - g["sum_n"]
    small_rem = known & (rem > 0.5) & (rem < min_n - 0.5)
    single = (g["n_sup"] == 1) & ~(known & (rem.abs() < 0.5)) & ~small_rem
    out = []
    for fam_key, row in g[small_rem].iterrows():
        out.append(Finding(file, describe(int(row["pos"])), "derivable",
                           f"total n = {_fmt(row['parent_n'])} minus the shown {what} "
                           f"(n = {_fmt(row['sum_n'])}) leaves {_fmt(rem[fam_key])} < min_n = "
                           f"{min_n} respondents whose figure follows by subtraction"))
    for _, row in g[single].iterrows():
        out.append(Finding(file, describe(int(row["pos"])), "derivable",
                           f"exactly one of the {what} is suppressed ({row['sup_label']}) beside "
                           f"{int(row['n_shown_rows'])} shown ones and their shown total: its "
                           "figure follows by subtraction"))
    return _capped(out, file, "derivable", "derivable sibling families")


# ---------------------------------------------------------------------------------------------
# frames


def _infer_table(frame: pd.DataFrame) -> str:
    cols = set(frame.columns)
    if {"org", "unit", "measure", "value", "flag"} <= cols:
        return "results"
    if {"org", "breakdown", "category", "respondents"} <= cols:
        return "response"
    if {"org", "target", "n", "share"} <= cols:
        return "pluim_shares"
    return ""


def _results_findings(df: pd.DataFrame, min_n: int, file: str) -> list[Finding]:
    k = _key_frame(df)
    n = pd.to_numeric(df["n"], errors="coerce").astype(float) if "n" in df.columns else pd.Series(np.nan, index=df.index)
    flag = _str(df["flag"]) if "flag" in df.columns else pd.Series("", index=df.index)
    sup = flag.eq("suppressed")
    figs = [c for c in _FIGURE_COLUMNS if c in df.columns]
    shown_fig = df[figs].notna().any(axis=1) if figs else pd.Series(False, index=df.index)
    small = (n > 0) & (n < min_n)
    pos = np.arange(len(df))
    label = lambda p: _row_label(df, p)  # noqa: E731
    out: list[Finding] = []

    group_small = small & (shown_fig | ~sup)
    rows = [Finding(file, label(p), "small_group",
                    f"n = {_fmt(n.iloc[p])} < min_n = {min_n}, yet "
                    + ("a value is shown" if shown_fig.iloc[p] else f"flag is {flag.iloc[p]!r}"))
            for p in pos[group_small.to_numpy()]]
    out += _capped(rows, file, "small_group", "rows of groups below min_n")
    rows = [Finding(file, label(p), "small_count",
                    f"suppressed row still shows n = {_fmt(n.iloc[p])} < min_n = {min_n}")
            for p in pos[(small & ~group_small).to_numpy()]]
    out += _capped(rows, file, "small_count", "suppressed rows showing n")
    rows = [Finding(file, label(p), "small_group", "row is flagged suppressed but carries a value")
            for p in pos[(sup & shown_fig).to_numpy()]]
    out += _capped(rows, file, "small_group", "suppressed rows with values")
    if "ref_n" in df.columns:
        ref_n = pd.to_numeric(df["ref_n"], errors="coerce").astype(float)
        ref_shown = df["ref_value"].notna() if "ref_value" in df.columns else pd.Series(True, index=df.index)
        bad = (ref_n > 0) & (ref_n < min_n) & ref_shown
        rows = [Finding(file, label(p), "small_group",
                        f"compared with a group of ref_n = {_fmt(ref_n.iloc[p])} < min_n = {min_n}")
                for p in pos[bad.to_numpy()]]
        out += _capped(rows, file, "small_group", "comparisons with small groups")

    # complementary suppression: families of siblings beside their total. Keys are integer codes
    # per key column (factorize), so grouping and the parent lookup are plain integer joins.
    plain = k["comparison"].eq("").to_numpy()
    shown = ~sup & (df["value"].notna() if "value" in df.columns else shown_fig)
    no_bd = (k["breakdown"].eq("") & k["category"].eq("")).to_numpy()
    codes, empty = {}, {}
    for c in ("org", "unit", "breakdown", "category", "domain", "item", "measure"):
        codes[c], uniques = pd.factorize(k[c].to_numpy(dtype=object))
        hit = np.flatnonzero(np.asarray(uniques, dtype=object) == "")
        empty[c] = int(hit[0]) if len(hit) else -2  # -2: no row has it, so nothing matches
    C = pd.DataFrame(codes)
    pkeys = ["org", "unit", "domain", "item", "measure"]
    parents = C.loc[plain & no_bd, pkeys].assign(
        p_n=n.to_numpy()[plain & no_bd], p_shown=shown.to_numpy()[plain & no_bd]
    ).drop_duplicates(pkeys)
    unit_ne, org_ne = C["unit"].ne(empty["unit"]).to_numpy(), C["org"].ne(empty["org"]).to_numpy()
    families = [
        # units of an organisation (parent: the organisation)
        (plain & no_bd & unit_ne, ["org", "domain", "item", "measure"], {"unit": empty["unit"]},
         k["unit"], "units"),
        # categories of a background variable (parent: the organisation / unit / wave)
        (plain & ~C["breakdown"].eq(empty["breakdown"]).to_numpy(),
         ["org", "unit", "breakdown", "domain", "item", "measure"], {}, k["category"], "categories"),
        # organisations of the wave (parent: the wave, org == "")
        (plain & no_bd & ~unit_ne & org_ne, ["domain", "item", "measure"],
         {"org": empty["org"], "unit": empty["unit"]}, k["org"], "organisations"),
    ]
    for m, fam_cols, parent_fixed, lab, what in families:
        if not m.any():
            continue
        sub = C.loc[m]
        fam = sub.groupby(fam_cols, sort=False).ngroup()
        look = sub[pkeys].assign(**parent_fixed).merge(parents, on=pkeys, how="left")
        where = pos[m]
        out += _sibling_findings(
            fam, lab[m], sup[m], shown[m], n[m], look["p_n"],
            look["p_shown"].eq(True), min_n, file,
            lambda i, where=where, what=what: f"{_row_label(df, int(where[i]))} [family of {what}]",
            what,
        )
    return out


def _response_findings(df: pd.DataFrame, min_n: int, file: str,
                       parent_totals: pd.Series | None) -> list[Finding]:
    org = _str(df["org"])
    bd = _str(df["breakdown"])
    cat = _str(df["category"])
    resp = pd.to_numeric(df["respondents"], errors="coerce").astype(float)
    flag = _str(df["flag"]) if "flag" in df.columns else pd.Series("", index=df.index)
    sup = flag.eq("suppressed")
    shown = ~sup & resp.notna()
    totals = pd.Series(resp[bd.eq("") & cat.eq("") & shown].to_numpy(), index=org[bd.eq("") & cat.eq("") & shown])
    totals = totals[~totals.index.duplicated()]
    if parent_totals is not None:
        extra = pd.to_numeric(parent_totals, errors="coerce").dropna()
        extra.index = extra.index.astype("str")
        totals = pd.concat([totals, extra[~extra.index.isin(totals.index)]])
    m = bd.ne("").to_numpy()
    where = np.flatnonzero(m)
    parent_n = org[m].map(totals)
    return _sibling_findings(
        org[m].str.cat(bd[m], sep=_SEP), cat[m], sup[m], shown[m], resp[m], parent_n,
        parent_n.notna(), min_n, file,
        lambda i: f"{_row_label(df, int(where[i]))} [family of categories]", "categories",
    )


def audit_frame(frame: pd.DataFrame, *, min_n: int, respondent_ids=None, table: str | None = None,
                file: str = "<frame>", parent_totals: pd.Series | None = None) -> list[Finding]:
    """Audit one table (a prepared table or any other frame about to be shown).

    Parameters
    ----------
    frame : DataFrame
        The table.
    min_n : int
        Anonymity threshold (settings ``min_n``).
    respondent_ids : collection of str, optional
        The wave's respondent ids; cells holding one (exactly, or as a token in a text) are
        findings.
    table : str, optional
        Which prepared table this is (``results``, ``response``, ``pluim_shares``, ...); inferred
        from the columns when omitted. Decides the table-specific checks.
    file : str
        Name used in the findings.
    parent_totals : Series, optional
        Respondents per organisation (index ``org``), the totals of the ``response`` table's
        sibling families when that table has no total rows (``audit_prepared`` passes the
        ``organisations`` table's).

    Returns
    -------
    list of Finding
        Empty when the table is clean.

    Raises
    ------
    ValueError
        If ``frame`` is not a DataFrame or ``min_n`` is not a positive integer.

    Examples
    --------
    >>> import pandas as pd
    >>> audit_frame(pd.DataFrame({"org": ["A"], "respondents": [25]}), min_n=10)
    []
    >>> print(audit_frame(pd.DataFrame({"text": ["bel 06-12345678"]}), min_n=10)[0])
    <frame>: row 0, column 'text': pii: unredacted personal data: 1 phone or other long number
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"audit_frame() expects a DataFrame, got {type(frame).__name__}")
    min_n = _min_n(min_n)
    ids = _ids(respondent_ids)
    frame = frame.reset_index(drop=True)
    table = table if table is not None else _infer_table(frame)
    out: list[Finding] = []

    id_columns = [c for c in frame.columns if str(c).strip().lower() in ID_COLUMNS]
    for col in id_columns:
        out.append(Finding(file, f"column {col!r}", "respondent_id",
                           "a column of respondent ids must never be written"))
    if table == "results":
        out += _results_findings(frame, min_n, file)
    else:
        numerators = NUMERATOR_COLUMNS.get(table, ())
        for col in COUNT_COLUMNS:
            if col not in frame.columns or col in numerators:
                continue
            x = pd.to_numeric(frame[col], errors="coerce").astype(float)
            bad = np.flatnonzero(((x > 0) & (x < min_n)).to_numpy())
            rows = [Finding(file, f"{_row_label(frame, int(p))}, column {col!r}", "small_count",
                            f"{col} = {_fmt(x.iloc[p])} < min_n = {min_n} is shown") for p in bad]
            out += _capped(rows, file, "small_count", f"small values in column {col!r}")
        if {"respondents", "headcount", "response_rate"} <= set(frame.columns):
            resp = pd.to_numeric(frame["respondents"], errors="coerce").astype(float)
            implied = (pd.to_numeric(frame["response_rate"], errors="coerce").astype(float)
                       * pd.to_numeric(frame["headcount"], errors="coerce").astype(float))
            bad = np.flatnonzero((resp.isna() & (implied > 0.5) & (implied < min_n - 0.5)).to_numpy())
            rows = [Finding(file, _row_label(frame, int(p)), "derivable",
                            f"respondents hidden, but response_rate x headcount = "
                            f"{implied.iloc[p]:.0f} < min_n = {min_n}") for p in bad]
            out += _capped(rows, file, "derivable", "rows whose respondents follow from the rate")
        if table == "response" and {"org", "breakdown", "category", "respondents"} <= set(frame.columns):
            out += _response_findings(frame, min_n, file, parent_totals)
        if table == "pluim_shares" and "flag" in frame.columns:
            sup = _str(frame["flag"]).eq("suppressed")
            shown = frame[[c for c in ("n", "share") if c in frame.columns]].notna().any(axis=1)
            rows = [Finding(file, _row_label(frame, int(p)), "small_group",
                            "row is flagged suppressed but shows n or share")
                    for p in np.flatnonzero((sup & shown).to_numpy())]
            out += _capped(rows, file, "small_group", "suppressed rows with values")

    texts = [c for c in frame.columns if c not in id_columns and (
             frame[c].dtype == object or isinstance(frame[c].dtype, (pd.StringDtype, pd.CategoricalDtype)))]
    for col in texts:
        values = frame[col]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype("object")
        out += _string_findings(values, lambda p, col=col: f"row {p}, column {col!r}", ids, file)
    return out


def audit_prepared(folder, *, min_n: int, respondent_ids=None) -> list[Finding]:
    """Audit every ``*.parquet`` table of a ``prepared/`` folder.

    Parameters
    ----------
    folder : str or Path
        The folder (e.g. ``outputs/2015/prepared``).
    min_n : int
        Anonymity threshold.
    respondent_ids : collection of str, optional
        The wave's respondent ids.

    Returns
    -------
    list of Finding

    Raises
    ------
    ValueError
        If ``folder`` is not a folder.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"{folder}: not a folder of prepared tables")
    min_n = _min_n(min_n)
    frames: dict[Path, pd.DataFrame] = {}
    out: list[Finding] = []
    for path in sorted(folder.glob("*.parquet")):
        try:
            frames[path] = pd.read_parquet(path)
        except Exception as exc:  # noqa: BLE001 - any unreadable output is a finding
            out.append(Finding(str(path), "(file)", "unreadable", f"cannot be read: {exc}"))
    parent_totals = None
    orgs = frames.get(folder / "organisations.parquet")
    if orgs is not None and {"org", "respondents"} <= set(orgs.columns):
        parent_totals = pd.Series(pd.to_numeric(orgs["respondents"], errors="coerce").to_numpy(),
                                  index=orgs["org"].astype("str"))
    for path, frame in frames.items():
        out += audit_frame(frame, min_n=min_n, respondent_ids=respondent_ids, table=path.stem,
                           file=str(path), parent_totals=parent_totals)
    return out


# ---------------------------------------------------------------------------------------------
# HTML and Excel


def _norm_header(text) -> str:
    s = re.sub(r"\s+", " ", str(text)).strip().lower()
    s = re.sub(r"[\s*†‡¹²³⁴⁵⁶⁷⁸⁹⁰:().\[\]]+$", "", s)
    return s.strip(" :*")


def _parse_count(value) -> float | None:
    """A number in a cell (int/float, or Dutch-formatted text); ``None`` when not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value) if np.isfinite(value) else None
    s = str(value).strip().replace("\u00a0", " ").replace("\u202f", " ")
    if _THOUSANDS_RE.match(s):
        return float(re.sub(r"\D", "", s))
    if re.fullmatch(r"\d+", s):
        return float(s)
    if re.fullmatch(r"\d+,\d+", s):
        return float(s.replace(",", "."))
    if re.fullmatch(r"\d+\.\d+", s):
        return float(s)
    return None


def _count_findings(file: str, cells: list[tuple[str, str, object]], min_n: int) -> list[Finding]:
    """``cells``: (location, header, value) of cells under / beside a count header."""
    rows = []
    for location, header, value in cells:
        x = _parse_count(value)
        if x is not None and 0 < x < min_n:
            rows.append(Finding(file, location, "small_count",
                                f"{header!r} = {value} < min_n = {min_n} is shown"))
    return _capped(rows, file, "small_count", "small counts")


_SVG_DATA = "data:image/svg+xml;base64,"


def chart_texts(soup) -> list[tuple[str, str]]:
    """``(where, text)`` of every ``<text>`` of the SVG charts embedded as ``<img>`` data URIs.

    Charts are pictures to an HTML parser; with live SVG text (``ikto_lib.report.charts``) the
    audit (and the tests) can read them like the rest of the page. An SVG that cannot be parsed
    yields one ``(where, "")`` entry so that callers can report it.

    >>> import base64
    >>> svg = b'<svg xmlns="http://www.w3.org/2000/svg"><text>n = 8</text></svg>'
    >>> from bs4 import BeautifulSoup
    >>> img = '<img alt="x" src="data:image/svg+xml;base64,' + base64.b64encode(svg).decode() + '">'
    >>> chart_texts(BeautifulSoup(img, "html.parser"))
    [('chart 1 (line 1), text 1', 'n = 8')]
    """
    import base64
    import binascii
    from xml.etree import ElementTree

    out = []
    imgs = [i for i in soup.find_all("img") if str(i.get("src", "")).startswith(_SVG_DATA)]
    for k, img in enumerate(imgs, start=1):
        where = f"chart {k} (line {img.sourceline})"
        try:
            root = ElementTree.fromstring(base64.b64decode(img["src"][len(_SVG_DATA):], validate=True))
        except (binascii.Error, ElementTree.ParseError, ValueError):
            out.append((where, ""))
            continue
        texts = ["".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text")]
        out += [(f"{where}, text {j}", x) for j, x in enumerate(texts, start=1) if x.strip()]
    return out


def _read_html(path_or_text) -> tuple[str, str]:
    if isinstance(path_or_text, Path):
        return path_or_text.read_text(encoding="utf-8", errors="replace"), str(path_or_text)
    if not isinstance(path_or_text, str):
        raise ValueError(f"audit_html() expects a path or HTML text, got {type(path_or_text).__name__}")
    if "<" in path_or_text:
        return path_or_text, "<html>"
    path = Path(path_or_text)
    if not path.is_file():
        raise ValueError(f"{path_or_text}: no such HTML file (and not HTML text)")
    return path.read_text(encoding="utf-8", errors="replace"), str(path)


def _span(cell, attr: str) -> int:
    try:
        return max(1, min(int(cell.get(attr, 1)), 1000))
    except (TypeError, ValueError):
        return 1


def _expand(cells, carry: dict[int, int]) -> list[tuple[int, object]]:
    """(column position, cell) for the cells of a row, honouring ``colspan`` and ``rowspan``.

    ``carry`` maps column positions still covered by a ``rowspan`` of an earlier row to the
    number of further rows they cover; it is updated for the next row.
    """
    out, col = [], 0
    taken = {c for c, left in carry.items() if left > 0}
    for c in list(carry):
        carry[c] -= 1
        if carry[c] <= 0:
            del carry[c]
    for cell in cells:
        while col in taken:
            col += 1
        span, rows = _span(cell, "colspan"), _span(cell, "rowspan")
        for j in range(span):
            out.append((col + j, cell))
            if rows > 1:
                carry[col + j] = rows - 1
        col += span
    return out


def audit_html(path_or_text, *, min_n: int, respondent_ids=None) -> list[Finding]:
    """Audit an HTML report (a file, or HTML text).

    Checks the tables (columns or rows headed by a count header, :data:`COUNT_HEADERS`), texts
    like ``n = 8``, and every visible text and comment for e-mail addresses, phone numbers and
    respondent ids; the texts of embedded SVG charts (:func:`chart_texts`) count as visible;
    scripts and styles are searched for respondent ids only.

    Parameters
    ----------
    path_or_text : str or Path
        Path of an ``.html`` file, or the HTML itself (a string containing ``<``).
    min_n : int
        Anonymity threshold.
    respondent_ids : collection of str, optional
        The wave's respondent ids.

    Returns
    -------
    list of Finding

    Raises
    ------
    ValueError
        If the argument is neither an existing file nor HTML text, or ``min_n`` is invalid.
    ImportError
        If BeautifulSoup (``beautifulsoup4``) is not installed.

    Examples
    --------
    >>> html = "<table><tr><th>Afdeling</th><th>n</th></tr><tr><td>Staf</td><td>3</td></tr></table>"
    >>> [f.kind for f in audit_html(html, min_n=10)]
    ['small_count']
    """
    from bs4 import BeautifulSoup, Comment

    min_n = _min_n(min_n)
    ids = _ids(respondent_ids)
    text, file = _read_html(path_or_text)
    soup = BeautifulSoup(text, "html.parser")
    out: list[Finding] = []

    # tables
    cells: list[tuple[str, str, object]] = []
    for t, table in enumerate(soup.find_all("table"), start=1):
        where = f"table {t} (line {table.sourceline})"
        rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
        count_cols: dict[int, str] = {}
        carry: dict[int, int] = {}
        seen_data = False
        for r, tr in enumerate(rows, start=1):
            row_cells = [c for c in tr.find_all(["td", "th"]) if c.find_parent("tr") is tr]
            expanded = _expand(row_cells, carry)
            is_header = tr.find_parent("thead") is not None or (
                bool(row_cells) and all(c.name == "th" for c in row_cells) and not seen_data)
            seen_data = seen_data or not is_header
            first: dict[int, int] = {}
            for pos, c in expanded:  # a cell spanning columns is read once, at its first one,
                first.setdefault(id(c), pos)  # unless it is a count header (then at each)
            texts = [(pos, c.get_text(" ", strip=True)) for pos, c in expanded
                     if first[id(c)] == pos or _norm_header(c.get_text(" ", strip=True)) in COUNT_HEADERS]
            for pos, s in texts:
                if _norm_header(s) in ID_COLUMNS and (is_header or pos == 0):
                    out.append(Finding(file, f"{where}, row {r}", "respondent_id",
                                       f"a column/row of respondent ids ({s!r})"))
            if is_header:
                for pos, s in texts:
                    if _norm_header(s) in COUNT_HEADERS:
                        count_cols[pos] = s
                continue
            if texts and _norm_header(texts[0][1]) in COUNT_HEADERS:  # a row headed "n"
                head = texts[0][1]
                cells += [(f"{where}, row {r}, column {pos + 1}", head, s) for pos, s in texts[1:]]
            for pos, s in texts:
                if pos in count_cols:
                    cells.append((f"{where}, row {r}, column {count_cols[pos]!r}", count_cols[pos], s))
    out += _count_findings(file, cells, min_n)

    # texts: n = 8; PII and ids in visible text and comments; ids in scripts/styles
    visible, hidden = [], []
    for s in soup.find_all(string=True):
        parent = s.parent
        line = getattr(parent, "sourceline", None)
        loc = f"line {line}, <{parent.name}>" if parent is not None else "text"
        if parent is not None and parent.name in ("script", "style", "template"):
            hidden.append((loc, str(s)))
        elif str(s).strip():
            visible.append((loc + (" comment" if isinstance(s, Comment) else ""), str(s)))
    for loc, s in chart_texts(soup):  # the texts of the charts are visible too
        if s:
            visible.append((loc, s))
        else:
            out.append(Finding(file, loc, "unreadable", "an embedded SVG chart could not be read"))
    n_rows = []
    for loc, s in visible:
        for m in _N_EQUALS_RE.finditer(s):
            x = _parse_count(m.group(1))
            if x is not None and 0 < x < min_n:
                n_rows.append(Finding(file, loc, "small_count", f"{m.group(0)!r} < min_n = {min_n} is shown"))
    out += _capped(n_rows, file, "small_count", "small 'n =' texts")
    if visible:
        locs = [loc for loc, _ in visible]
        out += _string_findings(pd.Series([s for _, s in visible], dtype="object"),
                                locs.__getitem__, ids, file, whole_ids=False)
    if hidden and len(ids[1]):
        locs_hidden = [loc for loc, _ in hidden]
        out += _string_findings(pd.Series([s for _, s in hidden], dtype="object"),
                                locs_hidden.__getitem__, ids, file, pii=False, whole_ids=False)
    return out


def audit_xlsx(path, *, min_n: int, respondent_ids=None) -> list[Finding]:
    """Audit an Excel workbook: every cell of every sheet (hidden ones too).

    A row holding a count header (:data:`COUNT_HEADERS`) makes its columns count columns for the
    rows below it, until an empty row; a row whose first filled cell is a count header makes the
    cells to its right counts. String cells are searched for e-mail addresses, phone numbers and
    respondent ids; a cell ``respondent_id`` (a header) is a finding.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file.
    min_n : int
        Anonymity threshold.
    respondent_ids : collection of str, optional
        The wave's respondent ids.

    Returns
    -------
    list of Finding

    Raises
    ------
    ValueError
        If ``path`` is not an existing file or ``min_n`` is invalid.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    min_n = _min_n(min_n)
    ids = _ids(respondent_ids)
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: no such Excel file")
    file = str(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable output is a finding
        return [Finding(file, "(file)", "unreadable", f"cannot be read: {exc}")]
    out: list[Finding] = []
    strings: list[tuple[str, str]] = []
    cells: list[tuple[str, str, object]] = []
    try:
        for ws in wb.worksheets:
            count_cols: dict[int, str] = {}
            for r, row in enumerate(ws.iter_rows(min_row=1, min_col=1, values_only=True), start=1):
                filled = [(c, v) for c, v in enumerate(row) if v is not None and str(v).strip() != ""]
                if not filled:
                    count_cols = {}
                    continue
                ref = lambda c, r=r: f"sheet {ws.title!r}, cell {get_column_letter(c + 1)}{r}"  # noqa: E731
                headers = {c: str(v) for c, v in filled
                           if isinstance(v, str) and _norm_header(v) in COUNT_HEADERS}
                for c, v in filled:
                    if isinstance(v, str):
                        strings.append((ref(c), v))
                        if _norm_header(v) in ID_COLUMNS:
                            out.append(Finding(file, ref(c), "respondent_id",
                                               f"a column/row of respondent ids ({v!r})"))
                if headers and filled[0][0] in headers and len(headers) == 1 and any(
                        _parse_count(v) is not None for _, v in filled[1:]):
                    head = headers[filled[0][0]]
                    cells += [(ref(c), head, v) for c, v in filled[1:]]
                    continue
                if headers and all(isinstance(v, str) for _, v in filled):
                    count_cols = headers
                    continue
                cells += [(ref(c), count_cols[c], v) for c, v in filled if c in count_cols]
    finally:
        wb.close()
    out += _count_findings(file, cells, min_n)
    if strings:
        locs = [loc for loc, _ in strings]
        out += _string_findings(pd.Series([v for _, v in strings], dtype="object"),
                                locs.__getitem__, ids, file)
    return out


# ---------------------------------------------------------------------------------------------
# whole outputs


def _settings_min_n(settings) -> int:
    if isinstance(settings, (int, np.integer)) and not isinstance(settings, bool):
        return _min_n(settings)
    value = settings.get("min_n") if isinstance(settings, dict) else getattr(settings, "min_n", None)
    if value is None:
        raise ValueError("settings lack 'min_n' (the anonymity threshold)")
    return _min_n(value)


def audit_file(path, *, min_n: int, respondent_ids=None) -> list[Finding]:
    """Audit one output: a prepared folder (``*.parquet``), an ``.html``/``.htm`` or ``.xlsx``
    file (the unit of work :func:`audit_outputs` hands to its ``map_files``)."""
    path = Path(path)
    if path.is_dir():
        return audit_prepared(path, min_n=min_n, respondent_ids=respondent_ids)
    if path.suffix.lower() == ".xlsx":
        return audit_xlsx(path, min_n=min_n, respondent_ids=respondent_ids)
    return audit_html(path, min_n=min_n, respondent_ids=respondent_ids)


#: Folder of an output folder holding reports the batch withdrew after a finding: not published,
#: not audited again (``ikto_lib.batch.run``).
WITHDRAWN_DIR = "withdrawn"


def _published(path: Path, out_dir: Path) -> bool:
    return WITHDRAWN_DIR not in path.relative_to(out_dir).parts[:-1]


def audit_outputs(out_dir, settings, *, respondent_ids=None, map_files=None,
                  attack: bool = True, cache=None) -> list[Finding]:
    """Audit everything a batch wrote: prepared tables, HTML reports and Excel workbooks.

    Parameters
    ----------
    out_dir : str or Path
        An output folder (e.g. ``outputs/2015``), searched recursively: every folder holding
        ``*.parquet`` files is audited as a prepared folder, every ``*.html``/``*.htm`` and
        ``*.xlsx`` file on its own (Excel lock files ``~$...`` and the reports the batch
        withdrew, in :data:`WITHDRAWN_DIR`, are skipped).
    settings : Settings, mapping or int
        Uses ``min_n``; a plain integer is taken as ``min_n``.
    respondent_ids : collection of str, optional
        The wave's respondent ids (e.g. ``wave.responses["respondent_id"]``).
    map_files : callable, optional
        ``map_files(audit_file, paths, min_n=..., respondent_ids=...)`` -> one list of findings
        per path, in order; e.g. the batch's dask cluster auditing files in parallel. Default:
        one after the other here.
    attack : bool, default True
        Also attack the prepared tables (:mod:`ikto_lib.attack`): hidden groups pinned from all
        published tables together are findings (kind ``derivable``); its figures are logged.
    cache : AuditCache, optional
        Findings of earlier audits (:class:`ikto_lib.audit_cache.AuditCache`): an output whose
        bytes and audit parameters match an entry is not audited again (nor attacked); the
        caller saves the cache.

    Returns
    -------
    list of Finding
        Empty when every output is clean; in the order prepared folders, HTML, Excel, attack.

    Raises
    ------
    ValueError
        If ``out_dir`` is not a folder or the settings have no valid ``min_n``.
    """
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise ValueError(f"{out_dir}: not an output folder")
    min_n = _settings_min_n(settings)
    items = sorted({p.parent for p in out_dir.rglob("*.parquet") if _published(p, out_dir)})
    items += sorted(p for ext in ("*.html", "*.htm") for p in out_dir.rglob(ext)
                    if p.is_file() and _published(p, out_dir))
    items += sorted(p for p in out_dir.rglob("*.xlsx")
                    if p.is_file() and not p.name.startswith("~$") and _published(p, out_dir))
    params = keys = None
    found: list = [None] * len(items)
    if cache is not None:
        from .audit_cache import params_digest

        ids = None if respondent_ids is None else sorted(map(str, respondent_ids))
        params = params_digest(min_n, ids)
        keys = [cache.key("file", p, params) for p in items]
        found = [cache.get(k) for k in keys]
    todo = [p for p, f in zip(items, found) if f is None]
    if map_files is None:
        fresh = [audit_file(p, min_n=min_n, respondent_ids=respondent_ids) for p in todo]
    elif todo:
        fresh = list(map_files(audit_file, todo, min_n=min_n, respondent_ids=respondent_ids))
        if len(fresh) != len(todo):
            raise RuntimeError(f"map_files returned {len(fresh)} results for {len(todo)} outputs")
    else:
        fresh = []
    fresh_iter = iter(fresh)
    for i, f in enumerate(found):
        if f is None:
            found[i] = next(fresh_iter)
            if cache is not None:
                cache.put(keys[i], found[i])
    if attack:
        found.append(_attack(out_dir, settings, min_n, cache))
    return [f for per_file in found for f in per_file]


def _attack(out_dir: Path, settings, min_n: int, cache) -> list[Finding]:
    """The attack's findings on every prepared folder (from the cache when nothing changed)."""
    import logging

    key = None
    if cache is not None:
        from .audit_cache import file_digest, params_digest

        dump = settings.model_dump() if hasattr(settings, "model_dump") else settings
        folders = sorted({p.parent for p in out_dir.rglob("results.parquet")})
        key = "attack:" + params_digest(min_n, dump, [(str(f.relative_to(out_dir)),
                                                       file_digest(f)) for f in folders])
        cached = cache.get(key)
        if cached is not None:
            logging.getLogger(__name__).info("privacy audit attack: prepared tables unchanged, "
                                             "%d finding(s) of the last attack", len(cached))
            return cached
    from .attack import attack_outputs  # here: its import (scipy) is not needed for a cache hit

    result = attack_outputs(out_dir, settings)
    logging.getLogger(__name__).info("privacy audit attack: %s", result.describe())
    findings = list(result.audit_findings())
    if cache is not None:
        cache.put(key, findings)
    return findings


def assert_no_leaks(path_or_dir, min_n: int = 10, respondent_ids=None) -> None:
    """Test helper: raise ``AssertionError`` listing every finding of the audit.

    Parameters
    ----------
    path_or_dir : str, Path or DataFrame
        An output folder (:func:`audit_outputs`), a prepared folder, a ``.parquet``, ``.html``
        or ``.xlsx`` file, or a DataFrame.
    min_n : int, default 10
        Anonymity threshold.
    respondent_ids : collection of str, optional
        The wave's respondent ids.

    Raises
    ------
    AssertionError
        When the audit has findings; the message lists them, one per line.
    ValueError
        If the path does not exist or has an unknown file type.

    Examples
    --------
    >>> import pandas as pd
    >>> assert_no_leaks(pd.DataFrame({"org": ["A"], "respondents": [12]}))
    """
    if isinstance(path_or_dir, pd.DataFrame):
        findings = audit_frame(path_or_dir, min_n=min_n, respondent_ids=respondent_ids)
    else:
        path = Path(path_or_dir)
        if path.is_dir():
            findings = audit_outputs(path, min_n, respondent_ids=respondent_ids)
        elif not path.is_file():
            raise ValueError(f"{path}: no such file or folder")
        elif path.suffix == ".parquet":
            findings = audit_frame(pd.read_parquet(path), min_n=min_n, respondent_ids=respondent_ids,
                                   table=path.stem, file=str(path))
        elif path.suffix in (".html", ".htm"):
            findings = audit_html(path, min_n=min_n, respondent_ids=respondent_ids)
        elif path.suffix == ".xlsx":
            findings = audit_xlsx(path, min_n=min_n, respondent_ids=respondent_ids)
        else:
            raise ValueError(f"{path}: unknown output type (expected a folder, .parquet, .html or .xlsx)")
    if findings:
        raise AssertionError(f"privacy audit: {len(findings)} finding(s)\n"
                             + "\n".join(f"  {f}" for f in findings))
