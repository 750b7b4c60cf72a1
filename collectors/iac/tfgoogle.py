"""Terraform google resources → the normalized model, read as the live GCP collector reads them.

Input is :class:`~.tfaws.TfRes` (HCL or plan). A resource's own ``location``/``region``/``zone``
wins; otherwise the ``google`` provider block's ``region`` (or ``zone``) in effect, which hcl.py
and plan.py put in ``TfRes.region``. Cloud Storage locations keep their meaning: the multi-region
``ASIA`` is several countries (``MULTI``), the dual-region ``ASIA1`` is Tokyo + Osaka (JP).

Documented defaults only: a Cloud SQL instance allows unencrypted connections unless
``ssl_mode``/``require_ssl`` says otherwise, keeps no automated backups unless
``backup_configuration.enabled``, and stores them in the multi-region nearest its region unless a
``location`` is set; a BigQuery dataset without ``location`` is in the ``US`` multi-region.
Cloud Storage has no bucket setting that refuses plain HTTP, so ``tls_required`` is unread.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from sansho.policies.config import gcp_label_key
from sansho.policies.model import (
    Database,
    Destination,
    Disk,
    FirewallRule,
    Key,
    ObjectStorage,
    Resource,
    derive_exposure,
)
from sansho.policies.regions import gcp_region_of, gcp_sql_default_backup_location

from .cloud_fields import cloud_base, medical_of, port_ranges, raw_of, read_tags
from .common import MEDICAL_TAG, UNSET, Reader, Unresolved, as_list
from .tfaws import AuditReading, TfRes, TypedResources, blocks_of, first_block, pgaudit_classes

SUPPORTED_TYPES = frozenset({
    "google_storage_bucket", "google_storage_bucket_iam_member", "google_storage_bucket_iam_binding",
    "google_storage_bucket_iam_policy", "google_storage_bucket_acl",
    "google_sql_database_instance", "google_compute_disk", "google_compute_region_disk",
    "google_compute_firewall", "google_kms_key_ring", "google_kms_crypto_key", "google_bigquery_dataset",
})

PUBLIC_MEMBERS = frozenset({"allUsers", "allAuthenticatedUsers"})
PUBLIC_ACLS = frozenset({"publicRead", "publicReadWrite"})
SECONDS_PER_DAY = 86400
_TLS_MODES = {"ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"}
# BigQuery writes Data Access audit logs (every read of table data) always; they cannot be turned off.
BIGQUERY_AUDITED = True
BIGQUERY_AUDIT_CLASSES = ["DATA_READ"]
_IN_DATABASE = {
    "mysql": "Cloud SQL for MySQL audits what its audit rules name (mysql.cloudsql_create_audit_rule), inside the "
             "database; the Admin API does not show them, so the classes audited were not read",
    "sqlserver": "SQL Server records what its server and database audit specifications name, inside the "
                 "database; the Admin API does not show them, so the classes audited were not read",
}


def cloud_sql_audit_logging(engine: str | None, flags: dict[str, Any], audit_bucket: Any) -> AuditReading:
    """SAN-LOG-007 for a Cloud SQL instance, shared with the live collector: pgaudit switched on with
    ``pgaudit.log`` naming classes (PostgreSQL; the classes recorded), the audit plugin on (MySQL), an
    audit bucket configured (SQL Server). ``flags``: database flags by name."""
    e = (engine or "").lower()
    wanted = ("cloudsql.enable_pgaudit", "pgaudit.log") if e.startswith("postgres") else \
        ("cloudsql_mysql_audit",) if e.startswith("mysql") else ()
    values = {k.lower(): v for k, v in flags.items()}
    for n in wanted:
        if values.get(n) is not None and not isinstance(values[n], (str, int, bool)):
            return AuditReading(None, why=f"database flag {n} = {values[n]} could not be resolved")
    flag = {n: str(values.get(n) or "").strip().lower() for n in wanted}
    if e.startswith("postgres"):
        classes = pgaudit_classes(flag["pgaudit.log"]) if flag["cloudsql.enable_pgaudit"] == "on" else []
        return AuditReading(bool(classes), classes)
    if e.startswith("mysql"):
        on = flag["cloudsql_mysql_audit"] in ("on", "force", "force_plus_permanent")
        return AuditReading(on, classes_why=_IN_DATABASE["mysql"] if on else None)
    if e.startswith("sqlserver"):
        if audit_bucket is not None and not isinstance(audit_bucket, str):
            return AuditReading(None, why=f"sql_server_audit_config bucket {audit_bucket} could not be resolved")
        return AuditReading(bool(audit_bucket), classes_why=_IN_DATABASE["sqlserver"] if audit_bucket else None)
    return AuditReading(None, why=f"database audit logging is not read for engine {e or '(unknown)'}")


MEDICAL_LABEL = gcp_label_key(MEDICAL_TAG)


def _last(v: str) -> str:
    return v.rstrip("/").rsplit("/", 1)[-1]


class GoogleNormalizer(TypedResources):
    def run(self) -> list[Resource]:
        return [*self.buckets(), *self.sql_instances(), *self.disks(), *self.firewall_rules(), *self.keys(),
                *self.datasets()]

    # --- helpers ---------------------------------------------------------------------------

    def _region(self, res: TfRes, *keys: str) -> tuple[str | None, str | None]:
        """The resource's own location attribute, else the provider's region in effect."""
        for key in keys:
            v = res.get(key)
            if isinstance(v, str) and v.strip():
                return gcp_region_of(v), None
            if isinstance(v, Unresolved):
                return None, f"{key} {v} could not be resolved"
        if res.region is not None:
            return gcp_region_of(res.region), None
        return None, res.region_error or f"neither {' nor '.join(keys)} nor the google provider's region is set"

    def _base(self, res: TfRes, r: Reader, region: str | None, why: str | None,
              labels: Any = UNSET) -> dict[str, Any]:
        tags = read_tags(res.get("labels") if labels is UNSET else labels, r, "label")
        return cloud_base(res, r, "gcp", region, why, tags, medical_of(tags, MEDICAL_LABEL), self.source_type)

    def _key(self, owner: TfRes, path: tuple[str, ...], value: Any) -> dict[str, Any]:
        if value in (UNSET, None, ""):
            return {"key_managed_by": "provider"}  # Google-managed encryption keys
        target = self.links.target(owner, path, value, ("google_kms_crypto_key",))
        return {"key_managed_by": "customer", "kms_key_id": target.address if target else str(value)}

    def _attach(self, types: tuple[str, ...], parent_types: tuple[str, ...], key: str
                ) -> tuple[dict[str, list[TfRes]], str | None]:
        out: dict[str, list[TfRes]] = defaultdict(list)
        orphan = None
        for t in types:
            for part in self.by_type.get(t, ()):
                parent = self.links.target(part, (key,), part.get(key), parent_types)
                if parent is None:
                    orphan = f"{part.address} could not be joined to its {parent_types[0]} ({key} = {part.get(key)})"
                    continue
                out[parent.address].append(part)
        return out, orphan

    @staticmethod
    def _name(res: TfRes) -> str | None:
        v = res.get("name")
        return v if isinstance(v, str) else None

    # --- Cloud Storage ---------------------------------------------------------------------

    def buckets(self) -> list[Resource]:
        grants, orphan = self._attach(("google_storage_bucket_iam_member", "google_storage_bucket_iam_binding",
                                       "google_storage_bucket_iam_policy", "google_storage_bucket_acl"),
                                      ("google_storage_bucket",), "bucket")
        out: list[Resource] = []
        for b in self.by_type.get("google_storage_bucket", ()):
            r = Reader()
            placement = first_block(b.attrs, "custom_placement_config").get("data_locations", UNSET)
            fields: dict[str, Any] = {"encrypted": True}
            region: str | None
            why: str | None
            if isinstance(placement, list) and placement and all(isinstance(x, str) for x in placement):
                # A configurable dual-region: the data lives in both named regions.
                region, why = gcp_region_of(placement[0]), None
                fields["destinations"] = [Destination(relation="geo_secondary", target=self._name(b), provider="gcp",
                                                      region=gcp_region_of(x)) for x in placement[1:]]
            else:
                region, why = self._region(b, "location")
                fields["destinations"] = []
                if isinstance(placement, Unresolved):
                    r.miss("destinations", f"custom_placement_config {placement} could not be resolved")
            base = self._base(b, r, region, why)
            fields.update(self._key(b, ("encryption", "default_kms_key_name"),
                                    first_block(b.attrs, "encryption").get("default_kms_key_name", UNSET)))
            r.miss("tls_required", "Cloud Storage has no bucket setting that refuses plain HTTP or sets a TLS floor; "
                   "not read")
            r.miss("min_tls_version", "Cloud Storage has no bucket setting that sets a TLS floor; not read")
            fields["versioning"] = r.bool(first_block(b.attrs, "versioning").get("enabled", UNSET), "versioning",
                                          False)
            ret = first_block(b.attrs, "retention_policy")
            if not ret:
                fields.update(immutable=False, retention_days=None)
            else:
                secs = r.int(ret.get("retention_period", UNSET), "immutable")
                locked = r.bool(ret.get("is_locked", UNSET), "immutable", False)
                if secs is not None and locked is not None:
                    fields.update(immutable=secs > 0, immutability_mode="locked" if locked else "unlocked",
                                  retention_days=secs // SECONDS_PER_DAY)
            fields["public"] = self._bucket_public(b, grants.get(b.address, []), orphan, r)
            self._finish(fields, r)
            if "immutable" in r.errors:
                fields["immutability_mode"] = fields["retention_days"] = None
            out.append(ObjectStorage(name=self._name(b), read_errors=r.errors, raw=raw_of(b), **base, **fields))
        return out

    def _grants_public(self, g: TfRes) -> bool | None:
        if g.type == "google_storage_bucket_acl":
            acl = g.get("predefined_acl")
            entities = as_list(g.get("role_entity"))
            if isinstance(acl, Unresolved) or any(isinstance(e, Unresolved) for e in entities):
                return None
            return acl in PUBLIC_ACLS or any(isinstance(e, str) and e.split(":", 1)[-1] in PUBLIC_MEMBERS
                                             for e in entities)
        if g.type == "google_storage_bucket_iam_policy":
            doc = g.get("policy_data")
            if isinstance(doc, str):
                try:
                    doc = json.loads(doc)
                except ValueError:
                    return None
            if not isinstance(doc, dict):
                return None
            members = [m for b in as_list(doc.get("bindings")) if isinstance(b, dict) for m in as_list(b.get("members"))]
        else:
            members = as_list(g.get("member")) + as_list(g.get("members"))
        if any(isinstance(m, Unresolved) for m in members):
            return None
        return any(m in PUBLIC_MEMBERS for m in members)

    def _bucket_public(self, b: TfRes, grants: list[TfRes], orphan: str | None, r: Reader) -> bool | None:
        prevention = b.get("public_access_prevention")
        if prevention == "enforced":
            return False  # public access prevention overrides any allUsers binding or ACL
        states = [self._grants_public(g) for g in grants]
        if True in states:
            return True
        if isinstance(prevention, Unresolved):
            r.miss("public", f"public_access_prevention {prevention} could not be resolved")
            return None
        if None in states:
            r.miss("public", "an IAM binding or ACL of the bucket could not be resolved")
            return None
        if orphan:
            r.miss("public", orphan)
            return None
        ubla = b.get("uniform_bucket_level_access")
        if ubla is not True:
            r.miss("public", "uniform bucket-level access is off, so object ACLs (not in Terraform) may grant "
                   "allUsers" if not isinstance(ubla, Unresolved) else f"uniform_bucket_level_access {ubla} could "
                   "not be resolved")
            return None
        return False

    # --- Cloud SQL -------------------------------------------------------------------------

    def sql_instances(self) -> list[Resource]:
        instances = self.by_type.get("google_sql_database_instance", [])
        replicas: dict[str, list[TfRes]] = defaultdict(list)
        for inst in instances:
            master = inst.get("master_instance_name")
            if master not in (UNSET, None):
                m = self.links.target(inst, ("master_instance_name",), master, ("google_sql_database_instance",))
                if m is not None:
                    replicas[m.address].append(inst)
        out: list[Resource] = []
        for inst in instances:
            r = Reader()
            settings = first_block(inst.attrs, "settings")
            region, why = self._region(inst, "region")
            base = self._base(inst, r, region, why, settings.get("user_labels", UNSET))
            version = inst.get("database_version")
            fields: dict[str, Any] = {"engine": version.lower() if isinstance(version, str) else None,
                                      "encrypted": True}
            fields.update(self._key(inst, ("encryption_key_name",), inst.get("encryption_key_name")))
            ip = first_block(settings, "ip_configuration")
            ipv4 = r.bool(ip.get("ipv4_enabled", UNSET), "publicly_accessible", True)
            nets = [n.get("value", UNSET) for n in blocks_of(ip, "authorized_networks")]
            if any(isinstance(n, Unresolved) for n in nets):
                r.miss("publicly_accessible", "an authorized network could not be resolved")
            fields["publicly_accessible"] = bool(ipv4) and any(n in ("0.0.0.0/0", "::/0") for n in nets)
            mode, require = ip.get("ssl_mode", UNSET), ip.get("require_ssl", UNSET)
            if isinstance(mode, str):
                fields["tls_required"] = mode in _TLS_MODES
            elif isinstance(mode, Unresolved):
                r.miss("tls_required", f"ssl_mode {mode} could not be resolved")
            else:
                # Cloud SQL's default mode allows unencrypted connections.
                fields["tls_required"] = r.bool(require, "tls_required", False)
            fields.update(self._sql_backups(inst, settings, region, r))
            flags = {str(f.get("name")): f.get("value") for f in blocks_of(settings, "database_flags")}
            bucket = first_block(settings, "sql_server_audit_config").get("bucket")
            audit = cloud_sql_audit_logging(fields["engine"], flags, None if bucket is UNSET else bucket)
            fields["audit_logging"], fields["audit_classes"] = audit.logging, audit.classes
            if audit.logging is None:
                r.miss("audit_logging", audit.why or "not read")
            if audit.logging and audit.classes is None:
                r.miss("audit_classes", audit.classes_why or "not read")
            for rep in replicas.get(inst.address, []):
                rregion, _ = self._region(rep, "region")
                if fields.get("destinations") is not None:
                    fields["destinations"].append(Destination(relation="read_replica", target=rep.address,
                                                              provider="gcp", region=rregion))
                if rregion is None:
                    r.miss("destinations", f"region of read replica {rep.address} could not be resolved")
            if inst.get("master_instance_name") not in (UNSET, None):
                r.miss("backup_retention_days", "a read replica keeps no backups of its own")
            self._finish(fields, r)
            out.append(Database(name=self._name(inst), read_errors=r.errors, raw=raw_of(inst), **base, **fields))
        return out

    def _sql_backups(self, inst: TfRes, settings: dict[str, Any], region: str | None, r: Reader) -> dict[str, Any]:
        cfg = first_block(settings, "backup_configuration")
        enabled = r.bool(cfg.get("enabled", UNSET), "backup_retention_days", False)
        if enabled is None:
            r.miss("destinations", "backup_configuration.enabled could not be resolved")
            return {}
        if not enabled:
            return {"backup_retention_days": 0, "destinations": []}
        out: dict[str, Any] = {}
        keep = first_block(cfg, "backup_retention_settings")
        unit = keep.get("retention_unit", "COUNT")
        if unit == "COUNT":
            # Automated backups are daily: N retained backups span N days (Cloud SQL keeps 7 by default).
            out["backup_retention_days"] = r.int(keep.get("retained_backups", UNSET), "backup_retention_days", 7)
        else:
            r.miss("backup_retention_days", f"retention_unit {unit} is not understood")
        where = cfg.get("location", UNSET)
        if isinstance(where, Unresolved):
            r.miss("destinations", f"backup location {where} could not be resolved")
            return out
        if not isinstance(where, str) or not where:
            where = gcp_sql_default_backup_location(region)
            if where is None:
                r.miss("destinations", "no backup location is set and the instance region is not known, so the "
                       "default multi-region is not known")
        out["destinations"] = [Destination(relation="backup_copy", target="automated backups", provider="gcp",
                                           region=gcp_region_of(where) if where else None)]
        return out

    # --- Compute Engine disks and firewall rules -------------------------------------------

    def disks(self) -> list[Resource]:
        out: list[Resource] = []
        for rtype, keys in (("google_compute_disk", ("zone",)), ("google_compute_region_disk", ("region",))):
            for d in self.by_type.get(rtype, ()):
                r = Reader()
                region, why = self._region(d, *keys)
                base = self._base(d, r, region, why)
                enc = first_block(d.attrs, "disk_encryption_key")
                kms = enc.get("kms_key_self_link", enc.get("kms_key_name", UNSET))
                fields: dict[str, Any] = {"encrypted": True}  # Compute Engine encrypts every disk
                if enc.get("raw_key", UNSET) is not UNSET or enc.get("rsa_encrypted_key", UNSET) is not UNSET:
                    fields["key_managed_by"] = "customer"  # a customer-supplied key (CSEK)
                else:
                    fields.update(self._key(d, ("disk_encryption_key", "kms_key_self_link"), kms))
                out.append(Disk(name=self._name(d), read_errors=r.errors, raw=raw_of(d), **base, **fields))
        return out

    def firewall_rules(self) -> list[Resource]:
        out: list[Resource] = []
        for fw in self.by_type.get("google_compute_firewall", ()):
            if fw.get("disabled") is True:
                continue  # a disabled rule allows and denies nothing
            direction = fw.get("direction")
            if isinstance(direction, str) and direction.upper() == "EGRESS":
                continue  # as for AWS and Azure: only inbound exposure is judged
            entries = [("allow", i, e) for i, e in enumerate(fw.blocks("allow"))] + \
                      [("deny", i, e) for i, e in enumerate(fw.blocks("deny"))]
            for action, i, entry in entries:
                r = Reader()
                base = self._base(fw, r, "global", None, {})
                if len(entries) > 1:
                    base["id"] = f"{fw.address}.{action}[{i}]"
                if isinstance(direction, Unresolved):
                    r.miss("direction", f"direction {direction} could not be resolved")
                sources: list[str] | None = []
                for key, prefix in (("source_ranges", ""), ("source_tags", "tag:"),
                                    ("source_service_accounts", "serviceAccount:")):
                    for s in as_list(fw.get(key)):
                        if isinstance(s, Unresolved) or sources is None:
                            r.miss("sources", f"{key} {s} could not be resolved")
                            sources = None
                            continue
                        sources.append(f"{prefix}{s}")
                if sources == [] and not any(isinstance(fw.get(k), Unresolved) for k in ("source_ranges",)):
                    sources = ["0.0.0.0/0"]  # an ingress rule with no source applies to every source
                proto = entry.get("protocol", UNSET)
                protocol = str(proto).lower() if isinstance(proto, (str, int)) else None
                if protocol is None:
                    r.miss("protocol", f"protocol {proto} could not be resolved")
                ports = port_ranges(as_list(entry.get("ports")), r)
                targets = [t for t in as_list(fw.get("target_tags")) if isinstance(t, str)]
                network = fw.get("network")
                net = str(network) if network is not UNSET and not isinstance(network, Unresolved) else None
                fields: dict[str, Any] = {
                    "direction": "ingress", "action": action, "protocol": protocol, "sources": sources,
                    "ports": ports, "attached_to": targets or [str(network) if network is not UNSET else "network"],
                    "group": net}
                self._finish(fields, r)
                out.append(FirewallRule(name=self._name(fw), read_errors=r.errors, raw=raw_of(fw), **base, **fields))
        derive_exposure(out)  # the rules of one network admit the union of their sources
        return out

    # --- Cloud KMS -------------------------------------------------------------------------

    def keys(self) -> list[Resource]:
        out: list[Resource] = []
        for k in self.by_type.get("google_kms_crypto_key", ()):
            r = Reader()
            ring_ref = k.get("key_ring")
            ring = self.links.target(k, ("key_ring",), ring_ref, ("google_kms_key_ring",))
            if ring is not None:
                region, why = self._region(ring, "location")
            elif isinstance(ring_ref, str) and re.search(r"/locations/([^/]+)/", ring_ref):
                region, why = gcp_region_of(re.search(r"/locations/([^/]+)/", ring_ref).group(1)), None  # type: ignore[union-attr]
            else:
                region, why = None, f"key_ring {ring_ref} is not a key ring in this configuration"
            base = self._base(k, r, region, why)
            fields: dict[str, Any] = {"key_managed_by": "customer"}
            purpose = k.get("purpose")
            period = k.get("rotation_period")
            if isinstance(purpose, str) and purpose != "ENCRYPT_DECRYPT":
                r.miss("rotation_enabled", f"Cloud KMS rotates only symmetric keys automatically ({purpose} keys are "
                       "rotated by hand)")
            elif isinstance(period, Unresolved):
                r.miss("rotation_enabled", f"rotation_period {period} could not be resolved")
            elif period in (UNSET, None, ""):
                fields.update(rotation_enabled=False, rotation_period_days=None)
            else:
                m = re.fullmatch(r"(\d+)(?:\.\d+)?s", str(period).strip())
                if m:
                    fields.update(rotation_enabled=True, rotation_period_days=int(m.group(1)) // SECONDS_PER_DAY)
                else:
                    r.miss("rotation_period_days", f"rotation_period {period!r} is not a duration such as '7776000s'")
                    fields["rotation_enabled"] = True
            self._finish(fields, r)
            out.append(Key(name=self._name(k), read_errors=r.errors, raw=raw_of(k), **base, **fields))
        return out

    # --- BigQuery --------------------------------------------------------------------------

    def datasets(self) -> list[Resource]:
        out: list[Resource] = []
        for ds in self.by_type.get("google_bigquery_dataset", ()):
            r = Reader()
            loc = ds.get("location")
            region: str | None
            why: str | None
            if loc is UNSET:
                region, why = "us", None  # the provider's documented default: the US multi-region
            else:
                region, why = self._region(ds, "location")
            base = self._base(ds, r, region, why)
            fields: dict[str, Any] = {"engine": "bigquery", "encrypted": True, "audit_logging": BIGQUERY_AUDITED,
                                      "audit_classes": list(BIGQUERY_AUDIT_CLASSES)}
            fields.update(self._key(ds, ("default_encryption_configuration", "kms_key_name"),
                                    first_block(ds.attrs, "default_encryption_configuration").get("kms_key_name",
                                                                                                  UNSET)))
            r.miss("tls_required", "BigQuery has no dataset setting for connection encryption; not read")
            r.miss("backup_retention_days", "BigQuery datasets have no automated backups (time travel is not a "
                   "backup); not read")
            r.miss("destinations", "dataset replicas are not in the dataset configuration; not read")
            access = blocks_of(ds.attrs, "access")
            if any(isinstance(a.get("special_group"), Unresolved) or isinstance(a.get("iam_member"), Unresolved)
                   for a in access):
                r.miss("publicly_accessible", "an access entry could not be resolved")
            fields["publicly_accessible"] = any(a.get("special_group") == "allAuthenticatedUsers"
                                                or a.get("iam_member") in PUBLIC_MEMBERS for a in access)
            self._finish(fields, r)
            out.append(Database(name=_last(str(ds.get("dataset_id"))) if isinstance(ds.get("dataset_id"), str)
                                else None, read_errors=r.errors, raw=raw_of(ds), **base, **fields))
        return out
