"""sansho's controls as Pulumi CrossGuard policies, generated from the catalog.

No rule is written here. Each policy turns the Pulumi resources it is shown into sansho's
normalized model with ``sansho.collectors.iac.pulumi`` (the same reader ``sansho`` uses for
Terraform and CloudFormation, fed through the Pulumi type tokens) and judges them with sansho's
own engine, for its one control. A violation is reported for each FAIL.

* One policy per automated control that applies to a resource kind sansho reads from Pulumi AWS,
  Google Cloud (pulumi-gcp) or azure-native resources; its name is the control ID, its description, remediation, severity and guideline
  citation come from the control's catalog record.
* Controls on kinds that are self-contained in one Pulumi resource (KMS keys, security-group
  rules, load-balancer listeners) are ``ResourceValidationPolicy``s. Controls on kinds whose
  verdict needs other resources (a bucket and its split-off encryption / public-access-block /
  versioning / object-lock / replication / policy resources and the region of the replica; a trail
  and its log bucket; a backup plan, its vaults and their locks; a database and its parameter
  group) are ``StackValidationPolicy``s, so they see the whole stack.
* Enforcement from severity: critical and high → mandatory; medium, low and info → advisory
  (``ENFORCEMENT``). Pulumi's own policy configuration can override any of them.
* Each policy's config schema holds the control's parameters with the catalog defaults (e.g.
  SAN-LOC-001 ``allowed_regions``), so a stack can set what ``sansho.yaml`` ``parameters`` would.
* UNKNOWN is never a pass and never silently dropped: the advisory stack policy
  ``sansho-unknown`` lists every (control, resource) sansho could not judge, with the reason
  (typically a value known only after ``pulumi up``). Make it mandatory to gate on them, as
  ``sansho scan --fail-on-unknown`` does.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import _DictProxy, _ListProxy  # the proxies' own way out: item "__target"
from sansho.policies.catalog import Catalog, Control, load_catalog
from sansho.policies.config import Config
from sansho.policies.engine.core import Engine
from sansho.policies.findings import Finding
from sansho.collectors.iac.checkov_checks import KIND_TYPES
from sansho.collectors.iac.pulumi import GCP_TOKENS, PROVIDERS, TOKENS, normalize
from sansho.collectors.iac.pulumi_azure import TOKENS as AZURE_TOKENS

PACK_NAME = "sansho-3sho2-guideline"
UNKNOWN_POLICY = "sansho-unknown"

ENFORCEMENT = {
    "critical": EnforcementLevel.MANDATORY,
    "high": EnforcementLevel.MANDATORY,
    "medium": EnforcementLevel.ADVISORY,
    "low": EnforcementLevel.ADVISORY,
    "info": EnforcementLevel.ADVISORY,
}
SEVERITY = {
    "critical": Severity.CRITICAL,
    "high": Severity.HIGH,
    "medium": Severity.MEDIUM,
    "low": Severity.LOW,
    "info": Severity.LOW,
}
# Kinds judged from one Pulumi resource alone; every other kind needs the stack.
RESOURCE_KINDS = frozenset({"kms.key", "network.firewall_rule", "network.lb_listener"})
_RULE_SUFFIX = re.compile(r"\.(?:ingress|security_rule|allow|deny)\[\d+\]$")


# Every Pulumi type token sansho reads (pulumi-aws, pulumi-gcp, azure-native) → the Terraform type it
# is read as.
ALL_TOKENS: dict[str, str] = {**TOKENS, **GCP_TOKENS, **{tok: tf for tok, (tf, _) in AZURE_TOKENS.items()}}


def tokens_for(kinds: Iterable[str]) -> frozenset[str]:
    """The Pulumi type tokens that sansho reads into these kinds."""
    tf_types = {t for k in kinds for t in KIND_TYPES.get(k, ())}
    return frozenset(tok for tok, tf in ALL_TOKENS.items() if tf in tf_types)


def pack_controls(catalog: Catalog | None = None) -> list[Control]:
    """Automated controls that apply to something sansho reads from Pulumi AWS, Google Cloud or
    azure-native resources."""
    return [c for c in (catalog or load_catalog()) if c.check == "automated" and tokens_for(c.applies_to)]


def is_stack_control(control: Control) -> bool:
    return not set(control.applies_to) <= RESOURCE_KINDS


# --- Pulumi values → plain values ------------------------------------------------------------


def plain(v: Any) -> Any:
    """CrossGuard wraps props in proxies that raise on unknown values; the adapter wants the
    values themselves (unknowns included: it turns them into UNKNOWN verdicts)."""
    if isinstance(v, (_DictProxy, _ListProxy)):
        v = v["__target"]
    if isinstance(v, Mapping):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    return v


def _provider_inputs(provider: Any) -> dict[str, Any] | None:
    if provider is None or getattr(provider, "resource_type", None) not in PROVIDERS:
        return None
    return plain(provider.props)


def entry(res: Any) -> dict[str, Any]:
    """A ResourceValidationArgs or PolicyResource in the adapter's plain form."""
    deps = getattr(res, "property_dependencies", None) or {}
    return {
        "type": res.resource_type,
        "name": res.name,
        "urn": res.urn,
        "inputs": plain(res.props),
        "provider_inputs": _provider_inputs(res.provider),
        "dependencies": {k: [d.urn for d in v] for k, v in deps.items()},
    }


# --- judging ---------------------------------------------------------------------------------

_local = threading.local()


def _engine(overrides: str) -> Engine:
    """One Engine per parameter set and thread: the analyzer serves calls from a thread pool, and a
    regorus engine may not cross threads (the binding panics, and the call would never answer)."""
    engines: dict[str, Engine] = _local.__dict__.setdefault("engines", {})
    if overrides not in engines:
        engines[overrides] = Engine(load_catalog(), Config(parameters=json.loads(overrides)))
    return engines[overrides]


def parameters(control: Control, config: Mapping[str, Any] | None) -> dict[str, Any]:
    """The control's parameters a policy config overrides (names the control does not have are
    left out: Pulumi validates the config against the schema before it reaches the pack)."""
    return {k: plain(v) for k, v in (config or {}).items() if k in control.parameters}


def judge(
    control: Control,
    entries: list[dict[str, Any]],
    config: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> list[Finding]:
    resources = normalize(entries)
    params = parameters(control, config)
    engine = _engine(json.dumps({control.id: params} if params else {}, sort_keys=True))
    return engine.scan(resources, [control], today=today).findings


def message(f: Finding) -> str:
    return f"{f.message_en} / {f.message_ja}"


def base_urn(resource_id: str) -> str:
    """A security group's inline rule is judged as ``<urn>.ingress[i]``; Pulumi knows the group."""
    return _RULE_SUFFIX.sub("", resource_id)


# --- policies --------------------------------------------------------------------------------


def _schema(control: Control) -> PolicyConfigSchema | None:
    props: dict[str, dict[str, Any]] = {}
    for name, default in control.parameters.items():
        kind = (
            "boolean"
            if isinstance(default, bool)
            else "integer"
            if isinstance(default, int)
            else "number"
            if isinstance(default, float)
            else "string"
            if isinstance(default, str)
            else "array"
            if isinstance(default, list)
            else "object"
        )
        props[name] = {
            "type": kind,
            "default": default,
            "description": f"{control.id} parameter {name} (sansho.yaml parameters.{control.id}.{name})",
        }
    return PolicyConfigSchema(properties=props) if props else None


def _meta(control: Control) -> dict[str, Any]:
    return {
        "description": f"{control.description.en}\n\n{control.description.ja}",
        "display_name": f"{control.id} {control.title.en} / {control.title.ja}",
        "enforcement_level": ENFORCEMENT[control.severity],
        "severity": SEVERITY[control.severity],
        "config_schema": _schema(control),
        "framework": PolicyComplianceFramework(
            name="3省2ガイドライン", version="6.0", reference=control.id, specification=control.source.cite()
        ),
        "tags": [control.family, control.severity],
        "remediation_steps": f"{control.remediation.en}\n\n{control.remediation.ja}",
    }


def resource_policy(
    control: Control, today: Callable[[], dt.date | None] = lambda: None
) -> ResourceValidationPolicy:
    tokens = tokens_for(control.applies_to)

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type not in tokens:
            return
        for f in judge(control, [entry(args)], args.get_config(), today()):
            if f.status == "FAIL":
                rule = f.resource.id[len(args.urn) :] if f.resource.id.startswith(args.urn) else ""
                report_violation(f"{rule.lstrip('.') + ': ' if rule else ''}{message(f)}", None)

    return ResourceValidationPolicy(name=control.id, validate=validate, **_meta(control))


def stack_policy(
    control: Control, today: Callable[[], dt.date | None] = lambda: None
) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        for f in judge(control, [entry(r) for r in args.resources], args.get_config(), today()):
            if f.status == "FAIL":
                report_violation(message(f), base_urn(f.resource.id))

    return StackValidationPolicy(name=control.id, validate=validate, **_meta(control))


def unknown_policy(
    controls: list[Control], today: Callable[[], dt.date | None] = lambda: None
) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        resources = normalize([entry(r) for r in args.resources])
        result = _engine("{}").scan(resources, controls, today=today())
        for f in result.findings:
            if f.status in ("UNKNOWN", "ERROR"):
                report_violation(f"{f.control_id} {f.status}: {message(f)}", base_urn(f.resource.id))

    return StackValidationPolicy(
        name=UNKNOWN_POLICY,
        description="Lists what sansho could not judge (UNKNOWN is never a pass), with the reason. / "
        "sansho が判定できなかった管理策と資源を理由とともに示します(判定不能は適合ではありません)。",
        display_name="sansho: not judged / 判定不能",
        validate=validate,
        enforcement_level=EnforcementLevel.ADVISORY,
        remediation_steps="Set the value in the program (not only at apply time), or judge the deployed "
        "estate with `sansho scan --live aws|azure|gcp`. / プログラムで値を確定させるか、デプロイ後に "
        "`sansho scan --live aws|azure|gcp` で判定してください。",
    )


def build_policies(
    catalog: Catalog | None = None, today: Callable[[], dt.date | None] = lambda: None
) -> list[Any]:
    """Every policy of the pack, in catalog order, then ``sansho-unknown``."""
    controls = pack_controls(catalog)
    policies: list[Any] = [
        stack_policy(c, today) if is_stack_control(c) else resource_policy(c, today) for c in controls
    ]
    return [*policies, unknown_policy(controls, today)]
