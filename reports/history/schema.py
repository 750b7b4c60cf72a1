"""The history store's tables (SQLAlchemy Core).

Core rather than the ORM: a scan is written in bulk (100k findings in one executemany) and
read back as plain rows into :class:`~.records.SavedScan`; there is no object graph to track.
Findings and resources are keyed by ``(scan_id, position)`` so a scan reads back in the order
the engine produced it on every backend, and the key doubles as the "by scan" index.

Changing anything here needs a new migration in ``migrations/versions/``; a test compares
this metadata with the migrated database.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

# Named constraints, so migrations name them the same on SQLite and PostgreSQL.
metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

# JSON, not JSONB: JSONB reorders keys and drops duplicates, and the raw documents are evidence.
# none_as_null: an absent evidence or suppression is SQL NULL, not the JSON text 'null'.
_Json = JSON(none_as_null=True)

scans = Table(
    "scans", metadata,
    Column("id", Integer, primary_key=True),
    Column("scanned_at", DateTime(timezone=True), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("period", String(6), nullable=False),
    Column("tool_version", String(64), nullable=False),
    Column("engine", String(32), nullable=False),
    Column("controls", _Json, nullable=False),
    Column("inputs", _Json, nullable=False),
    Column("notes", _Json, nullable=False),
    # The --family / --controls filter the scan ran with; NULL: every control (a complete scan).
    # Reports, matrices and evidence use complete scans only, unless told otherwise.
    Column("selection", _Json, nullable=True),
    Index("ix_scans_period_as_of", "period", "as_of"),
    # A deleted scan's id is never handed out again: reports and evidence bundles cite scan ids.
    sqlite_autoincrement=True,
)

findings = Table(
    "findings", metadata,
    Column("scan_id", Integer, ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("control_id", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("resource_kind", String(64), nullable=False),
    Column("resource_id", Text, nullable=False),
    Column("message_ja", Text, nullable=False),
    Column("message_en", Text, nullable=False),
    Column("rule", Text, nullable=False),
    Column("evidence", _Json, nullable=True),
    Column("suppression", _Json, nullable=True),
    # observed | declared | attested (revision 0002); NULL in scans saved before it, derived on read
    Column("basis", String(16), nullable=True),
    # counts by status per scan (history list) read this index alone
    Index("ix_findings_scan_status", "scan_id", "status"),
    Index("ix_findings_control", "control_id", "scan_id"),
)

resources = Table(
    "resources", metadata,
    Column("scan_id", Integer, ForeignKey("scans.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(64), nullable=False),
    Column("resource_id", Text, nullable=False),
    # the resource as judged: model fields, source, read_errors and the provider's raw document
    Column("document", _Json, nullable=False),
    Index("ix_resources_kind_id", "kind", "resource_id"),
)
