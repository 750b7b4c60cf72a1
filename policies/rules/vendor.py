"""Vendor (委託先事業者) rules that need the scan date: certification expiry and audit age.

企画管理編 7 ⑥ f (プライバシーマーク認定又は ISMS 認証) and g (セキュリティクラウド認証等, or an
external audit by a システム監査技術者 or CISA). The contract-clause rules are Rego
(``rego/sansho/vendor/vendor.rego``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sansho.policies.model import Certification, VendorContract
from sansho.policies.rules.registry import (
    RuleContext,
    Verdict,
    days_between,
    failed,
    not_applicable,
    passed,
    rule,
    unknown,
)


def _sort_certs(
    certs: list[Certification], schemes: list[str], today: dt.date
) -> tuple[list[Certification], list[Certification], list[Certification]]:
    """The certifications of the accepted schemes, split into valid, expired and undated."""
    wanted = {s.upper() for s in schemes}
    valid: list[Certification] = []
    expired: list[Certification] = []
    undated: list[Certification] = []
    for c in certs:
        if c.scheme.upper() not in wanted:
            continue
        if c.expires is None:
            undated.append(c)
        elif c.expires >= today:  # valid through its expiry date
            valid.append(c)
        else:
            expired.append(c)
    return valid, expired, undated


def _valid_en(certs: list[Certification]) -> str:
    return ", ".join(f"{c.scheme} (valid until {c.expires})" for c in certs)


def _valid_ja(certs: list[Certification]) -> str:
    return "、".join(f"{c.scheme}({c.expires} まで有効)" for c in certs)


def _expired_en(certs: list[Certification]) -> str:
    if not certs:
        return ""
    return " (expired: " + ", ".join(f"{c.scheme} on {c.expires}" for c in certs) + ")"


def _expired_ja(certs: list[Certification]) -> str:
    if not certs:
        return ""
    return "(失効: " + "、".join(f"{c.scheme} {c.expires}" for c in certs) + ")"


@rule("SAN-VEN-001")
def cloud_certification_or_audit(r: VendorContract, params: dict[str, Any], ctx: RuleContext) -> Verdict:
    if r.certifications is None:
        return unknown("certifications")
    schemes = params["accepted_schemes"]
    valid, expired, undated = _sort_certs(r.certifications, schemes, ctx.today)
    if valid:
        return passed(
            f"holds a cloud security certification valid on {ctx.today}: {_valid_en(valid)}",
            f"{ctx.today} 時点で有効なセキュリティクラウド認証等があります: {_valid_ja(valid)}",
        )

    audit = r.external_audit
    if audit == "none":
        if undated:
            return unknown("certifications[].expires (" + ", ".join(c.scheme for c in undated) + ")")
        return failed(
            f"no cloud security certification ({', '.join(schemes)}) valid on {ctx.today}{_expired_en(expired)}, "
            "and no external audit by a qualified auditor",
            f"{ctx.today} 時点で有効なセキュリティクラウド認証等({'、'.join(schemes)})がなく{_expired_ja(expired)}、"
            "有資格者による外部監査も受けていません",
        )
    qualifications = {q.lower() for q in params["accepted_auditor_qualifications"]}
    max_age = int(params["max_audit_age_days"])
    audit_ok = (
        audit is not None
        and audit.auditor_qualification is not None
        and audit.auditor_qualification.lower() in qualifications
        and audit.date is not None
        and days_between(audit.date, ctx.today) <= max_age
    )
    if audit_ok:
        assert audit is not None and audit.date is not None
        return passed(
            f"no valid certification, but an external audit on {audit.date} by an auditor qualified as "
            f"{audit.auditor_qualification} is within {max_age} days",
            f"有効な認証等はありませんが、{audit.date} に {audit.auditor_qualification} の資格を有する者による"
            f"外部監査を受けています({max_age} 日以内)",
        )

    # Neither route passes. Anything that was not read and could still pass makes it UNKNOWN.
    if undated:
        return unknown("certifications[].expires (" + ", ".join(c.scheme for c in undated) + ")")
    if audit is None:
        return unknown("external_audit")
    if audit.auditor_qualification is None:
        return unknown("external_audit.auditor_qualification")
    if audit.date is None and audit.auditor_qualification.lower() in qualifications:
        return unknown("external_audit.date")

    if audit.auditor_qualification.lower() not in qualifications:
        why_en = f"the external audit was by an auditor qualified as '{audit.auditor_qualification}'"
        why_ja = f"外部監査の実施者の資格が「{audit.auditor_qualification}」です"
    else:
        assert audit.date is not None
        why_en = f"the last external audit ({audit.date}) is older than {max_age} days"
        why_ja = f"直近の外部監査({audit.date})から {max_age} 日を超えています"
    return failed(
        f"no cloud security certification ({', '.join(schemes)}) valid on {ctx.today}"
        f"{_expired_en(expired)}, and {why_en}",
        f"{ctx.today} 時点で有効なセキュリティクラウド認証等({'、'.join(schemes)})がなく"
        f"{_expired_ja(expired)}、{why_ja}",
    )


@rule("SAN-VEN-002")
def privacy_mark_or_isms(r: VendorContract, params: dict[str, Any], ctx: RuleContext) -> Verdict:
    if r.certifications is None:
        return unknown("certifications")
    schemes = params["accepted_schemes"]
    valid, expired, undated = _sort_certs(r.certifications, schemes, ctx.today)
    if valid:
        return passed(
            f"holds a certification valid on {ctx.today}: {_valid_en(valid)}",
            f"{ctx.today} 時点で有効な認証があります: {_valid_ja(valid)}",
        )
    if undated:
        return unknown("certifications[].expires (" + ", ".join(c.scheme for c in undated) + ")")
    return failed(
        f"no {' or '.join(schemes)} certification valid on {ctx.today}{_expired_en(expired)}",
        f"{ctx.today} 時点で有効な {' 又は '.join(schemes)} の認証がありません{_expired_ja(expired)}",
    )


@rule("SAN-VEN-010")
def certifications_renewed_in_time(r: VendorContract, params: dict[str, Any], ctx: RuleContext) -> Verdict:
    """Valid certifications that lapse within the renewal window fail; expired ones are left to
    SAN-VEN-001/002, so one lapse is not reported three times."""
    if r.certifications is None:
        return unknown("certifications")
    window = int(params["renewal_window_days"])
    valid, _expired, undated = _sort_certs(r.certifications, params["schemes"], ctx.today)
    due = [c for c in valid if c.expires is not None and days_between(ctx.today, c.expires) <= window]
    if due:
        return failed(
            f"certification(s) expiring within {window} days: "
            + ", ".join(f"{c.scheme} {c.registration_id or ''} on {c.expires}".replace("  ", " ") for c in due),
            f"{window} 日以内に有効期限を迎える認証があります: "
            + "、".join(f"{c.scheme} {c.registration_id or ''}({c.expires})".replace(" (", "(") for c in due),
        )
    if undated:
        return unknown("certifications[].expires (" + ", ".join(c.scheme for c in undated) + ")")
    if not valid:
        return not_applicable("no valid certification to renew (see SAN-VEN-001/002)",
                              "更新対象の有効な認証がありません(SAN-VEN-001・002 を参照)")
    return passed(
        f"no certification expires within {window} days",
        f"{window} 日以内に有効期限を迎える認証はありません",
    )
