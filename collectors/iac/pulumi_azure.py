"""Pulumi azure-native resources → azurerm-shaped :class:`~.tfaws.TfRes` for :mod:`.tfazure`.

pulumi-azure-native is generated from the Azure Resource Manager API, not bridged from Terraform: its
inputs are the ARM request bodies (``sku.name``, ``encryption.keySource``, ``properties.…``), so
they are mapped here onto the azurerm attributes :class:`~.tfazure.AzureNormalizer` already reads.
Only names and shapes are mapped; every judgement stays in the normalizer and the rules.

``keys`` (azurerm attribute → Pulumi property) lets :class:`~.pulumi.PulumiLinks` follow a property's
dependency URNs where a reference is known only after ``pulumi up``. Two azure-native resources are
settings of another (``storage:BlobServiceProperties`` holds an account's versioning,
``sql:BackupShortTermRetentionPolicy`` a database's point-in-time-restore retention): :func:`fold`
puts them onto their parent as the azurerm block; one that cannot be joined makes the field
UNKNOWN on every candidate parent, never a default that passes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .common import Unresolved

PREFIX = "azure-native:"

Attrs = dict[str, Any]
Keys = dict[str, str]

_ABSENT = object()


def _get(m: Any, *path: str) -> Any:
    for p in path:
        if not isinstance(m, Mapping) or p not in m:
            return _ABSENT
        m = m[p]
    return m


def _put(out: Attrs, keys: Keys, attr: str, value: Any, prop: str) -> None:
    if value is not _ABSENT and value is not None:
        out[attr] = value
        keys[attr] = prop


def _enabled(v: Any) -> Any:
    """``"Enabled"``/``"Disabled"`` → bool; unknowns pass through as they are (Unresolved)."""
    if isinstance(v, str):
        return {"enabled": True, "disabled": False}.get(v.lower(), Unresolved(f"{v!r}"))
    return v


def _copy(i: Mapping[str, Any], renames: Mapping[str, str], out: Attrs | None = None,
          keys: Keys | None = None, flags: frozenset[str] = frozenset()) -> tuple[Attrs, Keys]:
    """Copy each present input (Pulumi name → azurerm name); ``flags``: Enabled/Disabled → bool."""
    out = {} if out is None else out
    keys = {} if keys is None else keys
    for prop, attr in renames.items():
        v = i.get(prop, _ABSENT)
        _put(out, keys, attr, _enabled(v) if prop in flags and v is not _ABSENT else v, prop)
    return out, keys


def _common(i: Mapping[str, Any], name_prop: str) -> tuple[Attrs, Keys]:
    return _copy(i, {name_prop: "name", "location": "location", "tags": "tags",
                     "resourceGroupName": "resource_group_name"})


def resource_group(i: Mapping[str, Any]) -> tuple[Attrs, Keys]:
    return _common(i, "resourceGroupName")


def storage_account(i: Mapping[str, Any]) -> tuple[Attrs, Keys]:
    out, keys = _common(i, "accountName")
    sku = _get(i, "sku", "name")
    if isinstance(sku, str):
        # Standard_GZRS → GZRS (Premium_LRS → LRS)
        _put(out, keys, "account_replication_type", sku.rsplit("_", 1)[-1], "sku")
    elif sku is not _ABSENT:
        _put(out, keys, "account_replication_type", sku, "sku")
    _copy(i, {"enableHttpsTrafficOnly": "https_traffic_only_enabled", "minimumTlsVersion": "min_tls_version",
              "allowBlobPublicAccess": "allow_nested_items_to_be_public",
              "publicNetworkAccess": "public_network_access_enabled"}, out, keys,
          frozenset({"publicNetworkAccess"}))
    rules = i.get("networkRuleSet", _ABSENT)
    if isinstance(rules, Mapping):
        block: Attrs = {}
        if "defaultAction" in rules:
            block["default_action"] = rules["defaultAction"]
        if "ipRules" in rules:
            ips = rules["ipRules"]
            block["ip_rules"] = [r.get("iPAddressOrRange", r.get("ipAddressOrRange")) if isinstance(r, Mapping)
                                 else r for r in ips] if isinstance(ips, list) else ips
        _put(out, keys, "network_rules", [block], "networkRuleSet")
    elif rules is not _ABSENT:
        _put(out, keys, "network_rules", [{"default_action": rules}], "networkRuleSet")
    enc = i.get("encryption", _ABSENT)
    source = _get(enc, "keySource")
    if isinstance(source, str) and source.lower() == "microsoft.keyvault":
        key = _get(enc, "keyVaultProperties", "keyName")
        _put(out, keys, "customer_managed_key",
             [{"key_vault_key_id": key if key is not _ABSENT else Unresolved("encryption.keyVaultProperties.keyName "
                                                                             "is not set")}], "encryption")
    elif isinstance(source, Unresolved):
        _put(out, keys, "customer_managed_key", [{"key_vault_key_id": source}], "encryption")
    imm = _get(i, "immutableStorageWithVersioning")
    if isinstance(imm, Mapping):
        pol = imm.get("immutabilityPolicy")
        on = imm.get("enabled")
        if isinstance(pol, Mapping):
            block = {"state": pol.get("state", Unresolved("immutabilityPolicy.state is not set"))}
            if "immutabilityPeriodSinceCreationInDays" in pol:
                block["period_since_creation_in_days"] = pol["immutabilityPeriodSinceCreationInDays"]
            if on is False:
                block["state"] = "Disabled"
            _put(out, keys, "immutability_policy", [block], "immutableStorageWithVersioning")
        elif isinstance(on, Unresolved):
            _put(out, keys, "immutability_policy", [{"state": on}], "immutableStorageWithVersioning")
    elif isinstance(imm, Unresolved):
        _put(out, keys, "immutability_policy", [{"state": imm}], "immutableStorageWithVersioning")
    return out, keys


def blob_service_properties(i: Mapping[str, Any]) -> tuple[Attrs, Keys]:
    return _copy(i, {"accountName": "storage_account_name", "isVersioningEnabled": "versioning_enabled"})


def key_vault(i: Mapping[str, Any]) -> tuple[Attrs, Keys]:
    out, keys = _common(i, "vaultName")
    props = i.get("properties")
    if isinstance(props, Mapping):
        attrs, _ = _copy(props, {"enablePurgeProtection": "purge_protection_enabled",
                                 "publicNetworkAccess": "public_network_access_enabled"},
                         flags=frozenset({"publicNetworkAccess"}))
        out.update(attrs)
        keys.update(dict.fromkeys(attrs, "properties"))
    return out, keys


def key_vault_key(i: Mapping[str, Any]) -> tuple[Attrs, Keys]:
    out, keys = _common(i, "keyName")
    _put(out, keys, "key_vault_id", i.get("vaultName", _ABSENT), "vaultName")
    props = i.get("properties")
    policy = _get(props, "rotationPolicy")
    if isinstance(policy, Unresolved):
        _put(out, keys, "rotation_policy", [{"automatic": [{"time_after_create": policy}]}], "properties")
    elif isinstance(policy, Mapping):
        actions = policy.get("lifetimeActions")
        block: Attrs = {}
        expiry = _get(policy, "attributes", "expiryTime")
        if expiry is not _ABSENT:
            block["expire_after"] = expiry
        for a in actions if isinstance(actions, list) else []:
            kind = _get(a, "action", "type")
            if isinstance(kind, str) and kind.lower() == "rotate":
                trig = _get(a, "trigger") if isinstance(a, Mapping) else {}
                auto = {k_tf: trig[k] for k, k_tf in (("timeAfterCreate", "time_after_create"),
                                                       ("timeBeforeExpiry", "time_before_expiry"))
                        if isinstance(trig, Mapping) and k in trig}
                block["automatic"] = [auto or {"time_after_create": Unresolved("trigger is not set")}]
            elif isinstance(kind, Unresolved):
                block["automatic"] = [{"time_after_create": kind}]
        if isinstance(actions, Unresolved):
            block["automatic"] = [{"time_after_create": actions}]
        _put(out, keys, "rotation_policy", [block], "properties")
    return out, keys


def _rule(r: Mapping[str, Any]) -> Attrs:
    out = {k_tf: r[k] for k, k_tf in (
        ("name", "name"), ("priority", "priority"), ("direction", "direction"), ("access", "access"),
        ("protocol", "protocol"), ("sourcePortRange", "source_port_range"),
        ("destinationPortRange", "destination_port_range"), ("destinationPortRanges", "destination_port_ranges"),
        ("sourceAddressPrefix", "source_address_prefix"), ("sourceAddressPrefixes", "source_address_prefixes"),
        ("destinationAddressPrefix", "destination_address_prefix"),
        ("destinationAddressPrefixes", "destination_address_prefixes")) if k in r}
    asgs = r.get("sourceApplicationSecurityGroups")
    if isinstance(asgs, list):
        out["source_application_security_group_ids"] = [a.get("id") if isinstance(a, Mapping) else a for a in asgs]
    return out


def network_security_group(i: Mapping[str, Any]) -> tuple[Attrs, Keys]:
    out, keys = _common(i, "networkSecurityGroupName")
    rules = i.get("securityRules", _ABSENT)
    if isinstance(rules, list):
        _put(out, keys, "security_rule", [_rule(r) if isinstance(r, Mapping) else r for r in rules], "securityRules")
    return out, keys


def security_rule(i: Mapping[str, Any]) -> tuple[Attrs, Keys]:
    out = _rule({**i, "name": i.get("securityRuleName", i.get("name"))})
    return _copy(i, {"networkSecurityGroupName": "network_security_group_name"}, out)


def sql_server(i: Mapping[str, Any]) -> tuple[Attrs, Keys]:
    out, keys = _common(i, "serverName")
    return _copy(i, {"publicNetworkAccess": "public_network_access_enabled",
                     "minimalTlsVersion": "minimum_tls_version"}, out, keys, frozenset({"publicNetworkAccess"}))


def sql_firewall_rule(i: Mapping[str, Any]) -> tuple[Attrs, Keys]:
    out, keys = _common(i, "firewallRuleName")
    return _copy(i, {"serverName": "server_id", "startIpAddress": "start_ip_address",
                     "endIpAddress": "end_ip_address"}, out, keys)


def sql_database(i: Mapping[str, Any]) -> tuple[Attrs, Keys]:
    out, keys = _common(i, "databaseName")
    return _copy(i, {"serverName": "server_id", "encryptionProtector": "transparent_data_encryption_key_vault_key_id",
                     "requestedBackupStorageRedundancy": "storage_account_type"}, out, keys)


def sql_short_term_retention(i: Mapping[str, Any]) -> tuple[Attrs, Keys]:
    return _copy(i, {"databaseName": "database_name", "serverName": "server_name", "retentionDays": "retention_days"})


def sql_server_auditing(i: Mapping[str, Any]) -> tuple[Attrs, Keys]:
    return _copy(i, {"serverName": "server_id", "state": "enabled", "auditActionsAndGroups": "audit_actions_and_groups",
                     "retentionDays": "retention_in_days"}, flags=frozenset({"state"}))


def data_protection_vault(i: Mapping[str, Any]) -> tuple[Attrs, Keys]:
    out, keys = _common(i, "vaultName")
    props = i.get("properties")
    if isinstance(props, Unresolved):
        for k in ("redundancy", "immutability", "soft_delete"):
            _put(out, keys, k, props, "properties")
        return out, keys
    settings = _get(props, "storageSettings")
    if isinstance(settings, list) and settings:
        types = [s.get("type") if isinstance(s, Mapping) else s for s in settings]
        geo = next((t for t in types if t == "GeoRedundant" or isinstance(t, Unresolved)), types[0])
        _put(out, keys, "redundancy", geo, "properties")
    _put(out, keys, "immutability", _get(props, "securitySettings", "immutabilitySettings", "state"), "properties")
    _put(out, keys, "soft_delete", _get(props, "securitySettings", "softDeleteSettings", "state"), "properties")
    for k in ("immutability", "soft_delete"):
        if out.get(k) is _ABSENT:
            del out[k]
    return out, keys


def recovery_services_vault(i: Mapping[str, Any]) -> tuple[Attrs, Keys]:
    out, keys = _common(i, "vaultName")
    props = i.get("properties")
    _put(out, keys, "storage_mode_type", _get(props, "redundancySettings", "standardTierStorageRedundancy"),
         "properties")
    _put(out, keys, "immutability", _get(props, "securitySettings", "immutabilitySettings", "state"), "properties")
    soft = _get(props, "securitySettings", "softDeleteSettings", "softDeleteState")
    if isinstance(soft, str):
        soft = soft.lower() != "disabled"
    _put(out, keys, "soft_delete_enabled", soft, "properties")
    for k in ("storage_mode_type", "immutability", "soft_delete_enabled"):
        if out.get(k) is _ABSENT:
            del out[k]
    return out, keys


# Type token → (azurerm type, mapping). tests/pulumi checks each token against pulumi_azure_native.
TOKENS: dict[str, tuple[str, Callable[[Mapping[str, Any]], tuple[Attrs, Keys]]]] = {
    "azure-native:resources:ResourceGroup": ("azurerm_resource_group", resource_group),
    "azure-native:storage:StorageAccount": ("azurerm_storage_account", storage_account),
    "azure-native:storage:BlobServiceProperties": ("azure_native_blob_service_properties", blob_service_properties),
    "azure-native:keyvault:Vault": ("azurerm_key_vault", key_vault),
    "azure-native:keyvault:Key": ("azurerm_key_vault_key", key_vault_key),
    "azure-native:network:NetworkSecurityGroup": ("azurerm_network_security_group", network_security_group),
    "azure-native:network:SecurityRule": ("azurerm_network_security_rule", security_rule),
    "azure-native:sql:Server": ("azurerm_mssql_server", sql_server),
    "azure-native:sql:FirewallRule": ("azurerm_mssql_firewall_rule", sql_firewall_rule),
    "azure-native:sql:Database": ("azurerm_mssql_database", sql_database),
    "azure-native:sql:BackupShortTermRetentionPolicy": ("azure_native_sql_short_term_retention",
                                                        sql_short_term_retention),
    "azure-native:sql:ServerBlobAuditingPolicy": ("azurerm_mssql_server_extended_auditing_policy",
                                                  sql_server_auditing),
    "azure-native:sql:ExtendedServerBlobAuditingPolicy": ("azurerm_mssql_server_extended_auditing_policy",
                                                          sql_server_auditing),
    "azure-native:dataprotection:BackupVault": ("azurerm_data_protection_backup_vault", data_protection_vault),
    "azure-native:recoveryservices:Vault": ("azurerm_recovery_services_vault", recovery_services_vault),
}

# Folded onto a parent (type, attribute path on the part naming it, parent type, block, the part's
# attributes copied into the block).
FOLDS = {
    "azure_native_blob_service_properties": (("storage_account_name",), "azurerm_storage_account",
                                             "blob_properties", {"versioning_enabled": "versioning_enabled"}),
    "azure_native_sql_short_term_retention": (("database_name",), "azurerm_mssql_database",
                                              "short_term_retention_policy", {"retention_days": "retention_days"}),
}


def translate(token: str, inputs: Mapping[str, Any]) -> tuple[str, Attrs, Keys] | None:
    """(azurerm type, attributes, azurerm attribute → Pulumi property), or None for a token not read."""
    spec = TOKENS.get(token)
    if spec is None:
        return None
    tf_type, fn = spec
    attrs, keys = fn(inputs)
    return tf_type, attrs, keys


def fold(resources: list[Any], links: Any) -> list[Any]:
    """Put the split-off settings onto their parents; drop them from the list."""
    out = [r for r in resources if r.type not in FOLDS]
    for part in (r for r in resources if r.type in FOLDS):
        (key,), parent_type, block, copy = FOLDS[part.type]
        parent = links.target(part, (key,), part.get(key), (parent_type,))
        values = {dst: part.attrs[src] for src, dst in copy.items() if src in part.attrs}
        if parent is not None:
            parent.attrs[block] = [{**(parent.attrs.get(block) or [{}])[0], **values}]
            continue
        why = Unresolved(f"{part.address} could not be joined to its {parent_type} ({key} = {part.get(key)})")
        for p in (r for r in resources if r.type == parent_type):
            p.attrs[block] = [{dst: why for dst in copy.values()}]
    return out
