"""Typed reading of Resource Graph rows and Resource Manager documents.

A value of the wrong type is never coerced: it raises :class:`RowError` naming the field, which
the export reader turns into one line naming the file and record, and the live collector into a
collection error. An absent value is ``None`` (not read).
"""

from __future__ import annotations

import re
from typing import Any


class RowError(ValueError):
    def __init__(self, field: str, problem: str):
        super().__init__(f"field '{field}': {problem}")
        self.field = field
        self.problem = problem


def _show(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


def get_path(doc: dict[str, Any] | None, path: str) -> Any:
    cur: Any = doc
    for part in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def opt_str(doc: dict[str, Any] | None, path: str, where: str = "") -> str | None:
    v = get_path(doc, path)
    if v is None or v == "":
        return None
    if not isinstance(v, str):
        raise RowError(where + path, f"expected a string, got {_show(v)}")
    return v


def opt_bool(doc: dict[str, Any] | None, path: str, where: str = "") -> bool | None:
    v = get_path(doc, path)
    if v is None:
        return None
    if not isinstance(v, bool):
        raise RowError(where + path, f"expected true or false, got {_show(v)}")
    return v


def opt_int(doc: dict[str, Any] | None, path: str, where: str = "") -> int | None:
    v = get_path(doc, path)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        if isinstance(v, float) and v.is_integer():
            return int(v)
        raise RowError(where + path, f"expected a whole number, got {_show(v)}")
    return v


def opt_dict(doc: dict[str, Any] | None, path: str, where: str = "") -> dict[str, Any] | None:
    v = get_path(doc, path)
    if v is None:
        return None
    if not isinstance(v, dict):
        raise RowError(where + path, f"expected an object, got {_show(v)}")
    return v


def opt_list(doc: dict[str, Any] | None, path: str, where: str = "") -> list[Any] | None:
    v = get_path(doc, path)
    if v is None:
        return None
    if not isinstance(v, list):
        raise RowError(where + path, f"expected a list, got {_show(v)}")
    return v


def tags_of(row: dict[str, Any]) -> dict[str, str]:
    tags = opt_dict(row, "tags")
    if not tags:
        return {}
    out = {}
    for k, v in tags.items():
        if not isinstance(v, str | int | float | bool) and v is not None:
            raise RowError(f"tags.{k}", f"expected a string, got {_show(v)}")
        out[str(k)] = "" if v is None else str(v)
    return out


def subscription_of(resource_id: str) -> str | None:
    m = re.match(r"^/subscriptions/([^/]+)", resource_id, re.I)
    return m.group(1) if m else None


def parent_id(resource_id: str, levels: int = 1) -> str:
    """``/…/servers/s1/databases/d1`` → ``/…/servers/s1`` (one child level is two segments)."""
    parts = resource_id.rstrip("/").split("/")
    return "/".join(parts[: len(parts) - 2 * levels])


_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$", re.I)


def duration_days(value: str | None) -> int | None:
    """An ISO 8601 date duration (``P90D``, ``P1Y``, ``P2M``) in days, years as 365 and months as 30."""
    if not value:
        return None
    m = _DURATION.match(value.strip())
    if not m or not any(m.groups()):
        return None
    y, mo, w, d = (int(g) if g else 0 for g in m.groups())
    return y * 365 + mo * 30 + w * 7 + d
