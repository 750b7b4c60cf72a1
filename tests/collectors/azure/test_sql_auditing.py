"""SAN-LOG-007 for Azure SQL: the server's and the database's own auditing policy, every combination,
through the collector's normalization (no network: the management-plane documents are given)."""

from __future__ import annotations

import pytest

from sansho.collectors.azure.details import Details, Unread
from sansho.collectors.azure.normalize import Normalizer, normalize
from sansho.collectors.azure.rows import RowError
from sansho.policies.model import SourceRef

from .estate import SUB_A, db_auditing, sql_db, sql_server

SERVER = sql_server(SUB_A, "rg", "sql-t", "japaneast", "Disabled")
DB = sql_db(SUB_A, "rg", "sql-t", "app", "japaneast", "Local")
SERVER_403 = "AuthorizationFailed: Microsoft.Sql/servers/auditingSettings/read"
DB_403 = "AuthorizationFailed: Microsoft.Sql/servers/databases/auditingSettings/read"
NO_SERVER = "the database's SQL server was not among the Resource Graph results"


def policy(state):
    """A read policy document in the given state, or the refusal kept in its place."""
    if state == "403server":
        return Unread(SERVER_403)
    if state == "403db":
        return Unread(DB_403)
    return db_auditing(DB["id"], state)


def judge(server_state, db_state, with_server=True):
    details = Details()
    details.put(SERVER["id"], "auditing", policy(server_state))
    details.put(DB["id"], "databaseAuditing", policy(db_state))
    rows = [SERVER, DB] if with_server else [DB]
    norm = Normalizer(details, None, SourceRef(type="live"))
    [db] = [r for r in normalize(rows, norm, {}) if r.id == DB["id"]]
    return db.audit_logging, db.read_errors.get("audit_logging")


@pytest.mark.parametrize(("server", "database", "expected"), [
    ("Enabled", "Enabled", (True, None)),
    ("Enabled", "Disabled", (True, None)),
    ("Disabled", "Enabled", (True, None)),
    ("Disabled", "Disabled", (False, None)),
    ("Enabled", "403db", (True, None)),
    ("403server", "Enabled", (True, None)),
    ("Disabled", "403db", (None, DB_403)),
    ("403server", "Disabled", (None, SERVER_403)),
    ("403server", "403db", (None, f"{SERVER_403}; {DB_403}")),
    ("Disabled", "Paused", (None, "the database auditing state 'paused' is not understood")),
])
def test_either_policy_enabled_is_enough_and_only_two_read_disabled_fail(server, database, expected):
    assert judge(server, database) == expected


def test_a_server_missing_from_resource_graph():
    assert judge("Disabled", "Enabled", with_server=False) == (True, None)
    assert judge("Disabled", "Disabled", with_server=False) == (None, NO_SERVER)
    assert judge("Disabled", "403db", with_server=False) == (None, f"{NO_SERVER}; {DB_403}")


def test_a_malformed_state_is_an_error_not_a_verdict():
    details = Details()
    details.put(SERVER["id"], "auditing", policy("Disabled"))
    bad = policy("Disabled")
    bad["properties"]["state"] = False
    details.put(DB["id"], "databaseAuditing", bad)
    with pytest.raises(RowError, match=r"databaseAuditingSettings\.properties\.state.*expected a string, got"):
        normalize([SERVER, DB], Normalizer(details, None, SourceRef(type="live")), {})


def test_an_export_reads_neither_policy():
    norm = Normalizer(Details(export=True), None, SourceRef(type="inventory", file="x.json"))
    [db] = [r for r in normalize([SERVER, DB], norm, {}) if r.id == DB["id"]]
    assert db.audit_logging is None
    server_why, db_why = db.read_errors["audit_logging"].split("; SQL database auditing: ")
    assert server_why.startswith("SQL server auditing: not in a Resource Graph export")
    assert db_why.startswith("not in a Resource Graph export")


def classes(server_doc, db_doc):
    details = Details()
    details.put(SERVER["id"], "auditing", server_doc)
    details.put(DB["id"], "databaseAuditing", db_doc)
    norm = Normalizer(details, None, SourceRef(type="live"))
    [db] = [r for r in normalize([SERVER, DB], norm, {}) if r.id == DB["id"]]
    return db.audit_classes, db.read_errors.get("audit_classes")


def test_audit_classes_are_the_enabled_policies_action_groups():
    logins = ["SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP", "FAILED_DATABASE_AUTHENTICATION_GROUP"]
    # both enabled: the union; a disabled policy's groups do not count
    assert classes(db_auditing(SERVER["id"], "Enabled", ["BATCH_COMPLETED_GROUP"]),
                   db_auditing(DB["id"], "Enabled", logins)) == (["BATCH_COMPLETED_GROUP", *logins], None)
    assert classes(db_auditing(SERVER["id"], "Disabled", ["BATCH_COMPLETED_GROUP"]),
                   db_auditing(DB["id"], "Enabled", logins)) == (logins, None)
    # an enabled policy naming no group: Azure's default (logins and every batch)
    assert classes(db_auditing(SERVER["id"], "Enabled", []), policy("Disabled")) == (
        ["BATCH_COMPLETED_GROUP", *logins], None)
    # the other policy unread: what is audited is not known (it may add the groups that record reads)
    assert classes(db_auditing(SERVER["id"], "Enabled", logins), policy("403db")) == (
        None, f"the action groups of the other auditing policy were not read: {DB_403}")
