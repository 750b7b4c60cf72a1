"""A local HTTPS server answering the Cloud Asset REST API (v1) and an OAuth token endpoint.

The bodies follow the public API reference: ``GET /v1/{parent}/assets`` (ListAssetsResponse:
``assets``, ``readTime``, ``nextPageToken``), ``GET /v1/{scope}:searchAllResources``
(SearchAllResourcesResponse: ``results``, ``nextPageToken``), the ``google.rpc.Status`` error
body with an ``ErrorInfo`` detail, and the OAuth 2.0 token response for a refresh-token grant.
The last page omits ``nextPageToken``, as the service does.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

# ContentType enum of google.cloud.asset.v1 (the SDK may send names or, with
# `$alt=json;enum-encoding=int`, numbers).
CONTENT_TYPES = {"1": "RESOURCE", "2": "IAM_POLICY", "RESOURCE": "RESOURCE", "IAM_POLICY": "IAM_POLICY"}


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (IP SubjectAltName), as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sansho test Cloud Asset server")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@dataclass
class State:
    # parent ("projects/hosp-ehr") → content type → assets (camelCase Asset JSON)
    assets: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    search: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # scope → ResourceSearchResults
    denied: set[str] = field(default_factory=set)  # parents / scopes answered with 403
    unavailable: dict[str, int] = field(default_factory=dict)  # parent → how many 503s before answering
    page_size: int = 4
    access_token: str = "test-access-token"
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)  # method, path+query, auth
    lock: threading.Lock = field(default_factory=threading.Lock)


def permission_denied(permission: str, resource: str) -> dict[str, Any]:
    """The google.rpc.Status body Google APIs send with HTTP 403."""
    return {"error": {
        "code": 403,
        "message": f"Permission '{permission}' denied on resource '{resource}' (or it may not exist).",
        "status": "PERMISSION_DENIED",
        "details": [{
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "IAM_PERMISSION_DENIED",
            "domain": "iam.googleapis.com",
            "metadata": {"permission": permission, "resource": resource},
        }],
    }}


class Handler(BaseHTTPRequestHandler):
    server: AssetServer

    def log_message(self, *args: Any) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        with state.lock:
            state.requests.append(("POST", self.path, None))
        if self.path == "/token" and form.get("grant_type") == ["refresh_token"]:
            self._send(200, {"access_token": state.access_token, "expires_in": 3599, "token_type": "Bearer",
                             "scope": "https://www.googleapis.com/auth/cloud-platform"})
            return
        self._send(400, {"error": "unsupported_grant_type"})

    def do_GET(self) -> None:
        state = self.server.state
        url = urlsplit(self.path)
        q = parse_qs(url.query)
        with state.lock:
            state.requests.append(("GET", self.path, self.headers.get("Authorization")))
        auth = self.headers.get("Authorization")
        if auth is not None and auth != f"Bearer {state.access_token}":
            self._send(401, {"error": {"code": 401, "message": "Request had invalid authentication credentials.",
                                       "status": "UNAUTHENTICATED"}})
            return
        path = url.path.removeprefix("/v1/")
        if path.endswith("/assets"):
            parent = path.removesuffix("/assets")
            content = CONTENT_TYPES.get((q.get("contentType") or ["0"])[0], "CONTENT_TYPE_UNSPECIFIED")
            permission = {"RESOURCE": "cloudasset.assets.listResource",
                          "IAM_POLICY": "cloudasset.assets.listIamPolicy"}.get(content, "cloudasset.assets.list")
            if parent in state.denied:
                self._send(403, permission_denied(permission, parent))
                return
            with state.lock:
                busy = state.unavailable.get(parent, 0)
                state.unavailable[parent] = max(0, busy - 1)
            if busy:
                self._send(503, {"error": {"code": 503, "message": "The service is currently unavailable.",
                                           "status": "UNAVAILABLE"}})
                return
            types = set(q.get("assetTypes") or [])
            items = [a for a in state.assets.get(parent, {}).get(content, []) if not types or a["assetType"] in types]
            self._page(q, items, "assets", {"readTime": "2026-11-20T00:00:00Z"})
            return
        if path.endswith(":searchAllResources"):
            scope = path.removesuffix(":searchAllResources")
            if scope in state.denied:
                self._send(403, permission_denied("cloudasset.assets.searchAllResources", scope))
                return
            types = set(q.get("assetTypes") or [])
            items = [r for r in state.search.get(scope, []) if not types or r["assetType"] in types]
            self._page(q, items, "results", {})
            return
        self._send(404, {"error": {"code": 404, "message": "Not found", "status": "NOT_FOUND"}})

    def _page(self, q: dict[str, list[str]], items: list[dict[str, Any]], key: str, extra: dict[str, Any]) -> None:
        size = self.server.state.page_size
        start = int((q.get("pageToken") or ["0"])[0] or 0)
        body: dict[str, Any] = {key: items[start:start + size], **extra}
        if start + size < len(items):
            body["nextPageToken"] = str(start + size)
        self._send(200, body)


class AssetServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, cert: Path, key: Path, state: State):
        super().__init__(("127.0.0.1", 0), Handler)
        self.state = state
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        self.socket = ctx.wrap_socket(self.socket, server_side=True)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.server_address[1]}"

    def start(self) -> AssetServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
