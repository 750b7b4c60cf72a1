"""A hospital's Azure estate in japaneast/japanwest plus US regions, compliant and not, as
Resource Graph rows and management-plane documents with the field names of the public API
references (Microsoft.Storage 2023-05-01, Microsoft.Sql 2021-11-01, Microsoft.KeyVault 2023-07-01,
Microsoft.RecoveryServices, Microsoft.DataProtection, Microsoft.Insights 2021-05-01-preview,
Microsoft.Security pricings)."""

from __future__ import annotations

SUB_A = "11111111-aaaa-4aaa-8aaa-111111111111"
SUB_B = "22222222-bbbb-4bbb-8bbb-222222222222"
SAS_CANARY = "sig=CANARYsasSIGNATURE0123456789"
KEY_CANARY = "CANARYstorageKEY0123456789abcdefABCDEF=="
CONN_CANARY = "AccountKey=CANARYconnKEY987654321"

MEDICAL = {"sansho:medical": "true", "data-classification": "medical"}


def rid(sub: str, rg: str, provider: str, *names: str) -> str:
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{provider}/" + "/".join(names)


def row(sub: str, rg: str, type_: str, id_: str, name: str, location: str, properties: dict, *, tags=None,
        sku=None, kind="", managed_by="") -> dict:
    """One record as Resource Graph's ``resources`` table returns it (``type`` in lower case)."""
    return {"id": id_, "name": name, "type": type_.lower(), "tenantId": "72f988bf-0000-4000-8000-00000000fake",
            "kind": kind, "location": location, "resourceGroup": rg, "subscriptionId": sub,
            "managedBy": managed_by, "sku": sku, "plan": None, "properties": properties, "tags": tags or {},
            "identity": None, "zones": None, "extendedLocation": None}


def storage(sub, rg, name, location, sku, *, https=True, tls="TLS1_2", public_allowed=False, cmk=False,
            account_immutability=None, secondary=None, tags=None, default_action="Deny", ip_rules=()) -> dict:
    props = {
        "provisioningState": "Succeeded", "creationTime": "2025-04-01T02:03:04.0000000Z",
        "primaryLocation": location, "statusOfPrimary": "available",
        "primaryEndpoints": {"blob": f"https://{name}.blob.core.windows.net/?sv=2022-11-02&{SAS_CANARY}"},
        "supportsHttpsTrafficOnly": https, "minimumTlsVersion": tls, "allowBlobPublicAccess": public_allowed,
        "allowSharedKeyAccess": False, "publicNetworkAccess": "Enabled",
        "networkAcls": {"bypass": "AzureServices", "defaultAction": default_action,
                        "ipRules": [{"value": ip, "action": "Allow"} for ip in ip_rules], "virtualNetworkRules": []},
        "encryption": {"requireInfrastructureEncryption": True, "keySource": "Microsoft.Keyvault" if cmk
                       else "Microsoft.Storage",
                       "services": {"blob": {"enabled": True, "keyType": "Account"},
                                    "file": {"enabled": True, "keyType": "Account"}}},
        "accessTier": "Hot",
    }
    if cmk:
        props["encryption"]["keyvaultproperties"] = {"keyname": "st-cmk", "keyversion": "",
                                                     "keyvaulturi": "https://kv-emr.vault.azure.net/"}
    if secondary:
        props.update(secondaryLocation=secondary, statusOfSecondary="available")
    if account_immutability:
        props["immutableStorageWithVersioning"] = {"enabled": True, "immutabilityPolicy": {
            "immutabilityPeriodSinceCreationInDays": account_immutability[1], "state": account_immutability[0],
            "allowProtectedAppendWrites": False}}
    id_ = rid(sub, rg, "Microsoft.Storage", "storageAccounts", name)
    return row(sub, rg, "Microsoft.Storage/storageAccounts", id_, name, location, props, tags=tags,
               sku={"name": sku, "tier": "Standard"}, kind="StorageV2")


OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
USER_ACCESS_ADMIN = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
MG = "/providers/Microsoft.Management/managementGroups/hospital-root"

# Entra ID object IDs of the principals holding roles.
U_OPS_OWNER = "0a1b2c3d-0000-4000-8000-0000000000a1"
U_CUSTOM_FULL = "0a1b2c3d-0000-4000-8000-0000000000a2"
U_READER = "0a1b2c3d-0000-4000-8000-0000000000a3"
U_RG_OWNER = "0a1b2c3d-0000-4000-8000-0000000000a4"
U_BREAK_GLASS = "0a1b2c3d-0000-4000-8000-0000000000a5"
G_INFRA = "0a1b2c3d-0000-4000-8000-0000000000b1"
G_MG_UAA = "0a1b2c3d-0000-4000-8000-0000000000b2"
SP_PIPELINE = "0a1b2c3d-0000-4000-8000-0000000000c1"


def role_assignment(scope: str, n: int, role: str, principal: str, principal_type: str, sub: str = "",
                    role_scope: str = "") -> dict:
    """One ``authorizationresources`` role assignment record (Microsoft.Authorization 2022-04-01)."""
    id_ = f"{scope.rstrip('/')}/providers/Microsoft.Authorization/roleAssignments/00000000-0000-4000-9000-{n:012d}"
    return {"id": id_, "name": id_.rsplit("/", 1)[-1], "type": "microsoft.authorization/roleassignments",
            "tenantId": "72f988bf-0000-4000-8000-00000000fake", "kind": "", "location": "", "resourceGroup": "",
            "subscriptionId": sub, "managedBy": "", "sku": None, "plan": None, "tags": None, "identity": None,
            "zones": None, "extendedLocation": None,
            "properties": {"roleDefinitionId": f"{role_scope}/providers/Microsoft.Authorization/roleDefinitions/{role}",
                           "principalId": principal, "principalType": principal_type, "scope": scope,
                           "condition": None, "conditionVersion": None, "createdOn": "2025-04-01T00:00:00Z",
                           "updatedOn": "2025-04-01T00:00:00Z", "createdBy": None, "updatedBy": None,
                           "delegatedManagedIdentityResourceId": None, "description": None}}


def role_definition(scope: str, guid: str, name: str, actions: list[str], sub: str = "", custom: bool = True) -> dict:
    id_ = f"{scope.rstrip('/')}/providers/Microsoft.Authorization/roleDefinitions/{guid}"
    return {"id": id_, "name": guid, "type": "microsoft.authorization/roledefinitions",
            "tenantId": "72f988bf-0000-4000-8000-00000000fake", "kind": "", "location": "", "resourceGroup": "",
            "subscriptionId": sub, "managedBy": "", "sku": None, "plan": None, "tags": None, "identity": None,
            "zones": None, "extendedLocation": None,
            "properties": {"roleName": name, "type": "CustomRole" if custom else "BuiltInRole", "description": "",
                           "assignableScopes": [scope or "/"],
                           "permissions": [{"actions": actions, "notActions": [], "dataActions": [],
                                            "notDataActions": []}]}}


def blob_service(id_: str, versioning: bool) -> dict:
    return {"id": f"{id_}/blobServices/default", "name": "default",
            "type": "Microsoft.Storage/storageAccounts/blobServices",
            "properties": {"cors": {"corsRules": []}, "isVersioningEnabled": versioning,
                           "deleteRetentionPolicy": {"enabled": True, "days": 7}}}


def container(id_: str, name: str, public: str = "None", immutability: tuple[str, int] | None = None) -> dict:
    props = {"publicAccess": public, "leaseStatus": "Unlocked", "leaseState": "Available",
             "lastModifiedTime": "2025-05-01T00:00:00Z", "hasImmutabilityPolicy": immutability is not None,
             "hasLegalHold": False, "deleted": False, "remainingRetentionDays": 0,
             "metadata": {"connection": f"DefaultEndpointsProtocol=https;AccountName=x;{CONN_CANARY}"}}
    if immutability:
        props["immutabilityPolicy"] = {"etag": "\"8d7\"", "properties": {
            "immutabilityPeriodSinceCreationInDays": immutability[1], "state": immutability[0],
            "allowProtectedAppendWrites": True}, "updateHistory": []}
    return {"id": f"{id_}/blobServices/default/containers/{name}", "name": name, "etag": "\"0x8D\"",
            "type": "Microsoft.Storage/storageAccounts/blobServices/containers", "properties": props}


def sql_server(sub, rg, name, location, public: str) -> dict:
    id_ = rid(sub, rg, "Microsoft.Sql", "servers", name)
    return row(sub, rg, "Microsoft.Sql/servers", id_, name, location, {
        "administratorLogin": "sqladmin", "version": "12.0", "state": "Ready",
        "fullyQualifiedDomainName": f"{name}.database.windows.net", "publicNetworkAccess": public,
        "minimalTlsVersion": "1.2", "restrictOutboundNetworkAccess": "Disabled"}, kind="v12.0")


def sql_db(sub, rg, server, name, location, backup_redundancy: str, tags=None) -> dict:
    id_ = rid(sub, rg, "Microsoft.Sql", "servers", server, "databases", name)
    return row(sub, rg, "Microsoft.Sql/servers/databases", id_, name, location, {
        "collation": "Japanese_CI_AS", "status": "Online", "databaseId": "7a2b1c3d-0000-4000-8000-000000000001",
        "currentServiceObjectiveName": "GP_Gen5_2", "currentBackupStorageRedundancy": backup_redundancy,
        "requestedBackupStorageRedundancy": backup_redundancy, "zoneRedundant": False},
        tags=tags, sku={"name": "GP_Gen5", "tier": "GeneralPurpose", "family": "Gen5", "capacity": 2},
        kind="v12.0,user,vcore")


def link(db_id: str, partner_server: str, partner_db: str, partner_location: str, sub: str) -> dict:
    return {"id": f"{db_id}/replicationLinks/5b7d", "name": "5b7d", "type": "Microsoft.Sql/servers/databases/replicationLinks",
            "properties": {"partnerServer": partner_server, "partnerDatabase": partner_db,
                           "partnerDatabaseId": f"/subscriptions/{sub}/resourceGroups/rg/providers/Microsoft.Sql/"
                                                f"servers/{partner_server}/databases/{partner_db}",
                           "partnerLocation": partner_location, "role": "Primary", "partnerRole": "Secondary",
                           "replicationMode": "ASYNC", "startTime": "2025-06-01T00:00:00Z", "percentComplete": 100,
                           "replicationState": "CATCH_UP", "isTerminationAllowed": True, "linkType": "GEO"}}


LOGIN_GROUPS = ["SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP", "FAILED_DATABASE_AUTHENTICATION_GROUP"]


def db_auditing(db_id: str, state: str, groups: list[str] | None = None) -> dict:
    """A database's own auditing policy (DatabaseBlobAuditingPolicies_Get, 2021-11-01). Azure answers
    for every database; a database with no policy of its own reads ``Disabled``. ``groups``: the action
    groups of an Enabled policy (default: the portal's set, logins and every batch)."""
    props: dict = {"state": state, "storageEndpoint": "", "retentionDays": 0, "auditActionsAndGroups": [],
                   "storageAccountSubscriptionId": "00000000-0000-0000-0000-000000000000",
                   "isStorageSecondaryKeyInUse": False, "isAzureMonitorTargetEnabled": False}
    if state == "Enabled":
        props.update(storageEndpoint="https://staudittrail.blob.core.windows.net/", retentionDays=365,
                     auditActionsAndGroups=groups if groups is not None else [
                         "SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP", "FAILED_DATABASE_AUTHENTICATION_GROUP",
                         "BATCH_COMPLETED_GROUP"],
                     storageAccountSubscriptionId=SUB_A, storageAccountAccessKey=KEY_CANARY)
    return {"id": f"{db_id}/auditingSettings/Default", "name": "Default",
            "type": "Microsoft.Sql/servers/databases/auditingSettings", "kind": "V12", "properties": props}


def disk(sub, rg, name, location, enc_type, *, des=None, vm=None, tags=None) -> dict:
    id_ = rid(sub, rg, "Microsoft.Compute", "disks", name)
    enc = {"type": enc_type}
    if des:
        enc["diskEncryptionSetId"] = des
    return row(sub, rg, "Microsoft.Compute/disks", id_, name, location, {
        "osType": "Linux", "creationData": {"createOption": "Empty"}, "diskSizeGB": 128, "encryption": enc,
        "networkAccessPolicy": "DenyAll", "publicNetworkAccess": "Disabled", "diskState": "Attached",
        "provisioningState": "Succeeded"}, tags=tags, sku={"name": "Premium_LRS", "tier": "Premium"},
        managed_by=vm or "")


def nsg_rule(nsg_id: str, name: str, direction: str, access: str, source, ports, priority: int,
             protocol: str = "Tcp") -> dict:
    props = {"protocol": protocol, "sourcePortRange": "*", "destinationAddressPrefix": "*", "access": access,
             "priority": priority, "direction": direction, "provisioningState": "Succeeded",
             "sourcePortRanges": [], "destinationPortRanges": [], "sourceAddressPrefixes": [],
             "destinationAddressPrefixes": []}
    if isinstance(source, list):
        props["sourceAddressPrefixes"] = source
    else:
        props["sourceAddressPrefix"] = source
    if isinstance(ports, list):
        props["destinationPortRanges"] = ports
    else:
        props["destinationPortRange"] = ports
    return {"name": name, "id": f"{nsg_id}/securityRules/{name}", "etag": "W/\"1\"",
            "type": "Microsoft.Network/networkSecurityGroups/securityRules", "properties": props}


def key(vault_id: str, name: str, rotation: dict | None, enabled: bool = True) -> dict:
    props = {"attributes": {"enabled": enabled, "created": 1735689600, "updated": 1735689600,
                            "recoveryLevel": "Recoverable+Purgeable", "exportable": False},
             "kty": "RSA", "keyOps": ["encrypt", "decrypt", "wrapKey", "unwrapKey"], "keySize": 2048,
             "keyUri": f"https://kv.vault.azure.net/keys/{name}",
             "keyUriWithVersion": f"https://kv.vault.azure.net/keys/{name}/0f1e2d"}
    if rotation is not None:
        props["rotationPolicy"] = rotation
    return {"id": f"{vault_id}/keys/{name}", "name": name, "type": "Microsoft.KeyVault/vaults/keys",
            "location": "japaneast", "tags": {}, "properties": props}


def rotate_every(duration: str) -> dict:
    return {"lifetimeActions": [{"trigger": {"timeAfterCreate": duration}, "action": {"type": "rotate"}},
                                {"trigger": {"timeBeforeExpiry": "P30D"}, "action": {"type": "notify"}}],
            "attributes": {"expiryTime": "P3Y", "created": 1735689600, "updated": 1735689600}}


class Estate:
    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        resources: list[dict] = []
        docs: dict[str, object] = {}

        def add(label: str, r: dict) -> dict:
            self.ids[label] = r["id"]
            resources.append(r)
            return r

        # -- storage accounts ------------------------------------------------------------------
        rec = add("st_records", storage(SUB_A, "rg-emr", "stemrrecords", "japaneast", "Standard_RAGRS",
                                        cmk=True, account_immutability=("Locked", 3650), secondary="japanwest",
                                        tags={**MEDICAL, "retention": "5y", "backup-frequency": "daily",
                                              "sansho-records": "finalised"}))
        docs[rec["id"] + "/blobServices/default"] = blob_service(rec["id"], True)
        docs[rec["id"] + "/blobServices/default/containers"] = {"value": [container(rec["id"], "records")]}
        web = add("st_web", storage(SUB_A, "rg-web", "stwebpublic", "japaneast", "Standard_LRS", https=False,
                                    tls="TLS1_0", public_allowed=True, default_action="Allow",
                                    tags={"sansho:medical": "false"}))
        docs[web["id"] + "/blobServices/default"] = blob_service(web["id"], False)
        docs[web["id"] + "/blobServices/default/containers"] = {"value": [
            container(web["id"], "assets", public="Container"), container(web["id"], "private")]}
        # Anonymous access allowed and every network let in, though no container is public yet: the
        # account's own properties (in Resource Graph) prove the exposure, live and from an export alike.
        opened = add("st_open", storage(SUB_A, "rg-web", "stuploadsopen", "japaneast", "Standard_LRS",
                                        public_allowed=True, default_action="Allow",
                                        tags={"sansho:medical": "false"}))
        docs[opened["id"] + "/blobServices/default"] = blob_service(opened["id"], False)
        docs[opened["id"] + "/blobServices/default/containers"] = {"value": [container(opened["id"], "uploads")]}
        # Anonymous access allowed behind a firewall that lets one partner range in: the containers
        # decide (none is public), which only the management plane shows.
        partner = add("st_partner", storage(SUB_A, "rg-web", "stpartnerdrop", "japaneast", "Standard_LRS",
                                            public_allowed=True, ip_rules=("203.0.113.0/24",),
                                            tags={"sansho:medical": "false"}))
        docs[partner["id"] + "/blobServices/default"] = blob_service(partner["id"], False)
        docs[partner["id"] + "/blobServices/default/containers"] = {"value": [container(partner["id"], "drop")]}
        us = add("st_us", storage(SUB_B, "rg-dr", "stbackupus", "eastus", "Standard_GRS", secondary="westus",
                                  tags=MEDICAL))
        docs[us["id"] + "/blobServices/default"] = blob_service(us["id"], True)
        docs[us["id"] + "/blobServices/default/containers"] = {"value": [container(us["id"], "dumps")]}
        logs = add("st_logs", storage(SUB_A, "rg-audit", "staudittrail", "japaneast", "Standard_ZRS",
                                      tags={"sansho:medical": "false"}))
        docs[logs["id"] + "/blobServices/default"] = blob_service(logs["id"], True)
        docs[logs["id"] + "/blobServices/default/containers"] = {"value": [
            container(logs["id"], "insights-activity-logs", immutability=("Locked", 2555))]}
        # Write-once only in name: an Unlocked immutability policy can be shortened or deleted by a
        # privileged user, so neither finalised records (SAN-REC-001) nor audit logs (SAN-LOG-003) pass.
        rec_dr = add("st_records_unlocked", storage(SUB_B, "rg-dr", "strecordsdr", "japanwest", "Standard_LRS",
                                                    account_immutability=("Unlocked", 1825),
                                                    tags={**MEDICAL, "retention": "5y", "backup-frequency": "daily",
                                                          "sansho-records": "finalised"}))
        docs[rec_dr["id"] + "/blobServices/default"] = blob_service(rec_dr["id"], True)
        docs[rec_dr["id"] + "/blobServices/default/containers"] = {"value": [container(rec_dr["id"], "records")]}
        logs_dr = add("st_logs_unlocked", storage(SUB_B, "rg-dr", "stauditdr", "japanwest", "Standard_LRS",
                                                  tags={"sansho:medical": "false"}))
        docs[logs_dr["id"] + "/blobServices/default"] = blob_service(logs_dr["id"], True)
        docs[logs_dr["id"] + "/blobServices/default/containers"] = {"value": [
            container(logs_dr["id"], "insights-activity-logs", immutability=("Unlocked", 30))]}

        # -- SQL ---------------------------------------------------------------------------------
        s1 = add("sql_jp", sql_server(SUB_A, "rg-emr", "sql-emr-jp", "japaneast", "Enabled"))
        docs[s1["id"] + "/firewallRules"] = {"value": [
            {"id": s1["id"] + "/firewallRules/AllowAll", "name": "AllowAll", "type": "Microsoft.Sql/servers/firewallRules",
             "properties": {"startIpAddress": "0.0.0.0", "endIpAddress": "255.255.255.255"}},
            {"id": s1["id"] + "/firewallRules/AllowAllWindowsAzureIps", "name": "AllowAllWindowsAzureIps",
             "type": "Microsoft.Sql/servers/firewallRules",
             "properties": {"startIpAddress": "0.0.0.0", "endIpAddress": "0.0.0.0"}}]}
        docs[s1["id"] + "/auditingSettings/default"] = {
            "id": s1["id"] + "/auditingSettings/Default", "name": "Default",
            "type": "Microsoft.Sql/servers/auditingSettings",
            "properties": {"state": "Enabled", "storageEndpoint": "https://staudittrail.blob.core.windows.net/",
                           "retentionDays": 0, "auditActionsAndGroups": ["BATCH_COMPLETED_GROUP"],
                           "storageAccountAccessKey": KEY_CANARY, "isAzureMonitorTargetEnabled": True}}
        docs[s1["id"] + "/encryptionProtector/current"] = {
            "id": s1["id"] + "/encryptionProtector/current", "name": "current", "kind": "servicemanaged",
            "type": "Microsoft.Sql/servers/encryptionProtector",
            "properties": {"serverKeyName": "ServiceManaged", "serverKeyType": "ServiceManaged",
                           "autoRotationEnabled": False}}
        master = add("db_master", sql_db(SUB_A, "rg-emr", "sql-emr-jp", "master", "japaneast", "Local"))
        del self.ids["db_master"]
        assert master
        emr = add("db_emr", sql_db(SUB_A, "rg-emr", "sql-emr-jp", "emr", "japaneast", "Geo", tags=MEDICAL))
        docs[emr["id"] + "/transparentDataEncryption/current"] = {
            "id": emr["id"] + "/transparentDataEncryption/Current", "name": "Current",
            "type": "Microsoft.Sql/servers/databases/transparentDataEncryption", "properties": {"state": "Enabled"}}
        docs[emr["id"] + "/backupShortTermRetentionPolicies/default"] = {
            "id": emr["id"] + "/backupShortTermRetentionPolicies/default", "name": "default",
            "type": "Microsoft.Sql/servers/databases/backupShortTermRetentionPolicies",
            "properties": {"retentionDays": 14, "diffBackupIntervalInHours": 12}}
        docs[emr["id"] + "/replicationLinks"] = {"value": [link(emr["id"], "sql-emr-jw", "emr", "japanwest", SUB_A)]}
        docs[emr["id"] + "/auditingSettings/default"] = db_auditing(emr["id"], "Disabled")  # the server audits it

        s2 = add("sql_jw", sql_server(SUB_A, "rg-lab", "sql-lab-jw", "japanwest", "Disabled"))
        docs[s2["id"] + "/firewallRules"] = {"value": []}
        docs[s2["id"] + "/auditingSettings/default"] = {
            "id": s2["id"] + "/auditingSettings/Default", "name": "Default",
            "type": "Microsoft.Sql/servers/auditingSettings", "properties": {"state": "Disabled"}}
        docs[s2["id"] + "/encryptionProtector/current"] = {
            "id": s2["id"] + "/encryptionProtector/current", "name": "current", "kind": "azurekeyvault",
            "type": "Microsoft.Sql/servers/encryptionProtector",
            "properties": {"serverKeyName": "kv-emr_tde_0f1e", "serverKeyType": "AzureKeyVault",
                           "uri": "https://kv-emr.vault.azure.net/keys/tde/0f1e", "autoRotationEnabled": True}}
        lab = add("db_lab", sql_db(SUB_A, "rg-lab", "sql-lab-jw", "lab", "japanwest", "Local", tags=MEDICAL))
        docs[lab["id"] + "/transparentDataEncryption/current"] = {
            "id": lab["id"] + "/transparentDataEncryption/Current", "name": "Current",
            "type": "Microsoft.Sql/servers/databases/transparentDataEncryption", "properties": {"state": "Disabled"}}
        docs[lab["id"] + "/backupShortTermRetentionPolicies/default"] = {
            "id": lab["id"] + "/backupShortTermRetentionPolicies/default", "name": "default",
            "type": "Microsoft.Sql/servers/databases/backupShortTermRetentionPolicies",
            "properties": {"retentionDays": 3, "diffBackupIntervalInHours": 24}}
        docs[lab["id"] + "/replicationLinks"] = {"value": [link(lab["id"], "sql-lab-us", "lab", "eastus", SUB_A)]}
        docs[lab["id"] + "/auditingSettings/default"] = db_auditing(lab["id"], "Disabled")  # audited nowhere
        # Audited by its own database-level policy on a server whose auditing is off.
        pacs = add("db_pacs", sql_db(SUB_A, "rg-lab", "sql-lab-jw", "pacs", "japanwest", "Local", tags=MEDICAL))
        docs[pacs["id"] + "/transparentDataEncryption/current"] = {
            "id": pacs["id"] + "/transparentDataEncryption/Current", "name": "Current",
            "type": "Microsoft.Sql/servers/databases/transparentDataEncryption", "properties": {"state": "Enabled"}}
        docs[pacs["id"] + "/backupShortTermRetentionPolicies/default"] = {
            "id": pacs["id"] + "/backupShortTermRetentionPolicies/default", "name": "default",
            "type": "Microsoft.Sql/servers/databases/backupShortTermRetentionPolicies",
            "properties": {"retentionDays": 35, "diffBackupIntervalInHours": 12}}
        docs[pacs["id"] + "/replicationLinks"] = {"value": []}
        # ... but only logins: no batch or object access group, so no read is recorded (SAN-LOG-007 FAIL)
        docs[pacs["id"] + "/auditingSettings/default"] = db_auditing(pacs["id"], "Enabled", LOGIN_GROUPS)

        # -- managed disks ---------------------------------------------------------------------------
        add("disk_jp", disk(SUB_A, "rg-emr", "vm-emr-os", "japaneast", "EncryptionAtRestWithCustomerKey",
                            des=rid(SUB_A, "rg-emr", "Microsoft.Compute", "diskEncryptionSets", "des-emr"),
                            vm=rid(SUB_A, "rg-emr", "Microsoft.Compute", "virtualMachines", "vm-emr"), tags=MEDICAL))
        add("disk_us", disk(SUB_B, "rg-dr", "vm-dr-data", "westus", "EncryptionAtRestWithPlatformKey", tags=MEDICAL))

        # -- network security groups -------------------------------------------------------------------
        nsg_id = rid(SUB_A, "rg-web", "Microsoft.Network", "networkSecurityGroups", "nsg-web")
        rules = [
            nsg_rule(nsg_id, "allow-https", "Inbound", "Allow", "Internet", "443", 100),
            nsg_rule(nsg_id, "allow-ssh-any", "Inbound", "Allow", "*", "22", 110),
            nsg_rule(nsg_id, "allow-sql-rdp", "Inbound", "Allow", ["0.0.0.0/0"], ["1433", "3380-3390"], 120),
            nsg_rule(nsg_id, "deny-rdp", "Inbound", "Deny", "Internet", "3389", 90),
            nsg_rule(nsg_id, "rdp-office", "Inbound", "Allow", "203.0.113.0/24", "3389", 130),
            nsg_rule(nsg_id, "out-all", "Outbound", "Allow", "*", "*", 100, protocol="*"),
        ]
        for r in rules:
            self.ids["rule_" + r["name"]] = r["id"]
        add("nsg_web", row(SUB_A, "rg-web", "Microsoft.Network/networkSecurityGroups", nsg_id, "nsg-web",
                           "japaneast", {"securityRules": rules, "defaultSecurityRules": [],
                                         "subnets": [{"id": nsg_id.replace("networkSecurityGroups/nsg-web",
                                                                            "virtualNetworks/vnet/subnets/web")}],
                                         "provisioningState": "Succeeded"}))
        self.ids.pop("nsg_web")

        # -- Key Vault ---------------------------------------------------------------------------------
        kv_props = {"tenantId": "72f988bf-0000-4000-8000-00000000fake", "sku": {"family": "A", "name": "premium"},
                    "enableSoftDelete": True, "softDeleteRetentionInDays": 90, "enablePurgeProtection": True,
                    "enableRbacAuthorization": True, "publicNetworkAccess": "Disabled",
                    "vaultUri": "https://kv-emr.vault.azure.net/", "provisioningState": "Succeeded"}
        kv = row(SUB_A, "rg-emr", "Microsoft.KeyVault/vaults", rid(SUB_A, "rg-emr", "Microsoft.KeyVault", "vaults",
                                                                     "kv-emr"), "kv-emr", "japaneast", kv_props)
        resources.append(kv)
        docs[kv["id"] + "/keys"] = {"value": [key(kv["id"], "cmk-rotated", rotate_every("P90D")),
                                              key(kv["id"], "cmk-never", None)],
                                    "nextLink": f"{{base}}{kv['id']}/keys?api-version=2023-07-01&$skiptoken=p2"}
        docs[kv["id"] + "/keys?page2"] = {"value": [key(kv["id"], "cmk-slow", rotate_every("P2Y"))]}
        for n in ("cmk-rotated", "cmk-never", "cmk-slow"):
            self.ids["key_" + n] = f"{kv['id']}/keys/{n}"
        kv_dr = row(SUB_B, "rg-dr", "Microsoft.KeyVault/vaults", rid(SUB_B, "rg-dr", "Microsoft.KeyVault", "vaults",
                                                                     "kv-dr"), "kv-dr", "eastus",
                    {**kv_props, "enablePurgeProtection": None, "publicNetworkAccess": "Enabled"})
        resources.append(kv_dr)
        self.ids["kv_dr"] = kv_dr["id"]
        self.denied = {kv_dr["id"].lower() + "/keys"}  # the identity may not list this vault's keys

        # -- backup vaults -----------------------------------------------------------------------------
        add("rsv_jp", row(SUB_A, "rg-bk", "Microsoft.RecoveryServices/vaults",
                          rid(SUB_A, "rg-bk", "Microsoft.RecoveryServices", "vaults", "rsv-emr"), "rsv-emr",
                          "japaneast", {"provisioningState": "Succeeded", "publicNetworkAccess": "Disabled",
                                        "securitySettings": {"immutabilitySettings": {"state": "Locked"},
                                                             "softDeleteSettings": {"softDeleteState": "AlwaysON",
                                                                                    "softDeleteRetentionPeriodInDays": 14,
                                                                                    "enhancedSecurityState": "AlwaysON"}},
                                        "redundancySettings": {"standardTierStorageRedundancy": "GeoRedundant",
                                                               "crossRegionRestore": "Enabled"}},
                          sku={"name": "RS0", "tier": "Standard"}, tags=MEDICAL))
        add("rsv_open", row(SUB_A, "rg-bk", "Microsoft.RecoveryServices/vaults",
                            rid(SUB_A, "rg-bk", "Microsoft.RecoveryServices", "vaults", "rsv-lab"), "rsv-lab",
                            "japanwest", {"provisioningState": "Succeeded",
                                          "securitySettings": {"immutabilitySettings": {"state": "Disabled"},
                                                               "softDeleteSettings": {"softDeleteState": "Disabled"}},
                                          "redundancySettings": {"standardTierStorageRedundancy": "LocallyRedundant",
                                                                 "crossRegionRestore": "Disabled"}},
                            sku={"name": "RS0", "tier": "Standard"}, tags=MEDICAL))
        # Immutability turned on but not locked: a privileged user can turn it off again (SAN-BKP-002 FAIL).
        add("rsv_unlocked", row(SUB_A, "rg-bk", "Microsoft.RecoveryServices/vaults",
                                rid(SUB_A, "rg-bk", "Microsoft.RecoveryServices", "vaults", "rsv-imaging"), "rsv-imaging",
                                "japaneast", {"provisioningState": "Succeeded",
                                              "securitySettings": {"immutabilitySettings": {"state": "Unlocked"},
                                                                   "softDeleteSettings": {"softDeleteState": "Enabled"}},
                                              "redundancySettings": {"standardTierStorageRedundancy": "LocallyRedundant",
                                                                     "crossRegionRestore": "Disabled"}},
                                sku={"name": "RS0", "tier": "Standard"}, tags=MEDICAL))
        add("bv_us", row(SUB_B, "rg-dr", "Microsoft.DataProtection/backupVaults",
                         rid(SUB_B, "rg-dr", "Microsoft.DataProtection", "backupVaults", "bv-dr"), "bv-dr",
                         "eastus", {"provisioningState": "Succeeded",
                                    "storageSettings": [{"datastoreType": "VaultStore", "type": "GeoRedundant"}],
                                    "securitySettings": {"softDeleteSettings": {"state": "On",
                                                                                "retentionDurationInDays": 14},
                                                         "immutabilitySettings": {"state": "Disabled"}},
                                    "featureSettings": {"crossRegionRestoreSettings": {"state": "Enabled"}}},
                         tags=MEDICAL))

        # -- Activity Log diagnostic settings ------------------------------------------------------------
        docs[f"/subscriptions/{SUB_A}/providers/Microsoft.Insights/diagnosticSettings"] = {"value": [{
            "id": f"/subscriptions/{SUB_A}/providers/microsoft.insights/diagnosticSettings/to-audit",
            "name": "to-audit", "type": "Microsoft.Insights/diagnosticSettings",
            "properties": {"storageAccountId": logs["id"], "workspaceId": None, "eventHubAuthorizationRuleId": None,
                           "logs": [{"category": c, "enabled": c == "Administrative" or c == "Security"}
                                    for c in ("Administrative", "Security", "ServiceHealth", "Alert",
                                              "Recommendation", "Policy", "Autoscale", "ResourceHealth")]}}]}
        docs[f"/subscriptions/{SUB_B}/providers/Microsoft.Insights/diagnosticSettings"] = {"value": [{
            "id": f"/subscriptions/{SUB_B}/providers/microsoft.insights/diagnosticSettings/to-dr-audit",
            "name": "to-dr-audit", "type": "Microsoft.Insights/diagnosticSettings",
            "properties": {"storageAccountId": logs_dr["id"], "workspaceId": None, "eventHubAuthorizationRuleId": None,
                           "logs": [{"categoryGroup": "audit", "enabled": True}]}}]}
        self.ids["trail_a"] = f"/subscriptions/{SUB_A}/providers/Microsoft.Insights/diagnosticSettings"
        self.ids["trail_b"] = f"/subscriptions/{SUB_B}/providers/Microsoft.Insights/diagnosticSettings"

        # -- Defender for Cloud plans (securityresources) ---------------------------------------------------
        security = []
        for sub, plan, tier in ((SUB_A, "VirtualMachines", "Standard"), (SUB_A, "SqlServers", "Standard"),
                                (SUB_A, "StorageAccounts", "Free"), (SUB_B, "VirtualMachines", "Free"),
                                (SUB_B, "Containers", "Standard")):
            pid = f"/subscriptions/{sub}/providers/Microsoft.Security/pricings/{plan}"
            self.ids[f"plan_{sub[:1]}_{plan}"] = pid
            security.append({"id": pid, "name": plan, "type": "microsoft.security/pricings", "tenantId": "",
                             "kind": "", "location": "", "resourceGroup": "", "subscriptionId": sub,
                             "managedBy": "", "sku": None, "plan": None, "tags": None, "identity": None,
                             "zones": None, "extendedLocation": None,
                             "properties": {"pricingTier": tier, "freeTrialRemainingTime": "PT0S",
                                            **({"subPlan": "P2", "enablementTime": "2025-01-01T00:00:00Z"}
                                               if tier == "Standard" else {})}})
        subscriptions = [
            {"id": f"/subscriptions/{s}", "name": n, "type": "microsoft.resources/subscriptions", "tenantId": "",
             "kind": "", "location": "", "resourceGroup": "", "subscriptionId": s, "managedBy": "", "sku": None,
             "plan": None, "properties": {"state": "Enabled", "subscriptionPolicies": {
                 "locationPlacementId": "Public_2014-09-01", "quotaId": "EnterpriseAgreement_2014-09-01",
                 "spendingLimit": "Off"}}, "tags": {}, "identity": None, "zones": None, "extendedLocation": None}
            for s, n in ((SUB_A, "hospital-prod"), (SUB_B, "hospital-dr"))]
        # -- role assignments (authorizationresources) ---------------------------------------------------
        sa, sb = f"/subscriptions/{SUB_A}", f"/subscriptions/{SUB_B}"
        custom_full = "9d0e1f2a-0000-4000-8000-00000000cafe"
        authorization = [
            role_assignment(sa, 1, OWNER, U_OPS_OWNER, "User", SUB_A),                 # FAIL
            role_assignment(sb, 2, CONTRIBUTOR, G_INFRA, "Group", SUB_B),              # FAIL (a group)
            role_assignment(sa, 3, custom_full, U_CUSTOM_FULL, "User", SUB_A, sa),     # FAIL (custom role: *)
            role_assignment(sa, 4, READER, U_READER, "User", SUB_A),                   # not admin: not listed
            role_assignment(f"{sa}/resourceGroups/rg-web", 5, OWNER, U_RG_OWNER, "User", SUB_A),  # one group only
            role_assignment(sa, 6, OWNER, U_BREAK_GLASS, "User", SUB_A),               # break-glass by parameter
            role_assignment(sb, 7, OWNER, U_BREAK_GLASS, "User", SUB_B),
            role_assignment(sa, 8, OWNER, SP_PIPELINE, "ServicePrincipal", SUB_A),     # not a person
            # at management-group scope: in an export taken at that scope, not in a subscription-scoped query
            role_assignment(MG, 9, USER_ACCESS_ADMIN, G_MG_UAA, "Group"),
            role_definition(sa, custom_full, "Hospital Ops (full)", ["*"], SUB_A),
            role_definition("", READER, "Reader", ["*/read"], custom=False),
        ]
        self.rows = {"resources": resources, "securityresources": security, "resourcecontainers": subscriptions,
                     "authorizationresources": authorization}
        self.docs = docs

    def export_records(self, tables: tuple[str, ...] = ("resources", "securityresources", "resourcecontainers",
                                                        "authorizationresources")) -> list[dict]:
        return [r for table in tables for r in self.rows[table]]
