"""Resource Graph rows (plus management-plane details) → the normalized inventory model.

Live collection and ``--from-export`` both end here, so one estate gives one inventory whichever
way it was read. Facts the model has no field for stay in ``raw`` (secrets removed).
"""

from __future__ import annotations

import ipaddress
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from sansho.collectors.aws.core import medical_flag
from sansho.collectors.azure_documents import storage_account_public
from sansho.collectors.iac.tfazure import AZURE_SQL_DEFAULT_AUDIT_GROUPS
from sansho.policies.config import TagKeys
from sansho.policies.model import (
    AuditTrail,
    BackupVault,
    Database,
    Destination,
    Disk,
    FirewallRule,
    IdentityGroup,
    IdentityUser,
    Key,
    ObjectStorage,
    PortRange,
    Resource,
    SourceRef,
    ThreatDetection,
    derive_exposure,
)
from sansho.policies.netaddr import port_range_error
from sansho.policies.regions import azure_paired_region as paired_region

from .details import Details
from .rows import (
    RowError,
    duration_days,
    get_path,
    opt_bool,
    opt_dict,
    opt_int,
    opt_list,
    opt_str,
    parent_id,
    subscription_of,
    tags_of,
)
from .secrets import scrub, scrub_text

# Built-in roles that allow every action (Owner, Contributor) or can assign any role, Owner included, to
# anyone (User Access Administrator). Role definition IDs are the same in every tenant. Other built-in
# roles are Microsoft's fixed definitions and none allows every action; custom roles are judged from
# their definitions (``*`` or ``Microsoft.Authorization/*`` among the actions).
ADMIN_BUILTIN_ROLES = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
    "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
}
_ADMIN_ACTIONS = {"*", "microsoft.authorization/*"}
_PRINCIPALS = {"user": "user", "group": "group", "foreigngroup": "group"}
ENTRA_UNREAD = ("an Entra ID user, known from its Azure role assignments: its sign-in, MFA and group "
                "memberships are Entra ID's, which sansho does not read")

# Activity Log categories that record control-plane operations (who changed what).
_ADMIN_CATEGORIES = {"administrative"}
_ADMIN_GROUPS = {"alllogs", "audit"}
INTEGRITY_REASON = ("Azure Activity Log has no log-file integrity validation of its own; keep it in an "
                    "immutable storage account instead (SAN-LOG-003)")


class Normalizer:
    def __init__(self, details: Details, tag_keys: TagKeys | None, source: SourceRef,
                 secrets: tuple[str, ...] = ()):
        self.details = details
        self.keys = tag_keys or TagKeys()
        self.source = source
        self.secrets = secrets

    # -- shared ----------------------------------------------------------------------------
    def _common(self, row: dict[str, Any]) -> dict[str, Any]:
        rid = row["id"]
        tags = {k: scrub_text(v, self.secrets) for k, v in tags_of(row).items()}
        return dict(id=rid, name=opt_str(row, "name"), provider="azure",
                    account=opt_str(row, "subscriptionId") or subscription_of(rid),
                    region=opt_str(row, "location"), tags=tags, source=self.source.model_copy(),
                    holds_medical_data=medical_flag(tags, self.keys))

    def _raw(self, doc: dict[str, Any]) -> dict[str, Any]:
        return scrub(doc, self.secrets)

    # -- storage ---------------------------------------------------------------------------
    def storage(self, row: dict[str, Any]) -> ObjectStorage:
        rid, p, errors = row["id"], opt_dict(row, "properties") or {}, {}
        w = "properties."
        enc = opt_dict(p, "encryption", w)
        encrypted = key_by = key_id = None
        if enc is not None:
            # Azure Storage encrypts every account at rest; the key source says whose key it is.
            encrypted = True
            source = (opt_str(enc, "keySource", w + "encryption.") or "").lower()
            key_by = {"microsoft.keyvault": "customer", "microsoft.storage": "provider"}.get(source)
            uri, name = opt_str(enc, "keyvaultproperties.keyvaulturi"), opt_str(enc, "keyvaultproperties.keyname")
            if key_by == "customer" and uri and name:
                key_id = uri.rstrip("/") + "/keys/" + name
        blob, why_blob = self.details.get(rid, "blobService")
        containers, why_cont = self.details.get(rid, "containers")
        versioning = None
        if why_blob:
            errors["versioning"] = why_blob
        else:
            versioning = bool(opt_bool(blob, "properties.isVersioningEnabled", "blobService."))
        public = self._storage_public(p, containers, why_cont, errors)
        immutable, mode, retention = self._storage_immutability(p, containers, why_cont, errors)
        return ObjectStorage(
            **self._common(row), encrypted=encrypted, key_managed_by=key_by, kms_key_id=key_id,
            public=public, tls_required=opt_bool(p, "supportsHttpsTrafficOnly", w),
            min_tls_version=opt_str(p, "minimumTlsVersion", w), versioning=versioning, immutable=immutable,
            immutability_mode=mode, retention_days=retention, destinations=self._storage_copies(row, p),
            read_errors=errors,
            raw=self._raw({**row, "management": self.details.documents(rid, "blobService", "containers")}),
        )

    def _storage_public(self, p: dict, containers: Any, why: str | None, errors: dict[str, str]) -> bool | None:
        """SAN-NET-003 from the account's own properties (which Resource Graph shows) where they decide,
        else from the containers' public access levels (a management-plane read)."""
        allow = opt_bool(p, "allowBlobPublicAccess", "properties.")
        # Unset: Azure permits anonymous access on accounts that never set it.
        anonymous = True if allow is None else allow
        access = (opt_str(p, "publicNetworkAccess", "properties.") or "enabled").lower()
        public_network = {"enabled": True, "disabled": False}.get(access)  # SecuredByPerimeter: its rules decide
        acls = opt_dict(p, "networkAcls", "properties.")
        action = (opt_str(acls, "defaultAction", "properties.networkAcls.") or "").lower() or None if acls else None
        ip_rules = bool(opt_list(acls, "ipRules", "properties.networkAcls.")) if acls is not None else None
        levels = None if why else [opt_str(c, "properties.publicAccess") or "none" for c in containers or []]
        public = storage_account_public(anonymous, public_network, action, ip_rules, levels)
        if public is None:
            errors["public"] = why or "the account's anonymous access and network access could not be read"
        return public

    def _storage_immutability(self, p: dict, containers: Any, why: str | None,
                              errors: dict[str, str]) -> tuple[bool | None, str | None, int | None]:
        w = "properties.immutableStorageWithVersioning."
        if opt_bool(p, "immutableStorageWithVersioning.enabled", "properties.") is True:
            state = (opt_str(p, "immutableStorageWithVersioning.immutabilityPolicy.state", w) or "").lower()
            if state in ("locked", "unlocked"):
                return True, state, opt_int(
                    p, "immutableStorageWithVersioning.immutabilityPolicy.immutabilityPeriodSinceCreationInDays", w)
        if why:
            errors["immutable"] = why
            return None, None, None
        # Without an account-wide default, every container must carry its own policy.
        states, periods = [], []
        for c in containers or []:
            pol = opt_dict(c, "properties.immutabilityPolicy.properties") or {}
            if not (opt_bool(c, "properties.hasImmutabilityPolicy") or pol):
                return False, None, None
            states.append((opt_str(pol, "state") or "").lower())
            if opt_int(pol, "immutabilityPeriodSinceCreationInDays") is not None:
                periods.append(opt_int(pol, "immutabilityPeriodSinceCreationInDays"))
        if not states:
            return False, None, None
        mode = "locked" if all(s == "locked" for s in states) else "unlocked"
        return True, mode, min(periods) if periods else None

    def _storage_copies(self, row: dict, p: dict) -> list[Destination] | None:
        sku = (opt_str(row, "sku.name") or "").lower()
        if not sku:
            return None
        if "grs" not in sku and "gzrs" not in sku:
            return []
        region = opt_str(p, "secondaryLocation", "properties.") or paired_region(opt_str(row, "location"))
        return [Destination(relation="geo_secondary", target=f"{row.get('name')} (secondary)", provider="azure",
                            account=opt_str(row, "subscriptionId"), region=region)]

    # -- SQL -------------------------------------------------------------------------------
    def sql_database(self, row: dict[str, Any], servers: dict[str, dict[str, Any]]) -> Database | None:
        if row["id"].rstrip("/").lower().endswith("/databases/master"):
            return None  # the logical server's system database holds no application data
        server = servers.get(parent_id(row["id"]).lower())
        rid, p, errors = row["id"], opt_dict(row, "properties") or {}, {}
        sid = parent_id(rid)
        sp = opt_dict(server, "properties") or {} if server else {}
        tde, why = self.details.get(rid, "tde")
        encrypted = None
        if why:
            errors["encrypted"] = why
        else:
            encrypted = (opt_str(tde, "properties.state", "tde.") or "").lower() == "enabled"
        key_by = key_id = None
        protector, why = self.details.get(sid, "protector")
        if why:
            errors["key_managed_by"] = why
        else:
            kind = (opt_str(protector, "properties.serverKeyType", "encryptionProtector.") or "").lower()
            key_by = {"azurekeyvault": "customer", "servicemanaged": "provider"}.get(kind)
            key_id = opt_str(protector, "properties.uri") if key_by == "customer" else None
        retention, why = self.details.get(rid, "retention")
        retention_days = None
        if why:
            errors["backup_retention_days"] = why
        else:
            retention_days = opt_int(retention, "properties.retentionDays", "backupShortTermRetentionPolicy.")
        return Database(
            **self._common(row), engine="azuresql", encrypted=encrypted, key_managed_by=key_by, kms_key_id=key_id,
            publicly_accessible=self._sql_public(sid, server, sp, errors),
            # Azure SQL Database encrypts every connection; a client cannot turn TLS off.
            tls_required=True if server is not None else None,
            backup_retention_days=retention_days, destinations=self._sql_copies(row, p, errors),
            **self._sql_auditing(rid, sid, server, errors), read_errors=errors,
            raw=self._raw({"database": row, "server": server,
                           "management": {**self.details.documents(rid, "tde", "retention", "replicationLinks",
                                                                   "databaseAuditing"),
                                          **self.details.documents(sid, "firewallRules", "auditing", "protector")}}),
        )

    def _sql_auditing(self, rid: str, sid: str, server: dict | None, errors: dict[str, str]) -> dict[str, Any]:
        """SAN-LOG-007: the server's auditing policy audits every database on the server, a database's own
        policy (``databases/{name}/auditingSettings/default``) that database; either one Enabled is enough
        (neither can be Enabled without a destination). Not audited only when both were read and neither
        is Enabled; when one was not read and the other is not Enabled, it is not known, with the reason.
        ``audit_classes``: the action groups of every Enabled policy (``auditActionsAndGroups``; none named
        means Azure's default groups); not known while one policy was not read."""
        server_on, server_why, server_groups = self._auditing_state(sid, "auditing", "server") \
            if server is not None else (None, "the database's SQL server was not among the Resource Graph results", [])
        db_on, db_why, db_groups = self._auditing_state(rid, "databaseAuditing", "database")
        if server_on or db_on:
            if server_why or db_why:
                errors["audit_classes"] = ("the action groups of the other auditing policy were not read: "
                                           + "; ".join(w for w in (server_why, db_why) if w))
                return {"audit_logging": True, "audit_classes": None}
            groups = (server_groups if server_on else []) + (db_groups if db_on else [])
            return {"audit_logging": True, "audit_classes": list(dict.fromkeys(groups))}
        if server_why or db_why:
            errors["audit_logging"] = "; ".join(w for w in (server_why, db_why) if w)
            return {"audit_logging": None}
        return {"audit_logging": False}

    def _auditing_state(self, resource_id: str, name: str, level: str) -> tuple[bool | None, str | None, list[str]]:
        doc, why = self.details.get(resource_id, name)
        if why:
            return None, why, []
        w = f"{level}AuditingSettings."
        state = (opt_str(doc, "properties.state", w) or "").lower()
        if state not in ("enabled", "disabled"):
            return None, f"the {level} auditing state {state or '(none)'!r} is not understood", []
        groups = [str(g).upper() for g in opt_list(doc, "properties.auditActionsAndGroups", w) or []]
        return state == "enabled", None, groups or list(AZURE_SQL_DEFAULT_AUDIT_GROUPS)

    def _sql_public(self, sid: str, server: dict | None, sp: dict, errors: dict[str, str]) -> bool | None:
        if server is None:
            errors["publicly_accessible"] = "the database's SQL server was not among the Resource Graph results"
            return None
        if (opt_str(sp, "publicNetworkAccess", "server.properties.") or "").lower() == "disabled":
            return False
        rules, why = self.details.get(sid, "firewallRules")
        if why:
            errors["publicly_accessible"] = why
            return None
        return any(_covers_internet(opt_str(r, "properties.startIpAddress"), opt_str(r, "properties.endIpAddress"))
                   for r in rules or [])

    def _sql_copies(self, row: dict, p: dict, errors: dict[str, str]) -> list[Destination] | None:
        links, why = self.details.get(row["id"], "replicationLinks")
        if why:
            errors["destinations"] = why
            return None
        out = []
        for link in links or []:
            lp = opt_dict(link, "properties") or {}
            if (opt_str(lp, "role") or "").lower() not in ("primary", ""):
                continue  # a secondary's link points back at its primary
            out.append(Destination(
                relation="replication", provider="azure", region=opt_str(lp, "partnerLocation"),
                target=f"{opt_str(lp, 'partnerServer')}/{opt_str(lp, 'partnerDatabase')}",
                account=subscription_of(opt_str(lp, "partnerServerId") or "") or opt_str(row, "subscriptionId")))
        redundancy = (opt_str(p, "currentBackupStorageRedundancy", "properties.") or "").lower()
        if redundancy in ("geo", "geozone"):
            out.append(Destination(relation="backup_copy", target="geo-redundant backup storage", provider="azure",
                                   account=opt_str(row, "subscriptionId"),
                                   region=paired_region(opt_str(row, "location"))))
        return out

    # -- disks -----------------------------------------------------------------------------
    def disk(self, row: dict[str, Any]) -> Disk:
        p = opt_dict(row, "properties") or {}
        kind = opt_str(p, "encryption.type", "properties.")
        encrypted = key_by = None
        if kind:
            # Managed disks are always encrypted at rest; the type says with whose key.
            encrypted = True
            key_by = "customer" if "customerkey" in kind.lower() else "provider"
        return Disk(**self._common(row), encrypted=encrypted, key_managed_by=key_by,
                    kms_key_id=opt_str(p, "encryption.diskEncryptionSetId", "properties.") if key_by == "customer"
                    else None, attached_to=opt_str(row, "managedBy"), raw=self._raw(row))

    # -- network security groups -------------------------------------------------------------
    def nsg_rules(self, row: dict[str, Any]) -> list[FirewallRule]:
        p = opt_dict(row, "properties") or {}
        attached = [opt_str(x, "id") for key in ("subnets", "networkInterfaces")
                    for x in opt_list(p, key, "properties.") or []]
        out = []
        for i, rule in enumerate(opt_list(p, "securityRules", "properties.") or []):
            w = f"properties.securityRules[{i}]."
            if not isinstance(rule, dict):
                raise RowError(w[:-1], "expected an object")
            rp = opt_dict(rule, "properties", w) or {}
            rname = opt_str(rule, "name", w) or str(i)
            common = self._common(row)
            common.update(id=opt_str(rule, "id", w) or f"{row['id']}/securityRules/{rname}",
                          name=f"{row.get('name')}/{rname}")
            direction = {"inbound": "ingress", "outbound": "egress"}.get((opt_str(rp, "direction") or "").lower())
            action = {"allow": "allow", "deny": "deny"}.get((opt_str(rp, "access") or "").lower())
            protocol = opt_str(rp, "protocol", w + "properties.")
            sources = [s for s in [opt_str(rp, "sourceAddressPrefix", w + "properties.")] if s]
            sources += [str(s) for s in opt_list(rp, "sourceAddressPrefixes", w + "properties.") or []]
            sources += [opt_str(a, "id") or "" for a in opt_list(rp, "sourceApplicationSecurityGroups") or []]
            out.append(FirewallRule(
                **common, direction=direction, action=action,
                protocol=None if protocol is None else ("all" if protocol == "*" else protocol.lower()),
                sources=sources, ports=_ports(rp, w + "properties."),
                attached_to=[a for a in attached if a], group=row["id"],
                raw=self._raw({"rule": rule, "networkSecurityGroup": row["id"],
                               "priority": get_path(rp, "priority")}),
            ))
        derive_exposure(out)  # an NSG admits the union of its allow rules' sources
        return out

    # -- Key Vault -------------------------------------------------------------------------
    def vault_keys(self, row: dict[str, Any]) -> list[Key]:
        keys, why = self.details.get(row["id"], "keys")
        if why:
            return []  # the error is recorded against the vault; no key is known to judge
        vault = {k: row.get(k) for k in ("id", "name", "location", "subscriptionId", "properties")}
        out = []
        for i, k in enumerate(keys or []):
            w = f"keys[{i}]."
            kp = opt_dict(k, "properties", w) or {}
            common = self._common(row)
            common.update(id=opt_str(k, "id", w) or f"{row['id']}/keys/{i}", name=f"{row.get('name')}/{k.get('name')}",
                          tags=tags_of(k))
            common["holds_medical_data"] = medical_flag(common["tags"], self.keys)
            errors: dict[str, str] = {}
            rotation_enabled, period = _rotation(opt_dict(kp, "rotationPolicy", w + "properties."), errors)
            enabled = opt_bool(kp, "attributes.enabled", w + "properties.")
            out.append(Key(**common, key_managed_by="customer", rotation_enabled=rotation_enabled,
                           rotation_period_days=period,
                           state=None if enabled is None else ("enabled" if enabled else "disabled"),
                           read_errors=errors, raw=self._raw({"key": k, "vault": vault})))
        return out

    # -- backup vaults ---------------------------------------------------------------------
    def backup_vault(self, row: dict[str, Any]) -> BackupVault:
        p = opt_dict(row, "properties") or {}
        w = "properties."
        recovery_services = row["type"].lower() == "microsoft.recoveryservices/vaults"
        state = (opt_str(p, "securitySettings.immutabilitySettings.state", w) or "disabled").lower()
        if recovery_services:
            soft = opt_str(p, "securitySettings.softDeleteSettings.softDeleteState", w)
            soft_delete = None if soft is None else soft.lower() in ("enabled", "alwayson")
            redundancy = opt_str(p, "redundancySettings.standardTierStorageRedundancy", w)
            geo = None if redundancy is None else redundancy.lower() == "georedundant"
        else:
            soft = opt_str(p, "securitySettings.softDeleteSettings.state", w)
            soft_delete = None if soft is None else soft.lower() in ("on", "alwayson")
            settings = opt_list(p, "storageSettings", w)
            geo = None if settings is None else any((opt_str(s, "type") or "").lower() == "georedundant"
                                                    for s in settings)
        destinations = None
        if geo is not None:
            destinations = [Destination(relation="geo_secondary", target=f"{row.get('name')} (paired region)",
                                        provider="azure", account=opt_str(row, "subscriptionId"),
                                        region=paired_region(opt_str(row, "location")))] if geo else []
        # Azure Backup encrypts every recovery point at rest (platform key unless a customer key is set).
        # Immutability on is ``immutable``; whether it is locked is the mode: an unlocked setting can be
        # turned off by a privileged user, so SAN-BKP-002 does not count it (as the IaC reader reads it).
        immutable = state in ("locked", "unlocked")
        return BackupVault(**self._common(row), encrypted=True, immutable=immutable,
                           immutability_mode=state if immutable else None, soft_delete=soft_delete,
                           destinations=destinations, raw=self._raw(row))

    # -- principals with full administrative rights (SAN-IAM-011) ----------------------------------
    def principals(self, assignments: list[dict[str, Any]], definitions: list[dict[str, Any]],
                   subscriptions: dict[str, str | None], unread: dict[str, str],
                   on_error: Callable[[dict[str, Any], RowError], None] | None = None) -> list[Resource]:
        """Users and groups assigned an administrative role at subscription, management-group or root
        scope, one resource per principal with every such assignment as evidence. Principals
        without one are not listed: their rights may also come through Entra ID groups and
        management groups that are not read, so no PASS could be proven for them. Subscriptions
        whose role assignments were not read get one unread entry each (UNKNOWN)."""
        roles = {(r["id"].rstrip("/").rsplit("/", 1)[-1]).lower(): r for r in definitions}
        found: dict[str, dict[str, Any]] = {}
        for row in assignments:
            try:
                p = opt_dict(row, "properties") or {}
                kind = _PRINCIPALS.get((opt_str(p, "principalType", "properties.") or "").lower())
                principal = opt_str(p, "principalId", "properties.")
                if kind is None or not principal:
                    continue  # service principals, managed identities, devices: not people
                head = row["id"].lower().split("/providers/microsoft.authorization/roleassignments/")[0]
                scope = opt_str(p, "scope", "properties.") or (head if head else "/")
                if not _account_wide(scope):
                    continue  # a resource group or one resource: not the whole account
                role = self._admin_role(opt_str(p, "roleDefinitionId", "properties.") or "", roles)
            except RowError as e:
                if on_error is None:
                    raise
                on_error(row, e)
                continue
            if role is None:
                continue
            entry = found.setdefault(principal.lower(), {"kind": kind, "grants": [], "subs": set(), "rows": []})
            entry["grants"].append(f"{role} on {scope}")
            sub = subscription_of(scope)
            if sub:
                entry["subs"].add(sub)
            entry["rows"].append(self._raw(row))
        out: list[Resource] = []
        for principal, e in sorted(found.items()):
            common: dict[str, Any] = dict(
                id=principal, name=principal, provider="azure",
                account=next(iter(e["subs"])) if len(e["subs"]) == 1 else None, source=self.source.model_copy(),
                purpose="user", admin_rights=True, admin_grants=sorted(set(e["grants"])),
                raw={"principalType": e["kind"], "roleAssignments": e["rows"]})
            if e["kind"] == "user":
                fields = ("console_access", "shared", "last_used")  # what the user controls read first
                # An Entra ID user has no long-term cloud API keys of its own: read, and none.
                out.append(IdentityUser(**common, access_keys=[], read_errors=dict.fromkeys(fields, ENTRA_UNREAD)))
            else:
                out.append(IdentityGroup(**common, read_errors={
                    "members": "an Entra ID group: its members are Entra ID's, which sansho does not read"}))
        for sub, reason in sorted(unread.items()):
            out.append(IdentityGroup(
                id=f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleAssignments",
                name=f"Role assignments ({subscriptions.get(sub) or sub})", provider="azure", account=sub,
                source=self.source.model_copy(), read_errors={"admin_rights": reason}))
        return out

    @staticmethod
    def _admin_role(definition_id: str, roles: dict[str, dict[str, Any]]) -> str | None:
        """The role's name when it grants full administrative rights, else None."""
        guid = definition_id.rstrip("/").rsplit("/", 1)[-1].lower()
        if guid in ADMIN_BUILTIN_ROLES:
            return ADMIN_BUILTIN_ROLES[guid]
        role = roles.get(guid)
        if role is None:
            return None  # not a custom role the data holds: a built-in one other than those above
        p = opt_dict(role, "properties") or {}
        actions = {str(a).lower() for perm in opt_list(p, "permissions", "properties.") or [] if isinstance(perm, dict)
                   for a in opt_list(perm, "actions") or []}
        if actions & _ADMIN_ACTIONS:
            return opt_str(p, "roleName", "properties.") or guid
        return None

    # -- subscription-level ----------------------------------------------------------------
    def activity_log(self, subscription: str, name: str | None, storage: dict[str, ObjectStorage],
                     workspaces: dict[str, dict[str, Any]]) -> AuditTrail:
        sid = f"/subscriptions/{subscription}"
        common = dict(id=f"{sid}/providers/Microsoft.Insights/diagnosticSettings",
                      name=f"Activity Log ({name or subscription})", provider="azure", account=subscription,
                      source=self.source.model_copy())
        settings, why = self.details.get(sid, "diagnosticSettings")
        if why:
            fields = ("enabled", "multi_region", "destination", "destination_immutable",
                      "destination_immutability_mode", "retention_days")
            return AuditTrail(**common, read_errors={**{f: why for f in fields},
                                                     "integrity_validation": INTEGRITY_REASON})
        exporting = [s for s in settings or [] if _exports_admin_log(s)]
        errors = {"integrity_validation": INTEGRITY_REASON}
        raw = self._raw({"diagnosticSettings": settings})
        if not exporting:
            errors["destination_immutable"] = ("no diagnostic setting exports the Activity Log, so it is kept only "
                                               "by Azure, for 90 days")
            return AuditTrail(**common, enabled=True, multi_region=True, destination="Azure Activity Log (90 days)",
                              retention_days=90, read_errors=errors, raw=raw)
        # Prefer a storage-account destination: it is the one that can be made write-once.
        best = sorted(exporting, key=lambda s: opt_str(s, "properties.storageAccountId") is None)[0]
        storage_id = opt_str(best, "properties.storageAccountId")
        workspace_id = opt_str(best, "properties.workspaceId")
        destination = storage_id or workspace_id or opt_str(best, "properties.eventHubAuthorizationRuleId")
        immutable = retention = mode = None
        if storage_id:
            acct = storage.get(storage_id.lower())
            if acct is None:
                errors["destination_immutable"] = errors["retention_days"] = (
                    f"the destination storage account {storage_id} was not among the collected accounts")
            else:
                immutable, mode = acct.immutable, acct.immutability_mode
                if immutable is None:
                    errors["destination_immutable"] = acct.read_errors.get("immutable", "not read")
                elif immutable and mode is None:
                    errors["destination_immutability_mode"] = "the destination account's immutability state was not read"
                retention = acct.retention_days if acct.immutable else None
                if retention is None:
                    errors["retention_days"] = ("the destination storage account keeps no time-based immutability "
                                                "period, so how long the logs are kept was not read")
        elif workspace_id:
            ws = workspaces.get(workspace_id.lower())
            retention = opt_int(ws, "properties.retentionInDays") if ws else None
            if retention is None:
                errors["retention_days"] = f"the retention of workspace {workspace_id} was not read"
            immutable = False  # a Log Analytics workspace is not write-once storage
        else:
            errors["destination_immutable"] = errors["retention_days"] = (
                "the Activity Log goes to an event hub or partner solution, which sansho cannot read")
        return AuditTrail(**common, enabled=True, multi_region=True, destination=destination,
                          destination_immutable=immutable, destination_immutability_mode=mode,
                          retention_days=retention, read_errors=errors, raw=raw)

    def defender_plan(self, row: dict[str, Any]) -> ThreatDetection | None:
        p = opt_dict(row, "properties") or {}
        if opt_bool(p, "deprecated", "properties.") is True:
            return None  # a retired plan can no longer be turned on
        tier = opt_str(p, "pricingTier", "properties.")
        common = self._common(row)
        common["region"] = None  # plans are per subscription; Resource Graph may report a location
        return ThreatDetection(**common, service=f"Microsoft Defender for Cloud: {row.get('name')}",
                               enabled=None if tier is None else tier.lower() == "standard", raw=self._raw(row))

    def defender_unread(self, subscription: str, reason: str) -> ThreatDetection:
        return ThreatDetection(id=f"/subscriptions/{subscription}/providers/Microsoft.Security/pricings",
                               name="Microsoft Defender for Cloud", provider="azure", account=subscription,
                               service="Microsoft Defender for Cloud", source=self.source.model_copy(),
                               read_errors={"enabled": reason})


def _account_wide(scope: str) -> bool:
    """A subscription, a management group or the tenant root: not a resource group or one resource."""
    s = scope.rstrip("/").lower()
    return s == "" or bool(re.fullmatch(r"/subscriptions/[^/]+|/providers/microsoft\.management/managementgroups/[^/]+",
                                        s))


def _covers_internet(start: str | None, end: str | None) -> bool:
    if not start or not end:
        return False
    try:
        lo, hi = ipaddress.IPv4Address(start), ipaddress.IPv4Address(end)
    except ValueError:
        return False
    return lo == ipaddress.IPv4Address("0.0.0.0") and hi == ipaddress.IPv4Address("255.255.255.255")


def _ports(rp: dict[str, Any], where: str) -> list[PortRange]:
    specs = [s for s in [opt_str(rp, "destinationPortRange", where)] if s]
    specs += [str(s) for s in opt_list(rp, "destinationPortRanges", where) or []]
    out = []
    for spec in specs:
        spec = spec.strip()
        if spec == "*":
            return []  # every port
        lo, _, hi = spec.partition("-")
        try:
            lo_i, hi_i = int(lo), int(hi or lo)
        except ValueError:
            raise RowError(where + "destinationPortRange", f"not a port or port range: {spec!r}") from None
        why = port_range_error(lo_i, hi_i)
        if why:
            raise RowError(where + "destinationPortRange", why)
        out.append(PortRange(from_port=lo_i, to_port=hi_i))
    return out


def _rotation(policy: dict[str, Any] | None, errors: dict[str, str]) -> tuple[bool, int | None]:
    if not policy:
        return False, None
    for action in opt_list(policy, "lifetimeActions") or []:
        if (opt_str(action, "action.type") or "").lower() != "rotate":
            continue
        trigger = opt_dict(action, "trigger") or {}
        after = duration_days(opt_str(trigger, "timeAfterCreate"))
        if after is not None:
            return True, after
        expiry = duration_days(opt_str(policy, "attributes.expiryTime"))
        before = duration_days(opt_str(trigger, "timeBeforeExpiry"))
        if expiry is not None and before is not None:
            return True, expiry - before
        errors["rotation_period_days"] = "the rotation policy's interval could not be read as a duration"
        return True, None
    return False, None


def _exports_admin_log(setting: dict[str, Any]) -> bool:
    p = opt_dict(setting, "properties") or {}
    if not any(opt_str(p, k) for k in ("storageAccountId", "workspaceId", "eventHubAuthorizationRuleId",
                                       "marketplacePartnerId")):
        return False
    for log in opt_list(p, "logs") or []:
        if opt_bool(log, "enabled") is not True:
            continue
        if (opt_str(log, "category") or "").lower() in _ADMIN_CATEGORIES:
            return True
        if (opt_str(log, "categoryGroup") or "").lower() in _ADMIN_GROUPS:
            return True
    return False


def normalize(rows: Iterable[dict[str, Any]], norm: Normalizer, subscriptions: dict[str, str | None],
              defender_unread: dict[str, str] | None = None,
              on_error: Callable[[dict[str, Any], RowError], None] | None = None,
              rbac_unread: dict[str, str] | None = None) -> list[Resource]:
    """Every resource of ``rows``; ``subscriptions`` (ID → display name) get an Activity Log
    trail each, those in ``defender_unread`` (ID → reason) an unread Defender entry, and those in
    ``rbac_unread`` an unread role-assignments entry.

    ``on_error`` receives a row whose fields are malformed; without it the error propagates."""
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_type[row["type"].lower()].append(row)
    out: list[Resource] = []

    def each(type_: str, fn: Callable[[dict[str, Any]], Any]) -> list[Any]:
        made = []
        for row in by_type.get(type_, []):
            try:
                r = fn(row)
            except RowError as e:
                if on_error is None:
                    raise
                on_error(row, e)
                continue
            made.extend(r if isinstance(r, list) else [r] if r is not None else [])
        return made

    accounts = each("microsoft.storage/storageaccounts", norm.storage)
    out += accounts
    servers = {r["id"].lower(): r for r in by_type.get("microsoft.sql/servers", [])}
    out += each("microsoft.sql/servers/databases", lambda row: norm.sql_database(row, servers))
    out += each("microsoft.compute/disks", norm.disk)
    out += each("microsoft.network/networksecuritygroups", norm.nsg_rules)
    out += each("microsoft.keyvault/vaults", norm.vault_keys)
    out += each("microsoft.recoveryservices/vaults", norm.backup_vault)
    out += each("microsoft.dataprotection/backupvaults", norm.backup_vault)
    out += each("microsoft.security/pricings", norm.defender_plan)
    storage = {a.id.lower(): a for a in accounts}
    workspaces = {r["id"].lower(): r for r in by_type.get("microsoft.operationalinsights/workspaces", [])}
    for sub, name in sorted(subscriptions.items()):
        out.append(norm.activity_log(sub, name, storage, workspaces))
    for sub, reason in sorted((defender_unread or {}).items()):
        out.append(norm.defender_unread(sub, reason))
    out += norm.principals(by_type.get("microsoft.authorization/roleassignments", []),
                           by_type.get("microsoft.authorization/roledefinitions", []), subscriptions,
                           {s: r for s, r in (rbac_unread or {}).items() if s in subscriptions}, on_error)
    out.sort(key=lambda r: (r.kind, r.id))
    return out
