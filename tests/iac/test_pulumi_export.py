"""`sansho iac` on `pulumi stack export` and `pulumi preview --json` documents, run as a user runs it.

The fixtures in corpus/pulumi are written in the real formats (apitype.DeploymentV3 / ResourceV3 and
the preview's steps): a small stack in ap-northeast-1 with one bucket behind a us-east-1 provider,
a secret RDS password whose ciphertext is a canary, a resource pending deletion, and a preview with
replacement and delete steps and values known only after `pulumi up`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sansho.collectors.iac import detect
from sansho.collectors.iac.pulumi import normalize, read_state
from sansho.policies.catalog import load_catalog
from sansho.policies.engine.core import Engine

from ..support.cli import run

CORPUS = Path(__file__).parent / "corpus" / "pulumi"
STATE = CORPUS / "state.json"
PREVIEW = CORPUS / "preview.json"
CANARY = "CANARY-CIPHERTEXT-7f3e9a1c"
AS_OF = "2026-11-20"
CONTROLS = ",".join([
    "SAN-BKP-005", "SAN-BKP-006", "SAN-ENC-001", "SAN-ENC-002", "SAN-ENC-006", "SAN-LOC-001",
    "SAN-NET-001", "SAN-NET-002", "SAN-NET-003", "SAN-NET-004", "SAN-REC-001",
])
P = "urn:pulumi:prod::karte::"


def scan(*paths: Path, cwd: Path, controls: str = CONTROLS) -> tuple[int, dict, str]:
    r = run("iac", *map(str, paths), "--format", "json", "--as-of", AS_OF, "--controls", controls, cwd=cwd)
    assert "Traceback" not in r.stderr, r.stderr
    return r.returncode, (json.loads(r.stdout) if r.stdout.strip() else {}), r.stderr


def by_status(doc: dict, status: str) -> set[tuple[str, str]]:
    return {(f["control_id"], f["resource"]["id"]) for f in doc["findings"] if f["status"] == status}


@pytest.fixture(scope="module")
def state_scan(tmp_path_factory) -> tuple[int, dict, str]:
    return scan(STATE, cwd=tmp_path_factory.mktemp("state"))


def test_the_documents_are_detected_by_their_shape():
    assert detect(STATE) == "pulumi-state"
    assert detect(PREVIEW) == "pulumi-preview"


def test_state_export_fails_exactly_the_broken_resources(state_scan):
    code, doc, _ = state_scan
    assert code == 1
    assert by_status(doc, "FAIL") == {
        ("SAN-BKP-006", P + "aws:s3/bucket:Bucket::exports"),
        ("SAN-BKP-006", P + "aws:s3/bucket:Bucket::dr-copy"),
        ("SAN-ENC-002", P + "aws:rds/instance:Instance::medical-db"),
        ("SAN-ENC-006", P + "aws:kms/key:Key::legacy"),
        ("SAN-LOC-001", P + "aws:s3/bucket:Bucket::dr-copy"),
        ("SAN-NET-001", P + "aws:ec2/securityGroup:SecurityGroup::admin.ingress[0]"),
    }
    passing = by_status(doc, "PASS")
    # The split-off encryption, versioning and object lock resources are joined to their bucket.
    for control in ("SAN-ENC-001", "SAN-BKP-006", "SAN-REC-001", "SAN-LOC-001", "SAN-NET-003"):
        assert (control, P + "aws:s3/bucket:Bucket::records") in passing, control
    assert ("SAN-ENC-006", P + "aws:kms/key:Key::data") in passing
    # buckets with no records tag and no write-once lock: whether they hold finalised records is not known
    assert by_status(doc, "UNKNOWN") == {("SAN-REC-001", P + "aws:s3/bucket:Bucket::exports"),
                                         ("SAN-REC-001", P + "aws:s3/bucket:Bucket::dr-copy")}


def test_state_resources_carry_their_file_line_and_provider_region(state_scan):
    _, doc, _ = state_scan
    res = {f["resource"]["id"]: f["resource"] for f in doc["findings"]}
    dr = res[P + "aws:s3/bucket:Bucket::dr-copy"]
    assert (dr["region"], dr["country"]) == ("us-east-1", "US")
    assert dr["source"]["type"] == "pulumi" and dr["source"]["file"].endswith("corpus/pulumi/state.json")
    text = STATE.read_text(encoding="utf-8").splitlines()
    assert P + "aws:s3/bucket:Bucket::dr-copy" in text[dr["source"]["line"] - 1]
    rule = res[P + "aws:ec2/securityGroup:SecurityGroup::admin.ingress[0]"]
    assert P + "aws:ec2/securityGroup:SecurityGroup::admin" in text[rule["source"]["line"] - 1]
    assert res[P + "aws:rds/instance:Instance::medical-db"]["region"] == "ap-northeast-1"


def test_a_resource_pending_deletion_is_not_judged(state_scan):
    _, doc, _ = state_scan
    assert not [f for f in doc["findings"] if "old-admin" in f["resource"]["id"]]


def test_secret_ciphertext_is_never_copied(tmp_path):
    out = tmp_path / "out.sarif"
    r = run("iac", str(STATE), "--format", "sarif", "-o", str(out), "--as-of", AS_OF, cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert CANARY not in out.read_text(encoding="utf-8") and CANARY not in r.stdout + r.stderr
    resources = normalize(read_state(json.loads(STATE.read_text(encoding="utf-8"))))
    [db] = [x for x in resources if x.id.endswith("::medical-db")]
    assert CANARY not in db.model_dump_json()
    assert db.raw["pulumi"]["inputs"]["password"] == "a Pulumi secret (not read)"


def test_a_secret_setting_is_unknown_even_when_exported_in_plaintext(tmp_path):
    # `pulumi stack export --show-secrets` keeps the secret marker and adds the plaintext: still unread.
    doc = json.loads(STATE.read_text(encoding="utf-8"))
    for r in doc["deployment"]["resources"]:
        if r["urn"].endswith("::medical-db"):
            r["inputs"]["storageEncrypted"] = {
                "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": "true"}
    f = tmp_path / "shown.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    code, out, _ = scan(f, cwd=tmp_path, controls="SAN-ENC-002")
    assert code == 0
    [finding] = out["findings"]
    assert finding["status"] == "UNKNOWN"
    assert "a Pulumi secret (not read)" in finding["messages"]["en"]


def test_preview_judges_the_new_state_and_leaves_deletions_out(tmp_path):
    code, doc, _ = scan(PREVIEW, cwd=tmp_path)
    assert code == 0
    assert by_status(doc, "FAIL") == set()
    unknown = {(f["control_id"], f["resource"]["id"]): f["messages"]["en"]
               for f in doc["findings"] if f["status"] == "UNKNOWN"}
    rule = P + "aws:ec2/securityGroup:SecurityGroup::admin.ingress[0]"
    assert set(unknown) == {("SAN-NET-001", rule), ("SAN-NET-002", rule),
                            ("SAN-REC-001", P + "aws:s3/bucket:Bucket::scans")}  # no records tag, no lock
    assert "tag it sansho-records=finalised" in unknown[("SAN-REC-001", P + "aws:s3/bucket:Bucket::scans")]
    assert "(known after pulumi up)" in unknown[("SAN-NET-001", rule)]
    passing = by_status(doc, "PASS")
    # The replacement turns storage encryption on; the key update turns rotation on.
    assert ("SAN-ENC-002", P + "aws:rds/instance:Instance::medical-db") in passing
    assert ("SAN-ENC-006", P + "aws:kms/key:Key::legacy") in passing
    # Versioning joins its bucket through the property dependency: the bucket id is not known yet.
    assert ("SAN-BKP-006", P + "aws:s3/bucket:Bucket::scans") in passing
    ids = [f["resource"]["id"] for f in doc["findings"]]
    assert not [i for i in ids if "old-admin" in i]
    assert len([f for f in doc["findings"] if f["control_id"] == "SAN-ENC-002"]) == 1  # one per replacement


def test_state_and_preview_scan_together(tmp_path):
    for f in (STATE, PREVIEW):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    code, doc, _ = scan(Path("state.json"), Path("preview.json"), cwd=tmp_path, controls="SAN-ENC-002")
    assert code == 1
    # The same URN in both inputs is told apart by its file.
    assert {(f["resource"]["id"], f["status"]) for f in doc["findings"]} == {
        ("state.json:" + P + "aws:rds/instance:Instance::medical-db", "FAIL"),
        ("preview.json:" + P + "aws:rds/instance:Instance::medical-db", "PASS"),
    }


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("bad-version.json", {"version": 2, "deployment": {"manifest": {}, "resources": []}},
         "Pulumi state export: version: 2 is not a deployment version sansho reads (3); "
         "export again with a current Pulumi CLI"),
        ("bad-resources.json", {"version": 3, "deployment": {"manifest": {}, "resources": {"a": 1}}},
         "Pulumi state export: deployment.resources: not a list"),
        ("bad-urn.json", {"version": 3, "deployment": {"resources": [{"type": "aws:kms/key:Key", "urn": "k"}]}},
         "Pulumi state export: deployment.resources[0].urn: not a Pulumi URN"),
        ("bad-inputs.json", {"version": 3, "deployment": {"resources": [
            {"type": "aws:kms/key:Key", "urn": P + "aws:kms/key:Key::k", "inputs": ["x"]}]}},
         "Pulumi state export: deployment.resources[0].inputs: not an object"),
        ("bad-step.json", {"steps": [{"op": "create", "urn": P + "aws:kms/key:Key::k"}], "changeSummary": {}},
         "Pulumi preview JSON: steps[0].newState: missing for op create"),
        ("truncated.json", '{"version": 3, "deployment": {"manifest": {}, "resources": [',
         "malformed JSON: Expecting value"),
    ],
)
def test_a_malformed_document_is_one_line_naming_file_and_field(tmp_path, name, text, reason):
    f = tmp_path / name
    f.write_text(text if isinstance(text, str) else json.dumps(text), encoding="utf-8")
    r = run("iac", str(f), "--format", "json", cwd=tmp_path)
    assert r.returncode == 2
    if name == "truncated.json":  # not JSON at all: a file that cannot be parsed is the error itself
        assert r.stderr.startswith(f"sansho: error: {name}: cannot parse: {reason}")
    else:
        assert f"sansho: warning: {name}: not scanned / 判定対象外: {reason}\n" in r.stderr
    assert "Traceback" not in r.stderr


def test_json_that_is_neither_keeps_the_detection_message(tmp_path):
    f = tmp_path / "other.json"
    f.write_text(json.dumps({"steps": ["build", "test"]}), encoding="utf-8")
    r = run("iac", str(f), cwd=tmp_path)
    assert r.returncode == 2
    assert ("other.json: not scanned / 判定対象外: not a Terraform directory, Terraform plan JSON or "
            "CloudFormation template") in r.stderr


# --- the landing zone, captured under Pulumi's mocks, as a state export ---------------------------


def as_state_export(captured: list[dict]) -> dict:
    """What `pulumi stack export` holds for these registrations (ResourceV3 per resource)."""
    resources = []
    for e in captured:
        r = {"urn": e["urn"], "custom": True, "type": e["type"], "inputs": e["inputs"],
             "outputs": e.get("outputs") or {}, "propertyDependencies": e.get("dependencies") or {}}
        if e.get("id"):
            r["id"] = e["id"]
        if e.get("provider"):
            r["provider"] = e["provider"]
        resources.append(r)
    return {"version": 3, "deployment": {"manifest": {"time": "2026-06-01T00:00:00Z", "magic": "",
                                                       "version": "v3.205.0"}, "resources": resources}}


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pulumi_aws's own, on import of its V2 classes
@pytest.mark.parametrize("change", [{}, {"objectLock": False}], ids=["as-configured", "no-object-lock"])
def test_landing_zone_state_export_gets_the_adapters_verdicts(tmp_path, change):
    from ..pulumi.harness import dev_config, run_landing_zone

    captured = run_landing_zone({**dev_config(), **change})
    f = tmp_path / "lz-state.json"
    f.write_text(json.dumps(as_state_export(captured)), encoding="utf-8")
    r = run("iac", str(f), "--format", "json", "--as-of", "2026-06-01", cwd=tmp_path)
    assert r.returncode in (0, 1), r.stderr
    via_cli = {(x["control_id"], x["resource"]["id"], x["status"]) for x in json.loads(r.stdout)["findings"]}
    direct = Engine(load_catalog()).scan(normalize(captured), today=dt.date(2026, 6, 1))
    expected = {(x.control_id, x.resource.id, str(getattr(x.status, "value", x.status)))
                for x in direct.findings if x.resource is not None}
    assert via_cli == expected
    assert len(via_cli) > 50
    assert bool({x for x in via_cli if x[2] == "FAIL"}) == bool(change)
