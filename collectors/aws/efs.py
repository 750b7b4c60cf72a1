"""EFS file systems → ``compute.disk`` (the closest kind: network storage that compute mounts).

One call per region (``DescribeFileSystems`` carries encryption, key and tags). ``attached_to``
stays unset: mount targets name subnets, not instances.
"""

from __future__ import annotations

from sansho.policies.model import Disk, Resource

from .core import Context, Unit, jsonable, medical_flag, tags_of

SERVICE = "efs"
PERMISSIONS = [
    "elasticfilesystem:DescribeFileSystems",
]


def plan(ctx: Context) -> list[Unit]:
    return [Unit(SERVICE, r, f"efs {r}", lambda c, r=r: file_systems(c, r)) for r in ctx.regions]


def file_systems(ctx: Context, region: str) -> list[Resource]:
    found = ctx.paginate(ctx.client("efs", region), "describe_file_systems", "FileSystems")
    out: list[Resource] = []
    for fs in found:
        fid = fs["FileSystemId"]
        tags = tags_of(fs.get("Tags"))
        out.append(Disk(
            id=fs.get("FileSystemArn") or f"arn:aws:elasticfilesystem:{region}:{ctx.account}:file-system/{fid}",
            name=fs.get("Name") or tags.get("Name") or fid, provider="aws", account=fs.get("OwnerId") or ctx.account,
            region=region, source={"type": "live"}, tags=tags, holds_medical_data=medical_flag(tags, ctx.tag_keys),
            encrypted=bool(fs.get("Encrypted")), kms_key_id=fs.get("KmsKeyId") or None, raw=jsonable(fs),
        ))
    return out
