# Unit tests for the backup rules. As in encryption_test.rego, each control's per-resource
# function is called with a literal resource (rego-cpp 1.5.2 crashes on `with input as …` over
# rules that read input through object.get), and `controls` is bound to a local before
# `with data.sansho.controls as c` (rego-cpp does not resolve a rule reference there).
package sansho.backup_test

import data.sansho.backup
import rego.v1

controls := {
	"SAN-BKP-001": {"applies_to": ["backup.plan"], "params": {"min_generations": 3}},
	"SAN-BKP-002": {"applies_to": ["backup.vault"], "params": {}},
	"SAN-BKP-003": {"applies_to": ["backup.plan"], "params": {}},
	"SAN-BKP-005": {"applies_to": ["database.instance"], "params": {"min_retention_days": 7}},
	"SAN-BKP-006": {"applies_to": ["storage.bucket"], "params": {}},
	"SAN-BKP-007": {"applies_to": ["backup.plan"], "params": {"min_methods": 2}},
	"SAN-BKP-010": {"applies_to": ["backup.plan"], "params": {"protected_methods": ["worm", "offline"]}},
	"SAN-BKP-011": {"applies_to": ["device.host"], "params": {"device_types": ["server", "storage"]}},
}

plan(fields) := object.union({"id": "p", "kind": "backup.plan", "account": "111111111111"}, fields)

# --- SAN-BKP-001 ----------------------------------------------------------------------------

test_bkp001_generations if {
	c := controls
	ok := backup.generations(plan({"generations": 7})) with data.sansho.controls as c
	ok.status == "PASS"
	few := backup.generations(plan({"generations": 1})) with data.sansho.controls as c
	few.status == "FAIL"
	contains(few.en, "1 generation")
	edge := backup.generations(plan({"generations": 3})) with data.sansho.controls as c
	edge.status == "PASS"
	unread := backup.generations(plan({})) with data.sansho.controls as c
	unread.status == "UNKNOWN"
}

# --- SAN-BKP-002 ----------------------------------------------------------------------------

test_bkp002_vault_lock if {
	v := {"id": "v", "kind": "backup.vault"}
	backup.vault_immutable(object.union(v, {"immutable": true, "immutability_mode": "compliance"})).status == "PASS"
	backup.vault_immutable(object.union(v, {"immutable": true, "immutability_mode": "locked"})).status == "PASS"
	backup.vault_immutable(object.union(v, {"immutable": true, "immutability_mode": "governance"})).status == "FAIL"
	backup.vault_immutable(object.union(v, {"immutable": true, "immutability_mode": "unlocked"})).status == "FAIL"
	backup.vault_immutable(object.union(v, {"immutable": true})).status == "UNKNOWN"
	backup.vault_immutable(object.union(v, {"immutable": false, "soft_delete": true})).status == "FAIL"
	backup.vault_immutable(v).status == "UNKNOWN"
}

# --- SAN-BKP-003 ----------------------------------------------------------------------------

test_bkp003_offline_copy_passes if {
	backup.isolated_copy(plan({"methods": ["online", "offline"]})).status == "PASS"
	# Evidence of an offline copy is enough even when destinations were not read.
	backup.isolated_copy(plan({"methods": ["offline"]})).status == "PASS"
}

test_bkp003_cross_account_copy_passes if {
	v := backup.isolated_copy(plan({
		"methods": ["online"],
		"destinations": [{"relation": "backup_copy", "account": "222222222222", "region": "ap-northeast-3"}],
	}))
	v.status == "PASS"
	contains(v.en, "222222222222")
}

test_bkp003_same_account_online_fails if {
	backup.isolated_copy(plan({
		"methods": ["online", "worm"],
		"destinations": [{"relation": "backup_copy", "account": "111111111111"}],
	})).status == "FAIL"
	backup.isolated_copy(plan({"methods": ["online"], "destinations": []})).status == "FAIL"
	# A replica in another account is not a backup copy: changes propagate to it.
	backup.isolated_copy(plan({
		"methods": ["online"],
		"destinations": [{"relation": "replication", "account": "222222222222"}],
	})).status == "FAIL"
}

test_bkp003_unread_is_unknown if {
	backup.isolated_copy(plan({})).status == "UNKNOWN"
	backup.isolated_copy(plan({"methods": ["online"]})).status == "UNKNOWN"
	backup.isolated_copy(plan({"destinations": []})).status == "UNKNOWN"
	backup.isolated_copy(plan({"methods": ["online"], "destinations": [{"relation": "backup_copy"}]})).status == "UNKNOWN"
	no_plan_account := object.remove(plan({"methods": ["online"], "destinations": [{"relation": "backup_copy", "account": "2"}]}), ["account"])
	backup.isolated_copy(no_plan_account).status == "UNKNOWN"
}

# --- SAN-BKP-005 ----------------------------------------------------------------------------

test_bkp005_database_retention if {
	c := controls
	db := {"id": "d", "kind": "database.instance"}
	ok := backup.database_retention(object.union(db, {"backup_retention_days": 35})) with data.sansho.controls as c
	ok.status == "PASS"
	off := backup.database_retention(object.union(db, {"backup_retention_days": 0})) with data.sansho.controls as c
	off.status == "FAIL"
	short := backup.database_retention(object.union(db, {"backup_retention_days": 1})) with data.sansho.controls as c
	short.status == "FAIL"
	unread := backup.database_retention(db) with data.sansho.controls as c
	unread.status == "UNKNOWN"
}

# --- SAN-BKP-006 ----------------------------------------------------------------------------

test_bkp006_versioning if {
	b := {"id": "b", "kind": "storage.bucket"}
	backup.bucket_versioning(object.union(b, {"versioning": true})).status == "PASS"
	backup.bucket_versioning(object.union(b, {"versioning": false})).status == "FAIL"
	backup.bucket_versioning(object.union(b, {"versioning": false, "holds_medical_data": true})).status == "FAIL"
	backup.bucket_versioning(object.union(b, {"versioning": false, "holds_medical_data": false})).status == "NOT_APPLICABLE"
	backup.bucket_versioning(b).status == "UNKNOWN"
}

# --- SAN-BKP-007 ----------------------------------------------------------------------------

test_bkp007_methods if {
	c := controls
	two := backup.backup_methods(plan({"methods": ["online", "worm"]})) with data.sansho.controls as c
	two.status == "PASS"
	dup := backup.backup_methods(plan({"methods": ["online", "online"]})) with data.sansho.controls as c
	dup.status == "FAIL"
	empty := backup.backup_methods(plan({"methods": []})) with data.sansho.controls as c
	empty.status == "FAIL"
	unread := backup.backup_methods(plan({})) with data.sansho.controls as c
	unread.status == "UNKNOWN"
}

test_bkp010_online_only_fails if {
	c := controls
	v := backup.protected_copy({"id": "p", "kind": "backup.plan", "methods": ["online"]}) with data.sansho.controls as c
	v.status == "FAIL"
}

test_bkp010_worm_passes_and_unread_is_unknown if {
	c := controls
	backup.protected_copy({"id": "p", "kind": "backup.plan", "methods": ["online", "worm"]}).status == "PASS" with data.sansho.controls as c
	backup.protected_copy({"id": "p", "kind": "backup.plan"}).status == "UNKNOWN" with data.sansho.controls as c
}

# --- SAN-BKP-011 ---------------------------------------------------------------------------

host(fields) := object.union({"id": "d", "kind": "device.host", "holds_medical_data": true}, fields)

test_bkp011_backup_power if {
	c := controls
	backup.backup_power(host({"device_type": "server", "backup_power": true})).status == "PASS" with data.sansho.controls as c
	v := backup.backup_power(host({"device_type": "storage", "backup_power": false})) with data.sansho.controls as c
	v.status == "FAIL"
	v.en == "the device has no uninterruptible or emergency power supply"
	backup.backup_power(host({"device_type": "workstation", "backup_power": false})).status == "NOT_APPLICABLE" with data.sansho.controls as c
	backup.backup_power(host({"device_type": "server", "holds_medical_data": false})).status == "NOT_APPLICABLE" with data.sansho.controls as c
	backup.backup_power(host({"device_type": "server"})).status == "UNKNOWN" with data.sansho.controls as c
	backup.backup_power({"id": "d", "kind": "device.host", "device_type": "server", "backup_power": true}).status == "UNKNOWN" with data.sansho.controls as c
}
