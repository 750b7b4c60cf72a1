"""The provider guideline (METI/MIC): the provider registers, `sansho init --provider`, the SAN-PRV
controls judged from them, and the provider view of the responsibility matrix.

Every verdict and every error line is written out literally: a change in the reader, the rules or
the matrix that moves one must show up here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from sansho.collectors.onprem import collect
from sansho.policies.catalog import load_catalog
from sansho.policies.engine.core import Engine
from sansho.policies.errors import InputError
from sansho.policies.inventory import dump_inventory

from .support.cli import run

TODAY = dt.date(2026, 11, 1)
PRV = [f"SAN-PRV-{n:03d}" for n in range(1, 11)]

SERVICES_YAML = """\
- サービスID: good
  サービス名: 分院向け電子カルテ
  サービス形態: saas
  基本方針・取扱規程等の提供: はい
  実施体制の提供: はい
  バックアップ状況の提供: はい
  第三者認証:
    - 制度: Pマーク
      有効期限: 2027-03-31
  保存国: [JP]
  国内法適用の確認: はい
  責任分界の合意日: 2026-04-01
  再委託先: []
  評価日: 2026-06-30
  評価者: 第三者機関
  評価結果の報告: はい
  記名押印の電子署名化: いいえ
- id: bad
  service_model: saas
  disclosed_policies: no
  disclosed_organisation: yes
  disclosed_backup: no
  certifications: []
  storage_countries: [JP, US]
  domestic_law_confirmed: yes
  responsibility_agreed_on: none
  subcontractors:
    - name: Ops-B
      risk_managed: no
  evaluated_on: none
  esignature_replaces_seal: yes
  esignature_certificate: other
- id: blank
"""

RISKS_CSV = """\
id,service,risk,impact,likelihood,level,treatment,owner,reviewed_on
R-1,good,漏えい,4,2,8,低減,CISO,2026-04-01
R-2,good,停止,3,3,9,share,CISO,2025-10-31
R-3,good,改ざん,2,2,4,,CISO,2026-04-01
"""

EXPECTED = {
    "SAN-PRV-001": {"good": "PASS", "bad": "FAIL", "blank": "UNKNOWN"},
    "SAN-PRV-002": {"good": "PASS", "bad": "FAIL", "blank": "UNKNOWN"},
    "SAN-PRV-003": {"good": "PASS", "bad": "FAIL", "blank": "UNKNOWN"},
    "SAN-PRV-004": {"good": "PASS", "bad": "FAIL", "blank": "UNKNOWN"},
    "SAN-PRV-005": {"good": "PASS", "bad": "FAIL", "blank": "UNKNOWN"},
    "SAN-PRV-006": {"good": "PASS", "bad": "FAIL", "blank": "FAIL"},  # the risk register holds none for them
    "SAN-PRV-007": {"R-1": "PASS", "R-2": "FAIL", "R-3": "UNKNOWN"},
    "SAN-PRV-008": {"good": "PASS", "bad": "FAIL", "blank": "UNKNOWN"},
    "SAN-PRV-009": {"good": "PASS", "bad": "FAIL", "blank": "UNKNOWN"},
    "SAN-PRV-010": {"good": "NOT_APPLICABLE", "bad": "FAIL", "blank": "UNKNOWN"},
}


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    p = directory / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def registers(tmp_path) -> Path:
    d = tmp_path / "provider"
    write(d, "provider_services.yaml", SERVICES_YAML)
    write(d, "provider_risks.csv", RISKS_CSV)
    return d


def statuses(resources) -> dict[str, dict[str, str]]:
    catalog = load_catalog()
    result = Engine(catalog).scan(resources, [catalog[c] for c in PRV], today=TODAY)
    out: dict[str, dict[str, str]] = {}
    for f in result.findings:
        out.setdefault(f.control_id, {})[f.resource.id.rsplit(":", 1)[1]] = f.status
    return out


def errors_of(directory: Path, lang: str = "en") -> list[str]:
    with pytest.raises(InputError) as e:
        collect(directory, lang=lang)
    return str(e.value).splitlines()


# --- reading and judging ------------------------------------------------------------------------


def test_registers_in_both_languages_are_judged_exactly(registers):
    resources = collect(registers)
    assert [r.id for r in resources] == [
        "provider:service:good", "provider:service:bad", "provider:service:blank",
        "provider:risk:R-1", "provider:risk:R-2", "provider:risk:R-3"]
    good = resources[0]
    assert good.certifications[0].scheme == "PRIVACY_MARK" and good.evaluator == "third_party"  # Japanese aliases
    assert good.risks == ["provider:risk:R-1", "provider:risk:R-2", "provider:risk:R-3"]
    assert resources[3].treatment == "reduce" and resources[5].treatment is None
    assert statuses(resources) == EXPECTED


def test_without_a_risk_register_the_risks_are_not_read(registers):
    (registers / "provider_risks.csv").unlink()
    resources = collect(registers)
    assert {r.risks for r in resources} == {None}
    assert statuses(resources)["SAN-PRV-006"] == {"good": "UNKNOWN", "bad": "UNKNOWN", "blank": "UNKNOWN"}


def test_messages_name_what_is_missing(registers):
    catalog = load_catalog()
    result = Engine(catalog).scan(collect(registers), [catalog["SAN-PRV-004"], catalog["SAN-PRV-007"]], today=TODAY)
    got = {(f.control_id, f.resource.id): {"en": f.message_en, "ja": f.message_ja} for f in result.findings}
    assert got[("SAN-PRV-004", "provider:service:bad")] == {
        "en": "data is stored outside JP: US", "ja": "医療情報を JP 以外で保存しています: US"}
    assert got[("SAN-PRV-007", "provider:risk:R-2")]["en"] == (
        "last reviewed 366 days ago on 2025-10-31 (limit 365 days)")
    assert got[("SAN-PRV-007", "provider:risk:R-1")]["ja"] == (
        "リスクレベル 8(影響度 4 × 顕在化率 2)、リスク低減、責任者 CISO、見直し日 2026-04-01")


# --- register errors ----------------------------------------------------------------------------


def test_register_errors_name_the_file_and_the_field_as_written(tmp_path):
    d = tmp_path / "bad"
    write(d, "provider_services.csv",
          "サービスID,実施体制の提供,評価日,色\n"
          "s1,maybe,2026/04/01,赤\n")
    write(d, "provider_risks.yaml",
          "- リスクID: R-1\n"
          "  サービスID: s1\n"
          "  影響度: 4\n"
          "  顕在化率: 2\n"
          "  リスクレベル: 9\n"
          "  対応: 軽減\n"
          "- id: R-2\n"
          "  service: nope\n"
          "  impact: 3\n"
          "  likelihood: 2\n"
          "  owner: [a, b]\n"
          "- id: R-3\n"
          "  service: s1\n"
          "  impact: 1\n"
          "  影響度: 1\n")
    p_s, p_r = str(d / "provider_services.csv"), str(d / "provider_risks.yaml")
    assert errors_of(d) == [
        f"{p_r}:5: field 'リスクレベル': level 9 is not impact × likelihood = 4 × 2 = 8",
        f"{p_r}:6: field '対応': '軽減' is not one of: reduce, avoid, share, accept",
        f"{p_r}:11: field 'owner': expected text, got ['a', 'b']; put the value in quotes",
        f"{p_r}:12: field '影響度': column 'impact' is given twice, in English and in Japanese; keep one",
        f"{p_s}:1: field '色': unknown column/key; known ones are: id, name, service_model, holds_medical_data, "
        "disclosed_policies, disclosed_organisation, disclosed_backup, certifications, storage_countries, "
        "domestic_law_confirmed, responsibility_agreed_on, subcontractors, evaluated_on, evaluator, "
        "evaluation_reported, esignature_replaces_seal, esignature_certificate, qualification_verifiable / "
        "サービスID, サービス名, サービス形態, 医療情報を扱う, 基本方針・取扱規程等の提供, 実施体制の提供, "
        "バックアップ状況の提供, 第三者認証, 保存国, 国内法適用の確認, 責任分界の合意日, 再委託先, 評価日, 評価者, "
        "評価結果の報告, 記名押印の電子署名化, 電子証明書, 国家資格の電子的検証",
        f"{p_s}:2: field '実施体制の提供': not a yes/no value: 'maybe' (use true/false, yes/no, はい/いいえ or 1/0)",
        f"{p_s}:2: field '評価日': not a date in ISO 8601 form YYYY-MM-DD: '2026/04/01' (Excel shows dates as "
        "2026/04/01 by default; format the column as yyyy-mm-dd before saving)",
    ]
    # Once provider_services reads cleanly, a risk naming a service it does not hold is an error.
    write(d, "provider_services.csv", "サービスID\ns1\n")
    write(d, "provider_risks.yaml", "- {id: R-1, service: s1}\n- {id: R-2, service: nope}\n")
    assert errors_of(d, "ja") == [f"{p_r}:2: 項目 'service': 未登録のサービス 'nope' です。provider_services.* のサービス: s1"]
    write(d, "provider_risks.yaml", "- {リスクID: R-1, サービスID: nope}\n- {リスクID: R-1, サービスID: s1}\n")
    assert errors_of(d) == [f"{p_r}:1: field 'サービスID': unknown service 'nope'; provider_services.* has: s1",
                            f"{p_r}:2: field 'リスクID': id 'R-1' is already used at line 1"]


def test_a_wrong_type_in_an_inventory_file_is_an_input_error(tmp_path):
    inv = tmp_path / "inv.json"
    inv.write_text(json.dumps({"schema_version": "1.0", "resources": [
        {"id": "r", "kind": "provider.risk", "provider": "vendor", "impact": "4"}]}), encoding="utf-8")
    r = run("scan", str(inv))
    assert r.returncode == 2
    assert r.stderr.startswith(f"sansho: error: {inv}: ") and "impact" in r.stderr
    inv.write_text(json.dumps({"schema_version": "1.0", "resources": [
        {"id": "r", "kind": "provider.risk", "provider": "vendor", "impact": 2, "likelihood": 2, "level": 5}]}),
        encoding="utf-8")
    r = run("scan", str(inv))
    assert r.returncode == 2 and "level 5 is not impact × likelihood = 2 × 2" in r.stderr


def test_cli_exit_code_2_with_one_line_per_problem(tmp_path):
    d = tmp_path / "reg"
    write(d, "provider_risks.csv", "id,service,treatment\nR-1,s,keep\n")
    r = run("collect", "onprem", str(d), "--lang", "ja")
    assert r.returncode == 2
    assert r.stderr == (f"sansho: error: {d / 'provider_risks.csv'}:2: 項目 'treatment': 'keep' は選択肢"
                        "(reduce, avoid, share, accept)のいずれでもありません\n")


# --- sansho init --provider ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("fmt", ["yaml", "csv"])
def test_init_provider_templates_read_back_cleanly(tmp_path, lang, fmt):
    d = tmp_path / "t"
    r = run("init", "--provider", "--lang", lang, "--format", fmt, str(d))
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in d.iterdir()) == ["README.md", f"provider_risks.{fmt}", f"provider_services.{fmt}"]
    header = (d / f"provider_risks.{fmt}").read_text(encoding="utf-8-sig")
    assert ("影響度" in header) == (lang == "ja") and ("impact" in header) == (lang == "en")
    resources = collect(d)
    assert [r.id for r in resources] == ["provider:service:pacs-cloud", "provider:risk:R-001", "provider:risk:R-002"]
    assert statuses(resources) == {
        **{c: {"pacs-cloud": "PASS"} for c in PRV if c not in ("SAN-PRV-007", "SAN-PRV-010")},
        "SAN-PRV-007": {"R-001": "PASS", "R-002": "PASS"},
        "SAN-PRV-010": {"pacs-cloud": "NOT_APPLICABLE"},
    }


def test_init_provider_templates_say_the_same_in_both_languages_and_formats(tmp_path):
    docs = []
    for lang in ("ja", "en"):
        for fmt in ("yaml", "csv"):
            d = tmp_path / f"{lang}-{fmt}"
            assert run("init", "--provider", "--lang", lang, "--format", fmt, str(d)).returncode == 0
            doc = json.loads(dump_inventory(collect(d)))["resources"]
            for res in doc:
                res.pop("source")
                res.pop("name", None)
                for key in ("risk", "owner"):
                    res.pop(key, None)
                for sub in res.get("subcontractors") or []:
                    sub.pop("name")
            docs.append(doc)
    assert docs[0] == docs[1] == docs[2] == docs[3]


def test_plain_init_writes_no_provider_register(tmp_path):
    d = tmp_path / "h"
    assert run("init", str(d)).returncode == 0
    assert not any(p.name.startswith("provider_") for p in d.iterdir())


# --- the provider view --------------------------------------------------------------------------


def test_provider_view_lists_the_providers_controls_with_their_results(registers, tmp_path):
    inv = tmp_path / "provider.json"
    assert run("collect", "onprem", str(registers), "-o", str(inv)).returncode == 0
    db = tmp_path / "h.db"
    r = run("scan", str(inv), "--history", str(db), "--save", "--as-of", TODAY.isoformat())
    assert r.returncode == 1, r.stderr  # high-severity FAILs
    out = tmp_path / "view.csv"
    r = run("matrix", "--model", "saas", "--view", "provider", "--history", str(db), "-o", str(out), "--lang", "en")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    catalog = load_catalog()
    assert [row["Control ID"] for row in rows] == [
        c.id for c in catalog if c.responsibility.saas in ("provider", "shared")]
    assert {row["Responsible (Hospital/Provider/Shared)"] for row in rows} == {"Provider", "Shared"}
    got = {row["Control ID"]: (row["Status"], row["FAIL"], row["UNKNOWN"], row["PASS"], row["Gap"])
           for row in rows if row["Control ID"].startswith("SAN-PRV")}
    failing = "the owner has FAIL/UNKNOWN findings"
    assert got == {
        "SAN-PRV-001": ("FAIL", "1", "1", "1", failing),
        "SAN-PRV-002": ("FAIL", "1", "1", "1", failing),
        "SAN-PRV-003": ("FAIL", "1", "1", "1", failing),
        "SAN-PRV-004": ("FAIL", "1", "1", "1", failing),
        "SAN-PRV-005": ("FAIL", "1", "1", "1", failing),
        "SAN-PRV-006": ("FAIL", "2", "0", "1", failing),
        "SAN-PRV-007": ("FAIL", "1", "1", "1", failing),
        "SAN-PRV-008": ("FAIL", "1", "1", "1", failing),
        "SAN-PRV-009": ("FAIL", "1", "1", "1", failing),
        "SAN-PRV-010": ("FAIL", "1", "1", "0", failing),
    }
    # A control the catalog puts on the hospital is not in the provider's view; nothing is "unowned".
    assert "SAN-VEN-001" not in {row["Control ID"] for row in rows}
    assert not any("nobody owns it" in row["Gap"] for row in rows)
    # The hospital's view of the same scan keeps every control.
    full = tmp_path / "all.csv"
    assert run("matrix", "--model", "saas", "--history", str(db), "-o", str(full)).returncode == 0
    assert len(list(csv.DictReader(io.StringIO(full.read_text(encoding="utf-8-sig"))))) == len(catalog)


def test_provider_view_heading(registers, tmp_path):
    from sansho.reports import matrix as mx

    m = mx.build(load_catalog(), "iaas", None, view="provider")
    assert mx.title(m, "ja") == "事業者が責任を負う管理策(IAAS)"
    assert mx.summary_lines(m, "en")[0] == ("View", "provider view (controls owned by the provider or shared)")
    with pytest.raises(InputError, match="--view: 'hospital' is not one of all, provider"):
        mx.build(load_catalog(), "saas", None, view="hospital")
