"""`--engine opa`: the same verdicts from an OPA server as from the embedded regorus."""

from __future__ import annotations

import datetime as dt

from sansho.policies.engine.core import Engine

from .support.examples import example_paths, load_example
from .support.opa_server import OpaServer


def _statuses(result):
    return {(f.control_id, f.resource.id): f.status for f in result.findings}


def test_opa_push_then_same_verdicts_as_regorus(catalog):
    examples = [load_example(p) for p in example_paths()]
    resources, seen = [], set()
    for ex in examples:
        for r in ex.resources:
            if (r.kind, r.id) not in seen:
                seen.add((r.kind, r.id))
                resources.append(r)
    rego_controls = Engine(catalog).rego_controls
    controls = [c for c in catalog if c.id in rego_controls]
    today = dt.date(2026, 11, 1)
    with OpaServer() as opa:
        eng = Engine(catalog, engine="opa", opa_url=opa.url, opa_push=True)
        via_opa = eng.scan(resources, controls, today=today)
        methods = {m for m, _ in opa.state.requests}
        assert ("PUT", "/v1/data/sansho") in opa.state.requests
        assert any(p.startswith("/v1/policies/sansho/") for _, p in opa.state.requests)
        assert "POST" in methods
    via_regorus = Engine(catalog).scan(resources, controls, today=today)
    assert _statuses(via_opa) == _statuses(via_regorus)
    assert via_opa.engine == "opa"


def test_opa_without_policies_is_a_clear_error(catalog):
    import pytest

    from sansho.policies.errors import InputError
    from sansho.policies.model import ObjectStorage

    with OpaServer() as opa:
        eng = Engine(catalog, engine="opa", opa_url=opa.url)
        with pytest.raises(InputError, match="has no rule data.sansho.*load the bundle"):
            eng.scan([ObjectStorage(id="b", provider="aws", encrypted=True)], [catalog["SAN-ENC-001"]])
