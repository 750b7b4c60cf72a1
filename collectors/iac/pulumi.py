"""Pulumi AWS, Google Cloud and Azure resources → the normalized model, through the Terraform normalizers.

pulumi-gcp is bridged like pulumi-aws (``GCP_TOKENS``; its region is the ``pulumi:providers:gcp``
one or the stack's ``gcp:region``); pulumi-azure-native is not bridged, and :mod:`.pulumi_azure` maps
its ARM-shaped inputs onto the azurerm attributes (docs/pulumi.md). Everything below about AWS holds
for both bridged providers.

pulumi-aws is bridged from the Terraform AWS provider: ``aws:s3/bucket:Bucket`` is
``aws_s3_bucket``, inputs are the Terraform attributes in camelCase, and nested blocks are objects
(one) or lists (several; then Pulumi names them in the plural: ``rules`` for ``rule``). So a Pulumi
resource is brought into :class:`~.tfaws.TfRes` form here and normalized by the same
:class:`~.tfaws.Normalizer` as Terraform and CloudFormation: no rule is re-implemented for Pulumi.

This module does not import ``pulumi``. It reads plain mappings, one per resource, as the Pulumi
mocks, a CrossGuard policy pack or a ``pulumi stack export`` can produce them::

    {"type": "aws:s3/bucket:Bucket",          # the type token
     "name": "records",                        # the Pulumi resource name
     "urn": "urn:pulumi:dev::lz::aws:s3/bucket:Bucket::records",   # optional; the id when given
     "inputs": {...},                          # camelCase inputs as the engine sees them
     "provider": "urn:…::pulumi:providers:aws::tokyo::<id>",       # optional provider reference
     "provider_inputs": {...},                 # optional: the provider's inputs, when known directly
     "id": "…", "outputs": {...},              # optional: only used to join resources by id/name/ARN
     "dependencies": {"bucket": ["urn:…"]}}    # optional: property → URNs it was computed from

The region of a resource is its own ``region`` input (pulumi-aws v7), else its provider's
``region`` (an explicit ``pulumi:providers:aws`` resource in the same list, or ``provider_inputs``),
else ``default_region`` (the stack's ``aws:region``). Unknown values (Pulumi's preview sentinels,
``pulumi.output.Unknown``) become :class:`~.common.Unresolved`: the field they feed is UNKNOWN.
Provider ``defaultTags`` are merged under the resource's own tags, as AWS applies them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sansho.policies.model import Resource

from . import pulumi_azure
from .common import Unresolved, display_path, merge_default_tags, parse_policy_text, read_json_document
from .normalize import normalize_all
from .tfaws import TfRes

__all__ = [
    "TOKENS",
    "PulumiLinks",
    "load_export",
    "normalize",
    "provider_region",
    "read_preview",
    "read_state",
    "terraform_type",
    "to_tfres",
]

AWS_PROVIDER = "pulumi:providers:aws"
GCP_PROVIDER = "pulumi:providers:gcp"
PROVIDERS = (AWS_PROVIDER, GCP_PROVIDER)
KNOWN_AFTER_UP = "(known after pulumi up)"

# The wire sentinels Pulumi uses for values not known during preview (pulumi/sdk/go/common/resource).
UNKNOWN_SENTINELS = frozenset(
    {
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",  # string (also the generic one)
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # bool
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
        "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
        "e48ece36-62e2-4504-bad9-02848725956a",  # archive
    }
)

# Type token → Terraform type, for the types tfaws.SUPPORTED_TYPES reads. The tokens are not a
# mechanical function of the Terraform name (aws_db_instance is aws:rds/instance:Instance), so
# they are listed; tests/pulumi checks each against the installed pulumi_aws.
TOKENS: dict[str, str] = {
    "aws:s3/bucket:Bucket": "aws_s3_bucket",
    "aws:s3/bucketV2:BucketV2": "aws_s3_bucket",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
        "aws_s3_bucket_server_side_encryption_configuration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2":
        "aws_s3_bucket_server_side_encryption_configuration",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "aws_s3_bucket_public_access_block",
    "aws:s3/bucketVersioning:BucketVersioning": "aws_s3_bucket_versioning",
    "aws:s3/bucketVersioningV2:BucketVersioningV2": "aws_s3_bucket_versioning",
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration":
        "aws_s3_bucket_object_lock_configuration",
    "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2":
        "aws_s3_bucket_object_lock_configuration",
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "aws_s3_bucket_replication_configuration",
    "aws:s3/bucketPolicy:BucketPolicy": "aws_s3_bucket_policy",
    "aws:s3/bucketAcl:BucketAcl": "aws_s3_bucket_acl",
    "aws:s3/bucketAclV2:BucketAclV2": "aws_s3_bucket_acl",
    "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock": "aws_s3_account_public_access_block",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "aws_s3_bucket_lifecycle_configuration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": "aws_s3_bucket_lifecycle_configuration",
    "aws:rds/instance:Instance": "aws_db_instance",
    "aws:rds/cluster:Cluster": "aws_rds_cluster",
    "aws:rds/clusterInstance:ClusterInstance": "aws_rds_cluster_instance",
    "aws:rds/parameterGroup:ParameterGroup": "aws_db_parameter_group",
    "aws:rds/optionGroup:OptionGroup": "aws_db_option_group",
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": "aws_rds_cluster_parameter_group",
    "aws:ebs/volume:Volume": "aws_ebs_volume",
    "aws:ebs/encryptionByDefault:EncryptionByDefault": "aws_ebs_encryption_by_default",
    "aws:kms/key:Key": "aws_kms_key",
    "aws:ec2/securityGroup:SecurityGroup": "aws_security_group",
    "aws:ec2/securityGroupRule:SecurityGroupRule": "aws_security_group_rule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "aws_vpc_security_group_ingress_rule",
    "aws:cloudtrail/trail:Trail": "aws_cloudtrail",
    "aws:backup/plan:Plan": "aws_backup_plan",
    "aws:backup/vault:Vault": "aws_backup_vault",
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": "aws_backup_vault_lock_configuration",
    "aws:lb/listener:Listener": "aws_lb_listener",
    "aws:alb/listener:Listener": "aws_alb_listener",
    "aws:iam/user:User": "aws_iam_user",
    "aws:iam/group:Group": "aws_iam_group",
    "aws:iam/userPolicy:UserPolicy": "aws_iam_user_policy",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "aws_iam_user_policy_attachment",
    "aws:iam/groupPolicy:GroupPolicy": "aws_iam_group_policy",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "aws_iam_group_policy_attachment",
    "aws:iam/userGroupMembership:UserGroupMembership": "aws_iam_user_group_membership",
    "aws:iam/groupMembership:GroupMembership": "aws_iam_group_membership",
    "aws:iam/policy:Policy": "aws_iam_policy",
    "aws:iam/policyAttachment:PolicyAttachment": "aws_iam_policy_attachment",
}

# pulumi-gcp is bridged from the Terraform google provider as pulumi-aws is from the AWS one: the
# types tfgoogle.SUPPORTED_TYPES reads (tests/pulumi checks each token against the installed pulumi_gcp).
GCP_TOKENS: dict[str, str] = {
    "gcp:storage/bucket:Bucket": "google_storage_bucket",
    "gcp:storage/bucketIAMMember:BucketIAMMember": "google_storage_bucket_iam_member",
    "gcp:storage/bucketIAMBinding:BucketIAMBinding": "google_storage_bucket_iam_binding",
    "gcp:storage/bucketIAMPolicy:BucketIAMPolicy": "google_storage_bucket_iam_policy",
    "gcp:storage/bucketACL:BucketACL": "google_storage_bucket_acl",
    "gcp:sql/databaseInstance:DatabaseInstance": "google_sql_database_instance",
    "gcp:compute/disk:Disk": "google_compute_disk",
    "gcp:compute/regionDisk:RegionDisk": "google_compute_region_disk",
    "gcp:compute/firewall:Firewall": "google_compute_firewall",
    "gcp:kms/keyRing:KeyRing": "google_kms_key_ring",
    "gcp:kms/cryptoKey:CryptoKey": "google_kms_crypto_key",
    "gcp:bigquery/dataset:Dataset": "google_bigquery_dataset",
}

# Where Pulumi's name is not the camelCase of the Terraform one: list blocks take a plural name.
# Keyed by Terraform type; the path is in Pulumi names, list positions left out.
RENAMES: dict[str, dict[tuple[str, ...], str]] = {
    "aws_s3_bucket": {("lifecycleRules",): "lifecycle_rule"},
    "aws_s3_bucket_server_side_encryption_configuration": {("rules",): "rule"},
    "aws_s3_bucket_replication_configuration": {("rules",): "rule"},
    "aws_s3_bucket_lifecycle_configuration": {("rules",): "rule", ("rules", "transitions"): "transition"},
    "aws_s3_bucket_acl": {("accessControlPolicy", "grants"): "grant"},
    "aws_db_parameter_group": {("parameters",): "parameter"},
    "aws_db_option_group": {("options",): "option"},
    "aws_rds_cluster_parameter_group": {("parameters",): "parameter"},
    "aws_backup_plan": {("rules",): "rule", ("rules", "copyActions"): "copy_action"},
    "aws_lb_listener": {("defaultActions",): "default_action"},
    "aws_alb_listener": {("defaultActions",): "default_action"},
    "google_compute_firewall": {("allows",): "allow", ("denies",): "deny"},
    "google_sql_database_instance": {("settings", "databaseFlags"): "database_flags",
                                     ("settings", "ipConfiguration", "authorizedNetworks"): "authorized_networks"},
    "google_storage_bucket": {("lifecycleRules",): "lifecycle_rule"},
    "google_storage_bucket_acl": {("roleEntities",): "role_entity"},
    "google_bigquery_dataset": {("accesses",): "access"},
}
# BucketV2 (deprecated in v7) spells its inline blocks in the plural as well.
_BUCKET_V2_RENAMES = {
    ("serverSideEncryptionConfigurations",): "server_side_encryption_configuration",
    ("serverSideEncryptionConfigurations", "rules"): "rule",
    (
        "serverSideEncryptionConfigurations",
        "rules",
        "applyServerSideEncryptionByDefaults",
    ): "apply_server_side_encryption_by_default",
    ("versionings",): "versioning",
    ("objectLockConfiguration", "rules"): "rule",
    ("objectLockConfiguration", "rules", "defaultRetentions"): "default_retention",
    ("replicationConfigurations",): "replication_configuration",
    ("replicationConfigurations", "rules", "destinations"): "destination",
    ("grants",): "grant",
    ("lifecycleRules",): "lifecycle_rule",
    ("lifecycleRules", "expirations"): "expiration",
}
# Values whose keys are data, not attribute names: never converted.
OPAQUE = frozenset({"tags", "tagsAll", "policy", "labels", "userLabels", "effectiveLabels"})

_CAMEL = re.compile(r"(?<=[a-z0-9])([A-Z])")


def snake(name: str) -> str:
    """``s3BucketName`` → ``s3_bucket_name``."""
    return _CAMEL.sub(r"_\1", name).lower()


def terraform_type(token: str) -> str | None:
    """The Terraform type a Pulumi type token is read as (azure-native: the azurerm type it is mapped onto)."""
    if token in TOKENS:
        return TOKENS[token]
    if token in GCP_TOKENS:
        return GCP_TOKENS[token]
    spec = pulumi_azure.TOKENS.get(token)
    return spec[0] if spec else None


def is_unknown(v: Any) -> bool:
    if isinstance(v, str):
        return v in UNKNOWN_SENTINELS
    t = type(v)
    return t.__name__ == "Unknown" and t.__module__.startswith("pulumi")


def _value(v: Any) -> Any:
    """A leaf (or opaque) value: unknowns → Unresolved, integral floats (all numbers travel as
    floats) → int."""
    if is_unknown(v):
        return Unresolved(KNOWN_AFTER_UP)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, Mapping):
        return {str(k): _value(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_value(x) for x in v]
    return v


def _convert(v: Any, path: tuple[str, ...], renames: Mapping[tuple[str, ...], str]) -> Any:
    if isinstance(v, Mapping) and not is_unknown(v):
        out: dict[str, Any] = {}
        for k, x in v.items():
            k = str(k)
            sub = (*path, k)
            key = renames.get(sub) or snake(k)
            out[key] = _value(x) if k in OPAQUE else _convert(x, sub, renames)
        return out
    if isinstance(v, (list, tuple)):
        return [_convert(x, path, renames) for x in v]
    return _value(v)


def _json_safe(v: Any) -> Any:
    if isinstance(v, Mapping):
        return {str(k): _json_safe(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_json_safe(x) for x in v]
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


def _provider_urn(ref: Any) -> str | None:
    """A provider reference is ``<urn>::<id>``; URNs themselves contain ``::``."""
    if not isinstance(ref, str) or not ref:
        return None
    return ref.rsplit("::", 1)[0] if ref.count("::") >= 4 else ref


def _maybe_json(v: Any) -> Any:
    # Provider inputs that are objects travel as JSON text.
    if isinstance(v, str) and v[:1] in "{[":
        try:
            return json.loads(v)
        except ValueError:
            return v
    return v


def provider_region(inputs: Mapping[str, Any] | None) -> tuple[str | None, str | None]:
    """(region, why not) from an AWS provider's inputs."""
    if inputs is None:
        return None, "the AWS provider of this resource is not known"
    v = inputs.get("region")
    if is_unknown(v):
        return None, f"the provider region is {KNOWN_AFTER_UP}"
    if isinstance(v, Unresolved):
        return None, f"the provider region is {v}"
    if isinstance(v, str) and v:
        return v, None
    return None, "the AWS provider sets no region"


def _default_tags(inputs: Mapping[str, Any] | None) -> dict[str, Any]:
    dt = _maybe_json((inputs or {}).get("defaultTags"))
    tags = dt.get("tags") if isinstance(dt, Mapping) else None
    return dict(tags) if isinstance(tags, Mapping) else {}


def _region_of(
    res: Mapping[str, Any], providers: Mapping[str, Mapping[str, Any]], default_region: str | None
) -> tuple[str | None, str | None, dict[str, Any]]:
    """(region, why not, provider default tags) of one resource."""
    prov: Mapping[str, Any] | None = res.get("provider_inputs")
    missing: str | None = None
    if prov is None:
        urn = _provider_urn(res.get("provider"))
        # A default provider (name default, default_7_x …) is configured by the stack's aws:region.
        if urn is not None and not urn.rsplit("::", 1)[-1].startswith("default"):
            prov = providers.get(urn)
            if prov is None:
                missing = f"provider {urn} is not among the resources read"
    own = (res.get("inputs") or {}).get("region")
    tags = _default_tags(prov)
    if is_unknown(own):
        return None, f"region is {KNOWN_AFTER_UP}", tags
    if isinstance(own, Unresolved):
        return None, f"region is {own}", tags
    if isinstance(own, str) and own:
        return own, None, tags
    if prov is not None:
        region, why = provider_region(prov)
        return region, why, tags
    if missing:
        return None, missing, tags
    if default_region:
        return default_region, None, tags
    return None, "no explicit AWS provider and no aws:region in the stack configuration", tags


def _gcp_region_of(
    res: Mapping[str, Any], providers: Mapping[str, Mapping[str, Any]], default_region: str | None
) -> tuple[str | None, str | None, dict[str, Any]]:
    """(the google provider's region in effect, why not, its default labels): tfgoogle uses it where a
    resource names no location of its own, as it does with a Terraform provider block."""
    prov: Mapping[str, Any] | None = res.get("provider_inputs")
    if prov is None:
        urn = _provider_urn(res.get("provider"))
        if urn is not None and not urn.rsplit("::", 1)[-1].startswith("default"):
            prov = providers.get(urn)
            if prov is None:
                return None, f"provider {urn} is not among the resources read", {}
    dl = _maybe_json((prov or {}).get("defaultLabels"))
    labels = dict(dl) if isinstance(dl, Mapping) else {}
    v = (prov or {}).get("region")
    if is_unknown(v) or isinstance(v, Unresolved):
        return None, f"the provider region is {KNOWN_AFTER_UP if is_unknown(v) else v}", labels
    if isinstance(v, str) and v:
        return v, None, labels
    if default_region:
        return default_region, None, labels
    return None, "neither the google provider nor gcp:region in the stack configuration sets a region", labels


class PulumiLinks:
    """Joins by resolved names, ids and ARNs first, then by Pulumi's property dependencies (the
    URNs a property was computed from), which stand in for Terraform's references."""

    def __init__(self, resources: list[TfRes]):
        self.by_urn = {r.address: r for r in resources}
        self.resources = resources

    @staticmethod
    def _idents(r: TfRes) -> set[str]:
        out: set[str] = set()
        for src in (r.attrs, r.extra.get("outputs") or {}):
            for k in ("bucket", "name", "identifier", "cluster_identifier", "id", "arn"):
                v = src.get(k)
                if isinstance(v, str) and v:
                    out.add(v)
        if isinstance(r.extra.get("id"), str) and r.extra["id"]:
            out.add(r.extra["id"])
        return out

    def target(self, res: TfRes, path: tuple[str, ...], value: Any, types: tuple[str, ...]) -> TfRes | None:
        if isinstance(value, str) and value:
            names = {value, value.removeprefix("arn:aws:s3:::")}
            hits = [r for r in self.resources if r.type in types and r is not res and names & self._idents(r)]
            if len(hits) == 1:
                return hits[0]
        prop = (res.extra.get("keys") or {}).get(path[0]) if path else None
        urns = (res.extra.get("deps") or {}).get(prop, []) if prop else []
        hits = list(
            {id(t): t for u in urns if (t := self.by_urn.get(u)) is not None and t.type in types}.values()
        )
        return hits[0] if len(hits) == 1 else None


def to_tfres(
    resources: Iterable[Mapping[str, Any]],
    *,
    default_region: str | None = None,
    file: str | None = None,
    gcp_default_region: str | None = None,
) -> list[TfRes]:
    """The resources this adapter reads, in TfRes form (others, providers included, are skipped)."""
    resources = list(resources)
    providers = {
        str(r.get("urn") or f"{r.get('type')}::{r.get('name')}"): {
            k: _maybe_json(v) for k, v in (r.get("inputs") or {}).items()
        }
        for r in resources
        if r.get("type") in PROVIDERS
    }
    out: list[TfRes] = []
    for r in resources:
        token = str(r.get("type") or "")
        inputs = r.get("inputs") or {}
        tf_type = TOKENS.get(token) or GCP_TOKENS.get(token)
        region: str | None = None
        why: str | None = None
        if tf_type is not None:
            renames = _BUCKET_V2_RENAMES if token == "aws:s3/bucketV2:BucketV2" else RENAMES.get(tf_type, {})
            attrs = _convert(inputs, (), renames)
            keys = {renames.get((k,)) or snake(k): k for k in inputs}
            if token in GCP_TOKENS:
                region, why, default_labels = _gcp_region_of(r, providers, gcp_default_region)
                if default_labels or "labels" in attrs:
                    attrs["labels"] = merge_default_tags(_value(default_labels), attrs.get("labels"))
            else:
                region, why, default_tags = _region_of(r, providers, default_region)
                if default_tags or "tags" in attrs:
                    attrs["tags"] = merge_default_tags(_value(default_tags), attrs.get("tags"))
        else:
            mapped = pulumi_azure.translate(token, _value(inputs))
            if mapped is None:
                continue
            tf_type, attrs, keys = mapped
            renames = {}
        address = str(r.get("urn") or f"{token}::{r.get('name')}")
        res = TfRes(
            address=address,
            type=tf_type,
            attrs=attrs,
            file=file,
            line=None,
            region=region,
            region_error=why,
            extra={
                "keys": keys,
                "deps": dict(r.get("dependencies") or {}),
                "id": r.get("id"),
                "outputs": _convert(r.get("outputs") or {}, (), renames),
            },
            raw={"pulumi": {"type": token, "name": r.get("name"), "inputs": _json_safe(inputs)}},
        )
        if "policy" in attrs:
            pol = attrs["policy"]
            if isinstance(pol, Unresolved):
                res.policy = pol
            elif pol:
                res.policy = parse_policy_text(pol) or Unresolved("policy is not a JSON policy document")
        out.append(res)
    return out


def normalize(
    resources: Iterable[Mapping[str, Any]],
    *,
    default_region: str | None = None,
    file: str | None = None,
    gcp_default_region: str | None = None,
) -> list[Resource]:
    """Pulumi resources (see the module docstring) → normalized resources, ``source.type`` pulumi.
    AWS, Google Cloud (both bridged from Terraform) and azure-native resources (mapped by
    :mod:`.pulumi_azure`) go to the same normalizers as Terraform's."""
    tf = to_tfres(resources, default_region=default_region, file=file, gcp_default_region=gcp_default_region)
    tf = pulumi_azure.fold(tf, PulumiLinks(tf))
    return normalize_all(tf, PulumiLinks(tf), source_type="pulumi")


# --- `pulumi stack export` and `pulumi preview --json` documents ----------------------------------
#
# A state export is {"version": 3, "deployment": {"manifest": …, "resources": [ResourceV3 …]}}; a
# preview is {"steps": [{"op", "urn", "newState": ResourceV3, "oldState": …}], "config": …}
# (pulumi/pulumi sdk/go/common/apitype and the JSON display). Both become the plain mappings above.

# The signature key Pulumi puts on a secret value in state (resource.SecretSig), with its value.
SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
# `pulumi preview --json` writes each secret as this string.
PREVIEW_SECRET = "[secret]"
SECRET_NOT_READ = "a Pulumi secret (not read)"
# Steps whose resource is gone (or going) after the update: nothing of it is judged.
GONE_OPS = frozenset(
    {"delete", "delete-replaced", "discard", "discard-replaced", "read-discard", "remove-pending-replace"}
)
# Engine bookkeeping kept next to the provider's properties; never a setting.
ENGINE_KEYS = frozenset({"__defaults", "__meta", "__internal"})
STATE_VERSION = 3


class ExportError(ValueError):
    """A Pulumi document that cannot be read; the message names the field."""


def _scrub(v: Any, *, preview: bool) -> Any:
    """Secrets → Unresolved without looking inside them (plaintext included: a value the user
    marked secret is not copied into evidence), engine bookkeeping keys dropped."""
    if isinstance(v, Mapping):
        if v.get(SECRET_SIG_KEY) == SECRET_SIG:
            return Unresolved(SECRET_NOT_READ)
        if SECRET_SIG_KEY in v:  # an asset, archive or resource reference: not a setting sansho reads
            return Unresolved("a Pulumi asset or reference (not read)")
        return {str(k): _scrub(x, preview=preview) for k, x in v.items() if k not in ENGINE_KEYS}
    if isinstance(v, list):
        return [_scrub(x, preview=preview) for x in v]
    if preview and v == PREVIEW_SECRET:
        return Unresolved(SECRET_NOT_READ)
    return v


def _name_of(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def _entry(state: Any, where: str, *, preview: bool) -> dict[str, Any] | None:
    """One ResourceV3 as the adapter's mapping; None for what is not judged (a component, a
    resource pending deletion, one read from outside the stack)."""
    if not isinstance(state, Mapping):
        raise ExportError(f"{where}: not an object")
    urn, token = state.get("urn"), state.get("type")
    if not isinstance(urn, str) or not urn.startswith("urn:pulumi:"):
        raise ExportError(f"{where}.urn: not a Pulumi URN")
    if not isinstance(token, str) or not token:
        raise ExportError(f"{where}.type: missing")
    if state.get("delete") is True or state.get("external") is True:
        return None
    for key in ("inputs", "outputs", "propertyDependencies"):
        if state.get(key) is not None and not isinstance(state[key], Mapping):
            raise ExportError(f"{where}.{key}: not an object")
    deps = state.get("propertyDependencies") or {}
    for prop, urns in deps.items():
        if not isinstance(urns, list) or not all(isinstance(u, str) for u in urns):
            raise ExportError(f"{where}.propertyDependencies.{prop}: not a list of URNs")
    provider = state.get("provider")
    if provider is not None and not isinstance(provider, str):
        raise ExportError(f"{where}.provider: not a provider reference")
    return {
        "type": token,
        "name": _name_of(urn),
        "urn": urn,
        "inputs": _scrub(state.get("inputs") or {}, preview=preview),
        "outputs": _scrub(state.get("outputs") or {}, preview=preview),
        "id": state.get("id") if isinstance(state.get("id"), str) else None,
        "provider": provider or None,
        "dependencies": {str(k): list(v) for k, v in deps.items()},
    }


def _with_provider_inputs(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A state or preview holds every provider the stack uses, default ones included (their inputs
    are the stack's aws:* config), so each resource gets its provider's inputs directly."""
    providers = {e["urn"]: e["inputs"] for e in entries if e["type"] in PROVIDERS}
    for e in entries:
        urn = _provider_urn(e.get("provider"))
        if urn in providers:
            e["provider_inputs"] = {k: _maybe_json(v) for k, v in providers[urn].items()}
    return entries


def read_state(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``pulumi stack export`` → the adapter's mappings."""
    version = doc.get("version")
    if version != STATE_VERSION:
        raise ExportError(f"version: {version!r} is not a deployment version sansho reads ({STATE_VERSION}); "
                          "export again with a current Pulumi CLI")
    dep = doc.get("deployment")
    if not isinstance(dep, Mapping):
        raise ExportError("deployment: not an object")
    resources = dep.get("resources") or []
    if not isinstance(resources, list):
        raise ExportError("deployment.resources: not a list")
    entries = [_entry(r, f"deployment.resources[{i}]", preview=False) for i, r in enumerate(resources)]
    return _with_provider_inputs([e for e in entries if e is not None])


def read_preview(doc: Mapping[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
    """``pulumi preview --json`` → (the adapter's mappings, the stack's aws:region if configured; a
    gcp:region is given to the Google resources whose provider sets none, as their default provider).
    A replacement is several steps on one URN: the resource is judged once, in its new state."""
    steps = doc.get("steps")
    if not isinstance(steps, list):
        raise ExportError("steps: not a list")
    seen: dict[str, dict[str, Any]] = {}
    for i, step in enumerate(steps):
        where = f"steps[{i}]"
        if not isinstance(step, Mapping):
            raise ExportError(f"{where}: not an object")
        op = step.get("op")
        if not isinstance(op, str):
            raise ExportError(f"{where}.op: missing")
        if op in GONE_OPS:
            continue
        new = step.get("newState")
        if new is None:
            raise ExportError(f"{where}.newState: missing for op {op}")
        e = _entry(new, f"{where}.newState", preview=True)
        if e is not None:
            seen.setdefault(e["urn"], e)
    config = doc.get("config")
    region = config.get("aws:region") if isinstance(config, Mapping) else None
    region = region if isinstance(region, str) and region and region != PREVIEW_SECRET else None
    entries = _with_provider_inputs(list(seen.values()))
    gcp_region = config.get("gcp:region") if isinstance(config, Mapping) else None
    if isinstance(gcp_region, str) and gcp_region and gcp_region != PREVIEW_SECRET:
        for e in entries:
            if e["type"] in GCP_TOKENS and "provider_inputs" not in e:
                e["provider_inputs"] = {"region": gcp_region}
    return entries, region


def _urn_lines(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        for m in re.finditer(r'"urn"\s*:\s*"([^"]+)"', line):
            out.setdefault(m.group(1), n)
    return out


def load_export(path: Path, kind: str) -> tuple[list[Resource] | None, list[tuple[str, str]], list[Any]]:
    """A state export (``kind`` pulumi-state) or preview (pulumi-preview) file → (resources or None,
    (where, why) of what could not be read, suppression blocks: none, JSON has no comments)."""
    disp = display_path(path)
    doc, text, bad = read_json_document(path)
    if bad is not None:
        return None, [bad], []
    default_region = None
    try:
        if not isinstance(doc, Mapping):
            raise ExportError("the document is not a JSON object")
        if kind == "pulumi-state":
            entries = read_state(doc)
        else:
            entries, default_region = read_preview(doc)
    except ExportError as e:
        label = "Pulumi state export" if kind == "pulumi-state" else "Pulumi preview JSON"
        return None, [(disp, f"{label}: {e}")], []
    resources = normalize(entries, default_region=default_region, file=disp)
    lines = _urn_lines(text)
    for r in resources:
        # A rule split out of its group is `<urn>.ingress[0]`: it points at its group's line.
        urn = r.id if r.id in lines else next((u for u in lines if r.id.startswith(u + ".")), None)
        if r.source.line is None and urn is not None:
            r.source.line = lines[urn]
    return resources, [], []
