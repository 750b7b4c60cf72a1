"""The Resource Graph queries the collector runs, one per group of resource types.

Each group is its own query so that a query refused (403) or failing takes only its own kinds
with it. ``EXPORT_QUERY`` joins them into the one query a user runs with ``az graph query`` for
``--from-export``; docs/azure.md prints it and a test keeps the two the same.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Query:
    name: str  # also the service name in collection errors
    table: str
    types: tuple[str, ...]  # lower case, as Resource Graph reports ``type``
    what: str  # for messages: what an error in this query leaves unread

    @property
    def kql(self) -> str:
        types = ", ".join(f"'{t}'" for t in self.types)
        return f"{self.table} | where type in~ ({types})"


STORAGE = Query("storage", "resources", ("microsoft.storage/storageaccounts",), "storage accounts")
SQL = Query("sql", "resources", ("microsoft.sql/servers", "microsoft.sql/servers/databases"),
            "SQL servers and databases")
DISKS = Query("disks", "resources", ("microsoft.compute/disks",), "managed disks")
NSG = Query("network", "resources", ("microsoft.network/networksecuritygroups",), "network security groups")
KEYVAULT = Query("keyvault", "resources", ("microsoft.keyvault/vaults",), "key vaults")
BACKUP = Query("backup", "resources", ("microsoft.recoveryservices/vaults", "microsoft.dataprotection/backupvaults"),
               "Recovery Services and Backup vaults")
# Log Analytics workspaces are read for the retention of the Activity Log sent to them.
WORKSPACES = Query("monitor", "resources", ("microsoft.operationalinsights/workspaces",),
                   "Log Analytics workspaces")
DEFENDER = Query("defender", "securityresources", ("microsoft.security/pricings",),
                 "Microsoft Defender for Cloud plans")
SUBSCRIPTIONS = Query("subscriptions", "resourcecontainers", ("microsoft.resources/subscriptions",),
                      "subscriptions")

# Who holds which role where (SAN-IAM-011): role assignments, and role definitions for custom roles.
AUTHORIZATION = Query("authorization", "authorizationresources",
                      ("microsoft.authorization/roleassignments", "microsoft.authorization/roledefinitions"),
                      "role assignments and role definitions")

QUERIES: tuple[Query, ...] = (STORAGE, SQL, DISKS, NSG, KEYVAULT, BACKUP, WORKSPACES, DEFENDER, AUTHORIZATION,
                              SUBSCRIPTIONS)
TYPES: frozenset[str] = frozenset(t for q in QUERIES for t in q.types)
QUERY_OF_TYPE: dict[str, Query] = {t: q for q in QUERIES for t in q.types}


def _export_query() -> str:
    tables: dict[str, list[str]] = {}
    for q in QUERIES:
        tables.setdefault(q.table, []).extend(q.types)
    parts = [Query("", table, tuple(types), "").kql for table, types in tables.items()]
    return parts[0] + "".join(f" | union ({p})" for p in parts[1:])


EXPORT_QUERY = _export_query()
