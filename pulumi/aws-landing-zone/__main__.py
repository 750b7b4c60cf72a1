"""sansho reference landing zone for AWS: a compliant estate for medical information by
construction (医療情報システムの安全管理に関するガイドライン 第6.0版). See ../README.md."""

import pulumi_aws as aws
from landing_zone import audit, backup, database, identity, kms, network, providers, settings, storage

import pulumi

s = settings.load()
p = providers.make(s)
account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(provider=p.primary)).account_id

keys = kms.make(s, p, account)
buckets = storage.make(s, p, keys, account)
net = network.make(s, p, buckets.logs.arn)
db = database.make(s, p, keys, net)
trail = audit.make(s, p, keys, buckets)
plan = backup.make(s, p, keys, protected=[db.arn, buckets.records.arn])
break_glass = identity.make(s, p, keys, account)

pulumi.export("vpcId", net.vpc.id)
pulumi.export("medicalRecordsBucket", buckets.records.bucket)
pulumi.export("medicalRecordsReplica", buckets.replica.bucket)
pulumi.export("auditLogBucket", buckets.logs.bucket)
pulumi.export("databaseEndpoint", db.endpoint)
pulumi.export("trailArn", trail.arn)
pulumi.export("backupPlanId", plan.id)
pulumi.export("breakGlassRoleArn", break_glass.arn)
