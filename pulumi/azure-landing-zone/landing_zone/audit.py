"""The subscription's Activity Log (every category) and Entra ID sign-in and audit logs exported to the
write-once audit-log account, whose immutability period is logRetentionDays."""

from __future__ import annotations

import pulumi_azure_native as azure

from .settings import Groups, Settings
from .storage import Accounts

ACTIVITY_LOG = ["Administrative", "Security", "ServiceHealth", "Alert", "Recommendation", "Policy", "Autoscale",
                "ResourceHealth"]
ENTRA_LOGS = ["AuditLogs", "SignInLogs", "NonInteractiveUserSignInLogs", "ServicePrincipalSignInLogs"]


def make(s: Settings, g: Groups, accounts: Accounts) -> None:
    azure.monitor.SubscriptionDiagnosticSetting(
        "activity-log",
        name=f"{s.prefix}-activity-log",
        storage_account_id=accounts.logs.id,
        logs=[{"category": c, "enabled": True} for c in ACTIVITY_LOG],
    )
    azure.aadiam.DiagnosticSetting(
        "entra-logs",
        name=f"{s.prefix}-entra-logs",
        storage_account_id=accounts.logs.id,
        logs=[{"category": c, "enabled": True, "retention_policy": {"enabled": False, "days": 0}}
              for c in ENTRA_LOGS],
    )
