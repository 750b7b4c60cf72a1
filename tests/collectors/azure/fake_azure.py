"""A local HTTPS server that answers as Azure does, for the real SDKs to talk to.

It speaks the wire formats the collector meets: Entra ID's OpenID discovery and client-credentials
token endpoints (what msal asks for), Resource Graph's ``POST /providers/Microsoft.ResourceGraph/
resources`` with ``$skipToken`` paging, and the management-plane GETs, each with the body Azure
sends on refusal (403 ``AuthorizationFailed``). The estate it serves is plain data (estate.py).
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import json
import re
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

TENANT = "72f988bf-0000-4000-8000-00000000fake"
CLIENT_ID = "00000000-fake-4000-8000-000000000001"
CLIENT_SECRET = "FAKE-client-secret-CANARY-2b1e"  # noqa: S105 - an obviously fake test value
ACCESS_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJjYW5hcnkiOiJzYW5zaG8tdGVzdCJ9.CANARYTOKENsig"  # noqa: S105


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (as an IP SubjectAltName) and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.IPv4Address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def forbidden(action: str, scope: str) -> dict:
    return {"error": {"code": "AuthorizationFailed", "message": (
        f"The client '{CLIENT_ID}' with object id '{CLIENT_ID}' does not have authorization to perform action "
        f"'{action}' over scope '{scope}' or the scope is invalid. If access was recently granted, please "
        "refresh your credentials.")}}


class FakeAzure:
    """State of the fake cloud: Resource Graph rows by table, management documents by path."""

    def __init__(self, rows: dict[str, list[dict]], docs: dict[str, object], page_size: int = 3):
        self.rows = rows  # table → rows
        self.docs = {k.lower(): v for k, v in docs.items()}  # "<resource id><suffix>" → body
        self.page_size = page_size
        self.denied_tables: set[str] = set()
        self.denied_paths: set[str] = set()  # lower-case path prefixes answered with 403
        self.requests: list[tuple[str, str]] = []
        self.arg_bodies: list[dict] = []
        self.base = ""
        self._lock = threading.Lock()

    # -- Resource Graph --------------------------------------------------------------------
    def query(self, body: dict) -> tuple[int, dict]:
        q = body.get("query", "")
        m = re.match(r"^\s*(\w+)\s*\|\s*where type in~ \(([^)]*)\)\s*$", q)
        if not m:
            return 400, {"error": {"code": "BadRequest", "message": "Please provide below info when asking for "
                                   "support: unsupported query in this test server"}}
        table, types = m.group(1).lower(), {t.strip().strip("'").lower() for t in m.group(2).split(",")}
        if table in self.denied_tables:
            return 403, forbidden("Microsoft.ResourceGraph/resources/read", "/providers/Microsoft.ResourceGraph")
        subs = body.get("subscriptions")
        rows = [r for r in self.rows.get(table, []) if r["type"].lower() in types
                and (subs is None or r.get("subscriptionId") in subs)]
        opts = body.get("options") or {}
        start = int(base64.b64decode(opts["$skipToken"]).decode()) if opts.get("$skipToken") else 0
        page = rows[start:start + self.page_size]
        out = {"totalRecords": len(rows), "count": len(page), "resultTruncated": "false", "facets": [], "data": page}
        if start + self.page_size < len(rows):
            out["$skipToken"] = base64.b64encode(str(start + self.page_size).encode()).decode()
        return 200, out

    # -- management plane --------------------------------------------------------------------
    def get(self, path: str, query: str = "") -> tuple[int, object]:
        low = path.lower()
        for prefix in self.denied_paths:
            if low.startswith(prefix):
                return 403, forbidden("read", path)
        if "$skiptoken=" in query.lower():
            low += "?page2"
        if low in self.docs:
            body = self.docs[low]
            if isinstance(body, dict) and "{base}" in str(body.get("nextLink", "")):
                body = {**body, "nextLink": body["nextLink"].replace("{base}", self.base)}
            return 200, body
        return 404, {"error": {"code": "ResourceNotFound", "message": f"The Resource '{path}' was not found."}}

    # -- Entra ID ----------------------------------------------------------------------------
    def openid(self, tenant: str) -> dict:
        b = f"{self.base}/{tenant}"
        return {"token_endpoint": f"{b}/oauth2/v2.0/token", "authorization_endpoint": f"{b}/oauth2/v2.0/authorize",
                "issuer": f"{b}/v2.0", "jwks_uri": f"{b}/discovery/v2.0/keys",
                "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt",
                                                          "client_secret_basic"],
                "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                "scopes_supported": ["openid", "profile", "email", "offline_access"],
                "subject_types_supported": ["pairwise"], "id_token_signing_alg_values_supported": ["RS256"],
                "tenant_region_scope": "AS", "cloud_instance_name": "microsoftonline.com"}

    def token(self, form: dict[str, list[str]]) -> tuple[int, dict]:
        ok = (form.get("grant_type") == ["client_credentials"] and form.get("client_id") == [CLIENT_ID]
              and form.get("client_secret") == [CLIENT_SECRET]
              and form.get("scope", [""])[0].split() == [f"{self.base}/.default"])
        if not ok:
            return 401, {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret "
                         "provided.", "error_codes": [7000215]}
        return 200, {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                     "access_token": ACCESS_TOKEN}


def _handler(fake: FakeAzure) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, body: object) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _authorized(self) -> bool:
            if self.headers.get("Authorization") == f"Bearer {ACCESS_TOKEN}":
                return True
            self._send(401, {"error": {"code": "InvalidAuthenticationToken",
                                       "message": "The access token is invalid."}})
            return False

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            url = urlsplit(self.path)
            with fake._lock:
                fake.requests.append(("GET", url.path))
            m = re.match(r"^/([^/]+)/v2\.0/\.well-known/openid-configuration$", url.path)
            if m:
                return self._send(200, fake.openid(m.group(1)))
            if not self._authorized():
                return None
            if "api-version" not in parse_qs(url.query):
                return self._send(400, {"error": {"code": "MissingApiVersionParameter",
                                                  "message": "The api-version query parameter is required."}})
            status, body = fake.get(url.path, url.query)
            return self._send(status, body)

        def do_POST(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            raw = self._body()
            with fake._lock:
                fake.requests.append(("POST", url.path))
            if url.path.endswith("/oauth2/v2.0/token"):
                status, body = fake.token(parse_qs(raw.decode()))
                return self._send(status, body)
            if url.path.lower() == "/providers/microsoft.resourcegraph/resources":
                if not self._authorized():
                    return None
                doc = json.loads(raw or b"{}")
                with fake._lock:
                    fake.arg_bodies.append(doc)
                status, body = fake.query(doc)
                return self._send(status, body)
            return self._send(404, {"error": {"code": "NotFound", "message": url.path}})

    return Handler


class Server:
    def __init__(self, fake: FakeAzure, cert: Path, key: Path):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.httpd.server_address[1]}"
        fake.base = self.url
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
