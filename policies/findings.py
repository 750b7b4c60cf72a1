"""The one result type every engine and rule produces.

A finding names a control and a resource and says what was found; it never copies the
control's metadata (severity, titles, source): renderers join those from the catalog.

Every finding also says how it is known, its *basis* (:func:`basis_of`, the one place it is
derived; no rule sets it):

* ``observed``: the resource was read from a system or from code (``source.type`` live,
  terraform, cloudformation, pulumi);
* ``declared``: the resource was read from a hand-filled register (``source.type`` inventory):
  what the register says, not what sansho saw;
* ``attested``: a person's yes/no (an ``attestation`` resource). A missing attestation is
  attested too: the answer that is missing is a person's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .model import Resource

Status = Literal["FAIL", "ERROR", "UNKNOWN", "MANUAL", "MUTED", "PASS", "NOT_APPLICABLE"]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]
Basis = Literal["observed", "declared", "attested"]
BASES: tuple[str, ...] = Basis.__args__  # type: ignore[attr-defined]
OBSERVED_SOURCES = frozenset({"live", "terraform", "cloudformation", "pulumi"})


def basis_of(kind: str, source_type: str | None) -> str:
    """How a verdict on a resource of ``kind`` read from ``source_type`` is known.

    An attestation is a person's word whatever file it came from. Anything else is observed
    only when it was read from a system or code; a register, or a source that is not known
    (an old saved scan without its resource), is declared: never taken for checked.
    """
    if kind == "attestation":
        return "attested"
    return "observed" if source_type in OBSERVED_SOURCES else "declared"

# When two rules judge the same control and resource, the worse verdict stands: a FAIL is never
# hidden by a PASS, and an UNKNOWN is never upgraded to PASS.
_WORSE = {"ERROR": 5, "FAIL": 4, "UNKNOWN": 3, "MANUAL": 2, "PASS": 1, "NOT_APPLICABLE": 0}


def worse(a: str, b: str) -> bool:
    """True when status ``a`` outranks ``b``."""
    return _WORSE[a] > _WORSE[b]


@dataclass(slots=True)
class Finding:
    control_id: str
    status: str
    resource: Resource
    message_en: str
    message_ja: str
    rule: str = ""
    evidence: dict[str, Any] | None = None
    suppression: dict[str, Any] | None = None

    def message(self, lang: str) -> str:
        return self.message_ja if lang == "ja" else self.message_en

    @property
    def basis(self) -> str:
        """observed, declared or attested (:func:`basis_of`)."""
        return basis_of(self.resource.kind, self.resource.source.type)

    @property
    def source_location(self) -> dict[str, Any]:
        s = self.resource.source
        return {"type": s.type, "file": s.file, "line": s.line}

    def resource_ref(self) -> dict[str, Any]:
        r = self.resource
        return {
            "id": r.id,
            "kind": r.kind,
            "name": r.name,
            "provider": r.provider,
            "account": r.account,
            "region": r.region,
            "country": r.country,
            "source": self.source_location,
        }
