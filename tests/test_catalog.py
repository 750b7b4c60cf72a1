"""Meta-tests over the catalog: what every control must have, and that rules and controls meet."""

from __future__ import annotations

import re

import pytest

from sansho.policies.catalog import FAMILIES, ID_PATTERN, catalog_dir
from sansho.policies.engine.rego import rego_files, rule_annotations
from sansho.policies.rules.registry import python_rules

from .support.examples import example_paths, load_example

REGO_REFS = rule_annotations(rego_files())
PY_RULES = python_rules()
CODES = {
    "storage-location": "LOC", "jurisdiction": "JUR", "encryption": "ENC", "network": "NET",
    "access-control": "IAM", "logging": "LOG", "backup": "BKP", "malware": "MAL", "vendor": "VEN",
    "physical": "PHY", "operations": "OPS", "records": "REC", "provider": "PRV",
}


def test_at_least_45_controls_in_every_family(catalog):
    assert len(catalog) >= 45
    assert {c.family for c in catalog} == set(FAMILIES)


def test_ids_unique_and_match_files(catalog):
    files = sorted(p.stem for p in catalog_dir().glob("SAN-*.yaml"))
    assert files == sorted(catalog.controls)
    for c in catalog:
        assert re.fullmatch(ID_PATTERN, c.id)
        assert c.id.split("-")[1] == CODES[c.family], f"{c.id} is in family {c.family}"


def test_both_languages_and_source(catalog):
    for c in catalog:
        for text in (c.title, c.description, c.remediation):
            assert text.ja.strip() and text.en.strip()
            # Japanese text must actually be Japanese.
            assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text.ja), f"{c.id}: ja text has no Japanese"
        # The primary source is the first record; tests/test_catalog_citations.py checks the citations.
        assert c.sources and c.source is c.sources[0] and c.source.role == "primary" and c.source.section


def test_attestation_controls_apply_to_attestations(catalog):
    for c in catalog:
        if c.check == "attestation":
            assert c.applies_to == ["attestation"], c.id


def test_every_automated_control_is_implemented(catalog):
    implemented = {r.control_id for r in REGO_REFS} | {r.control_id for r in PY_RULES}
    missing = [c.id for c in catalog if c.check == "automated" and c.id not in implemented]
    assert not missing, f"automated controls with no rule: {missing}"


def test_every_rule_names_a_known_automated_control(catalog):
    for ref in REGO_REFS:
        assert ref.control_id in catalog, f"{ref.path}:{ref.line} names unknown control {ref.control_id}"
        assert catalog[ref.control_id].check == "automated"
    for pr in PY_RULES:
        assert pr.control_id in catalog, f"{pr.name} names unknown control {pr.control_id}"
        assert catalog[pr.control_id].check == "automated"


def test_a_control_has_one_implementation():
    # One rule per control: never a Rego and a Python twin.
    rego = {r.control_id for r in REGO_REFS}
    py = {r.control_id for r in PY_RULES}
    assert not rego & py, f"implemented twice: {sorted(rego & py)}"


def test_every_automated_control_has_examples(catalog):
    have = {p.stem for p in example_paths()}
    missing = [c.id for c in catalog if c.check == "automated" and c.id not in have]
    assert not missing, f"automated controls without examples: {missing}"
    extra = have - {c.id for c in catalog if c.check == "automated"}
    assert not extra, f"examples for unknown or attestation controls: {sorted(extra)}"


@pytest.mark.parametrize("path", example_paths(), ids=[p.stem for p in example_paths()])
def test_examples_cover_pass_fail_unknown(path, catalog):
    ex = load_example(path)
    for status in ("PASS", "FAIL", "UNKNOWN"):
        assert ex.expect.get(status), f"{path.name}: no {status} example"
    listed = [i for ids in ex.expect.values() for i in ids]
    assert len(listed) == len(set(listed)), f"{path.name}: a resource is expected under two statuses"
    kinds = set(catalog[ex.control_id].applies_to)
    applicable = {r.id for r in ex.resources if r.kind in kinds}
    assert set(listed) == applicable, f"{path.name}: expect must list exactly the applicable resources"


def test_parameters_have_defaults_the_rules_can_read(catalog):
    for c in catalog:
        for name, value in c.parameters.items():
            assert value is not None, f"{c.id}.{name} has no default"


def test_exported_control_schema_is_current():
    """policies/catalog/control.schema.json is what editors validate the YAML with
    (`# yaml-language-server: $schema=control.schema.json`); it must match the model."""
    import json

    from sansho.policies.catalog import catalog_json_schema

    committed = json.loads((catalog_dir() / "control.schema.json").read_text(encoding="utf-8"))
    assert committed == json.loads(catalog_json_schema()), "run: sansho schema catalog -o policies/catalog/control.schema.json"


def test_every_control_validates_against_the_exported_schema(catalog):
    import json

    import jsonschema
    import yaml

    schema = json.loads((catalog_dir() / "control.schema.json").read_text(encoding="utf-8"))
    for path in sorted(catalog_dir().glob("SAN-*.yaml")):
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)
