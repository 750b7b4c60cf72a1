# Records (記録の確定・真正性): finalised records cannot be rewritten, and their time stamps come
# from a trusted time source. 相関表 システム運用編 14 ⑧ a, d.
# Messages are built with concat(), not sprintf("%s"): rego-cpp 1.5 quotes computed strings
# that reach %s inside a function, and both engines must give the same text.
package sansho.records

import data.sansho.lib
import rego.v1

# Parameter-derived values, computed once per evaluation rather than per bucket.
rec001_key := lower(lib.params("SAN-REC-001").records_tag_key)

rec001_value := lower(lib.params("SAN-REC-001").records_tag_value)

rec001_key_name := lib.params("SAN-REC-001").records_tag_key

rec001_tag := concat("=", [lib.params("SAN-REC-001").records_tag_key, lib.params("SAN-REC-001").records_tag_value])

rec001_untagged_en := concat("", [
	"not known whether this bucket holds finalised records: tag it ", rec001_tag,
	" if it does, or give the tag another value if it does not",
])

rec001_untagged_ja := concat("", [
	"このバケットが確定された記録を保存しているか不明です。保存している場合はタグ ", rec001_tag,
	" を、保存していない場合は同じタグに別の値を付けてください",
])

# A bucket holds finalised records when it carries the records tag with the records value.
holds_finalised_records(r) if {
	some key, value in object.get(r, "tags", {})
	lower(key) == rec001_key
	lower(trim_space(value)) == rec001_value
}

# The records tag with another value: someone recorded that the bucket holds no finalised records.
# (Keys walked with object.keys: rego-cpp 1.5 rejects `some key, value in` inside this comprehension.)
records_tag_values(r) := [r.tags[k] |
	some k in object.keys(object.get(r, "tags", {}))
	lower(k) == rec001_key
]

# METADATA
# title: Object storage holding finalised records is write-once
# custom:
#   control: SAN-REC-001
verdicts contains finalised_records_worm(r) if some r in lib.resources("SAN-REC-001")

# A bucket nobody tagged is not taken to hold no finalised records: unless it is recorded as holding
# no medical information, or is write-once anyway, whether it is in scope is not known (UNKNOWN).
finalised_records_worm(r) := lib.not_applicable(
	"SAN-REC-001", r,
	concat("", ["bucket is tagged ", rec001_key_name, "=", concat(", ", records_tag_values(r)), ", not as holding finalised records"]),
	concat("", ["タグ ", rec001_key_name, " の値が ", concat(", ", records_tag_values(r)), " で、確定された記録の保存先ではないため対象外です"]),
) if {
	not holds_finalised_records(r)
	count(records_tag_values(r)) > 0
} else := lib.not_applicable(
	"SAN-REC-001", r,
	"bucket is recorded as holding no medical information",
	"医療情報を保存しないバケットとして登録されているため対象外です",
) if {
	not holds_finalised_records(r)
	r.holds_medical_data == false
} else := lib.pass(
	"SAN-REC-001", r,
	concat("", ["bucket is write-once (mode ", r.immutability_mode, "): whatever finalised records it may hold cannot be overwritten or deleted"]),
	concat("", ["バケットは書換え・削除不能(WORM)です(モード: ", r.immutability_mode, ")。確定された記録を保存していても書換え・消去できません"]),
) if {
	not holds_finalised_records(r)
	r.immutable == true
	r.immutability_mode in lib.write_once_modes
} else := lib.verdict("SAN-REC-001", r, "UNKNOWN", rec001_untagged_en, rec001_untagged_ja) if {
	not holds_finalised_records(r)
} else := lib.unknown("SAN-REC-001", r, "immutable") if {
	lib.missing(r, "immutable")
} else := lib.fail(
	"SAN-REC-001", r,
	"bucket holds finalised records but is not write-once: they can be overwritten or deleted",
	"確定された記録を保存するバケットが書換え・削除不能(WORM)ではなく、記録の書換え・消去を防止できません",
) if {
	r.immutable == false
} else := lib.unknown("SAN-REC-001", r, "immutability_mode") if {
	lib.missing(r, "immutability_mode")
} else := lib.fail(
	"SAN-REC-001", r,
	concat("", ["bucket holds finalised records, but ", lib.liftable_en(r.immutability_mode)]),
	concat("", ["確定された記録を保存するバケットの", lib.liftable_ja(r.immutability_mode)]),
) if {
	not r.immutability_mode in lib.write_once_modes
} else := lib.pass(
	"SAN-REC-001", r,
	concat("", ["bucket holding finalised records is write-once (mode ", r.immutability_mode, ")"]),
	concat("", ["確定された記録を保存するバケットは書換え・削除不能(WORM)です(モード: ", r.immutability_mode, ")"]),
)

untrusted_source(source) if trim_space(source) == ""

untrusted_source(source) if {
	some u in lib.params("SAN-REC-002").untrusted_sources
	lower(trim_space(u)) == lower(trim_space(source))
}

# METADATA
# title: Devices synchronise their clocks with a trusted time source
# custom:
#   control: SAN-REC-002
verdicts contains time_source(r) if some r in lib.resources("SAN-REC-002")

time_source(r) := lib.unknown("SAN-REC-002", r, "ntp_source") if {
	lib.missing(r, "ntp_source")
} else := lib.fail(
	"SAN-REC-002", r,
	concat("", ["no trusted time source is configured (ntp_source \"", r.ntp_source, "\")"]),
	concat("", ["信頼できる時刻源が設定されていません(ntp_source: \"", r.ntp_source, "\")"]),
) if {
	untrusted_source(r.ntp_source)
} else := lib.pass(
	"SAN-REC-002", r,
	concat("", ["clock synchronised with ", r.ntp_source]),
	concat("", ["時刻源 ", r.ntp_source, " と時刻同期しています"]),
)
