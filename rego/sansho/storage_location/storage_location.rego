# Storage location (保存場所): where medical information and its copies are stored.
# 企画管理編 p.28 h: 医療情報を保存する情報機器が設置されている場所(地域、国).
# Messages are built with concat(), not sprintf("%s"): rego-cpp 1.5 quotes computed strings
# that reach %s inside a function, and both engines must give the same text.
package sansho.storage_location

import data.sansho.lib
import rego.v1

# Regions arrive in one spelling (lower case, Azure without spaces), given to the resources when
# they are built and to the allow-lists when the catalog data is made (policies/regions.py,
# canonical_region): compared as they are, never re-normalised here.

# The allow-lists as sets, computed once per evaluation: a rule is cached, while a function call
# costs regorus microseconds on every one of 100k resources.
allowed_region_sets(params) := {provider: {x | some x in regions} |
	some provider, regions in params.allowed_regions
}

allowed_country_set(params) := {upper(c) | some c in params.allowed_countries}

loc001_regions := allowed_region_sets(lib.params("SAN-LOC-001"))

loc001_countries := allowed_country_set(lib.params("SAN-LOC-001"))

loc002_regions := allowed_region_sets(lib.params("SAN-LOC-002"))

loc002_countries := allowed_country_set(lib.params("SAN-LOC-002"))

country_allowed(params, country) if upper(country) in allowed_country_set(params)

allowed_list(params, provider) := concat(", ", params.allowed_regions[provider]) if {
	params.allowed_regions[provider]
} else := concat(", ", params.allowed_countries)

region_shown(x) := x.region if {
	not lib.missing(x, "region")
} else := "unknown"

region_shown_ja(x) := x.region if {
	not lib.missing(x, "region")
} else := "不明"

# METADATA
# title: Data stores holding medical information are located in an allowed jurisdiction
# custom:
#   control: SAN-LOC-001
verdicts contains data_store_location(r) if some r in lib.resources("SAN-LOC-001")

# Cloud resources of a provider that has a region allow-list are judged by region; everything
# else (on-premises, vendor) by country.
data_store_location(r) := lib.not_applicable(
	"SAN-LOC-001", r,
	"resource is marked as holding no medical information",
	"医療情報を保存しない資源として登録されているため対象外です",
) if {
	r.holds_medical_data == false
} else := lib.unknown("SAN-LOC-001", r, "region") if {
	loc001_regions[r.provider]
	lib.missing(r, "region")
} else := lib.pass(
	"SAN-LOC-001", r,
	concat("", ["region ", r.region, " (country ", object.get(r, "country", "unknown"), ") is an allowed region"]),
	concat("", ["リージョン ", r.region, "(国: ", object.get(r, "country", "不明"), ")は許可されたリージョンです"]),
) if {
	r.region in loc001_regions[r.provider]
} else := lib.fail(
	"SAN-LOC-001", r,
	concat("", ["region ", r.region, " (country ", object.get(r, "country", "unknown"), ") is outside the allowed regions (", allowed_list(lib.params("SAN-LOC-001"), r.provider), ")"]),
	concat("", ["リージョン ", r.region, "(国: ", object.get(r, "country", "不明"), ")は許可されたリージョン(", allowed_list(lib.params("SAN-LOC-001"), r.provider), ")の外にあります"]),
) if {
	loc001_regions[r.provider]
} else := lib.unknown("SAN-LOC-001", r, "country") if {
	lib.missing(r, "country")
} else := lib.pass(
	"SAN-LOC-001", r,
	concat("", ["country ", r.country, " is an allowed country"]),
	concat("", ["所在国 ", r.country, " は許可された国です"]),
) if {
	upper(r.country) in loc001_countries
} else := lib.fail(
	"SAN-LOC-001", r,
	concat("", ["country ", r.country, " is outside the allowed countries (", concat(", ", lib.params("SAN-LOC-001").allowed_countries), ")"]),
	concat("", ["所在国 ", r.country, " は許可された国(", concat(", ", lib.params("SAN-LOC-001").allowed_countries), ")の外にあります"]),
)

# --- SAN-LOC-002: where replicas and copies go -------------------------------------------

# "ok", "bad" or "unknown" for one destination; its provider defaults to the resource's.
dest_state(r, d) := "ok" if {
	d.region in loc002_regions[object.get(d, "provider", r.provider)]
} else := "bad" if {
	loc002_regions[object.get(d, "provider", r.provider)]
	not lib.missing(d, "region")
} else := "ok" if {
	upper(d.country) in loc002_countries
} else := "bad" if {
	not lib.missing(d, "country")
} else := "unknown"

dest_label(d) := concat("", [
	d.relation, " ", object.get(d, "target", "unknown"),
	" (region ", region_shown(d),
	", country ", object.get(d, "country", "unknown"), ")",
])

dest_label_ja(d) := concat("", [
	d.relation, " ", object.get(d, "target", "不明"),
	"(リージョン ", region_shown_ja(d),
	"、国 ", object.get(d, "country", "不明"), ")",
])

# METADATA
# title: Replicas, backup copies and read replicas stay in an allowed jurisdiction
# custom:
#   control: SAN-LOC-002
verdicts contains copy_location(r) if some r in lib.resources("SAN-LOC-002")

copy_location(r) := lib.not_applicable(
	"SAN-LOC-002", r,
	"resource is marked as holding no medical information",
	"医療情報を保存しない資源として登録されているため対象外です",
) if {
	r.holds_medical_data == false
} else := lib.unknown("SAN-LOC-002", r, "destinations") if {
	lib.missing(r, "destinations")
} else := lib.pass(
	"SAN-LOC-002", r,
	"the data is not replicated or copied anywhere else",
	"複製先はありません",
) if {
	count(r.destinations) == 0
} else := copies_verdict(r, [[d, dest_state(r, d)] | some d in r.destinations])

copies_verdict(r, states) := lib.fail(
	"SAN-LOC-002", r,
	concat("", ["copies leave the allowed jurisdiction: ", concat("; ", [dest_label(p[0]) | some p in states; p[1] == "bad"])]),
	concat("", ["許可された保存場所の外に複製されています: ", concat("; ", [dest_label_ja(p[0]) | some p in states; p[1] == "bad"])]),
) if {
	"bad" in {p[1] | some p in states}
} else := lib.verdict(
	"SAN-LOC-002", r, "UNKNOWN",
	concat("", ["the location of a copy was not read: ", concat("; ", [dest_label(p[0]) | some p in states; p[1] == "unknown"])]),
	concat("", ["複製先の所在地を取得できなかったため判定できません: ", concat("; ", [dest_label_ja(p[0]) | some p in states; p[1] == "unknown"])]),
) if {
	"unknown" in {p[1] | some p in states}
} else := lib.pass(
	"SAN-LOC-002", r,
	concat("", ["all destinations (", sprintf("%d", [count(r.destinations)]), ") are in the allowed jurisdiction"]),
	concat("", [sprintf("%d", [count(r.destinations)]), " 件の複製先はすべて許可された保存場所にあります"]),
)

# --- SAN-LOC-003: on-premises sites and devices ------------------------------------------

# METADATA
# title: Sites and devices holding medical information are in an allowed country
# custom:
#   control: SAN-LOC-003
verdicts contains site_or_device_country(r) if some r in lib.resources("SAN-LOC-003")

site_or_device_country(r) := lib.not_applicable(
	"SAN-LOC-003", r,
	"marked as holding no medical information",
	"医療情報を保存しないものとして登録されているため対象外です",
) if {
	r.holds_medical_data == false
} else := lib.unknown("SAN-LOC-003", r, "holds_medical_data") if {
	r.kind == "device.host"
	lib.missing(r, "holds_medical_data")
} else := lib.unknown("SAN-LOC-003", r, "country") if {
	lib.missing(r, "country")
} else := lib.pass(
	"SAN-LOC-003", r,
	concat("", ["located in ", r.country, ", an allowed country"]),
	concat("", ["所在国 ", r.country, " は許可された国です"]),
) if {
	country_allowed(lib.params("SAN-LOC-003"), r.country)
} else := lib.fail(
	"SAN-LOC-003", r,
	concat("", ["located in ", r.country, ", outside the allowed countries (", concat(", ", lib.params("SAN-LOC-003").allowed_countries), ")"]),
	concat("", ["所在国 ", r.country, " は許可された国(", concat(", ", lib.params("SAN-LOC-003").allowed_countries), ")の外にあります"]),
)

# --- SAN-LOC-005: storage countries named in the contract --------------------------------

foreign_storage_countries(r) := [c |
	some c in r.storage_countries
	not country_allowed(lib.params("SAN-LOC-005"), c)
]

# METADATA
# title: Contracts limit the countries where the contractor stores medical information
# custom:
#   control: SAN-LOC-005
verdicts contains contract_storage_countries(r) if some r in lib.resources("SAN-LOC-005")

# An empty list is read, not missing: the contract names no storage country. For a contractor recorded
# as keeping no medical information that is expected (not applicable); otherwise where it keeps the
# data is not fixed by the contract, which is the gap 企画管理編 h asks to close (FAIL, never PASS).
contract_storage_countries(r) := lib.unknown("SAN-LOC-005", r, "storage_countries") if {
	lib.missing(r, "storage_countries")
} else := lib.not_applicable(
	"SAN-LOC-005", r,
	"the contractor is recorded as keeping no medical information, and the contract names no storage country",
	"委託先事業者は医療情報を保存しないと登録されており、契約上の保存国もありません",
) if {
	count(r.storage_countries) == 0
	r.holds_medical_data == false
} else := lib.fail(
	"SAN-LOC-005", r,
	"the contract names no country where the contractor stores medical information, so where it is kept is not confirmed",
	"契約に医療情報を保存する国の記載がなく、医療情報を保存する情報機器の設置場所(国)が確認されていません",
) if {
	count(r.storage_countries) == 0
} else := lib.fail(
	"SAN-LOC-005", r,
	concat("", ["the contractor stores data in ", concat(", ", foreign_storage_countries(r)), ", outside the allowed countries (", concat(", ", lib.params("SAN-LOC-005").allowed_countries), ")"]),
	concat("", ["委託先事業者の保存国 ", concat(", ", foreign_storage_countries(r)), " は許可された国(", concat(", ", lib.params("SAN-LOC-005").allowed_countries), ")の外にあります"]),
) if {
	count(foreign_storage_countries(r)) > 0
} else := lib.pass(
	"SAN-LOC-005", r,
	concat("", ["storage countries (", concat(", ", r.storage_countries), ") are all allowed"]),
	concat("", ["保存国(", concat(", ", r.storage_countries), ")はすべて許可された国です"]),
)
