"""Every Terraform normalizer, run over one configuration: AWS, Azure (azurerm) and Google.

Terraform directories (hcl.py), plans (plan.py) and the CloudFormation adapter bring resources
into :class:`~.tfaws.TfRes` form; :func:`normalize_all` hands them to each provider's normalizer,
so no caller lists the normalizers itself. The helpers here are the pieces the Azure and Google
normalizers share with each other (the AWS one keeps its own).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from sansho.policies.config import tag_bool
from sansho.policies.model import Resource

from .common import MEDICAL_TAG, Reader, Unresolved
from .tfaws import Links, TfRes

# Terraform provider (the type prefix) → the model's provider.
PROVIDERS = {"aws": "aws", "azurerm": "azure", "google": "gcp"}

# Where one Terraform resource becomes several model resources (one per rule), the model ids add
# a suffix to the address; checkov and suppressions see the resource block, so they strip it.
_RULE_SUFFIX = re.compile(
    r"^((?:module\.[\w-]+(?:\[[^\]]*\])?\.)*[\w-]+\.[\w-]+(?:\[[^\]]*\])?)\.(?:ingress|security_rule|allow|deny)\[\d+\]$")


def block_address(resource_id: str) -> str:
    """``aws_security_group.web.ingress[0]`` → ``aws_security_group.web``; other ids unchanged."""
    m = _RULE_SUFFIX.match(resource_id)
    return m.group(1) if m else resource_id


def provider_of(rtype: str) -> str | None:
    """``azurerm_storage_account`` → ``azurerm``: the Terraform provider a resource type belongs to."""
    prefix = rtype.split("_", 1)[0]
    return prefix if prefix in PROVIDERS else None


@cache
def supported_types() -> frozenset[str]:
    """Every resource type some normalizer reads (the readers drop the others)."""
    from . import tfaws, tfazure, tfgoogle

    return frozenset(tfaws.SUPPORTED_TYPES | tfazure.SUPPORTED_TYPES | tfgoogle.SUPPORTED_TYPES)


def normalize_all(resources: list[TfRes], links: Links, source_type: str = "terraform") -> list[Resource]:
    from .tfaws import Normalizer
    from .tfazure import AzureNormalizer
    from .tfgoogle import GoogleNormalizer

    by_provider: dict[str | None, list[TfRes]] = {}
    for r in resources:
        by_provider.setdefault(provider_of(r.type), []).append(r)
    out: list[Resource] = []
    if by_provider.get("aws"):
        out += Normalizer(by_provider["aws"], links, source_type).run()
    if by_provider.get("azurerm"):
        out += AzureNormalizer(by_provider["azurerm"], links, source_type).run()
    if by_provider.get("google"):
        out += GoogleNormalizer(by_provider["google"], links, source_type).run()
    return out


# --- shared by the Azure and Google normalizers -------------------------------------------------

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
        out.append(PortRange(from_port=lo, to_port=hi))
    return out
