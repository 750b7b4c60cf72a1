"""``sansho scan``, ``iac`` and ``demo``: judging inventories, live estates and code."""

from __future__ import annotations

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
    ClusterOpt,
    EngineOpt,
    FamilyOpt,
    GcpFolderOpt,
    GcpOrgOpt,
    GcpProjectsOpt,
    LangOpt,
    LiveSource,
    QuietOpt,
    ScanFormat,
    SeverityOpt,
    parse_date,
)


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
    format: Annotated[ScanFormat, typer.Option("--format", help="table, json, jsonl (JSON Lines, for big runs), sarif, junit or csv.")] = ScanFormat.table,
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
    opa_insecure: Annotated[bool, typer.Option(
        "--opa-insecure", help="Allow a plain http --opa-url to another host (loopback http needs no flag). "
        "A bearer token for OPA is read from SANSHO_OPA_TOKEN.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Judge dates as of YYYY-MM-DD (default: today).")] = None,
    save: Annotated[bool | None, typer.Option(
        "--save/--no-save", help="Record the result in the scan history (default: on when sansho.yaml has a "
        "history section with save: true, or --history is given).")] = None,
    history: Annotated[str | None, typer.Option(
        "--history", help="History store: a file path (SQLite) or a database URL (postgresql+psycopg://…); "
        "overrides sansho.yaml's history.url.")] = None,
    cluster: ClusterOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Judge inventories against the catalog. / インベントリを管理策に照らして判定します。

    Exit codes: 0 no FAIL at or above --fail-on, 1 there is one, 2 usage or input error (also when the
    scan could not be saved to the history; the report is written first).
    """
    from ..console import set_quiet
    from ..errors import InputError
    from ..live import LiveOptions
    from ..scanning import run_scan

    set_quiet(quiet)
    if not inventory and live is None:
        raise InputError("scan: give inventory file(s), or --live aws|azure|gcp")
    live_opts = LiveOptions(live.value, profile, regions, role_arn, endpoint_url, org_role, subscriptions=subscriptions,
                            tenant=tenant, organization=organization, folder=folder, projects=projects) if live else None
    code = run_scan(
        inventory or [], live=live_opts, format=format.value, output=output, fail_on=fail_on.value if fail_on else None,
        fail_on_unknown=fail_on_unknown, control_ids=control_ids, family=family, lang=lang.value,
        config=config, engine=engine.value, opa_url=opa_url, opa_push=opa_push, as_of=parse_date(as_of),
        save=save, history=history, opa_insecure=opa_insecure, cluster=cluster,
    )
    raise typer.Exit(code)


def demo(
    output_dir: Annotated[Path, typer.Option("-o", "--output-dir", help="Folder for the JSON and SARIF reports.")] = Path("sansho-demo"),
    lang: LangOpt = DEFAULT_LANG,
) -> None:
    """Scan the bundled sample hospital estate. / 同梱のサンプル病院環境を点検します。"""
    from ..scanning import run_demo

    raise typer.Exit(run_demo(output_dir, lang.value))


def iac(
    paths: Annotated[list[Path], typer.Argument(help="Terraform directories, plan JSON files, CloudFormation templates.")],
    format: Annotated[ScanFormat, typer.Option("--format", help="table, json, jsonl (JSON Lines, for big runs), sarif, junit or csv.")] = ScanFormat.table,
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
    skip_unparsable: Annotated[bool, typer.Option(
        "--skip-unparsable", help="Scan the rest when a file cannot be parsed, and report each such file "
        "(SARIF toolExecutionNotifications, the summary's count) instead of exiting 2.")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Judge Terraform, Terraform plans and CloudFormation before deploy. / IaC をデプロイ前に判定します。

    Exit codes: 0 no FAIL at or above --fail-on, 1 there is one, 2 a file could not be parsed
    (unless --skip-unparsable) or nothing could be scanned.
    """
    from ..console import set_quiet
    from ..scanning import run_iac

    set_quiet(quiet)
    raise typer.Exit(run_iac(
        paths, format=format.value, output=output, fail_on=fail_on.value if fail_on else None,
        var_files=var_file or [], config=config, region=region, control_ids=control_ids, family=family,
        lang=lang.value, as_of=parse_date(as_of), skip_unparsable=skip_unparsable,
    ))


def register(app: typer.Typer) -> None:
    app.command("scan")(scan)
    app.command("iac")(iac)
    app.command("demo")(demo)
