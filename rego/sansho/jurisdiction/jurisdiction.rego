# Jurisdiction (国外法): which law and courts govern the contractor.
# 企画管理編 p.28 i: 委託先事業者に対する国外法の適用可能性.
# Messages are built with concat(), not sprintf("%s"): rego-cpp 1.5 quotes computed strings
# that reach %s inside a function, and both engines must give the same text.
package sansho.jurisdiction

import data.sansho.lib
import rego.v1

in_list(value, allowed) if {
	some a in allowed
	upper(a) == upper(value)
}

# METADATA
# title: The contract with the contractor is governed by Japanese law
# custom:
#   control: SAN-JUR-001
verdicts contains governing_law(r) if some r in lib.resources("SAN-JUR-001")

governing_law(r) := lib.unknown("SAN-JUR-001", r, "governing_law") if {
	lib.missing(r, "governing_law")
} else := lib.pass(
	"SAN-JUR-001", r,
	concat("", ["the contract is governed by the law of ", r.governing_law]),
	concat("", ["契約の準拠法は ", r.governing_law, " の法です"]),
) if {
	in_list(r.governing_law, lib.params("SAN-JUR-001").allowed_governing_law)
} else := lib.fail(
	"SAN-JUR-001", r,
	concat("", ["the contract is governed by the law of ", r.governing_law, ", not of an allowed country (", concat(", ", lib.params("SAN-JUR-001").allowed_governing_law), ")"]),
	concat("", ["契約の準拠法が ", r.governing_law, " の法であり、許可された国(", concat(", ", lib.params("SAN-JUR-001").allowed_governing_law), ")の法ではありません"]),
)

# METADATA
# title: Disputes under the contract go to a court in Japan
# custom:
#   control: SAN-JUR-002
verdicts contains court(r) if some r in lib.resources("SAN-JUR-002")

court(r) := lib.unknown("SAN-JUR-002", r, "court_country") if {
	lib.missing(r, "court_country")
} else := lib.pass(
	"SAN-JUR-002", r,
	concat("", ["disputes go to a court in ", r.court_country]),
	concat("", ["合意管轄裁判所は ", r.court_country, " にあります"]),
) if {
	in_list(r.court_country, lib.params("SAN-JUR-002").allowed_court_countries)
} else := lib.fail(
	"SAN-JUR-002", r,
	concat("", ["disputes go to a court in ", r.court_country, ", not in an allowed country (", concat(", ", lib.params("SAN-JUR-002").allowed_court_countries), ")"]),
	concat("", ["合意管轄裁判所が ", r.court_country, " にあり、許可された国(", concat(", ", lib.params("SAN-JUR-002").allowed_court_countries), ")の裁判所ではありません"]),
)

# METADATA
# title: Foreign-law exposure of the contractor is assessed and decided
# custom:
#   control: SAN-JUR-003
verdicts contains foreign_law(r) if some r in lib.resources("SAN-JUR-003")

foreign_law(r) := lib.unknown("SAN-JUR-003", r, "foreign_law") if {
	lib.missing(r, "foreign_law")
} else := lib.unknown("SAN-JUR-003", r, "foreign_law.exposed") if {
	lib.missing(r.foreign_law, "exposed")
} else := lib.pass(
	"SAN-JUR-003", r,
	"assessed: the contractor is not subject to foreign law that can compel disclosure",
	"評価の結果、委託先事業者は情報開示を強制し得る国外法の適用を受けません",
) if {
	r.foreign_law.exposed == false
} else := lib.unknown("SAN-JUR-003", r, "foreign_law.decision") if {
	lib.missing(r.foreign_law, "decision")
} else := lib.fail(
	"SAN-JUR-003", r,
	"the contractor is subject to foreign law, but no risk decision is recorded",
	"委託先事業者は国外法の適用を受けますが、リスクへの対応が決定されていません",
) if {
	trim_space(r.foreign_law.decision) == ""
} else := lib.pass(
	"SAN-JUR-003", r,
	concat("", ["the contractor is subject to foreign law; decision recorded: ", r.foreign_law.decision]),
	concat("", ["委託先事業者は国外法の適用を受けます。決定された対応: ", r.foreign_law.decision]),
)
