"""The medical-records bucket and the audit-log bucket, both in the Tokyo + Osaka dual-region (ASIA1):
CMEK, public access prevention, uniform bucket-level access, versioning, and a locked retention
policy (WORM) of the configured length."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi_gcp as gcp

from .keys import Keys
from .settings import Settings, labels, opts

SECONDS_PER_DAY = 86400


@dataclass(frozen=True)
class Buckets:
    records: gcp.storage.Bucket
    logs: gcp.storage.Bucket


def _bucket(s: Settings, p: gcp.Provider, name: str, key: gcp.kms.CryptoKey, days: int, locked: bool,
            public: bool, lbl: dict[str, str]) -> gcp.storage.Bucket:
    bucket = gcp.storage.Bucket(
        name, name=f"{s.prefix}-{name}", location=s.storage_location,
        public_access_prevention="inherited" if public else "enforced",
        uniform_bucket_level_access=True,
        versioning={"enabled": True},
        encryption={"default_kms_key_name": key.id},
        retention_policy={"retention_period": days * SECONDS_PER_DAY, "is_locked": locked},
        soft_delete_policy={"retention_duration_seconds": 90 * SECONDS_PER_DAY},
        labels=lbl, force_destroy=False, opts=opts(p))
    if public:
        gcp.storage.BucketIAMMember(f"{name}-public", bucket=bucket.name, role="roles/storage.objectViewer",
                                    member="allUsers", opts=opts(p))
    return bucket


def make(s: Settings, p: gcp.Provider, kms: Keys) -> Buckets:
    records = _bucket(s, p, "medical-records", kms.storage, s.records_retention_days, s.lock_retention,
                      s.allow_public_access,
                      labels(s, classification="medical-confidential", purpose="medical-records",
                             retention=f"{s.records_retention_days // 365}y", backup="continuous", medical=True,
                             records="finalised", zone="medical"))
    logs = _bucket(s, p, "audit-logs", kms.logs, s.log_retention_days, s.lock_log_retention, False,
                   labels(s, classification="confidential", purpose="audit-logs",
                          retention=f"{s.log_retention_days // 365}y", backup="none", records="finalised"))
    return Buckets(records=records, logs=logs)
