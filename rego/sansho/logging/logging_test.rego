package sansho.logging_test

import data.sansho.logging
import rego.v1

controls := {
	"SAN-LOG-001": {"applies_to": ["audit.trail"], "params": {}},
	"SAN-LOG-002": {"applies_to": ["audit.trail"], "params": {}},
	"SAN-LOG-003": {"applies_to": ["audit.trail"], "params": {}},
	"SAN-LOG-004": {"applies_to": ["audit.trail"], "params": {"min_retention_days": 365}},
	"SAN-LOG-006": {"applies_to": ["account.settings"], "params": {}},
	"SAN-LOG-007": {"applies_to": ["database.instance"], "params": {"read_audit_classes": [
		"read", "all", "QUERY", "QUERY_DML", "BATCH_COMPLETED_GROUP", "BATCH_STARTED_GROUP",
		"SCHEMA_OBJECT_ACCESS_GROUP", "DATA_READ",
	]}},
}

statuses(control, kind, r) := {v.status |
	some v in logging.verdicts with input as {"resources": {kind: [r]}}
		with data.sansho.controls as controls
	v.control == control
}

trail(fields) := object.union({"id": "t", "kind": "audit.trail"}, fields)

test_trail_everywhere_passes if {
	statuses("SAN-LOG-001", "audit.trail", trail({"enabled": true, "multi_region": true})) == {"PASS"}
}

test_disabled_trail_fails if {
	statuses("SAN-LOG-001", "audit.trail", trail({"enabled": false, "multi_region": true})) == {"FAIL"}
}

test_single_region_trail_fails_even_if_enabled_unread if {
	statuses("SAN-LOG-001", "audit.trail", trail({"multi_region": false})) == {"FAIL"}
}

test_trail_region_unread_is_unknown if {
	statuses("SAN-LOG-001", "audit.trail", trail({"enabled": true})) == {"UNKNOWN"}
}

test_trail_unread_is_unknown if {
	statuses("SAN-LOG-001", "audit.trail", trail({})) == {"UNKNOWN"}
}

test_integrity_off_fails if {
	statuses("SAN-LOG-002", "audit.trail", trail({"integrity_validation": false})) == {"FAIL"}
}

test_integrity_unread_is_unknown if {
	statuses("SAN-LOG-002", "audit.trail", trail({"integrity_validation": null})) == {"UNKNOWN"}
}

test_mutable_destination_fails if {
	statuses("SAN-LOG-003", "audit.trail", trail({"destination_immutable": false})) == {"FAIL"}
}

test_governance_destination_fails if {
	statuses("SAN-LOG-003", "audit.trail", trail({"destination_immutable": true, "destination_immutability_mode": "governance"})) == {"FAIL"}
	statuses("SAN-LOG-003", "audit.trail", trail({"destination_immutable": true, "destination_immutability_mode": "unlocked"})) == {"FAIL"}
	statuses("SAN-LOG-003", "audit.trail", trail({"destination_immutable": true, "destination_immutability_mode": "compliance"})) == {"PASS"}
	statuses("SAN-LOG-003", "audit.trail", trail({"destination_immutable": true})) == {"UNKNOWN"}
}

test_immutable_unread_is_unknown if {
	statuses("SAN-LOG-003", "audit.trail", trail({})) == {"UNKNOWN"}
}

test_short_retention_fails if {
	statuses("SAN-LOG-004", "audit.trail", trail({"retention_days": 90})) == {"FAIL"}
}

test_retention_at_minimum_passes if {
	statuses("SAN-LOG-004", "audit.trail", trail({"retention_days": 365})) == {"PASS"}
}

test_retention_unread_is_unknown if {
	statuses("SAN-LOG-004", "audit.trail", trail({})) == {"UNKNOWN"}
}

test_config_recording_off_fails if {
	statuses("SAN-LOG-006", "account.settings", {"id": "a", "kind": "account.settings", "config_recording": false}) == {"FAIL"}
}

test_config_recording_unread_is_unknown if {
	statuses("SAN-LOG-006", "account.settings", {"id": "a", "kind": "account.settings"}) == {"UNKNOWN"}
}

db(fields) := object.union({"id": "d", "kind": "database.instance"}, fields)

test_database_audit_on_passes if {
	c := controls
	v := logging.database_audit(db({"audit_logging": true, "audit_classes": ["READ", "write", "ddl"]})) with data.sansho.controls as c
	v.status == "PASS"
	contains(v.en, "(READ)")
}

# システム運用編 17 ①: an audit log that records DDL only does not say who read which record.
test_database_audit_ddl_only_fails_naming_the_missing_classes if {
	c := controls
	v := logging.database_audit(db({"audit_logging": true, "audit_classes": ["ddl"]})) with data.sansho.controls as c
	v.status == "FAIL"
	contains(v.en, "records ddl but no reads")
	contains(v.en, "(read, all, QUERY, QUERY_DML,")
	contains(v.ja, "参照を記録するクラス")
}

test_database_audit_nothing_recorded_fails if {
	c := controls
	v := logging.database_audit(db({"audit_logging": true, "audit_classes": []})) with data.sansho.controls as c
	v.status == "FAIL"
	contains(v.en, "records nothing")
}

test_database_audit_classes_unread_is_unknown if {
	c := controls
	v := logging.database_audit(db({"audit_logging": true})) with data.sansho.controls as c
	v.status == "UNKNOWN"
	v.en == "audit_classes was not read, so compliance cannot be judged"
}

test_database_audit_off_fails if {
	logging.database_audit(db({"audit_logging": false})).status == "FAIL"
}

test_database_audit_unread_is_unknown if {
	v := logging.database_audit(db({"audit_logging": null}))
	v.status == "UNKNOWN"
	v.en == "audit_logging was not read, so compliance cannot be judged"
}

test_database_audit_absent_is_unknown if {
	statuses("SAN-LOG-007", "database.instance", db({})) == {"UNKNOWN"}
}

test_database_audit_judges_every_database if {
	# like SAN-ENC-002: every database is judged, whether or not it is tagged as holding medical data
	statuses("SAN-LOG-007", "database.instance", db({"audit_logging": false, "holds_medical_data": false})) == {"FAIL"}
}
