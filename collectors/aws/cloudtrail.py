"""CloudTrail trails → ``audit.trail`` (multi-region, log file validation, logging, destination lock, retention).

Each trail is emitted once, from its home region. Whether the destination bucket is write-once
(``destination_immutable``, and ``destination_immutability_mode``: GOVERNANCE or COMPLIANCE) is read
from that bucket's Object Lock configuration, and how long
logs are kept (``retention_days``) from its lifecycle rules (:func:`log_retention`).
"""

from __future__ import annotations

from sansho.collectors.aws_documents import log_retention
from sansho.policies.model import AuditTrail, Resource

from .core import Context, ReadFailure, Unit, jsonable
from .s3 import object_lock_state

SERVICE = "cloudtrail"
PERMISSIONS = [
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetTrailStatus",
    "s3:GetBucketObjectLockConfiguration",
    "s3:GetLifecycleConfiguration",
]


def plan(ctx: Context) -> list[Unit]:
    return [Unit(SERVICE, r, f"cloudtrail {r}", lambda c, r=r: trails(c, r)) for r in ctx.regions]


def trails(ctx: Context, region: str) -> list[Resource]:
    ct = ctx.client("cloudtrail", region)
    listed = ctx.call(ct, "describe_trails", includeShadowTrails=False).get("trailList") or []
    out: list[Resource] = []
    for t in listed:
        if (t.get("HomeRegion") or region) != region:
            continue
        arn = t.get("TrailARN") or f"arn:aws:cloudtrail:{region}:{ctx.account}:trail/{t['Name']}"
        errors: dict[str, str] = {}
        raw = {"trail": jsonable(t)}
        enabled = None
        try:
            status = ctx.call(ct, "get_trail_status", Name=arn)
            enabled = bool(status.get("IsLogging"))
            raw["status"] = {"IsLogging": status.get("IsLogging")}
        except ReadFailure as f:
            errors["enabled"] = ctx.record(f, resource=arn, service=SERVICE)
        bucket = t.get("S3BucketName")
        immutable = retention = mode = None
        lock_days: int | None = None
        if bucket:
            s3 = ctx.client("s3", region)
            try:
                lock = ctx.call(s3, "get_object_lock_configuration",
                                missing=("ObjectLockConfigurationNotFoundError",), Bucket=bucket)
                immutable, mode, lock_days = object_lock_state(lock)
            except ReadFailure as f:
                errors["destination_immutable"] = ctx.record(f, resource=arn, service=SERVICE)
            try:
                lc = ctx.call(s3, "get_bucket_lifecycle_configuration", missing=("NoSuchLifecycleConfiguration",),
                              Bucket=bucket)
                raw["lifecycle"] = jsonable((lc or {}).get("Rules"))
                prefix = f"{t['S3KeyPrefix']}/" if t.get("S3KeyPrefix") else ""
                retention, why = log_retention((lc or {}).get("Rules"), prefix + "AWSLogs/", lock_days)
                if why:
                    errors["retention_days"] = why
            except ReadFailure as f:
                errors["retention_days"] = ctx.record(f, resource=arn, service=SERVICE)
        else:
            errors["destination_immutable"] = errors["retention_days"] = "the trail delivers to no S3 bucket"
        out.append(AuditTrail(
            id=arn, name=t.get("Name"), provider="aws", account=ctx.account, region=region,
            source={"type": "live"}, enabled=enabled, multi_region=bool(t.get("IsMultiRegionTrail")),
            integrity_validation=bool(t.get("LogFileValidationEnabled")),
            destination=f"arn:aws:s3:::{bucket}" if bucket else None, destination_immutable=immutable,
            destination_immutability_mode=mode,
            retention_days=retention,
            read_errors=errors, raw=raw,
        ))
    return out

