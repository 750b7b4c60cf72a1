"""Benchmark: the AWS collector on ~2,000 resources in 2 regions, against a sequential replay.

Run:  .venv/bin/python tests/bench/bench_aws.py [--scale 1.0] [--latency 0.1] [--workers 16]

What it does (see /work/shared/TESTING-NOTES.md, "Measuring a collector's concurrency on moto"):

1. starts moto in its own process (``moto_server`` with the test shims), so moto's ~7 ms of CPU
   per call does not compete with the collector's threads for the GIL;
2. builds ~2,000 resources in ap-northeast-1 and ap-northeast-3 directly on moto: mostly cheap
   kinds (security-group rules, EBS volumes, snapshots, S3 buckets, IAM users) plus a few of
   the rest;
3. runs ``collect()`` through a small threaded HTTP proxy that adds ``--latency`` seconds to
   every request (a runner outside Japan reading ap-northeast-1 sees ~100 ms) and records each
   request;
4. replays exactly the recorded requests one at a time through the same proxy: the sequential
   baseline makes the same calls, so the two times compare concurrency and nothing else;
5. prints both wall times, the ratio (target ≤ 0.2), and the API calls made against the
   minimum needed, per IAM action.

The minimum: one call per listing scope (a region, or the account for global services) for
every list/describe API (each listing here fits in one page), plus, per resource, one call
for each attribute that AWS only returns from a per-resource API (S3 bucket settings, IAM
user login profile / MFA devices / access keys, KMS key metadata, rotation and tags, RDS
snapshot attributes, parameter groups, recovery points per vault, patch states per 50
instances).
Not a unit test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
REGIONS = ("ap-northeast-1", "ap-northeast-3")
ACCOUNT = "123456789012"


# -- moto in its own process --------------------------------------------------------------------

def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_moto(wait: float = 10.0) -> tuple[subprocess.Popen, str]:
    """moto_server in its own process; ``wait``: seconds it may take to listen (more on a busy machine)."""
    port = free_port()
    env = {**os.environ, "MOTO_EC2_LOAD_DEFAULT_AMIS": "false", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "tests.collectors.aws.moto_shims", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(int(wait / 0.05)):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("moto_server did not start")


# -- the latency proxy ----------------------------------------------------------------------------

class LatencyProxy:
    """Adds a fixed delay to every request, forwards it to moto, and records it for replay."""

    def __init__(self, upstream: str, latency: float):
        u = urlsplit(upstream)
        self.upstream = (u.hostname or "127.0.0.1", u.port or 80)
        self.latency = latency
        self.recording = False
        self.recorded: list[tuple[str, str, dict[str, str], bytes]] = []
        self._lock = threading.Lock()
        self._local = threading.local()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.server.request_queue_size = 128
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _conn(self) -> http.client.HTTPConnection:
        c = getattr(self._local, "conn", None)
        if c is None:
            c = self._local.conn = http.client.HTTPConnection(*self.upstream, timeout=60)
        return c

    def forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, list, bytes]:
        time.sleep(self.latency)
        for attempt in (0, 1):
            conn = self._conn()
            try:
                conn.request(method, path, body=body or None, headers=headers)
                resp = conn.getresponse()
                return resp.status, resp.getheaders(), resp.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                self._local.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "expect")}
                if proxy.recording:
                    with proxy._lock:
                        proxy.recorded.append((self.command, self.path, headers, body))
                status, resp_headers, out = proxy.forward(self.command, self.path, headers, body)
                self.send_response(status)
                for k, v in resp_headers:
                    if k.lower() not in ("connection", "transfer-encoding", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(out)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any

        return Handler

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def replay(proxy_url: str, requests: list[tuple[str, str, dict[str, str], bytes]]) -> tuple[float, Counter]:
    """Send the recorded requests again, one at a time, through the proxy."""
    u = urlsplit(proxy_url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    statuses: Counter = Counter()
    t0 = time.perf_counter()
    for method, path, headers, body in requests:
        conn.request(method, path, body=body or None, headers=headers)
        resp = conn.getresponse()
        resp.read()
        statuses[resp.status // 100] += 1
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed, statuses


# -- the estate ---------------------------------------------------------------------------------------

def client(endpoint: str, service: str, region: str):
    import boto3
    from botocore.config import Config

    return boto3.client(service, region_name=region, endpoint_url=endpoint, aws_access_key_id="AKIAFAKEBENCH0000000",
                        aws_secret_access_key="bench-fake-secret",
                        config=Config(s3={"addressing_style": "path"}, max_pool_connections=32))


def build(endpoint: str, scale: float) -> dict[str, int]:
    """~2,000 resources at scale 1.0; returns the counts per kind the minimum is computed from."""
    n_groups, rules_per_group = max(1, round(24 * scale)), 25  # per region
    n_volumes, n_snapshots, n_public = round(250 * scale), round(40 * scale), max(1, round(4 * scale))
    n_buckets, n_users, n_keys, n_vpcs = round(50 * scale), round(90 * scale), 3, 2  # buckets, keys, vpcs per region
    n_tables, n_lbs = max(1, round(10 * scale)), max(1, round(4 * scale))  # per region
    counts: Counter = Counter()
    pool = ThreadPoolExecutor(16)
    for region in REGIONS:
        ec2, s3, kms = client(endpoint, "ec2", region), client(endpoint, "s3", region), client(endpoint, "kms", region)
        vpcs = [ec2.create_vpc(CidrBlock=f"10.{i}.0.0/16")["Vpc"]["VpcId"] for i in range(n_vpcs)]
        for i, v in enumerate(vpcs):
            ec2.create_subnet(VpcId=v, CidrBlock=f"10.{i}.1.0/24", AvailabilityZone=f"{region}a")

        def group(i: int, ec2=ec2, vpcs=vpcs) -> None:
            gid = ec2.create_security_group(GroupName=f"sg-{i}", Description="bench", VpcId=vpcs[i % len(vpcs)])["GroupId"]
            ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=[
                {"IpProtocol": "tcp", "FromPort": 1000 + p, "ToPort": 1000 + p,
                 "IpRanges": [{"CidrIp": "0.0.0.0/0" if p == 22 else f"10.{p}.0.0/16"}]} for p in range(rules_per_group)])

        def volume(i: int, ec2=ec2, region=region) -> str:
            return ec2.create_volume(Size=1, AvailabilityZone=f"{region}a", Encrypted=i % 3 != 0)["VolumeId"]

        def bucket(i: int, s3=s3, region=region) -> None:
            name = f"bench-{region}-{i:04d}"
            s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
            if i % 2:
                s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={
                    "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})

        list(pool.map(group, range(n_groups)))
        vols = list(pool.map(volume, range(n_volumes)))
        snaps = list(pool.map(lambda v, ec2=ec2: ec2.create_snapshot(VolumeId=v)["SnapshotId"], vols[:n_snapshots]))
        for s in snaps[:n_public]:
            ec2.modify_snapshot_attribute(SnapshotId=s, Attribute="createVolumePermission", OperationType="add",
                                          GroupNames=["all"])
        list(pool.map(bucket, range(n_buckets)))
        for _ in range(n_keys):
            kms.create_key(Description="bench")
        ddb, elb = client(endpoint, "dynamodb", region), client(endpoint, "elbv2", region)
        for i in range(n_tables):
            ddb.create_table(TableName=f"bench-{i}", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                             AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                             BillingMode="PAY_PER_REQUEST")
        subnets = [s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpcs[0]]}])["Subnets"]]
        subnets.append(ec2.create_subnet(VpcId=vpcs[0], CidrBlock="10.0.2.0/24", AvailabilityZone=f"{region}c")["Subnet"]["SubnetId"])
        for i in range(n_lbs):
            lb = elb.create_load_balancer(Name=f"bench-{i}", Subnets=subnets, Type="application")["LoadBalancers"][0]
            for port in (80, 8080, 8081):
                elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=port, DefaultActions=[
                    {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}])
        counts["security group rules"] += n_groups * rules_per_group
        counts["volumes"] += n_volumes
        counts["snapshots"] += n_snapshots
        counts["buckets"] += n_buckets
        counts["kms keys"] += n_keys
        counts["dynamodb tables"] += n_tables
        counts["lb listeners"] += 3 * n_lbs
        counts["load balancers"] += n_lbs
        counts["vpcs and subnets"] += 2 * n_vpcs + 2 + len(ec2.describe_subnets(
            Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"])
    iam = client(endpoint, "iam", "us-east-1")
    list(pool.map(lambda i: iam.create_user(UserName=f"bench-user-{i:04d}"), range(n_users)))
    counts["users"] = n_users
    pool.shutdown()
    return dict(counts)


# -- the minimum number of calls -------------------------------------------------------------------

GLOBAL = {"sts:GetCallerIdentity", "s3:ListAllMyBuckets", "s3:GetAccountPublicAccessBlock",
          "rds:DescribeGlobalClusters"}  # global clusters: the API answers for every region
PER_BUCKET = {"s3:GetEncryptionConfiguration", "s3:GetBucketPublicAccessBlock", "s3:GetBucketPolicy",
              "s3:GetBucketAcl", "s3:GetBucketVersioning", "s3:GetBucketObjectLockConfiguration",
              "s3:GetReplicationConfiguration", "s3:GetBucketTagging", "s3:GetLifecycleConfiguration"}
PER_USER = {"iam:GetLoginProfile", "iam:ListMFADevices", "iam:ListAccessKeys"}
PER_TABLE = {"dynamodb:DescribeTable", "dynamodb:DescribeContinuousBackups", "dynamodb:GetResourcePolicy",
             "dynamodb:ListTagsOfResource"}


def minimum(action: str, counts: dict[str, int], result, n_regions: int) -> tuple[int, str]:
    kinds = Counter(r.kind for r in result.resources)
    if action in PER_BUCKET:
        return counts["buckets"], "per bucket: no batch API"
    if action == "s3:GetBucketLocation":
        return counts["buckets"], "per bucket on moto; 0 on AWS, whose ListBuckets returns BucketRegion"
    if action in PER_TABLE:
        return counts["dynamodb tables"], "per table: no batch API"
    if action == "elasticloadbalancing:DescribeListeners":
        return counts["load balancers"], "per load balancer (the API takes one LoadBalancerArn)"
    if action in PER_USER:
        return counts["users"], "per user (the credential report could replace them, hours stale)"
    if action == "iam:GetAccessKeyLastUsed":
        return sum(len(u.access_keys or []) for u in result.resources if u.kind == "identity.user"), "per key"
    if action == "kms:DescribeKey":
        return counts["kms keys listed"], "per key listed: ListKeys gives neither manager nor state"
    if action in ("kms:GetKeyRotationStatus", "kms:ListResourceTags"):
        return kinds["kms.key"] - sum(1 for k in result.resources if k.kind == "kms.key" and k.state == "pending_deletion"
                                      and action == "kms:GetKeyRotationStatus"), "per customer key"
    if action == "iam:GenerateCredentialReport":
        return 2, "starts the report, then once more when it is COMPLETE"
    if action.startswith("iam:") or action in GLOBAL:
        return 1, "once per account"
    if action == "ssm:DescribeInstancePatchStates":
        return sum(-(-n // 50) for n in Counter(r.region for r in result.resources if r.kind == "device.host").values()), \
            "per 50 instances, in regions that have any"
    if action == "backup:ListRecoveryPointsByBackupVault":
        return kinds["backup.vault"], "per vault"
    if action in ("rds:DescribeDBSnapshotAttributes", "rds:DescribeDBClusterSnapshotAttributes"):
        kind = ":cluster-snapshot:" if "Cluster" in action else ":snapshot:"
        return sum(1 for r in result.resources if kind in r.id), "per manual snapshot: no batch API"
    if action in ("rds:DescribeDBParameters", "rds:DescribeDBClusterParameters"):
        return len({(r.region, g) for r in result.resources if r.kind == "database.instance" and r.raw
                    for g in _groups(r.raw)}), "per parameter group in use"
    if action == "ec2:DescribeSnapshots":
        return 2 * n_regions, "owned + public (RestorableBy all) per region"
    return n_regions, "once per region"


def _groups(raw: dict) -> list[str]:
    if "cluster" in raw:
        return [g for g in [raw["cluster"].get("DBClusterParameterGroup")] if g]
    return [g["DBParameterGroupName"] for g in raw.get("DBParameterGroups") or [] if g.get("DBParameterGroupName")]


# -- main -------------------------------------------------------------------------------------------

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=float, default=1.0, help="1.0 ≈ 2,000 resources")
    ap.add_argument("--latency", type=float, default=0.1, help="seconds added to each request by the proxy")
    ap.add_argument("--workers", type=int, default=16)
    args = ap.parse_args()

    sys.path.insert(0, str(ROOT))
    for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"):
        os.environ.pop(var, None)
    os.environ.update(AWS_ACCESS_KEY_ID="AKIAFAKEBENCH0000000", AWS_SECRET_ACCESS_KEY="bench-fake-secret",
                      AWS_CONFIG_FILE="/nonexistent", AWS_SHARED_CREDENTIALS_FILE="/nonexistent",
                      AWS_EC2_METADATA_DISABLED="true")
    os.environ.pop("AWS_SESSION_TOKEN", None)
    from sansho.collectors.aws import collect

    moto, endpoint = start_moto()
    try:
        t0 = time.perf_counter()
        counts = build(endpoint, args.scale)
        kinds = {k: v for k, v in counts.items() if k != "load balancers"}
        print(f"estate: {sum(kinds.values())} resources in {', '.join(REGIONS)} "
              f"({', '.join(f'{v} {k}' for k, v in kinds.items())}), built in {time.perf_counter() - t0:.1f} s")

        proxy = LatencyProxy(endpoint, args.latency)
        proxy.recording = True
        t0 = time.perf_counter()
        result = collect(regions=",".join(REGIONS), endpoint_url=proxy.url, max_workers=args.workers)
        collector_s = time.perf_counter() - t0
        proxy.recording = False
        requests = list(proxy.recorded)
        print(f"collector: {len(result.resources)} resources, {len(result.errors)} read errors, "
              f"{sum(result.calls.values())} API calls ({len(requests)} HTTP requests), {collector_s:.1f} s "
              f"with {args.workers} workers and {args.latency * 1000:.0f} ms per request")
        for e in result.errors[:5]:
            print(f"  read error: {e.service} {e.region} {e.api}: {e.reason}")

        seq_s, statuses = replay(proxy.url, requests)
        print(f"sequential replay of the same {len(requests)} requests: {seq_s:.1f} s "
              f"(responses by class: {dict(sorted(statuses.items()))})")
        ratio = collector_s / seq_s
        print(f"ratio collector / sequential: {ratio:.3f} (target ≤ 0.2: {'met' if ratio <= 0.2 else 'NOT met'})")
        print(f"ideal with {args.workers} workers: {len(requests) * args.latency / args.workers:.1f} s "
              f"(latency only); moto alone serves ~{len(requests) / max(seq_s - len(requests) * args.latency, 1e-9):.0f} req/s")

        # minimum calls: every key ListKeys returns (moto adds AWS-managed ones) needs a DescribeKey
        counts["kms keys listed"] = sum(len(client(endpoint, "kms", r).list_keys()["Keys"]) for r in REGIONS)
        total_min = 0
        rows = []
        for action, made in sorted(result.calls.items()):
            need, note = minimum(action, counts, result, len(REGIONS))
            total_min += need
            rows.append((action, made, need, note))
        made_total = sum(result.calls.values())
        print(f"API calls made {made_total}, minimum {total_min} (excess {made_total - total_min}, "
              f"{(made_total - total_min) / max(total_min, 1):.1%}); per action where they differ:")
        for action, made, need, note in rows:
            if made != need:
                print(f"  {action:42s} made {made:5d}  minimum {need:5d}  ({note})")
        strict = total_min - counts["buckets"] - sum(made for a, made, _n, _t in rows if a in PER_USER)
        print(f"a stricter lower bound, {strict}, assumes ListBuckets' BucketRegion (AWS, not moto) and takes "
              "console access, MFA and key use from the credential report instead of per-user calls")
        per: Counter = Counter()
        for _action, made, _need, note in rows:
            per[note.split(":")[0].split(" (")[0]] += made
        print("calls by kind: " + ", ".join(f"{k}: {v}" for k, v in per.most_common()))
        print(json.dumps({"resources": len(result.resources), "collector_s": round(collector_s, 2),
                          "sequential_s": round(seq_s, 2), "ratio": round(ratio, 3), "api_calls": made_total,
                          "http_requests": len(requests), "minimum_calls": total_min}))
        proxy.close()
    finally:
        moto.terminate()
        moto.wait(10)


if __name__ == "__main__":
    main()
