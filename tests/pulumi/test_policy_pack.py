"""The CrossGuard pack: generated from the catalog, judging with sansho's own engine, agreeing with
`sansho scan`, and speaking Pulumi's analyzer protocol."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from sansho.policies.catalog import load_catalog
from sansho.collectors.iac.pulumi import normalize
from sansho.policies.inventory import dump_inventory
from tests.support.cli import run

from .harness import PACK_DIR, dev_config, import_pack, run_landing_zone, validate_all

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
PROVIDER = {
    "type": "pulumi:providers:aws",
    "name": "tokyo",
    "urn": "urn:pulumi:dev::p::pulumi:providers:aws::tokyo",
    "inputs": {"region": "ap-northeast-1"},
}


def res(token: str, name: str, inputs: dict, **kw) -> dict:
    return {
        "type": token,
        "name": name,
        "urn": f"urn:pulumi:dev::p::{token}::{name}",
        "inputs": inputs,
        "provider": PROVIDER["urn"] + "::id",
        **kw,
    }


@pytest.fixture(scope="module")
def pack():
    return import_pack()


@pytest.fixture(scope="module")
def policies(pack):
    return pack.build_policies()


@pytest.fixture(scope="module")
def unlocked():
    """The landing zone with Object Lock off and the copy region moved to Singapore."""
    return run_landing_zone({**dev_config(), "objectLock": False, "copyRegion": "ap-southeast-1"})


def short(found: set[tuple[str, str, str]]) -> set[tuple[str, str]]:
    return {(p, urn.rsplit("::", 1)[-1]) for p, urn, _ in found}


def test_policies_are_generated_from_the_catalog(pack, policies):
    import pulumi_policy as pp

    cat = load_catalog()
    by_name = {p.name: p for p in policies}
    controls = pack.pack_controls(cat)
    assert list(by_name) == [c.id for c in controls] + [pack.UNKNOWN_POLICY]
    # the automated controls a Pulumi AWS program can show (SAN-LOG-007 included; the identity.user and
    # identity.group ones since IAM users and groups are read: SAN-IAM-003/005/007/008/010/011/013)
    assert len(controls) == 35
    for c in controls:
        p = by_name[c.id]
        assert p.description == f"{c.description.en}\n\n{c.description.ja}"
        assert p.remediation_steps == f"{c.remediation.en}\n\n{c.remediation.ja}"
        assert p.enforcement_level == (
            pp.EnforcementLevel.MANDATORY
            if c.severity in ("critical", "high")
            else pp.EnforcementLevel.ADVISORY
        )
        assert p.severity.value == {"info": "low"}.get(c.severity, c.severity)
        assert p.framework.specification == c.source.cite()
        schema = p.config_schema.properties if p.config_schema else {}
        assert {k: v["default"] for k, v in schema.items()} == c.parameters
        stack = isinstance(p, pp.StackValidationPolicy)
        assert stack == (not set(c.applies_to) <= {"kms.key", "network.firewall_rule", "network.lb_listener"})
    assert isinstance(by_name["SAN-ENC-006"], pp.ResourceValidationPolicy)
    assert isinstance(by_name["SAN-BKP-006"], pp.StackValidationPolicy)


def test_compliant_landing_zone_has_no_violation_only_the_unknowns(policies, dev_resources):
    found = validate_all(policies, dev_resources)
    assert short(found) == {("sansho-unknown", "backup-plan")}
    assert sorted(m.split(":")[0] for p, _, m in found) == [
        "SAN-BKP-003 UNKNOWN",
        "SAN-BKP-004 UNKNOWN",
    ]


def test_cross_resource_violations_are_reported_on_the_stack(policies, unlocked):
    found = {(p, u) for p, u in short(validate_all(policies, unlocked)) if p != "sansho-unknown"}
    assert found == {
        ("SAN-REC-001", "medical-records"),
        ("SAN-REC-001", "medical-records-osaka"),
        ("SAN-LOG-003", "trail"),
        ("SAN-LOC-001", "medical-records-osaka"),
        ("SAN-LOC-001", "backup-vault-osaka"),
        ("SAN-LOC-002", "medical-records"),
        ("SAN-LOC-002", "backup-plan"),
        ("SAN-LOC-002", "backup-vault"),
    }


def test_pack_agrees_with_sansho_scan_on_the_same_resources(policies, unlocked, tmp_path):
    inv = tmp_path / "pulumi-inventory.json"
    inv.write_text(dump_inventory(normalize(unlocked)), encoding="utf-8")
    proc = run("scan", str(inv), "--format", "json", "--as-of", "2026-06-01")
    assert proc.returncode == 1, proc.stderr  # critical FAILs
    doc = json.loads(proc.stdout)
    fails = {(f["control_id"], f["resource"]["id"]) for f in doc["findings"] if f["status"] == "FAIL"}
    unknowns = {(f["control_id"], f["resource"]["id"]) for f in doc["findings"] if f["status"] == "UNKNOWN"}
    found = validate_all(policies, unlocked)
    assert {(p, u) for p, u, _ in found if p != "sansho-unknown"} == fails
    assert {(m.split(" ")[0], u) for p, u, m in found if p == "sansho-unknown"} == unknowns


def test_jurisdiction_parameters_come_from_the_policy_config(policies, dev_resources):
    # A stack that may keep data only in Osaka: the Tokyo data stores violate SAN-LOC-001.
    config = {"SAN-LOC-001": {"allowed_regions": {"aws": ["ap-northeast-3"]}}}
    found = {(p, u) for p, u in short(validate_all(policies, dev_resources, config)) if p != "sansho-unknown"}
    assert found == {
        ("SAN-LOC-001", "medical-records"),
        ("SAN-LOC-001", "medical-db"),
        ("SAN-LOC-001", "backup-vault"),
    }
    msg = next(m for p, _, m in validate_all(policies, dev_resources, config) if p == "SAN-LOC-001")
    assert "outside the allowed regions (ap-northeast-3)" in msg and " / " in msg


@pytest.mark.parametrize(
    "inputs,violations",
    [
        ({"enableKeyRotation": False}, {("SAN-ENC-006", "k")}),
        ({"enableKeyRotation": True, "rotationPeriodInDays": 365.0}, set()),
        ({"enableKeyRotation": True, "rotationPeriodInDays": 730.0}, {("SAN-ENC-006", "k")}),
    ],
)
def test_resource_policy_on_one_key(policies, inputs, violations):
    key = res("aws:kms/key:Key", "k", inputs)
    found = {x for x in short(validate_all(policies, [PROVIDER, key])) if x[0] != "sansho-unknown"}
    assert found == violations


def test_resource_policy_names_the_inline_rule(policies):
    sg = res(
        "aws:ec2/securityGroup:SecurityGroup",
        "sg",
        {
            "ingress": [
                {"protocol": "tcp", "fromPort": 443.0, "toPort": 443.0, "cidrBlocks": ["0.0.0.0/0"]},
                {"protocol": "tcp", "fromPort": 3389.0, "toPort": 3389.0, "cidrBlocks": ["0.0.0.0/0"]},
            ]
        },
    )
    found = {(p, m) for p, _, m in validate_all(policies, [PROVIDER, sg]) if p != "sansho-unknown"}
    assert [p for p, _ in found] == ["SAN-NET-001"]
    assert next(iter(found))[1].startswith("ingress[1]: ")


def test_unknown_values_are_neither_a_violation_nor_an_error(policies):
    bucket = res("aws:s3/bucket:Bucket", "b", {"bucket": "b", "tags": {"sansho:medical": "true"}})
    ver = res(
        "aws:s3/bucketVersioning:BucketVersioning",
        "v",
        {"bucket": "b", "versioningConfiguration": {"status": UNKNOWN}},
    )
    found = validate_all(policies, [PROVIDER, bucket, ver])
    assert "SAN-BKP-006" not in {p for p, _, _ in found}
    assert any(
        p == "sansho-unknown"
        and m.startswith("SAN-BKP-006 UNKNOWN")
        and "known after pulumi up" not in m
        and "versioning" in m
        for p, _, m in found
    )


# --- the pack over Pulumi's analyzer protocol ---------------------------------------------------


def _struct(d: dict):
    from google.protobuf import struct_pb2

    s = struct_pb2.Struct()
    s.update(d)
    return s


def _provider_pb(pb, p: dict):
    return pb.AnalyzerProviderResource(
        type=p["type"], properties=_struct(p["inputs"]), urn=p["urn"], name=p["name"]
    )


def test_pack_over_the_analyzer_protocol(unlocked, tmp_path):
    """Start the pack as Pulumi does (its __main__.py prints the port), then call it over gRPC."""
    from concurrent.futures import ThreadPoolExecutor

    import grpc
    from google.protobuf import empty_pb2
    from pulumi.runtime.proto import analyzer_pb2 as pb
    from pulumi.runtime.proto import analyzer_pb2_grpc

    log = tmp_path / "pack.stderr"
    # The pack writes its port without flushing; Pulumi reads it unbuffered, and so does this test.
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, str(PACK_DIR / "__main__.py")],
            cwd=PACK_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=err,
        )
    try:
        port = int(proc.stdout.readline().decode().strip() or 0)
        assert port, log.read_text(errors="replace")[-2000:]
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = analyzer_pb2_grpc.AnalyzerStub(channel)
            info = stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=30)
            assert info.name == "sansho-3sho2-guideline" and len(info.policies) == 36

            providers = {r["urn"]: r for r in unlocked if r["type"] == "pulumi:providers:aws"}
            resources = [
                pb.AnalyzerResource(
                    type=r["type"],
                    properties=_struct(r["inputs"]),
                    urn=r["urn"],
                    name=r["name"],
                    provider=_provider_pb(pb, providers[r["provider"].rsplit("::", 1)[0]])
                    if r["provider"]
                    else None,
                    propertyDependencies={
                        k: pb.AnalyzerPropertyDependencies(urns=v) for k, v in r["dependencies"].items()
                    },
                )
                for r in unlocked
            ]
            reply = stub.AnalyzeStack(pb.AnalyzeStackRequest(resources=resources), timeout=60)
            got = {(d.policyName, d.urn.rsplit("::", 1)[-1]) for d in reply.diagnostics}
            assert {x for x in got if x[0] != "sansho-unknown"} == {
                ("SAN-REC-001", "medical-records"),
                ("SAN-REC-001", "medical-records-osaka"),
                ("SAN-LOG-003", "trail"),
                ("SAN-LOC-001", "medical-records-osaka"),
                ("SAN-LOC-001", "backup-vault-osaka"),
                ("SAN-LOC-002", "medical-records"),
                ("SAN-LOC-002", "backup-plan"),
                ("SAN-LOC-002", "backup-vault"),
            }
            levels = {d.policyName: d.enforcementLevel for d in reply.diagnostics}
            assert (levels["SAN-LOC-002"], levels["SAN-LOG-003"], levels["sansho-unknown"]) == (
                pb.MANDATORY,
                pb.ADVISORY,
                pb.ADVISORY,
            )

            # Resource-level calls arrive on the server's thread pool, all at once: each must answer.
            tokyo = {
                "type": "pulumi:providers:aws",
                "name": "default",
                "inputs": {"region": "ap-northeast-1"},
                "urn": "urn:pulumi:dev::p::pulumi:providers:aws::default",
            }

            def analyze(rotation):
                req = pb.AnalyzeRequest(
                    type="aws:kms/key:Key",
                    urn="urn:pulumi:dev::p::aws:kms/key:Key::k",
                    name="k",
                    properties=_struct({"enableKeyRotation": rotation}),
                    provider=_provider_pb(pb, tokyo),
                )
                return [(d.policyName, d.message) for d in stub.Analyze(req, timeout=30).diagnostics]

            with ThreadPoolExecutor(8) as pool:
                answers = list(pool.map(analyze, [UNKNOWN, False] * 4))
            assert answers[0::2] == [[]] * 4  # unknown in preview: neither a violation nor an error
            assert {a[0][0] for a in answers[1::2]} == {"SAN-ENC-006"} and all(
                len(a) == 1 for a in answers[1::2]
            )
            assert "rotation" in answers[1][0][1]
    except BaseException:
        print(log.read_text(errors="replace")[-3000:])
        raise
    finally:
        proc.terminate()
        proc.wait(timeout=10)
