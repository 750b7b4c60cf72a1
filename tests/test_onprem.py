"""On-prem registers: `sansho collect onprem` and `sansho init`.

The two fixture folders are judged end to end and their FAILs are written out literally: a
change in a reader, a normalizer or a rule that moves a verdict must show up here.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
from pathlib import Path

import pytest

from sansho.collectors.onprem import collect
from sansho.collectors.onprem.normalize import reachability
from sansho.collectors.onprem.rows import FlowRow
from sansho.collectors.onprem.templates import write_templates
from sansho.policies.catalog import load_catalog
from sansho.policies.engine.core import Engine
from sansho.policies.errors import InputError
from sansho.policies.inventory import dump_inventory, load_inventory

from .support.cli import run

FIXTURES = Path(__file__).parent / "fixtures" / "onprem"
TODAY = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def engine():
    return Engine(load_catalog())


def fails(engine, resources) -> set[tuple[str, str]]:
    result = engine.scan(resources, today=TODAY)
    return {(f.control_id, f.resource.id) for f in result.findings if f.status == "FAIL"}


def errors_of(directory: Path, lang: str = "en") -> list[str]:
    with pytest.raises(InputError) as e:
        collect(directory, lang=lang)
    return str(e.value).splitlines()


def write(directory: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    p = directory / name
    p.write_bytes(text.encode(encoding))
    return p


# --- the fixtures -------------------------------------------------------------------------


CLINIC_FAILS = {
    ("SAN-BKP-001", "onprem:backup:karte-nas"),      # 2 generations
    ("SAN-BKP-007", "onprem:backup:karte-nas"),      # online only: one method
    ("SAN-BKP-010", "onprem:backup:karte-nas"),      # no WORM or offline copy
    ("SAN-ENC-008", "onprem:device:uketsuke-pc"),    # reception PC not encrypted
    ("SAN-IAM-003", "onprem:account:incho"),         # no MFA
    ("SAN-IAM-003", "onprem:account:uketsuke"),
    ("SAN-IAM-009", "onprem:device:router"),         # factory-default password
    ("SAN-IAM-010", "onprem:account:uketsuke"),      # shared reception login
    ("SAN-MAL-003", "onprem:device:karte-sv"),       # patched 2026-05-12
    ("SAN-NET-007", "onprem:segment:karte"),         # waiting-room Wi-Fi prints to the EHR VLAN
    ("SAN-PHY-001", "onprem:site:honin"),            # key only, no entry log
    ("SAN-PHY-002", "onprem:site:honin"),            # no cameras
}

HOSPITAL_FAILS = {
    # backups
    ("SAN-BKP-001", "onprem:backup:rece"),
    ("SAN-BKP-004", "onprem:backup:pacs"),           # restore last tested 2025-08-01
    ("SAN-BKP-007", "onprem:backup:rece"),
    ("SAN-BKP-010", "onprem:backup:rece"),
    ("SAN-LOC-002", "onprem:backup:fileserver"),     # a copy in a US cloud region
    # devices
    ("SAN-ENC-008", "onprem:device:LT-01"),
    ("SAN-IAM-009", "onprem:device:CT-01"),
    ("SAN-IAM-009", "onprem:device:AP-BUNIN-01"),
    ("SAN-LOC-003", "onprem:device:RAD-RW-01"),      # remote-reading terminal in the US
    ("SAN-MAL-002", "onprem:device:PACS-SV-01"),     # signatures 22 days old
    ("SAN-MAL-002", "onprem:device:CT-01"),
    ("SAN-MAL-002", "onprem:device:LTO-01"),
    ("SAN-MAL-003", "onprem:device:RIS-SV-01"),
    ("SAN-MAL-003", "onprem:device:CT-01"),
    ("SAN-MAL-003", "onprem:device:LTO-01"),
    ("SAN-REC-002", "onprem:device:WS-BUNIN-01"),    # ntp_source local
    ("SAN-PHY-006", "onprem:device:LT-01"),          # USB storage not restricted
    ("SAN-BKP-011", "onprem:device:PACS-SV-01"),     # no UPS
    ("SAN-NET-010", "onprem:device:AP-BUNIN-01"),    # no source restriction on the branch AP
    ("SAN-OPS-009", "onprem:device:IOT-CAM-01"),     # IoT camera on the patients' Wi-Fi
    # accounts
    ("SAN-IAM-003", "onprem:account:dr-suzuki"),
    ("SAN-IAM-003", "onprem:account:ns-3f-shared"),
    ("SAN-IAM-003", "onprem:account:pacs-vendor"),
    ("SAN-IAM-003", "onprem:account:ns-tanaka"),     # password + PIN: two steps, not two factors
    ("SAN-IAM-013", "onprem:account:dr-suzuki"),     # left on 2026-10-31, account still there
    ("SAN-IAM-007", "onprem:account:pacs-vendor"),   # no expiry
    ("SAN-IAM-007", "onprem:account:ehr-vendor-old"),  # used after expiry
    ("SAN-IAM-008", "onprem:account:emergency-01"),  # not changed after break-glass use
    ("SAN-IAM-010", "onprem:account:ns-3f-shared"),
    ("SAN-IAM-011", "onprem:account:pacs-vendor"),   # the vendor's maintenance account holds admin rights
    # network: BYOD → branch EHR → main EHR → PACS; internet → password maintenance line → PACS
    ("SAN-NET-007", "onprem:segment:vlan10"),
    ("SAN-NET-007", "onprem:segment:vlan20"),
    ("SAN-NET-007", "onprem:segment:vlan40"),
    ("SAN-NET-009", "onprem:segment:maint-pacs"),
    ("SAN-NET-010", "onprem:segment:maint-pacs"),    # maintenance line open to any source
    # sites
    ("SAN-PHY-001", "onprem:site:bunin"),
    ("SAN-PHY-002", "onprem:site:bunin"),
    ("SAN-PHY-003", "onprem:site:shoko"),
    # vendors
    ("SAN-JUR-001", "vendor:contract:ai-dokuei"),
    ("SAN-JUR-002", "vendor:contract:ai-dokuei"),
    ("SAN-LOC-005", "vendor:contract:ai-dokuei"),
    ("SAN-LOC-005", "vendor:contract:it-hoshu"),     # holds medical data, contract names no storage country
    ("SAN-VEN-001", "vendor:contract:mediscan"),     # SOC2 expired, audit older than a year
    ("SAN-VEN-001", "vendor:contract:it-hoshu"),     # no certification, external_audit: none
    ("SAN-VEN-002", "vendor:contract:ai-dokuei"),
    ("SAN-VEN-002", "vendor:contract:it-hoshu"),
    ("SAN-VEN-004", "vendor:contract:mediscan"),
    ("SAN-VEN-012", "vendor:contract:mediscan"),     # the vendor may access stored records at any time
    ("SAN-VEN-013", "vendor:contract:mediscan"),     # no complaints desk
    ("SAN-VEN-005", "vendor:contract:ai-dokuei"),
    ("SAN-VEN-006", "vendor:contract:ai-dokuei"),
    ("SAN-VEN-007", "vendor:contract:ai-dokuei"),
    ("SAN-VEN-010", "vendor:contract:cloudkarte"),   # ISMS expires 2026-12-15
    # attestations
    ("SAN-LOG-005", "onprem:attestation:SAN-LOG-005"),  # expired
    ("SAN-OPS-003", "onprem:attestation:SAN-OPS-003"),  # partial
    ("SAN-PHY-005", "onprem:attestation:SAN-PHY-005"),  # no
    ("SAN-OPS-008", "onprem:attestation:SAN-OPS-008"),  # no audit officer yet
    ("SAN-VEN-009", "attestation:SAN-VEN-009"),         # missing
}


def test_clinic_fixture_exact_fails(engine):
    resources = collect(FIXTURES / "clinic")
    assert len(resources) == 9
    assert fails(engine, resources) == CLINIC_FAILS


def test_hospital_fixture_exact_fails(engine):
    resources = collect(FIXTURES / "hospital")
    assert len(resources) == 79
    assert fails(engine, resources) == HOSPITAL_FAILS


def test_hospital_expired_attestation_says_expired(engine):
    result = engine.scan(collect(FIXTURES / "hospital"), today=TODAY)
    (f,) = [f for f in result.findings if f.control_id == "SAN-LOG-005"]
    assert f.status == "FAIL" and "expired" in f.message_en


def test_clinic_is_excel_csv_with_bom_and_japanese_survives():
    for p in (FIXTURES / "clinic").glob("*.csv"):
        assert p.read_bytes().startswith(codecs.BOM_UTF8), p
    resources = collect(FIXTURES / "clinic")
    by_id = {r.id: r for r in resources}
    site = by_id["onprem:site:honin"]
    assert site.name == "やまびこ内科クリニック 診察室奥サーバラック"
    assert site.prefecture == "長野県"
    assert site.source.file == "sites.csv" and site.source.line == 2
    # every resource says where it came from
    assert all(r.source.type == "inventory" and r.source.file and r.source.line for r in resources)
    # the country of a device comes from its site
    assert by_id["onprem:device:karte-sv"].country == "JP"
    assert by_id["onprem:device:karte-sv"].site == "onprem:site:honin"


def test_inventory_round_trip_keeps_japanese(tmp_path):
    resources = collect(FIXTURES / "hospital")
    out = tmp_path / "inventory.json"
    out.write_text(dump_inventory(resources), encoding="utf-8")
    back = load_inventory(out).resources
    assert [r.model_dump() for r in back] == [r.model_dump() for r in resources]
    names = {r.id: r.name for r in back}
    assert names["onprem:account:ns-3f-shared"] == "3階病棟 共用ログイン"


def test_hospital_values_are_normalized():
    by_id = {r.id: r for r in collect(FIXTURES / "hospital")}
    seg = by_id["onprem:segment:vlan10"]
    assert seg.reachable_from == ["administrative", "byod", "medical", "remote_access"]
    assert by_id["onprem:segment:maint-pacs"].remote_auth_method == "password"
    em = by_id["onprem:account:emergency-02"]
    assert em.purpose == "break_glass" and em.expires == "never"  # "emergency" is an alias
    assert by_id["onprem:account:svc-hl7"].console_access is False
    v = by_id["vendor:contract:mediscan"]
    assert [c.scheme for c in v.certifications] == ["SOC2", "PRIVACY_MARK"]
    assert v.certifications[1].registration_id == "10000000(01)"
    assert v.subcontractors == []
    assert by_id["vendor:contract:it-hoshu"].external_audit == "none"
    assert by_id["vendor:contract:cloudkarte"].responsibility_overrides == {
        "SAN-NET-006": "provider", "SAN-BKP-001": "provider"}
    b = by_id["onprem:backup:fileserver"]
    assert [(d.target, d.country) for d in b.destinations] == [
        ("分院 NAS", "JP"), ("海外クラウドストレージ(米国リージョン)", "US")]
    assert by_id["onprem:backup:rece"].methods == ["online"]


# --- "not read" is never a passing default ---------------------------------------------


def test_empty_cells_are_not_read(tmp_path):
    write(tmp_path, "devices.csv", "id,name,antimalware,disk_encrypted,last_patched\nd1,,,,\n")
    (d,) = collect(tmp_path)
    assert d.antimalware is None and d.disk_encrypted is None and d.last_patched is None and d.name is None
    assert d.country is None


def test_missing_flows_leaves_reachability_unread(tmp_path):
    write(tmp_path, "networks.csv", "id,zone\nv1,medical\n")
    (s,) = collect(tmp_path)
    assert s.reachable_from is None


@pytest.mark.parametrize("word,value", [
    ("true", True), ("FALSE", False), ("yes", True), ("No", False), ("はい", True), ("いいえ", False),
    ("1", True), ("0", False),
])
def test_boolean_words(tmp_path, word, value):
    write(tmp_path, "sites.csv", f"id,cameras\ns1,{word}\n")
    (s,) = collect(tmp_path)
    assert s.cameras is value


def test_sign_in_factors_and_leavers_are_read(tmp_path):
    write(tmp_path, "accounts.csv",
          "id,interactive_login,auth_factors,left_on\n"
          "a1,はい,パスワード;職員証,2026-09-30\n"
          "a2,はい,PIN; 静脈,\n"
          "a3,はい,なし,\n"
          "a4,はい,,\n")
    a1, a2, a3, a4 = collect(tmp_path)
    assert (a1.auth_factors, a1.left_on) == (["password", "ic_card"], dt.date(2026, 9, 30))
    assert a2.auth_factors == ["pin", "biometric"]
    assert a3.auth_factors == []                  # read: nothing is presented
    assert a4.auth_factors is None and a4.left_on is None  # not recorded


def test_new_device_fields_and_iot_segment_reference(tmp_path):
    write(tmp_path, "devices.csv",
          "id,device_type,usb_storage_restricted,source_restricted,owner,network_segment,backup_power\n"
          "cam,IoT機器,,,施設管理課,vlan90,\n"
          "ws,pc,はい,,,,いいえ\n")
    cam, ws = collect(tmp_path)
    assert (cam.device_type, cam.owner, cam.network_segment) == ("iot", "施設管理課", "onprem:segment:vlan90")
    assert (ws.device_type, ws.usb_storage_restricted, ws.backup_power, ws.source_restricted) == (
        "workstation", True, False, None)


def test_new_fields_of_the_wrong_type_are_one_line_each(tmp_path):
    write(tmp_path, "accounts.yaml", "- id: a1\n  auth_factors: [password, palm]\n  left_on: last week\n")
    write(tmp_path, "devices.csv", "id,usb_storage_restricted,backup_power\nd1,sometimes,2\n")
    write(tmp_path, "networks.csv", "id,zone,source_restricted\nm1,maintenance,vpn\n")
    acc, dev, net = (str(tmp_path / n) for n in ("accounts.yaml", "devices.csv", "networks.csv"))
    lines = errors_of(tmp_path)
    assert lines == [
        f"{acc}:2: field 'auth_factors': 'palm' is not one of: password, pin, ic_card, security_key, otp_token, "
        "otp_app, sms, push, certificate, biometric",
        f"{acc}:3: field 'left_on': not a date in ISO 8601 form YYYY-MM-DD: 'last week'",
        f"{dev}:2: field 'backup_power': not a yes/no value: '2' (use true/false, yes/no, はい/いいえ or 1/0)",
        f"{dev}:2: field 'usb_storage_restricted': not a yes/no value: 'sometimes' (use true/false, yes/no, はい/いいえ or 1/0)",
        f"{net}:2: field 'source_restricted': not a yes/no value: 'vpn' (use true/false, yes/no, はい/いいえ or 1/0)",
    ]


def test_cli_collect_new_field_error_exits_2(tmp_path):
    write(tmp_path / "reg", "accounts.csv", "id,auth_factors\na1,password;hunch\n")
    proc = run("collect", "onprem", str(tmp_path / "reg"), "--lang", "en", "-o", str(tmp_path / "inv.json"))
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].endswith(
        "accounts.csv:2: field 'auth_factors': 'hunch' is not one of: password, pin, ic_card, security_key, "
        "otp_token, otp_app, sms, push, certificate, biometric")


# --- errors -------------------------------------------------------------------------------


def test_bad_date_bad_boolean_unknown_column_all_reported_together(tmp_path):
    write(tmp_path, "devices.csv",
          "id,last_patched,antimalware,colour\n"
          "d1,2026/10/01,maybe,red\n"
          "d2,2026-02-30,yes,\n"
          "d3,2026-10-01T09:00:00,はい,\n")
    lines = errors_of(tmp_path)
    file = str(tmp_path / "devices.csv")
    assert lines[0] == (f"{file}:1: field 'colour': unknown column/key; known ones are: id, name, device_type, site, "
                        "country, os, last_patched, antimalware, signatures_updated, disk_encrypted, ntp_source, "
                        "default_password_changed, holds_medical_data, usb_storage_restricted, source_restricted, owner, "
                        "network_segment, backup_power")
    assert lines[1].startswith(f"{file}:2: field 'antimalware': not a yes/no value: 'maybe'")
    assert lines[2].startswith(f"{file}:2: field 'last_patched': not a date in ISO 8601 form YYYY-MM-DD: '2026/10/01'")
    assert lines[3] == f"{file}:3: field 'last_patched': not a date in ISO 8601 form YYYY-MM-DD: '2026-02-30'"
    assert lines[4].startswith(f"{file}:4: field 'last_patched': expected a date YYYY-MM-DD, not a date and time")
    assert len(lines) == 5


def test_messages_in_japanese(tmp_path):
    write(tmp_path, "sites.csv", "id,cameras,country\ns1,たぶん,Japan\n")
    lines = errors_of(tmp_path, lang="ja")
    file = str(tmp_path / "sites.csv")
    assert lines == [
        f"{file}:2: 項目 'cameras': 真偽値(はい/いいえ)として読めません: 'たぶん'(true/false、yes/no、はい/いいえ、1/0 のいずれか)",
        f"{file}:2: 項目 'country': ISO 3166 の2文字の国コードではありません: 'Japan'(例: JP)",
    ]


def test_errors_of_all_files_are_collected(tmp_path):
    write(tmp_path, "sites.csv", "id,cameras\ns1,maybe\n")
    write(tmp_path, "accounts.yaml", "- id: a1\n  type: admin\n  last_used: yesterday\n")
    lines = errors_of(tmp_path)
    assert any("sites.csv:2: field 'cameras'" in x for x in lines)
    assert any("accounts.yaml:2: field 'type': 'admin' is not one of: user, maintenance, break_glass, service" in x
               for x in lines)
    assert any("accounts.yaml:3: field 'last_used': not a date in ISO 8601 form YYYY-MM-DD or the word 'never'" in x
               for x in lines)


def test_missing_required_id_column(tmp_path):
    write(tmp_path, "devices.csv", "name,os\nサーバ,Linux\n")
    lines = errors_of(tmp_path)
    assert lines == [f"{tmp_path / 'devices.csv'}:1: field 'id': required column 'id' is missing from the header"]


def test_empty_id_and_duplicate_id(tmp_path):
    write(tmp_path, "devices.csv", "id,name\n,a\nd1,b\nd1,c\n")
    lines = errors_of(tmp_path)
    f = tmp_path / "devices.csv"
    assert lines == [f"{f}:2: field 'id': is required and is empty or missing",
                     f"{f}:4: field 'id': id 'd1' is already used at line 3"]


def test_unknown_control_ids(tmp_path):
    write(tmp_path, "attestations.csv", "control_id,answer\nSAN-OPS-001,yes\nSAN-NET-007,yes\nSAN-OPS-999,no\n")
    write(tmp_path, "vendors.yaml",
          "- id: v1\n  responsibility_overrides:\n    SAN-NET-006: provider\n    SAN-XYZ-001: customer\n"
          "    SAN-MAL-002: everyone\n")
    lines = errors_of(tmp_path)
    a = tmp_path / "attestations.csv"
    v = tmp_path / "vendors.yaml"
    assert lines == [
        f"{a}:3: field 'control_id': 'SAN-NET-007' is judged automatically (check: automated); attestations are "
        "only for controls with check: attestation",
        f"{a}:4: field 'control_id': unknown control ID 'SAN-OPS-999' (see `sansho controls`)",
        f"{v}:4: field 'responsibility_overrides.SAN-XYZ-001': unknown control ID 'SAN-XYZ-001' (see `sansho controls`)",
        f"{v}:5: field 'responsibility_overrides.SAN-MAL-002': 'everyone' is not one of: provider, customer, shared",
    ]


def test_yaml_nested_errors_point_at_their_line(tmp_path):
    write(tmp_path, "vendors.yaml",
          "- id: v1\n"
          "  certifications:\n"
          "    - scheme: ISMAP\n"
          "      expires: 2027-13-01\n"
          "    - scheme: ISO9001\n"
          "  clauses:\n"
          "    patient_notice: sure\n"
          "    secret_clause: yes\n"
          "  external_audit: maybe\n"
          "  country: NO\n")
    lines = errors_of(tmp_path)
    v = tmp_path / "vendors.yaml"
    assert lines[0] == f"{v}:4: field 'certifications[1].expires': not a date in ISO 8601 form YYYY-MM-DD: '2027-13-01'"
    assert lines[1].startswith(f"{v}:5: field 'certifications[2].scheme': 'ISO9001' is not one of: ISMAP,")
    assert lines[2].startswith(f"{v}:7: field 'clauses.patient_notice': not a yes/no value: 'sure'")
    assert lines[3].startswith(f"{v}:8: field 'clauses.secret_clause': unknown column/key")
    assert lines[4].startswith(f"{v}:9: field 'external_audit': expected auditor_qualification and date, or 'none'")
    assert lines[5].startswith(f"{v}:10: field 'country': YAML read this as False; put the value in quotes")


def test_malformed_yaml_and_wrong_shape(tmp_path):
    write(tmp_path, "sites.yaml", "- id: s1\n  name: [unclosed\n")
    write(tmp_path, "devices.yaml", "id: d1\nname: not a list\n")
    lines = errors_of(tmp_path)
    assert any(x.startswith(f"{tmp_path / 'sites.yaml'}:") and "malformed YAML" in x for x in lines)
    assert any(x.startswith(f"{tmp_path / 'devices.yaml'}:1: the file must be a YAML list") for x in lines)


def test_unknown_files_are_reported_and_readme_ignored(tmp_path):
    write(tmp_path, "README.md", "# 台帳\n")
    write(tmp_path, "notes.txt", "memo\n")
    write(tmp_path, "sites.csv", "id\ns1\n")
    write(tmp_path, "device.csv", "id\nd1\n")
    write(tmp_path, "backups.xlsx", "not really a workbook")
    lines = errors_of(tmp_path)
    assert len(lines) == 2
    assert lines[0].startswith(f"{tmp_path / 'backups.xlsx'}: Excel workbooks are not read")
    assert lines[1].startswith(f"{tmp_path / 'device.csv'}: unknown file in the register folder: did you mean devices.csv?")


def test_register_with_wrong_extension(tmp_path):
    write(tmp_path, "vendors.json", "[]")
    write(tmp_path, "inventory.json", "{}")  # e.g. an inventory written earlier: ignored
    (line,) = errors_of(tmp_path)
    assert line == f"{tmp_path / 'vendors.json'}: a register file must be vendors.yaml, vendors.yml or vendors.csv"


def test_two_files_for_one_register(tmp_path):
    write(tmp_path, "sites.csv", "id\ns1\n")
    write(tmp_path, "sites.yaml", "- id: s2\n")
    (line,) = errors_of(tmp_path)
    assert "two files for the same register: sites.csv" in line


def test_empty_folder_and_missing_folder(tmp_path):
    (line,) = errors_of(tmp_path)
    assert "no register files found" in line
    (line,) = errors_of(tmp_path / "nope")
    assert "not a folder of register files" in line


def test_cross_references(tmp_path):
    write(tmp_path, "sites.csv", "id,country\nmain,JP\n")
    write(tmp_path, "devices.csv", "id,site\nd1,main\nd2,annex\n")
    write(tmp_path, "networks.csv", "id,zone\nv1,medical\n")
    write(tmp_path, "flows.csv", "from,to\nguest,v1\nv9,v1\ncafe,medical\n")
    lines = errors_of(tmp_path)
    assert lines == [
        f"{tmp_path / 'devices.csv'}:3: field 'site': unknown site 'annex'; sites.* has: main",
        f"{tmp_path / 'flows.csv'}:3: field 'from': 'v9' is neither a zone (medical, administrative, guest, byod, "
        "internet, remote_access, maintenance, dmz, other) nor a segment id in networks.*",
        f"{tmp_path / 'flows.csv'}:4: field 'from': 'cafe' is neither a zone (medical, administrative, guest, byod, "
        "internet, remote_access, maintenance, dmz, other) nor a segment id in networks.*",
    ]


def test_backup_countries_must_match_locations(tmp_path):
    write(tmp_path, "backups.csv", "id,location,country\nb1,A;B;C,JP;US\n")
    (line,) = errors_of(tmp_path)
    assert "field 'country': 2 countries for 3 locations" in line


# --- reachability -----------------------------------------------------------------------


def _flows(*pairs):
    return [FlowRow.model_validate({"from": a, "to": b}) for a, b in pairs]


def test_reachability_is_transitive_and_stops_at_authenticating_gateways():
    segments = {
        "ehr": ("medical", None), "pacs": ("medical", None), "wifi": ("guest", None),
        "vpn": ("remote_access", "mfa"), "maint": ("maintenance", "password"), "dmz": ("dmz", None),
    }
    reach = reachability(segments, _flows(
        ("internet", "vpn"), ("vpn", "ehr"),        # MFA gateway: the internet stops there
        ("internet", "maint"), ("maint", "pacs"),   # password: the internet goes through
        ("internet", "dmz"), ("dmz", "wifi"), ("guest", "administrative"),
    ))
    assert reach["ehr"] == ["medical", "remote_access"]
    assert reach["pacs"] == ["internet", "maintenance", "medical"]
    assert reach["wifi"] == ["dmz", "guest", "internet"]
    assert reach["vpn"] == ["internet", "remote_access"]
    # segments of one zone do not reach each other unless a flow says so
    assert "guest" not in reach["ehr"]


# --- encodings --------------------------------------------------------------------------


SITES_JA = "id,name,prefecture,cameras\ns1,髙橋記念病院 サーバ室,東京都,はい\n"


@pytest.mark.parametrize("encoding,text", [
    ("utf-8", SITES_JA),
    ("utf-8-sig", SITES_JA.replace("\n", "\r\n")),                     # Excel "CSV UTF-8"
    ("utf-16", SITES_JA.replace(",", "\t").replace("\n", "\r\n")),      # Excel "Unicode text" (BOM, tabs)
    ("cp932", SITES_JA.replace("\n", "\r\n")),                          # Excel "CSV" on Japanese Windows
])
def test_excel_encodings(tmp_path, encoding, text):
    write(tmp_path, "sites.csv", text, encoding)
    (s,) = collect(tmp_path)
    assert s.name == "髙橋記念病院 サーバ室" and s.prefecture == "東京都" and s.cameras is True


def test_undecodable_file_names_the_encodings(tmp_path):
    (tmp_path / "sites.csv").write_bytes(b"id,name\ns1,\x82\xff\x80\n")
    (line,) = errors_of(tmp_path)
    assert line.startswith(f"{tmp_path / 'sites.csv'}: cannot decode the file: it is not UTF-8")
    assert "Shift_JIS (CP932)" in line


def test_bom_yaml_and_quoted_multiline_csv_lines(tmp_path):
    write(tmp_path, "sites.yaml", "- id: s1\n  name: 本院\n", "utf-8-sig")
    write(tmp_path, "devices.csv", 'id,name,antimalware\nd1,"二行の\n名前",yes\nd2,x,bad\n')
    lines = errors_of(tmp_path)
    assert lines == [f"{tmp_path / 'devices.csv'}:4: field 'antimalware': not a yes/no value: 'bad' "
                     "(use true/false, yes/no, はい/いいえ or 1/0)"]


# --- vendors as CSV -----------------------------------------------------------------------


def test_vendor_csv_flattened_layout(tmp_path):
    write(tmp_path, "vendors.csv",
          "id,service_model,certifications,external_audit,external_audit.auditor_qualification,external_audit.date,"
          "clauses.patient_notice,subcontractors,responsibility_overrides,storage_countries\n"
          "v1,SaaS,ISMAP:C-0123:2027-03-31;SOC 2::2026-12-31,,CISA,2026-01-10,はい,DC社:yes;保守会社,"
          "SAN-NET-006=provider,JP\n"
          "v2,iaas,none,none,,,,none,,none\n", "utf-8-sig")
    v1, v2 = collect(tmp_path)
    assert v1.service_model == "saas"
    assert [(c.scheme, c.registration_id, c.expires) for c in v1.certifications] == [
        ("ISMAP", "C-0123", dt.date(2027, 3, 31)), ("SOC2", None, dt.date(2026, 12, 31))]
    assert v1.external_audit.auditor_qualification == "CISA" and v1.external_audit.date == dt.date(2026, 1, 10)
    assert v1.clauses.patient_notice is True and v1.clauses.periodic_reporting is None
    assert [(s.name, s.reports_to_contractor) for s in v1.subcontractors] == [("DC社", True), ("保守会社", None)]
    assert v1.responsibility_overrides == {"SAN-NET-006": "provider"}
    assert v2.certifications == [] and v2.external_audit == "none" and v2.subcontractors == []
    assert v2.storage_countries == [] and v2.clauses is None


def test_vendor_csv_bad_cells(tmp_path):
    write(tmp_path, "vendors.csv",
          "id,certifications,external_audit,external_audit.date,responsibility_overrides,clauses.bogus\n"
          "v1,ISMAP-2027,none,2026-01-01,SAN-NET-006,\n")
    lines = errors_of(tmp_path)
    f = tmp_path / "vendors.csv"
    assert lines[0].startswith(f"{f}:1: field 'clauses.bogus': unknown column/key")
    assert lines[1].startswith(f"{f}:2: field 'certifications': certification 'ISMAP-2027' is not SCHEME:REGISTRATION_ID")
    assert lines[2].startswith(f"{f}:2: field 'external_audit': external_audit is 'none' but external_audit.* columns")
    assert lines[3].startswith(f"{f}:2: field 'responsibility_overrides': override 'SAN-NET-006' is not CONTROL_ID=")


# --- templates ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("fmt", ["yaml", "csv"])
def test_templates_round_trip(tmp_path, lang, fmt):
    written = write_templates(tmp_path, lang=lang, fmt=fmt)
    assert {p.name for p in written} == {f"{r}.{fmt}" for r in (
        "sites", "networks", "flows", "devices", "accounts", "backups", "vendors", "attestations")} | {"README.md"}
    resources = collect(tmp_path, lang=lang)
    kinds = {r.kind for r in resources}
    assert kinds == {"site.facility", "network.segment", "device.host", "identity.user", "backup.plan",
                     "vendor.contract", "attestation"}
    attested = {r.control_id for r in resources if r.kind == "attestation"}
    assert attested == {c.id for c in load_catalog() if c.check == "attestation"}
    if fmt == "csv":
        assert all(p.read_bytes().startswith(codecs.BOM_UTF8) for p in written if p.suffix == ".csv")
    else:
        text = (tmp_path / "devices.yaml").read_text(encoding="utf-8")
        assert ("セキュリティ・パッチの最終適用日" in text) == (lang == "ja")


def test_templates_refuse_to_overwrite(tmp_path):
    write_templates(tmp_path)
    with pytest.raises(InputError, match="--force"):
        write_templates(tmp_path)
    write_templates(tmp_path, force=True)


# --- the command line ---------------------------------------------------------------------


def test_cli_collect_onprem(tmp_path):
    out = tmp_path / "inventory.json"
    r = run("collect", "onprem", str(FIXTURES / "hospital"), "-o", str(out), "--lang", "en")
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip().endswith(f"→ {out}")
    assert "collected 79 resources (site.facility 4, network.segment 9, device.host 22" in r.stderr
    inv = load_inventory(out)
    assert inv.generator == "sansho collect onprem" and len(inv.resources) == 79
    r = run("collect", "onprem", str(FIXTURES / "clinic"))
    assert r.returncode == 0
    assert len(json.loads(r.stdout)["resources"]) == 9
    assert "9 件の資源を収集しました" in r.stderr


def test_cli_collect_errors_every_line_prefixed(tmp_path):
    write(tmp_path, "sites.csv", "id,cameras,colour\ns1,maybe,red\n")
    r = run("collect", "onprem", str(tmp_path), "--lang", "en")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 2 and all(x.startswith("sansho: error: ") for x in lines)
    assert lines[1] == (f"sansho: error: {tmp_path / 'sites.csv'}:2: field 'cameras': not a yes/no value: 'maybe' "
                        "(use true/false, yes/no, はい/いいえ or 1/0)")


def test_cli_init_then_collect_then_scan(tmp_path):
    d = tmp_path / "registers"
    r = run("init", "--lang", "en", str(d))
    assert r.returncode == 0, r.stderr
    assert "wrote 9 templates" in r.stderr
    r = run("init", str(d))
    assert r.returncode == 2 and "--force" in r.stderr and "Traceback" not in r.stderr
    r = run("init", "--force", "--format", "csv", str(tmp_path / "csv"))
    assert r.returncode == 0, r.stderr
    inv = tmp_path / "inv.json"
    for folder in (d, tmp_path / "csv"):
        r = run("collect", "onprem", str(folder), "-o", str(inv))
        assert r.returncode == 0, r.stderr
        r = run("scan", str(inv), "--format", "json", "--as-of", "2026-11-01")
        assert r.returncode in (0, 1), r.stderr
        assert "Traceback" not in r.stderr
