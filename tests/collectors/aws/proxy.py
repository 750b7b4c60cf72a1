"""A small HTTP proxy in front of the moto server that injects AWS errors.

Each request is matched by service and region (from the SigV4 ``Authorization`` header's
credential scope) and an operation token (``X-Amz-Target``, the query protocol's ``Action=``, or
the S3 sub-resource in the query string). A matching rule answers with the service's own error
format instead of forwarding; ``times`` limits how often (throttling that clears up).
"""

from __future__ import annotations

import http.client
import re
import threading
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")

PROTOCOL = {"s3": "rest-xml", "s3control": "rest-xml", "ec2": "ec2", "iam": "query", "rds": "query",
            "sts": "query", "kms": "json", "organizations": "json", "dynamodb": "json", "elasticloadbalancing": "query",
            "elasticfilesystem": "rest-json", "cloudtrail": "json", "config": "json",
            "guardduty": "rest-json", "backup": "rest-json", "ssm": "json"}


@dataclass
class Rule:
    service: str
    code: str  # AccessDenied, Throttling, ...
    status: int
    region: str | None = None
    op: str | None = None  # substring of the operation token
    times: int | None = None  # None: always
    body: str | None = None  # substring of the (URL-encoded) request body, e.g. an account id


def error_body(service: str, code: str, status: int) -> tuple[int, dict[str, str], bytes]:
    msg = f"injected {code}"
    proto = PROTOCOL.get(service, "query")
    if proto == "rest-xml":
        body = f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{msg}</Message><RequestId>inj</RequestId></Error>'
        return status, {"Content-Type": "application/xml"}, body.encode()
    if proto == "ec2":
        body = f"<Response><Errors><Error><Code>{code}</Code><Message>{msg}</Message></Error></Errors><RequestID>inj</RequestID></Response>"
        return status, {"Content-Type": "text/xml"}, body.encode()
    if proto == "query":
        body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{msg}</Message></Error>"
                "<RequestId>inj</RequestId></ErrorResponse>")
        return status, {"Content-Type": "text/xml"}, body.encode()
    if proto == "json":
        return status, {"Content-Type": "application/x-amz-json-1.1"}, f'{{"__type":"{code}","message":"{msg}"}}'.encode()
    return status, {"Content-Type": "application/json", "x-amzn-ErrorType": code}, f'{{"message":"{msg}"}}'.encode()


class FaultProxy:
    def __init__(self, upstream: str, rules: list[Rule]):
        u = urlsplit(upstream)
        self.upstream = (u.hostname or "127.0.0.1", u.port or 80)
        self.rules = rules
        self.injected: Counter = Counter()
        self.forwarded: Counter = Counter()
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _match(self, service: str, region: str, token: str, body: str = "") -> Rule | None:
        with self._lock:
            for r in self.rules:
                if r.service != service or (r.region and r.region != region) or (r.op and r.op not in token):
                    continue
                if r.body and r.body not in body:
                    continue
                if r.times is not None:
                    if self.injected[(service, region, r.code, r.op)] >= r.times:
                        continue
                self.injected[(service, region, r.code, r.op)] += 1
                return r
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                m = SCOPE.search(self.headers.get("Authorization", ""))
                region, service = (m.group(1), m.group(2)) if m else ("", "")
                if service == "s3" and "/v20180820/" in self.path:
                    service = "s3control"
                action = ""
                if body and b"Action=" in body:
                    action = (parse_qs(body.decode(errors="replace")).get("Action") or [""])[0]
                token = " ".join([self.headers.get("X-Amz-Target", ""), action, urlsplit(self.path).query,
                                  self.command + " " + urlsplit(self.path).path])
                rule = proxy._match(service, region, token, body.decode(errors="replace"))
                if rule is not None:
                    status, headers, out = error_body(service, rule.code, rule.status)
                else:
                    with proxy._lock:
                        proxy.forwarded[(service, region)] += 1
                    conn = http.client.HTTPConnection(*proxy.upstream, timeout=30)
                    fwd = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "expect")}
                    conn.request(self.command, self.path, body=body or None, headers=fwd)
                    resp = conn.getresponse()
                    out = resp.read()
                    status = resp.status
                    headers = {k: v for k, v in resp.getheaders()
                               if k.lower() not in ("connection", "transfer-encoding", "content-length")}
                    conn.close()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(out)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any

        return Handler
