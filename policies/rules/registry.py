"""Python rules: a decorator registry.

Python rules are for what Rego does awkwardly, chiefly date arithmetic against the scan date
(key age, certificate expiry, restore-test age). A rule receives one applicable resource (the
catalog's ``applies_to`` decides which), the control's effective parameters and the scan
context, and returns one :class:`Verdict`. Returning ``None`` is a rule bug and is judged
UNKNOWN by the engine, never PASS.

    @rule("SAN-IAM-005")
    def access_keys_rotated(r: IdentityUser, params: dict, ctx: RuleContext) -> Verdict:
        if r.access_keys is None:
            return unknown("access_keys")
        ...
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..model import Resource


@dataclass(frozen=True)
class Verdict:
    status: str
    en: str
    ja: str


def passed(en: str, ja: str) -> Verdict:
    return Verdict("PASS", en, ja)


def failed(en: str, ja: str) -> Verdict:
    return Verdict("FAIL", en, ja)


def not_applicable(en: str, ja: str) -> Verdict:
    return Verdict("NOT_APPLICABLE", en, ja)


def unknown(field_name: str) -> Verdict:
    """The field was not read; same wording as the Rego helper ``lib.unknown``."""
    return Verdict(
        "UNKNOWN",
        f"{field_name} was not read, so compliance cannot be judged",
        f"{field_name} を取得できなかったため判定できません",
    )


def after_scan_date(field_name: str, value: dt.date, today: dt.date) -> Verdict:
    """A date later than the scan date cannot be trusted: judged as not read."""
    return Verdict(
        "UNKNOWN",
        f"{field_name} {value.isoformat()} is after the scan date {today.isoformat()}, so it cannot be trusted",
        f"{field_name}({value.isoformat()})が判定日 {today.isoformat()} より後の日付のため判定できません",
    )


@dataclass(frozen=True)
class RuleContext:
    """What a rule may know besides the resource: the scan date and the whole inventory."""

    today: dt.date
    by_kind: dict[str, list[Resource]] = field(default_factory=dict)


RuleFunc = Callable[[Any, dict[str, Any], RuleContext], Verdict | None]


@dataclass(frozen=True)
class PythonRule:
    control_id: str
    func: RuleFunc

    @property
    def name(self) -> str:
        return f"{self.func.__module__}.{self.func.__qualname__}"


_REGISTRY: list[PythonRule] = []


def rule(control_id: str) -> Callable[[RuleFunc], RuleFunc]:
    def register(func: RuleFunc) -> RuleFunc:
        _REGISTRY.append(PythonRule(control_id, func))
        return func

    return register


def python_rules() -> list[PythonRule]:
    """Import every module of ``sansho.policies.rules`` once, then return the registry."""
    import sansho.policies.rules as pkg

    for mod in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"{pkg.__name__}.{mod.name}")
    return list(_REGISTRY)


def days_between(earlier: dt.date, later: dt.date) -> int:
    return (later - earlier).days
