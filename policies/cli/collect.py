"""``sansho collect aws|azure|gcp|onprem`` and ``sansho init``: reading sources into inventories."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .options import (
    DEFAULT_LANG,
    AwsEndpointOpt,
    AwsOrgRoleOpt,
    AwsProfileOpt,
    AwsRegionsOpt,
    AwsRoleOpt,
    AzureSubsOpt,
    AzureTenantOpt,
    ConfigOpt,
    EndpointOpt,
    FromExportOpt,
    GcpFolderOpt,
    GcpOrgOpt,
    GcpProjectsOpt,
    InventoryOutOpt,
    Lang,
    LangOpt,
    PrintPermissionsOpt,
    TemplateFormat,
)


def collect_aws(
    profile: AwsProfileOpt = None,
    regions: AwsRegionsOpt = "all",
    role_arn: AwsRoleOpt = None,
    org_role: AwsOrgRoleOpt = None,
    endpoint_url: AwsEndpointOpt = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Inventory file to write (default: stdout).")] = None,
    print_policy: Annotated[bool, typer.Option(
        "--print-policy", help="Print the least-privilege read-only IAM policy the collector needs, and exit.")] = False,
    config: ConfigOpt = None,
) -> None:
    """Read an AWS account's configuration into an inventory. / AWS アカウントの設定を収集します。"""
    import json

    from ..output import write_output

    if print_policy:
        from sansho.collectors.aws.permissions import policy_document

        write_output(json.dumps(policy_document(), indent=2), output)
        return
    from ..catalog import load_catalog
    from ..config import load_config
    from ..inventory import dump_inventory
    from ..live import LiveOptions
    from ..scanning import collect_live

    tag_keys = load_config(config, load_catalog()).tag_keys
    resources, errors = collect_live(LiveOptions("aws", profile, regions, role_arn, endpoint_url, org_role,
                                                 tag_keys=tag_keys))
    write_output(dump_inventory(resources, generator="sansho collect aws", errors=errors), output)


def collect_azure(
    subscriptions: AzureSubsOpt = "all",
    tenant: AzureTenantOpt = None,
    endpoint_url: EndpointOpt = None,
    from_export: FromExportOpt = None,
    output: InventoryOutOpt = None,
    print_permissions: PrintPermissionsOpt = False,
    config: ConfigOpt = None,
    lang: LangOpt = DEFAULT_LANG,
) -> None:
    """Read Azure subscriptions through Resource Graph, or an `az graph query -o json` export.
    / Azure のサブスクリプションの設定を収集します。"""
    _collect_cloud("azure", dict(subscriptions=subscriptions, tenant=tenant, endpoint_url=endpoint_url),
                   from_export, output, print_permissions, config, lang)


def collect_gcp(
    organization: GcpOrgOpt = None,
    folder: GcpFolderOpt = None,
    projects: GcpProjectsOpt = None,
    endpoint_url: EndpointOpt = None,
    from_export: FromExportOpt = None,
    output: InventoryOutOpt = None,
    print_permissions: PrintPermissionsOpt = False,
    config: ConfigOpt = None,
    lang: LangOpt = DEFAULT_LANG,
) -> None:
    """Read GCP through Cloud Asset Inventory, or a `gcloud asset export` / `search-all-resources` export.
    / GCP の設定を Cloud Asset Inventory から収集します。"""
    _collect_cloud("gcp", dict(organization=organization, folder=folder, projects=projects,
                                          endpoint_url=endpoint_url), from_export, output, print_permissions, config, lang)


def _collect_cloud(source: str, args: dict[str, str | None], from_export: Path | None, output: Path | None,
                   print_permissions: bool, config: Path | None, lang: Lang) -> None:
    """`collect azure|gcp`: the collector package provides ``permissions_text``, ``from_export``
    (tag keys from sansho.yaml) and ``collect_live``; the CLI only chooses and writes the inventory."""
    import importlib

    from ..catalog import load_catalog
    from ..config import load_config
    from ..inventory import dump_inventory
    from ..live import LiveOptions
    from ..output import write_output

    collector = importlib.import_module(f"sansho.collectors.{source}")
    if print_permissions:
        write_output(collector.permissions_text(lang.value), output)
        return
    tag_keys = load_config(config, load_catalog()).tag_keys
    if from_export is not None:
        resources, errors = collector.from_export(from_export, tag_keys)
    else:
        resources, errors = collector.collect_live(
            LiveOptions(source, **{k: v for k, v in args.items() if v is not None}, tag_keys=tag_keys))
    write_output(dump_inventory(resources, generator=f"sansho collect {source}", errors=errors), output)


def collect_onprem(
    directory: Annotated[Path, typer.Argument(help="Folder of register files (sites, networks, flows, devices, "
                                              "accounts, backups, vendors, attestations, provider_services, "
                                              "provider_risks; .yaml/.yml/.csv).")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Inventory file to write (default: stdout).")] = None,
    lang: LangOpt = DEFAULT_LANG,
) -> None:
    """Read on-prem registers (YAML/CSV) into an inventory. / オンプレミスの台帳(YAML・CSV)を読み込みます。

    Every problem in every file is reported, one per line; exit code 2 when there is any.
    """
    from sansho.collectors.onprem import collect
    from sansho.collectors.onprem.normalize import summary

    from ..inventory import dump_inventory
    from ..output import write_output

    resources = collect(directory, lang=lang.value)
    write_output(dump_inventory(resources, generator="sansho collect onprem"), output)
    counts = summary(resources)
    parts = ", ".join(f"{kind} {n}" for kind, n in counts.items()) or "-"
    where = str(output) if output is not None else "stdout"
    if lang == Lang.ja:
        line = f"{directory}: {len(resources)} 件の資源を収集しました({parts}) → {where}"
    else:
        line = f"{directory}: collected {len(resources)} resources ({parts}) → {where}"
    sys.stderr.write(line + "\n")


def init(
    directory: Annotated[Path, typer.Argument(help="Folder to write the templates into (created if missing).")],
    lang: LangOpt = DEFAULT_LANG,
    format: Annotated[TemplateFormat, typer.Option("--format", help="yaml (commented) or csv (for Excel).")] = TemplateFormat.yaml,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    provider: Annotated[bool, typer.Option(
        "--provider", help="A provider's own registers instead (services and risk register; METI/MIC provider "
        "guideline). / 提供事業者の台帳(サービス・リスク台帳)を作成します。")] = False,
) -> None:
    """Write starter templates for the on-prem registers (--provider: a provider's own).
    / オンプレミス台帳(--provider: 提供事業者の台帳)のひな形を作成します。"""
    from sansho.collectors.onprem.templates import write_templates

    written = write_templates(directory, lang=lang.value, fmt=format.value, force=force, provider=provider)
    names = ", ".join(p.name for p in written)
    if lang == Lang.ja:
        sys.stderr.write(f"{directory}: ひな形を {len(written)} 件作成しました({names})\n")
    else:
        sys.stderr.write(f"{directory}: wrote {len(written)} templates ({names})\n")


def register(app: typer.Typer) -> None:
    collect_app = typer.Typer(help="Collect an inventory from a source. / インベントリを収集します。", no_args_is_help=True)
    collect_app.command("aws")(collect_aws)
    collect_app.command("azure")(collect_azure)
    collect_app.command("gcp")(collect_gcp)
    collect_app.command("onprem")(collect_onprem)
    app.add_typer(collect_app, name="collect")
    app.command("init")(init)
