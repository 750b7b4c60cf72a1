"""Storage-location rule that must see which fields were not read.

SAN-LOC-004 judges a data store's tags. ``tags`` is never null in the model (an unread tag set is
an empty dict plus a ``read_errors["tags"]`` entry), and the Rego input leaves ``read_errors``
out, so a Rego rule could not tell "no tags" from "tags not read". The other storage-location
rules are Rego (``rego/sansho/storage_location/storage_location.rego``).
"""

from __future__ import annotations

from typing import Any

from sansho.policies.model import Resource
from sansho.policies.rules.registry import (
    RuleContext,
    Verdict,
    failed,
    not_applicable,
    passed,
    rule,
    unknown,
)


@rule("SAN-LOC-004")
def data_store_tags(r: Resource, params: dict[str, Any], ctx: RuleContext) -> Verdict:
    if r.holds_medical_data is False:
        return not_applicable(
            "resource is marked as holding no medical information",
            "医療情報を保存しない資源として登録されているため対象外です",
        )
    if "tags" in r.read_errors:
        return unknown("tags")
    present = {k.strip().lower() for k, v in r.tags.items() if v.strip()}
    required = list(params["required_tags"])
    missing = [t for t in required if t.strip().lower() not in present]
    if missing:
        return failed(
            f"required storage tags are missing or empty: {', '.join(missing)}",
            f"保存場所ごとに明示すべきタグがない、又は値が空です: {', '.join(missing)}",
        )
    shown = ", ".join(f"{t}={_value(r.tags, t)}" for t in required)
    return passed(f"storage tags present: {shown}", f"保存場所のタグが付与されています: {shown}")


def _value(tags: dict[str, str], key: str) -> str:
    for k, v in tags.items():
        if k.strip().lower() == key.strip().lower() and v.strip():
            return v
    return ""
