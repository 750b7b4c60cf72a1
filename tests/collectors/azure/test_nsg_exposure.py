"""NSG rules from an `az graph query` export: sources read as ranges, the rules of one NSG judged
together, an inverted port range refused (issue 15 item 1).

Before, `INTERNET`, `0.0.0.0/1` + `128.0.0.0/1` and `::0/0` passed SAN-NET-001 (exact string
match), and a destination port range `23-22` was read as a range of no ports.
"""

from __future__ import annotations

import json

from ...support.cli import run
from .estate import SUB_A, nsg_rule, rid, row

NSG = rid(SUB_A, "rg-edge", "Microsoft.Network", "networkSecurityGroups", "nsg-edge")


def _export(tmp_path, rules: list[dict]):
    rec = row(SUB_A, "rg-edge", "Microsoft.Network/networkSecurityGroups", NSG, "nsg-edge", "Japan East",
              {"securityRules": rules, "defaultSecurityRules": [], "provisioningState": "Succeeded"})
    p = tmp_path / "export.json"
    p.write_text(json.dumps({"count": 1, "data": [rec], "skip_token": None}), encoding="utf-8")
    return p


def test_nsg_sources_are_read_as_ranges_and_unioned(tmp_path):
    export = _export(tmp_path, [
        nsg_rule(NSG, "ssh-INTERNET", "Inbound", "Allow", "INTERNET", "22", 100),
        nsg_rule(NSG, "rdp-lower-half", "Inbound", "Allow", "0.0.0.0/1", "3389", 110),
        nsg_rule(NSG, "rdp-upper-half", "Inbound", "Allow", ["128.0.0.0/1"], ["3380-3390"], 120),
        nsg_rule(NSG, "winrm-ipv6", "Inbound", "Allow", "::0/0", "5985", 130),
        nsg_rule(NSG, "ssh-azurecloud", "Inbound", "Allow", "AzureCloud", "22", 140),
        nsg_rule(NSG, "ssh-vnet", "Inbound", "Allow", "VirtualNetwork", "22", 150),
    ])
    inv = tmp_path / "azure.json"
    r = run("collect", "azure", "--from-export", str(export), "-o", str(inv))
    assert r.returncode == 0, r.stderr
    doc = json.loads(inv.read_text())
    rules = {x["name"]: x for x in doc["resources"] if x["kind"] == "network.firewall_rule"}
    assert rules["nsg-edge/ssh-INTERNET"]["sources"] == ["Internet"]
    assert rules["nsg-edge/winrm-ipv6"]["sources"] == ["::/0"]
    assert {x["group"] for x in rules.values()} == {NSG}
    assert rules["nsg-edge/rdp-upper-half"]["region"] == "japaneast"
    r = run("scan", str(inv), "--controls", "SAN-NET-001", "--format", "json")
    assert r.returncode == 1, r.stderr
    got = {f["resource"]["id"].rsplit("/", 1)[1]: f["status"] for f in json.loads(r.stdout)["findings"]}
    assert got == {"ssh-INTERNET": "FAIL", "rdp-lower-half": "FAIL", "rdp-upper-half": "FAIL",
                   "winrm-ipv6": "FAIL", "ssh-azurecloud": "UNKNOWN", "ssh-vnet": "PASS"}


def test_an_inverted_port_range_in_an_export_is_an_input_error(tmp_path):
    export = _export(tmp_path, [nsg_rule(NSG, "ssh", "Inbound", "Allow", "*", "23-22", 100)])
    r = run("collect", "azure", "--from-export", str(export), "-o", str(tmp_path / "azure.json"))
    assert r.returncode == 2
    assert r.stderr == (
        f"sansho: error: {export}: record 0 ({NSG}): field 'properties.securityRules[0].properties."
        "destinationPortRange': inverted port range 23-22: from_port is greater than to_port\n")
