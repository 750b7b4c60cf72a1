# Physical safeguards (物理的安全管理措置): entry control, cameras, disaster resilience.
package sansho.physical

import data.sansho.lib
import rego.v1

# METADATA
# title: Entry to the site identifies people and is logged
# custom:
#   control: SAN-PHY-001
verdicts contains entry_control(r) if some r in lib.resources("SAN-PHY-001")

accepted_identification := {m | some m in lib.params("SAN-PHY-001").accepted_identification}

# A known failure outranks an unread sub-field.
entry_control(r) := lib.unknown("SAN-PHY-001", r, "entry_control") if {
	lib.missing(r, "entry_control")
} else := lib.fail(
	"SAN-PHY-001", r,
	concat("", ["entry does not identify people (identification: ", r.entry_control.identification, ")"]),
	concat("", ["入退室時に個人を識別していません(識別手段: ", r.entry_control.identification, ")"]),
) if {
	not lib.missing(r.entry_control, "identification")
	not r.entry_control.identification in accepted_identification
} else := lib.fail(
	"SAN-PHY-001", r,
	"entries are not logged",
	"入退室の記録が残されていません",
) if {
	r.entry_control.logged == false
} else := lib.unknown("SAN-PHY-001", r, "entry_control.identification") if {
	lib.missing(r.entry_control, "identification")
} else := lib.unknown("SAN-PHY-001", r, "entry_control.logged") if {
	lib.missing(r.entry_control, "logged")
} else := lib.pass(
	"SAN-PHY-001", r,
	concat("", ["entry identifies people (", r.entry_control.identification, ") and is logged"]),
	concat("", ["入退室は個人を識別(", r.entry_control.identification, ")し、記録されています"]),
) if {
	r.entry_control.logged == true
}

# METADATA
# title: The site is watched by security cameras
# custom:
#   control: SAN-PHY-002
verdicts contains cameras(r) if some r in lib.resources("SAN-PHY-002")

cameras(r) := lib.unknown("SAN-PHY-002", r, "cameras") if {
	lib.missing(r, "cameras")
} else := lib.fail(
	"SAN-PHY-002", r,
	"the site has no security cameras or intrusion monitoring",
	"防犯カメラ等の侵入監視装置が設置されていません",
) if {
	r.cameras == false
} else := lib.pass(
	"SAN-PHY-002", r,
	"the site has security cameras",
	"防犯カメラが設置されています",
) if {
	r.cameras == true
}

# METADATA
# title: The site is built to withstand disasters
# custom:
#   control: SAN-PHY-003
verdicts contains disaster_resilience(r) if some r in lib.resources("SAN-PHY-003")

disaster_resilience(r) := lib.unknown("SAN-PHY-003", r, "disaster_resilience") if {
	lib.missing(r, "disaster_resilience")
} else := lib.fail(
	"SAN-PHY-003", r,
	"the building has no seismic resistance or isolation",
	"建物に耐震・免震の構造がありません",
) if {
	r.disaster_resilience == "none"
} else := lib.pass(
	"SAN-PHY-003", r,
	concat("", ["the building is ", r.disaster_resilience]),
	concat("", ["建物は耐震・免震の構造を備えています(", r.disaster_resilience, ")"]),
) if {
	r.disaster_resilience in {"seismic_resistant", "seismic_isolated"}
}

# METADATA
# title: USB storage and other external media are restricted on terminals and servers
# custom:
#   control: SAN-PHY-006
verdicts contains usb_restricted(r) if some r in lib.resources("SAN-PHY-006")

phy006_types := {t | some t in lib.params("SAN-PHY-006").device_types}

usb_restricted(r) := lib.unknown("SAN-PHY-006", r, "device_type") if {
	lib.missing(r, "device_type")
} else := lib.not_applicable(
	"SAN-PHY-006", r,
	concat("", ["a ", r.device_type, " is not a terminal or server"]),
	concat("", ["端末・サーバではありません(", r.device_type, ")"]),
) if {
	not r.device_type in phy006_types
} else := lib.not_applicable(
	"SAN-PHY-006", r,
	"the device handles no medical information",
	"医療情報を扱わない機器です",
) if {
	r.holds_medical_data == false
} else := lib.unknown("SAN-PHY-006", r, "usb_storage_restricted") if {
	lib.missing(r, "usb_storage_restricted")
} else := lib.fail(
	"SAN-PHY-006", r,
	"USB storage and other external media can be connected without restriction",
	"USB ストレージ等の外部記録媒体の接続が制限されていません",
) if {
	r.usb_storage_restricted == false
} else := lib.pass(
	"SAN-PHY-006", r,
	"USB storage and other external media are restricted",
	"USB ストレージ等の外部記録媒体の接続が制限されています",
)
