"""Firewall sources read as addresses (issue 15 item 1).

The sources and ports of a firewall rule are read once, when the resource is built
(``policies/netaddr.py`` through ``model.FirewallRule``); the rules compare the derived share
with the control parameter ``internet_share``. Before, SAN-NET-001/002 matched sources as exact
strings, so ``0.0.0.0/1`` + ``128.0.0.0/1``, ``::0/0``, ``2000::/3``, ``INTERNET`` and
``"0.0.0.0/0 "`` passed, and an inverted port range passed as a range of no ports.
"""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from sansho.policies import netaddr
from sansho.policies.model import FirewallRule, Inventory

from .support.cli import run


def rule(rid: str, sources: list[str] | None, ports: list[tuple[int, int]] | None = ((22, 22),),
         protocol: str = "tcp", group: str | None = None, **kw) -> dict:
    return {"id": rid, "kind": "network.firewall_rule", "provider": kw.pop("provider", "aws"),
            "region": "ap-northeast-1", "direction": "ingress", "action": "allow", "protocol": protocol,
            **({"sources": sources} if sources is not None else {}),
            **({"ports": [{"from_port": a, "to_port": b} for a, b in ports]} if ports is not None else {}),
            **({"group": group} if group else {}), **kw}


@pytest.mark.parametrize("given,canonical,share", [
    ("0.0.0.0/0 ", "0.0.0.0/0", 1.0),
    ("::0/0", "::/0", 1.0),
    ("2000::/3", "2000::/3", 1.0),
    ("INTERNET", "Internet", 1.0),
    ("any", "*", 1.0),
    ("0.0.0.0", "0.0.0.0/0", 1.0),
    ("10.0.0.0/8", "10.0.0.0/8", 0.0),
    ("203.0.113.7", "203.0.113.7/32", 0.0),
    ("2001:DB8::/32", "2001:db8::/32", 0.0),
    ("virtualnetwork", "VirtualNetwork", 0.0),
    ("sg-0b45a1", "sg-0b45a1", 0.0),
    ("tag:web", "tag:web", 0.0),
])
def test_sources_are_read_in_one_spelling(given, canonical, share):
    s = netaddr.read_source(given)
    assert (s.text, netaddr.share(s.networks), s.why) == (canonical, share, None)


@pytest.mark.parametrize("given,why", [
    ("pl-0a1b2c3d", "source pl-0a1b2c3d: a prefix list, whose entries are not read"),
    ("AzureCloud", "source 'AzureCloud' is not an IP address, a CIDR range, a reference to other instances or a "
                   "known tag (Internet, *, Any, VirtualNetwork, AzureLoadBalancer)"),
    ("10.0.0.0/33", "source '10.0.0.0/33' is not an IP address"),
])
def test_unreadable_sources_say_why(given, why):
    s = netaddr.read_source(given)
    assert s.networks is None and s.why.startswith(why)


def test_share_is_measured_on_the_public_space():
    nets = [netaddr.read_source(x).networks[0] for x in ("0.0.0.0/1", "128.0.0.0/1")]
    assert netaddr.share(nets) == 1.0
    assert netaddr.share(nets[:1]) == 0.565319  # 0.0.0.0/1 minus 0/8, 10/8, 100.64/10, 127/8
    assert netaddr.share([netaddr.read_source("4.0.0.0/6").networks[0]]) == 0.018126
    assert netaddr.V4_PUBLIC_SIZE == 3_702_258_688


def test_a_group_is_judged_per_port_on_the_union_of_its_rules():
    wide = FirewallRule.model_validate(rule("wide", ["128.0.0.0/1"], [(20, 30)], group="sg-1"))
    ssh = FirewallRule.model_validate(rule("ssh", ["0.0.0.0/1"], [(22, 22)], group="sg-1"))
    office = FirewallRule.model_validate(rule("office", ["10.0.0.0/8"], None, protocol="all", group="sg-1"))
    other = FirewallRule.model_validate(rule("other", ["0.0.0.0/1"], [(22, 22)], group="sg-2"))
    assert wide.internet_share == 0.434681  # alone, as the model builds it
    Inventory(schema_version="1.0", resources=[wide, ssh, office, other])
    assert [(e.from_port, e.to_port, e.share) for e in wide.exposure] == [
        (20, 21, 0.434681), (22, 22, 1.0), (23, 30, 0.434681)]
    assert (ssh.internet_share, other.internet_share) == (1.0, 0.565319)
    assert office.internet_share == 0.0 and office.exposure is None  # adds nothing public; ports not read


def test_an_office_next_to_the_internet_is_not_blamed_for_it():
    internet = FirewallRule.model_validate(rule("any", ["0.0.0.0/0"], group="sg"))
    office = FirewallRule.model_validate(rule("office", ["133.5.0.0/16", "2001:2f8:1c::/48"], group="sg"))
    inside = FirewallRule.model_validate(rule("inside", ["0.0.0.0/1"], group="sg"))
    Inventory(schema_version="1.0", resources=[internet, office, inside])
    assert internet.internet_share == 1.0
    assert office.internet_share < 0.01  # its IPv4 is inside 0.0.0.0/0; its IPv6 alone is tiny
    assert inside.internet_share == 0.565319  # its own share still counts


def test_derived_fields_are_never_taken_from_input():
    r = FirewallRule.model_validate(rule("x", ["0.0.0.0/0"], internet_share=0.0,
                                         exposure=[{"from_port": 22, "to_port": 22, "share": 0.0}]))
    assert (r.internet_share, [(e.from_port, e.to_port, e.share) for e in r.exposure]) == (1.0, [(22, 22, 1.0)])


def test_an_unreadable_source_makes_the_rule_unread_with_the_reason():
    r = FirewallRule.model_validate(rule("pl", ["0.0.0.0/1", "pl-0a1b2c3d"]))
    assert (r.sources, r.internet_share, r.exposure) == (["0.0.0.0/1", "pl-0a1b2c3d"], None, None)
    assert r.read_errors == {"sources": "source pl-0a1b2c3d: a prefix list, whose entries are not read"}


def test_an_inverted_port_range_is_rejected_by_the_model():
    with pytest.raises(ValidationError, match="inverted port range 23-22: from_port is greater than to_port"):
        FirewallRule.model_validate(rule("x", ["10.0.0.0/8"], [(23, 22)]))
    assert netaddr.port_range_error(22, 23) is None
    assert netaddr.port_range_error(0, 70000) == "port range 0-70000 is outside 0-65535"


# -- through the CLI: `sansho scan` on an inventory file ----------------------------------------

SPELLINGS = [
    rule("split/lower-half", ["0.0.0.0/1"], group="sg-split"),
    rule("split/upper-half", ["128.0.0.0/1"], group="sg-split"),
    rule("ipv6-zero-spelled-out", ["::0/0"]),
    rule("ipv6-global-unicast", ["2000::/3"]),
    rule("azure-INTERNET", ["INTERNET"], provider="azure"),
    rule("trailing-space", ["0.0.0.0/0 "]),
    rule("office", ["133.5.0.0/16"]),
    rule("prefix-list", ["pl-0a1b2c3d"]),
]


def test_scan_fails_the_internet_however_it_is_spelled(tmp_path):
    inv = tmp_path / "network.json"
    inv.write_text(json.dumps({"schema_version": "1.0", "resources": SPELLINGS}))
    r = run("scan", str(inv), "--controls", "SAN-NET-001", "--format", "json")
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    got = {f["resource"]["id"]: f["status"] for f in doc["findings"]}
    assert got == {"split/lower-half": "FAIL", "split/upper-half": "FAIL", "ipv6-zero-spelled-out": "FAIL",
                   "ipv6-global-unicast": "FAIL", "azure-INTERNET": "FAIL", "trailing-space": "FAIL",
                   "office": "PASS", "prefix-list": "UNKNOWN"}
    msg = {f["resource"]["id"]: f["messages"]["en"] for f in doc["findings"]}
    assert msg["split/upper-half"] == (
        "ingress from 128.0.0.0/1 is allowed to administration (remote login) port(s) 22: with the other allow "
        "rules of sg-split, 100 % of the public address space can reach them (internet_share 0.01)")
    assert msg["prefix-list"].endswith("(sources: source pl-0a1b2c3d: a prefix list, whose entries are not read)")


def test_scan_names_an_inverted_port_range_and_exits_2(tmp_path):
    inv = tmp_path / "network.json"
    inv.write_text(json.dumps({"schema_version": "1.0", "resources": [rule("bad", ["0.0.0.0/0"], [(23, 22)])]}))
    r = run("scan", str(inv))
    assert r.returncode == 2
    assert r.stderr == (f"sansho: error: {inv}: field 'resources[0](id=bad).ports[0]': Value error, inverted port "
                        "range 23-22: from_port is greater than to_port\n")


def test_the_threshold_is_a_parameter(tmp_path):
    inv = tmp_path / "network.json"
    inv.write_text(json.dumps({"schema_version": "1.0", "resources": [rule("half", ["0.0.0.0/1"])]}))
    cfg = tmp_path / "sansho.yaml"
    cfg.write_text("parameters:\n  SAN-NET-001:\n    internet_share: 0.6\n")
    r = run("scan", str(inv), "--controls", "SAN-NET-001", "--format", "json", "--config", str(cfg))
    assert [f["status"] for f in json.loads(r.stdout)["findings"]] == ["PASS"]
    r = run("scan", str(inv), "--controls", "SAN-NET-001", "--format", "json")
    assert [f["status"] for f in json.loads(r.stdout)["findings"]] == ["FAIL"]
