"""Cloud Asset documents → the normalized model. One code path for live and export input.

Each builder reads the service's own document (``resource.data``: the Cloud Storage JSON API
bucket, the Cloud SQL Admin ``DatabaseInstance``, the Compute ``Disk``/``Snapshot``/``Firewall``,
the BigQuery ``Dataset``, the Cloud KMS ``CryptoKey``) and, where it matters, the asset's IAM
policy. A value the input does not carry stays ``None`` with the reason in ``read_errors``; a
value of the wrong shape raises :class:`FieldError` naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sansho.collectors.iac.tfgoogle import BIGQUERY_AUDIT_CLASSES, BIGQUERY_AUDITED, cloud_sql_audit_logging
from sansho.policies.config import TagKeys, gcp_label_key, tag_bool
from sansho.policies.model import (
    AuditTrail,
    Database,
    Destination,
    Disk,
    FirewallRule,
    IdentityGroup,
    IdentityUser,
    Key,
    ObjectStorage,
    PortRange,
    Resource,
    Snapshot,
    SourceRef,
    ThreatDetection,
    derive_exposure,
)
from sansho.policies.netaddr import port_range_error
from sansho.policies.regions import gcp_region_of, gcp_sql_default_backup_location

from ..secrets import scrub
from .estate import (
    BUCKET,
    CRYPTO_KEY,
    DATASET,
    DISK,
    FIREWALL,
    LOG_BUCKET,
    LOG_SINK,
    SNAPSHOT,
    SQL,
    Estate,
    FieldError,
    Item,
    container_ref,
)

PUBLIC_MEMBERS = frozenset({"allUsers", "allAuthenticatedUsers"})
# Roles on a project, folder or organization that give full administrative rights (SAN-IAM-011):
# the basic roles that allow (nearly) every action, and the roles that can change IAM policy and
# so grant themselves roles/owner.
ADMIN_ROLES = frozenset({
    "roles/owner", "roles/editor", "roles/resourcemanager.organizationAdmin", "roles/resourcemanager.folderAdmin",
    "roles/resourcemanager.folderIamAdmin", "roles/resourcemanager.projectIamAdmin", "roles/iam.securityAdmin",
})
# IAM members that are people: a Google account, a Google group, every account of a domain.
PEOPLE = {"user": "user", "group": "group", "domain": "group"}
CLOUD_IDENTITY_UNREAD = ("a Google account, known from its IAM bindings: its sign-in, 2-step verification and "
                         "group memberships are Cloud Identity's, which sansho does not read")
SECONDS_PER_DAY = 86400

def _bool_label(labels: dict[str, str], key: str) -> bool | None:
    return tag_bool(labels.get(gcp_label_key(key)))


def region_of_location(location: str | None) -> str | None:
    return gcp_region_of(location) if location else None


def _last(url: str | None) -> str | None:
    return url.rstrip("/").rsplit("/", 1)[-1] if url else None


class Reader:
    """Typed access to one asset's document, with dotted field paths in errors."""

    def __init__(self, data: dict[str, Any] | None, base: str = "resource.data"):
        self.data = data
        self.base = base

    def get(self, path: str, kind: type | tuple[type, ...] | None = None) -> Any:
        node: Any = self.data
        for part in path.split("."):
            if not isinstance(node, dict):
                return None
            node = node.get(part)
        if node is not None and kind is not None and not isinstance(node, kind):
            raise FieldError(f"{self.base}.{path}", f"expected {_kind_name(kind)}, got {type(node).__name__}")
        return node

    def int(self, path: str) -> int | None:
        """int64 fields arrive as strings (JSON) or floats (protobuf Struct)."""
        v = self.get(path)
        if v is None:
            return None
        if isinstance(v, bool):
            raise FieldError(f"{self.base}.{path}", "expected an integer, got a boolean")
        if isinstance(v, int):
            return v
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, str) and re.fullmatch(r"-?\d+", v.strip()):
            return int(v)
        raise FieldError(f"{self.base}.{path}", f"expected an integer, got {v!r}")

    def strings(self, path: str) -> list[str]:
        v = self.get(path, list) or []
        for i, s in enumerate(v):
            if not isinstance(s, str):
                raise FieldError(f"{self.base}.{path}[{i}]", f"expected a string, got {type(s).__name__}")
        return v


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number",
             float: "a number"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


class Normalizer:
    def __init__(self, estate: Estate, tag_keys: TagKeys | None):
        self.estate = estate
        self.keys = tag_keys or TagKeys()

    # -- shared ------------------------------------------------------------------------------
    def common(self, item: Item, labels: dict[str, str] | None = None) -> dict[str, Any]:
        if labels is None:
            labels = item.labels or {}
        for k, v in labels.items():
            if not isinstance(v, str):
                raise FieldError(f"resource.data.labels.{k}", "expected a string")
        raw: dict[str, Any] = {"assetType": item.asset_type, "location": item.location}
        if item.data is not None:
            raw["data"] = item.data
        else:
            raw["searchResult"] = item.raw
        policy = self.estate.policies.get(item.name)
        if policy is not None:
            raw["iamPolicy"] = policy
        return dict(id=item.name, provider="gcp", account=self.estate.project_id(item.project),
                    tags=dict(labels), holds_medical_data=_bool_label(labels, self.keys.medical),
                    source=item.source, raw=raw, read_errors={})

    def public_by_policy(self, item: Item) -> tuple[bool | None, str | None]:
        """Whether the asset's own IAM policy grants allUsers/allAuthenticatedUsers; None with the
        reason when its project's policies were not read."""
        policy = self.estate.policies.get(item.name)
        if policy is not None:
            return any(m in PUBLIC_MEMBERS for b in policy.get("bindings") or [] for m in b.get("members") or []), None
        why = self._iam_unread(item.project)
        if why is not None:
            return None, why
        # Read, and the listing holds no policy for this asset: it has no bindings at all.
        return False, None

    def _iam_unread(self, project: str | None) -> str | None:
        est = self.estate
        why = est.reason(est.iam_unread, project)
        if why is not None:
            return why
        if project is not None and {project, f"projects/{est.project_id(project)}"} & est.iam_read:
            return None
        return est.why_no_iam

    def kms(self, item: Item, path: str) -> tuple[str | None, str | None]:
        """(kms_key_id, key_managed_by). Google encrypts all of these at rest; a Cloud KMS key
        named in the document is the customer's."""
        if item.data is None:
            keys = item.kms_keys or []
            return (keys[0], "customer") if keys else (None, "provider")
        key = Reader(item.data).get(path, str)
        return (key, "customer") if key else (None, "provider")

    def unread(self, fields: dict[str, Any], names: tuple[str, ...], why: str) -> None:
        for n in names:
            fields[n] = None
            fields["read_errors"][n] = why

    # -- builders ------------------------------------------------------------------------------
    def bucket(self, item: Item) -> list[Resource]:
        d = Reader(item.data)
        f = self.common(item, d.get("labels", dict) if item.data is not None else None)
        f["name"] = _last(item.name)
        key, managed = self.kms(item, "encryption.defaultKmsKeyName")
        f.update(encrypted=True, kms_key_id=key, key_managed_by=managed)
        # Cloud Storage serves its XML API over plain HTTP too, and no bucket setting refuses it.
        self.unread(f, ("tls_required", "min_tls_version"), "Cloud Storage has no bucket setting that refuses "
                    "plain HTTP or sets a TLS floor; not read")
        if item.data is None:
            f["region"] = region_of_location(item.location)
            self.unread(f, ("public", "versioning", "immutable", "retention_days", "destinations"),
                        self.estate.why_search_only)
            return [ObjectStorage(**f)]
        location = d.get("location", str) or item.location
        location_type = (d.get("locationType", str) or "").lower()
        placement = [region_of_location(x) for x in d.strings("customPlacementConfig.dataLocations")]
        if location_type == "dual-region" and placement:
            # A configurable dual-region: the data lives in both named regions.
            f["region"] = placement[0]
            f["destinations"] = [Destination(relation="geo_secondary", target=f["name"], region=r)
                                 for r in placement[1:]]
        else:
            f["region"] = region_of_location(location)
            f["destinations"] = []
        f["versioning"] = bool(d.get("versioning.enabled", bool))
        retention = d.int("retentionPolicy.retentionPeriod")
        locked = d.get("retentionPolicy.isLocked", bool)
        if retention:
            f.update(immutable=True, immutability_mode="locked" if locked else "unlocked",
                     retention_days=retention // SECONDS_PER_DAY)
        else:
            f.update(immutable=False, retention_days=None)
        f["public"] = self._bucket_public(item, d, f["read_errors"])
        return [ObjectStorage(**f)]

    def _bucket_public(self, item: Item, d: Reader, read_errors: dict[str, str]) -> bool | None:
        prevention = (d.get("iamConfiguration.publicAccessPrevention", str) or "").lower()
        by_policy, why = self.public_by_policy(item)
        if prevention == "enforced":
            return False  # public access prevention overrides any allUsers binding or ACL
        if by_policy:
            return True
        if why is not None:
            read_errors["public"] = why
            return None
        if not d.get("iamConfiguration.uniformBucketLevelAccess.enabled", bool):
            read_errors["public"] = ("uniform bucket-level access is off, so object ACLs may grant allUsers; "
                                     "Cloud Asset Inventory does not carry ACLs")
            return None
        return False

    def sql(self, item: Item) -> list[Resource]:
        d = Reader(item.data)
        f = self.common(item, d.get("settings.userLabels", dict) if item.data is not None else None)
        f["name"] = _last(item.name)
        f["region"] = region_of_location((item.data or {}).get("region") or item.location)
        f["encrypted"] = True
        f["kms_key_id"], f["key_managed_by"] = self.kms(item, "diskEncryptionConfiguration.kmsKeyName")
        if item.data is None:
            self.unread(f, ("engine", "publicly_accessible", "tls_required", "backup_retention_days",
                            "destinations", "audit_logging"), self.estate.why_search_only)
            return [Database(**f)]
        f["engine"] = (d.get("databaseVersion", str) or "").lower() or None
        f["audit_logging"], f["audit_classes"] = self._sql_audit(d, f["engine"], f["read_errors"])
        ipv4 = d.get("settings.ipConfiguration.ipv4Enabled", bool)
        nets = [n.get("value") for n in d.get("settings.ipConfiguration.authorizedNetworks", list) or []
                if isinstance(n, dict)]
        f["publicly_accessible"] = bool(ipv4) and any(n in ("0.0.0.0/0", "::/0") for n in nets)
        ssl_mode = d.get("settings.ipConfiguration.sslMode", str)
        if ssl_mode:
            f["tls_required"] = ssl_mode in ("ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED")
        else:
            f["tls_required"] = bool(d.get("settings.ipConfiguration.requireSsl", bool))
        f.update(self._sql_backups(d, f["region"], f["read_errors"]))
        return [Database(**f)]

    @staticmethod
    def _sql_audit(d: Reader, engine: str | None, read_errors: dict[str, str]) -> tuple[bool | None, list[str] | None]:
        """SAN-LOG-007 from the instance's database flags, read as the IaC reader reads them."""
        flags = {str(x.get("name")): x.get("value") for x in d.get("settings.databaseFlags", list) or []
                 if isinstance(x, dict)}
        got = cloud_sql_audit_logging(engine, flags, d.get("settings.sqlServerAuditConfig.bucket", str))
        if got.logging is None:
            read_errors["audit_logging"] = got.why or "not read"
        if got.logging and got.classes is None:
            read_errors["audit_classes"] = got.classes_why or "not read"
        return got.logging, got.classes

    def _sql_backups(self, d: Reader, region: str | None, read_errors: dict[str, str]) -> dict[str, Any]:
        if not d.get("settings.backupConfiguration.enabled", bool):
            return {"backup_retention_days": 0, "destinations": []}
        out: dict[str, Any] = {}
        unit = d.get("settings.backupConfiguration.backupRetentionSettings.retentionUnit", str)
        kept = d.int("settings.backupConfiguration.backupRetentionSettings.retainedBackups")
        if unit == "COUNT" and kept is not None:
            out["backup_retention_days"] = kept  # automated backups are daily: N backups span N days
        else:
            out["backup_retention_days"] = None
            read_errors["backup_retention_days"] = "backupRetentionSettings not in the instance document"
        where = d.get("settings.backupConfiguration.location", str)
        if not where and region:
            where = gcp_sql_default_backup_location(region)
        out["destinations"] = [Destination(relation="backup_copy", target="automated backups",
                                           region=region_of_location(where))]
        return out

    def disk(self, item: Item) -> list[Resource]:
        d = Reader(item.data)
        f = self.common(item, d.get("labels", dict) if item.data is not None else None)
        f["name"] = _last(item.name)
        f["region"] = region_of_location(item.location or _last(d.get("zone", str)) or _last(d.get("region", str)))
        f["encrypted"] = True
        f["kms_key_id"], f["key_managed_by"] = self.kms(item, "diskEncryptionKey.kmsKeyName")
        if item.data is not None and d.get("diskEncryptionKey.sha256", str) and not f["kms_key_id"]:
            f["key_managed_by"] = "customer"  # a customer-supplied key (CSEK)
        users = d.strings("users") if item.data is not None else []
        f["attached_to"] = users[0] if users else None
        return [Disk(**f)]

    def snapshot(self, item: Item) -> list[Resource]:
        d = Reader(item.data)
        f = self.common(item, d.get("labels", dict) if item.data is not None else None)
        f["name"] = _last(item.name)
        f["encrypted"] = True
        f["kms_key_id"], f["key_managed_by"] = self.kms(item, "snapshotEncryptionKey.kmsKeyName")
        if item.data is None:
            f["region"] = region_of_location(item.location)
            self.unread(f, ("destinations",), self.estate.why_search_only)
        else:
            places = [region_of_location(x) for x in d.strings("storageLocations")]
            f["region"] = places[0] if places else region_of_location(item.location)
            f["destinations"] = [Destination(relation="backup_copy", target=f["name"], region=r) for r in places[1:]]
        f["public"], why = self.public_by_policy(item)
        if why is not None:
            f["read_errors"]["public"] = why
        return [Snapshot(**f)]

    def firewall(self, item: Item) -> list[Resource]:
        if item.data is None:
            f = self.common(item)
            f["name"] = _last(item.name)
            self.unread(f, ("direction", "action", "protocol", "sources", "ports"), self.estate.why_search_only)
            return [FirewallRule(**f)]
        d = Reader(item.data)
        if d.get("disabled", bool):
            return []  # a disabled rule allows and denies nothing
        direction = (d.get("direction", str) or "INGRESS").lower()
        if direction == "ingress":
            sources = d.strings("sourceRanges") + [f"tag:{t}" for t in d.strings("sourceTags")] \
                + [f"serviceAccount:{s}" for s in d.strings("sourceServiceAccounts")]
            if not sources:
                sources = ["0.0.0.0/0"]  # an ingress rule with no source applies to every source
        else:
            sources = d.strings("destinationRanges")
        entries = [("allow", i, e) for i, e in enumerate(d.get("allowed", list) or [])] + \
                  [("deny", i, e) for i, e in enumerate(d.get("denied", list) or [])]
        out: list[Resource] = []
        for action, i, entry in entries:
            where = f"{'allowed' if action == 'allow' else 'denied'}[{i}]"
            e = Reader(entry, f"resource.data.{where}")
            f = self.common(item)
            f["id"] = item.name if len(entries) == 1 else f"{item.name}#{where}"
            f["name"] = _last(item.name)
            f["region"] = "global"
            protocol = str(e.get("IPProtocol", (str, int, float)) or "all").lower()
            f.update(direction=direction, action=action, protocol=protocol, sources=sources,
                     ports=[_port_range(p, f"resource.data.{where}.ports[{j}]")
                            for j, p in enumerate(e.strings("ports"))],
                     attached_to=d.strings("targetTags") or [d.get("network", str) or "all instances"],
                     group=d.get("network", str))
            out.append(FirewallRule(**f))
        return out

    def dataset(self, item: Item) -> list[Resource]:
        d = Reader(item.data)
        f = self.common(item, d.get("labels", dict) if item.data is not None else None)
        f["name"] = _last(item.name)
        f["engine"] = "bigquery"
        f["region"] = region_of_location((item.data or {}).get("location") or item.location)
        f["encrypted"] = True
        f["kms_key_id"], f["key_managed_by"] = self.kms(item, "defaultEncryptionConfiguration.kmsKeyName")
        self.unread(f, ("tls_required",), "BigQuery has no dataset setting for connection encryption; not read")
        self.unread(f, ("backup_retention_days",), "BigQuery datasets have no automated backups (time travel is "
                    "not a backup); not read")
        self.unread(f, ("destinations",), "dataset replicas are not in the dataset document; not read")
        f["audit_logging"] = BIGQUERY_AUDITED
        f["audit_classes"] = list(BIGQUERY_AUDIT_CLASSES)
        if item.data is None:
            self.unread(f, ("publicly_accessible",), self.estate.why_search_only)
        else:
            access = d.get("access", list) or []
            f["publicly_accessible"] = any(
                isinstance(a, dict) and (a.get("specialGroup") == "allAuthenticatedUsers"
                                         or a.get("iamMember") in PUBLIC_MEMBERS) for a in access)
            by_policy, _ = self.public_by_policy(item)
            f["publicly_accessible"] = f["publicly_accessible"] or bool(by_policy)
        return [Database(**f)]

    def crypto_key(self, item: Item) -> list[Resource]:
        d = Reader(item.data)
        f = self.common(item, d.get("labels", dict) if item.data is not None else None)
        f["name"] = _last(item.name)
        m = re.search(r"/locations/([^/]+)/", item.name)
        f["region"] = region_of_location(m.group(1) if m else item.location)
        f["key_managed_by"] = "customer"
        if item.data is None:
            self.unread(f, ("rotation_enabled", "rotation_period_days", "state"), self.estate.why_search_only)
            return [Key(**f)]
        state = d.get("primary.state", str)
        f["state"] = {"ENABLED": "enabled", "DISABLED": "disabled", "DESTROY_SCHEDULED": "pending_deletion",
                      "DESTROYED": "pending_deletion"}.get(state or "")
        if f["state"] is None:
            f["read_errors"]["state"] = f"primary version state {state!r} not read" if state else \
                "the key has no primary version (asymmetric keys have none)"
        purpose = d.get("purpose", str) or "ENCRYPT_DECRYPT"
        if purpose != "ENCRYPT_DECRYPT":
            self.unread(f, ("rotation_enabled", "rotation_period_days"),
                        f"Cloud KMS rotates only symmetric keys automatically ({purpose} keys are rotated by hand)")
            return [Key(**f)]
        period = d.get("rotationPeriod", str)
        if not period:
            f.update(rotation_enabled=False, rotation_period_days=None)
            return [Key(**f)]
        m = re.fullmatch(r"(\d+)(?:\.\d+)?s", period)
        if not m:
            raise FieldError("resource.data.rotationPeriod", f"expected a duration such as '7776000s', got {period!r}")
        f.update(rotation_enabled=True, rotation_period_days=int(m.group(1)) // SECONDS_PER_DAY)
        return [Key(**f)]

    # -- per-project resources --------------------------------------------------------------
    def project_resources(self, project: str) -> list[Resource]:
        return [self.audit_trail(project), self.threat_detection(project)]

    def audit_trail(self, project: str) -> Resource:
        est = self.estate
        pid = est.project_id(project)
        pol_name = f"//cloudresourcemanager.googleapis.com/{project}"
        f: dict[str, Any] = dict(id=f"//cloudresourcemanager.googleapis.com/projects/{pid}#auditConfigs", name=f"Cloud Audit Logs ({pid})", provider="gcp",
                                 account=pid, source=self._project_source(project), read_errors={},
                                 raw={"auditConfigs": {}})
        why = self._iam_unread(project)
        if why is not None:
            self.unread(f, ("enabled", "multi_region"), why)
        else:
            f["enabled"], chain_why = self._data_access_logged(project, pol_name, f["raw"]["auditConfigs"])
            if f["enabled"] is None:
                f["read_errors"]["enabled"] = chain_why
            # Cloud Audit Logs are project-wide: there is no per-region trail to leave out.
            f["multi_region"] = True
        lost = est.reason(est.resources_unread, project)
        if lost is not None:
            self.unread(f, ("destination", "destination_immutable", "destination_immutability_mode", "retention_days"),
                        lost)
        else:
            self._log_bucket(project, f)
        f["integrity_validation"] = None
        f["read_errors"]["integrity_validation"] = ("Cloud Logging has no log-integrity validation (digest files); "
                                                    "not read")
        return AuditTrail(**f)

    def _data_access_logged(self, project: str, pol_name: str, evidence: dict[str, Any]) -> tuple[bool | None, str]:
        """Data Access audit logs (DATA_READ and DATA_WRITE) on for allServices, in the project's
        own policy or one it inherits from a folder or the organization."""
        est = self.estate
        item = est.items.get(pol_name)
        ancestors = est.policy_ancestors.get(pol_name) or (item.ancestors if item is not None else [])
        chain = [project] + [a for a in ancestors if not a.startswith("projects/")]
        for ref in chain:
            policy = est.policies.get(f"//cloudresourcemanager.googleapis.com/{ref}")
            if policy is None:
                continue
            configs = policy.get("auditConfigs") or []
            evidence[ref] = configs
            for c in configs:
                if c.get("service") != "allServices":
                    continue
                types = {x.get("logType") for x in c.get("auditLogConfigs") or []}
                if {"DATA_READ", "DATA_WRITE"} <= types:
                    return True, ""
        unread = [a for a in chain[1:] if a not in est.containers_read]
        if unread:
            return None, (f"Data Access logs are not on in the project's policy, and may be inherited from "
                          f"{', '.join(unread)}, whose policy was not read (outside the scope, or refused)")
        return False, ""

    def _log_bucket(self, project: str, f: dict[str, Any]) -> None:
        """Where the project's audit logs go: the _Default sink's log bucket, its retention and lock."""
        sink = next((i for i in self.estate.items.values() if i.asset_type == LOG_SINK and i.project == project
                     and i.name.endswith("/sinks/_Default")), None)
        bucket = next((i for i in self.estate.items.values() if i.asset_type == LOG_BUCKET
                       and i.project == project and i.name.endswith("/buckets/_Default")), None)
        why = "the project's _Default log bucket is not in the input"
        if sink is not None and sink.data is not None:
            dest = Reader(sink.data).get("destination", str) or ""
            if not dest.endswith("/buckets/_Default"):
                bucket, why = None, f"the _Default sink routes logs to {dest}, which is not read"
        if bucket is None or bucket.data is None:
            self.unread(f, ("destination", "destination_immutable", "destination_immutability_mode", "retention_days"),
                        why)
            return
        b = Reader(bucket.data)
        f["destination"] = bucket.name
        # A locked log bucket cannot be unlocked, nor its retention shortened; an unlocked one can be
        # deleted with its logs, so it is not write-once at all.
        f["destination_immutable"] = bool(b.get("locked", bool))
        f["destination_immutability_mode"] = "locked" if f["destination_immutable"] else None
        f["retention_days"] = b.int("retentionDays")
        if f["retention_days"] is None:
            f["read_errors"]["retention_days"] = "retentionDays not in the log bucket document"
        f["raw"]["logBucket"] = bucket.data

    def threat_detection(self, project: str) -> Resource:
        pid = self.estate.project_id(project)
        return ThreatDetection(
            id=f"//securitycenter.googleapis.com/projects/{pid}", name=f"Security Command Center ({pid})",
            provider="gcp", account=pid, service="Security Command Center", enabled=None,
            source=self._project_source(project),
            read_errors={"enabled": "Security Command Center activation is not in Cloud Asset Inventory: check it "
                                    "in the console (Security Command Center → Settings) and record it"})

    def principals(self, projects: list[str]) -> list[Resource]:
        """Users and groups bound to an administrative role on a project, folder or organization, one
        resource per member with every such binding as evidence (a condition does not narrow what the
        role allows). Members without one are not listed: their rights may also come through Google
        groups, which are not read, so no PASS could be proven. Projects whose IAM policies were not
        read get one unread entry each (UNKNOWN)."""
        est = self.estate
        found: dict[str, dict[str, Any]] = {}
        for name, policy in sorted(est.policies.items()):
            ref = container_ref(name)
            if ref is None:
                continue  # a resource's own policy: not the whole project
            scope = f"projects/{est.project_id(ref)}" if ref.startswith("projects/") else ref
            for b in policy.get("bindings") or []:
                role = b.get("role")
                if role not in ADMIN_ROLES:
                    continue
                for member in b.get("members") or []:
                    kind = PEOPLE.get(member.partition(":")[0])
                    if kind is None:
                        continue  # service accounts, deleted principals, allUsers: not (current) people
                    e = found.setdefault(member, {"kind": kind, "grants": [], "projects": set(), "from": ref})
                    e["grants"].append(f"{role} on {scope}" + (" (with an IAM condition)" if b.get("condition") else ""))
                    if ref.startswith("projects/"):
                        e["projects"].add(est.project_id(ref))
        out: list[Resource] = []
        for member, e in sorted(found.items()):
            source = self._project_source(e["from"]) if e["from"].startswith("projects/") else self._any_source()
            common: dict[str, Any] = dict(
                id=member, name=member.partition(":")[2], provider="gcp",
                account=next(iter(e["projects"])) if len(e["projects"]) == 1 else None, source=source,
                purpose="user", admin_rights=True, admin_grants=sorted(set(e["grants"])))
            if e["kind"] == "user":
                fields = ("console_access", "access_keys", "shared", "last_used")  # what the user controls read first
                out.append(IdentityUser(**common, read_errors=dict.fromkeys(fields, CLOUD_IDENTITY_UNREAD)))
            else:
                out.append(IdentityGroup(**common, read_errors={
                    "members": "a Google group or domain: its members are Cloud Identity's, which sansho does not read"}))
        for project in projects:
            why = self._iam_unread(project)
            if why is None:
                continue
            pid = est.project_id(project)
            out.append(IdentityGroup(
                id=f"//cloudresourcemanager.googleapis.com/projects/{pid}#iamBindings",
                name=f"IAM bindings ({pid})", provider="gcp", account=pid, source=self._project_source(project),
                read_errors={"admin_rights": why}))
        return out

    def _any_source(self) -> SourceRef:
        item = next(iter(self.estate.items.values()), None)
        return item.source if item is not None else SourceRef(type="live")

    def _project_source(self, project: str) -> SourceRef:
        item = self.estate.items.get(f"//cloudresourcemanager.googleapis.com/{project}")
        return item.source if item is not None else SourceRef(type="live")

    def link(self, resources: list[Resource]) -> None:
        """Cloud SQL read replicas: their regions come from the replica instances read."""
        by_name = {r.name: r for r in resources if isinstance(r, Database) and r.engine != "bigquery"}
        for r in resources:
            if not isinstance(r, Database) or r.engine == "bigquery" or r.raw is None:
                continue
            data = r.raw.get("data") or {}
            for replica in data.get("replicaNames") or []:
                other = by_name.get(replica)
                region = other.region if other is not None else None
                dest = Destination(relation="read_replica", target=replica, provider="gcp", region=region,
                                   country=other.country if other is not None else None)
                if r.destinations is not None:
                    r.destinations.append(dest)


BUILDERS: dict[str, Callable[[Normalizer, Item], list[Resource]]] = {
    BUCKET: Normalizer.bucket, SQL: Normalizer.sql, DISK: Normalizer.disk, SNAPSHOT: Normalizer.snapshot,
    FIREWALL: Normalizer.firewall, DATASET: Normalizer.dataset, CRYPTO_KEY: Normalizer.crypto_key,
}


def _port_range(spec: str, where: str) -> PortRange:
    m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", spec)
    if not m:
        raise FieldError(where, f"expected a port or a range such as '5432-5433', got {spec!r}")
    lo = int(m.group(1))
    hi = int(m.group(2) or lo)
    why = port_range_error(lo, hi)
    if why:
        raise FieldError(where, why)
    return PortRange(from_port=lo, to_port=hi)


def normalize(estate: Estate, tag_keys: TagKeys | None,
              on_error: Callable[[Item, FieldError], None]) -> list[Resource]:
    """Every resource of the estate; ``on_error`` decides what a malformed asset means
    (an input error for a file, a recorded read error live)."""
    n = Normalizer(estate, tag_keys)
    out: list[Resource] = []
    for item in estate.items.values():
        build = BUILDERS.get(item.asset_type)
        if build is None:
            continue
        try:
            out.extend(build(n, item))
        except FieldError as e:
            on_error(item, e)
    projects = projects_of(estate)
    for project in projects:
        out.extend(n.project_resources(project))
    out.extend(n.principals(projects))
    n.link(out)
    for r in out:  # as the Azure collector does: no key, password or token reaches the evidence
        if r.raw is not None:
            r.raw = scrub(r.raw)
    derive_exposure(out)  # the firewall rules of one network admit the union of their sources
    out.sort(key=lambda r: (r.kind, r.id))
    return out


def projects_of(estate: Estate) -> list[str]:
    """Every project seen: read project assets, projects assets belong to, projects asked for
    that could not be read (as ``projects/<id>``)."""
    seen: dict[str, None] = {}
    numbers = {v: k for k, v in estate.project_ids.items()}
    for item in estate.items.values():
        if item.project:
            seen[item.project] = None
    for name in estate.policies:
        ref = container_ref(name)
        if ref and ref.startswith("projects/"):
            seen[ref] = None
    for p in estate.scope_projects:
        key = numbers.get(p, f"projects/{p}")
        if key not in seen:
            seen[key] = None
    return sorted(seen)
