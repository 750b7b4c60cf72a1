"""What the Azure collector needs: the built-in Reader role, nothing that can change anything."""

from __future__ import annotations

from .details import MANAGEMENT_READS
from .live import ARG_ACTION
from .queries import QUERIES

# Resource Graph reports types in lower case; RBAC documents them in this spelling.
_SPELLING = {t.lower(): t for t in (
    "Microsoft.Storage/storageAccounts", "Microsoft.Sql/servers", "Microsoft.Sql/servers/databases",
    "Microsoft.Compute/disks", "Microsoft.Network/networkSecurityGroups", "Microsoft.KeyVault/vaults",
    "Microsoft.RecoveryServices/vaults", "Microsoft.DataProtection/backupVaults",
    "Microsoft.OperationalInsights/workspaces", "Microsoft.Security/pricings", "Microsoft.Resources/subscriptions",
    "Microsoft.Authorization/roleAssignments", "Microsoft.Authorization/roleDefinitions")}


def actions() -> list[str]:
    """Every Azure RBAC action the collector uses; the built-in Reader role (``*/read``) holds them all."""
    return sorted({ARG_ACTION, *(_SPELLING.get(t, t) + "/read" for q in QUERIES for t in q.types),
                   *(m[3] for m in MANAGEMENT_READS.values())}, key=str.lower)


def permissions_text(lang: str) -> str:
    acts = "\n".join(f"  - {a}" for a in actions())
    if lang == "ja":
        return f"""sansho collect azure に必要な権限

組み込みロール「閲覧者」(Reader)を、読み取る各サブスクリプション(または上位の管理グループ)に
割り当ててください。これ以外のロールは不要です。
  az role assignment create --assignee <アプリの ID> --role Reader --scope /subscriptions/<ID>
  (管理グループ単位: --scope /providers/Microsoft.Management/managementGroups/<名前>)

- 使うのは Azure Resource Graph と管理プレーンの読み取り(GET)だけで、設定を変更する操作はしません。
- Key Vault のデータプレーン(鍵の中身、シークレット)、ストレージのアカウントキーや SAS は読みません。
- Microsoft Defender for Cloud のプランは「閲覧者」で読めます(「セキュリティ閲覧者」でも可)。
- 権限が足りない項目は 403 AuthorizationFailed として記録され、該当する管理策は判定不能(UNKNOWN)になります。

使用する操作(すべて Reader の */read に含まれます):
{acts}
"""
    return f"""Permissions for sansho collect azure

Assign the built-in Reader role on every subscription to read (or on a management group above
them). Nothing else is needed.
  az role assignment create --assignee <app id> --role Reader --scope /subscriptions/<id>
  (for a management group: --scope /providers/Microsoft.Management/managementGroups/<name>)

- Only Azure Resource Graph and management-plane reads (GET) are used; nothing is changed.
- No Key Vault data plane (key material, secrets), storage account keys or SAS are read.
- Microsoft Defender for Cloud plans are readable with Reader (Security Reader works too).
- An item the identity may not read is recorded as 403 AuthorizationFailed and the controls it
  affects are judged UNKNOWN, with the reason.

Actions used (all within Reader's */read):
{acts}
"""
