# Logging (アクセスログ・操作記録): audit trails and configuration history.
package sansho.logging

import data.sansho.lib
import rego.v1

# METADATA
# title: An audit trail records activity in every region
# custom:
#   control: SAN-LOG-001
verdicts contains trail_everywhere(r) if some r in lib.resources("SAN-LOG-001")

# A known failure outranks an unread field: a disabled trail fails whatever else is unread.
trail_everywhere(r) := lib.fail(
	"SAN-LOG-001", r,
	"the audit trail is not recording",
	"操作記録(監査証跡)が記録されていません",
) if {
	r.enabled == false
} else := lib.fail(
	"SAN-LOG-001", r,
	"the audit trail does not cover every region",
	"操作記録(監査証跡)が全リージョンを対象にしていません",
) if {
	r.multi_region == false
} else := lib.unknown("SAN-LOG-001", r, "enabled") if {
	lib.missing(r, "enabled")
} else := lib.unknown("SAN-LOG-001", r, "multi_region") if {
	lib.missing(r, "multi_region")
} else := lib.pass(
	"SAN-LOG-001", r,
	"the audit trail is recording in every region",
	"操作記録(監査証跡)は全リージョンで記録されています",
) if {
	r.enabled == true
	r.multi_region == true
}

# METADATA
# title: Audit-trail integrity validation is on
# custom:
#   control: SAN-LOG-002
verdicts contains trail_integrity(r) if some r in lib.resources("SAN-LOG-002")

trail_integrity(r) := lib.unknown("SAN-LOG-002", r, "integrity_validation") if {
	lib.missing(r, "integrity_validation")
} else := lib.fail(
	"SAN-LOG-002", r,
	"log-file integrity validation is off, so tampering with the trail would go unnoticed",
	"ログファイルの完全性検証が無効で、操作記録の改ざんを検知できません",
) if {
	r.integrity_validation == false
} else := lib.pass(
	"SAN-LOG-002", r,
	"log-file integrity validation is on",
	"ログファイルの完全性検証が有効です",
) if {
	r.integrity_validation == true
}

# METADATA
# title: Audit logs are kept in write-once storage
# custom:
#   control: SAN-LOG-003
verdicts contains trail_worm(r) if some r in lib.resources("SAN-LOG-003")

trail_worm(r) := lib.unknown("SAN-LOG-003", r, "destination_immutable") if {
	lib.missing(r, "destination_immutable")
} else := lib.fail(
	"SAN-LOG-003", r,
	"the log destination can be overwritten or deleted",
	"ログの保存先が書換え・削除可能な設定です",
) if {
	r.destination_immutable == false
} else := lib.unknown("SAN-LOG-003", r, "destination_immutability_mode") if {
	lib.missing(r, "destination_immutability_mode")
} else := lib.fail(
	"SAN-LOG-003", r,
	concat("", ["the log destination is not write-once: ", lib.liftable_en(r.destination_immutability_mode)]),
	concat("", ["アクセスログの保存先の", lib.liftable_ja(r.destination_immutability_mode)]),
) if {
	not r.destination_immutability_mode in lib.write_once_modes
} else := lib.pass(
	"SAN-LOG-003", r,
	concat("", ["the log destination is write-once (mode ", r.destination_immutability_mode, ")"]),
	concat("", ["ログの保存先は書換え・削除不能(WORM)な設定です(モード: ", r.destination_immutability_mode, ")"]),
)

# METADATA
# title: Audit logs are retained long enough
# custom:
#   control: SAN-LOG-004
verdicts contains trail_retention(r) if some r in lib.resources("SAN-LOG-004")

trail_retention(r) := lib.unknown("SAN-LOG-004", r, "retention_days") if {
	lib.missing(r, "retention_days")
} else := lib.fail(
	"SAN-LOG-004", r,
	sprintf("logs are kept %d days, less than the required %d", [r.retention_days, lib.params("SAN-LOG-004").min_retention_days]),
	sprintf("ログの保存期間が %d 日で、必要な %d 日に足りません", [r.retention_days, lib.params("SAN-LOG-004").min_retention_days]),
) if {
	r.retention_days < lib.params("SAN-LOG-004").min_retention_days
} else := lib.pass(
	"SAN-LOG-004", r,
	sprintf("logs are kept %d days", [r.retention_days]),
	sprintf("ログは %d 日間保存されます", [r.retention_days]),
) if {
	r.retention_days >= lib.params("SAN-LOG-004").min_retention_days
}

# METADATA
# title: Configuration changes are recorded
# custom:
#   control: SAN-LOG-006
verdicts contains config_history(r) if some r in lib.resources("SAN-LOG-006")

config_history(r) := lib.unknown("SAN-LOG-006", r, "config_recording") if {
	lib.missing(r, "config_recording")
} else := lib.fail(
	"SAN-LOG-006", r,
	"configuration changes are not recorded",
	"構成変更履歴が記録されていません",
) if {
	r.config_recording == false
} else := lib.pass(
	"SAN-LOG-006", r,
	"configuration changes are recorded",
	"構成変更履歴が記録されています",
) if {
	r.config_recording == true
}

# METADATA
# title: Databases record access (audit logs)
# custom:
#   control: SAN-LOG-007
verdicts contains database_audit(r) if some r in lib.resources("SAN-LOG-007")

# The audit classes that record reads (who read which medical information, システム運用編 17 ①),
# compared case-insensitively; computed once.
log007_read_classes := {lower(c) | some c in lib.params("SAN-LOG-007").read_audit_classes}

log007_read_text := concat(", ", lib.params("SAN-LOG-007").read_audit_classes)

audit_reads(r) := [c | some c in r.audit_classes; lower(c) in log007_read_classes]

audit_classes_text(r) := "nothing" if {
	count(r.audit_classes) == 0
} else := concat(", ", r.audit_classes)

audit_classes_text_ja(r) := "何も記録しない設定" if {
	count(r.audit_classes) == 0
} else := concat(", ", r.audit_classes)

database_audit(r) := lib.unknown("SAN-LOG-007", r, "audit_logging") if {
	lib.missing(r, "audit_logging")
} else := lib.fail(
	"SAN-LOG-007", r,
	"the database does not record connections and statements to an audit log the operator keeps",
	"データベースが接続と SQL 文の記録(監査ログ)を取得・保管していません",
) if {
	r.audit_logging == false
} else := lib.unknown("SAN-LOG-007", r, "audit_classes") if {
	lib.missing(r, "audit_classes")
} else := lib.fail(
	"SAN-LOG-007", r,
	concat("", [
		"the database audit log records ", audit_classes_text(r),
		" but no reads, so who accessed which medical information is not recorded: none of the classes that record reads (",
		log007_read_text, ") is set",
	]),
	concat("", [
		"データベースの監査ログ(アクセスログ)の記録対象が ", audit_classes_text_ja(r),
		" で、医療情報の参照が記録されないため、誰がどの医療情報にアクセスしたかを特定できません。参照を記録するクラス(",
		log007_read_text, ")のいずれも設定されていません",
	]),
) if {
	count(audit_reads(r)) == 0
} else := lib.pass(
	"SAN-LOG-007", r,
	concat("", ["the database audit log records reads and statements (", concat(", ", audit_reads(r)), ")"]),
	concat("", ["データベースは参照を含むアクセスを監査ログに記録しています(", concat(", ", audit_reads(r)), ")"]),
)
