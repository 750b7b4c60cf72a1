"""Security groups read live (moto): the rules of one group are judged together (issue 15 item 1).

Before, 0.0.0.0/1 + 128.0.0.0/1 on port 22 passed SAN-NET-001: each rule was matched as a
string against 0.0.0.0/0. The resources live in eu-west-1, a region the hospital estate of
``hospital.py`` does not use, so its exact expectations are untouched.
"""

from __future__ import annotations

import pytest

from .hospital import ACCOUNT, _c

REGION = "eu-west-1"


@pytest.fixture(scope="module")
def groups(moto_endpoint, fake_env):
    ec2 = _c(moto_endpoint, "ec2", REGION)
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]

    def sg(name: str, perms: list[dict]) -> dict[str, str]:
        gid = ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=perms)
        rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [gid]}])["SecurityGroupRules"]
        return {f"{name}:{r.get('CidrIpv4') or r.get('CidrIpv6')}":
                f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group-rule/{r['SecurityGroupRuleId']}"
                for r in rules if not r["IsEgress"]}

    ssh = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22}
    ids = sg("split-halves", [{**ssh, "IpRanges": [{"CidrIp": "0.0.0.0/1"}, {"CidrIp": "128.0.0.0/1"}]}])
    ids |= sg("ipv6-global", [{**ssh, "Ipv6Ranges": [{"CidrIpv6": "2000::/3"}]}])
    ids |= sg("pair-a", [{**ssh, "IpRanges": [{"CidrIp": "4.0.0.0/7"}]}])  # 0.9 % each, in two groups
    ids |= sg("pair-b", [{**ssh, "IpRanges": [{"CidrIp": "6.0.0.0/7"}]}])
    ids |= sg("pair-both", [{**ssh, "IpRanges": [{"CidrIp": "4.0.0.0/7"}, {"CidrIp": "6.0.0.0/7"}]}])
    return ids


def test_split_cidrs_of_one_security_group_fail_net_001(groups, moto_endpoint, fake_env, catalog):
    from sansho.collectors.aws import collect
    from sansho.policies.engine.core import Engine

    result = collect(regions=REGION, endpoint_url=moto_endpoint)
    rules = [r for r in result.resources if r.kind == "network.firewall_rule" and r.id in groups.values()]
    assert len(rules) == 7
    split = {r.id: r for r in rules if r.id in (groups["split-halves:0.0.0.0/1"], groups["split-halves:128.0.0.0/1"])}
    assert {r.group for r in split.values()} == {next(iter(split.values())).attached_to[0]}
    assert [r.internet_share for r in split.values()] == [1.0, 1.0]
    findings = Engine(catalog).scan(rules, [catalog["SAN-NET-001"]]).findings
    fail = {f.resource.id for f in findings if f.status == "FAIL"}
    assert fail == {groups[k] for k in ("split-halves:0.0.0.0/1", "split-halves:128.0.0.0/1", "ipv6-global:2000::/3",
                                        "pair-both:4.0.0.0/7", "pair-both:6.0.0.0/7")}
    assert {f.resource.id for f in findings if f.status == "PASS"} == {groups["pair-a:4.0.0.0/7"],
                                                                       groups["pair-b:6.0.0.0/7"]}
    msg = next(f.message_en for f in findings if f.resource.id == groups["split-halves:128.0.0.0/1"])
    assert msg.startswith("ingress from 128.0.0.0/1 is allowed to administration (remote login) port(s) 22: with "
                          "the other allow rules of arn:aws:ec2:eu-west-1:")
    assert msg.endswith(", 100 % of the public address space can reach them (internet_share 0.01)")
