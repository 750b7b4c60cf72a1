"""What AWS documents mean: resource policies, load-balancer TLS policies, backup schedules, S3
lifecycle rules.

The live collector (``sansho.collectors.aws``) reads these documents from the APIs and the IaC
reader (``sansho.collectors.iac``) from Terraform and CloudFormation; both interpret them here, so
a bucket policy means the same thing wherever it was found.
"""

from __future__ import annotations

import json
import re
from typing import Any


def as_list(v: Any) -> list[Any]:
    """A policy element that may be one value or a list of them."""
    if v is None:
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
    "aws:PrincipalArn", "aws:userid", "aws:username", "s3:DataAccessPointAccount",
    "s3:DataAccessPointArn",
))


def policy_public(policy: dict[str, Any] | None) -> bool:
    """An Allow statement for everyone (``*``) not narrowed by a network/organisation condition."""
    for s in statements(policy or {}):
        if s.get("Effect") != "Allow" or not public_principal(s.get("Principal")):
            continue
        keys = {str(k).lower() for cond in (s.get("Condition") or {}).values() if isinstance(cond, dict)
                for k in cond}
        if not keys & RESTRICTING_CONDITION_KEYS:
            return True
    return False


# --- identity policies: full administrative rights (SAN-IAM-006, SAN-IAM-011) --------------

# AWS managed policies that allow every action on every resource. AWS's other managed policies
# are fixed documents that do not (PowerUserAccess, for one, leaves IAM out through NotAction).
AWS_ADMIN_POLICY_ARNS = frozenset({"arn:aws:iam::aws:policy/AdministratorAccess"})
AWS_MANAGED_POLICY_PREFIX = "arn:aws:iam::aws:policy/"
FULL_ADMIN_ACTIONS = frozenset({"*", "*:*"})


def grants_full_admin(policy: dict[str, Any] | None) -> bool:
    """An Allow statement whose Action is ``*`` (or ``*:*``) on Resource ``*``.

    A Condition does not narrow *what* is granted (it says when, from where or with which
    authentication), so an Allow of everything under a condition (MFA, source IP, a time window)
    counts the same. NotAction statements (everything except a few actions) and Deny statements
    are not weighed: only an unqualified grant of everything is full administrative rights here.
    """
    for s in statements(policy or {}):
        if s.get("Effect") != "Allow":
            continue
        actions = {str(a) for a in as_list(s.get("Action"))}
        resources = {str(r) for r in as_list(s.get("Resource"))}
        if actions & FULL_ADMIN_ACTIONS and "*" in resources:
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


# --- backup schedules ----------------------------------------------------------------------

def interval_days(expr: str | None) -> float | None:
    """Days between runs of a plain daily/weekly/monthly/rate schedule expression, or None."""
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


# --- S3 lifecycle: how long CloudTrail keeps its logs -------------------------------------

def log_retention(rules: list[dict[str, Any]] | None, key: str, lock_days: int | None
                  ) -> tuple[int | None, str | None]:
    """Days the trail's logs are kept, from the bucket's lifecycle rules that cover ``key``.

    The shortest current-version expiration of an enabled rule whose prefix covers the logs;
    Object Lock's default retention keeps objects at least that long whatever the lifecycle says.
    With no expiration the logs stay until someone deletes them: a fixed period exists only
    when Object Lock guarantees one, else the value is left unread with the reason.
    """
    days: list[int] = []
    for r in rules or []:
        if r.get("Status") != "Enabled":
            continue
        flt = r.get("Filter") or {}
        prefix = r.get("Prefix") if "Prefix" in r else flt.get("Prefix", (flt.get("And") or {}).get("Prefix", ""))
        if flt.get("Tag") or (flt.get("And") or {}).get("Tags"):
            continue  # tag-filtered rules do not touch CloudTrail's untagged log objects
        if prefix and not key.startswith(prefix) and not prefix.startswith(key):
            continue
        exp = r.get("Expiration") or {}
        if exp.get("Days"):
            days.append(int(exp["Days"]))
    if days:
        return max(min(days), lock_days or 0), None
    if lock_days:
        return lock_days, None
    return None, ("the destination bucket has no lifecycle expiration and no Object Lock retention: logs are kept "
                  "until someone deletes them, so there is no retention period to judge")
