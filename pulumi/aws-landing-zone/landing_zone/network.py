"""A VPC across two AZs: public, application and data subnets. Only the public subnets route to the
internet (the application tier leaves through a NAT gateway; the data tier has no default route at
all). S3 and KMS are reached through VPC endpoints; flow logs go to the locked log bucket; security
groups admit only the tier in front of them."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi_aws as aws

import pulumi

from .providers import Providers
from .settings import Settings
from .tags import tags

HTTPS = 443
APP_PORT = 8443
POSTGRES = 5432


@dataclass(frozen=True)
class Network:
    vpc: aws.ec2.Vpc
    public_subnets: list[aws.ec2.Subnet]
    app_subnets: list[aws.ec2.Subnet]
    data_subnets: list[aws.ec2.Subnet]
    sg_public: aws.ec2.SecurityGroup
    sg_app: aws.ec2.SecurityGroup
    sg_data: aws.ec2.SecurityGroup


def _net_tags(s: Settings, zone: str, name: str) -> dict[str, str]:
    return {
        **tags(s, classification="internal", purpose="network", retention="none", backup="none", zone=zone),
        "Name": name,
    }


def _ingress(
    name: str,
    sg: aws.ec2.SecurityGroup,
    port: int,
    p: Providers,
    *,
    cidr: str | None = None,
    source: aws.ec2.SecurityGroup | None = None,
    description: str,
) -> None:
    aws.vpc.SecurityGroupIngressRule(
        name,
        security_group_id=sg.id,
        ip_protocol="tcp",
        from_port=port,
        to_port=port,
        cidr_ipv4=cidr,
        referenced_security_group_id=source.id if source is not None else None,
        description=description,
        opts=p.opts(),
    )


def make(s: Settings, p: Providers, log_bucket_arn: pulumi.Input[str]) -> Network:
    vpc = aws.ec2.Vpc(
        "vpc",
        cidr_block=s.vpc_cidr,
        enable_dns_hostnames=True,
        enable_dns_support=True,
        tags=_net_tags(s, "other", f"{s.prefix}-vpc"),
        opts=p.opts(),
    )
    # The default security group of the VPC admits nothing.
    aws.ec2.DefaultSecurityGroup(
        "default-sg", vpc_id=vpc.id, tags=_net_tags(s, "other", "default-deny"), opts=p.opts()
    )
    aws.ec2.FlowLog(
        "flow-logs",
        vpc_id=vpc.id,
        traffic_type="ALL",
        log_destination_type="s3",
        log_destination=pulumi.Output.concat(log_bucket_arn, "/vpc-flow-logs/"),
        max_aggregation_interval=60,
        tags=_net_tags(s, "other", "flow-logs"),
        opts=p.opts(),
    )
    igw = aws.ec2.InternetGateway("igw", vpc_id=vpc.id, tags=_net_tags(s, "internet", "igw"), opts=p.opts())

    def subnets(tier: str, cidrs: list[str], zone: str) -> list[aws.ec2.Subnet]:
        return [
            aws.ec2.Subnet(
                f"{tier}-{i}",
                vpc_id=vpc.id,
                cidr_block=cidr,
                availability_zone=az,
                map_public_ip_on_launch=False,
                tags=_net_tags(s, zone, f"{s.prefix}-{tier}-{az}"),
                opts=p.opts(),
            )
            for i, (cidr, az) in enumerate(zip(cidrs, s.azs, strict=True))
        ]

    public = subnets("public", s.public_cidrs, "dmz")
    app = subnets("app", s.app_cidrs, "medical")
    data = subnets("data", s.data_cidrs, "medical")

    rt_public = aws.ec2.RouteTable(
        "rt-public", vpc_id=vpc.id, tags=_net_tags(s, "dmz", "public"), opts=p.opts()
    )
    aws.ec2.Route(
        "rt-public-default",
        route_table_id=rt_public.id,
        destination_cidr_block="0.0.0.0/0",
        gateway_id=igw.id,
        opts=p.opts(),
    )
    eip = aws.ec2.Eip("nat-eip", domain="vpc", tags=_net_tags(s, "dmz", "nat"), opts=p.opts())
    nat = aws.ec2.NatGateway(
        "nat",
        subnet_id=public[0].id,
        allocation_id=eip.id,
        tags=_net_tags(s, "dmz", "nat"),
        opts=p.opts(depends_on=[igw]),
    )
    rt_app = aws.ec2.RouteTable("rt-app", vpc_id=vpc.id, tags=_net_tags(s, "medical", "app"), opts=p.opts())
    aws.ec2.Route(
        "rt-app-default",
        route_table_id=rt_app.id,
        destination_cidr_block="0.0.0.0/0",
        nat_gateway_id=nat.id,
        opts=p.opts(),
    )
    # No route to 0.0.0.0/0 in the data tier: only the VPC itself and the S3 gateway endpoint.
    rt_data = aws.ec2.RouteTable(
        "rt-data", vpc_id=vpc.id, tags=_net_tags(s, "medical", "data"), opts=p.opts()
    )
    for tier, table, group in (("public", rt_public, public), ("app", rt_app, app), ("data", rt_data, data)):
        for i, sn in enumerate(group):
            aws.ec2.RouteTableAssociation(
                f"rta-{tier}-{i}", subnet_id=sn.id, route_table_id=table.id, opts=p.opts()
            )

    def sg(name: str, zone: str, description: str) -> aws.ec2.SecurityGroup:
        return aws.ec2.SecurityGroup(
            f"sg-{name}",
            vpc_id=vpc.id,
            description=description,
            tags=_net_tags(s, zone, f"{s.prefix}-{name}"),
            opts=p.opts(),
        )

    sg_public = sg("public", "dmz", "Load balancers: HTTPS from the internet")
    sg_app = sg("app", "medical", "Application servers: from the load balancers only")
    sg_data = sg("data", "medical", "Databases: PostgreSQL from the application tier only")
    sg_endpoints = sg("endpoints", "medical", "Interface endpoints: HTTPS from the VPC tiers")
    _ingress("public-https", sg_public, HTTPS, p, cidr="0.0.0.0/0", description="HTTPS from the internet")
    _ingress("app-from-public", sg_app, APP_PORT, p, source=sg_public, description="from the load balancers")
    _ingress("data-from-app", sg_data, POSTGRES, p, source=sg_app, description="PostgreSQL from the app tier")
    for tier, src in (("app", sg_app), ("data", sg_data)):
        _ingress(
            f"endpoints-from-{tier}", sg_endpoints, HTTPS, p, source=src, description=f"HTTPS from {tier}"
        )
    # Egress: each tier talks only to the next one (and to the endpoints); the load balancers to the app.
    for name, group, port, dest in (
        ("public-to-app", sg_public, APP_PORT, sg_app),
        ("app-to-data", sg_app, POSTGRES, sg_data),
        ("app-to-endpoints", sg_app, HTTPS, sg_endpoints),
        ("data-to-endpoints", sg_data, HTTPS, sg_endpoints),
    ):
        aws.vpc.SecurityGroupEgressRule(
            f"egress-{name}",
            security_group_id=group.id,
            ip_protocol="tcp",
            from_port=port,
            to_port=port,
            referenced_security_group_id=dest.id,
            opts=p.opts(),
        )

    aws.ec2.VpcEndpoint(
        "vpce-s3",
        vpc_id=vpc.id,
        service_name=f"com.amazonaws.{s.primary_region}.s3",
        vpc_endpoint_type="Gateway",
        route_table_ids=[rt_app.id, rt_data.id],
        tags=_net_tags(s, "medical", "vpce-s3"),
        opts=p.opts(),
    )
    aws.ec2.VpcEndpoint(
        "vpce-kms",
        vpc_id=vpc.id,
        service_name=f"com.amazonaws.{s.primary_region}.kms",
        vpc_endpoint_type="Interface",
        private_dns_enabled=True,
        subnet_ids=[sn.id for sn in data],
        security_group_ids=[sg_endpoints.id],
        tags=_net_tags(s, "medical", "vpce-kms"),
        opts=p.opts(),
    )
    return Network(vpc, public, app, data, sg_public, sg_app, sg_data)
