"""Pluim tables (ikto_lib.prepare.pluim): shares vs benchmark, sampled texts, frequent words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ikto_lib.audit import audit_frame
from ikto_lib.prepare.pluim import load_stopwords, most_praised, pluim_tables
from ikto_lib.redact import find_pii

DOMAINS = ["ict", "facilitair", "hr", "catering"]
SETTINGS = {"min_n": 10, "pluim_sample": 10, "seed": 2015, "pluim_top_words": 15}
#: The arithmetic tests show every count (min_n 1: no count of pluimen is under it); the
#: anonymity of counts (1..min_n-1 hidden, complementary within an organisation) is tested apart.
ALL = {"min_n": 1}

# (org, target, text); A and B have 10 respondents, C 12, D 5 (not eligible), E 3 (passed as
# eligible by mistake: must come out suppressed and stay out of every pool).
ROWS = (
    [("A", "ict", "Snelle hulp, top!"),
     ("A", "ict", "Altijd snelle hulp van de ICT. Bel 06-12345678"),
     ("A", "hr", "Top service, mail p.jansen@example.nl"),
     ("A", "Jan de Vries", "Dank Jan de Vries voor de snelle hulp!"),
     ("A", None, "Super geholpen met mijn laptop"),
     ("A", None, "n.v.t.")]
    + [("A", None, None)] * 4
    + [("B", "ict", "Snel geholpen"),
       ("B", "facilitair", "Snel geholpen met de verhuizing"),
       ("B", "facilitair", "Prima verhuizing"),
       ("B", "facilitair", None),
       ("B", "Piet Bakker", "Piet Bakker is geweldig"),
       ("B", "Piet Bakker", "Dank Piet, geweldig. Bel hem op 070-1234567")]
    + [("B", "", "")] * 4
    + [("C", "ICT", "Top ICT"), ("C", "ICT", "top"), ("C", "ICT", None), ("C", "  hr ", "Goede hulp")]
    + [("C", None, "  ")] * 8
    + [("D", "ict", "Top top hulp, bel d.d@example.nl")] * 5
    + [("E", "ict", "Top")] * 3
)


def responses() -> pd.DataFrame:
    df = pd.DataFrame(ROWS, columns=["org", "pluim_target", "pluim_text"])
    df.insert(0, "respondent_id", [f"R{i:04d}" for i in range(len(df))])
    df["org"] = df["org"].astype("category")
    df["pluim_target"] = df["pluim_target"].astype("string")
    df["pluim_text"] = df["pluim_text"].astype("string")
    df["unit"] = "Staf"
    df["age_group"] = "35-44"
    return df


def tables(resp=None, *, eligible=("A", "B", "C"), weights=None, **settings):
    resp = responses() if resp is None else resp
    return pluim_tables(
        resp, eligible_orgs=list(eligible), domain_ids=DOMAINS, target_col="pluim_target",
        text_col="pluim_text", weights=weights, settings={**SETTINGS, **settings},
    )


def share_rows(out, org):
    s = out["pluim_shares"]
    return s[s["org"] == org].set_index("target")


def test_schema_and_grid():
    out = tables()
    assert list(out["pluim_shares"].columns) == ["org", "target", "n", "share", "ref_share", "flag"]
    assert list(out["pluim_texts"].columns) == ["org", "target", "text"]
    assert list(out["pluim_words"].columns) == ["org", "word", "count"]
    s = out["pluim_shares"]
    assert s.groupby("org").size().to_dict() == {"": 6, "A": 6, "B": 6, "C": 6}
    assert set(s["target"]) == set(DOMAINS) | {"named", ""}
    assert str(s["n"].dtype) == "Int64"
    assert not s["org"].isin(["D", "E"]).any()


def test_counts_and_shares_by_hand():
    out = tables(**ALL)
    a = share_rows(out, "A")
    # A: 10 respondents; pluimen: ict 2, hr 1, named 1, text only 1 ("n.v.t." is no pluim)
    assert a["n"].to_dict() == {"ict": 2, "facilitair": 0, "hr": 1, "catering": 0, "named": 1, "": 5}
    assert a["share"].to_dict() == pytest.approx(
        {"ict": 0.2, "facilitair": 0.0, "hr": 0.1, "catering": 0.0, "named": 0.1, "": 0.5})
    b = share_rows(out, "B")
    # B: the target-only pluim counts, the empty strings do not
    assert b["n"].to_dict() == {"ict": 1, "facilitair": 3, "hr": 0, "catering": 0, "named": 2, "": 6}
    c = share_rows(out, "C")
    # C: 12 respondents; "ICT" and "  hr " are the domains ict and hr
    assert c["n"].to_dict() == {"ict": 3, "facilitair": 0, "hr": 1, "catering": 0, "named": 0, "": 4}
    assert c.loc["ict", "share"] == pytest.approx(3 / 12)
    assert (out["pluim_shares"]["flag"] == "").all()


def _org_rows(org: str, counts: dict) -> list:
    rows = []
    for target, k in counts.items():
        rows += [(org, target, "Dank voor de hulp")] * k
    return rows


def test_counts_under_min_n_hidden_with_their_share_and_a_partner():
    """A count of 1..min_n-1 pluimen is hidden with its share; the targets of an organisation
    are siblings beside its total, so one more count is hidden (here facilitair, 11), and the
    hidden ones are left out of the wave rows and the benchmark (nothing follows by subtraction)."""
    rows = (_org_rows("P", {"ict": 12, "hr": 4, "facilitair": 11}) + [("P", None, None)] * 3
            + _org_rows("Q", {"ict": 20, "hr": 15, "facilitair": 10}) + [("Q", None, None)] * 5
            + _org_rows("R", {"ict": 12, None: 3}) + [("R", None, None)] * 10)
    resp = pd.DataFrame(rows, columns=["org", "pluim_target", "pluim_text"])
    out = tables(resp, eligible=("P", "Q", "R"))
    p, q, r = (share_rows(out, o) for o in "PQR")
    assert p["flag"].to_dict() == {"ict": "", "facilitair": "suppressed", "hr": "suppressed", "catering": "",
                                   "named": "", "": ""}
    assert p.loc[["hr", "facilitair"], ["n", "share"]].isna().all().all()
    assert p["n"].dropna().to_dict() == {"ict": 12, "catering": 0, "named": 0, "": 27}
    assert (q["flag"] == "").all()
    # R: 3 gave only a text (a group never shown, the total minus the targets): ict hides with it
    assert r.loc["ict", "flag"] == "suppressed" and r.loc["", "n"] == 15
    wave = share_rows(out, "")
    assert wave.loc["hr", "n"] == 15 and wave.loc["facilitair", "n"] == 10  # Q only
    assert wave.loc["ict", "n"] == 12 + 20  # P and Q, not R
    assert wave.loc["hr", "share"] == pytest.approx(15 / (50 + 25))  # Q and R (0 shown), not P
    assert q.loc["hr", "ref_share"] == 0.0  # R's 0 of 25; P's hidden count is not pooled
    assert q.loc["ict", "ref_share"] == pytest.approx(12 / 30)  # P only (R's count is hidden)
    # a hidden count's texts do not name its target
    texts = out["pluim_texts"]
    assert set(texts.loc[texts["org"] == "P", "target"]) <= {"ict", ""}
    assert set(texts.loc[texts["org"] == "R", "target"]) == {""}


def test_count_of_zero_hides_nothing():
    rows = _org_rows("P", {"ict": 12, "hr": 15}) + [("P", None, None)] * 3
    p = share_rows(tables(pd.DataFrame(rows, columns=["org", "pluim_target", "pluim_text"]), eligible=("P",)), "P")
    assert (p["flag"] == "").all() and p.loc["catering", "n"] == 0 and p.loc["named", "n"] == 0


def test_ref_share_is_leave_one_out_of_eligible_orgs():
    out = tables(**ALL)
    a, b, c = (share_rows(out, o)["ref_share"] for o in "ABC")
    # A vs B + C pooled (10 + 12 = 22 respondents); D (not eligible) is never pooled
    assert a["ict"] == pytest.approx((1 + 3) / 22)
    assert a["facilitair"] == pytest.approx(3 / 22)
    assert a["hr"] == pytest.approx(1 / 22)
    assert a["named"] == pytest.approx(2 / 22)
    assert a[""] == pytest.approx((6 + 4) / 22)
    # B vs A + C (22); C vs A + B (20)
    assert b["ict"] == pytest.approx((2 + 3) / 22)
    assert b["hr"] == pytest.approx((1 + 1) / 22)
    assert c["ict"] == pytest.approx((2 + 1) / 20)
    assert c[""] == pytest.approx((5 + 6) / 20)
    assert c["catering"] == 0.0


def test_wave_rows():
    w = share_rows(tables(**ALL), "")
    assert w["n"].to_dict() == {"ict": 6, "facilitair": 3, "hr": 2, "catering": 0, "named": 3, "": 15}
    assert w.loc["ict", "share"] == pytest.approx(6 / 32)
    assert w.loc["", "share"] == pytest.approx(15 / 32)
    assert w["ref_share"].isna().all()


def test_weighted_shares_by_hand():
    resp = responses()
    w = pd.Series(1.0, index=resp.index)
    a_ict = (resp["org"] == "A") & (resp["pluim_target"] == "ict")
    w[a_ict] = 3.0                      # A: 2 x 3 + 8 x 1 = 14
    w[resp["org"] == "B"] = 0.5         # B: 10 x 0.5 = 5
    w[resp["org"] == "C"] = 2.0         # C: 12 x 2 = 24
    w[resp["org"] == "D"] = 100.0       # not eligible: no influence
    out = tables(resp, weights=w, **ALL)
    a = share_rows(out, "A")
    assert a.loc["ict", "share"] == pytest.approx(6 / 14)
    assert a.loc["", "share"] == pytest.approx((6 + 1 + 1 + 1) / 14)
    assert a.loc["ict", "n"] == 2  # n stays a count of respondents
    assert a.loc["ict", "ref_share"] == pytest.approx((0.5 + 6) / (5 + 24))
    wave = share_rows(out, "")
    assert wave.loc["ict", "share"] == pytest.approx((6 + 0.5 + 6) / (14 + 5 + 24))


def test_org_below_min_n_is_suppressed_and_not_pooled():
    out = tables(eligible=("A", "B", "C", "E"))
    e = share_rows(out, "E")
    assert (e["flag"] == "suppressed").all()
    assert e["n"].isna().all() and e["share"].isna().all() and e["ref_share"].isna().all()
    without = tables()  # E changes no pool: the same wave rows and benchmarks as without it
    pd.testing.assert_frame_equal(share_rows(out, "A"), share_rows(without, "A"))
    pd.testing.assert_frame_equal(share_rows(out, ""), share_rows(without, ""))
    assert "E" not in set(out["pluim_texts"]["org"]) | set(out["pluim_words"]["org"])
    assert audit_frame(out["pluim_shares"], min_n=10, table="pluim_shares") == []


def test_texts_redacted_and_names_scrubbed():
    texts = tables(**ALL)["pluim_texts"]
    a = texts[texts["org"] == "A"]
    assert sorted(zip(a["target"], a["text"])) == sorted([
        ("ict", "Snelle hulp, top!"),
        ("ict", "Altijd snelle hulp van de ICT. Bel [telefoonnummer]"),
        ("hr", "Top service, mail [e-mail]"),
        ("named", "Dank [naam] voor de snelle hulp!"),
        ("", "Super geholpen met mijn laptop"),
    ])
    b = texts[texts["org"] == "B"]
    assert "Dank [naam], geweldig. Bel hem op [telefoonnummer]" in set(b["text"])
    assert "[naam] is geweldig" in set(b["text"])
    assert all(find_pii(t) == [] for t in texts["text"])
    assert set(texts["org"]) == {"A", "B", "C"}  # never D (not eligible)


def test_named_targets_and_ids_never_in_any_output():
    resp = responses()
    out = tables(resp)
    cells = pd.concat([df.astype("str").stack() for df in out.values()]).str.lower()
    for name in ("jan de vries", "piet bakker", "jan", "vries", "piet", "bakker"):
        assert not cells.str.contains(rf"\b{name}\b", regex=True).any(), name
    for df in out.values():
        assert "respondent_id" not in df.columns
        assert not {"unit", "age_group"} & set(df.columns)  # never linked to background
    ids = set(resp["respondent_id"])
    assert not cells.isin({i.lower() for i in ids}).any()
    for name, df in out.items():
        assert audit_frame(df, min_n=10, table=name, respondent_ids=ids) == [], name


def test_sample_size_and_determinism():
    rng = np.random.default_rng(7)
    n = 300
    resp = pd.DataFrame({
        "respondent_id": [f"X{i}" for i in range(n)],
        "org": np.where(np.arange(n) < 200, "BIG", "SMALL"),
        "pluim_target": "ict",
        "pluim_text": [f"Tekst nummer {i} over snelle hulp" for i in rng.permutation(n)],
    })
    out = tables(resp, eligible=("BIG", "SMALL"), pluim_sample=7)
    counts = out["pluim_texts"].groupby("org").size()
    assert counts.to_dict() == {"BIG": 7, "SMALL": 7}
    again = tables(resp, eligible=("BIG", "SMALL"), pluim_sample=7)["pluim_texts"]
    pd.testing.assert_frame_equal(out["pluim_texts"], again)
    # row order and the other organisations do not change an organisation's sample
    shuffled = resp.sample(frac=1.0, random_state=1)
    alone = tables(shuffled[shuffled["org"] == "BIG"], eligible=("BIG",), pluim_sample=7)["pluim_texts"]
    assert set(alone["text"]) == set(out["pluim_texts"].query("org == 'BIG'")["text"])
    other_seed = tables(resp, eligible=("BIG", "SMALL"), pluim_sample=7, seed=99)["pluim_texts"]
    assert set(other_seed["text"]) != set(out["pluim_texts"]["text"])
    assert tables(resp, eligible=("BIG",), pluim_sample=0)["pluim_texts"].empty
    assert (tables(resp, eligible=("BIG",), pluim_sample=500)["pluim_texts"].shape[0]) == 200


def test_frequent_words_by_hand():
    words = tables()["pluim_words"]
    per = {org: list(zip(g["word"], g["count"])) for org, g in words.groupby("org", sort=False)}
    # document frequency, >= 2 texts, stop words / short words / tokens / names removed
    assert per["A"] == [("hulp", 3), ("snelle", 3), ("top", 2)]
    assert per["B"] == [("geholpen", 2), ("geweldig", 2), ("snel", 2), ("verhuizing", 2)]
    assert per["C"] == [("top", 2)]
    assert per[""] == [("hulp", 4), ("top", 4), ("geholpen", 3), ("snelle", 3), ("bel", 2),
                       ("dank", 2), ("geweldig", 2), ("ict", 2), ("snel", 2), ("verhuizing", 2)]
    assert list(per)[0] == ""  # the wave first


def test_words_exclude_stop_words_tokens_and_respect_top_n():
    words = tables(pluim_top_words=2)["pluim_words"]
    assert words.groupby("org").size().max() == 2
    assert words.query("org == ''")["word"].tolist() == ["hulp", "top"]
    all_words = set(tables()["pluim_words"]["word"])
    stop = load_stopwords(("nl", "en"))
    assert not all_words & stop
    assert not all_words & {"e-mail", "telefoonnummer", "url", "naam", "piet", "jan"}
    assert all(len(w) >= 3 for w in all_words)
    assert {"de", "het", "een", "en", "van", "voor", "met"} <= stop


def test_most_praised():
    mp = most_praised(tables(**ALL)["pluim_shares"])
    assert mp["target"].tolist() == ["ict", "facilitair", "hr", "catering"]
    assert mp["n"].tolist() == [6, 3, 2, 0]
    assert mp["rank"].tolist() == [1, 2, 3, 4]
    assert "named" in most_praised(tables(**ALL)["pluim_shares"], include_named=True)["target"].tolist()
    with pytest.raises(ValueError, match="pluim_shares"):
        most_praised(pd.DataFrame({"x": [1]}))


def test_on_the_small_wave():
    from tests.smallwave import PLUIM_PEOPLE, small_wave_frames

    resp = small_wave_frames()["responses"]
    out = pluim_tables(resp, eligible_orgs=list(resp["org"].unique()), domain_ids=DOMAINS + [
        "personeelsadministratie", "financien", "beveiliging", "informatie", "communicatie",
        "servicedesk"], target_col="pluim_target", text_col="pluim_text", settings={**SETTINGS, "pluim_sample": 3})
    sizes = out["pluim_texts"].groupby("org").size()
    assert len(sizes) and (sizes <= 3).all() and (sizes == 3).any()  # the sample size is applied
    cells = pd.concat([df.astype("str").stack() for df in out.values()])
    for person in PLUIM_PEOPLE:
        assert not cells.str.contains(person, regex=False).any()
    ids = set(resp["respondent_id"])
    for name, df in out.items():
        assert audit_frame(df, min_n=10, table=name, respondent_ids=ids) == [], name


@pytest.mark.parametrize("kwargs,match", [
    ({"eligible": ("A", "")}, "reserved"),
    ({"pluim_sample": -1}, "pluim_sample"),
    ({"min_n": 0}, "min_n"),
    ({"weights": pd.Series([1.0, 2.0])}, "same index"),
])
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        tables(**kwargs)


def test_bad_input_more():
    resp = responses()
    with pytest.raises(ValueError, match="pluim_text"):
        tables(resp.drop(columns="pluim_text"))
    with pytest.raises(ValueError, match=">= 0"):
        tables(resp, weights=pd.Series(-1.0, index=resp.index))
    with pytest.raises(ValueError, match="reserved"):
        pluim_tables(resp, eligible_orgs=["A"], domain_ids=["ict", "named"],
                     target_col="pluim_target", text_col="pluim_text", settings=SETTINGS)
    with pytest.raises(ValueError, match="seed"):
        pluim_tables(resp, eligible_orgs=["A"], domain_ids=DOMAINS, target_col="pluim_target",
                     text_col="pluim_text", settings={"min_n": 10, "pluim_sample": 3,
                                                      "pluim_top_words": 3})


def test_settings_object_accepted():
    from ikto_lib.config import load_settings

    out = pluim_tables(responses(), eligible_orgs=["A", "B", "C"], domain_ids=DOMAINS,
                       target_col="pluim_target", text_col="pluim_text", weights=None,
                       settings=load_settings())
    assert len(out["pluim_shares"]) == 24


def test_name_words_of_long_targets_only_capitalised():
    rows = [("A", "de dames van de kantine die altijd vriendelijk zijn", "Altijd vriendelijk"),
            ("A", "Mijn collega Kees van Dam die me hielp", "Kees was zo vriendelijk en snel"),
            ("A", "jan", "Heel vriendelijk, dank jan"),
            ("A", None, "Snel en vriendelijk")] + [("A", None, None)] * 8
    resp = pd.DataFrame(rows, columns=["org", "pluim_target", "pluim_text"])
    out = tables(resp, eligible=("A",))
    texts = set(out["pluim_texts"]["text"])
    assert texts == {"Altijd vriendelijk", "[naam] was zo vriendelijk en snel",
                     "Heel vriendelijk, dank [naam]", "Snel en vriendelijk"}
    words = dict(zip(out["pluim_words"]["word"], out["pluim_words"]["count"]))
    assert words["vriendelijk"] == 4 and "jan" not in words and "kees" not in words


def test_team_targets_scrubbed_as_whole_phrases_only():
    rows = [("A", "Team Werkplekondersteuning  Den Haag", "Dank aan team werkplekondersteuning den haag!"),
            ("A", "de receptie", "Dank aan de receptie, altijd vriendelijk"),
            ("A", "team Servicedesk", "Team Servicedesk: top"),
            ("A", None, "In Den Haag is de werkplekondersteuning top")] + [("A", None, None)] * 8
    resp = pd.DataFrame(rows, columns=["org", "pluim_target", "pluim_text"])
    texts = set(tables(resp, eligible=("A",))["pluim_texts"]["text"])
    assert texts == {"Dank aan [naam]!", "Dank aan de receptie, altijd vriendelijk", "[naam]: top",
                     "In Den Haag is de werkplekondersteuning top"}


def test_disguised_personal_data_redacted_in_texts_and_words():
    # texts of C, each with disguised personal data: none of it in any pluim table
    resp = responses()
    hostile = ["Top, mail jan [at] minbzk [dot] nl", "Top, bel 0 6 1 2 3 4 5 6 7 8",
               "Top, rekening NL91 ABNA 0417 1643 00", "Top, kom naar Kerkstraat 12 Utrecht",
               "Top, bsn 123456782", "Top, mail jan&#64;minbzk.nl", "Top, bel +1 (555) 123-4567",
               "Top, jan(at)minbzk(dot)nl"]
    c_rows = resp.index[(resp["org"] == "C") & resp["pluim_text"].fillna("").str.strip().eq("")]
    resp.loc[c_rows[:len(hostile)], "pluim_text"] = hostile
    out = tables(resp, pluim_sample=20)
    texts = out["pluim_texts"][out["pluim_texts"]["org"] == "C"]["text"]
    assert len(texts) == 3 + len(hostile) and set(hostile).isdisjoint(texts)
    cells = pd.concat([df.astype("str").stack() for df in out.values()]).str.lower()
    for secret in ("minbzk", "abna", "kerkstraat", "123456782", "555", "&#64;"):
        assert not cells.str.contains(secret, regex=False).any(), secret
    assert all(find_pii(t) == [] for t in texts)
