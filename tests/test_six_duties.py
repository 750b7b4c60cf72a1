"""The 6.0 duties of issue #17 part 1, judged end to end through the engine.

The examples files pin each control's statuses; these tests pin what only a whole scan shows:
parameters from sansho.yaml, a verdict that depends on other resources (an IoT device and the
networks register), and that an attested 「相当する対応」 never turns a missing second factor
into a pass.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sansho.policies.catalog import load_catalog
from sansho.policies.config import Config
from sansho.policies.engine.core import Engine
from sansho.policies.model import Attestation, Device, IdentityUser, NetworkSegment

from .support.cli import run

TODAY = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def judged(catalog, resources, control, config=None):
    result = Engine(catalog, config).scan(resources, controls=[catalog[control]], today=TODAY)
    return {f.resource.id: (f.status, f.message_en) for f in result.findings}


def test_unused_days_come_from_sansho_yaml(catalog):
    users = [IdentityUser(id="u45", provider="onprem", last_used=dt.date(2026, 9, 17)),
             IdentityUser(id="u44", provider="onprem", last_used=dt.date(2026, 9, 18))]
    default = judged(catalog, users, "SAN-IAM-013")
    assert {k: v[0] for k, v in default.items()} == {"u45": "PASS", "u44": "PASS"}
    strict = judged(catalog, users, "SAN-IAM-013", Config(parameters={"SAN-IAM-013": {"max_unused_days": 44}}))
    assert strict["u45"] == ("FAIL", "the account was last used on 2026-09-17, 45 days ago (more than 44)")
    assert strict["u44"][0] == "PASS"


def test_iot_device_without_a_networks_register_is_unknown(catalog):
    cam = Device(id="cam", provider="onprem", device_type="iot", owner="施設管理課", network_segment="onprem:segment:v90")
    assert judged(catalog, [cam], "SAN-OPS-009") == {"cam": (
        "UNKNOWN", "no network segment was read (networks register), so the IoT device's network cannot be judged")}
    seg = NetworkSegment(id="onprem:segment:v10", provider="onprem", zone="medical")
    assert judged(catalog, [cam, seg], "SAN-OPS-009")["cam"] == (
        "FAIL", "the IoT device is connected to onprem:segment:v90, which is not in the networks register")


def test_an_attested_equivalent_measure_is_not_a_pass(catalog):
    user = IdentityUser(id="onprem:account:uketsuke", provider="onprem", console_access=True,
                        auth_factors=["password"])
    att = Attestation(id="onprem:attestation:SAN-IAM-012", provider="onprem", control_id="SAN-IAM-012",
                      answer="yes", attested_by="情報システム課長", attested_on=dt.date(2026, 4, 1),
                      review_period_days=365, evidence="受付端末は固定 IP の登録端末からのみ利用")
    result = Engine(catalog).scan([user, att], controls=[catalog["SAN-IAM-003"], catalog["SAN-IAM-012"]],
                                  today=TODAY)
    by = {(f.control_id, f.resource.id): f for f in result.findings}
    fail = by[("SAN-IAM-003", "onprem:account:uketsuke")]
    assert fail.status == "FAIL"
    assert fail.message_en == (
        "the user signs in with password: not two factors of different kinds (knowledge, possession, inherence); "
        "システム運用編 14: a system expected to be running in 令和9年度 (FY2027) must adopt two-factor "
        "authentication, or an equivalent measure (attest it under SAN-IAM-012), when it is introduced or renewed")
    assert by[("SAN-IAM-012", "onprem:attestation:SAN-IAM-012")].status == "MANUAL"


def test_controls_lists_the_new_controls_with_their_citations():
    proc = run("controls", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    rows = doc["controls"] if isinstance(doc, dict) else doc
    by = {c["id"]: c for c in rows}
    new = ["SAN-IAM-012", "SAN-IAM-013", "SAN-IAM-014", "SAN-IAM-015", "SAN-PHY-006", "SAN-NET-010",
           "SAN-OPS-007", "SAN-OPS-008", "SAN-OPS-009", "SAN-LOG-008", "SAN-REC-006", "SAN-REC-007",
           "SAN-REC-008", "SAN-BKP-011", "SAN-BKP-012", "SAN-VEN-011", "SAN-VEN-012", "SAN-VEN-013"]
    assert set(new) <= set(by)
    assert "システム運用編 14 ⑧ c" in str(by["SAN-REC-006"])
