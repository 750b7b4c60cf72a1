"""The Azure collector's secret scrubbing, shared with the other collectors: :mod:`sansho.collectors.secrets`."""

from ..secrets import REDACTED, is_secret_name, scrub, scrub_text

__all__ = ["REDACTED", "is_secret_name", "scrub", "scrub_text"]
