"""A scan run with --family or --controls judged part of the catalog: the history records its
filter, and the quarterly report, the matrix and evidence use complete scans only unless told
otherwise, and say what they left out."""

from __future__ import annotations

import json
import zipfile

import pytest

from .support.cli import run

INVENTORY = {
    "schema_version": "1.0",
    "resources": [
        {"id": "arn:aws:s3:::karte", "kind": "storage.bucket", "provider": "aws", "account": "111122223333",
         "region": "us-east-1", "encrypted": False, "holds_medical_data": True},
    ],
}
AS_OF = ("--as-of", "2026-11-01")


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Scan #1 judges every control; scan #2, a day later, only the network family (nothing fails)."""
    folder = tmp_path_factory.mktemp("partial")
    inv = folder / "inventory.json"
    inv.write_text(json.dumps(INVENTORY), encoding="utf-8")
    db = folder / "history.db"
    r = run("scan", str(inv), *AS_OF, "--history", str(db), "--lang", "en", cwd=folder)
    assert r.returncode == 1 and r.stderr == f"saved scan #1 to the history ({db.name})\n", r.stderr
    r = run("scan", str(inv), "--as-of", "2026-11-02", "--family", "network", "--history", str(db), "--lang", "en",
            cwd=folder)
    assert r.returncode == 0, r.stderr
    assert r.stderr == (f"saved scan #2 to the history ({db.name}); filtered with --family network: reports and "
                        "evidence use complete scans only, so this one is left out of them\n")
    return folder, db


def test_the_history_records_the_filter(history):
    folder, db = history
    r = run("history", "list", "--history", str(db), "--format", "json", cwd=folder)
    assert [(s["id"], s["selection"]) for s in json.loads(r.stdout)] == [(2, {"family": "network"}), (1, None)]
    r = run("history", "list", "--history", str(db), "--lang", "en", cwd=folder)
    assert "(filtered)" in r.stdout


def test_the_report_uses_the_complete_scan_and_says_so(history):
    folder, db = history
    out = folder / "report.json"
    r = run("report", "--history", str(db), "--format", "json", "-o", str(out), "--lang", "en", cwd=folder)
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines()[0] == ("note: filtered scan(s) #2 (--family network) left out: reports, matrices "
                                        "and evidence use complete scans only (--include-partial to use them)")
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["scan"]["id"] == 1
    assert any(c["control_id"] == "SAN-LOC-001" for c in report["failing_controls"])
    r = run("report", "--history", str(db), "--format", "json", "-o", str(out), "--include-partial", cwd=folder)
    assert r.returncode == 0 and "note:" not in r.stderr and "注:" not in r.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["scan"]["id"] == 2


def test_evidence_and_matrix_use_the_complete_scan(history):
    folder, db = history
    bundle = folder / "bundle.zip"
    r = run("evidence", "--framework", "mhlw6", "-o", str(bundle), "--history", str(db), "--lang", "ja", cwd=folder)
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines()[0].startswith("注: 絞り込んだスキャン #2 (--family network) は使用していません。")
    assert [s["id"] for s in json.loads(zipfile.ZipFile(bundle).read("manifest.json"))["scans"]] == [1]
    r = run("matrix", "--model", "saas", "-o", str(folder / "m.csv"), "--history", str(db), "--lang", "en",
            cwd=folder)
    assert r.returncode == 0, r.stderr
    assert r.stderr.startswith("note: filtered scan(s) #2 (--family network) left out")


def test_a_quarter_with_only_filtered_scans_is_not_reported_as_clean(tmp_path):
    inv = tmp_path / "inventory.json"
    inv.write_text(json.dumps(INVENTORY), encoding="utf-8")
    db = tmp_path / "h.db"
    r = run("scan", str(inv), *AS_OF, "--controls", "SAN-NET-001", "--history", str(db), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = run("report", "--history", str(db), "-o", str(tmp_path / "r.html"), "--lang", "en", cwd=tmp_path)
    assert (r.returncode, r.stderr) == (2, "sansho: error: --period 2026Q4: no scan recorded in that quarter apart "
                                           "from filtered scans (#1; --include-partial uses them) (recorded: 2026Q4) "
                                           "/ 2026Q4 に記録された点検結果がありません\n")
    assert not (tmp_path / "r.html").exists()


def test_a_store_from_before_the_filter_was_recorded_upgrades_with_its_scans_complete(tmp_path):
    """A history written at revision 0001 (no selection column) opens, migrates, and its scans
    count as complete: they are what the reports used until now."""
    import datetime as dt

    from alembic import command
    from sqlalchemy import create_engine, text

    from sansho.reports.history import migrate
    from sansho.reports.history.store import open_store

    db = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(connection=conn), "0001")
        conn.execute(text("INSERT INTO scans (scanned_at, as_of, period, tool_version, engine, controls, inputs, "
                          "notes) VALUES ('2026-10-01 09:00:00', '2026-10-01', '2026Q4', '0.1.0', 'regorus', "
                          "'[\"SAN-LOC-001\"]', '[]', '[]')"))
    engine.dispose()
    with open_store(str(db)) as s:
        scan = s.latest("2026Q4")
        assert scan is not None and scan.id == 1 and scan.complete and scan.as_of == dt.date(2026, 10, 1)
        with s._engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision()
