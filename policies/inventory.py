"""Reading and writing inventory files (``schema_version`` 1.0).

The happy path validates the whole file in pydantic's Rust core straight from bytes, which
is what keeps a 100k-resource scan fast. Only when validation fails is the document parsed
again in Python, to name the failing resource by its id in the one-line error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from .errors import InputError, describe_validation_error
from .model import KINDS, SCHEMA_VERSION, CollectionError, Inventory, Resource
from .readers import depth_error, load_json, load_yaml


def _json_default(o: Any) -> str:
    # YAML turns unquoted dates into date objects; they go back to ISO strings so that YAML and
    # JSON inventories pass through the same strict JSON validation.
    if hasattr(o, "isoformat"):
        return o.isoformat()
    raise TypeError(f"{type(o).__name__} is not JSON serializable")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, expected an inventory file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from None


def _explain(path: Path, doc: Any, err: ValidationError) -> InputError:
    """Turn a validation error into the one line a user should read first."""
    if not isinstance(doc, dict):
        return InputError(f"{path}: an inventory must be a JSON object with 'schema_version' and 'resources'")
    if "findings" in doc and "resources" not in doc:  # `sansho scan --format json` output, fed back in
        return InputError(f"{path}: this is a scan result (sansho scan --format json), not an inventory; "
                          "give the files `sansho collect` wrote / 点検結果のファイルです。インベントリを指定してください")
    if "schema_version" not in doc:
        return InputError(f"{path}: field 'schema_version' is missing (this sansho reads {SCHEMA_VERSION})")
    if doc["schema_version"] != SCHEMA_VERSION:
        return InputError(
            f"{path}: field 'schema_version' is {doc['schema_version']!r}; this sansho reads {SCHEMA_VERSION!r}"
        )
    resources = doc.get("resources")
    if isinstance(resources, list):
        for i, r in enumerate(resources):
            if isinstance(r, dict) and r.get("kind") not in KINDS:
                rid = f"(id={r['id']})" if isinstance(r.get("id"), str) else ""
                return InputError(
                    f"{path}: field 'resources[{i}]{rid}.kind': unknown resource kind {r.get('kind')!r}"
                    f" (known: {', '.join(KINDS)})"
                )
    return InputError(describe_validation_error(path, err, doc))


def parse_inventory_bytes(path: Path, data: bytes) -> Inventory:
    is_yaml = path.suffix.lower() in (".yaml", ".yml")
    doc: Any = None
    try:
        if is_yaml:
            doc = load_yaml(data, path, "an inventory")
            data = json.dumps(doc, default=_json_default).encode()
        else:
            # pydantic's reader keeps the last of two equal keys; the standard one, with a hook,
            # refuses them (and over-deep nesting). Its objects are dropped before validation.
            try:
                load_json(data, path)
            except (json.JSONDecodeError, UnicodeDecodeError):
                pass  # worded below, from pydantic's error
        return Inventory.model_validate_json(data)
    except ValidationError as err:
        deep = depth_error(path, str(err))
        if deep is not None:
            raise deep from None
        if doc is None:
            try:
                doc = load_json(data, path)
            except (json.JSONDecodeError, UnicodeDecodeError) as e:
                raise InputError(f"{path}: malformed JSON: {e}") from None
        raise _explain(path, doc, err) from None


def load_inventory(path: Path | str) -> Inventory:
    path = Path(path)
    return parse_inventory_bytes(path, _read_bytes(path))


def load_inventories(paths: Sequence[Path | str], errors: list[CollectionError] | None = None) -> list[Resource]:
    """Load several inventory files into one list, refusing the same resource twice.

    The collectors' read errors of every file are appended to ``errors`` when it is given."""
    seen: dict[tuple[str, str], Path] = {}
    out: list[Resource] = []
    for p in paths:
        p = Path(p)
        inv = load_inventory(p)
        if errors is not None:
            errors.extend(inv.errors)
        for r in inv.resources:
            key = (r.kind, r.id)
            if key in seen:
                raise InputError(
                    f"{p}: field 'resources(id={r.id}).id': {r.kind} {r.id!r} is already in {seen[key]}"
                )
            seen[key] = p
            out.append(r)
    return out


def dump_inventory(resources: Iterable[Resource], generator: str = "sansho",
                   errors: Iterable[CollectionError] = ()) -> str:
    import datetime as dt

    inv = Inventory(
        schema_version="1.0",
        generated_at=dt.datetime.now(dt.UTC),
        generator=generator,
        resources=list(resources),  # type: ignore[arg-type]
        errors=list(errors),
    )
    return inv.model_dump_json(indent=1, exclude_none=True)


def inventory_json_schema() -> str:
    return json.dumps(TypeAdapter(Inventory).json_schema(), ensure_ascii=False, indent=2)
