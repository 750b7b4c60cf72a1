"""The words of the quarterly posture report, in Japanese (the guideline's own terms) and English.

Control titles, sources and remediations are not here: they come from the catalog at render time.
"""

from __future__ import annotations

from sansho.policies.console import BASIS_JA, FAMILY_JA, STATUS_JA

LABELS: dict[str, tuple[str, str]] = {
    "title": ("医療情報システム 安全管理状況 四半期報告書", "Quarterly security posture report"),
    "subtitle": ("3省2ガイドライン(医療情報システムの安全管理に関するガイドライン 第6.0版 ほか)に基づく点検結果",
                 "Checks against Japan's 3省2 guidelines (MHLW guideline for the security of medical "
                 "information systems, 6th edition, and the METI/MIC provider guideline)"),
    "period": ("対象期間", "Period"),
    "as_of": ("点検基準日", "Scan date"),
    "scanned_at": ("点検実施日時", "Scanned at"),
    "scan_id": ("点検記録 ID", "Scan ID"),
    "tool": ("ツール", "Tool"),
    "compared_with": ("比較対象", "Compared with"),
    "no_previous": ("比較できる前期の記録がありません", "No earlier period recorded to compare with"),
    "summary": ("概要", "Summary"),
    "overall_score": ("総合スコア(観測で確認した適合率)", "Overall score (observed checks passing)"),
    "score_def": ("スコア = 適合 ÷(適合+不適合+エラー+判定不能)。クラウドの API やコードから sansho が読み取った"
                  "(観測)自動点検の判定だけを資源ごとに数え、対象外と抑止中は除きます。判定不能は適合に数えません。"
                  "台帳の記載による判定(申告)は確認したものではないため、スコアに含めず件数だけを別掲します。"
                  "自己点検(表明)も別掲です。",
                  "Score = PASS ÷ (PASS + FAIL + ERROR + UNKNOWN), counted per resource over the automated "
                  "controls' observed results only (what sansho read from a cloud API or code); NOT_APPLICABLE "
                  "and MUTED are left out, and UNKNOWN never counts as a pass. Results declared in hand-filled "
                  "registers were not checked, so they are not scored: their counts are shown apart. "
                  "Attestations are reported apart too."),
    "declared_n": ("申告による判定(未検証)", "Declared (not checked)"),
    "declared_sub": ("台帳の記載による適合 / 判定数。スコアには含めません", "PASS / judged, from registers; not scored"),
    "declared_h": ("申告", "Declared"),
    "declared": ("申告(台帳の記載)に基づく判定", "Results declared in registers"),
    "declared_def": ("委託先・拠点・機器などの台帳(手入力)の記載で判定した自動点検の結果です。sansho はシステムから"
                     "確認していないため、適合でもスコアには数えません。台帳の記載が事実と合っているかを確認してください。"
                     "不適合は「不適合の管理策」にも掲載しています(「申告」と表示)。",
                     "Automated controls judged from what hand-filled registers (vendors, sites, devices, contracts) "
                     "say. sansho did not check them against a system, so a PASS here is not counted in the score; "
                     "confirm that the registers are true. Failures are also listed under the failing controls "
                     "(marked Declared)."),
    "declared_sources": ("台帳", "Registers"),
    "basis_h": ("根拠", "Basis"),
    "all_bases": ("すべての根拠", "All bases"),
    "vs_previous": ("前期比", "vs previous"),
    "failing_controls_n": ("不適合の管理策", "Controls failing"),
    "new_n": ("新規", "New"),
    "fixed_n": ("解消", "Fixed"),
    "still_open_n": ("継続中の指摘", "Still open"),
    "unknown_n": ("判定不能", "Could not be read"),
    "attested_n": ("自己点検で表明済み", "Attested"),
    "resources_n": ("点検した資源", "Resources checked"),
    "family_scores": ("分類ごとのスコア", "Score by family"),
    "family_h": ("分類", "Family"),
    "score": ("スコア", "Score"),
    "failing_controls": ("不適合の管理策(重要度順)", "Failing controls, by severity"),
    "no_failing": ("不適合の管理策はありません", "No control is failing"),
    "control": ("管理策", "Control"),
    "control_title": ("管理策名", "Title"),
    "severity_h": ("重要度", "Severity"),
    "source": ("ガイドラインの出典", "Guideline source"),
    "remediation": ("対策", "Remediation"),
    "resources_failing": ("該当する資源", "Resources failing"),
    "resource": ("資源", "Resource"),
    "kind": ("種別", "Kind"),
    "where": ("所在", "Where"),
    "tags": ("タグ", "Tags"),
    "message": ("内容", "Finding"),
    "status_h": ("判定", "Status"),
    "changes": ("前期からの変化", "Changes since the previous period"),
    "new": ("新規", "New"),
    "fixed": ("解消", "Fixed"),
    "still_open": ("継続", "Still open"),
    "now": ("今期の判定", "Now"),
    "absent": ("資源なし", "resource gone"),
    "changes_def": ("不適合・エラーの指摘を、管理策・資源種別・資源 ID の組で前期の最新の点検と比べます。",
                    "FAIL and ERROR findings are compared with the previous period's latest scan by control, "
                    "resource kind and resource ID."),
    "still_open_print": ("継続中の指摘は「不適合の管理策」の各表に掲載しています(新規のものに「新規」と表示)。",
                         "Still-open findings are listed under the failing controls (new ones marked New)."),
    "none": ("なし", "none"),
    "trend": ("四半期ごとの推移", "Trend over recorded quarters"),
    "trend_def": ("各四半期の最新の点検記録による", "Latest scan of each quarter"),
    "fail_count": ("不適合の件数", "FAIL findings"),
    "legend_score": ("総合スコア(%、左軸)", "Overall score (%, left axis)"),
    "legend_fail": ("不適合の件数(件、左軸)", "FAIL findings (count, left axis)"),
    "unknown": ("判定不能(読み取れなかった項目)", "Could not be read (UNKNOWN)"),
    "unknown_def": ("権限不足や未設定のため値を読み取れず、判定できなかった項目です。適合とはみなしていません。",
                    "Values that could not be read (access denied, not exported). They are not counted as passing."),
    "notes": ("点検時の注記", "Scan notes"),
    "attestations": ("自己点検(アテステーション)に基づく管理策(表明)", "Controls resting on attestations (attested)"),
    "attestations_def": ("API から読み取れない組織的な管理策は、担当者の表明で判定します。自動点検の結果とは区別し、"
                         "適合には数えません。",
                         "Organisational controls that no API can read are judged from a person's attestation; "
                         "they are kept apart from automated results and never counted as passes."),
    "attested_by": ("表明者", "Attested by"),
    "attested_on": ("表明日", "Attested on"),
    "evidence": ("根拠資料", "Evidence"),
    "muted": ("抑止中の指摘", "Suppressed findings"),
    "muted_def": ("理由と期限を付けて抑止している指摘です。期限を過ぎると再び不適合になります。",
                  "Findings muted with a reason and an expiry date; they fail again once it passes."),
    "reason": ("理由", "Reason"),
    "expires": ("期限", "Expires"),
    "estate": ("点検対象の範囲", "Estate covered"),
    "provider_h": ("提供元", "Provider"),
    "accounts": ("アカウント等", "Accounts"),
    "regions": ("リージョン・所在地", "Regions"),
    "resources": ("資源数", "Resources"),
    "source_types": ("取得元の種類", "Source types"),
    "source_files": ("入力ファイル", "Source files"),
    "kinds": ("資源の種別", "Resource kinds"),
    "all_findings": ("全判定結果", "All findings"),
    "filter": ("絞り込み", "Filter"),
    "filter_placeholder": ("管理策・資源・内容で絞り込み", "Filter by control, resource or text"),
    "all_statuses": ("すべての判定", "All statuses"),
    "rows_shown": ("件を表示", "rows shown"),
    "sort_hint": ("見出しをクリックすると並べ替えます(対象外は除く)",
                  "Click a heading to sort (NOT_APPLICABLE left out)"),
    "left_out": ("カタログにない管理策の指摘を除外しました", "Findings of controls no longer in the catalog were left out"),
    "generated_by": ("sansho により作成", "Generated by sansho"),
    "listing_def": ("各管理策について、重要な順に最初の {n} 件の資源を掲載しています。",
                    "Each control lists its first {n} resources, worst first."),
    "listing_file": ("不適合・エラー・判定不能の全 {total} 件は {file} にあります。",
                     "All {total} FAIL, ERROR and UNKNOWN findings are listed in {file}."),
    "failing_count": ("該当する資源 {n} 件", "{n} resources failing"),
}

MORE = ("… ほか {n} 件", "… and {n} more")
MORE_FILE = ("… ほか {n} 件({file} を参照)", "… and {n} more (see {file})")

SEVERITY_LABEL = {
    "critical": ("緊急", "critical"), "high": ("高", "high"), "medium": ("中", "medium"),
    "low": ("低", "low"), "info": ("情報", "info"),
}

PROVIDER_LABEL = {
    "aws": ("AWS", "AWS"), "azure": ("Azure", "Azure"), "gcp": ("Google Cloud", "Google Cloud"),
    "onprem": ("オンプレミス", "On-prem"), "vendor": ("委託先", "Vendors"),
}


class Words:
    """Label lookup for one language, as the templates use it: ``t.title``, ``t.status('FAIL')``."""

    def __init__(self, lang: str):
        self.lang = lang
        self._i = 0 if lang == "ja" else 1

    def __getattr__(self, key: str) -> str:
        try:
            return LABELS[key][self._i]
        except KeyError:
            raise AttributeError(key) from None

    def status(self, status: str) -> str:
        return STATUS_JA.get(status, status) if self._i == 0 else status

    def basis(self, basis: str) -> str:
        return BASIS_JA.get(basis, basis) if self._i == 0 else basis

    def family(self, family: str) -> str:
        return FAMILY_JA.get(family, family) if self._i == 0 else family

    def severity(self, severity: str) -> str:
        return SEVERITY_LABEL.get(severity, (severity, severity))[self._i]

    def more(self, n: int, file: str = "") -> str:
        """The line under a cut listing: "… and 30 more (see report-resources.csv)"."""
        return (MORE_FILE if file else MORE)[self._i].format(n=f"{n:,}", file=file)

    def fmt(self, key: str, **values: object) -> str:
        return LABELS[key][self._i].format(**values)

    def provider(self, provider: str) -> str:
        return PROVIDER_LABEL.get(provider, (provider, provider))[self._i]
