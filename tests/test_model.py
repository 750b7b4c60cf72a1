"""The normalized model: countries from the region table, strictness, the inventory format."""

from __future__ import annotations

import json

import jsonschema
import pytest

from sansho.policies.errors import InputError
from sansho.policies.inventory import inventory_json_schema, load_inventories, load_inventory
from sansho.policies.model import ObjectStorage
from sansho.policies.regions import MULTI, country_of


@pytest.mark.parametrize("provider,region,country", [
    ("aws", "ap-northeast-1", "JP"), ("aws", "ap-northeast-3", "JP"), ("aws", "us-east-1", "US"),
    ("azure", "japaneast", "JP"), ("azure", "Japan West", "JP"), ("gcp", "asia-northeast1", "JP"),
    ("gcp", "ASIA1", "JP"), ("gcp", "ASIA", MULTI), ("gcp", "US", MULTI), ("gcp", "eu", MULTI),
    ("aws", "mars-central-1", None), ("gcp", None, None),
])
def test_country_of(provider, region, country):
    assert country_of(provider, region) == country


def test_country_derived_for_cloud_and_destinations():
    b = ObjectStorage.model_validate_json(json.dumps({
        "id": "b", "provider": "aws", "region": "ap-northeast-1", "country": "US",
        "destinations": [{"relation": "replication", "region": "us-west-2"}]}))
    assert b.country == "JP"  # derived, never trusted from input for cloud resources
    assert b.destinations[0].country == "US"


def write(tmp_path, name, doc):
    p = tmp_path / name
    p.write_text(json.dumps(doc) if not isinstance(doc, str) else doc)
    return p


def test_inventory_errors_name_file_and_field(tmp_path):
    cases = {
        "version.json": ({"schema_version": "0.9", "resources": []}, "field 'schema_version' is '0.9'"),
        "noversion.json": ({"resources": []}, "field 'schema_version' is missing"),
        "kind.json": ({"schema_version": "1.0", "resources": [{"id": "x", "kind": "vm", "provider": "aws"}]},
                      "field 'resources[0](id=x).kind': unknown resource kind 'vm'"),
        "type.json": ({"schema_version": "1.0", "resources": [
            {"id": "x", "kind": "storage.bucket", "provider": "aws", "encrypted": "yes"}]},
            "field 'resources[0](id=x).encrypted': Input should be a valid boolean"),
        "extra.json": ({"schema_version": "1.0", "resources": [
            {"id": "x", "kind": "storage.bucket", "provider": "aws", "encryption": True}]},
            "field 'resources[0](id=x).encryption': Extra inputs are not permitted"),
        "broken.json": ('{"schema_version": "1.0", "resources": [', "malformed JSON"),
        "list.json": ([1, 2], "must be a JSON object"),
        "findings.json": ({"schema_version": "1.0", "tool_version": "0.1.0", "summary": {}, "findings": []},
                          "this is a scan result (sansho scan --format json), not an inventory"),
    }
    for name, (doc, expected) in cases.items():
        p = write(tmp_path, name, doc)
        with pytest.raises(InputError) as e:
            load_inventory(p)
        assert str(e.value).startswith(f"{p}: "), str(e.value)
        assert expected in str(e.value), str(e.value)
        assert "\n" not in str(e.value)


def test_yaml_inventory_and_duplicates(tmp_path):
    y = write(tmp_path, "a.yaml", "schema_version: '1.0'\nresources:\n  - {id: d, kind: device.host, provider: onprem,"
              " country: JP, last_patched: 2026-10-01}\n")
    assert load_inventory(y).resources[0].last_patched.isoformat() == "2026-10-01"
    j = write(tmp_path, "b.json", {"schema_version": "1.0", "resources": [
        {"id": "d", "kind": "device.host", "provider": "onprem"}]})
    with pytest.raises(InputError, match="already in"):
        load_inventories([y, j])


def test_inventory_json_schema_accepts_a_valid_file_and_rejects_unknown_kind():
    schema = json.loads(inventory_json_schema())
    jsonschema.validate({"schema_version": "1.0", "resources": [
        {"id": "b", "kind": "storage.bucket", "provider": "aws", "encrypted": True}]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"schema_version": "1.0", "resources": [{"id": "b", "kind": "nope", "provider": "aws"}]},
                            schema)
