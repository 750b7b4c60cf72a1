"""CloudTrail trails → ``audit.trail`` (multi-region, log file validation, logging, destination lock).

Each trail is emitted once, from its home region. Whether the destination bucket is write-once
(``destination_immutable``) is read from that bucket's Object Lock configuration.
"""

from __future__ import annotations

from sansho.policies.model import AuditTrail, Resource

from .core import Context, ReadFailure, Unit, jsonable
from .s3 import object_lock_state

SERVICE = "cloudtrail"
PERMISSIONS = [
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetTrailStatus",
    "s3:GetBucketObjectLockConfiguration",
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
        immutable = None
        if bucket:
            try:
                lock = ctx.call(ctx.client("s3", region), "get_object_lock_configuration",
                                missing=("ObjectLockConfigurationNotFoundError",), Bucket=bucket)
                immutable = object_lock_state(lock)[0]
            except ReadFailure as f:
                errors["destination_immutable"] = ctx.record(f, resource=arn, service=SERVICE)
        else:
            errors["destination_immutable"] = "the trail delivers to no S3 bucket"
        out.append(AuditTrail(
            id=arn, name=t.get("Name"), provider="aws", account=ctx.account, region=region,
            source={"type": "live"}, enabled=enabled, multi_region=bool(t.get("IsMultiRegionTrail")),
            integrity_validation=bool(t.get("LogFileValidationEnabled")),
            destination=f"arn:aws:s3:::{bucket}" if bucket else None, destination_immutable=immutable,
            read_errors=errors, raw=raw,
        ))
    return out
