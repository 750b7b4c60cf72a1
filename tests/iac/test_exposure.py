"""`sansho iac` reads firewall sources as address ranges (issue 15 item 1).

Before, the split halves of 0.0.0.0/0 (in one security group, in separate rule resources of one
group, in one GCP network), ``::0/0``, ``2000::/3``, ``INTERNET`` and ``"0.0.0.0/0 "`` passed
SAN-NET-001 in Terraform and CloudFormation alike, and an inverted port range passed as a range
of no ports. ``tests/iac/corpus/exposure`` holds both.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..support.cli import run

CORPUS = Path(__file__).parent / "corpus" / "exposure"


def _statuses(*inputs: Path) -> dict[str, tuple[str, str]]:
    r = run("iac", *map(str, inputs), "--controls", "SAN-NET-001", "--format", "json", "--as-of", "2026-11-01")
    assert r.returncode == 1, r.stderr
    return {f["resource"]["id"]: (f["status"], f["messages"]["en"]) for f in json.loads(r.stdout)["findings"]}


INVERTED = "(ports: inverted port range 3390-3389: from_port is greater than to_port"


def test_terraform_fails_the_internet_however_it_is_spelled():
    got = _statuses(CORPUS / "terraform")
    assert {k: s for k, (s, _) in got.items()} == {
        "aws_security_group.split.ingress[0]": "FAIL",
        "aws_security_group.split.ingress[1]": "FAIL",
        "aws_security_group.spellings.ingress[0]": "FAIL",  # ::0/0
        "aws_security_group.spellings.ingress[1]": "FAIL",  # 2000::/3
        "aws_security_group.spellings.ingress[2]": "FAIL",  # "0.0.0.0/0 "
        "aws_security_group.spellings.ingress[3]": "PASS",  # 133.5.0.0/16
        "aws_security_group.spellings.ingress[4]": "UNKNOWN",  # 3390-3389
        "aws_security_group_rule.lower": "FAIL",
        "aws_vpc_security_group_ingress_rule.upper": "FAIL",
        "azurerm_network_security_group.edge.security_rule[0]": "FAIL",  # INTERNET
        "azurerm_network_security_group.edge.security_rule[1]": "UNKNOWN",  # 3390-3389
        "google_compute_firewall.lower": "FAIL",
        "google_compute_firewall.upper": "FAIL",
    }
    assert got["aws_security_group_rule.lower"][1] == (
        "ingress from 0.0.0.0/1 is allowed to administration (remote login) port(s) 3389: with the other allow "
        "rules of aws_security_group.joined, 100 % of the public address space can reach them (internet_share 0.01)")
    assert INVERTED in got["aws_security_group.spellings.ingress[4]"][1]
    assert INVERTED in got["azurerm_network_security_group.edge.security_rule[1]"][1]


def test_cloudformation_fails_the_internet_however_it_is_spelled():
    got = _statuses(CORPUS / "exposure.cfn.yaml")
    assert {k: s for k, (s, _) in got.items()} == {
        "Split.ingress[0]": "FAIL", "Split.ingress[1]": "FAIL",
        "Spellings.ingress[0]": "FAIL", "Spellings.ingress[1]": "FAIL", "Spellings.ingress[2]": "FAIL",
        "Spellings.ingress[3]": "FAIL",  # INTERNET
        "Spellings.ingress[4]": "UNKNOWN",  # 3390-3389
        "Office": "PASS",  # an office inside the group's 0.0.0.0/0 is not blamed for it
    }
    assert INVERTED in got["Spellings.ingress[4]"][1]
