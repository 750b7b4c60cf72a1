"""Region names are shown in one case in messages: as they are compared (lower case, no spaces),
whatever case the source or sansho.yaml used."""

from __future__ import annotations

import datetime as dt

from sansho.policies.config import Config
from sansho.policies.engine.core import Engine
from sansho.policies.model import Destination, ObjectStorage


def test_regions_in_messages_are_lower_case(catalog):
    config = Config.model_validate({"parameters": {
        "SAN-LOC-001": {"allowed_regions": {"aws": ["AP-Northeast-1"], "gcp": ["ASIA-NORTHEAST1"]}},
        "SAN-LOC-002": {"allowed_regions": {"aws": ["AP-Northeast-1"]}}}})
    resources = [
        ObjectStorage(id="g", provider="gcp", region="ASIA-NORTHEAST1", holds_medical_data=True, destinations=[]),
        ObjectStorage(id="a", provider="aws", region="US-East-1", holds_medical_data=True, destinations=[
            Destination(relation="replication", target="b2", provider="aws", region="EU-West-1")]),
    ]
    result = Engine(catalog, config).scan(resources, [catalog["SAN-LOC-001"], catalog["SAN-LOC-002"]],
                                          today=dt.date(2026, 11, 1))
    got = {(f.control_id, f.resource.id): (f.status, f.message_en, f.message_ja) for f in result.findings}
    assert got[("SAN-LOC-001", "g")] == (
        "PASS", "region asia-northeast1 (country JP) is an allowed region",
        "リージョン asia-northeast1(国: JP)は許可されたリージョンです")
    assert got[("SAN-LOC-001", "a")] == (
        "FAIL", "region us-east-1 (country US) is outside the allowed regions (ap-northeast-1)",
        "リージョン us-east-1(国: US)は許可されたリージョン(ap-northeast-1)の外にあります")
    status, en, ja = got[("SAN-LOC-002", "a")]
    assert status == "FAIL" and "replication b2 (region eu-west-1, country IE)" in en and "(リージョン eu-west-1、国 IE)" in ja
