"""What the Azure and Google normalizers share: the common fields, tags and port ranges.

Kept apart from :mod:`.normalize`, which imports both normalizers, so neither imports it back.
The AWS normalizer (:mod:`.tfaws`) keeps its own forms of these.
"""

from __future__ import annotations

import re
from typing import Any

from sansho.policies.config import tag_bool

from .common import MEDICAL_TAG, Reader, Unresolved
from .tfaws import TfRes


def raw_of(res: TfRes) -> dict[str, Any]:
    raw = getattr(res, "raw", None)
    return raw if raw is not None else {"terraform": res.attrs}


def read_tags(value: Any, r: Reader, field_name: str = "tags") -> dict[str, str]:
    tags: dict[str, str] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, (str, int, float, bool)):
                tags[str(k)] = str(v).lower() if isinstance(v, bool) else str(v)
            else:
                r.miss("tags", f"{field_name} {k} could not be resolved")
    elif isinstance(value, Unresolved):
        r.miss("tags", f"{field_name} {value} could not be resolved")
    return tags


def cloud_base(res: TfRes, r: Reader, provider: str, region: str | None, region_error: str | None,
               tags: dict[str, str], medical: bool | None, source_type: str) -> dict[str, Any]:
    """The fields every resource carries, as :func:`tfaws._base` builds them for AWS."""
    if region is None:
        r.miss("region", region_error or "the region could not be resolved")
    if res.exists_error:
        r.miss("count", res.exists_error)
    return {
        "id": res.address, "provider": provider, "region": region, "tags": tags,
        "source": {"type": source_type, "file": res.file, "line": res.line},
        "holds_medical_data": medical,
    }


def medical_of(tags: dict[str, str], key: str | None = None) -> bool | None:
    return tag_bool(tags.get(key or MEDICAL_TAG))


def port_ranges(specs: list[Any], r: Reader) -> list[Any] | None:
    """``["22", "1000-2000", "*"]`` → PortRange list; ``[]`` means every port (``*`` or ``0-65535``)."""
    from sansho.policies.model import PortRange
    from sansho.policies.netaddr import port_range_error

    out = []
    for s in specs:
        if isinstance(s, Unresolved):
            r.miss("ports", f"port {s} could not be resolved")
            return None
        text = str(s).strip()
        if text in ("*", "", "0-65535", "1-65535"):
            return []
        m = re.fullmatch(r"(\d+)(?:\s*-\s*(\d+))?", text)
        if not m:
            r.miss("ports", f"port {text!r} is not a port or a range")
            return None
        lo = int(m.group(1))
        hi = int(m.group(2)) if m.group(2) else lo
        why = port_range_error(lo, hi)
        if why:
            r.miss("ports", why)
            return None
        out.append(PortRange(from_port=lo, to_port=hi))
    return out
