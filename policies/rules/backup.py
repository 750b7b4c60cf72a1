"""Backup rules that need the scan date (the rest of the family is Rego, rego/sansho/backup)."""

from __future__ import annotations

from typing import Any

from sansho.policies.model import BackupPlan
from sansho.policies.rules.registry import (
    RuleContext,
    Verdict,
    after_scan_date,
    days_between,
    failed,
    passed,
    rule,
    unknown,
)


@rule("SAN-BKP-004")
def restore_tested_recently(r: BackupPlan, params: dict[str, Any], ctx: RuleContext) -> Verdict:
    """A restore from the plan's backups was tested within ``max_restore_test_age_days``."""
    if r.last_restore_test is None:
        # Not read, or never recorded: either way nothing shows that a restore works.
        return unknown("last_restore_test")
    limit = int(params["max_restore_test_age_days"])
    tested = r.last_restore_test.isoformat()
    age = days_between(r.last_restore_test, ctx.today)
    if age < 0:
        return after_scan_date("last_restore_test", r.last_restore_test, ctx.today)
    if age > limit:
        return failed(
            f"last restore test was on {tested}, {age} days ago; the limit is {limit} days",
            f"バックアップからの復元テストの最終実施日が {tested}({age} 日前)で、上限の {limit} 日を超えています",
        )
    return passed(
        f"restore from backup was tested on {tested}, {age} days ago (limit {limit} days)",
        f"バックアップからの復元テストを {tested}({age} 日前)に実施しています(上限 {limit} 日)",
    )
