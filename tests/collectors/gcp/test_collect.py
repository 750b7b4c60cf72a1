"""The GCP collector in-process: the real AssetServiceClient (REST) against the local server."""

from __future__ import annotations

import json
import math
import sys

import pytest

from sansho.collectors.gcp import from_export, label_key
from sansho.collectors.gcp.normalize import normalize
from sansho.policies.config import TagKeys
from sansho.policies.errors import InputError

from . import hospital

PROJECTS = "hosp-ehr,hosp-imaging,hosp-research"


def _collect(server, scope=None, **kw):
    from google.auth.credentials import AnonymousCredentials

    from sansho.collectors.gcp import live

    scope = scope or {"projects": PROJECTS}
    coll = live.collect(scope.get("organization"), scope.get("folder"), scope.get("projects"), server.url,
                        credentials=AnonymousCredentials(), **kw)
    return coll, normalize(coll.estate, kw.get("tag_keys"), live.on_error_live(coll))


@pytest.fixture(scope="module")
def collected(server, gcp_env):
    start = len(server.state.requests)
    coll, resources = _collect(server)
    return coll, resources, server.state.requests[start:]  # with this collection's own requests


def by_id(resources):
    return {r.id: r for r in resources}


def test_pages_follow_next_page_token(server, collected):
    coll, _, requests = collected
    size = server.state.page_size
    ehr, img = (len(hospital.resources()[p]) for p in ("hosp-ehr", "hosp-imaging"))
    iam_ehr, iam_img = (len(hospital.iam_policies()[p]) for p in ("hosp-ehr", "hosp-imaging"))
    assert ehr > 2 * size  # the multi-page case
    assert coll.calls == {"cloudasset.assets.listResource": math.ceil(ehr / size) + math.ceil(img / size),
                          "cloudasset.assets.listIamPolicy": math.ceil(iam_ehr / size) + math.ceil(iam_img / size)}
    tokens = sorted(int(p.split("pageToken=")[1].split("&")[0]) for m, p, _ in requests
                    if m == "GET" and p.startswith("/v1/projects/hosp-ehr/assets?") and "pageToken=" in p
                    and "contentType=1" in p)
    assert tokens[:3] == [size, 2 * size, 3 * size]
    # every RESOURCE asset of the two readable projects was read
    assert {i.name for i in coll.estate.items.values()} == {
        a["name"] for p in ("hosp-ehr", "hosp-imaging") for a in hospital.resources()[p]}


def test_permission_denied_is_recorded_and_leaves_the_project_unknown(collected):
    coll, resources, _ = collected
    assert [(e.api, e.resource, e.reason) for e in coll.errors] == [
        ("cloudasset.assets.listIamPolicy", "projects/hosp-research",
         "403 PERMISSION_DENIED (IAM_PERMISSION_DENIED): cloudasset.assets.listIamPolicy on projects/hosp-research"),
        ("cloudasset.assets.listResource", "projects/hosp-research",
         "403 PERMISSION_DENIED (IAM_PERMISSION_DENIED): cloudasset.assets.listResource on projects/hosp-research"),
    ]
    research = [r for r in resources if r.account == "hosp-research"]
    assert sorted(r.kind for r in research) == ["audit.trail", "identity.group", "security.threat_detection"]
    bindings = next(r for r in research if r.kind == "identity.group")  # who holds which role there: not read
    assert (bindings.admin_rights, bindings.read_errors["admin_rights"]) == (None, coll.errors[0].reason)
    trail = next(r for r in research if r.kind == "audit.trail")
    assert trail.enabled is None and trail.retention_days is None
    assert trail.read_errors["enabled"] == coll.errors[0].reason
    assert trail.read_errors["retention_days"] == coll.errors[1].reason


def test_fields(collected):
    _, resources, _ = collected
    r = by_id(resources)
    b = "//storage.googleapis.com/"
    # Locations: region, predefined dual-region ASIA1 (Tokyo + Osaka), multi-regions.
    assert (r[b + "ehr-records-tokyo"].region, r[b + "ehr-records-tokyo"].country) == ("asia-northeast1", "JP")
    assert (r[b + "ehr-archive-asia1"].region, r[b + "ehr-archive-asia1"].country) == ("asia1", "JP")
    assert (r[b + "ehr-exports-asia"].region, r[b + "ehr-exports-asia"].country) == ("asia", "MULTI")
    assert r[b + "ehr-public-site"].country == "MULTI"
    # A configurable dual-region: the second region is where a copy of every object lives.
    dual = r[b + "ehr-dr-configurable"]
    assert (dual.region, [(d.relation, d.region, d.country) for d in dual.destinations]) == (
        "asia-northeast1", [("geo_secondary", "asia-southeast1", "SG")])
    tokyo = r[b + "ehr-records-tokyo"]
    assert (tokyo.key_managed_by, tokyo.kms_key_id) == ("customer", hospital.KMS_KEY)
    assert (tokyo.immutable, tokyo.immutability_mode, tokyo.retention_days, tokyo.public) == (True, "locked", 3650, False)
    assert (r[b + "ehr-archive-asia1"].immutable, r[b + "ehr-archive-asia1"].immutability_mode) == (True, "unlocked")
    assert r[b + "ehr-public-site"].public is True and r[b + "ehr-public-site"].holds_medical_data is False
    assert r[b + "ehr-legacy-acl"].public is None
    assert "uniform bucket-level access is off" in r[b + "ehr-legacy-acl"].read_errors["public"]
    sql = "//cloudsql.googleapis.com/projects/hosp-ehr/instances/"
    main, legacy = r[sql + "ehr-db-main"], r[sql + "ehr-db-legacy"]
    assert (main.publicly_accessible, main.tls_required, main.backup_retention_days) == (False, True, 14)
    assert [(d.relation, d.target, d.region) for d in main.destinations] == [
        ("backup_copy", "automated backups", "asia-northeast2"), ("read_replica", "ehr-db-replica", "asia-northeast2")]
    # No custom backup location: Cloud SQL keeps backups in the nearest multi-region.
    assert (legacy.publicly_accessible, legacy.tls_required) == (True, False)
    assert [(d.region, d.country) for d in legacy.destinations] == [("asia", "MULTI")]
    assert [(r[sql + n].audit_logging, r[sql + n].audit_classes) for n in ("ehr-db-main", "ehr-db-replica",
                                                                           "ehr-db-legacy")] == [
        (True, ["read", "write", "ddl"]), (True, ["ddl"]), (False, [])]  # reads logged; DDL only; no pgaudit flags
    bq = "//bigquery.googleapis.com/projects/hosp-ehr/datasets/"
    # BigQuery's Data Access logs (every read of table data) cannot be turned off
    assert (r[bq + "ehr_analytics"].audit_logging, r[bq + "ehr_analytics"].audit_classes) == (True, ["DATA_READ"])
    fw = "//compute.googleapis.com/projects/hosp-ehr/global/firewalls/"
    pg = r[fw + "allow-postgres"]
    assert (pg.sources, [(p.from_port, p.to_port) for p in pg.ports]) == (["0.0.0.0/0"], [(5432, 5433)])
    assert {k for k in r if k.startswith(fw + "allow-https")} == {fw + "allow-https#allowed[0]",
                                                                 fw + "allow-https#allowed[1]"}
    assert not any("allow-rdp-disabled" in k for k in r)
    key = "//cloudkms.googleapis.com/projects/hosp-ehr/locations/asia-northeast1/keyRings/ehr-ring/cryptoKeys/"
    assert (r[key + "ehr-cmek"].rotation_enabled, r[key + "ehr-cmek"].rotation_period_days) == (True, 90)
    assert r[key + "ehr-old"].rotation_enabled is False
    disk = "//compute.googleapis.com/projects/hosp-ehr/zones/"
    assert (r[disk + "asia-northeast2-b/disks/ehr-batch"].region, r[disk + "asia-northeast2-b/disks/ehr-batch"]
            .key_managed_by) == ("asia-northeast2", "provider")
    trail = r["//cloudresourcemanager.googleapis.com/projects/hosp-imaging#auditConfigs"]
    assert (trail.enabled, trail.multi_region, trail.retention_days, trail.destination_immutable) == (
        False, True, 30, False)
    locked = r["//cloudresourcemanager.googleapis.com/projects/hosp-ehr#auditConfigs"]
    assert (locked.destination_immutable, locked.destination_immutability_mode) == (True, "locked")


def test_export_gives_the_same_resources_as_live(collected, tmp_path):
    _, live_resources, _ = collected
    hospital.write_exports(tmp_path)
    exported, errors = from_export(tmp_path, None)
    assert errors == []

    def key(resources):
        return {r.id: r.model_dump(exclude={"source", "raw"}) for r in resources if r.account != "hosp-research"}

    assert key(exported) == key(live_resources)
    assert {r.source.type for r in exported} == {"inventory"}
    first = next(r for r in exported if r.id == "//storage.googleapis.com/ehr-records-tokyo")
    assert (first.source.file, first.source.line) == (str(tmp_path / "resource.json"), 2)


def test_search_export_reads_locations_and_says_what_it_lacks(collected, tmp_path):
    _, live_resources, _ = collected
    path = tmp_path / "search.json"
    path.write_text(json.dumps(hospital.search_results(), indent=2))
    resources, errors = from_export(path, None)
    r = by_id(resources)
    bucket = r["//storage.googleapis.com/ehr-exports-asia"]
    assert (bucket.region, bucket.country, bucket.encrypted, bucket.public) == ("asia", "MULTI", True, None)
    assert "search-all-resources" in bucket.read_errors["public"]
    assert r["//storage.googleapis.com/ehr-records-tokyo"].key_managed_by == "customer"
    live_regions = {x.id: x.region for x in live_resources if x.kind in ("storage.bucket", "database.instance")
                    and x.account != "hosp-research" and "configurable" not in x.id}
    assert {k: r[k].region for k in live_regions} == live_regions
    assert [e.api for e in errors] == ["export (iam-policy)", "export (resource)"]


def test_organization_scope_reads_inherited_audit_configs(server, gcp_env):
    st = server.state
    org, folder, number = "organizations/900000000001", "folders/300000000001", "200000000001"
    ancestors = [f"projects/{number}", folder, org]
    project = {"name": f"//cloudresourcemanager.googleapis.com/projects/{number}",
               "assetType": "cloudresourcemanager.googleapis.com/Project", "ancestors": ancestors,
               "resource": {"data": {"projectId": "ward-app", "projectNumber": number}, "location": "global"}}
    st.search[org] = [{"name": project["name"], "assetType": project["assetType"], "project": f"projects/{number}",
                       "folders": [folder], "organization": org, "state": "ACTIVE"}]
    st.search[folder] = st.search[org]
    st.assets[f"projects/{number}"] = {"RESOURCE": [project], "IAM_POLICY": [
        {"name": project["name"], "assetType": project["assetType"], "ancestors": ancestors,
         "iamPolicy": {"bindings": [{"role": "roles/viewer", "members": ["group:ward@hospital.example.jp"]}]}}]}
    st.assets[org] = {"IAM_POLICY": [
        {"name": f"//cloudresourcemanager.googleapis.com/{org}", "assetType":
         "cloudresourcemanager.googleapis.com/Organization", "ancestors": [org],
         "iamPolicy": {"bindings": [], "auditConfigs": hospital.ALL_LOGS}}]}
    st.assets[folder] = {"IAM_POLICY": []}
    coll, resources = _collect(server, {"organization": org.split("/")[1]})
    trail = by_id(resources)["//cloudresourcemanager.googleapis.com/projects/ward-app#auditConfigs"]
    assert (coll.projects, trail.enabled, trail.account) == ([f"projects/{number}"], True, "ward-app")
    assert coll.calls["cloudasset.assets.searchAllResources"] == 1
    # From the folder the organization's policy is out of sight: not read, never a FAIL.
    _, resources = _collect(server, {"folder": folder.split("/")[1]})
    trail = by_id(resources)["//cloudresourcemanager.googleapis.com/projects/ward-app#auditConfigs"]
    assert trail.enabled is None
    assert trail.read_errors["enabled"] == (
        "Data Access logs are not on in the project's policy, and may be inherited from organizations/900000000001, "
        "whose policy was not read (outside the scope, or refused)")


@pytest.mark.parametrize("scope, message", [
    ({}, "GCP: give exactly one scope: --organization ID, --folder ID or --projects P1,P2 / スコープを 1 つだけ指定してください"),
    ({"organization": "1", "projects": "p"},
     "GCP: give exactly one scope: --organization ID, --folder ID or --projects P1,P2 / スコープを 1 つだけ指定してください"),
    ({"folder": "1,2"}, "--folder: give one ID"),
])
def test_scope_must_be_one(scope, message):
    from sansho.collectors.gcp import live

    with pytest.raises(InputError) as e:
        live.scope_of(scope.get("organization"), scope.get("folder"), scope.get("projects"))
    assert str(e.value) == message


def test_missing_sdk_is_an_install_hint(monkeypatch):
    from sansho.collectors.gcp import live

    monkeypatch.setitem(sys.modules, "google.cloud.asset_v1", None)
    with pytest.raises(InputError) as e:
        live.import_sdk()
    assert str(e.value) == "the GCP collector needs google-cloud-asset: pip install 'sansho[gcp]'"


def test_configured_tag_keys_map_to_labels(tmp_path):
    assert label_key("sansho:medical") == "sansho_medical"
    assert label_key("Hospital:PHI") == "hospital_phi"
    hospital.write_exports(tmp_path)
    resources, _ = from_export(tmp_path, TagKeys(medical="hospital:phi"))
    # The estate labels sansho_medical only: with another key configured nothing is marked.
    assert {r.holds_medical_data for r in resources} == {None}


BUCKET_LINE = hospital.export_line(hospital.resources()["hosp-ehr"][1])


@pytest.mark.parametrize("content, message", [
    ("", "holds no Cloud Asset Inventory assets / アセットが含まれていません"),
    (BUCKET_LINE + "\n{not json\n", "line 2: malformed JSON: Expecting property name enclosed in double quotes"),
    ("[1]", "record 1: field '(record)': expected a JSON object, got int"),
    ('{"name": "//storage.googleapis.com/x"}\n', "line 1: field 'assetType': missing or not a string"),
    (BUCKET_LINE.replace('"315360000"', '"ten years"') + "\n",
     "line 1 (//storage.googleapis.com/ehr-records-tokyo): field 'resource.data.retentionPolicy.retentionPeriod': "
     "expected an integer, got 'ten years'"),
    (BUCKET_LINE.replace('"isLocked": true', '"isLocked": "yes"') + "\n",
     "line 1 (//storage.googleapis.com/ehr-records-tokyo): field 'resource.data.retentionPolicy.isLocked': "
     "expected a boolean, got str"),
])
def test_malformed_export_names_file_line_and_field(tmp_path, content, message):
    path = tmp_path / "export.json"
    path.write_text(content)
    with pytest.raises(InputError) as e:
        from_export(path, None)
    assert str(e.value) == f"{path}: {message}"


def test_unavailable_is_retried_with_backoff(server, gcp_env):
    server.state.unavailable["projects/hosp-imaging"] = 2
    coll, resources = _collect(server, {"projects": "hosp-imaging"})
    assert coll.errors == []
    assert server.state.unavailable["projects/hosp-imaging"] == 0
    assert "//storage.googleapis.com/img-dicom-osaka" in by_id(resources)


def test_gcloud_asset_list_json_reads_like_an_export(tmp_path):
    """`gcloud asset list --format=json`: a JSON list of Assets in camelCase."""
    hospital.write_exports(tmp_path / "ndjson")
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps([a for p in hospital.resources().values() for a in p]
                                 + [a for p in hospital.iam_policies().values() for a in p], indent=1))
    from_ndjson, _ = from_export(tmp_path / "ndjson", None)
    from_list, errors = from_export(listed, None)
    assert errors == []
    assert [r.model_dump(exclude={"source"}) for r in from_list] == [
        r.model_dump(exclude={"source"}) for r in from_ndjson]


def test_search_with_read_mask_carries_the_documents(tmp_path):
    """`search-all-resources --read-mask='*'`: the bucket document arrives in versionedResources."""
    asset = hospital.resources()["hosp-ehr"][4]  # ehr-public-site
    result = {"name": asset["name"], "assetType": asset["assetType"], "project": asset["ancestors"][0],
              "location": "us", "versionedResources": [{"version": "v1", "resource": asset["resource"]["data"]}]}
    path = tmp_path / "search.json"
    path.write_text(json.dumps([result]))
    (bucket,) = [r for r in from_export(path, None)[0] if r.kind == "storage.bucket"]
    assert (bucket.region, bucket.versioning, bucket.immutable, bucket.holds_medical_data) == ("us", False, False, False)
    # No IAM policy in a search export: public stays unread, with the reason.
    assert bucket.public is None and "iam-policy" in bucket.read_errors["public"]


def test_malformed_iam_policy_names_the_binding(tmp_path):
    line = hospital.export_line(hospital.iam_policies()["hosp-ehr"][0]).replace(
        '"members": ["group:ehr-admins@hospital.example.jp", "user:dr-sato@hospital.example.jp"]',
        '"members": "allUsers"')
    path = tmp_path / "iam.json"
    path.write_text(line + "\n")
    with pytest.raises(InputError) as e:
        from_export(path, None)
    assert str(e.value) == f"{path}: line 1: field 'iam_policy.bindings[0].members': expected a list of strings"


MYSQL_RULES = ("Cloud SQL for MySQL audits what its audit rules name (mysql.cloudsql_create_audit_rule), inside "
               "the database; the Admin API does not show them, so the classes audited were not read")
SQLSERVER_SPECS = ("SQL Server records what its server and database audit specifications name, inside the "
                   "database; the Admin API does not show them, so the classes audited were not read")


@pytest.mark.parametrize(("version", "settings", "expected", "errors"), [
    ("postgres_15", {"databaseFlags": [{"name": "cloudsql.enable_pgaudit", "value": "on"},
                                       {"name": "pgaudit.log", "value": "all"}]}, (True, ["all"]), {}),
    # DDL only: an audit log is kept, but it records no reads (SAN-LOG-007 FAIL, not PASS)
    ("postgres_15", {"databaseFlags": [{"name": "cloudsql.enable_pgaudit", "value": "on"},
                                       {"name": "pgaudit.log", "value": "ddl, role"}]}, (True, ["ddl", "role"]), {}),
    ("postgres_15", {"databaseFlags": [{"name": "cloudsql.enable_pgaudit", "value": "on"},
                                       {"name": "pgaudit.log", "value": "all,-read"}]},
     (True, ["write", "function", "role", "ddl", "misc", "misc_set"]), {}),
    ("postgres_15", {"databaseFlags": [{"name": "pgaudit.log", "value": "all"}]}, (False, []), {}),  # not enabled
    ("mysql_8_0", {"databaseFlags": [{"name": "cloudsql_mysql_audit", "value": "ON"}]}, (True, None),
     {"audit_classes": MYSQL_RULES}),
    ("mysql_8_0", {"databaseFlags": [{"name": "cloudsql_mysql_audit", "value": "OFF"}]}, (False, None), {}),
    ("mysql_8_0", {}, (False, None), {}),
    ("sqlserver_2022_standard", {"sqlServerAuditConfig": {"bucket": "gs://ehr-sql-audit"}}, (True, None),
     {"audit_classes": SQLSERVER_SPECS}),
    ("sqlserver_2022_standard", {}, (False, None), {}),
    ("unknown_engine", {}, (None, None), {"audit_logging": "database audit logging is not read for engine unknown_engine"}),
])
def test_cloud_sql_audit_flags(version, settings, expected, errors):
    from sansho.collectors.gcp.normalize import Normalizer, Reader

    got: dict[str, str] = {}
    assert Normalizer._sql_audit(Reader({"settings": settings}), version, got) == expected
    assert got == errors


def test_admin_members_of_project_policies(collected):
    """SAN-IAM-011 from the projects' IAM policies: people (user:, group:) bound to roles/owner or
    roles/editor; not the viewer, the service account or the deleted user."""
    from sansho.policies.catalog import load_catalog
    from sansho.policies.config import Config
    from sansho.policies.engine.core import Engine

    _, resources, _ = collected
    people = {r.id: r for r in resources if r.kind in ("identity.user", "identity.group") and r.admin_rights}
    assert {k: (v.kind, v.account, v.admin_grants) for k, v in people.items()} == {
        "group:ehr-admins@hospital.example.jp": ("identity.group", "hosp-ehr", ["roles/owner on projects/hosp-ehr"]),
        "user:dr-sato@hospital.example.jp": ("identity.user", "hosp-ehr", ["roles/owner on projects/hosp-ehr"]),
        "group:pacs-admins@hospital.example.jp": ("identity.group", "hosp-imaging",
                                                  ["roles/owner on projects/hosp-imaging"]),
        "user:engineer@pacs-vendor.example": ("identity.user", "hosp-imaging",
                                              ["roles/editor on projects/hosp-imaging (with an IAM condition)"]),
    }
    listed = {r.id for r in resources if r.kind in ("identity.user", "identity.group")}
    assert not listed & {"user:nurse-ito@hospital.example.jp", "serviceAccount:ci@hosp-ehr.iam.gserviceaccount.com",
                         "deleted:user:former@hospital.example.jp", "user:former@hospital.example.jp"}
    catalog = load_catalog()
    eng = Engine(catalog, Config(parameters={"SAN-IAM-011": {"break_glass_principals": ["dr-sato@hospital.example.jp"]}}))
    got = {f.resource.id: f.status for f in eng.scan(resources, [catalog["SAN-IAM-011"]]).findings}
    assert got["user:dr-sato@hospital.example.jp"] == "NOT_APPLICABLE"  # named by e-mail address
    assert got["user:engineer@pacs-vendor.example"] == "FAIL"
    assert got["//cloudresourcemanager.googleapis.com/projects/hosp-research#iamBindings"] == "UNKNOWN"
