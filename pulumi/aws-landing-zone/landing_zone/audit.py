"""CloudTrail (all regions, log file validation) into the locked log bucket, with data events of
the medical-records bucket; GuardDuty in both regions; the AWS Config recorder."""

from __future__ import annotations

import pulumi_aws as aws

import pulumi

from .kms import Keys
from .providers import Providers
from .settings import Settings
from .storage import Buckets
from .tags import tags


def make(s: Settings, p: Providers, keys: Keys, buckets: Buckets) -> aws.cloudtrail.Trail:
    policy_ready = [buckets.logs_policy]
    trail = aws.cloudtrail.Trail(
        "trail",
        name=f"{s.prefix}-trail",
        s3_bucket_name=buckets.logs.bucket,
        s3_key_prefix="cloudtrail",
        is_multi_region_trail=True,
        include_global_service_events=True,
        enable_log_file_validation=True,
        enable_logging=True,
        kms_key_id=keys.logs.arn,
        event_selectors=[
            {
                "read_write_type": "All",
                "include_management_events": True,
                "data_resources": [
                    {"type": "AWS::S3::Object", "values": [pulumi.Output.concat(buckets.records.arn, "/")]}
                ],
            }
        ],
        tags=tags(
            s,
            classification="internal",
            purpose="audit-trail",
            retention=f"{s.log_retention_days}d",
            backup="none (Object Lock)",
        ),
        opts=p.opts(depends_on=policy_ready),
    )
    for copy in (False, True):
        aws.guardduty.Detector(
            f"guardduty{'-osaka' if copy else ''}",
            enable=True,
            finding_publishing_frequency="FIFTEEN_MINUTES",
            tags=tags(
                s, classification="internal", purpose="threat-detection", retention="90d", backup="none"
            ),
            opts=p.opts(copy=copy),
        )
    config_role = aws.iam.ServiceLinkedRole(
        "config-slr", aws_service_name="config.amazonaws.com", opts=p.opts()
    )
    recorder = aws.cfg.Recorder(
        "config-recorder",
        name=f"{s.prefix}-recorder",
        role_arn=config_role.arn,
        recording_group={"all_supported": True, "include_global_resource_types": True},
        opts=p.opts(),
    )
    channel = aws.cfg.DeliveryChannel(
        "config-delivery",
        name=f"{s.prefix}-delivery",
        s3_bucket_name=buckets.logs.bucket,
        s3_key_prefix="config",
        s3_kms_key_arn=keys.logs.arn,
        opts=p.opts(depends_on=[recorder, *policy_ready]),
    )
    aws.cfg.RecorderStatus(
        "config-recorder-status", name=recorder.name, is_enabled=True, opts=p.opts(depends_on=[channel])
    )
    return trail
