"""Shared pieces of the IaC adapters: unresolved values, AWS policy reading, TLS policy tables."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MEDICAL_TAG = "sansho:medical"  # the same tag key the live AWS collector reads


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

    def str(self, v: Any, field_name: str, required: bool = False) -> str | None:
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


def statements(policy: dict[str, Any]) -> list[dict[str, Any]]:
    st = policy.get("Statement") or []
    return [s for s in as_list(st) if isinstance(s, dict)]


def public_principal(p: Any) -> bool:
    if p == "*":
        return True
    if isinstance(p, dict):
        return any(x == "*" for x in as_list(p.get("AWS", [])))
    return False


RESTRICTING_CONDITION_KEYS = frozenset(k.lower() for k in (
    "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpce", "aws:SourceAccount", "aws:SourceArn",
    "aws:SourceOwner", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount",
    "aws:PrincipalArn", "aws:userid", "aws:username",
))


def policy_public(policy: dict[str, Any]) -> bool:
    """An Allow statement for everyone (``*``) not narrowed by a network/organisation condition."""
    for s in statements(policy):
        if s.get("Effect") != "Allow" or not public_principal(s.get("Principal")):
            continue
        keys = {str(k).lower() for cond in (s.get("Condition") or {}).values() if isinstance(cond, dict)
                for k in cond}
        if not keys & RESTRICTING_CONDITION_KEYS:
            return True
    return False


def denies_insecure_transport(policy: dict[str, Any]) -> bool:
    for s in statements(policy):
        if s.get("Effect") != "Deny" or not public_principal(s.get("Principal")):
            continue
        actions = [str(a).lower() for a in as_list(s.get("Action", []))]
        if not any(a in ("*", "s3:*", "s3:getobject", "s3:putobject") for a in actions):
            continue
        for op, cond in (s.get("Condition") or {}).items():
            if not str(op).lower().startswith("bool") or not isinstance(cond, dict):
                continue
            for k, v in cond.items():
                if k.lower() == "aws:securetransport" and any(str(x).lower() == "false" for x in as_list(v)):
                    return True
    return False


# Since 2024 every AWS endpoint, S3 included, refuses TLS below 1.2; a policy can only raise it.
ENDPOINT_MIN_TLS = "1.2"


def tls_floor(policy: dict[str, Any]) -> str:
    """The minimum TLS version S3 accepts for the bucket: the endpoint floor or a higher s3:TlsVersion deny."""
    floor = ENDPOINT_MIN_TLS
    for s in statements(policy):
        if s.get("Effect") != "Deny" or not public_principal(s.get("Principal")):
            continue
        for op, cond in (s.get("Condition") or {}).items():
            if str(op).lower() != "numericlessthan" or not isinstance(cond, dict):
                continue
            for k, v in cond.items():
                if k.lower() != "s3:tlsversion":
                    continue
                for x in as_list(v):
                    try:
                        val = f"{float(str(x)):.1f}"
                    except ValueError:
                        continue
                    if val > floor:
                        floor = val
    return floor


def parse_policy_text(text: Any) -> dict[str, Any] | None:
    """A policy given as JSON text (heredoc, CFN string) or already as a mapping."""
    if isinstance(text, dict):
        return text
    if not isinstance(text, str):
        return None
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


# --- Load balancer security policies ------------------------------------------------------

_ELB_POLICY_TLS = {
    "ELBSecurityPolicy-2016-08": "1.0",
    "ELBSecurityPolicy-2015-05": "1.0",
    "ELBSecurityPolicy-FS-2018-06": "1.0",
    "ELBSecurityPolicy-TLS-1-0-2015-04": "1.0",
}


def elb_policy_min_tls(name: str) -> str | None:
    """Minimum TLS version of an ELB predefined security policy, from its documented name."""
    if name in _ELB_POLICY_TLS:
        return _ELB_POLICY_TLS[name]
    m = re.search(r"(?:TLS13-|TLS-|FS-)1-(\d)", name)
    if m:
        return f"1.{m.group(1)}"
    return None


# --- RDS in-transit defaults ---------------------------------------------------------------

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

def interval_days(expr: str | None) -> float | None:
    """Days between runs of a plain daily/weekly/monthly/rate schedule expression (as the live collector)."""
    if not expr:
        return None
    m = re.fullmatch(r"\s*rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)\s*", expr)
    if m:
        n = int(m.group(1))
        unit = m.group(2)
        return n / 1440 if unit.startswith("minute") else n / 24 if unit.startswith("hour") else float(n)
    m = re.fullmatch(r"\s*cron\((.*)\)\s*", expr)
    if not m:
        return None
    f = m.group(1).split()
    if len(f) != 6:
        return None
    minute, hour, dom, month, dow, _year = f
    if month not in ("*", "?") or not re.fullmatch(r"\d+", minute):
        return None
    if dom in ("*", "?") and dow in ("*", "?"):
        if re.fullmatch(r"\d+", hour):
            return 1.0
        step = re.fullmatch(r"(?:\*|\d+)/(\d+)", hour)
        if step:
            return int(step.group(1)) / 24
        return None
    if dom in ("*", "?") and re.fullmatch(r"[A-Za-z0-9]+", dow):
        return 7.0
    if re.fullmatch(r"\d+|L", dom) and dow in ("*", "?"):
        return 30.0
    return None


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


def medical_flag(tags: dict[str, str]) -> bool | None:
    v = tags.get(MEDICAL_TAG)
    if v is None:
        return None
    v = v.strip().lower()
    if v in ("true", "yes", "1"):
        return True
    if v in ("false", "no", "0"):
        return False
    return None
