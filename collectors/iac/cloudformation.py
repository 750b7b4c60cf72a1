"""CloudFormation templates (YAML and JSON) through checkov's CFN parser.

Each supported resource is mapped onto the shape of its Terraform counterpart and normalized by
:class:`tfaws.Normalizer`, so both formats share one mapping to the model. Intrinsic functions
are resolved where the template alone decides them: ``Ref`` to a parameter with a default or to a
resource, ``Fn::Sub`` over those, ``Fn::GetAtt`` to a resource. A parameter without a default, a
pseudo parameter, ``Fn::If``, ``Fn::ImportValue`` … stay unresolved, and the field they feed is
UNKNOWN. A template does not say which region it deploys to: ``cfn_region`` (``--region``) or
nothing (region UNKNOWN).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sansho.policies.model import Resource

from .common import Unresolved, display_path
from .suppress import Block
from .tfaws import Normalizer, TfRes

_META = ("__file__", "__startline__", "__endline__")


@dataclass(frozen=True)
class CfnRef:
    """A reference to another resource of the template (Ref / GetAtt)."""

    logical_id: str
    attribute: str | None = None

    def __str__(self) -> str:
        return f"!GetAtt {self.logical_id}.{self.attribute}" if self.attribute else f"!Ref {self.logical_id}"


class Resolver:
    def __init__(self, template: dict[str, Any], region: str | None):
        self.params = template.get("Parameters") or {}
        self.resources = template.get("Resources") or {}
        self.region = region

    def ref(self, name: str) -> Any:
        if name in self.resources:
            return CfnRef(name)
        if name in self.params:
            p = self.params[name]
            if isinstance(p, dict) and "Default" in p:
                return self.value(p["Default"])
            return Unresolved(f"!Ref {name} (parameter without a default)")
        if name == "AWS::Region" and self.region:
            return self.region
        return Unresolved(f"!Ref {name}")

    def value(self, v: Any) -> Any:
        if isinstance(v, dict):
            keys = [k for k in v if k not in _META]
            if len(keys) == 1 and (keys[0] == "Ref" or keys[0].startswith("Fn::")):
                return self.intrinsic(keys[0], v[keys[0]])
            return {k: self.value(x) for k, x in v.items() if k not in _META}
        if isinstance(v, list):
            return [self.value(x) for x in v]
        return v

    def intrinsic(self, fn: str, arg: Any) -> Any:
        if fn == "Ref" and isinstance(arg, str):
            return self.ref(arg)
        if fn == "Fn::GetAtt":
            parts = arg if isinstance(arg, list) else str(arg).split(".", 1)
            if len(parts) == 2 and parts[0] in self.resources:
                return CfnRef(str(parts[0]), str(parts[1]))
            return Unresolved(f"!GetAtt {arg}")
        if fn == "Fn::Sub":
            text, extra = (arg[0], arg[1] if len(arg) > 1 else {}) if isinstance(arg, list) else (arg, {})
            if not isinstance(text, str):
                return Unresolved(f"!Sub {arg}")
            unresolved = []

            def sub(m: re.Match[str]) -> str:
                name = m.group(1)
                if name.startswith("!"):
                    return "${" + name[1:] + "}"
                if isinstance(extra, dict) and name in extra:
                    val = self.value(extra[name])
                elif "." in name and name.split(".", 1)[0] in self.resources:
                    val = Unresolved(name)
                else:
                    val = self.ref(name)
                if isinstance(val, (str, int, float)) and not isinstance(val, bool):
                    return str(val)
                unresolved.append(name)
                return "${" + name + "}"

            out = re.sub(r"\$\{([^}]+)\}", sub, text)
            return Unresolved(f"!Sub {text}") if unresolved else out
        if fn == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list):
            parts = [self.value(x) for x in arg[1]]
            if all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in parts):
                return str(arg[0]).join(str(x) for x in parts)
        return Unresolved(f"{fn} {arg}")


def _tags(v: Any) -> Any:
    if isinstance(v, list):
        out = {}
        for t in v:
            if isinstance(t, dict) and "Key" in t:
                out[str(t["Key"])] = t.get("Value")
        return out
    return v


def _bool_text(v: Any) -> Any:
    if isinstance(v, str) and v.lower() in ("true", "false"):
        return v.lower() == "true"
    return v


_ACL = {"PublicRead": "public-read", "PublicReadWrite": "public-read-write",
        "AuthenticatedRead": "authenticated-read", "Private": "private"}


def _as_tf(logical: str, rtype: str, props: dict[str, Any], out: list[TfRes], base: dict[str, Any]) -> None:
    """Append the Terraform-shaped equivalents of one CloudFormation resource."""
    def add(address: str, tf_type: str, attrs: dict[str, Any], **extra: Any) -> TfRes:
        r = TfRes(address=address, type=tf_type, attrs=attrs, **base, **extra)
        out.append(r)
        return r

    p = props
    if rtype == "AWS::S3::Bucket":
        attrs: dict[str, Any] = {"bucket": p.get("BucketName"), "tags": _tags(p.get("Tags") or [])}
        if "AccessControl" in p:
            acl = p["AccessControl"]
            attrs["acl"] = _ACL.get(acl, acl) if isinstance(acl, str) else acl
        if "ObjectLockEnabled" in p:
            attrs["object_lock_enabled"] = _bool_text(p["ObjectLockEnabled"])
        add(logical, "aws_s3_bucket", attrs)
        ref = CfnRef(logical)
        enc = p.get("BucketEncryption")
        if isinstance(enc, dict):
            rules = []
            for rule in enc.get("ServerSideEncryptionConfiguration") or []:
                d = (rule or {}).get("ServerSideEncryptionByDefault") or {}
                rules.append({"apply_server_side_encryption_by_default": [{
                    "sse_algorithm": d.get("SSEAlgorithm"), "kms_master_key_id": d.get("KMSMasterKeyID")}]})
            add(f"{logical}#encryption", "aws_s3_bucket_server_side_encryption_configuration",
                {"bucket": ref, "rule": rules})
        pab = p.get("PublicAccessBlockConfiguration")
        if isinstance(pab, dict):
            add(f"{logical}#public_access_block", "aws_s3_bucket_public_access_block", {
                "bucket": ref, **{tf: _bool_text(pab.get(cfn, False)) for cfn, tf in (
                    ("BlockPublicAcls", "block_public_acls"), ("BlockPublicPolicy", "block_public_policy"),
                    ("IgnorePublicAcls", "ignore_public_acls"), ("RestrictPublicBuckets", "restrict_public_buckets"))}})
        ver = p.get("VersioningConfiguration")
        if isinstance(ver, dict):
            add(f"{logical}#versioning", "aws_s3_bucket_versioning",
                {"bucket": ref, "versioning_configuration": [{"status": ver.get("Status")}]})
        lock = p.get("ObjectLockConfiguration")
        if isinstance(lock, dict):
            ret = ((lock.get("Rule") or {}).get("DefaultRetention")) or {}
            add(f"{logical}#object_lock", "aws_s3_bucket_object_lock_configuration",
                {"bucket": ref, "rule": [{"default_retention": [{"mode": ret.get("Mode"), "days": ret.get("Days"),
                                                                 "years": ret.get("Years")}]}]})
        life = p.get("LifecycleConfiguration")
        if isinstance(life, dict):
            add(f"{logical}#lifecycle", "aws_s3_bucket_lifecycle_configuration",
                {"bucket": ref, "rule": [_lifecycle_rule(r) for r in life.get("Rules") or [] if isinstance(r, dict)]})
        rep = p.get("ReplicationConfiguration")
        if isinstance(rep, dict):
            rules = [{"status": r.get("Status", "Enabled"),
                      "destination": [{"bucket": (r.get("Destination") or {}).get("Bucket")}]}
                     for r in rep.get("Rules") or [] if isinstance(r, dict)]
            add(f"{logical}#replication", "aws_s3_bucket_replication_configuration", {"bucket": ref, "rule": rules})
    elif rtype == "AWS::S3::BucketPolicy":
        doc = p.get("PolicyDocument")
        add(logical, "aws_s3_bucket_policy", {"bucket": p.get("Bucket")},
            policy=doc if isinstance(doc, (dict, Unresolved)) else Unresolved(str(doc)))
    elif rtype == "AWS::RDS::DBInstance":
        attrs = {"identifier": p.get("DBInstanceIdentifier"), "engine": p.get("Engine"),
                 "engine_version": p.get("EngineVersion"), "storage_encrypted": _bool_text(p.get("StorageEncrypted")),
                 "kms_key_id": p.get("KmsKeyId"), "backup_retention_period": p.get("BackupRetentionPeriod", 1),
                 "parameter_group_name": p.get("DBParameterGroupName"), "tags": _tags(p.get("Tags") or []),
                 "option_group_name": p.get("OptionGroupName"),
                 "enabled_cloudwatch_logs_exports": p.get("EnableCloudwatchLogsExports")}
        if "PubliclyAccessible" in p:
            attrs["publicly_accessible"] = _bool_text(p["PubliclyAccessible"])
        elif not p.get("DBSubnetGroupName"):
            attrs["publicly_accessible"] = Unresolved(
                "PubliclyAccessible is not set and no DBSubnetGroupName: the default VPC decides")
        if "SourceDBInstanceIdentifier" in p:
            attrs["replicate_source_db"] = p["SourceDBInstanceIdentifier"]
        add(logical, "aws_db_instance", attrs)
    elif rtype == "AWS::RDS::DBParameterGroup":
        params = p.get("Parameters") or {}
        add(logical, "aws_db_parameter_group", {
            "name": p.get("DBParameterGroupName"),
            "parameter": [{"name": k, "value": v} for k, v in params.items()] if isinstance(params, dict) else []})
    elif rtype == "AWS::RDS::OptionGroup":
        opts = p.get("OptionConfigurations") or []
        add(logical, "aws_db_option_group", {
            "name": p.get("OptionGroupName"),
            "option": [{"option_name": o.get("OptionName"),
                        "option_settings": [{"name": st.get("Name"), "value": st.get("Value")}
                                            for st in o.get("OptionSettings") or [] if isinstance(st, dict)]}
                       for o in opts if isinstance(o, dict)]
            if isinstance(opts, list) else []})
    elif rtype == "AWS::EC2::Volume":
        attrs = {"kms_key_id": p.get("KmsKeyId"), "tags": _tags(p.get("Tags") or [])}
        if "Encrypted" in p:
            attrs["encrypted"] = _bool_text(p["Encrypted"])
        add(logical, "aws_ebs_volume", attrs)
    elif rtype == "AWS::KMS::Key":
        attrs = {"description": p.get("Description"), "enable_key_rotation": _bool_text(p.get("EnableKeyRotation",
                                                                                            False)),
                 "rotation_period_in_days": p.get("RotationPeriodInDays"), "is_enabled": _bool_text(p.get("Enabled",
                                                                                                       True)),
                 "tags": _tags(p.get("Tags") or [])}
        add(logical, "aws_kms_key", attrs)
    elif rtype == "AWS::EC2::SecurityGroup":
        ingress = []
        for r in p.get("SecurityGroupIngress") or []:
            if isinstance(r, dict):
                ingress.append(_cfn_rule(r))
        add(logical, "aws_security_group", {"name": p.get("GroupName"), "ingress": ingress,
                                            "tags": _tags(p.get("Tags") or [])})
    elif rtype == "AWS::EC2::SecurityGroupIngress":
        rule = _cfn_rule(p)
        add(logical, "aws_vpc_security_group_ingress_rule", {**rule, "ip_protocol": rule.pop("protocol"),
                                                             "security_group_id": p.get("GroupId")})
    elif rtype in ("AWS::IAM::User", "AWS::IAM::Group"):
        user = rtype == "AWS::IAM::User"
        kind, key = ("user", "user") if user else ("group", "group")
        add(logical, f"aws_iam_{kind}", {"name": p.get("UserName" if user else "GroupName"),
                                         **({"tags": _tags(p.get("Tags") or [])} if user else {})})
        me = CfnRef(logical)
        for i, pol in enumerate(p.get("Policies") or []):
            doc = pol.get("PolicyDocument") if isinstance(pol, dict) else None
            add(f"{logical}#policy[{i}]", f"aws_iam_{kind}_policy", {key: me, "name": (pol or {}).get("PolicyName")},
                policy=doc if isinstance(doc, (dict, Unresolved)) else Unresolved(str(doc)))
        arns = p.get("ManagedPolicyArns") or []
        for i, arn in enumerate(arns if isinstance(arns, list) else [arns]):
            add(f"{logical}#managed[{i}]", f"aws_iam_{kind}_policy_attachment", {key: me, "policy_arn": arn})
        if user and p.get("Groups"):
            add(f"{logical}#groups", "aws_iam_user_group_membership", {"user": me, "groups": p.get("Groups")})
    elif rtype == "AWS::IAM::UserToGroupAddition":
        add(logical, "aws_iam_group_membership", {"group": p.get("GroupName"), "users": p.get("Users")})
    elif rtype in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        doc = p.get("PolicyDocument")
        add(logical, "aws_iam_policy", {"name": p.get("PolicyName") or p.get("ManagedPolicyName")},
            policy=doc if isinstance(doc, (dict, Unresolved)) else Unresolved(str(doc)))
        if p.get("Users") or p.get("Groups"):
            add(f"{logical}#attachment", "aws_iam_policy_attachment",
                {"users": p.get("Users"), "groups": p.get("Groups"), "policy_arn": CfnRef(logical)})
    elif rtype == "AWS::Backup::BackupVault":
        tags = p.get("BackupVaultTags")
        add(logical, "aws_backup_vault", {"name": p.get("BackupVaultName"),
                                          "tags": tags if isinstance(tags, dict) else {}})
        lock = p.get("LockConfiguration")
        if isinstance(lock, dict):  # ChangeableForDays set: compliance mode; absent: governance mode
            add(f"{logical}#lock", "aws_backup_vault_lock_configuration", {
                "backup_vault_name": CfnRef(logical), "min_retention_days": lock.get("MinRetentionDays"),
                "max_retention_days": lock.get("MaxRetentionDays"),
                "changeable_for_days": lock.get("ChangeableForDays")})
    elif rtype == "AWS::CloudTrail::Trail":
        add(logical, "aws_cloudtrail", {
            "name": p.get("TrailName"), "s3_bucket_name": p.get("S3BucketName"), "s3_key_prefix": p.get("S3KeyPrefix"),
            "enable_logging": _bool_text(p.get("IsLogging")),
            "is_multi_region_trail": _bool_text(p.get("IsMultiRegionTrail", False)),
            "enable_log_file_validation": _bool_text(p.get("EnableLogFileValidation", False)),
            "tags": _tags(p.get("Tags") or [])})


def _lifecycle_rule(r: dict[str, Any]) -> dict[str, Any]:
    """A ``LifecycleConfiguration`` rule in Terraform's shape (tag filters kept: they narrow the rule)."""
    tags = _tags(r.get("TagFilters") or [])
    rule: dict[str, Any] = {"status": r.get("Status"), "prefix": r.get("Prefix"),
                            "expiration": [{"days": r.get("ExpirationInDays")}]}
    if tags:
        rule["filter"] = [{"and": [{"tags": tags}]}]
    return rule


def _cfn_rule(r: dict[str, Any]) -> dict[str, Any]:
    rule: dict[str, Any] = {"protocol": r.get("IpProtocol"), "from_port": r.get("FromPort"),
                            "to_port": r.get("ToPort"), "description": r.get("Description")}
    if "CidrIp" in r:
        rule["cidr_blocks"] = [r["CidrIp"]]
    if "CidrIpv6" in r:
        rule["ipv6_cidr_blocks"] = [r["CidrIpv6"]]
    if "SourceSecurityGroupId" in r:
        rule["security_groups"] = [r["SourceSecurityGroupId"]]
    if "SourcePrefixListId" in r:
        rule["prefix_list_ids"] = [r["SourcePrefixListId"]]
    return rule


class CfnLinks:
    def __init__(self, by_addr: dict[str, TfRes]):
        self.by_addr = by_addr

    def target(self, res: TfRes, path: tuple[str, ...], value: Any, types: tuple[str, ...]) -> TfRes | None:
        if isinstance(value, CfnRef):
            hit = self.by_addr.get(value.logical_id)
            return hit if hit is not None and hit.type in types else None
        if isinstance(value, str):
            name = value[len("arn:aws:s3:::"):] if value.startswith("arn:aws:s3:::") else value
            hits = [r for r in self.by_addr.values() if r.type in types and name in (
                r.attrs.get("bucket"), r.attrs.get("name"), r.attrs.get("identifier"))]
            return hits[0] if len(hits) == 1 else None
        return None


def load_template(path: Path, region: str | None
                  ) -> tuple[list[Resource] | None, list[tuple[str, str]], list[Block]]:
    from .checkov_import import without_builtin_checks

    without_builtin_checks("checkov.cloudformation")
    from checkov.cloudformation.parser import cfn_yaml

    disp = display_path(path)
    try:
        template, _lines = cfn_yaml.load(path, cfn_yaml.ContentType.CFN)
    except cfn_yaml.CfnParseError as e:
        line = getattr(e, "line_number", None)
        msg = str(getattr(e, "message", e)).splitlines()[0]
        return None, [(f"{disp}:{line + 1}" if isinstance(line, int) else disp, f"invalid YAML/JSON: {msg}")], []
    except Exception as e:  # the YAML scanner and JSON decoder raise their own types
        mark = getattr(e, "problem_mark", None)
        line = getattr(mark, "line", None)
        where = f"{disp}:{line + 1}" if isinstance(line, int) else disp
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        return None, [(where, f"invalid template: {first}")], []
    if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict):
        return None, [(disp, "not a CloudFormation template (no Resources section)")], []

    text_lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    resolver = Resolver(template, region)
    tf: list[TfRes] = []
    blocks: list[Block] = []
    problems: list[tuple[str, str]] = []
    for logical, body in template["Resources"].items():
        if not isinstance(body, dict):
            continue
        start = body.get("__startline__")
        end = body.get("__endline__")
        key_line = _key_line(text_lines, logical, start)
        base = {"file": disp, "line": key_line, "region": region,
                "region_error": None if region else "a CloudFormation template does not name the region it is "
                                                    "deployed to (give --region)"}
        props = resolver.value(body.get("Properties") or {})
        if not isinstance(props, dict):
            problems.append((f"{disp}:{key_line}", f"{logical}: Properties could not be resolved"))
            continue
        before = len(tf)
        _as_tf(str(logical), str(body.get("Type", "")), props, tf, base)
        if len(tf) > before and key_line:
            blocks.append(Block(disp, key_line, end, (str(logical),)))
    # The parser's end mark is where the next key starts; a block ends before the next resource.
    starts = sorted({ln for ln in (_key_line(text_lines, str(k), v.get("__startline__"))
                                   for k, v in template["Resources"].items() if isinstance(v, dict)) if ln})
    blocks = [Block(b.file, b.start, min([b.end or b.start] + [s - 1 for s in starts if s > b.start]), b.ids)
              for b in blocks]
    by_addr = {r.address: r for r in tf}
    resources = Normalizer(tf, CfnLinks(by_addr), source_type="cloudformation").run()
    return resources, problems, blocks


def _key_line(lines: list[str], logical: str, start: Any) -> int | None:
    """The line of the resource's logical ID (the mapping itself starts one line later in YAML)."""
    if not isinstance(start, int):
        return None
    pat = re.compile(rf"^\s*[\"']?{re.escape(logical)}[\"']?\s*:")
    for n in range(start, max(start - 4, 0), -1):
        if n - 1 < len(lines) and pat.match(lines[n - 1]):
            return n
    return start
