"""The roles the GCP collector needs (``sansho collect gcp --print-permissions``)."""

from __future__ import annotations

# Every call is a Cloud Asset Inventory read; the permissions are those roles/cloudasset.viewer holds.
PERMISSIONS = ("cloudasset.assets.listResource", "cloudasset.assets.listIamPolicy",
               "cloudasset.assets.searchAllResources")

_TEXT = {
    "en": """\
sansho collect gcp reads Google Cloud through Cloud Asset Inventory only.

Grant on the scope you collect (organization, folder or each project):
  roles/cloudasset.viewer      (Cloud Asset Viewer)
    used: {perms}
And enable the Cloud Asset API (cloudasset.googleapis.com) in the project that your
credentials bill API calls to (the ADC quota project).

Nothing else is called. Two facts Cloud Asset Inventory does not show stay UNKNOWN, with the
reason, and need a person's check:
  - Security Command Center activation and tier (roles/securitycenter.settingsViewer
    on the organization lets you see it in the console);
  - object ACLs of buckets without uniform bucket-level access.

Example (organization 123456789012, a group of auditors):
  gcloud organizations add-iam-policy-binding 123456789012 \\
    --member=group:auditors@example.jp --role=roles/cloudasset.viewer
""",
    "ja": """\
sansho collect gcp は Cloud Asset Inventory のみを読み取ります。

収集するスコープ(組織・フォルダ・各プロジェクト)に次のロールを付与してください:
  roles/cloudasset.viewer      (Cloud Asset 閲覧者)
    使用する権限: {perms}
また、認証情報が API 呼び出しを課金するプロジェクト(ADC の quota project)で
Cloud Asset API(cloudasset.googleapis.com)を有効にしてください。

これ以外の API は呼び出しません。Cloud Asset Inventory に現れない次の 2 点は理由付きで
判定不能(UNKNOWN)となり、担当者による確認が必要です:
  - Security Command Center の有効化状況とティア(組織に roles/securitycenter.settingsViewer
    があればコンソールで確認できます)
  - 均一なバケットレベルのアクセスが無効なバケットのオブジェクト ACL

例(組織 123456789012、監査担当グループ):
  gcloud organizations add-iam-policy-binding 123456789012 \\
    --member=group:auditors@example.jp --role=roles/cloudasset.viewer
""",
}


def permissions_text(lang: str) -> str:
    return _TEXT["ja" if lang == "ja" else "en"].format(perms=", ".join(PERMISSIONS))
