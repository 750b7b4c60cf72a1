"""Provider (提供事業者) rules: the METI/MIC provider guideline, judged from a provider's own register.

The guideline's 第1.1版 numbering (第2.0版 is current; its numbering is unverified): 表4-1 the items
given to 医療機関等, 4.3 evaluation, 4.4 certification, 3.2.1 agreement formation, 5 the risk
management process, 2 the supply chain, 6.3 electronic signatures. Every date and every list is
judged here in Python, since several need the scan date.
"""

from __future__ import annotations

from typing import Any

from sansho.policies.model import ProviderRisk, ProviderService
from sansho.policies.rules.registry import (
    RuleContext,
    Verdict,
    after_scan_date,
    days_between,
    failed,
    not_applicable,
    passed,
    rule,
    unknown,
)
from sansho.policies.rules.vendor import privacy_mark_or_isms

TREATMENT_JA = {"reduce": "リスク低減", "avoid": "リスク回避", "share": "リスク共有", "accept": "リスク保有"}
EVALUATOR_JA = {"independent_audit": "独立した監査部門", "third_party": "第三者機関", "internal": "内部評価"}


def _missing(r: Any, fields: tuple[str, ...]) -> str | None:
    for name in fields:
        if getattr(r, name) is None:
            return name
    return None


@rule("SAN-PRV-001")
def policies_and_organisation_disclosed(r: ProviderService, params: dict[str, Any], ctx: RuleContext) -> Verdict:
    absent = _missing(r, ("disclosed_policies", "disclosed_organisation"))
    if absent:
        return unknown(absent)
    missing_en = [en for ok, en in ((r.disclosed_policies, "security policy and rules"),
                                    (r.disclosed_organisation, "organisation")) if not ok]
    missing_ja = [ja for ok, ja in ((r.disclosed_policies, "基本方針・取扱規程等の整備状況"),
                                    (r.disclosed_organisation, "実施体制の整備状況")) if not ok]
    if missing_en:
        return failed(f"not given to the hospitals (table 4-1): {', '.join(missing_en)}",
                      f"医療機関等に提供していない表4-1 の項目: {'、'.join(missing_ja)}")
    return passed("the security policy and rules and the organisation are given to the hospitals (table 4-1)",
                  "基本方針・取扱規程等の整備状況と実施体制を医療機関等に提供しています(表4-1)")


@rule("SAN-PRV-002")
def backup_disclosed(r: ProviderService, params: dict[str, Any], ctx: RuleContext) -> Verdict:
    if r.disclosed_backup is None:
        return unknown("disclosed_backup")
    if not r.disclosed_backup:
        return failed("how backups are taken and managed is not given to the hospitals (table 4-1)",
                      "バックアップの取得及び管理の状況を医療機関等に提供していません(表4-1)")
    return passed("how backups are taken and managed is given to the hospitals (table 4-1)",
                  "バックアップの取得及び管理の状況を医療機関等に提供しています(表4-1)")


# 4.4: the same judgement as a contractor's Privacy Mark / ISMS (企画管理編 7 ⑥ f), on the provider's
# own certifications; ISMAP is among the accepted schemes by default (see the control record).
rule("SAN-PRV-003")(privacy_mark_or_isms)


@rule("SAN-PRV-004")
def data_under_japanese_law(r: ProviderService, params: dict[str, Any], ctx: RuleContext) -> Verdict:
    if r.storage_countries is None:
        return unknown("storage_countries")
    allowed = {c.upper() for c in params["allowed_countries"]}
    outside = sorted({c for c in r.storage_countries if c.upper() not in allowed})
    if outside:
        return failed(f"data is stored outside {', '.join(sorted(allowed))}: {', '.join(outside)}",
                      f"医療情報を {'、'.join(sorted(allowed))} 以外で保存しています: {'、'.join(outside)}")
    if not r.storage_countries:
        return unknown("storage_countries")  # read, but names no country: where the data is, is not known
    if r.domestic_law_confirmed is None:
        return unknown("domestic_law_confirmed")
    if not r.domestic_law_confirmed:
        return failed("it has not been confirmed that the storing equipment is subject to Japanese law",
                      "情報機器等が国内法の適用を受けることを確認していません")
    return passed(f"stored in {', '.join(r.storage_countries)}, confirmed subject to Japanese law",
                  f"保存国 {'、'.join(r.storage_countries)}。国内法の適用を確認済みです")


@rule("SAN-PRV-005")
def responsibility_agreed(r: ProviderService, params: dict[str, Any], ctx: RuleContext) -> Verdict:
    agreed = r.responsibility_agreed_on
    if agreed is None:
        return unknown("responsibility_agreed_on")
    if agreed == "none":
        return failed("no explicit agreement on the division of responsibility with the hospitals",
                      "医療機関等との責任分界の明示的な合意がありません")
    if agreed > ctx.today:
        return after_scan_date("responsibility_agreed_on", agreed, ctx.today)
    return passed(f"the division of responsibility was agreed on {agreed}",
                  f"責任分界を {agreed} に合意しています")


@rule("SAN-PRV-006")
def risks_identified(r: ProviderService, params: dict[str, Any], ctx: RuleContext) -> Verdict:
    if r.risks is None:
        return unknown("risks")
    if not r.risks:
        return failed("the risk register holds no risk for this service",
                      "リスク台帳にこのサービスのリスクが 1 件もありません")
    return passed(f"{len(r.risks)} risk(s) identified in the risk register",
                  f"リスク台帳に {len(r.risks)} 件のリスクを洗い出しています")


@rule("SAN-PRV-007")
def risk_analysed_and_reviewed(r: ProviderRisk, params: dict[str, Any], ctx: RuleContext) -> Verdict:
    absent = _missing(r, ("impact", "likelihood", "level", "treatment", "owner", "reviewed_on"))
    if absent:
        return unknown(absent)
    assert r.reviewed_on is not None and r.treatment is not None
    if r.reviewed_on > ctx.today:
        return after_scan_date("reviewed_on", r.reviewed_on, ctx.today)
    limit = params["max_review_age_days"]
    age = days_between(r.reviewed_on, ctx.today)
    if age > limit:
        return failed(f"last reviewed {age} days ago on {r.reviewed_on} (limit {limit} days)",
                      f"最終見直し日 {r.reviewed_on} から {age} 日経過しています(上限 {limit} 日)")
    return passed(f"level {r.level} (impact {r.impact} × likelihood {r.likelihood}), treatment {r.treatment}, "
                  f"owner {r.owner}, reviewed {r.reviewed_on}",
                  f"リスクレベル {r.level}(影響度 {r.impact} × 顕在化率 {r.likelihood})、{TREATMENT_JA[r.treatment]}、"
                  f"責任者 {r.owner}、見直し日 {r.reviewed_on}")


@rule("SAN-PRV-008")
def suppliers_in_risk_management(r: ProviderService, params: dict[str, Any], ctx: RuleContext) -> Verdict:
    if r.subcontractors is None:
        return unknown("subcontractors")
    outside = [s.name for s in r.subcontractors if s.risk_managed is False]
    if outside:
        return failed(f"suppliers outside the risk management: {', '.join(outside)}",
                      f"リスクマネジメントの対象外の再委託先: {'、'.join(outside)}")
    for i, s in enumerate(r.subcontractors, start=1):
        if s.risk_managed is None:
            return unknown(f"subcontractors[{i}].risk_managed")
    if not r.subcontractors:
        return passed("no suppliers (再委託先)", "再委託先はありません")
    return passed(f"every supplier is in the risk management: {', '.join(s.name for s in r.subcontractors)}",
                  f"すべての再委託先をリスクマネジメントの対象にしています: {'、'.join(s.name for s in r.subcontractors)}")


@rule("SAN-PRV-009")
def evaluated_and_reported(r: ProviderService, params: dict[str, Any], ctx: RuleContext) -> Verdict:
    evaluated = r.evaluated_on
    if evaluated is None:
        return unknown("evaluated_on")
    if evaluated == "none":
        return failed("the security management has not been evaluated", "安全管理の状況を評価していません")
    if evaluated > ctx.today:
        return after_scan_date("evaluated_on", evaluated, ctx.today)
    limit = params["max_evaluation_age_days"]
    age = days_between(evaluated, ctx.today)
    if age > limit:
        return failed(f"last evaluated {age} days ago on {evaluated} (limit {limit} days)",
                      f"最終評価日 {evaluated} から {age} 日経過しています(上限 {limit} 日)")
    if r.evaluator is None:
        return unknown("evaluator")
    if r.evaluator not in params["accepted_evaluators"]:
        return failed(f"evaluated by {r.evaluator}, not one of {', '.join(params['accepted_evaluators'])}",
                      f"評価者が{EVALUATOR_JA[r.evaluator]}で、受け入れる評価者"
                      f"({'、'.join(EVALUATOR_JA.get(e, e) for e in params['accepted_evaluators'])})ではありません")
    if r.evaluation_reported is None:
        return unknown("evaluation_reported")
    if not r.evaluation_reported:
        return failed(f"evaluated on {evaluated} but not reported to the hospitals",
                      f"{evaluated} に評価していますが、医療機関等に報告していません")
    return passed(f"evaluated on {evaluated} by {r.evaluator} and reported to the hospitals",
                  f"{evaluated} に{EVALUATOR_JA[r.evaluator]}が評価し、医療機関等に報告しています")


@rule("SAN-PRV-010")
def electronic_signature(r: ProviderService, params: dict[str, Any], ctx: RuleContext) -> Verdict:
    if r.esignature_replaces_seal is None:
        return unknown("esignature_replaces_seal")
    if not r.esignature_replaces_seal:
        return not_applicable("the service does not replace names and seals with electronic signatures",
                              "記名・押印を電子署名に代えるサービスではありません")
    if r.esignature_certificate is None:
        return unknown("esignature_certificate")
    accepted = params["accepted_certificates"]
    if r.esignature_certificate not in accepted:
        return failed(f"signatures use a {r.esignature_certificate} certificate, not one of {', '.join(accepted)}",
                      f"電子署名の電子証明書が {r.esignature_certificate} で、要件を満たすもの"
                      f"({'、'.join(accepted)})ではありません")
    if r.esignature_certificate != "hpki":
        if r.qualification_verifiable is None:
            return unknown("qualification_verifiable")
        if not r.qualification_verifiable:
            return failed(f"a {r.esignature_certificate} certificate whose national qualification the recipient "
                          "cannot verify electronically",
                          f"{r.esignature_certificate} の電子証明書で、受け取る者が医師等の国家資格を電子的に"
                          "検証できません")
    return passed(f"signatures use a {r.esignature_certificate} certificate",
                  f"電子署名に {r.esignature_certificate} の電子証明書を用いています")
