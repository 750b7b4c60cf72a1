"""KMS customer-managed keys → ``kms.key`` (rotation, rotation period, state).

AWS-managed keys are read only to tell them apart (``describe_key``); they are not emitted, but
their ARNs let :func:`link` mark resources encrypted with them as ``key_managed_by: provider``.
"""

from __future__ import annotations

from typing import Any

from sansho.policies.model import Key, Resource

from .core import Context, ReadFailure, Unit, jsonable, tags_of

SERVICE = "kms"
PERMISSIONS = [
    "kms:ListKeys",
    "kms:ListAliases",
    "kms:DescribeKey",
    "kms:GetKeyRotationStatus",
    "kms:ListResourceTags",
]

# A key whose rotation was turned on before rotation periods existed rotates yearly.
DEFAULT_ROTATION_DAYS = 365
STATES = {"Enabled": "enabled", "Disabled": "disabled", "PendingDeletion": "pending_deletion",
          "PendingReplicaDeletion": "pending_deletion"}


def plan(ctx: Context) -> list[Unit]:
    return [Unit(SERVICE, r, f"kms {r}", lambda c, r=r: keys(c, r)) for r in ctx.regions]


def keys(ctx: Context, region: str) -> list[Resource]:
    kms = ctx.client("kms", region)
    listed = ctx.paginate(kms, "list_keys", "Keys")
    try:
        aliases = ctx.paginate(kms, "list_aliases", "Aliases")
    except ReadFailure as f:
        ctx.record(f, service=SERVICE, region=region)
        aliases = []
    alias_of: dict[str, str] = {}
    for a in aliases:
        if a.get("TargetKeyId"):
            alias_of.setdefault(a["TargetKeyId"], a["AliasName"])
    managers: dict[str, str] = ctx.shared.setdefault("kms_managers", {})
    out: list[Resource] = []
    for k in listed:
        kid, arn = k["KeyId"], k.get("KeyArn") or f"arn:aws:kms:{region}:{ctx.account}:key/{k['KeyId']}"
        try:
            meta = ctx.call(kms, "describe_key", KeyId=arn)["KeyMetadata"]
        except ReadFailure as f:
            reason = ctx.record(f, resource=arn, service=SERVICE)
            out.append(Key(id=arn, provider="aws", account=ctx.account, region=region, source={"type": "live"},
                           name=alias_of.get(kid),
                           read_errors={"key_managed_by": reason, "rotation_enabled": reason, "state": reason}))
            continue
        # The alias/aws/ namespace is reserved for AWS-managed keys.
        aws_alias = str(alias_of.get(kid, "")).startswith("alias/aws/")
        manager = "provider" if meta.get("KeyManager") == "AWS" or aws_alias else "customer"
        managers[arn] = manager
        if alias_of.get(kid):
            managers[f"arn:aws:kms:{region}:{ctx.account}:{alias_of[kid]}"] = manager
        if manager == "provider":
            continue
        errors: dict[str, str] = {}
        raw: dict[str, Any] = {"metadata": jsonable(meta)}
        state = STATES.get(str(meta.get("KeyState")))
        if state is None:
            errors["state"] = f"key state {meta.get('KeyState')} has no normalized value"
        rotation = period = None
        if state != "pending_deletion":
            try:
                rot = ctx.call(kms, "get_key_rotation_status", KeyId=arn)
                raw["rotation"] = jsonable(rot)
                rotation = bool(rot.get("KeyRotationEnabled"))
                if rotation:
                    period = int(rot.get("RotationPeriodInDays") or DEFAULT_ROTATION_DAYS)
            except ReadFailure as f:
                errors["rotation_enabled"] = ctx.record(f, resource=arn, service=SERVICE)
        try:
            tags = tags_of(ctx.paginate(kms, "list_resource_tags", "Tags", KeyId=arn), "TagKey", "TagValue")
        except ReadFailure as f:
            tags, errors["tags"] = {}, ctx.record(f, resource=arn, service=SERVICE)
        out.append(Key(
            id=arn, name=alias_of.get(kid) or meta.get("Description") or kid, provider="aws",
            account=meta.get("AWSAccountId") or ctx.account, region=region, source={"type": "live"},
            tags=tags, key_managed_by="customer", rotation_enabled=rotation, rotation_period_days=period,
            state=state, read_errors=errors, raw=raw,
        ))
    return out


def link(ctx: Context, resources: list[Resource]) -> None:
    """Mark resources encrypted with a key read here as customer- or provider-managed."""
    managers: dict[str, str] = ctx.shared.get("kms_managers", {})
    for r in resources:
        key = getattr(r, "kms_key_id", None)
        if key and getattr(r, "key_managed_by", "x") is None:
            m = managers.get(key)
            if m is None and "alias/aws/" in key:
                m = "provider"
            if m is not None:
                r.key_managed_by = m  # type: ignore[attr-defined]
