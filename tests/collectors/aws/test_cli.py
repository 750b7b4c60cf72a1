"""The real commands, as a user runs them against an endpoint: `sansho collect aws`, then
`sansho scan`; and `sansho scan --live aws` in one go."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from . import hospital
from .conftest import CANARY_KEY, CANARY_SECRET, CANARY_TOKEN

SANSHO = str(Path(sys.executable).with_name("sansho"))


def run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "SANSHO_LANG"}
    env.update(AWS_ACCESS_KEY_ID=CANARY_KEY, AWS_SECRET_ACCESS_KEY=CANARY_SECRET, AWS_SESSION_TOKEN=CANARY_TOKEN,
               AWS_CONFIG_FILE="/nonexistent/sansho-test-aws-config", AWS_EC2_METADATA_DISABLED="true",
               AWS_SHARED_CREDENTIALS_FILE="/nonexistent/sansho-test-aws-credentials")
    return subprocess.run([SANSHO, *args], capture_output=True, text=True, env=env, timeout=300)


def failing(doc: dict, control: str) -> set[str]:
    return {f["resource"]["id"] for f in doc["findings"] if f["control_id"] == control and f["status"] == "FAIL"}


def test_collect_then_scan(moto_endpoint, estate, tmp_path):
    inv = tmp_path / "aws.json"
    regions = ",".join(hospital.REGIONS)
    r = run("collect", "aws", "--endpoint-url", moto_endpoint, "--regions", regions, "-o", str(inv))
    assert r.returncode == 0, r.stderr
    assert "resources from 3 regions" in r.stderr
    text = inv.read_text(encoding="utf-8")
    assert CANARY_KEY not in text and CANARY_SECRET not in text and CANARY_TOKEN not in text
    r = run("scan", str(inv), "--format", "json", "--lang", "en")
    assert r.returncode == 1, r.stderr  # critical and high FAILs in the estate
    doc = json.loads(r.stdout)
    assert failing(doc, "SAN-NET-003") == {estate.ids["b_web"]}
    assert failing(doc, "SAN-ENC-002") == {estate.ids["db_lab"], estate.ids["cl_lab"]}


def test_scan_live_in_one_go(moto_endpoint, estate):
    r = run("scan", "--live", "aws", "--endpoint-url", moto_endpoint, "--regions", ",".join(hospital.REGIONS),
            "--controls", "SAN-NET-001", "--format", "json")
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    assert failing(doc, "SAN-NET-001") == {estate.ids["sgr_ssh_world"], estate.ids["sgr_all_world"],
                                           estate.ids["nacl_rdp"]} | estate.default_nacl_entries


def test_print_policy_is_read_only():
    r = run("collect", "aws", "--print-policy")
    assert r.returncode == 0
    actions = json.loads(r.stdout)["Statement"][0]["Action"]
    assert all(a.split(":")[1].startswith(("Get", "List", "Describe", "GenerateCredentialReport")) for a in actions)


def test_dead_endpoint_is_one_line_exit_2():
    r = run("collect", "aws", "--endpoint-url", "http://127.0.0.1:9", "--regions", "ap-northeast-1")
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stderr.startswith("sansho: error: ") and "Traceback" not in r.stderr


def test_tag_keys_from_sansho_yaml(moto_endpoint, estate, collection, tmp_path):
    """A purpose tag under the hospital's own key is read when sansho.yaml names that key."""
    cfg = tmp_path / "sansho.yaml"
    cfg.write_text(f"tag_keys:\n  purpose: \"{hospital.HOSPITAL_PURPOSE_KEY}\"\n", encoding="utf-8")
    user = estate.ids["u_custom_breakglass"]

    def purpose(*extra: str) -> str | None:
        inv = tmp_path / "aws.json"
        r = run("collect", "aws", "--endpoint-url", moto_endpoint, "--regions", hospital.US, "-o", str(inv), *extra)
        assert r.returncode == 0, r.stderr
        return next(x["purpose"] for x in json.loads(inv.read_text(encoding="utf-8"))["resources"] if x["id"] == user)

    assert next(r.purpose for r in collection.resources if r.id == user) == "user"  # no sansho:purpose tag
    assert purpose("--config", str(cfg)) == "break_glass"
    r = run("scan", "--live", "aws", "--endpoint-url", moto_endpoint, "--regions", hospital.US, "--config", str(cfg),
            "--controls", "SAN-IAM-008", "--format", "json")
    assert r.returncode == 1, r.stderr
    # the hospital's key replaces sansho:purpose, so the identity tagged with that one is an ordinary user now
    assert failing(json.loads(r.stdout), "SAN-IAM-008") == {user}


def test_bad_config_is_one_line_exit_2(tmp_path):
    cfg = tmp_path / "sansho.yaml"
    cfg.write_text("tag_keys:\n  purpose: \"\"\n", encoding="utf-8")
    r = run("collect", "aws", "--endpoint-url", "http://127.0.0.1:9", "--regions", hospital.US, "--config", str(cfg))
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stderr.startswith("sansho: error: ") and "tag_keys" in r.stderr and "Traceback" not in r.stderr
