"""An independent Rego implementation (rego-cpp through regopy) for the portability tests.

It is slow on big inputs, so it is used only on the small example inventories: a rule that
regorus and rego-cpp judge differently is a bug in the rule (or an engine), not a detail.
"""

from __future__ import annotations

import json
from typing import Any

from sansho.policies.engine.rego import RegoFile, VerdictRow, rule_packages, verdict_rows


class RegopyBackend:
    name = "regopy"

    def __init__(self, files: list[RegoFile], data: dict[str, Any]):
        import regopy

        # *_test.rego files stay out: rego-cpp 1.5.2 segfaults on `with input as …` over rules that
        # call functions reading input, which is how our unit tests are written. The examples
        # below use a plain input, so the portability check is still whole.
        self._files = [f for f in files if not f.is_test]
        self._data = json.dumps(data)
        self._packages = rule_packages(files)
        self._regopy = regopy

    def _interpreter(self, input_json: str):
        interp = self._regopy.Interpreter()
        for f in self._files:
            interp.add_module(str(f.path), f.text)
        interp.add_data_json(self._data)
        interp.set_input_term(input_json)
        return interp

    def query(self, input_json: str, query: str) -> Any:
        try:
            out = self._interpreter(input_json).query(f"x = {query}")
        except json.JSONDecodeError as e:
            raise AssertionError(
                f"rego-cpp produced invalid JSON for {query} ({e}). Known cause: sprintf('%s', [x]) where x is a "
                "string literal passed through a function parameter is rendered with quotes by rego-cpp 1.5; "
                "build such messages with concat() instead"
            ) from None
        text = str(out)
        if not out.ok():
            raise AssertionError(f"regopy failed on {query}: {text}")
        doc = json.loads(text)
        return doc.get("bindings", {}).get("x")

    def verdicts(self, input_json: str, weights=None) -> tuple[list[VerdictRow], dict[str, str]]:
        out: list[VerdictRow] = []
        strings: dict[str, str] = {}
        for pkg in self._packages:
            res = self.query(input_json, f"data.{pkg}.verdicts")
            out.extend(verdict_rows(res or [], strings))
        return out, {}
