"""The engine's own guarantees, independent of any one control's rule."""

from __future__ import annotations

import datetime as dt

import pytest

from sansho.policies.config import Config, Suppression
from sansho.policies.engine.core import Engine
from sansho.policies.model import Attestation, ObjectStorage
from sansho.policies.rules import registry

TODAY = dt.date(2026, 11, 1)


def bucket(i: str, **kw) -> ObjectStorage:
    return ObjectStorage(id=i, provider="aws", region="ap-northeast-1", **kw)


def statuses(result, control_id):
    return {f.resource.id: f.status for f in result.findings if f.control_id == control_id}


def test_resource_without_verdict_is_unknown_not_pass(catalog, monkeypatch):
    # A Python rule that forgets a branch (returns None) must not pass the resource.
    eng = Engine(catalog)
    rule = registry.PythonRule("SAN-ENC-001", lambda r, p, c: None)
    eng.python_rules = [rule]
    eng.rego_controls = set()
    res = eng.scan([bucket("b1", encrypted=True)], [catalog["SAN-ENC-001"]], today=TODAY)
    assert statuses(res, "SAN-ENC-001") == {"b1": "UNKNOWN"}
    assert "no rule reached a verdict" in res.findings[0].message_en


def test_worse_verdict_wins_over_rego_pass(catalog):
    eng = Engine(catalog)
    eng.python_rules = [registry.PythonRule("SAN-ENC-001", lambda r, p, c: registry.failed("x", "x"))]
    res = eng.scan([bucket("b1", encrypted=True)], [catalog["SAN-ENC-001"]], today=TODAY)
    assert statuses(res, "SAN-ENC-001") == {"b1": "FAIL"}


def test_python_rule_that_raises_is_error_not_crash(catalog):
    def boom(r, p, c):
        raise KeyError("oops")

    eng = Engine(catalog)
    eng.rego_controls = set()
    eng.python_rules = [registry.PythonRule("SAN-ENC-001", boom)]
    res = eng.scan([bucket("b1", encrypted=True)], [catalog["SAN-ENC-001"]], today=TODAY)
    assert statuses(res, "SAN-ENC-001") == {"b1": "ERROR"}
    assert "KeyError" in res.findings[0].message_en


def test_read_errors_explain_unknown(catalog):
    eng = Engine(catalog)
    res = eng.scan([bucket("b1", read_errors={"encrypted": "AccessDenied"})], [catalog["SAN-ENC-001"]], today=TODAY)
    (f,) = res.findings
    assert f.status == "UNKNOWN"
    assert "AccessDenied" in f.message_en and "AccessDenied" in f.message_ja


def test_suppression_mutes_until_expiry(catalog):
    cfg = Config(suppressions=[
        Suppression(control="SAN-ENC-001", resource="arn:aws:s3:::site-*", reason="static site", expires=TODAY),
        Suppression(control="SAN-ENC-001", resource="old", reason="was fine", expires=dt.date(2026, 1, 1)),
    ])
    eng = Engine(catalog, cfg)
    res = eng.scan([bucket("arn:aws:s3:::site-a", encrypted=False), bucket("old", encrypted=False),
                    bucket("arn:aws:s3:::other", encrypted=False)], [catalog["SAN-ENC-001"]], today=TODAY)
    assert statuses(res, "SAN-ENC-001") == {"arn:aws:s3:::site-a": "MUTED", "old": "FAIL", "arn:aws:s3:::other": "FAIL"}
    assert [s.resource for s in res.expired_suppressions] == ["old"]
    muted = next(f for f in res.findings if f.status == "MUTED")
    assert muted.suppression == {"reason": "static site", "expires": "2026-11-01", "was": "FAIL"}


def attestation_control(catalog):
    return next(c for c in catalog if c.check == "attestation")


def test_attestations_missing_expired_and_manual(catalog):
    c = attestation_control(catalog)
    others = [x for x in catalog if x.check == "attestation" and x.id != c.id][:2]
    reg = [
        Attestation(id="a1", provider="onprem", control_id=c.id, answer="yes", attested_by="安全管理責任者",
                    attested_on=dt.date(2026, 4, 1), review_period_days=365),
        Attestation(id="a2", provider="onprem", control_id=others[0].id, answer="yes", attested_by="x",
                    attested_on=dt.date(2025, 6, 1), review_period_days=365),
    ]
    res = Engine(catalog).scan(reg, [c, *others], today=TODAY)
    got = {(f.control_id, f.status) for f in res.findings}
    assert got == {(c.id, "MANUAL"), (others[0].id, "FAIL"), (others[1].id, "FAIL")}
    expired = next(f for f in res.findings if f.control_id == others[0].id)
    assert "expired" in expired.message_en
    missing = next(f for f in res.findings if f.control_id == others[1].id)
    assert missing.resource.id == f"attestation:{others[1].id}"


@pytest.mark.parametrize("answer,status", [("no", "FAIL"), ("partial", "FAIL"), (None, "UNKNOWN"),
                                           ("not_applicable", "NOT_APPLICABLE")])
def test_attestation_answers(catalog, answer, status):
    c = attestation_control(catalog)
    reg = [Attestation(id="a", provider="onprem", control_id=c.id, answer=answer,
                       attested_on=dt.date(2026, 4, 1), review_period_days=365)]
    (f,) = Engine(catalog).scan(reg, [c], today=TODAY).findings
    assert f.status == status


def test_attestation_controls_skipped_without_register(catalog):
    c = attestation_control(catalog)
    res = Engine(catalog).scan([bucket("b", encrypted=True)], [c, catalog["SAN-ENC-001"]], today=TODAY)
    assert {f.control_id for f in res.findings} == {"SAN-ENC-001"}
    assert res.notes and "attestation" in res.notes[0]


def test_broken_rego_package_makes_its_controls_error(catalog):
    eng = Engine(catalog)

    class Broken:
        name = "broken"

        def verdicts(self, input_json, weights=None):
            return [], {"sansho.encryption": "type error"}

    eng.backend = Broken()
    res = eng.scan([bucket("b", encrypted=True)], [catalog["SAN-ENC-001"]], today=TODAY)
    assert statuses(res, "SAN-ENC-001") == {"b": "ERROR"}


def test_regorus_failure_becomes_one_line_error(tmp_path):
    from sansho.policies.engine.rego import RegoFile, RegorusBackend

    bad = RegoFile(tmp_path / "bad.rego", "sansho.bad",
                   'package sansho.bad\nimport rego.v1\nverdicts contains x if { some y in input.resources.k; '
                   'x := [m | some m in y; m in q]; q := 1 }\n')
    backend = RegorusBackend([bad], {"sansho": {"controls": {}}}, workers=1)
    out, errors = backend.verdicts('{"resources": {"k": [[1]]}}')
    assert out == []
    (msg,) = errors.values()
    assert "\n" not in msg and "bad.rego" in msg and "error:" in msg


def test_one_engine_serves_several_threads(catalog):
    """A threaded server (the Pulumi analyzer) shares one Engine: each thread gets its own
    compiled regorus engine, because a regorus engine used from another thread panics."""
    from concurrent.futures import ThreadPoolExecutor

    engine = Engine(catalog, Config())
    buckets = [ObjectStorage(id=f"b{i}", provider="aws", region="us-east-1" if i % 2 else "ap-northeast-1",
                             holds_medical_data=True) for i in range(6)]
    controls = [catalog["SAN-LOC-001"]]

    def statuses(_: int) -> list[tuple[str, str]]:
        return sorted((f.resource.id, f.status) for f in engine.scan(buckets, controls, today=TODAY).findings)

    expected = statuses(0)
    assert expected == [(f"b{i}", "FAIL" if i % 2 else "PASS") for i in range(6)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(statuses, range(8))) == [expected] * 8


def test_verdict_rows_turn_malformed_verdicts_into_errors_and_drop_unnamed_ones():
    from sansho.policies.engine.rego import verdict_rows

    strings: dict[str, str] = {}
    rows = verdict_rows([
        {"control": "SAN-ENC-001", "kind": "storage.bucket", "id": "a", "status": "FAIL", "en": "off", "ja": "無効"},
        {"control": "SAN-ENC-001", "kind": "storage.bucket", "id": "b", "status": "FAIL", "en": "off", "ja": "無効"},
        {"control": "SAN-ENC-001", "kind": "storage.bucket", "id": "c", "status": "PASS", "en": 3, "ja": "有効"},
        {"control": "SAN-ENC-001", "kind": "storage.bucket", "status": "PASS", "en": "on", "ja": "有効"},
        "not a verdict",
    ], strings)
    assert [r[:4] for r in rows] == [("SAN-ENC-001", "storage.bucket", "a", "FAIL"),
                                     ("SAN-ENC-001", "storage.bucket", "b", "FAIL"),
                                     ("SAN-ENC-001", "storage.bucket", "c", "ERROR")]
    assert rows[2][4].startswith("rule returned a malformed verdict: ")
    assert rows[0][4] is rows[1][4]  # a message repeated over resources is kept once


def test_forked_workers_give_the_same_verdicts_as_one_process(catalog):
    """Above PARALLEL_MIN_BYTES the packages are split between this process and forked workers,
    which send back one message per package; the result is the same verdicts as in one process."""
    from sansho.policies.engine.core import group_by_kind, rego_input
    from sansho.policies.engine.rego import RegorusBackend, rego_files

    buckets = [ObjectStorage(id=f"arn:aws:s3:::b{i:05d}-" + "x" * 120, provider="aws", region="ap-northeast-1",
                             encrypted=bool(i % 3), holds_medical_data=True) for i in range(9000)]
    text = rego_input(group_by_kind(buckets))
    assert len(text) > RegorusBackend.PARALLEL_MIN_BYTES
    data = {"sansho": {"controls": catalog.rego_data({})}}
    one, errors_one = RegorusBackend(rego_files(), data, workers=1).verdicts(text)
    forked, errors_forked = RegorusBackend(rego_files(), data, workers=2).verdicts(text)
    assert errors_one == errors_forked == {}
    assert sorted(one) == sorted(forked) and len(one) > 9000
