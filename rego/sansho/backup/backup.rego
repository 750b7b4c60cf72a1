# Backups: generations, methods, immutability and isolation (バックアップ).
# SAN-BKP-004 (restore-test age) is a Python rule: it needs the scan date.
package sansho.backup

import data.sansho.lib
import rego.v1

# ---------------------------------------------------------------------------------------------
# SAN-BKP-001 generations
# ---------------------------------------------------------------------------------------------

# METADATA
# title: Backup plans keep several generations
# custom:
#   control: SAN-BKP-001
verdicts contains generations(r) if some r in lib.resources("SAN-BKP-001")

generations(r) := lib.unknown("SAN-BKP-001", r, "generations") if {
	lib.missing(r, "generations")
} else := lib.fail(
	"SAN-BKP-001", r,
	sprintf("backup plan keeps %d generation(s); at least %d are required", [r.generations, lib.params("SAN-BKP-001").min_generations]),
	sprintf("バックアップの保持世代数が %d で、必要な %d 世代に達していません", [r.generations, lib.params("SAN-BKP-001").min_generations]),
) if {
	r.generations < lib.params("SAN-BKP-001").min_generations
} else := lib.pass(
	"SAN-BKP-001", r,
	sprintf("backup plan keeps %d generations", [r.generations]),
	sprintf("バックアップを %d 世代保持しています", [r.generations]),
)

# ---------------------------------------------------------------------------------------------
# SAN-BKP-002 immutable vault
# ---------------------------------------------------------------------------------------------

# METADATA
# title: Backup vaults are immutable (write-once)
# custom:
#   control: SAN-BKP-002
verdicts contains vault_immutable(r) if some r in lib.resources("SAN-BKP-002")

vault_immutable(r) := lib.unknown("SAN-BKP-002", r, "immutable") if {
	lib.missing(r, "immutable")
} else := lib.fail(
	"SAN-BKP-002", r,
	"backup vault is not immutable: an administrator account or malware can delete or alter its recovery points",
	"バックアップ保管庫が追記不能(変更・削除不可)に設定されておらず、管理者権限や不正ソフトウェアにより復旧ポイントを削除・改変できます",
) if {
	r.immutable == false
} else := lib.unknown("SAN-BKP-002", r, "immutability_mode") if {
	lib.missing(r, "immutability_mode")
} else := lib.fail(
	"SAN-BKP-002", r,
	concat("", ["backup vault is not write-once: ", lib.liftable_en(r.immutability_mode)]),
	concat("", ["バックアップ保管庫の", lib.liftable_ja(r.immutability_mode)]),
) if {
	not r.immutability_mode in lib.write_once_modes
} else := lib.pass(
	"SAN-BKP-002", r,
	concat("", ["backup vault is immutable (vault lock / immutability policy in force, mode ", r.immutability_mode, ")"]),
	concat("", ["バックアップ保管庫は追記不能(変更・削除不可)に設定されています(モード: ", r.immutability_mode, ")"]),
)

# ---------------------------------------------------------------------------------------------
# SAN-BKP-003 isolated copy: offline, or in another account
# ---------------------------------------------------------------------------------------------

# Backup copies held in an account other than the plan's own.
other_account_copies(r) := [d.account |
	some d in r.destinations
	d.relation == "backup_copy"
	not lib.missing(d, "account")
	not lib.missing(r, "account")
	d.account != r.account
]

# Backup copies whose account could not be compared with the plan's.
uncomparable_copies(r) := [d |
	some d in r.destinations
	d.relation == "backup_copy"
	account_unread(r, d)
]

account_unread(_, d) if lib.missing(d, "account")

account_unread(r, _) if lib.missing(r, "account")

# METADATA
# title: Part of the backup is kept isolated (offline or in a separate account)
# custom:
#   control: SAN-BKP-003
verdicts contains isolated_copy(r) if some r in lib.resources("SAN-BKP-003")

# Evidence of isolation passes even if other fields were not read; without it, any unread
# field that could have shown isolation makes the verdict UNKNOWN rather than FAIL.
isolated_copy(r) := lib.pass(
	"SAN-BKP-003", r,
	"an offline copy is part of the backup plan",
	"バックアップの一部をオフライン(ネットワークから切り離した媒体)で保管しています",
) if {
	"offline" in r.methods
} else := lib.pass(
	"SAN-BKP-003", r,
	concat("", ["a backup copy is kept in a separate account: ", concat(", ", other_account_copies(r))]),
	concat("", ["バックアップの複製を別アカウント(", concat(", ", other_account_copies(r)), ")で保管しています"]),
) if {
	count(other_account_copies(r)) > 0
} else := lib.unknown("SAN-BKP-003", r, "methods") if {
	lib.missing(r, "methods")
} else := lib.unknown("SAN-BKP-003", r, "destinations") if {
	lib.missing(r, "destinations")
} else := lib.unknown("SAN-BKP-003", r, "account") if {
	count(uncomparable_copies(r)) > 0
} else := lib.fail(
	"SAN-BKP-003", r,
	"every backup copy is online in the same account: no copy is out of reach of malware or a compromised administrator",
	"すべてのバックアップが同一アカウント内のオンラインにあり、不正ソフトウェアの混入による影響が波及しない手段で管理された複製がありません",
)

# ---------------------------------------------------------------------------------------------
# SAN-BKP-005 database automated backup retention
# ---------------------------------------------------------------------------------------------

# METADATA
# title: Databases keep automated backups for a minimum period
# custom:
#   control: SAN-BKP-005
verdicts contains database_retention(r) if some r in lib.resources("SAN-BKP-005")

database_retention(r) := lib.unknown("SAN-BKP-005", r, "backup_retention_days") if {
	lib.missing(r, "backup_retention_days")
} else := lib.fail(
	"SAN-BKP-005", r,
	"automated backups are turned off for this database (retention 0 days)",
	"データベースの自動バックアップが無効です(保持期間 0 日)",
) if {
	r.backup_retention_days <= 0
} else := lib.fail(
	"SAN-BKP-005", r,
	sprintf("automated backups are kept %d day(s); at least %d are required", [r.backup_retention_days, lib.params("SAN-BKP-005").min_retention_days]),
	sprintf("自動バックアップの保持期間が %d 日で、必要な %d 日に達していません", [r.backup_retention_days, lib.params("SAN-BKP-005").min_retention_days]),
) if {
	r.backup_retention_days < lib.params("SAN-BKP-005").min_retention_days
} else := lib.pass(
	"SAN-BKP-005", r,
	sprintf("automated backups are kept %d days", [r.backup_retention_days]),
	sprintf("自動バックアップを %d 日間保持しています", [r.backup_retention_days]),
)

# ---------------------------------------------------------------------------------------------
# SAN-BKP-006 object versioning
# ---------------------------------------------------------------------------------------------

# METADATA
# title: Object storage keeps previous versions of objects
# custom:
#   control: SAN-BKP-006
verdicts contains bucket_versioning(r) if some r in lib.resources("SAN-BKP-006")

bucket_versioning(r) := lib.not_applicable(
	"SAN-BKP-006", r,
	"bucket is recorded as holding no medical information",
	"医療情報を保存しないバケットとして登録されています",
) if {
	r.holds_medical_data == false
} else := lib.unknown("SAN-BKP-006", r, "versioning") if {
	lib.missing(r, "versioning")
} else := lib.fail(
	"SAN-BKP-006", r,
	"versioning is off: an overwritten or deleted object cannot be recovered",
	"バージョニングが無効であり、上書き・削除されたオブジェクトを復元できません",
) if {
	r.versioning == false
} else := lib.pass(
	"SAN-BKP-006", r,
	"versioning is on: previous versions of objects are kept",
	"バージョニングが有効であり、オブジェクトの過去の版が保持されます",
)

# ---------------------------------------------------------------------------------------------
# SAN-BKP-007 several backup methods
# ---------------------------------------------------------------------------------------------

distinct_methods(r) := {m | some m in r.methods}

methods_text(r) := "none" if {
	count(distinct_methods(r)) == 0
} else := concat(", ", sort(distinct_methods(r)))

# METADATA
# title: Backups are taken by several methods
# custom:
#   control: SAN-BKP-007
verdicts contains backup_methods(r) if some r in lib.resources("SAN-BKP-007")

backup_methods(r) := lib.unknown("SAN-BKP-007", r, "methods") if {
	lib.missing(r, "methods")
} else := lib.fail(
	"SAN-BKP-007", r,
	concat("", [
		sprintf("backup plan uses %d method(s) (", [count(distinct_methods(r))]), methods_text(r),
		sprintf("); at least %d are required", [lib.params("SAN-BKP-007").min_methods]),
	]),
	concat("", [
		sprintf("バックアップの方式が %d 種類(", [count(distinct_methods(r))]), methods_text(r),
		sprintf(")で、必要な %d 種類に達していません", [lib.params("SAN-BKP-007").min_methods]),
	]),
) if {
	count(distinct_methods(r)) < lib.params("SAN-BKP-007").min_methods
} else := lib.pass(
	"SAN-BKP-007", r,
	concat("", [sprintf("backup plan uses %d methods (", [count(distinct_methods(r))]), methods_text(r), ")"]),
	concat("", [sprintf("バックアップを %d 種類の方式(", [count(distinct_methods(r))]), methods_text(r), ")で確保しています"]),
)

# ---------------------------------------------------------------------------------------------
# SAN-BKP-010 a WORM or offline copy
# ---------------------------------------------------------------------------------------------

bkp010_methods := {m | some m in lib.params("SAN-BKP-010").protected_methods}

protected_methods_of(r) := sort([m | some m in r.methods; m in bkp010_methods])

# METADATA
# title: Part of the backup is kept on write-once (WORM) or offline media
# custom:
#   control: SAN-BKP-010
verdicts contains protected_copy(r) if some r in lib.resources("SAN-BKP-010")

protected_copy(r) := lib.unknown("SAN-BKP-010", r, "methods") if {
	lib.missing(r, "methods")
} else := lib.pass(
	"SAN-BKP-010", r,
	concat("", ["the plan keeps a copy on ", concat(", ", protected_methods_of(r)), " media"]),
	concat("", ["バックアップの一部を ", concat("、", protected_methods_of(r)), " の媒体で保管しています"]),
) if {
	count(protected_methods_of(r)) > 0
} else := lib.fail(
	"SAN-BKP-010", r,
	concat("", ["no copy is on WORM or offline media (methods: ", concat(", ", r.methods), ")"]),
	concat("", ["書換え不能(WORM)又はオフラインの媒体で保管している複製がありません(方式: ", concat("、", r.methods), ")"]),
)

# ---------------------------------------------------------------------------------------------
# SAN-BKP-011 backup power
# ---------------------------------------------------------------------------------------------

# METADATA
# title: Devices storing medical information have uninterruptible or emergency power
# custom:
#   control: SAN-BKP-011
verdicts contains backup_power(r) if some r in lib.resources("SAN-BKP-011")

bkp011_types := {t | some t in lib.params("SAN-BKP-011").device_types}

backup_power(r) := lib.unknown("SAN-BKP-011", r, "device_type") if {
	lib.missing(r, "device_type")
} else := lib.not_applicable(
	"SAN-BKP-011", r,
	concat("", ["a ", r.device_type, " is not a server or storage device"]),
	concat("", ["サーバ・ストレージ機器ではありません(", r.device_type, ")"]),
) if {
	not r.device_type in bkp011_types
} else := lib.unknown("SAN-BKP-011", r, "holds_medical_data") if {
	lib.missing(r, "holds_medical_data")
} else := lib.not_applicable(
	"SAN-BKP-011", r,
	"the device stores no medical information",
	"医療情報を保存しない機器です",
) if {
	r.holds_medical_data == false
} else := lib.unknown("SAN-BKP-011", r, "backup_power") if {
	lib.missing(r, "backup_power")
} else := lib.fail(
	"SAN-BKP-011", r,
	"the device has no uninterruptible or emergency power supply",
	"無停電電源装置・非常用電源に接続されていません",
) if {
	r.backup_power == false
} else := lib.pass(
	"SAN-BKP-011", r,
	"the device is on an uninterruptible or emergency power supply",
	"無停電電源装置・非常用電源に接続されています",
)
