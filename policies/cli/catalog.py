"""``sansho controls``, ``schema``, ``rego bundle`` and ``checkov-checks``: the catalog and the engines it feeds."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .options import (
    DEFAULT_LANG,
    FamilyOpt,
    LangOpt,
    ListFormat,
    SchemaName,
)


def controls(
    family: FamilyOpt = None,
    lang: LangOpt = DEFAULT_LANG,
    format: Annotated[ListFormat, typer.Option("--format", help="table or json.")] = ListFormat.table,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file.")] = None,
) -> None:
    """List the control catalog. / 管理策カタログを一覧表示します。"""
    import json

    from ..catalog import load_catalog
    from ..output import write_output
    from ..scanning import check_family

    check_family(family)
    chosen = load_catalog().select(family=family)
    if format == ListFormat.json:
        write_output(json.dumps([c.summary() for c in chosen], ensure_ascii=False, indent=2), output)
        return
    from ..console import controls_table

    controls_table(chosen, lang.value, output)


def schema(
    name: Annotated[SchemaName, typer.Argument(
        help="inventory, catalog, config, or findings (the output of `sansho scan --format json`).")],
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """Print a JSON Schema. / JSON スキーマを出力します。"""
    import json

    from ..output import write_output

    if name == SchemaName.inventory:
        from ..inventory import inventory_json_schema

        text = inventory_json_schema()
    elif name == SchemaName.catalog:
        from ..catalog import catalog_json_schema

        text = catalog_json_schema()
    elif name == SchemaName.findings:
        from sansho.reports.scan_json import findings_json_schema

        text = findings_json_schema()
    else:
        from ..config import Config

        text = json.dumps(Config.model_json_schema(), ensure_ascii=False, indent=2)
    write_output(text, output)


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

    from ..errors import InputError

    bundled = Path(str(resources.files("sansho.collectors.iac.checkov_checks")))
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


def rego_bundle(
    output: Annotated[Path, typer.Option("-o", "--output", help="Bundle file to write.")] = Path("bundle.tar.gz"),
    config: Annotated[Path | None, typer.Option("--config", help="sansho.yaml whose parameters go into the data.")] = None,
) -> None:
    """Write an OPA bundle (policies + catalog data). / OPA バンドルを書き出します。"""
    from ..bundle import write_bundle

    n = write_bundle(output, config)
    from rich.console import Console

    Console(stderr=True).print(f"wrote {output} ({n} policies)")


# Commands kept in modules of their own (they import this module's shared options, so they
# register after everything above is defined). One line each.
# -- registered commands --


def register(app: typer.Typer) -> None:
    app.command("controls")(controls)
    app.command("schema")(schema)
    app.command("checkov-checks")(checkov_checks)
    rego_app = typer.Typer(help="Rego policies: OPA bundle export. / Rego ポリシーの書き出し", no_args_is_help=True)
    rego_app.command("bundle")(rego_bundle)
    app.add_typer(rego_app, name="rego")
