"""A hospital's Google Cloud estate as Cloud Asset Inventory would report it.

Three standalone projects (no organization above them, so the project's own IAM policy is the
whole audit-config chain): ``hosp-ehr`` (the electronic health record, Tokyo and Osaka, with
compliant and non-compliant resources of every kind read), ``hosp-imaging`` (PACS images in
Osaka), and ``hosp-research``, whose listings the caller may not read (403).

Documents follow each service's REST resource (Cloud Storage JSON API ``Bucket``, Cloud SQL Admin
``DatabaseInstance``, Compute ``Disk``/``Snapshot``/``Firewall``, BigQuery ``Dataset``, Cloud KMS
``CryptoKey``, Cloud Logging ``LogBucket``/``LogSink``) and the Cloud Asset ``Asset`` envelope.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PROJECTS = {"hosp-ehr": "100000000001", "hosp-imaging": "100000000002", "hosp-research": "100000000003"}
DENIED = "hosp-research"
CRM = "//cloudresourcemanager.googleapis.com"
KMS_KEY = "projects/hosp-ehr/locations/asia-northeast1/keyRings/ehr-ring/cryptoKeys/ehr-cmek"

DISCOVERY = {
    "storage.googleapis.com/Bucket": ("https://www.googleapis.com/discovery/v1/apis/storage/v1/rest", "Bucket"),
    "sqladmin.googleapis.com/Instance": ("https://sqladmin.googleapis.com/$discovery/rest", "DatabaseInstance"),
    "compute.googleapis.com/Disk": ("https://www.googleapis.com/discovery/v1/apis/compute/v1/rest", "Disk"),
    "compute.googleapis.com/Snapshot": ("https://www.googleapis.com/discovery/v1/apis/compute/v1/rest", "Snapshot"),
    "compute.googleapis.com/Firewall": ("https://www.googleapis.com/discovery/v1/apis/compute/v1/rest", "Firewall"),
    "bigquery.googleapis.com/Dataset": ("https://bigquery.googleapis.com/$discovery/rest", "Dataset"),
    "cloudkms.googleapis.com/CryptoKey": ("https://cloudkms.googleapis.com/$discovery/rest", "CryptoKey"),
    "logging.googleapis.com/LogBucket": ("https://logging.googleapis.com/$discovery/rest", "LogBucket"),
    "logging.googleapis.com/LogSink": ("https://logging.googleapis.com/$discovery/rest", "LogSink"),
    "cloudresourcemanager.googleapis.com/Project": (
        "https://cloudresourcemanager.googleapis.com/$discovery/rest", "Project"),
}


def _asset(project: str, asset_type: str, name: str, location: str, data: dict[str, Any]) -> dict[str, Any]:
    number = PROJECTS[project]
    uri, discovery_name = DISCOVERY[asset_type]
    return {"name": name, "assetType": asset_type,
            "resource": {"version": "v1", "discoveryDocumentUri": uri, "discoveryName": discovery_name,
                         "parent": f"{CRM}/projects/{number}", "data": data, "location": location},
            "ancestors": [f"projects/{number}"], "updateTime": "2026-11-19T09:00:00Z"}


def _policy(project: str, asset_type: str, name: str, bindings: list[dict[str, Any]],
            audit: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    policy: dict[str, Any] = {"version": 1, "bindings": bindings, "etag": "BwYtest="}
    if audit is not None:
        policy["auditConfigs"] = audit
    return {"name": name, "assetType": asset_type, "iamPolicy": policy,
            "ancestors": [f"projects/{PROJECTS[project]}"], "updateTime": "2026-11-19T09:00:00Z"}


def _project(pid: str) -> dict[str, Any]:
    number = PROJECTS[pid]
    return _asset(pid, "cloudresourcemanager.googleapis.com/Project", f"{CRM}/projects/{number}", "global",
                  {"projectNumber": number, "projectId": pid, "lifecycleState": "ACTIVE", "name": pid,
                   "labels": {"sansho_medical": "true"}})


def _bucket(pid: str, name: str, location: str, location_type: str, **extra: Any) -> dict[str, Any]:
    data = {"kind": "storage#bucket", "id": name, "name": name, "projectNumber": PROJECTS[pid],
            "location": location, "locationType": location_type, "storageClass": "STANDARD",
            "iamConfiguration": {"uniformBucketLevelAccess": {"enabled": True}, "publicAccessPrevention": "inherited"},
            "timeCreated": "2025-04-01T00:00:00.000Z", **extra}
    return _asset(pid, "storage.googleapis.com/Bucket", f"//storage.googleapis.com/{name}", location.lower(), data)


def _sql(pid: str, name: str, region: str, settings: dict[str, Any], **extra: Any) -> dict[str, Any]:
    data = {"kind": "sql#instance", "name": name, "project": pid, "region": region, "gceZone": f"{region}-a",
            "databaseVersion": "POSTGRES_16", "state": "RUNNABLE", "instanceType": "CLOUD_SQL_INSTANCE",
            "backendType": "SECOND_GEN", "settings": {"tier": "db-custom-4-16384", **settings}, **extra}
    return _asset(pid, "sqladmin.googleapis.com/Instance", f"//cloudsql.googleapis.com/projects/{pid}/instances/{name}",
                  region, data)


def _firewall(pid: str, name: str, **data: Any) -> dict[str, Any]:
    body = {"kind": "compute#firewall", "name": name, "network":
            f"https://www.googleapis.com/compute/v1/projects/{pid}/global/networks/ehr-vpc",
            "priority": 1000, "direction": "INGRESS", "disabled": False, **data}
    return _asset(pid, "compute.googleapis.com/Firewall",
                  f"//compute.googleapis.com/projects/{pid}/global/firewalls/{name}", "global", body)


def _key(pid: str, ring: str, name: str, **data: Any) -> dict[str, Any]:
    full = f"projects/{pid}/locations/asia-northeast1/keyRings/{ring}/cryptoKeys/{name}"
    body = {"name": full, "purpose": "ENCRYPT_DECRYPT", "createTime": "2025-04-01T00:00:00Z",
            "primary": {"name": f"{full}/cryptoKeyVersions/1", "state": "ENABLED", "protectionLevel": "SOFTWARE",
                        "algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION"}, **data}
    return _asset(pid, "cloudkms.googleapis.com/CryptoKey", f"//cloudkms.googleapis.com/{full}", "asia-northeast1",
                  body)


def _logging(pid: str, retention: int, locked: bool) -> list[dict[str, Any]]:
    bucket = f"projects/{pid}/locations/global/buckets/_Default"
    sink = f"projects/{pid}/sinks/_Default"
    return [
        _asset(pid, "logging.googleapis.com/LogBucket", f"//logging.googleapis.com/{bucket}", "global",
               {"name": bucket, "retentionDays": retention, "locked": locked, "lifecycleState": "ACTIVE"}),
        _asset(pid, "logging.googleapis.com/LogSink", f"//logging.googleapis.com/{sink}", "global",
               {"name": "_Default", "destination": f"logging.googleapis.com/{bucket}",
                "filter": "NOT LOG_ID(\"cloudaudit.googleapis.com/activity\")"}),
    ]


OWNERS = [{"role": "roles/storage.legacyBucketOwner", "members": ["projectOwner:hosp-ehr"]}]
ALL_LOGS = [{"service": "allServices", "auditLogConfigs": [
    {"logType": "ADMIN_READ"}, {"logType": "DATA_READ"}, {"logType": "DATA_WRITE"}]}]


def resources() -> dict[str, list[dict[str, Any]]]:
    """RESOURCE content per project."""
    e = "hosp-ehr"
    ehr = [
        _project(e),
        _bucket(e, "ehr-records-tokyo", "ASIA-NORTHEAST1", "region",
                encryption={"defaultKmsKeyName": KMS_KEY}, versioning={"enabled": True},
                retentionPolicy={"retentionPeriod": "315360000", "isLocked": True,
                                 "effectiveTime": "2025-04-01T00:00:00Z"},
                iamConfiguration={"uniformBucketLevelAccess": {"enabled": True}, "publicAccessPrevention": "enforced"},
                labels={"sansho_medical": "true", "classification": "medical", "sansho-records": "finalised"}),
        # finalised records under a retention policy that is not locked: it can be removed (SAN-REC-001 FAIL)
        _bucket(e, "ehr-archive-asia1", "ASIA1", "dual-region", versioning={"enabled": False},
                retentionPolicy={"retentionPeriod": "2592000", "effectiveTime": "2025-04-01T00:00:00Z"},
                labels={"sansho-records": "finalised"}),
        _bucket(e, "ehr-exports-asia", "ASIA", "multi-region", versioning={"enabled": True}),
        _bucket(e, "ehr-public-site", "US", "multi-region", labels={"sansho_medical": "false"}),
        _bucket(e, "ehr-legacy-acl", "ASIA-NORTHEAST1", "region",
                iamConfiguration={"uniformBucketLevelAccess": {"enabled": False},
                                  "publicAccessPrevention": "inherited"}),
        _bucket(e, "ehr-dr-configurable", "ASIA", "dual-region",
                customPlacementConfig={"dataLocations": ["ASIA-NORTHEAST1", "ASIA-SOUTHEAST1"]}),
        _sql(e, "ehr-db-main", "asia-northeast1", {
            "ipConfiguration": {"ipv4Enabled": False, "privateNetwork": f"projects/{e}/global/networks/ehr-vpc",
                                "sslMode": "ENCRYPTED_ONLY", "requireSsl": True},
            "backupConfiguration": {"enabled": True, "location": "asia-northeast2", "startTime": "18:00",
                                    "pointInTimeRecoveryEnabled": True, "transactionLogRetentionDays": 7,
                                    "backupRetentionSettings": {"retentionUnit": "COUNT", "retainedBackups": 14}},
            "databaseFlags": [{"name": "cloudsql.enable_pgaudit", "value": "on"},
                              {"name": "pgaudit.log", "value": "read,write,ddl"}],
            "userLabels": {"sansho_medical": "true"}},
            diskEncryptionConfiguration={"kmsKeyName": KMS_KEY, "kind": "sql#diskEncryptionConfiguration"},
            replicaNames=["ehr-db-replica"]),
        _sql(e, "ehr-db-replica", "asia-northeast2", {
            "ipConfiguration": {"ipv4Enabled": False, "sslMode": "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"},
            # pgaudit on but logging DDL only: who read which record is not recorded (システム運用編 17 ①)
            "databaseFlags": [{"name": "cloudsql.enable_pgaudit", "value": "on"}, {"name": "pgaudit.log", "value": "ddl"}],
            "backupConfiguration": {"enabled": True, "location": "asia-northeast2",
                                    "backupRetentionSettings": {"retentionUnit": "COUNT", "retainedBackups": 7}}},
            masterInstanceName=f"{e}:ehr-db-main"),
        _sql(e, "ehr-db-legacy", "asia-northeast1", {
            "ipConfiguration": {"ipv4Enabled": True, "sslMode": "ALLOW_UNENCRYPTED_AND_ENCRYPTED",
                                "authorizedNetworks": [{"value": "0.0.0.0/0", "name": "anywhere",
                                                        "kind": "sql#aclEntry"}]},
            "backupConfiguration": {"enabled": True,
                                    "backupRetentionSettings": {"retentionUnit": "COUNT", "retainedBackups": 3}}}),
        _asset(e, "compute.googleapis.com/Disk", f"//compute.googleapis.com/projects/{e}/zones/asia-northeast1-a/disks/ehr-app-1",
               "asia-northeast1-a",
               {"name": "ehr-app-1", "sizeGb": "200", "zone": f"https://www.googleapis.com/compute/v1/projects/{e}/zones/asia-northeast1-a",
                "diskEncryptionKey": {"kmsKeyName": f"{KMS_KEY}/cryptoKeyVersions/1"},
                "users": [f"https://www.googleapis.com/compute/v1/projects/{e}/zones/asia-northeast1-a/instances/ehr-app-1"]}),
        _asset(e, "compute.googleapis.com/Disk", f"//compute.googleapis.com/projects/{e}/zones/asia-northeast2-b/disks/ehr-batch",
               "asia-northeast2-b",
               {"name": "ehr-batch", "sizeGb": "100",
                "zone": f"https://www.googleapis.com/compute/v1/projects/{e}/zones/asia-northeast2-b"}),
        _asset(e, "compute.googleapis.com/Snapshot", f"//compute.googleapis.com/projects/{e}/global/snapshots/ehr-app-daily",
               "asia-northeast1", {"name": "ehr-app-daily", "storageLocations": ["asia-northeast1"],
                                   "snapshotEncryptionKey": {"kmsKeyName": f"{KMS_KEY}/cryptoKeyVersions/1"}}),
        _asset(e, "compute.googleapis.com/Snapshot", f"//compute.googleapis.com/projects/{e}/global/snapshots/ehr-app-multi",
               "asia", {"name": "ehr-app-multi", "storageLocations": ["asia"]}),
        _asset(e, "compute.googleapis.com/Snapshot", f"//compute.googleapis.com/projects/{e}/global/snapshots/ehr-shared",
               "asia-northeast1", {"name": "ehr-shared", "storageLocations": ["asia-northeast1"]}),
        _firewall(e, "allow-ssh-internet", sourceRanges=["0.0.0.0/0"], allowed=[{"IPProtocol": "tcp", "ports": ["22"]}]),
        # No sourceRanges, sourceTags or sourceServiceAccounts: Compute Engine applies 0.0.0.0/0.
        _firewall(e, "allow-postgres", allowed=[{"IPProtocol": "tcp", "ports": ["5432-5433"]}]),
        _firewall(e, "allow-internal", sourceRanges=["10.0.0.0/8"], allowed=[{"IPProtocol": "all"}]),
        _firewall(e, "allow-https", sourceRanges=["0.0.0.0/0"],
                  allowed=[{"IPProtocol": "tcp", "ports": ["443"]}, {"IPProtocol": "udp", "ports": ["443"]}]),
        _firewall(e, "allow-rdp-disabled", sourceRanges=["0.0.0.0/0"], disabled=True,
                  allowed=[{"IPProtocol": "tcp", "ports": ["3389"]}]),
        _asset(e, "bigquery.googleapis.com/Dataset", f"//bigquery.googleapis.com/projects/{e}/datasets/ehr_analytics",
               "asia-northeast1", {"kind": "bigquery#dataset", "datasetReference": {"datasetId": "ehr_analytics",
                                   "projectId": e}, "location": "asia-northeast1",
                                   "defaultEncryptionConfiguration": {"kmsKeyName": KMS_KEY},
                                   "access": [{"role": "OWNER", "specialGroup": "projectOwners"}]}),
        _asset(e, "bigquery.googleapis.com/Dataset", f"//bigquery.googleapis.com/projects/{e}/datasets/ehr_export_us",
               "us", {"kind": "bigquery#dataset", "datasetReference": {"datasetId": "ehr_export_us", "projectId": e},
                      "location": "US", "access": [{"role": "READER", "specialGroup": "allAuthenticatedUsers"}]}),
        _key(e, "ehr-ring", "ehr-cmek", rotationPeriod="7776000s", nextRotationTime="2026-12-01T00:00:00Z"),
        _key(e, "ehr-ring", "ehr-old"),
        _key(e, "ehr-ring", "ehr-biennial", rotationPeriod="63072000s"),
        *_logging(e, retention=3653, locked=True),
    ]
    i = "hosp-imaging"
    imaging = [
        _project(i),
        _bucket(i, "img-dicom-osaka", "ASIA-NORTHEAST2", "region", versioning={"enabled": True},
                labels={"sansho_medical": "true"}),
        *_logging(i, retention=30, locked=False),
    ]
    return {"hosp-ehr": ehr, "hosp-imaging": imaging}


def iam_policies() -> dict[str, list[dict[str, Any]]]:
    """IAM_POLICY content per project."""
    e, i = "hosp-ehr", "hosp-imaging"
    return {
        e: [
            _policy(e, "cloudresourcemanager.googleapis.com/Project", f"{CRM}/projects/{PROJECTS[e]}",
                    [{"role": "roles/owner", "members": ["group:ehr-admins@hospital.example.jp",
                                                         "user:dr-sato@hospital.example.jp"]},
                     {"role": "roles/viewer", "members": ["user:nurse-ito@hospital.example.jp"]},
                     {"role": "roles/editor", "members": ["serviceAccount:ci@hosp-ehr.iam.gserviceaccount.com",
                                                          "deleted:user:former@hospital.example.jp"]}], ALL_LOGS),
            *[_policy(e, "storage.googleapis.com/Bucket", f"//storage.googleapis.com/{b}", OWNERS)
              for b in ("ehr-records-tokyo", "ehr-archive-asia1", "ehr-exports-asia", "ehr-legacy-acl",
                        "ehr-dr-configurable")],
            # Public, but prevention is enforced on ehr-records-tokyo only; this one is served to anyone.
            _policy(e, "storage.googleapis.com/Bucket", "//storage.googleapis.com/ehr-public-site",
                    OWNERS + [{"role": "roles/storage.objectViewer", "members": ["allUsers"]}]),
            _policy(e, "compute.googleapis.com/Snapshot",
                    f"//compute.googleapis.com/projects/{e}/global/snapshots/ehr-shared",
                    [{"role": "roles/compute.storageAdmin", "members": ["allAuthenticatedUsers"]}]),
        ],
        i: [
            # Admin Activity only: no Data Access logs configured.
            _policy(i, "cloudresourcemanager.googleapis.com/Project", f"{CRM}/projects/{PROJECTS[i]}",
                    [{"role": "roles/owner", "members": ["group:pacs-admins@hospital.example.jp"]},
                     # the imaging vendor's engineer, for a maintenance window
                     {"role": "roles/editor", "members": ["user:engineer@pacs-vendor.example"],
                      "condition": {"title": "maintenance window",
                                    "expression": "request.time < timestamp('2026-12-31T00:00:00Z')"}}],
                    [{"service": "storage.googleapis.com", "auditLogConfigs": [{"logType": "DATA_READ"}]}]),
            _policy(i, "storage.googleapis.com/Bucket", "//storage.googleapis.com/img-dicom-osaka", OWNERS),
        ],
    }


def serve(state: Any) -> None:
    """Load the estate into a server state."""
    for pid, assets in resources().items():
        for key in (f"projects/{pid}", f"projects/{PROJECTS[pid]}"):
            state.assets.setdefault(key, {})["RESOURCE"] = assets
    for pid, assets in iam_policies().items():
        for key in (f"projects/{pid}", f"projects/{PROJECTS[pid]}"):
            state.assets.setdefault(key, {})["IAM_POLICY"] = assets
    state.denied |= {f"projects/{DENIED}", f"projects/{PROJECTS[DENIED]}"}


def snake(key: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)


def export_line(asset: dict[str, Any]) -> str:
    """One line as `gcloud asset export` writes it: the envelope's field names in snake_case,
    the service's document untouched."""
    out: dict[str, Any] = {}
    for k, v in asset.items():
        if k == "resource":
            out["resource"] = {snake(rk): rv for rk, rv in v.items()}
        elif k == "iamPolicy":
            out["iam_policy"] = _snake_all(v)
        else:
            out[snake(k)] = v
    return json.dumps(out, ensure_ascii=False)


def _snake_all(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {snake(k): _snake_all(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_snake_all(v) for v in obj]
    return obj


def write_exports(directory: Path) -> tuple[Path, Path]:
    """The readable projects' `--content-type=resource` and `--content-type=iam-policy` exports."""
    directory.mkdir(parents=True, exist_ok=True)
    res, iam = directory / "resource.json", directory / "iam-policy.json"
    res.write_text("".join(export_line(a) + "\n" for assets in resources().values() for a in assets))
    iam.write_text("".join(export_line(a) + "\n" for assets in iam_policies().values() for a in assets))
    return res, iam


def search_results() -> list[dict[str, Any]]:
    """`gcloud asset search-all-resources --format=json` for the readable projects (no read mask)."""
    out = []
    for assets in resources().values():
        for a in assets:
            data = a["resource"]["data"]
            labels = data.get("labels") or data.get("settings", {}).get("userLabels")
            keys = [k for k in (data.get("encryption", {}).get("defaultKmsKeyName"),
                                data.get("diskEncryptionConfiguration", {}).get("kmsKeyName"),
                                data.get("defaultEncryptionConfiguration", {}).get("kmsKeyName")) if k]
            r = {"name": a["name"], "assetType": a["assetType"], "project": a["ancestors"][0],
                 "displayName": a["name"].rsplit("/", 1)[-1], "location": a["resource"]["location"],
                 "parentFullResourceName": a["resource"]["parent"], "parentAssetType":
                 "cloudresourcemanager.googleapis.com/Project", "state": "ACTIVE"}
            if labels:
                r["labels"] = labels
            if keys:
                r["kmsKeys"] = keys
            out.append(r)
    return out
