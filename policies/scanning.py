"""``sansho scan`` and ``sansho demo``: load, judge, render, decide the exit code."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import shutil
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from . import gcpause
from .catalog import FAMILIES, SEVERITY_RANK, Catalog, Control, load_catalog
from .config import Config, load_config
from .engine.core import Engine, ScanResult
from .errors import InputError
from .live import LiveOptions
from .model import CollectionError, Resource

if TYPE_CHECKING:
    from sansho.reports.history.recording import SavePlan

DEFAULT_FAIL_ON = "high"


# Each live source is a collector package exposing ``collect_live(opts) -> (resources, errors)``,
# which prints its own one-line summary; the SDK it needs is named in the install hint.
_LIVE_EXTRAS = {"aws": "aws", "azure": "azure", "gcp": "gcp"}


def collect_live(opts: LiveOptions) -> tuple[list[Resource], list[CollectionError]]:
    """Collect from a live source, with a progress display on a terminal and one summary line."""
    import importlib

    if opts.source not in _LIVE_EXTRAS:
        raise InputError(f"--live: {opts.source!r} is not a live source (aws, azure, gcp)")
    if opts.source == "aws":
        return _collect_aws(opts)
    module = importlib.import_module(f"sansho.collectors.{opts.source}")
    return module.collect_live(opts)


def _collect_aws(opts: LiveOptions) -> tuple[list[Resource], list[CollectionError]]:
    import sys

    from rich.console import Console

    from .errors import require

    require("boto3", "the AWS collector")
    from sansho.collectors.aws import collect

    coll = collect(profile=opts.profile, regions=opts.regions, role_arn=opts.role_arn,
                   endpoint_url=opts.endpoint_url, progress=sys.stderr.isatty(), org_role=opts.org_role,
                   tag_keys=opts.tag_keys)
    errors = [CollectionError.model_validate(e.as_dict()) for e in coll.errors]
    Console(stderr=True).print(coll.summary_line(), highlight=False, soft_wrap=True)
    return coll.resources, errors


def selection_of(control_ids: str | None, family: str | None) -> dict | None:
    """The filter a scan runs with, as the history records it; None: every control."""
    selection: dict = {}
    if family:
        selection["family"] = family
    if control_ids:
        selection["controls"] = [i.strip() for i in control_ids.split(",") if i.strip()]
    return selection or None


def check_family(family: str | None) -> None:
    """Reject an unknown ``--family`` before anything slow starts."""
    if family is not None and family not in FAMILIES:
        raise InputError(f"--family: unknown family {family!r} (choose from {', '.join(FAMILIES)})")


def select_controls(catalog: Catalog, control_ids: str | None, family: str | None) -> list[Control]:
    ids = None
    if control_ids:
        ids = [i.strip() for i in control_ids.split(",") if i.strip()]
        unknown = [i for i in ids if i not in catalog]
        if unknown:
            raise InputError(f"--controls: unknown control ID(s) {', '.join(unknown)} (see `sansho controls`)")
    chosen = catalog.select(ids, family)
    if not chosen:
        raise InputError("--controls/--family: the selection holds no control")
    return chosen


def exit_code(result: ScanResult, catalog: Catalog, fail_on: str, fail_on_unknown: bool = False) -> int:
    return exit_code_of(((f.control_id, f.status) for f in result.findings), catalog, fail_on, fail_on_unknown)


def exit_code_of(verdicts: Iterable[tuple[str, str]], catalog: Catalog, fail_on: str,
                 fail_on_unknown: bool = False) -> int:
    """1 when a (control id, status) fails at or above ``fail_on``, else 0."""
    threshold = SEVERITY_RANK[fail_on]
    failing = {"FAIL", "ERROR"} | ({"UNKNOWN"} if fail_on_unknown else set())
    for cid, status in verdicts:
        if status in failing and SEVERITY_RANK[catalog[cid].severity] >= threshold:
            return 1
    return 0


def render(result: ScanResult, catalog: Catalog, fmt: str, lang: str, output: Path | None,
           fail_on: str) -> None:
    from .output import output_stream, tool_version, write_output

    if fmt == "table":
        from .console import scan_report

        scan_report(result, catalog, lang, output, fail_on)
        return
    if fmt in ("json", "jsonl", "csv"):  # streamed: a big scan's text is never held whole
        from sansho.reports import csv_report
        from sansho.reports.scan_json import write_document, write_lines

        with output_stream(output) as out:
            if fmt == "csv":
                csv_report.write(result, catalog, lang, out)
            else:
                (write_document if fmt == "json" else write_lines)(result, catalog, lang, tool_version(), out)
        return
    if fmt == "sarif":
        from sansho.reports.sarif import render as sarif

        # one line: the indenting encoder is pure Python and would take longer than the scan
        text = json.dumps(sarif(result, catalog, lang, tool_version()), ensure_ascii=False)
    elif fmt == "junit":
        from sansho.reports.junit import render as junit

        text = junit(result, catalog, lang)
    else:  # pragma: no cover - typer restricts the choices
        raise InputError(f"--format: unknown format {fmt!r}")
    write_output(text, output)


def scan_files(paths: Sequence[Path], config: Config, catalog: Catalog, controls: list[Control],
               engine: str = "regorus", opa_url: str | None = None, opa_push: bool = False,
               as_of: dt.date | None = None, live: LiveOptions | None = None, *, opa_insecure: bool = False,
               cluster: str | None = None) -> ScanResult:
    from . import cluster as dist
    from .console import progress
    from .inventory import load_inventories

    errors: list[CollectionError] = []
    resources_: list[Resource] = []
    with dist.open_cluster(cluster) if cluster else contextlib.nullcontext() as client:  # --cluster: docs/distributed.md
        if live is not None:
            live = dataclasses.replace(live, tag_keys=config.tag_keys)
            resources_, errors = (client and dist.collect_live(client, live)) or collect_live(live)
        with progress("読み込み中 / loading inventories"):
            resources_ += load_inventories(paths, errors)
        with progress(f"判定中 / judging {len(resources_):,} resources × {len(controls)} controls"):
            eng = Engine(catalog, config, engine=engine, opa_url=opa_url, opa_push=opa_push, opa_insecure=opa_insecure)
            result = dist.judge(client, eng, resources_, controls, as_of) if client else eng.scan(resources_, controls, today=as_of)
    if errors:
        result.notes.append(_unread_note(errors))
    return result


# --format values written from findings kept on disk when the scan reads its inventories a chunk
# at a time (decision 40): the formats whose writer takes the findings in order, once.
STREAMED_FORMATS = ("json", "jsonl", "csv")
CHUNK = 20_000  # resources judged at a time: a few hundred MB at most, whatever the estate's size
CHUNK_ENV = "SANSHO_CHUNK"


def chunk_size() -> int:
    """Resources judged at a time: ``SANSHO_CHUNK`` when set (smaller: less memory, more overhead
    per chunk), else :data:`CHUNK`."""
    import os

    value = os.environ.get(CHUNK_ENV, "").strip()
    if not value:
        return CHUNK
    if not value.isdigit() or int(value) < 1:
        raise InputError(f"{CHUNK_ENV}={value!r}: give a number of resources ≥ 1 / 1 以上の資源数を指定してください")
    return int(value)


def streamed(format: str, live: LiveOptions | None, cluster: str | None) -> bool:
    """Whether ``sansho scan`` reads and judges its inventories a chunk at a time. Not with a
    live source or ``--cluster`` (their resources are in memory already), nor for the formats
    whose writer needs the whole result (table, SARIF, JUnit)."""
    return format in STREAMED_FORMATS and live is None and cluster is None


def scan_streamed(paths: Sequence[Path], config: Config, catalog: Catalog, controls: list[Control], *,
                  format: str, lang: str, output: Path | None, fail_on: str, fail_on_unknown: bool,
                  engine: str = "regorus", opa_url: str | None = None, opa_push: bool = False,
                  opa_insecure: bool = False, as_of: dt.date | None = None, chunk: int | None = None,
                  save: SavePlan | None = None, selection: dict | None = None) -> int:
    """``sansho scan FILES --format json|jsonl|csv``, holding one chunk of resources at a time.

    Each chunk is judged with the automated controls and its findings go to a
    :class:`~sansho.policies.spool.FindingSpool`; the registers a rule reads as a whole (the
    attestations, and what :data:`~sansho.policies.cluster.WHOLE_INVENTORY_CONTROLS` judge and
    read) are held and judged last, with every selected control, as ``--cluster`` judges them on
    its client. The output is then written from the spool: the same bytes as a scan in memory.
    With ``save``, the findings and resources are spooled as history rows too and saved in one
    transaction after the output is written, as :func:`run_scan` saves. Returns the exit code."""
    import pickle

    from sansho.reports import csv_report, scan_json
    from sansho.reports.history.recording import record
    from sansho.reports.history.records import SavedFinding, saved_resource

    from .cluster import CLIENT_KINDS, WHOLE_INVENTORY_CONTROLS, WHOLE_INVENTORY_READS
    from .console import progress
    from .inventory import InventoryStream, ReadOnce
    from .output import output_stream, tool_version
    from .spool import BlobSpool, FindingSpool, piece_order

    chunk = chunk or chunk_size()
    held_kinds = CLIENT_KINDS | WHOLE_INVENTORY_READS | {
        kind for cid in WHOLE_INVENTORY_CONTROLS if cid in catalog for kind in catalog[cid].applies_to}
    encode = {"json": scan_json.json_piece, "jsonl": scan_json.jsonl_piece, "csv": csv_report.piece}[format]
    automated = [c for c in controls if c.check == "automated"]
    eng = Engine(catalog, config, engine=engine, opa_url=opa_url, opa_push=opa_push, opa_insecure=opa_insecure)
    errors: list[CollectionError] = []
    held: list[Resource] = []
    held_at: list[int] = []
    seen = ReadOnce()
    read = 0
    first: ScanResult | None = None
    # Findings wait beside the output file (a disk that will hold them anyway: /tmp is often in
    # memory), else in TMPDIR.
    folder = str(output.parent) if output is not None and output.parent.is_dir() and (
        output.is_file() or not output.exists()) else None
    with contextlib.ExitStack() as stack:
        spool = stack.enter_context(FindingSpool(lambda fs: encode(fs, catalog, lang), controls, folder))
        rows = stack.enter_context(FindingSpool(lambda fs: pickle.dumps([SavedFinding.of(f) for f in fs]), controls,
                                                folder)) if save else None
        saved_resources = BlobSpool(folder) if save else None
        if saved_resources is not None:
            stack.callback(saved_resources.close)

        def judged(resources_: list[Resource], with_controls: list[Control], at: list[int]) -> ScanResult:
            part = eng.scan(resources_, with_controls, today=as_of)
            spool.add(part.findings)
            if rows is not None and saved_resources is not None:
                rows.add(part.findings)
                saved_resources.add(pickle.dumps([(i, saved_resource(r)) for i, r in zip(at, resources_, strict=True)]))
            return part

        with progress(f"判定中 / judging {len(controls)} controls") as say, gcpause.per_chunk() as collect:
            for p in paths:
                stream = InventoryStream(p, chunk)
                offset = read
                for positions, resources_ in stream.indexed():
                    seen.check(Path(p), resources_)
                    read += len(resources_)
                    now: list[Resource] = []
                    now_at: list[int] = []
                    for i, r in zip(positions, resources_, strict=True):
                        to, at = (held, held_at) if r.kind in held_kinds else (now, now_at)
                        to.append(r)
                        at.append(offset + i)
                    if now:
                        part = judged(now, automated, now_at)
                        first = first or part
                    del now, resources_
                    collect()
                    say(f"判定中 / judging: {read:,} resources, {spool.total:,} findings ({p.name})")
                errors += stream.errors
            last = judged(held, controls, held_at)
        result = dataclasses.replace(last, findings=[], resources=[], scanned_at=(first or last).scanned_at)
        if errors:
            result.notes.append(_unread_note(errors))
        summary = scan_json.summary(result, catalog, spool.tally, resources=read)
        pieces = spool.texts(piece_order(controls))
        with progress(f"書き出し中 / writing {spool.total:,} findings ({format})"), output_stream(output) as out:
            if format == "csv":
                csv_report.write_from(pieces, out)
            else:
                head = scan_json.header(result, catalog, lang, tool_version(), summary)
                (scan_json.write_document_from if format == "json" else scan_json.write_lines_from)(head, pieces, out)
        code = exit_code_of(((cid, status) for cid, status, _ in spool.tally), catalog, fail_on, fail_on_unknown)
        if save is not None and rows is not None and saved_resources is not None:
            # after the output: the verdict is out even if the store is down (run_scan does the same)
            with progress(f"履歴に保存中 / saving {spool.total:,} findings and {read:,} resources"):
                record(save, result, lang, code, selection, batches=(
                    (pickle.loads(b) for b in rows.blobs(piece_order(controls))),
                    (pickle.loads(b) for b in saved_resources), spool.total + read))
    return code


def _unread_note(errors: list[CollectionError]) -> str:
    where = sorted({f"{e.service}/{e.region or 'global'}" for e in errors})
    return (f"{len(errors)} items could not be read by the collector ({', '.join(where[:8])}"
            f"{', …' if len(where) > 8 else ''}); the affected controls are UNKNOWN / "
            f"収集時に {len(errors)} 件を読み取れませんでした。該当する管理策は判定不能です")


def run_scan(paths: Sequence[Path], *, live: LiveOptions | None = None, format: str, output: Path | None, fail_on: str | None,
             fail_on_unknown: bool, control_ids: str | None, family: str | None, lang: str,
             config: Path | None, engine: str, opa_url: str | None, opa_push: bool,
             as_of: dt.date | None, save: bool | None = None, history: str | None = None,
             opa_insecure: bool = False, cluster: str | None = None) -> int:
    from sansho.reports.history.recording import plan_save, record

    from .console import progress

    check_family(family)
    catalog = load_catalog()
    cfg = load_config(config, catalog)
    chosen = select_controls(catalog, control_ids, family)
    # settled before scanning: a missing store must not cost a long live collection
    inputs = ([f"live:{live.source}"] if live else []) + [str(p) for p in paths]
    plan = plan_save(save, history, cfg.history, config, inputs)
    threshold = fail_on or cfg.fail_on or DEFAULT_FAIL_ON
    if streamed(format, live, cluster):
        return scan_streamed(paths, cfg, catalog, chosen, format=format, lang=lang, output=output, fail_on=threshold,
                             fail_on_unknown=fail_on_unknown, engine=engine, opa_url=opa_url, opa_push=opa_push,
                             opa_insecure=opa_insecure, as_of=as_of, save=plan,
                             selection=selection_of(control_ids, family))
    result = scan_files(paths, cfg, catalog, chosen, engine, opa_url, opa_push, as_of, live, opa_insecure=opa_insecure,
                        cluster=cluster)
    with progress(f"書き出し中 / writing {len(result.findings):,} findings ({format})"):
        render(result, catalog, format, lang, output, threshold)
    code = exit_code(result, catalog, threshold, fail_on_unknown)
    if plan is not None:  # after the report: the verdict is out even if the store is down
        record(plan, result, lang, code, selection_of(control_ids, family))
    return code


def demo_files() -> tuple[list[Path], Path]:
    base = Path(str(resources.files("sansho.policies.demo")))
    return sorted((base / "estate").glob("*.json")), base / "sansho.yaml"


DEMO_AS_OF = dt.date(2026, 11, 1)
DEMO_PERIOD = "2026Q4"


def run_demo(output_dir: Path, lang: str) -> int:
    """Scan the bundled estate, print the summary and write JSON and SARIF into ``output_dir``."""
    from rich.console import Console

    from .console import scan_report

    files, config_path = demo_files()
    if not files:
        raise InputError("the bundled demo estate is missing from this installation")
    catalog = load_catalog()
    cfg = load_config(config_path, catalog)
    result = scan_files(files, cfg, catalog, list(catalog), as_of=DEMO_AS_OF)
    scan_report(result, catalog, lang, None, DEFAULT_FAIL_ON, limit=25)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{output_dir}: cannot create: {e.strerror}") from None
    for fmt, name in (("json", "findings.json"), ("sarif", "findings.sarif"), ("csv", "findings.csv")):
        render(result, catalog, fmt, lang, output_dir / name, DEFAULT_FAIL_ON)
    estate = output_dir / "estate"
    estate.mkdir(exist_ok=True)
    for f in files + [config_path]:
        shutil.copy(f, estate / f.name)
    _demo_reports(result, catalog, lang, output_dir, [str(estate / f.name) for f in files])
    code = exit_code(result, catalog, DEFAULT_FAIL_ON)
    Console().print(
        f"\n[bold]デモ結果 / demo output[/bold] in {output_dir}/ (as of {DEMO_AS_OF}):\n"
        f"  findings.json, findings.sarif, findings.csv  判定結果 / the findings\n"
        f"  report.html   四半期の安全管理状況報告書 / quarterly posture report (open it in a browser)\n"
        f"  matrix.xlsx   責任分界表 (SaaS) / responsibility matrix\n"
        f"  checklist.xlsx サイバーセキュリティ対策チェックリスト(医療機関確認用、最新の年度版) / MHLW checklist, pre-answered\n"
        f"  history.db    点検履歴 / scan history (`sansho history list --history {output_dir}/history.db`)\n"
        f"  estate/       the sample estate itself\n"
        f"`sansho scan {estate}/*.json --config {estate}/sansho.yaml --as-of {DEMO_AS_OF}` "
        f"would exit {code} (--fail-on {DEFAULT_FAIL_ON}).",
        soft_wrap=True,
    )
    return 0


def _demo_reports(result: ScanResult, catalog: Catalog, lang: str, output_dir: Path, inputs: list[str]) -> None:
    """The demo records its scan in a fresh history in the output folder and writes the quarterly
    report, the responsibility matrix and the latest edition's checklist from it, as a user's
    scheduled scan would."""
    from sansho.reports import checklist, matrix, posture, posture_render
    from sansho.reports.history.records import SavedScan
    from sansho.reports.history.store import open_store

    from .output import tool_version, write_output

    db = output_dir / "history.db"
    for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        leftover.unlink(missing_ok=True)  # a re-run starts a fresh history, not a second quarter
    with open_store(str(db)) as store:
        store.save(SavedScan.from_result(result, tool_version=tool_version(), inputs=inputs))
        report = posture.from_history(store, DEMO_PERIOD, catalog, lang)
        latest = store.latest()
    if report is not None:
        write_output(posture_render.render_html(report), output_dir / "report.html")
    matrix.render_xlsx(matrix.build(catalog, "saas", latest), catalog, lang, output_dir / "matrix.xlsx")
    if latest is not None:
        checklist.render_xlsx(checklist.build(checklist.editions()[-1], "hospital", latest, catalog), lang,
                              output_dir / "checklist.xlsx")


def run_iac(paths: Sequence[Path], *, format: str, output: Path | None, fail_on: str | None,
            var_files: Sequence[Path], config: Path | None, region: str | None, control_ids: str | None,
            family: str | None, lang: str, as_of: dt.date | None, skip_unparsable: bool = False) -> int:
    """``sansho iac``: a file that cannot be parsed is an error naming it (exit 2, one line per
    file) unless ``skip_unparsable``, when it is reported in the outputs and the rest is judged;
    other inputs that cannot be read are warnings; exit 2 when nothing at all could be scanned."""
    import sys

    from sansho.collectors.iac import file_of, line_of, load

    from .console import progress

    check_family(family)
    catalog = load_catalog()
    cfg = load_config(config, catalog)
    chosen = select_controls(catalog, control_ids, family)
    today = as_of or dt.date.today()
    # checkov's parser and graph are built with the collector paused, and live as long as the scan
    with progress("IaC を読み込み中 / reading IaC"), gcpause.paused(freeze=True):
        loaded = load(list(paths), list(var_files), today=today, cfn_region=region)
    unparsed = loaded.unparsed
    if unparsed and not skip_unparsable:
        raise InputError("\n".join(f"{file_of(where)}: cannot parse: {why}" + (
            f" (line {line_of(where)})" if line_of(where) and f"line {line_of(where)}" not in why else "")
            for where, why in unparsed))
    for where, why in loaded.not_scanned:
        sys.stderr.write(f"sansho: warning: {where}: not scanned / 判定対象外: {why}\n")
    if not loaded.scanned:
        raise InputError("nothing could be scanned / 判定できる入力がありません: " + ", ".join(str(p) for p in paths))
    # one directive over a block of several resources (count, for_each, a module used twice) is
    # one warning, not one per resource
    bad = list({(s.file, s.line, s.control, s.problem): s for s in loaded.invalid_suppressions()}.values())
    for s in bad:
        sys.stderr.write(f"sansho: warning: {s.file}:{s.line}: sansho:ignore {s.control or '?'} does not mute "
                         f"({s.problem}) / 抑止は無効です\n")
    cfg = cfg.model_copy(update={"suppressions": [*cfg.suppressions, *loaded.config_suppressions()]})
    eng = Engine(catalog, cfg)
    result = eng.scan(loaded.resources, chosen, today=today)
    result.unparsed = unparsed
    if loaded.not_scanned:
        result.notes.append(f"{len(loaded.not_scanned)} input(s) not scanned / 判定対象外の入力 {len(loaded.not_scanned)} 件: "
                            + "; ".join(f"{w}: {y}" for w, y in loaded.not_scanned))
    if bad:
        result.notes.append(f"{len(bad)} inline suppression(s) do not mute / 無効なインライン抑止 {len(bad)} 件: "
                            + "; ".join(f"{s.file}:{s.line} {s.control} ({s.problem})" for s in bad))
    threshold = fail_on or cfg.fail_on or DEFAULT_FAIL_ON
    render(result, catalog, format, lang, output, threshold)
    return exit_code(result, catalog, threshold)
