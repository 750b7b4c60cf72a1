"""One VNet with Bastion, application, data and general subnets, each behind its own NSG. The
medical tiers (app, data) refuse the general subnet outright; SSH/RDP only from adminSourcePrefixes
(the Bastion subnet), SQL only from the application subnet, nothing from the internet."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi_azure_native as azure

from .settings import Groups, Settings
from .tags import tags

ADMIN_PORTS = ["22", "3389"]
SQL_PORT = "1433"


@dataclass(frozen=True)
class Network:
    vnet: azure.network.VirtualNetwork
    nsgs: dict[str, azure.network.NetworkSecurityGroup]

    def subnet_id(self, name: str):
        return self.vnet.subnets.apply(lambda subs: next(x.id for x in subs if x.name == name))


def _rule(name: str, priority: int, access: str, source, ports: list[str], protocol: str = "Tcp") -> dict:
    r = {"name": name, "priority": priority, "direction": "Inbound", "access": access, "protocol": protocol,
         "source_port_range": "*", "destination_address_prefix": "*"}
    r["source_address_prefixes" if isinstance(source, list) else "source_address_prefix"] = source
    r["destination_port_ranges" if len(ports) > 1 else "destination_port_range"] = ports if len(ports) > 1 else ports[0]
    return r


def make(s: Settings, g: Groups) -> Network:
    sn = s.subnets
    deny_general = _rule("deny-general-subnet", 100, "Deny", sn["general"], ["*"], "*")
    deny_rest = _rule("deny-all-other-inbound", 4000, "Deny", "*", ["*"], "*")
    admin = _rule("admin-from-bastion", 200, "Allow", s.admin_sources, ADMIN_PORTS)
    rules = {
        "app": [deny_general, admin, _rule("https-from-vnet", 300, "Allow", "VirtualNetwork", ["443"]), deny_rest],
        "data": [deny_general, _rule("sql-from-app", 200, "Allow", sn["app"], [SQL_PORT]), deny_rest],
        "general": [admin, _rule("https-from-vnet", 300, "Allow", "VirtualNetwork", ["443"]), deny_rest],
    }
    infra = tags(s, classification="internal", purpose="infrastructure", retention="none", backup="none")
    nsgs = {
        tier: azure.network.NetworkSecurityGroup(
            f"nsg-{tier}",
            network_security_group_name=f"{s.prefix}-{tier}-nsg",
            resource_group_name=g.primary.name,
            location=s.primary,
            security_rules=rs,
            tags={**infra, s.tag_keys["zone"]: "medical" if tier != "general" else "general",
                  s.tag_keys["medical"]: "true" if tier != "general" else "false"},
        )
        for tier, rs in rules.items()
    }
    vnet = azure.network.VirtualNetwork(
        "vnet",
        virtual_network_name=f"{s.prefix}-vnet",
        resource_group_name=g.primary.name,
        location=s.primary,
        address_space={"address_prefixes": [s.vnet_cidr]},
        subnets=[
            {"name": "AzureBastionSubnet", "address_prefix": sn["bastion"]},
            *({"name": tier, "address_prefix": sn[tier], "network_security_group": {"id": nsgs[tier].id},
               "private_endpoint_network_policies": "Enabled"} for tier in ("app", "data", "general")),
        ],
        tags=infra,
    )
    return Network(vnet=vnet, nsgs=nsgs)
