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


# A verdict as the engine keeps it: (control, kind, id, status, en, ja). A large estate has
# hundreds of thousands; a dict each, and a fresh copy of a message that is the same for every
# resource a rule fails the same way, were most of a scan's memory.
VerdictRow = tuple[str, str, str, str, str, str]
VERDICT_FIELDS = ("control", "kind", "id", "status", "en", "ja")


def verdict_rows(verdicts: Iterable[Any], strings: dict[str, str]) -> list[VerdictRow]:
    """Rego's verdict objects (or the same as lists) as rows, each repeated string stored once in
    ``strings``. A verdict whose status or messages are not strings is a rule bug and becomes an
    ERROR; one that does not even name its control, kind and resource is dropped, and the engine
    judges that resource UNKNOWN (no verdict is never a pass)."""
    one = strings.setdefault
    rows: list[VerdictRow] = []
    for v in verdicts:
        fields = [v.get(k) for k in VERDICT_FIELDS] if isinstance(v, dict) else v
        if not isinstance(fields, list | tuple) or len(fields) != 6:
            continue
        control, kind, rid, status, en, ja = fields
        # (isinstance each, not all() over a generator: this runs once per verdict)
        if not (isinstance(control, str) and isinstance(kind, str) and isinstance(rid, str)):
            continue
        if not (isinstance(status, str) and isinstance(en, str) and isinstance(ja, str)):
            status, en, ja = "ERROR", f"rule returned a malformed verdict: {str(v)[:200]}", \
                f"ルールが不正な形式の判定を返しました: {str(v)[:200]}"
        rows.append((one(control, control), one(kind, kind), rid, one(status, status), one(en, en), one(ja, ja)))
    return rows


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

    def _evaluate_one(self, engine, pkg: str) -> tuple[list[Any], str | None]:
        """One package's verdicts as JSON-ready lists, or why it could not be evaluated."""
        try:
            # eval_rule would hand back a Python set of dicts, which cannot exist.
            result = json.loads(engine.eval_rule_as_json(f"data.{pkg}.verdicts"))
        except RuntimeError as e:
            return [], regorus_error_line(str(e))
        return [[v.get(k) for k in VERDICT_FIELDS] if isinstance(v, dict) else v for v in result or ()], None

    def _evaluate(self, engine, packages: list[str], out: list[VerdictRow], errors: dict[str, str],
                  strings: dict[str, str]) -> None:
        for pkg in packages:
            got, why = self._evaluate_one(engine, pkg)
            if why is not None:
                errors[pkg] = why
            out.extend(verdict_rows(got, strings))

    def verdicts(self, input_json: str, weights: dict[str, int] | None = None
                 ) -> tuple[list[VerdictRow], dict[str, str]]:
        """All verdicts (:data:`VerdictRow`), and the packages whose evaluation failed with the first
        line of why.

        ``weights`` (package → number of verdicts expected) balances the workers' shares.
        """
        import multiprocessing as mp

        # A package none of whose controls applies to any resource cannot give a verdict.
        packages = [p for p in self._packages if weights is None or weights.get(p, 1) > 0]
        out: list[VerdictRow] = []
        errors: dict[str, str] = {}
        strings: dict[str, str] = {}
        if self.workers == 1 or len(input_json) < self.PARALLEL_MIN_BYTES or "fork" not in mp.get_all_start_methods():
            self._engine.set_input_json(input_json)
            self._evaluate(self._engine, packages, out, errors, strings)
            return out, errors
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
        self._evaluate(self._engine, shares[0], out, errors, strings)
        for proc, recv, share in children:
            for pkg in share:  # one message per package: only one package's verdicts are ever parsed at once
                try:
                    got, why = json.loads(recv.recv_bytes())
                except EOFError:  # the worker died (killed, out of memory): what is left judged nothing
                    proc.join()
                    errors[pkg] = f"worker process exited with code {proc.exitcode}"
                    continue
                if why is not None:
                    errors[pkg] = why
                out.extend(verdict_rows(got, strings))
            proc.join()
        return out, errors

    def _child(self, packages: list[str], input_json: str, conn) -> None:
        engine = self._new_engine()
        engine.set_input_json(input_json)
        for pkg in packages:
            conn.send_bytes(json.dumps(self._evaluate_one(engine, pkg)).encode())
        conn.close()


OPA_TOKEN_ENV = "SANSHO_OPA_TOKEN"


def _loopback(host: str) -> bool:
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class OpaBackend:
    """Evaluates against an OPA server. With ``push=True`` it first loads our policies and
    catalog data into the server (``PUT /v1/policies``, ``PUT /v1/data``); otherwise it
    expects the server to run the bundle from ``sansho rego bundle``.

    The URL's path is kept (an OPA behind a reverse proxy at ``/opa/`` is queried at
    ``/opa/v1/data/…``). It must be https, except on a loopback address (OPA's usual sidecar
    listens on 127.0.0.1:8181 over http; the traffic never leaves the host) or with
    ``insecure=True`` (``--opa-insecure``). A bearer token is read from ``SANSHO_OPA_TOKEN`` and
    never sent over plain http to another host. The answer is checked against the question: a
    verdict for a control or resource that was not asked makes the package's controls ERROR, and
    every control/resource pair the answer leaves out is ERROR, never a silent pass."""

    name = "opa"

    def __init__(self, files: list[RegoFile], data: dict[str, Any], url: str, push: bool = False,
                 timeout: float = 120.0, insecure: bool = False):
        from urllib.parse import urlsplit

        from opa_client import OpaClient

        from ..redact import redact_url

        self._url = redact_url(url)
        try:
            u = urlsplit(url)
            port = u.port or (443 if u.scheme == "https" else 80)
        except ValueError as e:
            raise InputError(f"--opa-url: {self._url}: {e}") from None
        if u.scheme not in ("http", "https") or not u.hostname:
            raise InputError(f"--opa-url: {self._url!r} is not an http(s) URL")
        if u.username is not None or u.password is not None:
            raise InputError(f"--opa-url: {self._url}: credentials in the URL are not sent; put a bearer token in "
                             f"{OPA_TOKEN_ENV}")
        if u.query or u.fragment:
            raise InputError(f"--opa-url: {self._url}: give the server's base URL, without a query or fragment")
        token = os.environ.get(OPA_TOKEN_ENV, "").strip() or None
        if u.scheme == "http" and not _loopback(u.hostname):
            if not insecure:
                raise InputError(f"--opa-url: {self._url}: plain http to a host that is not this machine sends the "
                                 "inventory unencrypted; use https, or pass --opa-insecure")
            if token:
                raise InputError(f"--opa-url: {self._url}: {OPA_TOKEN_ENV} is not sent over plain http to another "
                                 "host; use https")
        host = f"[{u.hostname}]" if ":" in u.hostname else u.hostname
        base = u.path.strip("/")
        # opa-python-client builds <scheme>://<host>:<port>/<version>/…: the proxy path goes first
        self._client = OpaClient(host=host, port=port, ssl=u.scheme == "https", timeout=timeout, token=token,
                                 version=f"{base}/v1" if base else "v1")
        self._packages = rule_packages(files)
        self._package_controls: dict[str, set[str]] = {}
        for ref in rule_annotations(files):
            self._package_controls.setdefault(ref.package, set()).add(ref.control_id)
        self._applies_to = {cid: spec.get("applies_to", []) for cid, spec in data["sansho"]["controls"].items()}
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
        except requests.exceptions.SSLError as e:
            reason = str(e.args[0] if e.args else e).splitlines()[0][-200:]
            raise InputError(f"--opa-url: TLS with OPA at {self._url} failed: {reason}") from None
        except requests.ConnectionError:
            raise InputError(f"--opa-url: cannot connect to OPA at {self._url}") from None
        except requests.HTTPError as e:
            raise InputError(f"--opa-url: OPA at {self._url} answered {e.response.status_code}: {e.response.text[:200]}") from None
        except ValueError:  # a body that is not JSON
            raise InputError(f"--opa-url: {self._url} did not answer with JSON; is it an OPA server?") from None
        except Exception as e:  # opa_client raises its own error classes for rejected policies
            raise InputError(f"--opa-url: OPA at {self._url} refused the request: {e}") from None

    def verdicts(self, input_json: str, weights: dict[str, int] | None = None
                 ) -> tuple[list[VerdictRow], dict[str, str]]:
        doc = json.loads(input_json)
        asked = {kind: [r["id"] for r in items] for kind, items in doc["resources"].items()}
        out: list[VerdictRow] = []
        errors: dict[str, str] = {}
        strings: dict[str, str] = {}
        for pkg in self._packages:
            res = self._call(lambda pkg=pkg: self._client.query_rule(doc, pkg, "verdicts"))
            if not isinstance(res, dict) or "result" not in res:
                raise InputError(
                    f"--opa-url: OPA at {self._url} has no rule data.{pkg}.verdicts; load the bundle from "
                    "`sansho rego bundle` or pass --opa-push"
                )
            got, why = self._checked(pkg, res["result"], asked)
            if why is not None:
                errors[pkg] = why
            out.extend(verdict_rows(got, strings))
        return out, errors

    def _checked(self, pkg: str, result: Any, asked: dict[str, list[str]]
                 ) -> tuple[list[dict[str, Any]], str | None]:
        """The package's verdicts when they answer exactly what was asked, plus an ERROR verdict for
        each control/resource pair left out; or no verdicts and why the answer cannot be trusted."""
        controls = self._package_controls.get(pkg, set())
        expected = {(cid, kind, rid) for cid in controls for kind in self._applies_to.get(cid, ())
                    for rid in asked.get(kind, ())}
        if not isinstance(result, list):
            return [], f"OPA at {self._url} answered {type(result).__name__}, not a list of verdicts"
        seen: set[tuple[str, str, str]] = set()
        for v in result:
            if not isinstance(v, dict) or not all(isinstance(v.get(k), str) for k in
                                                  ("control", "kind", "id", "status", "en", "ja")):
                return [], f"OPA at {self._url} answered a verdict that is not a sansho verdict: {str(v)[:200]}"
            key = (v["control"], v["kind"], v["id"])
            if key not in expected:
                what = (f"control {v['control']}, which data.{pkg} does not hold" if v["control"] not in controls
                        else f"{v['kind']} {v['id']!r}, which was not in the input")
                return [], (f"OPA at {self._url} answered for {what} (does it run another sansho's bundle, or "
                            "another input?)")
            seen.add(key)
        missing = [{"control": c, "kind": k, "id": i, "status": "ERROR",
                    "en": f"OPA at {self._url} gave no verdict for this resource (does it run another sansho's "
                          "bundle?)",
                    "ja": f"OPA ({self._url}) がこの資源の判定を返しませんでした(別の版のバンドルを実行していませんか)"}
                   for c, k, i in sorted(expected - seen)]
        return result + missing, None
