"""The account password policy, and a tagged break-glass role whose every use raises an alarm:
CloudTrail → EventBridge rule → SNS, plus a CloudWatch alarm on the rule's matches."""

from __future__ import annotations

import json

import pulumi_aws as aws

import pulumi

from .kms import Keys
from .providers import Providers
from .settings import Settings
from .tags import tags


def make(s: Settings, p: Providers, keys: Keys, account: pulumi.Output[str]) -> aws.iam.Role:
    aws.iam.AccountPasswordPolicy(
        "password-policy",
        minimum_password_length=14,
        require_uppercase_characters=True,
        require_lowercase_characters=True,
        require_numbers=True,
        require_symbols=True,
        allow_users_to_change_password=True,
        max_password_age=90,
        password_reuse_prevention=24,
        hard_expiry=False,
        opts=p.opts(),
    )

    principals = s.break_glass_principals or [account.apply(lambda a: f"arn:aws:iam::{a}:root")]
    trust = pulumi.Output.all(*principals).apply(
        lambda ps: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": list(ps)},
                        "Action": "sts:AssumeRole",
                        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
                    }
                ],
            }
        )
    )
    role = aws.iam.Role(
        "break-glass",
        name=f"{s.prefix}-break-glass",
        assume_role_policy=trust,
        max_session_duration=3600,
        description="緊急時用(break-glass)ロール: 使用は必ず警報され、事後に記録・確認する",
        tags=tags(
            s,
            classification="internal",
            purpose="identity",
            retention="none",
            backup="none",
        )
        | {s.tag_keys["purpose"]: "break_glass"},
        opts=p.opts(),
    )
    aws.iam.RolePolicyAttachment(
        "break-glass-admin",
        role=role.name,
        policy_arn="arn:aws:iam::aws:policy/AdministratorAccess",
        opts=p.opts(),
    )

    topic = aws.sns.Topic(
        "security-alarms", name=f"{s.prefix}-security-alarms", kms_master_key_id=keys.logs.arn, opts=p.opts()
    )
    if s.alarm_email:
        aws.sns.TopicSubscription(
            "security-alarms-email", topic=topic.arn, protocol="email", endpoint=s.alarm_email, opts=p.opts()
        )
    # AssumeRole calls are logged by CloudTrail in the region of the STS endpoint used; the trail is
    # multi-region, and this rule watches the primary region, where operators are told to sign in.
    rule = aws.cloudwatch.EventRule(
        "break-glass-used",
        name=f"{s.prefix}-break-glass-used",
        description="The break-glass role was assumed",
        event_pattern=role.arn.apply(
            lambda arn: json.dumps(
                {
                    "source": ["aws.sts"],
                    "detail-type": ["AWS API Call via CloudTrail"],
                    "detail": {"eventName": ["AssumeRole"], "requestParameters": {"roleArn": [arn]}},
                }
            )
        ),
        opts=p.opts(),
    )
    aws.cloudwatch.EventTarget("break-glass-used-sns", rule=rule.name, arn=topic.arn, opts=p.opts())
    aws.sns.TopicPolicy(
        "security-alarms-policy",
        arn=topic.arn,
        policy=pulumi.Output.all(topic.arn, rule.arn).apply(
            lambda a: json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "events.amazonaws.com"},
                            "Action": "sns:Publish",
                            "Resource": a[0],
                            "Condition": {"ArnEquals": {"aws:SourceArn": a[1]}},
                        }
                    ],
                }
            )
        ),
        opts=p.opts(),
    )
    aws.cloudwatch.MetricAlarm(
        "break-glass-alarm",
        name=f"{s.prefix}-break-glass-used",
        namespace="AWS/Events",
        metric_name="TriggeredRules",
        dimensions={"RuleName": rule.name},
        statistic="Sum",
        period=60,
        evaluation_periods=1,
        threshold=1,
        comparison_operator="GreaterThanOrEqualToThreshold",
        treat_missing_data="notBreaching",
        alarm_actions=[topic.arn],
        alarm_description="緊急時用ロールが使用されました / the break-glass role was used",
        opts=p.opts(),
    )
    return role
