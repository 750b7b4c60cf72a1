"""The JSON contract of ``sansho scan --format json`` (read by other tools: keep it stable).

Findings carry no control metadata; severity and family are joined from the catalog here, at
render time, so a catalog change shows in every report at once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sansho.policies.catalog import Catalog
from sansho.policies.engine.core import ScanResult
from sansho.policies.findings import STATUSES

SCAN_SCHEMA_VERSION = "1.0"


def summary(result: ScanResult, catalog: Catalog) -> dict[str, Any]:
    by_status = Counter(f.status for f in result.findings)
    by_family: dict[str, Counter[str]] = defaultdict(Counter)
    for f in result.findings:
        by_family[catalog[f.control_id].family][f.status] += 1
    return {
        "total": len(result.findings),
        "by_status": {s: by_status.get(s, 0) for s in STATUSES},
        "by_family": {fam: {s: c[s] for s in STATUSES if c[s]} for fam, c in sorted(by_family.items())},
        "controls": len(result.controls),
        "resources": len(result.resources),
        "unparsed_files": len(result.unparsed),
    }


def to_document(result: ScanResult, catalog: Catalog, lang: str, tool_version: str) -> dict[str, Any]:
    findings = []
    for f in result.findings:
        c = catalog[f.control_id]
        item: dict[str, Any] = {
            "control_id": f.control_id,
            "status": f.status,
            "severity": c.severity,
            "family": c.family,
            "message": f.message(lang),
            "messages": {"ja": f.message_ja, "en": f.message_en},
            "resource": f.resource_ref(),
            "rule": f.rule,
        }
        if f.suppression:
            item["suppression"] = f.suppression
        if f.evidence:
            item["evidence"] = f.evidence
        findings.append(item)
    return {
        "schema_version": SCAN_SCHEMA_VERSION,
        "tool_version": tool_version,
        "scanned_at": result.scanned_at.isoformat(),
        "as_of": result.today.isoformat(),
        "engine": result.engine,
        "lang": lang,
        "summary": summary(result, catalog),
        "expired_suppressions": [
            {"control": s.control, "resource": s.resource, "reason": s.reason, "expires": s.expires.isoformat()}
            for s in result.expired_suppressions
        ],
        "notes": result.notes,
        "unparsed": [{"location": w, "reason": y} for w, y in result.unparsed],
        "findings": findings,
    }
