"""The Azure collector: Resource Graph plus management-plane reads, live or from an
``az graph query -o json`` export, normalized into the inventory model (docs/azure.md).

Nothing here imports the Azure SDK at import time: ``sansho --help`` and ``--from-export`` work
without it, and live collection says which extra to install when it is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sansho.policies.config import TagKeys
    from sansho.policies.live import LiveOptions
    from sansho.policies.model import CollectionError, Resource


def collect_live(opts: LiveOptions) -> tuple[list[Resource], list[CollectionError]]:
    from rich.console import Console

    from .live import collect

    coll = collect(opts.subscriptions, opts.tenant, opts.endpoint_url, tag_keys=opts.tag_keys,
                   progress=sys.stderr.isatty())
    Console(stderr=True).print(coll.summary_line(), highlight=False, soft_wrap=True)
    return coll.resources, coll.errors


def from_export(path: Path, tag_keys: TagKeys | None) -> tuple[list[Resource], list[CollectionError]]:
    from .export import from_export as read

    return read(path, tag_keys)


def permissions_text(lang: str) -> str:
    from .permissions import permissions_text as text

    return text(lang)
