"""Access-control rules that need dates: key age, maintenance-account expiry, break-glass use,
unused and leavers' accounts.

The rest of the family (root account, MFA, password policy, roles, device passwords, shared
accounts) is Rego in ``rego/sansho/access_control/access_control.rego``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sansho.policies.model import IdentityUser
from sansho.policies.rules.registry import (
    RuleContext,
    Verdict,
    after_scan_date,
    days_between,
    failed,
    not_applicable,
    passed,
    rule,
    unknown,
)


@rule("SAN-IAM-005")
def access_keys_rotated(r: IdentityUser, params: dict[str, Any], ctx: RuleContext) -> Verdict:
    """Active access keys are no older than max_key_age_days.

    A key proven stale fails even when another key of the user was not read; a key whose
    state or (when active) creation date was not read otherwise makes the verdict UNKNOWN.
    Users with no active key are not in scope.
    """
    if r.access_keys is None:
        return unknown("access_keys")
    max_age = int(params["max_key_age_days"])
    stale: list[str] = []
    unread: list[str] = []
    active = 0
    for k in r.access_keys:
        if k.active is None:
            unread.append(f"access_keys[{k.id}].active")
            continue
        if not k.active:
            continue
        active += 1
        if k.created is None:
            unread.append(f"access_keys[{k.id}].created")
        elif k.created > ctx.today:
            # A creation date after the scan date cannot be trusted; judge it as not read.
            unread.append(f"access_keys[{k.id}].created")
        elif days_between(k.created, ctx.today) > max_age:
            stale.append(f"{k.id} ({days_between(k.created, ctx.today)} days)")
    if stale:
        listed = ", ".join(stale)
        return failed(
            f"active access keys older than {max_age} days: {listed}",
            f"作成から {max_age} 日を超えた有効なアクセスキーがあります: {listed}",
        )
    if unread:
        return unknown(", ".join(unread))
    if active == 0:
        return not_applicable("the user has no active access keys", "このユーザに有効なアクセスキーはありません")
    return passed(
        f"every active access key is at most {max_age} days old",
        f"有効なアクセスキーはすべて作成から {max_age} 日以内です",
    )


@rule("SAN-IAM-007")
def maintenance_account_time_limited(r: IdentityUser, params: dict[str, Any], ctx: RuleContext) -> Verdict:
    """Maintenance accounts expire within max_maintenance_validity_days and are not used after.

    ``expires`` None means not read, so it is UNKNOWN; ``"never"`` (read: no expiry set) fails.
    An expiry already past passes unless the account was used after it; a use after the expiry
    is a failure whatever the rest.
    """
    if r.purpose is None:
        return unknown("purpose")
    if r.purpose != "maintenance":
        return not_applicable("not a maintenance account", "保守要員用のアカウントではありません")
    if r.expires is None:
        return unknown("expires")
    if r.expires == "never":
        return failed("the maintenance account has no expiry date",
                      "保守要員用アカウントに有効期限が設定されていません")
    if isinstance(r.last_used, dt.date) and r.last_used > r.expires:
        return failed(
            f"the maintenance account expired on {r.expires.isoformat()} but was used on {r.last_used.isoformat()}",
            f"保守要員用アカウントの有効期限 {r.expires.isoformat()} を過ぎた {r.last_used.isoformat()} に使用されています",
        )
    max_days = int(params["max_maintenance_validity_days"])
    limit = ctx.today + dt.timedelta(days=max_days)
    if r.expires > limit:
        return failed(
            f"the maintenance account is valid until {r.expires.isoformat()}, more than {max_days} days ahead",
            f"保守要員用アカウントの有効期限 {r.expires.isoformat()} が {max_days} 日より先に設定されています",
        )
    if r.expires < ctx.today:
        return passed(
            f"the maintenance account's validity ended on {r.expires.isoformat()}",
            f"保守要員用アカウントの有効期限は {r.expires.isoformat()} に終了しています",
        )
    return passed(
        f"the maintenance account expires on {r.expires.isoformat()}, within {max_days} days",
        f"保守要員用アカウントの有効期限は {r.expires.isoformat()} で、{max_days} 日以内です",
    )


@rule("SAN-IAM-008")
def break_glass_credentials_changed(r: IdentityUser, params: dict[str, Any], ctx: RuleContext) -> Verdict:
    """Break-glass users: credentials changed on or after the last use, and no active keys.

    Dates are days, so a change on the day of use counts as after it. Known failures come
    before unread fields; any unread field otherwise makes the verdict UNKNOWN.
    """
    if r.purpose is None:
        return unknown("purpose")
    if r.purpose != "break_glass":
        return not_applicable("not a break-glass account", "非常時のユーザアカウントではありません")
    problems_en: list[str] = []
    problems_ja: list[str] = []
    unread: list[str] = []
    if r.access_keys is None:
        unread.append("access_keys")
    else:
        active = [k.id for k in r.access_keys if k.active is True]
        unread += [f"access_keys[{k.id}].active" for k in r.access_keys if k.active is None]
        if active:
            problems_en.append(f"it has active access keys ({', '.join(active)})")
            problems_ja.append(f"有効なアクセスキーがあります({', '.join(active)})")
    if r.last_used is None:
        unread.append("last_used")
    elif r.last_used == "never":
        pass  # never used in an emergency: nothing to have changed since
    elif r.credential_changed is None:
        unread.append("credential_changed")
    elif r.last_used > r.credential_changed:
        problems_en.append(
            f"it was used on {r.last_used.isoformat()} and its credentials have not been changed since "
            f"(last change {r.credential_changed.isoformat()})"
        )
        problems_ja.append(
            f"{r.last_used.isoformat()} に使用された後、認証情報が変更されていません"
            f"(最終変更 {r.credential_changed.isoformat()})"
        )
    if problems_en:
        return failed("break-glass account: " + "; ".join(problems_en),
                      "非常時のユーザアカウント: " + "、".join(problems_ja))
    if unread:
        return unknown(", ".join(unread))
    if r.last_used == "never":
        return passed("the break-glass account has never been used and has no active access keys",
                      "非常時のユーザアカウントは未使用で、有効なアクセスキーもありません")
    assert isinstance(r.last_used, dt.date) and r.credential_changed is not None
    return passed(
        f"credentials were changed on {r.credential_changed.isoformat()}, after the last use on "
        f"{r.last_used.isoformat()}, and there are no active access keys",
        f"最終使用日 {r.last_used.isoformat()} 以降の {r.credential_changed.isoformat()} に認証情報が変更され、"
        "有効なアクセスキーもありません",
    )


@rule("SAN-IAM-013")
def unneeded_accounts_removed(r: IdentityUser, params: dict[str, Any], ctx: RuleContext) -> Verdict:
    """No account of a leaver (``left_on`` on or before the scan date), none unused for more than
    max_unused_days, none never used. Break-glass accounts are meant to stay unused (SAN-IAM-008).

    ``left_on`` is judged where it is recorded (an on-prem register); a recorded leaver fails
    whatever the last use. Otherwise the last use decides, and an unread one is UNKNOWN.
    """
    if r.purpose == "break_glass":
        return not_applicable("a break-glass account is meant to stay unused (SAN-IAM-008)",
                              "非常時のユーザアカウントは通常使われないことが前提です(SAN-IAM-008)")
    if r.left_on is not None and r.left_on <= ctx.today:
        return failed(
            f"the person left on {r.left_on.isoformat()} and the account still exists",
            f"{r.left_on.isoformat()} に退職・異動・契約終了した者のアカウントが削除されていません",
        )
    if r.last_used is None:
        return unknown("last_used")
    if r.last_used == "never":
        return failed("the account has never been used", "一度も使用されていないアカウントです")
    if r.last_used > ctx.today:
        return after_scan_date("last_used", r.last_used, ctx.today)
    max_days = int(params["max_unused_days"])
    idle = days_between(r.last_used, ctx.today)
    if idle > max_days:
        return failed(
            f"the account was last used on {r.last_used.isoformat()}, {idle} days ago (more than {max_days})",
            f"最終使用日 {r.last_used.isoformat()} から {idle} 日使用されていません({max_days} 日超)",
        )
    return passed(
        f"the account was last used on {r.last_used.isoformat()}, within {max_days} days",
        f"最終使用日は {r.last_used.isoformat()} で、{max_days} 日以内です",
    )
