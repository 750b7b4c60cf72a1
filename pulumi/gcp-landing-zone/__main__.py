"""sansho reference landing zone for Google Cloud: a compliant estate for medical information by
construction (医療情報システムの安全管理に関するガイドライン 第6.0版). See ../README.md."""

import pulumi
from landing_zone import audit, backup, database, identity, keys, network, settings, storage

s = settings.load()
p = settings.provider(s)
kms = keys.make(s, p)
net = network.make(s, p)
buckets = storage.make(s, p, kms)
db = database.make(s, p, kms, net)
audit.make(s, p, buckets)
vault = backup.make(s, p)
identity.make(s, p)

pulumi.export("recordsBucket", buckets.records.name)
pulumi.export("auditLogBucket", buckets.logs.name)
pulumi.export("sqlInstance", db.name)
pulumi.export("backupVault", vault.name)
