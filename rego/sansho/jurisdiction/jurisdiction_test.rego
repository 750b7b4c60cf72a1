package sansho.jurisdiction_test

import data.sansho.jurisdiction
import rego.v1

controls := {
	"SAN-JUR-001": {"applies_to": ["vendor.contract"], "params": {"allowed_governing_law": ["JP"]}},
	"SAN-JUR-002": {"applies_to": ["vendor.contract"], "params": {"allowed_court_countries": ["JP"]}},
	"SAN-JUR-003": {"applies_to": ["vendor.contract"], "params": {}},
}

statuses(control, contracts) := {v.id: v.status |
	some v in jurisdiction.verdicts with input as {"resources": {"vendor.contract": contracts}}
		with data.sansho.controls as controls
	v.control == control
}

contract(id, extra) := object.union({"id": id, "kind": "vendor.contract", "provider": "vendor"}, extra)

test_jur001_governing_law if {
	s := statuses("SAN-JUR-001", [
		contract("jp", {"governing_law": "jp"}),
		contract("us", {"governing_law": "US"}),
		contract("unread", {}),
	])
	s == {"jp": "PASS", "us": "FAIL", "unread": "UNKNOWN"}
}

test_jur001_message_names_the_law if {
	v := jurisdiction.verdicts with input as {"resources": {"vendor.contract": [contract("us", {"governing_law": "US"})]}}
		with data.sansho.controls as controls
	some f in v
	f.control == "SAN-JUR-001"
	contains(f.en, "US")
	contains(f.ja, "US")
}

test_jur002_court_country if {
	s := statuses("SAN-JUR-002", [
		contract("jp", {"court_country": "JP"}),
		contract("ie", {"court_country": "IE"}),
		contract("unread", {"court_country": null}),
	])
	s == {"jp": "PASS", "ie": "FAIL", "unread": "UNKNOWN"}
}

test_jur003_foreign_law_assessment if {
	s := statuses("SAN-JUR-003", [
		contract("not-exposed", {"foreign_law": {"exposed": false}}),
		contract("decided", {"foreign_law": {"exposed": true, "decision": "customer-managed keys"}}),
		contract("undecided", {"foreign_law": {"exposed": true, "decision": " "}}),
		contract("no-assessment", {}),
		contract("exposure-unread", {"foreign_law": {"decision": "accept"}}),
		contract("decision-unread", {"foreign_law": {"exposed": true}}),
	])
	s == {
		"not-exposed": "PASS", "decided": "PASS", "undecided": "FAIL",
		"no-assessment": "UNKNOWN", "exposure-unread": "UNKNOWN", "decision-unread": "UNKNOWN",
	}
}
