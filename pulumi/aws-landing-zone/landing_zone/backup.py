"""AWS Backup: a plan with daily, weekly and monthly generations into a locked vault, each copied
to a locked vault in the copy region, and the monthly ones (optionally) to a vault in another
account."""

from __future__ import annotations

import json

import pulumi_aws as aws

import pulumi

from .kms import Keys
from .providers import Providers
from .settings import Settings
from .tags import tags

SCHEDULES = {  # UTC; 02:00-04:00 JST
    "daily": "cron(0 17 * * ? *)",
    "weekly": "cron(0 18 ? * SUN *)",
    "monthly": "cron(0 19 1 * ? *)",
}


def _vault(
    name: str, vault_name: str, key: aws.kms.Key, s: Settings, p: Providers, copy: bool
) -> aws.backup.Vault:
    v = aws.backup.Vault(
        name,
        name=vault_name,
        kms_key_arn=key.arn,
        force_destroy=False,
        tags=tags(
            s,
            classification="medical-record",
            purpose="backup-vault",
            retention=f"{max(s.backup_retention.values())}d",
            backup="daily",
            medical=True,
        ),
        opts=p.opts(copy=copy),
    )
    # Vault Lock in compliance mode: after changeable_for_days nobody, root included, can shorten it.
    aws.backup.VaultLockConfiguration(
        f"{name}-lock",
        backup_vault_name=v.name,
        min_retention_days=7,
        max_retention_days=3650,
        changeable_for_days=3,
        opts=p.opts(copy=copy),
    )
    return v


def make(s: Settings, p: Providers, keys: Keys, protected: list[pulumi.Input[str]]) -> aws.backup.Plan:
    vault = _vault("backup-vault", f"{s.prefix}-vault", keys.backups, s, p, copy=False)
    copy_vault = _vault("backup-vault-osaka", f"{s.prefix}-vault-osaka", keys.backups_copy, s, p, copy=True)
    rules = []
    for gen, schedule in SCHEDULES.items():
        keep = s.backup_retention[gen]
        copies = [{"destination_vault_arn": copy_vault.arn, "lifecycle": {"delete_after": keep}}]
        if gen == "monthly" and s.isolated_vault_arn:
            copies.append(
                {"destination_vault_arn": s.isolated_vault_arn, "lifecycle": {"delete_after": keep}}
            )
        rules.append(
            {
                "rule_name": gen,
                "target_vault_name": vault.name,
                "schedule": schedule,
                "start_window": 60,
                "completion_window": 360,
                "lifecycle": {"delete_after": keep},
                "copy_actions": copies,
            }
        )
    plan = aws.backup.Plan(
        "backup-plan",
        name=f"{s.prefix}-plan",
        rules=rules,
        tags=tags(
            s,
            classification="medical-record",
            purpose="backup-plan",
            medical=True,
            retention=f"{max(s.backup_retention.values())}d",
            backup="daily/weekly/monthly",
        ),
        opts=p.opts(),
    )
    role = aws.iam.Role(
        "backup-role",
        assume_role_policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "backup.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
        opts=p.opts(),
    )
    for i, arn in enumerate(
        (
            "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
            "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
            "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
            "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
        )
    ):
        aws.iam.RolePolicyAttachment(f"backup-role-{i}", role=role.name, policy_arn=arn, opts=p.opts())
    aws.backup.Selection(
        "backup-selection",
        name=f"{s.prefix}-medical",
        plan_id=plan.id,
        iam_role_arn=role.arn,
        resources=protected,
        opts=p.opts(),
    )
    return plan
