"""``sansho matrix`` (責任分界表) and ``sansho evidence`` / ``sansho evidence verify`` (証跡パッケージ).

Registered from cli.py by :func:`register`. openpyxl, jinja2 and SQLAlchemy are imported only
when a command runs, so ``sansho --help`` stays fast.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .options import DEFAULT_LANG, ConfigOpt, HistoryOpt, IncludePartialOpt, LangOpt
from .report import DEFAULT_MAX_RESOURCES, MaxResourcesOpt, check_max_resources


class ServiceModel(str, Enum):
    saas = "saas"
    paas = "paas"
    iaas = "iaas"


class MatrixFormat(str, Enum):
    xlsx = "xlsx"
    html = "html"
    csv = "csv"


class MatrixView(str, Enum):
    all = "all"
    provider = "provider"


def _history_url(history: str | None, config: Path | None) -> str | None:
    """The configured store, or None when none is configured (the matrix then needs no scan)."""
    from sansho.reports.history.store import configured_url

    from ..catalog import load_catalog
    from ..config import load_config

    if history:
        return configured_url(history, None, config)
    cfg = load_config(config, load_catalog())
    return configured_url(None, cfg.history.url if cfg.history else None, config)


def matrix(
    model: Annotated[ServiceModel, typer.Option("--model", help="Service model: saas, paas or iaas.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    vendor: Annotated[str | None, typer.Option(
        "--vendor", help="Apply this vendor's register entry (responsibility_overrides of its contracts).")] = None,
    format: Annotated[MatrixFormat | None, typer.Option(
        "--format", help="xlsx, html or csv (default: from the file name, else xlsx).")] = None,
    lang: LangOpt = DEFAULT_LANG,
    history: HistoryOpt = None,
    config: ConfigOpt = None,
    include_partial: IncludePartialOpt = False,
    view: Annotated[MatrixView, typer.Option(
        "--view", help="all, or provider: only the controls the provider answers for (owner provider or "
        "shared), for a provider scanning its own estate. / provider: 事業者が責任を負う管理策だけを表示")] = MatrixView.all,
) -> None:
    """Write the SaaS/PaaS/IaaS responsibility matrix with the latest scan's status (--view provider:
    the provider's controls). / 責任分界表(サービス類型ごとの責任主体と現状)を作成します。"""
    from ..catalog import load_catalog
    from ..output import write_output

    fmt = format.value if format else (output.suffix.lstrip(".").lower() if output.suffix.lower() in
                                       (".xlsx", ".html", ".csv") else "xlsx")
    from sansho.reports import matrix as mx

    catalog = load_catalog()
    url = _history_url(history, config)
    scan = None
    tally = None
    if url is not None:
        from sansho.reports.history.store import open_store
        from sansho.reports.history.view import partial_note

        with open_store(url, create=False) as store:
            # the findings counted in SQL, and of the resources only the contracts: the matrix
            # reads no finding, whatever the size of the scan
            scan_id = store.latest_id(complete_only=not include_partial)
            tally = store.tally(scan_id) if scan_id is not None else None
            if tally is not None and any(b is None for _c, _s, b, _n in tally):
                scan, tally = store.get(scan_id), None  # saved before the basis was kept: derived on read
            else:
                scan = store.get_head(scan_id, (mx.CONTRACT_KIND,)) if scan_id is not None else None
            note = None if include_partial else partial_note(
                store.partial_newer_than(scan.as_of if scan else None, scan.id if scan else None), lang.value)
        if note:
            sys.stderr.write(note + "\n")
    m = mx.build(catalog, model.value, scan, vendor, tally, view.value)
    if fmt == "xlsx":
        mx.render_xlsx(m, catalog, lang.value, output)
    elif fmt == "html":
        write_output(mx.render_html(m, catalog, lang.value), output)
    else:
        write_output(mx.render_csv(m, catalog, lang.value), output)
    if lang.value == "ja":
        where = f"スキャン #{scan.id}" if scan else "スキャン履歴なし(カタログのみ)"
        sys.stderr.write(f"{output}: 責任分界表を作成しました({len(m.rows)} 管理策、ギャップ {len(m.gaps)} 件、{where})\n")
    else:
        where = f"scan #{scan.id}" if scan else "no scan history (catalog only)"
        sys.stderr.write(f"{output}: wrote the responsibility matrix ({len(m.rows)} controls, {len(m.gaps)} gaps, {where})\n")


def evidence(
    ctx: typer.Context,
    framework: Annotated[str | None, typer.Option(
        "--framework", help="Framework file in the catalog: mhlw6, ismap, soc2 (or iso27001).")] = None,
    period: Annotated[str | None, typer.Option(
        "--period", help="Quarter YYYYQn: use the latest scan of that period (default: the latest scan).")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Bundle (.zip) to write.")] = None,
    lang: LangOpt = DEFAULT_LANG,
    history: HistoryOpt = None,
    config: ConfigOpt = None,
    include_partial: IncludePartialOpt = False,
    sign_key: Annotated[Path | None, typer.Option(
        "--sign-key", help="PEM private key (Ed25519 recommended) to sign the manifest with (DSSE); "
        "an encrypted key reads its password from SANSHO_SIGNING_KEY_PASSWORD.")] = None,
    max_resources: MaxResourcesOpt = DEFAULT_MAX_RESOURCES,
) -> None:
    """Write a verifiable evidence bundle (zip + manifest.json with SHA-256 of every file, signed
    with --sign-key). / 監査用の証跡パッケージを作成します(--sign-key で署名)。"""
    if ctx.invoked_subcommand is not None:
        return
    from ..errors import InputError

    if framework is None or output is None:
        raise InputError("evidence: give --framework and -o BUNDLE.zip (or: sansho evidence verify BUNDLE.zip)")
    check_max_resources(max_resources)
    from sansho.reports import evidence as ev
    from sansho.reports import framework as fwv
    from sansho.reports.history.store import open_configured

    from ..catalog import load_catalog
    from ..output import tool_version

    catalog = load_catalog()
    fwv.framework_of(catalog, framework)
    signer = None
    if sign_key is not None:  # a bad key fails before the history is read
        from sansho.reports.signing import load_signer

        signer = load_signer(sign_key)
    from sansho.reports.history.view import partial_note

    tally = None
    with open_configured(history, config, create=False) as store:
        # every FAIL/ERROR/UNKNOWN/MUTED/MANUAL finding (the resources files, the worst first) and of
        # the others the first N of each control and status; the counts from the store, in SQL
        scan_id = store.latest_id(period, complete_only=not include_partial)
        scan = None
        if scan_id is not None:
            tally = store.tally(scan_id)
            if any(b is None for _c, _s, b, _n in tally):  # saved before the basis was kept: read whole
                scan, tally = store.get(scan_id), None
            else:
                scan = store.get_listed(scan_id, ("FAIL", "ERROR", "UNKNOWN", "MUTED", "MANUAL"), max_resources,
                                        evidence=True)
        note = None if include_partial else partial_note(
            store.partial_newer_than(scan.as_of if scan else None, scan.id if scan else None, period), lang.value)
    if scan is None:
        what = f"in period {period}" if period else "in the history"
        partial = " that judged every control (filtered scans are left out; --include-partial uses them)" \
            if note else ""
        raise InputError(f"evidence: no saved scan {what}{partial} (run `sansho scan --save` first) / "
                         f"対象のスキャンが履歴にありません")
    if note:
        sys.stderr.write(note + "\n")
    bundle = ev.build(fwv.build(catalog, framework, scan, tally), catalog, tool_version(), period, lang.value,
                      max_resources)
    ev.write(bundle, output, signer)
    n = len(bundle.files) + (signer is not None)
    if lang.value == "ja":
        signed = "、署名付き" if signer is not None else ""
        sys.stderr.write(f"{output}: 証跡パッケージを作成しました(スキャン #{scan.id}、{n} ファイル{signed})。"
                         "次の manifest.json の SHA-256 を記録してください:\n")
    else:
        signed = ", signed" if signer is not None else ""
        sys.stderr.write(f"{output}: wrote the evidence bundle (scan #{scan.id}, {n} files{signed}). "
                         "Record this SHA-256 of manifest.json:\n")
    typer.echo(f"{bundle.manifest_sha256}  manifest.json")


def verify(
    bundle: Annotated[Path, typer.Argument(help="Evidence bundle (.zip) written by `sansho evidence`.")],
    manifest_sha256: Annotated[str | None, typer.Option(
        "--manifest-sha256", help="The SHA-256 of manifest.json recorded when the bundle was made.")] = None,
    key: Annotated[Path | None, typer.Option(
        "--key", help="The producer's PEM public key: the bundle must carry a valid signature by it.")] = None,
) -> None:
    """Check every hash in an evidence bundle, and its signature with --key: exit 0 intact,
    1 changed/added/removed or a bad signature, 2 not a bundle. / 証跡パッケージの改ざんと署名を検証します。"""
    from sansho.reports import evidence as ev

    from ..errors import InputError

    public = None
    if key is not None:
        from sansho.reports.signing import load_public_key

        public = load_public_key(key)
    try:
        verdict = ev.verify(bundle, manifest_sha256, public)
    except ev.NotABundle as e:
        raise InputError(str(e)) from None
    if verdict.intact:
        if verdict.signature == "valid":
            how = f"signed by key {verdict.signer} / 署名を確認しました"
        elif manifest_sha256 is not None:
            how = "manifest.json matches the recorded SHA-256 / 記録済みのハッシュと一致"
        elif verdict.signature == "unchecked":
            how = ("signed, but no --key given: integrity only / 署名付きですが --key が指定されていないため"
                   "整合性のみ確認")
        else:
            how = ("unsigned — integrity only: a rewritten manifest would not be noticed; give --manifest-sha256 "
                   "or sign bundles (--sign-key) / 署名なし — 整合性のみ確認")
        typer.echo(f"{bundle}: intact / 改ざんなし ({verdict.files} files, manifest.json sha256 "
                   f"{verdict.manifest_sha256}); {how}")
        return
    for line in verdict.problems:
        typer.echo(f"{bundle}: {line}")
    raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("matrix")(matrix)
    evidence_app = typer.Typer(invoke_without_command=True, help="Evidence bundles. / 証跡パッケージ")
    evidence_app.callback(invoke_without_command=True)(evidence)
    evidence_app.command("verify")(verify)
    app.add_typer(evidence_app, name="evidence")
