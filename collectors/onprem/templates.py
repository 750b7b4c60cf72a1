"""``sansho init``: starter templates for every register, commented in Japanese or English.

``fmt="yaml"`` writes one commented YAML file per register; ``fmt="csv"`` writes one CSV per
register (UTF-8 with a BOM and CRLF line ends, as Excel writes "CSV UTF-8"), the vendor register
in its flattened layout. Either way a README.md explains the folder, and the templates as
written (their example values) collect without error: that is tested.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sansho.policies.errors import InputError

from .rows import REGISTERS

D = dt.date


@dataclass
class F:
    """A key of a template: its example value(s) and the comment in each language."""

    key: str
    ja: Any
    en: Any = "same"
    cja: str = ""
    cen: str = ""
    children: list[F] = field(default_factory=list)  # a nested mapping (vendors)
    items: list[list[F]] = field(default_factory=list)  # a list of mappings (vendors)

    def value(self, lang: str) -> Any:
        v = self.en if lang == "en" and self.en != "same" else self.ja
        return v.word(lang) if isinstance(v, Flag) else v

    def comment(self, lang: str) -> str:
        return self.cja if lang == "ja" else self.cen


class Flag:
    """A boolean example: written はい/いいえ in Japanese templates, yes/no in English ones."""

    def __init__(self, value: bool):
        self.value = value

    def word(self, lang: str) -> str:
        if lang == "ja":
            return "はい" if self.value else "いいえ"
        return "yes" if self.value else "no"


YES = Flag(True)
NO = Flag(False)

HEAD = {
    "ja": "# 空欄・未記入の項目は「未確認」として扱われ、関係する管理策は「判定不能」(UNKNOWN)になります。\n"
          "# 真偽値: はい/いいえ、yes/no、true/false、1/0。日付: YYYY-MM-DD(ISO 8601)。\n"
          "# 書式の詳細: docs/onprem.md\n",
    "en": "# An empty or missing value means \"not recorded\": the controls that need it are judged UNKNOWN.\n"
          "# Booleans: yes/no, true/false, はい/いいえ, 1/0. Dates: YYYY-MM-DD (ISO 8601).\n"
          "# Format details: docs/onprem.md\n",
}

TITLES = {
    "sites": ("拠点(施設・サーバ室)台帳", "Sites (facilities, server rooms)"),
    "networks": ("ネットワーク(セグメント・VLAN)台帳", "Network segments / VLANs"),
    "flows": ("ゾーン間・セグメント間で許可している通信の一覧。from から to へ到達できることを表します。"
              "from・to にはゾーン名又は networks のセグメント ID を記入します",
              "Allowed flows between zones or segments: traffic from `from` may reach `to`. Each is a zone "
              "name or a segment id from networks"),
    "devices": ("機器(サーバ・端末・ネットワーク機器・医療機器)台帳", "Devices (servers, terminals, network gear, medical devices)"),
    "accounts": ("アカウント台帳(利用者・保守要員・非常時・サービス)", "Accounts (users, maintenance, break-glass, service)"),
    "backups": ("バックアップ計画台帳", "Backup plans"),
    "vendors": ("委託先事業者・契約台帳(企画管理編 7 ⑥ d–i、⑦–⑩)",
                "Contractors and contracts (企画管理編 7 ⑥ d–i and clauses ⑦–⑩)"),
    "attestations": ("組織的対策の表明(アテステーション)台帳。check: attestation の管理策ごとに1行",
                     "Attestations of organisational controls: one per control with check: attestation"),
}

BOOL_JA = "はい/いいえ"
BOOL_EN = "yes/no"

SPECS: dict[str, list[list[F]]] = {
    "sites": [[
        F("id", "main", cja="拠点ID(必須)。devices・networks の site 列から参照します",
          cen="Site ID (required); devices and networks refer to it in their site column"),
        F("name", "さくら診療所 サーバ室", "Sakura Clinic server room", "名称", "Name"),
        F("country", "JP", cja="所在国(ISO 3166 の2文字コード)", cen="Country (ISO 3166 two-letter code)"),
        F("prefecture", "東京都", "Tokyo", "都道府県", "Prefecture"),
        F("disaster_resilience", "seismic_resistant",
          cja="建物の災害対策: seismic_isolated(免震)/ seismic_resistant(耐震)/ none(なし)",
          cen="Building: seismic_isolated / seismic_resistant / none"),
        F("entry_identification", "ic_card",
          cja="入退室時の本人確認: ic_card(IC カード)/ biometric(生体認証)/ staffed_desk(受付で確認)/ key(鍵のみ)/ none",
          cen="How people are identified at entry: ic_card / biometric / staffed_desk / key / none"),
        F("entry_logged", YES, cja=f"入退室の記録を残しているか({BOOL_JA})", cen=f"Entries are logged ({BOOL_EN})"),
        F("cameras", YES, cja=f"防犯カメラ等の設置({BOOL_JA})", cen=f"Security cameras ({BOOL_EN})"),
        F("holds_medical_data", YES, cja=f"医療情報を保存する機器を置いているか({BOOL_JA})",
          cen=f"Holds devices with medical information ({BOOL_EN})"),
    ]],
    "networks": [
        [
            F("id", "vlan10", cja="セグメントID(必須)。flows から参照できます", cen="Segment ID (required); flows may refer to it"),
            F("name", "VLAN10 電子カルテ系", "VLAN10 electronic health records", "名称", "Name"),
            F("segment_type", "vlan", cja="種別: vlan / subnet / vpc / vnet", cen="Type: vlan / subnet / vpc / vnet"),
            F("zone", "medical",
              cja="ゾーン: medical(医療情報系)/ administrative(事務系)/ guest(来院者用)/ byod(私物端末)/ "
                  "internet / remote_access(リモートアクセス)/ maintenance(保守回線)/ dmz / other",
              cen="Zone: medical / administrative / guest / byod / internet / remote_access / maintenance / dmz / other"),
            F("site", "main", cja="拠点ID(sites の id)", cen="Site ID (id in sites)"),
            F("country", None, cja="所在国。空欄なら拠点の国", cen="Country; empty: the site's country"),
            F("internet_routed", NO, cja=f"インターネットへの経路があるか({BOOL_JA})", cen=f"Routed to the internet ({BOOL_EN})"),
            F("remote_auth_method", None,
              cja="リモートアクセス・保守回線の認証方式: mfa / certificate / password / none",
              cen="Authentication of remote-access and maintenance lines: mfa / certificate / password / none"),
            F("holds_medical_data", YES, cja=f"医療情報が流れるか({BOOL_JA})", cen=f"Carries medical information ({BOOL_EN})"),
            F("source_restricted", None,
              cja=f"接続元制限: 登録した接続元からの接続だけを受け付けるか({BOOL_JA})。リモートアクセス・保守回線で記入",
              cen=f"Source restriction: only registered sources may connect ({BOOL_EN}); for remote-access and "
                  "maintenance lines"),
        ],
        [F("id", "vlan30"), F("name", "VLAN30 事務系", "VLAN30 administration"), F("segment_type", "vlan"),
         F("zone", "administrative"), F("site", "main"), F("country", None), F("internet_routed", YES),
         F("remote_auth_method", None), F("holds_medical_data", NO)],
        [F("id", "maint"), F("name", "保守回線(ベンダーのリモート保守)", "Vendor remote-maintenance line"),
         F("segment_type", "vlan"), F("zone", "maintenance"), F("site", "main"), F("country", None),
         F("internet_routed", NO), F("remote_auth_method", "certificate"), F("holds_medical_data", NO),
         F("source_restricted", YES)],
        [F("id", "wifi-guest"), F("name", "来院者用Wi-Fi", "Patient Wi-Fi"), F("segment_type", "vlan"),
         F("zone", "guest"), F("site", "main"), F("country", None), F("internet_routed", YES),
         F("remote_auth_method", None), F("holds_medical_data", NO)],
    ],
    "flows": [
        [
            F("from", "administrative", cja="送信元: ゾーン名又はセグメントID(必須)", cen="From: a zone or a segment id (required)"),
            F("to", "vlan10", cja="宛先: ゾーン名又はセグメントID(必須)", cen="To: a zone or a segment id (required)"),
            F("ports", "443", cja="ポート(記録用)", cen="Ports (for the record)"),
            F("description", "事務系端末から電子カルテ(Web)", "Administration terminals to the EHR (web)", "説明", "Description"),
        ],
        [F("from", "maint"), F("to", "vlan10"), F("ports", "3389"),
         F("description", "保守回線から電子カルテサーバ", "Maintenance line to the EHR servers")],
        [F("from", "internet"), F("to", "wifi-guest"), F("ports", None),
         F("description", "来院者用Wi-Fi(インターネットのみ)", "Patient Wi-Fi (internet only)")],
    ],
    "devices": [[
        F("id", "EHR-SV-01", cja="機器ID(必須)", cen="Device ID (required)"),
        F("name", "電子カルテサーバ", "EHR server", "名称", "Name"),
        F("device_type", "server",
          cja="種別: server / workstation / laptop / network / medical_device / storage / iot(IoT 機器)",
          cen="Type: server / workstation / laptop / network / medical_device / storage / iot"),
        F("site", "main", cja="設置拠点(sites の id)", cen="Site (id in sites)"),
        F("country", None, cja="所在国。空欄なら拠点の国", cen="Country; empty: the site's country"),
        F("os", "Windows Server 2022", cja="OS とバージョン", cen="Operating system and version"),
        F("last_patched", D(2026, 10, 14), cja="セキュリティ・パッチの最終適用日", cen="Last security patch date"),
        F("antimalware", YES, cja=f"不正ソフトウェア対策ソフトの稼働({BOOL_JA})", cen=f"Anti-malware running ({BOOL_EN})"),
        F("signatures_updated", D(2026, 10, 31), cja="パターンファイルの最終更新日", cen="Signatures last updated"),
        F("disk_encrypted", YES, cja=f"記憶装置の暗号化({BOOL_JA})", cen=f"Disk encryption ({BOOL_EN})"),
        F("ntp_source", "ntp.nict.jp", cja="時刻同期先(NTP サーバ)", cen="Time source (NTP server)"),
        F("default_password_changed", YES, cja=f"出荷時のパスワードを変更済みか({BOOL_JA})",
          cen=f"Factory-default password changed ({BOOL_EN})"),
        F("holds_medical_data", YES, cja=f"医療情報を保存するか({BOOL_JA})", cen=f"Holds medical information ({BOOL_EN})"),
        F("usb_storage_restricted", YES, cja=f"USB ストレージ等の外部記録媒体の接続制限({BOOL_JA})",
          cen=f"USB storage and other external media restricted ({BOOL_EN})"),
        F("source_restricted", None, cja=f"接続元制限({BOOL_JA})。ネットワーク機器で記入",
          cen=f"Source restriction on management and remote access ({BOOL_EN}); for network devices"),
        F("owner", "情報システム課", "IT department", "管理責任者(IoT 機器は必須)", "Person or team responsible (needed for IoT)"),
        F("network_segment", "vlan10", cja="接続先ネットワーク(networks の id)", cen="Network connected to (id in networks)"),
        F("backup_power", YES, cja=f"無停電電源装置(UPS)・非常用電源への接続({BOOL_JA})",
          cen=f"On an uninterruptible or emergency power supply ({BOOL_EN})"),
    ]],
    "accounts": [
        [
            F("id", "dr-tanaka", cja="アカウントID(必須)", cen="Account ID (required)"),
            F("name", "田中 医師", "Dr. Tanaka", "氏名・名称", "Name"),
            F("type", "user",
              cja="種別: user(利用者)/ maintenance(保守要員)/ break_glass(非常時用)/ service(サービス用)",
              cen="Type: user / maintenance / break_glass (emergency) / service"),
            F("system", "電子カルテ", "EHR", "システム", "System"),
            F("interactive_login", YES, cja=f"画面から対話的にログインできるか({BOOL_JA})",
              cen=f"Can sign in interactively ({BOOL_EN})"),
            F("mfa", YES, cja=f"多要素認証({BOOL_JA})", cen=f"Multi-factor authentication ({BOOL_EN})"),
            F("shared", NO, cja=f"複数人で共用しているか({BOOL_JA})", cen=f"Shared by several people ({BOOL_EN})"),
            F("last_used", D(2026, 10, 30), cja="最終使用日(一度も使っていなければ never)",
              cen="Last used (never: not used yet)"),
            F("expires", "never", cja="有効期限(期限なしは never)", cen="Expiry date (never: no expiry)"),
            F("credential_changed", D(2026, 4, 1), cja="パスワード等の最終変更日(非常時用は使用後に変更)",
              cen="Credentials last changed (break-glass: after each use)"),
            F("admin", NO, cja=f"管理者権限(システム全体への全権限)を持つか({BOOL_JA})",
              cen=f"Holds administrator rights over the whole system ({BOOL_EN})"),
            F("auth_factors", "password;ic_card",
              cja="ログイン時に使う認証要素(; 区切り): password / pin / ic_card / security_key / otp_token / otp_app / "
                  "sms / push / certificate / biometric。種類(知識・所持・生体)の異なる2つで二要素認証",
              cen="Factors presented at sign-in (separated by ;): password / pin / ic_card / security_key / otp_token / "
                  "otp_app / sms / push / certificate / biometric; two of different kinds (knowledge, possession, "
                  "inherence) make two-factor authentication"),
            F("left_on", None, cja="退職・異動・契約終了日(アカウントは削除すべき)", cen="Left on (leaver, transfer, contract end)"),
        ],
        [F("id", "vendor-maint"), F("name", "保守ベンダー作業用", "Vendor maintenance"), F("type", "maintenance"),
         F("system", "電子カルテ", "EHR"), F("interactive_login", YES), F("mfa", YES), F("shared", NO),
         F("last_used", D(2026, 10, 20)), F("expires", D(2026, 11, 15)), F("credential_changed", D(2026, 10, 15)),
         F("admin", NO)],
        [F("id", "emergency-01"), F("name", "非常時用アカウント", "Break-glass account"), F("type", "break_glass"),
         F("system", "電子カルテ", "EHR"), F("interactive_login", YES), F("mfa", YES), F("shared", NO),
         F("last_used", "never"), F("expires", "never"), F("credential_changed", D(2026, 4, 1)), F("admin", YES)],
    ],
    "backups": [[
        F("id", "ehr-daily", cja="バックアップ計画ID(必須)", cen="Backup plan ID (required)"),
        F("name", "電子カルテ 日次バックアップ", "EHR daily backup", "名称", "Name"),
        F("protected", "電子カルテDB;PACS画像", "EHR database;PACS images",
          "対象(セミコロン ; 区切り)", "What is backed up (separated by ;)"),
        F("generations", 7, cja="保持世代数", cen="Generations kept"),
        F("retention_days", 30, cja="保持日数", cen="Retention in days"),
        F("methods", "online;offline",
          cja="方式(; 区切り): online(オンライン)/ worm(追記のみ・書換え不可)/ offline(オフライン・切り離し媒体)",
          cen="Methods (separated by ;): online / worm (write-once, append-only) / offline (air-gapped)"),
        F("location", "院内NAS;外部書庫(LTOテープ)", "On-site NAS;off-site vault (LTO tape)",
          "保管場所(; 区切り)", "Where the copies are kept (separated by ;)"),
        F("country", "JP", cja="保管場所の国(1つ、又は保管場所ごとに ; 区切り)",
          cen="Country of the copies (one, or one per location separated by ;)"),
        F("last_restore_test", D(2026, 9, 15), cja="直近の復元テストの実施日", cen="Last restore test"),
        F("holds_medical_data", YES, cja=f"医療情報を含むか({BOOL_JA})", cen=f"Holds medical information ({BOOL_EN})"),
    ]],
    "vendors": [[
        F("id", "cloud-pacs", cja="契約ID(必須)", cen="Contract ID (required)"),
        F("name", "PACS画像クラウド保管サービス契約", "PACS image cloud storage contract", "契約名", "Contract"),
        F("vendor", "株式会社サンプル画像クラウド(架空)", "Sample Image Cloud K.K. (fictitious)", "事業者名", "Contractor"),
        F("country", "JP", cja="事業者の所在国", cen="Contractor's country"),
        F("service_model", "saas", cja="サービス形態: saas / paas / iaas", cen="Service model: saas / paas / iaas"),
        F("systems", ["PACS"], cja="対象システム", cen="Systems covered"),
        F("holds_medical_data", YES, cja=f"医療情報を預けるか({BOOL_JA})", cen=f"Holds medical information ({BOOL_EN})"),
        F("certifications", None,
          cja="認証(scheme: ISMAP / JASA_CS_GOLD / FEDRAMP / SOC2 / SOC3 / PRIVACY_MARK / ISMS)。認証がなければ []",
          cen="Certifications (scheme: ISMAP / JASA_CS_GOLD / FEDRAMP / SOC2 / SOC3 / PRIVACY_MARK / ISMS); none: []",
          items=[
              [F("scheme", "ISMAP"), F("registration_id", "C0000-EXAMPLE"), F("expires", D(2027, 9, 30))],
              [F("scheme", "ISMS"), F("registration_id", "IS 000000 (example)"), F("expires", D(2027, 5, 31))],
          ]),
        F("external_audit", None,
          cja="外部監査(認証がない場合の代替)。受けていなければ external_audit: none",
          cen="External audit (the alternative to a certification). None: external_audit: none",
          children=[
              F("auditor_qualification", "systems_auditor", cja="監査人の資格: systems_auditor(システム監査技術者)/ CISA / other",
                cen="Auditor's qualification: systems_auditor / CISA / other"),
              F("date", D(2026, 3, 15), cja="監査の実施日", cen="Audit date"),
          ]),
        F("storage_countries", ["JP"], cja="医療情報の保存国", cen="Countries where the data is stored"),
        F("governing_law", "JP", cja="契約の準拠法の国", cen="Country of the governing law"),
        F("court_country", "JP", cja="合意管轄裁判所の国", cen="Country of the competent court"),
        F("foreign_law", None, cja="国外法の適用リスクの評価(企画管理編 7 ⑥ i)",
          cen="Assessment of foreign-law exposure (企画管理編 7 ⑥ i)",
          children=[
              F("exposed", NO, cja=f"国外法により開示を強制されうるか({BOOL_JA})",
                cen=f"Foreign law can compel disclosure ({BOOL_EN})"),
              F("decision", "国内法人・国内データセンターのみで運用", "Japanese company, Japanese data centres only",
                "評価結果と判断", "Decision"),
              F("assessed_on", D(2026, 4, 10), cja="評価日", cen="Assessed on"),
          ]),
        F("clauses", None, cja=f"契約条項(企画管理編 ⑦–⑩)。各項目 {BOOL_JA}", cen=f"Contract clauses (⑦–⑩), each {BOOL_EN}",
          children=[
              F("no_analysis_without_permission", YES, cja="⑦ 許可なく分析しない", cen="⑦ no analysis without permission"),
              F("analysis_for_legitimate_purpose_only", YES, cja="⑦ 分析は正当な目的に限る",
                cen="⑦ analysis for legitimate purposes only"),
              F("anonymised_data_handling", YES, cja="⑦ 匿名加工情報の取扱い", cen="⑦ anonymised data handling"),
              F("patient_access_scope", YES, cja="⑦ 患者からのアクセス範囲", cen="⑦ scope of patient access"),
              F("disclosure_on_consent_only", YES, cja="⑦ 同意なく提供しない", cen="⑦ disclosure on consent only"),
              F("periodic_reporting", YES, cja="⑧ 定期的な報告", cen="⑧ periodic reports"),
              F("management_approval_of_reports", YES, cja="⑧ 報告の経営層による承認", cen="⑧ reports approved by management"),
              F("data_return_at_termination", YES, cja="⑨ 契約終了時の返還方法", cen="⑨ data return at termination"),
              F("patient_notice", YES, cja="⑩ 患者への事前周知", cen="⑩ patients told in advance"),
              F("confidentiality", YES, cja="守秘条項", cen="confidentiality clause"),
              F("no_access_to_stored_records", YES, cja="保存された医療情報へのアクセスの禁止(障害対応時を除く)",
                cen="no access to the stored records (except in fault handling)"),
              F("fault_access_notice", YES, cja="障害対応時のアクセスの通知", cen="access in fault handling is notified"),
              F("complaint_desk", YES, cja="苦情・問合せの受付窓口", cen="complaints and enquiries desk"),
          ]),
        F("subcontractors", None, cja="再委託先と、委託先への報告の有無。なければ []",
          cen="Subcontractors and whether they report to the contractor; none: []",
          items=[[F("name", "国内データセンター事業者A(架空)", "Domestic data centre A (fictitious)"),
                  F("reports_to_contractor", YES)]]),
        F("responsibility_agreed", YES, cja=f"通常時・非常時の責任分界の合意({BOOL_JA})",
          cen=f"Responsibilities agreed for normal and emergency operation ({BOOL_EN})"),
        F("responsibility_overrides", {"SAN-NET-006": "provider"},
          cja="管理策ごとの責任分担の上書き(管理策ID: provider / customer / shared)",
          cen="Per-control responsibility (control ID: provider / customer / shared)"),
    ]],
}

# `sansho init --provider`: a provider's own registers (METI/MIC provider guideline), keys in the
# template's language (the reader takes English and Japanese names alike).
PROVIDER_TITLES = {
    "provider_services": ("提供事業者のサービス台帳(提供事業者GL 表4-1 の情報提供、3.2.1 合意形成、4.3 評価、4.4 認証、"
                          "2 再委託、6.3 電子署名)",
                          "Provider services (provider guideline table 4-1 disclosures, 3.2.1 agreement, 4.3 evaluation, "
                          "4.4 certification, 2 suppliers, 6.3 electronic signatures)"),
    "provider_risks": ("リスク台帳(提供事業者GL 5 リスクマネジメントプロセス)。リスクレベル = 影響度 × 顕在化率",
                       "Risk register (provider guideline 5, risk management process); level = impact × likelihood"),
}
PROVIDER_SPECS: dict[str, list[list[F]]] = {
    "provider_services": [[
        F("id", "pacs-cloud", cja="サービスID(必須)。リスク台帳のサービスID から参照します",
          cen="Service ID (required); the risk register refers to it"),
        F("name", "PACS画像クラウド保管サービス", "PACS image cloud storage", "サービス名", "Service name"),
        F("service_model", "saas", cja="サービス形態: saas / paas / iaas", cen="Service model: saas / paas / iaas"),
        F("holds_medical_data", YES, cja=f"医療情報を扱うか({BOOL_JA})", cen=f"Handles medical information ({BOOL_EN})"),
        F("disclosed_policies", YES, cja=f"表4-1 安全管理に係る基本方針・取扱規程等の整備状況を医療機関等に提供({BOOL_JA})",
          cen=f"Table 4-1: security policy and rules given to hospitals ({BOOL_EN})"),
        F("disclosed_organisation", YES, cja=f"表4-1 実施体制の整備状況を提供({BOOL_JA})",
          cen=f"Table 4-1: organisation given to hospitals ({BOOL_EN})"),
        F("disclosed_backup", YES, cja=f"表4-1 バックアップの取得及び管理の状況を提供({BOOL_JA})",
          cen=f"Table 4-1: backup state given to hospitals ({BOOL_EN})"),
        F("certifications", None,
          cja="第三者認証(制度: PRIVACY_MARK / ISMS / ISMAP など)。認証がなければ []",
          cen="Certifications (scheme: PRIVACY_MARK / ISMS / ISMAP, …); none: []",
          items=[[F("scheme", "PRIVACY_MARK"), F("registration_id", "00000000(example)"), F("expires", D(2027, 9, 30))]]),
        F("storage_countries", ["JP"], cja="医療情報の保存国", cen="Countries where the data is stored"),
        F("domestic_law_confirmed", YES, cja=f"情報機器等が国内法の適用を受けることの確認({BOOL_JA})",
          cen=f"Confirmed that the equipment is subject to Japanese law ({BOOL_EN})"),
        F("responsibility_agreed_on", D(2026, 4, 1), cja="医療機関等との責任分界の合意日。合意がなければ none",
          cen="Date the division of responsibility was agreed with the hospitals; none if not agreed"),
        F("subcontractors", None, cja="再委託先と、リスクマネジメントの対象か。なければ []",
          cen="Suppliers and whether the risk management covers them; none: []",
          items=[[F("name", "国内データセンター事業者A(架空)", "Domestic data centre A (fictitious)"),
                  F("risk_managed", YES)]]),
        F("evaluated_on", D(2026, 6, 30), cja="安全管理の状況を評価した日(4.3)。評価していなければ none",
          cen="Date the security management was evaluated (4.3); none if never"),
        F("evaluator", "third_party", cja="評価者: independent_audit(独立した監査部門)/ third_party(第三者機関)/ internal(内部)",
          cen="Evaluator: independent_audit / third_party / internal"),
        F("evaluation_reported", YES, cja=f"評価結果を医療機関等に報告したか({BOOL_JA})",
          cen=f"The result was reported to the hospitals ({BOOL_EN})"),
        F("esignature_replaces_seal", NO, cja=f"法令で定められた記名・押印を電子署名に代えるか(6.3、{BOOL_JA})",
          cen=f"Replaces a name and seal required by law with an electronic signature (6.3, {BOOL_EN})"),
        F("esignature_certificate", None, cja="電子証明書: hpki / accredited(認定認証事業者)/ certified(認証事業者)/ other",
          cen="Certificate: hpki / accredited / certified / other"),
        F("qualification_verifiable", None, cja=f"受け取る者が医師等の国家資格を電子的に検証できるか({BOOL_JA})",
          cen=f"The recipient can verify the national qualification electronically ({BOOL_EN})"),
    ]],
    "provider_risks": [
        [F("id", "R-001", cja="リスクID(必須)", cen="Risk ID (required)"),
         F("service", "pacs-cloud", cja="サービスID(必須。provider_services のサービス)",
           cen="Service ID (required; a service of provider_services)"),
         F("risk", "不正アクセスによる医療情報の漏えい", "Leak of medical information through unauthorised access",
           "想定されるリスク", "The risk"),
         F("impact", 4, cja="影響度(1 以上の整数)", cen="Impact (a whole number, 1 or more)"),
         F("likelihood", 2, cja="顕在化率(1 以上の整数)", cen="Likelihood (a whole number, 1 or more)"),
         F("level", 8, cja="リスクレベル = 影響度 × 顕在化率", cen="Level = impact × likelihood"),
         F("treatment", "reduce", cja="対応: reduce(低減)/ avoid(回避)/ share(共有)/ accept(保有)",
           cen="Treatment: reduce / avoid / share / accept"),
         F("owner", "情報セキュリティ責任者", "Information security officer", "責任者", "Owner"),
         F("reviewed_on", D(2026, 4, 1), cja="最終見直し日", cen="Last reviewed on")],
        [F("id", "R-002"), F("service", "pacs-cloud"),
         F("risk", "データセンターの被災によるサービス停止", "Outage after a disaster at the data centre"),
         F("impact", 3), F("likelihood", 1), F("level", 3), F("treatment", "share"),
         F("owner", "サービス運用責任者", "Service operations manager"), F("reviewed_on", D(2026, 4, 1))],
    ],
}


def _localised(fields: list[F], register: str, lang: str) -> list[F]:
    """The fields with their keys in the template's language (provider registers only)."""
    if lang != "ja" or register not in PROVIDER_SPECS:
        return fields
    from .provider import EN_TO_JA, EN_TO_JA_NESTED

    return _renamed(fields, EN_TO_JA[register], EN_TO_JA_NESTED)


def _renamed(fields: list[F], names: dict[str, str], nested: dict[str, str]) -> list[F]:
    return [F(names.get(f.key, f.key), f.ja, f.en, f.cja, f.cen, _renamed(f.children, nested, nested),
              [_renamed(item, nested, nested) for item in f.items]) for f in fields]


ATTESTATION_KEYS = ("control_id", "answer", "attested_by", "attested_on", "evidence", "review_period_days", "id")
ATTESTATION_COMMENTS = {
    "control_id": ("管理策ID(必須。check: attestation の管理策)", "Control ID (required; a control with check: attestation)"),
    "answer": ("回答: yes / no / partial / not_applicable", "Answer: yes / no / partial / not_applicable"),
    "attested_by": ("表明者(役職)", "Attested by (role)"),
    "attested_on": ("表明日", "Attested on"),
    "evidence": ("証跡(文書名・記録)", "Evidence (document, record)"),
    "review_period_days": ("見直し周期(日)。表明日からこの日数を過ぎると期限切れ", "Review period in days; expired after it"),
    "id": ("任意。同じ管理策に複数の表明を記入するときの ID", "Optional: an ID when a control has several attestations"),
}


def _attestation_specs(lang: str) -> tuple[list[list[F]], list[str]]:
    from sansho.policies.catalog import load_catalog

    controls = [c for c in load_catalog() if c.check == "attestation"]
    entries: list[list[F]] = []
    titles: list[str] = []
    for i, c in enumerate(controls):
        first = i == 0
        values: dict[str, Any] = {
            "control_id": c.id,
            "answer": "yes" if first else None,
            "attested_by": ("情報システム課長" if lang == "ja" else "Head of IT") if first else None,
            "attested_on": D(2026, 4, 1) if first else None,
            "evidence": ("非常時のデータ復旧手順書(2026年度版)" if lang == "ja" else "Emergency restore procedure (FY2026)")
            if first else None,
            "review_period_days": 365 if first else None,
            "id": None,
        }
        entries.append([F(k, values[k], cja=ATTESTATION_COMMENTS[k][0] if first else "",
                          cen=ATTESTATION_COMMENTS[k][1] if first else "") for k in ATTESTATION_KEYS])
        titles.append(f"{c.id} {c.title.get(lang)}")
    return entries, titles


def _scalar(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, str) and v in ("yes", "no"):
        return v  # YAML reads these as booleans, which is what they are
    text = yaml.safe_dump(v, allow_unicode=True, default_flow_style=True, width=1000).strip()
    if text.endswith("\n..."):
        text = text[:-4].strip()
    if text.endswith("..."):
        text = text[:-3].strip()
    return text


def _yaml_lines(fields: list[F], lang: str, indent: str, first_prefix: str) -> list[str]:
    lines: list[str] = []
    for i, f in enumerate(fields):
        prefix = first_prefix if i == 0 else indent
        comment = f.comment(lang)
        if f.children:
            lines.append(f"{prefix}{f.key}:" + (f"  # {comment}" if comment else ""))
            lines += _yaml_lines(f.children, lang, indent + "  ", indent + "  ")
        elif f.items:
            lines.append(f"{prefix}{f.key}:" + (f"  # {comment}" if comment else ""))
            for item in f.items:
                lines += _yaml_lines(item, lang, indent + "    ", indent + "  - ")
        else:
            value = _scalar(f.value(lang))
            text = f"{prefix}{f.key}: {value}".rstrip()
            lines.append(text + (f"  # {comment}" if comment else ""))
    return lines


def yaml_template(register: str, lang: str) -> str:
    title = {**TITLES, **PROVIDER_TITLES}[register][0 if lang == "ja" else 1]
    head = HEAD[lang].rstrip("\n")
    out = [f"# {register}: {title}", head.replace("onprem.md", "provider.md") if register in PROVIDER_SPECS else head]
    if register == "attestations":
        entries, titles = _attestation_specs(lang)
    elif register in PROVIDER_SPECS:
        entries, titles = [_localised(e, register, lang) for e in PROVIDER_SPECS[register]], []
    else:
        entries, titles = SPECS[register], []
    for i, entry in enumerate(entries):
        out.append("")
        if titles:
            out.append(f"# {titles[i]}")
        out += _yaml_lines(entry, lang, "  ", "- ")
    return "\n".join(out) + "\n"


def _cell(f: F, lang: str) -> dict[str, str]:
    """The CSV cells of one template field (vendors: the flattened layout)."""
    v = f.value(lang)
    if f.children:
        return {f"{f.key}.{c.key}": _cell_text(c.value(lang)) for c in f.children}
    if f.items and f.key == "certifications":
        return {f.key: ";".join(":".join(_cell_text(x.value(lang)) for x in item) for item in f.items)}
    if f.items and f.key == "subcontractors":
        return {f.key: ";".join(":".join(_cell_text(x.value(lang)) for x in item) for item in f.items)}
    if isinstance(v, dict):
        return {f.key: ";".join(f"{k}={val}" for k, val in v.items())}
    return {f.key: _cell_text(v)}


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return ";".join(_cell_text(x) for x in v)
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def csv_template(register: str, lang: str) -> str:
    entries = _attestation_specs(lang)[0] if register == "attestations" else {**SPECS, **PROVIDER_SPECS}[register]
    rows: list[dict[str, str]] = []
    for entry in entries:
        row: dict[str, str] = {}
        for f in entry:
            row.update(_cell(f, lang))
        rows.append(row)
    header = list(rows[0])
    if lang == "ja" and register in PROVIDER_SPECS:  # Japanese column names
        from .provider import EN_TO_JA

        names = EN_TO_JA[register]
        rows = [{names.get(k, k): v for k, v in row.items()} for row in rows]
        header = [names.get(h, h) for h in header]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for row in rows:
        w.writerow([row.get(h, "") for h in header])
    return buf.getvalue()


README = {
    "ja": """# オンプレミス台帳(sansho)

このフォルダの台帳ファイルを `sansho collect onprem <このフォルダ> -o inventory.json` で読み込み、
`sansho scan inventory.json` で3省2ガイドラインに照らして点検します。

| ファイル | 内容 |
|---|---|
| sites | 拠点(施設・サーバ室): 所在国・都道府県、耐震・免震、入退室管理、防犯カメラ |
| networks | セグメント・VLAN とゾーン、保守回線の認証方式 |
| flows | ゾーン間・セグメント間で許可している通信(到達可能性を計算します) |
| devices | 機器: OS とパッチ適用日、パターンファイル、暗号化、時刻同期、出荷時パスワード |
| accounts | アカウント: 種別、多要素認証、最終使用日、有効期限、非常時用の認証情報変更 |
| backups | バックアップ: 世代数、方式、保管場所と国、復元テスト |
| vendors | 委託先事業者と契約: 認証、外部監査、保存国、準拠法・管轄、国外法リスク、契約条項、再委託先 |
| attestations | 組織的対策の表明(アテステーション) |

各台帳は `.yaml`・`.yml`・`.csv` のいずれか1つです。空欄は「未確認」として扱われ、判定は
「判定不能」になります(適合とはみなしません)。書式の詳細は sansho の docs/onprem.md を参照してください。
このファイル(README)と .md・.txt・.pdf・.json のファイルは読み込まれません。
""",
    "en": """# On-prem registers (sansho)

Read this folder with `sansho collect onprem <this folder> -o inventory.json`, then judge it
against the 3省2ガイドライン with `sansho scan inventory.json`.

| file | what it records |
|---|---|
| sites | sites: country and prefecture, seismic resilience, entry control, cameras |
| networks | segments / VLANs and their zone; authentication of maintenance lines |
| flows | allowed flows between zones or segments (reachability is computed from them) |
| devices | devices: OS and patch date, signatures, encryption, time source, default passwords |
| accounts | accounts: type, MFA, last use, expiry, credential change after break-glass use |
| backups | backups: generations, methods, locations and countries, restore tests |
| vendors | contractors and contracts: certifications, audit, storage countries, law and court, foreign-law risk, clauses, subcontractors |
| attestations | attestations of organisational controls |

Each register is one file, `.yaml`, `.yml` or `.csv`. An empty value means "not recorded" and
is judged UNKNOWN, never compliant. See docs/onprem.md in sansho for the formats. This README
and .md, .txt, .pdf and .json files are not read.
""",
}


PROVIDER_README = {
    "ja": """# 提供事業者の台帳(sansho)

医療情報を取り扱う情報システム・サービスの提供事業者が、自社のサービスを提供事業者ガイドライン
(経済産業省・総務省)に照らして点検するための台帳です。`sansho collect onprem <このフォルダ> -o provider.json`
で読み込み、`sansho scan provider.json --save` で判定し、`sansho matrix --model saas --view provider`
で事業者が責任を負う管理策とその現状を確認します。

| ファイル | 内容 |
|---|---|
| provider_services | サービス: 表4-1 の情報提供、第三者認証、保存国と国内法、責任分界の合意日、再委託先、評価と報告、電子署名 |
| provider_risks | リスク台帳: リスク、影響度、顕在化率、リスクレベル(= 影響度 × 顕在化率)、対応、責任者、見直し日 |

列名(キー)は日本語・英語のどちらでも記入できます。空欄は「未確認」として扱われ、判定は「判定不能」に
なります。書式の詳細は sansho の docs/provider.md を参照してください。
""",
    "en": """# Provider registers (sansho)

For a provider of information systems and services that handle medical information, to check its own
services against the METI/MIC provider guideline. Read this folder with
`sansho collect onprem <this folder> -o provider.json`, judge it with `sansho scan provider.json --save`,
and see the controls the provider is responsible for with `sansho matrix --model saas --view provider`.

| file | what it records |
|---|---|
| provider_services | services: table 4-1 disclosures, certifications, storage countries and Japanese law, date of the agreed division of responsibility, suppliers, evaluation and report, electronic signatures |
| provider_risks | risk register: risk, impact, likelihood, level (= impact × likelihood), treatment, owner, review date |

Columns (keys) may be written in English or Japanese. An empty value means "not recorded" and is
judged UNKNOWN. See docs/provider.md in sansho for the formats.
""",
}


def template_files(lang: str = "ja", fmt: str = "yaml", provider: bool = False) -> dict[str, str]:
    """File name → text of every template file (``provider``: the provider's own registers)."""

    if lang not in ("ja", "en"):
        raise InputError(f"--lang: unknown language {lang!r} (choose ja or en)")
    if fmt not in ("yaml", "csv"):
        raise InputError(f"--format: unknown format {fmt!r} (choose yaml or csv)")
    files: dict[str, str] = {}
    for register in PROVIDER_SPECS if provider else REGISTERS:
        if fmt == "yaml":
            files[f"{register}.yaml"] = yaml_template(register, lang)
        else:
            files[f"{register}.csv"] = csv_template(register, lang)
    files["README.md"] = (PROVIDER_README if provider else README)[lang]
    return files


def write_templates(directory: Path, lang: str = "ja", fmt: str = "yaml", force: bool = False,
                    provider: bool = False) -> list[Path]:
    """Write the templates into ``directory``; refuse to overwrite any file unless ``force``."""
    directory = Path(directory)
    files = template_files(lang, fmt, provider)
    if directory.exists() and not directory.is_dir():
        raise InputError(f"{directory}: exists and is not a folder")
    existing = [directory / name for name in files if (directory / name).exists()]
    if existing and not force:
        shown = ", ".join(str(p) for p in existing)
        raise InputError(
            f"{directory}: ファイルが既にあるため上書きしません(上書きするには --force): {shown}" if lang == "ja"
            else f"{directory}: not overwriting existing files (use --force): {shown}")
    written = []
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            path = directory / name
            if name.endswith(".csv"):
                # Excel's "CSV UTF-8": a BOM, CRLF line ends (already in the text).
                path.write_bytes(text.encode("utf-8-sig"))
            else:
                path.write_text(text, encoding="utf-8", newline="\n")
            written.append(path)
    except OSError as e:
        raise InputError(f"{directory}: cannot write: {e.strerror}") from None
    return written
