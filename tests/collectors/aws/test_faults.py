"""Fault injection: AccessDenied, throttling and a dead regional endpoint, through a proxy in front of moto."""

from __future__ import annotations

import socket
import time

import pytest

from sansho.policies.inventory import dump_inventory

from .conftest import CANARY_KEY, CANARY_SECRET, CANARY_TOKEN
from .hospital import ACCOUNT, OSAKA, REGIONS, TOKYO, US
from .proxy import FaultProxy, Rule
from .test_collect import statuses

ALL = ",".join(REGIONS)


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _by_id(resources):
    return {r.id: r for r in resources}


def test_access_denied_is_unknown_with_reason(moto_endpoint, estate, collection, catalog, fake_env, capsys, caplog):
    from sansho.collectors.aws import collect

    rules = [
        Rule("s3", "AccessDenied", 403, op="encryption"),  # one attribute of every bucket
        Rule("guardduty", "AccessDeniedException", 403, region=US),  # a whole service in one region
        Rule("kms", "AccessDeniedException", 400, region=OSAKA),
        Rule("ec2", "UnauthorizedOperation", 403, region=TOKYO, op="DescribeFlowLogs"),
    ]
    with FaultProxy(moto_endpoint, rules) as proxy:
        result = collect(regions=ALL, endpoint_url=proxy.url, max_attempts=2)
    got, clean = _by_id(result.resources), _by_id(collection.resources)
    ids = estate.ids

    # nothing else was lost: every clean resource is there, except Osaka's keys
    assert set(clean) - set(got) == {ids["key_pending"]}
    for b in (r for r in result.resources if r.kind == "storage.bucket"):
        assert b.encrypted is None
        assert b.read_errors["encrypted"] == "AccessDenied: s3:GetEncryptionConfiguration"
        assert b.versioning == clean[b.id].versioning and b.public == clean[b.id].public
    gd = got[ids["gd_us"]]
    assert gd.enabled is None and gd.read_errors == {"enabled": "AccessDeniedException: guardduty:ListDetectors"}
    assert got[ids["vpc_prod"]].flow_logs_enabled is None
    assert got[ids["vpc_prod"]].read_errors["flow_logs_enabled"] == "UnauthorizedOperation: ec2:DescribeFlowLogs"
    assert got[ids["vpc_prod"]].default_firewall_restricted is True

    errs = {(e.service, e.region, e.api) for e in result.errors}
    assert ("guardduty", US, "guardduty:ListDetectors") in errs
    assert ("kms", OSAKA, "kms:ListKeys") in errs
    assert ("ec2", TOKYO, "ec2:DescribeFlowLogs") in errs
    assert sum(1 for e in result.errors if e.api == "s3:GetEncryptionConfiguration") == \
        sum(1 for r in result.resources if r.kind == "storage.bucket")

    by_status, findings = statuses(result.resources, catalog)
    assert by_status["SAN-ENC-001"]["UNKNOWN"] == {r.id for r in result.resources if r.kind == "storage.bucket"}
    f = findings[("SAN-ENC-001", ids["b_lab"])]
    assert f.status == "UNKNOWN" and "AccessDenied: s3:GetEncryptionConfiguration" in f.message_en
    assert by_status["SAN-MAL-001"]["UNKNOWN"] == {ids["gd_us"]}
    assert by_status["SAN-MAL-001"]["FAIL"] == {ids["gd_osaka"]}
    assert ids["vpc_prod"] in by_status["SAN-NET-006"]["UNKNOWN"]
    # other controls keep their clean verdicts
    assert by_status["SAN-NET-003"]["FAIL"] == {ids["b_web"]}
    assert by_status["SAN-ENC-006"]["FAIL"] == {ids["key_norotate"]}

    text = dump_inventory(result.resources) + repr([e.as_dict() for e in result.errors])
    out = capsys.readouterr()
    for secret in (CANARY_SECRET, CANARY_TOKEN, CANARY_KEY):
        assert secret not in text
    for secret in (CANARY_SECRET, CANARY_TOKEN):
        assert secret not in out.out + out.err + caplog.text


def test_throttling_is_retried(moto_endpoint, estate, collection, fake_env):
    from sansho.collectors.aws import collect

    rules = [
        Rule("kms", "ThrottlingException", 400, region=TOKYO, times=2),
        Rule("ec2", "RequestLimitExceeded", 503, region=OSAKA, op="DescribeVpcs", times=2),
        Rule("s3", "SlowDown", 503, op="versioning", times=2),
        Rule("iam", "Throttling", 400, op="ListMFADevices", times=2),
    ]
    with FaultProxy(moto_endpoint, rules) as proxy:
        result = collect(regions=ALL, endpoint_url=proxy.url, max_attempts=6)
    # a rule without a region counts per region: S3 throttles twice in each of the three
    assert sum(proxy.injected.values()) == 2 + 2 + 3 * 2 + 2
    assert result.errors == []
    assert dump_inventory(result.resources).count('"id"') == dump_inventory(collection.resources).count('"id"')
    got, clean = _by_id(result.resources), _by_id(collection.resources)
    assert set(got) == set(clean)
    for rid, r in clean.items():
        assert got[rid].model_dump(exclude={"raw"}) == r.model_dump(exclude={"raw"}), rid


def test_throttling_that_never_clears_is_recorded(moto_endpoint, estate, fake_env):
    from sansho.collectors.aws import collect

    with FaultProxy(moto_endpoint, [Rule("guardduty", "TooManyRequestsException", 429, region=TOKYO)]) as proxy:
        result = collect(regions=TOKYO, endpoint_url=proxy.url, max_attempts=2)
    (err,) = [e for e in result.errors if e.service == "guardduty"]
    assert err.reason == "TooManyRequestsException (retries exhausted): guardduty:ListDetectors"
    (gd,) = [r for r in result.resources if r.kind == "security.threat_detection"]
    assert gd.enabled is None and "retries exhausted" in gd.read_errors["enabled"]


def test_dead_region_keeps_other_regions(moto_endpoint, estate, collection, catalog, fake_env):
    from sansho.collectors.aws import collect

    dead = f"http://127.0.0.1:{_closed_port()}"
    t0 = time.perf_counter()
    result = collect(regions=ALL, endpoint_url=moto_endpoint, region_endpoints={OSAKA: dead}, max_attempts=2,
                     connect_timeout=2)
    elapsed = time.perf_counter() - t0
    assert elapsed < 20
    got, clean = _by_id(result.resources), _by_id(collection.resources)
    ids = estate.ids
    # every Tokyo / US / global resource is there and unchanged, apart from links into Osaka
    for rid, r in clean.items():
        if r.region == OSAKA and r.kind not in ("storage.bucket", "security.threat_detection"):
            assert rid not in got
            continue
        if r.region in (TOKYO, US) and r.kind not in ("backup.plan", "account.settings"):
            assert got[rid].model_dump(exclude={"raw"}) == r.model_dump(exclude={"raw"}), rid
    # an Osaka bucket is listed globally; what had to be read in Osaka is UNKNOWN with the reason
    b = got[ids["b_ehr_osaka"]]
    assert b.region == OSAKA and b.encrypted is None
    assert b.read_errors["encrypted"].startswith("EndpointConnectionError: s3:GetEncryptionConfiguration")
    gd = got[f"arn:aws:guardduty:{OSAKA}:{ACCOUNT}:detector"]
    assert gd.enabled is None and gd.read_errors["enabled"].startswith("EndpointConnectionError")
    # the plan copying into the unreachable region cannot tell whether that vault is locked
    plan = got[ids["p_ehr"]]
    assert plan.methods == ["online", "worm"]  # its own Tokyo vault is locked: decided without Osaka
    acct = got[f"aws:account:{ACCOUNT}"]
    assert acct.config_recording is False  # Tokyo already known not to record
    assert {e.region for e in result.errors} == {OSAKA}
    assert all("EndpointConnectionError" in e.reason for e in result.errors)
    by_status, _ = statuses(result.resources, catalog)
    assert ids["b_ehr_osaka"] in by_status["SAN-ENC-001"]["UNKNOWN"]
    assert gd.id in by_status["SAN-MAL-001"]["UNKNOWN"]
    assert by_status["SAN-NET-003"]["FAIL"] == {ids["b_web"]}


@pytest.mark.parametrize("code", ["AccessDenied", "InvalidClientTokenId"])
def test_unreadable_account_is_an_input_error(moto_endpoint, fake_env, code):
    from sansho.collectors.aws import collect
    from sansho.policies.errors import InputError

    with FaultProxy(moto_endpoint, [Rule("sts", code, 403)]) as proxy:
        with pytest.raises(InputError, match=f"cannot read the AWS account: {code}: sts:GetCallerIdentity"):
            collect(regions=TOKYO, endpoint_url=proxy.url, max_attempts=1)


def test_new_services_denied_are_unknown(moto_endpoint, estate, collection, catalog, fake_env):
    from sansho.collectors.aws import collect

    rules = [
        Rule("dynamodb", "AccessDeniedException", 400, op="DescribeContinuousBackups"),
        Rule("elasticloadbalancing", "AccessDenied", 403, region=TOKYO, op="DescribeListeners"),
        Rule("s3", "AccessDenied", 403, op="lifecycle"),
    ]
    with FaultProxy(moto_endpoint, rules) as proxy:
        result = collect(regions=TOKYO, endpoint_url=proxy.url, max_attempts=1)
    got = _by_id(result.resources)
    ids = estate.ids
    for k in ("ddb_ehr", "ddb_queue"):
        t = got[ids[k]]
        assert t.backup_retention_days is None
        assert t.read_errors == {"backup_retention_days": "AccessDeniedException: dynamodb:DescribeContinuousBackups"}
        assert t.encrypted is True and t.destinations is not None
    assert not any(r.kind == "network.lb_listener" for r in result.resources)
    trail = got[ids["trail_ok"]]
    assert trail.retention_days is None
    assert trail.read_errors == {"retention_days": "AccessDenied: s3:GetLifecycleConfiguration"}
    # recorded per load balancer, with its ARN
    assert {e.resource.split("/")[2] for e in result.errors if e.service == "elbv2"} == {"ehr-portal", "pacs-dicom"}
    assert {e.api for e in result.errors} == {"dynamodb:DescribeContinuousBackups",
                                              "elasticloadbalancing:DescribeListeners", "s3:GetLifecycleConfiguration"}
    by_status, findings = statuses(result.resources, catalog)
    assert by_status["SAN-BKP-005"]["UNKNOWN"] >= {ids["ddb_ehr"], ids["ddb_queue"]}
    assert ids["ddb_queue"] not in by_status["SAN-BKP-005"]["FAIL"]
    assert by_status["SAN-LOG-004"]["UNKNOWN"] == {ids["trail_ok"], ids["trail_governance"]}
    assert "AccessDenied: s3:GetLifecycleConfiguration" in findings[("SAN-LOG-004", ids["trail_ok"])].message_en


def test_rds_acls_patches_restores_denied_are_unknown(moto_endpoint, estate, collection, catalog, fake_env):
    from sansho.collectors.aws import collect

    rules = [
        Rule("rds", "AccessDenied", 403, region=TOKYO, op="DescribeDBClusterSnapshotAttributes"),
        Rule("rds", "AccessDenied", 403, region=TOKYO, op="DescribeDBClusterParameters"),
        Rule("rds", "AccessDenied", 403, region=TOKYO, op="DescribeOptionGroups"),
        Rule("ec2", "UnauthorizedOperation", 403, region=TOKYO, op="DescribeNetworkAcls"),
        Rule("ec2", "UnauthorizedOperation", 403, region=TOKYO, op="GetEbsEncryptionByDefault"),
        Rule("ssm", "AccessDeniedException", 400, region=TOKYO, op="DescribeInstancePatchStates"),
        Rule("backup", "AccessDeniedException", 403, region=TOKYO, op="/restore-jobs/"),
    ]
    with FaultProxy(moto_endpoint, rules) as proxy:
        result = collect(regions=TOKYO, endpoint_url=proxy.url, max_attempts=1)
    got = _by_id(result.resources)
    ids = estate.ids
    shared = got[ids["csnap_shared"]]
    assert (shared.public, shared.destinations, shared.encrypted) == (None, None, True)
    assert shared.read_errors == {"public": "AccessDenied: rds:DescribeDBClusterSnapshotAttributes",
                                  "destinations": "AccessDenied: rds:DescribeDBClusterSnapshotAttributes"}
    assert got[ids["rsnap_public"]].public is True  # instance snapshots use another call
    cl = got[ids["cl_lab"]]
    assert (cl.tls_required, cl.encrypted) == (None, False)
    assert cl.read_errors == {"tls_required": "AccessDenied: rds:DescribeDBClusterParameters"}
    assert cl.audit_logging is False  # no audit log export: a known failure, whatever the parameters say
    for k, api in (("cl_ehr", "DescribeDBClusterParameters"), ("db_lab_audited", "DescribeOptionGroups")):
        assert got[ids[k]].audit_logging is None
        assert got[ids[k]].read_errors["audit_logging"] == f"AccessDenied: rds:{api}"
    assert not any("network-acl/" in r.id for r in result.resources)
    acct = got[f"aws:account:{ACCOUNT}"]
    assert acct.disk_encryption_by_default == {}
    assert acct.read_errors["disk_encryption_by_default"] == f"{TOKYO}: UnauthorizedOperation: ec2:GetEbsEncryptionByDefault"
    for k in ("ec2_patched", "ec2_unpatched", "ec2_unmanaged"):
        assert got[ids[k]].last_patched is None
        assert got[ids[k]].read_errors == {"last_patched": "AccessDeniedException: ssm:DescribeInstancePatchStates"}
    plan = got[ids["p_ehr"]]
    assert (plan.last_restore_test, plan.protected) == (None, None)
    assert plan.read_errors["last_restore_test"] == f"{TOKYO}: AccessDeniedException: backup:ListRestoreJobs"
    assert {e.api for e in result.errors} == {
        "rds:DescribeDBClusterSnapshotAttributes", "rds:DescribeDBClusterParameters", "rds:DescribeOptionGroups",
        "ec2:DescribeNetworkAcls", "ec2:GetEbsEncryptionByDefault", "ssm:DescribeInstancePatchStates",
        "backup:ListRestoreJobs"}
    by_status, findings = statuses(result.resources, catalog)
    assert ids["csnap_shared"] in by_status["SAN-NET-008"]["UNKNOWN"]
    assert ids["cl_lab"] in by_status["SAN-ENC-007"]["UNKNOWN"]
    assert by_status["SAN-LOG-007"]["UNKNOWN"] == {ids["cl_ehr"], ids["cl_global_tokyo"], ids["db_lab_audited"],
                                                   ids["db_mysql_ddl"],  # its option group: denied
                                                   ids["ddb_ehr"], ids["ddb_queue"]}  # DynamoDB: not read
    assert by_status["SAN-LOG-007"]["FAIL"] == {ids["db_research"], ids["db_lab"], ids["cl_lab"], ids["db_pg_ddl"]}
    assert by_status["SAN-MAL-003"]["UNKNOWN"] == {ids["ec2_patched"], ids["ec2_unpatched"], ids["ec2_unmanaged"]}
    assert by_status["SAN-BKP-004"]["UNKNOWN"] == {ids["p_ehr"], ids["p_pacs"], ids["p_governance"]}
    assert "AccessDeniedException: ssm:DescribeInstancePatchStates" in findings[("SAN-MAL-003", ids["ec2_patched"])].message_en
    # the security groups are still judged: only the network ACLs are missing
    assert by_status["SAN-NET-001"]["FAIL"] == {ids["sgr_ssh_world"], ids["sgr_all_world"]}


def test_mfa_devices_denied_leaves_the_password_condition_unknown(moto_endpoint, estate, collection, catalog,
                                                                   fake_env):
    """SAN-IAM-004 condition c needs every password user's MFA state: one user's unread → UNKNOWN, not FAIL
    (the policy of 8 characters never expiring meets neither a nor b)."""
    from sansho.collectors.aws import collect

    rules = [Rule("iam", "AccessDenied", 403, op="ListMFADevices", body="bad-suzuki-no-mfa")]
    with FaultProxy(moto_endpoint, rules) as proxy:
        result = collect(regions=TOKYO, endpoint_url=proxy.url, max_attempts=1)
    acct = _by_id(result.resources)[f"aws:account:{ACCOUNT}"]
    assert acct.password_users_without_mfa is None
    assert acct.read_errors["password_users_without_mfa"] == (
        "console access or MFA devices of bad-suzuki-no-mfa were not read")
    by_status, findings = statuses(result.resources, catalog)
    assert by_status["SAN-IAM-004"]["UNKNOWN"] == {acct.id}
    assert "password_users_without_mfa" in findings[("SAN-IAM-004", acct.id)].message_en


def test_users_not_listed_leave_the_password_condition_unknown(moto_endpoint, estate, collection, fake_env):
    from sansho.collectors.aws import collect

    rules = [Rule("iam", "AccessDenied", 403, op="GetAccountAuthorizationDetails")]
    with FaultProxy(moto_endpoint, rules) as proxy:
        result = collect(regions=TOKYO, endpoint_url=proxy.url, max_attempts=1)
    acct = _by_id(result.resources)[f"aws:account:{ACCOUNT}"]
    assert acct.password_users_without_mfa is None
    assert acct.read_errors["password_users_without_mfa"] == (
        "the IAM users were not listed: AccessDenied: iam:GetAccountAuthorizationDetails")
