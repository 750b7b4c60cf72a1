"""The AWS collector: live configuration of an account, normalized into the inventory model.

``collect()`` reads every service module in ``services.MODULES`` over the chosen regions with
one boto3 session and a bounded pool of threads, and returns the resources, the read errors
and the API calls made. See ``docs/aws.md``.
"""

from __future__ import annotations

from typing import Any

from sansho.policies.errors import InputError

from .collection import HOME, AwsCollection, assume, err_key
from .core import Context, ReadError, ReadFailure, TagKeys, run_units
from .services import LINKS, MODULES

__all__ = ["AwsCollection", "ReadError", "TagKeys", "collect", "collect_org_account", "plan_org"]

ENABLED_OPT_IN = ("opt-in-not-required", "opted-in")


def collect(profile: str | None = None, regions: str = "all", role_arn: str | None = None,
            endpoint_url: str | None = None, progress: bool = False, *, org_role: str | None = None,
            region_endpoints: dict[str, str] | None = None, max_attempts: int = 5, max_workers: int = 16,
            connect_timeout: float = 10.0, read_timeout: float = 30.0,
            tag_keys: TagKeys | None = None, max_accounts: int = 4) -> AwsCollection:
    """Read an AWS account, or with ``org_role`` every account of its AWS Organization.

    ``regions`` is ``"all"`` (the account's enabled regions) or a comma-separated list.
    ``endpoint_url`` sends every client to one endpoint (an emulator, a private endpoint);
    ``region_endpoints`` overrides it per region. ``org_role`` names a role that exists in every
    member account: the accounts come from ``organizations:ListAccounts``, the caller's own
    account is read with the caller's credentials and every other active account through
    ``arn:aws:iam::<id>:role/<org_role>``, ``max_accounts`` at a time. An account that cannot be
    entered or read is recorded in ``errors`` and the others go on. Raises :class:`InputError`
    only when nothing can be read at all (no credentials, the caller's identity, region list or
    the organization's account list unreadable); any later failure is recorded in ``errors``
    and on the affected resources.
    """
    opts = _opts(max_attempts, max_workers, connect_timeout, read_timeout, tag_keys, region_endpoints)
    session, secrets = _session(profile, role_arn, endpoint_url, max_attempts, connect_timeout, read_timeout)
    if not org_role:
        return _collect_account(session, secrets, regions, endpoint_url, progress, **opts)
    from . import org

    return org.collect_organization(session, secrets, org_role, regions, endpoint_url, progress, max_accounts,
                                    _collect_account, **opts)


def _opts(max_attempts: int, max_workers: int, connect_timeout: float, read_timeout: float,
          tag_keys: TagKeys | None, region_endpoints: dict[str, str] | None = None) -> dict[str, Any]:
    return dict(region_endpoints=dict(region_endpoints or {}), max_attempts=max_attempts, max_workers=max_workers,
                connect_timeout=connect_timeout, read_timeout=read_timeout, tag_keys=tag_keys or TagKeys())


def plan_org(profile: str | None = None, role_arn: str | None = None, endpoint_url: str | None = None, *,
             max_attempts: int = 5, connect_timeout: float = 10.0, read_timeout: float = 30.0
             ) -> tuple[str, list[str], list[ReadError], Any]:
    """``--org-role`` split over machines, first half (on the client): the caller's account, the
    accounts to read, a read error per inactive account and the calls made. Each account is then
    read by :func:`collect_org_account`, anywhere, and :func:`org.merge_organization` joins them."""
    from . import org

    session, secrets = _session(profile, role_arn, endpoint_url, max_attempts, connect_timeout, read_timeout)
    return org.plan_organization(session, secrets, endpoint_url, max_attempts=max_attempts,
                                 connect_timeout=connect_timeout, read_timeout=read_timeout)


def collect_org_account(account: str, caller: str, org_role: str, profile: str | None = None, regions: str = "all",
                        role_arn: str | None = None, endpoint_url: str | None = None, *, max_attempts: int = 5,
                        max_workers: int = 16, connect_timeout: float = 10.0, read_timeout: float = 30.0,
                        tag_keys: TagKeys | None = None) -> AwsCollection | ReadError:
    """One account of an organization, read with this process's own credential chain (a Dask
    worker's): the caller's account directly, any other through ``arn:aws:iam::<id>:role/<org_role>``,
    exactly as :func:`collect` reads it. Never raises for the account itself: what cannot be
    entered or read is the returned :class:`ReadError`."""
    from . import org

    opts = _opts(max_attempts, max_workers, connect_timeout, read_timeout, tag_keys)
    try:
        session, secrets = _session(profile, role_arn, endpoint_url, max_attempts, connect_timeout, read_timeout)
    except InputError as e:
        return ReadError("sts", None, "(credentials)", str(e), f"aws:account:{account}")
    return org.read_account(session, secrets, caller, account, org_role, regions, endpoint_url, False, 1,
                            _collect_account, **opts)


def _session(profile: str | None, role_arn: str | None, endpoint_url: str | None, max_attempts: int,
             connect_timeout: float, read_timeout: float) -> tuple[Any, tuple[str, ...]]:
    import boto3
    from botocore.exceptions import ProfileNotFound

    try:
        session = boto3.Session(profile_name=profile)
    except ProfileNotFound as e:
        raise InputError(f"AWS profile not found: {e.kwargs.get('profile', profile)}") from None
    creds = session.get_credentials()
    if creds is None:
        raise InputError("no AWS credentials found (set a profile, environment variables or an instance role)")
    frozen = creds.get_frozen_credentials()
    secrets = tuple(s for s in (frozen.access_key, frozen.secret_key, frozen.token) if s)
    if role_arn:
        try:
            session, more = assume(session, role_arn, endpoint_url, max_attempts, connect_timeout, read_timeout)
        except ReadFailure as f:
            raise InputError(f"cannot assume role {role_arn}: {f.code}") from None
        secrets += more
    return session, secrets


def _collect_account(session: Any, secrets: tuple[str, ...], regions: str, endpoint_url: str | None,
                     progress: bool, *, region_endpoints: dict[str, str], max_attempts: int, max_workers: int,
                     connect_timeout: float, read_timeout: float, tag_keys: TagKeys) -> AwsCollection:
    from botocore.exceptions import BotoCoreError

    ctx = Context(session=session, account="", endpoint_url=endpoint_url,
                  region_endpoints=dict(region_endpoints), max_attempts=max_attempts,
                  max_workers=max_workers, connect_timeout=connect_timeout, read_timeout=read_timeout,
                  tag_keys=tag_keys, home_region=HOME, secrets=secrets)
    try:
        ctx.account = ctx.call(ctx.client("sts", HOME), "get_caller_identity")["Account"]
        ctx.regions = _regions(ctx, regions)
    except ReadFailure as f:
        raise InputError(f"cannot read the AWS account: {f.reason}") from None
    except BotoCoreError as e:  # e.g. a malformed endpoint
        raise InputError(ctx.scrub(f"cannot reach AWS: {type(e).__name__}: {e}")) from None

    units = [u for m in MODULES for u in m.plan(ctx)]
    resources = run_units(ctx, units, progress=progress)
    for link in LINKS:
        link(ctx, resources)
    resources.sort(key=lambda r: (r.kind, r.id))
    return AwsCollection(resources=resources, errors=sorted(ctx.errors, key=err_key), calls=ctx.calls,
                         account=ctx.account, regions=list(ctx.regions), accounts=[ctx.account])


def _regions(ctx: Context, spec: str) -> list[str]:
    spec = (spec or "all").strip()
    if spec.lower() != "all":
        out = [r.strip() for r in spec.split(",") if r.strip()]
        if not out:
            raise InputError("--regions: give 'all' or a comma-separated list of regions")
        return list(dict.fromkeys(out))
    resp = ctx.call(ctx.client("ec2", ctx.home_region), "describe_regions", AllRegions=False)
    return sorted(r["RegionName"] for r in resp.get("Regions") or []
                  if r.get("OptInStatus", "opt-in-not-required") in ENABLED_OPT_IN)
