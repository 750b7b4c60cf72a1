"""Every automated control's examples, through every engine that implements the control.

The assertion is the exact set of resources per status, so a rule that passes an unreadable
resource, or fails a good one, is caught.
"""

from __future__ import annotations

import pytest

from sansho.policies.catalog import load_catalog
from sansho.policies.engine.core import Engine
from sansho.policies.engine.rego import rego_files, rule_annotations

from .support.examples import example_paths, load_example
from .support.regopy_backend import RegopyBackend

EXAMPLES = example_paths()
REGO_PACKAGE = {a.control_id: a.package for a in rule_annotations(rego_files())}
REGO_CONTROLS = set(REGO_PACKAGE)


def _statuses(result) -> dict[str, set[str]]:
    got: dict[str, set[str]] = {}
    for f in result.findings:
        got.setdefault(f.status, set()).add(f.resource.id)
    return got


@pytest.fixture(scope="module")
def regorus_engine():
    return Engine(load_catalog())


@pytest.fixture(scope="module")
def regopy_engine():
    eng = Engine(load_catalog())
    eng.engine_name = "regopy"
    return eng


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_regorus_and_python(path, regorus_engine):
    ex = load_example(path)
    control = regorus_engine.catalog[ex.control_id]
    result = regorus_engine.scan(ex.resources, [control], today=ex.as_of)
    assert _statuses(result) == ex.expect, [(f.resource.id, f.status, f.message_en) for f in result.findings]


@pytest.mark.parametrize(
    "path", [p for p in EXAMPLES if p.stem in REGO_CONTROLS], ids=[p.stem for p in EXAMPLES if p.stem in REGO_CONTROLS]
)
def test_example_regopy_agrees(path, regopy_engine):
    ex = load_example(path)
    control = regopy_engine.catalog[ex.control_id]
    # rego-cpp is slow to compile: give it only the library and this control's package.
    files = [f for f in rego_files() if f.package in ("sansho.lib", REGO_PACKAGE[ex.control_id])]
    regopy_engine.backend = RegopyBackend(files, {"sansho": {"controls": regopy_engine.catalog.rego_data()}})
    result = regopy_engine.scan(ex.resources, [control], today=ex.as_of)
    assert _statuses(result) == ex.expect, [(f.resource.id, f.status, f.message_en) for f in result.findings]
