# Encryption at rest and in transit (暗号化).
package sansho.encryption

import data.sansho.lib
import rego.v1

# ---------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------

# A TLS version as a comparable number: "1.2", "TLSv1.2", "TLS1_2", "TLS_1_2" → 102;
# "TLSv1" / "1" → 100; any SSL version → 0 (below every TLS version). A YAML number such as
# 1.2 given as a parameter is accepted too. Undefined when the text holds no version.
tls_number(v) := known_tls_numbers[v] if {
	# The spellings providers use, looked up rather than parsed: the regex path below costs
	# regorus tens of microseconds per resource.
	known_tls_numbers[v]
} else := 0 if {
	is_string(v)
	contains(lower(v), "ssl")
} else := n if {
	is_string(v)
	parts := regex.find_n(`[0-9]+`, v, 2)
	count(parts) == 2
	n := (to_number(parts[0]) * 100) + to_number(parts[1])
} else := n if {
	is_string(v)
	parts := regex.find_n(`[0-9]+`, v, 2)
	count(parts) == 1
	n := to_number(parts[0]) * 100
} else := n if {
	is_number(v)
	n := (floor(v) * 100) + round((v - floor(v)) * 10)
}

known_tls_numbers := {
	"1.0": 100, "1.1": 101, "1.2": 102, "1.3": 103,
	"TLSv1": 100, "TLSv1.0": 100, "TLSv1.1": 101, "TLSv1.2": 102, "TLSv1.3": 103,
	"TLS1_0": 100, "TLS1_1": 101, "TLS1_2": 102, "TLS1_3": 103,
	"TLS_1_0": 100, "TLS_1_1": 101, "TLS_1_2": 102, "TLS_1_3": 103,
}

# Each control's minimum as a number, computed once per evaluation.
min_tls_numbers := {control: tls_number(lib.params(control).min_tls_version) |
	some control in {"SAN-ENC-004", "SAN-ENC-005"}
}

# The minimum TLS version a control asks for, as text for messages.
min_tls_text(control) := sprintf("%v", [lib.params(control).min_tls_version])

# The resource's min_tls_version is known and below the control's minimum.
tls_below_min(control, r) if {
	tls_number(r.min_tls_version) < min_tls_numbers[control]
}

# The resource's min_tls_version was read but is not a version this rule understands.
tls_unparsed(r) if {
	not lib.missing(r, "min_tls_version")
	not tls_number(r.min_tls_version)
}

tls_unparsed_verdict(control, r) := lib.verdict(
	control, r, "UNKNOWN",
	concat("", ["min_tls_version '", r.min_tls_version, "' is not a TLS version, so compliance cannot be judged"]),
	concat("", ["min_tls_version '", r.min_tls_version, "' を TLS のバージョンとして解釈できないため判定できません"]),
)

tls_below_verdict(control, r, what_en, what_ja) := lib.fail(
	control, r,
	concat("", [what_en, " accepts TLS ", r.min_tls_version, ", below the minimum TLS ", min_tls_text(control)]),
	concat("", [what_ja, "が TLS ", r.min_tls_version, " を受け付けます(最低要件は TLS ", min_tls_text(control), ")"]),
)

# ---------------------------------------------------------------------------------------------
# SAN-ENC-001 object storage at rest
# ---------------------------------------------------------------------------------------------

# METADATA
# title: Object storage is encrypted at rest
# custom:
#   control: SAN-ENC-001
verdicts contains bucket_at_rest(r) if some r in lib.resources("SAN-ENC-001")

bucket_at_rest(r) := lib.unknown("SAN-ENC-001", r, "encrypted") if {
	lib.missing(r, "encrypted")
} else := lib.fail(
	"SAN-ENC-001", r,
	"bucket is not encrypted at rest",
	"バケットが保存時に暗号化されていません",
) if {
	r.encrypted == false
} else := lib.pass("SAN-ENC-001", r, "bucket is encrypted at rest", "バケットは保存時に暗号化されています")

# ---------------------------------------------------------------------------------------------
# SAN-ENC-002 databases at rest
# ---------------------------------------------------------------------------------------------

# METADATA
# title: Databases are encrypted at rest
# custom:
#   control: SAN-ENC-002
verdicts contains database_at_rest(r) if some r in lib.resources("SAN-ENC-002")

database_at_rest(r) := lib.unknown("SAN-ENC-002", r, "encrypted") if {
	lib.missing(r, "encrypted")
} else := lib.fail(
	"SAN-ENC-002", r,
	"database instance storage is not encrypted at rest",
	"データベースの記憶領域が保存時に暗号化されていません",
) if {
	r.encrypted == false
} else := lib.pass(
	"SAN-ENC-002", r,
	"database instance storage is encrypted at rest",
	"データベースの記憶領域は保存時に暗号化されています",
)

# ---------------------------------------------------------------------------------------------
# SAN-ENC-003 disks and snapshots at rest
# ---------------------------------------------------------------------------------------------

volume_words(r) := {"en": "disk", "ja": "ディスク"} if {
	r.kind == "compute.disk"
} else := {"en": "snapshot", "ja": "スナップショット"}

# METADATA
# title: Compute disks and snapshots are encrypted
# custom:
#   control: SAN-ENC-003
verdicts contains volume_at_rest(r) if some r in lib.resources("SAN-ENC-003")

volume_at_rest(r) := lib.unknown("SAN-ENC-003", r, "encrypted") if {
	lib.missing(r, "encrypted")
} else := lib.fail(
	"SAN-ENC-003", r,
	concat("", [volume_words(r).en, " is not encrypted"]),
	concat("", [volume_words(r).ja, "が暗号化されていません"]),
) if {
	r.encrypted == false
} else := lib.pass(
	"SAN-ENC-003", r,
	concat("", [volume_words(r).en, " is encrypted"]),
	concat("", [volume_words(r).ja, "は暗号化されています"]),
)

# ---------------------------------------------------------------------------------------------
# SAN-ENC-004 object storage refuses non-TLS access, minimum TLS version
# ---------------------------------------------------------------------------------------------

# METADATA
# title: Object storage refuses unencrypted access and old TLS versions
# custom:
#   control: SAN-ENC-004
verdicts contains bucket_in_transit(r) if some r in lib.resources("SAN-ENC-004")

# Known failures first: a bucket that accepts plain HTTP fails even when its TLS floor was
# not read, and a known TLS floor below the minimum fails even when tls_required was not read.
bucket_in_transit(r) := lib.fail(
	"SAN-ENC-004", r,
	"bucket accepts requests without TLS (tls_required is false)",
	"バケットが TLS によらない(暗号化されていない)要求を受け付けます(tls_required が false)",
) if {
	r.tls_required == false
} else := tls_below_verdict("SAN-ENC-004", r, "bucket", "バケット") if {
	tls_below_min("SAN-ENC-004", r)
} else := lib.unknown("SAN-ENC-004", r, "tls_required") if {
	lib.missing(r, "tls_required")
} else := lib.unknown("SAN-ENC-004", r, "min_tls_version") if {
	lib.missing(r, "min_tls_version")
} else := tls_unparsed_verdict("SAN-ENC-004", r) if {
	tls_unparsed(r)
} else := lib.pass(
	"SAN-ENC-004", r,
	concat("", ["bucket requires TLS, minimum TLS ", r.min_tls_version]),
	concat("", ["バケットは TLS を必須とし、TLS ", r.min_tls_version, " 以上のみを受け付けます"]),
)

# ---------------------------------------------------------------------------------------------
# SAN-ENC-005 load balancer listeners use TLS
# ---------------------------------------------------------------------------------------------

# METADATA
# title: Load balancer listeners encrypt traffic with TLS 1.2 or later
# custom:
#   control: SAN-ENC-005
verdicts contains listener_tls(r) if some r in lib.resources("SAN-ENC-005")

listener_tls(r) := lib.unknown("SAN-ENC-005", r, "protocol") if {
	lib.missing(r, "protocol")
} else := lib.not_applicable(
	"SAN-ENC-005", r,
	concat("", [r.protocol, " pass-through listener: TLS is not terminated at the load balancer"]),
	concat("", [r.protocol, " のパススルー型リスナーであり、ロードバランサで TLS を終端しません"]),
) if {
	r.protocol in {"TCP", "UDP"}
} else := http_listener(r) if {
	r.protocol == "HTTP"
} else := tls_listener(r)

port_text(r) := sprintf("%d", [r.port]) if {
	is_number(r.port)
} else := "(unknown)"

http_listener(r) := lib.unknown("SAN-ENC-005", r, "redirects_to_https") if {
	lib.missing(r, "redirects_to_https")
} else := lib.fail(
	"SAN-ENC-005", r,
	concat("", ["plain HTTP listener on port ", port_text(r), " serves traffic unencrypted instead of redirecting to HTTPS"]),
	concat("", ["ポート ", port_text(r), " の HTTP リスナーが HTTPS へ転送せず、暗号化されていない通信を受け付けます"]),
) if {
	r.redirects_to_https == false
} else := lib.pass(
	"SAN-ENC-005", r,
	"HTTP listener only redirects to HTTPS",
	"HTTP リスナーは HTTPS への転送のみを行います",
)

tls_listener(r) := tls_below_verdict("SAN-ENC-005", r, "listener", "リスナー") if {
	tls_below_min("SAN-ENC-005", r)
} else := lib.unknown("SAN-ENC-005", r, "min_tls_version") if {
	lib.missing(r, "min_tls_version")
} else := tls_unparsed_verdict("SAN-ENC-005", r) if {
	tls_unparsed(r)
} else := lib.pass(
	"SAN-ENC-005", r,
	concat("", [r.protocol, " listener, minimum TLS ", r.min_tls_version]),
	concat("", [r.protocol, " リスナーは TLS ", r.min_tls_version, " 以上のみを受け付けます"]),
)

# ---------------------------------------------------------------------------------------------
# SAN-ENC-006 customer-managed key rotation
# ---------------------------------------------------------------------------------------------

# METADATA
# title: Customer-managed encryption keys are rotated
# custom:
#   control: SAN-ENC-006
verdicts contains key_rotation(r) if some r in lib.resources("SAN-ENC-006")

# Known exclusions (provider-managed, scheduled for deletion) win over unread fields.
key_rotation(r) := lib.not_applicable(
	"SAN-ENC-006", r,
	"key is managed by the cloud provider, which rotates it",
	"クラウド事業者が管理し更新する鍵です",
) if {
	r.key_managed_by == "provider"
} else := lib.not_applicable(
	"SAN-ENC-006", r,
	"key is scheduled for deletion",
	"削除予定の鍵です",
) if {
	r.state == "pending_deletion"
} else := lib.unknown("SAN-ENC-006", r, "key_managed_by") if {
	lib.missing(r, "key_managed_by")
} else := lib.unknown("SAN-ENC-006", r, "rotation_enabled") if {
	lib.missing(r, "rotation_enabled")
} else := lib.fail(
	"SAN-ENC-006", r,
	"automatic rotation is off for this customer-managed key",
	"顧客管理鍵の自動ローテーション(鍵の定期的な更新)が無効です",
) if {
	r.rotation_enabled == false
} else := lib.unknown("SAN-ENC-006", r, "rotation_period_days") if {
	lib.missing(r, "rotation_period_days")
} else := lib.fail(
	"SAN-ENC-006", r,
	sprintf("key is rotated every %d days, longer than the maximum %d", [r.rotation_period_days, lib.params("SAN-ENC-006").max_rotation_period_days]),
	sprintf("鍵の更新間隔が %d 日で、上限の %d 日を超えています", [r.rotation_period_days, lib.params("SAN-ENC-006").max_rotation_period_days]),
) if {
	r.rotation_period_days > lib.params("SAN-ENC-006").max_rotation_period_days
} else := lib.pass(
	"SAN-ENC-006", r,
	sprintf("customer-managed key is rotated every %d days", [r.rotation_period_days]),
	sprintf("顧客管理鍵は %d 日ごとに自動更新されます", [r.rotation_period_days]),
)

# ---------------------------------------------------------------------------------------------
# SAN-ENC-007 database connections require TLS
# ---------------------------------------------------------------------------------------------

# METADATA
# title: Databases refuse unencrypted connections
# custom:
#   control: SAN-ENC-007
verdicts contains database_in_transit(r) if some r in lib.resources("SAN-ENC-007")

database_in_transit(r) := lib.unknown("SAN-ENC-007", r, "tls_required") if {
	lib.missing(r, "tls_required")
} else := lib.fail(
	"SAN-ENC-007", r,
	"database accepts connections without TLS (tls_required is false)",
	"データベースが TLS によらない(暗号化されていない)接続を受け付けます(tls_required が false)",
) if {
	r.tls_required == false
} else := lib.pass(
	"SAN-ENC-007", r,
	"database requires TLS for every connection",
	"データベースはすべての接続に TLS を必須としています",
)

# ---------------------------------------------------------------------------------------------
# SAN-ENC-008 laptops and workstations: full-disk encryption
# ---------------------------------------------------------------------------------------------

device_names_ja := {
	"laptop": "ノートパソコン",
	"workstation": "ワークステーション(端末)",
	"server": "サーバ",
	"network": "ネットワーク機器",
	"medical_device": "医療機器",
	"storage": "ストレージ機器",
}

device_ja(r) := object.get(device_names_ja, r.device_type, r.device_type)

# METADATA
# title: Laptops and workstations that may hold medical information use full-disk encryption
# custom:
#   control: SAN-ENC-008
verdicts contains endpoint_disk(r) if some r in lib.resources("SAN-ENC-008")

# Known exclusions (explicitly no medical data, a device type out of scope) win over unread
# fields; holds_medical_data null is judged, device_type null is UNKNOWN.
endpoint_disk(r) := lib.not_applicable(
	"SAN-ENC-008", r,
	"device is recorded as holding no medical information",
	"医療情報を保存しない機器として登録されています",
) if {
	r.holds_medical_data == false
} else := lib.not_applicable(
	"SAN-ENC-008", r,
	concat("", ["device type ", r.device_type, " is not a terminal this control covers"]),
	concat("", ["機器種別 ", r.device_type, " は本管理策の対象端末ではありません"]),
) if {
	not lib.missing(r, "device_type")
	not r.device_type in lib.params("SAN-ENC-008").device_types
} else := lib.unknown("SAN-ENC-008", r, "device_type") if {
	lib.missing(r, "device_type")
} else := lib.unknown("SAN-ENC-008", r, "disk_encrypted") if {
	lib.missing(r, "disk_encrypted")
} else := lib.fail(
	"SAN-ENC-008", r,
	concat("", [r.device_type, " has no full-disk encryption"]),
	concat("", [device_ja(r), "の記憶装置が暗号化されていません"]),
) if {
	r.disk_encrypted == false
} else := lib.pass(
	"SAN-ENC-008", r,
	concat("", [r.device_type, " has full-disk encryption"]),
	concat("", [device_ja(r), "の記憶装置は暗号化されています"]),
)
