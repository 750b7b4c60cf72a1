"""``--org-role``: every account of an AWS Organization, each read through a role of that name.

The accounts come from ``organizations:ListAccounts`` (called in the management account, or a
delegated administrator). The caller's own account is read with the caller's credentials; every
other ACTIVE account through ``arn:aws:iam::<id>:role/<name>``. Accounts are read a few at a
time (each one already reads its regions and services with its own bounded pool). An account
whose role cannot be assumed, or whose identity or region list cannot be read, becomes a
:class:`ReadError` (service ``sts`` / ``organizations``, resource ``aws:account:<id>``); the
other accounts' data is kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sansho.policies.errors import InputError

from .collection import AwsCollection, assume, err_key
from .core import Context, ReadError, ReadFailure, log

SERVICE = "organizations"
PERMISSIONS = [
    "organizations:ListAccounts",
]


def list_accounts(session: Any, secrets: tuple[str, ...], endpoint_url: str | None, **opts: Any) -> tuple[str, list[dict[str, Any]], Counter]:
    """The caller's account id and the organization's accounts."""
    from botocore.exceptions import BotoCoreError

    ctx = Context(session=session, account="", endpoint_url=endpoint_url, secrets=secrets,
                  max_attempts=opts["max_attempts"], connect_timeout=opts["connect_timeout"],
                  read_timeout=opts["read_timeout"])
    try:
        caller = ctx.call(ctx.client("sts"), "get_caller_identity")["Account"]
        accounts = ctx.paginate(ctx.client("organizations"), "list_accounts", "Accounts")
    except ReadFailure as f:
        raise InputError(f"cannot list the organization's accounts: {f.reason}") from None
    except BotoCoreError as e:
        raise InputError(ctx.scrub(f"cannot reach AWS: {type(e).__name__}: {e}")) from None
    return caller, accounts, ctx.calls


def plan_organization(session: Any, secrets: tuple[str, ...], endpoint_url: str | None, **opts: Any
                      ) -> tuple[str, list[str], list[ReadError], Counter]:
    """The caller's account, the ACTIVE accounts to read (the caller first when the list lacks it),
    a read error per account that is not active, and the calls made."""
    caller, accounts, calls = list_accounts(session, secrets, endpoint_url, **opts)
    errors: list[ReadError] = []
    skipped = [a for a in accounts if a.get("Status", "ACTIVE") != "ACTIVE"]
    for a in skipped:
        errors.append(ReadError(SERVICE, None, "organizations:ListAccounts",
                                f"account {a['Id']} is {a.get('Status')}: not read", f"aws:account:{a['Id']}"))
    ids = sorted(a["Id"] for a in accounts if a.get("Status", "ACTIVE") == "ACTIVE")
    if caller not in ids:
        ids.insert(0, caller)  # a delegated administrator outside the list still reads itself
    return caller, ids, errors, calls


def read_account(session: Any, secrets: tuple[str, ...], caller: str, account: str, role: str, regions: str,
                 endpoint_url: str | None, progress: bool, side_by_side: int, collect_account: Callable[..., Any],
                 **opts: Any) -> Any:
    """One account of the organization (through ``role`` unless it is the caller's): its
    collection, or the :class:`ReadError` saying why it could not be entered or read.
    ``side_by_side``: how many accounts are read at once here (each gets a share of the pool)."""
    acct_session, acct_secrets = session, secrets
    if account != caller:
        arn = f"arn:aws:iam::{account}:role/{role}"
        try:
            acct_session, more = assume(session, arn, endpoint_url, opts["max_attempts"],
                                        opts["connect_timeout"], opts["read_timeout"])
        except ReadFailure as f:
            return ReadError("sts", None, f.api, f.reason, f"aws:account:{account}")
        acct_secrets = secrets + more
    try:
        # each account's pool is smaller: accounts run side by side
        per = dict(opts, max_workers=max(4, opts["max_workers"] // max(1, side_by_side)))
        return collect_account(acct_session, acct_secrets, regions, endpoint_url, progress, **per)
    except InputError as e:
        return ReadError("sts", None, "sts:GetCallerIdentity", str(e), f"aws:account:{account}")
    except Exception as e:  # noqa: BLE001 - a bug in one account must not lose the others
        log.exception("account %s failed", account)
        return ReadError("sts", None, "(collector)", scrub(acct_secrets, f"internal error: {type(e).__name__}: {e}"),
                         f"aws:account:{account}")


def merge_organization(caller: str, ids: list[str], results: list[Any], errors: list[ReadError],
                       calls: Counter) -> AwsCollection:
    """One collection from the accounts' collections (or read errors), in the order of ``ids``."""
    errors = list(errors)
    resources, read, failed, all_regions = [], [], [], []
    for account, res in zip(ids, results, strict=True):
        if isinstance(res, ReadError):
            errors.append(res)
            failed.append(account)
            continue
        read.append(account)
        resources.extend(res.resources)
        errors.extend(res.errors)
        calls.update(res.calls)
        all_regions.extend(r for r in res.regions if r not in all_regions)
    resources.sort(key=lambda r: (r.kind, r.id))
    return AwsCollection(resources=resources, errors=sorted(errors, key=err_key), calls=calls, account=caller,
                         regions=all_regions, accounts=read, failed_accounts=failed, organization=True)


def collect_organization(session: Any, secrets: tuple[str, ...], role: str, regions: str, endpoint_url: str | None,
                         progress: bool, max_accounts: int, collect_account: Callable[..., Any], **opts: Any) -> Any:
    caller, ids, errors, calls = plan_organization(session, secrets, endpoint_url, **opts)
    side_by_side = min(max_accounts, len(ids))

    def one(account: str) -> Any:
        return read_account(session, secrets, caller, account, role, regions, endpoint_url, progress and len(ids) == 1,
                            side_by_side, collect_account, **opts)

    with ThreadPoolExecutor(max_workers=max(1, max_accounts), thread_name_prefix="sansho-aws-account") as pool:
        results = list(pool.map(one, ids))
    return merge_organization(caller, ids, results, errors, calls)


def scrub(secrets: tuple[str, ...], text: str) -> str:
    for s in secrets:
        if s and s in text:
            text = text.replace(s, "***")
    return text
