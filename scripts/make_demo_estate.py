#!/usr/bin/env python3
"""Generate the bundled demo estate: a fictional hospital, 「さくら総合病院」.

    .venv/bin/python scripts/make_demo_estate.py

This script is the source of truth for ``policies/demo/estate/*.json`` and
``policies/demo/sansho.yaml``; edit it, not the generated files, and re-run it. It is fully
deterministic (no randomness, no clock): the same script always writes the same bytes.

Everything in the estate is fictional: the hospital, its staff, its vendors, the cloud account
IDs (111122223333, 444455556666), subscription and project IDs, ARNs, keys and UUIDs. IP
addresses are documentation ranges (RFC 5737: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24)
or private ranges; e-mail domains use the reserved ``.example`` TLD.

The demo is scanned as of 2026-11-01 (``DEMO_AS_OF`` in ``policies/scanning.py``), so every
date below is chosen relative to that day. The estate mixes compliant resources with the
failures a real hospital would find, one per story, and a few resources whose settings could
not be read (UNKNOWN). The stories are written next to the resources that tell them.

Attestations are generated for every ``check: attestation`` control in the catalog, except
the ones listed in ``ATTESTATION_MISSING``; answers other than "yes" and the one expired
attestation are set in ``ATTESTATION_OVERRIDES``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "policies" / "demo"
ESTATE = DEMO / "estate"

SCHEMA_VERSION = "1.0"
ADMIN_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
NO_ADMIN: dict[str, Any] = {"admin_rights": False, "admin_grants": []}
GENERATOR = "sansho demo estate"

# Fictional identifiers.
AWS_ACCOUNT = "111122223333"          # production (電子カルテ, PACS, 部門システム)
AWS_BACKUP_ACCOUNT = "444455556666"   # isolated backup / DR account
AZ_SUB = "00000000-0000-0000-0000-000000000001"
AZ_TENANT = "00000000-0000-0000-0000-0000000000aa"
GCP_PROJECT = "sakura-hospital-prod"
GCP_BACKUP_PROJECT = "sakura-hospital-backup"
MAIL = "sakura-hospital.example"

LIVE = {"type": "live"}


def clean(value: Any) -> Any:
    """Drop ``None`` values from dicts (absent = not read, exactly like null), recursively."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def tags(system: str, classification: str | None = None, retention: str | None = None,
         backup: str | None = None, **extra: str) -> dict[str, str]:
    """Hospital tags: the system in Japanese, plus the storage-metadata tags SAN-LOC-004 reads."""
    t = {"システム": system}
    if classification:
        t["data-classification"] = classification
    if retention:
        t["retention"] = retention
    if backup:
        t["backup-frequency"] = backup
    t.update(extra)
    return t


MEDICAL = "要配慮個人情報(医療情報)"
INTERNAL = "院内限定"
PUBLIC = "公開情報"


# =============================================================================================
# AWS
# =============================================================================================

def aws_resources() -> list[dict[str, Any]]:
    A, B = AWS_ACCOUNT, AWS_BACKUP_ACCOUNT
    TKY, OSA = "ap-northeast-1", "ap-northeast-3"
    out: list[dict[str, Any]] = []

    def add(kind: str, id: str, region: str | None, account: str = A, **fields: Any) -> None:
        out.append({"id": id, "kind": kind, "provider": "aws", "account": account, "region": region,
                    "source": LIVE, **fields})

    def s3(name: str, region: str = TKY, **fields: Any) -> None:
        add("storage.bucket", f"arn:aws:s3:::{name}", region, name=name, **fields)

    def kms_arn(n: int, region: str = TKY, account: str = A) -> str:
        return f"arn:aws:kms:{region}:{account}:key/0000aaaa-0000-4000-8000-{n:012d}"

    # --- S3 ------------------------------------------------------------------------------
    # 電子カルテのバックアップ: encrypted with a CMK, TLS only, versioned, object lock, replicated
    # to the Osaka region. The model bucket of the estate.
    s3("sakura-ehr-backup-apne1", holds_medical_data=True, encrypted=True, key_managed_by="customer",
       kms_key_id=kms_arn(1), public=False, tls_required=True, min_tls_version="1.2", versioning=True,
       immutable=True, immutability_mode="compliance", retention_days=3650,
       destinations=[{"relation": "replication", "target": "arn:aws:s3:::sakura-ehr-backup-apne3",
                      "region": OSA}],
       tags=tags("電子カルテ", MEDICAL, "診療録 完結日から5年(院内規程10年)", "日次", 用途="バックアップ"))
    s3("sakura-ehr-backup-apne3", region=OSA, holds_medical_data=True, encrypted=True, key_managed_by="customer",
       kms_key_id=kms_arn(6, OSA), public=False, tls_required=True, min_tls_version="1.2", versioning=True,
       immutable=True, immutability_mode="compliance", retention_days=3650, destinations=[],
       tags=tags("電子カルテ", MEDICAL, "診療録 完結日から5年(院内規程10年)", "日次", 用途="DR複製(大阪)"))
    # PACS 画像: a cross-region replication rule to us-east-1, added for an overseas AI
    # image-analysis pilot, takes DICOM images out of Japan (SAN-LOC-002 FAIL), and the replica
    # bucket itself sits in the US (SAN-LOC-001 FAIL).
    s3("sakura-pacs-images-apne1", holds_medical_data=True, encrypted=True, key_managed_by="customer",
       kms_key_id=kms_arn(2), public=False, tls_required=True, min_tls_version="1.2", versioning=True,
       immutable=False, destinations=[
           {"relation": "replication", "target": "arn:aws:s3:::sakura-pacs-ai-pilot-use1", "region": "us-east-1"},
           {"relation": "replication", "target": "arn:aws:s3:::sakura-pacs-images-apne3", "region": OSA},
       ],
       tags=tags("PACS", MEDICAL, "画像 5年", "日次", 用途="医用画像(DICOM)"))
    s3("sakura-pacs-images-apne3", region=OSA, holds_medical_data=True, encrypted=True, key_managed_by="customer",
       kms_key_id=kms_arn(7, OSA), public=False, tls_required=True, min_tls_version="1.2", versioning=True,
       immutable=False, destinations=[],
       tags=tags("PACS", MEDICAL, "画像 5年", "日次", 用途="DR複製(大阪)"))
    s3("sakura-pacs-ai-pilot-use1", region="us-east-1", holds_medical_data=True, encrypted=True,
       key_managed_by="provider", public=False, tls_required=True, min_tls_version="1.2", versioning=False,
       destinations=[],
       tags=tags("PACS", MEDICAL, "PoC終了まで", "なし", 用途="海外AI画像解析PoC"))
    # 確定済み診療記録のアーカイブ: tagged as finalised records and write-once (SAN-REC-001 PASS).
    s3("sakura-emr-finalised-records", holds_medical_data=True, encrypted=True, key_managed_by="customer",
       kms_key_id=kms_arn(1), public=False, tls_required=True, min_tls_version="1.2", versioning=True,
       immutable=True, immutability_mode="compliance", retention_days=3650,
       destinations=[{"relation": "replication", "target": "arn:aws:s3:::sakura-emr-finalised-records-apne3",
                      "region": OSA}],
       tags=tags("電子カルテ", MEDICAL, "完結日から10年", "日次", **{"sansho-records": "finalised"},
                 用途="確定済み診療記録"))
    # スキャン文書 (同意書・紹介状のスキャナ保存): finalised records, but no object lock
    # (SAN-REC-001 FAIL).
    s3("sakura-scanned-documents", holds_medical_data=True, encrypted=True, key_managed_by="provider",
       public=False, tls_required=True, min_tls_version="1.2", versioning=True, immutable=False,
       destinations=[],
       tags=tags("文書管理", MEDICAL, "5年", "日次", **{"sansho-records": "finalised"},
                 用途="スキャナ保存(同意書・紹介状)"))
    # 検査結果の連携用エクスポート: no default encryption, plain HTTP allowed, no versioning,
    # and the storage tags were never set (ENC-001, ENC-004, BKP-006, LOC-004 FAIL).
    s3("sakura-lab-results-export", holds_medical_data=True, encrypted=False, public=False,
       tls_required=False, versioning=False, destinations=[],
       tags={"システム": "検査システム", "用途": "地域連携向けエクスポート"})
    # リハビリ動画: a TLS 1.0 floor kept for an old tablet app (SAN-ENC-004 FAIL).
    s3("sakura-rehab-videos", holds_medical_data=True, encrypted=True, key_managed_by="provider", public=False,
       tls_required=True, min_tls_version="1.0", versioning=True, destinations=[],
       tags=tags("リハビリ支援", MEDICAL, "3年", "週次"))
    # 研究用匿名加工データ: the collector's role may not read the encryption settings
    # (UNKNOWN, with the reason from read_errors).
    s3("sakura-research-deidentified", holds_medical_data=True, public=False, tls_required=True,
       min_tls_version="1.2", versioning=True, destinations=[],
       read_errors={"encrypted": "AccessDenied: s3:GetEncryptionConfiguration",
                    "key_managed_by": "AccessDenied: s3:GetEncryptionConfiguration"},
       tags=tags("臨床研究", "匿名加工情報", "研究終了後5年", "週次"))
    # 病院公式サイト: public on purpose, holds no medical information. SAN-NET-003 fails and is
    # muted by the active suppression in sansho.yaml.
    s3("sakura-hospital-website", holds_medical_data=False, encrypted=True, key_managed_by="provider",
       public=True, tls_required=True, min_tls_version="1.2", versioning=True, destinations=[],
       tags=tags("広報", PUBLIC, "随時更新", "なし", 用途="公式サイト静的コンテンツ"))
    # Log buckets (no medical information).
    s3("sakura-cloudtrail-logs", holds_medical_data=False, encrypted=True, key_managed_by="customer",
       kms_key_id=kms_arn(3), public=False, tls_required=True, min_tls_version="1.2", versioning=True,
       immutable=True, immutability_mode="compliance", retention_days=2555, destinations=[],
       tags=tags("監査ログ", INTERNAL, "7年", "なし"))
    s3("sakura-alb-access-logs", holds_medical_data=False, encrypted=True, key_managed_by="provider",
       public=False, tls_required=True, min_tls_version="1.2", versioning=False, destinations=[],
       tags=tags("アクセスログ", INTERNAL, "1年", "なし"))

    # --- RDS -----------------------------------------------------------------------------
    def rds(name: str, region: str = TKY, **fields: Any) -> None:
        add("database.instance", f"arn:aws:rds:{region}:{A}:db:{name}", region, name=name, **fields)

    rds("sakura-ehr-db-prod", engine="postgres", holds_medical_data=True, encrypted=True,
        key_managed_by="customer", kms_key_id=kms_arn(1), publicly_accessible=False, tls_required=True,
        backup_retention_days=35, audit_logging=True, audit_classes=["read", "write", "ddl", "role"],
        destinations=[{"relation": "read_replica", "target": f"arn:aws:rds:{OSA}:{A}:db:sakura-ehr-db-replica",
                       "region": OSA}],
        tags=tags("電子カルテ", MEDICAL, "診療録 完結日から5年(院内規程10年)", "日次+PITR"))
    rds("sakura-ehr-db-replica", region=OSA, engine="postgres", holds_medical_data=True, encrypted=True,
        key_managed_by="customer", kms_key_id=kms_arn(6, OSA), publicly_accessible=False, tls_required=True,
        backup_retention_days=7, destinations=[], audit_logging=True, audit_classes=["read", "write", "ddl", "role"],
        tags=tags("電子カルテ", MEDICAL, "診療録 完結日から5年(院内規程10年)", "日次", 用途="DRリードレプリカ"))
    # PACS メタデータ DB: made public for a vendor's temporary migration and never closed
    # (SAN-NET-004 FAIL), and the MariaDB audit plugin was never added (LOG-007 FAIL).
    rds("sakura-pacs-meta-db", engine="mysql", holds_medical_data=True, encrypted=True,
        key_managed_by="customer", kms_key_id=kms_arn(2), publicly_accessible=True, tls_required=True,
        backup_retention_days=14, destinations=[], audit_logging=False,
        tags=tags("PACS", MEDICAL, "画像 5年", "日次"))
    # 外来予約システム: accepts unencrypted connections and keeps one day of backups
    # (ENC-007, BKP-005 FAIL); its audit plugin logs connections and DDL only, so who looked up which
    # patient's appointments is not recorded (LOG-007 FAIL).
    rds("sakura-reservation-db", engine="mysql", holds_medical_data=True, encrypted=True,
        key_managed_by="provider", publicly_accessible=False, tls_required=False, backup_retention_days=1,
        destinations=[], audit_logging=True, audit_classes=["CONNECT", "QUERY_DDL"],
        tags=tags("外来予約", MEDICAL, "3年", "日次"))
    # 医事会計: an old instance created before encryption became the default (ENC-002 FAIL); the
    # collector's role may not read its option group, so its SQL Server Audit is not known (LOG-007).
    rds("sakura-billing-db", engine="sqlserver-se", holds_medical_data=True, encrypted=False,
        publicly_accessible=False, tls_required=True, backup_retention_days=14, destinations=[],
        read_errors={"audit_logging": "AccessDenied: rds:DescribeOptionGroups"},
        tags=tags("医事会計", MEDICAL, "5年", "日次"))
    # 開発用サンドボックス (ダミーデータのみ) in Oregon: no medical data, so its location is
    # not judged; its weak settings still are.
    rds("sakura-dev-sandbox-db", region="us-west-2", engine="postgres", holds_medical_data=False,
        encrypted=True, key_managed_by="provider", publicly_accessible=False, tls_required=False,
        backup_retention_days=1, destinations=[], audit_logging=False,
        tags=tags("開発環境", "ダミーデータ", "なし", "なし"))

    # --- EBS volumes ---------------------------------------------------------------------
    def vol(n: int, name: str, region: str = TKY, **fields: Any) -> None:
        add("compute.disk", f"arn:aws:ec2:{region}:{A}:volume/vol-0a1b2c3d4e5f{n:05d}", region, name=name,
            **fields)

    def inst(n: int, region: str = TKY) -> str:
        return f"arn:aws:ec2:{region}:{A}:instance/i-0a1b2c3d4e5f{n:05d}"

    vol(1, "ehr-app-1a-root", holds_medical_data=False, encrypted=True, key_managed_by="customer",
        kms_key_id=kms_arn(1), attached_to=inst(1), tags={"システム": "電子カルテ"})
    vol(2, "ehr-app-1a-data", holds_medical_data=True, encrypted=True, key_managed_by="customer",
        kms_key_id=kms_arn(1), attached_to=inst(1), tags={"システム": "電子カルテ"})
    vol(3, "ehr-app-1c-root", holds_medical_data=False, encrypted=True, key_managed_by="customer",
        kms_key_id=kms_arn(1), attached_to=inst(2), tags={"システム": "電子カルテ"})
    vol(4, "ehr-app-1c-data", holds_medical_data=True, encrypted=True, key_managed_by="customer",
        kms_key_id=kms_arn(1), attached_to=inst(2), tags={"システム": "電子カルテ"})
    vol(5, "pacs-gateway-data", holds_medical_data=True, encrypted=True, key_managed_by="customer",
        kms_key_id=kms_arn(2), attached_to=inst(3), tags={"システム": "PACS"})
    # 保守用リモートデスクトップゲートウェイ: built from an old unencrypted AMI (ENC-003 FAIL).
    vol(6, "rdgw-legacy-root", holds_medical_data=True, encrypted=False, attached_to=inst(4),
        tags={"システム": "保守用踏み台", "備考": "画面キャッシュに患者情報が残る可能性"})
    vol(7, "file-server-data", holds_medical_data=True, encrypted=True, key_managed_by="provider",
        attached_to=inst(5), tags={"システム": "ファイルサーバ"})
    vol(8, "ehr-app-dr-data", region=OSA, holds_medical_data=True, encrypted=True, key_managed_by="customer",
        kms_key_id=kms_arn(6, OSA), attached_to=inst(6, OSA), tags={"システム": "電子カルテ", "用途": "DR"})
    # GPU instance of the overseas AI pilot, with DICOM images on its disk (LOC-001 FAIL).
    vol(9, "pacs-ai-pilot-gpu-data", region="us-east-1", holds_medical_data=True, encrypted=True,
        key_managed_by="provider", attached_to=inst(7, "us-east-1"), tags={"システム": "PACS", "用途": "海外AI画像解析PoC"})

    # --- EBS snapshots -------------------------------------------------------------------
    def snap(n: int, name: str, region: str = TKY, **fields: Any) -> None:
        add("compute.snapshot", f"arn:aws:ec2:{region}:{A}:snapshot/snap-0a1b2c3d4e5f{n:05d}", region,
            name=name, **fields)

    snap(1, "ehr-app-1a-data-daily", holds_medical_data=True, encrypted=True, key_managed_by="customer",
         kms_key_id=kms_arn(1), public=False,
         destinations=[{"relation": "backup_copy", "target": f"arn:aws:ec2:{OSA}:{A}:snapshot/snap-0a1b2c3d4e5f00004",
                        "region": OSA}])
    snap(2, "pacs-gateway-data-weekly", holds_medical_data=True, encrypted=True, key_managed_by="customer",
         kms_key_id=kms_arn(2), public=False, destinations=[])
    # Shared "with everyone" by a contractor to hand the image over; unencrypted, because the
    # volume is (NET-008, ENC-003 FAIL).
    snap(3, "rdgw-legacy-root-handover", holds_medical_data=True, encrypted=False, public=True, destinations=[],
         tags={"システム": "保守用踏み台", "作成者": "保守委託先"})
    snap(4, "ehr-app-1a-data-daily-copy", region=OSA, holds_medical_data=True, encrypted=True,
         key_managed_by="customer", kms_key_id=kms_arn(6, OSA), public=False, destinations=[])
    # Whether this snapshot is shared could not be read.
    snap(5, "file-server-data-monthly", holds_medical_data=True, encrypted=True, key_managed_by="provider",
         destinations=[], read_errors={"public": "AccessDenied: ec2:DescribeSnapshotAttribute"})

    # --- KMS -----------------------------------------------------------------------------
    def key(n: int, name: str, region: str = TKY, **fields: Any) -> None:
        add("kms.key", kms_arn(n, region), region, name=name, **fields)

    key(1, "alias/sakura-ehr", key_managed_by="customer", rotation_enabled=True, rotation_period_days=365,
        state="enabled", tags={"システム": "電子カルテ"})
    key(2, "alias/sakura-pacs", key_managed_by="customer", rotation_enabled=True, rotation_period_days=180,
        state="enabled", tags={"システム": "PACS"})
    key(3, "alias/sakura-logs", key_managed_by="customer", rotation_enabled=True, rotation_period_days=365,
        state="enabled", tags={"システム": "監査ログ"})
    # Backup key: rotation never turned on (ENC-006 FAIL).
    key(4, "alias/sakura-backup", key_managed_by="customer", rotation_enabled=False, state="enabled",
        tags={"システム": "バックアップ"})
    key(5, "alias/aws/rds", key_managed_by="provider", state="enabled")
    key(6, "alias/sakura-dr", region=OSA, key_managed_by="customer", rotation_enabled=True,
        rotation_period_days=365, state="enabled", tags={"システム": "DR"})
    key(8, "alias/sakura-old-pacs", key_managed_by="customer", rotation_enabled=False, state="pending_deletion",
        tags={"システム": "PACS(旧)"})

    # --- VPCs and subnets ----------------------------------------------------------------
    def seg(rid: str, name: str, region: str = TKY, account: str = A, **fields: Any) -> None:
        add("network.segment", f"arn:aws:ec2:{region}:{account}:{rid}", region, account=account, name=name,
            **fields)

    seg("vpc/vpc-0a00000000000001", "sakura-prod-vpc", segment_type="vpc", zone="medical",
        reachable_from=["medical", "administrative", "maintenance"], internet_routed=True,
        flow_logs_enabled=True, default_firewall_restricted=True, tags={"システム": "本番基盤"})
    for n, (nm, zone, routed) in enumerate([
        ("prod-public-alb-1a", "dmz", True), ("prod-public-alb-1c", "dmz", True),
        ("prod-app-1a", "medical", False), ("prod-app-1c", "medical", False),
        ("prod-db-1a", "medical", False), ("prod-db-1c", "medical", False),
    ], start=1):
        seg(f"subnet/subnet-0b0000000000000{n}", nm, segment_type="subnet", zone=zone,
            reachable_from=["internet"] if zone == "dmz" else ["medical", "administrative"],
            internet_routed=routed, flow_logs_enabled=True)
    # Osaka DR VPC: built in a hurry, flow logs off and the default security group left open
    # (NET-006, NET-005 FAIL).
    seg("vpc/vpc-0a00000000000002", "sakura-dr-vpc", region=OSA, segment_type="vpc", zone="medical",
        reachable_from=["medical", "administrative"], internet_routed=False, flow_logs_enabled=False,
        default_firewall_restricted=False, tags={"システム": "DR基盤"})
    # Site-to-site VPN used by the 電子カルテ vendor for remote maintenance: certificate auth.
    seg("subnet/subnet-0b00000000000007", "prod-maint-vpn-1a", segment_type="subnet", zone="maintenance",
        reachable_from=["internet"], internet_routed=False, flow_logs_enabled=True,
        remote_auth_method="certificate", tags={"システム": "リモート保守", "接続": "Site-to-Site VPN(証明書認証)"})
    seg("vpc/vpc-0a00000000000003", "backup-isolated-vpc", account=B, segment_type="vpc", zone="other",
        reachable_from=[], internet_routed=False, flow_logs_enabled=True, default_firewall_restricted=True,
        tags={"システム": "バックアップ隔離環境"})

    # --- Security group rules ------------------------------------------------------------
    def sgr(n: int, name: str, sg: str, region: str = TKY, **fields: Any) -> None:
        add("network.firewall_rule", f"arn:aws:ec2:{region}:{A}:security-group-rule/sgr-0d0000000000000{n:02d}",
            region, name=name, attached_to=[f"arn:aws:ec2:{region}:{A}:security-group/{sg}"], **fields)

    sgr(1, "alb-https-from-internet", "sg-0e00000000000001", direction="ingress", action="allow", protocol="tcp",
        sources=["0.0.0.0/0", "::/0"], ports=[{"from_port": 443, "to_port": 443}])
    sgr(2, "alb-http-redirect", "sg-0e00000000000001", direction="ingress", action="allow", protocol="tcp",
        sources=["0.0.0.0/0"], ports=[{"from_port": 80, "to_port": 80}])
    sgr(3, "app-from-alb", "sg-0e00000000000002", direction="ingress", action="allow", protocol="tcp",
        sources=["10.10.0.0/24", "10.10.1.0/24"], ports=[{"from_port": 8443, "to_port": 8443}])
    sgr(4, "ehr-db-from-app", "sg-0e00000000000003", direction="ingress", action="allow", protocol="tcp",
        sources=["10.10.2.0/24", "10.10.3.0/24"], ports=[{"from_port": 5432, "to_port": 5432}])
    sgr(5, "ssh-from-hospital", "sg-0e00000000000004", direction="ingress", action="allow", protocol="tcp",
        sources=["198.51.100.0/24"], ports=[{"from_port": 22, "to_port": 22}])
    # The legacy RD gateway: RDP open to the whole internet "for the vendor" (NET-001 FAIL).
    sgr(6, "rdgw-rdp-anywhere", "sg-0e00000000000005", direction="ingress", action="allow", protocol="tcp",
        sources=["0.0.0.0/0"], ports=[{"from_port": 3389, "to_port": 3389}])
    # PACS metadata DB opened to the internet during the migration (NET-002 FAIL).
    sgr(7, "pacs-db-migration-temp", "sg-0e00000000000006", direction="ingress", action="allow",
        protocol="tcp", sources=["0.0.0.0/0"], ports=[{"from_port": 5432, "to_port": 5432}])
    sgr(8, "ping-from-anywhere", "sg-0e00000000000004", direction="ingress", action="allow", protocol="icmp",
        sources=["0.0.0.0/0"], ports=[])
    sgr(9, "all-egress", "sg-0e00000000000002", direction="egress", action="allow", protocol="all",
        sources=["0.0.0.0/0"], ports=[])

    # --- Load balancer listeners ---------------------------------------------------------
    def lsn(lb: str, n: int, **fields: Any) -> None:
        add("network.lb_listener",
            f"arn:aws:elasticloadbalancing:{TKY}:{A}:listener/app/{lb}/0a1b2c3d4e5f6789/00000000000000{n:02d}",
            TKY, name=f"{lb}:{fields.get('port')}", **fields)

    lsn("sakura-ehr-portal", 1, protocol="HTTPS", port=443, min_tls_version="1.2",
        tls_policy="ELBSecurityPolicy-TLS13-1-2-2021-06")
    lsn("sakura-ehr-portal", 2, protocol="HTTP", port=80, redirects_to_https=True)
    # 患者ポータル: the HTTP listener serves pages instead of redirecting (ENC-005 FAIL). Its
    # suppression in sansho.yaml expired on 2026-06-30.
    lsn("sakura-patient-portal", 3, protocol="HTTPS", port=443, min_tls_version="1.2",
        tls_policy="ELBSecurityPolicy-TLS13-1-2-2021-06")
    lsn("sakura-patient-portal", 4, protocol="HTTP", port=80, redirects_to_https=False)
    # 外来予約: still on the 2016 policy, which accepts TLS 1.0 (ENC-005 FAIL).
    lsn("sakura-reservation", 5, protocol="HTTPS", port=443, min_tls_version="1.0",
        tls_policy="ELBSecurityPolicy-2016-08")
    lsn("sakura-pacs-dicom-nlb", 6, protocol="TCP", port=11112)

    # --- IAM users -----------------------------------------------------------------------
    def user(name: str, account: str = A, **fields: Any) -> None:
        add("identity.user", f"arn:aws:iam::{account}:user/{name}", None, account=account, name=name, **fields)

    def akey(n: int, created: str, active: bool = True, last_used: str | None = None) -> dict[str, Any]:
        return {"id": f"AKIAEXAMPLE{n:09d}", "active": active, "created": created, "last_used": last_used}

    user("yamada.taro", purpose="user", console_access=True, mfa_enabled=True, shared=False,
         access_keys=[akey(1, "2026-09-01", last_used="2026-10-30")], last_used="2026-10-31", **NO_ADMIN,
         tags={"所属": "情報システム課", "役割": "医療情報システム安全管理責任者"})
    # An 医療情報部 engineer signs in to the console without MFA (IAM-003 FAIL).
    user("suzuki.hanako", purpose="user", console_access=True, mfa_enabled=False, shared=False, access_keys=[],
         last_used="2026-10-28", tags={"所属": "医療情報部"}, **NO_ADMIN)
    # A 情報システム課 engineer in the sakura-infra-admins group, which holds AdministratorAccess for
    # everyday work (IAM-011 FAIL, the user and the group).
    user("tanaka.ichiro", purpose="user", console_access=True, mfa_enabled=True, shared=False,
         access_keys=[akey(2, "2026-10-05", last_used="2026-10-29"), akey(3, "2025-04-01", active=False)],
         last_used="2026-10-29", tags={"所属": "情報システム課"}, admin_rights=True,
         admin_grants=[f"group sakura-infra-admins: {ADMIN_ACCESS}"])
    # A physician who left in June: the console user was never removed (IAM-013 FAIL).
    user("kobayashi.ken", purpose="user", console_access=True, mfa_enabled=True, shared=False, access_keys=[],
         last_used="2026-06-30", tags={"所属": "内科", "備考": "2026年6月末退職"}, **NO_ADMIN)
    # CI deploy user: an active key from December 2025 (IAM-005 FAIL).
    user("ci-deploy", purpose="service", console_access=False, shared=False,
         access_keys=[akey(4, "2025-12-01", last_used="2026-10-31")], last_used="2026-10-31",
         tags={"用途": "CI/CD"}, **NO_ADMIN)
    # 病棟共用アカウント used from the nurse station PC to download reports (IAM-010 FAIL).
    user("ward-shared", purpose="user", console_access=True, mfa_enabled=True, shared=True, access_keys=[],
         last_used="2026-10-30", tags={"所属": "看護部", "備考": "病棟共用"}, **NO_ADMIN)
    # 保守要員用アカウント. The PACS vendor's account is valid until mid-2027, far beyond the
    # 30-day limit (IAM-007 FAIL); the EHR vendor's expires in November (PASS).
    user("maint-pacs-vendor", purpose="maintenance", console_access=True, mfa_enabled=True, shared=False,
         access_keys=[], expires="2027-06-30", last_used="2026-10-20", tags={"委託先": "メディスキャン画像クラウド"},
         **NO_ADMIN)
    user("maint-ehr-vendor", purpose="maintenance", console_access=True, mfa_enabled=True, shared=False,
         access_keys=[], expires="2026-11-20", last_used="2026-10-25", tags={"委託先": "クラウドカルテ・ジャパン"},
         **NO_ADMIN)
    # 非常時のユーザアカウント. breakglass-01 was used during the August ransomware drill and its
    # password was not changed afterwards (IAM-008 FAIL); breakglass-02 was reset.
    user("breakglass-01", purpose="break_glass", console_access=True, mfa_enabled=True, access_keys=[],
         last_used="2026-08-15", credential_changed="2026-03-01", tags={"用途": "非常時(封印管理)"},
         admin_rights=True, admin_grants=[ADMIN_ACCESS])
    user("breakglass-02", purpose="break_glass", console_access=True, mfa_enabled=True, access_keys=[],
         last_used="2025-12-10", credential_changed="2025-12-11", tags={"用途": "非常時(封印管理)"},
         admin_rights=True, admin_grants=[ADMIN_ACCESS])
    user("backup-operator", account=B, purpose="service", console_access=False, shared=False,
         access_keys=[akey(5, "2026-10-01", last_used="2026-10-31")], last_used="2026-10-31",
         tags={"用途": "バックアップ複製"}, **NO_ADMIN)

    # --- IAM groups -----------------------------------------------------------------------
    def group(name: str, **fields: Any) -> None:
        add("identity.group", f"arn:aws:iam::{A}:group/{name}", None, name=name, **fields)

    group("sakura-infra-admins", purpose="user", members=[f"arn:aws:iam::{A}:user/tanaka.ichiro"],
          admin_rights=True, admin_grants=[ADMIN_ACCESS])
    group("ward-readers", purpose="user", members=[f"arn:aws:iam::{A}:user/ward-shared"], **NO_ADMIN)

    # --- IAM roles -----------------------------------------------------------------------
    def role(name: str, **fields: Any) -> None:
        add("identity.role", f"arn:aws:iam::{A}:role/{name}", None, name=name, **fields)

    # AdministratorAccess attached to everyday operator role (IAM-006 FAIL).
    role("SakuraInfraAdmin", purpose="user", full_admin=True, tags={"所属": "情報システム課"})
    role("SakuraBreakGlass", purpose="break_glass", full_admin=True)
    role("EhrAppRole", purpose="service", full_admin=False, tags={"システム": "電子カルテ"})
    role("PacsVendorMaintenance", purpose="maintenance", full_admin=False, tags={"システム": "PACS"})

    # --- Account settings ----------------------------------------------------------------
    add("account.settings", f"arn:aws:organizations::{A}:account/o-exampleorg01/{A}", None,
        name="さくら総合病院 本番アカウント", root_mfa_enabled=True, root_access_keys_present=False,
        password_policy={"min_length": 14, "require_uppercase": True, "require_lowercase": True,
                         "require_numbers": True, "require_symbols": True, "max_age_days": "never",
                         "reuse_prevention": 24},
        password_users_without_mfa=["suzuki.hanako"], config_recording=True)
    # The isolated backup account was created by a contractor: root without MFA, a weak
    # password policy that lets a user go back to an old password, no AWS Config (IAM-001, IAM-004,
    # IAM-014, LOG-006 FAIL).
    add("account.settings", f"arn:aws:organizations::{A}:account/o-exampleorg01/{B}", None, account=B,
        name="さくら総合病院 バックアップ隔離アカウント", root_mfa_enabled=False, root_access_keys_present=False,
        password_policy={"min_length": 8, "require_uppercase": True, "require_lowercase": True,
                         "require_numbers": True, "require_symbols": False, "max_age_days": "never",
                         "reuse_prevention": 0},
        password_users_without_mfa=[], config_recording=False)

    # --- CloudTrail ----------------------------------------------------------------------
    add("audit.trail", f"arn:aws:cloudtrail:{TKY}:{A}:trail/sakura-org-trail", TKY, name="sakura-org-trail",
        enabled=True, multi_region=True, integrity_validation=True, destination="arn:aws:s3:::sakura-cloudtrail-logs",
        destination_immutable=True, destination_immutability_mode="compliance", retention_days=2555)
    # The backup account's own trail: single-region, no validation, 90 days in a plain bucket.
    add("audit.trail", f"arn:aws:cloudtrail:{TKY}:{B}:trail/backup-account-trail", TKY, account=B,
        name="backup-account-trail", enabled=True, multi_region=False, integrity_validation=False,
        destination=f"arn:aws:s3:::sakura-backup-trail-{B}", destination_immutable=False, retention_days=90)

    # --- AWS Backup ----------------------------------------------------------------------
    def plan(name: str, uuid_n: int, **fields: Any) -> None:
        add("backup.plan", f"arn:aws:backup:{TKY}:{A}:backup-plan:0000bbbb-0000-4000-8000-{uuid_n:012d}", TKY,
            name=name, **fields)

    def vault_arn(name: str, region: str = TKY, account: str = A) -> str:
        return f"arn:aws:backup:{region}:{account}:backup-vault:{name}"

    # 電子カルテ: 35 daily generations, copies to Osaka and to the isolated account, restore
    # tested in September.
    plan("sakura-ehr-daily", 1, generations=35, retention_days=35, methods=["online", "worm"],
         destinations=[
             {"relation": "backup_copy", "target": vault_arn("sakura-ehr-vault-dr", OSA), "account": A, "region": OSA},
             {"relation": "backup_copy", "target": vault_arn("sakura-isolated-vault", TKY, B), "account": B,
              "region": TKY},
         ],
         last_restore_test="2026-09-15",
         protected=[f"arn:aws:rds:{TKY}:{A}:db:sakura-ehr-db-prod", f"arn:aws:ec2:{TKY}:{A}:volume/vol-0a1b2c3d4e5f00002"],
         tags={"システム": "電子カルテ"})
    # PACS: only 2 weekly generations, online only, copy in the same account, restore last
    # tested in 2024 (BKP-001, BKP-003, BKP-004, BKP-007 FAIL).
    plan("sakura-pacs-weekly", 2, generations=2, retention_days=14, methods=["online"],
         destinations=[{"relation": "backup_copy", "target": vault_arn("sakura-ehr-vault-dr", OSA), "account": A,
                        "region": OSA}],
         last_restore_test="2024-10-01", protected=[f"arn:aws:rds:{TKY}:{A}:db:sakura-pacs-meta-db"],
         tags={"システム": "PACS"})
    # ファイルサーバ: the copy goes to an isolated account, but in Singapore (LOC-002 FAIL).
    plan("sakura-fileserver-daily", 3, generations=14, retention_days=14, methods=["online", "worm"],
         destinations=[{"relation": "backup_copy", "target": vault_arn("sakura-isolated-vault-sg", "ap-southeast-1", B),
                        "account": B, "region": "ap-southeast-1"}],
         last_restore_test="2026-06-20", protected=[f"arn:aws:ec2:{TKY}:{A}:volume/vol-0a1b2c3d4e5f00007"],
         tags={"システム": "ファイルサーバ"})

    def vault(name: str, region: str = TKY, account: str = A, **fields: Any) -> None:
        add("backup.vault", vault_arn(name, region, account), region, account=account, name=name,
            holds_medical_data=True, **fields)

    vault("sakura-ehr-vault", encrypted=True, immutable=True, immutability_mode="compliance", soft_delete=True,
          destinations=[{"relation": "backup_copy", "target": vault_arn("sakura-ehr-vault-dr", OSA), "region": OSA}])
    vault("sakura-ehr-vault-dr", region=OSA, encrypted=True, immutable=True, immutability_mode="compliance",
          soft_delete=True, destinations=[])
    # PACS vault: no vault lock (BKP-002 FAIL).
    vault("sakura-pacs-vault", encrypted=True, immutable=False, soft_delete=False, destinations=[])
    # The contractor set the isolated account's Vault Lock in governance mode (no ChangeableForDays):
    # a privileged user can still remove it (BKP-002 FAIL).
    vault("sakura-isolated-vault", account=B, encrypted=True, immutable=True, immutability_mode="governance",
          soft_delete=True, destinations=[])

    # --- GuardDuty -----------------------------------------------------------------------
    def gd(region: str, n: int, enabled: bool, account: str = A) -> None:
        add("security.threat_detection", f"arn:aws:guardduty:{region}:{account}:detector/{n:032x}", region,
            account=account, name=f"GuardDuty {region}", service="GuardDuty", enabled=enabled)

    gd(TKY, 1, True)
    # Osaka: suspended to save cost and never re-enabled (MAL-001 FAIL).
    gd(OSA, 2, False)
    gd("us-east-1", 3, True)
    gd(TKY, 4, True, account=B)
    return out


# =============================================================================================
# Azure
# =============================================================================================

def azure_resources() -> list[dict[str, Any]]:
    S = AZ_SUB
    E, W = "japaneast", "japanwest"
    out: list[dict[str, Any]] = []

    def rid(rg: str, provider_path: str) -> str:
        return f"/subscriptions/{S}/resourceGroups/{rg}/providers/{provider_path}"

    def add(kind: str, id: str, region: str | None, **fields: Any) -> None:
        out.append({"id": id, "kind": kind, "provider": "azure", "account": S, "region": region,
                    "source": LIVE, **fields})

    cmk = rid("rg-security", "Microsoft.KeyVault/vaults/kv-sakura-prod/keys/cmk-ehr")

    # --- Storage accounts ----------------------------------------------------------------
    def grs(account: str, secondary: str) -> list[dict[str, Any]]:
        """Geo-redundant storage: a secondary copy in the paired region."""
        return [{"relation": "geo_secondary", "target": f"https://{account}-secondary.blob.core.windows.net",
                 "region": secondary}]

    def st(name: str, rg: str, region: str = E, **fields: Any) -> None:
        add("storage.bucket", rid(rg, f"Microsoft.Storage/storageAccounts/{name}"), region, name=name, **fields)

    # 看護支援・部門システムの文書: GRS to the paired region japanwest (LOC-002 PASS).
    st("stsakuradocsjpe", "rg-dept-systems", holds_medical_data=True, encrypted=True, key_managed_by="customer",
       kms_key_id=cmk, public=False, tls_required=True, min_tls_version="TLS1_2", versioning=True,
       destinations=grs("stsakuradocsjpe", W),
       tags=tags("部門システム", MEDICAL, "5年", "日次"))
    # 検診センターの結果票: RA-GRS from japanwest back to japaneast; immutable container policy.
    st("stsakurakenshinjpw", "rg-dept-systems", region=W, holds_medical_data=True, encrypted=True,
       key_managed_by="provider", public=False, tls_required=True, min_tls_version="TLS1_2", versioning=True,
       immutable=True, immutability_mode="locked", retention_days=1825,
       destinations=grs("stsakurakenshinjpw", E),
       tags=tags("健診システム", MEDICAL, "5年", "日次", **{"sansho-records": "finalised"}))
    # 地域医療連携の共有ストレージ: still allows TLS 1.0 for a partner clinic's old client
    # (ENC-004 FAIL); blob versioning off (BKP-006 FAIL).
    st("stsakurarenkeijpe", "rg-regional-network", holds_medical_data=True, encrypted=True,
       key_managed_by="provider", public=False, tls_required=True, min_tls_version="TLS1_0", versioning=False,
       destinations=grs("stsakurarenkeijpe", W),
       tags=tags("地域医療連携", MEDICAL, "5年", "日次"))
    # 医療AI研究用: created in East US by a research group (LOC-001 FAIL); GRS to westus
    # (LOC-002 FAIL); storage tags never set (LOC-004 FAIL).
    st("stsakuraairesearch", "rg-research", region="eastus", holds_medical_data=True, encrypted=True,
       key_managed_by="provider", public=False, tls_required=True, min_tls_version="TLS1_2", versioning=False,
       destinations=grs("stsakuraairesearch", "westus"),
       tags={"システム": "臨床研究", "作成者": "研究推進室"})
    # Diagnostics: no medical data.
    st("stsakuradiagjpe", "rg-shared", holds_medical_data=False, encrypted=True, key_managed_by="provider",
       public=False, tls_required=True, min_tls_version="TLS1_2", versioning=False, immutable=True,
       immutability_mode="unlocked", destinations=[], tags=tags("監視", INTERNAL, "1年", "なし"))

    # --- SQL -----------------------------------------------------------------------------
    def sqldb(server: str, db: str, rg: str, region: str = E, **fields: Any) -> None:
        add("database.instance", rid(rg, f"Microsoft.Sql/servers/{server}/databases/{db}"), region,
            name=f"{server}/{db}", engine="sqlserver", **fields)

    sqldb("sql-sakura-nursing", "nursingdb", "rg-dept-systems", holds_medical_data=True, encrypted=True,
          key_managed_by="customer", kms_key_id=cmk, publicly_accessible=False, tls_required=True,
          backup_retention_days=35, audit_logging=True,
          audit_classes=["BATCH_COMPLETED_GROUP", "SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP", "FAILED_DATABASE_AUTHENTICATION_GROUP"],
          destinations=[{"relation": "geo_secondary",
                         "target": rid("rg-dept-systems", "Microsoft.Sql/servers/sql-sakura-nursing-jpw/databases/nursingdb"),
                         "region": W}],
          tags=tags("看護支援システム", MEDICAL, "5年", "日次+PITR"))
    sqldb("sql-sakura-kenshin", "kenshindb", "rg-dept-systems", region=W, holds_medical_data=True,
          encrypted=True, key_managed_by="provider", publicly_accessible=False, tls_required=True,
          backup_retention_days=7, destinations=[], audit_logging=True,
          audit_classes=["BATCH_COMPLETED_GROUP", "SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP", "FAILED_DATABASE_AUTHENTICATION_GROUP"],
          tags=tags("健診システム", MEDICAL, "5年", "日次"))
    # 地域連携: public network access enabled with a firewall rule for partner clinics
    # (NET-004 FAIL), and server auditing left off (LOG-007 FAIL).
    sqldb("sql-sakura-renkei", "renkeidb", "rg-regional-network", holds_medical_data=True, encrypted=True,
          key_managed_by="provider", publicly_accessible=True, tls_required=True, backup_retention_days=14,
          destinations=[], audit_logging=False, tags=tags("地域医療連携", MEDICAL, "5年", "日次"))
    # Research DB: whether public access is on could not be read.
    sqldb("sql-sakura-research", "cohortdb", "rg-research", holds_medical_data=True, encrypted=True,
          key_managed_by="provider", tls_required=True, backup_retention_days=7, destinations=[], audit_logging=True,
          audit_classes=["BATCH_COMPLETED_GROUP", "SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP", "FAILED_DATABASE_AUTHENTICATION_GROUP"],
          read_errors={"publicly_accessible": "AuthorizationFailed: Microsoft.Sql/servers/read"},
          tags=tags("臨床研究", "匿名加工情報", "研究終了後5年", "日次"))

    # --- Managed disks and a snapshot ----------------------------------------------------
    def disk(name: str, rg: str, vm: str, **fields: Any) -> None:
        add("compute.disk", rid(rg, f"Microsoft.Compute/disks/{name}"), E, name=name,
            attached_to=rid(rg, f"Microsoft.Compute/virtualMachines/{vm}"), **fields)

    disk("vm-nursing-app01_OsDisk", "rg-dept-systems", "vm-nursing-app01", holds_medical_data=False,
         encrypted=True, key_managed_by="provider")
    disk("vm-nursing-app01_DataDisk_0", "rg-dept-systems", "vm-nursing-app01", holds_medical_data=True,
         encrypted=True, key_managed_by="customer", kms_key_id=cmk)
    disk("vm-renkei-gw01_OsDisk", "rg-regional-network", "vm-renkei-gw01", holds_medical_data=False,
         encrypted=True, key_managed_by="provider")
    disk("vm-renkei-gw01_DataDisk_0", "rg-regional-network", "vm-renkei-gw01", holds_medical_data=True,
         encrypted=True, key_managed_by="provider")
    add("compute.snapshot", rid("rg-dept-systems", "Microsoft.Compute/snapshots/snap-nursing-app01-data-20261025"), E,
        name="snap-nursing-app01-data-20261025", holds_medical_data=True, encrypted=True,
        key_managed_by="customer", kms_key_id=cmk, public=False, destinations=[])

    # --- Key Vault keys ------------------------------------------------------------------
    def kv(name: str, **fields: Any) -> None:
        add("kms.key", rid("rg-security", f"Microsoft.KeyVault/vaults/kv-sakura-prod/keys/{name}"), E, name=name,
            key_managed_by="customer", **fields)

    kv("cmk-ehr", rotation_enabled=True, rotation_period_days=365, state="enabled")
    # Rotation policy set to two years (ENC-006 FAIL, above 365 days).
    kv("cmk-renkei", rotation_enabled=True, rotation_period_days=730, state="enabled")
    kv("cmk-backup", rotation_enabled=True, rotation_period_days=180, state="enabled")

    # --- VNets, subnets and NSG rules ----------------------------------------------------
    def vnet(name: str, **fields: Any) -> None:
        add("network.segment", rid("rg-network", f"Microsoft.Network/virtualNetworks/{name}"), E, name=name,
            segment_type="vnet", **fields)

    def subnet(v: str, name: str, **fields: Any) -> None:
        add("network.segment", rid("rg-network", f"Microsoft.Network/virtualNetworks/{v}/subnets/{name}"), E,
            name=f"{v}/{name}", segment_type="subnet", **fields)

    vnet("vnet-sakura-jpe", zone="medical", reachable_from=["medical", "administrative"], internet_routed=False,
         flow_logs_enabled=True, default_firewall_restricted=True)
    subnet("vnet-sakura-jpe", "snet-app", zone="medical", reachable_from=["medical", "administrative"],
           internet_routed=False, flow_logs_enabled=True)
    subnet("vnet-sakura-jpe", "snet-data", zone="medical", reachable_from=["medical"], internet_routed=False,
           flow_logs_enabled=True)
    # Subnet for the regional network gateway: NSG flow logs never configured (NET-006 FAIL).
    subnet("vnet-sakura-jpe", "snet-renkei-gw", zone="dmz", reachable_from=["internet"], internet_routed=True,
           flow_logs_enabled=False)
    # Point-to-site VPN for doctors' remote image reading: Entra ID with MFA.
    vnet("vnet-sakura-p2s", zone="remote_access", reachable_from=["internet"], internet_routed=True,
         flow_logs_enabled=True, default_firewall_restricted=True, remote_auth_method="mfa")

    def nsg(nsg_name: str, rule: str, **fields: Any) -> None:
        add("network.firewall_rule",
            rid("rg-network", f"Microsoft.Network/networkSecurityGroups/{nsg_name}/securityRules/{rule}"), E,
            name=f"{nsg_name}/{rule}", attached_to=[rid("rg-network", f"Microsoft.Network/networkSecurityGroups/{nsg_name}")],
            **fields)

    nsg("nsg-app", "allow-https-vnet", direction="ingress", action="allow", protocol="tcp",
        sources=["VirtualNetwork"], ports=[{"from_port": 443, "to_port": 443}])
    nsg("nsg-app", "allow-rdp-bastion", direction="ingress", action="allow", protocol="tcp",
        sources=["10.20.250.0/26"], ports=[{"from_port": 3389, "to_port": 3389}])
    nsg("nsg-app", "deny-all-internet", direction="ingress", action="deny", protocol="*", sources=["Internet"],
        ports=[])
    # SQL for partner clinics opened to Internet instead of their fixed addresses (NET-002 FAIL).
    nsg("nsg-renkei", "allow-sql-partners", direction="ingress", action="allow", protocol="tcp",
        sources=["Internet"], ports=[{"from_port": 1433, "to_port": 1433}])
    nsg("nsg-renkei", "allow-https-internet", direction="ingress", action="allow", protocol="tcp",
        sources=["Internet"], ports=[{"from_port": 443, "to_port": 443}])
    # WinRM opened to any source for a vendor's remote script (NET-001 FAIL).
    nsg("nsg-renkei", "allow-winrm-vendor", direction="ingress", action="allow", protocol="tcp", sources=["*"],
        ports=[{"from_port": 5985, "to_port": 5986}])

    # --- Application Gateway listener ----------------------------------------------------
    add("network.lb_listener", rid("rg-regional-network", "Microsoft.Network/applicationGateways/agw-renkei/httpListeners/https-443"),
        E, name="agw-renkei/https-443", protocol="HTTPS", port=443, min_tls_version="TLSv1_2",
        tls_policy="AppGwSslPolicy20220101")

    # --- Entra ID users ------------------------------------------------------------------
    def aad_user(upn: str, **fields: Any) -> None:
        add("identity.user", f"/tenants/{AZ_TENANT}/users/{upn}", None, name=upn, **fields)

    aad_user(f"sato.jiro@{MAIL}", purpose="user", console_access=True, mfa_enabled=True, shared=False,
             access_keys=[], last_used="2026-10-31", tags={"所属": "医療情報部"}, **NO_ADMIN)
    aad_user(f"kobayashi.yuki@{MAIL}", purpose="user", console_access=True, mfa_enabled=True, shared=False,
             access_keys=[], last_used="2026-10-27", tags={"所属": "研究推進室"}, **NO_ADMIN)
    # Guest account of the regional-network vendor, expiry not set in the access package:
    # the collector could not read it (IAM-007 UNKNOWN).
    aad_user(f"renkei-maint_partner.example#EXT#@{MAIL}", purpose="maintenance", console_access=True,
             mfa_enabled=True, shared=False, access_keys=[], last_used="2026-10-18",
             read_errors={"expires": "access package assignment not readable: Authorization_RequestDenied"},
             tags={"委託先": "地域連携システム保守"}, **NO_ADMIN)
    # The infrastructure team's Entra ID group holds Owner on the subscription (IAM-011 FAIL).
    add("identity.group", "00000000-0000-4000-8000-0000000000d1", None, name="00000000-0000-4000-8000-0000000000d1",
        purpose="user", admin_rights=True, admin_grants=[f"Owner on /subscriptions/{S}"],
        read_errors={"members": "an Entra ID group: its members are Entra ID's, which sansho does not read"},
        tags={})
    add("identity.role", f"/subscriptions/{S}/providers/Microsoft.Authorization/roleAssignments/00000000-0000-4000-8000-0000000000c1",
        None, name="Owner (subscription) → grp-infra-admins", purpose="user", full_admin=True)
    add("identity.role", f"/subscriptions/{S}/providers/Microsoft.Authorization/roleAssignments/00000000-0000-4000-8000-0000000000c2",
        None, name="Contributor (rg-dept-systems) → grp-dept-ops", purpose="user", full_admin=False)

    # --- Recovery Services vaults and backup policies -----------------------------------
    def rsv(name: str, region: str, **fields: Any) -> str:
        i = rid("rg-backup", f"Microsoft.RecoveryServices/vaults/{name}")
        add("backup.vault", i, region, name=name, holds_medical_data=True, **fields)
        return i

    v1 = rsv("rsv-sakura-jpe", E, encrypted=True, immutable=True, immutability_mode="locked", soft_delete=True,
             destinations=[{"relation": "geo_secondary", "target": "rsv-sakura-jpe (GRS secondary)", "region": W}])
    # Immutability left "disabled" on the research vault (BKP-002 FAIL).
    v2 = rsv("rsv-sakura-research", E, encrypted=True, immutable=False, soft_delete=True, destinations=[])

    add("backup.plan", f"{v1}/backupPolicies/DailyVM-35d", E, name="rsv-sakura-jpe/DailyVM-35d", generations=35,
        retention_days=35, methods=["online", "worm"],
        destinations=[{"relation": "backup_copy", "target": rid("rg-backup-isolated", "Microsoft.DataProtection/backupVaults/bv-sakura-isolated"),
                       "account": "00000000-0000-0000-0000-000000000002", "region": W}],
        last_restore_test="2026-08-30", tags={"システム": "看護支援システム"})
    # Research VMs: restore never recorded (BKP-004 UNKNOWN), online copy in the same vault only.
    add("backup.plan", f"{v2}/backupPolicies/Weekly-4w", E, name="rsv-sakura-research/Weekly-4w", generations=4,
        retention_days=28, methods=["online"], destinations=[], tags={"システム": "臨床研究"})

    # --- Activity log and Defender for Cloud ---------------------------------------------
    add("audit.trail", f"/subscriptions/{S}/providers/Microsoft.Insights/diagnosticSettings/activitylog-to-archive", None,
        name="アクティビティログ → stsakuradiagjpe", enabled=True, multi_region=True,
        destination=rid("rg-shared", "Microsoft.Storage/storageAccounts/stsakuradiagjpe"),
        # the diagnostics account's immutability policy was never locked (LOG-003 FAIL)
        destination_immutable=True, destination_immutability_mode="unlocked", retention_days=730,
        read_errors={"integrity_validation": "Azure Monitor has no log-file integrity validation setting"})
    for plan_name, enabled in (("VirtualMachines", True), ("StorageAccounts", True), ("SqlServers", False),
                               ("KeyVaults", True)):
        # Defender for SQL is off: turned off during a cost review (MAL-001 FAIL).
        add("security.threat_detection", f"/subscriptions/{S}/providers/Microsoft.Security/pricings/{plan_name}",
            None, name=f"Defender for Cloud: {plan_name}", service=f"Microsoft Defender for {plan_name}",
            enabled=enabled)
    return out


# =============================================================================================
# Google Cloud
# =============================================================================================

def gcp_resources() -> list[dict[str, Any]]:
    P = GCP_PROJECT
    TKY, OSA = "asia-northeast1", "asia-northeast2"
    out: list[dict[str, Any]] = []

    def add(kind: str, id: str, region: str | None, **fields: Any) -> None:
        out.append({"id": id, "kind": kind, "provider": "gcp", "account": P, "region": region,
                    "source": LIVE, **fields})

    cmek = f"//cloudkms.googleapis.com/projects/{P}/locations/{TKY}/keyRings/sakura-ring/cryptoKeys/ris-cmek"

    def bucket(name: str, region: str, **fields: Any) -> None:
        add("storage.bucket", f"//storage.googleapis.com/projects/_/buckets/{name}", region, name=name, **fields)

    # 放射線情報システム (RIS) images in Tokyo, CMEK, object versioning.
    bucket("sakura-ris-images-an1", "ASIA-NORTHEAST1", holds_medical_data=True, encrypted=True,
           key_managed_by="customer", kms_key_id=cmek, public=False, tls_required=True, min_tls_version="1.2",
           versioning=True, destinations=[], tags=tags("RIS", MEDICAL, "5年", "日次"))
    # DR copy in the predefined dual-region ASIA1 (Tokyo + Osaka): allowed (LOC-001 PASS).
    bucket("sakura-ris-dr-asia1", "ASIA1", holds_medical_data=True, encrypted=True, key_managed_by="provider",
           public=False, tls_required=True, min_tls_version="1.2", versioning=True, immutable=True,
           immutability_mode="locked", retention_days=1825, destinations=[],
           tags=tags("RIS", MEDICAL, "5年", "日次", 用途="DR(デュアルリージョン)"))
    # Training data for an image model, in the ASIA multi-region, which may store data in any
    # Asian country (LOC-001 FAIL).
    bucket("sakura-ai-training-asia", "ASIA", holds_medical_data=True, encrypted=True, key_managed_by="provider",
           public=False, tls_required=True, min_tls_version="1.2", versioning=False, destinations=[],
           tags=tags("臨床研究", MEDICAL, "研究終了後5年", "なし", 用途="画像AI学習データ"))
    bucket("sakura-gcp-audit-logs", "ASIA-NORTHEAST1", holds_medical_data=False, encrypted=True,
           key_managed_by="provider", public=False, tls_required=True, min_tls_version="1.2", versioning=False,
           immutable=True, immutability_mode="locked", retention_days=2555, destinations=[],
           tags=tags("監査ログ", INTERNAL, "7年", "なし"))
    # 放射線レポートの PDF: finalised records, retention policy set but not locked.
    bucket("sakura-ris-reports-an1", "ASIA-NORTHEAST1", holds_medical_data=True, encrypted=True,
           key_managed_by="customer", kms_key_id=cmek, public=False, tls_required=True, min_tls_version="1.2",
           versioning=True, immutable=True, immutability_mode="unlocked", retention_days=1825, destinations=[],
           tags=tags("RIS", MEDICAL, "5年", "日次", **{"sansho-records": "finalised"}, 用途="読影レポート"))

    # --- Cloud SQL -----------------------------------------------------------------------
    def csql(name: str, region: str, **fields: Any) -> None:
        add("database.instance", f"//sqladmin.googleapis.com/projects/{P}/instances/{name}", region, name=name,
            **fields)

    csql("sakura-ris-sql", TKY, engine="POSTGRES_15", holds_medical_data=True, encrypted=True,
         key_managed_by="customer", kms_key_id=cmek, publicly_accessible=False, tls_required=True,
         backup_retention_days=30, audit_logging=True, audit_classes=["read", "write"],
         destinations=[{"relation": "read_replica",
                        "target": f"//sqladmin.googleapis.com/projects/{P}/instances/sakura-ris-sql-replica-osaka",
                        "region": OSA}],
         tags=tags("RIS", MEDICAL, "5年", "日次+PITR"))
    csql("sakura-ris-sql-replica-osaka", OSA, engine="POSTGRES_15", holds_medical_data=True, encrypted=True,
         key_managed_by="customer", publicly_accessible=False, tls_required=True, backup_retention_days=7,
         destinations=[], audit_logging=True, audit_classes=["read", "write"],
         tags=tags("RIS", MEDICAL, "5年", "日次", 用途="DRリードレプリカ"))
    # 給食・栄養管理: SSL mode ALLOW_UNENCRYPTED_AND_ENCRYPTED (ENC-007 FAIL), the storage tags
    # (labels) were never set (LOC-004 FAIL), and cloudsql_mysql_audit is off (LOG-007 FAIL).
    csql("sakura-nutrition-sql", TKY, engine="MYSQL_8_0", holds_medical_data=True, encrypted=True,
         key_managed_by="provider", publicly_accessible=False, tls_required=False, backup_retention_days=7,
         destinations=[], audit_logging=False, tags={"システム": "栄養管理"})

    # --- Disks and snapshot --------------------------------------------------------------
    def gdisk(name: str, zone: str, vm: str, **fields: Any) -> None:
        add("compute.disk", f"//compute.googleapis.com/projects/{P}/zones/{zone}/disks/{name}", TKY, name=name,
            attached_to=f"//compute.googleapis.com/projects/{P}/zones/{zone}/instances/{vm}", **fields)

    gdisk("ris-app-1", "asia-northeast1-a", "ris-app-1", holds_medical_data=True, encrypted=True,
          key_managed_by="customer", kms_key_id=cmek)
    gdisk("ris-app-2", "asia-northeast1-b", "ris-app-2", holds_medical_data=True, encrypted=True,
          key_managed_by="customer", kms_key_id=cmek)
    gdisk("dicom-router-1", "asia-northeast1-a", "dicom-router-1", holds_medical_data=True, encrypted=True,
          key_managed_by="provider")
    add("compute.snapshot", f"//compute.googleapis.com/projects/{P}/global/snapshots/ris-app-1-20261031", TKY,
        name="ris-app-1-20261031", holds_medical_data=True, encrypted=True, key_managed_by="customer",
        kms_key_id=cmek, public=False, destinations=[])

    # --- KMS -----------------------------------------------------------------------------
    def gkey(name: str, **fields: Any) -> None:
        add("kms.key", f"//cloudkms.googleapis.com/projects/{P}/locations/{TKY}/keyRings/sakura-ring/cryptoKeys/{name}",
            TKY, name=name, key_managed_by="customer", **fields)

    gkey("ris-cmek", rotation_enabled=True, rotation_period_days=90, state="enabled")
    # Rotation is on but the period could not be read (ENC-006 UNKNOWN).
    gkey("research-cmek", rotation_enabled=True, state="enabled",
         read_errors={"rotation_period_days": "PERMISSION_DENIED: cloudkms.cryptoKeys.get"})

    # --- VPC and firewall ----------------------------------------------------------------
    add("network.segment", f"//compute.googleapis.com/projects/{P}/global/networks/sakura-vpc", None,
        name="sakura-vpc", segment_type="vpc", zone="medical", reachable_from=["medical", "administrative"],
        internet_routed=False, flow_logs_enabled=True, default_firewall_restricted=True)
    add("network.segment", f"//compute.googleapis.com/projects/{P}/regions/{TKY}/subnetworks/ris-subnet", TKY,
        name="ris-subnet", segment_type="subnet", zone="medical", reachable_from=["medical", "administrative"],
        internet_routed=False, flow_logs_enabled=True)
    # Research subnet: VPC flow logs off (NET-006 FAIL).
    add("network.segment", f"//compute.googleapis.com/projects/{P}/regions/{TKY}/subnetworks/research-subnet", TKY,
        name="research-subnet", segment_type="subnet", zone="administrative", reachable_from=["administrative"],
        internet_routed=True, flow_logs_enabled=False)

    def fw(name: str, **fields: Any) -> None:
        add("network.firewall_rule", f"//compute.googleapis.com/projects/{P}/global/firewalls/{name}", None,
            name=name, attached_to=[f"//compute.googleapis.com/projects/{P}/global/networks/sakura-vpc"], **fields)

    fw("allow-iap-ssh", direction="ingress", action="allow", protocol="tcp", sources=["35.235.240.0/20"],
       ports=[{"from_port": 22, "to_port": 22}])
    fw("allow-dicom-from-hospital", direction="ingress", action="allow", protocol="tcp", sources=["198.51.100.0/24"],
       ports=[{"from_port": 104, "to_port": 104}, {"from_port": 11112, "to_port": 11112}])
    # A research engineer's "temporary" rule: every TCP port from anywhere (NET-001, NET-002 FAIL).
    fw("research-allow-all-temp", direction="ingress", action="allow", protocol="tcp", sources=["0.0.0.0/0"],
       ports=[], tags={"作成者": "研究推進室", "備考": "一時的"})
    fw("deny-all-ingress", direction="ingress", action="deny", protocol="all", sources=["0.0.0.0/0"], ports=[])
    # The collector could not read the source ranges of this rule (UNKNOWN).
    fw("allow-health-checks", direction="ingress", action="allow", protocol="tcp",
       ports=[{"from_port": 443, "to_port": 443}],
       read_errors={"sources": "PERMISSION_DENIED: compute.firewalls.get"})

    # --- Service account ------------------------------------------------------------------
    # A user-managed key created in 2025 for an export job (IAM-005 FAIL).
    add("identity.user", f"//iam.googleapis.com/projects/{P}/serviceAccounts/ris-export@{P}.iam.gserviceaccount.com",
        None, name=f"ris-export@{P}.iam.gserviceaccount.com", purpose="service", console_access=False, shared=False,
        access_keys=[{"id": "0000cccc0000dddd0000eeee0000ffff00000001", "active": True, "created": "2025-07-14",
                      "last_used": "2026-10-31"}],
        last_used="2026-10-31", **NO_ADMIN)
    # The radiology IT group is roles/editor on the project for day-to-day work (IAM-011 FAIL).
    add("identity.group", f"group:ris-ops@{MAIL}", None, name=f"ris-ops@{MAIL}", purpose="user", admin_rights=True,
        admin_grants=[f"roles/editor on projects/{P}"],
        read_errors={"members": "a Google group or domain: its members are Cloud Identity's, which sansho does not read"})
    add("identity.role", f"//iam.googleapis.com/projects/{P}/roles/risOperator", None, name="risOperator",
        purpose="user", full_admin=False)

    # --- Backup and DR, audit logs, Security Command Center -------------------------------
    # The backup vault lives in a separate project that RIS administrators cannot reach
    # (SAN-BKP-003 PASS).
    BP = GCP_BACKUP_PROJECT
    bv = f"//backupdr.googleapis.com/projects/{BP}/locations/{TKY}/backupVaults/sakura-bv"
    out.append({"id": bv, "kind": "backup.vault", "provider": "gcp", "account": BP, "region": TKY, "source": LIVE,
                "name": "sakura-bv", "holds_medical_data": True, "encrypted": True, "immutable": True,
                "immutability_mode": "locked",
                "soft_delete": True, "destinations": []})
    add("backup.plan", f"//backupdr.googleapis.com/projects/{P}/locations/{TKY}/backupPlans/ris-daily", TKY,
        name="ris-daily", generations=30, retention_days=30, methods=["online", "worm"],
        destinations=[{"relation": "backup_copy", "target": bv, "account": BP, "region": TKY}],
        last_restore_test="2026-07-10", tags={"システム": "RIS"})
    # Data Access audit logs go to the _Default bucket with 30 days' retention (LOG-004 FAIL).
    add("audit.trail", f"//cloudresourcemanager.googleapis.com/projects/{P}/auditConfigs/allServices", None,
        name="Cloud Audit Logs (allServices)", enabled=True, multi_region=True,
        destination=f"//logging.googleapis.com/projects/{P}/locations/global/buckets/_Default",
        destination_immutable=False, retention_days=30,
        read_errors={"integrity_validation": "Cloud Logging has no log-file integrity validation setting"})
    add("security.threat_detection", f"//securitycenter.googleapis.com/projects/{P}/settings", None,
        name="Security Command Center", service="Security Command Center (Standard)", enabled=True)
    return out


# =============================================================================================
# On-premises
# =============================================================================================

def onprem_resources() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    line = [1]  # CSV line numbers: line 1 is the header

    def add(kind: str, id: str, file: str, **fields: Any) -> None:
        line[0] += 1
        out.append({"id": id, "kind": kind, "provider": "onprem", "country": "JP",
                    "source": {"type": "inventory", "file": file, "line": line[0]}, **fields})

    # --- Sites ---------------------------------------------------------------------------
    MAIN, DC, CLINIC, ARCHIVE = ("onprem:site:tokyo-main", "onprem:site:osaka-dc", "onprem:site:kanagawa-clinic",
                                 "onprem:site:saitama-archive")
    def site(id: str, name: str, prefecture: str, **fields: Any) -> None:
        add("site.facility", id, file="onprem/sites.csv", name=name, prefecture=prefecture,
            holds_medical_data=True, **fields)

    site(MAIN, "さくら総合病院 本院 サーバ室(東京都)", "東京都",
         entry_control={"identification": "ic_card", "logged": True}, cameras=True,
         disaster_resilience="seismic_isolated")
    site(DC, "大阪データセンター(ハウジング)", "大阪府",
         entry_control={"identification": "biometric", "logged": True}, cameras=True,
         disaster_resilience="seismic_isolated")
    # 分院: the server closet is opened with a physical key and nobody logs who enters; no
    # camera (PHY-001, PHY-002 FAIL).
    site(CLINIC, "さくら総合病院 分院 サーバラック(神奈川県)", "神奈川県",
         entry_control={"identification": "key", "logged": False}, cameras=False,
         disaster_resilience="seismic_resistant")
    # 外部書庫 for backup tapes and paper records: an old warehouse (PHY-003 FAIL).
    site(ARCHIVE, "外部書庫・媒体保管庫(埼玉県)", "埼玉県",
         entry_control={"identification": "staffed_desk", "logged": True}, cameras=True,
         disaster_resilience="none")

    # --- Network segments ----------------------------------------------------------------
    def vlan(tag: str, name: str, **fields: Any) -> None:
        add("network.segment", f"onprem:segment:{tag}", file="onprem/network.csv", name=name, **fields)

    line[0] = 1
    vlan("vlan10", "VLAN10 電子カルテ系", segment_type="vlan", zone="medical",
         reachable_from=["medical", "administrative", "maintenance"], internet_routed=False)
    # The modality VLAN was bridged to guest Wi-Fi when an access point was replaced
    # (NET-007 FAIL).
    vlan("vlan20", "VLAN20 PACS・モダリティ", segment_type="vlan", zone="medical",
         reachable_from=["medical", "guest"], internet_routed=False)
    vlan("vlan30", "VLAN30 事務系(インターネット接続)", segment_type="vlan", zone="administrative",
         reachable_from=["administrative", "internet"], internet_routed=True)
    vlan("vlan40", "VLAN40 分院 電子カルテ端末", segment_type="vlan", zone="medical",
         reachable_from=["medical"], internet_routed=False)
    vlan("vlan90", "VLAN90 来院者用Wi-Fi", segment_type="vlan", zone="guest", reachable_from=["internet"],
         internet_routed=True)
    vlan("dmz", "DMZ(地域連携ゲートウェイ)", segment_type="vlan", zone="dmz", reachable_from=["internet"],
         internet_routed=True)
    # The PACS vendor's remote-maintenance line (ISDN replaced by an internet VPN): a shared
    # ID and password (NET-009 FAIL).
    # It accepts connections from any address (NET-010 FAIL).
    vlan("maint-pacs", "PACS保守回線(リモート保守)", segment_type="vlan", zone="maintenance",
         reachable_from=["internet"], internet_routed=True, remote_auth_method="password", source_restricted=False)
    vlan("ra-vpn", "職員リモートアクセスVPN", segment_type="vlan", zone="remote_access",
         reachable_from=["internet"], internet_routed=True, remote_auth_method="mfa", source_restricted=True)

    # --- Devices -------------------------------------------------------------------------
    NTP = "ntp.sakura-hospital.example"
    fresh_sig, fresh_patch = "2026-10-31", "2026-10-14"

    def dev(tag: str, name: str, device_type: str, site: str, **fields: Any) -> None:
        add("device.host", f"onprem:device:{tag}", file="onprem/devices.csv", name=name, device_type=device_type, site=site, **fields)

    def server(tag: str, name: str, os: str, site: str = MAIN, device_type: str = "server", **fields: Any) -> None:
        base = dict(holds_medical_data=True, os=os, last_patched=fresh_patch, antimalware=True,
                    signatures_updated=fresh_sig, disk_encrypted=True, ntp_source=NTP, default_password_changed=True,
                    usb_storage_restricted=True, backup_power=True)
        base.update(fields)
        dev(tag, name, device_type, site, **base)

    line[0] = 1
    server("EHR-SV-01", "電子カルテサーバ(本番系)", "Windows Server 2022", tags={"システム": "電子カルテ"})
    server("EHR-SV-02", "電子カルテサーバ(待機系)", "Windows Server 2022", tags={"システム": "電子カルテ"})
    server("EHR-DB-01", "電子カルテDBサーバ", "Red Hat Enterprise Linux 9", tags={"システム": "電子カルテ"})
    server("EHR-DR-01", "電子カルテ遠隔バックアップサーバ", "Red Hat Enterprise Linux 9", site=DC,
           tags={"システム": "電子カルテ", "用途": "DR"})
    # PACS: patched last in January because the vendor must validate every patch (MAL-003 FAIL).
    server("PACS-SV-01", "PACSサーバ", "Windows Server 2019", last_patched="2026-01-20",
           tags={"システム": "PACS"})
    server("PACS-ST-01", "PACS画像ストレージ", "ストレージOS 9.x", last_patched="2026-09-02", antimalware=False,
           signatures_updated=None, device_type="storage", tags={"システム": "PACS"})
    server("RIS-SV-01", "放射線情報システム(RIS)サーバ", "Windows Server 2019", tags={"システム": "RIS"})
    server("LAB-SV-01", "臨床検査システムサーバ", "Windows Server 2016", last_patched="2026-05-11",
           signatures_updated="2026-09-30", tags={"システム": "検査システム"})
    server("FILE-SV-01", "院内ファイルサーバ", "Windows Server 2022", tags={"システム": "ファイルサーバ"})
    server("AD-SV-01", "認証サーバ(Active Directory)", "Windows Server 2022", holds_medical_data=False,
           tags={"システム": "認証基盤"})
    # The backup server's clock was set to its local clock after the NTP appliance failed
    # (REC-002 FAIL).
    server("BK-SV-01", "バックアップサーバ(LTOテープ)", "Windows Server 2019", ntp_source="local",
           tags={"システム": "バックアップ", "用途": "オフライン媒体"})
    # The branch relay server sits in a rack without a UPS (BKP-011 FAIL).
    server("CL-SV-01", "分院 電子カルテ中継サーバ", "Windows Server 2016", site=CLINIC,
           last_patched="2026-03-03", backup_power=False, tags={"システム": "電子カルテ"})
    # Whether the clock is synchronised could not be read from the inventory export.
    server("NURSE-SV-01", "看護支援システム連携サーバ", "Windows Server 2022",
           ntp_source=None, read_errors={"ntp_source": "column 'ntp' is empty in the exported asset list"},
           tags={"システム": "看護支援システム"})

    def terminal(tag: str, name: str, device_type: str, site: str = MAIN, **fields: Any) -> None:
        base = dict(holds_medical_data=True, os="Windows 11 Enterprise", last_patched=fresh_patch, antimalware=True,
                    signatures_updated=fresh_sig, disk_encrypted=True, ntp_source="ad-sv-01.sakura-hospital.example",
                    default_password_changed=True, usb_storage_restricted=True)
        base.update(fields)
        dev(tag, name, device_type, site, **base)

    terminal("EHR-WS-0101", "電子カルテ端末 外来1診", "workstation")
    terminal("EHR-WS-0102", "電子カルテ端末 外来2診", "workstation")
    terminal("EHR-WS-0301", "電子カルテ端末 3階ナースステーション", "workstation")
    # Nurse station PC whose disk was never encrypted when it was re-imaged (ENC-008 FAIL).
    terminal("EHR-WS-0401", "電子カルテ端末 4階ナースステーション", "workstation", disk_encrypted=False)
    terminal("RAD-WS-01", "読影端末1", "workstation", os="Windows 10 Enterprise LTSC")
    terminal("RAD-WS-02", "読影端末2", "workstation", os="Windows 10 Enterprise LTSC", last_patched="2026-04-02")
    terminal("CL-WS-01", "分院 電子カルテ端末", "workstation", site=CLINIC, signatures_updated="2026-10-12")
    # 往診用ノートパソコン. One was never encrypted (ENC-008 FAIL); one has not connected to
    # the signature server for six weeks (MAL-002 FAIL).
    terminal("NB-HOMECARE-01", "訪問診療用ノートPC 1", "laptop")
    terminal("NB-HOMECARE-02", "訪問診療用ノートPC 2", "laptop", disk_encrypted=False)
    # ... and its USB ports were unlocked to copy photos for home visits (PHY-006 FAIL).
    terminal("NB-HOMECARE-03", "訪問診療用ノートPC 3", "laptop", signatures_updated="2026-09-18",
             last_patched="2026-07-01", usb_storage_restricted=False)
    terminal("NB-ADMIN-01", "事務用ノートPC(医療情報なし)", "laptop", holds_medical_data=False,
             disk_encrypted=False)

    # Network equipment.
    def netdev(tag: str, name: str, site: str = MAIN, **fields: Any) -> None:
        base = dict(holds_medical_data=False, os="ベンダー独自OS", last_patched="2026-09-10",
                    ntp_source=NTP, default_password_changed=True, source_restricted=True)
        base.update(fields)
        dev(tag, name, "network", site, **base)

    netdev("CORE-SW-01", "コアスイッチ")
    # The internet gateway UTM still has the factory admin password (IAM-009 FAIL).
    netdev("UTM-01", "インターネット境界UTM", default_password_changed=False)
    # The PACS maintenance VPN router: firmware from 2024 (MAL-003 FAIL), and it accepts VPN
    # connections from any address (NET-010 FAIL).
    netdev("VPN-RT-PACS", "PACS保守用VPNルータ", last_patched="2024-11-05", source_restricted=False)
    netdev("WLC-01", "無線LANコントローラ", last_patched="2026-08-20")

    # Medical devices.
    dev("CT-01", "CT装置 コンソール", "medical_device", MAIN, holds_medical_data=True,
        os="Windows 10 IoT Enterprise 2016 LTSB", last_patched="2023-06-30", antimalware=False, disk_encrypted=True,
        ntp_source=NTP, default_password_changed=True, tags={"システム": "モダリティ"})
    # Ultrasound unit: service login still the manufacturer's default (IAM-009 FAIL).
    dev("US-02", "超音波診断装置(産科)", "medical_device", MAIN, holds_medical_data=True,
        os="組込みLinux", last_patched="2026-08-25", antimalware=False, disk_encrypted=False, ntp_source="none",
        default_password_changed=False, tags={"システム": "モダリティ"})

    # IoT devices. The nurse-call gateway is registered on the EHR VLAN with its owner
    # (OPS-009 PASS); the ward cameras were put on the patients' Wi-Fi (OPS-009 FAIL).
    dev("IOT-NC-01", "ナースコール連携ゲートウェイ", "iot", MAIN, holds_medical_data=False, os="組込みLinux",
        last_patched="2026-09-01", ntp_source=NTP, default_password_changed=True, owner="臨床工学室",
        network_segment="onprem:segment:vlan10", tags={"システム": "ナースコール"})
    dev("IOT-CAM-01", "病棟見守りカメラ", "iot", MAIN, holds_medical_data=False, os="ファームウェア 2.3",
        last_patched="2026-06-15", ntp_source=NTP, default_password_changed=True, owner="施設管理課",
        network_segment="onprem:segment:vlan90", tags={"システム": "見守り"})
    return out


# =============================================================================================
# Vendors
# =============================================================================================

def vendor_resources() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    n = [0]

    def contract(tag: str, **fields: Any) -> None:
        n[0] += 1
        out.append({"id": f"vendor:contract:{tag}", "kind": "vendor.contract", "provider": "vendor",
                    "source": {"type": "inventory", "file": "vendors/contracts.yaml", "line": 1 + 40 * (n[0] - 1)},
                    **fields})

    all_true = {k: True for k in (
        "no_analysis_without_permission", "analysis_for_legitimate_purpose_only", "anonymised_data_handling",
        "patient_access_scope", "disclosure_on_consent_only", "periodic_reporting",
        "management_approval_of_reports", "data_return_at_termination", "patient_notice", "confidentiality",
        "no_access_to_stored_records", "fault_access_notice", "complaint_desk")}

    # Domestic SaaS EHR (外来電子カルテのクラウド版): the model contractor. Everything PASS.
    contract("cloudkarte", name="クラウド型電子カルテ利用契約", vendor="クラウドカルテ・ジャパン株式会社(架空)",
             country="JP", holds_medical_data=True, service_model="saas", systems=["電子カルテ(分院)"],
             certifications=[
                 {"scheme": "ISMAP", "registration_id": "C0000-EXAMPLE-001", "expires": "2027-09-30"},
                 {"scheme": "ISMS", "registration_id": "IS 000001 (example)", "expires": "2027-05-31"},
             ],
             external_audit={"auditor_qualification": "systems_auditor", "date": "2026-03-15"},
             storage_countries=["JP"], governing_law="JP", court_country="JP",
             foreign_law={"exposed": False, "decision": "国内法人・国内データセンターのみで運用", "assessed_on": "2026-04-10"},
             clauses=all_true, subcontractors=[{"name": "国内データセンター事業者A(架空)", "reports_to_contractor": True}],
             responsibility_agreed=True)
    # PACS cloud: SOC 2 report expired in March, the last audit is too old; Privacy Mark valid.
    # The contract requires reports but not that they reach management; whether patients
    # are told was not confirmed; the vendor may open stored images at any time for "quality
    # checks" (VEN-001, VEN-004, VEN-012 FAIL; VEN-008 UNKNOWN).
    contract("mediscan", name="PACS画像クラウド保管サービス契約", vendor="メディスキャン画像クラウド株式会社(架空)",
             country="JP", holds_medical_data=True, service_model="saas", systems=["PACS"],
             certifications=[
                 {"scheme": "SOC2", "registration_id": "SOC2 Type2 FY2025", "expires": "2026-03-31"},
                 {"scheme": "PRIVACY_MARK", "registration_id": "00000000(00)", "expires": "2027-12-31"},
             ],
             external_audit={"auditor_qualification": "systems_auditor", "date": "2024-06-30"},
             storage_countries=["JP"], governing_law="JP", court_country="JP",
             foreign_law={"exposed": False, "decision": "国内法人、海外拠点なし", "assessed_on": "2025-11-01"},
             clauses={**all_true, "management_approval_of_reports": False, "patient_notice": None,
                      "no_access_to_stored_records": False},
             subcontractors=[{"name": "画像ビューア開発会社B(架空)", "reports_to_contractor": True}],
             responsibility_agreed=True)
    # Overseas AI image-analysis vendor (the pilot behind the us-east-1 bucket): US law and
    # courts, data stored in the US, and the CLOUD Act exposure has no decision on record
    # (JUR-001, JUR-002, JUR-003, LOC-005 FAIL); no Privacy Mark or ISMS (VEN-002 FAIL); no desk
    # for complaints in Japan (VEN-013 FAIL).
    contract("exampla-ai", name="画像AI解析PoC契約", vendor="Exampla Health Analytics, Inc.(架空・米国法人)",
             country="US", holds_medical_data=True, service_model="paas", systems=["PACS", "臨床研究"],
             certifications=[{"scheme": "SOC2", "registration_id": "SOC2 Type2 2026", "expires": "2027-04-30"}],
             storage_countries=["US", "JP"], governing_law="US", court_country="US",
             foreign_law={"exposed": True, "decision": "", "assessed_on": "2026-05-20"},
             clauses={**all_true, "anonymised_data_handling": None, "patient_notice": False,
                      "complaint_desk": False},
             subcontractors=[], responsibility_agreed=False)
    # Offsite tape and backup service: no cloud certification but a recent audit by a CISA;
    # its tape-transport subcontractor does not report (VEN-007 FAIL); data return at the end
    # of the contract is not agreed (VEN-005 FAIL); the old-form contract has no confidentiality
    # clause (VEN-011 FAIL).
    contract("aoba-backup", name="バックアップ媒体保管・遠隔バックアップ委託契約", vendor="青葉データ保管株式会社(架空)",
             country="JP", holds_medical_data=True, service_model="iaas", systems=["電子カルテ", "PACS", "ファイルサーバ"],
             certifications=[{"scheme": "ISMS", "registration_id": "IS 000002 (example)", "expires": "2027-01-31"}],
             external_audit={"auditor_qualification": "CISA", "date": "2026-02-20"},
             storage_countries=["JP"], governing_law="JP", court_country="JP",
             foreign_law={"exposed": False, "decision": "国内法人、国内保管のみ", "assessed_on": "2026-02-20"},
             clauses={**all_true, "data_return_at_termination": False, "confidentiality": False},
             subcontractors=[{"name": "北斗テープ輸送(架空)", "reports_to_contractor": False},
                             {"name": "国内倉庫事業者C(架空)", "reports_to_contractor": True}],
             responsibility_agreed=True)
    return out


# =============================================================================================
# Attestations
# =============================================================================================

# Who attests what (role names as a hospital writes them).
ATTESTERS = {
    "OPS": "医療情報システム安全管理責任者",
    "JUR": "病院長(経営層)",
    "LOG": "情報システム課長",
    "MAL": "情報システム課長",
    "PHY": "施設管理課長",
    "REC": "診療情報管理室長",
    "VEN": "医療情報システム安全管理責任者",
    "BKP": "情報システム課長",
}
DEFAULT_ATTESTER = "医療情報システム安全管理責任者"

EVIDENCE = {
    "SAN-BKP-008": "非常時のデータ復旧手順書(2026年度版)と復旧訓練記録",
    "SAN-BKP-009": "LTOテープ世代管理台帳(媒体移行計画を含む)",
    "SAN-JUR-004": "経営会議議事録 2026年4月(国外法リスクに関する方針の承認)",
    "SAN-LOG-005": "アクセスログ監査記録(月次)",
    "SAN-MAL-004": "メールゲートウェイ設定書(添付ファイル無害化は一部部署のみ)",
    "SAN-MAL-005": "外部媒体取扱手順書 第3版",
    "SAN-OPS-001": "医療情報システム安全管理責任者 任命書(2026年4月1日付)",
    "SAN-OPS-002": "医療情報システム運用管理規程 第5版(理事会承認)",
    "SAN-OPS-003": "2026年度 情報セキュリティ研修 受講記録",
    "SAN-OPS-004": "サイバー攻撃を想定したBCP・インシデント対応手順書",
    "SAN-OPS-005": "BYOD禁止の院内通知(例外申請あり)",
    "SAN-OPS-006": "委託先別 責任分界表",
    "SAN-PHY-004": "ノートPC・媒体の持出し台帳",
    "SAN-PHY-005": "機器廃棄・データ消去証明書の綴り",
    "SAN-REC-003": "スキャナ保存運用手順書",
    "SAN-REC-004": "電子署名・タイムスタンプ運用手順書",
    "SAN-REC-005": "運用管理規程 第4章(真正性・見読性・保存性)",
    "SAN-VEN-009": "委託先評価シート",
    "SAN-BKP-012": "非常時参照用サーバ(前日分の患者基本情報・処方・アレルギー)と紙運用手順書",
    "SAN-IAM-012": ("電子カルテ本院系: 院内の登録端末・固定 IP からのみログイン可とし、2027年度の電子カルテ更新時に"
                    "職員証(IC カード)認証へ移行(移行計画書 2026-03)"),
    "SAN-IAM-015": "運用管理規程 第5版 第6章(パスワードの使い回し禁止)と研修資料",
    "SAN-LOG-008": "電子カルテ操作ログ(利用者・ログイン時刻・参照患者ID)— ログサーバ LOG-SV-01:/var/log/ehr に5年保存",
    "SAN-OPS-007": "サーバの構成基準書(不要サービス停止)と2026年度点検記録",
    "SAN-OPS-008": "監査責任者 任命書(2026年4月1日付)と2026年度監査計画",
    "SAN-REC-006": "運用管理規程 第5版 第4章(記録の確定手順・確定権限)",
    "SAN-REC-007": "電子カルテ更新履歴機能の設定書と代行入力承認手順書",
    "SAN-REC-008": "HPKI カード管理手順書(貸与禁止・紛失時の失効)",
}

# Second attestations for other systems or sites, each with its own id: the 6.0 duties added for
# issue #17 each get one that is not in place, so the demo shows them FAIL as well as MANUAL.
ATTESTATION_EXTRA: dict[str, list[dict[str, Any]]] = {
    "SAN-BKP-012": [{"id": "pacs", "answer": "no", "evidence": "PACS: 非常時に画像を参照する手段が未整備"}],
    "SAN-IAM-012": [{"id": "bunin", "answer": "no",
                     "evidence": "分院の電子カルテ端末: パスワードのみ、相当する対応も未実施"}],
    "SAN-IAM-015": [{"id": "bunin", "answer": "partial", "evidence": "分院職員への周知が未完了"}],
    "SAN-LOG-008": [{"id": "lab", "answer": "no",
                     "evidence": "臨床検査システム: 参照した患者 ID を記録するログ機能がない(業務日誌も未運用)"}],
    "SAN-OPS-007": [{"id": "terminals", "answer": "partial", "evidence": "端末PC: 構成基準が未適用の機種あり"}],
    "SAN-OPS-008": [{"id": "bunin", "answer": "no", "evidence": "分院: 監査体制が未整備"}],
    "SAN-REC-006": [{"id": "bunin", "answer": "partial",
                     "evidence": "分院の電子カルテ: 一定時間後の自動確定のルールが運用管理規程にない"}],
    "SAN-REC-007": [{"id": "ris", "answer": "no", "evidence": "RIS: 代行入力の承認記録が残らない"}],
    "SAN-REC-008": [{"id": "remote-sign", "answer": "no",
                     "evidence": "リモート署名サービスの鍵管理要件(CP)を確認していない"}],
}

# Controls deliberately left without an attestation (FAIL: nothing recorded).
ATTESTATION_MISSING = {"SAN-VEN-009"}

# Answers other than a current "yes".
ATTESTATION_OVERRIDES: dict[str, dict[str, Any]] = {
    # Expired: attested 2025-06-01 for 365 days, due 2026-06-01, before the demo date.
    "SAN-PHY-005": {"answer": "yes", "attested_on": "2025-06-01"},
    # Only some departments neutralise mail attachments.
    "SAN-MAL-004": {"answer": "partial", "attested_on": "2026-05-15"},
    # Personal smartphones are still used to photograph wounds for the chart.
    "SAN-OPS-005": {"answer": "partial", "attested_on": "2026-04-20"},
    # Scanned consent forms carry no accredited timestamp yet.
    "SAN-REC-004": {"answer": "no", "attested_on": "2026-07-01"},
}


# =============================================================================================
# Provider register: the hospital's IT subsidiary, a provider under the METI/MIC guideline
# =============================================================================================

def provider_resources() -> list[dict[str, Any]]:
    """さくらメディカルシステムズ株式会社(架空), the hospital group's IT subsidiary, offers two services
    to the group's clinics and to the regional network, and keeps a provider register for them
    (`sansho init --provider`). The clinics' EHR service does everything the provider guideline
    asks; the regional image-sharing service was set up in a hurry and fails every SAN-PRV control.
    """
    out: list[dict[str, Any]] = []
    svc_file, risk_file = "provider/provider_services.yaml", "provider/provider_risks.csv"

    def service(tag: str, line: int, **fields: Any) -> None:
        out.append({"id": f"provider:service:{tag}", "kind": "provider.service", "provider": "vendor",
                    "source": {"type": "inventory", "file": svc_file, "line": line}, **fields})

    def risk(tag: str, line: int, **fields: Any) -> None:
        out.append({"id": f"provider:risk:{tag}", "kind": "provider.risk", "provider": "vendor",
                    "source": {"type": "inventory", "file": risk_file, "line": line}, "name": fields["risk"],
                    "service": "provider:service:clinic-karte", **fields})

    service("clinic-karte", 1, name="分院向け電子カルテ共有サービス", holds_medical_data=True, service_model="saas",
            disclosed_policies=True, disclosed_organisation=True, disclosed_backup=True,
            certifications=[{"scheme": "PRIVACY_MARK", "registration_id": "00000000(example)",
                             "expires": "2027-09-30"}],
            storage_countries=["JP"], domestic_law_confirmed=True, responsibility_agreed_on="2026-04-01",
            risks=["provider:risk:R-001", "provider:risk:R-002", "provider:risk:R-003"],
            subcontractors=[{"name": "国内データセンター事業者A(架空)", "risk_managed": True}],
            evaluated_on="2026-06-30", evaluator="third_party", evaluation_reported=True,
            esignature_replaces_seal=True, esignature_certificate="hpki")
    # Set up in a hurry for the regional network: the organisation and the backups were never
    # described to the clinics, the ISMS certificate lapsed, the DR copy went to Singapore, no
    # responsibility split was agreed, no risk was registered, the operations contractor is outside
    # the risk management, the only evaluation was internal and is 14 months old, and referral letters
    # are signed with a certificate whose physician qualification nobody can check.
    service("regional-pacs", 40, name="地域連携画像共有サービス", holds_medical_data=True, service_model="saas",
            disclosed_policies=True, disclosed_organisation=False, disclosed_backup=False,
            certifications=[{"scheme": "ISMS", "registration_id": "IS 000002 (example)", "expires": "2026-09-30"}],
            storage_countries=["JP", "SG"], domestic_law_confirmed=True, responsibility_agreed_on="none",
            risks=[],
            subcontractors=[{"name": "国内データセンター事業者A(架空)", "risk_managed": True},
                            {"name": "運用保守事業者B(架空)", "risk_managed": False}],
            evaluated_on="2025-08-31", evaluator="internal", evaluation_reported=True,
            esignature_replaces_seal=True, esignature_certificate="certified", qualification_verifiable=False)
    risk("R-001", 2, risk="不正アクセスによる医療情報の漏えい", impact=4, likelihood=2, level=8, treatment="reduce",
         owner="情報セキュリティ責任者", reviewed_on="2026-04-01")
    risk("R-002", 3, risk="データセンターの被災によるサービス停止", impact=3, likelihood=1, level=3, treatment="share",
         owner="サービス運用責任者", reviewed_on="2026-04-01")
    # Not looked at since the previous fiscal year's review.
    risk("R-003", 4, risk="ランサムウェアによるデータの暗号化", impact=5, likelihood=2, level=10, treatment="reduce",
         owner="情報セキュリティ責任者", reviewed_on="2025-06-01")
    return out


def attestation_control_ids() -> list[str]:
    """The catalog's attestation controls, read from the catalog files at generation time."""
    try:
        from sansho.policies.catalog import load_catalog
    except ImportError:  # pragma: no cover - run with the project's virtualenv
        raise SystemExit("run with the project's virtualenv: .venv/bin/python scripts/make_demo_estate.py") from None
    return sorted(c.id for c in load_catalog() if c.check == "attestation")


def attestation_resources() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    ids = attestation_control_ids()
    for i, cid in enumerate(ids, start=2):
        if cid in ATTESTATION_MISSING:
            continue
        fam = cid.split("-")[1]
        a = {"answer": "yes", "attested_on": "2026-04-01"}
        a.update(ATTESTATION_OVERRIDES.get(cid, {}))
        out.append({
            "id": f"onprem:attestation:{cid}", "kind": "attestation", "provider": "onprem",
            "name": f"{cid} 表明", "control_id": cid,
            "source": {"type": "inventory", "file": "attestations/register.csv", "line": i},
            "answer": a["answer"], "attested_by": ATTESTERS.get(fam, DEFAULT_ATTESTER),
            "attested_on": a["attested_on"], "evidence": EVIDENCE.get(cid), "review_period_days": 365,
        })
    line = len(ids) + 1  # the extra rows follow the register's one row per control
    for cid in ids:
        for extra in ATTESTATION_EXTRA.get(cid, []):
            line += 1
            out.append({
                "id": f"onprem:attestation:{cid}:{extra['id']}", "kind": "attestation", "provider": "onprem",
                "name": f"{cid} 表明({extra['id']})", "control_id": cid,
                "source": {"type": "inventory", "file": "attestations/register.csv", "line": line},
                "answer": extra["answer"], "attested_by": ATTESTERS.get(cid.split("-")[1], DEFAULT_ATTESTER),
                "attested_on": "2026-04-01", "evidence": extra["evidence"], "review_period_days": 365,
            })
    return out


# =============================================================================================
# Config
# =============================================================================================

SANSHO_YAML = """\
# さくら総合病院(架空)の sansho 設定 — デモ用
# Generated by scripts/make_demo_estate.py; edit the script, not this file.
fail_on: high

parameters:
  # 院内規程: パスワードの有効期限は 30 日以内(ガイドラインの「最長でも 2 ヶ月以内」より厳しく設定)
  SAN-IAM-004:
    max_age_days: 30

suppressions:
  # 有効な抑止: 公式サイトの静的コンテンツは公開が目的で、医療情報を含まない
  - control: SAN-NET-003
    resource: "arn:aws:s3:::sakura-hospital-website*"
    reason: 病院公式サイトの静的コンテンツ配信用バケット(医療情報なし)。公開は広報委員会で承認済み
    expires: 2027-03-31
  # 期限切れの抑止: 患者ポータルの HTTPS 移行は 2026-06-30 までの予定だった
  - control: SAN-ENC-005
    resource: "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:listener/app/sakura-patient-portal/*"
    reason: 患者ポータル刷新(HTTPS 転送設定)までの暫定措置。委託先と 2026-06-30 までの対応を合意
    expires: 2026-06-30
"""


# =============================================================================================

FILES = {
    "aws.json": aws_resources,
    "azure.json": azure_resources,
    "gcp.json": gcp_resources,
    "onprem.json": onprem_resources,
    "vendors.json": vendor_resources,
    "provider.json": provider_resources,
    "attestations.json": attestation_resources,
}


def build() -> dict[str, dict[str, Any]]:
    docs = {}
    for name, fn in FILES.items():
        resources = [clean(r) for r in fn()]
        ids = [r["id"] for r in resources]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise SystemExit(f"{name}: duplicate resource ids: {dupes}")
        docs[name] = {"schema_version": SCHEMA_VERSION, "generator": GENERATOR, "resources": resources}
    return docs


def validate(docs: dict[str, dict[str, Any]]) -> None:
    from sansho.policies.model import Inventory

    for name, doc in docs.items():
        try:
            Inventory.model_validate_json(json.dumps(doc))
        except ValueError as e:
            raise SystemExit(f"{name}: {e}") from None


def main() -> int:
    docs = build()
    validate(docs)
    ESTATE.mkdir(parents=True, exist_ok=True)
    for name, doc in docs.items():
        text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
        (ESTATE / name).write_text(text, encoding="utf-8")
    (DEMO / "sansho.yaml").write_text(SANSHO_YAML, encoding="utf-8")
    total = sum(len(d["resources"]) for d in docs.values())
    for name, doc in docs.items():
        print(f"{name:18} {len(doc['resources']):4d} resources")
    print(f"{'total':18} {total:4d} resources → {ESTATE.relative_to(ROOT)}/, {(DEMO / 'sansho.yaml').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
