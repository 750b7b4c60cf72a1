"""The JSON contract of ``sansho scan --format json`` (read by other tools: keep it stable).

Findings carry no control metadata; severity and family are joined from the catalog here, at
render time, so a catalog change shows in every report at once.

The document's shape is written once, as the pydantic models below: ``sansho schema findings``
prints their JSON Schema, and the tests validate real output against it.

Schema versions: ``1.0``; ``1.1`` adds ``basis`` to every finding and ``summary.by_basis``.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from pydantic import BaseModel, ConfigDict, Field

from sansho.policies.catalog import Catalog, Family, Severity
from sansho.policies.engine.core import ScanResult
from sansho.policies.findings import BASES, STATUSES, Basis, Finding, Status
from sansho.policies.model import SourceType

SCAN_SCHEMA_VERSION = "1.1"

BASIS_HELP = ("How the verdict is known: observed (the resource was read from a system or code: source type "
              "live, terraform, cloudformation or pulumi), declared (read from a hand-filled register: source "
              "type inventory; what the register says, not checked by sansho) or attested (a person's answer "
              "in the attestation register, or the missing answer to an attestation control).")


# -- the document, as a schema -----------------------------------------------------------------

class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceJSON(_Closed):
    type: SourceType
    file: str | None
    line: int | None


class ResourceJSON(_Closed):
    id: str
    kind: str
    name: str | None
    provider: str
    account: str | None
    region: str | None
    country: str | None
    source: SourceJSON


class MessagesJSON(_Closed):
    ja: str
    en: str


class SuppressionJSON(_Closed):
    reason: str
    expires: str = Field(json_schema_extra={"format": "date"})
    was: Status = Field(description="the status the finding had before it was muted")


class FindingJSON(_Closed):
    control_id: str
    status: Status
    basis: Basis = Field(description=BASIS_HELP)
    severity: Severity
    family: Family
    message: str = Field(description="the message in the document's lang")
    messages: MessagesJSON
    resource: ResourceJSON
    rule: str = Field(description="what judged it: rego:<engine>, python:<rule>, attestation or engine")
    suppression: SuppressionJSON | None = Field(default=None, description="present only when status is MUTED")
    evidence: dict[str, Any] | None = Field(default=None, description="present only when the rule kept evidence")


class BasisCountsJSON(_Closed):
    total: int
    by_status: dict[Status, int]


class ByBasisJSON(_Closed):
    """Findings by basis, then by status: declared and attested results apart from observed ones."""

    observed: BasisCountsJSON
    declared: BasisCountsJSON
    attested: BasisCountsJSON


class SummaryJSON(_Closed):
    total: int
    by_status: dict[Status, int]
    by_basis: ByBasisJSON
    by_family: dict[Family, dict[Status, int]]
    controls: int
    resources: int
    unparsed_files: int = Field(description="IaC files that could not be parsed (`sansho iac --skip-unparsable`)")


class UnparsedJSON(_Closed):
    location: str = Field(description="the file (and line, where known) that could not be parsed")
    reason: str


class ExpiredSuppressionJSON(_Closed):
    control: str
    resource: str
    reason: str
    expires: str = Field(json_schema_extra={"format": "date"})


class ScanDocument(_Closed):
    """The output of ``sansho scan --format json`` (and ``sansho iac --format json``)."""

    schema_version: str = Field(json_schema_extra={"const": SCAN_SCHEMA_VERSION})
    tool_version: str
    scanned_at: str = Field(json_schema_extra={"format": "date-time"})
    as_of: str = Field(json_schema_extra={"format": "date"})
    engine: str
    lang: str = Field(json_schema_extra={"enum": ["ja", "en"]})
    summary: SummaryJSON
    expired_suppressions: list[ExpiredSuppressionJSON]
    notes: list[str]
    unparsed: list[UnparsedJSON]
    findings: list[FindingJSON]


def findings_json_schema() -> str:
    """JSON Schema (draft 2020-12) of ``sansho scan --format json``: ``sansho schema findings``."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **ScanDocument.model_json_schema(),
              "title": "sansho scan --format json"}
    return json.dumps(schema, ensure_ascii=False, indent=2)


# -- the document ------------------------------------------------------------------------------

def tally(findings: Iterable[Finding]) -> Counter[tuple[str, str, str]]:
    """Findings counted by (control id, status, basis): all a summary needs of them."""
    return Counter((f.control_id, f.status, f.basis) for f in findings)


def summary(result: ScanResult, catalog: Catalog, counts: Counter[tuple[str, str, str]] | None = None,
            resources: int | None = None) -> dict[str, Any]:
    """The document's summary; ``counts`` (:func:`tally`) and ``resources`` stand in for the
    result's findings and resources when a big scan kept them on disk (policies/spool.py)."""
    if counts is None:
        counts = tally(result.findings)
    by_status: Counter[str] = Counter()
    by_family: dict[str, Counter[str]] = defaultdict(Counter)
    by_basis: dict[str, Counter[str]] = {b: Counter() for b in BASES}
    for (cid, status, basis), n in counts.items():
        by_status[status] += n
        by_family[catalog[cid].family][status] += n
        by_basis[basis][status] += n
    return {
        "total": sum(counts.values()),
        "by_status": {s: by_status.get(s, 0) for s in STATUSES},
        "by_basis": {b: {"total": sum(c.values()), "by_status": {s: c[s] for s in STATUSES}}
                     for b, c in by_basis.items()},
        "by_family": {fam: {s: c[s] for s in STATUSES if c[s]} for fam, c in sorted(by_family.items())},
        "controls": len(result.controls),
        "resources": len(result.resources) if resources is None else resources,
        "unparsed_files": len(result.unparsed),
    }


def header(result: ScanResult, catalog: Catalog, lang: str, tool_version: str,
           summary_: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything of the document but its findings, in the document's key order."""
    return {
        "schema_version": SCAN_SCHEMA_VERSION,
        "tool_version": tool_version,
        "scanned_at": result.scanned_at.isoformat(),
        "as_of": result.today.isoformat(),
        "engine": result.engine,
        "lang": lang,
        "summary": summary_ or summary(result, catalog),
        "expired_suppressions": [
            {"control": s.control, "resource": s.resource, "reason": s.reason, "expires": s.expires.isoformat()}
            for s in result.expired_suppressions
        ],
        "notes": result.notes,
        "unparsed": [{"location": w, "reason": y} for w, y in result.unparsed],
    }


def finding_texts(result: ScanResult, catalog: Catalog, lang: str) -> Iterator[str]:
    """Each finding as one line of JSON (a :class:`FindingJSON`), in the result's order."""
    return encode_findings(result.findings, catalog, lang)


def encode_findings(findings: Iterable[Finding], catalog: Catalog, lang: str) -> Iterator[str]:
    """Each finding as one line of JSON (a :class:`FindingJSON`), in order.

    Written by hand from pre-encoded parts rather than by ``json.dumps`` of a dict per finding:
    a 100k-resource scan has about a million findings, and the dicts, the pure-Python indenting
    encoder and the whole text held at once were most of ``sansho scan``'s time and memory.
    The parts that repeat are encoded once: a control's severity and family, a resource's
    reference (a resource appears in one finding per applicable control), a rule name.
    """
    enc = json.JSONEncoder(ensure_ascii=False).encode  # the C encoder: no indent
    controls: dict[str, tuple[str, str]] = {}
    resources: dict[int, tuple[str, str]] = {}
    rules: dict[str, str] = {}
    texts: dict[str, str] = {}  # messages repeat over the resources a rule judges alike
    ja = lang == "ja"
    for f in findings:
        cid = f.control_id
        parts = controls.get(cid)
        if parts is None:
            c = catalog[cid]
            parts = controls[cid] = (f'{{"control_id":{enc(cid)},"status":"',
                                     f'","severity":{enc(c.severity)},"family":{enc(c.family)},"message":')
        head, tail = parts
        r = f.resource
        ref = resources.get(id(r))
        if ref is None:
            ref = resources[id(r)] = (f.basis, enc(f.resource_ref()))
        rule = rules.get(f.rule)
        if rule is None:
            rule = rules[f.rule] = enc(f.rule)
        m_ja = texts.get(f.message_ja)
        if m_ja is None:
            m_ja = texts[f.message_ja] = enc(f.message_ja)
        m_en = texts.get(f.message_en)
        if m_en is None:
            m_en = texts[f.message_en] = enc(f.message_en)
        text = (f'{head}{f.status}","basis":"{ref[0]}{tail}{m_ja if ja else m_en},'
                f'"messages":{{"ja":{m_ja},"en":{m_en}}},"resource":{ref[1]},"rule":{rule}')
        if f.suppression:
            text += f',"suppression":{enc(f.suppression)}'
        if f.evidence:
            text += f',"evidence":{enc(f.evidence)}'
        yield text + "}"


def _batches(lines: Iterator[str], size: int = 4096) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def json_piece(findings: Iterable[Finding], catalog: Catalog, lang: str) -> str:
    """Findings as they stand in the JSON document's list: each followed by ``,\n``
    (:func:`write_document_from` drops the last separator)."""
    return "".join(t + ",\n" for t in encode_findings(findings, catalog, lang))


def jsonl_piece(findings: Iterable[Finding], catalog: Catalog, lang: str) -> str:
    """Findings as JSON Lines records (``{"record":"finding",…}``), one per line."""
    return "".join('{"record":"finding",' + t[1:] + "\n" for t in encode_findings(findings, catalog, lang))


def _pieces(result: ScanResult, encode: Callable[[Iterable[Finding], Catalog, str], str], catalog: Catalog,
            lang: str, size: int = 4096) -> Iterator[str]:
    findings = result.findings
    for i in range(0, len(findings), size):
        yield encode(findings[i:i + size], catalog, lang)


def write_document(result: ScanResult, catalog: Catalog, lang: str, tool_version: str, out: TextIO) -> None:
    """Write ``sansho scan --format json`` to ``out`` as the findings are encoded, one per line,
    so the whole text is never held in memory."""
    write_document_from(header(result, catalog, lang, tool_version), _pieces(result, json_piece, catalog, lang), out)


def write_document_from(head: dict[str, Any], pieces: Iterable[str], out: TextIO) -> None:
    """The JSON document from its header and its findings as :func:`json_piece` texts."""
    text = json.dumps(head, ensure_ascii=False, indent=1)
    out.write(text[:-2] + ',\n "findings": [')
    last = ""  # written once the next piece shows it is not the last: the last loses its ",\n"
    for piece in pieces:
        if not piece:
            continue
        out.write(last or "\n")
        last = piece
    out.write(last[:-2] + "\n ]\n}\n" if last else "]\n}\n")


def write_lines(result: ScanResult, catalog: Catalog, lang: str, tool_version: str, out: TextIO) -> None:
    """Write ``sansho scan --format jsonl``: JSON Lines for big runs and line tools (jq, grep,
    BigQuery). The first line is the scan (``{"record": "scan", …}``: the document's fields but
    its findings), then one line per finding (``{"record": "finding", …}``, the JSON format's
    finding), so a reader needs no whole-file parse and a line is a whole finding."""
    write_lines_from(header(result, catalog, lang, tool_version), _pieces(result, jsonl_piece, catalog, lang), out)


def write_lines_from(head: dict[str, Any], pieces: Iterable[str], out: TextIO) -> None:
    """JSON Lines from the header and the findings as :func:`jsonl_piece` texts."""
    out.write(json.dumps({"record": "scan", **head}, ensure_ascii=False) + "\n")
    for piece in pieces:
        out.write(piece)


def to_document(result: ScanResult, catalog: Catalog, lang: str, tool_version: str) -> dict[str, Any]:
    """The document as one dict (small results and tests; big runs use :func:`write_document`)."""
    return {**header(result, catalog, lang, tool_version),
            "findings": [json.loads(t) for t in finding_texts(result, catalog, lang)]}
