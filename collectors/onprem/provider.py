"""The provider registers: a provider's own services and its risk register (METI/MIC provider guideline).

Two registers, read like every other register (YAML or CSV, one-line errors naming file and field):

* ``provider_services``: each service the provider offers to 医療機関等, with the 表4-1 items it
  gives them, its certifications, where the data is stored, the agreed 責任分界, its evaluation
  (4.3), its suppliers (再委託先) and its electronic signatures (6.3) → ``provider.service``;
* ``provider_risks``: the risk register (リスクマネジメントプロセス): each risk with 影響度, 顕在化率
  and the リスクレベル, which must be 影響度 × 顕在化率, the treatment (低減・回避・共有・保有), the
  owner and the last review → ``provider.risk``.

Columns (CSV) and keys (YAML) may be written in English or in Japanese (:data:`JA_COLUMNS`); an
error names the column as the file wrote it.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, ValidationInfo, field_validator

from sansho.policies.model import (
    Certification,
    ProviderRisk,
    ProviderService,
    ProviderSubcontractor,
    SourceRef,
)

from .messages import Issue
from .readers import LineDict, Record
from .rows import CertificationRow, Row, _list
from .values import (
    Bool,
    CountryList,
    Date,
    Int,
    RequiredText,
    Text,
    choice,
    err,
    parse_date,
)
from .vendor_csv import certifications_cell, items_cell

SERVICES = "provider_services"
RISKS = "provider_risks"
ID_PREFIX = {SERVICES: "provider:service:", RISKS: "provider:risk:"}
TREATMENTS = ("reduce", "avoid", "share", "accept")
TREATMENT_ALIASES = {
    "低減": "reduce", "回避": "avoid", "共有": "share", "保有": "accept", "リスク低減": "reduce", "リスク回避": "avoid",
    "リスク共有": "share", "リスク保有": "accept", "mitigate": "reduce", "transfer": "share", "retain": "accept",
}
EVALUATORS = ("independent_audit", "third_party", "internal")
EVALUATOR_ALIASES = {"独立した監査部門": "independent_audit", "監査部門": "independent_audit", "第三者機関": "third_party",
                     "第三者": "third_party", "内部": "internal", "内部評価": "internal", "自己評価": "internal"}
CERTIFICATES = ("hpki", "accredited", "certified", "other")
CERTIFICATE_ALIASES = {"HPKI": "hpki", "保健医療福祉分野PKI": "hpki", "認定認証事業者": "accredited",
                       "認証事業者": "certified", "その他": "other"}

# Japanese column / key names → the English ones (the model's field names).
JA_COLUMNS: dict[str, dict[str, str]] = {
    SERVICES: {
        "サービスID": "id", "サービス名": "name", "サービス形態": "service_model", "医療情報を扱う": "holds_medical_data",
        "基本方針・取扱規程等の提供": "disclosed_policies", "実施体制の提供": "disclosed_organisation",
        "バックアップ状況の提供": "disclosed_backup", "第三者認証": "certifications", "保存国": "storage_countries",
        "国内法適用の確認": "domestic_law_confirmed", "責任分界の合意日": "responsibility_agreed_on",
        "再委託先": "subcontractors", "評価日": "evaluated_on", "評価者": "evaluator",
        "評価結果の報告": "evaluation_reported", "記名押印の電子署名化": "esignature_replaces_seal",
        "電子証明書": "esignature_certificate", "国家資格の電子的検証": "qualification_verifiable",
    },
    RISKS: {
        "リスクID": "id", "サービスID": "service", "リスク": "risk", "影響度": "impact", "顕在化率": "likelihood",
        "リスクレベル": "level", "対応": "treatment", "責任者": "owner", "見直し日": "reviewed_on",
    },
}
# The keys inside a YAML certification or supplier of provider_services.
JA_NESTED = {"制度": "scheme", "登録番号": "registration_id", "有効期限": "expires", "名称": "name",
             "リスク管理対象": "risk_managed"}
EN_TO_JA = {register: {en: ja for ja, en in names.items()} for register, names in JA_COLUMNS.items()}
EN_TO_JA_NESTED = {en: ja for ja, en in JA_NESTED.items()}


def _date_or_none(v: Any) -> Any:
    """A date, or ``none``/``なし`` (read: there is none). Empty: not read."""
    if isinstance(v, str) and v.strip().lower() in ("none", "なし"):
        return "none"
    return parse_date(v)


DateOrNone = Annotated[Any, BeforeValidator(_date_or_none)]


def _at_least_one(v: Any) -> Any:
    if v is not None and v < 1:
        raise err("min_one", value=v)
    return v


class SubcontractorRow(Row):
    name: RequiredText
    risk_managed: Bool = None


class ProviderServiceRow(Row):
    id: RequiredText
    name: Text = None
    service_model: Annotated[str | None, BeforeValidator(choice(("saas", "paas", "iaas")))] = None
    holds_medical_data: Bool = None
    disclosed_policies: Bool = None
    disclosed_organisation: Bool = None
    disclosed_backup: Bool = None
    certifications: Annotated[list[CertificationRow] | None, BeforeValidator(_list)] = None
    storage_countries: CountryList = None
    domestic_law_confirmed: Bool = None
    responsibility_agreed_on: DateOrNone = None
    subcontractors: Annotated[list[SubcontractorRow] | None, BeforeValidator(_list)] = None
    evaluated_on: DateOrNone = None
    evaluator: Annotated[str | None, BeforeValidator(choice(EVALUATORS, EVALUATOR_ALIASES))] = None
    evaluation_reported: Bool = None
    esignature_replaces_seal: Bool = None
    esignature_certificate: Annotated[str | None, BeforeValidator(choice(CERTIFICATES, CERTIFICATE_ALIASES))] = None
    qualification_verifiable: Bool = None


class ProviderRiskRow(Row):
    id: RequiredText
    service: RequiredText
    risk: Text = None
    impact: Int = None
    likelihood: Int = None
    level: Int = None
    treatment: Annotated[str | None, BeforeValidator(choice(TREATMENTS, TREATMENT_ALIASES))] = None
    owner: Text = None
    reviewed_on: Date = None

    @field_validator("impact", "likelihood", "level", mode="after")
    @classmethod
    def _positive(cls, v: int | None) -> int | None:
        return _at_least_one(v)

    @field_validator("level", mode="after")
    @classmethod
    def _product(cls, v: int | None, info: ValidationInfo) -> int | None:
        impact, likelihood = info.data.get("impact"), info.data.get("likelihood")
        if v is not None and impact is not None and likelihood is not None and v != impact * likelihood:
            raise err("risk_level", value=v, impact=impact, likelihood=likelihood, product=impact * likelihood)
        return v


NESTED_MODELS: dict[str, type[Row]] = {"certifications": CertificationRow, "subcontractors": SubcontractorRow}


# -- Japanese names ---------------------------------------------------------------------------


def to_english(register: str, values: Any, written: dict[str, str], twice: list[str]) -> Any:
    """The record with Japanese keys (at any depth) replaced by the English ones; ``written`` collects
    English → the name as written, so an error can name the column the way the file does, and
    ``twice`` the keys given in both languages."""
    return _to_english(JA_COLUMNS[register], values, written, twice)


def _to_english(names: dict[str, str], values: Any, written: dict[str, str], twice: list[str]) -> Any:
    if isinstance(values, list):
        return [_to_english(JA_NESTED, v, written, twice) for v in values]
    if not isinstance(values, dict):
        return values
    out = LineDict() if isinstance(values, LineDict) else {}
    if isinstance(values, LineDict):
        out.line = values.line
    for key, value in values.items():
        english = names.get(key, key) if isinstance(key, str) else key
        if english != key:
            written[english] = key
        if english in out:  # the same column in both languages
            twice.append(key)
            continue
        out[english] = _to_english(JA_NESTED, value, written, twice)
        if isinstance(values, LineDict):
            out.key_lines[english] = values.key_lines.get(key, values.line)
    return out


def shown_field(field: str | None, written: dict[str, str]) -> str | None:
    """``certifications[2].expires`` spelled as the file spelled it (``第三者認証[2].有効期限``)."""
    if field is None or not written:
        return field
    return re.sub(r"[^.\[\]]+", lambda m: written.get(m.group(0), m.group(0)), field)


def duplicate_columns(register: str, header: list[str]) -> list[str]:
    """Columns given twice, once in English and once in Japanese."""
    names = JA_COLUMNS.get(register, {})
    seen: dict[str, str] = {}
    twice = []
    for h in header:
        english = names.get(h, h)
        if english in seen:
            twice.append(h)
        seen[english] = h
    return twice


# -- the CSV layout ---------------------------------------------------------------------------


def unflatten(record: Record, rel: str, issues: list[Issue], written: dict[str, str]) -> dict[str, Any]:
    """A CSV service row: ``certifications`` as ``SCHEME:REGISTRATION_ID:EXPIRES;…`` (as in vendors.csv),
    ``subcontractors`` as ``NAME:yes|no;…``."""
    out: dict[str, Any] = {}
    for column, cell in record.values.items():
        if column == "certifications":
            certs = certifications_cell(cell, rel, record.line, written.get(column, column), issues)
            if certs is not None:
                out[column] = certs
        elif column == "subcontractors":
            items = items_cell(cell)
            if items is not None:
                subs = []
                for item in items:
                    name, colon, managed = item.rpartition(":")
                    subs.append({"name": name, "risk_managed": managed} if colon else {"name": item})
                out[column] = subs
        else:
            out[column] = cell
    return out


# -- normalized resources ---------------------------------------------------------------------


def resource_id(register: str, row_id: str) -> str:
    return ID_PREFIX[register] + row_id


def service(row: ProviderServiceRow, file: str, line: int, risks: list[str] | None) -> ProviderService:
    return ProviderService(
        id=resource_id(SERVICES, row.id), name=row.name, provider="vendor",
        source=SourceRef(type="inventory", file=file, line=line), holds_medical_data=row.holds_medical_data,
        service_model=row.service_model,  # type: ignore[arg-type]
        disclosed_policies=row.disclosed_policies, disclosed_organisation=row.disclosed_organisation,
        disclosed_backup=row.disclosed_backup,
        certifications=None if row.certifications is None else [
            Certification(**c.model_dump()) for c in row.certifications],
        storage_countries=row.storage_countries, domestic_law_confirmed=row.domestic_law_confirmed,
        responsibility_agreed_on=row.responsibility_agreed_on, risks=risks,
        subcontractors=None if row.subcontractors is None else [
            ProviderSubcontractor(**s.model_dump()) for s in row.subcontractors],
        evaluated_on=row.evaluated_on, evaluator=row.evaluator,  # type: ignore[arg-type]
        evaluation_reported=row.evaluation_reported, esignature_replaces_seal=row.esignature_replaces_seal,
        esignature_certificate=row.esignature_certificate,  # type: ignore[arg-type]
        qualification_verifiable=row.qualification_verifiable,
    )


def risk(row: ProviderRiskRow, file: str, line: int) -> ProviderRisk:
    return ProviderRisk(
        id=resource_id(RISKS, row.id), name=row.risk, provider="vendor",
        source=SourceRef(type="inventory", file=file, line=line), service=resource_id(SERVICES, row.service),
        risk=row.risk, impact=row.impact, likelihood=row.likelihood, level=row.level,
        treatment=row.treatment, owner=row.owner, reviewed_on=row.reviewed_on,  # type: ignore[arg-type]
    )
