"""DynamoDB tables → ``database.instance`` (engine ``dynamodb``).

Per region the tables are listed; each table is its own unit: ``DescribeTable`` (encryption at
rest and its key, global-table replicas), ``DescribeContinuousBackups`` (point-in-time
recovery → ``backup_retention_days``: its recovery period, 35 days unless set, 0 when off),
``GetResourcePolicy`` (``publicly_accessible``: a public principal without a restricting
condition; ``tls_required``: a Deny on ``aws:SecureTransport = false`` — DynamoDB's endpoints
also answer plain HTTP) and the tags.

DynamoDB always encrypts at rest: without an ``SSEDescription`` the key is AWS-owned
(``key_managed_by: provider``); with one the KMS key is named and :func:`kms.link` tells an
AWS-managed ``aws/dynamodb`` key from a customer-managed one. Global-table replicas (version
2019.11.21) are ``destinations`` with relation ``global_replica``.
"""

from __future__ import annotations

import json
from typing import Any

from sansho.collectors.aws_documents import RESTRICTING_CONDITION_KEYS, public_principal, statements
from sansho.policies.model import Database, Destination, Resource

from .core import Context, ReadFailure, Unit, jsonable, medical_flag, tags_of

SERVICE = "dynamodb"
PERMISSIONS = [
    "dynamodb:ListTables",
    "dynamodb:DescribeTable",
    "dynamodb:DescribeContinuousBackups",
    "dynamodb:GetResourcePolicy",
    "dynamodb:ListTagsOfResource",
]
PITR_DEFAULT_DAYS = 35


def plan(ctx: Context) -> list[Unit]:
    return [Unit(SERVICE, r, f"dynamodb {r}", lambda c, r=r: _list(c, r)) for r in ctx.regions]


def _list(ctx: Context, region: str) -> list[Resource]:
    for name in ctx.paginate(ctx.client("dynamodb", region), "list_tables", "TableNames"):
        ctx.spawn(Unit(SERVICE, region, f"dynamodb table {name}", lambda c, n=name: [table(c, region, n)]))
    return []


def policy_flags(doc: dict[str, Any] | None) -> tuple[bool, bool]:
    """(public, denies insecure transport) of a resource policy."""
    public = tls = False
    for s in statements(doc or {}):
        cond = s.get("Condition") or {}
        if s.get("Effect") == "Allow" and public_principal(s.get("Principal")):
            keys = {k.lower() for c in cond.values() if isinstance(c, dict) for k in c}
            public |= not keys & RESTRICTING_CONDITION_KEYS
        if s.get("Effect") == "Deny" and public_principal(s.get("Principal")):
            for op, c in cond.items():
                if str(op).lower().startswith("bool") and isinstance(c, dict):
                    tls |= any(k.lower() == "aws:securetransport" and "false" in str(v).lower() for k, v in c.items())
    return public, tls


def table(ctx: Context, region: str, name: str) -> Database:
    ddb = ctx.client("dynamodb", region)
    arn = f"arn:aws:dynamodb:{region}:{ctx.account}:table/{name}"
    errors: dict[str, str] = {}
    raw: dict[str, Any] = {}

    def read(fields: tuple[str, ...], method: str, missing: tuple[str, ...] = (), **kw: Any) -> tuple[Any, bool]:
        try:
            return ctx.call(ddb, method, missing=missing, **kw), True
        except ReadFailure as f:
            reason = ctx.record(f, resource=arn, service=SERVICE)
            for fn in fields:
                errors.setdefault(fn, reason)
            return None, False

    desc, ok = read(("encrypted", "key_managed_by", "kms_key_id", "destinations"), "describe_table", TableName=name)
    encrypted = key_managed_by = kms_key_id = None
    dests: list[Destination] | None = None
    if ok:
        t = (desc or {}).get("Table") or {}
        arn = t.get("TableArn") or arn
        raw["table"] = {k: jsonable(t.get(k)) for k in ("TableArn", "TableStatus", "SSEDescription", "Replicas",
                                                        "GlobalTableVersion", "DeletionProtectionEnabled")}
        sse = t.get("SSEDescription") or {}
        encrypted = True  # DynamoDB encrypts every table at rest
        if sse.get("SSEType") == "KMS" and sse.get("KMSMasterKeyArn"):
            kms_key_id = sse["KMSMasterKeyArn"]  # customer or AWS-managed: decided by kms.link
        else:
            key_managed_by = "provider"  # AWS-owned key
        dests = [Destination(relation="global_replica", target=f"arn:aws:dynamodb:{r['RegionName']}:{ctx.account}:table/{name}",
                             account=ctx.account, region=r["RegionName"])
                 for r in t.get("Replicas") or [] if r.get("RegionName") and r["RegionName"] != region]

    cb, ok = read(("backup_retention_days",), "describe_continuous_backups", TableName=name)
    retention = None
    if ok:
        pitr = ((cb or {}).get("ContinuousBackupsDescription") or {}).get("PointInTimeRecoveryDescription") or {}
        raw["point_in_time_recovery"] = jsonable(pitr)
        retention = int(pitr.get("RecoveryPeriodInDays") or PITR_DEFAULT_DAYS) \
            if pitr.get("PointInTimeRecoveryStatus") == "ENABLED" else 0

    pol, ok = read(("publicly_accessible", "tls_required"), "get_resource_policy", ("PolicyNotFoundException",),
                   ResourceArn=arn)
    public = tls = None
    if ok:
        doc = None
        if pol and pol.get("Policy"):
            try:
                doc = json.loads(pol["Policy"])
            except ValueError:
                doc = None
        raw["resource_policy"] = doc
        public, tls = policy_flags(doc if isinstance(doc, dict) else None)

    tg, ok = read(("tags",), "list_tags_of_resource", ResourceArn=arn)
    tags = tags_of((tg or {}).get("Tags")) if ok else {}
    return Database(
        id=arn, name=name, provider="aws", account=ctx.account, region=region, source={"type": "live"}, tags=tags,
        holds_medical_data=medical_flag(tags, ctx.tag_keys), engine="dynamodb", encrypted=encrypted,
        key_managed_by=key_managed_by, kms_key_id=kms_key_id, publicly_accessible=public, tls_required=tls,
        backup_retention_days=retention, destinations=dests, read_errors=errors, raw=raw,
    )
