"""Cloud Audit Logs with Data Access logs (ADMIN_READ, DATA_READ, DATA_WRITE) for every service, and a
project sink of all audit logs into the locked audit-log bucket."""

from __future__ import annotations

import pulumi_gcp as gcp

from .settings import Settings, opts
from .storage import Buckets


def make(s: Settings, p: gcp.Provider, buckets: Buckets) -> None:
    gcp.projects.IAMAuditConfig(
        "data-access-logs", project=s.project, service="allServices",
        audit_log_configs=[{"log_type": t} for t in ("ADMIN_READ", "DATA_READ", "DATA_WRITE")], opts=opts(p))
    sink = gcp.logging.ProjectSink(
        "audit-sink", name=f"{s.prefix}-audit-sink", project=s.project,
        destination=buckets.logs.name.apply(lambda n: f"storage.googleapis.com/{n}"),
        filter='logName:"cloudaudit.googleapis.com"', unique_writer_identity=True, opts=opts(p))
    gcp.storage.BucketIAMMember("audit-sink-writer", bucket=buckets.logs.name, role="roles/storage.objectCreator",
                                member=sink.writer_identity, opts=opts(p))
