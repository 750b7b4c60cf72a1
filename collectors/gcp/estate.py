"""What was read from Cloud Asset Inventory, in one shape whatever the source.

Live listings (protobuf messages turned into JSON by ``json_format.MessageToDict``), ``gcloud
asset export`` files (snake_case field names, one Asset a line) and ``gcloud asset
search-all-resources --format=json`` (camelCase search results) all end up here as camelCase
envelopes, so :mod:`.normalize` has one code path. The service's own document
(``resource.data``) is left as the service wrote it: its map keys are user data (labels).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sansho.policies.model import SourceRef

PROJECT = "cloudresourcemanager.googleapis.com/Project"
FOLDER = "cloudresourcemanager.googleapis.com/Folder"
ORGANIZATION = "cloudresourcemanager.googleapis.com/Organization"
BUCKET = "storage.googleapis.com/Bucket"
SQL = "sqladmin.googleapis.com/Instance"
DISK = "compute.googleapis.com/Disk"
SNAPSHOT = "compute.googleapis.com/Snapshot"
FIREWALL = "compute.googleapis.com/Firewall"
DATASET = "bigquery.googleapis.com/Dataset"
CRYPTO_KEY = "cloudkms.googleapis.com/CryptoKey"
LOG_BUCKET = "logging.googleapis.com/LogBucket"
LOG_SINK = "logging.googleapis.com/LogSink"

# What the live collector lists with RESOURCE content (IAM_POLICY is listed for every type).
RESOURCE_TYPES = (PROJECT, BUCKET, SQL, DISK, SNAPSHOT, FIREWALL, DATASET, CRYPTO_KEY, LOG_BUCKET, LOG_SINK)


class FieldError(ValueError):
    """A value of the wrong shape at ``field`` (a dotted path inside one asset)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"field '{field}': {message}")
        self.field = field


@dataclass
class Item:
    """One asset: its envelope, the service's document (None when the source does not carry
    it), and where it was read."""

    name: str
    asset_type: str
    project: str | None  # "projects/<number or id>"
    ancestors: list[str]
    location: str | None
    data: dict[str, Any] | None
    source: SourceRef
    where: str  # "line 12", "record 3" or the live API, for error messages
    labels: dict[str, str] | None = None  # from a search result, when data is absent
    kms_keys: list[str] | None = None  # from a search result
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class Estate:
    items: dict[str, Item] = field(default_factory=dict)
    policies: dict[str, dict[str, Any]] = field(default_factory=dict)  # asset name → IAM policy
    policy_ancestors: dict[str, list[str]] = field(default_factory=dict)
    project_ids: dict[str, str] = field(default_factory=dict)  # "projects/<number>" → project ID
    # project key → why its IAM policies (or resources) could not be read
    iam_unread: dict[str, str] = field(default_factory=dict)
    resources_unread: dict[str, str] = field(default_factory=dict)
    # projects whose IAM policies were read: a resource there without a policy has no binding
    iam_read: set[str] = field(default_factory=set)
    # containers (organizations/…, folders/…) whose IAM policy was read, for inherited audit configs
    containers_read: set[str] = field(default_factory=set)
    scope_projects: list[str] = field(default_factory=list)  # as given on the command line
    why_search_only: str = ("not in a search-all-resources export: export with `gcloud asset export "
                            "--content-type=resource` (or search with --read-mask='*')")
    why_no_iam: str = "no IAM policies in the input: add a `gcloud asset export --content-type=iam-policy` file"

    def add_policy(self, name: str, policy: dict[str, Any], ancestors: list[str]) -> None:
        self.policies[name] = policy
        self.policy_ancestors[name] = ancestors
        ref = container_ref(name)
        if ref:
            self.containers_read.add(ref)
            if ref.startswith("projects/"):
                # An export holds a project's own policy whenever it holds that project's policies.
                self.iam_read.add(ref)

    def reason(self, table: dict[str, str], project: str | None) -> str | None:
        """``table[project]`` whether the project is keyed by number or by ID."""
        if project is None:
            return None
        for k in (project, f"projects/{self.project_id(project)}"):
            if k in table:
                return table[k]
        return None

    def project_id(self, key: str | None) -> str | None:
        if key is None:
            return None
        return self.project_ids.get(key, key.removeprefix("projects/"))


def container_ref(asset_name: str) -> str | None:
    """``//cloudresourcemanager.googleapis.com/projects/123`` → ``projects/123``."""
    prefix = "//cloudresourcemanager.googleapis.com/"
    if asset_name.startswith(prefix):
        ref = asset_name[len(prefix):]
        if ref.count("/") == 1 and ref.split("/")[0] in ("projects", "folders", "organizations"):
            return ref
    return None


# -- envelope spelling -----------------------------------------------------------------------

def camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def camel_keys(obj: Any) -> Any:
    """IAM policies: every key is a field name (no user-defined map keys), so all are converted."""
    if isinstance(obj, dict):
        return {camel(str(k)): camel_keys(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [camel_keys(v) for v in obj]
    return obj


def canonical_asset(doc: dict[str, Any]) -> dict[str, Any]:
    """An Asset as camelCase, leaving ``resource.data`` as the service wrote it."""
    out: dict[str, Any] = {}
    for k, v in doc.items():
        ck = camel(k)
        if ck == "resource" and isinstance(v, dict):
            out[ck] = {camel(rk): rv for rk, rv in v.items()}
        elif ck == "iamPolicy":
            out[ck] = camel_keys(v)
        else:
            out[ck] = v
    return out


def ingest_asset(estate: Estate, doc: Any, source: SourceRef, where: str) -> None:
    """One Asset (live, ``gcloud asset export`` or ``gcloud asset list``) into the estate."""
    if not isinstance(doc, dict):
        raise FieldError("(record)", f"expected a JSON object, got {type(doc).__name__}")
    a = canonical_asset(doc)
    name = _text(a, "name")
    asset_type = _text(a, "assetType")
    ancestors = a.get("ancestors") or []
    if not isinstance(ancestors, list) or not all(isinstance(x, str) for x in ancestors):
        raise FieldError("ancestors", "expected a list of strings")
    project = next((x for x in ancestors if x.startswith("projects/")), None)
    policy = a.get("iamPolicy")
    if policy is not None:
        if not isinstance(policy, dict) or not isinstance(policy.get("bindings") or [], list):
            raise FieldError("iam_policy", "expected an IAM policy object with a bindings list")
        for i, b in enumerate(policy.get("bindings") or []):
            members = b.get("members") if isinstance(b, dict) else None
            if not isinstance(members or [], list) or not all(isinstance(m, str) for m in members or []):
                raise FieldError(f"iam_policy.bindings[{i}].members", "expected a list of strings")
        configs = policy.get("auditConfigs") or []
        if not isinstance(configs, list):
            raise FieldError("iam_policy.audit_configs", "expected a list")
        for i, c in enumerate(configs):
            logs = c.get("auditLogConfigs") if isinstance(c, dict) else None
            if not isinstance(c, dict) or not isinstance(logs or [], list) or not all(
                    isinstance(x, dict) for x in logs or []):
                raise FieldError(f"iam_policy.audit_configs[{i}]", "expected an object with a list of audit_log_configs")
        estate.add_policy(name, policy, ancestors)
    res = a.get("resource")
    if res is None:
        return
    if not isinstance(res, dict):
        raise FieldError("resource", f"expected an object, got {type(res).__name__}")
    data = res.get("data")
    if data is not None and not isinstance(data, dict):
        raise FieldError("resource.data", f"expected an object, got {type(data).__name__}")
    location = res.get("location")
    if location is not None and not isinstance(location, str):
        raise FieldError("resource.location", "expected a string")
    if asset_type == PROJECT and data is not None and project:
        pid = data.get("projectId")
        if isinstance(pid, str) and pid:
            estate.project_ids[project] = pid
    estate.items[name] = Item(name=name, asset_type=asset_type, project=project, ancestors=ancestors,
                              location=location, data=data, source=source, where=where, raw=doc)


def ingest_search_result(estate: Estate, doc: Any, source: SourceRef, where: str) -> None:
    """One ``ResourceSearchResult`` (``gcloud asset search-all-resources --format=json``).
    With ``--read-mask='*'`` it carries the service's document in ``versionedResources``."""
    if not isinstance(doc, dict):
        raise FieldError("(record)", f"expected a JSON object, got {type(doc).__name__}")
    r = {camel(k): v for k, v in doc.items()}
    name = _text(r, "name")
    asset_type = _text(r, "assetType")
    project = r.get("project")
    if project is not None and not (isinstance(project, str) and project.startswith("projects/")):
        raise FieldError("project", "expected 'projects/<number>'")
    folders = r.get("folders") or []
    org = r.get("organization")
    ancestors = ([project] if project else []) + [f for f in folders if isinstance(f, str)] + ([org] if org else [])
    labels = r.get("labels")
    if labels is not None and (not isinstance(labels, dict) or not all(isinstance(v, str) for v in labels.values())):
        raise FieldError("labels", "expected an object of strings")
    keys = r.get("kmsKeys") or ([r["kmsKey"]] if r.get("kmsKey") else [])
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise FieldError("kmsKeys", "expected a list of strings")
    data = None
    versioned = r.get("versionedResources") or []
    if not isinstance(versioned, list):
        raise FieldError("versionedResources", "expected a list")
    for i, v in enumerate(versioned):
        if not isinstance(v, dict) or not isinstance(v.get("resource"), dict):
            raise FieldError(f"versionedResources[{i}].resource", "expected an object")
        data = data or v["resource"]
    location = r.get("location")
    if location is not None and not isinstance(location, str):
        raise FieldError("location", "expected a string")
    if asset_type == PROJECT and project and data is not None and isinstance(data.get("projectId"), str):
        estate.project_ids[project] = data["projectId"]
    estate.items[name] = Item(name=name, asset_type=asset_type, project=project, ancestors=ancestors,
                              location=location, data=data, source=source, where=where,
                              labels=labels if data is None else None, kms_keys=keys, raw=doc)


def is_search_result(doc: Any) -> bool:
    return isinstance(doc, dict) and ("assetType" in doc or "asset_type" in doc) and not (
        {"resource", "iamPolicy", "iam_policy", "ancestors"} & doc.keys())


def _text(doc: dict[str, Any], key: str) -> str:
    v = doc.get(key)
    if not isinstance(v, str) or not v:
        raise FieldError(key, "missing or not a string")
    return v
