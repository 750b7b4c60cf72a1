"""The one result type every engine and rule produces.

A finding names a control and a resource and says what was found; it never copies the
control's metadata (severity, titles, source): renderers join those from the catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import Resource

STATUSES = ("FAIL", "ERROR", "UNKNOWN", "MANUAL", "MUTED", "PASS", "NOT_APPLICABLE")

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
