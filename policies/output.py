"""Where reports go: stdout or a file, with one clear error when the file cannot be written.

Every file sansho writes goes through :func:`atomic_file`: a run killed mid-write, a full disk or
a crash in a renderer leaves the previous file (or none), never a truncated CSV that parses with
0 FAIL rows or a half-written evidence bundle.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from .errors import InputError


def tool_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sansho")
    except PackageNotFoundError:
        return "0+unknown"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_file(output: Path) -> Iterator[Path]:
    """A temporary path beside ``output`` for the caller to write; when the block ends normally
    the file is flushed to disk and replaces ``output`` in one step (``os.replace``), and the
    folder entry is synced. When it fails, the temporary file is removed and ``output`` is left
    as it was. An OS error is one :class:`InputError` naming ``output``.

    ``output`` that is not a regular file (``/dev/null``, ``/dev/stdout``, a named pipe) is written
    in place: renaming over it would put a regular file where the device was."""
    if output.exists() and not output.is_file():
        yield output
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=output.parent)
        os.close(fd)
    except OSError as e:
        raise InputError(f"{output}: cannot write: {e.strerror or e}") from None
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp's 0600 would differ from any other file the user writes
        os.replace(tmp, output)
        _sync_folder(output.parent)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise InputError(f"{output}: cannot write: {e.strerror or e}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # a platform without directory handles: the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_output(text: str | bytes, output: Path | None) -> None:
    if output is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
            return
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    with atomic_file(output) as tmp:
        tmp.write_bytes(data)


@contextlib.contextmanager
def output_stream(output: Path | None) -> Iterator[TextIO]:
    """A text stream to write a big report into piece by piece: stdout, or ``output`` replaced
    atomically (:func:`atomic_file`) when the block ends normally."""
    if output is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_file(output) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as fh:
        yield fh
