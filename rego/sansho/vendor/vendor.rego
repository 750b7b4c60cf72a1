# Vendor (委託先事業者): what the external-storage contract must contain and how the
# contractor is managed. 企画管理編 p.28 ⑦–⑩; システム運用編 3.3 (責任分界).
# Certifications (SAN-VEN-001, SAN-VEN-002) need the scan date: policies/rules/vendor.py.
# Messages are built with concat(), not sprintf("%s"): rego-cpp 1.5 quotes computed strings
# that reach %s inside a function, and both engines must give the same text.
package sansho.vendor

import data.sansho.lib
import rego.v1

clause_ja := {
	"no_analysis_without_permission": "許可なく医療情報を分析等の目的で取り扱わないこと",
	"analysis_for_legitimate_purpose_only": "分析等は正当な目的の場合に限ること",
	"anonymised_data_handling": "匿名化した情報の個人情報保護に配慮した取扱い",
	"patient_access_scope": "患者閲覧時の利用者権限・閲覧範囲の設定",
	"disclosure_on_consent_only": "情報の提供は患者との同意に基づくこと",
	"periodic_reporting": "委託先事業者からの定期的な報告",
	"management_approval_of_reports": "報告内容の経営層への報告・承認",
	"data_return_at_termination": "委託契約終了時の医療情報の返却とその方法",
	"patient_notice": "患者への院内掲示等による事前の説明",
	"confidentiality": "守秘条項",
	"no_access_to_stored_records": "保存された医療情報へのアクセスの禁止",
	"fault_access_notice": "障害対応時のアクセスの通知",
	"complaint_desk": "苦情・問合せの受付窓口",
}

label_ja(name) := concat("", [clause_ja[name], "(", name, ")"]) if {
	clause_ja[name]
} else := name

# The required clauses (the control's parameter) whose value is `value`; null means not read.
clauses_valued(control, r, value) := [name |
	some name in lib.params(control).required_clauses
	object.get(r.clauses, name, null) == value
]

# One verdict over the control's required clauses: any false fails, then any unread is UNKNOWN.
clause_verdict(control, r) := lib.unknown(control, r, "clauses") if {
	lib.missing(r, "clauses")
} else := lib.fail(
	control, r,
	concat("", ["the contract does not contain: ", concat(", ", clauses_valued(control, r, false))]),
	concat("", ["契約に次の内容が含まれていません: ", concat("、", [label_ja(n) | some n in clauses_valued(control, r, false)])]),
) if {
	count(clauses_valued(control, r, false)) > 0
} else := lib.verdict(
	control, r, "UNKNOWN",
	concat("", ["these clauses were not read, so compliance cannot be judged: ", concat(", ", clauses_valued(control, r, null))]),
	concat("", ["次の契約内容を取得できなかったため判定できません: ", concat("、", [label_ja(n) | some n in clauses_valued(control, r, null)])]),
) if {
	count(clauses_valued(control, r, null)) > 0
} else := lib.pass(
	control, r,
	concat("", ["the contract contains: ", concat(", ", lib.params(control).required_clauses)]),
	concat("", ["契約に次の内容が含まれています: ", concat("、", [label_ja(n) | some n in lib.params(control).required_clauses])]),
)

# METADATA
# title: The external-storage contract limits analysis and disclosure of medical information
# custom:
#   control: SAN-VEN-003
verdicts contains clause_verdict("SAN-VEN-003", r) if some r in lib.resources("SAN-VEN-003")

# METADATA
# title: The contractor reports periodically, and its reports are approved by management
# custom:
#   control: SAN-VEN-004
verdicts contains clause_verdict("SAN-VEN-004", r) if some r in lib.resources("SAN-VEN-004")

# METADATA
# title: Return of medical information at the end of the contract is agreed in advance
# custom:
#   control: SAN-VEN-005
verdicts contains clause_verdict("SAN-VEN-005", r) if some r in lib.resources("SAN-VEN-005")

# METADATA
# title: Patients are told in advance that their information is stored externally
# custom:
#   control: SAN-VEN-008
verdicts contains clause_verdict("SAN-VEN-008", r) if some r in lib.resources("SAN-VEN-008")

# METADATA
# title: Responsibilities are agreed with the contractor for normal and emergency operation
# custom:
#   control: SAN-VEN-006
verdicts contains responsibility(r) if some r in lib.resources("SAN-VEN-006")

responsibility(r) := lib.unknown("SAN-VEN-006", r, "responsibility_agreed") if {
	lib.missing(r, "responsibility_agreed")
} else := lib.fail(
	"SAN-VEN-006", r,
	"no responsibility split for normal and emergency operation is agreed with the contractor",
	"委託先事業者との通常時・非常時の責任分界が取り決められていません",
) if {
	r.responsibility_agreed == false
} else := lib.pass(
	"SAN-VEN-006", r,
	"the responsibility split with the contractor is agreed",
	"委託先事業者との責任分界が取り決められています",
)

subcontractors_valued(r, value) := [s.name |
	some s in r.subcontractors
	object.get(s, "reports_to_contractor", null) == value
]

# METADATA
# title: Subcontractors report on their operation through the contractor
# custom:
#   control: SAN-VEN-007
verdicts contains subcontractor_reports(r) if some r in lib.resources("SAN-VEN-007")

subcontractor_reports(r) := lib.unknown("SAN-VEN-007", r, "subcontractors") if {
	lib.missing(r, "subcontractors")
} else := lib.fail(
	"SAN-VEN-007", r,
	concat("", ["subcontractors that do not report to the contractor: ", concat(", ", subcontractors_valued(r, false))]),
	concat("", ["委託先事業者に実施状況を報告しない再委託先があります: ", concat("、", subcontractors_valued(r, false))]),
) if {
	count(subcontractors_valued(r, false)) > 0
} else := lib.verdict(
	"SAN-VEN-007", r, "UNKNOWN",
	concat("", ["whether these subcontractors report was not read: ", concat(", ", subcontractors_valued(r, null))]),
	concat("", ["次の再委託先が報告するかどうかを取得できなかったため判定できません: ", concat("、", subcontractors_valued(r, null))]),
) if {
	count(subcontractors_valued(r, null)) > 0
} else := lib.pass(
	"SAN-VEN-007", r,
	"the contractor has no subcontractors",
	"再委託先はありません",
) if {
	count(r.subcontractors) == 0
} else := lib.pass(
	"SAN-VEN-007", r,
	concat("", ["all subcontractors report to the contractor: ", concat(", ", [s.name | some s in r.subcontractors])]),
	concat("", ["すべての再委託先が委託先事業者に実施状況を報告します: ", concat("、", [s.name | some s in r.subcontractors])]),
)

# METADATA
# title: The contract binds the contractor to confidentiality
# custom:
#   control: SAN-VEN-011
verdicts contains clause_verdict("SAN-VEN-011", r) if some r in lib.resources("SAN-VEN-011")

# METADATA
# title: The contractor does not access stored medical records, except in fault handling, which is notified
# custom:
#   control: SAN-VEN-012
verdicts contains clause_verdict("SAN-VEN-012", r) if some r in lib.resources("SAN-VEN-012")

# METADATA
# title: The contract names the contractor's desk for complaints and enquiries
# custom:
#   control: SAN-VEN-013
verdicts contains clause_verdict("SAN-VEN-013", r) if some r in lib.resources("SAN-VEN-013")
