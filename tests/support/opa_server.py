"""A local server speaking OPA's REST API (v1), backed by regorus.

No OPA binary exists for this machine, so the OPA backend is tested against this: the same
requests opa-python-client sends to a real OPA (PUT /v1/policies/{id}, PUT /v1/data/{path},
POST /v1/data/{path} with {"input": …}), and OPA's answers: {"result": …}, or {} when the
document is undefined.

Optionally it serves HTTPS (a certificate and key), under a path prefix (OPA behind a reverse
proxy at /opa/), demands a bearer token (OPA's ``--authentication=token``: 401
``{"code": "unauthorized", …}`` without it), and lets a test ``tamper`` with query answers.
"""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import regorus


class OpaState:
    def __init__(self) -> None:
        self.policies: dict[str, str] = {}
        self.data: dict = {}
        self.requests: list[tuple[str, str]] = []
        self.authorization: list[str | None] = []  # the Authorization header of each request
        self.prefix = ""  # the reverse proxy's path, e.g. "/opa"
        self.token: str | None = None  # demanded as "Bearer <token>" when set
        self.tamper: Callable[[str, Any], Any] | None = None  # (path, result) -> the result sent
        self.lock = threading.Lock()

    def put_data(self, path: str, doc) -> None:
        parts = [p for p in path.split("/") if p]
        node = self.data
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        if parts:
            node[parts[-1]] = doc
        else:
            self.data = doc

    def query(self, path: str, input_doc):
        e = regorus.Engine()
        for pid, text in self.policies.items():
            e.add_policy(pid, text)
        e.add_data_json(json.dumps(self.data))
        e.set_input_json(json.dumps(input_doc))
        ref = "data." + ".".join(p for p in path.split("/") if p)
        try:
            return True, json.loads(e.eval_rule_as_json(ref))
        except RuntimeError:
            return False, None


def make_handler(state: OpaState):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _send(self, code: int, doc) -> None:
            body = json.dumps(doc).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _body(self) -> bytes:
            n = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(n)

        def _refused(self) -> bool:
            """Record the request; refuse it (True) when it misses the proxy prefix or the token."""
            with state.lock:
                state.authorization.append(self.headers.get("Authorization"))
            if not self.path.startswith(state.prefix + "/"):
                self._send(404, {"code": "resource_not_found", "message": "no such route at the proxy"})
                return True
            self.path = self.path.removeprefix(state.prefix)
            if state.token is not None and self.headers.get("Authorization") != f"Bearer {state.token}":
                self._send(401, {"code": "unauthorized", "message": "missing authentication"})
                return True
            return False

        def do_PUT(self):
            body = self._body()
            if self._refused():
                return None
            with state.lock:
                state.requests.append(("PUT", self.path))
                if self.path.startswith("/v1/policies/"):
                    text = body.decode()
                    try:
                        regorus.Engine().add_policy("check.rego", text)
                    except RuntimeError as e:
                        return self._send(400, {"code": "invalid_parameter", "message": str(e)})
                    state.policies[self.path.removeprefix("/v1/policies/")] = text
                    return self._send(200, {})
                if self.path.startswith("/v1/data"):
                    state.put_data(self.path.removeprefix("/v1/data"), json.loads(body))
                    self.send_response(204)
                    self.end_headers()
                    return None
            return self._send(404, {"code": "resource_not_found"})

        def do_POST(self):
            body = json.loads(self._body() or b"{}")
            if self._refused():
                return None
            with state.lock:
                state.requests.append(("POST", self.path))
            if not self.path.startswith("/v1/data/"):
                return self._send(404, {"code": "resource_not_found"})
            path = self.path.removeprefix("/v1/data/").split("?")[0]
            defined, result = state.query(path, body.get("input"))
            if defined and state.tamper is not None:
                result = state.tamper(path, result)
            return self._send(200, {"result": result} if defined else {})

        def do_GET(self):
            if self.path.startswith("/health"):
                return self._send(200, {})
            return self._send(404, {"code": "resource_not_found"})

    return Handler


class OpaServer:
    def __init__(self, tls: tuple[Path, Path] | None = None, prefix: str = "", token: str | None = None) -> None:
        self.state = OpaState()
        self.state.prefix, self.state.token = prefix.rstrip("/"), token
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self.state))
        self.scheme = "http"
        if tls is not None:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*tls)
            self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.httpd.server_address[1]}{self.state.prefix}/"

    def __enter__(self) -> OpaServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
