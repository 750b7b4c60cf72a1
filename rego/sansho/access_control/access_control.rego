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

# システム運用編 14: the deadline the guideline sets for two factors, shown with every failure.
iam003_deadline_en := concat("", [
	"; システム運用編 14: a system expected to be running in 令和9年度 (FY2027) must adopt two-factor ",
	"authentication, or an equivalent measure (attest it under SAN-IAM-012), when it is introduced or renewed",
])

iam003_deadline_ja := concat("", [
	"。令和9年度時点で稼働していることが想定される医療情報システムは、新規導入又は更新に際して二要素認証",
	"(又はこれに相当する対応。SAN-IAM-012 で表明)を採用すること(システム運用編 14)",
])

# The kind of each sign-in factor: two factors of one kind (a password and a PIN) are two steps,
# not two factors (二段階認証 is not 二要素認証).
auth_factor_kind := {
	"password": "knowledge", "pin": "knowledge",
	"ic_card": "possession", "security_key": "possession", "otp_token": "possession",
	"otp_app": "possession", "sms": "possession", "push": "possession", "certificate": "possession",
	"biometric": "inherence",
}

auth_kinds(r) := {auth_factor_kind[f] | some f in r.auth_factors}

auth_factors_text(r) := "nothing" if {
	count(r.auth_factors) == 0
} else := concat(" + ", r.auth_factors)

auth_factors_text_ja(r) := "認証なし" if {
	count(r.auth_factors) == 0
} else := concat(" + ", r.auth_factors)

# The factors, when recorded (an on-prem register's auth_factors), are judged by their kinds;
# otherwise a registered MFA device (mfa_enabled) is the second factor beside the password.
console_mfa(r) := lib.unknown("SAN-IAM-003", r, "console_access") if {
	lib.missing(r, "console_access")
} else := lib.not_applicable(
	"SAN-IAM-003", r,
	"the user has no console access",
	"このユーザはコンソールを利用できません",
) if {
	r.console_access == false
} else := lib.fail(
	"SAN-IAM-003", r,
	concat("", [
		"the user signs in with ", auth_factors_text(r),
		": not two factors of different kinds (knowledge, possession, inherence)", iam003_deadline_en,
	]),
	concat("", [
		"このユーザのサインインは ", auth_factors_text_ja(r),
		" で、種類(知識・所持・生体)の異なる二要素による認証ではありません", iam003_deadline_ja,
	]),
) if {
	not lib.missing(r, "auth_factors")
	count(auth_kinds(r)) < 2
} else := lib.pass(
	"SAN-IAM-003", r,
	concat("", ["the user signs in with two factors of different kinds: ", auth_factors_text(r)]),
	concat("", ["このユーザは種類の異なる二要素で認証されます: ", auth_factors_text_ja(r)]),
) if {
	not lib.missing(r, "auth_factors")
} else := lib.unknown("SAN-IAM-003", r, "mfa_enabled") if {
	lib.missing(r, "mfa_enabled")
} else := lib.fail(
	"SAN-IAM-003", r,
	concat("", ["the user can sign in to the console without multi-factor authentication", iam003_deadline_en]),
	concat("", ["このユーザは多要素認証なしでコンソールにサインインできます", iam003_deadline_ja]),
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

# The guideline's thresholds (6.0 Q&A シQ-54): a. 13 characters or more; b. 8 or more, changed
# within 2 months at the longest; c. 8 or more with two-factor authentication. Computed once.
iam004 := lib.params("SAN-IAM-004")

iam004_long := iam004.long_min_length

iam004_short := iam004.short_min_length

iam004_age := iam004.max_age_days

# The character-class flags this control needs, one per required class.
# Strings are joined with concat(), not sprintf("%s"), which rego-cpp renders with quotes.
pw_class_fields := [concat("", ["require_", c]) | some c in iam004.required_character_classes]

pw_unread_classes(r) := [concat("", ["password_policy.", f]) |
	some f in pw_class_fields
	object.get(r.password_policy, f, null) == null
]

pw_class_off(r) := [{
	"en": concat("", [c, " characters are not required"]),
	"ja": concat("", [object.get(class_ja, c, c), "の使用が必須になっていません"]),
} |
	some c in iam004.required_character_classes
	object.get(r.password_policy, concat("", ["require_", c]), null) == false
]

pw_length(r) := object.get(r.password_policy, "min_length", null)

pw_age(r) := object.get(r.password_policy, "max_age_days", null)

# a. long enough on its own
pw_long(r) if pw_length(r) >= iam004_long

# b. changed within max_age_days
pw_expires(r) if {
	is_number(pw_age(r))
	pw_age(r) > 0
	pw_age(r) <= iam004_age
}

pw_age_known(r) if is_number(pw_age(r))

pw_age_known(r) if pw_age(r) == "never"

# c. every user the policy governs has a second factor
pw_two_factor(r) if {
	is_array(r.password_users_without_mfa)
	count(r.password_users_without_mfa) == 0
}

pw_met(r) if pw_long(r)

pw_met(r) if pw_expires(r)

pw_met(r) if pw_two_factor(r)

pw_age_en(r) := "passwords never expire" if {
	pw_age(r) == "never"
} else := sprintf("passwords expire after %d days", [pw_age(r)])

pw_age_ja(r) := "有効期限がありません" if {
	pw_age(r) == "never"
} else := sprintf("有効期限が %d 日です", [pw_age(r)])

pw_unmet_en(r) := concat("", [
	sprintf("none of the guideline's three conditions is met (6.0 Q&A シQ-54): (a) at least %d characters: the minimum is %d; ", [iam004_long, pw_length(r)]),
	sprintf("(b) at least %d characters and changed within %d days: ", [iam004_short, iam004_age]), pw_age_en(r),
	sprintf("; (c) at least %d characters with two-factor authentication: ", [iam004_short]),
	concat(", ", r.password_users_without_mfa), " sign in with a password and no second factor",
])

pw_unmet_ja(r) := concat("", [
	"パスワードの条件(6.0 Q&A シQ-54)をいずれも満たしていません: ",
	sprintf("a. %d 文字以上 — 最小文字数が %d 文字、", [iam004_long, pw_length(r)]),
	sprintf("b. %d 文字以上かつ最長 %d 日以内の変更 — ", [iam004_short, iam004_age]), pw_age_ja(r), "、",
	sprintf("c. %d 文字以上かつ二要素認証 — ", [iam004_short]),
	concat(", ", r.password_users_without_mfa), " が二要素認証なしでパスワードによりサインインします",
])

pw_pass_en(r) := sprintf("the password policy requires at least %d characters (condition a)", [pw_length(r)]) if {
	pw_long(r)
} else := sprintf("the password policy requires at least %d characters and a change every %d days at most (condition b)", [pw_length(r), pw_age(r)]) if {
	pw_expires(r)
} else := sprintf("the password policy requires at least %d characters and no user signs in with a password without two-factor authentication (condition c)", [pw_length(r)])

pw_pass_ja(r) := sprintf("パスワードポリシーは %d 文字以上を求めています(条件 a)", [pw_length(r)]) if {
	pw_long(r)
} else := sprintf("パスワードポリシーは %d 文字以上と %d 日以内の変更を求めています(条件 b)", [pw_length(r), pw_age(r)]) if {
	pw_expires(r)
} else := sprintf("パスワードポリシーは %d 文字以上を求め、二要素認証なしでパスワードにより利用するユーザはいません(条件 c)", [pw_length(r)])

# Below short_min_length (or without the mixed classes) no condition can be met.
pw_too_short(r) := [{
	"en": sprintf("minimum length is %d, below %d", [n, iam004_short]),
	"ja": sprintf("最小文字数が %d で、%d 文字に足りません", [n, iam004_short]),
} |
	n := pw_length(r)
	is_number(n)
	n < iam004_short
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
} else := lib.unknown("SAN-IAM-004", r, "password_policy.min_length") if {
	not is_number(pw_length(r))
} else := lib.fail("SAN-IAM-004", r, pw_unmet_en(r), pw_unmet_ja(r)) if {
	not pw_met(r)
	pw_age_known(r)
	is_array(r.password_users_without_mfa)
} else := lib.unknown("SAN-IAM-004", r, concat(", ", pw_unread_classes(r))) if {
	count(pw_unread_classes(r)) > 0
} else := lib.pass("SAN-IAM-004", r, pw_pass_en(r), pw_pass_ja(r)) if {
	pw_met(r)
} else := lib.verdict(
	"SAN-IAM-004", r, "UNKNOWN",
	"the policy is shorter than condition (a) asks, and how long passwords stay valid (password_policy.max_age_days) was not read, so condition (b) cannot be judged",
	"最小文字数が条件 a に足りず、パスワードの有効期限(password_policy.max_age_days)を取得できなかったため、条件 b を判定できません",
) if {
	not pw_age_known(r)
} else := lib.verdict(
	"SAN-IAM-004", r, "UNKNOWN",
	"the policy meets neither condition (a) nor (b), and whether every user who signs in with a password has two-factor authentication (password_users_without_mfa) was not read",
	"パスワードポリシーは条件 a・b を満たさず、パスワードで利用するユーザがすべて二要素認証を用いているか(password_users_without_mfa)を取得できなかったため判定できません",
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

# METADATA
# title: The password policy prevents reusing previous passwords
# custom:
#   control: SAN-IAM-014
verdicts contains password_history(r) if some r in lib.resources("SAN-IAM-014")

iam014_min := lib.params("SAN-IAM-014").min_remembered_passwords

password_history(r) := lib.unknown("SAN-IAM-014", r, "password_policy") if {
	lib.missing(r, "password_policy")
} else := lib.unknown("SAN-IAM-014", r, "password_policy.reuse_prevention") if {
	lib.missing(r.password_policy, "reuse_prevention")
} else := lib.fail(
	"SAN-IAM-014", r,
	sprintf("the password policy remembers %d previous passwords, fewer than %d, so a user can go back to an earlier password", [r.password_policy.reuse_prevention, iam014_min]),
	sprintf("パスワードポリシーが記憶する過去のパスワードは %d 個で、%d 個に足りないため、以前のパスワードを再使用できます", [r.password_policy.reuse_prevention, iam014_min]),
) if {
	r.password_policy.reuse_prevention < iam014_min
} else := lib.pass(
	"SAN-IAM-014", r,
	sprintf("the password policy prevents reusing the last %d passwords", [r.password_policy.reuse_prevention]),
	sprintf("パスワードポリシーは過去 %d 個のパスワードの再使用を禁止しています", [r.password_policy.reuse_prevention]),
)
