"""`sansho checklist`: the MHLW サイバーセキュリティ対策チェックリスト pre-answered from the scan history.

The demo estate is scanned into a temporary history with the real CLI; the XLSX is read back with
openpyxl as hospital staff would open it, and the HTML in Debian's headless Chromium.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pydantic import ValidationError

from sansho.policies.engine.core import Engine
from sansho.policies.model import Attestation, Device, SourceRef
from sansho.policies.scanning import DEMO_AS_OF, demo_files
from sansho.reports import checklist as ck
from sansho.reports.history.records import SavedScan
from sansho.reports.history.store import open_store
from tests.support.browser import Browser
from tests.support.cli import run

UNNUMBERED = "(番号未確認)"
# The 令和7年度版 医療機関確認用 for the demo estate, every item: (number, item id) → answer ("" = blank).
DEMO_2025_HOSPITAL = {
    ("1-①", "security-officer"): "",  # SAN-OPS-001 is attested (MANUAL): a person answers
    ("2-①", "asset-register"): "",
    ("2-②", "remote-maintenance"): "",
    ("2-③", "mds-sds"): "",
    ("2-⑦", "password"): "いいえ",  # SAN-IAM-004 fails for one AWS account
    ("2-⑧", "password-reuse"): "いいえ",  # SAN-IAM-014: no password history in the backup account
    ("2-⑨", "usb-storage"): "いいえ",  # SAN-PHY-006: a laptop without USB storage control
    ("2-⑫", "unneeded-services"): "いいえ",  # SAN-OPS-007 attested "no" for the terminals
    ("2-⑬", "source-restriction"): "いいえ",
    ("3-②", "backup"): "いいえ",
    (UNNUMBERED, "access-rights"): "いいえ",
    (UNNUMBERED, "unused-accounts"): "いいえ",  # SAN-IAM-013: a leaver's IAM user
    (UNNUMBERED, "access-log"): "いいえ",
    (UNNUMBERED, "security-patch"): "いいえ",
    (UNNUMBERED, "two-factor"): "いいえ",
    (UNNUMBERED, "rulebook"): "",  # SAN-OPS-002 attested
    (UNNUMBERED, "incident-contacts"): "",  # SAN-OPS-004 attested
    (UNNUMBERED, "bcp"): "",
}
HEADERS_JA = ["番号", "確認事項", "回答(はい/いいえ)", "確認日", "目標日(いいえの場合は必須)", "医療情報システム全般",
              "サーバ", "端末PC", "ネットワーク機器", "根拠(観測/申告/表明)", "根拠とした点検結果", "sansho の判定",
              "注記(未確認事項・対応付け)", "出典"]


# -- the data files ----------------------------------------------------------------------------

@pytest.mark.parametrize("year", [2024, 2025])
def test_every_mapped_control_exists_and_every_item_has_a_source(year, catalog):
    ed = ck.load_edition(year)
    assert ck.unknown_controls(ed, catalog) == []
    for sheet in ed.sheets.values():
        for it in sheet.items:
            assert it.sources and all(s.startswith("https://") for s in it.sources), it.id
            assert it.number is not None or not it.verified, it.id  # no number = unverified
            if not it.verified:
                assert it.note is not None and it.note.ja and it.note.en, it.id
    assert ed.sources and ed.answer_format.source.startswith("https://")
    assert ck.editions() == (2024, 2025)


def test_unverified_positions_are_the_ones_the_notes_name():
    # PROVIDER-GUIDELINE-NOTES §4: in 令和7年度版 the place of アクセス権限, 不要アカウント, アクセスログ,
    # セキュリティパッチ, 二要素認証 and 運用管理規程 is unverified; 2-⑨'s text is truncated; section 3's
    # other two items are known only from 令和6年度版; 3-(1)'s wording is inferred in both editions.
    r7 = ck.load_edition(2025).sheets["hospital"]
    assert {it.id for it in r7.items if not it.verified} == {
        "access-rights", "unused-accounts", "access-log", "security-patch", "two-factor", "rulebook",
        "usb-storage", "incident-contacts", "bcp"}
    assert {it.id for it in r7.items if it.number is None} == {
        "access-rights", "unused-accounts", "access-log", "security-patch", "two-factor", "rulebook",
        "incident-contacts", "bcp"}
    assert not r7.complete and all(not s.verified for s in r7.sections)
    r6 = ck.load_edition(2024).sheets["hospital"]
    assert [it.number for it in r6.items] == ["1-(1)", "2-(1)", "2-(2)", "2-(3)", "2-(4)", "2-(5)", "2-(6)",
                                             "2-(7)", "2-(8)", "2-(9)", "3-(1)", "3-(2)", "3-(3)"]
    assert {it.id for it in r6.items if not it.verified} == {"incident-contacts"}
    for year in (2024, 2025):
        vendor = ck.load_edition(year).sheets["vendor"]
        assert not vendor.complete and [(it.id, it.number, it.verified) for it in vendor.items] == [
            ("mds-sds-submitted", None, False)]
    assert not ck.load_edition(2025).scope_columns.verified


def test_the_data_model_refuses_an_unverified_item_without_a_note_and_an_item_without_a_source():
    item = {"id": "x", "number": None, "section": None, "text": {"ja": "項目", "en": "item"}, "wording": "summary",
            "scope": None, "sources": ["https://example.org/"], "controls": []}
    with pytest.raises(ValidationError, match="must be verified: false"):
        ck.Item.model_validate(item)
    with pytest.raises(ValidationError, match="verified: false needs a note"):
        ck.Item.model_validate({**item, "verified": False})
    with pytest.raises(ValidationError, match="sources"):
        ck.Item.model_validate({**item, "verified": False, "note": {"ja": "未確認", "en": "unverified"},
                                "sources": []})
    ok = ck.Item.model_validate({**item, "verified": False, "note": {"ja": "未確認", "en": "unverified"}})
    assert ok.number is None


# -- answers from findings -----------------------------------------------------------------------

AS_OF = dt.date(2025, 11, 1)


def _device(name: str, last_patched: dt.date | None) -> Device:
    return Device(id=f"onprem:device:{name}", provider="onprem", name=name, device_type="server",
                  last_patched=last_patched, source=SourceRef(type="inventory", file="devices.csv"))


def _scan(catalog, resources, controls) -> SavedScan:
    result = Engine(catalog).scan(resources, [catalog[c] for c in controls], today=AS_OF)
    saved = SavedScan.from_result(result, tool_version="0.1.0")
    saved.id = 3
    return saved


def _row(cl: ck.Checklist, item_id: str) -> ck.Row:
    return next(r for r in cl.rows if r.item.id == item_id)


def test_unknown_never_yields_yes(catalog):
    recent, old = dt.date(2025, 10, 20), dt.date(2024, 1, 5)
    # every finding PASS: はい, declared (a devices register), 確認日 the scan date
    cl = ck.build(2025, "hospital", _scan(catalog, [_device("SV-1", recent)], ["SAN-MAL-003"]), catalog)
    patch = _row(cl, "security-patch")
    assert (patch.answer, patch.checked_on, patch.basis) == ("yes", AS_OF, {"declared": 1})
    assert ck.findings_text(patch, "en") == "SAN-MAL-003: PASS 1 (onprem:device:SV-1)"
    # one PASS and one UNKNOWN (last_patched not read): blank, never はい
    cl = ck.build(2025, "hospital", _scan(catalog, [_device("SV-1", recent), _device("SV-2", None)],
                                          ["SAN-MAL-003"]), catalog)
    patch = _row(cl, "security-patch")
    assert (patch.answer, patch.why, patch.checked_on, patch.target_required) == (None, "needs_person", None, False)
    assert ck.findings_text(patch, "ja") == "SAN-MAL-003: 判定不能 1 適合 1 (onprem:device:SV-2)"
    # a FAIL outweighs the UNKNOWN: いいえ, and the target date is required
    cl = ck.build(2025, "hospital", _scan(catalog, [_device("SV-2", None), _device("SV-3", old)],
                                          ["SAN-MAL-003"]), catalog)
    patch = _row(cl, "security-patch")
    assert (patch.answer, patch.target_required, patch.checked_on) == ("no", True, AS_OF)
    assert ck.findings_text(patch, "en") == "SAN-MAL-003: FAIL 1 UNKNOWN 1 (onprem:device:SV-3)"
    # items whose controls this (filtered) scan did not judge stay blank and say so
    access_log = _row(cl, "access-log")
    assert (access_log.answer, access_log.why) == (None, "not_judged")
    assert ck.findings_text(access_log, "en") == ("SAN-LOG-001: not judged\nSAN-LOG-005: not judged\n"
                                                  "SAN-LOG-007: not judged\nSAN-LOG-008: not judged")
    assert _row(cl, "asset-register").why == "unmapped"


def test_findings_name_the_first_three_resources_behind_the_answer(catalog):
    old = dt.date(2024, 1, 5)
    devices = [_device(f"SV-{n}", old) for n in range(1, 6)] + [_device("SV-9", dt.date(2025, 10, 20))]
    cl = ck.build(2024, "hospital", _scan(catalog, devices, ["SAN-MAL-003"]), catalog)
    patch = _row(cl, "security-patch")
    assert (patch.answer, patch.basis) == ("no", {"declared": 6})
    assert ck.findings_text(patch, "en") == ("SAN-MAL-003: FAIL 5 PASS 1 (onprem:device:SV-1, onprem:device:SV-2, "
                                             "onprem:device:SV-3, … +2)")
    assert ck.basis_text(patch, "ja") == "申告 6"


def test_an_attested_yes_is_never_answered_for_the_hospital(catalog):
    att = Attestation(id="att:ops-001", provider="onprem", control_id="SAN-OPS-001", answer="yes",
                      attested_by="安全管理責任者", attested_on=dt.date(2025, 10, 1), review_period_days=365)
    cl = ck.build(2024, "hospital", _scan(catalog, [att], ["SAN-OPS-001"]), catalog)
    officer = _row(cl, "security-officer")
    assert (officer.answer, officer.why, officer.basis) == (None, "needs_person", {"attested": 1})
    assert ck.findings_text(officer, "ja") == "SAN-OPS-001: 表明 1 (att:ops-001)"
    # a recorded "no" is a FAIL: いいえ
    cl = ck.build(2024, "hospital", _scan(catalog, [att.model_copy(update={"answer": "no"})], ["SAN-OPS-001"]),
                  catalog)
    assert _row(cl, "security-officer").answer == "no"


# -- the command on the demo estate ----------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_history(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("checklist")
    files, config = demo_files()
    db = folder / "history.db"
    r = run("scan", *map(str, files), "--config", str(config), "--as-of", DEMO_AS_OF.isoformat(), "--save",
            "--history", str(db), "-o", str(folder / "scan.json"), "--format", "json")
    assert r.returncode == 1, r.stderr  # the demo has failures
    return db


@pytest.fixture(scope="module")
def demo_xlsx(demo_history) -> Path:
    out = demo_history.parent / "checklist.xlsx"
    r = run("checklist", "--year", "2025", "--sheet", "hospital", "-o", str(out), "--history", str(demo_history))
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines() == [
        "note: the scan date 2026-11-01 is outside the FY2025 edition's fiscal year (2025-04-01 – 2026-03-31) / "
        "判定基準日が医療機関におけるサイバーセキュリティ対策チェックリスト(令和7年度版)の年度外です",
        f"{out}: 医療機関におけるサイバーセキュリティ対策チェックリスト(令和7年度版) 医療機関確認用を作成しました"
        "(スキャン #1、はい 0、いいえ 11、空欄 7)"]
    return out


def _item_rows(ws) -> dict[int, tuple[str, str]]:
    """Sheet row → (number, item id), the item id found through the item text of the data file."""
    by_text = {it.text.ja: it.id for it in ck.load_edition(2025).sheets["hospital"].items}
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "番号")
    return {r: (ws.cell(r, 1).value, by_text[ws.cell(r, 2).value]) for r in range(head + 1, ws.max_row + 1)
            if ws.cell(r, 2).value in by_text}


def test_demo_xlsx_answers_are_pinned(demo_xlsx):
    wb = load_workbook(demo_xlsx)
    assert wb.sheetnames == ["医療機関確認用"]
    ws = wb.active
    assert ws["A1"].value == "医療機関におけるサイバーセキュリティ対策チェックリスト(令和7年度版)"
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "番号")
    assert [c.value for c in ws[head]] == HEADERS_JA
    rows = _item_rows(ws)
    answers = {key: ws.cell(r, 3).value or "" for r, key in rows.items()}
    assert answers == DEMO_2025_HOSPITAL
    assert list(answers) == list(DEMO_2025_HOSPITAL)  # the sheet's order, unnumbered items last
    for r, key in rows.items():
        answered = bool(DEMO_2025_HOSPITAL[key])
        checked = ws.cell(r, 4).value
        assert (checked.date() if checked else None) == (DEMO_AS_OF if answered else None), key
        assert ws.cell(r, 5).value is None, key  # 目標日: the hospital fills it in
    by_id = {key[1]: r for r, key in rows.items()}
    patch = by_id["security-patch"]
    assert [ws.cell(patch, c).value for c in (6, 7, 8, 9)] == ["○", None, None, None]  # 医療情報システム全般
    assert ws.cell(patch, 10).value.startswith("申告 ")  # the devices register
    assert ws.cell(patch, 11).value.startswith("SAN-MAL-003: 不適合 ")
    assert ws.cell(patch, 13).value.startswith("[未確認] 番号未確認(案では 2-④〜⑥、⑩、⑪ のいずれか)")
    password = by_id["password"]
    assert [ws.cell(password, c).value for c in (10, 11, 12)] == [
        "観測 2", "SAN-IAM-004: 不適合 1 適合 1 (arn:aws:organizations::111122223333:account/o-exampleorg01/"
        "444455556666)", "不適合の点検結果あり:目標日を記入してください"]
    assert [ws.cell(by_id["unneeded-services"], c).value for c in (6, 7, 8, 9)] == [None, "○", "○", None]
    assert [ws.cell(by_id["password"], c).value for c in (6, 7, 8, 9)] == ["?"] * 4
    assert ws.cell(by_id["access-log"], 10).value == "観測 17 / 表明 3"
    assert ws.cell(by_id["security-officer"], 12).value == "判定不能・表明・抑止の結果あり:担当者が確認してください"
    assert ws.cell(by_id["asset-register"], 12).value == "対応する sansho の管理策なし:担当者が回答してください"
    assert ws.cell(by_id["asset-register"], 14).value == "https://wic-net.com/material/document/19102/2"
    # the cover lines say what is unverified
    cover = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(3, head)}
    assert cover["このシートは公開資料で確認できた項目のみです"].startswith("[未確認] 8 項目の番号が未確認です")
    assert cover["対象機器の列"].startswith("[未確認] 対象機器が分かるのは 2-⑫")
    assert cover["回答の件数"] == "はい 0 / いいえ 11 / 空欄 7"


def test_demo_xlsx_has_the_answer_drop_down_and_a_required_target_date(demo_xlsx):
    ws = load_workbook(demo_xlsx).active
    item_rows = sorted(_item_rows(ws))
    dvs = {dv.type: dv for dv in ws.data_validations.dataValidation if dv.type in ("list",)}
    answers = dvs["list"]
    assert answers.formula1 == '"はい,いいえ"'
    assert str(answers.sqref).split() == [f"C{r}" for r in item_rows]
    dates = [dv for dv in ws.data_validations.dataValidation if dv.type == "date" and "E" in str(dv.sqref)]
    assert len(dates) == 1 and str(dates[0].sqref).split() == [f"E{r}" for r in item_rows]
    # the scan (2026-11-01) is past FY2025: the target date accepts any day from the scan date
    assert (dates[0].operator, dates[0].formula1) == ("greaterThanOrEqual", "DATE(2026,11,1)")
    first, last = item_rows[0] - 1, ws.max_row  # from the first section row under the header
    assert ws.cell(first - 1, 1).value == "番号"
    rules = {str(rng.sqref): [r.formula for r in rng.rules] for rng in ws.conditional_formatting}
    assert rules[f"E{first}:E{last}"] == [[f'AND($C{first}="いいえ",ISBLANK($E{first}))']]
    assert rules[f"C{first}:C{last}"] == [[f'$C{first}="いいえ"']]
    assert (ws.page_setup.orientation, ws.print_title_rows) == ("landscape", f"${first - 1}:${first - 1}")


def test_target_date_is_bounded_by_the_fiscal_year_when_the_scan_is_in_it(catalog, tmp_path):
    scan = _scan(catalog, [_device("SV-3", dt.date(2024, 1, 5))], ["SAN-MAL-003"])
    cl = ck.build(2025, "hospital", scan, catalog)
    assert not cl.outside_fiscal_year
    assert cl.target_window() == (AS_OF, dt.date(2026, 3, 31))
    out = tmp_path / "c.xlsx"
    ck.render_xlsx(cl, "en", out)
    ws = load_workbook(out).active
    [target] = [dv for dv in ws.data_validations.dataValidation if dv.type == "date" and "E" in str(dv.sqref)]
    assert (target.operator, target.formula1, target.formula2) == ("between", "DATE(2025,11,1)", "DATE(2026,3,31)")


def test_xlsx_cells_from_the_estate_are_text_never_formulas(catalog, tmp_path):
    scan = _scan(catalog, [_device("=HYPERLINK(\"http://x\")", dt.date(2024, 1, 5))], ["SAN-MAL-003"])
    out = tmp_path / "c.xlsx"
    ck.render_xlsx(ck.build(2024, "hospital", scan, catalog), "ja", out)
    ws = load_workbook(out).active
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert cell.data_type == "s" and cell.value.startswith("SAN-MAL-003: 不適合 1 (onprem:device:=HYPERLINK")


@pytest.fixture(scope="module")
def browser():
    b = Browser()
    yield b
    b.close()


def test_html_in_chromium_shows_the_same_answers(demo_history, demo_xlsx, browser):
    out = demo_history.parent / "checklist.html"
    r = run("checklist", "--year", "2025", "--sheet", "hospital", "-o", str(out), "--history", str(demo_history))
    assert r.returncode == 0, r.stderr
    page, log = browser.open_page(out.as_uri())
    try:
        shown = page.eval_on_selector_all(
            "tr.item", "rows => rows.map(r => [r.cells[0].innerText.trim(), r.dataset.item, "
                       "r.querySelector('td.answer').innerText.trim(), "
                       "r.querySelector('td.target').classList.contains('required')])")
        assert {(n, i): a for n, i, a, _ in shown} == DEMO_2025_HOSPITAL
        assert [(n, i) for n, i, _, _ in shown] == list(DEMO_2025_HOSPITAL)
        assert all(req == (a == "いいえ") for _, _, a, req in shown)  # 目標日 marked required exactly for いいえ
        assert page.title() == "医療機関におけるサイバーセキュリティ対策チェックリスト(令和7年度版) — 医療機関確認用"
        assert log.console_errors == [] and log.page_errors == [] and log.dialogs == []
        assert log.requests == [out.as_uri()]  # self-contained
    finally:
        page.close()


def test_pdf_holds_the_title_and_answers(demo_history):
    out = demo_history.parent / "checklist.pdf"
    r = run("checklist", "--year", "2024", "--sheet", "hospital", "-o", str(out), "--history", str(demo_history),
            "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines()[-1] == (f"{out}: wrote the FY2024 checklist, hospital sheet (scan #1; はい 0, "
                                         "いいえ 7, blank 6)")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Cybersecurity checklist for medical institutions, FY2024 (Reiwa 6) edition" in text
    assert text.count("いいえ") >= 5


def test_vendor_sheet_is_marked_incomplete(demo_history, tmp_path):
    out = tmp_path / "v.xlsx"
    r = run("checklist", "--year", "2024", "--sheet", "vendor", "-o", str(out), "--history", str(demo_history),
            "--lang", "en")
    assert r.returncode == 0, r.stderr
    ws = load_workbook(out)["事業者確認用"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert "(number unverified)" in values
    assert ("医療機関に製造業者/サービス事業者による医療情報セキュリティ開示書(MDS/SDS)を提出した\n"
            "The MDS/SDS disclosure sheet was submitted to the medical institution") in values
    assert any(str(v).startswith("[unverified] Only one item of the 事業者確認用 sheet is known") for v in values)


@pytest.mark.parametrize("args, message", [
    (("--year", "2023", "--sheet", "hospital"),
     "sansho: error: --year: 2023 is not an edition sansho has (2024, 2025) / "
     "チェックリストの年度は 2024 か 2025 を指定してください"),
    (("--year", "2025", "--sheet", "pharmacy"),
     "sansho: error: --sheet: 'pharmacy' is not a sheet (hospital or vendor) / "
     "シートは hospital(医療機関確認用)か vendor(事業者確認用)を指定してください"),
    (("--year", "R7", "--sheet", "hospital"),
     "sansho: error: Invalid value for '--year': Input should be a valid integer, unable to parse string as an "
     "integer (see `sansho checklist --help`)"),
])
def test_bad_year_or_sheet_is_one_line_exit_2(args, message, demo_history, tmp_path):
    r = run("checklist", *args, "-o", str(tmp_path / "c.xlsx"), "--history", str(demo_history))
    assert r.returncode == 2
    assert r.stderr == message + "\n"
    assert not (tmp_path / "c.xlsx").exists()


def test_no_history_is_one_clear_line_exit_2(tmp_path):
    r = run("checklist", "--year", "2025", "--sheet", "hospital", "-o", "c.xlsx", "--history", "h.db", cwd=tmp_path)
    assert (r.returncode, r.stderr) == (2, "sansho: error: h.db: no scan history there yet (record one with "
                                           "`sansho scan --save`) / 履歴がまだありません\n")
    assert not (tmp_path / "h.db").exists()
    open_store(str(tmp_path / "h.db")).close()  # a store with no scan in it
    r = run("checklist", "--year", "2025", "--sheet", "hospital", "-o", "c.xlsx", "--history", "h.db", cwd=tmp_path)
    assert (r.returncode, r.stderr) == (2, "sansho: error: h.db: no saved scan (run `sansho scan --save` first) / "
                                           "記録された点検結果がありません\n")
    assert not (tmp_path / "c.xlsx").exists()
