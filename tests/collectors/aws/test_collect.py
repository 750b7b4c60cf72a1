"""The AWS collector against the moto server: exact failing resources per control, permissions, secrets."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

import pytest

from sansho.policies.inventory import dump_inventory

from . import hospital
from .conftest import CANARY_KEY, CANARY_SECRET, CANARY_TOKEN
from .hospital import OSAKA, TOKYO, US

# control → the estate ids (hospital.Estate.ids keys) that must FAIL, and nothing else.
EXPECTED_FAIL = {
    "SAN-ENC-001": {"b_lab", "b_trail_plain"},
    "SAN-ENC-002": {"db_lab", "cl_lab"},  # DynamoDB is always encrypted at rest
    "SAN-ENC-003": {"vol_plain", "snap_public", "efs_plain", "rsnap_public"},
    "SAN-ENC-005": {"lst_https_old", "lst_http_plain"},  # TLS 1.0 policy; HTTP serving, not redirecting
    "SAN-ENC-004": {"b_lab", "b_trail_plain"},
    "SAN-ENC-006": {"key_norotate"},
    "SAN-ENC-007": {"db_lab", "ddb_queue", "cl_lab"},  # the queue's policy does not deny plain HTTP
    # and every default network ACL's allow-all entry (added in test_exact_failures)
    "SAN-NET-001": {"sgr_ssh_world", "sgr_all_world", "nacl_rdp"},
    "SAN-NET-002": {"sgr_pg_world", "sgr_all_world", "nacl_redis"},
    "SAN-NET-003": {"b_web"},
    "SAN-NET-004": {"db_lab", "ddb_queue", "cl_lab"},  # the queue: a resource policy open to Principal "*"
    "SAN-NET-008": {"snap_public", "rsnap_public"},
    "SAN-BKP-001": {"p_pacs"},
    "SAN-BKP-002": {"v_pacs", "v_us", "v_governance", "v_grace"},  # no lock; a lock that can still be lifted
    "SAN-BKP-003": {"p_ehr", "p_pacs", "p_governance"},  # none copies to another account
    "SAN-BKP-004": {"p_pacs"},  # last restored 400 days ago; ehr-daily's DR copy was restored 40 days ago
    "SAN-BKP-005": {"db_lab", "ddb_queue", "cl_lab"},  # the queue: no point-in-time recovery
    "SAN-BKP-006": {"b_lab"},
    "SAN-BKP-007": {"p_pacs", "p_governance"},  # a governance-mode vault is not write-once media
    "SAN-BKP-010": {"p_pacs", "p_governance"},
    "SAN-LOC-001": {"b_pacs_us", "db_research_replica", "v_us", "vol_us", "cl_global_us"},
    "SAN-LOC-002": {"b_pacs_tokyo", "db_research", "p_pacs", "v_pacs", "ddb_queue",  # queue: US replica
                    "cl_global_tokyo"},  # its global database has a US member
    "SAN-LOC-004": {"b_lab", "ddb_queue"},  # no storage tags
    "SAN-REC-001": {"b_records_bad", "b_records_governance"},  # no Object Lock; GOVERNANCE mode
    "SAN-LOG-001": {"trail_bad"},
    "SAN-LOG-002": {"trail_bad"},
    "SAN-LOG-003": {"trail_bad", "trail_governance"},  # plain bucket; GOVERNANCE-mode bucket
    "SAN-LOG-004": {"trail_bad"},  # lifecycle expires logs after 90 days
    # no postgresql/audit log export (the research replica inherits its source's), or no audit plugin/parameter
    "SAN-LOG-007": {"db_research", "db_research_replica", "db_lab", "cl_lab", "cl_global_us",
                    "db_mysql_ddl", "db_pg_ddl"},  # audit logs that record DDL, not reads
    "SAN-MAL-001": {"gd_osaka", "gd_us"},
    "SAN-MAL-003": {"ec2_unpatched"},  # last install 200 days ago
    "SAN-IAM-002": set(),
    "SAN-IAM-003": {"u_nomfa"},
    "SAN-IAM-006": {"r_admin", "r_inline_admin"},
    "SAN-IAM-007": {"u_maint_never"},
    "SAN-IAM-008": {"u_breakglass"},
    "SAN-IAM-010": {"u_shared"},
    # *:* inline (under an MFA condition), AdministratorAccess through a group, and that group;
    # the break-glass user (directly and through emergency-access) is NOT_APPLICABLE
    "SAN-IAM-011": {"u_inline_admin", "u_group_admin", "g_admins"},
}
ACCOUNT_FAIL = {"SAN-IAM-001", "SAN-IAM-004", "SAN-LOG-006"}  # root MFA off, weak password policy, no Config


def statuses(resources, catalog):
    from sansho.policies.engine.core import Engine

    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    findings = {}
    for f in Engine(catalog).scan(resources).findings:
        out[f.control_id][f.status].add(f.resource.id)
        findings[(f.control_id, f.resource.id)] = f
    return out, findings


@pytest.fixture(scope="module")
def judged(collection, catalog):
    return statuses(collection.resources, catalog)


def test_clean_run_reads_everything(collection, estate):
    assert collection.errors == []
    assert collection.account == hospital.ACCOUNT
    assert collection.regions == [TOKYO, OSAKA, US]
    # what AWS itself does not know: an instance outside Patch Manager has no patch state, and a plan
    # that has never been restored from has no restore test
    assert {r.id: r.read_errors for r in collection.resources if r.read_errors} == {
        estate.ids["ec2_unmanaged"]: {"last_patched": "Systems Manager Patch Manager has no patch state for this "
                                                      "instance (not a managed instance, or never scanned)"},
        estate.ids["p_governance"]: {"last_restore_test": "no completed restore job from this plan's recovery points"}}
    kinds = {r.kind for r in collection.resources}
    assert kinds >= {"storage.bucket", "database.instance", "compute.disk", "compute.snapshot", "kms.key",
                     "network.segment", "network.firewall_rule", "identity.user", "identity.role",
                     "account.settings", "audit.trail", "backup.plan", "backup.vault", "security.threat_detection",
                     "device.host"}
    assert len({r.id for r in collection.resources}) == len(collection.resources)


@pytest.mark.parametrize("control", sorted(EXPECTED_FAIL))
def test_exact_failures(judged, estate, control):
    by_status, _ = judged
    expected = {estate.ids[k] for k in EXPECTED_FAIL[control]}
    if control in ("SAN-NET-001", "SAN-NET-002"):
        expected |= estate.default_nacl_entries  # rule #100: allow everything from 0.0.0.0/0
    assert by_status[control]["FAIL"] == expected
    assert not by_status[control]["ERROR"]


def test_account_level_failures(judged):
    by_status, _ = judged
    for control in ACCOUNT_FAIL:
        assert by_status[control]["FAIL"] == {f"aws:account:{hospital.ACCOUNT}"}, control


def test_network_segments(judged, estate):
    by_status, _ = judged
    defaults = set(estate.default_vpcs.values())
    default_subnets = {s for subs in estate.default_subnets.values() for s in subs}
    # default VPCs keep moto's allow-all egress on their default security group
    assert by_status["SAN-NET-005"]["FAIL"] == defaults | {estate.ids["vpc_legacy"]}
    assert estate.ids["vpc_prod"] in by_status["SAN-NET-005"]["PASS"]
    assert by_status["SAN-NET-006"]["FAIL"] == defaults | default_subnets | {
        estate.ids["vpc_legacy"], estate.ids["subnet_legacy"]}
    assert {estate.ids["vpc_prod"], estate.ids["subnet_public"], estate.ids["subnet_private"]} <= \
        by_status["SAN-NET-006"]["PASS"]


def test_normalized_values(collection, estate):
    r = {x.id: x for x in collection.resources}
    ids = estate.ids
    b = r[ids["b_ehr_tokyo"]]
    assert (b.region, b.country, b.encrypted, b.key_managed_by, b.kms_key_id) == (
        TOKYO, "JP", True, "customer", ids["key_ehr"])
    assert (b.public, b.tls_required, b.min_tls_version, b.versioning, b.immutable, b.immutability_mode,
            b.retention_days) == (False, True, "1.2", True, True, "compliance", 3650)
    assert [(d.target, d.region, d.country) for d in b.destinations] == [(ids["b_ehr_osaka"], OSAKA, "JP")]
    assert [(d.region, d.country) for d in r[ids["b_pacs_tokyo"]].destinations] == [(US, "US")]
    assert r[ids["b_ehr_osaka"]].key_managed_by == "provider"
    db = r[ids["db_ehr"]]
    assert (db.engine, db.encrypted, db.tls_required, db.backup_retention_days, db.publicly_accessible) == (
        "postgres", True, True, 35, False)
    assert [(d.relation, d.target, d.region) for d in db.destinations] == [
        ("read_replica", ids["db_ehr_replica"], OSAKA)]
    sub = r[ids["subnet_public"]]
    assert (sub.internet_routed, sub.flow_logs_enabled, sub.zone) == (True, True, None)
    assert r[ids["subnet_private"]].internet_routed is False
    assert r[ids["vpc_prod"]].zone == "medical"
    rule = r[ids["sgr_all_world"]]
    assert (rule.protocol, rule.ports, rule.sources, rule.direction) == ("all", [], ["0.0.0.0/0"], "ingress")
    assert [(p.from_port, p.to_port) for p in r[ids["sgr_pg_world"]].ports] == [(5432, 5432)]
    assert r[ids["key_pending"]].state == "pending_deletion"
    u = r[ids["u_ok"]]
    assert (u.console_access, u.mfa_enabled, u.purpose, u.expires, u.last_used) == (True, True, "user", "never", "never")
    assert len(u.access_keys) == 1 and u.access_keys[0].active and u.access_keys[0].created is not None
    assert r[ids["u_maint_ok"]].purpose == "maintenance" and r[ids["u_maint_ok"]].expires is not None
    assert r[ids["r_app"]].purpose == "service" and r[ids["r_app"]].full_admin is False
    assert r[ids["r_breakglass"]].purpose == "break_glass" and r[ids["r_breakglass"]].full_admin is True
    acct = r[f"aws:account:{hospital.ACCOUNT}"]
    assert (acct.root_mfa_enabled, acct.root_access_keys_present, acct.config_recording) == (False, False, False)
    assert (acct.password_policy.min_length, acct.password_policy.require_symbols, acct.password_policy.max_age_days,
            acct.password_users_without_mfa) == (8, True, "never", ["bad-suzuki-no-mfa"])
    trail = r[ids["trail_ok"]]
    assert (trail.enabled, trail.multi_region, trail.integrity_validation, trail.destination_immutable,
            trail.destination_immutability_mode) == (True, True, True, True, "compliance")
    assert (r[ids["trail_governance"]].destination_immutable,
            r[ids["trail_governance"]].destination_immutability_mode) == (True, "governance")
    assert (r[ids["b_records_governance"]].immutable, r[ids["b_records_governance"]].immutability_mode) == (
        True, "governance")
    vaults = {k: (r[ids[k]].immutable, r[ids[k]].immutability_mode)
              for k in ("v_ehr", "v_dr", "v_pacs", "v_governance", "v_grace")}
    assert vaults == {"v_ehr": (True, "compliance"), "v_dr": (True, "compliance"), "v_pacs": (False, None),
                      "v_governance": (True, "governance"), "v_grace": (True, "governance")}
    assert trail.destination == ids["b_trail_locked"]
    plan = r[ids["p_ehr"]]
    assert (plan.generations, plan.retention_days, plan.methods) == (35, 35, ["online", "worm"])
    assert [(d.target, d.region, d.account) for d in plan.destinations] == [(ids["v_dr"], OSAKA, hospital.ACCOUNT)]
    assert r[ids["p_pacs"]].generations == 2 and r[ids["p_pacs"]].methods == ["online"]
    assert r[ids["p_governance"]].methods == ["online"]
    assert r[ids["v_ehr"]].destinations[0].region == OSAKA
    assert r[ids["gd_us"]].enabled is False and r[ids["gd_tokyo"]].enabled is True


def test_admin_rights_of_users_and_groups(collection, judged, estate):
    """SAN-IAM-011 through the real reader: inline *:*, AdministratorAccess through a group, a
    break-glass user's admin, an AWS managed read-only policy read and judged not admin."""
    r = {x.id: x for x in collection.resources}
    ids = estate.ids
    inline, member, ok = r[ids["u_inline_admin"]], r[ids["u_group_admin"]], r[ids["u_ok"]]
    assert (inline.admin_rights, inline.admin_grants) == (True, ["inline policy everything"])
    assert (member.admin_rights, member.admin_grants) == (
        True, ["group bad-infra-admins: arn:aws:iam::aws:policy/AdministratorAccess"])
    assert (ok.admin_rights, ok.admin_grants) == (False, [])  # ReadOnlyAccess, directly and via ward-readers
    admins, readers, emergency = r[ids["g_admins"]], r[ids["g_readers"]], r[ids["g_breakglass"]]
    assert (admins.kind, admins.admin_rights, admins.members, admins.purpose) == (
        "identity.group", True, [ids["u_group_admin"]], "user")
    assert (readers.admin_rights, sorted(readers.members)) == (False, sorted([ids["u_ok"], ids["u_nomfa"]]))
    assert (emergency.admin_rights, emergency.purpose) == (True, "break_glass")  # its only member is break-glass
    by_status, findings = judged
    assert by_status["SAN-IAM-011"]["NOT_APPLICABLE"] == {ids["u_breakglass"], ids["g_breakglass"]}
    assert {ids["u_ok"], ids["u_nomfa"], ids["g_readers"]} <= by_status["SAN-IAM-011"]["PASS"]
    assert not by_status["SAN-IAM-011"]["UNKNOWN"]
    f = findings[("SAN-IAM-011", ids["u_group_admin"])]
    assert "AdministratorAccess" in f.message_en and "管理者権限" in f.message_ja


def test_locks_a_privileged_user_can_lift_fail_and_say_why(judged, estate):
    """The old false PASS: Object Lock in GOVERNANCE mode and Vault Lock before its lock date counted as
    write-once (書換え・削除不能) for finalised records, audit logs and backups alike."""
    by_status, findings = judged
    ids = estate.ids
    for control, key in (("SAN-REC-001", "b_records_governance"), ("SAN-LOG-003", "trail_governance"),
                         ("SAN-BKP-002", "v_governance"), ("SAN-BKP-002", "v_grace")):
        f = findings[(control, ids[key])]
        assert f.status == "FAIL", (control, key)
        assert "governance mode, which a privileged user can lift" in f.message_en
        assert "ガバナンスモード" in f.message_ja and "書換え・削除不能とはいえません" in f.message_ja
    assert ids["b_records_ok"] in by_status["SAN-REC-001"]["PASS"]  # COMPLIANCE mode
    assert {ids["v_ehr"], ids["v_dr"]} <= by_status["SAN-BKP-002"]["PASS"]  # compliance, lock date passed


def test_password_policy_of_eight_characters_without_expiry_or_mfa_fails(judged):
    """The old false PASS: 8 mixed characters passed whatever the expiry and second factor."""
    _, findings = judged
    f = findings[("SAN-IAM-004", f"aws:account:{hospital.ACCOUNT}")]
    assert f.status == "FAIL"
    assert "(a) at least 13 characters: the minimum is 8" in f.message_en
    assert "passwords never expire" in f.message_en
    assert "bad-suzuki-no-mfa sign in with a password and no second factor" in f.message_en
    assert "二要素認証" in f.message_ja and "有効期限がありません" in f.message_ja


def test_listeners_tables_file_systems(collection, estate):
    r = {x.id: x for x in collection.resources}
    ids = estate.ids
    got = {k: (r[ids[k]].protocol, r[ids[k]].port, r[ids[k]].tls_policy, r[ids[k]].min_tls_version,
               r[ids[k]].redirects_to_https) for k in ("lst_https_ok", "lst_https_old", "lst_http_redirect",
                                                       "lst_http_plain", "lst_tcp")}
    assert got == {
        "lst_https_ok": ("HTTPS", 443, "ELBSecurityPolicy-TLS13-1-2-2021-06", "1.2", None),
        "lst_https_old": ("HTTPS", 8443, "ELBSecurityPolicy-2016-08", "1.0", None),
        "lst_http_redirect": ("HTTP", 80, None, None, True),
        "lst_http_plain": ("HTTP", 8080, None, None, False),
        "lst_tcp": ("TCP", 104, None, None, None),
    }
    ehr, queue = r[ids["ddb_ehr"]], r[ids["ddb_queue"]]
    assert (ehr.kind, ehr.engine, ehr.encrypted, ehr.kms_key_id, ehr.key_managed_by, ehr.backup_retention_days,
            ehr.publicly_accessible, ehr.tls_required) == (
        "database.instance", "dynamodb", True, ids["key_ehr"], "customer", 35, False, True)
    assert [(d.relation, d.region, d.country) for d in ehr.destinations] == [("global_replica", OSAKA, "JP")]
    assert (queue.encrypted, queue.key_managed_by, queue.backup_retention_days, queue.publicly_accessible,
            queue.tls_required) == (True, "provider", 0, True, False)
    assert [(d.region, d.country) for d in queue.destinations] == [(US, "US")]
    ok, plain = r[ids["efs_ok"]], r[ids["efs_plain"]]
    assert (ok.kind, ok.encrypted, ok.kms_key_id, ok.key_managed_by, ok.name) == (
        "compute.disk", True, ids["key_ehr"], "customer", "pacs-cache")
    assert (plain.encrypted, plain.kms_key_id) == (False, None)
    trails = (r[ids["trail_ok"]], r[ids["trail_bad"]])
    assert [t.retention_days for t in trails] == [3650, 90]  # Object Lock 10 years; lifecycle 90 days
    acct = r[f"aws:account:{hospital.ACCOUNT}"]
    assert acct.disk_encryption_by_default == {OSAKA: False, TOKYO: True, US: False}


def test_inventory_round_trip(collection):
    from sansho.policies.model import Inventory

    text = dump_inventory(collection.resources, generator="sansho collect aws")
    inv = Inventory.model_validate_json(text)
    assert len(inv.resources) == len(collection.resources)


def test_no_credential_in_any_output(collection, moto_endpoint, estate, fake_env, capsys, caplog):
    text = dump_inventory(collection.resources) + json.dumps([e.as_dict() for e in collection.errors])
    text += json.dumps(collection.summary()) + repr(collection.calls)
    for secret in (CANARY_SECRET, CANARY_TOKEN, CANARY_KEY):
        assert secret not in text
    out = capsys.readouterr()
    for secret in (CANARY_SECRET, CANARY_TOKEN):
        assert secret not in out.out + out.err + caplog.text
    assert "X-Amz-Signature" not in text and "Signature=" not in text


def test_every_call_is_declared(collection):
    from sansho.collectors.aws.permissions import all_actions, policy_document

    declared = set(all_actions())
    undeclared = set(collection.calls) - declared
    assert not undeclared, f"API calls no module declares in PERMISSIONS: {sorted(undeclared)}"
    doc = policy_document()
    assert doc["Version"] == "2012-10-17"
    (st,) = doc["Statement"]
    assert st["Effect"] == "Allow" and st["Resource"] == "*" and st["Action"] == sorted(declared)
    # read-only: nothing that writes or deletes (the credential report is generated, not changed)
    verbs = ("Get", "List", "Describe", "GenerateCredentialReport")
    assert all(a.split(":", 1)[1].startswith(verbs) for a in st["Action"]), st["Action"]


def test_calls_are_shared_clients(collection):
    # one client per (service, region): a call count per region, not per resource, for list calls
    assert collection.calls["ec2:DescribeVpcs"] == 3
    assert collection.calls["s3:ListAllMyBuckets"] == 1
    assert collection.calls["sts:GetCallerIdentity"] == 1


def test_regions_all_uses_enabled_regions(moto_endpoint, fake_env):
    import boto3

    from sansho.collectors.aws import _regions
    from sansho.collectors.aws.core import Context

    ctx = Context(session=boto3.Session(), account=hospital.ACCOUNT, endpoint_url=moto_endpoint)
    regions = _regions(ctx, "all")
    assert TOKYO in regions and OSAKA in regions and US in regions
    assert "ap-east-1" not in regions  # an opt-in region that is not enabled
    assert _regions(ctx, " ap-northeast-1, ap-northeast-3,ap-northeast-1") == [TOKYO, OSAKA]


def test_progress_is_silent_without_a_terminal(moto_endpoint, estate, fake_env, capsys):
    from sansho.collectors.aws import collect

    result = collect(regions=OSAKA, endpoint_url=moto_endpoint, progress=True)
    assert result.resources
    out = capsys.readouterr()
    assert out.err == "" and out.out == ""


def test_no_credentials_is_an_input_error(fake_env, monkeypatch):
    from sansho.collectors.aws import collect
    from sansho.policies.errors import InputError

    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(InputError, match="no AWS credentials"):
        collect(regions=TOKYO, endpoint_url="http://127.0.0.1:9")


def test_clusters_and_rds_snapshots(collection, estate):
    r = {x.id: x for x in collection.resources}
    ids = estate.ids
    got = {k: (r[ids[k]].engine, r[ids[k]].encrypted, r[ids[k]].publicly_accessible, r[ids[k]].tls_required,
               r[ids[k]].backup_retention_days) for k in ("cl_ehr", "cl_lab", "cl_global_us")}
    assert got == {"cl_ehr": ("aurora-postgresql", True, False, True, 35),
                   "cl_lab": ("aurora-mysql", False, True, False, 1),  # its member instance is public
                   "cl_global_us": ("aurora-postgresql", True, False, True, 35)}
    assert (r[ids["cl_ehr"]].kms_key_id, r[ids["cl_ehr"]].key_managed_by) == (ids["key_ehr"], "customer")
    assert [(d.relation, d.target, d.country) for d in r[ids["cl_global_tokyo"]].destinations] == [
        ("global_replica", ids["cl_global_us"], "US")]
    # cluster members are judged through their cluster, not twice
    assert not [x.id for x in collection.resources if x.id.endswith((":db:hospital-ehr-aurora-1", ":db:bad-aurora-lab-1"))]
    snaps = {k: (r[ids[k]].kind, r[ids[k]].public, r[ids[k]].encrypted,
                 [(d.account, d.country) for d in r[ids[k]].destinations])
             for k in ("rsnap_ok", "rsnap_public", "csnap_shared")}
    assert snaps == {"rsnap_ok": ("compute.snapshot", False, True, []),
                     "rsnap_public": ("compute.snapshot", True, False, []),
                     "csnap_shared": ("compute.snapshot", False, True, [(hospital.VENDOR_ACCOUNT, "JP")])}


def test_database_audit_logging(collection, judged, estate):
    by_status, findings = judged
    ids = estate.ids
    r = {x.id: x for x in collection.resources}
    got = {k: (r[ids[k]].audit_logging, r[ids[k]].audit_classes) for k in (
        "db_ehr", "db_lab_audited", "db_mysql_ddl", "db_pg_ddl", "cl_ehr", "cl_lab", "db_lab")}
    assert got == {"db_ehr": (True, ["read", "write", "ddl", "role"]), "db_lab_audited": (True, ["CONNECT", "QUERY"]),
                   "db_mysql_ddl": (True, ["CONNECT", "QUERY_DDL"]), "db_pg_ddl": (True, ["ddl"]),
                   "cl_ehr": (True, ["read", "write", "ddl", "role"]), "cl_lab": (False, None), "db_lab": (False, None)}
    f = findings[("SAN-LOG-007", ids["db_pg_ddl"])]
    assert "records ddl but no reads" in f.message_en and "(read, all, QUERY, QUERY_DML," in f.message_en
    assert "参照を記録するクラス" in f.message_ja and "アクセスログ" in f.message_ja
    # pgaudit loaded with pgaudit.log set and the postgresql log exported; MySQL with the MariaDB audit
    # plugin option and the audit log exported
    assert by_status["SAN-LOG-007"]["PASS"] == {ids[k] for k in (
        "db_ehr", "db_ehr_replica", "db_lab_audited", "cl_ehr", "cl_global_tokyo")}
    # DynamoDB records item reads only as CloudTrail data events, which the table reader does not read
    assert by_status["SAN-LOG-007"]["UNKNOWN"] == {ids["ddb_ehr"], ids["ddb_queue"]}


def test_network_acls_follow_rule_order(collection, judged, estate):
    r = {x.id: x for x in collection.resources}
    ids = estate.ids
    by_status, findings = judged
    shadowed = r[ids["nacl_ssh_shadowed"]]
    assert (shadowed.action, shadowed.sources, shadowed.ports) == ("allow", [], [])  # #90 denies port 22 first
    assert shadowed.raw["shadowed_by_rule_numbers"] == [90]
    assert [(p.from_port, p.to_port) for p in r[ids["nacl_pg_shadowed"]].ports] == [(5400, 5431), (5433, 5500)]
    assert r[ids["nacl_vpc_pg"]].sources == ["10.0.0.0/16"]
    assert r[ids["nacl_rdp"]].attached_to == [ids["subnet_private"]]
    for k in ("nacl_ssh_shadowed", "nacl_https", "nacl_pg_shadowed", "nacl_ephemeral", "nacl_vpc_pg"):
        assert ids[k] in by_status["SAN-NET-001"]["PASS"] and ids[k] in by_status["SAN-NET-002"]["PASS"], k
    for k in ("nacl_ssh_deny", "nacl_pg_deny"):
        assert ids[k] in by_status["SAN-NET-001"]["NOT_APPLICABLE"], k


def test_patch_state_and_restore_tests(collection, judged, estate):
    r = {x.id: x for x in collection.resources}
    ids = estate.ids
    by_status, findings = judged
    today = dt.datetime.now(dt.UTC).date()
    assert r[ids["ec2_patched"]].last_patched == today - dt.timedelta(days=10)  # install, nothing missing
    assert r[ids["ec2_unpatched"]].last_patched == today - dt.timedelta(days=200)  # 12 missing: the last install
    assert (r[ids["ec2_patched"]].device_type, r[ids["ec2_patched"]].holds_medical_data) == ("server", True)
    assert {k: v for k, v in by_status["SAN-MAL-003"].items() if v} == {"PASS": {ids["ec2_patched"]}, "FAIL": {ids["ec2_unpatched"]},
                                        "UNKNOWN": {ids["ec2_unmanaged"]}}
    ehr, pacs = r[ids["p_ehr"]], r[ids["p_pacs"]]
    # the Osaka restore of the DR copy counts; the Tokyo restore 3 days ago failed its validation
    assert ehr.last_restore_test == today - dt.timedelta(days=40)
    assert ehr.protected == sorted([ids["db_ehr"], ids["cl_ehr"]])
    assert (pacs.last_restore_test, pacs.protected) == (today - dt.timedelta(days=400), [ids["b_pacs_tokyo"]])
    assert ids["p_ehr"] in by_status["SAN-BKP-004"]["PASS"]
