"""One pydantic row model per register, closed (``extra="forbid"``): an unknown column is an error.

The field names are the CSV column names and the YAML keys. Flat registers have the same keys
in both formats; the vendor register nests certifications, the external audit, the
foreign-law assessment, the clauses and the subcontractors (see :mod:`.vendor_csv` for the
flattened CSV layout).
"""

import functools
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from sansho.policies.model import MAX_DAYS

from .values import (
    Bool,
    Country,
    CountryList,
    Date,
    DateOrNever,
    Int,
    RequiredText,
    Text,
    TextList,
    _blank,
    choice,
    err,
    list_of,
)

ZONES = ("medical", "administrative", "guest", "byod", "internet", "remote_access", "maintenance", "dmz", "other")
ZONE_ALIASES = {"admin": "administrative", "remote": "remote_access", "vpn": "remote_access"}
CERT_SCHEMES = ("ISMAP", "JASA_CS_GOLD", "FEDRAMP", "SOC2", "SOC3", "PRIVACY_MARK", "ISMS")
CERT_ALIASES = {
    "JASA CS Gold Mark": "JASA_CS_GOLD", "JASA": "JASA_CS_GOLD", "CS Gold Mark": "JASA_CS_GOLD",
    "CSゴールドマーク": "JASA_CS_GOLD", "FedRAMP": "FEDRAMP", "SOC 2": "SOC2", "SOC 3": "SOC3",
    "Privacy Mark": "PRIVACY_MARK", "PrivacyMark": "PRIVACY_MARK", "Pmark": "PRIVACY_MARK",
    "プライバシーマーク": "PRIVACY_MARK", "Pマーク": "PRIVACY_MARK", "ISO27001": "ISMS", "ISO 27001": "ISMS",
}
CLAUSES = (
    "no_analysis_without_permission", "analysis_for_legitimate_purpose_only", "anonymised_data_handling",
    "patient_access_scope", "disclosure_on_consent_only", "periodic_reporting", "management_approval_of_reports",
    "data_return_at_termination", "patient_notice", "confidentiality", "no_access_to_stored_records",
    "fault_access_notice", "complaint_desk",
)
# Sign-in factors (二要素認証): the model's AuthFactor values, and the words a hospital writes for them.
AUTH_FACTORS = ("password", "pin", "ic_card", "security_key", "otp_token", "otp_app", "sms", "push", "certificate",
                "biometric")
AUTH_FACTOR_ALIASES = {
    "パスワード": "password", "暗証番号": "pin", "icカード": "ic_card", "職員証": "ic_card", "hpkiカード": "ic_card",
    "smartcard": "ic_card", "smart_card": "ic_card", "fido2": "security_key", "yubikey": "security_key",
    "セキュリティキー": "security_key", "ワンタイムパスワード": "otp_token", "otp": "otp_token", "totp": "otp_app",
    "認証アプリ": "otp_app", "authenticator": "otp_app", "sms認証": "sms", "クライアント証明書": "certificate",
    "client_certificate": "certificate", "生体認証": "biometric", "指紋": "biometric", "静脈": "biometric",
    "顔認証": "biometric", "fingerprint": "biometric", "face": "biometric", "vein": "biometric",
}
RESPONSIBLE = ("provider", "customer", "shared")


def list_of_choice(values: tuple[str, ...], aliases: dict[str, str] | None = None) -> Any:
    return list_of(choice(values, aliases))


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=False)


class SiteRow(Row):
    id: RequiredText
    name: Text = None
    country: Country = None
    prefecture: Text = None
    disaster_resilience: Annotated[str | None, BeforeValidator(choice(("seismic_isolated", "seismic_resistant", "none"),
                                {"免震": "seismic_isolated", "耐震": "seismic_resistant"}))] = None
    entry_identification: Annotated[str | None, BeforeValidator(choice(("ic_card", "biometric", "staffed_desk", "key", "none")))] = None
    entry_logged: Bool = None
    cameras: Bool = None
    holds_medical_data: Bool = None


class NetworkRow(Row):
    id: RequiredText
    name: Text = None
    segment_type: Annotated[str | None, BeforeValidator(choice(("vlan", "subnet", "vpc", "vnet")))] = None
    zone: Annotated[str | None, BeforeValidator(choice(ZONES, ZONE_ALIASES))] = None
    site: Text = None
    country: Country = None
    internet_routed: Bool = None
    remote_auth_method: Annotated[str | None, BeforeValidator(choice(("mfa", "certificate", "password", "none"),
                               {"2fa": "mfa", "cert": "certificate", "client_certificate": "certificate"}))] = None
    holds_medical_data: Bool = None
    source_restricted: Bool = None


class FlowRow(Row):
    """An allowed flow: traffic from ``from`` may reach ``to`` (each a zone or a segment id)."""

    from_: RequiredText = Field(alias="from")
    to: RequiredText
    ports: Text = None
    description: Text = None


class DeviceRow(Row):
    id: RequiredText
    name: Text = None
    device_type: Annotated[str | None, BeforeValidator(choice(("server", "workstation", "laptop", "network", "medical_device", "storage", "iot"),
                        {"pc": "workstation", "nas": "storage", "modality": "medical_device", "iot機器": "iot"}))] = None
    site: Text = None
    country: Country = None
    os: Text = None
    last_patched: Date = None
    antimalware: Bool = None
    signatures_updated: Date = None
    disk_encrypted: Bool = None
    ntp_source: Text = None
    default_password_changed: Bool = None
    holds_medical_data: Bool = None
    usb_storage_restricted: Bool = None
    source_restricted: Bool = None
    owner: Text = None
    network_segment: Text = None
    backup_power: Bool = None


class AccountRow(Row):
    id: RequiredText
    name: Text = None
    type: Annotated[str | None, BeforeValidator(choice(("user", "maintenance", "break_glass", "service"),
                 {"emergency": "break_glass", "breakglass": "break_glass", "vendor": "maintenance"}))] = None
    system: Text = None
    interactive_login: Bool = None
    mfa: Bool = None
    shared: Bool = None
    last_used: DateOrNever = None
    expires: DateOrNever = None
    credential_changed: Date = None
    admin: Bool = None
    auth_factors: Annotated[list[str] | None, BeforeValidator(list_of_choice(AUTH_FACTORS, AUTH_FACTOR_ALIASES))] = None
    left_on: Date = None


class BackupRow(Row):
    id: RequiredText
    name: Text = None
    protected: TextList = None
    generations: Int = None
    retention_days: Int = None
    methods: Annotated[list[str] | None, BeforeValidator(list_of_choice(("online", "worm", "offline"),
                        {"append_only": "worm", "immutable": "worm", "air_gapped": "offline", "airgap": "offline",
                         "tape": "offline"}))] = None
    location: TextList = None
    country: CountryList = None
    last_restore_test: Date = None
    holds_medical_data: Bool = None


# --- vendors --------------------------------------------------------------------------------


def _mapping(v: Any) -> Any:
    if _blank(v):
        return None
    if not isinstance(v, dict):
        raise err("mapping", value=v)
    return v


def _list(v: Any) -> Any:
    if _blank(v):
        return None
    if isinstance(v, str) and v.strip().lower() in ("none", "なし"):
        return []
    if not isinstance(v, list):
        raise err("list", value=v)
    return v


class CertificationRow(Row):
    scheme: Annotated[str, BeforeValidator(lambda v: _required(choice(CERT_SCHEMES, CERT_ALIASES)(v)))]
    registration_id: Text = None
    expires: Date = None


def _required(v: Any) -> Any:
    if v is None:
        raise err("required")
    return v


class ExternalAuditRow(Row):
    auditor_qualification: Annotated[str | None, BeforeValidator(choice(("systems_auditor", "CISA", "other"),
                                  {"システム監査技術者": "systems_auditor", "公認システム監査人": "systems_auditor"}))] = None
    date: Date = None


class ForeignLawRow(Row):
    exposed: Bool = None
    decision: Text = None
    assessed_on: Date = None


class ClausesRow(Row):
    no_analysis_without_permission: Bool = None
    analysis_for_legitimate_purpose_only: Bool = None
    anonymised_data_handling: Bool = None
    patient_access_scope: Bool = None
    disclosure_on_consent_only: Bool = None
    periodic_reporting: Bool = None
    management_approval_of_reports: Bool = None
    data_return_at_termination: Bool = None
    patient_notice: Bool = None
    confidentiality: Bool = None
    no_access_to_stored_records: Bool = None
    fault_access_notice: Bool = None
    complaint_desk: Bool = None


class SubcontractorRow(Row):
    name: RequiredText
    reports_to_contractor: Bool = None


def _external_audit(v: Any) -> Any:
    if _blank(v):
        return None
    if isinstance(v, str) and v.strip().lower() in ("none", "なし"):
        return "none"
    if not isinstance(v, dict):
        raise err("external_audit_value", value=v)
    return v


@functools.cache
def _catalog() -> Any:
    from sansho.policies.catalog import load_catalog

    return load_catalog()


def _control_id(v: Any) -> str:
    if not isinstance(v, str) or v.strip() not in _catalog():
        raise err("unknown_control", value=v)
    return v.strip()


ControlId = Annotated[str, BeforeValidator(_control_id)]


class VendorRow(Row):
    id: RequiredText
    name: Text = None
    vendor: Text = None
    country: Country = None
    service_model: Annotated[str | None, BeforeValidator(choice(("saas", "paas", "iaas")))] = None
    systems: TextList = None
    holds_medical_data: Bool = None
    certifications: Annotated[list[CertificationRow] | None, BeforeValidator(_list)] = None
    external_audit: Annotated[ExternalAuditRow | str | None, BeforeValidator(_external_audit)] = None
    storage_countries: CountryList = None
    governing_law: Country = None
    court_country: Country = None
    foreign_law: Annotated[ForeignLawRow | None, BeforeValidator(_mapping)] = None
    clauses: Annotated[ClausesRow | None, BeforeValidator(_mapping)] = None
    subcontractors: Annotated[list[SubcontractorRow] | None, BeforeValidator(_list)] = None
    responsibility_agreed: Bool = None
    responsibility_overrides: Annotated[
        dict[ControlId, Annotated[str, BeforeValidator(lambda v: _required(choice(RESPONSIBLE)(v)))]] | None,
        BeforeValidator(_mapping),
    ] = None

    @field_validator("external_audit", mode="after")
    @classmethod
    def _audit(cls, v: Any) -> Any:
        if isinstance(v, str) and v != "none":
            raise err("external_audit_value", value=v)
        return v


# --- attestations ---------------------------------------------------------------------------


def _attestation_control(v: Any) -> str:
    if _blank(v):
        raise err("required")
    cid = str(v).strip()
    catalog = _catalog()
    if cid not in catalog:
        raise err("unknown_control", value=cid)
    control = catalog[cid]
    if control.check != "attestation":
        raise err("not_attestation_control", value=cid, check=control.check)
    return cid


def _days(v: int | None) -> int | None:
    if v is not None and v > MAX_DAYS:  # it feeds date arithmetic
        raise err("days_max", value=v, max=MAX_DAYS)
    return v


class AttestationRow(Row):
    id: Text = None
    control_id: Annotated[str, BeforeValidator(_attestation_control)]
    answer: Annotated[str | None, BeforeValidator(choice(("yes", "no", "partial", "not_applicable"),
                   {"はい": "yes", "いいえ": "no", "一部": "partial", "該当なし": "not_applicable",
                    "n/a": "not_applicable", "na": "not_applicable"}, bools=("yes", "no")))] = None
    attested_by: Text = None
    attested_on: Date = None
    evidence: Text = None
    review_period_days: Annotated[Int, AfterValidator(_days)] = None


REQUIRED_COLUMNS: dict[type[Row], tuple[str, ...]] = {
    SiteRow: ("id",), NetworkRow: ("id",), FlowRow: ("from", "to"), DeviceRow: ("id",), AccountRow: ("id",),
    BackupRow: ("id",), VendorRow: ("id",), AttestationRow: ("control_id",),
}


def columns(model: type[Row]) -> list[str]:
    """The column / key names of a row model, in declaration order."""
    return [f.alias or name for name, f in model.model_fields.items()]


# Every register file sansho reads, by name: the on-prem inventory is these, one file each.
REGISTERS: dict[str, type[Row]] = {
    "sites": SiteRow, "networks": NetworkRow, "flows": FlowRow, "devices": DeviceRow,
    "accounts": AccountRow, "backups": BackupRow, "vendors": VendorRow, "attestations": AttestationRow,
}
