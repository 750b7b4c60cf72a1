"""``sansho rego bundle``: the Rego tree and the catalog data as an OPA bundle.

Teams that run OPA or conftest load this bundle and get the same verdicts as the embedded
engine: the rules read the catalog's applies_to and parameters from ``data.sansho.controls``.
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

from .catalog import load_catalog
from .config import load_config
from .engine.rego import rego_files, rego_root
from .output import atomic_file, tool_version


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def write_bundle(output: Path, config: Path | None = None) -> int:
    catalog = load_catalog()
    cfg = load_config(config, catalog)
    root = rego_root()
    files = [f for f in rego_files() if not f.is_test]
    manifest = {"revision": tool_version(), "roots": ["sansho"], "rego_version": 1}
    data = {"controls": catalog.rego_data(cfg.parameters)}
    with atomic_file(output) as tmp, tarfile.open(tmp, "w:gz") as tar:
        _add(tar, "/.manifest", json.dumps(manifest).encode())
        _add(tar, "/sansho/data.json", json.dumps(data, ensure_ascii=False).encode())
        for f in files:
            _add(tar, "/" + str(f.path.relative_to(root)), f.text.encode())
    return len(files)
