"""Benchmark: save and read back a large scan in the history store.

Run:  .venv/bin/python tests/bench/bench_history.py [--findings 100000] [--resources 20000]
      .venv/bin/python tests/bench/bench_history.py --postgres   # also a throwaway local PostgreSQL

Prints the figures; target (issue #8): 100k findings save in seconds on SQLite. The scan is
synthetic (realistic sizes: bilingual messages, evidence on failures, raw provider documents),
so the engine's time is not part of the figure. Not a unit test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sansho.reports.history.records import SavedFinding, SavedScan  # noqa: E402
from sansho.reports.history.store import open_store  # noqa: E402

STATUSES = ["PASS"] * 6 + ["FAIL", "UNKNOWN", "NOT_APPLICABLE", "MANUAL"]


def synthetic_scan(n_findings: int, n_resources: int, seed: int = 8) -> SavedScan:
    rnd = random.Random(seed)
    resources = [
        {"kind": "storage.bucket", "id": f"arn:aws:s3:::bucket-{i}", "provider": "aws", "region": "ap-northeast-1",
         "encrypted": rnd.random() > 0.1, "source": {"type": "aws", "file": None, "line": None},
         "raw": {"Name": f"bucket-{i}", "ServerSideEncryptionConfiguration": {"Rules": [
             {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}, "Tags": [{"Key": "env", "Value": "prod"}]}}
        for i in range(n_resources)
    ]
    findings = []
    for i in range(n_findings):
        status = rnd.choice(STATUSES)
        findings.append(SavedFinding(
            f"SAN-ENC-{i % 40:03d}", status, "storage.bucket", f"arn:aws:s3:::bucket-{i % max(n_resources, 1)}",
            "保存時の暗号化が設定されていません" if status == "FAIL" else "適合",
            "encryption at rest is not configured" if status == "FAIL" else "compliant", "sansho.encryption.at_rest",
            {"encrypted": False, "path": "ServerSideEncryptionConfiguration"} if status == "FAIL" else None,
        ))
    return SavedScan(scanned_at=dt.datetime.now(dt.UTC), as_of=dt.date(2026, 11, 1), tool_version="bench",
                     engine="regorus", controls=[f"SAN-ENC-{i:03d}" for i in range(40)], findings=findings,
                     resources=resources, inputs=["bench.json"])


def measure(url: str, scan: SavedScan, label: str) -> None:
    t0 = time.perf_counter()
    store = open_store(url)
    t1 = time.perf_counter()
    scan_id = store.save(scan)
    t2 = time.perf_counter()
    back = store.get(scan_id)
    t3 = time.perf_counter()
    store.list()
    t4 = time.perf_counter()
    store.close()
    assert len(back.findings) == len(scan.findings) and len(back.resources) == len(scan.resources)
    print(f"{label:10} open+migrate {t1 - t0:6.2f} s   save {t2 - t1:6.2f} s "
          f"({len(scan.findings) / (t2 - t1):,.0f} findings/s with {len(scan.resources):,} resources)   "
          f"get {t3 - t2:6.2f} s   list {t4 - t3:6.3f} s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--findings", type=int, default=100_000)
    ap.add_argument("--resources", type=int, default=20_000)
    ap.add_argument("--postgres", action="store_true", help="also measure a throwaway local PostgreSQL server")
    args = ap.parse_args()
    scan = synthetic_scan(args.findings, args.resources)
    print(f"{args.findings:,} findings, {args.resources:,} resources")
    with tempfile.TemporaryDirectory() as tmp:
        measure(str(Path(tmp) / "history.db"), scan, "sqlite")
    if args.postgres:
        from tests.support.postgres import server

        class _Cleanup:
            def add_cleanup(self, fn):
                self.fn = fn

        cleanup = _Cleanup()
        srv = server(cleanup)  # type: ignore[arg-type]
        try:
            measure(srv.new_database(), scan, "postgresql")
        finally:
            cleanup.fn()


if __name__ == "__main__":
    main()
