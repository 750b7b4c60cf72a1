# Access control (アクセス制御・認証): the root account, users, roles and device passwords.
# Date arithmetic (key age, maintenance-account expiry, break-glass use) lives in
# policies/rules/access_control.py.
package sansho.access_control

import data.sansho.lib
import rego.v1

# METADATA
# title: The root account is protected by multi-factor authentication
# custom:
#   control: SAN-IAM-001
verdicts contains root_mfa(r) if some r in lib.resources("SAN-IAM-001")

root_mfa(r) := lib.unknown("SAN-IAM-001", r, "root_mfa_enabled") if {
	lib.missing(r, "root_mfa_enabled")
} else := lib.fail(
	"SAN-IAM-001", r,
	"the root account has no multi-factor authentication",
	"ルートアカウントに多要素認証が設定されていません",
) if {
	r.root_mfa_enabled == false
} else := lib.pass(
	"SAN-IAM-001", r,
	"the root account has multi-factor authentication",
	"ルートアカウントに多要素認証が設定されています",
) if {
	r.root_mfa_enabled == true
}

# METADATA
# title: The root account has no access keys
# custom:
#   control: SAN-IAM-002
verdicts contains root_keys(r) if some r in lib.resources("SAN-IAM-002")

root_keys(r) := lib.unknown("SAN-IAM-002", r, "root_access_keys_present") if {
	lib.missing(r, "root_access_keys_present")
} else := lib.fail(
	"SAN-IAM-002", r,
	"the root account has access keys",
	"ルートアカウントにアクセスキーが存在します",
) if {
	r.root_access_keys_present == true
} else := lib.pass(
	"SAN-IAM-002", r,
	"the root account has no access keys",
	"ルートアカウントにアクセスキーはありません",
) if {
	r.root_access_keys_present == false
}

# METADATA
# title: Users with console access use multi-factor authentication
# custom:
#   control: SAN-IAM-003
verdicts contains console_mfa(r) if some r in lib.resources("SAN-IAM-003")

console_mfa(r) := lib.unknown("SAN-IAM-003", r, "console_access") if {
	lib.missing(r, "console_access")
} else := lib.not_applicable(
	"SAN-IAM-003", r,
	"the user has no console access",
	"このユーザはコンソールを利用できません",
) if {
	r.console_access == false
} else := lib.unknown("SAN-IAM-003", r, "mfa_enabled") if {
	lib.missing(r, "mfa_enabled")
} else := lib.fail(
	"SAN-IAM-003", r,
	"the user can sign in to the console without multi-factor authentication",
	"このユーザは多要素認証なしでコンソールにサインインできます",
) if {
	r.mfa_enabled == false
} else := lib.pass(
	"SAN-IAM-003", r,
	"the console user has multi-factor authentication",
	"コンソール利用者に多要素認証が設定されています",
) if {
	r.console_access == true
	r.mfa_enabled == true
}

# METADATA
# title: The password policy rules out easily guessed passwords
# custom:
#   control: SAN-IAM-004
verdicts contains password_policy(r) if some r in lib.resources("SAN-IAM-004")

class_ja := {
	"uppercase": "英大文字",
	"lowercase": "英小文字",
	"numbers": "数字",
	"symbols": "記号",
}

# The password-policy fields this control needs: the length and one flag per required class.
# Strings are joined with concat(), not sprintf("%s"), which rego-cpp renders with quotes.
pw_fields := array.concat(
	["min_length"],
	[concat("", ["require_", c]) | some c in lib.params("SAN-IAM-004").required_character_classes],
)

pw_unread(r) := [concat("", ["password_policy.", f]) |
	some f in pw_fields
	object.get(r.password_policy, f, null) == null
]

pw_too_short(r) := [{
	"en": sprintf("minimum length is %d, below %d", [n, want]),
	"ja": sprintf("最小文字数が %d で、%d 文字に足りません", [n, want]),
} |
	n := object.get(r.password_policy, "min_length", null)
	is_number(n)
	want := lib.params("SAN-IAM-004").min_password_length
	n < want
]

pw_class_off(r) := [{
	"en": concat("", [c, " characters are not required"]),
	"ja": concat("", [object.get(class_ja, c, c), "の使用が必須になっていません"]),
} |
	some c in lib.params("SAN-IAM-004").required_character_classes
	object.get(r.password_policy, concat("", ["require_", c]), null) == false
]

pw_problems(r) := array.concat(pw_too_short(r), pw_class_off(r))

password_policy(r) := lib.unknown("SAN-IAM-004", r, "password_policy") if {
	lib.missing(r, "password_policy")
} else := lib.fail(
	"SAN-IAM-004", r,
	concat("", ["the password policy is too weak: ", concat("; ", [p.en | some p in pw_problems(r)])]),
	concat("", ["パスワードポリシーが不十分です: ", concat("、", [p.ja | some p in pw_problems(r)])]),
) if {
	count(pw_problems(r)) > 0
} else := lib.unknown("SAN-IAM-004", r, concat(", ", pw_unread(r))) if {
	count(pw_unread(r)) > 0
} else := lib.pass(
	"SAN-IAM-004", r,
	concat("", [
		sprintf("the password policy requires at least %d characters and ", [r.password_policy.min_length]),
		concat(", ", lib.params("SAN-IAM-004").required_character_classes),
	]),
	sprintf("パスワードポリシーは %d 文字以上と必要な文字種の混在を求めています", [r.password_policy.min_length]),
)

# METADATA
# title: No role grants every action on every resource
# custom:
#   control: SAN-IAM-006
verdicts contains full_admin_role(r) if some r in lib.resources("SAN-IAM-006")

full_admin_role(r) := lib.not_applicable(
	"SAN-IAM-006", r,
	"break-glass role: its full rights are governed by the emergency-account procedures",
	"非常時用のロールです。全権限は非常時のユーザアカウントの手順で管理します",
) if {
	r.purpose == "break_glass"
} else := lib.unknown("SAN-IAM-006", r, "full_admin") if {
	lib.missing(r, "full_admin")
} else := lib.pass(
	"SAN-IAM-006", r,
	"the role does not grant every action on every resource",
	"このロールは全リソースへの全操作を許可していません",
) if {
	r.full_admin == false
} else := lib.unknown("SAN-IAM-006", r, "purpose") if {
	lib.missing(r, "purpose")
} else := lib.fail(
	"SAN-IAM-006", r,
	"the role grants every action on every resource (*:*)",
	"このロールは全リソースへの全操作(*:*)を許可しています",
) if {
	r.full_admin == true
}

# METADATA
# title: No user or group holds full administrative rights, except break-glass accounts
# custom:
#   control: SAN-IAM-011
verdicts contains admin_principal(r) if some r in lib.resources("SAN-IAM-011")

# Principals named as break-glass in sansho.yaml (IDs or names): Azure and Google principals carry no tags.
iam011_break_glass := {p | some p in lib.params("SAN-IAM-011").break_glass_principals}

iam011_named_break_glass(r) if r.id in iam011_break_glass

iam011_named_break_glass(r) if object.get(r, "name", null) in iam011_break_glass

# What grants the rights, for the message ("" when the reader recorded nothing).
iam011_grants(r) := concat(", ", r.admin_grants) if {
	count(object.get(r, "admin_grants", [])) > 0
} else := "not recorded"

admin_principal(r) := lib.not_applicable(
	"SAN-IAM-011", r,
	"break-glass account: governed by the emergency-account procedures (SAN-IAM-008)",
	"非常時用アカウントです。非常時のユーザアカウントの手順(SAN-IAM-008)で管理します",
) if {
	r.purpose == "break_glass"
} else := lib.not_applicable(
	"SAN-IAM-011", r,
	"named in break_glass_principals: governed by the emergency-account procedures (SAN-IAM-008)",
	"break_glass_principals に挙げられた非常時用アカウントです。非常時のユーザアカウントの手順で管理します",
) if {
	iam011_named_break_glass(r)
} else := lib.unknown("SAN-IAM-011", r, "admin_rights") if {
	lib.missing(r, "admin_rights")
} else := lib.pass(
	"SAN-IAM-011", r,
	"no full administrative rights: rights are limited to what was granted",
	"管理者権限(全権限)は付与されていません",
) if {
	r.admin_rights == false
} else := lib.unknown("SAN-IAM-011", r, "purpose") if {
	lib.missing(r, "purpose")
} else := lib.fail(
	"SAN-IAM-011", r,
	concat("", [
		"holds full administrative rights, against least privilege (granted by: ", iam011_grants(r), ")",
	]),
	concat("", ["管理者権限(全権限)を保持しており、最小権限の原則に反します(付与元: ", iam011_grants(r), ")"]),
) if {
	r.admin_rights == true
}

# METADATA
# title: Factory-default passwords on devices have been changed
# custom:
#   control: SAN-IAM-009
verdicts contains default_password(r) if some r in lib.resources("SAN-IAM-009")

default_password(r) := lib.unknown("SAN-IAM-009", r, "default_password_changed") if {
	lib.missing(r, "default_password_changed")
} else := lib.fail(
	"SAN-IAM-009", r,
	"the device still uses its factory-default password",
	"情報機器が出荷時のパスワードのまま使用されています",
) if {
	r.default_password_changed == false
} else := lib.pass(
	"SAN-IAM-009", r,
	"the factory-default password has been changed",
	"出荷時のパスワードは変更されています",
) if {
	r.default_password_changed == true
}

# METADATA
# title: Accounts are individual, not shared
# custom:
#   control: SAN-IAM-010
verdicts contains individual_account(r) if some r in lib.resources("SAN-IAM-010")

individual_account(r) := lib.not_applicable(
	"SAN-IAM-010", r,
	"break-glass account: governed by the emergency-account procedures (SAN-IAM-008)",
	"非常時のユーザアカウントです。非常時の手順(SAN-IAM-008)で管理します",
) if {
	r.purpose == "break_glass"
} else := lib.unknown("SAN-IAM-010", r, "shared") if {
	lib.missing(r, "shared")
} else := lib.pass(
	"SAN-IAM-010", r,
	"the account belongs to one person",
	"このアカウントは個人専用です",
) if {
	r.shared == false
} else := lib.unknown("SAN-IAM-010", r, "purpose") if {
	lib.missing(r, "purpose")
} else := lib.fail(
	"SAN-IAM-010", r,
	"the account is shared by several people",
	"このアカウントは複数人で共用されています",
) if {
	r.shared == true
}
