"""Reading register files into records that remember their line numbers.

* Text encodings: UTF-8 with or without a BOM (Excel's "CSV UTF-8"), UTF-16 with a BOM
  (Excel's "Unicode text", tab-separated), and Shift_JIS / CP932 (Excel's plain "CSV" on
  Japanese Windows) are all read. Anything else is an error that names the encodings read.
* CSV: the first row is the header; a record's line is the physical line its row starts on.
  Rows whose cells are all empty (Excel leaves them behind) are skipped.
* YAML: a top-level list of mappings. Each record keeps the line of every key, so an error in
  a nested value (``certifications[2].expires``) points at its own line.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sansho.policies.readers import StrictLoader, StrictYAMLError

from .messages import Issue


class LineDict(dict):
    """A YAML mapping that knows the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines = {}


class _LineLoader(StrictLoader):
    """No anchors, aliases or duplicate keys, and a depth cap, as every YAML file sansho reads."""

    what = "a register"


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode):  # type: ignore[no-untyped-def]
    data = LineDict()
    data.line = node.start_mark.line + 1
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            key = str(key)
        if key in data:
            raise loader.duplicate_key(key, key_node)
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = key_node.start_mark.line + 1


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    # Dates stay text here and are checked by the same parser as CSV cells, so 2026-13-01 is an
    # error naming its field rather than a crash inside the YAML library.
    return str(loader.construct_scalar(node))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


@dataclass
class Record:
    """One row of a register: its values, its line, and the line of each key (YAML)."""

    line: int
    values: dict[str, Any]
    key_lines: dict[str, int] = field(default_factory=dict)
    csv: bool = False


def decode(data: bytes) -> tuple[str, str] | None:
    """The text and the encoding name, or None when it is none of the accepted encodings."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError:
        return None


def read_text(path: Path, rel: str, issues: list[Issue]) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as e:
        issues.append(Issue(rel, 0, None, "unreadable", {"detail": e.strerror or str(e)}))
        return None
    decoded = decode(data)
    if decoded is None:
        issues.append(Issue(rel, 0, None, "encoding"))
        return None
    text, _encoding = decoded
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_csv(path: Path, rel: str, issues: list[Issue]) -> tuple[list[str], list[Record]] | None:
    """The header and records of a CSV file, or None when the file cannot be read at all."""
    text = read_text(path, rel, issues)
    if text is None:
        return None
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[Record] = []
    try:
        header_row = next(reader, None)
        if header_row is None or not any(c.strip() for c in header_row):
            issues.append(Issue(rel, 1, None, "csv_empty"))
            return None
        header = [c.strip() for c in header_row]
        seen: set[str] = set()
        bad_header = False
        for name in header:
            if name and name in seen:
                issues.append(Issue(rel, 1, name, "duplicate_header", {"column": name}))
                bad_header = True
            seen.add(name)
        if bad_header:
            return None
        next_line = reader.line_num + 1
        for row in reader:
            line = next_line
            next_line = reader.line_num + 1
            if not any(c.strip() for c in row):
                continue
            if len(row) > len(header):
                extra = row[len(header):]
                if any(c.strip() for c in extra):
                    issues.append(Issue(rel, line, None, "row_too_long", {"cells": len(row), "columns": len(header)}))
                    continue
                row = row[: len(header)]
            values: dict[str, Any] = {}
            for name, cell in zip(header, row, strict=False):
                if name == "":
                    if cell.strip():
                        issues.append(Issue(rel, line, None, "empty_header"))
                    continue
                values[name] = cell
            records.append(Record(line, values, csv=True))
    except csv.Error as e:
        issues.append(Issue(rel, reader.line_num, None, "csv_syntax", {"detail": str(e)}))
        return None
    # Columns absent from a short row are simply not filled in; they read as empty.
    return [h for h in header if h], records


def read_yaml(path: Path, rel: str, issues: list[Issue]) -> list[Record] | None:
    text = read_text(path, rel, issues)
    if text is None:
        return None
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except StrictYAMLError as e:
        issues.append(Issue(rel, e.problem_mark.line + 1 if e.problem_mark else 0, None, e.code, e.params))
        return None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        issues.append(Issue(rel, line, None, "yaml_syntax", {"detail": problem}))
        return None
    if doc is None:
        return []  # an empty file: a register with no entries
    if not isinstance(doc, list):
        shown = "a mapping" if isinstance(doc, dict) else repr(doc)
        issues.append(Issue(rel, getattr(doc, "line", 1), None, "yaml_top", {"value": shown}))
        return None
    records = []
    for item in doc:
        if not isinstance(item, LineDict):
            issues.append(Issue(rel, 0, None, "yaml_item", {"value": item}))
            continue
        records.append(Record(item.line, dict(item), dict(item.key_lines)))
    return records


def line_of(record: Record, values: Any, loc: tuple[Any, ...]) -> int:
    """The most precise line for a pydantic error location inside a YAML record."""
    if record.csv:
        return record.line
    line = record.line
    node: Any = values
    for part in loc:
        if isinstance(node, LineDict):
            line = node.key_lines.get(part, line)
        elif isinstance(node, dict) and node is values:
            line = record.key_lines.get(part, line)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            if isinstance(node, LineDict):
                line = node.line
        else:
            break
    return line
