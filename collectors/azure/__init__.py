"""The Azure collector: Resource Graph plus management-plane reads, live or from an
``az graph query -o json`` export, normalized into the inventory model (docs/azure.md).

Nothing here imports the Azure SDK at import time: ``sansho --help`` and ``--from-export`` work
without it, and live collection says which extra to install when it is missing.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sansho.policies.config import TagKeys
    from sansho.policies.live import LiveOptions
    from sansho.policies.model import CollectionError, Resource


def collect_live(opts: LiveOptions) -> tuple[list[Resource], list[CollectionError]]:
    from rich.console import Console

    from .live import collect

    with _sdk_logs_quiet():
        coll = collect(opts.subscriptions, opts.tenant, opts.endpoint_url, tag_keys=opts.tag_keys,
                       progress=sys.stderr.isatty())
    Console(stderr=True).print(coll.summary_line(), highlight=False, soft_wrap=True)
    return coll.resources, coll.errors


@contextlib.contextmanager
def _sdk_logs_quiet() -> Iterator[None]:
    """azure-identity logs every credential it tries, about 15 lines, before the error that sansho
    words in one line itself: the SDK's loggers (and msal's) say nothing below ERROR meanwhile."""
    loggers = [logging.getLogger(name) for name in ("azure", "msal")]
    levels = [log.level for log in loggers]
    for log in loggers:
        log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for log, level in zip(loggers, levels, strict=True):
            log.setLevel(level)


def from_export(path: Path, tag_keys: TagKeys | None) -> tuple[list[Resource], list[CollectionError]]:
    from .export import from_export as read

    return read(path, tag_keys)


def permissions_text(lang: str) -> str:
    from .permissions import permissions_text as text

    return text(lang)
