"""Report data: the per-report and per-wave caches give the same frames as computing directly."""

from __future__ import annotations

import pandas as pd

from ikto_lib.report import data, report_config


def _direct(cfg, measure="top2"):
    """domains() computed the plain way: the organisation's rows, then wide()."""
    r = cfg.data.results
    r = r[(r["org"] == cfg.org) & (r["breakdown"] == "") & (r["unit"] == "") & (r["domain"] != "")
          & (r["item"] == "") & (r["measure"] == measure)]
    return data.wide(r, ["domain"], data.comparisons(cfg))


def test_cached_frames_equal_direct_computation_for_every_organisation(small_prepared):
    orgs = pd.read_parquet(small_prepared / "organisations.parquet")
    eligible = orgs.loc[orgs["eligible"], "org"].astype(str).tolist()
    assert len(eligible) >= 10
    seen_previous = seen_suppressed = False
    for org in eligible:
        cfg = report_config(org, prepared=small_prepared)
        for measure in ("top2", "mean"):
            got = data.domains(cfg, measure).drop(columns="label")
            want = _direct(cfg, measure).set_index("domain").reindex(cfg.instrument.domain_ids)
            want["suppressed"] = want["suppressed"].astype("boolean").fillna(True).astype(bool)
            want = want.rename_axis("domain").reset_index()
            pd.testing.assert_frame_equal(got, want[got.columns], check_dtype=False, obj=f"{org} {measure}")
        seen_previous |= "previous" in data.comparisons(cfg)
        seen_suppressed |= bool(data.domains(cfg)["suppressed"].any())
    assert seen_previous and seen_suppressed  # the comparisons and the suppression were exercised


def test_per_report_frames_are_copies(small_prepared):
    org = str(pd.read_parquet(small_prepared / "organisations.parquet").query("eligible")["org"].iloc[0])
    cfg = report_config(org, prepared=small_prepared)
    first = data.domains(cfg)
    first.loc[:, "value"] = -1.0  # a section changing its frame does not change the next one's
    assert (data.domains(cfg)["value"].dropna() >= 0).all()
    assert data.domains(cfg) is not data.domains(cfg)
