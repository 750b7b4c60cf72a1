"""Loading a control's good/bad examples (``policies/catalog/examples/<ID>.yaml``)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from sansho.policies.catalog import catalog_dir
from sansho.policies.inventory import parse_inventory_bytes
from sansho.policies.model import Resource
from sansho.policies.readers import load_yaml

EXAMPLES_DIR = catalog_dir() / "examples"


@dataclass
class Example:
    control_id: str
    path: Path
    resources: list[Resource]
    expect: dict[str, set[str]]
    as_of: dt.date


def load_example(path: Path) -> Example:
    doc = load_yaml(path.read_text(encoding="utf-8"), path, "an example")  # the loader user files go through
    inventory = {"schema_version": "1.0", "resources": doc["resources"]}
    data = json.dumps(inventory, default=lambda o: o.isoformat()).encode()
    resources = parse_inventory_bytes(path.with_suffix(".json"), data).resources
    expect = {status: set(ids) for status, ids in (doc.get("expect") or {}).items()}
    as_of = doc.get("as_of") or dt.date(2026, 11, 1)
    return Example(path.stem, path, list(resources), expect, as_of)


def example_paths() -> list[Path]:
    return sorted(EXAMPLES_DIR.glob("SAN-*.yaml"))
