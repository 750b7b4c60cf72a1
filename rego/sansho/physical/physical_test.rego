package sansho.physical_test

import data.sansho.physical
import rego.v1

controls := {
	"SAN-PHY-001": {"applies_to": ["site.facility"], "params": {"accepted_identification": ["ic_card", "biometric", "staffed_desk"]}},
	"SAN-PHY-002": {"applies_to": ["site.facility"], "params": {}},
	"SAN-PHY-003": {"applies_to": ["site.facility"], "params": {}},
	"SAN-PHY-006": {"applies_to": ["device.host"], "params": {"device_types": ["server", "workstation", "laptop"]}},
}

statuses(control, r) := {v.status |
	some v in physical.verdicts with input as {"resources": {"site.facility": [r]}}
		with data.sansho.controls as controls
	v.control == control
}

site(fields) := object.union({"id": "s", "kind": "site.facility"}, fields)

test_ic_card_logged_passes if {
	statuses("SAN-PHY-001", site({"entry_control": {"identification": "ic_card", "logged": true}})) == {"PASS"}
}

test_no_identification_fails if {
	statuses("SAN-PHY-001", site({"entry_control": {"identification": "none", "logged": true}})) == {"FAIL"}
}

test_plain_key_fails_by_default if {
	statuses("SAN-PHY-001", site({"entry_control": {"identification": "key", "logged": true}})) == {"FAIL"}
}

test_key_accepted_when_configured if {
	v := {x.status |
		some x in physical.verdicts with input as {"resources": {"site.facility": [site({"entry_control": {"identification": "key", "logged": true}})]}}
			with data.sansho.controls as object.union(controls, {"SAN-PHY-001": {"applies_to": ["site.facility"], "params": {"accepted_identification": ["key"]}}})
		x.control == "SAN-PHY-001"
	}
	v == {"PASS"}
}

test_unlogged_entry_fails_even_if_identification_unread if {
	statuses("SAN-PHY-001", site({"entry_control": {"logged": false}})) == {"FAIL"}
}

test_entry_control_unread_is_unknown if {
	statuses("SAN-PHY-001", site({})) == {"UNKNOWN"}
}

test_entry_logging_unread_is_unknown if {
	statuses("SAN-PHY-001", site({"entry_control": {"identification": "biometric"}})) == {"UNKNOWN"}
}

test_no_cameras_fails if {
	statuses("SAN-PHY-002", site({"cameras": false})) == {"FAIL"}
}

test_cameras_unread_is_unknown if {
	statuses("SAN-PHY-002", site({})) == {"UNKNOWN"}
}

test_no_seismic_structure_fails if {
	statuses("SAN-PHY-003", site({"disaster_resilience": "none"})) == {"FAIL"}
}

test_seismic_isolation_passes if {
	statuses("SAN-PHY-003", site({"disaster_resilience": "seismic_isolated"})) == {"PASS"}
}

test_resilience_unread_is_unknown if {
	statuses("SAN-PHY-003", site({})) == {"UNKNOWN"}
}

# --- SAN-PHY-006 ---------------------------------------------------------------------------

device(fields) := object.union({"id": "d", "kind": "device.host"}, fields)

test_phy006_usb_storage if {
	c := controls
	physical.usb_restricted(device({"device_type": "workstation", "usb_storage_restricted": true})).status == "PASS" with data.sansho.controls as c
	v := physical.usb_restricted(device({"device_type": "laptop", "usb_storage_restricted": false})) with data.sansho.controls as c
	v.status == "FAIL"
	v.ja == "USB ストレージ等の外部記録媒体の接続が制限されていません"
	physical.usb_restricted(device({"device_type": "network", "usb_storage_restricted": false})).status == "NOT_APPLICABLE" with data.sansho.controls as c
	physical.usb_restricted(device({"device_type": "laptop", "holds_medical_data": false, "usb_storage_restricted": false})).status == "NOT_APPLICABLE" with data.sansho.controls as c
	physical.usb_restricted(device({"device_type": "server"})).status == "UNKNOWN" with data.sansho.controls as c
	physical.usb_restricted(device({"usb_storage_restricted": true})).status == "UNKNOWN" with data.sansho.controls as c
}
