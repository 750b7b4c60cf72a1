"""The scan history store: SQLite (a file path) or any SQLAlchemy URL (PostgreSQL via psycopg).

Every open migrates the store to this sansho's schema (:mod:`.migrate`). Each :meth:`save` is
one transaction: a writer killed half-way leaves nothing behind, and readers never see a
partial scan. Database problems reach the user as :class:`InputError`, one line naming the
store, never a traceback.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime as dt
import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, select, tuple_
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from sansho.policies.errors import InputError, first_line
from sansho.policies.redact import redact_url

from . import schema
from .records import SavedFinding, SavedScan, period_bounds

# Rows per executemany: large enough that SQLite and psycopg's pipeline run at full speed,
# small enough that a 100k-finding scan never holds every parameter tuple twice in memory.
BATCH = 5000
# Keys per "(a, b) IN (...)" query: well under SQLite's oldest limit of 999 bound parameters.
KEYS_PER_QUERY = 300

NO_HISTORY = ("no scan history: pass --history, set history.url in sansho.yaml, or record a scan with "
              "`sansho scan --save` (it creates the default store) / 履歴の保存先がありません: --history を"
              "指定するか、sansho.yaml に history.url を設定するか、`sansho scan --save` で保存してください")


def default_path() -> Path:
    """The embedded store used when none is configured: a SQLite file in the user's data folder
    (``$XDG_DATA_HOME/sansho/history.db``, by default ``~/.local/share/sansho/history.db`` on Linux;
    the platform's own folder elsewhere), as the demo keeps its own history in a file."""
    from platformdirs import user_data_path

    return user_data_path("sansho", appauthor=False) / "history.db"


@dataclass(frozen=True, slots=True)
class ScanSummary:
    id: int
    scanned_at: dt.datetime
    as_of: dt.date
    period: str
    tool_version: str
    engine: str
    inputs: list[str]
    counts: dict[str, int]  # status → findings; statuses with none are left out
    resources: int
    controls: int
    selection: dict[str, Any] | None = None  # the filter of a partial scan; None: complete

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["scanned_at"] = self.scanned_at.isoformat()
        d["as_of"] = self.as_of.isoformat()
        return d


def resolve_url(url: str, base: Path | None = None, what: str = "--history") -> str:
    """A file path becomes an absolute ``sqlite:///`` URL (relative to ``base``, default the
    working folder); a ``sqlite:///relative.db`` URL is resolved the same way; a bare
    ``postgresql://`` gets the psycopg driver (SQLAlchemy would pick psycopg2, not installed).
    ``what`` names where the URL came from in errors (the option, or sansho.yaml's field)."""
    base = base or Path.cwd()
    if "://" not in url:
        path = Path(url).expanduser()
        return URL.create("sqlite", database=str(path if path.is_absolute() else base / path)).render_as_string()
    try:
        u = make_url(url)
    except ArgumentError:
        raise InputError(f"{what}: {_hide(url)!r} is neither a file path nor a database URL "
                         f"(sqlite:///…, postgresql+psycopg://…)") from None
    except ValueError:  # SQLAlchemy's int() of the port
        port = _port_text(url)
        why = f"the port {port!r} is not a number (1-65535)" if port else "the host and port cannot be read"
        raise InputError(f"{what}: {_hide(url)}: {why}") from None
    if u.port is not None and not 0 < u.port < 65536:
        raise InputError(f"{what}: {_hide(url)}: the port {u.port} is out of range (1-65535)")
    if u.drivername == "sqlite" and u.database not in (None, "", ":memory:") and not Path(u.database).is_absolute():
        u = u.set(database=str(base / Path(u.database).expanduser()))
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


def _hide(url: str) -> str:
    return redact_url(url)


def _port_text(url: str) -> str:
    hostport = url.partition("://")[2].partition("?")[0].rpartition("@")[2].partition("/")[0]
    if hostport.startswith("["):
        hostport = hostport.partition("]")[2]
    return hostport.partition(":")[2]


def _label(url: str) -> str:
    """How messages name a store: a SQLite file by its path (relative when under the working
    folder), anything else by its URL without the password."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database:
        rel = os.path.relpath(u.database)
        return u.database if rel.startswith("..") else rel
    return redact_url(u.render_as_string(hide_password=False))


def _one_line(e: BaseException) -> str:
    return first_line(e.orig if isinstance(e, DBAPIError) and e.orig is not None else e)


def open_store(url: str, *, create: bool = True) -> HistoryStore:
    """Open (creating and migrating) the store at a file path or SQLAlchemy URL. Commands that
    only read pass ``create=False``: a mistyped SQLite path is then an error, not a new empty store."""
    full = resolve_url(url)
    label = _label(full)
    u = make_url(full)
    kwargs: dict[str, Any] = {"json_serializer": lambda o: json.dumps(o, ensure_ascii=False)}
    if u.get_backend_name() == "sqlite":
        if not create and u.database and u.database != ":memory:" and not Path(u.database).is_file():
            raise InputError(f"{label}: no scan history there yet (record one with `sansho scan --save`) / "
                             "履歴がまだありません")
        if u.database and u.database != ":memory:":
            try:
                Path(u.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise InputError(f"{label}: cannot create the folder of the history store: {e.strerror}") from None
        kwargs["connect_args"] = {"timeout": 30}
    try:
        engine = create_engine(u, **kwargs)
    except ImportError as e:
        hint = " (pip install 'sansho[postgres]')" if u.get_backend_name() == "postgresql" else ""
        raise InputError(f"{label}: the database driver is not installed: {e.name or e}{hint}") from None
    except ArgumentError as e:
        raise InputError(f"{label}: not a usable database URL: {_one_line(e)}") from None
    if u.get_backend_name() == "sqlite":
        _sqlite_transactions(engine)
    store = HistoryStore(engine, label)
    try:
        store._migrate()
    except BaseException:
        engine.dispose()
        raise
    return store


def _checked_period(period: str) -> str:
    try:
        period_bounds(period)
    except ValueError as e:
        raise InputError(f"--period: {e}") from None
    return period


def configured_url(history: str | None, history_url: str | None, config_path: Path | None, *,
                   default: bool = False) -> str | None:
    """The store to use: ``--history`` (relative to the working folder), else sansho.yaml's
    ``history.url`` (relative to the sansho.yaml's folder), else the default store — when a
    writer asks for it (``default=True``) or a reader finds it already there — else None."""
    if history:
        return resolve_url(history)
    if history_url:
        base = (config_path or Path("sansho.yaml")).resolve().parent
        return resolve_url(history_url, base, f"{config_path or 'sansho.yaml'}: field 'history.url'")
    path = default_path()
    if default or path.is_file():
        return resolve_url(str(path))
    return None


def open_configured(history: str | None, config: Path | None, *, create: bool = True) -> HistoryStore:
    """The store named by ``--history``, else by sansho.yaml's ``history.url``; InputError when neither."""
    if history:
        return open_store(history, create=create)
    from sansho.policies.catalog import load_catalog
    from sansho.policies.config import load_config

    cfg = load_config(config, load_catalog())
    url = configured_url(None, cfg.history.url if cfg.history else None, config)
    if url is None:
        raise InputError(NO_HISTORY)
    return open_store(url, create=create)


def _sqlite_transactions(engine: Engine) -> None:
    """Real transactions on SQLite: the sqlite3 module otherwise opens them late and implicitly.
    A save takes the write lock up front (BEGIN IMMEDIATE), so two writers queue on the busy
    timeout instead of one failing on a lock upgrade half-way. WAL journal: a reader (a report,
    ``history list``) is never blocked by a long save, and sees only committed scans."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None
        dbapi_conn.execute("PRAGMA journal_mode = WAL")
        dbapi_conn.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("sansho_write") else "BEGIN")


def _utc(value: dt.datetime) -> dt.datetime:
    # SQLite keeps no zone: everything is stored as UTC and read back as UTC.
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class HistoryStore:
    def __init__(self, engine: Engine, label: str):
        self._engine = engine
        self.label = label

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as e:
            raise InputError(f"{self.label}: {action}: {_one_line(e)}") from None
        except OSError as e:
            raise InputError(f"{self.label}: {action}: {e.strerror or e}") from None

    def _migrate(self) -> None:
        from .migrate import current_revision, head_revision, upgrade

        with self._errors("cannot open the history store / 履歴の保存先を開けません"):
            # a plain read first: taking the write lock on every open would make `history list`
            # wait behind a long save
            with self._engine.connect() as conn:
                if current_revision(conn) == head_revision():
                    return
            with self._engine.connect().execution_options(sansho_write=True) as conn, conn.begin():
                upgrade(conn, self.label)

    def save(self, scan: SavedScan, progress: Callable[[int, int], None] | None = None) -> int:
        """Write the scan, its findings and resources in one transaction; return its id.

        ``progress(done, total)`` is called inside the transaction after each batch of rows."""
        return self.save_rows(scan, [scan.findings], [list(enumerate(scan.resources))],
                              len(scan.findings) + len(scan.resources), progress)

    def save_rows(self, scan: SavedScan, findings: Iterable[list[SavedFinding]],
                  resources: Iterable[list[tuple[int, dict[str, Any]]]], total: int,
                  progress: Callable[[int, int], None] | None = None) -> int:
        """:meth:`save` of a scan whose findings and resources come in batches (a scan judged a chunk
        at a time keeps them on disk): ``scan``'s own lists are not read. ``findings`` come in the
        scan's order; each resource comes with its position in the inventories."""
        scanned_at = _utc(scan.scanned_at)
        done = 0

        def insert(table: Any, batches: Iterable[list[dict[str, Any]]]) -> None:
            nonlocal done
            pending: list[dict[str, Any]] = []
            for rows in batches:
                pending += rows
                full = len(pending) - len(pending) % BATCH
                for start in range(0, full, BATCH):
                    write(table, pending[start:start + BATCH])
                pending = pending[full:]
            if pending:
                write(table, pending)

        def write(table: Any, rows: list[dict[str, Any]]) -> None:
            nonlocal done
            conn.execute(table.insert(), rows)
            done += len(rows)
            if progress is not None:
                progress(done, total)

        with self._errors("cannot save the scan / スキャンを履歴に保存できません"):
            with self._engine.connect().execution_options(sansho_write=True) as conn, conn.begin():
                scan_id = conn.execute(schema.scans.insert().returning(schema.scans.c.id), {
                    "scanned_at": scanned_at, "as_of": scan.as_of, "period": scan.period,
                    "tool_version": scan.tool_version, "engine": scan.engine, "controls": list(scan.controls),
                    "inputs": list(scan.inputs), "notes": list(scan.notes), "selection": scan.selection,
                }).scalar_one()
                insert(schema.findings, _finding_batches(scan_id, findings))
                insert(schema.resources, (_positioned_resource_rows(scan_id, batch) for batch in resources))
        scan.id = scan_id
        return scan_id

    def list(self) -> list[ScanSummary]:
        """Every saved scan, newest first (by scan time, then id)."""
        s, f, r = schema.scans, schema.findings, schema.resources
        with self._errors("cannot read the history / 履歴を読めません"), self._engine.connect() as conn:
            rows = conn.execute(select(s).order_by(s.c.scanned_at.desc(), s.c.id.desc())).all()
            counts: dict[int, dict[str, int]] = defaultdict(dict)
            for scan_id, status, n in conn.execute(
                    select(f.c.scan_id, f.c.status, func.count()).group_by(f.c.scan_id, f.c.status)):
                counts[scan_id][status] = n
            n_resources: dict[int, int] = dict(
                conn.execute(select(r.c.scan_id, func.count()).group_by(r.c.scan_id)).all())
        return [self._summary(row, counts.get(row.id, {}), n_resources.get(row.id, 0)) for row in rows]

    @staticmethod
    def _summary(row: Any, counts: dict[str, int], n_resources: int) -> ScanSummary:
        from sansho.policies.findings import STATUSES

        ordered = {st: counts[st] for st in STATUSES if st in counts}
        ordered.update({st: n for st, n in counts.items() if st not in ordered})
        return ScanSummary(id=row.id, scanned_at=_utc(row.scanned_at), as_of=row.as_of, period=row.period,
                           tool_version=row.tool_version, engine=row.engine, inputs=list(row.inputs),
                           counts=ordered, resources=n_resources, controls=len(row.controls),
                           selection=row.selection)

    def summary(self, scan_id: int) -> ScanSummary:
        """One scan's summary without reading its findings and resources."""
        s, f, r = schema.scans, schema.findings, schema.resources
        with self._errors("cannot read the history / 履歴を読めません"), self._engine.connect() as conn:
            row = conn.execute(select(s).where(s.c.id == scan_id)).first()
            if row is None:
                raise self._no_such(scan_id)
            counts: dict[str, int] = dict(conn.execute(select(f.c.status, func.count()).where(f.c.scan_id == scan_id)
                                                       .group_by(f.c.status)).all())
            n_resources = conn.execute(select(func.count()).select_from(r).where(r.c.scan_id == scan_id)).scalar_one()
        return self._summary(row, counts, n_resources)

    def _no_such(self, scan_id: int) -> InputError:
        return InputError(f"{self.label}: no saved scan #{scan_id} (see `sansho history list`) / "
                          f"スキャン #{scan_id} は履歴にありません")

    def get(self, scan_id: int) -> SavedScan:
        s, f, r = schema.scans, schema.findings, schema.resources
        with self._errors("cannot read the history / 履歴を読めません"), self._engine.connect() as conn:
            row = conn.execute(select(s).where(s.c.id == scan_id)).first()
            if row is None:
                raise self._no_such(scan_id)
            rows = conn.execute(select(f.c.control_id, f.c.status, f.c.resource_kind, f.c.resource_id,
                                       f.c.message_ja, f.c.message_en, f.c.rule, f.c.evidence, f.c.suppression,
                                       f.c.basis)
                                .where(f.c.scan_id == scan_id).order_by(f.c.position)).all()
            docs = list(conn.execute(select(r.c.document).where(r.c.scan_id == scan_id)
                                     .order_by(r.c.position)).scalars())
        # a row saved before revision 0002 has no basis: SavedScan derives it from its resource
        found = [SavedFinding(x.control_id, x.status, x.resource_kind, x.resource_id, x.message_ja, x.message_en,
                              x.rule, x.evidence, x.suppression, x.basis) for x in rows]
        return SavedScan(scanned_at=_utc(row.scanned_at), as_of=row.as_of, tool_version=row.tool_version,
                         engine=row.engine, controls=list(row.controls), findings=found, resources=docs,
                         inputs=list(row.inputs), notes=list(row.notes), id=row.id, selection=row.selection)

    def get_listed(self, scan_id: int, statuses: tuple[str, ...], per_control: int, *,
                   evidence: bool = False, documents: bool = True) -> SavedScan:
        """A scan read back for a report, without reading every finding: every finding whose status
        is in ``statuses`` or whose basis is not observed (registers, attestations, and rows saved
        before the basis was kept), and of the other observed findings the first ``per_control`` of
        each control and status (by resource) — chosen in SQL with a window function. Evidence and
        rule are read only with ``evidence``; every resource document is (the estate is counted
        from them) unless ``documents`` is False (:meth:`documents` reads those a reader shows),
        or some finding was saved before the basis was kept (its basis is derived from them)."""
        s, f, r = schema.scans, schema.findings, schema.resources
        cols = (f.c.position, f.c.control_id, f.c.status, f.c.resource_kind, f.c.resource_id, f.c.message_ja,
                f.c.message_en, f.c.suppression, f.c.basis, *((f.c.rule, f.c.evidence) if evidence else ()))
        listed = f.c.status.in_(statuses) | f.c.basis.is_(None) | (f.c.basis != "observed")
        with self._errors("cannot read the history / 履歴を読めません"), self._engine.connect() as conn:
            row = conn.execute(select(s).where(s.c.id == scan_id)).first()
            if row is None:
                raise self._no_such(scan_id)
            rows = list(conn.execute(select(*cols).where(f.c.scan_id == scan_id, listed)))
            if per_control > 0:
                ranked = select(*cols, func.row_number().over(
                    partition_by=(f.c.control_id, f.c.status),
                    order_by=(f.c.resource_kind, f.c.resource_id)).label("n")).where(
                    f.c.scan_id == scan_id, ~listed).subquery()
                rows += conn.execute(select(*(ranked.c[c.name] for c in cols)).where(ranked.c.n <= per_control))
            rows.sort(key=lambda x: x[0])  # position
            docs = list(conn.execute(select(r.c.document).where(r.c.scan_id == scan_id)
                                     .order_by(r.c.position)).scalars()) if documents or any(
                x[8] is None for x in rows) else []
        # plain tuples: unpacking a row is several times cheaper than reading its fields by name
        if evidence:
            found = [SavedFinding(c, st, k, i, ja, en, rule, ev, sup, b)
                     for _p, c, st, k, i, ja, en, sup, b, rule, ev in map(tuple, rows)]
        else:
            found = [SavedFinding(c, st, k, i, ja, en, "", None, sup, b)
                     for _p, c, st, k, i, ja, en, sup, b in map(tuple, rows)]
        return SavedScan(scanned_at=_utc(row.scanned_at), as_of=row.as_of, tool_version=row.tool_version,
                         engine=row.engine, controls=list(row.controls), findings=found, resources=docs,
                         inputs=list(row.inputs), notes=list(row.notes), id=row.id, selection=row.selection)

    def documents(self, scan_id: int, keys: Iterable[tuple[str, str]]) -> builtins.list[dict[str, Any]]:
        """The documents of the resources ``keys`` (kind, id) of one scan, by the kind index: what a
        reader shows of a scan it read without them (:meth:`get_listed` with ``documents=False``)."""
        r = schema.resources
        wanted = sorted(set(keys))
        out: builtins.list[dict[str, Any]] = []
        with self._errors("cannot read the history / 履歴を読めません"), self._engine.connect() as conn:
            for start in range(0, len(wanted), KEYS_PER_QUERY):
                chunk = wanted[start:start + KEYS_PER_QUERY]
                out += conn.execute(select(r.c.document).where(
                    r.c.scan_id == scan_id, tuple_(r.c.kind, r.c.resource_id).in_(chunk))
                    .order_by(r.c.position)).scalars()
        return out

    def get_head(self, scan_id: int, kinds: tuple[str, ...] = ()) -> SavedScan:
        """A scan without its findings, with only the resources of ``kinds`` (by the kind index):
        for readers that count findings with :meth:`tally` (the responsibility matrix)."""
        s, r = schema.scans, schema.resources
        with self._errors("cannot read the history / 履歴を読めません"), self._engine.connect() as conn:
            row = conn.execute(select(s).where(s.c.id == scan_id)).first()
            if row is None:
                raise self._no_such(scan_id)
            docs = list(conn.execute(select(r.c.document).where(r.c.scan_id == scan_id, r.c.kind.in_(kinds))
                                     .order_by(r.c.position)).scalars()) if kinds else []
        return SavedScan(scanned_at=_utc(row.scanned_at), as_of=row.as_of, tool_version=row.tool_version,
                         engine=row.engine, controls=list(row.controls), findings=[], resources=docs,
                         inputs=list(row.inputs), notes=list(row.notes), id=row.id, selection=row.selection)

    def statuses(self, scan_id: int, exclude: tuple[str, ...] = (),
                 keys: Iterable[tuple[str, str, str]] | None = None) -> dict[tuple[str, str, str], str]:
        """(control, resource kind, resource id) -> status of one scan's findings, leaving out the
        ``exclude`` statuses (and, given ``keys``, any other finding): what "fixed, and what is it
        now" needs, without reading findings."""
        f = schema.findings
        query = select(f.c.control_id, f.c.resource_kind, f.c.resource_id, f.c.status).where(f.c.scan_id == scan_id)
        if exclude:
            query = query.where(f.c.status.not_in(exclude))
        chunks: builtins.list[Any] = [None]
        if keys is not None:
            wanted = sorted(set(keys))
            chunks = [wanted[i:i + KEYS_PER_QUERY] for i in range(0, len(wanted), KEYS_PER_QUERY)]
        with self._errors("cannot read the history / 履歴を読めません"), self._engine.connect() as conn:
            return {(c, k, i): st for chunk in chunks for c, k, i, st in conn.execute(
                query if chunk is None else
                query.where(tuple_(f.c.control_id, f.c.resource_kind, f.c.resource_id).in_(chunk)))}

    def latest_id(self, period: str | None = None, *, complete_only: bool = True) -> int | None:
        """The id of the scan :meth:`latest` reads, without reading it."""
        s = schema.scans
        query = select(s.c.id).order_by(s.c.as_of.desc(), s.c.id.desc()).limit(1)
        if period is not None:
            query = query.where(s.c.period == _checked_period(period))
        if complete_only:
            query = query.where(s.c.selection.is_(None))
        with self._errors("cannot read the history / 履歴を読めません"), self._engine.connect() as conn:
            return conn.execute(query).scalar()

    def latest(self, period: str | None = None, *, complete_only: bool = True) -> SavedScan | None:
        """The newest scan (by as-of date, then id), within ``period`` (``YYYYQn``) when given.
        Scans run with --family/--controls are left out unless ``complete_only`` is False: a
        filtered scan must never become the quarter's report ("no failing controls")."""
        scan_id = self.latest_id(period, complete_only=complete_only)
        return None if scan_id is None else self.get(scan_id)

    def tally(self, scan_id: int) -> builtins.list[tuple[str, str, str | None, int]]:
        """Findings of one scan counted in SQL by (control, status, basis): what a score or a trend
        point needs, without reading a finding. basis is None in scans saved before revision 0002."""
        f = schema.findings
        with self._errors("cannot read the history / 履歴を読めません"), self._engine.connect() as conn:
            return [(c, st, b, n) for c, st, b, n in conn.execute(
                select(f.c.control_id, f.c.status, f.c.basis, func.count()).where(f.c.scan_id == scan_id)
                .group_by(f.c.control_id, f.c.status, f.c.basis))]

    def partial_newer_than(self, as_of: dt.date | None, scan_id: int | None,
                           period: str | None = None) -> builtins.list[ScanSummary]:
        """Filtered scans newer than the scan (``as_of``, ``scan_id``) a reader used (all of them
        when None), within ``period``: what it left out, so that it can say so."""
        return [x for x in self.list() if x.selection is not None
                and (period is None or x.period == _checked_period(period))
                and (as_of is None or (x.as_of, x.id) > (as_of, scan_id or 0))]

    def periods(self) -> builtins.list[str]:  # `list` here is the method above
        """Periods (``YYYYQn``) holding at least one scan, oldest first."""
        s = schema.scans
        with self._errors("cannot read the history / 履歴を読めません"), self._engine.connect() as conn:
            return list(conn.execute(select(s.c.period).distinct().order_by(s.c.period)).scalars())

    def close(self) -> None:
        self._engine.dispose()


def _finding_rows(scan_id: int, found: list[SavedFinding], start: int = 0) -> list[dict[str, Any]]:
    return [
        {"scan_id": scan_id, "position": i, "control_id": x.control_id, "status": x.status,
         "resource_kind": x.resource_kind, "resource_id": x.resource_id, "message_ja": x.message_ja,
         "message_en": x.message_en, "rule": x.rule, "evidence": x.evidence, "suppression": x.suppression,
         "basis": x.basis}
        for i, x in enumerate(found, start=start)
    ]


def _finding_batches(scan_id: int, batches: Iterable[list[SavedFinding]]) -> Iterator[list[dict[str, Any]]]:
    """Rows numbered in the scan's order, batch after batch."""
    position = 0
    for found in batches:
        yield _finding_rows(scan_id, found, position)
        position += len(found)


def _resource_rows(scan_id: int, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return _positioned_resource_rows(scan_id, list(enumerate(docs)))


def _positioned_resource_rows(scan_id: int, docs: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
    return [{"scan_id": scan_id, "position": i, "kind": d["kind"], "resource_id": d["id"], "document": d}
            for i, d in docs]
