"""Where a live scan reads from: the options every live collector (``collect_live``) takes.

Its own module so that collectors can take it without importing the scan orchestration
(:mod:`.scanning`), which imports the collectors and the reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import TagKeys


@dataclass(frozen=True)
class LiveOptions:
    """Where a live scan reads from. Each provider reads only its own fields."""

    source: str
    profile: str | None = None
    regions: str = "all"
    role_arn: str | None = None
    endpoint_url: str | None = None  # every provider: emulators, sovereign clouds, private endpoints, tests
    org_role: str | None = None
    subscriptions: str = "all"  # Azure: all, or ID,ID
    tenant: str | None = None  # Azure
    organization: str | None = None  # GCP scope: one of organization, folder, projects
    folder: str | None = None
    projects: str | None = None
    tag_keys: TagKeys | None = None  # from sansho.yaml; None: the defaults
