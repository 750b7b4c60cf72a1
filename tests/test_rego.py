"""The Rego unit tests (``rego/**/*_test.rego``), run under regorus as ``opa test`` would."""

from __future__ import annotations

import json
import re

import pytest
import regorus

from sansho.policies.engine.rego import rego_files, rego_root

FILES = rego_files()
TESTS = [
    (f, name)
    for f in FILES
    if f.is_test
    for name in sorted(set(re.findall(r"^(test_\w+)\s", f.text, re.M)))
]


@pytest.fixture(scope="module")
def engine():
    e = regorus.Engine()
    for f in FILES:
        e.add_policy(str(f.path), f.text)
    e.set_input_json("{}")
    return e


def test_there_are_rego_tests():
    assert len(TESTS) >= 2


@pytest.mark.parametrize("f,name", TESTS, ids=[f"{f.package}.{n}" for f, n in TESTS])
def test_rego(engine, f, name):
    result = json.loads(engine.eval_rule_as_json(f"data.{f.package}.{name}"))
    assert result is True, f"{f.path.name}: {name} is {result!r}"


def test_every_rule_file_has_tests():
    tested = {f.package.removesuffix("_test") for f in FILES if f.is_test}
    rules = {f.package for f in FILES if not f.is_test and f.package != "sansho.lib"}
    assert rules <= tested, f"rule packages without *_test.rego: {sorted(rules - tested)}"


def test_package_path_mirrors_folder():
    root = rego_root()
    for f in FILES:
        folder = ".".join(f.path.parent.relative_to(root).parts)
        assert f.package.removesuffix("_test") == folder, (f.path, f.package)
