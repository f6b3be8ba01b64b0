"""The three shipped instruments end to end: ``ikto demo --instrument X`` then ``ikto batch``.

Each report has the sections its survey asked and none of the others, names its positive measure
as the instrument does, shows no word of a part that was not asked, and passes the privacy audit.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup

from ikto_lib.config import PROJECT_ROOT

pytestmark = pytest.mark.slow

INSTRUMENTS = PROJECT_ROOT / "parameters" / "instruments"

#: instrument -> (sections present, sections absent, measure name (nl), words that must not appear)
EXPECT = {
    "ikto": ({"overall", "domains", "priorities", "trend", "units", "ranking", "pluimen", "methods"}, set(),
             "(zeer) tevreden", []),
    "employee": ({"overall", "domains", "priorities", "trend", "units", "ranking", "methods"}, {"pluimen"},
                 "(helemaal) eens",
                 ["rapportcijfer", "pluim", "(zeer) tevreden", "interne dienstverlening", "(ikto)", "vergelijkbare organisaties",
                  "departementen van hetzelfde type"]),
    "childcare": ({"overall", "domains", "trend", "units", "methods"}, {"pluimen", "priorities", "ranking"},
                  "zeer of uiterst tevreden",
                  ["rapportcijfer", "pluim", "interne dienstverlening", "(ikto)", "benchmark", "prioriteit",
                   "vergelijkbare organisaties"]),
}


NOT_ASKED = re.compile(r"(niet gevraagd in dit onderzoek|een prioriteitenmatrix ontbreekt|dit onderzoek gaat over één organisatie)[^.]*\.")


def _visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["style", "script"]):
        tag.decompose()
    return soup.get_text(" ")


@pytest.fixture(scope="module", params=sorted(EXPECT))
def batch(request, tmp_path_factory):
    from ikto_lib.cli import main

    name = request.param
    root = tmp_path_factory.mktemp(name)
    code = main(["demo", "--instrument", str(INSTRUMENTS / f"{name}.yml"), "--out", str(root / "data"),
                 "--orgs", "4", "--respondents", "1500", "--seed", "3"])
    assert code == 0
    code = main(["batch", str(root / "data" / "2024"), "--previous", str(root / "data" / "2022"),
                 "--out", str(root / "out"), "--workers", "2"])
    return name, root / "out" / "2024", code


def test_batch_runs_clean_with_the_right_sections_and_words(batch):
    name, folder, code = batch
    present, absent, measure, forbidden = EXPECT[name]
    assert code == 0, f"batch of {name} exited {code} (audit or report failure)"
    reports = sorted(p for p in folder.glob("*.html") if p.name not in ("index.html", "group.html"))
    assert reports
    html = reports[0].read_text()
    soup = BeautifulSoup(html, "html.parser")
    sections = {s["data-section"] for s in soup.select("section[data-section]")}
    assert present <= sections, (name, present - sections)
    assert not (absent & sections), (name, absent & sections)
    toc = {a["href"].lstrip("#") for a in soup.select("nav.toc a")}
    assert not (absent & toc)
    text = _visible_text(html).lower()
    assert measure in text
    text = NOT_ASKED.sub("", text)  # the one sentence that names what was not asked
    for word in forbidden:
        assert word not in text, f"{name} report shows {word!r}: a part the survey did not ask"
    group = NOT_ASKED.sub("", _visible_text((folder / "group.html").read_text()).lower())
    index = _visible_text((folder / "index.html").read_text()).lower()
    for word in forbidden:
        assert word not in group and word not in index, (name, word)
    wb = openpyxl.load_workbook(reports[0].with_suffix(".xlsx"))
    sheets = " ".join(wb.sheetnames).lower()
    assert ("pluim" in sheets) == ("pluimen" in present)


def test_methods_say_what_was_not_asked(batch):
    name, folder, _ = batch
    reports = sorted(p for p in folder.glob("*.html") if p.name not in ("index.html", "group.html"))
    methods = BeautifulSoup(reports[0].read_text(), "html.parser").select_one('section[data-section="methods"]')
    said = re.search(r"Niet gevraagd in dit onderzoek[^.]*\.", methods.get_text(" "))
    if name == "ikto":
        assert said is None
    else:
        assert said is not None and "rapportcijfer" in said.group(0) and "pluimen" in said.group(0)


def test_index_uses_the_instrument(batch):
    name, folder, _ = batch
    soup = BeautifulSoup((folder / "index.html").read_text(), "html.parser")
    heads = [th.get_text() for th in soup.select("thead th")]
    assert ("Rapportcijfer" in heads) == (name == "ikto")
    types = {tr.find_all("td")[1].get_text() for tr in soup.select("tbody tr")}
    assert "department" not in types and "dienst" not in types
