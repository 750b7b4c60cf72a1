"""Reading and writing inventory files (``schema_version`` 1.0).

The happy path validates the whole file in pydantic's Rust core straight from bytes, which
is what keeps a 100k-resource scan fast. Only when validation fails is the document parsed
again in Python, to name the failing resource by its id in the one-line error.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import TypeAdapter, ValidationError

from . import gcpause
from .errors import InputError, describe_validation_error
from .model import (
    KINDS,
    SCHEMA_VERSION,
    AnyResource,
    CollectionError,
    FirewallRule,
    Inventory,
    Resource,
    derive_exposure,
)
from .readers import DuplicateKey, depth_error, load_json, load_yaml, strict_json_decoder


def _json_default(o: Any) -> str:
    # YAML turns unquoted dates into date objects; they go back to ISO strings so that YAML and
    # JSON inventories pass through the same strict JSON validation.
    if hasattr(o, "isoformat"):
        return o.isoformat()
    raise TypeError(f"{type(o).__name__} is not JSON serializable")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, expected an inventory file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror}") from None


def _explain(path: Path, doc: Any, err: ValidationError) -> InputError:
    """Turn a validation error into the one line a user should read first."""
    if not isinstance(doc, dict):
        return InputError(f"{path}: an inventory must be a JSON object with 'schema_version' and 'resources'")
    if "findings" in doc and "resources" not in doc:  # `sansho scan --format json` output, fed back in
        return InputError(f"{path}: this is a scan result (sansho scan --format json), not an inventory; "
                          "give the files `sansho collect` wrote / 点検結果のファイルです。インベントリを指定してください")
    if "schema_version" not in doc:
        return InputError(f"{path}: field 'schema_version' is missing (this sansho reads {SCHEMA_VERSION})")
    if doc["schema_version"] != SCHEMA_VERSION:
        return InputError(
            f"{path}: field 'schema_version' is {doc['schema_version']!r}; this sansho reads {SCHEMA_VERSION!r}"
        )
    resources = doc.get("resources")
    if isinstance(resources, list):
        for i, r in enumerate(resources):
            if isinstance(r, dict) and r.get("kind") not in KINDS:
                rid = f"(id={r['id']})" if isinstance(r.get("id"), str) else ""
                return InputError(
                    f"{path}: field 'resources[{i}]{rid}.kind': unknown resource kind {r.get('kind')!r}"
                    f" (known: {', '.join(KINDS)})"
                )
    return InputError(describe_validation_error(path, err, doc))


def parse_inventory_bytes(path: Path, data: bytes) -> Inventory:
    is_yaml = path.suffix.lower() in (".yaml", ".yml")
    doc: Any = None
    try:
        if is_yaml:
            doc = load_yaml(data, path, "an inventory")
            data = json.dumps(doc, default=_json_default).encode()
        with gcpause.paused():
            if not is_yaml:
                # pydantic's reader keeps the last of two equal keys; the standard one, with a hook,
                # refuses them (and over-deep nesting). Its objects are dropped before validation.
                try:
                    load_json(data, path)
                except (json.JSONDecodeError, UnicodeDecodeError):
                    pass  # worded below, from pydantic's error
            return Inventory.model_validate_json(data)
    except ValidationError as err:
        deep = depth_error(path, str(err))
        if deep is not None:
            raise deep from None
        if doc is None:
            try:
                doc = load_json(data, path)
            except (json.JSONDecodeError, UnicodeDecodeError) as e:
                raise InputError(f"{path}: malformed JSON: {e}") from None
        raise _explain(path, doc, err) from None


def load_inventory(path: Path | str) -> Inventory:
    path = Path(path)
    return parse_inventory_bytes(path, _read_bytes(path))


def load_inventories(paths: Sequence[Path | str], errors: list[CollectionError] | None = None) -> list[Resource]:
    """Load several inventory files into one list, refusing the same resource twice.

    The collectors' read errors of every file are appended to ``errors`` when it is given."""
    seen = ReadOnce()
    out: list[Resource] = []
    for p in paths:
        p = Path(p)
        inv = load_inventory(p)
        if errors is not None:
            errors.extend(inv.errors)
        seen.check(p, inv.resources)
        out.extend(inv.resources)
    return out


class ReadOnce:
    """Refuses a resource (kind and id) given a second time, in the same file or another."""

    def __init__(self) -> None:
        self._files: list[Path] = []
        self._seen: dict[tuple[str, str], int] = {}  # → index in _files: an int, not a path, per resource

    def check(self, path: Path, resources: Iterable[Resource]) -> None:
        if not self._files or self._files[-1] != path:
            self._files.append(path)
        n = len(self._files) - 1
        seen = self._seen
        for r in resources:
            key = (r.kind, r.id)
            first = seen.get(key)
            if first is not None:
                raise InputError(
                    f"{path}: field 'resources(id={r.id}).id': {r.kind} {r.id!r} is already in {self._files[first]}")
            seen[key] = n


def dump_inventory(resources: Iterable[Resource], generator: str = "sansho",
                   errors: Iterable[CollectionError] = ()) -> str:
    import datetime as dt

    inv = Inventory(
        schema_version="1.0",
        generated_at=dt.datetime.now(dt.UTC),
        generator=generator,
        resources=list(resources),  # type: ignore[arg-type]
        errors=list(errors),
    )
    return inv.model_dump_json(indent=1, exclude_none=True)


def inventory_json_schema() -> str:
    return json.dumps(TypeAdapter(Inventory).json_schema(), ensure_ascii=False, indent=2)


# -- reading a big inventory a chunk at a time ---------------------------------------------------

READ_BLOCK = 8 << 20  # characters of text decoded at a time
_WS = re.compile(r"[ \t\n\r]*")


class _Fallback(Exception):
    """The streamed read met something it does not word itself: the whole-file reader does."""


class _Text:
    """A JSON text read in blocks and decoded incrementally; ``buf[pos:]`` is what is unread."""

    def __init__(self, fh: BinaryIO):
        self._fh = fh
        self._utf8 = codecs.getincrementaldecoder("utf-8")()
        self.buf, self.pos, self.eof = "", 0, False

    def more(self) -> None:
        if self.eof:
            raise _Fallback("unexpected end of the text")
        block = self._fh.read(READ_BLOCK)
        self.eof = not block
        try:
            text = self._utf8.decode(block, final=self.eof)
        except UnicodeDecodeError:
            raise _Fallback("not UTF-8") from None
        self.buf, self.pos = self.buf[self.pos:] + text, 0

    def peek(self) -> str:
        """The next character that is not whitespace ('' at the end of the text)."""
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf) or self.eof:
                return self.buf[self.pos:self.pos + 1]
            self.more()

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise _Fallback(f"expected {char!r}")
        self.pos += 1

    def value(self, decoder: json.JSONDecoder) -> tuple[Any, int, int]:
        """The next JSON value, and where its text starts and ends in ``buf``. A value cut by the end
        of the block is read again with more text; at the end of the file it is malformed."""
        self.peek()
        while True:
            try:
                value, end = decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError:
                self.more()
                continue
            except (DuplicateKey, RecursionError):
                raise _Fallback("refused by the strict reader") from None
            if end < len(self.buf) or self.eof:  # a number cut at the end of the block would parse short
                start, self.pos = self.pos, end
                return value, start, end
            self.more()


class InventoryStream:
    """An inventory file's resources, validated a chunk at a time (``sansho scan`` of a big estate).

    The JSON text is read in blocks; each resource is parsed by the same strict reader as a whole
    file (duplicate keys and over-deep nesting refused) and validated in pydantic's core in chunks
    of ``chunk`` resources, so memory holds one chunk, not the file. What a whole-file read would
    refuse is refused in the same words: anything unexpected (a validation error, malformed
    JSON, an encoding other than UTF-8, a YAML file) sends the file to :func:`load_inventory`,
    which raises the one-line error; a file it accepts is then chunked from memory.

    Facts that join several resources of one file are computed when the file ends, as the
    whole-file read does: the exposure of firewall rules grouped by security group / NSG /
    network, so the file's firewall rules come last. ``errors`` holds the file's collection
    errors once it is read. :meth:`indexed` gives each chunk with the resources' positions in
    the file.
    """

    def __init__(self, path: Path | str, chunk: int = 20_000):
        self.path = Path(path)
        self.chunk = chunk
        self.errors: list[CollectionError] = []
        self._yielded = 0  # resources already given by the streamed read

    def __iter__(self) -> Iterator[list[Resource]]:
        return (resources for _, resources in self.indexed())

    def indexed(self) -> Iterator[tuple[list[int], list[Resource]]]:
        """(positions in the file, resources) chunk by chunk."""
        if self.path.suffix.lower() in (".yaml", ".yml"):
            yield from self._from_whole()
            return
        try:
            fh = self.path.open("rb")
        except OSError:
            _read_bytes(self.path)  # the same one line as a whole-file read
            raise
        with fh:
            try:
                yield from self._streamed(fh)
            except _Fallback:
                pass
            else:
                return
        yield from self._from_whole()

    def _from_whole(self) -> Iterator[tuple[list[int], list[Resource]]]:
        inv = load_inventory(self.path)  # raises the whole-file reader's one line
        if self._yielded:  # the streamed read refused, halfway, what the whole-file read accepts
            raise InputError(f"{self.path}: cannot be read a chunk at a time after {self._yielded:,} resources; "
                             "please report this file's shape / 分割して読み込めませんでした")
        self.errors = list(inv.errors)
        for i in range(0, len(inv.resources), self.chunk):
            yield list(range(i, min(i + self.chunk, len(inv.resources)))), list(inv.resources[i:i + self.chunk])

    def _streamed(self, fh: BinaryIO) -> Iterator[tuple[list[int], list[Resource]]]:
        # A group's allow rules are judged together (Inventory._groups): the file's firewall rules
        # are held until it ends, then given as its last chunks, in their order.
        rules: list[tuple[int, FirewallRule]] = []
        position = 0
        for chunk in self._parsed(fh):
            others = []
            for r in chunk:
                (rules.append((position, r)) if isinstance(r, FirewallRule) else others.append((position, r)))
                position += 1
            if others:
                self._yielded += len(others)
                yield [i for i, _ in others], [r for _, r in others]
        derive_exposure(r for _, r in rules if r.group is not None)
        for i in range(0, len(rules), self.chunk):
            part = rules[i:i + self.chunk]
            self._yielded += len(part)
            yield [p for p, _ in part], [r for _, r in part]

    def _parsed(self, fh: BinaryIO) -> Iterator[list[Resource]]:
        text = _Text(fh)
        decoder = strict_json_decoder()
        head: dict[str, Any] = {}
        text.expect("{")
        if text.peek() == "}":
            raise _Fallback("empty object")
        while True:
            key, _, _ = text.value(decoder)
            if not isinstance(key, str) or key in head:
                raise _Fallback("bad or repeated key")
            text.expect(":")
            if key == "resources":
                if head.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
                    raise _Fallback("schema version")
                head[key] = []
                yield from self._resources(text, decoder)
            else:
                head[key], _, _ = text.value(decoder)
            if text.peek() == "}":
                text.pos += 1
                break
            text.expect(",")
        if text.peek() != "":
            raise _Fallback("text after the object")
        try:  # everything but the resources, checked as the whole-file read checks it
            inv = Inventory.model_validate_json(json.dumps(head, default=_json_default))
        except ValidationError:
            raise _Fallback("header") from None
        if "resources" not in head:
            raise _Fallback("no resources")
        self.errors = list(inv.errors)

    def _resources(self, text: _Text, decoder: json.JSONDecoder) -> Iterator[list[Resource]]:
        text.expect("[")
        if text.peek() == "]":
            text.pos += 1
            return
        pieces: list[str] = []
        while True:
            _, start, end = text.value(decoder)
            pieces.append(text.buf[start:end])
            if len(pieces) == self.chunk:
                yield self._validated(pieces)
                pieces = []
            nxt = text.peek()
            text.pos += 1
            if nxt == "]":
                break
            if nxt != ",":
                raise _Fallback("expected , or ]")
        if pieces:
            yield self._validated(pieces)

    def _validated(self, pieces: list[str]) -> list[Resource]:
        try:
            chunk = _RESOURCES.validate_json("[" + ",".join(pieces) + "]")
        except ValidationError:
            raise _Fallback("resource") from None
        return chunk


_RESOURCES: TypeAdapter[list[Resource]] = TypeAdapter(list[AnyResource])  # type: ignore[arg-type]
