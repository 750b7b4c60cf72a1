"""IAM → ``identity.user``, ``identity.group``, ``identity.role`` and the account's ``account.settings``.

One global unit reads ``GetAccountAuthorizationDetails`` (roles, users and groups with their
inline and attached policies, users' tags and group memberships, customer-managed policy
documents), ``ListUsers`` (password last used) and the credential report (password last changed);
each user is then its own unit (login profile, MFA devices, access keys and their last use). A
second unit reads the account summary (root MFA and root access keys) and the password policy.

Full administrative rights (``full_admin`` of a role, ``admin_rights`` of a user or group): an
inline or attached policy that allows every action on every resource
(:func:`~sansho.collectors.aws_documents.grants_full_admin`), or AdministratorAccess; a user also
has them through any group it belongs to. AWS managed policies other than AdministratorAccess
are read (``GetPolicyVersion``) like customer-managed ones; one that cannot be read leaves the
rights unread (UNKNOWN) unless another policy already grants them.
Whether every user the password policy governs (a console password) has a second factor,
``password_users_without_mfa`` of the account's settings, is filled by :func:`link` once every
user has been read (SAN-IAM-004, シQ-54 c).

Purpose (``user`` / ``maintenance`` / ``break_glass`` / ``service``), expiry and shared use come
from tags (:class:`~.core.TagKeys`). A role without a purpose tag is ``service`` when only AWS
services may assume it, else ``user``. IAM groups cannot be tagged: a group's purpose is its
members' when they all share one (a group of break-glass users is a break-glass group), else
``user``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
import urllib.parse
from typing import Any

from sansho.collectors.aws_documents import AWS_ADMIN_POLICY_ARNS, grants_full_admin
from sansho.policies.config import tag_bool
from sansho.policies.model import (
    AccessKey,
    AccountSettings,
    IdentityGroup,
    IdentityRole,
    IdentityUser,
    PasswordPolicy,
    Resource,
)

from .core import Context, ReadFailure, Unit, as_date, jsonable, tags_of

SERVICE = "iam"
PERMISSIONS = [
    "iam:GetAccountAuthorizationDetails",
    "iam:ListUsers",
    "iam:GenerateCredentialReport",
    "iam:GetCredentialReport",
    "iam:GetLoginProfile",
    "iam:ListMFADevices",
    "iam:ListAccessKeys",
    "iam:GetAccessKeyLastUsed",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "iam:GetAccountSummary",
    "iam:GetAccountPasswordPolicy",
]

ADMIN_POLICY_ARNS = AWS_ADMIN_POLICY_ARNS
PURPOSES = {"user", "maintenance", "break_glass", "service"}


def plan(ctx: Context) -> list[Unit]:
    return [Unit(SERVICE, None, "iam principals", _principals),
            Unit(SERVICE, None, "iam account", _account)]


def _doc(d: Any) -> dict[str, Any]:
    if isinstance(d, str):
        try:
            d = json.loads(urllib.parse.unquote(d))
        except ValueError:
            return {}
    return d if isinstance(d, dict) else {}


def grants_everything(doc: Any) -> bool:
    """An Allow statement with action ``*`` (or ``*:*``) on resource ``*``, in a document as IAM
    returns it (URL-encoded JSON text, or already parsed)."""
    return grants_full_admin(_doc(doc))


# (admin, grants, why unread): True with what grants it; False; None with the reason.
Admin = tuple[bool | None, list[str], str | None]


class _AdminReader:
    """Whether a principal's inline and attached policies grant everything, reading each managed
    policy's document once (customer-managed ones come with the authorization details)."""

    def __init__(self, ctx: Context, iam: Any, local_docs: dict[str, Any]):
        self.ctx, self.iam, self.local_docs = ctx, iam, local_docs
        self.aws_docs: dict[str, tuple[Any, str | None]] = {}

    def of(self, inline: list[dict[str, Any]] | None, attached: list[dict[str, Any]] | None) -> Admin:
        grants = [f"inline policy {p.get('PolicyName')}" for p in inline or []
                  if grants_everything(p.get("PolicyDocument"))]
        grants += [a.get("PolicyArn", "") for a in attached or [] if a.get("PolicyArn") in ADMIN_POLICY_ARNS]
        grants += [a["PolicyArn"] for a in attached or [] if a.get("PolicyArn") in self.local_docs
                   and grants_everything(self.local_docs[a["PolicyArn"]])]
        if grants:
            return True, grants, None  # no need to read the other policies
        unread: list[str] = []
        for att in attached or []:
            parn = att.get("PolicyArn", "")
            if parn in ADMIN_POLICY_ARNS or parn in self.local_docs:
                continue
            if parn not in self.aws_docs:
                self.aws_docs[parn] = _fetch_policy(self.ctx, self.iam, parn)
            doc, why = self.aws_docs[parn]
            if why:
                unread.append(why)
            elif grants_everything(doc):
                return True, [parn], None
        return (None, [], unread[0]) if unread else (False, [], None)


def _purpose(tags: dict[str, str], ctx: Context, default: str) -> Any:
    v = tags.get(ctx.tag_keys.purpose, "").strip().lower().replace("-", "_")
    return v if v in PURPOSES else default


def _principals(ctx: Context) -> list[Resource]:
    iam = ctx.client("iam", ctx.home_region)
    details: dict[str, list[Any]] = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}
    try:
        pages = _pages(ctx, iam, "get_account_authorization_details",
                       Filter=["User", "Group", "Role", "LocalManagedPolicy"])
    except ReadFailure as f:
        ctx.shared["iam_users_unread"] = ctx.scrub(f.reason)
        raise
    for page in pages:
        for k in details:
            details[k].extend(page.get(k) or [])
    ctx.shared["iam_users_listed"] = {u["UserName"] for u in details["UserDetailList"]}
    local_docs: dict[str, Any] = {}
    for p in details["Policies"]:
        for v in p.get("PolicyVersionList") or []:
            if v.get("IsDefaultVersion"):
                local_docs[p["Arn"]] = v.get("Document")
    out: list[Resource] = []
    admin = _AdminReader(ctx, iam, local_docs)
    for role in details["RoleDetailList"]:
        if str(role.get("Path", "")).startswith("/aws-service-role/"):
            continue  # service-linked roles are AWS's, not the account's to change
        out.append(_role(ctx, role, admin))
    group_admin = _groups(ctx, details, admin, out)

    last_password_use: dict[str, Any] = {}
    try:
        for u in ctx.paginate(iam, "list_users", "Users"):
            last_password_use[u["UserName"]] = u.get("PasswordLastUsed")
        users_listed = True
    except ReadFailure as f:
        ctx.record(f, service=SERVICE, region=None)
        users_listed = False
    report, report_error = _credential_report(ctx, iam)
    for u in details["UserDetailList"]:
        name = u["UserName"]
        rights = _user_admin(u, admin, group_admin)
        ctx.spawn(Unit(SERVICE, None, f"iam user {name}", lambda c, u=u, n=name, a=rights: [_user(
            c, u, last_password_use.get(n), users_listed, (report or {}).get(n), report_error, a)]))
    return out


def _groups(ctx: Context, details: dict[str, list[Any]], admin: _AdminReader, out: list[Resource]
            ) -> dict[str, Admin]:
    """Every group as ``identity.group`` (appended to ``out``); each group's rights by name."""
    members: dict[str, list[tuple[str, str]]] = {}
    for u in details["UserDetailList"]:
        purpose = _purpose(tags_of(u.get("Tags")), ctx, "user")
        for g in u.get("GroupList") or []:
            members.setdefault(g, []).append((u["Arn"], purpose))
    rights: dict[str, Admin] = {}
    for g in details["GroupDetailList"]:
        name = g["GroupName"]
        rights[name] = got = admin.of(g.get("GroupPolicyList"), g.get("AttachedManagedPolicies"))
        mine = sorted(members.get(name, []))
        purposes = {p for _, p in mine}
        out.append(IdentityGroup(
            id=g["Arn"], name=name, provider="aws", account=ctx.account, source={"type": "live"},
            purpose=purposes.pop() if len(purposes) == 1 else "user",  # type: ignore[arg-type]
            members=[a for a, _ in mine], admin_rights=got[0], admin_grants=None if got[0] is None else got[1],
            read_errors={"admin_rights": got[2]} if got[2] else {},
            raw={"attached": jsonable(g.get("AttachedManagedPolicies")),
                 "inline": [p.get("PolicyName") for p in g.get("GroupPolicyList") or []]},
        ))
    return rights


def _user_admin(u: dict[str, Any], admin: _AdminReader, groups: dict[str, Admin]) -> Admin:
    """A user's own policies, then each of its groups'."""
    own, grants, why = admin.of(u.get("UserPolicyList"), u.get("AttachedManagedPolicies"))
    whys = [why] if why else []
    for g in u.get("GroupList") or []:
        g_admin, g_grants, g_why = groups.get(g, (None, [], f"group {g} was not in the authorization details"))
        grants += [f"group {g}: {x}" for x in g_grants]
        if g_admin is None and g_why:
            whys.append(g_why)
    if grants:
        return True, grants, None
    return (None, [], whys[0]) if whys else (own, [], None)


def _pages(ctx: Context, client: Any, method: str, **kw: Any) -> list[dict[str, Any]]:
    try:
        return list(client.get_paginator(method).paginate(**kw))
    except Exception as e:  # noqa: BLE001
        raise ctx._failure(client, method, e, ctx._classify(client, method, e)) from None


def _role(ctx: Context, role: dict[str, Any], admin: _AdminReader) -> IdentityRole:
    tags = tags_of(role.get("Tags"))
    errors: dict[str, str] = {}
    full_admin, _, why = admin.of(role.get("RolePolicyList"), role.get("AttachedManagedPolicies"))
    if why:
        errors["full_admin"] = why
    trust = _doc(role.get("AssumeRolePolicyDocument"))
    only_services = True
    for s in trust.get("Statement") or []:
        principal = s.get("Principal") if isinstance(s, dict) else None
        if not (isinstance(principal, dict) and set(principal) == {"Service"}):
            only_services = False
    return IdentityRole(
        id=role["Arn"], name=role["RoleName"], provider="aws", account=ctx.account, source={"type": "live"},
        tags=tags, full_admin=full_admin, purpose=_purpose(tags, ctx, "service" if only_services else "user"),
        read_errors=errors,
        raw={"attached": jsonable(role.get("AttachedManagedPolicies")),
             "inline": [p.get("PolicyName") for p in role.get("RolePolicyList") or []],
             "trust": jsonable(trust)},
    )


def _fetch_policy(ctx: Context, iam: Any, arn: str) -> tuple[Any, str | None]:
    try:
        pol = ctx.call(iam, "get_policy", PolicyArn=arn)["Policy"]
        ver = ctx.call(iam, "get_policy_version", PolicyArn=arn, VersionId=pol["DefaultVersionId"])
        return ver["PolicyVersion"].get("Document"), None
    except ReadFailure as f:
        return None, ctx.record(f, resource=arn, service=SERVICE)


def _credential_report(ctx: Context, iam: Any) -> tuple[dict[str, dict[str, str]] | None, str | None]:
    try:
        for _ in range(10):
            state = ctx.call(iam, "generate_credential_report").get("State")
            if state == "COMPLETE":
                break
            time.sleep(0.5)
        content = ctx.call(iam, "get_credential_report")["Content"]
    except ReadFailure as f:
        return None, ctx.record(f, service=SERVICE, region=None)
    text = content.decode() if isinstance(content, bytes) else str(content)
    return {row["user"]: row for row in csv.DictReader(io.StringIO(text))}, None


def _user(ctx: Context, u: dict[str, Any], password_last_used: Any, users_listed: bool,
          report_row: dict[str, str] | None, report_error: str | None, rights: Admin) -> IdentityUser:
    iam = ctx.client("iam", ctx.home_region)
    name, arn = u["UserName"], u["Arn"]
    tags = tags_of(u.get("Tags"))
    errors: dict[str, str] = {}
    raw: dict[str, Any] = {}

    def read(fields: tuple[str, ...], method: str, missing: tuple[str, ...] = (), **kw: Any) -> tuple[Any, bool]:
        try:
            return ctx.call(iam, method, missing=missing, **kw), True
        except ReadFailure as f:
            reason = ctx.record(f, resource=arn, service=SERVICE)
            for fn in fields:
                errors.setdefault(fn, reason)
            return None, False

    lp, ok = read(("console_access", "credential_changed"), "get_login_profile", ("NoSuchEntity",), UserName=name)
    console = (lp is not None) if ok else None
    mfa, ok = read(("mfa_enabled",), "list_mfa_devices", UserName=name)
    mfa_enabled = bool((mfa or {}).get("MFADevices")) if ok else None
    keys_resp, ok = read(("access_keys", "last_used", "credential_changed"), "list_access_keys", UserName=name)
    access_keys: list[AccessKey] | None = None
    key_uses: list[dt.date] = []
    key_use_unread = False
    if ok:
        access_keys = []
        for k in (keys_resp or {}).get("AccessKeyMetadata") or []:
            used, ok2 = read(("last_used",), "get_access_key_last_used", AccessKeyId=k["AccessKeyId"])
            last = as_date(((used or {}).get("AccessKeyLastUsed") or {}).get("LastUsedDate")) if ok2 else None
            key_use_unread |= not ok2
            if last:
                key_uses.append(last)
            access_keys.append(AccessKey(id=k["AccessKeyId"], active=k.get("Status") == "Active",
                                         created=as_date(k.get("CreateDate")), last_used=last))
    # last use: the later of the password's and the keys' last use
    last_used: dt.date | str | None = None
    if users_listed and access_keys is not None and not key_use_unread:
        uses = key_uses + ([as_date(password_last_used)] if password_last_used else [])
        uses = [d for d in uses if d]
        last_used = max(uses) if uses else "never"
    elif not users_listed:
        errors.setdefault("last_used", "ListUsers was not read")
    # credentials last changed: password change (credential report) or newest active key
    changed: dt.date | None = None
    if report_row is None:
        errors.setdefault("credential_changed", report_error or "user not in the credential report")
    elif access_keys is not None and "credential_changed" not in errors:
        dates = [k.created for k in access_keys if k.active and k.created]
        pw = as_date(report_row.get("password_last_changed")) if console else None
        dates += [pw] if pw else []
        changed = max(dates) if dates else None
        raw["credential_report"] = {k: v for k, v in report_row.items() if not k.startswith("cert_")}
    expires: dt.date | str | None = "never"
    if ctx.tag_keys.expires in tags:
        expires = as_date(tags[ctx.tag_keys.expires].strip())
        if expires is None:
            errors["expires"] = f"tag {ctx.tag_keys.expires} is not a date: {tags[ctx.tag_keys.expires]!r}"
    shared = None
    if ctx.tag_keys.shared in tags:
        shared = tag_bool(tags[ctx.tag_keys.shared]) is True
    admin_rights, grants, why = rights
    if why:
        errors["admin_rights"] = why
    raw["policies"] = {"attached": jsonable(u.get("AttachedManagedPolicies")),
                       "inline": [p.get("PolicyName") for p in u.get("UserPolicyList") or []],
                       "groups": list(u.get("GroupList") or [])}
    return IdentityUser(
        id=arn, name=name, provider="aws", account=ctx.account, source={"type": "live"}, tags=tags,
        purpose=_purpose(tags, ctx, "user"), console_access=console, mfa_enabled=mfa_enabled,
        access_keys=access_keys, last_used=last_used, expires=expires, credential_changed=changed,
        shared=shared, admin_rights=admin_rights, admin_grants=None if admin_rights is None else grants,
        read_errors=errors, raw=raw,
    )


def _account(ctx: Context) -> list[Resource]:
    iam = ctx.client("iam", ctx.home_region)
    errors: dict[str, str] = {}
    raw: dict[str, Any] = {}
    root_mfa = root_keys = None
    try:
        summary = ctx.call(iam, "get_account_summary")["SummaryMap"]
        root_mfa = bool(summary.get("AccountMFAEnabled"))
        root_keys = bool(summary.get("AccountAccessKeysPresent"))
        raw["summary"] = {k: summary.get(k) for k in ("AccountMFAEnabled", "AccountAccessKeysPresent", "Users")}
    except ReadFailure as f:
        errors["root_mfa_enabled"] = errors["root_access_keys_present"] = ctx.record(f, service=SERVICE, region=None)
    policy: PasswordPolicy | None = None
    try:
        resp = ctx.call(iam, "get_account_password_policy", missing=("NoSuchEntity",))
        p = (resp or {}).get("PasswordPolicy")
        raw["password_policy"] = jsonable(p)
        if p is None:  # no policy set: AWS's default asks for 8 characters, no class required, no expiry
            policy = PasswordPolicy(min_length=8, require_uppercase=False, require_lowercase=False,
                                    require_numbers=False, require_symbols=False, max_age_days="never")
        else:
            # MaxPasswordAge is absent (ExpirePasswords false) when passwords never expire.
            age = p.get("MaxPasswordAge")
            policy = PasswordPolicy(
                min_length=p.get("MinimumPasswordLength"),
                require_uppercase=p.get("RequireUppercaseCharacters"),
                require_lowercase=p.get("RequireLowercaseCharacters"),
                require_numbers=p.get("RequireNumbers"), require_symbols=p.get("RequireSymbols"),
                max_age_days=int(age) if age and p.get("ExpirePasswords", True) else "never",
                reuse_prevention=p.get("PasswordReusePrevention"))
    except ReadFailure as f:
        errors["password_policy"] = ctx.record(f, service=SERVICE, region=None)
    return [AccountSettings(
        id=f"aws:account:{ctx.account}", name=f"AWS account {ctx.account}", provider="aws", account=ctx.account,
        source={"type": "live"}, root_mfa_enabled=root_mfa, root_access_keys_present=root_keys,
        password_policy=policy, read_errors=errors, raw=raw,
    )]


def link(ctx: Context, resources: list[Resource]) -> None:
    """The account's ``password_users_without_mfa``: the users who sign in to the console with a
    password (``console_access``) and have no MFA device. An MFA device assigned to an IAM user is
    asked for at every console sign-in, so a device means the second factor is enforced for that user.
    Not known (None, with the reason) when the users were not listed or one user's console access or
    MFA devices were not read."""
    users = [r for r in resources if isinstance(r, IdentityUser) and r.account == ctx.account]
    for acct in resources:
        if not isinstance(acct, AccountSettings) or acct.account != ctx.account:
            continue
        listed = ctx.shared.get("iam_users_listed")
        if listed is None:
            acct.read_errors["password_users_without_mfa"] = (
                f"the IAM users were not listed: {ctx.shared.get('iam_users_unread') or 'not read'}")
            continue
        unread = sorted(listed - {u.name for u in users})  # a user whose own reading was lost
        unread += [u.name or u.id for u in users if u.console_access is None
                   or (u.console_access and u.mfa_enabled is None)]
        if unread:
            acct.read_errors["password_users_without_mfa"] = (
                f"console access or MFA devices of {', '.join(sorted(unread))} were not read")
            continue
        acct.password_users_without_mfa = sorted(u.name or u.id for u in users
                                                 if u.console_access and u.mfa_enabled is False)
