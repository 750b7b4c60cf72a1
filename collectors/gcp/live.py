"""Live reading through Cloud Asset Inventory (google-cloud-asset, REST transport).

Per project, two listings run side by side in a bounded pool: ``ListAssets`` with RESOURCE
content (the services' own documents) and with IAM_POLICY content (public bindings, audit
configs). An organization or folder scope first finds its active projects with
``SearchAllResources`` and reads the organization's and folders' IAM policies, whose audit
configs the projects inherit. A refused listing (403) is recorded and its project's fields stay
unread, so the rules say UNKNOWN with the reason; the other projects are judged.
"""

from __future__ import annotations

import logging
import threading
import warnings
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

from sansho.policies.console import ProgressBar
from sansho.policies.errors import InputError
from sansho.policies.model import CollectionError, SourceRef

from .estate import (
    FOLDER,
    ORGANIZATION,
    PROJECT,
    RESOURCE_TYPES,
    Estate,
    FieldError,
    Item,
    container_ref,
    ingest_asset,
)

INSTALL_HINT = "the GCP collector needs google-cloud-asset: pip install 'sansho[gcp]'"
SCOPE_CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform"
IAM_TYPES = ("cloudresourcemanager.googleapis.com/Project", "storage.googleapis.com/Bucket",
             "compute.googleapis.com/Snapshot", "bigquery.googleapis.com/Dataset")
# IAM permission each call needs (all in roles/cloudasset.viewer).
PERMISSION = {"RESOURCE": "cloudasset.assets.listResource", "IAM_POLICY": "cloudasset.assets.listIamPolicy",
              "SEARCH": "cloudasset.assets.searchAllResources"}


def import_sdk() -> Any:
    """The asset_v1 module; google-api-core warns about Python versions on import, which would
    reach the user's terminal as noise."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            import google.cloud.asset_v1 as asset_v1
    except ImportError:
        raise InputError(INSTALL_HINT) from None
    return asset_v1


@dataclass
class Scope:
    kind: str  # "projects", "folders" or "organizations"
    ids: list[str]

    @property
    def container(self) -> str | None:
        return None if self.kind == "projects" else f"{self.kind}/{self.ids[0]}"


def scope_of(organization: str | None, folder: str | None, projects: str | None) -> Scope:
    given = [(k, v) for k, v in (("organizations", organization), ("folders", folder), ("projects", projects))
             if v is not None and v.strip()]
    if len(given) != 1:
        raise InputError("GCP: give exactly one scope: --organization ID, --folder ID or --projects P1,P2"
                         " / スコープを 1 つだけ指定してください")
    kind, value = given[0]
    ids = [x.strip().removeprefix(f"{kind}/") for x in value.split(",") if x.strip()]
    if kind != "projects" and len(ids) != 1:
        raise InputError(f"--{kind[:-1]}: give one ID")
    return Scope(kind, list(dict.fromkeys(ids)))


@dataclass
class GcpCollection:
    estate: Estate
    errors: list[CollectionError] = field(default_factory=list)
    calls: Counter = field(default_factory=Counter)
    projects: list[str] = field(default_factory=list)


def credentials_from_adc() -> Any:
    import google.auth
    from google.auth.exceptions import DefaultCredentialsError

    # Without a project in the ADC file google.auth logs a warning that is no concern here
    # (every call names its scope).
    log = logging.getLogger("google.auth._default")
    level = log.level
    log.setLevel(logging.ERROR)
    named = _check_credentials_file()
    try:
        creds, _ = google.auth.default(scopes=[SCOPE_CLOUD_PLATFORM])
    except DefaultCredentialsError as e:
        if named:  # the file named in GOOGLE_APPLICATION_CREDENTIALS is the one that failed
            why = e.__cause__ or (e.args[-1] if e.args else e)
            raise InputError(f"{named}: not usable credentials: {str(why).splitlines()[0][:300]} / "
                             "認証情報ファイルを使用できません") from None
        raise InputError("no Google Cloud credentials found (Application Default Credentials): run `gcloud auth "
                         "application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS / "
                         "認証情報が見つかりません") from None
    finally:
        log.setLevel(level)
    return creds


def _check_credentials_file() -> str | None:
    """The file GOOGLE_APPLICATION_CREDENTIALS names, checked so that a missing or malformed one is
    named in one line (google-auth says "no credentials", or fails on a JSON list); None when unset."""
    import json
    import os
    from pathlib import Path

    path = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    if not path:
        return None
    named = f"GOOGLE_APPLICATION_CREDENTIALS={path}"
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{named}: file not found / 認証情報ファイルがありません") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{named}: cannot read: {getattr(e, 'strerror', None) or e} / 認証情報ファイルを読めません") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"{named}: not JSON (line {e.lineno}, column {e.colno}: {e.msg}) / "
                         "認証情報ファイルが JSON ではありません") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("type"), str):
        raise InputError(f"{named}: not a Google credentials file (a JSON object with a 'type') / "
                         "Google の認証情報ファイルではありません")
    return named


class Reader:
    def __init__(self, client: Any, asset_v1: Any, retry: Any, timeout: float):
        self.client = client
        self.asset_v1 = asset_v1
        self.retry = retry
        self.timeout = timeout
        self.calls: Counter = Counter()
        self._lock = threading.Lock()

    def list_assets(self, parent: str, content: str, types: tuple[str, ...]) -> list[dict[str, Any]]:
        from google.protobuf import json_format

        ct = getattr(self.asset_v1.ContentType, content)
        pager = self.client.list_assets(request={"parent": parent, "asset_types": list(types), "content_type": ct,
                                                 "page_size": 1000}, retry=self.retry, timeout=self.timeout)
        out: list[dict[str, Any]] = []
        for page in pager.pages:
            self._count(PERMISSION[content])
            out.extend(json_format.MessageToDict(self.asset_v1.Asset.pb(a)) for a in page.assets)
        return out

    def search_projects(self, scope: str) -> list[str]:
        pager = self.client.search_all_resources(
            request={"scope": scope, "asset_types": [PROJECT], "query": "state:ACTIVE", "page_size": 500},
            retry=self.retry, timeout=self.timeout)
        out: list[str | None] = []
        for page in pager.pages:
            self._count(PERMISSION["SEARCH"])
            out.extend(r.project or container_ref(r.name) for r in page.results)
        return [p for p in dict.fromkeys(out) if p]

    def _count(self, permission: str) -> None:
        with self._lock:
            self.calls[permission] += 1


def reason_of(e: Exception, permission: str, target: str) -> str:
    """One line from an API error: HTTP code, status and ErrorInfo reason, never the message
    (which may echo request details)."""
    code = getattr(e, "code", None)
    head = " ".join(str(x) for x in (int(code) if code is not None else None, _status(e)) if x) or type(e).__name__
    why = _error_info_reason(e)
    return f"{head}{f' ({why})' if why else ''}: {permission} on {target}"


def _status(e: Exception) -> str | None:
    name = getattr(getattr(e, "grpc_status_code", None), "name", None)
    if name:
        return name
    try:  # REST: the google.rpc.Status body
        status = e.response.json()["error"]["status"]  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - no body, not JSON, or another shape: the code alone will do
        return None
    return status if isinstance(status, str) else None


def _error_info_reason(e: Exception) -> str | None:
    """The ErrorInfo reason. ``e.reason`` itself raises AttributeError with REST errors in
    google-api-core 2.33 (the detail is a dict there), so the details are read directly."""
    for d in getattr(e, "details", None) or []:
        if isinstance(d, dict) and str(d.get("@type", "")).endswith("google.rpc.ErrorInfo"):
            return str(d.get("reason") or "") or None
        r = getattr(d, "reason", None)
        if isinstance(r, str) and r:
            return r
    return None


def collect(organization: str | None, folder: str | None, projects: str | None, endpoint_url: str | None,
            *, credentials: Any = None, max_workers: int = 8, retry_deadline: float = 60.0,
            timeout: float = 60.0, progress: bool = False) -> GcpCollection:
    scope = scope_of(organization, folder, projects)
    asset_v1 = import_sdk()
    import requests
    from google.api_core import exceptions as gexc
    from google.api_core import retry as gretry
    from google.auth import exceptions as auth_exc

    creds = credentials if credentials is not None else credentials_from_adc()
    options = {"api_endpoint": endpoint_url} if endpoint_url else None
    client = asset_v1.AssetServiceClient(credentials=creds, transport="rest", client_options=options)
    retry = gretry.Retry(predicate=gretry.if_exception_type(gexc.ServiceUnavailable, gexc.TooManyRequests,
                                                           gexc.InternalServerError, gexc.DeadlineExceeded),
                         initial=1.0, maximum=20.0, multiplier=2.0, timeout=retry_deadline)
    reader = Reader(client, asset_v1, retry, timeout)
    coll = GcpCollection(estate=Estate(scope_projects=list(scope.ids) if scope.kind == "projects" else []))
    est = coll.estate
    source = SourceRef(type="live")

    def fail_auth(e: Exception) -> InputError:
        return InputError(f"cannot authenticate to Google Cloud: {type(e).__name__} (check Application Default "
                          "Credentials) / Google Cloud の認証に失敗しました")

    def unreachable(e: Exception) -> InputError:
        where = endpoint_url or "https://cloudasset.googleapis.com"
        return InputError(f"cannot reach the Cloud Asset API at {where}: {type(e).__name__} / "
                          "Cloud Asset API に接続できません")

    def record(permission: str, target: str, e: Exception) -> str:
        why = reason_of(e, permission, target)
        coll.errors.append(CollectionError(service="cloudasset", api=permission, reason=why, resource=target))
        return why

    project_keys: list[str]
    if scope.container:
        try:
            project_keys = reader.search_projects(scope.container)
        except auth_exc.GoogleAuthError as e:
            raise fail_auth(e) from None
        except requests.RequestException as e:
            raise unreachable(e) from None
        except gexc.GoogleAPICallError as e:
            raise InputError(f"cannot list the projects of {scope.container}: "
                             f"{reason_of(e, PERMISSION['SEARCH'], scope.container)}") from None
        try:
            for doc in reader.list_assets(scope.container, "IAM_POLICY", (ORGANIZATION, FOLDER)):
                ingest_asset(est, doc, source, "ListAssets")
        except gexc.GoogleAPICallError as e:
            # The projects are still read; inherited audit configs stay unread, with this reason.
            record(PERMISSION["IAM_POLICY"], scope.container, e)
            scope = Scope("projects", scope.ids)  # nothing above the projects counts as read
        est.scope_projects = [p.removeprefix("projects/") for p in project_keys]
    else:
        project_keys = [f"projects/{p}" for p in scope.ids]
    coll.projects = project_keys

    units: list[tuple[str, str]] = [(p, c) for p in project_keys for c in ("RESOURCE", "IAM_POLICY")]

    def run(unit: tuple[str, str]) -> list[dict[str, Any]]:
        project, content = unit
        types = RESOURCE_TYPES if content == "RESOURCE" else IAM_TYPES
        return reader.list_assets(project, content, types)

    bar = ProgressBar("GCP", progress, len(units))
    try:
        with ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="sansho-gcp") as pool:
            futures = {pool.submit(run, u): u for u in units}
            for fut in as_completed(futures):
                project, content = futures[fut]
                bar.advance(f"{project} {content}")
                try:
                    docs = fut.result()
                except auth_exc.GoogleAuthError as e:
                    raise fail_auth(e) from None
                except requests.RequestException as e:
                    raise unreachable(e) from None
                except gexc.GoogleAPICallError as e:
                    why = record(PERMISSION[content], project, e)
                    (est.resources_unread if content == "RESOURCE" else est.iam_unread)[project] = why
                    continue
                for doc in docs:
                    try:
                        ingest_asset(est, doc, source, "ListAssets")
                    except FieldError as fe:
                        record_bad(coll, doc.get("name") if isinstance(doc, dict) else None, fe)
                if content == "IAM_POLICY":
                    est.iam_read.add(project)
    finally:
        bar.close()
    _mark_containers_read(est, scope)
    coll.calls = reader.calls
    coll.errors.sort(key=lambda e: (e.resource or "", e.api))
    return coll


def record_bad(coll: GcpCollection, name: str | None, e: FieldError) -> None:
    coll.errors.append(CollectionError(service="cloudasset", api="(normalize)", reason=str(e), resource=name))


def on_error_live(coll: GcpCollection) -> Callable[[Item, FieldError], None]:
    def handle(item: Item, e: FieldError) -> None:
        record_bad(coll, item.name, e)
    return handle


def _mark_containers_read(est: Estate, scope: Scope) -> None:
    """Folders and the organization inside the scope were listed: one without a policy asset
    has no audit config to pass on."""
    if scope.container is None:
        return
    for item in est.items.values():
        if item.asset_type == PROJECT and scope.container in item.ancestors:
            est.containers_read.update(item.ancestors[1:item.ancestors.index(scope.container) + 1])
    est.containers_read.add(scope.container)

