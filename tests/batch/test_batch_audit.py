"""The batch's privacy audit on its dask cluster finds what the audit finds in this process."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from ikto_lib.audit import audit_outputs
from ikto_lib.batch.cluster import cluster_map, open_client

pytestmark = pytest.mark.slow


def test_audit_on_the_cluster_equals_the_audit_here(tmp_path):
    ids = [f"R{i:06d}" for i in range(1, 2001)]
    (tmp_path / "A.html").write_text("<html><body><p>Staf (n = 4)</p><p>mail a.b@c.nl</p></body></html>")
    (tmp_path / "B.html").write_text("<html><body><p>Respondent R000042 schreef iets.</p></body></html>")
    (tmp_path / "C.html").write_text("<html><body><p>Alles in orde (n = 40)</p></body></html>")
    wb = Workbook()
    wb.active.append(["Afdeling", "n"])
    wb.active.append(["Staf", 3])
    wb.save(tmp_path / "A.xlsx")
    here = audit_outputs(tmp_path, 10, respondent_ids=ids)
    assert sorted(f.kind for f in here) == ["pii", "respondent_id", "small_count", "small_count"]
    with open_client(workers=2) as client:
        there = audit_outputs(tmp_path, 10, respondent_ids=ids, map_files=cluster_map(client))
        assert there == here  # same findings, same order
        assert audit_outputs(tmp_path, 10, map_files=cluster_map(client)) == [
            f for f in here if f.kind != "respondent_id"]
