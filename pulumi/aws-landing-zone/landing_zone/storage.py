"""S3: the locked audit-log bucket, and the medical-records bucket with its replica in the copy
region. Every bucket: SSE-KMS with a customer-managed key, a policy that refuses non-TLS (and
pre-TLS-1.2) access, Public Access Block, versioning, and Object Lock in COMPLIANCE mode."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi_aws as aws

import pulumi

from .kms import Keys
from .providers import Providers
from .settings import Settings
from .tags import tags


@dataclass(frozen=True)
class Buckets:
    logs: aws.s3.Bucket
    records: aws.s3.Bucket
    replica: aws.s3.Bucket
    logs_policy: aws.s3.BucketPolicy  # CloudTrail and Config check it before they accept the bucket


def _tls_only(arn: str) -> list[dict[str, Any]]:
    both = [arn, f"{arn}/*"]
    return [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": both,
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
        {
            "Sid": "DenyTlsBelow12",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": both,
            "Condition": {"NumericLessThan": {"s3:TlsVersion": "1.2"}},
        },
    ]


def _log_writers(arn: str, account: str) -> list[dict[str, Any]]:
    services = ["cloudtrail.amazonaws.com", "delivery.logs.amazonaws.com", "config.amazonaws.com"]
    owner = {"StringEquals": {"aws:SourceAccount": account}}
    return [
        {
            "Sid": "LogServicesCheckAcl",
            "Effect": "Allow",
            "Principal": {"Service": services},
            "Action": ["s3:GetBucketAcl", "s3:ListBucket"],
            "Resource": arn,
            "Condition": owner,
        },
        {
            "Sid": "LogServicesWrite",
            "Effect": "Allow",
            "Principal": {"Service": services},
            "Action": "s3:PutObject",
            "Resource": f"{arn}/*",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": account, "s3:x-amz-acl": "bucket-owner-full-control"}
            },
        },
    ]


def secure_bucket(
    name: str,
    bucket_name: str,
    key: aws.kms.Key,
    bucket_tags: dict[str, str],
    lock_days: int,
    s: Settings,
    p: Providers,
    *,
    copy: bool = False,
    account: pulumi.Output[str] | None = None,
) -> tuple[aws.s3.Bucket, aws.s3.BucketVersioning, aws.s3.BucketPolicy]:
    o = p.opts(copy=copy)
    b = aws.s3.Bucket(
        name,
        bucket=bucket_name,
        object_lock_enabled=s.object_lock,
        force_destroy=False,
        tags=bucket_tags,
        opts=o,
    )
    aws.s3.BucketOwnershipControls(
        f"{name}-ownership", bucket=b.id, rule={"object_ownership": "BucketOwnerEnforced"}, opts=o
    )
    aws.s3.BucketPublicAccessBlock(
        f"{name}-pab",
        bucket=b.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=o,
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-sse",
        bucket=b.id,
        rules=[
            {
                "apply_server_side_encryption_by_default": {
                    "sse_algorithm": "aws:kms",
                    "kms_master_key_id": key.arn,
                },
                "bucket_key_enabled": True,
            }
        ],
        opts=o,
    )
    versioning = aws.s3.BucketVersioning(
        f"{name}-versioning", bucket=b.id, versioning_configuration={"status": "Enabled"}, opts=o
    )
    if s.object_lock:
        aws.s3.BucketObjectLockConfiguration(
            f"{name}-lock",
            bucket=b.id,
            rule={"default_retention": {"mode": "COMPLIANCE", "days": lock_days}},
            opts=p.opts(copy=copy, depends_on=[versioning]),
        )
    if account is None:
        policy = b.arn.apply(lambda arn: json.dumps({"Version": "2012-10-17", "Statement": _tls_only(arn)}))
    else:
        policy = pulumi.Output.all(b.arn, account).apply(
            lambda a: json.dumps(
                {"Version": "2012-10-17", "Statement": _tls_only(a[0]) + _log_writers(a[0], a[1])}
            )
        )
    bp = aws.s3.BucketPolicy(f"{name}-policy", bucket=b.id, policy=policy, opts=o)
    return b, versioning, bp


def make(s: Settings, p: Providers, keys: Keys, account: pulumi.Output[str]) -> Buckets:
    days = s.records_retention_days
    log_tags = tags(
        s,
        classification="internal",
        purpose="audit-logs",
        retention=f"{s.log_retention_days}d",
        backup="none (Object Lock)",
    )
    logs, _, logs_policy = secure_bucket(
        "audit-logs",
        f"{s.prefix}-audit-logs",
        keys.logs,
        log_tags,
        s.log_retention_days,
        s,
        p,
        account=account,
    )
    aws.s3.BucketLifecycleConfiguration(
        "audit-logs-lifecycle",
        bucket=logs.id,
        rules=[
            {
                "id": "expire-after-retention",
                "status": "Enabled",
                "filter": {},
                "expiration": {"days": s.log_retention_days},
                "noncurrent_version_expiration": {"noncurrent_days": 30},
            }
        ],
        opts=p.opts(),
    )

    rec_tags = tags(
        s,
        classification="medical-record",
        purpose="medical-records",
        retention=f"{days}d",
        backup="daily",
        medical=True,
        records="finalised",
    )
    records, rec_versioning, _ = secure_bucket(
        "medical-records", f"{s.prefix}-medical-records", keys.data, rec_tags, days, s, p
    )
    replica_tags = {**rec_tags, s.tag_keys["storagePurpose"]: "medical-records-replica"}
    replica, rep_versioning, _ = secure_bucket(
        "medical-records-osaka",
        f"{s.prefix}-medical-records-osaka",
        keys.data_copy,
        replica_tags,
        days,
        s,
        p,
        copy=True,
    )

    role = aws.iam.Role(
        "replication-role",
        assume_role_policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "s3.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
        opts=p.opts(),
    )
    aws.iam.RolePolicy(
        "replication-policy",
        role=role.id,
        policy=pulumi.Output.all(records.arn, replica.arn, keys.data.arn, keys.data_copy.arn).apply(
            lambda a: json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                            "Resource": a[0],
                        },
                        {
                            "Effect": "Allow",
                            "Action": [
                                "s3:GetObjectVersionForReplication",
                                "s3:GetObjectVersionAcl",
                                "s3:GetObjectVersionTagging",
                                "s3:GetObjectRetention",
                                "s3:GetObjectLegalHold",
                            ],
                            "Resource": f"{a[0]}/*",
                        },
                        {
                            "Effect": "Allow",
                            "Action": [
                                "s3:ReplicateObject",
                                "s3:ReplicateDelete",
                                "s3:ReplicateTags",
                                "s3:ObjectOwnerOverrideToBucketOwner",
                            ],
                            "Resource": f"{a[1]}/*",
                        },
                        {"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": a[2]},
                        {
                            "Effect": "Allow",
                            "Action": ["kms:Encrypt", "kms:GenerateDataKey"],
                            "Resource": a[3],
                        },
                    ],
                }
            )
        ),
        opts=p.opts(),
    )
    aws.s3.BucketReplicationConfig(
        "medical-records-replication",
        bucket=records.id,
        role=role.arn,
        rules=[
            {
                "id": "to-osaka",
                "status": "Enabled",
                "priority": 1,
                "filter": {},
                "delete_marker_replication": {"status": "Disabled"},
                "source_selection_criteria": {"sse_kms_encrypted_objects": {"status": "Enabled"}},
                "destination": {
                    "bucket": replica.arn,
                    "storage_class": "STANDARD",
                    "encryption_configuration": {"replica_kms_key_id": keys.data_copy.arn},
                },
            }
        ],
        opts=p.opts(depends_on=[rec_versioning, rep_versioning]),
    )
    return Buckets(logs, records, replica, logs_policy)
