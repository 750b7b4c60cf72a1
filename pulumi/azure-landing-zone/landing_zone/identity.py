"""The break-glass account: Owner on the subscription, and an alert to alertEmail on anything it does
(Activity Log alert on its caller name)."""

from __future__ import annotations

import pulumi_azure_native as azure

import pulumi

from .settings import Groups, Settings
from .tags import tags

OWNER_ROLE = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"  # the built-in Owner role definition


def make(s: Settings, g: Groups) -> None:
    client = azure.authorization.get_client_config_output()
    scope = client.subscription_id.apply(lambda sid: f"/subscriptions/{sid}")
    if s.break_glass_object_id:
        azure.authorization.RoleAssignment(
            "break-glass-owner",
            principal_id=s.break_glass_object_id,
            principal_type="User",
            role_definition_id=pulumi.Output.concat(scope, f"/providers/Microsoft.Authorization/roleDefinitions/{OWNER_ROLE}"),
            scope=scope,
            description="break-glass (緊急時用アカウント): every use raises the break-glass-used alert",
        )
    infra = tags(s, classification="internal", purpose="security-alerting", retention="none", backup="none")
    group = azure.monitor.ActionGroup(
        "security-alerts",
        action_group_name=f"{s.prefix}-security",
        group_short_name="security",
        resource_group_name=g.primary.name,
        location="Global",
        enabled=True,
        email_receivers=[{"name": "security", "email_address": s.alert_email, "use_common_alert_schema": True}]
        if s.alert_email else [],
        tags=infra,
    )
    if s.break_glass_upn:
        azure.monitor.ActivityLogAlert(
            "break-glass-used",
            activity_log_alert_name=f"{s.prefix}-break-glass-used",
            resource_group_name=g.primary.name,
            location="Global",
            scopes=[scope],
            enabled=True,
            description="The break-glass account was used: confirm the emergency and rotate its credentials "
                        "(緊急時用アカウントが使用されました)",
            condition={"all_of": [{"field": "caller", "equals": s.break_glass_upn}]},
            actions={"action_groups": [{"action_group_id": group.id}]},
            tags=infra,
        )
