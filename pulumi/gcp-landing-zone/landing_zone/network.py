"""A custom-mode VPC with application, data and general subnets (flow logs on). Firewall rules by
network tag: SSH/RDP only from adminSourceRanges (IAP), PostgreSQL only from the application subnet
to the data tier, and the general subnet denied into the medical tiers; nothing from the internet."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi_gcp as gcp

from .settings import Settings, opts

MEDICAL_TAGS = ["medical-app", "medical-data"]


@dataclass(frozen=True)
class Network:
    vpc: gcp.compute.Network
    subnets: dict[str, gcp.compute.Subnetwork]


def make(s: Settings, p: gcp.Provider) -> Network:
    vpc = gcp.compute.Network("vpc", name=f"{s.prefix}-vpc", auto_create_subnetworks=False,
                              routing_mode="REGIONAL", opts=opts(p))
    subnets = {
        tier: gcp.compute.Subnetwork(
            f"subnet-{tier}", name=f"{s.prefix}-{tier}", network=vpc.id, region=s.primary, ip_cidr_range=cidr,
            private_ip_google_access=True,
            log_config={"aggregation_interval": "INTERVAL_5_SEC", "flow_sampling": 1.0,
                        "metadata": "INCLUDE_ALL_METADATA"},
            opts=opts(p))
        for tier, cidr in s.subnets.items()
    }

    def rule(name: str, *, priority: int, sources: list[str], targets: list[str], allow=None, deny=None):
        return gcp.compute.Firewall(name, name=f"{s.prefix}-{name}", network=vpc.id, direction="INGRESS",
                                    priority=priority, source_ranges=sources, target_tags=targets,
                                    allows=allow, denies=deny, log_config={"metadata": "INCLUDE_ALL_METADATA"},
                                    opts=opts(p))

    rule("deny-general-to-medical", priority=100, sources=[s.subnets["general"]], targets=MEDICAL_TAGS,
         deny=[{"protocol": "all"}])
    rule("admin-from-iap", priority=200, sources=s.admin_sources, targets=[*MEDICAL_TAGS, "general"],
         allow=[{"protocol": "tcp", "ports": ["22", "3389"]}])
    rule("postgres-from-app", priority=300, sources=[s.subnets["app"]], targets=["medical-data"],
         allow=[{"protocol": "tcp", "ports": ["5432"]}])
    rule("https-within-vpc", priority=400, sources=list(s.subnets.values()), targets=["medical-app", "general"],
         allow=[{"protocol": "tcp", "ports": ["443"]}])
    return Network(vpc=vpc, subnets=subnets)
