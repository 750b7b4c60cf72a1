"""Live collection: Resource Graph queries plus the management-plane reads Resource Graph lacks.

One ``ResourceGraphClient`` (azure-core pipeline: bearer token, retry with exponential backoff)
serves both: Resource Graph through its ``resources`` operation, paging with ``$skipToken``, and
the management plane through the same pipeline's ``send_request``, so one credential, one retry
policy and one endpoint cover every call. Work runs in a bounded thread pool, in two phases: the
queries, then the per-resource reads they call for. A refused or failed call becomes a collection
error and an unread field with the reason on the resources it concerns; the run goes on.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sansho.policies.config import TagKeys
from sansho.policies.console import ProgressBar, collected_ja
from sansho.policies.errors import InputError
from sansho.policies.model import CollectionError, Resource, SourceRef

from .details import LIST_READS, MANAGEMENT_READS, Details, Unread
from .normalize import Normalizer, normalize
from .queries import AUTHORIZATION, DEFENDER, QUERIES, SUBSCRIPTIONS, Query
from .rows import RowError
from .secrets import scrub_text

DEFAULT_ENDPOINT = "https://management.azure.com"
ARG_ACTION = "Microsoft.ResourceGraph/resources/read"
SDK_MISSING = "the Azure collector needs azure-identity and azure-mgmt-resourcegraph: pip install 'sansho[azure]'"
_BATCH = 1000  # Resource Graph takes at most 1,000 subscriptions per request
_PAGE = 1000


class ReadFailure(Exception):
    def __init__(self, reason: str, code: str, status: int | None = None):
        super().__init__(reason)
        self.reason, self.code, self.status = reason, code, status


@dataclass
class AzureCollection:
    resources: list[Resource]
    errors: list[CollectionError]
    subscriptions: dict[str, str | None]
    calls: Counter = field(default_factory=Counter)

    def summary_line(self) -> str:
        n = len(self.errors)
        return (f"Azure: {len(self.resources)} resources from {len(self.subscriptions)} subscription(s), "
                f"{sum(self.calls.values())} API calls; {n} items could not be read"
                + (" (they are judged UNKNOWN, with the reason)" if n else "")
                + collected_ja(len(self.resources), n))


class _TokenTap:
    """Passes ``get_token`` on (with the chosen tenant) and remembers each token, so that no
    token can reach an error message or the inventory."""

    def __init__(self, inner: Any, tenant: str | None):
        self.inner, self.tenant, self.tokens = inner, tenant, set()

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        if self.tenant and not kwargs.get("tenant_id"):
            kwargs["tenant_id"] = self.tenant
        tok = self.inner.get_token(*scopes, **kwargs)
        self.tokens.add(tok.token)
        return tok


class Run:
    def __init__(self, client: Any, tap: _TokenTap, max_workers: int, progress: bool):
        self.client, self.tap, self.max_workers = client, tap, max_workers
        self.calls: Counter = Counter()
        self.errors: list[CollectionError] = []
        self.details = Details()
        self._lock = threading.Lock()
        self._bar = ProgressBar("Azure", progress)

    # -- plumbing --------------------------------------------------------------------------
    def scrub(self, text: str) -> str:
        return scrub_text(text, tuple(self.tap.tokens))

    def count(self, action: str) -> None:
        with self._lock:
            self.calls[action] += 1

    def record(self, service: str, api: str, reason: str, region: str | None = None,
               resource: str | None = None) -> None:
        with self._lock:
            self.errors.append(CollectionError(service=service, region=region, api=api, reason=self.scrub(reason),
                                               resource=resource))

    def parallel(self, jobs: list[tuple[str, Callable[[], None]]]) -> None:
        self._bar.add(len(jobs))
        with ThreadPoolExecutor(max_workers=self.max_workers, thread_name_prefix="sansho-azure") as pool:
            futures = [(label, pool.submit(fn)) for label, fn in jobs]
            for label, f in futures:
                f.result()  # jobs record their own failures; anything raised here is a bug or fatal
                self._bar.advance(label)

    def close(self) -> None:
        self._bar.close()

    # -- Resource Graph ----------------------------------------------------------------------
    def query(self, q: Query, subscriptions: list[str] | None) -> list[dict[str, Any]]:
        """Every row of ``q`` over ``subscriptions`` (None: all the identity can see), following
        ``$skipToken``; raises :class:`ReadFailure`."""
        from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions

        rows: list[dict[str, Any]] = []
        batches: list[list[str] | None] = [None] if subscriptions is None else [
            subscriptions[i:i + _BATCH] for i in range(0, len(subscriptions), _BATCH)]
        for batch in batches:
            token = None
            while True:
                req = QueryRequest(query=q.kql, subscriptions=batch, options=QueryRequestOptions(
                    skip_token=token, top=None if token else _PAGE, result_format="objectArray"))
                self.count(ARG_ACTION)
                resp = self._call(lambda req=req: self.client.graph.resources(req), ARG_ACTION, f"Resource Graph query "
                                  f"for {q.what}")
                data = resp.data
                if not isinstance(data, list):
                    raise ReadFailure(f"Resource Graph answered {q.what} in table format, not objectArray", "Format")
                rows.extend(r for r in data if isinstance(r, dict) and isinstance(r.get("id"), str)
                            and isinstance(r.get("type"), str))
                token = resp.skip_token
                if not token:
                    break
        return rows

    def _call(self, fn: Callable[[], Any], action: str, what: str) -> Any:
        from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ServiceRequestError

        try:
            return fn()
        except ClientAuthenticationError as e:
            if e.status_code is None:  # the credential could not get a token at all
                raise InputError(self.scrub(f"cannot sign in to Azure: {_sign_in_reason(e)}")) from None
            raise ReadFailure(self._reason(e, action, what), _code(e), e.status_code) from None
        except HttpResponseError as e:
            raise ReadFailure(self._reason(e, action, what), _code(e), e.status_code) from None
        except ServiceRequestError as e:
            raise ReadFailure(self.scrub(f"unreachable: {action} ({_first_line(e)})"), "Unreachable") from None

    def _reason(self, e: Any, action: str, what: str) -> str:
        code = _code(e)
        msg = getattr(getattr(e, "error", None), "message", None) or ""
        reason = f"{code}: {action}"
        if msg and e.status_code != 403:
            reason += f" ({str(msg).splitlines()[0][:200]})"
        return self.scrub(reason)

    # -- management plane ----------------------------------------------------------------------
    def read(self, resource_id: str, name: str) -> Any:
        """GET one management-plane document (or every item of a list, following ``nextLink``)."""
        from azure.core.rest import HttpRequest

        what, path, version, action = MANAGEMENT_READS[name]
        url: str | None = f"{self.client.endpoint}{resource_id}{path}?api-version={version}"
        items: list[Any] = []
        while url:
            req = HttpRequest("GET", url)
            self.count(action)
            resp = self._call(lambda req=req: self.client.management.send_request(req), action, what)
            if resp.status_code != 200:
                code, msg = _error_body(resp)
                reason = f"{code}: {action}" + (f" ({msg[:200]})" if msg and resp.status_code != 403 else "")
                raise ReadFailure(self.scrub(reason), code, resp.status_code)
            try:
                doc = resp.json()
            except ValueError:
                raise ReadFailure(f"InvalidResponse: {action} (not JSON)", "InvalidResponse") from None
            if name not in LIST_READS:
                return doc
            items.extend(doc.get("value") or [])
            url = doc.get("nextLink")
        return items

    def read_into(self, resource_id: str, name: str, service: str, region: str | None) -> None:
        try:
            self.details.put(resource_id, name, self.read(resource_id, name))
        except ReadFailure as f:
            self.details.put(resource_id, name, Unread(f.reason))
            self.record(service, MANAGEMENT_READS[name][3], f.reason, region, resource_id)


def _code(e: Any) -> str:
    err = getattr(e, "error", None)
    code = getattr(err, "code", None)
    if code:
        return str(code)
    status = getattr(e, "status_code", None)
    return f"HTTP {status}" if status else type(e).__name__


def _error_body(resp: Any) -> tuple[str, str]:
    try:
        err = (resp.json() or {}).get("error") or {}
    except ValueError:
        err = {}
    lines = str(err.get("message") or "").splitlines()
    return str(err.get("code") or f"HTTP {resp.status_code}"), lines[0] if lines else ""


def _first_line(e: Exception) -> str:
    text = str(getattr(e, "message", None) or e).strip()
    return (text.splitlines() or [type(e).__name__])[0][:300]


def _sign_in_reason(e: Exception) -> str:
    """DefaultAzureCredential's multi-line report (one line per credential tried, each with a
    troubleshooting link) as one line: each credential and the first sentence of why it failed."""
    import re

    text = str(getattr(e, "message", None) or e)
    tried = re.findall(r"^\s+(\w+Credential): (.+)$", text, re.M)
    if not tried:
        return _first_line(e)
    parts = []
    for name, why in tried:
        why = re.sub(rf"^{name} authentication unavailable\.?\s*", "", why.strip())
        why = re.split(r"(?<=\.)\s+|\s+(?:Visit|See|Please visit) ", why)[0].rstrip(".")
        parts.append(f"{name}: {why[:160] or 'unavailable'}")
    return (f"no credential of DefaultAzureCredential worked ({'; '.join(parts)}); sign in with `az login`, or "
            "set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET / Azure にサインインできません")


def make_client(endpoint_url: str | None, tenant: str | None, credential: Any = None,
                connection_verify: str | bool | None = None, retry_total: int = 4) -> tuple[Clients, _TokenTap]:
    try:
        from azure.mgmt.resourcegraph import ResourceGraphClient
    except ImportError:
        raise InputError(SDK_MISSING) from None
    endpoint = (endpoint_url or DEFAULT_ENDPOINT).rstrip("/")
    if not endpoint.lower().startswith("https://"):
        raise InputError(f"--endpoint-url: {endpoint_url} is not an https:// URL (Azure sends bearer tokens only "
                         "over TLS)")
    if credential is None:
        try:
            from azure.identity import DefaultAzureCredential
        except ImportError:
            raise InputError(SDK_MISSING) from None
        kwargs: dict[str, Any] = {}
        if tenant:
            kwargs["additionally_allowed_tenants"] = [tenant]
        if endpoint_url:
            # A private cloud or Azure Stack authority is not known to Microsoft's instance
            # discovery service (login.microsoftonline.com), which such networks often cannot
            # reach; azure-identity documents turning discovery off for them.
            kwargs["disable_instance_discovery"] = True
        credential = DefaultAzureCredential(**kwargs)
    tap = _TokenTap(credential, tenant)
    retry: dict[str, Any] = dict(retry_total=retry_total, retry_backoff_factor=0.8, retry_mode="exponential")
    transport: dict[str, Any] = {} if connection_verify is None else {"connection_verify": connection_verify}
    graph = ResourceGraphClient(tap, base_url=endpoint, credential_scopes=[f"{endpoint}/.default"],
                                user_agent="sansho", **retry, **transport)
    return Clients(graph, _management_client(endpoint, tap, retry, transport), endpoint), tap


@dataclass
class Clients:
    graph: Any  # azure.mgmt.resourcegraph.ResourceGraphClient
    management: Any  # azure.mgmt.core.ARMPipelineClient for the GETs Resource Graph lacks
    endpoint: str


def _management_client(endpoint: str, credential: Any, retry: dict[str, Any], transport: dict[str, Any]) -> Any:
    """An ARM pipeline like the generated clients build: same token, same retry with backoff."""
    from azure.core.pipeline import policies
    from azure.mgmt.core import ARMPipelineClient
    from azure.mgmt.core.policies import ARMChallengeAuthenticationPolicy, ARMHttpLoggingPolicy

    chain = [policies.RequestIdPolicy(), policies.HeadersPolicy(), policies.UserAgentPolicy("sansho"),
             policies.ProxyPolicy(), policies.ContentDecodePolicy(), policies.RedirectPolicy(),
             policies.RetryPolicy(**retry), ARMChallengeAuthenticationPolicy(credential, f"{endpoint}/.default"),
             policies.CustomHookPolicy(), policies.NetworkTraceLoggingPolicy(), ARMHttpLoggingPolicy()]
    return ARMPipelineClient(base_url=endpoint, policies=chain, **transport)


def collect(subscriptions: str = "all", tenant: str | None = None, endpoint_url: str | None = None, *,
            credential: Any = None, connection_verify: str | bool | None = None, retry_total: int = 4,
            max_workers: int = 8, tag_keys: TagKeys | None = None, progress: bool = False) -> AzureCollection:
    """Read the chosen subscriptions. Raises :class:`InputError` only when nothing can be read
    (no SDK, no credential, the endpoint unreachable, no subscription visible)."""
    client, tap = make_client(endpoint_url, tenant, credential, connection_verify, retry_total)
    run = Run(client, tap, max_workers, progress)
    try:
        subs = _subscriptions(run, subscriptions)
        rows, defender_unread, rbac_unread = _query_all(run, subs)
        _management_reads(run, rows, subs)
    finally:
        run.close()

    def bad_row(row: dict[str, Any], e: RowError) -> None:
        run.record(_service_of(row), ARG_ACTION, f"malformed document: {e}", row.get("location"), row.get("id"))

    norm = Normalizer(run.details, tag_keys, SourceRef(type="live"), tuple(tap.tokens))
    resources = normalize(rows, norm, subs, defender_unread, on_error=bad_row, rbac_unread=rbac_unread)
    errors = sorted(run.errors, key=lambda e: (e.service, e.api, e.resource or ""))
    return AzureCollection(resources=resources, errors=errors, subscriptions=subs, calls=run.calls)


def _subscriptions(run: Run, spec: str) -> dict[str, str | None]:
    spec = (spec or "all").strip()
    wanted = None if spec.lower() == "all" else list(dict.fromkeys(s.strip() for s in spec.split(",") if s.strip()))
    if wanted == []:
        raise InputError("--subscriptions: give 'all' or a comma-separated list of subscription IDs")
    try:
        rows = run.query(SUBSCRIPTIONS, wanted)
    except ReadFailure as f:
        if f.code == "Unreachable" or wanted is None:
            raise InputError(f"cannot list the Azure subscriptions: {f.reason}") from None
        # Named subscriptions are read even when their display names cannot be.
        run.record(SUBSCRIPTIONS.name, ARG_ACTION, f.reason)
        return dict.fromkeys(wanted)
    names = {str(r.get("subscriptionId") or r["id"].rsplit("/", 1)[-1]): r.get("name") for r in rows}
    if wanted is None:
        if not names:
            raise InputError("the Azure identity can read no subscription (give it Reader on the subscriptions "
                             "or a management group)")
        return dict(sorted(names.items()))
    return {s: names.get(s) for s in wanted}


def _query_all(run: Run, subs: dict[str, str | None]
               ) -> tuple[list[dict[str, Any]], dict[str, str], dict[str, str]]:
    rows: list[dict[str, Any]] = []
    defender_unread: dict[str, str] = {}
    rbac_unread: dict[str, str] = {}
    lock = threading.Lock()

    def job(q: Query) -> Callable[[], None]:
        def go() -> None:
            try:
                got = run.query(q, list(subs))
            except ReadFailure as f:
                run.record(q.name, ARG_ACTION, f"{f.reason} (Resource Graph query for {q.what})")
                if q is DEFENDER:
                    with lock:
                        defender_unread.update(dict.fromkeys(subs, f.reason))
                if q is AUTHORIZATION:
                    with lock:
                        rbac_unread.update(dict.fromkeys(subs, f.reason))
                return
            with lock:
                rows.extend(got)
        return go

    run.parallel([(q.what, job(q)) for q in QUERIES if q is not SUBSCRIPTIONS])
    return rows, defender_unread, rbac_unread


# Which management-plane reads each resource type calls for, and the service they count under.
_PER_TYPE: dict[str, tuple[str, tuple[str, ...]]] = {
    "microsoft.storage/storageaccounts": ("storage", ("blobService", "containers")),
    "microsoft.sql/servers": ("sql", ("firewallRules", "auditing", "protector")),
    "microsoft.sql/servers/databases": ("sql", ("tde", "replicationLinks", "retention", "databaseAuditing")),
    "microsoft.keyvault/vaults": ("keyvault", ("keys",)),
}


def _management_reads(run: Run, rows: list[dict[str, Any]], subs: dict[str, str | None]) -> None:
    jobs: list[tuple[str, Callable[[], None]]] = []
    for row in rows:
        plan = _PER_TYPE.get(row["type"].lower())
        if plan is None or row["id"].rstrip("/").lower().endswith("/databases/master"):
            continue
        service, names = plan
        for name in names:
            jobs.append((f"{service} {row.get('name')}",
                         lambda rid=row["id"], n=name, s=service, loc=row.get("location"): run.read_into(rid, n, s,
                                                                                                         loc)))
    for sub in subs:
        jobs.append((f"activity log {sub}", lambda sub=sub: run.read_into(f"/subscriptions/{sub}",
                                                                          "diagnosticSettings", "monitor", None)))
    run.parallel(jobs)


def _service_of(row: dict[str, Any]) -> str:
    from .queries import QUERY_OF_TYPE

    q = QUERY_OF_TYPE.get(str(row.get("type", "")).lower())
    return q.name if q else "resourcegraph"



__all__ = ["AzureCollection", "collect", "make_client"]
