"""The first page's key figures (issue 14, part 3): tiles computed as a frame, then on the cover."""

from __future__ import annotations

import pandas as pd
from bs4 import BeautifulSoup

from ikto_lib.report import data, report_config, sections, tiles


def test_key_figures_frame_matches_the_tables(fake_prepared):
    cfg = report_config("MINBZK", prepared=fake_prepared)
    k = tiles.key_figures(cfg).set_index("key")
    assert list(k.index) == ["grade", "top2", "response", "benchmark", "previous"]
    assert k.loc["response", "value"] == "40,0%" and "procentpunt" in k.loc["response", "detail"]
    doms = data.domains(cfg)
    doms = doms[~doms["suppressed"].astype(bool)]
    for comp in ("benchmark", "previous"):
        hi, lo = (doms[f"{comp}_flag"] == "higher").sum(), (doms[f"{comp}_flag"] == "lower").sum()
        assert k.loc[comp, "value"] == f"{hi} hoger · {lo} lager"


def test_cover_shows_tiles_and_the_three_strengths_and_priorities(fake_prepared):
    cfg = report_config("MINBZK", prepared=fake_prepared)
    soup = BeautifulSoup(sections.cover(cfg).html, "html.parser")
    assert len(soup.select(".key-figures .tile")) == 5
    pr = data.priorities(cfg)
    for key, quadrant in (("strengths", "behouden"), ("priorities", "verbeteren")):
        want = list(pr[pr["quadrant"] == quadrant].sort_values("importance", ascending=False)["label"].head(3))
        got = [li.get_text() for li in soup.select(f".advice-{key} li:not(.none)")]
        assert got == want


def test_no_previous_wave_no_previous_tile(fake_prepared_noprev):
    cfg = report_config("MINBZK", prepared=fake_prepared_noprev)
    assert "previous" not in set(tiles.key_figures(cfg)["key"])
