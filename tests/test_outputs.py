"""SARIF, JUnit and CSV renderings of one small scan."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest

from sansho.policies.engine.core import Engine
from sansho.policies.model import ObjectStorage, SourceRef
from sansho.reports import csv_report, junit, sarif


@pytest.fixture(scope="module")
def result():
    from sansho.policies.catalog import load_catalog

    cat = load_catalog()
    resources = [
        ObjectStorage(id="aws_s3_bucket.plain", provider="aws", region="ap-northeast-1", encrypted=False,
                      source=SourceRef(type="terraform", file="infra/s3.tf", line=12)),
        ObjectStorage(id="arn:aws:s3:::ok", provider="aws", region="ap-northeast-1", encrypted=True),
        ObjectStorage(id="arn:aws:s3:::unread", provider="aws", region="ap-northeast-1"),
    ]
    return Engine(cat).scan(resources, [cat["SAN-ENC-001"]], today=dt.date(2026, 11, 1))


def test_sarif_structure(result, catalog):
    doc = sarif.render(result, catalog, "ja", "0.1.0")
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["SAN-ENC-001"]
    assert rules[0]["shortDescription"]["text"] == catalog["SAN-ENC-001"].title.ja
    assert catalog["SAN-ENC-001"].remediation.en in rules[0]["help"]["text"]
    assert rules[0]["properties"]["security-severity"] == "8.0"
    by_fqn = {r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]: r for r in run["results"]}
    assert set(by_fqn) == {"aws_s3_bucket.plain", "arn:aws:s3:::unread"}  # PASS is not a result
    plain = by_fqn["aws_s3_bucket.plain"]
    assert plain["kind"] == "fail" and plain["level"] == "error"
    assert plain["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": "infra/s3.tf"},
                                                         "region": {"startLine": 12}}
    assert by_fqn["arn:aws:s3:::unread"]["kind"] == "review"
    assert by_fqn["arn:aws:s3:::unread"]["level"] == "none"  # SARIF §3.27.10: only kind fail has a level
    assert plain["properties"]["basis"] == "observed"  # read from Terraform


def test_junit_counts(result, catalog):
    root = ET.fromstring(junit.render(result, catalog, "en"))
    assert root.get("tests") == "3" and root.get("failures") == "1" and root.get("skipped") == "1"
    failure = root.find(".//testcase/failure")
    assert failure is not None and failure.get("message") == "bucket is not encrypted at rest"


def test_csv_rows(result, catalog):
    text = csv_report.render(result, catalog, "ja")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {(r["resource_id"], r["status"]) for r in rows} == {
        ("aws_s3_bucket.plain", "FAIL"), ("arn:aws:s3:::ok", "PASS"), ("arn:aws:s3:::unread", "UNKNOWN")}
    assert next(r for r in rows if r["status"] == "FAIL")["line"] == "12"
