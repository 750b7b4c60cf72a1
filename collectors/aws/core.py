"""The AWS collector's frame: one session, shared clients, a bounded pool of work units, errors.

A *unit* is one piece of reading (a service in a region, one bucket, one IAM user). Units run in
a bounded ``ThreadPoolExecutor``; a unit may add follow-up units (``ctx.spawn``), which the
runner schedules without the parent waiting on them, so the pool cannot deadlock. A unit that
fails is recorded as a :class:`ReadError` and never takes another unit's data with it.

Every API call goes through :meth:`Context.call` / :meth:`Context.paginate`, which turn
botocore's errors into :class:`ReadFailure` with a one-line reason such as
``"AccessDenied: s3:GetEncryptionConfiguration"``. Reasons are scrubbed of the session's own
credential values before they are stored anywhere.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from sansho.policies.config import TagKeys, tag_bool
from sansho.policies.console import ProgressBar
from sansho.policies.model import Resource

log = logging.getLogger("sansho.collectors.aws")

PARTITION = "aws"

# Error codes that mean "the caller may not read this".
DENIED_CODES = frozenset({
    "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthFailure",
    "UnauthorizedAccess", "UnrecognizedClientException", "InvalidClientTokenId",
    "OptInRequired", "SubscriptionRequiredException", "AuthorizationError",
})
THROTTLING_CODES = frozenset({
    "Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded",
    "TooManyRequestsException", "SlowDown", "RequestThrottled", "RequestThrottledException",
})

# botocore errors that mean the endpoint cannot be reached at all.
UNREACHABLE_CODES = frozenset({"EndpointConnectionError", "ConnectTimeoutError"})

# IAM actions whose name differs from the API operation's.
IAM_ACTION_OVERRIDES: dict[tuple[str, str], str] = {
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "GetBucketEncryption"): "s3:GetEncryptionConfiguration",
    ("s3", "GetPublicAccessBlock"): "s3:GetBucketPublicAccessBlock",
    ("s3", "GetBucketReplication"): "s3:GetReplicationConfiguration",
    ("s3", "GetObjectLockConfiguration"): "s3:GetBucketObjectLockConfiguration",
    ("s3", "GetBucketLifecycleConfiguration"): "s3:GetLifecycleConfiguration",
    ("s3control", "GetPublicAccessBlock"): "s3:GetAccountPublicAccessBlock",
}


def iam_action(service_model: Any, operation: str) -> str:
    """The IAM action an API operation needs (``s3:GetEncryptionConfiguration``)."""
    service = service_model.service_name
    override = IAM_ACTION_OVERRIDES.get((service, operation))
    if override:
        return override
    prefix = service_model.signing_name or service_model.endpoint_prefix or service
    return f"{prefix}:{operation}"


@dataclass(frozen=True)
class ReadError:
    """Something the collector could not read: which service, region and API, and why."""

    service: str
    region: str | None
    api: str
    reason: str
    resource: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"service": self.service, "region": self.region, "api": self.api,
                "reason": self.reason, "resource": self.resource}


class ReadFailure(Exception):
    """One API call failed in a way the collector records (denied, unreachable, throttled…)."""

    def __init__(self, reason: str, api: str, code: str, service: str, region: str | None):
        super().__init__(reason)
        self.reason = reason
        self.api = api
        self.code = code
        self.service = service
        self.region = region


@dataclass
class Unit:
    service: str
    region: str | None
    label: str
    run: Callable[[Context], Iterable[Resource] | None]


@dataclass
class Context:
    session: Any
    account: str
    endpoint_url: str | None = None
    region_endpoints: dict[str, str] = field(default_factory=dict)
    max_attempts: int = 5
    max_workers: int = 16
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    tag_keys: TagKeys = field(default_factory=TagKeys)
    home_region: str = "us-east-1"
    regions: list[str] = field(default_factory=list)
    secrets: tuple[str, ...] = ()
    calls: Counter = field(default_factory=Counter)
    errors: list[ReadError] = field(default_factory=list)
    shared: dict[str, Any] = field(default_factory=dict)
    _clients: dict[tuple[str, str], Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _client_lock: threading.Lock = field(default_factory=threading.Lock)
    _spawned: list[Unit] = field(default_factory=list)
    # region → reason, once its endpoint could not be connected to: later calls fail fast
    _dead: dict[str, str] = field(default_factory=dict)

    # -- clients -------------------------------------------------------------------------
    def endpoint_for(self, region: str) -> str | None:
        return self.region_endpoints.get(region, self.endpoint_url)

    def client(self, service: str, region: str | None = None) -> Any:
        """One client per (service, region), created once and shared by every thread."""
        region = region or self.home_region
        key = (service, region)
        c = self._clients.get(key)
        if c is not None:
            return c
        with self._client_lock:  # boto3 sessions are not thread-safe for client creation
            c = self._clients.get(key)
            if c is None:
                c = make_client(self.session, service, region, self.endpoint_for(region),
                                self.max_attempts, self.max_workers, self.connect_timeout, self.read_timeout)
                c.meta.events.register("before-call", self._count_call)
                self._clients[key] = c
        return c

    def _count_call(self, model: Any = None, **_: Any) -> None:
        if model is None:
            return
        action = iam_action(model.service_model, model.name)
        with self._lock:
            self.calls[action] += 1

    # -- calls ---------------------------------------------------------------------------
    def call(self, client: Any, method: str, missing: Iterable[str] = (), **kwargs: Any) -> Any:
        """Call ``client.method(**kwargs)``; ``None`` when the error code is in ``missing``.

        Any other failure raises :class:`ReadFailure` with a scrubbed one-line reason.
        """
        self._check_dead(client, method)
        try:
            resp = getattr(client, method)(**kwargs)
        except Exception as e:  # noqa: BLE001 - classified below, re-raised when not botocore's
            code = self._classify(client, method, e)
            if code in set(missing):
                return None
            raise self._failure(client, method, e, code) from None
        if isinstance(resp, dict):
            resp.pop("ResponseMetadata", None)
        return resp

    def paginate(self, client: Any, method: str, key: str, **kwargs: Any) -> list[Any]:
        out: list[Any] = []
        self._check_dead(client, method)
        try:
            for page in client.get_paginator(method).paginate(**kwargs):
                out.extend(page.get(key) or [])
        except Exception as e:  # noqa: BLE001
            code = self._classify(client, method, e)
            raise self._failure(client, method, e, code) from None
        return out

    def _check_dead(self, client: Any, method: str) -> None:
        region = client.meta.region_name
        why = self._dead.get(region)
        if why is not None:
            op = client.meta.method_to_api_mapping.get(method, method)
            api = iam_action(client.meta.service_model, op)
            raise ReadFailure(f"{why.split(':', 1)[0]}: {api} (not tried: the {region} endpoint was unreachable "
                              "earlier in this run)", api, "EndpointUnreachable",
                              client.meta.service_model.service_name, region)

    def _classify(self, client: Any, method: str, e: Exception) -> str:
        from botocore.exceptions import BotoCoreError, ClientError

        if isinstance(e, ClientError):
            return str(e.response.get("Error", {}).get("Code") or e.response.get(
                "ResponseMetadata", {}).get("HTTPStatusCode") or "ClientError")
        if isinstance(e, BotoCoreError):
            return type(e).__name__
        raise e

    def _failure(self, client: Any, method: str, e: Exception, code: str) -> ReadFailure:
        from botocore.exceptions import ClientError

        op = client.meta.method_to_api_mapping.get(method, method)
        api = iam_action(client.meta.service_model, op)
        if isinstance(e, ClientError):
            if code in DENIED_CODES:
                reason = f"{code}: {api}"
            elif code in THROTTLING_CODES:
                reason = f"{code} (retries exhausted): {api}"
            else:
                msg = str(e.response.get("Error", {}).get("Message") or "").strip()
                reason = f"{code}: {api}" + (f" ({msg[:200]})" if msg else "")
        else:
            reason = f"{code}: {api} ({str(e)[:200]})"
            if code in UNREACHABLE_CODES:
                with self._lock:
                    self._dead.setdefault(client.meta.region_name, self.scrub(reason))
        return ReadFailure(self.scrub(reason), api, code, client.meta.service_model.service_name,
                           client.meta.region_name)

    def scrub(self, text: str) -> str:
        for s in self.secrets:
            if s and s in text:
                text = text.replace(s, "***")
        return text

    # -- errors and units ------------------------------------------------------------------
    def record(self, failure: ReadFailure, resource: str | None = None, service: str | None = None,
               region: str | None = None) -> str:
        err = ReadError(service or failure.service, region if region is not None else failure.region,
                        failure.api, failure.reason, resource)
        with self._lock:
            self.errors.append(err)
        return failure.reason

    def spawn(self, unit: Unit) -> None:
        with self._lock:
            self._spawned.append(unit)

    def take_spawned(self) -> list[Unit]:
        with self._lock:
            out, self._spawned = self._spawned, []
        return out


def make_client(session: Any, service: str, region: str, endpoint_url: str | None, max_attempts: int,
                pool: int, connect_timeout: float = 10.0, read_timeout: float = 30.0) -> Any:
    from botocore.config import Config

    cfg: dict[str, Any] = {
        "retries": {"mode": "adaptive", "max_attempts": max_attempts},
        "max_pool_connections": max(10, pool),
        "connect_timeout": connect_timeout,
        "read_timeout": read_timeout,
        "user_agent_extra": "sansho",
    }
    if endpoint_url:
        # One endpoint for every client (an emulator or a private endpoint): no per-account
        # host prefixes (s3control) and path-style S3 addressing.
        cfg["inject_host_prefix"] = False
        cfg["s3"] = {"addressing_style": "path"}
    client = session.client(service, region_name=region, endpoint_url=endpoint_url, config=Config(**cfg))
    if endpoint_url and service == "s3control":
        client.meta.events.register("before-sign.s3-control", _strip_account_host)
    return client


def _strip_account_host(request: Any, **_: Any) -> None:
    """s3control's endpoint rules put the account id in front of any host; undo it on a custom endpoint."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(request.url)
    host = parts.hostname or ""
    first, _, rest = host.partition(".")
    if first.isdigit() and len(first) == 12 and rest:
        netloc = rest + (f":{parts.port}" if parts.port else "")
        request.url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def run_units(ctx: Context, units: list[Unit], progress: bool = False) -> list[Resource]:
    """Run units in a bounded pool, following spawned units, until none remain."""
    resources: list[Resource] = []
    bar = ProgressBar("AWS", progress)
    with ThreadPoolExecutor(max_workers=ctx.max_workers, thread_name_prefix="sansho-aws") as pool:
        running: dict[Future, Unit] = {}

        def submit(u: Unit) -> None:
            running[pool.submit(_run_one, ctx, u)] = u
            bar.add(1)

        for u in units:
            submit(u)
        while running:
            done, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for f in done:
                u = running.pop(f)
                resources.extend(f.result())
                bar.advance(f"{u.service} {u.region or 'global'}")
            for u in ctx.take_spawned():
                submit(u)
    bar.close()
    return resources


def _run_one(ctx: Context, u: Unit) -> list[Resource]:
    try:
        return list(u.run(ctx) or [])
    except ReadFailure as f:
        ctx.record(f, service=u.service, region=u.region)
    except Exception as e:  # noqa: BLE001 - a collector bug must not lose the other units' data
        log.exception("unit %s failed", u.label)
        with ctx._lock:
            ctx.errors.append(ReadError(u.service, u.region, "(collector)",
                                        ctx.scrub(f"internal error in {u.label}: {type(e).__name__}: {e}")))
    return []



# -- small helpers shared by the service modules -------------------------------------------------

def tags_of(items: list[dict[str, Any]] | None, key: str = "Key", value: str = "Value") -> dict[str, str]:
    return {str(t[key]): str(t.get(value) or "") for t in items or [] if key in t}


def as_date(v: Any) -> dt.date | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.astimezone(dt.UTC).date() if v.tzinfo else v.date()
    if isinstance(v, dt.date):
        return v
    try:
        return dt.datetime.fromisoformat(str(v).replace("Z", "+00:00")).date()
    except ValueError:
        return None


def region_of_arn(arn: str | None) -> str | None:
    if not arn or not arn.startswith("arn:"):
        return None
    parts = arn.split(":")
    return parts[3] or None if len(parts) > 3 else None


def account_of_arn(arn: str | None) -> str | None:
    if not arn or not arn.startswith("arn:"):
        return None
    parts = arn.split(":")
    return parts[4] or None if len(parts) > 4 else None


def medical_flag(tags: dict[str, str], keys: TagKeys) -> bool | None:
    return tag_bool(tags.get(keys.medical))


def jsonable(obj: Any) -> Any:
    """An API response as plain JSON types, for ``raw`` evidence."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items() if k != "ResponseMetadata"}
    if isinstance(obj, list | tuple):
        return [jsonable(v) for v in obj]
    if isinstance(obj, dt.datetime | dt.date):
        return obj.isoformat()
    if isinstance(obj, bytes):
        return f"<{len(obj)} bytes>"
    return obj
