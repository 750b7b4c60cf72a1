"""Shared pieces of the IaC adapters: unresolved values, AWS policy reading, TLS policy tables."""

from __future__ import annotations

import builtins
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sansho.policies.config import TagKeys, tag_bool

from ..aws_documents import (  # noqa: F401 - re-exported for the IaC readers
    ENDPOINT_MIN_TLS,
    RESTRICTING_CONDITION_KEYS,
    denies_insecure_transport,
    elb_policy_min_tls,
    interval_days,
    parse_policy_text,
    policy_public,
    public_principal,
    statements,
    tls_floor,
)

MEDICAL_TAG = TagKeys.model_fields["medical"].default  # the default key the live collectors read


@dataclass(frozen=True)
class Unresolved:
    """A value the parser could not resolve (``${var.x}`` with no value, a computed attribute)."""

    expr: str
    scope: str | None = None  # the module scope the expression is written in, where not the resource's

    def __str__(self) -> str:
        return self.expr


UNSET = object()  # the attribute is absent from the code: the provider's default applies


def is_unresolved(v: Any) -> bool:
    return isinstance(v, Unresolved)


@dataclass
class Reader:
    """Collects why fields could not be read while a resource is normalized."""

    errors: dict[str, str] = field(default_factory=dict)

    def miss(self, field_name: str, why: str) -> None:
        self.errors.setdefault(field_name, why)

    def bool(self, v: Any, field_name: str, default: bool | None | object = UNSET) -> bool | None:
        """A boolean attribute; ``default`` stands for the provider default when absent."""
        if v is UNSET or v is None:
            if default is UNSET or default is None:
                if default is UNSET:
                    self.miss(field_name, "not set in the code, and the provider default is not known")
                return None
            return bool(default)
        if isinstance(v, bool):
            return v
        if isinstance(v, str) and v.strip().lower() in ("true", "false"):
            return v.strip().lower() == "true"
        self.miss(field_name, f"value {v} could not be resolved")
        return None

    def int(self, v: Any, field_name: str, default: int | None | object = UNSET) -> int | None:
        if v is UNSET or v is None:
            if default is UNSET:
                self.miss(field_name, "not set in the code, and the provider default is not known")
                return None
            return default  # type: ignore[return-value]
        if isinstance(v, bool):
            self.miss(field_name, f"value {v!r} is not a number")
            return None
        if isinstance(v, int):
            return v
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, str) and re.fullmatch(r"\s*-?\d+\s*", v):
            return int(v)
        self.miss(field_name, f"value {v} could not be resolved")
        return None

    # `bool` here would name the method above: this class shadows the builtins it reads into
    def str(self, v: Any, field_name: str, required: builtins.bool = False) -> str | None:
        if v is UNSET or v is None:
            if required:
                self.miss(field_name, "not set in the code")
            return None
        if isinstance(v, Unresolved):
            self.miss(field_name, f"value {v} could not be resolved")
            return None
        if isinstance(v, (str, int, float)) and not isinstance(v, bool):
            return str(v)
        self.miss(field_name, f"value {v!r} is not a string")
        return None


# --- AWS policy documents ------------------------------------------------------------------

def as_list(v: Any) -> list[Any]:
    if v is None or v is UNSET:
        return []
    return v if isinstance(v, list) else [v]


def default_parameter_group_tls(engine: str | None, version: str | None) -> bool | None:
    """Whether the engine's *default* parameter group forces TLS (None: not known for this engine)."""
    if not engine:
        return None
    e = engine.lower()
    if e in ("mysql", "mariadb", "aurora-mysql", "aurora"):
        return False  # require_secure_transport defaults to OFF
    if e == "postgres" and version:
        m = re.match(r"(\d+)", version)
        if m:
            return int(m.group(1)) >= 15  # rds.force_ssl defaults to 1 from PostgreSQL 15
    return None


TLS_PARAMETERS = {"rds.force_ssl", "require_secure_transport"}


def parameter_forces_tls(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    s = str(value).strip().lower()
    if s in ("1", "on", "true"):
        return True
    if s in ("0", "off", "false"):
        return False
    return None


# --- backup schedules ----------------------------------------------------------------------

def arn_region(arn: str) -> str | None:
    parts = arn.split(":")
    return parts[3] or None if len(parts) > 5 and parts[0] == "arn" else None


def arn_account(arn: str) -> str | None:
    parts = arn.split(":")
    return parts[4] or None if len(parts) > 5 and parts[0] == "arn" else None


def display_path(p: Path | str) -> str:
    """A file path as SARIF and users want it: relative to the working directory where possible."""
    path = Path(p)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def merge_default_tags(default: Any, own: Any) -> Any:
    """The tags AWS puts on a resource: its provider's default tags under its own, a key both set
    taking the resource's value (what Terraform calls ``tags_all``).

    ``default``: ``None`` or a mapping (values may be :class:`Unresolved`), or :class:`Unresolved`
    when the whole map could not be resolved; ``own``: the resource's ``tags`` (absent, a mapping
    or :class:`Unresolved`). Either map unresolved as a whole leaves the tag set unresolved: which
    keys it adds is unknown, and one of them could decide a verdict.
    """
    if own is UNSET or own is None:
        own = {}
    if isinstance(own, Unresolved):
        return own
    if isinstance(default, Unresolved):
        return Unresolved(f"provider default_tags {default.expr}", default.scope)
    if not default:
        return own
    if not isinstance(own, dict):
        return own
    return {**default, **own}


def read_json_document(path: Path) -> tuple[Any, str, tuple[str, str] | None]:
    """(document, text, None); for malformed JSON (None, text, (file:line, why)), the not-scanned
    entry. The text is kept for finding each resource's line."""
    text = path.read_text(encoding="utf-8-sig")
    try:
        return json.loads(text), text, None
    except json.JSONDecodeError as e:
        return None, text, (f"{display_path(path)}:{e.lineno}", f"malformed JSON: {e.msg}")


def medical_flag(tags: dict[str, str]) -> bool | None:
    return tag_bool(tags.get(MEDICAL_TAG))


MAX_BYTES = 20 * 1024 * 1024  # a larger file is not IaC anyone reviews; it is reported, not parsed

# The not-scanned reasons that mean "this file could not be parsed" (``sansho iac`` exits 2 on
# them unless --skip-unparsable): syntax errors of every reader, files checkov's HCL parser
# skipped, and what ``sniff`` refuses. The others (a module not downloaded, a document of the
# wrong shape, a missing path) are warnings.
PARSE_FAILURES = ("invalid HCL", "invalid YAML/JSON", "invalid template", "malformed JSON", "not read by checkov",
                  "binary file", "not UTF-8", "cannot read", "file is ")


def is_parse_failure(reason: str) -> bool:
    return reason.startswith(PARSE_FAILURES)


def sniff(path: Path) -> str | None:
    """Why a file cannot be read as IaC at all (too big, binary, unreadable), or None."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return f"file is {size / 1024 / 1024:.1f} MB, over the {MAX_BYTES // 1024 // 1024} MB limit for IaC input"
        with path.open("rb") as f:
            head = f.read(8192)
    except OSError as e:
        return f"cannot read: {e.strerror or e}"
    if b"\x00" in head:
        return "binary file, not Terraform, a plan or a CloudFormation template"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 4:  # not just a multi-byte character cut at the 8 KB boundary
            return "not UTF-8 text"
    return None
