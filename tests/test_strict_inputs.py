"""Files users give sansho are read strictly: no YAML anchors or aliases (billion laughs), no
duplicate keys, no nesting past the depth cap, no day counts that overflow the date arithmetic.
Each is one line naming the file (and line) and exit 2, never an internal error."""

from __future__ import annotations

import json

import pytest

from sansho.collectors.onprem import collect as collect_onprem
from sansho.policies.catalog import load_catalog
from sansho.policies.config import load_config
from sansho.policies.errors import InputError
from sansho.policies.inventory import load_inventory

from .support.cli import run

# A billion laughs: ten lists of ten, nine levels deep; expanded, 10**9 '"lol",' ≈ 6 GB.
LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{c}: &{c} [{','.join(['*' + p] * 10)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
DEEP = 100_000


def error_of(fn, *args) -> str:
    with pytest.raises(InputError) as e:
        fn(*args)
    return str(e.value)


def test_billion_laughs_inventory_is_refused_before_expansion(tmp_path):
    p = tmp_path / "inv.yaml"
    p.write_text("schema_version: '1.0'\n" + LAUGHS
                 + "resources: [{kind: storage.bucket, id: b, provider: aws, raw: {x: *i}}]\n")
    assert len(p.read_bytes()) < 520
    assert error_of(load_inventory, p) == f"{p}:2: YAML aliases and anchors are not accepted in an inventory"
    r = run("scan", str(p))
    assert (r.returncode, r.stderr) == (
        2, f"sansho: error: {p}:2: YAML aliases and anchors are not accepted in an inventory\n")


def test_billion_laughs_in_sansho_yaml_and_a_register(tmp_path):
    cfg = tmp_path / "sansho.yaml"
    cfg.write_text("fail_on: high\n" + LAUGHS + "parameters:\n  SAN-LOC-001:\n    allowed_regions:\n      aws: *i\n")
    assert error_of(load_config, cfg, load_catalog()) == (
        f"{cfg}:2: YAML aliases and anchors are not accepted in sansho.yaml")
    reg = tmp_path / "registers"
    reg.mkdir()
    (reg / "sites.yaml").write_text("- &s {id: s1, name: Main}\n- *s\n")
    assert error_of(collect_onprem, reg, "en") == (
        f"{reg / 'sites.yaml'}:1: YAML aliases and anchors are not accepted in a register")
    assert error_of(collect_onprem, reg, "ja") == (
        f"{reg / 'sites.yaml'}:1: 台帳では YAML のエイリアス・アンカー(& と *)は使えません")


def test_duplicate_keys_are_refused(tmp_path):
    j = tmp_path / "inv.json"
    j.write_text('{"schema_version": "1.0", "resources": [\n'
                 ' {"kind": "storage.bucket", "id": "b", "provider": "aws",\n'
                 '  "encrypted": false,\n'
                 '  "encrypted": true}]}\n')
    assert error_of(load_inventory, j) == f"{j}:4: duplicate key 'encrypted' in a JSON object (a key may appear once)"
    y = tmp_path / "inv.yaml"
    y.write_text("schema_version: '1.0'\nresources:\n- kind: storage.bucket\n  id: b\n  provider: aws\n"
                 "  encrypted: false\n  encrypted: true\n")
    assert error_of(load_inventory, y) == f"{y}:7: duplicate key 'encrypted' (a key may appear once in a mapping)"
    cfg = tmp_path / "sansho.yaml"
    cfg.write_text("fail_on: high\nfail_on: low\n")
    assert error_of(load_config, cfg, load_catalog()) == (
        f"{cfg}:2: duplicate key 'fail_on' (a key may appear once in a mapping)")
    reg = tmp_path / "registers"
    reg.mkdir()
    (reg / "sites.yaml").write_text("- id: s1\n  name: Main\n  id: s2\n")
    assert error_of(collect_onprem, reg, "en") == (
        f"{reg / 'sites.yaml'}:3: duplicate key 'id' (a key may appear once in a mapping)")
    r = run("scan", str(j))
    assert (r.returncode, r.stderr) == (
        2, f"sansho: error: {j}:4: duplicate key 'encrypted' in a JSON object (a key may appear once)\n")


def test_deep_nesting_is_an_input_error(tmp_path):
    head = '{"schema_version": "1.0", "resources": [{"kind": "storage.bucket", "id": "b", "provider": "aws", "raw": '
    j = tmp_path / "deep.json"
    j.write_text(head + "[" * DEEP + "]" * DEEP + "}]}")
    assert error_of(load_inventory, j) == f"{j}: nested more than 200 levels deep"
    # deep enough for pydantic's reader, not for Python's: pydantic's limit is worded the same way
    mid = tmp_path / "mid.json"
    mid.write_text(head + "[" * 300 + "]" * 300 + "}]}")
    assert error_of(load_inventory, mid) == f"{mid}:1: nested more than 200 levels deep"
    y = tmp_path / "deep.yaml"
    y.write_text("schema_version: '1.0'\nresources:\n- kind: storage.bucket\n  id: b\n  provider: aws\n  raw: "
                 + "[" * DEEP + "]" * DEEP + "\n")
    assert error_of(load_inventory, y) == f"{y}:6: nested more than 200 levels deep"
    cfg = tmp_path / "sansho.yaml"
    cfg.write_text("parameters: " + "[" * DEEP + "]" * DEEP + "\n")
    assert error_of(load_config, cfg, load_catalog()) == f"{cfg}:1: nested more than 200 levels deep"
    reg = tmp_path / "registers"
    reg.mkdir()
    (reg / "sites.yaml").write_text("- id: s1\n  name: " + "[" * DEEP + "]" * DEEP + "\n")
    assert error_of(collect_onprem, reg, "ja") == f"{reg / 'sites.yaml'}:2: 入れ子が 200 段を超えています"
    for p in (j, y):
        r = run("scan", str(p))
        assert r.returncode == 2, r.stderr
        assert r.stderr.count("\n") == 1 and "nested more than 200 levels deep" in r.stderr, r.stderr


def test_malformed_sansho_yaml_names_line_and_cause(tmp_path):
    cfg = tmp_path / "sansho.yaml"
    cfg.write_text("fail_on: high\nsuppressions:\n  - control: SAN-ENC-001\n   resource: '*'\n")
    inv = tmp_path / "inv.json"
    inv.write_text(json.dumps({"schema_version": "1.0", "resources": []}))
    r = run("scan", str(inv), "--config", str(cfg))
    assert (r.returncode, r.stderr) == (2, (
        f"sansho: error: {cfg}:4: malformed YAML: expected <block end>, but found '<block mapping start>' "
        "(while parsing a block collection that starts on line 3)\n"))
    cfg.write_text("parameters: [\n")
    assert error_of(load_config, cfg, load_catalog()) == (
        f"{cfg}:2: malformed YAML: expected the node content, but found '<stream end>' (while parsing a flow node)")


def test_huge_review_period_is_an_input_error(tmp_path):
    att = {"kind": "attestation", "id": "a1", "provider": "onprem", "control_id": "SAN-OPS-001", "answer": "yes",
           "attested_by": "x", "attested_on": "2026-01-01", "review_period_days": 10**30}
    p = tmp_path / "att.json"
    p.write_text(json.dumps({"schema_version": "1.0", "resources": [att]}))
    r = run("scan", str(p))
    assert (r.returncode, r.stderr) == (2, (
        f"sansho: error: {p}: field 'resources[0](id=a1).review_period_days': Input should be less than or "
        "equal to 36500\n"))
    reg = tmp_path / "registers"
    reg.mkdir()
    (reg / "attestations.yaml").write_text(
        "- control_id: SAN-OPS-001\n  answer: yes\n  attested_by: x\n  attested_on: 2026-01-01\n"
        f"  review_period_days: {10**30}\n")
    assert error_of(collect_onprem, reg, "en") == (
        f"{reg / 'attestations.yaml'}:5: field 'review_period_days': at most 36500 days (a hundred years), "
        f"got {10**30}")


def test_review_period_past_the_last_date_is_not_a_crash():
    import datetime as dt

    from sansho.policies.engine.core import Engine
    from sansho.policies.model import Attestation

    catalog = load_catalog()
    att = Attestation(id="a1", provider="onprem", control_id="SAN-OPS-001", answer="yes", attested_by="x",
                      attested_on=dt.date(9990, 1, 1), review_period_days=36500)
    (f,) = [f for f in Engine(catalog).scan([att], [catalog["SAN-OPS-001"]], today=dt.date(2026, 11, 1)).findings]
    assert (f.status, f.message_en) == ("MANUAL", "attested by x on 9990-01-01, valid until 9999-12-31")


def test_cloud_exports_are_read_strictly(tmp_path):
    from sansho.collectors.azure import from_export as azure_export
    from sansho.collectors.gcp import from_export as gcp_export

    deep = tmp_path / "deep.json"
    deep.write_text("[" * DEEP + "]" * DEEP)
    assert error_of(gcp_export, deep, None) == f"{deep}: nested more than 200 levels deep"
    assert error_of(azure_export, deep, None) == f"{deep}: nested more than 200 levels deep"
    dup = tmp_path / "dup.json"
    dup.write_text('[{"id": "/subscriptions/s", "type": "x",\n  "type": "y"}]')
    assert error_of(azure_export, dup, None) == (
        f"{dup}:2: duplicate key 'type' in a JSON object (a key may appear once)")
