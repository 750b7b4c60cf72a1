"""EC2 / VPC → ``network.segment`` and ``network.firewall_rule``; EBS → ``compute.disk`` and ``compute.snapshot``.

Per region, one unit reads the network (VPCs, subnets, route tables, flow logs, security groups
and their rules) and one reads EBS (volumes, snapshots, and the public snapshots in one
call: ``DescribeSnapshots(RestorableByUserIds=["all"])``).
"""

from __future__ import annotations

from typing import Any

from sansho.policies.model import (
    Disk,
    FirewallRule,
    NetworkSegment,
    PortRange,
    Resource,
    Snapshot,
    derive_exposure,
)

from .core import Context, ReadFailure, Unit, jsonable, medical_flag, tags_of

SERVICE = "ec2"
PERMISSIONS = [
    "ec2:DescribeVpcs",
    "ec2:DescribeSubnets",
    "ec2:DescribeRouteTables",
    "ec2:DescribeFlowLogs",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSecurityGroupRules",
    "ec2:DescribeNetworkAcls",
    "ec2:DescribeVolumes",
    "ec2:DescribeSnapshots",
    "ec2:GetEbsEncryptionByDefault",
]

ZONES = {"medical", "administrative", "guest", "byod", "internet", "remote_access", "maintenance", "dmz", "other"}


def plan(ctx: Context) -> list[Unit]:
    units = []
    for region in ctx.regions:
        units.append(Unit(SERVICE, region, f"vpc {region}", lambda c, r=region: network(c, r)))
        units.append(Unit(SERVICE, region, f"ebs {region}", lambda c, r=region: ebs(c, r)))
    return units


def _arn(ctx: Context, region: str, kind: str, rid: str) -> str:
    return f"arn:aws:ec2:{region}:{ctx.account}:{kind}/{rid}"


def network(ctx: Context, region: str) -> list[Resource]:
    ec2 = ctx.client("ec2", region)
    vpcs = ctx.paginate(ec2, "describe_vpcs", "Vpcs")
    errors: dict[str, str] = {}

    def optional(fields: tuple[str, ...], method: str, key: str) -> list[dict[str, Any]] | None:
        try:
            return ctx.paginate(ec2, method, key)
        except ReadFailure as f:
            reason = ctx.record(f, service=SERVICE, region=region)
            for fn in fields:
                errors.setdefault(fn, reason)
            return None

    subnets = optional(("subnets",), "describe_subnets", "Subnets")
    tables = optional(("internet_routed",), "describe_route_tables", "RouteTables")
    flow_logs = optional(("flow_logs_enabled",), "describe_flow_logs", "FlowLogs")
    groups = optional(("default_firewall_restricted",), "describe_security_groups", "SecurityGroups")

    logged = None if flow_logs is None else {
        fl.get("ResourceId") for fl in flow_logs if (fl.get("FlowLogStatus") or "ACTIVE") == "ACTIVE"}

    # Route tables: which tables reach an internet gateway, which table each subnet uses.
    igw_tables: set[str] = set()
    main_table: dict[str, str] = {}
    subnet_table: dict[str, str] = {}
    for t in tables or []:
        if any(str(r.get("GatewayId", "")).startswith("igw-") and r.get("State", "active") == "active"
               for r in t.get("Routes") or []):
            igw_tables.add(t["RouteTableId"])
        for a in t.get("Associations") or []:
            if a.get("Main"):
                main_table[t.get("VpcId", "")] = t["RouteTableId"]
            elif a.get("SubnetId"):
                subnet_table[a["SubnetId"]] = t["RouteTableId"]

    default_sg: dict[str, dict[str, Any]] = {}
    for g in groups or []:
        if g.get("GroupName") == "default":
            default_sg[g.get("VpcId", "")] = g

    out: list[Resource] = []
    for v in vpcs:
        vid = v["VpcId"]
        tags = tags_of(v.get("Tags"))
        routed = None if tables is None else any(
            t["RouteTableId"] in igw_tables for t in tables or [] if t.get("VpcId") == vid)
        restricted = None
        if groups is not None:
            g = default_sg.get(vid)
            restricted = None if g is None else not (g.get("IpPermissions") or g.get("IpPermissionsEgress"))
        read_errors = {k: m for k, m in errors.items()
                       if k in ("internet_routed", "flow_logs_enabled", "default_firewall_restricted")}
        if groups is not None and vid not in default_sg:
            read_errors["default_firewall_restricted"] = "the VPC's default security group was not listed"
        out.append(NetworkSegment(
            id=_arn(ctx, region, "vpc", vid), name=tags.get("Name") or vid, provider="aws",
            account=v.get("OwnerId") or ctx.account, region=region, source={"type": "live"}, tags=tags,
            segment_type="vpc", zone=_zone(tags, ctx), internet_routed=routed,
            flow_logs_enabled=None if logged is None else vid in logged,
            default_firewall_restricted=restricted, read_errors=read_errors,
            raw={"vpc": jsonable(v), "default_security_group": jsonable(default_sg.get(vid))},
        ))
    for s in subnets or []:
        sid, vid = s["SubnetId"], s.get("VpcId", "")
        tags = tags_of(s.get("Tags"))
        routed = None
        if tables is not None:
            table = subnet_table.get(sid) or main_table.get(vid)
            routed = table in igw_tables if table else False
        read_errors = {k: m for k, m in errors.items() if k in ("internet_routed", "flow_logs_enabled")}
        out.append(NetworkSegment(
            id=s.get("SubnetArn") or _arn(ctx, region, "subnet", sid), name=tags.get("Name") or sid,
            provider="aws", account=s.get("OwnerId") or ctx.account, region=region, source={"type": "live"},
            tags=tags, segment_type="subnet", zone=_zone(tags, ctx), internet_routed=routed,
            flow_logs_enabled=None if logged is None else (sid in logged or vid in logged),
            read_errors=read_errors, raw={"subnet": jsonable(s)},
        ))
    out.extend(_rules(ctx, region, groups))
    out.extend(network_acls(ctx, region))
    return out


def _zone(tags: dict[str, str], ctx: Context) -> Any:
    z = tags.get(ctx.tag_keys.zone, "").strip().lower()
    return z if z in ZONES else None


def _rules(ctx: Context, region: str, groups: list[dict[str, Any]] | None) -> list[Resource]:
    ec2 = ctx.client("ec2", region)
    try:
        rules = ctx.paginate(ec2, "describe_security_group_rules", "SecurityGroupRules")
    except ReadFailure as f:
        ctx.record(f, service=SERVICE, region=region)
        return []
    names = {g["GroupId"]: g.get("GroupName") for g in groups or []}
    out: list[Resource] = []
    for r in rules:
        if r.get("IsEgress"):
            continue  # only inbound exposure is judged
        proto = str(r.get("IpProtocol", ""))
        protocol = {"-1": "all", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}.get(proto, proto.lower())
        lo, hi = r.get("FromPort"), r.get("ToPort")
        if protocol == "all" or protocol.startswith("icmp") or lo is None or lo == -1:
            ports: list[PortRange] = []
        else:
            ports = [PortRange(from_port=int(lo), to_port=int(hi if hi is not None else lo))]
        source = (r.get("CidrIpv4") or r.get("CidrIpv6") or r.get("PrefixListId")
                  or (r.get("ReferencedGroupInfo") or {}).get("GroupId"))
        gid = r.get("GroupId", "")
        tags = tags_of(r.get("Tags"))
        label = r.get("Description") or f"{names.get(gid) or gid} {protocol} {_ports_text(ports)} from {source}"
        out.append(FirewallRule(
            id=_arn(ctx, region, "security-group-rule", r["SecurityGroupRuleId"]), name=label,
            provider="aws", account=r.get("GroupOwnerId") or ctx.account, region=region, source={"type": "live"},
            tags=tags, direction="ingress", action="allow", protocol=protocol,
            sources=[source] if source else [], ports=ports,
            attached_to=[_arn(ctx, region, "security-group", gid)], group=_arn(ctx, region, "security-group", gid),
            raw=jsonable(r),
        ))
    derive_exposure(out)  # a security group admits the union of its rules' sources
    return out


def _ports_text(ports: list[PortRange]) -> str:
    if not ports:
        return "all ports"
    p = ports[0]
    return str(p.from_port) if p.from_port == p.to_port else f"{p.from_port}-{p.to_port}"


def ebs(ctx: Context, region: str) -> list[Resource]:
    ec2 = ctx.client("ec2", region)
    out: list[Resource] = []
    defaults: dict[str, bool | str] = ctx.shared.setdefault("ebs_encryption_by_default", {})
    try:
        defaults[region] = bool(ctx.call(ec2, "get_ebs_encryption_by_default").get("EbsEncryptionByDefault"))
    except ReadFailure as f:
        defaults[region] = ctx.record(f, service=SERVICE, region=region)
    try:
        vols = ctx.paginate(ec2, "describe_volumes", "Volumes")
    except ReadFailure as f:  # the snapshots may still be readable
        ctx.record(f, service=SERVICE, region=region)
        vols = []
    for v in vols:
        tags = tags_of(v.get("Tags"))
        att = next((a for a in v.get("Attachments") or [] if a.get("InstanceId")), None)
        out.append(Disk(
            id=_arn(ctx, region, "volume", v["VolumeId"]), name=tags.get("Name") or v["VolumeId"],
            provider="aws", account=ctx.account, region=region, source={"type": "live"}, tags=tags,
            holds_medical_data=medical_flag(tags, ctx.tag_keys), encrypted=bool(v.get("Encrypted")),
            kms_key_id=v.get("KmsKeyId") or None,
            attached_to=_arn(ctx, region, "instance", att["InstanceId"]) if att else None,
            raw=jsonable(v),
        ))
    snaps = ctx.paginate(ec2, "describe_snapshots", "Snapshots", OwnerIds=["self"])
    # One call finds the public ones (restorable by "all") instead of one attribute call per snapshot.
    public_ids: set[str] | None = None
    public_error: str | None = None
    try:
        public_ids = {s["SnapshotId"] for s in ctx.paginate(
            ec2, "describe_snapshots", "Snapshots", OwnerIds=["self"], RestorableByUserIds=["all"])}
    except ReadFailure as f:
        public_error = ctx.record(f, service=SERVICE, region=region)
    for s in snaps:
        sid = s["SnapshotId"]
        arn = _arn(ctx, region, "snapshot", sid)
        tags = tags_of(s.get("Tags"))
        errors: dict[str, str] = {}
        public = None if public_ids is None else sid in public_ids
        if public_error:
            errors["public"] = public_error
        out.append(Snapshot(
            id=arn, name=tags.get("Name") or s.get("Description") or sid, provider="aws",
            account=s.get("OwnerId") or ctx.account, region=region, source={"type": "live"}, tags=tags,
            holds_medical_data=medical_flag(tags, ctx.tag_keys), encrypted=bool(s.get("Encrypted")),
            kms_key_id=s.get("KmsKeyId") or None, public=public, read_errors=errors, raw=jsonable(s),
        ))
    return out


def link(ctx: Context, resources: list[Resource]) -> None:
    """EBS encryption-by-default per region onto the account's settings (regions not read: read_errors)."""
    from sansho.policies.model import AccountSettings

    defaults = ctx.shared.get("ebs_encryption_by_default", {})
    on = {r: v for r, v in sorted(defaults.items()) if isinstance(v, bool)}
    unread = {r: v for r, v in sorted(defaults.items()) if not isinstance(v, bool)}
    for r in resources:
        if isinstance(r, AccountSettings) and r.account == ctx.account:
            r.disk_encryption_by_default = on
            if unread:
                r.read_errors["disk_encryption_by_default"] = "; ".join(f"{k}: {v}" for k, v in unread.items())


# -- network ACLs ---------------------------------------------------------------------------------

PROTOCOLS = {"-1": "all", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}
LAST_RULE = 32767  # the fixed "deny everything else" entry every network ACL ends with


def network_acls(ctx: Context, region: str) -> list[Resource]:
    """Inbound network ACL entries → ``network.firewall_rule``, honouring rule order.

    A NACL applies its entries in rule-number order and stops at the first match, so an allow
    entry opens only the ports that no lower-numbered deny entry for a wider-or-equal source
    and the same protocol (or all protocols) already closes. ``ports`` is what is left; an
    entry that is fully shadowed opens nothing to any source (``sources`` empty). The entry as
    AWS returned it, and which deny entries shadow it, are kept in ``raw``.
    """
    ec2 = ctx.client("ec2", region)
    try:
        acls = ctx.paginate(ec2, "describe_network_acls", "NetworkAcls")
    except ReadFailure as f:
        ctx.record(f, service=SERVICE, region=region)
        return []
    out: list[Resource] = []
    for acl in acls:
        aid = acl["NetworkAclId"]
        subnets = [_arn(ctx, region, "subnet", a["SubnetId"]) for a in acl.get("Associations") or [] if a.get("SubnetId")]
        entries = sorted((e for e in acl.get("Entries") or [] if not e.get("Egress")),
                         key=lambda e: int(e.get("RuleNumber", LAST_RULE)))
        for i, e in enumerate(entries):
            number = int(e.get("RuleNumber", LAST_RULE))
            if number == LAST_RULE:
                continue  # AWS's own final deny: it opens nothing and cannot be changed
            protocol = PROTOCOLS.get(str(e.get("Protocol", "")), str(e.get("Protocol", "")).lower())
            source = e.get("CidrBlock") or e.get("Ipv6CidrBlock")
            action = "allow" if e.get("RuleAction") == "allow" else "deny"
            ports = _entry_ports(protocol, e.get("PortRange"))
            name = f"{aid} #{number} {action} {protocol} {_ports_text(ports or [])} from {source}"
            shadowed_by: list[int] = []
            if action == "allow" and source and ports is not None:
                ports, shadowed_by = _after_denies(protocol, source, ports, entries[:i])
            sources = [source] if source else []
            if ports == []:  # every port the entry names is closed by earlier denies
                sources = []
            elif ports is None:
                ports = []
            if shadowed_by:
                name += f" (after deny #{', #'.join(map(str, shadowed_by))})"
            out.append(FirewallRule(
                id=_arn(ctx, region, "network-acl", f"{aid}/ingress/{number}"), name=name, provider="aws",
                account=acl.get("OwnerId") or ctx.account, region=region, source={"type": "live"},
                tags=tags_of(acl.get("Tags")), direction="ingress", action=action, protocol=protocol,
                sources=sources, ports=ports, attached_to=subnets, group=_arn(ctx, region, "network-acl", aid),
                raw={"network_acl": aid, "vpc": acl.get("VpcId"), "entry": jsonable(e),
                     "shadowed_by_rule_numbers": shadowed_by},
            ))
    derive_exposure(out)  # the allow entries of one network ACL, after the denies, together
    return out


def _entry_ports(protocol: str, rng: dict[str, Any] | None) -> list[PortRange] | None:
    """The entry's ports; None for every port (all protocols, ICMP, or no range given)."""
    if protocol == "all" or protocol.startswith("icmp") or not rng or rng.get("From") is None:
        return None
    return [PortRange(from_port=int(rng["From"]), to_port=int(rng.get("To", rng["From"])))]


def _after_denies(protocol: str, source: str, ports: list[PortRange] | None,
                  earlier: list[dict[str, Any]]) -> tuple[list[PortRange] | None, list[int]]:
    """``ports`` (None: all) minus those closed by earlier deny entries covering ``source``."""
    import ipaddress

    try:
        net = ipaddress.ip_network(source, strict=False)
    except ValueError:
        return ports, []
    left = [(p.from_port, p.to_port) for p in ports] if ports is not None else [(0, 65535)]
    by: list[int] = []
    for d in earlier:
        if d.get("RuleAction") != "deny":
            continue
        d_proto = PROTOCOLS.get(str(d.get("Protocol", "")), str(d.get("Protocol", "")).lower())
        if d_proto not in ("all", protocol):
            continue  # a deny of one protocol leaves the others open
        try:
            d_net = ipaddress.ip_network(d.get("CidrBlock") or d.get("Ipv6CidrBlock") or "", strict=False)
        except ValueError:
            continue
        if d_net.version != net.version or not net.subnet_of(d_net):  # type: ignore[arg-type]
            continue
        d_ports = _entry_ports(d_proto, d.get("PortRange"))
        lo, hi = (0, 65535) if d_ports is None else (d_ports[0].from_port, d_ports[0].to_port)
        cut: list[tuple[int, int]] = []
        for a, b in left:
            if b < lo or a > hi:
                cut.append((a, b))
                continue
            if a < lo:
                cut.append((a, lo - 1))
            if b > hi:
                cut.append((hi + 1, b))
        if cut != left:
            by.append(int(d.get("RuleNumber", 0)))
        left = cut
    if not by:
        return ports, []
    return [PortRange(from_port=a, to_port=b) for a, b in left], by
