"""S3 buckets → ``storage.bucket``.

One global unit lists the buckets and reads the account's Public Access Block; each bucket is
then its own unit (location, encryption, Public Access Block, policy, ACL, versioning, Object
Lock, replication, tags). Replication destinations get their region after every bucket has been
read (:func:`link`), from the buckets collected or, for a bucket of another account, from
``GetBucketLocation``.
"""

from __future__ import annotations

from typing import Any

from sansho.collectors.aws_documents import (
    denies_insecure_transport,
    parse_policy_text,
    policy_public,
    tls_floor,
)
from sansho.policies.model import Destination, ObjectStorage, Resource

from .core import Context, ReadFailure, Unit, jsonable, medical_flag, tags_of

SERVICE = "s3"
PERMISSIONS = [
    "s3:ListAllMyBuckets",
    "s3:GetAccountPublicAccessBlock",
    "s3:GetBucketLocation",
    "s3:GetEncryptionConfiguration",
    "s3:GetBucketPublicAccessBlock",
    "s3:GetBucketPolicy",
    "s3:GetBucketAcl",
    "s3:GetBucketVersioning",
    "s3:GetBucketObjectLockConfiguration",
    "s3:GetReplicationConfiguration",
    "s3:GetBucketTagging",
]

PUBLIC_GRANTEES = ("http://acs.amazonaws.com/groups/global/AllUsers",
                   "http://acs.amazonaws.com/groups/global/AuthenticatedUsers")
def plan(ctx: Context) -> list[Unit]:
    return [Unit(SERVICE, None, "s3 buckets", _list_buckets)]


def _list_buckets(ctx: Context) -> list[Resource]:
    s3 = ctx.client("s3", ctx.home_region)
    buckets = ctx.paginate(s3, "list_buckets", "Buckets")
    try:
        resp = ctx.call(ctx.client("s3control", ctx.home_region), "get_public_access_block",
                        missing=("NoSuchPublicAccessBlockConfiguration",), AccountId=ctx.account)
        account_pab: dict[str, Any] | None = (resp or {}).get("PublicAccessBlockConfiguration") or {}
        account_pab_error = None
    except ReadFailure as f:
        account_pab, account_pab_error = None, ctx.record(f, service=SERVICE, region=None)
    for b in buckets:
        name = b["Name"]
        ctx.spawn(Unit(SERVICE, None, f"s3 bucket {name}",
                       lambda c, n=name, r=b.get("BucketRegion"): [_bucket(c, n, r, account_pab, account_pab_error)]))
    return []


def _bucket(ctx: Context, name: str, listed_region: str | None, account_pab: dict[str, Any] | None,
            account_pab_error: str | None) -> ObjectStorage:
    arn = f"arn:aws:s3:::{name}"
    errors: dict[str, str] = {}
    raw: dict[str, Any] = {}

    def read(field_names: tuple[str, ...], client: Any, method: str, missing: tuple[str, ...] = (), **kw: Any) -> Any:
        try:
            return ctx.call(client, method, missing=missing, Bucket=name, **kw), True
        except ReadFailure as f:
            reason = ctx.record(f, resource=arn, service=SERVICE)
            for fn in field_names:
                errors.setdefault(fn, reason)
            return None, False

    region: str | None = listed_region  # ListBuckets gives BucketRegion since 2024: no extra call
    if not region:
        loc, ok = read(("region", "country"), ctx.client("s3", ctx.home_region), "get_bucket_location")
        if ok:
            region = (loc or {}).get("LocationConstraint") or "us-east-1"
            if region == "EU":
                region = "eu-west-1"
    s3 = ctx.client("s3", region or ctx.home_region)

    # Encryption
    enc, ok = read(("encrypted", "key_managed_by", "kms_key_id"), s3, "get_bucket_encryption",
                   ("ServerSideEncryptionConfigurationNotFoundError",))
    encrypted = key_managed_by = kms_key_id = None
    if ok:
        raw["encryption"] = jsonable((enc or {}).get("ServerSideEncryptionConfiguration"))
        rules = ((enc or {}).get("ServerSideEncryptionConfiguration") or {}).get("Rules") or []
        default = next((r.get("ApplyServerSideEncryptionByDefault") for r in rules
                        if r.get("ApplyServerSideEncryptionByDefault")), None)
        if not default:
            encrypted = False
        else:
            encrypted = True
            algo = default.get("SSEAlgorithm", "")
            key = default.get("KMSMasterKeyID")
            if algo == "AES256" or not key or "alias/aws/" in key:
                key_managed_by = "provider"
            else:
                key_managed_by, kms_key_id = "customer", key

    # Public access: bucket Public Access Block, account Public Access Block, policy, ACL
    pab, ok = read(("public",), s3, "get_public_access_block", ("NoSuchPublicAccessBlockConfiguration",))
    bucket_pab = ((pab or {}).get("PublicAccessBlockConfiguration") or {}) if ok else None
    raw["public_access_block"] = jsonable(bucket_pab)
    raw["account_public_access_block"] = jsonable(account_pab)
    if account_pab is None and account_pab_error:
        errors.setdefault("public", account_pab_error)

    pol, pol_ok = read(("public", "tls_required", "min_tls_version"), s3, "get_bucket_policy", ("NoSuchBucketPolicy",))
    policy: dict[str, Any] | None = None
    if pol_ok:
        policy = parse_policy_text((pol or {}).get("Policy"))
        raw["policy"] = policy

    acl, ok = read(("public",), s3, "get_bucket_acl")
    acl_public: bool | None = None
    if ok:
        grants = (acl or {}).get("Grants") or []
        acl_public = any((g.get("Grantee") or {}).get("URI") in PUBLIC_GRANTEES for g in grants)

    public_by_policy = policy_public(policy) if pol_ok else None
    public = _effective_public(public_by_policy, acl_public, bucket_pab, account_pab)
    if public is not None:
        errors.pop("public", None)

    tls_required = min_tls = None
    if "tls_required" not in errors:
        tls_required = denies_insecure_transport(policy or {})
        min_tls = tls_floor(policy or {})

    ver, ok = read(("versioning",), s3, "get_bucket_versioning")
    versioning = ((ver or {}).get("Status") == "Enabled") if ok else None

    lock, ok = read(("immutable",), s3, "get_object_lock_configuration", ("ObjectLockConfigurationNotFoundError",))
    immutable = mode = retention = None
    if ok:
        immutable, mode, retention = object_lock_state(lock)

    rep, ok = read(("destinations",), s3, "get_bucket_replication", ("ReplicationConfigurationNotFoundError",))
    destinations: list[Destination] | None = None
    if ok:
        destinations = []
        for rule in ((rep or {}).get("ReplicationConfiguration") or {}).get("Rules") or []:
            if rule.get("Status") != "Enabled":
                continue
            d = rule.get("Destination") or {}
            target = d.get("Bucket")
            if target:
                destinations.append(Destination(relation="replication", target=target,
                                                account=d.get("Account") or None))
        raw["replication"] = jsonable((rep or {}).get("ReplicationConfiguration"))

    tg, ok = read(("tags",), s3, "get_bucket_tagging", ("NoSuchTagSet",))
    tags = tags_of((tg or {}).get("TagSet")) if ok else {}

    return ObjectStorage(
        id=arn, name=name, provider="aws", account=ctx.account, region=region,
        source={"type": "live"}, tags=tags, holds_medical_data=medical_flag(tags, ctx.tag_keys),
        encrypted=encrypted, key_managed_by=key_managed_by, kms_key_id=kms_key_id,
        public=public, tls_required=tls_required, min_tls_version=min_tls, versioning=versioning,
        immutable=immutable, immutability_mode=mode, retention_days=retention,
        destinations=destinations, read_errors=errors, raw=raw,
    )


def object_lock_state(resp: dict[str, Any] | None) -> tuple[bool, str | None, int | None]:
    """Object Lock in force means enabled *with* a default retention that locks every new object."""
    cfg = (resp or {}).get("ObjectLockConfiguration") or {}
    if cfg.get("ObjectLockEnabled") != "Enabled":
        return False, None, None
    ret = (cfg.get("Rule") or {}).get("DefaultRetention") or {}
    days = int(ret.get("Days") or 0) or int(ret.get("Years") or 0) * 365
    if not ret.get("Mode") or days <= 0:
        return False, None, None
    return True, str(ret["Mode"]).lower(), days


def _effective_public(policy_public: bool | None, acl_public: bool | None,
                      bucket_pab: dict[str, Any] | None, account_pab: dict[str, Any] | None) -> bool | None:
    def either(flag: str) -> bool | None:
        vals = [p.get(flag, False) if p is not None else None for p in (bucket_pab, account_pab)]
        if True in vals:
            return True
        return None if None in vals else False

    restrict = either("RestrictPublicBuckets")
    ignore_acls = either("IgnorePublicAcls")
    via_policy = _and_not(policy_public, restrict)
    via_acl = _and_not(acl_public, ignore_acls)
    if via_policy is True or via_acl is True:
        return True
    if via_policy is False and via_acl is False:
        return False
    return None


def _and_not(a: bool | None, blocked: bool | None) -> bool | None:
    if a is False or blocked is True:
        return False
    if a is True and blocked is False:
        return True
    return None


def link(ctx: Context, resources: list[Resource]) -> None:
    """Give replication destinations the region of their bucket."""
    regions = {r.id: r.region for r in resources if isinstance(r, ObjectStorage)}
    for r in resources:
        if not isinstance(r, ObjectStorage) or not r.destinations:
            continue
        for d in r.destinations:
            if d.target is None or d.region is not None:
                continue
            region = regions.get(d.target)
            if region is None and d.target not in regions:
                region = _lookup_region(ctx, d.target, r)
                regions[d.target] = region
            if region is not None:
                d.region = region
        _fill_countries(r)


def _lookup_region(ctx: Context, target: str, owner: ObjectStorage) -> str | None:
    name = target.split(":::", 1)[-1]
    try:
        loc = ctx.call(ctx.client("s3", ctx.home_region), "get_bucket_location", Bucket=name)
    except ReadFailure as f:
        owner.read_errors.setdefault("destinations", f"region of {target}: " + ctx.record(f, resource=owner.id))
        return None
    return (loc or {}).get("LocationConstraint") or "us-east-1"


def _fill_countries(r: ObjectStorage) -> None:
    from sansho.policies.regions import country_of

    for d in r.destinations or []:
        if d.country is None and d.region is not None:
            d.country = country_of(d.provider or r.provider, d.region)
