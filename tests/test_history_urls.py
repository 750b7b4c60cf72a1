"""History store URLs: no credential is ever printed (user info or query string), and a bad port
is a one-line input error naming the port, not an internal error."""

from __future__ import annotations

import json

import pytest

from sansho.policies.redact import redact_url

from .support import postgres
from .support.cli import run

postgres_server = postgres.postgres_server  # fixture: the session's PostgreSQL server

CANARY = "canary-Pw-7f3a"
INV = {"schema_version": "1.0", "resources": [
    {"id": "arn:aws:s3:::b", "kind": "storage.bucket", "provider": "aws", "region": "ap-northeast-1",
     "encrypted": True}]}


@pytest.mark.parametrize("url,shown", [
    ("postgresql+psycopg://u:pw@db.example/h", "postgresql+psycopg://u:***@db.example/h"),
    ("postgresql+psycopg://u@db.example:5432/h?password=pw&sslmode=require",
     "postgresql+psycopg://u@db.example:5432/h?password=***&sslmode=require"),
    ("postgresql://u:p@ss/w@db/h?sslpassword=x;application_name=a", "postgresql://u:***@db/h?sslpassword=***;application_name=a"),
    ("https://user:tok@opa.example/opa/?access_token=t#frag", "https://user:***@opa.example/opa/?access_token=***#frag"),
    ("https://opa.example:8181/", "https://opa.example:8181/"),
    ("sqlite:////srv/a@b:c/history.db", "sqlite:////srv/a@b:c/history.db"),
    ("history.db", "history.db"),
])
def test_redact_url(url, shown):
    assert redact_url(url) == shown


def test_no_password_is_printed_on_save_list_or_error(postgres_server, tmp_path):
    inv = tmp_path / "inv.json"
    inv.write_text(json.dumps(INV))
    db = postgres_server.new_database().rsplit("/", 1)[1]
    port = postgres_server.port
    # the test server trusts every connection: any password is accepted, and must be hidden
    url = f"postgresql+psycopg://postgres:{CANARY}@127.0.0.1:{port}/{db}?password={CANARY}&connect_timeout=5"
    shown = f"postgresql+psycopg://postgres:***@127.0.0.1:{port}/{db}?connect_timeout=5&password=***"  # sorted
    r = run("scan", str(inv), "--controls", "SAN-ENC-001", "--history", url, "--lang", "en", "--format", "json")
    assert (r.returncode, r.stderr) == (0, f"saved scan #1 to the history ({shown}); filtered with --controls "
                                           "SAN-ENC-001: reports and evidence use complete scans only, so this one "
                                           "is left out of them\n")
    r = run("history", "show", "2", "--history", url)
    assert (r.returncode, r.stderr) == (2, f"sansho: error: {shown}: no saved scan #2 (see `sansho history list`) / "
                                           "スキャン #2 は履歴にありません\n")
    down = f"postgresql+psycopg://u:{CANARY}@127.0.0.1:1/h?password={CANARY}"
    for args in (("history", "list", "--history", down), ("scan", str(inv), "--history", down)):
        r = run(*args)
        assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
        assert r.stderr.startswith("sansho: error: postgresql+psycopg://u:***@127.0.0.1:1/h?password=***: "), r.stderr
        assert CANARY not in r.stderr + r.stdout


@pytest.mark.parametrize("port,why", [("99999", "the port 99999 is out of range (1-65535)"),
                                      ("port", "the port 'port' is not a number (1-65535)")])
def test_a_bad_port_is_an_input_error(tmp_path, port, why):
    url = f"postgresql+psycopg://u:{CANARY}@127.0.0.1:{port}/db"
    shown = f"postgresql+psycopg://u:***@127.0.0.1:{port}/db"
    r = run("history", "list", "--history", url)
    assert (r.returncode, r.stderr) == (2, f"sansho: error: --history: {shown}: {why}\n")
    cfg = tmp_path / "sansho.yaml"
    cfg.write_text(f"history:\n  url: {url}\n")
    r = run("history", "list", "--config", str(cfg))
    assert (r.returncode, r.stderr) == (2, f"sansho: error: {cfg}: field 'history.url': {shown}: {why}\n")
