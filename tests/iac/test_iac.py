"""IaC adapters: the corpus under tests/iac/corpus judged by the real engine, exact failing sets."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("checkov")

from sansho.collectors.iac import IacLoad, load  # noqa: E402
from sansho.policies.catalog import load_catalog  # noqa: E402
from sansho.policies.config import Config  # noqa: E402
from sansho.policies.engine.core import Engine  # noqa: E402

CORPUS = Path(__file__).parent / "corpus"
ESTATE = CORPUS / "terraform" / "estate"
PLAN = CORPUS / "plan" / "stg.tfplan.json"
CFN_YAML = CORPUS / "cloudformation" / "records.yaml"
CFN_JSON = CORPUS / "cloudformation" / "network.json"
BAD = CORPUS / "bad"
TODAY = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_catalog())


def judge(engine: Engine, loaded: IacLoad) -> dict[tuple[str, str], str]:
    result = engine.scan(loaded.resources, today=TODAY)
    return {(f.control_id, f.resource.id): f.status for f in result.findings}


def failing(verdicts: dict[tuple[str, str], str]) -> set[tuple[str, str]]:
    return {k for k, s in verdicts.items() if s == "FAIL"}


def by_id(loaded: IacLoad, rid: str):
    hits = [r for r in loaded.resources if r.id == rid]
    assert len(hits) == 1, f"{rid}: {[r.id for r in loaded.resources]}"
    return hits[0]


# --- Terraform HCL -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def estate() -> IacLoad:
    return load([ESTATE], today=TODAY)


TERRAFORM_FAILS = {
    ("SAN-BKP-001", "aws_backup_plan.weekly_dr"),
    ("SAN-BKP-002", "aws_backup_vault.osaka"),
    ("SAN-BKP-003", "aws_backup_plan.weekly_dr"),
    ("SAN-BKP-005", "aws_db_instance.karte"),
    ("SAN-BKP-005", "aws_rds_cluster.analytics"),
    ("SAN-BKP-006", "aws_s3_bucket.access_logs"),
    ("SAN-BKP-006", "aws_s3_bucket.reports"),
    ("SAN-BKP-007", "aws_backup_plan.weekly_dr"),
    ("SAN-BKP-010", "aws_backup_plan.weekly_dr"),
    ("SAN-ENC-002", "aws_rds_cluster.analytics"),
    ("SAN-ENC-004", "aws_s3_bucket.access_logs"),
    ("SAN-ENC-004", "aws_s3_bucket.trail"),
    ("SAN-ENC-005", "aws_lb_listener.legacy_admin"),
    ("SAN-ENC-006", "aws_kms_key.database"),
    ("SAN-ENC-007", "aws_rds_cluster.analytics"),
    ("SAN-LOC-001", "aws_s3_bucket.access_logs"),
    ("SAN-LOG-003", "aws_cloudtrail.main"),
    ("SAN-LOG-007", "aws_rds_cluster.analytics"),  # Aurora MySQL: no audit export, server_audit_logging off
    ("SAN-NET-001", "aws_security_group.bastion.ingress[0]"),
    ("SAN-NET-002", "aws_vpc_security_group_ingress_rule.db_vendor"),
    ("SAN-NET-003", "aws_s3_bucket.access_logs"),
    ("SAN-NET-004", "aws_rds_cluster.analytics"),
}


def test_terraform_exact_failures(engine, estate):
    assert estate.not_scanned == []
    assert failing(judge(engine, estate)) == TERRAFORM_FAILS


def test_terraform_unknowns_are_the_unreadable_fields(engine, estate):
    unknown = {k for k, s in judge(engine, estate).items() if s == "UNKNOWN"}
    assert unknown == {
        ("SAN-BKP-003", "aws_backup_plan.daily"),  # copy to a vault whose account IaC does not name
        ("SAN-BKP-004", "aws_backup_plan.daily"),
        ("SAN-BKP-004", "aws_backup_plan.weekly_dr"),
        ("SAN-ENC-003", "aws_ebs_volume.scratch"),  # encrypted left to the account default
        ("SAN-LOG-004", "aws_cloudtrail.main"),
        # buckets without a records tag, medical or untagged, and not write-once: whether they hold
        # finalised records is not known (they were NOT_APPLICABLE; nobody tagging them is no proof)
        ("SAN-REC-001", "aws_s3_bucket.reports"),
        ("SAN-REC-001", "aws_s3_bucket.trail"),
        ("SAN-REC-001", "aws_s3_bucket.access_logs"),
    }


def test_database_audit_logging_read_from_groups_and_exports(estate):
    # pgaudit loaded with pgaudit.log and the postgresql log exported; the MariaDB audit plugin option and
    # the audit log exported; Aurora MySQL with neither
    got = {a: by_id(estate, a).audit_logging for a in ("aws_db_instance.karte", "aws_db_instance.lab",
                                                       "aws_rds_cluster.analytics")}
    assert got == {"aws_db_instance.karte": True, "aws_db_instance.lab": True, "aws_rds_cluster.analytics": False}


def test_module_called_twice_with_variables_and_provider_alias(estate):
    tokyo = by_id(estate, "module.records.aws_s3_bucket.this")
    osaka = by_id(estate, "module.records_dr.aws_s3_bucket.this")
    assert (tokyo.name, tokyo.region, osaka.name, osaka.region) == (
        "karte-prod-records", "ap-northeast-1", "karte-prod-records-dr", "ap-northeast-3")
    # the split-off v4+ resources are joined to their bucket, per module instance
    for b in (tokyo, osaka):
        assert (b.encrypted, b.key_managed_by, b.public, b.tls_required, b.versioning, b.immutable,
                b.immutability_mode, b.retention_days) == (True, "customer", False, True, True, True,
                                                           "compliance", 1825)
        assert b.tags["sansho-records"] == "finalised"  # local → module variable
        assert b.read_errors == {}
    assert tokyo.kms_key_id == "aws_kms_key.records" and osaka.kms_key_id == "aws_kms_key.records_dr"
    # replication goes through var → module output → the other instance's bucket and its region;
    # the DR instance's `count = var.replica_bucket_arn == null ? 0 : 1` is 0, so it has none.
    assert [(d.relation, d.target, d.region, d.country) for d in tokyo.destinations] == [
        ("replication", "module.records_dr.aws_s3_bucket.this", "ap-northeast-3", "JP")]
    assert osaka.destinations == []
    assert tokyo.source.type == "terraform"
    assert tokyo.source.file.endswith("tests/iac/corpus/terraform/estate/modules/records/main.tf")
    assert tokyo.source.line == 1


def test_regions_from_tfvars_and_aliases(estate):
    assert by_id(estate, "aws_s3_bucket.access_logs").region == "us-east-1"  # provider = aws.virginia
    assert by_id(estate, "aws_backup_vault.osaka").region == "ap-northeast-3"
    assert by_id(estate, "aws_db_instance.karte").region == "ap-northeast-1"  # var.region from tfvars
    db = by_id(estate, "aws_db_instance.karte")
    assert db.backup_retention_days == 3  # tfvars overrides the default 7
    assert db.tls_required is True  # rds.force_ssl = 1 in the joined parameter group
    assert db.source.line == 24 and db.source.file.endswith("estate/database.tf")


def test_policy_from_iam_policy_document_data_source(estate):
    reports = by_id(estate, "aws_s3_bucket.reports")
    assert (reports.tls_required, reports.min_tls_version, reports.versioning) == (True, "1.2", False)


def test_inline_suppressions(engine, estate):
    sup = {(s.control, s.resource): s for s in estate.suppressions}
    assert set(sup) == {
        ("SAN-BKP-005", "aws_db_instance.karte"),
        ("SAN-NET-001", "aws_security_group.bastion.ingress[0]"),
        ("SAN-NET-003", "aws_s3_bucket.access_logs"),
        ("SAN-LOC-004", "module.records_dr.aws_s3_bucket.this"),  # above the module call
    }
    assert sup[("SAN-BKP-005", "aws_db_instance.karte")].problem is None
    assert sup[("SAN-BKP-005", "aws_db_instance.karte")].until == dt.date(2026, 12, 31)
    assert sup[("SAN-BKP-005", "aws_db_instance.karte")].line == 23
    assert sup[("SAN-NET-001", "aws_security_group.bastion.ingress[0]")].problem == "expired"
    assert sup[("SAN-NET-003", "aws_s3_bucket.access_logs")].problem == "no reason"
    # Through the engine's suppression mechanism: only the valid ones mute.
    eng = Engine(load_catalog(), Config(suppressions=estate.config_suppressions()))
    verdicts = {(f.control_id, f.resource.id): f.status for f in eng.scan(estate.resources, today=TODAY).findings}
    assert verdicts[("SAN-BKP-005", "aws_db_instance.karte")] == "MUTED"
    assert verdicts[("SAN-NET-001", "aws_security_group.bastion.ingress[0]")] == "FAIL"
    assert verdicts[("SAN-NET-003", "aws_s3_bucket.access_logs")] == "FAIL"


# --- Terraform plan JSON -------------------------------------------------------------------

def test_plan_exact_failures(engine):
    loaded = load([PLAN], today=TODAY)
    assert loaded.not_scanned == []
    assert failing(judge(engine, loaded)) == {
        ("SAN-ENC-002", "aws_db_instance.karte"),
        ("SAN-LOG-007", "aws_db_instance.karte"),  # no postgresql log export
        ("SAN-ENC-004", "aws_s3_bucket.uploads"),
        ("SAN-ENC-004", "module.records_dr.aws_s3_bucket.this"),
        ("SAN-LOC-004", "aws_s3_bucket.uploads"),
        ("SAN-REC-001", "module.records_dr.aws_s3_bucket.this"),
    }
    assert by_id(loaded, "module.records_dr.aws_s3_bucket.this").region == "ap-northeast-3"
    assert by_id(loaded, "module.records.aws_s3_bucket.this").region == "ap-northeast-1"  # var.region
    # bucket name known only after apply: joined through configuration references
    assert by_id(loaded, "aws_s3_bucket.uploads").versioning is True
    assert by_id(loaded, "aws_kms_key.records").rotation_period_days == 180
    assert by_id(loaded, "aws_db_instance.karte").source.line is not None


# --- CloudFormation ------------------------------------------------------------------------

def test_cloudformation_yaml_and_json_exact_failures(engine):
    loaded = load([CFN_YAML, CFN_JSON], today=TODAY, cfn_region="ap-northeast-1")
    assert loaded.not_scanned == []
    assert failing(judge(engine, loaded)) == {
        ("SAN-BKP-006", "ExportBucket"),
        ("SAN-ENC-003", "ScratchVolume"),
        ("SAN-ENC-004", "ExportBucket"),
        ("SAN-ENC-006", "BackupKey"),
        ("SAN-LOC-004", "ExportBucket"),
        ("SAN-LOG-001", "Trail"),
        ("SAN-LOG-007", "KarteDb"),  # EnableCloudwatchLogsExports not set
        ("SAN-NET-001", "BastionSecurityGroup.ingress[1]"),
        ("SAN-NET-002", "DatabaseVendorIngress"),
    }
    bucket = by_id(loaded, "RecordsBucket")
    assert (bucket.name, bucket.immutable, bucket.retention_days, bucket.tls_required, bucket.key_managed_by,
            bucket.kms_key_id, bucket.source.type, bucket.source.line) == (
        "karte-prod-records-cfn", True, 1825, True, "customer", "RecordsKey", "cloudformation", 23)
    assert by_id(loaded, "KarteDb").tls_required is True  # !Ref DbParameters → rds.force_ssl
    assert by_id(loaded, "DatabaseSecurityGroup.ingress[0]").sources == ["10.20.0.0/16"]  # parameter default
    # !Ref to a parameter without a default: UNKNOWN, never PASS
    bastion_ssh = judge(engine, loaded)[("SAN-NET-001", "BastionSecurityGroup.ingress[0]")]
    assert bastion_ssh == "UNKNOWN"
    [sup] = loaded.suppressions
    assert (sup.control, sup.resource, sup.problem) == ("SAN-BKP-006", "ExportBucket", None)


def test_cloudformation_without_region_is_unknown_not_pass(engine):
    loaded = load([CFN_JSON], today=TODAY)
    verdicts = judge(engine, loaded)
    assert verdicts[("SAN-LOC-001", "PacsVolume")] == "UNKNOWN"
    assert by_id(loaded, "PacsVolume").region is None


# --- several inputs at once ----------------------------------------------------------------

def test_same_address_in_two_inputs_is_qualified_not_dropped():
    loaded = load([ESTATE, PLAN], today=TODAY)
    ids = {r.id for r in loaded.resources}
    assert any(i.endswith("terraform/estate:aws_db_instance.karte") for i in ids)
    assert any(i.endswith("stg.tfplan.json:aws_db_instance.karte") for i in ids)
    assert len(ids) == len(loaded.resources)


# --- bad input -----------------------------------------------------------------------------

def test_invalid_hcl_file_is_reported_and_the_rest_scanned():
    loaded = load([BAD / "invalid_hcl"], today=TODAY)
    assert [r.id for r in loaded.resources] == ["aws_s3_bucket.ok"]
    [(where, why)] = loaded.not_scanned
    assert where.endswith("bad/invalid_hcl/broken.tf:5") and why.startswith("invalid HCL")


def test_invalid_yaml_names_file_and_line():
    loaded = load([BAD / "invalid.yaml", CFN_JSON], today=TODAY)
    [(where, why)] = loaded.not_scanned
    assert where.endswith("bad/invalid.yaml:7") and why == "invalid YAML/JSON: did not find expected key"
    assert {r.id for r in loaded.resources} >= {"BackupKey"}  # the other file is still scanned


def test_missing_variable_is_unknown_not_pass(engine):
    loaded = load([BAD / "missing_var"], today=TODAY)
    db = by_id(loaded, "aws_db_instance.karte")
    assert db.region is None and db.encrypted is None
    assert "var.region" in db.read_errors["region"] and "var.encrypt_database" in db.read_errors["encrypted"]
    verdicts = judge(engine, loaded)
    assert verdicts[("SAN-LOC-001", "aws_db_instance.karte")] == "UNKNOWN"
    assert verdicts[("SAN-ENC-002", "aws_db_instance.karte")] == "UNKNOWN"


def test_unknown_module_source_is_reported():
    loaded = load([BAD / "unknown_module"], today=TODAY)
    assert [r.id for r in loaded.resources] == ["aws_kms_key.archive"]
    where = sorted(w for w, _ in loaded.not_scanned)
    assert [w.rsplit("/", 1)[-1] for w in where] == ["main.tf:11", "main.tf:5"]
    assert all("not available locally" in why for _, why in loaded.not_scanned)


def test_binary_and_huge_files_are_not_scanned(tmp_path, monkeypatch):
    import sansho.collectors.iac as iac
    import sansho.collectors.iac.common as iac_common

    binary = tmp_path / "template.json"
    binary.write_bytes(b"\x7fELF\x00\x01\x02" * 100)
    huge = tmp_path / "huge.yaml"
    huge.write_text("AWSTemplateFormatVersion: '2010-09-09'\n" + "# padding\n" * 2000)
    monkeypatch.setattr(iac_common, "MAX_BYTES", 10_000)
    loaded = load([binary, huge, CFN_JSON], today=TODAY)
    reasons = dict(loaded.not_scanned)
    assert reasons[iac.display_path(binary)].startswith("binary file")
    assert "over the" in reasons[iac.display_path(huge)]
    assert "BackupKey" in {r.id for r in loaded.resources}


def test_binary_tf_file_in_a_directory(tmp_path):
    (tmp_path / "main.tf").write_text('provider "aws" {\n  region = "ap-northeast-1"\n}\n'
                                      'resource "aws_kms_key" "k" {\n  enable_key_rotation = true\n}\n')
    (tmp_path / "blob.tf").write_bytes(b"\x00\x01\x02 not hcl")
    loaded = load([tmp_path], today=TODAY)
    assert [r.id for r in loaded.resources] == ["aws_kms_key.k"]
    assert [why for _, why in loaded.not_scanned] == [
        "binary file, not Terraform, a plan or a CloudFormation template"]


def test_unrecognised_and_missing_inputs(tmp_path):
    other = tmp_path / "notes.json"
    other.write_text(json.dumps({"hello": "world"}))
    loaded = load([other, tmp_path / "nope"], today=TODAY)
    assert [why for _, why in loaded.not_scanned] == [
        "not a Terraform directory, Terraform plan JSON or CloudFormation template", "no such file or directory"]
    assert loaded.resources == [] and loaded.scanned == []


def test_checkov_is_imported_lazily():
    code = "import sansho.collectors.iac, sys; print('checkov' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- RDS audit logging: one reading for the IaC reader and the live collector ---------------

PG_ON = {"shared_preload_libraries": "pg_stat_statements,pgaudit", "pgaudit.log": "read,write"}
ORACLE_WHY = ("Oracle records what its audit policies (AUDIT statements) name, inside the database; no RDS API "
              "shows them, so the classes audited were not read")
SQLSERVER_WHY = ("SQL Server records what its server and database audit specifications name, inside the "
                 "database; no RDS API shows them, so the classes audited were not read")


def _reading(got) -> tuple:
    return got.logging, got.classes, got.why, got.classes_why


@pytest.mark.parametrize(("engine", "exports", "settings", "expected"), [
    ("postgres", ["postgresql"], PG_ON, (True, ["read", "write"], None, None)),
    # DDL only: kept and exported, but no read is recorded (SAN-LOG-007 judges the classes)
    ("postgres", ["postgresql"], {**PG_ON, "pgaudit.log": "ddl"}, (True, ["ddl"], None, None)),
    ("postgres", ["postgresql"], {**PG_ON, "pgaudit.log": "ALL, -misc"},
     (True, ["read", "write", "function", "role", "ddl", "misc_set"], None, None)),
    ("aurora-postgresql", ["postgresql"], {**PG_ON, "pgaudit.log": "none"}, (False, [], None, None)),
    ("postgres", ["postgresql"], {"pgaudit.log": "all"}, (False, [], None, None)),  # pgaudit not loaded
    ("postgres", ["upgrade"], PG_ON, (False, None, None, None)),  # audit records never leave the instance
    ("postgres", "exports not read", PG_ON, (None, None, "exports not read", None)),
    # no SERVER_AUDIT_EVENTS setting read: RDS's documented default, CONNECT and QUERY
    ("mysql", ["audit"], {"MARIADB_AUDIT_PLUGIN": {}}, (True, ["CONNECT", "QUERY"], None, None)),
    ("mysql", ["audit"], {"MARIADB_AUDIT_PLUGIN": {"SERVER_AUDIT_EVENTS": "CONNECT,QUERY_DDL"}},
     (True, ["CONNECT", "QUERY_DDL"], None, None)),
    ("mariadb", ["audit"], {}, (False, None, None, None)),  # no audit plugin: the audit log stays empty
    ("mysql", ["audit"], "AccessDenied: rds:DescribeOptionGroups",
     (None, None, "AccessDenied: rds:DescribeOptionGroups", None)),
    ("sqlserver-se", [], {"SQLSERVER_AUDIT": {}}, (True, None, None, SQLSERVER_WHY)),  # writes to the operator's S3
    ("sqlserver-ee", [], {}, (False, None, None, None)),
    ("aurora-mysql", ["audit"], {"server_audit_logging": "1", "server_audit_events": "CONNECT,QUERY_DML"},
     (True, ["CONNECT", "QUERY_DML"], None, None)),
    ("aurora-mysql", ["audit"], {"server_audit_logging": "1"}, (True, [], None, None)),  # no event: nothing logged
    ("aurora-mysql", ["audit"], {}, (False, None, None, None)),  # server_audit_logging defaults to 0
    ("aurora-mysql", ["audit"], {"server_audit_logging": "maybe"}, (
        None, None, "server_audit_logging = 'maybe' is not understood", None)),
    ("oracle-ee", ["audit"], {"audit_trail": "DB,EXTENDED"}, (True, None, None, ORACLE_WHY)),
    ("oracle-ee", ["audit"], {"audit_trail": "NONE"}, (False, None, None, None)),
    ("oracle-se2", ["audit"], {}, (
        None, None, "audit_trail is not set in the parameter group and the engine default is not known", None)),
    ("custom-oracle-ee", ["audit"], {}, (
        None, None, "database audit logging is not read for engine custom-oracle-ee", None)),
    (None, [], {}, (None, None, "database audit logging is not read for engine (unknown)", None)),
])
def test_rds_audit_logging(engine, exports, settings, expected):
    from sansho.collectors.iac.tfaws import rds_audit_logging

    assert _reading(rds_audit_logging(engine, exports, lambda where: settings)) == expected


def test_rds_audit_logging_without_export_reads_no_group():
    from sansho.collectors.iac.tfaws import rds_audit_logging

    asked: list[str] = []
    # a known failure outranks an unreadable group, and costs no further API call
    assert _reading(rds_audit_logging("postgres", [], lambda where: asked.append(where) or "denied")) == (
        False, None, None, None)
    assert asked == []


def test_rds_audit_logging_unresolved_export_is_unknown():
    from sansho.collectors.iac.common import Unresolved
    from sansho.collectors.iac.tfaws import rds_audit_logging

    assert _reading(rds_audit_logging("postgres", [Unresolved("var.logs")], lambda where: PG_ON)) == (
        None, None, "an enabled CloudWatch Logs export could not be resolved", None)
    assert rds_audit_logging("postgres", ["postgresql"], lambda where: {**PG_ON, "pgaudit.log": Unresolved("var.x")}
                             ).logging is None
    unresolved_events = {"MARIADB_AUDIT_PLUGIN": {"SERVER_AUDIT_EVENTS": Unresolved("var.events")}}
    assert _reading(rds_audit_logging("mysql", ["audit"], lambda where: unresolved_events)) == (
        True, None, None, "SERVER_AUDIT_EVENTS = var.events could not be resolved")



IAM_ADMINS = {"FAIL": {"ops", "infra", "ci", "infra_admins"}, "PASS": {"reader", "readers"},
              "NOT_APPLICABLE": {"emergency"}, "UNKNOWN": {"deployer"}}


@pytest.mark.parametrize(("path", "names"), [
    (CORPUS / "terraform" / "iam_admins", {}),
    (CORPUS / "cloudformation" / "iam.yaml", {"ops": "OpsUser", "infra": "InfraUser", "ci": "CiUser",
                                              "infra_admins": "InfraAdmins", "reader": "ReaderUser",
                                              "readers": "Readers", "emergency": "BreakGlassUser",
                                              "deployer": "DeployerUser"}),
], ids=["terraform", "cloudformation"])
def test_iam_users_and_groups_with_full_administrative_rights(path, names):
    """SAN-IAM-011 from code, as the live collector reads it: an inline *:* (under an MFA condition in
    Terraform), AdministratorAccess through a group (the partition a pseudo parameter in CloudFormation)
    and that group, a policy of the configuration allowing everything attached to a CI user, read-only
    users and groups, a break-glass user holding AdministratorAccess, a policy ARN that cannot be resolved."""
    loaded = load([path], today=TODAY)
    cat = load_catalog()
    got: dict[str, set[str]] = {}
    for f in Engine(cat).scan(loaded.resources, [cat["SAN-IAM-011"]], today=TODAY).findings:
        got.setdefault(f.status, set()).add(f.resource.id.split(".")[-1])
    assert got == {status: {names.get(n, n) for n in ids} for status, ids in IAM_ADMINS.items()}
    r = {x.id.split(".")[-1]: x for x in loaded.resources if x.kind in ("identity.user", "identity.group")}
    infra = r[names.get("infra", "infra")]
    assert infra.admin_grants and infra.admin_grants[0].endswith(": arn:aws:iam::aws:policy/AdministratorAccess")
    assert r[names.get("readers", "readers")].members == [r[names.get("reader", "reader")].id]
    assert infra.region is None  # IAM is global
