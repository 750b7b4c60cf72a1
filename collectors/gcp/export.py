"""Reading what users export from Cloud Asset Inventory, for scans without credentials.

Accepted, detected by shape (a file, or a folder of ``*.json`` files read together):

* ``gcloud asset export --content-type=resource`` and ``--content-type=iam-policy`` output, as
  written to Cloud Storage: newline-delimited JSON, one Asset a line (snake_case names);
* ``gcloud asset list --format=json``: a JSON list of Assets;
* ``gcloud asset search-all-resources --format=json``: a JSON list of ResourceSearchResult.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sansho.policies.errors import InputError
from sansho.policies.model import SourceRef
from sansho.policies.readers import load_json

from .estate import Estate, FieldError, Item, ingest_asset, ingest_search_result, is_search_result


def read_exports(path: Path) -> Estate:
    files = _files(path)
    estate = Estate()
    for f in files:
        _read_file(estate, f)
    if not estate.items and not estate.policies:
        raise InputError(f"{path}: holds no Cloud Asset Inventory assets / アセットが含まれていません")
    return estate


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".json", ".ndjson", ".jsonl") and p.is_file())
        if not files:
            raise InputError(f"{path}: no .json export files in this folder")
        return files
    if not path.exists():
        raise InputError(f"{path}: file not found")
    return [path]


def _read_file(estate: Estate, path: Path) -> None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (byte {e.start})") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from None
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            records = load_json(text, path)
        except json.JSONDecodeError as e:
            raise InputError(f"{path}: line {e.lineno}: malformed JSON: {e.msg}") from None
        for i, doc in enumerate(records, start=1):
            _ingest(estate, doc, SourceRef(type="inventory", file=str(path)), path, f"record {i}")
        return
    lines = text.splitlines()
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            doc = load_json(line, path)
        except json.JSONDecodeError as e:
            if n == 1:
                _single_object(estate, path, text)
                return
            raise InputError(f"{path}: line {n}: malformed JSON: {e.msg}") from None
        _ingest(estate, doc, SourceRef(type="inventory", file=str(path), line=n), path, f"line {n}")


def _single_object(estate: Estate, path: Path, text: str) -> None:
    """One pretty-printed Asset (``gcloud asset get-history`` style output of one item)."""
    try:
        doc = load_json(text, path)
    except json.JSONDecodeError as e:
        raise InputError(f"{path}: line {e.lineno}: malformed JSON: {e.msg}") from None
    _ingest(estate, doc, SourceRef(type="inventory", file=str(path), line=1), path, "record 1")


def _ingest(estate: Estate, doc: Any, source: SourceRef, path: Path, where: str) -> None:
    try:
        if is_search_result(doc):
            ingest_search_result(estate, doc, source, where)
        else:
            ingest_asset(estate, doc, source, where)
    except FieldError as e:
        raise InputError(f"{path}: {where}: {e}") from None


def on_error_export(item: Item, e: FieldError) -> None:
    raise InputError(f"{item.source.file}: {item.where} ({item.name}): {e}")
