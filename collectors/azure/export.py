"""``sansho collect azure --from-export FILE``: the output of ``az graph query -o json``.

az prints either the bare list of records (older resource-graph extensions) or an object
``{"count", "data", "skip_token", "total_records"}``; both are read. The records go through the
same normalization as live collection; facts only the management plane shows are left unread,
each with the reason.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from sansho.policies.config import TagKeys
from sansho.policies.errors import InputError
from sansho.policies.model import CollectionError, Resource, SourceRef
from sansho.policies.readers import load_json

from .details import Details
from .normalize import Normalizer, normalize
from .queries import TYPES
from .rows import RowError, subscription_of

NO_ROLE_ASSIGNMENTS = ("the export holds no role assignments for this subscription (add the authorizationresources "
                       "part of the query in docs/azure.md)")
NO_DEFENDER = ("the export holds no Microsoft Defender for Cloud plan for this subscription (add the "
               "securityresources part of the query in docs/azure.md)")


def read_records(path: Path) -> tuple[list[dict[str, Any]], bool]:
    """The records of an export and whether az said more pages remain."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read: {getattr(e, 'strerror', None) or e}") from None
    try:
        doc = load_json(text, path)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: not JSON (line {e.lineno}, column {e.colno}: {e.msg}); expected the output of "
                         "`az graph query -o json`") from None
    more = False
    if isinstance(doc, dict):
        if "data" not in doc:
            raise InputError(f"{path}: field 'data' is missing; expected the output of `az graph query -o json` "
                             "(a list of records, or an object with 'data')")
        more = bool(doc.get("skip_token") or doc.get("skipToken") or doc.get("$skipToken"))
        doc = doc["data"]
        if isinstance(doc, dict):
            raise InputError(f"{path}: field 'data' is in table format (columns/rows); run az graph query with "
                             "`-o json`, which gives a list of records")
    if not isinstance(doc, list):
        raise InputError(f"{path}: expected a list of records or an object with 'data', got {type(doc).__name__}")
    for i, rec in enumerate(doc):
        if not isinstance(rec, dict):
            raise InputError(f"{path}: record {i}: expected an object, got {type(rec).__name__}")
        for key in ("id", "type"):
            if not isinstance(rec.get(key), str) or not rec[key].strip():
                raise InputError(f"{path}: record {i}: field '{key}' is missing or not a string (project the "
                                 "whole record: do not drop id and type from the query)")
    return doc, more


def from_export(path: Path, tag_keys: TagKeys | None) -> tuple[list[Resource], list[CollectionError]]:
    path = Path(path)
    records, more = read_records(path)
    index = {id(r): i for i, r in enumerate(records)}
    ours = [r for r in records if r["type"].lower() in TYPES]
    subs: dict[str, str | None] = {}
    for r in ours:
        sub = r.get("subscriptionId") if isinstance(r.get("subscriptionId"), str) else subscription_of(r["id"])
        if not sub:
            continue
        if r["type"].lower() == "microsoft.resources/subscriptions":
            subs[sub] = r.get("name") if isinstance(r.get("name"), str) else None
        else:
            subs.setdefault(sub, None)
    with_plans = {subscription_of(r["id"]) for r in ours if r["type"].lower() == "microsoft.security/pricings"}
    unread = {s: NO_DEFENDER for s in subs if s not in with_plans}
    with_assignments = {subscription_of(r["id"]) for r in ours
                        if r["type"].lower() == "microsoft.authorization/roleassignments"}
    rbac_unread = {s: NO_ROLE_ASSIGNMENTS for s in subs if s not in with_assignments}

    def bad(row: dict[str, Any], e: RowError) -> None:
        raise InputError(f"{path}: record {index.get(id(row), '?')} ({row.get('id')}): {e}")

    norm = Normalizer(Details(export=True), tag_keys, SourceRef(type="inventory", file=str(path)))
    resources = normalize(ours, norm, subs, unread, on_error=bad, rbac_unread=rbac_unread)
    ignored = len(records) - len(ours)
    sys.stderr.write(
        f"{path}: {len(resources)} resources from {len(subs)} subscription(s)"
        + (f"; {ignored} records of other types ignored" if ignored else "")
        + ". Settings only the management plane shows (SQL TDE and firewall, blob versioning, Activity Log "
          "export, Key Vault keys) are judged UNKNOWN / 管理プレーンでのみ取得できる設定は判定不能になります\n")
    if more:
        sys.stderr.write(f"sansho: warning: {path}: az reported more pages (skip_token): resources beyond this "
                         "page are not in the inventory; export with --first 1000 and follow --skip-token\n")
    return resources, []
