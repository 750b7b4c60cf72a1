"""The ``sansho`` command line.

Heavy libraries (pydantic models, regorus, the renderers) are imported inside the commands
that use them, so ``sansho --help`` stays fast.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="sansho",
    help="3省2ガイドライン (医療情報システムの安全管理に関するガイドライン 第6.0版) compliance checks "
    "for cloud, IaC and on-prem estates. / 医療情報を扱うシステムを3省2ガイドラインに照らして点検します。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
rego_app = typer.Typer(help="Rego policies: OPA bundle export. / Rego ポリシーの書き出し", no_args_is_help=True)
app.add_typer(rego_app, name="rego")
collect_app = typer.Typer(help="Collect an inventory from a source. / インベントリを収集します。", no_args_is_help=True)
app.add_typer(collect_app, name="collect")


class Lang(str, Enum):
    ja = "ja"
    en = "en"


class ScanFormat(str, Enum):
    table = "table"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    csv = "csv"


class ListFormat(str, Enum):
    table = "table"
    json = "json"


class SeverityOpt(str, Enum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    info = "info"


class EngineOpt(str, Enum):
    regorus = "regorus"
    opa = "opa"


class TemplateFormat(str, Enum):
    yaml = "yaml"
    csv = "csv"


class SchemaName(str, Enum):
    inventory = "inventory"
    catalog = "catalog"
    config = "config"


DEFAULT_LANG: Lang = Lang(os.environ.get("SANSHO_LANG", "ja")) if os.environ.get("SANSHO_LANG") in ("ja", "en") else Lang.ja

LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of messages and titles (ja|en).")]
# AWS connection options, shared by `collect aws` and `scan --live aws`.
AwsProfileOpt = Annotated[str | None, typer.Option("--profile", help="AWS profile (default: the SDK's chain).")]
AwsRegionsOpt = Annotated[str, typer.Option("--regions", help="all (the account's enabled regions) or R1,R2.")]
AwsRoleOpt = Annotated[str | None, typer.Option("--role-arn", help="Assume this role before reading.")]
AwsOrgRoleOpt = Annotated[str | None, typer.Option(
    "--org-role", help="Read every account of the AWS Organization through this role name.")]
AwsEndpointOpt = Annotated[str | None, typer.Option(
    "--endpoint-url", help="Send every AWS client to this endpoint (emulators, private VPC endpoints).")]


# Azure and GCP scope options, shared by `collect azure|gcp` and `scan --live azure|gcp`.
AzureSubsOpt = Annotated[str, typer.Option("--subscriptions", help="Azure: all (every subscription the identity sees) or ID,ID.")]
AzureTenantOpt = Annotated[str | None, typer.Option("--tenant", help="Azure: tenant ID for DefaultAzureCredential.")]
GcpOrgOpt = Annotated[str | None, typer.Option("--organization", help="GCP: read every project of this organization ID.")]
GcpFolderOpt = Annotated[str | None, typer.Option("--folder", help="GCP: read every project under this folder ID.")]
GcpProjectsOpt = Annotated[str | None, typer.Option("--projects", help="GCP: these project IDs (P1,P2).")]
EndpointOpt = Annotated[str | None, typer.Option(
    "--endpoint-url", help="Send the SDK to this endpoint (sovereign clouds, private endpoints, tests).")]
FromExportOpt = Annotated[Path | None, typer.Option(
    "--from-export", help="Read an export file instead of the live API (no credentials needed).")]
PrintPermissionsOpt = Annotated[bool, typer.Option(
    "--print-permissions", help="Print the roles and permissions the collector needs, and exit.")]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="sansho.yaml (default: ./sansho.yaml if present).")]
InventoryOutOpt = Annotated[Path | None, typer.Option("-o", "--output", help="Inventory file to write (default: stdout).")]


class LiveSource(str, Enum):
    aws = "aws"
    azure = "azure"
    gcp = "gcp"


FamilyOpt = Annotated[str | None, typer.Option("--family", help="Only this control family.")]


def _version_callback(value: bool) -> None:
    if value:
        from .output import tool_version

        typer.echo(f"sansho {tool_version()}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version_callback, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    pass


def _check_family(family: str | None) -> None:
    from .catalog import FAMILIES
    from .errors import InputError

    if family is not None and family not in FAMILIES:
        raise InputError(f"--family: unknown family {family!r} (choose from {', '.join(FAMILIES)})")


@app.command()
def controls(
    family: FamilyOpt = None,
    lang: LangOpt = DEFAULT_LANG,
    format: Annotated[ListFormat, typer.Option("--format", help="table or json.")] = ListFormat.table,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file.")] = None,
) -> None:
    """List the control catalog. / 管理策カタログを一覧表示します。"""
    import json

    from .catalog import load_catalog
    from .output import write_output

    _check_family(family)
    chosen = load_catalog().select(family=family)
    if format == ListFormat.json:
        write_output(json.dumps([c.summary() for c in chosen], ensure_ascii=False, indent=2), output)
        return
    from .console import controls_table

    controls_table(chosen, lang.value, output)


@app.command()
def scan(
    inventory: Annotated[list[Path] | None, typer.Argument(help="Inventory file(s) written by `sansho collect`.")] = None,
    live: Annotated[LiveSource | None, typer.Option("--live", help="Collect from this source first, then scan.")] = None,
    profile: AwsProfileOpt = None,
    regions: AwsRegionsOpt = "all",
    role_arn: AwsRoleOpt = None,
    org_role: AwsOrgRoleOpt = None,
    endpoint_url: AwsEndpointOpt = None,
    subscriptions: AzureSubsOpt = "all",
    tenant: AzureTenantOpt = None,
    organization: GcpOrgOpt = None,
    folder: GcpFolderOpt = None,
    projects: GcpProjectsOpt = None,
    format: Annotated[ScanFormat, typer.Option("--format", help="table, json, sarif, junit or csv.")] = ScanFormat.table,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the report to this file.")] = None,
    fail_on: Annotated[SeverityOpt | None, typer.Option(
        "--fail-on", help="Exit 1 when a FAIL at or above this severity remains (default: high).")] = None,
    fail_on_unknown: Annotated[bool, typer.Option(
        "--fail-on-unknown", help="Also exit 1 for UNKNOWN findings at or above --fail-on.")] = False,
    control_ids: Annotated[str | None, typer.Option("--controls", help="Comma-separated control IDs.")] = None,
    family: FamilyOpt = None,
    lang: LangOpt = DEFAULT_LANG,
    config: Annotated[Path | None, typer.Option("--config", help="sansho.yaml (default: ./sansho.yaml if present).")] = None,
    engine: Annotated[EngineOpt, typer.Option("--engine", help="Rego engine: embedded regorus, or an OPA server.")] = EngineOpt.regorus,
    opa_url: Annotated[str | None, typer.Option("--opa-url", help="OPA server URL for --engine opa.")] = None,
    opa_push: Annotated[bool, typer.Option("--opa-push", help="Load sansho's policies and data into the OPA server first.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Judge dates as of YYYY-MM-DD (default: today).")] = None,
    save: Annotated[bool | None, typer.Option(
        "--save/--no-save", help="Record the result in the scan history (default: on when sansho.yaml has a "
        "history section with save: true, or --history is given).")] = None,
    history: Annotated[str | None, typer.Option(
        "--history", help="History store: a file path (SQLite) or a database URL (postgresql+psycopg://…); "
        "overrides sansho.yaml's history.url.")] = None,
) -> None:
    """Judge inventories against the catalog. / インベントリを管理策に照らして判定します。

    Exit codes: 0 no FAIL at or above --fail-on, 1 there is one, 2 usage or input error (also when the
    scan could not be saved to the history; the report is written first).
    """
    from .errors import InputError
    from .scanning import LiveOptions, run_scan

    if not inventory and live is None:
        raise InputError("scan: give inventory file(s), or --live aws|azure|gcp")
    live_opts = LiveOptions(live.value, profile, regions, role_arn, endpoint_url, org_role, subscriptions=subscriptions,
                            tenant=tenant, organization=organization, folder=folder, projects=projects) if live else None
    code = run_scan(
        inventory or [], live=live_opts, format=format.value, output=output, fail_on=fail_on.value if fail_on else None,
        fail_on_unknown=fail_on_unknown, control_ids=control_ids, family=family, lang=lang.value,
        config=config, engine=engine.value, opa_url=opa_url, opa_push=opa_push, as_of=_parse_date(as_of),
        save=save, history=history,
    )
    raise typer.Exit(code)


def _parse_date(value: str | None) -> dt.date | None:
    from .errors import InputError

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of: {value!r} is not a date (YYYY-MM-DD)") from None


@app.command()
def demo(
    output_dir: Annotated[Path, typer.Option("-o", "--output-dir", help="Folder for the JSON and SARIF reports.")] = Path("sansho-demo"),
    lang: LangOpt = DEFAULT_LANG,
) -> None:
    """Scan the bundled sample hospital estate. / 同梱のサンプル病院環境を点検します。"""
    from .scanning import run_demo

    raise typer.Exit(run_demo(output_dir, lang.value))


@app.command()
def schema(
    name: Annotated[SchemaName, typer.Argument(help="inventory, catalog or config.")],
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """Print a JSON Schema. / JSON スキーマを出力します。"""
    import json

    from .output import write_output

    if name == SchemaName.inventory:
        from .inventory import inventory_json_schema

        text = inventory_json_schema()
    elif name == SchemaName.catalog:
        from .catalog import catalog_json_schema

        text = catalog_json_schema()
    else:
        from .config import Config

        text = json.dumps(Config.model_json_schema(), ensure_ascii=False, indent=2)
    write_output(text, output)


@collect_app.command("onprem")
def collect_onprem(
    directory: Annotated[Path, typer.Argument(help="Folder of register files (sites, networks, flows, devices, "
                                              "accounts, backups, vendors, attestations; .yaml/.yml/.csv).")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Inventory file to write (default: stdout).")] = None,
    lang: LangOpt = DEFAULT_LANG,
) -> None:
    """Read on-prem registers (YAML/CSV) into an inventory. / オンプレミスの台帳(YAML・CSV)を読み込みます。

    Every problem in every file is reported, one per line; exit code 2 when there is any.
    """
    from sansho.collectors.onprem import collect
    from sansho.collectors.onprem.normalize import summary

    from .inventory import dump_inventory
    from .output import write_output

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


@app.command()
def iac(
    paths: Annotated[list[Path], typer.Argument(help="Terraform directories, plan JSON files, CloudFormation templates.")],
    format: Annotated[ScanFormat, typer.Option("--format", help="table, json, sarif, junit or csv.")] = ScanFormat.table,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the report to this file.")] = None,
    fail_on: Annotated[SeverityOpt | None, typer.Option(
        "--fail-on", help="Exit 1 when a FAIL at or above this severity remains (default: high).")] = None,
    var_file: Annotated[list[Path] | None, typer.Option("--var-file", help="Terraform -var-file (repeatable).")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="sansho.yaml (default: ./sansho.yaml if present).")] = None,
    region: Annotated[str | None, typer.Option(
        "--region", help="Region CloudFormation templates deploy to (a template does not say).")] = None,
    control_ids: Annotated[str | None, typer.Option("--controls", help="Comma-separated control IDs.")] = None,
    family: FamilyOpt = None,
    lang: LangOpt = DEFAULT_LANG,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Judge dates as of YYYY-MM-DD (default: today).")] = None,
) -> None:
    """Judge Terraform, Terraform plans and CloudFormation before deploy. / IaC をデプロイ前に判定します。

    Exit codes: 0 no FAIL at or above --fail-on, 1 there is one, 2 nothing could be scanned.
    """
    from .scanning import run_iac

    raise typer.Exit(run_iac(
        paths, format=format.value, output=output, fail_on=fail_on.value if fail_on else None,
        var_files=var_file or [], config=config, region=region, control_ids=control_ids, family=family,
        lang=lang.value, as_of=_parse_date(as_of),
    ))


@app.command("checkov-checks")
def checkov_checks(
    output_dir: Annotated[Path | None, typer.Option(
        "-o", "--output-dir", help="Write the check files into this folder (default: print the installed one).")] = None,
) -> None:
    """Print a folder for `checkov --external-checks-dir`: sansho's controls as checkov checks.
    / sansho の管理策を checkov のカスタムチェックとして使うためのフォルダを出力します。

    The checks call sansho's own IaC reader and engine (ids CKV_SANSHO_<FAMILY>_<NNN>), so checkov
    and `sansho iac` give the same verdicts. sansho must be installed in checkov's environment.
    """
    from importlib import resources

    from .errors import InputError

    bundled = Path(str(resources.files("sansho.policies.iac.checkov_checks")))
    if output_dir is None:
        typer.echo(str(bundled))
        return
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        (output_dir / "__init__.py").write_text(
            "# checkov loads only folders with an __init__.py; the checks are in sansho_checks.py\n", encoding="utf-8")
        (output_dir / "sansho_checks.py").write_text(
            (bundled / "sansho_checks.py").read_text(encoding="utf-8"), encoding="utf-8")
    except OSError as e:
        raise InputError(f"{output_dir}: cannot write: {e.strerror or e}") from None
    typer.echo(str(output_dir))


@collect_app.command("aws")
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

    from .output import write_output

    if print_policy:
        from sansho.collectors.aws.permissions import policy_document

        write_output(json.dumps(policy_document(), indent=2), output)
        return
    from .catalog import load_catalog
    from .config import load_config
    from .inventory import dump_inventory
    from .scanning import LiveOptions, collect_live

    tag_keys = load_config(config, load_catalog()).tag_keys
    resources, errors = collect_live(LiveOptions("aws", profile, regions, role_arn, endpoint_url, org_role,
                                                 tag_keys=tag_keys))
    write_output(dump_inventory(resources, generator="sansho collect aws", errors=errors), output)


@collect_app.command("azure")
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


@collect_app.command("gcp")
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

    from .catalog import load_catalog
    from .config import load_config
    from .inventory import dump_inventory
    from .output import write_output
    from .scanning import LiveOptions

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


@app.command("init")
def init(
    directory: Annotated[Path, typer.Argument(help="Folder to write the templates into (created if missing).")],
    lang: LangOpt = DEFAULT_LANG,
    format: Annotated[TemplateFormat, typer.Option("--format", help="yaml (commented) or csv (for Excel).")] = TemplateFormat.yaml,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Write starter templates for the on-prem registers. / オンプレミス台帳のひな形を作成します。"""
    from sansho.collectors.onprem.templates import write_templates

    written = write_templates(directory, lang=lang.value, fmt=format.value, force=force)
    names = ", ".join(p.name for p in written)
    if lang == Lang.ja:
        sys.stderr.write(f"{directory}: ひな形を {len(written)} 件作成しました({names})\n")
    else:
        sys.stderr.write(f"{directory}: wrote {len(written)} templates ({names})\n")


@rego_app.command("bundle")
def rego_bundle(
    output: Annotated[Path, typer.Option("-o", "--output", help="Bundle file to write.")] = Path("bundle.tar.gz"),
    config: Annotated[Path | None, typer.Option("--config", help="sansho.yaml whose parameters go into the data.")] = None,
) -> None:
    """Write an OPA bundle (policies + catalog data). / OPA バンドルを書き出します。"""
    from .bundle import write_bundle

    n = write_bundle(output, config)
    from rich.console import Console

    Console(stderr=True).print(f"wrote {output} ({n} policies)")


# Commands kept in modules of their own (they import this module's shared options, so they
# register after everything above is defined). One line each.
# -- registered commands --
from .cli_history import register as _register_history; _register_history(app)  # noqa: E402, E702, I001
from .cli_outputs import register as _register_outputs; _register_outputs(app)  # noqa: E402, E702, I001
from .cli_report import register as _register_report; _register_report(app)  # noqa: E402, E702, I001


def main() -> None:
    """Entry point: every user-facing error is one line (each line of a multi-line error prefixed)
    and exit 2, never a traceback."""
    from .errors import InputError

    try:
        app()
    except InputError as e:
        lines = str(e).splitlines() or [""]
        sys.stderr.write("".join(f"sansho: error: {line}\n" for line in lines))
        sys.exit(2)
    except KeyboardInterrupt:
        sys.stderr.write("sansho: interrupted\n")
        sys.exit(130)
    except Exception as e:  # a bug of ours: still one line, with a way to see more
        if os.environ.get("SANSHO_DEBUG"):
            raise
        sys.stderr.write(f"sansho: internal error: {type(e).__name__}: {e} (set SANSHO_DEBUG=1 for a traceback)\n")
        sys.exit(3)


if __name__ == "__main__":
    main()
