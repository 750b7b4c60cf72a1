# Unit tests for the network rules. As in encryption_test.rego, each control's per-resource
# function is called with a literal resource (rego-cpp 1.5.2 crashes on `with input as …` over
# rules that read input through object.get), and `controls` is bound to a local before
# `with data.sansho.controls as c` (rego-cpp does not resolve a rule reference there).
package sansho.network_test

import data.sansho.network
import rego.v1

controls := {
	"SAN-NET-001": {"applies_to": ["network.firewall_rule"], "params": {"admin_ports": [22, 3389, 5985, 5986], "internet_share": 0.01}},
	"SAN-NET-002": {"applies_to": ["network.firewall_rule"], "params": {"database_ports": [1433, 1521, 3306, 5432, 6379, 27017, 9200, 5984], "internet_share": 0.01}},
	"SAN-NET-003": {"applies_to": ["storage.bucket"], "params": {}},
	"SAN-NET-004": {"applies_to": ["database.instance"], "params": {}},
	"SAN-NET-005": {"applies_to": ["network.segment"], "params": {}},
	"SAN-NET-006": {"applies_to": ["network.segment"], "params": {}},
	"SAN-NET-007": {"applies_to": ["network.segment"], "params": {"forbidden_zones": ["guest", "byod", "internet"]}},
	"SAN-NET-008": {"applies_to": ["compute.snapshot"], "params": {}},
	"SAN-NET-009": {"applies_to": ["network.segment"], "params": {"allowed_remote_auth": ["mfa", "certificate"]}},
	"SAN-NET-010": {"applies_to": ["device.host", "network.segment"], "params": {}},
}

fw(fields) := object.union({"id": "fw", "kind": "network.firewall_rule", "direction": "ingress", "action": "allow", "protocol": "tcp"}, fields)

# A rule as the model derives it (policies/netaddr.py): `share` of the public address space may
# reach each of its port ranges (ports [] = every port).
open_rule(sources, ports, share) := fw({
	"sources": sources, "ports": ports, "internet_share": share,
	"exposure": [{"from_port": p.from_port, "to_port": p.to_port, "share": share} | some p in full(ports)],
})

full(ports) := ports if count(ports) > 0

full(ports) := [{"from_port": 0, "to_port": 65535}] if count(ports) == 0

seg(fields) := object.union({"id": "seg", "kind": "network.segment"}, fields)

# --- SAN-NET-001 ----------------------------------------------------------------------------

test_net001_ssh_from_anywhere_fails_and_names_port if {
	c := controls
	v := network.admin_exposure(open_rule(["0.0.0.0/0"], [{"from_port": 22, "to_port": 22}], 1)) with data.sansho.controls as c
	v.status == "FAIL"
	contains(v.en, "22")
	contains(v.en, "0.0.0.0/0")
}

test_net001_ipv6_any_and_port_range_covering_rdp if {
	c := controls
	v := network.admin_exposure(open_rule(["::/0"], [{"from_port": 3000, "to_port": 4000}], 1)) with data.sansho.controls as c
	v.status == "FAIL"
	contains(v.en, "3389")
}

test_net001_all_ports_rule_fails if {
	c := controls
	v := network.admin_exposure(object.union(open_rule(["*"], [], 1), {"protocol": "all"})) with data.sansho.controls as c
	v.status == "FAIL"
}

test_net001_private_source_or_other_port_passes if {
	c := controls
	private := network.admin_exposure(open_rule(["10.0.0.0/8"], [{"from_port": 22, "to_port": 22}], 0)) with data.sansho.controls as c
	private.status == "PASS"
	https := network.admin_exposure(open_rule(["0.0.0.0/0"], [{"from_port": 443, "to_port": 443}], 1)) with data.sansho.controls as c
	https.status == "PASS"
	icmp := network.admin_exposure(object.union(open_rule(["0.0.0.0/0"], [], 1), {"protocol": "icmp"})) with data.sansho.controls as c
	icmp.status == "PASS"
}

test_net001_egress_and_deny_not_applicable if {
	c := controls
	egress := network.admin_exposure(object.union(open_rule(["0.0.0.0/0"], [], 1), {"direction": "egress"})) with data.sansho.controls as c
	egress.status == "NOT_APPLICABLE"
	deny := network.admin_exposure(object.union(open_rule(["0.0.0.0/0"], [], 1), {"action": "deny"})) with data.sansho.controls as c
	deny.status == "NOT_APPLICABLE"
}

test_net001_unread_sources_or_ports_unknown if {
	c := controls
	no_sources := network.admin_exposure(fw({"ports": [{"from_port": 22, "to_port": 22}]})) with data.sansho.controls as c
	no_sources.status == "UNKNOWN"
	no_ports := network.admin_exposure(fw({"sources": ["0.0.0.0/0"], "internet_share": 1})) with data.sansho.controls as c
	no_ports.status == "UNKNOWN"
	no_direction := network.admin_exposure(object.remove(open_rule(["0.0.0.0/0"], [], 1), ["direction"])) with data.sansho.controls as c
	no_direction.status == "UNKNOWN"
}

test_net001_share_against_the_parameter if {
	c := controls
	# 0.0.0.0/1 + 128.0.0.0/1 of one group: the model derives share 1 for port 22.
	split := network.admin_exposure(open_rule(["128.0.0.0/1"], [{"from_port": 22, "to_port": 22}], 1)) with data.sansho.controls as c
	split.status == "FAIL"
	contains(split.en, "100 % of the public address space")
	contains(split.en, "internet_share 0.01")
	small := network.admin_exposure(open_rule(["198.51.0.0/16"], [{"from_port": 22, "to_port": 22}], 0.000018)) with data.sansho.controls as c
	small.status == "PASS"
}

test_net001_only_the_exposed_port_range_fails if {
	c := controls
	r := fw({
		"sources": ["128.0.0.0/1"], "ports": [{"from_port": 20, "to_port": 30}], "internet_share": 1,
		"exposure": [
			{"from_port": 20, "to_port": 21, "share": 0.004},
			{"from_port": 22, "to_port": 22, "share": 1},
			{"from_port": 23, "to_port": 30, "share": 0.004},
		],
	})
	v := network.admin_exposure(r) with data.sansho.controls as c
	v.status == "FAIL"
	contains(v.en, "port(s) 22:")
	higher := object.union(c, {"SAN-NET-001": {"applies_to": ["network.firewall_rule"], "params": {"admin_ports": [22], "internet_share": 1.5}}})
	w := network.admin_exposure(r) with data.sansho.controls as higher
	w.status == "PASS"
}

test_net001_unreadable_source_is_unknown if {
	c := controls
	v := network.admin_exposure(fw({"sources": ["AzureCloud"], "ports": [{"from_port": 22, "to_port": 22}]})) with data.sansho.controls as c
	v.status == "UNKNOWN"
	contains(v.en, "could not be read")
}

# --- SAN-NET-002 ----------------------------------------------------------------------------

test_net002_database_ports if {
	c := controls
	pg := network.database_port_exposure(open_rule(["Internet"], [{"from_port": 5432, "to_port": 5432}], 1)) with data.sansho.controls as c
	pg.status == "FAIL"
	contains(pg.en, "5432")
	ssh := network.database_port_exposure(open_rule(["0.0.0.0/0"], [{"from_port": 22, "to_port": 22}], 1)) with data.sansho.controls as c
	ssh.status == "PASS"
	unread := network.database_port_exposure(fw({"sources": ["0.0.0.0/0"], "internet_share": 1})) with data.sansho.controls as c
	unread.status == "UNKNOWN"
}

# --- SAN-NET-003 / 004 / 008 ----------------------------------------------------------------

test_net003_bucket_public if {
	b := {"id": "b", "kind": "storage.bucket"}
	network.bucket_public(object.union(b, {"public": true})).status == "FAIL"
	network.bucket_public(object.union(b, {"public": false})).status == "PASS"
	network.bucket_public(b).status == "UNKNOWN"
}

test_net004_database_public if {
	d := {"id": "d", "kind": "database.instance"}
	network.database_public(object.union(d, {"publicly_accessible": true})).status == "FAIL"
	network.database_public(object.union(d, {"publicly_accessible": false})).status == "PASS"
	network.database_public(d).status == "UNKNOWN"
}

test_net008_snapshot_public if {
	s := {"id": "s", "kind": "compute.snapshot"}
	network.snapshot_public(object.union(s, {"public": true})).status == "FAIL"
	network.snapshot_public(object.union(s, {"public": false})).status == "PASS"
	network.snapshot_public(s).status == "UNKNOWN"
}

# --- SAN-NET-005 ----------------------------------------------------------------------------

test_net005_default_firewall if {
	network.default_firewall(seg({"segment_type": "vpc", "default_firewall_restricted": true})).status == "PASS"
	network.default_firewall(seg({"segment_type": "vnet", "default_firewall_restricted": false})).status == "FAIL"
	network.default_firewall(seg({"segment_type": "vpc"})).status == "UNKNOWN"
	network.default_firewall(seg({"segment_type": "subnet", "default_firewall_restricted": false})).status == "NOT_APPLICABLE"
	network.default_firewall(seg({"default_firewall_restricted": false})).status == "UNKNOWN"
}

# --- SAN-NET-006 ----------------------------------------------------------------------------

test_net006_flow_logs if {
	network.flow_logs(seg({"segment_type": "subnet", "flow_logs_enabled": true})).status == "PASS"
	network.flow_logs(seg({"segment_type": "vpc", "flow_logs_enabled": false})).status == "FAIL"
	network.flow_logs(seg({"segment_type": "vnet"})).status == "UNKNOWN"
	network.flow_logs(seg({"segment_type": "vlan", "flow_logs_enabled": false})).status == "NOT_APPLICABLE"
}

# --- SAN-NET-007 ----------------------------------------------------------------------------

test_net007_medical_reachable_from_guest_fails if {
	c := controls
	v := network.medical_zone(seg({"zone": "medical", "reachable_from": ["administrative", "guest", "byod"]})) with data.sansho.controls as c
	v.status == "FAIL"
	contains(v.en, "guest, byod")
}

test_net007_separated_medical_passes if {
	c := controls
	v := network.medical_zone(seg({"zone": "medical", "reachable_from": ["administrative", "maintenance"]})) with data.sansho.controls as c
	v.status == "PASS"
	isolated := network.medical_zone(seg({"zone": "medical", "reachable_from": []})) with data.sansho.controls as c
	isolated.status == "PASS"
}

test_net007_unknown_and_not_applicable if {
	c := controls
	no_zone := network.medical_zone(seg({"reachable_from": ["guest"]})) with data.sansho.controls as c
	no_zone.status == "UNKNOWN"
	no_reach := network.medical_zone(seg({"zone": "medical"})) with data.sansho.controls as c
	no_reach.status == "UNKNOWN"
	guest := network.medical_zone(seg({"zone": "guest", "reachable_from": ["internet"]})) with data.sansho.controls as c
	guest.status == "NOT_APPLICABLE"
}

# --- SAN-NET-009 ----------------------------------------------------------------------------

test_net009_remote_auth if {
	c := controls
	mfa := network.remote_auth(seg({"zone": "remote_access", "remote_auth_method": "mfa"})) with data.sansho.controls as c
	mfa.status == "PASS"
	pw := network.remote_auth(seg({"zone": "maintenance", "remote_auth_method": "password"})) with data.sansho.controls as c
	pw.status == "FAIL"
	contains(pw.en, "password")
	none := network.remote_auth(seg({"zone": "remote_access", "remote_auth_method": "none"})) with data.sansho.controls as c
	none.status == "FAIL"
	unread := network.remote_auth(seg({"zone": "maintenance"})) with data.sansho.controls as c
	unread.status == "UNKNOWN"
	medical := network.remote_auth(seg({"zone": "medical", "remote_auth_method": "password"})) with data.sansho.controls as c
	medical.status == "NOT_APPLICABLE"
	no_zone := network.remote_auth(seg({"remote_auth_method": "password"})) with data.sansho.controls as c
	no_zone.status == "UNKNOWN"
}

# --- SAN-NET-010 ---------------------------------------------------------------------------

test_net010_network_devices if {
	network.source_restricted({"id": "d", "kind": "device.host", "device_type": "network", "source_restricted": true}).status == "PASS"
	v := network.source_restricted({"id": "d", "kind": "device.host", "device_type": "network", "source_restricted": false})
	v.status == "FAIL"
	v.ja == "接続元を制限していません(どこからでも接続を受け付けます)"
	network.source_restricted({"id": "d", "kind": "device.host", "device_type": "network"}).status == "UNKNOWN"
	network.source_restricted({"id": "d", "kind": "device.host", "device_type": "server", "source_restricted": false}).status == "NOT_APPLICABLE"
	u := network.source_restricted({"id": "d", "kind": "device.host", "source_restricted": true})
	u.status == "UNKNOWN"
	u.en == "device_type was not read, so compliance cannot be judged"
}

test_net010_remote_segments if {
	network.source_restricted({"id": "s", "kind": "network.segment", "zone": "maintenance", "source_restricted": true}).status == "PASS"
	network.source_restricted({"id": "s", "kind": "network.segment", "zone": "remote_access", "source_restricted": false}).status == "FAIL"
	network.source_restricted({"id": "s", "kind": "network.segment", "zone": "medical"}).status == "NOT_APPLICABLE"
	network.source_restricted({"id": "s", "kind": "network.segment", "zone": "maintenance"}).status == "UNKNOWN"
	network.source_restricted({"id": "s", "kind": "network.segment"}).status == "UNKNOWN"
}
