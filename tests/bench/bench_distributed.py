"""Benchmark: ``--cluster`` against a single process (issue #16, part 4).

Run:  .venv/bin/python tests/bench/bench_distributed.py [--accounts 50] [--latency 0.1] [--workers 4]
                                                         [--resources 1000000] [--scan-accounts 200]
                                                         [--scan-workers 2] [--skip-org] [--skip-scan]

(a) An AWS Organization of ``--accounts`` member accounts (plus the management account) on moto
    server, behind the 100 ms-per-request latency proxy of ``bench_aws.py``: every account read
    through ``--org-role`` in one process (``collect``: four accounts at a time, as the CLI does)
    and with ``--cluster local:N`` (one account per worker at a time, the client listing them).
    Prints both wall times (the cluster's start included, and apart) and the ratio, and checks
    that both read the same resources.
(b) A generated inventory of ``--resources`` resources (``bench_engine.synthetic_resource``,
    spread over ``--scan-accounts`` accounts): the real ``sansho scan … --format json -o FILE``
    in one process and with ``--cluster local:N``: wall time and peak memory (PSS of the whole
    process tree, sampled every 100 ms: ``bench_engine.run_measured``), and the ratios; up to
    200k resources it also checks the two findings lists are identical.

Not a unit test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_aws import LatencyProxy, start_moto  # noqa: E402
from tests.bench.bench_engine import run_measured, synthetic_resource  # noqa: E402

REGION = "ap-northeast-1"
ROLE = "SanshoAudit"
KEY, SECRET = "AKIAFAKEBENCH0000000", "bench-fake-secret"


def fake_credentials() -> None:
    for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(var, None)
    os.environ.update(AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET, AWS_CONFIG_FILE="/nonexistent",
                      AWS_SHARED_CREDENTIALS_FILE="/nonexistent", AWS_EC2_METADATA_DISABLED="true")


def _client(endpoint: str, service: str, creds: dict | None = None):
    import boto3
    from botocore.config import Config

    c = creds or {"AccessKeyId": KEY, "SecretAccessKey": SECRET, "SessionToken": None}
    return boto3.client(service, region_name=REGION if service not in ("organizations", "iam") else "us-east-1",
                        endpoint_url=endpoint, aws_access_key_id=c["AccessKeyId"],
                        aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"],
                        config=Config(s3={"addressing_style": "path"}))


def build_org(endpoint: str, n: int) -> list[str]:
    """An organization with ``n`` member accounts, each holding a few buckets, volumes and users."""
    org = _client(endpoint, "organizations")
    org.create_organization(FeatureSet="ALL")
    for i in range(n):
        org.create_account(AccountName=f"bench-{i:03d}", Email=f"bench{i}@example.jp")
    ids = [a["Id"] for a in org.list_accounts()["Accounts"]]
    sts = _client(endpoint, "sts")

    def fill(account: str) -> None:
        creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="bench")["Credentials"]
        s3, ec2, iam = (_client(endpoint, s, creds) for s in ("s3", "ec2", "iam"))
        for b in range(4):
            name = f"bench-{account}-{b}"
            s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
        for v in range(4):
            ec2.create_volume(Size=1, AvailabilityZone=f"{REGION}a", Encrypted=v % 2 == 0)
        for u in range(3):
            iam.create_user(UserName=f"bench-{u}")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(fill, ids))
    return ids


def bench_org(args) -> None:
    from sansho.collectors.aws import collect
    from sansho.policies import cluster as dist
    from sansho.policies.live import LiveOptions

    fake_credentials()
    moto, endpoint = start_moto(wait=120)
    try:
        t0 = time.perf_counter()
        ids = build_org(endpoint, args.accounts)
        print(f"(a) organization: {len(ids)} accounts on moto server, built in {time.perf_counter() - t0:.1f} s; "
              f"{args.latency * 1000:.0f} ms added to every request")
        proxy = LatencyProxy(endpoint, args.latency)
        t0 = time.perf_counter()
        single = collect(regions=REGION, endpoint_url=proxy.url, org_role=ROLE)
        single_s = time.perf_counter() - t0
        print(f"    single process: {len(single.resources):,} resources, {len(single.accounts)} accounts read, "
              f"{sum(single.calls.values()):,} API calls, {single_s:.1f} s")
        t0 = time.perf_counter()
        with dist.open_cluster(f"local:{args.workers}") as client:
            started_s = time.perf_counter() - t0
            t1 = time.perf_counter()
            got = dist.collect_live(client, LiveOptions("aws", None, REGION, None, proxy.url, ROLE))
            work_s = time.perf_counter() - t1
        cluster_s = time.perf_counter() - t0
        assert got is not None
        resources, errors = got
        same = sorted((r.kind, r.id) for r in resources) == sorted((r.kind, r.id) for r in single.resources)
        print(f"    --cluster local:{args.workers}: {len(resources):,} resources, {len(errors)} read errors, "
              f"{cluster_s:.1f} s ({started_s:.1f} s starting the cluster, {work_s:.1f} s collecting); "
              f"same resources as the single process: {same}")
        print(f"    ratio cluster / single: {cluster_s / single_s:.2f} (collecting only: {work_s / single_s:.2f})")
        proxy.close()
    finally:
        moto.terminate()
        moto.wait(10)


def findings_digest(path: Path) -> str:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return hashlib.sha256(json.dumps(doc["findings"], ensure_ascii=False).encode()).hexdigest()


def bench_scan(args) -> None:
    rnd = random.Random(42)
    sansho = str(Path(sys.executable).with_name("sansho"))
    with tempfile.TemporaryDirectory() as d:
        inv = Path(d) / "inventory.json"
        resources = []
        for i in range(args.resources):
            r = synthetic_resource(i, rnd)
            r["account"] = f"acct-{i % args.scan_accounts}"
            resources.append(r)
        inv.write_text(json.dumps({"schema_version": "1.0", "resources": resources}))
        del resources
        size_mb = inv.stat().st_size / 1e6
        print(f"(b) inventory: {args.resources:,} resources over {args.scan_accounts} accounts ({size_mb:.0f} MB JSON)")
        figures = {}
        for label, extra in (("single process", []), (f"--cluster local:{args.scan_workers}",
                                                      ["--cluster", f"local:{args.scan_workers}"])):
            out = Path(d) / f"findings-{len(figures)}.json"
            cmd = [sansho, "scan", str(inv), "--as-of", "2026-11-01", "--format", "json", "-o", str(out), *extra]
            t0 = time.perf_counter()
            _, pss_mb = run_measured(cmd, ok_codes=(0, 1))
            wall = time.perf_counter() - t0
            figures[label] = (wall, pss_mb, out)
            print(f"    {label:22s}: {wall:7.1f} s, peak {pss_mb:,.0f} MB PSS (process tree)")
        (w1, m1, o1), (w2, m2, o2) = figures.values()
        print(f"    ratio cluster / single: time {w2 / w1:.2f}, peak memory {m2 / m1:.2f}")
        if args.resources <= 200_000:
            print(f"    findings identical: {findings_digest(o1) == findings_digest(o2)}")
        print(f"    command: {' '.join(cmd[:2])} INVENTORY --as-of 2026-11-01 --format json -o FILE "
              f"[--cluster local:{args.scan_workers}]")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--accounts", type=int, default=50)
    ap.add_argument("--latency", type=float, default=0.1)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--resources", type=int, default=1_000_000)
    ap.add_argument("--scan-accounts", type=int, default=200)
    ap.add_argument("--scan-workers", type=int, default=2)
    ap.add_argument("--skip-org", action="store_true")
    ap.add_argument("--skip-scan", action="store_true")
    args = ap.parse_args()
    if not args.skip_org:
        bench_org(args)
    if not args.skip_scan:
        bench_scan(args)


if __name__ == "__main__":
    main()
