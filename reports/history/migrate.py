"""Schema migrations, run in-process: no alembic.ini at run time.

Every open of a store upgrades it to this sansho's head revision, so a store written by an
older sansho is brought up to date the first time a newer one touches it. A store at a
revision this sansho does not know was written by a newer sansho and is refused.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from sansho.policies.errors import InputError

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # one folder of revisions, named 0001_…, 0002_…; alembic's default file template otherwise
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the history migrations have no head"
    return head


def _known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, where: str) -> None:
    """Bring the store to head inside the caller's transaction (DDL is transactional on both
    backends, so a failed upgrade leaves the old schema)."""
    if connection.dialect.name == "postgresql":
        # two sanshos opening a fresh database at once: the second waits, then finds it at head
        # (on SQLite the caller's BEGIN IMMEDIATE does this)
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(8170531)")
    current = current_revision(connection)
    head = head_revision()
    if current == head:
        return
    if current is not None and current not in _known_revisions():
        raise InputError(f"{where}: the history store is at schema revision {current!r}, which this sansho does "
                         f"not know: it was written by a newer sansho; upgrade sansho / 履歴の保存先は新しい版の "
                         f"sansho で作成されています。sansho を更新してください")
    command.upgrade(alembic_config(connection=connection), "head")
