"""The history store on SQLite and on a real PostgreSQL server: round trip, order, periods,
one transaction per save, migrations matching the tables, and one-line errors."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from sansho.policies.config import Config
from sansho.policies.engine.core import Engine
from sansho.policies.errors import InputError
from sansho.policies.inventory import load_inventories
from sansho.reports.history import migrate, store
from sansho.reports.history.records import SavedScan
from sansho.reports.history.schema import metadata
from sansho.reports.history.store import open_configured, open_store, resolve_url

from .support import postgres

store_url = postgres.store_url  # fixture: an empty store on SQLite and on PostgreSQL

INVENTORY = {
    "schema_version": "1.0",
    "resources": [
        {"id": "arn:aws:s3:::plain", "kind": "storage.bucket", "provider": "aws", "account": "111122223333",
         "region": "ap-northeast-1", "encrypted": False, "source": {"type": "terraform", "file": "s3.tf", "line": 7},
         "raw": {"Name": "plain", "Tags": [{"Key": "病院", "Value": "さくら"}], "A": 1, "0": None}},
        {"id": "arn:aws:s3:::sealed", "kind": "storage.bucket", "provider": "aws", "account": "111122223333",
         "region": "ap-northeast-1", "encrypted": True},
        {"id": "arn:aws:s3:::unread", "kind": "storage.bucket", "provider": "aws", "account": "111122223333",
         "region": "ap-northeast-1", "read_errors": {"encrypted": "AccessDenied"}},
    ],
}


@pytest.fixture(scope="module")
def real_scan(tmp_path_factory, catalog) -> SavedScan:
    """A scan the engine really produced (two controls over three buckets)."""
    import json

    path = tmp_path_factory.mktemp("inv") / "inventory.json"
    path.write_text(json.dumps(INVENTORY, ensure_ascii=False), encoding="utf-8")
    resources = load_inventories([path], [])
    result = Engine(catalog, Config()).scan(resources, catalog.select(["SAN-ENC-001", "SAN-LOC-001"]),
                                            today=dt.date(2026, 11, 1))
    return SavedScan.from_result(result, tool_version="0.1.0", inputs=[str(path)])


def scan_on(saved: SavedScan, as_of: dt.date, at: dt.datetime | None = None) -> SavedScan:
    return dataclasses.replace(saved, as_of=as_of, scanned_at=at or saved.scanned_at, id=None)


def test_fresh_store_is_at_head_and_tables_match_the_migrations(store_url):
    s = open_store(store_url)
    try:
        with s._engine.connect() as conn:
            assert migrate.current_revision(conn) == migrate.head_revision() == "0003"
            # what `alembic check` does: the models and the migrated database must not differ
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        assert diff == []
    finally:
        s.close()
    if "://" not in store_url:
        assert Path(store_url).is_file()  # the missing folder was created


def test_round_trip_keeps_findings_evidence_and_raw_documents(store_url, real_scan):
    with open_store(store_url) as s:
        scan_id = s.save(scan_on(real_scan, real_scan.as_of))
        back = s.get(scan_id)
    assert back.id == scan_id
    assert dataclasses.replace(back, id=None) == dataclasses.replace(real_scan, id=None)
    assert back.scanned_at.tzinfo is not None and back.scanned_at == real_scan.scanned_at
    enc = {(f.resource_id, f.status) for f in back.findings if f.control_id == "SAN-ENC-001"}
    assert enc == {("arn:aws:s3:::plain", "FAIL"), ("arn:aws:s3:::sealed", "PASS"), ("arn:aws:s3:::unread", "UNKNOWN")}
    plain = back.resource_index()[("storage.bucket", "arn:aws:s3:::plain")]
    # the raw provider document is evidence: same keys, same order, same text
    assert list(plain["raw"]) == ["Name", "Tags", "A", "0"]
    assert plain["raw"]["Tags"] == [{"Key": "病院", "Value": "さくら"}] and plain["raw"]["0"] is None
    assert back.resource_index()[("storage.bucket", "arn:aws:s3:::unread")]["read_errors"] == {
        "encrypted": "AccessDenied"}


def test_list_newest_first_with_counts(store_url, real_scan):
    t0 = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)
    with open_store(store_url) as s:
        ids = [s.save(scan_on(real_scan, dt.date(2026, 9, 30), t0)),
               s.save(scan_on(real_scan, dt.date(2026, 11, 1), t0 + dt.timedelta(days=40))),
               s.save(scan_on(real_scan, dt.date(2026, 10, 1), t0 + dt.timedelta(days=1)))]
        listed = s.list()
        one = s.summary(ids[1])
    assert [x.id for x in listed] == [ids[1], ids[2], ids[0]]
    expected = Counter(f.status for f in real_scan.findings)
    for x in listed:
        assert x.counts == dict(expected) and x.resources == 3 and x.controls == 2
        assert x.inputs == real_scan.inputs and x.tool_version == "0.1.0" and x.engine == "regorus"
    assert [x.period for x in listed] == ["2026Q4", "2026Q4", "2026Q3"]
    assert one == listed[0]
    assert list(one.counts) == [st for st in ("FAIL", "UNKNOWN", "PASS") if st in expected]


def test_latest_by_as_of_then_id_and_periods(store_url, real_scan):
    with open_store(store_url) as s:
        assert s.latest() is None and s.periods() == []
        q4_late = s.save(scan_on(real_scan, dt.date(2026, 12, 31)))
        q3 = s.save(scan_on(real_scan, dt.date(2026, 7, 1)))
        q4_same_day = s.save(scan_on(real_scan, dt.date(2026, 12, 31)))  # same as-of: the higher id wins
        s.save(scan_on(real_scan, dt.date(2026, 10, 1)))  # saved last, but judged as of an earlier day
        q1_2025 = s.save(scan_on(real_scan, dt.date(2025, 3, 31)))
        assert s.latest().id == q4_same_day
        assert s.latest("2026Q4").id == q4_same_day
        assert s.latest("2026Q3").id == q3
        assert s.latest("2025Q1").id == q1_2025
        assert s.latest("2026Q2") is None
        assert s.periods() == ["2025Q1", "2026Q3", "2026Q4"]
        assert q4_late < q4_same_day
        with pytest.raises(InputError, match=r"^--period: '2026Q5' is not a period"):
            s.latest("2026Q5")


def test_unknown_scan_id_is_an_input_error(store_url):
    with open_store(store_url) as s:
        with pytest.raises(InputError) as e:
            s.get(42)
        assert str(e.value) == f"{s.label}: no saved scan #42 (see `sansho history list`) / スキャン #42 は履歴にありません"
        with pytest.raises(InputError, match="no saved scan #7"):
            s.summary(7)


def test_a_save_that_fails_half_way_leaves_nothing(store_url, real_scan):
    """The second batch breaks a NOT NULL column after the first batch was written: the whole
    scan is rolled back, earlier scans stay, and the store takes the next save."""
    with open_store(store_url) as s:
        kept = s.save(scan_on(real_scan, dt.date(2026, 11, 1)))
        good = real_scan.findings[0]
        many = [dataclasses.replace(good, resource_id=f"r{i}") for i in range(store.BATCH + 10)]
        many[-1] = dataclasses.replace(good, resource_id=None)  # type: ignore[arg-type]
        batches = []
        with pytest.raises(InputError, match=r": cannot save the scan / スキャンを履歴に保存できません: "):
            s.save(dataclasses.replace(real_scan, findings=many, id=None), progress=lambda d, t: batches.append(d))
        assert batches == [store.BATCH]  # the first batch was in the database when the second failed
        assert [x.id for x in s.list()] == [kept]
        with s._engine.connect() as conn:
            assert conn.execute(text("select count(*) from findings")).scalar() == len(real_scan.findings)
        after = s.save(scan_on(real_scan, dt.date(2026, 11, 2)))
        assert [x.id for x in s.list()] == [after, kept]


def test_a_store_from_a_newer_sansho_is_refused(store_url):
    open_store(store_url).close()
    engine = create_engine(resolve_url(store_url))
    with engine.begin() as conn:
        conn.execute(text("update alembic_version set version_num = '9999'"))
    engine.dispose()
    with pytest.raises(InputError, match=r"schema revision '9999', which this sansho does not know: it was "
                                         r"written by a newer sansho; upgrade sansho"):
        open_store(store_url)


def test_an_unreachable_server_is_one_line():
    with pytest.raises(InputError) as e:
        open_store("postgresql://sansho:fake-password@127.0.0.1:1/history")
    msg = str(e.value)
    assert msg.startswith("postgresql+psycopg://sansho:***@127.0.0.1:1/history: cannot open the history store / "
                          "履歴の保存先を開けません: ")
    assert "fake-password" not in msg and "\n" not in msg


def test_a_file_that_is_not_a_database(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database\n" * 200)
    with pytest.raises(InputError, match=r"notes.txt: cannot open the history store / 履歴の保存先を開けません: "
                                         r"file is not a database$"):
        open_store(str(junk))


def test_an_unknown_url_scheme():
    with pytest.raises(InputError, match=r"^nosuchdb://x/y: not a usable database URL: "):
        open_store("nosuchdb://x/y")


def test_configured_store_is_relative_to_the_config_file(tmp_path, monkeypatch, real_scan):
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "sansho.yaml").write_text("history:\n  url: db/history.db\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with open_configured(None, conf / "sansho.yaml") as s:
        assert s.label == "conf/db/history.db"
        s.save(real_scan)
    assert (conf / "db" / "history.db").is_file()
    # --history wins over sansho.yaml and is relative to the working folder
    with open_configured("other.db", conf / "sansho.yaml") as s:
        assert s.label == "other.db" and s.list() == []
    (tmp_path / "sansho.yaml").write_text("fail_on: high\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        open_configured(None, None)
    assert str(e.value) == store.NO_HISTORY


def test_sanshos_opening_a_fresh_store_at_once_all_succeed(store_url):
    """Parallel CI jobs may all be first to open a new store: one migrates, the others wait."""
    code = ("import sys; from sansho.reports.history.store import open_store; "
            "s = open_store(sys.argv[1]); print(len(s.list())); s.close()")
    procs = [subprocess.Popen([sys.executable, "-c", code, store_url], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [(p.wait(timeout=60), *p.communicate()) for p in procs]
    assert results == [(0, "0\n", "")] * 3


def test_missing_postgresql_binaries_fail_the_tests_not_skip(monkeypatch, request):
    monkeypatch.setattr(postgres, "_server", None)
    monkeypatch.setattr(postgres.glob, "glob", lambda pattern: [])
    with pytest.raises(pytest.fail.Exception, match=r"install Debian's `postgresql` package"):
        postgres.server(request.config)


def test_round_trip_keeps_the_basis_of_every_finding(store_url, real_scan):
    # plain is read from Terraform (observed); sealed and unread come without a source (a register: declared)
    expected = {"arn:aws:s3:::plain": "observed", "arn:aws:s3:::sealed": "declared", "arn:aws:s3:::unread": "declared"}
    assert {f.resource_id: f.basis for f in real_scan.findings} == expected
    with open_store(store_url) as s:
        back = s.get(s.save(scan_on(real_scan, real_scan.as_of)))
        with s._engine.connect() as conn:
            stored = set(conn.execute(text("select resource_id, basis from findings")).all())
    assert {f.resource_id: f.basis for f in back.findings} == expected
    assert stored == set(expected.items())  # written to the column, not derived on the way back


def test_a_store_at_the_previous_revision_gains_the_basis_column(store_url, real_scan):
    """A store written by the sansho before revision 0003: opening it adds findings.basis, its old
    rows keep NULL there and read back with the basis derived from their saved resources."""
    from alembic import command

    url = resolve_url(store_url)
    if url.startswith("sqlite"):
        Path(store_url).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(connection=conn), "0001")
        assert migrate.current_revision(conn) == "0001"
        assert "basis" not in {c["name"] for c in inspect(conn).get_columns("findings")}
        scan_id = conn.execute(metadata.tables["scans"].insert().returning(metadata.tables["scans"].c.id), {
            "scanned_at": real_scan.scanned_at, "as_of": real_scan.as_of, "period": real_scan.period,
            "tool_version": "0.0.9", "engine": "regorus", "controls": real_scan.controls, "inputs": [], "notes": [],
        }).scalar_one()
        old_rows = [{k: v for k, v in row.items() if k != "basis"} for row in store._finding_rows(scan_id, real_scan.findings)]
        conn.execute(metadata.tables["findings"].insert(), old_rows)
        conn.execute(metadata.tables["resources"].insert(), store._resource_rows(scan_id, real_scan.resources))
    engine.dispose()

    with open_store(store_url) as s:
        with s._engine.connect() as conn:
            assert migrate.current_revision(conn) == "0003"
            assert "basis" in {c["name"] for c in inspect(conn).get_columns("findings")}
            assert conn.execute(text("select count(*) from findings where basis is null")).scalar() == len(old_rows)
            assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata) == []
        old = s.get(scan_id)
        new_id = s.save(scan_on(real_scan, real_scan.as_of))
        new = s.get(new_id)
        with s._engine.connect() as conn:
            assert conn.execute(text("select count(*) from findings where basis is null")).scalar() == len(old_rows)
    derived = [(f.control_id, f.resource_id, f.basis) for f in old.findings]
    assert derived == [(f.control_id, f.resource_id, f.basis) for f in real_scan.findings]
    assert {b for *_, b in derived} == {"observed", "declared"}
    assert [f.basis for f in new.findings] == [f.basis for f in real_scan.findings]
