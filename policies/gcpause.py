"""When Python's cyclic garbage collector runs while sansho builds millions of objects.

Reading a big inventory, judging it and parsing IaC allocate millions of small objects that
are not garbage; each automatic collection (every 700 allocations, and the older generations
every so often) walks the ones still alive again. Validating 10,000 firewall rules next to a
100k-resource document took 3.6 s with the collector running and 0.9 s without; checkov's
parser and graph lost about a quarter of `sansho iac` on a 500-resource corpus (measured). These
objects hold no reference cycles worth collecting early, so the collector is paused while they
are built, and runs once after.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def paused(freeze: bool = False) -> Iterator[None]:
    """No automatic collection inside the block. ``freeze``: what exists at the end is moved out
    of every later collection (``gc.freeze``), for objects that live as long as the process."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def per_chunk() -> Iterator[Callable[[], None]]:
    """No automatic collection inside the block, which calls the function it gets once per chunk
    of work. What exists before the block (engine, catalog, imports) lives as long as the block,
    so it is frozen out of those collections, and thawed after."""
    was_enabled = gc.isenabled()
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield gc.collect
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()
