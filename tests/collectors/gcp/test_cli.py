"""The real commands, as a user runs them: `sansho collect gcp` against the local Cloud Asset
server with Application Default Credentials, `sansho scan`, `--from-export` on the same estate,
and `sansho scan --live gcp` in one go."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from tests.support.cli import run

from . import hospital
from .conftest import CANARY_ACCESS, CANARY_REFRESH, CANARY_SECRET

AS_OF = "2026-11-20"
B = "//storage.googleapis.com/"
SQL = "//cloudsql.googleapis.com/projects/hosp-ehr/instances/"
BQ = "//bigquery.googleapis.com/projects/hosp-ehr/datasets/"
FW = "//compute.googleapis.com/projects/hosp-ehr/global/firewalls/"
SNAP = "//compute.googleapis.com/projects/hosp-ehr/global/snapshots/"
KEY = "//cloudkms.googleapis.com/projects/hosp-ehr/locations/asia-northeast1/keyRings/ehr-ring/cryptoKeys/"
TRAIL = "//cloudresourcemanager.googleapis.com/projects/{}#auditConfigs"
SCC = "//securitycenter.googleapis.com/projects/{}"

# What the hospital estate must fail, control by control (the readable projects).
EXPECTED_FAIL = {
    "SAN-BKP-005": {SQL + "ehr-db-legacy"},  # 3 daily backups
    "SAN-BKP-006": {B + "ehr-archive-asia1", B + "ehr-dr-configurable", B + "ehr-legacy-acl"},  # no versioning
    "SAN-ENC-006": {KEY + "ehr-old", KEY + "ehr-biennial"},  # no rotation; every 730 days
    "SAN-ENC-007": {SQL + "ehr-db-legacy"},  # ALLOW_UNENCRYPTED_AND_ENCRYPTED
    "SAN-LOC-001": {B + "ehr-exports-asia", BQ + "ehr_export_us", SNAP + "ehr-app-multi"},  # ASIA / US / asia
    "SAN-LOC-002": {B + "ehr-dr-configurable", SQL + "ehr-db-legacy"},  # Singapore half; backups in ASIA
    "SAN-LOC-004": {B + "ehr-archive-asia1", B + "ehr-dr-configurable", B + "ehr-exports-asia", B + "ehr-legacy-acl",
                    B + "ehr-records-tokyo", B + "img-dicom-osaka", BQ + "ehr_analytics", BQ + "ehr_export_us",
                    SQL + "ehr-db-legacy", SQL + "ehr-db-main", SQL + "ehr-db-replica"},  # no storage tags
    "SAN-LOG-001": {TRAIL.format("hosp-imaging")},  # no Data Access logs
    "SAN-LOG-003": {TRAIL.format("hosp-imaging")},  # log bucket not locked
    "SAN-REC-001": {B + "ehr-archive-asia1"},  # retention policy not locked (isLocked absent)
    "SAN-LOG-004": {TRAIL.format("hosp-imaging")},  # 30 days
    "SAN-LOG-007": {SQL + "ehr-db-replica", SQL + "ehr-db-legacy"},  # pgaudit.log ddl only; no pgaudit flags
    "SAN-NET-001": {FW + "allow-ssh-internet"},
    "SAN-NET-002": {FW + "allow-postgres"},  # no source given: Compute Engine applies 0.0.0.0/0
    "SAN-NET-003": {B + "ehr-public-site"},  # allUsers
    "SAN-NET-004": {SQL + "ehr-db-legacy", BQ + "ehr_export_us"},  # 0.0.0.0/0; allAuthenticatedUsers
    "SAN-NET-008": {SNAP + "ehr-shared"},  # allAuthenticatedUsers
    # roles/owner to a group and a user on hosp-ehr, to a group and (conditional) roles/editor to the
    # vendor's engineer on hosp-imaging; not the viewer, the service account or the deleted user
    "SAN-IAM-011": {"group:ehr-admins@hospital.example.jp", "user:dr-sato@hospital.example.jp",
                    "group:pacs-admins@hospital.example.jp", "user:engineer@pacs-vendor.example"},
}
GOOGLE_USERS = {"user:dr-sato@hospital.example.jp", "user:engineer@pacs-vendor.example"}
ALL_BUCKETS = {B + n for n in ("ehr-archive-asia1", "ehr-dr-configurable", "ehr-exports-asia", "ehr-legacy-acl",
                               "ehr-public-site", "ehr-records-tokyo", "img-dicom-osaka")}
EXPECTED_UNKNOWN = {
    "SAN-BKP-005": {BQ + "ehr_analytics", BQ + "ehr_export_us"},
    "SAN-ENC-004": ALL_BUCKETS,  # Cloud Storage has no setting that refuses plain HTTP
    "SAN-ENC-007": {BQ + "ehr_analytics", BQ + "ehr_export_us"},
    "SAN-LOC-002": {BQ + "ehr_analytics", BQ + "ehr_export_us"},
    "SAN-LOG-002": {TRAIL.format("hosp-ehr"), TRAIL.format("hosp-imaging")},
    "SAN-MAL-001": {SCC.format("hosp-ehr"), SCC.format("hosp-imaging")},
    "SAN-NET-003": {B + "ehr-legacy-acl"},  # object ACLs possible, not in Cloud Asset Inventory
    # Google accounts known from IAM bindings: sign-in, 2-step verification and keys are Cloud Identity's
    "SAN-IAM-003": GOOGLE_USERS, "SAN-IAM-005": GOOGLE_USERS, "SAN-IAM-010": GOOGLE_USERS, "SAN-IAM-013": GOOGLE_USERS,
    # no records label, medical or unlabelled, no locked retention: whether they hold finalised records
    # is not known (ehr-public-site is labelled as holding no medical information: not applicable)
    "SAN-REC-001": {B + "ehr-dr-configurable", B + "ehr-exports-asia", B + "ehr-legacy-acl", B + "img-dicom-osaka"},
}
# The project the caller may not read: every judged item there is UNKNOWN.
RESEARCH_UNKNOWN = {
    "SAN-LOG-001": {TRAIL.format("hosp-research")}, "SAN-LOG-002": {TRAIL.format("hosp-research")},
    "SAN-LOG-003": {TRAIL.format("hosp-research")}, "SAN-LOG-004": {TRAIL.format("hosp-research")},
    "SAN-MAL-001": {SCC.format("hosp-research")},
    "SAN-IAM-011": {"//cloudresourcemanager.googleapis.com/projects/hosp-research#iamBindings"},
}


def verdicts(doc: dict, status: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for f in doc["findings"]:
        if f["status"] == status:
            out[f["control_id"]].add(f["resource"]["id"])
    return dict(out)


def merged(*tables: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for t in tables:
        for k, v in t.items():
            out[k] |= v
    return dict(out)


def scan(inventory, tmp_path, name) -> dict:
    out = tmp_path / f"{name}.json"
    r = run("scan", str(inventory), "--format", "json", "-o", str(out), "--as-of", AS_OF)
    assert r.returncode == 1, r.stderr  # high-severity failures
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def live_scan(server, gcp_env, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gcp-cli")
    inv = tmp / "inventory.json"
    r = run("collect", "gcp", "--projects", "hosp-ehr,hosp-imaging,hosp-research", "--endpoint-url", server.url,
            "-o", str(inv))
    return r, inv, scan(inv, tmp, "live")


def test_collect_then_scan(live_scan, server):
    r, inv, doc = live_scan
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines() == [
        "GCP: 36 resources from 3 projects, 11 API calls; 44 items could not be read (they are judged UNKNOWN, "
        "with the reason); 2 listings refused / 資源 36 件を収集、読み取れなかった項目 44 件(理由とともに判定不能として扱います)"]
    assert verdicts(doc, "FAIL") == EXPECTED_FAIL
    assert verdicts(doc, "UNKNOWN") == merged(EXPECTED_UNKNOWN, RESEARCH_UNKNOWN)
    assert any("2 items could not be read by the collector (cloudasset/global)" in n for n in doc["notes"])
    # ADC went through the token endpoint and every API call carried its access token.
    gets = [a for m, _, a in server.state.requests if m == "GET"]
    assert gets and set(gets) <= {f"Bearer {CANARY_ACCESS}", None}
    assert f"Bearer {CANARY_ACCESS}" in gets
    # pgaudit on, logging DDL only: an audit log is kept, but it says nothing about who read what
    ddl = next(f for f in doc["findings"] if f["control_id"] == "SAN-LOG-007"
               and f["resource"]["id"] == SQL + "ehr-db-replica")
    assert ddl["status"] == "FAIL"
    assert "records ddl but no reads" in ddl["message"] or "参照を記録するクラス" in ddl["message"]


def test_no_secret_reaches_any_output(live_scan):
    r, inv, doc = live_scan
    texts = [r.stdout, r.stderr, inv.read_text(), json.dumps(doc)]
    for canary in (CANARY_ACCESS, CANARY_REFRESH, CANARY_SECRET):
        assert not any(canary in t for t in texts), canary


def test_export_files_give_the_same_verdicts(live_scan, tmp_path):
    _, _, live_doc = live_scan
    folder = tmp_path / "export"
    hospital.write_exports(folder)
    inv = tmp_path / "from-export.json"
    r = run("collect", "gcp", "--from-export", str(folder), "-o", str(inv))
    assert (r.returncode, r.stderr) == (0, "")
    doc = scan(inv, tmp_path, "export")
    assert verdicts(doc, "FAIL") == verdicts(live_doc, "FAIL") == EXPECTED_FAIL
    assert verdicts(doc, "UNKNOWN") == EXPECTED_UNKNOWN
    # One export file holding both content types (concatenated) reads the same.
    one = tmp_path / "estate.json"
    one.write_text((folder / "resource.json").read_text() + (folder / "iam-policy.json").read_text())
    inv2 = tmp_path / "from-one-file.json"
    assert run("collect", "gcp", "--from-export", str(one), "-o", str(inv2)).returncode == 0
    assert json.loads(inv2.read_text())["resources"] == json.loads(inv.read_text().replace(
        str(folder / "resource.json"), str(one)).replace(str(folder / "iam-policy.json"), str(one)))["resources"]


def test_scan_live_in_one_go(server, gcp_env, tmp_path, live_scan):
    out = tmp_path / "scan.json"
    r = run("scan", "--live", "gcp", "--projects", "hosp-ehr,hosp-imaging,hosp-research", "--endpoint-url",
            server.url, "--format", "json", "-o", str(out), "--as-of", AS_OF)
    assert r.returncode == 1, r.stderr
    doc = json.loads(out.read_text())
    assert verdicts(doc, "FAIL") == EXPECTED_FAIL
    assert verdicts(doc, "UNKNOWN") == merged(EXPECTED_UNKNOWN, RESEARCH_UNKNOWN)


def test_denied_project_messages_name_the_permission(live_scan):
    _, _, doc = live_scan
    msg = next(f["messages"]["en"] for f in doc["findings"]
               if f["control_id"] == "SAN-LOG-001" and f["resource"]["id"] == TRAIL.format("hosp-research"))
    assert "403 PERMISSION_DENIED (IAM_PERMISSION_DENIED): cloudasset.assets.listIamPolicy on projects/hosp-research" \
        in msg


def test_missing_credentials_is_one_line(gcp_env, server, monkeypatch):
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS")  # and no gcloud config, no metadata server
    r = run("collect", "gcp", "--projects", "hosp-ehr", "--endpoint-url", server.url)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == (
        "sansho: error: no Google Cloud credentials found (Application Default Credentials): run `gcloud auth "
        "application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS / 認証情報が見つかりません\n")


def test_scope_is_required(gcp_env):
    r = run("collect", "gcp")
    assert (r.returncode, r.stderr) == (2, "sansho: error: GCP: give exactly one scope: --organization ID, "
                                           "--folder ID or --projects P1,P2 / スコープを 1 つだけ指定してください\n")


def test_malformed_export_is_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(hospital.export_line(hospital.resources()["hosp-ehr"][1]) + "\n{oops\n")
    r = run("collect", "gcp", "--from-export", str(bad))
    assert (r.returncode, r.stderr) == (
        2, f"sansho: error: {bad}: line 2: malformed JSON: Expecting property name enclosed in double quotes\n")


@pytest.mark.parametrize("lang, first", [
    ("en", "sansho collect gcp reads Google Cloud through Cloud Asset Inventory only."),
    ("ja", "sansho collect gcp は Cloud Asset Inventory のみを読み取ります。"),
])
def test_print_permissions(lang, first):
    r = run("collect", "gcp", "--print-permissions", "--lang", lang)
    assert r.returncode == 0
    assert r.stdout.splitlines()[0] == first
    assert "roles/cloudasset.viewer" in r.stdout
    assert "cloudasset.assets.listResource, cloudasset.assets.listIamPolicy, cloudasset.assets.searchAllResources" \
        in r.stdout


def test_unreachable_endpoint_is_one_line(gcp_env, server):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = run("collect", "gcp", "--projects", "hosp-ehr", "--endpoint-url", f"https://127.0.0.1:{port}")
    assert (r.returncode, r.stderr) == (
        2, f"sansho: error: cannot reach the Cloud Asset API at https://127.0.0.1:{port}: ConnectionError / "
           "Cloud Asset API に接続できません\n")
