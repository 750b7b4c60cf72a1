"""RDS DB instances → ``database.instance``.

Encryption and key, public accessibility, backup retention, read replicas and automated-backup
replication in other regions (``destinations``), and TLS enforcement from the instance's DB
parameter group (``rds.force_ssl`` / ``require_secure_transport``).
"""

from __future__ import annotations

from typing import Any

from sansho.policies.model import Database, Destination, Resource

from .core import Context, ReadFailure, Unit, account_of_arn, jsonable, medical_flag, region_of_arn, tags_of

SERVICE = "rds"
PERMISSIONS = [
    "rds:DescribeDBInstances",
    "rds:DescribeDBParameters",
]

# engine prefix → (parameter, values that mean "TLS required")
TLS_PARAMETERS = {
    "postgres": ("rds.force_ssl", {"1", "on", "true"}),
    "sqlserver": ("rds.force_ssl", {"1", "on", "true"}),
    "mysql": ("require_secure_transport", {"1", "on", "true"}),
    "mariadb": ("require_secure_transport", {"1", "on", "true"}),
}


def plan(ctx: Context) -> list[Unit]:
    return [Unit(SERVICE, r, f"rds {r}", lambda c, r=r: instances(c, r)) for r in ctx.regions]


def instances(ctx: Context, region: str) -> list[Resource]:
    rds = ctx.client("rds", region)
    dbs = ctx.paginate(rds, "describe_db_instances", "DBInstances")
    groups: dict[str, tuple[dict[str, str] | None, str | None]] = {}
    out: list[Resource] = []
    for db in dbs:
        arn = db.get("DBInstanceArn") or f"arn:aws:rds:{region}:{ctx.account}:db:{db['DBInstanceIdentifier']}"
        tags = tags_of(db.get("TagList"))
        errors: dict[str, str] = {}
        dests: list[Destination] = []
        for rep in db.get("ReadReplicaDBInstanceIdentifiers") or []:
            target = rep if rep.startswith("arn:") else f"arn:aws:rds:{region}:{ctx.account}:db:{rep}"
            dests.append(Destination(relation="read_replica", target=target,
                                     account=account_of_arn(target), region=region_of_arn(target)))
        for rep in db.get("DBInstanceAutomatedBackupsReplications") or []:
            target = rep.get("DBInstanceAutomatedBackupsArn")
            if target:
                dests.append(Destination(relation="backup_copy", target=target,
                                         account=account_of_arn(target), region=region_of_arn(target)))
        tls = _tls_required(ctx, rds, db, groups, errors, arn)
        out.append(Database(
            id=arn, name=db["DBInstanceIdentifier"], provider="aws", account=ctx.account, region=region,
            source={"type": "live"}, tags=tags, holds_medical_data=medical_flag(tags, ctx.tag_keys),
            engine=db.get("Engine"), encrypted=bool(db.get("StorageEncrypted")),
            kms_key_id=db.get("KmsKeyId") or None,
            publicly_accessible=bool(db.get("PubliclyAccessible")),
            backup_retention_days=int(db.get("BackupRetentionPeriod") or 0),
            tls_required=tls, destinations=dests, read_errors=errors, raw=jsonable(db),
        ))
    return out


def _tls_required(ctx: Context, rds: Any, db: dict[str, Any], cache: dict[str, tuple[dict[str, str] | None, str | None]],
                  errors: dict[str, str], arn: str) -> bool | None:
    engine = str(db.get("Engine") or "").lower()
    spec = next((v for k, v in TLS_PARAMETERS.items() if engine.startswith(k)), None)
    if spec is None:
        errors["tls_required"] = f"TLS enforcement is not read for engine {engine or '(unknown)'}"
        return None
    group = next((g.get("DBParameterGroupName") for g in db.get("DBParameterGroups") or []), None)
    if not group:
        errors["tls_required"] = "the instance names no DB parameter group"
        return None
    if group not in cache:
        try:
            params = ctx.paginate(rds, "describe_db_parameters", "Parameters", DBParameterGroupName=group)
            cache[group] = ({p["ParameterName"]: str(p.get("ParameterValue", "")) for p in params}, None)
        except ReadFailure as f:
            cache[group] = (None, ctx.record(f, resource=arn, service=SERVICE))
    values, why = cache[group]
    if values is None:
        errors["tls_required"] = why or "parameter group not read"
        return None
    name, on = spec
    return values.get(name, "").strip().lower() in on
