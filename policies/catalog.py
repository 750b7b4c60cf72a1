"""The control catalog: one YAML file per control in ``policies/catalog/``.

A control's metadata lives here and only here. Rules, checkov checks, the Pulumi pack and
reports all read it through :func:`load_catalog`.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from .errors import InputError, describe_validation_error
from .model import KINDS

Family = Literal[
    "storage-location", "jurisdiction", "encryption", "network", "access-control", "logging",
    "backup", "malware", "vendor", "physical", "operations", "records",
]
FAMILIES: tuple[str, ...] = Family.__args__  # type: ignore[attr-defined]
Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITY_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}
Responsibility = Literal["provider", "customer", "shared"]

ID_PATTERN = r"^SAN-[A-Z]{3}-\d{3}$"
SEED_FILES = (
    "000_a4193eb345f72405.txt", "001_9f88f3070fd2d771.txt", "002_950bf81c1abcb6f6.txt",
    "003_c11edd5a803ab133.txt", "004_890aa54ae85e9df7.txt",
)


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Closed):
    ja: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


class Source(_Closed):
    """Where in the guideline the control comes from."""

    document: str = Field(min_length=1, description="e.g. 医療情報システムの安全管理に関するガイドライン 第6.0版 企画管理編")
    volume: str | None = None
    section: str = Field(min_length=1)
    item: str | None = None
    seed: Literal[SEED_FILES]  # type: ignore[valid-type]

    def cite(self) -> str:
        parts = [self.document, self.volume, self.section, self.item]
        return " ".join(p for p in parts if p) + f" [{self.seed}]"


class ResponsibilitySplit(_Closed):
    saas: Responsibility
    paas: Responsibility
    iaas: Responsibility


class Control(_Closed):
    id: str = Field(pattern=ID_PATTERN)
    family: Family
    severity: Severity
    check: Literal["automated", "attestation"]
    title: Text
    description: Text
    remediation: Text
    source: Source
    applies_to: list[str] = Field(min_length=1)
    parameters: dict[str, Any] = Field(default_factory=dict)
    responsibility: ResponsibilitySplit
    # Framework requirement IDs per framework (control -> requirements), derived from the framework
    # files when the catalog loads: the mapping is written only there, in the other direction.
    _crosswalks: dict[str, list[str]] = PrivateAttr(default_factory=dict)

    @field_validator("applies_to")
    @classmethod
    def _known_kinds(cls, v: list[str]) -> list[str]:
        unknown = [k for k in v if k not in KINDS]
        if unknown:
            raise ValueError(f"unknown resource kind(s) {unknown}; known: {', '.join(KINDS)}")
        return v

    def summary(self, lang: str = "ja") -> dict[str, Any]:
        """The JSON contract of ``sansho controls --format json``."""
        return {
            "id": self.id,
            "family": self.family,
            "severity": self.severity,
            "check": self.check,
            "title": self.title.model_dump(),
            "description": self.description.model_dump(),
            "remediation": self.remediation.model_dump(),
            "source": {**self.source.model_dump(), "citation": self.source.cite()},
            "applies_to": list(self.applies_to),
            "parameters": self.parameters,
            "responsibility": self.responsibility.model_dump(),
            "crosswalks": {fw: list(reqs) for fw, reqs in self._crosswalks.items()},
        }


# A requirement ID must look like the framework's own numbering, so a typo cannot slip in as a
# new requirement. mhlw6 cites the guideline's structure (編, chapter, item) and has no pattern.
REQUIREMENT_ID_PATTERNS = {
    "iso27001": (r"A\.[5-8]\.\d{1,2}", "an ISO/IEC 27001:2022 Annex A control (A.5.1 … A.8.34)"),
    "soc2": (r"(CC\d\.\d|A1\.\d|C1\.\d|PI1\.\d|P\d\.\d)", "a SOC 2 trust services criterion (e.g. CC6.1)"),
    "ismap": (r"\d{1,2}\.\d{1,2}\.\d{1,2}", "an ISMAP 管理策 number (e.g. 12.3.1)"),
}
FRAMEWORK_ORDER = ("mhlw6", "ismap", "soc2", "iso27001")


def _framework_order(f: Framework) -> tuple[int, str]:
    return (FRAMEWORK_ORDER.index(f.id) if f.id in FRAMEWORK_ORDER else len(FRAMEWORK_ORDER), f.id)


class Requirement(_Closed):
    id: str = Field(min_length=1)
    title: Text
    controls: list[str] = Field(min_length=1)

    @field_validator("controls")
    @classmethod
    def _control_ids(cls, v: list[str]) -> list[str]:
        for cid in v:
            if not re.fullmatch(ID_PATTERN, cid):
                raise ValueError(f"{cid!r} is not a control ID (SAN-XXX-NNN)")
        if len(set(v)) != len(v):
            raise ValueError("a control is listed twice")
        return v


class Framework(_Closed):
    """A framework file: its requirements, in the framework's order, each naming sansho controls."""

    id: str = Field(pattern=r"^[a-z0-9]+$")
    name: Text
    edition: str = Field(min_length=1)
    requirements: list[Requirement] = Field(min_length=1)

    @model_validator(mode="after")
    def _requirement_ids(self) -> Framework:
        seen: set[str] = set()
        pattern = REQUIREMENT_ID_PATTERNS.get(self.id)
        for req in self.requirements:
            if req.id in seen:
                raise ValueError(f"requirement {req.id!r} is listed twice")
            seen.add(req.id)
            if pattern and not re.fullmatch(pattern[0], req.id):
                raise ValueError(f"requirement {req.id!r} is not {pattern[1]}")
        return self

    def requirement(self, req_id: str) -> Requirement:
        for req in self.requirements:
            if req.id == req_id:
                return req
        raise KeyError(req_id)


class Catalog:
    """All controls, keyed by ID, in ID order, and the frameworks that map onto them."""

    def __init__(self, controls: Iterable[Control], frameworks: Iterable[Framework] = ()):
        # Copies: each catalog attaches its own derived crosswalks, never to another catalog's controls.
        self.controls: dict[str, Control] = {c.id: c.model_copy() for c in sorted(controls, key=lambda c: c.id)}
        self.frameworks: dict[str, Framework] = {f.id: f for f in sorted(frameworks, key=_framework_order)}
        reverse: dict[str, dict[str, list[str]]] = {cid: {} for cid in self.controls}
        for fw in self.frameworks.values():
            for req in fw.requirements:
                for cid in req.controls:
                    if cid not in self.controls:
                        raise InputError(f"framework {fw.id}: requirement {req.id!r} names unknown control {cid}")
                    reverse[cid].setdefault(fw.id, []).append(req.id)
        self._reverse = reverse
        for cid, control in self.controls.items():
            control._crosswalks = self.crosswalks(cid)

    def crosswalks(self, control_id: str) -> dict[str, list[str]]:
        """The requirements a control serves, per framework (every framework present, maybe empty)."""
        mapped = self._reverse[control_id]
        return {fw: list(mapped.get(fw, [])) for fw in self.frameworks}

    def __iter__(self):
        return iter(self.controls.values())

    def __len__(self) -> int:
        return len(self.controls)

    def __getitem__(self, control_id: str) -> Control:
        return self.controls[control_id]

    def __contains__(self, control_id: object) -> bool:
        return control_id in self.controls

    def select(self, ids: Iterable[str] | None = None, family: str | None = None) -> list[Control]:
        chosen = list(self)
        if ids:
            wanted = set(ids)
            chosen = [c for c in chosen if c.id in wanted]
        if family:
            chosen = [c for c in chosen if c.family == family]
        return chosen

    def rego_data(self, parameters: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
        """What the Rego rules see as ``data.sansho.controls``: kinds and effective parameters."""
        parameters = parameters or {}
        return {
            c.id: {
                "applies_to": c.applies_to,
                "params": {**c.parameters, **parameters.get(c.id, {})},
            }
            for c in self
        }


def catalog_dir() -> Path:
    return Path(str(resources.files("sansho.policies") / "catalog"))


def _read_mapping(path: Path, what: str) -> dict[str, Any]:
    try:
        # libyaml when present: the catalog is read on every run and the pure-Python loader costs ~0.4 s
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        raise InputError(f"{path}: malformed YAML: {e}") from None
    if not isinstance(doc, dict):
        raise InputError(f"{path}: {what} must hold a mapping")
    return doc


def load_control(path: Path) -> Control:
    doc = _read_mapping(path, "a control file")
    try:
        control = Control.model_validate(doc)
    except ValidationError as e:
        raise InputError(describe_validation_error(path, e)) from None
    if control.id != path.stem:
        raise InputError(f"{path}: field 'id' is {control.id!r} but the file is named {path.name}")
    return control


def load_framework(path: Path) -> Framework:
    doc = _read_mapping(path, "a framework file")
    try:
        framework = Framework.model_validate(doc)
    except ValidationError as e:
        raise InputError(describe_validation_error(path, e)) from None
    if framework.id != path.stem:
        raise InputError(f"{path}: field 'id' is {framework.id!r} but the file is named {path.name}")
    return framework


@functools.cache
def load_catalog(directory: str | None = None) -> Catalog:
    d = Path(directory) if directory else catalog_dir()
    controls = [load_control(p) for p in sorted(d.glob("SAN-*.yaml"))]
    frameworks = [load_framework(p) for p in sorted((d / "frameworks").glob("*.yaml"))]
    return Catalog(controls, frameworks)


def catalog_json_schema() -> str:
    return json.dumps(Control.model_json_schema(), ensure_ascii=False, indent=2)
