"""Options and choices shared by the command modules of ``sansho``.

This module imports nothing from the other command modules (and they import only from it), so the
command groups never form an import cycle with the application that registers them.
"""

from __future__ import annotations

import datetime as dt
import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer


class Lang(str, Enum):
    ja = "ja"
    en = "en"


class ScanFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
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
    findings = "findings"


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


ClusterOpt = Annotated[str | None, typer.Option(
    "--cluster", help="Spread collection (--org-role) and judging over Dask: local:N starts N worker processes, "
    "tcp://host:8786 joins a running scheduler (pip install 'sansho[distributed]'; docs/distributed.md).")]
FamilyOpt = Annotated[str | None, typer.Option("--family", help="Only this control family.")]


def parse_date(value: str | None) -> dt.date | None:
    from ..errors import InputError

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--as-of: {value!r} is not a date (YYYY-MM-DD)") from None

# The history readers (history, report, matrix, evidence).
HistoryOpt = Annotated[str | None, typer.Option(
    "--history", help="History store: a file path (SQLite) or a database URL (default: sansho.yaml's history.url, "
    "else the default store in the user data folder).")]
IncludePartialOpt = Annotated[bool, typer.Option(
    "--include-partial", help="Also use scans run with --family/--controls (left out by default: they judged "
    "only part of the catalog).")]


QuietOpt = Annotated[bool, typer.Option(
    "--quiet", "-q", help="No progress display on stderr (it is shown only at a terminal anyway).")]
