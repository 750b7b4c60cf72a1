"""GuardDuty → one ``security.threat_detection`` per region (``enabled: false`` when no detector)."""

from __future__ import annotations

from sansho.policies.model import Resource, ThreatDetection

from .core import Context, ReadFailure, Unit, jsonable

SERVICE = "guardduty"
PERMISSIONS = [
    "guardduty:ListDetectors",
    "guardduty:GetDetector",
]


def plan(ctx: Context) -> list[Unit]:
    return [Unit(SERVICE, r, f"guardduty {r}", lambda c, r=r: detector(c, r)) for r in ctx.regions]


def region_id(ctx: Context, region: str) -> str:
    return f"arn:aws:guardduty:{region}:{ctx.account}:detector"


def detector(ctx: Context, region: str) -> list[Resource]:
    gd = ctx.client("guardduty", region)
    base = {"provider": "aws", "account": ctx.account, "region": region, "source": {"type": "live"},
            "name": f"GuardDuty {region}", "service": "GuardDuty"}
    try:
        ids = ctx.paginate(gd, "list_detectors", "DetectorIds")
    except ReadFailure as f:
        reason = ctx.record(f, service=SERVICE, region=region)
        return [ThreatDetection(id=region_id(ctx, region), read_errors={"enabled": reason}, **base)]
    if not ids:
        return [ThreatDetection(id=region_id(ctx, region), enabled=False, **base)]
    did = ids[0]
    arn = f"{region_id(ctx, region)}/{did}"
    try:
        d = ctx.call(gd, "get_detector", DetectorId=did)
    except ReadFailure as f:
        return [ThreatDetection(id=arn, read_errors={"enabled": ctx.record(f, resource=arn, service=SERVICE)}, **base)]
    return [ThreatDetection(id=arn, enabled=d.get("Status") == "ENABLED",
                            raw={"Status": d.get("Status"), "DataSources": jsonable(d.get("DataSources"))}, **base)]
