"""Alembic migrations of the history store, run by :func:`sansho.reports.history.migrate.upgrade`."""
