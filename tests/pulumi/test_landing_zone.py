"""The reference landing zone, run under Pulumi's mocks and judged by sansho: zero FAIL as
configured, and exactly the matching FAIL when a protection is turned off in stack config."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest
import yaml

from sansho.policies.catalog import load_catalog
from sansho.policies.config import TagKeys
from sansho.policies.engine.core import Engine
from sansho.collectors.iac.pulumi import normalize

from .harness import LZ_DIR, PROJECT, ROOT, config_env, dev_config, run_landing_zone

TODAY = dt.date(2026, 6, 1)
# What sansho can judge from a Pulumi AWS program and the landing zone satisfies.
PASSING = {
    "SAN-BKP-001",
    "SAN-BKP-002",
    "SAN-BKP-005",
    "SAN-BKP-006",
    "SAN-BKP-007",
    "SAN-BKP-010",
    "SAN-ENC-001",
    "SAN-ENC-002",
    "SAN-ENC-004",
    "SAN-ENC-006",
    "SAN-ENC-007",
    "SAN-LOC-001",
    "SAN-LOC-002",
    "SAN-LOC-004",
    "SAN-LOG-001",
    "SAN-LOG-002",
    "SAN-LOG-003",
    "SAN-LOG-004",  # the audit-log bucket expires objects after the retention the parameter asks for
    "SAN-LOG-007",  # pgaudit loaded and the postgresql log exported
    "SAN-NET-001",
    "SAN-NET-002",
    "SAN-NET-003",
    "SAN-NET-004",
    "SAN-REC-001",
}
# What code cannot show: the plan's account (IaC never knows it) and restore tests (events, not configuration).
NOT_JUDGED = {("SAN-BKP-003", "backup-plan"), ("SAN-BKP-004", "backup-plan")}


def scan(resources: list[dict]):
    return Engine(load_catalog()).scan(normalize(resources), today=TODAY)


def statuses(result, status: str) -> set[tuple[str, str]]:
    return {(f.control_id, f.resource.id.rsplit("::", 1)[-1]) for f in result.findings if f.status == status}


def test_project_layout_never_shadows_the_pulumi_sdk():
    assert not (ROOT / "pulumi" / "__init__.py").exists()
    for project in ("aws-landing-zone", "policy-pack"):
        assert not (ROOT / "pulumi" / project / "__init__.py").exists()
    assert PROJECT == "sansho-aws-landing-zone"


def test_example_stack_config_uses_sanshos_tag_keys():
    keys = dev_config()["tagKeys"]
    defaults = TagKeys()
    assert (keys["medical"], keys["purpose"], keys["zone"]) == (
        defaults.medical,
        defaults.purpose,
        defaults.zone,
    )
    required = load_catalog()["SAN-LOC-004"].parameters["required_tags"]
    assert {keys["dataClassification"], keys["retention"], keys["backupFrequency"]} == set(required)
    assert keys["records"] == load_catalog()["SAN-REC-001"].parameters["records_tag_key"]
    assert json.loads(config_env({"objectLock": False}))[f"{PROJECT}:objectLock"] == "false"


def test_dev_stack_has_no_fail_and_judges_the_expected_controls(dev_resources):
    result = scan(dev_resources)
    counts = Counter(f.status for f in result.findings)
    assert statuses(result, "FAIL") == set() and counts["ERROR"] == 0
    assert {f.control_id for f in result.findings if f.status == "PASS"} == PASSING
    assert statuses(result, "UNKNOWN") == NOT_JUDGED
    kinds = Counter(r.kind for r in normalize(dev_resources))
    assert kinds == {
        "storage.bucket": 3,
        "database.instance": 1,
        "kms.key": 5,
        "network.firewall_rule": 5,
        "audit.trail": 1,
        "backup.plan": 1,
        "backup.vault": 2,
    }


def test_every_taggable_resource_carries_the_guideline_tags(dev_resources):
    keys = dev_config()["tagKeys"]
    wanted = {
        keys[k] for k in ("dataClassification", "storagePurpose", "retention", "backupFrequency", "medical")
    }
    providers = {
        r["urn"]: json.loads(r["inputs"]["defaultTags"])["tags"]
        for r in dev_resources
        if r["type"] == "pulumi:providers:aws"
    }
    assert len(providers) == 2
    # Every resource goes through one of the two explicit providers, whose default tags carry the keys
    # (AWS applies them to every taggable resource); data stores, keys and audit resources say their own.
    for r in dev_resources:
        if r["type"] == "pulumi:providers:aws":
            continue
        default = providers[r["provider"].rsplit("::", 1)[0]]
        assert wanted <= set(default) | set(r["inputs"].get("tags", {})), r["urn"]
        if r["type"].split(":")[1] in (
            "s3/bucket",
            "rds/instance",
            "backup/vault",
            "backup/plan",
            "kms/key",
            "cloudtrail/trail",
        ):
            assert wanted <= set(r["inputs"]["tags"]), r["urn"]
    data_stores = [
        r
        for r in normalize(dev_resources)
        if r.kind in ("storage.bucket", "database.instance", "backup.vault")
    ]
    medical = {r.id.rsplit("::", 1)[-1] for r in data_stores if r.holds_medical_data}
    assert medical == {
        "medical-records",
        "medical-records-osaka",
        "medical-db",
        "backup-vault",
        "backup-vault-osaka",
    }


def test_regions_come_from_the_stack_config(dev_resources):
    regions = {
        r.id.rsplit("::", 1)[-1]: r.region for r in normalize(dev_resources) if r.kind == "storage.bucket"
    }
    assert regions == {
        "audit-logs": "ap-northeast-1",
        "medical-records": "ap-northeast-1",
        "medical-records-osaka": "ap-northeast-3",
    }


@pytest.mark.parametrize(
    "change,fails",
    [
        (
            {"objectLock": False},
            {
                ("SAN-REC-001", "medical-records"),
                ("SAN-REC-001", "medical-records-osaka"),
                ("SAN-LOG-003", "trail"),
            },
        ),
        (
            {"primaryRegion": "us-east-1"},
            {
                ("SAN-LOC-001", "medical-records"),
                ("SAN-LOC-001", "medical-db"),
                ("SAN-LOC-001", "backup-vault"),
            },
        ),
        (
            {"copyRegion": "ap-southeast-1"},
            {
                ("SAN-LOC-001", "medical-records-osaka"),
                ("SAN-LOC-001", "backup-vault-osaka"),
                ("SAN-LOC-002", "medical-records"),
                ("SAN-LOC-002", "backup-plan"),
                ("SAN-LOC-002", "backup-vault"),
            },
        ),
        ({"dbBackupRetentionDays": 3}, {("SAN-BKP-005", "medical-db")}),
        ({"logRetentionDays": 30}, {("SAN-LOG-004", "trail")}),  # expired by the audit-log bucket's lifecycle
    ],
    ids=["object-lock-off", "primary-us-east-1", "copy-singapore", "db-backups-3-days", "log-retention-30-days"],
)
def test_turning_a_protection_off_fails_exactly_the_matching_control(change, fails):
    result = scan(run_landing_zone({**dev_config(), **change}))
    assert statuses(result, "FAIL") == fails
    assert statuses(result, "UNKNOWN") == NOT_JUDGED


def test_example_stack_file_is_what_the_tests_run():
    doc = yaml.safe_load((LZ_DIR / "Pulumi.dev.yaml").read_text(encoding="utf-8"))
    assert all(k.startswith(f"{PROJECT}:") for k in doc["config"])
    assert (
        dev_config()["primaryRegion"] == "ap-northeast-1" and dev_config()["copyRegion"] == "ap-northeast-3"
    )
