"""The responsibility matrix: ownership per service model, vendor overrides, status and gaps,
and the XLSX read back with openpyxl as hospital staff would open it."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from sansho.policies.engine.core import Engine
from sansho.policies.errors import InputError
from sansho.policies.model import Attestation, ObjectStorage, SourceRef, VendorContract
from sansho.reports import matrix as mx
from sansho.reports.history.records import SavedScan
from sansho.reports.history.store import open_store

from .support.cli import run

AS_OF = dt.date(2026, 11, 1)
VENDOR = "クラウドカルテ株式会社(架空)"
CONTROLS = ("SAN-LOC-001", "SAN-ENC-001", "SAN-OPS-001", "SAN-VEN-006")


def resources():
    return [
        ObjectStorage(id="arn:aws:s3:::karte-tokyo", provider="aws", region="ap-northeast-1", encrypted=True,
                      holds_medical_data=True, source=SourceRef(type="live")),
        ObjectStorage(id="arn:aws:s3:::karte-virginia", provider="aws", region="us-east-1", encrypted=None,
                      holds_medical_data=True, source=SourceRef(type="live")),
        VendorContract(id="vendor:<script>alert(1)</script>", provider="vendor", vendor=VENDOR, service_model="saas",
                       responsibility_agreed=True,
                       responsibility_overrides={"SAN-LOC-001": "customer", "SAN-OPS-001": "shared"}),
        VendorContract(id="vendor:unagreed", provider="vendor", vendor="未合意データ株式会社(架空)",
                       service_model="paas", responsibility_agreed=None),
        Attestation(id="att:ops-001", provider="onprem", control_id="SAN-OPS-001", answer="yes",
                    attested_by="安全管理責任者", attested_on=dt.date(2026, 10, 1), review_period_days=365),
    ]


@pytest.fixture(scope="module")
def scan(catalog):
    result = Engine(catalog).scan(resources(), [catalog[c] for c in CONTROLS], today=AS_OF)
    saved = SavedScan.from_result(result, tool_version="0.1.0")
    saved.id = 7
    return saved


def row(m, cid):
    return next(r for r in m.rows if r.control.id == cid)


def test_owner_status_and_gaps_from_catalog_and_scan(catalog, scan):
    m = mx.build(catalog, "saas", scan)
    assert len(m.rows) == len(catalog)
    loc = row(m, "SAN-LOC-001")
    assert (loc.owner, loc.overridden_by, loc.status) == ("provider", (), "FAIL")
    assert loc.counts == {"FAIL": 1, "UNKNOWN": 0, "PASS": 1, "MANUAL": 0}
    assert loc.gaps == (mx.GAP_FAILING,)  # a saas contract with an agreed split exists: the provider owns it
    enc = row(m, "SAN-ENC-001")
    assert (enc.status, enc.counts["UNKNOWN"], enc.gaps) == ("UNKNOWN", 1, (mx.GAP_FAILING,))
    ops = row(m, "SAN-OPS-001")
    assert (ops.owner, ops.status, ops.gaps) == ("customer", "MANUAL", ())
    assert row(m, "SAN-BKP-001").status == mx.NOT_SCANNED  # not among the scan's controls
    assert m.agreed_contracts == ["vendor:<script>alert(1)</script>"]


def test_nobody_owns_what_no_agreed_contract_covers(catalog, scan):
    # The only paas contract never recorded an agreement: the provider's part has no owner.
    m = mx.build(catalog, "paas", scan)
    assert m.agreed_contracts == []
    assert row(m, "SAN-LOC-001").owner == "customer"
    assert row(m, "SAN-LOC-001").gaps == (mx.GAP_FAILING,)
    assert row(m, "SAN-ENC-001").owner == "shared"
    assert row(m, "SAN-ENC-001").gaps == (mx.GAP_NO_OWNER, mx.GAP_FAILING)
    assert row(m, "SAN-BKP-009").gaps == (mx.GAP_NO_OWNER,)  # shared under paas, not scanned
    assert row(m, "SAN-OPS-001").gaps == ()


def test_vendor_register_overrides_the_catalog(catalog, scan):
    m = mx.build(catalog, "saas", scan, VENDOR)
    loc = row(m, "SAN-LOC-001")
    assert (loc.owner, loc.overridden_by) == ("customer", ("vendor:<script>alert(1)</script>",))
    assert row(m, "SAN-OPS-001").owner == "shared"
    assert row(m, "SAN-ENC-001").owner == "provider"  # not overridden: the catalog's saas split


def test_unknown_vendor_lists_the_known_ones(catalog, scan):
    with pytest.raises(InputError) as e:
        mx.build(catalog, "saas", scan, "Nope Inc.")
    assert str(e.value) == ("--vendor: unknown vendor 'Nope Inc.'; known vendors: クラウドカルテ株式会社(架空), "
                            "未合意データ株式会社(架空) / 委託先 'Nope Inc.' は登録にありません")
    with pytest.raises(InputError, match="no saved scan to read the vendor register from"):
        mx.build(catalog, "saas", None, VENDOR)


def test_without_a_scan_the_matrix_comes_from_the_catalog(catalog):
    m = mx.build(catalog, "iaas", None)
    assert {r.status for r in m.rows} == {mx.NOT_SCANNED}
    assert m.gaps == []
    assert row(m, "SAN-LOC-003").owner == "provider"
    assert mx.summary_lines(m, "ja")[2] == ("基準としたスキャン", mx.WORDS["ja"]["no_scan"])


def test_xlsx_reads_back_with_validations_and_highlights(catalog, scan, tmp_path):
    out = tmp_path / "m.xlsx"
    mx.render_xlsx(mx.build(catalog, "saas", scan, VENDOR), catalog, "ja", out, today=AS_OF)
    wb = load_workbook(out)
    assert wb.sheetnames == ["概要", "責任分界表"]
    assert wb.active.title == "責任分界表"
    cover = wb["概要"]
    assert cover["A1"].value == "3省2ガイドライン 管理策の責任分界表"
    labels = {cover.cell(r, 1).value: cover.cell(r, 2).value for r in range(4, 14)}
    assert labels["サービス類型"] == "SAAS"
    assert labels["委託先事業者"] == VENDOR
    assert labels["基準としたスキャン"].startswith("#7 ")
    assert labels["作成日"] == "2026-11-01"

    ws = wb["責任分界表"]
    headers = [c.value for c in ws[1]]
    assert headers[:9] == ["管理策ID", "管理策", "分類", "重要度", "点検方法", "ガイドライン出典",
                           "責任主体(病院/事業者/共同)", "責任主体の根拠", "現状"]
    assert headers[-4:] == ["担当者", "対応状況", "対応予定日", "備考"]
    assert ws.freeze_panes == "C2"
    last = ws.max_row
    assert last == len(catalog) + 1
    assert ws.auto_filter.ref == f"A1:S{last}"
    rows = {ws.cell(r, 1).value: r for r in range(2, last + 1)}
    loc = rows["SAN-LOC-001"]
    assert [ws.cell(loc, c).value for c in (7, 8, 9, 10, 11, 12, 13, 14)] == [
        "病院", "委託先登録: vendor:<script>alert(1)</script>", "不適合", "観測", 1, 0, 1, 0]
    assert [ws.cell(loc, c).value for c in (3, 4, 5)] == ["保存場所", "緊急", "自動"]  # words staff read
    assert ws.cell(loc, 6).value.startswith("医療情報システムの安全管理に関するガイドライン 第6.0版 企画管理編")
    assert ws.cell(loc, 1).fill.fgColor.rgb.endswith(mx.RED)
    ops = rows["SAN-OPS-001"]
    assert [ws.cell(ops, c).value for c in (5, 9, 10)] == ["表明", "表明", "表明"]  # a person's answer
    assert ws.cell(rows["SAN-VEN-006"], 10).value == "申告"  # what the vendor register says
    assert ws.cell(ops, 1).fill.fgColor.rgb in ("00000000", None)  # no gap, no highlight
    assert ws.cell(loc, 2).alignment.wrap_text
    assert ws.column_dimensions["B"].width == 44

    dvs = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert dvs[f"G2:G{last}"].type == "list" and dvs[f"G2:G{last}"].formula1 == '"病院,事業者,共同"'
    assert dvs[f"Q2:Q{last}"].formula1 == '"未着手,対応中,対応済,対象外"'
    assert dvs[f"R2:R{last}"].type == "date"
    assert dvs[f"P2:P{last}"].type == "textLength"


def test_no_owner_rows_are_orange(catalog, scan, tmp_path):
    out = tmp_path / "p.xlsx"
    mx.render_xlsx(mx.build(catalog, "paas", scan), catalog, "en", out)
    ws = load_workbook(out)["Matrix"]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    assert ws.cell(rows["SAN-BKP-009"], 1).fill.fgColor.rgb.endswith(mx.ORANGE)
    assert ws.cell(rows["SAN-BKP-009"], 15).value == "nobody owns it (no agreed responsibility split with a provider)"
    assert ws.cell(rows["SAN-ENC-001"], 1).fill.fgColor.rgb.endswith(mx.RED)  # failing outranks no owner


def test_html_escapes_and_csv_has_the_same_rows(catalog, scan):
    m = mx.build(catalog, "saas", scan, VENDOR)
    html = mx.render_html(m, catalog, "ja")
    assert "<script>alert(1)</script>" not in html
    assert "vendor:&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count('<tr class="failing">') == len([r for r in m.rows if mx.GAP_FAILING in r.gaps]) == 3
    text = mx.render_csv(m, catalog, "en")
    assert text.startswith("\ufeffControl ID,Control,")
    lines = text.splitlines()
    assert len(lines) == len(catalog) + 1
    loc = next(line for line in lines if line.startswith("SAN-LOC-001,"))
    assert ",Hospital,vendor register: vendor:<script>alert(1)</script>,FAIL,observed,1,0,1,0," in loc


def test_cli_matrix_with_and_without_history(catalog, scan, tmp_path):
    db = tmp_path / "h.db"
    with open_store(str(db)) as store:
        store.save(scan)
    out = tmp_path / "m.xlsx"
    r = run("matrix", "--model", "saas", "--vendor", VENDOR, "-o", str(out), "--history", str(db), "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert r.stderr == f"{out}: wrote the responsibility matrix ({len(catalog)} controls, 3 gaps, scan #1)\n"
    assert load_workbook(out)["Matrix"]["A2"].value == "SAN-BKP-001"

    r = run("matrix", "--model", "iaas", "-o", str(tmp_path / "m.html"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "スキャン履歴なし" in r.stderr
    assert "<table id=\"matrix\">" in (tmp_path / "m.html").read_text(encoding="utf-8")

    r = run("matrix", "--model", "saas", "--vendor", "Nope", "-o", str(out), "--history", str(db))
    assert r.returncode == 2
    assert r.stderr.startswith("sansho: error: --vendor: unknown vendor 'Nope'; known vendors: ")
    assert len(r.stderr.splitlines()) == 1
