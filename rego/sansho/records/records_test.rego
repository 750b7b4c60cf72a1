package sansho.records_test

import data.sansho.records
import rego.v1

controls := {
	"SAN-REC-001": {"applies_to": ["storage.bucket"], "params": {"records_tag_key": "sansho-records", "records_tag_value": "finalised"}},
	"SAN-REC-002": {"applies_to": ["device.host"], "params": {"untrusted_sources": ["none", "disabled", "off", "local", "localhost", "127.0.0.1", "::1"]}},
}

statuses(control, res) := {v.id: v.status |
	some v in records.verdicts with input as {"resources": res}
		with data.sansho.controls as controls
	v.control == control
}

bucket(id, extra) := object.union({"id": id, "kind": "storage.bucket", "provider": "aws", "tags": {}}, extra)

test_rec001_finalised_records_buckets if {
	s := statuses("SAN-REC-001", {"storage.bucket": [
		bucket("worm", {"tags": {"sansho-records": "finalised"}, "immutable": true, "immutability_mode": "compliance"}),
		bucket("governance", {"tags": {"sansho-records": "finalised"}, "immutable": true, "immutability_mode": "governance"}),
		bucket("unlocked", {"tags": {"sansho-records": "finalised"}, "immutable": true, "immutability_mode": "unlocked"}),
		bucket("mode-unread", {"tags": {"sansho-records": "finalised"}, "immutable": true}),
		bucket("rewritable", {"tags": {"Sansho-Records": "Finalised"}, "immutable": false}),
		bucket("unread", {"tags": {"sansho-records": "finalised"}}),
		bucket("drafts", {"tags": {"sansho-records": "draft"}, "immutable": false}),
		bucket("untagged", {"immutable": false}),
		bucket("untagged-medical", {"immutable": false, "holds_medical_data": true}),
		bucket("untagged-no-medical", {"immutable": false, "holds_medical_data": false}),
		bucket("untagged-worm", {"immutable": true, "immutability_mode": "compliance"}),
		bucket("untagged-governance", {"immutable": true, "immutability_mode": "governance"}),
	]})
	s == {"worm": "PASS", "governance": "FAIL", "unlocked": "FAIL", "mode-unread": "UNKNOWN", "rewritable": "FAIL", "unread": "UNKNOWN", "drafts": "NOT_APPLICABLE",
		"untagged": "UNKNOWN", "untagged-medical": "UNKNOWN", "untagged-no-medical": "NOT_APPLICABLE",
		"untagged-worm": "PASS", "untagged-governance": "UNKNOWN",
	}
}

test_rec002_time_source if {
	s := statuses("SAN-REC-002", {"device.host": [
		{"id": "ntp", "kind": "device.host", "provider": "onprem", "ntp_source": "ntp.nict.jp"},
		{"id": "none", "kind": "device.host", "provider": "onprem", "ntp_source": "None"},
		{"id": "empty", "kind": "device.host", "provider": "onprem", "ntp_source": ""},
		{"id": "unread", "kind": "device.host", "provider": "onprem"},
	]})
	s == {"ntp": "PASS", "none": "FAIL", "empty": "FAIL", "unread": "UNKNOWN"}
}

test_rec001_governance_message_says_a_privileged_user_can_lift_it if {
	some v in records.verdicts with input as {"resources": {"storage.bucket": [bucket("g", {"tags": {"sansho-records": "finalised"}, "immutable": true, "immutability_mode": "governance"})]}}
		with data.sansho.controls as controls
	v.status == "FAIL"
	contains(v.en, "governance mode, which a privileged user can lift")
	contains(v.ja, "書換え・削除不能とはいえません")
}
