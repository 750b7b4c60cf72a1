"""sansho reference landing zone for Azure: a compliant estate for medical information by
construction (医療情報システムの安全管理に関するガイドライン 第6.0版). See ../README.md."""

import pulumi
from landing_zone import audit, backup, database, identity, keys, network, settings, storage

s = settings.load()
groups = settings.resource_groups(s)
kv = keys.make(s, groups)
net = network.make(s, groups)
accounts = storage.make(s, groups, kv, net)
db = database.make(s, groups, kv, net, accounts)
audit.make(s, groups, accounts)
vaults = backup.make(s, groups)
identity.make(s, groups)

pulumi.export("recordsAccount", accounts.records.name)
pulumi.export("auditLogAccount", accounts.logs.name)
pulumi.export("sqlServer", db.server.name)
pulumi.export("backupVault", vaults.primary.name)
pulumi.export("backupVaultCopy", vaults.copy.name)
