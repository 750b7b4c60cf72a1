"""Alembic environment of the history store.

sansho runs it in-process (:mod:`sansho.reports.history.migrate`) with an open connection in
``config.attributes["connection"]``, inside the caller's transaction. A developer making a new
revision passes a URL instead (see docs/history.md).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from sansho.reports.history.schema import metadata

config = context.config


def _configure(connection) -> None:
    # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata,
                      literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()
elif (conn := config.attributes.get("connection")) is not None:
    _configure(conn)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        _configure(conn)
