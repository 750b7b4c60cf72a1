"""RDS DB instances and Aurora / Multi-AZ DB clusters → ``database.instance``; their manual
snapshots → ``compute.snapshot``.

Instances and clusters: encryption and key, public accessibility, backup retention, read
replicas, automated-backup replication and global-cluster members in other regions
(``destinations``), and TLS enforcement from the (cluster) parameter group
(``rds.force_ssl`` / ``require_secure_transport``, read with the same helpers as the IaC reader),
and database audit logging and what it records (the audit option and its SERVER_AUDIT_EVENTS, or
the parameters — pgaudit.log, server_audit_events — plus the CloudWatch Logs export,
:func:`sansho.collectors.iac.tfaws.rds_audit_logging`, the IaC reader's own rule).
An instance that belongs to a cluster is judged through its cluster: its storage, key, backups
and TLS parameter are the cluster's, and the cluster is public when any member is.

Snapshots: only manual ones can be made public or shared, so only they are read, with one
attribute call each: ``restore`` = ``all`` is public, other account ids are ``destinations``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sansho.collectors.iac.common import default_parameter_group_tls, parameter_forces_tls
from sansho.collectors.iac.tfaws import rds_audit_logging
from sansho.policies.model import Database, Destination, Resource, Snapshot
from sansho.policies.regions import country_of

from .core import Context, ReadFailure, Unit, account_of_arn, jsonable, medical_flag, region_of_arn, tags_of

SERVICE = "rds"
PERMISSIONS = [
    "rds:DescribeDBInstances",
    "rds:DescribeDBParameters",
    "rds:DescribeDBClusters",
    "rds:DescribeDBClusterParameters",
    "rds:DescribeOptionGroups",
    "rds:DescribeGlobalClusters",
    "rds:DescribeDBSnapshots",
    "rds:DescribeDBSnapshotAttributes",
    "rds:DescribeDBClusterSnapshots",
    "rds:DescribeDBClusterSnapshotAttributes",
]

# engine prefix → the parameter that forces TLS (Aurora engines start with "aurora-")
TLS_PARAMETER = {
    "postgres": "rds.force_ssl", "aurora-postgresql": "rds.force_ssl", "sqlserver": "rds.force_ssl",
    "mysql": "require_secure_transport", "mariadb": "require_secure_transport",
    "aurora-mysql": "require_secure_transport", "aurora": "require_secure_transport",
}

_Cache = dict[str, tuple[dict[str, str | None] | None, str | None]]
_OptionCache = dict[str, dict[str, dict[str, str | None]] | str]


def plan(ctx: Context) -> list[Unit]:
    units = [Unit(SERVICE, None, "rds global clusters", global_clusters)]
    for r in ctx.regions:
        units.append(Unit(SERVICE, r, f"rds {r}", lambda c, r=r: databases(c, r)))
        units.append(Unit(SERVICE, r, f"rds snapshots {r}", lambda c, r=r: snapshots(c, r)))
    return units


def _dest(relation: str, target: str) -> Destination:
    region = region_of_arn(target)
    return Destination(relation=relation, target=target, account=account_of_arn(target), region=region,
                       country=country_of("aws", region) if region else None)


def databases(ctx: Context, region: str) -> list[Resource]:
    rds = ctx.client("rds", region)
    dbs = ctx.paginate(rds, "describe_db_instances", "DBInstances")
    groups: _Cache = {}
    options: _OptionCache = {}
    out: list[Resource] = []
    members: dict[str, list[dict[str, Any]]] = {}
    for db in dbs:
        if db.get("DBClusterIdentifier"):
            members.setdefault(db["DBClusterIdentifier"], []).append(db)
            continue
        out.append(_instance(ctx, rds, region, db, groups, options))
    try:
        clusters = ctx.paginate(rds, "describe_db_clusters", "DBClusters")
    except ReadFailure as f:  # the instances above are still good
        reason = ctx.record(f, service=SERVICE, region=region)
        clusters = []
        for cid, dbs_of in members.items():  # judged UNKNOWN rather than lost
            for db in dbs_of:
                d = _instance(ctx, rds, region, db, groups, options)
                d.read_errors.update({k: reason for k in ("encrypted", "backup_retention_days", "tls_required",
                                                          "destinations", "audit_logging")})
                d.encrypted = d.backup_retention_days = d.tls_required = d.destinations = d.audit_logging = None
                out.append(d)
            members[cid] = []
    cluster_groups: _Cache = {}
    for c in clusters:
        out.append(_cluster(ctx, rds, region, c, members.get(c["DBClusterIdentifier"], []), cluster_groups))
    return out


def _instance(ctx: Context, rds: Any, region: str, db: dict[str, Any], groups: _Cache,
              options: _OptionCache) -> Database:
    arn = db.get("DBInstanceArn") or f"arn:aws:rds:{region}:{ctx.account}:db:{db['DBInstanceIdentifier']}"
    tags = tags_of(db.get("TagList"))
    errors: dict[str, str] = {}
    dests: list[Destination] = []
    for rep in db.get("ReadReplicaDBInstanceIdentifiers") or []:
        dests.append(_dest("read_replica", rep if rep.startswith("arn:") else
                           f"arn:aws:rds:{region}:{ctx.account}:db:{rep}"))
    for rep in db.get("DBInstanceAutomatedBackupsReplications") or []:
        if rep.get("DBInstanceAutomatedBackupsArn"):
            dests.append(_dest("backup_copy", rep["DBInstanceAutomatedBackupsArn"]))
    group = next((g.get("DBParameterGroupName") for g in db.get("DBParameterGroups") or []), None)
    tls = _tls_required(ctx, rds, db, group, "describe_db_parameters", "DBParameterGroupName", groups, errors, arn)
    option_group = next((g.get("OptionGroupName") for g in db.get("OptionGroupMemberships") or []), None)
    audit, classes = _audit_logging(db, errors, lambda: _parameters(
        ctx, rds, group, "describe_db_parameters", "DBParameterGroupName", groups, arn), lambda: _options(
        ctx, rds, option_group, options, arn))
    return Database(
        id=arn, name=db["DBInstanceIdentifier"], provider="aws", account=ctx.account, region=region,
        source={"type": "live"}, tags=tags, holds_medical_data=medical_flag(tags, ctx.tag_keys),
        engine=db.get("Engine"), encrypted=bool(db.get("StorageEncrypted")),
        kms_key_id=db.get("KmsKeyId") or None,
        publicly_accessible=bool(db.get("PubliclyAccessible")),
        backup_retention_days=int(db.get("BackupRetentionPeriod") or 0),
        tls_required=tls, destinations=dests, audit_logging=audit, audit_classes=classes, read_errors=errors,
        raw=jsonable(db),
    )


def _cluster(ctx: Context, rds: Any, region: str, c: dict[str, Any], members: list[dict[str, Any]],
             groups: _Cache) -> Database:
    arn = c.get("DBClusterArn") or f"arn:aws:rds:{region}:{ctx.account}:cluster:{c['DBClusterIdentifier']}"
    tags = tags_of(c.get("TagList"))
    errors: dict[str, str] = {}
    dests = [_dest("read_replica", rep if rep.startswith("arn:") else
                   f"arn:aws:rds:{region}:{ctx.account}:cluster:{rep}") for rep in c.get("ReadReplicaIdentifiers") or []]
    # A Multi-AZ DB cluster has the flag itself; an Aurora cluster is public when a member instance is.
    public: bool | None = bool(c["PubliclyAccessible"]) if "PubliclyAccessible" in c else None
    listed = {m.get("DBInstanceIdentifier") for m in c.get("DBClusterMembers") or []}
    seen = {m.get("DBInstanceIdentifier") for m in members}
    if any(m.get("PubliclyAccessible") for m in members):
        public = True
    elif public is None:
        if listed - seen:
            errors["publicly_accessible"] = f"member instance(s) {', '.join(sorted(listed - seen))} were not listed"
        else:
            public = False
    tls = _tls_required(ctx, rds, c, c.get("DBClusterParameterGroup"), "describe_db_cluster_parameters",
                        "DBClusterParameterGroupName", groups, errors, arn)
    audit, classes = _audit_logging(c, errors, lambda: _parameters(
        ctx, rds, c.get("DBClusterParameterGroup"), "describe_db_cluster_parameters", "DBClusterParameterGroupName",
        groups, arn), lambda: "a DB cluster has no option group to read the audit option from")
    return Database(
        id=arn, name=c["DBClusterIdentifier"], provider="aws", account=ctx.account, region=region,
        source={"type": "live"}, tags=tags, holds_medical_data=medical_flag(tags, ctx.tag_keys),
        engine=c.get("Engine"), encrypted=bool(c.get("StorageEncrypted")), kms_key_id=c.get("KmsKeyId") or None,
        publicly_accessible=public, backup_retention_days=int(c.get("BackupRetentionPeriod") or 0),
        tls_required=tls, destinations=dests, audit_logging=audit, audit_classes=classes, read_errors=errors,
        raw={"cluster": jsonable(c), "members": jsonable(members)},
    )


def _tls_required(ctx: Context, rds: Any, db: dict[str, Any], group: str | None, method: str, group_arg: str,
                  cache: _Cache, errors: dict[str, str], arn: str) -> bool | None:
    engine = str(db.get("Engine") or "").lower()
    name = TLS_PARAMETER.get(engine) or next((v for k, v in TLS_PARAMETER.items() if engine.startswith(k)), None)
    if name is None:
        errors["tls_required"] = f"TLS enforcement is not read for engine {engine or '(unknown)'}"
        return None
    values = _parameters(ctx, rds, group, method, group_arg, cache, arn)
    if isinstance(values, str):
        errors["tls_required"] = values
        return None
    value = values.get(name)
    forced = parameter_forces_tls(value) if value not in (None, "") else default_parameter_group_tls(
        engine, db.get("EngineVersion"))
    if forced is None:
        errors["tls_required"] = (f"{name} = {value!r} in parameter group {group} is not a known setting" if value
                                  else f"{name} is not set in parameter group {group} and the engine default "
                                       f"for {engine} {db.get('EngineVersion') or ''} is not known")
    return forced


def _parameters(ctx: Context, rds: Any, group: str | None, method: str, group_arg: str, cache: _Cache,
                arn: str) -> dict[str, str | None] | str:
    """The (cluster) parameter group's values by name, read once per group; a str is why not."""
    if not group:
        return "the database names no parameter group"
    if group not in cache:
        try:
            params = ctx.paginate(rds, method, "Parameters", **{group_arg: group})
            cache[group] = ({p["ParameterName"]: p.get("ParameterValue") for p in params}, None)
        except ReadFailure as f:
            cache[group] = (None, ctx.record(f, resource=arn, service=SERVICE))
    values, why = cache[group]
    return values if values is not None else why or "parameter group not read"


def _options(ctx: Context, rds: Any, group: str | None, cache: _OptionCache,
             arn: str) -> dict[str, dict[str, str | None]] | str:
    """An option group's options, name → its settings (name → the value set, else the default), read
    once per group; a str is why not."""
    if not group:
        return "the database names no option group"
    if group not in cache:
        try:
            found = ctx.call(rds, "describe_option_groups", OptionGroupName=group).get("OptionGroupsList") or []
            cache[group] = {str(o.get("OptionName")): {str(st.get("Name")): st.get("Value") or st.get("DefaultValue")
                                                       for st in o.get("OptionSettings") or []}
                            for g in found for o in g.get("Options") or []}
        except ReadFailure as f:
            cache[group] = ctx.record(f, resource=arn, service=SERVICE)
    return cache[group]


def _audit_logging(db: dict[str, Any], errors: dict[str, str], parameters: Callable[[], Any],
                   options: Callable[[], Any]) -> tuple[bool | None, list[str] | None]:
    """SAN-LOG-007, read as the IaC reader reads it (:func:`rds_audit_logging`): (audit log kept, what it records)."""
    exports = db.get("EnabledCloudwatchLogsExports") or []
    got = rds_audit_logging(db.get("Engine"), exports, lambda where: parameters() if where == "parameters" else options())
    if got.logging is None:
        errors["audit_logging"] = got.why or "not read"
    if got.logging and got.classes is None:
        errors["audit_classes"] = got.classes_why or "not read"
    return got.logging, got.classes


def global_clusters(ctx: Context) -> list[Resource]:
    """Members of each Aurora global database, kept for :func:`link` (the API answers for every region)."""
    rds = ctx.client("rds", ctx.home_region)
    members: dict[str, list[str]] = ctx.shared.setdefault("rds_global_members", {})
    try:
        for g in ctx.paginate(rds, "describe_global_clusters", "GlobalClusters"):
            arns = [m["DBClusterArn"] for m in g.get("GlobalClusterMembers") or [] if m.get("DBClusterArn")]
            for a in arns:
                members[a] = [b for b in arns if b != a]
    except ReadFailure as f:
        ctx.shared["rds_global_error"] = ctx.record(f, service=SERVICE, region=ctx.home_region)
    return []


def link(ctx: Context, resources: list[Resource]) -> None:
    """A global database's other member clusters are destinations of each member."""
    members: dict[str, list[str]] = ctx.shared.get("rds_global_members", {})
    error: str | None = ctx.shared.get("rds_global_error")
    for r in resources:
        if not isinstance(r, Database) or r.account != ctx.account or ":cluster:" not in r.id:
            continue
        if error:
            r.read_errors.setdefault("destinations", error)
            r.destinations = None
            continue
        known = {d.target for d in r.destinations or []}
        for other in members.get(r.id, []):
            if other not in known and r.destinations is not None:
                r.destinations.append(_dest("global_replica", other))


def snapshots(ctx: Context, region: str) -> list[Resource]:
    rds = ctx.client("rds", region)
    out: list[Resource] = []
    kinds = (
        ("describe_db_snapshots", "DBSnapshots", "DBSnapshotIdentifier", "DBSnapshotArn",
         "describe_db_snapshot_attributes", "DBSnapshotAttributesResult", "DBSnapshotAttributes", "snapshot"),
        ("describe_db_cluster_snapshots", "DBClusterSnapshots", "DBClusterSnapshotIdentifier",
         "DBClusterSnapshotArn", "describe_db_cluster_snapshot_attributes", "DBClusterSnapshotAttributesResult",
         "DBClusterSnapshotAttributes", "cluster-snapshot"),
    )
    for list_method, key, id_key, arn_key, attr_method, result_key, attrs_key, arn_kind in kinds:
        try:
            snaps = ctx.paginate(rds, list_method, key, SnapshotType="manual")
        except ReadFailure as f:  # the other kind may still be readable
            ctx.record(f, service=SERVICE, region=region)
            continue
        for s in snaps:
            sid = s[id_key]
            arn = s.get(arn_key) or f"arn:aws:rds:{region}:{ctx.account}:{arn_kind}:{sid}"
            tags = tags_of(s.get("TagList"))
            errors: dict[str, str] = {}
            public: bool | None = None
            dests: list[Destination] | None = None
            try:
                attrs = (ctx.call(rds, attr_method, **{id_key: sid}).get(result_key) or {}).get(attrs_key) or []
                restore = next((a.get("AttributeValues") or [] for a in attrs if a.get("AttributeName") == "restore"), [])
                public = "all" in restore
                dests = [Destination(relation="backup_copy", target=f"aws:account:{a}", account=a, region=region)
                         for a in sorted(restore) if a != "all"]
            except ReadFailure as f:
                errors["public"] = errors["destinations"] = ctx.record(f, resource=arn, service=SERVICE)
            out.append(Snapshot(
                id=arn, name=sid, provider="aws", account=ctx.account, region=region, source={"type": "live"},
                tags=tags, holds_medical_data=medical_flag(tags, ctx.tag_keys),
                encrypted=bool(s.get("StorageEncrypted") if "StorageEncrypted" in s else s.get("Encrypted")),
                kms_key_id=s.get("KmsKeyId") or None, public=public, destinations=dests, read_errors=errors,
                raw=jsonable(s),
            ))
    return out
