"""Validation problems of an on-prem register folder, and their wording in Japanese and English.

Every problem is collected as an :class:`Issue` (file, line, field, message code, parameters)
and only rendered at the end, in the language the user chose, one line each:

    sites.csv:3: field 'cameras': not a yes/no value: 'maybe' (use true/false, yes/no, はい/いいえ or 1/0)
    sites.csv:3: 項目 'cameras': 真偽値(はい/いいえ)として読めません: 'maybe'(true/false、yes/no、はい/いいえ、1/0 のいずれか)
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

BOOL_WORDS_EN = "true/false, yes/no, はい/いいえ or 1/0"
BOOL_WORDS_JA = "true/false、yes/no、はい/いいえ、1/0 のいずれか"

# code -> (English, Japanese). Parameters are filled with str.format.
MESSAGES: dict[str, tuple[str, str]] = {
    # values
    "bool": (f"not a yes/no value: {{value!r}} (use {BOOL_WORDS_EN})",
             f"真偽値(はい/いいえ)として読めません: {{value!r}}({BOOL_WORDS_JA})"),
    "date": ("not a date in ISO 8601 form YYYY-MM-DD: {value!r}",
             "ISO 8601 形式(YYYY-MM-DD)の日付ではありません: {value!r}"),
    "date_slash": ("not a date in ISO 8601 form YYYY-MM-DD: {value!r} (Excel shows dates as 2026/04/01 by default; "
                   "format the column as yyyy-mm-dd before saving)",
                   "ISO 8601 形式(YYYY-MM-DD)の日付ではありません: {value!r}(Excel は日付を 2026/04/01 の形で保存します。"
                   "セルの書式を yyyy-mm-dd にしてから保存してください)"),
    "datetime": ("expected a date YYYY-MM-DD, not a date and time: {value!r}",
                 "日付(YYYY-MM-DD)を記入してください。日時は受け付けません: {value!r}"),
    "date_or_never": ("not a date in ISO 8601 form YYYY-MM-DD or the word 'never': {value!r}",
                      "ISO 8601 形式(YYYY-MM-DD)の日付、又は never ではありません: {value!r}"),
    "int": ("not a whole number written in digits: {value!r}", "半角数字の整数ではありません: {value!r}"),
    "days_max": ("at most {max} days (a hundred years), got {value}", "{max} 日(100年)以内にしてください: {value}"),
    "text": ("expected text, got {value!r}; put the value in quotes",
             "文字列ではありません: {value!r}。値を引用符で囲んでください"),
    "yaml_bool_text": ("YAML read this as {value!r}; put the value in quotes (e.g. \"NO\" for Norway)",
                       "YAML はこの値を {value!r} と解釈しました。値を引用符で囲んでください(例: ノルウェーは \"NO\")"),
    "choice": ("{value!r} is not one of: {choices}", "{value!r} は選択肢({choices})のいずれでもありません"),
    "country": ("not an ISO 3166 two-letter country code: {value!r} (e.g. JP)",
                "ISO 3166 の2文字の国コードではありません: {value!r}(例: JP)"),
    "list": ("expected a list (in CSV: values separated by ';'), got {value!r}",
             "リスト(CSV ではセミコロン ; 区切り)ではありません: {value!r}"),
    "mapping": ("expected a mapping of keys to values, got {value!r}", "キーと値の組(マッピング)ではありません: {value!r}"),
    "required": ("is required and is empty or missing", "必須項目が空欄又は未記入です"),
    "unknown_field": ("unknown column/key; known ones are: {known}",
                      "未知の項目(列・キー)です。使える項目: {known}"),
    "empty_header": ("a column with no name holds values; give it a name or delete it",
                     "列名のない列に値があります。列名を付けるか、列を削除してください"),
    "duplicate_header": ("column {column!r} appears twice in the header", "列 {column!r} が見出し行に2回あります"),
    "missing_column": ("required column {column!r} is missing from the header",
                       "必須の列 {column!r} が見出し行にありません"),
    "row_too_long": ("the row has {cells} cells but the header has {columns} columns",
                     "この行のセル数({cells})が見出し行の列数({columns})より多いです"),
    "duplicate_id": ("id {value!r} is already used at line {line}", "ID {value!r} は {line} 行目で既に使われています"),
    "invalid": ("{detail}", "値が不正です: {detail}"),
    # cross references
    "unknown_control": ("unknown control ID {value!r} (see `sansho controls`)",
                        "未知の管理策 ID {value!r} です(`sansho controls` で一覧を確認できます)"),
    "not_attestation_control": ("{value!r} is judged automatically (check: {check}); attestations are only for "
                                "controls with check: attestation",
                                "{value!r} は自動判定の管理策(check: {check})です。表明(アテステーション)は "
                                "check: attestation の管理策にだけ記入できます"),
    "min_one": ("must be 1 or more, got {value}", "1 以上の整数にしてください: {value}"),
    "risk_level": ("level {value} is not impact × likelihood = {impact} × {likelihood} = {product}",
                   "リスクレベル {value} が 影響度 × 顕在化率 = {impact} × {likelihood} = {product} と一致しません"),
    "both_languages": ("column {column!r} is given twice, in English and in Japanese; keep one",
                       "項目 {column!r} が英語名と日本語名で2回記入されています。どちらか1つにしてください"),
    "unknown_service": ("unknown service {value!r}; provider_services.* has: {known}",
                        "未登録のサービス {value!r} です。provider_services.* のサービス: {known}"),
    "unknown_site": ("unknown site {value!r}; sites.* has: {known}", "未登録の拠点 {value!r} です。sites.* の拠点: {known}"),
    "unknown_endpoint": ("{value!r} is neither a zone ({zones}) nor a segment id in networks.*",
                         "{value!r} はゾーン({zones})でも networks.* のセグメント ID でもありません"),
    "flows_without_networks": ("flows.* is given but there is no networks.* register",
                               "flows.* がありますが networks.* がありません"),
    "country_count": ("{countries} countries for {locations} locations: give one country, or one per location",
                      "保管場所 {locations} 件に対して国が {countries} 件です。国を1つ、又は保管場所ごとに1つ記入してください"),
    "country_without_location": ("a country is given but no location", "国が記入されていますが保管場所がありません"),
    "cell_certification": ("certification {value!r} is not SCHEME:REGISTRATION_ID:EXPIRES (e.g. ISMAP:C-0123:2027-03-31)",
                           "認証 {value!r} が 制度:登録番号:有効期限 の形ではありません(例: ISMAP:C-0123:2027-03-31)"),
    "cell_override": ("override {value!r} is not CONTROL_ID=provider|customer|shared (e.g. SAN-NET-006=provider)",
                      "責任分界の上書き {value!r} が 管理策ID=provider|customer|shared の形ではありません"
                      "(例: SAN-NET-006=provider)"),
    "cell_external_audit": ("the external_audit column takes only 'none' (no external audit); put the audit in "
                            "external_audit.auditor_qualification and external_audit.date",
                            "external_audit 列には none(外部監査なし)だけを記入できます。監査の内容は "
                            "external_audit.auditor_qualification と external_audit.date に記入してください"),
    "external_audit_value": ("expected auditor_qualification and date, or 'none' (no external audit), got {value!r}",
                             "auditor_qualification と date、又は none(外部監査なし)を記入してください。現在の値: {value!r}"),
    "audit_conflict": ("external_audit is 'none' but external_audit.* columns are filled in",
                       "external_audit が none(外部監査なし)ですが external_audit.* の列に記入があります"),
    # files
    "unknown_file": ("unknown file in the register folder; expected {expected}",
                     "台帳フォルダに未知のファイルがあります。使えるファイル名: {expected}"),
    "unknown_file_suggest": ("unknown file in the register folder: did you mean {suggestion}? (expected {expected})",
                             "台帳フォルダに未知のファイルがあります。{suggestion} の誤りではありませんか"
                             "(使えるファイル名: {expected})"),
    "wrong_suffix": ("a register file must be {register}.yaml, {register}.yml or {register}.csv",
                     "台帳ファイルは {register}.yaml、{register}.yml 又は {register}.csv にしてください"),
    "xlsx": ("Excel workbooks are not read; save each sheet as 'CSV UTF-8 (comma delimited)' named after its register "
             "(e.g. devices.csv)",
             "Excel ブックは読み込めません。シートごとに「CSV UTF-8(コンマ区切り)」形式で、台帳名のファイル"
             "(例: devices.csv)として保存してください"),
    "two_files": ("two files for the same register: {other}; keep one", "同じ台帳のファイルが2つあります: {other}。1つにしてください"),
    "encoding": ("cannot decode the file: it is not UTF-8 (with or without BOM), UTF-16 with BOM, or Shift_JIS (CP932); "
                 "save it as 'CSV UTF-8'",
                 "文字コードを判別できません(UTF-8(BOM の有無を問わない)、BOM 付き UTF-16、Shift_JIS(CP932)の"
                 "いずれでもありません)。「CSV UTF-8」形式で保存してください"),
    "yaml_syntax": ("malformed YAML: {detail}", "YAML の書式に誤りがあります: {detail}"),
    "yaml_alias": ("YAML aliases and anchors are not accepted in a register",
                   "台帳では YAML のエイリアス・アンカー(& と *)は使えません"),
    "yaml_duplicate_key": ("duplicate key {key!r} (a key may appear once in a mapping)",
                           "キー {key!r} が重複しています(1つのマッピングに同じキーは1回だけ書けます)"),
    "yaml_depth": ("nested more than {depth} levels deep", "入れ子が {depth} 段を超えています"),
    "yaml_top": ("the file must be a YAML list of entries (each starting with '- '), got {value}",
                 "YAML ファイルは項目のリスト(各項目を '- ' で始める)にしてください。現在の内容: {value}"),
    "yaml_item": ("each entry must be a mapping of keys to values, got {value!r}",
                  "各項目はキーと値の組(マッピング)にしてください。現在の内容: {value!r}"),
    "csv_syntax": ("malformed CSV: {detail}", "CSV の書式に誤りがあります: {detail}"),
    "csv_empty": ("the CSV file has no header row", "CSV ファイルに見出し行がありません"),
    "unreadable": ("cannot read: {detail}", "読み込めません: {detail}"),
    "not_a_directory": ("not a folder of register files", "台帳ファイルのフォルダではありません"),
    "no_registers": ("no register files found; expected {expected} (run `sansho init` for templates)",
                     "台帳ファイルがありません。使えるファイル名: {expected}(`sansho init` でひな形を作成できます)"),
}

FIELD_WORD = {"en": "field", "ja": "項目"}


@dataclass(frozen=True)
class Issue:
    """One problem in one place: a file, a 1-based line (0 = the file as a whole), a field."""

    file: str
    line: int
    field: str | None
    code: str
    params: dict[str, Any] = dc_field(default_factory=dict, hash=False, compare=False)

    def render(self, lang: str = "ja") -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        en, ja = MESSAGES[self.code]
        template = ja if lang == "ja" else en
        try:
            text = template.format(**self.params)
        except (KeyError, IndexError):  # a bug of ours must not hide the problem itself
            text = f"{template} {self.params}"
        if self.field is None:
            return f"{where}: {text}"
        return f"{where}: {FIELD_WORD.get(lang, 'field')} '{self.field}': {text}"


def render_all(issues: list[Issue], lang: str) -> str:
    ordered = sorted(issues, key=lambda i: (i.file, i.line, i.field or ""))
    return "\n".join(i.render(lang) for i in ordered)
