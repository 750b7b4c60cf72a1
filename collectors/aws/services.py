"""The service modules, in the order their units are scheduled (slow, fan-out ones first)."""

from __future__ import annotations

from . import backup, cloudtrail, config, dynamodb, ec2, efs, elbv2, guardduty, iam, kms, rds, s3, ssm

MODULES = [s3, iam, ec2, dynamodb, kms, rds, elbv2, efs, cloudtrail, backup, guardduty, config, ssm]
# Cross-resource steps after every unit has run (destination regions, key managers, methods…).
LINKS = [s3.link, kms.link, backup.link, config.link, ec2.link, rds.link, iam.link]
