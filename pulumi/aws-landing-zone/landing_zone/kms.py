"""Customer-managed keys with yearly rotation: separate keys for data, logs and backups, in the
primary region and (data, backups) in the copy region."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi_aws as aws

import pulumi

from .providers import Providers
from .settings import Settings
from .tags import tags


@dataclass(frozen=True)
class Keys:
    data: aws.kms.Key
    logs: aws.kms.Key
    backups: aws.kms.Key
    data_copy: aws.kms.Key
    backups_copy: aws.kms.Key


def _logs_policy(account_id: pulumi.Output[str]) -> pulumi.Output[str]:
    # CloudTrail, VPC flow logs and Config write into the SSE-KMS log bucket: they need the key.
    return account_id.apply(
        lambda acct: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "AccountAdministers",
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{acct}:root"},
                        "Action": "kms:*",
                        "Resource": "*",
                    },
                    {
                        "Sid": "LogServicesEncrypt",
                        "Effect": "Allow",
                        "Principal": {
                            "Service": [
                                "cloudtrail.amazonaws.com",
                                "delivery.logs.amazonaws.com",
                                "config.amazonaws.com",
                                "events.amazonaws.com",
                                "sns.amazonaws.com",
                            ]
                        },
                        "Action": ["kms:GenerateDataKey*", "kms:Decrypt", "kms:DescribeKey"],
                        "Resource": "*",
                        "Condition": {"StringEquals": {"aws:SourceAccount": acct}},
                    },
                ],
            }
        )
    )


def make(s: Settings, p: Providers, account_id: pulumi.Output[str]) -> Keys:
    def key(name: str, purpose: str, medical: bool, copy: bool = False, policy=None) -> aws.kms.Key:
        key = aws.kms.Key(
            name,
            description=f"{s.prefix} {purpose}",
            enable_key_rotation=True,
            rotation_period_in_days=365,
            deletion_window_in_days=30,
            policy=policy,
            tags=tags(
                s,
                classification="confidential" if medical else "internal",
                purpose=f"kms-{purpose}",
                retention="until-data-deleted",
                backup="none",
                medical=medical,
            ),
            opts=p.opts(copy=copy),
        )
        aws.kms.Alias(
            f"{name}-alias", name=f"alias/{s.prefix}-{name}", target_key_id=key.key_id, opts=p.opts(copy=copy)
        )
        return key

    return Keys(
        data=key("data", "medical records and database", True),
        logs=key("logs", "audit logs", False, policy=_logs_policy(account_id)),
        backups=key("backups", "AWS Backup vault", True),
        data_copy=key("data-osaka", "medical records replica", True, copy=True),
        backups_copy=key("backups-osaka", "AWS Backup copy vault", True, copy=True),
    )
