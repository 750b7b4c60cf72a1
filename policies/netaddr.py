"""Firewall sources and port ranges, read once for every reader.

What a firewall rule's sources and ports mean is decided here and nowhere else: the live
collectors, the IaC readers and inventory files all reach it through the model
(:class:`sansho.policies.model.FirewallRule` validates and derives its fields with it), so the
Rego and Python rules read derived numbers and never parse an address.

* A source is parsed with :mod:`ipaddress` (surrounding spaces dropped, any spelling of an
  address or range: ``::0/0`` is ``::/0``), or is a known tag in any case (``Internet``,
  ``*``, ``Any``, Azure's ``VirtualNetwork`` and ``AzureLoadBalancer``), or a reference to other
  instances (security groups, application security groups, GCP network tags and service
  accounts, ``self``). Anything else — an AWS prefix list whose entries are not read, an Azure
  service tag such as ``AzureCloud``, a typo — cannot be read: the rule is UNKNOWN, never PASS.
* The internet is measured, not spelled: the *share* of the public IPv4 space (everything but
  the IANA special-purpose ranges that are not globally reachable) or of global unicast IPv6
  (``2000::/3``) that the sources cover together. ``0.0.0.0/1`` + ``128.0.0.0/1`` covers all
  of it, like ``0.0.0.0/0``. Which share counts as "the internet" is a control parameter
  (``internet_share``), so this module only measures.
* Several allow rules of one group (an AWS security group or network ACL, an Azure NSG, the
  GCP firewall rules of one network with overlapping targets) admit the *union* of their
  sources on a port they share, so the share is computed per port range over that union; a
  rule answers for the union only where it adds public addresses to it (:func:`joint_share`).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

ALL_PORTS = (0, 65535)
# Protocols without ports: an ICMP rule shares no port with a TCP rule.
PORTLESS = frozenset({"icmp", "icmpv6", "ipv6-icmp", "1", "58"})
_PROTOCOL_NAMES = {"-1": "all", "*": "all", "any": "all", "6": "tcp", "17": "udp"}

# IPv4 ranges that are not reachable from the internet (IANA IPv4 Special-Purpose Address
# Registry, "Globally Reachable: False"), plus multicast and the reserved class E, which are
# never a unicast source. What is left is "the public IPv4 space".
_V4_NOT_PUBLIC = ("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
                  "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15",
                  "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4")
# Global unicast IPv6: the only range IANA allocates to the internet registries.
_V6_GLOBAL = ipaddress.IPv6Network("2000::/3")

# Tags, compared case-insensitively; the value is the canonical spelling.
INTERNET_TAGS = {"internet": "Internet", "*": "*", "any": "*", "0.0.0.0": "0.0.0.0/0"}
INTERNAL_TAGS = {"virtualnetwork": "VirtualNetwork", "azureloadbalancer": "AzureLoadBalancer", "self": "self"}
# References to other instances (they name machines, not address ranges): AWS security groups
# (live ``sg-…``, IaC ``sg:<address>``), Azure application security groups (live: the ASG's
# resource ID; IaC ``asg:<id>``), GCP network tags and service accounts.
_REFERENCE = re.compile(r"^(?:(?:\d{12}/)?sg-[0-9a-f]+|sg:.+|asg:.+|tag:.+|serviceaccount:.+|"
                        r"/subscriptions/.+/applicationsecuritygroups/.+)$", re.IGNORECASE)
_PREFIX_LIST = re.compile(r"^(?:pl-[0-9a-f]+|pl:.+)$", re.IGNORECASE)
_EVERYWHERE = (ipaddress.IPv4Network("0.0.0.0/0"), ipaddress.IPv6Network("::/0"))


def _intervals(nets: Iterable[str]) -> list[tuple[int, int]]:
    out = []
    for n in nets:
        net = ipaddress.ip_network(n)
        out.append((int(net.network_address), int(net.broadcast_address)))
    return sorted(out)


_V4_EXCLUDED = _intervals(_V4_NOT_PUBLIC)
V4_PUBLIC_SIZE = 2**32 - sum(b - a + 1 for a, b in _V4_EXCLUDED)
V6_GLOBAL_SIZE = _V6_GLOBAL.num_addresses
_V6_LO, _V6_HI = int(_V6_GLOBAL.network_address), int(_V6_GLOBAL.broadcast_address)


@dataclass(frozen=True)
class Source:
    """One source as read: its canonical spelling, the address ranges it stands for (``()`` for a
    reference to other instances), or why it cannot be read (``networks`` None)."""

    text: str
    networks: tuple[Network, ...] | None
    why: str | None = None


@lru_cache(maxsize=8192)
def read_source(value: str) -> Source:
    """Read one firewall source (any provider: the spellings do not collide)."""
    t = value.strip()
    low = t.lower()
    if low in INTERNET_TAGS:
        return Source(INTERNET_TAGS[low], _EVERYWHERE)
    if low in INTERNAL_TAGS:
        return Source(INTERNAL_TAGS[low], ())
    if _REFERENCE.match(t):
        return Source(t, ())
    if _PREFIX_LIST.match(t):
        return Source(t, None, f"source {t}: a prefix list, whose entries are not read")
    try:
        net = ipaddress.ip_network(t, strict=False)
    except ValueError:
        shown = value if value.strip() else "(empty)"
        return Source(t, None, f"source {shown!r} is not an IP address, a CIDR range, a reference to other "
                               "instances or a known tag (Internet, *, Any, VirtualNetwork, AzureLoadBalancer)")
    return Source(str(net), (net,))


def _public(networks: Iterable[Network]) -> tuple[int, int]:
    """How many public IPv4 and global unicast IPv6 addresses ``networks`` cover together."""
    return _public_of(tuple(networks))


@lru_cache(maxsize=8192)
def _public_of(networks: tuple[Network, ...]) -> tuple[int, int]:
    v4: list[tuple[int, int]] = []
    v6: list[tuple[int, int]] = []
    for n in networks:
        lo, hi = int(n.network_address), int(n.broadcast_address)
        if n.version == 4:
            v4.append((lo, hi))
        elif hi >= _V6_LO and lo <= _V6_HI:
            v6.append((max(lo, _V6_LO), min(hi, _V6_HI)))
    merged = _merge(v4)
    return sum(b - a + 1 for a, b in merged) - _overlap(merged, _V4_EXCLUDED), _covered(v6)


def _ratio(counts: tuple[int, int]) -> float:
    return round(max(counts[0] / V4_PUBLIC_SIZE, counts[1] / V6_GLOBAL_SIZE), 6)


def share(networks: Iterable[Network]) -> float:
    """The larger of: the share of the public IPv4 space and the share of global unicast IPv6
    that ``networks`` cover together (0.0–1.0, rounded to 6 places)."""
    return _ratio(_public(networks))


def joint_share(own: Sequence[Network], others: Sequence[Network]) -> float:
    """The share a rule answers for, next to the rules it is unioned with: its own share, or,
    in each address family where it admits public addresses the others do not, the share of
    the union. A rule that adds nothing public (a private range, an office inside another
    rule's 0.0.0.0/0, an IPv6 office next to an IPv4 0.0.0.0/0) is not blamed for the others."""
    mine = _public(own)
    if not others:
        return _ratio(mine)
    theirs = _public(others)
    both = _public((*own, *others))
    best = _ratio(mine)
    for f, size in ((0, V4_PUBLIC_SIZE), (1, V6_GLOBAL_SIZE)):
        if both[f] > theirs[f]:
            best = max(best, round(both[f] / size, 6))
    return best


def _merge(iv: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(iv):
        if out and a <= out[-1][1] + 1:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _covered(iv: list[tuple[int, int]]) -> int:
    return sum(b - a + 1 for a, b in _merge(iv))


def _overlap(merged: list[tuple[int, int]], excluded: list[tuple[int, int]]) -> int:
    total = 0
    for a, b in merged:
        for c, d in excluded:
            lo, hi = max(a, c), min(b, d)
            if lo <= hi:
                total += hi - lo + 1
    return total


# -- port ranges -------------------------------------------------------------------------------

def check_port_range(from_port: int, to_port: int) -> None:
    """Raise ValueError for a range no firewall can hold (inverted, or outside 0–65535)."""
    if from_port > to_port:
        raise ValueError(f"inverted port range {from_port}-{to_port}: from_port is greater than to_port")
    if from_port < 0 or to_port > 65535:
        raise ValueError(f"port range {from_port}-{to_port} is outside 0-65535")


def port_range_error(from_port: int, to_port: int) -> str | None:
    """Why ``from_port``–``to_port`` is not a port range, or None (for readers that record it)."""
    try:
        check_port_range(from_port, to_port)
    except ValueError as e:
        return str(e)
    return None


# -- a rule and its group -----------------------------------------------------------------------

@dataclass
class RuleView:
    """What the exposure of a rule depends on, read off the model (see ``model.FirewallRule``)."""

    networks: tuple[Network, ...] | None  # None: a source cannot be read (or sources not read)
    ports: list[tuple[int, int]] | None   # None: not read; [] never (every port is ALL_PORTS)
    protocol: str
    targets: frozenset[str]               # empty: every instance of the group
    opens: bool                           # an inbound allow rule (only those are unioned)
    group_has_peers: bool = True          # False when the rule has no group, or is alone in it


def protocol_name(protocol: str | None) -> str:
    p = (protocol or "all").strip().lower()
    return _PROTOCOL_NAMES.get(p, p)


def view(sources: Sequence[Source] | None, ports: Sequence[Any] | None, protocol: str | None,
         attached_to: Sequence[str] | None, group: str | None, opens: bool) -> RuleView:
    networks: tuple[Network, ...] | None = None
    if sources is not None and all(s.networks is not None for s in sources):
        networks = tuple(n for s in sources for n in s.networks or ())
    rng = None if ports is None else (_merge([(p.from_port, p.to_port) for p in ports]) or [ALL_PORTS])
    targets = frozenset(attached_to or ()) - ({group} if group else set())
    return RuleView(networks, rng, protocol_name(protocol), targets, opens)


def _shares(r: RuleView, peers: list[RuleView]) -> tuple[float, list[tuple[int, int, float]] | None]:
    """(largest share, per-port-range shares) of rule ``r`` with its compatible ``peers``."""
    assert r.networks is not None
    if r.protocol == "all":
        protocols = {"all"} | {q.protocol for q in peers if q.protocol not in PORTLESS}
    else:
        protocols = {r.protocol}

    def members(proto: str) -> list[RuleView]:
        return [q for q in peers if q.protocol == proto or q.protocol == "all"]

    def others(proto: str, lo: int | None = None, hi: int | None = None) -> tuple[Network, ...]:
        return tuple(n for q in members(proto) if lo is None or hi is None or _covers(q, lo, hi)
                     for n in q.networks or ())

    if r.ports is None:  # ports not read: every peer may share one of them (an upper bound)
        return max(joint_share(r.networks, others(p)) for p in protocols), None
    cuts = set()
    for lo, hi in r.ports:
        cuts.update((lo, hi + 1))
    for q in peers:
        for lo, hi in q.ports or ():
            cuts.update((lo, hi + 1))
    bounds = sorted(cuts)
    segments: list[tuple[int, int, float]] = []
    for lo, hi in sorted(r.ports):
        start = lo
        for end in [b for b in bounds if lo < b <= hi] + [hi + 1]:
            s = max(joint_share(r.networks, others(p, start, end - 1)) for p in protocols)
            if segments and segments[-1][1] >= start - 1 and segments[-1][2] == s:
                segments[-1] = (segments[-1][0], max(segments[-1][1], end - 1), s)
            else:
                segments.append((start, end - 1, s))
            start = end
    return max(s for _, _, s in segments), segments


def _covers(q: RuleView, lo: int, hi: int) -> bool:
    return any(a <= lo and hi <= b for a, b in q.ports or ())


def exposure(rule: RuleView, group: Sequence[RuleView] = ()) -> tuple[float | None, list[tuple[int, int, float]] | None]:
    """(internet share, per-port-range shares) of ``rule``, counting the other inbound allow
    rules of its ``group`` whose sources are read, whose ports are read, whose protocol matches
    (or is "all") and whose targets overlap. None when a source of the rule cannot be read."""
    if rule.networks is None:
        return None, None
    if not rule.group_has_peers:  # the common case: a rule judged alone
        own = share(rule.networks)
        return own, None if rule.ports is None else [(a, b, own) for a, b in rule.ports]
    peers = []
    if rule.opens:
        for q in group:
            if q is rule or not q.opens or q.networks is None or q.ports is None:
                continue
            if rule.targets and q.targets and not rule.targets & q.targets:
                continue
            if rule.protocol in PORTLESS or q.protocol in PORTLESS:
                if q.protocol != rule.protocol:
                    continue
            if rule.protocol not in ("all", q.protocol) and q.protocol != "all":
                continue
            peers.append(q)
    return _shares(rule, peers)
