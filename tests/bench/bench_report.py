"""Benchmark: the quarterly report, matrix and evidence bundle of a big estate, on the real CLI path.

Run:  .venv/bin/python tests/bench/bench_report.py [--sizes 10000,100000] [--max-resources 20]
      [--keep DIR [--reuse]] [--steps html,pdf,split,matrix,evidence]

For each size it builds a history the way a user would: it writes an inventory of synthetic
resources (bench_engine's generator, with every other resource made to fail), runs the real
``sansho scan FILE --save --history DB --as-of …`` for the previous and the current quarter, then
times the real ``sansho report`` (HTML and PDF), ``sansho matrix`` and ``sansho evidence`` and
prints wall time, CPU time (the command and its children: on a shared machine the steadier
figure), peak memory of the process tree (PSS, bench_engine.run_measured), output size, the
PDF's page count and the load average. Targets (issue #16): HTML and PDF of 100k resources (half
failing) each under a minute, the PDF under 100 pages; matrix and evidence bounded likewise.
Not a unit test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_engine import run_measured, synthetic_resource  # the same generator and PSS sampler


def failing(resource: dict) -> dict:
    """The same resource with a security-relevant value that fails its control(s)."""
    r = dict(resource)
    kind = r["kind"]
    if "encrypted" in r:
        r["encrypted"] = False
    if kind == "identity.user":
        r["mfa_enabled"] = False
    elif kind == "network.firewall_rule":
        r["sources"] = ["0.0.0.0/0"]
        r["ports"] = [{"from_port": 22, "to_port": 22}]
    elif kind == "kms.key":
        r["rotation_enabled"] = False
    elif kind == "network.lb_listener":
        r["protocol"] = "HTTP"
        r["port"] = 80
    return r


def write_inventory(path: Path, n: int, seed: int, fail_mod: int) -> float:
    """``n`` resources; every resource with ``i % 2 == fail_mod`` is made to fail (half the estate)."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        # read from a system, as a live collection would: observed, so the findings are scored
        r = {**synthetic_resource(i, rnd), "source": {"type": "live"}}
        out.append(failing(r) if i % 2 == fail_mod else r)
    path.write_text(json.dumps({"schema_version": "1.0", "resources": out}))
    return path.stat().st_size / 1e6


def pdf_pages(path: Path) -> int | None:
    try:
        import pypdf

        return len(pypdf.PdfReader(str(path)).pages)
    except ImportError:
        pass
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        m = re.search(r"^Pages:\s+(\d+)", out, re.M)
        return int(m.group(1)) if m else None
    return None


def size_of(paths: list[Path]) -> str:
    parts = [f"{p.name} {p.stat().st_size / 1e6:.2f}MB" for p in paths if p.exists()]
    return ", ".join(parts) or "-"


def timed(cmd: list[str], ok_codes: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """Wall time and peak PSS of one command; its CPU time (user + system, the command and its
    children) is kept in CPU[0]: on a machine shared with other work, CPU time is the steadier figure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    _, pss = run_measured(cmd, ok_codes=ok_codes)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - t, pss


CPU = [0.0]


def split(db: Path, n: int, pdf: bool) -> None:
    """Where the report's CPU time goes, in this process, one step after the other: reading the
    history and building the model, rendering the HTML (and printing the PDF), writing the CSV
    and the XLSX of the full list (with each XLSX writer installed). ``sansho report`` writes the
    CSV and XLSX in a forked process while it renders, so its wall time is less than the sum."""
    import io

    from sansho.policies.catalog import load_catalog
    from sansho.reports import posture_render, resource_list
    from sansho.reports.history.store import open_store
    from sansho.reports.posture import from_history

    catalog = load_catalog()
    t0 = time.process_time()
    with open_store(str(db), create=False) as store:
        rep = from_history(store, store.periods()[-1], catalog, "ja")
    t1 = time.process_time()
    html = posture_render.render_html(rep)
    t2 = time.process_time()
    parts = [f"history+model {t1 - t0:.1f}s", f"html {t2 - t1:.1f}s ({len(html) / 1e6:.2f}MB)"]
    if pdf:
        posture_render.pdf_bytes(rep)
        parts.append(f"html+pdf {time.process_time() - t2:.1f}s")
    t3 = time.process_time()
    resource_list.write_csv(rep.listed, io.StringIO(), "ja")
    parts.append(f"csv {time.process_time() - t3:.1f}s")
    writers = ["xlsxwriter", "openpyxl"] if resource_list.xlsx_writer() == "xlsxwriter" else ["openpyxl"]
    for writer in writers:
        t4 = time.process_time()
        resource_list.write_xlsx(rep.listed, io.BytesIO(), "ja", writer=writer)
        parts.append(f"xlsx ({writer}) {time.process_time() - t4:.1f}s")
    print(f"{n:>10,} {'  split (cpu)':<18} {', '.join(parts)} ({rep.listed_total:,} rows)", flush=True)


def load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated resource counts")
    ap.add_argument("--max-resources", default="20", help="passed to sansho report --max-resources")
    ap.add_argument("--keep", type=Path, default=None, help="keep the outputs (and the history) in this folder")
    ap.add_argument("--reuse", action="store_true", help="with --keep: reuse the history a previous run left there")
    ap.add_argument("--history-only", action="store_true", help="build the history, time no report")
    ap.add_argument("--steps", default="html,pdf,split,matrix,evidence",
                    help="what to time after the history (comma-separated): html, pdf, split (the CPU time of "
                         "each step of a report in this process), matrix, evidence")
    args = ap.parse_args()
    sansho = shutil.which("sansho") or str(Path(sys.executable).with_name("sansho"))
    print(f"{'resources':>10} {'step':<18} {'wall':>8} {'cpu':>8} {'peak PSS':>9}  output", flush=True)
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            d = args.keep / str(n) if args.keep else Path(tmp)
            d.mkdir(parents=True, exist_ok=True)
            db = d / "history.db"
            reuse = args.reuse and db.exists()
            if not reuse:
                db.unlink(missing_ok=True)
            # previous quarter: the other half fails; this quarter: the odd half (new, fixed, still open)
            for label, as_of, seed, mod in () if reuse else (("scan 2026Q3", "2026-09-30", 41, 0),
                                                              ("scan 2026Q4", "2026-12-01", 42, 1)):
                inv = d / f"inventory-{as_of}.json"
                mb = write_inventory(inv, n, seed, mod)
                wall, pss = timed([sansho, "scan", str(inv), "--save", "--history", str(db), "--as-of", as_of,
                                   "--format", "json", "-o", str(d / f"findings-{as_of}.json")], ok_codes=(0, 1))
                print(f"{n:>10,} {label:<18} {wall:>7.1f}s {CPU[0]:>7.1f}s {pss:>7.0f}MB  inventory {mb:.1f}MB, "
                      f"history {db.stat().st_size / 1e6:.1f}MB", flush=True)
            if args.history_only:
                continue
            steps = set(args.steps.split(","))
            common = ["--history", str(db), "--max-resources", args.max_resources]
            html, pdf = d / "report.html", d / "report.pdf"
            if "html" in steps:
                wall, pss = timed([sansho, "report", "--format", "html", "-o", str(html), *common])
                side = [d / "report-resources.csv", d / "report-resources.xlsx"]
                print(f"{n:>10,} {'report html':<18} {wall:>7.1f}s {CPU[0]:>7.1f}s {pss:>7.0f}MB  "
                      f"{size_of([html, *side])}; {load()}", flush=True)
            if "pdf" in steps:
                wall, pss = timed([sansho, "report", "--format", "pdf", "-o", str(pdf), *common])
                print(f"{n:>10,} {'report pdf':<18} {wall:>7.1f}s {CPU[0]:>7.1f}s {pss:>7.0f}MB  {size_of([pdf])}, "
                      f"{pdf_pages(pdf)} pages; {load()}", flush=True)
            if "split" in steps:
                split(db, n, "pdf" in steps)
            if "matrix" in steps:
                mx = d / "matrix.xlsx"
                wall, pss = timed([sansho, "matrix", "--model", "iaas", "-o", str(mx), "--history", str(db)])
                print(f"{n:>10,} {'matrix xlsx':<18} {wall:>7.1f}s {CPU[0]:>7.1f}s {pss:>7.0f}MB  {size_of([mx])}; "
                      f"{load()}", flush=True)
            if "evidence" in steps:
                bundle = d / "evidence.zip"
                wall, pss = timed([sansho, "evidence", "--framework", "mhlw6", "-o", str(bundle), "--history",
                                   str(db), "--max-resources", args.max_resources])
                print(f"{n:>10,} {'evidence':<18} {wall:>7.1f}s {CPU[0]:>7.1f}s {pss:>7.0f}MB  {size_of([bundle])}; "
                      f"{load()}", flush=True)
                wall, pss = timed([sansho, "evidence", "verify", str(bundle)])
                print(f"{n:>10,} {'evidence verify':<18} {wall:>7.1f}s {CPU[0]:>7.1f}s {pss:>7.0f}MB; {load()}",
                      flush=True)

if __name__ == "__main__":
    main()
