"""The tags the guideline asks every resource to carry: data classification, storage purpose,
retention period, backup frequency; plus the keys sansho reads (medical information, purpose)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # settings.py uses these helpers for the resource groups
    from .settings import Settings


def tags(
    s: Settings,
    *,
    classification: str,
    purpose: str,
    retention: str,
    backup: str,
    medical: bool = False,
    **extra: str,
) -> dict[str, str]:
    k = s.tag_keys
    out = {
        k["dataClassification"]: classification,
        k["storagePurpose"]: purpose,
        k["retention"]: retention,
        k["backupFrequency"]: backup,
        k["medical"]: "true" if medical else "false",
    }
    for key, value in extra.items():
        out[k.get(key, key)] = value
    return out


def default_tags(s: Settings) -> dict[str, str]:
    """Provider default tags: what a resource without its own data carries (network, IAM, …)."""
    return {
        **tags(s, classification="internal", purpose="infrastructure", retention="none", backup="none"),
        "managed-by": "pulumi",
        "system": s.prefix,
    }
