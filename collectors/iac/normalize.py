"""Every Terraform normalizer, run over one configuration: AWS, Azure (azurerm) and Google.

Terraform directories (hcl.py), plans (plan.py) and the CloudFormation adapter bring resources
into :class:`~.tfaws.TfRes` form; :func:`normalize_all` hands them to each provider's normalizer,
so no caller lists the normalizers itself. It imports the normalizers; they never import it
(what the Azure and Google normalizers share lives in :mod:`.cloud_fields`), so there is no cycle.
"""

from __future__ import annotations

import re
from functools import cache

from sansho.policies.model import Resource

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
