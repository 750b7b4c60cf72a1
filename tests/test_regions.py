"""Regions in one spelling (issue 15 item 2): applied when a resource is built, so the Rego rules
and the Python side (the region table's country) read the same string.

Before, Rego removed every space (``ap-north east-1`` passed SAN-LOC-001) while Python removed
them for Azure only (the same resource had no country: "country unknown").
"""

from __future__ import annotations

import json
from pathlib import Path

from sansho.policies.catalog import load_catalog
from sansho.policies.engine.core import Engine
from sansho.policies.engine.rego import rego_files
from sansho.policies.inventory import parse_inventory_bytes

from .support.regopy_backend import RegopyBackend

REGIONS = [
    {"id": "upper", "kind": "storage.bucket", "provider": "aws", "region": "AP-NORTHEAST-1"},
    {"id": "inner-space", "kind": "storage.bucket", "provider": "aws", "region": "ap-north east-1"},
    {"id": "display-name", "kind": "storage.bucket", "provider": "azure", "region": "Japan East"},
    {"id": "typo", "kind": "storage.bucket", "provider": "aws", "region": "ap-nrotheast-1"},
]


def _verdicts(engine: Engine, resources, control) -> dict[str, tuple[str, str]]:
    return {f.resource.id: (f.status, f.message_en) for f in engine.scan(resources, [control]).findings}


def test_regions_have_one_spelling_and_one_verdict_in_rego_and_python():
    inv = parse_inventory_bytes(Path("r.json"),
                                json.dumps({"schema_version": "1.0", "resources": REGIONS}).encode())
    by_id = {r.id: r for r in inv.resources}
    assert {i: (r.region, r.country) for i, r in by_id.items()} == {
        "upper": ("ap-northeast-1", "JP"), "inner-space": ("ap-northeast-1", "JP"),
        "display-name": ("japaneast", "JP"), "typo": ("ap-nrotheast-1", None)}
    regorus = Engine(load_catalog())
    control = regorus.catalog["SAN-LOC-001"]
    regopy = Engine(load_catalog())
    files = [f for f in rego_files() if f.package in ("sansho.lib", "sansho.storage_location")]
    regopy.backend = RegopyBackend(files, {"sansho": {"controls": regopy.catalog.rego_data()}})
    got = _verdicts(regorus, inv.resources, control)
    assert got == _verdicts(regopy, inv.resources, control)
    assert got["upper"] == got["inner-space"] == (
        "PASS", "region ap-northeast-1 (country JP) is an allowed region")
    assert got["display-name"] == ("PASS", "region japaneast (country JP) is an allowed region")
    assert got["typo"][0] == "FAIL" and "(country unknown)" in got["typo"][1]


def test_allowed_regions_from_sansho_yaml_are_spelled_the_same_way():
    data = load_catalog().rego_data({"SAN-LOC-001": {"allowed_regions": {"azure": ["Japan East"], "aws": ["AP-NORTHEAST-3"]}}})
    assert data["SAN-LOC-001"]["params"]["allowed_regions"] == {"azure": ["japaneast"], "aws": ["ap-northeast-3"]}
