"""Modules of the Google Cloud landing zone (imported by ../__main__.py; not a sansho package)."""
