"""The count evaluator: the forms teams write, and nothing outside the whitelist."""

from __future__ import annotations

import pytest

from sansho.collectors.iac.tfexpr import NON_NULL, Undecidable, evaluate_count

VARS = {"replica": None, "arn": NON_NULL, "enabled": True, "names": ["a", "b"], "env": "prod", "n": 3}


def lookup(kind: str, name: str):
    if name not in VARS:
        raise Undecidable(name)
    return VARS[name]


@pytest.mark.parametrize("expr,expected", [
    (["${var.replica == None ? 0 : 1}"], 0),
    ("${var.replica != null ? 1 : 0}", 0),
    ("${var.arn == null ? 0 : 1}", 1),
    ("${var.enabled ? 1 : 0}", 1),
    ("${!var.enabled ? 1 : 0}", 0),
    ("${var.env == \"prod\" && var.enabled ? 2 : 0}", 2),
    ("${length(var.names)}", 2),
    ("${var.n}", 3),
    ([1], 1),
    (0, 0),
])
def test_supported_forms(expr, expected):
    assert evaluate_count(expr, lookup) == expected


@pytest.mark.parametrize("expr", [
    "${var.unknown ? 1 : 0}",
    "${__import__('os').system('true')}",
    "${var.arn == \"x\" ? 1 : 0}",
    "${length(data.aws_subnets.all.ids)}",
    "${var.env}",
])
def test_undecidable(expr):
    with pytest.raises(Undecidable):
        evaluate_count(expr, lookup)
