"""Terraform AWS resources → the normalized model.

Both Terraform inputs (HCL read through checkov's graph, and ``terraform show -json`` plans) are
first brought into :class:`TfRes` (clean attribute values, :class:`Unresolved` where a value could
not be resolved, the provider region in effect) and then normalized here, so one mapping serves
both. Resources that AWS provider v4+ splits off a bucket (encryption, public-access block,
versioning, object lock, replication, policy, ACL, lifecycle) are joined to their bucket through
:class:`Links`, which each adapter implements from its own reference information.

Defaults are the provider's and AWS's documented ones where they are certain; where they are not
(the account's EBS default encryption, RDS backup retention left to AWS), the field is left
``None`` with a ``read_errors`` entry, so the verdict is UNKNOWN, never PASS.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from sansho.collectors.aws_documents import (
    AWS_ADMIN_POLICY_ARNS,
    AWS_MANAGED_POLICY_PREFIX,
    grants_full_admin,
    log_retention,
)
from sansho.policies.config import TagKeys, tag_bool
from sansho.policies.model import (
    AuditTrail,
    BackupPlan,
    BackupVault,
    Database,
    Destination,
    Disk,
    FirewallRule,
    IdentityGroup,
    IdentityUser,
    Key,
    LoadBalancerListener,
    ObjectStorage,
    PortRange,
    Resource,
    derive_exposure,
)
from sansho.policies.netaddr import port_range_error

from .common import (
    ENDPOINT_MIN_TLS,
    TLS_PARAMETERS,
    UNSET,
    Reader,
    Unresolved,
    arn_account,
    arn_region,
    default_parameter_group_tls,
    denies_insecure_transport,
    elb_policy_min_tls,
    interval_days,
    medical_flag,
    parameter_forces_tls,
    policy_public,
    tls_floor,
)

PUBLIC_ACLS = {"public-read", "public-read-write", "authenticated-read"}

# The resource types this adapter reads (everything else in a configuration is ignored).
BUCKET_PARTS = {
    "aws_s3_bucket_server_side_encryption_configuration": "encrypted",
    "aws_s3_bucket_public_access_block": "public",
    "aws_s3_bucket_versioning": "versioning",
    "aws_s3_bucket_object_lock_configuration": "immutable",
    "aws_s3_bucket_replication_configuration": "destinations",
    "aws_s3_bucket_policy": "tls_required",
    "aws_s3_bucket_acl": "public",
}
SUPPORTED_TYPES = frozenset({
    "aws_s3_bucket", *BUCKET_PARTS, "aws_s3_account_public_access_block",
    "aws_db_instance", "aws_rds_cluster", "aws_rds_cluster_instance", "aws_db_parameter_group", "aws_db_option_group",
    "aws_rds_cluster_parameter_group", "aws_ebs_volume", "aws_ebs_encryption_by_default", "aws_kms_key",
    "aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule",
    "aws_cloudtrail", "aws_backup_plan", "aws_backup_vault", "aws_backup_vault_lock_configuration",
    "aws_lb_listener", "aws_alb_listener", "aws_s3_bucket_lifecycle_configuration",
    *("aws_iam_user", "aws_iam_group", "aws_iam_user_policy", "aws_iam_user_policy_attachment", "aws_iam_group_policy",
      "aws_iam_group_policy_attachment", "aws_iam_user_group_membership", "aws_iam_group_membership",
      "aws_iam_policy", "aws_iam_policy_attachment"),
})
PURPOSE_TAG = TagKeys.model_fields["purpose"].default  # the default keys the live collector reads
SHARED_TAG = TagKeys.model_fields["shared"].default
PURPOSES = {"user", "maintenance", "break_glass", "service"}
IAM_NOT_IN_CODE = "not in the configuration (set up when the user is used; the live collector reads it)"

# Joined to its bucket like the parts above, but read only for the trails that write there.
BUCKET_LIFECYCLE = "aws_s3_bucket_lifecycle_configuration"


@dataclass
class TfRes:
    address: str
    type: str
    attrs: dict[str, Any]
    file: str | None
    line: int | None
    region: str | None
    region_error: str | None = None
    exists_error: str | None = None  # count / for_each could not be evaluated
    policy: dict[str, Any] | Unresolved | None = None  # parsed `policy` attribute, where one is set
    extra: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] | None = None  # evidence in the source's own form, where it is not these attrs

    def get(self, key: str) -> Any:
        return self.attrs.get(key, UNSET)

    def blocks(self, key: str) -> list[dict[str, Any]]:
        return blocks_of(self.attrs, key)


def blocks_of(attrs: dict[str, Any], key: str) -> list[dict[str, Any]]:
    v = attrs.get(key)
    if isinstance(v, dict):
        return [v]
    if isinstance(v, list):
        return [b for b in v if isinstance(b, dict)]
    return []


def first_block(attrs: dict[str, Any], key: str) -> dict[str, Any]:
    b = blocks_of(attrs, key)
    return b[0] if b else {}


class Links(Protocol):
    def target(self, res: TfRes, path: tuple[str, ...], value: Any, types: tuple[str, ...]) -> TfRes | None:
        """The resource of one of ``types`` that ``res``'s attribute at ``path`` (holding ``value``) names."""
        ...


def _base(res: TfRes, r: Reader, source_type: str = "terraform") -> dict[str, Any]:
    # The adapters that know the provider's default tags leave the merged set in extra["tags"].
    tags_v = res.extra["tags"] if "tags" in res.extra else res.get("tags")
    tags: dict[str, str] = {}
    if isinstance(tags_v, dict):
        for k, v in tags_v.items():
            if isinstance(v, (str, int, float, bool)) and not isinstance(v, Unresolved):
                tags[str(k)] = str(v).lower() if isinstance(v, bool) else str(v)
            else:
                r.miss("tags", f"tag {k} could not be resolved")
    elif isinstance(tags_v, Unresolved):
        r.miss("tags", f"tags {tags_v} could not be resolved")
    if res.region is None:
        r.miss("region", res.region_error or "the provider region could not be resolved")
    if res.exists_error:
        r.miss("count", res.exists_error)
    return {
        "id": res.address, "provider": "aws", "region": res.region, "tags": tags,
        "source": {"type": source_type, "file": res.file, "line": res.line},
        "holds_medical_data": medical_flag(tags),
    }


def _raw(res: TfRes) -> dict[str, Any]:
    return res.raw if res.raw is not None else {"terraform": res.attrs}


def _name(res: TfRes, *keys: str) -> str | None:
    for k in keys:
        v = res.get(k)
        if isinstance(v, str):
            return v
    return None


# --- RDS database audit logs (SAN-LOG-007), shared with the live collector -----------------
# engine → (the CloudWatch Logs type the audit records reach, where auditing is switched on).
# The operator keeps a log only once it leaves the instance (local log files rotate within
# days), so the export is required as well as the switch: MySQL/MariaDB write the audit log
# only with the MARIADB_AUDIT_PLUGIN option, Aurora MySQL with server_audit_logging, Oracle
# with audit_trail, and pgaudit writes into the general postgresql log only when it is loaded
# (shared_preload_libraries) and pgaudit.log names classes to log. SQL Server's SQLSERVER_AUDIT
# option writes to an S3 bucket of the operator's, so the option alone decides.
# What the log records (``audit_classes``): pgaudit.log's classes; the MariaDB audit plugin's
# SERVER_AUDIT_EVENTS option setting (RDS's documented default: CONNECT, QUERY); Aurora MySQL's
# server_audit_events (empty: nothing is logged). Oracle and SQL Server keep what they audit in
# the database (audit policies, audit specifications), which no RDS API shows.
RDS_AUDIT: dict[str, tuple[str | None, Literal["parameters", "options"]]] = {
    "mysql": ("audit", "options"), "mariadb": ("audit", "options"),
    "aurora-mysql": ("audit", "parameters"), "aurora": ("audit", "parameters"),
    "postgres": ("postgresql", "parameters"), "aurora-postgresql": ("postgresql", "parameters"),
    "sqlserver": (None, "options"), "oracle": ("audit", "parameters"),
}
RDS_AUDIT_OPTION = {"mysql": "MARIADB_AUDIT_PLUGIN", "mariadb": "MARIADB_AUDIT_PLUGIN", "sqlserver": "SQLSERVER_AUDIT"}
MARIADB_AUDIT_DEFAULT_EVENTS = "CONNECT,QUERY"  # the option setting's default on RDS
PGAUDIT_CLASSES = ("read", "write", "function", "role", "ddl", "misc", "misc_set")
AUDIT_CLASSES_IN_DATABASE = {
    "oracle": "Oracle records what its audit policies (AUDIT statements) name, inside the database; no RDS API "
              "shows them, so the classes audited were not read",
    "sqlserver": "SQL Server records what its server and database audit specifications name, inside the "
                 "database; no RDS API shows them, so the classes audited were not read",
}


def pgaudit_classes(value: str) -> list[str]:
    """``pgaudit.log`` as the classes it records: ``read,write``; ``all,-misc`` spelled out; ``none`` → []."""
    tokens = [t.strip().lower() for t in str(value).split(",") if t.strip()]
    minus = {t[1:] for t in tokens if t.startswith("-")}
    plus = [t for t in tokens if not t.startswith("-") and t != "none"]
    if "all" in plus and minus:
        plus = [c for c in PGAUDIT_CLASSES if c not in minus] + [t for t in plus if t != "all"]
    return list(dict.fromkeys(t for t in plus if t not in minus))


def audit_events(value: str) -> list[str]:
    """A comma-separated MySQL/MariaDB audit event list (``CONNECT,QUERY``) as its events."""
    return list(dict.fromkeys(t.strip().upper() for t in str(value).split(",") if t.strip()))


@dataclass
class AuditReading:
    """SAN-LOG-007 for one database: whether an audit log is kept and what it records; each None with why."""

    logging: bool | None
    classes: list[str] | None = None
    why: str | None = None
    classes_why: str | None = None


def rds_audit_logging(engine: Any, exports: Any, read: Callable[[Literal["parameters", "options"]], Any]
                      ) -> AuditReading:
    """Whether an RDS instance or cluster keeps a database audit log, and what it records.

    ``exports``: the enabled CloudWatch Logs types (a ``str`` is why they were not read);
    ``read("parameters")``: the (cluster) parameter group's values by name, ``{}`` for the
    engine's default group; ``read("options")``: the option group's options, name → its settings
    (name → value). Either may return a ``str``: why it was not read. Called only when needed, so a
    known failure (no export) costs no further call and outranks an unreadable group.
    """
    e = str(engine or "").lower()
    family = e if e in RDS_AUDIT else next((f for f in ("sqlserver", "oracle") if e.startswith(f + "-")), None)
    if family is None:
        return AuditReading(None, why=f"database audit logging is not read for engine {e or '(unknown)'}")
    log, where = RDS_AUDIT[family]
    if log is not None:
        if isinstance(exports, str):
            return AuditReading(None, why=exports)
        names = list(exports or [])
        if log not in names:
            if any(not isinstance(n, str) for n in names):
                return AuditReading(None, why="an enabled CloudWatch Logs export could not be resolved")
            return AuditReading(False)
    got = read(where)
    if isinstance(got, str):
        return AuditReading(None, why=got)
    if where == "options":
        option = RDS_AUDIT_OPTION[family]
        if option not in got:
            return AuditReading(False)
        if family == "sqlserver":
            return AuditReading(True, classes_why=AUDIT_CLASSES_IN_DATABASE["sqlserver"])
        settings = {str(k).upper(): v for k, v in (got[option] or {}).items()}
        events = settings.get("SERVER_AUDIT_EVENTS")
        if events is not None and not isinstance(events, str):
            return AuditReading(True, classes_why=f"SERVER_AUDIT_EVENTS = {events} could not be resolved")
        return AuditReading(True, audit_events(events or MARIADB_AUDIT_DEFAULT_EVENTS))
    values = {str(k).lower(): v for k, v in got.items()}
    pg = family in ("postgres", "aurora-postgresql")
    relevant = ("shared_preload_libraries", "pgaudit.log") if pg else ("audit_trail",) if family == "oracle" \
        else ("server_audit_logging", "server_audit_events")
    for n in relevant:
        if values.get(n) is not None and not isinstance(values[n], (str, int, float, bool)):
            return AuditReading(None, why=f"{n} = {values[n]} could not be resolved")
    if pg:
        loaded = "pgaudit" in [x.strip().lower() for x in str(values.get("shared_preload_libraries") or "").split(",")]
        classes = pgaudit_classes(values.get("pgaudit.log") or "") if loaded else []
        return AuditReading(bool(classes), classes)
    if family == "oracle":
        trail = values.get("audit_trail")
        if trail in (None, ""):
            return AuditReading(None, why="audit_trail is not set in the parameter group and the engine default is "
                                          "not known")
        on = str(trail).strip().lower() not in ("none", "false")
        return AuditReading(on, classes_why=AUDIT_CLASSES_IN_DATABASE["oracle"] if on else None)
    on = parameter_forces_tls(values.get("server_audit_logging") or "0")  # same 1/ON/0/OFF spelling
    if on is None:
        return AuditReading(None, why=f"server_audit_logging = {values.get('server_audit_logging')!r} is not "
                                      "understood")
    # Aurora MySQL logs no event unless server_audit_events names some.
    return AuditReading(on, audit_events(values.get("server_audit_events") or "") if on else None)


def _api_lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A Terraform ``aws_s3_bucket_lifecycle_configuration`` rule in the API's shape
    (``GetBucketLifecycleConfiguration``), so that one reading serves IaC and live."""
    out: dict[str, Any] = {"Status": rule.get("status"),
                           "Expiration": {"Days": first_block(rule, "expiration").get("days")}}
    if rule.get("prefix") not in (UNSET, None):
        out["Prefix"] = rule.get("prefix")  # the deprecated rule-level prefix
    flt = first_block(rule, "filter")
    api: dict[str, Any] = {}
    if flt.get("prefix") not in (UNSET, None):
        api["Prefix"] = flt["prefix"]
    tag = first_block(flt, "tag")
    if tag:
        api["Tag"] = {"Key": tag.get("key"), "Value": tag.get("value")}
    both = first_block(flt, "and")
    if both:
        api["And"] = {"Prefix": both.get("prefix") or "", "Tags": both.get("tags") or None}
    out["Filter"] = api
    return out


class TypedResources:
    """One input's resources grouped by Terraform type, with the links that join them: the
    common ground of each provider's normalizer."""

    def __init__(self, resources: list[TfRes], links: Links, source_type: str = "terraform"):
        self.all = resources
        self.links = links
        self.source_type = source_type
        self.by_type: dict[str, list[TfRes]] = defaultdict(list)
        for res in resources:
            self.by_type[res.type].append(res)

    @staticmethod
    def _finish(fields: dict[str, Any], r: Reader) -> dict[str, Any]:
        """A field the reader could not read is None (its reason is in ``r.errors``), whatever
        value the mapping had reached for it."""
        for k in list(fields):
            if k in r.errors:
                fields[k] = None
        return fields


class Normalizer(TypedResources):
    def run(self) -> list[Resource]:
        out: list[Resource] = []
        buckets = self.buckets()
        out += buckets.values()
        out += self.databases()
        out += self.disks()
        out += self.keys()
        out += self.firewall_rules()
        out += self.trails(buckets)
        out += self.backups()
        out += self.listeners()
        out += self.principals()
        return out

    # --- helpers -----------------------------------------------------------------------

    def _attach(self, part_types: list[str], field_of: dict[str, str], parent_types: tuple[str, ...],
                key: str = "bucket") -> tuple[dict[str, dict[str, list[TfRes]]], dict[str, str]]:
        """Sub-resources by parent address and type; plus, per type, why some could not be joined."""
        attached: dict[str, dict[str, list[TfRes]]] = defaultdict(lambda: defaultdict(list))
        orphans: dict[str, str] = {}
        for t in part_types:
            for part in self.by_type.get(t, ()):
                parent = self.links.target(part, (key,), part.get(key), parent_types)
                if parent is None:
                    orphans[t] = f"{part.address} could not be joined to its {parent_types[0]} ({key} = {part.get(key)})"
                    continue
                attached[parent.address][t].append(part)
        return attached, orphans

    # --- S3 ------------------------------------------------------------------------------

    def buckets(self) -> dict[str, ObjectStorage]:
        parts, orphans = self._attach(list(BUCKET_PARTS), BUCKET_PARTS, ("aws_s3_bucket",))
        account_pabs = self.by_type.get("aws_s3_account_public_access_block", [])
        out: dict[str, ObjectStorage] = {}
        for b in self.by_type.get("aws_s3_bucket", ()):
            r = Reader()
            base = _base(b, r, self.source_type)
            mine = parts.get(b.address, {})
            for t, why in orphans.items():
                if not mine.get(t):
                    r.miss(BUCKET_PARTS[t], why)
            for t, items in mine.items():
                for p in items:
                    if p.exists_error:
                        r.miss(BUCKET_PARTS[t], p.exists_error)
            fields: dict[str, Any] = {}
            fields.update(self._bucket_encryption(b, mine, r))
            fields["public"] = self._bucket_public(b, mine, account_pabs, r)
            fields.update(self._bucket_tls(b, mine, r))
            fields["versioning"] = self._bucket_versioning(b, mine, r)
            fields.update(self._bucket_lock(b, mine, r))
            fields["destinations"] = self._bucket_replication(b, mine, r)
            self._finish(fields, r)
            for k in ("key_managed_by", "kms_key_id"):
                if "encrypted" in r.errors:
                    fields[k] = None
            if "tls_required" in r.errors:
                fields["min_tls_version"] = None
            if "immutable" in r.errors:
                fields["immutability_mode"] = fields["retention_days"] = None
            out[b.address] = ObjectStorage(name=_name(b, "bucket", "bucket_prefix"), read_errors=r.errors,
                                           raw=_raw(b), **base, **fields)
        return out

    def _bucket_encryption(self, b: TfRes, mine: dict[str, list[TfRes]], r: Reader) -> dict[str, Any]:
        rules: list[dict[str, Any]] = []
        for cfg in mine.get("aws_s3_bucket_server_side_encryption_configuration", []):
            rules += cfg.blocks("rule")
        for inline in b.blocks("server_side_encryption_configuration"):
            rules += blocks_of(inline, "rule")
        if not rules:
            # Since January 2023 S3 encrypts every bucket with SSE-S3 unless told otherwise.
            return {"encrypted": True, "key_managed_by": "provider", "kms_key_id": None}
        default = next((first_block(x, "apply_server_side_encryption_by_default") for x in rules
                        if first_block(x, "apply_server_side_encryption_by_default")), {})
        algo = default.get("sse_algorithm", UNSET)
        if algo is UNSET:
            return {"encrypted": True, "key_managed_by": "provider", "kms_key_id": None}
        if isinstance(algo, Unresolved):
            r.miss("encrypted", f"sse_algorithm {algo} could not be resolved")
            return {}
        key = default.get("kms_master_key_id", UNSET)
        if algo == "AES256" or key is UNSET or key is None:
            return {"encrypted": True, "key_managed_by": "provider", "kms_key_id": None}
        if isinstance(key, str) and "alias/aws/" in key:
            return {"encrypted": True, "key_managed_by": "provider", "kms_key_id": None}
        target = self.links.target(b, ("kms_master_key_id",), key, ("aws_kms_key",))
        return {"encrypted": True, "key_managed_by": "customer",
                "kms_key_id": target.address if target else (key if isinstance(key, str) else str(key))}

    def _bucket_public(self, b: TfRes, mine: dict[str, list[TfRes]], account_pabs: list[TfRes],
                       r: Reader) -> bool | None:
        acl_values = [b.get("acl")] + [a.get("acl") for a in mine.get("aws_s3_bucket_acl", [])]
        acl_public: bool | None = False
        for v in acl_values:
            if isinstance(v, Unresolved):
                acl_public = None if acl_public is False else acl_public
                r.errors.setdefault("_acl", f"acl {v} could not be resolved")
            elif isinstance(v, str) and v in PUBLIC_ACLS:
                acl_public = True
        for a in mine.get("aws_s3_bucket_acl", []):
            for acp in a.blocks("access_control_policy"):
                for g in blocks_of(acp, "grant"):
                    for grantee in blocks_of(g, "grantee"):
                        if str(grantee.get("uri", "")).endswith(("/AllUsers", "/AuthenticatedUsers")):
                            acl_public = True
        pol = self._bucket_policy(b, mine)
        policy_pub: bool | None
        if isinstance(pol, Unresolved):
            policy_pub = None
        else:
            policy_pub = policy_public(pol) if pol else False

        def flag(name: str) -> bool | None:
            vals: list[bool | None] = []
            for p in mine.get("aws_s3_bucket_public_access_block", []) + account_pabs:
                v = p.get(name)
                vals.append(None if isinstance(v, Unresolved) else bool(v) if v not in (UNSET, None) else False)
            if True in vals:
                return True
            if None in vals:
                return None
            # No Public Access Block in the code: S3 turns one on for new buckets (April 2023), but
            # a grant the code spells out is taken at its word rather than excused by a default.
            return False

        def and_not(a: bool | None, blocked: bool | None) -> bool | None:
            if a is False or blocked is True:
                return False
            if a is True and blocked is False:
                return True
            return None

        via_policy = and_not(policy_pub, flag("restrict_public_buckets"))
        via_acl = and_not(acl_public, flag("ignore_public_acls"))
        r.errors.pop("_acl", None)
        if via_policy is True or via_acl is True:
            return True
        if via_policy is False and via_acl is False:
            return False
        r.miss("public", "the bucket's ACL, policy or Public Access Block could not be resolved")
        return None

    def _bucket_policy(self, b: TfRes, mine: dict[str, list[TfRes]]) -> dict[str, Any] | Unresolved | None:
        docs = [p.policy for p in mine.get("aws_s3_bucket_policy", [])]
        if b.get("policy") not in (UNSET, None):
            docs.append(b.policy if b.policy is not None else Unresolved(str(b.get("policy"))))
        docs = [d for d in docs if d is not None]
        if not docs:
            return None
        for d in docs:
            if isinstance(d, Unresolved):
                return d
        merged: dict[str, Any] = {"Statement": []}
        for d in docs:
            assert isinstance(d, dict)
            st = d.get("Statement") or []
            merged["Statement"] += st if isinstance(st, list) else [st]
        return merged

    def _bucket_tls(self, b: TfRes, mine: dict[str, list[TfRes]], r: Reader) -> dict[str, Any]:
        pol = self._bucket_policy(b, mine)
        if isinstance(pol, Unresolved):
            r.miss("tls_required", f"bucket policy {pol} could not be resolved")
            return {}
        if not pol:
            return {"tls_required": False, "min_tls_version": ENDPOINT_MIN_TLS}
        return {"tls_required": denies_insecure_transport(pol), "min_tls_version": tls_floor(pol)}

    def _bucket_versioning(self, b: TfRes, mine: dict[str, list[TfRes]], r: Reader) -> bool | None:
        states: list[Any] = []
        for v in mine.get("aws_s3_bucket_versioning", []):
            states.append(first_block(v.attrs, "versioning_configuration").get("status", UNSET))
        for inline in b.blocks("versioning"):
            en = inline.get("enabled", False)
            states.append("Enabled" if en is True else en if isinstance(en, Unresolved) else "Disabled")
        if not states:
            return False
        if any(isinstance(s, Unresolved) for s in states):
            r.miss("versioning", "versioning status could not be resolved")
            return None
        return any(s == "Enabled" for s in states)

    def _bucket_lock(self, b: TfRes, mine: dict[str, list[TfRes]], r: Reader) -> dict[str, Any]:
        enabled = b.get("object_lock_enabled")
        rules: list[dict[str, Any]] = []
        for inline in b.blocks("object_lock_configuration"):
            if inline.get("object_lock_enabled") == "Enabled":
                enabled = True
            rules += blocks_of(inline, "rule")
        for cfg in mine.get("aws_s3_bucket_object_lock_configuration", []):
            enabled = True if enabled in (UNSET, None) else enabled  # the configuration needs lock enabled
            rules += cfg.blocks("rule")
        if isinstance(enabled, Unresolved):
            r.miss("immutable", f"object_lock_enabled {enabled} could not be resolved")
            return {}
        if enabled is not True:
            return {"immutable": False, "immutability_mode": None, "retention_days": None}
        ret = next((first_block(x, "default_retention") for x in rules if first_block(x, "default_retention")), {})
        mode, days, years = ret.get("mode", UNSET), ret.get("days", UNSET), ret.get("years", UNSET)
        for name, v in (("mode", mode), ("days", days), ("years", years)):
            if isinstance(v, Unresolved):
                r.miss("immutable", f"object lock {name} {v} could not be resolved")
                return {}
        n = (int(days) if isinstance(days, (int, float)) else 0) or \
            (int(years) * 365 if isinstance(years, (int, float)) else 0)
        if mode in (UNSET, None) or n <= 0:
            return {"immutable": False, "immutability_mode": None, "retention_days": None}
        return {"immutable": True, "immutability_mode": str(mode).lower(), "retention_days": n}

    def _bucket_replication(self, b: TfRes, mine: dict[str, list[TfRes]], r: Reader) -> list[Destination] | None:
        dests: list[Destination] = []
        for cfg in mine.get("aws_s3_bucket_replication_configuration", []):
            for rule in cfg.blocks("rule"):
                status = rule.get("status", "Enabled")
                if isinstance(status, Unresolved):
                    r.miss("destinations", f"{cfg.address}: rule status {status} could not be resolved")
                    continue
                if status != "Enabled":
                    continue
                for d in blocks_of(rule, "destination"):
                    dests.append(self._bucket_destination(cfg, d.get("bucket", UNSET), r))
        for inline in b.blocks("replication_configuration"):
            for rule in blocks_of(inline, "rules"):
                if rule.get("status", "Enabled") != "Enabled":
                    continue
                for d in blocks_of(rule, "destination"):
                    dests.append(self._bucket_destination(b, d.get("bucket", UNSET), r))
        return dests

    def _bucket_destination(self, owner: TfRes, value: Any, r: Reader) -> Destination:
        target = self.links.target(owner, ("rule", "destination", "bucket"), value, ("aws_s3_bucket",))
        if target is not None:
            if target.region is None:
                r.miss("destinations", f"region of replica bucket {target.address}: "
                       f"{target.region_error or 'not resolved'}")
            return Destination(relation="replication", target=target.address, provider="aws", region=target.region)
        r.miss("destinations", f"replication destination {value} is not a bucket in this configuration, "
               "so its region is not known")
        return Destination(relation="replication", target=None if isinstance(value, Unresolved) or value is UNSET
                           else str(value), provider="aws")

    # --- RDS -----------------------------------------------------------------------------

    def _tls_from_group(self, db: TfRes, key: str, group_types: tuple[str, ...], engine: Any, version: Any,
                        r: Reader) -> bool | None:
        value = db.get(key)
        if value in (UNSET, None) or (isinstance(value, str) and value.startswith("default.")):
            tls = default_parameter_group_tls(engine if isinstance(engine, str) else None,
                                              version if isinstance(version, str) else None)
            if tls is None:
                r.miss("tls_required", f"default parameter group of engine {engine} {version or ''}: "
                       "TLS enforcement default not known".replace("  ", " "))
            return tls
        group = self.links.target(db, (key,), value, group_types)
        if group is None:
            r.miss("tls_required", f"parameter group {value} is not in this configuration")
            return None
        for p in group.blocks("parameter"):
            if str(p.get("name", "")).lower() in TLS_PARAMETERS:
                v = p.get("value")
                if isinstance(v, Unresolved):
                    r.miss("tls_required", f"{group.address}: {p.get('name')} = {v} could not be resolved")
                    return None
                forced = parameter_forces_tls(v)
                if forced is None:
                    r.miss("tls_required", f"{group.address}: {p.get('name')} = {v!r} is not understood")
                return forced
        tls = default_parameter_group_tls(engine if isinstance(engine, str) else None,
                                          version if isinstance(version, str) else None)
        if tls is None:
            r.miss("tls_required", f"{group.address} does not set TLS enforcement and the engine default is not known")
        return tls

    def _audit_logging(self, res: TfRes, engine: Any, group_key: str, group_types: tuple[str, ...],
                       r: Reader) -> dict[str, Any]:
        exports = res.get("enabled_cloudwatch_logs_exports")
        if isinstance(exports, Unresolved):
            exports = f"enabled_cloudwatch_logs_exports = {exports} could not be resolved"
        elif exports in (UNSET, None):
            exports = []  # the provider's default: nothing exported

        def read(where: str) -> Any:
            key, types = ((group_key, group_types) if where == "parameters" else
                          ("option_group_name", ("aws_db_option_group",)))
            if where == "options" and res.type == "aws_rds_cluster":
                return "a DB cluster has no option group to read the audit option from"
            value = res.get(key)
            if value in (UNSET, None) or (isinstance(value, str) and value.startswith(("default.", "default:"))):
                return {}  # the engine's default group: auditing off
            group = self.links.target(res, (key,), value, types)
            if group is None:
                return f"{key} {value} is not in this configuration"
            if where == "options":
                return {str(o.get("option_name")): {str(st.get("name")): st.get("value")
                                                    for st in blocks_of(o, "option_settings")}
                        for o in group.blocks("option")}
            return {str(p.get("name")): p.get("value") for p in group.blocks("parameter")}

        got = rds_audit_logging(engine, exports, read)
        if got.logging is None:
            r.miss("audit_logging", got.why or "not read")
        if got.logging and got.classes is None:
            r.miss("audit_classes", got.classes_why or "not read")
        return {"audit_logging": got.logging, "audit_classes": got.classes}

    def _encryption(self, res: TfRes, r: Reader, enc_value: Any, kms_key: str, default: bool | None | object
                    ) -> dict[str, Any]:
        encrypted = r.bool(enc_value, "encrypted", default)
        if encrypted is None:
            return {"encrypted": None}
        if not encrypted:
            return {"encrypted": False}
        key = res.get(kms_key)
        if key in (UNSET, None):
            return {"encrypted": True, "key_managed_by": "provider"}
        target = self.links.target(res, (kms_key,), key, ("aws_kms_key",))
        return {"encrypted": True, "key_managed_by": "customer",
                "kms_key_id": target.address if target else str(key)}

    def databases(self) -> list[Resource]:
        out: list[Resource] = []
        for db in self.by_type.get("aws_db_instance", ()):
            r = Reader()
            base = _base(db, r, self.source_type)
            engine, version = db.get("engine"), db.get("engine_version")
            fields = self._encryption(db, r, db.get("storage_encrypted"), "kms_key_id", False)
            fields["publicly_accessible"] = r.bool(db.get("publicly_accessible"), "publicly_accessible", False)
            fields["backup_retention_days"] = r.int(db.get("backup_retention_period"), "backup_retention_days")
            fields["tls_required"] = self._tls_from_group(db, "parameter_group_name", ("aws_db_parameter_group",),
                                                          engine, version, r)
            fields.update(self._audit_logging(db, engine, "parameter_group_name", ("aws_db_parameter_group",), r))
            replica_of = db.get("replicate_source_db")
            fields["destinations"] = []
            if replica_of not in (UNSET, None):
                fields["destinations"] = None
                r.miss("destinations", "read replica: destinations are those of its source")
            out.append(Database(name=_name(db, "identifier", "db_name"), engine=engine if isinstance(engine, str)
                                else None, read_errors=r.errors, raw=_raw(db), **base, **fields))
        members: dict[str, list[TfRes]] = defaultdict(list)
        for inst in self.by_type.get("aws_rds_cluster_instance", ()):
            c = self.links.target(inst, ("cluster_identifier",), inst.get("cluster_identifier"), ("aws_rds_cluster",))
            if c is not None:
                members[c.address].append(inst)
        for c in self.by_type.get("aws_rds_cluster", ()):
            r = Reader()
            base = _base(c, r, self.source_type)
            engine, version = c.get("engine"), c.get("engine_version")
            fields = self._encryption(c, r, c.get("storage_encrypted"), "kms_key_id", False)
            insts = members.get(c.address, [])
            if not insts:
                r.miss("publicly_accessible", "no aws_rds_cluster_instance of this cluster is in the configuration")
                fields["publicly_accessible"] = None
            else:
                states = [r.bool(i.get("publicly_accessible"), "publicly_accessible", False) for i in insts]
                fields["publicly_accessible"] = True if True in states else None if None in states else False
            fields["backup_retention_days"] = r.int(c.get("backup_retention_period"), "backup_retention_days", 1)
            fields["tls_required"] = self._tls_from_group(c, "db_cluster_parameter_group_name",
                                                          ("aws_rds_cluster_parameter_group",), engine, version, r)
            fields.update(self._audit_logging(c, engine, "db_cluster_parameter_group_name",
                                              ("aws_rds_cluster_parameter_group",), r))
            fields["destinations"] = []
            out.append(Database(name=_name(c, "cluster_identifier"), engine=engine if isinstance(engine, str) else None,
                                read_errors=r.errors, raw=_raw(c), **base, **fields))
        return out

    # --- EBS, KMS ------------------------------------------------------------------------

    def disks(self) -> list[Resource]:
        account_default = None
        for d in self.by_type.get("aws_ebs_encryption_by_default", ()):
            v = d.get("enabled")
            account_default = True if v in (UNSET, True) else account_default
        out: list[Resource] = []
        for v in self.by_type.get("aws_ebs_volume", ()):
            r = Reader()
            base = _base(v, r, self.source_type)
            enc = v.get("encrypted")
            if enc in (UNSET, None) and account_default:
                enc = True
            if enc in (UNSET, None):
                r.miss("encrypted", "encrypted is not set: the account's EBS encryption-by-default setting decides, "
                       "and it is not in this configuration")
                fields: dict[str, Any] = {"encrypted": None}
            else:
                fields = self._encryption(v, r, enc, "kms_key_id", False)
            out.append(Disk(read_errors=r.errors, raw=_raw(v), **base, **fields))
        return out

    def keys(self) -> list[Resource]:
        out: list[Resource] = []
        for k in self.by_type.get("aws_kms_key", ()):
            r = Reader()
            base = _base(k, r, self.source_type)
            rotation = r.bool(k.get("enable_key_rotation"), "rotation_enabled", False)
            period = r.int(k.get("rotation_period_in_days"), "rotation_period_days", 365) if rotation else None
            enabled = r.bool(k.get("is_enabled"), "state", True)
            state: Literal["enabled", "disabled"] | None = (
                None if enabled is None else "enabled" if enabled else "disabled")
            out.append(Key(name=_name(k, "description"), key_managed_by="customer", rotation_enabled=rotation,
                           rotation_period_days=period, state=state, read_errors=r.errors,
                           raw=_raw(k), **base))
        return out

    # --- IAM users and groups (SAN-IAM-011) ---------------------------------------------------

    def _policy_admin(self, owner: TfRes, doc: Any, what: str) -> tuple[bool | None, str]:
        """Whether a policy document grants everything; the label of the grant, or why not known."""
        if isinstance(doc, Unresolved):
            return None, f"{what}: policy {doc} could not be resolved"
        return (grants_full_admin(doc) if isinstance(doc, dict) else False), what

    def _attachment_admin(self, part: TfRes) -> tuple[bool | None, str]:
        arn = part.get("policy_arn")
        # An AWS managed policy, also when the partition is a variable (arn:${AWS::Partition}:iam::aws:policy/…)
        managed = re.search(r":iam::aws:policy/(.+)$", str(arn).strip()) if isinstance(arn, (str, Unresolved)) else None
        if managed:
            name = AWS_MANAGED_POLICY_PREFIX + managed.group(1)
            return (True, name) if name in AWS_ADMIN_POLICY_ARNS else (False, name)  # others do not allow everything
        pol = self.links.target(part, ("policy_arn",), arn, ("aws_iam_policy",))
        if pol is None:
            return None, f"{part.address}: policy {arn} is not in the configuration"
        doc = pol.policy if pol.policy is not None else pol.get("policy")
        return self._policy_admin(pol, None if doc is UNSET else doc, pol.address)

    def _grant_admin(self, part: TfRes) -> tuple[bool | None, str]:
        if part.type.endswith("_policy_attachment") or part.type == "aws_iam_policy_attachment":
            return self._attachment_admin(part)
        doc = part.policy if part.policy is not None else part.get("policy")
        return self._policy_admin(part, None if doc is UNSET else doc, f"{part.address} (inline policy)")

    def _principals_of(self, part: TfRes, key: str, types: tuple[str, ...]) -> tuple[list[TfRes], str | None]:
        """The users or groups a part names (one value or a list); why one could not be joined."""
        value = part.get(key)
        values = value if isinstance(value, list) else [] if value in (UNSET, None) else [value]
        found, why = [], None
        for v in values:
            hit = self.links.target(part, (key,), v, types)
            if hit is not None:
                found.append(hit)
            elif not isinstance(v, str):  # a name no resource here has is a principal managed elsewhere
                why = f"{part.address}: {key} {v} could not be joined to a {types[0]} of the configuration"
        return found, why

    def principals(self) -> list[Resource]:
        """``aws_iam_user`` and ``aws_iam_group`` with full administrative rights from their inline
        policies, attachments (AdministratorAccess, or a policy of the configuration allowing
        everything) and, for users, their groups', as the live collector reads them."""
        users = self.by_type.get("aws_iam_user", [])
        groups = self.by_type.get("aws_iam_group", [])
        if not users and not groups:
            return []
        # principal address → grants proven, reasons a grant could not be judged
        grants: dict[str, list[str]] = defaultdict(list)
        unknown: dict[str, list[str]] = defaultdict(list)
        orphans: dict[str, list[str]] = {"aws_iam_user": [], "aws_iam_group": []}
        attachments = [("aws_iam_user_policy", "user", "aws_iam_user"),
                       ("aws_iam_user_policy_attachment", "user", "aws_iam_user"),
                       ("aws_iam_group_policy", "group", "aws_iam_group"),
                       ("aws_iam_group_policy_attachment", "group", "aws_iam_group"),
                       ("aws_iam_policy_attachment", "users", "aws_iam_user"),
                       ("aws_iam_policy_attachment", "groups", "aws_iam_group")]
        for part_type, key, target in attachments:
            for part in self.by_type.get(part_type, ()):
                admin, label = self._grant_admin(part)
                if admin is False:
                    continue
                owners, why = self._principals_of(part, key, (target,))
                for o in owners:
                    (grants if admin else unknown)[o.address].append(label)
                if why:  # it may belong to any of them
                    orphans[target].append(why if admin else label)
        members: dict[str, set[str]] = defaultdict(set)
        member_orphan: str | None = None
        for m in self.by_type.get("aws_iam_user_group_membership", ()):
            us, why1 = self._principals_of(m, "user", ("aws_iam_user",))
            gs, why2 = self._principals_of(m, "groups", ("aws_iam_group",))
            for u in us:
                for g in gs:
                    members[g.address].add(u.address)
            member_orphan = member_orphan or why1 or why2
        for m in self.by_type.get("aws_iam_group_membership", ()):
            gs, why1 = self._principals_of(m, "group", ("aws_iam_group",))
            us, why2 = self._principals_of(m, "users", ("aws_iam_user",))
            for g in gs:
                members[g.address] |= {u.address for u in us}
            member_orphan = member_orphan or why1 or why2

        purposes = {u.address: self._purpose(u) for u in users}
        out: list[Resource] = []
        group_rights: dict[str, tuple[bool | None, list[str], str | None]] = {}
        for g in groups:
            rights = self._rights(grants[g.address], unknown[g.address], orphans["aws_iam_group"])
            group_rights[g.address] = rights
            mine = sorted(members.get(g.address, ()))
            kinds = {purposes[m] for m in mine}
            out.append(self._principal(IdentityGroup, g, rights, purpose=kinds.pop() if len(kinds) == 1 else "user",
                                       members=None if member_orphan else mine,
                                       extra_errors={"members": member_orphan} if member_orphan else {}))
        for u in users:
            own = grants[u.address] + [f"group {g}: {x}" for g, rights in group_rights.items()
                                       if u.address in members.get(g, ()) for x in rights[1]]
            why = unknown[u.address] + [rights[2] for g, rights in group_rights.items()
                                        if u.address in members.get(g, ()) and rights[0] is None and rights[2]]
            pending = orphans["aws_iam_user"] + ([member_orphan] if member_orphan else [])
            rights = self._rights(own, why, pending)
            tags = u.extra["tags"] if "tags" in u.extra else u.get("tags")
            shared = tags.get(SHARED_TAG) if isinstance(tags, dict) else None
            out.append(self._principal(
                IdentityUser, u, rights, purpose=purposes[u.address],
                extra_errors=dict.fromkeys(("console_access", "access_keys"), IAM_NOT_IN_CODE),
                shared=None if shared is None else tag_bool(str(shared)) is True))
        return out

    @staticmethod
    def _rights(grants: list[str], unknown: list[str], orphans: list[str]) -> tuple[bool | None, list[str], str | None]:
        if grants:
            return True, sorted(set(grants)), None
        if unknown or orphans:
            return None, [], (unknown + orphans)[0]
        return False, [], None

    @staticmethod
    def _purpose(u: TfRes) -> str:
        tags = u.extra["tags"] if "tags" in u.extra else u.get("tags")
        v = tags.get(PURPOSE_TAG) if isinstance(tags, dict) else None
        v = v.strip().lower().replace("-", "_") if isinstance(v, str) else ""
        return v if v in PURPOSES else "user"

    def _principal(self, cls: type[Resource], res: TfRes, rights: tuple[bool | None, list[str], str | None], *,
                   purpose: str, extra_errors: dict[str, str], **fields: Any) -> Resource:
        r = Reader()
        base = _base(res, r, self.source_type)
        base["region"] = None  # IAM is global
        r.errors.pop("region", None)
        admin, grants, why = rights
        if why:
            r.miss("admin_rights", why)
        r.errors.update({k: v for k, v in extra_errors.items() if k not in r.errors})
        return cls(name=_name(res, "name"), purpose=purpose, admin_rights=admin,  # type: ignore[call-arg]
                   admin_grants=None if admin is None else grants, read_errors=r.errors, raw=_raw(res),
                   **fields, **base)

    # --- security groups -----------------------------------------------------------------

    def _sources(self, owner: TfRes, rule: dict[str, Any], r: Reader) -> list[str] | None:
        out: list[str] = []
        for key in ("cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4", "cidr_ipv6", "prefix_list_ids",
                    "security_groups", "source_security_group_id", "referenced_security_group_id"):
            v = rule.get(key, UNSET)
            if v in (UNSET, None):
                continue
            for x in v if isinstance(v, list) else [v]:
                if isinstance(x, Unresolved):
                    r.miss("sources", f"{key}: {x} could not be resolved")
                    return None
                if key in ("security_groups", "source_security_group_id", "referenced_security_group_id"):
                    t = self.links.target(owner, (key,), x, ("aws_security_group",))
                    out.append(f"sg:{t.address if t else x}")
                elif key == "prefix_list_ids":
                    out.append(f"pl:{x}")
                else:
                    out.append(str(x))
        if rule.get("self") is True:
            out.append("self")
        return out

    @staticmethod
    def _ports(protocol: Any, lo: Any, hi: Any, r: Reader) -> tuple[str | None, list[PortRange] | None]:
        if isinstance(protocol, Unresolved) or protocol in (UNSET, None):
            r.miss("protocol", f"protocol {protocol} could not be resolved")
            return None, None
        p = str(protocol).lower()
        p = {"-1": "all", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}.get(p, p)
        if p == "all" or p.startswith("icmp"):
            return p, []
        if isinstance(lo, Unresolved) or isinstance(hi, Unresolved):
            r.miss("ports", f"ports {lo}-{hi} could not be resolved")
            return p, None
        if lo in (UNSET, None) or lo == -1:
            return p, []
        try:
            lo_i = int(lo)
            hi_i = int(hi) if hi not in (UNSET, None) else lo_i
        except (TypeError, ValueError):
            r.miss("ports", f"ports {lo}-{hi} are not numbers")
            return p, None
        if lo_i == 0 and hi_i in (0, 65535):
            return p, []
        why = port_range_error(lo_i, hi_i)
        if why:  # AWS refuses it at apply: judged UNKNOWN, never as the ports it seems to name
            r.miss("ports", why)
            return p, None
        return p, [PortRange(from_port=lo_i, to_port=hi_i)]

    def _rule(self, owner: TfRes, rid: str, rule: dict[str, Any], protocol: Any, sg: str | None,
              line: int | None = None) -> FirewallRule:
        r = Reader()
        base = _base(owner, r, self.source_type)
        base["id"] = rid
        if line is not None:
            base["source"]["line"] = line
        proto, ports = self._ports(protocol, rule.get("from_port", UNSET), rule.get("to_port", UNSET), r)
        sources = self._sources(owner, rule, r)
        desc = rule.get("description")
        return FirewallRule(name=desc if isinstance(desc, str) else None, direction="ingress", action="allow",
                            protocol=proto, ports=ports, sources=sources, attached_to=[sg] if sg else None, group=sg,
                            read_errors=r.errors, raw={"terraform": rule} if owner.raw is None else owner.raw, **base)

    def firewall_rules(self) -> list[Resource]:
        out: list[Resource] = []
        for sg in self.by_type.get("aws_security_group", ()):
            for i, ing in enumerate(sg.blocks("ingress")):
                out.append(self._rule(sg, f"{sg.address}.ingress[{i}]", ing, ing.get("protocol", UNSET), sg.address))
        for rule in self.by_type.get("aws_security_group_rule", ()):
            kind = rule.get("type")
            if kind == "egress":
                continue
            group = self.links.target(rule, ("security_group_id",), rule.get("security_group_id"),
                                      ("aws_security_group",))
            fr = self._rule(rule, rule.address, rule.attrs, rule.get("protocol"), group.address if group else None)
            if isinstance(kind, Unresolved):
                fr.direction = None
                fr.read_errors["direction"] = f"type {kind} could not be resolved"
            out.append(fr)
        for rule in self.by_type.get("aws_vpc_security_group_ingress_rule", ()):
            group = self.links.target(rule, ("security_group_id",), rule.get("security_group_id"),
                                      ("aws_security_group",))
            out.append(self._rule(rule, rule.address, rule.attrs, rule.get("ip_protocol"),
                                  group.address if group else None))
        derive_exposure(out)  # a security group admits the union of its rules' sources
        return out

    # --- CloudTrail ----------------------------------------------------------------------

    def trails(self, buckets: dict[str, ObjectStorage]) -> list[Resource]:
        out: list[Resource] = []
        lifecycles, orphans = self._attach([BUCKET_LIFECYCLE], {}, ("aws_s3_bucket",))
        for t in self.by_type.get("aws_cloudtrail", ()):
            r = Reader()
            base = _base(t, r, self.source_type)
            bucket_v = t.get("s3_bucket_name")
            target = self.links.target(t, ("s3_bucket_name",), bucket_v, ("aws_s3_bucket",))
            immutable: bool | None = None
            mode: str | None = None
            dest: str | None
            retention: int | None = None
            if target is not None and target.address in buckets:
                dest = target.address
                immutable, mode = buckets[target.address].immutable, buckets[target.address].immutability_mode
                if immutable is None:
                    r.miss("destination_immutable", f"object lock of {dest} could not be read")
                retention, why = self._trail_retention(
                    t, target, buckets[target.address], lifecycles.get(target.address, {}).get(BUCKET_LIFECYCLE, []),
                    orphans.get(BUCKET_LIFECYCLE))
                if why:
                    r.miss("retention_days", why)
            else:
                dest = f"arn:aws:s3:::{bucket_v}" if isinstance(bucket_v, str) else None
                r.miss("destination_immutable", f"bucket {bucket_v} is not in this configuration")
                r.miss("retention_days", f"bucket {bucket_v} is not in this configuration")
            out.append(AuditTrail(
                name=_name(t, "name"), enabled=r.bool(t.get("enable_logging"), "enabled", True),
                multi_region=r.bool(t.get("is_multi_region_trail"), "multi_region", False),
                integrity_validation=r.bool(t.get("enable_log_file_validation"), "integrity_validation", False),
                destination=dest, destination_immutable=immutable,
                destination_immutability_mode=mode,  # type: ignore[arg-type]
                retention_days=retention, read_errors=r.errors, raw=_raw(t), **base))
        return out

    def _trail_retention(self, trail: TfRes, bucket_res: TfRes, bucket: ObjectStorage, parts: list[TfRes],
                         orphan: str | None) -> tuple[int | None, str | None]:
        """(days the trail's logs are kept, why not known): the bucket's lifecycle rules (its
        ``aws_s3_bucket_lifecycle_configuration`` or the provider v3 inline ``lifecycle_rule``) read
        by :func:`~sansho.collectors.aws_documents.log_retention`, as the live collector reads them."""
        if bucket.immutable is None:
            return None, f"object lock of {bucket_res.address} could not be read (its retention outlasts any expiration)"
        key_prefix = trail.get("s3_key_prefix")
        if isinstance(key_prefix, Unresolved):
            return None, f"s3_key_prefix {key_prefix} could not be resolved"
        if not parts and orphan:
            return None, orphan
        rules: list[dict[str, Any]] = []
        for inline in bucket_res.blocks("lifecycle_rule"):
            enabled = inline.get("enabled", UNSET)
            status = enabled if isinstance(enabled, Unresolved) else "Enabled" if enabled is True or \
                str(enabled).lower() == "true" else "Disabled"
            tags = inline.get("tags")
            rules.append({"Status": status, "Prefix": inline.get("prefix") or "",
                          "Filter": {"And": {"Tags": tags}} if tags else {},
                          "Expiration": {"Days": first_block(inline, "expiration").get("days")}})
        for part in parts:
            if part.exists_error:
                return None, part.exists_error
            for rule in part.blocks("rule"):
                rules.append(_api_lifecycle_rule(rule))
        for rule in rules:
            flt = rule.get("Filter") or {}
            for what, v in (("status", rule.get("Status")), ("prefix", rule.get("Prefix")),
                            ("filter prefix", flt.get("Prefix")), ("filter prefix", (flt.get("And") or {}).get("Prefix")),
                            ("expiration days", (rule.get("Expiration") or {}).get("Days"))):
                if isinstance(v, Unresolved):
                    return None, f"lifecycle rule of {bucket_res.address}: {what} {v} could not be resolved"
            days = (rule.get("Expiration") or {}).get("Days")
            if days is not None and not (isinstance(days, int) and not isinstance(days, bool)):
                if not re.fullmatch(r"\d+", str(days)):
                    return None, f"lifecycle rule of {bucket_res.address}: expiration days {days!r} is not a number"
                rule["Expiration"]["Days"] = int(days)
        prefix = f"{key_prefix}/" if isinstance(key_prefix, str) and key_prefix else ""
        return log_retention(rules, prefix + "AWSLogs/", bucket.retention_days if bucket.immutable else None)

    # --- AWS Backup ----------------------------------------------------------------------

    def _vault_of(self, owner: TfRes, path: tuple[str, ...], value: Any) -> tuple[TfRes | None, str | None, str | None]:
        """(vault resource, region, account) of a vault named by name or ARN."""
        v = self.links.target(owner, path, value, ("aws_backup_vault",))
        if v is not None:
            return v, v.region, None
        if isinstance(value, str) and value.startswith("arn:"):
            return None, arn_region(value), arn_account(value)
        return None, None, None

    def backups(self) -> list[Resource]:
        locks, orphans = self._attach(["aws_backup_vault_lock_configuration"], {}, ("aws_backup_vault",),
                                      key="backup_vault_name")
        plans: list[tuple[TfRes, Reader, dict[str, Any], list[TfRes | None]]] = []
        copies_into: dict[str, list[Destination]] = defaultdict(list)
        for p in self.by_type.get("aws_backup_plan", ()):
            r = Reader()
            base = _base(p, r, self.source_type)
            generations: int | None = 0
            retention: int | None = 0
            dests: list[Destination] = []
            targets: list[TfRes | None] = []
            rules = p.blocks("rule")
            for rule in rules:
                name = rule.get("rule_name")
                days = first_block(rule, "lifecycle").get("delete_after", UNSET)
                sched = rule.get("schedule", UNSET)
                every = interval_days(sched) if isinstance(sched, str) else None
                if isinstance(days, Unresolved):
                    r.miss("generations", f"rule {name}: delete_after {days} could not be resolved")
                    r.miss("retention_days", f"rule {name}: delete_after {days} could not be resolved")
                elif days in (UNSET, None):
                    r.miss("generations", f"rule {name} keeps recovery points indefinitely (no delete_after)")
                    r.miss("retention_days", f"rule {name} keeps recovery points indefinitely (no delete_after)")
                elif every is None:
                    r.miss("generations", f"rule {name}: schedule {sched} is not a plain interval")
                    retention = max(retention or 0, int(days))
                else:
                    generations = max(generations or 0, int(int(days) // every))
                    retention = max(retention or 0, int(days))
                vault, _, _ = self._vault_of(p, ("rule", "target_vault_name"), rule.get("target_vault_name", UNSET))
                targets.append(vault)
                for c in blocks_of(rule, "copy_action"):
                    dv = c.get("destination_vault_arn", UNSET)
                    cv, region, account = self._vault_of(p, ("rule", "copy_action", "destination_vault_arn"), dv)
                    if region is None:
                        r.miss("destinations", f"copy destination {dv}: region not resolved")
                    d = Destination(relation="backup_copy", target=cv.address if cv else (dv if isinstance(dv, str)
                                                                                          else None),
                                    provider="aws", account=account, region=region)
                    dests.append(d)
                    targets.append(cv)
                    if vault is not None:
                        copies_into[vault.address].append(d.model_copy())
            if not rules:
                generations, retention = 0, 0
            fields: dict[str, Any] = {"generations": generations, "retention_days": retention, "destinations": dests}
            plans.append((p, r, {**base, **fields}, targets))
        vaults: list[Resource] = []
        # vault address → write-once (a lock in compliance mode), or None when not known
        vault_locked: dict[str, bool | None] = {}
        for v in self.by_type.get("aws_backup_vault", ()):
            r = Reader()
            base = _base(v, r, self.source_type)
            mine = locks.get(v.address, {}).get("aws_backup_vault_lock_configuration", [])
            immutable: bool | None = bool(mine)
            mode: str | None = None
            if not mine and orphans:
                r.miss("immutable", orphans["aws_backup_vault_lock_configuration"])
                immutable = None
            for lk in mine:
                if lk.exists_error:
                    r.miss("immutable", lk.exists_error)
                    immutable = None
            if immutable:
                mode = self._vault_lock_mode(mine, r)
            vault_locked[v.address] = None if immutable is None or (immutable and mode is None) else \
                bool(immutable) and mode == "compliance"
            vaults.append(BackupVault(name=_name(v, "name"), encrypted=True, immutable=immutable,
                                      immutability_mode=mode,  # type: ignore[arg-type]
                                      destinations=copies_into.get(v.address, []), read_errors=r.errors,
                                      raw=_raw(v), **base))
        out: list[Resource] = []
        for p, r, fields, targets in plans:
            states = [vault_locked.get(t.address) if t is not None else None for t in targets]
            methods: list[Literal["online", "worm", "offline"]] | None
            if True in states:
                methods = ["online", "worm"]
            elif None in states:
                methods = None
                r.miss("methods", "a vault the plan writes to is not in this configuration or its lock mode is unknown")
            else:
                methods = ["online"]
            for k in ("generations", "retention_days", "destinations"):
                if k in r.errors:
                    fields[k] = None
            r.miss("last_restore_test", "restore tests are not recorded in IaC")
            out.append(BackupPlan(name=_name(p, "name"), methods=methods, read_errors=r.errors,
                                  raw=_raw(p), **fields))
        return out + vaults

    @staticmethod
    def _vault_lock_mode(locks: list[TfRes], r: Reader) -> str | None:
        """``changeable_for_days`` set: Vault Lock in compliance mode (immutable once those days have
        passed after apply, which the live collector sees as the lock date); not set: governance mode,
        which a privileged user can remove (not write-once, SAN-BKP-002)."""
        days = [lk.get("changeable_for_days") for lk in locks]
        if any(isinstance(d, Unresolved) for d in days):
            r.miss("immutability_mode", next(f"changeable_for_days {d} could not be resolved"
                                             for d in days if isinstance(d, Unresolved)))
            return None
        return "compliance" if any(d not in (UNSET, None) for d in days) else "governance"

    # --- load balancer listeners ---------------------------------------------------------

    def listeners(self) -> list[Resource]:
        out: list[Resource] = []
        for lst in self.by_type.get("aws_lb_listener", []) + self.by_type.get("aws_alb_listener", []):
            r = Reader()
            base = _base(lst, r, self.source_type)
            proto_v = lst.get("protocol")
            port = r.int(lst.get("port"), "port", None)
            if proto_v in (UNSET, None):
                proto: str | None = None  # the provider infers it from the load balancer type
                r.miss("protocol", "protocol is not set (the provider infers it from the load balancer type)")
            elif isinstance(proto_v, Unresolved):
                proto = None
                r.miss("protocol", f"protocol {proto_v} could not be resolved")
            else:
                proto = str(proto_v).upper()
            fields: dict[str, Any] = {}
            if proto in ("HTTPS", "TLS"):
                pol = lst.get("ssl_policy")
                if isinstance(pol, str):
                    fields["tls_policy"] = pol
                    fields["min_tls_version"] = elb_policy_min_tls(pol)
                    if fields["min_tls_version"] is None:
                        r.miss("min_tls_version", f"security policy {pol} is not one sansho knows")
                else:
                    r.miss("min_tls_version", "ssl_policy is not set or not resolved; the AWS default policy "
                           "depends on the API used")
            elif proto == "HTTP":
                redirect = False
                for a in lst.blocks("default_action"):
                    if a.get("type") == "redirect":
                        proto_to = first_block(a, "redirect").get("protocol", "#{protocol}")
                        if isinstance(proto_to, Unresolved):
                            r.miss("redirects_to_https", f"redirect protocol {proto_to} could not be resolved")
                            redirect = None  # type: ignore[assignment]
                        elif str(proto_to).upper() == "HTTPS":
                            redirect = True
                fields["redirects_to_https"] = redirect
            if proto is not None and proto not in ("HTTP", "HTTPS", "TLS", "TCP", "UDP"):
                proto = "TCP" if proto in ("TCP_UDP",) else None
            out.append(LoadBalancerListener(protocol=proto, port=port, read_errors=r.errors,  # type: ignore[arg-type]
                                            raw=_raw(lst), **base, **fields))
        return out
