"""The quarterly posture report: built from a real SQLite history of the demo estate over three
quarters, rendered to JSON, Markdown and HTML, and run through the CLI.

The history (see :func:`build_history`):
- 2026Q2: the Q3 estate, and sakura-ehr-backup-apne1 also unencrypted;
- 2026Q3: the demo estate with sakura-lab-results-export encrypted, sakura-rehab-videos unencrypted,
  and an extra public, unencrypted bucket sakura-old-export in us-east-1;
- 2026Q4: an early scan of the Q3 estate (2026-10-05), then the demo estate itself (2026-11-01).
Every quarter also holds a bucket whose id, name, account and tag are HTML/script payloads.
All scans judge dates as of the demo date, so only the estate edits differ between quarters.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from sansho.policies.catalog import load_catalog
from sansho.policies.config import load_config
from sansho.policies.engine.core import ScanResult
from sansho.policies.scanning import DEMO_AS_OF, demo_files, scan_files
from sansho.reports.history.records import SavedScan
from sansho.reports.history.store import open_store
from sansho.reports.posture import PostureReport, from_history
from sansho.reports.posture_render import md_escape, render_html, render_json, render_markdown
from tests.support.cli import run

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=\"document.title='pwned';window.__xss=1\">"
INJECTED_ID = f"arn:aws:s3:::{SCRIPT}"
LAB = "arn:aws:s3:::sakura-lab-results-export"
REHAB = "arn:aws:s3:::sakura-rehab-videos"
OLD = "arn:aws:s3:::sakura-old-export"
EHR_BACKUP = "arn:aws:s3:::sakura-ehr-backup-apne1"
# what the rules say about sakura-old-export: a copy of lab-results-export (no TLS requirement, no
# versioning) made public, unencrypted, in us-east-1 and without the storage metadata tags
OLD_FAILING = {"SAN-ENC-001", "SAN-ENC-004", "SAN-LOC-001", "SAN-LOC-004", "SAN-NET-003", "SAN-BKP-006"}

INJECTED_BUCKET = {
    "id": INJECTED_ID, "kind": "storage.bucket", "provider": "aws", "name": IMG,
    "account": "<b>111122223333</b>", "region": "ap-northeast-1",
    "tags": {SCRIPT: IMG}, "holds_medical_data": True, "encrypted": False, "public": False,
}


@dataclass
class History:
    url: str
    results: dict[str, ScanResult]  # "Q2", "Q3", "Q4" → the engine's own result
    ids: dict[str, int]  # "Q2", "Q3", "Q4early", "Q4" → scan id


def _edit(resources: list[dict], resource_id: str, **fields: object) -> None:
    for r in resources:
        if r["id"] == resource_id:
            r.update(fields)
            return
    raise AssertionError(f"{resource_id} is not in the demo estate")


def _estate(folder: Path, quarter: str) -> list[Path]:
    files, _ = demo_files()
    folder.mkdir(parents=True)
    out = []
    for f in files:
        doc = json.loads(f.read_text(encoding="utf-8"))
        if f.name == "aws.json":
            res = doc["resources"]
            res.append(copy.deepcopy(INJECTED_BUCKET))
            if quarter in ("Q2", "Q3"):
                _edit(res, LAB, encrypted=True)
                _edit(res, REHAB, encrypted=False)
                old = copy.deepcopy(next(r for r in res if r["id"] == LAB))
                old.update(id=OLD, name="sakura-old-export", encrypted=False, public=True, region="us-east-1",
                           tags={})
                old.pop("raw", None)
                old.pop("country", None)
                res.append(old)
            if quarter == "Q2":
                _edit(res, EHR_BACKUP, encrypted=False)
        path = folder / f.name
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        out.append(path)
    return out


@functools.cache
def _build(root: str) -> History:
    base = Path(root)
    catalog = load_catalog()
    _, config_path = demo_files()
    cfg = load_config(config_path, catalog)
    results = {q: scan_files(_estate(base / q, q), cfg, catalog, list(catalog), as_of=DEMO_AS_OF)
               for q in ("Q2", "Q3", "Q4")}
    url = str(base / "history.db")
    ids = {}
    with open_store(url) as store:
        for name, q, as_of in (("Q2", "Q2", dt.date(2026, 5, 20)), ("Q3", "Q3", dt.date(2026, 8, 1)),
                               ("Q4early", "Q3", dt.date(2026, 10, 5)), ("Q4", "Q4", DEMO_AS_OF)):
            saved = SavedScan.from_result(results[q], tool_version="0.1.0", inputs=[f"{q}/aws.json"])
            saved.as_of = as_of  # recorded in that quarter; judged with the same dates as the others
            ids[name] = store.save(saved)
    return History(url, results, ids)


def build_history(tmp_path_factory: pytest.TempPathFactory) -> History:
    """One history per test process, shared by the report test modules."""
    root = getattr(build_history, "root", None)
    if root is None:
        root = str(tmp_path_factory.mktemp("report-history"))
        build_history.root = root  # type: ignore[attr-defined]
    return _build(root)


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> History:
    return build_history(tmp_path_factory)


@pytest.fixture(scope="module")
def report(history, catalog) -> PostureReport:
    with open_store(history.url) as store:
        rep = from_history(store, "2026Q4", catalog, "ja")
    assert rep is not None
    return rep


def open_keys(result: ScanResult) -> set[tuple[str, str, str]]:
    return {(f.control_id, f.resource.kind, f.resource.id) for f in result.findings if f.status in ("FAIL", "ERROR")}


def expected_score(result: ScanResult, catalog, family: str | None = None) -> float:
    """Observed findings of automated controls only: a register's (declared) PASS is not a check."""
    c = Counter(f.status for f in result.findings
                if catalog[f.control_id].check == "automated" and f.basis == "observed"
                and (family is None or catalog[f.control_id].family == family))
    return round(100 * c["PASS"] / (c["PASS"] + c["FAIL"] + c["ERROR"] + c["UNKNOWN"]), 1)


# ---- the model ------------------------------------------------------------------------------

def test_report_reads_the_latest_scan_of_the_period_and_compares_with_the_previous_quarter(report, history):
    assert report.period == "2026Q4"
    assert report.scan_id == history.ids["Q4"]  # not the early Q4 scan
    assert report.previous_period == "2026Q3"
    assert report.previous_scan_id == history.ids["Q3"]
    assert [(t.period, t.scan_id) for t in report.trend] == [
        ("2026Q2", history.ids["Q2"]), ("2026Q3", history.ids["Q3"]), ("2026Q4", history.ids["Q4"])]


def test_new_fixed_and_still_open_are_the_exact_sets(report, history):
    assert {r.key for r in report.new} == {("SAN-ENC-001", "storage.bucket", LAB)}
    old_keys = {k for k in open_keys(history.results["Q3"]) if k[2] == OLD}
    assert {k[0] for k in old_keys} == OLD_FAILING
    assert {f.row.key: f.now for f in report.fixed} == {
        ("SAN-ENC-001", "storage.bucket", REHAB): "PASS", **{k: "ABSENT" for k in old_keys}}
    q4_open = open_keys(history.results["Q4"])
    assert {r.key for r in report.still_open} == q4_open - {("SAN-ENC-001", "storage.bucket", LAB)}
    assert ("SAN-ENC-001", "storage.bucket", INJECTED_ID) in {r.key for r in report.still_open}


def test_scores_count_automated_findings_only(report, history, catalog):
    q4 = history.results["Q4"]
    assert report.overall.value == expected_score(q4, catalog)
    automated = Counter(f.status for f in q4.findings
                        if catalog[f.control_id].check == "automated" and f.basis == "observed")
    assert (report.overall.passed, report.overall.failed, report.overall.unknown) == (
        automated["PASS"], automated["FAIL"], automated["UNKNOWN"])
    # the encryption family differs between the quarters by exactly the edits: Q3 had rehab-videos
    # and old-export failing and lab-results passing; Q4 the other way round, without old-export
    enc = report.families["encryption"]
    assert enc.value == expected_score(q4, catalog, "encryption")
    q3 = Counter(f.status for f in history.results["Q3"].findings
                 if catalog[f.control_id].family == "encryption" and f.basis == "observed")
    old_passed = sum(1 for f in history.results["Q3"].findings
                     if f.resource.id == OLD and f.status == "PASS" and catalog[f.control_id].family == "encryption")
    assert enc.failed == q3["FAIL"] - 1 - 2 + 1  # rehab-videos and old-export's ENC-001, ENC-004 gone; lab new
    assert enc.passed == q3["PASS"] - 1 + 1 - old_passed
    assert [t.score.value for t in report.trend] == [
        expected_score(history.results[q], catalog) for q in ("Q2", "Q3", "Q4")]
    assert report.trend[0].score.value < report.trend[1].score.value < report.trend[2].score.value
    assert report.previous_overall.value == expected_score(history.results["Q3"], catalog)


def test_failing_controls_are_ranked_by_severity_with_source_and_remediation(report, catalog, history):
    ranks = [{"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}[f.severity] for f in report.failing]
    assert ranks == sorted(ranks, reverse=True)
    q4_failing = {k[0] for k in open_keys(history.results["Q4"]) if catalog[k[0]].check == "automated"}
    assert {f.control_id for f in report.failing} == q4_failing
    enc = next(f for f in report.failing if f.control_id == "SAN-ENC-001")
    assert {r.resource_id for r in enc.rows} == {LAB, INJECTED_ID}
    assert enc.remediation == catalog["SAN-ENC-001"].remediation.ja
    assert catalog["SAN-ENC-001"].source.section in enc.source


def test_unknown_and_attestations_are_apart_from_the_score(report, history, catalog):
    q4 = history.results["Q4"]
    assert {(r.control_id, r.resource_id) for r in report.unknown} == {
        (f.control_id, f.resource.id) for f in q4.findings if f.status == "UNKNOWN"}
    att = {(a.control_id, a.status) for a in report.attestations}
    assert att == {(f.control_id, f.status) for f in q4.findings if catalog[f.control_id].check == "attestation"}
    assert report.attested_count == sum(1 for f in q4.findings if f.status == "MANUAL")
    bkp8 = next(a for a in report.attestations if a.control_id == "SAN-BKP-008")
    assert (bkp8.attested_by, bkp8.attested_on) == ("情報システム課長", "2026-04-01")
    # attestation failures are not "failing automated controls"
    assert not {f.control_id for f in report.failing} & {a.control_id for a in report.attestations}


def test_estate_covered(report, history):
    q4 = history.results["Q4"]
    assert report.resource_count == len(q4.resources)
    by_provider = {p.provider: p for p in report.providers}
    assert {p: by_provider[p].resources for p in by_provider} == dict(Counter(r.provider for r in q4.resources))
    assert "111122223333" in by_provider["aws"].accounts and "ap-northeast-3" in by_provider["aws"].regions
    assert report.source_types == dict(sorted(Counter(r.source.type for r in q4.resources).items()))
    assert "attestations/register.csv" in report.source_files


# ---- formats --------------------------------------------------------------------------------

def test_json_is_the_documented_structure(report, history):
    doc = json.loads(render_json(report))
    assert list(doc) == ["schema_version", "lang", "period", "scan", "previous", "score", "controls",
                         "failing_controls", "changes", "trend", "declared_controls", "unknown", "attestations",
                         "muted", "estate", "findings", "notes", "left_out_controls", "listing"]
    assert doc["schema_version"] == "1.2" and doc["period"] == "2026Q4"
    assert doc["scan"]["id"] == history.ids["Q4"]
    assert doc["previous"]["period"] == "2026Q3" and doc["previous"]["scan_id"] == history.ids["Q3"]
    assert doc["score"]["overall"]["score"] == report.overall.value
    assert [c["resource_id"] for c in doc["changes"]["new"]] == [LAB]
    assert {(c["resource_id"], c["now"]) for c in doc["changes"]["fixed"]} == {(REHAB, "PASS"), (OLD, "ABSENT")}
    assert doc["controls"]["SAN-ENC-001"]["severity"] == "high"
    assert [t["period"] for t in doc["trend"]] == ["2026Q2", "2026Q3", "2026Q4"]
    assert all(f["status"] != "NOT_APPLICABLE" for f in doc["findings"])
    assert {m["control_id"] for m in doc["muted"]} == {"SAN-NET-003"}


def test_markdown_escapes_inventory_text(report):
    md = render_markdown(report)
    assert md.startswith("# 医療情報システム 安全管理状況 四半期報告書 2026Q4\n")
    assert SCRIPT not in md and "<img" not in md and "<b>" not in md
    assert md_escape(SCRIPT) in md and "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert md_escape("a|b") == "a\\|b" and md_escape("*x* _y_ `z` [l](u)") == "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u)"
    # every table row keeps its column count: no inventory text breaks a GFM table
    for block in re.findall(r"(?:^\|.*\n)+", md, flags=re.M):
        widths = {len(re.findall(r"(?<!\\)\|", line)) for line in block.splitlines()}
        assert len(widths) == 1, block[:300]


def test_html_is_self_contained_and_escaped(report):
    html = render_html(report)
    assert SCRIPT not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # no network: nothing is loaded from anywhere
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    assert html.count("<script") == 2  # the findings data (JSON) and the page's own script
    assert 'id="sansho-findings">[' in html and "\\u003cscript\\u003e" in html  # |tojson escapes < and >


def test_english_report(history, catalog):
    with open_store(history.url) as store:
        rep = from_history(store, "2026Q3", catalog, "en")
    html = render_html(rep)
    assert "<title>Quarterly security posture report 2026Q3</title>" in html
    assert rep.previous_period == "2026Q2"
    assert rep.new == []  # Q2 held the Q3 edits already
    assert {f.row.key for f in rep.fixed} == {("SAN-ENC-001", "storage.bucket", EHR_BACKUP)}


def test_first_recorded_quarter_has_no_comparison(history, catalog):
    with open_store(history.url) as store:
        rep = from_history(store, "2026Q2", catalog, "ja")
        assert from_history(store, "2025Q4", catalog, "ja") is None
    assert rep.previous_period is None and rep.new == [] and rep.fixed == []
    assert "比較できる前期の記録がありません" in render_html(rep)


# ---- the command ----------------------------------------------------------------------------

def test_cli_writes_each_format(history, tmp_path):
    out = tmp_path / "r.json"
    p = run("report", "--history", history.url, "--format", "json", "-o", str(out))
    assert p.returncode == 0, p.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["period"] == "2026Q4" and doc["lang"] == "ja"  # the latest recorded, in Japanese
    assert p.stderr.startswith(f"{out}: 2026Q4 の報告書を作成しました(点検記録 #{history.ids['Q4']}")
    md = tmp_path / "r.md"
    p = run("report", "--history", history.url, "--period", "2026Q3", "--format", "md", "--lang", "en", "-o", str(md))
    assert p.returncode == 0, p.stderr
    assert md.read_text(encoding="utf-8").startswith("# Quarterly security posture report 2026Q3\n")


def test_cli_errors_are_one_line(history, tmp_path):
    p = run("report", "--history", history.url, "--period", "2026Q1", "-o", str(tmp_path / "x.html"))
    assert (p.returncode, p.stderr) == (2, "sansho: error: --period 2026Q1: no scan recorded in that quarter "
                                           "(recorded: 2026Q2, 2026Q3, 2026Q4) / 2026Q1 に記録された点検結果がありません\n")
    p = run("report", "--history", history.url, "--period", "2026Q5", "-o", str(tmp_path / "x.html"))
    assert (p.returncode, p.stderr) == (2, "sansho: error: --period: '2026Q5' is not a quarter (YYYYQ1–YYYYQ4, "
                                           "e.g. 2026Q4) / 期間は 2026Q4 のように指定してください\n")
    from sansho.reports.history.store import open_store

    empty = tmp_path / "empty.db"
    open_store(str(empty)).close()  # a store with no scan yet
    p = run("report", "--history", str(empty), "-o", str(tmp_path / "x.html"), cwd=tmp_path)
    assert (p.returncode, p.stderr) == (2, "sansho: error: empty.db: no scan recorded yet (run `sansho scan "
                                           "--save`) / 記録された点検結果がありません\n")
    p = run("report", "-o", str(tmp_path / "x.html"), cwd=tmp_path)  # no --history, no sansho.yaml
    assert p.returncode == 2 and p.stderr.startswith("sansho: error: no scan history: pass --history")
    assert not (tmp_path / "x.html").exists()


def test_findings_of_controls_the_catalog_no_longer_has_are_left_out_and_named(history, catalog):
    from sansho.reports.posture import build

    saved = SavedScan.from_result(history.results["Q4"], tool_version="0.1.0")
    saved.findings.append(dataclasses.replace(saved.findings[0], control_id="SAN-OLD-001"))
    rep = build(catalog, saved, None, [saved], "en")
    assert rep.left_out == ["SAN-OLD-001"]
    assert all(r.control_id != "SAN-OLD-001" for r in rep.rows)
    assert rep.overall.judged == sum(1 for f in history.results["Q4"].findings if f.status in (
        "PASS", "FAIL", "ERROR", "UNKNOWN") and catalog[f.control_id].check == "automated" and f.basis == "observed")
    assert "Findings of controls no longer in the catalog were left out: SAN-OLD-001" in render_html(rep)
