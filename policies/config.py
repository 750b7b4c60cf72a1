"""``sansho.yaml``: parameter overrides and suppressions.

```yaml
fail_on: high
parameters:
  SAN-LOC-001:
    allowed_regions: {aws: [ap-northeast-1]}
suppressions:
  - control: SAN-NET-003
    resource: "arn:aws:s3:::public-site-*"   # fnmatch pattern on the resource id
    reason: 病院広報サイトの静的コンテンツ(医療情報なし)
    expires: 2026-12-31
```

A suppression needs a control, a resource pattern, a reason and an expiry date. An expired
one stops muting and is reported, so a forgotten exception fails again.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .catalog import Catalog
from .errors import InputError, describe_validation_error
from .readers import load_yaml


class Suppression(BaseModel):
    model_config = ConfigDict(extra="forbid")

    control: str
    resource: str = Field(min_length=1)
    reason: str = Field(min_length=1)
    expires: dt.date

    def matches(self, control_id: str, resource_id: str) -> bool:
        return control_id == self.control and fnmatch.fnmatchcase(resource_id, self.resource)

    def expired(self, today: dt.date) -> bool:
        return self.expires < today


class TagKeys(BaseModel):
    """Tag (AWS, Azure) and label (GCP) keys that carry what the cloud APIs do not know: who an
    identity is for, whether a resource holds medical information, which network zone it is."""

    model_config = ConfigDict(extra="forbid")

    purpose: str = Field(default="sansho:purpose", min_length=1, description="user | maintenance | break_glass | service")
    medical: str = Field(default="sansho:medical", min_length=1, description="true | false: holds medical information")
    zone: str = Field(default="sansho:zone", min_length=1, description="medical | administrative | guest | …")
    expires: str = Field(default="sansho:expires", min_length=1, description="YYYY-MM-DD: when a temporary identity ends")
    shared: str = Field(default="sansho:shared", min_length=1, description="true | false: an account used by several people")


_TAG_BOOL = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


def tag_bool(value: str | None) -> bool | None:
    """A true/false tag or label value (true/yes/1, false/no/0, any case); anything else, or no
    tag at all, is not read."""
    return None if value is None else _TAG_BOOL.get(value.strip().lower())


def gcp_label_key(configured: str) -> str:
    """The GCP label that carries a configured tag key. Label keys allow only lower-case letters,
    digits, ``_`` and ``-``, so every other character becomes ``_``: ``sansho:medical`` is read
    from the label ``sansho_medical``."""
    return re.sub(r"[^a-z0-9_-]", "_", configured.strip().lower())


class HistoryConfig(BaseModel):
    """Where scans are recorded. Configured means on: every ``sansho scan`` saves unless ``--no-save``."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, description="a file path (SQLite) or an SQLAlchemy URL (postgresql+psycopg://…)")
    save: bool = True


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fail_on: Literal["critical", "high", "medium", "low", "info"] | None = None
    parameters: dict[str, dict[str, Any]] = Field(default_factory=dict)
    suppressions: list[Suppression] = Field(default_factory=list)
    history: HistoryConfig | None = None
    tag_keys: TagKeys = Field(default_factory=TagKeys)

    def check_against(self, catalog: Catalog, path: Path | str) -> None:
        """Unknown control IDs or parameter names are errors: a typo must not switch a check off."""
        for cid, params in self.parameters.items():
            if cid not in catalog:
                raise InputError(f"{path}: field 'parameters.{cid}': unknown control ID {cid!r}")
            known = catalog[cid].parameters
            for name in params:
                if name not in known:
                    names = ", ".join(known) or "none"
                    raise InputError(
                        f"{path}: field 'parameters.{cid}.{name}': {cid} has no parameter {name!r} (it has: {names})"
                    )
        for i, s in enumerate(self.suppressions):
            if s.control not in catalog:
                raise InputError(f"{path}: field 'suppressions[{i}].control': unknown control ID {s.control!r}")


def load_config(path: Path | str | None, catalog: Catalog) -> Config:
    if path is None:
        default = Path("sansho.yaml")
        if not default.is_file():
            return Config()
        path = default
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: config file not found") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: not UTF-8 text (byte {e.start})") from None
    doc = load_yaml(text, path, "sansho.yaml")
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise InputError(f"{path}: sansho.yaml must hold a mapping")
    try:
        cfg = Config.model_validate(doc)
    except ValidationError as e:
        raise InputError(describe_validation_error(path, e, doc)) from None
    cfg.check_against(catalog, path)
    return cfg
