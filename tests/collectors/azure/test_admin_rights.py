"""SAN-IAM-011 on Azure: role assignments (Resource Graph ``authorizationresources``) → users and groups
with full administrative rights, live through the real ResourceGraphClient and from exports, with the
break-glass parameter, a refused query and an export without the table."""

from __future__ import annotations

import json

from sansho.collectors.azure.export import from_export
from sansho.collectors.azure.live import collect
from sansho.policies.catalog import load_catalog
from sansho.policies.config import Config
from sansho.policies.engine.core import Engine

from .conftest import StaticCredential
from .estate import (
    G_INFRA,
    G_MG_UAA,
    SUB_A,
    SUB_B,
    U_BREAK_GLASS,
    U_CUSTOM_FULL,
    U_OPS_OWNER,
)

UNREAD = {f"/subscriptions/{s}/providers/Microsoft.Authorization/roleAssignments" for s in (SUB_A, SUB_B)}


def iam011(resources, parameters=None) -> dict[str, dict[str, str]]:
    catalog = load_catalog()
    eng = Engine(catalog, Config(parameters={"SAN-IAM-011": parameters} if parameters else {}))
    out: dict[str, dict[str, str]] = {}
    for f in eng.scan(resources, [catalog["SAN-IAM-011"]]).findings:
        out.setdefault(f.status, {})[f.resource.id] = f.message_en
    return out


def live(url, certificate):
    return collect("all", endpoint_url=url, credential=StaticCredential(), connection_verify=str(certificate[0]),
                   retry_total=0)


def test_live_admins_fail_and_nobody_else_is_listed(azure, certificate):
    _, url = azure
    coll = live(url, certificate)
    got = iam011(coll.resources)
    # Owner at a subscription, Contributor to a group, a custom role allowing *, Owner in both
    # subscriptions; not the Reader, the resource-group Owner or the service principal.
    assert set(got) == {"FAIL"}
    assert set(got["FAIL"]) == {U_OPS_OWNER, G_INFRA, U_CUSTOM_FULL, U_BREAK_GLASS}
    assert "Owner on /subscriptions/" in got["FAIL"][U_OPS_OWNER] and "(granted by:" in got["FAIL"][U_OPS_OWNER]
    assert f"Hospital Ops (full) on /subscriptions/{SUB_A}" in got["FAIL"][U_CUSTOM_FULL]
    r = {x.id: x for x in coll.resources}
    group, bg = r[G_INFRA], r[U_BREAK_GLASS]
    assert (group.kind, group.admin_grants, group.account, group.members) == (
        "identity.group", [f"Contributor on /subscriptions/{SUB_B}"], SUB_B, None)
    assert (bg.kind, bg.account, bg.access_keys) == ("identity.user", None, [])  # two subscriptions
    assert bg.admin_grants == [f"Owner on /subscriptions/{SUB_A}", f"Owner on /subscriptions/{SUB_B}"]
    assert "Entra ID" in bg.read_errors["console_access"]
    assert not UNREAD & set(r)
    # named as break-glass in sansho.yaml: not applicable, the others still fail
    named = iam011(coll.resources, {"break_glass_principals": [U_BREAK_GLASS]})
    assert set(named["NOT_APPLICABLE"]) == {U_BREAK_GLASS}
    assert set(named["FAIL"]) == {U_OPS_OWNER, G_INFRA, U_CUSTOM_FULL}


def test_refused_role_assignments_are_unknown_never_pass(azure_denying, certificate):
    fake, url = azure_denying
    fake.denied_tables.add("authorizationresources")
    coll = live(url, certificate)
    got = iam011(coll.resources)
    assert set(got) == {"UNKNOWN"} and set(got["UNKNOWN"]) == UNREAD
    assert all("AuthorizationFailed: Microsoft.ResourceGraph/resources/read" in m for m in got["UNKNOWN"].values())
    assert ("authorization", "Microsoft.ResourceGraph/resources/read") in {(e.service, e.api) for e in coll.errors}


def test_export_judges_the_same_admins_and_management_group_ones(estate, tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(estate.export_records()), encoding="utf-8")
    resources, _ = from_export(path, None)
    got = iam011(resources)
    # the export holds the management-group assignment too (User Access Administrator to a group)
    assert set(got) == {"FAIL"}
    assert set(got["FAIL"]) == {U_OPS_OWNER, G_INFRA, U_CUSTOM_FULL, U_BREAK_GLASS, G_MG_UAA}
    assert ("User Access Administrator on /providers/Microsoft.Management/managementGroups/hospital-root"
            in got["FAIL"][G_MG_UAA])


def test_export_without_role_assignments_is_unknown(estate, tmp_path):
    path = tmp_path / "old-query.json"
    path.write_text(json.dumps(estate.export_records(("resources", "securityresources", "resourcecontainers"))),
                    encoding="utf-8")
    resources, _ = from_export(path, None)
    got = iam011(resources)
    assert set(got) == {"UNKNOWN"} and set(got["UNKNOWN"]) == UNREAD
    assert all("authorizationresources part of the query" in m for m in got["UNKNOWN"].values())
