"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Rules come from the catalog (bilingual help text, guideline citation, crosswalks); results
are the FAIL, UNKNOWN, ERROR and MUTED findings. A resource read from a file points at its
file and line; a live resource is named as a logical location (its provider identifier).

How a result is known is its ``basis`` property (observed, declared, attested) and, for
declared and attested results, a note at the end of the message text. A FAIL stays
``kind: fail`` whatever its basis: a register or a person saying a control is not in place is a
problem to fix. Passes are not results, so a declared PASS never reads as a verified pass; the
run's ``basis`` property counts every finding by basis and status instead. UNKNOWN and ERROR
are ``kind: review`` with ``level: none``, as SARIF 2.1.0 §3.27.10 requires for any kind but
``fail``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sansho.policies.catalog import Catalog, Control
from sansho.policies.engine.core import ScanResult
from sansho.policies.findings import BASES, STATUSES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# GitHub ranks alerts by this number (critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0).
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}


def _rule(c: Control, catalog: Catalog, lang: str) -> dict[str, Any]:
    other = "en" if lang == "ja" else "ja"
    return {
        "id": c.id,
        "name": c.id.replace("-", ""),
        "shortDescription": {"text": c.title.get(lang)},
        "fullDescription": {"text": c.description.get(lang)},
        "help": {
            "text": f"{c.remediation.get(lang)}\n\n{c.remediation.get(other)}\n\n{c.source.cite()}",
            "markdown": (
                f"**{c.title.ja}** / {c.title.en}\n\n{c.remediation.ja}\n\n{c.remediation.en}\n\n"
                f"出典 / Source: {c.source.cite()}"
            ),
        },
        "defaultConfiguration": {"level": LEVEL[c.severity]},
        "properties": {
            "tags": ["security", "3省2ガイドライン", c.family],
            "security-severity": SECURITY_SEVERITY[c.severity],
            "precision": "high",
            "family": c.family,
            "check": c.check,
            # derived from the framework files (requirement -> controls) when the catalog loads
            "crosswalks": catalog.crosswalks(c.id),
        },
    }


BASIS_NOTE = {
    "declared": ("台帳の申告による判定(sansho は確認していません)", "declared in a register; not checked by sansho"),
    "attested": ("担当者の表明による判定", "attested by a person"),
}


def render(result: ScanResult, catalog: Catalog, lang: str, tool_version: str) -> dict[str, Any]:
    controls = sorted({c.id: c for c in result.controls}.values(), key=lambda c: c.id)
    index = {c.id: i for i, c in enumerate(controls)}
    results = []
    by_basis: dict[str, Counter[str]] = {b: Counter() for b in BASES}
    for f in result.findings:
        basis = f.basis
        by_basis[basis][f.status] += 1
        if f.status not in ("FAIL", "UNKNOWN", "ERROR", "MUTED"):
            continue
        c = catalog[f.control_id]
        r = f.resource
        failed = f.status in ("FAIL", "MUTED")
        text = f"{r.id}: {f.message(lang)}"
        if basis in BASIS_NOTE:
            text += f" ({BASIS_NOTE[basis][0 if lang == 'ja' else 1]})"
        res: dict[str, Any] = {
            "ruleId": f.control_id,
            "ruleIndex": index[f.control_id],
            # SARIF §3.27.10: any kind other than "fail" has level "none"
            "level": LEVEL[c.severity] if failed else "none",
            "kind": "fail" if failed else "review",
            "message": {"text": text},
            "partialFingerprints": {"sanshoFinding/v1": f"{f.control_id}|{r.kind}|{r.id}"},
            "properties": {"status": f.status, "basis": basis, "resourceKind": r.kind, "provider": r.provider},
        }
        location: dict[str, Any] = {"logicalLocations": [{"fullyQualifiedName": r.id, "kind": "resource"}]}
        if r.source.file:
            phys: dict[str, Any] = {"artifactLocation": {"uri": r.source.file}}
            if r.source.line:
                phys["region"] = {"startLine": r.source.line}
            location["physicalLocation"] = phys
        res["locations"] = [location]
        if f.status == "MUTED" and f.suppression:
            res["suppressions"] = [{"kind": "external", "status": "accepted",
                                    "justification": f"{f.suppression['reason']} (until {f.suppression['expires']})"}]
        results.append(res)
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "sansho",
            "version": tool_version,
            "rules": [_rule(c, catalog, lang) for c in controls],
        }},
        "results": results,
        "properties": {
            "as_of": result.today.isoformat(),
            # every finding by basis and status, passes included: a declared PASS is a claim
            "basis": {b: {s: c[s] for s in STATUSES if c[s]} for b, c in by_basis.items()},
        },
    }
    if result.unparsed:  # `iac --skip-unparsable`: what was not judged, where the viewer shows tool errors
        run["invocations"] = [{"executionSuccessful": True,
                               "toolExecutionNotifications": [_unparsed(w, y) for w, y in result.unparsed]}]
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _unparsed(where: str, why: str) -> dict[str, Any]:
    """A SARIF 2.1.0 notification (§3.58) for an input file that could not be parsed."""
    file, sep, line = where.rpartition(":")
    if not (sep and line.isdigit()):
        file, line = where, ""
    phys: dict[str, Any] = {"artifactLocation": {"uri": file}}
    if line and int(line) >= 1:
        phys["region"] = {"startLine": int(line)}
    return {"level": "error", "message": {"text": f"{file}: cannot parse: {why}"},
            "locations": [{"physicalLocation": phys}], "descriptor": {"id": "sansho/unparsable-file"}}
