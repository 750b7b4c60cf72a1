"""The break-glass user: project owner, and an alert to alertEmail whenever an audit log names it as
the caller (log-based metric → alert policy)."""

from __future__ import annotations

import pulumi_gcp as gcp

from .settings import Settings, opts


def make(s: Settings, p: gcp.Provider) -> None:
    if not s.break_glass_user:
        return
    gcp.projects.IAMMember("break-glass-owner", project=s.project, role="roles/owner",
                           member=f"user:{s.break_glass_user}", opts=opts(p))
    metric = gcp.logging.Metric(
        "break-glass-used", name=f"{s.prefix}-break-glass-used", project=s.project,
        filter=f'protoPayload.authenticationInfo.principalEmail="{s.break_glass_user}"',
        metric_descriptor={"metric_kind": "DELTA", "value_type": "INT64"}, opts=opts(p))
    channels = []
    if s.alert_email:
        channels.append(gcp.monitoring.NotificationChannel(
            "security-email", display_name="security", type="email", project=s.project,
            labels={"email_address": s.alert_email}, opts=opts(p)).id)
    gcp.monitoring.AlertPolicy(
        "break-glass-alert", display_name="break-glass account used (緊急時用アカウントの使用)", project=s.project,
        combiner="OR", notification_channels=channels,
        conditions=[{"display_name": "any use", "condition_threshold": {
            "filter": metric.name.apply(lambda n: f'metric.type="logging.googleapis.com/user/{n}"'),
            "comparison": "COMPARISON_GT", "threshold_value": 0, "duration": "0s",
            "aggregations": [{"alignment_period": "60s", "per_series_aligner": "ALIGN_COUNT"}]}}],
        opts=opts(p))
