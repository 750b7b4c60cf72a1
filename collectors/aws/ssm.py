"""EC2 instances with their Systems Manager Patch Manager state → ``device.host``.

Per region, one unit lists the instances (``DescribeInstances``) and asks Patch Manager for
their patch state (``DescribeInstancePatchStates``, 50 instances a call). ``last_patched`` is
the day the instance was last known to carry every approved patch:

* the last patch operation (scan or install) found nothing missing, failed or waiting for a
  reboot → the day that operation ended;
* otherwise the day of the last install operation (``LastNoRebootInstallOperationTime``);
* otherwise it is not known, and ``read_errors`` says how many patches are missing.

An instance Patch Manager does not know (no SSM agent, not managed) has no patch state:
``last_patched`` stays unread, with that reason, and SAN-MAL-003 judges it UNKNOWN.
"""

from __future__ import annotations

from typing import Any

from sansho.policies.model import Device, Resource

from .core import Context, ReadFailure, Unit, as_date, jsonable, medical_flag, tags_of

SERVICE = "ssm"
PERMISSIONS = [
    "ec2:DescribeInstances",
    "ssm:DescribeInstancePatchStates",
]
BATCH = 50  # DescribeInstancePatchStates takes at most 50 instance ids
GONE = ("terminated", "shutting-down")


def plan(ctx: Context) -> list[Unit]:
    return [Unit(SERVICE, r, f"instances {r}", lambda c, r=r: instances(c, r)) for r in ctx.regions]


def instances(ctx: Context, region: str) -> list[Resource]:
    ec2 = ctx.client("ec2", region)
    listed = [i for res in ctx.paginate(ec2, "describe_instances", "Reservations") for i in res.get("Instances") or []
              if (i.get("State") or {}).get("Name") not in GONE]
    if not listed:
        return []
    ssm = ctx.client("ssm", region)
    states: dict[str, dict[str, Any]] = {}
    unread: str | None = None
    ids = [i["InstanceId"] for i in listed]
    for n in range(0, len(ids), BATCH):
        try:
            for s in ctx.paginate(ssm, "describe_instance_patch_states", "InstancePatchStates",
                                  InstanceIds=ids[n:n + BATCH]):
                states[s["InstanceId"]] = s
        except ReadFailure as f:
            unread = ctx.record(f, service=SERVICE, region=region)
            break
    out: list[Resource] = []
    for i in listed:
        iid = i["InstanceId"]
        tags = tags_of(i.get("Tags"))
        errors: dict[str, str] = {}
        state = states.get(iid)
        if unread:
            patched = None
            errors["last_patched"] = unread
        elif state is None:
            patched = None
            errors["last_patched"] = ("Systems Manager Patch Manager has no patch state for this instance "
                                      "(not a managed instance, or never scanned)")
        else:
            patched, why = last_patched(state)
            if why:
                errors["last_patched"] = why
        out.append(Device(
            id=f"arn:aws:ec2:{region}:{ctx.account}:instance/{iid}", name=tags.get("Name") or iid, provider="aws",
            account=i.get("OwnerId") or ctx.account, region=region, source={"type": "live"}, tags=tags,
            holds_medical_data=medical_flag(tags, ctx.tag_keys), device_type="server",
            os=i.get("PlatformDetails") or i.get("Platform") or None, last_patched=patched,
            read_errors=errors, raw={"instance": jsonable(i), "patch_state": jsonable(state)},
        ))
    return out


def last_patched(state: dict[str, Any]) -> tuple[Any, str | None]:
    """The day the instance last carried every approved patch, or None and why not."""
    missing = sum(int(state.get(k) or 0) for k in ("MissingCount", "FailedCount", "InstalledPendingRebootCount"))
    if missing == 0:
        day = as_date(state.get("OperationEndTime"))
        if day is not None:
            return day, None
    day = as_date(state.get("LastNoRebootInstallOperationTime"))
    if day is not None:
        return day, None
    return None, (f"Patch Manager reports {missing} patch(es) missing, failed or waiting for a reboot "
                  f"(operation {state.get('Operation') or '?'} ended {as_date(state.get('OperationEndTime'))}) "
                  "and no install time")
