"""A local server speaking OPA's REST API (v1), backed by regorus.

No OPA binary exists for this machine, so the OPA backend is tested against this: the same
requests opa-python-client sends to a real OPA (PUT /v1/policies/{id}, PUT /v1/data/{path},
POST /v1/data/{path} with {"input": …}), and OPA's answers: {"result": …}, or {} when the
document is undefined.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import regorus


class OpaState:
    def __init__(self) -> None:
        self.policies: dict[str, str] = {}
        self.data: dict = {}
        self.requests: list[tuple[str, str]] = []
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

        def do_PUT(self):
            body = self._body()
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
            with state.lock:
                state.requests.append(("POST", self.path))
            if not self.path.startswith("/v1/data/"):
                return self._send(404, {"code": "resource_not_found"})
            defined, result = state.query(self.path.removeprefix("/v1/data/").split("?")[0], body.get("input"))
            return self._send(200, {"result": result} if defined else {})

        def do_GET(self):
            if self.path.startswith("/health"):
                return self._send(200, {})
            return self._send(404, {"code": "resource_not_found"})

    return Handler


class OpaServer:
    def __init__(self) -> None:
        self.state = OpaState()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self.state))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> OpaServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
