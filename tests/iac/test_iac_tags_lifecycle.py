"""The AWS provider's default tags and CloudTrail log retention from the bucket lifecycle, read
from Terraform (HCL and plan) and CloudFormation, judged by the real engine: exact verdicts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("checkov")

from sansho.collectors.aws_documents import log_retention  # noqa: E402
from sansho.collectors.iac import IacLoad, load  # noqa: E402
from sansho.policies.catalog import load_catalog  # noqa: E402
from sansho.policies.engine.core import Engine  # noqa: E402

CORPUS = Path(__file__).parent / "corpus" / "terraform" / "default_tags"
TODAY = dt.date(2026, 11, 1)
CONTROLS = ("SAN-LOC-004", "SAN-LOG-004")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_catalog())


def verdicts(engine: Engine, loaded: IacLoad) -> dict[tuple[str, str], str]:
    result = engine.scan(loaded.resources, [engine.catalog[c] for c in CONTROLS], today=TODAY)
    return {(f.control_id, f.resource.id): f.status for f in result.findings}


def by_id(loaded: IacLoad, rid: str) -> Any:
    hits = [r for r in loaded.resources if r.id == rid]
    assert len(hits) == 1, f"{rid}: {[r.id for r in loaded.resources]}"
    return hits[0]


@pytest.fixture(scope="module")
def corpus() -> IacLoad:
    return load([CORPUS], today=TODAY)


MEDICAL_DEFAULTS = {"sansho:medical": "true", "data-classification": "medical", "retention": "5y"}

# --- Terraform HCL: default tags -----------------------------------------------------------

LOC_004 = {
    "aws_s3_bucket.records": "PASS",  # everything from the default provider
    "aws_s3_bucket.public_site": "NOT_APPLICABLE",  # own sansho:medical = false wins
    "aws_s3_bucket.scratch": "FAIL",  # own empty backup-frequency wins
    "aws_s3_bucket.osaka_copy": "FAIL",  # aws.osaka's defaults lack backup-frequency
    "aws_s3_bucket.osaka_archive": "PASS",  # ... which its own tag adds
    "aws_s3_bucket.unread": "UNKNOWN",  # a default tag from a variable without a value
    "module.primary.aws_s3_bucket.this": "PASS",  # inherits the default provider
    "module.dr.aws_s3_bucket.this": "FAIL",  # given aws.osaka through providers = {}
    # the trail buckets, all from the default provider
    **{f"aws_s3_bucket.{b}_logs": "PASS" for b in ("short", "long", "inline", "kept", "locked", "unknown")},
}

LOG_004 = {
    "aws_cloudtrail.short": "FAIL",  # 90-day expiration
    "aws_cloudtrail.long": "PASS",  # 400 days on audit/AWSLogs/; disabled, tag and other-prefix rules ignored
    "aws_cloudtrail.inline": "FAIL",  # v3 inline lifecycle_rule, 30 days
    "aws_cloudtrail.kept": "UNKNOWN",  # no expiration, no lock
    "aws_cloudtrail.locked": "PASS",  # 30-day expiration, 3650-day Object Lock
    "aws_cloudtrail.unknown": "UNKNOWN",  # days = var.log_days, no value
}


def test_hcl_verdicts(engine, corpus):
    expected = {("SAN-LOC-004", k): v for k, v in LOC_004.items()} | {("SAN-LOG-004", k): v for k, v in LOG_004.items()}
    assert verdicts(engine, corpus) == expected


def test_hcl_tags_merge_under_the_resource_own_and_follow_the_provider_in_effect(corpus):
    assert by_id(corpus, "aws_s3_bucket.records").tags == {**MEDICAL_DEFAULTS, "backup-frequency": "daily"}
    public = by_id(corpus, "aws_s3_bucket.public_site")
    assert public.tags["sansho:medical"] == "false" and public.holds_medical_data is False
    assert by_id(corpus, "aws_s3_bucket.scratch").tags["backup-frequency"] == ""
    assert by_id(corpus, "aws_s3_bucket.osaka_copy").tags == MEDICAL_DEFAULTS
    assert by_id(corpus, "aws_s3_bucket.osaka_archive").tags == {**MEDICAL_DEFAULTS, "backup-frequency": "weekly"}
    dr = by_id(corpus, "module.dr.aws_s3_bucket.this")
    assert (dr.region, dr.tags, dr.holds_medical_data) == ("ap-northeast-3", MEDICAL_DEFAULTS, True)
    primary = by_id(corpus, "module.primary.aws_s3_bucket.this")
    assert (primary.region, primary.tags) == ("ap-northeast-1", {**MEDICAL_DEFAULTS, "backup-frequency": "daily"})
    # the evidence keeps the resource's own tags, as written
    assert by_id(corpus, "aws_s3_bucket.scratch").raw["terraform"]["tags"] == {"backup-frequency": ""}


def test_hcl_unresolved_default_tag_is_unread_not_dropped(corpus):
    unread = by_id(corpus, "aws_s3_bucket.unread")
    assert unread.tags == MEDICAL_DEFAULTS
    assert unread.read_errors == {"tags": "tag backup-frequency could not be resolved"}


def test_hcl_trail_retention_from_the_bucket_lifecycle(corpus):
    got = {rid: by_id(corpus, rid).retention_days for rid in LOG_004}
    assert got == {"aws_cloudtrail.short": 90, "aws_cloudtrail.long": 400, "aws_cloudtrail.inline": 30,
                   "aws_cloudtrail.kept": None, "aws_cloudtrail.locked": 3650, "aws_cloudtrail.unknown": None}
    # No expiration, no lock: the reason the live collector gives for the same bucket (one reading).
    live_reason = log_retention([], "AWSLogs/", None)
    assert live_reason[0] is None
    assert by_id(corpus, "aws_cloudtrail.kept").read_errors == {"retention_days": live_reason[1]}
    assert by_id(corpus, "aws_cloudtrail.unknown").read_errors == {
        "retention_days": "lifecycle rule of aws_s3_bucket.unknown_logs: expiration days var.log_days could not "
                          "be resolved"}


# --- Terraform plan JSON ---------------------------------------------------------------------

def _plan(tmp_path: Path, buckets: dict[str, tuple[str, dict[str, Any]]], provider_config: dict[str, Any],
          variables: dict[str, Any] | None = None, unknown: dict[str, dict[str, Any]] | None = None) -> Path:
    """A ``terraform show -json`` document: bucket name → (provider key, planned values)."""
    resources, config, changes = [], [], []
    for name, (key, values) in buckets.items():
        addr = f"aws_s3_bucket.{name}"
        resources.append({"address": addr, "mode": "managed", "type": "aws_s3_bucket", "name": name,
                          "values": {"bucket": name, **values}})
        config.append({"address": addr, "mode": "managed", "type": "aws_s3_bucket", "name": name,
                       "provider_config_key": key, "expressions": {"bucket": {"constant_value": name}}})
        changes.append({"address": addr, "change": {"actions": ["create"], "after": values,
                                                    "after_unknown": (unknown or {}).get(name, {})}})
    doc = {"format_version": "1.2", "terraform_version": "1.9.0", "variables": variables or {},
           "planned_values": {"root_module": {"resources": resources}}, "resource_changes": changes,
           "configuration": {"provider_config": provider_config, "root_module": {"resources": config}}}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


def _provider(region: str, tags: dict[str, Any] | None, alias: str | None = None) -> dict[str, Any]:
    exprs: dict[str, Any] = {"region": {"constant_value": region}}
    if tags is not None:
        exprs["default_tags"] = [{"tags": tags}]
    return {"name": "aws", **({"alias": alias} if alias else {}), "expressions": exprs}


def test_plan_prefers_tags_all_then_the_provider_default_tags(engine, tmp_path):
    full = {**MEDICAL_DEFAULTS, "backup-frequency": "daily"}
    providers = {
        "aws": _provider("ap-northeast-1", {"constant_value": full}),
        "aws.osaka": _provider("ap-northeast-3", {"constant_value": MEDICAL_DEFAULTS}, "osaka"),
        "aws.byvar": _provider("ap-northeast-1", {"references": ["var.tags"]}, "byvar"),
        "aws.bylocal": _provider("ap-northeast-1", {"references": ["local.tags"]}, "bylocal"),
    }
    path = _plan(tmp_path, {
        # Terraform's own merge wins: here it says backup-frequency is weekly
        "merged": ("aws", {"tags": {"retention": "10y"}, "tags_all": {**full, "retention": "10y",
                                                                       "backup-frequency": "weekly"}}),
        # tags_all known after apply: the provider's constant default tags, under the own ones
        "own_wins": ("aws", {"tags": {"sansho:medical": "false"}}),
        "osaka": ("aws.osaka", {}),
        "from_var": ("aws.byvar", {"tags": None}),
        "from_local": ("aws.bylocal", {"tags": {"backup-frequency": "daily"}}),
    }, providers, variables={"tags": {"value": full}},
        unknown={n: {"tags_all": True} for n in ("own_wins", "osaka", "from_var", "from_local")})
    loaded = load([path], today=TODAY)
    assert not loaded.not_scanned
    got = {rid: s for (c, rid), s in verdicts(engine, loaded).items() if c == "SAN-LOC-004"}
    assert got == {"aws_s3_bucket.merged": "PASS", "aws_s3_bucket.own_wins": "NOT_APPLICABLE",
                   "aws_s3_bucket.osaka": "FAIL", "aws_s3_bucket.from_var": "PASS",
                   "aws_s3_bucket.from_local": "UNKNOWN"}
    assert by_id(loaded, "aws_s3_bucket.merged").tags["backup-frequency"] == "weekly"
    assert by_id(loaded, "aws_s3_bucket.osaka").tags == MEDICAL_DEFAULTS
    unread = by_id(loaded, "aws_s3_bucket.from_local")
    assert (unread.tags, unread.read_errors) == (
        {}, {"tags": "tags provider default_tags local.tags could not be resolved"})


# --- CloudFormation ------------------------------------------------------------------------

CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  ShortLogs:
    Type: AWS::S3::Bucket
    Properties:
      LifecycleConfiguration:
        Rules:
          - Status: Enabled
            ExpirationInDays: 90
  ShortTrail:
    Type: AWS::CloudTrail::Trail
    Properties:
      TrailName: cfn-short
      S3BucketName: !Ref ShortLogs
      IsLogging: true
  LongLogs:
    Type: AWS::S3::Bucket
    Properties:
      LifecycleConfiguration:
        Rules:
          - Status: Enabled
            Prefix: audit/
            ExpirationInDays: 730
          - Status: Enabled
            TagFilters: [{Key: temporary, Value: "true"}]
            ExpirationInDays: 1
          - Status: Enabled
            Prefix: exports/
            ExpirationInDays: 1
  LongTrail:
    Type: AWS::CloudTrail::Trail
    Properties:
      TrailName: cfn-long
      S3BucketName: !Ref LongLogs
      S3KeyPrefix: audit
      IsLogging: true
  KeptLogs:
    Type: AWS::S3::Bucket
  KeptTrail:
    Type: AWS::CloudTrail::Trail
    Properties:
      TrailName: cfn-kept
      S3BucketName: !Ref KeptLogs
      IsLogging: true
"""


def test_cloudformation_trail_retention_from_lifecycle_configuration(engine, tmp_path):
    path = tmp_path / "trails.yaml"
    path.write_text(CFN, encoding="utf-8")
    loaded = load([path], today=TODAY, cfn_region="ap-northeast-1")
    assert not loaded.not_scanned
    got = {rid: s for (c, rid), s in verdicts(engine, loaded).items() if c == "SAN-LOG-004"}
    assert got == {"ShortTrail": "FAIL", "LongTrail": "PASS", "KeptTrail": "UNKNOWN"}
    assert [by_id(loaded, t).retention_days for t in ("ShortTrail", "LongTrail", "KeptTrail")] == [90, 730, None]
