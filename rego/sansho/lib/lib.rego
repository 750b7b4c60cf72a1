# Helpers every sansho rule uses. A rule emits exactly one verdict per applicable resource
# (several are allowed; the engine keeps the worst), and a field that was not read (absent or
# null) must lead to UNKNOWN, never PASS. A resource a rule emits nothing for becomes UNKNOWN.
package sansho.lib

import rego.v1

# The resources each control applies to, taken from the catalog's applies_to. Computed once
# per evaluation as a rule, not per call: rego-cpp 1.5 mis-binds a function parameter used
# inside a comprehension (every control would get every kind), and a rule is also cheaper.
# (Indexing rather than object.get: rego-cpp 1.5 crashes on object.get(input…) under `with`.)
applicable[control] := [r |
	some kind in spec.applies_to
	some r in input.resources[kind]
] if {
	some control, spec in data.sansho.controls
}

resources(control) := applicable[control]

# The control's effective parameters: catalog defaults merged with sansho.yaml.
params(control) := data.sansho.controls[control].params

# True when a field was not read: absent or null.
missing(r, field) if object.get(r, field, null) == null

# The verdict object. pass/fail/not_applicable/unknown build it directly rather than through
# verdict(): each function call costs regorus about 2.5 µs, and there is one verdict per
# applicable resource per control (measured: 20 % of evaluation time on 100k resources).
verdict(control, r, status, en, ja) := {"control": control, "id": r.id, "kind": r.kind, "status": status, "en": en, "ja": ja}

pass(control, r, en, ja) := {"control": control, "id": r.id, "kind": r.kind, "status": "PASS", "en": en, "ja": ja}

fail(control, r, en, ja) := {"control": control, "id": r.id, "kind": r.kind, "status": "FAIL", "en": en, "ja": ja}

not_applicable(control, r, en, ja) := {
	"control": control, "id": r.id, "kind": r.kind, "status": "NOT_APPLICABLE",
	"en": en, "ja": ja,
}

# UNKNOWN because `field` was not read.
# (concat, not sprintf: rego-cpp 1.5 quotes a string literal that reaches sprintf's %s through
# a function parameter, and the two engines must give the same messages.)
unknown(control, r, field) := {
	"control": control, "id": r.id, "kind": r.kind, "status": "UNKNOWN",
	"en": concat("", [field, " was not read, so compliance cannot be judged"]),
	"ja": concat("", [field, " を取得できなかったため判定できません"]),
}

# Write-once (書換え・削除不能, システム運用編 17 ②・18): a lock nobody can lift before its retention
# ends. Governance mode (S3 Object Lock, AWS Backup Vault Lock before its lock date) and an unlocked
# immutability policy (Azure, GCS) can be lifted by a privileged user, so they do not count.
write_once_modes := {"compliance", "locked"}

liftable_en(mode) := "its lock is in governance mode, which a privileged user can lift to overwrite or delete the data" if {
	mode == "governance"
} else := "its immutability policy is unlocked, so a privileged user can shorten or remove it and then delete the data"

liftable_ja(mode) := "ロックがガバナンスモードで、特権を持つ利用者が解除して書換え・削除できるため、書換え・削除不能とはいえません" if {
	mode == "governance"
} else := "不変性ポリシーがロックされておらず、特権を持つ利用者が短縮・解除して削除できるため、書換え・削除不能とはいえません"
