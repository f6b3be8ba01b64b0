"""Reading one organisation's rows of a prepared table: only its rows (and the wave's), read with
a parquet filter from a file sorted by organisation in small row groups."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq

from ikto_lib import prepared as P


def _results(n_orgs: int = 30, per_org: int = 1000) -> pd.DataFrame:
    orgs = [f"ORG{i:02d}" for i in range(n_orgs)]
    frame = pd.DataFrame({"org": [o for o in reversed(orgs) for _ in range(per_org)] + [""] * 50,
                          "value": range(n_orgs * per_org + 50)})
    return frame.reindex(columns=["org", "value"])


def test_rows_returns_only_the_organisations_rows(tmp_path):
    frame = _results()
    P.write_table(tmp_path, "results", frame)
    meta = pq.ParquetFile(tmp_path / "results.parquet").metadata
    assert meta.num_row_groups > 1  # small row groups: a filter can skip most of the file
    stored = pd.read_parquet(tmp_path / "results.parquet")
    assert stored["org"].is_monotonic_increasing  # sorted by organisation
    got = P.Prepared(tmp_path).rows("results", "ORG07")
    expected = frame[frame["org"].isin(["ORG07", ""])]
    assert set(got["org"]) == {"ORG07", ""} and len(got) == len(expected)
    assert sorted(got["value"]) == sorted(expected["value"])
    only = P.Prepared(tmp_path).rows("results", "ORG07", wave=False)
    assert set(only["org"]) == {"ORG07"} and len(only) == 1000
    # the same answer from a reader that had read the whole table already
    prep = P.Prepared(tmp_path)
    _ = prep.results
    cached = prep.rows("results", "ORG07")
    assert sorted(cached["value"]) == sorted(got["value"])
    assert P.Prepared(tmp_path).rows("results", "NOPE", wave=False).empty


def test_sorting_keeps_the_order_within_an_organisation(tmp_path):
    frame = pd.DataFrame({"org": ["B", "A", "B", "A"], "value": [1, 2, 3, 4]})
    P.write_table(tmp_path, "results", frame)
    stored = pd.read_parquet(tmp_path / "results.parquet")
    assert stored["value"].tolist() == [2, 4, 1, 3]
