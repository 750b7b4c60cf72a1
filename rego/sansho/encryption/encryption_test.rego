# Unit tests for the encryption rules. They call each control's per-resource function with a
# literal resource rather than evaluating `verdicts` `with input as …`: rego-cpp 1.5.2
# (regopy) crashes on `with input` over rules that read input through object.get, and these
# tests must run under regorus and regopy alike. The examples files cover `verdicts` end to end.
# `controls` is bound to a local (`c := controls`) before `with data.sansho.controls as c`:
# rego-cpp 1.5.2 does not resolve a rule reference used directly as a `with` value.
package sansho.encryption_test

import data.sansho.encryption
import rego.v1

controls := {
	"SAN-ENC-001": {"applies_to": ["storage.bucket"], "params": {}},
	"SAN-ENC-002": {"applies_to": ["database.instance"], "params": {}},
	"SAN-ENC-003": {"applies_to": ["compute.disk", "compute.snapshot"], "params": {}},
	"SAN-ENC-004": {"applies_to": ["storage.bucket"], "params": {"min_tls_version": "1.2"}},
	"SAN-ENC-005": {"applies_to": ["network.lb_listener"], "params": {"min_tls_version": "1.2"}},
	"SAN-ENC-006": {"applies_to": ["kms.key"], "params": {"max_rotation_period_days": 365}},
	"SAN-ENC-007": {"applies_to": ["database.instance"], "params": {}},
	"SAN-ENC-008": {"applies_to": ["device.host"], "params": {"device_types": ["laptop", "workstation"]}},
}

bucket(fields) := object.union({"id": "b", "kind": "storage.bucket"}, fields)

listener(fields) := object.union({"id": "l", "kind": "network.lb_listener"}, fields)

key(fields) := object.union({"id": "k", "kind": "kms.key"}, fields)

device(fields) := object.union({"id": "h", "kind": "device.host"}, fields)

# --- TLS version parsing --------------------------------------------------------------------

test_tls_versions_parse if {
	encryption.tls_number("1.2") == 102
	encryption.tls_number("TLSv1.2") == 102
	encryption.tls_number("TLS1_2") == 102
	encryption.tls_number("TLS_1_3") == 103
	encryption.tls_number("TLSv1") == 100
	encryption.tls_number("SSLv3") == 0
	encryption.tls_number(1.2) == 102
	not encryption.tls_number("modern")
}

test_tls_comparison_is_numeric_not_textual if {
	# "1.10" would sort before "1.2" as text; as a version it is later.
	encryption.tls_number("1.10") > encryption.tls_number("1.2")
}

# --- SAN-ENC-001 ----------------------------------------------------------------------------

test_enc001_unencrypted_bucket_fails if {
	encryption.bucket_at_rest(bucket({"encrypted": false})).status == "FAIL"
}

test_enc001_unread_encryption_is_unknown_not_pass if {
	encryption.bucket_at_rest(bucket({})).status == "UNKNOWN"
	encryption.bucket_at_rest(bucket({"encrypted": null})).status == "UNKNOWN"
}

test_enc001_encrypted_bucket_passes if {
	encryption.bucket_at_rest(bucket({"encrypted": true})).status == "PASS"
}

# --- SAN-ENC-002 ----------------------------------------------------------------------------

test_enc002_database if {
	db := {"id": "d", "kind": "database.instance"}
	encryption.database_at_rest(object.union(db, {"encrypted": true})).status == "PASS"
	encryption.database_at_rest(object.union(db, {"encrypted": false})).status == "FAIL"
	encryption.database_at_rest(db).status == "UNKNOWN"
}

# --- SAN-ENC-003 ----------------------------------------------------------------------------

test_enc003_disk_and_snapshot if {
	encryption.volume_at_rest({"id": "d", "kind": "compute.disk", "encrypted": false}).status == "FAIL"
	v := encryption.volume_at_rest({"id": "s", "kind": "compute.snapshot", "encrypted": false})
	v.status == "FAIL"
	contains(v.en, "snapshot")
	encryption.volume_at_rest({"id": "s", "kind": "compute.snapshot", "encrypted": true}).status == "PASS"
	encryption.volume_at_rest({"id": "s", "kind": "compute.snapshot"}).status == "UNKNOWN"
}

# --- SAN-ENC-004 ----------------------------------------------------------------------------

test_enc004_tls_required_and_modern if {
	c := controls
	v := encryption.bucket_in_transit(bucket({"tls_required": true, "min_tls_version": "1.2"})) with data.sansho.controls as c
	v.status == "PASS"
}

test_enc004_plain_http_fails_even_if_version_unread if {
	c := controls
	v := encryption.bucket_in_transit(bucket({"tls_required": false})) with data.sansho.controls as c
	v.status == "FAIL"
}

test_enc004_old_tls_fails_and_names_version if {
	c := controls
	v := encryption.bucket_in_transit(bucket({"tls_required": true, "min_tls_version": "TLSv1.0"})) with data.sansho.controls as c
	v.status == "FAIL"
	contains(v.en, "TLSv1.0")
}

test_enc004_unread_fields_are_unknown if {
	c := controls
	v1 := encryption.bucket_in_transit(bucket({"min_tls_version": "1.2"})) with data.sansho.controls as c
	v1.status == "UNKNOWN"
	v2 := encryption.bucket_in_transit(bucket({"tls_required": true})) with data.sansho.controls as c
	v2.status == "UNKNOWN"
	v3 := encryption.bucket_in_transit(bucket({"tls_required": true, "min_tls_version": "modern"})) with data.sansho.controls as c
	v3.status == "UNKNOWN"
}

test_enc004_parameter_is_honoured if {
	strict := object.union(controls, {"SAN-ENC-004": {"applies_to": ["storage.bucket"], "params": {"min_tls_version": "1.3"}}})
	v := encryption.bucket_in_transit(bucket({"tls_required": true, "min_tls_version": "1.2"})) with data.sansho.controls as strict
	v.status == "FAIL"
}

# --- SAN-ENC-005 ----------------------------------------------------------------------------

test_enc005_https_listener if {
	c := controls
	ok := encryption.listener_tls(listener({"protocol": "HTTPS", "port": 443, "min_tls_version": "TLSv1.2"})) with data.sansho.controls as c
	ok.status == "PASS"
	old := encryption.listener_tls(listener({"protocol": "TLS", "port": 443, "min_tls_version": "1.1"})) with data.sansho.controls as c
	old.status == "FAIL"
	unread := encryption.listener_tls(listener({"protocol": "HTTPS", "port": 443})) with data.sansho.controls as c
	unread.status == "UNKNOWN"
}

test_enc005_http_listener if {
	c := controls
	redirect := encryption.listener_tls(listener({"protocol": "HTTP", "port": 80, "redirects_to_https": true})) with data.sansho.controls as c
	redirect.status == "PASS"
	plain := encryption.listener_tls(listener({"protocol": "HTTP", "port": 80, "redirects_to_https": false})) with data.sansho.controls as c
	plain.status == "FAIL"
	contains(plain.en, "port 80")
	unread := encryption.listener_tls(listener({"protocol": "HTTP", "port": 80})) with data.sansho.controls as c
	unread.status == "UNKNOWN"
}

test_enc005_passthrough_and_unread_protocol if {
	encryption.listener_tls(listener({"protocol": "TCP", "port": 5432})).status == "NOT_APPLICABLE"
	encryption.listener_tls(listener({"port": 443})).status == "UNKNOWN"
}

# --- SAN-ENC-006 ----------------------------------------------------------------------------

test_enc006_rotation if {
	c := controls
	ok := encryption.key_rotation(key({"key_managed_by": "customer", "rotation_enabled": true, "rotation_period_days": 365})) with data.sansho.controls as c
	ok.status == "PASS"
	off := encryption.key_rotation(key({"key_managed_by": "customer", "rotation_enabled": false})) with data.sansho.controls as c
	off.status == "FAIL"
	slow := encryption.key_rotation(key({"key_managed_by": "customer", "rotation_enabled": true, "rotation_period_days": 730})) with data.sansho.controls as c
	slow.status == "FAIL"
}

test_enc006_exclusions_and_unknowns if {
	c := controls
	encryption.key_rotation(key({"key_managed_by": "provider"})).status == "NOT_APPLICABLE"
	encryption.key_rotation(key({"key_managed_by": "customer", "state": "pending_deletion", "rotation_enabled": false})).status == "NOT_APPLICABLE"
	encryption.key_rotation(key({"key_managed_by": "customer"})).status == "UNKNOWN"
	encryption.key_rotation(key({"rotation_enabled": false})).status == "UNKNOWN"
	p := encryption.key_rotation(key({"key_managed_by": "customer", "rotation_enabled": true})) with data.sansho.controls as c
	p.status == "UNKNOWN"
}

# --- SAN-ENC-007 ----------------------------------------------------------------------------

test_enc007_database_tls if {
	db := {"id": "d", "kind": "database.instance"}
	encryption.database_in_transit(object.union(db, {"tls_required": true})).status == "PASS"
	encryption.database_in_transit(object.union(db, {"tls_required": false})).status == "FAIL"
	encryption.database_in_transit(db).status == "UNKNOWN"
}

# --- SAN-ENC-008 ----------------------------------------------------------------------------

test_enc008_laptops if {
	c := controls
	ok := encryption.endpoint_disk(device({"device_type": "laptop", "disk_encrypted": true})) with data.sansho.controls as c
	ok.status == "PASS"
	bad := encryption.endpoint_disk(device({"device_type": "workstation", "disk_encrypted": false})) with data.sansho.controls as c
	bad.status == "FAIL"
	unread := encryption.endpoint_disk(device({"device_type": "laptop"})) with data.sansho.controls as c
	unread.status == "UNKNOWN"
}

test_enc008_scope if {
	c := controls
	server := encryption.endpoint_disk(device({"device_type": "server", "disk_encrypted": false})) with data.sansho.controls as c
	server.status == "NOT_APPLICABLE"
	no_phi := encryption.endpoint_disk(device({"holds_medical_data": false, "disk_encrypted": false})) with data.sansho.controls as c
	no_phi.status == "NOT_APPLICABLE"
	untyped := encryption.endpoint_disk(device({"disk_encrypted": false})) with data.sansho.controls as c
	untyped.status == "UNKNOWN"
}
