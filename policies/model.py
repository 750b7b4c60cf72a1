"""The normalized inventory: one pydantic model for every source.

Collectors, IaC adapters and on-prem readers all emit these resources, and every rule is
written against their fields, so one rule judges AWS, Azure, GCP, IaC and on-prem alike.

Conventions that the rules rely on:

* Every security-relevant field is optional and defaults to ``None``. ``None`` means *the
  value was not read* (access denied, unresolved IaC variable, column missing). Rules judge
  it UNKNOWN; no default ever stands in for a value that passes.
* An empty list means "read, and there are none"; ``None`` means "not read".
* Models are strict and closed: an unknown field, or a value of the wrong type, is an input
  error naming the field, never silently coerced or dropped.
* ``country`` of a cloud resource is derived from the region table (:mod:`regions`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from . import netaddr
from .regions import canonical_region, country_of

SCHEMA_VERSION = "1.0"
MAX_DAYS = 36500  # a hundred years: the most a day count that feeds date arithmetic may say

Provider = Literal["aws", "azure", "gcp", "onprem", "vendor"]
SourceType = Literal["live", "terraform", "cloudformation", "pulumi", "inventory"]
KeyManager = Literal["provider", "customer"]
# How a write-once lock holds: "compliance" (S3 Object Lock, AWS Backup Vault Lock past its grace
# time) and "locked" (Azure immutability policy, GCS bucket lock) cannot be lifted by anyone before
# the retention ends; "governance" and "unlocked" can be lifted by a privileged user.
ImmutabilityMode = Literal["governance", "compliance", "locked", "unlocked"]
# How a person proves who they are at sign-in (二要素認証, システム運用編 14). Each belongs to one of
# three kinds: knowledge (password, pin), possession (ic_card, security_key, otp_token, otp_app, sms,
# push, certificate) and inherence (biometric); two factors of one kind are two steps, not two
# factors (the kind of each is looked up in the rule, rego/sansho/access_control).
AuthFactor = Literal["password", "pin", "ic_card", "security_key", "otp_token", "otp_app", "sms", "push",
                     "certificate", "biometric"]
Zone = Literal["medical", "administrative", "guest", "byod", "internet", "remote_access", "maintenance", "dmz", "other"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class SourceRef(Strict):
    """Where a resource was read from: a live API, or a file and line of IaC or inventory."""

    type: SourceType
    file: str | None = None
    line: int | None = None


class Destination(Strict):
    """Another location a resource's data reaches: a replica, a backup copy, a read replica."""

    relation: Literal["replication", "backup_copy", "read_replica", "geo_secondary", "global_replica", "log_delivery"]
    target: str | None = None
    provider: Provider | None = None
    account: str | None = None
    region: str | None = None
    country: str | None = None


class PortRange(Strict):
    from_port: int
    to_port: int

    @model_validator(mode="after")
    def _in_order(self) -> PortRange:
        netaddr.check_port_range(self.from_port, self.to_port)  # an inverted range is an input error
        return self


class PortShare(Strict):
    """Derived: ports of a rule and the share (0–1) of the public address space that may reach them."""

    from_port: int
    to_port: int
    share: float


class AccessKey(Strict):
    id: str
    active: bool | None = None
    created: dt.date | None = None
    last_used: dt.date | None = None


class PasswordPolicy(Strict):
    min_length: int | None = None
    require_uppercase: bool | None = None
    require_lowercase: bool | None = None
    require_numbers: bool | None = None
    require_symbols: bool | None = None
    # "never" is a value that was read (passwords never expire), unlike None (not read).
    max_age_days: int | Literal["never"] | None = None
    reuse_prevention: int | None = None


class EntryControl(Strict):
    identification: Literal["ic_card", "biometric", "staffed_desk", "key", "none"] | None = None
    logged: bool | None = None


class Certification(Strict):
    scheme: Literal["ISMAP", "JASA_CS_GOLD", "FEDRAMP", "SOC2", "SOC3", "PRIVACY_MARK", "ISMS"]
    registration_id: str | None = None
    expires: dt.date | None = None


class ExternalAudit(Strict):
    auditor_qualification: Literal["systems_auditor", "CISA", "other"] | None = None
    date: dt.date | None = None


class ForeignLawAssessment(Strict):
    exposed: bool | None = None
    decision: str | None = None
    assessed_on: dt.date | None = None


class ContractClauses(Strict):
    """The clauses 企画管理編 ⑦–⑩ require in an external-storage contract."""

    no_analysis_without_permission: bool | None = None
    analysis_for_legitimate_purpose_only: bool | None = None
    anonymised_data_handling: bool | None = None
    patient_access_scope: bool | None = None
    disclosure_on_consent_only: bool | None = None
    periodic_reporting: bool | None = None
    management_approval_of_reports: bool | None = None
    data_return_at_termination: bool | None = None
    patient_notice: bool | None = None
    confidentiality: bool | None = Field(default=None, description="業務委託契約における守秘条項")
    no_access_to_stored_records: bool | None = Field(
        default=None, description="the contractor does not access the stored medical records, except during fault "
                                  "handling (障害対応時)")
    fault_access_notice: bool | None = Field(
        default=None, description="an access during fault handling is notified to the hospital (障害対策時のアクセス通知)")
    complaint_desk: bool | None = Field(default=None, description="the contractor names a desk for complaints and "
                                                                  "enquiries (苦情・問合せの受付窓口)")


class Subcontractor(Strict):
    name: str
    reports_to_contractor: bool | None = None


class Resource(Strict):
    """Fields every resource carries."""

    kind: str  # each subclass narrows this to its own Literal tag
    id: str = Field(min_length=1, description="Provider identifier: ARN, Azure resource ID, GCP asset name, IaC address")
    name: str | None = None
    provider: Provider
    account: str | None = None
    region: str | None = None
    country: str | None = Field(default=None, description="ISO 3166 alpha-2; derived from region for cloud resources")
    tags: dict[str, str] = Field(default_factory=dict)
    source: SourceRef = Field(default_factory=lambda: SourceRef(type="inventory"))
    holds_medical_data: bool | None = None
    read_errors: dict[str, str] = Field(default_factory=dict, description="field → why it could not be read")
    raw: dict[str, Any] | None = Field(default=None, description="the provider's own document, kept as evidence")

    @model_validator(mode="after")
    def _derive_country(self) -> Resource:
        # Written into __dict__: pydantic's __setattr__ costs more than the rest of this check, on
        # every resource of an inventory (a tenth of reading a 100k-resource file, measured).
        fields = self.__dict__
        if self.provider in ("aws", "azure", "gcp") and self.region is not None:
            # One spelling of a known region for every rule; a region the table does not know
            # stays as given and leaves the country unread rather than guessed.
            fields["region"] = region = canonical_region(self.provider, self.region)
            fields["country"] = country_of(self.provider, region)
        for d in fields.get("destinations") or []:  # (not getattr: pydantic's miss path is slow)
            if d.region is not None:
                d.region = canonical_region(d.provider or self.provider, d.region)
            if d.country is None and d.region is not None:
                d.country = country_of(d.provider or self.provider, d.region)
        return self


class _Encrypted(Strict):
    encrypted: bool | None = None
    key_managed_by: KeyManager | None = None
    kms_key_id: str | None = None


class ObjectStorage(Resource, _Encrypted):
    kind: Literal["storage.bucket"] = "storage.bucket"
    public: bool | None = None
    tls_required: bool | None = None
    min_tls_version: str | None = None
    versioning: bool | None = None
    immutable: bool | None = Field(default=None, description="object lock / immutable blob / bucket lock in force")
    immutability_mode: ImmutabilityMode | None = Field(
        default=None, description="compliance/locked: nobody can lift the lock; governance/unlocked: a privileged "
                                  "user can (S3 Object Lock mode, Azure immutability policy state, GCS retentionPolicy.isLocked)")
    retention_days: int | None = None
    destinations: list[Destination] | None = None


class Database(Resource, _Encrypted):
    kind: Literal["database.instance"] = "database.instance"
    engine: str | None = None
    publicly_accessible: bool | None = None
    tls_required: bool | None = None
    backup_retention_days: int | None = None
    destinations: list[Destination] | None = None
    audit_logging: bool | None = Field(
        default=None,
        description="the engine records connections and statements/reads (who read which record) "
        "to a log the operator keeps: RDS audit/pgaudit exports, Azure SQL auditing, Cloud SQL audit flags")
    audit_classes: list[str] | None = Field(
        default=None,
        description="what that audit log is set to record, in the engine's own terms: pgaudit.log classes "
        "(read, write, ddl, …, all), MySQL/MariaDB server_audit_events (CONNECT, QUERY, QUERY_DML, …), Azure SQL "
        "audit action groups, DATA_READ (BigQuery); [] = nothing")


class Disk(Resource, _Encrypted):
    kind: Literal["compute.disk"] = "compute.disk"
    attached_to: str | None = None


class Snapshot(Resource, _Encrypted):
    kind: Literal["compute.snapshot"] = "compute.snapshot"
    public: bool | None = None
    destinations: list[Destination] | None = None


class Key(Resource):
    kind: Literal["kms.key"] = "kms.key"
    key_managed_by: KeyManager | None = None
    rotation_enabled: bool | None = None
    rotation_period_days: int | None = None
    state: Literal["enabled", "disabled", "pending_deletion"] | None = None


class NetworkSegment(Resource):
    kind: Literal["network.segment"] = "network.segment"
    segment_type: Literal["vpc", "vnet", "subnet", "vlan"] | None = None
    zone: Zone | None = None
    reachable_from: list[Zone] | None = None
    internet_routed: bool | None = None
    flow_logs_enabled: bool | None = None
    default_firewall_restricted: bool | None = None
    remote_auth_method: Literal["mfa", "certificate", "password", "none"] | None = None
    source_restricted: bool | None = Field(
        default=None, description="connections are accepted only from registered source addresses (接続元制限), "
                                  "as for a remote-maintenance or remote-access path")


class FirewallRule(Resource):
    kind: Literal["network.firewall_rule"] = "network.firewall_rule"
    direction: Literal["ingress", "egress"] | None = None
    action: Literal["allow", "deny"] | None = None
    protocol: str | None = None
    sources: list[str] | None = Field(default=None, description="CIDRs or service tags (Internet, *, any)")
    ports: list[PortRange] | None = Field(default=None, description="[] with protocol 'all' means every port")
    attached_to: list[str] | None = None
    group: str | None = Field(default=None, description="the security group, network ACL, NSG or VPC network the "
                              "rule belongs to: the allow rules of one group are judged together")
    internet_share: float | None = Field(
        default=None, description="derived, never read from input: the largest share (0–1) of the public IPv4 or "
        "global unicast IPv6 space that may reach a port of this rule, with its group's other allow rules; "
        "None when a source cannot be read")
    exposure: list[PortShare] | None = Field(
        default=None, description="derived: that share per port range of this rule (None: ports or sources unread)")

    @model_validator(mode="after")
    def _read_sources(self) -> FirewallRule:
        derive_exposure([self])
        return self


def _sources_read(rule: FirewallRule) -> list[netaddr.Source] | None:
    """Canonical sources on the rule; why one cannot be read in ``read_errors``."""
    if rule.sources is None:
        return None
    read = [netaddr.read_source(s) for s in rule.sources]
    rule.sources = [s.text for s in read]
    bad = [s.why for s in read if s.why]
    if bad:
        rule.read_errors["sources"] = "; ".join(bad)
    return read


def derive_exposure(resources: Iterable[Resource]) -> None:
    """Canonical sources and the derived ``internet_share`` / ``exposure`` of firewall rules,
    the allow rules of one ``group`` taken together (:mod:`netaddr`). Readers call it on what
    they read; it is idempotent."""
    rules = [r for r in resources if isinstance(r, FirewallRule)]
    views = []
    groups: dict[tuple[str, str], list[netaddr.RuleView]] = {}
    for r in rules:
        v = netaddr.view(_sources_read(r), r.ports, r.protocol, r.attached_to, r.group,
                         r.direction == "ingress" and r.action == "allow")
        views.append(v)
        if r.group is not None:
            groups.setdefault((r.provider, r.group), []).append(v)
    for r, v in zip(rules, views, strict=True):
        group = groups.get((r.provider, r.group), ()) if r.group else ()
        v.group_has_peers = len(group) > 1
        share, segments = netaddr.exposure(v, group)
        r.internet_share = share
        r.exposure = None if segments is None else [
            PortShare.model_construct(from_port=a, to_port=b, share=x) for a, b, x in segments]  # computed here


class LoadBalancerListener(Resource):
    kind: Literal["network.lb_listener"] = "network.lb_listener"
    protocol: Literal["HTTP", "HTTPS", "TLS", "TCP", "UDP"] | None = None
    port: int | None = None
    min_tls_version: str | None = None
    tls_policy: str | None = None
    redirects_to_https: bool | None = None


ADMIN_RIGHTS = ("holds full administrative rights (管理者権限) over the account, subscription or project: every "
                "action on every resource (*:*, AdministratorAccess), Owner/Contributor/User Access Administrator "
                "at subscription or management-group scope, roles/owner or roles/editor, directly or through a group")
ADMIN_GRANTS = "what grants admin_rights (policy or role, and where), as evidence; [] when admin_rights is false"


class IdentityUser(Resource):
    kind: Literal["identity.user"] = "identity.user"
    purpose: Literal["user", "maintenance", "break_glass", "service"] | None = None
    console_access: bool | None = None
    mfa_enabled: bool | None = None
    access_keys: list[AccessKey] | None = None
    # "never" is a value that was read (never used / no expiry set), unlike None (not read).
    last_used: dt.date | Literal["never"] | None = None
    expires: dt.date | Literal["never"] | None = None
    credential_changed: dt.date | None = None
    shared: bool | None = None
    admin_rights: bool | None = Field(default=None, description=ADMIN_RIGHTS)
    admin_grants: list[str] | None = Field(default=None, description=ADMIN_GRANTS)
    auth_factors: list[AuthFactor] | None = Field(
        default=None, description="what the person presents at an interactive sign-in, one entry per factor; "
                                  "[] = nothing (no authentication)")
    left_on: dt.date | None = Field(
        default=None, description="the day the person left (退職・異動) or the contract ended; None: not recorded")


class IdentityGroup(Resource):
    """A group of principals that rights are granted to (an IAM group, an Entra ID group holding an
    Azure role, a Google group in an IAM binding): it does not sign in, so the user controls
    (console MFA, keys, expiry) do not apply to it, but what it grants does."""

    kind: Literal["identity.group"] = "identity.group"
    purpose: Literal["user", "maintenance", "break_glass", "service"] | None = None
    members: list[str] | None = Field(default=None, description="IDs of the member users; None: not read")
    admin_rights: bool | None = Field(default=None, description=ADMIN_RIGHTS)
    admin_grants: list[str] | None = Field(default=None, description=ADMIN_GRANTS)


class IdentityRole(Resource):
    kind: Literal["identity.role"] = "identity.role"
    full_admin: bool | None = Field(default=None, description="grants every action on every resource (*:*)")
    purpose: Literal["user", "maintenance", "break_glass", "service"] | None = None


class AccountSettings(Resource):
    kind: Literal["account.settings"] = "account.settings"
    root_mfa_enabled: bool | None = None
    root_access_keys_present: bool | None = None
    password_policy: PasswordPolicy | None = None
    password_users_without_mfa: list[str] | None = Field(
        default=None, description="the users the password policy governs (they sign in with a password) who "
                                  "have no second factor (二要素認証); [] = every one has one, or there are none")
    config_recording: bool | None = None
    disk_encryption_by_default: dict[str, bool] | None = Field(
        default=None, description="region → new block-storage volumes are encrypted by default (AWS EBS); "
                                  "regions not read are absent and named in read_errors")


class AuditTrail(Resource):
    kind: Literal["audit.trail"] = "audit.trail"
    enabled: bool | None = None
    multi_region: bool | None = None
    integrity_validation: bool | None = None
    destination: str | None = None
    destination_immutable: bool | None = None
    destination_immutability_mode: ImmutabilityMode | None = Field(
        default=None, description="how the destination's lock holds (see storage.bucket immutability_mode)")
    retention_days: int | None = None


class BackupPlan(Resource):
    kind: Literal["backup.plan"] = "backup.plan"
    generations: int | None = None
    retention_days: int | None = None
    methods: list[Literal["online", "worm", "offline"]] | None = None
    destinations: list[Destination] | None = None
    last_restore_test: dt.date | None = None
    protected: list[str] | None = None


class BackupVault(Resource):
    kind: Literal["backup.vault"] = "backup.vault"
    encrypted: bool | None = None
    immutable: bool | None = None
    immutability_mode: ImmutabilityMode | None = Field(
        default=None, description="AWS Backup Vault Lock: governance until its lock date has passed, then "
                                  "compliance; Azure vault immutability: unlocked or locked")
    soft_delete: bool | None = None
    destinations: list[Destination] | None = None


class ThreatDetection(Resource):
    kind: Literal["security.threat_detection"] = "security.threat_detection"
    service: str | None = None
    enabled: bool | None = None


class VendorContract(Resource):
    kind: Literal["vendor.contract"] = "vendor.contract"
    vendor: str | None = None
    service_model: Literal["saas", "paas", "iaas"] | None = None
    systems: list[str] | None = None
    certifications: list[Certification] | None = None
    # "none": the register says there was no external audit (None: not recorded / not read).
    external_audit: ExternalAudit | Literal["none"] | None = None
    storage_countries: list[str] | None = None
    governing_law: str | None = Field(default=None, description="ISO country whose law governs the contract")
    court_country: str | None = None
    foreign_law: ForeignLawAssessment | None = None
    clauses: ContractClauses | None = None
    subcontractors: list[Subcontractor] | None = None
    responsibility_agreed: bool | None = None
    responsibility_overrides: dict[str, Literal["provider", "customer", "shared"]] | None = Field(
        default=None, description="control ID → who is responsible under this contract (overrides the catalog)")


class Site(Resource):
    kind: Literal["site.facility"] = "site.facility"
    prefecture: str | None = None
    entry_control: EntryControl | None = None
    cameras: bool | None = None
    disaster_resilience: Literal["seismic_isolated", "seismic_resistant", "none"] | None = None


class Device(Resource):
    kind: Literal["device.host"] = "device.host"
    device_type: Literal["server", "workstation", "laptop", "network", "medical_device", "storage", "iot"] | None = None
    site: str | None = None
    os: str | None = None
    last_patched: dt.date | None = None
    antimalware: bool | None = None
    signatures_updated: dt.date | None = None
    disk_encrypted: bool | None = None
    ntp_source: str | None = None
    default_password_changed: bool | None = None
    usb_storage_restricted: bool | None = Field(
        default=None, description="USB storage and other external media cannot be used, or only registered ones")
    source_restricted: bool | None = Field(
        default=None, description="a network device's management and remote access accept only registered source "
                                  "addresses (接続元制限)")
    owner: str | None = Field(default=None, description="who is responsible for the device (管理責任者)")
    network_segment: str | None = Field(default=None, description="the ID of the network segment it is connected to")
    backup_power: bool | None = Field(
        default=None, description="an uninterruptible or emergency power supply (無停電電源装置・非常用電源) keeps it running "
                                  "or lets it shut down safely in a power cut")


class Attestation(Resource):
    kind: Literal["attestation"] = "attestation"
    control_id: str
    answer: Literal["yes", "no", "partial", "not_applicable"] | None = None
    attested_by: str | None = None
    attested_on: dt.date | None = None
    evidence: str | None = None
    # feeds date arithmetic (attested_on + review period): bounded so it cannot overflow it
    review_period_days: int | None = Field(default=None, ge=0, le=MAX_DAYS)


class ProviderSubcontractor(Strict):
    """A 再委託先 (a supplier of the provider's service) and whether the provider manages it."""

    name: str
    risk_managed: bool | None = None


class ProviderService(Resource):
    """A service a provider (対象事業者 of the METI/MIC provider guideline) offers to 医療機関等, as its
    own register records it: what it discloses (表4-1), its certifications, where the data is kept, the
    agreed 責任分界, its evaluation, its suppliers and its electronic signatures."""

    kind: Literal["provider.service"] = "provider.service"
    service_model: Literal["saas", "paas", "iaas"] | None = None
    disclosed_policies: bool | None = None
    disclosed_organisation: bool | None = None
    disclosed_backup: bool | None = None
    certifications: list[Certification] | None = None
    storage_countries: list[str] | None = None
    domestic_law_confirmed: bool | None = None
    # "none": the register says no agreement was made (None: not recorded)
    responsibility_agreed_on: dt.date | Literal["none"] | None = None
    # derived by the reader: the ids of the risk register's entries for this service (None: no risk register)
    risks: list[str] | None = None
    subcontractors: list[ProviderSubcontractor] | None = None
    evaluated_on: dt.date | Literal["none"] | None = None
    evaluator: Literal["independent_audit", "third_party", "internal"] | None = None
    evaluation_reported: bool | None = None
    esignature_replaces_seal: bool | None = None
    esignature_certificate: Literal["hpki", "accredited", "certified", "other"] | None = None
    qualification_verifiable: bool | None = None


RISK_TREATMENTS = ("reduce", "avoid", "share", "accept")  # リスク低減 / 回避 / 共有 / 保有


class ProviderRisk(Resource):
    """One entry of a provider's risk register (リスクマネジメントプロセス): the level is 影響度 × 顕在化率."""

    kind: Literal["provider.risk"] = "provider.risk"
    service: str | None = None
    risk: str | None = None
    impact: int | None = Field(default=None, ge=1)
    likelihood: int | None = Field(default=None, ge=1)
    level: int | None = Field(default=None, ge=1)
    treatment: Literal["reduce", "avoid", "share", "accept"] | None = None
    owner: str | None = None
    reviewed_on: dt.date | None = None

    @model_validator(mode="after")
    def _level_is_the_product(self) -> ProviderRisk:
        # A level that is not 影響度 × 顕在化率 mis-states the risk: which value is wrong is unknown,
        # so it is an input error, never a verdict.
        if None not in (self.impact, self.likelihood, self.level) and self.level != self.impact * self.likelihood:
            raise ValueError(f"level {self.level} is not impact × likelihood = {self.impact} × {self.likelihood}")
        return self


AnyResource = Annotated[
    ObjectStorage | Database | Disk | Snapshot | Key | NetworkSegment | FirewallRule
    | LoadBalancerListener | IdentityUser | IdentityGroup | IdentityRole | AccountSettings | AuditTrail
    | BackupPlan | BackupVault | ThreatDetection | VendorContract | Site | Device | Attestation
    | ProviderService | ProviderRisk,
    Field(discriminator="kind"),
]

RESOURCE_CLASSES: dict[str, type[Resource]] = {
    cls.model_fields["kind"].default: cls
    for cls in (ObjectStorage, Database, Disk, Snapshot, Key, NetworkSegment, FirewallRule,
                LoadBalancerListener, IdentityUser, IdentityGroup, IdentityRole, AccountSettings, AuditTrail,
                BackupPlan, BackupVault, ThreatDetection, VendorContract, Site, Device, Attestation,
                ProviderService, ProviderRisk)
}
KINDS: tuple[str, ...] = tuple(RESOURCE_CLASSES)


class CollectionError(Strict):
    """Something a collector could not read (which service, region and API, and why). The
    resources it concerns carry the same reason in ``read_errors`` and are judged UNKNOWN."""

    service: str
    region: str | None = None
    api: str
    reason: str
    resource: str | None = None


class Inventory(Strict):
    """The versioned inventory file that ``sansho collect`` writes and ``sansho scan`` reads."""

    schema_version: Literal["1.0"]
    generated_at: dt.datetime | None = None
    generator: str | None = None
    resources: list[AnyResource]
    errors: list[CollectionError] = Field(default_factory=list)

    @model_validator(mode="after")
    def _groups(self) -> Inventory:
        derive_exposure(r for r in self.resources if isinstance(r, FirewallRule) and r.group is not None)
        return self
