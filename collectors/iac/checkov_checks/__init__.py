"""sansho's controls as checkov custom checks, wrapping the same normalization and the same Engine.

``checkov -d . --external-checks-dir "$(sansho checkov-checks)"`` loads ``sansho_checks.py`` from
this directory (checkov needs the ``__init__.py`` to be there, and skips it when loading). That file
only calls :func:`register`; the logic lives here so that a copied directory (``sansho
checkov-checks -o DIR``) always runs the installed sansho's rules.

No control is re-implemented for checkov. One check per automated control (``SAN-ENC-001`` →
``CKV_SANSHO_ENC_001``) is registered for the Terraform resource types that sansho normalizes into
the control's resource kinds. The first time a check meets a resource of a Terraform root, the root
is read once with :func:`sansho.collectors.iac.load` (the joins of S3 sub-resources to their bucket,
provider regions, modules and variables need the whole configuration, not one block) and judged
once with :class:`sansho.policies.engine.core.Engine`; every check then looks its resource up:

* PASS → ``PASSED``, FAIL → ``FAILED``; a finding muted by a valid ``sansho:ignore`` → ``SKIPPED``
  with the reason; UNKNOWN, ERROR, or a resource sansho did not judge (an egress rule, a
  ``count = 0`` instance) → ``UNKNOWN``, which checkov leaves out of its report.
* An ``aws_security_group`` with inline ``ingress`` blocks is one checkov resource but one sansho
  resource per rule (``<address>.ingress[i]``), and so are an ``azurerm_network_security_group``'s
  inline ``security_rule`` blocks and a ``google_compute_firewall``'s ``allow``/``deny`` blocks: FAIL
  if any rule fails, PASS if all the rules that apply pass (a deny rule is not applicable).

Environment: ``SANSHO_CONFIG`` (a sansho.yaml; default ``./sansho.yaml`` if present),
``SANSHO_AS_OF`` (YYYY-MM-DD, the date suppressions are judged at), ``SANSHO_LANG`` (``ja`` for
Japanese check names and messages; default English, as checkov's own).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sansho.collectors.iac.normalize import block_address

# The Terraform resource types sansho normalizes into each model kind (collectors/iac/tfaws.py,
# tfazure.py, tfgoogle.py). Sub-resources joined into another resource (S3 encryption/PAB/versioning/
# lock/replication/policy/ACL, aws_rds_cluster_instance, parameter groups, vault lock; storage
# containers and customer-managed keys; SQL servers, their firewall rules and TDE; bucket IAM
# members, bindings and ACLs; key rings) are not listed: their effect is judged on the resource
# they are joined to.
KIND_TYPES: dict[str, tuple[str, ...]] = {
    "storage.bucket": ("aws_s3_bucket", "azurerm_storage_account", "google_storage_bucket"),
    "database.instance": ("aws_db_instance", "aws_rds_cluster", "azurerm_mssql_database",
                          "google_sql_database_instance", "google_bigquery_dataset"),
    "compute.disk": ("aws_ebs_volume", "azurerm_managed_disk", "google_compute_disk", "google_compute_region_disk"),
    "kms.key": ("aws_kms_key", "azurerm_key_vault_key", "google_kms_crypto_key"),
    "network.firewall_rule": ("aws_security_group", "aws_security_group_rule",
                              "aws_vpc_security_group_ingress_rule", "azurerm_network_security_group",
                              "azurerm_network_security_rule", "google_compute_firewall"),
    "audit.trail": ("aws_cloudtrail",),
    "backup.plan": ("aws_backup_plan",),
    "backup.vault": ("aws_backup_vault", "azurerm_recovery_services_vault", "azurerm_data_protection_backup_vault"),
    "network.lb_listener": ("aws_lb_listener", "aws_alb_listener"),
    "identity.user": ("aws_iam_user",),
    "identity.group": ("aws_iam_group",),
}

FAMILY_CATEGORY = {"ENC": "ENCRYPTION", "NET": "NETWORKING", "LOG": "LOGGING", "BKP": "BACKUP_AND_RECOVERY",
                   "REC": "BACKUP_AND_RECOVERY", "IAM": "IAM"}


def check_id(control_id: str) -> str:
    """``SAN-ENC-001`` → ``CKV_SANSHO_ENC_001``."""
    return "CKV_SANSHO_" + control_id.removeprefix("SAN-").replace("-", "_")


def control_types(applies_to: list[str]) -> list[str]:
    return sorted({t for kind in applies_to for t in KIND_TYPES.get(kind, ())})


@dataclass
class Judged:
    """One Terraform root read and judged by sansho: findings by (control, base address)."""

    findings: dict[tuple[str, str], list[tuple[str, Any]]] = field(default_factory=dict)  # → [(file, Finding)]
    error: str | None = None


_CACHE: dict[str, Judged] = {}


def _today() -> dt.date:
    v = os.environ.get("SANSHO_AS_OF")
    return dt.date.fromisoformat(v) if v else dt.date.today()


def judge_root(root: str, control_ids: list[str]) -> Judged:
    """Read ``root`` with sansho's IaC loader and judge it with sansho's Engine, once per root."""
    if root in _CACHE:
        return _CACHE[root]
    judged = Judged()
    _CACHE[root] = judged
    try:
        from sansho.collectors.iac import load
        from sansho.policies.catalog import load_catalog
        from sansho.policies.config import load_config
        from sansho.policies.engine.core import Engine

        today = _today()
        loaded = load([Path(root)], today=today)
        catalog = load_catalog()
        cfg = load_config(os.environ.get("SANSHO_CONFIG"), catalog)
        cfg = cfg.model_copy(update={"suppressions": [*cfg.suppressions, *loaded.config_suppressions()]})
        controls = [catalog[c] for c in control_ids]
        result = Engine(catalog, cfg).scan(loaded.resources, controls, today=today)
        prefixes = tuple(f"{s}:" for s in loaded.scanned)
        for f in result.findings:
            rid = f.resource.id
            for p in prefixes:  # ids qualified by their input when two roots share an address
                if rid.startswith(p):
                    rid = rid[len(p):]
                    break
            base = block_address(rid)
            src = f.resource.source.file
            judged.findings.setdefault((f.control_id, base), []).append(
                (str(Path(src).resolve()) if src else "", f))
    except Exception as e:  # reported on every check of this root, as UNKNOWN
        judged.error = f"sansho could not read {root}: {type(e).__name__}: {e}"
    return judged


def _resource_nodes(graph: Any) -> list[dict[str, Any]]:
    """Attribute dicts of the resource blocks of checkov's graph (rustworkx, the default, networkx,
    or a TerraformLocalGraph)."""
    nodes: list[Any] = []
    if hasattr(graph, "vertices"):
        nodes = [{**v.attributes, "block_type_": v.block_type, "file_path_": v.path} for v in graph.vertices]
    elif graph is not None and hasattr(graph, "nodes"):
        try:
            raw = graph.nodes(data=True)  # networkx
        except TypeError:
            raw = graph.nodes()  # rustworkx: [(index, attributes)]
        nodes = [n[1] if isinstance(n, tuple) else n for n in raw]
    return [n for n in nodes if isinstance(n, dict) and n.get("block_type_") == "resource"]


def roots_of(graph: Any, address: str, scanned_file: str) -> list[tuple[str, str]]:
    """(scan root, absolute file) of the resource, from checkov's graph: ``scanned_file`` is the file
    relative to the root checkov was given (``/modules/records/main.tf``)."""
    out = []
    rel = scanned_file.replace("\\", "/")
    for n in _resource_nodes(graph):
        if n.get("__address__") != address:
            continue
        path = str(n.get("file_path_", "")).replace("\\", "/")
        if rel.startswith("/") and path.endswith(rel):
            out.append((path[: -len(rel)] or "/", path))
    if not out and Path(scanned_file).is_file():  # checkov -f FILE: the path as given
        p = Path(scanned_file).resolve()
        out.append((str(p.parent), str(p)))
    return sorted(set(out))


def verdict(control_id: str, address: str, scanned_file: str, graph: Any, control_ids: list[str],
            lang: str = "en") -> tuple[str, str]:
    """sansho's status for one checkov resource and control, and the message to show.

    Status is PASS, FAIL, MUTED or UNKNOWN (UNKNOWN also covers ERROR and "not judged")."""
    places = roots_of(graph, address, scanned_file)
    if not places:
        return "UNKNOWN", f"sansho could not locate {address} ({scanned_file}) in checkov's graph"
    outcomes = []
    for root, file in places:
        judged = judge_root(root, control_ids)
        if judged.error:
            return "UNKNOWN", judged.error
        found = judged.findings.get((control_id, address), [])
        same_file = [f for src, f in found if src == str(Path(file).resolve())]
        outcomes.append(same_file or [f for _, f in found])
    findings = [f for group in outcomes for f in group]
    if not findings:
        return "UNKNOWN", f"sansho did not judge {address} for {control_id} (not a resource it normalizes)"

    def one(group: list[Any]) -> tuple[str, str]:
        # Rules of one block that the control does not apply to (deny, egress) do not decide it.
        group = [f for f in group if f.status != "NOT_APPLICABLE"] or group
        statuses = {f.status for f in group}
        if "FAIL" in statuses:
            chosen = [f for f in group if f.status == "FAIL"]
            status = "FAIL"
        elif statuses == {"PASS"}:
            chosen, status = group, "PASS"
        elif statuses <= {"PASS", "MUTED"}:
            chosen, status = [f for f in group if f.status == "MUTED"], "MUTED"
        else:
            chosen, status = [f for f in group if f.status not in ("PASS", "MUTED")], "UNKNOWN"
        text = "; ".join(f"{f.resource.id}: {f.message(lang)}" for f in chosen)
        if status == "MUTED":
            text = "; ".join(f"{f.resource.id}: sansho:ignore {f.suppression['reason']} "
                             f"(until {f.suppression['expires']})" for f in chosen if f.suppression)
        return status, text

    results = [one(g) for g in outcomes if g]
    if len({s for s, _ in results}) == 1:
        return results[0][0], " | ".join(t for _, t in results)
    # The same module file instantiated from several roots, with different verdicts: checkov's
    # resource cannot say which instance it is, so neither verdict is claimed.
    return "UNKNOWN", "instances disagree: " + " | ".join(f"{s}: {t}" for s, t in results)


def register() -> list[Any]:
    """Create (and so register with checkov) one check per automated control with Terraform types."""
    from checkov.common.bridgecrew.severities import Severities
    from checkov.common.models.enums import CheckCategories, CheckResult
    from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

    from sansho.policies.catalog import load_catalog

    lang = "ja" if os.environ.get("SANSHO_LANG") == "ja" else "en"
    controls = [c for c in load_catalog() if c.check == "automated" and control_types(c.applies_to)]
    control_ids = [c.id for c in controls]
    to_checkov = {"PASS": CheckResult.PASSED, "FAIL": CheckResult.FAILED, "MUTED": CheckResult.SKIPPED}

    class SanshoCheck(BaseResourceCheck):  # type: ignore[misc]
        def __init__(self, control: Any) -> None:
            self.control_id = control.id
            super().__init__(
                name=f"{control.title.get(lang)} [{control.id}]",
                id=check_id(control.id),
                categories=[CheckCategories[FAMILY_CATEGORY.get(control.family, "GENERAL_SECURITY")]],
                supported_resources=control_types(control.applies_to),
            )
            # checkov's BaseCheck sets `self.severity = None` unannotated, so mypy takes the attribute as None
            self.severity = Severities[control.severity.upper()]  # type: ignore[assignment]
            self._suppress: str | None = None

        def run(self, scanned_file: str, entity_configuration: dict[str, Any], entity_name: str,
                entity_type: str, skip_info: Any) -> Any:
            self._scanned_file = scanned_file
            self._suppress = None
            result = super().run(scanned_file, entity_configuration, entity_name, entity_type, skip_info)
            if self._suppress is not None and result.get("result") == CheckResult.SKIPPED:
                result["suppress_comment"] = self._suppress
            return result

        def scan_resource_conf(self, conf: dict[str, Any]) -> Any:
            address = conf.get("__address__") or f"{self.entity_type}.unknown"
            status, message = verdict(self.control_id, address, self._scanned_file,
                                      getattr(self, "graph", None), control_ids, lang)
            self.evaluated_keys = []
            if message:
                self.details.append(message)
            if status == "MUTED":
                self._suppress = message
            return to_checkov.get(status, CheckResult.UNKNOWN)

    return [SanshoCheck(c) for c in controls]
