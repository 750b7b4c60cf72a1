"""Cloud KMS: a key ring in the primary region (Cloud SQL) and one in the buckets' dual-region, each
key rotated automatically every keyRotationDays (SAN-ENC-006)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi_gcp as gcp

from .settings import Settings, labels, opts

SECONDS_PER_DAY = 86400


@dataclass(frozen=True)
class Keys:
    sql: gcp.kms.CryptoKey
    storage: gcp.kms.CryptoKey
    logs: gcp.kms.CryptoKey


def make(s: Settings, p: gcp.Provider) -> Keys:
    regional = gcp.kms.KeyRing("ring", name=f"{s.prefix}-ring", location=s.primary, opts=opts(p))
    dual = gcp.kms.KeyRing("ring-storage", name=f"{s.prefix}-ring-storage", location=s.storage_location.lower(),
                           opts=opts(p))
    period = f"{s.key_rotation_days * SECONDS_PER_DAY}s" if s.key_rotation_days else None
    t = labels(s, classification="confidential", purpose="encryption-keys", retention="none", backup="none")

    def key(name: str, ring: gcp.kms.KeyRing) -> gcp.kms.CryptoKey:
        return gcp.kms.CryptoKey(name, name=f"{s.prefix}-{name}", key_ring=ring.id, purpose="ENCRYPT_DECRYPT",
                                 rotation_period=period, labels=t,
                                 version_template={"algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION",
                                                   "protection_level": "HSM"},
                                 opts=opts(p, protect=False))

    return Keys(sql=key("sql-key", regional), storage=key("records-key", dual), logs=key("logs-key", dual))
