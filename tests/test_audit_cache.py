"""The privacy audit is incremental: only outputs whose bytes changed are audited (and attacked)
again; findings come back from the cache as they were."""

from __future__ import annotations

from pathlib import Path

import ikto_lib.audit as audit
from ikto_lib.audit_cache import AuditCache


def _outputs(tmp_path: Path) -> Path:
    from tests.fakeprepared import write_fake_prepared

    out = tmp_path / "2015"
    write_fake_prepared(out / "prepared")
    (out / "A.html").write_text("<html><body><p>clean</p></body></html>", encoding="utf-8")
    (out / "B.html").write_text("<html><body><p>respondent R00042 said</p></body></html>",
                                encoding="utf-8")
    return out


def test_unchanged_outputs_are_not_audited_again(tmp_path, monkeypatch):
    out = _outputs(tmp_path)
    audited, attacked = [], []
    real_file = audit.audit_file
    import ikto_lib.attack as attack_mod

    real_attack = attack_mod.attack_outputs
    monkeypatch.setattr(audit, "audit_file", lambda p, **kw: audited.append(Path(p).name)
                        or real_file(p, **kw))
    monkeypatch.setattr(attack_mod, "attack_outputs", lambda *a, **kw: attacked.append(1)
                        or real_attack(*a, **kw))
    ids = ["R00042", "R00043"]
    cache_file = tmp_path / "cache.json"

    cache = AuditCache(cache_file)
    first = audit.audit_outputs(out, 10, respondent_ids=ids, cache=cache)
    assert sorted(audited) == ["A.html", "B.html", "prepared"] and attacked == [1]
    assert any(f.file.endswith("B.html") for f in first)  # the respondent id is found
    cache.save()
    audited.clear(), attacked.clear()

    cache = AuditCache(cache_file)
    again = audit.audit_outputs(out, 10, respondent_ids=ids, cache=cache)
    assert audited == [] and attacked == [] and cache.hits == 4 and cache.misses == 0
    assert again == first  # findings as they were, clean verdicts too
    cache.save()

    (out / "A.html").write_text("<html><body><p>changed</p></body></html>", encoding="utf-8")
    cache = AuditCache(cache_file)
    audit.audit_outputs(out, 10, respondent_ids=ids, cache=cache)
    assert audited == ["A.html"] and attacked == []
    audited.clear()
    # other parameters (min_n, another library version) are other audits
    audit.audit_outputs(out, 11, respondent_ids=ids, cache=AuditCache(cache_file))
    assert sorted(audited) == ["A.html", "B.html", "prepared"] and attacked == [1]
    audited.clear()
    audit.audit_outputs(out, 10, respondent_ids=ids, cache=AuditCache(cache_file, salt="v2"))
    assert len(audited) == 3
