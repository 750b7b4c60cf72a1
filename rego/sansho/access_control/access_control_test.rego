package sansho.access_control_test

import data.sansho.access_control
import rego.v1

controls := {
	"SAN-IAM-001": {"applies_to": ["account.settings"], "params": {}},
	"SAN-IAM-002": {"applies_to": ["account.settings"], "params": {}},
	"SAN-IAM-003": {"applies_to": ["identity.user"], "params": {}},
	"SAN-IAM-004": {"applies_to": ["account.settings"], "params": {
		"long_min_length": 13,
		"short_min_length": 8,
		"max_age_days": 60,
		"required_character_classes": ["uppercase", "lowercase", "numbers", "symbols"],
	}},
	"SAN-IAM-006": {"applies_to": ["identity.role"], "params": {}},
	"SAN-IAM-009": {"applies_to": ["device.host"], "params": {}},
	"SAN-IAM-010": {"applies_to": ["identity.user"], "params": {}},
	"SAN-IAM-014": {"applies_to": ["account.settings"], "params": {"min_remembered_passwords": 5}},
}

# The statuses one control gives one resource.
statuses(control, kind, r) := {v.status |
	some v in access_control.verdicts with input as {"resources": {kind: [r]}}
		with data.sansho.controls as controls
	v.control == control
}

strong := {
	"min_length": 13, "require_uppercase": true, "require_lowercase": true,
	"require_numbers": true, "require_symbols": true,
}

test_root_without_mfa_fails if {
	statuses("SAN-IAM-001", "account.settings", {"id": "a", "kind": "account.settings", "root_mfa_enabled": false}) == {"FAIL"}
}

test_root_with_mfa_passes if {
	statuses("SAN-IAM-001", "account.settings", {"id": "a", "kind": "account.settings", "root_mfa_enabled": true}) == {"PASS"}
}

test_root_mfa_unread_is_unknown if {
	statuses("SAN-IAM-001", "account.settings", {"id": "a", "kind": "account.settings"}) == {"UNKNOWN"}
}

test_root_access_keys_fail if {
	statuses("SAN-IAM-002", "account.settings", {"id": "a", "kind": "account.settings", "root_access_keys_present": true}) == {"FAIL"}
}

test_root_keys_unread_is_unknown if {
	statuses("SAN-IAM-002", "account.settings", {"id": "a", "kind": "account.settings", "root_access_keys_present": null}) == {"UNKNOWN"}
}

test_console_user_without_mfa_fails if {
	statuses("SAN-IAM-003", "identity.user", {"id": "u", "kind": "identity.user", "console_access": true, "mfa_enabled": false}) == {"FAIL"}
}

test_programmatic_user_not_applicable if {
	statuses("SAN-IAM-003", "identity.user", {"id": "u", "kind": "identity.user", "console_access": false, "mfa_enabled": false}) == {"NOT_APPLICABLE"}
}

test_console_unread_is_unknown if {
	statuses("SAN-IAM-003", "identity.user", {"id": "u", "kind": "identity.user", "mfa_enabled": true}) == {"UNKNOWN"}
}

test_console_user_mfa_unread_is_unknown if {
	statuses("SAN-IAM-003", "identity.user", {"id": "u", "kind": "identity.user", "console_access": true}) == {"UNKNOWN"}
}

test_strong_password_policy_passes if {
	statuses("SAN-IAM-004", "account.settings", {"id": "a", "kind": "account.settings", "password_policy": strong}) == {"PASS"}
}

test_short_password_fails if {
	p := object.union(strong, {"min_length": 6})
	statuses("SAN-IAM-004", "account.settings", {"id": "a", "kind": "account.settings", "password_policy": p}) == {"FAIL"}
}

test_missing_symbol_class_fails_even_with_unread_field if {
	p := object.remove(object.union(strong, {"require_symbols": false}), ["require_numbers"])
	statuses("SAN-IAM-004", "account.settings", {"id": "a", "kind": "account.settings", "password_policy": p}) == {"FAIL"}
}

test_password_policy_unread_is_unknown if {
	statuses("SAN-IAM-004", "account.settings", {"id": "a", "kind": "account.settings"}) == {"UNKNOWN"}
}

test_password_subfield_unread_is_unknown if {
	p := object.remove(strong, ["require_uppercase"])
	statuses("SAN-IAM-004", "account.settings", {"id": "a", "kind": "account.settings", "password_policy": p}) == {"UNKNOWN"}
}

# 6.0 Q&A シQ-54: a. 13 characters; b. 8 and changed within 60 days; c. 8 and two-factor for every user.
iam004(p, extra) := object.union({"id": "a", "kind": "account.settings", "password_policy": object.union(strong, p)}, extra)

test_eight_characters_alone_fail if {
	statuses("SAN-IAM-004", "account.settings", iam004({"min_length": 8, "max_age_days": "never"}, {"password_users_without_mfa": ["alice"]})) == {"FAIL"}
}

test_eight_characters_changed_within_60_days_pass if {
	statuses("SAN-IAM-004", "account.settings", iam004({"min_length": 8, "max_age_days": 60}, {"password_users_without_mfa": ["alice"]})) == {"PASS"}
}

test_eight_characters_changed_every_90_days_fail if {
	statuses("SAN-IAM-004", "account.settings", iam004({"min_length": 8, "max_age_days": 90}, {"password_users_without_mfa": ["alice"]})) == {"FAIL"}
}

test_eight_characters_with_two_factor_for_everyone_pass if {
	statuses("SAN-IAM-004", "account.settings", iam004({"min_length": 8, "max_age_days": "never"}, {"password_users_without_mfa": []})) == {"PASS"}
}

test_twelve_characters_two_factor_unread_is_unknown if {
	statuses("SAN-IAM-004", "account.settings", iam004({"min_length": 12, "max_age_days": "never"}, {})) == {"UNKNOWN"}
}

test_twelve_characters_expiry_unread_is_unknown if {
	statuses("SAN-IAM-004", "account.settings", iam004({"min_length": 12}, {"password_users_without_mfa": ["alice"]})) == {"UNKNOWN"}
}

test_thirteen_characters_need_nothing_else if {
	statuses("SAN-IAM-004", "account.settings", iam004({"min_length": 13}, {})) == {"PASS"}
}

test_unmet_conditions_are_named if {
	some v in access_control.verdicts with input as {"resources": {"account.settings": [iam004({"min_length": 8, "max_age_days": 90}, {"password_users_without_mfa": ["alice", "bob"]})]}}
		with data.sansho.controls as controls
	v.control == "SAN-IAM-004"
	contains(v.en, "(a) at least 13 characters: the minimum is 8")
	contains(v.en, "passwords expire after 90 days")
	contains(v.en, "alice, bob sign in with a password and no second factor")
	contains(v.ja, "二要素認証")
}

test_fail_message_lists_every_problem if {
	p := object.union(strong, {"min_length": 6, "require_symbols": false})
	some v in access_control.verdicts with input as {"resources": {"account.settings": [{"id": "a", "kind": "account.settings", "password_policy": p}]}}
		with data.sansho.controls as controls
	v.control == "SAN-IAM-004"
	contains(v.en, "below 8")
	contains(v.en, "symbols")
}

test_full_admin_role_fails if {
	statuses("SAN-IAM-006", "identity.role", {"id": "r", "kind": "identity.role", "full_admin": true, "purpose": "user"}) == {"FAIL"}
}

test_break_glass_role_not_applicable if {
	statuses("SAN-IAM-006", "identity.role", {"id": "r", "kind": "identity.role", "full_admin": true, "purpose": "break_glass"}) == {"NOT_APPLICABLE"}
}

test_full_admin_with_unread_purpose_is_unknown if {
	statuses("SAN-IAM-006", "identity.role", {"id": "r", "kind": "identity.role", "full_admin": true}) == {"UNKNOWN"}
}

test_limited_role_with_unread_purpose_passes if {
	statuses("SAN-IAM-006", "identity.role", {"id": "r", "kind": "identity.role", "full_admin": false}) == {"PASS"}
}

test_full_admin_unread_is_unknown if {
	statuses("SAN-IAM-006", "identity.role", {"id": "r", "kind": "identity.role", "purpose": "user"}) == {"UNKNOWN"}
}

test_default_password_fails if {
	statuses("SAN-IAM-009", "device.host", {"id": "d", "kind": "device.host", "default_password_changed": false}) == {"FAIL"}
}

test_default_password_unread_is_unknown if {
	statuses("SAN-IAM-009", "device.host", {"id": "d", "kind": "device.host"}) == {"UNKNOWN"}
}

test_shared_account_fails if {
	statuses("SAN-IAM-010", "identity.user", {"id": "u", "kind": "identity.user", "shared": true, "purpose": "user"}) == {"FAIL"}
}

test_shared_break_glass_not_applicable if {
	statuses("SAN-IAM-010", "identity.user", {"id": "u", "kind": "identity.user", "shared": true, "purpose": "break_glass"}) == {"NOT_APPLICABLE"}
}

test_shared_unread_is_unknown if {
	statuses("SAN-IAM-010", "identity.user", {"id": "u", "kind": "identity.user", "purpose": "user"}) == {"UNKNOWN"}
}

test_shared_with_unread_purpose_is_unknown if {
	statuses("SAN-IAM-010", "identity.user", {"id": "u", "kind": "identity.user", "shared": true}) == {"UNKNOWN"}
}

test_individual_account_passes if {
	statuses("SAN-IAM-010", "identity.user", {"id": "u", "kind": "identity.user", "shared": false}) == {"PASS"}
}

# SAN-IAM-011: users and groups with full administrative rights.
iam011_controls := {"SAN-IAM-011": {
	"applies_to": ["identity.user", "identity.group"],
	"params": {"break_glass_principals": ["user:bg@hospital.example", "8f1c0d2e-0000-4000-8000-0000000000a1"]},
}}

test_admin_user_fails_naming_the_grant if {
	c := iam011_controls
	v := access_control.admin_principal({
		"id": "u", "kind": "identity.user", "purpose": "user", "admin_rights": true,
		"admin_grants": ["inline policy all (Allow * on *)", "group ops: AdministratorAccess"],
	}) with data.sansho.controls as c
	v.status == "FAIL"
	contains(v.en, "inline policy all (Allow * on *), group ops: AdministratorAccess")
	contains(v.ja, "管理者権限")
}

test_admin_group_fails if {
	c := iam011_controls
	v := access_control.admin_principal({"id": "g", "kind": "identity.group", "purpose": "user", "admin_rights": true})
		with data.sansho.controls as c
	v.status == "FAIL"
	contains(v.en, "not recorded")
}

test_break_glass_admin_not_applicable if {
	c := iam011_controls
	v := access_control.admin_principal({"id": "u", "kind": "identity.user", "purpose": "break_glass", "admin_rights": true})
		with data.sansho.controls as c
	v.status == "NOT_APPLICABLE"
}

test_principal_named_break_glass_by_id_or_name_not_applicable if {
	c := iam011_controls
	by_id := access_control.admin_principal({"id": "user:bg@hospital.example", "kind": "identity.user", "purpose": "user", "admin_rights": true})
		with data.sansho.controls as c
	by_name := access_control.admin_principal({
		"id": "/x", "name": "8f1c0d2e-0000-4000-8000-0000000000a1", "kind": "identity.group",
		"purpose": "user", "admin_rights": true,
	}) with data.sansho.controls as c
	by_id.status == "NOT_APPLICABLE"
	by_name.status == "NOT_APPLICABLE"
}

test_admin_rights_unread_is_unknown if {
	c := iam011_controls
	v := access_control.admin_principal({"id": "u", "kind": "identity.user", "purpose": "user"}) with data.sansho.controls as c
	v.status == "UNKNOWN"
}

test_admin_with_unread_purpose_is_unknown if {
	c := iam011_controls
	v := access_control.admin_principal({"id": "g", "kind": "identity.group", "admin_rights": true}) with data.sansho.controls as c
	v.status == "UNKNOWN"
}

test_no_admin_rights_passes if {
	c := iam011_controls
	v := access_control.admin_principal({"id": "u", "kind": "identity.user", "admin_rights": false}) with data.sansho.controls as c
	v.status == "PASS"
}

# --- SAN-IAM-003 with recorded sign-in factors (二要素認証) -----------------------------------

user(fields) := object.union({"id": "u", "kind": "identity.user", "console_access": true}, fields)

test_iam003_two_kinds_of_factor_pass if {
	access_control.console_mfa(user({"auth_factors": ["password", "ic_card"]})).status == "PASS"
	access_control.console_mfa(user({"auth_factors": ["pin", "biometric"]})).status == "PASS"
}

test_iam003_two_steps_of_one_kind_fail_with_the_deadline if {
	v := access_control.console_mfa(user({"mfa_enabled": true, "auth_factors": ["password", "pin"]}))
	v.status == "FAIL"
	contains(v.en, "password + pin")
	contains(v.ja, "令和9年度時点で稼働していることが想定される医療情報システム")
	contains(v.ja, "SAN-IAM-012")
}

test_iam003_no_factors_fail if {
	v := access_control.console_mfa(user({"auth_factors": []}))
	v.status == "FAIL"
	contains(v.en, "signs in with nothing")
}

test_iam003_without_mfa_shows_the_deadline if {
	v := access_control.console_mfa(user({"mfa_enabled": false}))
	v.status == "FAIL"
	contains(v.en, "令和9年度 (FY2027)")
}

# --- SAN-IAM-014 ---------------------------------------------------------------------------

test_iam014_password_history if {
	c := controls
	ok := access_control.password_history({"id": "a", "kind": "account.settings", "password_policy": {"reuse_prevention": 24}}) with data.sansho.controls as c
	ok.status == "PASS"
	few := access_control.password_history({"id": "a", "kind": "account.settings", "password_policy": {"reuse_prevention": 4}}) with data.sansho.controls as c
	few.status == "FAIL"
	few.en == "the password policy remembers 4 previous passwords, fewer than 5, so a user can go back to an earlier password"
	unread := access_control.password_history({"id": "a", "kind": "account.settings", "password_policy": {"min_length": 14}}) with data.sansho.controls as c
	unread.status == "UNKNOWN"
	unread.en == "password_policy.reuse_prevention was not read, so compliance cannot be judged"
	none := access_control.password_history({"id": "a", "kind": "account.settings"}) with data.sansho.controls as c
	none.status == "UNKNOWN"
}
