"""A writer killed mid-scan leaves the store consistent, on SQLite and on PostgreSQL.

A child process saves a large scan and reports each batch it has written inside the save's
transaction (then pauses, so the kill lands deterministically between batches); the parent
SIGKILLs it after the second batch. A reader
meanwhile must not be blocked and must not see the partial scan. The store must then list only the complete scans, keep
them intact, hold no orphaned rows, and take the next save.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from sansho.reports.history import store
from sansho.reports.history.records import SavedFinding, SavedScan
from sansho.reports.history.store import open_store

from .support import postgres

store_url = postgres.store_url  # fixture: an empty store on SQLite and on PostgreSQL

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import sys, time
from sansho.reports.history.store import open_store
from tests.test_history_kill import big_scan

def progress(done, total):
    print(f"batch {done}/{total}", flush=True)
    time.sleep(0.2)  # inside the transaction: the parent kills during this pause or the next batch

with open_store(sys.argv[1]) as s:
    s.save(big_scan(int(sys.argv[2])), progress=progress)
print("committed", flush=True)
"""


def big_scan(n: int, as_of: dt.date = dt.date(2026, 11, 1)) -> SavedScan:
    findings = [SavedFinding(f"SAN-ENC-{i % 8 + 1:03d}", "FAIL" if i % 3 else "PASS", "storage.bucket",
                             f"arn:aws:s3:::b{i}", "暗号化されていません", "not encrypted", "r",
                             {"encrypted": False}) for i in range(n)]
    resources = [{"kind": "storage.bucket", "id": f"arn:aws:s3:::b{i}", "provider": "aws",
                  "raw": {"Name": f"b{i}"}} for i in range(n // 10)]
    return SavedScan(scanned_at=dt.datetime(2026, 11, 1, 3, 0, tzinfo=dt.UTC), as_of=as_of, tool_version="0.1.0",
                     engine="regorus", controls=[f"SAN-ENC-{i:03d}" for i in range(1, 9)], findings=findings,
                     resources=resources, inputs=["big.json"])


def test_a_writer_killed_mid_scan_leaves_the_store_consistent(store_url):
    earlier = [big_scan(30, dt.date(2026, 9, 30)), big_scan(12, dt.date(2026, 10, 31))]
    with open_store(store_url) as s:
        kept = [s.save(x) for x in earlier]

    n = store.BATCH * 6
    child = subprocess.Popen([sys.executable, "-c", CHILD, store_url, str(n)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        seen = [child.stdout.readline().strip(), child.stdout.readline().strip()]
        assert seen == [f"batch {store.BATCH}/{n + n // 10}", f"batch {2 * store.BATCH}/{n + n // 10}"], \
            child.stderr.read() if child.poll() is not None else seen
        # meanwhile a reader is not blocked and sees only the complete scans
        with open_store(store_url) as s:
            assert [x.id for x in s.list()] == list(reversed(kept))
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
        assert "committed" not in child.stdout.read()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()

    with open_store(store_url) as s:
        assert [x.id for x in s.list()] == list(reversed(kept))
        for scan_id, original in zip(kept, earlier, strict=True):
            back = s.get(scan_id)
            assert dataclasses.replace(back, id=None) == dataclasses.replace(original, id=None)
        with s._engine.connect() as conn:
            assert conn.execute(text("select count(*) from findings")).scalar() == 42
            assert conn.execute(text("select count(*) from resources")).scalar() == 4
            orphans = conn.execute(text("select count(*) from findings where scan_id not in (select id from scans)"))
            assert orphans.scalar() == 0
        after = s.save(big_scan(7, dt.date(2026, 11, 2)))
        assert after > kept[-1]
        assert [x.id for x in s.list()] == [after, *reversed(kept)]
        assert s.latest().id == after and len(s.get(after).findings) == 7
