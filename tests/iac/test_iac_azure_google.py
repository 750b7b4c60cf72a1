"""azurerm and google resources through the real `sansho iac` CLI: exact failing (control, address)
pairs, the UNKNOWNs with their reasons, and the facts the verdicts rest on (regions, region pairs,
multi-regions, joins)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

pytest.importorskip("checkov")

from sansho.collectors.iac import load  # noqa: E402

from ..support.cli import run  # noqa: E402

CORPUS = Path(__file__).parent / "corpus"
AZURE = CORPUS / "terraform" / "azure_hospital"
GCP = CORPUS / "terraform" / "gcp_hospital"
PLAN = CORPUS / "plan" / "hospital-multicloud.tfplan.json"
AS_OF = "2026-11-01"


def scan(path: Path, *extra: str) -> dict:
    r = run("iac", str(path), "--format", "json", "--as-of", AS_OF, "--lang", "en", *extra)
    # FAIL findings at or above the default threshold → exit 1; nothing unreadable → never 2
    assert r.returncode == 1, r.stderr
    return json.loads(r.stdout)


def pairs(report: dict, status: str) -> set[tuple[str, str]]:
    return {(f["control_id"], f["resource"]["id"]) for f in report["findings"] if f["status"] == status}


def finding(report: dict, control: str, rid: str) -> dict:
    hits = [f for f in report["findings"] if f["control_id"] == control and f["resource"]["id"] == rid]
    assert len(hits) == 1, (control, rid)
    return hits[0]


@pytest.fixture(scope="module")
def azure() -> dict:
    return scan(AZURE)


@pytest.fixture(scope="module")
def gcp() -> dict:
    return scan(GCP)


@pytest.fixture(scope="module")
def plan() -> dict:
    return scan(PLAN)


# --- azurerm -------------------------------------------------------------------------------

AZURE_FAILS = {
    ("SAN-BKP-002", "azurerm_data_protection_backup_vault.imaging"),
    ("SAN-BKP-005", "azurerm_mssql_database.reporting"),
    ("SAN-BKP-006", "azurerm_storage_account.imaging"),
    ("SAN-ENC-002", "azurerm_mssql_database.reporting"),
    ("SAN-ENC-004", "azurerm_storage_account.exports"),
    ("SAN-ENC-004", "azurerm_storage_account.imaging"),
    ("SAN-ENC-006", "azurerm_key_vault_key.legacy"),
    ("SAN-LOC-001", "azurerm_data_protection_backup_vault.imaging"),
    ("SAN-LOC-001", "azurerm_managed_disk.render_scratch"),
    ("SAN-LOC-001", "azurerm_mssql_database.imaging"),
    ("SAN-LOC-001", "azurerm_storage_account.imaging"),
    ("SAN-LOC-002", "azurerm_data_protection_backup_vault.imaging"),
    ("SAN-LOC-002", "azurerm_mssql_database.imaging"),
    ("SAN-LOC-002", "azurerm_storage_account.imaging"),
    ("SAN-LOC-004", "azurerm_storage_account.exports"),
    ("SAN-NET-001", "azurerm_network_security_group.web.security_rule[1]"),
    ("SAN-NET-002", "azurerm_network_security_rule.db_vendor"),
    ("SAN-NET-003", "azurerm_storage_account.imaging"),
    ("SAN-NET-004", "azurerm_mssql_database.reporting"),
    ("SAN-LOG-007", "azurerm_mssql_database.reporting"),  # no auditing policy on its server or itself
}


def test_azure_exact_failing_pairs(azure):
    assert pairs(azure, "FAIL") == AZURE_FAILS
    assert pairs(azure, "ERROR") == set()


def test_azure_unknowns_say_why(azure):
    # storage accounts with no records tag that are not write-once: whether they hold finalised
    # records is not known (SAN-REC-001 asks for the tag instead of treating them as out of scope)
    untagged = {("SAN-REC-001", f"azurerm_storage_account.{n}") for n in ("referrals", "exports", "imaging")}
    assert pairs(azure, "UNKNOWN") == {("SAN-LOC-001", "azurerm_storage_account.exports"),
                                       ("SAN-LOC-002", "azurerm_storage_account.exports")} | untagged
    msg = finding(azure, "SAN-LOC-001", "azurerm_storage_account.exports")["messages"]["en"]
    assert "region: location var.archive_location could not be resolved" in msg
    msg = finding(azure, "SAN-LOC-002", "azurerm_storage_account.exports")["messages"]["en"]
    assert "account_replication_type RAGRS: the primary region is not known, so neither is its pair" in msg


def test_azure_regions_and_region_pairs(azure):
    # GRS in Japan East: the secondary is Japan West (JP) → PASS; GRS in East US → West US → FAIL
    records = finding(azure, "SAN-LOC-002", "module.records.azurerm_storage_account.this")
    assert records["status"] == "PASS"
    assert (records["resource"]["region"], records["resource"]["country"]) == ("japaneast", "JP")
    imaging = finding(azure, "SAN-LOC-002", "azurerm_storage_account.imaging")["messages"]["en"]
    assert "region westus, country US" in imaging
    # "Japan East" as written in the portal is the same region
    referrals = finding(azure, "SAN-LOC-001", "azurerm_storage_account.referrals")
    assert referrals["status"] == "PASS" and referrals["resource"]["country"] == "JP"
    # SQL backups are geo-redundant by default: the Tokyo database's copy is in Osaka
    assert finding(azure, "SAN-LOC-002", "azurerm_mssql_database.karte")["status"] == "PASS"
    assert finding(azure, "SAN-LOC-002", "azurerm_recovery_services_vault.karte")["status"] == "PASS"


def test_azure_joins_and_defaults(azure):
    status = {(f["control_id"], f["resource"]["id"]): f["status"] for f in azure["findings"]}
    # the "Azure services" rule 0.0.0.0–0.0.0.0 is not the internet; public access off closes a server
    assert status[("SAN-NET-004", "azurerm_mssql_database.imaging")] == "PASS"
    assert status[("SAN-NET-004", "azurerm_mssql_database.karte")] == "PASS"
    # a deny rule is not applicable, an outbound rule is not emitted at all
    assert status[("SAN-NET-001", "azurerm_network_security_group.web.security_rule[2]")] == "NOT_APPLICABLE"
    assert not any(rid.endswith("security_rule[3]") for _, rid in status)
    # defaults: HTTPS only and TLS 1.2 when not set; the module's account is WORM (locked policy)
    assert status[("SAN-ENC-004", "module.records.azurerm_storage_account.this")] == "PASS"
    assert status[("SAN-REC-001", "module.records.azurerm_storage_account.this")] == "PASS"
    # the NSG rule named by a literal name joins its NSG; a private container keeps the account private
    rule = finding(azure, "SAN-NET-001", "azurerm_network_security_rule.ssh_vpn")
    assert rule["status"] == "PASS" and rule["resource"]["source"]["line"] == 79
    assert status[("SAN-NET-003", "module.records.azurerm_storage_account.this")] == "PASS"


def test_azure_inline_rule_suppression_mutes_the_rule_of_the_block(azure):
    muted = finding(azure, "SAN-NET-001", "azurerm_network_security_group.pacs_maintenance.security_rule[0]")
    assert muted["status"] == "MUTED"
    assert muted["suppression"] == {"reason": "vendor maintenance window, change request CR-2291",
                                    "expires": "2027-03-31", "was": "FAIL"}


def test_azure_model_fields_from_joined_resources():
    loaded = load([AZURE], today=dt.date.fromisoformat(AS_OF))
    by_id = {r.id: r for r in loaded.resources}
    referrals = by_id["azurerm_storage_account.referrals"]
    assert (referrals.key_managed_by, referrals.kms_key_id) == ("customer", "azurerm_key_vault_key.records")
    assert by_id["azurerm_managed_disk.pacs_cache"].kms_key_id == "azurerm_disk_encryption_set.pacs"
    assert by_id["azurerm_key_vault_key.records"].rotation_period_days == 90
    dests = by_id["module.records.azurerm_storage_account.this"].destinations
    assert [(d.relation, d.region, d.country) for d in dests] == [("geo_secondary", "japanwest", "JP")]
    assert by_id["azurerm_mssql_database.reporting"].raw["terraform"]["transparent_data_encryption_enabled"] is False
    # auditing: the karte server's policy, the imaging database's own policy, none for reporting
    assert {k: by_id[f"azurerm_mssql_database.{k}"].audit_logging for k in ("karte", "imaging", "reporting")} == {
        "karte": True, "imaging": True, "reporting": False}


AUDIT_ORPHAN = '''
resource "azurerm_mssql_server" "a" {
  name     = "sql-a"
  location = "japaneast"
}

resource "azurerm_mssql_database" "a" {
  name      = "a"
  server_id = azurerm_mssql_server.a.id
}

resource "azurerm_mssql_database" "b" {
  name      = "b"
  server_id = azurerm_mssql_server.a.id
}

resource "azurerm_mssql_database_extended_auditing_policy" "b" {
  database_id = azurerm_mssql_database.b.id
  enabled     = var.audit_b
}

resource "azurerm_mssql_server_extended_auditing_policy" "elsewhere" {
  server_id = var.shared_server_id
}
'''


def test_azure_auditing_that_cannot_be_joined_or_resolved_is_unknown(tmp_path):
    (tmp_path / "main.tf").write_text(AUDIT_ORPHAN, encoding="utf-8")
    loaded = load([tmp_path], today=dt.date.fromisoformat(AS_OF))
    by_id = {r.id: r for r in loaded.resources}
    a, b = by_id["azurerm_mssql_database.a"], by_id["azurerm_mssql_database.b"]
    assert (a.audit_logging, b.audit_logging) == (None, None)  # never False, never True
    assert "azurerm_mssql_server_extended_auditing_policy.elsewhere could not be joined" in \
        a.read_errors["audit_logging"]
    assert b.read_errors["audit_logging"].startswith("azurerm_mssql_database_extended_auditing_policy.b: enabled = ")


# --- google --------------------------------------------------------------------------------

GCP_FAILS = {
    ("SAN-BKP-005", "google_sql_database_instance.reporting"),
    ("SAN-BKP-006", "google_storage_bucket.imaging_archive"),
    ("SAN-BKP-006", "google_storage_bucket.scratch"),
    ("SAN-ENC-006", "google_kms_crypto_key.legacy"),
    ("SAN-ENC-007", "google_sql_database_instance.reporting"),
    ("SAN-LOC-001", "google_bigquery_dataset.research"),
    ("SAN-LOC-001", "google_compute_disk.render"),
    ("SAN-LOC-001", "google_sql_database_instance.reporting"),
    ("SAN-LOC-001", "google_storage_bucket.imaging_archive"),
    ("SAN-LOC-002", "google_sql_database_instance.billing"),
    ("SAN-LOC-004", "google_storage_bucket.scratch"),
    ("SAN-NET-001", "google_compute_firewall.admin"),
    ("SAN-NET-002", "google_compute_firewall.lab_vendor.allow[0]"),
    ("SAN-NET-003", "google_storage_bucket.imaging_archive"),
    ("SAN-NET-004", "google_bigquery_dataset.research"),
    ("SAN-NET-004", "google_sql_database_instance.reporting"),
    # no pgaudit flags on the Osaka replica or the Iowa reporting copy (karte: pgaudit; billing: MySQL audit)
    ("SAN-LOG-007", "google_sql_database_instance.karte_replica"),
    ("SAN-LOG-007", "google_sql_database_instance.reporting"),
}


def test_gcp_exact_failing_pairs(gcp):
    assert pairs(gcp, "FAIL") == GCP_FAILS
    assert pairs(gcp, "ERROR") == set()


def test_gcp_unknowns_say_why(gcp):
    unknown = pairs(gcp, "UNKNOWN")
    buckets = {"module.records.google_storage_bucket.this", "google_storage_bucket.imaging_archive",
               "google_storage_bucket.referrals", "google_storage_bucket.legacy_uploads",
               "google_storage_bucket.scratch"}
    assert unknown == {("SAN-ENC-004", b) for b in buckets} | {
        ("SAN-LOC-001", "google_storage_bucket.scratch"),
        ("SAN-NET-003", "google_storage_bucket.legacy_uploads"),
        ("SAN-BKP-005", "google_sql_database_instance.karte_replica"),
        ("SAN-BKP-005", "google_bigquery_dataset.dwh"), ("SAN-BKP-005", "google_bigquery_dataset.research"),
        ("SAN-ENC-007", "google_bigquery_dataset.dwh"), ("SAN-ENC-007", "google_bigquery_dataset.research"),
        ("SAN-LOC-002", "google_bigquery_dataset.dwh"), ("SAN-LOC-002", "google_bigquery_dataset.research"),
        # MySQL's audit plugin is on, but its audit rules live in the database: what it records is not known
        ("SAN-LOG-007", "google_sql_database_instance.billing"),
    } | {("SAN-REC-001", b) for b in buckets - {"module.records.google_storage_bucket.this"}}  # no records tag
    assert "mysql.cloudsql_create_audit_rule" in \
        finding(gcp, "SAN-LOG-007", "google_sql_database_instance.billing")["messages"]["en"]
    assert "location var.scratch_location could not be resolved" in \
        finding(gcp, "SAN-LOC-001", "google_storage_bucket.scratch")["messages"]["en"]
    assert "uniform bucket-level access is off" in \
        finding(gcp, "SAN-NET-003", "google_storage_bucket.legacy_uploads")["messages"]["en"]
    assert "Cloud Storage has no bucket setting that refuses plain HTTP" in \
        finding(gcp, "SAN-ENC-004", "google_storage_bucket.referrals")["messages"]["en"]
    assert "a read replica keeps no backups of its own" in \
        finding(gcp, "SAN-BKP-005", "google_sql_database_instance.karte_replica")["messages"]["en"]


def test_gcp_locations_asia_vs_asia1_vs_tokyo(gcp):
    def loc(rid: str) -> tuple[str, str, str]:
        f = finding(gcp, "SAN-LOC-001", rid)
        return f["status"], f["resource"]["region"], f["resource"]["country"]

    assert loc("google_storage_bucket.imaging_archive") == ("FAIL", "asia", "MULTI")  # multi-region ASIA
    assert loc("module.records.google_storage_bucket.this") == ("PASS", "asia1", "JP")  # dual-region Tokyo+Osaka
    assert loc("google_storage_bucket.referrals") == ("PASS", "asia-northeast1", "JP")
    assert loc("google_storage_bucket.legacy_uploads") == ("PASS", "asia-northeast1", "JP")  # upper case
    # no region on the instance / disk: the provider's region (var.region from terraform.tfvars)
    assert loc("google_sql_database_instance.karte") == ("PASS", "asia-northeast1", "JP")
    assert loc("google_compute_region_disk.shared") == ("PASS", "asia-northeast1", "JP")
    assert loc("google_compute_disk.pacs") == ("PASS", "asia-northeast1", "JP")  # zone → region
    assert loc("google_bigquery_dataset.research") == ("FAIL", "us", "MULTI")  # provider default: US
    # backups with no location go to the nearest multi-region (asia): outside Japan
    assert "backup_copy automated backups (region asia, country MULTI)" in \
        finding(gcp, "SAN-LOC-002", "google_sql_database_instance.billing")["messages"]["en"]
    assert finding(gcp, "SAN-LOC-002", "google_sql_database_instance.karte")["status"] == "PASS"


def test_gcp_joins_and_rules(gcp):
    status = {(f["control_id"], f["resource"]["id"]): f["status"] for f in gcp["findings"]}
    assert status[("SAN-NET-003", "module.records.google_storage_bucket.this")] == "PASS"  # enforced prevention
    assert status[("SAN-NET-003", "google_storage_bucket.referrals")] == "PASS"  # binding to a group only
    assert status[("SAN-ENC-006", "google_kms_crypto_key.records")] == "PASS"
    assert status[("SAN-REC-001", "module.records.google_storage_bucket.this")] == "PASS"  # locked retention
    assert status[("SAN-NET-001", "google_compute_firewall.deny_rdp")] == "NOT_APPLICABLE"
    assert status[("SAN-NET-002", "google_compute_firewall.lab_vendor.allow[1]")] == "PASS"  # ICMP
    assert not any("egress_all" in rid for _, rid in status)


# --- plan JSON -----------------------------------------------------------------------------

def test_plan_with_azurerm_and_google(plan):
    assert pairs(plan, "FAIL") == {
        ("SAN-BKP-006", "azurerm_storage_account.dr_copy"),
        ("SAN-BKP-006", "google_storage_bucket.scans"),
        ("SAN-LOC-001", "azurerm_storage_account.dr_copy"),
        ("SAN-LOC-001", "google_storage_bucket.scans"),
        ("SAN-LOC-002", "azurerm_storage_account.dr_copy"),
        ("SAN-NET-004", "azurerm_mssql_database.main"),  # firewall rule joined through `configuration`
        ("SAN-LOG-007", "azurerm_mssql_database.main"),  # no auditing policy
        ("SAN-LOG-007", "google_sql_database_instance.karte"),  # no pgaudit flags
    }
    assert pairs(plan, "UNKNOWN") == {
        ("SAN-ENC-004", "google_storage_bucket.exports"), ("SAN-ENC-004", "google_storage_bucket.records"),
        ("SAN-ENC-004", "google_storage_bucket.scans"), ("SAN-LOC-001", "google_storage_bucket.exports"),
    } | {("SAN-REC-001", b) for b in (  # no records tag and not write-once: in scope or not is not known
        "azurerm_storage_account.dr_copy", "azurerm_storage_account.records", "google_storage_bucket.exports",
        "google_storage_bucket.records", "google_storage_bucket.scans")}
    assert "location (known after apply) could not be resolved" in \
        finding(plan, "SAN-LOC-001", "google_storage_bucket.exports")["messages"]["en"]
    karte = finding(plan, "SAN-LOC-001", "google_sql_database_instance.karte")
    assert karte["status"] == "PASS" and karte["resource"]["region"] == "asia-northeast1"  # provider's var.region
    src = finding(plan, "SAN-NET-004", "azurerm_mssql_database.main")["resource"]["source"]
    assert src == {"type": "terraform", "file": "tests/iac/corpus/plan/hospital-multicloud.tfplan.json", "line": 159}


def test_japanese_message_keeps_the_reason():
    r = run("iac", str(PLAN), "--format", "json", "--as-of", AS_OF, "--lang", "ja")
    assert r.returncode == 1, r.stderr
    f = finding(json.loads(r.stdout), "SAN-LOC-001", "google_storage_bucket.exports")
    assert f["message"].startswith("region を取得できなかったため判定できません")
    assert "location (known after apply) could not be resolved" in f["message"]


ODD = '''
variable "tls" { type = string }
variable "cidr" { type = string }
resource "azurerm_storage_account" "odd" {
  name                       = "odd"
  location                   = 42
  account_replication_type   = "XYZ"
  min_tls_version            = var.tls
  https_traffic_only_enabled = "maybe"
}
resource "google_kms_crypto_key" "odd" {
  name            = "k"
  key_ring        = "nowhere"
  rotation_period = "90d"
}
resource "google_compute_firewall" "odd" {
  name          = "x"
  network       = "n"
  source_ranges = [var.cidr]
  allow {
    protocol = "tcp"
    ports    = ["ssh"]
  }
}
resource "azurerm_network_security_rule" "odd" {
  name                        = "odd"
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  destination_port_range      = "abc"
  source_address_prefix       = "*"
  network_security_group_name = "missing"
}
'''


def test_values_of_the_wrong_shape_are_unknown_with_the_field_never_pass(tmp_path):
    (tmp_path / "main.tf").write_text(ODD, encoding="utf-8")
    r = run("iac", str(tmp_path), "--format", "json", "--as-of", AS_OF, "--lang", "en")
    assert r.returncode in (0, 1) and "Traceback" not in r.stderr, r.stderr
    report = json.loads(r.stdout)
    expect = {
        ("SAN-LOC-001", "azurerm_storage_account.odd"): "region: location 42 is not a region name",
        ("SAN-LOC-002", "azurerm_storage_account.odd"): "account_replication_type 'XYZ' is not one sansho knows",
        ("SAN-ENC-004", "azurerm_storage_account.odd"): "tls_required: value maybe could not be resolved",
        ("SAN-ENC-006", "google_kms_crypto_key.odd"): "rotation_period '90d' is not a duration",
        ("SAN-NET-001", "google_compute_firewall.odd"): "source_ranges var.cidr could not be resolved",
        ("SAN-NET-002", "azurerm_network_security_rule.odd"): "port 'abc' is not a port or a range",
    }
    for (control, rid), why in expect.items():
        f = finding(report, control, rid)
        assert f["status"] == "UNKNOWN" and why in f["messages"]["en"], (control, rid, f["messages"]["en"])


def test_azure_storage_exposure_from_account_settings():
    """SAN-NET-003 from azurerm_storage_account's own settings, as the Azure collector reads them from
    Resource Graph: anonymous access on (the provider's default) for an account every network reaches
    fails with no public container; no public network access, or a deny-by-default firewall
    (inline or azurerm_storage_account_network_rules), passes; a firewall letting a range in leaves
    it to the containers; an unresolved setting with a public container is UNKNOWN."""
    report = scan(CORPUS / "terraform" / "azure_storage_exposure", "--controls", "SAN-NET-003")
    got = {f["resource"]["id"].removeprefix("azurerm_storage_account."): f["status"] for f in report["findings"]}
    assert got == {"defaults": "FAIL", "open": "FAIL", "private_endpoint_only": "PASS", "partner": "PASS",
                   "separate_rules": "PASS", "unresolved": "UNKNOWN"}
    unresolved = finding(report, "SAN-NET-003", "azurerm_storage_account.unresolved")
    assert "anonymous access or network access of the account could not be resolved" in unresolved["message"]
