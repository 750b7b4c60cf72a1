"""Errors a user can meet, each turned into one line naming the file and field (exit 2)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError


class InputError(Exception):
    """Bad input: a file, field, option or value the user must fix. Exit code 2."""

    exit_code = 2


def field_path(loc: tuple[int | str, ...], doc: object = None) -> str:
    """Render a pydantic error location as ``resources[3](id=…).encrypted``.

    Discriminated unions put the tag (``storage.bucket``) into the location; it is dropped
    here because the user never wrote it as a key.
    """
    out = ""
    node = doc
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            if isinstance(node, list) and part < len(node):
                node = node[part]
                if isinstance(node, dict) and isinstance(node.get("id"), str):
                    out += f"(id={node['id']})"
            else:
                node = None
            continue
        if isinstance(node, dict) and part not in node and ("." in str(part) or part == node.get("kind")):
            continue  # a union tag such as 'storage.bucket' or 'attestation'
        out += f".{part}" if out else str(part)
        node = node.get(part) if isinstance(node, dict) else None
    return out or "(top level)"


def describe_validation_error(path: Path | str, err: ValidationError, doc: object = None, limit: int = 3) -> str:
    errs = err.errors(include_url=False)
    lines = []
    for e in errs[:limit]:
        lines.append(f"field '{field_path(tuple(e['loc']), doc)}': {e['msg']}")
    more = f" (and {len(errs) - limit} more)" if len(errs) > limit else ""
    return f"{path}: " + "; ".join(lines) + more
