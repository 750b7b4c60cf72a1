package sansho.vendor_test

import data.sansho.vendor
import rego.v1

controls := {
	"SAN-VEN-003": {"applies_to": ["vendor.contract"], "params": {"required_clauses": [
		"no_analysis_without_permission", "analysis_for_legitimate_purpose_only", "anonymised_data_handling",
		"patient_access_scope", "disclosure_on_consent_only",
	]}},
	"SAN-VEN-004": {"applies_to": ["vendor.contract"], "params": {"required_clauses": ["periodic_reporting", "management_approval_of_reports"]}},
	"SAN-VEN-005": {"applies_to": ["vendor.contract"], "params": {"required_clauses": ["data_return_at_termination"]}},
	"SAN-VEN-006": {"applies_to": ["vendor.contract"], "params": {}},
	"SAN-VEN-007": {"applies_to": ["vendor.contract"], "params": {}},
	"SAN-VEN-008": {"applies_to": ["vendor.contract"], "params": {"required_clauses": ["patient_notice"]}},
	"SAN-VEN-011": {"applies_to": ["vendor.contract"], "params": {"required_clauses": ["confidentiality"]}},
	"SAN-VEN-012": {"applies_to": ["vendor.contract"], "params": {"required_clauses": ["no_access_to_stored_records", "fault_access_notice"]}},
	"SAN-VEN-013": {"applies_to": ["vendor.contract"], "params": {"required_clauses": ["complaint_desk"]}},
}

statuses(control, contracts) := {v.id: v.status |
	some v in vendor.verdicts with input as {"resources": {"vendor.contract": contracts}}
		with data.sansho.controls as controls
	v.control == control
}

contract(id, extra) := object.union({"id": id, "kind": "vendor.contract", "provider": "vendor"}, extra)

all_seven := {
	"no_analysis_without_permission": true, "analysis_for_legitimate_purpose_only": true,
	"anonymised_data_handling": true, "patient_access_scope": true, "disclosure_on_consent_only": true,
}

test_ven003_clauses if {
	s := statuses("SAN-VEN-003", [
		contract("full", {"clauses": all_seven}),
		contract("missing", {"clauses": object.union(all_seven, {"disclosure_on_consent_only": false})}),
		contract("partly-read", {"clauses": object.remove(all_seven, ["patient_access_scope"])}),
		contract("false-beats-unread", {"clauses": {"no_analysis_without_permission": false}}),
		contract("unread", {}),
	])
	s == {"full": "PASS", "missing": "FAIL", "partly-read": "UNKNOWN", "false-beats-unread": "FAIL", "unread": "UNKNOWN"}
}

test_ven003_fail_names_the_clause if {
	v := vendor.verdicts with input as {"resources": {"vendor.contract": [contract("c", {"clauses": object.union(all_seven, {"patient_access_scope": false})})]}}
		with data.sansho.controls as controls
	some f in v
	f.control == "SAN-VEN-003"
	f.status == "FAIL"
	contains(f.en, "patient_access_scope")
	contains(f.ja, "閲覧範囲")
}

test_ven004_ven005_ven008 if {
	c := [
		contract("good", {"clauses": {
			"periodic_reporting": true, "management_approval_of_reports": true,
			"data_return_at_termination": true, "patient_notice": true,
		}}),
		contract("bad", {"clauses": {
			"periodic_reporting": true, "management_approval_of_reports": false,
			"data_return_at_termination": false, "patient_notice": false,
		}}),
		contract("empty", {"clauses": {}}),
	]
	statuses("SAN-VEN-004", c) == {"good": "PASS", "bad": "FAIL", "empty": "UNKNOWN"}
	statuses("SAN-VEN-005", c) == {"good": "PASS", "bad": "FAIL", "empty": "UNKNOWN"}
	statuses("SAN-VEN-008", c) == {"good": "PASS", "bad": "FAIL", "empty": "UNKNOWN"}
}

test_ven006_responsibility if {
	s := statuses("SAN-VEN-006", [
		contract("yes", {"responsibility_agreed": true}),
		contract("no", {"responsibility_agreed": false}),
		contract("unread", {}),
	])
	s == {"yes": "PASS", "no": "FAIL", "unread": "UNKNOWN"}
}

test_ven007_subcontractors if {
	s := statuses("SAN-VEN-007", [
		contract("none", {"subcontractors": []}),
		contract("ok", {"subcontractors": [{"name": "dc-ops", "reports_to_contractor": true}]}),
		contract("silent", {"subcontractors": [{"name": "dc-ops", "reports_to_contractor": true}, {"name": "tape-co", "reports_to_contractor": false}]}),
		contract("unread-sub", {"subcontractors": [{"name": "tape-co"}]}),
		contract("unread", {}),
	])
	s == {"none": "PASS", "ok": "PASS", "silent": "FAIL", "unread-sub": "UNKNOWN", "unread": "UNKNOWN"}
}

# --- SAN-VEN-011..013: confidentiality, no access to stored records, complaints desk --------

test_ven011_to_013_clauses if {
	good := {"confidentiality": true, "no_access_to_stored_records": true, "fault_access_notice": true, "complaint_desk": true}
	c := [
		contract("good", {"clauses": good}),
		contract("bad", {"clauses": {"confidentiality": false, "no_access_to_stored_records": true, "fault_access_notice": false, "complaint_desk": false}}),
		contract("empty", {"clauses": {}}),
	]
	statuses("SAN-VEN-011", c) == {"good": "PASS", "bad": "FAIL", "empty": "UNKNOWN"}
	statuses("SAN-VEN-012", c) == {"good": "PASS", "bad": "FAIL", "empty": "UNKNOWN"}
	statuses("SAN-VEN-013", c) == {"good": "PASS", "bad": "FAIL", "empty": "UNKNOWN"}
}

test_ven012_names_the_missing_clause if {
	c := controls
	v := vendor.clause_verdict("SAN-VEN-012", contract("x", {"clauses": {"no_access_to_stored_records": true, "fault_access_notice": false}})) with data.sansho.controls as c
	v.status == "FAIL"
	v.ja == "契約に次の内容が含まれていません: 障害対応時のアクセスの通知(fault_access_notice)"
}
