"""The GCP collector: Cloud Asset Inventory, live or from exports, into the inventory model.

``collect_live(opts)`` reads through the Cloud Asset API with Application Default Credentials;
``from_export(path, tag_keys)`` reads ``gcloud asset export`` / ``search-all-resources`` output
with the same normalization. The Google SDK is imported only when reading live. See docs/gcp.md.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sansho.policies.config import TagKeys
from sansho.policies.config import gcp_label_key as label_key
from sansho.policies.console import collected_ja
from sansho.policies.model import CollectionError, Resource

from .permissions import permissions_text

if TYPE_CHECKING:
    from sansho.policies.live import LiveOptions

__all__ = ["collect_live", "from_export", "label_key", "permissions_text"]


def collect_live(opts: LiveOptions) -> tuple[list[Resource], list[CollectionError]]:
    from . import live
    from .normalize import normalize

    coll = live.collect(opts.organization, opts.folder, opts.projects, opts.endpoint_url,
                        progress=sys.stderr.isatty())
    resources = normalize(coll.estate, opts.tag_keys, live.on_error_live(coll))
    unread = sum(len(r.read_errors) for r in resources)
    calls = sum(coll.calls.values())
    sys.stderr.write(
        f"GCP: {len(resources)} resources from {len(coll.projects)} projects, {calls} API calls; "
        f"{unread} items could not be read{' (they are judged UNKNOWN, with the reason)' if unread else ''}"
        f"{f'; {len(coll.errors)} listings refused' if coll.errors else ''}"
        f"{collected_ja(len(resources), unread)}\n")
    return resources, coll.errors


def from_export(path: Path, tag_keys: TagKeys | None) -> tuple[list[Resource], list[CollectionError]]:
    from .export import on_error_export, read_exports
    from .normalize import normalize

    estate = read_exports(Path(path))
    resources = normalize(estate, tag_keys, on_error_export)
    errors = []
    if not estate.policies:
        errors.append(CollectionError(service="cloudasset", api="export (iam-policy)", reason=estate.why_no_iam,
                                      resource=str(path)))
    if any(i.data is None for i in estate.items.values()):
        errors.append(CollectionError(service="cloudasset", api="export (resource)",
                                      reason="search results without the resource documents: "
                                             + estate.why_search_only, resource=str(path)))
    return resources, errors
