"""Evidence bundles: what the manifest maps, that the zip is deterministic, and that verify names
every file changed, added or removed (exit 1), and refuses what is not a bundle (exit 2)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile

import pytest

from sansho.policies.engine.core import Engine
from sansho.policies.model import Attestation, ObjectStorage
from sansho.reports import evidence as ev
from sansho.reports import framework as fwv
from sansho.reports.history.records import SavedScan
from sansho.reports.history.store import open_store

from .support.cli import run

AS_OF = dt.date(2026, 11, 1)
CONTROLS = ("SAN-LOC-001", "SAN-ENC-001", "SAN-OPS-001", "SAN-OPS-003")
RAW = {"Name": "karte-virginia", "LocationConstraint": "us-east-1"}


def resources():
    return [
        ObjectStorage(id="arn:aws:s3:::karte-tokyo", provider="aws", region="ap-northeast-1", encrypted=True,
                      holds_medical_data=True, raw={"Name": "karte-tokyo"}),
        ObjectStorage(id="arn:aws:s3:::karte-virginia", name="../../etc/passwd", provider="aws", region="us-east-1",
                      encrypted=True, holds_medical_data=True, raw=RAW),
        Attestation(id="att:ops-001", provider="onprem", control_id="SAN-OPS-001", answer="yes",
                    attested_by="安全管理責任者", attested_on=dt.date(2026, 10, 1), review_period_days=365,
                    evidence="任命書 2026-10-01"),
        Attestation(id="att:ops-003", provider="onprem", control_id="SAN-OPS-003", answer="no",
                    attested_by="教育担当", attested_on=dt.date(2026, 9, 1), review_period_days=365),
    ]


@pytest.fixture(scope="module")
def scan(catalog):
    result = Engine(catalog).scan(resources(), [catalog[c] for c in CONTROLS], today=AS_OF)
    saved = SavedScan.from_result(result, tool_version="0.1.0")
    saved.scanned_at = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
    saved.id = 1  # what the store gives the first scan it saves
    return saved


@pytest.fixture(scope="module")
def store_path(scan, tmp_path_factory):
    db = tmp_path_factory.mktemp("history") / "h.db"
    with open_store(str(db)) as store:
        store.save(scan)
    return db


@pytest.fixture(scope="module")
def bundle(catalog, scan):
    return ev.build(fwv.build(catalog, "mhlw6", scan), catalog, "0.1.0", "2026Q4", "ja")


def test_manifest_maps_requirements_controls_findings_and_files(catalog, bundle, scan):
    m = json.loads(bundle.files[ev.MANIFEST])
    assert m["format"] == "sansho-evidence/1"
    assert m["framework"]["id"] == "mhlw6" and m["period"] == "2026Q4"
    assert m["tool"] == {"name": "sansho", "version": "0.1.0"}
    assert m["scans"][0]["id"] == scan.id == 1 and m["scans"][0]["scanned_at"] == "2026-11-01T09:00:00+00:00"
    reqs = {r["id"]: r for r in m["requirements"]}
    assert [r["id"] for r in m["requirements"]] == [r.id for r in catalog.frameworks["mhlw6"].requirements]
    assert reqs["企画管理編 7 ⑥ h"]["controls"] == ["SAN-LOC-001", "SAN-LOC-002", "SAN-LOC-003", "SAN-LOC-005",
                                                  "SAN-PRV-004"]
    assert reqs["企画管理編 7 ⑥ h"]["status"] == "FAIL"
    assert m["controls"]["SAN-LOC-002"]["status"] == "NOT_SCANNED"

    loc = m["controls"]["SAN-LOC-001"]
    assert loc["counts"] == {"FAIL": 1, "PASS": 1}
    fail = next(f for f in loc["findings"] if f["status"] == "FAIL")
    assert fail["resource"] == {"kind": "storage.bucket", "id": "arn:aws:s3:::karte-virginia", "name": "../../etc/passwd"}
    assert fail["collected_at"] == "2026-11-01T09:00:00+00:00"
    path = fail["evidence_file"]
    assert path == f"evidence/1/storage.bucket/{ev.safe_name('arn:aws:s3:::karte-virginia')}"
    assert path.startswith("evidence/1/storage.bucket/arn_aws_s3_karte-virginia-")
    doc = json.loads(bundle.files[path])
    assert doc["raw"] == RAW and doc["id"] == "arn:aws:s3:::karte-virginia"

    ops = m["controls"]["SAN-OPS-001"]
    assert ops["findings"][0]["status"] == "MANUAL"
    assert ops["findings"][0]["collected_at"] == "2026-10-01"
    att = ops["attestations"] == [{
        "resource_id": "att:ops-001", "answer": "yes", "attested_by": "安全管理責任者", "attested_on": "2026-10-01",
        "review_period_days": 365, "evidence": "任命書 2026-10-01", "file": ops["attestations"][0]["file"],
    }]
    assert att and ops["attestations"][0]["file"].startswith("attestations/1/att_ops-001-")
    assert m["controls"]["SAN-OPS-003"]["status"] == "FAIL"

    listed = {f["path"]: f for f in m["files"]}
    assert set(listed) == set(bundle.files) - {ev.MANIFEST}
    for name, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256(bundle.files[name]).hexdigest()
        assert entry["bytes"] == len(bundle.files[name])
    assert "| 企画管理編 7 ⑥ h |" in bundle.files[ev.SUMMARY].decode("utf-8")


def test_the_same_scan_gives_the_same_bytes(catalog, scan, bundle, tmp_path):
    again = ev.build(fwv.build(catalog, "mhlw6", scan), catalog, "0.1.0", "2026Q4", "ja")
    a, b = tmp_path / "a.zip", tmp_path / "b.zip"
    ev.write(bundle, a)
    ev.write(again, b)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        infos = zf.infolist()
    assert [i.filename for i in infos] == sorted(bundle.files)
    assert {i.date_time for i in infos} == {ev.ZIP_TIME}


def test_one_renderer_for_every_framework(catalog, scan):
    for fid in catalog.frameworks:
        m = json.loads(ev.build(fwv.build(catalog, fid, scan), catalog, "0.1.0", None, "en").files[ev.MANIFEST])
        assert m["framework"]["id"] == fid
        assert len(m["requirements"]) == len(catalog.frameworks[fid].requirements)
    soc2 = json.loads(ev.build(fwv.build(catalog, "soc2", scan), catalog, "0.1.0", None, "en").files[ev.MANIFEST])
    assert next(r for r in soc2["requirements"] if r["id"] == "CC1.3")["controls"] == ["SAN-OPS-001"]


def _rewrite(src, dst, change=None, add=None, drop=None):
    """Copy a bundle entry by entry, changing, adding or dropping entries (what a tamperer does)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename == drop:
                continue
            data = zin.read(info.filename)
            if change and info.filename in change:
                data = change[info.filename](data)
            zout.writestr(info.filename, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)


@pytest.fixture(scope="module")
def made(store_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle") / "bundle.zip"
    r = run("evidence", "--framework", "mhlw6", "--period", "2026Q4", "-o", str(out), "--history", str(store_path),
            "--lang", "en")
    assert r.returncode == 0, r.stderr
    digest = hashlib.sha256(zipfile.ZipFile(out).read("manifest.json")).hexdigest()
    assert r.stdout == f"{digest}  manifest.json\n"
    assert r.stderr.startswith(f"{out}: wrote the evidence bundle (scan #1, ")
    return out, digest


def test_verify_intact(made):
    out, digest = made
    r = run("evidence", "verify", str(out), "--manifest-sha256", digest.upper())
    assert (r.returncode, r.stdout.split(" (")[0]) == (0, f"{out}: intact / 改ざんなし"), r.stderr


def test_verify_names_each_tampered_file(made, tmp_path):
    out, digest = made
    names = zipfile.ZipFile(out).namelist()
    evidence = next(n for n in names if "karte-virginia" in n)
    attestation = next(n for n in names if n.startswith("attestations/"))
    bad = tmp_path / "bad.zip"
    _rewrite(out, bad, change={evidence: lambda d: d.replace(b"us-east-1", b"ap-northeast-1")},
             add={"evidence/1/extra.json": b"{}"}, drop=attestation)
    r = run("evidence", "verify", str(bad))
    assert r.returncode == 1
    assert r.stdout.splitlines() == [
        f"{bad}: removed (削除): {attestation}",
        f"{bad}: changed (変更): {evidence}",
        f"{bad}: added (追加): evidence/1/extra.json",
    ]


def test_a_manifest_edit_is_caught(made, tmp_path):
    out, digest = made
    edited = tmp_path / "edited.zip"
    # The tamperer rewrites a finding in the manifest and leaves every file hash right: only the
    # recorded manifest hash can tell.
    _rewrite(out, edited, change={"manifest.json": lambda d: d.replace(b'"status": "FAIL"', b'"status": "PASS"')})
    assert run("evidence", "verify", str(edited)).returncode == 0
    r = run("evidence", "verify", str(edited), "--manifest-sha256", digest)
    assert r.returncode == 1
    assert r.stdout.startswith(f"{edited}: changed (変更): manifest.json (sha256 ")
    assert r.stdout.strip().endswith(f"recorded {digest})")

    # Editing a hash in the manifest to hide a change still leaves that file named.
    manifest = json.loads(zipfile.ZipFile(out).read("manifest.json"))
    first = manifest["files"][0]
    first["sha256"] = "0" * 64
    rehashed = tmp_path / "rehashed.zip"
    _rewrite(out, rehashed, change={"manifest.json": lambda d: json.dumps(manifest).encode()})
    r = run("evidence", "verify", str(rehashed))
    assert (r.returncode, r.stdout) == (1, f"{rehashed}: changed (変更): {first['path']}\n")


def test_zip_slip_names_are_refused(made, tmp_path):
    out, _ = made
    slip = tmp_path / "slip.zip"
    _rewrite(out, slip, add={"../../evil.json": b"{}", "/etc/cron.d/x": b"x"})
    r = run("evidence", "verify", str(slip))
    assert r.returncode == 1
    assert r.stdout.splitlines() == [f"{slip}: unsafe path (不正なパス): ../../evil.json",
                                     f"{slip}: unsafe path (不正なパス): /etc/cron.d/x"]
    for name in ("../a", "/a", "C:/a", "a\\b", "a//b", "a/../b", "a/"):
        assert ev.unsafe(name), name
    assert not ev.unsafe("evidence/1/storage.bucket/x.json")


def test_not_a_bundle_exits_2(made, tmp_path):
    text = tmp_path / "notes.zip"
    text.write_text("not a zip", encoding="utf-8")
    r = run("evidence", "verify", str(text))
    assert r.returncode == 2
    assert r.stderr.startswith(f"sansho: error: {text}: not an evidence bundle (not a zip file")
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("hello.txt", "hi")
    r = run("evidence", "verify", str(plain))
    assert (r.returncode, r.stderr) == (2, f"sansho: error: {plain}: not an evidence bundle (no manifest.json) / "
                                           "証跡パッケージではありません\n")


def test_evidence_errors_are_one_line(store_path, tmp_path):
    out = str(tmp_path / "b.zip")
    r = run("evidence", "--framework", "hipaa", "-o", out, "--history", str(store_path))
    assert r.returncode == 2
    assert r.stderr == ("sansho: error: --framework: unknown framework 'hipaa' (choose from mhlw6, ismap, soc2, "
                        "iso27001) / 不明なフレームワークです\n")
    r = run("evidence", "--framework", "soc2", "--period", "2025Q1", "-o", out, "--history", str(store_path))
    assert r.returncode == 2
    assert r.stderr.startswith("sansho: error: evidence: no saved scan in period 2025Q1")
