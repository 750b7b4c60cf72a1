"""Runs the landing zone's ``__main__.py`` under Pulumi's mocks and captures every resource as the
engine would send it: type token, name, URN, inputs, provider reference and property dependencies
(read from the real RegisterResource requests, so joins are tested on what Pulumi actually sends).

No Pulumi CLI or provider plugin runs here: ``pulumi.runtime.set_mocks`` stands in for the engine,
and the mocks return the outputs the program reads (ids, ARNs, bucket names).
"""

from __future__ import annotations

import json
import os
import runpy
import sys
from pathlib import Path
from typing import Any

import yaml
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc

import pulumi

ROOT = Path(__file__).resolve().parents[2]
LZ_DIR = ROOT / "pulumi" / "aws-landing-zone"
PACK_DIR = ROOT / "pulumi" / "policy-pack"
PROJECT = yaml.safe_load((LZ_DIR / "Pulumi.yaml").read_text(encoding="utf-8"))["name"]
ACCOUNT = "123456789012"  # an obviously fake account


def dev_config() -> dict[str, Any]:
    """The example stack config, without the project prefix."""
    doc = yaml.safe_load((LZ_DIR / "Pulumi.dev.yaml").read_text(encoding="utf-8"))["config"]
    return {k.split(":", 1)[1]: v for k, v in doc.items()}


class Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.provider_regions: dict[str, str] = {}

    def _region(self, args: pulumi.runtime.MockResourceArgs) -> str:
        own = args.inputs.get("region")
        if isinstance(own, str):
            return own
        parts = (args.provider or "").split("::")  # <urn …::pulumi:providers:aws::NAME>::<id>
        return self.provider_regions.get(parts[-2] if len(parts) > 2 else "", "ap-northeast-1")

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        out = dict(args.inputs)
        token = args.typ
        if token.startswith("pulumi:providers:"):
            self.provider_regions[args.name] = args.inputs.get("region", "")
            return f"{args.name}-id", out
        region = self._region(args)
        service = token.split(":")[1].split("/")[0]
        name = out.get("bucket") or out.get("name") or out.get("identifier") or args.name
        rid = name if token in ("aws:s3/bucket:Bucket", "aws:backup/vault:Vault") else f"{args.name}-id"
        out.setdefault("id", rid)
        if token == "aws:s3/bucket:Bucket":
            out["bucket"] = name
            out["arn"] = f"arn:aws:s3:::{name}"
        elif token == "aws:backup/vault:Vault":
            out["arn"] = f"arn:aws:backup:{region}:{ACCOUNT}:backup-vault:{name}"
        else:
            out["arn"] = f"arn:aws:{service}:{region}:{ACCOUNT}:{args.name}"
        if token == "aws:kms/key:Key":
            out["keyId"] = f"{args.name}-key-id"
        if token == "aws:rds/instance:Instance":
            out["endpoint"] = f"{name}.example.invalid:5432"
        return rid, out

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                "accountId": ACCOUNT,
                "arn": f"arn:aws:iam::{ACCOUNT}:user/test",
                "userId": "AIDTEST",
                "id": ACCOUNT,
            }
        return {}


class CapturingMonitor(pulumi_mocks.MockMonitor):
    """Records each RegisterResource request in the adapter's plain form."""

    def __init__(self, mocks: Mocks, project: str, stack: str) -> None:
        super().__init__(mocks)
        self.project, self.stack = project, stack
        self.captured: list[dict[str, Any]] = []

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        # The base class reads the stack and project from a context the gRPC thread does not share.
        if parent:
            type_ = parent.split("::")[2].split("$").pop() + "$" + type_
        return "urn:pulumi:" + "::".join([self.stack, self.project, type_, name])

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - the gRPC method name
        response = super().RegisterResource(request)
        if request.type == "pulumi:pulumi:Stack":
            return response
        inputs = rpc.deserialize_properties(request.object)
        self.captured.append(
            {
                "type": request.type,
                "name": request.name,
                "urn": response.urn,
                "inputs": inputs,
                "provider": request.provider or None,
                "id": response.id or None,
                "outputs": self.resources[response.urn].state,
                "dependencies": {k: list(v.urns) for k, v in request.propertyDependencies.items()},
            }
        )
        return response


def config_env(config: dict[str, Any]) -> str:
    """PULUMI_CONFIG as the CLI sets it: every value a string, objects as JSON text."""
    return json.dumps(
        {f"{PROJECT}:{k}": v if isinstance(v, str) else json.dumps(v) for k, v in config.items()}
    )


def run_landing_zone(config: dict[str, Any], stack: str = "dev") -> list[dict[str, Any]]:
    """Run the program once with this stack config; return every registered resource."""
    return run_program(LZ_DIR, Mocks(), config, stack)


def run_program(
    folder: Path, mocks: pulumi.runtime.Mocks, config: dict[str, Any], stack: str = "dev"
) -> list[dict[str, Any]]:
    """Run one landing zone's __main__.py under these mocks with this stack config (keys without the
    project prefix); return every registered resource."""
    project = yaml.safe_load((folder / "Pulumi.yaml").read_text(encoding="utf-8"))["name"]
    monitor = CapturingMonitor(mocks, project, stack)
    old_env = os.environ.get("PULUMI_CONFIG")
    os.environ["PULUMI_CONFIG"] = json.dumps(
        {f"{project}:{k}": v if isinstance(v, str) else json.dumps(v) for k, v in config.items()}
    )
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, monitor=monitor)
    # Each landing zone has its own `landing_zone` package: the one of this folder is imported.
    for mod in [m for m in sys.modules if m == "landing_zone" or m.startswith("landing_zone.")]:
        del sys.modules[mod]
    sys.path[:] = [p for p in sys.path if not p.endswith("-landing-zone")]
    sys.path.insert(0, str(folder))
    try:

        @pulumi.runtime.test
        def program() -> None:
            runpy.run_path(str(folder / "__main__.py"), run_name="__main__")

        program()
    finally:
        if old_env is None:
            os.environ.pop("PULUMI_CONFIG", None)
        else:
            os.environ["PULUMI_CONFIG"] = old_env
    return monitor.captured


def stack_config(folder: Path) -> dict[str, Any]:
    """A landing zone's example stack config (Pulumi.dev.yaml), without the project prefix."""
    doc = yaml.safe_load((folder / "Pulumi.dev.yaml").read_text(encoding="utf-8"))["config"]
    return {k.split(":", 1)[1]: v for k, v in doc.items()}


AZ_DIR = ROOT / "pulumi" / "azure-landing-zone"
GCP_DIR = ROOT / "pulumi" / "gcp-landing-zone"
SUBSCRIPTION = "00000000-0000-0000-0000-0000000000aa"  # obviously fake
# The input that names an azure-native resource (its `name` output), resource group last.
_AZ_NAME_KEYS = ("accountName", "vaultName", "keyName", "serverName", "databaseName", "networkSecurityGroupName",
                 "virtualNetworkName", "privateEndpointName", "actionGroupName", "activityLogAlertName",
                 "resourceName", "name", "resourceGroupName")


class AzureMocks(pulumi.runtime.Mocks):
    """azure-native resources answer with their name, an ARM id and the outputs the program reads."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        out = dict(args.inputs)
        if args.typ.startswith("pulumi:providers:"):
            return f"{args.name}-id", out
        name = next((out[k] for k in _AZ_NAME_KEYS if isinstance(out.get(k), str)), args.name)
        kind = args.typ.split(":")[-1]
        rid = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{out.get('resourceGroupName', name)}/{kind}/{name}"
        out.update(name=name, id=rid)
        ident = out.get("identity")
        if isinstance(ident, dict) and isinstance(ident.get("userAssignedIdentities"), list):
            # an input list of identity ids; the resource answers with a map id → identity
            out["identity"] = {**ident, "userAssignedIdentities": {i: {} for i in ident["userAssignedIdentities"]}}
        if args.typ == "azure-native:keyvault:Vault":
            out["properties"] = {**out.get("properties", {}), "vaultUri": f"https://{name}.vault.azure.net/"}
        elif args.typ == "azure-native:keyvault:Key":
            out["keyUriWithVersion"] = f"https://{out.get('vaultName')}.vault.azure.net/keys/{name}/0123456789abcdef"
        elif args.typ == "azure-native:storage:StorageAccount":
            out["primaryEndpoints"] = {"blob": f"https://{name}.blob.core.windows.net/"}
        elif args.typ == "azure-native:network:VirtualNetwork":
            out["subnets"] = [{**sub, "id": f"{rid}/subnets/{sub['name']}"} for sub in out.get("subnets", [])]
        return rid, out

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        if args.token == "azure-native:authorization:getClientConfig":
            return {"subscriptionId": SUBSCRIPTION, "tenantId": "00000000-0000-0000-0000-000000000000",
                    "clientId": "00000000-0000-0000-0000-0000000000cc", "objectId": "00000000-0000-0000-0000-0000000000dd"}
        return {}


def run_azure(config: dict[str, Any]) -> list[dict[str, Any]]:
    return run_program(AZ_DIR, AzureMocks(), config)


# --- CrossGuard arguments, built as the analyzer builds them (pulumi_policy/policy.py) ------------


def _policy_types() -> Any:
    import pulumi_policy as pp
    from pulumi_policy.proxy import unknown_checking_proxy

    return pp, unknown_checking_proxy


def _opts() -> Any:
    pp, _ = _policy_types()
    return pp.PolicyResourceOptions(False, [], None, [], pp.PolicyCustomTimeouts(0, 0, 0), [], None)


def policy_resources(entries: list[dict[str, Any]]) -> list[Any]:
    """StackValidationArgs.resources for captured resources (props behind the unknown-checking proxy,
    providers and property dependencies resolved to objects)."""
    pp, proxy = _policy_types()
    providers = {e["urn"]: e for e in entries if e["type"].startswith("pulumi:providers:")}

    def provider(ref: str | None) -> Any:
        p = providers.get((ref or "").rsplit("::", 1)[0])
        return pp.PolicyProviderResource(p["type"], proxy(p["inputs"]), p["urn"], p["name"]) if p else None

    out = {
        e["urn"]: pp.PolicyResource(
            e["type"],
            proxy(e["inputs"]),
            e["urn"],
            e["name"],
            _opts(),
            provider(e.get("provider")),
            None,
            [],
            {},
        )
        for e in entries
    }
    for e in entries:
        out[e["urn"]].property_dependencies = {
            k: [out[u] for u in v if u in out] for k, v in (e.get("dependencies") or {}).items()
        }
    return list(out.values())


def validate_all(
    policies: list[Any], entries: list[dict[str, Any]], config: dict[str, dict[str, Any]] | None = None
) -> set[tuple[str, str, str]]:
    """Every violation the policies report on these resources: (policy, urn, message)."""
    pp, _ = _policy_types()
    config = config or {}
    resources = policy_resources(entries)
    found: set[tuple[str, str, str]] = set()
    for p in policies:
        if isinstance(p, pp.StackValidationPolicy):
            p.validate(
                pp.StackValidationArgs(resources, config.get(p.name, {})),
                lambda msg, urn=None, p=p: found.add((p.name, urn or "", msg)),
            )
        else:
            for r in resources:
                args = pp.ResourceValidationArgs(
                    r.resource_type, r.props, r.urn, r.name, _opts(), r.provider, config.get(p.name, {})
                )
                p.validate(args, lambda msg, urn=None, p=p, r=r: found.add((p.name, r.urn, msg)))
    return found


def import_pack() -> Any:
    """The pack's policies module, imported the way its __main__.py imports it."""
    if str(PACK_DIR) not in sys.path:
        sys.path.insert(0, str(PACK_DIR))
    import sansho_policies

    return sansho_policies


class GcpMocks(pulumi.runtime.Mocks):
    """pulumi-gcp resources answer with their name, a resource id and the outputs the program reads."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        out = dict(args.inputs)
        if args.typ.startswith("pulumi:providers:"):
            return f"{args.name}-id", out
        name = out.get("name") or out.get("backupVaultId") or args.name
        out.setdefault("name", name)
        if args.typ == "gcp:kms/keyRing:KeyRing":
            rid = f"projects/karte-dev-000000/locations/{out['location']}/keyRings/{name}"
        elif args.typ == "gcp:kms/cryptoKey:CryptoKey":
            rid = f"{out['keyRing']}/cryptoKeys/{name}"
        else:
            rid = f"projects/karte-dev-000000/{args.typ.split(':')[-1].lower()}s/{name}"
        out["id"] = rid
        if args.typ == "gcp:logging/projectSink:ProjectSink":
            out["writerIdentity"] = "serviceAccount:sink-writer@example.iam.gserviceaccount.com"
        return rid, out

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        return {}


def run_gcp(config: dict[str, Any]) -> list[dict[str, Any]]:
    return run_program(GCP_DIR, GcpMocks(), config)
