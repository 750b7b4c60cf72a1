"""The Pulumi adapter: type tokens and names, unknown values, regions, tags and joins."""

from __future__ import annotations

import datetime as dt
from importlib import util
from pathlib import Path

import pytest

from sansho.policies.catalog import load_catalog
from sansho.policies.engine.core import Engine
from sansho.collectors.iac.pulumi import GCP_TOKENS, RENAMES, TOKENS, normalize, snake
from sansho.collectors.iac.pulumi_azure import TOKENS as AZURE_TOKENS
from sansho.collectors.iac.tfaws import SUPPORTED_TYPES
from sansho.collectors.iac.tfazure import SUPPORTED_TYPES as AZURE_TYPES
from sansho.collectors.iac.tfgoogle import SUPPORTED_TYPES as GOOGLE_TYPES

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # Pulumi's wire sentinel for a value unknown in preview
TODAY = dt.date(2026, 6, 1)
PROVIDER = {
    "type": "pulumi:providers:aws",
    "name": "tokyo",
    "urn": "urn:pulumi:dev::p::pulumi:providers:aws::tokyo",
    "inputs": {"region": "ap-northeast-1"},
}
PREF = PROVIDER["urn"] + "::prov-id"
PULUMI_AWS = Path(util.find_spec("pulumi_aws").origin).parent
PULUMI_GCP = Path(util.find_spec("pulumi_gcp").origin).parent
PULUMI_AZURE = Path(util.find_spec("pulumi_azure_native").origin).parent


def urn(token: str, name: str) -> str:
    return f"urn:pulumi:dev::p::{token}::{name}"


def res(token: str, name: str, inputs: dict, **kw) -> dict:
    return {"type": token, "name": name, "urn": urn(token, name), "inputs": inputs, "provider": PREF, **kw}


def verdicts(resources: list[dict], *control_ids: str, **kw) -> dict[tuple[str, str], str]:
    cat = load_catalog()
    result = Engine(cat).scan(normalize(resources, **kw), [cat[c] for c in control_ids], today=TODAY)
    return {(f.control_id, f.resource.id.rsplit("::", 1)[-1]): f.status for f in result.findings}


def test_every_token_exists_in_the_installed_pulumi_aws_and_maps_to_a_read_type():
    assert set(TOKENS.values()) <= SUPPORTED_TYPES
    assert SUPPORTED_TYPES - set(TOKENS.values()) == set()
    for token in TOKENS:
        module = token.split(":")[1].split("/")[0]
        sources = "".join(p.read_text(encoding="utf-8") for p in (PULUMI_AWS / module).glob("*.py"))
        assert f"'{token}'" in sources, token


def test_every_renamed_pulumi_name_is_a_property_of_the_sdk():
    for tf_type, renames in RENAMES.items():
        sdk, modules = (
            (PULUMI_GCP, ("compute", "sql", "storage", "bigquery"))
            if tf_type.startswith("google_")
            else (PULUMI_AWS, ("s3", "rds", "backup", "lb", "alb"))
        )
        for path in renames:
            camel = path[-1]
            getter = f'@pulumi.getter(name="{camel}")' if snake(camel) != camel else f"def {camel}(self)"
            assert any(
                getter in p.read_text(encoding="utf-8") for m in modules for p in (sdk / m).glob("*.py")
            ), (tf_type, camel)


def test_every_gcp_token_exists_in_pulumi_gcp_and_every_google_type_is_read():
    assert set(GCP_TOKENS.values()) == GOOGLE_TYPES
    for token in GCP_TOKENS:
        module = token.split(":")[1].split("/")[0]
        sources = "".join(p.read_text(encoding="utf-8") for p in (PULUMI_GCP / module).glob("*.py"))
        assert f"'{token}'" in sources, token


def test_every_azure_native_token_exists_in_pulumi_azure_native():
    assert {t for t, _ in AZURE_TOKENS.values()} - AZURE_TYPES == {
        "azure_native_blob_service_properties",
        "azure_native_sql_short_term_retention",
    }
    for token in AZURE_TOKENS:
        module = token.split(":")[1]
        sources = "".join(p.read_text(encoding="utf-8") for p in (PULUMI_AZURE / module).glob("*.py"))
        assert f"'{token}'" in sources, token


def test_snake_case_keeps_digits_with_their_word():
    assert snake("s3BucketName") == "s3_bucket_name"
    assert snake("cidrIpv4") == "cidr_ipv4"
    assert snake("rotationPeriodInDays") == "rotation_period_in_days"


def test_source_id_raw_and_tags_are_pulumi_ones():
    key = res(
        "aws:kms/key:Key",
        "data",
        {
            "enableKeyRotation": True,
            "rotationPeriodInDays": 365.0,
            "tags": {"DataClassification": "confidential", "sansho:medical": "true"},
        },
    )
    [k] = normalize([PROVIDER, key])
    assert (
        k.id == key["urn"]
        and k.source.type == "pulumi"
        and k.region == "ap-northeast-1"
        and k.country == "JP"
    )
    assert k.tags == {
        "DataClassification": "confidential",
        "sansho:medical": "true",
    }  # keys are data: not converted
    assert k.holds_medical_data is True and k.rotation_period_days == 365
    assert k.raw == {"pulumi": {"type": "aws:kms/key:Key", "name": "data", "inputs": key["inputs"]}}


def test_unknown_value_is_unknown_with_the_reason_never_pass():
    key = res("aws:kms/key:Key", "k", {"enableKeyRotation": UNKNOWN})
    [k] = normalize([PROVIDER, key])
    assert k.rotation_enabled is None
    assert "known after pulumi up" in k.read_errors["rotation_enabled"]
    assert verdicts([PROVIDER, key], "SAN-ENC-006") == {("SAN-ENC-006", "k"): "UNKNOWN"}


def test_region_resource_input_wins_then_provider_then_stack_default():
    mk = lambda **kw: res("aws:s3/bucket:Bucket", "b", {"bucket": "b", **kw})  # noqa: E731
    assert normalize([PROVIDER, mk(region="us-west-2")])[0].region == "us-west-2"
    assert normalize([PROVIDER, mk()])[0].region == "ap-northeast-1"
    own = {**mk(), "provider": None}
    assert normalize([own], default_region="ap-northeast-3")[0].region == "ap-northeast-3"
    [b] = normalize([own])
    assert b.region is None and "aws:region" in b.read_errors["region"]
    [b] = normalize([{**PROVIDER, "inputs": {"region": UNKNOWN}}, mk()])
    assert b.region is None and "known after pulumi up" in b.read_errors["region"]
    default = {**mk(), "provider": "urn:pulumi:dev::p::pulumi:providers:aws::default_7_29_0::d1"}
    assert normalize([default], default_region="ap-northeast-1")[0].region == "ap-northeast-1"
    [b] = normalize([mk()])  # the provider resource was not passed
    assert b.region is None and "not among the resources read" in b.read_errors["region"]


def test_provider_inputs_given_directly_and_default_tags_merged_under_own_tags():
    bucket = {
        "type": "aws:s3/bucket:Bucket",
        "name": "b",
        "urn": urn("aws:s3/bucket:Bucket", "b"),
        "inputs": {"bucket": "b", "tags": {"retention": "5y"}},
        "provider_inputs": {
            "region": "ap-northeast-3",
            "defaultTags": '{"tags": {"retention": "none", "sansho:medical": "true"}}',
        },
    }
    [b] = normalize([bucket])
    assert b.region == "ap-northeast-3"
    assert b.tags == {"retention": "5y", "sansho:medical": "true"} and b.holds_medical_data is True


def _versioned_bucket(deps: dict | None) -> list[dict]:
    bucket = res("aws:s3/bucket:Bucket", "auto", {"tags": {}})  # auto-named: no name in preview
    ver = res(
        "aws:s3/bucketVersioning:BucketVersioning",
        "auto-ver",
        {"bucket": UNKNOWN, "versioningConfiguration": {"status": "Enabled"}},
        dependencies=deps if deps is not None else {},
    )
    return [PROVIDER, bucket, ver]


def test_split_off_resource_joins_through_property_dependencies_when_the_name_is_unknown():
    joined = _versioned_bucket({"bucket": [urn("aws:s3/bucket:Bucket", "auto")]})
    assert verdicts(joined, "SAN-BKP-006") == {("SAN-BKP-006", "auto"): "PASS"}
    # Without the dependency the versioning resource cannot be placed: UNKNOWN, not "no versioning".
    assert verdicts(_versioned_bucket(None), "SAN-BKP-006") == {("SAN-BKP-006", "auto"): "UNKNOWN"}


def test_plural_list_blocks_and_float_numbers():
    plan = res(
        "aws:backup/plan:Plan",
        "plan",
        {
            "name": "p",
            "rules": [
                {
                    "ruleName": "daily",
                    "targetVaultName": "v",
                    "schedule": "cron(0 17 * * ? *)",
                    "lifecycle": {"deleteAfter": 35.0},
                    "copyActions": [
                        {"destinationVaultArn": "arn:aws:backup:us-east-1:210987654321:backup-vault:x"}
                    ],
                }
            ],
        },
    )
    vault = res("aws:backup/vault:Vault", "v", {"name": "v"})
    [p, _] = normalize([PROVIDER, plan, vault])
    assert p.generations == 35 and p.retention_days == 35
    assert [(d.region, d.account, d.country) for d in p.destinations] == [("us-east-1", "210987654321", "US")]
    assert verdicts([PROVIDER, plan, vault], "SAN-LOC-002")[("SAN-LOC-002", "plan")] == "FAIL"


def test_parameter_group_and_listener_blocks():
    pg = res(
        "aws:rds/parameterGroup:ParameterGroup",
        "pg",
        {"name": "pg", "family": "postgres14", "parameters": [{"name": "rds.force_ssl", "value": "0"}]},
    )
    db = res(
        "aws:rds/instance:Instance",
        "db",
        {"engine": "postgres", "engineVersion": "14.9", "parameterGroupName": "pg", "storageEncrypted": True},
    )
    lst = res(
        "aws:lb/listener:Listener",
        "http",
        {
            "protocol": "HTTP",
            "port": 80.0,
            "defaultActions": [
                {
                    "type": "redirect",
                    "redirect": {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"},
                }
            ],
        },
    )
    got = verdicts([PROVIDER, pg, db, lst], "SAN-ENC-007", "SAN-ENC-005")
    assert got == {("SAN-ENC-007", "db"): "FAIL", ("SAN-ENC-005", "http"): "PASS"}


@pytest.mark.parametrize(
    "ingress,status",
    [
        ({"protocol": "tcp", "fromPort": 22.0, "toPort": 22.0, "cidrBlocks": ["0.0.0.0/0"]}, "FAIL"),
        ({"protocol": "tcp", "fromPort": 22.0, "toPort": 22.0, "cidrBlocks": ["10.0.0.0/8"]}, "PASS"),
        ({"protocol": "tcp", "fromPort": 22.0, "toPort": 22.0, "cidrBlocks": [UNKNOWN]}, "UNKNOWN"),
    ],
)
def test_security_group_inline_ingress(ingress, status):
    sg = res("aws:ec2/securityGroup:SecurityGroup", "sg", {"ingress": [ingress]})
    assert verdicts([PROVIDER, sg], "SAN-NET-001") == {("SAN-NET-001", "sg.ingress[0]"): status}


def test_iam_users_and_groups_with_full_administrative_rights():
    """SAN-IAM-011 through the Pulumi adapter: an attached AdministratorAccess, a group's inline *:*
    reaching its member, a read-only user, a break-glass user, and an unknown policy ARN in preview."""
    everything = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*:*", "Resource": "*"}]}'
    resources = [
        PROVIDER,
        res("aws:iam/user:User", "ops", {"name": "ops"}),
        res("aws:iam/userPolicyAttachment:UserPolicyAttachment", "ops-admin",
            {"user": "ops", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
        res("aws:iam/group:Group", "infra", {"name": "infra"}),
        res("aws:iam/groupPolicy:GroupPolicy", "infra-all", {"group": "infra", "policy": everything}),
        res("aws:iam/user:User", "tanaka", {"name": "tanaka"}),
        res("aws:iam/userGroupMembership:UserGroupMembership", "tanaka-infra", {"user": "tanaka", "groups": ["infra"]}),
        res("aws:iam/user:User", "reader", {"name": "reader"}),
        res("aws:iam/userPolicyAttachment:UserPolicyAttachment", "reader-ro",
            {"user": "reader", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
        res("aws:iam/user:User", "bg", {"name": "bg", "tags": {"sansho:purpose": "break_glass"}}),
        res("aws:iam/userPolicyAttachment:UserPolicyAttachment", "bg-admin",
            {"user": "bg", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
        res("aws:iam/user:User", "deployer", {"name": "deployer"}),
        res("aws:iam/userPolicyAttachment:UserPolicyAttachment", "deployer-policy",
            {"user": "deployer", "policyArn": UNKNOWN}),
    ]
    assert verdicts(resources, "SAN-IAM-011") == {
        ("SAN-IAM-011", "ops"): "FAIL", ("SAN-IAM-011", "infra"): "FAIL", ("SAN-IAM-011", "tanaka"): "FAIL",
        ("SAN-IAM-011", "reader"): "PASS", ("SAN-IAM-011", "bg"): "NOT_APPLICABLE",
        ("SAN-IAM-011", "deployer"): "UNKNOWN"}
    r = {x.id.rsplit("::", 1)[-1]: x for x in normalize(resources)}
    assert (r["infra"].kind, r["infra"].members) == ("identity.group", [r["tanaka"].id])
    assert r["tanaka"].admin_grants == [f"group {r['infra'].id}: {r['infra'].admin_grants[0]}"]


# --- azure-native and pulumi-gcp resources ----------------------------------------------------------


def az(token: str, name: str, inputs: dict, **kw) -> dict:
    return {"type": f"azure-native:{token}", "name": name, "urn": urn(f"azure-native:{token}", name),
            "inputs": inputs, **kw}


ACCOUNT = {"accountName": "karterecords", "location": "japaneast", "sku": {"name": "Standard_GZRS"},
           "publicNetworkAccess": "Disabled", "allowBlobPublicAccess": False,
           "tags": {"sansho:medical": "true"}}


def test_azure_native_storage_account_is_read_as_azurerm():
    blob = az("storage:BlobServiceProperties", "blob", {"accountName": "karterecords", "isVersioningEnabled": True})
    got = verdicts([az("storage:StorageAccount", "sa", ACCOUNT), blob],
                   "SAN-LOC-001", "SAN-LOC-002", "SAN-NET-003", "SAN-BKP-006", "SAN-ENC-004")
    assert got == {("SAN-LOC-001", "sa"): "PASS", ("SAN-LOC-002", "sa"): "PASS", ("SAN-NET-003", "sa"): "PASS",
                   ("SAN-BKP-006", "sa"): "PASS", ("SAN-ENC-004", "sa"): "PASS"}
    [sa] = normalize([az("storage:StorageAccount", "sa", ACCOUNT), blob])
    assert (sa.region, [d.region for d in sa.destinations], sa.source.type) == ("japaneast", ["japanwest"], "pulumi")


def test_an_unjoined_azure_setting_is_unknown_never_the_default():
    # the versioning resource names an account only known after `pulumi up`, with no dependency to follow
    blob = az("storage:BlobServiceProperties", "blob", {"accountName": UNKNOWN, "isVersioningEnabled": True})
    got = verdicts([az("storage:StorageAccount", "sa", ACCOUNT), blob], "SAN-BKP-006")
    assert got == {("SAN-BKP-006", "sa"): "UNKNOWN"}
    # ... and with the dependency Pulumi records, it is joined
    blob["dependencies"] = {"accountName": [urn("azure-native:storage:StorageAccount", "sa")]}
    assert verdicts([az("storage:StorageAccount", "sa", ACCOUNT), blob], "SAN-BKP-006") == {
        ("SAN-BKP-006", "sa"): "PASS"}


def test_azure_unknown_sku_leaves_the_copy_region_unknown():
    got = verdicts([az("storage:StorageAccount", "sa", {**ACCOUNT, "sku": UNKNOWN})], "SAN-LOC-002")
    assert got == {("SAN-LOC-002", "sa"): "UNKNOWN"}


@pytest.mark.parametrize("actions,status", [
    ([{"action": {"type": "rotate"}, "trigger": {"timeAfterCreate": "P90D"}}], "PASS"),
    ([{"action": {"type": "Rotate"}, "trigger": {"timeAfterCreate": "P2Y"}}], "FAIL"),  # longer than a year
    ([{"action": {"type": "notify"}, "trigger": {"timeBeforeExpiry": "P30D"}}], "FAIL"),  # no rotation
])
def test_azure_key_rotation_policy(actions, status):
    vault = az("keyvault:Vault", "kv", {"vaultName": "kv", "location": "japaneast"})
    key = az("keyvault:Key", "k", {"keyName": "k", "vaultName": "kv",
                                   "properties": {"rotationPolicy": {"lifetimeActions": actions}}})
    assert verdicts([vault, key], "SAN-ENC-006") == {("SAN-ENC-006", "k"): status}


def test_gcp_region_comes_from_the_explicit_provider_and_labels_from_default_labels():
    prov = {"type": "pulumi:providers:gcp", "name": "p", "urn": "urn:pulumi:dev::p::pulumi:providers:gcp::p",
            "inputs": {"region": "us-central1", "defaultLabels": {"sansho_medical": "true"}}}
    inst = {"type": "gcp:sql/databaseInstance:DatabaseInstance", "name": "db",
            "urn": urn("gcp:sql/databaseInstance:DatabaseInstance", "db"), "provider": prov["urn"] + "::id",
            "inputs": {"databaseVersion": "POSTGRES_16", "settings": {"tier": "db-f1-micro"}}}
    assert verdicts([prov, inst], "SAN-LOC-001") == {("SAN-LOC-001", "db"): "FAIL"}
    # without a provider region or gcp:region, the region is not known: UNKNOWN, not a pass
    del prov["inputs"]["region"]
    assert verdicts([prov, inst], "SAN-LOC-001") == {("SAN-LOC-001", "db"): "UNKNOWN"}
    assert verdicts([prov, inst], "SAN-LOC-001", gcp_default_region="asia-northeast1") == {
        ("SAN-LOC-001", "db"): "PASS"}
