"""Where reports go: stdout or a file, with one clear error when the file cannot be written."""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import InputError


def tool_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sansho")
    except PackageNotFoundError:
        return "0+unknown"


def write_output(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        raise InputError(f"{output}: cannot write: {e.strerror}") from None
