"""Benchmark: the real `sansho scan` on generated inventories, as a user runs it (issue #16, part 1).

Run:  .venv/bin/python tests/bench/bench_cli.py [--sizes 10000,100000] [--format json]

For each size it writes an inventory (the engine benchmark's realistic mix of kinds, tags and
unread fields, unique ids), times `json.load` of that file in this process, then runs the
installed `sansho scan FILE --format FMT -o OUT` as a child and samples the PSS of the child and
every process it starts. It prints wall time, peak memory of the whole process tree, the ratio to
the parse time, the peak per resource (flat or falling = memory growing at most linearly), and the
size of what was written. Targets (issue #16): 100k resources ≤ 3× the
`json.load` time and ≤ 1.5 GB; 1M completes with memory growing sub-linearly. Not a unit test:
timings depend on the machine and what else it is doing.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench_engine import run_measured, synthetic_resource  # the same generator and PSS sampler


def write_inventory(path: Path, n: int) -> float:
    rnd = random.Random(42)
    doc = {"schema_version": "1.0", "resources": [synthetic_resource(i, rnd) for i in range(n)]}
    path.write_text(json.dumps(doc))
    return path.stat().st_size / 1e6


def json_load_seconds(path: Path, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        with path.open("rb") as f:
            json.load(f)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated resource counts (1000000 for 1M)")
    ap.add_argument("--format", default="json", help="scan output format (json, sarif, csv, junit, table)")
    args = ap.parse_args()
    sansho = shutil.which("sansho") or str(Path(sys.executable).with_name("sansho"))
    print(f"{'resources':>10} {'inventory':>10} {'json.load':>10} {'sansho scan':>12} {'ratio':>7} "
          f"{'peak PSS':>10} {'KB/res':>7} {'output':>10}")
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as d:
            inv = Path(d) / "inventory.json"
            out = Path(d) / f"findings.{args.format}"
            size_mb = write_inventory(inv, n)
            parse_s = json_load_seconds(inv)
            t = time.perf_counter()
            _, pss_mb = run_measured([sansho, "scan", str(inv), "--format", args.format, "-o", str(out),
                                      "--as-of", "2026-11-01", "--fail-on", "critical", "--no-save"],
                                     ok_codes=(0, 1))
            wall = time.perf_counter() - t
            out_mb = out.stat().st_size / 1e6 if out.exists() else 0.0
        print(f"{n:>10,} {size_mb:>8.1f}MB {parse_s:>9.2f}s {wall:>11.1f}s {wall / parse_s:>6.1f}× "
              f"{pss_mb:>8.0f}MB {pss_mb * 1000 / n:>7.1f} {out_mb:>8.1f}MB", flush=True)


if __name__ == "__main__":
    main()
