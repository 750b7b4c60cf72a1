"""Findings kept on disk while a big scan runs, given back in the order a whole scan gives them.

A scan judged a chunk of the inventory at a time (:mod:`sansho.policies.scanning`) has each
chunk's findings encoded at once, in the output's own format, and appended to one temporary
file; only the counts, the position of each piece and the exit code's inputs stay in memory.
The engine orders findings by control (catalog order), then kind (the control's ``applies_to``),
then inventory position, then the attestation findings; a chunk's findings come out of the
engine in that order too, so each chunk is a run of pieces keyed by (control, kind). Reading the
pieces key by key, and each key's pieces chunk by chunk, gives exactly the whole scan's order:
the output is byte-identical to a scan that held everything in memory.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import IO

from .catalog import Control
from .errors import InputError
from .findings import Finding

# The key of a piece: (control id, kind) for an automated control's findings; ATTESTED for the
# attestation controls' findings, which piece_order puts last, as the engine does.
Key = tuple[str, str]
ATTESTED: Key = ("\uffff", "attestation")


def piece_order(controls: Sequence[Control]) -> list[Key]:
    """Every key a scan of these controls can give, in the whole scan's order."""
    keys = [(c.id, kind) for c in controls if c.check == "automated" for kind in c.applies_to]
    return [*keys, ATTESTED]


class FindingSpool:
    """Encoded findings on disk (``encode`` turns a list of findings into their text, or bytes),
    with the tally the output's summary and the exit code need.

    ``tally`` counts (control id, status, basis); nothing else of a finding stays in memory."""

    def __init__(self, encode: Callable[[list[Finding]], str | bytes], controls: Sequence[Control],
                 folder: str | None = None):
        self._encode = encode
        self._attested = {c.id for c in controls if c.check == "attestation"}
        self._file: IO[bytes] = _temporary(folder)
        self._pieces: dict[Key, list[tuple[int, int]]] = {}
        self.tally: Counter[tuple[str, str, str]] = Counter()
        self.total = 0

    def add(self, findings: Sequence[Finding]) -> None:
        """One chunk's findings, in the engine's order."""
        start = 0
        while start < len(findings):
            key = self._key(findings[start])
            end = start + 1
            while end < len(findings) and self._key(findings[end]) == key:
                end += 1
            self._put(key, list(findings[start:end]))
            start = end
        bases: dict[int, str] = {}  # a resource's basis, once: it has a finding per control
        tally = self.tally
        for f in findings:
            basis = bases.get(id(f.resource))
            if basis is None:
                basis = bases[id(f.resource)] = f.basis
            tally[(f.control_id, f.status, basis)] += 1
        self.total += len(findings)

    def _key(self, f: Finding) -> Key:
        return ATTESTED if f.control_id in self._attested else (f.control_id, f.resource.kind)

    def _put(self, key: Key, findings: list[Finding]) -> None:
        data = self._encode(findings)
        if isinstance(data, str):
            data = data.encode("utf-8")
        with _disk(self._file):
            offset = self._file.seek(0, os.SEEK_END)
            self._file.write(data)
        self._pieces.setdefault(key, []).append((offset, len(data)))

    def texts(self, order: Sequence[Key]) -> Iterator[str]:
        """The encoded pieces, key by key in ``order`` and chunk by chunk within a key."""
        for data in self.blobs(order):
            yield data.decode("utf-8")

    def blobs(self, order: Sequence[Key]) -> Iterator[bytes]:
        """:meth:`texts` as the bytes they were stored as."""
        unknown = set(self._pieces) - set(order)
        if unknown:  # an engine that ordered differently would silently reorder the output
            raise RuntimeError(f"findings under keys the order does not hold: {sorted(unknown)[:3]}")
        with _disk(self._file):
            self._file.flush()
        for key in order:
            for offset, size in self._pieces.get(key, ()):
                self._file.seek(offset)
                yield self._file.read(size)

    def close(self) -> None:
        with contextlib.suppress(OSError):  # what a full disk keeps in the buffer is thrown away anyway
            self._file.close()

    def __enter__(self) -> FindingSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class BlobSpool:
    """Pieces of bytes on disk, read back in the order they were added."""

    def __init__(self, folder: str | None = None):
        self._file: IO[bytes] = _temporary(folder)
        self._sizes: list[int] = []

    def add(self, data: bytes) -> None:
        with _disk(self._file):
            self._file.write(data)
        self._sizes.append(len(data))

    def __iter__(self) -> Iterator[bytes]:
        with _disk(self._file):
            self._file.flush()
        self._file.seek(0)
        for size in self._sizes:
            yield self._file.read(size)

    def close(self) -> None:
        with contextlib.suppress(OSError):  # what a full disk keeps in the buffer is thrown away anyway
            self._file.close()


def _temporary(folder: str | None) -> IO[bytes]:
    """A file with no name (gone when closed, or when the process dies) in ``folder``, else in
    the system's temporary folder (``TMPDIR``)."""
    where = folder or tempfile.gettempdir()
    try:
        return tempfile.TemporaryFile(prefix="sansho-spool-", dir=where)
    except OSError as e:
        raise _no_room(where, e) from None


@contextlib.contextmanager
def _disk(fh: IO[bytes]) -> Iterator[None]:
    """A write that fails (a full disk, most likely) is one line naming the folder."""
    try:
        yield
    except OSError as e:
        raise _no_room(_folder_of(fh), e) from None


def _folder_of(fh: IO[bytes]) -> str:
    try:
        return os.path.dirname(os.readlink(f"/proc/self/fd/{fh.fileno()}")) or tempfile.gettempdir()
    except OSError:
        return tempfile.gettempdir()


def _no_room(folder: str, e: OSError) -> InputError:
    return InputError(
        f"{folder}: cannot keep the findings on disk while the scan runs: {e.strerror or e} (they take about the "
        "size of the output; write the output on a disk with room, or set TMPDIR) / 判定結果を一時保存できません"
    )
