"""Facts that Resource Graph does not show, read from the management plane (live) or absent
(an ``az graph query`` export). Normalization asks for them by resource and name and gets the
value, or the reason it could not be read, so a field left unread always says why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# name → (what it is, the management-plane API path under the resource ID, api-version, RBAC action)
MANAGEMENT_READS: dict[str, tuple[str, str, str, str]] = {
    "blobService": ("blob service properties (versioning)", "/blobServices/default", "2023-05-01",
                    "Microsoft.Storage/storageAccounts/blobServices/read"),
    "containers": ("blob containers (public access, immutability policies)", "/blobServices/default/containers",
                   "2023-05-01", "Microsoft.Storage/storageAccounts/blobServices/containers/read"),
    "firewallRules": ("SQL server firewall rules", "/firewallRules", "2021-11-01",
                      "Microsoft.Sql/servers/firewallRules/read"),
    "auditing": ("SQL server auditing", "/auditingSettings/default", "2021-11-01",
                 "Microsoft.Sql/servers/auditingSettings/read"),
    "protector": ("SQL server encryption protector (TDE key)", "/encryptionProtector/current", "2021-11-01",
                  "Microsoft.Sql/servers/encryptionProtector/read"),
    "databaseAuditing": ("SQL database auditing", "/auditingSettings/default", "2021-11-01",
                         "Microsoft.Sql/servers/databases/auditingSettings/read"),
    "tde": ("transparent data encryption", "/transparentDataEncryption/current", "2021-11-01",
            "Microsoft.Sql/servers/databases/transparentDataEncryption/read"),
    "replicationLinks": ("geo-replication links", "/replicationLinks", "2021-11-01",
                         "Microsoft.Sql/servers/databases/replicationLinks/read"),
    "retention": ("short-term backup retention", "/backupShortTermRetentionPolicies/default", "2021-11-01",
                  "Microsoft.Sql/servers/databases/backupShortTermRetentionPolicies/read"),
    "keys": ("Key Vault keys (rotation policies)", "/keys", "2023-07-01", "Microsoft.KeyVault/vaults/keys/read"),
    "diagnosticSettings": ("Activity Log diagnostic settings", "/providers/Microsoft.Insights/diagnosticSettings",
                           "2021-05-01-preview", "Microsoft.Insights/DiagnosticSettings/Read"),
}

# Reads that return a list (``value`` plus ``nextLink`` paging).
LIST_READS = frozenset({"containers", "firewallRules", "replicationLinks", "keys", "diagnosticSettings"})


def export_reason(name: str) -> str:
    what = MANAGEMENT_READS[name][0]
    return (f"{what}: not in a Resource Graph export (Resource Graph does not show it); "
            "collect live with `sansho collect azure` to read it")


@dataclass
class Unread:
    reason: str


class Details:
    """Management-plane documents by (resource ID, name); a missing entry was never asked for."""

    def __init__(self, export: bool = False):
        self.export = export
        self._docs: dict[tuple[str, str], Any] = {}

    def put(self, resource_id: str, name: str, value: Any) -> None:
        self._docs[(resource_id.lower(), name)] = value

    def get(self, resource_id: str, name: str) -> tuple[Any, str | None]:
        """``(document, None)`` when read, ``(None, reason)`` when not."""
        if self.export:
            return None, export_reason(name)
        v = self._docs.get((resource_id.lower(), name))
        if isinstance(v, Unread):
            return None, v.reason
        if v is None and (resource_id.lower(), name) not in self._docs:
            return None, f"{MANAGEMENT_READS[name][0]}: not read"
        return v, None

    def documents(self, resource_id: str, *names: str) -> dict[str, Any]:
        """The documents that were read, for ``raw`` evidence."""
        out = {}
        for n in names:
            v, why = self.get(resource_id, n)
            if why is None:
                out[n] = v
        return out
