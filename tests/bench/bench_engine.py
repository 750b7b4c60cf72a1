"""Benchmark: parse and evaluate a synthetic 100k-resource inventory, and time `sansho --help`.

Run:  .venv/bin/python tests/bench/bench_engine.py [--resources 100000]

Prints the figures; targets (issue #2): evaluation ≤ 3× parse time, peak memory ≤ 1.5 GB,
`sansho --help` ≤ 0.5 s. Not a unit test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REGIONS = {"aws": ["ap-northeast-1", "ap-northeast-3", "us-east-1"], "azure": ["japaneast", "westeurope"],
           "gcp": ["asia-northeast1", "asia1", "us"]}


def synthetic_resource(i: int, rnd: random.Random) -> dict:
    provider = rnd.choice(["aws", "aws", "azure", "gcp"])
    base = {"id": f"{provider}:res/{i}", "provider": provider, "account": f"acct-{i % 50}",
            "region": rnd.choice(REGIONS[provider]), "tags": {"env": "prod", "data-classification": "medical"}}
    maybe = lambda v: v if rnd.random() > 0.05 else None  # noqa: E731 - 5 % unread fields
    k = i % 10
    if k in (0, 1, 2):
        return {**base, "kind": "storage.bucket", "encrypted": maybe(rnd.random() > 0.1), "public": maybe(False),
                "tls_required": maybe(True), "min_tls_version": "1.2", "versioning": maybe(True),
                "immutable": maybe(False), "destinations": []}
    if k == 3:
        return {**base, "kind": "database.instance", "encrypted": maybe(True), "publicly_accessible": maybe(False),
                "tls_required": maybe(True), "backup_retention_days": 7, "destinations": []}
    if k == 4:
        return {**base, "kind": "compute.disk", "encrypted": maybe(True)}
    if k == 5:
        return {**base, "kind": "network.firewall_rule", "direction": "ingress", "action": "allow",
                "protocol": "tcp", "sources": [rnd.choice(["10.0.0.0/8", "0.0.0.0/0"])],
                "ports": [{"from_port": p, "to_port": max(p, 443)} for p in [rnd.choice([22, 443, 5432])]]}
    if k == 6:
        return {**base, "kind": "identity.user", "purpose": "user", "console_access": True,
                "mfa_enabled": maybe(True), "access_keys": [{"id": f"AKIA{i}", "active": True, "created": "2026-01-01"}],
                "shared": False}
    if k == 7:
        return {**base, "kind": "compute.snapshot", "encrypted": maybe(True), "public": maybe(False), "destinations": []}
    if k == 8:
        return {**base, "kind": "kms.key", "key_managed_by": "customer", "rotation_enabled": maybe(True), "state": "enabled"}
    return {**base, "kind": "network.lb_listener", "protocol": "HTTPS", "port": 443, "min_tls_version": "1.2"}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pss_kb(pid: int) -> int:
    """Proportional set size: shared (copy-on-write) pages are split between the processes that
    share them, so the scan process and its forked Rego workers add up without double counting."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo.extend(int(c) for c in fh.read().split())
        except OSError:
            pass
    return pids


def run_measured(cmd: list[str], ok_codes: tuple[int, ...] = (0,)) -> tuple[str, float]:
    """Run the scan in a child process, sampling the PSS of it and its workers every 100 ms."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(_pss_kb(p) for p in _tree(proc.pid)))
        time.sleep(0.1)
    out = proc.stdout.read() if proc.stdout else ""
    if proc.returncode not in ok_codes:
        raise SystemExit(f"benchmark child failed with exit code {proc.returncode}")
    return out, peak / 1024


def run_engine(path: Path) -> None:
    """Child process: parse and evaluate, print JSON figures (so peak RSS is this work alone)."""
    from sansho.policies.catalog import load_catalog
    from sansho.policies.engine.core import Engine
    from sansho.policies.inventory import load_inventory

    catalog = load_catalog()
    engine = Engine(catalog)
    t0 = time.perf_counter()
    inv = load_inventory(path)
    t1 = time.perf_counter()
    result = engine.scan(inv.resources)
    t2 = time.perf_counter()
    print(json.dumps({"resources": len(inv.resources), "findings": len(result.findings),
                      "parse_s": t1 - t0, "evaluate_s": t2 - t1, "peak_rss_mb": peak_rss_mb()}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--resources", type=int, default=100_000)
    ap.add_argument("--child", type=Path)
    args = ap.parse_args()
    if args.child:
        run_engine(args.child)
        return
    rnd = random.Random(42)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "inventory.json"
        doc = {"schema_version": "1.0", "resources": [synthetic_resource(i, rnd) for i in range(args.resources)]}
        path.write_text(json.dumps(doc))
        size_mb = path.stat().st_size / 1e6
        out, pss_mb = run_measured([sys.executable, __file__, "--child", str(path)])
        fig = json.loads(out)
    sansho = shutil.which("sansho") or str(Path(sys.executable).with_name("sansho"))
    helps = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sansho, "--help"], capture_output=True, check=True)
        helps.append(time.perf_counter() - t)
    ratio = fig["evaluate_s"] / fig["parse_s"]
    print(f"inventory           : {fig['resources']:,} resources ({size_mb:.0f} MB JSON), {fig['findings']:,} findings")
    print(f"parse               : {fig['parse_s']:.2f} s")
    print(f"evaluate (all ctrls): {fig['evaluate_s']:.2f} s  ({ratio:.2f}× parse; target ≤ 3×)")
    print(f"peak memory         : {pss_mb:.0f} MB PSS, scan process and its Rego workers together "
          f"(target ≤ 1536 MB); scan process alone {fig['peak_rss_mb']:.0f} MB RSS")
    print(f"sansho --help       : {statistics.median(helps):.3f} s median of 5 (target ≤ 0.5 s)")


if __name__ == "__main__":
    main()
