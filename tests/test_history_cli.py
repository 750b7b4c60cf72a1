"""`sansho scan --save` and `sansho history list|show` as users run them, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .support import postgres
from .support.cli import run

store_url = postgres.store_url  # fixture: an empty store on SQLite and on PostgreSQL

BUCKETS = {
    "schema_version": "1.0",
    "resources": [
        {"id": "arn:aws:s3:::plain", "kind": "storage.bucket", "provider": "aws", "account": "111122223333",
         "region": "ap-northeast-1", "encrypted": False, "raw": {"Name": "plain"}},
        {"id": "arn:aws:s3:::sealed", "kind": "storage.bucket", "provider": "aws", "account": "111122223333",
         "region": "ap-northeast-1", "encrypted": True},
        {"id": "arn:aws:s3:::unread", "kind": "storage.bucket", "provider": "aws", "account": "111122223333",
         "region": "ap-northeast-1", "read_errors": {"encrypted": "AccessDenied"}},
    ],
}
SCAN = ("--controls", "SAN-ENC-001,SAN-LOC-001", "--as-of", "2026-11-01")
# what the save line adds for a scan filtered as SCAN is
FILTERED_EN = ("; filtered with --controls SAN-ENC-001,SAN-LOC-001: reports and evidence use complete scans only, "
               "so this one is left out of them")
FILTERED_JA = "。--controls SAN-ENC-001,SAN-LOC-001 で絞り込んだスキャンのため、報告書と証跡には使われません"


@pytest.fixture
def inv(tmp_path):
    p = tmp_path / "inventory.json"
    p.write_text(json.dumps(BUCKETS))
    return p


def test_scan_history_save_list_show(store_url, inv, tmp_path):
    out = tmp_path / "findings.json"
    r = run("scan", str(inv), *SCAN, "--history", store_url, "--format", "json", "-o", str(out), "--lang", "en",
            cwd=tmp_path)
    assert r.returncode == 1, r.stderr  # the scan's own verdict: a high FAIL
    label = "not-yet/history.db" if "://" not in store_url else store_url
    assert r.stderr == f"saved scan #1 to the history ({label}){FILTERED_EN}\n"
    reported = json.loads(out.read_text())

    r = run("history", "list", "--history", store_url, "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    [summary] = json.loads(r.stdout)
    assert summary["id"] == 1 and summary["as_of"] == "2026-11-01" and summary["period"] == "2026Q4"
    assert summary["counts"] == {"FAIL": 1, "UNKNOWN": 1, "PASS": 4}
    assert summary["counts"] == {k: n for k, n in reported["summary"]["by_status"].items() if n}
    assert summary["resources"] == 3 and summary["controls"] == 2 and summary["inputs"] == [str(inv)]

    r = run("history", "show", "1", "--history", store_url, "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["by_family"] == {"storage-location": {"PASS": 3}, "encryption": {"FAIL": 1, "UNKNOWN": 1, "PASS": 1}}
    saved = {(f["control_id"], f["resource_id"], f["status"]) for f in doc["findings"]}
    assert saved == {(f["control_id"], f["resource"]["id"], f["status"]) for f in reported["findings"]}

    r = run("history", "show", "1", "--history", store_url, "--lang", "en", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Scan #1  scanned ") and "as of 2026-11-01 (2026Q4)" in lines[0]
    assert any(ln.startswith("│ FAIL") and "SAN-ENC-001" in ln and "arn:aws:s3:::plain" in ln for ln in lines)
    assert any(ln.startswith("│ UNKNOWN") and "SAN-ENC-001" in ln and "arn:aws:s3:::unread" in ln for ln in lines)
    assert not any("arn:aws:s3:::sealed" in ln for ln in lines)  # PASS findings are counted, not listed


def test_sansho_yaml_history_saves_by_default_and_no_save_skips(inv, tmp_path):
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "sansho.yaml").write_text("history:\n  url: db/history.db\n", encoding="utf-8")
    r = run("scan", str(inv), *SCAN, "--config", str(conf / "sansho.yaml"), cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert r.stderr == f"履歴にスキャン #1 を保存しました (conf/db/history.db){FILTERED_JA}\n"
    r = run("scan", str(inv), *SCAN, "--config", str(conf / "sansho.yaml"), "--no-save", cwd=tmp_path)
    assert r.returncode == 1 and r.stderr == ""
    r = run("history", "list", "--config", str(conf / "sansho.yaml"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    rows = [ln for ln in r.stdout.splitlines() if ln.startswith("│ ")]
    assert len(rows) == 1 and rows[0].startswith("│ 1  │") and "inventory.json" in rows[0]
    # `save: false` keeps the store for reports but does not record unless asked
    (conf / "sansho.yaml").write_text("history:\n  url: db/history.db\n  save: false\n", encoding="utf-8")
    r = run("scan", str(inv), *SCAN, "--config", str(conf / "sansho.yaml"), cwd=tmp_path)
    assert r.returncode == 1 and r.stderr == ""
    r = run("scan", str(inv), *SCAN, "--config", str(conf / "sansho.yaml"), "--save", "--lang", "en", cwd=tmp_path)
    assert r.stderr == f"saved scan #2 to the history (conf/db/history.db){FILTERED_EN}\n"


def test_save_without_a_store_uses_the_default_store(inv, tmp_path):
    import os

    r = run("history", "list", cwd=tmp_path)  # nothing saved yet: readers never create the default
    assert r.returncode == 2 and r.stderr.startswith("sansho: error: no scan history: ")
    default = Path(os.environ["XDG_DATA_HOME"]) / "sansho" / "history.db"
    assert not default.exists()
    r = run("scan", str(inv), *SCAN, "--save", "--lang", "en", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr == (f"saved scan #1 to the history ({default}, the default store; "
                        f"set history.url in sansho.yaml to choose another){FILTERED_EN}\n")
    assert default.is_file()
    r = run("history", "list", "--format", "json", cwd=tmp_path)  # readers find it without configuration
    assert r.returncode == 0 and [s["id"] for s in json.loads(r.stdout)] == [1]
    r = run("scan", str(inv), *SCAN, "--save", cwd=tmp_path)
    assert r.stderr == (f"履歴にスキャン #2 を保存しました ({default}、既定の保存先。sansho.yaml の history.url で"
                        f"変更できます){FILTERED_JA}\n")


def test_a_store_that_cannot_be_written_keeps_the_report(inv, tmp_path):
    out = tmp_path / "findings.json"
    r = run("scan", str(inv), *SCAN, "--history", "postgresql+psycopg://sansho@127.0.0.1:1/history",
            "--format", "json", "-o", str(out), cwd=tmp_path)
    assert r.returncode == 2
    assert json.loads(out.read_text())["summary"]["by_status"]["FAIL"] == 1  # written before the save failed
    [line] = r.stderr.splitlines()
    assert line.startswith("sansho: error: postgresql+psycopg://sansho@127.0.0.1:1/history: cannot open the "
                           "history store / 履歴の保存先を開けません: ")
    assert line.endswith("(the report was written; the scan alone would exit 1 / "
                         "レポートは出力済みです。判定結果の終了コードは 1 です)")


def test_history_errors_are_one_line(tmp_path):
    from sansho.reports.history.store import open_store

    # Reading commands never create a store: a mistyped path is an error, and no file appears.
    for args in (("history", "list"), ("report", "-o", "r.html"), ("evidence", "--framework", "mhlw6", "-o", "b.zip"),
                 ("matrix", "--model", "saas", "-o", "m.xlsx")):
        r = run(*args, "--history", "h.db", cwd=tmp_path)
        assert r.returncode == 2, args
        assert r.stderr == ("sansho: error: h.db: no scan history there yet (record one with `sansho scan --save`) / "
                            "履歴がまだありません\n"), args
    assert not (tmp_path / "h.db").exists()
    open_store(str(tmp_path / "h.db")).close()
    r = run("history", "list", "--history", "h.db", "--lang", "en", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout == "no saved scans (h.db)\n"
    r = run("history", "show", "3", "--history", "h.db", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr == "sansho: error: h.db: no saved scan #3 (see `sansho history list`) / スキャン #3 は履歴にありません\n"
    r = run("history", "show", "three", "--history", "h.db", cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_help_does_not_load_the_database_libraries():
    code = ("import sys; from sansho.policies.cli import app; "
            "assert not [m for m in sys.modules if m.startswith(('sqlalchemy', 'alembic', 'psycopg'))], "
            "sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'alembic', 'psycopg')))")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    r = run("history", "--help")
    assert r.returncode == 0 and "list" in r.stdout and "show" in r.stdout
