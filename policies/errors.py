"""Errors a user can meet, each turned into one line naming the file and field (exit 2)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError


class InputError(Exception):
    """Bad input: a file, field, option or value the user must fix. Exit code 2."""

    exit_code = 2


def first_line(e: BaseException, limit: int | None = None) -> str:
    """The first non-blank line of an exception's text (or its type's name): what a one-line
    error message quotes of a library's multi-line error."""
    lines = [ln.strip() for ln in str(e).splitlines() if ln.strip()]
    text = lines[0] if lines else type(e).__name__
    return text[:limit] if limit is not None else text


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


# Optional dependencies: the top-level module → the extra that installs it.
EXTRAS = {"boto3": "aws", "botocore": "aws", "azure": "azure", "msal": "azure", "google": "gcp", "grpc": "gcp",
          "checkov": "iac", "hcl2": "iac", "pulumi": "pulumi", "pulumi_aws": "pulumi", "pulumi_policy": "pulumi",
          "weasyprint": "pdf", "psycopg": "postgres", "psycopg_binary": "postgres",
          "distributed": "distributed", "dask": "distributed"}


def require(module: str, what: str) -> None:
    """Raise an :class:`InputError` naming the extra to install when ``module`` is not importable."""
    import importlib.util

    try:
        found = importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        extra = EXTRAS[module.split(".")[0]]
        raise InputError(f"{what} needs {module}, which is not installed: pip install 'sansho[{extra}]'")


def missing_extra(e: ImportError) -> InputError | None:
    """The one line for an optional dependency found missing where no command expected it."""
    top = (e.name or "").split(".")[0]
    if top not in EXTRAS:
        return None
    return InputError(f"{top} is not installed: pip install 'sansho[{EXTRAS[top]}]'")
