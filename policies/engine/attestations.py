"""Judging the organisational controls (``check: attestation``) from an attestation register.

An answer is a person's word, so a good answer is MANUAL, never PASS: reports show it apart
from automated results. A missing, negative or expired attestation is a FAIL.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from ..catalog import Control
from ..findings import Finding
from ..model import Attestation, Resource


def _judge(a: Attestation, today: dt.date) -> tuple[str, str, str]:
    if a.answer is None:
        return "UNKNOWN", "the attestation has no answer", "アテステーションに回答がありません"
    if a.answer == "not_applicable":
        return "NOT_APPLICABLE", "attested as not applicable", "該当しないと表明されています"
    if a.answer == "no":
        return "FAIL", "attested as not in place", "対策が実施されていないと表明されています"
    if a.answer == "partial":
        return "FAIL", "attested as only partly in place", "対策は一部のみ実施と表明されています"
    if a.attested_on is None or a.review_period_days is None:
        missing = "attested_on" if a.attested_on is None else "review_period_days"
        return ("UNKNOWN", f"{missing} is not recorded, so the attestation's validity cannot be judged",
                f"{missing} が記録されていないため、表明の有効期間を判定できません")
    try:
        due = a.attested_on + dt.timedelta(days=a.review_period_days)
    except OverflowError:  # a period that ends after 9999-12-31 has not ended
        due = dt.date.max
    if due < today:
        return ("FAIL", f"attestation expired on {due.isoformat()} (attested {a.attested_on.isoformat()} by "
                f"{a.attested_by or 'unknown'}); review it again",
                f"表明の有効期限 {due.isoformat()} が切れています(expired)。再確認してください")
    return ("MANUAL", f"attested by {a.attested_by or 'unknown'} on {a.attested_on.isoformat()}, valid until {due.isoformat()}",
            f"{a.attested_by or '不明'} が {a.attested_on.isoformat()} に表明({due.isoformat()} まで有効)")


def judge_attestations(controls: Sequence[Control], register: Sequence[Resource], today: dt.date) -> list[Finding]:
    by_control: dict[str, list[Attestation]] = defaultdict(list)
    for r in register:
        assert isinstance(r, Attestation)
        by_control[r.control_id].append(r)
    findings = []
    for c in controls:
        answers = by_control.get(c.id)
        if not answers:
            placeholder = Attestation(id=f"attestation:{c.id}", provider="onprem", control_id=c.id,
                                      name=c.title.en)
            findings.append(Finding(c.id, "FAIL", placeholder, "no attestation is recorded for this control",
                                    "この管理策についての表明(アテステーション)が記録されていません",
                                    rule="attestation"))
            continue
        for a in answers:
            status, en, ja = _judge(a, today)
            findings.append(Finding(c.id, status, a, en, ja, rule="attestation",
                                    evidence={"evidence": a.evidence} if a.evidence else None))
    return findings
