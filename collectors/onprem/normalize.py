"""Validated register rows → the normalized resources of :mod:`sansho.policies.model`.

Nothing here invents a value that passes: a field the register left empty stays ``None``.
Two values are derived, both documented in docs/onprem.md:

* a device's or segment's ``country`` is its site's country when its own cell is empty and the
  site is in ``sites.*``;
* a segment's ``reachable_from`` is computed from ``flows.*`` (transitively); without a flows
  register it is ``None`` (not read).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sansho.policies.model import (
    Attestation,
    BackupPlan,
    Certification,
    ContractClauses,
    Destination,
    Device,
    EntryControl,
    ExternalAudit,
    ForeignLawAssessment,
    IdentityUser,
    NetworkSegment,
    Resource,
    Site,
    SourceRef,
    Subcontractor,
    VendorContract,
)

from .rows import (
    AccountRow,
    AttestationRow,
    BackupRow,
    DeviceRow,
    FlowRow,
    NetworkRow,
    SiteRow,
    VendorRow,
)

ID_PREFIX = {
    "sites": "onprem:site:", "networks": "onprem:segment:", "devices": "onprem:device:",
    "accounts": "onprem:account:", "backups": "onprem:backup:", "vendors": "vendor:contract:",
    "attestations": "onprem:attestation:",
}


def resource_id(register: str, row_id: str) -> str:
    return ID_PREFIX[register] + row_id


def _src(file: str, line: int) -> SourceRef:
    return SourceRef(type="inventory", file=file, line=line)


def site(row: SiteRow, file: str, line: int) -> Site:
    entry = None
    if row.entry_identification is not None or row.entry_logged is not None:
        entry = EntryControl(identification=row.entry_identification, logged=row.entry_logged)  # type: ignore[arg-type]
    return Site(
        id=resource_id("sites", row.id), name=row.name, provider="onprem", country=row.country,
        source=_src(file, line), holds_medical_data=row.holds_medical_data, prefecture=row.prefecture,
        entry_control=entry, cameras=row.cameras, disaster_resilience=row.disaster_resilience,  # type: ignore[arg-type]
    )


def segment(row: NetworkRow, file: str, line: int, country: str | None,
            reachable_from: list[str] | None) -> NetworkSegment:
    tags = {"site": row.site} if row.site else {}
    return NetworkSegment(
        id=resource_id("networks", row.id), name=row.name, provider="onprem", country=country,
        source=_src(file, line), holds_medical_data=row.holds_medical_data, tags=tags,
        segment_type=row.segment_type, zone=row.zone, reachable_from=reachable_from,  # type: ignore[arg-type]
        internet_routed=row.internet_routed, remote_auth_method=row.remote_auth_method,  # type: ignore[arg-type]
        source_restricted=row.source_restricted,
    )


def device(row: DeviceRow, file: str, line: int, country: str | None) -> Device:
    return Device(
        id=resource_id("devices", row.id), name=row.name, provider="onprem", country=country,
        source=_src(file, line), holds_medical_data=row.holds_medical_data,
        device_type=row.device_type,  # type: ignore[arg-type]
        site=resource_id("sites", row.site) if row.site else None, os=row.os, last_patched=row.last_patched,
        antimalware=row.antimalware, signatures_updated=row.signatures_updated, disk_encrypted=row.disk_encrypted,
        ntp_source=row.ntp_source, default_password_changed=row.default_password_changed,
        usb_storage_restricted=row.usb_storage_restricted, source_restricted=row.source_restricted, owner=row.owner,
        network_segment=resource_id("networks", row.network_segment) if row.network_segment else None,
        backup_power=row.backup_power,
    )


def account(row: AccountRow, file: str, line: int) -> IdentityUser:
    return IdentityUser(
        id=resource_id("accounts", row.id), name=row.name, provider="onprem", account=row.system,
        source=_src(file, line), purpose=row.type,  # type: ignore[arg-type]
        console_access=row.interactive_login, mfa_enabled=row.mfa, shared=row.shared,
        # An on-prem directory account has no cloud API access keys: read, and none.
        access_keys=[],
        last_used=row.last_used, expires=row.expires, credential_changed=row.credential_changed,  # type: ignore[arg-type]
        admin_rights=row.admin,
        admin_grants=None if row.admin is None else ["administrator rights recorded in the accounts register"]
        if row.admin else [],
        auth_factors=row.auth_factors, left_on=row.left_on,  # type: ignore[arg-type]
    )


def backup(row: BackupRow, file: str, line: int) -> BackupPlan:
    destinations = None
    if row.location is not None:
        countries = row.country or []
        destinations = [
            Destination(relation="backup_copy", target=loc, provider="onprem",
                        country=(countries[i] if len(countries) > 1 else (countries[0] if countries else None)))
            for i, loc in enumerate(row.location)
        ]
    return BackupPlan(
        id=resource_id("backups", row.id), name=row.name, provider="onprem", source=_src(file, line),
        holds_medical_data=row.holds_medical_data, generations=row.generations, retention_days=row.retention_days,
        methods=row.methods, destinations=destinations,  # type: ignore[arg-type]
        last_restore_test=row.last_restore_test, protected=row.protected,
    )


def vendor(row: VendorRow, file: str, line: int) -> VendorContract:
    audit: ExternalAudit | str | None
    if isinstance(row.external_audit, str) or row.external_audit is None:
        audit = row.external_audit
    else:
        audit = ExternalAudit(**row.external_audit.model_dump())
    return VendorContract(
        id=resource_id("vendors", row.id), name=row.name, provider="vendor", country=row.country,
        source=_src(file, line), holds_medical_data=row.holds_medical_data, vendor=row.vendor,
        service_model=row.service_model, systems=row.systems,  # type: ignore[arg-type]
        certifications=None if row.certifications is None else [
            Certification(**c.model_dump()) for c in row.certifications],
        external_audit=audit,  # type: ignore[arg-type]
        storage_countries=row.storage_countries, governing_law=row.governing_law, court_country=row.court_country,
        foreign_law=None if row.foreign_law is None else ForeignLawAssessment(**row.foreign_law.model_dump()),
        clauses=None if row.clauses is None else ContractClauses(**row.clauses.model_dump()),
        subcontractors=None if row.subcontractors is None else [
            Subcontractor(**s.model_dump()) for s in row.subcontractors],
        responsibility_agreed=row.responsibility_agreed,
        responsibility_overrides=row.responsibility_overrides,  # type: ignore[arg-type]
    )


def attestation(row: AttestationRow, file: str, line: int) -> Attestation:
    return Attestation(
        id=resource_id("attestations", row.id or row.control_id), name=f"{row.control_id}", provider="onprem",
        source=_src(file, line), control_id=row.control_id, answer=row.answer,  # type: ignore[arg-type]
        attested_by=row.attested_by, attested_on=row.attested_on, evidence=row.evidence,
        review_period_days=row.review_period_days,
    )


GATEWAY_ZONES = ("remote_access", "maintenance")
STRONG_AUTH = ("mfa", "certificate")


def reachability(segments: dict[str, tuple[str | None, str | None]], flows: Iterable[FlowRow]) -> dict[str, list[str]]:
    """For each segment id, the zones that can reach it over the allowed flows, transitively.

    ``segments`` maps segment id → (zone, remote_auth_method). A flow endpoint is a zone (every
    segment in it, plus the zone itself for zones without segments of their own, such as the
    internet) or a segment id. A segment is always reachable from its own zone.

    One boundary stops the transitive walk: a remote-access or maintenance segment whose remote
    authentication is ``mfa`` or ``certificate`` authenticates every session, so the segments
    behind it are reachable from that zone (``remote_access``/``maintenance``), not from the
    internet in front of it. SAN-NET-009 judges that authentication. With ``password``, ``none``
    or an unread method the walk goes on through it.
    """
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for sid, (zone, _auth) in segments.items():
        if zone:
            members[zone].append(("seg", sid))

    def is_gateway(node: tuple[str, str]) -> bool:
        if node[0] == "seg":
            zone, auth = segments[node[1]]
            return zone in GATEWAY_ZONES and auth in STRONG_AUTH
        segs = members.get(node[1], [])
        return node[1] in GATEWAY_ZONES and bool(segs) and all(is_gateway(m) for m in segs)

    def expand(endpoint: str) -> list[tuple[str, str]]:
        if endpoint in segments:
            return [("seg", endpoint)]
        return [("zone", endpoint), *members.get(endpoint, [])]

    reverse: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for f in flows:
        for a in expand(f.from_):
            for b in expand(f.to):
                reverse[b].add(a)

    def zone_of(node: tuple[str, str]) -> str | None:
        return node[1] if node[0] == "zone" else segments[node[1]][0]

    out: dict[str, list[str]] = {}
    for sid, (zone, _auth) in segments.items():
        start = ("seg", sid)
        seen = {start}
        stack = [start]
        if zone:  # whatever reaches the segment's zone as a whole reaches the segment
            seen.add(("zone", zone))
            stack.append(("zone", zone))
        while stack:
            node = stack.pop()
            if node[0] == "seg" and node != start and is_gateway(node):
                continue
            if node[0] == "zone" and node[1] != zone and is_gateway(node):
                continue
            for prev in reverse.get(node, ()):
                if prev not in seen:
                    seen.add(prev)
                    stack.append(prev)
        out[sid] = sorted({z for z in (zone_of(n) for n in seen) if z})
    return out


def summary(resources: Iterable[Resource]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for r in resources:
        counts[r.kind] += 1
    return dict(counts)
