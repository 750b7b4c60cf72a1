"""AWS Backup → ``backup.plan`` and ``backup.vault``.

Plans: generations = retention ÷ schedule interval (the largest over the plan's rules), retention,
copy actions as ``destinations`` (region and account from the vault ARN), and ``methods``
(``online``, plus ``worm`` when a vault the plan writes to is locked in compliance mode; decided in
:func:`link` once every region's vaults are known). Vaults: Vault Lock → ``immutable``, and
``immutability_mode`` (:func:`vault_lock_mode`): ``compliance`` once the lock date has passed, else
``governance`` (no lock date: governance mode; a lock date still ahead: compliance mode within its
ChangeableForDays, which can still be removed); ``destinations`` are the copy actions of the plans
that back up into the vault.

Restore tests and protected resources come from the recovery points (each names the plan that
created it, ``CreatedBy.BackupPlanArn``, and the resource it holds) and the restore jobs: a
plan's ``protected`` resources are those it holds recovery points of, in any region (copies
included), and ``last_restore_test`` is the completion day of the latest COMPLETED restore job
from one of its recovery points. ``ListProtectedResources`` is not used: it does not say which
plan protects a resource.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sansho.collectors.aws_documents import interval_days
from sansho.policies.model import BackupPlan, BackupVault, Destination, Resource

from .core import Context, ReadFailure, Unit, account_of_arn, as_date, jsonable, medical_flag, region_of_arn

SERVICE = "backup"
PERMISSIONS = [
    "backup:ListBackupVaults",
    "backup:ListBackupPlans",
    "backup:GetBackupPlan",
    "backup:ListTags",
    "backup:ListRecoveryPointsByBackupVault",
    "backup:ListRestoreJobs",
]


def plan(ctx: Context) -> list[Unit]:
    return [Unit(SERVICE, r, f"backup {r}", lambda c, r=r: read_region(c, r)) for r in ctx.regions]


def read_region(ctx: Context, region: str) -> list[Resource]:
    bk = ctx.client("backup", region)
    out: list[Resource] = []
    vaults: list[dict[str, Any]] | None
    try:
        vaults = ctx.paginate(bk, "list_backup_vaults", "BackupVaultList")
    except ReadFailure as f:
        ctx.record(f, service=SERVICE, region=region)
        vaults = None
    plans: list[BackupPlan] | None = []
    plan_error: str | None = None
    try:
        listed = ctx.paginate(bk, "list_backup_plans", "BackupPlansList")
    except ReadFailure as f:
        plan_error = ctx.record(f, service=SERVICE, region=region)
        listed, plans = [], None
    copies_into: dict[str, list[Destination]] = {}
    for p in listed:
        bp = _plan(ctx, bk, region, p, copies_into)
        if plans is not None:
            plans.append(bp)
    out.extend(plans or [])
    _recovery_points(ctx, bk, region, vaults)
    for v in vaults or []:
        arn = v["BackupVaultArn"]
        errors: dict[str, str] = {}
        try:
            tags = dict(ctx.call(bk, "list_tags", ResourceArn=arn).get("Tags") or {})
        except ReadFailure as f:
            tags, errors["tags"] = {}, ctx.record(f, resource=arn, service=SERVICE)
        dests = copies_into.get(v["BackupVaultName"], []) if plans is not None else None
        if dests is None and plan_error:
            errors["destinations"] = plan_error
        out.append(BackupVault(
            id=arn, name=v["BackupVaultName"], provider="aws", account=account_of_arn(arn) or ctx.account,
            region=region, source={"type": "live"}, tags=tags, holds_medical_data=medical_flag(tags, ctx.tag_keys),
            encrypted=True,  # AWS Backup encrypts every vault
            immutable=bool(v.get("Locked")), immutability_mode=vault_lock_mode(v), destinations=dests,
            read_errors=errors, raw=jsonable(v),
        ))
    return out


def vault_lock_mode(vault: dict[str, Any], now: dt.datetime | None = None) -> str | None:
    """How a vault's Vault Lock holds (``ListBackupVaults`` / ``DescribeBackupVault``): ``Locked`` with a
    ``LockDate`` already past is compliance mode that nobody can lift; without a lock date it is
    governance mode, and before the lock date a compliance-mode lock can still be deleted, so both are
    ``governance`` (システム運用編 18: not 追記不能 while a privileged user can remove the lock)."""
    if not vault.get("Locked"):
        return None
    lock_date = vault.get("LockDate")
    if isinstance(lock_date, (int, float)):
        lock_date = dt.datetime.fromtimestamp(lock_date, dt.UTC)
    if isinstance(lock_date, dt.datetime):
        if lock_date.tzinfo is None:
            lock_date = lock_date.replace(tzinfo=dt.UTC)
        if lock_date <= (now or dt.datetime.now(dt.UTC)):
            return "compliance"
    return "governance"


def _plan(ctx: Context, bk: Any, region: str, listed: dict[str, Any],
          copies_into: dict[str, list[Destination]]) -> BackupPlan:
    arn = listed["BackupPlanArn"]
    errors: dict[str, str] = {}
    base: dict[str, Any] = {"id": arn, "name": listed.get("BackupPlanName"), "provider": "aws",
                            "account": ctx.account, "region": region, "source": {"type": "live"}}
    try:
        doc = ctx.call(bk, "get_backup_plan", BackupPlanId=listed["BackupPlanId"])
    except ReadFailure as f:
        reason = ctx.record(f, resource=arn, service=SERVICE)
        return BackupPlan(read_errors={k: reason for k in ("generations", "retention_days", "destinations", "methods")},
                          **base)
    rules = (doc.get("BackupPlan") or {}).get("Rules") or []
    generations: int | None = 0
    retention: int | None = 0
    dests: list[Destination] = []
    vault_arns: list[str] = []
    for r in rules:
        days = (r.get("Lifecycle") or {}).get("DeleteAfterDays")
        every = interval_days(r.get("ScheduleExpression"))
        if days is None:
            errors["generations"] = errors["retention_days"] = (
                f"rule {r.get('RuleName')} keeps recovery points indefinitely (no DeleteAfterDays)")
        elif every is None:
            errors["generations"] = f"rule {r.get('RuleName')}: schedule {r.get('ScheduleExpression')!r} is not a plain interval"
            retention = max(retention or 0, int(days))
        else:
            generations = max(generations or 0, int(int(days) // every))
            retention = max(retention or 0, int(days))
        target = r.get("TargetBackupVaultName")
        if target:
            vault_arns.append(f"arn:aws:backup:{region}:{ctx.account}:backup-vault:{target}")
        for c in r.get("CopyActions") or []:
            d_arn = c.get("DestinationBackupVaultArn")
            if not d_arn:
                continue
            d = Destination(relation="backup_copy", target=d_arn, account=account_of_arn(d_arn),
                            region=region_of_arn(d_arn))
            dests.append(d)
            vault_arns.append(d_arn)
            if target:
                copies_into.setdefault(target, []).append(d.model_copy())
    if "generations" in errors:
        generations = None
    if "retention_days" in errors:
        retention = None
    if not rules:
        generations, retention = 0, 0
    return BackupPlan(generations=generations, retention_days=retention, destinations=dests,
                      read_errors=errors, raw={"plan": jsonable(doc.get("BackupPlan")), "vaults": vault_arns}, **base)


def _recovery_points(ctx: Context, bk: Any, region: str, vaults: list[dict[str, Any]] | None) -> None:
    """Recovery point → (plan, resource), and the region's completed restore jobs, for :func:`link`."""
    points: dict[str, tuple[str | None, str | None]] = ctx.shared.setdefault("backup_points", {})
    restores: list[dict[str, Any]] = ctx.shared.setdefault("backup_restores", [])
    unread: dict[str, str] = ctx.shared.setdefault("backup_unread", {})
    if vaults is None:
        unread[region] = "the region's backup vaults were not listed"
    for v in vaults or []:
        try:
            for rp in ctx.paginate(bk, "list_recovery_points_by_backup_vault", "RecoveryPoints",
                                   BackupVaultName=v["BackupVaultName"]):
                points[rp["RecoveryPointArn"]] = ((rp.get("CreatedBy") or {}).get("BackupPlanArn"), rp.get("ResourceArn"))
        except ReadFailure as f:
            unread[region] = ctx.record(f, resource=v.get("BackupVaultArn"), service=SERVICE)
    try:
        restores.extend(j for j in ctx.paginate(bk, "list_restore_jobs", "RestoreJobs", ByStatus="COMPLETED"))
    except ReadFailure as f:
        unread[region] = ctx.record(f, service=SERVICE, region=region)


def _link_restores(ctx: Context, plans: list[BackupPlan]) -> None:
    points: dict[str, tuple[str | None, str | None]] = ctx.shared.get("backup_points", {})
    unread: dict[str, str] = ctx.shared.get("backup_unread", {})
    tested: dict[str, Any] = {}
    protected: dict[str, set[str]] = {}
    for plan_arn, resource in points.values():
        if plan_arn and resource:
            protected.setdefault(plan_arn, set()).add(resource)
    for j in ctx.shared.get("backup_restores", []):
        if j.get("ValidationStatus") in ("FAILED", "TIMED_OUT"):
            continue  # restored, but the restore test's validation found it unusable
        plan_arn = points.get(j.get("RecoveryPointArn") or "", (None, None))[0]
        day = as_date(j.get("CompletionDate") or j.get("CreationDate"))
        if plan_arn and day and (plan_arn not in tested or day > tested[plan_arn]):
            tested[plan_arn] = day
    why = "; ".join(f"{r}: {m}" for r, m in sorted(unread.items()))
    for p in plans:
        if why:  # a region's recovery points or restore jobs are missing: neither list is complete
            p.read_errors["last_restore_test"] = p.read_errors["protected"] = why
            continue
        p.protected = sorted(protected.get(p.id, set()))
        p.last_restore_test = tested.get(p.id)
        if p.last_restore_test is None:
            p.read_errors["last_restore_test"] = "no completed restore job from this plan's recovery points"


def link(ctx: Context, resources: list[Resource]) -> None:
    """Methods of each plan: ``online``, and ``worm`` if a vault it writes to is locked in compliance
    mode (a governance-mode lock can be lifted, so it is not write-once media)."""
    _link_restores(ctx, [p for p in resources if isinstance(p, BackupPlan) and p.account == ctx.account])
    vaults = {r.id: r for r in resources if isinstance(r, BackupVault)}
    for p in resources:
        if not isinstance(p, BackupPlan) or p.raw is None or "methods" in p.read_errors:
            continue
        states: list[bool | None] = []
        for arn in p.raw.get("vaults") or []:
            v = vaults.get(arn)
            if v is None or v.immutable is None or (v.immutable and v.immutability_mode is None):
                states.append(None)
            else:
                states.append(bool(v.immutable) and v.immutability_mode in ("compliance", "locked"))
        if True in states:
            p.methods = ["online", "worm"]
        elif None in states:
            unread = [a for a, s in zip(p.raw.get("vaults") or [], states, strict=True) if s is None]
            p.read_errors["methods"] = f"Vault Lock of {', '.join(unread)} was not read"
        else:
            p.methods = ["online"]
