"""Modules of the Azure landing zone (imported by ../__main__.py; not a sansho package)."""
