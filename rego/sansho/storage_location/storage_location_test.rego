package sansho.storage_location_test

import data.sansho.storage_location
import rego.v1

regions := {
	"aws": ["ap-northeast-1", "ap-northeast-3"],
	"azure": ["japaneast", "japanwest"],
	"gcp": ["asia-northeast1", "asia-northeast2", "asia1"],
}

loc_params := {"allowed_regions": regions, "allowed_countries": ["JP"]}

controls := {
	"SAN-LOC-001": {
		"applies_to": ["storage.bucket", "database.instance", "compute.disk", "compute.snapshot", "backup.vault"],
		"params": loc_params,
	},
	"SAN-LOC-002": {
		"applies_to": ["storage.bucket", "database.instance", "compute.snapshot", "backup.plan", "backup.vault"],
		"params": loc_params,
	},
	"SAN-LOC-003": {"applies_to": ["site.facility", "device.host"], "params": {"allowed_countries": ["JP"]}},
	"SAN-LOC-005": {"applies_to": ["vendor.contract"], "params": {"allowed_countries": ["JP"]}},
}

statuses(control, res) := {v.id: v.status |
	some v in storage_location.verdicts with input as {"resources": res}
		with data.sansho.controls as controls
	v.control == control
}

# Regions arrive canonical (the model spells ASIA-NORTHEAST1 and "Japan East" as below), and the
# rule compares them as they are.
test_loc001_japanese_regions_pass if {
	s := statuses("SAN-LOC-001", {
		"storage.bucket": [
			{"id": "gcs", "kind": "storage.bucket", "provider": "gcp", "region": "asia-northeast1", "country": "JP"},
			{"id": "dual", "kind": "storage.bucket", "provider": "gcp", "region": "asia1", "country": "JP"},
		],
		"database.instance": [{"id": "db", "kind": "database.instance", "provider": "azure", "region": "japaneast", "country": "JP"}],
	})
	s == {"gcs": "PASS", "dual": "PASS", "db": "PASS"}
}

test_loc001_foreign_and_multi_region_fail if {
	v := storage_location.verdicts with input as {"resources": {"storage.bucket": [
		{"id": "us", "kind": "storage.bucket", "provider": "aws", "region": "us-east-1", "country": "US"},
		{"id": "asia", "kind": "storage.bucket", "provider": "gcp", "region": "asia", "country": "MULTI"},
	]}}
		with data.sansho.controls as controls
	{f.id | some f in v; f.status == "FAIL"} == {"us", "asia"}
	some f in v
	f.id == "us"
	contains(f.en, "us-east-1")
	contains(f.ja, "us-east-1")
}

test_loc001_unread_region_is_unknown_not_pass if {
	s := statuses("SAN-LOC-001", {"compute.disk": [{"id": "d", "kind": "compute.disk", "provider": "aws"}]})
	s == {"d": "UNKNOWN"}
}

test_loc001_onprem_judged_by_country if {
	s := statuses("SAN-LOC-001", {"storage.bucket": [
		{"id": "nas-jp", "kind": "storage.bucket", "provider": "onprem", "country": "JP"},
		{"id": "nas-sg", "kind": "storage.bucket", "provider": "onprem", "country": "SG"},
		{"id": "nas-unread", "kind": "storage.bucket", "provider": "onprem"},
	]})
	s == {"nas-jp": "PASS", "nas-sg": "FAIL", "nas-unread": "UNKNOWN"}
}

test_loc001_no_medical_data_not_applicable if {
	s := statuses("SAN-LOC-001", {"storage.bucket": [{"id": "b", "kind": "storage.bucket", "provider": "aws", "region": "us-east-1", "country": "US", "holds_medical_data": false}]})
	s == {"b": "NOT_APPLICABLE"}
}

test_loc002_destinations if {
	s := statuses("SAN-LOC-002", {"storage.bucket": [
		{"id": "none", "kind": "storage.bucket", "provider": "aws", "destinations": []},
		{"id": "jp", "kind": "storage.bucket", "provider": "aws", "destinations": [{"relation": "replication", "region": "ap-northeast-3", "country": "JP"}]},
		{"id": "us", "kind": "storage.bucket", "provider": "aws", "destinations": [
			{"relation": "replication", "region": "ap-northeast-3", "country": "JP"},
			{"relation": "backup_copy", "region": "us-west-2", "country": "US"},
		]},
		{"id": "unread", "kind": "storage.bucket", "provider": "aws"},
		{"id": "dest-unread", "kind": "storage.bucket", "provider": "aws", "destinations": [{"relation": "read_replica", "target": "x"}]},
	]})
	s == {"none": "PASS", "jp": "PASS", "us": "FAIL", "unread": "UNKNOWN", "dest-unread": "UNKNOWN"}
}

test_loc002_fail_outranks_unknown_destination if {
	v := storage_location.verdicts with input as {"resources": {"backup.plan": [{"id": "p", "kind": "backup.plan", "provider": "aws", "destinations": [
		{"relation": "backup_copy"},
		{"relation": "backup_copy", "target": "vault-eu", "provider": "aws", "region": "eu-west-1", "country": "IE"},
	]}]}}
		with data.sansho.controls as controls
	[f.status | some f in v] == ["FAIL"]
	some f in v
	contains(f.en, "eu-west-1")
}

test_loc003_devices_and_sites if {
	s := statuses("SAN-LOC-003", {
		"site.facility": [
			{"id": "dc-tokyo", "kind": "site.facility", "provider": "onprem", "country": "JP"},
			{"id": "dc-us", "kind": "site.facility", "provider": "onprem", "country": "US"},
		],
		"device.host": [
			{"id": "srv", "kind": "device.host", "provider": "onprem", "country": "JP", "holds_medical_data": true},
			{"id": "printer", "kind": "device.host", "provider": "onprem", "country": "US", "holds_medical_data": false},
			{"id": "unknown-use", "kind": "device.host", "provider": "onprem", "country": "JP"},
			{"id": "unknown-place", "kind": "device.host", "provider": "onprem", "holds_medical_data": true},
		],
	})
	s == {
		"dc-tokyo": "PASS", "dc-us": "FAIL", "srv": "PASS", "printer": "NOT_APPLICABLE",
		"unknown-use": "UNKNOWN", "unknown-place": "UNKNOWN",
	}
}

test_loc005_storage_countries if {
	s := statuses("SAN-LOC-005", {"vendor.contract": [
		{"id": "jp", "kind": "vendor.contract", "provider": "vendor", "storage_countries": ["JP"]},
		{"id": "jp-us", "kind": "vendor.contract", "provider": "vendor", "storage_countries": ["JP", "US"]},
		{"id": "unread", "kind": "vendor.contract", "provider": "vendor"},
		{"id": "none-named", "kind": "vendor.contract", "provider": "vendor", "storage_countries": []},
		{"id": "none-named-medical", "kind": "vendor.contract", "provider": "vendor", "storage_countries": [], "holds_medical_data": true},
		{"id": "no-medical-data", "kind": "vendor.contract", "provider": "vendor", "storage_countries": [], "holds_medical_data": false},
	]})
	s == {
		"jp": "PASS", "jp-us": "FAIL", "unread": "UNKNOWN", "none-named": "FAIL", "none-named-medical": "FAIL",
		"no-medical-data": "NOT_APPLICABLE",
	}
}
