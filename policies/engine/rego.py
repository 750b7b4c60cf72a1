"""The Rego side of the engine: the policy tree, its annotations, and two backends.

* :class:`RegorusBackend` (default) evaluates in-process with regorus.
* :class:`OpaBackend` sends the same input to an OPA server through opa-python-client.

regorus has no ``rego.metadata.rule()``, so the ``# METADATA`` blocks that tie a rule to its
control are read here, in Python, with a YAML parser, and the Rego stays plain OPA Rego v1.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError

_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.M)


@dataclass(frozen=True)
class RegoFile:
    path: Path
    package: str
    text: str

    @property
    def is_test(self) -> bool:
        return self.path.name.endswith("_test.rego")


@dataclass(frozen=True)
class RegoRuleRef:
    control_id: str
    package: str
    path: Path
    line: int
    title: str | None


def rego_root() -> Path:
    return Path(str(resources.files("sansho.rego")))


def rego_files(root: Path | None = None) -> list[RegoFile]:
    root = root or rego_root()
    out = []
    for p in sorted(root.rglob("*.rego")):
        text = p.read_text(encoding="utf-8")
        m = _PACKAGE.search(text)
        if not m:
            raise InputError(f"{p}: no package declaration")
        out.append(RegoFile(p, m.group(1), text))
    return out


def rule_annotations(files: Iterable[RegoFile]) -> list[RegoRuleRef]:
    """Each ``# METADATA`` block with ``custom.control``, and the rule line it annotates."""
    refs = []
    for f in files:
        if f.is_test:
            continue
        lines = f.text.splitlines()
        i = 0
        while i < len(lines):
            if lines[i].strip() != "# METADATA":
                i += 1
                continue
            start = i
            block = []
            i += 1
            while i < len(lines) and lines[i].lstrip().startswith("#"):
                block.append(re.sub(r"^\s*# ?", "", lines[i]))
                i += 1
            try:
                meta = yaml.safe_load("\n".join(block)) or {}
            except yaml.YAMLError as e:
                raise InputError(f"{f.path}:{start + 1}: malformed METADATA block: {e}") from None
            control = (meta.get("custom") or {}).get("control")
            if control:
                refs.append(RegoRuleRef(control, f.package, f.path, i + 1, meta.get("title")))
    return refs


def rule_packages(files: Iterable[RegoFile]) -> list[str]:
    """Packages that define verdicts (everything but the library and the tests)."""
    return sorted({f.package for f in files if not f.is_test and f.package != "sansho.lib"})


class RegorusBackend:
    name = "regorus"

    def __init__(self, files: list[RegoFile], data: dict[str, Any]):
        import regorus

        self._engine = regorus.Engine()
        for f in files:
            if not f.is_test:
                self._engine.add_policy(str(f.path), f.text)
        self._engine.add_data_json(json.dumps(data))
        self._packages = rule_packages(files)

    def verdicts(self, input_json: str) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """All verdicts, and the packages whose evaluation failed with the first line of why."""
        self._engine.set_input_json(input_json)
        out: list[dict[str, Any]] = []
        errors: dict[str, str] = {}
        for pkg in self._packages:
            try:
                # eval_rule would hand back a Python set of dicts, which cannot exist.
                result = json.loads(self._engine.eval_rule_as_json(f"data.{pkg}.verdicts"))
            except RuntimeError as e:
                errors[pkg] = str(e).strip().splitlines()[0] if str(e).strip() else "evaluation failed"
                continue
            if result:
                out.extend(result)
        return out, errors


class OpaBackend:
    """Evaluates against an OPA server. With ``push=True`` it first loads our policies and
    catalog data into the server (``PUT /v1/policies``, ``PUT /v1/data``); otherwise it
    expects the server to run the bundle from ``sansho rego bundle``."""

    name = "opa"

    def __init__(self, files: list[RegoFile], data: dict[str, Any], url: str, push: bool = False,
                 timeout: float = 120.0):
        from urllib.parse import urlparse

        from opa_client import OpaClient

        u = urlparse(url)
        if u.scheme not in ("http", "https") or not u.hostname:
            raise InputError(f"--opa-url: {url!r} is not an http(s) URL")
        port = u.port or (443 if u.scheme == "https" else 80)
        self._url = url
        self._client = OpaClient(host=u.hostname, port=port, ssl=u.scheme == "https", timeout=timeout)
        self._packages = rule_packages(files)
        if push:
            self._call(lambda: self._client.update_or_create_data(data["sansho"], "sansho"))
            for f in files:
                if not f.is_test:
                    pid = f.package.replace(".", "/")
                    self._call(lambda f=f, pid=pid: self._client.update_policy_from_string(f.text, pid, rego_compat=False))

    def _call(self, fn):
        import requests

        try:
            return fn()
        except requests.ConnectionError:
            raise InputError(f"--opa-url: cannot connect to OPA at {self._url}") from None
        except requests.HTTPError as e:
            raise InputError(f"--opa-url: OPA at {self._url} answered {e.response.status_code}: {e.response.text[:200]}") from None
        except Exception as e:  # opa_client raises its own error classes for rejected policies
            raise InputError(f"--opa-url: OPA at {self._url} refused the request: {e}") from None

    def verdicts(self, input_json: str) -> tuple[list[dict[str, Any]], dict[str, str]]:
        doc = json.loads(input_json)
        out: list[dict[str, Any]] = []
        for pkg in self._packages:
            res = self._call(lambda pkg=pkg: self._client.query_rule(doc, pkg, "verdicts"))
            if "result" not in res:
                raise InputError(
                    f"--opa-url: OPA at {self._url} has no rule data.{pkg}.verdicts; load the bundle from "
                    "`sansho rego bundle` or pass --opa-push"
                )
            out.extend(res["result"])
        return out, {}
