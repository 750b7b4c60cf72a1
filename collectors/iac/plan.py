"""Terraform plan JSON (``terraform show -json plan.out``).

Resources come from ``planned_values`` (root and child modules, ``count``/``for_each`` already
expanded by Terraform). A value Terraform only knows after apply is absent from
``planned_values`` and ``true`` in ``resource_changes[].change.after_unknown``: it becomes
:class:`Unresolved`, never a default. Regions come from ``configuration.provider_config`` (each
resource's ``provider_config_key`` already points at the configuration passed into its module),
with ``var.*`` references read from the plan's ``variables``; tags from ``tags_all`` (Terraform's
merge of the provider's ``default_tags``) where known, else from the same configuration. Split-off resources are joined to
their bucket / vault by name where the planned value is known, otherwise through the references
in ``configuration``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from sansho.policies.model import Resource

from .common import Unresolved, display_path, merge_default_tags, parse_policy_text, read_json_document
from .normalize import normalize_all, provider_of, supported_types
from .suppress import Block
from .tfaws import TfRes

UNKNOWN_AFTER_APPLY = "(known after apply)"


def _mark_unknown(values: Any, unknown: Any) -> Any:
    if unknown is True:
        return Unresolved(UNKNOWN_AFTER_APPLY)
    if isinstance(values, dict) and isinstance(unknown, dict):
        out = dict(values)
        for k, u in unknown.items():
            out[k] = _mark_unknown(values.get(k), u)
        return out
    if isinstance(values, list) and isinstance(unknown, list):
        return [_mark_unknown(v, unknown[i]) if i < len(unknown) else v for i, v in enumerate(values)]
    if values is None and isinstance(unknown, (dict, list)) and unknown:
        return Unresolved(UNKNOWN_AFTER_APPLY)
    return values


def _walk_planned(mod: dict[str, Any]) -> list[dict[str, Any]]:
    out = list(mod.get("resources") or [])
    for child in mod.get("child_modules") or []:
        out += _walk_planned(child)
    return out


def _module_path(address: str) -> str:
    """``module.a["x"].module.b.aws_s3_bucket.this[0]`` → ``module.a["x"].module.b``."""
    parts = re.findall(r'module\.[\w-]+(?:\[[^\]]*\])?', address)
    prefix = ".".join(parts)
    return prefix if address.startswith(prefix) else ""


def _config_module(config: dict[str, Any], module_path: str) -> dict[str, Any] | None:
    mod = config.get("root_module") or {}
    for name in re.findall(r"module\.([\w-]+)", module_path):
        call = (mod.get("module_calls") or {}).get(name)
        if call is None:
            return None
        mod = call.get("module") or {}
    return mod


class PlanLinks:
    def __init__(self, by_addr: dict[str, TfRes], config: dict[str, Any]):
        self.by_addr = by_addr
        self.config = config

    def _expr(self, res: TfRes, path: tuple[str, ...]) -> Any:
        mod = _config_module(self.config, res.extra["module"])
        if mod is None:
            return None
        conf = next((r for r in mod.get("resources") or []
                     if r.get("address") == res.extra["config_address"]), None)
        node: Any = (conf or {}).get("expressions") or {}
        for key in path:
            if isinstance(node, list):
                node = node[0] if node else {}
            if not isinstance(node, dict):
                return None
            node = node.get(key)
        if isinstance(node, list):
            node = node[0] if node else None
        return node

    def _resolve(self, refs: list[str], module_path: str, depth: int = 0) -> str | None:
        if depth > 10:
            return None
        for ref in refs:
            m = re.match(r"^((?:aws|azurerm|google)_\w+)\.([\w-]+)", ref)
            if m:
                base = f"{module_path}.{m.group(0)}" if module_path else m.group(0)
                for cand in (base, f"{base}[0]"):
                    if cand in self.by_addr:
                        return cand
                continue
            m = re.match(r"^var\.([\w-]+)", ref)
            if m and module_path:
                parent = ".".join(module_path.split(".")[:-2])
                pmod = _config_module(self.config, parent)
                name = module_path.split(".")[-1]
                call = ((pmod or {}).get("module_calls") or {}).get(re.sub(r"\[.*$", "", name)) or {}
                expr = (call.get("expressions") or {}).get(m.group(1)) or {}
                hit = self._resolve(expr.get("references") or [], parent, depth + 1)
                if hit:
                    return hit
                continue
            m = re.match(r"^module\.([\w-]+)\.([\w-]+)", ref)
            if m:
                child = f"{module_path}.module.{m.group(1)}" if module_path else f"module.{m.group(1)}"
                cmod = _config_module(self.config, child) or {}
                out = ((cmod.get("outputs") or {}).get(m.group(2)) or {}).get("expression") or {}
                hit = self._resolve(out.get("references") or [], child, depth + 1)
                if hit:
                    return hit
        return None

    def target(self, res: TfRes, path: tuple[str, ...], value: Any, types: tuple[str, ...]) -> TfRes | None:
        if isinstance(value, str) and value:
            name = value[len("arn:aws:s3:::"):] if value.startswith("arn:aws:s3:::") else value
            if name.startswith(("/subscriptions/", "projects/")):
                name = name.rstrip("/").rsplit("/", 1)[-1]  # an Azure resource ID or a GCP resource name
            hits = [r for r in self.by_addr.values() if r.type in types and name in (
                r.attrs.get("bucket"), r.attrs.get("name"), r.attrs.get("id"), r.attrs.get("arn"),
                r.attrs.get("cluster_identifier"))]
            if len(hits) == 1:
                return hits[0]
        expr = self._expr(res, path)
        if isinstance(expr, dict) and expr.get("references"):
            hit = self._resolve(expr["references"], res.extra["module"])
            if hit and self.by_addr[hit].type in types:
                return self.by_addr[hit]
        return None


def _provider_region(config: dict[str, Any], variables: dict[str, Any], key: str | None
                     ) -> tuple[str | None, str | None]:
    if not key:
        return None, "the plan names no provider configuration for this resource"
    pc = (config.get("provider_config") or {}).get(key)
    if pc is None:
        return None, f"provider configuration {key} is not in the plan"
    expr = (pc.get("expressions") or {}).get("region")
    google = (pc.get("name") or key).startswith("google")
    if not expr and google and (pc.get("expressions") or {}).get("zone"):
        zone, why = _provider_region({"provider_config": {key: {"expressions": {
            "region": pc["expressions"]["zone"]}}}}, variables, key)
        return (re.sub(r"-[a-z]$", "", zone), None) if zone else (None, why)
    if not expr:
        env = "GOOGLE_REGION" if google else "AWS_REGION"
        return None, f"provider {key} sets no region ({env} decided it at plan time, not recorded)"
    if isinstance(expr.get("constant_value"), str):
        return expr["constant_value"], None
    for ref in expr.get("references") or []:
        m = re.match(r"^var\.([\w-]+)$", ref)
        if m and ":" not in key:
            v = (variables.get(m.group(1)) or {}).get("value")
            if isinstance(v, str):
                return v, None
    return None, f"region of provider {key} could not be resolved"


def _provider_default_tags(config: dict[str, Any], variables: dict[str, Any], key: str | None
                           ) -> dict[str, Any] | Unresolved | None:
    """``default_tags { tags = … }`` of a provider configuration, from its expressions: a constant
    map, or a root variable's value; anything else (locals, functions, references inside a
    module) is left :class:`Unresolved`."""
    pc = (config.get("provider_config") or {}).get(key or "")
    blocks = ((pc or {}).get("expressions") or {}).get("default_tags")
    block = blocks[0] if isinstance(blocks, list) and blocks else blocks
    expr = block.get("tags") if isinstance(block, dict) else None
    if not isinstance(expr, dict):
        return None
    if "constant_value" in expr:
        v = expr["constant_value"]
        return v if isinstance(v, dict) or v is None else Unresolved(repr(v))
    refs = expr.get("references") or []
    m = re.match(r"^var\.([\w-]+)$", refs[0]) if len(refs) == 1 else None
    if m and ":" not in (key or ""):  # only the root module's variables are in the plan
        v = (variables.get(m.group(1)) or {}).get("value")
        if isinstance(v, dict):
            return v
    return Unresolved(" ".join(refs) or "default_tags")


def _effective_tags(values: dict[str, Any], default: dict[str, Any] | Unresolved | None) -> Any:
    """Terraform's own merge (``tags_all``) where the plan knows it, else the same merge here."""
    tags_all = values.get("tags_all")
    if isinstance(tags_all, dict):
        return tags_all
    return merge_default_tags(default, values.get("tags"))


def load_plan(path: Path) -> tuple[list[Resource] | None, list[tuple[str, str]], list[Block]]:
    disp = display_path(path)
    doc, text, bad = read_json_document(path)
    if bad is not None:
        return None, [bad], []
    config = doc.get("configuration") or {}
    variables = doc.get("variables") or {}
    unknown_of = {rc.get("address"): ((rc.get("change") or {}).get("after_unknown") or {})
                  for rc in doc.get("resource_changes") or []}
    planned = _walk_planned((doc.get("planned_values") or {}).get("root_module") or {})
    if not planned and not doc.get("planned_values"):
        return None, [(disp, "Terraform plan JSON without planned_values (was it `terraform show -json` of a plan?)")], []

    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if '"planned_values"' in line), 0)
    tf: list[TfRes] = []
    for r in planned:
        if r.get("mode", "managed") != "managed" or r.get("type") not in supported_types():
            continue
        addr = r["address"]
        module = _module_path(addr)
        values = _mark_unknown(r.get("values") or {}, unknown_of.get(addr, {}))
        mod_conf = _config_module(config, module) or {}
        config_address = f"{r['type']}.{r['name']}"
        conf: dict[str, Any] = next(
            (c for c in mod_conf.get("resources") or [] if c.get("address") == config_address), {})
        if provider_of(r["type"]) in ("azurerm", "google"):
            # An attribute the configuration does not set and Terraform only learns at apply is the
            # provider's default: absent, as in HCL, so the normalizer applies the documented default
            # (a google resource's region: the provider's, read below) or says UNKNOWN.
            exprs = conf.get("expressions") or {}
            for key in [k for k, v in values.items() if isinstance(v, Unresolved) and k not in exprs]:
                values.pop(key)
        region_v = values.get("region")
        if provider_of(r["type"]) == "azurerm":
            region, why = None, None  # every azurerm resource carries its own `location`
        elif isinstance(region_v, str):
            region, why = region_v, None
        else:
            region, why = _provider_region(config, variables, conf.get("provider_config_key"))
        line = next((i + 1 for i in range(start, len(lines)) if f'"address": "{_json_str(addr)}"' in lines[i]), None)
        res = TfRes(address=addr, type=r["type"], attrs=values, file=disp, line=line, region=region,
                    region_error=why, extra={"module": module, "config_address": config_address})
        if provider_of(r["type"]) == "aws":
            res.extra["tags"] = _effective_tags(
                values, _provider_default_tags(config, variables, conf.get("provider_config_key")))
        if "policy" in values:
            pol = values["policy"]
            res.policy = pol if isinstance(pol, Unresolved) else parse_policy_text(pol) if pol else None
            if pol and res.policy is None:
                res.policy = Unresolved("policy is not JSON")
        tf.append(res)
    by_addr = {r.address: r for r in tf}
    resources = normalize_all(tf, PlanLinks(by_addr, config))
    blocks = [Block(disp, r.source.line, r.source.line, (r.id,)) for r in resources if r.source.line]
    return resources, [], blocks


def _json_str(s: str) -> str:
    return json.dumps(s)[1:-1]
