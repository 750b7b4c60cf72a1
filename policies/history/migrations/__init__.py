"""Alembic migrations of the history store, run by :func:`sansho.policies.history.migrate.upgrade`."""
