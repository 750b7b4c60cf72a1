"""The collector in-process, through the real ResourceGraphClient, against the local server."""

from __future__ import annotations

import json

from sansho.collectors.azure.live import collect

from .conftest import StaticCredential
from .estate import CONN_CANARY, KEY_CANARY, SAS_CANARY, SUB_A, SUB_B
from .fake_azure import ACCESS_TOKEN


def run(url, certificate, **kw):
    return collect(kw.pop("subscriptions", "all"), endpoint_url=url, credential=StaticCredential(),
                   connection_verify=str(certificate[0]), retry_total=0, **kw)


def by_id(coll):
    return {r.id: r for r in coll.resources}


def test_collects_every_kind(azure, estate, certificate):
    fake, url = azure
    coll = run(url, certificate)
    r = by_id(coll)
    ids = estate.ids
    assert coll.subscriptions == {SUB_A: "hospital-prod", SUB_B: "hospital-dr"}
    rec = r[ids["st_records"]]
    assert (rec.kind, rec.region, rec.country, rec.holds_medical_data) == ("storage.bucket", "japaneast", "JP", True)
    assert (rec.encrypted, rec.key_managed_by, rec.tls_required, rec.min_tls_version) == (
        True, "customer", True, "TLS1_2")
    assert (rec.public, rec.versioning, rec.immutable, rec.immutability_mode, rec.retention_days) == (
        False, True, True, "locked", 3650)
    assert [(d.relation, d.region, d.country) for d in rec.destinations] == [("geo_secondary", "japanwest", "JP")]
    web = r[ids["st_web"]]
    assert (web.public, web.tls_required, web.versioning, web.immutable, web.destinations) == (
        True, False, False, False, [])
    # anonymous access on and every network let in: public from the account alone; behind a firewall
    # with one partner range, the containers (all private) decide
    assert (r[ids["st_open"]].public, r[ids["st_partner"]].public) == (True, False)
    logs = r[ids["st_logs"]]
    assert (logs.immutable, logs.immutability_mode, logs.retention_days) == (True, "locked", 2555)
    unlocked = r[ids["st_records_unlocked"]]
    assert (unlocked.immutable, unlocked.immutability_mode, unlocked.retention_days) == (True, "unlocked", 1825)
    assert (r[ids["st_logs_unlocked"]].immutable, r[ids["st_logs_unlocked"]].immutability_mode) == (True, "unlocked")
    emr, lab = r[ids["db_emr"]], r[ids["db_lab"]]
    assert (emr.encrypted, emr.key_managed_by, emr.publicly_accessible, emr.backup_retention_days) == (
        True, "provider", True, 14)
    assert sorted((d.relation, d.region) for d in emr.destinations) == [
        ("backup_copy", "japanwest"), ("replication", "japanwest")]
    assert (lab.encrypted, lab.key_managed_by, lab.publicly_accessible, lab.backup_retention_days) == (
        False, "customer", False, 3)
    assert [(d.relation, d.region, d.country) for d in lab.destinations] == [("replication", "eastus", "US")]
    # SAN-LOG-007: sql-emr-jp's server auditing is Enabled, sql-lab-jw's Disabled; on sql-lab-jw, pacs
    # has a database-level policy of its own and lab has none.
    pacs = r[ids["db_pacs"]]
    assert (emr.audit_logging, lab.audit_logging, pacs.audit_logging) == (True, False, True)
    assert not any("audit_logging" in d.read_errors for d in (emr, lab, pacs))
    # what each records: the server's BATCH_COMPLETED_GROUP; pacs's own policy, logins only
    assert (emr.audit_classes, lab.audit_classes, pacs.audit_classes) == (
        ["BATCH_COMPLETED_GROUP"], None,
        ["SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP", "FAILED_DATABASE_AUTHENTICATION_GROUP"])
    assert pacs.raw["management"]["databaseAuditing"]["properties"]["state"] == "Enabled"
    assert "storageAccountAccessKey" not in pacs.raw["management"]["databaseAuditing"]["properties"]
    assert not any(i.endswith("/databases/master") for i in r)
    assert (r[ids["disk_jp"]].key_managed_by, r[ids["disk_us"]].country) == ("customer", "US")
    ssh = r[ids["rule_allow-ssh-any"]]
    assert (ssh.direction, ssh.action, ssh.protocol, ssh.sources, [(p.from_port, p.to_port) for p in ssh.ports]) == (
        "ingress", "allow", "tcp", ["*"], [(22, 22)])
    assert r[ids["rule_out-all"]].ports == [] and r[ids["rule_out-all"]].protocol == "all"
    keys = {k: r[ids["key_" + k]] for k in ("cmk-rotated", "cmk-never", "cmk-slow")}  # the last on page 2
    assert [(k.rotation_enabled, k.rotation_period_days) for k in keys.values()] == [
        (True, 90), (False, None), (True, 730)]
    assert (r[ids["rsv_jp"]].immutable, r[ids["rsv_jp"]].immutability_mode, r[ids["rsv_jp"]].soft_delete) == (
        True, "locked", True)
    assert (r[ids["rsv_unlocked"]].immutable, r[ids["rsv_unlocked"]].immutability_mode) == (True, "unlocked")
    assert [d.region for d in r[ids["rsv_jp"]].destinations] == ["japanwest"]
    assert (r[ids["rsv_open"]].immutable, r[ids["rsv_open"]].soft_delete, r[ids["rsv_open"]].destinations) == (
        False, False, [])
    assert [d.region for d in r[ids["bv_us"]].destinations] == ["westus"]
    a, b = r[ids["trail_a"]], r[ids["trail_b"]]
    assert (a.enabled, a.multi_region, a.destination, a.destination_immutable, a.destination_immutability_mode,
            a.retention_days) == (True, True, ids["st_logs"], True, "locked", 2555)
    assert (b.enabled, b.destination, b.destination_immutable, b.destination_immutability_mode, b.retention_days) == (
        True, ids["st_logs_unlocked"], True, "unlocked", 30)
    plans = {p.id: p.enabled for p in coll.resources if p.kind == "security.threat_detection"}
    assert plans == {ids["plan_1_VirtualMachines"]: True, ids["plan_1_SqlServers"]: True,
                     ids["plan_1_StorageAccounts"]: False, ids["plan_2_VirtualMachines"]: False,
                     ids["plan_2_Containers"]: True}
    # The one refusal in this estate: kv-dr's keys.
    assert [(e.service, e.api, e.resource, e.reason) for e in coll.errors] == [
        ("keyvault", "Microsoft.KeyVault/vaults/keys/read", ids["kv_dr"],
         "AuthorizationFailed: Microsoft.KeyVault/vaults/keys/read")]


def test_pages_through_skip_token(azure, estate, certificate):
    fake, url = azure
    fake.arg_bodies.clear()
    fake.page_size = 2
    try:
        coll = run(url, certificate, subscriptions=SUB_A)
    finally:
        fake.page_size = 3
    storage = [b for b in fake.arg_bodies if "microsoft.storage/storageaccounts" in b["query"]]
    # 5 accounts in SUB_A, 2 rows a page: three requests, each after the first carrying a token.
    assert len(storage) == 3
    assert {estate.ids[k] for k in ("st_records", "st_web", "st_logs", "st_open", "st_partner")} <= {
        r.id for r in coll.resources}
    assert storage[0]["subscriptions"] == [SUB_A] and "$skipToken" not in storage[0]["options"]
    assert storage[1]["options"]["$skipToken"] and storage[2]["options"]["$skipToken"]


def test_no_secret_reaches_the_inventory(azure, certificate):
    from sansho.policies.inventory import dump_inventory

    _, url = azure
    coll = run(url, certificate)
    text = dump_inventory(coll.resources, generator="t", errors=coll.errors)
    for canary in (SAS_CANARY, KEY_CANARY, CONN_CANARY, ACCESS_TOKEN, "CANARY"):
        assert canary not in text
    assert "storageAccountAccessKey" not in text
    assert json.loads(text)["resources"]


def test_refusals_leave_fields_unread_with_the_reason(azure_denying, estate, certificate):
    fake, url = azure_denying
    fake.denied_tables.add("securityresources")
    fake.denied_paths.add(estate.ids["sql_jp"].lower() + "/firewallrules")
    fake.denied_paths.add(estate.ids["sql_jw"].lower() + "/auditingsettings/default")
    coll = run(url, certificate)
    r = by_id(coll)
    emr = r[estate.ids["db_emr"]]
    assert emr.publicly_accessible is None
    assert emr.read_errors["publicly_accessible"] == "AuthorizationFailed: Microsoft.Sql/servers/firewallRules/read"
    assert emr.encrypted is True  # the other reads of the same database went on
    lab, pacs = r[estate.ids["db_lab"]], r[estate.ids["db_pacs"]]
    # lab's own policy is Disabled, so its unread server policy decides; pacs's own policy is Enabled.
    assert (emr.audit_logging, lab.audit_logging, pacs.audit_logging) == (True, None, True)
    assert lab.read_errors["audit_logging"] == "AuthorizationFailed: Microsoft.Sql/servers/auditingSettings/read"
    assert "audit_logging" not in pacs.read_errors
    unread = {p.account: p.read_errors["enabled"] for p in coll.resources if p.kind == "security.threat_detection"}
    assert set(unread) == {SUB_A, SUB_B}
    assert all(v.startswith("AuthorizationFailed: Microsoft.ResourceGraph/resources/read") for v in unread.values())
    assert {(e.service, e.api) for e in coll.errors} == {
        ("defender", "Microsoft.ResourceGraph/resources/read"), ("sql", "Microsoft.Sql/servers/firewallRules/read"),
        ("sql", "Microsoft.Sql/servers/auditingSettings/read"), ("keyvault", "Microsoft.KeyVault/vaults/keys/read")}


def test_refused_database_auditing_is_unknown_unless_the_server_audits(azure_denying, estate, certificate):
    fake, url = azure_denying
    ids = estate.ids
    for db in ("db_emr", "db_lab", "db_pacs"):
        fake.denied_paths.add(ids[db].lower() + "/auditingsettings")
    coll = run(url, certificate, subscriptions=SUB_A)
    r = by_id(coll)
    emr, lab, pacs = (r[ids[db]] for db in ("db_emr", "db_lab", "db_pacs"))
    # emr's server audits it whatever its own policy says; lab's and pacs's server does not.
    assert (emr.audit_logging, lab.audit_logging, pacs.audit_logging) == (True, None, None)
    assert "audit_logging" not in emr.read_errors
    reason = "AuthorizationFailed: Microsoft.Sql/servers/databases/auditingSettings/read"
    assert lab.read_errors["audit_logging"] == pacs.read_errors["audit_logging"] == reason
    assert sorted((e.service, e.api, e.resource, e.reason) for e in coll.errors) == sorted(
        ("sql", "Microsoft.Sql/servers/databases/auditingSettings/read", ids[db], reason)
        for db in ("db_emr", "db_lab", "db_pacs"))


def test_every_call_made_is_a_printed_permission(azure, certificate):
    from sansho.collectors.azure.permissions import actions

    _, url = azure
    coll = run(url, certificate)
    assert "Microsoft.Sql/servers/databases/auditingSettings/read" in coll.calls
    assert set(coll.calls) <= set(actions())
