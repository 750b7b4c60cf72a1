"""``--org-role``: the accounts of an AWS Organization on moto, each read through an assumed role."""

from __future__ import annotations

import json
import os
import re

import boto3
import pytest

from sansho.policies.inventory import dump_inventory

from . import hospital
from .conftest import CANARY_SECRET, CANARY_TOKEN
from .hospital import ACCOUNT, TOKYO
from .proxy import FaultProxy, Rule
from .test_cli import failing, run
from .test_collect import statuses

ROLE = "SanshoAudit"


@pytest.fixture(scope="module")
def org(moto_endpoint, estate):
    """An organization whose management account is the hospital's, with two members."""
    c = hospital._c(moto_endpoint, "organizations", "us-east-1")
    try:
        c.create_organization(FeatureSet="ALL")
    except c.exceptions.AlreadyInOrganizationException:
        pass
    ids = {}
    for name in ("clinic", "lab"):
        c.create_account(AccountName=f"hospital-{name}", Email=f"{name}@example.jp")
    for a in c.list_accounts()["Accounts"]:
        ids[a["Name"]] = a["Id"]
    clinic = ids["hospital-clinic"]
    creds = hospital._c(moto_endpoint, "sts", "us-east-1").assume_role(
        RoleArn=f"arn:aws:iam::{clinic}:role/{ROLE}", RoleSessionName="builder")["Credentials"]
    s3 = boto3.client("s3", region_name=TOKYO, endpoint_url=moto_endpoint, aws_access_key_id=creds["AccessKeyId"],
                      aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])
    s3.create_bucket(Bucket="bad-clinic-referrals", CreateBucketConfiguration={"LocationConstraint": TOKYO})
    s3.put_bucket_tagging(Bucket="bad-clinic-referrals", Tagging={"TagSet": [{"Key": "sansho:medical", "Value": "true"}]})
    return {"clinic": clinic, "lab": ids["hospital-lab"], "bucket": "arn:aws:s3:::bad-clinic-referrals"}


def test_every_account_is_read_and_a_refused_one_is_recorded(moto_endpoint, org, catalog, fake_env, capsys):
    from sansho.collectors.aws import collect

    # the lab account's role cannot be assumed
    with FaultProxy(moto_endpoint, [Rule("sts", "AccessDenied", 403, op="AssumeRole", body=org["lab"])]) as proxy:
        result = collect(regions=TOKYO, endpoint_url=proxy.url, org_role=ROLE, max_attempts=1)
    assert result.account == ACCOUNT
    assert result.accounts == sorted([ACCOUNT, org["clinic"]])
    lab_errors = [e for e in result.errors if e.resource == f"aws:account:{org['lab']}"]
    assert [e.as_dict() for e in lab_errors] == [{
        "service": "sts", "region": None, "api": "sts:AssumeRole", "resource": f"aws:account:{org['lab']}",
        "reason": f"AccessDenied: sts:AssumeRole arn:aws:iam::{org['lab']}:role/{ROLE}"}]
    assert [e for e in result.errors if e not in lab_errors] == []
    by_id = {r.id: r for r in result.resources}
    b = by_id[org["bucket"]]
    assert (b.account, b.region, b.encrypted) == (org["clinic"], TOKYO, False)
    assert f"aws:account:{org['clinic']}" in by_id and f"aws:account:{ACCOUNT}" in by_id
    assert hospital.Estate  # the hospital's own Tokyo resources are there too
    assert sum(1 for r in result.resources if r.account == ACCOUNT and r.kind == "storage.bucket") >= 5
    assert result.failed_accounts == [org["lab"]]
    assert result.summary_line().startswith(
        f"AWS organization ({ACCOUNT}): 2 account(s) read ({', '.join(sorted([ACCOUNT, org['clinic']]))}), "
        f"1 could not be read ({org['lab']}); ")
    assert result.calls["organizations:ListAccounts"] == 1
    assert result.calls["sts:GetCallerIdentity"] == 3  # the caller once, then one per account read
    by_status, _ = statuses(result.resources, catalog)
    assert org["bucket"] in by_status["SAN-ENC-001"]["FAIL"]
    text = dump_inventory(result.resources) + json.dumps([e.as_dict() for e in result.errors])
    out = capsys.readouterr()
    for secret in (CANARY_SECRET, CANARY_TOKEN):
        assert secret not in text + out.out + out.err


def test_unlistable_organization_is_an_input_error(moto_endpoint, org, fake_env):
    from sansho.collectors.aws import collect
    from sansho.policies.errors import InputError

    with FaultProxy(moto_endpoint, [Rule("organizations", "AccessDeniedException", 400)]) as proxy:
        with pytest.raises(InputError, match="cannot list the organization's accounts: "
                                             "AccessDeniedException: organizations:ListAccounts"):
            collect(regions=TOKYO, endpoint_url=proxy.url, org_role=ROLE, max_attempts=1)


@pytest.mark.parametrize("command", ["collect", "scan"])
def test_cli_org_role(moto_endpoint, org, tmp_path, command):
    inv = tmp_path / "org.json"
    if command == "collect":
        r = run("collect", "aws", "--endpoint-url", moto_endpoint, "--regions", TOKYO, "--org-role", ROLE, "-o", str(inv))
        assert r.returncode == 0, r.stderr
        accounts = {x["account"] for x in json.loads(inv.read_text(encoding="utf-8"))["resources"]}
        assert {ACCOUNT, org["clinic"], org["lab"]} <= accounts
        read = ", ".join(sorted([ACCOUNT, org["clinic"], org["lab"]]))
        assert f"AWS organization ({ACCOUNT}): 3 account(s) read ({read}), 0 could not be read; " in r.stderr
    else:
        r = run("scan", "--live", "aws", "--endpoint-url", moto_endpoint, "--regions", TOKYO, "--org-role", ROLE,
                "--controls", "SAN-ENC-001", "--format", "json")
        assert r.returncode == 1, r.stderr
        assert org["bucket"] in failing(json.loads(r.stdout), "SAN-ENC-001")


@pytest.fixture(scope="module")
def dask_client(fake_env):
    """Two worker processes, started after the fake credentials are in the environment they inherit."""
    from sansho.policies.cluster import open_cluster

    with open_cluster("local:2") as c:
        yield c


def test_cluster_reads_each_account_on_a_worker_like_one_process(moto_endpoint, org, dask_client, fake_env, capsys):
    from sansho.collectors.aws import collect
    from sansho.policies.cluster import collect_live
    from sansho.policies.live import LiveOptions
    from sansho.policies.model import CollectionError

    single = collect(regions=TOKYO, endpoint_url=moto_endpoint, org_role=ROLE)
    capsys.readouterr()
    got = collect_live(dask_client, LiveOptions("aws", None, TOKYO, None, moto_endpoint, ROLE))
    assert got is not None
    resources, errors = got
    # raw is what the APIs returned (EFS sizes carry a read timestamp); the rules never read it
    assert [r.model_dump(exclude={"raw"}) for r in resources] == [r.model_dump(exclude={"raw"}) for r in single.resources]
    assert errors == [CollectionError.model_validate(e.as_dict()) for e in single.errors]
    # the same line but for the number of calls: IAM's credential report is polled until it is ready
    calls = re.compile(r"\d+ API calls")
    assert calls.sub("N API calls", capsys.readouterr().err) == calls.sub("N API calls", single.summary_line()) + "\n"
    assert {org["clinic"], org["lab"], ACCOUNT} <= {r.account for r in resources}
    # the workers ran in their own processes, with their own credential chain
    pids = set(dask_client.run(os.getpid).values())
    assert os.getpid() not in pids and len(pids) == 2


def test_cluster_keeps_collecting_when_a_role_is_refused(moto_endpoint, org, dask_client, fake_env):
    from sansho.policies.cluster import collect_live
    from sansho.policies.live import LiveOptions

    with FaultProxy(moto_endpoint, [Rule("sts", "AccessDenied", 403, op="AssumeRole", body=org["lab"])]) as proxy:
        resources, errors = collect_live(dask_client, LiveOptions("aws", None, TOKYO, None, proxy.url, ROLE))
    assert [e.model_dump() for e in errors if e.resource == f"aws:account:{org['lab']}"] == [{
        "service": "sts", "region": None, "api": "sts:AssumeRole", "resource": f"aws:account:{org['lab']}",
        "reason": f"AccessDenied: sts:AssumeRole arn:aws:iam::{org['lab']}:role/{ROLE}"}]
    assert org["lab"] not in {r.account for r in resources}
    assert org["bucket"] in {r.id for r in resources}
