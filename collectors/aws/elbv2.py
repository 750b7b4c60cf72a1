"""ELBv2 (Application / Network / Gateway Load Balancers) listeners → ``network.lb_listener``.

Per region: the load balancers, then each one's listeners. HTTPS/TLS listeners: the security
policy and its lowest TLS version (``min_tls_version``), from the policy's documented name
(the same table the IaC readers use) or, for a name sansho does not know, from
``DescribeSslPolicies`` (one call per region for all unknown names). HTTP listeners:
``redirects_to_https`` when a default action redirects to HTTPS.
"""

from __future__ import annotations

from typing import Any

from sansho.collectors.aws_documents import elb_policy_min_tls
from sansho.policies.model import LoadBalancerListener, Resource

from .core import Context, ReadFailure, Unit, jsonable

SERVICE = "elbv2"
PERMISSIONS = [
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeSSLPolicies",
]
PROTOCOLS = {"HTTP": "HTTP", "HTTPS": "HTTPS", "TLS": "TLS", "TCP": "TCP", "UDP": "UDP", "TCP_UDP": "TCP"}
TLS_ORDER = {"SSLv3": "0.3", "TLSv1": "1.0", "TLSv1.1": "1.1", "TLSv1.2": "1.2", "TLSv1.3": "1.3"}


def plan(ctx: Context) -> list[Unit]:
    return [Unit(SERVICE, r, f"elbv2 {r}", lambda c, r=r: listeners(c, r)) for r in ctx.regions]


def redirects_to_https(actions: list[dict[str, Any]] | None) -> bool:
    for a in actions or []:
        if a.get("Type") == "redirect" and str((a.get("RedirectConfig") or {}).get("Protocol", "")).upper() == "HTTPS":
            return True
    return False


def listeners(ctx: Context, region: str) -> list[Resource]:
    elb = ctx.client("elbv2", region)
    lbs = ctx.paginate(elb, "describe_load_balancers", "LoadBalancers")
    out: list[LoadBalancerListener] = []
    for lb in lbs:
        lb_arn = lb["LoadBalancerArn"]
        try:
            found = ctx.paginate(elb, "describe_listeners", "Listeners", LoadBalancerArn=lb_arn)
        except ReadFailure as f:
            ctx.record(f, resource=lb_arn, service=SERVICE)
            continue
        for li in found:
            errors: dict[str, str] = {}
            proto_raw = str(li.get("Protocol") or "").upper()
            proto = PROTOCOLS.get(proto_raw)
            if proto is None:
                errors["protocol"] = f"listener protocol {proto_raw or '(none)'} has no normalized value"
            fields: dict[str, Any] = {}
            if proto in ("HTTPS", "TLS"):
                pol = li.get("SslPolicy")
                fields["tls_policy"] = pol
                fields["min_tls_version"] = elb_policy_min_tls(pol) if pol else None
                if not pol:
                    errors["min_tls_version"] = "the listener names no security policy"
            elif proto == "HTTP":
                fields["redirects_to_https"] = redirects_to_https(li.get("DefaultActions"))
            out.append(LoadBalancerListener(
                id=li["ListenerArn"], name=f"{lb.get('LoadBalancerName')}:{li.get('Port')}", provider="aws",
                account=ctx.account, region=region, source={"type": "live"}, protocol=proto,  # type: ignore[arg-type]
                port=li.get("Port"), read_errors=errors,
                raw={"listener": jsonable(li), "load_balancer": {k: jsonable(lb.get(k)) for k in (
                    "LoadBalancerArn", "LoadBalancerName", "Scheme", "Type", "DNSName")}}, **fields,
            ))
    _resolve_unknown_policies(ctx, elb, out)
    return list(out)


def _resolve_unknown_policies(ctx: Context, elb: Any, found: list[LoadBalancerListener]) -> None:
    """Ask the API for the protocols of policies whose name sansho cannot read (custom or new ones)."""
    unknown = sorted({li.tls_policy for li in found if li.tls_policy and li.min_tls_version is None})
    if not unknown:
        return
    versions: dict[str, str] = {}
    why = None
    try:
        for p in ctx.call(elb, "describe_ssl_policies", Names=unknown).get("SslPolicies") or []:
            known = [TLS_ORDER[x] for x in p.get("SslProtocols") or [] if x in TLS_ORDER]
            if known:
                versions[p["Name"]] = min(known)
    except ReadFailure as f:
        why = ctx.record(f, service=SERVICE)
    for li in found:
        if li.tls_policy in unknown:
            li.min_tls_version = versions.get(li.tls_policy)
            if li.min_tls_version is None:
                li.read_errors["min_tls_version"] = why or f"security policy {li.tls_policy} lists no TLS protocol"
