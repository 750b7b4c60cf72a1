"""Operations rules that look beyond one resource: an IoT device and the network it is on.

The rest of the family is organisational (attestation controls).
"""

from __future__ import annotations

from typing import Any

from sansho.policies.model import Device, NetworkSegment
from sansho.policies.rules.registry import (
    RuleContext,
    Verdict,
    failed,
    not_applicable,
    passed,
    rule,
    unknown,
)


@rule("SAN-OPS-009")
def iot_device_registered(r: Device, params: dict[str, Any], ctx: RuleContext) -> Verdict:
    """An IoT device has an owner and a network that the networks register knows, outside the
    forbidden zones. The network is looked up among the inventory's segments, so without any
    segment (no networks register read) the verdict is UNKNOWN, never a FAIL for "not found"."""
    if r.device_type is None:
        return unknown("device_type")
    if r.device_type != "iot":
        return not_applicable(f"not an IoT device ({r.device_type})", f"IoT 機器ではありません({r.device_type})")
    if r.owner is None:
        return unknown("owner")
    if r.network_segment is None:
        return unknown("network_segment")
    segments = ctx.by_kind.get("network.segment") or []
    if not segments:
        return Verdict("UNKNOWN", "no network segment was read (networks register), so the IoT device's network "
                       "cannot be judged",
                       "ネットワーク(networks 台帳)が読み込まれていないため、IoT 機器の接続先を判定できません")
    seg = next((s for s in segments if s.id == r.network_segment), None)
    if seg is None:
        return failed(
            f"the IoT device is connected to {r.network_segment}, which is not in the networks register",
            f"IoT 機器の接続先 {r.network_segment} がネットワーク台帳に登録されていません",
        )
    assert isinstance(seg, NetworkSegment)
    if seg.zone is None:
        return unknown(f"zone of {seg.id}")
    forbidden = list(params["forbidden_zones"])
    if seg.zone in forbidden:
        return failed(
            f"the IoT device is on {seg.id}, in the {seg.zone} zone (not allowed: {', '.join(forbidden)})",
            f"IoT 機器が {seg.id}({seg.zone} ゾーン)に接続されています(不可: {', '.join(forbidden)})",
        )
    return passed(
        f"the IoT device is owned by {r.owner} and connected to {seg.id} ({seg.zone} zone)",
        f"IoT 機器の管理責任者は {r.owner}、接続先は {seg.id}({seg.zone} ゾーン)です",
    )
