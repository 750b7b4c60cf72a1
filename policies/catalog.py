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
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

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


class Crosswalks(_Closed):
    ismap: list[str] = Field(default_factory=list, description="ISMAP管理基準 管理策番号")
    soc2: list[str] = Field(default_factory=list, description="AICPA TSC 2017 criteria")
    iso27001: list[str] = Field(default_factory=list, description="ISO/IEC 27001:2022 Annex A")

    @field_validator("iso27001")
    @classmethod
    def _annex_a(cls, v: list[str]) -> list[str]:
        for ref in v:
            if not re.fullmatch(r"A\.[5-8]\.\d{1,2}", ref):
                raise ValueError(f"{ref!r} is not an ISO/IEC 27001:2022 Annex A control (A.5.1 … A.8.34)")
        return v

    @field_validator("soc2")
    @classmethod
    def _tsc(cls, v: list[str]) -> list[str]:
        for ref in v:
            if not re.fullmatch(r"(CC\d\.\d|A1\.\d|C1\.\d|PI1\.\d|P\d\.\d)", ref):
                raise ValueError(f"{ref!r} is not a SOC 2 trust services criterion (e.g. CC6.1)")
        return v


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
    crosswalks: Crosswalks = Field(default_factory=Crosswalks)

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
            "crosswalks": self.crosswalks.model_dump(),
        }


class Catalog:
    """All controls, keyed by ID, in ID order."""

    def __init__(self, controls: Iterable[Control]):
        self.controls: dict[str, Control] = {c.id: c for c in sorted(controls, key=lambda c: c.id)}

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


def load_control(path: Path) -> Control:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise InputError(f"{path}: malformed YAML: {e}") from None
    if not isinstance(doc, dict):
        raise InputError(f"{path}: a control file must hold a mapping")
    try:
        control = Control.model_validate(doc)
    except ValidationError as e:
        raise InputError(describe_validation_error(path, e)) from None
    if control.id != path.stem:
        raise InputError(f"{path}: field 'id' is {control.id!r} but the file is named {path.name}")
    return control


@functools.cache
def load_catalog(directory: str | None = None) -> Catalog:
    d = Path(directory) if directory else catalog_dir()
    return Catalog(load_control(p) for p in sorted(d.glob("SAN-*.yaml")))


def catalog_json_schema() -> str:
    return json.dumps(Control.model_json_schema(), ensure_ascii=False, indent=2)
