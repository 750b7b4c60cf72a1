"""A Backup and DR backup vault in the primary region whose minimum enforced retention makes the backups
immutable for that period (write-once); Cloud SQL's own backups go to copyRegion (database.py)."""

from __future__ import annotations

import pulumi_gcp as gcp

from .settings import Settings, labels, opts


def make(s: Settings, p: gcp.Provider) -> gcp.backupdisasterrecovery.BackupVault:
    return gcp.backupdisasterrecovery.BackupVault(
        "backup-vault", backup_vault_id=f"{s.prefix}-vault", location=s.primary,
        backup_minimum_enforced_retention_duration=f"{35 * 86400}s",
        access_restriction="WITHIN_ORGANIZATION", force_delete=False,
        labels=labels(s, classification="medical-confidential", purpose="backup", retention="35d", backup="daily",
                      medical=True, zone="medical"),
        opts=opts(p))
