"""The Rego side of the engine: the policy tree, its annotations, and two backends.

* :class:`RegorusBackend` (default) evaluates in-process with regorus.
* :class:`OpaBackend` sends the same input to an OPA server through opa-python-client.

regorus has no ``rego.metadata.rule()``, so the ``# METADATA`` blocks that tie a rule to its
control are read here, in Python, with a YAML parser, and the Rego stays plain OPA Rego v1.
"""

from __future__ import annotations

import json
import os
import re
import threading
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


def regorus_error_line(text: str) -> str:
    """regorus reports `--> file:line:col`, a source excerpt, `error: …` and a Rust backtrace;
    users need the location and the error, on one line."""
    lines = [ln.strip() for ln in text.strip().splitlines()]
    where = next((ln.removeprefix("-->").strip() for ln in lines if ln.startswith("-->")), "")
    what = next((ln for ln in lines if ln.startswith("error:")), lines[0] if lines else "evaluation failed")
    return f"{where}: {what}" if where else what


def rule_packages(files: Iterable[RegoFile]) -> list[str]:
    """Packages that define verdicts (everything but the library and the tests)."""
    return sorted({f.package for f in files if not f.is_test and f.package != "sansho.lib"})


class RegorusBackend:
    """regorus, in-process.

    On a large inventory the packages are split between this process and forked workers
    (``SANSHO_WORKERS``, default: the CPU count, at most 4). Threads would not help: the
    regorus binding holds the GIL while it evaluates, and its engines may not cross threads
    (the binding panics): each thread that scans gets its own compiled engine, so one backend
    serves a threaded server (the Pulumi analyzer, say). A forked child inherits the policies and
    the input without copying them, and sends back only its verdicts.
    """

    name = "regorus"
    PARALLEL_MIN_BYTES = 2_000_000  # below this, forking costs more than it saves

    def __init__(self, files: list[RegoFile], data: dict[str, Any], workers: int | None = None):
        import regorus

        self._regorus = regorus
        self._files = [f for f in files if not f.is_test]
        self._data = json.dumps(data)
        self._packages = rule_packages(files)
        env = os.environ.get("SANSHO_WORKERS", "")
        wanted = workers or (int(env) if env.isdigit() else (os.cpu_count() or 1))
        self.workers = max(1, min(wanted, 4, len(self._packages) or 1))
        self._local = threading.local()
        self._local.engine = self._new_engine()  # compiled now, so a broken policy fails before any scan

    @property
    def _engine(self) -> Any:
        engine = getattr(self._local, "engine", None)
        if engine is None:
            engine = self._local.engine = self._new_engine()
        return engine

    def _new_engine(self):
        engine = self._regorus.Engine()
        for f in self._files:
            engine.add_policy(str(f.path), f.text)
        engine.add_data_json(self._data)
        return engine

    def _evaluate(self, engine, packages: list[str]) -> tuple[list[dict[str, Any]], dict[str, str]]:
        out: list[dict[str, Any]] = []
        errors: dict[str, str] = {}
        for pkg in packages:
            try:
                # eval_rule would hand back a Python set of dicts, which cannot exist.
                result = json.loads(engine.eval_rule_as_json(f"data.{pkg}.verdicts"))
            except RuntimeError as e:
                errors[pkg] = regorus_error_line(str(e))
                continue
            if result:
                out.extend(result)
        return out, errors

    def verdicts(self, input_json: str, weights: dict[str, int] | None = None
                 ) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """All verdicts, and the packages whose evaluation failed with the first line of why.

        ``weights`` (package → number of verdicts expected) balances the workers' shares.
        """
        import multiprocessing as mp

        # A package none of whose controls applies to any resource cannot give a verdict.
        packages = [p for p in self._packages if weights is None or weights.get(p, 1) > 0]
        if self.workers == 1 or len(input_json) < self.PARALLEL_MIN_BYTES or "fork" not in mp.get_all_start_methods():
            self._engine.set_input_json(input_json)
            return self._evaluate(self._engine, packages)
        shares: list[list[str]] = [[] for _ in range(self.workers)]
        load = [0] * self.workers
        for pkg in sorted(packages, key=lambda p: -(weights or {}).get(p, 1)):
            i = load.index(min(load))  # greedy: the lightest share takes the next heaviest package
            shares[i].append(pkg)
            load[i] += (weights or {}).get(pkg, 1)
        ctx = mp.get_context("fork")
        children = []
        for share in shares[1:]:
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=self._child, args=(share, input_json, send), daemon=True)
            proc.start()
            send.close()
            children.append((proc, recv, share))
        self._engine.set_input_json(input_json)
        out, errors = self._evaluate(self._engine, shares[0])
        for proc, recv, share in children:
            try:
                got_out, got_errors = json.loads(recv.recv_bytes())
            except EOFError:  # the worker died (killed, out of memory): its packages judged nothing
                got_out, got_errors = [], {pkg: f"worker process exited with code {proc.exitcode}" for pkg in share}
            proc.join()
            out.extend(got_out)
            errors.update(got_errors)
        return out, errors

    def _child(self, packages: list[str], input_json: str, conn) -> None:
        engine = self._new_engine()
        engine.set_input_json(input_json)
        conn.send_bytes(json.dumps(self._evaluate(engine, packages)).encode())
        conn.close()


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

    def verdicts(self, input_json: str, weights: dict[str, int] | None = None
                 ) -> tuple[list[dict[str, Any]], dict[str, str]]:
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
