# Network exposure and segmentation (ネットワーク).
package sansho.network

import data.sansho.lib
import rego.v1

# ---------------------------------------------------------------------------------------------
# Shared: firewall rules open to the internet on sensitive ports (SAN-NET-001, SAN-NET-002)
# ---------------------------------------------------------------------------------------------

# Protocols without ports: an ICMP rule with ports [] does not open any TCP/UDP port.
portless_protocols := {"icmp", "icmpv6", "ipv6-icmp", "1", "58"}

portless(rule) if lower(object.get(rule, "protocol", "")) in portless_protocols

# The sources are read once, when the resource is built (policies/netaddr.py): `internet_share`
# is the largest share of the public IPv4 / global unicast IPv6 space that may reach a port of
# the rule (its group's other allow rules included), `exposure` the same per port range. The
# control parameter `internet_share` says which share is "the internet".

# The listed ports that a share at or above `share` may reach.
exposed_ports(r, ports, share) := [p |
	some p in ports
	some e in r.exposure
	e.from_port <= p
	p <= e.to_port
	e.share >= share
]

# The largest share that reaches one of `ports`, as a percentage with one decimal.
exposed_percent(r, ports) := sprintf("%v", [round(max([e.share |
	some e in r.exposure
	some p in ports
	e.from_port <= p
	p <= e.to_port
]) * 1000) / 10])

# The rules of one group admit the union of their sources on a port they share.
group_en(r) := concat("", ["with the other allow rules of ", r.group, ", "]) if {
	not lib.missing(r, "group")
} else := ""

group_ja(r) := concat("", ["同じグループ ", r.group, " の許可ルールと合わせて"]) if {
	not lib.missing(r, "group")
} else := ""

port_list_text(ports) := concat(", ", [sprintf("%d", [p]) | some p in ports])

# One verdict for an ingress rule against a list of sensitive ports and the internet share.
# `en`/`ja` name the kind of port ("administration", "管理用") for messages.
#
# Order: known exclusions (egress, deny) first, then unread fields, then the judgement. A rule
# whose sources are read and reach less than the internet share passes even if its ports were
# not read.
exposure(control, r, ports, share, en, ja) := lib.not_applicable(
	control, r,
	"egress rule: only inbound exposure is judged",
	"送信(egress)方向のルールのため対象外です",
) if {
	r.direction == "egress"
} else := lib.not_applicable(
	control, r,
	"deny rule: it cannot open a port",
	"拒否(deny)ルールのため対象外です",
) if {
	r.action == "deny"
} else := lib.unknown(control, r, "direction") if {
	lib.missing(r, "direction")
} else := lib.unknown(control, r, "action") if {
	lib.missing(r, "action")
} else := lib.unknown(control, r, "sources") if {
	lib.missing(r, "sources")
} else := lib.verdict(
	control, r, "UNKNOWN",
	"a source could not be read as an address range, a reference or a known tag, so internet exposure cannot be judged",
	"送信元をアドレス範囲・参照・既知のタグとして読み取れないため、インターネットへの公開を判定できません",
) if {
	lib.missing(r, "internet_share")
} else := lib.pass(
	control, r,
	concat("", ["no internet source may reach ", en, " ports"]),
	concat("", ["インターネットから", ja, "ポートへの接続は許可されていません"]),
) if {
	r.internet_share < share
} else := lib.pass(
	control, r,
	concat("", ["ICMP rule opens no ", en, " ports"]),
	concat("", ["ICMP のルールであり、", ja, "ポートを開放しません"]),
) if {
	portless(r)
} else := lib.unknown(control, r, "ports") if {
	lib.missing(r, "exposure")
} else := exposed_verdict(control, r, exposed_ports(r, ports, share), share, en, ja)

exposed_verdict(control, r, opened, share, en, ja) := lib.fail(
	control, r,
	concat("", [
		"ingress from ", concat(", ", r.sources), " is allowed to ", en, " port(s) ", port_list_text(opened),
		": ", group_en(r), exposed_percent(r, opened),
		" % of the public address space can reach them (internet_share ", sprintf("%v", [share]), ")",
	]),
	concat("", [
		"インターネット(", concat(", ", r.sources), ")から", ja, "ポート ", port_list_text(opened),
		" への受信が許可されています(", group_ja(r), "公開アドレス空間の ", exposed_percent(r, opened),
		" % から到達可能、internet_share ", sprintf("%v", [share]), ")",
	]),
) if {
	count(opened) > 0
} else := lib.pass(
	control, r,
	concat("", ["internet ingress is allowed, but to none of the ", en, " ports"]),
	concat("", ["インターネットからの受信は許可されていますが、", ja, "ポートは含まれません"]),
)

# The parameters, read once per evaluation rather than per resource.
net001 := lib.params("SAN-NET-001")

net002 := lib.params("SAN-NET-002")

# METADATA
# title: No administration port is open to the internet
# custom:
#   control: SAN-NET-001
verdicts contains admin_exposure(r) if some r in lib.resources("SAN-NET-001")

admin_exposure(r) := exposure(
	"SAN-NET-001", r, net001.admin_ports, net001.internet_share,
	"administration (remote login)", "管理用(リモートログイン)",
)

# METADATA
# title: No database port is open to the internet
# custom:
#   control: SAN-NET-002
verdicts contains database_port_exposure(r) if some r in lib.resources("SAN-NET-002")

database_port_exposure(r) := exposure(
	"SAN-NET-002", r, net002.database_ports, net002.internet_share,
	"database", "データベースの",
)

# ---------------------------------------------------------------------------------------------
# SAN-NET-003 object storage not public
# ---------------------------------------------------------------------------------------------

# METADATA
# title: Object storage is not publicly accessible
# custom:
#   control: SAN-NET-003
verdicts contains bucket_public(r) if some r in lib.resources("SAN-NET-003")

bucket_public(r) := lib.unknown("SAN-NET-003", r, "public") if {
	lib.missing(r, "public")
} else := lib.fail(
	"SAN-NET-003", r,
	"bucket is publicly accessible: anyone on the internet can read its objects",
	"バケットが公開されており、インターネット上の誰でもオブジェクトを参照できます",
) if {
	r.public == true
} else := lib.pass("SAN-NET-003", r, "bucket is not public", "バケットは公開されていません")

# ---------------------------------------------------------------------------------------------
# SAN-NET-004 databases not publicly accessible
# ---------------------------------------------------------------------------------------------

# METADATA
# title: Databases are not reachable from the internet
# custom:
#   control: SAN-NET-004
verdicts contains database_public(r) if some r in lib.resources("SAN-NET-004")

database_public(r) := lib.unknown("SAN-NET-004", r, "publicly_accessible") if {
	lib.missing(r, "publicly_accessible")
} else := lib.fail(
	"SAN-NET-004", r,
	"database instance has a public endpoint (publicly_accessible is true)",
	"データベースにインターネットから到達可能な公開エンドポイントがあります(publicly_accessible が true)",
) if {
	r.publicly_accessible == true
} else := lib.pass(
	"SAN-NET-004", r,
	"database instance has no public endpoint",
	"データベースはインターネットに公開されていません",
)

# ---------------------------------------------------------------------------------------------
# SAN-NET-005 default security group / firewall closed
# ---------------------------------------------------------------------------------------------

network_types := {"vpc", "vnet"}

# METADATA
# title: The default security group of a VPC / VNet allows no traffic
# custom:
#   control: SAN-NET-005
verdicts contains default_firewall(r) if some r in lib.resources("SAN-NET-005")

default_firewall(r) := lib.not_applicable(
	"SAN-NET-005", r,
	concat("", ["segment type ", r.segment_type, " has no default security group of its own"]),
	concat("", ["セグメント種別 ", r.segment_type, " には既定のセキュリティグループがありません"]),
) if {
	not lib.missing(r, "segment_type")
	not r.segment_type in network_types
} else := lib.unknown("SAN-NET-005", r, "segment_type") if {
	lib.missing(r, "segment_type")
} else := lib.unknown("SAN-NET-005", r, "default_firewall_restricted") if {
	lib.missing(r, "default_firewall_restricted")
} else := lib.fail(
	"SAN-NET-005", r,
	concat("", ["the default security group of this ", r.segment_type, " still allows traffic"]),
	concat("", ["この ", r.segment_type, " の既定のセキュリティグループが通信を許可しています"]),
) if {
	r.default_firewall_restricted == false
} else := lib.pass(
	"SAN-NET-005", r,
	concat("", ["the default security group of this ", r.segment_type, " allows no traffic"]),
	concat("", ["この ", r.segment_type, " の既定のセキュリティグループはすべての通信を拒否します"]),
)

# ---------------------------------------------------------------------------------------------
# SAN-NET-006 flow logs
# ---------------------------------------------------------------------------------------------

flow_log_types := {"vpc", "vnet", "subnet"}

# METADATA
# title: Flow logs are recorded for cloud networks
# custom:
#   control: SAN-NET-006
verdicts contains flow_logs(r) if some r in lib.resources("SAN-NET-006")

flow_logs(r) := lib.not_applicable(
	"SAN-NET-006", r,
	concat("", ["segment type ", r.segment_type, " is not a cloud network with flow logs"]),
	concat("", ["セグメント種別 ", r.segment_type, " はフローログを持つクラウドのネットワークではありません"]),
) if {
	not lib.missing(r, "segment_type")
	not r.segment_type in flow_log_types
} else := lib.unknown("SAN-NET-006", r, "segment_type") if {
	lib.missing(r, "segment_type")
} else := lib.unknown("SAN-NET-006", r, "flow_logs_enabled") if {
	lib.missing(r, "flow_logs_enabled")
} else := lib.fail(
	"SAN-NET-006", r,
	concat("", ["flow logs are off for this ", r.segment_type]),
	concat("", ["この ", r.segment_type, " のフローログ(通信記録)が無効です"]),
) if {
	r.flow_logs_enabled == false
} else := lib.pass(
	"SAN-NET-006", r,
	concat("", ["flow logs are recorded for this ", r.segment_type]),
	concat("", ["この ", r.segment_type, " のフローログ(通信記録)は有効です"]),
)

# ---------------------------------------------------------------------------------------------
# SAN-NET-007 medical segments separated from guest / BYOD / internet
# ---------------------------------------------------------------------------------------------

forbidden_reach(r) := [z |
	some z in r.reachable_from
	z in lib.params("SAN-NET-007").forbidden_zones
]

# METADATA
# title: Medical network segments are not reachable from guest, BYOD or internet zones
# custom:
#   control: SAN-NET-007
verdicts contains medical_zone(r) if some r in lib.resources("SAN-NET-007")

medical_zone(r) := lib.not_applicable(
	"SAN-NET-007", r,
	concat("", ["segment is in zone ", r.zone, ", not a medical zone"]),
	concat("", ["医療情報システムのセグメントではありません(ゾーン ", r.zone, ")"]),
) if {
	not lib.missing(r, "zone")
	r.zone != "medical"
} else := lib.unknown("SAN-NET-007", r, "zone") if {
	lib.missing(r, "zone")
} else := lib.unknown("SAN-NET-007", r, "reachable_from") if {
	lib.missing(r, "reachable_from")
} else := lib.fail(
	"SAN-NET-007", r,
	concat("", ["medical segment is reachable from zone(s) ", concat(", ", forbidden_reach(r))]),
	concat("", ["医療情報システムのセグメントに ", concat(", ", forbidden_reach(r)), " のゾーンから到達できます"]),
) if {
	count(forbidden_reach(r)) > 0
} else := lib.pass(
	"SAN-NET-007", r,
	"medical segment is not reachable from any forbidden zone",
	"医療情報システムのセグメントは、分離すべきゾーンから到達できません",
)

# ---------------------------------------------------------------------------------------------
# SAN-NET-008 snapshots not public
# ---------------------------------------------------------------------------------------------

# METADATA
# title: Disk snapshots are not public
# custom:
#   control: SAN-NET-008
verdicts contains snapshot_public(r) if some r in lib.resources("SAN-NET-008")

snapshot_public(r) := lib.unknown("SAN-NET-008", r, "public") if {
	lib.missing(r, "public")
} else := lib.fail(
	"SAN-NET-008", r,
	"snapshot is public: any cloud account can copy it and read the disk",
	"スナップショットが公開されており、任意のクラウドアカウントが複製してディスクの内容を参照できます",
) if {
	r.public == true
} else := lib.pass("SAN-NET-008", r, "snapshot is not public", "スナップショットは公開されていません")

# ---------------------------------------------------------------------------------------------
# SAN-NET-009 remote access and maintenance segments: strong authentication
# ---------------------------------------------------------------------------------------------

remote_zones := {"remote_access", "maintenance"}

# METADATA
# title: Remote-access and maintenance connections use mutual or multi-factor authentication
# custom:
#   control: SAN-NET-009
verdicts contains remote_auth(r) if some r in lib.resources("SAN-NET-009")

remote_auth(r) := lib.not_applicable(
	"SAN-NET-009", r,
	concat("", ["segment is in zone ", r.zone, ", not a remote-access or maintenance zone"]),
	concat("", ["リモートアクセス・保守用のセグメントではありません(ゾーン ", r.zone, ")"]),
) if {
	not lib.missing(r, "zone")
	not r.zone in remote_zones
} else := lib.unknown("SAN-NET-009", r, "zone") if {
	lib.missing(r, "zone")
} else := lib.unknown("SAN-NET-009", r, "remote_auth_method") if {
	lib.missing(r, "remote_auth_method")
} else := lib.fail(
	"SAN-NET-009", r,
	concat("", [
		r.zone, " segment authenticates remote connections by ", r.remote_auth_method,
		"; allowed: ", concat(", ", lib.params("SAN-NET-009").allowed_remote_auth),
	]),
	concat("", [
		r.zone, " のセグメントのリモート接続の認証方式が ", r.remote_auth_method,
		" です(許可される方式: ", concat(", ", lib.params("SAN-NET-009").allowed_remote_auth), ")",
	]),
) if {
	not r.remote_auth_method in lib.params("SAN-NET-009").allowed_remote_auth
} else := lib.pass(
	"SAN-NET-009", r,
	concat("", [r.zone, " segment authenticates remote connections by ", r.remote_auth_method]),
	concat("", [r.zone, " のセグメントのリモート接続は ", r.remote_auth_method, " で認証されます"]),
)

# ---------------------------------------------------------------------------------------------
# SAN-NET-010 source restriction (接続元制限) on network devices and remote paths
# ---------------------------------------------------------------------------------------------

# METADATA
# title: Network devices and remote-maintenance paths accept connections only from registered sources
# custom:
#   control: SAN-NET-010
verdicts contains source_restricted(r) if some r in lib.resources("SAN-NET-010")

# What is in scope, by kind: network devices, and remote-access or maintenance segments.
net010_scope(r) := "device_type" if r.kind == "device.host"

net010_scope(r) := "zone" if r.kind == "network.segment"

net010_in_scope(r) if {
	r.kind == "device.host"
	r.device_type == "network"
}

net010_in_scope(r) if {
	r.kind == "network.segment"
	r.zone in remote_zones
}

source_restricted(r) := lib.unknown("SAN-NET-010", r, net010_scope(r)) if {
	lib.missing(r, net010_scope(r))
} else := lib.not_applicable(
	"SAN-NET-010", r,
	concat("", ["not a network device or a remote-access or maintenance segment (", r[net010_scope(r)], ")"]),
	concat("", ["ネットワーク機器又はリモートアクセス・保守用のセグメントではありません(", r[net010_scope(r)], ")"]),
) if {
	not net010_in_scope(r)
} else := lib.unknown("SAN-NET-010", r, "source_restricted") if {
	lib.missing(r, "source_restricted")
} else := lib.fail(
	"SAN-NET-010", r,
	"connections are accepted from any source: no source restriction (接続元制限)",
	"接続元を制限していません(どこからでも接続を受け付けます)",
) if {
	r.source_restricted == false
} else := lib.pass(
	"SAN-NET-010", r,
	"connections are accepted only from registered sources",
	"登録した接続元からの接続だけを受け付けています",
)
