"""AWS Config recorders → ``account.settings.config_recording``.

Recording counts only when every region read has a recorder that is recording; a region whose
status could not be read leaves the account's value unread (UNKNOWN) unless another region is
already known not to record.
"""

from __future__ import annotations

from sansho.policies.model import AccountSettings, Resource

from .core import Context, ReadFailure, Unit

SERVICE = "config"
PERMISSIONS = [
    "config:DescribeConfigurationRecorderStatus",
]


def plan(ctx: Context) -> list[Unit]:
    return [Unit(SERVICE, r, f"config {r}", lambda c, r=r: recorder(c, r)) for r in ctx.regions]


def recorder(ctx: Context, region: str) -> list[Resource]:
    states: dict[str, bool | str] = ctx.shared.setdefault("config_recording", {})
    try:
        resp = ctx.call(ctx.client("config", region), "describe_configuration_recorder_status")
        states[region] = any(s.get("recording") for s in resp.get("ConfigurationRecordersStatus") or [])
    except ReadFailure as f:
        states[region] = ctx.record(f, service=SERVICE, region=region)
    return []


def link(ctx: Context, resources: list[Resource]) -> None:
    states: dict[str, bool | str] = ctx.shared.get("config_recording", {})
    for r in resources:
        if not isinstance(r, AccountSettings) or r.account != ctx.account:
            continue
        r.raw = {**(r.raw or {}), "config_recording_by_region": dict(sorted(states.items()))}
        missing = [reg for reg in ctx.regions if reg not in states]
        if any(v is False for v in states.values()):
            r.config_recording = False
        elif missing or any(isinstance(v, str) for v in states.values()):
            why = next((v for v in states.values() if isinstance(v, str)), None)
            r.read_errors["config_recording"] = why or f"recorder status not read in {', '.join(missing)}"
        else:
            r.config_recording = True
