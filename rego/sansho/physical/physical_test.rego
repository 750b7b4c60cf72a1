package sansho.physical_test

import data.sansho.physical
import rego.v1

controls := {
	"SAN-PHY-001": {"applies_to": ["site.facility"], "params": {"accepted_identification": ["ic_card", "biometric", "staffed_desk"]}},
	"SAN-PHY-002": {"applies_to": ["site.facility"], "params": {}},
	"SAN-PHY-003": {"applies_to": ["site.facility"], "params": {}},
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
