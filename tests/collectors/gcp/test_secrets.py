"""GCP documents kept as ``raw`` evidence are scrubbed as Azure's are: secret-named fields dropped,
secret-looking strings cut. Canaries planted in a `gcloud asset export` must reach no output."""

from __future__ import annotations

import json

from tests.support.cli import run

from .hospital import _asset, _sql, export_line

CANARY_RAW_KEY = "Q0FOQVJZLWNzZWstcmF3LWtleS0wMTIzNDU2Nzg5YWI="
CANARY_RSA_KEY = "CANARY-rsa-encrypted-key-0123456789"
CANARY_ROOT_PW = "CANARY-root-password-0123"
CANARY_PEM = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCANARY"
CANARY_URL_PW = "CANARY-url-password-4567"
CANARY_API_KEY = "AIzaSyCANARY0123456789abcdefghijklmnopq"  # AIza and 35 characters
CANARY_SECRET_LABEL = "CANARY-shared-secret-89ab"
CANARIES = (CANARY_RAW_KEY, CANARY_RSA_KEY, CANARY_ROOT_PW, CANARY_PEM, CANARY_URL_PW, CANARY_API_KEY,
            CANARY_SECRET_LABEL, "CANARY")


def assets() -> list[dict]:
    disk = _asset("hosp-ehr", "compute.googleapis.com/Disk",
                  "//compute.googleapis.com/projects/hosp-ehr/zones/asia-northeast1-a/disks/pacs-csek",
                  "asia-northeast1-a", {
                      "name": "pacs-csek", "zone": "asia-northeast1-a", "sizeGb": "500",
                      "diskEncryptionKey": {"rawKey": CANARY_RAW_KEY, "sha256": "c2hhMjU2LW9mLXRoZS1rZXk="},
                      "sourceImageEncryptionKey": {"rsaEncryptedKey": CANARY_RSA_KEY},
                      "labels": {"sansho_medical": "true"}})
    sql = _sql("hosp-ehr", "ehr-db-secrets", "asia-northeast1", {
        "ipConfiguration": {"ipv4Enabled": False, "sslMode": "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"},
        "backupConfiguration": {"enabled": True},
        "databaseFlags": [{"name": "cloudsql.enable_pgaudit", "value": "on"}],
        "userLabels": {"sansho_medical": "true"}},
        rootPassword=CANARY_ROOT_PW,
        serverCaCert={"cert": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"},
        replicaConfiguration={"mysqlReplicaConfiguration": {
            "clientKey": f"-----BEGIN PRIVATE KEY-----\n{CANARY_PEM}\n-----END PRIVATE KEY-----",
            "sharedSecret": CANARY_SECRET_LABEL}},
        failoverReplica={"name": f"postgres://replicator:{CANARY_URL_PW}@10.0.0.5:5432/ehr"},
        description=f"legacy API key {CANARY_API_KEY} kept for the reporting job")
    return [disk, sql]


def test_export_secrets_reach_no_output(tmp_path):
    export = tmp_path / "resource.json"
    export.write_text("".join(export_line(a) + "\n" for a in assets()))
    assert all(c in export.read_text() for c in CANARIES)
    inv = tmp_path / "gcp.json"
    r = run("collect", "gcp", "--from-export", str(export), "-o", str(inv))
    assert r.returncode == 0, r.stderr
    text = inv.read_text()
    for canary in CANARIES:
        assert canary not in text and canary not in r.stderr, canary
    raw = {res["id"].rsplit("/", 1)[-1]: res["raw"]["data"] for res in json.loads(text)["resources"]
           if "data" in res.get("raw", {})}
    # what is not a secret stays as evidence: the CSEK's hash, the CA certificate, the flags
    assert raw["pacs-csek"]["diskEncryptionKey"] == {"sha256": "c2hhMjU2LW9mLXRoZS1rZXk="}
    assert raw["pacs-csek"]["sourceImageEncryptionKey"] == {}
    db = raw["ehr-db-secrets"]
    assert "rootPassword" not in db and db["serverCaCert"]["cert"].startswith("-----BEGIN CERTIFICATE-----")
    assert db["replicaConfiguration"] == {"mysqlReplicaConfiguration": {}}
    assert db["failoverReplica"] == {"name": "postgres://replicator:***@10.0.0.5:5432/ehr"}
    assert db["description"] == "legacy API key *** kept for the reporting job"
    assert db["settings"]["databaseFlags"] == [{"name": "cloudsql.enable_pgaudit", "value": "on"}]
