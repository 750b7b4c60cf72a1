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
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    computed_field,
    field_validator,
    model_validator,
)

from .errors import InputError, describe_validation_error
from .model import KINDS

Family = Literal[
    "storage-location", "jurisdiction", "encryption", "network", "access-control", "logging",
    "backup", "malware", "vendor", "physical", "operations", "records", "provider",
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


# A Japanese character: kana, kanji, CJK and full-width punctuation and brackets (「」()、。・ー …).
# Full-width letters and digits are left out: a space next to them is the writer's choice.
_JA = r"[\u3001-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff" \
      r"\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff9f]"
_STRAY_SPACE = re.compile(rf"(?<={_JA})[ \t]+(?={_JA})")


def join_japanese(text: str) -> str:
    """Drop the half-width spaces that sit between two Japanese characters.

    YAML folded scalars (``>-``) join lines with a space, which in Japanese is a stray space
    (「作成した 資源へ」). A space between Latin and Japanese text is kept (「MFA デバイス」).
    """
    return _STRAY_SPACE.sub("", text)


class Text(_Closed):
    ja: str = Field(min_length=1)
    en: str = Field(min_length=1)

    @field_validator("ja")
    @classmethod
    def _no_stray_spaces(cls, v: str) -> str:
        return join_japanese(v)

    def get(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


MHLW_GUIDELINE = "医療情報システムの安全管理に関するガイドライン"
PROVIDER_GUIDELINE = "医療情報を取り扱う情報システム・サービスの提供事業者における安全管理ガイドライン"
COMMENTARY = "3省2ガイドライン解説記事(LRM株式会社)"
# The documents a source record may cite, by the edition label written in the record, with the
# document name printed in citations. 第6.0版 is the MHLW guideline in force; 旧版 is the earlier
# (第4・5版) text some controls were first written from, kept only as a secondary reference. The
# provider guideline is cited by its 第1.1版 numbering (第2.0版 is current; its numbering is
# unverified). The commentary is an overview article: never a source, only a pointer.
EDITIONS: dict[str, str] = {
    "第6.0版": f"{MHLW_GUIDELINE} 第6.0版",
    "旧版(第4・5版)": f"{MHLW_GUIDELINE} 旧版(第4・5版)",
    "提供事業者GL 第1.1版": f"{PROVIDER_GUIDELINE} 第1.1版",
    "解説記事": COMMENTARY,
}
Edition = Literal["第6.0版", "旧版(第4・5版)", "提供事業者GL 第1.1版", "解説記事"]
PRIMARY_EDITIONS = ("第6.0版", "提供事業者GL 第1.1版")
Volume = Literal["概説編", "経営管理編", "企画管理編", "システム運用編"]
UNVERIFIED_MARK = "(番号未確認 / number unverified)"
# Which edition each repository text is: a record's seed must be a text of the edition it cites.
SEED_EDITIONS = {
    "000_a4193eb345f72405.txt": "第6.0版", "001_9f88f3070fd2d771.txt": "第6.0版",
    "002_950bf81c1abcb6f6.txt": "解説記事", "003_c11edd5a803ab133.txt": "第6.0版",
    "004_890aa54ae85e9df7.txt": "旧版(第4・5版)",
}


class Source(_Closed):
    """One place in a guideline that a control comes from.

    A control lists one or more: the first is the primary source (``role: primary``), the others
    are further references (``secondary``: another item, or the earlier edition the wording came
    from; ``commentary``: the overview article, never more than a pointer).
    """

    role: Literal["primary", "secondary", "commentary"]
    edition: Edition
    volume: Volume | None = Field(default=None, description="編 of 第6.0版 (企画管理編, システム運用編, …)")
    section: str = Field(
        min_length=1,
        description="chapter or section number as the guideline numbers it (第6.0版: 14, 3.3; 旧版: 10, 9.1)")
    item: str | None = Field(
        default=None, description="遵守事項 item in the guideline's own form: ⑥, ⑥ h (旧版: C (1) ④ b))")
    quote: str | None = Field(
        default=None, description="the guideline's own words at that item, verbatim and unspliced")
    verified: bool = Field(
        default=True, description="false when the chapter or item number could not be verified")
    note: str | None = Field(default=None, description="why a number is unverified, or where it was verified")
    seed: Literal[SEED_FILES] | None = Field(  # type: ignore[valid-type]
        default=None, description="the repository text the number or quote was read from (traceability only)")

    @field_validator("quote", "note")
    @classmethod
    def _no_stray_spaces(cls, v: str | None) -> str | None:
        return join_japanese(v) if v is not None else None

    @model_validator(mode="after")
    def _consistent(self) -> Source:
        if not self.verified and not self.note:
            raise ValueError("a record with verified: false needs a note saying what is unverified")
        if (self.role == "commentary") != (self.edition == "解説記事"):
            raise ValueError("the overview article (edition 解説記事) is cited with role commentary, and only it")
        if self.edition == "第6.0版":
            if self.volume is None:
                raise ValueError("a 第6.0版 record names its 編 in volume")
            if not re.fullmatch(r"\d+(\.\d+)*", self.section):
                raise ValueError(f"section {self.section!r}: a 第6.0版 section is a chapter number (14, 3.3)")
        elif self.volume is not None:
            raise ValueError(f"volume is the 編 of 第6.0版; edition {self.edition} has none")
        if self.seed is not None and SEED_EDITIONS[self.seed] != self.edition:
            raise ValueError(f"seed {self.seed} is a text of {SEED_EDITIONS[self.seed]}, not of {self.edition}")
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def document(self) -> str:
        """The document as printed in a citation, edition included."""
        return EDITIONS[self.edition]

    def cite(self) -> str:
        """The citation as a reader writes it (「… 第6.0版 システム運用編 14 ⑥」); never the seed file."""
        text = " ".join(p for p in (self.document, self.volume, self.section, self.item) if p)
        return f"{text} {UNVERIFIED_MARK}" if not self.verified else text


def _one_or_more(v: Any) -> Any:
    return [v] if isinstance(v, dict) else v


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
    # YAML key `source`: one record, or a list whose first entry is the primary source.
    sources: Annotated[
        list[Source],
        BeforeValidator(_one_or_more, json_schema_input_type=Source | list[Source]),
        Field(min_length=1, validation_alias="source"),
    ]
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

    @field_validator("sources")
    @classmethod
    def _primary_first(cls, v: list[Source]) -> list[Source]:
        roles = [s.role for s in v]
        if roles[0] != "primary" or "primary" in roles[1:]:
            raise ValueError("the first source is the primary one (role: primary), and only the first")
        if v[0].edition not in PRIMARY_EDITIONS:
            raise ValueError(f"a primary source cites {' or '.join(PRIMARY_EDITIONS)}, not {v[0].edition}")
        return v

    @property
    def source(self) -> Source:
        """The primary source."""
        return self.sources[0]

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
            "source": _source_json(self.source),
            "sources": [_source_json(s) for s in self.sources],
            "applies_to": list(self.applies_to),
            "parameters": self.parameters,
            "responsibility": self.responsibility.model_dump(),
            "crosswalks": {fw: list(reqs) for fw, reqs in self._crosswalks.items()},
        }


def _source_json(s: Source) -> dict[str, Any]:
    return {**s.model_dump(), "citation": s.cite()}


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
        from .regions import canonical_allowed_regions

        parameters = parameters or {}
        out = {}
        for c in self:
            params = {**c.parameters, **parameters.get(c.id, {})}
            if "allowed_regions" in params:  # spelled as the resources' regions are (model.Resource)
                params["allowed_regions"] = canonical_allowed_regions(params["allowed_regions"])
            out[c.id] = {"applies_to": c.applies_to, "params": params}
        return out


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
